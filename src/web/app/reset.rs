//! "Forgot password" and the page its e-mailed link opens (the rules: `crate::password_reset`),
//! and a signed-in person's interface language.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::account::{new_password_problem, see_other};
use super::session::{removal, signed_in, CheckedForm, Visitor};
use super::view::{again, ok, page_lang, LANG_COOKIE};
use crate::db;
use crate::domain::account::Secret;
use crate::i18n::Lang;
use crate::password_reset::{self, ResetError};
use crate::sign_in;
use crate::web::client_addr::client_key;
use crate::web::{ApiError, AppState};

impl From<ResetError> for ApiError {
    fn from(e: ResetError) -> Self {
        match e {
            ResetError::Throttled(seconds) => ApiError::RateLimited {
                retry_after_seconds: seconds,
            },
            ResetError::Busy => ApiError::Busy {
                retry_after_seconds: 1,
            },
            ResetError::Closed => ApiError::NotFound,
            ResetError::Db(db) => ApiError::from(db),
            e @ (ResetError::MailOff | ResetError::WeakPassword | ResetError::Hash(_)) => {
                ApiError::internal(e)
            }
        }
    }
}

pub async fn forgot_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
) -> Result<HttpResponse, ApiError> {
    let mail_off = !state.mail.is_on();
    let error = mail_off.then_some("reset_mail_off");
    ok(
        &req,
        &visitor,
        "forgot.html",
        context! { mail_off => mail_off, error => error },
    )
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The same page for every address, known or not; nothing about the address is said.
pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<ForgotForm>,
) -> Result<HttpResponse, ApiError> {
    let CheckedForm { visitor, form } = form;
    let sent = context! { sent => true };
    // No address is this long: answered as any other, without counting or looking anything up.
    if !sign_in::plausible_email_field(&form.email) {
        return ok(&req, &visitor, "forgot.html", sent);
    }
    let client = client_key(&req, &state.settings.trusted_proxies);
    let (lang, _) = page_lang(&req);
    match password_reset::request(&state.db, &state.mail, &form.email, &client, lang).await {
        Ok(()) => ok(&req, &visitor, "forgot.html", sent),
        Err(ResetError::MailOff) => again(
            &req,
            &visitor,
            StatusCode::SERVICE_UNAVAILABLE,
            "forgot.html",
            "reset_mail_off",
            context! { mail_off => true },
        ),
        Err(ResetError::Throttled(_)) => again(
            &req,
            &visitor,
            StatusCode::TOO_MANY_REQUESTS,
            "forgot.html",
            "reset_throttled",
            context! {},
        ),
        Err(e) => Err(e.into()),
    }
}

/// A link that cannot set a password any more: 410 with the way to ask for another.
fn closed(req: &HttpRequest, visitor: &Visitor) -> Result<HttpResponse, ApiError> {
    again(
        req,
        visitor,
        StatusCode::GONE,
        "reset.html",
        "reset_closed",
        context! { open => false },
    )
}

pub async fn reset_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Some(token) = Secret::from_presented(&token) else {
        return closed(&req, &visitor);
    };
    if !password_reset::is_open(&state.db, token).await? {
        return closed(&req, &visitor);
    }
    ok(&req, &visitor, "reset.html", context! { open => true })
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: CheckedForm<ResetForm>,
) -> Result<HttpResponse, ApiError> {
    let CheckedForm { visitor, form } = form;
    let Some(token) = Secret::from_presented(&token) else {
        return closed(&req, &visitor);
    };
    if let Some(problem) = new_password_problem(&form.password, &form.password_again) {
        return again(
            &req,
            &visitor,
            StatusCode::BAD_REQUEST,
            "reset.html",
            problem,
            context! { open => true },
        );
    }
    match password_reset::complete(&state.db, &state.passwords, token, form.password).await {
        Ok(()) => {
            // Every session ended, this browser's too: its cookie goes with it.
            let mut response = see_other("/app/login?reset=1");
            response
                .add_removal_cookie(&removal(super::session::SESSION_COOKIE))
                .map_err(ApiError::internal)?;
            Ok(response)
        }
        Err(ResetError::Closed) => closed(&req, &visitor),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// Saves the person's interface language and uses it in this browser at once; "browser" forgets it.
pub async fn set_language(
    state: web::Data<AppState>,
    form: CheckedForm<LanguageForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let language = match form.language.as_str() {
        "browser" => None,
        code => Some(
            Lang::ALL
                .into_iter()
                .find(|l| l.code() == code)
                .ok_or(ApiError::NotFound)?,
        ),
    };
    let user_id = member.user.id.clone();
    state
        .db
        .run(move |conn| db::accounts::set_language(conn, &user_id, language))
        .await?;
    let mut response = see_other("/app/password?done=language");
    let set = match language {
        Some(lang) => response.add_cookie(&super::view::lang_cookie(lang)),
        None => response.add_removal_cookie(&removal(LANG_COOKIE)),
    };
    set.map_err(ApiError::internal)?;
    Ok(response)
}
