//! Sending a competition's documents by e-mail: queue, status, resend; and the download links the
//! messages carry for PDFs too large to attach.

use std::collections::BTreeMap;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::json;

use super::auth::Organizer;
use super::{ApiError, AppState};
use crate::db::{self, DbConnection, DbError};
use crate::delivery::{message_id_domain, new_download_token, plan};
use crate::domain::outbox::{OutboxMessage, OutboxState, RecipientKind};
use crate::domain::{Competition, DocumentStatus};
use crate::i18n::Message;
use crate::issuance::bundle;

/// One message as the organizer sees it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Delivery)]
#[schema(description = "One e-mail message of the outbox: one recipient, one or more documents.")]
pub struct DeliveryView {
    id: String,
    recipient_kind: RecipientKind,
    recipient_name: String,
    email: String,
    /// `failed`: refused for good (5xx) or given up after the last retry, `error` says why. `uncertain`: the service stopped while the server was taking the message; it was probably delivered and is not sent again unless resent.
    state: OutboxState,
    attempts: i32,
    /// The mail server's answer for a failure, or the last transient error of a queued message.
    error: Option<String>,
    next_attempt_at: Option<String>,
    sent_at: Option<String>,
    /// RFC 5322 Message-ID, the same for every attempt of this message
    message_id: String,
    /// document ids (absent on a document's own `deliveries`)
    #[serde(skip_serializing_if = "Vec::is_empty")]
    documents: Vec<String>,
    created_at: String,
}

impl DeliveryView {
    pub fn of(m: OutboxMessage) -> DeliveryView {
        DeliveryView {
            next_attempt_at: (m.state == OutboxState::Queued).then_some(m.next_attempt_at),
            id: m.id,
            recipient_kind: m.recipient_kind,
            recipient_name: m.recipient_name,
            email: m.recipient_email,
            state: m.state,
            attempts: m.attempts,
            error: m.last_error,
            sent_at: m.sent_at,
            message_id: m.message_id,
            documents: m.documents.into_iter().map(|d| d.document_id).collect(),
            created_at: m.created_at,
        }
    }
}

/// Sending needs a configured transport; without one nothing is queued.
fn mail_on(state: &AppState) -> Result<(), ApiError> {
    match state.mail.is_on() {
        true => Ok(()),
        false => Err(ApiError::Conflict(Message::MailOff)),
    }
}

/// Runs `work` on one of the organizer's competitions, in the same database call that finds it:
/// another organization's competition is not found.
async fn on_competition<T: Send + 'static>(
    state: &AppState,
    organization_id: String,
    competition_id: String,
    work: impl FnOnce(&mut DbConnection, Competition) -> Result<T, DbError> + Send + 'static,
) -> Result<T, ApiError> {
    Ok(state
        .db
        .run(move |conn| {
            let competition = db::competitions::find_owned(conn, &organization_id, &competition_id)?;
            work(conn, competition)
        })
        .await?)
}

/// What queuing a competition's documents did.
pub struct Queued {
    pub messages: usize,
    pub plan: plan::Plan,
}

/// Queues one message per address for the competition's valid documents not yet queued to it:
/// shared by the API and the competition page.
pub async fn queue_competition(
    state: &AppState,
    organization_id: String,
    competition_id: String,
) -> Result<Queued, ApiError> {
    mail_on(state)?;
    let domain = message_id_domain(&state.settings.mail);
    let org = organization_id.clone();
    let queued = on_competition(
        state,
        organization_id,
        competition_id,
        move |conn, competition| {
            let documents = db::documents::list_for_competition(conn, &competition.id)?;
            if !documents.iter().any(|d| d.status == DocumentStatus::Valid) {
                return Ok(Err(ApiError::Conflict(Message::NothingToSend)));
            }
            let entries = db::entries::list(conn, &competition.id)?;
            let already = db::outbox::already_queued(conn, &competition.id)?;
            let judges = db::jury::judges_work(conn, &competition.id)?
                .into_iter()
                .filter_map(|work| {
                    let email = work.email?;
                    Some((
                        work.judge.id,
                        plan::JudgeAddress {
                            name: work.judge.name,
                            email,
                        },
                    ))
                })
                .collect();
            let plan = plan::plan(&documents, &entries, &judges, &already);
            let messages = db::outbox::enqueue(
                conn,
                &org,
                &competition.id,
                &plan.messages,
                &domain,
                &mut new_download_token,
            )?;
            Ok(Ok(Queued { messages, plan }))
        },
    )
    .await??;
    state.mail.notify();
    Ok(queued)
}

/// Every message of a competition, and how many are in each state.
pub async fn competition_messages(
    state: &AppState,
    organization_id: String,
    competition_id: String,
) -> Result<(Competition, BTreeMap<&'static str, usize>, Vec<OutboxMessage>), ApiError> {
    let (competition, messages) =
        on_competition(state, organization_id, competition_id, |conn, competition| {
            let messages = db::outbox::list_for_competition(conn, &competition.id)?;
            Ok((competition, messages))
        })
        .await?;
    let mut summary: BTreeMap<&'static str, usize> =
        OutboxState::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    for message in &messages {
        *summary.entry(message.state.as_str()).or_default() += 1;
    }
    Ok((competition, summary, messages))
}

/// Queues every failed or uncertain message of a competition again; how many.
pub async fn requeue_failed(
    state: &AppState,
    organization_id: String,
    competition_id: String,
) -> Result<usize, ApiError> {
    mail_on(state)?;
    let requeued = on_competition(state, organization_id, competition_id, |conn, competition| {
        db::outbox::resend_failed(conn, &competition.id)
    })
    .await?;
    state.mail.notify();
    Ok(requeued)
}

