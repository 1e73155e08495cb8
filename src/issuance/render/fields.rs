//! Placeholders in a design's texts: `{holder}` takes the paper's data, `{title}` a word in the
//! paper's language, `{title@ru}` the same word in a fixed language (for bilingual designs),
//! `{custom.Класс}` the results file's own column "Класс".

use std::borrow::Cow;

use super::words::Words;
use crate::domain::award::DocumentKind;
use crate::domain::{Award, DocumentPayload};
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Holder,
    Award,
    AwardLine,
    Title,
    LeadIn,
    ForCompetition,
    Competition,
    CompetitionQuoted,
    Nomination,
    AgeGroup,
    Supervisor,
    School,
    Region,
    Place,
    Team,
    Issuer,
    City,
    Date,
    CityDate,
    ValidUntil,
    Serial,
    Code,
    Url,
    LabelNomination,
    LabelAgeGroup,
    LabelSupervisor,
    LabelDirector,
    LabelVerify,
    Pupils,
    Hours,
    HoursLine,
    LabelPupils,
    Signer,
    /// A team member's own paper: «в составе команды «…»»; nothing on any other paper.
    TeamOf,
}

const NAMES: [(&str, Field); 34] = [
    ("holder", Field::Holder),
    ("award", Field::Award),
    ("award_line", Field::AwardLine),
    ("title", Field::Title),
    ("lead_in", Field::LeadIn),
    ("for_competition", Field::ForCompetition),
    ("competition", Field::Competition),
    ("competition_quoted", Field::CompetitionQuoted),
    ("nomination", Field::Nomination),
    ("age_group", Field::AgeGroup),
    ("supervisor", Field::Supervisor),
    ("school", Field::School),
    ("region", Field::Region),
    ("place", Field::Place),
    ("team", Field::Team),
    ("issuer", Field::Issuer),
    ("city", Field::City),
    ("date", Field::Date),
    ("city_date", Field::CityDate),
    ("valid_until", Field::ValidUntil),
    ("serial", Field::Serial),
    ("code", Field::Code),
    ("url", Field::Url),
    ("label_nomination", Field::LabelNomination),
    ("label_age_group", Field::LabelAgeGroup),
    ("label_supervisor", Field::LabelSupervisor),
    ("label_director", Field::LabelDirector),
    ("label_verify", Field::LabelVerify),
    ("pupils", Field::Pupils),
    ("hours", Field::Hours),
    ("hours_line", Field::HoursLine),
    ("label_pupils", Field::LabelPupils),
    ("signer", Field::Signer),
    ("team_of", Field::TeamOf),
];

/// A placeholder naming a column of the results file: `{custom.Класс}`.
const CUSTOM_PREFIX: &str = "custom.";

impl Field {
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(name, _)| *name)
    }

    /// Fields made of the design's own words; the others come from the organizer's data.
    fn is_word(self) -> bool {
        matches!(
            self,
            Field::AwardLine
                | Field::Title
                | Field::LeadIn
                | Field::ForCompetition
                | Field::LabelNomination
                | Field::LabelAgeGroup
                | Field::LabelSupervisor
                | Field::LabelDirector
                | Field::LabelVerify
                | Field::LabelPupils
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Literal(String),
    Field(Field, Option<Lang>),
    /// A column of the results file the mapping does not know, by its header.
    Custom(String),
}

/// A parsed text of a design element.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Literal(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("unclosed placeholder in \"{text}\""))?;
            let inner = &after[..close];
            if let Some(column) = inner.strip_prefix(CUSTOM_PREFIX) {
                let column = crate::domain::entry::normalize_text(column);
                if column.is_empty() {
                    return Err(format!("{{custom.}} needs a column's header in \"{text}\""));
                }
                parts.push(Part::Custom(column));
                rest = &after[close + 1..];
                continue;
            }
            let (name, lang) = match inner.split_once('@') {
                Some((name, code)) => (
                    name,
                    Some(Lang::parse(code).ok_or_else(|| format!("unknown language \"{code}\""))?),
                ),
                None => (inner, None),
            };
            let field = NAMES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, f)| *f)
                .ok_or_else(|| {
                    format!(
                        "unknown placeholder {{{name}}}; known: {}, custom.COLUMN",
                        Field::names().collect::<Vec<_>>().join(", ")
                    )
                })?;
            parts.push(Part::Field(field, lang));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_string()));
        }
        Ok(Template { parts })
    }

    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(f, _) => Some(*f),
            Part::Literal(_) | Part::Custom(_) => None,
        })
    }

    /// The text with its placeholders filled, or `None` when a data placeholder has no value.
    pub fn fill(&self, values: &Values<'_>) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Field(field, lang) => {
                    let value = values.get(*field, lang.unwrap_or(values.payload.language))?;
                    out.push_str(&value);
                }
                Part::Custom(column) => out.push_str(values.custom(column)?),
            }
        }
        Some(out)
    }

    /// Every text this template can print whatever the data: its literals and its words in
    /// every language and for every award, for the font subset made once per design.
    pub fn fixed_texts(&self) -> Vec<String> {
        let mut texts = Vec::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => texts.push(text.clone()),
                Part::Field(field, _) if field.is_word() => {
                    for lang in Lang::ALL {
                        for award in Award::ALL {
                            texts.extend(word(*field, &Words::of(lang), award).map(Cow::into_owned));
                        }
                    }
                }
                Part::Field(_, _) | Part::Custom(_) => {}
            }
        }
        texts
    }
}

