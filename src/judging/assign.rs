//! Who reviews what, over stored data: the organizer gives each entry to N judges at random (the
//! arithmetic in `domain::jury_assign`), changes one by hand, and sees each judge's progress. Once
//! entries are assigned a judge sees and scores only their own, marks of anyone else do not count,
//! and the ranking waits until every assigned judge has scored.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::{ensure_open, invalid, JudgingError};
use crate::db::{self, write_transaction, DbConnection};
use crate::domain::entry::normalize_text;
use crate::domain::jury::{Judge, Mark};
use crate::domain::jury_assign::{self, Reviewer, ToAssign};
use crate::i18n::{JuryMessage, Message};

/// Gives every entry of the competition `per_entry` judges at random, replacing earlier
/// assignments; scores already given stay and count where the judge keeps the entry.
pub fn assign(conn: &mut DbConnection, competition_id: &str, per_entry: u32) -> Result<usize, JudgingError> {
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        let judges = db::jury_panel::judges(conn, competition_id)?;
        if judges.is_empty() {
            return Err(JudgingError::Conflict(Message::Jury(JuryMessage::NoJudges)));
        }
        let per_entry = usize::try_from(per_entry).unwrap_or(usize::MAX);
        if per_entry == 0 || per_entry > judges.len() {
            return Err(invalid("judges_per_entry", format!("1–{}", judges.len())));
        }
        let entries = db::entries::list(conn, competition_id)?;
        let to_assign: Vec<ToAssign> = entries
            .iter()
            .map(|e| ToAssign {
                entry_id: &e.id,
                organization: e.school.as_deref(),
                nomination: e.nomination.as_deref(),
                age_group: e.age_group.as_deref(),
            })
            .collect();
        let panels = db::jury_review::panels(conn, competition_id)?;
        let ages = db::jury_review::age_panels(conn, competition_id)?;
        let reviewers: Vec<Reviewer> = judges
            .iter()
            .map(|judge| Reviewer {
                judge,
                panel: panels.get(&judge.id).map(Vec::as_slice),
                ages: ages.get(&judge.id).map(Vec::as_slice),
            })
            .collect();
        let pairs =
            jury_assign::assign(&to_assign, &reviewers, per_entry, &mut rand::rng()).map_err(|short| {
                JudgingError::Conflict(Message::Jury(JuryMessage::NoEligibleJudges(short.len())))
            })?;
        db::jury_review::replace_assignments(conn, competition_id, &pairs)?;
        Ok(pairs.len())
    })
}

/// One of the competition's judges, by id.
fn judge_of(conn: &mut DbConnection, competition_id: &str, judge_id: &str) -> Result<Judge, JudgingError> {
    db::jury_panel::judges(conn, competition_id)?
        .into_iter()
        .find(|j| j.id == judge_id)
        .ok_or_else(|| JudgingError::Invalid(Message::Jury(JuryMessage::UnknownJudge(judge_id.to_string()))))
}

/// The organizer gives one entry to one more judge, or takes it away; never to a judge of the
/// entry's own organization.
pub fn set_assignment(
    conn: &mut DbConnection,
    competition_id: &str,
    judge_id: &str,
    entry_id: &str,
    assigned: bool,
) -> Result<(), JudgingError> {
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        let entry = db::entries::find(conn, entry_id).map_err(|_| JudgingError::NotFound)?;
        if entry.competition_id != competition_id {
            return Err(JudgingError::NotFound);
        }
        let judge = judge_of(conn, competition_id, judge_id)?;
        if assigned && judge.has_conflict_with(entry.school.as_deref()) {
            return Err(JudgingError::Conflict(Message::ConflictOfInterest));
        }
        db::jury_review::set_assignment(conn, competition_id, &judge.id, &entry.id, assigned)?;
        Ok(())
    })
}

/// A judge's panel as stored: the nominations and age groups they review (empty: every one).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Panel {
    pub nominations: Vec<String>,
    pub age_groups: Vec<String>,
}

/// The judge's panel, used by the next assignment: the nominations they review (none: every
/// nomination) and, when given, the age groups (none: every age group; `None` keeps them).
pub fn set_panel(
    conn: &mut DbConnection,
    competition_id: &str,
    judge_id: &str,
    nominations: &[String],
    age_groups: Option<&[String]>,
) -> Result<Panel, JudgingError> {
    let tidy = |field: &'static str, list: &[String]| {
        let mut list: Vec<String> = list
            .iter()
            .map(|n| normalize_text(n))
            .filter(|n| !n.is_empty())
            .collect();
        list.sort();
        list.dedup();
        match list.len() > 100 || list.iter().any(|n| n.chars().count() > 200) {
            true => Err(invalid(field, "at most 100 names of 1–200 characters")),
            false => Ok(list),
        }
    };
    let nominations = tidy("nominations", nominations)?;
    let age_groups = age_groups.map(|a| tidy("age_groups", a)).transpose()?;
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        let judge = judge_of(conn, competition_id, judge_id)?;
        db::jury_review::set_panel(conn, &judge.id, &nominations)?;
        if let Some(ages) = &age_groups {
            db::jury_review::set_age_panel(conn, &judge.id, ages)?;
        }
        let age_groups = db::jury_review::age_panels(conn, competition_id)?
            .remove(&judge.id)
            .unwrap_or_default();
        Ok(Panel {
            nominations: nominations.clone(),
            age_groups,
        })
    })
}

