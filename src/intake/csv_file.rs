use std::collections::HashMap;

use super::columns::{recognize, Field};
use super::{IntakeError, IntakeLimits, RowError};
use crate::domain::entry::{normalize_text, SettlementType};
use crate::domain::{Award, EntryDraft, HolderName};
use crate::i18n::Message;

pub fn read(bytes: &[u8], limits: IntakeLimits) -> Result<Vec<EntryDraft>, IntakeError> {
    let whole_file = |message| {
        IntakeError(vec![RowError {
            row: 0,
            column: None,
            message,
        }])
    };
    let text = std::str::from_utf8(bytes).map_err(|_| whole_file(Message::NotUtf8))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(first_line))
        .from_reader(text.as_bytes());

    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(record)) => record,
        Some(Err(e)) => return Err(whole_file(Message::MalformedCsv(e.to_string()))),
        None => return Err(whole_file(Message::EmptyFile)),
    };
    let columns = map_columns(&header)?;

    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(String, Option<String>, Option<String>), usize> = HashMap::new();
    for (index, record) in records.enumerate() {
        let row = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(RowError {
                    row,
                    column: None,
                    message: Message::MalformedCsv(e.to_string()),
                });
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if drafts.len() + errors.len() >= limits.max_rows {
            errors.push(RowError {
                row,
                column: None,
                message: Message::TooManyRows(limits.max_rows),
            });
            break;
        }
        match read_row(row, &record, &columns, limits) {
            Ok(draft) => {
                let key = (
                    draft.holder.as_str().to_lowercase(),
                    draft.nomination.clone(),
                    draft.age_group.clone(),
                );
                if let Some(first) = seen.insert(key, row) {
                    errors.push(RowError {
                        row,
                        column: Some(Field::Name.label().into()),
                        message: Message::DuplicateEntry(first),
                    });
                }
                drafts.push(draft);
            }
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    if !errors.is_empty() {
        return Err(IntakeError(errors));
    }
    if drafts.is_empty() {
        return Err(whole_file(Message::EmptyFile));
    }
    Ok(drafts)
}

/// Russian-locale Excel writes `;`, others `,`, some tools a tab: the most frequent wins.
fn sniff_delimiter(header_line: &str) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

fn map_columns(header: &csv::StringRecord) -> Result<HashMap<Field, usize>, IntakeError> {
    let mut columns = HashMap::new();
    for (index, title) in header.iter().enumerate() {
        if let Some(field) = recognize(title) {
            columns.entry(field).or_insert(index);
        }
    }
    if !columns.contains_key(&Field::Name) {
        return Err(IntakeError(vec![RowError {
            row: 1,
            column: Some(Field::Name.label().into()),
            message: Message::MissingColumn(Field::Name.label()),
        }]));
    }
    Ok(columns)
}

fn read_row(
    row: usize,
    record: &csv::StringRecord,
    columns: &HashMap<Field, usize>,
    limits: IntakeLimits,
) -> Result<EntryDraft, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut cell = |field: Field| -> Option<String> {
        let raw = columns.get(&field).and_then(|&i| record.get(i))?;
        let value = normalize_text(raw);
        if value.chars().count() > limits.max_cell_chars {
            errors.push(RowError {
                row,
                column: Some(field.label().into()),
                message: Message::CellTooLong(limits.max_cell_chars),
            });
            return None;
        }
        (!value.is_empty()).then_some(value)
    };

    let name = cell(Field::Name);
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
    let draft = (
        cell(Field::School),
        cell(Field::Region),
        cell(Field::SettlementType),
        cell(Field::Supervisor),
        cell(Field::Nomination),
        cell(Field::AgeGroup),
        cell(Field::Email),
    );

    let holder = name.as_deref().and_then(HolderName::parse);
    if holder.is_none() {
        errors.push(RowError {
            row,
            column: Some(Field::Name.label().into()),
            message: Message::EmptyName,
        });
    }
    let award = match award_text {
        None => Some(Award::Participant),
        Some(text) => {
            let award = Award::parse(&text);
            if award.is_none() {
                errors.push(RowError {
                    row,
                    column: Some(Field::Award.label().into()),
                    message: Message::UnknownAward(text),
                });
            }
            award
        }
    };
    let (school, region, settlement, supervisor, nomination, age_group, email) = draft;
    match (holder, award, errors.is_empty()) {
        (Some(holder), Some(award), true) => Ok(EntryDraft {
            source_row: row,
            holder,
            team_members,
            school,
            region,
            settlement_type: settlement.as_deref().and_then(SettlementType::parse),
            supervisor,
            nomination,
            age_group,
            email,
            award,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Result<Vec<EntryDraft>, IntakeError> {
        read(text.as_bytes(), IntakeLimits::default())
    }

    #[test]
    fn reads_kazakh_headers_with_bom_and_semicolons() {
        let file = "\u{feff}Аты-жөні;Мектеп;Облыс;Жетекшісі;Аталым;Орын\n\
                    Сейтқали Айгерім;№5 мектеп;Абай облысы;Қасымова Ә.;Ән;1 орын\n\
                    Нұрланұлы Ерасыл;№7 мектеп;Алматы қ.;;Би;Қатысушы\n";
        let drafts = read_str(file).map_err(|e| e.0).unwrap();
        assert_eq!(drafts.len(), 2);
        assert_eq!(drafts[0].holder.as_str(), "Сейтқали Айгерім");
        assert_eq!(drafts[0].award, Award::Place(1));
        assert_eq!(drafts[1].supervisor, None);
        assert_eq!(drafts[1].award, Award::Participant);
        assert_eq!(drafts[1].source_row, 3);
    }

    #[test]
    fn reports_every_bad_row_at_once() {
        let file = "name,organization,award\n\
                    Иванов Иван,School 1,1 место\n\
                    ,School 2,2 место\n\
                    Петров Пётр,School 3,чемпион мира\n\
                    Иванов Иван,School 1,3 место\n";
        let errors = read_str(file).unwrap_err().0;
        let rows: Vec<(usize, Option<&str>)> = errors.iter().map(|e| (e.row, e.column.as_deref())).collect();
        assert_eq!(
            rows,
            vec![(3, Some("name")), (4, Some("award")), (5, Some("name"))]
        );
    }

    #[test]
    fn refuses_a_file_without_a_name_column() {
        let errors = read_str("school,award\nSchool 1,1\n").unwrap_err().0;
        assert_eq!(errors[0].message, Message::MissingColumn("name"));
        assert!(read(&[0xff, 0xfe, 0x00], IntakeLimits::default()).is_err());
    }

    #[test]
    fn quoted_commas_stay_in_their_cell() {
        let drafts = read_str("name,organization,award\n\"Ким Анна\",\"Гимназия №1, г. Алматы\",2\n")
            .map_err(|e| e.0)
            .unwrap();
        assert_eq!(drafts[0].school.as_deref(), Some("Гимназия №1, г. Алматы"));
        assert_eq!(drafts[0].award, Award::Place(2));
    }
}
