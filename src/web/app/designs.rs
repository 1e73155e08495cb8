//! Design pages: the organization's own designs, made from a built-in one, given a background,
//! logo, signature or stamp, and seen as a picture; and the design choice on a competition's page.
//! The same service functions as the API do the work.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::{context, Value};
use serde::Deserialize;

use super::account::see_other;
use super::session::{signed_in, CheckedForm, Member};
use super::upload::read_multipart;
use super::view::{page, page_lang};
use crate::db;
use crate::domain::design::DesignVersion;
use crate::domain::Competition;
use crate::issuance::own_designs::{self, NewDesign};
use crate::web::competitions::choose_design;
use crate::web::design_preview::{answer, named_pdf, PreviewQuery};
use crate::web::designs::{create_for, put_picture_for};
use crate::web::{ApiError, AppState};

/// The pictures a design page offers to upload, in the order a designer thinks of them.
const ASSETS: [&str; 4] = ["background", "logo", "signature", "stamp"];

/// Where a page's preview picture comes from: the session's own preview of a design by name.
fn preview_url(design: &str, language: &str, competition: Option<&str>) -> String {
    let mut query = vec![("design", design), ("language", language), ("format", "png")];
    if let Some(id) = competition {
        query.push(("competition", id));
    }
    format!(
        "/app/design-preview?{}",
        serde_urlencoded::to_string(query).unwrap_or_default()
    )
}

/// Built-in designs, then the organization's own: what a competition may choose.
async fn choices(
    state: &AppState,
    organization_id: String,
) -> Result<(Vec<Value>, Vec<DesignVersion>), ApiError> {
    let own = state
        .db
        .run(move |conn| db::designs::list(conn, &organization_id))
        .await?;
    let options = state
        .issuance
        .renderer
        .built_in_designs()
        .map(|d| context! { name => d.name.clone(), own => false })
        .chain(
            own.iter()
                .map(|v| context! { name => v.name.clone(), own => true }),
        )
        .collect();
    Ok((options, own))
}

#[derive(Deserialize, Default)]
pub struct ShownQuery {
    design: Option<String>,
    language: Option<String>,
}

/// The design card of a competition's page: the choice, with a preview of what is shown (the
/// current design unless the visitor picked another to look at) filled with the first row.
pub async fn competition_card(
    req: &HttpRequest,
    state: &AppState,
    competition: &Competition,
) -> Result<Value, ApiError> {
    let shown: ShownQuery = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let (options, _) = choices(state, competition.organization_id.clone()).await?;
    let current = competition.details.design.clone();
    let design = shown
        .design
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| current.clone());
    let language = shown
        .language
        .as_deref()
        .and_then(crate::i18n::Lang::parse)
        .unwrap_or(competition.details.language)
        .code();
    Ok(context! {
        options => options,
        current => current,
        shown => design.clone(),
        language => language,
        preview_url => preview_url(&design, language, Some(&competition.id)),
    })
}

#[derive(Deserialize)]
pub struct ChoiceForm {
    design: String,
}

/// Chooses the competition's design from the page's form; a name not offered is an error page.
pub async fn choose(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<ChoiceForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let id = path.into_inner();
    choose_design(
        &state,
        organizer.organization_id.into(),
        id.clone().into(),
        form.design,
    )
    .await?;
    Ok(see_other(&format!("/app/competitions/{id}?done=design#design")))
}

/// `/app/design-preview?design=&language=&award=&competition=&format=png`: any design the
/// organization may use, as the API's preview gives it, under the session.
pub async fn preview(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<PreviewQuery>,
    design: web::Query<DesignParam>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (what, format) = query.into_inner().parse(design.into_inner().design)?;
    let pdf = named_pdf(&state, organizer.organization_id, what).await?;
    answer(pdf, format).await
}

#[derive(Deserialize)]
pub struct DesignParam {
    design: String,
}

fn version_view(version: &DesignVersion, language: &str) -> Value {
    let missing = own_designs::missing_pictures(version).unwrap_or_default();
    let pictures: Vec<Value> = version
        .pictures
        .iter()
        .map(|(asset, digest)| context! { asset => asset.clone(), sha256 => digest[..12.min(digest.len())].to_string() })
        .collect();
    context! {
        name => version.name.clone(),
        path => design_path(&version.name),
        version => version.version,
        created_at => version.created_at.clone(),
        reference => version.reference().to_string(),
        pictures => pictures,
        missing => missing.join(", "),
        preview_url => preview_url(&version.name, language, None),
    }
}

