//! The one place where errors become HTTP answers. Driver errors and internals are logged, never sent.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use super::lang::request_lang;
use crate::db::DbError;
use crate::i18n::{Lang, Message};
use crate::intake::{IntakeError, LocalizedRowError, RowError};
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
    /// It was there and is no more: a paper's PDF deleted with its competition's personal data.
    #[error("gone: {0:?}")]
    Gone(Message),
    /// The server's disk is full: nothing was saved; an operator must free space.
    #[error("the disk is full")]
    DiskFull,
    /// A failure of this server; the cause is kept for the log, never sent.
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
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
        } else if e.is_disk_full() {
            tracing::error!(detail = %e, "the disk under the database is full: nothing was saved");
            ApiError::DiskFull
        } else {
            ApiError::internal(e)
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
            IssueError::Storage(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                tracing::error!(detail = %io, "the disk under the PDFs is full: nothing was saved");
                ApiError::DiskFull
            }
            other => ApiError::internal(other),
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
        ApiError::internal(e)
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
            SignInError::Gate(gate) => ApiError::internal(gate),
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
            JudgingError::Export(cause) => ApiError::internal(cause),
        }
    }
}

impl From<crate::reminders::ReminderError> for ApiError {
    fn from(e: crate::reminders::ReminderError) -> Self {
        use crate::reminders::ReminderError;
        match e {
            ReminderError::Db(db) => ApiError::from(db),
            ReminderError::Judging(judging) => ApiError::from(judging),
            ReminderError::NotFound => ApiError::NotFound,
            ReminderError::Refused(message) => ApiError::Conflict(message),
            ReminderError::MailOff => ApiError::Conflict(Message::MailOff),
        }
    }
}

impl From<crate::stages::StageError> for ApiError {
    fn from(e: crate::stages::StageError) -> Self {
        use crate::stages::StageError;
        match e {
            StageError::Db(db) => ApiError::from(db),
            StageError::NotFound => ApiError::NotFound,
            StageError::Invalid(message) => ApiError::Invalid(message),
            StageError::Conflict(message) => ApiError::Conflict(message),
            StageError::Gone => ApiError::Gone(Message::Stage(crate::i18n::StageMessage::LinkClosed)),
            StageError::Judging(judging) => ApiError::from(judging),
        }
    }
}

impl From<crate::applications::ApplicationError> for ApiError {
    fn from(e: crate::applications::ApplicationError) -> Self {
        use crate::applications::ApplicationError;
        use crate::i18n::PortalMessage;
        match e {
            ApplicationError::Db(db) => ApiError::from(db),
            ApplicationError::NotFound => ApiError::NotFound,
            ApplicationError::Refused(closed @ PortalMessage::Closed(_)) => {
                ApiError::Conflict(Message::Portal(closed))
            }
            ApplicationError::Refused(message @ PortalMessage::AlreadyDecided) => {
                ApiError::Conflict(Message::Portal(message))
            }
            ApplicationError::Refused(message) => ApiError::Unprocessable(Message::Portal(message)),
            ApplicationError::Form(problems) => {
                let first = problems.into_iter().next();
                ApiError::Invalid(Message::Portal(match first {
                    Some(p) => PortalMessage::Field {
                        label: p.field,
                        problem: p.problem,
                    },
                    None => PortalMessage::Refused,
                }))
            }
            ApplicationError::SignedOff => {
                ApiError::Conflict(Message::Jury(crate::i18n::JuryMessage::SignedOff))
            }
            ApplicationError::Store(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                tracing::error!(detail = %io, "the disk under the works is full: nothing was saved");
                ApiError::DiskFull
            }
            ApplicationError::Store(io) => ApiError::internal(io),
        }
    }
}

impl From<crate::competitions::CompetitionError> for ApiError {
    fn from(e: crate::competitions::CompetitionError) -> Self {
        use crate::competitions::CompetitionError;
        match e {
            CompetitionError::Db(db) => ApiError::from(db),
            CompetitionError::Invalid(message) => ApiError::Invalid(message),
            CompetitionError::Conflict(message) => ApiError::Conflict(message),
            CompetitionError::Design(design) => ApiError::from(design),
            CompetitionError::Coverage(gaps) => ApiError::MissingGlyphs(gaps),
        }
    }
}

impl From<crate::credentials::CredentialError> for ApiError {
    fn from(e: crate::credentials::CredentialError) -> Self {
        use crate::credentials::CredentialError;
        match e {
            CredentialError::Db(db) => ApiError::from(db),
            CredentialError::NotFound => ApiError::NotFound,
            CredentialError::Erased => ApiError::Gone(Message::PaperErased),
            other => ApiError::internal(other),
        }
    }
}

