//! axe-core on every page of the web application, for the public, a judge, an organizer and an
//! admin, in kk, ru and en, in headless Chromium (`tests/browser/axe.mjs`): no serious or critical
//! violation, the right lang attribute and no sideways scrolling at 360 px. The data the pages
//! show is made here through the API; the pages are only looked at.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::json;

use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

const RESULTS: &str = "ФИО,Организация,Регион,Номинация,Место,E-mail
Сейтқали Айгерім Нұрланқызы,СОШ №12,Павлодарская область,Экология,1 место,aigerim@school.test
Әбілқайыров Ерасыл,\"Гимназия «Ақ жол», Астана\",г. Астана,Техника,Диплом II степени,erasyl@school.test
Иванов Пётр,Лицей №5,Костанайская область,Техника,Участник,
";

#[test]
fn every_page_passes_axe_core_in_kk_ru_and_en_and_fits_360_px() {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        scripts.join("node_modules/axe-core").exists(),
        "run `npm ci` in tests/browser first (scripts/test.sh does)"
    );
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "admin@dvorets.kz", "admin");
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let competition = app.create_competition("Республиканский конкурс «Жас зерттеуші»");
    assert_eq!(app.upload(&competition, RESULTS).status, 200);
    let criteria = app.post(
        &format!("/api/v1/competitions/{competition}/criteria"),
        Some(&app.token),
        "application/json",
        json!([{"name": "Идея", "max_points": 10}, {"name": "Исполнение", "max_points": 10}])
            .to_string()
            .as_bytes(),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    let job = app.issue_and_wait(&competition);
    let job = job["id"].as_str().expect("the job's id").to_string();
    let documents = app.documents(&competition);
    let code = |holder: &str| {
        documents
            .iter()
            .find(|d| d["holder"] == holder)
            .and_then(|d| d["code"].as_str())
            .unwrap_or_else(|| panic!("{holder} in {documents:?}"))
            .to_string()
    };
    let (valid, revoked) = (code("Сейтқали Айгерім Нұрланқызы"), code("Иванов Пётр"));
    let revoked_id = documents.iter().find(|d| d["holder"] == "Иванов Пётр").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let reply = app.post(
        &format!("/api/v1/documents/{revoked_id}/revoke"),
        Some(&app.token),
        "application/json",
        json!({"reason": "Ошибка в фамилии"}).to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let design = app.post(
        "/api/v1/designs",
        Some(&app.token),
        "application/json",
        json!({"name": "dvorets-2026", "from": "classic"})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(design.status, 201, "{}", design.text());

    // A webinar's papers page lists who attended.
    let webinar = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Вебинар «Цифровая грамотность»", "kind": "webinar", "hours": 2}),
    );
    assert_eq!(webinar.status, 201, "{}", webinar.text());
    let webinar = webinar.json()["id"].as_str().expect("the webinar").to_string();
    let attendance = "ФИО,Присутствовал\nСейтқали Айгерім,да\nИванов Пётр,нет\n";
    assert_eq!(app.upload(&webinar, attendance).status, 200);

    // The competition's public side: an announcement with its form, an application, the results.
    let call = app.put_json(
        &format!("/api/v1/competitions/{competition}/call"),
        &app.token,
        &json!({
            "published": true, "results_published": true, "deadline": "2099-12-20T23:59:00+05:00",
            "summary": "Конкурс исследовательских работ школьников", "nominations": ["Экология", "Техника"],
            "age_groups": ["7–10 лет", "11–14 лет"], "team_max": 2, "file_kinds": ["pdf"],
            "fields": [{"label": "Класс", "kind": "choice", "options": ["5", "6", "7"], "required": true}],
        }),
    );
    assert_eq!(call.status, 200, "{}", call.text());
    let mut parent = Browser::new(&app);
    let csrf = parent.get(&format!("/c/{competition}/apply")).csrf();
    let applied = parent.post_multipart(
        &format!("/c/{competition}/apply"),
        &[
            ("csrf", &csrf),
            ("holder", "Ким Дана"),
            ("school", "СОШ №3"),
            ("nomination", "Техника"),
            ("age_group", "11–14 лет"),
            ("email", "parent@family.test"),
            ("f1", "6"),
            ("consent", "on"),
        ],
        &[("work", "работа.pdf", b"%PDF-1.4\n%%EOF\n")],
    );
    assert_eq!(applied.status, 200, "{}", applied.text());
    let application = app
        .get(
            &format!("/api/v1/competitions/{competition}/applications"),
            Some(&app.token),
        )
        .json()["applications"][0]["id"]
        .as_str()
        .expect("the application")
        .to_string();

    // The jury person seated in the organizer's page, and a pending invitation's link.
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = organizer.get(&format!("/app/competitions/{competition}")).text();
    let marker = r#"name="user"><option value=""#;
    let at = page.find(marker).expect("the jury person is offered") + marker.len();
    let user = page[at..at + 36].to_string();
    let csrf = organizer.csrf();
    let seated = organizer.post(
        &format!("/app/competitions/{competition}/judges"),
        &[("csrf", &csrf), ("user", &user), ("organization", "Гороно")],
    );
    assert_eq!(seated.status, 303, "{}", seated.text());
    // A blind review with its entries assigned: the judge's pages and the organizer's review page
    // as they look in use.
    let blind = app.put_json(
        &format!("/api/v1/competitions/{competition}/jury/blind"),
        &app.token,
        &json!({"blind": true}),
    );
    assert_eq!(blind.status, 200, "{}", blind.text());
    let assigned = app.post(
        &format!("/api/v1/competitions/{competition}/jury/assignments"),
        Some(&app.token),
        "application/json",
        json!({"judges_per_entry": 1}).to_string().as_bytes(),
    );
    assert_eq!(assigned.status, 200, "{}", assigned.text());
    let invited = organizer
        .post(
            "/app/people",
            &[("csrf", &csrf), ("email", "new@dvorets.kz"), ("role", "jury")],
        )
        .text()
        .replace("&#x2f;", "/");
    let at = invited.find("/app/invite/").expect("an invitation link") + "/app/invite/".len();
    let token: String = invited[at..].chars().take_while(|c| *c != '"').collect();

    // Stages across organizations: the competition feeds the webinar by one link (its stages
    // page then has the forwarding forms, the webinar's the origins), another link stays open.
    let invite = |addressee: &str| {
        let made = app.post_json(
            &format!("/api/v1/competitions/{webinar}/stage-invitations"),
            &json!({"addressee": addressee, "quota": 5}),
        );
        assert_eq!(made.status, 201, "{}", made.text());
        made.json()["token"].as_str().expect("a token").to_string()
    };
    let linked = app.post_json(
        "/api/v1/stage-links",
        &json!({"token": invite("Павлодар"), "competition_id": competition}),
    );
    assert_eq!(linked.status, 201, "{}", linked.text());
    let stage_token = invite("Екібастұз");

    let work = tempfile::tempdir().unwrap();
    let results = work.path().join("results.csv");
    std::fs::write(&results, RESULTS).unwrap();
    let started = Instant::now();
    let output = Command::new("node")
        .arg(scripts.join("axe.mjs"))
        .current_dir(&scripts)
        .env("BASE_URL", &app.address)
        .env("PASSWORD", PASSWORD)
        .env("ADMIN_EMAIL", "admin@dvorets.kz")
        .env("ORGANIZER_EMAIL", "metodist@dvorets.kz")
        .env("JUDGE_EMAIL", "expert@dvorets.kz")
        .env("COMPETITION", &competition)
        .env("JOB", &job)
        .env("DESIGN", "dvorets-2026")
        .env("VERIFY_CODE", &valid)
        .env("VERIFY_SURNAME", "Сейтқали")
        .env("REVOKED_CODE", &revoked)
        .env("INVITE_TOKEN", &token)
        .env("RESULTS_FILE", &results)
        .env("APPLICATION", &application)
        .env("WEBINAR", &webinar)
        .env("STAGE_INVITE_TOKEN", &stage_token)
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}in {:.1} s", started.elapsed().as_secs_f64());
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("no serious or critical violation"), "{stdout}");
    // Every page was seen in the three languages: a page that failed to open is not a pass.
    let views: usize = stdout
        .split(" page views checked")
        .next()
        .and_then(|s| s.rsplit('\n').next())
        .and_then(|n| n.trim().parse().ok())
        .expect("the count of pages checked");
    assert!(views >= 3 * 49, "{views} page views: {stdout}");
}
