//! Public verification: anyone with the paper, no account. Unknown and malformed codes get the same
//! answer, so the answer says nothing about which codes exist.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::lang::request_lang;
use super::{ApiError, AppState};
use crate::db;
use crate::domain::VerificationCode;
use crate::issuance::verify_url;
use crate::verification::PublicRecord;

async fn lookup(req: &HttpRequest, state: &AppState, code: &str) -> Result<Option<PublicRecord>, ApiError> {
    let client = req.peer_addr().map(|a| a.ip());
    state
        .limiter
        .check(client, std::time::Instant::now())
        .map_err(|retry_after_seconds| ApiError::RateLimited { retry_after_seconds })?;
    let Some(code) = VerificationCode::parse(code) else {
        return Ok(None);
    };
    let public_url = state.settings.public_url.clone();
    let document = state
        .db
        .run(move |conn| db::documents::find_by_code(conn, &code))
        .await?;
    Ok(document.and_then(|d| {
        let url = verify_url(&public_url, &d.code);
        PublicRecord::of(&d, url)
    }))
}

/// Verification answers are about people, often children: not for search engines or caches.
fn private(response: &mut actix_web::HttpResponseBuilder) -> &mut actix_web::HttpResponseBuilder {
    response
        .insert_header(("X-Robots-Tag", "noindex, nofollow"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
}

pub async fn json(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    match lookup(&req, &state, &path).await? {
        Some(record) => Ok(private(&mut HttpResponse::Ok()).json(record)),
        None => Ok(private(&mut HttpResponse::NotFound()).json(serde_json::json!({"status": "not_found"}))),
    }
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let lang = request_lang(&req);
    let record = lookup(&req, &state, &path).await?;
    let (mut response, html) = match record {
        Some(record) => {
            let extra = context! {
                award => record.award_in(lang),
                date => record.date_dotted(),
                record => record,
            };
            (HttpResponse::Ok(), state.pages.render("verify.html", lang, extra))
        }
        None => (
            HttpResponse::NotFound(),
            state.pages.render("not_found.html", lang, context! {}),
        ),
    };
    let html = html.map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(private(response.content_type("text/html; charset=utf-8"))
        .insert_header((header::VARY, "Accept-Language"))
        .insert_header(("Content-Language", lang.code()))
        .body(html))
}
