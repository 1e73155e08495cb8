//! Designs: the built-in ones and the organization's own, which are made from a built-in one,
//! given pictures and adjusted, each change a new version.

use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::auth::Organizer;
use super::body::read_limited;
use super::{ApiError, AppState};
use crate::db;
use crate::domain::design::DesignVersion;
use crate::issuance::own_designs::{self, ElementMove, NewDesign};

/// What the API shows of one version of an own design.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(
    description = "One version of an organization's own design. Versions never change; every change makes the next one."
)]
pub struct OwnDesignVersion {
    name: String,
    built_in: bool,
    version: i32,
    latest_version: i32,
    /// DESIGN_ID@VERSION: what a document rendered with this version records in its `design`
    reference: String,
    created_at: String,
    /// Asset name → SHA-256 of the stored picture.
    pictures: BTreeMap<String, String>,
    missing_pictures: Vec<String>,
    /// the design JSON, format 1 (templates/designs/README.md)
    #[schema(value_type = Object)]
    design: Value,
}

pub(super) fn own_view(version: &DesignVersion) -> OwnDesignVersion {
    OwnDesignVersion {
        name: version.name.clone(),
        built_in: false,
        version: version.version,
        latest_version: version.latest_version,
        reference: version.reference().to_string(),
        created_at: version.created_at.clone(),
        pictures: version.pictures.clone(),
        missing_pictures: own_designs::missing_pictures(version).unwrap_or_default(),
        design: serde_json::from_str::<Value>(&version.definition).unwrap_or(Value::Null),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/designs",
    tag = "designs",
    operation_id = "designs_list",
    summary = "The built-in designs (`built_in: true`), then the organization's own at their latest versions.",
    responses(
        (status = 200, description = "designs", content(("application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The built-in designs, then the organization's own (their latest versions).
pub async fn list(state: web::Data<AppState>, organizer: Organizer) -> Result<HttpResponse, ApiError> {
    let own = state
        .db
        .run(move |conn| db::designs::list(conn, &organizer.organization_id))
        .await?;
    let built_in = state
        .issuance
        .renderer
        .built_in_designs()
        .map(|d| json!({"name": d.name, "description": d.description, "page": d.page, "built_in": true}));
    let own = own.iter().map(|v| {
        let mut view = json!(own_view(v));
        view["page"] = view["design"]["page"].take();
        view["description"] = view["design"]["description"].take();
        if let Some(fields) = view.as_object_mut() {
            fields.remove("design");
        }
        view
    });
    let designs: Vec<Value> = built_in.chain(own).collect();
    Ok(HttpResponse::Ok().json(json!({ "designs": designs })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionQuery {
    version: Option<i32>,
}

#[utoipa::path(
    get,
    path = "/api/v1/designs/{name}",
    tag = "designs",
    operation_id = "designs_show",
    summary = "A built-in design as JSON (format 1), or a version of an own design (the latest unless `?version=N`) with its pictures and reference.",
    params(
        ("name" = String, Path, description = "a built-in design's name or one of the organization's own"),
        ("version" = Option<i64>, Query),
    ),
    responses(
        (status = 200, description = "the design", content(("application/json"))),
        (status = 404, description = "no such design"),
    ),
    security(("bearer" = [])),
)]
/// A built-in design's JSON, or an own design's version (the latest unless `?version=`).
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    name: web::Path<String>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, ApiError> {
    let name = name.into_inner();
    if let Some(design) = state
        .issuance
        .renderer
        .built_in_designs()
        .find(|d| d.name == name)
    {
        return Ok(HttpResponse::Ok().json(design));
    }
    let version = state
        .db
        .run(move |conn| match query.version {
            Some(v) => db::designs::version_by_name(conn, &organizer.organization_id, &name, v),
            None => db::designs::latest(conn, &organizer.organization_id, &name),
        })
        .await?;
    Ok(HttpResponse::Ok().json(own_view(&version)))
}

#[utoipa::path(
    get,
    path = "/api/v1/designs/{name}/versions",
    tag = "designs",
    operation_id = "designs_versions",
    summary = "Every version of an own design, oldest first: `{name, versions: [{version, created_at, reference}]}`.",
    params(
        ("name" = String, Path, description = "a built-in design's name or one of the organization's own"),
    ),
    responses(
        (status = 200, description = "the versions", content(("application/json"))),
        (status = 404, description = "no such own design"),
    ),
    security(("bearer" = [])),
)]
/// Every version of an own design, oldest first.
pub async fn versions(
    state: web::Data<AppState>,
    organizer: Organizer,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = name.into_inner();
    let (latest, versions) = state
        .db
        .run(move |conn| {
            let latest = db::designs::latest(conn, &organizer.organization_id, &name)?;
            let versions = db::designs::versions(conn, &latest.design_id)?;
            Ok::<_, crate::db::DbError>((latest, versions))
        })
        .await?;
    let versions: Vec<Value> = versions
        .into_iter()
        .map(|(version, created_at)| {
            json!({"version": version, "created_at": created_at,
                   "reference": format!("{}@{version}", latest.design_id)})
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({"name": latest.name, "versions": versions})))
}

#[utoipa::path(
    post,
    path = "/api/v1/designs",
    tag = "designs",
    operation_id = "designs_create",
    summary = "Creates an own design of the organization: `{name, from}` copies a built-in or own design (pictures too), `{name, design}` takes a whole design JSON; `{name}` alone copies the default design. Names are 1–60 letters, digits, `-`, `_`, not a built-in name, unique in the organization.",
    request_body(content((Object = "application/json")), description = "object {`name` (required) string; `from` string; `design` object}"),
    responses(
        (status = 201, description = "version 1", content((crate::web::designs::OwnDesignVersion = "application/json"))),
        (status = 422, description = "refused with a message in the request's language: a bad name, a design that is not valid (named by element), a picture that is damaged, cut short, not JPEG/PNG or over 12,000 px a side; nothing is stored"),
    ),
    security(("bearer" = [])),
)]
/// Creates an own design: `{name, from}` copies a built-in or own design, `{name, design}` takes a
/// whole design JSON.
pub async fn create(
    state: web::Data<AppState>,
    organizer: Organizer,
    body: web::Json<NewDesign>,
) -> Result<HttpResponse, ApiError> {
    let version = create_for(&state, organizer, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(own_view(&version)))
}

pub(super) async fn create_for(
    state: &AppState,
    organizer: Organizer,
    new: NewDesign,
) -> Result<DesignVersion, ApiError> {
    let renderer = state.issuance.renderer.clone();
    let created = state
        .db
        .run(move |conn| {
            own_designs::create(conn, &renderer, &organizer.organization_id, &organizer.actor, new)
        })
        .await;
    Ok(created?)
}

#[utoipa::path(
    put,
    path = "/api/v1/designs/{name}",
    tag = "designs",
    operation_id = "designs_replace",
    summary = "A new version of an own design with this whole design JSON (its pictures stay). Pictures the JSON names but that are not uploaded are listed in `missing_pictures`; such a design cannot be issued or previewed until they are.",
    params(
        ("name" = String, Path, description = "a built-in design's name or one of the organization's own"),
    ),
    request_body(content((Object = "application/json"))),
    responses(
        (status = 200, description = "the version: `{name, built_in: false, version, latest_version, reference (DESIGN_ID@VERSION, what documents record), created_at, pictures {asset: sha256}, missing_pictures, design}`", content((crate::web::designs::OwnDesignVersion = "application/json"))),
        (status = 404, description = "no such own design in this organization"),
        (status = 422, description = "refused with a message in the request's language: a bad name, a design that is not valid (named by element), a picture that is damaged, cut short, not JPEG/PNG or over 12,000 px a side; nothing is stored"),
    ),
    security(("bearer" = [])),
)]
/// A new version with the whole design JSON given.
pub async fn replace(
    state: web::Data<AppState>,
    organizer: Organizer,
    name: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let (name, definition) = (name.into_inner(), body.into_inner());
    let version = state
        .db
        .run(move |conn| {
            Ok::<_, crate::db::DbError>(own_designs::replace(
                conn,
                &organizer.organization_id,
                &organizer.actor,
                &name,
                definition,
            ))
        })
        .await??;
    Ok(HttpResponse::Ok().json(own_view(&version)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    elements: Vec<ElementMove>,
}

#[utoipa::path(
    patch,
    path = "/api/v1/designs/{name}",
    tag = "designs",
    operation_id = "designs_move_elements",
    summary = r#"A new version with elements moved or resized: `{"elements": [{"element": 14, "box": {"y": 90}}, {"element": 27, "x": 240, "y": 140, "size": 34}]}`. Elements are numbered from 1 in drawing order, as error messages number them; a `box` may give only some of x, y, width, height; the QR code takes x, y, size."#,
    params(
        ("name" = String, Path, description = "a built-in design's name or one of the organization's own"),
    ),
    request_body(content((MoveRequest = "application/json"))),
    responses(
        (status = 200, description = "the version: `{name, built_in: false, version, latest_version, reference (DESIGN_ID@VERSION, what documents record), created_at, pictures {asset: sha256}, missing_pictures, design}`", content((crate::web::designs::OwnDesignVersion = "application/json"))),
        (status = 404, description = "no such own design in this organization"),
        (status = 422, description = "refused with a message in the request's language: a bad name, a design that is not valid (named by element), a picture that is damaged, cut short, not JPEG/PNG or over 12,000 px a side; nothing is stored"),
    ),
    security(("bearer" = [])),
)]
/// A new version with some elements moved: `{"elements": [{"element": 14, "box": {"y": 90}}]}`.
pub async fn move_elements(
    state: web::Data<AppState>,
    organizer: Organizer,
    name: web::Path<String>,
    body: web::Json<MoveRequest>,
) -> Result<HttpResponse, ApiError> {
    let (name, moves) = (name.into_inner(), body.into_inner().elements);
    let version = state
        .db
        .run(move |conn| {
            Ok::<_, crate::db::DbError>(own_designs::move_elements(
                conn,
                &organizer.organization_id,
                &organizer.actor,
                &name,
                &moves,
            ))
        })
        .await??;
    Ok(HttpResponse::Ok().json(own_view(&version)))
}

#[utoipa::path(
    put,
    path = "/api/v1/designs/{name}/pictures/{asset}",
    tag = "designs",
    operation_id = "designs_put_picture",
    summary = "Uploads a picture (JPEG or PNG, the whole body; a JPEG is embedded in the PDFs byte for byte, PNG transparency kept) and makes a new version. Pictures are stored once by their SHA-256.",
    params(
        ("name" = String, Path, description = "a built-in design's name or one of the organization's own"),
        ("asset" = String, Path, description = "`background` (becomes the design's background), `logo`, `signature`, `stamp` (placed at a default spot the first time; move them with PATCH) or any name the design's image elements use"),
    ),
    request_body(content(("image/jpeg"), ("image/png"))),
    responses(
        (status = 200, description = "the version: `{name, built_in: false, version, latest_version, reference (DESIGN_ID@VERSION, what documents record), created_at, pictures {asset: sha256}, missing_pictures, design}`", content((crate::web::designs::OwnDesignVersion = "application/json"))),
        (status = 404, description = "no such own design"),
        (status = 413, description = "larger than max_upload_bytes"),
        (status = 422, description = "refused with a message in the request's language: a bad name, a design that is not valid (named by element), a picture that is damaged, cut short, not JPEG/PNG or over 12,000 px a side; nothing is stored"),
    ),
    security(("bearer" = [])),
)]
/// A picture (JPEG or PNG, the whole body) under an asset name: a new version.
pub async fn put_picture(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = read_limited(&req, payload, state.settings.max_upload_bytes).await?;
    let (name, asset) = path.into_inner();
    let version = put_picture_for(&state, organizer, name, asset, bytes).await?;
    Ok(HttpResponse::Ok().json(own_view(&version)))
}

