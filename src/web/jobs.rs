use actix_web::{web, HttpResponse};
use serde_json::json;

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::db;
use crate::domain::JobState;
use crate::i18n::Message;
use crate::issuance::check_coverage;

/// Queues the issuing of a competition's documents; the work happens in the background.
pub async fn issue(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let job = queue_issue(&state, organizer.organization_id, path.into_inner()).await?;
    Ok(HttpResponse::Accepted().json(json!({
        "job_id": job.id,
        "state": job.state,
        "status_url": format!("/api/v1/jobs/{}", job.id),
    })))
}

/// Checks the competition can be printed and queues the job that issues its documents.
pub(super) async fn queue_issue(
    state: &AppState,
    org_id: String,
    competition_id: String,
) -> Result<crate::domain::Job, ApiError> {
    let renderer = state.issuance.renderer.clone();
    let job = state
        .db
        .run(move |conn| {
            let competition = db::competitions::find_owned(conn, &org_id, &competition_id)?;
            let organization = db::organizations::find(conn, &org_id)?;
            let entries = db::entries::list(conn, &competition.id)?;
            if entries.is_empty() {
                return Ok(Err(ApiError::Conflict(Message::NothingToIssue)));
            }
            if let Err(gaps) = check_coverage(&renderer, &competition, &organization, &entries) {
                return Ok(Err(ApiError::MissingGlyphs(gaps)));
            }
            db::jobs::create(conn, &org_id, &competition.id, db::jobs::ISSUE, JobState::Queued).map(Ok)
        })
        .await??;
    state.jobs.notify();
    Ok(job)
}

pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let job = state
        .db
        .run(move |conn| db::jobs::find_owned(conn, &organizer.organization_id, &id))
        .await?;
    Ok(HttpResponse::Ok().json(job))
}
