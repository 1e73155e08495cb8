//! Results files as organizers really have them, hostile files, preview and export.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

use crate::helpers::{query_value, TestApp};

/// A workbook the way a regional center sends it: a merged title, the issuer, a blank row, the
/// header, a row-number column, numbers typed as numbers, and a totals row.
fn realistic_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Нәтижелер").unwrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            6,
            "Итоги областного конкурса «Юный исследователь»",
            &Format::new().set_bold(),
        )
        .unwrap();
    sheet
        .merge_range(
            1,
            0,
            1,
            6,
            "КГКП «Областной центр дополнительного образования»",
            &Format::new(),
        )
        .unwrap();
    let header = [
        "№",
        "ФИО участника",
        "Наименование организации",
        "Облыс",
        "Руководитель",
        "Номинация",
        "Итог",
    ];
    for (column, text) in header.iter().enumerate() {
        sheet.write_string(3, column as u16, *text).unwrap();
    }
    let rows = [
        ("Сейтқали Айгерім", "Гимназия №1, г. Павлодар", "I место"),
        ("Нұрланұлы Ерасыл", "СОШ №7", "Диплом II степени"),
        ("Әбілқайырова Аружан", "Лицей №2", "Гран-при"),
        ("Жұмабеков Дәулет", "СОШ №12", "Лауреат"),
        ("Ким Анна", "СОШ №3", "Участник"),
    ];
    for (i, (name, school, award)) in rows.iter().enumerate() {
        let row = 4 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64).unwrap();
        sheet.write_string(row, 1, *name).unwrap();
        sheet.write_string(row, 2, *school).unwrap();
        sheet.write_string(row, 3, "Павлодар облысы").unwrap();
        sheet.write_string(row, 4, "Ахметова Г.").unwrap();
        sheet.write_string(row, 5, "Ғылыми жоба").unwrap();
        sheet.write_string(row, 6, *award).unwrap();
    }
    sheet.write_string(9, 0, "Итого").unwrap();
    sheet.write_number(9, 1, 5.0).unwrap();
    workbook.save_to_buffer().unwrap()
}

/// Names and awards as the export lists them (Russian award titles).
fn assert_awards(rows: &[Vec<String>], expected: &[(&str, &str)]) {
    let got: Vec<(&str, &str)> = rows
        .iter()
        .skip(1)
        .map(|r| (r[1].as_str(), r[10].as_str()))
        .collect();
    assert_eq!(got, expected);
}

fn imported(reply: &crate::helpers::Reply) -> u64 {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["imported"].as_u64().expect("imported")
}

#[test]
fn realistic_files_import_the_right_rows_with_the_right_awards() {
    let app = TestApp::spawn();

    let workbook = app.create_competition("Юный исследователь");
    assert_eq!(
        imported(&app.upload_file(&workbook, "", &realistic_workbook())),
        5
    );
    assert_awards(
        &app.results_csv(&workbook),
        &[
            ("Сейтқали Айгерім", "I место"),
            ("Нұрланұлы Ерасыл", "Диплом II степени"),
            ("Әбілқайырова Аружан", "Гран-при"),
            ("Жұмабеков Дәулет", "Лауреат"),
            ("Ким Анна", "Участник"),
        ],
    );

    // Russian-locale Excel: Windows-1251, semicolons, a title line, quoted cells with `;` and `,`.
    let cp1251 = app.create_competition("Техническое творчество");
    let text = "Протокол конкурса «Техническое творчество»;;;\r\n\
                №;ФИО;Организация;Место\r\n\
                1;Иванов Иван;\"Школа №1; г. Омск\";1 место\r\n\
                2;Петрова Анна;\"Гимназия №3, г. Омск\";Диплом III степени\r\n\
                3;Сидоров Олег;Лицей;Победитель\r\n\
                Всего:;3;;\r\n";
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!lossy);
    assert_eq!(imported(&app.upload_file(&cp1251, "", &bytes)), 3);
    let rows = app.results_csv(&cp1251);
    assert_eq!(rows[1][3], "Школа №1; г. Омск");
    assert_eq!(rows[2][3], "Гимназия №3, г. Омск");
    assert_awards(
        &rows,
        &[
            ("Иванов Иван", "I место"),
            ("Петрова Анна", "Диплом III степени"),
            ("Сидоров Олег", "Победитель"),
        ],
    );

    // UTF-8 with a BOM, Kazakh headers, commas inside quotes, a tab-free comma file.
    let kazakh = app.create_competition("Болашақ");
    let text = "\u{feff}Аты-жөні,Облыс,Жетекшісі,Мектеп,Орын\r\n\
                Сейтқали Айгерім,Абай облысы,Қасымова Ә.,\"№5 мектеп-гимназия, Семей\",1 орын\r\n\
                Нұрланұлы Ерасыл,Алматы қ.,,\"№7 мектеп, Алматы\",Бас жүлде\r\n\
                Өтегенов Ғалым,Ұлытау облысы,,№1 мектеп,Қатысушы\r\n\
                Барлығы,,,,3\r\n";
    assert_eq!(imported(&app.upload_file(&kazakh, "", text.as_bytes())), 3);
    let rows = app.results_csv(&kazakh);
    assert_eq!(rows[1][3], "№5 мектеп-гимназия, Семей");
    assert_eq!(rows[1][4], "Абай облысы");
    assert_awards(
        &rows,
        &[
            ("Сейтқали Айгерім", "I место"),
            ("Нұрланұлы Ерасыл", "Гран-при"),
            ("Өтегенов Ғалым", "Участник"),
        ],
    );
}

