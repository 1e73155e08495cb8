//! A signed-in person changes their own password: the current one first, then the new one twice;
//! every other session of the account ends.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::account::{at_password_gate, new_password_problem, see_other};
use super::session::{signed_in, CheckedForm, Member};
use super::view::{again, ok};
use crate::db;
use crate::domain::account::{hash_password, verify_password};
use crate::web::{ApiError, AppState};

pub async fn form(req: HttpRequest, member: Member) -> Result<HttpResponse, ApiError> {
    let changed = req.query_string().contains("done=changed");
    let language_saved = req.query_string().contains("done=language");
    let chosen_language = member.user.language.map(|l| l.code());
    ok(
        &req,
        &member.visitor,
        "password.html",
        context! { changed => changed, language_saved => language_saved, chosen_language => chosen_language },
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub async fn change(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<PasswordForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let session = member.visitor.session.clone().ok_or(ApiError::SignInRequired)?;
    if let Some(problem) = new_password_problem(&form.password, &form.password_again) {
        return again(
            &req,
            &member.visitor,
            StatusCode::BAD_REQUEST,
            "password.html",
            problem,
            context! {},
        );
    }
    let user_id = member.user.id.clone();
    let stored = state
        .db
        .run(move |conn| db::accounts::password_hash(conn, &user_id))
        .await?;
    let (current, new) = (form.current, form.password);
    // Checking and hashing take 19 MiB each: they wait their turn at the sign-in gate.
    let hashed = at_password_gate(&state, move || {
        verify_password(&current, &stored)
            .then(|| hash_password(&new))
            .transpose()
    })
    .await?
    .map_err(ApiError::internal)?;
    let Some(hash) = hashed else {
        return again(
            &req,
            &member.visitor,
            StatusCode::UNAUTHORIZED,
            "password.html",
            "password_wrong",
            context! {},
        );
    };
    let user_id = member.user.id.clone();
    state
        .db
        .run(move |conn| db::accounts::set_password(conn, &user_id, &hash, &session))
        .await?;
    Ok(see_other("/app/password?done=changed"))
}
