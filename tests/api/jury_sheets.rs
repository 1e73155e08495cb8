//! Score sheets by upload, laureates and entries out of competition, the protocol with each
//! judge's columns, the chair's sign-off that freezes the scores, and the printable protocol.

use std::collections::HashMap;

use rust_xlsxwriter::Workbook;
use serde_json::json;

use crate::helpers::{collapse_whitespace, pdf_text, tool, TestApp};

const NAMES: [&str; 6] = [
    "Сейтқали Айгерім",
    "Нұрланұлы Ерасыл",
    "Әбілқайырова Аружан",
    "Жұмабеков Дәулет",
    "Ким Анна",
    "Өтегенов Ғалым",
];
const CHAIR: &str = "Ахметова Гүлнар Серікқызы";
const MEMBER: &str = "Ким Олег Вадимович";

/// Points per entry on (Содержание, Исполнение), the same from both judges: totals 20, 18, 16,
/// 14, 12, 10 in list order.
fn points(entry: usize) -> (u32, u32) {
    let total = 20 - 2 * entry as u32;
    (total.div_ceil(2), total / 2)
}

/// The chair's sheet as Excel makes it: a title, the header with "№" and names, a signature line.
fn chair_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "Оценочный лист эксперта").unwrap();
    for (column, title) in ["№", "ФИО участника", "Содержание", "Исполнение"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, column as u16, *title).unwrap();
    }
    for (i, name) in NAMES.iter().enumerate() {
        let row = 3 + i as u32;
        let (a, b) = points(i);
        sheet.write_number(row, 0, (i + 1) as f64).unwrap();
        sheet.write_string(row, 1, *name).unwrap();
        sheet.write_number(row, 2, f64::from(a)).unwrap();
        sheet.write_number(row, 3, f64::from(b)).unwrap();
    }
    sheet
        .write_string(11, 0, "Председатель жюри: ____________ Ахметова Г.С.")
        .unwrap();
    workbook.save_to_buffer().unwrap()
}

/// The member's sheet as an organizer uploads it: CSV by name, with a judge column.
fn member_csv(points_of: impl Fn(usize) -> (u32, u32)) -> String {
    let mut csv = String::from("Эксперт;Аты-жөні;Содержание;Исполнение\n");
    for (i, name) in NAMES.iter().enumerate() {
        let (a, b) = points_of(i);
        csv.push_str(&format!("{MEMBER};{name};{a};{b}\n"));
    }
    csv
}

fn upload_scores(app: &TestApp, base: &str, token: &str, query: &str, body: &[u8]) -> crate::helpers::Reply {
    app.post(
        &format!("{base}/scores{query}"),
        Some(token),
        "application/octet-stream",
        body,
    )
}

