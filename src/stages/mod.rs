//! Stages across organizations (issue 23, part 6). A municipal center's competition feeds a
//! regional one run by another organization, and a regional one feeds the republican stage, by one
//! mechanism: the upper organizer makes an invitation link (kept as a hash, revocable, expiring,
//! optionally with a quota per nomination and age group); a lower organizer signed in to their own
//! organization opens it and links one of their competitions; then they forward winners — by the
//! jury's ranking, by award categories, or from a results table — which arrive as the upper
//! competition's entries, each remembered with the organization and competition it came from.
//!
//! Tenant isolation is the rule everything here is shaped by: the upper organization sees only
//! what was forwarded to it (the participant, school, region, settlement type, nomination, age
//! group and supervisor) and the names of the feeding organization and competition; the lower one
//! sees only the upper competition's title and organizer's name and, of what it sent, the name,
//! nomination, age group, when, and whether it was refused. Every function takes the acting
//! organization and reaches links only from its own side.
//!
//! One service function per use-case, shared by the API (`web::stages`) and the pages
//! (`web::app::stages`); the SQL is in `db::stages`.

mod forward;
mod invite;
mod origins;

use serde::{Deserialize, Serialize};

use crate::db::{self, DbConnection, DbError};
use crate::domain::{EntryDraft, StoredEntry};
use crate::i18n::{Lang, Message, StageMessage};
use crate::judging::JudgingError;

pub use forward::{
    forward, forwarded_by_link, preview, Choice, Plan, PlannedEntry, Sent, SentEntry, WINNERS,
};
pub use invite::{create_invitation, invitation_for, invitations, link, revoke_invitation};
pub use invite::{Created, Invitation, InvitationState, InvitationTerms, NewInvitation};
pub use origins::{feeding, links_from, refuse, Feeding, OriginEntry, RefusedEntry};

/// How long an invitation link works unless the organizer says otherwise.
pub const INVITATION_DAYS: u32 = 30;
/// The longest an invitation link may work.
pub const MAX_INVITATION_DAYS: u32 = 365;

#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("not found")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Message),
    #[error("refused: {0:?}")]
    Conflict(Message),
    /// The invitation was used, revoked or has expired.
    #[error("the invitation link no longer works")]
    Gone,
    #[error(transparent)]
    Judging(#[from] JudgingError),
}

impl From<diesel::result::Error> for StageError {
    fn from(e: diesel::result::Error) -> Self {
        StageError::Db(DbError::Query(e))
    }
}

fn refused(message: StageMessage) -> StageError {
    StageError::Conflict(Message::Stage(message))
}

/// The link a lower organizer opens, signed in to their own organization.
pub fn invitation_link(public_url: &str, token: &str) -> String {
    format!("{}/app/stage-invite/{token}", public_url.trim_end_matches('/'))
}

/// One side of a link: an organization's name and one of its competitions' title.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub organization: String,
    pub competition_id: String,
    pub competition: String,
}

fn side(conn: &mut DbConnection, competition_id: &str, lang: Lang) -> Result<Side, StageError> {
    let competition = db::competitions::find(conn, competition_id)?;
    let organization = db::organizations::find(conn, &competition.organization_id)?;
    Ok(Side {
        organization: organization.name(lang),
        competition_id: competition.id.clone(),
        competition: competition.title_in(lang).to_string(),
    })
}

/// A link as either side sees it: where it goes from and to, the invitation's terms, and how much
/// went through it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub id: String,
    /// The competition that forwards (municipal, or regional for the republican stage).
    pub lower: Side,
    /// The competition that receives.
    pub upper: Side,
    pub linked_at: String,
    pub addressee: Option<String>,
    /// Entries it may send per nomination and age group.
    pub quota: Option<u32>,
    /// The upper organizer revoked the invitation: nothing more can be sent.
    pub revoked: bool,
    /// Forwarded and still in the upper competition.
    pub entries: usize,
    /// Refused by the upper organizer.
    pub refused: usize,
    /// When something was last sent.
    pub last_forwarded_at: Option<String>,
}

