//! Reminders to late jury members (issue 23 part 2): the organizer sees each judge's progress on
//! the review page and reminds the late ones — one, or all at once — by e-mail. A judge is late
//! while entries given to them wait for their score.
//!
//! The reminder is not sent from the request: it is a row of the account mail queue (the judge's
//! account, the judge, the language the person chose or else the competition's), sent by the mail
//! worker like a password reset, which counts the entries still left when the message leaves and
//! links the judge's own review page. A judge is reminded at most once in [`EVERY_HOURS`] hours
//! (the queue's newest row for the judge says when), so a double click or two organizers do not
//! flood a teacher's mailbox; a refused reminder says why and when the next one may go. Judges
//! made with a token only have no address: they are named, not mailed. Every reminder is in the
//! organization's audit log. One service function for the API and the pages.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::time::format_timestamp;
use crate::domain::{CompetitionId, OrgId};
use crate::i18n::{Lang, Message, ReminderMessage};
use crate::judging::{self, JudgeProgress, JudgingError};

/// The least time between two reminders to one judge.
pub const EVERY_HOURS: i64 = 12;

#[derive(Debug, thiserror::Error)]
pub enum ReminderError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Judging(#[from] JudgingError),
    #[error("not found")]
    NotFound,
    /// The one judge asked for cannot be reminded now; the message says why.
    #[error("refused: {0:?}")]
    Refused(Message),
    /// No mail transport is configured: nothing would ever leave.
    #[error("mail is off")]
    MailOff,
}

impl From<diesel::result::Error> for ReminderError {
    fn from(e: diesel::result::Error) -> Self {
        ReminderError::Db(DbError::Query(e))
    }
}

/// Whom to remind.
#[derive(Debug, Clone)]
pub enum Whom {
    /// This judge of the competition.
    Judge(String),
    /// Every judge with entries left who can be reminded now.
    AllLate,
}

/// A judge reminded now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reminded {
    pub judge_id: String,
    pub name: String,
    /// Entries given to the judge and not yet scored, when the reminder was queued.
    pub left: usize,
}

/// Why a late judge was not reminded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    NotLate,
    NoAddress,
    TooSoon,
}

/// A judge left out, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Skipped {
    pub judge_id: String,
    pub name: String,
    pub reason: Reason,
    /// For `too_soon`: when the next reminder may go (UTC).
    pub next_at: Option<String>,
}

impl Skipped {
    fn message(&self) -> Message {
        let judge = self.name.clone();
        Message::Reminder(match self.reason {
            Reason::NotLate => ReminderMessage::NotLate { judge },
            Reason::NoAddress => ReminderMessage::NoAddress { judge },
            Reason::TooSoon => ReminderMessage::TooSoon {
                judge,
                hours: EVERY_HOURS,
                next_at: self.next_at.clone().unwrap_or_default(),
            },
        })
    }
}

/// What asking did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Reminders {
    pub reminded: Vec<Reminded>,
    /// Late judges not reminded (asking for all); asking for one refuses instead.
    pub skipped: Vec<Skipped>,
}

/// The page where the judge scores: where the reminder sends them.
pub fn review_link(public_url: &str, judge_id: &str) -> String {
    format!("{}/app/jury/{judge_id}", public_url.trim_end_matches('/'))
}

/// When a reminder queued at `at` lets the next one go, as stored text.
fn next_after(at: &str) -> String {
    OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .map(|at| format_timestamp(at + Duration::hours(EVERY_HOURS)))
        .unwrap_or_else(|_| at.to_string())
}

