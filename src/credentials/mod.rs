//! Every issued paper also as an Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable
//! Credential 2.0), for the wallets, LMSs and admission offices that read those and not a PDF.
//!
//! Proof format: VC-JWT as Open Badges 3.0 §8.2 defines it (a compact JWS whose payload is the
//! credential), signed EdDSA by the Ed25519 keys that sign the QR records, named by `kid` as a key
//! of the published key set (`/.well-known/gramota-keys.json#KID`). Any JOSE library in any
//! language verifies it; a Data Integrity proof (`eddsa-rdfc-2022`) would need a JSON-LD
//! processor and RDF canonicalization, for which Rust has no well-kept crate short of a large
//! framework (README: "Open Badges").
//!
//! Revocation: each credential names a place in its organization's Bitstring Status List
//! (`status_list`), handed out when the paper's credential is first made; the list is made on
//! request from the papers' statuses, so a revoked or superseded paper is revoked there at once.
//!
//! Who gets it: the organizer, for any issued paper of theirs; the public, only for a paper whose
//! page is public and valid, and only by showing the paper's signed QR record (`for_holder`): the
//! credential carries the full name, which the public page masks, and the record already holds it.

mod badge;
pub mod jws;
pub mod status_list;

pub use badge::{issuer_id, status_list_url};

use rand::Rng;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::{self, DbConnection, DbError};
use crate::domain::{Document, DocumentId, DocumentStatus, OrgId, VerificationCode};
use crate::i18n::Lang;
use crate::issuance::verify_url;
use crate::trust::keys::KeyError;
use crate::trust::Keyring;

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// No such paper, or not one this caller may have a credential of.
    #[error("no credential for this paper")]
    NotFound,
    /// The paper's personal data was erased (retention): its holder's name is gone.
    #[error("the paper's personal data was erased")]
    Erased,
    #[error("cannot sign: {0}")]
    Keys(#[from] KeyError),
    #[error("cannot write the credential: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("cannot compress the status list: {0}")]
    Compress(#[from] std::io::Error),
}

impl From<diesel::result::Error> for CredentialError {
    fn from(e: diesel::result::Error) -> Self {
        CredentialError::Db(DbError::from(e))
    }
}

/// A paper's credential: the signed compact JWS and the credential it carries, as JSON.
#[derive(Debug, Clone)]
pub struct Credential {
    pub serial: String,
    pub compact_jws: String,
    pub json: Value,
}

/// The credential of one of the organization's issued papers, whatever its status now (a revoked
/// one says so through the status list).
pub fn for_organizer(
    conn: &mut DbConnection,
    keys: &Keyring,
    public_url: &str,
    organization_id: &OrgId,
    id: &DocumentId,
) -> Result<Credential, CredentialError> {
    let document = db::documents::find_owned(conn, organization_id, id)?;
    if document.status == DocumentStatus::Pending {
        return Err(CredentialError::NotFound);
    }
    if crate::retention::is_erased(conn, &document.competition_id)? {
        return Err(CredentialError::Erased);
    }
    make(conn, keys, public_url, &document)
}

/// The credential of a paper for whoever holds it: the code and the signed record after `#` in
/// the paper's QR code. Only a valid paper whose public page is on; every refusal looks the same.
pub fn for_holder(
    conn: &mut DbConnection,
    keys: &Keyring,
    public_url: &str,
    code: &str,
    record: &str,
) -> Result<Credential, CredentialError> {
    let code = VerificationCode::parse(code).ok_or(CredentialError::NotFound)?;
    let document = db::documents::find_by_code(conn, &code)?.ok_or(CredentialError::NotFound)?;
    let shown = document.public_lookup && document.status == DocumentStatus::Valid;
    let held = document
        .signed_record
        .as_deref()
        .is_some_and(|stored| same_record(stored, record));
    if !(shown && held) {
        return Err(CredentialError::NotFound);
    }
    make(conn, keys, public_url, &document)
}

/// Compares digests: the time taken says nothing of how much of a guess was right.
fn same_record(stored: &str, given: &str) -> bool {
    let normal = |text: &str| Sha256::digest(text.trim().trim_start_matches('#').to_ascii_uppercase());
    !given.trim().is_empty() && normal(stored) == normal(given)
}

fn make(
    conn: &mut DbConnection,
    keys: &Keyring,
    public_url: &str,
    document: &Document,
) -> Result<Credential, CredentialError> {
    let organization = db::organizations::find(conn, &document.organization_id)?;
    let place = place_of(conn, document)?;
    let json = badge::credential(&badge::Facts {
        document,
        organization: &organization,
        place,
        public_url,
        verify_url: verify_url(public_url, &document.code),
    });
    let key = keys.active()?;
    let compact_jws = jws::sign(&jws::header(public_url, key, "JWT"), &json, key)?;
    Ok(Credential {
        serial: document.serial.to_string(),
        compact_jws,
        json,
    })
}

/// The paper's place in the status list, drawn at random among the free ones the first time.
fn place_of(conn: &mut DbConnection, document: &Document) -> Result<i64, CredentialError> {
    if let Some(place) = db::credentials::place_of(conn, &document.id)? {
        return Ok(place);
    }
    let organization_id = document.organization_id.as_str();
    db::write_transaction(conn, |conn| {
        // Concurrent first downloads of papers of one organization take turns here.
        db::organizations::lock_for_numbering(conn, organization_id)?;
        if let Some(place) = db::credentials::place_of(conn, &document.id)? {
            return Ok(place);
        }
        let room = status_list::room_for(db::credentials::places_taken(conn, organization_id)?);
        let mut random = rand::rng();
        let mut place = None;
        for _ in 0..32 {
            let drawn = random.random_range(0..room);
            if !db::credentials::is_taken(conn, organization_id, drawn)? {
                place = Some(drawn);
                break;
            }
        }
        let place = match place {
            Some(place) => place,
            None => db::credentials::highest_place(conn, organization_id)?.map_or(0, |h| h + 1),
        };
        db::credentials::insert_place(conn, organization_id, &document.id, place)?;
        Ok::<_, CredentialError>(place)
    })
}

/// The organization's status list credential, signed: a compact JWS.
pub fn status_list(
    conn: &mut DbConnection,
    keys: &Keyring,
    public_url: &str,
    organization_id: &str,
) -> Result<String, CredentialError> {
    let organization = db::organizations::find(conn, organization_id)?;
    let (revoked, highest) = db::credentials::revoked_places(conn, &organization.id)?;
    let encoded = status_list::encode(&revoked, highest)?;
    let json = status_list::credential(
        &issuer_id(public_url, &organization.id),
        &status_list_url(public_url, &organization.id),
        &encoded,
        time::OffsetDateTime::now_utc(),
    );
    let key = keys.active()?;
    jws::sign(&jws::header(public_url, key, "vc+jwt"), &json, key)
}

/// The organization as an issuer (Open Badges `Profile`), where its credentials' `issuer.id` leads.
pub fn issuer(
    conn: &mut DbConnection,
    public_url: &str,
    organization_id: &str,
    lang: Lang,
) -> Result<Value, CredentialError> {
    let organization = db::organizations::find(conn, organization_id)?;
    let mut profile = badge::issuer_profile(public_url, &organization, lang);
    profile["@context"] = serde_json::json!([badge::VC_CONTEXT, badge::OB_CONTEXT]);
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_record_is_compared_whole_and_without_case() {
        assert!(same_record("ABC234", "#abc234"));
        assert!(same_record("ABC234", " ABC234 "));
        assert!(!same_record("ABC234", "ABC23"));
        assert!(!same_record("ABC234", ""));
    }
}
