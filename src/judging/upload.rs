//! Score sheets by spreadsheet: a judge uploads their own, an organizer uploads for a judge named
//! in the request or in a column. All or nothing, with every problem reported by row.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{ensure_open, JudgingError};
use crate::db::{self, write_transaction, Db, DbConnection};
use crate::domain::entry::normalize_text;
use crate::domain::jury::{Criterion, Judge, Points, Tenths};
use crate::domain::StoredEntry;
use crate::i18n::{JuryMessage, Message};
use crate::intake::{read_scores, IntakeError, IntakeLimits, RowError, ScoreRow};

/// Whose scores a sheet holds.
pub enum SheetOwner {
    /// A judge's own sheet; a judge column, if any, is not read.
    Judge(Judge),
    /// An organizer's upload: each row's judge column, else this judge (an id or a name).
    Organizer { judge: Option<String> },
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UploadReport {
    /// Sheets stored, one per judge and entry.
    pub stored: usize,
    /// Rows with no points at all: entries the judge did not score.
    pub skipped: usize,
    pub judges: Vec<String>,
}

/// Reads the sheet against the competition's criteria and stores it whole, or nothing.
pub async fn upload_scores(
    db: &Db,
    owner: SheetOwner,
    competition_id: String,
    bytes: Vec<u8>,
    limits: IntakeLimits,
) -> Result<UploadReport, JudgingError> {
    let id = competition_id.clone();
    let criteria = db.run(move |conn| db::jury::criteria(conn, &id)).await?;
    if criteria.is_empty() {
        return Err(JudgingError::Conflict(Message::NoCriteria));
    }
    let names: Vec<String> = criteria.iter().map(|c| c.name.clone()).collect();
    let read = tokio::task::spawn_blocking(move || read_scores(&bytes, &names, limits))
        .await
        .map_err(|_| JudgingError::Db(db::DbError::TaskAborted))?;
    let (_, rows) = read.map_err(|IntakeError(errors)| JudgingError::Sheet(errors))?;
    db.run(move |conn| store(conn, &owner, &competition_id, &rows))
        .await
}

fn store(
    conn: &mut DbConnection,
    owner: &SheetOwner,
    competition_id: &str,
    rows: &[ScoreRow],
) -> Result<UploadReport, JudgingError> {
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        let criteria = db::jury::criteria(conn, competition_id)?;
        let entries = db::entries::list(conn, competition_id)?;
        let judges = db::jury_panel::judges(conn, competition_id)?;
        // A judge in a blind review finds entries by number only: a name would tell who is who.
        let blind = matches!(owner, SheetOwner::Judge(_)) && db::jury_review::is_blind(conn, competition_id)?;
        let lookup = Lookup::new(&entries, &judges, blind);
        // Where the organizer assigned entries, a judge's sheet only for their own.
        let assigned: HashSet<(String, String)> = db::jury_review::assignments(conn, competition_id)?
            .into_iter()
            .collect();
        let default_judge = match owner {
            SheetOwner::Judge(judge) => Some(judge),
            SheetOwner::Organizer { judge: None } => None,
            SheetOwner::Organizer { judge: Some(named) } => Some(lookup.judge(named).ok_or_else(|| {
                JudgingError::Sheet(vec![whole_file(JuryMessage::UnknownJudge(named.clone()))])
            })?),
        };
        let mut errors = Vec::new();
        let mut sheets: Vec<Sheet> = Vec::new();
        let mut first_row: HashMap<(&str, &str), usize> = HashMap::new();
        let mut skipped = 0;
        for row in rows {
            if row.points.iter().all(Option::is_none) {
                skipped += 1;
                continue;
            }
            let judge = match (owner, &row.judge) {
                (SheetOwner::Organizer { .. }, Some(named)) => lookup
                    .judge(named)
                    .ok_or(JuryMessage::UnknownJudge(named.clone())),
                _ => default_judge.ok_or(JuryMessage::JudgeNeeded),
            };
            let judge = match judge {
                Ok(judge) => Some(judge),
                Err(message) => {
                    errors.push(error(row.row, "judge", Message::Jury(message)));
                    None
                }
            };
            let entry = match lookup.entry(row) {
                Ok(entry) => Some(entry),
                Err(message) => {
                    errors.push(error(row.row, "name", Message::Jury(message)));
                    None
                }
            };
            let sheet = match check_points(&criteria, row) {
                Ok(sheet) => Some(sheet),
                Err(mut found) => {
                    errors.append(&mut found);
                    None
                }
            };
            let (Some(judge), Some(entry), Some(sheet)) = (judge, entry, sheet) else {
                continue;
            };
            if judge.has_conflict_with(entry.school.as_deref()) {
                errors.push(error(row.row, "name", Message::ConflictOfInterest));
                continue;
            }
            if !assigned.is_empty() && !assigned.contains(&(judge.id.clone(), entry.id.clone())) {
                errors.push(error(row.row, "name", Message::Jury(JuryMessage::NotAssigned)));
                continue;
            }
            if let Some(first) = first_row.insert((judge.id.as_str(), entry.id.as_str()), row.row) {
                errors.push(error(
                    row.row,
                    "name",
                    Message::Jury(JuryMessage::SheetRepeated(first)),
                ));
                continue;
            }
            sheets.push((judge, entry, sheet));
        }
        if !errors.is_empty() {
            return Err(JudgingError::Sheet(errors));
        }
        for (judge, entry, sheet) in &sheets {
            db::jury::replace_sheet(conn, &judge.id, &entry.id, sheet)?;
        }
        let mut names: Vec<String> = sheets.iter().map(|(j, _, _)| j.name.clone()).collect();
        names.dedup();
        names.sort();
        names.dedup();
        Ok(UploadReport {
            stored: sheets.len(),
            skipped,
            judges: names,
        })
    })
}

