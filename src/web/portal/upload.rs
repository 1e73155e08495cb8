//! An application form as it arrives (multipart): its fields kept as text, its files streamed
//! into the works store's temporary files, each checked against the call as it comes (size while
//! it is read, kind from its first bytes) and the whole request refused by its declared length
//! before any of it is read. Nothing is held whole in memory.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::HttpRequest;
use futures_util::StreamExt;

use crate::applications::works::{ReceivedWork, WorkError, WorkStore};
use crate::domain::application::{Call, Submitted};
use crate::i18n::{Message, PortalMessage};
use crate::web::ApiError;

/// The form's text is small: names, a school, answers.
const TEXT_LIMIT: usize = 256 * 1024;
/// The hidden field only robots fill.
pub const HONEYPOT: &str = "website";

pub struct Received {
    pub fields: Submitted,
    pub works: Vec<ReceivedWork>,
    pub csrf: Option<String>,
    pub honeypot: bool,
}

fn refused(e: WorkError, file_limit: usize) -> ApiError {
    match e {
        WorkError::Refused(PortalMessage::FileTooLarge { .. }) => ApiError::PayloadTooLarge(file_limit),
        WorkError::Refused(message) => ApiError::Unprocessable(Message::Portal(message)),
        WorkError::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => ApiError::DiskFull,
        WorkError::Io(io) => ApiError::internal(io),
    }
}

pub async fn read(
    req: &HttpRequest,
    mut multipart: Multipart,
    store: &WorkStore,
    call: &Call,
) -> Result<Received, ApiError> {
    let upload_limit = usize::try_from(call.upload_limit()).unwrap_or(usize::MAX);
    let file_limit = usize::try_from(call.file_limit()).unwrap_or(usize::MAX);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > upload_limit) {
        return Err(ApiError::PayloadTooLarge(upload_limit));
    }
    let bad = |e: actix_multipart::MultipartError| ApiError::Invalid(Message::InvalidJson(e.to_string()));
    let mut received = Received {
        fields: Vec::new(),
        works: Vec::new(),
        csrf: None,
        honeypot: false,
    };
    let (mut text_bytes, mut total) = (0usize, 0usize);
    while let Some(part) = multipart.next().await {
        let mut part = part.map_err(bad)?;
        let name = part.name().unwrap_or_default().to_string();
        let file_name = part
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        if let Some(file_name) = file_name {
            if file_name.is_empty() || !call.takes_files_in(&name) {
                // An empty file input, or a file where the form takes none: read past it.
                while let Some(chunk) = part.next().await {
                    total += chunk.map_err(bad)?.len();
                    if total > upload_limit {
                        return Err(ApiError::PayloadTooLarge(upload_limit));
                    }
                }
                continue;
            }
            if received.works.len() >= call.files_max as usize {
                return Err(ApiError::Unprocessable(Message::Portal(
                    PortalMessage::TooManyFiles(call.files_max),
                )));
            }
            let mut incoming = store
                .receive(&name, &file_name, call.file_mb)
                .map_err(|e| refused(e, file_limit))?;
            while let Some(chunk) = part.next().await {
                let chunk = chunk.map_err(bad)?;
                total += chunk.len();
                if total > upload_limit {
                    return Err(ApiError::PayloadTooLarge(upload_limit));
                }
                incoming.write(&chunk).map_err(|e| refused(e, file_limit))?;
            }
            let work = incoming
                .finish(&call.file_kinds)
                .map_err(|e| refused(e, file_limit))?;
            received.works.push(work);
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(bad)?;
            text_bytes += chunk.len();
            if text_bytes > TEXT_LIMIT {
                return Err(ApiError::PayloadTooLarge(TEXT_LIMIT));
            }
            bytes.extend_from_slice(&chunk);
        }
        let value = String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "csrf" => received.csrf = Some(value),
            HONEYPOT => received.honeypot |= !value.trim().is_empty(),
            _ => received.fields.push((name, value)),
        }
    }
    Ok(received)
}
