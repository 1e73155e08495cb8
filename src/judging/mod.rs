//! The jury's work over stored data: scoring, the ranking that follows from the scores, applying
//! it as awards, advancing winners to the next stage, the protocol and its sign-off, and score
//! sheets by upload. Handlers in `web::jury` only parse and answer; the decisions are here, the
//! arithmetic in `domain::jury`, the SQL in `db`.

mod assign;
mod protocol;
mod review;
mod revision;
mod ties;
mod upload;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::jury::{
    self, Candidate, Criterion, Judge, JuryRules, Points, Ranked, Score, SignOff, Tenths,
};
use crate::domain::time::now_rfc3339;
use crate::domain::{ApiToken, EntryDraft, StoredEntry};
use crate::i18n::{JuryMessage, Message};
use crate::intake::RowError;

pub use assign::{assign, progress, set_assignment, set_panel, JudgeProgress, Panel, ReviewBoard};
pub use protocol::{protocol, protocol_file, ProtocolFile, ProtocolFormat};
pub use review::{desk, set_blind, work_for_person, Desk, EntryForJudge, WorkForJudge};
pub use revision::{
    return_for_revision, revision_received, rounds_by_entry, rounds_for_applicant, EarlierLine, EntryRound,
    Returned, RoundForApplicant,
};
pub use ties::{decide_tie, ties, Tie, TiedEntry};
pub use upload::{upload_scores, SheetOwner, UploadReport};

#[derive(Debug, thiserror::Error)]
pub enum JudgingError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("not found")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Message),
    #[error("refused: {0:?}")]
    Conflict(Message),
    #[error("the score sheet has {} problem(s)", .0.len())]
    Sheet(Vec<RowError>),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
}

impl From<diesel::result::Error> for JudgingError {
    fn from(e: diesel::result::Error) -> Self {
        JudgingError::Db(DbError::Query(e))
    }
}

fn invalid(field: &'static str, reason: impl Into<String>) -> JudgingError {
    JudgingError::Invalid(Message::InvalidField {
        field,
        reason: reason.into(),
    })
}

/// The jury's ranking of a competition's entries, with the entries themselves.
pub struct Ranking {
    pub ranked: Vec<Ranked>,
    pub entries: Vec<StoredEntry>,
    /// Entries some assigned judge has not scored yet: their scores are not final.
    pub pending: HashSet<String>,
    /// The entries ever returned for revision, with the round they are in.
    pub rounds: HashMap<String, EntryRound>,
}

/// Ranks the entries from the stored scores, ties the rule left in the chair's order where the
/// chair gave one; nothing is written.
pub fn ranking(conn: &mut DbConnection, competition_id: &str) -> Result<Ranking, JudgingError> {
    let chair_order = db::jury_panel::chair_order(conn, competition_id)?;
    ranking_with(conn, competition_id, &chair_order)
}