/// The organization's own designs and the form that makes one from a built-in design.
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    list_page(&req, &state, &member, StatusCode::OK, None).await
}

async fn list_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    status: StatusCode,
    message: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (options, own) = choices(state, organizer.organization_id).await?;
    let (lang, _) = page_lang(req);
    let designs: Vec<Value> = own.iter().map(|v| version_view(v, lang.code())).collect();
    page(
        req,
        &member.visitor,
        status,
        "designs.html",
        context! { designs => designs, sources => options, message => message },
    )
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    from: Option<String>,
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<CreateForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let new = NewDesign {
        name: form.name,
        from: form.from,
        design: None,
    };
    match create_for(&state, organizer, new).await {
        Ok(version) => Ok(see_other(&format!("{}?done=created", design_path(&version.name)))),
        Err(e @ ApiError::Unprocessable(_)) => {
            let (lang, _) = page_lang(&req);
            list_page(
                &req,
                &state,
                &member,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(e.message_in(lang)),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub(super) fn design_path(name: &str) -> String {
    let encoded = serde_urlencoded::to_string([("", name)]).unwrap_or_default();
    format!("/app/designs/{}", encoded.trim_start_matches('='))
}

#[derive(Deserialize)]
pub struct DesignPageQuery {
    done: Option<String>,
    language: Option<String>,
}

/// One own design: its latest version, its pictures, the upload form and the preview.
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<DesignPageQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let done = query
        .done
        .filter(|d| ["picture", "created", "edited", "renamed"].contains(&d.as_str()));
    design_page(
        &req,
        &state,
        &member,
        path.into_inner(),
        query.language,
        done,
        None,
    )
    .await
}

async fn design_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    name: String,
    language: Option<String>,
    done: Option<String>,
    message: Option<(StatusCode, String)>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let version = state
        .db
        .run(move |conn| db::designs::latest(conn, &organizer.organization_id, &name))
        .await?;
    let (lang, _) = page_lang(req);
    let language = language
        .as_deref()
        .and_then(crate::i18n::Lang::parse)
        .unwrap_or(lang)
        .code();
    let (status, message) = match message {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    page(
        req,
        &member.visitor,
        status,
        "design.html",
        context! {
            design => version_view(&version, language),
            language => language,
            assets => ASSETS,
            done => done,
            message => message,
        },
    )
}

/// A picture uploaded from the design page: a new version, or the page again with why not.
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    let upload = read_multipart(multipart, state.settings.max_upload_bytes).await?;
    member.visitor.check_csrf(upload.csrf.as_deref())?;
    let organizer = member.organizer()?;
    let name = path.into_inner();
    let asset = upload.asset.unwrap_or_default();
    match put_picture_for(&state, organizer, name.clone(), asset, upload.file).await {
        Ok(version) => Ok(see_other(&format!("{}?done=picture", design_path(&version.name)))),
        Err(e @ ApiError::Unprocessable(_)) => {
            let (lang, _) = page_lang(&req);
            let message = (StatusCode::UNPROCESSABLE_ENTITY, e.message_in(lang));
            design_page(&req, &state, &member, name, None, None, Some(message)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../templates/static/design_preview.js"))
}

pub async fn editor_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../templates/static/design_editor.js"))
}

#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
}

/// Renames an own design from its page.
pub async fn rename(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<RenameForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let name = path.into_inner();
    let to = form.name.trim().to_string();
    match crate::web::designs::rename_for(&state, organizer, name.clone(), to.clone()).await {
        Ok(()) => Ok(see_other(&format!("{}?done=renamed", design_path(&to)))),
        Err(e) => refused(&req, &state, &member, name, e).await,
    }
}

/// Deletes an own design from its page; refused while a competition chooses it.
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<super::account::Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let name = path.into_inner();
    match crate::web::designs::delete_for(&state, organizer, name.clone()).await {
        Ok(()) => Ok(see_other("/app/designs?done=deleted")),
        Err(e) => refused(&req, &state, &member, name, e).await,
    }
}

/// The design's page again with why a change was refused; any other error as it is.
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    name: String,
    error: ApiError,
) -> Result<HttpResponse, ApiError> {
    match error {
        e @ (ApiError::Unprocessable(_) | ApiError::Conflict(_)) => {
            let (lang, _) = page_lang(req);
            let status = actix_web::ResponseError::status_code(&e);
            let message = Some((status, e.message_in(lang)));
            design_page(req, state, member, name, None, None, message).await
        }
        e => Err(e),
    }
}
