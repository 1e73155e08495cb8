//! Jury pages: the competitions a person judges, the entries given to them with their progress,
//! and one entry at a time with its works beside the score form (points in halves or tenths where
//! the criterion says, a remark per criterion and one overall), saved and on to the next unscored
//! entry. What a judge may see (a blind review shows numbers, not names) is decided in
//! `crate::judging::desk`, as for the API.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::{context, Value};

use super::account::see_other;
use super::session::{signed_in, CheckedForm, Member};
use super::view::{ok, page, page_lang};
use crate::db::{self, DbConnection, DbError};
use crate::domain::jury::{Judge, Tenths};
use crate::judging::{self, Desk, EntryForJudge, JudgingError, SheetInput};
use crate::web::competitions::invalid;
use crate::web::{ApiError, AppState};

/// The person's own seat as this judge; anyone else's is not found.
fn own_seat(conn: &mut DbConnection, user_id: &str, judge_id: &str) -> Result<Judge, DbError> {
    db::jury::judges_of_user(conn, user_id)?
        .into_iter()
        .find(|j| j.id == judge_id)
        .ok_or(DbError::Query(diesel::result::Error::NotFound))
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
                let desk = judging::desk(conn, &judge)?;
                seats.push((judge, competition, desk.progress()));
            }
            Ok::<_, ApiError>(seats)
        })
        .await?;
    let seats: Vec<_> = seats
        .into_iter()
        .map(|(judge, competition, (scored, total))| {
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

/// The judge's seat, the competition's title and what is in front of them.
async fn seat_desk(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    judge_id: String,
) -> Result<(Judge, String, Desk), ApiError> {
    let user_id = member.user.id.clone();
    let (lang, _) = page_lang(req);
    state
        .db
        .run(move |conn| {
            let judge = own_seat(conn, &user_id, &judge_id)?;
            let competition = db::competitions::find(conn, &judge.competition_id)?;
            let desk = judging::desk(conn, &judge)?;
            Ok::<_, ApiError>((judge, competition.title_in(lang).to_string(), desk))
        })
        .await
}

/// An entry in a list or a heading: its number, and its name unless the review is blind.
fn entry_view(e: &EntryForJudge) -> Value {
    context! {
        id => e.id.clone(),
        number => e.number,
        holder => e.holder.clone(),
        organization => e.organization.clone(),
        supervisor => e.supervisor.clone(),
        nomination => e.nomination.clone(),
        age_group => e.age_group.clone(),
        conflict => e.conflict_of_interest,
        scored => e.scored,
        round => e.round,
        awaiting_revision => e.awaiting_revision,
        earlier => minijinja::Value::from_serialize(&e.earlier),
        works => e.works.iter().map(|w| context! {
            name => w.name.clone(), kind => w.kind, href => format!("/app/works/{}", w.id),
        }).collect::<Vec<_>>(),
    }
}

async fn entries_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    judge_id: String,
    status: StatusCode,
    message: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let (judge, title, desk) = seat_desk(req, state, member, judge_id).await?;
    let seat = judge.clone();
    let (panel, ties) = state
        .db
        .run(move |conn| {
            let panel = judging::sign_off_state(conn, &seat.competition_id)?;
            let chairs = panel.chair.as_ref().is_some_and(|chair| chair.id == seat.id);
            // The ties the rule left are the chair's to decide, until the protocol is signed.
            let ties = match (chairs && panel.signed.is_none(), judging::ties(conn, &seat)) {
                (true, Ok(ties)) => ties,
                (true, Err(JudgingError::Conflict(_))) | (false, _) => Vec::new(),
                (true, Err(e)) => return Err(e),
            };
            Ok::<_, JudgingError>((panel, ties))
        })
        .await?;
    let chairs = panel.chair.as_ref().is_some_and(|chair| chair.id == judge.id);
    let signed = panel
        .signed
        .map(|s| context! { by => s.signed_by, at => s.signed_at });
    let (scored, total) = desk.progress();
    let next = desk
        .entries
        .iter()
        .find(|e| !e.scored && !e.conflict_of_interest && !e.awaiting_revision)
        .map(|e| e.id.clone());
    page(
        req,
        &member.visitor,
        status,
        "jury_entries.html",
        context! {
            judge => context! { id => judge.id.clone(), name => judge.name.clone() },
            title => title,
            blind => desk.blind,
            entries => desk.entries.iter().map(entry_view).collect::<Vec<_>>(),
            total => total,
            scored => scored,
            next => next,
            has_criteria => !desk.criteria.is_empty(),
            chairs => chairs,
            signed => signed,
            ties => minijinja::Value::from_serialize(&ties),
            tie_done => req.query_string().contains("done=tie"),
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

/// What the judge typed, kept when the sheet comes back with a problem.
#[derive(Default)]
struct Typed {
    points: HashMap<String, String>,
    remarks: HashMap<String, String>,
    remark: String,
}

async fn entry_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    (judge_id, entry_id): (String, String),
    status: StatusCode,
    message: Option<String>,
    typed: Option<Typed>,
) -> Result<HttpResponse, ApiError> {
    let (judge, title, desk) = seat_desk(req, state, member, judge_id).await?;
    let at = desk
        .entries
        .iter()
        .position(|e| e.id == entry_id)
        .ok_or(ApiError::NotFound)?;
    let entry = &desk.entries[at];
    let (scored, total) = desk.progress();
    let typed = typed.unwrap_or_default();
    let sheet: Vec<_> = desk
        .criteria
        .iter()
        .map(|c| {
            let given = entry.points.get(&c.id).map(|p| p.with_comma());
            context! {
                id => c.id.clone(),
                name => c.name.clone(),
                max => c.max_points.get(),
                step => Tenths::new(c.step.tenths()).with_comma(),
                points => typed.points.get(&c.id).cloned().or(given).unwrap_or_default(),
                remark => typed.remarks.get(&c.id).cloned()
                    .or_else(|| entry.remarks.get(&c.id).cloned()).unwrap_or_default(),
            }
        })
        .collect();
    let neighbour = |i: Option<usize>| i.and_then(|i| desk.entries.get(i)).map(|e| e.id.clone());
    page(
        req,
        &member.visitor,
        status,
        "jury_entry.html",
        context! {
            judge => context! { id => judge.id.clone() },
            title => title,
            blind => desk.blind,
            entry => entry_view(entry),
            links => entry.links.clone(),
            sheet => sheet,
            remark => if typed.remark.is_empty() { entry.remark.clone() } else { typed.remark },
            has_criteria => !desk.criteria.is_empty(),
            total => total,
            scored => scored,
            left => total - scored,
            previous => neighbour(at.checked_sub(1)),
            following => neighbour(Some(at + 1)),
            saved => req.query_string().contains("saved=1"),
            message => message,
        },
    )
}

pub async fn entry(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    entry_page(
        &req,
        &state,
        &member,
        path.into_inner(),
        StatusCode::OK,
        None,
        None,
    )
    .await
}

/// The form's fields: `p-CRITERION` points ("0,5" as well as "0.5"), `r-CRITERION` remarks,
/// `remark` overall, `next` to go on to the next unscored entry.
fn read_sheet(form: &HashMap<String, String>) -> (Typed, Result<SheetInput, ApiError>) {
    let mut typed = Typed::default();
    let mut sheet = SheetInput::default();
    let mut problem = None;
    for (field, value) in form {
        if let Some(criterion) = field.strip_prefix("p-") {
            typed.points.insert(criterion.to_string(), value.clone());
            match Tenths::parse(value) {
                Some(points) => {
                    sheet.points.insert(criterion.to_string(), points);
                }
                None => problem = Some(invalid("points", format!("{value}: 0–1000, 0,5"))),
            }
        } else if let Some(criterion) = field.strip_prefix("r-") {
            typed.remarks.insert(criterion.to_string(), value.clone());
            sheet.remarks.insert(criterion.to_string(), value.clone());
        } else if field == "remark" {
            typed.remark = value.clone();
            sheet.remark = value.clone();
        }
    }
    (typed, problem.map_or(Ok(sheet), Err))
}

/// One entry's sheet saved; then the same entry again, or the next one not scored yet.
pub async fn score(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let (judge_id, entry_id) = path.into_inner();
    let (lang, _) = page_lang(&req);
    let go_on = form.get("next").is_some_and(|v| v == "1");
    let (typed, sheet) = read_sheet(&form);
    let user_id = member.user.id.clone();
    let (seat, entry) = (judge_id.clone(), entry_id.clone());
    let stored = match sheet {
        Ok(sheet) => {
            state
                .db
                .run(move |conn| {
                    let judge = own_seat(conn, &user_id, &seat)?;
                    judging::score(conn, &judge, &entry, &sheet)?;
                    let desk = judging::desk(conn, &judge)?;
                    // The next entry to score: after this one, else from the top.
                    let at = desk.entries.iter().position(|e| e.id == entry).unwrap_or(0);
                    let open = |e: &&EntryForJudge| !e.scored && !e.conflict_of_interest;
                    let next = desk.entries[at..]
                        .iter()
                        .find(open)
                        .or_else(|| desk.entries[..at].iter().find(open))
                        .map(|e| e.id.clone());
                    Ok::<_, ApiError>(next)
                })
                .await
        }
        Err(e) => Err(e),
    };
    match stored {
        Ok(Some(next)) if go_on => Ok(see_other(&format!("/app/jury/{judge_id}/entries/{next}#sheet"))),
        Ok(None) if go_on => Ok(see_other(&format!("/app/jury/{judge_id}?done=all#scored"))),
        Ok(_) => Ok(see_other(&format!(
            "/app/jury/{judge_id}/entries/{entry_id}?saved=1#sheet"
        ))),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            let status = actix_web::ResponseError::status_code(&e);
            let message = Some(e.message_in(lang));
            entry_page(
                &req,
                &state,
                &member,
                (judge_id, entry_id),
                status,
                message,
                Some(typed),
            )
            .await
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

/// The chair decides a tie the rule left, in their own page: a position for every entry of it
/// (`position_<entry id>` fields, 1 first).
pub async fn decide_tie(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let (member, fields) = signed_in(form)?;
    let judge_id = path.into_inner();
    let (lang, _) = page_lang(&req);
    let mut order: Vec<(u32, String)> = Vec::new();
    for (name, value) in fields {
        if let Some(entry) = name.strip_prefix("position_") {
            let Ok(position) = value.trim().parse::<u32>() else {
                let error = crate::web::competitions::invalid("position", "1, 2, 3…");
                return entries_page(
                    &req,
                    &state,
                    &member,
                    judge_id,
                    StatusCode::BAD_REQUEST,
                    Some(error.message_in(lang)),
                )
                .await;
            };
            order.push((position, entry.to_string()));
        }
    }
    order.sort();
    let order: Vec<String> = order.into_iter().map(|(_, entry)| entry).collect();
    let user_id = member.user.id.clone();
    let seat = judge_id.clone();
    let decided = state
        .db
        .run(move |conn| {
            let judge = own_seat(conn, &user_id, &seat)?;
            Ok::<_, crate::db::DbError>(judging::decide_tie(conn, &judge, &order).map_err(ApiError::from))
        })
        .await?;
    match decided {
        Ok(()) => Ok(see_other(&format!("/app/jury/{judge_id}?done=tie#sign-off"))),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            let status = actix_web::ResponseError::status_code(&e);
            entries_page(&req, &state, &member, judge_id, status, Some(e.message_in(lang))).await
        }
        Err(e) => Err(e),
    }
}
