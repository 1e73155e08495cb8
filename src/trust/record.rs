//! The signed record: what the paper says, as COSE_Sign1 (RFC 9052, Ed25519) over a raw-deflated CBOR
//! map with small integer keys, written in unpadded base32 (RFC 4648) so that the whole fragment is
//! in the QR code's alphanumeric set and the code stays small enough for a phone camera.
//!
//! Payload map keys: 0 format version (1), 1 issuer, 2 serial, 4 holder's full name, 5 award
//! (`Award::record_number`), 6 competition, 7 date and 8 valid until (optional), both as days since
//! 1970-01-01, 9 the award's title as printed, only when it is the organizer's own words
//! ("Специальный приз жюри «За артистизм»"; optional). The long texts (1, 4, 6, 9) are byte strings in `compact_text`, half the size of UTF-8 in
//! Cyrillic. The verification code is not repeated inside: it is the URL's path, and it is bound to
//! the signature as COSE external AAD, so a record cannot be moved to another code.
//! `templates/pages/verify.js` reads the same format in the browser.

use std::cell::RefCell;
use std::io::Read;

use coset::cbor::value::Value;
use coset::{iana, CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, RegisteredLabelWithPrivate};
use data_encoding::{BASE32_NOPAD, HEXLOWER};
use ed25519_dalek::{Signature, Verifier};
use flate2::read::DeflateDecoder;
use flate2::{Compress, Compression};
use serde::Serialize;

use time::{Date, Month};

use super::compact_text;
use super::keys::{Key, KeyError, KeyStatus, Keyring};
use crate::compress::deflate_with;
use crate::domain::time::{format_date, parse_date};
use crate::domain::Award;

const FORMAT_VERSION: u64 = 1;
/// Longer fragments are refused unread; a real one is well under 1,000 characters.
pub const MAX_FRAGMENT_CHARS: usize = 3_000;
const MAX_PAYLOAD_BYTES: u64 = 8_192;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordFields {
    pub issuer: String,
    pub serial: String,
    pub code: String,
    pub holder: String,
    pub award: String,
    /// The organizer's own words for the award, when the paper prints them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub award_title: Option<String>,
    pub competition: String,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifiedRecord {
    pub fields: RecordFields,
    pub kid: String,
    pub key_status: KeyStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("the signed record is too long")]
    TooLong,
    #[error("the signed record is not in base32")]
    NotBase32,
    #[error("the signed record is not a COSE_Sign1 structure")]
    NotCose,
    #[error("the signed record uses an algorithm other than EdDSA")]
    WrongAlgorithm,
    #[error("the record was signed by an unknown key {0}")]
    UnknownKey(String),
    #[error("the signature does not match the record")]
    BadSignature,
    #[error("the signed payload is not a gramota record")]
    BadPayload,
}

thread_local! {
    /// Raw deflate at the best level: every byte saved is a smaller QR code.
    static RECORD_COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::best(), false));
}

impl RecordFields {
    fn to_cbor(&self) -> Result<Vec<u8>, RecordError> {
        let number = |key: u64, value: u64| (Value::from(key), Value::from(value));
        let compact = |key: u64, value: &str| (Value::from(key), Value::Bytes(compact_text::encode(value)));
        let award = Award::from_code(&self.award).ok_or(RecordError::BadPayload)?;
        let mut entries = vec![
            number(0, FORMAT_VERSION),
            compact(1, &self.issuer),
            (Value::from(2u64), Value::Text(self.serial.clone())),
            compact(4, &self.holder),
            number(5, award.record_number()),
            compact(6, &self.competition),
            number(7, days_since_epoch(&self.date)?),
        ];
        if let Some(valid_until) = &self.valid_until {
            entries.push(number(8, days_since_epoch(valid_until)?));
        }
        if let Some(title) = &self.award_title {
            entries.push(compact(9, title));
        }
        Value::Map(entries).to_vec().map_err(|_| RecordError::BadPayload)
    }

