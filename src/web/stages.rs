//! Stages across organizations over the API (`crate::stages`): invitation links, linking a
//! competition as a feeding stage, forwarding winners, and what each side may see. Parses and
//! maps errors only.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::auth::Organizer;
use super::body::read_limited;
use super::competitions::invalid;
use super::lang::request_lang;
use super::{ApiError, AppState};
use crate::domain::account::Secret;
use crate::domain::award::AwardCategory;
use crate::domain::{CompetitionId, EntryDraft, OrgId};
use crate::intake::{IntakeLimits, IntakeOptions};
use crate::judging::Advance;
use crate::stages::{self, Choice, NewInvitation};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    /// Which organization or territory the link is for, in the organizer's words.
    addressee: Option<String>,
    /// Entries it may send per nomination and age group.
    quota: Option<u32>,
    /// How many days the link works (1–365, default 30).
    days: Option<u32>,
}

pub async fn create_invitation(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<InvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let new = NewInvitation {
        addressee: body.addressee,
        quota: body.quota,
        days: body.days,
    };
    let organization_id = OrgId::from(organizer.organization_id);
    let competition_id = CompetitionId::from(path.into_inner());
    let by = organizer.actor.user_id;
    let created = state
        .db
        .run(move |conn| {
            stages::create_invitation(conn, &organization_id, &competition_id, new, by.as_deref())
        })
        .await?;
    let mut body = serde_json::to_value(&created.invitation).map_err(ApiError::internal)?;
    body["token"] = created.token.reveal().into();
    body["link"] = stages::invitation_link(&state.settings.public_url, created.token.reveal()).into();
    Ok(HttpResponse::Created().json(body))
}

pub async fn invitations(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organization_id = OrgId::from(organizer.organization_id);
    let competition_id = CompetitionId::from(path.into_inner());
    let list = state
        .db
        .run(move |conn| stages::invitations(conn, &organization_id, &competition_id))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

pub async fn revoke_invitation(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organization_id = OrgId::from(organizer.organization_id);
    let id = path.into_inner();
    let invitation = state
        .db
        .run(move |conn| stages::revoke_invitation(conn, &organization_id, &id))
        .await?;
    Ok(HttpResponse::Ok().json(invitation))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    token: String,
}

fn secret(token: &str) -> Result<Secret, ApiError> {
    Secret::from_presented(token.trim()).ok_or(ApiError::NotFound)
}

/// What an invitation link offers, before linking: the inviting competition and the terms.
pub async fn terms(
    req: HttpRequest,
    state: web::Data<AppState>,
    _organizer: Organizer,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = secret(&body.token)?;
    let lang = request_lang(&req);
    let terms = state
        .db
        .run(move |conn| stages::invitation_for(conn, &token, lang))
        .await?;
    Ok(HttpResponse::Ok().json(terms))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    token: String,
    /// The organizer's own competition that feeds the inviting one.
    competition_id: String,
}

pub async fn link(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    body: web::Json<LinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let token = secret(&body.token)?;
    let organization_id = OrgId::from(organizer.organization_id);
    let competition_id = CompetitionId::from(body.competition_id);
    let lang = request_lang(&req);
    let link = state
        .db
        .run(move |conn| stages::link(conn, &organization_id, &token, &competition_id, lang))
        .await?;
    Ok(HttpResponse::Created().json(link))
}

/// The links by which the competition feeds upper stages (the lower organizer's view).
pub async fn feeds(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organization_id = OrgId::from(organizer.organization_id);
    let competition_id = CompetitionId::from(path.into_inner());
    let lang = request_lang(&req);
    let links = state
        .db
        .run(move |conn| stages::links_from(conn, &organization_id, &competition_id, lang))
        .await?;
    Ok(HttpResponse::Ok().json(links))
}

/// The stages feeding the competition, counts by organization and each forwarded entry's origin
/// (the upper organizer's view).
pub async fn feeding(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organization_id = OrgId::from(organizer.organization_id);
    let competition_id = CompetitionId::from(path.into_inner());
    let lang = request_lang(&req);
    let feeding = state
        .db
        .run(move |conn| stages::feeding(conn, &organization_id, &competition_id, lang))
        .await?;
    Ok(HttpResponse::Ok().json(feeding))
}

pub async fn refuse(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, entry_id) = path.into_inner();
    let organization_id = OrgId::from(organizer.organization_id);
    let competition_id = CompetitionId::from(competition_id);
    state
        .db
        .run(move |conn| stages::refuse(conn, &organization_id, &competition_id, &entry_id))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"refused": true})))
}

/// Who goes up: exactly one of `top`, `min_score` (by the jury's ranking) or `categories` (by the
/// entries' award categories).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceRequest {
    top: Option<u32>,
    min_score: Option<f64>,
    categories: Option<Vec<String>>,
}

