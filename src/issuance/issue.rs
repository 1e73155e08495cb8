use std::collections::BTreeMap;
use std::sync::Arc;

use super::batch_settings::BatchSettings;
use super::design_cache::{DesignCache, ReadyDesign};
use super::letters::{self, Letter};
use super::own_designs::{reference_for, OwnDesignError};
use super::parallel::{self, WorkerPanicked};
use super::render::{Attachment, PaperPdf, RenderError, Renderer};
use super::storage::DocumentStore;
use crate::credentials::{AtIssue, CredentialError, Paper};
use crate::db::documents::NewDocument;
use crate::db::{self, write_transaction, Db, DbConnection, DbError};
use crate::domain::papers::PaperSettings;
use crate::domain::time::{format_date, now_rfc3339, today};
use crate::domain::{
    Award, Competition, CompetitionKind, Document, DocumentPayload, Organization, PackSlice, Serial,
    StoredEntry, VerificationCode,
};
use crate::trust::keys::KeyError;
use crate::trust::{KeyStore, Keyring};

/// What issuing needs, shared by the web service's worker and the offline command.
#[derive(Clone)]
pub struct Issuance {
    pub db: Db,
    pub keys: Arc<KeyStore>,
    pub renderer: Arc<Renderer>,
    pub store: DocumentStore,
    pub public_url: String,
    pub batch: BatchSettings,
    pub designs: Arc<DesignCache>,
    /// Asked at SIGTERM: a batch stops after the chunk in hand.
    pub shutdown: crate::shutdown::Shutdown,
    /// This instance's counters, shown at `GET /metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl Issuance {
    /// A design ready to render by the reference a document records, prepared once per process.
    pub fn design(&self, reference: &str) -> Result<Arc<ReadyDesign>, IssueError> {
        self.designs.get(&self.db, &self.renderer, reference)
    }
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
    #[error(transparent)]
    WorkerPanicked(#[from] WorkerPanicked),
    #[error(transparent)]
    Design(#[from] OwnDesignError),
    #[error("cannot make the paper's credential: {0}")]
    Credential(#[from] CredentialError),
}

impl From<diesel::result::Error> for IssueError {
    fn from(e: diesel::result::Error) -> Self {
        IssueError::Db(DbError::Query(e))
    }
}

/// A character the design's fonts cannot draw, and the rows of the results file that use it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
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

pub fn verify_url(public_url: &str, code: &(impl std::fmt::Display + ?Sized)) -> String {
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
    let mut gaps = Gaps::default();
    gaps.add_fixed(renderer, competition, organization);
    gaps.add_entries(renderer, competition, organization, entries);
    gaps.into_result()
}

/// The same check for one text that no row holds (a letter's corrected name).
pub fn check_text_coverage(renderer: &Renderer, text: &str) -> Result<(), Vec<CoverageGap>> {
    let mut gaps = Gaps::default();
    gaps.add_text(renderer, text);
    gaps.into_result()
}

/// The same check over a whole competition, read a page at a time so a national batch is never
/// held in memory.
pub fn check_competition_coverage(
    conn: &mut DbConnection,
    renderer: &Renderer,
    competition: &Competition,
    organization: &Organization,
) -> Result<Result<(), Vec<CoverageGap>>, DbError> {
    let mut gaps = Gaps::default();
    gaps.add_fixed(renderer, competition, organization);
    let mut after: Option<String> = None;
    loop {
        let page = db::entries::page_by_id(conn, &competition.id, after.as_deref(), 2000)?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        gaps.add_entries(renderer, competition, organization, &page);
    }
    Ok(gaps.into_result())
}

/// Characters the fonts lack, each with the rows of the results file that use it.
#[derive(Default)]
struct Gaps(BTreeMap<char, Vec<i32>>);

impl Gaps {
    fn add_fixed(&mut self, renderer: &Renderer, competition: &Competition, organization: &Organization) {
        let fixed = payload_for(competition, organization, None, &Serial::new("X", 0, 0), "", "");
        for text in fixed.printed_texts() {
            self.add_text(renderer, text);
        }
    }

    /// A text that is not a row of the results file.
    fn add_text(&mut self, renderer: &Renderer, text: &str) {
        for c in renderer.missing_glyphs(text) {
            self.0.entry(c).or_default();
        }
    }

    fn add_entries(
        &mut self,
        renderer: &Renderer,
        competition: &Competition,
        organization: &Organization,
        entries: &[StoredEntry],
    ) {
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
                let rows = self.0.entry(c).or_default();
                if rows.last() != Some(&entry.source_row) {
                    rows.push(entry.source_row);
                }
            }
        }
    }

    fn into_result(self) -> Result<(), Vec<CoverageGap>> {
        if self.0.is_empty() {
            return Ok(());
        }
        Err(self
            .0
            .into_iter()
            .map(|(c, mut rows)| {
                rows.sort_unstable();
                rows.dedup();
                CoverageGap {
                    character: c.to_string(),
                    codepoint: format!("U+{:04X}", c as u32),
                    rows,
                }
            })
            .collect())
    }
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
    // Everyone who finished a course gets its certificate, whatever the award column said.
    let course = competition.details.kind == CompetitionKind::Course;
    // A seminar or webinar certifies attending, with its hours, whatever the award column said.
    let event = competition.details.kind.paper_event();
    let (award, award_title) = match entry {
        _ if course => (Award::Course, Award::Course.title(lang)),
        _ if event.is_some() => (Award::Participant, Award::Participant.title(lang)),
        Some(e) => (e.award, e.printed_award(lang)),
        None => (Award::Participant, Award::Participant.title(lang)),
    };
    DocumentPayload {
        language: lang,
        award: award.code(),
        award_title,
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
        pupils: Vec::new(),
        hours: (course || event.is_some())
            .then(|| entry.and_then(|e| e.hours).or(competition.details.hours))
            .flatten(),
        custom: entry.map(|e| e.custom.clone()).unwrap_or_default(),
        // A competition that names its own signer prints them, title and all; else the head.
        signer: competition
            .details
            .signer
            .name
            .clone()
            .or_else(|| organization.head_name.clone()),
        signer_title: match &competition.details.signer.name {
            Some(_) => competition.details.signer.title.clone(),
            None => organization.head_title.clone(),
        },
        team: None,
        reviewed: None,
        event,
        reason: None,
    }
}

/// What a supervisor's letter of gratitude says: the supervisor as holder, their pupils, and the
/// pupils' school and region when they share one.
pub(super) fn letter_payload(
    competition: &Competition,
    organization: &Organization,
    letter: &Letter,
    serial: &Serial,
    code: &str,
    date: &str,
) -> DocumentPayload {
    let lang = competition.details.language;
    DocumentPayload {
        award: Award::Letter.code(),
        award_title: Award::Letter.title(lang),
        holder: letter.supervisor.clone(),
        pupils: letter.pupils.clone(),
        school: letter.school.clone(),
        region: letter.region.clone(),
        hours: None,
        event: None,
        ..payload_for(competition, organization, None, serial, code, date)
    }
}

/// The design reference a competition's new paper records: its design's latest version as it is
/// now (a corrected re-issue and the jury's letters are new papers too).
pub(super) fn current_design(
    conn: &mut DbConnection,
    renderer: &Renderer,
    competition: &Competition,
) -> Result<String, IssueError> {
    let design = &competition.details.design;
    Ok(reference_for(conn, renderer, &competition.organization_id, design)?.to_string())
}

/// Creates a pending document, with serial and code, for every entry that has none yet, and makes
/// pending documents left by an earlier job this job's. One transaction, so serials stay contiguous
/// and a crash leaves either all or none; entries are read a page at a time.
pub(super) fn reserve_documents(
    conn: &mut DbConnection,
    renderer: &Renderer,
    keyring: &Keyring,
    public_url: &str,
    competition: &Competition,
    organization: &Organization,
    job_id: &str,
) -> Result<usize, IssueError> {
    let key = keyring.active()?;
    let credentials = AtIssue::new(public_url, organization, key);
    let date = competition.details.ends_on.unwrap_or_else(today);
    let year = date.year();
    // New papers get the design's latest version as it is now, recorded exactly.
    let design = current_design(conn, renderer, competition)?;
    write_transaction(conn, |conn| {
        // Two workers joining one job must not both reserve the same entries.
        db::claims::lock_competition(conn, &competition.id)?;
        db::claims::adopt_pending(conn, &competition.id, job_id)?;
        let settings = db::competition_papers::find(conn, &competition.id)?;
        let mut reserved = 0;
        let mut after = None;
        loop {
            let page = db::entries::without_documents_after(
                conn,
                &competition.id,
                competition.details.kind.is_event(),
                after.as_ref(),
                RESERVE_PAGE,
            )?;
            let Some((last, _)) = page.last() else {
                break;
            };
            after = Some(last.clone());
            let entries: Vec<StoredEntry> = page.into_iter().map(|(_, entry)| entry).collect();
            let numbers = numbered(conn, organization, year, entries.len())?;
            let mut documents = entries
                .iter()
                .zip(numbers)
                .map(|(entry, (serial, code))| {
                    let payload = settings.worded(payload_for(
                        competition,
                        organization,
                        Some(entry),
                        &serial,
                        code.as_str(),
                        &format_date(date),
                    ));
                    let mut document = new_document(competition, Some(entry), &design, payload)?;
                    document.job_id = Some(job_id.to_string());
                    Ok(document)
                })
                .collect::<Result<Vec<_>, IssueError>>()?;
            insert_new(conn, &credentials, &organization.id, &mut documents)?;
            reserved += documents.len();
        }
        let run = Run {
            credentials: &credentials,
            competition,
            organization,
            design: &design,
            job_id,
            date,
            settings: &settings,
        };
        if competition.details.letters {
            reserved += reserve_letters(conn, &run)?;
        }
        if settings.member_papers {
            reserved += super::members::reserve(conn, &run)?;
        }
        Ok(reserved)
    })
}

/// A letter for every supervisor who has none yet, after the papers; inside the papers'
/// transaction, under the same competition lock, so two runs never thank one person twice. A late
/// pupil of a supervisor already thanked does not change the letter: re-issue it to name them.
fn reserve_letters(conn: &mut DbConnection, run: &Run<'_>) -> Result<usize, IssueError> {
    let Run {
        credentials,
        competition,
        organization,
        design,
        job_id,
        date,
        settings,
    } = *run;
    let thanked = db::documents::supervisors_with_letters(conn, &competition.id)?;
    let letters: Vec<Letter> = letters::group(db::entries::pupils(conn, &competition.id)?)
        .into_iter()
        .filter(|letter| !thanked.contains(&letter.key))
        .collect();
    if letters.is_empty() {
        return Ok(0);
    }
    let numbers = numbered(conn, organization, date.year(), letters.len())?;
    let mut documents = letters
        .iter()
        .zip(numbers)
        .map(|(letter, (serial, code))| {
            let payload = settings.worded(letter_payload(
                competition,
                organization,
                letter,
                &serial,
                code.as_str(),
                &format_date(date),
            ));
            let mut document = new_document(competition, None, design, payload)?;
            document.supervisor_key = Some(letter.key.clone());
            document.job_id = Some(job_id.to_string());
            Ok(document)
        })
        .collect::<Result<Vec<_>, IssueError>>()?;
    insert_new(conn, credentials, &organization.id, &mut documents)?;
    Ok(documents.len())
}

const RESERVE_PAGE: i64 = 1000;

/// What an issue run reserves its extra papers with, inside its transaction.
#[derive(Clone, Copy)]
pub(super) struct Run<'a> {
    /// Signs the new papers' records and makes their credentials, with the active key.
    pub credentials: &'a AtIssue<'a>,
    pub competition: &'a Competition,
    pub organization: &'a Organization,
    /// The design reference new papers record.
    pub design: &'a str,
    pub job_id: &'a str,
    pub date: time::Date,
    pub settings: &'a PaperSettings,
}

