//! The print file: one PDF with every valid paper as a page and the fonts they share once.

use std::process::Command;

use crate::helpers::{collapse_whitespace, kazakh_results_csv, pdf_text, tool, TestApp};

#[test]
fn a_competition_prints_as_one_pdf_with_shared_fonts() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Облыстық шығармашылық байқауы");
    let csv =
        kazakh_results_csv(30) + "Müller Şükrü,Гимназия,Павлодар облысы,Ахметова Гүлнар,Ғылыми жоба,1 орын\n";
    let uploaded = app.upload(&competition, &csv);
    assert_eq!(uploaded.status, 200, "{}", uploaded.text());
    app.issue_and_wait(&competition);
    let documents = app.documents(&competition);
    let revoked = documents[0]["id"].as_str().unwrap();
    let reply = app.post_json(
        &format!("/api/v1/documents/{revoked}/revoke"),
        &serde_json::json!({"reason": "ошибка в фамилии"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());

    let reply = app.get(
        &format!("/api/v1/competitions/{competition}/documents.pdf"),
        Some(&app.token),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("print.pdf");
    std::fs::write(&path, &reply.body).unwrap();

    let (sound, report) = tool("qpdf", &["--check"], &path);
    assert!(sound, "{report}");
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Pages:", "30"]),
        "31 papers, one revoked: {info}"
    );
    let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
    let embedded = String::from_utf8_lossy(&fonts.stdout).lines().skip(2).count();
    assert_eq!(embedded, 3, "each face once for all pages");

    let text = collapse_whitespace(&pdf_text(&path));
    for document in &documents[1..] {
        let holder = document["holder"].as_str().unwrap();
        assert!(text.contains(holder), "{holder} is printed");
    }
    assert!(
        text.contains("Müller Şükrü"),
        "letters beyond the usual alphabet are printed too"
    );
    let separate: usize = app.zip(&competition).iter().map(|(_, pdf)| pdf.len()).sum();
    assert!(
        reply.body.len() * 4 < separate,
        "{} bytes vs {separate} as separate files",
        reply.body.len()
    );
}