/// Award category codes (`grand_prix`, `winner`, `prize_winner`, …); none given: the winners.
pub fn categories(codes: &[String]) -> Result<Vec<AwardCategory>, ApiError> {
    if codes.is_empty() {
        return Ok(stages::WINNERS.to_vec());
    }
    codes
        .iter()
        .map(|code| {
            AwardCategory::ALL
                .into_iter()
                .find(|c| c.code() == code.trim())
                .ok_or_else(|| invalid("categories", format!("unknown award category {code}")))
        })
        .collect()
}

impl ChoiceRequest {
    fn parse(self) -> Result<Choice, ApiError> {
        match (self.top, self.min_score, self.categories) {
            (Some(0), None, None) => Err(invalid("top", "at least 1")),
            (Some(top), None, None) => Ok(Choice::Jury(Advance::Top(top))),
            (None, Some(min), None) if min.is_finite() => Ok(Choice::Jury(Advance::MinScore(min))),
            (None, None, Some(codes)) => Ok(Choice::Awards(categories(&codes)?)),
            _ => Err(invalid("top", "give one of top, min_score or categories")),
        }
    }
}

async fn plan_or_send(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    link_id: String,
    choice: Choice,
    send: bool,
) -> Result<HttpResponse, ApiError> {
    let organization_id = OrgId::from(organizer.organization_id);
    let lang = request_lang(&req);
    let answer = if send {
        let sent = state
            .db
            .run(move |conn| stages::forward(conn, &organization_id, &link_id, choice, lang))
            .await?;
        serde_json::to_value(sent)
    } else {
        let plan = state
            .db
            .run(move |conn| stages::preview(conn, &organization_id, &link_id, choice, lang))
            .await?;
        serde_json::to_value(plan)
    };
    Ok(HttpResponse::Ok().json(answer.map_err(ApiError::internal)?))
}

pub async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<ChoiceRequest>,
) -> Result<HttpResponse, ApiError> {
    let choice = body.into_inner().parse()?;
    plan_or_send(req, state, organizer, path.into_inner(), choice, false).await
}

pub async fn forward(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<ChoiceRequest>,
) -> Result<HttpResponse, ApiError> {
    let choice = body.into_inner().parse()?;
    plan_or_send(req, state, organizer, path.into_inner(), choice, true).await
}

/// `?categories=winner,prize_winner`: which rows of the table go up (default: the winners).
#[derive(Deserialize)]
pub struct TableQuery {
    categories: Option<String>,
}

impl TableQuery {
    fn categories(&self) -> Result<Vec<AwardCategory>, ApiError> {
        let codes: Vec<String> = self
            .categories
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|c| !c.trim().is_empty())
            .map(str::to_string)
            .collect();
        categories(&codes)
    }
}

/// Reads a results table as the results upload reads it, with the award words the organization
/// taught before.
pub async fn read_table(
    state: &AppState,
    organization_id: String,
    bytes: Vec<u8>,
) -> Result<Vec<EntryDraft>, ApiError> {
    let remembered = state
        .db
        .run(move |conn| crate::results::remembered_words(conn, &organization_id))
        .await?;
    let options = IntakeOptions {
        limits: IntakeLimits {
            max_rows: state.settings.max_rows,
            ..IntakeLimits::default()
        },
        awards: remembered,
        ..IntakeOptions::default()
    };
    let reading = web::block(move || crate::intake::read(&bytes, &options)).await??;
    Ok(reading.into_drafts()?)
}

async fn table(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    link_id: String,
    query: TableQuery,
    payload: web::Payload,
    send: bool,
) -> Result<HttpResponse, ApiError> {
    let awards = query.categories()?;
    let bytes = read_limited(&req, payload, state.settings.max_upload_bytes).await?;
    let rows = read_table(&state, organizer.organization_id.clone(), bytes).await?;
    plan_or_send(
        req,
        state,
        organizer,
        link_id,
        Choice::Table { rows, awards },
        send,
    )
    .await
}

pub async fn table_preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<TableQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    table(
        req,
        state,
        organizer,
        path.into_inner(),
        query.into_inner(),
        payload,
        false,
    )
    .await
}

pub async fn table_forward(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<TableQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    table(
        req,
        state,
        organizer,
        path.into_inner(),
        query.into_inner(),
        payload,
        true,
    )
    .await
}

/// What the lower organization sent through its link, and when.
pub async fn forwarded(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organization_id = OrgId::from(organizer.organization_id);
    let link_id = path.into_inner();
    let lang = request_lang(&req);
    let (link, entries) = state
        .db
        .run(move |conn| stages::forwarded_by_link(conn, &organization_id, &link_id, lang))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"link": link, "entries": entries})))
}
