use crate::config::Settings;
use crate::db::{self, organizations::OrganizationNames};
use crate::domain::OrgSlug;
use crate::startup::open;

pub struct TokenRequest {
    pub org: String,
    pub names: OrganizationNames,
    pub label: Option<String>,
}

/// Creates the organization if needed, sets the names given, and returns a new token.
pub fn create_token(settings: &Settings, request: TokenRequest) -> anyhow::Result<String> {
    let slug = OrgSlug::parse(&request.org).ok_or_else(|| {
        anyhow::anyhow!("--org must be 2–64 lower-case Latin letters, digits or dashes, e.g. dvorets-almaty")
    })?;
    let issuance = open(settings)?;
    let mut conn = issuance.db.conn()?;
    let organization = db::organizations::find_or_create(&mut conn, &slug)?;
    db::organizations::update_names(&mut conn, &organization.id, request.names)?;
    let token = db::tokens::create(&mut conn, &organization.id, request.label, None)?;
    Ok(token.reveal().to_string())
}
