//! A forgotten password, reset by a one-time link sent by e-mail.
//!
//! Asking (`request`) answers the same whether or not the address has an account, and as fast:
//! a request only counts itself and, for a known address, queues a message; the link is made by
//! the mail worker when it sends (`new_link`), so no secret waits in the database, only its hash.
//! A link works once, for [`LINK_MINUTES`]; a newer one voids the older; using it sets the password
//! and ends every session of the account. Asking is throttled per address (quietly: no mail, the
//! same answer, so a mailbox cannot be flooded) and per client (refused, to be retried).

use time::OffsetDateTime;

use crate::db::account_mail::AccountMailKind;
use crate::db::{self, write_transaction, Db, DbError};
use crate::delivery::DeliveryQueue;
use crate::domain::account::{acceptable_password, hash_password, Email, Secret};
use crate::domain::time::format_timestamp;
use crate::domain::token::sha256_hex;
use crate::i18n::Lang;
use crate::sign_in::{PasswordGate, WINDOW_MINUTES};

/// How long a reset link works after it was sent.
pub const LINK_MINUTES: i64 = 60;
/// Messages to one address within the sign-in window; further requests send nothing.
pub const PER_ADDRESS: i32 = 3;
/// Requests from one client within the window, whatever the addresses; further ones are refused.
pub const PER_CLIENT: i32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    /// No mail transport is configured: nobody can be sent a link.
    #[error("e-mail is not configured on this service")]
    MailOff,
    #[error("too many reset requests; retry in {0} s")]
    Throttled(u64),
    /// The link was used, has expired or never existed.
    #[error("the reset link is used or expired")]
    Closed,
    #[error("the new password is too short")]
    WeakPassword,
    #[error("too many password checks at once")]
    Busy,
    #[error("the password could not be hashed: {0}")]
    Hash(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Where the reset page for `token` is.
pub fn reset_link(public_url: &str, token: &Secret) -> String {
    format!(
        "{}/app/reset/{}",
        public_url.trim_end_matches('/'),
        token.reveal()
    )
}

fn throttle_keys(email_field: &str, client: &str) -> (String, String) {
    let address = email_field.trim().to_lowercase();
    (
        sha256_hex(format!("reset-address\n{address}").as_bytes()),
        sha256_hex(format!("reset-client\n{client}").as_bytes()),
    )
}

/// Asks for a link for `email_field` from `client`; `lang` is the mail's language unless the
/// person chose one. Ok means "if the address has an account, a link is on its way".
pub async fn request(
    db: &Db,
    mail: &DeliveryQueue,
    email_field: &str,
    client: &str,
    lang: Lang,
) -> Result<(), ResetError> {
    if !mail.is_on() {
        return Err(ResetError::MailOff);
    }
    let (address_key, client_key) = throttle_keys(email_field, client);
    let email = Email::parse(email_field);
    let now = OffsetDateTime::now_utc();
    let (at, stale) = (
        format_timestamp(now),
        format_timestamp(now - time::Duration::minutes(WINDOW_MINUTES)),
    );
    let queued = db
        .run(move |conn| {
            let by_client = db::sign_in_attempts::count(conn, &client_key, &at, &stale)?;
            if by_client.attempts > PER_CLIENT {
                return Ok(Err(by_client.window_start));
            }
            let by_address = db::sign_in_attempts::count(conn, &address_key, &at, &stale)?;
            let Some(email) = email.filter(|_| by_address.attempts <= PER_ADDRESS) else {
                return Ok(Ok(false));
            };
            let Some(user) = db::accounts::find_by_email(conn, &email)? else {
                return Ok(Ok(false));
            };
            // A disabled account gets no link: it could not sign in with the new password anyway.
            if user.disabled_at.is_some() {
                return Ok(Ok(false));
            }
            let language = user.language.unwrap_or(lang);
            db::account_mail::enqueue(conn, AccountMailKind::PasswordReset, &user.id, language)?;
            Ok::<_, DbError>(Ok(true))
        })
        .await?;
    match queued {
        Ok(true) => {
            mail.notify();
            Ok(())
        }
        Ok(false) => Ok(()),
        Err(window_start) => Err(ResetError::Throttled(retry_after(&window_start, now))),
    }
}

fn retry_after(window_start: &str, now: OffsetDateTime) -> u64 {
    let window = time::Duration::minutes(WINDOW_MINUTES);
    OffsetDateTime::parse(window_start, &time::format_description::well_known::Rfc3339)
        .map(|start| (start + window - now).whole_seconds().max(1) as u64)
        .unwrap_or(window.whole_seconds() as u64)
}

/// A new link for the person, made as the message carrying it is sent; older links stop working.
pub fn new_link(conn: &mut db::DbConnection, public_url: &str, user_id: &str) -> Result<String, DbError> {
    db::password_resets::purge_expired(conn)?;
    let token = Secret::generate();
    let expires = OffsetDateTime::now_utc() + time::Duration::minutes(LINK_MINUTES);
    db::password_resets::create(conn, user_id, &token, &format_timestamp(expires))?;
    Ok(reset_link(public_url, &token))
}

/// Whether the link can still set a password.
pub async fn is_open(db: &Db, token: Secret) -> Result<bool, ResetError> {
    Ok(db
        .run(move |conn| db::password_resets::open_for(conn, &token))
        .await?
        .is_some())
}

/// Sets the new password through the link, spends it and ends every session of the account.
pub async fn complete(
    db: &Db,
    gate: &PasswordGate,
    token: Secret,
    password: String,
) -> Result<(), ResetError> {
    if !acceptable_password(&password) {
        return Err(ResetError::WeakPassword);
    }
    if !is_open(db, token.clone()).await? {
        return Err(ResetError::Closed);
    }
    let admission = gate.admit().ok_or(ResetError::Busy)?;
    let hash = admission
        .run(move || hash_password(&password))
        .await
        .map_err(|e| ResetError::Hash(e.to_string()))?
        .map_err(ResetError::Hash)?;
    let done = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let Some(user_id) = db::password_resets::spend(conn, &token)? else {
                    return Ok(false);
                };
                db::accounts::reset_password(conn, &user_id, &hash)?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    if done {
        Ok(())
    } else {
        Err(ResetError::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_keys_are_per_normalized_address_and_per_client() {
        let (a1, c1) = throttle_keys(" Metodist@Dvorets.kz ", "203.0.113.5");
        let (a2, c2) = throttle_keys("metodist@dvorets.kz", "198.51.100.1");
        assert_eq!(a1, a2);
        assert_ne!(c1, c2);
        assert_ne!(a1, c1);
    }
}
