use serde_json::Value;

use crate::helpers::{collapse_whitespace, decode_qr, kazakh_results_csv, pdf_text, tool, TestApp};

const TITLE: &str = "Жас зерттеушілердің республикалық байқауы «Зерде»";

/// What a user does: token → competition → 100 Kazakh names → issue → ZIP → every check a
/// recipient's tools would make of the papers → the QR's URL says valid.
#[test]
fn issues_verifiable_diplomas_for_a_hundred_kazakh_names() {
    let app = TestApp::spawn();
    let competition = app.create_competition(TITLE);
    let upload = app.upload(&competition, &kazakh_results_csv(100));
    assert_eq!(upload.status, 200, "{}", upload.text());
    assert_eq!(upload.json()["imported"], 100);

    let job = app.issue_and_wait(&competition);
    assert_eq!(
        (job["done"].as_i64(), job["total"].as_i64()),
        (Some(100), Some(100))
    );

    let documents = app.documents(&competition);
    assert_eq!(documents.len(), 100);
    let serials: Vec<&str> = documents.iter().map(|d| d["serial"].as_str().unwrap()).collect();
    let mut unique = serials.clone();
    unique.dedup();
    assert_eq!(unique.len(), 100, "serials are unique");
    assert!(serials[0].ends_with("-2026-000001") && serials[99].ends_with("-2026-000100"));

    let files = app.zip(&competition);
    assert_eq!(files.len(), 100);
    let dir = tempfile::tempdir().unwrap();
    for index in [0usize, 37, 99] {
        let document = &documents[index];
        let (name, bytes) = files
            .iter()
            .find(|(name, _)| name.starts_with(document["serial"].as_str().unwrap()))
            .expect("the document is in the ZIP");
        let holder = document["holder"].as_str().unwrap().replace(' ', "-");
        assert!(name.ends_with(".pdf") && name.contains(&holder), "{name}");
        let path = dir.path().join(format!("{index}.pdf"));
        std::fs::write(&path, bytes).unwrap();
        check_paper(&app, &path, document);
    }
}

fn check_paper(app: &TestApp, pdf: &std::path::Path, document: &Value) {
    let holder = document["holder"].as_str().unwrap();
    let text = pdf_text(pdf);
    let text = collapse_whitespace(&text);
    assert!(
        text.contains(holder),
        "pdftotext gives the name exactly: {holder} in {text}"
    );
    assert!(text.contains(document["serial"].as_str().unwrap()));

    let (ok, fonts) = tool("pdffonts", &[], pdf);
    assert!(ok);
    let font_rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!font_rows.is_empty());
    for row in font_rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let name = columns[0];
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "subset tag on {name}"
        );
        assert_eq!(
            &columns[columns.len() - 5..columns.len() - 2],
            &["yes", "yes", "yes"],
            "embedded subset: {row}"
        );
    }

    let status = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&status.stdout)
    );

    let url = decode_qr(pdf);
    let (address, signed_record) = url.split_once('#').expect("the QR code carries a signed record");
    assert_eq!(address, document["verify_url"].as_str().unwrap());
    assert!(signed_record.len() > 100);
    let code = address.rsplit('/').next().unwrap();
    let verdict = app.get(&format!("/api/v1/verify/{code}"), None);
    assert_eq!(verdict.status, 200);
    let verdict = verdict.json();
    assert_eq!(verdict["status"], "valid");
    assert_eq!(verdict["award"], document["award"]);
    assert_eq!(verdict["competition"], TITLE);
    assert_eq!(verdict["serial"], document["serial"]);
    assert!(
        text.contains(verdict["award_title"].as_str().unwrap().to_uppercase().as_str())
            || verdict["award"] == "participant",
        "the paper shows the award"
    );
}

/// Issuing again renders nothing new; asked to re-verify, it renders every document again, and
/// each comes out byte for byte the same.
#[test]
fn issuing_twice_gives_identical_pdfs() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Қайталау сынағы");
    assert_eq!(app.upload(&competition, &kazakh_results_csv(12)).status, 200);
    app.issue_and_wait(&competition);
    let first = app.zip(&competition);
    let again = app.issue_and_wait(&competition);
    assert_eq!(
        (again["done"].as_i64(), again["total"].as_i64()),
        (Some(0), Some(0))
    );
    let second_job = app.issue_and_wait_with(&competition, "?reverify=true");
    assert_eq!(
        second_job["verified"], 12,
        "no new documents, the same twelve rendered again: {second_job}"
    );
    let second = app.zip(&competition);
    assert_eq!(first.len(), 12);
    assert_eq!(first, second);
    let documents = app.documents(&competition);
    assert_eq!(documents.len(), 12);
}

/// Rows added after issuing get the next serials; the earlier papers do not change.
#[test]
fn late_entries_continue_the_serials() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Кейінгі қатысушылар");
    assert_eq!(app.upload(&competition, &kazakh_results_csv(3)).status, 200);
    app.issue_and_wait(&competition);
    let late = "ФИО,Место\nЖаңа Қатысушы,Участник\n";
    assert_eq!(app.upload(&competition, late).status, 200);
    app.issue_and_wait(&competition);
    let documents = app.documents(&competition);
    let serials: Vec<&str> = documents.iter().map(|d| d["serial"].as_str().unwrap()).collect();
    assert_eq!(serials.len(), 4);
    assert!(serials[3].ends_with("-000004"), "{serials:?}");
    assert_eq!(documents[3]["holder"], "Жаңа Қатысушы");
}

/// A name for participant `i` made of letters only (digits are not a name).
fn lettered(mut i: usize) -> String {
    let mut word = String::from("Т");
    loop {
        word.push(char::from_u32('а' as u32 + (i % 26) as u32).unwrap());
        i /= 26;
        if i == 0 {
            return word;
        }
    }
}

/// Reserving papers reads the entries without one a page at a time, after the last one read (issue
/// reserves 1,000 at a time): every entry once, in import order, and none left after issuing.
#[test]
fn entries_without_papers_are_read_a_page_at_a_time_in_import_order() {
    use gramota::db::entries::{any_without_document, without_documents_after};
    let app = TestApp::spawn();
    let competition = app.create_competition("Беттеп оқу");
    let csv = |range: std::ops::Range<usize>| {
        let mut csv = String::from("ФИО,Место\n");
        for i in range {
            csv.push_str(&format!("{} Сапарова,Участник\n", lettered(i)));
        }
        csv
    };
    assert_eq!(app.upload(&competition, &csv(0..1200)).status, 200);
    let expected: Vec<String> = (0..1200).map(|i| format!("{} Сапарова", lettered(i))).collect();

    let db = gramota::db::Db::connect(&app.settings.database_url, 1).unwrap();
    let mut conn = db.conn().unwrap();
    let mut after = None;
    let mut read = Vec::new();
    loop {
        let page = without_documents_after(&mut conn, &competition, false, after.as_ref(), 300).unwrap();
        let Some((last, _)) = page.last() else { break };
        assert!(page.len() <= 300);
        after = Some(last.clone());
        read.extend(page.into_iter().map(|(_, entry)| entry.holder));
    }
    assert_eq!(read, expected);
    assert!(any_without_document(&mut conn, &competition, false).unwrap());

    // Issued in that order, with nothing left.
    app.issue_and_wait(&competition);
    assert!(!any_without_document(&mut conn, &competition, false).unwrap());
    let reply = app.get(
        &format!("/api/v1/competitions/{competition}/documents?limit=2000"),
        Some(&app.token),
    );
    let holders: Vec<String> = reply
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["holder"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(holders, expected, "papers numbered in import order");
}
