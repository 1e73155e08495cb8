//! The organization's profile: the head who signs is printed on papers issued after it is set,
//! papers issued before stay byte-identical, and only an administrator changes it in the pages.

use serde_json::json;

use crate::helpers::{collapse_whitespace, pdf_text, TestApp};
use crate::webapp::{account, Browser, PASSWORD};

fn kazakh_competition(app: &TestApp, title: &str) -> String {
    let reply = app.post_json(
        "/api/v1/competitions",
        &json!({"title": title, "language": "kk", "ends_on": "2026-11-20", "letters": false}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let id = reply.json()["id"].as_str().unwrap().to_string();
    let upload = app.upload(&id, "Аты-жөні,Мектеп,Орын\nСейтқали Айгерім,№5 мектеп,1 орын\n");
    assert_eq!(upload.status, 200, "{}", upload.text());
    app.issue_and_wait(&id);
    id
}

fn first_pdf(app: &TestApp, competition: &str) -> Vec<u8> {
    let document = &app.documents(competition)[0];
    let reply = app.get(
        &format!("/api/v1/documents/{}/pdf", document["id"].as_str().unwrap()),
        Some(&app.token),
    );
    assert_eq!(reply.status, 200);
    reply.body
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paper.pdf");
    std::fs::write(&path, pdf).unwrap();
    collapse_whitespace(&pdf_text(&path))
}

#[test]
fn the_head_who_signs_is_printed_on_papers_issued_after_and_earlier_papers_do_not_change() {
    let app = TestApp::spawn();
    let before = kazakh_competition(&app, "Бірінші байқау");
    let earlier = first_pdf(&app, &before);
    assert!(!text_of(&earlier).contains("Ахметова"));

    let hostile = app.send(
        "PUT",
        "/api/v1/organization",
        &app.token,
        "application/json",
        json!({"head_name": "Ахметова\u{202e}Гүлнар", "head_title": "я".repeat(301)})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(
        hostile.status,
        400,
        "an overlong title is refused: {}",
        hostile.text()
    );
    assert_eq!(
        app.get("/api/v1/organization", Some(&app.token)).json()["head_name"],
        serde_json::Value::Null,
        "nothing of a refused change is kept"
    );

    let profile = app.send(
        "PUT",
        "/api/v1/organization",
        &app.token,
        "application/json",
        json!({
            "name_kk": "Қосымша білім берудің республикалық орталығы",
            "head_name": "Ахметова  Гүлнар Серікқызы",
            "head_title": "Директордың м.а.",
        })
        .to_string()
        .as_bytes(),
    );
    assert_eq!(profile.status, 200, "{}", profile.text());
    assert_eq!(profile.json()["head_name"], "Ахметова Гүлнар Серікқызы");
    assert_eq!(
        app.get("/api/v1/organization", Some(&app.token)).json()["head_title"],
        "Директордың м.а."
    );

    let after = kazakh_competition(&app, "Екінші байқау");
    let text = text_of(&first_pdf(&app, &after));
    for printed in [
        "Ахметова Гүлнар Серікқызы",
        "Директордың м.а.",
        "Қосымша білім берудің республикалық орталығы",
    ] {
        // The issuer is printed in capitals by the design.
        let found = text.contains(printed) || text.contains(&printed.to_uppercase());
        assert!(found, "«{printed}» in {text}");
    }
    assert_eq!(
        first_pdf(&app, &before),
        earlier,
        "a paper issued before the change keeps its bytes"
    );
    let reverified = app.issue_and_wait_with(&before, "?reverify=true");
    assert_eq!(reverified["verified"], 1, "{reverified}");
}

#[test]
fn only_an_administrator_changes_the_profile_in_the_pages() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "admin@dvorets.kz", "admin");
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");

    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    assert_eq!(organizer.get("/app/organization").status, 404);
    let csrf = organizer.csrf();
    let refused = organizer.post("/app/organization", &[("csrf", &csrf), ("head_name", "Кто-то")]);
    assert_eq!(refused.status, 404);

    let titled = app.send(
        "PUT",
        "/api/v1/organization",
        &app.token,
        "application/json",
        json!({"head_title": "Директор КГКП"}).to_string().as_bytes(),
    );
    assert_eq!(titled.status, 200);
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@dvorets.kz", PASSWORD);
    let page = admin.get("/app/organization");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("id=\"profile-form\""));
    let csrf = admin.csrf();
    let saved = admin.post(
        "/app/organization",
        &[
            ("csrf", &csrf),
            ("name_ru", "Дворец школьников"),
            ("head_name", "Ахметова Г.С."),
            ("head_title", ""),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    let profile = app.get("/api/v1/organization", Some(&app.token)).json();
    assert_eq!(profile["head_name"], "Ахметова Г.С.");
    assert_eq!(
        profile["head_title"],
        serde_json::Value::Null,
        "an emptied field is cleared"
    );
    assert_eq!(profile["name_ru"], "Дворец школьников");
    assert!(admin.get("/app/organization").text().contains("Ахметова Г.С."));
}

#[test]
fn a_competition_is_edited_in_its_page_and_through_the_api() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let id = app.create_competition("Черновик");
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let form = browser.get(&format!("/app/competitions/{id}/edit"));
    assert_eq!(form.status, 200);
    assert!(form.text().contains(r#"value="Черновик""#));
    let csrf = browser.csrf();
    let saved = browser.post(
        &format!("/app/competitions/{id}/edit"),
        &[
            ("csrf", &csrf),
            ("title", "Республиканский конкурс «Жас техник»"),
            ("kind", "olympiad"),
            ("direction", "technical"),
            ("level", "regional"),
            ("language", "kk"),
            ("starts_on", "2026-10-01"),
            ("ends_on", "2026-10-20"),
            ("city", "Павлодар"),
            ("letters", "true"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    let shown = app
        .get(&format!("/api/v1/competitions/{id}"), Some(&app.token))
        .json();
    assert_eq!(shown["title"], "Республиканский конкурс «Жас техник»");
    assert_eq!(shown["kind"], "olympiad");
    assert_eq!(shown["direction"], "technical");
    assert_eq!(shown["level"], "regional");
    assert_eq!(shown["language"], "kk");
    assert_eq!(shown["ends_on"], "2026-10-20");
    assert_eq!(shown["letters"], true);
    assert_eq!(
        shown["design"], "classic",
        "the design, chosen in its own card, is kept"
    );

    let refused = browser.post(
        &format!("/app/competitions/{id}/edit"),
        &[
            ("csrf", &csrf),
            ("title", "Даты"),
            ("starts_on", "2026-10-20"),
            ("ends_on", "2026-10-01"),
        ],
    );
    assert_eq!(
        refused.status, 400,
        "the end before the start is refused in the page"
    );
    let api = app.send(
        "PUT",
        &format!("/api/v1/competitions/{id}"),
        &app.token,
        "application/json",
        json!({"title": "Курс", "kind": "course", "hours": 72, "letters": false})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(api.status, 200, "{}", api.text());
    assert_eq!(api.json()["hours"], 72);
    assert_eq!(api.json()["letters"], false);
}

#[test]
fn a_person_changes_their_password_and_their_other_sessions_end() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut laptop = Browser::new(&app);
    laptop.sign_in("metodist@dvorets.kz", PASSWORD);
    let mut phone = Browser::new(&app);
    phone.sign_in("metodist@dvorets.kz", PASSWORD);
    assert_eq!(phone.get("/app/competitions").status, 200);

    let csrf = laptop.csrf();
    let wrong = laptop.post(
        "/app/password",
        &[
            ("csrf", &csrf),
            ("current", "not the password at all"),
            ("password", "a brand new passphrase"),
            ("password_again", "a brand new passphrase"),
        ],
    );
    assert_eq!(wrong.status, 401, "the current password is asked for");
    let changed = laptop.post(
        "/app/password",
        &[
            ("csrf", &csrf),
            ("current", PASSWORD),
            ("password", "a brand new passphrase"),
            ("password_again", "a brand new passphrase"),
        ],
    );
    assert_eq!(changed.status, 303, "{}", changed.text());
    assert_eq!(laptop.get("/app/competitions").status, 200, "this session stays");
    assert_ne!(
        phone.get("/app/competitions").status,
        200,
        "the other session ended"
    );

    let mut again = Browser::new(&app);
    let old = again.sign_in("metodist@dvorets.kz", PASSWORD);
    assert_eq!(old.status, 401, "the old password no longer works");
    let new = again.sign_in("metodist@dvorets.kz", "a brand new passphrase");
    assert_eq!(new.status, 303);
}

#[test]
fn a_papers_history_and_visibility_are_in_its_card() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let id = kazakh_competition(&app, "Тарих");
    let document = app.documents(&id)[0].clone();
    let code = document["code"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/verify/{code}"), None).json()["status"],
        "valid"
    );
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = format!("/app/competitions/{id}/documents");
    // The scan is logged a moment later, by the scan log's writer.
    let started = std::time::Instant::now();
    let card = loop {
        let card = browser.get(&page).text();
        if card.contains("Проверок: 1") || started.elapsed() > std::time::Duration::from_secs(10) {
            break card;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(card.contains("Выдан"), "issued, in the history");
    assert!(card.contains("Проверок: 1"), "the verification is counted");
    assert!(card.contains("Страница проверки открыта"));

    let csrf = browser.csrf();
    let hidden = browser.post(
        &format!("/app/documents/{}/visibility", document["id"].as_str().unwrap()),
        &[("csrf", &csrf), ("public", "false")],
    );
    assert_eq!(hidden.status, 303, "{}", hidden.text());
    assert_eq!(
        app.get(&format!("/api/v1/verify/{code}"), None).json()["status"],
        "not_found",
        "a hidden paper is as unknown as a code never issued"
    );
    assert!(browser.get(&page).text().contains("Страница проверки скрыта"));
    let shown = browser.post(
        &format!("/app/documents/{}/visibility", document["id"].as_str().unwrap()),
        &[("csrf", &csrf), ("public", "true")],
    );
    assert_eq!(shown.status, 303);
    assert_eq!(
        app.get(&format!("/api/v1/verify/{code}"), None).json()["status"],
        "valid"
    );
}

#[test]
fn default_pictures_and_contacts_reach_papers_issued_after_and_earlier_papers_do_not_change() {
    use crate::own_designs::{background_jpeg, contains, stamp_png};
    let app = TestApp::spawn();
    let before = kazakh_competition(&app, "Суретсіз байқау");
    let earlier = first_pdf(&app, &before);

    let contacts = json!({
        "address": "Астана, Мәңгілік Ел даңғылы, 10",
        "phone": "+7 7172 00 00 00",
        "email": "info@dvorets.kz",
        "website": "https://dvorets.kz",
    });
    let saved = app.send(
        "PUT",
        "/api/v1/organization",
        &app.token,
        "application/json",
        contacts.to_string().as_bytes(),
    );
    assert_eq!(saved.status, 200, "{}", saved.text());
    assert_eq!(saved.json()["website"], "https://dvorets.kz");
    for bad in [
        json!({"email": "not an address"}),
        json!({"website": "javascript:alert(1)"}),
    ] {
        let refused = app.send(
            "PUT",
            "/api/v1/organization",
            &app.token,
            "application/json",
            bad.to_string().as_bytes(),
        );
        assert_eq!(refused.status, 400, "{bad}: {}", refused.text());
    }
    assert_eq!(
        app.get("/api/v1/organization", Some(&app.token)).json()["email"],
        "info@dvorets.kz"
    );

    let logo = background_jpeg();
    let put = |role: &str, content_type: &str, bytes: &[u8]| {
        app.send(
            "PUT",
            &format!("/api/v1/organization/pictures/{role}"),
            &app.token,
            content_type,
            bytes,
        )
    };
    assert_eq!(put("logo", "image/jpeg", &logo).status, 200);
    let profile = put("stamp", "image/png", &stamp_png());
    assert_eq!(profile.status, 200, "{}", profile.text());
    assert_eq!(profile.json()["pictures"].as_object().unwrap().len(), 2);
    assert_eq!(put("crest", "image/png", &stamp_png()).status, 404);
    assert_eq!(put("signature", "image/png", b"not a picture").status, 422);
    let stored = app.get("/api/v1/organization/pictures/logo", Some(&app.token));
    assert_eq!((stored.status, stored.body == logo), (200, true));

    let preview = app.get("/api/v1/designs/classic/preview", Some(&app.token));
    assert_eq!(preview.status, 200);
    assert!(
        contains(&preview.body, &logo),
        "a design's preview shows the default logo"
    );
    let after = kazakh_competition(&app, "Суретті байқау");
    let pdf = first_pdf(&app, &after);
    assert!(
        contains(&pdf, &logo),
        "the default logo's JPEG is in the new paper byte for byte"
    );
    assert!(!contains(&earlier, &logo));
    assert_eq!(
        first_pdf(&app, &before),
        earlier,
        "an earlier paper keeps its bytes"
    );
    // Re-rendered from their records, both kinds of paper come out as they were issued.
    for competition in [&before, &after] {
        let reverified = app.issue_and_wait_with(competition, "?reverify=true");
        assert_eq!(reverified["verified"], 1, "{reverified}");
    }

    // Without default pictures the next papers carry none again.
    for role in ["logo", "stamp"] {
        let removed = app.send(
            "DELETE",
            &format!("/api/v1/organization/pictures/{role}"),
            &app.token,
            "application/json",
            b"",
        );
        assert_eq!(removed.status, 200);
    }
    let plain = kazakh_competition(&app, "Тағы суретсіз");
    assert!(!contains(&first_pdf(&app, &plain), &logo));
}

#[test]
fn a_competition_names_another_signer_for_its_papers_only() {
    let app = TestApp::spawn();
    let head = json!({"head_name": "Ахметова Гүлнар Серікқызы", "head_title": "Директор"});
    let saved = app.send(
        "PUT",
        "/api/v1/organization",
        &app.token,
        "application/json",
        head.to_string().as_bytes(),
    );
    assert_eq!(saved.status, 200);
    let refused = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Байқау", "signer_title": "Қазылар алқасының төрағасы"}),
    );
    assert_eq!(refused.status, 400, "a title without a name: {}", refused.text());

    let reply = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Қазылар қол қоятын байқау", "language": "kk", "letters": false,
                "signer_name": "Серікбаев  Нұрлан", "signer_title": "Қазылар алқасының төрағасы"}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.json()["signer_name"], "Серікбаев Нұрлан");
    let id = reply.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.upload(&id, "Аты-жөні,Мектеп,Орын\nСейтқали Айгерім,№5 мектеп,1 орын\n")
            .status,
        200
    );
    app.issue_and_wait(&id);
    let text = text_of(&first_pdf(&app, &id));
    assert!(
        text.contains("Серікбаев Нұрлан") && text.contains("Қазылар алқасының төрағасы"),
        "{text}"
    );
    assert!(!text.contains("Ахметова"), "{text}");

    // Another competition is signed by the head.
    let other = kazakh_competition(&app, "Басшы қол қоятын байқау");
    assert!(text_of(&first_pdf(&app, &other)).contains("Ахметова Гүлнар Серікқызы"));

    // The edit page offers the fields with the competition's signer.
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let form = browser.get(&format!("/app/competitions/{id}/edit")).text();
    assert!(
        form.contains("id=\"signer_name\"") && form.contains("Серікбаев Нұрлан"),
        "{form}"
    );
}
