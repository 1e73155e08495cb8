//! The jury: criteria, judges, scores, rules, and the ranking that decides the awards.

use std::collections::{HashMap, HashSet};

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::{Jury, Organizer};
use super::competitions::invalid;
use super::lang::request_lang;
use super::results::{download, ExportFormat};
use super::{ApiError, AppState};
use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::entry::normalize_text;
use crate::domain::jury::{self, Candidate, Criterion, JuryRules, MaxPoints, Points, Score, Weight};
use crate::domain::{EntryDraft, StoredEntry};
use crate::export::{protocol_table, ProtocolRow};
use crate::i18n::Message;

/// The competition must be this organizer's; another organization's is as absent as a missing one.
async fn owned(state: &AppState, organizer: &Organizer, competition_id: &str) -> Result<(), ApiError> {
    let (organization_id, id) = (organizer.organization_id.clone(), competition_id.to_string());
    state
        .db
        .run(move |conn| db::competitions::find_owned(conn, &organization_id, &id))
        .await?;
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    name: String,
    max_points: i64,
    #[serde(default = "one")]
    weight: f64,
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
        .run(move |conn| {
            write_transaction(conn, |conn| {
                if db::jury::has_scores(conn, &competition_id)? {
                    return Ok(Err(ApiError::Conflict(Message::CriteriaLocked)));
                }
                db::jury::replace_criteria(conn, &competition_id, &stored)?;
                Ok::<_, DbError>(Ok(()))
            })
        })
        .await??;
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
    match (organizer, judge) {
        (Some(organizer), _) => owned(&state, &organizer, &competition_id).await?,
        (None, Some(Jury(judge))) if judge.competition_id == competition_id => {}
        (None, Some(_)) => return Err(ApiError::NotFound),
        (None, None) => return Err(ApiError::Unauthorized),
    }
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
    let (judge, token) = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                db::jury::create_judge(
                    conn,
                    &organizer.organization_id,
                    &competition_id,
                    name,
                    organization,
                )
            })
        })
        .await?;
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
    state
        .db
        .run(move |conn| db::jury::save_rules(conn, &competition_id, &rules))
        .await?;
    Ok(HttpResponse::Ok().json(rules))
}

/// Checks a judge's sheet against the criteria: every criterion once, each within its maximum.
fn parse_sheet(
    criteria: &[Criterion],
    sheet: HashMap<String, i64>,
) -> Result<Vec<(String, Points)>, ApiError> {
    if let Some(unknown) = sheet.keys().find(|id| !criteria.iter().any(|c| &c.id == *id)) {
        return Err(invalid("criterion_id", format!("unknown criterion {unknown}")));
    }
    criteria
        .iter()
        .map(|c| {
            let given = *sheet
                .get(&c.id)
                .ok_or_else(|| invalid("criterion_id", format!("no points for «{}»", c.name)))?;
            let points = Points::new(given, c.max_points)
                .ok_or_else(|| invalid("points", format!("«{}»: 0–{}", c.name, c.max_points.get())))?;
            Ok((c.id.clone(), points))
        })
        .collect()
}

pub async fn score(
    state: web::Data<AppState>,
    Jury(judge): Jury,
    path: web::Path<(String, String)>,
    body: web::Json<HashMap<String, i64>>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, entry_id) = path.into_inner();
    if judge.competition_id != competition_id {
        return Err(ApiError::NotFound);
    }
    let sheet = body.into_inner();
    let stored = state
        .db
        .run(move |conn| score_entry(conn, &judge, &competition_id, &entry_id, sheet))
        .await??;
    let scores: HashMap<String, u32> = stored.into_iter().map(|(id, p)| (id, p.get())).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "scores": scores })))
}

/// Stores a judge's sheet for one entry of their competition, checked against the criteria; the
/// judge's own school's entries are refused.
pub(super) fn score_entry(
    conn: &mut DbConnection,
    judge: &jury::Judge,
    competition_id: &str,
    entry_id: &str,
    sheet: HashMap<String, i64>,
) -> Result<Result<Vec<(String, Points)>, ApiError>, DbError> {
    write_transaction(conn, |conn| {
        let entry = db::entries::find(conn, entry_id)?;
        if entry.competition_id != competition_id {
            return Ok(Err(ApiError::NotFound));
        }
        if judge.has_conflict_with(entry.school.as_deref()) {
            return Ok(Err(ApiError::Conflict(Message::ConflictOfInterest)));
        }
        let criteria = db::jury::criteria(conn, competition_id)?;
        if criteria.is_empty() {
            return Ok(Err(ApiError::Conflict(Message::NoCriteria)));
        }
        let sheet = match parse_sheet(&criteria, sheet) {
            Ok(sheet) => sheet,
            Err(e) => return Ok(Err(e)),
        };
        db::jury::replace_sheet(conn, &judge.id, entry_id, &sheet)?;
        Ok::<_, DbError>(Ok(sheet))
    })
}

#[derive(Serialize)]
struct EntryToScore {
    id: String,
    holder: String,
    organization: Option<String>,
    nomination: Option<String>,
    age_group: Option<String>,
    /// The judge's own organization: this entry is not theirs to score.
    conflict_of_interest: bool,
}

