//! The signed-record decoder takes whatever a QR code or a URL carries: any input must end in a
//! verdict, never a panic, a hang or unbounded memory.
#![no_main]

use std::sync::OnceLock;

use ed25519_dalek::SigningKey;
use gramota::trust::{record, KeyStatus, Keyring};
use libfuzzer_sys::fuzz_target;

fn keys() -> &'static Keyring {
    static KEYS: OnceLock<Keyring> = OnceLock::new();
    KEYS.get_or_init(|| {
        let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
        Keyring::verify_only(vec![(key, KeyStatus::Active)])
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = record::verify(text, "ABCDEFGHJKMNPQRS", keys());
    }
    // The same bytes as a well-formed base32 fragment reach the COSE and CBOR parsers.
    let fragment = data_encoding::BASE32_NOPAD.encode(data);
    let _ = record::verify(&fragment, "ABCDEFGHJKMNPQRS", keys());
});
