//! Signing keys live in a file readable by the service alone, never in the database: whoever reads
//! the database must not be able to forge papers. Retired keys stay, so old papers keep verifying.

use std::io::Write;
use std::path::{Path, PathBuf};

use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::time::now_rfc3339;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    /// Signs new papers.
    Active,
    /// Verifies the papers it signed; signs nothing new.
    Retired,
    /// Its secret may be known to others: papers it signed show a warning.
    Compromised,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "active",
            KeyStatus::Retired => "retired",
            KeyStatus::Compromised => "compromised",
        }
    }

    pub fn parse(text: &str) -> Option<KeyStatus> {
        [KeyStatus::Active, KeyStatus::Retired, KeyStatus::Compromised]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

#[derive(Clone, Serialize, Deserialize)]
struct StoredKey {
    kid: String,
    secret: String,
    created_at: String,
    status: KeyStatus,
}

#[derive(Clone, Serialize, Deserialize, Default)]
struct KeyFile {
    keys: Vec<StoredKey>,
}

#[derive(Clone)]
pub struct Key {
    pub kid: Vec<u8>,
    pub status: KeyStatus,
    pub created_at: String,
    signing: Option<SigningKey>,
    pub verifying: VerifyingKey,
}

impl Key {
    /// A key with its private half (it can sign) or without (it only verifies).
    pub(super) fn new(
        signing: Option<SigningKey>,
        verifying: VerifyingKey,
        status: KeyStatus,
        created_at: String,
    ) -> Key {
        Key {
            kid: kid_of(&verifying),
            status,
            created_at,
            signing,
            verifying,
        }
    }

    pub fn kid_hex(&self) -> String {
        HEXLOWER.encode(&self.kid)
    }

    pub fn sign(&self, message: &[u8]) -> Option<[u8; 64]> {
        use ed25519_dalek::Signer;
        self.signing.as_ref().map(|k| k.sign(message).to_bytes())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the key file {0}: {1}")]
    Io(String, std::io::Error),
    #[error("the key file {0} is not valid: {1}")]
    Invalid(String, String),
    #[error("no key with id {0}")]
    UnknownKey(String),
    #[error("there is no active signing key")]
    NoActiveKey,
    #[error("cannot read or store the shared signing keys: {0}")]
    Db(#[from] crate::db::DbError),
    #[error(
        "this instance's signing secret is not the one the deployment's keys were made from (key {kid}, \
         generation {generation}, in the database): every instance must be given the same \
         GRAMOTA_SIGNING_SECRET or signing secret file, or it would sign with keys the others do not know"
    )]
    SecretMismatch { kid: String, generation: i32 },
    #[error("the shared key {kid} in the database is not valid: {reason}")]
    StoredKey { kid: String, reason: &'static str },
}

/// The keys this instance signs and verifies with.
#[derive(Clone)]
pub struct Keyring {
    keys: Vec<Key>,
    path: Option<PathBuf>,
}

/// Key ids are the first 4 bytes of the SHA-256 of the public key: short in the QR, stable anywhere.
pub(super) fn kid_of(verifying: &VerifyingKey) -> Vec<u8> {
    Sha256::digest(verifying.as_bytes())[..4].to_vec()
}

impl Keyring {
    /// Opens the key file in the data directory, creating it with a first key on first start.
    pub fn open_or_create(data_dir: &Path) -> Result<Keyring, KeyError> {
        let path = Self::file_in(data_dir);
        if !path.exists() {
            let mut keyring = Keyring {
                keys: Vec::new(),
                path: Some(path),
            };
            keyring.rotate()?;
            return Ok(keyring);
        }
        Self::load(&path)
    }

    /// The keyring in the data directory if there is one; never creates keys.
    pub fn open_existing(data_dir: &Path) -> Result<Option<Keyring>, KeyError> {
        let path = Self::file_in(data_dir);
        if path.exists() {
            Self::load(&path).map(Some)
        } else {
            Ok(None)
        }
    }

    pub fn file_in(data_dir: &Path) -> PathBuf {
        data_dir.join("keys").join("signing-keys.json")
    }

    fn load(path: &Path) -> Result<Keyring, KeyError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| KeyError::Io(shown.clone(), e))?;
        let file: KeyFile =
            serde_json::from_str(&text).map_err(|e| KeyError::Invalid(shown.clone(), e.to_string()))?;
        let keys = file
            .keys
            .into_iter()
            .map(|stored| {
                let secret: [u8; 32] = BASE64URL_NOPAD
                    .decode(stored.secret.as_bytes())
                    .ok()
                    .and_then(|bytes| bytes.try_into().ok())
                    .ok_or_else(|| KeyError::Invalid(shown.clone(), format!("key {} secret", stored.kid)))?;
                let signing = SigningKey::from_bytes(&secret);
                let verifying = signing.verifying_key();
                Ok(Key {
                    kid: kid_of(&verifying),
                    status: stored.status,
                    created_at: stored.created_at,
                    signing: Some(signing),
                    verifying,
                })
            })
            .collect::<Result<Vec<_>, KeyError>>()?;
        Ok(Keyring {
            keys,
            path: Some(path.to_path_buf()),
        })
    }

    /// The keys a deployment keeps in its database (`shared`): there is no file to save to.
    pub(super) fn of_keys(keys: Vec<Key>) -> Keyring {
        Keyring { keys, path: None }
    }

    /// A keyring of public keys only (from a JWKS), for verifying away from the service.
    pub fn verify_only(keys: Vec<(VerifyingKey, KeyStatus)>) -> Keyring {
        let keys = keys
            .into_iter()
            .map(|(verifying, status)| Key {
                kid: kid_of(&verifying),
                status,
                created_at: String::new(),
                signing: None,
                verifying,
            })
            .collect();
        Keyring { keys, path: None }
    }

    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    pub fn active(&self) -> Result<&Key, KeyError> {
        self.keys
            .iter()
            .rev()
            .find(|k| k.status == KeyStatus::Active && k.signing.is_some())
            .ok_or(KeyError::NoActiveKey)
    }

    pub fn find(&self, kid: &[u8]) -> Option<&Key> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// A new active key; the previous active key is retired and kept for verifying.
    pub fn rotate(&mut self) -> Result<&Key, KeyError> {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let signing = SigningKey::from_bytes(&secret);
        let verifying = signing.verifying_key();
        for key in &mut self.keys {
            if key.status == KeyStatus::Active {
                key.status = KeyStatus::Retired;
            }
        }
        self.keys.push(Key {
            kid: kid_of(&verifying),
            status: KeyStatus::Active,
            created_at: now_rfc3339(),
            signing: Some(signing),
            verifying,
        });
        self.save()?;
        self.active()
    }

    /// Marks a key compromised. If it was the active key, a new one is made at once.
    pub fn mark_compromised(&mut self, kid_hex: &str) -> Result<(), KeyError> {
        let key = self
            .keys
            .iter_mut()
            .find(|k| k.kid_hex() == kid_hex)
            .ok_or_else(|| KeyError::UnknownKey(kid_hex.to_string()))?;
        let was_active = key.status == KeyStatus::Active;
        key.status = KeyStatus::Compromised;
        if was_active {
            self.rotate()?;
        } else {
            self.save()?;
        }
        Ok(())
    }

    fn save(&self) -> Result<(), KeyError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let shown = path.display().to_string();
        let io = |e| KeyError::Io(shown.clone(), e);
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let file = KeyFile {
            keys: self
                .keys
                .iter()
                .filter_map(|k| {
                    let signing = k.signing.as_ref()?;
                    Some(StoredKey {
                        kid: k.kid_hex(),
                        secret: BASE64URL_NOPAD.encode(signing.as_bytes()),
                        created_at: k.created_at.clone(),
                        status: k.status,
                    })
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&file)
            .map_err(|e| KeyError::Invalid(shown.clone(), e.to_string()))?;
        let mut temporary = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        restrict_to_owner(temporary.as_file()).map_err(io)?;
        temporary.write_all(text.as_bytes()).map_err(io)?;
        // The new keys reach the disk before the rename makes them the key file, and the rename
        // reaches it before we go on to sign with them: after a power cut the file is the old
        // keys or the new ones, never an empty or half-written file that no paper verifies with.
        temporary.as_file().sync_all().map_err(io)?;
        temporary.persist(path).map_err(|e| io(e.error))?;
        sync_folder(dir).map_err(io)?;
        Ok(())
    }
}

/// Makes a rename in `dir` durable (the folder's entry, not only the file's bytes).
#[cfg(unix)]
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn restrict_to_owner(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_to_owner(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_created_once_kept_private_and_rotated() {
        let dir = tempfile::tempdir().unwrap();
        let first = Keyring::open_or_create(dir.path()).unwrap();
        let kid = first.active().unwrap().kid.clone();
        let reopened = Keyring::open_or_create(dir.path()).unwrap();
        assert_eq!(
            reopened.active().unwrap().kid,
            kid,
            "the same key after a restart"
        );

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("keys/signing-keys.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let mut rotating = reopened;
        let new_kid = rotating.rotate().unwrap().kid.clone();
        assert_ne!(new_kid, kid);
        let after = Keyring::open_or_create(dir.path()).unwrap();
        assert_eq!(after.find(&kid).map(|k| k.status), Some(KeyStatus::Retired));
        assert_eq!(after.active().unwrap().kid, new_kid);
    }
}
