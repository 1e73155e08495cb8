//! XLSX through calamine, cell by cell: a sheet whose dimensions claim a million rows by sixteen
//! thousand columns must not become a dense grid in memory.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx};

use super::{max_grid_rows, zip_guard, Format, Grid, GridRow, IntakeLimits, Source};
use crate::i18n::Message;

/// Far more than any results sheet; cells further right are notes, not data.
const MAX_COLUMNS: usize = 200;

pub fn read(bytes: &[u8], limits: IntakeLimits) -> Result<(Grid, Source), Message> {
    zip_guard::check(bytes, limits)?;
    // A parser bug on a hostile file must end as "this file is damaged", not as a lost worker.
    catch_unwind(AssertUnwindSafe(|| read_checked(bytes, limits)))
        .unwrap_or_else(|_| Err(Message::CorruptXlsx("unreadable workbook".into())))
}

fn read_checked(bytes: &[u8], limits: IntakeLimits) -> Result<(Grid, Source), Message> {
    let corrupt = |e: calamine::XlsxError| Message::CorruptXlsx(e.to_string());
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(corrupt)?;
    let sheet = workbook
        .sheets_metadata()
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .ok_or(Message::NoWorksheet)?;
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(corrupt)?;

    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(corrupt)? {
        let (row, column) = cell.get_position();
        let column = column as usize;
        let text = cell_text(cell.get_value());
        if column >= MAX_COLUMNS || text.trim().is_empty() {
            continue;
        }
        if !rows.contains_key(&row) && rows.len() >= max_grid_rows(limits) {
            break;
        }
        let cells = rows.entry(row).or_default();
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }
    let grid = Grid {
        rows: rows
            .into_iter()
            .map(|(row, cells)| GridRow {
                number: row as usize + 1,
                cells,
            })
            .collect(),
        ragged: false,
    };
    let source = Source {
        format: Format::Xlsx,
        encoding: None,
        delimiter: None,
        sheet: Some(sheet),
    };
    Ok((grid, source))
}

/// Places typed as numbers come back as floats: `1.0` must read as "1".
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::DateTime(d) => float_text(d.as_f64()),
        DataRef::Bool(b) => b.to_string(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    #[test]
    fn reads_cells_where_the_sheet_has_them() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Итоги").unwrap();
        sheet.write_string(0, 0, "Протокол").unwrap();
        sheet.write_string(2, 1, "ФИО").unwrap();
        sheet.write_number(2, 2, 1.0).unwrap();
        sheet.write_number(3, 2, 2.5).unwrap();
        sheet.write_string(4, 300, "far right").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();

        let (grid, source) = read(&bytes, IntakeLimits::default()).unwrap();
        assert_eq!(source.sheet.as_deref(), Some("Итоги"));
        let rows: Vec<(usize, Vec<&str>)> = grid
            .rows
            .iter()
            .map(|r| (r.number, r.cells.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (1, vec!["Протокол"]),
                (3, vec!["", "ФИО", "1"]),
                (4, vec!["", "", "2.5"]),
            ]
        );
    }

    #[test]
    fn a_damaged_workbook_is_a_clear_error() {
        let mut workbook = Workbook::new();
        workbook.add_worksheet().write_string(0, 0, "ФИО").unwrap();
        let mut bytes = workbook.save_to_buffer().unwrap();
        bytes.truncate(bytes.len() / 2);
        assert!(matches!(
            read(&bytes, IntakeLimits::default()),
            Err(Message::CorruptXlsx(_))
        ));
    }
}
