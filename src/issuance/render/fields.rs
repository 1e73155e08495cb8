//! Placeholders in a design's texts: `{holder}` takes the paper's data, `{title}` a word in the
//! paper's language, `{title@ru}` the same word in a fixed language (for bilingual designs).

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
}

const NAMES: [(&str, Field); 28] = [
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
];

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
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Literal(String),
    Field(Field, Option<Lang>),
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
                        "unknown placeholder {{{name}}}; known: {}",
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
            Part::Literal(_) => None,
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
                            texts.push(word(*field, &Words::of(lang), award).into_owned());
                        }
                    }
                }
                Part::Field(_, _) => {}
            }
        }
        texts
    }
}

fn word(field: Field, words: &Words, award: Award) -> Cow<'static, str> {
    let kind = award.document_kind();
    match field {
        Field::AwardLine => match kind {
            DocumentKind::Diploma => Cow::Owned(words.award_line(award)),
            DocumentKind::Certificate => Cow::Borrowed(words.participation),
        },
        Field::Title => Cow::Borrowed(match kind {
            DocumentKind::Diploma => words.diploma,
            DocumentKind::Certificate => words.certificate,
        }),
        Field::LeadIn => Cow::Borrowed(match kind {
            DocumentKind::Diploma => words.awarded_to,
            DocumentKind::Certificate => words.presented_to,
        }),
        Field::ForCompetition => Cow::Borrowed(words.for_competition(award)),
        Field::LabelNomination => Cow::Borrowed(words.nomination),
        Field::LabelAgeGroup => Cow::Borrowed(words.age_group),
        Field::LabelSupervisor => Cow::Borrowed(words.supervisor),
        Field::LabelDirector => Cow::Borrowed(words.director),
        Field::LabelVerify => Cow::Borrowed(words.verify_caption),
        _ => Cow::Borrowed(""),
    }
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
            return Some(word(field, &Words::of(lang), self.award));
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
            Field::Team => some(&p.team_members.join(", ")),
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
            _ => None,
        }
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
    }
}
