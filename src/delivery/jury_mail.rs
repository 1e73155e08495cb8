//! The reminder to a late jury member: how many entries wait for their score in which competition,
//! and the link to their review page. Plain text in the person's language, from the service's
//! sender, as account mail. Data in, a message out.

use lettre::Message;

use super::account_mail::plain_message;
use super::compose::{ComposeError, Composer};
use super::settings::MailSettings;
use crate::db::account_mail::AccountMail;
use crate::reminders::Letter;

pub fn compose(
    composer: &Composer,
    settings: &MailSettings,
    mail: &AccountMail,
    letter: &Letter,
    link: &str,
) -> Result<Message, ComposeError> {
    let lang = mail.language;
    let fill = |text: String| {
        text.replace("{name}", mail.name.trim())
            .replace("{competition}", &letter.competition)
            .replace("{left}", &letter.left.to_string())
            .replace("{total}", &letter.total.to_string())
            .replace("{link}", link)
    };
    plain_message(
        composer,
        settings,
        lang,
        (&mail.email, &mail.name),
        format!("reminder-{}.{}", mail.id, mail.attempts),
        fill(composer.text(lang, "jury_reminder_subject")),
        &fill(composer.text(lang, "jury_reminder_body")),
    )
}
