//! The review in the organizer's pages: blind review on or off, entries given to N judges at
//! random and changed by hand, each judge's progress, and the entries the chair should look at
//! (judges who disagree, ties the rule leaves, scores still missing). Every rule is in
//! `crate::judging`, as for the API.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::account::see_other;
use super::organizer::{detail_with_error, owned};
use super::session::{signed_in, CheckedForm, Member};
use super::view::{page, page_lang};
use crate::db;
use crate::domain::{Competition, CompetitionId, OrgId};
use crate::judging::{self, JudgingError};
use crate::reminders::Whom;
use crate::web::competitions::invalid;
use crate::web::reminders::remind_as;
use crate::web::{ApiError, AppState};

#[derive(Deserialize)]
pub struct BlindForm {
    #[serde(default)]
    blind: Option<String>,
}

pub async fn set_blind(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<BlindForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let (id, blind) = (competition.id.clone(), form.blind.is_some());
    let result = state
        .db
        .run(move |conn| judging::set_blind(conn, &id, blind))
        .await
        .map_err(ApiError::from);
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/app/competitions/{}?done=blind#review-h",
            competition.id
        ))),
        Err(e) => detail_with_error(&req, &state, &member, competition, e).await,
    }
}

async fn review_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition: Competition,
    status: StatusCode,
    message: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let (lang, _) = page_lang(req);
    let id = competition.id.clone();
    let (board, entries, rows, rounds, from_applications) = state
        .db
        .run(move |conn| {
            let board = judging::progress(conn, &id)?;
            let entries = db::entries::list(conn, &id)?;
            // Without criteria there is no ranking yet, and nothing to flag.
            let rows = match judging::ranking_rows(conn, &id) {
                Ok(rows) => rows,
                Err(JudgingError::Conflict(_)) => Vec::new(),
                Err(e) => return Err(e),
            };
            let rounds = judging::rounds_by_entry(conn, &id)?;
            let from_applications: std::collections::HashSet<String> = db::applications::list(conn, &id)?
                .into_iter()
                .filter_map(|a| a.entry_id)
                .collect();
            Ok::<_, JudgingError>((board, entries, rows, rounds, from_applications))
        })
        .await?;
    let names: HashMap<&str, &str> = board
        .judges
        .iter()
        .map(|j| (j.judge_id.as_str(), j.name.as_str()))
        .collect();
    let flagged: Vec<_> = rows
        .iter()
        .filter(|r| r.disagreement || r.chair_decides)
        .map(|r| {
            context! {
                holder => r.holder.clone(), score => r.score, place => r.place,
                disagreement => r.disagreement, chair_decides => r.chair_decides,
            }
        })
        .collect();
    let waiting = rows.iter().filter(|r| r.waiting).count();
    // What may go back for revision: scored entries, the flagged ones first.
    let mut returnable: Vec<_> = rows
        .iter()
        .filter(|r| r.score.is_some() && !rounds.get(&r.entry_id).is_some_and(|x| x.awaiting_revision))
        .collect();
    returnable.sort_by_key(|r| !(r.disagreement || r.chair_decides));
    let returnable: Vec<_> = returnable
        .into_iter()
        .map(|r| {
            context! {
                id => r.entry_id.clone(), holder => r.holder.clone(),
                score => r.score.map(|s| crate::export::score_text(s.as_f64())),
                flagged => r.disagreement || r.chair_decides,
            }
        })
        .collect();
    let holders: HashMap<&str, &str> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.holder.as_str()))
        .collect();
    let mut in_rounds: Vec<_> = rounds.iter().collect();
    in_rounds.sort_by_key(|(entry, _)| holders.get(entry.as_str()).copied());
    let in_rounds: Vec<_> = in_rounds
        .into_iter()
        .map(|(entry, r)| {
            context! {
                id => entry.clone(), holder => holders.get(entry.as_str()).copied(),
                round => r.round, awaiting => r.awaiting_revision,
                applicant => from_applications.contains(entry),
            }
        })
        .collect();
    let mut nominations: Vec<String> = entries.iter().filter_map(|e| e.nomination.clone()).collect();
    nominations.sort();
    nominations.dedup();
    let mut age_groups: Vec<String> = entries.iter().filter_map(|e| e.age_group.clone()).collect();
    age_groups.sort();
    age_groups.dedup();
    let list: Vec<_> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let reviewers: Vec<_> = board
                .reviewers
                .get(&e.id)
                .map(|js| {
                    js.iter()
                        .map(|j| context! { id => j.clone(), name => names.get(j.as_str()).copied() })
                        .collect()
                })
                .unwrap_or_default();
            context! {
                id => e.id.clone(), number => i + 1, holder => e.holder.clone(),
                organization => e.school.clone(), nomination => e.nomination.clone(), reviewers => reviewers,
            }
        })
        .collect();
    page(
        req,
        &member.visitor,
        status,
        "jury_review.html",
        context! {
            competition => context! { id => competition.id.clone(), title => competition.title_in(lang).to_string() },
            board => minijinja::Value::from_serialize(&board),
            entries => list,
            flagged => flagged,
            nominations => nominations,
            age_groups => age_groups,
            waiting => waiting,
            returnable => returnable,
            rounds => in_rounds,
            message => message,
            done => req.query_string().contains("done=assigned"),
            returned => req.query_string().contains("done=returned"),
            reminded => reminded_notice(req),
            late => board.judges.iter().filter(|j| j.scored < j.assigned).count(),
        },
    )
}

