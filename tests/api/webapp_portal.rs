//! The competition portal by clicks in headless Chromium (`tests/browser/portal.mjs`), the parent
//! on a 360 px phone, with a real SMTP server whose mailbox the script reads the private links
//! from. Afterwards the database and the mailbox say what the clicks did.

use serde_json::json;

use crate::delivery::SmtpServer;
use crate::helpers::{browser_script, TestApp};
use crate::webapp::{account, PASSWORD};

#[test]
fn a_parent_applies_on_a_phone_and_gets_the_diploma_while_the_organizer_moderates_in_the_pages() {
    let mail_dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(mail_dir.path(), &[]);
    let settings_dir = tempfile::tempdir().unwrap();
    let mail = server.settings(&[], settings_dir.path());
    let app = TestApp::spawn_with(|s| s.mail = mail);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let competition = app.create_competition("Жас дарын 2026");
    let call = app.put_json(
        &format!("/api/v1/competitions/{competition}/call"),
        &app.token,
        &json!({
            "published": true,
            "deadline": "2099-12-20T23:59:00+05:00",
            "nominations": ["Вокал", "Хореография"],
            "team_max": 3,
            "files_max": 1,
            "file_mb": 5,
            "file_kinds": ["pdf", "image"],
            "fields": [{"label": "Класс", "kind": "number", "required": true}],
        }),
    );
    assert_eq!(call.status, 200, "{}", call.text());
    let work = tempfile::tempdir().unwrap();
    let work_file = work.path().join("ән.pdf");
    std::fs::write(
        &work_file,
        b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
    )
    .unwrap();

    let stdout = browser_script(
        "portal.mjs",
        &[
            ("BASE_URL", &app.address),
            ("PASSWORD", PASSWORD),
            ("MAIL_DIR", mail_dir.path().to_str().unwrap()),
            ("COMPETITION", &competition),
            ("WORK_FILE", work_file.to_str().unwrap()),
        ],
    );
    assert!(stdout.contains("portal run done"), "{stdout}");

    let listed = app
        .get(
            &format!("/api/v1/competitions/{competition}/applications"),
            Some(&app.token),
        )
        .json();
    let application = &listed["applications"][0];
    assert_eq!(listed["total"], 1);
    assert_eq!(application["state"], "accepted");
    assert_eq!(application["school"], "КГУ «Школа-гимназия №12»");
    assert_eq!(
        application["team_members"],
        json!(["Сейтқали Айгерім", "Ким Дана", "Әлиев Бауыржан"])
    );
    assert!(!application["email_confirmed_at"].is_null());
    let documents = app.documents(&competition);
    assert_eq!(documents.len(), 1);
    let subjects: Vec<String> = server
        .received()
        .iter()
        .filter(|m| m.to.contains("parent@family.test"))
        .map(|m| m.text.clone())
        .collect();
    assert_eq!(subjects.len(), 3, "received, returned, accepted: {subjects:?}");
}
