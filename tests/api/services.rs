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

#[test]
fn a_competition_with_papers_is_archived_not_deleted_and_its_papers_still_verify() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let issued = app.create_competition("Выданный");
    let upload = app.upload(&issued, "ФИО,Школа,Место\nИванов Иван,Школа №1,1\n");
    assert_eq!(upload.status, 200, "{}", upload.text());
    app.issue_and_wait(&issued);
    let code = app.documents(&issued)[0]["code"].as_str().unwrap().to_string();
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let csrf = browser.csrf();
    let listed = |app: &TestApp, query: &str| -> Vec<String> {
        app.get(&format!("/api/v1/competitions{query}"), Some(&app.token))
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };

    let page = browser.get(&format!("/app/competitions/{issued}"));
    assert!(
        page.text().contains(r#"id="delete-refused""#),
        "the page explains before any button"
    );
    assert!(!page.text().contains(r#"id="delete-button""#));
    let api = app.send(
        "DELETE",
        &format!("/api/v1/competitions/{issued}"),
        &app.token,
        "application/json",
        b"",
    );
    assert_eq!(api.status, 409, "API: {}", api.text());
    assert!(
        api.text().contains("архив"),
        "the refusal offers the archive: {}",
        api.text()
    );
    let page = browser.post(
        &format!("/app/competitions/{issued}/delete"),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(page.status, 409, "page: {}", page.text());
    assert!(listed(&app, "").contains(&issued), "nothing refused was deleted");

    let page = browser.post(
        &format!("/app/competitions/{issued}/archive"),
        &[("csrf", &csrf), ("archived", "true")],
    );
    assert_eq!(page.status, 303, "{}", page.text());
    assert!(
        !listed(&app, "").contains(&issued),
        "archived: out of the active list"
    );
    assert!(listed(&app, "?archived=true").contains(&issued));
    let active = browser.get("/app/competitions").text();
    assert!(!active.contains(&issued));
    assert!(
        active.contains(r#"href="/app/competitions?archived=true" id="tab-archived""#),
        "the list page links to the archive"
    );
    // The archive tab is the API's `?archived=true`: the same service, the same list.
    let archived = browser.get("/app/competitions?archived=true").text();
    assert!(archived.contains(&issued), "{archived}");
    assert!(archived.contains(r#"id="tab-archived" aria-current="page""#));
    // Each tab's totals are its own competitions': nothing is left counted in the active list.
    assert!(!active.contains("<strong>1</strong>"), "{active}");
    assert!(archived.contains("<strong>1</strong>"), "{archived}");
    let verified = app.get(&format!("/api/v1/verify/{code}"), None).json();
    assert_eq!(
        verified["status"], "valid",
        "an archived competition's paper still verifies"
    );
    let back = app.post_json(
        &format!("/api/v1/competitions/{issued}/archive"),
        &json!({"archived": false}),
    );
    assert_eq!(back.status, 200, "{}", back.text());
    assert!(listed(&app, "").contains(&issued));
    assert!(!browser
        .get("/app/competitions?archived=true")
        .text()
        .contains(&issued));

    // Without papers it is deleted, from the page (after the confirmation) or the API.
    let draft = app.create_competition("Черновик");
    let upload = app.upload(&draft, "ФИО,Школа,Место\nПетров Пётр,Школа №2,2\n");
    assert_eq!(upload.status, 200, "{}", upload.text());
    let page = browser.get(&format!("/app/competitions/{draft}"));
    assert!(page.text().contains(r#"id="delete-button""#));
    let page = browser.post(
        &format!("/app/competitions/{draft}/delete"),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(page.status, 303, "{}", page.text());
    assert_eq!(
        app.get(&format!("/api/v1/competitions/{draft}"), Some(&app.token))
            .status,
        404
    );
    let other = app.create_competition("Ещё один");
    let api = app.send(
        "DELETE",
        &format!("/api/v1/competitions/{other}"),
        &app.token,
        "application/json",
        b"",
    );
    assert_eq!(api.status, 204, "{}", api.text());
    assert_eq!(listed(&app, ""), vec![issued]);
}
