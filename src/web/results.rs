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

/// Reads a file with the award words the organization mapped before and the columns the
/// organizer said (the results page; a stage's winners table with the columns guessed).
pub(crate) async fn read_with_words(
    state: &AppState,
    organization_id: &str,
    bytes: Vec<u8>,
    columns: ColumnMapping,
) -> Result<Reading, ApiError> {
    let org = organization_id.to_string();
    let awards = state
        .db
        .run(move |conn| crate::results::remembered_words(conn, &org))
        .await?;
    let options = IntakeOptions {
        limits: IntakeLimits {
            max_rows: state.settings.max_rows,
            ..IntakeLimits::default()
        },
        columns,
        awards,
    };
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

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/results/preview",
    tag = "results",
    operation_id = "results_preview",
    summary = "Show how a results file will be read, storing nothing. Same body and parameters as the upload (without `mode`). 200 even when rows have problems (`ok` false, all problems in `errors`); 422 only when the file cannot be read at all.",
    params(
        ("id" = String, Path),
        ("columns" = Option<String>, Query, description = r#"JSON object field → column, when headers are not recognized. Fields: name, organization, region, settlement_type, supervisor, nomination, age_group, email, award, team_members, supervisor_email. A column is named by its header text (compared case-insensitively), else by its letter (`C`) or 1-based number (`3`). Example: `{"name":"Участник","award":"E"}`."#),
        ("awards" = Option<String>, Query, description = r#"JSON object award text → award code (grand_prix, place_1..place_3, degree_1..degree_3, laureate, participant), tried before the built-in reading of award texts. Example: `{"Призёр":"place_2"}`."#),
    ),
    request_body(content((String = "text/csv"), (inline(crate::web::openapi::Binary) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (inline(crate::web::openapi::Binary) = "application/octet-stream"))),
    responses(
        (status = 200, description = "the reading. object {`ok` boolean: true when an upload of this file would be accepted; `format` (`csv`, `xlsx`); `encoding` string/null (`utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `windows-1251`, `None`); `delimiter` string/null; `sheet` string/null; `header_row` integer: 1-based, as the spreadsheet shows it; `columns` array of object {`field` string; `column` string: the column letter; `header` string}; `rows` array: the first 20 good rows of object {`row` integer; `name` string; `award` string}; `total_rows` integer: data rows read, good or bad; `errors` array of object {`row` integer; `column` string/null; `message` string}; `warnings` array of `RowWarning`; `unknown_awards` array: each award word the reader does not know, once, with how many rows use it of object {`text` string; `rows` integer; `first_row` integer}}", content((Object = "application/json"))),
        (status = 413, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 422, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 400, description = "a `columns` or `awards` parameter is not valid", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/results.{format}",
    tag = "results",
    operation_id = "results_export",
    summary = "The competition's entries with award titles as a file: `csv` or `xlsx`",
    description = "`csv`: The competition's entries with award titles as CSV (headers and titles in the request's language; cells starting with = + - @ are prefixed with ' so no formula runs). The file can be uploaded again. UTF-8 with BOM, `;`-delimited.

`xlsx`: The competition's entries with award titles as XLSX (headers and titles in the request's language; cells starting with = + - @ are prefixed with ' so no formula runs). The file can be uploaded again.",
    params(
        ("format" = String, Path, description = "(one of `csv`, `xlsx`)"),
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "the file", content((inline(crate::web::openapi::Binary) = "text/csv"), (inline(crate::web::openapi::Binary) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    get,
    path = "/api/v1/award-words",
    tag = "results",
    operation_id = "results_award_words",
    summary = "The award words the organization mapped (remembered for every upload of its results files).",
    responses(
        (status = 200, description = "words. array of object {`text` string; `award` string; `title` string; `updated_at` string}", content((Object = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The award words the organization mapped: `[{text, award, title, updated_at}]`.
pub async fn award_words(state: web::Data<AppState>, organizer: Organizer) -> Result<HttpResponse, ApiError> {
    let words = state
        .db
        .run(move |conn| db::award_words::list(conn, &organizer.organization_id))
        .await?;
    let words: Vec<_> = words.into_iter().map(|(_, word)| word).collect();
    Ok(HttpResponse::Ok().json(words))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AwardWordBody {
    text: String,
    award: String,
    title: Option<String>,
}

#[utoipa::path(
    put,
    path = "/api/v1/award-words",
    tag = "results",
    operation_id = "results_remember_award_word",
    summary = "Remembers what an award word means for the organization: its category (an award code) and, optionally, the title the paper prints.",
    request_body(content((AwardWordBody = "application/json"))),
    responses(
        (status = 200, description = "remembered. object {`text` string; `award` string; `title` string; `updated_at` string}", content((Object = "application/json"))),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    delete,
    path = "/api/v1/award-words/{text}",
    tag = "results",
    operation_id = "results_forget_award_word",
    summary = "Forgets a remembered award word.",
    params(
        ("text" = String, Path),
    ),
    responses(
        (status = 204, description = "forgotten"),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
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
