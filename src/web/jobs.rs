use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::competitions::{self, IssueStart};
use crate::db;
use crate::domain::{CompetitionId, Job, JobState, OrgId};
use crate::i18n::Message;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueQuery {
    /// Also render every earlier document again and check its bytes are unchanged.
    #[serde(default)]
    reverify: bool,
}

/// Queues the issuing of a competition's documents; the work happens in the background. While a
/// job of the competition is active, asking again answers with that job.
pub async fn issue(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<IssueQuery>,
) -> Result<HttpResponse, ApiError> {
    let job = queue_issue(
        &state,
        organizer.organization_id.into(),
        path.into_inner().into(),
        query.reverify,
    )
    .await?;
    Ok(HttpResponse::Accepted().json(json!({
        "job_id": job.id,
        "state": job.state,
        "status_url": format!("/api/v1/jobs/{}", job.id),
    })))
}

/// `competitions::start_issue` for the service's worker, which it wakes.
pub(super) async fn queue_issue(
    state: &AppState,
    organization_id: OrgId,
    competition_id: CompetitionId,
    reverify: bool,
) -> Result<Job, ApiError> {
    let renderer = state.issuance.renderer.clone();
    let start = IssueStart {
        reverify,
        state: JobState::Queued,
    };
    let job = state
        .db
        .run(move |conn| competitions::start_issue(conn, &renderer, &organization_id, &competition_id, start))
        .await?;
    state.jobs.notify();
    Ok(job)
}

fn view(job: Job, rendered_by: Vec<(String, i64)>) -> serde_json::Value {
    let mut view = json!(job);
    view["cancel_url"] = json!(format!("/api/v1/jobs/{}/cancel", job.id));
    view["rendered_by"] = rendered_by
        .into_iter()
        .map(|(worker, count)| (worker, json!(count)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    view
}

/// The job with its progress, and how many documents each worker rendered.
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (job, workers) = state
        .db
        .run(move |conn| {
            let job = db::jobs::find_owned(conn, &organizer.organization_id, &id)?;
            let workers = db::claims::rendered_by(conn, &job.id)?;
            Ok::<_, crate::db::DbError>((job, workers))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view(job, workers)))
}

/// Cancels an active job: its workers stop after the chunk in hand. Documents already rendered
/// stay valid; the others stay pending until the competition is issued again.
pub async fn cancel(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let cancelled = state
        .db
        .run(move |conn| db::jobs::cancel(conn, &organizer.organization_id, &id))
        .await?;
    let job = cancelled.ok_or(ApiError::Conflict(Message::JobFinished))?;
    Ok(HttpResponse::Ok().json(view(job, Vec::new())))
}
