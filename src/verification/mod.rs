//! What anyone holding a paper may learn about it: whether it is genuine and valid, and what it says,
//! with the holder's name masked. Never ID numbers or birth dates: the payload holds none.

use serde::Serialize;

use crate::domain::entry::mask_name;
use crate::domain::time::{format_date_dotted, parse_date};
use crate::domain::{Award, Document, DocumentStatus};
use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize)]
pub struct PublicRecord {
    pub status: &'static str,
    pub code: String,
    pub serial: String,
    pub holder: String,
    pub award: String,
    pub award_title: String,
    pub competition: String,
    pub issuer: String,
    pub date: String,
    pub verify_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_reason: Option<String>,
}

impl PublicRecord {
    /// The public record of a document, or None while it is not yet issued (a pending document is
    /// as unknown to the public as a code that never existed).
    pub fn of(document: &Document, verify_url: String) -> Option<PublicRecord> {
        let status = match document.status {
            DocumentStatus::Pending => return None,
            other => other.as_str(),
        };
        let payload = &document.payload;
        Some(PublicRecord {
            status,
            code: document.code.to_string(),
            serial: document.serial.to_string(),
            holder: mask_name(&payload.holder, payload.is_team()),
            award: payload.award.clone(),
            award_title: payload.award_title.clone(),
            competition: payload.competition.clone(),
            issuer: payload.issuer.clone(),
            date: payload.date.clone(),
            verify_url,
            revoked_reason: document.revoked_reason.clone(),
        })
    }

    pub fn award_in(&self, lang: Lang) -> String {
        Award::from_code(&self.award).map_or_else(|| self.award_title.clone(), |a| a.title(lang))
    }

    pub fn date_dotted(&self) -> String {
        parse_date(&self.date).map_or_else(|| self.date.clone(), format_date_dotted)
    }
}
