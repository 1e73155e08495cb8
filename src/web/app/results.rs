//! The results pages: a file is uploaded and shown as it will be read, with its problems in the
//! organizer's language, its repeats to keep or drop row by row and its unknown award words to map
//! once for the organization; then imported through the same service as the API.

use std::collections::{BTreeSet, HashMap};

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::account::see_other;
use super::organizer::{competition_view, detail_with_error, keep_upload, owned, uploads_dir};
use super::session::{signed_in, CheckedForm, Member};
use super::upload::read_multipart;
use super::view::{page, page_lang};
use crate::domain::award::AwardWord;
use crate::domain::{Award, Competition};
use crate::i18n::{Lang, Message};
use crate::intake::{AwardChoice, ColumnMapping, Field, RepeatKind, RowError};
use crate::results::ImportMode;
use crate::web::competitions::store_results;
use crate::web::results::read_with_words;
use crate::web::{ApiError, AppState};

const PREVIEW_ROWS: usize = 50;

/// The file is read and shown, not stored as entries: it waits in the data folder for "import".
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    let upload = read_multipart(multipart, state.settings.max_upload_bytes).await?;
    member.visitor.check_csrf(upload.csrf.as_deref())?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let upload_id = uuid::Uuid::new_v4().simple().to_string();
    let dir = uploads_dir(&state, &organizer.organization_id);
    let (file, target) = (upload.file, dir.join(&upload_id));
    web::block(move || keep_upload(&dir, &target, &file))
        .await?
        .map_err(ApiError::internal)?;
    show(
        &req,
        &state,
        &member,
        &competition,
        &upload_id,
        upload.replace,
        None,
    )
    .await
}

/// Which column is which, as the page's column form or a link says it: `col_3=award` for the
/// fourth column, `name_column=B` (a letter, number or header) when no header names the
/// participant, or `columns` as the API's JSON. Returns the JSON that carries it on.
fn column_choice(query: &HashMap<String, String>) -> Option<String> {
    let mut pairs: HashMap<String, String> = query
        .get("columns")
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    for (key, field) in query {
        let Some(index) = key.strip_prefix("col_").and_then(|i| i.parse::<usize>().ok()) else {
            continue;
        };
        if Field::from_label(field).is_some() {
            pairs.insert(field.clone(), (index + 1).to_string());
        }
    }
    if let Some(name) = query.get("name_column").filter(|n| !n.trim().is_empty()) {
        pairs.insert("name".into(), name.trim().to_string());
    }
    (!pairs.is_empty()).then(|| serde_json::to_string(&pairs).unwrap_or_default())
}

fn column_mapping(json: Option<&str>) -> Result<ColumnMapping, ApiError> {
    let pairs: HashMap<String, String> = match json {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| crate::web::competitions::invalid("columns", e.to_string()))?,
        None => HashMap::new(),
    };
    ColumnMapping::parse(pairs).map_err(|e| crate::web::competitions::invalid("columns", e.to_string()))
}

/// A file uploaded before, shown again: after an award word was mapped, or with the columns the
/// organizer said.
pub async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, upload) = path.into_inner();
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, competition_id).await?;
    let upload_id = upload_name(&upload)?;
    let replace = query.get("mode").map(String::as_str) == Some("replace");
    let columns = column_choice(&query);
    show(&req, &state, &member, &competition, &upload_id, replace, columns).await
}

/// The name is ours (a UUID) and the folder the organization's: nothing else can be read.
pub(super) fn upload_name(text: &str) -> Result<String, ApiError> {
    Ok(uuid::Uuid::parse_str(text)
        .map_err(|_| ApiError::NotFound)?
        .simple()
        .to_string())
}

pub(super) async fn read_saved(
    state: &AppState,
    organization_id: &str,
    upload_id: &str,
) -> Result<Vec<u8>, ApiError> {
    let file = uploads_dir(state, organization_id).join(upload_id);
    web::block(move || std::fs::read(file))
        .await?
        .map_err(|_| ApiError::NotFound)
}