pub(super) async fn put_picture_for(
    state: &AppState,
    organizer: Organizer,
    name: String,
    asset: String,
    bytes: Vec<u8>,
) -> Result<DesignVersion, ApiError> {
    // Checking a picture decodes it: work for the blocking pool, like the query.
    let stored = state
        .db
        .run(move |conn| {
            Ok::<_, crate::db::DbError>(own_designs::put_picture(
                conn,
                &organizer.organization_id,
                &organizer.actor,
                &name,
                &asset,
                bytes,
            ))
        })
        .await?;
    Ok(stored?)
}

#[utoipa::path(
    get,
    path = "/api/v1/designs/{name}/pictures/{asset}",
    tag = "designs",
    operation_id = "designs_picture",
    summary = "The picture of the latest version, as uploaded.",
    params(
        ("name" = String, Path, description = "a built-in design's name or one of the organization's own"),
        ("asset" = String, Path, description = "`background` (becomes the design's background), `logo`, `signature`, `stamp` (placed at a default spot the first time; move them with PATCH) or any name the design's image elements use"),
    ),
    responses(
        (status = 200, description = "the picture", content(("image/jpeg"), ("image/png"))),
        (status = 404, description = "no such design or picture"),
    ),
    security(("bearer" = [])),
)]
/// A picture of an own design's latest version, as uploaded.
pub async fn picture(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (name, asset) = path.into_inner();
    picture_of(&state, organizer, name, asset).await
}

