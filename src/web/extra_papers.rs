//! A competition's extra papers over HTTP: which ones it gives and in whose words
//! (`/competitions/{id}/papers`), the jury's letters of gratitude (`/jury/letters`) and a seminar's
//! attendance (`/entries/{entry_id}/attended`). Parsing and errors only; the rules are in
//! `competitions::papers` and `issuance::jury_letters`, which the pages call too.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::documents::DocumentView;
use super::{ApiError, AppState};
use crate::competitions::extra_papers as papers;
use crate::domain::papers::{PaperSettings, ReasonKind};
use crate::domain::{CompetitionId, OrgId};
use crate::issuance::jury_letters::{issue_jury_letters, JuryLetters};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PapersRequest {
    /// A personal paper for every member of a team besides the team's diploma.
    #[serde(default)]
    pub member_papers: bool,
    /// The organizer's own reason by kind of paper: diploma, certificate, letter, jury_letter,
    /// course, seminar. An empty text (or a kind left out) prints the design's words.
    #[serde(default)]
    pub reasons: BTreeMap<ReasonKind, String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = PaperSettings)]
pub struct PapersView {
    /// a personal paper for every member of a team besides the team's diploma
    member_papers: bool,
    /// the organizer's own reason by kind of paper, printed in place of the design's words; an empty text or a kind left out prints the design's
    reasons: BTreeMap<ReasonKind, String>,
}

impl From<PaperSettings> for PapersView {
    fn from(s: PaperSettings) -> Self {
        PapersView {
            member_papers: s.member_papers,
            reasons: s.reasons,
        }
    }
}

fn ids(organizer: &Organizer, path: String) -> (OrgId, CompetitionId) {
    (
        OrgId::from(organizer.organization_id.clone()),
        CompetitionId::from(path),
    )
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/papers",
    tag = "papers",
    operation_id = "extra_papers_show",
    summary = "The competition's extra papers: team members' personal papers on or off, and the organizer's own reasons by kind of paper",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "the settings", content((crate::web::extra_papers::PapersView = "application/json"))),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (organization_id, id) = ids(&organizer, path.into_inner());
    let settings = state
        .db
        .run(move |conn| papers::settings(conn, &organization_id, &id))
        .await?;
    Ok(HttpResponse::Ok().json(PapersView::from(settings)))
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/papers",
    tag = "papers",
    operation_id = "extra_papers_update",
    summary = "Choose the competition's extra papers for its next issue runs and jury letters (papers already issued keep what they say)",
    params(
        ("id" = String, Path),
    ),
    request_body(content((crate::web::extra_papers::PapersView = "application/json"))),
    responses(
        (status = 200, description = "the settings as stored", content((crate::web::extra_papers::PapersView = "application/json"))),
        (status = 404, description = "not found"),
        (status = 400, description = "a reason longer than 200 characters", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 422, description = "a reason with characters the fonts cannot print", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// Replaces the competition's choices of extra papers for its next issue runs.
pub async fn update(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<PapersRequest>,
) -> Result<HttpResponse, ApiError> {
    let (organization_id, id) = ids(&organizer, path.into_inner());
    let body = body.into_inner();
    let renderer = state.issuance.renderer.clone();
    let settings = state
        .db
        .run(move |conn| {
            papers::set_settings(
                conn,
                &renderer,
                &organization_id,
                &id,
                body.member_papers,
                body.reasons,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(PapersView::from(settings)))
}

#[derive(Serialize, utoipa::ToSchema)]
struct JuryLettersView {
    issued: usize,
    /// judges thanked before
    already: usize,
    /// judges who scored nothing
    without_scores: Vec<String>,
    documents: Vec<DocumentView>,
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/jury/letters",
    tag = "papers",
    operation_id = "extra_papers_jury_letters",
    summary = "Issue a letter of gratitude to every jury member who scored at least one entry and has none yet, naming the number of works they reviewed; rendered before the answer, e-mailed with the competition's papers when the judge's account has an address",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "the letters issued now", content((JuryLettersView = "application/json"))),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
/// Issues letters of gratitude to the jury members who scored and have none yet; they are
/// rendered before the answer.
pub async fn jury_letters(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let letters = issue_letters(&state, &organizer, path.into_inner()).await?;
    let public_url = &state.settings.public_url;
    Ok(HttpResponse::Ok().json(JuryLettersView {
        issued: letters.issued.len(),
        already: letters.already,
        without_scores: letters.without_scores,
        documents: letters
            .issued
            .into_iter()
            .map(|d| DocumentView::of(d, public_url))
            .collect(),
    }))
}

/// `issue_jury_letters` on the blocking pool (it renders), for the API and the pages.
pub(super) async fn issue_letters(
    state: &AppState,
    organizer: &Organizer,
    competition_id: String,
) -> Result<JuryLetters, ApiError> {
    let issuance = state.issuance.clone();
    let organization_id = organizer.organization_id.clone();
    Ok(web::block(move || issue_jury_letters(&issuance, &organization_id, &competition_id)).await??)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendedRequest {
    attended: bool,
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/entries/{entry_id}/attended",
    tag = "papers",
    operation_id = "extra_papers_set_attended",
    summary = r#"Mark a seminar's or webinar's participant as attended or not: only those who attended get its certificate (an "attended" column in the results file marks every row)"#,
    params(
        ("id" = String, Path),
        ("entry_id" = String, Path),
    ),
    request_body(content((AttendedRequest = "application/json"))),
    responses(
        (status = 200, description = "the mark. object {`attended` boolean}", content((Object = "application/json"))),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
/// Marks a seminar's or webinar's participant as having attended or not.
pub async fn set_attended(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
    body: web::Json<AttendedRequest>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, entry_id) = path.into_inner();
    let (organization_id, id) = ids(&organizer, competition_id);
    let attended = body.attended;
    state
        .db
        .run(move |conn| papers::set_attended(conn, &organization_id, &id, &entry_id, attended))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "attended": attended })))
}
