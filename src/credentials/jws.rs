//! Compact JWS (RFC 7515) signed with EdDSA (RFC 8037) by the same Ed25519 keys that sign the QR
//! records. A few lines over `ed25519-dalek` rather than a JOSE crate: the header is fixed, one
//! algorithm, no parsing of foreign tokens on the server.

use data_encoding::BASE64URL_NOPAD;
use serde_json::{json, Value};

use super::CredentialError;
use crate::trust::keys::{Key, KeyError};

/// The JOSE header: `kid` is where a verifier finds the key — a DID URL, `did:web:…#KID`, whose
/// fragment is the same key id as the published key set's `kid` and the QR record's COSE `kid`
/// (`super::did::key_id`). `typ` is "JWT" for an Open Badges credential (Open Badges 3.0 §8.2
/// allows no other value and no other header), "vc+jwt" for the status list (VC-JOSE-COSE).
pub fn header(kid: &str, typ: &str) -> Value {
    json!({"alg": "EdDSA", "kid": kid, "typ": typ})
}

/// `BASE64URL(header) . BASE64URL(payload) . BASE64URL(signature)`.
pub fn sign(header: &Value, payload: &Value, key: &Key) -> Result<String, CredentialError> {
    let header = BASE64URL_NOPAD.encode(&serde_json::to_vec(header)?);
    let payload = BASE64URL_NOPAD.encode(&serde_json::to_vec(payload)?);
    let input = format!("{header}.{payload}");
    let signature = key.sign(input.as_bytes()).ok_or(KeyError::NoActiveKey)?;
    Ok(format!("{input}.{}", BASE64URL_NOPAD.encode(&signature)))
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signature, Verifier};

    use super::*;
    use crate::trust::Keyring;

    #[test]
    fn credentials_jws_verifies_with_the_published_key_and_not_when_changed() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Keyring::open_or_create(dir.path()).unwrap();
        let key = keyring.active().unwrap();
        let did = super::super::did::did("https://gramota.example/", "dpc");
        let header = header(&super::super::did::key_id(&did, key), "JWT");
        assert_eq!(
            header["kid"],
            format!("did:web:gramota.example:o:dpc#{}", key.kid_hex())
        );
        let token = sign(&header, &json!({"name": "Диплом"}), key).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let signature: [u8; 64] = BASE64URL_NOPAD
            .decode(parts[2].as_bytes())
            .unwrap()
            .try_into()
            .unwrap();
        let signature = Signature::from_bytes(&signature);
        let input = format!("{}.{}", parts[0], parts[1]);
        assert!(key.verifying.verify(input.as_bytes(), &signature).is_ok());
        let changed = BASE64URL_NOPAD.encode(r#"{"name":"Dиплом"}"#.as_bytes());
        let forged = format!("{}.{changed}", parts[0]);
        assert!(key.verifying.verify(forged.as_bytes(), &signature).is_err());
    }
}
