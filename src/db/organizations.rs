use diesel::prelude::*;

use super::models::OrganizationRow;
use super::schema::organizations::dsl as o;
use super::{DbConnection, DbError};
use crate::domain::serial::prefix_from_slug;
use crate::domain::time::now_rfc3339;
use crate::domain::{OrgSlug, Organization};

fn to_domain(row: OrganizationRow) -> Organization {
    Organization {
        id: row.id,
        slug: row.slug,
        name_kk: row.name_kk,
        name_ru: row.name_ru,
        name_en: row.name_en,
        serial_prefix: row.serial_prefix,
        city: row.city,
        head_name: row.head_name,
        head_title: row.head_title,
        address: row.address,
        phone: row.phone,
        email: row.email,
        website: row.website,
        pictures: [
            ("logo", row.logo_sha256),
            ("signature", row.signature_sha256),
            ("stamp", row.stamp_sha256),
        ]
        .into_iter()
        .filter_map(|(role, digest)| digest.map(|d| (role.to_string(), d)))
        .collect(),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Organization, DbError> {
    let row = o::organizations
        .filter(o::id.eq(id))
        .select(OrganizationRow::as_select())
        .get_result(conn)?;
    Ok(to_domain(row))
}

/// The organization with this slug, if there is one.
pub fn find_by_slug(conn: &mut DbConnection, slug: &OrgSlug) -> Result<Option<Organization>, DbError> {
    Ok(o::organizations
        .filter(o::slug.eq(slug.as_str()))
        .select(OrganizationRow::as_select())
        .get_result(conn)
        .optional()?
        .map(to_domain))
}

/// The organization with this slug, created on first use.
pub fn find_or_create(conn: &mut DbConnection, slug: &OrgSlug) -> Result<Organization, DbError> {
    let existing = o::organizations
        .filter(o::slug.eq(slug.as_str()))
        .select(OrganizationRow::as_select())
        .get_result(conn)
        .optional()?;
    if let Some(row) = existing {
        return Ok(to_domain(row));
    }
    let row = OrganizationRow {
        id: uuid::Uuid::new_v4().to_string(),
        slug: slug.as_str().to_string(),
        name_kk: None,
        name_ru: None,
        name_en: None,
        serial_prefix: prefix_from_slug(slug.as_str()),
        city: None,
        created_at: now_rfc3339(),
        head_name: None,
        head_title: None,
        address: None,
        phone: None,
        email: None,
        website: None,
        logo_sha256: None,
        stamp_sha256: None,
        signature_sha256: None,
    };
    diesel::insert_into(o::organizations).values(&row).execute(conn)?;
    Ok(to_domain(row))
}

pub struct OrganizationNames {
    pub kk: Option<String>,
    pub ru: Option<String>,
    pub en: Option<String>,
    pub city: Option<String>,
}

/// Sets the names and city given; leaves the others as they are.
pub fn update_names(conn: &mut DbConnection, id: &str, names: OrganizationNames) -> Result<(), DbError> {
    if let Some(kk) = names.kk {
        diesel::update(o::organizations.filter(o::id.eq(id)))
            .set(o::name_kk.eq(kk))
            .execute(conn)?;
    }
    if let Some(ru) = names.ru {
        diesel::update(o::organizations.filter(o::id.eq(id)))
            .set(o::name_ru.eq(ru))
            .execute(conn)?;
    }
    if let Some(en) = names.en {
        diesel::update(o::organizations.filter(o::id.eq(id)))
            .set(o::name_en.eq(en))
            .execute(conn)?;
    }
    if let Some(city) = names.city {
        diesel::update(o::organizations.filter(o::id.eq(id)))
            .set(o::city.eq(city))
            .execute(conn)?;
    }
    Ok(())
}

/// Who signs the papers; `None` leaves a value as it is, an empty text clears it.
pub fn update_head(
    conn: &mut DbConnection,
    id: &str,
    head_name: Option<&str>,
    head_title: Option<&str>,
) -> Result<(), DbError> {
    let value = |text: &str| (!text.is_empty()).then(|| text.to_string());
    if let Some(name) = head_name {
        diesel::update(o::organizations.filter(o::id.eq(id)))
            .set(o::head_name.eq(value(name)))
            .execute(conn)?;
    }
    if let Some(title) = head_title {
        diesel::update(o::organizations.filter(o::id.eq(id)))
            .set(o::head_title.eq(value(title)))
            .execute(conn)?;
    }
    Ok(())
}

/// How to reach the organization, as its public pages show it; `None` leaves a value as it is, an
/// empty text clears it.
pub struct Contacts<'a> {
    pub address: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub website: Option<&'a str>,
}

pub fn update_contacts(conn: &mut DbConnection, id: &str, contacts: Contacts<'_>) -> Result<(), DbError> {
    let value = |text: &str| (!text.is_empty()).then(|| text.to_string());
    let target = || o::organizations.filter(o::id.eq(id));
    if let Some(address) = contacts.address {
        diesel::update(target())
            .set(o::address.eq(value(address)))
            .execute(conn)?;
    }
    if let Some(phone) = contacts.phone {
        diesel::update(target())
            .set(o::phone.eq(value(phone)))
            .execute(conn)?;
    }
    if let Some(email) = contacts.email {
        diesel::update(target())
            .set(o::email.eq(value(email)))
            .execute(conn)?;
    }
    if let Some(website) = contacts.website {
        diesel::update(target())
            .set(o::website.eq(value(website)))
            .execute(conn)?;
    }
    Ok(())
}

/// Sets or removes (`None`) a default picture: `role` is `logo`, `stamp` or `signature`.
pub fn set_picture(
    conn: &mut DbConnection,
    id: &str,
    role: &str,
    sha256: Option<&str>,
) -> Result<(), DbError> {
    let target = o::organizations.filter(o::id.eq(id));
    let updated = match role {
        "logo" => diesel::update(target)
            .set(o::logo_sha256.eq(sha256))
            .execute(conn)?,
        "stamp" => diesel::update(target)
            .set(o::stamp_sha256.eq(sha256))
            .execute(conn)?,
        "signature" => diesel::update(target)
            .set(o::signature_sha256.eq(sha256))
            .execute(conn)?,
        _ => return Err(DbError::Corrupt(format!("no picture role {role}"))),
    };
    match updated {
        0 => Err(DbError::Query(diesel::result::Error::NotFound)),
        _ => Ok(()),
    }
}

/// Holds the organization's row until the transaction ends (PostgreSQL; SQLite's write
/// transaction already holds the whole database), so numbers handed out on from the highest
/// (persons, report keys) are never handed out twice by concurrent imports.
pub fn lock_for_numbering(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    if let DbConnection::Postgres(pg) = conn {
        o::organizations
            .filter(o::id.eq(id))
            .select(o::id)
            .for_update()
            .load::<String>(pg)?;
    }
    Ok(())
}
