//! Results files: preview before upload, and export. The upload itself is in `competitions`.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::body::read_limited;
use super::documents::exported;
use super::lang::request_lang;
use super::{ApiError, AppState};
use crate::db;
use crate::domain::EntryDraft;
use crate::export;
use crate::i18n::Message;
use crate::intake::{self, AwardChoice, AwardMapping, ColumnMapping, IntakeLimits, IntakeOptions, Reading};

/// Rows a preview shows; the errors are shown in full.
const PREVIEW_ROWS: usize = 20;

/// `?columns={"name":"Участник","award":"E"}&awards={"Победитель":"place_1"}`, both JSON objects.
#[derive(Deserialize)]
pub struct MappingQuery {
    columns: Option<String>,
    awards: Option<String>,
}

impl MappingQuery {
    pub fn options(&self, limits: IntakeLimits) -> Result<IntakeOptions, ApiError> {
        let object =
            |field: &'static str, json: &Option<String>| -> Result<HashMap<String, String>, ApiError> {
                json.as_deref().map_or(Ok(HashMap::new()), |json| {
                    serde_json::from_str(json).map_err(|e| invalid(field, e.to_string()))
                })
            };
        Ok(IntakeOptions {
            limits,
            columns: ColumnMapping::parse(object("columns", &self.columns)?)
                .map_err(|e| invalid("columns", e.to_string()))?,
            awards: AwardMapping::parse(choices(&self.awards)?)
                .map_err(|e| invalid("awards", e.to_string()))?,
        })
    }
}

/// `awards` maps a text to a code (`"place_1"`) or to a code with the title to print.
fn choices(json: &Option<String>) -> Result<HashMap<String, AwardChoice>, ApiError> {
    json.as_deref().map_or(Ok(HashMap::new()), |json| {
        serde_json::from_str(json).map_err(|e| invalid("awards", e.to_string()))
    })
}

fn invalid(field: &'static str, reason: String) -> ApiError {
    ApiError::Invalid(Message::InvalidField { field, reason })
}

/// Checks the competition is the organizer's, then reads the body as a results file.
pub async fn read_upload(
    req: &HttpRequest,
    state: &AppState,
    organizer: &Organizer,
    competition_id: &str,
    mapping: &MappingQuery,
    payload: web::Payload,
) -> Result<Reading, ApiError> {
    let org = organizer.organization_id.clone();
    let id = competition_id.to_string();
    let remembered = state
        .db
        .run(move |conn| {
            db::competitions::find_owned(conn, &org, &id)?;
            crate::results::remembered_words(conn, &org)
        })
        .await?;
    let mut options = mapping.options(IntakeLimits {
        max_rows: state.settings.max_rows,
        ..IntakeLimits::default()
    })?;
    // What the request says wins over what the organization said before.
    options.awards = options.awards.or(remembered);
    let bytes = read_limited(req, payload, state.settings.max_upload_bytes).await?;
    read_results(bytes, options).await
}

/// Reads a results file off the async executor; the caller checked the competition is theirs.
pub(super) async fn read_results(bytes: Vec<u8>, options: IntakeOptions) -> Result<Reading, ApiError> {
    Ok(web::block(move || intake::read(&bytes, &options)).await??)
}

#[derive(Serialize)]
struct RowView<'a> {
    row: usize,
    name: &'a str,
    team_members: &'a [String],
    organization: &'a Option<String>,
    region: &'a Option<String>,
    settlement_type: Option<&'static str>,
    supervisor: &'a Option<String>,
    nomination: &'a Option<String>,
    age_group: &'a Option<String>,
    email: &'a Option<String>,
    supervisor_email: &'a Option<String>,
    award: String,
    award_category: crate::domain::award::AwardCategory,
    /// The organizer's words for the award, when the paper prints them instead of the category's.
    award_title: &'a Option<String>,
}

impl<'a> From<&'a EntryDraft> for RowView<'a> {
    fn from(d: &'a EntryDraft) -> Self {
        RowView {
            row: d.source_row,
            name: d.holder.as_str(),
            team_members: &d.team_members,
            organization: &d.school,
            region: &d.region,
            settlement_type: d.settlement_type.map(|s| s.as_str()),
            supervisor: &d.supervisor,
            nomination: &d.nomination,
            age_group: &d.age_group,
            email: &d.email,
            supervisor_email: &d.supervisor_email,
            award: d.award.code(),
            award_category: d.award.category(),
            award_title: &d.award_title,
        }
    }
}