fn protocol_rows(app: &TestApp, base: &str) -> Vec<Vec<String>> {
    let reply = app.get(&format!("{base}/jury/protocol.csv"), Some(&app.token));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.body.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn score_sheets_by_upload_laureates_sign_off_and_the_printed_protocol() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Республиканский конкурс «Жас суретші»");
    let base = format!("/api/v1/competitions/{competition}");
    let mut results = String::from("ФИО,Школа,Номинация\n");
    for (i, name) in NAMES.iter().enumerate() {
        results.push_str(&format!("{name},Школа №{},Живопись\n", i + 1));
    }
    assert_eq!(app.upload(&competition, &results).status, 200);
    let criteria = app.post_json(
        &format!("{base}/criteria"),
        &json!([{"name": "Содержание", "max_points": 10}, {"name": "Исполнение", "max_points": 10}]),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    let rules = app.post_json(
        &format!("{base}/jury"),
        &json!({"aggregation": "mean", "award_rule": {"kind": "places", "laureates": {"down_to_place": 5}}}),
    );
    assert_eq!(rules.status, 200, "{}", rules.text());
    let judge = |name: &str, organization: &str| {
        let reply = app.post_json(
            &format!("{base}/judges"),
            &json!({"name": name, "organization": organization}),
        );
        assert_eq!(reply.status, 201, "{}", reply.text());
        let body = reply.json();
        (
            body["id"].as_str().unwrap().to_string(),
            body["token"].as_str().unwrap().to_string(),
        )
    };
    let (_, chair) = judge(CHAIR, "Гороно");
    let (member_id, member) = judge(MEMBER, "Школа №6");

    // The member cannot upload for the competition of another, nor without criteria columns.
    let bad = upload_scores(&app, &base, &member, "", "ФИО;Оценка\nКим Анна;5\n".as_bytes());
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert!(bad.text().contains("критериев"), "{}", bad.text());

    // A sheet with mistakes is refused whole, every mistake reported by row, in English on request.
    let mut wrong = member_csv(points);
    wrong = wrong.replace(
        &format!("{MEMBER};Ким Анна;6;6"),
        &format!("{MEMBER};Ким Анна;11;x"),
    );
    wrong.push_str(&format!("{MEMBER};Иванов Иван;5;5\nЧужой Эксперт;Ким Анна;5;5\n"));
    let refused = upload_scores(&app, &base, &app.token, "?lang=en", wrong.as_bytes());
    assert_eq!(refused.status, 422, "{}", refused.text());
    let errors = refused.json()["errors"].as_array().unwrap().clone();
    let found: Vec<(u64, String)> = errors
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        found.contains(&(6, "11 points: must be 0 to 10".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(6, "\"x\" is not points: write a number such as 7 or 0.5".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(8, "\"Иванов Иван\" is not in the list".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(9, "\"Чужой Эксперт\" is not a judge of this competition".into())),
        "{found:?}"
    );
    // Entry 6 is from the member's own school: a conflict of interest, reported for its row.
    assert!(
        found
            .iter()
            .any(|(row, m)| *row == 7 && m.contains("conflict of interest")),
        "{found:?}"
    );
    let untouched = protocol_rows(&app, &base);
    assert!(
        untouched[1..]
            .iter()
            .all(|r| r[5..9].iter().all(String::is_empty)),
        "{untouched:?}"
    );

    // The chair's own workbook; the member's sheet by the organizer with the conflict row left empty.
    let stored = upload_scores(&app, &base, &chair, "", &chair_workbook());
    assert_eq!(stored.status, 200, "{}", stored.text());
    assert_eq!(stored.json()["stored"], 6);
    let member_sheet = member_csv(points).replace(&format!("{};5;5", NAMES[5]), &format!("{};;", NAMES[5]));
    let stored = upload_scores(&app, &base, &app.token, "", member_sheet.as_bytes());
    assert_eq!(stored.status, 200, "{}", stored.text());
    assert_eq!(
        (stored.json()["stored"].clone(), stored.json()["skipped"].clone()),
        (json!(5), json!(1))
    );
    // Without a judge column and without ?judge= the organizer's sheet is nobody's.
    let nobody = upload_scores(
        &app,
        &base,
        &app.token,
        "",
        "ФИО;Содержание;Исполнение\nКим Анна;1;1\n".as_bytes(),
    );
    assert_eq!(nobody.status, 422, "{}", nobody.text());
    // Russian-locale Excel: Windows-1251, semicolons, a title line, the entry by its number.
    let text = format!(
        "Оценочный лист;;\r\n№;Содержание;Исполнение\r\n5;{},0;{}\r\n",
        points(4).0,
        points(4).1
    );
    let (cp1251, _, lossy) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!lossy);
    let named = upload_scores(&app, &base, &app.token, &format!("?judge={member_id}"), &cp1251);
    assert_eq!(named.status, 200, "{}", named.text());

    // The second entry competes out of competition: ranked, never awarded, taking no one's place.
    let entries = app.get(&format!("{base}/entries"), Some(&chair)).json();
    let ids: HashMap<String, String> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["holder"].as_str().unwrap().to_string(),
                e["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(entries[1]["number"], 2);
    let guest = &ids[NAMES[1]];
    let flagged = app.put_json(
        &format!("{base}/entries/{guest}/out-of-competition"),
        &app.token,
        &json!({"out_of_competition": true}),
    );
    assert_eq!(flagged.status, 200, "{}", flagged.text());

    let rows = protocol_rows(&app, &base);
    assert_eq!(
        rows[0],
        [
            "Место",
            "ФИО",
            "Организация",
            "Номинация",
            "Возрастная категория",
            &format!("{CHAIR}: Содержание"),
            &format!("{CHAIR}: Исполнение"),
            &format!("{MEMBER}: Содержание"),
            &format!("{MEMBER}: Исполнение"),
            "Балл",
            "Награда"
        ]
    );
    let table: Vec<(&str, &str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[9].as_str(), r[10].as_str()))
        .collect();
    assert_eq!(
        table,
        [
            ("1", NAMES[0], "20.00", "I место"),
            ("в/к", NAMES[1], "18.00", "Вне конкурса"),
            ("2", NAMES[2], "16.00", "II место"),
            ("3", NAMES[3], "14.00", "III место"),
            ("4", NAMES[4], "12.00", "Лауреат"),
            ("5", NAMES[5], "10.00", "Лауреат"),
        ]
    );
    assert_eq!(
        &rows[6][5..9],
        ["5", "5", "", ""],
        "the member left the conflict row empty"
    );

    // Only the chair signs; the organizer may name another chair until then.
    let refused = app.post(
        &format!("{base}/jury/sign-off"),
        Some(&member),
        "application/json",
        b"",
    );
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(refused.text().contains("председатель жюри"), "{}", refused.text());
    let signed = app.post(
        &format!("{base}/jury/sign-off"),
        Some(&chair),
        "application/json",
        b"",
    );
    assert_eq!(signed.status, 200, "{}", signed.text());
    assert_eq!(signed.json()["signed_by"], CHAIR);
    let state = app.get(&format!("{base}/jury/sign-off"), Some(&member)).json();
    assert_eq!(state["chair"]["name"], CHAIR);
    assert_eq!(state["signed"]["signed_by"], CHAIR);
    assert_eq!(state["signed"]["signed_at"], signed.json()["signed_at"]);
    let frozen = app.put_json(
        &format!("{base}/entries/{}/scores", ids[NAMES[0]]),
        &chair,
        &json!({}),
    );
    assert_eq!(frozen.status, 409, "{}", frozen.text());
    assert!(frozen.text().contains("протокол подписан"), "{}", frozen.text());
    assert_eq!(
        upload_scores(&app, &base, &chair, "", &chair_workbook()).status,
        409
    );
    let chair_change = app.put_json(
        &format!("{base}/jury/chair"),
        &app.token,
        &json!({"judge_id": member_id}),
    );
    assert_eq!(chair_change.status, 409);
    assert_eq!(
        app.post(
            &format!("{base}/jury/sign-off"),
            Some(&chair),
            "application/json",
            b""
        )
        .status,
        409,
        "signed once"
    );
    // What the chair signed stays as signed: the rules, the jury and who competes.
    let rules = app.post_json(&format!("{base}/jury"), &json!({"aggregation": "sum"}));
    assert_eq!(rules.status, 409, "{}", rules.text());
    let late_judge = app.post_json(
        &format!("{base}/judges"),
        &json!({"name": "Поздний Эксперт", "organization": "Гороно"}),
    );
    assert_eq!(late_judge.status, 409, "{}", late_judge.text());
    let back_in = app.put_json(
        &format!("{base}/entries/{guest}/out-of-competition"),
        &app.token,
        &json!({"out_of_competition": false}),
    );
    assert_eq!(back_in.status, 409, "{}", back_in.text());
    assert_eq!(
        app.upload(&competition, &results).status,
        409,
        "the entries are signed for"
    );

    let applied = app.post_json(&format!("{base}/jury/results"), &json!({}));
    assert_eq!(applied.status, 200, "{}", applied.text());
    let awards: Vec<(String, bool)> = applied
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["award"].as_str().unwrap().to_string(),
                r["out_of_competition"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(awards[1], ("participant".into(), true));
    assert_eq!(awards[5], ("laureate".into(), false));

    // The printed protocol: names, places, scores, the signature lines and the sign-off.
    let dir = tempfile::tempdir().unwrap();
    for (lang, chair_line, signed_line) in [
        ("ru", "Председатель жюри", "Протокол подписан председателем жюри"),
        ("kk", "Қазылар алқасының төрағасы", "қол қойды"),
        ("en", "Jury chair", "Signed off by the jury chair"),
    ] {
        let pdf = app.get(&format!("{base}/jury/protocol.pdf?lang={lang}"), Some(&app.token));
        assert_eq!(pdf.status, 200, "{}", pdf.text());
        assert!(pdf.body.starts_with(b"%PDF-"));
        let path = dir.path().join(format!("protocol-{lang}.pdf"));
        std::fs::write(&path, &pdf.body).unwrap();
        let (ok, report) = tool("qpdf", &["--check"], &path);
        assert!(ok, "qpdf --check: {report}");
        let text = collapse_whitespace(&pdf_text(&path));
        for name in NAMES {
            assert!(text.contains(name), "{lang}: {name} in {text}");
        }
        assert!(
            text.contains(&format!("{chair_line} ______________________ / {CHAIR}")),
            "{lang}: {text}"
        );
        assert!(text.contains(MEMBER), "{text}");
        assert!(text.contains(signed_line), "{lang}: {text}");
        assert!(text.contains("Республиканский конкурс «Жас суретші»"), "{text}");
        if lang == "ru" {
            assert!(text.contains("Номинация: Живопись"), "{text}");
            assert!(text.contains("в/к (2)"), "{text}");
            for award in ["I место", "II место", "III место", "Лауреат", "Вне конкурса"]
            {
                assert!(text.contains(award), "{award} in {text}");
            }
        }
    }
    let spec = app.get("/api/v1/openapi.json", None).json();
    for path in [
        "scores",
        "jury/sign-off",
        "jury/chair",
        "entries/{entry_id}/out-of-competition",
        "jury/protocol.{format}",
    ] {
        let path = format!("/api/v1/competitions/{{id}}/{path}");
        assert!(spec["paths"][&path].is_object(), "{path} is described");
    }
}

#[test]
fn an_organizer_named_chair_signs_instead_of_the_first_judge() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Учитель года");
    let base = format!("/api/v1/competitions/{competition}");
    assert_eq!(app.upload(&competition, "ФИО\nӘлиева Дана\n").status, 200);
    assert_eq!(
        app.post_json(
            &format!("{base}/criteria"),
            &json!([{"name": "Урок", "max_points": 10}])
        )
        .status,
        200
    );
    let mut judges = Vec::new();
    for name in ["Первый Эксперт", "Второй Эксперт"] {
        let reply = app.post_json(
            &format!("{base}/judges"),
            &json!({"name": name, "organization": "Гороно"}),
        );
        let body = reply.json();
        judges.push((
            body["id"].as_str().unwrap().to_string(),
            body["token"].as_str().unwrap().to_string(),
        ));
    }
    let named = app.put_json(
        &format!("{base}/jury/chair"),
        &app.token,
        &json!({"judge_id": judges[1].0}),
    );
    assert_eq!(named.status, 200, "{}", named.text());
    let unknown = app.put_json(
        &format!("{base}/jury/chair"),
        &app.token,
        &json!({"judge_id": "nobody"}),
    );
    assert_eq!(unknown.status, 400, "{}", unknown.text());
    let first = app.post(
        &format!("{base}/jury/sign-off"),
        Some(&judges[0].1),
        "application/json",
        b"",
    );
    assert_eq!(first.status, 409, "{}", first.text());
    let second = app.post(
        &format!("{base}/jury/sign-off"),
        Some(&judges[1].1),
        "application/json",
        b"",
    );
    assert_eq!(second.status, 200, "{}", second.text());
    let csv = app.get(&format!("{base}/jury/protocol.csv"), Some(&app.token));
    assert_eq!(csv.status, 200);
    let pdf = app.get(&format!("{base}/jury/protocol.pdf"), Some(&app.token));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, &pdf.body).unwrap();
    let text = collapse_whitespace(&pdf_text(&path));
    assert!(
        text.contains("Председатель жюри ______________________ / Второй Эксперт"),
        "{text}"
    );
    assert!(
        text.contains("Член жюри ______________________ / Первый Эксперт"),
        "{text}"
    );
}

#[test]
fn signature_lines_under_a_results_workbook_are_not_rows() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Болашақ");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "Итоги конкурса «Болашақ»").unwrap();
    for (column, title) in ["№", "ФИО", "Организация", "Место"].iter().enumerate() {
        sheet.write_string(2, column as u16, *title).unwrap();
    }
    for (i, (name, award)) in [("Сейтқали Айгерім", "1 место"), ("Ким Анна", "Лауреат")]
        .iter()
        .enumerate()
    {
        let row = 3 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64).unwrap();
        sheet.write_string(row, 1, *name).unwrap();
        sheet.write_string(row, 2, "СОШ №1").unwrap();
        sheet.write_string(row, 3, *award).unwrap();
    }
    sheet.write_string(5, 0, "Итого").unwrap();
    sheet.write_number(5, 1, 2.0).unwrap();
    sheet
        .write_string(7, 0, "Председатель жюри: ____________ Ахметова Г.С.")
        .unwrap();
    sheet
        .write_string(8, 1, "Члены жюри: ____________ Ким О.В.")
        .unwrap();
    sheet.write_string(9, 2, "Секретарь ________").unwrap();
    let reply = app.upload_file(&competition, "", &workbook.save_to_buffer().unwrap());
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["imported"], 2);
    let rows = app.results_csv(&competition);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2][10], "Лауреат");
}

