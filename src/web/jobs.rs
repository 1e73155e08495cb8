use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::competitions::{self, IssueStart};
use crate::db;
use crate::domain::{CompetitionId, Job, JobState, OrgId};
use crate::i18n::Message;

/// The answer to an issue request: the job that does it and where to follow it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IssueQueued {
    job_id: String,
    state: JobState,
    status_url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueQuery {
    /// Also render every earlier document again and check its bytes are unchanged.
    #[serde(default)]
    reverify: bool,
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/issue",
    tag = "issuance",
    operation_id = "jobs_issue",
    summary = "Issue the competition's pending documents in the background (resumable, shared by every gramota process on the database)",
    description = "Only documents not yet rendered are rendered. While a job of the competition is queued or running, the answer is that job. A job whose process dies is taken over by another process (or the restarted one) once its lease runs out (`job_stale_after_seconds`).",
    params(
        ("id" = String, Path),
        ("reverify" = Option<bool>, Query, description = "also render every earlier document again and check it is byte-identical to the stored PDF and its recorded digest (default false)"),
    ),
    responses(
        (status = 202, description = "queued", content((IssueQueued = "application/json"))),
        (status = 409, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 422, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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
    Ok(HttpResponse::Accepted().json(IssueQueued {
        status_url: format!("/api/v1/jobs/{}", job.id),
        job_id: job.id,
        state: job.state,
    }))
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

/// A job as the API shows it: the stored job, where to cancel it, and how many documents each
/// worker rendered.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Job)]
pub struct JobView {
    #[serde(flatten)]
    job: Job,
    cancel_url: String,
    /// documents rendered by each worker (process) that took part
    rendered_by: BTreeMap<String, i64>,
}

fn view(job: Job, rendered_by: Vec<(String, i64)>) -> JobView {
    JobView {
        cancel_url: format!("/api/v1/jobs/{}/cancel", job.id),
        rendered_by: rendered_by.into_iter().collect(),
        job,
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/jobs/{id}",
    tag = "issuance",
    operation_id = "jobs_show",
    summary = "A job's progress",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "job", content((crate::web::jobs::JobView = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    post,
    path = "/api/v1/jobs/{id}/cancel",
    tag = "issuance",
    operation_id = "jobs_cancel",
    summary = "Cancel an active job: its workers stop after the chunk in hand; rendered documents stay, the rest stay pending until the competition is issued again",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "cancelled", content((crate::web::jobs::JobView = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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
