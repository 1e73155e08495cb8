//! Organizer pages: competitions, results upload with preview, issuing with progress, judges.
//! Thin: the same service functions as the API handlers do the work.

use std::path::{Path, PathBuf};

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::account::{see_other, Empty};
use super::session::{signed_in, CheckedForm, Member};
use super::view::{ok, page, page_lang};
use crate::db;
use crate::domain::account::Role;
use crate::domain::jury::{Criterion, MaxPoints, Step, Tenths, Weight};
use crate::domain::{Competition, JobState, OrgId};
use crate::i18n::Lang;
use crate::web::auth::Organizer;
use crate::web::competitions::{archive_for, create_for, delete_for, update_for, CreateCompetition};
use crate::web::jobs::queue_issue;
use crate::web::{ApiError, AppState};

pub(super) fn competition_view(c: &Competition, lang: Lang) -> minijinja::Value {
    let d = &c.details;
    context! {
        id => c.id.clone(),
        title => c.title_in(lang).to_string(),
        kind => d.kind.as_str(),
        language => d.language.code(),
        starts_on => d.starts_on.map(crate::domain::time::format_date),
        ends_on => d.ends_on.map(crate::domain::time::format_date),
        city => d.city.clone(),
        status => c.status.as_str(),
        archived => c.archived_at.is_some(),
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    /// `?archived=true`: the archived competitions' tab, as the API's `?archived=true`.
    #[serde(default)]
    archived: bool,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let archived = query.archived;
    let organization_id: OrgId = organizer.organization_id.into();
    let (competitions, counts) = state
        .db
        .run(move |conn| {
            let competitions = crate::competitions::list(conn, &organization_id, archived)?;
            let counts = db::overview::counts(conn, &organization_id)?;
            Ok::<_, ApiError>((competitions, counts))
        })
        .await?;
    let (lang, _) = page_lang(&req);
    let rows: Vec<_> = competitions
        .iter()
        .map(|c| {
            let n = counts.get(&c.id).copied().unwrap_or_default();
            context! {
                competition => competition_view(c, lang),
                entries => n.entries,
                documents => n.documents,
                revoked => n.revoked,
                sent => n.mail_sent,
                failed => n.mail_failed + n.mail_uncertain,
            }
        })
        .collect();
    // The totals are those of the list shown: the active competitions, or the archived ones.
    let total = |count: fn(&db::overview::Counts) -> i64| {
        competitions
            .iter()
            .filter_map(|c| counts.get(&c.id))
            .map(count)
            .sum::<i64>()
    };
    ok(
        &req,
        &member.visitor,
        "competitions.html",
        context! {
            competitions => rows,
            archived => archived,
            total_entries => total(|n| n.entries),
            total_documents => total(|n| n.documents),
            total_revoked => total(|n| n.revoked),
            total_sent => total(|n| n.mail_sent),
            total_failed => total(|n| n.mail_failed + n.mail_uncertain),
        },
    )
}

/// The organization's departments, for a competition's form.
async fn departments_of(
    state: &AppState,
    organizer: &Organizer,
) -> Result<Vec<db::departments::Department>, ApiError> {
    let org = organizer.organization_id.clone();
    Ok(state
        .db
        .run(move |conn| db::departments::list(conn, &org))
        .await?)
}

pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let departments = departments_of(&state, &organizer).await?;
    ok(
        &req,
        &member.visitor,
        "competition_new.html",
        context! { departments => departments },
    )
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<CreateCompetition>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let departments = departments_of(&state, &organizer).await?;
    let created = match form.parse() {
        Ok(new) => create_for(&state, organizer.organization_id.into(), new).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(competition) => Ok(see_other(&format!("/app/competitions/{}", competition.id))),
        Err(e @ ApiError::Invalid(_)) => {
            let (lang, _) = page_lang(&req);
            page(
                &req,
                &member.visitor,
                StatusCode::BAD_REQUEST,
                "competition_new.html",
                context! { message => e.message_in(lang), departments => departments },
            )
        }
        Err(e) => Err(e),
    }
}

