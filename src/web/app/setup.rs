//! The first-run page: the setup link from the service's log creates the organization and its
//! first administrator, then signs them in. The rules are in `crate::setup`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;
use time::OffsetDateTime;

use super::account::{at_password_gate, new_password_problem, see_other};
use super::session::{cookie, CheckedForm, Visitor, SESSION_COOKIE, SESSION_DAYS};
use super::view::{again, page};
use crate::db;
use crate::domain::account::{hash_password, Email, Secret};
use crate::domain::entry::normalize_text;
use crate::domain::time::format_timestamp;
use crate::domain::OrgSlug;
use crate::setup::{Claim, SetupError};
use crate::web::{ApiError, AppState};

async fn open_link(state: &AppState, token: &str) -> Result<Option<Secret>, ApiError> {
    let Some(token) = Secret::from_presented(token) else {
        return Ok(None);
    };
    let lookup = token.clone();
    let open = state
        .db
        .run(move |conn| crate::setup::is_open(conn, &lookup))
        .await?;
    Ok(open.then_some(token))
}

/// A link that is used, expired or never made says so, and nothing else.
fn closed(req: &HttpRequest, visitor: &Visitor) -> Result<HttpResponse, ApiError> {
    page(
        req,
        visitor,
        StatusCode::GONE,
        "setup.html",
        context! { closed => true },
    )
}

pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    match open_link(&state, &path).await? {
        Some(_) => page(&req, &visitor, StatusCode::OK, "setup.html", context! {}),
        None => closed(&req, &visitor),
    }
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    name_kk: String,
    #[serde(default)]
    name_ru: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

const MAX_NAME_CHARS: usize = 300;

pub async fn claim(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<SetupForm>,
) -> Result<HttpResponse, ApiError> {
    let CheckedForm { visitor, form } = form;
    let Some(token) = open_link(&state, &path).await? else {
        return closed(&req, &visitor);
    };
    let text = |value: &str| Some(normalize_text(value)).filter(|v| !v.is_empty());
    let (name_kk, name_ru, name_en) = (text(&form.name_kk), text(&form.name_ru), text(&form.name_en));
    let admin_name = normalize_text(&form.name);
    let slug = OrgSlug::parse(&form.slug.trim().to_lowercase());
    let email = Email::parse(&form.email);
    let too_long = [&name_kk, &name_ru, &name_en]
        .iter()
        .any(|n| n.as_ref().is_some_and(|n| n.chars().count() > MAX_NAME_CHARS));
    let problem = if name_kk.is_none() && name_ru.is_none() || too_long {
        Some("setup_org_name_invalid")
    } else if slug.is_none() {
        Some("setup_slug_invalid")
    } else if admin_name.is_empty() || admin_name.chars().count() > 200 {
        Some("name_invalid")
    } else if email.is_none() {
        Some("setup_email_invalid")
    } else {
        new_password_problem(&form.password, &form.password_again)
    };
    let (Some(slug), Some(email), None) = (slug, email, problem) else {
        let extra = context! {
            name_kk => form.name_kk, name_ru => form.name_ru, name_en => form.name_en,
            slug => form.slug, city => form.city, name => form.name, email => form.email,
        };
        let problem = problem.unwrap_or("setup_slug_invalid");
        return again(
            &req,
            &visitor,
            StatusCode::BAD_REQUEST,
            "setup.html",
            problem,
            extra,
        );
    };
    let password = form.password;
    // Hashing takes 19 MiB: it waits its turn at the sign-in gate.
    let password_hash = at_password_gate(&state, move || hash_password(&password))
        .await?
        .map_err(ApiError::internal)?;
    let claim = Claim {
        slug,
        name_kk,
        name_ru,
        name_en,
        city: text(&form.city),
        admin_name,
        email,
        password_hash,
    };
    let expires = format_timestamp(OffsetDateTime::now_utc() + time::Duration::days(SESSION_DAYS));
    let claimed = state
        .db
        .run(move |conn| {
            Ok(match crate::setup::claim(conn, &token, claim) {
                Ok(admin) => Ok(db::accounts::open_session(conn, &admin.id, &expires)?.0),
                Err(SetupError::Closed) => Err(()),
                Err(SetupError::Db(e)) => return Err(e),
            })
        })
        .await?;
    let Ok(session) = claimed else {
        return closed(&req, &visitor);
    };
    let mut response = see_other("/app/competitions");
    response
        .add_cookie(&cookie(
            &state,
            SESSION_COOKIE,
            session.reveal().to_string(),
            SESSION_DAYS,
        ))
        .map_err(ApiError::internal)?;
    Ok(response)
}
