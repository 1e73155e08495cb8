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

#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "organization",
    operation_id = "audit_list",
    summary = "The organization's audit log, newest first, 100 a page: sign-ins, revocations, re-issues, design changes, downloads of papers and results, people invited, disabled, enabled or given another role, the retention setting and each erasure of personal data. It never holds a password, token or link.",
    params(
        ("before" = Option<String>, Query, description = "the id of the last event seen: the page after it"),
    ),
    responses(
        (status = 200, description = "events, and `before` for the next page (null on the last). object {`events` (required) array of object {`id` (required) string; `at` (required) string; `actor` (required) string: the person's e-mail, `API: <token label>`, or `gramota` (the service itself); `action` (required) string (`signed_in`, `document_revoked`, `document_reissued`, `design_changed`, `exported`, `person_invited`, `person_disabled`, `person_enabled`, `role_changed`, `retention_changed`, `personal_data_erased`, `stage_invitation_made`, `stage_invitation_revoked`, `stage_linked`, `stage_forwarded`, `stage_entry_refused`, `judge_reminded`, `entry_returned`); `subject` (required) string: what was acted on: a serial, a design's name and version, a file and competition, an e-mail, a stage's competitions, a judge's name}; `before` (required) string/null}", content((Object = "application/json"))),
        (status = 401, description = "no or wrong token"),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    get,
    path = "/api/v1/organization/retention",
    tag = "organization",
    operation_id = "audit_retention",
    summary = "How long the personal data of a finished competition is kept",
    responses(
        (status = 200, description = "the setting. object {`days` (required) integer/null minimum 30 maximum 36500: days after a competition's last day (`ends_on`, else `starts_on`) that its personal data is kept; null: kept}", content((Object = "application/json"))),
        (status = 401, description = "no or wrong token"),
    ),
    security(("bearer" = [])),
)]
pub async fn retention(state: web::Data<AppState>, organizer: Organizer) -> Result<HttpResponse, ApiError> {
    let days = state
        .db
        .run(move |conn| crate::retention::setting(conn, &organizer.organization_id))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "days": days })))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRequest {
    /// days after a competition's last day (`ends_on`, else `starts_on`) that its personal data is kept; null: kept
    #[schema(minimum = 30, maximum = 36500)]
    days: Option<u32>,
}

#[utoipa::path(
    put,
    path = "/api/v1/organization/retention",
    tag = "organization",
    operation_id = "audit_set_retention",
    summary = "Set how long the personal data of a finished competition is kept. After it, names become initials, e-mails, phones, birth dates and own columns are erased, the signed records and PDFs deleted; every paper still verifies by its code with the masked name, and the reports' counts stay. Recorded in the audit log.",
    request_body(content((RetentionRequest = "application/json"))),
    responses(
        (status = 200, description = "saved. object {`days` (required) integer/null minimum 30 maximum 36500: days after a competition's last day (`ends_on`, else `starts_on`) that its personal data is kept; null: kept}", content((Object = "application/json"))),
        (status = 400, description = "fewer than 30 or more than 36,500 days"),
        (status = 401, description = "no or wrong token"),
    ),
    security(("bearer" = [])),
)]
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
