//! The public side of a competition, for parents, pupils and teachers, on a phone first: the
//! organization's page of competitions, a competition's announcement with its results once
//! published, the application form and the applicant's cabinet behind a private link. Thin: the
//! `applications` services do the work. Pages that show results or an application are kept out
//! of search engines; the announcements may be indexed and shared (Open Graph tags).

mod apply;
mod cabinet;
mod upload;

pub(crate) use cabinet::work_response;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::app::session::Visitor;
use super::app::view::{page, page_lang};
use super::{ApiError, AppState};
use crate::applications::{self, results, PublicCall};
use crate::domain::application::{Call, FieldKind, FileKind};
use crate::domain::{Competition, OrgSlug, Organization};
use crate::i18n::Lang;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/o/{slug}", web::get().to(organization))
        .route("/o/{slug}/logo", web::get().to(logo))
        .route("/c/{id}", web::get().to(competition))
        .route("/c/{id}/rules.pdf", web::get().to(rules))
        .route("/c/{id}/results", web::get().to(results_page))
        .route("/c/{id}/apply", web::get().to(apply::form))
        .route("/c/{id}/apply", web::post().to(apply::submit))
        .route("/c/{id}/link", web::post().to(cabinet::ask_link))
        .route("/a/{token}", web::get().to(cabinet::show))
        .route("/a/{token}", web::post().to(cabinet::correct))
        .route("/a/{token}/files/{file}", web::get().to(cabinet::file))
        .route("/a/{token}/papers/{document}", web::get().to(cabinet::paper))
        .route(
            "/a/{token}/papers/{document}/credential",
            web::get().to(cabinet::credential),
        );
}

/// Whether a path is one of the portal's pages (errors answered as pages); an organization's DID
/// document (`/o/SLUG/did.json`) is for machines.
pub fn is_portal_page(path: &str) -> bool {
    ["/o/", "/c/", "/a/"].iter().any(|p| path.starts_with(p)) && !path.ends_with("/did.json")
}

/// The rate limit of public endpoints, for the portal's forms.
fn limit(req: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    state
        .limiter
        .check(
            super::client_addr::client_ip(req, &state.settings.trusted_proxies),
            std::time::Instant::now(),
        )
        .map_err(|retry_after_seconds| ApiError::RateLimited { retry_after_seconds })
}

fn moment(at: Option<time::OffsetDateTime>) -> Option<String> {
    // Shown as the organizer set it, with its own offset: "2026-12-20 23:59 (UTC+05:00)".
    at.and_then(|m| {
        m.format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute] (UTC[offset_hour sign:mandatory]:[offset_minute])"
        ))
        .ok()
    })
}

/// What the public pages show of a call.
fn call_view(call: &Call, lang: Lang) -> minijinja::Value {
    let now = time::OffsetDateTime::now_utc();
    let closed = call.open_at(now).err().map(|c| format!("{c:?}").to_lowercase());
    let fields: Vec<_> = call
        .fields
        .iter()
        .filter(|f| f.kind != FieldKind::File)
        .map(|f| {
            context! { key => f.key.clone(), label => f.label.clone(), kind => f.kind.as_str(),
            required => f.required, options => f.options.clone() }
        })
        .collect();
    let file_fields: Vec<_> = call
        .file_fields()
        .iter()
        .map(|f| context! { key => f.key.clone(), label => f.label.clone(), required => f.required })
        .collect();
    let accept: Vec<&str> = call.file_kinds.iter().map(|k| accept_of(*k)).collect();
    let _ = lang;
    context! {
        summary => call.summary.clone(),
        contacts => call.contacts.clone(),
        opens_at => moment(call.opens_at),
        deadline => moment(call.deadline),
        nominations => call.nominations.clone(),
        age_groups => call.age_groups.clone(),
        fields => fields,
        file_fields => file_fields,
        team_max => call.team_max,
        team_slots => (1..=call.team_max.min(30)).collect::<Vec<_>>(),
        files_max => call.files_max,
        file_mb => call.file_mb,
        file_kinds => call.file_kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        accept => accept.join(","),
        has_rules => call.has_rules,
        results_published => call.results_published,
        open => closed.is_none(),
        closed => closed,
    }
}

