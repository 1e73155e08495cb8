//! A grid of text cells → checked entries, the same for CSV and XLSX: the header is found below
//! title rows, columns are recognized or mapped, totals and blank rows are passed over, and every
//! row problem is collected.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::columns::{gives_way, recognize, Field};
use super::mapping::{column_letter, resolve};
use super::{Grid, GridRow, IntakeError, IntakeOptions, RowError, Source, HEADER_SEARCH_ROWS};
use crate::domain::award::written_title;
use crate::domain::competition::MAX_HOURS;
use crate::domain::entry::{normalize_text, SettlementType};
use crate::domain::{Award, EntryDraft, HolderName};
use crate::i18n::Message;

/// How a file was read: what a preview shows and what an upload stores.
#[derive(Debug, Clone)]
pub struct Reading {
    pub source: Source,
    pub header_row: usize,
    pub columns: Vec<MappedColumn>,
    /// The header row's cells as the file writes them, for a page that lets the organizer say
    /// which column is which.
    pub header: Vec<String>,
    /// Data rows read, good or bad; blank and totals rows are not counted.
    pub rows: usize,
    pub drafts: Vec<EntryDraft>,
    pub errors: Vec<RowError>,
    /// Rows that repeat an earlier one: the organizer keeps or drops each; never a refusal.
    pub warnings: Vec<RowWarning>,
    /// Each award text the reader does not know, once, with how many rows use it.
    pub unknown_awards: Vec<UnknownAward>,
}

