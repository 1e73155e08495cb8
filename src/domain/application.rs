//! An application to take part in a competition, sent by a parent, a pupil or a teacher through
//! the competition's public form, and the form itself (the call): what it asks besides the
//! standard fields, which works it takes, until when.
//!
//! A submission is parsed here once, against the call, into an [`ApplicationForm`]: every field
//! checked, each refusal named by its field, so the page can show it next to the input and nothing
//! half-checked reaches the database.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::account::Email;
use super::entry::{HolderName, SettlementType};

/// Where an application stands; the organizer moves it, the applicant sees it in their cabinet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApplicationState {
    /// Sent, waiting for the organizer.
    Received,
    /// Sent back for correction with the organizer's remark; the applicant may change it.
    Returned,
    /// Taken: it is the competition's entry now.
    Accepted,
    /// Refused, with the reason.
    Rejected,
    /// An entry the organizer returned for revision after the jury's review, with the judges'
    /// remarks: the applicant sends the revised work, and the jury scores it in a new round.
    Revision,
}

impl ApplicationState {
    pub const ALL: [ApplicationState; 5] = [
        ApplicationState::Received,
        ApplicationState::Returned,
        ApplicationState::Accepted,
        ApplicationState::Rejected,
        ApplicationState::Revision,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationState::Received => "received",
            ApplicationState::Returned => "returned",
            ApplicationState::Accepted => "accepted",
            ApplicationState::Rejected => "rejected",
            ApplicationState::Revision => "revision",
        }
    }

    pub fn parse(text: &str) -> Option<ApplicationState> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The applicant may change what they sent: before the organizer decided, or when it was
    /// returned to them. (In a revision after review only the works change: see `revisable`.)
    pub fn correctable(self) -> bool {
        matches!(self, ApplicationState::Received | ApplicationState::Returned)
    }

    /// The applicant may send a revised work: the jury's review returned the entry to them.
    pub fn revisable(self) -> bool {
        self == ApplicationState::Revision
    }
}

/// What the organizer decides about an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Accept,
    /// Back to the applicant with what to correct.
    Return(String),
    /// Refused, with the reason the applicant reads.
    Reject(String),
}

/// The type of one of the organizer's own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Choice,
    Number,
    Date,
    File,
    Link,
}

impl FieldKind {
    pub const ALL: [FieldKind; 6] = [
        FieldKind::Text,
        FieldKind::Choice,
        FieldKind::Number,
        FieldKind::Date,
        FieldKind::File,
        FieldKind::Link,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Choice => "choice",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::File => "file",
            FieldKind::Link => "link",
        }
    }

    pub fn parse(text: &str) -> Option<FieldKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One of the organizer's own fields on the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FormField {
    /// f1, f2, …; given by the server to new fields (the field's name in the form and in the
    /// stored answers, never reused).
    #[serde(default)]
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// A choice's options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// The kinds of work files a call may take. A file's kind is read from its bytes, never from its
/// name: a renamed program is not a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    Image,
    Document,
    Video,
    Audio,
    Archive,
}

impl FileKind {
    pub const ALL: [FileKind; 6] = [
        FileKind::Pdf,
        FileKind::Image,
        FileKind::Document,
        FileKind::Video,
        FileKind::Audio,
        FileKind::Archive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Image => "image",
            FileKind::Document => "document",
            FileKind::Video => "video",
            FileKind::Audio => "audio",
            FileKind::Archive => "archive",
        }
    }

    pub fn parse(text: &str) -> Option<FileKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The kind of a media type as read from a file's first bytes.
    pub fn of_media_type(media_type: &str) -> Option<FileKind> {
        const DOCUMENTS: [&str; 9] = [
            "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.ms-powerpoint",
            "application/vnd.ms-excel",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.presentation",
            "application/rtf",
        ];
        match media_type {
            "application/pdf" => Some(FileKind::Pdf),
            "image/jpeg" | "image/png" | "image/gif" | "image/webp" | "image/heif" | "image/avif" => {
                Some(FileKind::Image)
            }
            t if DOCUMENTS.contains(&t) => Some(FileKind::Document),
            t if t.starts_with("video/") => Some(FileKind::Video),
            t if t.starts_with("audio/") => Some(FileKind::Audio),
            "application/zip" | "application/vnd.rar" | "application/x-7z-compressed" => {
                Some(FileKind::Archive)
            }
            _ => None,
        }
    }
}

