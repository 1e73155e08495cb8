//! A page's multipart upload form, read up to the upload limit: shared by the results and the designs
//! pages, which otherwise need nothing of each other.

use actix_multipart::Multipart;
use futures_util::StreamExt;

use crate::i18n::Message;
use crate::web::ApiError;

/// An upload form's parts: the file, the CSRF token, the mode (results) or the picture's name
/// (designs). Read up to the upload limit.
pub struct Upload {
    pub file: Vec<u8>,
    pub csrf: Option<String>,
    pub replace: bool,
    pub asset: Option<String>,
    /// The form's other text fields (a forwarding table's award categories), in order.
    pub other: Vec<(String, String)>,
}

pub async fn read_multipart(mut multipart: Multipart, limit: usize) -> Result<Upload, ApiError> {
    let mut upload = Upload {
        file: Vec::new(),
        csrf: None,
        replace: false,
        asset: None,
        other: Vec::new(),
    };
    let bad = |e: actix_multipart::MultipartError| ApiError::Invalid(Message::InvalidJson(e.to_string()));
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(bad)?;
        let name = field.name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(bad)?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => upload.file = bytes,
            "csrf" => upload.csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "mode" => upload.replace = bytes == b"replace",
            "asset" => upload.asset = Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ if upload.other.len() < 50 && bytes.len() <= 1000 => upload
                .other
                .push((name, String::from_utf8_lossy(&bytes).into_owned())),
            _ => {}
        }
    }
    Ok(upload)
}
