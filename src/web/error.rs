//! The one place where errors become HTTP answers. Driver errors and internals are logged, never sent.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use super::lang::request_lang;
use crate::db::DbError;
use crate::i18n::{Lang, Message};
use crate::intake::{IntakeError, RowError};
use crate::issuance::own_designs::OwnDesignError;
use crate::issuance::{CoverageGap, IssueError};
use crate::judging::JudgingError;
use crate::sign_in::SignInError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized,
    /// A page that needs a signed-in person: the browser is sent to the sign-in page.
    #[error("sign in required")]
    SignInRequired,
    /// A form without its CSRF token, or with another session's.
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid request: {0:?}")]
    Invalid(Message),
    #[error("the results file was refused")]
    InvalidResults(Vec<RowError>),
    #[error("the fonts cannot print the results")]
    MissingGlyphs(Vec<CoverageGap>),
    #[error("conflict: {0:?}")]
    Conflict(Message),
    /// Well-formed but refused: a damaged or oversized picture, a design that cannot be drawn.
    #[error("unprocessable: {0:?}")]
    Unprocessable(Message),
    /// Something this server cannot do as installed (a missing rasterizer).
    #[error("not implemented: {0:?}")]
    NotImplemented(Message),
    #[error("payload too large")]
    PayloadTooLarge(usize),
    #[error("too many requests")]
    RateLimited { retry_after_seconds: u64 },
    /// Too much of some costly work at once (password checks): come back shortly.
    #[error("busy")]
    Busy { retry_after_seconds: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        if e.is_not_found() {
            ApiError::NotFound
        } else if e.is_busy() {
            tracing::warn!(detail = %e, "the database is busy");
            ApiError::Busy {
                retry_after_seconds: 5,
            }
        } else {
            ApiError::Internal(e.to_string())
        }
    }
}

