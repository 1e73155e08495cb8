//! One key set for every instance of a deployment: several `gramota serve` on one PostgreSQL, with
//! no shared file system. Every instance is given the same secret (`GRAMOTA_SIGNING_SECRET` or a
//! mounted file) and derives each key's private half from it and the key's generation with
//! HKDF-SHA256. The database holds only what anyone may know — generation, public half, status —
//! so a copy of the database signs nothing, and a rotation or a compromise made through one
//! instance is what every other instance reads next.
//!
//! An instance given another secret derives other keys: at start-up (and before any rotation) each
//! stored generation's key id is derived again and compared, and a mismatch is refused, so two
//! instances never sign with different active keys.
//!
//! The first instance to start stores the first generation, with the public halves of the key file
//! it had as a single server (retired: they only verify what they signed).

use data_encoding::BASE64URL_NOPAD;
use ed25519_dalek::{SigningKey, VerifyingKey};
use hkdf::Hkdf;
use sha2::Sha256;

use super::keys::{kid_of, Key, KeyError, KeyStatus, Keyring};
use crate::config::SigningSecret;
use crate::db::signing_keys::{self, KeyRow};
use crate::db::DbConnection;
use crate::domain::time::now_rfc3339;

const SALT: &[u8] = b"gramota signing keys";

fn derived(secret: &SigningSecret, generation: i32) -> SigningKey {
    let mut bytes = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's limit of 255 × 32, so expanding cannot fail.
    let _ = Hkdf::<Sha256>::new(Some(SALT), secret.bytes())
        .expand(format!("generation {generation}").as_bytes(), &mut bytes);
    SigningKey::from_bytes(&bytes)
}

fn hex(verifying: &VerifyingKey) -> String {
    data_encoding::HEXLOWER.encode(&kid_of(verifying))
}

fn row_of(secret: &SigningSecret, generation: i32, status: KeyStatus) -> KeyRow {
    let verifying = derived(secret, generation).verifying_key();
    KeyRow {
        kid: hex(&verifying),
        generation: Some(generation),
        public_key: BASE64URL_NOPAD.encode(verifying.as_bytes()),
        status: status.as_str().into(),
        created_at: now_rfc3339(),
    }
}

/// The deployment's keys as the database has them; refused if they were not made from `secret`.
pub fn load(conn: &mut DbConnection, secret: &SigningSecret) -> Result<Keyring, KeyError> {
    let keys = signing_keys::all(conn)?
        .into_iter()
        .map(|row| key_of(row, secret))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Keyring::of_keys(keys))
}

fn key_of(row: KeyRow, secret: &SigningSecret) -> Result<Key, KeyError> {
    let invalid = |reason| KeyError::StoredKey {
        kid: row.kid.clone(),
        reason,
    };
    let status = KeyStatus::parse(&row.status).ok_or_else(|| invalid("unknown status"))?;
    let (signing, verifying) = match row.generation {
        Some(generation) => {
            let signing = derived(secret, generation);
            let verifying = signing.verifying_key();
            if hex(&verifying) != row.kid {
                return Err(KeyError::SecretMismatch {
                    kid: row.kid,
                    generation,
                });
            }
            (Some(signing), verifying)
        }
        None => {
            let bytes: [u8; 32] = BASE64URL_NOPAD
                .decode(row.public_key.as_bytes())
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| invalid("the public key is not 32 bytes of base64url"))?;
            let verifying =
                VerifyingKey::from_bytes(&bytes).map_err(|_| invalid("not an Ed25519 public key"))?;
            if hex(&verifying) != row.kid {
                return Err(invalid("the key id is not the public key's"));
            }
            (None, verifying)
        }
    };
    Ok(Key::new(signing, verifying, status, row.created_at))
}

