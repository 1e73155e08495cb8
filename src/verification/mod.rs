//! What anyone holding a paper may learn about it: whether it is genuine and valid, and what it says,
//! with the holder's name masked to initials (see `mask`). Never ID numbers or birth dates: the payload holds none.

pub mod cache;
pub mod mask;
pub mod scan_log;

pub use mask::public_name;

use serde::Serialize;

use crate::domain::award::DocumentKind;
use crate::domain::time::{format_date_dotted, parse_date, today};
use crate::domain::{Award, Document, DocumentStatus};
use crate::i18n::Lang;

/// The status the public sees: the stored one, and `expired` once a paper's validity has passed.
pub fn public_status(document: &Document) -> &'static str {
    status_on_today(document.status, document.payload.valid_until.as_deref())
}

fn status_on_today(stored: DocumentStatus, valid_until: Option<&str>) -> &'static str {
    let expired = valid_until
        .and_then(parse_date)
        .is_some_and(|until| until < today());
    match stored {
        DocumentStatus::Valid if expired => "expired",
        other => other.as_str(),
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicRecord {
    /// `valid`, `revoked`, `superseded`, `expired` or `not_found`.
    pub status: &'static str,
    pub code: String,
    pub serial: String,
    /// masked: given name and surname initial
    pub holder: String,
    pub award: String,
    pub award_title: String,
    /// The title is the organizer's own words, shown as printed in every language.
    #[serde(skip)]
    pub own_award_title: bool,
    /// diploma; certificate of participation; letter of gratitude to a supervisor (no entry: `holder` is the supervisor, `pupils` the pupils it names); course certificate (with `hours`)
    pub kind: &'static str,
    /// the kind of paper in its language, e.g. "Благодарственное письмо"
    pub kind_title: &'static str,
    pub competition: String,
    pub issuer: String,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub valid_until: Option<String>,
    pub verify_url: String,
    /// SHA-256 of the issued PDF
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_reason: Option<String>,
    /// verification URL of the corrected paper
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
}

impl PublicRecord {
    /// The public record of a document, or None while the public may not see it: not issued yet
    /// (pending), or turned off by its organizer. Either is as unknown as a code never issued.
    pub fn of(
        document: &Document,
        verify_url: String,
        superseded_by: Option<String>,
    ) -> Option<PublicRecord> {
        if document.status == DocumentStatus::Pending || !document.public_lookup {
            return None;
        }
        let payload = &document.payload;
        Some(PublicRecord {
            status: public_status(document),
            code: document.code.to_string(),
            serial: document.serial.to_string(),
            holder: public_name(&payload.holder, payload.is_team()),
            award: payload.award.clone(),
            award_title: payload.award_title.clone(),
            own_award_title: payload.own_award_title().is_some(),
            kind: payload.kind().as_str(),
            kind_title: payload.kind().title(payload.language),
            competition: payload.competition.clone(),
            issuer: payload.issuer.clone(),
            date: payload.date.clone(),
            valid_until: payload.valid_until.clone(),
            verify_url,
            pdf_sha256: document.sha256.clone(),
            revoked_reason: document.revoked_reason.clone(),
            superseded_by,
        })
    }

    /// The organizer's own words as printed, else the category's title in the reader's language.
    pub fn award_in(&self, lang: Lang) -> String {
        if self.own_award_title {
            return self.award_title.clone();
        }
        Award::from_code(&self.award).map_or_else(|| self.award_title.clone(), |a| a.title(lang))
    }

    pub fn kind_in(&self, lang: Lang) -> &'static str {
        DocumentKind::parse(self.kind).map_or(self.kind_title, |kind| kind.title(lang))
    }

    pub fn date_dotted(&self) -> String {
        parse_date(&self.date).map_or_else(|| self.date.clone(), format_date_dotted)
    }
}
