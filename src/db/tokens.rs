use diesel::prelude::*;

use super::models::ApiTokenRow;
use super::schema::api_tokens::dsl as t;
use super::schema::users::dsl as u;
use super::{DbConnection, DbError};
use crate::domain::audit::Actor;
use crate::domain::time::now_rfc3339;
use crate::domain::{ApiToken, TokenRole};

/// Stores a new organizer token's digest; the token itself is returned to be shown once.
/// `created_by` is the person making it in the web application (none from the command line).
pub fn create(
    conn: &mut DbConnection,
    organization_id: &str,
    label: Option<String>,
    created_by: Option<&str>,
) -> Result<ApiToken, DbError> {
    let (id, token) = insert(conn, organization_id, label, TokenRole::Organizer)?;
    if let Some(user) = created_by {
        diesel::update(t::api_tokens.filter(t::id.eq(&id)))
            .set(t::created_by.eq(user))
            .execute(conn)?;
    }
    Ok(token)
}

/// The ids of disabled accounts, as a subquery: their tokens do not work.
pub(super) fn disabled_people() -> diesel::dsl::Select<
    diesel::dsl::Filter<u::users, diesel::dsl::IsNotNull<u::disabled_at>>,
    diesel::dsl::Nullable<u::id>,
> {
    u::users
        .filter(u::disabled_at.is_not_null())
        .select(u::id.nullable())
}

/// Stores a new token's digest with its role; returns the row id and the token to show once.
pub fn insert(
    conn: &mut DbConnection,
    organization_id: &str,
    label: Option<String>,
    role: TokenRole,
) -> Result<(String, ApiToken), DbError> {
    let token = ApiToken::generate();
    let row = ApiTokenRow {
        id: uuid::Uuid::new_v4().to_string(),
        organization_id: organization_id.to_string(),
        token_hash: token.digest(),
        label,
        created_at: now_rfc3339(),
        revoked_at: None,
        role: role.as_str().to_string(),
        created_by: None,
    };
    diesel::insert_into(t::api_tokens).values(&row).execute(conn)?;
    Ok((row.id, token))
}

/// The organization a presented organizer token belongs to, if the token is known, not revoked,
/// and its maker (if a person made it) is not disabled.
/// The organization an organizer token acts for, with what the audit log names it by: its label
/// and the person who made it.
pub fn organizer_of(conn: &mut DbConnection, token: &ApiToken) -> Result<Option<TokenOrganizer>, DbError> {
    Ok(t::api_tokens
        .filter(t::token_hash.eq(token.digest()))
        .filter(t::revoked_at.is_null())
        .filter(t::role.eq(TokenRole::Organizer.as_str()))
        .filter(
            t::created_by
                .is_null()
                .or(diesel::dsl::not(t::created_by.eq_any(disabled_people()))),
        )
        .select((t::organization_id, t::label, t::created_by))
        .get_result::<(String, Option<String>, Option<String>)>(conn)
        .optional()?
        .map(|(organization_id, label, created_by)| TokenOrganizer {
            actor: Actor::token(label.as_deref(), created_by.as_deref()),
            organization_id,
        }))
}

pub struct TokenOrganizer {
    pub organization_id: String,
    pub actor: Actor,
}

/// An organization's organizer tokens, newest first, for the tokens page.
pub fn list_organizer(conn: &mut DbConnection, organization_id: &str) -> Result<Vec<ApiTokenRow>, DbError> {
    Ok(t::api_tokens
        .filter(t::organization_id.eq(organization_id))
        .filter(t::role.eq(TokenRole::Organizer.as_str()))
        .order(t::created_at.desc())
        .select(ApiTokenRow::as_select())
        .load(conn)?)
}

/// Revokes one of the organization's organizer tokens; another organization's is not found.
pub fn revoke_owned(conn: &mut DbConnection, organization_id: &str, id: &str) -> Result<(), DbError> {
    let updated = diesel::update(
        t::api_tokens
            .filter(t::id.eq(id))
            .filter(t::organization_id.eq(organization_id))
            .filter(t::role.eq(TokenRole::Organizer.as_str())),
    )
    .set(t::revoked_at.eq(now_rfc3339()))
    .execute(conn)?;
    match updated {
        0 => Err(DbError::Query(diesel::result::Error::NotFound)),
        _ => Ok(()),
    }
}
