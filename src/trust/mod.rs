//! What makes a paper trustworthy without the server: Ed25519 keys kept in a file (or, for a
//! deployment of several instances, derived from one shared secret: `shared`), and the compact
//! signed record of what the paper says, carried in the QR code's URL fragment and in the PDF.

mod compact_text;
pub mod jwks;
pub mod keys;
pub mod record;
pub mod shared;
mod store;

pub use compact_text::EXTRA as COMPACT_TEXT_EXTRA;
pub use keys::{KeyStatus, Keyring};
pub use record::{RecordError, RecordFields, VerifiedRecord};
pub use store::KeyStore;
