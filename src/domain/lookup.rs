//! A participant finds their own paper by its verification code and their surname: the code alone
//! is printed on the paper, and a name alone finds nothing, so no list of children can be pulled.

use unicode_normalization::UnicodeNormalization;

fn fold(text: &str) -> String {
    text.nfc()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// Whether `surname` is one whole word of the holder's name (case, ё/е and spacing aside). Names
/// are written surname first in Kazakh and Russian and last in English, so any word may be it.
pub fn holder_has_surname(holder: &str, surname: &str) -> bool {
    let surname = fold(surname.trim());
    if surname.chars().count() < 2 {
        return false;
    }
    fold(holder)
        .split(|c: char| c.is_whitespace() || c == ',')
        .any(|word| word == surname)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_word_of_the_name_in_any_case_matches() {
        let holder = "Сейтқали Айгерім Нұрланқызы";
        assert!(holder_has_surname(holder, "сейтқали"));
        assert!(holder_has_surname(holder, " СЕЙТҚАЛИ "));
        assert!(!holder_has_surname(holder, "Сейт"));
        assert!(!holder_has_surname(holder, "С"));
        assert!(holder_has_surname("Фёдоров Иван", "Федоров"));
    }
}
