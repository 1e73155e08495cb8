//! Counts at a glance for an organization's competitions.

use std::collections::HashMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::competitions::dsl as c;
use super::schema::documents::dsl as d;
use super::schema::entries::dsl as e;
use super::schema::outbox::dsl as o;
use super::{DbConnection, DbError};
use crate::domain::outbox::OutboxState;
use crate::domain::DocumentStatus;

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub entries: i64,
    pub documents: i64,
    pub revoked: i64,
    /// E-mail messages waiting (queued or being sent), sent, failed, and uncertain.
    pub mail_waiting: i64,
    pub mail_sent: i64,
    pub mail_failed: i64,
    pub mail_uncertain: i64,
}

/// Entries, documents, revoked documents and e-mail messages by state per competition of an
/// organization.
pub fn counts(conn: &mut DbConnection, organization_id: &str) -> Result<HashMap<String, Counts>, DbError> {
    let competitions: Vec<String> = c::competitions
        .filter(c::organization_id.eq(organization_id))
        .select(c::id)
        .load(conn)?;
    counts_of(conn, &competitions)
}

/// The same counts for these competitions only (the caller knows they are the organization's):
/// each read from an index by competition, never from the papers' or entries' rows.
pub fn counts_of(
    conn: &mut DbConnection,
    competitions: &[String],
) -> Result<HashMap<String, Counts>, DbError> {
    let mut counts: HashMap<String, Counts> = HashMap::new();
    let mut entries: Vec<(String, i64)> = Vec::new();
    let mut documents: Vec<(String, String, i64)> = Vec::new();
    let mut messages: Vec<(String, String, i64)> = Vec::new();
    for page in competitions.chunks(500) {
        entries.extend(
            e::entries
                .filter(e::competition_id.eq_any(page))
                .group_by(e::competition_id)
                .select((e::competition_id, count_star()))
                .load::<(String, i64)>(conn)?,
        );
        documents.extend(
            d::documents
                .filter(d::competition_id.eq_any(page))
                .group_by((d::competition_id, d::status))
                .select((d::competition_id, d::status, count_star()))
                .load::<(String, String, i64)>(conn)?,
        );
        messages.extend(
            o::outbox
                .filter(o::competition_id.eq_any(page))
                .group_by((o::competition_id, o::state))
                .select((o::competition_id, o::state, count_star()))
                .load::<(String, String, i64)>(conn)?,
        );
    }
    for (id, n) in entries {
        counts.entry(id).or_default().entries = n;
    }
    for (id, status, n) in documents {
        let entry = counts.entry(id).or_default();
        entry.documents += n;
        if status == DocumentStatus::Revoked.as_str() {
            entry.revoked += n;
        }
    }
    for (id, state, n) in messages {
        let entry = counts.entry(id).or_default();
        match OutboxState::parse(&state) {
            Some(OutboxState::Sent) => entry.mail_sent += n,
            Some(OutboxState::Failed) => entry.mail_failed += n,
            Some(OutboxState::Uncertain) => entry.mail_uncertain += n,
            Some(OutboxState::Queued | OutboxState::Sending) => entry.mail_waiting += n,
            None => {}
        }
    }
    Ok(counts)
}
