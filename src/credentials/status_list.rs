//! An organization's Bitstring Status List (W3C Bitstring Status List v1.0): one bit a credential,
//! set when its paper is revoked or superseded. The list is made on request from one query (the
//! organization's papers that are no longer valid and have a place) and signed like the
//! credentials; it is short-lived (`LIFETIME`) and cached by HTTP for `MAX_AGE_SECONDS`, so a
//! revocation reaches verifiers within minutes and an old list cannot be replayed for long.

use std::io::Write;

use data_encoding::BASE64URL_NOPAD;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::badge::VC_CONTEXT;
use crate::domain::time::format_timestamp;

/// The spec's minimum length (16 KiB of bits), for herd privacy: a list this long says nothing of
/// how many papers an organization has.
pub const MIN_BITS: i64 = 131_072;
/// How long a signed list is valid.
pub const LIFETIME: time::Duration = time::Duration::days(1);
/// How long a client or proxy may keep a list before asking again.
pub const MAX_AGE_SECONDS: u32 = 60;

/// Where new places are drawn from, at random: four times as many places as are taken (at least
/// the minimum length), so a draw rarely hits a taken place and the list grows only as needed.
pub fn room_for(taken: i64) -> i64 {
    let wanted = u64::try_from(taken.saturating_add(1).saturating_mul(4)).unwrap_or(0);
    i64::try_from(wanted.next_power_of_two())
        .unwrap_or(i64::MAX)
        .max(MIN_BITS)
}

/// The list's bits, place 0 the first byte's highest bit, GZIP-compressed and written as
/// multibase base64url (`u…`).
pub fn encode(revoked: &[i64], highest: Option<i64>) -> std::io::Result<String> {
    let bits = highest.map_or(0, |h| h.saturating_add(1)).max(MIN_BITS);
    let length = u64::try_from(bits).unwrap_or(0).div_ceil(8);
    let mut bytes = vec![0u8; usize::try_from(length).unwrap_or(0)];
    for place in revoked.iter().filter_map(|p| usize::try_from(*p).ok()) {
        if let Some(byte) = bytes.get_mut(place / 8) {
            *byte |= 0x80 >> (place % 8);
        }
    }
    let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
    gzip.write_all(&bytes)?;
    Ok(format!("u{}", BASE64URL_NOPAD.encode(&gzip.finish()?)))
}

/// The status list credential, with the JWT claims VC-JOSE-COSE names beside it.
pub fn credential(issuer_id: &str, list_url: &str, encoded_list: &str, now: OffsetDateTime) -> Value {
    let now = now.replace_nanosecond(0).unwrap_or(now);
    let until = now + LIFETIME;
    json!({
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": format_timestamp(now),
        "validUntil": format_timestamp(until),
        "credentialSubject": {
            "id": format!("{list_url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
        "iss": issuer_id,
        "jti": list_url,
        "iat": now.unix_timestamp(),
        "nbf": now.unix_timestamp(),
        "exp": until.unix_timestamp(),
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn decode(encoded: &str) -> Vec<u8> {
        let gzip = BASE64URL_NOPAD
            .decode(encoded.strip_prefix('u').unwrap().as_bytes())
            .unwrap();
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut bytes)
            .unwrap();
        bytes
    }

    #[test]
    fn credentials_status_list_sets_the_bits_of_revoked_places_only() {
        let bytes = decode(&encode(&[0, 9, 131_071], Some(131_071)).unwrap());
        assert_eq!(bytes.len(), 16_384, "the minimum length, 16 KiB");
        assert_eq!(bytes[0], 0b1000_0000, "place 0 is the first byte's highest bit");
        assert_eq!(bytes[1], 0b0100_0000);
        assert_eq!(bytes[16_383], 0b0000_0001);
        assert_eq!(bytes.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
        let longer = decode(&encode(&[200_000], Some(200_007)).unwrap());
        assert_eq!(longer.len(), 25_001, "long enough for the highest place");
        assert_eq!(longer[25_000], 0b1000_0000);
    }

    #[test]
    fn credentials_room_grows_with_the_places_taken() {
        assert_eq!(room_for(0), MIN_BITS);
        assert_eq!(room_for(32_767), MIN_BITS);
        assert_eq!(room_for(40_000), 262_144);
    }
}
