//! Handing a message to the mail server, one SMTP transaction at a time on a kept connection, or
//! writing it to a folder. The transaction is driven step by step (lettre's `SmtpConnection`) so
//! the worker can record the last moment at which a crash certainly loses nothing: just before
//! the message's final dot.

use std::io::Write;
use std::path::PathBuf;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

use super::settings::{MailTransport, SmtpSecurity, SmtpSettings};

/// What became of one message.
#[derive(Debug)]
pub enum Outcome {
    /// The server took it (or the file is written).
    Sent,
    /// Worth trying again later: a 4xx answer, a refused or broken connection, a timeout.
    Transient(String),
    /// The server refused this message for good (a 5xx answer to it); its words are kept.
    Permanent(String),
    /// The worker's claim was taken over before the message was handed over; nothing was sent.
    ClaimLost,
    /// The connection broke after the message was handed over and before the server answered:
    /// it may have been taken. Not sent again on its own (see `OutboxState::Uncertain`).
    Uncertain(String),
}

/// Whether a failure was the server's, not this message's: the worker then pauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blame {
    Message,
    Server,
}

pub enum Sender {
    Smtp(Box<SmtpSender>),
    File(PathBuf),
}

impl Sender {
    pub fn new(transport: &MailTransport) -> Option<Sender> {
        match transport {
            MailTransport::Off => None,
            MailTransport::Smtp(settings) => Some(Sender::Smtp(Box::new(SmtpSender {
                settings: settings.clone(),
                connection: None,
            }))),
            MailTransport::File(dir) => Some(Sender::File(dir.clone())),
        }
    }

    /// Sends one message. `handing_over` is called right before the final dot; if it answers
    /// false the transaction is abandoned and nothing is sent.
    pub fn send(
        &mut self,
        file_name: &str,
        envelope: &Envelope,
        formatted: &[u8],
        handing_over: &mut dyn FnMut() -> bool,
    ) -> (Outcome, Blame) {
        match self {
            Sender::Smtp(smtp) => smtp.send(envelope, formatted, handing_over),
            Sender::File(dir) => {
                if !handing_over() {
                    return (Outcome::ClaimLost, Blame::Message);
                }
                match write_file(dir, file_name, formatted) {
                    Ok(()) => (Outcome::Sent, Blame::Message),
                    Err(e) => (
                        Outcome::Transient(format!("cannot write {}: {e}", dir.display())),
                        Blame::Server,
                    ),
                }
            }
        }
    }

    /// Closes an idle connection politely; the next message opens a new one.
    pub fn idle(&mut self) {
        if let Sender::Smtp(smtp) = self {
            if let Some(mut connection) = smtp.connection.take() {
                let _ = connection.quit();
            }
        }
    }
}

/// Written through a temporary file and a rename: a half-written message never shows, and a
/// message written twice replaces itself.
fn write_file(dir: &PathBuf, file_name: &str, formatted: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    temporary.write_all(formatted)?;
    temporary.persist(dir.join(file_name)).map_err(|e| e.error)?;
    Ok(())
}

pub struct SmtpSender {
    settings: SmtpSettings,
    connection: Option<SmtpConnection>,
}

impl SmtpSender {
    /// Connects, secures and logs in; any failure is the server's or the settings', as text.
    fn connect(&self) -> Result<SmtpConnection, String> {
        let s = &self.settings;
        let hello = s.helo_name.clone().map(ClientId::Domain).unwrap_or_default();
        let ca = match &s.ca_file {
            Some(path) => Some(
                std::fs::read(path)
                    .map_err(|e| format!("cannot read the CA file {}: {e}", path.display()))?,
            ),
            None => None,
        };
        let tls = || -> Result<TlsParameters, String> {
            let mut builder = TlsParameters::builder(s.host.clone());
            if let Some(pem) = &ca {
                builder =
                    builder.add_root_certificate(Certificate::from_pem(pem).map_err(|e| e.to_string())?);
            }
            builder.build_rustls().map_err(|e| e.to_string())
        };
        let implicit = match s.security {
            SmtpSecurity::Tls => Some(tls()?),
            SmtpSecurity::Starttls | SmtpSecurity::None => None,
        };
        let mut connection = SmtpConnection::connect(
            (s.host.as_str(), s.port),
            Some(s.timeout),
            &hello,
            implicit.as_ref(),
            None,
        )
        .map_err(|e| e.to_string())?;
        if s.security == SmtpSecurity::Starttls {
            connection.starttls(&tls()?, &hello).map_err(|e| e.to_string())?;
        }
        if let (Some(user), Some(password)) = (&s.username, &s.password) {
            connection
                .auth(
                    DEFAULT_MECHANISMS,
                    &Credentials::new(user.clone(), password.clone()),
                )
                .map_err(|e| e.to_string())?;
        }
        Ok(connection)
    }

