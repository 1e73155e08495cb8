//! First run in the browser. A fresh server has no account, and nobody may claim it by merely
//! reaching it: while no account exists, each start prints a one-time setup link in the service's
//! log (as Jenkins and Grafana do). The link opens a page that creates the organization and its
//! first administrator; it works once, for a day, and not at all once any account exists.

use crate::db::accounts::{NewUser, User};
use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::account::{Email, Role, Secret};
use crate::domain::time::format_timestamp;
use crate::domain::OrgSlug;

/// How long a setup link works.
pub const SETUP_LINK_HOURS: i64 = 24;

/// Where the setup page for `token` is.
pub fn setup_link(public_url: &str, token: &Secret) -> String {
    format!(
        "{}/app/setup/{}",
        public_url.trim_end_matches('/'),
        token.reveal()
    )
}

/// A new setup link while the server has no account, else `None`. Links made earlier stay good
/// until they expire: several instances on one database each print their own.
pub fn link_if_unclaimed(conn: &mut DbConnection, public_url: &str) -> Result<Option<String>, DbError> {
    if db::accounts::any_account(conn)? {
        return Ok(None);
    }
    let token = Secret::generate();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(SETUP_LINK_HOURS);
    db::setup_links::create(conn, &token, &format_timestamp(expires))?;
    Ok(Some(setup_link(public_url, &token)))
}

/// Whether the link can still claim the server.
pub fn is_open(conn: &mut DbConnection, token: &Secret) -> Result<bool, DbError> {
    Ok(!db::accounts::any_account(conn)? && db::setup_links::is_open(conn, token)?)
}

/// The organization and its first administrator, as the setup page's form gives them.
pub struct Claim {
    pub slug: OrgSlug,
    pub name_kk: Option<String>,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub city: Option<String>,
    pub admin_name: String,
    pub email: Email,
    pub password_hash: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// Used, expired, never made, or the server already has an account.
    #[error("the setup link is used or expired")]
    Closed,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for SetupError {
    fn from(error: diesel::result::Error) -> Self {
        SetupError::Db(error.into())
    }
}

/// Creates the organization and its administrator and spends the link, all or nothing.
pub fn claim(conn: &mut DbConnection, token: &Secret, claim: Claim) -> Result<User, SetupError> {
    write_transaction(conn, |conn| {
        if db::accounts::any_account(conn)? || !db::setup_links::use_link(conn, token)? {
            return Err(SetupError::Closed);
        }
        let organization = db::organizations::find_or_create(conn, &claim.slug)?;
        db::organizations::update_names(
            conn,
            &organization.id,
            db::organizations::OrganizationNames {
                kk: claim.name_kk,
                ru: claim.name_ru,
                en: claim.name_en,
                city: claim.city,
            },
        )?;
        let admin = NewUser {
            organization_id: organization.id,
            email: claim.email,
            name: claim.admin_name,
            role: Role::Admin,
            password_hash: claim.password_hash,
        };
        db::accounts::create_user(conn, admin)?.ok_or(SetupError::Closed)
    })
}
