//! The code printed on every paper and in its QR code: 80 random bits in Crockford's base32, whose
//! upper-case letters and digits are all in the QR alphanumeric set.

use std::fmt;

use rand::RngCore;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VerificationCode(String);

impl VerificationCode {
    pub fn generate() -> VerificationCode {
        let mut bytes = [0u8; 10];
        rand::rng().fill_bytes(&mut bytes);
        let mut bits: u128 = 0;
        for b in bytes {
            bits = (bits << 8) | u128::from(b);
        }
        let code = (0..LENGTH)
            .rev()
            .map(|i| ALPHABET[((bits >> (i * 5)) & 0x1f) as usize] as char)
            .collect();
        VerificationCode(code)
    }

    /// Accepts what a person may type: lower case, and the letters Crockford reads as digits.
    pub fn parse(text: &str) -> Option<VerificationCode> {
        let normalized: String = text
            .trim()
            .chars()
            .filter(|c| *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        let valid = normalized.len() == LENGTH && normalized.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(VerificationCode(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_parse_back_and_differ() {
        let a = VerificationCode::generate();
        let b = VerificationCode::generate();
        assert_ne!(a, b);
        assert_eq!(VerificationCode::parse(a.as_str()), Some(a.clone()));
        assert_eq!(VerificationCode::parse(&a.as_str().to_lowercase()), Some(a));
    }

    #[test]
    fn rejects_wrong_length_and_alphabet() {
        assert_eq!(VerificationCode::parse("ABC"), None);
        assert_eq!(VerificationCode::parse("ABCDEFGHJKMNPQRU"), None);
        assert_eq!(VerificationCode::parse("../../etc/passwd"), None);
        assert_eq!(
            VerificationCode::parse("abcd-efgh-jkmn-pqrs").map(|c| c.to_string()),
            Some("ABCDEFGHJKMNPQRS".to_string())
        );
    }
}
