//! Designs: the built-in ones, and previews of any design with sample data.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::auth::Organizer;
use super::competitions::invalid;
use super::{ApiError, AppState};
use crate::domain::Award;
use crate::i18n::Lang;
use crate::issuance::preview::{preview as render_preview, sample_payload};
use crate::issuance::render::Design;

pub async fn list(state: web::Data<AppState>, _organizer: Organizer) -> HttpResponse {
    let designs: Vec<_> = state
        .issuance
        .renderer
        .built_in_designs()
        .map(|d| json!({"name": d.name, "description": d.description, "page": d.page}))
        .collect();
    HttpResponse::Ok().json(json!({ "designs": designs }))
}

pub async fn show(
    state: web::Data<AppState>,
    _organizer: Organizer,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let design = state
        .issuance
        .renderer
        .built_in_designs()
        .find(|d| d.name == *name)
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(design))
}

#[derive(Deserialize)]
#[serde(untagged)]
pub enum DesignChoice {
    BuiltIn(String),
    Own(serde_json::Value),
}

#[derive(Deserialize)]
pub struct PreviewRequest {
    design: DesignChoice,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    award: Option<String>,
}

/// Renders a design with sample data as a PDF; a design given as JSON is checked first and its
/// mistakes are reported by element.
pub async fn preview(
    state: web::Data<AppState>,
    _organizer: Organizer,
    body: web::Json<PreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let renderer = state.issuance.renderer.clone();
    let design = match request.design {
        DesignChoice::BuiltIn(name) => renderer
            .built_in_designs()
            .find(|d| d.name == name)
            .cloned()
            .ok_or_else(|| invalid("design", "one of the built-in designs (GET /api/v1/designs)"))?,
        DesignChoice::Own(json) => {
            Design::parse(&json.to_string()).map_err(|e| invalid("design", e.to_string()))?
        }
    };
    let language = match request.language {
        Some(code) => Lang::parse(&code).ok_or_else(|| invalid("language", "kk, ru or en"))?,
        None => Lang::default(),
    };
    let award = match request.award {
        Some(text) => Award::from_code(&text)
            .or_else(|| Award::parse(&text))
            .ok_or_else(|| {
                invalid(
                    "award",
                    "an award code such as degree_1, place_2, grand_prix, participant",
                )
            })?,
        None => Award::Degree(1),
    };
    let public_url = state.settings.public_url.clone();
    let pdf =
        web::block(move || render_preview(&renderer, &design, &sample_payload(language, award), &public_url))
            .await?
            .map_err(|e| invalid("design", e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Content-Disposition", "inline; filename=\"preview.pdf\""))
        .body(pdf))
}
