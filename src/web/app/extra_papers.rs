//! The competition's page of extra papers (issue 23): team members' personal papers on or off, the
//! organizer's own wording of each kind of paper's reason, the jury's letters of gratitude with the
//! number of works each judge reviewed, and a seminar's or webinar's attendance marks. Thin: the
//! same service functions as the API (`competitions::extra_papers`, `issuance::jury_letters`).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use minijinja::{context, Value};
use serde::Deserialize;

use super::account::{see_other, Empty};
use super::session::{signed_in, CheckedForm, Member};
use super::view::{page, page_lang};
use crate::competitions::extra_papers::{self, Overview};
use crate::domain::papers::ReasonKind;
use crate::domain::{CompetitionId, OrgId};
use crate::web::extra_papers::issue_letters;
use crate::web::{ApiError, AppState};

const DONE: [&str; 3] = ["saved", "letters", "attended"];

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
    papers_page(&req, &state, &member, path.into_inner(), StatusCode::OK, extra).await
}

async fn papers_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition_id: String,
    status: StatusCode,
    extra: Value,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let organization_id = OrgId::from(organizer.organization_id);
    let id = CompetitionId::from(competition_id);
    let overview: Overview = state
        .db
        .run(move |conn| extra_papers::overview(conn, &organization_id, &id))
        .await?;
    let (lang, _) = page_lang(req);
    let competition = &overview.competition;
    let reasons: Vec<Value> = ReasonKind::ALL
        .iter()
        .map(|kind| {
            context! {
                kind => kind.as_str(),
                text => overview.settings.reasons.get(kind).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let judges: Vec<Value> = overview
        .judges
        .iter()
        .map(|j| {
            context! {
                name => j.work.judge.name.clone(),
                organization => j.work.judge.organization.clone(),
                reviewed => j.work.reviewed,
                thanked => j.thanked,
                email => j.work.email.is_some(),
            }
        })
        .collect();
    let attendance: Vec<Value> = overview
        .attendance
        .iter()
        .map(|e| {
            context! {
                id => e.id.clone(),
                holder => e.holder.clone(),
                school => e.school.clone(),
                attended => e.attended != Some(false),
            }
        })
        .collect();
    let base = context! {
        competition => context! {
            id => competition.id.clone(),
            title => competition.title_in(lang).to_string(),
            kind => competition.details.kind.as_str(),
            event => competition.details.kind.is_event(),
        },
        member_papers => overview.settings.member_papers,
        reasons => reasons,
        judges => judges,
        attendance => attendance,
        attended => overview.attendance.iter().filter(|e| e.attended != Some(false)).count(),
    };
    page(
        req,
        &member.visitor,
        status,
        "papers.html",
        context! { ..base, ..extra },
    )
}

/// A refusal the organizer can act on (a reason the fonts cannot print, too long) is shown on
/// the page; anything else is an error page.
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition_id: String,
    error: ApiError,
) -> Result<HttpResponse, ApiError> {
    match error {
        ApiError::Invalid(_) | ApiError::Conflict(_) | ApiError::MissingGlyphs(_) => {
            let (lang, _) = page_lang(req);
            let extra = context! { message => error.message_in(lang) };
            papers_page(req, state, member, competition_id, error.status_code(), extra).await
        }
        other => Err(other),
    }
}

#[derive(Deserialize)]
pub struct SettingsForm {
    member_papers: Option<String>,
    reason_diploma: Option<String>,
    reason_certificate: Option<String>,
    reason_letter: Option<String>,
    reason_jury_letter: Option<String>,
    reason_course: Option<String>,
    reason_seminar: Option<String>,
}

pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<SettingsForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition_id = path.into_inner();
    let reasons: BTreeMap<ReasonKind, String> = [
        (ReasonKind::Diploma, form.reason_diploma),
        (ReasonKind::Certificate, form.reason_certificate),
        (ReasonKind::Letter, form.reason_letter),
        (ReasonKind::JuryLetter, form.reason_jury_letter),
        (ReasonKind::Course, form.reason_course),
        (ReasonKind::Seminar, form.reason_seminar),
    ]
    .into_iter()
    .filter_map(|(kind, text)| Some((kind, text?)))
    .collect();
    let member_papers = form.member_papers.is_some();
    let organization_id = OrgId::from(organizer.organization_id);
    let id = CompetitionId::from(competition_id.clone());
    let renderer = state.issuance.renderer.clone();
    let saved = state
        .db
        .run(move |conn| {
            extra_papers::set_settings(conn, &renderer, &organization_id, &id, member_papers, reasons)
        })
        .await;
    match saved {
        Ok(_) => Ok(see_other(&format!(
            "/app/competitions/{competition_id}/papers?done=saved"
        ))),
        Err(e) => refused(&req, &state, &member, competition_id, e.into()).await,
    }
}

pub async fn jury_letters(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition_id = path.into_inner();
    match issue_letters(&state, &organizer, competition_id.clone()).await {
        Ok(letters) => Ok(see_other(&format!(
            "/app/competitions/{competition_id}/papers?done=letters&n={}#jury",
            letters.issued.len()
        ))),
        Err(e) => refused(&req, &state, &member, competition_id, e).await,
    }
}

#[derive(Deserialize)]
pub struct AttendedForm {
    attended: String,
}

/// One participant marked as attended or absent; back to the list at their row.
pub async fn attended(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm<AttendedForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let (competition_id, entry_id) = path.into_inner();
    let organization_id = OrgId::from(organizer.organization_id);
    let id = CompetitionId::from(competition_id.clone());
    let attended = form.attended == "true";
    let entry = entry_id.clone();
    state
        .db
        .run(move |conn| extra_papers::set_attended(conn, &organization_id, &id, &entry, attended))
        .await?;
    Ok(see_other(&format!(
        "/app/competitions/{competition_id}/papers?done=attended#entry-{entry_id}"
    )))
}
