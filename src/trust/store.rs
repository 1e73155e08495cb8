//! The keyring as the service sees it. A single server reads its key file, and reads it again when
//! the file changes, so `gramota keys rotate` takes effect without a restart. A deployment of
//! several instances (`shared`) reads the keys from the database: at most a second old for
//! verifying, and as they are at that moment for signing, so a rotation through one instance is
//! what the next paper signed by any instance uses.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use super::keys::{KeyError, Keyring};
use super::shared;
use crate::config::SigningSecret;
use crate::db::Db;

/// How long a deployment's keys read from the database serve the verification pages.
const SHARED_FOR: Duration = Duration::from_secs(1);

enum Source {
    File(PathBuf),
    Shared { db: Db, secret: SigningSecret },
}

enum Seen {
    /// The key file's modification time when it was read.
    File(Option<SystemTime>),
    /// When the database was read.
    Shared(Instant),
}

pub struct KeyStore {
    source: Source,
    cached: RwLock<Option<(Seen, Arc<Keyring>)>>,
}

impl KeyStore {
    /// Opens (or on first start creates) the key file in the data directory; with a shared secret,
    /// the deployment's keys in the database instead, refused if they were made from another secret.
    pub fn open(data_dir: &Path, shared: Option<(&Db, &SigningSecret)>) -> Result<KeyStore, KeyError> {
        let source = match shared {
            None => Source::File(data_dir.to_path_buf()),
            Some((db, secret)) => {
                shared::open_beside(&mut *db.conn()?, secret, data_dir)?;
                Source::Shared {
                    db: db.clone(),
                    secret: secret.clone(),
                }
            }
        };
        let store = KeyStore {
            source,
            cached: RwLock::new(None),
        };
        store.current()?;
        Ok(store)
    }

    fn modified(data_dir: &Path) -> Option<SystemTime> {
        std::fs::metadata(Keyring::file_in(data_dir))
            .and_then(|m| m.modified())
            .ok()
    }

    /// The keys to verify with (and, for a single server, to sign with).
    pub fn current(&self) -> Result<Arc<Keyring>, KeyError> {
        let fresh = |seen: &Seen| match (seen, &self.source) {
            (Seen::File(at), Source::File(dir)) => at.is_some() && *at == Self::modified(dir),
            (Seen::Shared(at), Source::Shared { .. }) => at.elapsed() < SHARED_FOR,
            _ => false,
        };
        if let Ok(cached) = self.cached.read() {
            if let Some((_, keyring)) = cached.as_ref().filter(|(seen, _)| fresh(seen)) {
                return Ok(keyring.clone());
            }
        }
        self.read()
    }

    /// The keys to sign with: for a deployment, as the database has them now.
    pub fn for_signing(&self) -> Result<Arc<Keyring>, KeyError> {
        match self.source {
            Source::File(_) => self.current(),
            Source::Shared { .. } => self.read(),
        }
    }

    fn read(&self) -> Result<Arc<Keyring>, KeyError> {
        let (seen, keyring) = match &self.source {
            Source::File(dir) => {
                let keyring = Keyring::open_or_create(dir)?;
                (Seen::File(Self::modified(dir)), keyring)
            }
            Source::Shared { db, secret } => {
                let keyring = shared::load(&mut *db.conn()?, secret)?;
                (Seen::Shared(Instant::now()), keyring)
            }
        };
        let keyring = Arc::new(keyring);
        if let Ok(mut cached) = self.cached.write() {
            *cached = Some((seen, keyring.clone()));
        }
        Ok(keyring)
    }
}
