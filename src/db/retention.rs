//! Retention: the organizations' settings, the competitions due for erasure, and the erasure
//! itself, one competition in one transaction (all of its personal data or none).

use diesel::prelude::*;

use super::schema::competitions::dsl as c;
use super::schema::document_credentials::dsl as kc;
use super::schema::documents::dsl as d;
use super::schema::entries::dsl as e;
use super::schema::erasures::dsl as x;
use super::schema::outbox::dsl as o;
use super::schema::outbox_documents::dsl as od;
use super::schema::participations::dsl as pa;
use super::schema::person_keys::dsl as pk;
use super::schema::persons::dsl as pe;
use super::schema::retention_settings::dsl as r;
use super::{write_transaction, DbConnection, DbError};
use crate::domain::outbox::OutboxState;
use crate::domain::time::now_rfc3339;

pub fn days(conn: &mut DbConnection, organization_id: &str) -> Result<Option<i32>, DbError> {
    Ok(r::retention_settings
        .filter(r::organization_id.eq(organization_id))
        .select(r::days)
        .get_result(conn)
        .optional()?)
}

/// Sets (or, with `None`, removes) the organization's retention period.
pub fn set_days(conn: &mut DbConnection, organization_id: &str, days: Option<i32>) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        diesel::delete(r::retention_settings.filter(r::organization_id.eq(organization_id))).execute(conn)?;
        if let Some(days) = days {
            diesel::insert_into(r::retention_settings)
                .values((
                    r::organization_id.eq(organization_id),
                    r::days.eq(days),
                    r::updated_at.eq(now_rfc3339()),
                ))
                .execute(conn)?;
        }
        Ok::<_, DbError>(())
    })
}

/// A competition not yet erased in an organization that keeps personal data for `days`.
pub struct Candidate {
    pub organization_id: String,
    pub competition_id: String,
    pub title: String,
    pub days: i32,
    /// Its last day as the organizer gave it (`ends_on`, else `starts_on`), else the day it was made.
    pub last_day: String,
}

/// Organization, competition, title, days, ends_on, starts_on, created_at.
type CandidateRow = (
    String,
    String,
    String,
    i32,
    Option<String>,
    Option<String>,
    String,
);

pub fn candidates(conn: &mut DbConnection) -> Result<Vec<Candidate>, DbError> {
    let rows: Vec<CandidateRow> = c::competitions
        .inner_join(r::retention_settings.on(r::organization_id.eq(c::organization_id)))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            x::erasures.filter(x::competition_id.eq(c::id)),
        )))
        .select((
            c::organization_id,
            c::id,
            c::title,
            r::days,
            c::ends_on,
            c::starts_on,
            c::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(organization_id, competition_id, title, days, ends_on, starts_on, created_at)| Candidate {
                organization_id,
                competition_id,
                title,
                days,
                last_day: ends_on
                    .or(starts_on)
                    .unwrap_or_else(|| created_at.chars().take(10).collect()),
            },
        )
        .collect())
}

/// Whether the competition still has papers waiting to be rendered (it is not finished).
pub fn has_pending(conn: &mut DbConnection, competition_id: &str) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        d::documents
            .filter(d::competition_id.eq(competition_id))
            .filter(d::sha256.is_null()),
    ))
    .get_result(conn)?)
}

pub fn erased_at(conn: &mut DbConnection, competition_id: &str) -> Result<Option<String>, DbError> {
    Ok(x::erasures
        .filter(x::competition_id.eq(competition_id))
        .select(x::erased_at)
        .get_result(conn)
        .optional()?)
}

/// An entry's personal data as stored.
pub struct PersonalEntry {
    pub id: String,
    pub holder_name: String,
    /// A team's members, as the JSON array the column holds.
    pub team_members: Option<String>,
    pub supervisor: Option<String>,
}

/// A document's payload as stored.
pub struct PersonalDocument {
    pub id: String,
    pub payload: String,
}

/// A name kept elsewhere: a participation's, or a person's whose every participation is in this
/// competition or one erased before (a person still taking part elsewhere keeps their name there).
pub struct PersonalName {
    pub id: String,
    pub name: String,
}

/// Everything of a competition's that names someone.
pub struct PersonalData {
    pub entries: Vec<PersonalEntry>,
    pub documents: Vec<PersonalDocument>,
    pub participations: Vec<PersonalName>,
    pub persons: Vec<PersonalName>,
}

