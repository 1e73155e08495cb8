//! Open Badges 3.0 credentials of papers (see `crate::credentials`): the organizer's, the holder's
//! (who shows the QR code's signed record), and what verifiers fetch: the issuer's profile and its
//! status list.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, Either, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::auth::Organizer;
use super::lang::request_lang;
use super::private::private;
use super::{ApiError, AppState};
use crate::credentials::{self, Credential};
use crate::domain::{DocumentId, OrgId};

/// The media type of a credential secured with JOSE (VC-JOSE-COSE).
const VC_JWT: &str = "application/vc+jwt";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatQuery {
    /// `jwt`: the compact JWS alone; otherwise JSON with the credential beside it.
    format: Option<String>,
}

impl FormatQuery {
    fn jwt(&self) -> Result<bool, ApiError> {
        match self.format.as_deref() {
            None | Some("json") => Ok(false),
            Some("jwt") => Ok(true),
            Some(_) => Err(ApiError::Invalid(crate::i18n::Message::InvalidField {
                field: "format",
                reason: "json or jwt".into(),
            })),
        }
    }
}

/// The shape of Open Badges 3.0's own API (GetOpenBadgeCredentialsResponse), one credential.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(
    description = "A paper as an Open Badges 3.0 OpenBadgeCredential (W3C Verifiable Credential 2.0), secured as VC-JWT (Open Badges 3.0 §8.2): `compactJwsString` is the signed credential (header `alg` EdDSA, `kid` = `did:web:HOST:o:SLUG#KID`, a key of the issuer's DID document at /o/{slug}/did.json, the same keys as /.well-known/gramota-keys.json; `typ` JWT); `credential` is its payload, for reading. It names the holder (full name, no birth date or ID number), the issuer, the achievement (award, competition or course, nomination, hours), the dates, the serial and the verification URL, and its place in the issuer's status list (`credentialStatus`)."
)]
pub struct CredentialDownload {
    #[serde(rename = "compactJwsString")]
    compact_jws_string: String,
    /// the OpenBadgeCredential with its JWT claims iss, jti, sub, nbf and exp
    #[schema(value_type = Object)]
    credential: serde_json::Value,
}

pub(crate) fn answer(credential: Credential, jwt: bool) -> Result<HttpResponse, ApiError> {
    let (body, content_type, extension) = if jwt {
        (credential.compact_jws, VC_JWT, "jwt")
    } else {
        let json = CredentialDownload {
            compact_jws_string: credential.compact_jws,
            credential: credential.json,
        };
        (
            serde_json::to_string_pretty(&json).map_err(ApiError::internal)?,
            "application/json",
            "json",
        )
    };
    let file = format!("{}.{extension}", credential.serial.replace(['/', '\\', '"'], "-"));
    Ok(private(&mut HttpResponse::Ok())
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file)],
        })
        .body(body))
}

