//! `GET/PUT /api/v1/organization`: the organization's profile (names, city, the head who signs,
//! contacts), and `/api/v1/organization/pictures/{role}`: its default logo, stamp and signature.

use actix_web::{web, HttpRequest, HttpResponse};

use super::auth::Organizer;
use super::body::read_limited;
use super::{ApiError, AppState};
use crate::profile::ProfileChange;

#[utoipa::path(
    get,
    path = "/api/v1/organization",
    tag = "organization",
    operation_id = "organization_show",
    summary = "The organization's profile: its names as papers print them, city, the head who signs (name and title), contacts, and default pictures.",
    responses(
        (status = 200, description = "profile", content((crate::profile::Profile = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn show(state: web::Data<AppState>, organizer: Organizer) -> Result<HttpResponse, ApiError> {
    let profile = state
        .db
        .run(move |conn| crate::profile::profile(conn, &organizer.organization_id))
        .await?;
    Ok(HttpResponse::Ok().json(profile))
}

#[utoipa::path(
    put,
    path = "/api/v1/organization",
    tag = "organization",
    operation_id = "organization_update",
    summary = "Changes the profile; omitted fields stay. An empty head_name or head_title clears it. Papers issued before keep what they say (byte-identical); papers issued after print the head's name by the signature line and the title in place of «Директор». Contacts (address, phone, email, website) likewise; an e-mail or website that is not one is refused (400).",
    request_body(content((Object = "application/json")), description = "object {`name_kk` string; `name_ru` string; `name_en` string; `city` string; `head_name` string; `head_title` string; `address` string; `phone` string; `email` string; `website` string: http:// or https://}"),
    responses(
        (status = 200, description = "the profile as it is now", content((crate::profile::Profile = "application/json"))),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn update(
    state: web::Data<AppState>,
    organizer: Organizer,
    body: web::Json<ProfileChange>,
) -> Result<HttpResponse, ApiError> {
    let change = body.into_inner();
    let profile = state
        .db
        .run(move |conn| crate::profile::update(conn, &organizer.organization_id, change))
        .await?;
    Ok(HttpResponse::Ok().json(profile))
}

#[utoipa::path(
    put,
    path = "/api/v1/organization/pictures/{role}",
    tag = "organization",
    operation_id = "organization_put_picture",
    summary = "Sets a default picture (JPEG or PNG, the whole body). Every design draws it unless the design has its own picture for that role: built-in designs, and own designs without one, at the spot a first picture of that role takes. Papers issued before keep what they drew (the design reference a document records names the pictures by SHA-256: `BASE|logo=SHA256|stamp=SHA256`).",
    params(
        ("role" = String, Path, description = "the picture's role (one of `logo`, `stamp`, `signature`)"),
    ),
    request_body(content(("image/jpeg"), ("image/png"))),
    responses(
        (status = 200, description = "the profile as it is now", content((crate::profile::Profile = "application/json"))),
        (status = 404, description = "no such role"),
        (status = 413, description = "larger than max_upload_bytes"),
        (status = 422, description = "damaged, cut short, not JPEG/PNG or too large; nothing is stored"),
    ),
    security(("bearer" = [])),
)]
/// Sets a default picture (the whole body, JPEG or PNG): `logo`, `stamp` or `signature`.
pub async fn put_picture(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    role: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = read_limited(&req, payload, state.settings.max_upload_bytes).await?;
    let profile = picture_change(&state, organizer.organization_id, role.into_inner(), Some(bytes)).await?;
    Ok(HttpResponse::Ok().json(profile))
}

#[utoipa::path(
    delete,
    path = "/api/v1/organization/pictures/{role}",
    tag = "organization",
    operation_id = "organization_remove_picture",
    summary = "Removes a default picture: papers issued after draw none for that role.",
    params(
        ("role" = String, Path, description = "the picture's role (one of `logo`, `stamp`, `signature`)"),
    ),
    responses(
        (status = 200, description = "the profile as it is now", content((crate::profile::Profile = "application/json"))),
        (status = 404, description = "no such role"),
    ),
    security(("bearer" = [])),
)]
pub async fn remove_picture(
    state: web::Data<AppState>,
    organizer: Organizer,
    role: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let profile = picture_change(&state, organizer.organization_id, role.into_inner(), None).await?;
    Ok(HttpResponse::Ok().json(profile))
}

/// Sets (with bytes) or removes a default picture; for the API and the profile page.
pub(super) async fn picture_change(
    state: &AppState,
    organization_id: String,
    role: String,
    bytes: Option<Vec<u8>>,
) -> Result<crate::profile::Profile, ApiError> {
    // Checking a picture decodes it: work for the blocking pool, like the query.
    let changed = state
        .db
        .run(move |conn| match bytes {
            Some(bytes) => crate::profile::put_picture(conn, &organization_id, &role, bytes),
            None => crate::profile::remove_picture(conn, &organization_id, &role),
        })
        .await?;
    Ok(changed)
}

#[utoipa::path(
    get,
    path = "/api/v1/organization/pictures/{role}",
    tag = "organization",
    operation_id = "organization_picture",
    summary = "A default picture as uploaded.",
    params(
        ("role" = String, Path, description = "the picture's role (one of `logo`, `stamp`, `signature`)"),
    ),
    responses(
        (status = 200, description = "the picture", content(("image/jpeg"), ("image/png"))),
        (status = 404, description = "no picture for this role, or no such role"),
    ),
    security(("bearer" = [])),
)]
pub async fn picture(
    state: web::Data<AppState>,
    organizer: Organizer,
    role: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    picture_of(&state, organizer.organization_id, role.into_inner()).await
}

/// The default picture as a response, for the API and the profile page.
pub(crate) async fn picture_of(
    state: &AppState,
    organization_id: String,
    role: String,
) -> Result<HttpResponse, ApiError> {
    let picture = state
        .db
        .run(move |conn| crate::profile::picture(conn, &organization_id, &role))
        .await?
        .ok_or(ApiError::NotFound)?;
    let content_type = match picture.kind.as_str() {
        "jpeg" => "image/jpeg",
        _ => "image/png",
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "private, no-cache"))
        .body(picture.bytes))
}
