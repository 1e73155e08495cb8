//! A judge on a 360 px phone in headless Chromium (`tests/browser/review.mjs`): a blind entry
//! opened from the list, its PDF work in the page, half points with a decimal comma and remarks,
//! saved and on to the next entry. Afterwards the protocol holds the half points.

use std::path::Path;
use std::process::Command;

use serde_json::json;

use crate::helpers::TestApp;
use crate::jury_review::{accepted_application, open_call, seated_judge};
use crate::webapp::{account, PASSWORD};

#[test]
fn a_judge_on_a_phone_scores_a_blind_entry_with_half_points_and_remarks_and_moves_on() {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        scripts.join("node_modules/playwright-core").exists(),
        "run `npm ci` in tests/browser first (scripts/test.sh does)"
    );
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let competition = app.create_competition("Эссе байқауы");
    open_call(&app, &competition);
    accepted_application(&app, &competition, "Сейтқали Айгерім", "Гимназия «Ақ жол»");
    accepted_application(&app, &competition, "Нұрланұлы Ерасыл", "Лицей №5");
    let criteria = app.post(
        &format!("/api/v1/competitions/{competition}/criteria"),
        Some(&app.token),
        "application/json",
        json!([{"name": "Идея", "max_points": 5, "step": 0.5}, {"name": "Язык", "max_points": 5, "step": 0.5}])
            .to_string()
            .as_bytes(),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    seated_judge(&app, &competition);
    let blind = app.put_json(
        &format!("/api/v1/competitions/{competition}/jury/blind"),
        &app.token,
        &json!({"blind": true}),
    );
    assert_eq!(blind.status, 200);

    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let hidden = json!(["Сейтқали", "Нұрланұлы", "Ақ жол", "Лицей", "Серікова"]).to_string();
    let output = Command::new("node")
        .arg(scripts.join("review.mjs"))
        .current_dir(&scripts)
        .env("BASE_URL", &app.address)
        .env("PASSWORD", PASSWORD)
        .env("JUDGE_EMAIL", "expert@dvorets.kz")
        .env("HIDDEN", hidden)
        .env("SCREENSHOTS", &screenshots)
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("review run done"), "{stdout}");

    let protocol = app
        .get(
            &format!("/api/v1/competitions/{competition}/jury/protocol.csv"),
            Some(&app.token),
        )
        .text();
    assert!(protocol.contains(";4.5;3.5;8.00;"), "{protocol}");
}
