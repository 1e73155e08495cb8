//! Rendered documents read page by page, so a bundle or a re-verification of a national batch never
//! holds more than one page in memory.

use diesel::prelude::*;

use super::documents::to_domain;
use super::models::DocumentRow;
use super::schema::documents::dsl as d;
use super::schema::entries::dsl as e;
use super::{DbConnection, DbError};
use crate::domain::{Document, DocumentStatus};

/// Which rendered documents a page holds.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only valid papers (bundles); otherwise every rendered one (re-verification).
    pub only_valid: bool,
    /// Only the papers of entries from this organization (school, club...); no letters.
    pub organization: Option<String>,
}

/// The next `limit` rendered documents of a competition after serial `after`, in serial order.
pub fn rendered_page(
    conn: &mut DbConnection,
    competition_id: &str,
    selection: &Selection,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Document>, DbError> {
    // Letters of gratitude have no entry: they are in every bundle of the whole competition, and in
    // no organization's (a supervisor's pupils may come from several).
    let mut query = d::documents
        .left_join(e::entries)
        .filter(d::competition_id.eq(competition_id))
        .filter(d::sha256.is_not_null())
        .order(d::serial.asc())
        .limit(limit)
        .select(DocumentRow::as_select())
        .into_boxed();
    if selection.only_valid {
        query = query.filter(d::status.eq(DocumentStatus::Valid.as_str()));
    }
    if let Some(organization) = &selection.organization {
        query = query.filter(e::school.eq(organization.clone()));
    }
    if let Some(after) = after {
        query = query.filter(d::serial.gt(after.to_string()));
    }
    query.load(conn)?.into_iter().map(to_domain).collect()
}

/// The organizations of a competition's valid papers, with how many each has (`None`: entries
/// that name no organization).
pub fn organizations(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<Vec<(Option<String>, i64)>, DbError> {
    Ok(d::documents
        .inner_join(e::entries)
        .filter(d::competition_id.eq(competition_id))
        .filter(d::sha256.is_not_null())
        .filter(d::status.eq(DocumentStatus::Valid.as_str()))
        .group_by(e::school)
        .select((e::school, diesel::dsl::count_star()))
        .order(e::school.asc())
        .load(conn)?)
}
