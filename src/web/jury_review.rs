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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlindRequest {
    blind: bool,
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/jury/blind",
    tag = "jury",
    operation_id = "jury_review_set_blind",
    summary = "Blind review on or off: judges see only an entry number and the work, never the name, organization or supervisor",
    params(
        ("id" = String, Path),
    ),
    request_body(content((BlindRequest = "application/json"))),
    responses(
        (status = 200, description = "the setting. object {`blind` boolean}", content((Object = "application/json"))),
        (status = 404, description = "not this organizer's competition", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    #[schema(minimum = 1)]
    judges_per_entry: u32,
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/jury/assignments",
    tag = "jury",
    operation_id = "jury_review_assign",
    summary = "Give each entry to N judges at random, loads differing by at most one, never to a judge of the entry's own organization; replaces earlier assignments",
    params(
        ("id" = String, Path),
    ),
    request_body(content((AssignRequest = "application/json"))),
    responses(
        (status = 200, description = "each judge's progress and each entry's judges. object {`blind` boolean; `assigned` boolean: whether entries are assigned; else every judge reviews every entry; `judges` array of object {`judge_id` string; `name` string; `organization` string; `assigned` integer; `scored` integer; `panel` array: the nominations of the judge's panel; empty: every nomination of string}; `reviewers` object: entry id → the ids of its judges map to array of string}", content((Object = "application/json"))),
        (status = 400, description = "judges_per_entry is 0 or more than the judges", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "no judges, too few judges without a conflict for some entries, or the protocol is signed", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/jury/assignments",
    tag = "jury",
    operation_id = "jury_review_board",
    summary = "Each judge's progress (given, scored) and who reviews each entry",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "the board. object {`blind` boolean; `assigned` boolean: whether entries are assigned; else every judge reviews every entry; `judges` array of object {`judge_id` string; `name` string; `organization` string; `assigned` integer; `scored` integer; `panel` array: the nominations of the judge's panel; empty: every nomination of string}; `reviewers` object: entry id → the ids of its judges map to array of string}", content((Object = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentChange {
    judge_id: String,
    assigned: bool,
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/jury/assignments/{entry_id}",
    tag = "jury",
    operation_id = "jury_review_set_assignment",
    summary = "Give one entry to one more judge, or take it away",
    params(
        ("id" = String, Path),
        ("entry_id" = String, Path),
    ),
    request_body(content((AssignmentChange = "application/json"))),
    responses(
        (status = 200, description = "changed. object {`entry_id` string; `judge_id` string; `assigned` boolean}", content((Object = "application/json"))),
        (status = 400, description = "unknown judge", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 404, description = "no such entry in this competition", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "the judge is from the entry's organization, or the protocol is signed", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelRequest {
    nominations: Vec<String>,
    /// The age groups the judge reviews (empty: every one); absent keeps them as they are.
    #[serde(default)]
    age_groups: Option<Vec<String>>,
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/judges/{judge_id}/panel",
    tag = "jury",
    operation_id = "jury_review_set_panel",
    summary = "A judge's panel: the nominations and age groups whose entries the next assignment may give them (an empty list: every one)",
    params(
        ("id" = String, Path),
        ("judge_id" = String, Path),
    ),
    request_body(content((PanelRequest = "application/json"))),
    responses(
        (status = 200, description = "the panel as stored", content((judging::Panel = "application/json"))),
        (status = 400, description = "unknown judge or too many nominations", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "the protocol is signed", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// A judge's panel: the nominations they review in the next assignment (none: every nomination).
pub async fn set_panel(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
    body: web::Json<PanelRequest>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, judge_id) = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let PanelRequest {
        nominations,
        age_groups,
    } = body.into_inner();
    let panel = state
        .db
        .run(move |conn| {
            judging::set_panel(
                conn,
                &competition_id,
                &judge_id,
                &nominations,
                age_groups.as_deref(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(panel))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/jury/ranking",
    tag = "jury",
    operation_id = "jury_review_ranking",
    summary = "The ranking as it stands, nothing written: place, award, band, and what the chair should look at",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "one row per entry, by group then place. array of object {`entry_id` string; `holder` string; `nomination` string/null; `age_group` string/null; `score` number/null; `place` integer/null; `award` string; `out_of_competition` boolean; `band` string/null: the organizer's band the score falls in; `chair_decides` boolean: equal to another entry even after the tie rule; `disagreement` boolean: the judges' totals differ by more than the spread; `waiting` boolean: an assigned judge has not scored it yet}", content((Object = "application/json"))),
        (status = 409, description = "no criteria yet", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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
