//! The organizer's pages of a competition's public side: the announcement and its application
//! form (a field builder that works without scripts: one row per field, three blank rows for new
//! ones), the rules document, the table of applications with filters and counts, one application
//! with its works and the decision, and the works themselves for the organizer and the jury.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use minijinja::context;
use serde::Deserialize;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::account::see_other;
use super::session::{signed_in, CheckedForm, Member};
use super::upload::read_multipart;
use super::view::{again, ok, page_lang};
use crate::applications::{self, Reader};
use crate::domain::application::{Call, Decision, FieldKind, FileKind, FormField};
use crate::domain::{CompetitionId, OrgId};
use crate::web::applications::{decide_for, export_table, listing, FilterQuery, RULES_LIMIT};
use crate::web::results::ExportFormat;
use crate::web::{ApiError, AppState};

/// Blank rows the builder offers for new fields.
const NEW_ROWS: usize = 3;

fn local(moment: Option<OffsetDateTime>) -> Option<String> {
    moment.and_then(|m| {
        m.format(format_description!("[year]-[month]-[day]T[hour]:[minute]"))
            .ok()
    })
}

fn offset_text(call: &Call) -> String {
    let offset = call
        .deadline
        .or(call.opens_at)
        .map(|m| m.offset())
        .unwrap_or(UtcOffset::from_hms(5, 0, 0).unwrap_or(UtcOffset::UTC));
    offset
        .format(format_description!(
            "[offset_hour sign:mandatory]:[offset_minute]"
        ))
        .unwrap_or_else(|_| "+05:00".into())
}

fn call_form_view(call: &Call) -> minijinja::Value {
    let mut rows: Vec<_> = call
        .fields
        .iter()
        .map(|f| {
            context! { key => f.key.clone(), label => f.label.clone(), kind => f.kind.as_str(),
            required => f.required, options => f.options.join("; ") }
        })
        .collect();
    rows.extend(
        (0..NEW_ROWS)
            .map(|_| context! { key => "", label => "", kind => "text", required => false, options => "" }),
    );
    context! {
        published => call.published,
        summary => call.summary.clone(),
        contacts => call.contacts.clone(),
        opens_at => local(call.opens_at),
        deadline => local(call.deadline),
        offset => offset_text(call),
        nominations => call.nominations.join("\n"),
        age_groups => call.age_groups.join("\n"),
        team_max => call.team_max,
        files_max => call.files_max,
        file_mb => call.file_mb,
        file_kinds => call.file_kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        has_rules => call.has_rules,
        results_published => call.results_published,
        rows => rows,
    }
}

/// The call's page: `call` as shown (the stored one when none is given), with what refused the
/// last change, if anything did.
async fn call_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition_id: String,
    call: Option<Call>,
    refused: Option<(StatusCode, String)>,
) -> Result<HttpResponse, ApiError> {
    let org = OrgId::from(member.organizer()?.organization_id);
    let (lang, _) = page_lang(req);
    let id = CompetitionId::from(competition_id);
    let (competition, call) = state
        .db
        .run(move |conn| {
            let competition = crate::db::competitions::find_owned(conn, &org, &id)?;
            let call = match call {
                Some(call) => call,
                None => applications::call_of(conn, &org, &id)?,
            };
            Ok::<_, applications::ApplicationError>((competition, call))
        })
        .await?;
    let extra = context! {
        competition => super::organizer::competition_view(&competition, lang),
        call => call_form_view(&call),
        kinds => FieldKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        file_kinds => FileKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        offsets => (2..=12).map(|h| format!("+{h:02}:00")).collect::<Vec<_>>(),
        public_link => format!("{}/c/{}", state.settings.public_url.trim_end_matches('/'), competition.id),
        saved => req.query_string().contains("saved=1"),
    };
    match refused {
        Some((status, error)) => again(req, &member.visitor, status, "call.html", &error, extra),
        None => ok(req, &member.visitor, "call.html", extra),
    }
}

/// What a refused change shows: the status and the message in the page's language.
fn refusal(req: &HttpRequest, error: ApiError) -> Option<(StatusCode, String)> {
    let (lang, _) = page_lang(req);
    Some((error.status_code(), error.message_in(lang)))
}

