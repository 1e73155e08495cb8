//! The invitation side: the upper organizer makes, lists and revokes invitation links; a lower
//! organizer opens one and links a competition of their own organization as the feeding stage.

use serde::Serialize;
use time::OffsetDateTime;

use super::{refused, side, view_of, LinkView, Side, StageError, MAX_INVITATION_DAYS};
use crate::audit;
use crate::db::stages::{InvitationRecord, NewLink};
use crate::db::{self, write_transaction, DbConnection};
use crate::domain::account::Secret;
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::entry::normalize_text;
use crate::domain::time::{format_timestamp, now_rfc3339};
use crate::domain::{CompetitionId, OrgId};
use crate::i18n::{Lang, Message, StageMessage};

/// What the upper organizer asks for.
#[derive(Debug, Clone, Default)]
pub struct NewInvitation {
    /// Which organization or territory it is for ("Отдел образования Экибастуза").
    pub addressee: Option<String>,
    /// Entries it may send per nomination and age group; `None`: no limit.
    pub quota: Option<u32>,
    /// How many days the link works; `None`: [`super::INVITATION_DAYS`].
    pub days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Open,
    Used,
    Revoked,
    Expired,
}

/// An invitation as its organizer sees it; the token is never shown again.
#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    pub id: String,
    pub addressee: Option<String>,
    pub quota: Option<u32>,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub state: InvitationState,
}

impl Invitation {
    fn of(record: InvitationRecord) -> Invitation {
        let state = if record.revoked_at.is_some() {
            InvitationState::Revoked
        } else if record.used_at.is_some() {
            InvitationState::Used
        } else if record.expires_at <= now_rfc3339() {
            InvitationState::Expired
        } else {
            InvitationState::Open
        };
        Invitation {
            id: record.id,
            addressee: record.addressee,
            quota: record.quota.and_then(|q| u32::try_from(q).ok()),
            created_at: record.created_at,
            expires_at: record.expires_at,
            used_at: record.used_at,
            state,
        }
    }
}

/// A new invitation with its token, to be shown once as a link.
pub struct Created {
    pub invitation: Invitation,
    pub token: Secret,
}

fn invalid(field: &'static str, reason: &str) -> StageError {
    StageError::Invalid(Message::InvalidField {
        field,
        reason: reason.to_string(),
    })
}

/// What the audit log names an invitation by: its competition and whom it is for.
fn invitation_subject(competition: &str, addressee: Option<&str>) -> String {
    match addressee {
        Some(addressee) => format!("«{competition}» → {addressee}"),
        None => format!("«{competition}»"),
    }
}

/// Makes an invitation link for a lower stage of the organization's competition; `actor` is
/// remembered as its maker and named in the organization's audit log.
pub fn create_invitation(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    new: NewInvitation,
    actor: &Actor,
) -> Result<Created, StageError> {
    let addressee = new
        .addressee
        .as_deref()
        .map(normalize_text)
        .filter(|a| !a.is_empty());
    if addressee.as_ref().is_some_and(|a| a.chars().count() > 200) {
        return Err(invalid("addressee", "at most 200 characters"));
    }
    if new.quota.is_some_and(|q| q == 0 || q > 10_000) {
        return Err(invalid("quota", "1–10000"));
    }
    let days = new.days.unwrap_or(super::INVITATION_DAYS);
    if days == 0 || days > MAX_INVITATION_DAYS {
        return Err(invalid("days", "1–365"));
    }
    let expires_at = format_timestamp(OffsetDateTime::now_utc() + time::Duration::days(i64::from(days)));
    write_transaction(conn, |conn| {
        let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
        let subject = invitation_subject(&competition.details.title, addressee.as_deref());
        let (id, token) = db::stages::create_invitation(
            conn,
            db::stages::NewInvitation {
                organization_id: &competition.organization_id,
                competition_id: &competition.id,
                addressee: addressee.clone(),
                quota: new.quota.and_then(|q| i32::try_from(q).ok()),
                created_by: actor.user_id.clone(),
                expires_at: expires_at.clone(),
            },
        )?;
        audit::record(
            conn,
            organization_id,
            actor,
            AuditAction::StageInvitationMade,
            &subject,
        )?;
        let record = db::stages::invitation_owned(conn, organization_id, &id)?;
        Ok(Created {
            invitation: Invitation::of(record),
            token,
        })
    })
}

