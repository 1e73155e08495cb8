//! The competition portal end to end over HTTP: an announcement, an application with a work file
//! and a team sent by a parent without an account, the private link by e-mail (a real SMTP
//! server), a return and a correction, acceptance into the entries, issue, public results and the
//! diploma from the cabinet; and every kind of bad input refused with nothing stored.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use super::delivery::SmtpServer;
use super::helpers::{query_value, TestApp};
use super::webapp::{account, Browser, PASSWORD};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

pub(crate) fn open_call(app: &TestApp, competition: &str, extra: serde_json::Value) {
    let mut call = json!({
        "published": true,
        "summary": "Республиканский конкурс вокалистов",
        "deadline": "2099-12-20T23:59:00+05:00",
        "nominations": ["Вокал", "Хореография"],
        "team_max": 3,
        "files_max": 2,
        "file_mb": 1,
        "file_kinds": ["pdf"],
        "fields": [{"label": "Класс", "kind": "number", "required": true}],
    });
    // A field sent without its key is a new one: the fields already made are sent back as stored.
    let before = app.get(
        &format!("/api/v1/competitions/{competition}/call"),
        Some(&app.token),
    );
    if let Some(fields) = before.json()["fields"].as_array().filter(|f| !f.is_empty()) {
        call["fields"] = json!(fields);
    }
    for (k, v) in extra.as_object().unwrap() {
        call[k] = v.clone();
    }
    let reply = app.put_json(
        &format!("/api/v1/competitions/{competition}/call"),
        &app.token,
        &call,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["fields"][0]["key"], "f1", "kept by every change");
}

pub(crate) fn form<'a>(csrf: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("csrf", csrf),
        ("holder", "Сейтқали Айгерім Нұрланқызы"),
        ("member", "Әлиев Бауыржан"),
        ("member", "Ким Дана"),
        ("school", "№ 12 мектеп-гимназия"),
        ("region", "Астана"),
        ("nomination", "Вокал"),
        ("email", "parent@family.test"),
        ("f1", "7"),
        ("minor", "on"),
        ("guardian_name", "Сейтқали Нұрлан"),
        ("consent", "on"),
    ];
    for (k, v) in extra {
        fields.retain(|(name, _)| name != k);
        if !v.is_empty() {
            fields.push((k, v));
        }
    }
    fields
}

