//! Designs: the built-in ones and the organization's own, which are made from a built-in one,
//! given pictures and adjusted, each change a new version.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::Organizer;
use super::body::read_limited;
use super::{ApiError, AppState};
use crate::db;
use crate::domain::design::DesignVersion;
use crate::issuance::own_designs::{self, ElementMove, NewDesign};

/// What the API shows of one version of an own design.
pub(super) fn own_view(version: &DesignVersion) -> Value {
    let missing = own_designs::missing_pictures(version).unwrap_or_default();
    json!({
        "name": version.name,
        "built_in": false,
        "version": version.version,
        "latest_version": version.latest_version,
        "reference": version.reference().to_string(),
        "created_at": version.created_at,
        "pictures": version.pictures,
        "missing_pictures": missing,
        "design": serde_json::from_str::<Value>(&version.definition).unwrap_or(Value::Null),
    })
}

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
        let mut view = own_view(v);
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    elements: Vec<ElementMove>,
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenameRequest {
    name: String,
}

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