    fn from_cbor(bytes: &[u8], code: &str) -> Result<RecordFields, RecordError> {
        let Value::Map(entries) = Value::from_slice(bytes).map_err(|_| RecordError::BadPayload)? else {
            return Err(RecordError::BadPayload);
        };
        let get = |wanted: u64| {
            entries.iter().find_map(|(k, v)| match k {
                Value::Integer(i) if u64::try_from(*i).ok() == Some(wanted) => Some(v),
                _ => None,
            })
        };
        let number = |key: u64| match get(key) {
            Some(Value::Integer(i)) => u64::try_from(*i).map_err(|_| RecordError::BadPayload),
            _ => Err(RecordError::BadPayload),
        };
        let date = |key: u64| number(key).and_then(date_from_days);
        let compact = |key: u64| match get(key) {
            Some(Value::Bytes(b)) => compact_text::decode(b).ok_or(RecordError::BadPayload),
            _ => Err(RecordError::BadPayload),
        };
        if number(0)? != FORMAT_VERSION {
            return Err(RecordError::BadPayload);
        }
        let serial = match get(2) {
            Some(Value::Text(t)) => t.clone(),
            _ => return Err(RecordError::BadPayload),
        };
        let award = Award::from_record_number(number(5)?).ok_or(RecordError::BadPayload)?;
        Ok(RecordFields {
            issuer: compact(1)?,
            serial,
            code: code.to_string(),
            holder: compact(4)?,
            award: award.code(),
            award_title: get(9).map(|_| compact(9)).transpose()?,
            competition: compact(6)?,
            date: date(7)?,
            valid_until: get(8).map(|_| date(8)).transpose()?,
        })
    }

    /// Signs the record with the key; returns the fragment printed after `#` in the QR code's URL.
    pub fn sign(&self, key: &Key) -> Result<String, KeyError> {
        let cbor = self.to_cbor().map_err(|_| KeyError::NoActiveKey)?;
        let compressed =
            deflate_with(&RECORD_COMPRESSOR, &cbor).map_err(|e| KeyError::Io("deflate".into(), e))?;
        let protected = HeaderBuilder::new()
            .algorithm(iana::Algorithm::EdDSA)
            .key_id(key.kid.clone())
            .build();
        let unsigned = CoseSign1Builder::new()
            .protected(protected)
            .payload(compressed)
            .build();
        let to_be_signed = unsigned.tbs_data(self.code.as_bytes());
        let signature = key.sign(&to_be_signed).ok_or(KeyError::NoActiveKey)?;
        let signed = CoseSign1 {
            signature: signature.to_vec(),
            ..unsigned
        };
        let bytes = signed.to_vec().map_err(|_| KeyError::NoActiveKey)?;
        Ok(BASE32_NOPAD.encode(&bytes))
    }
}

/// Checks a fragment, found at the verification URL of `code`, against the keyring: any change to
/// any bit, or the fragment put under another code, is caught here.
pub fn verify(fragment: &str, code: &str, keyring: &Keyring) -> Result<VerifiedRecord, RecordError> {
    let fragment = fragment.trim().trim_start_matches('#');
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(RecordError::TooLong);
    }
    let bytes = BASE32_NOPAD
        .decode(fragment.to_ascii_uppercase().as_bytes())
        .map_err(|_| RecordError::NotBase32)?;
    let sign1 = CoseSign1::from_slice(&bytes).map_err(|_| RecordError::NotCose)?;
    if sign1.protected.header.alg != Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::EdDSA)) {
        return Err(RecordError::WrongAlgorithm);
    }
    let kid = HEXLOWER.encode(&sign1.protected.header.key_id);
    let key = keyring
        .find(&sign1.protected.header.key_id)
        .ok_or_else(|| RecordError::UnknownKey(kid.clone()))?;
    let signature: [u8; 64] = sign1
        .signature
        .as_slice()
        .try_into()
        .map_err(|_| RecordError::BadSignature)?;
    key.verifying
        .verify(
            &sign1.tbs_data(code.as_bytes()),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| RecordError::BadSignature)?;
    let compressed = sign1.payload.as_deref().ok_or(RecordError::BadPayload)?;
    let mut cbor = Vec::new();
    DeflateDecoder::new(compressed)
        .take(MAX_PAYLOAD_BYTES)
        .read_to_end(&mut cbor)
        .map_err(|_| RecordError::BadPayload)?;
    Ok(VerifiedRecord {
        fields: RecordFields::from_cbor(&cbor, code)?,
        kid,
        key_status: key.status,
    })
}

