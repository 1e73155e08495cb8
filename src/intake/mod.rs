//! Results files in, checked entries out. All or nothing: either every row is good, or the user gets
//! every problem at once, row by row, and nothing is stored.

mod columns;
mod csv_file;

use serde::Serialize;

use crate::domain::EntryDraft;
use crate::i18n::{Lang, Message};

pub use columns::Field;

#[derive(Debug, Clone, Copy)]
pub struct IntakeLimits {
    pub max_rows: usize,
    pub max_cell_chars: usize,
}

impl Default for IntakeLimits {
    fn default() -> Self {
        IntakeLimits {
            max_rows: 100_000,
            max_cell_chars: 1_000,
        }
    }
}

/// One problem in an uploaded file, where a spreadsheet user would look for it.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// 1-based row as the spreadsheet shows it (the header is row 1); 0 for the whole file.
    pub row: usize,
    pub column: Option<String>,
    pub message: Message,
}

#[derive(Debug, Clone, Serialize)]
pub struct LocalizedRowError {
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
}

#[derive(Debug, thiserror::Error)]
#[error("the results file has {} problem(s)", .0.len())]
pub struct IntakeError(pub Vec<RowError>);

/// Reads an uploaded results file. Only UTF-8 CSV for now; the format is sniffed here so others
/// can slot in.
pub fn read_results(bytes: &[u8], limits: IntakeLimits) -> Result<Vec<EntryDraft>, IntakeError> {
    csv_file::read(bytes, limits)
}
