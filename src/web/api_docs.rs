//! `GET /api/docs`: the API description as an interactive page, drawn by RapiDoc (vendored from the
//! npm registry under `templates/static/vendor/rapidoc/`, licence kept beside it) and served by the
//! binary itself: no CDN is needed. The page's scripts are files of this origin, never inline.

use actix_web::http::header;
use actix_web::HttpResponse;

const PAGE: &str = include_str!("../../templates/api_docs.html");
const VIEWER: &str = include_str!("../../templates/static/vendor/rapidoc/rapidoc-min.js");
/// Names for the fields RapiDoc leaves unlabelled (axe-core checks the page).
const NAMES: &str = include_str!("../../templates/static/api_docs_names.js");
const LICENCE: &str = include_str!("../../templates/static/vendor/rapidoc/LICENSE.txt");

/// Scripts only from this origin; the viewer sets styles on its elements, so inline styles are
/// allowed here (and only here), and "try it" calls go to this origin only.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, POLICY))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(PAGE)
}

pub async fn viewer() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(VIEWER)
}

pub async fn names() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(NAMES)
}

pub async fn licence() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(LICENCE)
}