/// A competition's announcement and application form, as the organizer set them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Call {
    /// The announcement is on the organization's public page and its link works.
    pub published: bool,
    pub summary: Option<String>,
    pub contacts: Option<String>,
    /// Applications are taken from (when given) and until (when given) these moments, with the
    /// organizer's own UTC offset kept ("2026-12-20T23:59:00+05:00").
    #[serde(with = "time::serde::rfc3339::option", default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub opens_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    /// RFC 3339 with the organizer's offset, e.g. 2026-12-20T23:59:00+05:00; the form closes by itself
    #[schema(value_type = Option<String>, format = DateTime)]
    pub deadline: Option<OffsetDateTime>,
    #[serde(default)]
    pub nominations: Vec<String>,
    #[serde(default)]
    pub age_groups: Vec<String>,
    #[serde(default)]
    pub fields: Vec<FormField>,
    /// The largest team, leader included; 0 takes individual applications only.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100)]
    pub team_max: u32,
    /// How many work files one application may carry, and how large each may be.
    #[serde(default = "default_files_max")]
    #[schema(minimum = 0, maximum = 10)]
    pub files_max: u32,
    #[serde(default = "default_file_mb")]
    #[schema(minimum = 1, maximum = 200)]
    pub file_mb: u32,
    #[serde(default = "default_file_kinds")]
    pub file_kinds: Vec<FileKind>,
    /// The competition's rules (положение) were uploaded as a PDF.
    #[serde(default)]
    #[schema(read_only)]
    pub has_rules: bool,
    /// The awards are on the public page.
    #[serde(default)]
    pub results_published: bool,
}

fn default_files_max() -> u32 {
    1
}
fn default_file_mb() -> u32 {
    10
}
fn default_file_kinds() -> Vec<FileKind> {
    vec![FileKind::Pdf, FileKind::Image]
}

/// The largest file a call may allow, and the most files: an upload stays a work, not an archive
/// of a school's year.
pub const MAX_FILE_MB: u32 = 200;
pub const MAX_FILES: u32 = 10;
pub const MAX_TEAM: u32 = 100;
pub const MAX_FIELDS: usize = 30;

impl Default for Call {
    fn default() -> Call {
        Call {
            published: false,
            summary: None,
            contacts: None,
            opens_at: None,
            deadline: None,
            nominations: Vec::new(),
            age_groups: Vec::new(),
            fields: Vec::new(),
            team_max: 0,
            files_max: default_files_max(),
            file_mb: default_file_mb(),
            file_kinds: default_file_kinds(),
            has_rules: false,
            results_published: false,
        }
    }
}

/// Why a call does not take applications now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    NotPublished,
    NotYetOpen,
    PastDeadline,
}

impl Call {
    /// Whether the form takes an application at `now`: closing at the deadline needs no one.
    pub fn open_at(&self, now: OffsetDateTime) -> Result<(), Closed> {
        if !self.published {
            return Err(Closed::NotPublished);
        }
        if self.opens_at.is_some_and(|at| now < at) {
            return Err(Closed::NotYetOpen);
        }
        if self.deadline.is_some_and(|at| now > at) {
            return Err(Closed::PastDeadline);
        }
        Ok(())
    }

    /// The largest upload one application may make: every file at its largest, plus the form.
    pub fn upload_limit(&self) -> u64 {
        u64::from(self.files_max.max(1)) * u64::from(self.file_mb) * 1024 * 1024 + 256 * 1024
    }

    pub fn file_limit(&self) -> u64 {
        u64::from(self.file_mb) * 1024 * 1024
    }

    /// The work fields: the organizer's file fields, or one standard «work» field when they made
    /// none and files are taken.
    pub fn file_fields(&self) -> Vec<FormField> {
        let own: Vec<FormField> = self
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::File)
            .cloned()
            .collect();
        if !own.is_empty() || self.files_max == 0 {
            return own;
        }
        vec![FormField {
            key: WORK_FIELD.into(),
            label: String::new(),
            kind: FieldKind::File,
            required: false,
            options: Vec::new(),
        }]
    }

    /// Whether `key` names a field that takes files.
    pub fn takes_files_in(&self, key: &str) -> bool {
        self.file_fields().iter().any(|f| f.key == key)
    }
}

/// The standard work field's name when the organizer made no file field of their own.
pub const WORK_FIELD: &str = "work";

pub fn format_moment(moment: OffsetDateTime) -> String {
    moment
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

pub fn parse_moment(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).ok()
}

/// One refusal of a submitted form, by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    NotEmail,
    NotNumber,
    NotDate,
    NotLink,
    NotAnOption,
    TooLong(usize),
    TeamTooLarge(u32),
    /// A minor's application needs the guardian's consent to the processing of personal data.
    ConsentNeeded,
    /// The consent is everyone's, not only a minor's guardian's.
    Consent,
}

/// A submission, checked against its call.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationForm {
    pub holder: HolderName,
    pub team_members: Vec<String>,
    pub school: Option<String>,
    pub region: Option<String>,
    pub settlement_type: Option<SettlementType>,
    pub age_group: Option<String>,
    pub nomination: Option<String>,
    pub supervisor: Option<String>,
    pub supervisor_email: Option<Email>,
    pub email: Email,
    pub phone: Option<String>,
    pub minor: bool,
    pub guardian_name: Option<String>,
    /// The organizer's own fields but files, key → value.
    pub answers: BTreeMap<String, String>,
}

