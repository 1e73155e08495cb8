//! The audit log: who did what in an organization that changes papers, people or what leaves the
//! service. An organization's admin reads it to answer "who revoked this diploma?" or "who
//! downloaded every paper of the olympiad?"; it names the actor and the thing acted on, never a
//! secret (no password, token or download link).

/// Who acted: a signed-in person, an API token, or the service itself (retention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The person, when a person acted through the pages or their own token.
    pub user_id: Option<String>,
    /// As shown in the log: the person's e-mail, `API: <token label>`, or `gramota`.
    pub label: String,
}

impl Actor {
    pub fn person(user_id: &str, email: &str) -> Actor {
        Actor {
            user_id: Some(user_id.to_string()),
            label: email.to_string(),
        }
    }

    /// An organizer token; `created_by` is the person who made it, if a person did.
    pub fn token(label: Option<&str>, created_by: Option<&str>) -> Actor {
        Actor {
            user_id: created_by.map(str::to_string),
            label: format!("API: {}", label.filter(|l| !l.is_empty()).unwrap_or("token")),
        }
    }

    /// The service on its own schedule (erasing personal data after the retention period).
    pub fn service() -> Actor {
        Actor {
            user_id: None,
            label: "gramota".into(),
        }
    }
}

/// What was done. Stored by its name; the page says it in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SignedIn,
    DocumentRevoked,
    DocumentReissued,
    DesignChanged,
    /// Papers or personal data left the service: a ZIP, a print file, a results or report file.
    Exported,
    PersonInvited,
    PersonDisabled,
    PersonEnabled,
    RoleChanged,
    RetentionChanged,
    PersonalDataErased,
    /// Stages across organizations (issue 23): the upper organizer made or revoked an invitation
    /// link, a lower organizer linked a competition by one, forwarded winners through the link,
    /// or the upper organizer refused a forwarded entry. Each in the acting organization's log.
    StageInvitationMade,
    StageInvitationRevoked,
    StageLinked,
    StageForwarded,
    StageEntryRefused,
    /// A late jury member was reminded by e-mail to finish their reviews.
    JudgeReminded,
    /// A scored entry was returned for revision, its applicant told by e-mail.
    EntryReturned,
}

impl AuditAction {
    pub const ALL: [AuditAction; 18] = [
        AuditAction::SignedIn,
        AuditAction::DocumentRevoked,
        AuditAction::DocumentReissued,
        AuditAction::DesignChanged,
        AuditAction::Exported,
        AuditAction::PersonInvited,
        AuditAction::PersonDisabled,
        AuditAction::PersonEnabled,
        AuditAction::RoleChanged,
        AuditAction::RetentionChanged,
        AuditAction::PersonalDataErased,
        AuditAction::StageInvitationMade,
        AuditAction::StageInvitationRevoked,
        AuditAction::StageLinked,
        AuditAction::StageForwarded,
        AuditAction::StageEntryRefused,
        AuditAction::JudgeReminded,
        AuditAction::EntryReturned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignedIn => "signed_in",
            AuditAction::DocumentRevoked => "document_revoked",
            AuditAction::DocumentReissued => "document_reissued",
            AuditAction::DesignChanged => "design_changed",
            AuditAction::Exported => "exported",
            AuditAction::PersonInvited => "person_invited",
            AuditAction::PersonDisabled => "person_disabled",
            AuditAction::PersonEnabled => "person_enabled",
            AuditAction::RoleChanged => "role_changed",
            AuditAction::RetentionChanged => "retention_changed",
            AuditAction::PersonalDataErased => "personal_data_erased",
            AuditAction::StageInvitationMade => "stage_invitation_made",
            AuditAction::StageInvitationRevoked => "stage_invitation_revoked",
            AuditAction::StageLinked => "stage_linked",
            AuditAction::StageForwarded => "stage_forwarded",
            AuditAction::StageEntryRefused => "stage_entry_refused",
            AuditAction::JudgeReminded => "judge_reminded",
            AuditAction::EntryReturned => "entry_returned",
        }
    }

    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: String,
    pub organization_id: String,
    pub at: String,
    pub actor: Actor,
    pub action: AuditAction,
    /// What was acted on, as a person recognizes it: a serial, a design's name, a file's name,
    /// an e-mail, a competition's title.
    pub subject: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_name() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("deleted_everything"), None);
    }
}
