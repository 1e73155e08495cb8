//! Persons: the organizer merges two persons and splits one, the report's distinct counts follow
//! exactly, and uploading the results again undoes neither. A person's history lists their
//! competitions, awards and papers with serials and links.

use serde_json::{json, Value};

use crate::helpers::TestApp;

const HEADER: &str = "ФИО;Школа;Регион;Результат\n";

fn report(app: &TestApp) -> Value {
    let reply = app.get("/api/v1/reports?period=2026-h2", Some(&app.token));
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

/// (participations, persons) in total and in one region.
fn counts(app: &TestApp, region: &str) -> (u64, u64, u64) {
    let report = report(app);
    let row = report["breakdowns"]["region"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == region)
        .cloned()
        .unwrap_or(json!({"persons": 0}));
    (
        report["totals"]["participations"].as_u64().unwrap(),
        report["totals"]["persons"].as_u64().unwrap(),
        row["persons"].as_u64().unwrap(),
    )
}

fn find(app: &TestApp, search: &str) -> Vec<Value> {
    let reply = app.get(
        &format!("/api/v1/persons?q={}", crate::helpers::query_value(search)),
        Some(&app.token),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json().as_array().unwrap().clone()
}

fn person_of(app: &TestApp, name: &str, school: &str) -> String {
    find(app, name)
        .iter()
        .find(|p| p["name"] == name && p["school"] == school)
        .unwrap_or_else(|| panic!("{name} of {school}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn merging_and_splitting_persons_change_the_distinct_counts_and_survive_a_reimport() {
    let app = TestApp::spawn();
    let first = app.create_competition("Жас зерттеуші");
    let second = app.create_competition("Робототехника");
    let first_csv = format!(
        "{HEADER}Петров Михаил;СОШ №5;г. Алматы;1 место\nПетров Михаил;СОШ №9;Абайская область;Участник\n\
         Ким Анна;Лицей №2;г. Алматы;Участник\n"
    );
    // A misspelt name (the same boy) and Ким Анна again, who the organizer knows is another girl.
    let second_csv =
        format!("{HEADER}Петров Михайл;СОШ №5;г. Алматы;Участник\nКим Анна;Лицей №2;г. Алматы;2 место\n");
    assert_eq!(app.upload(&first, &first_csv).status, 200);
    assert_eq!(app.upload(&second, &second_csv).status, 200);
    app.issue_and_wait(&first);
    assert_eq!(
        counts(&app, "г. Алматы"),
        (5, 4, 3),
        "namesakes of two schools are two, the misspelt name a third, Ким Анна one"
    );
    assert_eq!(
        find(&app, "петров").len(),
        3,
        "found by a part of the name in any case"
    );

    // Merge: the misspelt boy is Петров Михаил of СОШ №5.
    let boy = person_of(&app, "Петров Михаил", "СОШ №5");
    let misspelt = person_of(&app, "Петров Михайл", "СОШ №5");
    let merged = app.post_json(
        &format!("/api/v1/persons/{boy}/merge"),
        &json!({"other": misspelt}),
    );
    assert_eq!(merged.status, 200, "{}", merged.text());
    assert_eq!(merged.json()["participations"], 2);
    assert_eq!(
        counts(&app, "г. Алматы"),
        (5, 3, 2),
        "one person fewer, participations the same"
    );
    assert_eq!(
        app.get(&format!("/api/v1/persons/{misspelt}"), Some(&app.token))
            .status,
        404
    );

    // Split: the second Ким Анна is another girl.
    let anna = person_of(&app, "Ким Анна", "Лицей №2");
    let history = app
        .get(&format!("/api/v1/persons/{anna}"), Some(&app.token))
        .json();
    let participations = history["participations"].as_array().unwrap();
    assert_eq!(participations.len(), 2);
    let in_second = participations
        .iter()
        .find(|p| p["competition"] == "Робототехника")
        .unwrap();
    assert_eq!(in_second["award"], "place_2");
    assert_eq!(in_second["winner"], true);
    let split = app.post_json(
        &format!("/api/v1/persons/{anna}/split"),
        &json!({"participations": [in_second["id"]]}),
    );
    assert_eq!(split.status, 201, "{}", split.text());
    let other_anna = split.json()["id"].as_str().unwrap().to_string();
    assert_ne!(other_anna, anna);
    assert_eq!(counts(&app, "г. Алматы"), (5, 4, 3), "one person more");

    // Uploading both files again (and the misspelt boy in a third competition) undoes nothing.
    assert_eq!(app.upload(&first, &first_csv).status, 200);
    assert_eq!(app.upload(&second, &second_csv).status, 200);
    let third = app.create_competition("Шахматы");
    assert_eq!(
        app.upload(
            &third,
            &format!("{HEADER}Петров Михайл;СОШ №5;г. Алматы;Участник\n")
        )
        .status,
        200
    );
    assert_eq!(
        counts(&app, "г. Алматы"),
        (6, 4, 3),
        "the merge holds for new rows, the split for rows read again"
    );
    let boy_now = app
        .get(&format!("/api/v1/persons/{boy}"), Some(&app.token))
        .json();
    assert_eq!(boy_now["participations"].as_array().unwrap().len(), 3);
    let other_now = app
        .get(&format!("/api/v1/persons/{other_anna}"), Some(&app.token))
        .json();
    assert_eq!(other_now["participations"].as_array().unwrap().len(), 1);
    assert_eq!(other_now["participations"][0]["pinned"], true);

    // The history shows the papers with their serials and links.
    let history = app
        .get(&format!("/api/v1/persons/{anna}"), Some(&app.token))
        .json();
    let paper = &history["participations"][0]["papers"][0];
    let serial = paper["serial"].as_str().unwrap();
    assert!(!serial.is_empty());
    let code = paper["code"].as_str().unwrap();
    let link = history["links"][code].as_str().unwrap();
    assert!(link.ends_with(&format!("/v/{code}")), "{link}");
    let listed = app.documents(&first);
    assert!(listed
        .iter()
        .any(|d| d["serial"] == serial && d["holder"] == "Ким Анна"));

    // Refusals: a person with themselves, all or none of the participations, another's person.
    let to_self = app.post_json(&format!("/api/v1/persons/{boy}/merge"), &json!({"other": boy}));
    assert_eq!(to_self.status, 400);
    let all: Vec<Value> = boy_now["participations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].clone())
        .collect();
    let everything = app.post_json(
        &format!("/api/v1/persons/{boy}/split"),
        &json!({"participations": all}),
    );
    assert_eq!(everything.status, 400);
    let nothing = app.post_json(
        &format!("/api/v1/persons/{boy}/split"),
        &json!({"participations": []}),
    );
    assert_eq!(nothing.status, 400);
    let stranger = TestApp::token_for(&app.settings, "another-center");
    assert_eq!(
        app.get(&format!("/api/v1/persons/{boy}"), Some(&stranger)).status,
        404
    );
    let foreign = app.post(
        &format!("/api/v1/persons/{boy}/merge"),
        Some(&stranger),
        "application/json",
        json!({"other": anna}).to_string().as_bytes(),
    );
    assert_eq!(foreign.status, 404);
    assert_eq!(counts(&app, "г. Алматы"), (6, 4, 3), "refusals changed nothing");
}

#[test]
fn the_person_page_fits_a_phone_and_merges_and_splits_in_chromium() {
    use crate::webapp::{account, PASSWORD};
    let app = TestApp::spawn();
    let first = app.create_competition("Жас зерттеуші");
    let second = app.create_competition("Робототехника");
    let rows = format!(
        "{HEADER}Петров Михаил;СОШ №5;г. Алматы;1 место\nПетров Михаил;СОШ №9;Абайская область;Участник\n"
    );
    assert_eq!(app.upload(&first, &rows).status, 200);
    assert_eq!(
        app.upload(
            &second,
            &format!("{HEADER}Петров Михайл;СОШ №5;г. Алматы;Участник\n")
        )
        .status,
        200
    );
    app.issue_and_wait(&first);
    let boy = person_of(&app, "Петров Михаил", "СОШ №5");
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    crate::helpers::browser_script(
        "persons.mjs",
        &[
            ("BASE_URL", &app.address),
            ("PASSWORD", PASSWORD),
            ("ORGANIZER_EMAIL", "metodist@dvorets.kz"),
            ("PERSON_ID", &boy),
        ],
    );
    assert_eq!(
        counts(&app, "г. Алматы"),
        (3, 3, 2),
        "merged, then one split off again"
    );
}
