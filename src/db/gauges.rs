//! Counts by state for the metrics scrape: issue jobs and mail messages. Two small grouped
//! counts, read at each scrape rather than kept in memory, so every instance on one database
//! reports the same figures.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::jobs::dsl as j;
use super::schema::outbox::dsl as o;
use super::{DbConnection, DbError};

pub fn jobs_by_state(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, DbError> {
    Ok(j::jobs
        .group_by(j::state)
        .select((j::state, count_star()))
        .order(j::state.asc())
        .load(conn)?)
}

pub fn mail_by_state(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, DbError> {
    Ok(o::outbox
        .group_by(o::state)
        .select((o::state, count_star()))
        .order(o::state.asc())
        .load(conn)?)
}
