//! The HTTP layer: parses requests, calls the layers below, maps errors. No SQL, no rendering.

pub mod access_log;
mod api_docs;
pub mod app;
mod applications;
mod audit;
mod auth;
mod body;
pub mod client_addr;
mod competitions;
mod credentials;
mod deliveries;
mod design_preview;
mod designs;
mod documents;
pub mod error;
mod extra_papers;
mod health;
mod jobs;
mod jury;
mod jury_review;
mod jury_rounds;
mod jury_ties;
pub mod lang;
mod metrics;
pub mod observe;
pub mod openapi;
mod organization;
mod pages;
pub(crate) mod persons;
pub mod portal;
mod print;
pub mod private;
mod rate_limit;
mod reminders;
mod reports;
mod results;
mod stages;
mod stream;
mod verify;

use std::sync::Arc;

use actix_web::web;

use crate::config::Settings;
use crate::db::Db;
use crate::delivery::DeliveryQueue;
use crate::issuance::worker::JobQueue;
use crate::issuance::Issuance;
use crate::verification::scan_log::ScanLog;
pub use error::ApiError;

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub issuance: Issuance,
    pub jobs: JobQueue,
    pub settings: Arc<Settings>,
    pub pages: Arc<pages::Pages>,
    pub app_pages: Arc<app::AppPages>,
    pub limiter: Arc<rate_limit::RateLimiter>,
    /// Every Argon2 check or hash waits its turn here.
    pub passwords: Arc<crate::sign_in::PasswordGate>,
    /// Places for ZIP and print-file downloads, each held while its body is written.
    pub downloads: Arc<tokio::sync::Semaphore>,
    pub scans: ScanLog,
    /// Wakes the mail worker; off when no transport is configured.
    pub mail: DeliveryQueue,
    /// Applications' work files and rules documents.
    pub works: crate::applications::works::WorkStore,
    /// Verified papers kept in memory (see `verification::cache`).
    pub verified: Arc<crate::verification::cache::VerifiedCache>,
    /// Published results pages, built once for a short while.
    pub results: Arc<crate::applications::results::ResultsCache>,
}

