//! The scan log: every public lookup of a document, with the status it had then.

use diesel::prelude::*;

use super::models::ScanRow;
use super::schema::scans::dsl as s;
use super::{DbConnection, DbError};
use crate::domain::DocumentStatus;

/// A public lookup of a document, as the scan log keeps it: when, and the status it showed.
#[derive(Debug, Clone)]
pub struct Scan {
    pub document_id: String,
    pub scanned_at: String,
    pub status: DocumentStatus,
}

pub fn insert_all(conn: &mut DbConnection, scans: &[Scan]) -> Result<(), DbError> {
    let rows: Vec<ScanRow> = scans
        .iter()
        .map(|scan| ScanRow {
            id: uuid::Uuid::now_v7().to_string(),
            document_id: scan.document_id.clone(),
            scanned_at: scan.scanned_at.clone(),
            status: scan.status.as_str().to_string(),
        })
        .collect();
    crate::insert_rows!(conn, s::scans, &rows);
    Ok(())
}

/// How often a document's QR code was checked (`GET /api/v1/documents/{id}`: `scan_log`).
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ScanSummary {
    pub scans: i64,
    pub last_scanned_at: Option<String>,
    /// Scans made after the document was revoked: someone may be presenting a void paper.
    pub scans_while_revoked: i64,
}

pub fn summary(conn: &mut DbConnection, document_id: &str) -> Result<ScanSummary, DbError> {
    let scans = s::scans
        .filter(s::document_id.eq(document_id))
        .count()
        .get_result(conn)?;
    let last_scanned_at = s::scans
        .filter(s::document_id.eq(document_id))
        .select(diesel::dsl::max(s::scanned_at))
        .first::<Option<String>>(conn)?;
    let scans_while_revoked = s::scans
        .filter(s::document_id.eq(document_id))
        .filter(s::status.eq(DocumentStatus::Revoked.as_str()))
        .count()
        .get_result(conn)?;
    Ok(ScanSummary {
        scans,
        last_scanned_at,
        scans_while_revoked,
    })
}

/// Scan counts and the last scan of several documents at once, for a page of documents.
pub fn summaries(
    conn: &mut DbConnection,
    document_ids: &[String],
) -> Result<std::collections::HashMap<String, (i64, Option<String>)>, DbError> {
    let mut out = std::collections::HashMap::new();
    for page in document_ids.chunks(500) {
        let rows: Vec<(String, i64, Option<String>)> = s::scans
            .filter(s::document_id.eq_any(page))
            .group_by(s::document_id)
            .select((
                s::document_id,
                diesel::dsl::count_star(),
                diesel::dsl::max(s::scanned_at),
            ))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(id, n, last)| (id, (n, last))));
    }
    Ok(out)
}
