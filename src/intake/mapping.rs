//! What the user says when guessing is not enough: which column holds which field, and which award
//! an award text means.

use std::collections::HashMap;

use super::columns::Field;
use crate::domain::award::AwardWord;
use crate::domain::entry::normalize_text;
use crate::domain::Award;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("unknown field \"{0}\"; known: {known}", known = Field::ALL.map(Field::label).join(", "))]
    UnknownField(String),
    #[error("unknown award code \"{0}\"; known: grand_prix, winner, prize_winner, place_1..3, degree_1..3, laureate, laureate_1..3, diplomant, diplomant_1..3, special_prize, finalist, participant")]
    UnknownAward(String),
    #[error("empty text for \"{0}\"")]
    Empty(String),
    #[error("the title to print is longer than {0} characters")]
    TitleTooLong(usize),
}

/// Field → where it is: a header text as the file writes it, else a column letter (`C`) or a
/// 1-based column number (`3`). A header text wins, so a header literally named "A" still works.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnMapping(Vec<(Field, String)>);

impl ColumnMapping {
    pub fn parse(pairs: HashMap<String, String>) -> Result<ColumnMapping, MappingError> {
        let mut mapping = Vec::with_capacity(pairs.len());
        for (field, column) in pairs {
            let parsed = Field::from_label(field.trim()).ok_or(MappingError::UnknownField(field))?;
            let column = normalize_text(&column);
            if column.is_empty() {
                return Err(MappingError::Empty(parsed.label().into()));
            }
            mapping.push((parsed, column));
        }
        Ok(ColumnMapping(mapping))
    }

    pub fn iter(&self) -> impl Iterator<Item = (Field, &str)> {
        self.0.iter().map(|(field, column)| (*field, column.as_str()))
    }
}

/// The 0-based column `reference` names in a header row.
pub fn resolve(reference: &str, header: &[String]) -> Option<usize> {
    let wanted = normalize_text(reference).to_lowercase();
    header
        .iter()
        .position(|cell| normalize_text(cell).to_lowercase() == wanted)
        .or_else(|| column_position(reference))
}

/// `3` → 2, `C` → 2, `AA` → 26.
fn column_position(reference: &str) -> Option<usize> {
    let reference = reference.trim();
    if let Ok(number) = reference.parse::<usize>() {
        return number.checked_sub(1);
    }
    if reference.is_empty() || reference.len() > 3 || !reference.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let number = reference
        .to_ascii_uppercase()
        .bytes()
        .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1));
    Some(number - 1)
}

/// The letter a spreadsheet shows above a 0-based column.
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A mapping's value as the API takes it: an award code (`"place_1"`), or the code with the title
/// to print (`{"award": "special_prize", "title": "Приз «Юный техник»"}`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum AwardChoice {
    Code(String),
    Titled { award: String, title: Option<String> },
}

impl AwardChoice {
    pub fn into_word(self) -> Result<AwardWord, MappingError> {
        let choice = self;
        let (code, title) = match choice {
            AwardChoice::Code(code) => (code, None),
            AwardChoice::Titled { award, title } => (award, title),
        };
        let award = Award::from_code(code.trim())
            .filter(|award| award.is_entry_award())
            .ok_or(MappingError::UnknownAward(code))?;
        let title = title
            .map(|t| crate::domain::award::normalize_title(&t))
            .filter(|t| !t.is_empty());
        if title
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_TITLE_CHARS)
        {
            return Err(MappingError::TitleTooLong(MAX_TITLE_CHARS));
        }
        Ok(AwardWord { award, title })
    }
}

/// The longest award title a paper prints (a box shrinks what it prints to fit).
const MAX_TITLE_CHARS: usize = 200;

/// The key an award text is looked up by: NFC, white space collapsed, lower case.
pub fn award_key(text: &str) -> String {
    normalize_text(text).to_lowercase()
}

/// Award text as the file writes it → what it means; compared NFC-normalized and case-insensitively.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AwardMapping(HashMap<String, AwardWord>);

impl AwardMapping {
    pub fn parse(pairs: HashMap<String, AwardChoice>) -> Result<AwardMapping, MappingError> {
        let mut mapping = HashMap::with_capacity(pairs.len());
        for (text, choice) in pairs {
            let word = choice.into_word()?;
            let key = award_key(&text);
            if key.is_empty() {
                return Err(MappingError::Empty(word.award.code()));
            }
            mapping.insert(key, word);
        }
        Ok(AwardMapping(mapping))
    }

    /// The words an organization mapped before, keyed as [`award_key`] makes them.
    pub fn from_remembered(words: impl IntoIterator<Item = (String, AwardWord)>) -> AwardMapping {
        AwardMapping(words.into_iter().collect())
    }

    /// This mapping, with `fallback`'s words where it says nothing.
    pub fn or(mut self, fallback: AwardMapping) -> AwardMapping {
        for (key, word) in fallback.0 {
            self.0.entry(key).or_insert(word);
        }
        self
    }

    pub fn get(&self, text: &str) -> Option<&AwardWord> {
        self.0.get(&award_key(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> HashMap<String, String> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn columns_by_header_letter_or_number() {
        let header: Vec<String> = ["№", "Участник", "A"].map(String::from).to_vec();
        assert_eq!(resolve(" участник ", &header), Some(1));
        assert_eq!(resolve("A", &header), Some(2), "a header text wins over a letter");
        assert_eq!(resolve("b", &header), Some(1));
        assert_eq!(resolve("3", &header), Some(2));
        assert_eq!(resolve("AA", &header), Some(26));
        assert_eq!(resolve("0", &header), None);
        assert_eq!(resolve("Итог", &header), None);
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn mappings_refuse_what_they_do_not_know() {
        let columns = ColumnMapping::parse(pairs(&[("name", "Участник"), ("award", "E")])).unwrap();
        assert_eq!(columns.iter().count(), 2);
        assert_eq!(
            ColumnMapping::parse(pairs(&[("surname", "B")])),
            Err(MappingError::UnknownField("surname".into()))
        );
        let codes = |list: &[(&str, &str)]| -> HashMap<String, AwardChoice> {
            list.iter()
                .map(|(k, v)| (k.to_string(), AwardChoice::Code(v.to_string())))
                .collect()
        };
        let awards = AwardMapping::parse(codes(&[("Победитель  конкурса", "place_1")])).unwrap();
        assert_eq!(
            awards.get("победитель конкурса").map(|w| w.award),
            Some(Award::Place(1))
        );
        assert!(AwardMapping::parse(codes(&[("Призёр", "place_9")])).is_err());
        let titled: HashMap<String, AwardChoice> =
            serde_json::from_str(r#"{"Молодец": {"award": "special_prize", "title": "приз «молодец»"}}"#)
                .unwrap();
        let word = AwardMapping::parse(titled)
            .unwrap()
            .get("МОЛОДЕЦ")
            .cloned()
            .unwrap();
        assert_eq!(word.award, Award::SpecialPrize);
        assert_eq!(word.title.as_deref(), Some("Приз «Молодец»"));
    }
}
