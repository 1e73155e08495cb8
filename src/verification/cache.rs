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
//! Only papers the page shows are kept (pending and hidden ones are not), and only what the page
//! shows of them (`Kept`: the public record, about a third of the paper as stored), at most
//! `BUDGET` bytes of it; when full, papers chosen at random make room, so a burst of new codes
//! neither grows the memory nor empties it at once. A paper read from the database is kept only if
//! nothing was dropped while it was being read (`epoch`): else an answer read just before a change
//! could be kept just after the change was dropped, and stay.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{status_on_today, PublicRecord};
use crate::db::{self, Db};
use crate::domain::{Document, DocumentStatus};
use crate::shutdown::Shutdown;

/// How often another instance's changes are read.
pub const POLL: Duration = Duration::from_millis(100);
/// How much memory the kept answers may take: about 3,000 papers, a ceremony's worth of codes, and
/// small beside the service's own 50 MB, so memory stays flat however many codes are scanned.
const BUDGET: usize = 2 * 1024 * 1024;
/// Changes are forgotten after a day; an instance that was away longer starts with an empty memory.
const PRUNE_AFTER: time::Duration = time::Duration::days(1);

/// What the page shows of a paper: its public record (status as stored; `record` computes the
/// status of the day), and what the scan log and the metrics count it by.
#[derive(Debug, Clone)]
pub struct Kept {
    pub document_id: String,
    pub status: DocumentStatus,
    record: PublicRecord,
}

impl Kept {
    /// The public part of a paper read from the database; None if the public may not see it.
    pub fn of(document: &Document, verify_url: String, replacement: Option<String>) -> Option<Kept> {
        Some(Kept {
            document_id: document.id.clone(),
            status: document.status,
            record: PublicRecord::of(document, verify_url, replacement)?,
        })
    }

    /// The public record as of today (a paper's validity may have passed since it was kept).
    pub fn record(&self) -> PublicRecord {
        let mut record = self.record.clone();
        record.status = status_on_today(self.status, record.valid_until.as_deref());
        record
    }

    pub fn code(&self) -> &str {
        &self.record.code
    }

    /// Roughly the bytes this answer holds: its texts and the structures around them.
    fn weight(&self) -> usize {
        let r = &self.record;
        let texts = [
            &r.code,
            &r.serial,
            &r.holder,
            &r.award,
            &r.award_title,
            &r.competition,
            &r.issuer,
            &r.date,
            &r.verify_url,
            &self.document_id,
        ];
        let optional = [&r.valid_until, &r.pdf_sha256, &r.revoked_reason, &r.superseded_by];
        // The map's entry, its key (the code), the Arc and the record's own fields.
        const FIXED: usize = 384;
        FIXED
            + r.code.len()
            + texts.iter().map(|t| t.len()).sum::<usize>()
            + optional
                .iter()
                .map(|t| t.as_ref().map_or(0, String::len))
                .sum::<usize>()
    }
}

#[derive(Default)]
struct Memory {
    kept: HashMap<String, Arc<Kept>>,
    bytes: usize,
}

impl Memory {
    fn clear(&mut self) {
        self.kept.clear();
        self.bytes = 0;
    }

    fn remove(&mut self, code: &str) {
        if let Some(gone) = self.kept.remove(code) {
            self.bytes -= gone.weight();
        }
    }

    /// Makes room for `bytes` more by dropping kept papers: the map's order is its hash's, so which
    /// ones is as good as random.
    fn make_room(&mut self, bytes: usize) {
        while self.bytes + bytes > BUDGET {
            let Some(code) = self.kept.keys().next().cloned() else {
                break;
            };
            self.remove(&code);
        }
    }
}

#[derive(Default)]
pub struct VerifiedCache {
    memory: Mutex<Memory>,
    /// The local write count the memory reflects.
    synced: AtomicU64,
    /// Moves whenever anything is dropped.
    epoch: AtomicU64,
}

