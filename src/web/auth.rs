use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::{ApiError, AppState};
use crate::db::{self, DbConnection, DbError};
use crate::domain::audit::Actor;
use crate::domain::jury::Judge;
use crate::domain::ApiToken;

/// An organizer's request, authenticated by `Authorization: Bearer TOKEN` (or a signed-in
/// organizer's session, see `Member::organizer`).
pub struct Organizer {
    pub organization_id: String,
    /// Who acts, for the audit log.
    pub actor: Actor,
}

/// A jury member's request: a jury token, good for the one competition the judge sits on.
pub struct Jury(pub Judge);

impl Jury {
    /// The judge, when the path's competition is the one they sit on; any other is not found.
    pub fn of(self, competition_id: &str) -> Result<Judge, ApiError> {
        match self.0.competition_id == competition_id {
            true => Ok(self.0),
            false => Err(ApiError::NotFound),
        }
    }
}

type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// Looks the bearer token up with `find`; a missing, unknown or wrong-role token is unauthorized.
fn authenticate<T: Send + 'static>(
    req: &HttpRequest,
    find: fn(&mut DbConnection, &ApiToken) -> Result<Option<T>, DbError>,
) -> Pending<T> {
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
        let found = state.db.run(move |conn| find(conn, &token)).await?;
        found.ok_or(ApiError::Unauthorized)
    })
}

impl FromRequest for Organizer {
    type Error = ApiError;
    type Future = Pending<Organizer>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let pending = authenticate(req, db::tokens::organizer_of);
        Box::pin(async move {
            let found = pending.await?;
            Ok(Organizer {
                organization_id: found.organization_id,
                actor: found.actor,
            })
        })
    }
}

impl FromRequest for Jury {
    type Error = ApiError;
    type Future = Pending<Jury>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let pending = authenticate(req, db::jury::judge_of);
        Box::pin(async move { Ok(Jury(pending.await?)) })
    }
}
