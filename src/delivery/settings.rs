//! How mail leaves: SMTP (STARTTLS, implicit TLS or plain, with or without login), a folder of
//! `.eml` files for development, or not at all. Part of `Settings`, from `[mail]` in gramota.toml
//! and `GRAMOTA_MAIL_*` / `GRAMOTA_SMTP_*` in the environment.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::Mailbox;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// The sender, e.g. `Дворец школьников <noreply@dvorets.kz>`.
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    /// Messages per minute the worker hands to the server; 0 means no limit.
    pub per_minute: u32,
    /// Transient failures (4xx, connection refused) are retried this many times in all.
    pub max_attempts: u32,
    /// The wait before the first retry; each further retry waits twice as long.
    pub retry_after: Duration,
    /// How long a claimed message is the claiming worker's; after that another worker (or the
    /// restarted service) decides what became of it.
    pub lease: Duration,
    /// PDFs are attached while the message's attachments stay under this; the rest are links.
    pub max_attachment_bytes: usize,
}

#[derive(Debug, Clone)]
pub enum MailTransport {
    /// Nothing is sent; queuing is refused with a clear answer.
    Off,
    Smtp(SmtpSettings),
    /// Each message becomes `DIR/<outbox id>.eml`.
    File(PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS; refused if the server does not offer it.
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

impl SmtpSecurity {
    fn parse(text: &str) -> Option<SmtpSecurity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "starttls" => Some(SmtpSecurity::Starttls),
            "tls" | "ssl" | "implicit" => Some(SmtpSecurity::Tls),
            "none" | "plain" => Some(SmtpSecurity::None),
            _ => None,
        }
    }

    fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        }
    }
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The name given in EHLO; the machine's host name when not set.
    pub helo_name: Option<String>,
    /// For connecting and for each answer the server owes.
    pub timeout: Duration,
    /// A PEM certificate to trust besides the public roots: a relay with the organization's own CA.
    pub ca_file: Option<PathBuf>,
}

/// The password never reaches a log line.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("helo_name", &self.helo_name)
            .field("timeout", &self.timeout)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// `[mail]` in gramota.toml; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMailSettings {
    transport: Option<String>,
    from: Option<String>,
    reply_to: Option<String>,
    per_minute: Option<u32>,
    max_attempts: Option<u32>,
    retry_seconds: Option<u64>,
    lease_seconds: Option<u64>,
    max_attachment_bytes: Option<usize>,
    dir: Option<PathBuf>,
    smtp: Option<FileSmtpSettings>,
}

/// `[mail.smtp]` in gramota.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSmtpSettings {
    host: Option<String>,
    port: Option<u16>,
    security: Option<String>,
    username: Option<String>,
    password: Option<String>,
    helo_name: Option<String>,
    timeout_seconds: Option<u64>,
    ca_file: Option<PathBuf>,
}

/// A mail setting that cannot be used. Its own type, so the settings of delivery do not depend on
/// the crate's config module, which includes them (`config::ConfigError::Mail` wraps it).
#[derive(Debug, thiserror::Error)]
pub enum MailSettingsError {
    #[error("{name} must be {expected}, not \"{value}\"")]
    Env {
        name: &'static str,
        expected: &'static str,
        value: String,
    },
}

fn invalid(name: &'static str, expected: &'static str, value: &str) -> MailSettingsError {
    MailSettingsError::Env {
        name,
        expected,
        value: value.to_string(),
    }
}

impl MailSettings {
    pub fn load(
        file: Option<FileMailSettings>,
        env: &HashMap<String, String>,
        data_dir: &Path,
    ) -> Result<MailSettings, MailSettingsError> {
        let file = file.unwrap_or_default();
        let smtp_file = file.smtp.unwrap_or_default();
        let text = |name: &str| env.get(name).filter(|v| !v.is_empty()).cloned();
        let number = |name: &'static str| -> Result<Option<u64>, MailSettingsError> {
            text(name)
                .map(|v| {
                    v.trim()
                        .parse::<u64>()
                        .map_err(|_| invalid(name, "a whole number", &v))
                })
                .transpose()
        };

