use crate::helpers::TestApp;

fn issued_document(app: &TestApp) -> serde_json::Value {
    let competition = app.create_competition("Жас ақындар мүшәйрасы");
    let csv = "ФИО,Место\nСейтқали Айгерім Нұрланқызы,Диплом II степени\n";
    assert_eq!(app.upload(&competition, csv).status, 200);
    app.issue_and_wait(&competition);
    app.documents(&competition).remove(0)
}

#[test]
fn the_public_page_says_genuine_and_masks_the_name_in_three_languages() {
    let app = TestApp::spawn();
    let document = issued_document(&app);
    let code = document["code"].as_str().unwrap();
    let path = format!("/v/{code}");

    let cases = [
        (
            "kk-KZ,kk;q=0.9",
            "Құжат түпнұсқа және жарамды",
            "II дәрежелі диплом",
        ),
        (
            "ru-RU,ru;q=0.9,en;q=0.5",
            "Документ подлинный и действителен",
            "Диплом II степени",
        ),
        ("en-GB,en;q=0.9", "Genuine and valid", "Diploma of the II degree"),
    ];
    for (accept, verdict, award) in cases {
        let page = app.get_lang(&path, accept);
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(html.contains(verdict), "{accept}: {html}");
        assert!(html.contains(award), "{accept}: award in the reader's language");
        assert!(html.contains("А*** С."), "masked name");
        assert!(!html.contains("Айгерім"), "no given name");
        assert!(!html.contains("Сейтқали"), "the surname is not shown");
        assert!(!html.contains("Нұрланқызы"), "the patronymic is not shown");
        assert!(html.contains(document["serial"].as_str().unwrap()));
        assert!(html.contains("noindex"));
        assert_eq!(
            page.headers.get("x-robots-tag").map(String::as_str),
            Some("noindex, nofollow")
        );
    }
    let chosen = app.get_lang(&format!("{path}?lang=en"), "ru");
    assert!(
        chosen.text().contains("Genuine and valid"),
        "?lang= wins over Accept-Language"
    );

    let json = app.get(&format!("/api/v1/verify/{code}"), None).json();
    assert_eq!(json["holder"], "А*** С.");
    assert_eq!(json["status"], "valid");
}

#[test]
fn every_unknown_code_gets_the_same_answer() {
    let app = TestApp::spawn();
    let document = issued_document(&app);
    let real = document["code"].as_str().unwrap();
    // A well-formed code that was never issued, one that differs from a real one in one place,
    // malformed ones, and a path trick.
    let mut near = real.to_string();
    near.replace_range(0..1, if real.starts_with('Z') { "Y" } else { "Z" });
    let unknown = [
        "0000000000000000",
        near.as_str(),
        "short",
        "%2e%2e%2fetc",
        "ABCDEFGHJKMNPQRSTVWXYZ",
    ];

    let json_answers: Vec<(u16, String)> = unknown
        .iter()
        .map(|code| {
            let reply = app.get(&format!("/api/v1/verify/{code}"), None);
            (reply.status, reply.text())
        })
        .collect();
    assert!(
        json_answers
            .iter()
            .all(|a| *a == (404, r#"{"status":"not_found"}"#.to_string())),
        "{json_answers:?}"
    );

    let pages: Vec<(u16, String)> = unknown
        .iter()
        .map(|code| {
            let reply = app.get_lang(&format!("/v/{code}"), "ru");
            (reply.status, reply.text())
        })
        .collect();
    assert!(pages.iter().all(|p| p.0 == 404));
    assert!(pages.windows(2).all(|w| w[0] == w[1]), "identical bodies");
    assert!(pages[0].1.contains("Документ не найден"));
}

#[test]
fn a_revoked_document_says_so_with_the_reason() {
    let app = TestApp::spawn();
    let document = issued_document(&app);
    let id = document["id"].as_str().unwrap();
    // Verified before: the paper is kept in memory, and the revocation must still show at once.
    let before = app.get(
        &format!("/api/v1/verify/{}", document["code"].as_str().unwrap()),
        None,
    );
    assert_eq!(before.json()["status"], "valid");
    let reply = app.post_json(
        &format!("/api/v1/documents/{id}/revoke"),
        &serde_json::json!({"reason": "Ошибка в фамилии"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["status"], "revoked");

    let code = document["code"].as_str().unwrap();
    let json = app.get(&format!("/api/v1/verify/{code}"), None).json();
    assert_eq!(json["status"], "revoked");
    assert_eq!(json["revoked_reason"], "Ошибка в фамилии");
    let page = app.get_lang(&format!("/v/{code}"), "ru").text();
    assert!(page.contains("Документ отозван") && page.contains("Ошибка в фамилии"));

    let empty = app.post_json(
        &format!("/api/v1/documents/{id}/revoke"),
        &serde_json::json!({"reason": "  "}),
    );
    assert_eq!(empty.status, 400);

    // Hidden from the public: at once as unknown as a code never issued.
    let hidden = app.post_json(
        &format!("/api/v1/documents/{id}/visibility"),
        &serde_json::json!({"public": false}),
    );
    assert_eq!(hidden.status, 200, "{}", hidden.text());
    assert_eq!(
        app.get(&format!("/api/v1/verify/{code}"), None).json()["status"],
        "not_found"
    );
}

#[test]
fn health_and_api_description_answer() {
    let app = TestApp::spawn();
    assert_eq!(app.get("/healthz", None).json()["status"], "ok");
    let spec = app.get("/api/v1/openapi.json", None).json();
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["paths"]["/api/v1/competitions/{id}/issue"]["post"].is_object());
}

#[test]
fn public_lookups_are_rate_limited_per_client() {
    let app = TestApp::spawn_with(|settings| settings.rate_limit_per_minute = 3);
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/verify/0000000000000000", None).status, 404);
    }
    let limited = app.get("/v/0000000000000000", None);
    assert_eq!(limited.status, 429);
    let retry_after: u64 = limited.headers["retry-after"].parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(limited.json()["error"], "rate_limited");
    // Organizer calls are not public lookups and are not limited.
    assert_eq!(app.get("/api/v1/competitions", Some(&app.token)).status, 200);
}
