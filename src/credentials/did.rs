//! The organization's DID (`did:web`), which its credentials name as their issuer and whose
//! document lists the keys that sign them.
//!
//! Why a DID: a verifier that follows Open Badges 3.0 and VC-JOSE-COSE finds the signing key from
//! the credential alone — `kid` is a DID URL, `did:web:HOST:o:SLUG#KID`, resolved by fetching
//! `https://HOST/o/SLUG/did.json` (the did:web method) — instead of knowing gramota's own key-set
//! address. The DID rides on the organization's portal address (`/o/SLUG`), so it reads as the
//! organization, and on the deployment's public address, so it is as stable as the QR codes.
//!
//! The document lists every key of the deployment, active, retired and compromised alike, as
//! `JsonWebKey` verification methods (the same JWK as `/.well-known/gramota-keys.json`): a
//! credential signed before a rotation still finds its key. A compromised key stays listed, so its
//! credentials resolve, but is marked so (gramota's `status` member, as in the key set) and left
//! out of `assertionMethod`, for a verifier to refuse it.

use data_encoding::BASE64URL_NOPAD;
use serde_json::{json, Value};

use crate::trust::keys::{Key, KeyStatus};

/// The context of a DID document (DID Core 1.0) and of `JsonWebKey` verification methods.
const DID_CONTEXT: &str = "https://www.w3.org/ns/did/v1";
const JWK_CONTEXT: &str = "https://w3id.org/security/jwk/v1";

/// `did:web:HOST%3APORT:PATH:o:SLUG` for the public URL `SCHEME://HOST:PORT/PATH` (did:web: the
/// port's colon percent-encoded, the path's slashes written as colons).
pub fn did(public_url: &str, slug: &str) -> String {
    let rest = public_url
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut did = format!("did:web:{}", authority.to_ascii_lowercase().replace(':', "%3A"));
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        did.push(':');
        did.push_str(segment);
    }
    did.push_str(":o:");
    did.push_str(slug);
    did
}

/// Where the DID document is served: `PUBLIC_URL/o/SLUG/did.json`.
pub fn document_url(public_url: &str, slug: &str) -> String {
    format!("{}/o/{slug}/did.json", public_url.trim_end_matches('/'))
}

/// The `kid` of a credential signed by `key` for the issuer `did`: a DID URL.
pub fn key_id(did: &str, key: &Key) -> String {
    format!("{did}#{}", key.kid_hex())
}

/// The DID document: every key as a `JsonWebKey` verification method; the keys that are not
/// compromised are also its `assertionMethod`s (what may sign credentials), so a verifier that
/// checks the relationship refuses a compromised key and one that only looks a key up finds it.
pub fn document(did: &str, keys: &[Key]) -> Value {
    let methods: Vec<Value> = keys
        .iter()
        .map(|key| {
            json!({
                "id": key_id(did, key),
                "type": "JsonWebKey",
                "controller": did,
                "publicKeyJwk": {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": BASE64URL_NOPAD.encode(key.verifying.as_bytes()),
                    "kid": key.kid_hex(),
                    "alg": "EdDSA",
                    "use": "sig",
                },
                "status": key.status.as_str(),
            })
        })
        .collect();
    let asserting: Vec<String> = keys
        .iter()
        .filter(|key| key.status != KeyStatus::Compromised)
        .map(|key| key_id(did, key))
        .collect();
    json!({
        "@context": [DID_CONTEXT, JWK_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": asserting,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_did_web_follows_the_public_address() {
        assert_eq!(did("https://gramota.kz", "dpc"), "did:web:gramota.kz:o:dpc");
        assert_eq!(did("https://Gramota.kz/", "dpc"), "did:web:gramota.kz:o:dpc");
        assert_eq!(
            did("http://127.0.0.1:8080", "dpc"),
            "did:web:127.0.0.1%3A8080:o:dpc"
        );
        assert_eq!(
            did("https://edu.kz/gramota/", "dpc"),
            "did:web:edu.kz:gramota:o:dpc"
        );
        assert_eq!(
            document_url("https://edu.kz/gramota/", "dpc"),
            "https://edu.kz/gramota/o/dpc/did.json"
        );
    }
}
