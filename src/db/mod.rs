//! Everything that speaks SQL. One diesel `MultiConnection` serves SQLite (the embedded default) and
//! PostgreSQL (several gramota instances sharing one database).
//!
//! A lookup by a unique key ends in `get_result`, not `first`: `first` binds its LIMIT, and SQLite
//! re-prepares a statement whose LIMIT is a bound value every time it runs, so the statement cache
//! would be bypassed on the hottest queries (verification, sign-in, tokens).

mod connection;
pub mod models;
pub mod schema;

pub mod account_mail;
pub mod accounts;
pub mod application_mail;
pub mod applications;
pub mod audit;
pub mod award_words;
pub mod backup;
pub mod bundles;
pub mod claims;
pub mod competition_papers;
pub mod competitions;
pub mod credentials;
pub mod departments;
pub mod designs;
pub mod document_changes;
pub mod documents;
pub mod entries;
pub mod gauges;
pub mod jobs;
pub mod jury;
pub mod jury_panel;
pub mod jury_review;
pub mod organizations;
pub mod outbox;
pub mod overview;
pub mod password_resets;
pub mod persons;
pub mod reminders;
pub mod reports;
pub mod retention;
pub mod review_rounds;
pub mod scans;
pub mod setup_links;
pub mod sign_in_attempts;
pub mod signing_keys;
pub mod stages;
pub mod tokens;

pub use connection::{write_transaction, Backend, Db, DbConnection, DbError};