const MAX_TEXT: usize = 500;
const MAX_LONG_TEXT: usize = 4000;

/// A form's fields as sent, name → value (several values for team members).
pub type Submitted = Vec<(String, String)>;

fn value<'a>(sent: &'a Submitted, name: &str) -> Option<&'a str> {
    sent.iter()
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

impl ApplicationForm {
    /// Checks a submission against the call: every problem, by field, or the form.
    pub fn parse(sent: &Submitted, call: &Call) -> Result<ApplicationForm, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, problem: Problem| {
            problems.push(FieldProblem {
                field: field.into(),
                problem,
            })
        };
        let mut text = |name: &str, required: bool, max: usize| -> Option<String> {
            match value(sent, name) {
                None if required => {
                    problem(name, Problem::Required);
                    None
                }
                None => None,
                Some(v) if v.chars().count() > max => {
                    problem(name, Problem::TooLong(max));
                    None
                }
                Some(v) => Some(crate::domain::entry::normalize_text(v)),
            }
        };
        let holder = text("holder", true, MAX_TEXT);
        let school = text("school", true, MAX_TEXT);
        let region = text("region", false, MAX_TEXT);
        let settlement = text("settlement_type", false, 20);
        let supervisor = text("supervisor", false, MAX_TEXT);
        let phone = text("phone", false, 40);
        let guardian_name = text("guardian_name", false, MAX_TEXT);
        let age_group = text("age_group", !call.age_groups.is_empty(), MAX_TEXT);
        let nomination = text("nomination", !call.nominations.is_empty(), MAX_TEXT);
        let email_text = text("email", true, 254);
        let supervisor_email_text = text("supervisor_email", false, 254);
        let mut team_members = Vec::new();
        if call.team_max > 0 {
            for (k, v) in sent {
                if k == "member" && !v.trim().is_empty() {
                    if v.chars().count() > MAX_TEXT {
                        problem("member", Problem::TooLong(MAX_TEXT));
                    } else {
                        team_members.push(crate::domain::entry::normalize_text(v));
                    }
                }
            }
            if team_members.len() > call.team_max as usize {
                problem("member", Problem::TeamTooLarge(call.team_max));
            }
        }
        let choose = |v: Option<String>, options: &[String], field: &str| match v {
            Some(v) if !options.is_empty() && !options.contains(&v) => Err(FieldProblem {
                field: field.into(),
                problem: Problem::NotAnOption,
            }),
            v => Ok(v),
        };
        let age_group = match choose(age_group, &call.age_groups, "age_group") {
            Ok(v) => v,
            Err(p) => {
                problems.push(p);
                None
            }
        };
        let nomination = match choose(nomination, &call.nominations, "nomination") {
            Ok(v) => v,
            Err(p) => {
                problems.push(p);
                None
            }
        };
        let email = email_text.as_deref().and_then(|t| {
            let parsed = Email::parse(t);
            if parsed.is_none() {
                problems.push(FieldProblem {
                    field: "email".into(),
                    problem: Problem::NotEmail,
                });
            }
            parsed
        });
        let supervisor_email = supervisor_email_text.as_deref().and_then(|t| {
            let parsed = Email::parse(t);
            if parsed.is_none() {
                problems.push(FieldProblem {
                    field: "supervisor_email".into(),
                    problem: Problem::NotEmail,
                });
            }
            parsed
        });
        let minor = value(sent, "minor").is_some();
        let consented = value(sent, "consent").is_some();
        if !consented {
            problems.push(FieldProblem {
                field: "consent".into(),
                problem: if minor {
                    Problem::ConsentNeeded
                } else {
                    Problem::Consent
                },
            });
        }
        if minor && guardian_name.is_none() {
            problems.push(FieldProblem {
                field: "guardian_name".into(),
                problem: Problem::Required,
            });
        }
        let mut answers = BTreeMap::new();
        for field in call.fields.iter().filter(|f| f.kind != FieldKind::File) {
            let Some(v) = value(sent, &field.key) else {
                if field.required {
                    problems.push(FieldProblem {
                        field: field.key.clone(),
                        problem: Problem::Required,
                    });
                }
                continue;
            };
            let checked = match field.kind {
                FieldKind::Text if v.chars().count() > MAX_LONG_TEXT => Err(Problem::TooLong(MAX_LONG_TEXT)),
                FieldKind::Text => Ok(v.to_string()),
                FieldKind::Choice if field.options.iter().any(|o| o == v) => Ok(v.to_string()),
                FieldKind::Choice => Err(Problem::NotAnOption),
                FieldKind::Number => v
                    .replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .map(|_| v.to_string())
                    .ok_or(Problem::NotNumber),
                FieldKind::Date => crate::domain::time::parse_date(v)
                    .map(crate::domain::time::format_date)
                    .ok_or(Problem::NotDate),
                FieldKind::Link => is_link(v).then(|| v.to_string()).ok_or(Problem::NotLink),
                FieldKind::File => continue,
            };
            match checked {
                Ok(v) => {
                    answers.insert(field.key.clone(), v);
                }
                Err(p) => problems.push(FieldProblem {
                    field: field.key.clone(),
                    problem: p,
                }),
            }
        }
        let settlement_type = settlement.as_deref().and_then(SettlementType::parse);
        match (holder.as_deref().and_then(HolderName::parse), email) {
            (Some(holder), Some(email)) if problems.is_empty() => Ok(ApplicationForm {
                holder,
                team_members,
                school,
                region,
                settlement_type,
                age_group,
                nomination,
                supervisor,
                supervisor_email,
                email,
                phone,
                minor,
                guardian_name,
                answers,
            }),
            _ => Err(problems),
        }
    }
}

