//! One-time links that claim a fresh server (see `crate::setup`): kept as hashes, used once.

use diesel::prelude::*;

use super::schema::setup_links::dsl as s;
use super::{DbConnection, DbError};
use crate::domain::account::Secret;
use crate::domain::time::now_rfc3339;

pub fn create(conn: &mut DbConnection, token: &Secret, expires_at: &str) -> Result<(), DbError> {
    diesel::insert_into(s::setup_links)
        .values((
            s::token_hash.eq(token.digest()),
            s::created_at.eq(now_rfc3339()),
            s::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether the link is neither used nor expired.
pub fn is_open(conn: &mut DbConnection, token: &Secret) -> Result<bool, DbError> {
    let open: i64 = s::setup_links
        .filter(s::token_hash.eq(token.digest()))
        .filter(s::used_at.is_null())
        .filter(s::expires_at.gt(now_rfc3339()))
        .count()
        .get_result(conn)?;
    Ok(open > 0)
}

/// Marks the link used; false when it was used, expired or never made.
pub fn use_link(conn: &mut DbConnection, token: &Secret) -> Result<bool, DbError> {
    let updated = diesel::update(
        s::setup_links
            .filter(s::token_hash.eq(token.digest()))
            .filter(s::used_at.is_null())
            .filter(s::expires_at.gt(now_rfc3339())),
    )
    .set(s::used_at.eq(now_rfc3339()))
    .execute(conn)?;
    Ok(updated == 1)
}
