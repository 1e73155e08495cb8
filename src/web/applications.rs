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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
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
