//! The application form: shown, sent, and shown again with each problem next to its field and
//! everything typed kept (files must be picked again: a browser cannot be given them back).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::{announcement, call_view, competition_view, limit, upload};
use crate::applications::{self, ApplicationError, PublicCall};
use crate::domain::application::{FieldProblem, Submitted};
use crate::i18n::{consent_wording, problem_text, Lang, Message, PortalMessage};
use crate::web::app::session::Visitor;
use crate::web::app::view::{page, page_lang};
use crate::web::{ApiError, AppState};

/// What a form's page shows besides the form: its status, the problems by field, a message.
pub(super) struct Outcome {
    pub status: StatusCode,
    pub problems: Vec<FieldProblem>,
    pub message: Option<String>,
}

impl Outcome {
    pub fn fresh() -> Outcome {
        Outcome {
            status: StatusCode::OK,
            problems: Vec::new(),
            message: None,
        }
    }

    pub fn said(message: String) -> Outcome {
        Outcome {
            message: Some(message),
            ..Outcome::fresh()
        }
    }

    fn refused(status: StatusCode, message: Message, lang: Lang) -> Outcome {
        Outcome {
            status,
            problems: Vec::new(),
            message: Some(message.text(lang)),
        }
    }

    /// A refused request as the form's page says it; what is not the sender's to fix (a failure of
    /// the server) stays an error.
    pub fn of_request(error: ApiError, lang: Lang) -> Result<Outcome, ApiError> {
        let status = match &error {
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unprocessable(_) | ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            _ => return Err(error),
        };
        Ok(Outcome {
            status,
            problems: Vec::new(),
            message: Some(error.message_in(lang)),
        })
    }

    /// A refused application: the problems by field, or the request's refusal.
    pub fn of_application(error: ApplicationError, lang: Lang) -> Result<Outcome, ApiError> {
        match error {
            ApplicationError::Form(problems) => Ok(Outcome {
                problems,
                ..Outcome::refused(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Message::Portal(PortalMessage::Refused),
                    lang,
                )
            }),
            other => Outcome::of_request(ApiError::from(other), lang),
        }
    }
}

/// The form's page for `public`, with what was typed (`sent`) and the outcome of sending it;
/// `extra` says where it posts (`action`) and, in a cabinet, what the cabinet shows.
pub(super) fn form_page(
    req: &HttpRequest,
    visitor: &Visitor,
    public: &PublicCall,
    lang: Lang,
    sent: &Submitted,
    outcome: Outcome,
    extra: minijinja::Value,
) -> Result<HttpResponse, ApiError> {
    let values: std::collections::BTreeMap<&str, &str> =
        sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let members: Vec<&str> = sent
        .iter()
        .filter(|(k, _)| k == "member")
        .map(|(_, v)| v.as_str())
        .collect();
    let errors: std::collections::BTreeMap<&str, String> = outcome
        .problems
        .iter()
        .map(|p| (p.field.as_str(), problem_text(&p.problem, lang)))
        .collect();
    let organization = public.organization.name(lang);
    page(
        req,
        visitor,
        outcome.status,
        "portal_apply.html",
        context! {
            competition => competition_view(&public.competition, &public.organization, lang),
            call => call_view(&public.call, lang),
            values => values,
            members => members,
            errors => errors,
            message => outcome.message,
            consent_minor => consent_wording(lang, &organization, true),
            consent_adult => consent_wording(lang, &organization, false),
            honeypot => upload::HONEYPOT,
            ..extra
        },
    )
}

pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let public = state
        .db
        .run(move |conn| applications::public_call(conn, &id))
        .await?;
    let (lang, _) = page_lang(&req);
    let extra = context! { action => format!("/c/{}/apply", public.competition.id) };
    form_page(
        &req,
        &visitor,
        &public,
        lang,
        &Vec::new(),
        Outcome::fresh(),
        extra,
    )
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    limit(&req, &state)?;
    let id = path.into_inner();
    let wanted = id.clone();
    let public = state
        .db
        .run(move |conn| applications::public_call(conn, &wanted))
        .await?;
    let (lang, _) = page_lang(&req);
    let now = time::OffsetDateTime::now_utc();
    let again = |sent: &Submitted, outcome: Outcome| {
        let extra = context! { action => format!("/c/{id}/apply") };
        form_page(&req, &visitor, &public, lang, sent, outcome, extra)
    };
    if let Err(closed) = public.call.open_at(now) {
        let closed = Message::Portal(PortalMessage::Closed(closed));
        return again(&Vec::new(), Outcome::refused(StatusCode::CONFLICT, closed, lang));
    }
    let received = match upload::read(&req, multipart, &state.works, &public.call).await {
        Ok(received) => received,
        Err(e) => return again(&Vec::new(), Outcome::of_request(e, lang)?),
    };
    visitor.check_csrf(received.csrf.as_deref())?;
    if received.honeypot {
        let refused = Message::Portal(PortalMessage::Refused);
        let outcome = Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, refused, lang);
        return again(&received.fields, outcome);
    }
    let store = state.works.clone();
    let (fields, works, competition) = (received.fields.clone(), received.works, id.clone());
    let result = state
        .db
        .run(move |conn| applications::submit(conn, &store, &competition, &fields, works, lang, now))
        .await;
    match result {
        Ok(sent) => {
            state.mail.notify();
            let email = received
                .fields
                .iter()
                .find(|(k, _)| k == "email")
                .map(|(_, v)| v.trim().to_string());
            let extra = context! { applied => context! { number => sent.number, email => email } };
            announcement(&req, &state, &visitor, &public, lang, extra)
        }
        Err(e) => again(&received.fields, Outcome::of_application(e, lang)?),
    }
}
