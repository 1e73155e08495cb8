//! What each command line call does, on top of the same layers the service uses.

pub mod backup;
pub mod design;
mod issue;
pub mod keys;
pub mod papers;
mod progress;
mod token;
mod user;
mod verify;

pub use issue::{issue, IssueRequest};
pub use token::{create_token, TokenRequest};
pub use user::{create_user, UserCreated, UserRequest};
pub use verify::{verify, Verdict};
