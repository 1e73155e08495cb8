//! `GET /metrics` for Prometheus. It names no person and no code, only counts; still, what an
//! organization does and how busy the server is are nobody else's business: only the hosts in
//! `metrics_from` (the loopback by default) may read it, whatever the reverse proxy lets through.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{ApiError, AppState};
use crate::db;
use crate::metrics::{content_type, Gauges};

#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    operation_id = "metrics_show",
    summary = "Prometheus text format: HTTP requests by method, route pattern and status with a latency histogram, documents rendered, verification lookups by status, jobs and mail messages by state, database pool. Per instance; restrict it at the proxy.",
    responses(
        (status = 200, description = "metrics", content((String = "text/plain"))),
    ),
)]
pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let client = super::client_addr::client_ip(&req, &state.settings.trusted_proxies);
    if !client.is_some_and(|ip| state.settings.metrics_from.contains(ip)) {
        return Err(ApiError::Forbidden);
    }
    let (jobs_by_state, mail_by_state) = state
        .db
        .run(|conn| {
            Ok::<_, crate::db::DbError>((db::gauges::jobs_by_state(conn)?, db::gauges::mail_by_state(conn)?))
        })
        .await?;
    let (pool_connections, pool_idle, pool_max) = state.db.pool_state();
    let gauges = Gauges {
        jobs_by_state,
        mail_by_state,
        pool_connections,
        pool_idle,
        pool_max,
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type())
        .insert_header(("Cache-Control", "no-store"))
        .body(state.issuance.metrics.render(&gauges)))
}
