use rust_xlsxwriter::{Format, Workbook};

use super::{ExportError, Table};

/// Every cell is written as a string, never as a formula, and neutralized besides: a user who
/// copies cells into another sheet or saves as CSV gets no formula either.
pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, ExportError> {
    let fail = |e: rust_xlsxwriter::XlsxError| ExportError(e.to_string());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = Format::new().set_bold();
    for (column, title) in table.header.iter().enumerate() {
        let column = u16::try_from(column).map_err(|e| ExportError(e.to_string()))?;
        sheet
            .write_string_with_format(0, column, title, &bold)
            .map_err(fail)?;
    }
    for (row, line) in table.rows.iter().enumerate() {
        let row = u32::try_from(row + 1).map_err(|e| ExportError(e.to_string()))?;
        for (column, cell) in line.iter().enumerate() {
            let column = u16::try_from(column).map_err(|e| ExportError(e.to_string()))?;
            sheet.write_string(row, column, cell).map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    sheet.set_column_width(1, 36).map_err(fail)?;
    sheet.set_column_width(3, 36).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::super::results_table;
    use super::super::tests::entry;
    use super::*;
    use crate::domain::Award;
    use crate::i18n::Lang;
    use crate::intake::{read_results, IntakeLimits};

    #[test]
    fn an_exported_workbook_reads_back() {
        let bytes = to_xlsx(&results_table(&[entry("=1+1", Award::Laureate)], Lang::Kk)).unwrap();
        let drafts = read_results(&bytes, IntakeLimits::default()).unwrap();
        assert_eq!(drafts[0].holder.as_str(), "'=1+1");
        assert_eq!(drafts[0].award, Award::Laureate);
        assert_eq!(drafts[0].nomination.as_deref(), Some("'-2"));
    }
}
