//! The background worker that runs issue jobs, so a request never waits for rendering. Jobs live
//! in the database: a restarted worker picks up what a dead one left, and the workers of several
//! processes on one database share the documents of one job.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use time::OffsetDateTime;

use super::batch::Outcome;
use super::{run_issue_job, sweep, Issuance};
use crate::db::{self, Db};
use crate::domain::time::format_timestamp;
use crate::domain::JobState;

/// Wakes the worker when a job is queued; without it the worker still polls every second.
#[derive(Clone)]
pub struct JobQueue {
    wake: Sender<()>,
    worker: String,
}

impl JobQueue {
    pub fn notify(&self) {
        // A worker that has stopped cannot be woken; the job stays queued for the next one.
        let _ = self.wake.send(());
    }

    /// The name this process's worker signs its claims with.
    pub fn worker(&self) -> &str {
        &self.worker
    }
}

/// A name for a worker that is unique across processes and hosts, readable in logs.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}-{}-{}", std::process::id(), &nonce[..8])
}

/// Starts the worker thread. It stops when every `JobQueue` clone is dropped or when
/// `issuance.shutdown` is asked, after the chunk in hand.
pub fn spawn(issuance: Issuance) -> std::io::Result<(JobQueue, JoinHandle<()>)> {
    let (wake, wakeups) = mpsc::channel();
    let worker = worker_name();
    let heartbeat = Heartbeat::start(issuance.db.clone(), worker.clone(), issuance.batch.lease)?;
    let name = worker.clone();
    let thread = std::thread::Builder::new()
        .name("gramota-jobs".into())
        .spawn(move || {
            work(&issuance, &name, wakeups);
            drop(heartbeat);
        })?;
    tracing::info!(%worker, "issue worker started");
    Ok((JobQueue { wake, worker }, thread))
}

fn work(issuance: &Issuance, worker: &str, wakeups: Receiver<()>) {
    match sweep::remove_left_packs(&issuance.db, &issuance.store, sweep::LEFT_PACK_AGE) {
        Ok(0) => {}
        Ok(removed) => tracing::info!(removed, "removed packs no document names"),
        Err(e) => tracing::warn!(error = %e, "could not look for packs no document names"),
    }
    loop {
        if issuance.shutdown.is_requested() {
            tracing::info!(%worker, "issue worker stopped");
            return;
        }
        match run_next(issuance, worker) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "job worker: {}", e.summary()),
        }
        match wakeups.recv_timeout(Duration::from_secs(1)) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Works on the oldest job that has something left for this worker; tells whether it finished one.
pub fn run_next(issuance: &Issuance, worker: &str) -> Result<bool, db::DbError> {
    let mut conn = issuance.db.conn()?;
    let jobs = db::jobs::active(&mut conn, 16)?;
    for job in jobs {
        if job.state == JobState::Queued && db::jobs::start(&mut conn, &job.id)? {
            tracing::info!(job = %job.id, competition = %job.competition_id, %worker, "issuing");
        }
        match run_issue_job(issuance, &job, worker, &|_| {}) {
            Ok(Outcome::Complete) => {
                if db::jobs::finish(&mut conn, &job.id, JobState::Done, None)? {
                    tracing::info!(job = %job.id, %worker, "issue job done");
                }
                return Ok(true);
            }
            Ok(Outcome::Elsewhere) => continue,
            Ok(Outcome::ShuttingDown) => return Ok(false),
            Ok(Outcome::Stopped(state)) => {
                tracing::info!(job = %job.id, state = state.as_str(), %worker, "left the job");
                continue;
            }
            Err(e) => {
                tracing::error!(job = %job.id, error = %e, %worker, "issue job failed");
                db::jobs::finish(&mut conn, &job.id, JobState::Failed, Some(e.to_string()))?;
                db::claims::release(&mut conn, &job.id, worker)?;
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Renews a worker's claims while it lives, so only a dead worker's documents are taken over.
/// Stops when dropped.
pub struct Heartbeat {
    _stop: Sender<()>,
}

impl Heartbeat {
    pub fn start(db: Db, worker: String, lease: Duration) -> std::io::Result<Heartbeat> {
        let (stop, stopped) = mpsc::channel::<()>();
        let every = lease / 3;
        std::thread::Builder::new()
            .name("gramota-heartbeat".into())
            .spawn(move || loop {
                match stopped.recv_timeout(every) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
                let until = format_timestamp(OffsetDateTime::now_utc() + lease);
                let renewed = db
                    .conn()
                    .and_then(|mut conn| db::claims::renew(&mut conn, &worker, &until));
                if let Err(e) = renewed {
                    tracing::warn!(error = %e, %worker, "could not renew the claims");
                }
            })?;
        Ok(Heartbeat { _stop: stop })
    }
}
