//! The signing keys of a deployment whose instances share one secret (see `trust::shared`): only
//! public halves, generations and statuses are stored, never anything that signs.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema::signing_keys::dsl as k;
use super::{write_transaction, DbConnection, DbError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable)]
#[diesel(table_name = super::schema::signing_keys)]
pub struct KeyRow {
    /// The key id in lowercase hex.
    pub kid: String,
    /// Which key derived from the shared secret; `None` for a public half kept from before.
    pub generation: Option<i32>,
    /// The Ed25519 public key, unpadded base64url.
    pub public_key: String,
    /// `active`, `retired` or `compromised`.
    pub status: String,
    pub created_at: String,
}

/// Every key, oldest first: the public halves kept from before, then the generations in order.
pub fn all(conn: &mut DbConnection) -> Result<Vec<KeyRow>, DbError> {
    Ok(k::signing_keys
        .select((k::kid, k::generation, k::public_key, k::status, k::created_at))
        .order((
            k::generation.is_not_null().asc(),
            k::generation.asc(),
            k::created_at.asc(),
            k::kid.asc(),
        ))
        .load(conn)?)
}

/// Stores the first keys of a deployment, if no instance has stored any yet. Returns whether these
/// were stored: `false` when the table had keys, or another instance stored its own at the same time.
pub fn insert_first(conn: &mut DbConnection, rows: &[KeyRow]) -> Result<bool, DbError> {
    let stored = write_transaction(conn, |conn| {
        let any: i64 = k::signing_keys.count().get_result(conn)?;
        if any > 0 {
            return Ok(false);
        }
        for row in rows {
            diesel::insert_into(k::signing_keys).values(row).execute(conn)?;
        }
        Ok::<_, DieselError>(true)
    });
    match stored {
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        other => Ok(other?),
    }
}

/// Makes `row` the one active key: the active ones before it are retired.
pub fn rotate_to(conn: &mut DbConnection, row: &KeyRow) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        diesel::update(k::signing_keys.filter(k::status.eq("active")))
            .set(k::status.eq("retired"))
            .execute(conn)?;
        diesel::insert_into(k::signing_keys).values(row).execute(conn)?;
        Ok::<_, DbError>(())
    })
}

/// The highest generation stored, 0 when none is.
pub fn last_generation(conn: &mut DbConnection) -> Result<i32, DbError> {
    let last: Option<i32> = k::signing_keys
        .select(diesel::dsl::max(k::generation))
        .get_result(conn)?;
    Ok(last.unwrap_or(0))
}

/// Sets a key's status; false when there is no such key.
pub fn set_status(conn: &mut DbConnection, kid: &str, status: &str) -> Result<bool, DbError> {
    let changed = diesel::update(k::signing_keys.filter(k::kid.eq(kid)))
        .set(k::status.eq(status))
        .execute(conn)?;
    Ok(changed > 0)
}
