use serde::{Deserialize, Serialize};
use time::Date;

use crate::i18n::Lang;

/// Generates the text form of a closed set of values, stored as text and sent as JSON strings.
macro_rules! text_enum {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        /// In the API description: one of the texts.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

text_enum!(CompetitionKind {
    Competition = "competition",
    Olympiad = "olympiad",
    Festival = "festival",
    Seminar = "seminar",
    Webinar = "webinar",
    Course = "course",
});

text_enum!(Audience {
    Children = "children",
    Teachers = "teachers",
    Teams = "teams",
    Mixed = "mixed",
});

text_enum!(Direction {
    Technical = "technical",
    TourismLocalHistory = "tourism_local_history",
    PhysicalCultureSports = "physical_culture_sports",
    Arts = "arts",
    NaturalScience = "natural_science",
    SocialHumanitarian = "social_humanitarian",
});

text_enum!(Level {
    School = "school",
    District = "district",
    Regional = "regional",
    National = "national",
    International = "international",
});

text_enum!(CompetitionStatus {
    Draft = "draft",
    Issued = "issued",
});

impl CompetitionKind {
    /// A seminar or webinar: its papers are certificates of attending, for those who came.
    pub fn is_event(self) -> bool {
        matches!(self, CompetitionKind::Seminar | CompetitionKind::Webinar)
    }

    /// The event a certificate of attending names.
    pub fn paper_event(self) -> Option<super::PaperEvent> {
        match self {
            CompetitionKind::Seminar => Some(super::PaperEvent::Seminar),
            CompetitionKind::Webinar => Some(super::PaperEvent::Webinar),
            _ => None,
        }
    }
}

/// More academic hours than a year of full-time study is a typing mistake.
pub const MAX_HOURS: u32 = 2000;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Titles {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// A competition as the organizer describes it, checked.
#[derive(Debug, Clone)]
pub struct NewCompetition {
    pub title: String,
    pub titles: Titles,
    pub kind: CompetitionKind,
    /// Whom it is for: children, teachers, teams (school parliaments, newspapers) or mixed.
    pub audience: Option<Audience>,
    /// The department (отдел) of the organization that runs it.
    pub department: Option<String>,
    pub direction: Option<Direction>,
    pub level: Option<Level>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub city: Option<String>,
    pub language: Lang,
    pub design: String,
    /// Course certificates may expire; papers carry this date and verify as expired after it.
    pub valid_until: Option<Date>,
    /// The competition whose winners advance into this one.
    pub previous_stage: Option<String>,
    /// A course's academic hours, printed on its certificates unless a row gives its own.
    pub hours: Option<u32>,
    /// Whether an issue run also gives each supervisor a letter of gratitude (on unless turned off;
    /// only rows that name a supervisor make letters).
    pub letters: bool,
    /// Who signs this competition's papers instead of the organization's head; none: the head.
    pub signer: Signer,
}

/// Another signer than the organization's head, with a title printed in place of "Директор".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signer {
    pub name: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Competition {
    pub id: String,
    pub organization_id: String,
    pub details: NewCompetition,
    pub status: CompetitionStatus,
    pub created_at: String,
    /// When the organizer archived it: out of the active lists, its papers still verifiable.
    pub archived_at: Option<String>,
}

impl Competition {
    pub fn title_in(&self, lang: Lang) -> &str {
        let titles = &self.details.titles;
        let localized = match lang {
            Lang::Kk => &titles.kk,
            Lang::Ru => &titles.ru,
            Lang::En => &titles.en,
        };
        localized.as_deref().unwrap_or(&self.details.title)
    }
}
