//! The pages of stages across organizations (`crate::stages`): on a competition's stages page the
//! upper organizer makes and revokes invitation links, sees the feeding stages with counts by
//! organization and each forwarded entry's origin, and refuses one; the lower organizer links a
//! competition by opening a link, forwards winners (jury's ranking, award categories, or a results
//! table) after a preview, and sees what was sent and when. A previewed table waits server-side
//! (the results upload's kept files) and the send button names it, so its size is not bounded by
//! a form field. Thin: the same service functions as the API.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use minijinja::{context, Value};
use serde::Deserialize;

use super::account::{see_other, Empty};
use super::organizer::{keep_upload, uploads_dir};
use super::results::{read_saved, upload_name};
use super::session::{signed_in, CheckedForm, Member};
use super::upload::read_multipart;
use super::view::{page, page_lang};
use crate::db;
use crate::domain::account::Secret;
use crate::domain::award::AwardCategory;
use crate::domain::{CompetitionId, OrgId};
use crate::judging::Advance;
use crate::stages::{self, Choice, NewInvitation, StageError};
use crate::web::stages::read_table;
use crate::web::{ApiError, AppState};

/// The award categories a lower organizer may forward by.
const CATEGORIES: [AwardCategory; 8] = [
    AwardCategory::GrandPrix,
    AwardCategory::Winner,
    AwardCategory::PrizeWinner,
    AwardCategory::Laureate,
    AwardCategory::Diplomant,
    AwardCategory::SpecialPrize,
    AwardCategory::Finalist,
    AwardCategory::Participant,
];

const DONE: [&str; 5] = ["invited", "revoked", "linked", "forwarded", "refused"];

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
    n: Option<i64>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let extra = context! {
        done => query.done.filter(|d| DONE.contains(&d.as_str())),
        n => query.n,
    };
    stages_page(&req, &state, &member, path.into_inner(), StatusCode::OK, extra).await
}

fn category_boxes(checked: &[AwardCategory]) -> Vec<Value> {
    CATEGORIES
        .iter()
        .map(|c| context! { code => c.code(), checked => checked.contains(c) })
        .collect()
}

async fn stages_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition_id: String,
    status: StatusCode,
    extra: Value,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (lang, _) = page_lang(req);
    let org = OrgId::from(organizer.organization_id);
    let id = CompetitionId::from(competition_id);
    let (competition, invitations, feeding, sent) = state
        .db
        .run(move |conn| {
            let competition = db::competitions::find_owned(conn, &org, &id)?;
            let invitations = stages::invitations(conn, &org, &id)?;
            let feeding = stages::feeding(conn, &org, &id, lang)?;
            let sent = stages::links_from(conn, &org, &id, lang)?
                .iter()
                .map(|link| stages::forwarded_by_link(conn, &org, &link.id, lang))
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, StageError>((competition, invitations, feeding, sent))
        })
        .await?;
    let feeds: Vec<Value> = sent
        .into_iter()
        .map(|(link, entries)| context! { link => Value::from_serialize(&link), entries => Value::from_serialize(&entries) })
        .collect();
    let base = context! {
        competition => context! {
            id => competition.id.clone(),
            title => competition.title_in(lang).to_string(),
        },
        invitations => Value::from_serialize(&invitations),
        feeding => Value::from_serialize(&feeding),
        feeds => feeds,
        categories => category_boxes(&stages::WINNERS),
    };
    page(
        req,
        &member.visitor,
        status,
        "stages.html",
        context! { ..base, ..extra },
    )
}

/// A refusal the organizer can act on is shown on the stages page; anything else is an error page.
async fn refused_on(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition_id: String,
    error: ApiError,
) -> Result<HttpResponse, ApiError> {
    match error {
        ApiError::Invalid(_) | ApiError::Conflict(_) | ApiError::InvalidResults(_) => {
            let (lang, _) = page_lang(req);
            let message = match &error {
                ApiError::InvalidResults(rows) => rows
                    .iter()
                    .take(5)
                    .map(|r| format!("{}: {}", r.row, r.message.text(lang)))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.message_in(lang),
            };
            let extra = context! { message => message };
            stages_page(req, state, member, competition_id, error.status_code(), extra).await
        }
        other => Err(other),
    }
}