/// A problem as the page shows it: the column by the name the organizer knows it by.
fn error_view(error: &RowError, lang: Lang) -> minijinja::Value {
    let column = error
        .column
        .as_deref()
        .map(|c| Field::from_label(c).map_or(c.to_string(), |f| f.title(lang).to_string()));
    context! { row => error.row, column => column, message => error.message.text(lang) }
}

/// The awards a word can be mapped to, by their titles in the page's language.
fn award_choices(lang: Lang) -> Vec<minijinja::Value> {
    Award::ALL
        .into_iter()
        .filter(|a| a.is_entry_award())
        .map(|a| context! { code => a.code(), title => a.title(lang) })
        .collect()
}

async fn show(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition: &Competition,
    upload_id: &str,
    replace: bool,
    columns: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (lang, _) = page_lang(req);
    let bytes = read_saved(state, &organizer.organization_id, upload_id).await?;
    let mapping = column_mapping(columns.as_deref())?;
    let reading = match read_with_words(state, &organizer.organization_id, bytes, mapping).await {
        Ok(reading) => reading,
        Err(ApiError::InvalidResults(errors)) => {
            // The header was not found: the page asks which column holds the participant.
            let errors: Vec<_> = errors.iter().map(|e| error_view(e, lang)).collect();
            return page(
                req,
                &member.visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                "preview.html",
                context! {
                    competition => competition_view(competition, lang), errors => errors,
                    rows => Vec::<String>::new(), total_rows => 0, ask_name => true,
                    upload_id => upload_id, replace => replace,
                },
            );
        }
        Err(e) => return Err(e),
    };
    let field_of: HashMap<usize, &'static str> = reading
        .columns
        .iter()
        .map(|c| (c.index, c.field.label()))
        .collect();
    let header: Vec<_> = reading
        .header
        .iter()
        .enumerate()
        .map(|(index, title)| {
            context! {
                index => index,
                letter => crate::intake::column_letter(index),
                title => title.clone(),
                field => field_of.get(&index).copied().unwrap_or(""),
            }
        })
        .collect();
    let fields: Vec<_> = Field::ALL
        .into_iter()
        .map(|f| context! { label => f.label(), title => f.title(lang) })
        .collect();
    let paper_lang = competition.details.language;
    // Unknown words are mapped in their own section: the error table lists the rest.
    let errors: Vec<_> = reading
        .errors
        .iter()
        .filter(|e| !matches!(e.message, Message::UnknownAward(_)))
        .map(|e| error_view(e, lang))
        .collect();
    let unknown: Vec<_> = reading
        .unknown_awards
        .iter()
        .map(|u| {
            context! {
                text => u.text.clone(),
                rows => u.rows,
                first_row => u.first_row,
                title => crate::domain::award::normalize_title(&u.text),
            }
        })
        .collect();
    let warnings: Vec<_> = reading
        .warnings
        .iter()
        .map(|w| {
            let message = match w.kind {
                RepeatKind::Repeat => Message::DuplicateEntry(w.first_row),
                RepeatKind::SamePerson => Message::SamePerson(w.first_row),
            };
            context! { row => w.row, first_row => w.first_row, message => message.text(lang) }
        })
        .collect();
    let rows: Vec<_> = reading
        .drafts
        .iter()
        .take(PREVIEW_ROWS)
        .map(|d| {
            context! {
                row => d.source_row,
                name => d.holder.as_str(),
                organization => d.school.clone(),
                region => d.region.clone(),
                nomination => d.nomination.clone(),
                award => d.award_title.clone().unwrap_or_else(|| d.award.title(paper_lang)),
                category => d.award.title(lang),
                attended => d.attended.map(|a| crate::export::attended_word(a, lang)),
            }
        })
        .collect();
    // A seminar's attendance column, shown when the file has one.
    let attendance = reading.drafts.iter().any(|d| d.attended.is_some());
    page(
        req,
        &member.visitor,
        StatusCode::OK,
        "preview.html",
        context! {
            competition => competition_view(competition, lang),
            upload_id => upload_id,
            replace => replace,
            rows => rows,
            attendance => attendance,
            total_rows => reading.rows,
            good_rows => reading.drafts.len(),
            errors => errors,
            unknown => unknown,
            award_choices => award_choices(lang),
            warnings => warnings,
            encoding => reading.source.encoding,
            format => reading.source.format,
            header_row => reading.header_row,
            header => header,
            fields => fields,
            columns => columns,
        },
    )
}

