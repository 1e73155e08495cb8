//! Organizers' own designs: made from a built-in one (or another own one, or a whole JSON), given
//! pictures, their elements moved. Every change is checked whole and stored as a new version; a
//! stored version is never changed, so papers rendered with it render the same bytes again.

use crate::audit;
use crate::domain::audit::{Actor, AuditAction};
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::render::images::{ImageError, Kind, Picture, MAX_PIXELS, MAX_SIDE_PX};
use super::render::{Design, Renderer, DEFAULT_DESIGN};
use crate::db::{self, DbConnection, DbError};
use crate::domain::design::{valid_asset_name, DesignName, DesignRef, DesignVersion, StoredPicture};
use crate::domain::token::sha256_hex;
use crate::i18n::DesignMessage;

#[derive(Debug, thiserror::Error)]
pub enum OwnDesignError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the design change was refused: {0:?}")]
    Refused(DesignMessage),
}

impl From<diesel::result::Error> for OwnDesignError {
    fn from(e: diesel::result::Error) -> Self {
        OwnDesignError::Db(DbError::Query(e))
    }
}

fn refused(message: DesignMessage) -> OwnDesignError {
    OwnDesignError::Refused(message)
}

/// A new design: a copy of `from` (a built-in or own design's name; the default design when
/// neither `from` nor `design` is given) or the whole `design` JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDesign {
    pub name: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub design: Option<Value>,
}

/// A new place for one element, numbered from 1 in drawing order as the design's error messages
/// number them: a `box` (or some of its sides) for texts, rectangles and pictures; `x`, `y`,
/// `size` for the QR code.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ElementMove {
    pub element: usize,
    #[serde(default, rename = "box")]
    #[schema(value_type = Option<Object>)]
    pub area: Option<serde_json::Map<String, Value>>,
    #[serde(default)]
    pub x: Option<f32>,
    #[serde(default)]
    pub y: Option<f32>,
    #[serde(default)]
    pub size: Option<f32>,
}

pub fn create(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &str,
    actor: &Actor,
    new: NewDesign,
) -> Result<DesignVersion, OwnDesignError> {
    let name = DesignName::parse(&new.name).ok_or(refused(DesignMessage::BadName))?;
    if renderer.knows_design(name.as_str()) {
        return Err(refused(DesignMessage::BuiltInName(name.as_str().into())));
    }
    let (definition, pictures) = match (new.design, new.from) {
        (Some(definition), _) => (definition, BTreeMap::new()),
        (None, from) => {
            let from = from.unwrap_or_else(|| DEFAULT_DESIGN.into());
            match renderer.built_in_designs().find(|d| d.name == from) {
                Some(built_in) => (json!(built_in), BTreeMap::new()),
                None => {
                    let own = db::designs::latest(conn, organization_id, &from)
                        .map_err(|e| unknown_if_absent(e, &from))?;
                    (parse_stored(&own)?, own.pictures)
                }
            }
        }
    };
    let definition = checked(definition, name.as_str())?;
    let created = db::designs::create(conn, organization_id, name.as_str(), &definition, &pictures)?
        .ok_or_else(|| refused(DesignMessage::NameTaken(name.as_str().into())))?;
    version_made(conn, organization_id, actor, &created)?;
    Ok(created)
}

/// Every change of a design is in the audit log: the version it made, or what became of it.
fn changed(
    conn: &mut DbConnection,
    organization_id: &str,
    actor: &Actor,
    subject: &str,
) -> Result<(), OwnDesignError> {
    Ok(audit::record(
        conn,
        organization_id,
        actor,
        AuditAction::DesignChanged,
        subject,
    )?)
}

fn version_made(
    conn: &mut DbConnection,
    organization_id: &str,
    actor: &Actor,
    version: &DesignVersion,
) -> Result<(), OwnDesignError> {
    changed(
        conn,
        organization_id,
        actor,
        &format!("{} v{}", version.name, version.version),
    )
}

