//! Organizer pages: competitions, results upload with preview, issuing with progress, judges.
//! Thin: the same service functions as the API handlers do the work.

use std::path::{Path, PathBuf};

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use minijinja::context;
use serde::Deserialize;

use super::account::{see_other, Empty};
use super::session::{signed_in, CheckedForm, Member};
use super::view::{ok, page, page_lang};
use crate::db::{self, write_transaction, DbError};
use crate::domain::account::Role;
use crate::domain::jury::{Criterion, MaxPoints, Weight};
use crate::domain::{Competition, JobState};
use crate::i18n::{Lang, Message};
use crate::intake::{IntakeLimits, IntakeOptions};
use crate::web::auth::Organizer;
use crate::web::competitions::{create_for, own_design_names, store_results, CreateCompetition};
use crate::web::jobs::queue_issue;
use crate::web::results::read_results;
use crate::web::{ApiError, AppState};

const PREVIEW_ROWS: usize = 50;

fn competition_view(c: &Competition, lang: Lang) -> minijinja::Value {
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
    }
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (competitions, counts) = state
        .db
        .run(move |conn| {
            let competitions = db::competitions::list(conn, &organizer.organization_id)?;
            let counts = db::overview::counts(conn, &organizer.organization_id)?;
            Ok((competitions, counts))
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
    let total = |count: fn(&db::overview::Counts) -> i64| counts.values().map(count).sum::<i64>();
    ok(
        &req,
        &member.visitor,
        "competitions.html",
        context! {
            competitions => rows,
            total_entries => total(|n| n.entries),
            total_documents => total(|n| n.documents),
            total_revoked => total(|n| n.revoked),
            total_sent => total(|n| n.mail_sent),
            total_failed => total(|n| n.mail_failed + n.mail_uncertain),
        },
    )
}

pub async fn new_form(req: HttpRequest, member: Member) -> Result<HttpResponse, ApiError> {
    member.organizer()?;
    ok(&req, &member.visitor, "competition_new.html", context! {})
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<CreateCompetition>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let own = own_design_names(&state, &organizer.organization_id).await?;
    let created = match form.parse(|d| state.issuance.renderer.knows_design(d) || own.iter().any(|n| n == d))
    {
        Ok(new) => create_for(&state, organizer.organization_id, new).await,
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
                context! { message => e.message_in(lang) },
            )
        }
        Err(e) => Err(e),
    }
}

async fn owned(state: &AppState, organizer: &Organizer, id: String) -> Result<Competition, ApiError> {
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
    let (counts, criteria, judges, jury_people, last_job) = state
        .db
        .run(move |conn| {
            let counts = db::overview::counts(conn, &org)?.remove(&id).unwrap_or_default();
            let criteria = db::jury::criteria(conn, &id)?;
            let judges = db::jury::judges_of_competition(conn, &id)?;
            let people = db::accounts::list_in_organization(conn, &org, Role::Jury)?;
            let last_job = db::jobs::latest_for_competition(conn, &id)?;
            Ok((counts, criteria, judges, people, last_job))
        })
        .await?;
    let (lang, _) = page_lang(req);
    let done = query.done.filter(|d| {
        [
            "imported", "scored", "criteria", "judge", "revoked", "reissued", "design",
        ]
        .contains(&d.as_str())
    });
    let criteria_text: String = criteria
        .iter()
        .map(|c| format!("{}; {}\n", c.name, c.max_points.get()))
        .collect();
    let judges: Vec<_> = judges
        .into_iter()
        .map(|j| context! { name => j.name, organization => j.organization })
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
            job => job,
            done => done,
            n => query.n,
            message => message,
            designs => design_card,
        },
    )
}

/// The competition page again with what went wrong, under the error's own status.
async fn detail_with_error(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition: Competition,
    error: ApiError,
) -> Result<HttpResponse, ApiError> {
    let (lang, _) = page_lang(req);
    let query = DetailQuery { done: None, n: None };
    let message = Some(error.message_in(lang));
    let mut response = detail_page(req, state, member, competition, message, query).await?;
    *response.status_mut() = actix_web::ResponseError::status_code(&error);
    Ok(response)
}

fn uploads_dir(state: &AppState, organization_id: &str) -> PathBuf {
    state.settings.data_dir.join("uploads").join(organization_id)
}

/// A previewed file waits this long for "import"; older ones are removed with the next upload.
const UPLOAD_KEPT: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
/// And an organization keeps at most this many, the newest: previews up to the upload limit each
/// must not fill the disk.
const UPLOADS_KEPT: usize = 10;

fn keep_upload(dir: &Path, target: &Path, file: &[u8]) -> std::io::Result<()> {
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

/// An upload form's parts: the file, the CSRF token, the mode (results) or the picture's name
/// (designs). Read up to the upload limit.
pub(super) struct Upload {
    pub file: Vec<u8>,
    pub csrf: Option<String>,
    pub replace: bool,
    pub asset: Option<String>,
}

pub(super) async fn read_multipart(mut multipart: Multipart, limit: usize) -> Result<Upload, ApiError> {
    let mut upload = Upload {
        file: Vec::new(),
        csrf: None,
        replace: false,
        asset: None,
    };
    let bad = |e: actix_multipart::MultipartError| ApiError::Invalid(Message::InvalidJson(e.to_string()));
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(bad)?;
        let name = field.name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(bad)?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => upload.file = bytes,
            "csrf" => upload.csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "mode" => upload.replace = bytes == b"replace",
            "asset" => upload.asset = Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ => {}
        }
    }
    Ok(upload)
}

