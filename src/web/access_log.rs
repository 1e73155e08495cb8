//! The access log line, without the secrets some URLs carry: invitation and password reset links
//! (`/app/invite/T`, `/app/stage-invite/T`, `/app/reset/T`), e-mailed download links (`/d/T`), verification codes
//! (`/v/C`, `/api/v1/verify/C`), applicants' cabinets (`/a/T`) and the `/find` query with its code and surname. Whoever reads the
//! log (an operator, a log service) must not be able to open an account, a paper or a child's name
//! with what it holds. The route stays readable; query values are kept only for the few keys that
//! never carry a secret.

use actix_web::dev::ServiceRequest;
use actix_web::middleware::Logger;

/// Path segments whose next segment is a secret.
const SECRET_AFTER: [&str; 7] = ["invite", "stage-invite", "reset", "d", "v", "verify", "a"];
/// Query keys whose values are harmless and help reading the log.
const PLAIN_KEYS: [&str; 12] = [
    "lang", "language", "format", "dpi", "limit", "folders", "version", "reverify", "welcome", "done",
    "award", "design",
];
const HIDDEN: &str = "…";

/// `Logger` writing "METHOD PATH STATUS TIMEms request_id=ID" with the path and query redacted.
pub fn logger() -> Logger {
    Logger::new("%{request}xi %s %Dms request_id=%{x-request-id}o")
        .custom_request_replace("request", |req: &ServiceRequest| {
            format!("{} {}", req.method(), redact(req.path(), req.query_string()))
        })
        .exclude("/healthz")
}

/// The path and query as they may be logged.
pub fn redact(path: &str, query: &str) -> String {
    let mut hide_next = false;
    let segments: Vec<&str> = path
        .split('/')
        .map(|segment| {
            let hidden = (hide_next && !segment.is_empty()) || looks_like_a_token(segment);
            hide_next = SECRET_AFTER.contains(&segment);
            if hidden {
                HIDDEN
            } else {
                segment
            }
        })
        .collect();
    let mut line = segments.join("/");
    if !query.is_empty() {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if PLAIN_KEYS.contains(&key) => pair.to_string(),
                Some((key, _)) => format!("{key}={HIDDEN}"),
                None => HIDDEN.to_string(),
            })
            .collect();
        line.push('?');
        line.push_str(&pairs.join("&"));
    }
    line
}

/// A long run of letters and digits (no dashes, unlike ids) is a token wherever it appears.
fn looks_like_a_token(segment: &str) -> bool {
    segment.len() >= 24 && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn secrets_in_paths_and_queries_are_hidden() {
        let invitation = "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d";
        assert_eq!(redact(&format!("/app/invite/{invitation}"), ""), "/app/invite/…");
        assert_eq!(redact("/app/reset/short-or-long", ""), "/app/reset/…");
        assert_eq!(
            redact("/app/stage-invite/short-or-long", ""),
            "/app/stage-invite/…"
        );
        assert_eq!(redact("/d/Zq8vN3kLm2", ""), "/d/…");
        assert_eq!(redact("/a/3f9c", ""), "/a/…", "an applicant's cabinet");
        assert_eq!(
            redact("/a/3f9c/papers/ID/credential", ""),
            "/a/…/papers/ID/credential"
        );
        assert_eq!(redact("/v/QWER-TYUP-ASDF", "lang=kk"), "/v/…?lang=kk");
        assert_eq!(redact("/api/v1/verify/QWER-TYUP-ASDF", ""), "/api/v1/verify/…");
        assert_eq!(
            redact("/find", "code=QWER-TYUP-ASDF&surname=%D0%A1%D0%B5"),
            "/find?code=…&surname=…"
        );
        assert_eq!(
            redact("/find/pdf", "code=X&surname=Y&lang=ru"),
            "/find/pdf?code=…&surname=…&lang=ru"
        );
        assert_eq!(
            redact("/x", "gmt_0123456789abcdef0123456789abcdef01234567"),
            "/x?…"
        );
    }

    #[test]
    fn routes_and_ids_stay_readable() {
        let id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        assert_eq!(
            redact(
                &format!("/api/v1/competitions/{id}/documents.zip"),
                "folders=region"
            ),
            format!("/api/v1/competitions/{id}/documents.zip?folders=region")
        );
        assert_eq!(redact("/app/login", ""), "/app/login");
        assert_eq!(redact("/v/", ""), "/v/");
        assert_eq!(
            redact(
                "/api/v1/designs/oblys/preview",
                "format=png&dpi=100&competition=abc"
            ),
            "/api/v1/designs/oblys/preview?format=png&dpi=100&competition=…"
        );
    }
}
