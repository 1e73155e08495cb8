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

/// The form's page, with what was typed (`sent`), the problems by field and a message for all.
#[allow(clippy::too_many_arguments)]
pub(super) fn form_page(
    req: &HttpRequest,
    visitor: &Visitor,
    status: StatusCode,
    public: &PublicCall,
    lang: Lang,
    sent: &Submitted,
    problems: &[FieldProblem],
    message: Option<String>,
    action: &str,
    extra: minijinja::Value,
) -> Result<HttpResponse, ApiError> {
    let values: std::collections::BTreeMap<&str, &str> =
        sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let members: Vec<&str> = sent
        .iter()
        .filter(|(k, _)| k == "member")
        .map(|(_, v)| v.as_str())
        .collect();
    let errors: std::collections::BTreeMap<&str, String> = problems
        .iter()
        .map(|p| (p.field.as_str(), problem_text(&p.problem, lang)))
        .collect();
    let organization = public.organization.name(lang);
    page(
        req,
        visitor,
        status,
        "portal_apply.html",
        context! {
            competition => competition_view(&public.competition, &public.organization, lang),
            call => call_view(&public.call, lang),
            values => values,
            members => members,
            errors => errors,
            message => message,
            action => action,
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
    let action = format!("/c/{}/apply", public.competition.id);
    form_page(
        &req,
        &visitor,
        StatusCode::OK,
        &public,
        lang,
        &Vec::new(),
        &[],
        None,
        &action,
        context! {},
    )
}

/// What a refused form says, and with which status: problems by field, or one message.
pub(super) fn refusal(
    error: ApiError,
    lang: Lang,
) -> Result<(StatusCode, Vec<FieldProblem>, String), ApiError> {
    let status = match &error {
        ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        ApiError::Unprocessable(_) | ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ApiError::Conflict(_) => StatusCode::CONFLICT,
        _ => return Err(error),
    };
    Ok((status, Vec::new(), error.message_in(lang)))
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
    let action = format!("/c/{id}/apply");
    let now = time::OffsetDateTime::now_utc();
    let again = |status, sent: &Submitted, problems: &[FieldProblem], message: String| {
        form_page(
            &req,
            &visitor,
            status,
            &public,
            lang,
            sent,
            problems,
            Some(message),
            &action,
            context! {},
        )
    };
    if let Err(closed) = public.call.open_at(now) {
        let message = Message::Portal(PortalMessage::Closed(closed)).text(lang);
        return again(StatusCode::CONFLICT, &Vec::new(), &[], message);
    }
    let received = match upload::read(&req, multipart, &state.works, &public.call).await {
        Ok(received) => received,
        Err(e) => {
            let (status, problems, message) = refusal(e, lang)?;
            return again(status, &Vec::new(), &problems, message);
        }
    };
    visitor.check_csrf(received.csrf.as_deref())?;
    if received.honeypot {
        let message = Message::Portal(PortalMessage::Refused).text(lang);
        return again(StatusCode::UNPROCESSABLE_ENTITY, &received.fields, &[], message);
    }
    let store = state.works.clone();
    let fields = received.fields.clone();
    let works = received.works;
    let result = state
        .db
        .run(move |conn| applications::submit(conn, &store, &id, &fields, works, lang, now))
        .await;
    match result {
        Ok(sent) => {
            state.mail.notify();
            let extra = context! { applied => context! { number => sent.number,
            email => received.fields.iter().find(|(k, _)| k == "email").map(|(_, v)| v.trim().to_string()) } };
            announcement(&req, &state, &visitor, &public, lang, extra)
        }
        Err(ApplicationError::Form(problems)) => {
            let message = Message::Portal(PortalMessage::Refused).text(lang);
            again(
                StatusCode::UNPROCESSABLE_ENTITY,
                &received.fields,
                &problems,
                message,
            )
        }
        Err(e) => {
            let (status, problems, message) = refusal(ApiError::from(e), lang)?;
            again(status, &received.fields, &problems, message)
        }
    }
}