pub async fn call_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    call_page(&req, &state, &member, path.into_inner(), None, None).await
}

/// The call a submitted builder form describes; a field it cannot read is named.
fn parse_call(form: &HashMap<String, String>) -> Result<Call, &'static str> {
    let text = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let on = |k: &str| form.get(k).is_some_and(|v| !v.is_empty());
    let number = |k: &str, default: u32| -> Result<u32, &'static str> {
        match text(k) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| "call_error_number"),
        }
    };
    let lines = |k: &str| -> Vec<String> {
        text(k)
            .map(|v| v.lines().map(str::to_string).collect())
            .unwrap_or_default()
    };
    let offset = text("offset")
        .and_then(|o| {
            UtcOffset::parse(
                &o,
                format_description!("[offset_hour sign:mandatory]:[offset_minute]"),
            )
            .ok()
        })
        .ok_or("call_error_moment")?;
    let moment = |k: &str| -> Result<Option<OffsetDateTime>, &'static str> {
        match text(k) {
            None => Ok(None),
            Some(v) => {
                PrimitiveDateTime::parse(&v, format_description!("[year]-[month]-[day]T[hour]:[minute]"))
                    .map(|m| Some(m.assume_offset(offset)))
                    .map_err(|_| "call_error_moment")
            }
        }
    };
    let mut fields = Vec::new();
    for row in 0..100 {
        let at = |name: &str| format!("field_{row}_{name}");
        if !form.contains_key(&at("kind")) {
            continue;
        }
        let kind = text(&at("kind"))
            .and_then(|k| FieldKind::parse(&k))
            .ok_or("call_error_field")?;
        if on(&at("remove")) {
            continue;
        }
        fields.push(FormField {
            key: text(&at("key")).unwrap_or_default(),
            label: text(&at("label")).unwrap_or_default(),
            kind,
            required: on(&at("required")),
            options: text(&at("options"))
                .map(|o| o.split(';').map(|s| s.trim().to_string()).collect())
                .unwrap_or_default(),
        });
    }
    Ok(Call {
        published: on("published"),
        summary: text("summary"),
        contacts: text("contacts"),
        opens_at: moment("opens_at")?,
        deadline: moment("deadline")?,
        nominations: lines("nominations"),
        age_groups: lines("age_groups"),
        fields,
        team_max: number("team_max", 0)?,
        files_max: number("files_max", 1)?,
        file_mb: number("file_mb", 10)?,
        file_kinds: FileKind::ALL
            .into_iter()
            .filter(|k| on(&format!("kind_{}", k.as_str())))
            .collect(),
        has_rules: false,
        results_published: on("results_published"),
    })
}

pub async fn save_call(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let id = path.into_inner();
    let call = match parse_call(&form) {
        Ok(call) => call,
        Err(text) => {
            let (lang, _) = page_lang(&req);
            let refused = Some((StatusCode::UNPROCESSABLE_ENTITY, state.app_pages.text(lang, text)));
            return call_page(&req, &state, &member, id, None, refused).await;
        }
    };
    let (org, competition) = (
        OrgId::from(organizer.organization_id),
        CompetitionId::from(id.clone()),
    );
    let attempt = call.clone();
    let saved = state
        .db
        .run(move |conn| applications::save_call(conn, &org, &competition, attempt))
        .await;
    match saved {
        Ok(_) => {
            state.results.forget(&id);
            Ok(see_other(&format!("/app/competitions/{id}/call?saved=1")))
        }
        Err(e) => call_page(&req, &state, &member, id, Some(call), refusal(&req, e.into())).await,
    }
}

