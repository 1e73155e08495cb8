//! `GET/PUT /api/v1/organization`: the organization's profile (names, city, the head who signs,
//! contacts), and `/api/v1/organization/pictures/{role}`: its default logo, stamp and signature.

use actix_web::{web, HttpRequest, HttpResponse};

use super::auth::Organizer;
use super::body::read_limited;
use super::{ApiError, AppState};
use crate::profile::ProfileChange;

pub async fn show(state: web::Data<AppState>, organizer: Organizer) -> Result<HttpResponse, ApiError> {
    let profile = state
        .db
        .run(move |conn| crate::profile::profile(conn, &organizer.organization_id))
        .await?;
    Ok(HttpResponse::Ok().json(profile))
}

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