pub fn personal_data(conn: &mut DbConnection, competition_id: &str) -> Result<PersonalData, DbError> {
    let entries: Vec<(String, String, Option<String>, Option<String>)> = e::entries
        .filter(e::competition_id.eq(competition_id))
        .select((e::id, e::holder_name, e::team_members, e::supervisor))
        .load(conn)?;
    let documents: Vec<(String, String)> = d::documents
        .filter(d::competition_id.eq(competition_id))
        .select((d::id, d::payload))
        .load(conn)?;
    let participations: Vec<(String, String)> = pa::participations
        .filter(pa::competition_id.eq(competition_id))
        .select((pa::id, pa::name))
        .load(conn)?;
    let elsewhere = pa::participations
        .filter(pa::competition_id.ne(competition_id))
        .filter(diesel::dsl::not(
            pa::competition_id.eq_any(x::erasures.select(x::competition_id)),
        ))
        .select(pa::person_id);
    let persons: Vec<(String, String)> = pe::persons
        .filter(
            pe::id.eq_any(
                pa::participations
                    .filter(pa::competition_id.eq(competition_id))
                    .select(pa::person_id),
            ),
        )
        .filter(diesel::dsl::not(pe::id.eq_any(elsewhere)))
        .select((pe::id, pe::name))
        .load(conn)?;
    let named = |(id, name)| PersonalName { id, name };
    Ok(PersonalData {
        entries: entries
            .into_iter()
            .map(|(id, holder_name, team_members, supervisor)| PersonalEntry {
                id,
                holder_name,
                team_members,
                supervisor,
            })
            .collect(),
        documents: documents
            .into_iter()
            .map(|(id, payload)| PersonalDocument { id, payload })
            .collect(),
        participations: participations.into_iter().map(named).collect(),
        persons: persons.into_iter().map(named).collect(),
    })
}

/// The erased values, one transaction: entries keep what statistics count (school, region,
/// city/village, nomination, age group, award) with the names as initials; documents keep their
/// serial, code, status and digest with the payload masked, and lose their signed record (it
/// holds the full name) and their stored PDF; the competition's e-mails lose their addressees and
/// download links.
pub fn erase(conn: &mut DbConnection, competition_id: &str, masked: &PersonalData) -> Result<(), DbError> {
    super::document_changes::touched();
    let PersonalData {
        entries,
        documents,
        participations,
        persons,
    } = masked;
    write_transaction(conn, |conn| {
        for participation in participations {
            diesel::update(pa::participations.filter(pa::id.eq(&participation.id)))
                .set(pa::name.eq(&participation.name))
                .execute(conn)?;
        }
        // A person known only from erased competitions keeps their place in the counts, not their
        // name, birth date or the keys (name with birth date) that found them.
        for person in persons {
            diesel::update(pe::persons.filter(pe::id.eq(&person.id)))
                .set((
                    pe::name.eq(&person.name),
                    pe::search_name.eq(person.name.to_lowercase()),
                    pe::birth_date.eq(None::<String>),
                ))
                .execute(conn)?;
            diesel::delete(pk::person_keys.filter(pk::person_id.eq(&person.id))).execute(conn)?;
        }
        for entry in entries {
            diesel::update(e::entries.filter(e::id.eq(&entry.id)))
                .set((
                    e::holder_name.eq(&entry.holder_name),
                    e::supervisor.eq(&entry.supervisor),
                    e::team_members.eq(&entry.team_members),
                    e::email.eq(None::<String>),
                    e::supervisor_email.eq(None::<String>),
                    e::phone.eq(None::<String>),
                    e::birth_date.eq(None::<String>),
                    e::custom_fields.eq(None::<String>),
                ))
                .execute(conn)?;
        }
        for document in documents {
            diesel::update(d::documents.filter(d::id.eq(&document.id)))
                .set((
                    d::payload.eq(&document.payload),
                    d::signed_record.eq(None::<String>),
                    d::pack.eq(None::<String>),
                    d::pack_offset.eq(None::<i64>),
                    d::pack_length.eq(None::<i64>),
                ))
                .execute(conn)?;
            // The credential names the holder in full, as the signed record does.
            diesel::delete(kc::document_credentials.filter(kc::document_id.eq(&document.id)))
                .execute(conn)?;
        }
        let messages = o::outbox
            .filter(o::competition_id.eq(competition_id))
            .select(o::id);
        diesel::update(od::outbox_documents.filter(od::message_id.eq_any(messages)))
            .set((
                od::download_token.eq(None::<String>),
                od::token_hash.eq(None::<String>),
            ))
            .execute(conn)?;
        // A message still waiting would go to nobody: it fails, saying why.
        diesel::update(
            o::outbox
                .filter(o::competition_id.eq(competition_id))
                .filter(o::state.eq(OutboxState::Queued.as_str())),
        )
        .set((
            o::state.eq(OutboxState::Failed.as_str()),
            o::last_error.eq("personal data erased after the retention period"),
        ))
        .execute(conn)?;
        diesel::update(o::outbox.filter(o::competition_id.eq(competition_id)))
            .set((o::recipient_name.eq(""), o::recipient_email.eq("")))
            .execute(conn)?;
        diesel::insert_into(x::erasures)
            .values((
                x::competition_id.eq(competition_id),
                x::erased_at.eq(now_rfc3339()),
                x::entries.eq(i32::try_from(entries.len()).unwrap_or(i32::MAX)),
                x::documents.eq(i32::try_from(documents.len()).unwrap_or(i32::MAX)),
            ))
            .execute(conn)?;
        Ok::<_, DbError>(())
    })
}
