//! Issue 17, privacy by default: the audit log of who did what, visible to the organization's
//! admin, and the retention period after which a finished competition's personal data is erased
//! while its papers stay verifiable with masked names.

use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

fn events(app: &TestApp) -> Vec<Value> {
    let reply = app.get("/api/v1/audit", Some(&app.token));
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["events"].as_array().cloned().unwrap_or_default()
}

fn actions(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn competition_from(app: &TestApp, title: &str, ends_on: &str) -> String {
    let reply = app.post_json(
        "/api/v1/competitions",
        &json!({"title": title, "language": "kk", "ends_on": ends_on, "letters": false}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_string()
}

const RESULTS: &str = "ФИО,Школа,Облыс,E-mail,Дата рождения,Телефон,Место\n\
    Сейтқали Айгерім Нұрланқызы,СОШ №12,Павлодар облысы,aigerim@mail.kz,2012-03-04,+77011234567,1 место\n\
    Әбілқайырова Ұлжан,СОШ №7,Ақмола облысы,ulzhan@mail.kz,2011-09-30,+77019876543,Участник\n";

#[test]
fn the_audit_log_names_who_revoked_reissued_changed_a_design_and_downloaded() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Облыстық олимпиада");
    assert_eq!(app.upload(&competition, RESULTS).status, 200);
    app.issue_and_wait(&competition);
    let documents = app.documents(&competition);
    let (first, second) = (&documents[0], &documents[1]);

    let revoked = app.post_json(
        &format!("/api/v1/documents/{}/revoke", first["id"].as_str().unwrap()),
        &json!({"reason": "ошибка в фамилии"}),
    );
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    let reissued = app.post_json(
        &format!("/api/v1/documents/{}/reissue", second["id"].as_str().unwrap()),
        &json!({"school": "СОШ №8"}),
    );
    assert_eq!(reissued.status, 201, "{}", reissued.text());
    let new_serial = reissued.json()["serial"].as_str().unwrap().to_string();
    let design = app.post_json(
        "/api/v1/designs",
        &json!({"name": "our-diploma", "from": "classic"}),
    );
    assert_eq!(design.status, 201, "{}", design.text());
    assert_eq!(
        app.get(
            &format!("/api/v1/competitions/{competition}/documents.zip"),
            Some(&app.token)
        )
        .status,
        200
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/competitions/{competition}/results.csv"),
            Some(&app.token)
        )
        .status,
        200
    );

    let log = events(&app);
    let done = actions(&log);
    assert_eq!(
        done,
        [
            "exported",
            "exported",
            "design_changed",
            "document_reissued",
            "document_revoked"
        ],
        "newest first: {log:?}"
    );
    let revoke = &log[4];
    assert_eq!(revoke["subject"], first["serial"]);
    assert!(revoke["actor"].as_str().unwrap().starts_with("API: "), "{revoke}");
    assert_eq!(
        log[3]["subject"],
        format!("{} → {new_serial}", second["serial"].as_str().unwrap())
    );
    assert_eq!(log[2]["subject"], "our-diploma v1");
    assert!(
        log[1]["subject"]
            .as_str()
            .unwrap()
            .starts_with("ZIP: Облыстық олимпиада"),
        "{}",
        log[1]
    );
    assert!(
        log[0]["subject"].as_str().unwrap().starts_with("results.csv"),
        "{}",
        log[0]
    );

    // The pages: an admin signs in (logged), disables a person (logged) and reads the log; an
    // organizer who is not an admin does not see it.
    account(&app.settings, "dvorets-test", "admin@center.kz", "admin");
    account(&app.settings, "dvorets-test", "metodist@center.kz", "organizer");
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@center.kz", PASSWORD);
    let people = admin.get("/app/people");
    let id = people.text();
    let id = id
        .split("/app/people/")
        .filter_map(|rest| rest.split('/').next())
        .find(|candidate| {
            people
                .text()
                .contains(&format!("/app/people/{candidate}/disable"))
                && !candidate.is_empty()
        })
        .expect("a person to disable")
        .to_string();
    let csrf = people.csrf();
    assert_eq!(
        admin
            .post(&format!("/app/people/{id}/disable"), &[("csrf", &csrf)])
            .status,
        303
    );
    let page = admin.get("/app/audit");
    assert_eq!(page.status, 200);
    let text = page.text();
    for (action, subject) in [
        ("signed_in", "admin@center.kz"),
        ("person_disabled", "metodist@center.kz"),
        ("document_revoked", first["serial"].as_str().unwrap()),
    ] {
        assert!(
            text.contains(&format!("data-action=\"{action}\"")),
            "{action} on the page"
        );
        assert!(text.contains(subject), "{subject} on the page");
    }
    assert!(
        text.contains("Отозвал документ")
            || text.contains("Құжатты кері қайтарды")
            || text.contains("Revoked a paper")
    );
    let mut organizer = Browser::new(&app);
    account(&app.settings, "dvorets-test", "second@center.kz", "organizer");
    organizer.sign_in("second@center.kz", PASSWORD);
    assert_eq!(
        organizer.get("/app/audit").status,
        404,
        "only an admin reads the log"
    );
    // The log holds no secret: not the API token, not a password.
    let all = serde_json::to_string(&events(&app)).unwrap();
    assert!(!all.contains(&app.token) && !all.contains(PASSWORD));
}

#[test]
fn personal_data_is_erased_after_the_retention_period_and_papers_still_verify() {
    let app = TestApp::spawn();
    let old = competition_from(&app, "Күзгі олимпиада 2025", "2025-10-20");
    let recent = competition_from(&app, "Қысқы олимпиада", "2027-05-25");
    // One child only in the old competition; the other two in both.
    let only_old =
        format!("{RESULTS}Ерланов Нұрсұлтан,СОШ №3,Павлодар облысы,nursultan@mail.kz,2013-01-02,,2 место\n");
    for (id, rows) in [(&old, only_old.as_str()), (&recent, RESULTS)] {
        assert_eq!(app.upload(id, rows).status, 200);
        app.issue_and_wait(id);
    }
    let found = |part: &str| {
        app.get(
            &format!("/api/v1/persons?q={}", crate::helpers::query_value(part)),
            Some(&app.token),
        )
        .json()
    };
    assert_eq!(found("Ерланов").as_array().map(Vec::len), Some(1));
    let before: Vec<Value> = app
        .documents(&old)
        .iter()
        .map(|d| {
            app.get(&format!("/api/v1/verify/{}", d["code"].as_str().unwrap()), None)
                .json()
        })
        .collect();

    // The setting: 30 days at least, through the API (the page posts to the same service).
    let refused = app.send(
        "PUT",
        "/api/v1/organization/retention",
        &app.token,
        "application/json",
        br#"{"days": 5}"#,
    );
    assert_eq!(refused.status, 400, "{}", refused.text());
    let set = app.send(
        "PUT",
        "/api/v1/organization/retention",
        &app.token,
        "application/json",
        br#"{"days": 90}"#,
    );
    assert_eq!(set.status, 200, "{}", set.text());
    assert_eq!(
        app.get("/api/v1/organization/retention", Some(&app.token)).json()["days"],
        90
    );

    // An application with its work sent through the old competition's form.
    let call = app.put_json(
        &format!("/api/v1/competitions/{old}/call"),
        &app.token,
        &json!({"published": true, "file_kinds": ["pdf"]}),
    );
    assert_eq!(call.status, 200, "{}", call.text());
    let mut parent = Browser::new(&app);
    let csrf = parent.get(&format!("/c/{old}/apply")).csrf();
    let applied = parent.post_multipart(
        &format!("/c/{old}/apply"),
        &[
            ("csrf", &csrf),
            ("holder", "Ким Дана"),
            ("school", "СОШ №3"),
            ("email", "parent@family.test"),
            ("consent", "on"),
        ],
        &[("work", "работа.pdf", b"%PDF-1.4\n%%EOF\n")],
    );
    assert_eq!(applied.status, 200, "{}", applied.text());
    let works = app.data_dir().join("works");
    let work_files = || {
        std::fs::read_dir(&works)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().is_some_and(|n| n.len() == 2))
            .map(|p| std::fs::read_dir(p).unwrap().count())
            .sum::<usize>()
    };
    assert_eq!(work_files(), 1);

    // Run as the service runs it, on a day 90 days after the old competition but not the new one.
    let db = gramota::db::Db::connect(&app.settings.database_url, 2).unwrap();
    let store = gramota::issuance::storage::DocumentStore::new(&app.settings.data_dir);
    let works_store = gramota::applications::works::WorkStore::in_data_dir(&app.settings.data_dir);
    let day = time::macros::date!(2026 - 06 - 01);
    let nothing =
        gramota::retention::erase_due(&db, &store, &works_store, time::macros::date!(2026 - 01 - 10))
            .unwrap();
    assert!(nothing.is_empty(), "80 days after: kept");
    let erased = gramota::retention::erase_due(&db, &store, &works_store, day).unwrap();
    assert_eq!(erased.len(), 1, "{erased:?}");
    assert_eq!(erased[0].competition_id, old);
    assert_eq!((erased[0].entries, erased[0].documents), (3, 3));
    let applications = app.get(
        &format!("/api/v1/competitions/{old}/applications"),
        Some(&app.token),
    );
    assert_eq!(
        applications.json()["total"],
        0,
        "the applications go with their works"
    );
    assert_eq!(work_files(), 0);
    assert!(
        gramota::retention::erase_due(&db, &store, &works_store, day)
            .unwrap()
            .is_empty(),
        "once"
    );

    // The papers verify by code as before, with the same masked name.
    for (document, earlier) in app.documents(&old).iter().zip(&before) {
        let now = app.get(
            &format!("/api/v1/verify/{}", document["code"].as_str().unwrap()),
            None,
        );
        assert_eq!(now.status, 200);
        let now = now.json();
        assert_eq!(now["status"], earlier["status"]);
        assert_eq!(now["holder"], earlier["holder"], "the public mask is unchanged");
        assert_eq!(now["serial"], earlier["serial"]);
        // The organizer's own view holds initials only; the PDF is gone, said as such.
        assert!(
            ["С. А.", "Ә. Ұ.", "Е. Н."].contains(&document["holder"].as_str().unwrap()),
            "{document}"
        );
        let pdf = app.get(
            &format!("/api/v1/documents/{}/pdf", document["id"].as_str().unwrap()),
            Some(&app.token),
        );
        assert_eq!(pdf.status, 410, "{}", pdf.text());
    }
    let exported = app
        .get(
            &format!("/api/v1/competitions/{old}/results.csv"),
            Some(&app.token),
        )
        .text();
    for gone in [
        "Сейтқали",
        "Айгерім",
        "aigerim@mail.kz",
        "2012-03-04",
        "+77011234567",
        "ulzhan@mail.kz",
    ] {
        assert!(!exported.contains(gone), "{gone} is erased: {exported}");
    }
    assert!(
        exported.contains("Павлодар облысы"),
        "what the reports count stays: {exported}"
    );
    assert!(
        !app.settings.data_dir.join("documents").join(&old).exists(),
        "the PDFs are deleted"
    );

    // The recent competition is untouched.
    let kept = app
        .get(
            &format!("/api/v1/competitions/{recent}/results.csv"),
            Some(&app.token),
        )
        .text();
    assert!(
        kept.contains("Сейтқали Айгерім") && kept.contains("aigerim@mail.kz"),
        "{kept}"
    );
    let kept_pdf = app.documents(&recent)[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/documents/{kept_pdf}/pdf"), Some(&app.token))
            .status,
        200
    );

    // The persons: one known only from the erased competition keeps its place in the counts but
    // not its name; one still taking part elsewhere keeps it.
    assert_eq!(found("Ерланов"), json!([]), "erased");
    assert_eq!(
        found("Сейтқали").as_array().map(Vec::len),
        Some(1),
        "kept for the recent competition"
    );

    let log = events(&app);
    let erasure = log
        .iter()
        .find(|e| e["action"] == "personal_data_erased")
        .expect("the erasure is in the audit log");
    assert_eq!(erasure["actor"], "gramota");
    assert!(
        erasure["subject"]
            .as_str()
            .unwrap()
            .starts_with("Күзгі олимпиада 2025"),
        "{erasure}"
    );
    assert!(actions(&log).contains(&"retention_changed".to_string()));
}
