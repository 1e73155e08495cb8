//! One service per use-case: a rule is enforced alike on the API and the page path because both
//! call the same function (`competitions::create`/`update`, `papers::revoke`). Each test makes the
//! same refused request both ways and checks nothing changed, then the accepted one.

use serde_json::json;

use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

/// A department of another organization, made through that organization's own token.
fn foreign_department(app: &TestApp) -> String {
    let other = TestApp::token_for(&app.settings, "other-center");
    let reply = app.post(
        "/api/v1/departments",
        Some(&other),
        "application/json",
        json!({"name": "Чужой отдел"}).to_string().as_bytes(),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_string()
}

#[test]
fn another_organizations_department_and_an_unknown_design_are_refused_on_both_paths() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let foreign = foreign_department(&app);
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let csrf = browser.csrf();
    let count = |app: &TestApp| {
        app.get("/api/v1/competitions", Some(&app.token))
            .json()
            .as_array()
            .unwrap()
            .len()
    };

    let api = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Конкурс", "department": foreign}),
    );
    assert_eq!(api.status, 400, "API: {}", api.text());
    assert!(api.text().contains("department"), "{}", api.text());
    let page = browser.post(
        "/app/competitions",
        &[("csrf", &csrf), ("title", "Конкурс"), ("department", &foreign)],
    );
    assert_eq!(page.status, 400, "page: {}", page.text());
    let api = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Конкурс", "design": "nope"}),
    );
    assert_eq!(api.status, 400, "API: {}", api.text());
    let page = browser.post(
        "/app/competitions",
        &[("csrf", &csrf), ("title", "Конкурс"), ("design", "nope")],
    );
    assert_eq!(page.status, 400, "page: {}", page.text());
    assert_eq!(count(&app), 0, "nothing refused was stored");

    // The same rule when a competition is changed.
    let id = app.create_competition("Черновик");
    let api = app.put_json(
        &format!("/api/v1/competitions/{id}"),
        &app.token,
        &json!({"title": "Черновик", "department": foreign}),
    );
    assert_eq!(api.status, 400, "API: {}", api.text());
    let page = browser.post(
        &format!("/app/competitions/{id}/edit"),
        &[("csrf", &csrf), ("title", "Черновик"), ("department", &foreign)],
    );
    assert_eq!(page.status, 400, "page: {}", page.text());
    let shown = app
        .get(&format!("/api/v1/competitions/{id}"), Some(&app.token))
        .json();
    assert_eq!(shown["department"], serde_json::Value::Null);

    let page = browser.post("/app/competitions", &[("csrf", &csrf), ("title", "Настоящий")]);
    assert_eq!(page.status, 303, "{}", page.text());
    assert_eq!(count(&app), 2);
}

#[test]
fn a_revocation_without_a_reason_is_refused_on_both_paths_and_one_with_a_reason_is_kept() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let id = app.create_competition("Олимпиада");
    let upload = app.upload(&id, "ФИО,Школа,Место\nИванов Иван,Школа №1,1\n");
    assert_eq!(upload.status, 200, "{}", upload.text());
    app.issue_and_wait(&id);
    let document = app.documents(&id)[0]["id"].as_str().unwrap().to_string();
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let csrf = browser.csrf();
    let status = |app: &TestApp| app.documents(&id)[0]["status"].as_str().unwrap().to_string();

    let api = app.post_json(
        &format!("/api/v1/documents/{document}/revoke"),
        &json!({"reason": "   "}),
    );
    assert_eq!(api.status, 400, "API: {}", api.text());
    let page = browser.post(
        &format!("/app/documents/{document}/revoke"),
        &[("csrf", &csrf), ("reason", "   ")],
    );
    assert_eq!(page.status, 400, "page: {}", page.text());
    assert_eq!(status(&app), "valid", "nothing refused was stored");

    let page = browser.post(
        &format!("/app/documents/{document}/revoke"),
        &[("csrf", &csrf), ("reason", "Ошибка в фамилии")],
    );
    assert_eq!(page.status, 303, "{}", page.text());
    assert_eq!(status(&app), "revoked");
}
