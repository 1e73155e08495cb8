//! The thread that empties the outbox: claims one due message at a time, composes it, hands it to
//! the server at the configured rate, and records what happened.
//!
//! Each message is sent at most once on its own. A message is claimed with a lease; just before
//! its final dot the claim is marked "handing over"; right after the server's 250 it is marked
//! sent. A worker that dies before the mark lost nothing the server took, so the message is
//! queued again once the lease has passed. A worker that dies after the mark may have had it
//! accepted: that message becomes `uncertain` and waits for an organizer's resend rather than
//! risk a duplicate (the window is one round trip and one commit). Every attempt carries the same
//! Message-ID, so a duplicate after a resend is recognizable.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender as WakeSender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::compose::{Composer, Enclosure};
use super::settings::MailSettings;
use super::transport::{Blame, Outcome, Sender};
use crate::db::account_mail::AccountMailKind;
use crate::db::{self, Db, DbError};
use crate::domain::outbox::OutboxMessage;
use crate::domain::time::format_timestamp;
use crate::domain::DocumentStatus;
use crate::issuance::Issuance;
use crate::shutdown::Shutdown;

/// Wakes the worker when messages are queued; without it the worker still looks every second.
#[derive(Clone)]
pub struct DeliveryQueue {
    wake: Option<WakeSender<()>>,
}

impl DeliveryQueue {
    /// A queue nobody empties: mail is off.
    pub fn off() -> DeliveryQueue {
        DeliveryQueue { wake: None }
    }

    pub fn is_on(&self) -> bool {
        self.wake.is_some()
    }

    pub fn notify(&self) {
        if let Some(wake) = &self.wake {
            // A stopped worker cannot be woken; the messages wait in the database.
            let _ = wake.send(());
        }
    }
}

/// What the worker needs.
pub struct Delivery {
    pub db: Db,
    /// Reads the papers to attach (rendered again when another instance rendered them).
    pub papers: Issuance,
    pub settings: MailSettings,
    pub public_url: String,
    pub composer: Arc<Composer>,
}

/// Starts the worker if a transport is configured. It stops when every queue clone is dropped, or
/// when `shutdown` is asked: then a message not yet handed over is given back to the queue.
pub fn spawn(
    delivery: Delivery,
    shutdown: Shutdown,
) -> std::io::Result<(DeliveryQueue, Option<JoinHandle<()>>)> {
    let Some(sender) = Sender::new(&delivery.settings.transport) else {
        return Ok((DeliveryQueue::off(), None));
    };
    let (wake, wakeups) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("gramota-mail".into())
        .spawn(move || Worker::new(delivery, sender, shutdown).run(wakeups))?;
    Ok((DeliveryQueue { wake: Some(wake) }, Some(thread)))
}

struct Worker {
    delivery: Delivery,
    sender: Sender,
    /// When the next message may go, by the rate limit.
    next_slot: Instant,
    /// After the server failed us, nothing is tried before this.
    paused_until: Instant,
    /// Expired claims are looked for once a second, not before every message: each look is a write.
    last_recovery: Option<Instant>,
    shutdown: Shutdown,
}

fn timestamp_in(delay: Duration) -> String {
    format_timestamp(OffsetDateTime::now_utc() + delay)
}

impl Worker {
    fn new(delivery: Delivery, sender: Sender, shutdown: Shutdown) -> Worker {
        Worker {
            delivery,
            sender,
            next_slot: Instant::now(),
            paused_until: Instant::now(),
            last_recovery: None,
            shutdown,
        }
    }

