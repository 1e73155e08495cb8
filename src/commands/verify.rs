use crate::config::Settings;
use crate::db;
use crate::domain::token::sha256_hex;
use crate::domain::{Document, DocumentStatus, VerificationCode};
use crate::startup::open;

/// The answer, with the exit code the command-line contract promises.
pub enum Verdict {
    Genuine(String),
    NotGenuine(String),
    Unchecked(String),
}

impl Verdict {
    pub fn exit_code(&self) -> i32 {
        match self {
            Verdict::Genuine(_) => 0,
            Verdict::NotGenuine(_) => 1,
            Verdict::Unchecked(_) => 2,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Verdict::Genuine(m) | Verdict::NotGenuine(m) | Verdict::Unchecked(m) => m,
        }
    }
}

fn describe(document: &Document) -> Verdict {
    let p = &document.payload;
    let summary = format!(
        "{} · {} · {} · «{}» · {}",
        p.serial, p.holder, p.award_title, p.competition, p.issuer
    );
    match document.status {
        DocumentStatus::Valid => Verdict::Genuine(format!("genuine and valid: {summary}")),
        DocumentStatus::Revoked => Verdict::NotGenuine(format!(
            "revoked ({}): {summary}",
            document.revoked_reason.as_deref().unwrap_or("no reason given")
        )),
        DocumentStatus::Superseded => {
            Verdict::NotGenuine(format!("superseded by a corrected document: {summary}"))
        }
        DocumentStatus::Pending => Verdict::NotGenuine("not issued".into()),
    }
}

/// Checks a PDF file (by its digest), or a verification URL or code, against the database.
pub fn verify(settings: &Settings, input: &str) -> Verdict {
    let path = std::path::Path::new(input);
    let lookup = |settings: &Settings, query: Query| -> Result<Option<Document>, String> {
        let issuance = open(settings).map_err(|e| e.to_string())?;
        let mut conn = issuance.db.conn().map_err(|e| e.to_string())?;
        match query {
            Query::Digest(digest) => db::documents::find_by_sha256(&mut conn, &digest),
            Query::Code(code) => db::documents::find_by_code(&mut conn, &code),
        }
        .map_err(|e| e.to_string())
    };
    let query = if path.is_file() {
        match std::fs::read(path) {
            Ok(bytes) if bytes.starts_with(b"%PDF") => Query::Digest(sha256_hex(&bytes)),
            Ok(_) => return Verdict::Unchecked(format!("{input} is not a PDF")),
            Err(e) => return Verdict::Unchecked(format!("cannot read {input}: {e}")),
        }
    } else {
        let without_fragment = input.split('#').next().unwrap_or(input);
        let candidate = without_fragment
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        match VerificationCode::parse(candidate) {
            Some(code) => Query::Code(code),
            None => {
                return Verdict::Unchecked(format!(
                    "{input} is neither a file nor a verification URL or code"
                ))
            }
        }
    };
    match lookup(settings, query) {
        Ok(Some(document)) => describe(&document),
        Ok(None) if path.is_file() => {
            Verdict::NotGenuine("not genuine: no document was issued with exactly this content".into())
        }
        Ok(None) => Verdict::NotGenuine("not genuine: no document has this code".into()),
        Err(e) => Verdict::Unchecked(format!("could not check: {e}")),
    }
}

enum Query {
    Digest(String),
    Code(VerificationCode),
}