/// After reminding: how many judges were reminded and how many late ones were left out.
fn reminded_notice(req: &HttpRequest) -> Option<minijinja::Value> {
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string()).ok()?;
    if query.get("done").map(String::as_str) != Some("reminded") {
        return None;
    }
    let count = |key: &str| query.get(key).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
    Some(context! { n => count("n"), skipped => count("skipped") })
}

#[derive(Deserialize)]
pub struct RemindForm {
    /// One judge; absent: every judge with entries left.
    #[serde(default)]
    judge: Option<String>,
}

/// Reminds one late judge, or all of them, by e-mail (`crate::reminders`, as the API); a refusal
/// (reminded within the hours, no address) is shown on the review page.
pub async fn remind(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<RemindForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let whom = form.judge.map_or(Whom::AllLate, Whom::Judge);
    match remind_as(&state, &organizer, competition.id.clone(), whom).await {
        Ok(done) => Ok(see_other(&format!(
            "/app/competitions/{}/review?done=reminded&n={}&skipped={}#progress-h",
            competition.id,
            done.reminded.len(),
            done.skipped.len()
        ))),
        Err(e) => review_with_error(&req, &state, &member, competition, e).await,
    }
}

pub async fn review(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    review_page(&req, &state, &member, competition, StatusCode::OK, None).await
}

/// The review page again with what went wrong, under the error's own status.
async fn review_with_error(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition: Competition,
    error: ApiError,
) -> Result<HttpResponse, ApiError> {
    match error {
        ApiError::Invalid(_) | ApiError::Conflict(_) | ApiError::NotFound => {
            let (lang, _) = page_lang(req);
            let status = actix_web::ResponseError::status_code(&error);
            review_page(
                req,
                state,
                member,
                competition,
                status,
                Some(error.message_in(lang)),
            )
            .await
        }
        other => Err(other),
    }
}

/// Every action of the review page has one shape: the service on the blocking pool, then back to
/// the review page (`back`: its query and anchor), or the page again with what went wrong.
async fn act<T, E, F>(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition: Competition,
    service: F,
    back: &str,
) -> Result<HttpResponse, ApiError>
where
    T: Send + 'static,
    E: From<crate::db::DbError> + Send + 'static,
    ApiError: From<E>,
    F: FnOnce(&mut crate::db::DbConnection) -> Result<T, E> + Send + 'static,
{
    match state.db.run(service).await.map_err(ApiError::from) {
        Ok(_) => Ok(see_other(&format!(
            "/app/competitions/{}/review{back}",
            competition.id
        ))),
        Err(e) => review_with_error(req, state, member, competition, e).await,
    }
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    judges_per_entry: String,
}

pub async fn assign(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<AssignForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let Ok(per_entry) = form.judges_per_entry.trim().parse::<u32>() else {
        let error = invalid("judges_per_entry", "1, 2, 3…");
        return review_with_error(&req, &state, &member, competition, error).await;
    };
    let id = competition.id.clone();
    let service = move |conn: &mut _| judging::assign(conn, &id, per_entry);
    act(&req, &state, &member, competition, service, "?done=assigned").await
}

#[derive(Deserialize)]
pub struct AssignmentForm {
    judge: String,
    /// "1" gives the entry to the judge, "0" takes it away.
    assigned: String,
}

pub async fn set_assignment(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm<AssignmentForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let (competition_id, entry_id) = path.into_inner();
    let competition = owned(&state, &organizer, competition_id).await?;
    let (id, assigned) = (competition.id.clone(), form.assigned == "1");
    let service = move |conn: &mut _| judging::set_assignment(conn, &id, &form.judge, &entry_id, assigned);
    act(&req, &state, &member, competition, service, "#entries").await
}

/// A judge's panel from the review page: one `nomination` or `age_group` field per ticked box.
pub async fn set_panel(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let (competition_id, judge_id) = path.into_inner();
    let competition = owned(&state, &organizer, competition_id).await?;
    let pick = |field: &str| -> Vec<String> {
        form.iter()
            .filter(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let (nominations, age_groups) = (pick("nomination"), pick("age_group"));
    let id = competition.id.clone();
    let service =
        move |conn: &mut _| judging::set_panel(conn, &id, &judge_id, &nominations, Some(&age_groups));
    act(&req, &state, &member, competition, service, "#panels").await
}

#[derive(Deserialize)]
pub struct RevisionForm {
    #[serde(default)]
    entry: String,
    #[serde(default)]
    remark: String,
}

/// Returns a scored entry for revision with the organizer's words to its applicant.
pub async fn return_for_revision(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<RevisionForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let (org, id) = ids(&organizer, &competition);
    let actor = organizer.actor.clone();
    let service =
        move |conn: &mut _| judging::return_for_revision(conn, &org, &id, &form.entry, &form.remark, &actor);
    act(
        &req,
        &state,
        &member,
        competition,
        service,
        "?done=returned#rounds",
    )
    .await
}

#[derive(Deserialize)]
pub struct ReceivedForm {
    #[serde(default)]
    entry: String,
}

/// The revised work of an entry without an application came: its next round opens.
pub async fn revision_received(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<ReceivedForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let (org, id) = ids(&organizer, &competition);
    let service = move |conn: &mut _| judging::revision_received(conn, &org, &id, &form.entry);
    act(&req, &state, &member, competition, service, "#rounds").await
}

fn ids(organizer: &crate::web::auth::Organizer, competition: &Competition) -> (OrgId, CompetitionId) {
    (
        OrgId::from(organizer.organization_id.clone()),
        CompetitionId::from(competition.id.clone()),
    )
}