#[test]
fn an_entry_out_of_competition_does_not_advance() {
    let app = TestApp::spawn();
    let municipal = app.create_competition("Учитель года — городской этап");
    let base = format!("/api/v1/competitions/{municipal}");
    assert_eq!(
        app.upload(&municipal, "ФИО\nГость Вне Конкурса\nӘлиева Дана\nБекова Аида\n")
            .status,
        200
    );
    app.post_json(
        &format!("{base}/criteria"),
        &json!([{"name": "Урок", "max_points": 10}]),
    );
    let judge = app.post_json(
        &format!("{base}/judges"),
        &json!({"name": "Эксперт", "organization": "Гороно"}),
    );
    let judge = judge.json()["token"].as_str().unwrap().to_string();
    let sheet = "№;Урок\n1;10\n2;9\n3;8\n";
    assert_eq!(
        upload_scores(&app, &base, &judge, "", sheet.as_bytes()).status,
        200
    );
    let entries = app.get(&format!("{base}/entries"), Some(&judge)).json();
    let guest = entries[0]["id"].as_str().unwrap();
    let flagged = app.put_json(
        &format!("{base}/entries/{guest}/out-of-competition"),
        &app.token,
        &json!({"out_of_competition": true}),
    );
    assert_eq!(flagged.status, 200, "{}", flagged.text());
    let regional = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Учитель года — областной этап", "previous_stage": municipal}),
    );
    let regional = regional.json()["id"].as_str().unwrap().to_string();
    let advanced = app.post_json(
        &format!("/api/v1/competitions/{regional}/advance"),
        &json!({"top": 1}),
    );
    assert_eq!(advanced.status, 200, "{}", advanced.text());
    assert_eq!(advanced.json()["holders"], json!(["Әлиева Дана"]));
}