impl VerifiedCache {
    pub fn new() -> VerifiedCache {
        VerifiedCache {
            memory: Mutex::new(Memory::default()),
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
        let mut memory = self.memory.lock().ok()?;
        if self.synced.swap(writes, Ordering::AcqRel) != writes {
            memory.clear();
            self.epoch.fetch_add(1, Ordering::AcqRel);
            return None;
        }
        memory.kept.get(code).cloned()
    }

    /// Keeps a paper read from the database, unless something was dropped since `epoch`.
    pub fn keep(&self, code: &str, paper: Arc<Kept>, epoch: u64) {
        if let Ok(mut memory) = self.memory.lock() {
            let local = db::document_changes::local_writes();
            if self.epoch.load(Ordering::Acquire) != epoch || self.synced.load(Ordering::Acquire) != local {
                return;
            }
            memory.remove(code);
            let weight = paper.weight();
            memory.make_room(weight);
            memory.bytes += weight;
            memory.kept.insert(code.to_string(), paper);
        }
    }

    fn forget(&self, codes: &[String]) {
        if let Ok(mut memory) = self.memory.lock() {
            for code in codes {
                memory.remove(code);
            }
            self.epoch.fetch_add(1, Ordering::AcqRel);
        }
    }

    fn forget_all(&self) {
        if let Ok(mut memory) = self.memory.lock() {
            memory.clear();
            self.epoch.fetch_add(1, Ordering::AcqRel);
        }
    }

    pub fn len(&self) -> usize {
        self.memory.lock().map(|m| m.kept.len()).unwrap_or(0)
    }

    /// The bytes the kept answers take, as `Kept::weight` counts them.
    pub fn bytes(&self) -> usize {
        self.memory.lock().map(|m| m.bytes).unwrap_or(0)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Award, Serial, VerificationCode};
    use crate::i18n::Lang;

    fn paper(number: i64) -> Document {
        let code = VerificationCode::generate();
        let mut payload = crate::issuance::preview::sample_payload(Lang::Kk, Award::Place(1));
        payload.code = code.to_string();
        Document {
            id: uuid::Uuid::new_v4().to_string(),
            organization_id: "org".into(),
            competition_id: "competition".into(),
            entry_id: None,
            supervisor_key: None,
            recipient: None,
            serial: Serial::new("SEM", 2026, number),
            code,
            status: DocumentStatus::Valid,
            design: "classic".into(),
            payload,
            sha256: Some("0".repeat(64)),
            revoked_reason: None,
            issued_at: "2026-11-20T10:00:00Z".into(),
            signed_record: Some("A".repeat(200)),
            superseded_by: None,
            public_lookup: true,
            packed: None,
        }
    }

    fn kept(document: &Document) -> Arc<Kept> {
        Arc::new(Kept::of(document, format!("https://example.kz/v/{}", document.code), None).unwrap())
    }

    #[test]
    fn memory_stays_within_its_budget_and_keeps_the_latest_papers() {
        let cache = VerifiedCache::new();
        let papers: Vec<Document> = (1..=20_000).map(paper).collect();
        for document in &papers {
            cache.keep(document.code.as_str(), kept(document), cache.epoch());
            assert!(cache.bytes() <= BUDGET, "{} bytes kept", cache.bytes());
        }
        // Full, not emptied: a burst of new codes makes room one paper at a time.
        assert!(cache.len() > 2_000, "{} papers kept", cache.len());
        let last = papers.last().unwrap();
        assert_eq!(cache.get(last.code.as_str()).unwrap().document_id, last.id);
        // Keeping a paper again does not count it twice.
        let before = cache.bytes();
        cache.keep(last.code.as_str(), kept(last), cache.epoch());
        assert_eq!(cache.bytes(), before);
    }

    #[test]
    fn hidden_and_pending_papers_are_not_kept_and_expiry_is_computed_on_reading() {
        let mut hidden = paper(1);
        hidden.public_lookup = false;
        assert!(Kept::of(&hidden, String::new(), None).is_none());
        let mut pending = paper(2);
        pending.status = DocumentStatus::Pending;
        assert!(Kept::of(&pending, String::new(), None).is_none());
        let mut expired = paper(3);
        expired.payload.valid_until = Some("2020-01-01".into());
        assert_eq!(
            Kept::of(&expired, String::new(), None).unwrap().record().status,
            "expired"
        );
    }
}
