//! People with accounts, their sessions and invitations (sign-in attempts: `sign_in_attempts`).

use diesel::prelude::*;

use super::models::{InvitationRow, SessionRow, UserRow};
use super::schema::invitations::dsl as i;
use super::schema::sessions::dsl as s;
use super::schema::users::dsl as u;
use super::{DbConnection, DbError};
use crate::domain::account::{Email, Role, Secret};
use crate::domain::time::now_rfc3339;
use crate::i18n::Lang;

/// A person with an account, as the rest of the program sees them (no password hash).
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub organization_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// When the account was disabled: it cannot sign in and has no sessions.
    pub disabled_at: Option<String>,
    /// The interface language the person chose; `None`: the browser's.
    pub language: Option<Lang>,
}

fn to_user(row: UserRow) -> Result<User, DbError> {
    Ok(User {
        role: Role::parse(&row.role).ok_or_else(|| DbError::Corrupt(format!("role of user {}", row.id)))?,
        id: row.id,
        organization_id: row.organization_id,
        email: row.email,
        name: row.name,
        disabled_at: row.disabled_at,
        language: row.language.as_deref().and_then(Lang::parse),
    })
}

pub struct NewUser {
    pub organization_id: String,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

/// Creates an account; `None` when the e-mail already has one.
pub fn create_user(conn: &mut DbConnection, new: NewUser) -> Result<Option<User>, DbError> {
    let taken = u::users
        .filter(u::email.eq(new.email.as_str()))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if taken {
        return Ok(None);
    }
    let row = UserRow {
        id: uuid::Uuid::new_v4().to_string(),
        organization_id: new.organization_id,
        email: new.email.as_str().to_string(),
        name: new.name,
        role: new.role.as_str().to_string(),
        password_hash: new.password_hash,
        created_at: now_rfc3339(),
        disabled_at: None,
        language: None,
    };
    diesel::insert_into(u::users).values(&row).execute(conn)?;
    to_user(row).map(Some)
}

/// Whether any account exists: a server without one waits to be claimed (see `crate::setup`).
pub fn any_account(conn: &mut DbConnection) -> Result<bool, DbError> {
    let count: i64 = u::users.count().get_result(conn)?;
    Ok(count > 0)
}

/// The account and its password hash, for checking a sign-in.
pub fn find_for_sign_in(conn: &mut DbConnection, email: &Email) -> Result<Option<(User, String)>, DbError> {
    let row = u::users
        .filter(u::email.eq(email.as_str()))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?;
    row.map(|row| {
        let hash = row.password_hash.clone();
        to_user(row).map(|user| (user, hash))
    })
    .transpose()
}

/// The people of one organization with a role whose accounts are not disabled, for choosing judges.
pub fn list_in_organization(
    conn: &mut DbConnection,
    organization_id: &str,
    role: Role,
) -> Result<Vec<User>, DbError> {
    u::users
        .filter(u::organization_id.eq(organization_id))
        .filter(u::role.eq(role.as_str()))
        .filter(u::disabled_at.is_null())
        .order(u::name.asc())
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_user)
        .collect()
}

/// Every account of one organization, disabled ones too, by name: the people page.
pub fn everyone_in_organization(
    conn: &mut DbConnection,
    organization_id: &str,
) -> Result<Vec<User>, DbError> {
    u::users
        .filter(u::organization_id.eq(organization_id))
        .order((u::name.asc(), u::email.asc()))
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_user)
        .collect()
}

/// Disables an account and ends its sessions, or enables it again. Only within the organization.
pub fn set_disabled(
    conn: &mut DbConnection,
    organization_id: &str,
    id: &str,
    disabled: bool,
) -> Result<(), DbError> {
    super::write_transaction(conn, |conn| {
        let person = find_in_organization(conn, organization_id, id)?;
        let target = u::users.filter(u::id.eq(&person.id));
        match (disabled, person.disabled_at) {
            (true, None) => {
                diesel::update(target)
                    .set(u::disabled_at.eq(Some(now_rfc3339())))
                    .execute(conn)?;
                diesel::delete(s::sessions.filter(s::user_id.eq(&person.id))).execute(conn)?;
            }
            (false, Some(_)) => {
                diesel::update(target)
                    .set(u::disabled_at.eq(None::<String>))
                    .execute(conn)?;
            }
            _ => {}
        }
        Ok(())
    })
}

