//! The organization's profile: its names as papers print them, its city, and the head who signs.
//! One service for the API and the pages. A change reaches only papers issued after it: each
//! paper keeps what it said when it was issued, so it stays byte-identical and verifiable.

use serde::Serialize;

use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::entry::normalize_text;
use crate::domain::Organization;

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
}

/// The profile as shown and as the API answers.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub slug: String,
    pub serial_prefix: String,
    pub name_kk: Option<String>,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub city: Option<String>,
    pub head_name: Option<String>,
    pub head_title: Option<String>,
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
    write_transaction(conn, |conn| {
        db::organizations::update_names(conn, organization_id, names)?;
        db::organizations::update_head(conn, organization_id, head_name.as_deref(), head_title.as_deref())?;
        Ok(profile(conn, organization_id)?)
    })
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
