//! The Open Badges 3.0 `OpenBadgeCredential` of one paper: data in, JSON out, no database.
//!
//! What it says is what the paper prints, in the paper's language: the issuer (the organization,
//! with its names in every language it has), the achievement (the award, the competition or course,
//! the nomination, a course's hours), the holder's name, the dates, the serial and the
//! verification address. Never a birth date, an ID number, a school, a region, a supervisor or a
//! letter's pupils: a credential travels further than the paper.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::domain::award::DocumentKind;
use crate::domain::organization::Organization;
use crate::domain::time::parse_date;
use crate::domain::{Document, DocumentPayload};
use crate::i18n::Lang;

use super::did;

pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
pub const OB_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// The issuer's public profile (`GET /api/v1/issuers/{id}`): where the achievements it defines
/// are named from (`…#achievement-…`).
pub fn profile_url(public_url: &str, organization_id: &str) -> String {
    format!(
        "{}/api/v1/issuers/{organization_id}",
        public_url.trim_end_matches('/')
    )
}

/// The organization's status list (`GET /api/v1/issuers/{id}/status-list`).
pub fn status_list_url(public_url: &str, organization_id: &str) -> String {
    format!("{}/status-list", profile_url(public_url, organization_id))
}

/// The issuer as an Open Badges `Profile`: the name in `lang`, every name it has by language
/// (`nameByLanguage`, gramota's own member: the schema's `name` is one string), the city and the
/// website. No head's name, phone or e-mail: those are for the paper, not for machines. Its `id`
/// is the organization's DID (`did::did`), which names the keys it signs with.
pub fn issuer_profile(public_url: &str, organization: &Organization, lang: Lang) -> Value {
    let mut profile = Map::new();
    profile.insert("id".into(), did::did(public_url, &organization.slug).into());
    profile.insert("type".into(), json!(["Profile"]));
    profile.insert("name".into(), organization.name(lang).into());
    let names: Map<String, Value> = [
        ("kk", &organization.name_kk),
        ("ru", &organization.name_ru),
        ("en", &organization.name_en),
    ]
    .into_iter()
    .filter_map(|(code, name)| Some((code.to_string(), Value::from(name.clone()?))))
    .collect();
    if !names.is_empty() {
        profile.insert("nameByLanguage".into(), Value::Object(names));
    }
    let website = organization.website.as_deref().map(str::trim);
    if let Some(url) = website.filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
        profile.insert("url".into(), url.into());
    }
    if let Some(city) = organization.city.as_deref().filter(|c| !c.trim().is_empty()) {
        profile.insert(
            "address".into(),
            json!({"type": ["Address"], "addressLocality": city}),
        );
    }
    Value::Object(profile)
}

/// The organization as the issuer of a batch of credentials, made once for the batch: its DID,
/// its status list and its profile in each language, so each paper only adds what is its own.
pub struct Issuer {
    /// `did:web:…`: the credentials' `issuer.id` and `iss`, and the base of their `kid`.
    pub id: String,
    pub profile_url: String,
    pub status_list: String,
    /// The profile in each language, in `Lang::ALL`'s order.
    profiles: [Value; 3],
}

impl Issuer {
    pub fn new(public_url: &str, organization: &Organization) -> Issuer {
        Issuer {
            id: did::did(public_url, &organization.slug),
            profile_url: profile_url(public_url, &organization.id),
            status_list: status_list_url(public_url, &organization.id),
            profiles: Lang::ALL.map(|lang| issuer_profile(public_url, organization, lang)),
        }
    }

    fn profile(&self, lang: Lang) -> &Value {
        let at = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        &self.profiles[at]
    }
}

/// What of a paper its credential says, fixed when the paper is reserved: a reserved paper (not
/// yet in the database) and a stored one read the same.
#[derive(Clone, Copy)]
pub struct Paper<'a> {
    pub id: &'a str,
    pub competition_id: &'a str,
    pub serial: &'a str,
    pub payload: &'a DocumentPayload,
    /// RFC 3339: the credential's `validFrom`.
    pub issued_at: &'a str,
}

impl<'a> Paper<'a> {
    pub fn of(document: &'a Document) -> Paper<'a> {
        Paper {
            id: &document.id,
            competition_id: &document.competition_id,
            serial: document.payload.serial.as_str(),
            payload: &document.payload,
            issued_at: &document.issued_at,
        }
    }
}

/// What the credential of one paper is made of.
pub struct Facts<'a> {
    pub paper: Paper<'a>,
    pub issuer: &'a Issuer,
    /// The paper's place in its organization's status list.
    pub place: i64,
    pub verify_url: String,
}

