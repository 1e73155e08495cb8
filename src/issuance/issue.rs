use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::render::{RenderError, Renderer};
use super::storage::DocumentStore;
use crate::db::documents::NewDocument;
use crate::db::{self, write_transaction, Db, DbConnection, DbError};
use crate::domain::competition::CompetitionStatus;
use crate::domain::time::{format_date, today};
use crate::domain::token::sha256_hex;
use crate::domain::{
    Competition, Document, DocumentPayload, Job, Organization, Serial, StoredEntry, VerificationCode,
};
use crate::trust::keys::{Key, KeyError};
use crate::trust::{KeyStore, Keyring};

/// What issuing needs, shared by the web service's worker and the offline command.
#[derive(Clone)]
pub struct Issuance {
    pub db: Db,
    pub keys: Arc<KeyStore>,
    pub renderer: Arc<Renderer>,
    pub store: DocumentStore,
    pub public_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("could not store a PDF: {0}")]
    Storage(#[from] std::io::Error),
    #[error("the fonts lack characters the results use: {}", describe_gaps(.0))]
    Coverage(Vec<CoverageGap>),
    #[error("document {0} rendered differently than when it was issued")]
    NotReproducible(String),
    #[error("cannot sign: {0}")]
    Keys(#[from] KeyError),
    #[error("only a valid or revoked document can be re-issued")]
    NotReissuable,
}

impl From<diesel::result::Error> for IssueError {
    fn from(e: diesel::result::Error) -> Self {
        IssueError::Db(DbError::Query(e))
    }
}

/// A character the design's fonts cannot draw, and the rows of the results file that use it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CoverageGap {
    pub character: String,
    pub codepoint: String,
    pub rows: Vec<i32>,
}