/// The competition's own form, filled with what it says now.
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let view = serde_json::to_value(crate::web::competitions::CompetitionView::from(competition))
        .map_err(ApiError::internal)?;
    let departments = departments_of(&state, &organizer).await?;
    ok(
        &req,
        &member.visitor,
        "competition_new.html",
        context! { competition => minijinja::Value::from_serialize(&view), departments => departments },
    )
}

pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<CreateCompetition>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let departments = departments_of(&state, &organizer).await?;
    let parsed = form.keeping(&competition).parse();
    let updated = match parsed {
        Ok(details) => {
            update_for(
                &state,
                organizer.organization_id.into(),
                competition.id.clone().into(),
                details,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match updated {
        Ok(c) => Ok(see_other(&format!("/app/competitions/{}?done=edited", c.id))),
        Err(e @ ApiError::Invalid(_)) => {
            let (lang, _) = page_lang(&req);
            let view = serde_json::to_value(crate::web::competitions::CompetitionView::from(competition))
                .map_err(ApiError::internal)?;
            page(
                &req,
                &member.visitor,
                StatusCode::BAD_REQUEST,
                "competition_new.html",
                context! {
                    message => e.message_in(lang),
                    competition => minijinja::Value::from_serialize(&view),
                    departments => departments,
                },
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    archived: String,
}

/// Archives the competition (out of the active list, papers still verifiable) or brings it back.
pub async fn archive(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<ArchiveForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let archived = form.archived == "true";
    let competition = archive_for(
        &state,
        organizer.organization_id.into(),
        path.into_inner().into(),
        archived,
    )
    .await?;
    let done = if archived { "archived" } else { "restored" };
    Ok(see_other(&format!(
        "/app/competitions/{}?done={done}#archive",
        competition.id
    )))
}

/// Deletes the competition, which the page offers only while it has no paper; the service refuses
/// it otherwise and the page says why, offering the archive.
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    match delete_for(
        &state,
        organizer.organization_id.into(),
        competition.id.clone().into(),
    )
    .await
    {
        Ok(()) => Ok(see_other("/app/competitions")),
        Err(e @ ApiError::Conflict(_)) => detail_with_error(&req, &state, &member, competition, e).await,
        Err(e) => Err(e),
    }
}

pub(super) async fn owned(
    state: &AppState,
    organizer: &Organizer,
    id: String,
) -> Result<Competition, ApiError> {
    let org = organizer.organization_id.clone();
    Ok(state
        .db
        .run(move |conn| db::competitions::find_owned(conn, &org, &id))
        .await?)
}

#[derive(Deserialize)]
pub struct DetailQuery {
    done: Option<String>,
    n: Option<i64>,
    /// After an import: how many rows were added, updated and unchanged.
    added: Option<i64>,
    updated: Option<i64>,
    unchanged: Option<i64>,
}

pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<DetailQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    detail_page(&req, &state, &member, competition, None, query.into_inner()).await
}

async fn detail_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition: Competition,
    message: Option<String>,
    query: DetailQuery,
) -> Result<HttpResponse, ApiError> {
    let (id, org) = (competition.id.clone(), competition.organization_id.clone());
    let (counts, criteria, judges, jury_people, last_job, rules, blind) = state
        .db
        .run(move |conn| {
            let blind = db::jury_review::is_blind(conn, &id)?;
            let counts = db::overview::counts_of(conn, std::slice::from_ref(&id))?
                .remove(&id)
                .unwrap_or_default();
            let criteria = db::jury::criteria(conn, &id)?;
            let judges = db::jury::judges_of_competition(conn, &id)?;
            let people = db::accounts::list_in_organization(conn, &org, Role::Jury)?;
            let last_job = db::jobs::latest_for_competition(conn, &id)?;
            let rules = db::jury::rules(conn, &id)?;
            Ok::<_, crate::db::DbError>((counts, criteria, judges, people, last_job, rules, blind))
        })
        .await?;
    let competition_id = competition.id.clone();
    let panel = state
        .db
        .run(move |conn| crate::judging::sign_off_state(conn, &competition_id))
        .await?;
    let (lang, _) = page_lang(req);
    let done = query.done.filter(|d| {
        [
            "imported",
            "scored",
            "criteria",
            "judge",
            "revoked",
            "reissued",
            "design",
            "rules",
            "blind",
            "assigned",
            "chair",
            "jury_applied",
            "advanced",
            "archived",
            "restored",
        ]
        .contains(&d.as_str())
    });
    let criteria_text: String = criteria
        .iter()
        .map(|c| match c.step {
            Step::Whole => format!("{}; {}\n", c.name, c.max_points.get()),
            step => format!(
                "{}; {}; {}\n",
                c.name,
                c.max_points.get(),
                Tenths::new(step.tenths()).with_comma()
            ),
        })
        .collect();
    let scale = super::jury_panel::rules_view(&rules, &criteria, lang);
    let judges: Vec<_> = judges
        .into_iter()
        .map(|j| context! { id => j.id, name => j.name, organization => j.organization })
        .collect();
    let people: Vec<_> = jury_people
        .into_iter()
        .map(|u| context! { id => u.id, name => u.name, email => u.email })
        .collect();
    let job = last_job
        .map(|j| context! { id => j.id, state => j.state.as_str(), done => j.done, total => j.total });
    let design_card = super::designs::competition_card(req, state, &competition).await?;
    ok(
        req,
        &member.visitor,
        "competition.html",
        context! {
            competition => competition_view(&competition, lang),
            entries => counts.entries,
            documents => counts.documents,
            revoked => counts.revoked,
            mail => context! {
                on => state.mail.is_on(),
                waiting => counts.mail_waiting,
                sent => counts.mail_sent,
                failed => counts.mail_failed,
                uncertain => counts.mail_uncertain,
            },
            criteria => criteria_text,
            judges => judges,
            jury_people => people,
            rules => minijinja::Value::from_serialize(&rules),
            scale => scale,
            blind => blind,
            chair => panel.chair.as_ref().map(|c| c.name.clone()),
            chair_id => panel.chair.map(|c| c.id),
            signed => panel.signed.map(|s| context! { by => s.signed_by, at => s.signed_at }),
            previous_stage => competition.details.previous_stage.clone(),
            job => job,
            done => done,
            n => query.n,
            added => query.added,
            updated => query.updated,
            unchanged => query.unchanged,
            message => message,
            designs => design_card,
        },
    )
}

/// The competition page again with what went wrong, under the error's own status.
pub(super) async fn detail_with_error(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition: Competition,
    error: ApiError,
) -> Result<HttpResponse, ApiError> {
    let (lang, _) = page_lang(req);
    let query = DetailQuery {
        done: None,
        n: None,
        added: None,
        updated: None,
        unchanged: None,
    };
    let message = Some(error.message_in(lang));
    let mut response = detail_page(req, state, member, competition, message, query).await?;
    *response.status_mut() = actix_web::ResponseError::status_code(&error);
    Ok(response)
}

pub(super) fn uploads_dir(state: &AppState, organization_id: &str) -> PathBuf {
    state.settings.data_dir.join("uploads").join(organization_id)
}

/// A previewed file waits this long for "import"; older ones are removed with the next upload.
const UPLOAD_KEPT: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
/// And an organization keeps at most this many, the newest: previews up to the upload limit each
/// must not fill the disk.
const UPLOADS_KEPT: usize = 10;

pub(super) fn keep_upload(dir: &Path, target: &Path, file: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut kept = Vec::new();
    for entry in std::fs::read_dir(dir)?.flatten() {
        let modified = entry.metadata().and_then(|m| m.modified()).ok();
        let stale = modified
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age > UPLOAD_KEPT);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        } else {
            kept.push((modified, entry.path()));
        }
    }
    // Oldest first; with the new one, no more than the quota stay.
    kept.sort();
    let over = (kept.len() + 1).saturating_sub(UPLOADS_KEPT);
    for (_, path) in kept.into_iter().take(over) {
        let _ = std::fs::remove_file(path);
    }
    std::fs::write(target, file)
}