/// A row about the same person as an earlier row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowWarning {
    pub row: usize,
    pub first_row: usize,
    pub kind: RepeatKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepeatKind {
    /// Agrees with the first row on every column.
    Repeat,
    /// The same person in the same nomination and age group, but another column differs.
    SamePerson,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownAward {
    pub text: String,
    pub rows: usize,
    pub first_row: usize,
}

impl Reading {
    /// The entries, only if every row is good; every repeat is kept.
    pub fn into_drafts(self) -> Result<Vec<EntryDraft>, IntakeError> {
        self.into_drafts_dropping(&BTreeSet::new())
    }

    /// The entries without the repeats the organizer chose to drop. Only a row the reading warned
    /// about can be dropped: any other number is a mistake to report, not to act on.
    pub fn into_drafts_dropping(self, drop: &BTreeSet<usize>) -> Result<Vec<EntryDraft>, IntakeError> {
        let mut errors = self.errors;
        for row in drop {
            if !self.warnings.iter().any(|w| w.row == *row) {
                errors.push(RowError {
                    row: *row,
                    column: None,
                    message: Message::NotARepeat(*row),
                });
            }
        }
        if !errors.is_empty() {
            return Err(IntakeError(errors));
        }
        let drafts: Vec<EntryDraft> = self
            .drafts
            .into_iter()
            .filter(|d| !drop.contains(&d.source_row))
            .collect();
        if drafts.is_empty() {
            return Err(RowError::whole_file(Message::EmptyFile).into());
        }
        Ok(drafts)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MappedColumn {
    #[serde(serialize_with = "serialize_field")]
    pub field: Field,
    /// The column's letter, as the spreadsheet shows it.
    pub column: String,
    pub header: String,
    #[serde(skip)]
    pub index: usize,
}

fn serialize_field<S: serde::Serializer>(field: &Field, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(field.label())
}

pub fn read(grid: Grid, source: Source, options: &IntakeOptions) -> Result<Reading, IntakeError> {
    let Grid { mut rows, ragged } = grid;
    let (header_at, columns) = find_header(&rows, options)?;
    let header_row = rows[header_at].number;
    let data = &rows[header_at + 1..];
    let kinds: Vec<RowKind> = data.iter().map(RowKind::of).collect();
    // Numbers alone are a totals row only below the last real row; higher up they are a row whose
    // name was forgotten.
    let name_column = columns.iter().find(|c| c.field == Field::Name).map(|c| c.index);
    let footer_from = footer_start(data, &kinds, name_column);
    let last_data = kinds[..footer_from].iter().rposition(|k| *k == RowKind::Data);

    let by_field: HashMap<Field, usize> = columns.iter().map(|c| (c.field, c.index)).collect();
    let custom = custom_columns(&rows[header_at].cells, &columns);
    let mut reading = Reading {
        source,
        header_row,
        columns,
        header: rows[header_at].cells.iter().map(|c| normalize_text(c)).collect(),
        rows: 0,
        drafts: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        unknown_awards: Vec::new(),
    };
    // Identity → (first row, its content): namesakes differ in who they are and pass; a row about
    // the same person again is a warning for the organizer to decide.
    let mut seen: HashMap<String, (usize, String)> = HashMap::new();
    let mut unknown: HashMap<String, usize> = HashMap::new();
    // Each grid row is dropped once read, so a large file is not held as cells and drafts at once.
    for (index, (row, kind)) in rows.drain(header_at + 1..).zip(kinds).enumerate() {
        if index >= footer_from {
            break;
        }
        let is_data = match kind {
            RowKind::Data => true,
            RowKind::NumbersOnly => last_data.is_some_and(|last| index < last),
            RowKind::Blank | RowKind::Totals => false,
        };
        if !is_data {
            continue;
        }
        if reading.rows >= options.limits.max_rows {
            reading.errors.push(RowError {
                row: row.number,
                column: None,
                message: Message::TooManyRows(options.limits.max_rows),
            });
            break;
        }
        reading.rows += 1;
        match read_row(&row, ragged, &by_field, &custom, options) {
            Ok(draft) => {
                let content = draft.content();
                match seen.get(&draft.identity()) {
                    Some((first_row, first_content)) => reading.warnings.push(RowWarning {
                        row: row.number,
                        first_row: *first_row,
                        kind: if *first_content == content {
                            RepeatKind::Repeat
                        } else {
                            RepeatKind::SamePerson
                        },
                    }),
                    None => {
                        seen.insert(draft.identity(), (row.number, content));
                    }
                }
                reading.drafts.push(draft);
            }
            Err(mut errors) => {
                for error in &errors {
                    if let Message::UnknownAward(text) = &error.message {
                        let key = normalize_text(text).to_lowercase();
                        let at = *unknown.entry(key).or_insert_with(|| {
                            reading.unknown_awards.push(UnknownAward {
                                text: text.clone(),
                                rows: 0,
                                first_row: row.number,
                            });
                            reading.unknown_awards.len() - 1
                        });
                        reading.unknown_awards[at].rows += 1;
                    }
                }
                reading.errors.append(&mut errors);
            }
        }
    }
    Ok(reading)
}

/// The header is the first of the top rows that names the participant and something else; a list
/// of names alone is accepted when no row does better.
fn find_header(rows: &[GridRow], options: &IntakeOptions) -> Result<(usize, Vec<MappedColumn>), IntakeError> {
    let candidates: Vec<(usize, Vec<MappedColumn>)> = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .map(|(at, row)| (at, map_columns(&row.cells, options)))
        .collect();
    let has_name = |columns: &[MappedColumn]| columns.iter().any(|c| c.field == Field::Name);
    if let Some(found) = candidates
        .iter()
        .find(|(_, columns)| has_name(columns) && columns.len() > 1)
        .or_else(|| candidates.iter().find(|(_, columns)| has_name(columns)))
    {
        let (at, columns) = found.clone();
        // A mapping the user wrote and the file does not match must not be passed over in silence:
        // every award would quietly become "participant".
        if let Some((field, reference)) = options
            .columns
            .iter()
            .find(|(_, reference)| resolve(reference, &rows[at].cells).is_none())
        {
            return Err(RowError {
                row: rows[at].number,
                column: Some(field.label().into()),
                message: Message::MappedColumnNotFound(reference.to_string()),
            }
            .into());
        }
        return Ok((at, columns));
    }
    // A row that names other fields is the header the user meant: say what it lacks.
    let message = match options.columns.iter().find(|(field, _)| *field == Field::Name) {
        Some((_, reference)) => Message::MappedColumnNotFound(reference.to_string()),
        None => Message::MissingColumn(Field::Name.label()),
    };
    let row = match candidates.iter().find(|(_, columns)| !columns.is_empty()) {
        Some((at, _)) => rows[*at].number,
        None if candidates.is_empty() => return Err(RowError::whole_file(Message::EmptyFile).into()),
        None => return Err(RowError::whole_file(Message::HeaderNotFound(HEADER_SEARCH_ROWS)).into()),
    };
    Err(RowError {
        row,
        column: Some(Field::Name.label().into()),
        message,
    }
    .into())
}

/// Mapped fields first, then recognized headers for the fields and columns left; the leftmost
/// column wins when two headers name the same field.
fn map_columns(header: &[String], options: &IntakeOptions) -> Vec<MappedColumn> {
    let mut columns: Vec<MappedColumn> = Vec::new();
    let column = |field, index: usize| MappedColumn {
        field,
        column: column_letter(index),
        header: header.get(index).map(|h| normalize_text(h)).unwrap_or_default(),
        index,
    };
    for (field, reference) in options.columns.iter() {
        if let Some(index) = resolve(reference, header) {
            columns.push(column(field, index));
        }
    }
    // A column that gives way (a place beside a status, a team beside a name) is taken only
    // when no better column of its field is there.
    for yielding in [false, true] {
        for (index, title) in header.iter().enumerate() {
            let Some(field) = recognize(title) else { continue };
            if gives_way(title, field) != yielding {
                continue;
            }
            if !columns.iter().any(|c| c.field == field || c.index == index) {
                columns.push(column(field, index));
            }
        }
    }
    columns.sort_by_key(|c| c.index);
    columns
}

/// The columns no field claims, by their header, kept for `{custom.HEADER}` in designs; a row-number
/// column ("№", "п/п") and a column without a header are not data, and a personal ID number (ИИН,
/// ЖСН) is never kept: it must not reach a paper or its record.
fn custom_columns(header: &[String], mapped: &[MappedColumn]) -> Vec<(usize, String)> {
    const NUMBERING: [&str; 6] = ["№ п/п", "п/п", "no", "no.", "nr", "р/с"];
    const ID_NUMBERS: [&str; 5] = ["иин", "жсн", "iin", "инн", "паспорт"];
    let mut custom: Vec<(usize, String)> = Vec::new();
    for (index, cell) in header.iter().enumerate() {
        let title = normalize_text(cell);
        let lower = title.to_lowercase();
        let numbering = NUMBERING.contains(&lower.as_str());
        let id_number = lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| ID_NUMBERS.iter().any(|id| word.starts_with(id)));
        let taken = mapped.iter().any(|c| c.index == index) || custom.iter().any(|(_, t)| *t == title);
        if !numbering && !id_number && !taken && title.chars().any(char::is_alphabetic) {
            custom.push((index, title));
        }
    }
    custom
}

/// An attendance mark as organizers write it: «да», «+», «иә», "yes", 1 — or «нет», «-», «жоқ»,
/// an empty cell.
fn parse_attended(text: &str) -> Option<bool> {
    const YES: &[&str] = &[
        "да",
        "+",
        "1",
        "1.0",
        "yes",
        "y",
        "true",
        "иә",
        "ия",
        "v",
        "✓",
        "✔",
        "x",
        "х",
        "был",
        "была",
        "присутствовал",
        "присутствовала",
        "присутствовал(а)",
        "қатысты",
        "келді",
        "attended",
    ];
    const NO: &[&str] = &[
        "",
        "нет",
        "-",
        "–",
        "—",
        "0",
        "0.0",
        "no",
        "n",
        "false",
        "жоқ",
        "не был",
        "не была",
        "отсутствовал",
        "отсутствовала",
        "отсутствовал(а)",
        "қатыспады",
        "келмеді",
        "absent",
    ];
    let lower = text.trim().to_lowercase();
    if YES.contains(&lower.as_str()) {
        Some(true)
    } else if NO.contains(&lower.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// Hours as a results file writes them: "72", "72.0" (a spreadsheet number), "72 ч", "72 сағат".
fn parse_hours(text: &str) -> Option<u32> {
    let digits: String = text.trim().chars().take_while(char::is_ascii_digit).collect();
    let rest = text.trim()[digits.len()..].trim_start_matches(".0").trim();
    let unit_only = rest
        .chars()
        .all(|c| c.is_alphabetic() || c == '.' || c.is_whitespace());
    let hours: u32 = digits.parse().ok()?;
    ((1..=MAX_HOURS).contains(&hours) && unit_only).then_some(hours)
}

/// Words of the signature lines under a results table ("Председатель жюри: ____ / Иванов И.И.").
const SIGNATURE_WORDS: [&str; 14] = [
    "председатель",
    "член жюри",
    "члены жюри",
    "секретарь",
    "подпись",
    "төраға",
    "мүшесі",
    "мүшелері",
    "хатшы",
    "қолы",
    "chair",
    "signature",
    "secretary",
    "м.п.",
];

/// A line someone signs: a signature word, or a blank drawn with underscores.
pub fn is_signature_line(cells: &[String]) -> bool {
    cells.iter().any(|cell| {
        let text = normalize_text(cell).to_lowercase();
        text.contains("___") || SIGNATURE_WORDS.iter().any(|w| text.contains(w))
    })
}

/// Where the footer under the table begins: the trailing rows that are signature lines without
/// a participant's name (or with the signature where the name would be), mixed with blank and
/// totals rows. Without such lines, the end of the data.
fn footer_start(data: &[GridRow], kinds: &[RowKind], name_column: Option<usize>) -> usize {
    let mut start = data.len();
    let mut signed = false;
    for (index, row) in data.iter().enumerate().rev() {
        let name = name_column
            .and_then(|i| row.cells.get(i))
            .map(|c| normalize_text(c))
            .unwrap_or_default();
        let signature = is_signature_line(&row.cells)
            && (name.is_empty() || is_signature_line(std::slice::from_ref(&name)));
        if signature {
            signed = true;
        } else if kinds[index] == RowKind::Data {
            break;
        }
        start = index;
    }
    if signed {
        start
    } else {
        data.len()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Blank,
    /// "Итого: 25", "Барлығы", "Total".
    Totals,
    /// Counts or sums without words: a totals row if nothing follows it.
    NumbersOnly,
    Data,
}

const TOTALS_WORDS: [&str; 7] = ["итого", "всего", "барлығы", "барлыгы", "жиыны", "total", "sum"];

impl RowKind {
    fn of(row: &GridRow) -> RowKind {
        let filled: Vec<String> = row
            .cells
            .iter()
            .map(|c| normalize_text(c).to_lowercase())
            .filter(|c| !c.is_empty())
            .collect();
        let Some(first) = filled.first() else {
            return RowKind::Blank;
        };
        if TOTALS_WORDS.iter().any(|w| first.starts_with(w)) {
            return RowKind::Totals;
        }
        let is_number = |cell: &String| cell.replace(',', ".").replace(' ', "").parse::<f64>().is_ok();
        let only_numbers = filled.iter().all(is_number);
        if only_numbers {
            RowKind::NumbersOnly
        } else {
            RowKind::Data
        }
    }
}

fn read_row(
    row: &GridRow,
    ragged: bool,
    columns: &HashMap<Field, usize>,
    custom_columns: &[(usize, String)],
    options: &IntakeOptions,
) -> Result<EntryDraft, Vec<RowError>> {
    let limits = options.limits;
    let mut errors = Vec::new();
    let error = |field: Field, message| RowError {
        row: row.number,
        column: Some(field.label().into()),
        message,
    };
    let mut cell = |field: Field| -> Option<String> {
        let raw = columns.get(&field).and_then(|&i| row.cells.get(i))?;
        let value = normalize_text(raw);
        if value.chars().count() > limits.max_cell_chars {
            errors.push(error(field, Message::CellTooLong(limits.max_cell_chars)));
            return None;
        }
        (!value.is_empty()).then_some(value)
    };

    // "Фамилия", "Имя", "Отчество" in columns of their own make one name.
    let name = cell(Field::Name).map(|surname| {
        [cell(Field::GivenName), cell(Field::Patronymic)]
            .into_iter()
            .flatten()
            .fold(surname, |name, part| format!("{name} {part}"))
    });
    let award_text = cell(Field::Award);
    let team_members = cell(Field::TeamMembers)
        .map(|members| {
            members
                .split([',', ';', '\n'])
                .map(normalize_text)
                .filter(|m| !m.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let school = cell(Field::School);
    let region = cell(Field::Region);
    let settlement = cell(Field::SettlementType);
    let supervisor = cell(Field::Supervisor);
    let nomination = cell(Field::Nomination);
    let age_group = cell(Field::AgeGroup);
    let email = cell(Field::Email);
    let supervisor_email = cell(Field::SupervisorEmail);
    let hours_text = cell(Field::Hours);
    // With an attendance column, an empty cell is someone who did not come.
    let attended_text = columns
        .contains_key(&Field::Attended)
        .then(|| cell(Field::Attended).unwrap_or_default());
    let birth_date = cell(Field::BirthDate).map(|text| parse_birth_date(&text));
    let phone = cell(Field::Phone);
    let mut custom = std::collections::BTreeMap::new();
    for (index, header) in custom_columns {
        let Some(raw) = row.cells.get(*index) else {
            continue;
        };
        let value = normalize_text(raw);
        if value.chars().count() > limits.max_cell_chars {
            errors.push(RowError {
                row: row.number,
                column: Some(header.clone()),
                message: Message::CellTooLong(limits.max_cell_chars),
            });
        } else if !value.is_empty() {
            custom.insert(header.clone(), value);
        }
    }
    let attended = attended_text.map(|text| {
        let mark = parse_attended(&text);
        if mark.is_none() {
            errors.push(error(Field::Attended, Message::BadAttended(text)));
        }
        mark.unwrap_or(false)
    });
    let hours = hours_text.and_then(|text| {
        let hours = parse_hours(&text);
        if hours.is_none() {
            errors.push(error(Field::Hours, Message::BadHours(text)));
        }
        hours
    });

    // A CSV row that ends before a column that must be read was cut short, not left blank.
    let cut_short = |field: Field| ragged && columns.get(&field).is_some_and(|&i| i >= row.cells.len());
    let holder = name.as_deref().and_then(HolderName::parse);
    if holder.is_none() {
        let message = if cut_short(Field::Name) {
            Message::TooFewColumns(row.cells.len())
        } else {
            Message::EmptyName
        };
        errors.push(error(Field::Name, message));
    }
    let award = match award_text {
        None if cut_short(Field::Award) => {
            errors.push(error(Field::Award, Message::TooFewColumns(row.cells.len())));
            None
        }
        None => Some((Award::Participant, None)),
        Some(text) => {
            // What the organizer said this word means wins over the reader's guess; a mapping
            // without a title prints the category's.
            let award = match options.awards.get(&text) {
                Some(word) => Some((word.award, word.title.clone())),
                None => Award::parse(&text).map(|award| (award, written_title(&text, award))),
            };
            if award.is_none() {
                errors.push(error(Field::Award, Message::UnknownAward(text)));
            }
            award
        }
    };
    match (holder, award, errors.is_empty()) {
        (Some(holder), Some((award, award_title)), true) => Ok(EntryDraft {
            source_row: row.number,
            holder,
            team_members,
            school,
            region,
            settlement_type: settlement.as_deref().and_then(SettlementType::parse),
            supervisor,
            nomination,
            age_group,
            email,
            supervisor_email,
            award,
            award_title,
            birth_date,
            phone,
            hours,
            custom,
            attended,
        }),
        _ => Err(errors),
    }
}

/// A birth date as ISO `YYYY-MM-DD` when it reads as one ("05.03.2012", "2012-03-05", "5/3/2012",
/// a spreadsheet's day number), else as the file writes it: it only tells people apart.
fn parse_birth_date(text: &str) -> String {
    read_date(text).unwrap_or_else(|| text.to_string())
}

fn read_date(text: &str) -> Option<String> {
    let iso = |y: i32, m: u8, d: u8| {
        let date = time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()?;
        (1900..=2100)
            .contains(&y)
            .then(|| format!("{:04}-{:02}-{:02}", date.year(), m, d))
    };
    let parts: Vec<&str> = text.split(['.', '/', '-']).map(str::trim).collect();
    match parts.as_slice() {
        [y, m, d] | [d, m, y] if y.len() == 4 => iso(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        _ => {
            let days: f64 = text.parse().ok()?;
            if !(1.0..80_000.0).contains(&days) || days.fract() != 0.0 {
                return None;
            }
            // Excel counts days from 1899-12-30 (its day 60 is a 29 February 1900 that never was).
            let date = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
            let date = date.checked_add(time::Duration::days(days as i64))?;
            iso(date.year(), u8::from(date.month()), date.day())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_columns_are_kept_but_never_an_id_number() {
        let header: Vec<String> = ["№", "ФИО", "Класс", "ИИН", "ЖСН учащегося", "", "Класс", "Смена"]
            .map(String::from)
            .to_vec();
        let mapped = vec![MappedColumn {
            field: Field::Name,
            column: "B".into(),
            header: "ФИО".into(),
            index: 1,
        }];
        assert_eq!(
            custom_columns(&header, &mapped),
            [(2, "Класс".to_string()), (7, "Смена".to_string())]
        );
    }

    #[test]
    fn birth_dates_are_read_as_spreadsheets_write_them() {
        assert_eq!(parse_birth_date("05.03.2012"), "2012-03-05");
        assert_eq!(parse_birth_date("2012-03-05"), "2012-03-05");
        assert_eq!(parse_birth_date("5/3/2012"), "2012-03-05");
        assert_eq!(parse_birth_date("40973"), "2012-03-05");
        assert_eq!(parse_birth_date("весна 2012"), "весна 2012");
        assert_eq!(parse_birth_date("31.02.2012"), "31.02.2012");
    }

    #[test]
    fn attendance_marks_are_read_in_three_languages() {
        assert_eq!(parse_attended("Да"), Some(true));
        assert_eq!(parse_attended("+"), Some(true));
        assert_eq!(parse_attended("иә"), Some(true));
        assert_eq!(parse_attended(""), Some(false));
        assert_eq!(parse_attended("жоқ"), Some(false));
        assert_eq!(parse_attended("может быть"), None);
    }

    #[test]
    fn hours_are_read_as_spreadsheets_write_them() {
        assert_eq!(parse_hours("72"), Some(72));
        assert_eq!(parse_hours("72.0"), Some(72));
        assert_eq!(parse_hours("36 ч."), Some(36));
        assert_eq!(parse_hours("72 сағат"), Some(72));
        assert_eq!(parse_hours("0"), None);
        assert_eq!(parse_hours("семьдесят"), None);
        assert_eq!(parse_hours("72,5"), None);
        assert_eq!(parse_hours("100000"), None);
    }
}
