//! Returning an entry for revision after the jury's review, and the rounds that follow (issue 23
//! part 5), as regulations write it: «отредактированы согласно указанным замечаниям… на повторную
//! экспертизу».
//!
//! A return closes the entry's round: its sheets are kept as that round's and the next round
//! starts empty. An entry made from an application goes back to the applicant with the
//! organizer's words and the judges' remarks (shown unsigned, "Expert 1", in their cabinet); the
//! revised work they send opens the next round. An entry without an application gets its revised
//! work another way, and the organizer marks it received. The next round is scored by the judges
//! who scored the last one, and the ranking waits until they have; the protocol prints every round.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::{assign, ensure_open, invalid, JudgingError};
use crate::db::application_mail::ApplicationMailKind;
use crate::db::review_rounds::ClosedRound;
use crate::db::{self, write_transaction, DbConnection};
use crate::domain::application::ApplicationState;
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::jury::{Criterion, Mark};
use crate::domain::time::now_rfc3339;
use crate::domain::{Competition, CompetitionId, OrgId};
use crate::export::ProtocolRound;
use crate::i18n::{JuryMessage, Message};

/// What a return for revision did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Returned {
    pub entry_id: String,
    /// The round it closed, from 1; the revised work is scored in the next one.
    pub round: u32,
    /// How many judges' sheets that round kept.
    pub sheets: usize,
    /// The entry came from an application: its applicant is told by e-mail and sees the remarks in
    /// their cabinet. Otherwise the organizer brings the revised work and marks it received.
    pub applicant_told: bool,
}

/// Where an entry's rounds stand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EntryRound {
    /// The round being scored now, from 1.
    pub round: u32,
    /// Returned for revision, the revised work not in yet: nothing to score.
    pub awaiting_revision: bool,
}

/// The organizer returns an entry for revision with their words to the applicant; refused while
/// no judge scored it in this round, while it already waits for a revised work, once it has
/// papers, and once the protocol is signed.
pub fn return_for_revision(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    entry_id: &str,
    remark: &str,
    actor: &Actor,
) -> Result<Returned, JudgingError> {
    let remark = super::clean_remark(remark)?;
    if remark.is_empty() {
        return Err(invalid("remark", "write the applicant what to revise"));
    }
    write_transaction(conn, |conn| {
        let competition = open_entry(conn, organization_id, competition_id, entry_id)?;
        if db::documents::entries_with_documents(conn, &competition.id)?
            .iter()
            .any(|e| e == entry_id)
        {
            return Err(conflict(JuryMessage::EntryHasPapers));
        }
        let closed = db::review_rounds::rounds_of_entry(conn, entry_id)?;
        if closed.last().is_some_and(|r| r.revised_at.is_none()) {
            return Err(conflict(JuryMessage::AwaitingRevision));
        }
        let round = i32::try_from(closed.len() + 1).unwrap_or(i32::MAX);
        let holder = db::entries::find(conn, entry_id)?.holder;
        let now = now_rfc3339();
        let sheets = db::review_rounds::close_round(conn, &competition.id, entry_id, round, &remark, &now)?;
        if sheets == 0 {
            return Err(conflict(JuryMessage::NotReviewedYet));
        }
        let application = db::applications::of_entry(conn, entry_id)?;
        if let Some(application) = &application {
            db::applications::set_state(
                conn,
                &application.id,
                ApplicationState::Revision,
                Some(&remark),
                Some(entry_id),
            )?;
            db::application_mail::enqueue(conn, ApplicationMailKind::Revision, &application.id)?;
        }
        let subject = format!("{holder} · {} · {round}", competition.details.title);
        crate::audit::record(
            conn,
            organization_id.as_str(),
            actor,
            AuditAction::EntryReturned,
            &subject,
        )?;
        Ok(Returned {
            entry_id: entry_id.to_string(),
            round: u32::try_from(round).unwrap_or(0),
            sheets,
            applicant_told: application.is_some(),
        })
    })
}

/// The organizer marks the revised work of an entry without an application received (it came by
/// other means): its next round opens. An applicant's own revision opens it by itself.
pub fn revision_received(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    entry_id: &str,
) -> Result<EntryRound, JudgingError> {
    write_transaction(conn, |conn| {
        open_entry(conn, organization_id, competition_id, entry_id)?;
        let closed = db::review_rounds::rounds_of_entry(conn, entry_id)?;
        let Some(last) = closed.last().filter(|r| r.revised_at.is_none()) else {
            return Err(conflict(JuryMessage::NotInRevision));
        };
        db::review_rounds::mark_revised(conn, entry_id, last.round, &now_rfc3339())?;
        if let Some(application) = db::applications::of_entry(conn, entry_id)? {
            db::applications::set_state(
                conn,
                &application.id,
                ApplicationState::Accepted,
                None,
                Some(entry_id),
            )?;
        }
        Ok(EntryRound {
            round: u32::try_from(closed.len() + 1).unwrap_or(0),
            awaiting_revision: false,
        })
    })
}

