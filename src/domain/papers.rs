//! Which papers a competition gives besides each entry's own, and in whose words: a team
//! member's personal paper beside the team's diploma, and the organizer's own wording of the
//! reason per kind of paper («за активное участие в работе жюри»). Kept apart from the
//! competition's description: they are chosen on the competition's page when papers are issued.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::award::DocumentKind;
use super::DocumentPayload;

/// The longest reason a paper prints: one line under the holder's name.
pub const MAX_REASON_CHARS: usize = 200;

/// A kind of paper as the organizer words its reason.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    Diploma,
    Certificate,
    /// A supervisor's letter of gratitude.
    Letter,
    /// A jury member's letter of gratitude.
    JuryLetter,
    Course,
    /// A seminar's or webinar's certificate.
    Seminar,
}

impl ReasonKind {
    pub const ALL: [ReasonKind; 6] = [
        ReasonKind::Diploma,
        ReasonKind::Certificate,
        ReasonKind::Letter,
        ReasonKind::JuryLetter,
        ReasonKind::Course,
        ReasonKind::Seminar,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReasonKind::Diploma => "diploma",
            ReasonKind::Certificate => "certificate",
            ReasonKind::Letter => "letter",
            ReasonKind::JuryLetter => "jury_letter",
            ReasonKind::Course => "course",
            ReasonKind::Seminar => "seminar",
        }
    }

    pub fn parse(text: &str) -> Option<ReasonKind> {
        ReasonKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Which kind a paper is, as its reason is chosen.
    pub fn of(payload: &DocumentPayload) -> ReasonKind {
        if payload.reviewed.is_some() {
            return ReasonKind::JuryLetter;
        }
        if payload.event.is_some() {
            return ReasonKind::Seminar;
        }
        match payload.kind() {
            DocumentKind::Diploma => ReasonKind::Diploma,
            DocumentKind::Certificate => ReasonKind::Certificate,
            DocumentKind::Letter => ReasonKind::Letter,
            DocumentKind::Course => ReasonKind::Course,
        }
    }
}

/// A competition's choices of extra papers; the default gives none and keeps the designs' words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperSettings {
    /// Every member of a team gets a personal paper besides the team's diploma.
    pub member_papers: bool,
    /// The organizer's own reason per kind of paper, checked (`MAX_REASON_CHARS`, not empty).
    pub reasons: BTreeMap<ReasonKind, String>,
}

impl PaperSettings {
    /// The payload with the organizer's reason for its kind, when they gave one.
    pub fn worded(&self, mut payload: DocumentPayload) -> DocumentPayload {
        payload.reason = self.reasons.get(&ReasonKind::of(&payload)).cloned();
        payload
    }
}
