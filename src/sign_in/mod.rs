//! Signing in with an e-mail and a password: the one use-case behind `POST /app/login`.
//!
//! Guessing is throttled per account *and* client: ten wrong passwords for one account from one
//! address make that address wait out a 15-minute window, while the owner, from an address that
//! has not failed, still signs in (a stranger could otherwise lock anyone out). Across all
//! addresses an account takes up to a hundred tries in a window from addresses that have already
//! failed. Each try is counted before its password is checked, atomically (see
//! `db::sign_in_attempts`), and only SHA-256 keys are stored, never the e-mail as typed. Every
//! check, the decoy for an unknown e-mail too, goes through the [`PasswordGate`].

mod gate;

pub use gate::{Admission, GateError, PasswordGate};

use crate::domain::audit::{Actor, AuditAction};
use time::OffsetDateTime;

use crate::db::{self, sign_in_attempts::Counted, Db, DbError};
use crate::domain::account::{decoy_hash, verify_password, Email, Secret};
use crate::domain::time::format_timestamp;
use crate::domain::token::sha256_hex;

/// Wrong passwords for one account from one client within the window.
pub const PER_CLIENT: i32 = 10;
/// Tries for one account within the window from clients that have already failed.
pub const PER_ACCOUNT: i32 = 100;
pub const WINDOW_MINUTES: i64 = 15;
/// The longest e-mail address there is (RFC 5321); a longer field is refused before anything.
pub const MAX_EMAIL_CHARS: usize = 254;