/// The organizer's competition of an entry of it, while its protocol is open.
fn open_entry(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    entry_id: &str,
) -> Result<Competition, JudgingError> {
    let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
    if db::entries::find(conn, entry_id)?.competition_id != competition.id {
        return Err(JudgingError::NotFound);
    }
    ensure_open(conn, &competition.id)?;
    Ok(competition)
}

fn conflict(message: JuryMessage) -> JudgingError {
    JudgingError::Conflict(Message::Jury(message))
}

/// Each entry's round as it stands, for the entries that were ever returned.
pub fn rounds_by_entry(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<HashMap<String, EntryRound>, JudgingError> {
    Ok(round_state(&db::review_rounds::rounds(conn, competition_id)?))
}

fn round_state(closed: &[ClosedRound]) -> HashMap<String, EntryRound> {
    let mut by_entry: HashMap<String, EntryRound> = HashMap::new();
    for r in closed {
        let slot = by_entry.entry(r.entry_id.clone()).or_default();
        slot.round = slot.round.max(u32::try_from(r.round).unwrap_or(0) + 1);
        slot.awaiting_revision = r.revised_at.is_none();
    }
    by_entry
}

/// Entries whose current round is not complete: waiting for the revised work, or for one of the
/// judges who scored the last round to score this one. `marks` are the current round's that count.
pub(super) fn waiting(
    conn: &mut DbConnection,
    competition_id: &str,
    criteria: usize,
    marks: &[Mark],
) -> Result<HashSet<String>, JudgingError> {
    let closed = db::review_rounds::rounds(conn, competition_id)?;
    if closed.is_empty() {
        return Ok(HashSet::new());
    }
    let state = round_state(&closed);
    let complete = assign::complete_sheets(criteria, marks);
    let mut reviewers: HashMap<(String, i32), HashSet<String>> = HashMap::new();
    for m in db::review_rounds::past_marks(conn, competition_id)? {
        reviewers
            .entry((m.entry_id, m.round))
            .or_default()
            .insert(m.judge_id);
    }
    Ok(state
        .into_iter()
        .filter(|(entry, s)| {
            let last = i32::try_from(s.round).unwrap_or(i32::MAX) - 1;
            s.awaiting_revision
                || reviewers.get(&(entry.clone(), last)).is_some_and(|judges| {
                    judges
                        .iter()
                        .any(|j| !complete.contains(&(j.clone(), entry.clone())))
                })
        })
        .map(|(entry, _)| entry)
        .collect())
}

/// Every entry's closed rounds, for the protocol: `judges` in the protocol's order.
pub(super) fn past_rounds(
    conn: &mut DbConnection,
    competition_id: &str,
    judges: &[crate::domain::jury::Judge],
    criteria: &[Criterion],
    aggregation: crate::domain::jury::Aggregation,
) -> Result<HashMap<String, Vec<ProtocolRound>>, JudgingError> {
    let closed = db::review_rounds::rounds(conn, competition_id)?;
    if closed.is_empty() {
        return Ok(HashMap::new());
    }
    let weight: HashMap<&str, f64> = criteria.iter().map(|c| (c.id.as_str(), c.weight.get())).collect();
    let criterion_name: HashMap<&str, &str> = criteria
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let judge_name: HashMap<&str, &str> = judges.iter().map(|j| (j.id.as_str(), j.name.as_str())).collect();
    // (entry, round) → judge → (sum, criteria scored); and the remarks in order.
    let mut sums: HashMap<(String, i32), BTreeMap<String, (f64, usize)>> = HashMap::new();
    let mut remarks: HashMap<(String, i32), Vec<String>> = HashMap::new();
    for m in db::review_rounds::past_marks(conn, competition_id)? {
        let key = (m.entry_id.clone(), m.round);
        let slot = sums
            .entry(key.clone())
            .or_default()
            .entry(m.judge_id.clone())
            .or_default();
        slot.0 += m.points.as_f64() * weight.get(m.criterion_id.as_str()).copied().unwrap_or(0.0);
        slot.1 += 1;
        if !m.remark.is_empty() {
            let judge = judge_name.get(m.judge_id.as_str()).copied().unwrap_or_default();
            let criterion = criterion_name
                .get(m.criterion_id.as_str())
                .copied()
                .unwrap_or_default();
            remarks
                .entry(key)
                .or_default()
                .push(format!("{judge} ({criterion}): {}", m.remark));
        }
    }
    for (entry, round, judge, text) in db::review_rounds::past_sheet_remarks(conn, competition_id)? {
        let judge = judge_name.get(judge.as_str()).copied().unwrap_or_default();
        remarks
            .entry((entry, round))
            .or_default()
            .push(format!("{judge}: {text}"));
    }
    let mut by_entry: HashMap<String, Vec<ProtocolRound>> = HashMap::new();
    for r in closed {
        let key = (r.entry_id.clone(), r.round);
        let per_judge = sums.remove(&key).unwrap_or_default();
        let judge_totals: Vec<Option<f64>> = judges
            .iter()
            .map(|j| {
                per_judge
                    .get(&j.id)
                    .filter(|(_, n)| *n >= criteria.len())
                    .map(|(sum, _)| crate::domain::jury::Score::from_points(*sum).as_f64())
            })
            .collect();
        let complete: Vec<f64> = judge_totals.iter().flatten().copied().collect();
        by_entry
            .entry(r.entry_id.clone())
            .or_default()
            .push(ProtocolRound {
                round: u32::try_from(r.round).unwrap_or(0),
                score: aggregation
                    .combine(&complete)
                    .map(|s| crate::domain::jury::Score::from_points(s).as_f64()),
                judge_totals,
                returned: r.remark,
                remarks: remarks.remove(&key).unwrap_or_default(),
            });
    }
    Ok(by_entry)
}

/// A line of a judge's own earlier round: "criterion: 4 — remark", or the remark on the whole work.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EarlierLine {
    pub round: u32,
    pub text: String,
}

