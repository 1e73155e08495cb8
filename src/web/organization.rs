//! `GET/PUT /api/v1/organization`: the organization's profile (names, city, the head who signs).

use actix_web::{web, HttpResponse};

use super::auth::Organizer;
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
