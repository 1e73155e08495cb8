//! Who is asking: the session cookie, the person behind it, and the CSRF token every form carries.
//! Every form is checked here, in `Visitor::check_csrf`, and nowhere else.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::super::{auth::Organizer, ApiError, AppState};
use crate::db::accounts::User;
use crate::domain::account::{same_secret, Role, Secret};
use crate::domain::audit::Actor;

pub const SESSION_COOKIE: &str = "gramota_session";
/// Before signing in there is no session to tie a form to: the token is a cookie of its own.
pub const ANONYMOUS_CSRF_COOKIE: &str = "gramota_csrf";
pub const SESSION_DAYS: i64 = 7;

/// Anyone on a page: signed in or not, with the CSRF token their forms must carry.
pub struct Visitor {
    pub user: Option<User>,
    pub csrf: String,
    /// An anonymous visitor's new CSRF cookie, to be set with the page.
    pub new_cookie: Option<Cookie<'static>>,
    pub session: Option<Secret>,
}

/// Browsers accept `Secure` cookies only over HTTPS; a service whose public address is plain HTTP
/// on this machine (development, tests) sends them without it, every other one with it.
/// The host is read whole (`http://localhost.example.kz` is not this machine), without user info
/// or port.
pub fn secure_cookies(public_url: &str) -> bool {
    let url = public_url.trim().to_ascii_lowercase();
    let Some(rest) = url.strip_prefix("http://") else {
        return true;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_and_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host_and_port.split(':').next().unwrap_or_default(),
    };
    !matches!(host, "localhost" | "127.0.0.1" | "::1")
}

pub fn cookie(state: &AppState, name: &'static str, value: String, max_age_days: i64) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .secure(secure_cookies(&state.settings.public_url))
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(max_age_days))
        .finish()
}

pub fn removal(name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, "").path("/").finish();
    cookie.make_removal();
    cookie
}

type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

impl Visitor {
    fn load(req: &HttpRequest) -> Pending<Visitor> {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let session = req
            .cookie(SESSION_COOKIE)
            .and_then(|c| Secret::from_presented(c.value()));
        let anonymous = req
            .cookie(ANONYMOUS_CSRF_COOKIE)
            .and_then(|c| Secret::from_presented(c.value()).map(|s| s.reveal().to_string()));
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("no application state"))?;
            if let Some(token) = session {
                let lookup = token.clone();
                let found = state
                    .db
                    .run(move |conn| crate::db::accounts::session_user(conn, &lookup))
                    .await?;
                if let Some((user, csrf)) = found {
                    return Ok(Visitor {
                        user: Some(user),
                        csrf,
                        new_cookie: None,
                        session: Some(token),
                    });
                }
            }
            let (csrf, new_cookie) = match anonymous {
                Some(csrf) => (csrf, None),
                None => {
                    let csrf = Secret::generate().reveal().to_string();
                    let cookie = cookie(&state, ANONYMOUS_CSRF_COOKIE, csrf.clone(), 1);
                    (csrf, Some(cookie))
                }
            };
            Ok(Visitor {
                user: None,
                csrf,
                new_cookie,
                session: None,
            })
        })
    }

    /// The synchronizer check: the token in the form must be the one of this session (or, before
    /// signing in, of this browser's CSRF cookie). A fresh anonymous cookie has nothing to match.
    pub fn check_csrf(&self, presented: Option<&str>) -> Result<(), ApiError> {
        match presented {
            Some(token) if self.new_cookie.is_none() && same_secret(token, &self.csrf) => Ok(()),
            _ => Err(ApiError::Forbidden),
        }
    }
}

impl FromRequest for Visitor {
    type Error = ApiError;
    type Future = Pending<Visitor>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        Visitor::load(req)
    }
}

/// A signed-in person; anyone else is sent to the sign-in page.
pub struct Member {
    pub user: User,
    pub visitor: Visitor,
}

impl Member {
    /// The person as an organizer of their organization, if their role runs competitions. Anyone
    /// else gets "not found", as for anything that is not theirs.
    pub fn organizer(&self) -> Result<Organizer, ApiError> {
        match self.user.role.runs_competitions() {
            true => Ok(Organizer {
                organization_id: self.user.organization_id.clone(),
                actor: self.actor(),
            }),
            false => Err(ApiError::NotFound),
        }
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    /// The person, as the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor::person(&self.user.id, self.user.email.as_str())
    }
}

impl FromRequest for Member {
    type Error = ApiError;
    type Future = Pending<Member>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let visitor = Visitor::load(req);
        Box::pin(async move {
            let visitor = visitor.await?;
            match visitor.user.clone() {
                Some(user) => Ok(Member { user, visitor }),
                None => Err(ApiError::SignInRequired),
            }
        })
    }
}

/// A submitted form (`application/x-www-form-urlencoded`) whose CSRF token was checked. Empty
/// fields count as absent, so optional fields left blank do not fail their parsing.
pub struct CheckedForm<T> {
    pub visitor: Visitor,
    pub form: T,
}

const FORM_LIMIT: usize = 64 * 1024;

impl<T: DeserializeOwned + 'static> FromRequest for CheckedForm<T> {
    type Error = ApiError;
    type Future = Pending<CheckedForm<T>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let visitor = Visitor::load(req);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let visitor = visitor.await?;
            let body = body.await.map_err(|_| ApiError::PayloadTooLarge(FORM_LIMIT))?;
            if body.len() > FORM_LIMIT {
                return Err(ApiError::PayloadTooLarge(FORM_LIMIT));
            }
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|e| ApiError::Invalid(crate::i18n::Message::InvalidJson(e.to_string())))?;
            let presented = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str());
            visitor.check_csrf(presented)?;
            let fields: Vec<&(String, String)> = pairs
                .iter()
                .filter(|(k, v)| k != "csrf" && !v.trim().is_empty())
                .collect();
            let encoded = serde_urlencoded::to_string(&fields).map_err(ApiError::internal)?;
            let form = serde_urlencoded::from_str(&encoded)
                .map_err(|e| ApiError::Invalid(crate::i18n::Message::InvalidJson(e.to_string())))?;
            Ok(CheckedForm { visitor, form })
        })
    }
}

/// A form that needs a signed-in person.
pub fn signed_in<T>(form: CheckedForm<T>) -> Result<(Member, T), ApiError> {
    match form.visitor.user.clone() {
        Some(user) => Ok((
            Member {
                user,
                visitor: form.visitor,
            },
            form.form,
        )),
        None => Err(ApiError::SignInRequired),
    }
}

#[cfg(test)]
mod tests {
    use super::secure_cookies;

    #[test]
    fn cookies_are_secure_except_on_plain_http_to_this_machine() {
        assert!(secure_cookies("https://gramota.edu.kz"));
        assert!(secure_cookies("http://gramota.edu.kz"));
        assert!(!secure_cookies("http://127.0.0.1:8080"));
        assert!(!secure_cookies("http://localhost:8080"));
        // Public addresses that merely start like a local one.
        assert!(secure_cookies("http://localhost.gramota.kz"), "a public name");
        assert!(secure_cookies("http://127.0.0.1.nip.io:8080"), "a public name");
        assert!(
            secure_cookies("http://localhost@gramota.kz"),
            "user info, not the host"
        );
        assert!(secure_cookies("http://127.0.0.10"), "another address");
        assert!(secure_cookies("https://localhost"), "HTTPS is always secure");
        assert!(!secure_cookies("http://[::1]:8080/"));
        assert!(!secure_cookies("HTTP://LocalHost"));
        assert!(!secure_cookies("http://127.0.0.1/"));
    }
}
