//! Who sits on a jury and in what order, who chairs it, whether the chair signed the protocol off,
//! and which entries compete out of competition.

use diesel::prelude::*;

use super::jury::judge_to_domain;
use super::models::JudgeRow;
use super::schema::chair_ties::dsl as ct;
use super::schema::entries::dsl as e;
use super::schema::judges::dsl as j;
use super::schema::jury_chairs::dsl as ch;
use super::schema::jury_sign_offs::dsl as so;
use super::schema::out_of_competition::dsl as ooc;
use super::{DbConnection, DbError};
use crate::domain::jury::{Judge, SignOff};

/// The judges of a competition in the order they were appointed.
pub fn judges(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<Judge>, DbError> {
    Ok(j::judges
        .filter(j::competition_id.eq(competition_id))
        .order((j::created_at.asc(), j::id.asc()))
        .select(JudgeRow::as_select())
        .load(conn)?
        .into_iter()
        .map(judge_to_domain)
        .collect())
}

/// The judge the organizer named chair, if any.
pub fn named_chair(conn: &mut DbConnection, competition_id: &str) -> Result<Option<String>, DbError> {
    Ok(ch::jury_chairs
        .filter(ch::competition_id.eq(competition_id))
        .select(ch::judge_id)
        .get_result(conn)
        .optional()?)
}

pub fn name_chair(conn: &mut DbConnection, competition_id: &str, judge_id: &str) -> Result<(), DbError> {
    diesel::delete(ch::jury_chairs.filter(ch::competition_id.eq(competition_id))).execute(conn)?;
    diesel::insert_into(ch::jury_chairs)
        .values((ch::competition_id.eq(competition_id), ch::judge_id.eq(judge_id)))
        .execute(conn)?;
    Ok(())
}

pub fn sign_off(conn: &mut DbConnection, competition_id: &str) -> Result<Option<SignOff>, DbError> {
    Ok(so::jury_sign_offs
        .filter(so::competition_id.eq(competition_id))
        .select((so::judge_id, so::signed_by, so::signed_at))
        .first::<(String, String, String)>(conn)
        .optional()?
        .map(|(judge_id, signed_by, signed_at)| SignOff {
            judge_id,
            signed_by,
            signed_at,
        }))
}

pub fn record_sign_off(
    conn: &mut DbConnection,
    competition_id: &str,
    sign_off: &SignOff,
) -> Result<(), DbError> {
    diesel::insert_into(so::jury_sign_offs)
        .values((
            so::competition_id.eq(competition_id),
            so::judge_id.eq(&sign_off.judge_id),
            so::signed_by.eq(&sign_off.signed_by),
            so::signed_at.eq(&sign_off.signed_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The competition's entries that compete out of competition.
pub fn out_of_competition(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<String>, DbError> {
    Ok(ooc::out_of_competition
        .inner_join(e::entries)
        .filter(e::competition_id.eq(competition_id))
        .select(ooc::entry_id)
        .load(conn)?)
}

pub fn set_out_of_competition(conn: &mut DbConnection, entry_id: &str, flag: bool) -> Result<(), DbError> {
    diesel::delete(ooc::out_of_competition.filter(ooc::entry_id.eq(entry_id))).execute(conn)?;
    if flag {
        diesel::insert_into(ooc::out_of_competition)
            .values(ooc::entry_id.eq(entry_id))
            .execute(conn)?;
    }
    Ok(())
}

/// The chair's positions for entries of ties the rule left, by entry.
pub fn chair_order(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<std::collections::HashMap<String, u32>, DbError> {
    let rows: Vec<(String, i32)> = ct::chair_ties
        .filter(ct::competition_id.eq(competition_id))
        .select((ct::entry_id, ct::position))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(entry, position)| Some((entry, u32::try_from(position).ok()?)))
        .collect())
}

/// Records the chair's order for one tie: the entries in order, first first.
pub fn set_chair_order(
    conn: &mut DbConnection,
    competition_id: &str,
    entries: &[String],
    decided_by: &str,
    decided_at: &str,
) -> Result<(), DbError> {
    diesel::delete(ct::chair_ties.filter(ct::entry_id.eq_any(entries))).execute(conn)?;
    for (at, entry) in entries.iter().enumerate() {
        diesel::insert_into(ct::chair_ties)
            .values((
                ct::entry_id.eq(entry),
                ct::competition_id.eq(competition_id),
                ct::position.eq(i32::try_from(at + 1).unwrap_or(i32::MAX)),
                ct::decided_by.eq(decided_by),
                ct::decided_at.eq(decided_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}
