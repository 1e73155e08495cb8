//! Mail about an account rather than documents (a password reset link): plain text in the
//! person's language, from the service's configured sender. Data in, a message out.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{Address, Message};

use super::compose::{ComposeError, Composer};
use super::settings::MailSettings;
use crate::db::account_mail::AccountMail;
use crate::password_reset::LINK_MINUTES;

/// The password reset message for `mail`, carrying `link` (a reminder to a judge is
/// `super::jury_mail`'s).
pub fn compose(
    composer: &Composer,
    settings: &MailSettings,
    mail: &AccountMail,
    link: &str,
) -> Result<Message, ComposeError> {
    let lang = mail.language;
    let subject = composer.text(lang, "reset_subject");
    let body = composer
        .text(lang, "reset_body")
        .replace("{name}", mail.name.trim())
        .replace("{minutes}", &LINK_MINUTES.to_string())
        .replace("{link}", link);
    plain_message(
        composer,
        settings,
        lang,
        (&mail.email, &mail.name),
        format!("account-{}.{}", mail.id, mail.attempts),
        subject,
        &body,
    )
}

/// A plain-text message in the person's language to `to` (address, name), from the service's
/// sender, with the footer every automatic message carries: account mail and mail to applicants.
pub fn plain_message(
    composer: &Composer,
    settings: &MailSettings,
    lang: crate::i18n::Lang,
    to: (&str, &str),
    message_id: String,
    subject: String,
    body: &str,
) -> Result<Message, ComposeError> {
    let footer = composer.text(lang, "footer");
    let (email, name) = to;
    let address: Address = email
        .parse()
        .map_err(|_| ComposeError::Address(email.to_string()))?;
    let name = name.trim();
    let to = Mailbox::new((!name.is_empty()).then(|| name.to_string()), address);
    let mut builder = Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject(subject)
        .message_id(Some(format!(
            "<{message_id}@{}>",
            super::message_id_domain(settings)
        )))
        .header(ContentType::TEXT_PLAIN);
    if let Some(reply_to) = &settings.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    Ok(builder.body(format!("{body}\n\n-- \n{footer}\n"))?)
}
