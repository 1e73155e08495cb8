//! `GET /metrics` for Prometheus. It names no person and no code, only counts; still, keep it to
//! the monitoring network at the reverse proxy (see README, "Running in production").

use actix_web::{web, HttpResponse};

use super::{ApiError, AppState};
use crate::db;
use crate::metrics::{content_type, Gauges};

pub async fn show(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
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
