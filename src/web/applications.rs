//! The API of calls and applications: the organizer sets a competition's announcement and form,
//! uploads its rules, reads and decides applications, exports them. The public side is pages
//! (`web::portal`); both call the `applications` services.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::auth::Organizer;
use super::body::read_limited;
use super::documents::exported;
use super::lang::request_lang;
use super::results::{download, ExportFormat};
use super::{ApiError, AppState};
use crate::applications::{self, Filter, Listing};
use crate::db::applications::{StoredApplication, WorkFile};
use crate::domain::application::{ApplicationState, Call, Decision};
use crate::domain::{CompetitionId, OrgId};
use crate::i18n::Message;

/// The rules document (положение) is a PDF of at most this size.
pub const RULES_LIMIT: usize = 20 * 1024 * 1024;

fn org(organizer: &Organizer) -> OrgId {
    OrgId::from(organizer.organization_id.clone())
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/call",
    tag = "applications",
    operation_id = "applications_call",
    summary = "The competition's announcement and application form (defaults when never set)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "the call", content((crate::domain::application::Call = "application/json"))),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
pub async fn call(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = (org(&organizer), CompetitionId::from(path.into_inner()));
    let call = state
        .db
        .run(move |conn| applications::call_of(conn, &org, &id))
        .await?;
    Ok(HttpResponse::Ok().json(call))
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/call",
    tag = "applications",
    operation_id = "applications_set_call",
    summary = "Set the announcement and application form: publish it, the deadline, nominations, age groups, team size, work files and the organizer's own fields",
    params(
        ("id" = String, Path),
    ),
    request_body(content((crate::domain::application::Call = "application/json"))),
    responses(
        (status = 200, description = "the call as stored, new fields with their keys", content((crate::domain::application::Call = "application/json"))),
        (status = 422, description = "a setting out of range"),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
pub async fn set_call(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let call: Call =
        serde_json::from_slice(&body).map_err(|e| ApiError::Invalid(Message::InvalidJson(e.to_string())))?;
    let (org, id) = (org(&organizer), CompetitionId::from(path.into_inner()));
    let saved = state
        .db
        .run(move |conn| applications::save_call(conn, &org, &id, call))
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/call/rules",
    tag = "applications",
    operation_id = "applications_put_rules",
    summary = "Upload the rules document (положение), a PDF of at most 20 MB, shown on the public page",
    params(
        ("id" = String, Path),
    ),
    request_body(content((inline(crate::web::openapi::Binary) = "application/pdf"))),
    responses(
        (status = 204, description = "stored"),
        (status = 413, description = "too large"),
        (status = 422, description = "not a PDF (read from its bytes)"),
    ),
    security(("bearer" = [])),
)]
/// The rules PDF, the request's body; `DELETE` removes it.
pub async fn put_rules(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let pdf = read_limited(&req, payload, RULES_LIMIT).await?;
    let (org, id) = (org(&organizer), CompetitionId::from(path.into_inner()));
    let store = state.works.clone();
    state
        .db
        .run(move |conn| applications::set_rules(conn, &store, &org, &id, Some(&pdf)))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    delete,
    path = "/api/v1/competitions/{id}/call/rules",
    tag = "applications",
    operation_id = "applications_delete_rules",
    summary = "Remove the rules document",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 204, description = "removed"),
    ),
    security(("bearer" = [])),
)]
pub async fn delete_rules(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = (org(&organizer), CompetitionId::from(path.into_inner()));
    let store = state.works.clone();
    state
        .db
        .run(move |conn| applications::set_rules(conn, &store, &org, &id, None))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, Default)]
pub struct FilterQuery {
    pub state: Option<String>,
    pub nomination: Option<String>,
    pub region: Option<String>,
    pub q: Option<String>,
}

impl FilterQuery {
    pub fn filter(&self) -> Result<Filter, ApiError> {
        let state = match self.state.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(ApplicationState::parse(s).ok_or_else(|| {
                super::competitions::invalid("state", "received, returned, accepted or rejected")
            })?),
            None => None,
        };
        let given = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        Ok(Filter {
            state,
            nomination: self.nomination.clone(),
            region: self.region.clone(),
            search: given(&self.q),
        })
    }
}

fn application_json(application: &StoredApplication, files: &[WorkFile]) -> serde_json::Value {
    let mut value = serde_json::to_value(application).unwrap_or_default();
    value["files"] = json!(files
        .iter()
        .map(|f| json!({
            "id": f.id, "field": f.field, "name": f.name, "media_type": f.media_type,
            "size": f.size, "sha256": f.sha256,
            "url": format!("/api/v1/applications/{}/files/{}", f.application_id, f.id),
        }))
        .collect::<Vec<_>>());
    value
}

