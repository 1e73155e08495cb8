//! An outbox message and its documents → a MIME message: text and HTML alternatives in the
//! recipient's language, PDFs attached while they fit, download links for the rest. Data in, bytes
//! out; lettre does the RFC 2047 (names, subject) and RFC 2231 (file names) encoding.

use std::collections::HashMap;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{Address, Message};
use minijinja::{context, Environment};
use serde::Serialize;

use super::settings::MailSettings;
use crate::domain::outbox::{OutboxMessage, RecipientKind};
use crate::domain::Document;
use crate::i18n::Lang;
use crate::issuance::{bundle, verify_url};

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the recipient's address is not valid: {0}")]
    Address(String),
    #[error("the message has no documents")]
    Empty,
    #[error("cannot fill the message template: {0}")]
    Template(#[from] minijinja::Error),
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("cannot build the message: {0}")]
    ContentType(String),
    /// What the message was about no longer holds (a reminder to a judge who has since scored
    /// everything, or was removed): nothing to send.
    #[error("nothing to send any more: {0}")]
    Moot(&'static str),
}

/// A document the message carries, with its PDF.
pub struct Enclosure {
    pub document: Document,
    pub pdf: Vec<u8>,
    pub download_token: String,
}

pub struct Composer {
    env: Environment<'static>,
    texts: HashMap<String, HashMap<String, String>>,
}

#[derive(Serialize)]
struct Line {
    award_title: String,
    holder: String,
    serial: String,
    file_name: String,
    attached: bool,
    download_url: String,
    verify_url: String,
}

impl Composer {
    pub fn load() -> Result<Composer, String> {
        let mut env = Environment::new();
        for (name, source) in [
            ("message.txt", include_str!("../../templates/mail/message.txt")),
            ("message.html", include_str!("../../templates/mail/message.html")),
        ] {
            env.add_template(name, source).map_err(|e| e.to_string())?;
        }
        let texts: HashMap<String, HashMap<String, String>> =
            toml::from_str(include_str!("../../templates/i18n/mail.toml")).map_err(|e| e.to_string())?;
        for lang in Lang::ALL {
            if !texts.contains_key(lang.code()) {
                return Err(format!("mail.toml has no [{}] table", lang.code()));
            }
        }
        Ok(Composer { env, texts })
    }

    pub(super) fn text(&self, lang: Lang, key: &str) -> String {
        self.texts
            .get(lang.code())
            .and_then(|t| t.get(key))
            .cloned()
            .unwrap_or_default()
    }

    pub fn compose(
        &self,
        settings: &MailSettings,
        public_url: &str,
        message: &OutboxMessage,
        enclosures: &[Enclosure],
    ) -> Result<Message, ComposeError> {
        let first = enclosures.first().ok_or(ComposeError::Empty)?;
        let lang = message.language;
        let competition = &first.document.payload.competition;
        let issuer = &first.document.payload.issuer;
        let fill = |key: &str| {
            self.text(lang, key)
                .replace("{competition}", competition)
                .replace("{issuer}", issuer)
        };
        let (subject, intro) = match message.recipient_kind {
            RecipientKind::Holder => (fill("subject_holder"), fill("intro_holder")),
            RecipientKind::Supervisor => (fill("subject_supervisor"), fill("intro_supervisor")),
        };

        // Attach in order while the total fits; the rest go as links, so one large bundle for a
        // teacher with forty pupils does not bounce.
        let pdf_type =
            ContentType::parse("application/pdf").map_err(|e| ComposeError::ContentType(e.to_string()))?;
        let mut budget = settings.max_attachment_bytes;
        let mut attachments = Vec::new();
        let mut lines = Vec::new();
        for enclosure in enclosures {
            let file_name = bundle::file_name(&enclosure.document);
            let attached = enclosure.pdf.len() <= budget;
            if attached {
                budget -= enclosure.pdf.len();
                attachments
                    .push(Attachment::new(file_name.clone()).body(enclosure.pdf.clone(), pdf_type.clone()));
            }
            let payload = &enclosure.document.payload;
            lines.push(Line {
                award_title: payload.award_title.clone(),
                holder: payload.holder.clone(),
                serial: payload.serial.clone(),
                file_name,
                attached,
                download_url: download_url(public_url, &enclosure.download_token),
                verify_url: verify_url(public_url, &enclosure.document.code),
            });
        }
        let name = message.recipient_name.trim();
        let data = context! {
            lang => lang.code(),
            t => self.texts.get(lang.code()),
            name => name,
            subject => &subject,
            intro => &intro,
            issuer => issuer,
            documents => &lines,
        };
        let text = self.env.get_template("message.txt")?.render(&data)?;
        let html = self.env.get_template("message.html")?.render(&data)?;

        let address: Address = message
            .recipient_email
            .parse()
            .map_err(|_| ComposeError::Address(message.recipient_email.clone()))?;
        let to = Mailbox::new((!name.is_empty()).then(|| name.to_string()), address);
        let mut builder = Message::builder()
            .from(settings.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(message.message_id.clone()));
        if let Some(reply_to) = &settings.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        let mut body = MultiPart::mixed().multipart(MultiPart::alternative_plain_html(text, html));
        for attachment in attachments {
            body = body.singlepart(attachment);
        }
        Ok(builder.multipart(body)?)
    }
}

