use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::deliveries::DeliveryView;
use super::{stream, ApiError, AppState};
use crate::audit;
use crate::db;
use crate::db::bundles::Selection;
use crate::domain::audit::AuditAction;
use crate::domain::entry::{EntryCorrection, HolderName};
use crate::domain::Award;
use crate::domain::{Competition, Document, DocumentId, DocumentStatus, OrgId};
use crate::i18n::Message;
use crate::issuance::{self, bundle, verify_url};
use crate::papers;
use crate::verification::public_status;

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = DocumentRecord)]
pub struct DocumentView {
    id: String,
    serial: String,
    code: String,
    holder: String,
    /// Where the holder comes from: tells namesakes apart in the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    school: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nomination: Option<String>,
    /// diploma; certificate of participation; letter of gratitude to a supervisor (no entry: `holder` is the supervisor, `pupils` the pupils it names); course certificate (with `hours`)
    kind: &'static str,
    award: String,
    /// grand_prix, winner, prize_winner, laureate, diplomant, special_prize, finalist,
    /// participant, letter or course: what reports count it as.
    #[serde(skip_serializing_if = "Option::is_none")]
    award_category: Option<crate::domain::award::AwardCategory>,
    award_title: String,
    /// a letter of gratitude's pupils
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pupils: Vec<String>,
    /// a course certificate's academic hours
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<u32>,
    /// whom an extra paper is for: `judge` (a jury member's letter) or `member` (a team member's
    /// own paper)
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient: Option<&'static str>,
    /// a team member's paper: the team's name
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<String>,
    /// a jury member's letter: the number of works they reviewed
    #[serde(skip_serializing_if = "Option::is_none")]
    reviewed: Option<u32>,
    /// a certificate of attending a seminar or webinar
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<crate::domain::PaperEvent>,
    /// the organizer's own wording of the reason, when the paper prints it
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    /// the results file's columns no field claims, by header, printed by `{custom.HEADER}` in designs
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    custom: std::collections::BTreeMap<String, String>,
    status: DocumentStatus,
    /// What the public page says now: `expired` once a paper's validity has passed.
    public_status: &'static str,
    public_lookup: bool,
    superseded_by: Option<String>,
    design: String,
    sha256: Option<String>,
    verify_url: String,
    pdf_url: String,
    issued_at: String,
}

impl DocumentView {
    pub(super) fn of(d: Document, public_url: &str) -> DocumentView {
        let public_status = public_status(&d);
        DocumentView {
            verify_url: verify_url(public_url, &d.code),
            pdf_url: format!("/api/v1/documents/{}/pdf", d.id),
            id: d.id,
            serial: d.serial.to_string(),
            code: d.code.to_string(),
            kind: d.payload.kind().as_str(),
            holder: d.payload.holder,
            school: d.payload.school,
            region: d.payload.region,
            nomination: d.payload.nomination,
            award_category: Award::from_code(&d.payload.award).map(Award::category),
            pupils: d.payload.pupils,
            hours: d.payload.hours,
            recipient: d.recipient.as_ref().map(|r| match r {
                crate::domain::Recipient::Judge(_) => "judge",
                crate::domain::Recipient::Member { .. } => "member",
            }),
            team: d.payload.team,
            reviewed: d.payload.reviewed,
            event: d.payload.event,
            reason: d.payload.reason,
            custom: d.payload.custom,
            award: d.payload.award,
            award_title: d.payload.award_title,
            status: d.status,
            public_status,
            public_lookup: d.public_lookup,
            superseded_by: d.superseded_by,
            design: d.design,
            sha256: d.sha256,
            issued_at: d.issued_at,
        }
    }
}

/// A document as the API shows it, with the messages that carry it: queued, sent, failed with
/// the reason.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Document)]
pub struct DocumentWithDeliveries {
    #[serde(flatten)]
    document: DocumentView,
    /// the e-mail messages that carry this document, with their state and any failure reason
    deliveries: Vec<DeliveryView>,
    /// One document's own view (`GET /api/v1/documents/{id}`) only.
    #[serde(skip_serializing_if = "Option::is_none")]
    scan_log: Option<crate::db::scans::ScanSummary>,
}