/// The entries a judge scores, with those from the judge's own organization marked.
pub async fn entries(
    state: web::Data<AppState>,
    Jury(judge): Jury,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    if judge.competition_id != competition_id {
        return Err(ApiError::NotFound);
    }
    let entries = state
        .db
        .run(move |conn| db::entries::list(conn, &competition_id))
        .await?;
    let list: Vec<EntryToScore> = entries
        .into_iter()
        .map(|e| EntryToScore {
            conflict_of_interest: judge.has_conflict_with(e.school.as_deref()),
            id: e.id,
            holder: e.holder,
            organization: e.school,
            nomination: e.nomination,
            age_group: e.age_group,
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Serialize)]
struct RankingRow {
    entry_id: String,
    holder: String,
    nomination: Option<String>,
    age_group: Option<String>,
    score: Option<Score>,
    place: Option<u32>,
    award: String,
}

/// The jury's ranking of a competition's entries, with the entries themselves.
type Ranking = (Vec<jury::Ranked>, Vec<StoredEntry>);

fn ranking(conn: &mut DbConnection, competition_id: &str) -> Result<Result<Ranking, ApiError>, DbError> {
    let criteria = db::jury::criteria(conn, competition_id)?;
    if criteria.is_empty() {
        return Ok(Err(ApiError::Conflict(Message::NoCriteria)));
    }
    let rules = db::jury::rules(conn, competition_id)?;
    let entries = db::entries::list(conn, competition_id)?;
    let totals = jury::judge_totals(&criteria, &db::jury::marks(conn, competition_id)?);
    let candidates: Vec<Candidate> = entries
        .iter()
        .map(|e| Candidate {
            entry_id: e.id.clone(),
            group: (e.nomination.clone(), e.age_group.clone()),
        })
        .collect();
    Ok(Ok((jury::rank(&criteria, &rules, &candidates, &totals), entries)))
}

/// Computes the ranking from the stored scores and writes every entry's award.
fn apply_ranking(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<Result<Vec<RankingRow>, ApiError>, DbError> {
    if !db::documents::entries_with_documents(conn, competition_id)?.is_empty() {
        return Ok(Err(ApiError::Conflict(Message::AlreadyIssued)));
    }
    let (ranked, entries) = match ranking(conn, competition_id)? {
        Ok(ranking) => ranking,
        Err(e) => return Ok(Err(e)),
    };
    let awards: Vec<_> = ranked.iter().map(|r| (r.entry_id.clone(), r.award)).collect();
    db::entries::set_awards(conn, &awards)?;
    let holders: HashMap<&str, &str> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.holder.as_str()))
        .collect();
    Ok(Ok(ranked
        .into_iter()
        .map(|r| RankingRow {
            holder: holders
                .get(r.entry_id.as_str())
                .copied()
                .unwrap_or_default()
                .to_string(),
            nomination: r.group.0,
            age_group: r.group.1,
            score: r.score,
            place: r.place,
            award: r.award.code(),
            entry_id: r.entry_id,
        })
        .collect()))
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
        .run(move |conn| write_transaction(conn, |conn| apply_ranking(conn, &competition_id)))
        .await??;
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
    let request = body.into_inner();
    if request.top.is_none() == request.min_score.is_none() {
        return Err(invalid("top", "give either top or min_score"));
    }
    let organization_id = organizer.organization_id.clone();
    let advanced = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let next = db::competitions::find_owned(conn, &organization_id, &next_id)?;
                let Some(previous) = next.details.previous_stage.clone() else {
                    return Ok(Err(invalid(
                        "previous_stage",
                        "this competition is not a next stage",
                    )));
                };
                if db::entries::count(conn, &next.id)? > 0 {
                    return Ok(Err(ApiError::Conflict(Message::StageHasEntries)));
                }
                let (ranked, entries) = match ranking(conn, &previous)? {
                    Ok(ranking) => ranking,
                    Err(e) => return Ok(Err(e)),
                };
                let chosen: HashSet<String> = ranked
                    .into_iter()
                    .filter(|r| match (request.top, request.min_score, r.place, r.score) {
                        (Some(top), _, Some(place), _) => place <= top,
                        (None, Some(min), _, Some(score)) => score.as_f64() >= min,
                        _ => false,
                    })
                    .map(|r| r.entry_id)
                    .collect();
                let drafts: Vec<EntryDraft> = entries
                    .into_iter()
                    .filter(|e| chosen.contains(&e.id))
                    .filter_map(|e| e.into_next_stage())
                    .collect();
                db::entries::insert_all(conn, &next.id, &drafts)?;
                Ok(Ok(drafts
                    .iter()
                    .map(|d| d.holder.as_str().to_string())
                    .collect::<Vec<_>>()))
            })
        })
        .await??;
    Ok(HttpResponse::Ok().json(serde_json::json!({"advanced": advanced.len(), "holders": advanced})))
}

/// The jury protocol, `protocol.csv` or `protocol.xlsx`: the ranking as it stands, nothing written.
pub async fn protocol(
    req: HttpRequest,
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, extension) = path.into_inner();
    let format = ExportFormat::from_extension(&extension)?;
    owned(&state, &organizer, &competition_id).await?;
    let (ranked, entries) = state.db.run(move |conn| ranking(conn, &competition_id)).await??;
    let by_id: HashMap<&str, &StoredEntry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let rows: Vec<ProtocolRow> = ranked
        .iter()
        .filter_map(|r| {
            let entry = by_id.get(r.entry_id.as_str())?;
            Some(ProtocolRow {
                place: r.place,
                holder: entry.holder.clone(),
                school: entry.school.clone(),
                nomination: r.group.0.clone(),
                age_group: r.group.1.clone(),
                score: r.score.map(Score::as_f64),
                award: r.award,
            })
        })
        .collect();
    download(&protocol_table(&rows, request_lang(&req)), format, "protocol")
}
