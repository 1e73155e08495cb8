//! Results files as national competitions really write them: over a thousand rows with namesakes
//! (the same full name from other schools, regions or birth dates), exact repeats, every festival
//! and olympiad status in Kazakh and Russian, and a word the reader does not know.

use rust_xlsxwriter::Workbook;
use serde_json::{json, Value};

use crate::helpers::{collapse_whitespace, pdf_text, query_value, TestApp, GIVEN, SURNAMES};

const HEADER: [&str; 8] = [
    "№",
    "ФИО участника",
    "Организация",
    "Регион",
    "Дата рождения",
    "Номинация",
    "Возрастная категория",
    "Результат",
];

/// A status as written, and what its paper must say (pdftotext, white space collapsed).
const RU_STATUSES: [(&str, &str); 16] = [
    ("Гран-при", "ГРАН-ПРИ"),
    ("Абсолютный победитель", "Абсолютный победитель"),
    ("Победитель", "ПОБЕДИТЕЛЯ"),
    ("Призёр", "ПРИЗЁРА"),
    ("призер", "ПРИЗЁРА"),
    ("II место", "II МЕСТО"),
    ("Диплом III степени", "III СТЕПЕНИ"),
    ("Лауреат", "ЛАУРЕАТА"),
    ("ЛАУРЕАТ I СТЕПЕНИ", "ЛАУРЕАТА I СТЕПЕНИ"),
    ("Дипломант", "ДИПЛОМАНТА"),
    ("Дипломант II степени", "ДИПЛОМАНТА II СТЕПЕНИ"),
    (
        "Специальный приз жюри «За артистизм»",
        "Специальный приз жюри «За артистизм»",
    ),
    ("Приз зрительских симпатий", "Приз зрительских симпатий"),
    ("Финалист", "ФИНАЛИСТА"),
    ("Участник", "участника"),
    ("Сертификат участника", "участника"),
];

const KK_STATUSES: [(&str, &str); 10] = [
    ("Бас жүлде", "БАС ЖҮЛДЕ"),
    ("Абсолютті жеңімпаз", "Абсолютті жеңімпаз"),
    ("Жеңімпаз", "ЖЕҢІМПАЗ"),
    ("Жүлдегер", "ЖҮЛДЕГЕР"),
    ("I орын", "I ОРЫН"),
    ("II дәрежелі диплом", "II ДӘРЕЖЕЛІ"),
    ("I дәрежелі лауреат", "I ДӘРЕЖЕЛІ ЛАУРЕАТ"),
    ("Арнайы жүлде", "АРНАЙЫ ЖҮЛДЕ"),
    ("Дипломант", "ДИПЛОМАНТ"),
    ("Қатысушы", "қатысушы"),
];

const UNKNOWN: &str = "Үздік жоба";
const UNKNOWN_TITLE: &str = "Үздік жоба үшін арнайы жүлде";

/// The rows of a national file: `bulk` distinct people (names repeat every hundred rows, each from
/// a school of its own: namesakes), the named namesakes, each status once, three rows of an unknown
/// word, and three exact repeats at the end. Returns the rows and the row numbers of the repeats.
fn national_rows(bulk: usize, statuses: &[(&str, &str)]) -> (Vec<[String; 8]>, Vec<(usize, usize)>) {
    let mut rows: Vec<[String; 8]> = Vec::new();
    let mut push = |name: &str, school: &str, region: &str, born: &str, award: &str| {
        let n = rows.len() + 1;
        rows.push([
            n.to_string(),
            name.to_string(),
            school.to_string(),
            region.to_string(),
            born.to_string(),
            "Робототехника".to_string(),
            "12–14 лет".to_string(),
            award.to_string(),
        ]);
    };
    for i in 0..bulk {
        let name = format!("{} {} {}", SURNAMES[i % 10], GIVEN[(i / 10) % 10], "Серікұлы");
        let award = ["1 место", "2 место", "3 место", "Участник", "Призёр", "Лауреат"][i % 6];
        push(
            &name,
            &format!("СОШ №{}", i + 1),
            "Павлодарская область",
            "",
            award,
        );
    }
    push(
        "Петров Михаил Алексеевич",
        "СОШ №1",
        "г. Астана",
        "01.02.2012",
        "Победитель",
    );
    push("Петров Михаил Алексеевич", "СОШ №5", "г. Алматы", "", "Призёр");
    push(
        "Петров Михаил Алексеевич",
        "СОШ №1",
        "г. Астана",
        "03.04.2013",
        "Участник",
    );
    for (i, (status, _)) in statuses.iter().enumerate() {
        push(
            &format!("Статусов{i} Тест"),
            "Лицей №2",
            "Абайская область",
            "",
            status,
        );
    }
    for i in 0..3 {
        push(
            &format!("Белгісіз{i} Сөз"),
            "Гимназия №3",
            "г. Шымкент",
            "",
            UNKNOWN,
        );
    }
    // Exact repeats of rows 5, 7 and one of the namesakes, as a merged spreadsheet leaves them.
    let mut repeats = Vec::new();
    for first in [5usize, 7, bulk + 1] {
        let mut copy = rows[first - 1].clone();
        // The repeat's own "№" says where it stands, as every row's does.
        copy[0] = (rows.len() + 1).to_string();
        rows.push(copy);
        // Sheet rows: a title, the header, then the data from row 3.
        repeats.push((rows.len() + 2, first + 2));
    }
    (rows, repeats)
}

