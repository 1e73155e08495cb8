//! What the reports count, read in as few queries as a period needs: the participations of the
//! period's competitions as numbers (the person's, and their entries' keys as `report_keys`
//! numbers them), streamed a competition at a time from one covering index without a join;
//! documents grouped by competition, kind and status, e-mail deliveries and verification scans.
//! The numbers are written with the participations (`persons::assign`), so reading a million
//! takes no string, no join and no hashing.

use std::collections::HashMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::documents::dsl as d;
use super::{DbConnection, DbError};

/// Ids are asked for a page at a time: a bound-parameter list has its limits on both backends.
const PAGE: usize = 500;

/// A participation as the report counts it: numbers only (the person's, and its entry's keys as
/// `report_keys` numbers them, 0 for none), read from one covering index.
#[derive(Debug, Clone, Copy, Queryable)]
pub struct CountedParticipation {
    pub person: i32,
    /// 0 for the entry's first (or only) person: entry-level figures count there once.
    pub position: i32,
    pub team: bool,
    pub award: i32,
    pub region: i32,
    pub settlement: i32,
    pub school: i32,
    pub age_group: i32,
}

/// Hands each of a competition's participations to `each` as the database yields them, so a
/// period of a million is never held at once (PostgreSQL hands a competition's rows at once).
pub fn each_participation(
    conn: &mut DbConnection,
    competition_id: &str,
    mut each: impl FnMut(CountedParticipation),
) -> Result<(), DbError> {
    use super::schema::participations::dsl as pa;
    let rows = pa::participations
        .filter(pa::competition_id.eq(competition_id))
        .select((
            pa::person_number,
            pa::position,
            pa::team,
            pa::award_key,
            pa::region_key,
            pa::settlement_key,
            pa::school_key,
            pa::age_group_key,
        ))
        .load_iter::<CountedParticipation, diesel::connection::DefaultLoadingMode>(conn)?;
    for row in rows {
        each(row?);
    }
    Ok(())
}

/// The organization's highest person number (0 without persons): distinct persons are counted
/// as bits up to it.
pub fn highest_person_number(conn: &mut DbConnection, organization_id: &str) -> Result<i32, DbError> {
    use super::schema::persons::dsl as p;
    Ok(p::persons
        .filter(p::organization_id.eq(organization_id))
        .select(diesel::dsl::max(p::number))
        .get_result::<Option<i32>>(conn)?
        .unwrap_or(0))
}

/// The organization's report keys: (breakdown, value, number).
pub fn keys(conn: &mut DbConnection, organization_id: &str) -> Result<Vec<(String, String, i32)>, DbError> {
    use super::schema::report_keys::dsl as k;
    Ok(k::report_keys
        .filter(k::organization_id.eq(organization_id))
        .select((k::breakdown, k::value, k::number))
        .load(conn)?)
}

/// The numbers of a breakdown's values (none empty), numbering the new ones on from the highest;
/// the caller holds the write transaction.
pub fn key_numbers(
    conn: &mut DbConnection,
    organization_id: &str,
    breakdown: &str,
    values: &[&str],
) -> Result<HashMap<String, i32>, DbError> {
    use super::schema::report_keys::dsl as k;
    let mut known: HashMap<String, i32> = HashMap::new();
    for page in values.chunks(PAGE) {
        known.extend(
            k::report_keys
                .filter(k::organization_id.eq(organization_id))
                .filter(k::breakdown.eq(breakdown))
                .filter(k::value.eq_any(page))
                .select((k::value, k::number))
                .load::<(String, i32)>(conn)?,
        );
    }
    let mut new: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| !known.contains_key(*v))
        .collect();
    if new.is_empty() {
        return Ok(known);
    }
    new.sort_unstable();
    new.dedup();
    super::organizations::lock_for_numbering(conn, organization_id)?;
    let highest: Option<i32> = k::report_keys
        .filter(k::organization_id.eq(organization_id))
        .filter(k::breakdown.eq(breakdown))
        .select(diesel::dsl::max(k::number))
        .get_result(conn)?;
    let rows: Vec<_> = new
        .iter()
        .zip(highest.unwrap_or(0).saturating_add(1)..)
        .map(|(value, number)| {
            known.insert((*value).to_string(), number);
            (
                k::organization_id.eq(organization_id),
                k::breakdown.eq(breakdown),
                k::value.eq(*value),
                k::number.eq(number),
            )
        })
        .collect();
    crate::insert_rows!(conn, k::report_keys, &rows);
    Ok(known)
}

/// (competition, kind, status) → how many documents.
pub fn document_counts(
    conn: &mut DbConnection,
    competitions: &[String],
) -> Result<Vec<(String, String, String, i64)>, DbError> {
    let mut out = Vec::new();
    for page in competitions.chunks(PAGE) {
        out.extend(
            d::documents
                .filter(d::competition_id.eq_any(page))
                .group_by((d::competition_id, d::kind, d::status))
                .select((d::competition_id, d::kind, d::status, count_star()))
                .load::<(String, String, String, i64)>(conn)?,
        );
    }
    Ok(out)
}

/// Documents of these competitions that a message carried to its recipient.
pub fn delivered(conn: &mut DbConnection, competitions: &[String]) -> Result<i64, DbError> {
    use super::schema::outbox::dsl as o;
    use super::schema::outbox_documents::dsl as od;
    let mut total = 0;
    for page in competitions.chunks(PAGE) {
        total += od::outbox_documents
            .inner_join(o::outbox.on(o::id.eq(od::message_id)))
            .filter(o::competition_id.eq_any(page))
            .filter(o::state.eq("sent"))
            .select(diesel::dsl::count(od::document_id).aggregate_distinct())
            .get_result::<i64>(conn)?;
    }
    Ok(total)
}

/// Verification scans of these competitions' papers: the papers are found in documents_report_ids,
/// their scans in scans_document, and no document row is read.
pub fn scans(conn: &mut DbConnection, competitions: &[String]) -> Result<i64, DbError> {
    use super::schema::scans::dsl as s;
    let mut total = 0;
    for page in competitions.chunks(PAGE) {
        total += s::scans
            .inner_join(d::documents.on(d::id.eq(s::document_id)))
            .filter(d::competition_id.eq_any(page))
            .count()
            .get_result::<i64>(conn)?;
    }
    Ok(total)
}
