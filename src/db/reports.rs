//! What the reports count, read in as few queries as a period needs: the entries of the period's
//! competitions (only the columns counted), documents grouped by competition, kind and status,
//! e-mail deliveries and verification scans.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::documents::dsl as d;
use super::schema::entries::dsl as e;
use super::{DbConnection, DbError};

/// An entry as the report counts it.
#[derive(Debug, Clone, Queryable)]
pub struct CountedEntry {
    pub competition_id: String,
    pub holder: String,
    pub team_members: Option<String>,
    pub school: Option<String>,
    pub region: Option<String>,
    pub settlement_type: Option<String>,
    pub age_group: Option<String>,
    pub award: String,
    pub birth_date: Option<String>,
    pub hours: Option<i32>,
}

/// Ids are asked for a page at a time: a bound-parameter list has its limits on both backends.
const PAGE: usize = 500;

pub fn entries_of(conn: &mut DbConnection, competitions: &[String]) -> Result<Vec<CountedEntry>, DbError> {
    let mut out = Vec::new();
    for page in competitions.chunks(PAGE) {
        out.extend(
            e::entries
                .filter(e::competition_id.eq_any(page))
                .select((
                    e::competition_id,
                    e::holder_name,
                    e::team_members,
                    e::school,
                    e::region,
                    e::settlement_type,
                    e::age_group,
                    e::award,
                    e::birth_date,
                    e::hours,
                ))
                .load::<CountedEntry>(conn)?,
        );
    }
    Ok(out)
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
        let ids: Vec<String> = od::outbox_documents
            .inner_join(o::outbox.on(o::id.eq(od::message_id)))
            .filter(o::competition_id.eq_any(page))
            .filter(o::state.eq("sent"))
            .select(od::document_id)
            .distinct()
            .load(conn)?;
        total += ids.len() as i64;
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