/// The competition's invitations, newest first.
pub fn invitations(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
) -> Result<Vec<Invitation>, StageError> {
    let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
    Ok(
        db::stages::invitations_of(conn, organization_id, &competition.id)?
            .into_iter()
            .map(Invitation::of)
            .collect(),
    )
}

/// Revokes an invitation: an unused link no longer opens, and a competition linked by it can send
/// nothing more (what it sent stays).
pub fn revoke_invitation(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    invitation_id: &str,
    actor: &Actor,
) -> Result<Invitation, StageError> {
    write_transaction(conn, |conn| {
        let record = db::stages::invitation_owned(conn, organization_id, invitation_id)?;
        db::stages::revoke_invitation(conn, &record.id)?;
        let competition = db::competitions::find(conn, &record.competition_id)?;
        let subject = invitation_subject(&competition.details.title, record.addressee.as_deref());
        audit::record(
            conn,
            organization_id,
            actor,
            AuditAction::StageInvitationRevoked,
            &subject,
        )?;
        Ok(Invitation::of(db::stages::invitation_owned(
            conn,
            organization_id,
            &record.id,
        )?))
    })
}

/// What a lower organizer sees on opening the link: who invites them to which competition, and
/// on what terms. Nothing else of the inviting organization.
#[derive(Debug, Clone, Serialize)]
pub struct InvitationTerms {
    pub upper: Side,
    pub addressee: Option<String>,
    pub quota: Option<u32>,
    pub expires_at: String,
}

/// The open invitation a token names: unknown tokens are not found, used, revoked and expired
/// ones are gone.
fn open_invitation(conn: &mut DbConnection, token: &Secret) -> Result<InvitationRecord, StageError> {
    let record = db::stages::invitation_by_token(conn, token)?.ok_or(StageError::NotFound)?;
    match Invitation::of(record.clone()).state {
        InvitationState::Open => Ok(record),
        _ => Err(StageError::Gone),
    }
}

pub fn invitation_for(
    conn: &mut DbConnection,
    token: &Secret,
    lang: Lang,
) -> Result<InvitationTerms, StageError> {
    let record = open_invitation(conn, token)?;
    Ok(InvitationTerms {
        upper: side(conn, &record.competition_id, lang)?,
        addressee: record.addressee,
        quota: record.quota.and_then(|q| u32::try_from(q).ok()),
        expires_at: record.expires_at,
    })
}

/// A lower organizer links one of their own organization's competitions as the stage feeding the
/// invitation's competition; the link is used up, and the lower organization's audit log says so.
pub fn link(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    actor: &Actor,
    token: &Secret,
    competition_id: &CompetitionId,
    lang: Lang,
) -> Result<LinkView, StageError> {
    write_transaction(conn, |conn| {
        let invitation = open_invitation(conn, token)?;
        let lower = db::competitions::find_owned(conn, organization_id, competition_id)?;
        if lower.id == invitation.competition_id {
            return Err(refused(StageMessage::SameCompetition));
        }
        if db::stages::is_linked(conn, &invitation.competition_id, &lower.id)? {
            return Err(refused(StageMessage::AlreadyLinked));
        }
        if !db::stages::use_invitation(conn, &invitation.id)? {
            return Err(StageError::Gone);
        }
        let id = db::stages::insert_link(
            conn,
            NewLink {
                invitation_id: &invitation.id,
                upper_organization_id: &invitation.organization_id,
                upper_competition_id: &invitation.competition_id,
                lower_organization_id: &lower.organization_id,
                lower_competition_id: &lower.id,
            },
        )?;
        let record = db::stages::link_of_lower(conn, organization_id, &id)?;
        let view = view_of(conn, &record, lang)?;
        let subject = format!(
            "«{}» → «{}» ({})",
            lower.details.title, view.upper.competition, view.upper.organization
        );
        audit::record(conn, organization_id, actor, AuditAction::StageLinked, &subject)?;
        Ok(view)
    })
}
