//! Organizers' own designs: names, immutable versions, and pictures stored once by content.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::schema::design_pictures::dsl as p;
use super::schema::design_versions::dsl as v;
use super::schema::designs::dsl as d;
use super::schema::documents::dsl as doc;
use super::{write_transaction, DbConnection, DbError};
use crate::domain::design::{DesignVersion, StoredPicture};
use crate::domain::time::now_rfc3339;
use crate::domain::DocumentStatus;

#[derive(Queryable)]
struct VersionRow {
    design_id: String,
    organization_id: String,
    name: String,
    latest_version: i32,
    version: i32,
    definition: String,
    pictures: String,
    created_at: String,
}

type VersionColumns = (
    d::id,
    d::organization_id,
    d::name,
    d::latest_version,
    v::version,
    v::definition,
    v::pictures,
    v::created_at,
);

const VERSION_COLUMNS: VersionColumns = (
    d::id,
    d::organization_id,
    d::name,
    d::latest_version,
    v::version,
    v::definition,
    v::pictures,
    v::created_at,
);

fn to_domain(row: VersionRow) -> Result<DesignVersion, DbError> {
    let pictures = serde_json::from_str(&row.pictures)
        .map_err(|_| DbError::Corrupt(format!("design {} v{}: pictures", row.design_id, row.version)))?;
    Ok(DesignVersion {
        design_id: row.design_id,
        organization_id: row.organization_id,
        name: row.name,
        version: row.version,
        latest_version: row.latest_version,
        definition: row.definition,
        pictures,
        created_at: row.created_at,
    })
}

fn pictures_json(pictures: &BTreeMap<String, String>) -> String {
    serde_json::to_string(pictures).unwrap_or_else(|_| "{}".into())
}

/// The latest version of an organization's design; another organization's is as absent as a
/// missing one.
pub fn latest(conn: &mut DbConnection, organization_id: &str, name: &str) -> Result<DesignVersion, DbError> {
    let row = d::designs
        .inner_join(v::design_versions.on(v::design_id.eq(d::id).and(v::version.eq(d::latest_version))))
        .filter(d::organization_id.eq(organization_id))
        .filter(d::name.eq(name))
        .select(VERSION_COLUMNS)
        .first::<VersionRow>(conn)?;
    to_domain(row)
}

/// One version of an organization's design by name.
pub fn version_by_name(
    conn: &mut DbConnection,
    organization_id: &str,
    name: &str,
    version: i32,
) -> Result<DesignVersion, DbError> {
    let row = d::designs
        .inner_join(v::design_versions.on(v::design_id.eq(d::id)))
        .filter(d::organization_id.eq(organization_id))
        .filter(d::name.eq(name))
        .filter(v::version.eq(version))
        .select(VERSION_COLUMNS)
        .first::<VersionRow>(conn)?;
    to_domain(row)
}

/// The exact version a document was rendered with.
pub fn version(conn: &mut DbConnection, design_id: &str, version: i32) -> Result<DesignVersion, DbError> {
    let row = d::designs
        .inner_join(v::design_versions.on(v::design_id.eq(d::id)))
        .filter(d::id.eq(design_id))
        .filter(v::version.eq(version))
        .select(VERSION_COLUMNS)
        .first::<VersionRow>(conn)?;
    to_domain(row)
}

