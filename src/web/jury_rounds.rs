//! Rounds of review by API: the organizer returns a scored entry for revision (its applicant is
//! told and sees the judges' remarks), and marks a revised work received when it came another
//! way. Parsing and answers only; the rules are in `crate::judging` (`revision`).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::domain::{CompetitionId, OrgId};
use crate::judging;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevisionRequest {
    /// What to revise, in the organizer's words to the applicant.
    remark: String,
}

fn ids(organizer: &Organizer, path: (String, String)) -> (OrgId, CompetitionId, String) {
    let (competition, entry) = path;
    (
        OrgId::from(organizer.organization_id.clone()),
        CompetitionId::from(competition),
        entry,
    )
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/entries/{entry_id}/revision",
    tag = "jury",
    operation_id = "jury_return_for_revision",
    summary = "Return a scored entry for revision: its round closes with the judges' sheets kept, the applicant is e-mailed and sees the judges' remarks in their cabinet, and the revised work is scored in the next round by the same judges",
    params(
        ("id" = String, Path, description = "the competition's id"),
        ("entry_id" = String, Path, description = "the entry's id"),
    ),
    request_body(content((RevisionRequest = "application/json"))),
    responses(
        (status = 200, description = "the round closed", content((judging::Returned = "application/json"))),
        (status = 400, description = "no remark, or a remark over 4,000 characters", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 404, description = "not this organizer's competition, or not its entry", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "no judge scored it in this round, it already waits for a revised work, it has papers, or the protocol is signed", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// Returns a scored entry for revision; its next round waits for the revised work.
pub async fn return_for_revision(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
    body: web::Json<RevisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (org, competition, entry) = ids(&organizer, path.into_inner());
    let remark = body.into_inner().remark;
    let actor = organizer.actor.clone();
    let returned = state
        .db
        .run(move |conn| judging::return_for_revision(conn, &org, &competition, &entry, &remark, &actor))
        .await?;
    Ok(HttpResponse::Ok().json(returned))
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/entries/{entry_id}/revision/received",
    tag = "jury",
    operation_id = "jury_revision_received",
    summary = "Mark the revised work of an entry returned for revision received (it came another way than the applicant's cabinet): its next round opens for the judges",
    params(
        ("id" = String, Path, description = "the competition's id"),
        ("entry_id" = String, Path, description = "the entry's id"),
    ),
    responses(
        (status = 200, description = "the round now open", content((judging::EntryRound = "application/json"))),
        (status = 404, description = "not this organizer's competition, or not its entry", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "the entry is not out for revision, or the protocol is signed", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The revised work came: the entry's next round opens.
pub async fn revision_received(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, competition, entry) = ids(&organizer, path.into_inner());
    let round = state
        .db
        .run(move |conn| judging::revision_received(conn, &org, &competition, &entry))
        .await?;
    Ok(HttpResponse::Ok().json(round))
}