/// [`ranking`] with the chair's order given (empty: ties stay ties).
fn ranking_with(
    conn: &mut DbConnection,
    competition_id: &str,
    chair_order: &HashMap<String, u32>,
) -> Result<Ranking, JudgingError> {
    let criteria = db::jury::criteria(conn, competition_id)?;
    if criteria.is_empty() {
        return Err(JudgingError::Conflict(Message::NoCriteria));
    }
    let rules = db::jury::rules(conn, competition_id)?;
    let entries = db::entries::list(conn, competition_id)?;
    let outside: HashSet<String> = db::jury_panel::out_of_competition(conn, competition_id)?
        .into_iter()
        .collect();
    let marks = db::jury::marks(conn, competition_id)?;
    let (marks, pending) = assign::counted_marks(conn, competition_id, criteria.len(), marks)?;
    let totals = jury::judge_totals(&criteria, &marks);
    let ties = jury::criterion_scores(&criteria, &rules, &marks);
    let candidates: Vec<Candidate> = entries
        .iter()
        .map(|e| Candidate {
            entry_id: e.id.clone(),
            group: (e.nomination.clone(), e.age_group.clone()),
            out_of_competition: outside.contains(&e.id),
        })
        .collect();
    Ok(Ranking {
        ranked: jury::rank_with_ties(&criteria, &rules, &candidates, &totals, &ties, chair_order),
        entries,
        pending,
        rounds: revision::rounds_by_entry(conn, competition_id)?,
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RankingRow {
    pub entry_id: String,
    pub holder: String,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    #[schema(value_type = Option<f64>)]
    pub score: Option<Score>,
    pub place: Option<u32>,
    pub award: String,
    pub out_of_competition: bool,
    /// The organizer's band (by its label) the score falls in.
    pub band: Option<String>,
    /// Equal even after the tie rule: the chair decides.
    pub chair_decides: bool,
    /// The judges' totals differ by more than the organizer's spread.
    pub disagreement: bool,
    /// An assigned judge has not scored it yet, or it waits for its revised work.
    pub waiting: bool,
    /// The round of its review, from 1 (above 1: it was returned for revision).
    pub round: u32,
    /// Returned for revision, the revised work not in yet.
    pub awaiting_revision: bool,
}

/// The ranking as rows for the organizer, nothing written.
pub fn ranking_rows(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<RankingRow>, JudgingError> {
    let ranking = ranking(conn, competition_id)?;
    Ok(rows_of(ranking))
}

fn rows_of(ranking: Ranking) -> Vec<RankingRow> {
    let Ranking {
        ranked,
        entries,
        pending,
        rounds,
    } = ranking;
    let holders: HashMap<&str, &str> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.holder.as_str()))
        .collect();
    ranked
        .into_iter()
        .map(|r| RankingRow {
            holder: holders
                .get(r.entry_id.as_str())
                .copied()
                .unwrap_or_default()
                .to_string(),
            nomination: r.group.0,
            age_group: r.group.1,
            score: r.score,
            place: r.place,
            award: r.award.code(),
            out_of_competition: r.out_of_competition,
            band: r.band,
            chair_decides: r.chair_decides,
            disagreement: r.disagreement,
            waiting: pending.contains(&r.entry_id),
            round: rounds.get(&r.entry_id).map_or(1, |x| x.round),
            awaiting_revision: rounds.get(&r.entry_id).is_some_and(|x| x.awaiting_revision),
            entry_id: r.entry_id,
        })
        .collect()
}

/// Computes the ranking from the stored scores and writes every entry's award; refused while an
/// assigned judge has not scored.
pub fn apply_results(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<RankingRow>, JudgingError> {
    write_transaction(conn, |conn| {
        if !db::documents::entries_with_documents(conn, competition_id)?.is_empty() {
            return Err(JudgingError::Conflict(Message::AlreadyIssued));
        }
        let ranking = ranking(conn, competition_id)?;
        if !ranking.pending.is_empty() {
            return Err(JudgingError::Conflict(Message::Jury(
                JuryMessage::WaitingForScores(ranking.pending.len()),
            )));
        }
        let awards: Vec<_> = ranking
            .ranked
            .iter()
            .map(|r| (r.entry_id.clone(), r.award))
            .collect();
        db::entries::set_awards(conn, &awards)?;
        // The participations carry their entries' awards for the reports.
        let competition = db::competitions::find(conn, competition_id)?;
        crate::persons::assign(conn, &competition.organization_id, competition_id)?;
        Ok(rows_of(ranking))
    })
}

/// Who of the previous stage advances.
#[derive(Debug, Clone, Copy)]
pub enum Advance {
    /// The best N of each nomination and age group (a tie for N-th advances all).
    Top(u32),
    /// Everyone whose final score is at least this.
    MinScore(f64),
}

/// The winners of the previous stage become this stage's entries (awards start again from
/// nothing); entries out of competition do not advance. Gives the holders who advanced.
pub fn advance(
    conn: &mut DbConnection,
    organization_id: &str,
    next_id: &str,
    rule: Advance,
) -> Result<Vec<String>, JudgingError> {
    write_transaction(conn, |conn| {
        let next = db::competitions::find_owned(conn, organization_id, next_id)?;
        let Some(previous) = next.details.previous_stage.clone() else {
            return Err(invalid("previous_stage", "this competition is not a next stage"));
        };
        if db::entries::count(conn, &next.id)? > 0 {
            return Err(JudgingError::Conflict(Message::StageHasEntries));
        }
        let Ranking { ranked, entries, .. } = ranking(conn, &previous)?;
        let chosen: HashSet<String> = ranked
            .into_iter()
            .filter(|r| !r.out_of_competition)
            .filter(|r| match (rule, r.place, r.score) {
                (Advance::Top(top), Some(place), _) => place <= top,
                (Advance::MinScore(min), _, Some(score)) => score.as_f64() >= min,
                _ => false,
            })
            .map(|r| r.entry_id)
            .collect();
        let drafts: Vec<EntryDraft> = entries
            .into_iter()
            .filter(|e| chosen.contains(&e.id))
            .filter_map(|e| e.into_next_stage())
            .collect();
        db::entries::insert_all(conn, &next.id, &drafts)?;
        crate::persons::assign(conn, organization_id, &next.id)?;
        Ok(drafts.iter().map(|d| d.holder.as_str().to_string()).collect())
    })
}

/// A judge's sheet for one entry as given: points and a remark per criterion (by the criterion's
/// id), and a remark on the whole work.
#[derive(Debug, Default, Clone)]
pub struct SheetInput {
    pub points: HashMap<String, Tenths>,
    pub remarks: HashMap<String, String>,
    pub remark: String,
}

/// The longest remark kept, in characters.
const REMARK_MAX: usize = 4000;

fn clean_remark(text: &str) -> Result<String, JudgingError> {
    let text = text.trim().replace("\r\n", "\n");
    match text.chars().count() > REMARK_MAX {
        true => Err(invalid("remark", format!("at most {REMARK_MAX} characters"))),
        false => Ok(text),
    }
}

/// Checks a judge's sheet against the criteria: every criterion once, each within its maximum and
/// on its step, remarks only on known criteria.
fn check_sheet(
    criteria: &[Criterion],
    sheet: &SheetInput,
) -> Result<Vec<(String, Points, String)>, JudgingError> {
    let known = |id: &String| criteria.iter().any(|c| &c.id == id);
    if let Some(unknown) = sheet
        .points
        .keys()
        .chain(sheet.remarks.keys())
        .find(|id| !known(id))
    {
        return Err(invalid("criterion_id", format!("unknown criterion {unknown}")));
    }
    criteria
        .iter()
        .map(|c| {
            let given = *sheet
                .points
                .get(&c.id)
                .ok_or_else(|| invalid("criterion_id", format!("no points for «{}»", c.name)))?;
            let points = Points::new(given, c.max_points, c.step).ok_or_else(|| {
                invalid(
                    "points",
                    format!(
                        "«{}»: 0–{}, step {}",
                        c.name,
                        c.max_points.get(),
                        Tenths::new(c.step.tenths())
                    ),
                )
            })?;
            let remark = clean_remark(sheet.remarks.get(&c.id).map_or("", String::as_str))?;
            Ok((c.id.clone(), points, remark))
        })
        .collect()
}

/// Scores may change until the chair signs the protocol off.
fn ensure_open(conn: &mut DbConnection, competition_id: &str) -> Result<(), JudgingError> {
    match db::jury_panel::sign_off(conn, competition_id)? {
        Some(_) => Err(JudgingError::Conflict(Message::Jury(JuryMessage::SignedOff))),
        None => Ok(()),
    }
}

/// Replaces the criteria; refused once anything was scored against them.
pub fn set_criteria(
    conn: &mut DbConnection,
    competition_id: &str,
    criteria: &[Criterion],
) -> Result<(), JudgingError> {
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        if db::jury::has_scores(conn, competition_id)?
            || db::review_rounds::has_past_scores(conn, competition_id)?
        {
            return Err(JudgingError::Conflict(Message::CriteriaLocked));
        }
        db::jury::replace_criteria(conn, competition_id, criteria)?;
        // A tie rule naming a criterion that is gone names nothing.
        let mut rules = db::jury::rules(conn, competition_id)?;
        if rules.tie_break.take().is_some() {
            db::jury::save_rules(conn, competition_id, &rules)?;
        }
        Ok(())
    })
}

/// How scores become awards (places, degrees or the organizer's bands, a pass threshold, the tie
/// rule, the spread that flags disagreement); fixed with the scores once the protocol is signed.
pub fn set_rules(
    conn: &mut DbConnection,
    competition_id: &str,
    rules: &JuryRules,
) -> Result<(), JudgingError> {
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        if let Some(tie) = &rules.tie_break {
            if !db::jury::criteria(conn, competition_id)?
                .iter()
                .any(|c| c.id == tie.criterion_id)
            {
                return Err(invalid(
                    "tie_break",
                    format!("unknown criterion {}", tie.criterion_id),
                ));
            }
        }
        db::jury::save_rules(conn, competition_id, rules)?;
        Ok(())
    })
}

