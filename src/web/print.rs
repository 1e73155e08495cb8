//! The print file: every valid paper of a competition as one PDF, for a print shop.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web;
use actix_web::HttpResponse;
use serde::Deserialize;

use super::auth::Organizer;
use super::documents::papers_exported;
use super::{stream, ApiError, AppState};
use crate::issuance::print::{print_design, write_print_pdf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintQuery {
    /// Only the papers of this organization's entries (its own print file).
    organization: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/documents.pdf",
    tag = "documents",
    operation_id = "print_print_pdf",
    summary = "The print file: every valid paper of the competition as one PDF, each face of the fonts embedded once for all pages. Streamed; revoked and superseded papers are left out.",
    params(
        ("id" = String, Path),
        ("organization" = Option<String>, Query, description = "Only the papers of this organization's entries"),
    ),
    responses(
        (status = 200, description = "the print file", content(("application/pdf"))),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
/// Pages are written on a blocking thread straight into the response as they are made, like the
/// ZIP: memory stays flat however many papers there are.
pub async fn print_pdf(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<PrintQuery>,
) -> Result<HttpResponse, ApiError> {
    let organization = query.into_inner().organization;
    print_response(&state, organizer, path.into_inner(), organization).await
}

/// The print file of one of the organizer's competitions (or of one organization's papers in it):
/// shared by the API and the application's pages.
pub(super) async fn print_response(
    state: &AppState,
    organizer: Organizer,
    competition_id: String,
    organization: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let competition = state
        .db
        .run(move |conn| papers_exported(conn, &organizer, &competition_id, "print PDF"))
        .await?
        .ok_or(ApiError::Gone(crate::i18n::Message::PaperErased))?;
    // A design that cannot be prepared is refused before the download starts.
    let (issuance, checked) = (state.issuance.clone(), competition.clone());
    web::block(move || issuance.design(&print_design(&issuance, &checked)?)).await??;
    let issuance = state.issuance.clone();
    let organization = organization.filter(|o| !o.is_empty());
    let place = state.download_place()?;
    let (mut writer, body) = stream::channel();
    actix_web::rt::task::spawn_blocking(move || {
        let _place = place;
        if let Err(e) = write_print_pdf(&issuance, &competition, organization, &mut writer) {
            tracing::warn!(error = %e, competition = %competition.id, "print file broken off");
            writer.fail(std::io::Error::other(e.to_string()));
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("print.pdf".into())],
        })
        .streaming(body))
}
