//! Participants and parents: find one's own paper by its code and surname, and download it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::documents::pdf_response;
use super::session::Visitor;
use super::view::page;
use crate::db;
use crate::domain::lookup::holder_has_surname;
use crate::domain::{Document, DocumentStatus, VerificationCode};
use crate::web::{ApiError, AppState};

#[derive(Deserialize)]
pub struct FindQuery {
    code: Option<String>,
    surname: Option<String>,
}

/// The document with this code, if it is public and the surname is its holder's. A wrong surname, a
/// wrong code and a hidden paper get the same answer.
async fn find(
    req: &HttpRequest,
    state: &AppState,
    code: &str,
    surname: &str,
) -> Result<Option<Document>, ApiError> {
    state
        .limiter
        .check(
            crate::web::client_addr::client_ip(req, &state.settings.trusted_proxies),
            std::time::Instant::now(),
        )
        .map_err(|retry_after_seconds| ApiError::RateLimited { retry_after_seconds })?;
    let Some(code) = VerificationCode::parse(code) else {
        return Ok(None);
    };
    let surname = surname.to_string();
    Ok(state
        .db
        .run(move |conn| db::documents::find_by_code(conn, &code))
        .await?
        .filter(|d| d.public_lookup && holder_has_surname(&d.payload.holder, &surname)))
}

pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, ApiError> {
    let (Some(code), Some(surname)) = (query.code.as_deref(), query.surname.as_deref()) else {
        return page(&req, &visitor, StatusCode::OK, "find.html", context! {});
    };
    let found = find(&req, &state, code, surname).await?;
    let Some(document) = found else {
        return page(
            &req,
            &visitor,
            StatusCode::NOT_FOUND,
            "find.html",
            context! { code => code, surname => surname, not_found => true },
        );
    };
    let download = format!(
        "/find/pdf?code={}&surname={}",
        document.code,
        urlencode(surname.trim())
    );
    page(
        &req,
        &visitor,
        StatusCode::OK,
        "find.html",
        context! {
            code => code,
            surname => surname,
            document => context! {
                holder => document.payload.holder.clone(),
                award => document.payload.award_title.clone(),
                serial => document.serial.to_string(),
                status => document.status.as_str(),
                downloadable => document.sha256.is_some() && document.status == DocumentStatus::Valid,
                download => download,
                verify => format!("/v/{}", document.code),
            },
        },
    )
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// The PDF, with the same two proofs as the search; the e-mailed download link carries them too.
pub async fn pdf(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, ApiError> {
    let (Some(code), Some(surname)) = (query.code.as_deref(), query.surname.as_deref()) else {
        return Err(ApiError::NotFound);
    };
    let document = find(&req, &state, code, surname)
        .await?
        .filter(|d| d.status == DocumentStatus::Valid)
        .ok_or(ApiError::NotFound)?;
    pdf_response(&state, document).await
}