impl AppState {
    /// A place for a download whose body is written on a blocking thread (ZIP, print file), or
    /// 503 when all are taken: each holds a thread, the print file every core, for as long as its
    /// client reads.
    pub fn download_place(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        self.downloads
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::Busy {
                retry_after_seconds: 5,
            })
    }

    pub fn new(
        db: Db,
        issuance: Issuance,
        jobs: JobQueue,
        scans: ScanLog,
        settings: Arc<Settings>,
    ) -> Result<AppState, String> {
        Ok(AppState {
            mail: DeliveryQueue::off(),
            scans,
            limiter: Arc::new(rate_limit::RateLimiter::new(settings.rate_limit_per_minute)),
            passwords: Arc::new(crate::sign_in::PasswordGate::for_this_machine()),
            downloads: Arc::new(tokio::sync::Semaphore::new(settings.max_concurrent_downloads)),
            works: crate::applications::works::WorkStore::in_data_dir(&settings.data_dir),
            verified: Arc::new(crate::verification::cache::VerifiedCache::new()),
            results: Arc::new(crate::applications::results::ResultsCache::new(
                std::time::Duration::from_secs(30),
            )),
            db,
            issuance,
            jobs,
            settings,
            pages: Arc::new(pages::Pages::load()?),
            app_pages: Arc::new(app::AppPages::load()?),
        })
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    app::routes(cfg);
    portal::routes(cfg);
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/metrics", web::get().to(metrics::show))
        .route("/v/", web::get().to(verify::offline_page))
        .route("/v/{code}", web::get().to(verify::page))
        .route("/.well-known/gramota-keys.json", web::get().to(verify::key_set))
        .route("/o/{slug}/did.json", web::get().to(credentials::did_document))
        .route("/static/verify.js", web::get().to(verify::script))
        .route("/sw.js", web::get().to(verify::service_worker))
        .route("/d/{token}", web::get().to(deliveries::download))
        .route("/api/docs", web::get().to(api_docs::page))
        .route("/api/docs/rapidoc-min.js", web::get().to(api_docs::viewer))
        .route("/api/docs/names.js", web::get().to(api_docs::names))
        .route("/api/docs/LICENSE.txt", web::get().to(api_docs::licence))
        .service(
            web::scope("/api/v1")
                .route("/openapi.json", web::get().to(health::openapi))
                .route("/verify/{code}", web::get().to(verify::json))
                .route(
                    "/verify/{code}/credential",
                    web::post().to(credentials::of_holder),
                )
                .route("/issuers/{id}", web::get().to(credentials::issuer))
                .route(
                    "/issuers/{id}/status-list",
                    web::get().to(credentials::status_list),
                )
                .route("/designs", web::get().to(designs::list))
                .route("/designs", web::post().to(designs::create))
                .route("/designs/preview", web::post().to(design_preview::preview))
                .route("/designs/{name}", web::get().to(designs::show))
                .route("/designs/{name}", web::put().to(designs::replace))
                .route("/designs/{name}", web::patch().to(designs::move_elements))
                .route("/designs/{name}/versions", web::get().to(designs::versions))
                .route("/designs/{name}/rename", web::post().to(designs::rename))
                .route("/designs/{name}", web::delete().to(designs::delete))
                .route("/designs/{name}/preview", web::get().to(design_preview::show))
                .route(
                    "/designs/{name}/pictures/{asset}",
                    web::put().to(designs::put_picture),
                )
                .route(
                    "/designs/{name}/pictures/{asset}",
                    web::get().to(designs::picture),
                )
                .route("/competitions", web::post().to(competitions::create))
                .route("/competitions", web::get().to(competitions::list))
                .route("/competitions/{id}", web::get().to(competitions::show))
                .route("/competitions/{id}", web::put().to(competitions::update))
                .route("/competitions/{id}", web::delete().to(competitions::delete))
                .route(
                    "/competitions/{id}/archive",
                    web::post().to(competitions::archive),
                )
                .route(
                    "/competitions/{id}/letters",
                    web::put().to(competitions::set_letters),
                )
                .route("/competitions/{id}/papers", web::get().to(extra_papers::show))
                .route("/competitions/{id}/papers", web::put().to(extra_papers::update))
                .route(
                    "/competitions/{id}/jury/letters",
                    web::post().to(extra_papers::jury_letters),
                )
                .route(
                    "/competitions/{id}/entries/{entry_id}/attended",
                    web::put().to(extra_papers::set_attended),
                )
                .route(
                    "/competitions/{id}/design",
                    web::put().to(competitions::set_design),
                )
                .route(
                    "/competitions/{id}/results",
                    web::post().to(competitions::upload_results),
                )
                .route(
                    "/competitions/{id}/results/preview",
                    web::post().to(results::preview),
                )
                .route(
                    "/competitions/{id}/results.{format}",
                    web::get().to(results::export),
                )
                .route("/departments", web::get().to(competitions::departments))
                .route("/departments", web::post().to(competitions::create_department))
                .route("/persons", web::get().to(persons::list))
                .route("/persons/{id}", web::get().to(persons::show))
                .route("/persons/{id}/merge", web::post().to(persons::merge))
                .route("/persons/{id}/split", web::post().to(persons::split))
                .route("/reports", web::get().to(reports::show))
                .route("/reports.{format}", web::get().to(reports::file))
                .route("/audit", web::get().to(audit::list))
                .route("/organization/retention", web::get().to(audit::retention))
                .route("/organization/retention", web::put().to(audit::set_retention))
                .route("/organization", web::get().to(organization::show))
                .route("/organization", web::put().to(organization::update))
                .route(
                    "/organization/pictures/{role}",
                    web::get().to(organization::picture),
                )
                .route(
                    "/organization/pictures/{role}",
                    web::put().to(organization::put_picture),
                )
                .route(
                    "/organization/pictures/{role}",
                    web::delete().to(organization::remove_picture),
                )
                .route("/award-words", web::get().to(results::award_words))
                .route("/award-words", web::put().to(results::remember_award_word))
                .route(
                    "/award-words/{text}",
                    web::delete().to(results::forget_award_word),
                )
                .route("/competitions/{id}/criteria", web::post().to(jury::set_criteria))
                .route("/competitions/{id}/criteria", web::get().to(jury::criteria))
                .route("/competitions/{id}/judges", web::post().to(jury::create_judge))
                .route("/competitions/{id}/jury", web::post().to(jury::set_rules))
                .route(
                    "/competitions/{id}/jury/results",
                    web::post().to(jury::apply_results),
                )
                .route("/competitions/{id}/entries", web::get().to(jury::entries))
                .route(
                    "/competitions/{id}/entries/{entry_id}/scores",
                    web::put().to(jury::score),
                )
                .route("/competitions/{id}/issue", web::post().to(jobs::issue))
                .route("/competitions/{id}/advance", web::post().to(jury::advance))
                .route(
                    "/competitions/{id}/stage-invitations",
                    web::post().to(stages::create_invitation),
                )
                .route(
                    "/competitions/{id}/stage-invitations",
                    web::get().to(stages::invitations),
                )
                .route(
                    "/stage-invitations/{id}/revoke",
                    web::post().to(stages::revoke_invitation),
                )
                .route("/stage-invitations/terms", web::post().to(stages::terms))
                .route("/stage-links", web::post().to(stages::link))
                .route("/stage-links/{id}/preview", web::post().to(stages::preview))
                .route("/stage-links/{id}/forward", web::post().to(stages::forward))
                .route(
                    "/stage-links/{id}/table/preview",
                    web::post().to(stages::table_preview),
                )
                .route("/stage-links/{id}/table", web::post().to(stages::table_forward))
                .route("/stage-links/{id}/forwarded", web::get().to(stages::forwarded))
                .route("/competitions/{id}/feeds", web::get().to(stages::feeds))
                .route("/competitions/{id}/feeding", web::get().to(stages::feeding))
                .route(
                    "/competitions/{id}/feeding/{entry_id}/refuse",
                    web::post().to(stages::refuse),
                )
                .route(
                    "/competitions/{id}/jury/protocol.{format}",
                    web::get().to(jury::protocol),
                )
                .route(
                    "/competitions/{id}/jury/blind",
                    web::put().to(jury_review::set_blind),
                )
                .route(
                    "/competitions/{id}/jury/assignments",
                    web::post().to(jury_review::assign),
                )
                .route(
                    "/competitions/{id}/jury/assignments",
                    web::get().to(jury_review::board),
                )
                .route(
                    "/competitions/{id}/jury/assignments/{entry_id}",
                    web::put().to(jury_review::set_assignment),
                )
                .route(
                    "/competitions/{id}/jury/reminders",
                    web::post().to(reminders::remind),
                )
                .route(
                    "/competitions/{id}/jury/ranking",
                    web::get().to(jury_review::ranking),
                )
                .route(
                    "/competitions/{id}/judges/{judge_id}/panel",
                    web::put().to(jury_review::set_panel),
                )
                .route(
                    "/competitions/{id}/entries/{entry_id}/revision",
                    web::post().to(jury_rounds::return_for_revision),
                )
                .route(
                    "/competitions/{id}/entries/{entry_id}/revision/received",
                    web::post().to(jury_rounds::revision_received),
                )
                .route("/competitions/{id}/jury/chair", web::put().to(jury::name_chair))
                .route("/competitions/{id}/jury/ties", web::get().to(jury_ties::ties))
                .route(
                    "/competitions/{id}/jury/ties",
                    web::put().to(jury_ties::decide_tie),
                )
                .route("/competitions/{id}/jury/sign-off", web::post().to(jury::sign_off))
                .route(
                    "/competitions/{id}/jury/sign-off",
                    web::get().to(jury::sign_off_state),
                )
                .route("/competitions/{id}/scores", web::post().to(jury::upload_scores))
                .route(
                    "/competitions/{id}/entries/{entry_id}/out-of-competition",
                    web::put().to(jury::out_of_competition),
                )
                .route("/competitions/{id}/call", web::get().to(applications::call))
                .route("/competitions/{id}/call", web::put().to(applications::set_call))
                .route(
                    "/competitions/{id}/call/rules",
                    web::put().to(applications::put_rules),
                )
                .route(
                    "/competitions/{id}/call/rules",
                    web::delete().to(applications::delete_rules),
                )
                .route(
                    "/competitions/{id}/applications",
                    web::get().to(applications::list),
                )
                .route(
                    "/competitions/{id}/applications.{format}",
                    web::get().to(applications::export),
                )
                .route("/applications/{id}", web::get().to(applications::show))
                .route(
                    "/applications/{id}/decision",
                    web::post().to(applications::decide),
                )
                .route(
                    "/applications/{id}/files/{file}",
                    web::get().to(applications::file),
                )
                .route("/competitions/{id}/documents", web::get().to(documents::list))
                .route("/competitions/{id}/documents.zip", web::get().to(documents::zip))
                .route(
                    "/competitions/{id}/documents.pdf",
                    web::get().to(print::print_pdf),
                )
                .route("/competitions/{id}/bundles", web::get().to(documents::bundles))
                .route("/competitions/{id}/deliveries", web::post().to(deliveries::send))
                .route("/competitions/{id}/deliveries", web::get().to(deliveries::list))
                .route(
                    "/competitions/{id}/deliveries/resend",
                    web::post().to(deliveries::resend_failed),
                )
                .route("/deliveries/{id}/resend", web::post().to(deliveries::resend))
                .route("/jobs/{id}", web::get().to(jobs::show))
                .route("/jobs/{id}/cancel", web::post().to(jobs::cancel))
                .route("/documents/{id}", web::get().to(documents::show))
                .route("/documents/{id}/pdf", web::get().to(documents::pdf))
                .route(
                    "/documents/{id}/credential",
                    web::get().to(credentials::of_document),
                )
                .route("/documents/{id}/revoke", web::post().to(documents::revoke))
                .route("/documents/{id}/reissue", web::post().to(documents::reissue))
                .route(
                    "/documents/{id}/visibility",
                    web::post().to(documents::visibility),
                ),
        );
}
