//! The changes to what the verification page shows of papers, as the database's trigger records
//! them (see the migration `document_changes`), read by every instance to drop what it keeps in
//! memory; and a counter of this process's own such writes, so a change made here is seen here at
//! once, before any reading of the table.

use std::sync::atomic::{AtomicU64, Ordering};

use diesel::prelude::*;

use super::schema::document_changes::dsl as c;
use super::{DbConnection, DbError};

static LOCAL_WRITES: AtomicU64 = AtomicU64::new(0);

/// Counts a write of this process that may change a paper's public answer.
pub fn touched() {
    LOCAL_WRITES.fetch_add(1, Ordering::AcqRel);
}

/// How many such writes this process has made.
pub fn local_writes() -> u64 {
    LOCAL_WRITES.load(Ordering::Acquire)
}

/// The newest change's number (0 when none).
pub fn latest(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(c::document_changes
        .select(diesel::dsl::max(c::seq))
        .get_result::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Changes after `seq`, oldest first, at most `limit`: (number, code).
pub fn since(conn: &mut DbConnection, seq: i64, limit: i64) -> Result<Vec<(i64, String)>, DbError> {
    Ok(c::document_changes
        .filter(c::seq.gt(seq))
        .order(c::seq.asc())
        .limit(limit)
        .select((c::seq, c::code))
        .load(conn)?)
}

/// Forgets changes made before `before` (RFC 3339): every instance has long read them.
pub fn prune(conn: &mut DbConnection, before: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(c::document_changes.filter(c::changed_at.lt(before))).execute(conn)?)
}
