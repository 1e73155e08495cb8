//! Signing in and out, accepting an invitation, and the organization's API tokens.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;
use time::OffsetDateTime;

use super::session::{
    cookie, removal, signed_in, CheckedForm, Member, Visitor, SESSION_COOKIE, SESSION_DAYS,
};
use super::view::{again, ok};
use crate::db::{self, accounts::NewUser};
use crate::domain::account::{acceptable_password, hash_password, Email, Role, Secret};
use crate::domain::time::format_timestamp;
use crate::sign_in::{self, Outcome};
use crate::web::client_addr::client_key;
use crate::web::{ApiError, AppState};

/// What is wrong with a new password typed twice, as a page's message key.
pub(super) fn new_password_problem(password: &str, again: &str) -> Option<&'static str> {
    if !acceptable_password(password) {
        Some("password_too_short")
    } else if password != again {
        Some("password_mismatch")
    } else {
        None
    }
}

/// Runs an Argon2 check or hash at the sign-in gate (19 MiB each): 503 at once when it is full.
pub(super) async fn at_password_gate<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let admission = state.passwords.admit().ok_or(ApiError::Busy {
        retry_after_seconds: 1,
    })?;
    admission.run(work).await.map_err(ApiError::internal)
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// `/app`: where a person starts, by role.
pub async fn home(visitor: Visitor) -> HttpResponse {
    match visitor.user.map(|u| u.role) {
        None => see_other("/app/login"),
        Some(Role::Jury) => see_other("/app/jury"),
        Some(_) => see_other("/app/competitions"),
    }
}

pub async fn login_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
) -> Result<HttpResponse, ApiError> {
    if visitor.user.is_some() {
        return Ok(see_other("/app"));
    }
    let welcome = req.query_string().contains("welcome=1");
    let reset = req.query_string().contains("reset=1");
    // A fresh server says where its setup link is, instead of a form no one can pass.
    let unclaimed = !state.db.run(db::accounts::any_account).await?;
    ok(
        &req,
        &visitor,
        "login.html",
        context! { welcome => welcome, reset => reset, unclaimed => unclaimed },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<LoginForm>,
) -> Result<HttpResponse, ApiError> {
    let CheckedForm { visitor, form } = form;
    // No address is this long: refused before anything is looked up, counted or stored.
    if !sign_in::plausible_email_field(&form.email) {
        return again(
            &req,
            &visitor,
            StatusCode::BAD_REQUEST,
            "login.html",
            "login_failed",
            context! {},
        );
    }
    let attempt = sign_in::Attempt {
        email: form.email.clone(),
        password: form.password,
        client: client_key(&req, &state.settings.trusted_proxies),
        session_expires: format_timestamp(OffsetDateTime::now_utc() + time::Duration::days(SESSION_DAYS)),
    };
    let (problem, status) = match sign_in::sign_in(&state.db, &state.passwords, attempt).await? {
        Outcome::SignedIn(token) => {
            let mut response = see_other("/app");
            response
                .add_cookie(&cookie(
                    &state,
                    SESSION_COOKIE,
                    token.reveal().to_string(),
                    SESSION_DAYS,
                ))
                .map_err(ApiError::internal)?;
            return Ok(response);
        }
        Outcome::WrongPassword => ("login_failed", StatusCode::UNAUTHORIZED),
        Outcome::Disabled => ("account_disabled", StatusCode::FORBIDDEN),
    };
    again(
        &req,
        &visitor,
        status,
        "login.html",
        problem,
        context! { email => form.email },
    )
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(state: web::Data<AppState>, form: CheckedForm<Empty>) -> Result<HttpResponse, ApiError> {
    if let Some(token) = form.visitor.session {
        state
            .db
            .run(move |conn| db::accounts::close_session(conn, &token))
            .await?;
    }
    let mut response = see_other("/app/login");
    response
        .add_removal_cookie(&removal(SESSION_COOKIE))
        .map_err(ApiError::internal)?;
    Ok(response)
}

pub async fn accept_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = Secret::from_presented(&path).ok_or(ApiError::NotFound)?;
    let invitation = state
        .db
        .run(move |conn| db::accounts::open_invitation(conn, &token))
        .await?
        .ok_or(ApiError::NotFound)?;
    ok(
        &req,
        &visitor,
        "invite.html",
        context! { email => invitation.email },
    )
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub async fn accept(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<AcceptForm>,
) -> Result<HttpResponse, ApiError> {
    let CheckedForm { visitor, form } = form;
    let token = Secret::from_presented(&path).ok_or(ApiError::NotFound)?;
    let lookup = token.clone();
    let invitation = state
        .db
        .run(move |conn| db::accounts::open_invitation(conn, &lookup))
        .await?
        .ok_or(ApiError::NotFound)?;
    let name = crate::domain::entry::normalize_text(&form.name);
    let problem = if name.is_empty() || name.chars().count() > 200 {
        Some("name_invalid")
    } else {
        new_password_problem(&form.password, &form.password_again)
    };
    if let Some(problem) = problem {
        let extra = context! { email => invitation.email, name => name };
        return again(
            &req,
            &visitor,
            StatusCode::BAD_REQUEST,
            "invite.html",
            problem,
            extra,
        );
    }
    let password = form.password;
    // Hashing takes the same 19 MiB as checking: it waits its turn at the same gate.
    let hash = at_password_gate(&state, move || hash_password(&password))
        .await?
        .map_err(ApiError::internal)?;
    let email = Email::parse(&invitation.email).ok_or(ApiError::NotFound)?;
    let created = state
        .db
        .run(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                if !db::accounts::use_invitation(conn, &token)? {
                    return Ok(None);
                }
                let new = NewUser {
                    organization_id: invitation.organization_id,
                    email,
                    name,
                    role: invitation.role,
                    password_hash: hash,
                };
                db::accounts::create_user(conn, new)
            })
        })
        .await?;
    match created {
        Some(_) => Ok(see_other("/app/login?welcome=1")),
        None => again(
            &req,
            &visitor,
            StatusCode::CONFLICT,
            "invite.html",
            "account_exists",
            context! {},
        ),
    }
}

/// The organization's API tokens: listed by label and date, never shown again after creation.
pub async fn tokens(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    tokens_page(&req, &state, &member, None).await
}

async fn tokens_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    new_token: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let rows = state
        .db
        .run(move |conn| db::tokens::list_organizer(conn, &organizer.organization_id))
        .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .map(|t| {
            context! {
                id => t.id,
                label => t.label,
                created_at => t.created_at,
                revoked_at => t.revoked_at,
            }
        })
        .collect();
    ok(
        req,
        &member.visitor,
        "tokens.html",
        context! { tokens => rows, new_token => new_token },
    )
}

#[derive(Deserialize)]
pub struct TokenForm {
    label: Option<String>,
}

pub async fn create_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<TokenForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let label = form
        .label
        .map(|l| crate::domain::entry::normalize_text(&l))
        .map(|l| l.chars().take(200).collect::<String>());
    let maker = member.user.id.clone();
    let token = state
        .db
        .run(move |conn| db::tokens::create(conn, &organizer.organization_id, label, Some(&maker)))
        .await?;
    tokens_page(&req, &state, &member, Some(token.reveal().to_string())).await
}

pub async fn revoke_token(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let id = path.into_inner();
    state
        .db
        .run(move |conn| db::tokens::revoke_owned(conn, &organizer.organization_id, &id))
        .await?;
    Ok(see_other("/app/tokens"))
}