pub async fn issue(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    match queue_issue(
        &state,
        organizer.organization_id.into(),
        competition.id.clone().into(),
        false,
    )
    .await
    {
        Ok(job) => Ok(see_other(&format!("/app/jobs/{}", job.id))),
        Err(e @ (ApiError::Conflict(_) | ApiError::MissingGlyphs(_))) => {
            detail_with_error(&req, &state, &member, competition, e).await
        }
        Err(e) => Err(e),
    }
}

async fn owned_job(state: &AppState, member: &Member, id: String) -> Result<crate::domain::Job, ApiError> {
    let organizer = member.organizer()?;
    Ok(state
        .db
        .run(move |conn| db::jobs::find_owned(conn, &organizer.organization_id, &id))
        .await?)
}

/// The job's progress: a `<progress>` bar that the page's script moves; without scripts the page
/// reloads itself until the job is over.
pub async fn job(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let job = owned_job(&state, &member, path.into_inner()).await?;
    let finished = matches!(job.state, JobState::Done | JobState::Failed);
    let percent = match job.total {
        0 if finished => 100,
        0 => 0,
        total => (i64::from(job.done) * 100 / i64::from(total)) as i32,
    };
    ok(
        &req,
        &member.visitor,
        "job.html",
        context! {
            job => context! {
                id => job.id,
                competition_id => job.competition_id,
                state => job.state.as_str(),
                done => job.done,
                total => job.total,
                percent => percent,
                finished => finished,
            },
        },
    )
}