/// What a file input offers to pick (the server reads the type from the bytes anyway).
fn accept_of(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Pdf => ".pdf,application/pdf",
        FileKind::Image => "image/*",
        FileKind::Document => ".doc,.docx,.odt,.ppt,.pptx,.rtf",
        FileKind::Video => "video/*",
        FileKind::Audio => "audio/*",
        FileKind::Archive => ".zip,.rar,.7z",
    }
}

fn competition_view(competition: &Competition, organization: &Organization, lang: Lang) -> minijinja::Value {
    let d = &competition.details;
    context! {
        id => competition.id.clone(),
        title => competition.title_in(lang).to_string(),
        kind => d.kind.as_str(),
        direction => d.direction.map(|x| x.as_str()),
        level => d.level.map(|x| x.as_str()),
        audience => d.audience.clone(),
        starts_on => d.starts_on.map(crate::domain::time::format_date),
        ends_on => d.ends_on.map(crate::domain::time::format_date),
        city => d.city.clone(),
        organization => organization.name(lang),
        organization_slug => organization.slug.clone(),
    }
}

fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{}", state.settings.public_url.trim_end_matches('/'), path)
}

/// A public page that may be indexed and shared.
fn public_page(
    req: &HttpRequest,
    visitor: &Visitor,
    name: &str,
    extra: minijinja::Value,
) -> Result<HttpResponse, ApiError> {
    page(req, visitor, StatusCode::OK, name, extra)
}

async fn organization(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = OrgSlug::parse(&path.into_inner()).ok_or(ApiError::NotFound)?;
    let (organization, listed) = state
        .db
        .run(move |conn| applications::public_listing(conn, &slug))
        .await?;
    let (lang, _) = page_lang(&req);
    let now = time::OffsetDateTime::now_utc();
    let mut open = Vec::new();
    let mut upcoming = Vec::new();
    let mut finished = Vec::new();
    for (competition, call) in &listed {
        let item = context! {
            competition => competition_view(competition, &organization, lang),
            call => call_view(call, lang),
        };
        match call.open_at(now) {
            Ok(()) => open.push(item),
            Err(crate::domain::application::Closed::NotYetOpen) => upcoming.push(item),
            Err(_) => finished.push(item),
        }
    }
    let name = organization.name(lang);
    public_page(
        &req,
        &visitor,
        "portal_organization.html",
        context! {
            organization => context! { name => name.clone(), city => organization.city.clone(),
                slug => organization.slug.clone(), phone => organization.phone.clone(),
                email => organization.email.clone(), website => organization.website.clone() },
            open => open, upcoming => upcoming, finished => finished,
            og => context! { title => name, url => absolute(&state, &format!("/o/{}", organization.slug)) },
            indexable => true,
        },
    )
}

/// The organization's logo, for the pages and the link previews; its stamp and signature never
/// leave the organizer's pages.
async fn logo(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let slug = OrgSlug::parse(&path.into_inner()).ok_or(ApiError::NotFound)?;
    let organization = state
        .db
        .run(move |conn| crate::db::organizations::find_by_slug(conn, &slug))
        .await?
        .ok_or(ApiError::NotFound)?;
    super::organization::picture_of(&state, organization.id, "logo".into()).await
}

async fn competition(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let public = state
        .db
        .run(move |conn| applications::public_call(conn, &id))
        .await?;
    let (lang, _) = page_lang(&req);
    announcement(&req, &state, &visitor, &public, lang, context! {})
}

