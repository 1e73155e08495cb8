//! The API description, `GET /api/v1/openapi.json`, generated from the code rather than kept by
//! hand: each handler's `#[utoipa::path]` (next to the handler) says its method, path, words,
//! parameters and answers, and the types it reads and writes derive `utoipa::ToSchema`, so the
//! description follows the types. A new route is annotated and listed in `paths` below;
//! `tests/api/api_description.rs` fails for a route that is registered but not described.

use std::sync::OnceLock;

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gramota",
        version = "1",
        description = "Issue diplomas and certificates for competitions and verify them. Organizer calls carry `Authorization: Bearer TOKEN` (create one with `gramota token create --org SLUG`). Errors come in the language of `Accept-Language` or `?lang=` (kk, ru, en).",
    ),
    paths(
        super::health::healthz,
        super::metrics::show,
        super::verify::offline_page,
        super::verify::page,
        super::verify::key_set,
        super::deliveries::download,
        super::health::openapi,
        super::verify::json,
        super::credentials::of_holder,
        super::credentials::issuer,
        super::credentials::status_list,
        super::credentials::did_document,
        super::designs::list,
        super::designs::create,
        super::design_preview::preview,
        super::designs::show,
        super::designs::replace,
        super::designs::move_elements,
        super::designs::versions,
        super::designs::rename,
        super::designs::delete,
        super::design_preview::show,
        super::designs::put_picture,
        super::designs::picture,
        super::competitions::create,
        super::competitions::list,
        super::competitions::show,
        super::competitions::update,
        super::competitions::delete,
        super::competitions::archive,
        super::competitions::set_letters,
        super::extra_papers::show,
        super::extra_papers::update,
        super::extra_papers::jury_letters,
        super::extra_papers::set_attended,
        super::competitions::set_design,
        super::competitions::upload_results,
        super::results::preview,
        super::results::export,
        super::competitions::departments,
        super::competitions::create_department,
        super::persons::list,
        super::persons::show,
        super::persons::merge,
        super::persons::split,
        super::reports::show,
        super::reports::file,
        super::audit::list,
        super::audit::retention,
        super::audit::set_retention,
        super::organization::show,
        super::organization::update,
        super::organization::picture,
        super::organization::put_picture,
        super::organization::remove_picture,
        super::results::award_words,
        super::results::remember_award_word,
        super::results::forget_award_word,
        super::jury::set_criteria,
        super::jury::criteria,
        super::jury::create_judge,
        super::jury::set_rules,
        super::jury::apply_results,
        super::jury::entries,
        super::jury::score,
        super::jobs::issue,
        super::jury::advance,
        super::stages::create_invitation,
        super::stages::invitations,
        super::stages::revoke_invitation,
        super::stages::terms,
        super::stages::link,
        super::stages::preview,
        super::stages::forward,
        super::stages::table_preview,
        super::stages::table_forward,
        super::stages::forwarded,
        super::stages::feeds,
        super::stages::feeding,
        super::stages::refuse,
        super::jury::protocol,
        super::jury_review::set_blind,
        super::jury_review::assign,
        super::jury_review::board,
        super::reminders::remind,
        super::jury_review::set_assignment,
        super::jury_review::ranking,
        super::jury_review::set_panel,
        super::jury_rounds::return_for_revision,
        super::jury_rounds::revision_received,
        super::jury_ties::ties,
        super::jury_ties::decide_tie,
        super::jury::name_chair,
        super::jury::sign_off,
        super::jury::sign_off_state,
        super::jury::upload_scores,
        super::jury::out_of_competition,
        super::applications::call,
        super::applications::set_call,
        super::applications::put_rules,
        super::applications::delete_rules,
        super::applications::list,
        super::applications::export,
        super::applications::show,
        super::applications::decide,
        super::applications::file,
        super::documents::list,
        super::documents::zip,
        super::print::print_pdf,
        super::documents::bundles,
        super::deliveries::send,
        super::deliveries::list,
        super::deliveries::resend_failed,
        super::deliveries::resend,
        super::jobs::show,
        super::jobs::cancel,
        super::documents::show,
        super::documents::pdf,
        super::credentials::of_document,
        super::documents::revoke,
        super::documents::reissue,
        super::documents::visibility

    ),
    modifiers(&BearerToken),
)]
pub struct ApiDoc;

/// Organizer calls carry `Authorization: Bearer TOKEN`; their operations say `security(("bearer" = []))`.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// A file's bytes (PDF, ZIP, XLSX, a picture) in a request or an answer: `body = inline(Binary)`.
pub struct Binary;

impl utoipa::PartialSchema for Binary {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for Binary {}

/// The description as JSON, made once on first use.
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        ApiDoc::openapi().to_json().unwrap_or_else(|error| {
            tracing::error!(%error, "the API description could not be written");
            String::from("{}")
        })
    })
}
