use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::db;
use crate::domain::{Document, DocumentStatus};
use crate::i18n::Message;
use crate::issuance::{bundle, verify_url};

#[derive(Serialize)]
struct DocumentView {
    id: String,
    serial: String,
    code: String,
    holder: String,
    award: String,
    award_title: String,
    status: DocumentStatus,
    design: String,
    sha256: Option<String>,
    verify_url: String,
    pdf_url: String,
    issued_at: String,
}

impl DocumentView {
    fn of(d: Document, public_url: &str) -> DocumentView {
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
            design: d.design,
            sha256: d.sha256,
            issued_at: d.issued_at,
        }
    }
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
    let public_url = &state.settings.public_url;
    let views: Vec<DocumentView> = documents
        .into_iter()
        .map(|d| DocumentView::of(d, public_url))
        .collect();
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
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
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
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
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