/// Queues reminders to the late judges of the organization's competition (`whom`), at most one a
/// judge in [`EVERY_HOURS`] hours, each in the organization's audit log. Asking for one judge who
/// cannot be reminded now is refused with the reason; asking for all names who was left out.
/// `mail_on`: whether a mail transport is configured (without one nothing is queued).
pub fn remind(
    conn: &mut DbConnection,
    mail_on: bool,
    organization_id: &OrgId,
    actor: &Actor,
    competition_id: &CompetitionId,
    whom: Whom,
) -> Result<Reminders, ReminderError> {
    if !mail_on {
        return Err(ReminderError::MailOff);
    }
    write_transaction(conn, |conn| {
        let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
        // Two organizers clicking at once remind once: the second waits and sees the first's row.
        db::claims::lock_competition(conn, &competition.id)?;
        let board = judging::progress(conn, &competition.id)?;
        let chosen: Vec<&JudgeProgress> = match &whom {
            Whom::Judge(id) => vec![board
                .judges
                .iter()
                .find(|j| &j.judge_id == id)
                .ok_or(ReminderError::NotFound)?],
            Whom::AllLate => board.judges.iter().filter(|j| j.scored < j.assigned).collect(),
        };
        let accounts = db::reminders::judge_accounts(conn, &competition.id)?;
        let ids: Vec<String> = chosen.iter().map(|j| j.judge_id.clone()).collect();
        let last = db::account_mail::last_reminders(conn, &ids)?;
        let now = OffsetDateTime::now_utc();
        let (now_text, since) = (
            format_timestamp(now),
            format_timestamp(now - Duration::hours(EVERY_HOURS)),
        );
        let mut done = Reminders::default();
        for judge in chosen {
            let skip = |reason, next_at| Skipped {
                judge_id: judge.judge_id.clone(),
                name: judge.name.clone(),
                reason,
                next_at,
            };
            let left = judge.assigned.saturating_sub(judge.scored);
            if left == 0 {
                done.skipped.push(skip(Reason::NotLate, None));
                continue;
            }
            if let Some(at) = last
                .get(&judge.judge_id)
                .filter(|at| at.as_str() > since.as_str())
            {
                done.skipped.push(skip(Reason::TooSoon, Some(next_after(at))));
                continue;
            }
            let person = match accounts.get(&judge.judge_id) {
                Some(user_id) => {
                    db::accounts::find_in_organization(conn, &competition.organization_id, user_id).ok()
                }
                None => None,
            };
            let Some(person) = person.filter(|p| p.disabled_at.is_none()) else {
                done.skipped.push(skip(Reason::NoAddress, None));
                continue;
            };
            let language = person.language.unwrap_or(competition.details.language);
            db::account_mail::enqueue_reminder(conn, &judge.judge_id, &person.id, language, &now_text)?;
            let subject = format!("{} — «{}»: {left}", judge.name, competition.details.title);
            crate::audit::record(conn, organization_id, actor, AuditAction::JudgeReminded, &subject)?;
            done.reminded.push(Reminded {
                judge_id: judge.judge_id.clone(),
                name: judge.name.clone(),
                left,
            });
        }
        if let (Whom::Judge(_), Some(skipped)) = (&whom, done.skipped.first()) {
            return Err(ReminderError::Refused(skipped.message()));
        }
        Ok(done)
    })
}

/// What a reminder says when the worker sends it: the competition's title in the mail's language
/// and the entries the judge still has to score.
#[derive(Debug, Clone)]
pub struct Letter {
    pub competition: String,
    pub left: usize,
    pub total: usize,
}

/// The reminder's content for `judge_id` as things stand now; `None` when the judge is gone or
/// has meanwhile scored everything (then nothing is sent).
pub fn letter(conn: &mut DbConnection, judge_id: &str, lang: Lang) -> Result<Option<Letter>, ReminderError> {
    let Some(competition_id) = db::reminders::competition_of_judge(conn, judge_id)? else {
        return Ok(None);
    };
    let competition = db::competitions::find(conn, &competition_id)?;
    let board = judging::progress(conn, &competition_id)?;
    Ok(board
        .judges
        .iter()
        .find(|j| j.judge_id == judge_id)
        .map(|j| Letter {
            competition: competition.title_in(lang).to_string(),
            left: j.assigned.saturating_sub(j.scored),
            total: j.assigned,
        })
        .filter(|l| l.left > 0))
}