    fn run(mut self, wakeups: Receiver<()>) {
        loop {
            if self.shutdown.is_requested() {
                tracing::info!("mail worker stopped");
                return;
            }
            let pause = self.paused_until.saturating_duration_since(Instant::now());
            if pause.is_zero() {
                match self.send_next() {
                    Ok(true) => continue,
                    Ok(false) => self.sender.idle(),
                    Err(e) => tracing::error!(error = %e, "mail worker: {}", e.summary()),
                }
            }
            let wait = if pause.is_zero() {
                Duration::from_secs(1)
            } else {
                pause.min(Duration::from_secs(1))
            };
            match wakeups.recv_timeout(wait) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Sends one due message if there is one; tells whether it did.
    fn send_next(&mut self) -> Result<bool, DbError> {
        // The rate limit's wait comes before the claim, so a claim lasts only as long as the sending.
        let now = Instant::now();
        if self.next_slot > now && self.shutdown.sleep(self.next_slot - now) {
            return Ok(false);
        }
        let mut conn = self.delivery.db.conn()?;
        let now = format_timestamp(OffsetDateTime::now_utc());
        if self
            .last_recovery
            .is_none_or(|at| at.elapsed() >= Duration::from_secs(1))
        {
            let (requeued, uncertain) = db::outbox::recover_expired(&mut conn, &now)?;
            if requeued + uncertain > 0 {
                tracing::warn!(requeued, uncertain, "messages left by a stopped mail worker");
            }
            self.last_recovery = Some(Instant::now());
        }
        let settings = &self.delivery.settings;
        let Some(message) = db::outbox::claim_next(&mut conn, &now, &timestamp_in(settings.lease))? else {
            drop(conn);
            return self.send_account_mail(&now);
        };
        drop(conn);

        let enclosures = match self.enclosures(&message) {
            Ok(enclosures) => enclosures,
            Err(reason) => {
                let mut conn = self.delivery.db.conn()?;
                db::outbox::mark_failed(&mut conn, &message.id, message.attempts, &reason)?;
                tracing::error!(message = %message.id, %reason, "cannot compose a message");
                return Ok(true);
            }
        };
        let composed =
            self.delivery
                .composer
                .compose(settings, &self.delivery.public_url, &message, &enclosures);
        let email = match composed {
            Ok(email) => email,
            Err(e) => {
                let mut conn = self.delivery.db.conn()?;
                db::outbox::mark_failed(&mut conn, &message.id, message.attempts, &e.to_string())?;
                return Ok(true);
            }
        };
        let formatted = email.formatted();

        self.use_slot();
        let db = self.delivery.db.clone();
        let (id, attempt) = (message.id.clone(), message.attempts);
        // Asked to stop before the final dot: the message is not sent now but given back.
        let shutdown = self.shutdown.clone();
        let mut handing_over = || match db.conn() {
            Ok(_) if shutdown.is_requested() => false,
            Ok(mut conn) => db::outbox::mark_handing_over(&mut conn, &id, attempt).unwrap_or(false),
            Err(_) => false,
        };
        let (outcome, blame) = self.sender.send(
            &format!("{}.eml", message.id),
            email.envelope(),
            &formatted,
            &mut handing_over,
        );
        self.record(&message, outcome, blame)?;
        Ok(true)
    }

    /// Sends one due message about an account (a password reset, a reminder to a late judge), if
    /// there is one; tells whether it did. Its link is
    /// made now, so the hour it works starts when it leaves. A failure is retried like a document's
    /// message; a reset sent twice is harmless (the newer link voids the older).
    fn send_account_mail(&mut self, now: &str) -> Result<bool, DbError> {
        let mut conn = self.delivery.db.conn()?;
        let settings = &self.delivery.settings;
        let Some(mail) = db::account_mail::claim_next(&mut conn, now, &timestamp_in(settings.lease))? else {
            drop(conn);
            return self.send_application_mail(now);
        };
        let composed = match (mail.kind, &mail.judge_id) {
            (AccountMailKind::PasswordReset, _) => {
                let link =
                    crate::password_reset::new_link(&mut conn, &self.delivery.public_url, &mail.user_id)?;
                super::account_mail::compose(&self.delivery.composer, settings, &mail, &link)
            }
            // Counted now, so the judge reads what is left when the message leaves.
            (AccountMailKind::JuryReminder, Some(judge_id)) => {
                match crate::reminders::letter(&mut conn, judge_id, mail.language) {
                    Ok(Some(letter)) => {
                        let link = crate::reminders::review_link(&self.delivery.public_url, judge_id);
                        super::jury_mail::compose(&self.delivery.composer, settings, &mail, &letter, &link)
                    }
                    Ok(None) => Err(super::compose::ComposeError::Moot(
                        "the judge has nothing left to score",
                    )),
                    Err(crate::reminders::ReminderError::Db(e)) => return Err(e),
                    Err(e) => {
                        tracing::error!(message = %mail.id, error = %e, "cannot count a judge's entries");
                        Err(super::compose::ComposeError::Moot(
                            "the judge's entries cannot be counted",
                        ))
                    }
                }
            }
            (AccountMailKind::JuryReminder, None) => {
                Err(super::compose::ComposeError::Moot("a reminder without its judge"))
            }
        };
        drop(conn);
        let marks = PlainMarks {
            sent: db::account_mail::mark_sent,
            failed: db::account_mail::mark_failed,
            retry: db::account_mail::retry_later,
        };
        self.deliver_plain(
            &format!("account-{}", mail.id),
            composed,
            &mail.id,
            mail.attempts,
            now,
            marks,
        )
    }

    /// Sends one due message to an applicant, if there is one, with a new private link to their
    /// cabinet (made now; earlier links keep working).
    fn send_application_mail(&mut self, now: &str) -> Result<bool, DbError> {
        let mut conn = self.delivery.db.conn()?;
        let settings = &self.delivery.settings;
        let Some(mail) = db::application_mail::claim_next(&mut conn, now, &timestamp_in(settings.lease))?
        else {
            return Ok(false);
        };
        let link = crate::applications::new_link(&mut conn, &self.delivery.public_url, &mail.application_id)?;
        let competition = db::competitions::find(&mut conn, &mail.competition_id)?;
        let title = competition.title_in(mail.language).to_string();
        let composed =
            super::application_mail::compose(&self.delivery.composer, settings, &mail, &title, &link);
        drop(conn);
        let marks = PlainMarks {
            sent: db::application_mail::mark_sent,
            failed: db::application_mail::mark_failed,
            retry: db::application_mail::retry_later,
        };
        self.deliver_plain(
            &format!("application-{}", mail.id),
            composed,
            &mail.id,
            mail.attempts,
            now,
            marks,
        )
    }

    /// Hands a plain message (account mail, mail to an applicant) to the server and records what
    /// became of it in its queue: sent, failed for good, or tried again later.
    fn deliver_plain(
        &mut self,
        name: &str,
        composed: Result<lettre::Message, super::compose::ComposeError>,
        id: &str,
        attempts: i32,
        now: &str,
        marks: PlainMarks,
    ) -> Result<bool, DbError> {
        let email = match composed {
            Ok(email) => email,
            Err(e) => {
                let mut conn = self.delivery.db.conn()?;
                (marks.failed)(&mut conn, id, &e.to_string())?;
                return Ok(true);
            }
        };
        self.use_slot();
        let shutdown = self.shutdown.clone();
        let mut handing_over = || !shutdown.is_requested();
        let (outcome, blame) = self.sender.send(
            &format!("{name}.eml"),
            email.envelope(),
            &email.formatted(),
            &mut handing_over,
        );
        let settings = &self.delivery.settings;
        let mut conn = self.delivery.db.conn()?;
        match outcome {
            Outcome::Sent | Outcome::Uncertain(_) => (marks.sent)(&mut conn, id)?,
            Outcome::Permanent(reason) => (marks.failed)(&mut conn, id, &reason)?,
            Outcome::ClaimLost => (marks.retry)(&mut conn, id, now, "stopped before sending")?,
            Outcome::Transient(reason) => {
                let attempts = u32::try_from(attempts).unwrap_or(u32::MAX);
                if attempts >= settings.max_attempts {
                    (marks.failed)(&mut conn, id, &reason)?;
                } else {
                    let at = timestamp_in(backoff(settings.retry_after, attempts));
                    (marks.retry)(&mut conn, id, &at, &reason)?;
                }
            }
        }
        if blame == Blame::Server {
            self.paused_until = Instant::now() + settings.retry_after;
        }
        Ok(true)
    }

    /// The message's documents that are still valid, with their PDFs; a reason when there are
    /// none or one cannot be read. A paper revoked or replaced after it was queued is not sent.
    fn enclosures(&self, message: &OutboxMessage) -> Result<Vec<Enclosure>, String> {
        let ids: Vec<String> = message.documents.iter().map(|d| d.document_id.clone()).collect();
        let documents = {
            let mut conn = self.delivery.db.conn().map_err(|e| e.to_string())?;
            db::documents::find_many(&mut conn, &ids).map_err(|e| e.to_string())?
        };
        let tokens: HashMap<&str, &str> = message
            .documents
            .iter()
            .filter_map(|d| Some((d.document_id.as_str(), d.download_token.as_deref()?)))
            .collect();
        let enclosures = documents
            .into_iter()
            .filter(|d| d.status == DocumentStatus::Valid)
            .map(|document| {
                let pdf = self
                    .delivery
                    .papers
                    .read_paper(&document)
                    .map_err(|e| format!("cannot read the PDF of {}: {e}", document.serial))?;
                Ok(Enclosure {
                    download_token: tokens
                        .get(document.id.as_str())
                        .copied()
                        .unwrap_or_default()
                        .to_string(),
                    document,
                    pdf,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if enclosures.is_empty() {
            return Err("every document of this message was revoked or replaced before it was sent".into());
        }
        Ok(enclosures)
    }

    fn use_slot(&mut self) {
        let per_minute = self.delivery.settings.per_minute;
        if per_minute == 0 {
            return;
        }
        let now = Instant::now();
        let interval = Duration::from_secs(60) / per_minute;
        self.next_slot = self.next_slot.max(now) + interval;
    }

    fn record(&mut self, message: &OutboxMessage, outcome: Outcome, blame: Blame) -> Result<(), DbError> {
        let settings = &self.delivery.settings;
        let mut conn = self.delivery.db.conn()?;
        match outcome {
            Outcome::Sent => {
                db::outbox::mark_sent(&mut conn, &message.id)?;
                tracing::debug!(message = %message.id, "sent");
            }
            Outcome::Permanent(reason) => {
                tracing::warn!(message = %message.id, %reason, "refused for good");
                db::outbox::mark_failed(&mut conn, &message.id, message.attempts, &reason)?;
            }
            Outcome::Uncertain(reason) => {
                tracing::warn!(message = %message.id, %reason, "may or may not have been delivered");
                db::outbox::mark_uncertain(&mut conn, &message.id, &reason)?;
            }
            Outcome::ClaimLost if self.shutdown.is_requested() => {
                if db::outbox::release(&mut conn, &message.id, message.attempts)? {
                    tracing::info!(message = %message.id, "shutting down; message given back to the queue");
                }
            }
            Outcome::ClaimLost => {
                tracing::warn!(message = %message.id, "claim taken over; not sent");
            }
            Outcome::Transient(reason) => {
                let attempts = u32::try_from(message.attempts).unwrap_or(u32::MAX);
                if attempts >= settings.max_attempts {
                    let reason = format!("gave up after {attempts} attempts: {reason}");
                    db::outbox::mark_failed(&mut conn, &message.id, message.attempts, &reason)?;
                } else {
                    let delay = backoff(settings.retry_after, attempts);
                    tracing::info!(message = %message.id, %reason, ?delay, "will try again");
                    db::outbox::retry_later(
                        &mut conn,
                        &message.id,
                        message.attempts,
                        &timestamp_in(delay),
                        &reason,
                    )?;
                }
            }
        }
        if blame == Blame::Server {
            // The server is down or unreachable: stop knocking for the first retry's wait, so an
            // outage does not spend every queued message's attempts at once.
            self.paused_until = Instant::now() + settings.retry_after;
        }
        Ok(())
    }
}

/// The wait before attempt `attempts + 1`: doubling from `first`, at most a day.
pub fn backoff(first: Duration, attempts: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(20));
    first.saturating_mul(factor).min(Duration::from_secs(24 * 3600))
}

/// How a queue of plain messages records a message's fate.
struct PlainMarks {
    sent: fn(&mut crate::db::DbConnection, &str) -> Result<(), DbError>,
    failed: fn(&mut crate::db::DbConnection, &str, &str) -> Result<(), DbError>,
    retry: fn(&mut crate::db::DbConnection, &str, &str, &str) -> Result<(), DbError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_at_a_day() {
        let first = Duration::from_secs(60);
        assert_eq!(backoff(first, 1), Duration::from_secs(60));
        assert_eq!(backoff(first, 2), Duration::from_secs(120));
        assert_eq!(backoff(first, 4), Duration::from_secs(480));
        assert_eq!(backoff(first, 40), Duration::from_secs(24 * 3600));
    }
}
