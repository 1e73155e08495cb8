//! The visual design editor: the page at its real proportions with the organization's background,
//! every element dragged, resized, nudged with the keyboard or set in millimetres, texts' fonts,
//! sizes, colours and alignment, elements added and deleted, undo; the renderer's own preview of
//! the unsaved design; saving makes a new version (issued papers keep theirs). The editing is in
//! `templates/static/design_editor.js`; every rule is checked again here, as the API checks it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::account::see_other;
use super::session::{signed_in, CheckedForm, Member};
use super::view::{page, page_lang};
use crate::db;
use crate::domain::Award;
use crate::i18n::Lang;
use crate::issuance::own_designs;
use crate::web::design_preview::{answer, Format};
use crate::web::{ApiError, AppState};

/// JSON safe to put inside a `<script type="application/json">`: no `</script>` can close it.
fn html_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

async fn editor_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    name: String,
    definition: Option<String>,
    message: Option<(StatusCode, String)>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let latest = state
        .db
        .run(move |conn| db::designs::latest(conn, &organizer.organization_id, &name))
        .await?;
    let pictures: Vec<String> = latest.pictures.keys().cloned().collect();
    let (status, message) = match message {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    let definition = definition.unwrap_or_else(|| latest.definition.clone());
    page(
        req,
        &member.visitor,
        status,
        "design_editor.html",
        context! {
            name => latest.name.clone(),
            design_path => super::designs::design_path(&latest.name),
            version => latest.version,
            definition => html_safe(&definition),
            pictures => html_safe(&serde_json::to_string(&pictures).unwrap_or_else(|_| "[]".into())),
            message => message,
        },
    )
}

pub async fn editor(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    editor_page(&req, &state, &member, path.into_inner(), None, None).await
}

#[derive(Deserialize)]
pub struct DefinitionForm {
    definition: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    award: Option<String>,
}

fn parsed(form: &DefinitionForm) -> Result<serde_json::Value, ApiError> {
    serde_json::from_str(&form.definition)
        .map_err(|e| crate::web::competitions::invalid("definition", e.to_string()))
}

/// Saves the edited design as a new version, or shows the editor again with why not.
pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<DefinitionForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let name = path.into_inner();
    let result = match parsed(&form) {
        Ok(definition) => {
            let design = name.clone();
            state
                .db
                .run(move |conn| {
                    Ok::<_, crate::db::DbError>(
                        own_designs::replace(
                            conn,
                            &organizer.organization_id,
                            &organizer.actor,
                            &design,
                            definition,
                        )
                        .map_err(ApiError::from),
                    )
                })
                .await?
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(version) => Ok(see_other(&format!(
            "{}?done=edited",
            super::designs::design_path(&version.name)
        ))),
        Err(e @ (ApiError::Invalid(_) | ApiError::Unprocessable(_))) => {
            let (lang, _) = page_lang(&req);
            let message = (StatusCode::UNPROCESSABLE_ENTITY, e.message_in(lang));
            editor_page(&req, &state, &member, name, Some(form.definition), Some(message)).await
        }
        Err(e) => Err(e),
    }
}

/// The renderer's own picture of the unsaved design, with sample data, as the editor shows it.
pub async fn draft_preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<DefinitionForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let (lang, _) = page_lang(&req);
    let language = form.language.as_deref().and_then(Lang::parse).unwrap_or(lang);
    let award = form
        .award
        .as_deref()
        .and_then(Award::from_code)
        .unwrap_or(Award::Degree(1));
    let definition = parsed(&form)?;
    let name = path.into_inner();
    let issuance = state.issuance.clone();
    let pdf = web::block(move || {
        crate::issuance::preview::preview_draft(
            &issuance,
            &organizer.organization_id,
            &name,
            definition,
            language,
            award,
        )
    })
    .await??;
    answer(pdf, Format::Png { dpi: 100 }).await
}

/// A picture of the design, for the editor's page.
pub async fn picture(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (name, asset) = path.into_inner();
    crate::web::designs::picture_of(&state, member.organizer()?, name, asset).await
}
