//! Records public lookups without a database write on the request's path: lookups are queued and
//! written in batches by one thread, so verification stays fast under load.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crate::db::scans::Scan;
use crate::db::{self, write_transaction, Db, DbError};
use crate::domain::time::now_rfc3339;
use crate::domain::DocumentStatus;

#[derive(Clone)]
pub struct ScanLog {
    queue: Sender<Scan>,
}

impl ScanLog {
    pub fn start(db: Db) -> std::io::Result<ScanLog> {
        let (queue, scans) = mpsc::channel();
        std::thread::Builder::new()
            .name("gramota-scans".into())
            .spawn(move || write_batches(db, scans))?;
        Ok(ScanLog { queue })
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

fn write_batches(db: Db, scans: Receiver<Scan>) {
    loop {
        let first = match scans.recv() {
            Ok(scan) => scan,
            Err(_) => return,
        };
        let mut batch = vec![first];
        let deadline = Instant::now() + BATCH_WINDOW;
        while batch.len() < 5_000 {
            match scans.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(scan) => batch.push(scan),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        let written = db.conn().and_then(|mut conn| {
            write_transaction(&mut conn, |conn| -> Result<(), DbError> {
                db::scans::insert_all(conn, &batch)
            })
        });
        if let Err(e) = written {
            tracing::warn!(error = %e, lost = batch.len(), "could not write the scan log");
        }
    }
}
