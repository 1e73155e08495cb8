//! The ZIP of a competition's PDFs, with file names a person can read.

use std::io::{Seek, Write};

use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use super::storage::DocumentStore;
use crate::domain::{Document, DocumentStatus};

/// "KZ-2026-000001 Сейтқали Айгерім.pdf": serial first so files sort as the register does.
pub fn file_name(document: &Document) -> String {
    let holder: String = document
        .payload
        .holder
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    format!("{} {}.pdf", document.serial, holder.trim())
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("could not read a stored PDF: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not write the archive: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// Writes every valid document into a ZIP (revoked and superseded papers stay out: the bundle is
/// what gets printed and sent). PDFs are already compressed, so they are stored.
pub fn write_zip<W: Write + Seek>(
    out: W,
    store: &DocumentStore,
    documents: &[Document],
) -> Result<W, BundleError> {
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let current = documents
        .iter()
        .filter(|d| d.sha256.is_some() && d.status == DocumentStatus::Valid);
    for document in current {
        zip.start_file(file_name(document), options)?;
        zip.write_all(&store.read(document)?)?;
    }
    Ok(zip.finish()?)
}