/// A judge's points for one entry, checked and ready to store.
type Sheet<'a> = (&'a Judge, &'a StoredEntry, Vec<(String, Points, String)>);

fn error(row: usize, column: &str, message: Message) -> RowError {
    RowError {
        row,
        column: Some(column.to_string()),
        message,
    }
}

fn whole_file(message: JuryMessage) -> RowError {
    RowError {
        row: 0,
        column: None,
        message: Message::Jury(message),
    }
}

fn key(text: &str) -> String {
    normalize_text(text).to_lowercase()
}

/// Entries by their number in the list and by name; judges by id and by name.
struct Lookup<'a> {
    entries: &'a [StoredEntry],
    by_name: HashMap<String, Vec<&'a StoredEntry>>,
    judges: &'a [Judge],
    /// Numbers only, names neither matched nor told.
    blind: bool,
}

impl<'a> Lookup<'a> {
    fn new(entries: &'a [StoredEntry], judges: &'a [Judge], blind: bool) -> Lookup<'a> {
        let mut by_name: HashMap<String, Vec<&StoredEntry>> = HashMap::new();
        for entry in entries {
            by_name.entry(key(&entry.holder)).or_default().push(entry);
        }
        Lookup {
            entries,
            by_name,
            judges,
            blind,
        }
    }

    fn judge(&self, named: &str) -> Option<&'a Judge> {
        let wanted = key(named);
        self.judges
            .iter()
            .find(|j| j.id == named.trim())
            .or_else(|| self.judges.iter().find(|j| key(&j.name) == wanted))
    }

    /// The number in the list decides; a name next to it must agree.
    fn entry(&self, row: &ScoreRow) -> Result<&'a StoredEntry, JuryMessage> {
        if let Some(number) = &row.number {
            let entry = number
                .trim_end_matches('.')
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|at| self.entries.get(at))
                .ok_or_else(|| JuryMessage::UnknownEntryNumber(number.clone()))?;
            return match &row.name {
                Some(name) if !self.blind && key(name) != key(&entry.holder) => {
                    Err(JuryMessage::NumberNameMismatch(entry.holder.clone()))
                }
                _ => Ok(entry),
            };
        }
        let name = row.name.clone().unwrap_or_default();
        if self.blind {
            return Err(JuryMessage::BlindNeedsNumber);
        }
        match self.by_name.get(&key(&name)).map(Vec::as_slice) {
            Some([entry]) => Ok(entry),
            Some([_, _, ..]) => Err(JuryMessage::AmbiguousName(name)),
            _ => Err(JuryMessage::UnknownEntryName(name)),
        }
    }
}

/// Every criterion scored within its maximum on its step; "7,0" from a spreadsheet is 7, "0,5" a half.
fn check_points(
    criteria: &[Criterion],
    row: &ScoreRow,
) -> Result<Vec<(String, Points, String)>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut sheet = Vec::with_capacity(criteria.len());
    for (criterion, cell) in criteria.iter().zip(&row.points) {
        let message = match cell {
            None => Some(JuryMessage::NoPoints),
            Some(text) => match Tenths::parse(text) {
                Some(given) => match Points::new(given, criterion.max_points, criterion.step) {
                    Some(points) => {
                        sheet.push((criterion.id.clone(), points, String::new()));
                        None
                    }
                    None if !criterion.step.fits(given) => Some(JuryMessage::OffStep {
                        given: text.clone(),
                        step: Tenths::new(criterion.step.tenths()).with_comma(),
                    }),
                    None => Some(JuryMessage::PointsOutOfRange {
                        given: text.clone(),
                        max: criterion.max_points.get(),
                    }),
                },
                None => Some(JuryMessage::NotPoints(text.clone())),
            },
        };
        if let Some(message) = message {
            errors.push(error(row.row, &criterion.name, Message::Jury(message)));
        }
    }
    if errors.is_empty() {
        Ok(sheet)
    } else {
        Err(errors)
    }
}
