//! Where rendered PDFs are kept: one file per document under the data directory.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::domain::Document;

#[derive(Debug, Clone)]
pub struct DocumentStore {
    root: PathBuf,
}

impl DocumentStore {
    pub fn new(data_dir: &Path) -> DocumentStore {
        DocumentStore {
            root: data_dir.join("documents"),
        }
    }

    pub fn path_of(&self, document: &Document) -> PathBuf {
        self.root
            .join(&document.competition_id)
            .join(format!("{}.pdf", document.serial))
    }

    /// Writes `parts` one after the other through a temporary file and a rename, so a reader
    /// never sees half a PDF.
    pub fn write(&self, document: &Document, parts: &[&[u8]]) -> std::io::Result<()> {
        let path = self.path_of(document);
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir)?;
        let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
        for part in parts {
            temporary.write_all(part)?;
        }
        temporary.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }

    pub fn read(&self, document: &Document) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path_of(document))
    }
}