/// The rows as an XLSX workbook with a title row above the header (header on row 2).
fn workbook(rows: &[[String; 8]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "Итоги республиканского конкурса")
        .unwrap();
    for (c, text) in HEADER.iter().enumerate() {
        sheet.write_string(1, c as u16, *text).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // The "№" column without its header's number semantics: as text, like the rest.
            sheet.write_string(r as u32 + 2, c as u16, cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// Every document of a competition, past the API's default page of 1,000.
fn all_documents(app: &TestApp, id: &str) -> Vec<Value> {
    let reply = app.get(
        &format!("/api/v1/competitions/{id}/documents?limit=5000"),
        Some(&app.token),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json().as_array().unwrap().clone()
}

fn competition(app: &TestApp, title: &str, language: &str) -> String {
    let reply = app.post_json(
        "/api/v1/competitions",
        &json!({"title": title, "language": language, "ends_on": "2026-11-20", "letters": false}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_string()
}

/// The printed text of the paper of the entry named `holder`.
fn paper_text(app: &TestApp, documents: &[Value], holder: &str) -> String {
    let document = documents
        .iter()
        .find(|d| d["holder"] == holder)
        .unwrap_or_else(|| panic!("no paper for {holder}"));
    let pdf = app.get(
        &format!("/api/v1/documents/{}/pdf", document["id"].as_str().unwrap()),
        Some(&app.token),
    );
    assert_eq!(pdf.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paper.pdf");
    std::fs::write(&path, &pdf.body).unwrap();
    collapse_whitespace(&pdf_text(&path))
}

fn check_national_file(language: &str, statuses: &[(&str, &str)]) {
    let app = TestApp::spawn();
    let id = competition(&app, "Республиканский конкурс «Робототехника»", language);
    let bulk = 1_000;
    let (rows, repeats) = national_rows(bulk, statuses);
    let file = workbook(&rows);

    // The preview: repeats are warnings with the first row's number, namesakes nothing at all,
    // the unknown word listed once with its count.
    let preview = app.upload_file(&id, "/preview", &file);
    assert_eq!(preview.status, 200, "{}", preview.text());
    let preview = preview.json();
    let warned: Vec<(u64, u64, &str)> = preview["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["row"].as_u64().unwrap(),
                w["first_row"].as_u64().unwrap(),
                w["kind"].as_str().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(u64, u64, &str)> = repeats
        .iter()
        .map(|(row, first)| (*row as u64, *first as u64, "repeat"))
        .collect();
    assert_eq!(warned, expected, "only the exact repeats, never a namesake");
    assert_eq!(
        preview["unknown_awards"],
        json!([{"text": UNKNOWN, "rows": 3, "first_row": bulk + 3 + statuses.len() + 3}]),
        "the sheet row of the word's first use (title, header, then the data)"
    );
    let errors = preview["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3, "the unknown word's rows only: {errors:?}");

    // Until the word is mapped the upload is refused whole.
    let refused = app.upload_file(&id, "", &file);
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(
        app.get(&format!("/api/v1/competitions/{id}/documents"), Some(&app.token))
            .json(),
        json!([])
    );

    // Mapped once for the organization, remembered for every later file.
    let mapped = app.send(
        "PUT",
        "/api/v1/award-words",
        &app.token,
        "application/json",
        json!({"text": UNKNOWN, "award": "special_prize", "title": UNKNOWN_TITLE})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(mapped.status, 200, "{}", mapped.text());
    let words = app.get("/api/v1/award-words", Some(&app.token)).json();
    assert_eq!(words[0]["award"], "special_prize");

    // Dropping a row that is no repeat is a mistake, reported and acted on not at all.
    let wrong = app.upload_file(&id, "?drop=2", &file);
    assert_eq!(wrong.status, 422, "{}", wrong.text());

    let drop: Vec<String> = repeats.iter().skip(1).map(|(row, _)| row.to_string()).collect();
    let imported = app.upload_file(&id, &format!("?drop={}", query_value(&drop.join(","))), &file);
    assert_eq!(imported.status, 200, "{}", imported.text());
    let imported = imported.json();
    let kept = rows.len() - drop.len();
    assert_eq!(imported["added"], kept, "{imported}");
    assert_eq!(imported["dropped"], drop.len());
    assert_eq!(
        imported["warnings"].as_array().unwrap().len(),
        1,
        "the kept repeat is still said"
    );
    assert_eq!(imported["total_entries"], kept);

    app.issue_and_wait(&id);
    let documents = all_documents(&app, &id);
    assert_eq!(documents.len(), kept);
    let petrovs = documents
        .iter()
        .filter(|d| d["holder"] == "Петров Михаил Алексеевич")
        .count();
    assert_eq!(petrovs, 3, "three namesakes, three papers");
    for (i, (status, printed)) in statuses.iter().enumerate() {
        let text = paper_text(&app, &documents, &format!("Статусов{i} Тест"));
        assert!(
            text.contains(printed),
            "«{status}» must print «{printed}»: {text}"
        );
    }
    let text = paper_text(&app, &documents, "Белгісіз0 Сөз");
    assert!(text.contains(UNKNOWN_TITLE), "{text}");

    // The birth date tells namesakes apart and is never public or printed.
    let born = documents
        .iter()
        .find(|d| d["holder"] == "Петров Михаил Алексеевич" && d["school"] == "СОШ №1")
        .unwrap();
    let public = app.get(
        &format!("/api/v1/verify/{}", born["code"].as_str().unwrap()),
        None,
    );
    assert!(!public.text().contains("2012"), "{}", public.text());
    let paper = paper_text(&app, &documents, "Петров Михаил Алексеевич");
    assert!(!paper.contains("2012") && !paper.contains("01.02"), "{paper}");

    // The same file again: every entry found, nothing added or changed, no paper touched.
    let again = app.upload_file(&id, &format!("?drop={}", query_value(&drop.join(","))), &file);
    assert_eq!(again.status, 200, "{}", again.text());
    let again = again.json();
    assert_eq!(
        (again["added"].clone(), again["updated"].clone()),
        (json!(0), json!(0)),
        "{again}"
    );
    assert_eq!(again["unchanged"], kept);

    // A corrected file: one award changed, one school's name corrected on its row.
    let mut corrected = rows.clone();
    corrected[9][7] = "1 место".into();
    corrected[10][2] = "СОШ №11 им. Абая".into();
    let serials_before: Vec<(String, String)> = documents
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().into(),
                d["serial"].as_str().unwrap().into(),
            )
        })
        .collect();
    let fixed = app.upload_file(
        &id,
        &format!("?drop={}", query_value(&drop.join(","))),
        &workbook(&corrected),
    );
    assert_eq!(fixed.status, 200, "{}", fixed.text());
    let fixed = fixed.json();
    assert_eq!(
        (
            fixed["added"].clone(),
            fixed["updated"].clone(),
            fixed["unchanged"].clone()
        ),
        (json!(0), json!(2), json!(kept - 2)),
        "{fixed}"
    );
    assert_eq!(fixed["outdated_documents"].as_array().unwrap().len(), 2);
    let after: Vec<(String, String)> = all_documents(&app, &id)
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().into(),
                d["serial"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(after, serials_before, "no new paper, no serial moved");
    let entries = app.results_csv(&id);
    assert!(
        entries.iter().flatten().any(|cell| cell == "СОШ №11 им. Абая"),
        "updated in place"
    );
}

#[test]
fn a_national_russian_file_with_namesakes_repeats_and_every_status() {
    check_national_file("ru", &RU_STATUSES);
}

#[test]
fn a_national_kazakh_file_with_namesakes_repeats_and_every_status() {
    check_national_file("kk", &KK_STATUSES);
}

#[test]
fn the_api_maps_a_word_with_its_title_in_the_awards_parameter() {
    let app = TestApp::spawn();
    let id = competition(&app, "Фестиваль", "ru");
    let file = "ФИО,Результат\nИванов Иван,Молодец\n";
    let awards = query_value(r#"{"Молодец": {"award": "special_prize", "title": "Приз «Молодец»"}}"#);
    let reply = app.upload(&id, file);
    assert_eq!(reply.status, 422, "{}", reply.text());
    let reply = app.post(
        &format!("/api/v1/competitions/{id}/results?awards={awards}"),
        Some(&app.token),
        "text/csv",
        file.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let entries = app.results_csv(&id);
    assert!(
        entries.iter().flatten().any(|cell| cell == "Приз «Молодец»"),
        "{entries:?}"
    );
}

/// The preview page in Chromium (tests/browser/results.mjs): the error table in Russian, the
/// unknown word mapped in the page and remembered, the repeat dropped by its radio button.
#[test]
fn the_preview_page_maps_a_word_and_drops_a_repeat_in_chromium() {
    let app = TestApp::spawn();
    crate::webapp::account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let id = competition(&app, "Фестиваль «Жұлдыз»", "ru");
    let work = tempfile::tempdir().unwrap();
    let bad = work.path().join("bad.csv");
    std::fs::write(
        &bad,
        "ФИО;Школа;Результат\nИванов Иван;СОШ №1;Призёр\n;СОШ №2;Лауреат\n",
    )
    .unwrap();
    let good = work.path().join("good.csv");
    std::fs::write(
        &good,
        "ФИО;Школа;Регион;Результат\n\
         Петров Михаил Алексеевич;СОШ №1;г. Астана;Победитель\n\
         Петров Михаил Алексеевич;СОШ №5;г. Алматы;Призёр\n\
         Ким Анна;Лицей №2;г. Алматы;Молодец\n\
         Сейтқали Айгерім;Гимназия №3;Абайская область;Молодец\n\
         Петров Михаил Алексеевич;СОШ №1;г. Астана;Победитель\n",
    )
    .unwrap();
    crate::helpers::browser_script(
        "results.mjs",
        &[
            ("BASE_URL", &app.address),
            ("PASSWORD", crate::webapp::PASSWORD),
            ("ORGANIZER_EMAIL", "metodist@dvorets.kz"),
            ("COMPETITION", &id),
            ("BAD_FILE", bad.to_str().unwrap()),
            ("GOOD_FILE", good.to_str().unwrap()),
            ("REPEAT_ROW", "6"),
            ("FIRST_ROW", "2"),
            ("EXPECTED_ENTRIES", "4"),
        ],
    );
    // What the page did is in the database: the mapped word's title, no repeat, both namesakes.
    let entries = app.results_csv(&id);
    assert_eq!(entries.len(), 5, "a header and four entries: {entries:?}");
    assert_eq!(
        entries
            .iter()
            .filter(|r| r[1] == "Петров Михаил Алексеевич")
            .count(),
        2
    );
    assert_eq!(
        entries
            .iter()
            .filter(|r| r.contains(&"Приз «Молодец»".to_string()))
            .count(),
        2
    );
}

/// A file whose headers no one could guess is read in the pages after the organizer says which
/// column is which, and imported so.
#[test]
fn the_preview_page_asks_which_column_is_which() {
    use crate::webapp::{account, Browser, PASSWORD};

    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let id = competition(&app, "Кто откуда", "ru");
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let csrf = browser.csrf();
    let file = "Кто;Откуда;Итог\nИванов Иван;Школа 1;1 место\nПетрова Анна;Школа 2;Призёр\n";
    let preview = browser.post_file(
        &format!("/app/competitions/{id}/upload"),
        &[("csrf", &csrf)],
        file.as_bytes(),
    );
    assert_eq!(preview.status, 422, "no column names the participant");
    let text = preview.text();
    assert!(
        text.contains("name-column-form"),
        "the page asks for the name's column"
    );
    let marker = "/uploads/";
    let at = text.find(marker).unwrap() + marker.len();
    let upload = text[at..at + 32].to_string();

    let named = browser.get(&format!("/app/competitions/{id}/uploads/{upload}?name_column=A"));
    assert_eq!(named.status, 200, "{}", named.text());
    let text = named.text();
    assert!(text.contains("Иванов Иван") && text.contains("columns-form"));
    // The second column is the organization: said in the columns form.
    let remapped = browser.get(&format!(
        "/app/competitions/{id}/uploads/{upload}?col_0=name&col_1=organization&col_2=award"
    ));
    let text = remapped.text();
    assert!(
        text.contains("<td>Школа 1</td>"),
        "the organization column is read"
    );
    let start = text
        .find(r#"name="columns" value=""#)
        .expect("the import carries the columns")
        + 22;
    let columns: String = text[start..].chars().take_while(|c| *c != '"').collect();
    let columns = columns
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x22;", "\"");
    let imported = browser.post(
        &format!("/app/competitions/{id}/import"),
        &[("csrf", &csrf), ("upload", &upload), ("columns", &columns)],
    );
    assert_eq!(imported.status, 303, "{}", imported.text());
    let entries = app.results_csv(&id);
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert_eq!(entries[1][3], "Школа 1");
}
