use std::collections::BTreeSet;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::lang::request_lang;
use super::results::{read_upload, MappingQuery};
use super::{ApiError, AppState};
use crate::competitions;
use crate::db;
use crate::domain::competition::{Audience, Direction, Level, Signer, Titles, MAX_HOURS};
use crate::domain::time::{format_date, parse_date};
use crate::domain::{Competition, CompetitionId, CompetitionKind, NewCompetition, OrgId};
use crate::i18n::{Lang, Message};
use crate::intake::{RepeatKind, RowWarning};
use crate::issuance::render::DEFAULT_DESIGN;
use crate::results::{ImportMode, ImportSummary};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewCompetition)]
pub struct CreateCompetition {
    title: String,
    #[serde(default)]
    titles: Titles,
    kind: Option<CompetitionKind>,
    /// children, teachers, teams or mixed: how reports count the event.
    audience: Option<Audience>,
    /// The id of the organization's department that runs it (`GET /api/v1/departments`).
    department: Option<String>,
    direction: Option<Direction>,
    level: Option<Level>,
    #[schema(format = Date)]
    starts_on: Option<String>,
    /// the date printed on the papers; the day of issue when absent
    #[schema(format = Date)]
    ends_on: Option<String>,
    city: Option<String>,
    language: Option<Lang>,
    design: Option<String>,
    /// course certificates: papers verify as expired after this date
    #[schema(format = Date)]
    valid_until: Option<String>,
    /// id of the competition whose winners advance into this one
    previous_stage: Option<String>,
    /// a course's academic hours, printed on its course certificates; a results column "Часы" / "Сағат" / "Hours" gives a row its own
    #[schema(minimum = 1, maximum = 2000)]
    hours: Option<u32>,
    /// an issue run also gives every supervisor named in the results one letter of gratitude naming all their pupils
    letters: Option<bool>,
    /// who signs this competition's papers instead of the organization's head (a deputy, the jury's chair); omitted: the head
    signer_name: Option<String>,
    /// the signer's title, printed in place of «Директор»; only with signer_name
    signer_title: Option<String>,
}

pub(super) fn invalid(field: &'static str, reason: impl Into<String>) -> ApiError {
    ApiError::Invalid(Message::InvalidField {
        field,
        reason: reason.into(),
    })
}

impl CreateCompetition {
    /// What a page's form leaves out (the design, chosen in its own card; the titles in other
    /// languages; the letters switch) kept as the competition has it.
    pub(super) fn keeping(mut self, current: &Competition) -> CreateCompetition {
        let d = &current.details;
        self.design = self.design.or_else(|| Some(d.design.clone()));
        if self.titles == Titles::default() {
            self.titles = d.titles.clone();
        }
        self.letters = self.letters.or(Some(d.letters));
        self
    }

