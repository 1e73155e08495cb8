//! The background worker that runs issue jobs, so a request never waits for rendering. Jobs live
//! in the database: a restarted worker picks up what a dead one left.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use time::OffsetDateTime;

use super::{run_issue_job, Issuance};
use crate::db;
use crate::domain::time::format_timestamp;
use crate::domain::JobState;

/// Wakes the worker when a job is queued; without it the worker still polls every second.
#[derive(Clone)]
pub struct JobQueue {
    wake: Sender<()>,
}

impl JobQueue {
    pub fn notify(&self) {
        // A worker that has stopped cannot be woken; the job stays queued for the next one.
        let _ = self.wake.send(());
    }
}

/// Starts the worker thread. It stops when every `JobQueue` clone is dropped.
pub fn spawn(issuance: Issuance, stale_after: Duration) -> std::io::Result<JobQueue> {
    let (wake, wakeups) = mpsc::channel();
    std::thread::Builder::new()
        .name("gramota-jobs".into())
        .spawn(move || work(issuance, wakeups, stale_after))?;
    Ok(JobQueue { wake })
}

fn work(issuance: Issuance, wakeups: Receiver<()>, stale_after: Duration) {
    loop {
        match run_next(&issuance, stale_after) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "job worker could not reach the database"),
        }
        match wakeups.recv_timeout(Duration::from_secs(1)) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Runs one job if there is one; tells whether it did.
pub fn run_next(issuance: &Issuance, stale_after: Duration) -> Result<bool, db::DbError> {
    let mut conn = issuance.db.conn()?;
    let cutoff = format_timestamp(OffsetDateTime::now_utc() - stale_after);
    let requeued = db::jobs::requeue_stale(&mut conn, &cutoff)?;
    if requeued > 0 {
        tracing::warn!(requeued, "resuming jobs left by a stopped worker");
    }
    let Some(job) = db::jobs::claim_next(&mut conn)? else {
        return Ok(false);
    };
    drop(conn);
    tracing::info!(job = %job.id, competition = %job.competition_id, "issuing");
    let outcome = run_issue_job(issuance, &job);
    let mut conn = issuance.db.conn()?;
    match outcome {
        Ok(()) => db::jobs::finish(&mut conn, &job.id, JobState::Done, None)?,
        Err(e) => {
            tracing::error!(job = %job.id, error = %e, "issue job failed");
            db::jobs::finish(&mut conn, &job.id, JobState::Failed, Some(e.to_string()))?;
        }
    }
    Ok(true)
}
