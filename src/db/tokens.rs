use diesel::prelude::*;

use super::models::ApiTokenRow;
use super::schema::api_tokens::dsl as t;
use super::{DbConnection, DbError};
use crate::domain::time::now_rfc3339;
use crate::domain::ApiToken;

/// Stores a new token's digest; the token itself is returned to be shown once.
pub fn create(
    conn: &mut DbConnection,
    organization_id: &str,
    label: Option<String>,
) -> Result<ApiToken, DbError> {
    let token = ApiToken::generate();
    let row = ApiTokenRow {
        id: uuid::Uuid::new_v4().to_string(),
        organization_id: organization_id.to_string(),
        token_hash: token.digest(),
        label,
        created_at: now_rfc3339(),
        revoked_at: None,
    };
    diesel::insert_into(t::api_tokens).values(&row).execute(conn)?;
    Ok(token)
}

/// The organization a presented token belongs to, if the token is known and not revoked.
pub fn organization_of(conn: &mut DbConnection, token: &ApiToken) -> Result<Option<String>, DbError> {
    Ok(t::api_tokens
        .filter(t::token_hash.eq(token.digest()))
        .filter(t::revoked_at.is_null())
        .select(t::organization_id)
        .first(conn)
        .optional()?)
}
