//! Delivery by e-mail, through an outbox table and never straight from a request: sending a
//! competition's documents queues one message per address (`plan`), a worker thread sends them
//! (`worker`, `transport`) as composed from templates (`compose`).

pub mod compose;
pub mod plan;
pub mod settings;
pub mod transport;
pub mod worker;

pub use compose::Composer;
pub use worker::{Delivery, DeliveryQueue};

/// A download token: 160 random bits, base32, for links in place of attachments too large to send.
pub fn new_download_token() -> String {
    let bytes: [u8; 20] = rand::random();
    data_encoding::BASE32_NOPAD.encode(&bytes).to_lowercase()
}

/// The right-hand side of Message-IDs: the sender's domain.
pub fn message_id_domain(settings: &settings::MailSettings) -> String {
    settings.from.email.domain().to_string()
}
