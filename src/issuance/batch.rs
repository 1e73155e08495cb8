//! An issue job run in chunks: documents are reserved once, then claimed a chunk at a time, so
//! memory does not grow with the batch, a killed process resumes where it stopped, a cancelled job
//! stops at the next chunk, and several processes on one database split one job between them.

use time::OffsetDateTime;

use super::issue::{
    check_competition_coverage, kept_credentials, render_and_store, render_document, reserve_documents,
    Issuance, IssueError,
};
use super::parallel;
use crate::db::bundles::Selection;
use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::competition::CompetitionStatus;
use crate::domain::time::format_timestamp;
use crate::domain::token::sha256_hex;
use crate::domain::{Competition, Job, JobState, Organization};

/// Where a job stands after one worker has done what it could.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every document is rendered: the job can be marked done.
    Complete,
    /// What is left is claimed by other live workers.
    Elsewhere,
    /// The job was cancelled, failed or finished meanwhile.
    Stopped(JobState),
    /// The process is shutting down: the chunk in hand is stored, the rest given back.
    ShuttingDown,
}

/// What a person watching sees.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub done: i32,
    pub total: i32,
}

/// Works on an issue job as worker `worker` until nothing is left for it. Only pending documents
/// are rendered; with `job.reverify`, every earlier document is rendered again at the end and must
/// come out byte-identical.
pub fn run_issue_job(
    issuance: &Issuance,
    job: &Job,
    worker: &str,
    progress: &dyn Fn(Progress),
) -> Result<Outcome, IssueError> {
    let mut conn = issuance.db.conn()?;
    let competition = db::competitions::find(&mut conn, &job.competition_id)?;
    let organization = db::organizations::find(&mut conn, &competition.organization_id)?;
    prepare(issuance, &mut conn, job, &competition, &organization)?;
    let settings = &issuance.batch;
    let limit = i64::try_from(settings.chunk_size).unwrap_or(i64::MAX);
    loop {
        let state = db::jobs::state(&mut conn, &job.id)?;
        if !state.is_active() {
            db::claims::release(&mut conn, &job.id, worker)?;
            return Ok(Outcome::Stopped(state));
        }
        if issuance.shutdown.is_requested() {
            db::claims::release(&mut conn, &job.id, worker)?;
            return Ok(Outcome::ShuttingDown);
        }
        let now = OffsetDateTime::now_utc();
        let chunk = db::claims::claim_chunk(
            &mut conn,
            &job.id,
            worker,
            &format_timestamp(now),
            &format_timestamp(now + settings.lease),
            limit,
        )?;
        if chunk.is_empty() {
            if db::claims::count_pending(&mut conn, &job.id)? > 0 {
                return Ok(Outcome::Elsewhere);
            }
            if job.reverify {
                let verified = reverify(issuance, &mut conn, &competition.id)?;
                db::jobs::set_verified(&mut conn, &job.id, verified)?;
            }
            db::competitions::set_status(&mut conn, &competition.id, CompetitionStatus::Issued)?;
            return Ok(Outcome::Complete);
        }
        let rendered = match render_and_store(issuance, &chunk, settings.threads) {
            Ok(rendered) => rendered,
            Err(e) => {
                db::claims::release(&mut conn, &job.id, worker)?;
                return Err(e);
            }
        };
        let marked = write_transaction(&mut conn, |conn| -> Result<i32, DbError> {
            let mut marked = 0;
            for (document, (digest, packed)) in chunk.iter().zip(&rendered) {
                if db::claims::mark_rendered(conn, &document.id, digest, packed, worker)? {
                    marked += 1;
                }
            }
            db::jobs::add_done(conn, &job.id, marked)?;
            Ok(marked)
        })?;
        issuance.metrics.add_rendered(u64::try_from(marked).unwrap_or(0));
        let now = db::jobs::find(&mut conn, &job.id)?;
        progress(Progress {
            done: now.done,
            total: now.total,
        });
    }
}

/// Checks the fonts and reserves serials for entries that have none; both only when there are such
/// entries, so a worker joining a running job or resuming one goes straight to rendering.
fn prepare(
    issuance: &Issuance,
    conn: &mut DbConnection,
    job: &Job,
    competition: &Competition,
    organization: &Organization,
) -> Result<(), IssueError> {
    let unreserved =
        db::entries::any_without_document(conn, &competition.id, competition.details.kind.is_event())?;
    if unreserved {
        check_competition_coverage(conn, &issuance.renderer, competition, organization)?
            .map_err(IssueError::Coverage)?;
    }
    if unreserved || job.total == 0 {
        let keyring = issuance.keys.for_signing()?;
        let started = std::time::Instant::now();
        let reserved = reserve_documents(
            conn,
            &issuance.renderer,
            &keyring,
            &issuance.public_url,
            competition,
            organization,
            &job.id,
        )?;
        if reserved > 0 {
            let ms = started.elapsed().as_millis();
            tracing::info!(job = %job.id, reserved, ms, "serials and codes reserved");
        }
        let total = db::claims::count_for_job(conn, &job.id)?;
        db::jobs::set_total(conn, &job.id, i32::try_from(total).unwrap_or(i32::MAX))?;
    }
    Ok(())
}

/// Renders every rendered document of the competition again, a page at a time, and checks the bytes
/// equal both the recorded digest and the stored file. Returns how many were checked.
fn reverify(issuance: &Issuance, conn: &mut DbConnection, competition_id: &str) -> Result<i32, IssueError> {
    let settings = &issuance.batch;
    let limit = i64::try_from(settings.chunk_size).unwrap_or(i64::MAX);
    let selection = Selection::default();
    let mut after: Option<String> = None;
    let mut verified = 0;
    loop {
        let page = db::bundles::rendered_page(conn, competition_id, &selection, after.as_deref(), limit)?;
        let Some(last) = page.last() else {
            return Ok(verified);
        };
        after = Some(last.serial.to_string());
        let credentials = kept_credentials(issuance, &page)?;
        let checked = parallel::map_in_order(&page, settings.threads, |document| {
            let credential = credentials.get(&document.id).map(String::as_str);
            let digest = render_document(issuance, document, credential)?.sha256_hex();
            let stored = sha256_hex(&issuance.read_paper(document)?);
            if document.sha256.as_deref() != Some(digest.as_str()) || stored != digest {
                return Err(IssueError::NotReproducible(document.serial.to_string()));
            }
            Ok(())
        })?;
        verified += i32::try_from(checked.len()).unwrap_or(i32::MAX);
    }
}
