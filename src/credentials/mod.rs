//! Every issued paper also as an Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable
//! Credential 2.0), for the wallets, LMSs and admission offices that read those and not a PDF.
//!
//! Proof format: VC-JWT as Open Badges 3.0 §8.2 defines it (a compact JWS whose payload is the
//! credential), signed EdDSA by the Ed25519 keys that sign the QR records. The issuer is the
//! organization's DID (`did:web:HOST:o:SLUG`, `did`) and `kid` a key of its DID document, which
//! lists the deployment's published keys, old ones kept. Any JOSE library in any language
//! verifies it; a Data Integrity proof (`eddsa-rdfc-2022`) would need a JSON-LD processor and RDF
//! canonicalization, for which Rust has no well-kept crate short of a large framework (README:
//! "Open Badges").
//!
//! Made at issue: a paper's credential is made and signed when the paper is reserved, with the
//! key that signs its QR record, and kept with it (`AtIssue`): the PDF carries it as an embedded
//! file and a paper rendered again must come out byte for byte the same, so nothing in it may be
//! drawn or read later. Its place in the status list is drawn then too, a batch's places at once
//! (`draw_places`). Papers issued before that have no kept credential: theirs is made on request,
//! as it was, with a place handed out the first time.
//!
//! Revocation: each credential names a place in its organization's Bitstring Status List
//! (`status_list`); the list is made on request from the papers' statuses, so a revoked or
//! superseded paper is revoked there at once.
//!
//! Who gets it: the organizer, for any issued paper of theirs; the public, only for a paper whose
//! page is public and valid, and only by showing the paper's signed QR record (`for_holder`): the
//! credential carries the full name, which the public page masks, and the record already holds it.

mod badge;
pub mod did;
pub mod jws;
pub mod status_list;

pub use badge::{profile_url, status_list_url, Issuer, Paper};

use std::collections::HashSet;

use data_encoding::BASE64URL_NOPAD;
use rand::Rng;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::{self, DbConnection, DbError};
use crate::domain::organization::{OrgSlug, Organization};
use crate::domain::{Document, DocumentId, DocumentStatus, OrgId, VerificationCode};
use crate::i18n::Lang;
use crate::issuance::verify_url;
use crate::trust::keys::{Key, KeyError};
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
    /// A kept credential that is not a compact JWS: the database was changed by hand.
    #[error("the kept credential of paper {0} is not a compact JWS")]
    Kept(String),
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
    let (json, compact_jws) = match db::credentials::kept(conn, &document.id)? {
        // Made at issue: the very credential the PDF carries.
        Some(kept) => (
            payload_of(&kept).ok_or_else(|| CredentialError::Kept(document.serial.to_string()))?,
            kept,
        ),
        // Issued before credentials were made at issue: made now, with the active key.
        None => {
            let organization = db::organizations::find(conn, &document.organization_id)?;
            let place = place_of(conn, document)?;
            AtIssue::new(public_url, &organization, keys.active()?).make(
                Paper::of(document),
                document.code.as_str(),
                place,
            )?
        }
    };
    Ok(Credential {
        serial: document.serial.to_string(),
        compact_jws,
        json,
    })
}

/// The credential a compact JWS carries (its payload), unchecked: only for one gramota signed.
fn payload_of(compact: &str) -> Option<Value> {
    let payload = compact.split('.').nth(1)?;
    serde_json::from_slice(&BASE64URL_NOPAD.decode(payload.as_bytes()).ok()?).ok()
}

/// Makes and signs the credentials of an organization's papers as they are issued: the issuer's
/// parts made once for the batch, each paper's credential signed by the key that signs its QR
/// record (the active key at issue), its `kid` a key of the organization's DID document.
pub struct AtIssue<'a> {
    issuer: Issuer,
    key: &'a Key,
    header: Value,
    public_url: &'a str,
}

