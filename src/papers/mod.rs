//! One issued paper as its organization handles it: its PDF, its public page switched on or off,
//! its revocation. One function per use-case, called by the API handlers and the pages alike (the
//! participant's download reads the PDF through [`pdf`] too), so the rules live in one place.

pub mod listing;

use crate::db::{self, DbConnection, DbError};
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::{Document, DocumentId, OrgId};
use crate::i18n::Message;
use crate::issuance::bundle;
use crate::issuance::Issuance;

#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// Reserved but never rendered: there is no PDF to give.
    #[error("the paper has no PDF yet")]
    NotRendered,
    #[error("invalid: {0:?}")]
    Invalid(Message),
    #[error("the stored PDF cannot be read")]
    Store(#[source] std::io::Error),
}

/// An organization's paper; another organization's is not found.
pub fn find(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    id: &DocumentId,
) -> Result<Document, PaperError> {
    Ok(db::documents::find_owned(conn, organization_id, id)?)
}

/// Turns one paper's public verification page on or off.
pub fn set_visibility(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    id: &DocumentId,
    public: bool,
) -> Result<Document, PaperError> {
    let document = find(conn, organization_id, id)?;
    db::documents::set_public_lookup(conn, &document.id, public)?;
    Ok(db::documents::find(conn, &document.id)?)
}

/// Revokes one paper with a reason of 1–1000 characters; it then verifies as revoked.
pub fn revoke(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    actor: &Actor,
    id: &DocumentId,
    reason: &str,
) -> Result<Document, PaperError> {
    let reason = crate::domain::entry::normalize_text(reason);
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(PaperError::Invalid(Message::InvalidField {
            field: "reason",
            reason: "1–1000 characters".into(),
        }));
    }
    let document = find(conn, organization_id, id)?;
    db::documents::revoke(conn, &document.id, &reason)?;
    let serial = document.serial.as_str();
    crate::audit::record(conn, organization_id, actor, AuditAction::DocumentRevoked, serial)?;
    find(conn, organization_id, id)
}

/// A paper's PDF as downloaded: its file name and bytes. Blocking (reads the store).
pub struct PaperPdf {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The stored PDF of a paper the caller has found (owned, or proven by code and surname).
pub fn pdf(issuance: &Issuance, document: &Document) -> Result<PaperPdf, PaperError> {
    if document.sha256.is_none() {
        return Err(PaperError::NotRendered);
    }
    Ok(PaperPdf {
        file_name: bundle::file_name(document),
        bytes: issuance.read_paper(document).map_err(PaperError::Store)?,
    })
}
