//! Corrected re-issue: the entry is corrected, a new paper with a new serial and code is issued at
//! once, and the old one points to it as superseded.

use super::issue::{check_coverage, new_document, payload_for, render_document, Issuance, IssueError};
use super::own_designs::reference_for;
use crate::db::{self, write_transaction};
use crate::domain::entry::EntryCorrection;
use crate::domain::time::parse_date;
use crate::domain::{Document, DocumentStatus, Serial, VerificationCode};

pub fn reissue(
    issuance: &Issuance,
    organization_id: &str,
    document_id: &str,
    correction: &EntryCorrection,
) -> Result<Document, IssueError> {
    let mut conn = issuance.db.conn()?;
    let old = db::documents::find_owned(&mut conn, organization_id, document_id)?;
    if !matches!(old.status, DocumentStatus::Valid | DocumentStatus::Revoked) {
        return Err(IssueError::NotReissuable);
    }
    let competition = db::competitions::find(&mut conn, &old.competition_id)?;
    let organization = db::organizations::find(&mut conn, organization_id)?;
    let keyring = issuance.keys.current()?;
    let key = keyring.active()?;
    // The corrected paper keeps the date of the event it records.
    let year = parse_date(&old.payload.date).map_or(0, |d| d.year());
    // The corrected paper is a new issue: the competition's design as it is now.
    let design = reference_for(
        &mut conn,
        &issuance.renderer,
        organization_id,
        &competition.details.design,
    )?
    .to_string();
    let replacement_id = write_transaction(&mut conn, |conn| -> Result<String, IssueError> {
        db::entries::apply_correction(conn, &old.entry_id, correction)?;
        let entry = db::entries::find(conn, &old.entry_id)?;
        check_coverage(
            &issuance.renderer,
            &competition,
            &organization,
            std::slice::from_ref(&entry),
        )
        .map_err(IssueError::Coverage)?;
        let number = db::documents::reserve_serials(conn, &organization.id, year, 1)?;
        let serial = Serial::new(&organization.serial_prefix, year, i64::from(number));
        let code = VerificationCode::generate();
        let payload = payload_for(
            &competition,
            &organization,
            Some(&entry),
            &serial,
            code.as_str(),
            &old.payload.date,
        );
        let replacement = new_document(key, &competition, &entry, &design, payload)?;
        db::documents::insert_pending(conn, std::slice::from_ref(&replacement))?;
        db::documents::mark_superseded(conn, &old.id, &replacement.id)?;
        Ok(replacement.id)
    })?;
    let document = db::documents::find(&mut conn, &replacement_id)?;
    let pdf = render_document(issuance, &document)?;
    issuance.store.write(&document, &pdf.parts())?;
    db::documents::mark_rendered(&mut conn, &document.id, &pdf.sha256_hex())?;
    Ok(db::documents::find(&mut conn, &replacement_id)?)
}
