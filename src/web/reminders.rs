//! Reminders to late jury members over the API (`crate::reminders`): one judge, or every judge
//! with entries left. Parses and maps errors only.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::domain::{CompetitionId, OrgId};
use crate::reminders::{self, Whom};

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemindRequest {
    /// The judge to remind; absent: every judge with entries left.
    judge_id: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/jury/reminders",
    tag = "jury",
    operation_id = "jury_reminders",
    summary = "Remind late jury members by e-mail: one judge (`judge_id`) or every judge with entries given to them and not scored. The message, in the judge's language (their account's, else the competition's), says how many entries are left and links their review page; it is queued and sent by the mail worker. A judge is reminded at most once in 12 hours; judges added by token only have no address. Each reminder is in the audit log.",
    params(
        ("id" = String, Path, description = "the competition's id"),
    ),
    request_body(content((RemindRequest = "application/json")), description = "`{}` or no body: every late judge"),
    responses(
        (status = 200, description = "who was reminded now, and (asking for all) who was left out and why", content((reminders::Reminders = "application/json"))),
        (status = 404, description = "no such competition of this organization, or no such judge of it"),
        (status = 409, description = "the judge cannot be reminded now: reminded within 12 hours (the message says when the next may go), no account with an address, or nothing left to score; or mail is not configured", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn remind(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // No body at all means everyone late; a body must say what it means.
    let request: RemindRequest = match body.iter().all(u8::is_ascii_whitespace) {
        true => RemindRequest::default(),
        false => serde_json::from_slice(&body)
            .map_err(|e| super::competitions::invalid("judge_id", e.to_string()))?,
    };
    let whom = match request.judge_id {
        Some(judge) => Whom::Judge(judge),
        None => Whom::AllLate,
    };
    let done = remind_as(&state, &organizer, path.into_inner(), whom).await?;
    Ok(HttpResponse::Ok().json(done))
}

/// The service on the blocking pool, waking the mail worker when something was queued: for the
/// API and the review page.
pub async fn remind_as(
    state: &AppState,
    organizer: &Organizer,
    competition_id: String,
    whom: Whom,
) -> Result<reminders::Reminders, ApiError> {
    let organization_id = OrgId::from(organizer.organization_id.clone());
    let actor = organizer.actor.clone();
    let competition_id = CompetitionId::from(competition_id);
    let mail_on = state.mail.is_on();
    let done = state
        .db
        .run(move |conn| reminders::remind(conn, mail_on, &organization_id, &actor, &competition_id, whom))
        .await?;
    if !done.reminded.is_empty() {
        state.mail.notify();
    }
    Ok(done)
}
