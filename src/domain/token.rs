//! API tokens: shown once, stored as a SHA-256 digest. They carry 160 random bits, so a fast hash
//! is safe here (passwords, with little entropy, get Argon2 instead).

use rand::RngCore;
use sha2::{Digest, Sha256};

const PREFIX: &str = "gmt_";

pub struct ApiToken(String);

/// What a token may do: an organizer runs the organization's competitions; a jury token only
/// scores the one competition its judge sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRole {
    Organizer,
    Jury,
}

impl TokenRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenRole::Organizer => "organizer",
            TokenRole::Jury => "jury",
        }
    }
}

impl ApiToken {
    pub fn generate() -> ApiToken {
        let mut bytes = [0u8; 20];
        rand::rng().fill_bytes(&mut bytes);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        ApiToken(format!("{PREFIX}{hex}"))
    }

    pub fn from_presented(text: &str) -> Option<ApiToken> {
        let text = text.trim();
        (text.starts_with(PREFIX) && text.len() == PREFIX.len() + 40).then(|| ApiToken(text.into()))
    }

    pub fn digest(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presented_token_matches_its_digest() {
        let token = ApiToken::generate();
        let presented = ApiToken::from_presented(token.reveal()).map(|t| t.digest());
        assert_eq!(presented, Some(token.digest()));
        assert!(ApiToken::from_presented("gmt_short").is_none());
    }
}