#[derive(Deserialize)]
pub struct InvitationForm {
    addressee: Option<String>,
    quota: Option<String>,
    days: Option<String>,
}

fn number(field: &'static str, text: Option<String>) -> Result<Option<u32>, ApiError> {
    text.map(|t| {
        t.trim().parse::<u32>().map_err(|_| {
            ApiError::Invalid(crate::i18n::Message::InvalidField {
                field,
                reason: "a whole number".into(),
            })
        })
    })
    .transpose()
}

/// Makes an invitation link and shows it once on the stages page.
pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<InvitationForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition_id = path.into_inner();
    let new = match (number("quota", form.quota), number("days", form.days)) {
        (Ok(quota), Ok(days)) => NewInvitation {
            addressee: form.addressee,
            quota,
            days,
        },
        (Err(e), _) | (_, Err(e)) => return refused_on(&req, &state, &member, competition_id, e).await,
    };
    let org = OrgId::from(organizer.organization_id);
    let id = CompetitionId::from(competition_id.clone());
    let actor = organizer.actor;
    let created = state
        .db
        .run(move |conn| stages::create_invitation(conn, &org, &id, new, &actor))
        .await;
    match created {
        Ok(created) => {
            let link = stages::invitation_link(&state.settings.public_url, created.token.reveal());
            let extra = context! { done => "invited", new_link => link };
            stages_page(&req, &state, &member, competition_id, StatusCode::OK, extra).await
        }
        Err(e) => refused_on(&req, &state, &member, competition_id, e.into()).await,
    }
}

pub async fn revoke(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let (competition_id, invitation_id) = path.into_inner();
    let org = OrgId::from(organizer.organization_id);
    let actor = organizer.actor;
    state
        .db
        .run(move |conn| stages::revoke_invitation(conn, &org, &invitation_id, &actor))
        .await?;
    Ok(see_other(&format!(
        "/app/competitions/{competition_id}/stages?done=revoked#invitations"
    )))
}

pub async fn refuse(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let (competition_id, entry_id) = path.into_inner();
    let org = OrgId::from(organizer.organization_id);
    let id = CompetitionId::from(competition_id.clone());
    let actor = organizer.actor;
    state
        .db
        .run(move |conn| stages::refuse(conn, &org, &actor, &id, &entry_id))
        .await?;
    Ok(see_other(&format!(
        "/app/competitions/{competition_id}/stages?done=refused#forwarded"
    )))
}

fn token_of(text: &str) -> Result<Secret, ApiError> {
    Secret::from_presented(text).ok_or(ApiError::NotFound)
}

/// The invitation link opened by a signed-in organizer: who invites, and a choice of their own
/// organization's competitions to link.
pub async fn invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    invitation_page(
        &req,
        &state,
        &member,
        &path.into_inner(),
        StatusCode::OK,
        context! {},
    )
    .await
}

async fn invitation_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    token: &str,
    status: StatusCode,
    extra: Value,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let secret = token_of(token)?;
    let (lang, _) = page_lang(req);
    let org = organizer.organization_id;
    let (terms, competitions) = state
        .db
        .run(move |conn| {
            let terms = stages::invitation_for(conn, &secret, lang)?;
            let competitions = db::competitions::list(conn, &org)?;
            Ok::<_, StageError>((terms, competitions))
        })
        .await?;
    let competitions: Vec<Value> = competitions
        .iter()
        .filter(|c| c.id != terms.upper.competition_id)
        .map(|c| context! { id => c.id.clone(), title => c.title_in(lang).to_string() })
        .collect();
    let base = context! {
        token => token,
        terms => Value::from_serialize(&terms),
        competitions => competitions,
    };
    page(
        req,
        &member.visitor,
        status,
        "stage_invite.html",
        context! { ..base, ..extra },
    )
}

#[derive(Deserialize)]
pub struct LinkForm {
    competition: String,
}

