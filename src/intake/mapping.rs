//! What the user says when guessing is not enough: which column holds which field, and which award
//! an award text means.

use std::collections::HashMap;

use super::columns::Field;
use crate::domain::entry::normalize_text;
use crate::domain::Award;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("unknown field \"{0}\"; known: {known}", known = Field::ALL.map(Field::label).join(", "))]
    UnknownField(String),
    #[error("unknown award code \"{0}\"; known: grand_prix, place_1..3, degree_1..3, laureate, participant")]
    UnknownAward(String),
    #[error("empty text for \"{0}\"")]
    Empty(String),
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

/// Award text as the file writes it → award; compared NFC-normalized and case-insensitively.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AwardMapping(HashMap<String, Award>);

impl AwardMapping {
    pub fn parse(pairs: HashMap<String, String>) -> Result<AwardMapping, MappingError> {
        let mut mapping = HashMap::with_capacity(pairs.len());
        for (text, code) in pairs {
            let award = Award::from_code(code.trim())
                .filter(|award| award.is_entry_award())
                .ok_or(MappingError::UnknownAward(code))?;
            let key = normalize_text(&text).to_lowercase();
            if key.is_empty() {
                return Err(MappingError::Empty(award.code()));
            }
            mapping.insert(key, award);
        }
        Ok(AwardMapping(mapping))
    }

    pub fn get(&self, text: &str) -> Option<Award> {
        self.0.get(&normalize_text(text).to_lowercase()).copied()
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
        let awards = AwardMapping::parse(pairs(&[("Победитель  конкурса", "place_1")])).unwrap();
        assert_eq!(awards.get("победитель конкурса"), Some(Award::Place(1)));
        assert!(AwardMapping::parse(pairs(&[("Призёр", "place_9")])).is_err());
    }
}
