//! The chair's word on ties by API (a jury token): the ties the rule left, and the chair's order
//! for one of them. Parsing and answers only; the rules are in `crate::judging` (`ties`).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::auth::Jury;
use super::{ApiError, AppState};
use crate::judging;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TieOrder {
    /// Every entry of one tie, by id, first first.
    order: Vec<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/jury/ties",
    tag = "jury",
    operation_id = "jury_ties",
    summary = "The ties the rule left for the chair: entries of one nomination and age group equal on the score and on the tie rule's criterion (a judge's jury token; names absent in a blind review)",
    params(
        ("id" = String, Path, description = "the competition's id"),
    ),
    responses(
        (status = 200, description = "the open ties", content((Vec<judging::Tie> = "application/json"))),
        (status = 401, description = "not a jury token"),
        (status = 404, description = "a judge of another competition"),
        (status = 409, description = "no criteria yet", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The ties still left for the chair.
pub async fn ties(
    state: web::Data<AppState>,
    jury: Jury,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let judge = jury.of(&path.into_inner())?;
    let ties = state.db.run(move |conn| judging::ties(conn, &judge)).await?;
    Ok(HttpResponse::Ok().json(ties))
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/jury/ties",
    tag = "jury",
    operation_id = "jury_decide_tie",
    summary = "The chair orders the entries of one tie the rule left; the ranking follows the order while the tie stands as it was, until the protocol is signed",
    params(
        ("id" = String, Path, description = "the competition's id"),
    ),
    request_body(content((TieOrder = "application/json"))),
    responses(
        (status = 200, description = "the ties still open", content((Vec<judging::Tie> = "application/json"))),
        (status = 400, description = "the entries are not exactly the entries of one open tie", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 401, description = "not a jury token"),
        (status = 404, description = "a judge of another competition"),
        (status = 409, description = "not the chair, or the protocol is signed", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The chair decides one tie.
pub async fn decide_tie(
    state: web::Data<AppState>,
    jury: Jury,
    path: web::Path<String>,
    body: web::Json<TieOrder>,
) -> Result<HttpResponse, ApiError> {
    let judge = jury.of(&path.into_inner())?;
    let order = body.into_inner().order;
    let left = state
        .db
        .run(move |conn| {
            judging::decide_tie(conn, &judge, &order)?;
            judging::ties(conn, &judge)
        })
        .await?;
    Ok(HttpResponse::Ok().json(left))
}
