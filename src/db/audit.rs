//! The audit log's rows: written as things are done, read newest first a page at a time.

use diesel::prelude::*;

use super::schema::audit_events::dsl as a;
use super::{DbConnection, DbError};
use crate::domain::audit::{Actor, AuditAction, AuditEvent};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = super::schema::audit_events)]
struct AuditRow {
    id: String,
    organization_id: String,
    at: String,
    actor_user_id: Option<String>,
    actor: String,
    action: String,
    subject: String,
}

pub fn insert(conn: &mut DbConnection, event: &AuditEvent) -> Result<(), DbError> {
    diesel::insert_into(a::audit_events)
        .values(AuditRow {
            id: event.id.clone(),
            organization_id: event.organization_id.clone(),
            at: event.at.clone(),
            actor_user_id: event.actor.user_id.clone(),
            actor: event.actor.label.clone(),
            action: event.action.as_str().to_string(),
            subject: event.subject.clone(),
        })
        .execute(conn)?;
    Ok(())
}

/// The organization's events older than `before` (an event id; none: the newest), newest first,
/// at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    organization_id: &str,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEvent>, DbError> {
    let mut query = a::audit_events
        .filter(a::organization_id.eq(organization_id))
        .order(a::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(a::id.lt(before.to_string()));
    }
    query
        .load(conn)?
        .into_iter()
        .map(|row| {
            Ok(AuditEvent {
                action: AuditAction::parse(&row.action)
                    .ok_or_else(|| DbError::Corrupt(format!("audit event {}: action", row.id)))?,
                id: row.id,
                organization_id: row.organization_id,
                at: row.at,
                actor: Actor {
                    user_id: row.actor_user_id,
                    label: row.actor,
                },
                subject: row.subject,
            })
        })
        .collect()
}