/// How the file will be read, stored nowhere. A file with bad rows is still a preview (200, `ok`
/// false); only a file that cannot be read at all is refused as an upload would be.
pub async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    mapping: web::Query<MappingQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let reading = read_upload(&req, &state, &organizer, &path, &mapping, payload).await?;
    let lang = request_lang(&req);
    let rows: Vec<RowView> = reading
        .drafts
        .iter()
        .take(PREVIEW_ROWS)
        .map(RowView::from)
        .collect();
    let errors: Vec<_> = reading.errors.iter().map(|e| e.localized(lang)).collect();
    let warnings: Vec<_> = reading
        .warnings
        .iter()
        .map(|w| super::competitions::warning_json(w, lang))
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "ok": errors.is_empty() && !reading.drafts.is_empty(),
        "format": reading.source.format,
        "encoding": reading.source.encoding,
        "delimiter": reading.source.delimiter,
        "sheet": reading.source.sheet,
        "header_row": reading.header_row,
        "columns": reading.columns,
        "rows": rows,
        "total_rows": reading.rows,
        "errors": errors,
        "warnings": warnings,
        "unknown_awards": reading.unknown_awards,
    })))
}

/// `results.csv` or `results.xlsx`.
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, extension) = path.into_inner();
    let format = ExportFormat::from_extension(&extension)?;
    let entries = state
        .db
        .run(move |conn| {
            exported(conn, &organizer, &competition_id, &format!("results.{extension}"))?;
            db::entries::list(conn, &competition_id)
        })
        .await?;
    download(
        &export::results_table(&entries, request_lang(&req)),
        format,
        "results",
    )
}

pub(super) enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub(super) fn from_extension(extension: &str) -> Result<ExportFormat, ApiError> {
        match extension {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            _ => Err(ApiError::NotFound),
        }
    }
}

/// A table as a file to save: `name.csv` or `name.xlsx`.
pub(super) fn download(
    table: &export::Table,
    format: ExportFormat,
    name: &str,
) -> Result<HttpResponse, ApiError> {
    let (bytes, content_type, extension) = match format {
        ExportFormat::Csv => (export::to_csv(table), "text/csv; charset=utf-8", "csv"),
        ExportFormat::Xlsx => (
            export::to_xlsx(table),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let bytes = bytes.map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.{extension}\""),
        ))
        .body(bytes))
}

/// The award words the organization mapped: `[{text, award, title, updated_at}]`.
pub async fn award_words(state: web::Data<AppState>, organizer: Organizer) -> Result<HttpResponse, ApiError> {
    let words = state
        .db
        .run(move |conn| db::award_words::list(conn, &organizer.organization_id))
        .await?;
    let words: Vec<_> = words.into_iter().map(|(_, word)| word).collect();
    Ok(HttpResponse::Ok().json(words))
}

#[derive(Deserialize)]
pub struct AwardWordBody {
    text: String,
    award: String,
    title: Option<String>,
}

/// `PUT {text, award, title}`: what a word means from now on, for every later upload.
pub async fn remember_award_word(
    state: web::Data<AppState>,
    organizer: Organizer,
    body: web::Json<AwardWordBody>,
) -> Result<HttpResponse, ApiError> {
    let AwardWordBody { text, award, title } = body.into_inner();
    let text = crate::domain::entry::normalize_text(&text);
    if text.is_empty() || text.chars().count() > 200 {
        return Err(invalid("text", "1 to 200 characters".into()));
    }
    let word = AwardChoice::Titled { award, title }
        .into_word()
        .map_err(|e| invalid("award", e.to_string()))?;
    let reply = serde_json::json!({"text": &text, "award": word.award.code(), "title": &word.title});
    state
        .db
        .run(move |conn| crate::results::remember_word(conn, &organizer.organization_id, &text, &word))
        .await?;
    Ok(HttpResponse::Ok().json(reply))
}

pub async fn forget_award_word(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = intake::award_key(&path.into_inner());
    let forgotten = state
        .db
        .run(move |conn| db::award_words::forget(conn, &organizer.organization_id, &key))
        .await?;
    if forgotten {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound)
    }
}