fn with_deliveries(
    view: DocumentView,
    messages: Vec<crate::domain::outbox::OutboxMessage>,
) -> Result<DocumentWithDeliveries, ApiError> {
    Ok(DocumentWithDeliveries {
        document: view,
        deliveries: messages.into_iter().map(DeliveryView::of).collect(),
        scan_log: None,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// The last serial of the previous page.
    after: Option<String>,
    /// Documents per page: 1000 unless asked, at most 10,000.
    limit: Option<u32>,
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/documents",
    tag = "documents",
    operation_id = "documents_list",
    summary = "The competition's documents, a page at a time in serial order",
    params(
        ("id" = String, Path),
        ("after" = Option<String>, Query, description = "The last serial of the previous page"),
        ("limit" = Option<i64>, Query, description = "Documents per page (default 1000, at most 10000)", minimum = 1, maximum = 10000),
    ),
    responses(
        (status = 200, description = "documents", content(([crate::web::documents::DocumentWithDeliveries] = "application/json")), headers(("Link" = String, description = r#"`<…?after=SERIAL&limit=N>; rel="next"` while there are more documents"#))),
    ),
    security(("bearer" = [])),
)]
/// A page of the competition's documents in serial order. A national batch has 100,000: the
/// `Link: <…>; rel="next"` header gives the next page while there is one.
pub async fn list(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let ListQuery { after, limit } = query.into_inner();
    let limit = limit.unwrap_or(1000).clamp(1, 10_000);
    let competition_id = path.into_inner();
    let (documents, mut deliveries) = state
        .db
        .run(move |conn| {
            let competition =
                db::competitions::find_owned(conn, &organizer.organization_id, &competition_id)?;
            let documents = db::documents::page_for_competition(
                conn,
                &competition.id,
                after.as_deref(),
                i64::from(limit),
            )?;
            let ids: Vec<String> = documents.iter().map(|d| d.id.clone()).collect();
            let deliveries = db::outbox::for_documents(conn, &ids)?;
            Ok::<_, db::DbError>((documents, deliveries))
        })
        .await?;
    let next = (documents.len() == limit as usize)
        .then(|| documents.last())
        .flatten()
        .map(|last| {
            format!(
                "</api/v1/competitions/{}/documents?after={}&limit={limit}>; rel=\"next\"",
                last.competition_id, last.serial
            )
        });
    let public_url = &state.settings.public_url;
    let views = documents
        .into_iter()
        .map(|d| {
            let sent = deliveries.remove(&d.id).unwrap_or_default();
            with_deliveries(DocumentView::of(d, public_url), sent)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut response = HttpResponse::Ok();
    if let Some(next) = next {
        response.insert_header((actix_web::http::header::LINK, next));
    }
    Ok(response.json(views))
}

fn attachment(name: String) -> ContentDisposition {
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(name)],
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZipQuery {
    /// `region` or `organization`: one folder per region or organization of the entries.
    folders: Option<String>,
    /// Only this organization's papers (its bundle).
    organization: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/documents.zip",
    tag = "documents",
    operation_id = "documents_zip",
    summary = "ZIP of the competition's valid PDFs, streamed; files named SERIAL_Surname-Name.pdf (UTF-8 names)",
    params(
        ("id" = String, Path),
        ("folders" = Option<String>, Query, description = "one folder per region or per organization of the entries (one of `region`, `organization`)"),
        ("organization" = Option<String>, Query, description = "only this organization's papers: its bundle (see .../bundles)"),
    ),
    responses(
        (status = 200, description = "zip", content(("application/zip"))),
        (status = 400, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The ZIP of a competition's valid papers, streamed as it is written: a national batch is never
/// held in memory.
pub async fn zip(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<ZipQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let folders = bundle::Folders::parse(query.folders.as_deref().unwrap_or("")).ok_or_else(|| {
        ApiError::Invalid(Message::InvalidField {
            field: "folders",
            reason: "region or organization".into(),
        })
    })?;
    zip_of(&state, organizer, path.into_inner(), query.organization, folders).await
}

/// The ZIP of one of the organizer's competitions, or of one organization's papers in it (its
/// bundle): shared by the API and the application's pages.
pub(super) async fn zip_of(
    state: &AppState,
    organizer: Organizer,
    competition_id: String,
    organization: Option<String>,
    folders: bundle::Folders,
) -> Result<HttpResponse, ApiError> {
    let what = format!(
        "ZIP{}",
        organization
            .as_deref()
            .map(|o| format!(" ({o})"))
            .unwrap_or_default()
    );
    let competition = state
        .db
        .run(move |conn| papers_exported(conn, &organizer, &competition_id, &what))
        .await?
        .ok_or(ApiError::Gone(Message::PaperErased))?;
    let selection = Selection {
        only_valid: true,
        organization: organization.filter(|o| !o.is_empty()),
    };
    zip_response(state, competition.id, selection, folders)
}

/// One of the organizer's competitions, found for a download of its papers or data, with the
/// download recorded in the audit log (`what`: the kind of file). Shared by every export.
pub(super) fn exported(
    conn: &mut db::DbConnection,
    organizer: &Organizer,
    competition_id: &str,
    what: &str,
) -> Result<Competition, db::DbError> {
    let competition = db::competitions::find_owned(conn, &organizer.organization_id, competition_id)?;
    let subject = format!("{what}: {}", competition.details.title);
    audit::record(
        conn,
        &organizer.organization_id,
        &organizer.actor,
        AuditAction::Exported,
        &subject,
    )?;
    Ok(competition)
}

/// The same for a file of its papers (ZIP, print PDF); `None` when they were deleted with the
/// competition's personal data.
pub(super) fn papers_exported(
    conn: &mut db::DbConnection,
    organizer: &Organizer,
    competition_id: &str,
    what: &str,
) -> Result<Option<Competition>, db::DbError> {
    if crate::retention::is_erased(conn, competition_id)? {
        return Ok(None);
    }
    exported(conn, organizer, competition_id, what).map(Some)
}

/// The ZIP of a competition's papers, written on a blocking thread straight into the response.
fn zip_response(
    state: &AppState,
    competition_id: String,
    selection: Selection,
    folders: bundle::Folders,
) -> Result<HttpResponse, ApiError> {
    let place = state.download_place()?;
    let (mut writer, body) = stream::channel();
    let issuance = state.issuance.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let _place = place;
        let written = bundle::write_zip(&mut writer, &issuance, &competition_id, &selection, folders)
            .and_then(|w| Ok(std::io::Write::flush(w)?));
        if let Err(e) = written {
            tracing::warn!(error = %e, competition = %competition_id, "ZIP download broken off");
            writer.fail(std::io::Error::other(e.to_string()));
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(attachment("documents.zip".into()))
        .streaming(body))
}

#[utoipa::path(
    get,
    path = "/api/v1/competitions/{id}/bundles",
    tag = "documents",
    operation_id = "documents_bundles",
    summary = "Per-organization bundles: each organization of the entries, how many valid papers it has, and the URL of its ZIP",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "bundles. array of object {`organization` string/null; `documents` integer; `zip_url` string/null}", content((Object = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// The per-organization bundles of a competition: each organization's papers and its ZIP.
pub async fn bundles(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (competition, organizations) = bundles_of(&state, organizer, path.into_inner()).await?;
    let zip_url = format!("/api/v1/competitions/{}/documents.zip", competition.id);
    let views: Vec<serde_json::Value> = organizations
        .into_iter()
        .map(|(organization, documents)| {
            let url = organization
                .as_deref()
                .map(|o| format!("{zip_url}?organization={}", query_escape(o)));
            serde_json::json!({"organization": organization, "documents": documents, "zip_url": url})
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

/// One of the organizer's competitions and the organizations of its valid papers with how many
/// each has (`None`: entries that name none).
pub(super) async fn bundles_of(
    state: &AppState,
    organizer: Organizer,
    competition_id: String,
) -> Result<(Competition, Vec<(Option<String>, i64)>), ApiError> {
    Ok(state
        .db
        .run(move |conn| {
            let competition =
                db::competitions::find_owned(conn, &organizer.organization_id, &competition_id)?;
            let organizations = db::bundles::organizations(conn, &competition.id)?;
            Ok::<_, crate::db::DbError>((competition, organizations))
        })
        .await?)
}

/// Percent-encodes a query value (names of schools hold Cyrillic letters, spaces, № and quotes).
pub(super) fn query_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[utoipa::path(
    get,
    path = "/api/v1/documents/{id}/pdf",
    tag = "documents",
    operation_id = "documents_pdf",
    summary = "One PDF",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "pdf", content(("application/pdf"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 410, description = "the PDF was deleted with the competition's personal data after the retention period; the paper still verifies by its code"),
    ),
    security(("bearer" = [])),
)]
pub async fn pdf(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let organization_id = OrgId::from(organizer.organization_id);
    let id = DocumentId::from(path.into_inner());
    let document = state
        .db
        .run(move |conn| papers::find(conn, &organization_id, &id))
        .await?;
    let pdf = paper_pdf(&state, document).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(attachment(pdf.file_name))
        .body(pdf.bytes))
}

/// `papers::pdf` on the blocking pool: the API's and the pages' downloads.
pub(crate) async fn paper_pdf(state: &AppState, document: Document) -> Result<papers::PaperPdf, ApiError> {
    let issuance = state.issuance.clone();
    Ok(web::block(move || papers::pdf(&issuance, &document)).await??)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    reason: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/documents/{id}/revoke",
    tag = "documents",
    operation_id = "documents_revoke",
    summary = "Revoke a document",
    params(
        ("id" = String, Path),
    ),
    request_body(content((RevokeRequest = "application/json"))),
    responses(
        (status = 200, description = "revoked", content((crate::web::documents::DocumentWithDeliveries = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
pub async fn revoke(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<RevokeRequest>,
) -> Result<HttpResponse, ApiError> {
    let document = revoke_owned(&state, organizer, path.into_inner().into(), &body.reason).await?;
    Ok(HttpResponse::Ok().json(DocumentView::of(document, &state.settings.public_url)))
}

/// `papers::revoke`, for the API and the pages.
pub(super) async fn revoke_owned(
    state: &AppState,
    organizer: Organizer,
    id: DocumentId,
    reason: &str,
) -> Result<Document, ApiError> {
    let reason = reason.to_string();
    let organization_id = OrgId::from(organizer.organization_id);
    let actor = organizer.actor;
    Ok(state
        .db
        .run(move |conn| papers::revoke(conn, &organization_id, &actor, &id, &reason))
        .await?)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReissueRequest {
    holder: Option<String>,
    school: Option<String>,
    region: Option<String>,
    supervisor: Option<String>,
    nomination: Option<String>,
    age_group: Option<String>,
    award: Option<String>,
}

impl ReissueRequest {
    pub(super) fn parse(self) -> Result<EntryCorrection, ApiError> {
        let invalid = |field: &'static str, reason: &str| {
            ApiError::Invalid(Message::InvalidField {
                field,
                reason: reason.into(),
            })
        };
        let clean = |value: Option<String>| {
            value
                .map(|v| crate::domain::entry::normalize_text(&v))
                .filter(|v| !v.is_empty())
        };
        let holder = match self.holder {
            Some(text) => Some(HolderName::parse(&text).ok_or_else(|| invalid("holder", "not empty"))?),
            None => None,
        };
        // A code names the category; words are kept as the paper's title where they say more.
        let (award, award_title) = match self.award {
            Some(text) => {
                let (award, title) = match Award::from_code(&text) {
                    Some(award) => (Some(award), None),
                    None => {
                        let award = Award::parse(&text);
                        (
                            award,
                            award.and_then(|a| crate::domain::award::written_title(&text, a)),
                        )
                    }
                };
                let award = award.filter(|award| award.is_entry_award()).ok_or_else(|| {
                    invalid(
                        "award",
                        "e.g. place_1, degree_2, grand_prix, winner, prize_winner, laureate, special_prize, participant",
                    )
                })?;
                (Some(award), title)
            }
            None => (None, None),
        };
        Ok(EntryCorrection {
            holder,
            school: clean(self.school),
            region: clean(self.region),
            supervisor: clean(self.supervisor),
            nomination: clean(self.nomination),
            age_group: clean(self.age_group),
            award,
            award_title,
        })
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/documents/{id}/reissue",
    tag = "documents",
    operation_id = "documents_reissue",
    summary = "Issue a corrected paper in place of a valid or revoked one: new serial and code, the old one verifies as superseded with a link to the new one.",
    params(
        ("id" = String, Path),
    ),
    request_body(content((ReissueRequest = "application/json"))),
    responses(
        (status = 201, description = "the new document", content((crate::web::documents::DocumentWithDeliveries = "application/json"))),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 409, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 422, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// Issues a corrected paper in place of this one; the old one then verifies as superseded.
pub async fn reissue(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<ReissueRequest>,
) -> Result<HttpResponse, ApiError> {
    let correction = body.into_inner().parse()?;
    let document = reissue_owned(&state, organizer, path.into_inner(), correction).await?;
    Ok(HttpResponse::Created().json(DocumentView::of(document, &state.settings.public_url)))
}

/// `issuance::reissue` on the blocking pool (it renders), for the API and the pages.
pub(super) async fn reissue_owned(
    state: &AppState,
    organizer: Organizer,
    id: String,
    correction: EntryCorrection,
) -> Result<Document, ApiError> {
    let issuance = state.issuance.clone();
    Ok(web::block(move || {
        issuance::reissue(
            &issuance,
            &organizer.organization_id,
            &organizer.actor,
            &id,
            &correction,
        )
    })
    .await??)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisibilityRequest {
    public: bool,
}

#[utoipa::path(
    post,
    path = "/api/v1/documents/{id}/visibility",
    tag = "documents",
    operation_id = "documents_visibility",
    summary = "Turn the public verification of one paper off or on; off, it answers like an unknown code.",
    params(
        ("id" = String, Path),
    ),
    request_body(content((VisibilityRequest = "application/json"))),
    responses(
        (status = 200, description = "document"),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// Turns the public verification page on or off for one paper.
pub async fn visibility(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    body: web::Json<VisibilityRequest>,
) -> Result<HttpResponse, ApiError> {
    let public_url = state.settings.public_url.clone();
    let document = set_visibility(
        &state,
        organizer.organization_id.into(),
        path.into_inner().into(),
        body.public,
    )
    .await?;
    Ok(HttpResponse::Ok().json(DocumentView::of(document, &public_url)))
}

/// `papers::set_visibility`, for the API and the pages.
pub(super) async fn set_visibility(
    state: &AppState,
    organization_id: OrgId,
    id: DocumentId,
    public: bool,
) -> Result<Document, ApiError> {
    Ok(state
        .db
        .run(move |conn| papers::set_visibility(conn, &organization_id, &id, public))
        .await?)
}

#[utoipa::path(
    get,
    path = "/api/v1/documents/{id}",
    tag = "documents",
    operation_id = "documents_show",
    summary = "One paper, with its scan log: how often it was looked up publicly, when last, and how often while revoked.",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "document"),
        (status = 404, description = "error", content((crate::web::error::ErrorBody = "application/json"))),
    ),
    security(("bearer" = [])),
)]
/// One paper, with its scan log summary.
pub async fn show(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let public_url = state.settings.public_url.clone();
    let (document, scans, mut deliveries) = state
        .db
        .run(move |conn| {
            let document = db::documents::find_owned(conn, &organizer.organization_id, &id)?;
            let scans = db::scans::summary(conn, &document.id)?;
            let deliveries = db::outbox::for_documents(conn, std::slice::from_ref(&document.id))?;
            Ok::<_, crate::db::DbError>((document, scans, deliveries))
        })
        .await?;
    let sent = deliveries.remove(&document.id).unwrap_or_default();
    let mut view = with_deliveries(DocumentView::of(document, &public_url), sent)?;
    view.scan_log = Some(scans);
    Ok(HttpResponse::Ok().json(view))
}
