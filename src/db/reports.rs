//! What the reports count, read in as few queries as a period needs: the participations of the
//! period's competitions with their entries' counted columns (streamed, a competition at a time),
//! documents grouped by competition, kind and status, e-mail deliveries and verification scans.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::documents::dsl as d;
use super::schema::entries::dsl as e;
use super::{DbConnection, DbError};

/// Ids are asked for a page at a time: a bound-parameter list has its limits on both backends.
const PAGE: usize = 500;

/// A participation as the report counts it: the person, and what its entry says.
#[derive(Debug, Clone, Queryable)]
pub struct CountedParticipation {
    pub person_id: String,
    /// 0 for the entry's first (or only) person: entry-level figures count there once.
    pub position: i32,
    pub team: bool,
    pub school: Option<String>,
    pub region: Option<String>,
    pub settlement_type: Option<String>,
    pub age_group: Option<String>,
    pub award: String,
}

/// Hands each of a competition's participations to `each` as the database yields them, so a
/// period of a million is never held at once.
pub fn each_participation(
    conn: &mut DbConnection,
    competition_id: &str,
    mut each: impl FnMut(CountedParticipation),
) -> Result<(), DbError> {
    use super::schema::participations::dsl as pa;
    let rows = pa::participations
        .inner_join(e::entries)
        .filter(pa::competition_id.eq(competition_id))
        .select((
            pa::person_id,
            pa::position,
            e::team_members.is_not_null(),
            e::school,
            e::region,
            e::settlement_type,
            e::age_group,
            e::award,
        ))
        .load_iter::<CountedParticipation, diesel::connection::DefaultLoadingMode>(conn)?;
    for row in rows {
        each(row?);
    }
    Ok(())
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

/// Verification scans of these competitions' papers.
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
