//! CSV as spreadsheets export it: any of the encodings in `encoding`, `,` `;` or tab, title lines
//! above the header, quoted cells with commas and line breaks.
//!
//! At most [`MAX_COLUMNS`] cells a row, as for XLSX: a 20 MB line of commas is twenty million
//! cells, and parsing it took 650 MB. The text is scanned for its widest row before anything is
//! parsed, so such a file is refused without allocating a cell.

use super::encoding::decode;
use super::{max_grid_rows, Format, Grid, GridRow, IntakeLimits, Source, HEADER_SEARCH_ROWS};
use crate::i18n::Message;

/// The most cells a row may have, as XLSX reads at most (its `MAX_COLUMNS`).
pub const MAX_COLUMNS: usize = 200;

pub fn read(bytes: &[u8], limits: IntakeLimits) -> Result<(Grid, Source), Message> {
    let (text, encoding) = decode(bytes)?;
    let delimiter = sniff_delimiter(&text);
    if let Some(row) = first_row_too_wide(&text, delimiter) {
        return Err(Message::TooManyColumns {
            row,
            max: MAX_COLUMNS,
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());

    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The csv crate skips blank lines, a spreadsheet counts them as rows. The lines a record took
    // beyond its own (one, plus the breaks inside quoted cells) were those blank rows.
    let mut number = 0;
    let mut lines_before = reader.position().line();
    while rows.len() < max_grid_rows(limits) {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| Message::MalformedCsv(e.to_string()))?;
        if !more {
            break;
        }
        if record.len() > MAX_COLUMNS {
            return Err(Message::TooManyColumns {
                row: number + 1,
                max: MAX_COLUMNS,
            });
        }
        let lines_after = reader.position().line();
        let own_lines = 1 + record
            .iter()
            .map(|cell| cell.matches('\n').count() as u64)
            .sum::<u64>();
        let blank = lines_after.saturating_sub(lines_before).saturating_sub(own_lines);
        number += 1 + usize::try_from(blank).unwrap_or(0);
        lines_before = lines_after;
        rows.push(GridRow {
            number,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    let grid = Grid { rows, ragged: true };
    let source = Source {
        format: Format::Csv,
        encoding: Some(encoding),
        delimiter: Some(char::from(delimiter)),
        sheet: None,
    };
    Ok((grid, source))
}

/// The line number of the first record with more than [`MAX_COLUMNS`] cells, found by counting
/// delimiters outside quotes as the csv crate reads them: a quote opens a quoted cell only at the
/// cell's start, `""` inside one is a quote, and a line break outside quotes ends the record.
fn first_row_too_wide(text: &str, delimiter: u8) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let (mut state, mut cells, mut line, mut record_line) = (State::CellStart, 1usize, 1usize, 1usize);
    for &b in text.as_bytes() {
        if b == b'\n' {
            line += 1;
        }
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::CellStart, b'"') => State::Quoted,
            (_, b'\n' | b'\r') => {
                cells = 1;
                record_line = line;
                State::CellStart
            }
            (_, d) if d == delimiter => {
                cells += 1;
                if cells > MAX_COLUMNS {
                    return Some(record_line);
                }
                State::CellStart
            }
            _ => State::Unquoted,
        };
    }
    None
}

/// Russian-locale Excel writes `;`, others `,`, "Unicode text" a tab. Title lines hold few or no
/// delimiters, so the one most frequent outside quotes over the first lines wins.
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    const CANDIDATES: [char; 3] = [',', ';', '\t'];
    let mut quoted = false;
    let mut lines = 0;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                lines += 1;
                if lines > HEADER_SEARCH_ROWS {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|d| *d == c) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    // Ties go to the earlier candidate: `,` is the format's own default.
    let best = (0..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    CANDIDATES[best] as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(text: &str) -> (Grid, Source) {
        read(text.as_bytes(), IntakeLimits::default()).unwrap()
    }

    fn numbers(grid: &Grid) -> Vec<usize> {
        grid.rows.iter().map(|r| r.number).collect()
    }

    #[test]
    fn row_numbers_count_blank_lines_as_a_spreadsheet_does() {
        let (g, _) = grid("Протокол\n\nФИО;Место\nА Б;1\n\n\nВ Г;2\n");
        assert_eq!(numbers(&g), vec![1, 3, 4, 7]);
        let (g, _) = grid("ФИО,Школа\r\n\"А Б\",\"Школа\r\n№1\"\r\n\r\nВ Г,2");
        assert_eq!(numbers(&g), vec![1, 2, 4]);
        assert_eq!(g.rows[1].cells[1], "Школа\r\n№1");
    }

    #[test]
    fn the_delimiter_is_the_one_outside_quotes() {
        assert_eq!(sniff_delimiter("ФИО;Школа;Место\n\"А, Б\";\"1, 2\";3\n"), b';');
        assert_eq!(sniff_delimiter("Итоги конкурса\nname,school\n\"a; b\",c\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter("ФИО\nА Б\n"), b',');
    }

    #[test]
    fn a_row_wider_than_the_limit_is_refused_before_parsing() {
        let ok = format!("ФИО{}\nА Б\n", ",".repeat(MAX_COLUMNS - 1));
        assert!(read(ok.as_bytes(), IntakeLimits::default()).is_ok());
        let wide = format!("Итоги\nФИО{}\n", ";".repeat(MAX_COLUMNS));
        assert_eq!(
            read(wide.as_bytes(), IntakeLimits::default()).unwrap_err(),
            Message::TooManyColumns {
                row: 2,
                max: MAX_COLUMNS
            }
        );
        // Delimiters inside quotes are text, and a quote inside a cell does not hide the rest.
        let quoted = format!("ФИО,Школа\n\"{}\",1\n", ",".repeat(5000));
        assert!(read(quoted.as_bytes(), IntakeLimits::default()).is_ok());
        let sneaky = format!("ФИО,Школа\nА \"Б{}\n", ",".repeat(5000));
        assert!(matches!(
            read(sneaky.as_bytes(), IntakeLimits::default()),
            Err(Message::TooManyColumns { row: 2, .. })
        ));
        // A quoted line break does not start a new row.
        let broken = format!("ФИО,Школа\n\"А\nБ\"{}\n", ",".repeat(MAX_COLUMNS));
        assert!(matches!(
            read(broken.as_bytes(), IntakeLimits::default()),
            Err(Message::TooManyColumns { row: 2, .. })
        ));
    }

    #[test]
    fn forty_thousand_columns_are_refused_at_once() {
        let wide = format!("ФИО,Место{}\n", ",".repeat(40_000));
        let started = std::time::Instant::now();
        assert!(read(wide.as_bytes(), IntakeLimits::default()).is_err());
        assert!(started.elapsed() < std::time::Duration::from_millis(200));
    }

    #[test]
    fn stops_reading_past_the_row_limit() {
        let limits = IntakeLimits {
            max_rows: 5,
            ..IntakeLimits::default()
        };
        let text = "ФИО\n".to_string() + &"А Б\n".repeat(1000);
        let (g, _) = read(text.as_bytes(), limits).unwrap();
        assert_eq!(g.rows.len(), max_grid_rows(limits));
    }
}
