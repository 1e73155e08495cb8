//! An organizer's documents: search by name or serial, download, revoke, re-issue.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::account::see_other;
use super::mail::message_view;
use super::session::{signed_in, CheckedForm, Member};
use super::view::{ok, page_lang};
use crate::domain::Document;
use crate::issuance::verify_url;
use crate::papers;
use crate::web::documents::{reissue_owned, revoke_owned, ReissueRequest};
use crate::web::{ApiError, AppState};

/// Rows a page shows; a search narrows the rest down.
const SHOWN: usize = 200;

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    /// The serial the page goes on after (the link to the next page).
    after: Option<String>,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let id = path.into_inner();
    let SearchQuery { q, after } = query.into_inner();
    let q = q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_string);
    let search = q.clone();
    let mut listed = state
        .db
        .run(move |conn| {
            papers::listing::list(
                conn,
                &organizer.organization_id,
                &id,
                search.as_deref(),
                after.as_deref(),
                SHOWN,
            )
        })
        .await?;
    let (lang, _) = page_lang(&req);
    // The next page, when the database may have more after this one (not for a search).
    let next = (q.is_none() && listed.page.len() == SHOWN)
        .then(|| listed.page.last().map(|d| d.serial.to_string()))
        .flatten();
    let rows: Vec<_> = listed
        .page
        .iter()
        .map(|d| {
            let mail: Vec<_> = listed
                .deliveries
                .remove(&d.id)
                .unwrap_or_default()
                .iter()
                .map(message_view)
                .collect();
            let scans = listed.scans.get(&d.id);
            context! {
                mail => mail,
                id => d.id.clone(),
                serial => d.serial.to_string(),
                code => d.code.to_string(),
                holder => d.payload.holder.clone(),
                award => d.payload.award_title.clone(),
                status => d.status.as_str(),
                rendered => d.sha256.is_some(),
                public => d.public_lookup,
                issued_at => d.issued_at.get(..16).map(|t| t.replace('T', " ")),
                revoked_reason => d.revoked_reason.clone(),
                superseded_by => d.superseded_by.as_ref().and_then(|id| listed.replacements.get(id)),
                scans => scans.map(|s| s.0).unwrap_or(0),
                last_scan => scans.and_then(|s| s.1.as_ref()).and_then(|t| t.get(..16)).map(|t| t.replace('T', " ")),
                verify_url => verify_url(&state.settings.public_url, &d.code),
            }
        })
        .collect();
    let competition = &listed.competition;
    ok(
        &req,
        &member.visitor,
        "documents.html",
        context! {
            competition => context! { id => competition.id.clone(), title => competition.title_in(lang).to_string() },
            documents => rows,
            total => listed.total,
            found => listed.found,
            more => q.is_some() && listed.found > SHOWN,
            next => next,
            q => q,
            mail_on => state.mail.is_on(),
        },
    )
}

fn attachment(name: String) -> ContentDisposition {
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(name)],
    }
}

/// One PDF, read from the store: shared by the organizer's and the participant's downloads.
pub async fn pdf_response(state: &AppState, document: Document) -> Result<HttpResponse, ApiError> {
    let pdf = crate::web::documents::paper_pdf(state, document).await?;
    Ok(crate::web::private::private(&mut HttpResponse::Ok())
        .content_type("application/pdf")
        .insert_header(attachment(pdf.file_name))
        .body(pdf.bytes))
}

pub async fn pdf(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let organization_id = crate::domain::OrgId::from(organizer.organization_id);
    let id = crate::domain::DocumentId::from(path.into_inner());
    let document = state
        .db
        .run(move |conn| crate::papers::find(conn, &organization_id, &id))
        .await?;
    pdf_response(&state, document).await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
}

pub async fn revoke(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<RevokeForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let document = revoke_owned(&state, organizer, path.into_inner().into(), &form.reason).await?;
    Ok(see_other(&format!(
        "/app/competitions/{}/documents?q={}",
        document.competition_id, document.serial
    )))
}

/// A corrected paper in place of this one (the holder's name, the school or the award).
pub async fn reissue(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<ReissueRequest>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let correction = form.parse()?;
    let document = reissue_owned(&state, organizer, path.into_inner(), correction).await?;
    Ok(see_other(&format!(
        "/app/competitions/{}/documents?q={}",
        document.competition_id, document.serial
    )))
}

#[derive(serde::Deserialize)]
pub struct VisibilityForm {
    public: String,
}

/// Turns a paper's public verification page on or off from its card.
pub async fn visibility(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<VisibilityForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let public = form.public == "true";
    let document = crate::web::documents::set_visibility(
        &state,
        organizer.organization_id.into(),
        path.into_inner().into(),
        public,
    )
    .await?;
    Ok(see_other(&format!(
        "/app/competitions/{}/documents?q={}",
        document.competition_id, document.serial
    )))
}
