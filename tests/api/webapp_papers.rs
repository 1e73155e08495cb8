//! The competition's papers page (issue 23) as an organizer uses it without scripts: team members'
//! papers switched on and a reason worded, a reason too long refused on the page, the jury's
//! letters issued with a button, a webinar participant's attendance toggled.

use serde_json::json;

use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

#[test]
fn an_organizer_words_reasons_thanks_the_jury_and_marks_attendance_in_the_pages() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let competition = app.create_competition("Конкурс «Жас зерттеуші»");
    let base = format!("/api/v1/competitions/{competition}");
    let csv = "ФИО,Организация\nСейтқали Айгерім,СОШ №1\nИванов Пётр,СОШ №2\nКим Анна,СОШ №3\n";
    assert_eq!(app.upload(&competition, csv).status, 200);
    let criteria = app.post_json(
        &format!("{base}/criteria"),
        &json!([{"name": "Идея", "max_points": 10}]),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    let judge = app.post_json(
        &format!("{base}/judges"),
        &json!({"name": "Ахметова Гүлнар", "organization": "Гороно"}),
    );
    assert_eq!(judge.status, 201, "{}", judge.text());
    let judge = judge.json()["token"].as_str().unwrap().to_string();
    let criterion = app.get(&format!("{base}/criteria"), Some(&judge)).json()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let entries = app.get(&format!("{base}/entries"), Some(&judge)).json();
    for entry in entries.as_array().unwrap().iter().take(2) {
        let id = entry["id"].as_str().unwrap();
        let scored = app.put_json(
            &format!("{base}/entries/{id}/scores"),
            &judge,
            &json!({ criterion.as_str(): 8 }),
        );
        assert_eq!(scored.status, 200, "{}", scored.text());
    }

    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = format!("/app/competitions/{competition}/papers");
    assert!(organizer
        .get(&format!("/app/competitions/{competition}"))
        .text()
        .contains(&page));
    let shown = organizer.get(&page);
    assert_eq!(shown.status, 200, "{}", shown.text());
    assert!(shown.text().contains("Ахметова Гүлнар"), "{}", shown.text());
    let csrf = shown.csrf();

    let saved = organizer.post(
        &page,
        &[
            ("csrf", &csrf),
            ("member_papers", "on"),
            ("reason_jury_letter", "за активное участие в работе жюри"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(
        app.get(&format!("{base}/papers"), Some(&app.token)).json(),
        json!({"member_papers": true, "reasons": {"jury_letter": "за активное участие в работе жюри"}})
    );
    let too_long = "о".repeat(201);
    let refused = organizer.post(&page, &[("csrf", &csrf), ("reason_diploma", &too_long)]);
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("role=\"alert\""), "{}", refused.text());

    let thanked = organizer.post(
        &format!("/app/competitions/{competition}/jury-letters"),
        &[("csrf", &csrf)],
    );
    assert_eq!(thanked.status, 303, "{}", thanked.text());
    assert!(
        thanked.location().contains("done=letters&n=1"),
        "{}",
        thanked.location()
    );
    let letters: Vec<serde_json::Value> = app
        .documents(&competition)
        .into_iter()
        .filter(|d| d["recipient"] == "judge")
        .collect();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0]["reviewed"], 2);
    assert_eq!(letters[0]["reason"], "за активное участие в работе жюри");
    assert!(organizer.get(&page).text().contains("выдано"));

    // A webinar's attendance, toggled row by row.
    let webinar = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Вебинар «Цифровая грамотность»", "kind": "webinar", "hours": 2}),
    );
    let webinar = webinar.json()["id"].as_str().unwrap().to_string();
    let attendance = "ФИО,Присутствовал\nСейтқали Айгерім,да\nИванов Пётр,нет\n";
    assert_eq!(app.upload(&webinar, attendance).status, 200);
    let page = format!("/app/competitions/{webinar}/papers");
    let text = organizer.get(&page).text();
    assert!(
        text.contains(r#"<strong id="attended-count">1</strong>"#),
        "{text}"
    );
    let row = text.find("Иванов Пётр").expect("the absent participant");
    let at = text[..row].rfind("id=\"entry-").expect("their row") + "id=\"entry-".len();
    let entry: String = text[at..].chars().take_while(|c| *c != '"').collect();
    let marked = organizer.post(
        &format!("/app/competitions/{webinar}/entries/{entry}/attended"),
        &[("csrf", &csrf), ("attended", "true")],
    );
    assert_eq!(marked.status, 303, "{}", marked.text());
    let text = organizer.get(&page).text();
    assert!(
        text.contains(r#"<strong id="attended-count">2</strong>"#),
        "{text}"
    );
    app.issue_and_wait(&webinar);
    assert_eq!(app.documents(&webinar).len(), 2);
}
