//! The whole reading, file bytes to entries, on files shaped as organizers send them.

use std::collections::HashMap;

use rust_xlsxwriter::{Format as CellFormat, Workbook};

use super::*;
use crate::domain::entry::SettlementType;
use crate::domain::Award;

fn read_str(text: &str) -> Result<Vec<EntryDraft>, IntakeError> {
    read_results(text.as_bytes(), IntakeLimits::default())
}

fn rows_and_awards(drafts: &[EntryDraft]) -> Vec<(usize, &str, Award)> {
    drafts
        .iter()
        .map(|d| (d.source_row, d.holder.as_str(), d.award))
        .collect()
}

fn errors_of(text: &str) -> Vec<(usize, Option<String>, Message)> {
    read_str(text)
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| (e.row, e.column, e.message))
        .collect()
}

fn with_mapping(columns: &[(&str, &str)], awards: &[(&str, &str)]) -> IntakeOptions {
    let pairs = |list: &[(&str, &str)]| -> HashMap<String, String> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let codes = awards
        .iter()
        .map(|(k, v)| (k.to_string(), AwardChoice::Code(v.to_string())))
        .collect();
    IntakeOptions {
        limits: IntakeLimits::default(),
        columns: ColumnMapping::parse(pairs(columns)).unwrap(),
        awards: AwardMapping::parse(codes).unwrap(),
    }
}

#[test]
fn reads_kazakh_headers_with_bom_and_semicolons() {
    let file = "\u{feff}Аты-жөні;Мектеп;Облыс;Жетекшісі;Аталым;Орын\n\
                Сейтқали Айгерім;№5 мектеп;Абай облысы;Қасымова Ә.;Ән;1 орын\n\
                Нұрланұлы Ерасыл;№7 мектеп;Алматы қ.;;Би;Қатысушы\n";
    let reading = read(file.as_bytes(), &IntakeOptions::default()).unwrap();
    assert_eq!(reading.source.encoding, Some(TextEncoding::Utf8Bom));
    assert_eq!(reading.source.delimiter, Some(';'));
    let drafts = reading.into_drafts().unwrap();
    assert_eq!(drafts.len(), 2);
    assert_eq!(drafts[0].holder.as_str(), "Сейтқали Айгерім");
    assert_eq!(drafts[0].region.as_deref(), Some("Абай облысы"));
    assert_eq!(drafts[0].supervisor.as_deref(), Some("Қасымова Ә."));
    assert_eq!(drafts[0].award, Award::Place(1));
    assert_eq!(drafts[1].supervisor, None);
    assert_eq!(drafts[1].award, Award::Participant);
    assert_eq!(drafts[1].source_row, 3);
}

#[test]
fn reads_windows_1251_with_a_title_and_a_totals_row() {
    let text = "Протокол областного конкурса «Юный техник»;;;\r\n\
                КГУ «Областной центр дополнительного образования»;;;\r\n\
                \r\n\
                №;ФИО участника;Наименование организации;Место\r\n\
                1;Иванов  Иван;Школа №1, г. Павлодар;I место\r\n\
                2;Петрова Анна;Гимназия №3;Диплом II степени\r\n\
                3;Сидоров Олег;Лицей;Гран-при\r\n\
                ;;;\r\n\
                Итого;3;;\r\n";
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!lossy);
    let reading = read(&bytes, &IntakeOptions::default()).unwrap();
    assert_eq!(reading.source.encoding, Some(TextEncoding::Windows1251));
    assert_eq!(reading.header_row, 4);
    assert_eq!(reading.rows, 3);
    let fields: Vec<(&str, &str)> = reading
        .columns
        .iter()
        .map(|c| (c.field.label(), c.column.as_str()))
        .collect();
    assert_eq!(fields, vec![("name", "B"), ("organization", "C"), ("award", "D")]);
    let drafts = reading.into_drafts().unwrap();
    assert_eq!(
        rows_and_awards(&drafts),
        vec![
            (5, "Иванов Иван", Award::Place(1)),
            (6, "Петрова Анна", Award::Degree(2)),
            (7, "Сидоров Олег", Award::GrandPrix),
        ]
    );
    assert_eq!(drafts[0].school.as_deref(), Some("Школа №1, г. Павлодар"));
}

