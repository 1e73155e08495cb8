//! Packs that no document names: what a worker killed between writing a pack and recording it
//! left, or a worker overtaken after its lease ran out. They are removed at start-up, only for a
//! competition with nothing left to render (no worker can be about to record one) and only once
//! they are old, so a pack still being written is never touched.

use std::time::{Duration, SystemTime};

use super::storage::DocumentStore;
use super::IssueError;
use crate::db::{self, Db};

/// Long past any chunk's rendering.
pub const LEFT_PACK_AGE: Duration = Duration::from_secs(3600);

/// Removes the packs no document names that were last written more than `older_than` ago;
/// returns how many.
pub fn remove_left_packs(db: &Db, store: &DocumentStore, older_than: Duration) -> Result<usize, IssueError> {
    let cutoff = SystemTime::now()
        .checked_sub(older_than)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut packs = store.packs()?;
    packs.retain(|kept| kept.modified < cutoff);
    packs.sort_by(|a, b| a.competition_id.cmp(&b.competition_id));
    let mut conn = db.conn()?;
    let mut removed = 0;
    for competition in packs.chunk_by(|a, b| a.competition_id == b.competition_id) {
        let competition_id = &competition[0].competition_id;
        if db::documents::any_pending(&mut conn, competition_id)? {
            continue;
        }
        let in_use = db::documents::packs_in_use(&mut conn, competition_id)?;
        for kept in competition {
            if !in_use.contains(&kept.pack) {
                store.remove_pack(kept)?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}
