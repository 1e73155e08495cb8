//! `GET /api/v1/reports?period=2025-h1` (or `?from=…&to=…`): the organization's figures for a
//! period as JSON with the paragraph in kk/ru/en; `reports.xlsx` and `reports.csv` the same as files.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::auth::Organizer;
use super::lang::request_lang;
use super::{ApiError, AppState};
use crate::domain::time::{parse_date, today};
use crate::i18n::{Lang, Message};
use crate::reports::{self, labels, Period, Report};

#[derive(Deserialize)]
pub struct PeriodQuery {
    /// One department's report (`GET /api/v1/departments`); without it, the whole organization's.
    pub department: Option<String>,
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl PeriodQuery {
    /// The period asked for; without one, the current half-year.
    pub fn period(&self) -> Result<Period, ApiError> {
        let invalid = |reason: &str| {
            ApiError::Invalid(Message::InvalidField {
                field: "period",
                reason: reason.into(),
            })
        };
        match (&self.period, &self.from, &self.to) {
            (Some(text), None, None) => Period::parse(text)
                .ok_or_else(|| invalid("2025-q1…q4, 2025-h1 or h2, 2025, or 2025-2026 (academic year)")),
            (None, Some(from), Some(to)) => parse_date(from)
                .zip(parse_date(to))
                .and_then(|(from, to)| Period::between(from, to))
                .ok_or_else(|| invalid("from and to as YYYY-MM-DD, from not after to")),
            (None, None, None) => {
                let now = today();
                let half = if u8::from(now.month()) <= 6 { 1 } else { 2 };
                Period::parse(&format!("{}-h{half}", now.year())).ok_or_else(|| invalid("a period"))
            }
            _ => Err(invalid("either period, or from and to")),
        }
    }
}

/// The report of the organization (or one department) for the period, on the blocking pool.
pub async fn build(
    state: &AppState,
    organization_id: String,
    period: Period,
    department: Option<String>,
) -> Result<Report, ApiError> {
    let department = department.filter(|d| !d.is_empty());
    Ok(state
        .db
        .run_pooled(move |db| reports::report(db, &organization_id, period, department.as_deref()))
        .await?)
}

#[utoipa::path(
    get,
    path = "/api/v1/reports",
    tag = "reports",
    operation_id = "reports_show",
    summary = "The organization's figures for a period: events by kind and audience (finished vs results pending), participations and distinct persons (a child in three competitions is one person; a team of 12 is one team and 12 participants), winners (Grand Prix, winners and prize-winners) and entries by award category, documents by kind with deliveries and QR scans, courses with listeners, hours and certificates, breakdowns by kind, audience, direction, language, level, region, city/village, organization (top 20) and age group, the previous period's totals, and a paragraph to paste into the report in kk/ru/en. A competition counts in the period its end date (else start date, else creation day) falls in.",
    params(
        ("period" = Option<String>, Query, description = "2025-q1…q4, 2025-h1 or h2, 2025, or 2025-2026 (the academic year from 1 September); without it, the current half-year"),
        ("from" = Option<String>, Query, description = "with `to`, any two dates (YYYY-MM-DD) instead of `period`"),
        ("to" = Option<String>, Query),
        ("department" = Option<String>, Query, description = "one department's report; without it, the whole organization's"),
    ),
    responses(
        (status = 200, description = "the report", content((Object = "application/json"))),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = query.period()?;
    let report = build(
        &state,
        organizer.organization_id,
        period,
        query.department.clone(),
    )
    .await?;
    let paragraphs: serde_json::Map<String, serde_json::Value> = Lang::ALL
        .into_iter()
        .map(|lang| {
            (
                lang.code().to_string(),
                reports::paragraph(&report, &period, lang).into(),
            )
        })
        .collect();
    let mut body = serde_json::to_value(&report).map_err(ApiError::internal)?;
    body["label"] = Lang::ALL
        .into_iter()
        .map(|lang| (lang.code().to_string(), period.label(lang).into()))
        .collect::<serde_json::Map<_, _>>()
        .into();
    body["paragraph"] = paragraphs.into();
    Ok(HttpResponse::Ok().json(body))
}

#[utoipa::path(
    get,
    path = "/api/v1/reports.{format}",
    tag = "reports",
    operation_id = "reports_file",
    summary = "The same report as `xlsx` (a summary sheet and a sheet per breakdown, each with a native bar chart) or `csv` (a line per breakdown row), in the language of Accept-Language / ?lang=.",
    params(
        ("format" = String, Path, description = "(one of `xlsx`, `csv`)"),
        ("period" = Option<String>, Query, description = "2025-q1…q4, 2025-h1 or h2, 2025, or 2025-2026 (the academic year from 1 September); without it, the current half-year"),
        ("from" = Option<String>, Query, description = "with `to`, any two dates (YYYY-MM-DD) instead of `period`"),
        ("to" = Option<String>, Query),
        ("department" = Option<String>, Query, description = "one department's report; without it, the whole organization's"),
    ),
    responses(
        (status = 200, description = "the file"),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The report as `reports.xlsx` (a sheet per breakdown with a chart) or `reports.csv`.
pub async fn file(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = query.period()?;
    let lang = request_lang(&req);
    report_file(
        &state,
        organizer.organization_id,
        period,
        query.department.clone(),
        &path.into_inner(),
        lang,
    )
    .await
}

/// The report file, for the API and the pages.
pub(super) async fn report_file(
    state: &AppState,
    organization_id: String,
    period: Period,
    department: Option<String>,
    extension: &str,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let report = build(state, organization_id, period, department).await?;
    let breakdown = |name: &str| labels::breakdown(name, lang);
    let value = |name: &str, key: &str| labels::value(name, key, lang);
    let (bytes, content_type) = match extension {
        "xlsx" => {
            let summary: Vec<(String, i64)> = labels::summary(lang)
                .iter()
                .map(|s| s.to_string())
                .zip(labels::summary_values(&report))
                .collect();
            let bytes = crate::export::report_xlsx(&report, &summary, &breakdown, &value, lang)
                .map_err(ApiError::internal)?;
            (
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        }
        "csv" => (
            crate::export::report_csv(&report, &breakdown, &value, lang),
            "text/csv; charset=utf-8",
        ),
        _ => return Err(ApiError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"report-{}-{}.{extension}\"",
                report.from, report.to
            ),
        ))
        .body(bytes))
}