/// The entries a judge reviews: `None` when nothing is assigned (every judge reviews everything).
pub(super) fn visible_to(
    conn: &mut DbConnection,
    judge: &Judge,
) -> Result<Option<HashSet<String>>, JudgingError> {
    let pairs = db::jury_review::assignments(conn, &judge.competition_id)?;
    if pairs.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        pairs
            .into_iter()
            .filter(|(j, _)| *j == judge.id)
            .map(|(_, e)| e)
            .collect(),
    ))
}

/// Refuses a sheet for an entry the organizer gave to other judges.
pub(super) fn ensure_assigned(
    conn: &mut DbConnection,
    judge: &Judge,
    entry_id: &str,
) -> Result<(), JudgingError> {
    match visible_to(conn, judge)? {
        Some(mine) if !mine.contains(entry_id) => {
            Err(JudgingError::Conflict(Message::Jury(JuryMessage::NotAssigned)))
        }
        _ => Ok(()),
    }
}

/// Which (judge, entry) sheets are complete: every criterion scored.
pub(super) fn complete_sheets(criteria: usize, marks: &[Mark]) -> HashSet<(String, String)> {
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    for m in marks {
        *counts
            .entry((m.judge_id.as_str(), m.entry_id.as_str()))
            .or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(_, n)| criteria > 0 && *n >= criteria)
        .map(|((j, e), _)| (j.to_string(), e.to_string()))
        .collect()
}

/// With assignments, only the assigned judges' marks count (a judge moved off an entry leaves no
/// score behind it); gives the marks that count and the entries still waiting for an assigned judge.
pub(super) fn counted_marks(
    conn: &mut DbConnection,
    competition_id: &str,
    criteria: usize,
    marks: Vec<Mark>,
) -> Result<(Vec<Mark>, HashSet<String>), JudgingError> {
    let pairs = db::jury_review::assignments(conn, competition_id)?;
    if pairs.is_empty() {
        // Every judge scores every entry; only a returned entry's next round can be incomplete.
        let pending = super::revision::waiting(conn, competition_id, criteria, &marks)?;
        return Ok((marks, pending));
    }
    let assigned: HashSet<(String, String)> = pairs.into_iter().collect();
    let marks: Vec<Mark> = marks
        .into_iter()
        .filter(|m| assigned.contains(&(m.judge_id.clone(), m.entry_id.clone())))
        .collect();
    let complete = complete_sheets(criteria, &marks);
    let mut pending: HashSet<String> = assigned
        .into_iter()
        .filter(|pair| !complete.contains(pair))
        .map(|(_, entry)| entry)
        .collect();
    pending.extend(super::revision::waiting(conn, competition_id, criteria, &marks)?);
    Ok((marks, pending))
}

/// One judge's work as the organizer follows it.
#[derive(Debug, Clone, Serialize)]
pub struct JudgeProgress {
    pub judge_id: String,
    pub name: String,
    pub organization: String,
    pub assigned: usize,
    pub scored: usize,
    /// The nominations of the judge's panel; empty: every nomination.
    pub panel: Vec<String>,
    /// The age groups of the judge's panel; empty: every age group.
    pub age_panel: Vec<String>,
}

/// The organizer's view of the review: each judge's progress and who reviews each entry.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewBoard {
    pub blind: bool,
    /// Whether entries are assigned (else every judge reviews every entry).
    pub assigned: bool,
    pub judges: Vec<JudgeProgress>,
    /// Entry id → the judges who review it.
    pub reviewers: BTreeMap<String, Vec<String>>,
}

pub fn progress(conn: &mut DbConnection, competition_id: &str) -> Result<ReviewBoard, JudgingError> {
    let judges = db::jury_panel::judges(conn, competition_id)?;
    let entries = db::entries::list(conn, competition_id)?;
    let criteria = db::jury::criteria(conn, competition_id)?.len();
    let complete = complete_sheets(criteria, &db::jury::marks(conn, competition_id)?);
    let pairs = db::jury_review::assignments(conn, competition_id)?;
    let mut panels = db::jury_review::panels(conn, competition_id)?;
    let mut ages = db::jury_review::age_panels(conn, competition_id)?;
    let assigned = !pairs.is_empty();
    let pairs: Vec<(String, String)> = match assigned {
        true => pairs,
        // Without assignments each judge reviews every entry but their own organization's.
        false => judges
            .iter()
            .flat_map(|j| {
                entries
                    .iter()
                    .filter(|e| !j.has_conflict_with(e.school.as_deref()))
                    .map(|e| (j.id.clone(), e.id.clone()))
            })
            .collect(),
    };
    let mut reviewers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (judge, entry) in &pairs {
        let slot = counts.entry(judge.as_str()).or_default();
        slot.0 += 1;
        slot.1 += usize::from(complete.contains(&(judge.clone(), entry.clone())));
        if assigned {
            reviewers.entry(entry.clone()).or_default().push(judge.clone());
        }
    }
    Ok(ReviewBoard {
        blind: db::jury_review::is_blind(conn, competition_id)?,
        assigned,
        judges: judges
            .iter()
            .map(|j| {
                let (assigned, scored) = counts.get(j.id.as_str()).copied().unwrap_or_default();
                JudgeProgress {
                    panel: panels.remove(&j.id).unwrap_or_default(),
                    age_panel: ages.remove(&j.id).unwrap_or_default(),
                    judge_id: j.id.clone(),
                    name: j.name.clone(),
                    organization: j.organization.clone(),
                    assigned,
                    scored,
                }
            })
            .collect(),
        reviewers,
    })
}