impl From<IssueError> for ApiError {
    fn from(e: IssueError) -> Self {
        match e {
            IssueError::Db(db) => ApiError::from(db),
            IssueError::Coverage(gaps) => ApiError::MissingGlyphs(gaps),
            IssueError::NotReissuable => ApiError::Conflict(Message::NotReissuable),
            IssueError::Design(design) => ApiError::from(design),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<OwnDesignError> for ApiError {
    fn from(e: OwnDesignError) -> Self {
        match e {
            OwnDesignError::Db(db) => ApiError::from(db),
            // Competitions still choosing a design conflict with deleting it; the rest is refused.
            OwnDesignError::Refused(message @ crate::i18n::DesignMessage::InUse(_)) => {
                ApiError::Conflict(Message::Design(message))
            }
            OwnDesignError::Refused(message) => ApiError::Unprocessable(Message::Design(message)),
        }
    }
}

/// A blocking task that died (a panic on the blocking pool) is an internal error.
impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<SignInError> for ApiError {
    fn from(e: SignInError) -> Self {
        match e {
            SignInError::Throttled(seconds) => ApiError::RateLimited {
                retry_after_seconds: seconds,
            },
            SignInError::Busy => ApiError::Busy {
                retry_after_seconds: 1,
            },
            SignInError::Db(db) => ApiError::from(db),
            SignInError::Gate(gate) => ApiError::Internal(gate.to_string()),
        }
    }
}

impl From<JudgingError> for ApiError {
    fn from(e: JudgingError) -> Self {
        match e {
            JudgingError::Db(db) => ApiError::from(db),
            JudgingError::NotFound => ApiError::NotFound,
            JudgingError::Invalid(message) => ApiError::Invalid(message),
            JudgingError::Conflict(message) => ApiError::Conflict(message),
            JudgingError::Sheet(errors) => ApiError::InvalidResults(errors),
        }
    }
}

impl From<crate::results::ImportError> for ApiError {
    fn from(e: crate::results::ImportError) -> Self {
        use crate::results::ImportError;
        match e {
            ImportError::Db(db) => ApiError::from(db),
            ImportError::SignedOff => ApiError::Conflict(Message::Jury(crate::i18n::JuryMessage::SignedOff)),
            ImportError::AlreadyIssued => ApiError::Conflict(Message::AlreadyIssued),
        }
    }
}

impl From<crate::profile::ProfileError> for ApiError {
    fn from(e: crate::profile::ProfileError) -> Self {
        use crate::profile::ProfileError;
        match e {
            ProfileError::Db(db) => ApiError::from(db),
            ProfileError::DepartmentName => ApiError::Invalid(Message::InvalidField {
                field: "name",
                reason: format!("1–{} characters", crate::profile::MAX_DEPARTMENT_CHARS),
            }),
            ProfileError::DepartmentTaken => ApiError::Conflict(Message::InvalidField {
                field: "name",
                reason: "a department of this name exists".into(),
            }),
            ProfileError::Invalid(field) => ApiError::Invalid(Message::InvalidField {
                field,
                reason: format!(
                    "at most {} characters, and a valid address where one is asked",
                    crate::profile::MAX_PROFILE_CHARS
                ),
            }),
            ProfileError::UnknownRole => ApiError::NotFound,
            ProfileError::Picture(e) => crate::issuance::own_designs::picture_refused(e).into(),
        }
    }
}

impl From<IntakeError> for ApiError {
    fn from(e: IntakeError) -> Self {
        ApiError::InvalidResults(e.0)
    }
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::SignInRequired => "sign_in_required",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::Invalid(_) => "invalid_request",
            ApiError::InvalidResults(_) => "invalid_results",
            ApiError::MissingGlyphs(_) => "missing_glyphs",
            ApiError::Conflict(_) => "conflict",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::NotImplemented(_) => "not_implemented",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Busy { .. } => "busy",
            ApiError::Internal(_) => "internal",
        }
    }

    fn body(&self, lang: Lang) -> serde_json::Value {
        let message = match self {
            ApiError::Unauthorized | ApiError::SignInRequired => Message::Unauthorized,
            ApiError::Forbidden => Message::Forbidden,
            ApiError::NotFound => Message::NotFound,
            ApiError::Invalid(m)
            | ApiError::Conflict(m)
            | ApiError::Unprocessable(m)
            | ApiError::NotImplemented(m) => m.clone(),
            ApiError::InvalidResults(errors) => {
                let errors: Vec<_> = errors.iter().map(|e| e.localized(lang)).collect();
                let summary = errors.first().map(|e| e.message.clone()).unwrap_or_default();
                return json!({"error": self.code(), "message": summary, "errors": errors});
            }
            ApiError::MissingGlyphs(gaps) => {
                let chars: String = gaps.iter().map(|g| g.character.as_str()).collect();
                let message = Message::MissingGlyphs(chars).text(lang);
                return json!({"error": self.code(), "message": message, "characters": gaps});
            }
            ApiError::PayloadTooLarge(limit) => Message::PayloadTooLarge(*limit),
            ApiError::RateLimited { retry_after_seconds } => Message::RateLimited(*retry_after_seconds),
            ApiError::Busy { retry_after_seconds } => Message::Busy(*retry_after_seconds),
            ApiError::Internal(_) => Message::Internal,
        };
        json!({"error": self.code(), "message": message.text(lang)})
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::SignInRequired => StatusCode::SEE_OTHER,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidResults(_) | ApiError::MissingGlyphs(_) | ApiError::Unprocessable(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        self.response_in(Lang::default())
    }
}

impl ApiError {
    /// The one-line message for a person, in their language (pages show it next to the form).
    pub fn message_in(&self, lang: Lang) -> String {
        self.body(lang)["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn response_in(&self, lang: Lang) -> HttpResponse<BoxBody> {
        if let ApiError::Internal(detail) = self {
            tracing::error!(%detail, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::SignInRequired => {
                return response.insert_header((header::LOCATION, "/app/login")).finish();
            }
            ApiError::Unauthorized => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::RateLimited { retry_after_seconds } | ApiError::Busy { retry_after_seconds } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            _ => {}
        }
        response.json(self.body(lang))
    }
}

/// Re-renders an `ApiError` in the language the request asked for; other errors pass unchanged.
pub fn localize<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let Some(api_error) = res.response().error().and_then(|e| e.as_error::<ApiError>()) else {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    };
    let localized = match super::app::is_page(res.request()) {
        true => super::app::error_page(res.request(), api_error, api_error.response_in(Lang::default())),
        false => api_error.response_in(request_lang(res.request())),
    };
    Ok(ErrorHandlerResponse::Response(
        res.into_response(localized).map_into_right_body(),
    ))
}
