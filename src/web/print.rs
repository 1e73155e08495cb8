//! The print file: every valid paper of a competition as one PDF, for a print shop.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web;
use actix_web::HttpResponse;

use super::auth::Organizer;
use super::{stream, ApiError, AppState};
use crate::db;
use crate::issuance::print::write_print_pdf;

/// Pages are written on a blocking thread straight into the response as they are made, like the
/// ZIP: memory stays flat however many papers there are.
pub async fn print_pdf(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    let (competition, documents) = state
        .db
        .run(move |conn| {
            let competition =
                db::competitions::find_owned(conn, &organizer.organization_id, &competition_id)?;
            let documents = db::documents::list_for_competition(conn, &competition.id)?;
            Ok::<_, db::DbError>((competition, documents))
        })
        .await?;
    let renderer = state.issuance.renderer.clone();
    // A design that cannot be prepared is refused before the download starts.
    let design = competition.details.design.clone();
    let check = renderer.clone();
    web::block(move || check.prepared(&design))
        .await?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let public_url = state.settings.public_url.clone();
    let (mut writer, body) = stream::channel();
    actix_web::rt::task::spawn_blocking(move || {
        let written = write_print_pdf(
            &renderer,
            &public_url,
            &competition.details.design,
            &competition.details.title,
            &documents,
            &mut writer,
        );
        if let Err(e) = written {
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
