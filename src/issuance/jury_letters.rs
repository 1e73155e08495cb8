//! Letters of gratitude to a competition's jury members and experts for their work, each naming
//! the number of works they reviewed (the entries they scored). Issued from the competition's
//! page or the API when the organizer asks, rendered at once (a jury is a few dozen people, not a
//! batch), each with its serial, code, signed record and QR code; a judge thanked before is not
//! thanked again (re-issue their letter to count again), and a judge who scored nothing gets none.

use super::issue::{current_design, new_document, numbered, payload_for, render_one, IssueError};
use super::Issuance;
use crate::db::jury::JudgeWork;
use crate::db::{self, write_transaction};
use crate::domain::time::{format_date, today};
use crate::domain::{Award, Competition, Document, DocumentPayload, Organization, Recipient, Serial};

/// What asking for the jury's letters did.
#[derive(Debug)]
pub struct JuryLetters {
    /// The letters issued now, rendered.
    pub issued: Vec<Document>,
    /// Judges thanked before, left as they are.
    pub already: usize,
    /// Judges who scored no entry: nothing to thank them for yet.
    pub without_scores: Vec<String>,
}

/// Issues a letter to every judge of the organization's competition who scored at least one entry
/// and has none yet.
pub fn issue_jury_letters(
    issuance: &Issuance,
    organization_id: &str,
    competition_id: &str,
) -> Result<JuryLetters, IssueError> {
    let mut conn = issuance.db.conn()?;
    let competition = db::competitions::find_owned(&mut conn, organization_id, competition_id)?;
    let organization = db::organizations::find(&mut conn, organization_id)?;
    let keyring = issuance.keys.for_signing()?;
    let key = keyring.active()?;
    let credentials = crate::credentials::AtIssue::new(&issuance.public_url, &organization, key);
    let design = current_design(&mut conn, &issuance.renderer, &competition)?;
    let date = competition.details.ends_on.unwrap_or_else(today);
    let (ids, already, without_scores) = write_transaction(&mut conn, |conn| {
        db::claims::lock_competition(conn, &competition.id)?;
        let settings = db::competition_papers::find(conn, &competition.id)?;
        let given = db::documents::recipients_with_papers(conn, &competition.id)?;
        let mut already = 0;
        let mut without_scores = Vec::new();
        let mut wanted = Vec::new();
        for work in db::jury::judges_work(conn, &competition.id)? {
            let recipient = Recipient::Judge(work.judge.id.clone());
            if given.contains(&recipient.to_text()) {
                already += 1;
            } else if work.reviewed == 0 {
                without_scores.push(work.judge.name.clone());
            } else {
                wanted.push((work, recipient));
            }
        }
        if let Some(gaps) = wanted
            .iter()
            .find_map(|(work, _)| super::check_text_coverage(&issuance.renderer, &work.judge.name).err())
        {
            return Err(IssueError::Coverage(gaps));
        }
        let numbers = numbered(conn, &organization, date.year(), wanted.len())?;
        let mut documents = wanted
            .into_iter()
            .zip(numbers)
            .map(|((work, recipient), (serial, code))| {
                let payload = settings.worded(jury_payload(
                    &competition,
                    &organization,
                    &work,
                    &serial,
                    code.as_str(),
                    &format_date(date),
                ));
                let mut document = new_document(&competition, None, &design, payload)?;
                document.recipient = Some(recipient);
                Ok(document)
            })
            .collect::<Result<Vec<_>, IssueError>>()?;
        super::issue::insert_new(conn, &credentials, &organization.id, &mut documents)?;
        Ok::<_, IssueError>((
            documents.into_iter().map(|d| d.id).collect::<Vec<_>>(),
            already,
            without_scores,
        ))
    })?;
    let mut issued = Vec::with_capacity(ids.len());
    for id in ids {
        let document = db::documents::find(&mut conn, &id)?;
        let pdf = render_one(issuance, &document)?;
        issuance.store.write(&document, &pdf)?;
        db::documents::mark_rendered(&mut conn, &document.id, &pdf.sha256_hex())?;
        issued.push(db::documents::find(&mut conn, &id)?);
    }
    Ok(JuryLetters {
        issued,
        already,
        without_scores,
    })
}

/// What a jury member's letter says: the judge as holder, their organization, the number of works
/// they reviewed.
pub(super) fn jury_payload(
    competition: &Competition,
    organization: &Organization,
    work: &JudgeWork,
    serial: &Serial,
    code: &str,
    date: &str,
) -> DocumentPayload {
    let lang = competition.details.language;
    let judge_organization = Some(work.judge.organization.clone()).filter(|o| !o.trim().is_empty());
    DocumentPayload {
        award: Award::Letter.code(),
        award_title: Award::Letter.title(lang),
        holder: work.judge.name.clone(),
        school: judge_organization,
        region: None,
        hours: None,
        event: None,
        reviewed: Some(work.reviewed),
        ..payload_for(competition, organization, None, serial, code, date)
    }
}
