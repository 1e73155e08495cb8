//! Stages across organizations over the API (`crate::stages`): invitation links, linking a
//! competition as a feeding stage, forwarding winners, and what each side may see. Parses and
//! maps errors only.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::auth::Organizer;
use super::body::read_limited;
use super::competitions::invalid;
use super::lang::request_lang;
use super::results::read_with_words;
use super::{ApiError, AppState};
use crate::domain::account::Secret;
use crate::domain::award::AwardCategory;
use crate::domain::{CompetitionId, EntryDraft, OrgId};
use crate::intake::ColumnMapping;
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

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/stage-invitations",
    tag = "stages",
    operation_id = "stages_create_invitation",
    summary = "Stages across organizations: makes an invitation link for a lower stage of this competition (the upper organizer's). The lower organizer opens it signed in to their own organization and links one of their competitions as the feeding stage (`POST /api/v1/stage-links`). The link works once, until `expires_at` (default 30 days, 1–365), and can be revoked; only its hash is stored.",
    params(
        ("id" = String, Path, description = "the competition's id"),
    ),
    request_body(content((Object = "application/json")), description = "object {`addressee` string (which organization or territory it is for); `quota` integer (entries it may send per nomination and age group); `days` integer}"),
    responses(
        (status = 201, description = "made; `token` and `link` are shown this once. object {`id` string; `addressee` string or null (which organization or territory it is for, in the organizer's words); `quota` integer or null (entries it may send per nomination and age group; null: no limit); `created_at` string; `expires_at` string; `used_at` string or null; `state` string (open, used, revoked, expired); `token` string (only when made: 64 hex characters); `link` string (only when made: PUBLIC_URL/app/stage-invite/TOKEN, opened by a lower organizer signed in to their own organization)}", content((Object = "application/json"))),
        (status = 400, description = "a field is not valid"),
        (status = 404, description = "no such competition of this organization"),
    ),
    security(("bearer" = [])),
)]
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
    let actor = organizer.actor;
    let created = state
        .db
        .run(move |conn| stages::create_invitation(conn, &organization_id, &competition_id, new, &actor))
        .await?;
    let mut body = serde_json::to_value(&created.invitation).map_err(ApiError::internal)?;
    body["token"] = created.token.reveal().into();
    body["link"] = stages::invitation_link(&state.settings.public_url, created.token.reveal()).into();
    Ok(HttpResponse::Created().json(body))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/stage-invitations",
    tag = "stages",
    operation_id = "stages_invitations",
    summary = "The competition's invitation links, newest first, with their state (open, used, revoked, expired); never the tokens.",
    params(
        ("id" = String, Path, description = "the competition's id"),
    ),
    responses(
        (status = 200, description = "invitations. array of object {`id` string; `addressee` string or null (which organization or territory it is for, in the organizer's words); `quota` integer or null (entries it may send per nomination and age group; null: no limit); `created_at` string; `expires_at` string; `used_at` string or null; `state` string (open, used, revoked, expired); `token` string (only when made: 64 hex characters); `link` string (only when made: PUBLIC_URL/app/stage-invite/TOKEN, opened by a lower organizer signed in to their own organization)}", content((Object = "application/json"))),
        (status = 404, description = "no such competition of this organization"),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    post,
    path = "/api/v1/stage-invitations/{id}/revoke",
    tag = "stages",
    operation_id = "stages_revoke_invitation",
    summary = "Revokes an invitation: an unused link no longer opens, and a competition linked by it can send nothing more (what it sent stays).",
    params(
        ("id" = String, Path, description = "the invitation's id"),
    ),
    responses(
        (status = 200, description = "revoked. object {`id` string; `addressee` string or null (which organization or territory it is for, in the organizer's words); `quota` integer or null (entries it may send per nomination and age group; null: no limit); `created_at` string; `expires_at` string; `used_at` string or null; `state` string (open, used, revoked, expired); `token` string (only when made: 64 hex characters); `link` string (only when made: PUBLIC_URL/app/stage-invite/TOKEN, opened by a lower organizer signed in to their own organization)}", content((Object = "application/json"))),
        (status = 404, description = "no such invitation of this organization"),
    ),
    security(("bearer" = [])),
)]
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organization_id = OrgId::from(organizer.organization_id);
    let id = path.into_inner();
    let actor = organizer.actor;
    let invitation = state
        .db
        .run(move |conn| stages::revoke_invitation(conn, &organization_id, &id, &actor))
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