fn applications(app: &TestApp, competition: &str) -> serde_json::Value {
    let reply = app.get(
        &format!("/api/v1/competitions/{competition}/applications"),
        Some(&app.token),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

/// The private links sent to an address so far, in order.
pub(crate) fn links_to(server: &SmtpServer, to: &str, wanted: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let links: Vec<String> = server
            .received()
            .iter()
            .filter(|m| m.to.contains(to))
            .filter_map(|m| {
                let at = m.text.find("/a/")?;
                Some(m.text[at..at + 67].to_string())
            })
            .collect();
        if links.len() >= wanted || Instant::now() > deadline {
            assert!(links.len() >= wanted, "{wanted} links to {to}, got {links:?}");
            return links;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn work_files(data_dir: &Path) -> usize {
    walk(&data_dir.join("works"))
}

fn walk(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { walk(&p) } else { 1 })
        .sum()
}

#[test]
fn a_parent_applies_with_a_work_and_a_team_and_later_downloads_the_diploma() {
    let mail_dir = tempfile::tempdir().unwrap();
    let settings_dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(mail_dir.path(), &[]);
    let mail = server.settings(&[], settings_dir.path());
    let app = TestApp::spawn_with(|s| s.mail = mail);
    let competition = app.create_competition("Жас дарын 2026");
    open_call(&app, &competition, json!({}));

    // The announcement is shareable: a title and the link for a preview.
    let mut parent = Browser::new(&app);
    let page = parent.get(&format!("/c/{competition}"));
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains(r#"property="og:title" content="Жас дарын 2026""#),
        "{}",
        page.text()
    );
    assert!(page.text().contains("index, follow"));
    let org = parent.get("/o/dvorets-test");
    assert!(
        org.text().contains(&format!("/c/{competition}")),
        "the organization's page lists it"
    );

    let csrf = parent.get(&format!("/c/{competition}/apply")).csrf();
    let sent = parent.post_multipart(
        &format!("/c/{competition}/apply"),
        &form(&csrf, &[]),
        &[("work", "вокал.pdf", PDF)],
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert!(sent.text().contains(r#"id="applied""#), "{}", sent.text());

    let listed = applications(&app, &competition);
    assert_eq!(listed["total"], 1);
    let application = &listed["applications"][0];
    assert_eq!(application["state"], "received");
    assert_eq!(application["number"], 1);
    assert_eq!(application["team_members"], json!(["Әлиев Бауыржан", "Ким Дана"]));
    assert_eq!(application["answers"]["f1"], "7");
    assert_eq!(application["files"][0]["media_type"], "application/pdf");
    assert!(application["consent_text"]
        .as_str()
        .unwrap()
        .contains("законный представитель"));
    assert!(application["email_confirmed_at"].is_null());
    let id = application["id"].as_str().unwrap().to_string();

    // The private link arrives by e-mail; opening it confirms the address.
    let link = &links_to(&server, "parent@family.test", 1)[0];
    let cabinet = parent.get(link);
    assert_eq!(cabinet.status, 200, "{}", cabinet.text());
    assert!(cabinet.text().contains("на рассмотрении"));
    assert!(!applications(&app, &competition)["applications"][0]["email_confirmed_at"].is_null());
    let work = parent.get(&format!(
        "{link}/files/{}",
        application["files"][0]["id"].as_str().unwrap()
    ));
    assert_eq!(work.status, 200);
    assert_eq!(work.body, PDF);

    // Returned with a remark, corrected by the parent, received again.
    let decided = app.post_json(
        &format!("/api/v1/applications/{id}/decision"),
        &json!({"decision": "return", "remark": "Укажите полное название школы"}),
    );
    assert_eq!(decided.status, 200, "{}", decided.text());
    let links = links_to(&server, "parent@family.test", 2);
    let cabinet = parent.get(&links[1]);
    assert!(cabinet.text().contains("Укажите полное название школы"));
    let csrf = cabinet.csrf();
    let corrected = parent.post_multipart(
        &links[1],
        &form(&csrf, &[("school", "КГУ «Школа-гимназия № 12»")]),
        &[],
    );
    assert_eq!(corrected.status, 200, "{}", corrected.text());
    let now = &applications(&app, &competition)["applications"][0];
    assert_eq!(now["state"], "received");
    assert_eq!(now["school"], "КГУ «Школа-гимназия № 12»");
    assert_eq!(now["files"].as_array().unwrap().len(), 1, "the work stays");

    // Accepted: an entry, no retyping; issued; results published and found by surname.
    let accepted = app.post_json(
        &format!("/api/v1/applications/{id}/decision"),
        &json!({"decision": "accept"}),
    );
    assert_eq!(accepted.status, 200, "{}", accepted.text());
    let again = app.post_json(
        &format!("/api/v1/applications/{id}/decision"),
        &json!({"decision": "reject", "remark": "нет"}),
    );
    assert_eq!(again.status, 409, "an accepted application stays accepted");
    // The jury reads the work where it scores.
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = organizer.get(&format!("/app/competitions/{competition}")).text();
    let marker = r#"name="user"><option value=""#;
    let at = page.find(marker).expect("the jury person is offered") + marker.len();
    let user_id = page[at..at + 36].to_string();
    let csrf = organizer.csrf();
    let seated = organizer.post(
        &format!("/app/competitions/{competition}/judges"),
        &[("csrf", &csrf), ("user", &user_id), ("organization", "Гороно")],
    );
    assert_eq!(seated.status, 303, "{}", seated.text());
    let listed = organizer.get(&format!("/app/competitions/{competition}/applications"));
    assert!(
        listed.text().contains("Сейтқали Айгерім Нұрланқызы"),
        "the organizer's table"
    );
    let mut judge = Browser::new(&app);
    judge.sign_in("expert@dvorets.kz", PASSWORD);
    let seats = judge.get("/app/jury").text().replace("&#x2f;", "/");
    let at = seats.find("/app/jury/").expect("a seat");
    let seat = &seats[at..at + seats[at..].find('"').unwrap()];
    let entries = judge.get(seat).text().replace("&#x2f;", "/");
    let file_id = application["files"][0]["id"].as_str().unwrap();
    assert!(entries.contains(&format!("/app/works/{file_id}")), "{entries}");
    let read = judge.get(&format!("/app/works/{file_id}"));
    assert_eq!(read.status, 200);
    assert_eq!(read.body, PDF);
    assert_eq!(
        parent.get(&format!("/app/works/{file_id}")).status,
        303,
        "not without signing in"
    );

    let rows = app.results_csv(&competition);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].iter().any(|c| c == "Сейтқали Айгерім Нұрланқызы"));
    app.issue_and_wait(&competition);
    open_call(&app, &competition, json!({"results_published": true}));
    let results = parent.get(&format!(
        "/c/{competition}/results?surname={}",
        query_value("Сейтқали")
    ));
    assert_eq!(results.status, 200, "{}", results.text());
    assert!(
        results.text().contains("Сейтқали Айгерім Нұрланқызы"),
        "a team's name is shown whole"
    );
    assert!(
        results.text().contains("/v/"),
        "each line links to its verification page"
    );
    assert!(
        results.text().contains("noindex"),
        "results are kept out of search engines"
    );
    let none = parent.get(&format!(
        "/c/{competition}/results?surname={}",
        query_value("Айгерім")
    ));
    assert!(
        !none.text().contains("/v/"),
        "the given name does not find a child"
    );

    let cabinet = parent.get(&links[1]);
    let text = cabinet.text().replace("&#x2f;", "/");
    let at = text
        .find(&format!("{}/papers/", &links[1]))
        .expect("a paper to download");
    let href = &text[at..at + text[at..].find('"').unwrap()];
    let pdf = parent.get(href);
    assert_eq!(pdf.status, 200, "{href}");
    assert!(pdf.body.starts_with(b"%PDF"));
    let credential = parent.get(&format!("{href}/credential"));
    assert_eq!(credential.status, 200, "{}", credential.text());
    let credential: serde_json::Value = serde_json::from_slice(&credential.body).unwrap();
    assert!(credential["compactJwsString"]
        .as_str()
        .is_some_and(|j| j.split('.').count() == 3));
    assert_eq!(
        credential["credential"]["credentialSubject"]["type"],
        json!(["AchievementSubject"])
    );

    let xlsx = app.get(
        &format!("/api/v1/competitions/{competition}/applications.xlsx"),
        Some(&app.token),
    );
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"));
}

#[test]
fn bad_applications_are_refused_in_the_users_language_and_nothing_is_stored() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Олимпиада");
    open_call(&app, &competition, json!({"files_max": 1}));
    let mut parent = Browser::new(&app);
    let csrf = parent.get(&format!("/c/{competition}/apply")).csrf();
    let path = format!("/c/{competition}/apply");

    let big = vec![b'%'; 1024 * 1024 + 10];
    let mut too_large = b"%PDF-1.4\n".to_vec();
    too_large.extend_from_slice(&big);
    let reply = parent.post_multipart(&path, &form(&csrf, &[]), &[("work", "big.pdf", &too_large)]);
    assert_eq!(reply.status, 413, "{}", reply.text());
    assert!(
        reply.text().contains("МБ") || reply.text().contains("слишком"),
        "{}",
        reply.text()
    );

    let program = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0";
    let reply = parent.post_multipart(&path, &form(&csrf, &[]), &[("work", "работа.pdf", program)]);
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("по содержимому"), "{}", reply.text());

    let reply = parent.post_multipart(&path, &form(&csrf, &[("consent", "")]), &[("work", "a.pdf", PDF)]);
    assert_eq!(reply.status, 422);
    assert!(
        reply.text().contains("законного представителя"),
        "{}",
        reply.text()
    );
    assert!(
        reply.text().contains("Сейтқали Айгерім"),
        "what was typed is kept"
    );

    let reply = parent.post_multipart(
        &path,
        &form(&csrf, &[("website", "http://spam.test")]),
        &[("work", "a.pdf", PDF)],
    );
    assert_eq!(reply.status, 422);

    let reply = parent.post_multipart(&path, &form(&csrf, &[("f1", "седьмой")]), &[]);
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("укажите число"), "{}", reply.text());

    let reply = parent.post_multipart(&path, &form("not-the-token", &[]), &[("work", "a.pdf", PDF)]);
    assert_eq!(reply.status, 403, "a form from elsewhere");

    // After the deadline the form closes by itself.
    open_call(
        &app,
        &competition,
        json!({"deadline": "2020-01-01T00:00:00+05:00"}),
    );
    let reply = parent.post_multipart(&path, &form(&csrf, &[]), &[("work", "a.pdf", PDF)]);
    assert_eq!(reply.status, 409, "{}", reply.text());
    assert!(
        reply.text().contains("срок приёма заявок истёк"),
        "{}",
        reply.text()
    );

    assert_eq!(applications(&app, &competition)["total"], 0);
    assert_eq!(work_files(app.data_dir()), 0, "no work file is left behind");

    // An unpublished call has no public page.
    open_call(&app, &competition, json!({"published": false, "deadline": null}));
    assert_eq!(parent.get(&format!("/c/{competition}")).status, 404);
}

#[test]
fn applications_sent_in_the_same_instant_get_numbers_one_each() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Жас дарын");
    open_call(&app, &competition, json!({"files_max": 0}));
    let sent: Vec<u16> = std::thread::scope(|scope| {
        let parents: Vec<_> = (0..12)
            .map(|n| {
                let (app, competition) = (&app, &competition);
                scope.spawn(move || {
                    let mut parent = Browser::new(app);
                    let csrf = parent.get(&format!("/c/{competition}/apply")).csrf();
                    let holder = format!("Участник {n}");
                    parent
                        .post_multipart(
                            &format!("/c/{competition}/apply"),
                            &form(&csrf, &[("holder", holder.as_str())]),
                            &[],
                        )
                        .status
                })
            })
            .collect();
        parents.into_iter().map(|p| p.join().unwrap()).collect()
    });
    assert!(sent.iter().all(|s| *s == 200), "{sent:?}");
    let listed = applications(&app, &competition);
    let mut numbers: Vec<i64> = listed["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["number"].as_i64().unwrap())
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=12).collect::<Vec<_>>());
}