#[utoipa::path(
    get,
    path = "/api/v1/documents/{id}/credential",
    tag = "verification",
    operation_id = "credentials_of_document",
    summary = "A paper as an Open Badges 3.0 credential",
    description = "Any issued paper of the organization, whatever its status: a revoked or superseded one is revoked in the status list its credential names. A paper issued since credentials are made at issue answers with the very credential its PDF carries as the embedded file `credential.jwt` (made and signed when the paper was issued, its place in the status list drawn then); an older paper's is made on request, its place given the first time.",
    params(
        ("id" = String, Path),
        ("format" = Option<String>, Query, description = "`jwt`: the compact JWS alone (`application/vc+jwt`), as wallets import it; `json` (default): the credential beside it (one of `json`, `jwt`)"),
    ),
    responses(
        (status = 200, description = "the credential. `application/vc+jwt`: string: compact JWS, EdDSA", content((crate::web::credentials::CredentialDownload = "application/json"), (Object = "application/vc+jwt"))),
        (status = 404, description = "no such paper, or not issued yet", content((crate::web::error::ErrorBody = "application/json"))),
        (status = 410, description = "the competition's personal data was erased after the retention period"),
    ),
    security(("bearer" = [])),
)]
/// `GET /api/v1/documents/{id}/credential`: any issued paper of the organizer's.
pub async fn of_document(
    state: web::Data<AppState>,
    organizer: Organizer,
    path: web::Path<String>,
    query: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let jwt = query.jwt()?;
    let keys = state.issuance.keys.for_signing().map_err(ApiError::internal)?;
    let public_url = state.settings.public_url.clone();
    let organization_id = OrgId::from(organizer.organization_id);
    let id = DocumentId::from(path.into_inner());
    let credential = state
        .db
        .run(move |conn| credentials::for_organizer(conn, &keys, &public_url, &organization_id, &id))
        .await?;
    answer(credential, jwt)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolderRequest {
    /// the QR code's URL fragment, without `#`: the paper's signed record
    record: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/verify/{code}/credential",
    tag = "verification",
    operation_id = "credentials_of_holder",
    summary = "The holder's credential of a paper (public)",
    description = "For whoever holds the paper: the body carries the signed record after `#` in the paper's QR code, which already holds the holder's full name (the public verification answer masks it). Only a valid paper whose public page is on; every refusal is the same 404. Rate-limited like the verification.",
    params(
        ("code" = String, Path),
        ("format" = Option<String>, Query, description = "`jwt`: the compact JWS alone (`application/vc+jwt`), as wallets import it; `json` (default): the credential beside it (one of `json`, `jwt`)"),
    ),
    request_body(content((HolderRequest = "application/json"), (HolderRequest = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "the credential. `application/vc+jwt`: string: compact JWS, EdDSA", content((crate::web::credentials::CredentialDownload = "application/json"), (Object = "application/vc+jwt"))),
        (status = 404, description = "not_found: unknown code, record not this paper's, paper not valid or not public"),
        (status = 429, description = "too many requests from this address"),
    ),
)]
/// `POST /api/v1/verify/{code}/credential` with the paper's signed record (JSON or a form, as the
/// verification page sends it).
pub async fn of_holder(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<FormatQuery>,
    body: Either<web::Json<HolderRequest>, web::Form<HolderRequest>>,
) -> Result<HttpResponse, ApiError> {
    let jwt = query.jwt()?;
    limit(&req, &state)?;
    let record = match body {
        Either::Left(json) => json.into_inner().record,
        Either::Right(form) => form.into_inner().record,
    };
    let keys = state.issuance.keys.for_signing().map_err(ApiError::internal)?;
    let public_url = state.settings.public_url.clone();
    let code = path.into_inner();
    let credential = state
        .db
        .run(move |conn| credentials::for_holder(conn, &keys, &public_url, &code, &record))
        .await?;
    answer(credential, jwt)
}

fn limit(req: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    let client = super::client_addr::client_ip(req, &state.settings.trusted_proxies);
    state
        .limiter
        .check(client, std::time::Instant::now())
        .map_err(|retry_after_seconds| ApiError::RateLimited { retry_after_seconds })
}

#[utoipa::path(
    get,
    path = "/api/v1/issuers/{id}",
    tag = "verification",
    operation_id = "credentials_issuer",
    summary = "An organization as an Open Badges issuer (public)",
    description = "The issuer profile its credentials' achievements are named under (`…#achievement-…`): an Open Badges 3.0 Profile, `id` the organization's DID (as the credentials' `issuer.id`), with the name in the request's language, every name by language (`nameByLanguage`), the city and the website.",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "Profile", content((Object = "application/json"))),
        (status = 404, description = "no such issuer"),
    ),
)]
/// `GET /api/v1/issuers/{id}`: the organization as an Open Badges issuer profile.
pub async fn issuer(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    limit(&req, &state)?;
    let lang = request_lang(&req);
    let public_url = state.settings.public_url.clone();
    let id = path.into_inner();
    let profile = state
        .db
        .read(move |conn| credentials::issuer(conn, &public_url, &id, lang))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header((header::VARY, "Accept-Language"))
        .json(profile))
}

#[utoipa::path(
    get,
    path = "/api/v1/issuers/{id}/status-list",
    tag = "verification",
    operation_id = "credentials_status_list",
    summary = "The issuer's Bitstring Status List credential (public)",
    description = "W3C Bitstring Status List v1.0, `statusPurpose` revocation: the bit at a credential's `statusListIndex` is 1 when its paper is revoked or superseded. Made on request, signed like the credentials (compact JWS, `typ` vc+jwt), valid one day, cacheable for 60 s.",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "the status list credential", content((String = "application/vc+jwt"))),
        (status = 404, description = "no such issuer"),
    ),
)]
/// `GET /api/v1/issuers/{id}/status-list`: the organization's Bitstring Status List credential.
pub async fn status_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    limit(&req, &state)?;
    let keys = state.issuance.keys.for_signing().map_err(ApiError::internal)?;
    let public_url = state.settings.public_url.clone();
    let id = path.into_inner();
    let list = state
        .db
        .run(move |conn| credentials::status_list(conn, &keys, &public_url, &id))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(VC_JWT)
        .insert_header((
            header::CACHE_CONTROL,
            format!("public, max-age={}", credentials::status_list::MAX_AGE_SECONDS),
        ))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(list))
}

#[utoipa::path(
    get,
    path = "/o/{slug}/did.json",
    tag = "verification",
    operation_id = "credentials_did_document",
    summary = "The issuer's DID document (did:web, public)",
    description = "The organization's DID is `did:web:HOST:o:SLUG` (HOST from the public URL, a port's colon as `%3A`, a path's slashes as colons); did:web resolves it here. Its credentials name it as `issuer.id` and `iss`, and their JWS `kid` is `DID#KID`, a `JsonWebKey` verification method of this document. Every key the deployment has published is listed — active, retired and compromised, with gramota's `status` member — so a credential signed before a rotation still finds its key; the keys that are not compromised are the `assertionMethod`s. The same keys as /.well-known/gramota-keys.json. Cacheable for 5 minutes.",
    params(
        ("slug" = String, Path, description = "the organization's slug"),
    ),
    responses(
        (status = 200, description = "DID document (DID Core 1.0)", content((Object = "application/did+json"))),
        (status = 404, description = "no such organization"),
    ),
)]
/// `GET /o/{slug}/did.json`: the organization's DID document, where did:web resolves its DID.
pub async fn did_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    limit(&req, &state)?;
    let keys = state.issuance.keys.current().map_err(ApiError::internal)?;
    let public_url = state.settings.public_url.clone();
    let slug = path.into_inner();
    let document = state
        .db
        .read(move |conn| credentials::did_document(conn, &keys, &public_url, &slug))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/did+json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(document.to_string()))
}