/// Appoints a judge with a jury token; a signed protocol lists the jury that signed it, so no more.
pub fn create_judge(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
    name: String,
    organization: String,
) -> Result<(Judge, ApiToken), JudgingError> {
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        Ok(db::jury::create_judge(
            conn,
            organization_id,
            competition_id,
            name,
            organization,
        )?)
    })
}

/// Seats a person with a jury account of the organization as a judge, scoring in their own pages;
/// the same rule as [`create_judge`]: no judge joins a signed protocol.
pub fn seat_person(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
    user_id: &str,
    organization: String,
) -> Result<Judge, JudgingError> {
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        let person = db::accounts::find_in_organization(conn, organization_id, user_id)?;
        if person.role != crate::domain::account::Role::Jury {
            return Err(JudgingError::NotFound);
        }
        let (judge, _) =
            db::jury::create_judge(conn, organization_id, competition_id, person.name, organization)?;
        db::jury::assign_user(conn, &judge.id, &person.id)?;
        Ok(judge)
    })
}

/// Stores a judge's whole sheet for one entry with its remarks, replacing the previous one. Where
/// the organizer assigned entries to judges, only the judge's own.
pub fn score(
    conn: &mut DbConnection,
    judge: &Judge,
    entry_id: &str,
    sheet: &SheetInput,
) -> Result<Vec<(String, Points, String)>, JudgingError> {
    write_transaction(conn, |conn| {
        let entry = db::entries::find(conn, entry_id)?;
        if entry.competition_id != judge.competition_id {
            return Err(JudgingError::NotFound);
        }
        ensure_open(conn, &judge.competition_id)?;
        if judge.has_conflict_with(entry.school.as_deref()) {
            return Err(JudgingError::Conflict(Message::ConflictOfInterest));
        }
        let criteria = db::jury::criteria(conn, &judge.competition_id)?;
        if criteria.is_empty() {
            return Err(JudgingError::Conflict(Message::NoCriteria));
        }
        assign::ensure_assigned(conn, judge, entry_id)?;
        if revision::rounds_by_entry(conn, &judge.competition_id)?
            .get(entry_id)
            .is_some_and(|r| r.awaiting_revision)
        {
            return Err(JudgingError::Conflict(Message::Jury(
                JuryMessage::AwaitingRevision,
            )));
        }
        let remark = clean_remark(&sheet.remark)?;
        let sheet = check_sheet(&criteria, sheet)?;
        db::jury::replace_sheet(conn, &judge.id, entry_id, &sheet)?;
        db::jury_review::set_sheet_remark(conn, &judge.id, entry_id, &remark)?;
        Ok(sheet)
    })
}

