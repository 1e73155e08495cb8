//! Retention: an organization may keep the personal data of a finished competition for a set
//! number of days after its last day; then it is erased, while every paper stays verifiable.
//!
//! What goes: the applications sent through the competition's form, with their works; full names (kept as initials, "С. А.", which the public page shows as "А*** С." as
//! before; a team keeps its name and its members become initials), e-mails, phones, birth dates, own columns, the signed records (they hold
//! the full name) and the stored PDFs; the competition's e-mails lose their addressees and links;
//! a person known only from erased competitions keeps their place in the counts, as initials,
//! without birth date or the keys (name with birth date) that recognized them.
//! What stays: serials, codes, status, digests (a PDF someone holds still checks against its
//! digest), and what the reports count (school, region, city/village, nomination, age group,
//! award). A QR code on a paper still verifies offline: its signed record is on the paper.
//!
//! The service erases what is due once at start-up and then every few hours (see `spawn`).

use std::thread::JoinHandle;
use std::time::Duration;

use time::{Date, OffsetDateTime};

use crate::applications::works::WorkStore;
use crate::audit;
use crate::db::retention::{Candidate, PersonalData, PersonalDocument, PersonalEntry, PersonalName};
use crate::db::{self, Db, DbConnection, DbError};
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::time::parse_date;
use crate::domain::DocumentPayload;
use crate::issuance::storage::DocumentStore;
use crate::shutdown::Shutdown;

/// Shorter periods are refused: a typo must not erase last month's olympiad.
pub const MIN_DAYS: u32 = 30;
/// A hundred years: "keep" without a limit is no setting at all.
pub const MAX_DAYS: u32 = 36_500;
/// How often the service looks for competitions due.
const EVERY: Duration = Duration::from_secs(6 * 3600);

#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("a retention period is {MIN_DAYS} to {MAX_DAYS} days")]
    OutOfRange(u32),
    #[error("could not delete the PDFs of competition {0}: {1}")]
    Files(String, std::io::Error),
}

/// The organization's retention period in days; `None`: personal data is kept.
pub fn setting(conn: &mut DbConnection, organization_id: &str) -> Result<Option<u32>, DbError> {
    Ok(db::retention::days(conn, organization_id)?.and_then(|d| u32::try_from(d).ok()))
}

/// Sets or removes the retention period, and says so in the audit log.
pub fn set(
    conn: &mut DbConnection,
    organization_id: &str,
    actor: &Actor,
    days: Option<u32>,
) -> Result<(), RetentionError> {
    if let Some(days) = days.filter(|d| !(MIN_DAYS..=MAX_DAYS).contains(d)) {
        return Err(RetentionError::OutOfRange(days));
    }
    let stored = days.map(|d| i32::try_from(d).unwrap_or(i32::MAX));
    db::retention::set_days(conn, organization_id, stored)?;
    let subject = days.map_or_else(|| "—".to_string(), |d| d.to_string());
    audit::record(
        conn,
        organization_id,
        actor,
        AuditAction::RetentionChanged,
        &subject,
    )?;
    Ok(())
}

/// Whether the competition's personal data (and with it its PDFs) was erased.
pub fn is_erased(conn: &mut DbConnection, competition_id: &str) -> Result<bool, DbError> {
    Ok(db::retention::erased_at(conn, competition_id)?.is_some())
}

/// A competition's personal data, erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    pub competition_id: String,
    pub entries: usize,
    pub documents: usize,
}

/// Erases every competition whose retention period ended before `today`. A competition with
/// papers still being issued waits for the next round.
pub fn erase_due(
    db: &Db,
    store: &DocumentStore,
    works: &WorkStore,
    today: Date,
) -> Result<Vec<Erased>, RetentionError> {
    let mut conn = db.conn()?;
    let mut erased = Vec::new();
    for candidate in db::retention::candidates(&mut conn)? {
        if !is_due(&candidate, today) || db::retention::has_pending(&mut conn, &candidate.competition_id)? {
            continue;
        }
        erased.push(erase(&mut conn, store, works, &candidate)?);
    }
    Ok(erased)
}

fn is_due(candidate: &Candidate, today: Date) -> bool {
    parse_date(&candidate.last_day).is_some_and(|last| {
        last.checked_add(time::Duration::days(i64::from(candidate.days)))
            .is_some_and(|end| end < today)
    })
}

