//! The web application for organizers, jury members and participants: server-rendered pages in
//! kk/ru/en that work without scripts, on the same services as the API.

mod account;
mod applications;
mod audit;
mod design_editor;
mod designs;
pub(crate) mod documents;
mod downloads;
mod extra_papers;
mod jury;
mod jury_panel;
mod jury_review;
mod mail;
mod organization;
mod organizer;
mod participant;
mod password;
mod people;
mod persons;
mod reports;
mod reset;
mod results;
pub mod session;
mod setup;
mod stages;
mod upload;
pub mod view;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

pub use view::{error_page, AppPages};

/// Requests answered with pages (errors too), not JSON.
pub fn is_page(req: &HttpRequest) -> bool {
    let path = req.path();
    path == "/app"
        || path.starts_with("/app/")
        || path == "/find"
        || path.starts_with("/find/")
        || crate::web::portal::is_portal_page(path)
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../templates/static/app.css"))
}

async fn progress_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../templates/static/progress.js"))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/app.css", web::get().to(stylesheet))
        .route("/static/progress.js", web::get().to(progress_script))
        .route("/static/design_preview.js", web::get().to(designs::script))
        .route("/static/design_editor.js", web::get().to(designs::editor_script))
        .route("/find", web::get().to(participant::form))
        .route("/find/pdf", web::get().to(participant::pdf))
        .route("/app", web::get().to(account::home))
        .service(
            web::scope("/app")
                .route("/login", web::get().to(account::login_form))
                .route("/login", web::post().to(account::login))
                .route("/logout", web::post().to(account::logout))
                .route("/persons", web::get().to(persons::list))
                .route("/persons/{id}", web::get().to(persons::show))
                .route("/persons/{id}/merge", web::post().to(persons::merge))
                .route("/persons/{id}/split", web::post().to(persons::split))
                .route("/reports", web::get().to(reports::show))
                .route("/reports.{format}", web::get().to(reports::file))
                .route("/password", web::get().to(password::form))
                .route("/password", web::post().to(password::change))
                .route("/audit", web::get().to(audit::show))
                .route("/audit/retention", web::post().to(audit::set_retention))
                .route("/language", web::post().to(reset::set_language))
                .route("/forgot", web::get().to(reset::forgot_form))
                .route("/forgot", web::post().to(reset::forgot))
                .route("/reset/{token}", web::get().to(reset::reset_form))
                .route("/reset/{token}", web::post().to(reset::reset))
                .route("/organization", web::get().to(organization::show))
                .route("/organization", web::post().to(organization::save))
                .route(
                    "/organization/pictures",
                    web::post().to(organization::upload_picture),
                )
                .route(
                    "/organization/pictures/{role}",
                    web::get().to(organization::picture),
                )
                .route(
                    "/organization/pictures/{role}/remove",
                    web::post().to(organization::remove_picture),
                )
                .route(
                    "/organization/departments",
                    web::post().to(organization::add_department),
                )
                .route("/setup/{token}", web::get().to(setup::form))
                .route("/setup/{token}", web::post().to(setup::claim))
                .route("/invite/{token}", web::get().to(account::accept_form))
                .route("/invite/{token}", web::post().to(account::accept))
                .route("/people", web::get().to(people::people))
                .route("/people", web::post().to(people::invite))
                .route("/people/{id}/role", web::post().to(people::set_role))
                .route(
                    "/people/{id}/{action:disable|enable}",
                    web::post().to(people::switch),
                )
                .route("/tokens", web::get().to(account::tokens))
                .route("/tokens", web::post().to(account::create_token))
                .route("/tokens/{id}/revoke", web::post().to(account::revoke_token))
                .route("/competitions", web::get().to(organizer::list))
                .route("/competitions", web::post().to(organizer::create))
                .route("/competitions/new", web::get().to(organizer::new_form))
                .route("/competitions/{id}", web::get().to(organizer::detail))
                .route("/competitions/{id}/edit", web::get().to(organizer::edit_form))
                .route("/competitions/{id}/edit", web::post().to(organizer::edit))
                .route("/competitions/{id}/archive", web::post().to(organizer::archive))
                .route("/competitions/{id}/delete", web::post().to(organizer::delete))
                .route("/competitions/{id}/upload", web::post().to(results::upload))
                .route(
                    "/competitions/{id}/uploads/{upload}",
                    web::get().to(results::preview),
                )
                .route(
                    "/competitions/{id}/award-words",
                    web::post().to(results::map_word),
                )
                .route("/competitions/{id}/import", web::post().to(results::import))
                .route("/competitions/{id}/issue", web::post().to(organizer::issue))
                .route("/competitions/{id}/stages", web::get().to(stages::show))
                .route(
                    "/competitions/{id}/stage-invitations",
                    web::post().to(stages::invite),
                )
                .route(
                    "/competitions/{id}/stage-invitations/{invitation}/revoke",
                    web::post().to(stages::revoke),
                )
                .route(
                    "/competitions/{id}/feeding/{entry_id}/refuse",
                    web::post().to(stages::refuse),
                )
                .route("/stage-invite/{token}", web::get().to(stages::invitation))
                .route("/stage-invite/{token}", web::post().to(stages::link))
                .route("/stage-links/{id}/preview", web::post().to(stages::preview))
                .route("/stage-links/{id}/table", web::post().to(stages::table))
                .route("/stage-links/{id}/forward", web::post().to(stages::forward))
                .route("/competitions/{id}/papers", web::get().to(extra_papers::show))
                .route("/competitions/{id}/papers", web::post().to(extra_papers::save))
                .route(
                    "/competitions/{id}/jury-letters",
                    web::post().to(extra_papers::jury_letters),
                )
                .route(
                    "/competitions/{id}/entries/{entry_id}/attended",
                    web::post().to(extra_papers::attended),
                )
                .route("/competitions/{id}/call", web::get().to(applications::call_form))
                .route("/competitions/{id}/call", web::post().to(applications::save_call))
                .route(
                    "/competitions/{id}/call/rules",
                    web::post().to(applications::upload_rules),
                )
                .route(
                    "/competitions/{id}/applications",
                    web::get().to(applications::list),
                )
                .route(
                    "/competitions/{id}/applications.xlsx",
                    web::get().to(applications::export),
                )
                .route("/applications/{id}", web::get().to(applications::show))
                .route("/applications/{id}/decide", web::post().to(applications::decide))
                .route("/works/{file}", web::get().to(applications::work))
                .route("/competitions/{id}/design", web::post().to(designs::choose))
                .route("/designs", web::get().to(designs::list))
                .route("/designs", web::post().to(designs::create))
                .route("/designs/{name}", web::get().to(designs::show))
                .route("/designs/{name}/pictures", web::post().to(designs::upload))
                .route(
                    "/designs/{name}/pictures/{asset}",
                    web::get().to(design_editor::picture),
                )
                .route("/designs/{name}/edit", web::get().to(design_editor::editor))
                .route("/designs/{name}/rename", web::post().to(designs::rename))
                .route("/designs/{name}/delete", web::post().to(designs::delete))
                .route("/designs/{name}/edit", web::post().to(design_editor::save))
                .route(
                    "/designs/{name}/draft-preview",
                    web::post().to(design_editor::draft_preview),
                )
                .route("/design-preview", web::get().to(designs::preview))
                .route(
                    "/competitions/{id}/criteria",
                    web::post().to(organizer::set_criteria),
                )
                .route("/competitions/{id}/judges", web::post().to(organizer::add_judge))
                .route(
                    "/competitions/{id}/jury/rules",
                    web::post().to(jury_panel::set_rules),
                )
                .route(
                    "/competitions/{id}/jury/chair",
                    web::post().to(jury_panel::name_chair),
                )
                .route(
                    "/competitions/{id}/jury/results",
                    web::post().to(jury_panel::apply_results),
                )
                .route(
                    "/competitions/{id}/jury/protocol.{ext}",
                    web::get().to(jury_panel::protocol),
                )
                .route(
                    "/competitions/{id}/jury/blind",
                    web::post().to(jury_review::set_blind),
                )
                .route("/competitions/{id}/review", web::get().to(jury_review::review))
                .route(
                    "/competitions/{id}/review/remind",
                    web::post().to(jury_review::remind),
                )
                .route(
                    "/competitions/{id}/review/assign",
                    web::post().to(jury_review::assign),
                )
                .route(
                    "/competitions/{id}/review/judges/{judge}/panel",
                    web::post().to(jury_review::set_panel),
                )
                .route(
                    "/competitions/{id}/review/entries/{entry}",
                    web::post().to(jury_review::set_assignment),
                )
                .route(
                    "/competitions/{id}/review/revision",
                    web::post().to(jury_review::return_for_revision),
                )
                .route(
                    "/competitions/{id}/review/revision/received",
                    web::post().to(jury_review::revision_received),
                )
                .route("/competitions/{id}/advance", web::post().to(jury_panel::advance))
                .route("/competitions/{id}/documents", web::get().to(documents::list))
                .route("/competitions/{id}/documents.zip", web::get().to(downloads::zip))
                .route(
                    "/competitions/{id}/documents.pdf",
                    web::get().to(downloads::print),
                )
                .route("/competitions/{id}/bundles", web::get().to(downloads::bundles))
                .route("/competitions/{id}/deliveries", web::get().to(mail::deliveries))
                .route("/competitions/{id}/deliveries", web::post().to(mail::send))
                .route(
                    "/competitions/{id}/deliveries/resend",
                    web::post().to(mail::resend_failed),
                )
                .route("/deliveries/{id}/resend", web::post().to(mail::resend))
                .route("/documents/{id}/pdf", web::get().to(documents::pdf))
                .route("/documents/{id}/revoke", web::post().to(documents::revoke))
                .route(
                    "/documents/{id}/visibility",
                    web::post().to(documents::visibility),
                )
                .route("/documents/{id}/reissue", web::post().to(documents::reissue))
                .route("/jobs/{id}", web::get().to(organizer::job))
                .route("/jobs/{id}/status", web::get().to(organizer::job_status))
                .route("/jury", web::get().to(jury::list))
                .route("/jury/{judge}", web::get().to(jury::entries))
                .route("/jury/{judge}/entries/{entry}", web::get().to(jury::entry))
                .route("/jury/{judge}/entries/{entry}", web::post().to(jury::score))
                .route("/jury/{judge}/sign-off", web::post().to(jury::sign_off))
                .route("/jury/{judge}/ties", web::post().to(jury::decide_tie)),
        );
}
