//! The jury: criteria, judges, scores, rules, and the ranking that decides the awards.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::{Jury, Organizer};
use super::body::read_limited;
use super::competitions::invalid;
use super::lang::request_lang;
use super::{ApiError, AppState};
use crate::db;
use crate::domain::entry::normalize_text;
use crate::domain::jury::{Criterion, Judge, JuryRules, MaxPoints, Step, Tenths, Weight};
use crate::domain::{CompetitionId, OrgId};
use crate::intake::IntakeLimits;
use crate::judging::{self, Advance, ProtocolFormat, SheetInput, SheetOwner};

/// The competition must be this organizer's; another organization's is as absent as a missing one.
pub(super) async fn owned(
    state: &AppState,
    organizer: &Organizer,
    competition_id: &str,
) -> Result<(), ApiError> {
    let (organization_id, id) = (organizer.organization_id.clone(), competition_id.to_string());
    state
        .db
        .run(move |conn| db::competitions::find_owned(conn, &organization_id, &id))
        .await?;
    Ok(())
}

/// The organizer who owns the competition (`None`) or one of its judges (`Some`); anyone else is
/// refused as the API refuses everywhere: 404 for others' competitions, 401 without credentials.
async fn organizer_or_judge(
    state: &AppState,
    organizer: Option<Organizer>,
    judge: Option<Jury>,
    competition_id: &str,
) -> Result<Option<Judge>, ApiError> {
    match (organizer, judge) {
        (Some(organizer), _) => owned(state, &organizer, competition_id).await.map(|()| None),
        (None, Some(Jury(judge))) if judge.competition_id == competition_id => Ok(Some(judge)),
        (None, Some(_)) => Err(ApiError::NotFound),
        (None, None) => Err(ApiError::Unauthorized),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    name: String,
    max_points: i64,
    #[serde(default = "one")]
    weight: f64,
    /// 1, 0.5 or 0.1 point: how finely the criterion is scored.
    #[serde(default)]
    #[schema(value_type = f64)]
    step: Step,
}

fn one() -> f64 {
    1.0
}

impl CriterionInput {
    fn parse(self) -> Result<Criterion, ApiError> {
        let name = normalize_text(&self.name);
        if name.is_empty() || name.chars().count() > 200 {
            return Err(invalid("name", "1–200 characters"));
        }
        Ok(Criterion {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            max_points: MaxPoints::new(self.max_points).ok_or_else(|| invalid("max_points", "1–1000"))?,
            weight: Weight::new(self.weight).ok_or_else(|| invalid("weight", "above 0, at most 100"))?,
            step: self.step,
        })
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/criteria",
    tag = "jury",
    operation_id = "jury_set_criteria",
    summary = "Replace the scoring criteria (only while no score was given)",
    params(
        ("id" = String, Path),
    ),
    request_body(content(([CriterionInput] = "application/json"))),
    responses(
        (status = 200, description = "the criteria with their ids", content(([crate::domain::jury::Criterion] = "application/json"))),
        (status = 400, description = "a criterion is not valid", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "scores were already given", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn set_criteria(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<Vec<CriterionInput>>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let criteria = body
        .into_inner()
        .into_iter()
        .map(CriterionInput::parse)
        .collect::<Result<Vec<_>, _>>()?;
    if criteria.is_empty() || criteria.len() > 50 {
        return Err(invalid("criteria", "1–50 criteria"));
    }
    let stored = criteria.clone();
    state
        .db
        .run(move |conn| judging::set_criteria(conn, &competition_id, &stored))
        .await?;
    Ok(HttpResponse::Ok().json(criteria))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/criteria",
    tag = "jury",
    operation_id = "jury_criteria",
    summary = "The scoring criteria (organizer or a judge of this competition)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "criteria", content(([crate::domain::jury::Criterion] = "application/json"))),
        (status = 404, description = "not found", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The criteria, for the organizer and for the competition's judges, who score against them.
pub async fn criteria(
    state: web::Data<AppState>,
    organizer: Option<Organizer>,
    judge: Option<Jury>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    organizer_or_judge(&state, organizer, judge, &competition_id).await?;
    let criteria = state
        .db
        .run(move |conn| db::jury::criteria(conn, &competition_id))
        .await?;
    Ok(HttpResponse::Ok().json(criteria))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewJudge {
    name: String,
    /// where the judge works: entries from there are refused to this judge
    organization: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct JudgeCreated {
    id: String,
    competition_id: String,
    name: String,
    organization: String,
    /// Shown once; only its SHA-256 is stored.
    token: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/judges",
    tag = "jury",
    operation_id = "jury_create_judge",
    summary = "Add a jury member; the answer carries the judge's token, shown once. A jury token works only on the judge's competition and on no organizer call.",
    params(
        ("id" = String, Path),
    ),
    request_body(content((NewJudge = "application/json"))),
    responses(
        (status = 201, description = "created", content((JudgeCreated = "application/json"))),
        (status = 400, description = "invalid", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn create_judge(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<NewJudge>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let body = body.into_inner();
    let clean = |field: &'static str, text: &str| {
        let text = normalize_text(text);
        if text.is_empty() || text.chars().count() > 500 {
            Err(invalid(field, "1–500 characters"))
        } else {
            Ok(text)
        }
    };
    let name = clean("name", &body.name)?;
    let organization = clean("organization", &body.organization)?;
    let organization_id = organizer.organization_id;
    let (judge, token) = state
        .db
        .run(move |conn| {
            Ok::<_, crate::db::DbError>(judging::create_judge(
                conn,
                &organization_id,
                &competition_id,
                name,
                organization,
            ))
        })
        .await??;
    Ok(HttpResponse::Created().json(JudgeCreated {
        id: judge.id,
        competition_id: judge.competition_id,
        name: judge.name,
        organization: judge.organization,
        token: token.reveal().to_string(),
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/jury",
    tag = "jury",
    operation_id = "jury_set_rules",
    summary = "Set how scores are aggregated and which awards they give",
    params(
        ("id" = String, Path),
    ),
    request_body(content((crate::domain::jury::JuryRules = "application/json"))),
    responses(
        (status = 200, description = "the rules", content((crate::domain::jury::JuryRules = "application/json"))),
        (status = 400, description = "invalid rules", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn set_rules(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<JuryRules>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let rules = body.into_inner();
    let stored = rules.clone();
    state
        .db
        .run(move |conn| judging::set_rules(conn, &competition_id, &stored))
        .await?;
    Ok(HttpResponse::Ok().json(rules))
}

/// A sheet as the API takes it: `{criterion_id: points}`, or with remarks
/// `{"scores": {...}, "remarks": {criterion_id: text}, "remark": text}`. Points may be 0.5.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum ScoreBody {
    WithRemarks {
        scores: HashMap<String, Tenths>,
        #[serde(default)]
        remarks: HashMap<String, String>,
        #[serde(default)]
        remark: String,
    },
    Plain(HashMap<String, Tenths>),
}

impl From<ScoreBody> for SheetInput {
    fn from(body: ScoreBody) -> SheetInput {
        match body {
            ScoreBody::WithRemarks {
                scores,
                remarks,
                remark,
            } => SheetInput {
                points: scores,
                remarks,
                remark,
            },
            ScoreBody::Plain(points) => SheetInput {
                points,
                ..SheetInput::default()
            },
        }
    }
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/entries/{entry_id}/scores",
    tag = "jury",
    operation_id = "jury_score",
    summary = "A judge's points for one entry, every criterion once (jury token), with remarks if given; replaces the judge's previous sheet for the entry. Where entries are assigned, only the judge's own.",
    params(
        ("id" = String, Path),
        ("entry_id" = String, Path),
    ),
    request_body(content((Object = "application/json")), description = "one of: object: criterion id → points within 0..=max_points map to number minimum 0: on the criterion's step: 7, 0.5, 7.6 | object {`scores` (required) object: criterion id → points map to number minimum 0: on the criterion's step: 7, 0.5, 7.6; `remarks` object: criterion id → the judge's remark map to string; `remark` string: the judge's remark on the whole work}"),
    responses(
        (status = 200, description = "stored. object {`scores` object map to number; `remarks` object map to string}", content((Object = "application/json"))),
        (status = 400, description = "missing, unknown or out-of-range points", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "the entry is from the judge's own organization or assigned to other judges (nothing stored), or no criteria yet", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn score(
    state: web::Data<AppState>,
    jury: Jury,
    path: web::Path<(String, String)>,
    body: web::Json<ScoreBody>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, entry_id) = path.into_inner();
    let judge = jury.of(&competition_id)?;
    let sheet = SheetInput::from(body.into_inner());
    let stored = state
        .db
        .run(move |conn| judging::score(conn, &judge, &entry_id, &sheet))
        .await?;
    let scores: HashMap<&str, Tenths> = stored.iter().map(|(id, p, _)| (id.as_str(), p.get())).collect();
    let remarks: HashMap<&str, &str> = stored
        .iter()
        .filter(|(_, _, r)| !r.is_empty())
        .map(|(id, _, r)| (id.as_str(), r.as_str()))
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "scores": scores, "remarks": remarks })))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/entries",
    tag = "jury",
    operation_id = "jury_entries",
    summary = "The entries a judge scores (jury token) In a blind review `holder`, `organization` and `supervisor` are null and work files are named `work-1.pdf`; where entries are assigned, only the judge's own.",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "entries. array of object {`id` string; `number` integer: the entry's number in this list, as a score sheet's `№` column gives it; `holder` string; `organization` string/null; `nomination` string/null; `age_group` string/null; `conflict_of_interest` boolean}", content((Object = "application/json"))),
        (status = 401, description = "not a jury token", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The entries a judge reviews (all, or those assigned to them), with those from the judge's own
/// organization marked; in a blind review without names, organizations or supervisors.
pub async fn entries(
    state: web::Data<AppState>,
    jury: Jury,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let judge = jury.of(&path.into_inner())?;
    let desk = state.db.run(move |conn| judging::desk(conn, &judge)).await?;
    Ok(HttpResponse::Ok().json(desk.entries))
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/jury/results",
    tag = "jury",
    operation_id = "jury_apply_results",
    summary = "Rank the entries from the scores and write each entry's award (only before documents are issued)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "the ranking, by group then place", content(([crate::judging::RankingRow] = "application/json"))),
        (status = 409, description = "documents were already issued, or no criteria; or entries still wait for an assigned judge's scores", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn apply_results(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let table = state
        .db
        .run(move |conn| judging::apply_results(conn, &competition_id))
        .await?;
    Ok(HttpResponse::Ok().json(table))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceRequest {
    /// The best N of each nomination and age group (shared places count: a tie for N-th advances all).
    #[schema(minimum = 1)]
    top: Option<u32>,
    /// Everyone whose final score is at least this.
    min_score: Option<f64>,
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/advance",
    tag = "jury",
    operation_id = "jury_advance",
    summary = "Stages: the winners of the previous stage (the competition's `previous_stage`) become this stage's entries, by the jury's ranking of that stage: the best `top` of each nomination and age group (a tie at the cut advances all), or everyone with at least `min_score`. Once per stage (409 when it already has entries).",
    params(
        ("id" = String, Path),
    ),
    request_body(content((AdvanceRequest = "application/json"))),
    responses(
        (status = 200, description = "advanced. object {`advanced` integer; `holders` array of string}", content((Object = "application/json"))),
        (status = 400, description = "not a next stage, or neither top nor min_score"),
        (status = 409, description = "the stage already has entries, or the previous stage has no criteria"),
    ),
    security(("bearer" = [])),
)]
/// The winners of the previous stage become this stage's entries (awards start again from nothing).
pub async fn advance(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<AdvanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let next_id = path.into_inner();
    let rule = match body.into_inner() {
        AdvanceRequest {
            top: Some(top),
            min_score: None,
        } => Advance::Top(top),
        AdvanceRequest {
            top: None,
            min_score: Some(min),
        } => Advance::MinScore(min),
        _ => return Err(invalid("top", "give either top or min_score")),
    };
    let organization_id = organizer.organization_id;
    let advanced = state
        .db
        .run(move |conn| judging::advance(conn, &organization_id, &next_id, rule))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"advanced": advanced.len(), "holders": advanced})))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/jury/protocol.{format}",
    tag = "jury",
    operation_id = "jury_protocol",
    summary = "The jury protocol as a file: `csv`, `xlsx` or `pdf`",
    description = r#"`csv`: The jury protocol as it stands (nothing written): place, name, organization, nomination, age group, final score, award, ranked inside each nomination and age group. CSV: UTF-8 with BOM, `;`. Cells that a spreadsheet would read as formulas are neutralized. Headers in the request's language.

`xlsx`: The jury protocol as an XLSX workbook (see protocol.csv).

`pdf`: The printable jury protocol (PDF, A4; landscape when there are more than four judges): the competition, a section per nomination and age group with place, name, organization, each judge's total, the final score and the award; then the signature lines ("Председатель жюри ____ / name", each member) and whether the chair signed it off, with who and when. Language by `?lang=` (kk, ru, en) or Accept-Language."#,
    params(
        ("format" = String, Path, description = "(one of `csv`, `xlsx`, `pdf`)"),
        ("id" = String, Path),
        ("lang" = Option<crate::i18n::Lang>, Query),
    ),
    responses(
        (status = 200, description = "protocol / the protocol", content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("application/pdf"))),
        (status = 404, description = "not found"),
        (status = 409, description = "no criteria yet", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The jury protocol, `protocol.csv`, `protocol.xlsx` or the printable `protocol.pdf`: the ranking
/// as it stands, nothing written.
pub async fn protocol(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, extension) = path.into_inner();
    protocol_file(
        &state,
        organizer.organization_id.into(),
        competition_id.into(),
        &extension,
        request_lang(&req),
    )
    .await
}

/// `judging::protocol_file` as a download, for the API and the pages alike.
pub(super) async fn protocol_file(
    state: &AppState,
    organization_id: OrgId,
    competition_id: CompetitionId,
    extension: &str,
    lang: crate::i18n::Lang,
) -> Result<HttpResponse, ApiError> {
    let format = ProtocolFormat::from_extension(extension).ok_or(ApiError::NotFound)?;
    let file = state
        .db
        .run(move |conn| judging::protocol_file(conn, &organization_id, &competition_id, format, lang))
        .await?;
    let disposition = match format {
        ProtocolFormat::Pdf => "inline",
        ProtocolFormat::Csv | ProtocolFormat::Xlsx => "attachment",
    };
    Ok(HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("{disposition}; filename=\"{}\"", file.file_name),
        ))
        .body(file.bytes))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChairRequest {
    judge_id: String,
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/jury/chair",
    tag = "jury",
    operation_id = "jury_name_chair",
    summary = "Name the jury chair (by default the first judge appointed). Refused once the protocol is signed off.",
    params(
        ("id" = String, Path),
    ),
    request_body(content((ChairRequest = "application/json"))),
    responses(
        (status = 200, description = "the chair. object {`chair` object {`id` string; `name` string}}", content((Object = "application/json"))),
        (status = 400, description = "not a judge of this competition", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 404, description = "not found"),
        (status = 409, description = "already signed off", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The organizer names the jury chair (by default the first judge appointed).
pub async fn name_chair(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<ChairRequest>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let judge_id = body.into_inner().judge_id;
    let chair = state
        .db
        .run(move |conn| judging::name_chair(conn, &competition_id, &judge_id))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"chair": {"id": chair.id, "name": chair.name}})))
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/jury/sign-off",
    tag = "jury",
    operation_id = "jury_sign_off",
    summary = "The jury chair (a jury token) signs the protocol off. From then on scores cannot change (409) by API or upload; the protocol shows who signed and when.",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "signed", content((crate::domain::jury::SignOff = "application/json"))),
        (status = 401, description = "not a jury token"),
        (status = 404, description = "a judge of another competition"),
        (status = 409, description = "not the chair, already signed, or no criteria", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The chair signs the protocol off; the scores are final from then on.
pub async fn sign_off(
    state: web::Data<AppState>,
    jury: Jury,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let judge = jury.of(&path.into_inner())?;
    let signed = state.db.run(move |conn| judging::sign_off(conn, &judge)).await?;
    Ok(HttpResponse::Ok().json(signed))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/jury/sign-off",
    tag = "jury",
    operation_id = "jury_sign_off_state",
    summary = "Who chairs the jury and whether the protocol is signed off (organizer or a judge of the competition).",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "state", content((crate::judging::SignOffState = "application/json"))),
        (status = 401, description = "no token"),
        (status = 404, description = "not found"),
    ),
    security(("bearer" = [])),
)]
/// Who chairs the jury and whether the protocol is signed, for the organizer and the judges.
pub async fn sign_off_state(
    state: web::Data<AppState>,
    organizer: Option<Organizer>,
    judge: Option<Jury>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    organizer_or_judge(&state, organizer, judge, &competition_id).await?;
    let answer = state
        .db
        .run(move |conn| judging::sign_off_state(conn, &competition_id))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutOfCompetition {
    out_of_competition: bool,
}

#[utoipa::path(
    put,
    path = "/api/v1/competitions/{id}/entries/{entry_id}/out-of-competition",
    tag = "jury",
    operation_id = "jury_out_of_competition",
    summary = "Mark an entry as competing out of competition (or back in): ranked and shown in the protocol, never awarded (participation certificate), taking no place from the others, not advancing to a next stage.",
    params(
        ("id" = String, Path),
        ("entry_id" = String, Path),
    ),
    request_body(content((OutOfCompetition = "application/json"))),
    responses(
        (status = 200, description = "set"),
        (status = 404, description = "not found"),
        (status = 409, description = "signed off", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// An entry ranked and shown in the protocol but never awarded, or back in competition.
pub async fn out_of_competition(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
    body: web::Json<OutOfCompetition>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, entry_id) = path.into_inner();
    owned(&state, &organizer, &competition_id).await?;
    let flag = body.out_of_competition;
    let reply = serde_json::json!({"entry_id": entry_id, "out_of_competition": flag});
    state
        .db
        .run(move |conn| {
            Ok::<_, crate::db::DbError>(judging::set_out_of_competition(
                conn,
                &competition_id,
                &entry_id,
                flag,
            ))
        })
        .await??;
    Ok(HttpResponse::Ok().json(reply))
}

#[derive(Deserialize)]
pub struct ScoresQuery {
    /// For an organizer's upload: the judge (id or name) of rows without a judge column.
    judge: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/scores",
    tag = "jury",
    operation_id = "jury_upload_scores",
    summary = "Score sheets as a spreadsheet: the body is XLSX or CSV (UTF-8, UTF-8 with BOM, UTF-16, Windows-1251; `,` `;` or tab), a header below any title rows with a column per criterion (by the criterion's name), and the entry by its number in the judges' entry list (`№`) or by name (`ФИО`, `Аты-жөні`, `Name`); signature lines under the table are skipped, and so are rows with no points at all. Every criterion of a row must be scored. A jury token uploads the judge's own scores; an organizer names the judge per row in a column (`Эксперт`, `Член жюри`, `Сарапшы`, `Judge`) or for the whole file with `?judge=` (id or name). All or nothing: any problem refuses the file with 422 and every problem by row, in the request's language.",
    params(
        ("id" = String, Path),
        ("judge" = Option<String>, Query, description = "organizer uploads: the judge (id or name) of rows without a judge column"),
    ),
    request_body(content(("application/octet-stream"), ("text/csv"))),
    responses(
        (status = 200, description = "stored", content((crate::judging::UploadReport = "application/json"))),
        (status = 401, description = "no token"),
        (status = 404, description = "not found"),
        (status = 409, description = "signed off, or no criteria", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 413, description = "too large", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 422, description = "refused, nothing stored. object {`error` string; `message` string; `errors` array of `RowError`}", content((Object = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// Score sheets as a spreadsheet (XLSX or CSV): a judge's own, or an organizer's for named judges.
pub async fn upload_scores(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Option<Organizer>,
    judge: Option<Jury>,
    path: web::Path<String>,
    query: web::Query<ScoresQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    let owner = match organizer_or_judge(&state, organizer, judge, &competition_id).await? {
        Some(judge) => SheetOwner::Judge(judge),
        None => SheetOwner::Organizer {
            judge: query.into_inner().judge,
        },
    };
    let bytes = read_limited(&req, payload, state.settings.max_upload_bytes).await?;
    let limits = IntakeLimits {
        max_rows: state.settings.max_rows,
        ..IntakeLimits::default()
    };
    let report = judging::upload_scores(&state.db, owner, competition_id, bytes, limits).await?;
    Ok(HttpResponse::Ok().json(report))
}