#[test]
fn reports_every_bad_row_at_once() {
    let file = "name,organization,award\n\
                Иванов Иван,School 1,1 место\n\
                ,School 2,2 место\n\
                Петров Пётр,School 3,чемпион мира\n\
                Иванов Иван,School 1,3 место\n\
                Ким Анна,School 4,Призёр\n";
    let rows: Vec<(usize, Option<String>)> = errors_of(file).into_iter().map(|e| (e.0, e.1)).collect();
    let expected = [(3, "name"), (4, "award")];
    assert_eq!(rows, expected.map(|(r, c)| (r, Some(c.to_string()))).to_vec());
    let reading = read(file.as_bytes(), &IntakeOptions::default()).unwrap();
    assert_eq!(
        reading.warnings,
        [RowWarning {
            row: 5,
            first_row: 2,
            kind: RepeatKind::SamePerson
        }],
        "the same person again is the organizer's to decide, not an error"
    );
    assert_eq!(
        reading.unknown_awards,
        [UnknownAward {
            text: "чемпион мира".into(),
            rows: 1,
            first_row: 4
        }]
    );
}

#[test]
fn a_short_csv_row_is_a_row_error() {
    let file = "ФИО;Школа;Место\nИванов Иван;Школа 1;1 место\nПетров Пётр\n\n5;;\n";
    assert_eq!(
        errors_of(file),
        vec![(3, Some("award".into()), Message::TooFewColumns(1))]
    );
    let file = "Школа;Место;ФИО\nШкола 1;1;Иванов Иван\nШкола 2;2\n";
    assert_eq!(
        errors_of(file),
        vec![(3, Some("name".into()), Message::TooFewColumns(2))]
    );
}

#[test]
fn numbers_alone_end_the_list_but_not_inside_it() {
    let file = "№;ФИО;Место\n1;Иванов Иван;1\n2;;2\n3;Петров Пётр;3\n;;6\n";
    assert_eq!(
        errors_of(file),
        vec![(3, Some("name".into()), Message::EmptyName)]
    );
}

#[test]
fn refuses_a_file_without_a_name_column() {
    let errors = errors_of("school,award\nSchool 1,1\n");
    assert_eq!(
        errors,
        vec![(1, Some("name".into()), Message::MissingColumn("name"))]
    );
    let errors = errors_of("a,b\nc,d\n");
    assert_eq!(errors, vec![(0, None, Message::HeaderNotFound(20))]);
    assert_eq!(errors_of("ФИО;Место\n;;\n")[0].2, Message::EmptyFile);
    assert!(read_results(&[0xff, 0xfe, 0x00], IntakeLimits::default()).is_err());
}

#[test]
fn quoted_commas_stay_in_their_cell() {
    let drafts = read_str("name,organization,award\n\"Ким Анна\",\"Гимназия №1, г. Алматы\",2\n").unwrap();
    assert_eq!(drafts[0].school.as_deref(), Some("Гимназия №1, г. Алматы"));
    assert_eq!(drafts[0].award, Award::Place(2));
}

#[test]
fn names_are_nfc_normalized_so_repeats_are_found() {
    let file = "ФИО,Место\n  Йо\u{0308}  Ә ,1\nЙӧ Ә,1\nЙӧ Ә,2\n";
    let reading = read(file.as_bytes(), &IntakeOptions::default()).unwrap();
    let found: Vec<(usize, usize, RepeatKind)> = reading
        .warnings
        .iter()
        .map(|w| (w.row, w.first_row, w.kind))
        .collect();
    assert_eq!(
        found,
        [(3, 2, RepeatKind::Repeat), (4, 2, RepeatKind::SamePerson)]
    );
    let dropped = reading.clone().into_drafts_dropping(&[3].into()).unwrap();
    assert_eq!(dropped.iter().map(|d| d.source_row).collect::<Vec<_>>(), [2, 4]);
    let refused = reading.into_drafts_dropping(&[2].into()).unwrap_err();
    assert_eq!(refused.0[0].message, Message::NotARepeat(2));
}

#[test]
fn namesakes_from_other_schools_are_other_people() {
    let file = "ФИО;Школа;Регион;Дата рождения;Номинация;Место\n\
                Петров Михаил Алексеевич;СОШ №1;г. Астана;01.02.2012;Робототехника;1\n\
                Петров Михаил Алексеевич;СОШ №5;г. Алматы;;Робототехника;2\n\
                Петров Михаил Алексеевич;СОШ №1;г. Астана;03.04.2013;Робототехника;3\n";
    let reading = read(file.as_bytes(), &IntakeOptions::default()).unwrap();
    assert!(reading.warnings.is_empty(), "{:?}", reading.warnings);
    let drafts = reading.into_drafts().unwrap();
    assert_eq!(drafts.len(), 3);
    assert_eq!(drafts[0].birth_date.as_deref(), Some("2012-02-01"));
    assert!(
        drafts[0].custom.is_empty(),
        "a birth date is not a column to print"
    );
}

