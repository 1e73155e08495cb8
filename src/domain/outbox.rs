//! Messages waiting to be sent, being sent, or done: one per recipient, carrying documents.

use serde::Serialize;

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutboxState {
    Queued,
    /// Claimed by a worker, whose lease says until when.
    Sending,
    Sent,
    /// Refused for good (a 5xx answer) or given up after the last retry; `last_error` says why.
    Failed,
    /// The worker died after the server may have accepted the message. Not sent again on its own:
    /// an organizer who learns it did not arrive resends it.
    Uncertain,
}

impl OutboxState {
    pub const ALL: [OutboxState; 5] = [
        OutboxState::Queued,
        OutboxState::Sending,
        OutboxState::Sent,
        OutboxState::Failed,
        OutboxState::Uncertain,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
            OutboxState::Uncertain => "uncertain",
        }
    }

    pub fn parse(text: &str) -> Option<OutboxState> {
        OutboxState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// An organizer may send these again.
    pub fn is_resendable(self) -> bool {
        matches!(
            self,
            OutboxState::Failed | OutboxState::Uncertain | OutboxState::Sent
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RecipientKind {
    /// The participant (or a parent) named on the paper.
    Holder,
    /// The teacher, who gets the papers of all their pupils in one message.
    Supervisor,
}

impl RecipientKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientKind::Holder => "holder",
            RecipientKind::Supervisor => "supervisor",
        }
    }

    pub fn parse(text: &str) -> Option<RecipientKind> {
        match text {
            "holder" => Some(RecipientKind::Holder),
            "supervisor" => Some(RecipientKind::Supervisor),
            _ => None,
        }
    }
}

/// One message of the outbox.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxMessage {
    pub id: String,
    pub organization_id: String,
    pub competition_id: String,
    pub recipient_kind: RecipientKind,
    pub recipient_name: String,
    pub recipient_email: String,
    pub language: Lang,
    pub state: OutboxState,
    pub attempts: i32,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    /// The RFC 5322 Message-ID, the same for every attempt: a duplicate is recognizable.
    pub message_id: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub documents: Vec<OutboxDocument>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutboxDocument {
    pub document_id: String,
    /// The download link's token, known only until the message is sent: afterwards the database
    /// keeps its digest alone, and the link lives only in the recipient's mailbox.
    #[serde(skip)]
    pub download_token: Option<String>,
}

/// A message to queue: who gets which documents.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMessage {
    pub kind: RecipientKind,
    pub name: String,
    pub email: String,
    pub language: Lang,
    pub document_ids: Vec<String>,
}