/// How a sign-in ended when nothing went wrong on the server's side.
pub enum Outcome {
    /// A session was opened; its token is for the cookie.
    SignedIn(Secret),
    /// Unknown e-mail or wrong password: the same answer for both.
    WrongPassword,
    /// The password was right but the account is disabled.
    Disabled,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("too many sign-in attempts; retry in {0} s")]
    Throttled(u64),
    #[error("too many password checks at once")]
    Busy,
    #[error(transparent)]
    Gate(#[from] GateError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What the sign-in form said, and from where.
pub struct Attempt {
    pub email: String,
    pub password: String,
    /// The client's address as `web::client_addr` found it.
    pub client: String,
    /// When a session opened now ends.
    pub session_expires: String,
}

/// Whether the e-mail field is short enough to be an address at all.
pub fn plausible_email_field(field: &str) -> bool {
    field.chars().count() <= MAX_EMAIL_CHARS
}

struct Keys {
    account: String,
    client: String,
}

fn keys(email_field: &str, client: &str) -> Keys {
    let account = email_field.trim().to_lowercase();
    Keys {
        client: sha256_hex(format!("client\n{account}\n{client}").as_bytes()),
        account: sha256_hex(format!("account\n{account}").as_bytes()),
    }
}

/// Seconds until a window that began at `window_start` is over; at least 1.
fn retry_after(window_start: &str, now: OffsetDateTime) -> u64 {
    let window = time::Duration::minutes(WINDOW_MINUTES);
    let parsed = OffsetDateTime::parse(window_start, &time::format_description::well_known::Rfc3339);
    match parsed {
        Ok(start) => (start + window - now).whole_seconds().max(1) as u64,
        Err(_) => window.whole_seconds() as u64,
    }
}

/// Whether a client already over its own limit is refused, from its count with this try included.
fn client_refusal(client: &Counted, now: OffsetDateTime) -> Option<u64> {
    (client.attempts > PER_CLIENT).then(|| retry_after(&client.window_start, now))
}

/// Whether a try within its client's limit is refused for the account's sake: a client's first try
/// in the window never is, whatever other clients did.
fn account_refusal(client: &Counted, account: &Counted, now: OffsetDateTime) -> Option<u64> {
    (account.attempts > PER_ACCOUNT && client.attempts > 1).then(|| retry_after(&account.window_start, now))
}

pub async fn sign_in(db: &Db, gate: &PasswordGate, attempt: Attempt) -> Result<Outcome, SignInError> {
    let admission = gate.admit().ok_or(SignInError::Busy)?;
    let keys = keys(&attempt.email, &attempt.client);
    let now = OffsetDateTime::now_utc();
    let stamp = format_timestamp(now);
    let stale_before = format_timestamp(now - time::Duration::minutes(WINDOW_MINUTES));
    let (client_key, account_key) = (keys.client.clone(), keys.account.clone());
    let (at, stale) = (stamp.clone(), stale_before.clone());
    // A client over its own limit is refused before the account's count is touched: its refused
    // tries, which cost nothing, must not push the account towards its ceiling.
    let refused = db
        .run(move |conn| {
            let client = db::sign_in_attempts::count(conn, &client_key, &at, &stale)?;
            if let Some(seconds) = client_refusal(&client, now) {
                return Ok::<_, crate::db::DbError>(Some(seconds));
            }
            let account = db::sign_in_attempts::count(conn, &account_key, &at, &stale)?;
            Ok(account_refusal(&client, &account, now))
        })
        .await?;
    if let Some(seconds) = refused {
        return Err(SignInError::Throttled(seconds));
    }

    let found = match Email::parse(&attempt.email) {
        Some(email) => {
            db.run(move |conn| db::accounts::find_for_sign_in(conn, &email))
                .await?
        }
        None => None,
    };
    // The hash is checked even for an unknown e-mail, so timing does not tell which ones exist.
    // The decoy is made (once) inside the gate too, off the async threads.
    let (user, stored) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let password = attempt.password;
    let matches = admission
        .run(move || match stored {
            Some(hash) => verify_password(&password, &hash),
            None => verify_password(&password, decoy_hash()),
        })
        .await?;
    let Some(user) = user.filter(|_| matches) else {
        db.run(move |conn| db::sign_in_attempts::sweep(conn, &stale_before))
            .await?;
        return Ok(Outcome::WrongPassword);
    };
    let Keys { client, account } = keys;
    db.run(move |conn| {
        db::sign_in_attempts::forget(conn, &client)?;
        db::sign_in_attempts::uncount(conn, &account)
    })
    .await?;
    // The password was right, so saying the account is disabled tells nothing to a stranger.
    if user.disabled_at.is_some() {
        return Ok(Outcome::Disabled);
    }
    let expires = attempt.session_expires;
    let (token, _) = db
        .run(move |conn| {
            // Signing in is when old sessions and spent invitations are swept, besides start-up.
            db::accounts::purge_expired(conn)?;
            let session = db::accounts::open_session(conn, &user.id, &expires)?;
            let actor = Actor::person(&user.id, &user.email);
            crate::audit::record(
                conn,
                &user.organization_id,
                &actor,
                AuditAction::SignedIn,
                &user.email,
            )?;
            Ok::<_, DbError>(session)
        })
        .await?;
    Ok(Outcome::SignedIn(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(attempts: i32) -> Counted {
        Counted {
            attempts,
            window_start: "2026-12-04T10:00:00Z".into(),
        }
    }

    #[test]
    fn the_client_limit_then_the_account_ceiling_for_clients_that_failed() {
        let now = OffsetDateTime::parse(
            "2026-12-04T10:05:00Z",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert_eq!(client_refusal(&counted(10), now), None, "the tenth try goes on");
        assert_eq!(client_refusal(&counted(11), now), Some(600), "the eleventh waits");
        assert_eq!(
            account_refusal(&counted(1), &counted(500), now),
            None,
            "a client that has not failed is not refused for the others"
        );
        assert_eq!(account_refusal(&counted(2), &counted(101), now), Some(600));
        assert_eq!(account_refusal(&counted(2), &counted(100), now), None);
    }

    #[test]
    fn keys_are_short_digests_of_the_normalized_email() {
        let a = keys("  Metodist@Dvorets.KZ ", "203.0.113.5");
        let b = keys("metodist@dvorets.kz", "203.0.113.5");
        let c = keys("metodist@dvorets.kz", "198.51.100.1");
        assert_eq!(
            (a.account.clone(), a.client.clone()),
            (b.account.clone(), b.client.clone())
        );
        assert_eq!(a.account, c.account);
        assert_ne!(a.client, c.client);
        let long = keys(&"x".repeat(60_000), "203.0.113.5");
        assert_eq!((long.account.len(), long.client.len()), (64, 64));
        assert!(plausible_email_field(&"x".repeat(254)));
        assert!(!plausible_email_field(&"x".repeat(255)));
    }
}