/// `count` consecutive serials of the organization's year, each with a new verification code.
/// Inside a write transaction, as `reserve_serials` asks.
pub(super) fn numbered(
    conn: &mut DbConnection,
    organization: &Organization,
    year: i32,
    count: usize,
) -> Result<Vec<(Serial, VerificationCode)>, DbError> {
    let count = i32::try_from(count).unwrap_or(i32::MAX);
    let first = db::documents::reserve_serials(conn, &organization.id, year, count)?;
    Ok((first..first.saturating_add(count))
        .map(|number| {
            let serial = Serial::new(&organization.serial_prefix, year, i64::from(number));
            (serial, VerificationCode::generate())
        })
        .collect())
}

/// A document to insert; `entry` is None for a letter, whose caller sets its `supervisor_key`.
/// Not signed yet: [`insert_new`] signs its record and its credential, a batch on every core.
pub(super) fn new_document(
    competition: &Competition,
    entry: Option<&StoredEntry>,
    design: &str,
    payload: DocumentPayload,
) -> Result<NewDocument, IssueError> {
    Ok(NewDocument {
        id: uuid::Uuid::now_v7().to_string(),
        signed_record: String::new(),
        issued_at: now_rfc3339(),
        credential: None,
        organization_id: competition.organization_id.clone(),
        competition_id: competition.id.clone(),
        entry_id: entry.map(|e| e.id.clone()),
        supervisor_key: None,
        recipient: None,
        design: design.to_string(),
        payload,
        job_id: None,
    })
}