    /// The competition as described, its fields checked; whether its department and design are
    /// the organization's to use is the service's check (`competitions::create`).
    pub(super) fn parse(self) -> Result<NewCompetition, ApiError> {
        let clean = |s: String| crate::domain::entry::normalize_text(&s);
        let title = clean(self.title);
        if title.is_empty() || title.chars().count() > 500 {
            return Err(invalid("title", "1–500 characters"));
        }
        let date = |field: &'static str, value: Option<String>| {
            value
                .map(|v| parse_date(&v).ok_or_else(|| invalid(field, "YYYY-MM-DD")))
                .transpose()
        };
        let starts_on = date("starts_on", self.starts_on)?;
        let ends_on = date("ends_on", self.ends_on)?;
        let valid_until = date("valid_until", self.valid_until)?;
        if let (Some(start), Some(end)) = (starts_on, ends_on) {
            if end < start {
                return Err(invalid("ends_on", "not before starts_on"));
            }
        }
        if self.hours.is_some_and(|h| h == 0 || h > MAX_HOURS) {
            return Err(invalid("hours", format!("1–{MAX_HOURS}")));
        }
        let signer = |field: &'static str, value: Option<String>| {
            let value = value.map(clean).filter(|v| !v.is_empty());
            match value {
                Some(v) if v.chars().count() > crate::profile::MAX_PROFILE_CHARS => Err(invalid(
                    field,
                    format!("at most {} characters", crate::profile::MAX_PROFILE_CHARS),
                )),
                value => Ok(value),
            }
        };
        let signer_name = signer("signer_name", self.signer_name)?;
        let signer_title = signer("signer_title", self.signer_title)?;
        if signer_title.is_some() && signer_name.is_none() {
            return Err(invalid("signer_name", "the signer's name with their title"));
        }
        let design = self.design.unwrap_or_else(|| DEFAULT_DESIGN.into());
        Ok(NewCompetition {
            title,
            titles: Titles {
                kk: self.titles.kk.map(clean).filter(|t| !t.is_empty()),
                ru: self.titles.ru.map(clean).filter(|t| !t.is_empty()),
                en: self.titles.en.map(clean).filter(|t| !t.is_empty()),
            },
            kind: self.kind.unwrap_or(CompetitionKind::Competition),
            audience: self.audience,
            department: self.department.filter(|d| !d.is_empty()),
            direction: self.direction,
            level: self.level,
            starts_on,
            ends_on,
            city: self.city.map(clean).filter(|c| !c.is_empty()),
            language: self.language.unwrap_or_default(),
            design,
            valid_until,
            previous_stage: self.previous_stage,
            hours: self.hours,
            letters: self.letters.unwrap_or(true),
            signer: Signer {
                name: signer_name,
                title: signer_title,
            },
        })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Competition)]
pub struct CompetitionView {
    id: String,
    title: String,
    titles: Titles,
    #[schema(value_type = crate::domain::CompetitionKind)]
    kind: &'static str,
    #[schema(value_type = Option<crate::domain::competition::Audience>)]
    audience: Option<&'static str>,
    department: Option<String>,
    #[schema(value_type = Option<crate::domain::competition::Direction>)]
    direction: Option<&'static str>,
    #[schema(value_type = Option<crate::domain::competition::Level>)]
    level: Option<&'static str>,
    starts_on: Option<String>,
    ends_on: Option<String>,
    city: Option<String>,
    language: Lang,
    design: String,
    valid_until: Option<String>,
    previous_stage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<u32>,
    letters: bool,
    /// who signs this competition's papers instead of the organization's head (a deputy, the jury's chair); omitted: the head
    #[serde(skip_serializing_if = "Option::is_none")]
    signer_name: Option<String>,
    /// the signer's title, printed in place of «Директор»; only with signer_name
    #[serde(skip_serializing_if = "Option::is_none")]
    signer_title: Option<String>,
    #[schema(value_type = crate::domain::competition::CompetitionStatus)]
    status: &'static str,
    created_at: String,
    /// When it was archived; absent while it is active.
    #[serde(skip_serializing_if = "Option::is_none")]
    archived_at: Option<String>,
}

