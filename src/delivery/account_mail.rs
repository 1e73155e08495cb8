//! Mail about an account rather than documents (a password reset link): plain text in the
//! person's language, from the service's configured sender. Data in, a message out.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{Address, Message};

use super::compose::{ComposeError, Composer};
use super::settings::MailSettings;
use crate::db::account_mail::{AccountMail, AccountMailKind};
use crate::password_reset::LINK_MINUTES;

/// The message for `mail`, carrying `link`.
pub fn compose(
    composer: &Composer,
    settings: &MailSettings,
    mail: &AccountMail,
    link: &str,
) -> Result<Message, ComposeError> {
    let lang = mail.language;
    let (subject, body) = match mail.kind {
        AccountMailKind::PasswordReset => (
            composer.text(lang, "reset_subject"),
            composer
                .text(lang, "reset_body")
                .replace("{name}", mail.name.trim())
                .replace("{minutes}", &LINK_MINUTES.to_string())
                .replace("{link}", link),
        ),
    };
    let footer = composer.text(lang, "footer");
    let address: Address = mail
        .email
        .parse()
        .map_err(|_| ComposeError::Address(mail.email.clone()))?;
    let name = mail.name.trim();
    let to = Mailbox::new((!name.is_empty()).then(|| name.to_string()), address);
    let mut builder = Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject(subject)
        .message_id(Some(format!(
            "<account-{}.{}@{}>",
            mail.id,
            mail.attempts,
            super::message_id_domain(settings)
        )))
        .header(ContentType::TEXT_PLAIN);
    if let Some(reply_to) = &settings.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    Ok(builder.body(format!("{body}\n\n-- \n{footer}\n"))?)
}
