use crate::helpers::TestApp;

#[test]
fn a_row_without_a_name_refuses_the_whole_file_and_stores_nothing() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Бос жол сынағы");
    let csv = "ФИО,Организация,Регион,Руководитель,Номинация,Место\n\
               Сейтқали Айгерім,Школа 1,Абай облысы,Иванова А.А.,Вокал,1 место\n\
               ,Школа 2,Абай облысы,Иванова А.А.,Вокал,2 место\n\
               Ким Анна,Школа 3,Абай облысы,,Вокал,третье место по итогам\n";
    let reply = app.upload(&competition, csv);
    assert_eq!(reply.status, 422, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["error"], "invalid_results");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors[0]["row"], 3);
    assert_eq!(errors[0]["column"], "name");
    assert_eq!(
        errors[0]["message"], "не заполнено ФИО",
        "the user's language (Accept-Language: ru)"
    );

    // Nothing was stored: there is nothing to issue.
    let issue = app.post(
        &format!("/api/v1/competitions/{competition}/issue"),
        Some(&app.token),
        "application/json",
        b"",
    );
    assert_eq!(issue.status, 409, "{}", issue.text());
    assert!(app.documents(&competition).is_empty());
}

#[test]
fn errors_speak_the_language_asked_for() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Тіл сынағы");
    let path = format!("/api/v1/competitions/{competition}/results?lang=kk");
    let reply = app.post(
        &path,
        Some(&app.token),
        "text/csv",
        "Мектеп,Орын\nМектеп 1,1\n".as_bytes(),
    );
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json()["errors"][0]["message"], "«name» бағаны табылмады");
}

#[test]
fn unknown_competition_bad_token_and_oversized_upload_get_clear_errors() {
    let app = TestApp::spawn_with(|settings| settings.max_upload_bytes = 2048);

    let unknown = app.upload("00000000-0000-0000-0000-000000000000", "ФИО\nА Б\n");
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"], "not_found");

    let competition = app.create_competition("Шектеу сынағы");
    for token in [
        None,
        Some("gmt_0000000000000000000000000000000000000000"),
        Some("nonsense"),
    ] {
        let reply = app.post(
            &format!("/api/v1/competitions/{competition}/results"),
            token,
            "text/csv",
            b"x",
        );
        assert_eq!(reply.status, 401);
        assert_eq!(reply.json()["error"], "unauthorized");
        assert_eq!(
            reply.headers.get("www-authenticate").map(String::as_str),
            Some("Bearer")
        );
    }

    let big = format!("ФИО,Место\n{}", "Сейтқали Айгерім,1 место\n".repeat(200));
    let reply = app.upload(&competition, &big);
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["error"], "payload_too_large");
    assert!(reply.json()["message"]
        .as_str()
        .unwrap()
        .contains("файл слишком большой"));

    let bad_json = app.post(
        "/api/v1/competitions",
        Some(&app.token),
        "application/json",
        b"{\"title\": 5}",
    );
    assert_eq!(bad_json.status, 400);
    assert_eq!(bad_json.json()["error"], "invalid_request");
    let bad_date = app.post_json(
        "/api/v1/competitions",
        &serde_json::json!({"title": "X", "ends_on": "20.11.2026"}),
    );
    assert_eq!(bad_date.status, 400);
    assert!(bad_date.json()["message"].as_str().unwrap().contains("ends_on"));
}

#[test]
fn one_organization_cannot_reach_another_organizations_data() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Бөтен ұйым");
    assert_eq!(
        app.upload(&competition, "ФИО,Место\nСейтқали Айгерім,1 место\n")
            .status,
        200
    );
    app.issue_and_wait(&competition);
    let document = app.documents(&competition)[0]["id"].as_str().unwrap().to_string();

    let other = TestApp::token_for(&app.settings, "another-center");
    for path in [
        format!("/api/v1/competitions/{competition}"),
        format!("/api/v1/competitions/{competition}/documents"),
        format!("/api/v1/competitions/{competition}/documents.zip"),
        format!("/api/v1/documents/{document}/pdf"),
    ] {
        assert_eq!(app.get(&path, Some(&other)).status, 404, "{path}");
    }
    let issue = app.post(
        &format!("/api/v1/competitions/{competition}/issue"),
        Some(&other),
        "application/json",
        b"",
    );
    assert_eq!(issue.status, 404);
    let revoke = app.post(
        &format!("/api/v1/documents/{document}/revoke"),
        Some(&other),
        "application/json",
        br#"{"reason":"x"}"#,
    );
    assert_eq!(revoke.status, 404);
    assert_eq!(
        app.get("/api/v1/competitions", Some(&other)).json(),
        serde_json::json!([])
    );
}

#[test]
fn a_name_the_font_cannot_print_is_refused_before_issuing() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Қаріп сынағы");
    let csv = "ФИО,Место\nСейтқали Айгерім,1 место\nWang 王小明,2 место\n";
    assert_eq!(app.upload(&competition, csv).status, 200);
    let reply = app.post(
        &format!("/api/v1/competitions/{competition}/issue"),
        Some(&app.token),
        "application/json",
        b"",
    );
    assert_eq!(reply.status, 422, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["error"], "missing_glyphs");
    let characters = body["characters"].as_array().unwrap();
    assert_eq!(characters.len(), 3);
    assert!(characters.iter().all(|c| c["rows"] == serde_json::json!([3])));
    assert!(app.documents(&competition).is_empty(), "nothing was issued");
}