pub async fn upload_rules(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let upload = read_multipart(multipart, RULES_LIMIT).await?;
    member.visitor.check_csrf(upload.csrf.as_deref())?;
    let id = path.into_inner();
    let (org, competition) = (
        OrgId::from(organizer.organization_id),
        CompetitionId::from(id.clone()),
    );
    let store = state.works.clone();
    let pdf = (!upload.file.is_empty()).then_some(upload.file);
    let result = state
        .db
        .run(move |conn| applications::set_rules(conn, &store, &org, &competition, pdf.as_deref()))
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/app/competitions/{id}/call?saved=1"))),
        Err(e) => call_page(&req, &state, &member, id, None, refusal(&req, e.into())).await,
    }
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let id = path.into_inner();
    let (listing, call) = listing(&state, &organizer, id.clone(), query.filter()?).await?;
    let (lang, _) = page_lang(&req);
    let organization_id = organizer.organization_id.clone();
    let competition = state
        .db
        .run(move |conn| crate::db::competitions::find_owned(conn, &organization_id, &id))
        .await?;
    let rows: Vec<_> = listing
        .applications
        .iter()
        .map(|(a, files)| {
            context! { id => a.id.clone(), number => a.number, holder => a.holder.clone(),
            team => a.team_members.len(), school => a.school.clone(), region => a.region.clone(),
            nomination => a.nomination.clone(), age_group => a.age_group.clone(),
            state => a.state.as_str(), files => files.len(), confirmed => a.email_confirmed_at.is_some(),
            sent_at => a.created_at.clone() }
        })
        .collect();
    ok(
        &req,
        &member.visitor,
        "applications.html",
        context! {
            competition => super::organizer::competition_view(&competition, lang),
            rows => rows,
            total => listing.total,
            by_state => listing.by_state,
            by_nomination => listing.by_nomination,
            by_region => listing.by_region,
            filter => context! { state => query.state.clone(), nomination => query.nomination.clone(),
                region => query.region.clone(), q => query.q.clone() },
            query => req.query_string(),
            deadline => call.deadline.map(crate::domain::application::format_moment),
        },
    )
}

pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (lang, _) = page_lang(&req);
    export_table(
        &state,
        &organizer,
        path.into_inner(),
        query.filter()?,
        ExportFormat::Xlsx,
        lang,
    )
    .await
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let org = OrgId::from(organizer.organization_id);
    let id = path.into_inner();
    let (application, files, call, competition) = state
        .db
        .run(move |conn| {
            let (application, files) = applications::find(conn, &org, &id)?;
            let competition_id = CompetitionId::from(application.competition_id.clone());
            let call = applications::call_of(conn, &org, &competition_id)?;
            let competition = crate::db::competitions::find(conn, &competition_id)?;
            Ok::<_, applications::ApplicationError>((application, files, call, competition))
        })
        .await?;
    let (lang, _) = page_lang(&req);
    let answers: Vec<_> = call
        .fields
        .iter()
        .filter_map(|f| {
            Some(context! { label => f.label.clone(), value => application.answers.get(&f.key)?.clone() })
        })
        .collect();
    let works: Vec<_> = files
        .iter()
        .map(|f| {
            context! { name => f.name.clone(), size_kb => (f.size + 1023) / 1024, media_type => f.media_type.clone(),
            href => format!("/app/works/{}", f.id), inline => f.media_type == "application/pdf" || f.media_type.starts_with("image/") }
        })
        .collect();
    ok(
        &req,
        &member.visitor,
        "application.html",
        context! {
            competition => super::organizer::competition_view(&competition, lang),
            application => application,
            answers => answers,
            works => works,
        },
    )
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: String,
    #[serde(default)]
    remark: String,
}

pub async fn decide(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<DecideForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let id = path.into_inner();
    let decision = match form.decision.as_str() {
        "accept" => Decision::Accept,
        "return" => Decision::Return(form.remark),
        "reject" => Decision::Reject(form.remark),
        _ => return Err(ApiError::NotFound),
    };
    decide_for(&state, &organizer, id.clone(), decision).await?;
    Ok(see_other(&format!("/app/applications/{id}?done=1")))
}

/// A work file for a signed-in organizer of its organization, or a judge of its competition.
pub async fn work(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let file = path.into_inner();
    let user = member.user.clone();
    let org = OrgId::from(user.organization_id.clone());
    if member.role().runs_competitions() {
        return crate::web::portal::work_response(&state, move |conn| {
            applications::work_file(conn, Reader::Organizer(&org), &file)
        })
        .await;
    }
    // A judge opens only the works of entries given to them, unnamed in a blind review.
    crate::web::portal::work_response(&state, move |conn| {
        crate::judging::work_for_person(conn, &user.id, &file)
    })
    .await
}
