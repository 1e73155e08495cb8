//! Work files and rules documents, kept in the data folder under `works/` by their SHA-256, outside
//! any web root: they are served only through the checks of the pages that show them (the
//! organizer, the competition's jury, the applicant's own link).
//!
//! An upload is written to a temporary file as it arrives, never held whole in memory, hashed and
//! counted on the way; the first bytes tell its type (never its name, which anyone can change). It
//! joins the store only when the application that carries it is stored: a refused application
//! leaves nothing behind, its temporary files go when they are dropped.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use crate::domain::application::FileKind;
use crate::i18n::PortalMessage;

/// How many first bytes are kept to tell the file's type.
const HEAD: usize = 8192;

#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    #[error("refused: {0:?}")]
    Refused(PortalMessage),
    #[error(transparent)]
    Io(#[from] io::Error),
}

#[derive(Clone, Debug)]
pub struct WorkStore {
    dir: PathBuf,
}

impl WorkStore {
    /// The store in a data folder.
    pub fn in_data_dir(data_dir: &Path) -> WorkStore {
        WorkStore {
            dir: data_dir.join("works"),
        }
    }

    /// Begins receiving a file of at most `limit_mb` megabytes.
    pub fn receive(&self, field: &str, name: &str, limit_mb: u32) -> Result<Incoming, WorkError> {
        let incoming = self.dir.join("incoming");
        std::fs::create_dir_all(&incoming)?;
        Ok(Incoming {
            temp: NamedTempFile::new_in(incoming)?,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::new(),
            limit_mb,
            field: field.to_string(),
            name: clean_name(name),
        })
    }

    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
        valid.then(|| self.dir.join(&sha256[..2]).join(sha256))
    }

    /// Moves a received file into the store (the same bytes kept before are kept once).
    pub fn keep(&self, work: ReceivedWork) -> io::Result<()> {
        let target = self
            .path_of(&work.sha256)
            .ok_or_else(|| io::Error::other("not a SHA-256"))?;
        if target.exists() {
            return Ok(());
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        work.temp.as_file().sync_all()?;
        work.temp.persist(&target).map_err(|e| e.error)?;
        Ok(())
    }

    /// Keeps bytes already in memory (a rules document read by the API).
    pub fn keep_bytes(&self, bytes: &[u8]) -> io::Result<String> {
        let sha256 = hex(&Sha256::digest(bytes));
        let target = self
            .path_of(&sha256)
            .ok_or_else(|| io::Error::other("not a SHA-256"))?;
        if !target.exists() {
            let parent = target.parent().ok_or_else(|| io::Error::other("no folder"))?;
            std::fs::create_dir_all(parent)?;
            let mut temp = NamedTempFile::new_in(parent)?;
            temp.write_all(bytes)?;
            temp.as_file().sync_all()?;
            temp.persist(&target).map_err(|e| e.error)?;
        }
        Ok(sha256)
    }

    pub fn open(&self, sha256: &str) -> io::Result<File> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        File::open(path)
    }

    /// Removes bytes nothing holds any more.
    pub fn forget(&self, sha256: &str) {
        if let Some(path) = self.path_of(sha256) {
            if let Err(e) = std::fs::remove_file(&path) {
                if e.kind() != io::ErrorKind::NotFound {
                    tracing::warn!(error = %e, "a work file could not be removed");
                }
            }
        }
    }
}

/// A name as the applicant's device gave it, for showing and downloading: no folders, no controls.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    match cleaned.trim() {
        "" => "file".into(),
        t => t.to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file arriving.
pub struct Incoming {
    temp: NamedTempFile,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    limit_mb: u32,
    field: String,
    name: String,
}

impl Incoming {
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Writes the next piece; a file over its limit is refused as soon as it passes it.
    pub fn write(&mut self, chunk: &[u8]) -> Result<(), WorkError> {
        self.size += chunk.len() as u64;
        if self.size > u64::from(self.limit_mb) * 1024 * 1024 {
            return Err(WorkError::Refused(PortalMessage::FileTooLarge {
                name: self.name.clone(),
                mb: self.limit_mb,
            }));
        }
        if self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.temp.write_all(chunk)?;
        Ok(())
    }

    /// The file whole, if its bytes say it is of a kind the call takes.
    pub fn finish(self, allowed: &[FileKind]) -> Result<ReceivedWork, WorkError> {
        if self.size == 0 {
            return Err(WorkError::Refused(PortalMessage::EmptyFile(self.name)));
        }
        let media_type = media_type_of(&self.head);
        let kind = media_type.and_then(FileKind::of_media_type);
        let Some(media_type) = media_type.filter(|_| kind.is_some_and(|k| allowed.contains(&k))) else {
            let allowed: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
            return Err(WorkError::Refused(PortalMessage::WrongFileType {
                name: self.name,
                allowed: allowed.join(", "),
            }));
        };
        Ok(ReceivedWork {
            temp: self.temp,
            sha256: hex(&self.hasher.finalize()),
            size: self.size,
            media_type: media_type.to_string(),
            field: self.field,
            name: self.name,
        })
    }
}

/// The media type the first bytes of a file say, if they say a known one.
pub fn media_type_of(head: &[u8]) -> Option<&'static str> {
    infer::get(head).map(|t| t.mime_type())
}

/// A file received whole and checked, not yet in the store.
pub struct ReceivedWork {
    temp: NamedTempFile,
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    pub field: String,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_typed_by_its_bytes_and_refused_past_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let store = WorkStore::in_data_dir(dir.path());
        let mut pdf = store.receive("work", "../../etc/работа.pdf", 1).unwrap();
        pdf.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
        let work = pdf.finish(&[FileKind::Pdf]).unwrap();
        assert_eq!(work.media_type, "application/pdf");
        assert_eq!(work.name, "работа.pdf");
        let sha = work.sha256.clone();
        store.keep(work).unwrap();
        assert!(store.path_of(&sha).unwrap().exists());

        let mut renamed = store.receive("work", "virus.pdf", 1).unwrap();
        renamed.write(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0").unwrap();
        assert!(matches!(
            renamed.finish(&[FileKind::Pdf]),
            Err(WorkError::Refused(PortalMessage::WrongFileType { .. }))
        ));

        let mut big = store.receive("work", "big.pdf", 1).unwrap();
        big.write(&vec![0u8; 1024 * 1024]).unwrap();
        assert!(matches!(
            big.write(b"x"),
            Err(WorkError::Refused(PortalMessage::FileTooLarge { mb: 1, .. }))
        ));
        drop(big);
        let left = std::fs::read_dir(dir.path().join("works/incoming"))
            .unwrap()
            .count();
        assert_eq!(left, 0, "refused uploads leave no temporary file");
    }
}
