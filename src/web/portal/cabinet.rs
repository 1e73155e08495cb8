//! The applicant's cabinet behind the private link from their e-mail: where the application
//! stands, the organizer's remark, corrections while it may change, and the papers once issued.
//! No password: the link is the key (only its hash is kept), and a new one can be asked for by
//! e-mail on the competition's page.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::apply::{form_page, Outcome};
use super::{announcement, limit, read_work, upload};
use crate::applications::{self, Cabinet, Reader};
use crate::domain::application::Submitted;
use crate::i18n::Lang;
use crate::judging::RoundForApplicant;
use crate::web::app::session::{CheckedForm, Visitor};
use crate::web::app::view::page_lang;
use crate::web::{ApiError, AppState};

/// A cabinet as its page shows it: with the jury's earlier rounds when the entry was returned for
/// revision after review.
struct Opened {
    cabinet: Cabinet,
    rounds: Vec<RoundForApplicant>,
}

async fn open(state: &AppState, token: String) -> Result<Opened, ApiError> {
    Ok(state
        .db
        .run(move |conn| {
            let cabinet = applications::open_cabinet(conn, &token)?;
            let rounds = match &cabinet.application.entry_id {
                Some(entry) => {
                    crate::judging::rounds_for_applicant(conn, &cabinet.application.competition_id, entry)?
                }
                None => Vec::new(),
            };
            Ok::<_, applications::ApplicationError>(Opened { cabinet, rounds })
        })
        .await?)
}

/// The form's fields as the application holds them, to correct.
fn as_sent(cabinet: &Cabinet) -> Submitted {
    let a = &cabinet.application;
    let mut sent: Submitted = [
        ("holder", Some(a.holder.clone())),
        ("school", a.school.clone()),
        ("region", a.region.clone()),
        ("settlement_type", a.settlement_type.clone()),
        ("age_group", a.age_group.clone()),
        ("nomination", a.nomination.clone()),
        ("supervisor", a.supervisor.clone()),
        ("supervisor_email", a.supervisor_email.clone()),
        ("email", Some(a.email.clone())),
        ("phone", a.phone.clone()),
        ("guardian_name", a.guardian_name.clone()),
        ("minor", a.minor.then(|| "on".to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_string(), v?)))
    .collect();
    sent.extend(a.team_members.iter().map(|m| ("member".to_string(), m.clone())));
    sent.extend(a.answers.iter().map(|(k, v)| (k.clone(), v.clone())));
    sent
}

fn cabinet_view(token: &str, opened: &Opened, lang: Lang) -> minijinja::Value {
    let cabinet = &opened.cabinet;
    let a = &cabinet.application;
    let files: Vec<_> = cabinet
        .files
        .iter()
        .map(|f| {
            context! { name => f.name.clone(), size_kb => (f.size + 1023) / 1024,
            href => format!("/a/{token}/files/{}", f.id) }
        })
        .collect();
    let papers: Vec<_> = cabinet
        .papers
        .iter()
        .map(|d| {
            context! { award => d.payload.award_title.clone(), holder => d.payload.holder.clone(),
            serial => d.serial.to_string(), href => format!("/a/{token}/papers/{}", d.id),
            credential => format!("/a/{token}/papers/{}/credential", d.id),
            verify => format!("/v/{}", d.code) }
        })
        .collect();
    let open = cabinet
        .public
        .call
        .open_at(time::OffsetDateTime::now_utc())
        .is_ok();
    let _ = lang;
    context! {
        number => a.number,
        state => a.state.as_str(),
        remark => a.remark.clone(),
        holder => a.holder.clone(),
        nomination => a.nomination.clone(),
        sent_at => a.created_at.clone(),
        files => files,
        papers => papers,
        correctable => a.state.correctable() && open,
        revision => a.state.revisable(),
        rounds => minijinja::Value::from_serialize(&opened.rounds),
    }
}

fn cabinet_page(
    req: &HttpRequest,
    visitor: &Visitor,
    token: &str,
    opened: &Opened,
    lang: Lang,
    sent: Option<&Submitted>,
    outcome: Outcome,
) -> Result<HttpResponse, ApiError> {
    let own = as_sent(&opened.cabinet);
    let extra = context! { action => format!("/a/{token}"), cabinet => cabinet_view(token, opened, lang) };
    form_page(
        req,
        visitor,
        &opened.cabinet.public,
        lang,
        sent.unwrap_or(&own),
        outcome,
        extra,
    )
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    limit(&req, &state)?;
    let token = path.into_inner();
    let cabinet = open(&state, token.clone()).await?;
    let (lang, _) = page_lang(&req);
    cabinet_page(&req, &visitor, &token, &cabinet, lang, None, Outcome::fresh())
}

