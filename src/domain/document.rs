use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::award::DocumentKind;
use super::{Award, Serial, VerificationCode};
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocumentStatus {
    /// Serial and code are reserved; the PDF is not rendered yet.
    Pending,
    Valid,
    Revoked,
    Superseded,
}

impl DocumentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Pending => "pending",
            DocumentStatus::Valid => "valid",
            DocumentStatus::Revoked => "revoked",
            DocumentStatus::Superseded => "superseded",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentStatus> {
        match text {
            "pending" => Some(DocumentStatus::Pending),
            "valid" => Some(DocumentStatus::Valid),
            "revoked" => Some(DocumentStatus::Revoked),
            "superseded" => Some(DocumentStatus::Superseded),
            _ => None,
        }
    }
}

/// Everything the paper says, fixed when the document is created, so the same document always
/// renders to the same bytes and verification shows exactly what was printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentPayload {
    pub language: Lang,
    /// Award code (see `Award::code`).
    pub award: String,
    pub award_title: String,
    pub holder: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub team_members: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nomination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_group: Option<String>,
    pub competition: String,
    pub issuer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// ISO date the paper carries.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    pub serial: String,
    pub code: String,
    /// A letter of gratitude: the supervisor's pupils it names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pupils: Vec<String>,
    /// A course certificate: the academic hours of the course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    /// The results file's columns the mapping does not know, header → value, for `{custom.…}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, String>,
    /// Who signs: the organization's head when the paper was issued (`{signer}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// The signer's title, printed in place of the word "Директор" (`{label_director}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_title: Option<String>,
    /// A team member's own paper: the team's name (the holder is the member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// A jury member's letter: how many works they reviewed (entries they scored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<u32>,
    /// A certificate of attending an event that is not a contest (`seminar`, `webinar`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<PaperEvent>,
    /// The organizer's own wording of the reason, printed in place of the design's
    /// («за активное участие в работе жюри»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The event a certificate of attending names: its wording differs («за участие в семинаре»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PaperEvent {
    Seminar,
    Webinar,
}

impl DocumentPayload {
    pub fn is_team(&self) -> bool {
        !self.team_members.is_empty()
    }

    /// Which paper this is: a diploma, a certificate of participation, a letter, a course certificate.
    pub fn kind(&self) -> DocumentKind {
        Award::from_code(&self.award).map_or(DocumentKind::Diploma, Award::document_kind)
    }

    /// Every piece of text that will be printed, for the font coverage check.
    pub fn printed_texts(&self) -> Vec<&str> {
        let mut texts = vec![
            self.award_title.as_str(),
            &self.holder,
            &self.competition,
            &self.issuer,
            &self.serial,
        ];
        texts.extend(self.team_members.iter().map(String::as_str));
        texts.extend(self.pupils.iter().map(String::as_str));
        texts.extend(self.custom.values().map(String::as_str));
        for optional in [
            &self.team,
            &self.reason,
            &self.school,
            &self.region,
            &self.supervisor,
            &self.nomination,
            &self.age_group,
            &self.city,
            &self.signer,
            &self.signer_title,
        ] {
            texts.extend(optional.as_deref());
        }
        texts
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub organization_id: String,
    pub competition_id: String,
    /// The entry a paper is for; a letter of gratitude has none: it is for a supervisor.
    pub entry_id: Option<String>,
    /// A letter's supervisor, normalized (`entry::supervisor_key`): one letter per person.
    pub supervisor_key: Option<String>,
    /// Whom a paper that is neither an entry's own nor a supervisor's letter is for.
    pub recipient: Option<Recipient>,
    pub serial: Serial,
    pub code: VerificationCode,
    pub status: DocumentStatus,
    pub design: String,
    pub payload: DocumentPayload,
    pub sha256: Option<String>,
    pub revoked_reason: Option<String>,
    pub issued_at: String,
    /// The fragment of the QR code's URL: the signed record of what the paper says.
    pub signed_record: Option<String>,
    /// The corrected document that replaced this one.
    pub superseded_by: Option<String>,
    /// Whether the public verification page answers for this document.
    pub public_lookup: bool,
    /// Where a batch's pack holds the paper; None when it has a file of its own.
    pub packed: Option<PackSlice>,
}

/// Whom an extra paper is for: a jury member thanked for their work, or one member of a team
/// beside the team's diploma. Stored as text (`judge:ID`, `member:ENTRY_ID:DIGEST` of the name) so a
/// competition's papers are found by it and nobody gets a second one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Recipient {
    Judge(String),
    Member { entry_id: String, key: String },
}

impl Recipient {
    pub fn to_text(&self) -> String {
        match self {
            Recipient::Judge(id) => format!("judge:{id}"),
            Recipient::Member { entry_id, key } => format!("member:{entry_id}:{key}"),
        }
    }

    pub fn parse(text: &str) -> Option<Recipient> {
        if let Some(id) = text.strip_prefix("judge:") {
            return Some(Recipient::Judge(id.to_string()));
        }
        let (entry_id, key) = text.strip_prefix("member:")?.split_once(':')?;
        Some(Recipient::Member {
            entry_id: entry_id.to_string(),
            key: key.to_string(),
        })
    }

    /// The team entry a member's paper goes with (its e-mail, its row).
    pub fn team_entry(&self) -> Option<&str> {
        match self {
            Recipient::Member { entry_id, .. } => Some(entry_id),
            Recipient::Judge(_) => None,
        }
    }
}

/// A paper's place in a pack: the file many papers of a batch are kept in, named by a UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackSlice {
    pub pack: uuid::Uuid,
    pub offset: u64,
    pub length: u64,
}

impl DocumentPayload {
    /// The fields the signed record carries.
    pub fn record_fields(&self) -> crate::trust::RecordFields {
        crate::trust::RecordFields {
            issuer: self.issuer.clone(),
            serial: self.serial.clone(),
            code: self.code.clone(),
            holder: self.holder.clone(),
            award: self.award.clone(),
            award_title: self.own_award_title().map(str::to_string),
            competition: self.competition.clone(),
            date: self.date.clone(),
            valid_until: self.valid_until.clone(),
        }
    }

    /// The award's title when it is the organizer's own words rather than its category's title in
    /// the paper's language ("Специальный приз жюри «За артистизм»", "Абсолютный победитель").
    pub fn own_award_title(&self) -> Option<&str> {
        let category = Award::from_code(&self.award).map(|a| a.title(self.language));
        (category.as_deref() != Some(self.award_title.as_str())).then_some(self.award_title.as_str())
    }
}