#[test]
fn festival_and_olympiad_statuses_keep_the_organizers_words() {
    let file = "ФИО;Результат\nА А;Призёр\nБ Б;Дипломант II степени\nВ В;Специальный приз жюри «За артистизм»\nГ Г;ПОБЕДИТЕЛЬ\n";
    let drafts = read_str(file).unwrap();
    let got: Vec<(Award, Option<&str>)> = drafts
        .iter()
        .map(|d| (d.award, d.award_title.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (Award::PrizeWinner, None),
            (Award::DiplomantDegree(2), None),
            (Award::SpecialPrize, Some("Специальный приз жюри «За артистизм»")),
            (Award::Winner, None),
        ]
    );
}

#[test]
fn an_explicit_mapping_reads_what_guessing_cannot() {
    let file = "Кто;Откуда;Итог\nИванов Иван;Школа 1;Победитель конкурса\nПетров Пётр;Школа 2;Призёр\n";
    assert!(read_str(file).is_err());
    let options = with_mapping(
        &[("name", "Кто"), ("organization", "B"), ("award", "3")],
        &[("Призёр", "place_2"), ("Победитель конкурса", "grand_prix")],
    );
    let drafts = read(file.as_bytes(), &options).unwrap().into_drafts().unwrap();
    let got: Vec<(&str, Option<&str>, Award)> = drafts
        .iter()
        .map(|d| (d.holder.as_str(), d.school.as_deref(), d.award))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Иванов Иван", Some("Школа 1"), Award::GrandPrix),
            ("Петров Пётр", Some("Школа 2"), Award::Place(2)),
        ]
    );
    let unmatched = with_mapping(&[("name", "Кто"), ("award", "Награда")], &[]);
    let unmatched = read(file.as_bytes(), &unmatched).unwrap_err().0;
    assert_eq!(
        (unmatched[0].row, unmatched[0].column.as_deref()),
        (1, Some("award"))
    );
    assert_eq!(
        unmatched[0].message,
        Message::MappedColumnNotFound("Награда".into())
    );
    let missing = read(file.as_bytes(), &with_mapping(&[("name", "Участник")], &[])).unwrap_err();
    assert_eq!(
        missing.0[0].message,
        Message::MappedColumnNotFound("Участник".into())
    );
}

#[test]
fn reads_a_workbook_as_organizers_make_it() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let title = CellFormat::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 5, "Итоги республиканского конкурса «Болашақ»", &title)
        .unwrap();
    sheet
        .write_string(1, 0, "РУМЦ дополнительного образования")
        .unwrap();
    let header = ["№", "Аты-жөні", "Облыс", "Жетекшісі", "Аталым", "Орын"];
    for (column, text) in header.iter().enumerate() {
        sheet.write_string(3, column as u16, *text).unwrap();
    }
    let rows = [
        ("Сейтқали Айгерім", "Абай облысы", "1 орын"),
        ("Нұрланұлы Ерасыл", "Алматы қ.", "Бас жүлде"),
        ("Әбілқайырова Аружан", "Павлодар облысы", "Лауреат"),
    ];
    for (i, (name, region, award)) in rows.iter().enumerate() {
        let row = 4 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64).unwrap();
        sheet.write_string(row, 1, *name).unwrap();
        sheet.write_string(row, 2, *region).unwrap();
        sheet.write_string(row, 4, "Ән").unwrap();
        sheet.write_number(row, 5, 1.0).unwrap();
        if i != 0 {
            sheet.write_string(row, 5, *award).unwrap();
        }
    }
    sheet.write_string(7, 0, "Барлығы").unwrap();
    sheet.write_number(7, 1, 3.0).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let reading = read(&bytes, &IntakeOptions::default()).unwrap();
    assert_eq!(reading.source.format, Format::Xlsx);
    assert_eq!(reading.header_row, 4);
    assert_eq!(reading.rows, 3);
    let drafts = reading.into_drafts().unwrap();
    assert_eq!(
        rows_and_awards(&drafts),
        vec![
            (5, "Сейтқали Айгерім", Award::Place(1)),
            (6, "Нұрланұлы Ерасыл", Award::GrandPrix),
            (7, "Әбілқайырова Аружан", Award::Laureate),
        ]
    );
    assert_eq!(drafts[0].nomination.as_deref(), Some("Ән"));
}

