//! Where rendered PDFs are kept, under the data directory. Every paper of a design starts with the
//! same bytes (the header, the design's fonts and pictures), so that start is kept once, in
//! `documents/shared/<its SHA-256>.pdfpart`, and each paper is kept as a one-line reference to it
//! followed by the paper's own bytes: a 100,000-paper batch takes about a tenth of the disk.
//! A batch keeps its papers many to a file, a pack (`documents/<competition>/<UUID>.pdfpack`),
//! the document recording where its bytes lie: creating a file per paper costs the file system
//! more than writing it. A paper issued on its own (a correction) has a file of its own, as has
//! every paper of older data, some written whole.

use std::collections::HashMap;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::render::PaperPdf;
use crate::domain::{Document, PackSlice};

/// The first bytes of a kept paper that continues a shared start: then the start's SHA-256 in
/// lowercase hex and a newline. A PDF starts with `%PDF`, so the two cannot be confused.
const SHARED_REFERENCE: &[u8] = b"%gramota-shared ";
const DIGEST_HEX_LEN: usize = 64;

/// Shared starts kept in memory: one per design version in use, so a handful.
const SHARED_KEPT: usize = 32;

/// Papers are gathered this far before they go to the pack's file.
const PACK_BUFFER: usize = 256 * 1024;

/// A pack on disk.
#[derive(Debug, Clone)]
pub struct KeptPack {
    pub competition_id: String,
    pub pack: uuid::Uuid,
    pub modified: std::time::SystemTime,
}

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

    fn pack_path(&self, competition_id: &str, pack: &uuid::Uuid) -> PathBuf {
        self.root
            .join(competition_id)
            .join(format!("{}.pdfpack", pack.hyphenated()))
    }

    /// Every pack kept, with its competition and when it was last written.
    pub fn packs(&self) -> std::io::Result<Vec<KeptPack>> {
        let mut packs = Vec::new();
        let Ok(folders) = std::fs::read_dir(&self.root) else {
            return Ok(packs);
        };
        for folder in folders {
            let folder = folder?;
            let Some(competition_id) = folder.file_name().to_str().map(String::from) else {
                continue;
            };
            if !folder.file_type()?.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(folder.path())? {
                let file = file?;
                let name = file.file_name();
                let Some(pack) = name
                    .to_str()
                    .and_then(|n| n.strip_suffix(".pdfpack"))
                    .and_then(|n| uuid::Uuid::try_parse(n).ok())
                else {
                    continue;
                };
                packs.push(KeptPack {
                    competition_id: competition_id.clone(),
                    pack,
                    modified: file.metadata()?.modified()?,
                });
            }
        }
        Ok(packs)
    }

    pub fn remove_pack(&self, kept: &KeptPack) -> std::io::Result<()> {
        std::fs::remove_file(self.pack_path(&kept.competition_id, &kept.pack))
    }

    /// Deletes every stored PDF of a competition (its folder: packs and single papers), when its
    /// personal data is erased. The shared starts of designs stay: they hold no one's name.
    pub fn remove_competition(&self, competition_id: &str) -> std::io::Result<()> {
        // An id is one path component; anything else is not ours to delete.
        if competition_id.is_empty() || competition_id.contains(['/', '\\', '.']) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a competition id",
            ));
        }
        match std::fs::remove_dir_all(self.root.join(competition_id)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    /// Keeps one document's paper in a file of its own.
    pub fn write(&self, document: &Document, pdf: &PaperPdf) -> std::io::Result<()> {
        let reference = self.shared_reference(pdf)?;
        write_paper(&self.path_of(document), &[&reference, pdf.tail()])
    }

    /// Keeps a paper rendered again (see `kept`) in a file of its own, written whole before it
    /// gets its name: two requests for the same paper may render and keep it at the same time.
    pub fn keep_rendered(&self, document: &Document, pdf: &PaperPdf) -> std::io::Result<()> {
        let reference = self.shared_reference(pdf)?;
        let path = self.path_of(document);
        write_whole(folder_made(&path)?, &path, &[&reference, pdf.tail()])
    }

    /// Keeps papers of a competition one after the other in a new pack, on disk before it returns;
    /// gives where each lies, in order. Nothing names the pack until its documents record it, so a
    /// pack a killed worker left half-written is never read.
    pub fn write_pack(&self, competition_id: &str, papers: &[PaperPdf]) -> std::io::Result<Vec<PackSlice>> {
        let pack = uuid::Uuid::new_v4();
        let path = self.pack_path(competition_id, &pack);
        folder_made(&path)?;
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        let mut out = BufWriter::with_capacity(PACK_BUFFER, file);
        let mut offset = 0;
        let mut slices = Vec::with_capacity(papers.len());
        for pdf in papers {
            let reference = self.shared_reference(pdf)?;
            out.write_all(&reference)?;
            out.write_all(pdf.tail())?;
            let length = (reference.len() + pdf.tail().len()) as u64;
            slices.push(PackSlice { pack, offset, length });
            offset += length;
        }
        let file = out.into_inner().map_err(|e| e.into_error())?;
        // One flush to disk per pack, not per paper: once the documents say rendered, their
        // bytes survive a power cut.
        file.sync_data()?;
        Ok(slices)
    }

    /// The line a kept paper starts with, its design's start kept first if new.
    fn shared_reference(&self, pdf: &PaperPdf) -> std::io::Result<Vec<u8>> {
        let prefix = pdf.prefix();
        self.keep_shared(&prefix.id, &prefix.bytes)?;
        Ok([SHARED_REFERENCE, prefix.id.as_bytes(), b"\n"].concat())
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
        let mut pdf = Vec::new();
        self.copy_to(document, &mut pdf)?;
        Ok(pdf)
    }

    /// Writes the document's PDF, whole, to `out`.
    pub fn copy_to(&self, document: &Document, out: &mut impl Write) -> std::io::Result<()> {
        let (kept, source) = match &document.packed {
            None => {
                let path = self.path_of(document);
                (std::fs::read(&path)?, path)
            }
            Some(slice) => {
                let path = self.pack_path(&document.competition_id, &slice.pack);
                match read_slice(&path, slice) {
                    Ok(kept) => (kept, path),
                    // The pack is another instance's; a copy rendered here is its own file.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        let own = self.path_of(document);
                        (std::fs::read(&own)?, own)
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        self.write_pdf(&kept, &source, out)
    }

    /// Writes the PDF a kept paper stands for: a whole file as it is, a reference as its shared
    /// start followed by the rest.
    fn write_pdf(&self, kept: &[u8], source: &Path, out: &mut impl Write) -> std::io::Result<()> {
        let Some(after) = kept.strip_prefix(SHARED_REFERENCE) else {
            return out.write_all(kept);
        };
        let digest = after
            .get(..DIGEST_HEX_LEN)
            .filter(|d| d.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)))
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|_| after.get(DIGEST_HEX_LEN) == Some(&b'\n'))
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}: a broken reference to a shared start", source.display()),
                )
            })?;
        out.write_all(&self.shared_start(digest)?)?;
        out.write_all(&after[DIGEST_HEX_LEN + 1..])
    }
}

