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
    })
}

pub fn create(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
    kind: &str,
    state: JobState,
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
    };
    diesel::insert_into(j::jobs).values(&row).execute(conn)?;
    to_domain(row)
}

pub fn find_owned(conn: &mut DbConnection, organization_id: &str, id: &str) -> Result<Job, DbError> {
    let row = j::jobs
        .filter(j::id.eq(id))
        .filter(j::organization_id.eq(organization_id))
        .select(JobRow::as_select())
        .first(conn)?;
    to_domain(row)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Job, DbError> {
    to_domain(
        j::jobs
            .filter(j::id.eq(id))
            .select(JobRow::as_select())
            .first(conn)?,
    )
}

/// Takes the oldest queued job for this worker. The conditional update is the claim: of several
/// workers racing for one job, exactly one sees its update count as 1.
pub fn claim_next(conn: &mut DbConnection) -> Result<Option<Job>, DbError> {
    loop {
        let candidate: Option<String> = j::jobs
            .filter(j::state.eq(JobState::Queued.as_str()))
            .order(j::created_at.asc())
            .select(j::id)
            .first(conn)
            .optional()?;
        let Some(id) = candidate else {
            return Ok(None);
        };
        let claimed = diesel::update(
            j::jobs
                .filter(j::id.eq(&id))
                .filter(j::state.eq(JobState::Queued.as_str())),
        )
        .set((
            j::state.eq(JobState::Running.as_str()),
            j::updated_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
        if claimed == 1 {
            return find(conn, &id).map(Some);
        }
    }
}

/// Jobs whose worker has not reported since `cutoff` (RFC 3339) died with their process: they go back
/// in the queue, and issuing resumes where it stopped.
pub fn requeue_stale(conn: &mut DbConnection, cutoff: &str) -> Result<usize, DbError> {
    Ok(diesel::update(
        j::jobs
            .filter(j::state.eq(JobState::Running.as_str()))
            .filter(j::updated_at.lt(cutoff)),
    )
    .set((
        j::state.eq(JobState::Queued.as_str()),
        j::updated_at.eq(now_rfc3339()),
    ))
    .execute(conn)?)
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

pub fn finish(
    conn: &mut DbConnection,
    id: &str,
    state: JobState,
    error: Option<String>,
) -> Result<(), DbError> {
    diesel::update(j::jobs.filter(j::id.eq(id)))
        .set((
            j::state.eq(state.as_str()),
            j::error.eq(error),
            j::updated_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
    Ok(())
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
