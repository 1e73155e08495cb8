//! Counters of sign-in attempts, one row per key and window, shared by every instance on the
//! database. An attempt is counted before the password is checked, in one transaction whose
//! update locks the row (PostgreSQL) or the database (SQLite `BEGIN IMMEDIATE`), so parallel tries
//! each see the count the one before them left: check-then-act let 28 of 40 through a limit of 10.

use diesel::prelude::*;

use super::models::SignInAttemptsRow;
use super::schema::sign_in_attempts::dsl as a;
use super::{write_transaction, DbConnection, DbError};

/// A key's count in its window, this attempt included, and when the window began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub attempts: i32,
    pub window_start: String,
}

/// Counts one attempt under `key`. A window that began at or before `stale_before` is over: the
/// count starts again from this attempt, in a window beginning `now`.
pub fn count(conn: &mut DbConnection, key: &str, now: &str, stale_before: &str) -> Result<Counted, DbError> {
    write_transaction(conn, |conn| {
        let fresh = SignInAttemptsRow {
            key: key.to_string(),
            window_start: now.to_string(),
            attempts: 0,
        };
        // Both dialects have ON CONFLICT; diesel offers it per backend, not over both at once.
        let insert = diesel::insert_into(a::sign_in_attempts)
            .values(&fresh)
            .on_conflict(a::key)
            .do_nothing();
        match conn {
            DbConnection::Sqlite(c) => insert.execute(c)?,
            DbConnection::Postgres(c) => insert.execute(c)?,
        };
        diesel::update(
            a::sign_in_attempts
                .filter(a::key.eq(key))
                .filter(a::window_start.le(stale_before)),
        )
        .set((a::attempts.eq(0), a::window_start.eq(now)))
        .execute(conn)?;
        diesel::update(a::sign_in_attempts.filter(a::key.eq(key)))
            .set(a::attempts.eq(a::attempts + 1))
            .execute(conn)?;
        let (attempts, window_start) = a::sign_in_attempts
            .filter(a::key.eq(key))
            .select((a::attempts, a::window_start))
            .get_result(conn)?;
        Ok(Counted {
            attempts,
            window_start,
        })
    })
}

/// Takes back one counted attempt (it was not a wrong password after all).
pub fn uncount(conn: &mut DbConnection, key: &str) -> Result<(), DbError> {
    diesel::update(
        a::sign_in_attempts
            .filter(a::key.eq(key))
            .filter(a::attempts.gt(0)),
    )
    .set(a::attempts.eq(a::attempts - 1))
    .execute(conn)?;
    Ok(())
}

/// Forgets a key: a right password clears its client's count.
pub fn forget(conn: &mut DbConnection, key: &str) -> Result<(), DbError> {
    diesel::delete(a::sign_in_attempts.filter(a::key.eq(key))).execute(conn)?;
    Ok(())
}

/// Removes the counters whose window is over; returns how many.
pub fn sweep(conn: &mut DbConnection, stale_before: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(a::sign_in_attempts.filter(a::window_start.le(stale_before))).execute(conn)?)
}
