//! A judge's score sheet as a spreadsheet: a header naming the entry (its number in the list or
//! its name), optionally the judge, and one column per criterion, found by the criterion's name.
//! Only the reading is here; matching rows to entries and judges is the jury's business.

use super::columns::{recognize, Field};
use super::mapping::column_letter;
use super::table::is_signature_line;
use super::{read_grid, GridRow, IntakeError, IntakeLimits, RowError, HEADER_SEARCH_ROWS};
use crate::domain::entry::normalize_text;
use crate::i18n::{JuryMessage, Message};

/// One filled row of a score sheet, cells as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    /// 1-based, as the spreadsheet shows it.
    pub row: usize,
    pub number: Option<String>,
    pub name: Option<String>,
    pub judge: Option<String>,
    /// One per criterion, in the order asked for; `None` where the cell is empty.
    pub points: Vec<Option<String>>,
}

/// Where the sheet's columns are, as the report names them.
#[derive(Debug, Clone, Default)]
pub struct ScoreColumns {
    pub number: Option<usize>,
    pub name: Option<usize>,
    pub judge: Option<usize>,
    pub criteria: Vec<usize>,
}

impl ScoreColumns {
    pub fn letter_of_criterion(&self, at: usize) -> Option<String> {
        self.criteria.get(at).map(|&i| column_letter(i))
    }
}

const NUMBER_HEADERS: [&str; 9] = ["№", "№ п/п", "п/п", "no", "no.", "#", "номер", "р/с", "р/н"];
const JUDGE_WORDS: [&str; 7] = ["эксперт", "жюри", "судья", "judge", "сарапшы", "қазы", "expert"];

fn key(text: &str) -> String {
    normalize_text(text)
        .to_lowercase()
        .trim_matches(|c: char| c == ':' || c == '*' || c.is_whitespace())
        .to_string()
}

fn map_header(cells: &[String], criteria: &[String]) -> (ScoreColumns, Vec<usize>) {
    let wanted: Vec<String> = criteria.iter().map(|c| key(c)).collect();
    let mut columns = ScoreColumns {
        criteria: vec![usize::MAX; criteria.len()],
        ..ScoreColumns::default()
    };
    for (index, cell) in cells.iter().enumerate() {
        let header = key(cell);
        if header.is_empty() {
            continue;
        }
        if let Some(at) = wanted.iter().position(|w| *w == header) {
            if columns.criteria[at] == usize::MAX {
                columns.criteria[at] = index;
            }
        } else if JUDGE_WORDS.iter().any(|w| header.contains(w)) {
            columns.judge.get_or_insert(index);
        } else if NUMBER_HEADERS.contains(&header.as_str()) {
            columns.number.get_or_insert(index);
        } else if recognize(&header) == Some(Field::Name) {
            columns.name.get_or_insert(index);
        }
    }
    let missing: Vec<usize> = (0..criteria.len())
        .filter(|&at| columns.criteria[at] == usize::MAX)
        .collect();
    (columns, missing)
}

