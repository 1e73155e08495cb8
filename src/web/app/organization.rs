//! The organization's profile page (administrators): names as papers print them, city, the head
//! who signs, contacts and default pictures. The same service as `PUT /api/v1/organization`.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::account::see_other;
use super::account::Empty;
use super::session::{signed_in, CheckedForm, Member};
use super::upload::read_multipart;
use super::view::{ok, page};
use crate::domain::account::Role;
use crate::profile::{ProfileChange, ProfileError};
use crate::web::organization::{picture_change, picture_of};
use crate::web::{ApiError, AppState};

/// Only an administrator sees or changes the profile; anyone else gets "not found".
fn admin_of(member: &Member) -> Result<String, ApiError> {
    match member.role() {
        Role::Admin => Ok(member.user.organization_id.clone()),
        _ => Err(ApiError::NotFound),
    }
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let organization_id = admin_of(&member)?;
    let (profile, departments) = state
        .db
        .run(move |conn| {
            let profile = crate::profile::profile(conn, &organization_id)?;
            Ok::<_, crate::db::DbError>((profile, crate::db::departments::list(conn, &organization_id)?))
        })
        .await?;
    let saved = req.query_string().contains("done=saved");
    let roles = crate::profile::PICTURE_ROLES;
    ok(
        &req,
        &member.visitor,
        "organization.html",
        context! { profile => profile, saved => saved, departments => departments, roles => roles },
    )
}

#[derive(serde::Deserialize)]
pub struct DepartmentForm {
    name: String,
}

/// Adds a department (отдел) from the profile page.
pub async fn add_department(
    state: web::Data<AppState>,
    form: CheckedForm<DepartmentForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organization_id = admin_of(&member)?;
    crate::web::competitions::department_for(&state, organization_id, form.name).await?;
    Ok(see_other("/app/organization?done=saved#departments"))
}

pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<ProfileChange>,
) -> Result<HttpResponse, ApiError> {
    let (member, mut change) = signed_in(form)?;
    let organization_id = admin_of(&member)?;
    // The form always has the head's fields; one left empty (and so not sent) is cleared.
    for field in [
        &mut change.head_name,
        &mut change.head_title,
        &mut change.address,
        &mut change.phone,
        &mut change.email,
        &mut change.website,
    ] {
        field.get_or_insert_with(String::new);
    }
    let shown = change.clone();
    let result = state
        .db
        .run(move |conn| crate::profile::update(conn, &organization_id, change))
        .await;
    match result {
        Ok(_) => Ok(see_other("/app/organization?done=saved")),
        Err(ProfileError::Invalid(field)) => page(
            &req,
            &member.visitor,
            StatusCode::BAD_REQUEST,
            "organization.html",
            context! { profile => shown, error => "profile_invalid", field => field, roles => crate::profile::PICTURE_ROLES },
        ),
        Err(other) => Err(other.into()),
    }
}

/// A default picture uploaded from the profile page (the form's `asset` names the role).
pub async fn upload_picture(
    state: web::Data<AppState>,
    member: Member,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    let upload = read_multipart(multipart, state.settings.max_upload_bytes).await?;
    member.visitor.check_csrf(upload.csrf.as_deref())?;
    let organization_id = admin_of(&member)?;
    let role = upload.asset.unwrap_or_default();
    picture_change(&state, organization_id, role, Some(upload.file)).await?;
    Ok(see_other("/app/organization?done=saved#pictures"))
}

pub async fn remove_picture(
    state: web::Data<AppState>,
    role: web::Path<String>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organization_id = admin_of(&member)?;
    picture_change(&state, organization_id, role.into_inner(), None).await?;
    Ok(see_other("/app/organization?done=saved#pictures"))
}

pub async fn picture(
    state: web::Data<AppState>,
    member: Member,
    role: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organization_id = admin_of(&member)?;
    picture_of(&state, organization_id, role.into_inner()).await
}