/// A design's word for this kind of paper; None where the paper has no such word (a letter has
/// no award line under its title), which leaves the element out.
fn word(field: Field, words: &Words, award: Award) -> Option<Cow<'static, str>> {
    let kind = award.document_kind();
    let word = match field {
        Field::AwardLine => match kind {
            DocumentKind::Diploma => return Some(Cow::Owned(words.award_line(award))),
            DocumentKind::Certificate => words.participation,
            DocumentKind::Course => words.course_line,
            DocumentKind::Letter => return None,
        },
        Field::Title => match kind {
            DocumentKind::Diploma => words.diploma,
            DocumentKind::Certificate | DocumentKind::Course => words.certificate,
            DocumentKind::Letter => words.letter,
        },
        Field::LeadIn => match kind {
            DocumentKind::Diploma => words.awarded_to,
            DocumentKind::Certificate | DocumentKind::Course => words.presented_to,
            DocumentKind::Letter => words.letter_lead_in,
        },
        Field::ForCompetition => words.for_competition(award),
        Field::LabelNomination => words.nomination,
        Field::LabelAgeGroup => words.age_group,
        Field::LabelSupervisor => words.supervisor,
        Field::LabelDirector => words.director,
        Field::LabelVerify => words.verify_caption,
        Field::LabelPupils => words.pupils,
        _ => return None,
    };
    (!word.is_empty()).then_some(Cow::Borrowed(word))
}

/// What a paper's placeholders are filled from.
pub struct Values<'a> {
    pub payload: &'a DocumentPayload,
    pub award: Award,
    /// The URL printed under the QR code (without the signed record).
    pub printed_url: &'a str,
}

