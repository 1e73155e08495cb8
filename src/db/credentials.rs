//! Papers' Open Badges credentials kept since they were issued, and their places in their
//! organization's Bitstring Status List (see `crate::credentials`).

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::schema::credential_status::dsl as c;
use super::schema::document_credentials::dsl as k;
use super::schema::documents::dsl as d;
use super::{DbConnection, DbError};
use crate::domain::DocumentStatus;

/// The paper's place in its organization's status list, if it has one yet.
pub fn place_of(conn: &mut DbConnection, document_id: &str) -> Result<Option<i64>, DbError> {
    Ok(c::credential_status
        .filter(c::document_id.eq(document_id))
        .select(c::list_index)
        .get_result(conn)
        .optional()?)
}

/// How many places the organization has handed out.
pub fn places_taken(conn: &mut DbConnection, organization_id: &str) -> Result<i64, DbError> {
    Ok(c::credential_status
        .filter(c::organization_id.eq(organization_id))
        .count()
        .get_result(conn)?)
}

pub fn is_taken(conn: &mut DbConnection, organization_id: &str, place: i64) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        c::credential_status
            .filter(c::organization_id.eq(organization_id))
            .filter(c::list_index.eq(place)),
    ))
    .get_result(conn)?)
}

/// The highest place handed out, if any.
pub fn highest_place(conn: &mut DbConnection, organization_id: &str) -> Result<Option<i64>, DbError> {
    Ok(c::credential_status
        .filter(c::organization_id.eq(organization_id))
        .select(diesel::dsl::max(c::list_index))
        .get_result(conn)?)
}

/// Which of `places` the organization has handed out.
pub fn taken_among(
    conn: &mut DbConnection,
    organization_id: &str,
    places: &[i64],
) -> Result<HashSet<i64>, DbError> {
    let mut taken = HashSet::new();
    for part in places.chunks(QUERY_CHUNK) {
        taken.extend(
            c::credential_status
                .filter(c::organization_id.eq(organization_id))
                .filter(c::list_index.eq_any(part))
                .select(c::list_index)
                .load::<i64>(conn)?,
        );
    }
    Ok(taken)
}

/// Bound parameters a statement is given at most here, well under both backends' limits.
const QUERY_CHUNK: usize = 1000;

#[derive(Insertable)]
#[diesel(table_name = super::schema::credential_status)]
struct PlaceRow<'a> {
    document_id: &'a str,
    organization_id: &'a str,
    list_index: i64,
}

/// Records the places of papers being issued, `(document id, place)`.
pub fn insert_places(
    conn: &mut DbConnection,
    organization_id: &str,
    placed: &[(String, i64)],
) -> Result<(), DbError> {
    let rows: Vec<PlaceRow<'_>> = placed
        .iter()
        .map(|(document_id, place)| PlaceRow {
            document_id,
            organization_id,
            list_index: *place,
        })
        .collect();
    crate::insert_rows!(conn, c::credential_status, &rows);
    Ok(())
}

pub fn insert_place(
    conn: &mut DbConnection,
    organization_id: &str,
    document_id: &str,
    place: i64,
) -> Result<(), DbError> {
    diesel::insert_into(c::credential_status)
        .values((
            c::document_id.eq(document_id),
            c::organization_id.eq(organization_id),
            c::list_index.eq(place),
        ))
        .execute(conn)?;
    Ok(())
}

/// The places of the organization's papers that are no longer valid (revoked or superseded), and
/// the highest place handed out (the list must be long enough to hold it).
pub fn revoked_places(
    conn: &mut DbConnection,
    organization_id: &str,
) -> Result<(Vec<i64>, Option<i64>), DbError> {
    let revoked = c::credential_status
        .inner_join(d::documents)
        .filter(c::organization_id.eq(organization_id))
        .filter(d::status.eq_any([
            DocumentStatus::Revoked.as_str(),
            DocumentStatus::Superseded.as_str(),
        ]))
        .select(c::list_index)
        .load(conn)?;
    Ok((revoked, highest_place(conn, organization_id)?))
}

#[derive(Insertable)]
#[diesel(table_name = super::schema::document_credentials)]
struct KeptRow<'a> {
    document_id: &'a str,
    credential: &'a str,
}

/// Keeps the credentials made for papers being issued, `(document id, compact JWS)`.
pub fn insert_kept(conn: &mut DbConnection, kept: &[(&str, &str)]) -> Result<(), DbError> {
    let rows: Vec<KeptRow<'_>> = kept
        .iter()
        .map(|&(document_id, credential)| KeptRow {
            document_id,
            credential,
        })
        .collect();
    crate::insert_rows!(conn, k::document_credentials, &rows);
    Ok(())
}

/// The credential kept for a paper, if it was made at issue.
pub fn kept(conn: &mut DbConnection, document_id: &str) -> Result<Option<String>, DbError> {
    Ok(k::document_credentials
        .filter(k::document_id.eq(document_id))
        .select(k::credential)
        .get_result(conn)
        .optional()?)
}

/// The credentials kept for papers (those made at issue), by document id: one query a chunk.
pub fn kept_of(conn: &mut DbConnection, document_ids: &[&str]) -> Result<HashMap<String, String>, DbError> {
    let mut kept = HashMap::with_capacity(document_ids.len());
    for part in document_ids.chunks(QUERY_CHUNK) {
        kept.extend(
            k::document_credentials
                .filter(k::document_id.eq_any(part))
                .select((k::document_id, k::credential))
                .load::<(String, String)>(conn)?,
        );
    }
    Ok(kept)
}