fn describe_gaps(gaps: &[CoverageGap]) -> String {
    gaps.iter()
        .map(|g| format!("{} ({}) in rows {:?}", g.character, g.codepoint, g.rows))
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn verify_url(public_url: &str, code: &VerificationCode) -> String {
    format!("{}/v/{}", public_url.trim_end_matches('/'), code)
}

/// What the QR code holds: the verification URL and, after `#`, the signed record. The fragment
/// never reaches the server; the page checks it in the browser.
pub fn qr_url(public_url: &str, document: &Document) -> String {
    let url = verify_url(public_url, &document.code);
    match &document.signed_record {
        Some(record) => format!("{url}#{record}"),
        None => url,
    }
}

/// Every character the entries would print that the fonts lack, with the rows it occurs in.
pub fn check_coverage(
    renderer: &Renderer,
    competition: &Competition,
    organization: &Organization,
    entries: &[StoredEntry],
) -> Result<(), Vec<CoverageGap>> {
    let mut gaps: BTreeMap<char, Vec<i32>> = BTreeMap::new();
    let fixed = payload_for(competition, organization, None, &Serial::new("X", 0, 0), "", "");
    for c in fixed
        .printed_texts()
        .into_iter()
        .flat_map(|t| renderer.missing_glyphs(t))
    {
        gaps.entry(c).or_default();
    }
    for entry in entries {
        let payload = payload_for(
            competition,
            organization,
            Some(entry),
            &Serial::new("X", 0, 0),
            "",
            "",
        );
        for c in payload
            .printed_texts()
            .into_iter()
            .flat_map(|t| renderer.missing_glyphs(t))
        {
            let rows = gaps.entry(c).or_default();
            if rows.last() != Some(&entry.source_row) {
                rows.push(entry.source_row);
            }
        }
    }
    if gaps.is_empty() {
        return Ok(());
    }
    Err(gaps
        .into_iter()
        .map(|(c, rows)| CoverageGap {
            character: c.to_string(),
            codepoint: format!("U+{:04X}", c as u32),
            rows,
        })
        .collect())
}

pub(super) fn payload_for(
    competition: &Competition,
    organization: &Organization,
    entry: Option<&StoredEntry>,
    serial: &Serial,
    code: &str,
    date: &str,
) -> DocumentPayload {
    let lang = competition.details.language;
    let award = entry
        .map(|e| e.award)
        .unwrap_or(crate::domain::Award::Participant);
    DocumentPayload {
        language: lang,
        award: award.code(),
        award_title: award.title(lang),
        holder: entry.map(|e| e.holder.clone()).unwrap_or_default(),
        team_members: entry.map(|e| e.team_members.clone()).unwrap_or_default(),
        school: entry.and_then(|e| e.school.clone()),
        region: entry.and_then(|e| e.region.clone()),
        supervisor: entry.and_then(|e| e.supervisor.clone()),
        nomination: entry.and_then(|e| e.nomination.clone()),
        age_group: entry.and_then(|e| e.age_group.clone()),
        competition: competition.title_in(lang).to_string(),
        issuer: organization.name(lang),
        city: competition
            .details
            .city
            .clone()
            .or_else(|| organization.city.clone()),
        date: date.to_string(),
        valid_until: competition.details.valid_until.map(format_date),
        serial: serial.to_string(),
        code: code.to_string(),
    }
}

/// Creates a pending document, with serial and code, for every entry that has none yet. All in one
/// transaction, so serials stay contiguous and a crash leaves either all or none.
fn reserve_documents(
    conn: &mut DbConnection,
    keyring: &Keyring,
    competition: &Competition,
    organization: &Organization,
) -> Result<usize, IssueError> {
    let key = keyring.active()?;
    write_transaction(conn, |conn| {
        let issued = db::documents::entries_with_documents(conn, &competition.id)?;
        let entries: Vec<StoredEntry> = db::entries::list(conn, &competition.id)?
            .into_iter()
            .filter(|e| !issued.contains(&e.id))
            .collect();
        if entries.is_empty() {
            return Ok(0);
        }
        let date = competition.details.ends_on.unwrap_or_else(today);
        let year = date.year();
        let count = i32::try_from(entries.len()).unwrap_or(i32::MAX);
        let first = db::documents::reserve_serials(conn, &organization.id, year, count)?;
        let documents = entries
            .iter()
            .zip(first..)
            .map(|(entry, number)| {
                let serial = Serial::new(&organization.serial_prefix, year, i64::from(number));
                let code = VerificationCode::generate();
                let payload = payload_for(
                    competition,
                    organization,
                    Some(entry),
                    &serial,
                    code.as_str(),
                    &format_date(date),
                );
                new_document(key, competition, entry, payload)
            })
            .collect::<Result<Vec<_>, IssueError>>()?;
        db::documents::insert_pending(conn, &documents)?;
        Ok(documents.len())
    })
}

pub(super) fn new_document(
    key: &Key,
    competition: &Competition,
    entry: &StoredEntry,
    payload: DocumentPayload,
) -> Result<NewDocument, IssueError> {
    Ok(NewDocument {
        id: uuid::Uuid::now_v7().to_string(),
        signed_record: payload.record_fields().sign(key)?,
        organization_id: competition.organization_id.clone(),
        competition_id: competition.id.clone(),
        entry_id: entry.id.clone(),
        design: competition.details.design.clone(),
        payload,
    })
}

/// Renders every document of the job's competition. Documents rendered before are rendered again
/// and must come out byte-identical; pending ones become valid.
pub fn run_issue_job(issuance: &Issuance, job: &Job) -> Result<(), IssueError> {
    let mut conn = issuance.db.conn()?;
    let competition = db::competitions::find(&mut conn, &job.competition_id)?;
    let organization = db::organizations::find(&mut conn, &competition.organization_id)?;
    let entries = db::entries::list(&mut conn, &competition.id)?;
    check_coverage(&issuance.renderer, &competition, &organization, &entries)
        .map_err(IssueError::Coverage)?;
    let keyring = issuance.keys.current()?;
    reserve_documents(&mut conn, &keyring, &competition, &organization)?;

    let documents = db::documents::list_for_competition(&mut conn, &competition.id)?;
    let total = i32::try_from(documents.len()).unwrap_or(i32::MAX);
    db::jobs::set_progress(&mut conn, &job.id, 0, total)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done = 0;
    let mut last_report = Instant::now();
    for batch in documents.chunks(32 * threads) {
        let rendered = render_parallel(issuance, batch, threads)?;
        let digests: Vec<String> = rendered.iter().map(|bytes| sha256_hex(bytes)).collect();
        for ((document, bytes), digest) in batch.iter().zip(&rendered).zip(&digests) {
            if document
                .sha256
                .as_ref()
                .is_some_and(|previous| previous != digest)
            {
                return Err(IssueError::NotReproducible(document.serial.to_string()));
            }
            issuance.store.write(document, bytes)?;
        }
        write_transaction(&mut conn, |conn| -> Result<(), DbError> {
            for (document, digest) in batch.iter().zip(&digests) {
                db::documents::mark_rendered(conn, &document.id, digest)?;
            }
            Ok(())
        })?;
        done += i32::try_from(batch.len()).unwrap_or(0);
        if last_report.elapsed() > Duration::from_millis(250) || done == total {
            db::jobs::set_progress(&mut conn, &job.id, done, total)?;
            last_report = Instant::now();
        }
    }
    db::competitions::set_status(&mut conn, &competition.id, CompetitionStatus::Issued)?;
    Ok(())
}

fn render_parallel(
    issuance: &Issuance,
    batch: &[Document],
    threads: usize,
) -> Result<Vec<Vec<u8>>, IssueError> {
    let chunk = batch.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|d| {
                            issuance
                                .renderer
                                .render(&d.design, &d.payload, &qr_url(&issuance.public_url, d))
                        })
                        .collect::<Result<Vec<_>, RenderError>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(batch.len());
        for handle in handles {
            let part = handle.join().map_err(|_| {
                IssueError::Render(RenderError::Write("a rendering thread panicked".into()))
            })??;
            all.extend(part);
        }
        Ok(all)
    })
}
