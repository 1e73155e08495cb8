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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    name: String,
    max_points: i64,
    #[serde(default = "one")]
    weight: f64,
    /// 1, 0.5 or 0.1: how finely the criterion is scored.
    #[serde(default)]
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewJudge {
    name: String,
    organization: String,
}

#[derive(Serialize)]
struct JudgeCreated {
    id: String,
    competition_id: String,
    name: String,
    organization: String,
    /// Shown once; only its SHA-256 is stored.
    token: String,
}

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

pub async fn score(
    state: web::Data<AppState>,
    Jury(judge): Jury,
    path: web::Path<(String, String)>,
    body: web::Json<ScoreBody>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, entry_id) = path.into_inner();
    if judge.competition_id != competition_id {
        return Err(ApiError::NotFound);
    }
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

/// The entries a judge reviews (all, or those assigned to them), with those from the judge's own
/// organization marked; in a blind review without names, organizations or supervisors.
pub async fn entries(
    state: web::Data<AppState>,
    Jury(judge): Jury,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    if judge.competition_id != competition_id {
        return Err(ApiError::NotFound);
    }
    let desk = state.db.run(move |conn| judging::desk(conn, &judge)).await?;
    Ok(HttpResponse::Ok().json(desk.entries))
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvanceRequest {
    /// The best N of each nomination and age group (shared places count: a tie for N-th advances all).
    top: Option<u32>,
    /// Everyone whose final score is at least this.
    min_score: Option<f64>,
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChairRequest {
    judge_id: String,
}

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

/// The chair signs the protocol off; the scores are final from then on.
pub async fn sign_off(
    state: web::Data<AppState>,
    Jury(judge): Jury,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if judge.competition_id != path.into_inner() {
        return Err(ApiError::NotFound);
    }
    let signed = state.db.run(move |conn| judging::sign_off(conn, &judge)).await?;
    Ok(HttpResponse::Ok().json(signed))
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfCompetition {
    out_of_competition: bool,
}

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