#[utoipa::path(
    post,
    path = "/api/v1/stage-invitations/terms",
    tag = "stages",
    operation_id = "stages_terms",
    summary = "What an invitation link offers before linking: the inviting organization's name, its competition's title, the addressee, quota and expiry. Nothing else of the inviting organization.",
    request_body(content((Object = "application/json")), description = "object {`token` string}"),
    responses(
        (status = 200, description = "the terms. object {`upper` object {`organization` string; `competition_id` string; `competition` string (the competition's title)}; `addressee` string or null; `quota` integer or null; `expires_at` string}", content((Object = "application/json"))),
        (status = 404, description = "no such link"),
        (status = 410, description = "the link was used, revoked or has expired"),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    post,
    path = "/api/v1/stage-links",
    tag = "stages",
    operation_id = "stages_link",
    summary = "A lower organizer links one of their own organization's competitions as the stage feeding the invitation's competition; the invitation is used up. Recorded: which competition of which organization feeds which.",
    request_body(content((Object = "application/json")), description = "object {`token` string; `competition_id` string (the caller's own competition)}"),
    responses(
        (status = 201, description = "linked. object {`id` string; `lower` object {`organization` string; `competition_id` string; `competition` string (the competition's title)}; `upper` object {`organization` string; `competition_id` string; `competition` string (the competition's title)}; `linked_at` string; `addressee` string or null; `quota` integer or null; `revoked` boolean (the upper organizer revoked the invitation: nothing more can be sent); `entries` integer (forwarded and still in the upper competition); `refused` integer (refused by the upper organizer); `last_forwarded_at` string or null}", content((Object = "application/json"))),
        (status = 404, description = "no such link, or the competition is not the caller's"),
        (status = 409, description = "already linked, or the competition is the inviting one"),
        (status = 410, description = "the link was used, revoked or has expired"),
    ),
    security(("bearer" = [])),
)]
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
    let actor = organizer.actor;
    let link = state
        .db
        .run(move |conn| stages::link(conn, &organization_id, &actor, &token, &competition_id, lang))
        .await?;
    Ok(HttpResponse::Created().json(link))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/feeds",
    tag = "stages",
    operation_id = "stages_feeds",
    summary = "The links by which this competition feeds upper stages of other organizations (the lower organizer's view).",
    params(
        ("id" = String, Path, description = "the competition's id"),
    ),
    responses(
        (status = 200, description = "links. array of object {`id` string; `lower` StageSide; `upper` StageSide; `linked_at` string; `addressee` string or null; `quota` integer or null; `revoked` boolean (the upper organizer revoked the invitation: nothing more can be sent); `entries` integer (forwarded and still in the upper competition); `refused` integer (refused by the upper organizer); `last_forwarded_at` string or null}", content((Object = "application/json"))),
        (status = 404, description = "no such competition of this organization"),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/feeding",
    tag = "stages",
    operation_id = "stages_feeding",
    summary = "The stages feeding this competition (the upper organizer's view): the links, counts by feeding organization, each forwarded entry with the organization and competition it came from, and the refused ones.",
    params(
        ("id" = String, Path, description = "the competition's id"),
    ),
    responses(
        (status = 200, description = "feeding stages. object {`links` array of StageLink; `by_organization` array of object {`organization` string; `competitions` integer; `entries` integer; `refused` integer}; `entries` array of value; `refused` array of object {`holder` string; `nomination` string or null; `age_group` string or null; `from_organization` string; `refused_at` string or null}}", content((Object = "application/json"))),
        (status = 404, description = "no such competition of this organization"),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/feeding/{entry_id}/refuse",
    tag = "stages",
    operation_id = "stages_refuse",
    summary = "The upper organizer refuses a forwarded entry: it leaves the competition (with its scores); forwarding the same participant again adds nothing; the lower organizer sees it as refused.",
    params(
        ("id" = String, Path, description = "the competition's id"),
        ("entry_id" = String, Path, description = "the forwarded entry's id in this competition"),
    ),
    responses(
        (status = 200, description = "refused. object {`refused` boolean}", content((Object = "application/json"))),
        (status = 404, description = "no such competition or entry of this organization"),
        (status = 409, description = "the entry was not forwarded, or already has a paper"),
    ),
    security(("bearer" = [])),
)]
pub async fn refuse(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, entry_id) = path.into_inner();
    let organization_id = OrgId::from(organizer.organization_id);
    let competition_id = CompetitionId::from(competition_id);
    let actor = organizer.actor;
    state
        .db
        .run(move |conn| stages::refuse(conn, &organization_id, &actor, &competition_id, &entry_id))
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
    let actor = organizer.actor;
    let answer = if send {
        let sent = state
            .db
            .run(move |conn| stages::forward(conn, &organization_id, &actor, &link_id, choice, lang))
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

#[utoipa::path(
    post,
    path = "/api/v1/stage-links/{id}/preview",
    tag = "stages",
    operation_id = "stages_preview",
    summary = "Previews forwarding winners through the link (the lower organizer's): who would be sent, and who was sent before. Nothing is written.",
    params(
        ("id" = String, Path, description = "the link's id"),
    ),
    request_body(content((Object = "application/json")), description = "object {`top` integer; `min_score` number; `categories` array of string (grand_prix, winner, prize_winner, laureate, diplomant, special_prize, finalist, participant)}"),
    responses(
        (status = 200, description = "the plan. object {`link` object {`id` string; `lower` StageSide; `upper` StageSide; `linked_at` string; `addressee` string or null; `quota` integer or null; `revoked` boolean (the upper organizer revoked the invitation: nothing more can be sent); `entries` integer (forwarded and still in the upper competition); `refused` integer (refused by the upper organizer); `last_forwarded_at` string or null}; `entries` array of value; `new` integer; `already` integer}", content((Object = "application/json"))),
        (status = 400, description = "not exactly one of top, min_score, categories; an unknown category"),
        (status = 404, description = "no such link of this organization (the lower side)"),
        (status = 409, description = "nothing matches the choice; over the invitation's quota in a nomination and age group; the invitation was revoked; the lower competition has no jury criteria"),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    post,
    path = "/api/v1/stage-links/{id}/forward",
    tag = "stages",
    operation_id = "stages_forward",
    summary = "Forwards winners through the link: the chosen participants not forwarded before become entries of the upper competition (participant, team members, school, region, settlement type, nomination, age group, supervisor), each marked with the organization and competition it came from. Sending twice adds nobody twice; the invitation's quota per nomination and age group is kept (409 and nothing sent when over it).",
    params(
        ("id" = String, Path, description = "the link's id"),
    ),
    request_body(content((Object = "application/json")), description = "object {`top` integer; `min_score` number; `categories` array of string (grand_prix, winner, prize_winner, laureate, diplomant, special_prize, finalist, participant)}"),
    responses(
        (status = 200, description = "sent. object {`link` object {`id` string; `lower` StageSide; `upper` StageSide; `linked_at` string; `addressee` string or null; `quota` integer or null; `revoked` boolean (the upper organizer revoked the invitation: nothing more can be sent); `entries` integer (forwarded and still in the upper competition); `refused` integer (refused by the upper organizer); `last_forwarded_at` string or null}; `forwarded` integer; `already` integer (chosen but forwarded before: not added again); `entries` array of ForwardedEntry}", content((Object = "application/json"))),
        (status = 400, description = "not exactly one of top, min_score, categories; an unknown category"),
        (status = 404, description = "no such link of this organization (the lower side)"),
        (status = 409, description = "nothing matches the choice; over the invitation's quota in a nomination and age group; the invitation was revoked; the lower competition has no jury criteria"),
    ),
    security(("bearer" = [])),
)]
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
    let reading = read_with_words(state, &organization_id, bytes, ColumnMapping::default()).await?;
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

