//! The queue of mail about accounts (password resets, reminders to late jury members), beside the
//! document outbox: a row says what to send to whom, never a secret; the mail worker makes the
//! link (and counts a judge's entries left) when it sends. A claim is
//! a lease (`next_attempt_at` moved forward and the attempt counted), so a worker that dies leaves
//! the message to be tried again; a reset sent twice costs nothing, as the newer link voids the older.

use diesel::prelude::*;

use super::schema::account_mail::dsl as m;
use super::schema::users::dsl as u;
use super::{write_transaction, DbConnection, DbError};
use crate::domain::time::now_rfc3339;
use crate::i18n::Lang;

/// What an account message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountMailKind {
    PasswordReset,
    /// A jury member of the account is reminded of the entries they have not scored yet.
    JuryReminder,
}

impl AccountMailKind {
    fn as_str(self) -> &'static str {
        match self {
            AccountMailKind::PasswordReset => "password_reset",
            AccountMailKind::JuryReminder => "jury_reminder",
        }
    }

    fn parse(text: &str) -> Option<AccountMailKind> {
        [AccountMailKind::PasswordReset, AccountMailKind::JuryReminder]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// A claimed message, with what the worker needs to write it.
#[derive(Debug, Clone)]
pub struct AccountMail {
    pub id: String,
    pub kind: AccountMailKind,
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub language: Lang,
    /// The judge a reminder is about.
    pub judge_id: Option<String>,
    /// This attempt's number, from 1.
    pub attempts: i32,
}

pub fn enqueue(
    conn: &mut DbConnection,
    kind: AccountMailKind,
    user_id: &str,
    language: Lang,
) -> Result<(), DbError> {
    let now = now_rfc3339();
    diesel::insert_into(m::account_mail)
        .values((
            m::id.eq(uuid::Uuid::new_v4().to_string()),
            m::kind.eq(kind.as_str()),
            m::user_id.eq(user_id),
            m::language.eq(language.code()),
            m::created_at.eq(&now),
            m::next_attempt_at.eq(&now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Queues a reminder to the judge `judge_id` at the account `user_id` they sit for.
pub fn enqueue_reminder(
    conn: &mut DbConnection,
    judge_id: &str,
    user_id: &str,
    language: Lang,
    now: &str,
) -> Result<(), DbError> {
    diesel::insert_into(m::account_mail)
        .values((
            m::id.eq(uuid::Uuid::new_v4().to_string()),
            m::kind.eq(AccountMailKind::JuryReminder.as_str()),
            m::user_id.eq(user_id),
            m::judge_id.eq(judge_id),
            m::language.eq(language.code()),
            m::created_at.eq(now),
            m::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// When each of the judges was last reminded (queued, whether sent yet or not), by judge id.
pub fn last_reminders(
    conn: &mut DbConnection,
    judge_ids: &[String],
) -> Result<std::collections::HashMap<String, String>, DbError> {
    let rows: Vec<(Option<String>, String)> = m::account_mail
        .filter(m::kind.eq(AccountMailKind::JuryReminder.as_str()))
        .filter(m::judge_id.eq_any(judge_ids))
        .select((m::judge_id, m::created_at))
        .load(conn)?;
    let mut last = std::collections::HashMap::new();
    for (judge, at) in rows {
        let Some(judge) = judge else { continue };
        let newest = last.entry(judge).or_insert_with(String::new);
        if at > *newest {
            *newest = at;
        }
    }
    Ok(last)
}
type Due = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i32,
);

/// Claims the oldest due message until `lease_until`, counting the attempt.
pub fn claim_next(
    conn: &mut DbConnection,
    now: &str,
    lease_until: &str,
) -> Result<Option<AccountMail>, DbError> {
    write_transaction(conn, |conn| {
        let due = m::account_mail
            .inner_join(u::users)
            .filter(m::sent_at.is_null())
            .filter(m::failed_at.is_null())
            .filter(m::next_attempt_at.le(now))
            .order((m::next_attempt_at.asc(), m::id.asc()))
            .select((
                m::id,
                m::kind,
                m::user_id,
                u::email,
                u::name,
                m::language,
                m::judge_id,
                m::attempts,
            ))
            .first::<Due>(conn)
            .optional()?;
        let Some((id, kind, user_id, email, name, language, judge_id, attempts)) = due else {
            return Ok(None);
        };
        diesel::update(m::account_mail.filter(m::id.eq(&id)))
            .set((m::next_attempt_at.eq(lease_until), m::attempts.eq(attempts + 1)))
            .execute(conn)?;
        let kind = AccountMailKind::parse(&kind)
            .ok_or_else(|| DbError::Corrupt(format!("kind of account mail {id}")))?;
        Ok(Some(AccountMail {
            id,
            kind,
            user_id,
            email,
            name,
            language: Lang::parse(&language).unwrap_or_default(),
            judge_id,
            attempts: attempts + 1,
        }))
    })
}

crate::mail_queue_marks!(m::account_mail);