impl From<crate::papers::PaperError> for ApiError {
    fn from(e: crate::papers::PaperError) -> Self {
        use crate::papers::PaperError;
        match e {
            PaperError::Db(db) => ApiError::from(db),
            PaperError::NotRendered => ApiError::NotFound,
            PaperError::Invalid(message) => ApiError::Invalid(message),
            PaperError::Store(cause) => ApiError::unreadable_pdf(cause),
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

/// What every error answers with: a stable code, a message in the request's language, and per
/// kind the rows of a refused results file or the characters a design's fonts lack.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    error: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<LocalizedRowError>>,
    /// The characters the design's fonts cannot draw, each with the rows that use it.
    #[serde(skip_serializing_if = "Option::is_none")]
    characters: Option<Vec<CoverageGap>>,
}

impl ErrorBody {
    fn new(error: &'static str, message: String) -> ErrorBody {
        ErrorBody {
            error,
            message,
            errors: None,
            characters: None,
        }
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
            ApiError::DiskFull => "disk_full",
            ApiError::Gone(_) => "gone",
            ApiError::Internal(_) => "internal",
        }
    }

    fn body(&self, lang: Lang) -> ErrorBody {
        let message = match self {
            ApiError::Unauthorized | ApiError::SignInRequired => Message::Unauthorized,
            ApiError::Forbidden => Message::Forbidden,
            ApiError::NotFound => Message::NotFound,
            ApiError::Invalid(m)
            | ApiError::Conflict(m)
            | ApiError::Unprocessable(m)
            | ApiError::NotImplemented(m)
            | ApiError::Gone(m) => m.clone(),
            ApiError::InvalidResults(errors) => {
                let errors: Vec<_> = errors.iter().map(|e| e.localized(lang)).collect();
                let summary = errors.first().map(|e| e.message.clone()).unwrap_or_default();
                return ErrorBody {
                    errors: Some(errors),
                    ..ErrorBody::new(self.code(), summary)
                };
            }
            ApiError::MissingGlyphs(gaps) => {
                let chars: String = gaps.iter().map(|g| g.character.as_str()).collect();
                let message = Message::MissingGlyphs(chars).text(lang);
                return ErrorBody {
                    characters: Some(gaps.clone()),
                    ..ErrorBody::new(self.code(), message)
                };
            }
            ApiError::PayloadTooLarge(limit) => Message::PayloadTooLarge(*limit),
            ApiError::RateLimited { retry_after_seconds } => Message::RateLimited(*retry_after_seconds),
            ApiError::Busy { retry_after_seconds } => Message::Busy(*retry_after_seconds),
            ApiError::DiskFull => Message::DiskFull,
            ApiError::Internal(_) => Message::Internal,
        };
        ErrorBody::new(self.code(), message.text(lang))
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
            ApiError::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        self.response_in(Lang::default())
    }
}

/// An error with its causes, `outer: inner: innermost`, for the log.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

impl ApiError {
    /// A failure of this server, keeping its cause (an error, or a sentence saying what failed).
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> ApiError {
        ApiError::Internal(cause.into())
    }

    /// A stored PDF that cannot be read: gone when its file is (erased after the retention
    /// period), else a fault of the server's.
    pub fn unreadable_pdf(e: std::io::Error) -> ApiError {
        match e.kind() {
            std::io::ErrorKind::NotFound => ApiError::Gone(Message::PaperErased),
            _ => ApiError::internal(e),
        }
    }

    /// The one-line message for a person, in their language (pages show it next to the form).
    pub fn message_in(&self, lang: Lang) -> String {
        self.body(lang).message
    }

    fn response_in(&self, lang: Lang) -> HttpResponse<BoxBody> {
        if let ApiError::Internal(cause) = self {
            let detail = error_chain(cause.as_ref());
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

#[cfg(test)]
mod tests {
    use diesel::{Connection, RunQueryDsl, SqliteConnection};

    use super::*;

    /// A real SQLITE_FULL: a database allowed three pages, given a row that needs more.
    fn disk_full() -> DbError {
        let mut conn = SqliteConnection::establish(":memory:").expect("SQLite in memory");
        for statement in ["PRAGMA max_page_count = 3", "CREATE TABLE t (b BLOB)"] {
            diesel::sql_query(statement).execute(&mut conn).expect(statement);
        }
        let full = diesel::sql_query("INSERT INTO t VALUES (zeroblob(100000))")
            .execute(&mut conn)
            .expect_err("the database is full");
        DbError::Query(full)
    }

    /// Finding (low): a full disk was logged as "could not reach the database" and answered 500.
    /// It is said as what it is, to the operator in the log and to the person in their language.
    #[test]
    fn a_full_disk_is_said_as_such_not_as_an_unreachable_database() {
        let full = disk_full();
        assert!(full.is_disk_full(), "{full}");
        assert!(!full.is_busy());
        assert!(full.summary().contains("disk"), "{}", full.summary());

        let answer = ApiError::from(full);
        assert_eq!(answer.status_code(), StatusCode::INSUFFICIENT_STORAGE);
        assert_eq!(answer.code(), "disk_full");
        assert!(
            answer.message_in(Lang::Ru).contains("диск"),
            "{}",
            answer.message_in(Lang::Ru)
        );
        assert!(answer.message_in(Lang::Kk).contains("диск"));

        let pdfs = ApiError::from(IssueError::Storage(std::io::ErrorKind::StorageFull.into()));
        assert_eq!(pdfs.status_code(), StatusCode::INSUFFICIENT_STORAGE);
        let other = ApiError::from(IssueError::Storage(std::io::ErrorKind::PermissionDenied.into()));
        assert_eq!(other.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