/// The link a message carries for a PDF too large to attach.
pub fn download_url(public_url: &str, token: &str) -> String {
    format!("{}/d/{token}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use mail_parser::MimeHeaders;

    use super::*;
    use crate::delivery::plan::tests::document;
    use crate::delivery::settings::MailSettings;
    use crate::domain::outbox::{OutboxDocument, OutboxState};

    fn message(kind: RecipientKind, name: &str) -> OutboxMessage {
        OutboxMessage {
            id: "m1".into(),
            organization_id: "o".into(),
            competition_id: "c".into(),
            recipient_kind: kind,
            recipient_name: name.into(),
            recipient_email: "aigerim@school.kz".into(),
            language: Lang::Kk,
            state: OutboxState::Sending,
            attempts: 1,
            next_attempt_at: String::new(),
            last_error: None,
            message_id: "<m1@daryn.kz>".into(),
            created_at: String::new(),
            sent_at: None,
            documents: vec![OutboxDocument {
                document_id: "1".into(),
                download_token: Some("tok".into()),
            }],
        }
    }

    fn settings(max_attachment_bytes: &str) -> MailSettings {
        let env: HashMap<String, String> = [
            (
                "GRAMOTA_MAIL_FROM",
                "Республиканский центр «Дарын» <noreply@daryn.kz>",
            ),
            ("GRAMOTA_MAIL_MAX_ATTACHMENT_BYTES", max_attachment_bytes),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        MailSettings::load(None, &env, Path::new("d")).unwrap()
    }

    #[test]
    fn cyrillic_names_survive_the_round_trip_through_mime() {
        let composer = Composer::load().unwrap();
        let pdf = b"%PDF-1.7 not really".to_vec();
        let enclosures = [Enclosure {
            document: document("1", "Сейтқали Айгерім"),
            pdf: pdf.clone(),
            download_token: "tok".into(),
        }];
        let email = composer
            .compose(
                &settings("1000"),
                "https://d.kz",
                &message(RecipientKind::Holder, "Сейтқали Айгерім"),
                &enclosures,
            )
            .unwrap();
        let raw = email.formatted();
        let head = &raw[..raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap()];
        assert!(head.is_ascii(), "{}", String::from_utf8_lossy(head));

        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let to = parsed.to().and_then(|a| a.first()).unwrap();
        assert_eq!(to.name(), Some("Сейтқали Айгерім"));
        let from = parsed.from().and_then(|a| a.first()).unwrap();
        assert_eq!(from.name(), Some("Республиканский центр «Дарын»"));
        assert_eq!(parsed.subject(), Some("Сіздің құжатыңыз: Жас зерттеуші"));
        assert_eq!(parsed.message_id(), Some("m1@daryn.kz"));
        let attachment = parsed.attachments().next().unwrap();
        assert_eq!(
            attachment.attachment_name(),
            Some("KZ-2026-000001_Сейтқали-Айгерім.pdf")
        );
        assert_eq!(attachment.contents(), pdf.as_slice());
        let text = parsed.body_text(0).unwrap();
        assert!(text.contains("Сәлеметсіз бе, Сейтқали Айгерім!"), "{text}");
        assert!(text.contains("https://d.kz/v/ABCDEFGHJKMNPQRS"), "{text}");
        assert!(parsed.body_html(0).unwrap().contains("<li>"));
    }

    #[test]
    fn a_paper_too_large_to_attach_becomes_a_link() {
        let composer = Composer::load().unwrap();
        let enclosures = [Enclosure {
            document: document("1", "Ким <Анна>"),
            pdf: vec![0; 2000],
            download_token: "tok".into(),
        }];
        let email = composer
            .compose(
                &settings("1000"),
                "https://d.kz",
                &message(RecipientKind::Supervisor, ""),
                &enclosures,
            )
            .unwrap();
        let raw = email.formatted();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.attachments().count(), 0);
        assert!(parsed.body_text(0).unwrap().contains("https://d.kz/d/tok"));
        let html = parsed.body_html(0).unwrap();
        assert!(html.contains("Ким &lt;Анна&gt;"), "escaped in HTML: {html}");
        assert_eq!(parsed.subject(), Some("Оқушыларыңыздың құжаттары: Жас зерттеуші"));
    }
}