/// Reads a score sheet: the header is the top row naming the most criteria; every criterion must
/// have its column, and the entry must be told by number or name.
pub fn read_scores(
    bytes: &[u8],
    criteria: &[String],
    limits: IntakeLimits,
) -> Result<(ScoreColumns, Vec<ScoreRow>), IntakeError> {
    let (grid, _) = read_grid(bytes, limits).map_err(RowError::whole_file)?;
    let best = grid
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .map(|(at, row)| (at, map_header(&row.cells, criteria)))
        .filter(|(_, (_, missing))| missing.len() < criteria.len())
        .min_by_key(|(at, (_, missing))| (missing.len(), *at));
    let Some((header_at, (columns, missing))) = best else {
        return Err(RowError::whole_file(Message::Jury(JuryMessage::NoCriterionColumns)).into());
    };
    let header_row = grid.rows[header_at].number;
    let mut errors: Vec<RowError> = missing
        .iter()
        .map(|&at| RowError {
            row: header_row,
            column: None,
            message: Message::Jury(JuryMessage::MissingCriterion(criteria[at].clone())),
        })
        .collect();
    if columns.number.is_none() && columns.name.is_none() {
        errors.push(RowError {
            row: header_row,
            column: None,
            message: Message::Jury(JuryMessage::NoEntryColumn),
        });
    }
    if !errors.is_empty() {
        return Err(IntakeError(errors));
    }
    let data = &grid.rows[header_at + 1..];
    let mut rows = Vec::new();
    for (index, row) in data.iter().enumerate() {
        let cell = |at: Option<usize>| {
            at.and_then(|i| row.cells.get(i))
                .map(|c| normalize_text(c))
                .filter(|c| !c.is_empty())
        };
        let (number, name) = (cell(columns.number), cell(columns.name));
        let points: Vec<Option<String>> = columns.criteria.iter().map(|&i| cell(Some(i))).collect();
        let nothing_scored = points.iter().all(Option::is_none);
        if nothing_scored && (is_footer(data, index, &columns) || (number.is_none() && name.is_none())) {
            continue;
        }
        if rows.len() >= limits.max_rows {
            return Err(RowError {
                row: row.number,
                column: None,
                message: Message::TooManyRows(limits.max_rows),
            }
            .into());
        }
        rows.push(ScoreRow {
            row: row.number,
            number,
            name,
            judge: cell(columns.judge),
            points,
        });
    }
    if rows.is_empty() {
        return Err(RowError::whole_file(Message::EmptyFile).into());
    }
    Ok((columns, rows))
}

/// A signature line under the table, with nothing scored on it or below it.
fn is_footer(data: &[GridRow], index: usize, columns: &ScoreColumns) -> bool {
    let scored = |row: &GridRow| {
        columns
            .criteria
            .iter()
            .any(|&i| row.cells.get(i).is_some_and(|c| !c.trim().is_empty()))
    };
    is_signature_line(&data[index].cells) && !data[index..].iter().any(scored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria() -> Vec<String> {
        vec!["Содержание".into(), "Оригинальность".into()]
    }

    /// A judge's sheet is read like results: a line of commas is refused before it is parsed.
    #[test]
    fn a_sheet_wider_than_200_columns_is_refused() {
        let text = format!("№,Содержание,Оригинальность{}\n1,7,8\n", ",".repeat(20_000));
        let refused = read_scores(text.as_bytes(), &criteria(), IntakeLimits::default()).unwrap_err();
        assert_eq!(
            refused
                .0
                .iter()
                .map(|e| (e.row, e.message.clone()))
                .collect::<Vec<_>>(),
            vec![(0, Message::TooManyColumns { row: 1, max: 200 })]
        );
    }

    #[test]
    fn finds_the_header_by_the_criteria_and_skips_the_signatures() {
        let text = "Оценочный лист эксперта;;;\n\
                    №;ФИО участника;содержание ;Оригинальность\n\
                    1;Сейтқали Айгерім;7;8\n\
                    2;Ким Анна;;\n\
                    3;;9;10\n\
                    ;;;\n\
                    Председатель жюри: ________ Иванов И.И.;;;\n";
        let (columns, rows) = read_scores(text.as_bytes(), &criteria(), IntakeLimits::default()).unwrap();
        assert_eq!((columns.number, columns.name), (Some(0), Some(1)));
        assert_eq!(columns.criteria, vec![2, 3]);
        type Line<'a> = (usize, Option<&'a str>, Vec<Option<&'a str>>);
        let got: Vec<Line> = rows
            .iter()
            .map(|r| {
                (
                    r.row,
                    r.name.as_deref(),
                    r.points.iter().map(Option::as_deref).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (3, Some("Сейтқали Айгерім"), vec![Some("7"), Some("8")]),
                (4, Some("Ким Анна"), vec![None, None]),
                (5, None, vec![Some("9"), Some("10")]),
            ]
        );
    }

    #[test]
    fn a_missing_criterion_is_reported() {
        let text = "ФИО;Содержание\nА Б;5\n";
        let error = read_scores(text.as_bytes(), &criteria(), IntakeLimits::default()).unwrap_err();
        assert_eq!(
            error.0[0].message,
            Message::Jury(JuryMessage::MissingCriterion("Оригинальность".into()))
        );
        let error = read_scores(b"a;b\n1;2\n", &criteria(), IntakeLimits::default()).unwrap_err();
        assert_eq!(error.0[0].message, Message::Jury(JuryMessage::NoCriterionColumns));
    }
}
