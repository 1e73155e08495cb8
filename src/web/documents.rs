use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::deliveries::DeliveryView;
use super::{ApiError, AppState};
use crate::db;
use crate::domain::entry::{EntryCorrection, HolderName};
use crate::domain::Award;
use crate::domain::{Document, DocumentStatus};
use crate::i18n::Message;
use crate::issuance::{self, bundle, verify_url};
use crate::verification::public_status;

#[derive(Serialize)]
struct DocumentView {
    id: String,
    serial: String,
    code: String,
    holder: String,
    award: String,
    award_title: String,
    status: DocumentStatus,
    /// What the public page says now: `expired` once a paper's validity has passed.
    public_status: &'static str,
    public_lookup: bool,
    superseded_by: Option<String>,
    design: String,
    sha256: Option<String>,
    verify_url: String,
    pdf_url: String,
    issued_at: String,
}

impl DocumentView {
    fn of(d: Document, public_url: &str) -> DocumentView {
        let public_status = public_status(&d);
        DocumentView {
            verify_url: verify_url(public_url, &d.code),
            pdf_url: format!("/api/v1/documents/{}/pdf", d.id),
            id: d.id,
            serial: d.serial.to_string(),
            code: d.code.to_string(),
            holder: d.payload.holder,
            award: d.payload.award,
            award_title: d.payload.award_title,
            status: d.status,
            public_status,
            public_lookup: d.public_lookup,
            superseded_by: d.superseded_by,
            design: d.design,
            sha256: d.sha256,
            issued_at: d.issued_at,
        }
    }
}

/// The document's JSON with the messages that carry it: queued, sent, failed with the reason.
fn with_deliveries(
    view: DocumentView,
    messages: Vec<crate::domain::outbox::OutboxMessage>,
) -> Result<serde_json::Value, ApiError> {
    let mut value = serde_json::to_value(view).map_err(|e| ApiError::Internal(e.to_string()))?;
    let messages: Vec<DeliveryView> = messages.into_iter().map(DeliveryView::of).collect();
    value["deliveries"] = serde_json::to_value(messages).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(value)
}

async fn owned_documents(
    state: &AppState,
    organizer: Organizer,
    competition_id: String,
) -> Result<Vec<Document>, ApiError> {
    Ok(state
        .db
        .run(move |conn| {
            let competition =
                db::competitions::find_owned(conn, &organizer.organization_id, &competition_id)?;
            db::documents::list_for_competition(conn, &competition.id)
        })
        .await?)
}

pub async fn list(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let documents = owned_documents(&state, organizer, path.into_inner()).await?;
    let ids: Vec<String> = documents.iter().map(|d| d.id.clone()).collect();
    let mut deliveries = state
        .db
        .run(move |conn| db::outbox::for_documents(conn, &ids))
        .await?;
    let public_url = &state.settings.public_url;
    let views = documents
        .into_iter()
        .map(|d| {
            let sent = deliveries.remove(&d.id).unwrap_or_default();
            with_deliveries(DocumentView::of(d, public_url), sent)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(views))
}

fn attachment(name: String) -> ContentDisposition {
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(name)],
    }
}

pub async fn zip(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let documents = owned_documents(&state, organizer, path.into_inner()).await?;
    let store = state.issuance.store.clone();
    let archive = web::block(move || {
        bundle::write_zip(std::io::Cursor::new(Vec::new()), &store, &documents).map(|c| c.into_inner())
    })
    .await?
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(attachment("documents.zip".into()))
        .body(archive))
}

pub async fn pdf(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let document = state
        .db
        .run(move |conn| db::documents::find_owned(conn, &organizer.organization_id, &id))
        .await?;
    if document.sha256.is_none() {
        return Err(ApiError::NotFound);
    }
    let store = state.issuance.store.clone();
    let name = bundle::file_name(&document);
    let bytes = web::block(move || store.read(&document))
        .await?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(attachment(name))
        .body(bytes))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    reason: String,
}

