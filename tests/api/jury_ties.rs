//! The chair's word on ties the rule left («a named criterion first, then the chair»), on SQLite
//! and PostgreSQL: only the chair decides, only exactly the entries of one tie, in the chair's own
//! page or by API; the ranking then follows the chair's order, and the decision can be changed
//! until the protocol is signed.

use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::jury_review::seated_judge;
use crate::webapp::account;

fn places(app: &TestApp, competition: &str) -> Vec<(String, u64, bool)> {
    let reply = app.get(
        &format!("/api/v1/competitions/{competition}/jury/ranking"),
        Some(&app.token),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["holder"].as_str().unwrap().to_string(),
                r["place"].as_u64().unwrap(),
                r["chair_decides"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn put_order(app: &TestApp, competition: &str, token: &str, order: &[&String]) -> crate::helpers::Reply {
    app.send(
        "PUT",
        &format!("/api/v1/competitions/{competition}/jury/ties"),
        token,
        "application/json",
        json!({ "order": order }).to_string().as_bytes(),
    )
}

#[test]
fn the_chair_decides_a_tie_the_rule_left_in_the_page_and_by_api() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let competition = app.create_competition("Жас ақын");
    let upload = app.upload(
        &competition,
        "ФИО,Организация,Номинация\nӘлиева Дана,СОШ №1,Поэзия\nБекова Аида,СОШ №2,Поэзия\nКим Анна,СОШ №3,Поэзия\n",
    );
    assert_eq!(upload.status, 200, "{}", upload.text());
    let criteria = app.post_json(
        &format!("/api/v1/competitions/{competition}/criteria"),
        &json!([{"name": "Идея", "max_points": 10}, {"name": "Язык", "max_points": 10}]),
    );
    let ids: Vec<String> = criteria
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let rules = app.post_json(
        &format!("/api/v1/competitions/{competition}/jury"),
        &json!({"tie_break": {"criterion_id": &ids[0]}}),
    );
    assert_eq!(rules.status, 200, "{}", rules.text());
    let judge = app.post_json(
        &format!("/api/v1/competitions/{competition}/judges"),
        &json!({"name": "Ким Олег", "organization": "Облоно"}),
    );
    let token = judge.json()["token"].as_str().unwrap().to_string();
    let token_judge = judge.json()["id"].as_str().unwrap().to_string();
    let entries: Value = app
        .get(
            &format!("/api/v1/competitions/{competition}/entries"),
            Some(&token),
        )
        .json();
    let id = |holder: &str| {
        entries
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["holder"] == holder)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (dana, aida, anna) = (id("Әлиева Дана"), id("Бекова Аида"), id("Ким Анна"));
    // Дана and Аида are equal on the total and on the idea: the rule leaves them to the chair.
    for (entry, idea, language) in [(&dana, 8, 7), (&aida, 8, 7), (&anna, 5, 5)] {
        let reply = app.send(
            "PUT",
            &format!("/api/v1/competitions/{competition}/entries/{entry}/scores"),
            &token,
            "application/json",
            json!({"scores": {&ids[0]: idea, &ids[1]: language}})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
    assert_eq!(
        places(&app, &competition)[..2],
        [
            ("Әлиева Дана".to_string(), 1, true),
            ("Бекова Аида".to_string(), 1, true)
        ]
    );

    // The person seated second is named chair: the first judge may list the ties, not decide them.
    let (mut chair, seat) = seated_judge(&app, &competition);
    let chair_id = seat.trim_start_matches("/app/jury/").to_string();
    let named = app.put_json(
        &format!("/api/v1/competitions/{competition}/jury/chair"),
        &app.token,
        &json!({ "judge_id": chair_id }),
    );
    assert_eq!(named.status, 200, "{}", named.text());
    let listed = app.get(
        &format!("/api/v1/competitions/{competition}/jury/ties"),
        Some(&token),
    );
    assert_eq!(listed.status, 200, "{}", listed.text());
    let ties = listed.json();
    assert_eq!(ties.as_array().unwrap().len(), 1, "{ties}");
    assert_eq!(ties[0]["place"], 1);
    assert_eq!(ties[0]["decided"], false);
    assert_eq!(ties[0]["entries"].as_array().unwrap().len(), 2);
    let refused = put_order(&app, &competition, &token, &[&aida, &dana]);
    assert_eq!(refused.status, 409, "not the chair: {}", refused.text());

    // The chair decides in their page: Аида first.
    let page = chair.get(&seat);
    let text = page.text();
    assert!(text.contains(r#"id="ties""#), "{text}");
    assert!(
        text.contains("Әлиева Дана") && text.contains("Бекова Аида"),
        "{text}"
    );
    let csrf = page.csrf();
    let (at_dana, at_aida) = (format!("position_{dana}"), format!("position_{aida}"));
    let decided = chair.post(
        &format!("{seat}/ties"),
        &[("csrf", &csrf), (&at_dana, "2"), (&at_aida, "1")],
    );
    assert_eq!(decided.status, 303, "{}", decided.text());
    assert!(chair
        .get(&format!("{seat}?done=tie"))
        .text()
        .contains(r#"id="tie-done""#));
    assert_eq!(
        places(&app, &competition)[..2],
        [
            ("Бекова Аида".to_string(), 1, false),
            ("Әлиева Дана".to_string(), 2, false)
        ]
    );

    // Not one tie: refused. The chair may change the decision by API while the protocol is open.
    app.put_json(
        &format!("/api/v1/competitions/{competition}/jury/chair"),
        &app.token,
        &json!({ "judge_id": token_judge }),
    );
    for wrong in [
        &[&dana][..],
        &[&dana, &anna][..],
        &[&dana, &aida, &anna][..],
        &[&dana, &dana][..],
    ] {
        let reply = put_order(&app, &competition, &token, wrong);
        assert_eq!(reply.status, 400, "{wrong:?}: {}", reply.text());
    }
    let changed = put_order(&app, &competition, &token, &[&dana, &aida]);
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert_eq!(changed.json()[0]["decided"], true);
    assert_eq!(changed.json()[0]["entries"][0]["entry_id"], dana.as_str());
    assert_eq!(
        places(&app, &competition)[0],
        ("Әлиева Дана".to_string(), 1, false)
    );

    // Signed off: the order stands.
    let signed = app.post(
        &format!("/api/v1/competitions/{competition}/jury/sign-off"),
        Some(&token),
        "application/json",
        b"",
    );
    assert_eq!(signed.status, 200, "{}", signed.text());
    let late = put_order(&app, &competition, &token, &[&aida, &dana]);
    assert_eq!(late.status, 409, "{}", late.text());
}