pub async fn link(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<LinkForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let token = path.into_inner();
    let secret = token_of(&token)?;
    let (lang, _) = page_lang(&req);
    let org = OrgId::from(organizer.organization_id);
    let competition = CompetitionId::from(form.competition);
    let actor = organizer.actor;
    let linked = state
        .db
        .run(move |conn| stages::link(conn, &org, &actor, &secret, &competition, lang))
        .await;
    match linked.map_err(ApiError::from) {
        Ok(link) => Ok(see_other(&format!(
            "/app/competitions/{}/stages?done=linked#feeds",
            link.lower.competition_id
        ))),
        Err(e @ ApiError::Conflict(_)) => {
            let (lang, _) = page_lang(&req);
            let extra = context! { message => e.message_in(lang) };
            invitation_page(&req, &state, &member, &token, e.status_code(), extra).await
        }
        Err(e) => Err(e),
    }
}

/// The forwarding form's fields: `mode` (`top`, `min_score` or `categories`), its value and the
/// ticked `cat_CODE` boxes. A results table's choice (`mode=table`) is [`table_choice`]'s.
fn choice_of(form: &HashMap<String, String>) -> Result<Choice, ApiError> {
    let invalid = |field: &'static str, reason: &str| {
        ApiError::Invalid(crate::i18n::Message::InvalidField {
            field,
            reason: reason.into(),
        })
    };
    let ticked: Vec<AwardCategory> = CATEGORIES
        .iter()
        .copied()
        .filter(|c| form.contains_key(&format!("cat_{}", c.code())))
        .collect();
    match form.get("mode").map(String::as_str) {
        Some("top") => {
            let top = form
                .get("top")
                .and_then(|t| t.trim().parse::<u32>().ok())
                .filter(|t| *t > 0)
                .ok_or_else(|| invalid("top", "a whole number from 1"))?;
            Ok(Choice::Jury(Advance::Top(top)))
        }
        Some("min_score") => {
            let min = form
                .get("min_score")
                .and_then(|t| t.trim().replace(',', ".").parse::<f64>().ok())
                .filter(|m| m.is_finite())
                .ok_or_else(|| invalid("min_score", "a number"))?;
            Ok(Choice::Jury(Advance::MinScore(min)))
        }
        Some("categories") if !ticked.is_empty() => Ok(Choice::Awards(ticked)),
        Some("categories") => Err(invalid("categories", "tick at least one")),
        _ => Err(invalid("mode", "choose how to pick the winners")),
    }
}

/// Shows what a choice would send, with a button that sends exactly that.
async fn preview_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    link_id: String,
    choice: Choice,
    hidden: Vec<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (lang, _) = page_lang(req);
    let org = OrgId::from(organizer.organization_id);
    let id = link_id.clone();
    let lower = {
        let org = org.clone();
        let id = id.clone();
        state
            .db
            .run(move |conn| db::stages::link_of_lower(conn, &org, &id))
            .await?
            .lower_competition_id
    };
    let planned = state
        .db
        .run(move |conn| stages::preview(conn, &org, &id, choice, lang))
        .await;
    let plan = match planned {
        Ok(plan) => plan,
        Err(e) => return refused_on(req, state, member, lower, e.into()).await,
    };
    let hidden: Vec<Value> = hidden
        .into_iter()
        .map(|(name, value)| context! { name => name, value => value })
        .collect();
    let extra = context! {
        link_id => link_id,
        plan => Value::from_serialize(&plan),
        hidden => hidden,
    };
    page(req, &member.visitor, StatusCode::OK, "stage_preview.html", extra)
}

pub async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let link_id = path.into_inner();
    let hidden: Vec<(String, String)> = form.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    match choice_of(&form) {
        Ok(choice) => preview_page(&req, &state, &member, link_id, choice, hidden).await,
        Err(e) => {
            let lower = lower_of(&state, &member, &link_id).await?;
            refused_on(&req, &state, &member, lower, e).await
        }
    }
}

async fn lower_of(state: &AppState, member: &Member, link_id: &str) -> Result<String, ApiError> {
    let org = OrgId::from(member.organizer()?.organization_id);
    let id = link_id.to_string();
    Ok(state
        .db
        .run(move |conn| db::stages::link_of_lower(conn, &org, &id))
        .await?
        .lower_competition_id)
}