/// A judge's own earlier rounds, entry by entry, for the judge to read their earlier points and
/// remarks beside the revised work.
pub(super) fn own_earlier(
    conn: &mut DbConnection,
    competition_id: &str,
    judge: &crate::domain::jury::Judge,
    criteria: &[Criterion],
) -> Result<HashMap<String, Vec<EarlierLine>>, JudgingError> {
    let name: HashMap<&str, &str> = criteria
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let mut lines: BTreeMap<(String, i32), Vec<String>> = BTreeMap::new();
    for m in db::review_rounds::past_marks(conn, competition_id)?
        .into_iter()
        .filter(|m| m.judge_id == judge.id)
    {
        let criterion = name.get(m.criterion_id.as_str()).copied().unwrap_or_default();
        let mut line = format!("{criterion}: {}", m.points);
        if !m.remark.is_empty() {
            line.push_str(" — ");
            line.push_str(&m.remark);
        }
        lines.entry((m.entry_id, m.round)).or_default().push(line);
    }
    for (entry, round, judge_id, text) in db::review_rounds::past_sheet_remarks(conn, competition_id)? {
        if judge_id == judge.id {
            lines.entry((entry, round)).or_default().push(text);
        }
    }
    let mut by_entry: HashMap<String, Vec<EarlierLine>> = HashMap::new();
    for ((entry, round), texts) in lines {
        let round = u32::try_from(round).unwrap_or(0);
        let slot = by_entry.entry(entry).or_default();
        slot.extend(texts.into_iter().map(|text| EarlierLine { round, text }));
    }
    Ok(by_entry)
}

/// A closed round as the applicant reads it in their cabinet: the organizer's words and the
/// judges' remarks, unsigned ("Expert 1" is the same judge throughout one round).
#[derive(Debug, Clone, Serialize)]
pub struct RoundForApplicant {
    pub round: u32,
    pub returned: String,
    pub revised: bool,
    /// (expert's number in the round, the criterion's name or none for the whole work, text).
    pub remarks: Vec<(usize, Option<String>, String)>,
}

/// The closed rounds of the entry an application became, for its cabinet.
pub fn rounds_for_applicant(
    conn: &mut DbConnection,
    competition_id: &str,
    entry_id: &str,
) -> Result<Vec<RoundForApplicant>, crate::db::DbError> {
    let closed = db::review_rounds::rounds_of_entry(conn, entry_id)?;
    if closed.is_empty() {
        return Ok(Vec::new());
    }
    let criteria = db::jury::criteria(conn, competition_id)?;
    let name: HashMap<&str, &str> = criteria
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let marks: Vec<_> = db::review_rounds::past_marks(conn, competition_id)?
        .into_iter()
        .filter(|m| m.entry_id == entry_id)
        .collect();
    let sheets: Vec<_> = db::review_rounds::past_sheet_remarks(conn, competition_id)?
        .into_iter()
        .filter(|(e, ..)| e == entry_id)
        .collect();
    Ok(closed
        .into_iter()
        .map(|r| {
            let mut experts: Vec<&str> = marks
                .iter()
                .filter(|m| m.round == r.round)
                .map(|m| m.judge_id.as_str())
                .collect();
            experts.sort_unstable();
            experts.dedup();
            let number = |judge: &str| experts.iter().position(|j| *j == judge).map_or(0, |i| i + 1);
            let mut remarks: Vec<(usize, Option<String>, String)> = marks
                .iter()
                .filter(|m| m.round == r.round && !m.remark.is_empty())
                .map(|m| {
                    (
                        number(&m.judge_id),
                        name.get(m.criterion_id.as_str()).map(|n| n.to_string()),
                        m.remark.clone(),
                    )
                })
                .collect();
            remarks.extend(
                sheets
                    .iter()
                    .filter(|(_, round, ..)| *round == r.round)
                    .map(|(_, _, judge, text)| (number(judge), None, text.clone())),
            );
            remarks.sort_by_key(|(n, criterion, _)| (*n, criterion.is_none()));
            RoundForApplicant {
                round: u32::try_from(r.round).unwrap_or(0),
                returned: r.remark,
                revised: r.revised_at.is_some(),
                remarks,
            }
        })
        .collect())
}