#[test]
fn the_row_limit_holds_for_every_format() {
    let limits = IntakeLimits {
        max_rows: 3,
        ..IntakeLimits::default()
    };
    let file = "ФИО\n".to_string() + &(1..=50).map(|i| format!("Участник {i}\n")).collect::<String>();
    let errors = read_results(file.as_bytes(), limits).unwrap_err().0;
    assert_eq!(
        errors,
        vec![RowError {
            row: 5,
            column: None,
            message: Message::TooManyRows(3)
        }]
    );
}

#[test]
fn signature_lines_under_the_table_are_not_rows() {
    let file = "ФИО;Школа;Место\n\
                Сейтқали Айгерім;№5;1 место\n\
                Ким Анна;№7;Участник\n\
                Итого:;2;\n\
                ;;\n\
                Председатель жюри: ____________ Ахметова Г.С.;;\n\
                ;Члены жюри: ____________;\n\
                ;Секретарь ________ / Ким О.В.;\n";
    let drafts = read_str(file).unwrap();
    assert_eq!(
        rows_and_awards(&drafts),
        vec![
            (2, "Сейтқали Айгерім", Award::Place(1)),
            (3, "Ким Анна", Award::Participant)
        ]
    );
    // A nameless row above the signatures is still a mistake, and a signature line with data
    // below it is not a footer.
    let file = "ФИО;Школа;Место\nСейтқали Айгерім;№5;1 место\n;№7;2 место\nПредседатель жюри ____;;\n";
    assert_eq!(
        errors_of(file),
        vec![(3, Some("name".into()), Message::EmptyName)]
    );
    let file = "ФИО;Место\n;Председатель жюри\nКим Анна;1 место\n";
    assert_eq!(errors_of(file)[0].0, 2);
}

#[test]
fn a_mapped_word_wins_over_the_reader() {
    let options = with_mapping(&[], &[("Призёр", "place_2")]);
    let file = "ФИО;Итог\nПетрова Анна;Призёр\n";
    let drafts = read(file.as_bytes(), &options).unwrap().into_drafts().unwrap();
    assert_eq!(
        (drafts[0].award, drafts[0].award_title.clone()),
        (Award::Place(2), None)
    );
}

#[test]
fn an_olympiad_protocol_with_split_names_points_places_and_statuses() {
    // As olympiad protocols are exported: the name in three columns, points, a place for every
    // row (1…N) and the status beside it; a city/village column.
    let file = "№;Фамилия;Имя;Отчество;Полное наименование образовательной организации;Город/село;Итоговый балл;Место;Статус\n\
                1;Петров;Михаил;Алексеевич;СОШ №1;город;98,5;1;Победитель\n\
                2;Петров;Михаил;Алексеевич;СОШ №5;село;97;2;Призёр\n\
                3;Сейтқали;Айгерім;;Гимназия №3;город;60;14;Участник\n";
    let reading = read(file.as_bytes(), &IntakeOptions::default()).unwrap();
    let fields: Vec<Field> = reading.columns.iter().map(|c| c.field).collect();
    assert!(
        fields.contains(&Field::Award) && fields.contains(&Field::School),
        "{fields:?}"
    );
    let award_column = reading.columns.iter().find(|c| c.field == Field::Award).unwrap();
    assert_eq!(
        award_column.header, "Статус",
        "the status, not the place, is the award"
    );
    assert!(reading.warnings.is_empty(), "namesakes from two schools");
    let drafts = reading.into_drafts().unwrap();
    let got: Vec<(&str, Award, Option<SettlementType>)> = drafts
        .iter()
        .map(|d| (d.holder.as_str(), d.award, d.settlement_type))
        .collect();
    assert_eq!(
        got,
        [
            (
                "Петров Михаил Алексеевич",
                Award::Winner,
                Some(SettlementType::City)
            ),
            (
                "Петров Михаил Алексеевич",
                Award::PrizeWinner,
                Some(SettlementType::Rural)
            ),
            ("Сейтқали Айгерім", Award::Participant, Some(SettlementType::City)),
        ]
    );
    assert_eq!(drafts[0].school.as_deref(), Some("СОШ №1"));
    // The points and the place are kept as the file's own columns.
    assert_eq!(
        drafts[0].custom.get("Итоговый балл").map(String::as_str),
        Some("98,5")
    );
    assert_eq!(drafts[2].custom.get("Место").map(String::as_str), Some("14"));
}