impl From<Competition> for CompetitionView {
    fn from(c: Competition) -> Self {
        let d = c.details;
        CompetitionView {
            id: c.id,
            title: d.title,
            titles: d.titles,
            kind: d.kind.as_str(),
            audience: d.audience.map(Audience::as_str),
            department: d.department,
            direction: d.direction.map(Direction::as_str),
            level: d.level.map(Level::as_str),
            starts_on: d.starts_on.map(format_date),
            ends_on: d.ends_on.map(format_date),
            city: d.city,
            language: d.language,
            design: d.design,
            valid_until: d.valid_until.map(format_date),
            previous_stage: d.previous_stage,
            hours: d.hours,
            letters: d.letters,
            signer_name: d.signer.name,
            signer_title: d.signer.title,
            status: c.status.as_str(),
            created_at: c.created_at,
            archived_at: c.archived_at,
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions",
    tag = "competitions",
    operation_id = "competitions_create",
    summary = "Create a competition",
    request_body(content((crate::web::competitions::CreateCompetition = "application/json"))),
    responses(
        (status = 201, description = "created", content((crate::web::competitions::CompetitionView = "application/json"))),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 401, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn create(
    state: web::Data<AppState>,
    organizer: Organizer,
    body: web::Json<CreateCompetition>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().parse()?;
    let competition = create_for(&state, organizer.organization_id.into(), new).await?;
    Ok(HttpResponse::Created().json(CompetitionView::from(competition)))
}

/// `competitions::create` on the blocking pool, for the API and the page.
pub(super) async fn create_for(
    state: &AppState,
    organization_id: OrgId,
    new: NewCompetition,
) -> Result<Competition, ApiError> {
    let renderer = state.issuance.renderer.clone();
    Ok(state
        .db
        .run(move |conn| competitions::create(conn, &renderer, &organization_id, new))
        .await?)
}

#[derive(Deserialize)]
pub struct ListQuery {
    /// `?archived=true`: the archived competitions instead of the active ones.
    #[serde(default)]
    archived: bool,
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions",
    tag = "competitions",
    operation_id = "competitions_list",
    summary = "List the organization's active competitions (`?archived=true`: the archived ones)",
    params(
        ("archived" = Option<bool>, Query, description = "the archived competitions instead of the active ones"),
    ),
    responses(
        (status = 200, description = "competitions"),
        (status = 401, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn list(
    state: web::Data<AppState>,
    organizer: Organizer,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let (archived, organization_id) = (query.archived, organizer.organization_id.into());
    let competitions = state
        .db
        .run(move |conn| competitions::list(conn, &organization_id, archived))
        .await?;
    let views: Vec<CompetitionView> = competitions.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveSwitch {
    archived: bool,
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/archive",
    tag = "competitions",
    operation_id = "competitions_archive",
    summary = "Archive a competition (out of the active list; its papers still verify and download) or bring it back",
    params(
        ("id" = String, Path),
    ),
    request_body(content((ArchiveSwitch = "application/json"))),
    responses(
        (status = 200, description = "the competition", content((crate::web::competitions::CompetitionView = "application/json"))),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
/// `POST /api/v1/competitions/{id}/archive {archived}`: out of the active lists (or back); its
/// papers stay verifiable.
pub async fn archive(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<ArchiveSwitch>,
) -> Result<HttpResponse, ApiError> {
    let competition = archive_for(
        &state,
        organizer.organization_id.into(),
        path.into_inner().into(),
        body.archived,
    )
    .await?;
    Ok(HttpResponse::Ok().json(CompetitionView::from(competition)))
}

/// `competitions::archive`, for the API and the page.
pub(super) async fn archive_for(
    state: &AppState,
    organization_id: OrgId,
    id: CompetitionId,
    archived: bool,
) -> Result<Competition, ApiError> {
    Ok(state
        .db
        .run(move |conn| competitions::archive(conn, &organization_id, &id, archived))
        .await?)
}

#[utoipa::path(
    delete,
    path = "/api/v1/competitions/{id}",
    tag = "competitions",
    operation_id = "competitions_delete",
    summary = "Delete a competition with its entries and jury; only while no paper was issued (issued papers stay verifiable: archive it instead)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 204, description = "deleted"),
        (status = 404, description = "not found"),
        (status = 409, description = "papers were issued: archive it instead", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// `DELETE /api/v1/competitions/{id}`: 204; 409 once a paper was issued (archive it instead).
pub async fn delete(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    delete_for(&state, organizer.organization_id.into(), path.into_inner().into()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `competitions::delete`, for the API and the page.
pub(super) async fn delete_for(
    state: &AppState,
    organization_id: OrgId,
    id: CompetitionId,
) -> Result<(), ApiError> {
    Ok(state
        .db
        .run(move |conn| competitions::delete(conn, &organization_id, &id))
        .await?)
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}",
    tag = "competitions",
    operation_id = "competitions_show",
    summary = "One competition",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "competition"),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let competition = state
        .db
        .run(move |conn| db::competitions::find_owned(conn, &organizer.organization_id, &id))
        .await?;
    Ok(HttpResponse::Ok().json(CompetitionView::from(competition)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LettersSwitch {
    letters: bool,
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/letters",
    tag = "competitions",
    operation_id = "competitions_set_letters",
    summary = "Turn letters of gratitude to supervisors on or off for the next issue runs (letters already issued stay; revoke one to withdraw it)",
    params(
        ("id" = String, Path),
    ),
    request_body(content((LettersSwitch = "application/json"))),
    responses(
        (status = 200, description = "the competition", content((crate::web::competitions::CompetitionView = "application/json"))),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
/// Turns letters of gratitude on or off for the competition's next issue runs; letters already
/// issued stay as they are (revoke one to withdraw it).
pub async fn set_letters(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<LettersSwitch>,
) -> Result<HttpResponse, ApiError> {
    let id = CompetitionId::from(path.into_inner());
    let organization_id = OrgId::from(organizer.organization_id);
    let letters = body.letters;
    let competition = state
        .db
        .run(move |conn| competitions::set_letters(conn, &organization_id, &id, letters))
        .await?;
    Ok(HttpResponse::Ok().json(CompetitionView::from(competition)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignChoice {
    design: String,
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/design",
    tag = "competitions",
    operation_id = "competitions_set_design",
    summary = "Chooses the design of the competition's papers from now on: `{design}`, a built-in or own design's name. Papers issued before keep the version they were rendered with; new papers get the own design's latest version at issue time.",
    params(
        ("id" = String, Path),
    ),
    request_body(content((DesignChoice = "application/json"))),
    responses(
        (status = 200, description = "the competition", content((crate::web::competitions::CompetitionView = "application/json"))),
        (status = 400, description = "not a design of this organization"),
        (status = 404, description = "no such competition"),
    ),
    security(("bearer" = [])),
)]
/// Chooses the design of the competition's papers from now on: a built-in or own one by name.
pub async fn set_design(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<DesignChoice>,
) -> Result<HttpResponse, ApiError> {
    let competition = choose_design(
        &state,
        organizer.organization_id.into(),
        path.into_inner().into(),
        body.into_inner().design,
    )
    .await?;
    Ok(HttpResponse::Ok().json(CompetitionView::from(competition)))
}

/// `competitions::choose_design` on the blocking pool, for the API and the design page.
pub(super) async fn choose_design(
    state: &AppState,
    organization_id: OrgId,
    competition_id: CompetitionId,
    design: String,
) -> Result<Competition, ApiError> {
    let renderer = state.issuance.renderer.clone();
    Ok(state
        .db
        .run(move |conn| {
            competitions::choose_design(conn, &renderer, &organization_id, &competition_id, &design)
        })
        .await?)
}

#[derive(Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    mode: UploadMode,
    /// Rows the organizer drops as repeats of earlier ones: `?drop=5,17`.
    #[serde(default)]
    drop: Option<String>,
    #[serde(flatten)]
    mapping: MappingQuery,
}

#[derive(Deserialize, Default, PartialEq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum UploadMode {
    /// Adds the file's rows to the competition's entries, updating those it has already.
    #[default]
    Append,
    /// Also removes the entries the file no longer has (none of them issued).
    Replace,
}

impl From<UploadMode> for ImportMode {
    fn from(mode: UploadMode) -> Self {
        match mode {
            UploadMode::Append => ImportMode::Merge,
            UploadMode::Replace => ImportMode::Replace,
        }
    }
}

/// `5, 17` → {5, 17}.
pub(super) fn parse_rows(text: Option<&str>) -> Result<BTreeSet<usize>, ApiError> {
    text.unwrap_or_default()
        .split([',', ' '])
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<usize>().map_err(|_| {
                ApiError::Invalid(Message::InvalidField {
                    field: "drop",
                    reason: "row numbers separated by commas, e.g. 5,17".into(),
                })
            })
        })
        .collect()
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/results",
    tag = "competitions",
    operation_id = "competitions_upload_results",
    summary = r#"Upload the results file, all or nothing. The body is the file itself: XLSX (first visible sheet) or CSV in UTF-8, UTF-8 with BOM, UTF-16 or Windows-1251, delimited by `,` `;` or tab; the format is told by the bytes. The header row is searched in the first 20 rows (title rows above it are skipped); blank rows, a `№` column and totals rows (`Итого`, `Всего`, `Барлығы`, `Total`, or numbers alone at the end) are skipped. Refused with 422 and every row problem: unreadable or empty files, an XLSX that would unpack to more than 100 MB or is compressed more than 200:1, rows without a name, rows cut short, award words it does not know (map them with `awards` or `PUT /api/v1/award-words`). Nothing is refused for being a namesake: an entry is who the row is about (name with organization, region, birth date and e-mail when the file has them, nomination and age group), so two children of one name from two schools are two entries. A row that repeats an earlier one is kept and listed in `warnings` (`repeat`: every column agrees; `same_person`: the same person, another column differs) unless `drop` names it. Uploading the same or a corrected file again updates the entries it already has in place (serials of unchanged rows never move) and adds the rest; `replace` also removes entries the file no longer has, none of them issued. Awards are read into a category (`award` codes: grand_prix, winner, prize_winner, place_1..3, degree_1..3, laureate, laureate_1..3, diplomant, diplomant_1..3, special_prize, finalist, participant) and the organizer's own words are kept as the printed title when they say more than the category ("Специальный приз жюри «За артистизм»")."#,
    params(
        ("id" = String, Path),
        ("mode" = Option<String>, Query, description = "(one of `append`, `replace`)"),
        ("columns" = Option<String>, Query, description = r#"JSON object field → column, when headers are not recognized. Fields: name, organization, region, settlement_type, supervisor, nomination, age_group, email, award, team_members, supervisor_email, hours, birth_date, phone (birth date and phone tell namesakes apart; never printed or public). A column is named by its header text (compared case-insensitively), else by its letter (`C`) or 1-based number (`3`). Example: `{"name":"Участник","award":"E"}`."#),
        ("awards" = Option<String>, Query, description = r#"JSON object: award text as the file writes it → an award code (`{"Победитель конкурса":"winner"}`) or a code with the title to print (`{"Молодец":{"award":"special_prize","title":"Приз «Молодец»"}}`). Compared case-insensitively; wins over the organization's remembered words (`/api/v1/award-words`) and over the reader."#),
        ("drop" = Option<String>, Query, description = "Rows (as the spreadsheet numbers them) to drop as repeats, comma-separated: `5,17`. Only rows the preview lists in `warnings` can be dropped; another number is a 422."),
    ),
    request_body(content((String = "text/csv"), (inline(crate::web::openapi::Binary) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (inline(crate::web::openapi::Binary) = "application/octet-stream"))),
    responses(
        (status = 200, description = "imported", content((UploadAnswer = "application/json"))),
        (status = 409, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 413, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 422, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 400, description = "a `columns` or `awards` parameter is not valid", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The results file is the whole body. It is read and checked in full before anything is stored;
/// rows already stored are updated in place, repeats are kept unless `drop` names them.
pub async fn upload_results(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    let drop = parse_rows(query.drop.as_deref())?;
    let reading = read_upload(&req, &state, &organizer, &competition_id, &query.mapping, payload).await?;
    let warnings = reading.warnings.clone();
    let drafts = reading.into_drafts_dropping(&drop)?;
    let summary = store_results(&state, competition_id, drafts, query.mode.into()).await?;
    let lang = request_lang(&req);
    let warnings: Vec<_> = warnings
        .iter()
        .filter(|w| !drop.contains(&w.row))
        .map(|w| warning_json(w, lang))
        .collect();
    Ok(HttpResponse::Ok().json(UploadAnswer {
        summary,
        dropped: drop.len(),
        warnings,
    }))
}

/// A repeat as the API shows it: where, which row it repeats, and in words (in the request's
/// language).
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = RowWarning)]
pub struct WarningView {
    row: usize,
    first_row: usize,
    kind: RepeatKind,
    message: String,
}

pub(super) fn warning_json(w: &RowWarning, lang: crate::i18n::Lang) -> WarningView {
    let message = match w.kind {
        RepeatKind::Repeat => Message::DuplicateEntry(w.first_row),
        RepeatKind::SamePerson => Message::SamePerson(w.first_row),
    };
    WarningView {
        row: w.row,
        first_row: w.first_row,
        kind: w.kind,
        message: message.text(lang),
    }
}

/// What an upload of results answers: the import's summary, the repeats dropped as asked and
/// the repeats kept.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UploadAnswer {
    #[serde(flatten)]
    summary: ImportSummary,
    /// repeats dropped as `drop` asked
    dropped: usize,
    warnings: Vec<WarningView>,
}

/// Stores checked entries through the one import service. The caller checked ownership.
pub(super) async fn store_results(
    state: &AppState,
    competition_id: String,
    drafts: Vec<crate::domain::EntryDraft>,
    mode: ImportMode,
) -> Result<ImportSummary, ApiError> {
    Ok(state
        .db
        .run(move |conn| crate::results::import(conn, &competition_id, &drafts, mode))
        .await?)
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}",
    tag = "competitions",
    operation_id = "competitions_update",
    summary = "Changes a competition: the same body as POST /api/v1/competitions, in place of what it says now (the previous stage stays). Papers issued before keep what they say; papers issued after say the new.",
    params(
        ("id" = String, Path),
    ),
    request_body(content((crate::web::competitions::CreateCompetition = "application/json"))),
    responses(
        (status = 200, description = "the competition as it is now", content((crate::web::competitions::CompetitionView = "application/json"))),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// `PUT /api/v1/competitions/{id}`: the competition as `POST` describes it, in place of what it
/// was (the previous stage stays). Papers issued before keep what they say.
pub async fn update(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<CreateCompetition>,
) -> Result<HttpResponse, ApiError> {
    let details = body.into_inner().parse()?;
    let updated = update_for(
        &state,
        organizer.organization_id.into(),
        path.into_inner().into(),
        details,
    )
    .await?;
    Ok(HttpResponse::Ok().json(CompetitionView::from(updated)))
}

/// `competitions::update` on the blocking pool, for the API and the page.
pub(super) async fn update_for(
    state: &AppState,
    organization_id: OrgId,
    competition_id: CompetitionId,
    details: NewCompetition,
) -> Result<Competition, ApiError> {
    let renderer = state.issuance.renderer.clone();
    Ok(state
        .db
        .run(move |conn| competitions::update(conn, &renderer, &organization_id, &competition_id, details))
        .await?)
}

#[utoipa::path(
    get,
    path = "/api/v1/departments",
    tag = "competitions",
    operation_id = "competitions_departments",
    summary = "The organization's departments (отделы).",
    responses(
        (status = 200, description = "departments", content(([crate::db::departments::Department] = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// `GET /api/v1/departments`: the organization's departments.
pub async fn departments(state: web::Data<AppState>, organizer: Organizer) -> Result<HttpResponse, ApiError> {
    let list = state
        .db
        .run(move |conn| db::departments::list(conn, &organizer.organization_id))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartment {
    name: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/departments",
    tag = "competitions",
    operation_id = "competitions_create_department",
    summary = "A new department; a competition names one by `department` (its id) when created or changed, and reports count per department (`?department=ID`) and combined.",
    request_body(content((NewDepartment = "application/json"))),
    responses(
        (status = 201, description = "created", content((crate::db::departments::Department = "application/json"))),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// `POST /api/v1/departments {name}`: 201 with its id; 409 when one has that name.
pub async fn create_department(
    state: web::Data<AppState>,
    organizer: Organizer,
    body: web::Json<NewDepartment>,
) -> Result<HttpResponse, ApiError> {
    let department = department_for(&state, organizer.organization_id, body.into_inner().name).await?;
    Ok(HttpResponse::Created().json(department))
}

/// A new department, for the API and the profile page (the rules are in `profile`).
pub(super) async fn department_for(
    state: &AppState,
    organization_id: String,
    name: String,
) -> Result<db::departments::Department, ApiError> {
    Ok(state
        .db
        .run(move |conn| crate::profile::add_department(conn, &organization_id, &name))
        .await?)
}
