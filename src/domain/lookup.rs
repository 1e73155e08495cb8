//! A participant finds their own paper by its verification code and their surname: the code alone
//! is printed on the paper, and a name alone finds nothing, so no list of children can be pulled.
//! Only the surname opens it, and only for a paper its organizer has not hidden from the public.

use unicode_normalization::UnicodeNormalization;

fn fold(text: &str) -> String {
    text.nfc()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// Whether `surname` is the holder's surname: the first word of the name as the results file
/// wrote it (surname first, as Kazakh and Russian lists write names), case, ё/е, Unicode form and
/// spacing aside. The given name or the patronymic is not enough: both are easier to guess.
pub fn holder_has_surname(holder: &str, surname: &str) -> bool {
    let surname = fold(surname.trim());
    if surname.chars().count() < 2 {
        return false;
    }
    fold(holder)
        .split(|c: char| c.is_whitespace() || c == ',')
        .find(|word| !word.is_empty())
        .is_some_and(|first| first == surname)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_surname_in_any_case_matches() {
        let holder = "Сейтқали Айгерім Нұрланқызы";
        assert!(holder_has_surname(holder, "сейтқали"));
        assert!(holder_has_surname(holder, " СЕЙТҚАЛИ "));
        assert!(!holder_has_surname(holder, "Сейт"));
        assert!(!holder_has_surname(holder, "С"));
        assert!(!holder_has_surname(holder, "Айгерім"), "the given name");
        assert!(!holder_has_surname(holder, "нұрланқызы"), "the patronymic");
        assert!(holder_has_surname("Фёдоров Иван", "Федоров"));
        assert!(holder_has_surname("  Иванов   Пётр", "иванов"));
    }
}
