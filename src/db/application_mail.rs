//! The queue of mail to applicants: each message says what happened to an application and carries
//! a private link to its cabinet, made by the mail worker when it sends (a row never holds a
//! secret). A claim is a lease, as for account mail: a worker that dies leaves the message to be
//! tried again.

use diesel::prelude::*;

use super::schema::application_mail::dsl as m;
use super::schema::applications::dsl as a;
use super::{write_transaction, DbConnection, DbError};
use crate::domain::time::now_rfc3339;
use crate::i18n::Lang;

/// What a message to an applicant is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationMailKind {
    /// Sent: here is the private link (opening it confirms the address).
    Received,
    /// A new link, asked for on the competition's page.
    Link,
    /// The organizer's decision: returned with a remark, accepted, rejected.
    Returned,
    Accepted,
    Rejected,
    /// The entry was returned for revision after the jury's review.
    Revision,
}

impl ApplicationMailKind {
    const ALL: [ApplicationMailKind; 6] = [
        ApplicationMailKind::Received,
        ApplicationMailKind::Link,
        ApplicationMailKind::Returned,
        ApplicationMailKind::Accepted,
        ApplicationMailKind::Rejected,
        ApplicationMailKind::Revision,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationMailKind::Received => "received",
            ApplicationMailKind::Link => "link",
            ApplicationMailKind::Returned => "returned",
            ApplicationMailKind::Accepted => "accepted",
            ApplicationMailKind::Rejected => "rejected",
            ApplicationMailKind::Revision => "revision",
        }
    }

    fn parse(text: &str) -> Option<ApplicationMailKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A claimed message, with what the worker needs to write it.
#[derive(Debug, Clone)]
pub struct ApplicationMail {
    pub id: String,
    pub kind: ApplicationMailKind,
    pub application_id: String,
    pub number: i32,
    pub competition_id: String,
    pub email: String,
    pub holder: String,
    pub remark: Option<String>,
    pub language: Lang,
    /// This attempt's number, from 1.
    pub attempts: i32,
}

pub fn enqueue(
    conn: &mut DbConnection,
    kind: ApplicationMailKind,
    application_id: &str,
) -> Result<(), DbError> {
    let now = now_rfc3339();
    diesel::insert_into(m::application_mail)
        .values((
            m::id.eq(uuid::Uuid::new_v4().to_string()),
            m::kind.eq(kind.as_str()),
            m::application_id.eq(application_id),
            m::created_at.eq(&now),
            m::next_attempt_at.eq(&now),
        ))
        .execute(conn)?;
    Ok(())
}

type Due = (
    String,
    String,
    String,
    i32,
    String,
    String,
    String,
    Option<String>,
    String,
    i32,
);

/// Claims the oldest due message until `lease_until`, counting the attempt.
pub fn claim_next(
    conn: &mut DbConnection,
    now: &str,
    lease_until: &str,
) -> Result<Option<ApplicationMail>, DbError> {
    write_transaction(conn, |conn| {
        let due = m::application_mail
            .inner_join(a::applications)
            .filter(m::sent_at.is_null())
            .filter(m::failed_at.is_null())
            .filter(m::next_attempt_at.le(now))
            .order((m::next_attempt_at.asc(), m::id.asc()))
            .select((
                m::id,
                m::kind,
                m::application_id,
                a::number,
                a::competition_id,
                a::email,
                a::holder_name,
                a::remark,
                a::language,
                m::attempts,
            ))
            .first::<Due>(conn)
            .optional()?;
        let Some((
            id,
            kind,
            application_id,
            number,
            competition_id,
            email,
            holder,
            remark,
            language,
            attempts,
        )) = due
        else {
            return Ok(None);
        };
        diesel::update(m::application_mail.filter(m::id.eq(&id)))
            .set((m::next_attempt_at.eq(lease_until), m::attempts.eq(attempts + 1)))
            .execute(conn)?;
        let kind = ApplicationMailKind::parse(&kind)
            .ok_or_else(|| DbError::Corrupt(format!("kind of application mail {id}")))?;
        Ok(Some(ApplicationMail {
            id,
            kind,
            application_id,
            number,
            competition_id,
            email,
            holder,
            remark,
            language: Lang::parse(&language).unwrap_or_default(),
            attempts: attempts + 1,
        }))
    })
}

crate::mail_queue_marks!(m::application_mail);
