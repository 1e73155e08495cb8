//! How much of a holder's name the public sees for a code: only initials, "А*** С.".
//!
//! Holders are mostly children. A verification code is printed on the paper, but it also travels
//! in photos, shared links and e-mails, and anyone with a code alone must not learn a child's
//! name: "Айгерім С." (the given name in full) plus the competition, school year and region is
//! often enough to find the child. The two initials still let the holder (who has the paper, with
//! the full name, in hand) see that the record is theirs, next to the serial, the competition, the
//! award and the date; the signed record in the QR code's fragment, which never reaches the
//! server, shows the full name to whoever scans the paper itself. The stars say a name is hidden
//! rather than abbreviated. A team name is not personal data and is shown whole.

/// "Сейтқали Айгерім Нұрланқызы" → "А*** С."; "Мадина" → "М***".
pub fn public_name(full_name: &str, is_team: bool) -> String {
    if is_team {
        return full_name.to_string();
    }
    let words: Vec<&str> = full_name.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [only] => format!("{}***", initial(only)),
        [surname, given, ..] => format!("{}*** {}.", initial(given), initial(surname)),
    }
}

fn initial(word: &str) -> String {
    word.chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_initials_of_a_person_and_a_team_whole() {
        assert_eq!(public_name("Сейтқали Айгерім Нұрланқызы", false), "А*** С.");
        assert_eq!(public_name("әбілқайырова  ұлжан", false), "Ұ*** Ә.");
        assert_eq!(public_name("Мадина", false), "М***");
        assert_eq!(public_name("  ", false), "");
        assert_eq!(public_name("Школьный парламент", true), "Школьный парламент");
    }
}
