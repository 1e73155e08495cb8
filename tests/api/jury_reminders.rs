//! Reminders to late jury members (issue 23 part 2), through the real SMTP server the delivery
//! tests start: from the review page and the API, each judge in their own language with the
//! entries left and the link to their review page, at most once in 12 hours (the window is moved
//! through the database, not by waiting), judges without an address named rather than mailed, and
//! every reminder in the audit log.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{json, Value};

use gramota::commands::{create_user, UserCreated, UserRequest};

use crate::delivery::{Received, SmtpServer};
use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

const THREE_ENTRIES: &str = "ФИО,Организация,Номинация
Әлиева Дана,СОШ №1,Эссе
Бекова Аида,СОШ №2,Эссе
Ким Анна,СОШ №3,Эссе
";

fn person(app: &TestApp, email: &str, name: &str) {
    let created = create_user(
        &app.settings,
        UserRequest {
            org: "dvorets-test".into(),
            email: email.into(),
            name: Some(name.into()),
            role: "jury".into(),
            password: Some(PASSWORD.into()),
        },
    )
    .expect("account");
    assert!(matches!(created, UserCreated::Account { .. }));
}

/// Seats the jury person with `email` on the competition from its page.
fn seat(organizer: &mut Browser, competition: &str, email: &str) {
    let page = organizer.get(&format!("/app/competitions/{competition}")).text();
    let at = page.find(&format!("({email})")).expect("the person is offered");
    let start = page[..at].rfind("<option value=\"").expect("their option") + "<option value=\"".len();
    let user = page[start..start + 36].to_string();
    let csrf = organizer.csrf();
    let seated = organizer.post(
        &format!("/app/competitions/{competition}/judges"),
        &[("csrf", &csrf), ("user", &user), ("organization", "Гороно")],
    );
    assert_eq!(seated.status, 303, "{}", seated.text());
}

fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> crate::helpers::Reply {
    app.post(path, Some(token), "application/json", body.to_string().as_bytes())
}

fn remind(app: &TestApp, competition: &str, body: &Value) -> crate::helpers::Reply {
    post(
        app,
        &app.token,
        &format!("/api/v1/competitions/{competition}/jury/reminders"),
        body,
    )
}

