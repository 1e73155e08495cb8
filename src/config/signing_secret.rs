//! The secret the instances of one deployment share, to sign with the same keys: several
//! `gramota serve` on one PostgreSQL, each with its own data folder. Given by
//! `GRAMOTA_SIGNING_SECRET` (the secret itself) or `signing_secret_file` /
//! `GRAMOTA_SIGNING_SECRET_FILE` (a file mounted into every instance, as orchestrators mount
//! secrets). Never in `gramota.toml` itself, and never printed: its `Debug` says only that it is set.
//!
//! Without it an instance keeps its keys in its own data folder, as a single server does.

use data_encoding::BASE64URL_NOPAD;
use rand::RngCore;

/// 32 random bytes, written as 43 characters of unpadded base64url.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSecret([u8; 32]);

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(set)")
    }
}

impl SigningSecret {
    /// The secret as `gramota keys secret` prints it, surrounding white space ignored.
    pub fn parse(text: &str) -> Option<SigningSecret> {
        let bytes = BASE64URL_NOPAD.decode(text.trim().as_bytes()).ok()?;
        Some(SigningSecret(bytes.try_into().ok()?))
    }

    /// A new secret, as text.
    pub fn generate() -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        BASE64URL_NOPAD.encode(&bytes)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_secret_reads_back_and_others_do_not() {
        let text = SigningSecret::generate();
        assert_eq!(text.len(), 43);
        let secret = SigningSecret::parse(&format!("  {text}\n")).unwrap();
        assert_eq!(BASE64URL_NOPAD.encode(secret.bytes()), text);
        assert_eq!(format!("{secret:?}"), "SigningSecret(set)", "never printed");
        assert!(SigningSecret::parse("short").is_none());
        assert!(SigningSecret::parse(&text[..40]).is_none());
        assert!(SigningSecret::parse("").is_none());
    }
}
