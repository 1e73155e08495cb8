//! Rounds of an entry's review, in the database: an entry returned for revision closes its round,
//! and the round's sheets (points with the remark per criterion, the remark on the whole work)
//! move from `scores` and `sheet_remarks` to `past_scores` and `past_sheet_remarks` under the
//! round's number, so the next round starts empty and the protocol can print every round.

use diesel::prelude::*;

use super::schema::past_scores::dsl as ps;
use super::schema::past_sheet_remarks::dsl as pr;
use super::schema::review_rounds::dsl as rr;
use super::schema::scores::dsl as sc;
use super::schema::sheet_remarks::dsl as sr;
use super::{DbConnection, DbError};
use crate::domain::jury::Tenths;

/// A closed round of an entry's review: returned for revision, and whether the revised work came.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = super::schema::review_rounds)]
pub struct ClosedRound {
    pub entry_id: String,
    pub round: i32,
    pub remark: String,
    pub returned_at: String,
    pub revised_at: Option<String>,
}

/// Every closed round of a competition's entries, by entry and round.
pub fn rounds(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<ClosedRound>, DbError> {
    Ok(rr::review_rounds
        .filter(rr::competition_id.eq(competition_id))
        .order((rr::entry_id.asc(), rr::round.asc()))
        .select(ClosedRound::as_select())
        .load(conn)?)
}

/// The entry's closed rounds, the first first.
pub fn rounds_of_entry(conn: &mut DbConnection, entry_id: &str) -> Result<Vec<ClosedRound>, DbError> {
    Ok(rr::review_rounds
        .filter(rr::entry_id.eq(entry_id))
        .order(rr::round.asc())
        .select(ClosedRound::as_select())
        .load(conn)?)
}

#[derive(Insertable)]
#[diesel(table_name = super::schema::past_scores)]
struct PastScoreRow {
    entry_id: String,
    round: i32,
    judge_id: String,
    criterion_id: String,
    competition_id: String,
    tenths: i32,
    remark: String,
}

#[derive(Insertable)]
#[diesel(table_name = super::schema::past_sheet_remarks)]
struct PastRemarkRow {
    entry_id: String,
    round: i32,
    judge_id: String,
    competition_id: String,
    remark: String,
}

/// Closes the entry's current round (`round`, from 1): its sheets move to the past under that
/// number and the return is recorded. Gives how many judges' sheets moved.
pub fn close_round(
    conn: &mut DbConnection,
    competition_id: &str,
    entry_id: &str,
    round: i32,
    remark: &str,
    now: &str,
) -> Result<usize, DbError> {
    let marks: Vec<(String, String, i32, String)> = sc::scores
        .filter(sc::entry_id.eq(entry_id))
        .select((sc::judge_id, sc::criterion_id, sc::tenths, sc::remark))
        .load(conn)?;
    let remarks: Vec<(String, String)> = sr::sheet_remarks
        .filter(sr::entry_id.eq(entry_id))
        .select((sr::judge_id, sr::remark))
        .load(conn)?;
    let mut judges: Vec<&str> = marks.iter().map(|m| m.0.as_str()).collect();
    judges.sort_unstable();
    judges.dedup();
    let moved = judges.len();
    let past: Vec<PastScoreRow> = marks
        .iter()
        .map(|(judge_id, criterion_id, tenths, remark)| PastScoreRow {
            entry_id: entry_id.to_string(),
            round,
            judge_id: judge_id.clone(),
            criterion_id: criterion_id.clone(),
            competition_id: competition_id.to_string(),
            tenths: *tenths,
            remark: remark.clone(),
        })
        .collect();
    crate::insert_rows!(conn, ps::past_scores, &past);
    let past: Vec<PastRemarkRow> = remarks
        .into_iter()
        .map(|(judge_id, remark)| PastRemarkRow {
            entry_id: entry_id.to_string(),
            round,
            judge_id,
            competition_id: competition_id.to_string(),
            remark,
        })
        .collect();
    crate::insert_rows!(conn, pr::past_sheet_remarks, &past);
    diesel::delete(sc::scores.filter(sc::entry_id.eq(entry_id))).execute(conn)?;
    diesel::delete(sr::sheet_remarks.filter(sr::entry_id.eq(entry_id))).execute(conn)?;
    diesel::insert_into(rr::review_rounds)
        .values((
            rr::entry_id.eq(entry_id),
            rr::round.eq(round),
            rr::competition_id.eq(competition_id),
            rr::remark.eq(remark),
            rr::returned_at.eq(now),
        ))
        .execute(conn)?;
    Ok(moved)
}

/// The revised work of the entry's last closed round came: the next round's review may begin.
pub fn mark_revised(conn: &mut DbConnection, entry_id: &str, round: i32, now: &str) -> Result<(), DbError> {
    diesel::update(
        rr::review_rounds
            .filter(rr::entry_id.eq(entry_id))
            .filter(rr::round.eq(round))
            .filter(rr::revised_at.is_null()),
    )
    .set(rr::revised_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// One judge's points on one criterion in a closed round, with the remark beside them.
#[derive(Debug, Clone, PartialEq)]
pub struct PastMark {
    pub entry_id: String,
    pub round: i32,
    pub judge_id: String,
    pub criterion_id: String,
    pub points: Tenths,
    pub remark: String,
}

/// Every judge's points of the competition's closed rounds.
pub fn past_marks(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<PastMark>, DbError> {
    let rows: Vec<(String, i32, String, String, i32, String)> = ps::past_scores
        .filter(ps::competition_id.eq(competition_id))
        .select((
            ps::entry_id,
            ps::round,
            ps::judge_id,
            ps::criterion_id,
            ps::tenths,
            ps::remark,
        ))
        .order((ps::entry_id.asc(), ps::round.asc(), ps::judge_id.asc()))
        .load(conn)?;
    rows.into_iter()
        .map(|(entry_id, round, judge_id, criterion_id, tenths, remark)| {
            if tenths < 0 {
                return Err(DbError::Corrupt(format!("past score of judge {judge_id}")));
            }
            Ok(PastMark {
                entry_id,
                round,
                judge_id,
                criterion_id,
                points: Tenths::new(i64::from(tenths)),
                remark,
            })
        })
        .collect()
}

/// The judges' remarks on whole works in closed rounds: (entry, round, judge, remark).
pub fn past_sheet_remarks(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<Vec<(String, i32, String, String)>, DbError> {
    Ok(pr::past_sheet_remarks
        .filter(pr::competition_id.eq(competition_id))
        .select((pr::entry_id, pr::round, pr::judge_id, pr::remark))
        .order((pr::entry_id.asc(), pr::round.asc(), pr::judge_id.asc()))
        .load(conn)?)
}

/// Whether any round of the competition was closed with sheets in it: the criteria they were
/// scored against stay as they are.
pub fn has_past_scores(conn: &mut DbConnection, competition_id: &str) -> Result<bool, DbError> {
    let count: i64 = ps::past_scores
        .filter(ps::competition_id.eq(competition_id))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}
