//! gramota: issues diplomas, certificates and letters of gratitude for competitions, and lets anyone
//! check them. Data flows one way: intake → domain → issuance → delivery and verification.

pub mod audit;
pub mod backup;
pub mod cli;
pub mod commands;
pub mod competitions;
pub mod compress;
pub mod config;
pub mod credentials;
pub mod data_dir;
pub mod db;
pub mod delivery;
pub mod domain;
pub mod export;
pub mod i18n;
pub mod intake;
pub mod invitations;
pub mod issuance;
pub mod judging;
pub mod memory;
pub mod metrics;
pub mod papers;
pub mod password_reset;
pub mod persons;
pub mod profile;
pub mod reports;
pub mod results;
pub mod retention;
pub mod setup;
pub mod shutdown;
pub mod sign_in;
pub mod startup;
pub mod telemetry;
pub mod trust;
pub mod verification;
pub mod web;
