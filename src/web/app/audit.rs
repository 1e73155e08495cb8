//! The audit log page (administrators): who did what, newest first, a hundred at a time, and the
//! organization's retention setting above it. The same services as `GET /api/v1/audit` and
//! `PUT /api/v1/organization/retention`.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::account::see_other;
use super::session::{signed_in, CheckedForm, Member};
use super::view::ok;
use crate::domain::account::Role;
use crate::web::{ApiError, AppState};

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    if member.role() != Role::Admin {
        return Err(ApiError::NotFound);
    }
    let organization_id = member.user.organization_id.clone();
    let before = query.into_inner().before;
    let (events, retention) = state
        .db
        .run(move |conn| {
            Ok::<_, crate::db::DbError>((
                crate::audit::page(conn, &organization_id, before.as_deref())?,
                crate::retention::setting(conn, &organization_id)?,
            ))
        })
        .await?;
    let older = (events.len() as i64 == crate::audit::PAGE)
        .then(|| events.last().map(|e| e.id.clone()))
        .flatten();
    let events: Vec<_> = events
        .into_iter()
        .map(|e| {
            context! {
                at => e.at,
                actor => e.actor.label,
                action => e.action.as_str(),
                subject => e.subject,
            }
        })
        .collect();
    let saved = req.query_string().contains("done=saved");
    let refused = req.query_string().contains("error=days");
    ok(
        &req,
        &member.visitor,
        "audit.html",
        context! {
            events => events,
            older => older,
            retention_days => retention,
            min_days => crate::retention::MIN_DAYS,
            max_days => crate::retention::MAX_DAYS,
            saved => saved,
            refused => refused,
        },
    )
}

#[derive(Deserialize)]
pub struct RetentionForm {
    /// Days, or empty to keep personal data (CheckedForm drops empty fields).
    days: Option<String>,
}

/// The retention setting from the page; a refusal is shown above the form.
pub async fn set_retention(
    state: web::Data<AppState>,
    form: CheckedForm<RetentionForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    if member.role() != Role::Admin {
        return Err(ApiError::NotFound);
    }
    let organizer = member.organizer()?;
    let days = match form.days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse::<u32>().map(Some).map_err(|_| {
            ApiError::Invalid(crate::i18n::Message::InvalidField {
                field: "days",
                reason: format!("{}–{}", crate::retention::MIN_DAYS, crate::retention::MAX_DAYS),
            })
        }),
    };
    let saved = match days {
        Ok(days) => crate::web::audit::set_retention_for(&state, organizer, days).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(see_other("/app/audit?done=saved")),
        Err(ApiError::Invalid(_)) => Ok(see_other("/app/audit?error=days")),
        Err(e) => Err(e),
    }
}