/// Stores new papers signed, with their Open Badges credentials: places in the status list drawn
/// for the lot, each paper's QR record and credential signed by the same key (the active one),
/// the papers inserted and their places kept. Inside the caller's write transaction; every new
/// paper is stored through here, so every paper issued from now on carries its credential.
///
/// The two Ed25519 signatures are most of a reservation's work (about 30 µs each a paper), so a
/// batch is signed on every core: the reservation, which holds the competition's lock, takes no
/// longer than when it signed the record alone on one.
pub(super) fn insert_new(
    conn: &mut DbConnection,
    credentials: &AtIssue<'_>,
    organization_id: &str,
    documents: &mut [NewDocument],
) -> Result<(), IssueError> {
    let started = std::time::Instant::now();
    let places = crate::credentials::draw_places(conn, organization_id, documents.len())?;
    let drawn = started.elapsed();
    let work: Vec<(&NewDocument, i64)> = documents.iter().zip(places.iter().copied()).collect();
    let threads = if work.len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    let signed = parallel::map_in_order(&work, threads, |&(document, place)| {
        let record = document.payload.record_fields().sign(credentials.key())?;
        let paper = Paper {
            id: &document.id,
            competition_id: &document.competition_id,
            serial: &document.payload.serial,
            payload: &document.payload,
            issued_at: &document.issued_at,
        };
        let credential = credentials.sign(paper, &document.payload.code, place)?;
        Ok::<_, IssueError>((record, credential))
    })?;
    for (document, (record, credential)) in documents.iter_mut().zip(signed) {
        document.signed_record = record;
        document.credential = Some(credential);
    }
    let signed_in = started.elapsed();
    db::documents::insert_pending(conn, documents)?;
    let inserted = started.elapsed();
    let kept: Vec<(&str, &str)> = documents
        .iter()
        .filter_map(|d| Some((d.id.as_str(), d.credential.as_deref()?)))
        .collect();
    db::credentials::insert_kept(conn, &kept)?;
    let credentials_kept = started.elapsed();
    let placed: Vec<(String, i64)> = documents.iter().map(|d| d.id.clone()).zip(places).collect();
    crate::credentials::keep_places(conn, organization_id, &placed)?;
    tracing::debug!(
        papers = documents.len(),
        threads,
        draw_us = drawn.as_micros(),
        sign_us = (signed_in - drawn).as_micros(),
        insert_us = (inserted - signed_in).as_micros(),
        keep_credentials_us = (credentials_kept - inserted).as_micros(),
        keep_places_us = (started.elapsed() - credentials_kept).as_micros(),
        "papers stored with their credentials"
    );
    Ok(())
}

