//! Jury pages: the competitions a person judges, the entries to score, and their own progress.

use std::collections::{HashMap, HashSet};

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::account::see_other;
use super::session::{signed_in, CheckedForm, Member};
use super::view::{ok, page, page_lang};
use crate::db::{self, DbConnection, DbError};
use crate::domain::jury::Judge;
use crate::judging;
use crate::web::{ApiError, AppState};

/// The person's own seat as this judge; anyone else's is not found.
fn own_seat(conn: &mut DbConnection, user_id: &str, judge_id: &str) -> Result<Judge, DbError> {
    db::jury::judges_of_user(conn, user_id)?
        .into_iter()
        .find(|j| j.id == judge_id)
        .ok_or(DbError::Query(diesel::result::Error::NotFound))
}

/// Entries this judge has scored on every criterion.
fn scored_entries(
    conn: &mut DbConnection,
    judge: &Judge,
    criteria: usize,
) -> Result<HashSet<String>, DbError> {
    let mut per_entry: HashMap<String, usize> = HashMap::new();
    for mark in db::jury::marks(conn, &judge.competition_id)?
        .into_iter()
        .filter(|m| m.judge_id == judge.id)
    {
        *per_entry.entry(mark.entry_id).or_default() += 1;
    }
    Ok(per_entry
        .into_iter()
        .filter(|(_, n)| criteria > 0 && *n >= criteria)
        .map(|(id, _)| id)
        .collect())
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let user_id = member.user.id.clone();
    let (lang, _) = page_lang(&req);
    let seats = state
        .db
        .run(move |conn| {
            let mut seats = Vec::new();
            for judge in db::jury::judges_of_user(conn, &user_id)? {
                let competition = db::competitions::find(conn, &judge.competition_id)?;
                let criteria = db::jury::criteria(conn, &judge.competition_id)?.len();
                let total = db::entries::count(conn, &judge.competition_id)?;
                let scored = scored_entries(conn, &judge, criteria)?.len();
                seats.push((judge, competition, total, scored));
            }
            Ok::<_, crate::db::DbError>(seats)
        })
        .await?;
    let seats: Vec<_> = seats
        .into_iter()
        .map(|(judge, competition, total, scored)| {
            context! {
                id => judge.id,
                title => competition.title_in(lang).to_string(),
                total => total,
                scored => scored,
            }
        })
        .collect();
    ok(
        &req,
        &member.visitor,
        "jury_list.html",
        context! { seats => seats },
    )
}

async fn entries_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    judge_id: String,
    status: StatusCode,
    message: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let user_id = member.user.id.clone();
    let (lang, _) = page_lang(req);
    let (judge, competition, criteria, entries, marks, scored, works) = state
        .db
        .run(move |conn| {
            let judge = own_seat(conn, &user_id, &judge_id)?;
            let competition = db::competitions::find(conn, &judge.competition_id)?;
            let criteria = db::jury::criteria(conn, &judge.competition_id)?;
            let entries = db::entries::list(conn, &judge.competition_id)?;
            let marks: Vec<_> = db::jury::marks(conn, &judge.competition_id)?
                .into_iter()
                .filter(|m| m.judge_id == judge.id)
                .collect();
            let scored = scored_entries(conn, &judge, criteria.len())?;
            let works = crate::applications::works_by_entry(conn, &judge.competition_id)?;
            Ok::<_, crate::db::DbError>((judge, competition, criteria, entries, marks, scored, works))
        })
        .await?;
    let competition_id = judge.competition_id.clone();
    let panel = state
        .db
        .run(move |conn| judging::sign_off_state(conn, &competition_id))
        .await?;
    let chairs = panel.chair.as_ref().is_some_and(|chair| chair.id == judge.id);
    let signed = panel
        .signed
        .map(|s| context! { by => s.signed_by, at => s.signed_at });
    let given: HashMap<(String, String), u32> = marks
        .into_iter()
        .map(|m| ((m.entry_id, m.criterion_id), m.points))
        .collect();
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            let sheet: Vec<_> = criteria
                .iter()
                .map(|c| {
                    context! {
                        id => c.id.clone(),
                        name => c.name.clone(),
                        max => c.max_points.get(),
                        points => given.get(&(e.id.clone(), c.id.clone())).copied(),
                    }
                })
                .collect();
            context! {
                id => e.id.clone(),
                holder => e.holder.clone(),
                organization => e.school.clone(),
                nomination => e.nomination.clone(),
                conflict => judge.has_conflict_with(e.school.as_deref()),
                scored => scored.contains(&e.id),
                sheet => sheet,
                works => works.get(&e.id).map(|files| files.iter().map(|f| context! {
                    name => f.name.clone(), href => format!("/app/works/{}", f.id),
                }).collect::<Vec<_>>()),
            }
        })
        .collect();
    page(
        req,
        &member.visitor,
        status,
        "jury_entries.html",
        context! {
            judge => context! { id => judge.id.clone(), name => judge.name.clone() },
            title => competition.title_in(lang).to_string(),
            entries => rows,
            total => entries.len(),
            scored => scored.len(),
            has_criteria => !criteria.is_empty(),
            chairs => chairs,
            signed => signed,
            message => message,
        },
    )
}

pub async fn entries(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    entries_page(&req, &state, &member, path.into_inner(), StatusCode::OK, None).await
}

/// One entry's sheet: a field per criterion, named by the criterion's id.
pub async fn score(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let (judge_id, entry_id) = path.into_inner();
    let (lang, _) = page_lang(&req);
    let sheet: Result<HashMap<String, i64>, ApiError> = form
        .into_iter()
        .map(|(criterion, points)| {
            points
                .trim()
                .parse::<i64>()
                .map(|p| (criterion, p))
                .map_err(|_| crate::web::competitions::invalid("points", "0–1000"))
        })
        .collect();
    let user_id = member.user.id.clone();
    let seat = judge_id.clone();
    let stored = match sheet {
        Ok(sheet) => {
            state
                .db
                .run(move |conn| {
                    let judge = own_seat(conn, &user_id, &seat)?;
                    Ok::<_, crate::db::DbError>(
                        judging::score(conn, &judge, &entry_id, &sheet).map_err(ApiError::from),
                    )
                })
                .await?
        }
        Err(e) => Err(e),
    };
    match stored {
        Ok(_) => Ok(see_other(&format!("/app/jury/{judge_id}#scored"))),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            let status = actix_web::ResponseError::status_code(&e);
            entries_page(&req, &state, &member, judge_id, status, Some(e.message_in(lang))).await
        }
        Err(e) => Err(e),
    }
}

/// The chair signs the protocol off in their own page; the scores are final from then on.
pub async fn sign_off(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<super::account::Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let judge_id = path.into_inner();
    let (lang, _) = page_lang(&req);
    let user_id = member.user.id.clone();
    let seat = judge_id.clone();
    let signed = state
        .db
        .run(move |conn| {
            let judge = own_seat(conn, &user_id, &seat)?;
            Ok::<_, crate::db::DbError>(judging::sign_off(conn, &judge).map_err(ApiError::from))
        })
        .await?;
    match signed {
        Ok(_) => Ok(see_other(&format!("/app/jury/{judge_id}#sign-off"))),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            let status = actix_web::ResponseError::status_code(&e);
            entries_page(&req, &state, &member, judge_id, status, Some(e.message_in(lang))).await
        }
        Err(e) => Err(e),
    }
}