/// Gives an own design another name (not a built-in one, not one the organization has); the
/// competitions that chose it follow it, and papers keep naming the version they were drawn with.
pub fn rename(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &str,
    actor: &Actor,
    name: &str,
    to: &str,
) -> Result<(), OwnDesignError> {
    let to = DesignName::parse(to).ok_or(refused(DesignMessage::BadName))?;
    if renderer.knows_design(to.as_str()) {
        return Err(refused(DesignMessage::BuiltInName(to.as_str().into())));
    }
    db::designs::latest(conn, organization_id, name).map_err(|e| unknown_if_absent(e, name))?;
    if !db::designs::rename(conn, organization_id, name, to.as_str())? {
        return Err(refused(DesignMessage::NameTaken(to.as_str().into())));
    }
    changed(conn, organization_id, actor, &format!("{name} → {}", to.as_str()))
}

/// Deletes an own design no competition chooses any more: it leaves the lists and its name is
/// free, while its versions stay, so every paper drawn with it re-renders and verifies as before.
pub fn delete(
    conn: &mut DbConnection,
    organization_id: &str,
    actor: &Actor,
    name: &str,
) -> Result<(), OwnDesignError> {
    db::designs::latest(conn, organization_id, name).map_err(|e| unknown_if_absent(e, name))?;
    let users = db::designs::used_by(conn, organization_id, name)?;
    if !users.is_empty() {
        return Err(refused(DesignMessage::InUse(users.join(", "))));
    }
    db::designs::delete(conn, organization_id, name)?;
    changed(conn, organization_id, actor, &format!("{name} ×"))
}

/// A new version with this JSON; the pictures stay.
pub fn replace(
    conn: &mut DbConnection,
    organization_id: &str,
    actor: &Actor,
    name: &str,
    definition: Value,
) -> Result<DesignVersion, OwnDesignError> {
    let current = db::designs::latest(conn, organization_id, name)?;
    let definition = checked(definition, name)?;
    let version = db::designs::add_version(conn, &current.design_id, &definition, &current.pictures)?;
    version_made(conn, organization_id, actor, &version)?;
    Ok(version)
}

/// A new version with some elements moved or resized.
pub fn move_elements(
    conn: &mut DbConnection,
    organization_id: &str,
    actor: &Actor,
    name: &str,
    moves: &[ElementMove],
) -> Result<DesignVersion, OwnDesignError> {
    let current = db::designs::latest(conn, organization_id, name)?;
    let mut definition = parse_stored(&current)?;
    for change in moves {
        let unknown = || refused(DesignMessage::UnknownElement(change.element));
        let element = change
            .element
            .checked_sub(1)
            .and_then(|index| definition["elements"].get_mut(index))
            .ok_or_else(unknown)?;
        if let Some(area) = &change.area {
            let target = element
                .get_mut("box")
                .and_then(Value::as_object_mut)
                .ok_or_else(unknown)?;
            for (side, value) in area {
                target.insert(side.clone(), value.clone());
            }
        }
        for (key, value) in [("x", change.x), ("y", change.y), ("size", change.size)] {
            if let Some(value) = value {
                let target = element.get_mut(key).ok_or_else(unknown)?;
                *target = json!(value);
            }
        }
    }
    let definition = checked(definition, name)?;
    let version = db::designs::add_version(conn, &current.design_id, &definition, &current.pictures)?;
    version_made(conn, organization_id, actor, &version)?;
    Ok(version)
}

/// Checks a picture and stores it under `asset` in a new version. A `background` becomes the
/// design's background; a `logo`, `signature` or `stamp` the design does not draw yet is placed at
/// a default spot (move it afterwards). A refused picture stores nothing.
pub fn put_picture(
    conn: &mut DbConnection,
    organization_id: &str,
    actor: &Actor,
    name: &str,
    asset: &str,
    bytes: Vec<u8>,
) -> Result<DesignVersion, OwnDesignError> {
    if !valid_asset_name(asset) {
        return Err(refused(DesignMessage::BadAsset));
    }
    let current = db::designs::latest(conn, organization_id, name)?;
    let picture = Picture::check(bytes).map_err(picture_refused)?;
    let mut definition = parse_stored(&current)?;
    place(&mut definition, asset, &picture);
    let definition = checked(definition, name)?;
    let stored = StoredPicture {
        sha256: sha256_hex(picture.bytes()),
        kind: match picture.kind {
            Kind::Jpeg => "jpeg".into(),
            Kind::Png => "png".into(),
        },
        width: i32::try_from(picture.width).unwrap_or(i32::MAX),
        height: i32::try_from(picture.height).unwrap_or(i32::MAX),
        bytes: picture.bytes().to_vec(),
    };
    db::designs::put_picture(conn, &stored)?;
    let mut pictures = current.pictures.clone();
    pictures.insert(asset.to_string(), stored.sha256);
    let version = db::designs::add_version(conn, &current.design_id, &definition, &pictures)?;
    version_made(conn, organization_id, actor, &version)?;
    Ok(version)
}