impl Values<'_> {
    fn get(&self, field: Field, lang: Lang) -> Option<Cow<'_, str>> {
        let p = self.payload;
        let some = |text: &str| (!text.trim().is_empty()).then(|| Cow::Owned(text.to_string()));
        let optional = |value: &Option<String>| value.as_deref().and_then(some);
        if field.is_word() {
            // A diploma for the organizer's own words ("Специальный приз жюри «За артистизм»")
            // prints them as written under its title, in whichever language the line is asked.
            let own = p
                .own_award_title()
                .filter(|_| self.award.document_kind() == DocumentKind::Diploma);
            if let (Field::AwardLine, Some(own)) = (field, own) {
                return some(own);
            }
            // The organization's head's own title, when it gave one, in place of "Директор".
            if let (Field::LabelDirector, Some(title)) = (field, &p.signer_title) {
                return some(title);
            }
            if let Some(word) = self.extra_paper_word(field, &Words::of(lang)) {
                return word;
            }
            return word(field, &Words::of(lang), self.award);
        }
        let words = Words::of(lang);
        match field {
            Field::Holder => some(&p.holder),
            Field::Award => some(&p.award_title),
            Field::Competition => some(&p.competition),
            Field::CompetitionQuoted => {
                if p.competition.starts_with(['«', '"', '“']) {
                    some(&p.competition)
                } else {
                    some(&format!("«{}»", p.competition))
                }
            }
            Field::Nomination => optional(&p.nomination),
            Field::AgeGroup => optional(&p.age_group),
            Field::Supervisor => optional(&p.supervisor),
            Field::School => optional(&p.school),
            Field::Region => optional(&p.region),
            Field::Place => {
                let parts: Vec<&str> = [p.school.as_deref(), p.region.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.trim().is_empty())
                    .collect();
                some(&parts.join(", "))
            }
            // A member's own paper names the team they were part of.
            Field::Team => match &p.team {
                Some(team) => some(&words.member_of(team)),
                None => some(&p.team_members.join(", ")),
            },
            Field::Issuer => some(&p.issuer),
            Field::City => optional(&p.city),
            Field::Date => some(&words.date(&p.date)),
            Field::CityDate => match &p.city {
                Some(city) if !city.trim().is_empty() => some(&format!("{city}, {}", words.date(&p.date))),
                _ => some(&words.date(&p.date)),
            },
            Field::ValidUntil => p.valid_until.as_deref().and_then(|d| some(&words.date(d))),
            Field::Serial => some(&p.serial),
            Field::Code => some(&p.code),
            Field::Url => some(self.printed_url),
            // A jury member's letter prints the number of works they reviewed there.
            Field::Pupils => match p.reviewed {
                Some(count) if p.pupils.is_empty() => some(&count.to_string()),
                _ => some(&p.pupils.join(", ")),
            },
            Field::Signer => optional(&p.signer),
            Field::TeamOf => p.team.as_deref().and_then(|team| some(&words.member_of(team))),
            Field::Hours => p.hours.map(|n| Cow::Owned(words.hours(n))),
            Field::HoursLine if self.award == Award::Course => words.hours_line(p.hours).map(Cow::Owned),
            Field::HoursLine if p.event.is_some() => p.hours.map(|n| Cow::Owned(words.event_hours_line(n))),
            _ => None,
        }
    }

    /// The words of the papers issue 23 added, which say what their payload says rather than what
    /// their award's kind says: the organizer's own reason, a jury member's letter («за работу в
    /// составе жюри», «Рассмотрено работ»), a seminar's certificate («за участие в семинаре»).
    /// None: the design's usual word. Papers issued before have none of these fields.
    fn extra_paper_word(&self, field: Field, words: &Words) -> Option<Option<Cow<'_, str>>> {
        let p = self.payload;
        let owned = |text: &str| Some((!text.trim().is_empty()).then(|| Cow::Owned(text.to_string())));
        match field {
            Field::ForCompetition => {
                if let Some(reason) = &p.reason {
                    return owned(reason);
                }
                if p.reviewed.is_some() {
                    return owned(words.jury_reason());
                }
                p.event
                    .map(|event| Some(Cow::Borrowed(words.event_reason(event))))
            }
            Field::LabelPupils if p.reviewed.is_some() && p.pupils.is_empty() => owned(words.reviewed()),
            _ => None,
        }
    }

    /// A results column's value: the header as the design writes it, or written in another case.
    fn custom(&self, column: &str) -> Option<&str> {
        let custom = &self.payload.custom;
        custom
            .get(column)
            .or_else(|| {
                let wanted = column.to_lowercase();
                custom
                    .iter()
                    .find(|(header, _)| header.to_lowercase() == wanted)
                    .map(|(_, value)| value)
            })
            .map(String::as_str)
            .filter(|value| !value.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_parse_with_an_optional_language() {
        let t = Template::parse("{label_supervisor@kk}: {supervisor}").unwrap();
        assert_eq!(
            t.fields().collect::<Vec<_>>(),
            vec![Field::LabelSupervisor, Field::Supervisor]
        );
        assert!(Template::parse("{nope}")
            .unwrap_err()
            .contains("unknown placeholder"));
        assert!(Template::parse("{holder").is_err());
        assert!(Template::parse("{title@de}").is_err());
        let custom = Template::parse("Класс: {custom.Класс  обучения}").unwrap();
        assert_eq!(
            custom.parts[1],
            Part::Custom("Класс обучения".into()),
            "the header is read as the results file's are"
        );
        assert!(Template::parse("{custom.}").is_err());
    }
}
