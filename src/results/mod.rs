//! Storing a results file's rows as a competition's entries: one service for the API, the pages
//! and the command line, so a rule holds in one place.
//!
//! An entry is found again by who it is about (`EntryDraft::identity`: the name with organization,
//! region, birth date, e-mail, nomination and age group), so the same file uploaded again, or a
//! corrected one, updates its entries in place instead of adding new ones: serials of unchanged
//! rows never move. Rows about the same person in one file are matched in order. A row whose
//! identity changed (a school's name corrected) is still found when it stands on the same row with
//! the same name, nomination and age group; namesakes elsewhere in the file are never merged.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;

use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::award::AwardWord;
use crate::domain::{EntryDraft, StoredEntry};
use crate::intake::{award_key, AwardMapping};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    /// rows taken from the file: added + updated + unchanged
    pub imported: usize,
    pub added: usize,
    /// entries found again whose row changed
    pub updated: usize,
    pub unchanged: usize,
    /// entries removed by mode=replace (the file no longer has them)
    pub replaced: usize,
    pub total_entries: i64,
    /// issued papers whose entry changed: re-issue them with POST /api/v1/documents/{id}/reissue
    /// (until then they say what the entry said before)
    pub outdated_documents: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A signed jury protocol lists these entries.
    #[error("the jury protocol is signed")]
    SignedOff,
    /// A replacing upload would remove entries whose papers are issued.
    #[error("entries the file no longer has already have papers")]
    AlreadyIssued,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(error: diesel::result::Error) -> Self {
        ImportError::Db(error.into())
    }
}

/// How an upload treats entries the file does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMode {
    /// They stay: a file may hold one nomination of several.
    #[default]
    Merge,
    /// They go, unless their papers are issued.
    Replace,
}

/// Stores checked rows as the competition's entries, all or nothing. The caller checked the
/// competition is the organizer's.
pub fn import(
    conn: &mut DbConnection,
    competition_id: &str,
    drafts: &[EntryDraft],
    mode: ImportMode,
) -> Result<ImportSummary, ImportError> {
    write_transaction(conn, |conn| {
        if db::jury_panel::sign_off(conn, competition_id)?.is_some() {
            return Err(ImportError::SignedOff);
        }
        let organization_id = db::competitions::find(conn, competition_id)?.organization_id;
        if db::entries::count(conn, competition_id)? == 0 {
            let added = db::entries::insert_all(conn, competition_id, drafts)?;
            crate::persons::assign(conn, &organization_id, competition_id)?;
            return Ok(ImportSummary {
                imported: added,
                added,
                total_entries: db::entries::count(conn, competition_id)?,
                ..ImportSummary::default()
            });
        }
        let existing = db::entries::list(conn, competition_id)?;
        let plan = match_rows(&existing, drafts);
        let issued = db::documents::entries_with_documents(conn, competition_id)?;
        let mut summary = ImportSummary::default();
        if mode == ImportMode::Replace {
            let gone: Vec<String> = existing
                .iter()
                .filter(|e| !plan.matched.contains(&e.id))
                .map(|e| e.id.clone())
                .collect();
            if gone.iter().any(|id| issued.contains(id)) {
                return Err(ImportError::AlreadyIssued);
            }
            summary.replaced = db::entries::delete(conn, &gone)?;
        }
        let mut new_rows = Vec::new();
        for (draft, found) in drafts.iter().zip(&plan.rows) {
            match found {
                Found::New => new_rows.push(draft.clone()),
                Found::Same(entry) => {
                    summary.unchanged += 1;
                    if usize::try_from(entry.source_row).ok() != Some(draft.source_row) {
                        db::entries::set_source_row(conn, &entry.id, draft.source_row)?;
                    }
                }
                Found::Changed(entry) => {
                    summary.updated += 1;
                    db::entries::update_from(conn, &entry.id, draft)?;
                    if issued.contains(&entry.id) {
                        summary
                            .outdated_documents
                            .extend(db::documents::valid_ids_of_entry(conn, &entry.id)?);
                    }
                }
            }
        }
        summary.added = db::entries::insert_all(conn, competition_id, &new_rows)?;
        crate::persons::assign(conn, &organization_id, competition_id)?;
        summary.imported = summary.added + summary.updated + summary.unchanged;
        summary.total_entries = db::entries::count(conn, competition_id)?;
        Ok(summary)
    })
}

/// What a row of the file is to the entries stored before.
enum Found<'a> {
    New,
    Same(&'a StoredEntry),
    Changed(&'a StoredEntry),
}

struct Plan<'a> {
    rows: Vec<Found<'a>>,
    matched: HashSet<String>,
}