/// The design a competition's new papers get: a built-in one, or the latest version of the
/// organization's own design of that name, which must have every picture it draws.
pub fn reference_for(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &str,
    name: &str,
) -> Result<DesignRef, OwnDesignError> {
    let (base, own) = if renderer.knows_design(name) {
        (DesignRef::BuiltIn(name.to_string()), BTreeMap::new())
    } else {
        let latest =
            db::designs::latest(conn, organization_id, name).map_err(|e| unknown_if_absent(e, name))?;
        let missing = missing_pictures(&latest)?;
        if !missing.is_empty() {
            return Err(refused(DesignMessage::MissingPictures(missing.join(", "))));
        }
        (latest.reference(), latest.pictures)
    };
    with_defaults(conn, organization_id, base, &own)
}

/// `base` dressed with the organization's default pictures for the roles `own` (the design's own
/// pictures by asset) has none for.
pub fn with_defaults(
    conn: &mut DbConnection,
    organization_id: &str,
    base: DesignRef,
    own: &BTreeMap<String, String>,
) -> Result<DesignRef, OwnDesignError> {
    let defaults = db::organizations::find(conn, organization_id)?
        .pictures
        .into_iter()
        .filter(|(role, _)| !own.contains_key(role))
        .collect();
    Ok(base.dressed(defaults))
}

/// `design` with the organization's default `pictures` (role → SHA-256) added to `drawn`: each
/// placed where a first picture of its role goes, unless the design already draws that role.
pub fn dress(
    conn: &mut DbConnection,
    design: &Design,
    drawn: &mut BTreeMap<String, Picture>,
    pictures: &BTreeMap<String, String>,
) -> Result<Design, OwnDesignError> {
    let corrupt = |what: String| OwnDesignError::Db(DbError::Corrupt(what));
    let digests: Vec<&str> = pictures.values().map(String::as_str).collect();
    let by_digest: BTreeMap<String, Vec<u8>> = db::designs::pictures(conn, &digests)?
        .into_iter()
        .map(|p| (p.sha256, p.bytes))
        .collect();
    let mut definition = serde_json::to_value(design).map_err(|e| corrupt(e.to_string()))?;
    for (role, digest) in pictures {
        let bytes = by_digest
            .get(digest)
            .cloned()
            .ok_or_else(|| corrupt(format!("default picture {role} is not stored")))?;
        let picture = Picture::check(bytes).map_err(|e| corrupt(e.to_string()))?;
        place(&mut definition, role, &picture);
        drawn.insert(role.clone(), picture);
    }
    Design::parse(&definition.to_string()).map_err(|e| corrupt(e.to_string()))
}

/// Assets the version draws that have no picture yet.
pub fn missing_pictures(version: &DesignVersion) -> Result<Vec<String>, OwnDesignError> {
    let design = Design::parse(&version.definition).map_err(|e| DbError::Corrupt(e.to_string()))?;
    Ok(design
        .assets()
        .into_iter()
        .filter(|asset| !version.pictures.contains_key(*asset))
        .map(str::to_string)
        .collect())
}

