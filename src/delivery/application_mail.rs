//! Mail to applicants: what happened to their application (received, returned with a remark,
//! accepted, rejected with the reason, or the new link they asked for), each with a private link
//! to their cabinet. Plain text in the language they applied in. Data in, a message out.

use lettre::Message;

use super::account_mail::plain_message;
use super::compose::{ComposeError, Composer};
use super::settings::MailSettings;
use crate::db::application_mail::ApplicationMail;

pub fn compose(
    composer: &Composer,
    settings: &MailSettings,
    mail: &ApplicationMail,
    competition: &str,
    link: &str,
) -> Result<Message, ComposeError> {
    let lang = mail.language;
    let kind = mail.kind.as_str();
    let fill = |text: String| {
        text.replace("{competition}", competition)
            .replace("{number}", &mail.number.to_string())
            .replace("{holder}", mail.holder.trim())
            .replace("{remark}", mail.remark.as_deref().unwrap_or_default())
            .replace("{link}", link)
    };
    let subject = fill(composer.text(lang, &format!("application_{kind}_subject")));
    let body = fill(composer.text(lang, &format!("application_{kind}_body")));
    plain_message(
        composer,
        settings,
        lang,
        (&mail.email, ""),
        format!("application-{}.{}", mail.id, mail.attempts),
        subject,
        &body,
    )
}
