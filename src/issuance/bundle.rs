//! The ZIP of a competition's PDFs, with file names a person can read, written as a stream: the
//! documents are read from the database a page at a time and each PDF is copied from disk, so
//! memory does not grow with the batch.

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use super::Issuance;
use crate::db::bundles::Selection;
use crate::db::{self, Db, DbError};
use crate::domain::Document;

/// How the files are laid out inside the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Folders {
    #[default]
    None,
    /// One folder per region of the entries.
    Region,
    /// One folder per organization (school, club) of the entries.
    Organization,
}

impl Folders {
    pub fn parse(text: &str) -> Option<Folders> {
        match text {
            "" | "none" => Some(Folders::None),
            "region" => Some(Folders::Region),
            "organization" => Some(Folders::Organization),
            _ => None,
        }
    }
}

/// Characters Windows or a ZIP tool would take for path syntax become `_`; runs of spaces become
/// one `-`, so the name reads as one word in a file list.
fn clean(text: &str, max_chars: usize) -> String {
    let replaced: String = text
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    replaced
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .take(max_chars)
        .collect::<String>()
        .trim_matches(|c: char| c == '.' || c == '-')
        .to_string()
}

/// "KZ-2026-000001_Сейтқали-Айгерім.pdf": serial first so files sort as the register does; the
/// names stay in UTF-8 (ZIP marks them so).
pub fn file_name(document: &Document) -> String {
    let holder = clean(&document.payload.holder, 80);
    if holder.is_empty() {
        format!("{}.pdf", document.serial)
    } else {
        format!("{}_{holder}.pdf", document.serial)
    }
}

/// The file's path inside the archive, in a folder when asked.
pub fn entry_path(document: &Document, folders: Folders) -> String {
    let folder = match folders {
        Folders::None => return file_name(document),
        Folders::Region => document.payload.region.as_deref(),
        Folders::Organization => document.payload.school.as_deref(),
    };
    let folder = folder.map(|f| clean(f, 100)).filter(|f| !f.is_empty());
    format!("{}/{}", folder.as_deref().unwrap_or("_"), file_name(document))
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("could not read a stored PDF: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not write the archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Db(#[from] DbError),
}

const PAGE: i64 = 500;

/// Calls `each` for every selected rendered document of a competition, in serial order, holding one
/// page of them at a time.
pub fn for_each_document(
    db: &Db,
    competition_id: &str,
    selection: &Selection,
    mut each: impl FnMut(&Document) -> Result<(), BundleError>,
) -> Result<usize, BundleError> {
    let mut after: Option<String> = None;
    let mut count = 0;
    loop {
        let page = {
            let mut conn = db.conn()?;
            db::bundles::rendered_page(&mut conn, competition_id, selection, after.as_deref(), PAGE)?
        };
        let Some(last) = page.last() else {
            return Ok(count);
        };
        after = Some(last.serial.to_string());
        for document in &page {
            each(document)?;
            count += 1;
        }
    }
}

/// Writes the selected documents of a competition into a ZIP on `out`, which need not seek (a pipe
/// to an HTTP response). PDFs are already compressed, so they are stored.
pub fn write_zip<W: Write>(
    out: W,
    issuance: &Issuance,
    competition_id: &str,
    selection: &Selection,
    folders: Folders,
) -> Result<W, BundleError> {
    let mut zip = zip::ZipWriter::new_stream(out);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .large_file(false);
    for_each_document(&issuance.db, competition_id, selection, |document| {
        zip.start_file(entry_path(document, folders), options)?;
        issuance.copy_paper(document, &mut zip)?;
        Ok(())
    })?;
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_letters_and_lose_path_syntax() {
        assert_eq!(clean("Сейтқали  Айгерім Қ.", 80), "Сейтқали-Айгерім-Қ");
        assert_eq!(clean("a/b\\c:d*e?f\"g<h>i|j", 80), "a_b_c_d_e_f_g_h_i_j");
        assert_eq!(clean("..", 80), "");
        assert_eq!(clean("Әбілқайыров Ерасыл", 5), "Әбілқ");
        assert_eq!(Folders::parse("region"), Some(Folders::Region));
        assert_eq!(Folders::parse(""), Some(Folders::None));
        assert_eq!(Folders::parse("colour"), None);
    }
}