pub async fn correct(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    limit(&req, &state)?;
    let token = path.into_inner();
    let cabinet = open(&state, token.clone()).await?;
    let (lang, _) = page_lang(&req);
    let received = match upload::read(&req, multipart, &state.works, &cabinet.cabinet.public.call).await {
        Ok(received) => received,
        Err(e) => {
            let outcome = Outcome::of_request(e, lang)?;
            return cabinet_page(&req, &visitor, &token, &cabinet, lang, None, outcome);
        }
    };
    visitor.check_csrf(received.csrf.as_deref())?;
    let store = state.works.clone();
    let fields = received.fields.clone();
    let now = time::OffsetDateTime::now_utc();
    let key = token.clone();
    let result = state
        .db
        .run(move |conn| applications::correct(conn, &store, &key, &fields, received.works, now))
        .await;
    match result {
        Ok(()) => {
            let said = match cabinet.cabinet.application.state.revisable() {
                true => "portal_revised",
                false => "portal_corrected",
            };
            let cabinet = open(&state, token.clone()).await?;
            let outcome = Outcome::said(state.app_pages.text(lang, said));
            cabinet_page(&req, &visitor, &token, &cabinet, lang, None, outcome)
        }
        Err(e) => {
            let outcome = Outcome::of_application(e, lang)?;
            cabinet_page(
                &req,
                &visitor,
                &token,
                &cabinet,
                lang,
                Some(&received.fields),
                outcome,
            )
        }
    }
}

/// A work file of the applicant's own application.
pub async fn file(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    limit(&req, &state)?;
    let (token, file) = path.into_inner();
    work_response(&state, move |conn| {
        applications::work_file(conn, Reader::Applicant(&token), &file)
    })
    .await
}

/// A work file as a response: shown in the browser when it is a PDF or a picture (the jury reads
/// it in place), downloaded otherwise; sandboxed either way, as it is the public's content.
pub(crate) async fn work_response<F, E>(state: &AppState, find: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut crate::db::DbConnection) -> Result<crate::db::applications::WorkFile, E> + Send + 'static,
    E: From<crate::db::DbError> + Send + 'static,
    ApiError: From<E>,
{
    let file = state.db.run(find).await?;
    let bytes = read_work(state, file.sha256.clone()).await?;
    let inline = file.media_type == "application/pdf" || file.media_type.starts_with("image/");
    let name: String = file
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "{}; filename=\"{name}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        serde_urlencoded::to_string([("", &file.name)])
            .map(|s| s.trim_start_matches('=').replace('+', "%20"))
            .unwrap_or_default()
    );
    Ok(crate::web::private::private(&mut HttpResponse::Ok())
        .content_type(file.media_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        // A PDF is shown in the judge's page beside the score form, and a browser's PDF viewer
        // does not open in a sandbox; the file's first bytes made it a PDF, never HTML.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            if file.media_type == "application/pdf" {
                "frame-ancestors 'self'"
            } else {
                "sandbox; default-src 'none'"
            },
        ))
        .body(bytes))
}

/// A valid paper of the application behind the link in the path, or not found.
async fn own_paper(
    req: &HttpRequest,
    state: &AppState,
    path: web::Path<(String, String)>,
) -> Result<crate::domain::Document, ApiError> {
    limit(req, state)?;
    let (token, document) = path.into_inner();
    Ok(state
        .db
        .run(move |conn| applications::own_paper(conn, &token, &document))
        .await?)
}

/// A paper of the applicant's own application.
pub async fn paper(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let paper = own_paper(&req, &state, path).await?;
    crate::web::app::documents::pdf_response(&state, paper).await
}

/// A paper of the applicant's own application as an Open Badges 3.0 credential (JSON).
pub async fn credential(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let paper = own_paper(&req, &state, path).await?;
    let keys = state.issuance.keys.for_signing().map_err(ApiError::internal)?;
    let public_url = state.settings.public_url.clone();
    let (organization, id) = (
        crate::domain::OrgId::from(paper.organization_id),
        crate::domain::DocumentId::from(paper.id),
    );
    let credential = state
        .db
        .run(move |conn| crate::credentials::for_organizer(conn, &keys, &public_url, &organization, &id))
        .await?;
    crate::web::credentials::answer(credential, false)
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    email: String,
}

/// A new private link by e-mail; the page says the same whether the address applied or not.
pub async fn ask_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<LinkForm>,
) -> Result<HttpResponse, ApiError> {
    limit(&req, &state)?;
    let visitor = form.visitor;
    let email = form.form.email;
    let id = path.into_inner();
    let public = state
        .db
        .run(move |conn| {
            applications::ask_link(conn, &id, &email)?;
            applications::public_call(conn, &id)
        })
        .await?;
    state.mail.notify();
    let (lang, _) = page_lang(&req);
    announcement(
        &req,
        &state,
        &visitor,
        &public,
        lang,
        context! { link_sent => true },
    )
}