/// The latest version of each of an organization's designs, by name.
pub fn list(conn: &mut DbConnection, organization_id: &str) -> Result<Vec<DesignVersion>, DbError> {
    d::designs
        .inner_join(v::design_versions.on(v::design_id.eq(d::id).and(v::version.eq(d::latest_version))))
        .filter(d::organization_id.eq(organization_id))
        .filter(d::deleted_at.is_null())
        .order(d::name.asc())
        .select(VERSION_COLUMNS)
        .load::<VersionRow>(conn)?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Every version of a design, oldest first: (version, created_at).
pub fn versions(conn: &mut DbConnection, design_id: &str) -> Result<Vec<(i32, String)>, DbError> {
    Ok(v::design_versions
        .filter(v::design_id.eq(design_id))
        .order(v::version.asc())
        .select((v::version, v::created_at))
        .load(conn)?)
}

/// Stores a new design as its version 1; `None` when the organization has one of that name.
pub fn create(
    conn: &mut DbConnection,
    organization_id: &str,
    name: &str,
    definition: &str,
    pictures: &BTreeMap<String, String>,
) -> Result<Option<DesignVersion>, DbError> {
    write_transaction(conn, |conn| {
        let taken = d::designs
            .filter(d::organization_id.eq(organization_id))
            .filter(d::name.eq(name))
            .count()
            .get_result::<i64>(conn)?;
        if taken > 0 {
            return Ok(None);
        }
        let id = uuid::Uuid::now_v7().to_string();
        let now = now_rfc3339();
        diesel::insert_into(d::designs)
            .values((
                d::id.eq(&id),
                d::organization_id.eq(organization_id),
                d::name.eq(name),
                d::latest_version.eq(1),
                d::created_at.eq(&now),
            ))
            .execute(conn)?;
        diesel::insert_into(v::design_versions)
            .values((
                v::design_id.eq(&id),
                v::version.eq(1),
                v::definition.eq(definition),
                v::pictures.eq(pictures_json(pictures)),
                v::created_at.eq(&now),
            ))
            .execute(conn)?;
        version(conn, &id, 1).map(Some)
    })
}

/// Stores the next version of a design. Raising the latest number first takes the design's row
/// lock, so two changes at once get different numbers.
pub fn add_version(
    conn: &mut DbConnection,
    design_id: &str,
    definition: &str,
    pictures: &BTreeMap<String, String>,
) -> Result<DesignVersion, DbError> {
    write_transaction(conn, |conn| {
        diesel::update(d::designs.filter(d::id.eq(design_id)))
            .set(d::latest_version.eq(d::latest_version + 1))
            .execute(conn)?;
        let number: i32 = d::designs
            .filter(d::id.eq(design_id))
            .select(d::latest_version)
            .get_result(conn)?;
        diesel::insert_into(v::design_versions)
            .values((
                v::design_id.eq(design_id),
                v::version.eq(number),
                v::definition.eq(definition),
                v::pictures.eq(pictures_json(pictures)),
                v::created_at.eq(now_rfc3339()),
            ))
            .execute(conn)?;
        version(conn, design_id, number)
    })
}

/// Stores a picture unless the same bytes are stored already.
pub fn put_picture(conn: &mut DbConnection, picture: &StoredPicture) -> Result<(), DbError> {
    let stored = p::design_pictures
        .filter(p::sha256.eq(&picture.sha256))
        .count()
        .get_result::<i64>(conn)?;
    if stored > 0 {
        return Ok(());
    }
    let inserted = diesel::insert_into(p::design_pictures)
        .values((
            p::sha256.eq(&picture.sha256),
            p::kind.eq(&picture.kind),
            p::width.eq(picture.width),
            p::height.eq(picture.height),
            p::bytes.eq(picture.bytes.as_slice()),
            p::created_at.eq(now_rfc3339()),
        ))
        .execute(conn);
    match inserted {
        // Someone stored the same bytes meanwhile: they are the same picture.
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(())
        }
        other => other.map(|_| ()).map_err(DbError::from),
    }
}

/// Stored pictures by their digests.
pub fn pictures(conn: &mut DbConnection, digests: &[&str]) -> Result<Vec<StoredPicture>, DbError> {
    let rows: Vec<(String, String, i32, i32, Vec<u8>)> = p::design_pictures
        .filter(p::sha256.eq_any(digests.to_vec()))
        .select((p::sha256, p::kind, p::width, p::height, p::bytes))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(sha256, kind, width, height, bytes)| StoredPicture {
            sha256,
            kind,
            width,
            height,
            bytes,
        })
        .collect())
}

/// The design the newest valid paper of a competition was rendered with (the print file's).
pub fn newest_used(conn: &mut DbConnection, competition_id: &str) -> Result<Option<String>, DbError> {
    Ok(doc::documents
        .filter(doc::competition_id.eq(competition_id))
        .filter(doc::status.eq(DocumentStatus::Valid.as_str()))
        .order(doc::serial.desc())
        .select(doc::design)
        .first(conn)
        .optional()?)
}

/// Gives a design another name; false when the organization has a design of that name already.
/// The competitions that chose it by its old name follow it.
pub fn rename(conn: &mut DbConnection, organization_id: &str, from: &str, to: &str) -> Result<bool, DbError> {
    use super::schema::competitions::dsl as c;
    write_transaction(conn, |conn| {
        let taken = d::designs
            .filter(d::organization_id.eq(organization_id))
            .filter(d::name.eq(to))
            .count()
            .get_result::<i64>(conn)?;
        if taken > 0 {
            return Ok(false);
        }
        let renamed = diesel::update(
            d::designs
                .filter(d::organization_id.eq(organization_id))
                .filter(d::name.eq(from)),
        )
        .set(d::name.eq(to))
        .execute(conn)?;
        if renamed == 0 {
            return Err(DbError::Query(diesel::result::Error::NotFound));
        }
        diesel::update(
            c::competitions
                .filter(c::organization_id.eq(organization_id))
                .filter(c::design.eq(from)),
        )
        .set(c::design.eq(to))
        .execute(conn)?;
        Ok(true)
    })
}

/// The titles of the organization's competitions that chose this design.
pub fn used_by(conn: &mut DbConnection, organization_id: &str, name: &str) -> Result<Vec<String>, DbError> {
    use super::schema::competitions::dsl as c;
    Ok(c::competitions
        .filter(c::organization_id.eq(organization_id))
        .filter(c::design.eq(name))
        .select(c::title)
        .load(conn)?)
}

/// Hides a design and frees its name; its versions stay for the papers rendered with them.
pub fn delete(conn: &mut DbConnection, organization_id: &str, name: &str) -> Result<(), DbError> {
    let design_id: String = d::designs
        .filter(d::organization_id.eq(organization_id))
        .filter(d::name.eq(name))
        .select(d::id)
        .get_result(conn)?;
    // A name no person can type (a control character), unique by the design's id.
    diesel::update(d::designs.filter(d::id.eq(&design_id)))
        .set((
            d::name.eq(format!("{name}\u{1f}{design_id}")),
            d::deleted_at.eq(Some(now_rfc3339())),
        ))
        .execute(conn)?;
    Ok(())
}