/// At start-up: the deployment's keys, the first generation stored if no instance has yet (with
/// the public halves of `own`, this instance's key file from before, to verify what they signed).
pub fn open(
    conn: &mut DbConnection,
    secret: &SigningSecret,
    own: Option<&Keyring>,
) -> Result<Keyring, KeyError> {
    if signing_keys::all(conn)?.is_empty() {
        let mut rows: Vec<KeyRow> = own
            .map(|keyring| {
                keyring
                    .keys()
                    .iter()
                    .map(|key| KeyRow {
                        kid: key.kid_hex(),
                        generation: None,
                        public_key: BASE64URL_NOPAD.encode(key.verifying.as_bytes()),
                        status: match key.status {
                            KeyStatus::Compromised => KeyStatus::Compromised,
                            _ => KeyStatus::Retired,
                        }
                        .as_str()
                        .into(),
                        created_at: key.created_at.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        rows.push(row_of(secret, 1, KeyStatus::Active));
        // Another instance starting at the same moment may store first; then its keys are read
        // below, and refused if its secret is not this one.
        signing_keys::insert_first(conn, &rows)?;
    }
    load(conn, secret)
}

/// [`open`], with this instance's key file (if it has one) as the keys from before.
pub fn open_beside(
    conn: &mut DbConnection,
    secret: &SigningSecret,
    data_dir: &std::path::Path,
) -> Result<Keyring, KeyError> {
    let own = Keyring::open_existing(data_dir)?;
    open(conn, secret, own.as_ref())
}

/// A new active key for every instance; the one before it keeps verifying. Returns its id.
pub fn rotate(conn: &mut DbConnection, secret: &SigningSecret) -> Result<String, KeyError> {
    load(conn, secret)?;
    let row = row_of(
        secret,
        signing_keys::last_generation(conn)? + 1,
        KeyStatus::Active,
    );
    signing_keys::rotate_to(conn, &row)?;
    Ok(row.kid)
}

/// Marks a key compromised; an active one is replaced at once.
pub fn mark_compromised(
    conn: &mut DbConnection,
    secret: &SigningSecret,
    kid_hex: &str,
) -> Result<(), KeyError> {
    let keyring = load(conn, secret)?;
    let key = keyring
        .keys()
        .iter()
        .find(|k| k.kid_hex() == kid_hex)
        .ok_or_else(|| KeyError::UnknownKey(kid_hex.to_string()))?;
    let was_active = key.status == KeyStatus::Active;
    signing_keys::set_status(conn, kid_hex, KeyStatus::Compromised.as_str())?;
    if was_active {
        rotate(conn, secret)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_secret_derives_the_same_keys_and_another_does_not() {
        let secret = SigningSecret::parse(&SigningSecret::generate()).unwrap();
        let other = SigningSecret::parse(&SigningSecret::generate()).unwrap();
        let first = row_of(&secret, 1, KeyStatus::Active);
        assert_eq!(first.kid, row_of(&secret, 1, KeyStatus::Active).kid);
        assert_ne!(first.kid, row_of(&secret, 2, KeyStatus::Active).kid);
        assert!(key_of(first.clone(), &secret).is_ok());
        assert!(matches!(
            key_of(first, &other),
            Err(KeyError::SecretMismatch { generation: 1, .. })
        ));
    }

    #[test]
    fn a_single_servers_keys_keep_verifying_when_it_joins_a_deployment_and_rotations_follow() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::connect(dir.path().join("gramota.db").to_str().unwrap(), 1).unwrap();
        let own = Keyring::open_or_create(dir.path()).unwrap();
        let own_kid = own.active().unwrap().kid_hex();
        let secret = SigningSecret::parse(&SigningSecret::generate()).unwrap();
        let mut conn = db.conn().unwrap();

        let keyring = open(&mut conn, &secret, Some(&own)).unwrap();
        let kept = keyring.keys().iter().find(|k| k.kid_hex() == own_kid).unwrap();
        assert_eq!(kept.status, KeyStatus::Retired);
        assert!(kept.sign(b"x").is_none(), "its private half stays in its file");
        let first = keyring.active().unwrap().kid_hex();
        assert_eq!(first, row_of(&secret, 1, KeyStatus::Active).kid);
        assert_eq!(
            open(&mut conn, &secret, None).unwrap().keys().len(),
            2,
            "stored once"
        );

        let second = rotate(&mut conn, &secret).unwrap();
        let keyring = load(&mut conn, &secret).unwrap();
        assert_eq!(keyring.active().unwrap().kid_hex(), second);
        assert_eq!(
            keyring.find(&keyring.keys()[1].kid).unwrap().status,
            KeyStatus::Retired
        );
        mark_compromised(&mut conn, &secret, &second).unwrap();
        let keyring = load(&mut conn, &secret).unwrap();
        let statuses: Vec<_> = keyring.keys().iter().map(|k| k.status).collect();
        assert_eq!(
            statuses,
            [
                KeyStatus::Retired,
                KeyStatus::Retired,
                KeyStatus::Compromised,
                KeyStatus::Active
            ]
        );

        let other = SigningSecret::parse(&SigningSecret::generate()).unwrap();
        assert!(matches!(
            rotate(&mut conn, &other),
            Err(KeyError::SecretMismatch { .. })
        ));
        assert_eq!(
            load(&mut conn, &secret).unwrap().keys().len(),
            4,
            "nothing stored for it"
        );
    }
}