/// The credential with its JWT claims (`iss`, `jti`, `sub`, `nbf`, `exp`) as Open Badges 3.0
/// §8.2 asks: the JWS payload as it is signed. The same facts give the same JSON, byte for byte
/// once written: nothing here reads a clock or draws a number, and the keys come in a fixed order.
pub fn credential(facts: &Facts<'_>) -> Value {
    let paper = facts.paper;
    let payload = paper.payload;
    let lang = payload.language;
    let kind = payload.kind();
    let issuer = facts.issuer.profile(lang).clone();
    let issuer_id = facts.issuer.id.clone();
    let list_url = &facts.issuer.status_list;
    let subject_id = subject_id(paper.id);
    let valid_from = OffsetDateTime::parse(paper.issued_at, &Rfc3339)
        .ok()
        .and_then(|t| t.replace_nanosecond(0).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let valid_until = payload
        .valid_until
        .as_deref()
        .and_then(parse_date)
        .and_then(|d| d.with_hms(23, 59, 59).ok())
        .map(|t| t.assume_utc());
    let title = achievement_title(payload);
    let words = Words::of(lang);

    let mut achievement = Map::new();
    achievement.insert(
        "id".into(),
        achievement_id(&facts.issuer.profile_url, paper.competition_id, payload).into(),
    );
    achievement.insert("type".into(), json!(["Achievement"]));
    achievement.insert("achievementType".into(), achievement_type(kind).into());
    achievement.insert("name".into(), title.clone().into());
    achievement.insert("description".into(), words.description(payload).into());
    achievement.insert("criteria".into(), json!({"narrative": words.criteria(payload)}));
    achievement.insert("inLanguage".into(), lang.code().into());
    if let Some(nomination) = payload.nomination.as_deref().filter(|n| !n.is_empty()) {
        achievement.insert("tag".into(), json!([nomination]));
    }

    let mut credential = Map::new();
    credential.insert("@context".into(), json!([VC_CONTEXT, OB_CONTEXT]));
    credential.insert("id".into(), facts.verify_url.clone().into());
    credential.insert(
        "type".into(),
        json!(["VerifiableCredential", "OpenBadgeCredential"]),
    );
    credential.insert("name".into(), title.into());
    credential.insert(
        "description".into(),
        words.serial_line(kind, paper.serial, &facts.verify_url).into(),
    );
    credential.insert("issuer".into(), issuer);
    credential.insert("validFrom".into(), timestamp(valid_from).into());
    if let Some(until) = valid_until {
        credential.insert("validUntil".into(), timestamp(until).into());
    }
    if parse_date(&payload.date).is_some() {
        credential.insert(
            "awardedDate".into(),
            format!("{}T00:00:00Z", payload.date.trim()).into(),
        );
    }
    credential.insert(
        "credentialSubject".into(),
        json!({
            "id": subject_id,
            "type": ["AchievementSubject"],
            "name": payload.holder,
            "identifier": [{
                "type": "IdentityObject",
                "hashed": false,
                "identityHash": payload.holder,
                "identityType": "name",
            }],
            "achievement": Value::Object(achievement),
        }),
    );
    credential.insert(
        "credentialStatus".into(),
        json!({
            "id": format!("{list_url}#{}", facts.place),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": facts.place.to_string(),
            "statusListCredential": list_url,
        }),
    );
    credential.insert(
        "credentialSchema".into(),
        json!([{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}]),
    );
    credential.insert("iss".into(), issuer_id.into());
    credential.insert("jti".into(), facts.verify_url.clone().into());
    credential.insert("sub".into(), subject_id.into());
    credential.insert("nbf".into(), valid_from.unix_timestamp().into());
    if let Some(until) = valid_until {
        credential.insert("exp".into(), until.unix_timestamp().into());
    }
    Value::Object(credential)
}

fn timestamp(moment: OffsetDateTime) -> String {
    moment.format(&Rfc3339).unwrap_or_default()
}

/// The holder has no identifier of their own here (no DID, and no e-mail may travel): an opaque
/// URN drawn from the document's id, the same for every download of the paper, that says nothing.
fn subject_id(document_id: &str) -> String {
    let digest = Sha256::digest(format!("gramota credential subject {document_id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format!("urn:uuid:{}", uuid::Builder::from_random_bytes(bytes).into_uuid())
}

/// One achievement for every paper of the same award, in the same nomination, of one competition:
/// a fragment of the issuer's profile address, so it leads to who defines it.
fn achievement_id(profile_url: &str, competition_id: &str, payload: &DocumentPayload) -> String {
    let what = format!(
        "{}\n{}\n{}\n{}",
        payload.award,
        payload.award_title,
        payload.nomination.as_deref().unwrap_or(""),
        payload.hours.map(|h| h.to_string()).unwrap_or_default()
    );
    let digest = data_encoding::HEXLOWER.encode(&Sha256::digest(what.as_bytes())[..8]);
    format!("{profile_url}#achievement-{competition_id}-{digest}")
}

fn achievement_type(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Diploma => "Award",
        DocumentKind::Certificate => "Certificate",
        DocumentKind::Letter => "Achievement",
        DocumentKind::Course => "CertificateOfCompletion",
    }
}

/// "Диплом I степени — «Жас зерттеуші»"; a letter or a course certificate by its kind.
fn achievement_title(payload: &DocumentPayload) -> String {
    let kind = payload.kind();
    let head = match kind {
        DocumentKind::Diploma | DocumentKind::Certificate if !payload.award_title.trim().is_empty() => {
            payload.award_title.clone()
        }
        _ => kind.title(payload.language).to_string(),
    };
    format!("{head} — {}", payload.competition)
}

/// The few sentences a credential says, in the paper's language.
struct Words {
    lang: Lang,
}

impl Words {
    fn of(lang: Lang) -> Words {
        Words { lang }
    }

    fn serial_line(&self, kind: DocumentKind, serial: &str, verify_url: &str) -> String {
        let kind = kind.title(self.lang);
        match self.lang {
            Lang::Kk => format!("{kind} № {serial}. Тексеру: {verify_url}"),
            Lang::Ru => format!("{kind} № {serial}. Проверка: {verify_url}"),
            Lang::En => format!("{kind} No. {serial}. Verify at {verify_url}"),
        }
    }

    fn description(&self, payload: &DocumentPayload) -> String {
        let mut text = self.criteria(payload);
        if let Some(nomination) = payload.nomination.as_deref().filter(|n| !n.is_empty()) {
            let label = match self.lang {
                Lang::Kk => "Номинация",
                Lang::Ru => "Номинация",
                Lang::En => "Nomination",
            };
            text.push_str(&format!(". {label}: {nomination}"));
        }
        text
    }

    fn criteria(&self, payload: &DocumentPayload) -> String {
        let event = quoted(&payload.competition);
        match (payload.kind(), self.lang) {
            (DocumentKind::Course, lang) => {
                let hours = payload.hours.unwrap_or(0);
                match lang {
                    Lang::Kk => {
                        format!("{event} курсы бойынша {hours} академиялық сағат көлемінде оқудан өтті")
                    }
                    Lang::Ru => {
                        format!("Прошёл(ла) обучение по курсу {event} в объёме {hours} академических часов")
                    }
                    Lang::En => format!("Has completed the course {event} ({hours} academic hours)"),
                }
            }
            (DocumentKind::Letter, Lang::Kk) => format!("{event} қатысушыларын дайындағаны үшін алғыс"),
            (DocumentKind::Letter, Lang::Ru) => format!("Благодарность за подготовку участников: {event}"),
            (DocumentKind::Letter, Lang::En) => {
                format!("Gratitude for preparing the participants of {event}")
            }
            (_, _) => format!("{}: {}", payload.award_title, payload.competition),
        }
    }
}

/// «Жас зерттеуші»: a title in guillemets, unless it has its own ("Конкурс «Жас зерттеуші»").
fn quoted(title: &str) -> String {
    let title = title.trim();
    if title.contains('«') {
        title.to_string()
    } else {
        format!("«{title}»")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_titles_are_quoted_once() {
        assert_eq!(quoted("Жас зерттеуші"), "«Жас зерттеуші»");
        assert_eq!(quoted(" Конкурс «Жас зерттеуші» "), "Конкурс «Жас зерттеуші»");
    }

    #[test]
    fn credentials_subject_id_is_stable_and_opaque() {
        let a = subject_id("0190-doc");
        assert_eq!(a, subject_id("0190-doc"));
        assert_ne!(a, subject_id("0190-other"));
        assert!(a.starts_with("urn:uuid:") && !a.contains("0190"));
    }
}
