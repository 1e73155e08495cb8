//! The e-mail outbox. A worker claims a due message with a lease (a conditional update that only
//! one claimant wins), marks the moment the server may take it, and records the outcome.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::models::{OutboxDocumentRow, OutboxRow};
use super::schema::outbox::dsl as o;
use super::schema::outbox_documents::dsl as od;
use super::{write_transaction, DbConnection, DbError};
use crate::domain::outbox::{OutboxDocument, OutboxMessage, OutboxState, PlannedMessage, RecipientKind};
use crate::domain::time::now_rfc3339;
use crate::domain::token::sha256_hex;
use crate::i18n::Lang;

fn to_domain(row: OutboxRow, documents: Vec<OutboxDocument>) -> Result<OutboxMessage, DbError> {
    let corrupt = |what: &str| DbError::Corrupt(format!("outbox {}: {what}", row.id));
    Ok(OutboxMessage {
        recipient_kind: RecipientKind::parse(&row.recipient_kind).ok_or_else(|| corrupt("kind"))?,
        language: Lang::parse(&row.language).ok_or_else(|| corrupt("language"))?,
        state: OutboxState::parse(&row.state).ok_or_else(|| corrupt("state"))?,
        id: row.id,
        organization_id: row.organization_id,
        competition_id: row.competition_id,
        recipient_name: row.recipient_name,
        recipient_email: row.recipient_email,
        attempts: row.attempts,
        next_attempt_at: row.next_attempt_at,
        last_error: row.last_error,
        message_id: row.message_id,
        created_at: row.created_at,
        sent_at: row.sent_at,
        documents,
    })
}

/// The documents of these messages, in the order they were queued.
fn documents_of(
    conn: &mut DbConnection,
    message_ids: &[String],
) -> Result<HashMap<String, Vec<OutboxDocument>>, DbError> {
    let mut by_message: HashMap<String, Vec<OutboxDocument>> = HashMap::new();
    // Chunks keep each statement under the bound-parameter limit.
    for chunk in message_ids.chunks(500) {
        let rows: Vec<OutboxDocumentRow> = od::outbox_documents
            .filter(od::message_id.eq_any(chunk))
            .order((od::message_id.asc(), od::document_id.asc()))
            .select(OutboxDocumentRow::as_select())
            .load(conn)?;
        for row in rows {
            by_message
                .entry(row.message_id)
                .or_default()
                .push(OutboxDocument {
                    document_id: row.document_id,
                    download_token: row.download_token,
                });
        }
    }
    Ok(by_message)
}

fn with_documents(conn: &mut DbConnection, rows: Vec<OutboxRow>) -> Result<Vec<OutboxMessage>, DbError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut documents = documents_of(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            let docs = documents.remove(&row.id).unwrap_or_default();
            to_domain(row, docs)
        })
        .collect()
}

/// What a competition's outbox already holds: (kind, address in lower case, document), so sending
/// the same competition again queues only what is new.
pub fn already_queued(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<HashSet<(RecipientKind, String, String)>, DbError> {
    let rows: Vec<(String, String, String)> = o::outbox
        .inner_join(od::outbox_documents)
        .filter(o::competition_id.eq(competition_id))
        .select((o::recipient_kind, o::recipient_email, od::document_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, email, document)| {
            Some((RecipientKind::parse(&kind)?, email.to_lowercase(), document))
        })
        .collect())
}

fn new_row(
    organization_id: &str,
    competition_id: &str,
    planned: &PlannedMessage,
    domain: &str,
    now: &str,
) -> OutboxRow {
    let id = uuid::Uuid::now_v7().to_string();
    OutboxRow {
        message_id: format!("<{id}@{domain}>"),
        id,
        organization_id: organization_id.into(),
        competition_id: competition_id.into(),
        recipient_kind: planned.kind.as_str().into(),
        recipient_name: planned.name.clone(),
        recipient_email: planned.email.clone(),
        language: planned.language.code().into(),
        state: OutboxState::Queued.as_str().into(),
        attempts: 0,
        next_attempt_at: now.into(),
        lease_until: None,
        data_sent_at: None,
        last_error: None,
        created_at: now.into(),
        updated_at: now.into(),
        sent_at: None,
    }
}

/// A document's place in a message, with its download link's token and the token's digest.
fn link(message_id: &str, document_id: &str, token: String) -> OutboxDocumentRow {
    OutboxDocumentRow {
        message_id: message_id.to_string(),
        document_id: document_id.to_string(),
        token_hash: Some(sha256_hex(token.as_bytes())),
        download_token: Some(token),
    }
}