/// The organizer's table, as the pages show it.
pub async fn listing(
    state: &AppState,
    organizer: &Organizer,
    competition_id: String,
    filter: Filter,
) -> Result<(Listing, Call), ApiError> {
    let (org, id) = (org(organizer), CompetitionId::from(competition_id));
    Ok(state
        .db
        .run(move |conn| {
            let listing = applications::list(conn, &org, &id, &filter)?;
            let call = applications::call_of(conn, &org, &id)?;
            Ok::<_, applications::ApplicationError>((listing, call))
        })
        .await?)
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/applications",
    tag = "applications",
    operation_id = "applications_list",
    summary = "The competition's applications with their works, filtered, and counts by state, nomination and region",
    params(
        ("id" = String, Path),
        ("state" = Option<String>, Query, description = "received, returned, accepted or rejected"),
        ("nomination" = Option<String>, Query, description = "exact nomination"),
        ("region" = Option<String>, Query, description = "exact region"),
        ("q" = Option<String>, Query, description = "words of the name, school or e-mail"),
    ),
    responses(
        (status = 200, description = "{total, by_state, by_nomination, by_region, applications:[…]}", content((Object = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn list(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, ApiError> {
    let (listing, _) = listing(&state, &organizer, path.into_inner(), query.filter()?).await?;
    Ok(HttpResponse::Ok().json(json!({
        "total": listing.total,
        "by_state": listing.by_state,
        "by_nomination": listing.by_nomination,
        "by_region": listing.by_region,
        "applications": listing.applications.iter().map(|(a, f)| application_json(a, f)).collect::<Vec<_>>(),
    })))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/applications.{format}",
    tag = "applications",
    operation_id = "applications_export",
    summary = "The applications as a spreadsheet (xlsx or csv), the organizer's own fields as columns; recorded in the audit log",
    params(
        ("id" = String, Path),
        ("format" = String, Path),
        ("state" = Option<String>, Query, description = "received, returned, accepted or rejected"),
        ("nomination" = Option<String>, Query, description = "exact nomination"),
        ("region" = Option<String>, Query, description = "exact region"),
        ("q" = Option<String>, Query, description = "words of the name, school or e-mail"),
    ),
    responses(
        (status = 200, description = "the file"),
    ),
    security(("bearer" = [])),
)]
/// The applications as a spreadsheet, the organizer's own fields as columns; recorded in the
/// audit log, as every export of personal data is.
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, extension) = path.into_inner();
    let format = ExportFormat::from_extension(&extension)?;
    let lang = request_lang(&req);
    export_table(&state, &organizer, competition_id, query.filter()?, format, lang).await
}

pub(super) async fn export_table(
    state: &AppState,
    organizer: &Organizer,
    competition_id: String,
    filter: Filter,
    format: ExportFormat,
    lang: crate::i18n::Lang,
) -> Result<HttpResponse, ApiError> {
    let (listing, call) = listing(state, organizer, competition_id.clone(), filter).await?;
    let who = Organizer {
        organization_id: organizer.organization_id.clone(),
        actor: organizer.actor.clone(),
    };
    state
        .db
        .run(move |conn| exported(conn, &who, &competition_id, "applications"))
        .await?;
    let pages = state.app_pages.clone();
    let texts = move |key: &str| pages.text(lang, key);
    download(
        &applications::table(&listing, &call, &texts),
        format,
        "applications",
    )
}

#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    operation_id = "applications_show",
    summary = "One application with its works",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "the application", content((Object = "application/json"))),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = (org(&organizer), path.into_inner());
    let (application, files) = state
        .db
        .run(move |conn| applications::find(conn, &org, &id))
        .await?;
    Ok(HttpResponse::Ok().json(application_json(&application, &files)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// `accept`, `return` (for revision, with a remark) or `reject`.
    pub decision: String,
    #[serde(default)]
    pub remark: String,
}

impl DecisionBody {
    pub fn parse(&self) -> Result<Decision, ApiError> {
        match self.decision.as_str() {
            "accept" => Ok(Decision::Accept),
            "return" => Ok(Decision::Return(self.remark.clone())),
            "reject" => Ok(Decision::Reject(self.remark.clone())),
            _ => Err(super::competitions::invalid(
                "decision",
                "accept, return or reject",
            )),
        }
    }
}

/// Decides an application and wakes the mail worker, which tells the applicant.
pub async fn decide_for(
    state: &AppState,
    organizer: &Organizer,
    application_id: String,
    decision: Decision,
) -> Result<StoredApplication, ApiError> {
    let org = org(organizer);
    let decided = state
        .db
        .run(move |conn| applications::decide(conn, &org, &application_id, decision))
        .await?;
    state.mail.notify();
    Ok(decided)
}

#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/decision",
    tag = "applications",
    operation_id = "applications_decide",
    summary = "Accept (it becomes the competition's entry, a participant until the jury or results say more), return for correction with a remark, or reject with the reason; the applicant is told by e-mail",
    params(
        ("id" = String, Path),
    ),
    request_body(content((DecisionBody = "application/json"))),
    responses(
        (status = 200, description = "the application", content((Object = "application/json"))),
        (status = 409, description = "already accepted, or the jury protocol is signed"),
        (status = 422, description = "a return or rejection without words"),
    ),
    security(("bearer" = [])),
)]
pub async fn decide(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<DecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let decision = body.parse()?;
    let decided = decide_for(&state, &organizer, path.into_inner(), decision).await?;
    Ok(HttpResponse::build(StatusCode::OK).json(application_json(&decided, &[])))
}

#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}/files/{file}",
    tag = "applications",
    operation_id = "applications_file",
    summary = "A work file of an application",
    params(
        ("id" = String, Path),
        ("file" = String, Path),
    ),
    responses(
        (status = 200, description = "the file, with the type read from its bytes"),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
pub async fn file(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (_, file) = path.into_inner();
    let org = org(&organizer);
    super::portal::work_response(&state, move |conn| {
        applications::work_file(conn, applications::Reader::Organizer(&org), &file)
    })
    .await
}
