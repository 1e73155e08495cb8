//! Counts at a glance for an organization's competitions.

use std::collections::HashMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::competitions::dsl as c;
use super::schema::documents::dsl as d;
use super::schema::entries::dsl as e;
use super::{DbConnection, DbError};
use crate::domain::DocumentStatus;

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub entries: i64,
    pub documents: i64,
    pub revoked: i64,
}

/// Entries, documents and revoked documents per competition of an organization.
pub fn counts(conn: &mut DbConnection, organization_id: &str) -> Result<HashMap<String, Counts>, DbError> {
    let mut counts: HashMap<String, Counts> = HashMap::new();
    let entries: Vec<(String, i64)> = e::entries
        .inner_join(c::competitions)
        .filter(c::organization_id.eq(organization_id))
        .group_by(e::competition_id)
        .select((e::competition_id, count_star()))
        .load(conn)?;
    for (id, n) in entries {
        counts.entry(id).or_default().entries = n;
    }
    let documents: Vec<(String, String, i64)> = d::documents
        .filter(d::organization_id.eq(organization_id))
        .group_by((d::competition_id, d::status))
        .select((d::competition_id, d::status, count_star()))
        .load(conn)?;
    for (id, status, n) in documents {
        let entry = counts.entry(id).or_default();
        entry.documents += n;
        if status == DocumentStatus::Revoked.as_str() {
            entry.revoked += n;
        }
    }
    Ok(counts)
}
