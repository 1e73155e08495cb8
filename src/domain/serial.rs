//! Serial numbers people read aloud and write in registers: PREFIX-YEAR-NNNNNN, unique per issuer.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Serial(String);

impl Serial {
    pub fn new(prefix: &str, year: i32, number: i64) -> Serial {
        Serial(format!("{prefix}-{year}-{number:06}"))
    }

    /// Wraps a serial read back from storage, where it was made by `new`.
    pub fn from_stored(text: String) -> Serial {
        Serial(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A serial prefix from an organization's slug: upper-case Latin letters and digits, at most 8.
pub fn prefix_from_slug(slug: &str) -> String {
    let prefix: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(8)
        .collect::<String>()
        .to_ascii_uppercase();
    if prefix.is_empty() {
        "GR".into()
    } else {
        prefix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_is_zero_padded() {
        assert_eq!(Serial::new("KZ", 2025, 123).as_str(), "KZ-2025-000123");
        assert_eq!(prefix_from_slug("dvorets-almaty"), "DVORETSA");
    }
}
