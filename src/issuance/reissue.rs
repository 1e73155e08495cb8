//! Corrected re-issue: the entry is corrected, a new paper with a new serial and code is issued at
//! once, and the old one points to it as superseded. A letter of gratitude is made again from the
//! supervisor's pupils as they are now (a late pupil is named), with the name corrected if asked.

use super::issue::{
    check_coverage, check_text_coverage, current_design, insert_new, letter_payload, new_document, numbered,
    payload_for, render_one, Issuance, IssueError,
};
use super::letters;
use crate::audit;
use crate::credentials::AtIssue;
use crate::db::{self, write_transaction, DbConnection};
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::entry::{supervisor_key, EntryCorrection};
use crate::domain::time::parse_date;
use crate::domain::{
    Competition, Document, DocumentStatus, Organization, Recipient, Serial, VerificationCode,
};

pub fn reissue(
    issuance: &Issuance,
    organization_id: &str,
    actor: &Actor,
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
    let keyring = issuance.keys.for_signing()?;
    let key = keyring.active()?;
    let credentials = AtIssue::new(&issuance.public_url, &organization, key);
    // The corrected paper keeps the date of the event it records.
    let year = parse_date(&old.payload.date).map_or(0, |d| d.year());
    if let (None, Some(name)) = (&old.entry_id, &correction.holder) {
        // A letter's name is checked here; an entry's correction is checked with its row below.
        check_text_coverage(&issuance.renderer, name.as_str()).map_err(IssueError::Coverage)?;
    }
    // The corrected paper is a new issue: the competition's design as it is now.
    let design = current_design(&mut conn, &issuance.renderer, &competition)?;
    let replacement_id = write_transaction(&mut conn, |conn| -> Result<String, IssueError> {
        let replacing = Replacing {
            credentials: &credentials,
            competition: &competition,
            organization: &organization,
            design: &design,
            old: &old,
            correction,
        };
        // A paper that is not an entry's own: a jury member's or team member's, or a letter.
        let not_an_entrys = match (&old.recipient, &old.entry_id) {
            (Some(recipient), _) => Some(new_extra_paper(conn, &replacing, recipient)?),
            (None, None) => Some(new_letter(conn, &replacing)?),
            (None, Some(_)) => None,
        };
        if let Some(replacement) = not_an_entrys {
            db::documents::mark_superseded(conn, &old.id, &replacement)?;
            return Ok(replacement);
        }
        let Some(entry_id) = &old.entry_id else {
            return Err(IssueError::NotReissuable);
        };
        db::entries::apply_correction(conn, entry_id, correction)?;
        crate::persons::assign(conn, organization_id, &competition.id)?;
        let entry = db::entries::find(conn, entry_id)?;
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
        let mut replacement = new_document(&competition, Some(&entry), &design, payload)?;
        insert_new(
            conn,
            &credentials,
            &organization.id,
            std::slice::from_mut(&mut replacement),
        )?;
        db::documents::mark_superseded(conn, &old.id, &replacement.id)?;
        Ok(replacement.id)
    })?;
    let subject = format!(
        "{} → {}",
        old.serial,
        db::documents::find(&mut conn, &replacement_id)?.serial
    );
    audit::record(
        &mut conn,
        organization_id,
        actor,
        AuditAction::DocumentReissued,
        &subject,
    )?;
    let document = db::documents::find(&mut conn, &replacement_id)?;
    let pdf = render_one(issuance, &document)?;
    issuance.store.write(&document, &pdf)?;
    db::documents::mark_rendered(&mut conn, &document.id, &pdf.sha256_hex())?;
    Ok(db::documents::find(&mut conn, &replacement_id)?)
}

/// What a paper's replacement is made from, inside the re-issue's transaction.
#[derive(Clone, Copy)]
struct Replacing<'a> {
    credentials: &'a AtIssue<'a>,
    competition: &'a Competition,
    organization: &'a Organization,
    design: &'a str,
    old: &'a Document,
    correction: &'a EntryCorrection,
}

/// The replacement of a jury member's letter or a team member's paper: what the old one said, with
/// the name corrected when asked and a judge's works counted again.
fn new_extra_paper(
    conn: &mut DbConnection,
    r: &Replacing<'_>,
    recipient: &Recipient,
) -> Result<String, IssueError> {
    let year = parse_date(&r.old.payload.date).map_or(0, |d| d.year());
    let mut payload = r.old.payload.clone();
    if let Some((serial, code)) = numbered(conn, r.organization, year, 1)?.into_iter().next() {
        payload.serial = serial.to_string();
        payload.code = code.as_str().to_string();
    }
    if let Some(name) = &r.correction.holder {
        payload.holder = name.as_str().to_string();
    }
    if let Recipient::Judge(judge_id) = recipient {
        let work = db::jury::judges_work(conn, &r.competition.id)?;
        if let Some(work) = work.iter().find(|w| &w.judge.id == judge_id) {
            payload.reviewed = Some(work.reviewed);
        }
    }
    let mut replacement = new_document(r.competition, None, r.design, payload)?;
    replacement.recipient = Some(recipient.clone());
    insert_new(
        conn,
        r.credentials,
        &r.organization.id,
        std::slice::from_mut(&mut replacement),
    )?;
    Ok(replacement.id)
}

/// The replacement of a letter: the same supervisor's pupils read again, the holder corrected when
/// the correction names one. Returns the new document's id.
fn new_letter(conn: &mut DbConnection, replacing: &Replacing<'_>) -> Result<String, IssueError> {
    let Replacing {
        credentials,
        competition,
        organization,
        design,
        old,
        correction,
    } = *replacing;
    let year = parse_date(&old.payload.date).map_or(0, |d| d.year());
    let wanted = old
        .supervisor_key
        .clone()
        .or_else(|| supervisor_key(&old.payload.holder));
    let mut letter = letters::group(db::entries::pupils(conn, &competition.id)?)
        .into_iter()
        .find(|letter| Some(&letter.key) == wanted.as_ref())
        .unwrap_or_else(|| letters::Letter {
            key: wanted.clone().unwrap_or_default(),
            supervisor: old.payload.holder.clone(),
            pupils: old.payload.pupils.clone(),
            school: old.payload.school.clone(),
            region: old.payload.region.clone(),
        });
    letter.supervisor = match &correction.holder {
        Some(name) => name.as_str().to_string(),
        None => old.payload.holder.clone(),
    };
    let number = db::documents::reserve_serials(conn, &organization.id, year, 1)?;
    let serial = Serial::new(&organization.serial_prefix, year, i64::from(number));
    let code = VerificationCode::generate();
    let payload = letter_payload(
        competition,
        organization,
        &letter,
        &serial,
        code.as_str(),
        &old.payload.date,
    );
    let mut replacement = new_document(competition, None, design, payload)?;
    replacement.supervisor_key = Some(letter.key);
    insert_new(
        conn,
        credentials,
        &organization.id,
        std::slice::from_mut(&mut replacement),
    )?;
    Ok(replacement.id)
}