fn erase(
    conn: &mut DbConnection,
    store: &DocumentStore,
    works: &WorkStore,
    candidate: &Candidate,
) -> Result<Erased, RetentionError> {
    let id = &candidate.competition_id;
    let found = db::retention::personal_data(conn, id)?;
    let masked_name = |person: PersonalName| PersonalName {
        name: initials(&person.name, false),
        ..person
    };
    let masked = PersonalData {
        entries: found.entries.into_iter().map(masked_entry).collect(),
        documents: found.documents.into_iter().map(masked_document).collect(),
        participations: found.participations.into_iter().map(masked_name).collect(),
        persons: found.persons.into_iter().map(masked_name).collect(),
    };
    db::retention::erase(conn, id, &masked)?;
    // The applications go whole: their entries (above) keep what the reports count.
    crate::applications::erase_competition(conn, works, id)?;
    let (entries, documents) = (&masked.entries, &masked.documents);
    // The database no longer names the files; deleting them second means a failure here leaves
    // only unnamed files, removed on the next try, never a paper that names a deleted file.
    store
        .remove_competition(id)
        .map_err(|e| RetentionError::Files(id.clone(), e))?;
    let subject = format!("{} ({} / {})", candidate.title, entries.len(), documents.len());
    audit::record(
        conn,
        &candidate.organization_id,
        &Actor::service(),
        AuditAction::PersonalDataErased,
        &subject,
    )?;
    tracing::info!(competition = %id, entries = entries.len(), documents = documents.len(), "personal data erased after the retention period");
    Ok(Erased {
        competition_id: id.clone(),
        entries: entries.len(),
        documents: documents.len(),
    })
}

/// A name as initials, surname first ("Сейтқали Айгерім Нұрланқызы" → "С. А."), so the public
/// page's mask of it ("А*** С.") is what it showed before. A team's name is not personal data.
pub fn initials(full_name: &str, is_team: bool) -> String {
    if is_team {
        return full_name.to_string();
    }
    full_name
        .split_whitespace()
        .take(2)
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn masked_entry(entry: PersonalEntry) -> PersonalEntry {
    let members: Option<Vec<String>> = entry
        .team_members
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok());
    let is_team = members.as_ref().is_some_and(|m| !m.is_empty());
    PersonalEntry {
        holder_name: initials(&entry.holder_name, is_team),
        team_members: members
            .filter(|m| !m.is_empty())
            .map(|m| m.iter().map(|name| initials(name, false)).collect::<Vec<_>>())
            .and_then(|m| serde_json::to_string(&m).ok()),
        supervisor: entry.supervisor.as_deref().map(|s| initials(s, false)),
        ..entry
    }
}

fn masked_document(document: PersonalDocument) -> PersonalDocument {
    let Ok(mut payload) = serde_json::from_str::<DocumentPayload>(&document.payload) else {
        // A payload this version cannot read keeps nothing it could leak: only what it can show.
        return PersonalDocument {
            payload: "{}".into(),
            ..document
        };
    };
    let team = payload.is_team();
    payload.holder = initials(&payload.holder, team);
    payload.team_members = payload.team_members.iter().map(|m| initials(m, false)).collect();
    payload.supervisor = payload.supervisor.as_deref().map(|s| initials(s, false));
    payload.pupils = payload.pupils.iter().map(|p| initials(p, false)).collect();
    PersonalDocument {
        payload: serde_json::to_string(&payload).unwrap_or_else(|_| "{}".into()),
        ..document
    }
}

/// Erases what is due now and every few hours, on a thread of its own, until shutdown.
pub fn spawn(
    db: Db,
    store: DocumentStore,
    works: WorkStore,
    shutdown: Shutdown,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("retention".into())
        .spawn(move || loop {
            match erase_due(&db, &store, &works, OffsetDateTime::now_utc().date()) {
                Ok(erased) if !erased.is_empty() => {
                    tracing::info!(competitions = erased.len(), "retention: personal data erased")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "retention: could not erase what is due"),
            }
            if shutdown.sleep(EVERY) {
                return;
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verification::public_name;

    #[test]
    fn initials_keep_the_public_mask_as_it_was() {
        for name in [
            "Сейтқали Айгерім Нұрланқызы",
            "әбілқайырова ұлжан",
            "Мадина",
            "Ivanov Petr",
        ] {
            let erased = initials(name, false);
            assert_eq!(
                public_name(&erased, false),
                public_name(name, false),
                "{name} → {erased}"
            );
            assert!(erased.chars().count() <= 5, "{erased}");
        }
        assert_eq!(initials("Сейтқали Айгерім Нұрланқызы", false), "С. А.");
        assert_eq!(initials("«Жас тілші» газеті", true), "«Жас тілші» газеті");
    }
}