#[test]
fn the_organizer_builds_the_form_in_the_page_without_scripts() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let competition = app.create_competition("Жас дарын");
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = organizer.get(&format!("/app/competitions/{competition}/call"));
    assert_eq!(page.status, 200);
    let csrf = page.csrf();
    let path = format!("/app/competitions/{competition}/call");
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("published", "on"),
        ("summary", "Конкурс юных вокалистов"),
        ("opens_at", "2026-11-01T09:00"),
        ("deadline", "2099-12-20T18:00"),
        ("offset", "+05:00"),
        ("nominations", "Вокал\r\nХореография\r\n\r\nВокал"),
        ("team_max", "5"),
        ("files_max", "2"),
        ("file_mb", "20"),
        ("kind_pdf", "on"),
        ("kind_video", "on"),
        ("field_0_kind", "choice"),
        ("field_0_label", "Класс"),
        ("field_0_options", "5; 6; 7"),
        ("field_0_required", "on"),
        ("field_1_kind", "link"),
        ("field_1_label", "Видео выступления"),
        ("field_2_kind", "text"),
    ];
    let saved = organizer.post(&path, &form);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let call = app
        .get(
            &format!("/api/v1/competitions/{competition}/call"),
            Some(&app.token),
        )
        .json();
    assert_eq!(call["published"], true);
    assert_eq!(call["deadline"], "2099-12-20T18:00:00+05:00");
    assert_eq!(
        call["nominations"],
        json!(["Вокал", "Хореография"]),
        "blank and repeated lines go"
    );
    assert_eq!(call["file_kinds"], json!(["pdf", "video"]));
    assert_eq!(
        call["fields"][0],
        json!({"key": "f1", "label": "Класс", "kind": "choice", "required": true, "options": ["5", "6", "7"]})
    );
    assert_eq!(call["fields"][1]["key"], "f2");
    assert_eq!(
        call["fields"].as_array().unwrap().len(),
        2,
        "a row without a label is no field"
    );

    // A field removed keeps the others' keys; a new one gets a key never used.
    let page = organizer.get(&path).text();
    assert!(page.contains("Видео выступления"));
    form.retain(|(k, _)| !k.starts_with("field_"));
    form.extend([
        ("field_0_key", "f1"),
        ("field_0_kind", "choice"),
        ("field_0_label", "Класс"),
        ("field_0_options", "5; 6; 7"),
        ("field_0_remove", "on"),
        ("field_1_key", "f2"),
        ("field_1_kind", "link"),
        ("field_1_label", "Видео выступления"),
        ("field_2_kind", "number"),
        ("field_2_label", "Возраст"),
    ]);
    assert_eq!(organizer.post(&path, &form).status, 303);
    let call = app
        .get(
            &format!("/api/v1/competitions/{competition}/call"),
            Some(&app.token),
        )
        .json();
    let keys: Vec<&str> = call["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["f2", "f3"]);

    // A choice without options is refused with the reason, nothing changed.
    form.retain(|(k, _)| !k.starts_with("field_"));
    form.extend([("field_0_kind", "choice"), ("field_0_label", "Смена")]);
    let refused = organizer.post(&path, &form);
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(
        refused.text().contains("для поля «выбор» укажите варианты"),
        "{}",
        refused.text()
    );
}