/// The account's password hash, to check the password it is changed from.
pub fn password_hash(conn: &mut DbConnection, user_id: &str) -> Result<String, DbError> {
    Ok(u::users
        .filter(u::id.eq(user_id))
        .select(u::password_hash)
        .get_result(conn)?)
}

/// Sets a new password and ends every other session of the account: whoever knew the old one is
/// signed out; the session that changed it stays.
pub fn set_password(
    conn: &mut DbConnection,
    user_id: &str,
    password_hash: &str,
    keep: &Secret,
) -> Result<(), DbError> {
    super::write_transaction(conn, |conn| {
        diesel::update(u::users.filter(u::id.eq(user_id)))
            .set(u::password_hash.eq(password_hash))
            .execute(conn)?;
        diesel::delete(
            s::sessions
                .filter(s::user_id.eq(user_id))
                .filter(s::token_hash.ne(keep.digest())),
        )
        .execute(conn)?;
        Ok(())
    })
}

/// Sets a password chosen through a reset link and ends every session of the account: whoever
/// is signed in with the old one (perhaps the reason for the reset) is signed out.
pub fn reset_password(conn: &mut DbConnection, user_id: &str, password_hash: &str) -> Result<(), DbError> {
    diesel::update(u::users.filter(u::id.eq(user_id)))
        .set(u::password_hash.eq(password_hash))
        .execute(conn)?;
    diesel::delete(s::sessions.filter(s::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}

/// The account with this address, if there is one.
pub fn find_by_email(conn: &mut DbConnection, email: &Email) -> Result<Option<User>, DbError> {
    u::users
        .filter(u::email.eq(email.as_str()))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?
        .map(to_user)
        .transpose()
}

/// The person's interface language; `None` leaves it to the browser.
pub fn set_language(conn: &mut DbConnection, user_id: &str, language: Option<Lang>) -> Result<(), DbError> {
    diesel::update(u::users.filter(u::id.eq(user_id)))
        .set(u::language.eq(language.map(|l| l.code())))
        .execute(conn)?;
    Ok(())
}

/// Gives an account of the organization another role; its open sessions carry the new role at once
/// (a session reads the role on every request).
pub fn set_role(conn: &mut DbConnection, organization_id: &str, id: &str, role: Role) -> Result<(), DbError> {
    let updated = diesel::update(
        u::users
            .filter(u::organization_id.eq(organization_id))
            .filter(u::id.eq(id)),
    )
    .set(u::role.eq(role.as_str()))
    .execute(conn)?;
    match updated {
        0 => Err(DbError::Query(diesel::result::Error::NotFound)),
        _ => Ok(()),
    }
}

/// Removes sessions past their expiry and invitations that were used or have expired: neither can
/// open anything any more, and keeping them only keeps their digests around. Returns how many of each.
pub fn purge_expired(conn: &mut DbConnection) -> Result<(usize, usize), DbError> {
    let now = now_rfc3339();
    let sessions = diesel::delete(s::sessions.filter(s::expires_at.le(now.clone()))).execute(conn)?;
    let invitations =
        diesel::delete(i::invitations.filter(i::accepted_at.is_not_null().or(i::expires_at.le(now))))
            .execute(conn)?;
    Ok((sessions, invitations))
}

pub fn find_in_organization(
    conn: &mut DbConnection,
    organization_id: &str,
    id: &str,
) -> Result<User, DbError> {
    let row = u::users
        .filter(u::organization_id.eq(organization_id))
        .filter(u::id.eq(id))
        .select(UserRow::as_select())
        .get_result(conn)?;
    to_user(row)
}

/// Opens a session; the token is returned to be set as a cookie, only its digest is stored.
pub fn open_session(
    conn: &mut DbConnection,
    user_id: &str,
    expires_at: &str,
) -> Result<(Secret, String), DbError> {
    let token = Secret::generate();
    let csrf = Secret::generate().reveal().to_string();
    let row = SessionRow {
        token_hash: token.digest(),
        user_id: user_id.to_string(),
        csrf_token: csrf.clone(),
        created_at: now_rfc3339(),
        expires_at: expires_at.to_string(),
    };
    diesel::insert_into(s::sessions).values(&row).execute(conn)?;
    Ok((token, csrf))
}

/// The person behind a session token and the session's CSRF token, if the session is open.
pub fn session_user(conn: &mut DbConnection, token: &Secret) -> Result<Option<(User, String)>, DbError> {
    let found = s::sessions
        .inner_join(u::users)
        .filter(s::token_hash.eq(token.digest()))
        .filter(s::expires_at.gt(now_rfc3339()))
        .filter(u::disabled_at.is_null())
        .select((UserRow::as_select(), s::csrf_token))
        .first::<(UserRow, String)>(conn)
        .optional()?;
    found
        .map(|(row, csrf)| to_user(row).map(|user| (user, csrf)))
        .transpose()
}

pub fn close_session(conn: &mut DbConnection, token: &Secret) -> Result<(), DbError> {
    diesel::delete(s::sessions.filter(s::token_hash.eq(token.digest()))).execute(conn)?;
    Ok(())
}

pub struct Invitation {
    pub organization_id: String,
    pub email: String,
    pub role: Role,
}

/// Invites an address to make an account, or invites it again: its earlier links stop working.
/// `None` when it already has an account (an invitation would be used up making nothing).
pub fn invite(
    conn: &mut DbConnection,
    by: &User,
    email: &Email,
    role: Role,
    expires_at: &str,
) -> Result<Option<Secret>, DbError> {
    let taken = u::users
        .filter(u::email.eq(email.as_str()))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if taken {
        return Ok(None);
    }
    super::write_transaction(conn, |conn| {
        // Inviting an address again voids the links it was sent before: only the newest opens.
        diesel::delete(
            i::invitations
                .filter(i::organization_id.eq(&by.organization_id))
                .filter(i::email.eq(email.as_str()))
                .filter(i::accepted_at.is_null()),
        )
        .execute(conn)?;
        insert_invitation(conn, &by.organization_id, Some(&by.id), email, role, expires_at).map(Some)
    })
}

/// The organization's invitations not yet used nor expired, newest first: the people page offers
/// to invite each address again.
pub fn pending_invitations(
    conn: &mut DbConnection,
    organization_id: &str,
) -> Result<Vec<Invitation>, DbError> {
    i::invitations
        .filter(i::organization_id.eq(organization_id))
        .filter(i::accepted_at.is_null())
        .filter(i::expires_at.gt(now_rfc3339()))
        .order((i::created_at.desc(), i::email.asc()))
        .select(InvitationRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_invitation)
        .collect()
}

fn to_invitation(row: InvitationRow) -> Result<Invitation, DbError> {
    Ok(Invitation {
        role: Role::parse(&row.role).ok_or_else(|| DbError::Corrupt("invitation role".into()))?,
        organization_id: row.organization_id,
        email: row.email,
    })
}

/// The first account of an organization: invited by nobody, from the command line.
pub fn invite_from_command_line(
    conn: &mut DbConnection,
    organization_id: &str,
    email: &Email,
    role: Role,
    expires_at: &str,
) -> Result<Secret, DbError> {
    insert_invitation(conn, organization_id, None, email, role, expires_at)
}

fn insert_invitation(
    conn: &mut DbConnection,
    organization_id: &str,
    invited_by: Option<&str>,
    email: &Email,
    role: Role,
    expires_at: &str,
) -> Result<Secret, DbError> {
    let token = Secret::generate();
    let row = InvitationRow {
        token_hash: token.digest(),
        organization_id: organization_id.to_string(),
        email: email.as_str().to_string(),
        role: role.as_str().to_string(),
        invited_by: invited_by.map(str::to_string),
        created_at: now_rfc3339(),
        expires_at: expires_at.to_string(),
        accepted_at: None,
    };
    diesel::insert_into(i::invitations).values(&row).execute(conn)?;
    Ok(token)
}

/// An invitation that is neither used nor expired.
pub fn open_invitation(conn: &mut DbConnection, token: &Secret) -> Result<Option<Invitation>, DbError> {
    let row = i::invitations
        .filter(i::token_hash.eq(token.digest()))
        .filter(i::accepted_at.is_null())
        .filter(i::expires_at.gt(now_rfc3339()))
        .select(InvitationRow::as_select())
        .get_result(conn)
        .optional()?;
    row.map(to_invitation).transpose()
}

/// Marks an invitation used; false when another request used it first.
pub fn use_invitation(conn: &mut DbConnection, token: &Secret) -> Result<bool, DbError> {
    let updated = diesel::update(
        i::invitations
            .filter(i::token_hash.eq(token.digest()))
            .filter(i::accepted_at.is_null()),
    )
    .set(i::accepted_at.eq(now_rfc3339()))
    .execute(conn)?;
    Ok(updated == 1)
}