fn epoch() -> Date {
    Date::from_calendar_date(1970, Month::January, 1).unwrap_or(Date::MIN)
}

fn days_since_epoch(iso: &str) -> Result<u64, RecordError> {
    let date = parse_date(iso).ok_or(RecordError::BadPayload)?;
    u64::try_from(date.to_julian_day() - epoch().to_julian_day()).map_err(|_| RecordError::BadPayload)
}

fn date_from_days(days: u64) -> Result<String, RecordError> {
    let julian = i32::try_from(days)
        .ok()
        .and_then(|d| d.checked_add(epoch().to_julian_day()))
        .ok_or(RecordError::BadPayload)?;
    Date::from_julian_day(julian)
        .map(format_date)
        .map_err(|_| RecordError::BadPayload)
}

/// The longest record organizers realistically produce, for tests of size and QR version.
#[cfg(test)]
pub(crate) fn longest_realistic_record() -> RecordFields {
    RecordFields {
        issuer:
            "Республиканский учебно-методический центр дополнительного образования Министерства просвещения"
                .into(),
        serial: "DVORETSA-2026-012345".into(),
        code: "ABCDEFGHJKMNPQRS".into(),
        holder: "Әбілқайырова Аружан Нұрланқызы-Сәтбаева".into(),
        award: "special_prize".into(),
        award_title: Some("Специальный приз жюри «За артистизм»".into()),
        competition: "Республиканский конкурс юных исследователей в области естественных наук «Зерде» \
                      среди учащихся 5–11 классов"
            .into(),
        date: "2026-11-20".into(),
        valid_until: None,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::DeflateEncoder;

    use super::*;

    const CODE: &str = "ABCDEFGHJKMNPQRS";

    fn keyring() -> (tempfile::TempDir, Keyring) {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Keyring::open_or_create(dir.path()).unwrap();
        (dir, keyring)
    }

    #[test]
    fn a_signed_record_verifies_and_says_what_was_signed() {
        let (_dir, keyring) = keyring();
        let fields = longest_realistic_record();
        let fragment = fields.sign(keyring.active().unwrap()).unwrap();
        assert!(fragment
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        let verified = verify(&fragment, CODE, &keyring).unwrap();
        assert_eq!(verified.fields, fields);
        assert_eq!(verified.key_status, KeyStatus::Active);
    }

    /// The reused compressor gives the bytes a fresh encoder gives: a paper signed again (a
    /// re-render, a re-verification) must carry the same record as when it was issued.
    #[test]
    fn the_reused_compressor_compresses_like_a_fresh_one() {
        for holder in [
            "Иванов Пётр",
            "Әбілқайырова Аружан Нұрланқызы-Сәтбаева",
            "Smith John",
            "",
        ] {
            let fields = RecordFields {
                holder: holder.into(),
                ..longest_realistic_record()
            };
            let cbor = fields.to_cbor().unwrap();
            let mut fresh = DeflateEncoder::new(Vec::new(), Compression::best());
            fresh.write_all(&cbor).unwrap();
            let fresh = fresh.finish().unwrap();
            assert_eq!(deflate_with(&RECORD_COMPRESSOR, &cbor).unwrap(), fresh);
            assert_eq!(
                deflate_with(&RECORD_COMPRESSOR, &cbor).unwrap(),
                fresh,
                "after a reset"
            );
        }
    }

    #[test]
    fn every_single_bit_flip_is_caught() {
        let (_dir, keyring) = keyring();
        let fragment = longest_realistic_record()
            .sign(keyring.active().unwrap())
            .unwrap();
        let bytes = BASE32_NOPAD.decode(fragment.as_bytes()).unwrap();
        for bit in 0..bytes.len() * 8 {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            let result = verify(&BASE32_NOPAD.encode(&flipped), CODE, &keyring);
            assert!(result.is_err(), "bit {bit} flipped still verified");
        }
    }

    #[test]
    fn changing_any_signed_field_is_caught() {
        let (_dir, keyring) = keyring();
        let key = keyring.active().unwrap();
        let original = longest_realistic_record();
        let fragment = original.sign(key).unwrap();
        let bytes = BASE32_NOPAD.decode(fragment.as_bytes()).unwrap();
        let sign1 = CoseSign1::from_slice(&bytes).unwrap();
        // A forger re-packs an edited payload under the original signature.
        let edits: Vec<fn(&mut RecordFields)> = vec![
            |f| f.holder.push('а'),
            |f| f.award = "place_1".into(),
            |f| f.date = "2026-11-21".into(),
            |f| f.competition = "Другой конкурс".into(),
            |f| f.issuer = "Другой центр".into(),
            |f| f.serial = "DVORETSA-2026-000001".into(),
            |f| f.valid_until = Some("2099-01-01".into()),
        ];
        for edit in edits {
            let mut forged = original.clone();
            edit(&mut forged);
            let mut deflater = DeflateEncoder::new(Vec::new(), Compression::best());
            deflater.write_all(&forged.to_cbor().unwrap()).unwrap();
            let repacked = CoseSign1 {
                payload: Some(deflater.finish().unwrap()),
                ..sign1.clone()
            };
            let forged_fragment = BASE32_NOPAD.encode(&repacked.to_vec().unwrap());
            assert_eq!(
                verify(&forged_fragment, CODE, &keyring),
                Err(RecordError::BadSignature)
            );
        }
    }

    #[test]
    fn a_record_moved_to_another_code_is_caught() {
        let (_dir, keyring) = keyring();
        let fragment = longest_realistic_record()
            .sign(keyring.active().unwrap())
            .unwrap();
        assert_eq!(
            verify(&fragment, "0000000000000000", &keyring),
            Err(RecordError::BadSignature)
        );
    }

    #[test]
    fn malformed_fragments_get_a_verdict_not_a_panic() {
        let (_dir, keyring) = keyring();
        let (_other_dir, other) = keyring_pair();
        let fragment = longest_realistic_record()
            .sign(keyring.active().unwrap())
            .unwrap();
        assert_eq!(
            verify(&"A".repeat(MAX_FRAGMENT_CHARS + 1), CODE, &keyring),
            Err(RecordError::TooLong)
        );
        assert_eq!(verify("not base32!", CODE, &keyring), Err(RecordError::NotBase32));
        assert!(
            verify(&fragment[..fragment.len() / 2], CODE, &keyring).is_err(),
            "truncated"
        );
        assert_eq!(verify("", CODE, &keyring), Err(RecordError::NotCose));
        assert!(matches!(
            verify(&fragment, CODE, &other),
            Err(RecordError::UnknownKey(_))
        ));

        let bytes = BASE32_NOPAD.decode(fragment.as_bytes()).unwrap();
        let mut sign1 = CoseSign1::from_slice(&bytes).unwrap();
        sign1.protected.header.alg = Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ES256));
        sign1.protected.original_data = None;
        let wrong_alg = BASE32_NOPAD.encode(&sign1.to_vec().unwrap());
        assert_eq!(
            verify(&wrong_alg, CODE, &keyring),
            Err(RecordError::WrongAlgorithm)
        );
    }

    fn keyring_pair() -> (tempfile::TempDir, Keyring) {
        keyring()
    }

    #[test]
    fn rotation_keeps_old_records_verifying_and_compromise_is_reported() {
        let (dir, mut keyring) = keyring();
        let old_kid = keyring.active().unwrap().kid_hex();
        let fragment = longest_realistic_record()
            .sign(keyring.active().unwrap())
            .unwrap();
        keyring.rotate().unwrap();
        let reopened = Keyring::open_or_create(dir.path()).unwrap();
        assert_eq!(
            verify(&fragment, CODE, &reopened).unwrap().key_status,
            KeyStatus::Retired
        );
        let mut compromised = reopened;
        compromised.mark_compromised(&old_kid).unwrap();
        assert_eq!(
            verify(&fragment, CODE, &compromised).unwrap().key_status,
            KeyStatus::Compromised
        );
    }
}
