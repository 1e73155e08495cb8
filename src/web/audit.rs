//! `GET /api/v1/audit`: the organization's audit log, newest first, a page at a time
//! (`?before=<id of the last event seen>`); `GET/PUT /api/v1/organization/retention`: how long the
//! personal data of a finished competition is kept (`{"days": 365}`, or `null` to keep it).

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::i18n::Message;
use crate::retention::{RetentionError, MAX_DAYS, MIN_DAYS};

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    organizer: Organizer,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let before = query.into_inner().before;
    let events = state
        .db
        .run(move |conn| crate::audit::page(conn, &organizer.organization_id, before.as_deref()))
        .await?;
    let next = (events.len() as i64 == crate::audit::PAGE)
        .then(|| events.last().map(|e| e.id.clone()))
        .flatten();
    let events: Vec<_> = events
        .into_iter()
        .map(|e| {
            json!({
                "id": e.id,
                "at": e.at,
                "actor": e.actor.label,
                "action": e.action.as_str(),
                "subject": e.subject,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "events": events, "before": next })))
}

pub async fn retention(state: web::Data<AppState>, organizer: Organizer) -> Result<HttpResponse, ApiError> {
    let days = state
        .db
        .run(move |conn| crate::retention::setting(conn, &organizer.organization_id))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "days": days })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRequest {
    days: Option<u32>,
}

pub async fn set_retention(
    state: web::Data<AppState>,
    organizer: Organizer,
    body: web::Json<RetentionRequest>,
) -> Result<HttpResponse, ApiError> {
    let days = body.into_inner().days;
    set_retention_for(&state, organizer, days).await?;
    Ok(HttpResponse::Ok().json(json!({ "days": days })))
}

/// The one path from a request (API or page) to the retention service.
pub(super) async fn set_retention_for(
    state: &AppState,
    organizer: Organizer,
    days: Option<u32>,
) -> Result<(), ApiError> {
    state
        .db
        .run(move |conn| crate::retention::set(conn, &organizer.organization_id, &organizer.actor, days))
        .await
        .map_err(|e| match e {
            RetentionError::OutOfRange(_) => ApiError::Invalid(Message::InvalidField {
                field: "days",
                reason: format!("{MIN_DAYS}–{MAX_DAYS}"),
            }),
            RetentionError::Db(db) => ApiError::from(db),
            other => ApiError::internal(other),
        })
}