/// A competition's announcement page, with what a form on it answered (`extra`).
fn announcement(
    req: &HttpRequest,
    state: &AppState,
    visitor: &Visitor,
    public: &PublicCall,
    lang: Lang,
    extra: minijinja::Value,
) -> Result<HttpResponse, ApiError> {
    let competition = competition_view(&public.competition, &public.organization, lang);
    let title = public.competition.title_in(lang).to_string();
    let description = public
        .call
        .summary
        .as_deref()
        .map(|s| s.chars().take(200).collect::<String>())
        .unwrap_or_else(|| public.organization.name(lang));
    let image = public
        .organization
        .pictures
        .contains_key("logo")
        .then(|| absolute(state, &format!("/o/{}/logo", public.organization.slug)));
    public_page(
        req,
        visitor,
        "portal_competition.html",
        context! {
            competition => competition,
            call => call_view(&public.call, lang),
            og => context! { title => title, description => description, image => image,
                url => absolute(state, &format!("/c/{}", public.competition.id)) },
            indexable => true,
            ..extra
        },
    )
}

async fn rules(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let sha256 = state
        .db
        .run(move |conn| applications::public_rules(conn, &id))
        .await?;
    let bytes = read_work(&state, sha256).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CONTENT_DISPOSITION, "inline; filename=\"rules.pdf\""))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}

/// A stored work's bytes, read on the blocking pool.
pub(crate) async fn read_work(state: &AppState, sha256: String) -> Result<Vec<u8>, ApiError> {
    let store = state.works.clone();
    web::block(move || {
        let mut file = store.open(&sha256)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes)?;
        Ok::<_, std::io::Error>(bytes)
    })
    .await?
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ApiError::NotFound,
        _ => ApiError::internal(e),
    })
}

#[derive(Deserialize)]
pub struct ResultsQuery {
    #[serde(default)]
    surname: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    page: usize,
}

const RESULTS_PAGE: usize = 100;

async fn results_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    query: web::Query<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let published = match state.results.fresh(&id) {
        Some(published) => published,
        None => {
            // One build at a time: the first parents of the evening wait for it instead of each
            // reading the whole competition.
            let _building = state.results.building.lock().await;
            if let Some(published) = state.results.fresh(&id) {
                return results_view(&req, &visitor, &published, &query);
            }
            let built = state
                .db
                .run(move |conn| {
                    let public = applications::public_call(conn, &id)?;
                    if !public.call.results_published {
                        return Err(applications::ApplicationError::NotFound);
                    }
                    Ok(results::Published {
                        lines: results::lines(conn, &id)?,
                        competition: public.competition,
                    })
                })
                .await?;
            state.results.keep(built)
        }
    };
    results_view(&req, &visitor, &published, &query)
}

fn results_view(
    req: &HttpRequest,
    visitor: &Visitor,
    published: &results::Published,
    query: &ResultsQuery,
) -> Result<HttpResponse, ApiError> {
    let search = results::Search::new(&query.surname, &query.school);
    let found: Vec<&results::ResultLine> = published.lines.iter().filter(|l| search.finds(l)).collect();
    let pages = found.len().div_ceil(RESULTS_PAGE).max(1);
    let at = query.page.min(pages - 1);
    let shown: Vec<&&results::ResultLine> = found.iter().skip(at * RESULTS_PAGE).take(RESULTS_PAGE).collect();
    let (lang, _) = page_lang(req);
    page(
        req,
        visitor,
        StatusCode::OK,
        "portal_results.html",
        context! {
            id => published.competition.id.clone(),
            title => published.competition.title_in(lang).to_string(),
            lines => shown,
            found => found.len(),
            total => published.lines.len(),
            surname => query.surname.clone(),
            school => query.school.clone(),
            page => at,
            pages => pages,
            search_query => serde_urlencoded::to_string([("surname", &query.surname), ("school", &query.school)])
                .map(|q| format!("{q}&"))
                .unwrap_or_default(),
        },
    )
}
