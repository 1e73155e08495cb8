//! Review as experts do it, in the database: whether a competition is reviewed blind, the judges'
//! remarks (per criterion beside the points, and one for the whole sheet), which judge reviews
//! which entry, and the nominations a judge's panel covers.

use diesel::prelude::*;

use super::schema::judge_panel_ages::dsl as pa;
use super::schema::judge_panels::dsl as p;
use super::schema::judges::dsl as j;
use super::schema::jury_assignments::dsl as a;
use super::schema::jury_blind::dsl as b;
use super::schema::scores::dsl as sc;
use super::schema::sheet_remarks::dsl as r;
use super::{DbConnection, DbError};

pub fn is_blind(conn: &mut DbConnection, competition_id: &str) -> Result<bool, DbError> {
    let count: i64 = b::jury_blind
        .filter(b::competition_id.eq(competition_id))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

pub fn set_blind(conn: &mut DbConnection, competition_id: &str, blind: bool) -> Result<(), DbError> {
    diesel::delete(b::jury_blind.filter(b::competition_id.eq(competition_id))).execute(conn)?;
    if blind {
        diesel::insert_into(b::jury_blind)
            .values(b::competition_id.eq(competition_id))
            .execute(conn)?;
    }
    Ok(())
}

/// A judge's remark on an entry: on one criterion, or (`criterion_id: None`) on the whole work.
#[derive(Debug, Clone, PartialEq)]
pub struct Remark {
    pub judge_id: String,
    pub entry_id: String,
    pub criterion_id: Option<String>,
    pub text: String,
}

/// Every remark written in a competition.
pub fn remarks(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<Remark>, DbError> {
    let on_criteria: Vec<(String, String, String, String)> = sc::scores
        .inner_join(j::judges)
        .filter(j::competition_id.eq(competition_id))
        .filter(sc::remark.ne(""))
        .select((sc::judge_id, sc::entry_id, sc::criterion_id, sc::remark))
        .load(conn)?;
    let overall: Vec<(String, String, String)> = r::sheet_remarks
        .inner_join(j::judges)
        .filter(j::competition_id.eq(competition_id))
        .select((r::judge_id, r::entry_id, r::remark))
        .load(conn)?;
    let mut all: Vec<Remark> = on_criteria
        .into_iter()
        .map(|(judge_id, entry_id, criterion_id, text)| Remark {
            judge_id,
            entry_id,
            criterion_id: Some(criterion_id),
            text,
        })
        .collect();
    all.extend(overall.into_iter().map(|(judge_id, entry_id, text)| Remark {
        judge_id,
        entry_id,
        criterion_id: None,
        text,
    }));
    Ok(all)
}

/// The judge's remark on the whole work; an empty one is no remark.
pub fn set_sheet_remark(
    conn: &mut DbConnection,
    judge_id: &str,
    entry_id: &str,
    remark: &str,
) -> Result<(), DbError> {
    diesel::delete(
        r::sheet_remarks
            .filter(r::judge_id.eq(judge_id))
            .filter(r::entry_id.eq(entry_id)),
    )
    .execute(conn)?;
    if !remark.is_empty() {
        diesel::insert_into(r::sheet_remarks)
            .values((
                r::judge_id.eq(judge_id),
                r::entry_id.eq(entry_id),
                r::remark.eq(remark),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The competition's assignments as (judge, entry) pairs; none means every judge reviews every entry.
pub fn assignments(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<(String, String)>, DbError> {
    Ok(a::jury_assignments
        .filter(a::competition_id.eq(competition_id))
        .select((a::judge_id, a::entry_id))
        .order((a::entry_id.asc(), a::judge_id.asc()))
        .load(conn)?)
}

#[derive(Insertable)]
#[diesel(table_name = super::schema::jury_assignments)]
struct AssignmentRow {
    judge_id: String,
    entry_id: String,
    competition_id: String,
}

/// Replaces every assignment of the competition.
pub fn replace_assignments(
    conn: &mut DbConnection,
    competition_id: &str,
    pairs: &[(String, String)],
) -> Result<(), DbError> {
    diesel::delete(a::jury_assignments.filter(a::competition_id.eq(competition_id))).execute(conn)?;
    let rows: Vec<AssignmentRow> = pairs
        .iter()
        .map(|(judge, entry)| AssignmentRow {
            judge_id: judge.clone(),
            entry_id: entry.clone(),
            competition_id: competition_id.to_string(),
        })
        .collect();
    crate::insert_rows!(conn, a::jury_assignments, &rows);
    Ok(())
}

/// Gives the entry to the judge, or takes it away.
pub fn set_assignment(
    conn: &mut DbConnection,
    competition_id: &str,
    judge_id: &str,
    entry_id: &str,
    assigned: bool,
) -> Result<(), DbError> {
    diesel::delete(
        a::jury_assignments
            .filter(a::judge_id.eq(judge_id))
            .filter(a::entry_id.eq(entry_id)),
    )
    .execute(conn)?;
    if assigned {
        diesel::insert_into(a::jury_assignments)
            .values((
                a::judge_id.eq(judge_id),
                a::entry_id.eq(entry_id),
                a::competition_id.eq(competition_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Each judge's panel: the nominations they review, by judge id; a judge absent reviews every one.
pub fn panels(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<std::collections::HashMap<String, Vec<String>>, DbError> {
    let rows: Vec<(String, String)> = p::judge_panels
        .inner_join(j::judges)
        .filter(j::competition_id.eq(competition_id))
        .select((p::judge_id, p::nomination))
        .order((p::judge_id.asc(), p::nomination.asc()))
        .load(conn)?;
    let mut by_judge: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for (judge, nomination) in rows {
        by_judge.entry(judge).or_default().push(nomination);
    }
    Ok(by_judge)
}

/// Replaces a judge's panel; none means every nomination.
pub fn set_panel(conn: &mut DbConnection, judge_id: &str, nominations: &[String]) -> Result<(), DbError> {
    diesel::delete(p::judge_panels.filter(p::judge_id.eq(judge_id))).execute(conn)?;
    for nomination in nominations {
        diesel::insert_into(p::judge_panels)
            .values((p::judge_id.eq(judge_id), p::nomination.eq(nomination)))
            .execute(conn)?;
    }
    Ok(())
}

/// Each judge's age groups, by judge id; a judge absent reviews every age group.
pub fn age_panels(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<std::collections::HashMap<String, Vec<String>>, DbError> {
    let rows: Vec<(String, String)> = pa::judge_panel_ages
        .inner_join(j::judges)
        .filter(j::competition_id.eq(competition_id))
        .select((pa::judge_id, pa::age_group))
        .order((pa::judge_id.asc(), pa::age_group.asc()))
        .load(conn)?;
    let mut by_judge: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for (judge, age_group) in rows {
        by_judge.entry(judge).or_default().push(age_group);
    }
    Ok(by_judge)
}

/// Replaces a judge's age groups; none means every age group.
pub fn set_age_panel(conn: &mut DbConnection, judge_id: &str, age_groups: &[String]) -> Result<(), DbError> {
    diesel::delete(pa::judge_panel_ages.filter(pa::judge_id.eq(judge_id))).execute(conn)?;
    for age_group in age_groups {
        diesel::insert_into(pa::judge_panel_ages)
            .values((pa::judge_id.eq(judge_id), pa::age_group.eq(age_group)))
            .execute(conn)?;
    }
    Ok(())
}
