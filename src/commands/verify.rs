//! `gramota verify`: checks a paper away from the web page. The signed record (embedded in the PDF,
//! or read from a photo of the QR code, or in a URL's fragment) is checked against the public keys;
//! where this instance's database is at hand, the registry's status and the PDF's digest too.

use std::path::Path;

use crate::config::Settings;
use crate::db::{self, Backend, Db};
use crate::domain::token::sha256_hex;
use crate::domain::{DocumentStatus, VerificationCode};
use crate::issuance::render::VERIFICATION_KEY;
use crate::trust::jwks::{self, Jwks};
use crate::trust::record::{self, VerifiedRecord};
use crate::trust::{KeyStatus, Keyring};
use crate::verification::public_status;

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

/// What was presented: the QR code's URL, and the file's digest when it was a PDF.
struct Presented {
    url: String,
    pdf_sha256: Option<String>,
}

fn read_input(input: &str) -> Result<Presented, String> {
    let path = Path::new(input);
    if !path.is_file() {
        return Ok(Presented {
            url: input.trim().to_string(),
            pdf_sha256: None,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {input}: {e}"))?;
    if bytes.starts_with(b"%PDF") {
        let url = embedded_url(&bytes).ok_or("the PDF carries no gramota signed record")?;
        return Ok(Presented {
            url,
            pdf_sha256: Some(sha256_hex(&bytes)),
        });
    }
    let url = qr_in_image(&bytes)?;
    Ok(Presented {
        url,
        pdf_sha256: None,
    })
}

fn embedded_url(pdf: &[u8]) -> Option<String> {
    let document = lopdf::Document::load_mem(pdf).ok()?;
    let info = document.trailer.get(b"Info").ok()?;
    let info = match info {
        lopdf::Object::Reference(id) => document.get_dictionary(*id).ok()?,
        lopdf::Object::Dictionary(d) => d,
        _ => return None,
    };
    let value = info.get(VERIFICATION_KEY.as_bytes()).ok()?.as_str().ok()?;
    String::from_utf8(value.to_vec()).ok()
}

/// Reads the QR code in a photo or scan, as a phone camera would.
fn qr_in_image(bytes: &[u8]) -> Result<String, String> {
    let image =
        image::load_from_memory(bytes).map_err(|e| format!("neither a PDF nor a readable image: {e}"))?;
    let luma = image.to_luma8();
    let (width, height) = (luma.width() as usize, luma.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        luma.get_pixel(x as u32, y as u32).0[0]
    });
    prepared
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .ok_or_else(|| "no QR code could be read in the image".to_string())
}

fn keyring(settings: &Settings, keys_file: Option<&Path>) -> Result<Option<Keyring>, String> {
    if let Some(file) = keys_file {
        let text =
            std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let set: Jwks =
            serde_json::from_str(&text).map_err(|e| format!("{} is not a key set: {e}", file.display()))?;
        return Ok(Some(jwks::keyring_from(&set)));
    }
    if let Some(secret) = &settings.signing_secret {
        let db = registry(settings).ok_or("the deployment's database cannot be reached")?;
        let mut conn = db.conn().map_err(|e| e.to_string())?;
        return crate::trust::shared::load(&mut conn, secret)
            .map(Some)
            .map_err(|e| e.to_string());
    }
    Keyring::open_existing(&settings.data_dir).map_err(|e| e.to_string())
}

/// This instance's registry, when there is one to ask; verification never creates a database.
fn registry(settings: &Settings) -> Option<Db> {
    let exists = Backend::of_url(&settings.database_url) == Backend::Postgres
        || Path::new(&settings.database_url).is_file();
    exists
        .then(|| Db::connect(&settings.database_url, 1).ok())
        .flatten()
}

pub fn verify(settings: &Settings, input: &str, keys_file: Option<&Path>) -> Verdict {
    let presented = match read_input(input) {
        Ok(p) => p,
        Err(e) => return Verdict::Unchecked(e),
    };
    let (address, fragment) = presented.url.split_once('#').unwrap_or((&presented.url, ""));
    let code_text = address.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let Some(code) = VerificationCode::parse(code_text) else {
        return Verdict::Unchecked(format!(
            "{input} is neither a gramota paper nor a verification URL or code"
        ));
    };

    let mut findings = Vec::new();
    let signed = if fragment.is_empty() {
        None
    } else {
        let keys = match keyring(settings, keys_file) {
            Ok(Some(keys)) => keys,
            Ok(None) => {
                return Verdict::Unchecked(
                    "no public keys: pass --keys with the issuer's gramota-keys.json".into(),
                )
            }
            Err(e) => return Verdict::Unchecked(e),
        };
        match record::verify(fragment, code.as_str(), &keys) {
            Ok(record) => Some(record),
            Err(e) => return Verdict::NotGenuine(format!("NOT GENUINE: {e}")),
        }
    };
    if let Some(VerifiedRecord {
        fields,
        key_status,
        kid,
    }) = &signed
    {
        if *key_status == KeyStatus::Compromised {
            return Verdict::NotGenuine(format!(
                "NOT TRUSTED: signed with key {kid}, which is marked compromised"
            ));
        }
        findings.push(format!(
            "signature genuine (key {kid}): {} · {} · {} · «{}» · {} · {}",
            fields.serial, fields.holder, fields.award, fields.competition, fields.issuer, fields.date
        ));
    }

    let Some(db) = registry(settings) else {
        return match signed {
            Some(_) => Verdict::Genuine(format!(
                "{}\nrevocation status not checked: no registry here",
                findings.join("\n")
            )),
            None => Verdict::Unchecked("nothing to check: no signed record and no registry here".into()),
        };
    };
    let found = db
        .conn()
        .map_err(|e| e.to_string())
        .and_then(|mut conn| db::documents::find_by_code(&mut conn, &code).map_err(|e| e.to_string()));
    let document = match found {
        Ok(Some(document)) => document,
        Ok(None) => {
            return Verdict::NotGenuine(format!("NOT GENUINE: no paper with code {code} in the registry"))
        }
        Err(e) => return Verdict::Unchecked(format!("could not ask the registry: {e}")),
    };
    if let (Some(presented), Some(registered)) = (&presented.pdf_sha256, &document.sha256) {
        if presented != registered {
            return Verdict::NotGenuine("NOT GENUINE: this PDF differs from the one that was issued".into());
        }
        findings.push("the file is exactly the PDF that was issued".into());
    }
    let status = public_status(&document);
    let summary = findings.join("\n");
    match document.status {
        DocumentStatus::Valid if status == "valid" => Verdict::Genuine(format!("{summary}\nstatus: valid")),
        DocumentStatus::Revoked => Verdict::NotGenuine(format!(
            "{summary}\nstatus: REVOKED ({})",
            document.revoked_reason.as_deref().unwrap_or("no reason given")
        )),
        _ => Verdict::NotGenuine(format!("{summary}\nstatus: {}", status.to_uppercase())),
    }
}
