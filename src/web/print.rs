//! The print file: every valid paper of a competition as one PDF, for a print shop.

use std::io::{Read, Seek};

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use futures_util::stream::{unfold, Stream};

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::db;
use crate::issuance::print::write_print_pdf;

const CHUNK: usize = 256 * 1024;

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
    let public_url = state.settings.public_url.clone();
    let spool_dir = state.settings.data_dir.clone();
    // Pages are spooled to an unnamed file (gone when closed), then streamed: memory stays
    // flat however many papers there are.
    let file = web::block(move || {
        let spool = tempfile::tempfile_in(&spool_dir).map_err(|e| ApiError::Internal(e.to_string()))?;
        let mut file = write_print_pdf(
            &renderer,
            &public_url,
            &competition.details.design,
            &competition.details.title,
            &documents,
            std::io::BufWriter::new(spool),
        )
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
        file.rewind().map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok::<_, ApiError>(file)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("print.pdf".into())],
        })
        .streaming(chunks(file)))
}

/// A file read in chunks on the blocking pool.
fn chunks(file: std::fs::File) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    unfold(Some(file), |state| async move {
        let mut file = state?;
        let read = web::block(move || {
            let mut buffer = vec![0; CHUNK];
            let n = file.read(&mut buffer)?;
            buffer.truncate(n);
            Ok::<_, std::io::Error>((file, buffer))
        })
        .await;
        match read {
            Ok(Ok((_, buffer))) if buffer.is_empty() => None,
            Ok(Ok((file, buffer))) => Some((Ok(Bytes::from(buffer)), Some(file))),
            Ok(Err(e)) => Some((Err(e), None)),
            Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
        }
    })
}
