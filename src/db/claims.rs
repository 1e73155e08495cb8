//! Documents of an issue job claimed in chunks by workers, under a lease a live worker renews.
//! On PostgreSQL the claim takes row locks with `FOR UPDATE SKIP LOCKED`, so workers of several
//! processes take disjoint chunks without waiting on each other; on SQLite the claim runs under
//! `BEGIN IMMEDIATE`, which serializes claimers.

use diesel::prelude::*;

use super::documents::to_domain;
use super::models::DocumentRow;
use super::schema::documents::dsl as d;
use super::{write_transaction, DbConnection, DbError};
use crate::domain::{Document, DocumentStatus, PackSlice};

const PENDING: &str = "pending";

/// Leftover pending documents of the competition (of a job that was cancelled or failed) become
/// this job's, so one job finishes what another left.
pub fn adopt_pending(conn: &mut DbConnection, competition_id: &str, job_id: &str) -> Result<usize, DbError> {
    Ok(diesel::update(
        d::documents
            .filter(d::competition_id.eq(competition_id))
            .filter(d::status.eq(PENDING))
            .filter(d::job_id.is_null().or(d::job_id.ne(job_id))),
    )
    .set(d::job_id.eq(job_id))
    .execute(conn)?)
}

pub fn count_for_job(conn: &mut DbConnection, job_id: &str) -> Result<i64, DbError> {
    Ok(d::documents
        .filter(d::job_id.eq(job_id))
        .count()
        .get_result(conn)?)
}

pub fn count_pending(conn: &mut DbConnection, job_id: &str) -> Result<i64, DbError> {
    Ok(d::documents
        .filter(d::job_id.eq(job_id))
        .filter(d::status.eq(PENDING))
        .count()
        .get_result(conn)?)
}

/// Pending documents of a job some worker holds a claim on (none after a clean stop).
pub fn count_claimed(conn: &mut DbConnection, job_id: &str) -> Result<i64, DbError> {
    Ok(d::documents
        .filter(d::job_id.eq(job_id))
        .filter(d::status.eq(PENDING))
        .filter(d::claimed_by.is_not_null())
        .count()
        .get_result(conn)?)
}

/// Claims up to `limit` pending documents of a job that nobody holds, or whose holder's lease ran
/// out before `now` (its worker died). Returns them in serial order.
pub fn claim_chunk(
    conn: &mut DbConnection,
    job_id: &str,
    worker: &str,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> Result<Vec<Document>, DbError> {
    let claimable = d::documents
        .filter(d::job_id.eq(job_id))
        .filter(d::status.eq(PENDING))
        .filter(d::claimed_until.is_null().or(d::claimed_until.lt(now)))
        .order(d::serial.asc())
        .limit(limit)
        .select(d::id);
    let rows = match conn {
        DbConnection::Postgres(pg) => pg.transaction(|pg| -> Result<_, DbError> {
            let ids: Vec<String> = claimable.for_update().skip_locked().load(pg)?;
            diesel::update(d::documents.filter(d::id.eq_any(&ids)))
                .set((d::claimed_by.eq(worker), d::claimed_until.eq(lease_until)))
                .execute(pg)?;
            Ok(d::documents
                .filter(d::id.eq_any(&ids))
                .order(d::serial.asc())
                .select(DocumentRow::as_select())
                .load(pg)?)
        })?,
        DbConnection::Sqlite(_) => write_transaction(conn, |conn| -> Result<_, DbError> {
            let ids: Vec<String> = claimable.load(conn)?;
            diesel::update(d::documents.filter(d::id.eq_any(&ids)))
                .set((d::claimed_by.eq(worker), d::claimed_until.eq(lease_until)))
                .execute(conn)?;
            Ok(d::documents
                .filter(d::id.eq_any(&ids))
                .order(d::serial.asc())
                .select(DocumentRow::as_select())
                .load(conn)?)
        })?,
    };
    rows.into_iter().map(to_domain).collect()
}

/// The heartbeat: a live worker extends the lease on what it holds.
pub fn renew(conn: &mut DbConnection, worker: &str, lease_until: &str) -> Result<usize, DbError> {
    Ok(diesel::update(
        d::documents
            .filter(d::claimed_by.eq(worker))
            .filter(d::status.eq(PENDING)),
    )
    .set(d::claimed_until.eq(lease_until))
    .execute(conn)?)
}

/// Gives back what a worker holds of a job (cancelled, failed), so another may take it at once.
pub fn release(conn: &mut DbConnection, job_id: &str, worker: &str) -> Result<usize, DbError> {
    Ok(diesel::update(
        d::documents
            .filter(d::job_id.eq(job_id))
            .filter(d::claimed_by.eq(worker))
            .filter(d::status.eq(PENDING)),
    )
    .set((
        d::claimed_by.eq(None::<String>),
        d::claimed_until.eq(None::<String>),
    ))
    .execute(conn)?)
}

/// Records a rendered PDF: pending becomes valid, with its digest, the pack that holds it and the
/// worker that made it. Returns whether this call did it: only the worker holding the claim may (a
/// worker whose lease ran out and was taken over rendered the same bytes into a pack of its own,
/// which no document names).
pub fn mark_rendered(
    conn: &mut DbConnection,
    id: &str,
    sha256: &str,
    packed: &PackSlice,
    worker: &str,
) -> Result<bool, DbError> {
    let offset = i64::try_from(packed.offset).map_err(|_| DbError::Corrupt("pack offset".into()))?;
    let length = i64::try_from(packed.length).map_err(|_| DbError::Corrupt("pack length".into()))?;
    let updated = diesel::update(
        d::documents
            .filter(d::id.eq(id))
            .filter(d::status.eq(PENDING))
            .filter(d::claimed_by.eq(worker)),
    )
    .set((
        d::sha256.eq(sha256),
        d::pack.eq(packed.pack.hyphenated().to_string()),
        d::pack_offset.eq(offset),
        d::pack_length.eq(length),
        d::status.eq(DocumentStatus::Valid.as_str()),
        d::rendered_by.eq(worker),
        d::claimed_by.eq(None::<String>),
        d::claimed_until.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// How many documents of a job each worker rendered.
pub fn rendered_by(conn: &mut DbConnection, job_id: &str) -> Result<Vec<(String, i64)>, DbError> {
    let rows: Vec<(Option<String>, i64)> = d::documents
        .filter(d::job_id.eq(job_id))
        .filter(d::rendered_by.is_not_null())
        .group_by(d::rendered_by)
        .select((d::rendered_by, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(worker, count)| worker.map(|w| (w, count)))
        .collect())
}

/// Holds the competition's row until the transaction ends, so two workers starting one job do not
/// both reserve documents for the same entries. SQLite's `BEGIN IMMEDIATE` already serializes.
pub fn lock_competition(conn: &mut DbConnection, competition_id: &str) -> Result<(), DbError> {
    use super::schema::competitions::dsl as c;
    if let DbConnection::Postgres(pg) = conn {
        c::competitions
            .filter(c::id.eq(competition_id))
            .select(c::id)
            .for_update()
            .first::<String>(pg)?;
    }
    Ok(())
}