fn view_of(
    conn: &mut DbConnection,
    link: &db::stages::LinkRecord,
    lang: Lang,
) -> Result<LinkView, StageError> {
    let forwards = db::stages::forwards_of_link(conn, &link.id)?;
    Ok(LinkView {
        id: link.id.clone(),
        lower: side(conn, &link.lower_competition_id, lang)?,
        upper: side(conn, &link.upper_competition_id, lang)?,
        linked_at: link.linked_at.clone(),
        addressee: link.addressee.clone(),
        quota: link.quota.and_then(|q| u32::try_from(q).ok()),
        revoked: link.revoked_at.is_some(),
        entries: forwards.iter().filter(|f| f.entry_id.is_some()).count(),
        refused: forwards.iter().filter(|f| f.refused_at.is_some()).count(),
        last_forwarded_at: forwards.iter().map(|f| f.forwarded_at.clone()).max(),
    })
}

/// What goes up of a participant: what the next stage's jury needs and nothing else of the lower
/// organization's (no e-mail, phone, birth date, award or the organization's own columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forwarded {
    pub holder: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub team_members: Vec<String>,
    pub school: Option<String>,
    pub region: Option<String>,
    /// `city` or `rural`.
    pub settlement_type: Option<String>,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    pub supervisor: Option<String>,
}

impl Forwarded {
    fn of_entry(entry: &StoredEntry) -> Forwarded {
        Forwarded {
            holder: entry.holder.clone(),
            team_members: entry.team_members.clone(),
            school: entry.school.clone(),
            region: entry.region.clone(),
            settlement_type: entry.settlement_type.clone(),
            nomination: entry.nomination.clone(),
            age_group: entry.age_group.clone(),
            supervisor: entry.supervisor.clone(),
        }
    }

    fn of_draft(draft: &EntryDraft) -> Forwarded {
        Forwarded {
            holder: draft.holder.as_str().to_string(),
            team_members: draft.team_members.clone(),
            school: draft.school.clone(),
            region: draft.region.clone(),
            settlement_type: draft.settlement_type.map(|s| s.as_str().to_string()),
            nomination: draft.nomination.clone(),
            age_group: draft.age_group.clone(),
            supervisor: draft.supervisor.clone(),
        }
    }

    /// The participant as the next stage's draft entry, its award not yet decided; `None` for a
    /// row without a name.
    fn draft(&self, source_row: usize) -> Option<EntryDraft> {
        use crate::domain::entry::{normalize_text, HolderName, SettlementType};
        let clean = |v: &Option<String>| v.as_deref().map(normalize_text).filter(|v| !v.is_empty());
        Some(EntryDraft {
            source_row,
            holder: HolderName::parse(&self.holder)?,
            team_members: self
                .team_members
                .iter()
                .map(|m| normalize_text(m))
                .filter(|m| !m.is_empty())
                .collect(),
            school: clean(&self.school),
            region: clean(&self.region),
            settlement_type: self.settlement_type.as_deref().and_then(SettlementType::parse),
            supervisor: clean(&self.supervisor),
            nomination: clean(&self.nomination),
            age_group: clean(&self.age_group),
            email: None,
            supervisor_email: None,
            award: crate::domain::Award::Participant,
            award_title: None,
            birth_date: None,
            phone: None,
            hours: None,
            custom: Default::default(),
            attended: None,
        })
    }

    /// Who the participant is for "already forwarded": the name with the school, region,
    /// nomination and age group, as a repeated upload finds its rows (namesakes from two schools
    /// are two people).
    fn key(&self) -> String {
        use crate::domain::entry::normalize_text;
        let lower = |v: &Option<String>| {
            v.as_deref()
                .map(|v| normalize_text(v).to_lowercase())
                .unwrap_or_default()
        };
        [
            normalize_text(&self.holder).to_lowercase(),
            lower(&self.school),
            lower(&self.region),
            lower(&self.nomination),
            lower(&self.age_group),
        ]
        .join("\u{1f}")
    }

    /// The nomination and age group, as a person reads them.
    pub fn group_label(&self) -> String {
        group_label(self.nomination.as_deref(), self.age_group.as_deref())
    }
}

fn group_label(nomination: Option<&str>, age_group: Option<&str>) -> String {
    match (nomination, age_group) {
        (Some(n), Some(a)) => format!("{n} · {a}"),
        (Some(n), None) => n.to_string(),
        (None, Some(a)) => a.to_string(),
        (None, None) => "—".to_string(),
    }
}
