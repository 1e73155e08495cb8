//! Teacher competitions run municipal → regional → national: the winners of one stage enter the next.

use serde_json::json;

use crate::helpers::TestApp;

#[test]
fn municipal_winners_advance_into_the_regional_stage() {
    let app = TestApp::spawn();
    let municipal = app.create_competition("Учитель года — городской этап");
    let base = format!("/api/v1/competitions/{municipal}");
    let names = [
        "Әлиева Дана",
        "Бекова Аида",
        "Ғалиев Марат",
        "Дюсенова Мира",
        "Есенов Нұрлан",
        "Жунусова Әсел",
    ];
    let mut csv = String::from("ФИО,Школа,Номинация\n");
    for (i, name) in names.iter().enumerate() {
        csv.push_str(&format!("{name},Школа №{},Педагог\n", i + 10));
    }
    assert_eq!(app.upload(&municipal, &csv).status, 200);
    let criteria = app.post_json(
        &format!("{base}/criteria"),
        &json!([{"name": "Урок", "max_points": 10}]),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    let judge = app.post_json(
        &format!("{base}/judges"),
        &json!({"name": "Эксперт", "organization": "Гороно"}),
    );
    let judge = judge.json()["token"].as_str().unwrap().to_string();
    let criterion = app.get(&format!("{base}/criteria"), Some(&judge)).json()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let entries = app.get(&format!("{base}/entries"), Some(&judge)).json();
    for entry in entries.as_array().unwrap() {
        let holder = entry["holder"].as_str().unwrap();
        // 10, 9, 8, 8, 6, 5 points in upload order: a tie for third place.
        let points = [10, 9, 8, 8, 6, 5][names.iter().position(|n| *n == holder).unwrap()];
        let id = entry["id"].as_str().unwrap();
        let reply = app.put_json(
            &format!("{base}/entries/{id}/scores"),
            &judge,
            &json!({ criterion.clone(): points }),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
    }

    // The jury protocol lists the ranking, a tie sharing its place, before anything is applied.
    let protocol = app.get(&format!("{base}/jury/protocol.csv"), Some(&app.token));
    assert_eq!(protocol.status, 200, "{}", protocol.text());
    let text = protocol.text();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("Место;ФИО;"), "{}", lines[0]);
    let places: Vec<(&str, &str)> = lines[1..]
        .iter()
        .map(|l| {
            let cells: Vec<&str> = l.split(';').collect();
            (cells[0], cells[1])
        })
        .collect();
    assert_eq!(
        places,
        [
            ("1", "Әлиева Дана"),
            ("2", "Бекова Аида"),
            ("3", "Ғалиев Марат"),
            ("3", "Дюсенова Мира"),
            ("5", "Есенов Нұрлан"),
            ("6", "Жунусова Әсел")
        ]
    );
    let xlsx = app.get(&format!("{base}/jury/protocol.xlsx"), Some(&app.token));
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"));
    let pdf = app.get(&format!("{base}/jury/protocol.pdf"), Some(&app.token));
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF-"));
    assert_eq!(
        app.get(&format!("{base}/jury/protocol.ods"), Some(&app.token))
            .status,
        404
    );

    let create = |title: &str| {
        let reply = app.post_json(
            "/api/v1/competitions",
            &json!({"title": title, "level": "regional", "previous_stage": municipal}),
        );
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_str().unwrap().to_string()
    };
    let regional = create("Учитель года — областной этап");
    let advanced = app.post_json(
        &format!("/api/v1/competitions/{regional}/advance"),
        &json!({"top": 3}),
    );
    assert_eq!(advanced.status, 200, "{}", advanced.text());
    let mut holders: Vec<String> = advanced.json()["holders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().to_string())
        .collect();
    holders.sort();
    let mut expected = ["Әлиева Дана", "Бекова Аида", "Ғалиев Марат", "Дюсенова Мира"];
    expected.sort();
    assert_eq!(holders, expected, "the tie for 3rd advances both");

    let again = app.post_json(
        &format!("/api/v1/competitions/{regional}/advance"),
        &json!({"top": 3}),
    );
    assert_eq!(again.status, 409, "winners advance once");

    let by_score = create("Учитель года — областной этап (по баллам)");
    let advanced = app.post_json(
        &format!("/api/v1/competitions/{by_score}/advance"),
        &json!({"min_score": 9}),
    );
    assert_eq!(advanced.json()["advanced"], 2);

    // The regional stage starts with the winners as its entries, awards not yet decided.
    let regional_judge = app.post_json(
        &format!("/api/v1/competitions/{regional}/judges"),
        &json!({"name": "Эксперт", "organization": "Облоно"}),
    );
    let regional_judge = regional_judge.json()["token"].as_str().unwrap().to_string();
    let regional_entries = app
        .get(
            &format!("/api/v1/competitions/{regional}/entries"),
            Some(&regional_judge),
        )
        .json();
    assert_eq!(regional_entries.as_array().unwrap().len(), 4);

    let not_a_stage = app.post_json(
        &format!("/api/v1/competitions/{municipal}/advance"),
        &json!({"top": 3}),
    );
    assert_eq!(not_a_stage.status, 400);
    let stranger = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "X", "previous_stage": "no-such-id"}),
    );
    assert_eq!(stranger.status, 400);
}
