use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::{ApiError, AppState};
use crate::db;
use crate::domain::ApiToken;

/// An organizer's request, authenticated by `Authorization: Bearer TOKEN`.
pub struct Organizer {
    pub organization_id: String,
}

impl FromRequest for Organizer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Organizer, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .and_then(ApiToken::from_presented);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (Some(token), Some(state)) = (token, state) else {
                return Err(ApiError::Unauthorized);
            };
            let organization = state
                .db
                .run(move |conn| db::tokens::organization_of(conn, &token))
                .await?;
            organization
                .map(|organization_id| Organizer { organization_id })
                .ok_or(ApiError::Unauthorized)
        })
    }
}
