//! The public keys as a JSON Web Key Set (RFC 8037 OKP keys), every retired and compromised key
//! included, so anyone can verify any paper ever issued.

use data_encoding::BASE64URL_NOPAD;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use super::keys::{KeyStatus, Keyring};

#[derive(Debug, Serialize, Deserialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub kid: String,
    #[serde(rename = "use")]
    pub usage: String,
    pub alg: String,
    /// gramota's own member: active, retired or compromised.
    pub status: KeyStatus,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_at: String,
}

pub fn of(keyring: &Keyring) -> Jwks {
    Jwks {
        keys: keyring
            .keys()
            .iter()
            .map(|k| Jwk {
                kty: "OKP".into(),
                crv: "Ed25519".into(),
                x: BASE64URL_NOPAD.encode(k.verifying.as_bytes()),
                kid: k.kid_hex(),
                usage: "sig".into(),
                alg: "EdDSA".into(),
                status: k.status,
                created_at: k.created_at.clone(),
            })
            .collect(),
    }
}

/// Reads a key set published by a gramota instance, for verifying papers away from it.
pub fn keyring_from(jwks: &Jwks) -> Keyring {
    let keys = jwks
        .keys
        .iter()
        .filter(|k| k.kty == "OKP" && k.crv == "Ed25519")
        .filter_map(|k| {
            let bytes: [u8; 32] = BASE64URL_NOPAD.decode(k.x.as_bytes()).ok()?.try_into().ok()?;
            Some((VerifyingKey::from_bytes(&bytes).ok()?, k.status))
        })
        .collect();
    Keyring::verify_only(keys)
}
