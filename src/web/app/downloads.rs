//! Downloads from the competition page under the session: the ZIP, the print file, and each
//! organization's bundle (its ZIP and its print file). The same streams as the API's.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::session::Member;
use super::view::{ok, page_lang};
use crate::issuance::bundle;
use crate::web::documents::{bundles_of, query_escape, zip_of};
use crate::web::print::print_response;
use crate::web::{ApiError, AppState};

/// Unlike the API's, a page's query may carry `lang=` too: unknown fields are left alone.
#[derive(Deserialize)]
pub struct DownloadQuery {
    /// Only this organization's papers: its bundle.
    organization: Option<String>,
}

pub async fn zip(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let organization = query.into_inner().organization;
    zip_of(
        &state,
        organizer,
        path.into_inner(),
        organization,
        bundle::Folders::None,
    )
    .await
}

pub async fn print(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    print_response(
        &state,
        organizer,
        path.into_inner(),
        query.into_inner().organization,
    )
    .await
}

/// Every organization of the competition's valid papers with its count and its two downloads.
pub async fn bundles(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (competition, organizations) = bundles_of(&state, organizer, path.into_inner()).await?;
    let (lang, _) = page_lang(&req);
    let base = format!("/app/competitions/{}", competition.id);
    let total: i64 = organizations.iter().map(|(_, n)| n).sum();
    let rows: Vec<_> = organizations
        .into_iter()
        .map(|(organization, documents)| {
            let query = organization
                .as_deref()
                .map(|o| format!("?organization={}", query_escape(o)));
            context! {
                organization => organization,
                documents => documents,
                zip => query.as_ref().map(|q| format!("{base}/documents.zip{q}")),
                pdf => query.as_ref().map(|q| format!("{base}/documents.pdf{q}")),
            }
        })
        .collect();
    ok(
        &req,
        &member.visitor,
        "bundles.html",
        context! {
            competition => context! { id => competition.id.clone(), title => competition.title_in(lang).to_string() },
            bundles => rows,
            total => total,
        },
    )
}
