//! Integration tests: the real service on port 0 with a fresh database, SQLite by default, or
//! PostgreSQL when GRAMOTA_TEST_POSTGRES_URL names a server (a fresh database is made per test).

mod helpers;

mod api_description;
mod backup;
mod browser;
mod bundles;
mod cli;
mod credentials;
mod delivery;
mod design_editor;
mod designs;
mod end_to_end;
mod errors;
mod first_run;
mod instances;
mod intake;
mod jury;
mod jury_pages;
mod jury_review;
mod jury_sheets;
mod letters;
mod observability;
mod own_designs;
mod password_reset;
mod persons;
mod portal;
mod print;
mod privacy;
mod profile;
mod real_results;
mod reports;
mod resume;
mod security;
mod services;
mod stages;
mod trust;
mod verification;
mod webapp;
mod webapp_axe;
mod webapp_browser;
mod webapp_delivery;
mod webapp_designs;
mod webapp_jury;
mod webapp_people;
mod webapp_portal;