    fn send(
        &mut self,
        envelope: &Envelope,
        formatted: &[u8],
        handing_over: &mut dyn FnMut() -> bool,
    ) -> (Outcome, Blame) {
        let mut connection = match self.connection.take() {
            Some(connection) if !connection.has_broken() => connection,
            _ => match self.connect() {
                Ok(connection) => connection,
                // Whatever the server said before MAIL FROM (a bad password included) is about
                // the server or our settings, never about this message: always try again later.
                Err(e) => return (Outcome::Transient(e), Blame::Server),
            },
        };
        let outcome = transaction(&mut connection, envelope, formatted, handing_over);
        let keep = match &outcome {
            (Outcome::Sent, _) => true,
            // Stopped after DATA, before the body: the server reads whatever comes next as part of
            // the message, so RSET or QUIT would wait for an answer that never comes. Closing the
            // socket without a word makes the server drop the half-received message.
            (Outcome::ClaimLost, _) => {
                drop(connection);
                return outcome;
            }
            // The transaction stopped half-way: reset it so the connection serves the next one.
            _ => connection.command(Rset).is_ok(),
        };
        if keep {
            self.connection = Some(connection);
        } else {
            connection.abort();
        }
        outcome
    }
}

/// A coded answer is about this message; a broken connection or a timeout is the server's.
fn failure(e: lettre::transport::smtp::Error) -> (Outcome, Blame) {
    if e.is_permanent() {
        (Outcome::Permanent(e.to_string()), Blame::Message)
    } else if e.is_transient() {
        (Outcome::Transient(e.to_string()), Blame::Message)
    } else {
        (Outcome::Transient(e.to_string()), Blame::Server)
    }
}

fn transaction(
    connection: &mut SmtpConnection,
    envelope: &Envelope,
    formatted: &[u8],
    handing_over: &mut dyn FnMut() -> bool,
) -> (Outcome, Blame) {
    let server = connection.server_info();
    let mut options = Vec::new();
    let non_ascii = envelope
        .to()
        .iter()
        .chain(envelope.from())
        .any(|address| !AsRef::<str>::as_ref(address).is_ascii());
    if non_ascii {
        if !server.supports_feature(Extension::SmtpUtfEight) {
            return (
                Outcome::Permanent("the address is not ASCII and the server does not take SMTPUTF8".into()),
                Blame::Message,
            );
        }
        options.push(MailParameter::SmtpUtfEight);
    }
    if !formatted.is_ascii() && server.supports_feature(Extension::EightBitMime) {
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    if let Err(e) = connection.command(Mail::new(envelope.from().cloned(), options)) {
        return failure(e);
    }
    for to in envelope.to() {
        if let Err(e) = connection.command(Rcpt::new(to.clone(), vec![])) {
            return failure(e);
        }
    }
    if let Err(e) = connection.command(Data) {
        return failure(e);
    }
    if !handing_over() {
        return (Outcome::ClaimLost, Blame::Message);
    }
    match connection.message(formatted) {
        Ok(_) => (Outcome::Sent, Blame::Message),
        Err(e) if e.is_permanent() || e.is_transient() => failure(e),
        Err(e) => (Outcome::Uncertain(e.to_string()), Blame::Server),
    }
}