fn match_rows<'a>(existing: &'a [StoredEntry], drafts: &[EntryDraft]) -> Plan<'a> {
    let stored: Vec<(&StoredEntry, EntryDraft)> = existing
        .iter()
        .filter_map(|e| e.as_draft().map(|d| (e, d)))
        .collect();
    // Entries by identity, in import order: the n-th row about a person is the n-th entry.
    let mut by_identity: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (at, (_, draft)) in stored.iter().enumerate() {
        by_identity.entry(draft.identity()).or_default().push_back(at);
    }
    let mut taken = vec![false; stored.len()];
    let mut found: Vec<Option<usize>> = drafts
        .iter()
        .map(|draft| {
            let at = by_identity.get_mut(&draft.identity())?.pop_front()?;
            taken[at] = true;
            Some(at)
        })
        .collect();
    // A corrected school or region changes the identity: the row on the same line with the same
    // name, nomination and age group is the same entry.
    let loose = |d: &EntryDraft| {
        (
            d.source_row,
            d.holder.as_str().to_lowercase(),
            d.nomination.clone(),
            d.age_group.clone(),
        )
    };
    let mut left: HashMap<_, Vec<usize>> = HashMap::new();
    for (at, (_, draft)) in stored.iter().enumerate() {
        if !taken[at] {
            left.entry(loose(draft)).or_default().push(at);
        }
    }
    for (draft, slot) in drafts.iter().zip(found.iter_mut()) {
        if slot.is_none() {
            if let Some(candidates) = left.get_mut(&loose(draft)) {
                if candidates.len() == 1 {
                    *slot = candidates.pop();
                }
            }
        }
    }
    let mut matched = HashSet::new();
    let rows = drafts
        .iter()
        .zip(found)
        .map(|(draft, slot)| match slot {
            None => Found::New,
            Some(at) => {
                let (entry, before) = &stored[at];
                matched.insert(entry.id.clone());
                // Without an "attended" column the file says nothing of attendance.
                let mut before = before.clone();
                before.attended = before.attended.filter(|_| draft.attended.is_some());
                if before.content() == draft.content() {
                    Found::Same(entry)
                } else {
                    Found::Changed(entry)
                }
            }
        })
        .collect();
    Plan { rows, matched }
}

/// The award words the organization mapped before, for reading its next file.
pub fn remembered_words(conn: &mut DbConnection, organization_id: &str) -> Result<AwardMapping, DbError> {
    Ok(AwardMapping::from_remembered(
        db::award_words::list(conn, organization_id)?
            .into_iter()
            .map(|(key, remembered)| (key, remembered.word)),
    ))
}

/// Remembers what an award word means for the organization's later files.
pub fn remember_word(
    conn: &mut DbConnection,
    organization_id: &str,
    text: &str,
    word: &AwardWord,
) -> Result<(), DbError> {
    let key = award_key(text);
    db::award_words::remember(
        conn,
        organization_id,
        &key,
        &crate::domain::entry::normalize_text(text),
        word,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Award, HolderName};

    fn draft(row: usize, name: &str, school: &str, award: Award) -> EntryDraft {
        EntryDraft {
            source_row: row,
            holder: HolderName::parse(name).unwrap(),
            team_members: vec![],
            school: Some(school.into()),
            region: None,
            settlement_type: None,
            supervisor: None,
            nomination: Some("Техника".into()),
            age_group: None,
            email: None,
            supervisor_email: None,
            award,
            award_title: None,
            birth_date: None,
            phone: None,
            hours: None,
            custom: Default::default(),
            attended: None,
        }
    }

    fn stored(id: &str, d: &EntryDraft) -> StoredEntry {
        StoredEntry {
            id: id.into(),
            competition_id: "c".into(),
            source_row: d.source_row as i32,
            holder: d.holder.as_str().into(),
            team_members: vec![],
            school: d.school.clone(),
            region: None,
            settlement_type: None,
            supervisor: None,
            nomination: d.nomination.clone(),
            age_group: None,
            email: None,
            supervisor_email: None,
            award: d.award,
            award_title: None,
            birth_date: None,
            phone: None,
            hours: None,
            custom: Default::default(),
            attended: None,
        }
    }

    #[test]
    fn namesakes_stay_apart_and_a_corrected_row_is_found_again() {
        let before = [
            draft(2, "Петров Михаил", "СОШ 1", Award::Place(1)),
            draft(3, "Петров Михаил", "СОШ 2", Award::Place(2)),
            draft(4, "Ким Анна", "Гимназия", Award::Participant),
        ];
        let existing: Vec<StoredEntry> = before
            .iter()
            .enumerate()
            .map(|(i, d)| stored(&i.to_string(), d))
            .collect();
        let after = [
            // Reordered namesakes, one with a corrected award; a corrected school on row 4.
            draft(2, "Петров Михаил", "СОШ 2", Award::Place(3)),
            draft(3, "Петров Михаил", "СОШ 1", Award::Place(1)),
            draft(4, "Ким Анна", "Гимназия №1", Award::Participant),
            draft(5, "Петров Михаил", "СОШ 3", Award::Participant),
        ];
        let plan = match_rows(&existing, &after);
        let ids: Vec<Option<(&str, bool)>> = plan
            .rows
            .iter()
            .map(|f| match f {
                Found::New => None,
                Found::Same(e) => Some((e.id.as_str(), false)),
                Found::Changed(e) => Some((e.id.as_str(), true)),
            })
            .collect();
        assert_eq!(
            ids,
            [Some(("1", true)), Some(("0", false)), Some(("2", true)), None],
            "namesakes by school, a moved row unchanged, a corrected school on its row, a new namesake"
        );
    }
}