/// One message again: a failed or uncertain one as it was, a sent one as a new message.
pub async fn requeue_one(
    state: &AppState,
    organization_id: String,
    id: String,
) -> Result<OutboxMessage, ApiError> {
    mail_on(state)?;
    let domain = message_id_domain(&state.settings.mail);
    let message = state
        .db
        .run(move |conn| {
            let message = db::outbox::find_owned(conn, &organization_id, &id)?;
            if !message.state.is_resendable() {
                return Ok(None);
            }
            match db::outbox::resend(conn, &message, &domain, &mut new_download_token)? {
                Some(queued) => db::outbox::find_owned(conn, &organization_id, &queued).map(Some),
                None => Ok(None),
            }
        })
        .await?
        .ok_or(ApiError::Conflict(Message::NotResendable))?;
    state.mail.notify();
    Ok(message)
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/deliveries",
    tag = "deliveries",
    operation_id = "deliveries_send",
    summary = "Send the competition's valid documents by e-mail",
    description = "Queues one message per address: each holder (`email` column) gets their papers, each supervisor (`supervisor_email` column) one message with all their pupils' papers. PDFs are attached while a message stays under `mail.max_attachment_bytes`, the rest are download links. What was queued before for an address is not queued again.",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 202, description = "queued. object {`queued` integer: messages; `documents` integer: document and address pairs; `already_queued` integer; `without_address` integer; `invalid_addresses` array of object {`row` integer; `holder` string; `address` string}; `status_url` string}", content((Object = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "e-mail is not configured, or nothing was issued", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn send(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let competition_id = path.into_inner();
    let Queued { messages, plan } =
        queue_competition(&state, organizer.organization_id, competition_id.clone()).await?;
    let documents: usize = plan.messages.iter().map(|m| m.document_ids.len()).sum();
    Ok(HttpResponse::Accepted().json(json!({
        "queued": messages,
        "documents": documents,
        "already_queued": plan.already_queued,
        "without_address": plan.without_address,
        "invalid_addresses": plan.invalid_addresses,
        "status_url": format!("/api/v1/competitions/{competition_id}/deliveries"),
    })))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/deliveries",
    tag = "deliveries",
    operation_id = "deliveries_list",
    summary = "Delivery status of the competition's messages",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "a count per state and every message. object {`summary` object map to integer; `messages` array of `Delivery`}", content((Object = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn list(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (_, summary, messages) =
        competition_messages(&state, organizer.organization_id, path.into_inner()).await?;
    let messages: Vec<DeliveryView> = messages.into_iter().map(DeliveryView::of).collect();
    Ok(HttpResponse::Ok().json(json!({ "summary": summary, "messages": messages })))
}

#[utoipa::path(
    post,
    path = "/api/v1/competitions/{id}/deliveries/resend",
    tag = "deliveries",
    operation_id = "deliveries_resend_failed",
    summary = "Queue every failed and uncertain message again",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 202, description = "requeued. object {`requeued` integer}", content((Object = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn resend_failed(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let requeued = requeue_failed(&state, organizer.organization_id, path.into_inner()).await?;
    Ok(HttpResponse::Accepted().json(json!({ "requeued": requeued })))
}

#[utoipa::path(
    post,
    path = "/api/v1/deliveries/{id}/resend",
    tag = "deliveries",
    operation_id = "deliveries_resend",
    summary = "Send one message again",
    description = "A failed or uncertain message is queued again as it was (same Message-ID); a sent one is queued as a new message with a new Message-ID.",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 202, description = "the queued message", content((crate::web::deliveries::DeliveryView = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "still queued or being sent", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn resend(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let message = requeue_one(&state, organizer.organization_id, path.into_inner()).await?;
    Ok(HttpResponse::Accepted().json(DeliveryView::of(message)))
}

#[utoipa::path(
    get,
    path = "/d/{token}",
    tag = "deliveries",
    operation_id = "deliveries_download",
    summary = "A PDF by the download link an e-mail carried",
    params(
        ("token" = String, Path),
    ),
    responses(
        (status = 200, description = "the PDF", content(("application/pdf"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 429, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
)]
/// A PDF by the link a message carried. The token is unguessable and names one document; it is
/// rate limited like the other public endpoints, it opens nothing 90 days after sending, and a
/// revoked paper is not served.
pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let client = super::client_addr::client_ip(&req, &state.settings.trusted_proxies);
    state
        .limiter
        .check(client, std::time::Instant::now())
        .map_err(|retry_after_seconds| ApiError::RateLimited { retry_after_seconds })?;
    let token = path.into_inner();
    let sent_after = crate::delivery::links_sent_after(time::OffsetDateTime::now_utc());
    let document = state
        .db
        .run(
            move |conn| match db::outbox::document_of_token(conn, &token, &sent_after)? {
                Some(id) => db::documents::find(conn, &id).map(Some),
                None => Ok(None),
            },
        )
        .await?
        .filter(|d| d.status == DocumentStatus::Valid && d.sha256.is_some())
        .ok_or(ApiError::NotFound)?;
    let issuance = state.issuance.clone();
    let name = bundle::file_name(&document);
    let bytes = web::block(move || issuance.read_paper(&document))
        .await?
        .map_err(ApiError::unreadable_pdf)?;
    Ok(super::private::private(&mut HttpResponse::Ok())
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .body(bytes))
}
