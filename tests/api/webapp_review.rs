//! A judge on a 360 px phone in headless Chromium (`tests/browser/review.mjs`): a blind entry
//! opened from the list, its PDF work in the page, half points with a decimal comma and remarks,
//! saved and on to the next entry. Afterwards the protocol holds the half points.

use std::path::Path;
use std::process::Command;

use serde_json::json;

use crate::delivery::SmtpServer;
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

/// Runs one phase of `tests/browser/revision.mjs`.
fn revision_phase(app: &TestApp, competition: &str, phase: &str, extra: &[(&str, &str)]) {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let mut command = Command::new("node");
    command
        .arg(scripts.join("revision.mjs"))
        .current_dir(&scripts)
        .env("BASE_URL", &app.address)
        .env("PASSWORD", PASSWORD)
        .env("PHASE", phase)
        .env("COMPETITION", competition)
        .env("ORGANIZER_EMAIL", "metodist@dvorets.kz")
        .env("JUDGE_EMAIL", "expert@dvorets.kz")
        .env("SCREENSHOTS", &screenshots);
    for (k, v) in extra {
        command.env(k, v);
    }
    let output = command.output().expect("node must be installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{phase}: {stdout}\n{stderr}");
    assert!(stdout.contains(&format!("revision {phase} done")), "{stdout}");
}

#[test]
fn the_organizer_returns_a_flagged_entry_for_revision_and_the_protocol_keeps_both_rounds() {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        scripts.join("node_modules/playwright-core").exists(),
        "run `npm ci` in tests/browser"
    );
    let mail_dir = tempfile::tempdir().unwrap();
    let settings_dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(mail_dir.path(), &[]);
    let mail = server.settings(&[], settings_dir.path());
    let app = TestApp::spawn_with(|s| s.mail = mail);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let competition = app.create_competition("Эссе байқауы");
    open_call(&app, &competition);
    accepted_application(&app, &competition, "Сейтқали Айгерім", "Гимназия «Ақ жол»");
    accepted_application(&app, &competition, "Нұрланұлы Ерасыл", "Лицей №5");
    let criteria = app.post_json(
        &format!("/api/v1/competitions/{competition}/criteria"),
        &json!([{"name": "Идея", "max_points": 25, "step": 0.5}, {"name": "Язык", "max_points": 25}]),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    let ids: Vec<String> = criteria
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let (mut person, seat) = seated_judge(&app, &competition);
    let other = app.post_json(
        &format!("/api/v1/competitions/{competition}/judges"),
        &json!({"name": "Ким Олег", "organization": "Облоно"}),
    );
    assert_eq!(other.status, 201, "{}", other.text());
    let token = other.json()["token"].as_str().unwrap().to_string();
    let listed = app
        .get(
            &format!("/api/v1/competitions/{competition}/applications"),
            Some(&app.token),
        )
        .json();
    let entry = |holder: &str| {
        listed["applications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["holder"] == holder)
            .unwrap()["entry_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (aigerim, yerasyl) = (entry("Сейтқали Айгерім"), entry("Нұрланұлы Ерасыл"));

    // Round 1: the person judge in the pages, the other by API; they are 15 apart on Айгерім.
    for (entry, idea, language, remark) in [
        (&aigerim, "5", "10", "Вывод не обоснован"),
        (&yerasyl, "20", "20", ""),
    ] {
        let csrf = person.get(&format!("{seat}/entries/{entry}")).csrf();
        let (p0, p1, r0) = (
            format!("p-{}", ids[0]),
            format!("p-{}", ids[1]),
            format!("r-{}", ids[0]),
        );
        let saved = person.post(
            &format!("{seat}/entries/{entry}"),
            &[
                ("csrf", &csrf),
                (&p0, idea),
                (&p1, language),
                (&r0, remark),
                ("remark", ""),
                ("next", "0"),
            ],
        );
        assert_eq!(saved.status, 303, "{}", saved.text());
    }
    for (entry, points) in [(&aigerim, 15), (&yerasyl, 20)] {
        let body = json!({"scores": {&ids[0]: points, &ids[1]: points}});
        let reply = app.send(
            "PUT",
            &format!("/api/v1/competitions/{competition}/entries/{entry}/scores"),
            &token,
            "application/json",
            body.to_string().as_bytes(),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
    }

    revision_phase(&app, &competition, "organizer", &[]);

    // The applicant's message carries a fresh link to the cabinet.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let link = loop {
        let found = server
            .received()
            .into_iter()
            .find(|m| m.text.contains("Доработайте вывод"))
            .and_then(|m| {
                let at = m.text.find("/a/")?;
                Some(format!("{}{}", app.address, &m.text[at..at + 67]))
            });
        match found {
            Some(link) => break link,
            None if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(100))
            }
            None => panic!(
                "no revision mail: {:?}",
                server
                    .received()
                    .iter()
                    .map(|m| m.subject.clone())
                    .collect::<Vec<_>>()
            ),
        }
    };
    revision_phase(
        &app,
        &competition,
        "applicant",
        &[("LINK", &link), ("JUDGE_NAME", "Test jury")],
    );
    revision_phase(&app, &competition, "judge", &[]);
    let body = json!({"scores": {&ids[0]: 20, &ids[1]: 20}, "remarks": {&ids[0]: "Стало лучше"}});
    let reply = app.send(
        "PUT",
        &format!("/api/v1/competitions/{competition}/entries/{aigerim}/scores"),
        &token,
        "application/json",
        body.to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());

    // The protocol PDF keeps both rounds, with the return and the remarks of each.
    let pdf = app.get(
        &format!("/api/v1/competitions/{competition}/jury/protocol.pdf"),
        Some(&app.token),
    );
    assert_eq!(pdf.status, 200);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.pdf"), &pdf.body).unwrap();
    let printed = crate::helpers::collapse_whitespace(&crate::helpers::pdf_text(&dir.path().join("p.pdf")));
    for shown in [
        "Туры экспертизы",
        "Тур 1: 22.5 (возвращено на доработку: Доработайте вывод по замечаниям экспертов)",
        "Вывод не обоснован",
        "Тур 2: 41.25",
        "Вывод теперь обоснован",
        "Стало лучше",
        "выше среднего",
    ] {
        assert!(printed.contains(shown), "{shown} in {printed}");
    }
}