/// An http(s) address with a host: a link to a video or a page, never `javascript:`.
pub fn is_link(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        host.contains('.') && !text.chars().any(char::is_whitespace) && text.len() <= 2000
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(pairs: &[(&str, &str)]) -> Submitted {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn call() -> Call {
        Call {
            published: true,
            nominations: vec!["Вокал".into(), "Хореография".into()],
            team_max: 3,
            fields: vec![
                FormField {
                    key: "f1".into(),
                    label: "Класс".into(),
                    kind: FieldKind::Number,
                    required: true,
                    options: vec![],
                },
                FormField {
                    key: "f2".into(),
                    label: "Видео".into(),
                    kind: FieldKind::Link,
                    required: false,
                    options: vec![],
                },
            ],
            ..Call::default()
        }
    }

    #[test]
    fn a_whole_application_is_taken_and_its_team_kept_in_order() {
        let form = ApplicationForm::parse(
            &sent(&[
                ("holder", "  Сейтқали   Айгерім "),
                ("school", "№ 12 мектеп-гимназия"),
                ("nomination", "Вокал"),
                ("email", "Parent@Mail.KZ"),
                ("member", "Әли"),
                ("member", "Болат"),
                ("f1", "7"),
                ("f2", "https://youtu.be/x"),
                ("minor", "on"),
                ("guardian_name", "Сейтқали Нұрлан"),
                ("consent", "on"),
            ]),
            &call(),
        )
        .unwrap();
        assert_eq!(form.holder.as_str(), "Сейтқали Айгерім");
        assert_eq!(form.email.as_str(), "parent@mail.kz");
        assert_eq!(form.team_members, ["Әли", "Болат"]);
        assert_eq!(form.answers["f1"], "7");
        assert!(form.minor);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let problems = ApplicationForm::parse(
            &sent(&[
                ("holder", "Айгерім"),
                ("nomination", "Опера"),
                ("email", "not an address"),
                ("member", "1"),
                ("member", "2"),
                ("member", "3"),
                ("member", "4"),
                ("f1", "seven"),
                ("f2", "javascript:alert(1)"),
                ("minor", "on"),
            ]),
            &call(),
        )
        .unwrap_err();
        let by_field: Vec<(&str, &Problem)> =
            problems.iter().map(|p| (p.field.as_str(), &p.problem)).collect();
        for expected in [
            ("school", &Problem::Required),
            ("nomination", &Problem::NotAnOption),
            ("email", &Problem::NotEmail),
            ("member", &Problem::TeamTooLarge(3)),
            ("f1", &Problem::NotNumber),
            ("f2", &Problem::NotLink),
            ("consent", &Problem::ConsentNeeded),
            ("guardian_name", &Problem::Required),
        ] {
            assert!(by_field.contains(&expected), "{expected:?} in {by_field:?}");
        }
    }

    #[test]
    fn the_form_closes_by_itself_at_the_deadline() {
        let mut call = call();
        let deadline = parse_moment("2026-12-20T23:59:00+05:00").unwrap();
        call.deadline = Some(deadline);
        assert_eq!(call.open_at(deadline), Ok(()));
        assert_eq!(
            call.open_at(deadline + time::Duration::seconds(1)),
            Err(Closed::PastDeadline)
        );
        call.published = false;
        assert_eq!(call.open_at(deadline), Err(Closed::NotPublished));
    }

    #[test]
    fn file_kinds_come_from_media_types_read_from_bytes() {
        assert_eq!(FileKind::of_media_type("application/pdf"), Some(FileKind::Pdf));
        assert_eq!(FileKind::of_media_type("video/mp4"), Some(FileKind::Video));
        assert_eq!(FileKind::of_media_type("application/x-executable"), None);
    }
}