fn intake_options(state: &AppState) -> IntakeOptions {
    IntakeOptions {
        limits: IntakeLimits {
            max_rows: state.settings.max_rows,
            ..IntakeLimits::default()
        },
        columns: Default::default(),
        awards: Default::default(),
    }
}

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
    let (lang, _) = page_lang(&req);
    let reading = match read_results(upload.file.clone(), intake_options(&state)).await {
        Ok(reading) => reading,
        Err(ApiError::InvalidResults(errors)) => {
            let errors: Vec<_> = errors.iter().map(|e| e.localized(lang)).collect();
            return page(
                &req,
                &member.visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                "preview.html",
                context! { competition => competition_view(&competition, lang), errors => errors, rows => Vec::<String>::new(), total_rows => 0 },
            );
        }
        Err(e) => return Err(e),
    };
    let upload_id = uuid::Uuid::new_v4().simple().to_string();
    let dir = uploads_dir(&state, &organizer.organization_id);
    let (file, target) = (upload.file, dir.join(&upload_id));
    web::block(move || keep_upload(&dir, &target, &file))
        .await?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let errors: Vec<_> = reading.errors.iter().map(|e| e.localized(lang)).collect();
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
                award => d.award.title(lang),
            }
        })
        .collect();
    let columns: Vec<String> = reading
        .columns
        .iter()
        .map(|c| serde_json::to_value(c).map(|v| v.to_string()).unwrap_or_default())
        .collect();
    ok(
        &req,
        &member.visitor,
        "preview.html",
        context! {
            competition => competition_view(&competition, lang),
            upload_id => upload_id,
            replace => upload.replace,
            rows => rows,
            total_rows => reading.rows,
            good_rows => reading.drafts.len(),
            errors => errors,
            columns => columns,
            encoding => reading.source.encoding,
            format => reading.source.format,
            header_row => reading.header_row,
        },
    )
}

#[derive(Deserialize)]
pub struct ImportForm {
    upload: String,
    mode: Option<String>,
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
    // The name is ours (a UUID) and the folder the organization's: nothing else can be read.
    let upload_id = uuid::Uuid::parse_str(&form.upload)
        .map_err(|_| ApiError::NotFound)?
        .simple()
        .to_string();
    let file = uploads_dir(&state, &organizer.organization_id).join(upload_id);
    let bytes = web::block(move || {
        let bytes = std::fs::read(&file);
        let _ = std::fs::remove_file(&file);
        bytes
    })
    .await?
    .map_err(|_| ApiError::NotFound)?;
    let result = async {
        let drafts = read_results(bytes, intake_options(&state)).await?.into_drafts()?;
        store_results(
            &state,
            competition.id.clone(),
            drafts,
            form.mode.as_deref() == Some("replace"),
        )
        .await
    }
    .await;
    match result {
        Ok((imported, _, _)) => Ok(see_other(&format!(
            "/app/competitions/{}?done=imported&n={imported}",
            competition.id
        ))),
        Err(e @ (ApiError::Conflict(_) | ApiError::InvalidResults(_))) => {
            detail_with_error(&req, &state, &member, competition, e).await
        }
        Err(e) => Err(e),
    }
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
    match queue_issue(&state, organizer.organization_id, competition.id.clone(), false).await {
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
            let (name, max) = line.rsplit_once([';', '\t'])?;
            let name = crate::domain::entry::normalize_text(name);
            let max = MaxPoints::new(max.trim().parse().ok()?)?;
            let weight = Weight::new(1.0)?;
            (!name.is_empty() && name.chars().count() <= 200).then(|| Criterion {
                id: uuid::Uuid::new_v4().to_string(),
                name,
                max_points: max,
                weight,
            })
        })
        .collect();
    let criteria = match parsed {
        Some(c) if !c.is_empty() && c.len() <= 50 => c,
        _ => {
            let error = crate::web::competitions::invalid("criteria", "name; 1–1000");
            return detail_with_error(&req, &state, &member, competition, error).await;
        }
    };
    let id = competition.id.clone();
    let stored = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                if db::jury::has_scores(conn, &id)? {
                    return Ok(Err(ApiError::Conflict(Message::CriteriaLocked)));
                }
                db::jury::replace_criteria(conn, &id, &criteria)?;
                Ok::<_, DbError>(Ok(()))
            })
        })
        .await?;
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
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<JudgeForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let organization = crate::domain::entry::normalize_text(&form.organization);
    let id = competition.id.clone();
    state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let person =
                    db::accounts::find_in_organization(conn, &organizer.organization_id, &form.user)?;
                if person.role != Role::Jury {
                    return Err(DbError::Query(diesel::result::Error::NotFound));
                }
                let (judge, _) = db::jury::create_judge(
                    conn,
                    &organizer.organization_id,
                    &id,
                    person.name.clone(),
                    organization,
                )?;
                db::jury::assign_user(conn, &judge.id, &person.id)
            })
        })
        .await?;
    Ok(see_other(&format!(
        "/app/competitions/{}?done=judge",
        competition.id
    )))
}
