//! Delivery by e-mail, through an outbox table and never straight from a request: sending a
//! competition's documents queues one message per address (`plan`), a worker thread sends them
//! (`worker`, `transport`) as composed from templates (`compose`). Mail about accounts (password
//! resets, reminders to late jury members) has a queue of its own, sent by the same worker
//! (`account_mail`, `jury_mail`).

pub mod account_mail;
pub mod application_mail;
pub mod compose;
pub mod jury_mail;
pub mod plan;
pub mod settings;
pub mod transport;
pub mod worker;

pub use compose::Composer;
pub use worker::{Delivery, DeliveryQueue};

/// How long a download link opens its paper after the message was sent: a link is a bearer secret
/// lying in a mailbox (forwarded, synced, left on shared computers), so it is not good forever;
/// later the paper is found at `/find` with its code and surname.
pub const LINK_VALID_DAYS: i64 = 90;

/// When a link sent at `sent_at` or later still opens its paper, as a stored timestamp.
pub fn links_sent_after(now: time::OffsetDateTime) -> String {
    crate::domain::time::format_timestamp(now - time::Duration::days(LINK_VALID_DAYS))
}

/// A download token: 160 random bits, base32, for links in place of attachments too large to send.
pub fn new_download_token() -> String {
    let bytes: [u8; 20] = rand::random();
    data_encoding::BASE32_NOPAD.encode(&bytes).to_lowercase()
}

/// The right-hand side of Message-IDs: the sender's domain.
pub fn message_id_domain(settings: &settings::MailSettings) -> String {
    settings.from.email.domain().to_string()
}