/// An XLSX whose worksheet inflates to 1 GiB of zeros from about a megabyte.
fn zip_bomb() -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    archive.start_file("[Content_Types].xml", options).unwrap();
    archive.write_all(b"<Types/>").unwrap();
    archive.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        archive.write_all(&zeros).unwrap();
    }
    archive.finish().unwrap().into_inner()
}

fn refused(app: &TestApp, competition: &str, file: &[u8]) -> Value {
    let reply = app.upload_file(competition, "", file);
    assert_eq!(reply.status, 422, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["error"], "invalid_results");
    assert!(!body["errors"].as_array().expect("errors").is_empty(), "{body}");
    body
}

#[test]
fn hostile_files_are_refused_with_a_report_and_change_nothing() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Қауіпті файлдар");
    assert_eq!(
        imported(&app.upload_file(&competition, "", &realistic_workbook())),
        5
    );
    let before = app.results_csv(&competition);
    assert_eq!(before.len(), 6);

    let empty = refused(&app, &competition, b"");
    assert_eq!(empty["errors"][0]["message"], "в файле нет данных");

    let noise: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    let noise = refused(&app, &competition, &noise);
    assert!(
        noise["message"].as_str().unwrap().contains("файл не читается"),
        "{noise}"
    );

    let bomb = zip_bomb();
    assert!(bomb.len() < 4 << 20, "the bomb is small: {} bytes", bomb.len());
    let bomb = refused(&app, &competition, &bomb);
    assert!(
        bomb["message"]
            .as_str()
            .unwrap()
            .contains("XLSX после распаковки"),
        "{bomb}"
    );

    let mut damaged = realistic_workbook();
    damaged.truncate(damaged.len() - 200);
    let damaged = refused(&app, &competition, &damaged);
    assert!(
        damaged["message"].as_str().unwrap().contains("повреждён"),
        "{damaged}"
    );

    let no_name = "ФИО;Организация;Место\nИванов Иван;Школа 1;1 место\n;Школа 2;2 место\n";
    let no_name = refused(&app, &competition, no_name.as_bytes());
    assert_eq!(no_name["errors"][0]["row"], 3);
    assert_eq!(no_name["errors"][0]["column"], "name");
    assert_eq!(no_name["errors"][0]["message"], "не заполнено ФИО");

    let short = "Организация;Место;ФИО\nШкола 1;1 место;Иванов Иван\nШкола 2;2 место\nШкола 3\n";
    let short = refused(&app, &competition, short.as_bytes());
    let errors: Vec<(u64, &str)> = short["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, vec![(3, "name"), (4, "name"), (4, "award")]);
    assert!(short["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("мало столбцов"));

    assert_eq!(app.results_csv(&competition), before, "the database is unchanged");
}

#[test]
fn a_preview_shows_how_the_file_is_read_and_stores_nothing() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Алдын ала қарау");

    let reply = app.upload_file(&competition, "/preview", &realistic_workbook());
    assert_eq!(reply.status, 200, "{}", reply.text());
    let preview = reply.json();
    assert_eq!(preview["ok"], true);
    assert_eq!(preview["format"], "xlsx");
    assert_eq!(preview["sheet"], "Нәтижелер");
    assert_eq!(preview["header_row"], 4);
    assert_eq!(preview["total_rows"], 5);
    assert_eq!(
        preview["columns"][0],
        serde_json::json!({"field": "name", "column": "B", "header": "ФИО участника"})
    );
    assert_eq!(
        preview["columns"][5],
        serde_json::json!({"field": "award", "column": "G", "header": "Итог"})
    );
    assert_eq!(preview["rows"][2]["name"], "Әбілқайырова Аружан");
    assert_eq!(preview["rows"][2]["award"], "grand_prix");
    assert_eq!(preview["rows"][2]["row"], 7);

    let mut long = String::from("ФИО;Место\n");
    for i in 1..=30 {
        long.push_str(&format!(
            "Участник {i};{}\n",
            if i == 25 { "Молодец" } else { "2" }
        ));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&long);
    let preview = app.upload_file(&competition, "/preview?lang=en", &bytes).json();
    assert_eq!(preview["ok"], false);
    assert_eq!(preview["encoding"], "windows-1251");
    assert_eq!(preview["delimiter"], ";");
    assert_eq!(preview["rows"].as_array().unwrap().len(), 20);
    assert_eq!(preview["total_rows"], 30);
    assert_eq!(preview["errors"][0]["row"], 26);
    assert!(preview["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("awards parameter"));
    assert_eq!(
        preview["unknown_awards"],
        serde_json::json!([{"text": "Молодец", "rows": 1, "first_row": 26}])
    );

    assert_eq!(
        app.results_csv(&competition).len(),
        1,
        "only the header: nothing stored"
    );
    let unreadable = app.upload_file(&competition, "/preview", b"\x00\x01\x02garbage\x00");
    assert_eq!(unreadable.status, 422);
}

#[test]
fn an_explicit_mapping_reads_headers_no_one_could_guess() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Сәйкестік");
    let file = "Кто;Откуда;Итог конкурса\nИванов Иван;Школа 1;Победитель\nПетрова Анна;Школа 2;Призёр\n";
    let guessed = app.upload_file(&competition, "", file.as_bytes());
    assert_eq!(guessed.status, 422);

    let columns = query_value(r#"{"name":"Кто","organization":"B","award":"3"}"#);
    let awards = query_value(r#"{"Призёр":"place_2","Победитель":"grand_prix"}"#);
    let suffix = format!("?columns={columns}&awards={awards}");
    assert_eq!(
        imported(&app.upload_file(&competition, &suffix, file.as_bytes())),
        2
    );
    let rows = app.results_csv(&competition);
    assert_eq!(rows[1][3], "Школа 1");
    assert_awards(
        &rows,
        &[("Иванов Иван", "Гран-при"), ("Петрова Анна", "II место")],
    );

    let bad = app.upload_file(
        &competition,
        &format!("?columns={}", query_value(r#"{"surname":"A"}"#)),
        b"x",
    );
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert!(bad.json()["message"].as_str().unwrap().contains("surname"));
    let bad = app.upload_file(&competition, "?awards=not-json", b"x");
    assert_eq!(bad.status, 400);
}

#[test]
fn the_export_lists_entries_with_awards_and_no_formulas() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Экспорт");
    let file = "ФИО,Организация,Место\n\"=HYPERLINK(\"\"http://x\"\")\",@school,1\nКим Анна,-3,Лауреат\n";
    assert_eq!(imported(&app.upload_file(&competition, "", file.as_bytes())), 2);

    let rows = app.results_csv(&competition);
    assert_eq!(rows[0][1], "ФИО");
    assert_eq!(rows[1][1], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[1][3], "'@school");
    assert_eq!(rows[2][3], "'-3");
    assert_eq!(rows[2][10], "Лауреат");

    let reply = app.get(
        &format!("/api/v1/competitions/{competition}/results.xlsx?lang=kk"),
        Some(&app.token),
    );
    assert_eq!(reply.status, 200);
    assert!(reply.headers["content-type"].contains("spreadsheetml"));
    assert!(reply.headers["content-disposition"].contains("results.xlsx"));
    use calamine::{Data, Reader};
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(reply.body)).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let cell = |r: u32, c: u32| match range.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({r}, {c}): {other:?}"),
    };
    assert_eq!(cell(0, 1), "Аты-жөні");
    assert_eq!(cell(1, 1), "'=HYPERLINK(\"http://x\")");
    assert_eq!(cell(1, 10), "I орын");
    assert_eq!(cell(2, 3), "'-3");

    let spec = app.get("/api/v1/openapi.json", None).json();
    for path in ["results/preview", "results.{format}"] {
        let path = format!("/api/v1/competitions/{{id}}/{path}");
        assert!(spec["paths"][&path].is_object(), "{path} is described");
    }

    let pdf = format!("/api/v1/competitions/{competition}/results.pdf");
    assert_eq!(app.get(&pdf, Some(&app.token)).status, 404);

    let other = TestApp::token_for(&app.settings, "another-center");
    let path = format!("/api/v1/competitions/{competition}/results.csv");
    assert_eq!(app.get(&path, Some(&other)).status, 404);
}
