//! The keyring as the service sees it: read from its file, and read again when the file changes,
//! so `gramota keys rotate` takes effect without a restart.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use super::keys::{KeyError, Keyring};

pub struct KeyStore {
    data_dir: PathBuf,
    cached: RwLock<Option<(Option<SystemTime>, Arc<Keyring>)>>,
}

impl KeyStore {
    /// Opens (or on first start creates) the key file in the data directory.
    pub fn open(data_dir: &Path) -> Result<KeyStore, KeyError> {
        let store = KeyStore {
            data_dir: data_dir.to_path_buf(),
            cached: RwLock::new(None),
        };
        store.current()?;
        Ok(store)
    }

    fn modified(&self) -> Option<SystemTime> {
        std::fs::metadata(Keyring::file_in(&self.data_dir))
            .and_then(|m| m.modified())
            .ok()
    }

    pub fn current(&self) -> Result<Arc<Keyring>, KeyError> {
        let modified = self.modified();
        if let Ok(cached) = self.cached.read() {
            if let Some((seen, keyring)) = cached.as_ref() {
                if *seen == modified && modified.is_some() {
                    return Ok(keyring.clone());
                }
            }
        }
        let keyring = Arc::new(Keyring::open_or_create(&self.data_dir)?);
        if let Ok(mut cached) = self.cached.write() {
            *cached = Some((self.modified(), keyring.clone()));
        }
        Ok(keyring)
    }
}
