//! Liveness and the API description.

use actix_web::HttpResponse;

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    operation_id = "health_healthz",
    summary = "Liveness",
    responses(
        (status = 200, description = "ok"),
    ),
)]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "service",
    operation_id = "health_openapi",
    summary = "This description",
    responses(
        (status = 200, description = "OpenAPI"),
    ),
)]
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(super::openapi::json())
}