/// The organizer names the chair; once the protocol is signed the chair stays who signed it.
pub fn name_chair(
    conn: &mut DbConnection,
    competition_id: &str,
    judge_id: &str,
) -> Result<Judge, JudgingError> {
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        let judges = db::jury_panel::judges(conn, competition_id)?;
        let Some(judge) = judges.into_iter().find(|j| j.id == judge_id) else {
            return Err(JudgingError::Invalid(Message::Jury(JuryMessage::UnknownJudge(
                judge_id.to_string(),
            ))));
        };
        db::jury_panel::name_chair(conn, competition_id, &judge.id)?;
        Ok(judge)
    })
}

/// Who chairs the jury and whether the protocol is signed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignOffState {
    pub chair: Option<Judge>,
    pub signed: Option<SignOff>,
}

pub fn sign_off_state(conn: &mut DbConnection, competition_id: &str) -> Result<SignOffState, JudgingError> {
    let judges = db::jury_panel::judges(conn, competition_id)?;
    let named = db::jury_panel::named_chair(conn, competition_id)?;
    Ok(SignOffState {
        chair: jury::chair(&judges, named.as_deref()).cloned(),
        signed: db::jury_panel::sign_off(conn, competition_id)?,
    })
}

/// The chair signs the protocol off: the scores are frozen from then on.
pub fn sign_off(conn: &mut DbConnection, judge: &Judge) -> Result<SignOff, JudgingError> {
    let competition_id = judge.competition_id.as_str();
    write_transaction(conn, |conn| {
        ensure_open(conn, competition_id)?;
        ensure_chair(conn, judge)?;
        if db::jury::criteria(conn, competition_id)?.is_empty() {
            return Err(JudgingError::Conflict(Message::NoCriteria));
        }
        let signed = SignOff {
            judge_id: judge.id.clone(),
            signed_by: judge.name.clone(),
            signed_at: now_rfc3339(),
        };
        db::jury_panel::record_sign_off(conn, competition_id, &signed)?;
        Ok(signed)
    })
}

/// Only the chair (named, else the first judge appointed) may.
fn ensure_chair(conn: &mut DbConnection, judge: &Judge) -> Result<(), JudgingError> {
    let judges = db::jury_panel::judges(conn, &judge.competition_id)?;
    let named = db::jury_panel::named_chair(conn, &judge.competition_id)?;
    match jury::chair(&judges, named.as_deref()).map(|c| &c.id) == Some(&judge.id) {
        true => Ok(()),
        false => Err(JudgingError::Conflict(Message::Jury(JuryMessage::NotChair))),
    }
}

/// Marks an entry as competing out of competition, or back in.
pub fn set_out_of_competition(
    conn: &mut DbConnection,
    competition_id: &str,
    entry_id: &str,
    flag: bool,
) -> Result<(), JudgingError> {
    write_transaction(conn, |conn| {
        let entry = db::entries::find(conn, entry_id)?;
        if entry.competition_id != competition_id {
            return Err(JudgingError::NotFound);
        }
        ensure_open(conn, competition_id)?;
        db::jury_panel::set_out_of_competition(conn, entry_id, flag)?;
        Ok(())
    })
}
