//! One-time links that set a forgotten password (see `crate::password_reset`): kept as hashes,
//! used once, voided by a newer link for the same person.

use diesel::prelude::*;

use super::schema::password_resets::dsl as r;
use super::{write_transaction, DbConnection, DbError};
use crate::domain::account::Secret;
use crate::domain::time::now_rfc3339;

/// Stores a new link for `user_id`; the person's older links stop working.
pub fn create(
    conn: &mut DbConnection,
    user_id: &str,
    token: &Secret,
    expires_at: &str,
) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        diesel::delete(r::password_resets.filter(r::user_id.eq(user_id))).execute(conn)?;
        diesel::insert_into(r::password_resets)
            .values((
                r::token_hash.eq(token.digest()),
                r::user_id.eq(user_id),
                r::created_at.eq(now_rfc3339()),
                r::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// The person a link is for, while it is neither used nor expired.
pub fn open_for(conn: &mut DbConnection, token: &Secret) -> Result<Option<String>, DbError> {
    Ok(r::password_resets
        .filter(r::token_hash.eq(token.digest()))
        .filter(r::used_at.is_null())
        .filter(r::expires_at.gt(now_rfc3339()))
        .select(r::user_id)
        .get_result(conn)
        .optional()?)
}

/// Spends the link and returns whom it was for; `None` when it was used, expired or never made.
/// Call inside the transaction that sets the password.
pub fn spend(conn: &mut DbConnection, token: &Secret) -> Result<Option<String>, DbError> {
    let Some(user_id) = open_for(conn, token)? else {
        return Ok(None);
    };
    let spent = diesel::update(
        r::password_resets
            .filter(r::token_hash.eq(token.digest()))
            .filter(r::used_at.is_null()),
    )
    .set(r::used_at.eq(now_rfc3339()))
    .execute(conn)?;
    Ok((spent == 1).then_some(user_id))
}

/// Removes links that were used or have expired: they open nothing any more.
pub fn purge_expired(conn: &mut DbConnection) -> Result<usize, DbError> {
    Ok(diesel::delete(
        r::password_resets.filter(r::used_at.is_not_null().or(r::expires_at.le(now_rfc3339()))),
    )
    .execute(conn)?)
}
