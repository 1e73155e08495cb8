//! People with accounts: their role in an organization, their e-mail, their password, and the
//! random secrets (sessions, invitations, CSRF) that stand in for them after signing in.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

use super::token::sha256_hex;

/// What a person may do in their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Everything an organizer may, and invites other admins.
    Admin,
    /// Runs the organization's competitions and invites organizers and jury members.
    Organizer,
    /// Scores the entries of the competitions they sit on, nothing else.
    Jury,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Organizer => "organizer",
            Role::Jury => "jury",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text.trim() {
            "admin" => Some(Role::Admin),
            "organizer" => Some(Role::Organizer),
            "jury" => Some(Role::Jury),
            _ => None,
        }
    }

    pub fn runs_competitions(self) -> bool {
        matches!(self, Role::Admin | Role::Organizer)
    }

    /// Whom a person of this role may invite.
    pub fn may_invite(self, invitee: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::Organizer => invitee != Role::Admin,
            Role::Jury => false,
        }
    }
}

/// An e-mail address as a sign-in name: trimmed and lower-cased, so one person is one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Option<Email> {
        let text = text.trim().to_lowercase();
        let (local, domain) = text.split_once('@')?;
        let plausible = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        plausible.then_some(Email(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 200;

/// Whether a new password is long enough to stand on its own (length beats composition rules).
pub fn acceptable_password(password: &str) -> bool {
    (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&password.chars().count())
}

/// Argon2id with the crate's default cost (19 MiB, 2 passes), as OWASP recommends.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to check a password against when the account does not exist, so the answer takes as
/// long as for a real account and does not reveal which e-mails have one.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never valid").unwrap_or_default())
}

/// 256 random bits as hex: session tokens, invitation tokens, CSRF tokens.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn generate() -> Secret {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Secret(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// A secret as a client presented it; anything not shaped like one is refused before any lookup.
    pub fn from_presented(text: &str) -> Option<Secret> {
        (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Secret(text.into()))
    }

    /// Random secrets need no slow hash: storing the SHA-256 is enough to make a leaked table useless.
    pub fn digest(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn emails_are_one_spelling() {
        assert_eq!(
            Email::parse("  Metodist@Dvorets.KZ ").map(|e| e.0),
            Some("metodist@dvorets.kz".into())
        );
        assert!(Email::parse("no-at-sign").is_none());
        assert!(Email::parse("a@b").is_none());
        assert!(Email::parse("a b@c.kz").is_none());
    }

    #[test]
    fn secrets_are_checked_for_shape_and_compared_whole() {
        let secret = Secret::generate();
        assert!(Secret::from_presented(secret.reveal()).is_some());
        assert!(Secret::from_presented("short").is_none());
        assert!(same_secret(secret.reveal(), secret.reveal()));
        assert!(!same_secret(secret.reveal(), &Secret::generate().0));
        assert!(!same_secret("abc", "abcd"));
    }
}
