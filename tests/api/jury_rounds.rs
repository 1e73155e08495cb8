//! Return for revision and a second round (issue 23 part 5), on SQLite and PostgreSQL: the
//! organizer returns a scored entry with their words; the judges' sheets are kept as round 1; the
//! entry waits (no scoring, no results) until the revised work comes, from the applicant's cabinet
//! (where they read the judges' remarks unsigned) or marked received by the organizer; the same
//! judges score round 2, and the protocol (CSV and PDF) shows both rounds with their remarks.

use serde_json::{json, Value};

use super::delivery::SmtpServer;
use super::helpers::{collapse_whitespace, pdf_text, Reply, TestApp};
use super::portal::{form, links_to, open_call};
use super::webapp::{account, Browser, PASSWORD};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn judge(app: &TestApp, competition: &str, name: &str) -> String {
    let reply = app.post_json(
        &format!("/api/v1/competitions/{competition}/judges"),
        &json!({"name": name, "organization": "Облоно"}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["token"].as_str().unwrap().to_string()
}

fn criteria(app: &TestApp, competition: &str) -> (String, String) {
    let reply = app.post_json(
        &format!("/api/v1/competitions/{competition}/criteria"),
        &json!([{"name": "Идея", "max_points": 10, "step": 0.5}, {"name": "Язык", "max_points": 10}]),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let ids = reply.json();
    (
        ids[0]["id"].as_str().unwrap().to_string(),
        ids[1]["id"].as_str().unwrap().to_string(),
    )
}

fn score(app: &TestApp, competition: &str, token: &str, entry: &str, body: &Value) -> Reply {
    app.send(
        "PUT",
        &format!("/api/v1/competitions/{competition}/entries/{entry}/scores"),
        token,
        "application/json",
        body.to_string().as_bytes(),
    )
}

fn ranking(app: &TestApp, competition: &str) -> Vec<Value> {
    let reply = app.get(
        &format!("/api/v1/competitions/{competition}/jury/ranking"),
        Some(&app.token),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json().as_array().unwrap().clone()
}

fn row_of<'a>(rows: &'a [Value], entry: &str) -> &'a Value {
    rows.iter().find(|r| r["entry_id"] == entry).unwrap()
}

fn return_for_revision(app: &TestApp, competition: &str, entry: &str, remark: &str) -> Reply {
    app.post_json(
        &format!("/api/v1/competitions/{competition}/entries/{entry}/revision"),
        &json!({ "remark": remark }),
    )
}

fn apply_results(app: &TestApp, competition: &str) -> Reply {
    app.post_json(
        &format!("/api/v1/competitions/{competition}/jury/results"),
        &json!({}),
    )
}

#[test]
fn a_returned_entry_waits_for_its_revision_and_the_same_judges_and_the_protocol_keeps_both_rounds() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Жас жазушы");
    let upload = app.upload(
        &competition,
        "ФИО,Организация,Номинация\nӘлиева Дана,СОШ №1,Эссе\nБекова Аида,СОШ №2,Эссе\n",
    );
    assert_eq!(upload.status, 200, "{}", upload.text());
    let (idea, language) = criteria(&app, &competition);
    let judges = [
        judge(&app, &competition, "Ахметова Гүлнар"),
        judge(&app, &competition, "Ким Олег"),
    ];
    let entries = app.get(
        &format!("/api/v1/competitions/{competition}/entries"),
        Some(&judges[0]),
    );
    let entries = entries.json();
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
    let (dana, aida) = (id("Әлиева Дана"), id("Бекова Аида"));

    // Nothing scored yet: nothing to return.
    let early = return_for_revision(&app, &competition, &dana, "Раскройте тему");
    assert_eq!(early.status, 409, "{}", early.text());

    for (token, (a, b)) in judges.iter().zip([(4.5, 5.0), (8.0, 7.0)]) {
        let body = json!({"scores": {&idea: a, &language: b}, "remarks": {&idea: "Тема не раскрыта"}, "remark": "Нужны примеры"});
        assert_eq!(score(&app, &competition, token, &dana, &body).status, 200);
        let body = json!({"scores": {&idea: 9, &language: 9}});
        assert_eq!(score(&app, &competition, token, &aida, &body).status, 200);
    }

    let empty = return_for_revision(&app, &competition, &dana, "   ");
    assert_eq!(empty.status, 400, "{}", empty.text());
    let returned = return_for_revision(&app, &competition, &dana, "Добавьте примеры из жизни");
    assert_eq!(returned.status, 200, "{}", returned.text());
    assert_eq!(returned.json()["round"], 1);
    assert_eq!(returned.json()["sheets"], 2);
    assert_eq!(
        returned.json()["applicant_told"],
        false,
        "no application: no one to e-mail"
    );
    let log = app.get("/api/v1/audit", Some(&app.token)).text();
    assert!(
        log.contains("entry_returned") && log.contains("Әлиева Дана"),
        "{log}"
    );
    let again = return_for_revision(&app, &competition, &dana, "Ещё раз");
    assert_eq!(again.status, 409, "already out for revision: {}", again.text());

    // Out for revision: no judge scores it, and no results are applied while it waits.
    let body = json!({"scores": {&idea: 9, &language: 9}});
    let refused = score(&app, &competition, &judges[0], &dana, &body);
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(refused.text().contains("доработк"), "{}", refused.text());
    let rows = ranking(&app, &competition);
    let row = row_of(&rows, &dana);
    assert_eq!(row["waiting"], true);
    assert_eq!(row["awaiting_revision"], true);
    assert_eq!(row["round"], 2);
    assert_eq!(row_of(&rows, &aida)["waiting"], false);
    assert_eq!(apply_results(&app, &competition).status, 409);

    // The revised work came by hand: round 2 opens, and waits for both judges of round 1.
    let received = app.post_json(
        &format!("/api/v1/competitions/{competition}/entries/{dana}/revision/received"),
        &json!({}),
    );
    assert_eq!(received.status, 200, "{}", received.text());
    assert_eq!(received.json()["round"], 2);
    let twice = app.post_json(
        &format!("/api/v1/competitions/{competition}/entries/{dana}/revision/received"),
        &json!({}),
    );
    assert_eq!(twice.status, 409, "{}", twice.text());
    let body = json!({"scores": {&idea: 9.5, &language: 9}, "remarks": {&idea: "Теперь раскрыта"}});
    assert_eq!(score(&app, &competition, &judges[0], &dana, &body).status, 200);
    let rows = ranking(&app, &competition);
    assert_eq!(
        row_of(&rows, &dana)["waiting"],
        true,
        "the second judge of round 1 has not scored round 2"
    );
    assert_eq!(apply_results(&app, &competition).status, 409);
    let body = json!({"scores": {&idea: 9, &language: 10}});
    assert_eq!(score(&app, &competition, &judges[1], &dana, &body).status, 200);
    let rows = ranking(&app, &competition);
    let row = row_of(&rows, &dana);
    assert_eq!(row["waiting"], false);
    assert_eq!(row["awaiting_revision"], false);
    assert_eq!(
        row["score"], 18.75,
        "round 2's sheets count, not round 1's: {row}"
    );
    assert_eq!(row["place"], 1, "{rows:?}");

    // The protocol keeps both rounds: round 1's totals, the return and its remarks; round 2 now.
    let csv = app.get(
        &format!("/api/v1/competitions/{competition}/jury/protocol.csv"),
        Some(&app.token),
    );
    let text = csv.text();
    assert!(
        text.lines().next().unwrap().ends_with("Туры экспертизы"),
        "{text}"
    );
    assert!(
        text.contains("Тур 1: 12.25 (возвращено на доработку: Добавьте примеры из жизни)"),
        "round 1 is the mean of 9.5 and 15: {text}"
    );
    assert!(
        text.contains("Ахметова Гүлнар (Идея): Тема не раскрыта"),
        "{text}"
    );
    assert!(text.contains("Ахметова Гүлнар (Идея): Теперь раскрыта"), "{text}");
    let pdf = app.get(
        &format!("/api/v1/competitions/{competition}/jury/protocol.pdf"),
        Some(&app.token),
    );
    assert_eq!(pdf.status, 200);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.pdf"), &pdf.body).unwrap();
    let printed = collapse_whitespace(&pdf_text(&dir.path().join("p.pdf")));
    for shown in [
        "Туры экспертизы",
        "Тур 1: 12.25 (возвращено на доработку: Добавьте примеры из жизни)",
        "Тема не раскрыта",
        "Нужны примеры",
        "Тур 2: 18.75",
        "Теперь раскрыта",
    ] {
        assert!(printed.contains(shown), "{shown} in {printed}");
    }
    assert_eq!(apply_results(&app, &competition).status, 200);
}

#[test]
fn the_applicant_reads_the_judges_remarks_and_sends_the_revised_work_from_the_cabinet() {
    let mail_dir = tempfile::tempdir().unwrap();
    let settings_dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(mail_dir.path(), &[]);
    let mail = server.settings(&[], settings_dir.path());
    let app = TestApp::spawn_with(|s| s.mail = mail);
    let competition = app.create_competition("Жас дарын 2026");
    open_call(&app, &competition, json!({}));
    let mut parent = Browser::new(&app);
    let csrf = parent.get(&format!("/c/{competition}/apply")).csrf();
    let sent = parent.post_multipart(
        &format!("/c/{competition}/apply"),
        &form(&csrf, &[]),
        &[("work", "эссе.pdf", PDF)],
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    let listed = app.get(
        &format!("/api/v1/competitions/{competition}/applications"),
        Some(&app.token),
    );
    let application = listed.json()["applications"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let accepted = app.post_json(
        &format!("/api/v1/applications/{application}/decision"),
        &json!({"decision": "accept"}),
    );
    assert_eq!(accepted.status, 200, "{}", accepted.text());
    let entry = accepted.json()["entry_id"].as_str().unwrap().to_string();
    let (idea, language) = criteria(&app, &competition);
    let token = judge(&app, &competition, "Ахметова Гүлнар");
    let body = json!({"scores": {&idea: 4, &language: 5}, "remarks": {&idea: "Тема не раскрыта"}, "remark": "Нужны примеры"});
    assert_eq!(score(&app, &competition, &token, &entry, &body).status, 200);

    // The organizer returns it from the review page.
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let review = organizer.get(&format!("/app/competitions/{competition}/review"));
    assert_eq!(review.status, 200, "{}", review.text());
    let csrf = review.csrf();
    let done = organizer.post(
        &format!("/app/competitions/{competition}/review/revision"),
        &[
            ("csrf", &csrf),
            ("entry", &entry),
            ("remark", "Добавьте примеры из жизни"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.text());
    let review = organizer.get(&format!("/app/competitions/{competition}/review?done=returned"));
    assert!(
        review.text().contains(r#"id="returned-done""#),
        "{}",
        review.text()
    );
    assert!(
        review.text().contains("ждёт доработанную работу"),
        "{}",
        review.text()
    );

    // The applicant is e-mailed a fresh link; the cabinet shows the remarks without the judge's name.
    let links = links_to(&server, "parent@family.test", 3);
    let mail = server
        .received()
        .into_iter()
        .find(|m| m.text.contains("Добавьте примеры из жизни"))
        .expect("the revision mail");
    assert!(
        mail.subject.contains("возвращена на доработку"),
        "{}",
        mail.subject
    );
    let cabinet = parent.get(links.last().unwrap());
    let text = cabinet.text();
    assert!(text.contains("на доработке"), "{text}");
    assert!(text.contains("Эксперт 1 (Идея): Тема не раскрыта"), "{text}");
    assert!(text.contains("Эксперт 1: Нужны примеры"), "{text}");
    assert!(!text.contains("Ахметова"), "the judge stays unnamed: {text}");
    assert!(text.contains(r#"id="revision-form""#), "{text}");

    // Sending without a file is refused; the revised file opens round 2.
    let csrf = cabinet.csrf();
    let link = links.last().unwrap().clone();
    let nothing = parent.post_multipart(&link, &[("csrf", &csrf)], &[]);
    assert_eq!(nothing.status, 422, "{}", nothing.text());
    assert!(nothing.text().contains("приложите файл"), "{}", nothing.text());
    let revised = parent.post_multipart(&link, &[("csrf", &csrf)], &[("work", "эссе-2.pdf", PDF)]);
    assert_eq!(revised.status, 200, "{}", revised.text());
    assert!(
        revised.text().contains("Доработанная работа получена"),
        "{}",
        revised.text()
    );
    assert!(revised.text().contains("эссе-2.pdf"), "{}", revised.text());
    let listed = app.get(
        &format!("/api/v1/competitions/{competition}/applications"),
        Some(&app.token),
    );
    assert_eq!(listed.json()["applications"][0]["state"], "accepted");

    // The judge sees round 2 with the new work and their own earlier remarks, and scores it.
    let desk = app.get(
        &format!("/api/v1/competitions/{competition}/entries"),
        Some(&token),
    );
    assert_eq!(desk.status, 200, "{}", desk.text());
    let rows = ranking(&app, &competition);
    assert_eq!(row_of(&rows, &entry)["round"], 2);
    assert_eq!(row_of(&rows, &entry)["waiting"], true);
    let body = json!({"scores": {&idea: 8, &language: 9}});
    assert_eq!(score(&app, &competition, &token, &entry, &body).status, 200);
    assert_eq!(row_of(&ranking(&app, &competition), &entry)["waiting"], false);
}
