//! `GET /api/v1/persons?q=…` (the organization's persons, found by a part of the name),
//! `GET /api/v1/persons/{id}` (a person's history: competitions, awards, papers with serials and
//! links), `POST /api/v1/persons/{id}/merge {other}` and `POST /api/v1/persons/{id}/split
//! {participations}`. The rules are in `crate::persons`; the pages call the same functions.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::domain::VerificationCode;
use crate::i18n::Message;
use crate::persons::{self, History, PersonError};

#[derive(Deserialize)]
pub struct Search {
    pub q: Option<String>,
}

impl From<PersonError> for ApiError {
    fn from(error: PersonError) -> Self {
        let invalid = |field: &'static str, reason: &str| {
            ApiError::Invalid(Message::InvalidField {
                field,
                reason: reason.into(),
            })
        };
        match error {
            PersonError::NotFound => ApiError::NotFound,
            PersonError::SamePerson => invalid("other", "another person than this one"),
            PersonError::BadChoice => invalid(
                "participations",
                "some of this person's participations, not all of them",
            ),
            PersonError::Db(e) => e.into(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/persons",
    tag = "persons",
    operation_id = "persons_list",
    summary = "The organization's persons (each counted once in the reports), found by a part of the name; at most 100, by name. A person is recognized across rows and competitions by the normalized name with the birth date, else with the school; a team's members each are one.",
    params(
        ("q" = Option<String>, Query, description = "a part of the name, any case"),
    ),
    responses(
        (status = 200, description = "persons", content(([crate::db::persons::Person] = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn list(
    state: web::Data<AppState>,
    organizer: Organizer,
    query: web::Query<Search>,
) -> Result<HttpResponse, ApiError> {
    let search = query.into_inner().q.unwrap_or_default();
    let found = state
        .db
        .run(move |conn| persons::list(conn, &organizer.organization_id, &search))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// A person's history with each paper's verification link.
#[derive(Serialize)]
pub struct HistoryView {
    #[serde(flatten)]
    pub history: History,
    /// Code → the public verification link printed in its QR code.
    pub links: std::collections::BTreeMap<String, String>,
}

/// The history of the organization's person, for the API and the page.
pub(super) async fn history_of(
    state: &AppState,
    organization_id: String,
    person_id: String,
) -> Result<HistoryView, ApiError> {
    let history = state
        .db
        .run(move |conn| persons::history(conn, &organization_id, &person_id))
        .await?;
    let public_url = &state.issuance.public_url;
    let links = history
        .participations
        .iter()
        .flat_map(|p| &p.papers)
        .filter_map(|paper| VerificationCode::parse(&paper.code))
        .map(|code| {
            (
                code.as_str().to_string(),
                crate::issuance::verify_url(public_url, &code),
            )
        })
        .collect();
    Ok(HistoryView { history, links })
}

#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}",
    tag = "persons",
    operation_id = "persons_show",
    summary = "A person's history: every competition they took part in (newest first), the award, and the papers issued with serials and verification links.",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "the person and their history. `Person` and object {`participations` array of object {`id` string: the participation's id, for a split; `name` string: the name as this row wrote it; `pinned` boolean: split off by hand: re-imports leave it with this person; `entry_id` string; `competition_id` string; `competition` string; `kind` string; `date` string: the day the competition is counted on; `team` string/null: the team's name when the person was in a team; `school` string/null; `region` string/null; `award` string: award code, e.g. place_1, participant; `award_title` string/null; `winner` boolean; `papers` array of object {`kind` string; `serial` string; `code` string; `status` string}}; `links` object: a paper's code → its public verification link map to string}", content((Object = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = history_of(&state, organizer.organization_id, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// the person who becomes part of this one
    pub other: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/merge",
    tag = "persons",
    operation_id = "persons_merge",
    summary = "Merges another person into this one: their participations and automatic keys move here, so the reports count one person and later rows about either come here; re-imports keep it.",
    params(
        ("id" = String, Path),
    ),
    request_body(content((MergeBody = "application/json"))),
    responses(
        (status = 200, description = "the merged person", content((crate::db::persons::Person = "application/json"))),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// `other` into the person of the path; 200 with the merged person.
pub async fn merge(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<MergeBody>,
) -> Result<HttpResponse, ApiError> {
    let into = path.into_inner();
    let other = body.into_inner().other;
    let person = state
        .db
        .run(move |conn| persons::merge(conn, &organizer.organization_id, &into, &other))
        .await?;
    Ok(HttpResponse::Ok().json(person))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    /// participation ids from the person's history that are someone else
    pub participations: Vec<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/split",
    tag = "persons",
    operation_id = "persons_split",
    summary = "Splits some of this person's participations (not all) off to a new person, pinned there: re-imports leave them with the new person.",
    params(
        ("id" = String, Path),
    ),
    request_body(content((SplitBody = "application/json"))),
    responses(
        (status = 201, description = "the new person", content((crate::db::persons::Person = "application/json"))),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// Some participations to a new person; 201 with the new person.
pub async fn split(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<SplitBody>,
) -> Result<HttpResponse, ApiError> {
    let person = path.into_inner();
    let chosen = body.into_inner().participations;
    let created = state
        .db
        .run(move |conn| persons::split(conn, &organizer.organization_id, &person, &chosen))
        .await?;
    Ok(HttpResponse::Created().json(created))
}