impl<'a> AtIssue<'a> {
    pub fn new(public_url: &'a str, organization: &Organization, key: &'a Key) -> AtIssue<'a> {
        let issuer = Issuer::new(public_url, organization);
        let header = jws::header(&did::key_id(&issuer.id, key), "JWT");
        AtIssue {
            issuer,
            key,
            header,
            public_url,
        }
    }

    /// The key the credentials are signed with: the paper's QR record is signed with it too.
    pub fn key(&self) -> &Key {
        self.key
    }

    /// The paper's credential as a compact JWS (VC-JWT), to keep with the paper.
    pub fn sign(&self, paper: Paper<'_>, code: &str, place: i64) -> Result<String, CredentialError> {
        Ok(self.make(paper, code, place)?.1)
    }

    /// The one place a paper's credential is made: its JSON and the signed compact JWS of it.
    fn make(&self, paper: Paper<'_>, code: &str, place: i64) -> Result<(Value, String), CredentialError> {
        let json = badge::credential(&badge::Facts {
            paper,
            issuer: &self.issuer,
            place,
            verify_url: verify_url(self.public_url, code),
        });
        let compact = jws::sign(&self.header, &json, self.key)?;
        Ok((json, compact))
    }
}

/// Places in the organization's status list for `count` papers being issued, drawn at random among
/// the free ones (the place says nothing of when or in what order a paper was issued), a few
/// queries for the whole batch. Inside the issue's write transaction; keep them with
/// [`keep_places`] once the papers are stored.
pub fn draw_places(
    conn: &mut DbConnection,
    organization_id: &str,
    count: usize,
) -> Result<Vec<i64>, CredentialError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    // The same lock as a first download's place (`place_of`): no place is handed out twice.
    db::organizations::lock_for_numbering(conn, organization_id)?;
    let wanted = i64::try_from(count).unwrap_or(i64::MAX);
    let taken = db::credentials::places_taken(conn, organization_id)?;
    let room = status_list::room_for(taken.saturating_add(wanted));
    let mut random = rand::rng();
    let mut drawn = HashSet::with_capacity(count * 2);
    let mut places = Vec::with_capacity(count);
    // At most a quarter of the room is taken, so a round rarely leaves more than a few to draw.
    for _ in 0..8 {
        let missing = count - places.len();
        if missing == 0 {
            break;
        }
        let candidates: Vec<i64> = (0..missing + missing / 2 + 8)
            .map(|_| random.random_range(0..room))
            .filter(|place| drawn.insert(*place))
            .collect();
        let busy = db::credentials::taken_among(conn, organization_id, &candidates)?;
        places.extend(
            candidates
                .into_iter()
                .filter(|place| !busy.contains(place))
                .take(missing),
        );
    }
    if places.len() < count {
        let highest = db::credentials::highest_place(conn, organization_id)?.unwrap_or(-1);
        let mut next = places.iter().copied().max().unwrap_or(-1).max(highest) + 1;
        while places.len() < count {
            places.push(next);
            next += 1;
        }
    }
    Ok(places)
}

/// Records the places drawn for papers now stored (`(document id, place)`).
pub fn keep_places(
    conn: &mut DbConnection,
    organization_id: &str,
    placed: &[(String, i64)],
) -> Result<(), CredentialError> {
    Ok(db::credentials::insert_places(conn, organization_id, placed)?)
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
    let issuer = did::did(public_url, &organization.slug);
    let json = status_list::credential(
        &issuer,
        &status_list_url(public_url, &organization.id),
        &encoded,
        time::OffsetDateTime::now_utc(),
    );
    let key = keys.active()?;
    jws::sign(&jws::header(&did::key_id(&issuer, key), "vc+jwt"), &json, key)
}

/// The organization as an issuer (Open Badges `Profile`), where its credentials' achievements
/// lead; its `id` is the organization's DID, as in the credentials.
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

/// The organization's DID document (`did:web`): every key the deployment has published, old and
/// compromised ones kept, for a credential's `kid` to resolve.
pub fn did_document(
    conn: &mut DbConnection,
    keys: &Keyring,
    public_url: &str,
    slug: &str,
) -> Result<Value, CredentialError> {
    let slug = OrgSlug::parse(slug).ok_or(CredentialError::NotFound)?;
    let organization = db::organizations::find_by_slug(conn, &slug)?.ok_or(CredentialError::NotFound)?;
    Ok(did::document(
        &did::did(public_url, &organization.slug),
        keys.keys(),
    ))
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
