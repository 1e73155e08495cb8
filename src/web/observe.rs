//! Every request gets an id, sent back as `X-Request-Id` and written on its access-log line (and
//! on the lines logged while it is handled), so a user's "it failed at 10:31" can be found; and
//! is counted for `/metrics` by its route pattern, status and time.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;

use super::AppState;

pub const REQUEST_ID: &str = "x-request-id";

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let id = uuid::Uuid::now_v7().simple().to_string();
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.issuance.metrics.clone());
    let method = req.method().to_string();
    let span = tracing::info_span!("request", id = %id);
    let mut response = next.call(req).instrument(span).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID), value);
    }
    if let Some(metrics) = metrics {
        let route = response.request().match_pattern();
        metrics.observe_request(
            &method,
            route.as_deref(),
            response.status().as_u16(),
            started.elapsed(),
        );
    }
    Ok(response)
}
