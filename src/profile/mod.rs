//! The organization's profile: its names as papers print them, its city, the head who signs, its
//! contacts, and default pictures (logo, stamp, signature) that every design draws unless it has
//! its own picture for that role (see `DesignRef::Dressed`). One service for the API and the pages. A change reaches only papers issued after it: each
//! paper keeps what it said when it was issued, so it stays byte-identical and verifiable.

use serde::Serialize;

use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::account::Email;
use crate::domain::design::StoredPicture;
use crate::domain::entry::normalize_text;
use crate::domain::token::sha256_hex;
use crate::domain::Organization;
use crate::issuance::render::images::{ImageError, Kind, Picture};

/// Longest department name.
pub const MAX_DEPARTMENT_CHARS: usize = 200;

/// Longest name or title the profile keeps; a paper's box shrinks what it prints to fit.
pub const MAX_PROFILE_CHARS: usize = 300;

/// What an administrator changes; `None` keeps a value. An empty head's name or title clears it
/// (the papers then print the word "Директор" and an empty line); names are never emptied.
#[derive(Debug, Default, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileChange {
    pub name_kk: Option<String>,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub city: Option<String>,
    pub head_name: Option<String>,
    pub head_title: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

/// The profile as shown and as the API answers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Profile {
    pub slug: String,
    pub serial_prefix: String,
    pub name_kk: Option<String>,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub city: Option<String>,
    pub head_name: Option<String>,
    pub head_title: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// http:// or https://
    pub website: Option<String>,
    /// default pictures by role (`logo`, `stamp`, `signature`) → SHA-256; each at
    /// /api/v1/organization/pictures/{role}
    pub pictures: std::collections::BTreeMap<String, String>,
}