#[derive(Deserialize)]
pub struct WordForm {
    upload: String,
    mode: Option<String>,
    columns: Option<String>,
    text: String,
    award: String,
    title: Option<String>,
}

/// Maps an unknown award word for the organization, then shows the file again.
pub async fn map_word(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<WordForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let upload_id = upload_name(&form.upload)?;
    let word: AwardWord = AwardChoice::Titled {
        award: form.award,
        title: form.title,
    }
    .into_word()
    .map_err(|e| {
        ApiError::Invalid(Message::InvalidField {
            field: "award",
            reason: e.to_string(),
        })
    })?;
    let text = form.text;
    if text.trim().is_empty() {
        return Err(ApiError::Invalid(Message::InvalidField {
            field: "text",
            reason: "not empty".into(),
        }));
    }
    let org = organizer.organization_id.clone();
    state
        .db
        .run(move |conn| crate::results::remember_word(conn, &org, &text, &word))
        .await?;
    let mut query: Vec<(&str, String)> = Vec::new();
    if form.mode.as_deref() == Some("replace") {
        query.push(("mode", "replace".into()));
    }
    if let Some(columns) = form.columns.filter(|c| !c.is_empty()) {
        query.push(("columns", columns));
    }
    let query = serde_urlencoded::to_string(&query).unwrap_or_default();
    Ok(see_other(&format!(
        "/app/competitions/{}/uploads/{upload_id}?{query}",
        competition.id
    )))
}

#[derive(Deserialize)]
pub struct ImportForm {
    upload: String,
    mode: Option<String>,
    /// The columns the organizer said, as the API's JSON.
    columns: Option<String>,
    /// `row_17 = drop` for each repeat the organizer drops; the others are kept.
    #[serde(flatten)]
    decisions: HashMap<String, String>,
}

pub async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<ImportForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let upload_id = upload_name(&form.upload)?;
    let drop: BTreeSet<usize> = form
        .decisions
        .iter()
        .filter(|(_, decision)| decision.as_str() == "drop")
        .filter_map(|(key, _)| key.strip_prefix("row_")?.parse().ok())
        .collect();
    let mode = if form.mode.as_deref() == Some("replace") {
        ImportMode::Replace
    } else {
        ImportMode::Merge
    };
    let bytes = read_saved(&state, &organizer.organization_id, &upload_id).await?;
    let result = async {
        let mapping = column_mapping(form.columns.as_deref())?;
        let reading = read_with_words(&state, &organizer.organization_id, bytes, mapping).await?;
        let drafts = reading.into_drafts_dropping(&drop)?;
        store_results(&state, competition.id.clone(), drafts, mode).await
    }
    .await;
    match result {
        Ok(summary) => {
            let file = uploads_dir(&state, &organizer.organization_id).join(&upload_id);
            let _ = web::block(move || std::fs::remove_file(file)).await;
            Ok(see_other(&format!(
                "/app/competitions/{}?done=imported&n={}&added={}&updated={}&unchanged={}",
                competition.id, summary.imported, summary.added, summary.updated, summary.unchanged
            )))
        }
        Err(e @ (ApiError::Conflict(_) | ApiError::InvalidResults(_))) => {
            detail_with_error(&req, &state, &member, competition, e).await
        }
        Err(e) => Err(e),
    }
}