#[utoipa::path(
    post,
    path = "/api/v1/stage-links/{id}/table/preview",
    tag = "stages",
    operation_id = "stages_table_preview",
    summary = "Previews forwarding from a results table (CSV or XLSX, read as `POST /api/v1/competitions/{id}/results` reads it, with the organization's remembered award words). Nothing is written.",
    params(
        ("id" = String, Path, description = "the link's id"),
        ("categories" = Option<String>, Query, description = "comma-separated award categories of the rows to send (default: grand_prix,winner,prize_winner; add participant to send every row of a table of winners only)"),
    ),
    request_body(content((inline(crate::web::openapi::Binary) = "text/csv")), description = "text/csv"),
    responses(
        (status = 200, description = "the plan. object {`link` object {`id` string; `lower` StageSide; `upper` StageSide; `linked_at` string; `addressee` string or null; `quota` integer or null; `revoked` boolean (the upper organizer revoked the invitation: nothing more can be sent); `entries` integer (forwarded and still in the upper competition); `refused` integer (refused by the upper organizer); `last_forwarded_at` string or null}; `entries` array of value; `new` integer; `already` integer}", content((Object = "application/json"))),
        (status = 400, description = "an unknown category"),
        (status = 404, description = "no such link of this organization"),
        (status = 409, description = "nothing matches; over the quota; the invitation was revoked"),
        (status = 422, description = "the table was refused, row by row, as a results upload would be"),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    post,
    path = "/api/v1/stage-links/{id}/table",
    tag = "stages",
    operation_id = "stages_table_forward",
    summary = "Forwards the rows of a results table whose award is of the chosen categories, as `forward` does: no duplicates, quota kept.",
    params(
        ("id" = String, Path, description = "the link's id"),
        ("categories" = Option<String>, Query, description = "comma-separated award categories of the rows to send (default: grand_prix,winner,prize_winner; add participant to send every row of a table of winners only)"),
    ),
    request_body(content((inline(crate::web::openapi::Binary) = "text/csv")), description = "text/csv"),
    responses(
        (status = 200, description = "sent. object {`link` object {`id` string; `lower` StageSide; `upper` StageSide; `linked_at` string; `addressee` string or null; `quota` integer or null; `revoked` boolean (the upper organizer revoked the invitation: nothing more can be sent); `entries` integer (forwarded and still in the upper competition); `refused` integer (refused by the upper organizer); `last_forwarded_at` string or null}; `forwarded` integer; `already` integer (chosen but forwarded before: not added again); `entries` array of ForwardedEntry}", content((Object = "application/json"))),
        (status = 400, description = "an unknown category"),
        (status = 404, description = "no such link of this organization"),
        (status = 409, description = "nothing matches; over the quota; the invitation was revoked"),
        (status = 422, description = "the table was refused, row by row, as a results upload would be"),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    get,
    path = "/api/v1/stage-links/{id}/forwarded",
    tag = "stages",
    operation_id = "stages_forwarded",
    summary = "What the lower organization sent through its link and when, with each participant's status in the upper competition (entered, refused, removed): the name, nomination and age group only.",
    params(
        ("id" = String, Path, description = "the link's id"),
    ),
    responses(
        (status = 200, description = "sent. object {`link` object {`id` string; `lower` StageSide; `upper` StageSide; `linked_at` string; `addressee` string or null; `quota` integer or null; `revoked` boolean (the upper organizer revoked the invitation: nothing more can be sent); `entries` integer (forwarded and still in the upper competition); `refused` integer (refused by the upper organizer); `last_forwarded_at` string or null}; `entries` array of object {`holder` string; `nomination` string or null; `age_group` string or null; `forwarded_at` string; `status` string (entered, refused, removed); `refused_at` string or null}}", content((Object = "application/json"))),
        (status = 404, description = "no such link of this organization"),
    ),
    security(("bearer" = [])),
)]
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
