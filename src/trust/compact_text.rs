//! A one-byte-per-letter text encoding for the signed record, so Kazakh and Russian text costs half
//! the bytes of UTF-8 and the QR code stays small. 0x00–0x7F are ASCII; 0x80–0xBF are А–я
//! (U+0410–U+044F); 0xC0–0xFE are the letters and marks in `EXTRA`; 0xFF escapes one character
//! written in UTF-8. `templates/pages/verify.js` decodes the same table, sent to it by the page.

/// Ё ё, the Kazakh letters, Ukrainian and Belarusian letters, typographic quotes and dashes.
pub const EXTRA: &str = "ЁёӘәҒғҚқҢңӨөҰұҮүҺһІіЄєЇїЎўЈјЉљЊњЋћЏџ«»–—№“”„‘’·×…°";

pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let code = c as u32;
        if code < 0x80 {
            out.push(code as u8);
        } else if (0x410..=0x44F).contains(&code) {
            out.push((code - 0x410 + 0x80) as u8);
        } else if let Some(index) = EXTRA.chars().position(|e| e == c) {
            out.push(0xC0 + index as u8);
        } else {
            out.push(0xFF);
            let mut buffer = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
        }
    }
    out
}

pub fn decode(bytes: &[u8]) -> Option<String> {
    let extra: Vec<char> = EXTRA.chars().collect();
    let mut out = String::with_capacity(bytes.len() * 2);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x00..=0x7F => out.push(b as char),
            0x80..=0xBF => out.push(char::from_u32(u32::from(b) - 0x80 + 0x410)?),
            0xFF => {
                let rest = bytes.get(i + 1..)?;
                let width = match rest.first()? {
                    0x00..=0x7F => 1,
                    0xC0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    _ => 4,
                };
                let c = std::str::from_utf8(rest.get(..width)?).ok()?.chars().next()?;
                out.push(c);
                i += width;
            }
            _ => out.push(*extra.get(usize::from(b - 0xC0))?),
        }
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_kazakh_russian_and_anything_else() {
        for text in [
            "Әбілқайырова Аружан Нұрланқызы-Сәтбаева",
            "Республиканский конкурс «Зерде» — 5–11 классы, № 12",
            "Ёлка ўзбек Їжак 王小明 😀 café",
            "",
        ] {
            assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        }
        assert_eq!(encode("Қазақ").len(), 5);
        assert!(EXTRA.chars().count() <= 63);
        assert_eq!(decode(&[0xFF]), None);
        assert_eq!(decode(&[0xFE]), None);
    }
}
