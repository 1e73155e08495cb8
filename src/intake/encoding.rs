//! Text files arrive in whatever the organizer's Excel wrote: UTF-8, UTF-8 with a BOM, UTF-16 from
//! "Unicode text", or Windows-1251 from a Russian-locale "CSV (разделители — точка с запятой)".

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1251};
use serde::Serialize;

use crate::i18n::Message;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TextEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    #[serde(rename = "windows-1251")]
    Windows1251,
}

/// Valid UTF-8 is taken as UTF-8: a Windows-1251 text of Cyrillic letters is practically never
/// valid UTF-8, while the reverse guess would garble every UTF-8 file.
pub fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), Message> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|_| Message::NotText)?;
        (text.to_string(), TextEncoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (strict(UTF_16LE, rest)?, TextEncoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (strict(UTF_16BE, rest)?, TextEncoding::Utf16Be)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), TextEncoding::Utf8)
    } else {
        (strict(WINDOWS_1251, bytes)?, TextEncoding::Windows1251)
    };
    if looks_binary(&text) {
        return Err(Message::NotText);
    }
    Ok((text, encoding))
}

fn strict(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> Result<String, Message> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or(Message::NotText)
}

/// Every byte means some letter in Windows-1251, so random bytes "decode"; what gives them away
/// are control characters, which no spreadsheet writes into a text export.
fn looks_binary(text: &str) -> bool {
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .count();
    text.contains('\0') || controls * 100 > text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_encodings_apart() {
        let (text, encoding) = decode("ФИО;Место".as_bytes()).unwrap();
        assert_eq!((text.as_str(), encoding), ("ФИО;Место", TextEncoding::Utf8));

        let bom = [b"\xEF\xBB\xBF".as_slice(), "Аты-жөні".as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap(), ("Аты-жөні".into(), TextEncoding::Utf8Bom));

        let (cp1251, _, lossy) = WINDOWS_1251.encode("Иванов Иван;1 место");
        assert!(!lossy);
        assert_eq!(
            decode(&cp1251).unwrap(),
            ("Иванов Иван;1 место".into(), TextEncoding::Windows1251)
        );

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("Ә\tІ".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16).unwrap(), ("Ә\tІ".into(), TextEncoding::Utf16Le));
    }

    #[test]
    fn refuses_binary() {
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(decode(&noise), Err(Message::NotText));
        assert_eq!(decode(b"name\0award"), Err(Message::NotText));
    }
}
