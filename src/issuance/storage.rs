//! Where rendered PDFs are kept, under the data directory. Every paper of a design starts with the
//! same bytes (the header, the design's fonts and pictures), so that start is kept once, in
//! `documents/shared/<its SHA-256>.pdfpart`, and each document's file holds a one-line reference
//! to it followed by the paper's own bytes: a 100,000-paper batch takes about a tenth of the disk,
//! and issuing writes a tenth as much. A file written whole (older data) is read as it is.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::render::PaperPdf;
use crate::domain::Document;

/// The first bytes of a document file that continues a shared start: then the start's SHA-256 in
/// lowercase hex and a newline. A PDF starts with `%PDF`, so the two cannot be confused.
const SHARED_REFERENCE: &[u8] = b"%gramota-shared ";
const DIGEST_HEX_LEN: usize = 64;

/// Shared starts kept in memory: one per design version in use, so a handful.
const SHARED_KEPT: usize = 32;

#[derive(Debug, Clone)]
pub struct DocumentStore {
    root: PathBuf,
    shared: Arc<Mutex<HashMap<String, Arc<[u8]>>>>,
}

impl DocumentStore {
    pub fn new(data_dir: &Path) -> DocumentStore {
        DocumentStore {
            root: data_dir.join("documents"),
            shared: Arc::default(),
        }
    }

    /// The document's own file (which may reference a shared start): read it with [`Self::read`].
    fn path_of(&self, document: &Document) -> PathBuf {
        self.root
            .join(&document.competition_id)
            .join(format!("{}.pdf", document.serial))
    }

    fn shared_path(&self, digest: &str) -> PathBuf {
        self.root.join("shared").join(format!("{digest}.pdfpart"))
    }

    /// Keeps the document's paper: its design's start once, then its own bytes after a reference.
    pub fn write(&self, document: &Document, pdf: &PaperPdf) -> std::io::Result<()> {
        self.write_file(&self.path_of(document), pdf)
    }

    /// Keeps a paper at `path`, a file under this store, as [`Self::write`] does.
    pub fn write_file(&self, path: &Path, pdf: &PaperPdf) -> std::io::Result<()> {
        let prefix = pdf.prefix();
        self.keep_shared(&prefix.id, &prefix.bytes)?;
        let reference = [SHARED_REFERENCE, prefix.id.as_bytes(), b"\n"].concat();
        write_paper(path, &[&reference, pdf.tail()])
    }

    fn keep_shared(&self, digest: &str, bytes: &[u8]) -> std::io::Result<()> {
        if self.known_shared(digest).is_some() {
            return Ok(());
        }
        let path = self.shared_path(digest);
        if !path.exists() {
            write_whole(folder_made(&path)?, &path, &[bytes])?;
        }
        self.remember_shared(digest, bytes.into());
        Ok(())
    }

    fn known_shared(&self, digest: &str) -> Option<Arc<[u8]>> {
        self.shared.lock().ok()?.get(digest).cloned()
    }

    fn remember_shared(&self, digest: &str, bytes: Arc<[u8]>) {
        if let Ok(mut shared) = self.shared.lock() {
            if shared.len() >= SHARED_KEPT {
                shared.clear();
            }
            shared.insert(digest.to_string(), bytes);
        }
    }

    fn shared_start(&self, digest: &str) -> std::io::Result<Arc<[u8]>> {
        if let Some(bytes) = self.known_shared(digest) {
            return Ok(bytes);
        }
        let bytes: Arc<[u8]> = std::fs::read(self.shared_path(digest))?.into();
        self.remember_shared(digest, bytes.clone());
        Ok(bytes)
    }

    /// The document's PDF, whole.
    pub fn read(&self, document: &Document) -> std::io::Result<Vec<u8>> {
        self.read_file(&self.path_of(document))
    }

    /// The PDF a document file under this store holds, whole.
    pub fn read_file(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let mut pdf = Vec::new();
        self.copy_file(path, &mut pdf)?;
        Ok(pdf)
    }

    /// Writes the document's PDF, whole, to `out`.
    pub fn copy_to(&self, document: &Document, out: &mut impl Write) -> std::io::Result<()> {
        self.copy_file(&self.path_of(document), out)
    }

    fn copy_file(&self, path: &Path, out: &mut impl Write) -> std::io::Result<()> {
        let own = std::fs::read(path)?;
        let Some(after) = own.strip_prefix(SHARED_REFERENCE) else {
            return out.write_all(&own);
        };
        let digest = after
            .get(..DIGEST_HEX_LEN)
            .filter(|d| d.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)))
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|_| after.get(DIGEST_HEX_LEN) == Some(&b'\n'))
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}: a broken reference to a shared start", path.display()),
                )
            })?;
        out.write_all(&self.shared_start(digest)?)?;
        out.write_all(&after[DIGEST_HEX_LEN + 1..])
    }
}

/// A paper's file is written in place when it is new: a document is marked rendered only after
/// its file is whole, so nobody reads it before, and a temporary file and a rename per paper cost
/// ext4 more than the writing. A file that exists is what a killed worker left, or one a stalled
/// worker is still writing: it is replaced whole.
fn write_paper(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir = folder_made(path)?;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => parts.iter().try_for_each(|part| file.write_all(part)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => write_whole(dir, path, parts),
        Err(e) => Err(e),
    }
}

/// Writes `parts` one after the other through a temporary file in `dir` and a rename, so a reader
/// never sees half a file.
fn write_whole(dir: &Path, path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    for part in parts {
        temporary.write_all(part)?;
    }
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The file's folder, made if missing.
fn folder_made(path: &Path) -> std::io::Result<&Path> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other(format!("{} has no folder", path.display())))?;
    std::fs::create_dir_all(dir)?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_file_reads_as_it_is_and_a_reference_continues_its_shared_start() {
        let dir = tempfile::tempdir().unwrap();
        let store = DocumentStore::new(dir.path());
        let whole = dir.path().join("whole.pdf");
        std::fs::write(&whole, b"%PDF-1.7\nwhole").unwrap();
        assert_eq!(store.read_file(&whole).unwrap(), b"%PDF-1.7\nwhole");

        let digest = "ab".repeat(32);
        store.keep_shared(&digest, b"%PDF-1.7\nshared ").unwrap();
        // A new store (another process) finds the start on disk.
        let store = DocumentStore::new(dir.path());
        let own = dir.path().join("own.pdf");
        std::fs::write(&own, [SHARED_REFERENCE, digest.as_bytes(), b"\nown"].concat()).unwrap();
        assert_eq!(store.read_file(&own).unwrap(), b"%PDF-1.7\nshared own");

        for broken in [
            &b"%gramota-shared ../../etc/passwd\n"[..],
            b"%gramota-shared abab\n",
        ] {
            std::fs::write(&own, broken).unwrap();
            let error = store.read_file(&own).unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::InvalidData, "{broken:?}");
        }
    }
}