/// The same progress as JSON for the page's script, under the session rather than a bearer token.
pub async fn job_status(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let job = owned_job(&state, &member, path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({
            "state": job.state.as_str(),
            "done": job.done,
            "total": job.total,
        })))
}

#[derive(Deserialize)]
pub struct CriteriaForm {
    #[serde(default)]
    criteria: String,
}

/// Criteria as lines of "name; max points".
pub async fn set_criteria(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<CriteriaForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let parsed: Option<Vec<Criterion>> = form
        .criteria
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split([';', '\t']).map(str::trim).collect();
            // "name; max" or "name; max; step" (1, 0,5 or 0,1).
            let (name, max, step) = match parts.as_slice() {
                [name, max] => (*name, *max, Step::Whole),
                [name, max, step] => (*name, *max, Step::from_tenths(Tenths::parse(step)?.get())?),
                _ => return None,
            };
            let name = crate::domain::entry::normalize_text(name);
            let max = MaxPoints::new(max.parse().ok()?)?;
            let weight = Weight::new(1.0)?;
            (!name.is_empty() && name.chars().count() <= 200).then(|| Criterion {
                id: uuid::Uuid::new_v4().to_string(),
                name,
                max_points: max,
                weight,
                step,
            })
        })
        .collect();
    let criteria = match parsed {
        Some(c) if !c.is_empty() && c.len() <= 50 => c,
        _ => {
            let error = crate::web::competitions::invalid("criteria", "name; 1–1000; 1 | 0,5 | 0,1");
            return detail_with_error(&req, &state, &member, competition, error).await;
        }
    };
    let id = competition.id.clone();
    // The same service as the API: criteria are refused once scored or signed off.
    let stored = state
        .db
        .run(move |conn| crate::judging::set_criteria(conn, &id, &criteria))
        .await
        .map_err(ApiError::from);
    match stored {
        Ok(()) => Ok(see_other(&format!(
            "/app/competitions/{}?done=criteria",
            competition.id
        ))),
        Err(e) => detail_with_error(&req, &state, &member, competition, e).await,
    }
}

#[derive(Deserialize)]
pub struct JudgeForm {
    user: String,
    #[serde(default)]
    organization: String,
}

/// Seats a person with a jury account as a judge of this competition.
pub async fn add_judge(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<JudgeForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let organization = crate::domain::entry::normalize_text(&form.organization);
    let id = competition.id.clone();
    // The same service as the API's judges: no judge joins a signed protocol.
    let seated = state
        .db
        .run(move |conn| {
            Ok::<_, crate::db::DbError>(
                crate::judging::seat_person(conn, &organizer.organization_id, &id, &form.user, organization)
                    .map_err(ApiError::from),
            )
        })
        .await?;
    if let Err(e @ ApiError::Conflict(_)) = seated {
        return detail_with_error(&req, &state, &member, competition, e).await;
    }
    seated?;
    Ok(see_other(&format!(
        "/app/competitions/{}?done=judge",
        competition.id
    )))
}
