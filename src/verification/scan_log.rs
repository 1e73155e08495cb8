//! Records public lookups without a database write on the request's path: lookups are queued and
//! written in batches by one thread, so verification stays fast under load.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::db::scans::Scan;
use crate::db::{self, write_transaction, Db, DbError};
use crate::domain::time::now_rfc3339;
use crate::domain::DocumentStatus;
use crate::shutdown::Shutdown;

#[derive(Clone)]
pub struct ScanLog {
    queue: Sender<Scan>,
}

impl ScanLog {
    /// Starts the writer. When `shutdown` is asked it writes what is queued and stops.
    pub fn start(db: Db, shutdown: Shutdown) -> std::io::Result<(ScanLog, JoinHandle<()>)> {
        let (queue, scans) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("gramota-scans".into())
            .spawn(move || write_batches(db, scans, shutdown))?;
        Ok((ScanLog { queue }, thread))
    }

    pub fn record(&self, document_id: &str, status: DocumentStatus) {
        // A stopped writer loses a log line, never a verification answer.
        let _ = self.queue.send(Scan {
            document_id: document_id.to_string(),
            scanned_at: now_rfc3339(),
            status,
        });
    }
}

const BATCH_WINDOW: Duration = Duration::from_millis(200);
const MAX_BATCH: usize = 5_000;

/// The writer sleeps between batches instead of waiting on the queue, so a lookup's send never has
/// to wake a thread: at thousands of lookups a second that wake-up cost more than the lookup.
fn write_batches(db: Db, scans: Receiver<Scan>, shutdown: Shutdown) {
    loop {
        let started = Instant::now();
        // Asked before the queue is read: what was queued until then is in this last batch.
        let mut open = !shutdown.is_requested();
        let mut batch = Vec::new();
        while batch.len() < MAX_BATCH || !open {
            match scans.try_recv() {
                Ok(scan) => batch.push(scan),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    open = false;
                    break;
                }
            }
        }
        if !batch.is_empty() {
            let written = db.conn().and_then(|mut conn| {
                write_transaction(&mut conn, |conn| -> Result<(), DbError> {
                    db::scans::insert_all(conn, &batch)
                })
            });
            if let Err(e) = written {
                tracing::warn!(error = %e, lost = batch.len(), "could not write the scan log");
            }
        }
        if !open {
            if !batch.is_empty() {
                tracing::info!(written = batch.len(), "scan log flushed");
            }
            return;
        }
        if batch.len() < MAX_BATCH {
            shutdown.sleep(BATCH_WINDOW.saturating_sub(started.elapsed()));
        }
    }
}