pub async fn revoke(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<RevokeRequest>,
) -> Result<HttpResponse, ApiError> {
    let reason = crate::domain::entry::normalize_text(&body.reason);
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(ApiError::Invalid(Message::InvalidField {
            field: "reason",
            reason: "1–1000 characters".into(),
        }));
    }
    let id = path.into_inner();
    let public_url = state.settings.public_url.clone();
    let document = state
        .db
        .run(move |conn| {
            let document = db::documents::find_owned(conn, &organizer.organization_id, &id)?;
            db::documents::revoke(conn, &document.id, &reason)?;
            db::documents::find_owned(conn, &organizer.organization_id, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(DocumentView::of(document, &public_url)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReissueRequest {
    holder: Option<String>,
    school: Option<String>,
    region: Option<String>,
    supervisor: Option<String>,
    nomination: Option<String>,
    age_group: Option<String>,
    award: Option<String>,
}

impl ReissueRequest {
    fn parse(self) -> Result<EntryCorrection, ApiError> {
        let invalid = |field: &'static str, reason: &str| {
            ApiError::Invalid(Message::InvalidField {
                field,
                reason: reason.into(),
            })
        };
        let clean = |value: Option<String>| {
            value
                .map(|v| crate::domain::entry::normalize_text(&v))
                .filter(|v| !v.is_empty())
        };
        let holder = match self.holder {
            Some(text) => Some(HolderName::parse(&text).ok_or_else(|| invalid("holder", "not empty"))?),
            None => None,
        };
        let award = match self.award {
            Some(text) => Some(
                Award::from_code(&text)
                    .or_else(|| Award::parse(&text))
                    .ok_or_else(|| {
                        invalid(
                            "award",
                            "e.g. place_1, degree_2, grand_prix, laureate, participant",
                        )
                    })?,
            ),
            None => None,
        };
        Ok(EntryCorrection {
            holder,
            school: clean(self.school),
            region: clean(self.region),
            supervisor: clean(self.supervisor),
            nomination: clean(self.nomination),
            age_group: clean(self.age_group),
            award,
        })
    }
}

/// Issues a corrected paper in place of this one; the old one then verifies as superseded.
pub async fn reissue(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<ReissueRequest>,
) -> Result<HttpResponse, ApiError> {
    let correction = body.into_inner().parse()?;
    let id = path.into_inner();
    let issuance = state.issuance.clone();
    let document =
        web::block(move || issuance::reissue(&issuance, &organizer.organization_id, &id, &correction))
            .await??;
    Ok(HttpResponse::Created().json(DocumentView::of(document, &state.settings.public_url)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisibilityRequest {
    public: bool,
}

/// Turns the public verification page on or off for one paper.
pub async fn visibility(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<VisibilityRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let public = body.public;
    let public_url = state.settings.public_url.clone();
    let document = state
        .db
        .run(move |conn| {
            let document = db::documents::find_owned(conn, &organizer.organization_id, &id)?;
            db::documents::set_public_lookup(conn, &document.id, public)?;
            db::documents::find(conn, &document.id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(DocumentView::of(document, &public_url)))
}

/// One paper, with its scan log summary.
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let public_url = state.settings.public_url.clone();
    let (document, scans, mut deliveries) = state
        .db
        .run(move |conn| {
            let document = db::documents::find_owned(conn, &organizer.organization_id, &id)?;
            let scans = db::scans::summary(conn, &document.id)?;
            let deliveries = db::outbox::for_documents(conn, std::slice::from_ref(&document.id))?;
            Ok((document, scans, deliveries))
        })
        .await?;
    let sent = deliveries.remove(&document.id).unwrap_or_default();
    let mut view = with_deliveries(DocumentView::of(document, &public_url), sent)?;
    view["scan_log"] = serde_json::to_value(scans).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok().json(view))
}
