//! The review's settings and state by API: blind review, entries assigned to judges (random and
//! by hand), each judge's progress, and the ranking as it stands with what the chair should look
//! at. Parsing and answers only; the rules are in `crate::judging`.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::jury::owned;
use super::{ApiError, AppState};
use crate::db::DbConnection;
use crate::judging::{self, JudgingError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlindRequest {
    blind: bool,
}

/// Blind review on or off: judges see entry numbers and works, never names.
pub async fn set_blind(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<BlindRequest>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let blind = body.blind;
    state
        .db
        .run(move |conn| judging::set_blind(conn, &competition_id, blind))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "blind": blind })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    judges_per_entry: u32,
}

/// Each entry to N judges at random with even loads, never to a judge of its own organization.
pub async fn assign(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let per_entry = body.judges_per_entry;
    let id = competition_id.clone();
    state
        .db
        .run(move |conn| judging::assign(conn, &id, per_entry))
        .await?;
    answer(&state, competition_id, judging::progress).await
}

/// What a service reads of one of the organizer's competitions, as JSON.
async fn answer<T: Serialize + Send + 'static>(
    state: &AppState,
    competition_id: String,
    read: fn(&mut DbConnection, &str) -> Result<T, JudgingError>,
) -> Result<HttpResponse, ApiError> {
    let value = state.db.run(move |conn| read(conn, &competition_id)).await?;
    Ok(HttpResponse::Ok().json(value))
}

/// Each judge's progress and who reviews each entry.
pub async fn board(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    answer(&state, competition_id, judging::progress).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentChange {
    judge_id: String,
    assigned: bool,
}

/// One entry given to one more judge, or taken away.
pub async fn set_assignment(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
    body: web::Json<AssignmentChange>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, entry_id) = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let AssignmentChange { judge_id, assigned } = body.into_inner();
    let reply = serde_json::json!({"entry_id": entry_id, "judge_id": judge_id, "assigned": assigned});
    state
        .db
        .run(move |conn| judging::set_assignment(conn, &competition_id, &judge_id, &entry_id, assigned))
        .await?;
    Ok(HttpResponse::Ok().json(reply))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelRequest {
    nominations: Vec<String>,
}

/// A judge's panel: the nominations they review in the next assignment (none: every nomination).
pub async fn set_panel(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
    body: web::Json<PanelRequest>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, judge_id) = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let nominations = body.into_inner().nominations;
    let panel = state
        .db
        .run(move |conn| judging::set_panel(conn, &competition_id, &judge_id, &nominations))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "nominations": panel })))
}

/// The ranking as it stands, nothing written: bands, ties for the chair, disagreements, and the
/// entries still waiting for an assigned judge.
pub async fn ranking(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    answer(&state, competition_id, judging::ranking_rows).await
}
