//! The web application in headless Chromium, driven by playwright-core (`tests/browser/`, installed
//! with `npm ci` by scripts/test.sh). Screenshots are kept in `target/screenshots/`.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use gramota::delivery::settings::MailSettings;

use crate::helpers::TestApp;
use crate::webapp::{account, PASSWORD};

const NAMED: &str = "ФИО,Организация,Регион,Номинация,Место,E-mail
Сейтқали Айгерім Нұрланқызы,СОШ №12,Павлодарская область,Экология,1 место,aigerim@school.test
Әбілқайыров Ерасыл,Гимназия №1,г. Алматы,Техника,Диплом II степени,erasyl@school.test
Иванов Пётр,Лицей №5,Костанайская область,Техника,Участник,petr@school.test
";

/// Enough rows that issuing takes a moment and the bar is seen moving.
const ROWS: usize = 120;

fn results_csv() -> String {
    let mut csv = NAMED.to_string();
    for i in 4..=ROWS {
        csv.push_str(&format!(
            "Қатысушы{i} Тестов,СОШ №{},Абайская область,Экология,Участник,\n",
            20 + i % 7
        ));
    }
    csv
}

#[test]
fn organizer_judge_and_parent_in_chromium() {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        scripts.join("node_modules/playwright-core").exists(),
        "run `npm ci` in tests/browser first (scripts/test.sh does)"
    );
    // Messages are written to files: the page's e-mail block is seen sending for real.
    let mail_dir = tempfile::tempdir().unwrap();
    let env: HashMap<String, String> = [
        ("GRAMOTA_MAIL_TRANSPORT", "file"),
        ("GRAMOTA_MAIL_PER_MINUTE", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([(
        "GRAMOTA_MAIL_DIR".to_string(),
        mail_dir.path().to_string_lossy().into_owned(),
    )])
    .collect();
    let mail = MailSettings::load(None, &env, mail_dir.path()).unwrap();
    let app = TestApp::spawn_with(|s| s.mail = mail);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let work = tempfile::tempdir().unwrap();
    let results = work.path().join("results.csv");
    std::fs::write(&results, results_csv()).unwrap();
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");

    let output = Command::new("node")
        .arg(scripts.join("webapp.mjs"))
        .current_dir(&scripts)
        .env("BASE_URL", &app.address)
        .env("PASSWORD", PASSWORD)
        .env("ORGANIZER_EMAIL", "metodist@dvorets.kz")
        .env("JUDGE_EMAIL", "expert@dvorets.kz")
        .env("RESULTS_FILE", &results)
        .env("RESULTS_ROWS", ROWS.to_string())
        .env("SCREENSHOTS", &screenshots)
        .env("DOWNLOADS", work.path())
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // The steps and what they measured, for `--nocapture`.
    println!("{stdout}");
    assert!(stdout.contains("progress reached 100 %"), "{stdout}");
    assert!(stdout.contains("3 messages sent"), "{stdout}");
    let written = std::fs::read_dir(mail_dir.path()).unwrap().count();
    assert_eq!(
        written, 3,
        "one message per address, written by the file transport"
    );
    for name in [
        "02-preview",
        "04-issued",
        "06-competitions-kk",
        "08-jury",
        "09-find-360-kk",
        "13-downloads",
        "14-bundles-360",
        "15-deliveries-ru",
        "16-deliveries-360",
        "17-people-kk",
        "17-people-ru",
        "17-people-en",
        "18-people-360",
    ] {
        let shot = screenshots.join(format!("{name}.png"));
        assert!(
            std::fs::metadata(&shot).map(|m| m.len() > 1000).unwrap_or(false),
            "{name}"
        );
    }
}
