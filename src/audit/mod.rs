//! The audit log as a use-case: the services that revoke, re-issue, change designs, export, sign
//! people in or change who they are record it here, with the actor their caller identified; an
//! organization's admin reads it (page and API) a page at a time.

use crate::db::{self, DbConnection, DbError};
use crate::domain::audit::{Actor, AuditAction, AuditEvent};
use crate::domain::time::now_rfc3339;

/// A subject longer than this is cut: it names a thing, it does not carry it.
const SUBJECT_CHARS: usize = 300;
/// Events on a page of the log.
pub const PAGE: i64 = 100;

/// Records that `actor` did `action` to `subject` in the organization.
pub fn record(
    conn: &mut DbConnection,
    organization_id: &str,
    actor: &Actor,
    action: AuditAction,
    subject: &str,
) -> Result<(), DbError> {
    db::audit::insert(
        conn,
        &AuditEvent {
            id: uuid::Uuid::now_v7().to_string(),
            organization_id: organization_id.to_string(),
            at: now_rfc3339(),
            actor: actor.clone(),
            action,
            subject: subject.chars().take(SUBJECT_CHARS).collect(),
        },
    )
}

/// A page of the organization's log, newest first: the events before `before` (an event's id).
pub fn page(
    conn: &mut DbConnection,
    organization_id: &str,
    before: Option<&str>,
) -> Result<Vec<AuditEvent>, DbError> {
    db::audit::list(conn, organization_id, before, PAGE)
}
