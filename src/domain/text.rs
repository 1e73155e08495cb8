//! Characters no name or title needs: controls (a bell, an escape) and the invisible marks that
//! change the direction text is shown in. A name with U+202E (right-to-left override) before
//! "вортеП" prints, and verifies on the public page, as "Петров": a paper could say one name and
//! hold another. They are dropped wherever text is normalized (`entry::normalize_text`), so names
//! from results files and forms, titles and labels are all cleaned in one place.

/// Whether a character is kept in a name or title. White space (line breaks, tabs) is kept here
/// and collapsed by the normalization.
pub fn kept(c: char) -> bool {
    if c.is_whitespace() {
        return true;
    }
    let direction = matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    );
    !(c.is_control() || direction || c == '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::kept;

    #[test]
    fn controls_and_direction_marks_go_letters_stay() {
        let cleaned: String = "Иванов \u{202E}вортеП\u{2066}\u{200F}\u{7}\u{FEFF}"
            .chars()
            .filter(|c| kept(*c))
            .collect();
        assert_eq!(cleaned, "Иванов вортеП");
        for letters in [
            "Әбілқайыров Ерасыл",
            "Ғалым Үсенов",
            "O'Brien-Smith",
            "Ёлкин\tИван\n",
        ] {
            assert!(letters.chars().all(kept), "{letters}");
        }
    }
}