impl From<Organization> for Profile {
    fn from(o: Organization) -> Self {
        Profile {
            slug: o.slug,
            serial_prefix: o.serial_prefix,
            name_kk: o.name_kk,
            name_ru: o.name_ru,
            name_en: o.name_en,
            city: o.city,
            head_name: o.head_name,
            head_title: o.head_title,
            address: o.address,
            phone: o.phone,
            email: o.email,
            website: o.website,
            pictures: o.pictures,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// A value too long; names the field.
    #[error("{0} is not acceptable")]
    Invalid(&'static str),
    /// A department's name empty or over [`MAX_DEPARTMENT_CHARS`].
    #[error("a department's name must be 1 to {MAX_DEPARTMENT_CHARS} characters")]
    DepartmentName,
    #[error("a department of this name exists")]
    DepartmentTaken,
    #[error("a default picture is a logo, a stamp or a signature")]
    UnknownRole,
    /// Not a JPEG or PNG, damaged, or too large.
    #[error("the picture was refused: {0}")]
    Picture(#[source] ImageError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for ProfileError {
    fn from(error: diesel::result::Error) -> Self {
        ProfileError::Db(error.into())
    }
}

pub fn profile(conn: &mut DbConnection, organization_id: &str) -> Result<Profile, DbError> {
    db::organizations::find(conn, organization_id).map(Profile::from)
}

/// A value as the profile keeps it: white space collapsed, control and direction-override
/// characters dropped (`normalize_text`: a paper cannot print them and an override would turn
/// against a reader), checked for length.
fn clean(field: &'static str, value: Option<String>) -> Result<Option<String>, ProfileError> {
    let Some(value) = value else { return Ok(None) };
    let value = normalize_text(&value);
    if value.chars().count() > MAX_PROFILE_CHARS {
        return Err(ProfileError::Invalid(field));
    }
    Ok(Some(value))
}

pub fn update(
    conn: &mut DbConnection,
    organization_id: &str,
    change: ProfileChange,
) -> Result<Profile, ProfileError> {
    let non_empty = |v: Option<String>| v.filter(|v| !v.is_empty());
    let names = db::organizations::OrganizationNames {
        kk: non_empty(clean("name_kk", change.name_kk)?),
        ru: non_empty(clean("name_ru", change.name_ru)?),
        en: non_empty(clean("name_en", change.name_en)?),
        city: non_empty(clean("city", change.city)?),
    };
    let head_name = clean("head_name", change.head_name)?;
    let head_title = clean("head_title", change.head_title)?;
    let address = clean("address", change.address)?;
    let phone = clean("phone", change.phone)?;
    let email = clean("email", change.email)?;
    if email
        .as_deref()
        .is_some_and(|e| !e.is_empty() && Email::parse(e).is_none())
    {
        return Err(ProfileError::Invalid("email"));
    }
    let website = clean("website", change.website)?;
    if website
        .as_deref()
        .is_some_and(|w| !w.is_empty() && !plausible_website(w))
    {
        return Err(ProfileError::Invalid("website"));
    }
    write_transaction(conn, |conn| {
        db::organizations::update_names(conn, organization_id, names)?;
        db::organizations::update_head(conn, organization_id, head_name.as_deref(), head_title.as_deref())?;
        let contacts = db::organizations::Contacts {
            address: address.as_deref(),
            phone: phone.as_deref(),
            email: email.as_deref(),
            website: website.as_deref(),
        };
        db::organizations::update_contacts(conn, organization_id, contacts)?;
        Ok(profile(conn, organization_id)?)
    })
}

/// A website as a link can open: `https://` or `http://` and a host, no spaces.
fn plausible_website(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace))
}

/// The roles a default picture can have.
pub const PICTURE_ROLES: [&str; 3] = ["logo", "stamp", "signature"];

/// Sets the default picture for `role` (JPEG or PNG, checked as a design's are). Papers issued
/// from now on draw it; those issued before keep what they drew.
pub fn put_picture(
    conn: &mut DbConnection,
    organization_id: &str,
    role: &str,
    bytes: Vec<u8>,
) -> Result<Profile, ProfileError> {
    if !PICTURE_ROLES.contains(&role) {
        return Err(ProfileError::UnknownRole);
    }
    let picture = Picture::check(bytes).map_err(ProfileError::Picture)?;
    let stored = StoredPicture {
        sha256: sha256_hex(picture.bytes()),
        kind: match picture.kind {
            Kind::Jpeg => "jpeg",
            Kind::Png => "png",
        }
        .into(),
        width: i32::try_from(picture.width).unwrap_or(i32::MAX),
        height: i32::try_from(picture.height).unwrap_or(i32::MAX),
        bytes: picture.bytes().to_vec(),
    };
    write_transaction(conn, |conn| {
        db::designs::put_picture(conn, &stored)?;
        db::organizations::set_picture(conn, organization_id, role, Some(&stored.sha256))?;
        Ok(profile(conn, organization_id)?)
    })
}

/// Removes the default picture for `role`: designs draw none for it any more.
pub fn remove_picture(
    conn: &mut DbConnection,
    organization_id: &str,
    role: &str,
) -> Result<Profile, ProfileError> {
    if !PICTURE_ROLES.contains(&role) {
        return Err(ProfileError::UnknownRole);
    }
    db::organizations::set_picture(conn, organization_id, role, None)?;
    Ok(profile(conn, organization_id)?)
}

/// The default picture for `role`, as stored.
pub fn picture(
    conn: &mut DbConnection,
    organization_id: &str,
    role: &str,
) -> Result<Option<StoredPicture>, DbError> {
    let organization = db::organizations::find(conn, organization_id)?;
    let Some(digest) = organization.pictures.get(role) else {
        return Ok(None);
    };
    Ok(db::designs::pictures(conn, &[digest.as_str()])?
        .into_iter()
        .next())
}

/// A new department (отдел) of the organization; its name once per organization.
pub fn add_department(
    conn: &mut DbConnection,
    organization_id: &str,
    name: &str,
) -> Result<db::departments::Department, ProfileError> {
    let name = normalize_text(name);
    if name.is_empty() || name.chars().count() > MAX_DEPARTMENT_CHARS {
        return Err(ProfileError::DepartmentName);
    }
    db::departments::create(conn, organization_id, &name)?.ok_or(ProfileError::DepartmentTaken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cleaned_and_hostile_ones_refused() {
        assert_eq!(
            clean("x", Some("  Ахметова   Г.С. ".into())).unwrap().as_deref(),
            Some("Ахметова Г.С.")
        );
        assert_eq!(
            clean("x", Some("Иван\u{202e}ов".into())).unwrap().as_deref(),
            Some("Иванов")
        );
        assert_eq!(
            clean("x", Some("a\u{0007}b".into())).unwrap().as_deref(),
            Some("ab")
        );
        assert!(clean("x", Some("я".repeat(301))).is_err());
        assert_eq!(clean("x", None).unwrap(), None);
    }
}