/// Queues the planned messages in one transaction; `domain` is the right-hand side of their
/// Message-IDs, `token` makes each document's download token.
pub fn enqueue(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
    planned: &[PlannedMessage],
    domain: &str,
    token: &mut dyn FnMut() -> String,
) -> Result<usize, DbError> {
    let now = now_rfc3339();
    let mut rows = Vec::with_capacity(planned.len());
    let mut links = Vec::new();
    for message in planned {
        let row = new_row(organization_id, competition_id, message, domain, &now);
        for document_id in &message.document_ids {
            links.push(link(&row.id, document_id, token()));
        }
        rows.push(row);
    }
    write_transaction(conn, |conn| {
        crate::insert_rows!(conn, o::outbox, &rows);
        crate::insert_rows!(conn, od::outbox_documents, &links);
        Ok::<_, DbError>(())
    })?;
    Ok(rows.len())
}

pub fn list_for_competition(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<Vec<OutboxMessage>, DbError> {
    let rows = o::outbox
        .filter(o::competition_id.eq(competition_id))
        .order(o::id.asc())
        .select(OutboxRow::as_select())
        .load(conn)?;
    with_documents(conn, rows)
}

pub fn find_owned(
    conn: &mut DbConnection,
    organization_id: &str,
    id: &str,
) -> Result<OutboxMessage, DbError> {
    let row = o::outbox
        .filter(o::id.eq(id))
        .filter(o::organization_id.eq(organization_id))
        .select(OutboxRow::as_select())
        .get_result(conn)?;
    let mut messages = with_documents(conn, vec![row])?;
    messages
        .pop()
        .ok_or(DbError::Query(diesel::result::Error::NotFound))
}

/// The messages that carry each of these documents, for the documents' delivery status.
pub fn for_documents(
    conn: &mut DbConnection,
    document_ids: &[String],
) -> Result<HashMap<String, Vec<OutboxMessage>>, DbError> {
    let mut by_document: HashMap<String, Vec<OutboxMessage>> = HashMap::new();
    for chunk in document_ids.chunks(500) {
        let rows: Vec<(String, OutboxRow)> = o::outbox
            .inner_join(od::outbox_documents)
            .filter(od::document_id.eq_any(chunk))
            .order(o::id.asc())
            .select((od::document_id, OutboxRow::as_select()))
            .load(conn)?;
        for (document_id, row) in rows {
            by_document
                .entry(document_id)
                .or_default()
                .push(to_domain(row, Vec::new())?);
        }
    }
    Ok(by_document)
}

/// The document a download link names, if the link is one the outbox made and its message was
/// sent (or, not sent yet, queued) after `sent_after`. Looked up by the token's digest: the
/// token itself is not kept once the message is sent.
pub fn document_of_token(
    conn: &mut DbConnection,
    token: &str,
    sent_after: &str,
) -> Result<Option<String>, DbError> {
    Ok(od::outbox_documents
        .inner_join(o::outbox)
        .filter(od::token_hash.eq(sha256_hex(token.as_bytes())))
        .filter(
            o::sent_at
                .gt(sent_after)
                .or(o::sent_at.is_null().and(o::created_at.gt(sent_after))),
        )
        .select(od::document_id)
        .get_result(conn)
        .optional()?)
}

/// Takes the next due message: the conditional update is the claim, and the attempt number it
/// writes is the claim's fence for every later write.
pub fn claim_next(
    conn: &mut DbConnection,
    now: &str,
    lease_until: &str,
) -> Result<Option<OutboxMessage>, DbError> {
    loop {
        let candidate: Option<(String, i32)> = o::outbox
            .filter(o::state.eq(OutboxState::Queued.as_str()))
            .filter(o::next_attempt_at.le(now))
            .order((o::next_attempt_at.asc(), o::id.asc()))
            .select((o::id, o::attempts))
            .first(conn)
            .optional()?;
        let Some((id, attempts)) = candidate else {
            return Ok(None);
        };
        let claimed = diesel::update(
            o::outbox
                .filter(o::id.eq(&id))
                .filter(o::state.eq(OutboxState::Queued.as_str()))
                .filter(o::attempts.eq(attempts)),
        )
        .set((
            o::state.eq(OutboxState::Sending.as_str()),
            o::attempts.eq(attempts + 1),
            o::lease_until.eq(lease_until),
            o::data_sent_at.eq(None::<String>),
            o::updated_at.eq(now),
        ))
        .execute(conn)?;
        if claimed == 1 {
            let row = o::outbox
                .filter(o::id.eq(&id))
                .select(OutboxRow::as_select())
                .get_result(conn)?;
            let mut messages = with_documents(conn, vec![row])?;
            return Ok(messages.pop());
        }
    }
}

/// Records that the message is about to be handed over (its final dot): from here a crash leaves
/// it `uncertain`, not queued. Tells whether the claim still held; if not, do not send.
pub fn mark_handing_over(conn: &mut DbConnection, id: &str, attempt: i32) -> Result<bool, DbError> {
    let now = now_rfc3339();
    let updated = diesel::update(
        o::outbox
            .filter(o::id.eq(id))
            .filter(o::state.eq(OutboxState::Sending.as_str()))
            .filter(o::attempts.eq(attempt)),
    )
    .set((o::data_sent_at.eq(&now), o::updated_at.eq(&now)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// A stopping worker gives back a message it claimed but did not start handing over: queued again
/// at once, the attempt not counted, for another worker to take without waiting for the lease.
/// Tells whether the claim still held.
pub fn release(conn: &mut DbConnection, id: &str, attempt: i32) -> Result<bool, DbError> {
    let now = now_rfc3339();
    let updated = diesel::update(
        o::outbox
            .filter(o::id.eq(id))
            .filter(o::state.eq(OutboxState::Sending.as_str()))
            .filter(o::attempts.eq(attempt))
            .filter(o::data_sent_at.is_null()),
    )
    .set((
        o::state.eq(OutboxState::Queued.as_str()),
        o::attempts.eq(attempt - 1),
        o::lease_until.eq(None::<String>),
        o::next_attempt_at.eq(&now),
        o::updated_at.eq(&now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The server accepted the message. Written whatever became of the claim: this is the truth.
/// Its download tokens are forgotten with it (their digests still find the links).
pub fn mark_sent(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    let now = now_rfc3339();
    write_transaction(conn, |conn| {
        diesel::update(o::outbox.filter(o::id.eq(id)))
            .set((
                o::state.eq(OutboxState::Sent.as_str()),
                o::sent_at.eq(&now),
                o::lease_until.eq(None::<String>),
                o::last_error.eq(None::<String>),
                o::updated_at.eq(&now),
            ))
            .execute(conn)?;
        diesel::update(od::outbox_documents.filter(od::message_id.eq(id)))
            .set(od::download_token.eq(None::<String>))
            .execute(conn)?;
        Ok::<_, DbError>(())
    })
}

/// Links made before tokens were kept as digests: each gets its digest, and the tokens of sent
/// messages are forgotten. Run at start-up; returns how many links it changed.
pub fn hash_stored_tokens(conn: &mut DbConnection) -> Result<usize, DbError> {
    // Erased links have neither a token nor a digest, and are left alone.
    let rows: Vec<(String, String, String, String)> = od::outbox_documents
        .inner_join(o::outbox)
        .filter(od::token_hash.is_null())
        .filter(od::download_token.is_not_null())
        .select((
            od::message_id,
            od::document_id,
            od::download_token.assume_not_null(),
            o::state,
        ))
        .load(conn)?;
    write_transaction(conn, |conn| {
        for (message_id, document_id, token, state) in &rows {
            let keep = (state != OutboxState::Sent.as_str()).then_some(token);
            diesel::update(
                od::outbox_documents
                    .filter(od::message_id.eq(message_id))
                    .filter(od::document_id.eq(document_id)),
            )
            .set((
                od::token_hash.eq(sha256_hex(token.as_bytes())),
                od::download_token.eq(keep),
            ))
            .execute(conn)?;
        }
        Ok::<_, DbError>(())
    })?;
    Ok(rows.len())
}

/// A transient failure: back in the queue until `next_attempt_at`, if the claim still holds.
pub fn retry_later(
    conn: &mut DbConnection,
    id: &str,
    attempt: i32,
    next_attempt_at: &str,
    error: &str,
) -> Result<(), DbError> {
    diesel::update(
        o::outbox
            .filter(o::id.eq(id))
            .filter(o::state.eq(OutboxState::Sending.as_str()))
            .filter(o::attempts.eq(attempt)),
    )
    .set((
        o::state.eq(OutboxState::Queued.as_str()),
        o::next_attempt_at.eq(next_attempt_at),
        o::lease_until.eq(None::<String>),
        o::data_sent_at.eq(None::<String>),
        o::last_error.eq(error),
        o::updated_at.eq(now_rfc3339()),
    ))
    .execute(conn)?;
    Ok(())
}

/// A permanent failure, with the server's answer.
pub fn mark_failed(conn: &mut DbConnection, id: &str, attempt: i32, error: &str) -> Result<(), DbError> {
    diesel::update(
        o::outbox
            .filter(o::id.eq(id))
            .filter(o::state.eq(OutboxState::Sending.as_str()))
            .filter(o::attempts.eq(attempt)),
    )
    .set((
        o::state.eq(OutboxState::Failed.as_str()),
        o::lease_until.eq(None::<String>),
        o::last_error.eq(error),
        o::updated_at.eq(now_rfc3339()),
    ))
    .execute(conn)?;
    Ok(())
}

/// Messages whose worker stopped (its lease passed): those never handed over go back in the
/// queue; those that may have reached the server become `uncertain`. Returns both counts.
pub fn recover_expired(conn: &mut DbConnection, now: &str) -> Result<(usize, usize), DbError> {
    let expired = || {
        o::outbox
            .filter(o::state.eq(OutboxState::Sending.as_str()))
            .filter(o::lease_until.lt(now))
    };
    let requeued = diesel::update(expired().filter(o::data_sent_at.is_null()))
        .set((
            o::state.eq(OutboxState::Queued.as_str()),
            o::lease_until.eq(None::<String>),
            o::next_attempt_at.eq(now),
            o::updated_at.eq(now),
        ))
        .execute(conn)?;
    let uncertain = diesel::update(expired().filter(o::data_sent_at.is_not_null()))
        .set((
            o::state.eq(OutboxState::Uncertain.as_str()),
            o::lease_until.eq(None::<String>),
            o::last_error.eq(UNCERTAIN_REASON),
            o::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok((requeued, uncertain))
}

pub const UNCERTAIN_REASON: &str = "the service stopped while the mail server was taking this message: \
     it was probably delivered; resend it if the recipient did not get it";

/// An organizer's resend: a failed or uncertain message goes back in the queue as it is (same
/// Message-ID); a sent one is queued again as a new message with a new Message-ID, so the
/// recipient's mail program does not drop it as a duplicate. Returns the queued message's id.
pub fn resend(
    conn: &mut DbConnection,
    message: &OutboxMessage,
    domain: &str,
    token: &mut dyn FnMut() -> String,
) -> Result<Option<String>, DbError> {
    let now = now_rfc3339();
    match message.state {
        OutboxState::Failed | OutboxState::Uncertain => {
            let updated = diesel::update(
                o::outbox
                    .filter(o::id.eq(&message.id))
                    .filter(o::state.eq(message.state.as_str())),
            )
            .set((
                o::state.eq(OutboxState::Queued.as_str()),
                o::attempts.eq(0),
                o::next_attempt_at.eq(&now),
                o::lease_until.eq(None::<String>),
                o::data_sent_at.eq(None::<String>),
                o::updated_at.eq(&now),
            ))
            .execute(conn)?;
            Ok((updated == 1).then(|| message.id.clone()))
        }
        OutboxState::Sent => {
            let planned = PlannedMessage {
                kind: message.recipient_kind,
                name: message.recipient_name.clone(),
                email: message.recipient_email.clone(),
                language: message.language,
                document_ids: message.documents.iter().map(|d| d.document_id.clone()).collect(),
            };
            let row = new_row(
                &message.organization_id,
                &message.competition_id,
                &planned,
                domain,
                &now,
            );
            let id = row.id.clone();
            let links: Vec<OutboxDocumentRow> = planned
                .document_ids
                .iter()
                .map(|document_id| link(&id, document_id, token()))
                .collect();
            write_transaction(conn, |conn| {
                diesel::insert_into(o::outbox).values(&row).execute(conn)?;
                crate::insert_rows!(conn, od::outbox_documents, &links);
                Ok::<_, DbError>(())
            })?;
            Ok(Some(id))
        }
        OutboxState::Queued | OutboxState::Sending => Ok(None),
    }
}

/// Every failed and uncertain message of a competition, back in the queue.
pub fn resend_failed(conn: &mut DbConnection, competition_id: &str) -> Result<usize, DbError> {
    let now = now_rfc3339();
    Ok(diesel::update(
        o::outbox
            .filter(o::competition_id.eq(competition_id))
            .filter(o::state.eq_any([OutboxState::Failed.as_str(), OutboxState::Uncertain.as_str()])),
    )
    .set((
        o::state.eq(OutboxState::Queued.as_str()),
        o::attempts.eq(0),
        o::next_attempt_at.eq(&now),
        o::lease_until.eq(None::<String>),
        o::data_sent_at.eq(None::<String>),
        o::updated_at.eq(&now),
    ))
    .execute(conn)?)
}

/// The connection broke after the message was handed over: it may have arrived.
pub fn mark_uncertain(conn: &mut DbConnection, id: &str, error: &str) -> Result<(), DbError> {
    diesel::update(o::outbox.filter(o::id.eq(id)))
        .set((
            o::state.eq(OutboxState::Uncertain.as_str()),
            o::lease_until.eq(None::<String>),
            o::last_error.eq(format!("{UNCERTAIN_REASON} ({error})")),
            o::updated_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
    Ok(())
}