/// The picture as a response, for the API and the design editor's page.
pub(super) async fn picture_of(
    state: &AppState,
    organizer: Organizer,
    name: String,
    asset: String,
) -> Result<HttpResponse, ApiError> {
    let picture = state
        .db
        .run(move |conn| {
            let latest = db::designs::latest(conn, &organizer.organization_id, &name)?;
            let digest = latest
                .pictures
                .get(&asset)
                .ok_or(crate::db::DbError::Query(diesel::result::Error::NotFound))?;
            let mut found = db::designs::pictures(conn, &[digest.as_str()])?;
            found
                .pop()
                .ok_or(crate::db::DbError::Query(diesel::result::Error::NotFound))
        })
        .await?;
    let content_type = match picture.kind.as_str() {
        "jpeg" => "image/jpeg",
        _ => "image/png",
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "private, no-cache"))
        .body(picture.bytes))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameRequest {
    name: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/designs/{name}/rename",
    tag = "designs",
    operation_id = "designs_rename",
    summary = "Gives an own design another name (1–60 letters, digits, - or _; not a built-in design's, not one the organization has). The competitions that chose it follow it; papers keep naming the version they were drawn with.",
    params(
        ("name" = String, Path),
    ),
    request_body(content((RenameRequest = "application/json"))),
    responses(
        (status = 200, description = "renamed"),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 422, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// `POST /api/v1/designs/{name}/rename {name}`.
pub async fn rename(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<RenameRequest>,
) -> Result<HttpResponse, ApiError> {
    let to = body.into_inner().name;
    rename_for(&state, organizer, path.into_inner(), to.clone()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "name": to.trim() })))
}

pub(super) async fn rename_for(
    state: &AppState,
    organizer: Organizer,
    name: String,
    to: String,
) -> Result<(), ApiError> {
    let renderer = state.issuance.renderer.clone();
    Ok(state
        .db
        .run(move |conn| {
            own_designs::rename(
                conn,
                &renderer,
                &organizer.organization_id,
                &organizer.actor,
                &name,
                &to,
            )
        })
        .await?)
}

#[utoipa::path(
    delete,
    path = "/api/v1/designs/{name}",
    tag = "designs",
    operation_id = "designs_delete",
    summary = "Deletes an own design: it leaves the list and its name is free, while its versions stay, so every paper drawn with it re-renders and verifies as before. Refused (409, naming them) while competitions choose it.",
    params(
        ("name" = String, Path),
    ),
    responses(
        (status = 204, description = "deleted"),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// `DELETE /api/v1/designs/{name}`: refused while a competition chooses it.
pub async fn delete(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    delete_for(&state, organizer, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub(super) async fn delete_for(state: &AppState, organizer: Organizer, name: String) -> Result<(), ApiError> {
    Ok(state
        .db
        .run(move |conn| own_designs::delete(conn, &organizer.organization_id, &organizer.actor, &name))
        .await?)
}