/// A stored version as the renderer takes it: the design and its pictures, checked again (they
/// were when uploaded; the checked form is what the renderer accepts).
pub fn drawable(
    conn: &mut DbConnection,
    version: &DesignVersion,
) -> Result<(Design, BTreeMap<String, Picture>), OwnDesignError> {
    let corrupt = |what: String| {
        DbError::Corrupt(format!(
            "design {}@{}: {what}",
            version.design_id, version.version
        ))
    };
    let design = Design::parse(&version.definition).map_err(|e| corrupt(e.to_string()))?;
    let digests: Vec<&str> = version.pictures.values().map(String::as_str).collect();
    let by_digest: BTreeMap<String, Vec<u8>> = db::designs::pictures(conn, &digests)?
        .into_iter()
        .map(|p| (p.sha256, p.bytes))
        .collect();
    let mut pictures = BTreeMap::new();
    for (asset, digest) in &version.pictures {
        let bytes = by_digest
            .get(digest)
            .cloned()
            .ok_or_else(|| corrupt(format!("picture {asset} is not stored")))?;
        let picture = Picture::check(bytes).map_err(|e| corrupt(e.to_string()))?;
        pictures.insert(asset.clone(), picture);
    }
    Ok((design, pictures))
}

fn unknown_if_absent(e: DbError, name: &str) -> OwnDesignError {
    match e.is_not_found() {
        true => refused(DesignMessage::UnknownDesign(name.to_string())),
        false => OwnDesignError::Db(e),
    }
}

fn parse_stored(version: &DesignVersion) -> Result<Value, OwnDesignError> {
    serde_json::from_str(&version.definition).map_err(|e| OwnDesignError::Db(DbError::Corrupt(e.to_string())))
}

/// The definition as it will be stored: named after the design, checked whole, written the one
/// way the format writes it.
pub(crate) fn checked(mut definition: Value, name: &str) -> Result<String, OwnDesignError> {
    let Some(object) = definition.as_object_mut() else {
        return Err(refused(DesignMessage::NotValid(
            "the design must be a JSON object".into(),
        )));
    };
    object.insert("name".into(), json!(name));
    let design = Design::parse(&definition.to_string())
        .map_err(|e| refused(DesignMessage::NotValid(e.to_string())))?;
    serde_json::to_string(&design).map_err(|e| refused(DesignMessage::NotValid(e.to_string())))
}

/// A refused picture in the organizer's words (also for the profile's default pictures).
pub fn picture_refused(e: ImageError) -> OwnDesignError {
    refused(match e {
        ImageError::NotAnImage => DesignMessage::NotAPicture,
        ImageError::TooLarge { width, height } => DesignMessage::PictureTooLarge {
            width,
            height,
            max: MAX_SIDE_PX,
        },
        ImageError::TooManyPixels { width, height } => DesignMessage::PictureTooManyPixels {
            width,
            height,
            max_megapixels: MAX_PIXELS / 1_000_000,
        },
        ImageError::Damaged(detail) => DesignMessage::PictureDamaged(detail),
    })
}

/// Where a picture goes the first time: the background under everything; a logo at the top left,
/// a signature by the signature line, a stamp over it, as fractions of the page and at most this
/// many millimetres, keeping the picture's proportions.
fn place(definition: &mut Value, asset: &str, picture: &Picture) {
    if asset == "background" {
        definition["background"] = json!(asset);
        return;
    }
    let spots = [
        ("logo", 0.055, 0.075, 24.0, 24.0),
        ("signature", 0.185, 0.82, 45.0, 16.0),
        ("stamp", 0.36, 0.74, 36.0, 36.0),
    ];
    let Some(&(_, fx, fy, max_w, max_h)) = spots.iter().find(|(name, ..)| *name == asset) else {
        return;
    };
    let elements = definition["elements"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if elements.iter().any(|e| e["asset"] == json!(asset)) {
        return;
    }
    let page_w = definition["page"]["width"].as_f64().unwrap_or(297.0);
    let page_h = definition["page"]["height"].as_f64().unwrap_or(210.0);
    let ratio = f64::from(picture.width.max(1)) / f64::from(picture.height.max(1));
    let (width, height) = if ratio > max_w / max_h {
        (max_w, max_w / ratio)
    } else {
        (max_h * ratio, max_h)
    };
    let round = |v: f64| (v * 10.0).round() / 10.0;
    let element = json!({
        "type": "image",
        "asset": asset,
        "box": {"x": round(page_w * fx), "y": round(page_h * fy), "width": round(width), "height": round(height)},
    });
    if let Some(elements) = definition["elements"].as_array_mut() {
        elements.push(element);
    }
}