/// Judge name → id, from the organizer's board.
fn judge_ids(app: &TestApp, competition: &str) -> std::collections::HashMap<String, String> {
    let board = app.get(
        &format!("/api/v1/competitions/{competition}/jury/assignments"),
        Some(&app.token),
    );
    assert_eq!(board.status, 200, "{}", board.text());
    board.json()["judges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            (
                j["name"].as_str().unwrap().to_string(),
                j["judge_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn wait_for(server: &SmtpServer, count: usize) -> Vec<Received> {
    let start = Instant::now();
    loop {
        let received = server.received();
        if received.len() >= count {
            // A moment more, so a message too many would show.
            std::thread::sleep(Duration::from_millis(1500));
            return server.received();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{} of {count} messages",
            received.len()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn late_judges_are_reminded_in_their_language_at_most_once_in_twelve_hours() {
    let mail_dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(mail_dir.path(), &[]);
    let settings_dir = tempfile::tempdir().unwrap();
    let mail = server.settings(&[], settings_dir.path());
    let app = TestApp::spawn_with(|s| s.mail = mail);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    person(&app, "gulnar@dvorets.kz", "Ахметова Гүлнар");
    person(&app, "ivan@dvorets.kz", "Петров Иван");
    let competition = app.create_competition("Конкурс эссе «Напоминание»");
    assert_eq!(app.upload(&competition, THREE_ENTRIES).status, 200);
    let criteria = post(
        &app,
        &app.token,
        &format!("/api/v1/competitions/{competition}/criteria"),
        &json!([{"name": "Идея", "max_points": 10}]),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    let criterion = criteria.json()[0]["id"].as_str().unwrap().to_string();

    let mut organizer = Browser::new(&app);
    assert_eq!(organizer.sign_in("metodist@dvorets.kz", PASSWORD).status, 303);
    seat(&mut organizer, &competition, "gulnar@dvorets.kz");
    seat(&mut organizer, &competition, "ivan@dvorets.kz");
    // Two judges by token only: one has scored everything, the other nothing (and has no address).
    let mut tokens = Vec::new();
    for name in ["Токенов Ерлан", "Адрессіз Жүсіп"] {
        let made = post(
            &app,
            &app.token,
            &format!("/api/v1/competitions/{competition}/judges"),
            &json!({"name": name, "organization": "Облоно"}),
        );
        assert_eq!(made.status, 201, "{}", made.text());
        tokens.push(made.json()["token"].as_str().unwrap().to_string());
    }
    let entries = app.get(
        &format!("/api/v1/competitions/{competition}/entries"),
        Some(&tokens[0]),
    );
    let entries: Vec<String> = entries
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    for entry in &entries {
        let reply = app.put_json(
            &format!("/api/v1/competitions/{competition}/entries/{entry}/scores"),
            &tokens[0],
            &json!({ criterion.clone(): 7 }),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
    let ids = judge_ids(&app, &competition);
    let (gulnar, ivan) = (&ids["Ахметова Гүлнар"], &ids["Петров Иван"]);

    // Гүлнар reads Kazakh and scores one of her three entries in her pages.
    let mut judge = Browser::new(&app);
    assert_eq!(judge.sign_in("gulnar@dvorets.kz", PASSWORD).status, 303);
    let csrf = judge.get("/app/jury").csrf();
    assert_eq!(
        judge
            .post("/app/language", &[("csrf", &csrf), ("language", "kk")])
            .status,
        303
    );
    let seat_page = format!("/app/jury/{gulnar}/entries/{}", entries[0]);
    let csrf = judge.get(&seat_page).csrf();
    let points = format!("p-{criterion}");
    let saved = judge.post(
        &seat_page,
        &[("csrf", &csrf), (&points, "8"), ("remark", ""), ("next", "0")],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());

    // A judge with nothing left, or without an address, is refused with the reason.
    let done = remind(&app, &competition, &json!({"judge_id": ids["Токенов Ерлан"]}));
    assert_eq!(done.status, 409, "{}", done.text());
    assert!(done.text().contains("Токенов Ерлан"), "{}", done.text());
    let nowhere = remind(&app, &competition, &json!({"judge_id": ids["Адрессіз Жүсіп"]}));
    assert_eq!(nowhere.status, 409, "{}", nowhere.text());
    assert!(nowhere.text().contains("e-mail"), "{}", nowhere.text());
    let stranger = TestApp::token_for(&app.settings, "stranger-center");
    let foreign = post(
        &app,
        &stranger,
        &format!("/api/v1/competitions/{competition}/jury/reminders"),
        &json!({}),
    );
    assert_eq!(foreign.status, 404, "another organization's competition");
    let unknown = remind(&app, &competition, &json!({"judge_id": "no-such-judge"}));
    assert_eq!(unknown.status, 404);
    let mangled = remind(&app, &competition, &json!({"judge_id": 5}));
    assert_eq!(
        mangled.status, 400,
        "a body that says something else is not 'everyone'"
    );

    // The review page shows who is late and reminds Гүлнар alone.
    let review = organizer.get(&format!("/app/competitions/{competition}/review"));
    assert_eq!(review.status, 200);
    let text = review.text();
    assert_eq!(
        text.matches("class=\"remind-form\"").count(),
        3,
        "a button for each late judge, none for the one who finished"
    );
    assert!(text.contains("id=\"remind-all\""));
    let csrf = review.csrf();
    let reminded = organizer.post(
        &format!("/app/competitions/{competition}/review/remind"),
        &[("csrf", &csrf), ("judge", gulnar)],
    );
    assert_eq!(reminded.status, 303, "{}", reminded.text());
    assert!(reminded.location().contains("done=reminded&n=1&skipped=0"));
    let after = organizer.get(reminded.location()).text();
    assert!(after.contains("id=\"reminded\""), "{after}");

    // Everyone late through the API: Иван now; Гүлнар too soon, Жүсіп without an address.
    let all = app.post(
        &format!("/api/v1/competitions/{competition}/jury/reminders"),
        Some(&app.token),
        "application/json",
        b"",
    );
    assert_eq!(all.status, 200, "{}", all.text());
    let all = all.json();
    assert_eq!(all["reminded"].as_array().unwrap().len(), 1, "{all}");
    assert_eq!(all["reminded"][0]["judge_id"], ivan.as_str());
    assert_eq!(all["reminded"][0]["left"], 3);
    let mut skipped: Vec<(String, String)> = all["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            ("Адрессіз Жүсіп".to_string(), "no_address".to_string()),
            ("Ахметова Гүлнар".to_string(), "too_soon".to_string())
        ]
    );

    // Гүлнар again from the page: refused, saying when the next reminder may go.
    let csrf = organizer.csrf();
    let again = organizer.post(
        &format!("/app/competitions/{competition}/review/remind"),
        &[("csrf", &csrf), ("judge", gulnar)],
    );
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(
        again.text().contains("12 часов") && again.text().contains("Ахметова Гүлнар"),
        "{}",
        again.text()
    );

    // Two messages: Гүлнар's in Kazakh with 2 of 3 left, Иван's in Russian with 3 of 3; each
    // links the judge's own review page.
    let received = wait_for(&server, 2);
    assert_eq!(
        received.len(),
        2,
        "one message per reminder, none for the refusals"
    );
    let to = |email: &str| {
        received
            .iter()
            .find(|m| m.to == email)
            .unwrap_or_else(|| panic!("a message to {email}"))
    };
    let kk = to("gulnar@dvorets.kz");
    assert!(
        kk.subject.contains("Еске салу") && kk.subject.contains("2"),
        "{}",
        kk.subject
    );
    assert!(kk.text.contains("3 жұмыстың 2 жұмысы"), "{}", kk.text);
    assert!(kk.text.contains(&format!("/app/jury/{gulnar}")), "{}", kk.text);
    let ru = to("ivan@dvorets.kz");
    assert!(ru.subject.starts_with("Напоминание"), "{}", ru.subject);
    assert!(
        ru.text.contains("из 3 данных вам работ не оценено ещё 3"),
        "{}",
        ru.text
    );
    assert!(ru.text.contains(&format!("/app/jury/{ivan}")), "{}", ru.text);
    assert!(!ru.text.contains(gulnar.as_str()));

    // Twelve hours later (the queue's rows moved back, not the clock) Гүлнар can be reminded again.
    {
        use gramota::db::schema::account_mail::dsl as m;
        let db = gramota::db::Db::connect(&app.settings.database_url, 1).unwrap();
        let moved = diesel::update(m::account_mail.filter(m::judge_id.eq(gulnar)))
            .set(m::created_at.eq("2000-01-01T00:00:00Z"))
            .execute(&mut *db.conn().unwrap())
            .unwrap();
        assert_eq!(moved, 1);
    }
    let later = remind(&app, &competition, &json!({"judge_id": gulnar}));
    assert_eq!(later.status, 200, "{}", later.text());
    assert_eq!(later.json()["reminded"][0]["left"], 2);
    assert_eq!(wait_for(&server, 3).len(), 3);

    // Each reminder in the audit log, naming the judge and what was left.
    let log = app.get("/api/v1/audit", Some(&app.token)).json();
    let reminders: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "judge_reminded")
        .map(|e| e["subject"].as_str().unwrap())
        .collect();
    assert_eq!(reminders.len(), 3, "{log}");
    assert!(
        reminders.contains(&"Петров Иван — «Конкурс эссе «Напоминание»»: 3"),
        "{reminders:?}"
    );
}

#[test]
fn without_a_mail_server_a_reminder_is_refused_and_nothing_is_queued() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Конкурс без почты");
    let reply = remind(&app, &competition, &json!({}));
    assert_eq!(reply.status, 409, "{}", reply.text());
    let log = app.get("/api/v1/audit", Some(&app.token)).text();
    assert!(!log.contains("judge_reminded"));
}
