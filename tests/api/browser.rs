//! The verification page in a real headless Chromium: the signature is checked by the page itself,
//! and still is once the server is gone.

use std::path::Path;
use std::process::Command;

use crate::helpers::{decode_qr, TestApp};

/// Loads a page, lets its scripts finish, and returns the resulting DOM.
pub(crate) fn rendered_dom(url: &str, profile: &Path) -> String {
    let first = chromium_dom(url, profile);
    // A browser that failed to start prints nothing; one more start is not a second chance for the page.
    if first.is_empty() {
        return chromium_dom(url, profile);
    }
    first
}

fn chromium_dom(url: &str, profile: &Path) -> String {
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--lang=ru",
            "--accept-lang=ru",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .output()
        .expect("chromium must be installed (see scripts/test.sh)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_page_verifies_the_signed_record_in_the_browser_even_offline() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Жас зерттеушілер байқауы");
    assert_eq!(
        app.upload(&competition, "ФИО,Место\nСейтқали Айгерім Нұрланқызы,1 место\n")
            .status,
        200
    );
    app.issue_and_wait(&competition);
    let document = app.documents(&competition).remove(0);
    let id = document["id"].as_str().unwrap();
    let pdf = app
        .get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token))
        .body;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("paper.pdf"), pdf).unwrap();
    let scanned = decode_qr(&dir.path().join("paper.pdf"));
    let (_, fragment) = scanned.split_once('#').unwrap();
    let code = document["code"].as_str().unwrap();
    let url = format!("{}/v/{code}#{fragment}", app.address);
    let profile = dir.path().join("profile");

    let online = rendered_dom(&url, &profile);
    assert!(
        online.contains(r#"data-checked="yes""#),
        "the scripts ran: {online}"
    );
    assert!(online.contains("Подпись подлинная"), "{online}");
    assert!(
        online.contains("Сейтқали Айгерім Нұрланқызы"),
        "the signed full name, from the fragment"
    );
    assert!(online.contains(r#"data-status="valid""#));

    let middle = fragment.len() / 2;
    let replacement = if &fragment[middle..middle + 1] == "A" {
        "B"
    } else {
        "A"
    };
    let forged = format!("{}{replacement}{}", &fragment[..middle], &fragment[middle + 1..]);
    let tampered = rendered_dom(&format!("{}/v/{code}#{forged}", app.address), &profile);
    assert!(tampered.contains("Подпись недействительна"), "{tampered}");
    assert!(!tampered.contains("Сейтқали Айгерім Нұрланқызы"));

    // The service worker installs in the background; the page says when it is ready.
    let ready = (0..12).any(|_| rendered_dom(&url, &profile).contains(r#"data-offline="ready""#));
    assert!(ready, "the page never became available offline");
    app.stop();
    let offline = rendered_dom(&url, &profile);
    assert!(offline.contains(r#"data-status="unknown""#), "{offline}");
    assert!(offline.contains("статус отзыва неизвестен"));
    assert!(offline.contains("Подпись подлинная"));
    assert!(offline.contains("Сейтқали Айгерім Нұрланқызы"));
    assert!(offline.contains(document["serial"].as_str().unwrap()));
}
