//! A jury-judged competition run end to end in headless Chromium by clicking in the pages only
//! (`tests/browser/jury.mjs`): criteria, invited judges, scoring, the chair, rules, protocol,
//! sign-off, the ranking applied, issue, e-mail to a real SMTP server, one paper revoked and one
//! re-issued. Afterwards the SMTP server's mailbox and the API say what the clicks did.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::delivery::SmtpServer;
use crate::helpers::{collapse_whitespace, pdf_text, TestApp};
use crate::webapp::{account, PASSWORD};

const ENTRIES: &str = "ФИО,Организация,Номинация,E-mail
Сейтқали Айгерім,СОШ №12,Техника,aigerim@school.test
Иванов Пётр,Лицей №5,Техника,petr@school.test
Ким Ольга,Гимназия №1,Техника,olga@school.test
Әбілқайыров Ерасыл,СОШ №3,Техника,erasyl@school.test
Нұрланұлы Дәулет,СОШ №3,Техника,daulet@school.test
";

/// Each entry's points from the first and the second judge, on both criteria.
const SCORES: &str = r#"{
  "Сейтқали Айгерім": [10, 9],
  "Иванов Пётр": [8, 7],
  "Ким Ольга": [6, 6],
  "Әбілқайыров Ерасыл": [4, 5],
  "Нұрланұлы Дәулет": [3, 3]
}"#;

#[test]
fn a_jury_judged_competition_runs_from_creation_to_delivered_papers_in_the_pages() {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        scripts.join("node_modules/playwright-core").exists(),
        "run `npm ci` in tests/browser first (scripts/test.sh does)"
    );
    let mail_dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(mail_dir.path(), &[]);
    let settings_dir = tempfile::tempdir().unwrap();
    let mail = server.settings(&[], settings_dir.path());
    let app = TestApp::spawn_with(|s| s.mail = mail);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let work = tempfile::tempdir().unwrap();
    let entries = work.path().join("entries.csv");
    std::fs::write(&entries, ENTRIES).unwrap();
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");

    let started = Instant::now();
    let output = Command::new("node")
        .arg(scripts.join("jury.mjs"))
        .current_dir(&scripts)
        .env("BASE_URL", &app.address)
        .env("PASSWORD", PASSWORD)
        .env("ORGANIZER_EMAIL", "metodist@dvorets.kz")
        .env("ENTRIES_FILE", &entries)
        .env("SCORES", SCORES)
        .env("SCREENSHOTS", &screenshots)
        .env("DOWNLOADS", work.path())
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    println!("{stdout}in {:.1} s", started.elapsed().as_secs_f64());
    assert!(stdout.contains("jury run done"), "{stdout}");

    // The protocol the organizer downloaded lists the entries and the jury.
    let protocol = collapse_whitespace(&pdf_text(&work.path().join("protocol.pdf")));
    for name in ["Сейтқали Айгерім", "Нұрланұлы Дәулет", "Ахметова Гүлнар"]
    {
        assert!(protocol.contains(name), "{name} in {protocol}");
    }
    let xlsx = std::fs::read(work.path().join("protocol.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK"));

    // The awards follow from the two judges' mean scores.
    let competitions = app.get("/api/v1/competitions", Some(&app.token)).json();
    let competition = competitions
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|c| c["title"] == "Облыстық робототехника байқауы")
        })
        .unwrap_or_else(|| panic!("the competition made in the page: {competitions}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rows = app.results_csv(&competition);
    let award = |holder: &str| {
        rows.iter()
            .find(|r| r[1] == holder)
            .and_then(|r| r.last().cloned())
            .unwrap_or_else(|| panic!("{holder} in {rows:?}"))
    };
    assert_eq!(award("Сейтқали Айгерім"), "I место");
    assert_eq!(award("Иванов Пётр"), "II место");
    assert_eq!(award("Ким Ольга"), "III место");
    assert_eq!(award("Әбілқайыров Ерасыл"), "Участник");
    // The re-issue corrected the entry itself, not only the paper.
    assert_eq!(award("Нұрланұлы Дәулет Асқарұлы"), "Участник");

    // Every participant's message reached the SMTP server.
    let received = server.received();
    let mut to: Vec<&str> = received.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(
        to,
        [
            "aigerim@school.test",
            "daulet@school.test",
            "erasyl@school.test",
            "olga@school.test",
            "petr@school.test"
        ],
        "one message each"
    );

    // One paper revoked, one superseded by its corrected copy, the rest valid.
    let documents = app.documents(&competition);
    let status: HashMap<&str, Vec<&str>> = documents.iter().fold(HashMap::new(), |mut by, d: &Value| {
        by.entry(d["holder"].as_str().unwrap_or_default())
            .or_default()
            .push(d["status"].as_str().unwrap_or_default());
        by
    });
    assert_eq!(documents.len(), 6, "{documents:?}");
    assert_eq!(status["Әбілқайыров Ерасыл"], ["revoked"]);
    assert_eq!(status["Нұрланұлы Дәулет"], ["superseded"]);
    assert_eq!(status["Нұрланұлы Дәулет Асқарұлы"], ["valid"]);
    assert_eq!(status["Сейтқали Айгерім"], ["valid"]);
}