/// Papers signed on one thread below this many: starting threads costs more than it saves.
const PARALLEL_FROM: usize = 64;

/// The name of the embedded file a paper's PDF carries its credential in.
pub const CREDENTIAL_FILE: &str = "credential.jwt";

/// One document's PDF, with the exact design version it records and the credential kept for it
/// at issue (`db::credentials::kept`). The one place that calls the renderer for an issued
/// document.
pub(super) fn render_document(
    issuance: &Issuance,
    document: &Document,
    credential: Option<&str>,
) -> Result<PaperPdf, IssueError> {
    let ready = issuance.design(&document.design)?;
    // A paper issued before credentials were made at issue has none, and renders as it did.
    let credential = credential.map(|jwt| Attachment {
        name: CREDENTIAL_FILE,
        media_type: "application/vc+jwt",
        description: "Open Badges 3.0 credential (VC-JWT)",
        relationship: "Alternative",
        bytes: jwt.as_bytes(),
    });
    Ok(issuance.renderer.render_prepared(
        &ready.prepared,
        &document.payload,
        &qr_url(&issuance.public_url, document),
        &ready.pictures,
        credential.as_ref(),
    )?)
}

/// Renders documents on `threads` threads, storing each file as soon as it is made; returns the
/// files' SHA-256 digests in the documents' order. The chunk's designs are made ready first, once,
/// not by every thread at the same moment.
pub(super) fn render_and_store(
    issuance: &Issuance,
    documents: &[Document],
    threads: usize,
) -> Result<Vec<(String, PackSlice)>, IssueError> {
    let designs: std::collections::BTreeSet<&str> = documents.iter().map(|d| d.design.as_str()).collect();
    for design in designs {
        issuance.design(design)?;
    }
    let credentials = kept_credentials(issuance, documents)?;
    parallel::map_parts_in_order(documents, threads, |part| {
        let Some(first) = part.first() else {
            return Ok(Vec::new());
        };
        let papers = part
            .iter()
            .map(|document| {
                render_document(
                    issuance,
                    document,
                    credentials.get(&document.id).map(String::as_str),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let slices = issuance.store.write_pack(&first.competition_id, &papers)?;
        Ok(papers.iter().map(PaperPdf::sha256_hex).zip(slices).collect())
    })
}

/// The credentials kept for documents about to be rendered, by id: one query for them all.
pub(super) fn kept_credentials(
    issuance: &Issuance,
    documents: &[Document],
) -> Result<std::collections::HashMap<String, String>, IssueError> {
    let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    Ok(db::credentials::kept_of(&mut *issuance.db.conn()?, &ids)?)
}

/// A document's PDF with its kept credential, read for it alone (a single paper, not a batch).
pub(super) fn render_one(issuance: &Issuance, document: &Document) -> Result<PaperPdf, IssueError> {
    let credential = db::credentials::kept(&mut *issuance.db.conn()?, &document.id)?;
    render_document(issuance, document, credential.as_deref())
}