/// The award categories ticked on a form (`cat_CODE` fields); none ticked: the winners.
fn ticked_or_winners<'a>(mut fields: impl Iterator<Item = &'a str>) -> Vec<AwardCategory> {
    let names: Vec<&str> = fields.by_ref().collect();
    let ticked: Vec<AwardCategory> = CATEGORIES
        .iter()
        .copied()
        .filter(|c| names.contains(&format!("cat_{}", c.code()).as_str()))
        .collect();
    match ticked.is_empty() {
        true => stages::WINNERS.to_vec(),
        false => ticked,
    }
}

/// A previewed table's choice when it is sent: the file kept when it was previewed (by its random
/// name, in the organization's own uploads folder, so another organization's name finds nothing),
/// read again as the preview read it, with the same ticked categories.
async fn table_choice(
    state: &AppState,
    organization_id: &str,
    form: &HashMap<String, String>,
) -> Result<(Choice, String), ApiError> {
    let upload = upload_name(form.get("upload").map_or("", String::as_str))?;
    let bytes = read_saved(state, organization_id, &upload).await?;
    let rows = read_table(state, organization_id.to_string(), bytes).await?;
    let awards = ticked_or_winners(form.keys().map(String::as_str));
    Ok((Choice::Table { rows, awards }, upload))
}

/// A results table uploaded on the page: read as the results upload reads it, then previewed. The
/// file is kept server-side (as the results upload keeps its previews: the organization's uploads
/// folder, a random name, a day at most, ten at most) and the send button carries only its name,
/// so a table of thousands of rows is sent as it was shown.
pub async fn table(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    let upload = read_multipart(multipart, state.settings.max_upload_bytes).await?;
    member.visitor.check_csrf(upload.csrf.as_deref())?;
    let organizer = member.organizer()?;
    let link_id = path.into_inner();
    let lower = lower_of(&state, &member, &link_id).await?;
    let awards = ticked_or_winners(upload.other.iter().map(|(k, _)| k.as_str()));
    let file = upload.file;
    let rows = match read_table(&state, organizer.organization_id.clone(), file.clone()).await {
        Ok(rows) => rows,
        Err(e) => return refused_on(&req, &state, &member, lower, e).await,
    };
    let upload_id = uuid::Uuid::new_v4().simple().to_string();
    let dir = uploads_dir(&state, &organizer.organization_id);
    let target = dir.join(&upload_id);
    web::block(move || keep_upload(&dir, &target, &file))
        .await?
        .map_err(ApiError::internal)?;
    let mut hidden = vec![
        ("mode".to_string(), "table".to_string()),
        ("upload".to_string(), upload_id),
    ];
    hidden.extend(
        awards
            .iter()
            .map(|c| (format!("cat_{}", c.code()), "on".to_string())),
    );
    preview_page(
        &req,
        &state,
        &member,
        link_id,
        Choice::Table { rows, awards },
        hidden,
    )
    .await
}

pub async fn forward(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let link_id = path.into_inner();
    let lower = lower_of(&state, &member, &link_id).await?;
    let chosen = match form.get("mode").map(String::as_str) {
        Some("table") => table_choice(&state, &organizer.organization_id, &form)
            .await
            .map(|(choice, upload)| (choice, Some(upload))),
        _ => choice_of(&form).map(|choice| (choice, None)),
    };
    let (choice, upload) = match chosen {
        Ok(chosen) => chosen,
        Err(e @ ApiError::NotFound) => return Err(e),
        Err(e) => return refused_on(&req, &state, &member, lower, e).await,
    };
    let (lang, _) = page_lang(&req);
    let organizer_id = organizer.organization_id.clone();
    let org = OrgId::from(organizer.organization_id);
    let actor = organizer.actor;
    let sent = state
        .db
        .run(move |conn| stages::forward(conn, &org, &actor, &link_id, choice, lang))
        .await;
    if let (Ok(_), Some(upload)) = (&sent, upload) {
        // Sent: the kept table has done its work.
        let file = uploads_dir(&state, &organizer_id).join(upload);
        let _ = web::block(move || std::fs::remove_file(file)).await;
    }
    match sent {
        Ok(sent) => Ok(see_other(&format!(
            "/app/competitions/{lower}/stages?done=forwarded&n={}#feeds",
            sent.forwarded
        ))),
        Err(e) => refused_on(&req, &state, &member, lower, e.into()).await,
    }
}
