use diesel::prelude::*;

use super::models::JobRow;
use super::schema::jobs::dsl as j;
use super::{DbConnection, DbError};
use crate::domain::time::now_rfc3339;
use crate::domain::{Job, JobState};

pub const ISSUE: &str = "issue";

fn to_domain(row: JobRow) -> Result<Job, DbError> {
    Ok(Job {
        state: JobState::parse(&row.state)
            .ok_or_else(|| DbError::Corrupt(format!("job {}: state", row.id)))?,
        id: row.id,
        organization_id: row.organization_id,
        competition_id: row.competition_id,
        kind: row.kind,
        done: row.done,
        total: row.total,
        error: row.error,
        created_at: row.created_at,
        updated_at: row.updated_at,
        reverify: row.reverify,
        verified: row.verified,
    })
}

pub fn create(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
    kind: &str,
    state: JobState,
) -> Result<Job, DbError> {
    create_with(conn, organization_id, competition_id, kind, state, false)
}

/// A job that, besides rendering what is pending, re-renders every earlier document and checks
/// the bytes are unchanged when `reverify` is set.
pub fn create_with(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
    kind: &str,
    state: JobState,
    reverify: bool,
) -> Result<Job, DbError> {
    let now = now_rfc3339();
    let row = JobRow {
        id: uuid::Uuid::now_v7().to_string(),
        organization_id: organization_id.into(),
        competition_id: competition_id.into(),
        kind: kind.into(),
        state: state.as_str().into(),
        done: 0,
        total: 0,
        error: None,
        created_at: now.clone(),
        updated_at: now,
        reverify,
        verified: 0,
    };
    diesel::insert_into(j::jobs).values(&row).execute(conn)?;
    to_domain(row)
}

pub fn find_owned(conn: &mut DbConnection, organization_id: &str, id: &str) -> Result<Job, DbError> {
    let row = j::jobs
        .filter(j::id.eq(id))
        .filter(j::organization_id.eq(organization_id))
        .select(JobRow::as_select())
        .get_result(conn)?;
    to_domain(row)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Job, DbError> {
    to_domain(
        j::jobs
            .filter(j::id.eq(id))
            .select(JobRow::as_select())
            .get_result(conn)?,
    )
}

const ACTIVE: [&str; 2] = ["queued", "running"];

/// The queued or running job of a competition, if any: issuing again while one runs joins it.
pub fn active_for_competition(conn: &mut DbConnection, competition_id: &str) -> Result<Option<Job>, DbError> {
    j::jobs
        .filter(j::competition_id.eq(competition_id))
        .filter(j::state.eq_any(ACTIVE))
        .order(j::created_at.asc())
        .select(JobRow::as_select())
        .first(conn)
        .optional()?
        .map(to_domain)
        .transpose()
}

/// Jobs with work left, oldest first. A running job is one more worker may join: the documents,
/// not the job, are what workers claim.
pub fn active(conn: &mut DbConnection, limit: i64) -> Result<Vec<Job>, DbError> {
    j::jobs
        .filter(j::state.eq_any(ACTIVE))
        .order(j::created_at.asc())
        .limit(limit)
        .select(JobRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Queued → running. Of several workers racing, one sees `true`; the others join it running.
pub fn start(conn: &mut DbConnection, id: &str) -> Result<bool, DbError> {
    let started = diesel::update(
        j::jobs
            .filter(j::id.eq(id))
            .filter(j::state.eq(JobState::Queued.as_str())),
    )
    .set((
        j::state.eq(JobState::Running.as_str()),
        j::updated_at.eq(now_rfc3339()),
    ))
    .execute(conn)?;
    Ok(started == 1)
}

pub fn state(conn: &mut DbConnection, id: &str) -> Result<JobState, DbError> {
    let text: String = j::jobs.filter(j::id.eq(id)).select(j::state).get_result(conn)?;
    JobState::parse(&text).ok_or_else(|| DbError::Corrupt(format!("job {id}: state")))
}

pub fn set_total(conn: &mut DbConnection, id: &str, total: i32) -> Result<(), DbError> {
    diesel::update(j::jobs.filter(j::id.eq(id)))
        .set((j::total.eq(total), j::updated_at.eq(now_rfc3339())))
        .execute(conn)?;
    Ok(())
}

/// Counts documents rendered; called in the transaction that marks them, so a crash loses neither.
pub fn add_done(conn: &mut DbConnection, id: &str, rendered: i32) -> Result<(), DbError> {
    diesel::update(j::jobs.filter(j::id.eq(id)))
        .set((j::done.eq(j::done + rendered), j::updated_at.eq(now_rfc3339())))
        .execute(conn)?;
    Ok(())
}

pub fn set_verified(conn: &mut DbConnection, id: &str, verified: i32) -> Result<(), DbError> {
    diesel::update(j::jobs.filter(j::id.eq(id)))
        .set((j::verified.eq(verified), j::updated_at.eq(now_rfc3339())))
        .execute(conn)?;
    Ok(())
}

/// The heartbeat of the jobs a live worker is on, so a person sees they move.
pub fn touch(conn: &mut DbConnection, ids: &[String]) -> Result<(), DbError> {
    diesel::update(j::jobs.filter(j::id.eq_any(ids)))
        .set(j::updated_at.eq(now_rfc3339()))
        .execute(conn)?;
    Ok(())
}

pub fn set_progress(conn: &mut DbConnection, id: &str, done: i32, total: i32) -> Result<(), DbError> {
    diesel::update(j::jobs.filter(j::id.eq(id)))
        .set((
            j::done.eq(done),
            j::total.eq(total),
            j::updated_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends a job that is still active; a job cancelled meanwhile stays cancelled. Tells whether it
/// was this call that ended it.
pub fn finish(
    conn: &mut DbConnection,
    id: &str,
    state: JobState,
    error: Option<String>,
) -> Result<bool, DbError> {
    let finished = diesel::update(j::jobs.filter(j::id.eq(id)).filter(j::state.eq_any(ACTIVE)))
        .set((
            j::state.eq(state.as_str()),
            j::error.eq(error),
            j::updated_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
    Ok(finished == 1)
}

/// Cancels an organization's job if it is still active; `None` when it had already ended.
pub fn cancel(conn: &mut DbConnection, organization_id: &str, id: &str) -> Result<Option<Job>, DbError> {
    let job = find_owned(conn, organization_id, id)?;
    if finish(conn, &job.id, JobState::Cancelled, None)? {
        find(conn, id).map(Some)
    } else {
        Ok(None)
    }
}

/// A competition's newest job, for showing where its issuing stands.
pub fn latest_for_competition(conn: &mut DbConnection, competition_id: &str) -> Result<Option<Job>, DbError> {
    j::jobs
        .filter(j::competition_id.eq(competition_id))
        .order(j::id.desc())
        .select(JobRow::as_select())
        .first(conn)
        .optional()?
        .map(to_domain)
        .transpose()
}
