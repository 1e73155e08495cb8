//! Results files in, checked entries out. All or nothing: either every row is good, or the user gets
//! every problem at once, row by row, and nothing is stored.
//!
//! A file is first read into a [`Grid`] of text cells (CSV in any of the encodings Excel writes, or
//! XLSX), then one format-independent reading finds the header, maps the columns and checks rows.

mod columns;
mod csv_file;
mod encoding;
mod mapping;
mod scores;
mod table;
mod xlsx_file;
mod zip_guard;

#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::domain::EntryDraft;
use crate::i18n::{Lang, Message};

pub use columns::Field;
pub use encoding::TextEncoding;
pub use mapping::{award_key, column_letter, AwardChoice, AwardMapping, ColumnMapping, MappingError};
pub use scores::{read_scores, ScoreColumns, ScoreRow};
pub use table::{MappedColumn, Reading, RepeatKind, RowWarning, UnknownAward};

#[derive(Debug, Clone, Copy)]
pub struct IntakeLimits {
    pub max_rows: usize,
    pub max_cell_chars: usize,
    /// The sum of an XLSX archive's declared uncompressed sizes.
    pub max_unpacked_bytes: u64,
    /// Uncompressed to compressed size of one archive entry; spreadsheets stay far below it.
    pub max_compression_ratio: u64,
}

impl Default for IntakeLimits {
    fn default() -> Self {
        IntakeLimits {
            max_rows: 100_000,
            max_cell_chars: 1_000,
            max_unpacked_bytes: 100 * 1024 * 1024,
            max_compression_ratio: 200,
        }
    }
}

/// How to read a file: limits, and what the user said when guessing is not enough.
#[derive(Debug, Clone, Default)]
pub struct IntakeOptions {
    pub limits: IntakeLimits,
    pub columns: ColumnMapping,
    pub awards: AwardMapping,
}

/// One problem in an uploaded file, where a spreadsheet user would look for it.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// 1-based row as the spreadsheet shows it; 0 for the whole file.
    pub row: usize,
    pub column: Option<String>,
    pub message: Message,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = RowError)]
pub struct LocalizedRowError {
    /// row as the spreadsheet shows it (header = 1); 0 for the whole file
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
}

impl RowError {
    pub fn localized(&self, lang: Lang) -> LocalizedRowError {
        LocalizedRowError {
            row: self.row,
            column: self.column.clone(),
            message: self.message.text(lang),
        }
    }

    fn whole_file(message: Message) -> RowError {
        RowError {
            row: 0,
            column: None,
            message,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the results file has {} problem(s)", .0.len())]
pub struct IntakeError(pub Vec<RowError>);

impl From<RowError> for IntakeError {
    fn from(error: RowError) -> Self {
        IntakeError(vec![error])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
}

/// What the bytes turned out to be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub format: Format,
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<char>,
    pub sheet: Option<String>,
}

/// A sheet as text cells, whatever the file format.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    pub rows: Vec<GridRow>,
    /// A CSV row has as many cells as the file wrote, so a short row is a mistake; a worksheet row
    /// simply ends at its last non-empty cell.
    pub ragged: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    /// 1-based, as the spreadsheet shows it.
    pub number: usize,
    pub cells: Vec<String>,
}

/// Title rows searched for the header, and the slack a grid reader keeps past `max_rows` so that
/// the table can still tell "too many rows".
const HEADER_SEARCH_ROWS: usize = 20;

fn max_grid_rows(limits: IntakeLimits) -> usize {
    limits.max_rows.saturating_add(HEADER_SEARCH_ROWS + 1)
}

/// Reads a file as far as it can be read. Unreadable files and a missing header are errors; row
/// problems are in [`Reading::errors`], so a preview can show them next to the rows that are good.
pub fn read(bytes: &[u8], options: &IntakeOptions) -> Result<Reading, IntakeError> {
    let (grid, source) = read_grid(bytes, options.limits).map_err(RowError::whole_file)?;
    table::read(grid, source, options)
}

/// Reads a whole file into entries, or every problem in it.
pub fn read_results(bytes: &[u8], limits: IntakeLimits) -> Result<Vec<EntryDraft>, IntakeError> {
    let options = IntakeOptions {
        limits,
        ..IntakeOptions::default()
    };
    read(bytes, &options)?.into_drafts()
}

/// The format is told by the bytes, never by a file name the user may have changed.
pub(crate) fn read_grid(bytes: &[u8], limits: IntakeLimits) -> Result<(Grid, Source), Message> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Message::EmptyFile);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return xlsx_file::read(bytes, limits);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // calamine's .xls reader fills the bounding box of each sheet's cells densely when it opens
        // the file: two cells at A1 and IV65536 cost about half a gigabyte. Refused until that is
        // bounded.
        return Err(Message::LegacyXls);
    }
    csv_file::read(bytes, limits)
}

#[cfg(test)]
mod sniffing {
    use super::*;

    #[test]
    fn sniffs_the_format_from_the_bytes() {
        let limits = IntakeLimits::default();
        assert_eq!(read_grid(b"", limits).unwrap_err(), Message::EmptyFile);
        assert_eq!(read_grid(b" \r\n", limits).unwrap_err(), Message::EmptyFile);
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        assert_eq!(read_grid(&ole, limits).unwrap_err(), Message::LegacyXls);
        assert!(matches!(
            read_grid(b"PK\x03\x04garbage", limits).unwrap_err(),
            Message::CorruptXlsx(_)
        ));
        let (_, source) = read_grid("ФИО\tМесто\nА Б\t1\n".as_bytes(), limits).unwrap();
        assert_eq!((source.format, source.delimiter), (Format::Csv, Some('\t')));
    }
}
