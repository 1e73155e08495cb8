//! Verified papers kept in memory, so the public verification page answers most scans without
//! the database: on PostgreSQL each lookup is a round trip (two with the pool's check), and a scan
//! rush after a ceremony asks for the same few thousand codes again and again.
//!
//! What is kept is the paper as stored (its public answer, expiry included, is computed again on
//! every request). It is dropped:
//! - at once, for every write of this process that may change a public answer
//!   (`db::document_changes::local_writes` moved: the whole memory is dropped, such writes are
//!   rare);
//! - within `POLL` for a write of another instance sharing the database: the database's trigger
//!   names the changed paper in `document_changes`, which a thread reads;
//! - all of it when that reading fails (the database is away: nothing can be known of what
//!   changed meanwhile).
//!
//! Only papers the page shows are kept (pending and hidden ones are not), at most `CAPACITY`; when
//! full, the memory starts again empty. A paper read from the database is kept only if nothing was
//! dropped while it was being read (`epoch`): else an answer read just before a change could be
//! kept just after the change was dropped, and stay.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::db::{self, Db};
use crate::domain::Document;
use crate::shutdown::Shutdown;

/// How often another instance's changes are read.
pub const POLL: Duration = Duration::from_millis(100);
/// How many papers are kept: a ceremony's worth of codes, under 10 MB (a paper is about 1.5 KB
/// here), so memory stays flat however many distinct codes are scanned.
const CAPACITY: usize = 5_000;
/// Changes are forgotten after a day; an instance that was away longer starts with an empty memory.
const PRUNE_AFTER: time::Duration = time::Duration::days(1);

/// A kept paper with the verification address of its replacement, if superseded.
#[derive(Debug, Clone)]
pub struct Kept {
    pub document: Document,
    pub replacement: Option<String>,
}

#[derive(Default)]
pub struct VerifiedCache {
    kept: Mutex<HashMap<String, Arc<Kept>>>,
    /// The local write count the memory reflects.
    synced: AtomicU64,
    /// Moves whenever anything is dropped.
    epoch: AtomicU64,
}

impl VerifiedCache {
    pub fn new() -> VerifiedCache {
        VerifiedCache {
            kept: Mutex::new(HashMap::new()),
            synced: AtomicU64::new(db::document_changes::local_writes()),
            epoch: AtomicU64::new(0),
        }
    }

    /// What to hand back to `keep` with a paper read from the database after this call.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// The kept paper with this code, unless this process changed papers since it was kept.
    pub fn get(&self, code: &str) -> Option<Arc<Kept>> {
        let writes = db::document_changes::local_writes();
        let mut kept = self.kept.lock().ok()?;
        if self.synced.swap(writes, Ordering::AcqRel) != writes {
            kept.clear();
            self.epoch.fetch_add(1, Ordering::AcqRel);
            return None;
        }
        kept.get(code).cloned()
    }

    /// Keeps a paper read from the database, unless something was dropped since `epoch`.
    pub fn keep(&self, code: &str, paper: Kept, epoch: u64) {
        if let Ok(mut kept) = self.kept.lock() {
            let local = db::document_changes::local_writes();
            if self.epoch.load(Ordering::Acquire) != epoch || self.synced.load(Ordering::Acquire) != local {
                return;
            }
            if kept.len() >= CAPACITY {
                kept.clear();
            }
            kept.insert(code.to_string(), Arc::new(paper));
        }
    }

    fn forget(&self, codes: &[String]) {
        if let Ok(mut kept) = self.kept.lock() {
            for code in codes {
                kept.remove(code);
            }
            self.epoch.fetch_add(1, Ordering::AcqRel);
        }
    }

    fn forget_all(&self) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.clear();
            self.epoch.fetch_add(1, Ordering::AcqRel);
        }
    }

    pub fn len(&self) -> usize {
        self.kept.lock().map(|k| k.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads the changes other instances made, every `POLL`, until shutdown; prunes old ones hourly.
pub fn spawn(db: Db, cache: Arc<VerifiedCache>, shutdown: Shutdown) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("verified-cache".into())
        .spawn(move || {
            let mut seen: Option<i64> = None;
            let mut pruned = std::time::Instant::now();
            loop {
                match read_changes(&db, &cache, &mut seen) {
                    Ok(()) => {}
                    Err(e) => {
                        cache.forget_all();
                        seen = None;
                        tracing::warn!(error = %e, "verified papers: cannot read the changes; memory dropped");
                    }
                }
                if pruned.elapsed() > Duration::from_secs(3600) {
                    pruned = std::time::Instant::now();
                    let before = crate::domain::time::format_timestamp(time::OffsetDateTime::now_utc() - PRUNE_AFTER);
                    if let Err(e) = db.conn().and_then(|mut c| db::document_changes::prune(&mut c, &before)) {
                        tracing::warn!(error = %e, "verified papers: cannot prune old changes");
                    }
                }
                if shutdown.sleep(POLL) {
                    return;
                }
            }
        })
}

fn read_changes(db: &Db, cache: &VerifiedCache, seen: &mut Option<i64>) -> Result<(), db::DbError> {
    let mut conn = db.conn()?;
    let Some(from) = *seen else {
        // Starting (or after a failure): whatever changed before now is not in memory.
        *seen = Some(db::document_changes::latest(&mut conn)?);
        cache.forget_all();
        return Ok(());
    };
    let mut from = from;
    loop {
        let changes = db::document_changes::since(&mut conn, from, 1000)?;
        let Some((last, _)) = changes.last() else {
            break;
        };
        from = *last;
        let codes: Vec<String> = changes.into_iter().map(|(_, code)| code).collect();
        cache.forget(&codes);
        if codes.len() < 1000 {
            break;
        }
    }
    *seen = Some(from);
    Ok(())
}