        let host = text("GRAMOTA_SMTP_HOST").or(smtp_file.host);
        let transport_name = text("GRAMOTA_MAIL_TRANSPORT")
            .or(file.transport)
            .unwrap_or_else(|| if host.is_some() { "smtp" } else { "off" }.into());
        let transport = match transport_name.trim().to_ascii_lowercase().as_str() {
            "off" | "none" => MailTransport::Off,
            "file" => MailTransport::File(
                text("GRAMOTA_MAIL_DIR")
                    .map(PathBuf::from)
                    .or(file.dir)
                    .unwrap_or_else(|| data_dir.join("mail")),
            ),
            "smtp" => {
                let Some(host) = host else {
                    return Err(invalid(
                        "GRAMOTA_SMTP_HOST",
                        "the mail server's host name when the transport is smtp",
                        "",
                    ));
                };
                let security = match text("GRAMOTA_SMTP_SECURITY").or(smtp_file.security) {
                    Some(value) => SmtpSecurity::parse(&value)
                        .ok_or_else(|| invalid("GRAMOTA_SMTP_SECURITY", "starttls, tls or none", &value))?,
                    None => SmtpSecurity::Starttls,
                };
                let port = match number("GRAMOTA_SMTP_PORT")? {
                    Some(port) => u16::try_from(port)
                        .map_err(|_| invalid("GRAMOTA_SMTP_PORT", "a port number", &port.to_string()))?,
                    None => smtp_file.port.unwrap_or(security.default_port()),
                };
                MailTransport::Smtp(SmtpSettings {
                    host,
                    port,
                    security,
                    username: text("GRAMOTA_SMTP_USERNAME").or(smtp_file.username),
                    password: text("GRAMOTA_SMTP_PASSWORD").or(smtp_file.password),
                    helo_name: text("GRAMOTA_SMTP_HELO_NAME").or(smtp_file.helo_name),
                    timeout: Duration::from_secs(
                        number("GRAMOTA_SMTP_TIMEOUT_SECONDS")?
                            .or(smtp_file.timeout_seconds)
                            .unwrap_or(30),
                    ),
                    ca_file: text("GRAMOTA_SMTP_CA_FILE")
                        .map(PathBuf::from)
                        .or(smtp_file.ca_file),
                })
            }
            _ => {
                return Err(invalid(
                    "GRAMOTA_MAIL_TRANSPORT",
                    "smtp, file or off",
                    &transport_name,
                ))
            }
        };
        let mailbox = |name: &'static str, value: String| -> Result<Mailbox, MailSettingsError> {
            value
                .parse::<Mailbox>()
                .map_err(|_| invalid(name, "an address such as \"Name <noreply@example.kz>\"", &value))
        };
        let from = mailbox(
            "GRAMOTA_MAIL_FROM",
            text("GRAMOTA_MAIL_FROM")
                .or(file.from)
                .unwrap_or_else(|| "gramota <gramota@localhost>".into()),
        )?;
        let reply_to = text("GRAMOTA_MAIL_REPLY_TO")
            .or(file.reply_to)
            .map(|value| mailbox("GRAMOTA_MAIL_REPLY_TO", value))
            .transpose()?;
        Ok(MailSettings {
            transport,
            from,
            reply_to,
            per_minute: number("GRAMOTA_MAIL_PER_MINUTE")?
                .map(|n| n as u32)
                .or(file.per_minute)
                .unwrap_or(60),
            max_attempts: number("GRAMOTA_MAIL_MAX_ATTEMPTS")?
                .map(|n| n as u32)
                .or(file.max_attempts)
                .unwrap_or(8)
                .max(1),
            retry_after: Duration::from_secs(
                number("GRAMOTA_MAIL_RETRY_SECONDS")?
                    .or(file.retry_seconds)
                    .unwrap_or(60)
                    .max(1),
            ),
            lease: Duration::from_secs(
                number("GRAMOTA_MAIL_LEASE_SECONDS")?
                    .or(file.lease_seconds)
                    .unwrap_or(600)
                    .max(1),
            ),
            max_attachment_bytes: number("GRAMOTA_MAIL_MAX_ATTACHMENT_BYTES")?
                .map(|n| n as usize)
                .or(file.max_attachment_bytes)
                .unwrap_or(10 * 1024 * 1024),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn off_unless_a_server_or_a_folder_is_named() {
        let none = MailSettings::load(None, &env(&[]), Path::new("d")).unwrap();
        assert!(matches!(none.transport, MailTransport::Off));

        let smtp = MailSettings::load(
            None,
            &env(&[
                ("GRAMOTA_SMTP_HOST", "smtp.mail.kz"),
                ("GRAMOTA_SMTP_SECURITY", "tls"),
                ("GRAMOTA_SMTP_PASSWORD", "secret"),
                ("GRAMOTA_MAIL_FROM", "Дворец школьников <noreply@dvorets.kz>"),
            ]),
            Path::new("d"),
        )
        .unwrap();
        let MailTransport::Smtp(server) = &smtp.transport else {
            panic!("smtp expected")
        };
        assert_eq!((server.port, server.security), (465, SmtpSecurity::Tls));
        assert!(!format!("{server:?}").contains("secret"));
        assert_eq!(smtp.from.name.as_deref(), Some("Дворец школьников"));

        let file: FileMailSettings = toml::from_str("transport = \"file\"\n[smtp]\nport = 2525\n").unwrap();
        let folder = MailSettings::load(Some(file), &env(&[]), Path::new("d")).unwrap();
        assert!(matches!(folder.transport, MailTransport::File(dir) if dir == Path::new("d/mail")));
    }

    #[test]
    fn bad_values_are_named() {
        for (name, value) in [
            ("GRAMOTA_SMTP_SECURITY", "maybe"),
            ("GRAMOTA_MAIL_FROM", "not an address"),
            ("GRAMOTA_MAIL_TRANSPORT", "pigeon"),
        ] {
            let err = MailSettings::load(
                None,
                &env(&[("GRAMOTA_SMTP_HOST", "h"), (name, value)]),
                Path::new("d"),
            )
            .unwrap_err();
            assert!(err.to_string().contains(name), "{err}");
        }
    }
}
