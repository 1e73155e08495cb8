//! Public verification: anyone with the paper, no account. Unknown and malformed codes get the same
//! answer, so the answer says nothing about which codes exist.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder};
use minijinja::context;

use super::lang::request_lang;
use super::private::private;
use super::{ApiError, AppState};
use crate::db;
use crate::domain::time::{format_date_dotted, parse_date};
use crate::domain::VerificationCode;
use crate::issuance::verify_url;
use crate::trust::jwks;
use crate::verification::cache::Kept;
use crate::verification::PublicRecord;

/// What `/metrics` counts for a code that names no public paper (unknown, malformed or pending).
const NOT_FOUND: &str = "not_found";

async fn lookup(req: &HttpRequest, state: &AppState, code: &str) -> Result<Option<PublicRecord>, ApiError> {
    let client = super::client_addr::client_ip(req, &state.settings.trusted_proxies);
    state
        .limiter
        .check(client, std::time::Instant::now())
        .map_err(|retry_after_seconds| ApiError::RateLimited { retry_after_seconds })?;
    let metrics = &state.issuance.metrics;
    let Some(code) = VerificationCode::parse(code) else {
        metrics.count_verification(NOT_FOUND);
        return Ok(None);
    };
    let found = match state.verified.get(code.as_str()) {
        Some(kept) => Some(kept),
        None => {
            let public_url = state.settings.public_url.clone();
            let epoch = state.verified.epoch();
            let read = state
                .db
                .read(move |conn| {
                    let Some(document) = db::documents::find_by_code(conn, &code)? else {
                        return Ok::<_, crate::db::DbError>(None);
                    };
                    let replacement = match &document.superseded_by {
                        Some(id) => Some(verify_url(&public_url, &db::documents::find(conn, id)?.code)),
                        None => None,
                    };
                    Ok(Kept::of(
                        &document,
                        verify_url(&public_url, &document.code),
                        replacement,
                    ))
                })
                .await?;
            read.map(|kept| {
                let kept = std::sync::Arc::new(kept);
                state.verified.keep(kept.code(), kept.clone(), epoch);
                kept
            })
        }
    };
    metrics.count_verification(found.as_ref().map_or(NOT_FOUND, |k| k.status.as_str()));
    let refresh = req.headers().contains_key("x-gramota-refresh");
    Ok(found.map(|kept| {
        if !refresh {
            state.scans.record(&kept.document_id, kept.status);
        }
        kept.record()
    }))
}

fn page_headers(response: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    private(response)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, "Accept-Language"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ))
}

#[utoipa::path(
    get,
    path = "/api/v1/verify/{code}",
    tag = "verification",
    operation_id = "verify_json",
    summary = "Public verification",
    params(
        ("code" = String, Path),
    ),
    responses(
        (status = 200, description = "found", content((crate::verification::PublicRecord = "application/json"))),
        (status = 404, description = "not_found, identical for every unknown code"),
    ),
)]
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

fn keys(state: &AppState) -> Result<jwks::Jwks, ApiError> {
    let keyring = state.issuance.keys.current().map_err(ApiError::internal)?;
    Ok(jwks::of(&keyring))
}

#[utoipa::path(
    get,
    path = "/v/{code}",
    tag = "verification",
    operation_id = "verify_page",
    summary = "Public verification page (HTML, kk/ru/en)",
    params(
        ("code" = String, Path),
        ("lang" = Option<crate::i18n::Lang>, Query),
    ),
    responses(
        (status = 200, description = "page"),
        (status = 404, description = "not found page"),
    ),
)]
pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let lang = request_lang(&req);
    let record = lookup(&req, &state, &path).await?;
    let keys = keys(&state)?;
    let dotted = |iso: &Option<String>| iso.as_deref().and_then(parse_date).map(format_date_dotted);
    let (mut response, html) = match record {
        Some(record) => {
            let extra = context! {
                award => record.award_in(lang),
                kind => record.kind_in(lang),
                // A letter or a course certificate is its own award: said once, as the document.
                show_award => matches!(record.kind, "diploma" | "certificate"),
                date => record.date_dotted(),
                valid_until => dotted(&record.valid_until),
                superseded_url => record.superseded_by.clone(),
                record => &record,
            };
            let html = state
                .pages
                .render("verify.html", lang, &keys, record.pdf_sha256.as_deref(), extra);
            (HttpResponse::Ok(), html)
        }
        None => (
            HttpResponse::NotFound(),
            state
                .pages
                .render("not_found.html", lang, &keys, None, context! {}),
        ),
    };
    let html = html.map_err(ApiError::internal)?;
    Ok(page_headers(&mut response)
        .insert_header(("Content-Language", lang.code()))
        .body(html))
}

#[utoipa::path(
    get,
    path = "/v/",
    tag = "verification",
    operation_id = "verify_offline_page",
    summary = "The offline verification page the service worker keeps: it checks a signed record alone.",
    responses(
        (status = 200, description = "page"),
    ),
)]
/// The page the service worker keeps for offline use: it checks the signed record alone.
pub async fn offline_page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let lang = request_lang(&req);
    let html = state
        .pages
        .render("shell.html", lang, &keys(&state)?, None, context! {})
        .map_err(ApiError::internal)?;
    Ok(page_headers(&mut HttpResponse::Ok()).body(html))
}

#[utoipa::path(
    get,
    path = "/.well-known/gramota-keys.json",
    tag = "verification",
    operation_id = "verify_key_set",
    summary = "The public Ed25519 keys that sign papers (JWKS, RFC 8037), retired and compromised ones included, with gramota's `status` member. Verify a QR code's signed record offline with them.",
    responses(
        (status = 200, description = "key set"),
    ),
)]
/// Every key that ever signed a paper, retired and compromised ones included.
pub async fn key_set(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(keys(&state)?))
}

pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(include_str!("../../templates/static/verify.js"))
}

pub async fn service_worker() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(include_str!("../../templates/static/sw.js"))
}
