//! Previews of designs: any built-in or own design, or a design JSON not stored yet, with sample
//! data or a competition's row, as a PDF or a PNG picture of it.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::auth::Organizer;
use super::competitions::invalid;
use super::{ApiError, AppState};
use crate::domain::Award;
use crate::i18n::{DesignMessage, Lang, Message};
use crate::issuance::preview::{
    png_of, preview as render_preview, preview_named, sample_payload, PreviewOf, RasterError,
};
use crate::issuance::render::Design;

/// Resolution of PNG previews unless `dpi` says otherwise: a page fits a screen.
const PNG_DPI: u32 = 100;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum DesignChoice {
    Named(String),
    Json(serde_json::Value),
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PreviewRequest {
    design: DesignChoice,
    #[serde(default)]
    language: Option<String>,
    /// award code (degree_1, place_2, grand_prix, laureate, participant) or text as in results files
    #[serde(default)]
    award: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

fn language(code: Option<&str>) -> Result<Option<Lang>, ApiError> {
    code.filter(|c| !c.is_empty())
        .map(|c| Lang::parse(c).ok_or_else(|| invalid("language", "kk, ru or en")))
        .transpose()
}

fn award(text: Option<&str>) -> Result<Award, ApiError> {
    match text.filter(|t| !t.is_empty()) {
        Some(text) => Award::from_code(text)
            .or_else(|| Award::parse(text))
            .ok_or_else(|| {
                invalid(
                    "award",
                    "an award code such as degree_1, place_2, grand_prix, participant",
                )
            }),
        None => Ok(Award::Degree(1)),
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Format {
    Pdf,
    Png { dpi: u32 },
}

fn format(text: Option<&str>, dpi: Option<u32>) -> Result<Format, ApiError> {
    match text.unwrap_or("pdf") {
        "pdf" => Ok(Format::Pdf),
        "png" => Ok(Format::Png {
            dpi: dpi.unwrap_or(PNG_DPI).clamp(20, 300),
        }),
        _ => Err(invalid("format", "pdf or png")),
    }
}

/// The PDF as asked: itself, or a PNG of it (501 when the server cannot make one).
pub(super) async fn answer(pdf: Vec<u8>, format: Format) -> Result<HttpResponse, ApiError> {
    match format {
        Format::Pdf => Ok(HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header(("Content-Disposition", "inline; filename=\"preview.pdf\""))
            .insert_header(("Cache-Control", "no-store"))
            .body(pdf)),
        Format::Png { dpi } => {
            let png = web::block(move || png_of(&pdf, dpi))
                .await?
                .map_err(|e| match e {
                    RasterError::NotInstalled => {
                        ApiError::NotImplemented(Message::Design(DesignMessage::NoPreview))
                    }
                    RasterError::Busy => ApiError::Busy {
                        retry_after_seconds: 2,
                    },
                    other => ApiError::internal(other),
                })?;
            Ok(HttpResponse::Ok()
                .content_type("image/png")
                .insert_header(("Cache-Control", "no-store"))
                .body(png))
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/designs/preview",
    tag = "designs",
    operation_id = "design_preview_preview",
    summary = "Renders a design with sample data (a long Kazakh name, school, supervisor...) as a PDF or PNG. `design` is a built-in or own design's name or a whole design JSON, which is checked first: mistakes are reported by element number.",
    request_body(content((PreviewRequest = "application/json"))),
    responses(
        (status = 200, description = "the preview", content(("application/pdf"), ("image/png"))),
        (status = 400, description = "the design or a field is invalid"),
        (status = 404, description = "no own design of that name"),
        (status = 501, description = "PNG asked for but pdftoppm is not installed"),
    ),
    security(("bearer" = [])),
)]
/// Renders a design with sample data: a built-in or own design by name, or a design JSON, which
/// is checked first and its mistakes reported by element.
pub async fn preview(
    state: web::Data<AppState>,
    organizer: Organizer,
    body: web::Json<PreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let language = language(request.language.as_deref())?;
    let award = award(request.award.as_deref())?;
    let format = format(request.format.as_deref(), None)?;
    let pdf = match request.design {
        DesignChoice::Named(name) => {
            let what = PreviewOf {
                design: name,
                version: None,
                language,
                award,
                competition: None,
                entry: None,
            };
            named_pdf(&state, organizer.organization_id, what).await?
        }
        DesignChoice::Json(json) => {
            let design = Design::parse(&json.to_string()).map_err(|e| invalid("design", e.to_string()))?;
            let renderer = state.issuance.renderer.clone();
            let payload = sample_payload(language.unwrap_or_default(), award);
            let public_url = state.settings.public_url.clone();
            web::block(move || render_preview(&renderer, &design, &payload, &public_url))
                .await?
                .map_err(|e| invalid("design", e.to_string()))?
        }
    };
    answer(pdf, format).await
}

pub(super) async fn named_pdf(
    state: &AppState,
    organization_id: String,
    what: PreviewOf,
) -> Result<Vec<u8>, ApiError> {
    let issuance = state.issuance.clone();
    Ok(web::block(move || preview_named(&issuance, &organization_id, &what)).await??)
}

#[derive(Deserialize)]
pub struct PreviewQuery {
    language: Option<String>,
    award: Option<String>,
    format: Option<String>,
    dpi: Option<u32>,
    version: Option<i32>,
    competition: Option<String>,
    entry: Option<String>,
}

impl PreviewQuery {
    /// What to render and how to answer, checked.
    pub(super) fn parse(self, design: String) -> Result<(PreviewOf, Format), ApiError> {
        let what = PreviewOf {
            design,
            version: self.version,
            language: language(self.language.as_deref())?,
            award: award(self.award.as_deref())?,
            competition: self.competition.filter(|c| !c.is_empty()),
            entry: self.entry.filter(|e| !e.is_empty()),
        };
        Ok((what, format(self.format.as_deref(), self.dpi)?))
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/designs/{name}/preview",
    tag = "designs",
    operation_id = "design_preview_show",
    summary = "Renders a built-in or own design with sample data or a real row as a PDF, or a PNG of it. Nothing is reserved or signed: the serial and code are samples.",
    params(
        ("name" = String, Path, description = "a built-in design's name or one of the organization's own"),
        ("language" = Option<String>, Query, description = "the paper's language; the competition's when a competition is given, else ru (one of `kk`, `ru`, `en`)"),
        ("award" = Option<String>, Query, description = "award of the sample data (degree_1 by default); a real row keeps its own"),
        ("competition" = Option<String>, Query, description = "fill with a real row of this competition of the organization: its first row unless `entry` names one"),
        ("entry" = Option<String>, Query),
        ("version" = Option<i64>, Query, description = "an own design's version; the latest by default"),
        ("format" = Option<String>, Query, description = "png: the page rasterized by poppler's pdftoppm (one of `pdf`, `png`)"),
        ("dpi" = Option<i64>, Query, description = "PNG resolution, 100 by default", minimum = 20, maximum = 300),
    ),
    responses(
        (status = 200, description = "the preview", content(("application/pdf"), ("image/png"))),
        (status = 400, description = "a parameter is not valid"),
        (status = 404, description = "no such design or competition"),
        (status = 422, description = "the design names pictures not uploaded, or the entry is not the competition's"),
        (status = 501, description = "PNG asked for but pdftoppm is not installed on the server"),
    ),
    security(("bearer" = [])),
)]
/// `GET /designs/{name}/preview?language=&award=&competition=&entry=&version=&format=png`.
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    name: web::Path<String>,
    query: web::Query<PreviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let (what, format) = query.into_inner().parse(name.into_inner())?;
    let pdf = named_pdf(&state, organizer.organization_id, what).await?;
    answer(pdf, format).await
}
