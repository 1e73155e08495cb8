//! What the field is made of: competitions, entries, awards, documents. Knows nothing of HTTP or SQL.

pub mod account;
pub mod application;
pub mod audit;
pub mod award;
pub mod competition;
pub mod design;
pub mod document;
pub mod entry;
pub mod ids;
pub mod job;
pub mod jury;
pub mod jury_assign;
pub mod jury_scale;
pub mod lookup;
pub mod organization;
pub mod outbox;
pub mod papers;
pub mod serial;
pub mod text;
pub mod time;
pub mod token;
pub mod verification_code;

pub use award::Award;
pub use competition::{Competition, CompetitionKind, NewCompetition};
pub use document::{Document, DocumentPayload, DocumentStatus, PackSlice, PaperEvent, Recipient};
pub use entry::{EntryDraft, HolderName, StoredEntry};
pub use ids::{ApplicationId, CompetitionId, DocumentId, OrgId};
pub use job::{Job, JobState};
pub use organization::{OrgSlug, Organization};
pub use serial::Serial;
pub use token::{ApiToken, TokenRole};
pub use verification_code::VerificationCode;