fn read_slice(path: &Path, slice: &PackSlice) -> std::io::Result<Vec<u8>> {
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(slice.offset))?;
    let length = usize::try_from(slice.length).map_err(std::io::Error::other)?;
    let mut kept = vec![0; length];
    file.read_exact(&mut kept)?;
    Ok(kept)
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
    temporary.as_file().sync_data()?;
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
    use crate::delivery::plan::tests::document;
    use crate::issuance::render::{Renderer, DEFAULT_DESIGN};

    #[test]
    fn papers_read_back_whole_from_a_pack_from_their_own_files_and_from_older_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = DocumentStore::new(dir.path());
        let renderer = Renderer::new().unwrap();
        let mut documents: Vec<Document> = (1..=3)
            .map(|i| document(&i.to_string(), "Сейтқали Айгерім"))
            .collect();
        let papers: Vec<PaperPdf> = documents
            .iter()
            .map(|d| {
                renderer
                    .render_paper(DEFAULT_DESIGN, &d.payload, &d.code.to_string())
                    .unwrap()
            })
            .collect();
        let slices = store
            .write_pack(&documents[0].competition_id, &papers[..2])
            .unwrap();
        assert_eq!(slices[0].pack, slices[1].pack);
        assert_eq!(slices[1].offset, slices[0].length);
        for (document, slice) in documents.iter_mut().zip(&slices) {
            document.packed = Some(*slice);
        }
        store.write(&documents[2], &papers[2]).unwrap();
        // A new store (another process) finds the shared start on disk.
        let store = DocumentStore::new(dir.path());
        for (document, paper) in documents.iter().zip(papers) {
            assert_eq!(
                store.read(document).unwrap(),
                paper.into_bytes(),
                "{}",
                document.serial
            );
        }

        let mut older = document("4", "Әсем");
        std::fs::write(store.path_of(&older), b"%PDF-1.7\nwhole").unwrap();
        assert_eq!(store.read(&older).unwrap(), b"%PDF-1.7\nwhole");
        for broken in [
            &b"%gramota-shared ../../etc/passwd\n"[..],
            b"%gramota-shared abab\n",
        ] {
            std::fs::write(store.path_of(&older), broken).unwrap();
            let error = store.read(&older).unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::InvalidData, "{broken:?}");
        }
        // A pack this instance does not have: a copy rendered here again is read instead.
        older.packed = Some(PackSlice {
            pack: uuid::Uuid::new_v4(),
            offset: 0,
            length: 10,
        });
        std::fs::write(store.path_of(&older), b"%PDF-1.7\nagain").unwrap();
        assert_eq!(store.read(&older).unwrap(), b"%PDF-1.7\nagain");
        std::fs::remove_file(store.path_of(&older)).unwrap();
        assert_eq!(
            store.read(&older).unwrap_err().kind(),
            std::io::ErrorKind::NotFound
        );
    }
}
