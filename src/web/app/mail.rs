//! E-mail from the competition page: send the issued papers, see every message's state (and the
//! mail server's own words when it refused one), send again what failed or is uncertain.
//! The outbox and its worker do the sending, as for the API.

use std::future::Future;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use minijinja::{context, Value};
use serde::Deserialize;

use super::account::{see_other, Empty};
use super::session::{signed_in, CheckedForm, Member};
use super::view::{page, page_lang};
use crate::domain::outbox::{OutboxMessage, OutboxState};
use crate::web::deliveries::{competition_messages, queue_competition, requeue_failed, requeue_one};
use crate::web::{ApiError, AppState};

/// Messages a page lists; those that need the organizer (failed, uncertain) come first.
const SHOWN: usize = 300;
const DONE: [&str; 3] = ["queued", "requeued", "resent"];

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
    n: Option<i64>,
    /// Papers that had no address to send them to, after "send".
    skipped: Option<i64>,
}

/// A message as the page shows it.
pub fn message_view(m: &OutboxMessage) -> Value {
    context! {
        id => m.id.clone(),
        kind => m.recipient_kind.as_str(),
        name => m.recipient_name.clone(),
        email => m.recipient_email.clone(),
        state => m.state.as_str(),
        error => m.last_error.clone(),
        attempts => m.attempts,
        sent_at => m.sent_at.as_deref().map(|t| t.chars().take(16).collect::<String>().replace('T', " ")),
        documents => m.documents.len(),
        resendable => m.state.is_resendable(),
    }
}

fn needs_attention(state: OutboxState) -> bool {
    matches!(state, OutboxState::Failed | OutboxState::Uncertain)
}

pub async fn deliveries(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let extra = context! {
        done => query.done.filter(|d| DONE.contains(&d.as_str())),
        n => query.n,
        skipped => query.skipped.filter(|n| *n > 0),
    };
    deliveries_page(&req, &state, &member, path.into_inner(), StatusCode::OK, extra).await
}

/// The page of a competition's messages; `extra` adds a notice or an error.
async fn deliveries_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition_id: String,
    status: StatusCode,
    extra: Value,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (competition, summary, mut messages) =
        competition_messages(state, organizer.organization_id, competition_id).await?;
    let (lang, _) = page_lang(req);
    // Stable: within each group the outbox's own order (oldest first) is kept.
    messages.sort_by_key(|m| !needs_attention(m.state));
    let rows: Vec<Value> = messages.iter().take(SHOWN).map(message_view).collect();
    let base = context! {
        competition => context! { id => competition.id.clone(), title => competition.title_in(lang).to_string() },
        summary => summary,
        messages => rows,
        total => messages.len(),
        more => messages.len() > SHOWN,
        attention => messages.iter().any(|m| needs_attention(m.state)),
        mail_on => state.mail.is_on(),
    };
    page(
        req,
        &member.visitor,
        status,
        "deliveries.html",
        context! { ..base, ..extra },
    )
}

/// A refusal the organizer can act on (mail not configured, nothing issued yet) is shown on the
/// page; anything else is an error page.
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    competition_id: String,
    error: ApiError,
) -> Result<HttpResponse, ApiError> {
    match error {
        ApiError::Conflict(_) => {
            let (lang, _) = page_lang(req);
            let extra = context! { message => error.message_in(lang) };
            deliveries_page(req, state, member, competition_id, error.status_code(), extra).await
        }
        other => Err(other),
    }
}

/// A competition's e-mail form: the organizer's `action` on it answers where to go next, or a
/// refusal shown on the messages page.
async fn on_competition_form<Fut>(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<Empty>,
    action: impl FnOnce(web::Data<AppState>, String, String) -> Fut,
) -> Result<HttpResponse, ApiError>
where
    Fut: Future<Output = Result<String, ApiError>>,
{
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let id = path.into_inner();
    match action(state.clone(), organizer.organization_id, id.clone()).await {
        Ok(location) => Ok(see_other(&location)),
        Err(e) => refused(&req, &state, &member, id, e).await,
    }
}

pub async fn send(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    on_competition_form(req, state, path, form, |state, org, id| async move {
        let queued = queue_competition(&state, org, id.clone()).await?;
        Ok(format!(
            "/app/competitions/{id}/deliveries?done=queued&n={}&skipped={}",
            queued.messages, queued.plan.without_address
        ))
    })
    .await
}

pub async fn resend_failed(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    on_competition_form(req, state, path, form, |state, org, id| async move {
        let n = requeue_failed(&state, org, id.clone()).await?;
        Ok(format!("/app/competitions/{id}/deliveries?done=requeued&n={n}"))
    })
    .await
}

/// One message again; back to its competition's messages.
pub async fn resend(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let message = requeue_one(&state, organizer.organization_id, path.into_inner()).await?;
    Ok(see_other(&format!(
        "/app/competitions/{}/deliveries?done=resent",
        message.competition_id
    )))
}
