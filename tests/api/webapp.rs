//! The web application over plain HTTP, as a browser without scripts uses it: sessions in cookies,
//! CSRF tokens in forms, organizations isolated, sign-in throttled.

use std::collections::HashMap;
use std::io::Read;
use std::time::Duration;

use gramota::commands::{create_user, UserCreated, UserRequest};
use gramota::config::Settings;

use crate::helpers::TestApp;

pub const PASSWORD: &str = "correct horse battery staple";

/// A query string value, percent-encoded.
fn enc(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).unwrap()[1..].to_string()
}

/// Creates an account as `gramota user create --password-stdin` does.
pub fn account(settings: &Settings, org: &str, email: &str, role: &str) {
    let created = create_user(
        settings,
        UserRequest {
            org: org.into(),
            email: email.into(),
            name: Some(format!("Test {role}")),
            role: role.into(),
            password: Some(PASSWORD.into()),
        },
    )
    .expect("account");
    assert!(matches!(created, UserCreated::Account { .. }));
}

pub struct Page {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Page {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The CSRF token of the page's first form.
    pub fn csrf(&self) -> String {
        let text = self.text();
        let start = text
            .find(r#"name="csrf" value=""#)
            .expect("a form with a CSRF token")
            + 19;
        text[start..start + 64].to_string()
    }

    pub fn location(&self) -> &str {
        self.headers.get("location").map(String::as_str).unwrap_or("")
    }
}

/// A browser without scripts: keeps cookies, does not follow redirects.
pub struct Browser {
    address: String,
    agent: ureq::Agent,
    cookies: HashMap<String, String>,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            address: app.address.clone(),
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_global(Some(Duration::from_secs(120)))
                .build()
                .into(),
            cookies: HashMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn finish(&mut self, response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Page {
        let mut response = response.expect("request reached the server");
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_lowercase(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let mut body = Vec::new();
        response.body_mut().as_reader().read_to_end(&mut body).unwrap();
        Page {
            status: response.status().as_u16(),
            headers,
            body,
        }
    }

    pub fn get(&mut self, path: &str) -> Page {
        let request = self
            .agent
            .get(format!("{}{path}", self.address))
            .header("Accept-Language", "ru")
            .header("Cookie", self.cookie_header());
        self.finish(request.call())
    }

    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request = self
            .agent
            .post(format!("{}{path}", self.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept-Language", "ru")
            .header("Cookie", self.cookie_header());
        self.finish(request.send(body.as_bytes()))
    }

    /// A form with a file, as `<form enctype="multipart/form-data">` sends it.
    pub fn post_file(&mut self, path: &str, fields: &[(&str, &str)], file: &[u8]) -> Page {
        self.post_multipart(path, fields, &[("file", "results.csv", file)])
    }

    /// A multipart form with any files: (field, file name, bytes).
    pub fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Page {
        let boundary = "----gramota-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = self
            .agent
            .post(format!("{}{path}", self.address))
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("Accept-Language", "ru")
            .header("Cookie", self.cookie_header());
        self.finish(request.send(&body[..]))
    }

    pub fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let csrf = self.get("/app/login").csrf();
        self.post(
            "/app/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
    }

    /// The CSRF token of this browser's session, from any signed-in page.
    pub fn csrf(&mut self) -> String {
        self.get("/app/tokens").csrf()
    }
}

#[test]
fn a_form_without_its_csrf_token_is_refused() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut browser = Browser::new(&app);

    // Even the sign-in form carries a token (a cookie of its own before there is a session).
    let refused = browser.post(
        "/app/login",
        &[("email", "metodist@dvorets.kz"), ("password", PASSWORD)],
    );
    assert_eq!(refused.status, 403, "{}", refused.text());

    let signed_in = browser.sign_in("metodist@dvorets.kz", PASSWORD);
    assert_eq!(signed_in.status, 303, "{}", signed_in.text());
    let cookie = signed_in.headers.get("set-cookie").expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Secure"),
        "{cookie}"
    );

    let without = browser.post("/app/competitions", &[("title", "Без токена")]);
    assert_eq!(without.status, 403, "{}", without.text());
    let forged = "0".repeat(64);
    let wrong = browser.post(
        "/app/competitions",
        &[("csrf", &forged), ("title", "Чужой токен")],
    );
    assert_eq!(wrong.status, 403);

    // Another session's token is not this one's.
    let mut other = Browser::new(&app);
    other.sign_in("metodist@dvorets.kz", PASSWORD);
    let others_token = other.csrf();
    let crossed = browser.post(
        "/app/competitions",
        &[("csrf", &others_token), ("title", "Чужая сессия")],
    );
    assert_eq!(crossed.status, 403);

    // A file upload is checked the same way.
    let csrf = browser.csrf();
    let created = browser.post("/app/competitions", &[("csrf", &csrf), ("title", "С токеном")]);
    assert_eq!(created.status, 303, "{}", created.text());
    let competition = created.location().to_string();
    let upload = browser.post_file(
        &format!("{competition}/upload"),
        &[],
        b"\xd0\xa4\xd0\x98\xd0\x9e\n",
    );
    assert_eq!(upload.status, 403);

    let list = browser.get("/app/competitions").text();
    assert!(list.contains("С токеном"));
    assert!(!list.contains("Без токена") && !list.contains("Чужой токен") && !list.contains("Чужая сессия"));

    // Signing out ends the session on the server: the old cookie no longer opens pages.
    let session = browser.cookies.get("gramota_session").cloned().unwrap();
    let csrf = browser.csrf();
    assert_eq!(browser.post("/app/logout", &[("csrf", &csrf)]).status, 303);
    browser.cookies.insert("gramota_session".into(), session);
    let after = browser.get("/app/competitions");
    assert_eq!((after.status, after.location()), (303, "/app/login"));
}

#[test]
fn an_organizer_cannot_reach_another_organizations_data_by_id() {
    let app = TestApp::spawn();
    // Organization B (the test app's own token) has an issued competition.
    let competition_b = app.create_competition("Конкурс организации Б");
    assert_eq!(
        app.upload(&competition_b, "ФИО,Место\nБекова Дана,1 место\n")
            .status,
        200
    );
    let job_b = app.issue_and_wait(&competition_b);
    let document_b = app.documents(&competition_b).remove(0);
    let document_id = document_b["id"].as_str().unwrap();

    account(&app.settings, "other-center", "a@other.kz", "organizer");
    let mut a = Browser::new(&app);
    assert_eq!(a.sign_in("a@other.kz", PASSWORD).status, 303);
    let csrf = a.csrf();

    for path in [
        format!("/app/competitions/{competition_b}"),
        format!("/app/competitions/{competition_b}/documents"),
        format!("/app/competitions/{competition_b}/documents.zip"),
        format!("/app/documents/{document_id}/pdf"),
        format!("/app/jobs/{}", job_b["id"].as_str().unwrap()),
        format!("/app/jobs/{}/status", job_b["id"].as_str().unwrap()),
    ] {
        let page = a.get(&path);
        assert_eq!(page.status, 404, "{path}: {}", page.text());
        assert!(!page.text().contains("Бекова"), "{path}");
    }
    for (path, fields) in [
        (
            format!("/app/competitions/{competition_b}/issue"),
            vec![("csrf", csrf.as_str())],
        ),
        (
            format!("/app/documents/{document_id}/revoke"),
            vec![("csrf", csrf.as_str()), ("reason", "ошибка")],
        ),
        (
            format!("/app/documents/{document_id}/reissue"),
            vec![("csrf", csrf.as_str()), ("holder", "Чужая Фамилия")],
        ),
        (
            format!("/app/competitions/{competition_b}/criteria"),
            vec![("csrf", csrf.as_str()), ("criteria", "Идея; 10")],
        ),
    ] {
        let page = a.post(&path, &fields);
        assert_eq!(page.status, 404, "{path}: {}", page.text());
    }
    let upload = a.post_file(
        &format!("/app/competitions/{competition_b}/upload"),
        &[("csrf", &csrf)],
        "ФИО,Место\nЧужой,1 место\n".as_bytes(),
    );
    assert_eq!(upload.status, 404);
    assert!(!a.get("/app/competitions").text().contains("организации Б"));

    // Nothing of B's changed.
    let after = app.documents(&competition_b);
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["status"], "valid");
    assert_eq!(after[0]["holder"], "Бекова Дана");

    // A jury member of B's own organization is not an organizer either.
    account(&app.settings, "dvorets-test", "judge@dvorets.kz", "jury");
    let mut judge = Browser::new(&app);
    judge.sign_in("judge@dvorets.kz", PASSWORD);
    assert_eq!(
        judge.get(&format!("/app/competitions/{competition_b}")).status,
        404
    );
    assert_eq!(judge.get("/app/tokens").status, 404);
}

#[test]
fn ten_wrong_passwords_in_a_row_are_throttled() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "colleague@dvorets.kz", "organizer");
    let mut browser = Browser::new(&app);
    for attempt in 1..=10 {
        let page = browser.sign_in("metodist@dvorets.kz", "wrong password");
        assert_eq!(page.status, 401, "attempt {attempt}");
        assert!(page.text().contains("Неверная почта или пароль"));
    }
    // The eleventh try waits, even with the right password; the answer says how long.
    let throttled = browser.sign_in("metodist@dvorets.kz", PASSWORD);
    assert_eq!(throttled.status, 429, "{}", throttled.text());
    let retry: u64 = throttled.headers["retry-after"].parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(
        !throttled.headers.contains_key("set-cookie")
            || !throttled.headers["set-cookie"].contains("gramota_session")
    );

    // Another account from the same address is not locked out with it.
    assert_eq!(browser.sign_in("colleague@dvorets.kz", PASSWORD).status, 303);
    // An unknown e-mail answers like a wrong password.
    let unknown = Browser::new(&app).sign_in("nobody@dvorets.kz", PASSWORD);
    assert_eq!(unknown.status, 401);
}

#[test]
fn an_invitation_link_makes_an_account_once() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "admin@dvorets.kz", "admin");
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@dvorets.kz", PASSWORD);
    let csrf = admin.csrf();
    let invited = admin.post(
        "/app/people",
        &[("csrf", &csrf), ("email", "Expert@School.kz"), ("role", "jury")],
    );
    assert_eq!(invited.status, 200, "{}", invited.text());
    // Attribute values are HTML-escaped: "/" is "&#x2f;".
    let text = invited.text().replace("&#x2f;", "/");
    let start = text.find("/app/invite/").unwrap();
    let path = text[start..start + 12 + 64].to_string();

    let mut invitee = Browser::new(&app);
    let form = invitee.get(&path);
    assert_eq!(form.status, 200);
    assert!(form.text().contains("expert@school.kz"));
    let csrf = form.csrf();
    let short = invitee.post(
        &path,
        &[
            ("csrf", &csrf),
            ("name", "Эксперт"),
            ("password", "short"),
            ("password_again", "short"),
        ],
    );
    assert_eq!(short.status, 400);
    let made = invitee.post(
        &path,
        &[
            ("csrf", &csrf),
            ("name", "Эксперт Жюри"),
            ("password", PASSWORD),
            ("password_again", PASSWORD),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.text());
    assert!(invitee
        .get(made.location())
        .text()
        .contains("Учётная запись создана"));
    assert_eq!(invitee.get(&path).status, 404, "the link works once");
    assert_eq!(invitee.sign_in("expert@school.kz", PASSWORD).location(), "/app");
    assert_eq!(invitee.get("/app").location(), "/app/jury");
}

#[test]
fn an_organizer_runs_a_competition_without_scripts_and_a_participant_finds_the_paper() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let csrf = browser.csrf();
    let created = browser.post(
        "/app/competitions",
        &[
            ("csrf", &csrf),
            ("title", "Жас зерттеуші"),
            ("language", "kk"),
            ("ends_on", "2026-11-20"),
            ("kind", "competition"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.text());
    let competition = created.location().to_string();

    let bad = browser.post_file(
        &format!("{competition}/upload"),
        &[("csrf", &csrf)],
        "ФИО,Место\n,1 место\nИванов Пётр,9000 место\n".as_bytes(),
    );
    assert_eq!(bad.status, 200, "a file with bad rows is still a preview");
    assert!(bad.text().contains("Ошибки в строках"), "{}", bad.text());
    assert!(
        !bad.text().contains(r#"id="import-form""#),
        "nothing to import while rows are wrong"
    );

    let results =
        "ФИО,Организация,Место\nСейтқали Айгерім Нұрланқызы,СОШ №12,1 место\nИванов Пётр,Лицей №5,Участник\n";
    let preview = browser.post_file(
        &format!("{competition}/upload"),
        &[("csrf", &csrf)],
        results.as_bytes(),
    );
    assert_eq!(preview.status, 200, "{}", preview.text());
    let text = preview.text();
    assert!(text.contains("Сейтқали Айгерім Нұрланқызы") && text.contains("СОШ №12"));
    let start = text.find(r#"name="upload" value=""#).unwrap() + 21;
    let upload_id = text[start..start + 32].to_string();
    assert_eq!(
        browser
            .get(competition.as_str())
            .text()
            .matches("<strong id=\"count-entries\">0<")
            .count(),
        1
    );

    let imported = browser.post(
        &format!("{competition}/import"),
        &[("csrf", &csrf), ("upload", &upload_id)],
    );
    assert_eq!(imported.status, 303);
    assert!(
        imported
            .location()
            .ends_with("done=imported&n=2&added=2&updated=0&unchanged=0"),
        "{}",
        imported.location()
    );
    // The stored upload is gone once imported.
    assert_eq!(
        browser
            .post(
                &format!("{competition}/import"),
                &[("csrf", &csrf), ("upload", &upload_id)]
            )
            .status,
        404
    );

    let issued = browser.post(&format!("{competition}/issue"), &[("csrf", &csrf)]);
    assert_eq!(issued.status, 303);
    let job = issued.location().to_string();
    assert!(browser.get(&job).text().contains("<progress"));
    let started = std::time::Instant::now();
    loop {
        let status: serde_json::Value =
            serde_json::from_slice(&browser.get(&format!("{job}/status")).body).unwrap();
        if status["state"] == "done" {
            assert_eq!(
                (status["done"].as_i64(), status["total"].as_i64()),
                (Some(2), Some(2))
            );
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "{status}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let zip = browser.get(&format!("{competition}/documents.zip"));
    assert_eq!(zip.status, 200);
    assert_eq!(zip.headers["content-type"], "application/zip");
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body)).unwrap();
    assert_eq!(archive.len(), 2);

    let list = browser
        .get(&format!("{competition}/documents?q={}", enc("иванов")))
        .text();
    assert!(
        list.contains("Иванов Пётр") && !list.contains("Сейтқали"),
        "search by name"
    );
    let competition_id = competition.rsplit('/').next().unwrap();
    let document = app
        .documents(competition_id)
        .into_iter()
        .find(|d| d["holder"] == "Сейтқали Айгерім Нұрланқызы")
        .unwrap();
    let code = document["code"].as_str().unwrap();

    // A parent: the code and the surname find the paper; either alone finds nothing.
    let mut parent = Browser::new(&app);
    let found = parent.get(&format!("/find?code={code}&surname={}", enc("СЕЙТҚАЛИ")));
    assert_eq!(found.status, 200, "{}", found.text());
    assert!(found.text().contains("Сейтқали Айгерім Нұрланқызы"));
    assert_eq!(
        parent
            .get(&format!("/find?code={code}&surname={}", enc("Иванов")))
            .status,
        404
    );
    assert_eq!(
        parent
            .get(&format!("/find?code=&surname={}", enc("Сейтқали")))
            .status,
        404
    );
    let pdf = parent.get(&format!("/find/pdf?code={code}&surname={}", enc("Сейтқали")));
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF"));

    // Revoked from the list page: the parent can no longer download it.
    let id = document["id"].as_str().unwrap();
    let revoked = browser.post(
        &format!("/app/documents/{id}/revoke"),
        &[("csrf", &csrf), ("reason", "ошибка в ФИО")],
    );
    assert_eq!(revoked.status, 303);
    assert_eq!(
        parent
            .get(&format!("/find/pdf?code={code}&surname={}", enc("Сейтқали")))
            .status,
        404
    );
}

#[test]
fn the_command_line_invites_the_first_account_when_no_password_is_given() {
    let app = TestApp::spawn();
    let created = create_user(
        &app.settings,
        UserRequest {
            org: "new-center".into(),
            email: "first@new-center.kz".into(),
            name: None,
            role: "admin".into(),
            password: None,
        },
    )
    .expect("invitation");
    let UserCreated::Invitation { link } = created else {
        panic!("an invitation link, not an account");
    };
    let path = link
        .strip_prefix("https://verify.gramota.test")
        .expect("the public URL");
    let mut browser = Browser::new(&app);
    let csrf = browser.get(path).csrf();
    let made = browser.post(
        path,
        &[
            ("csrf", &csrf),
            ("name", "Первый"),
            ("password", PASSWORD),
            ("password_again", PASSWORD),
        ],
    );
    assert_eq!(made.status, 303);
    assert_eq!(browser.sign_in("first@new-center.kz", PASSWORD).status, 303);
    assert_eq!(browser.get("/app/people").status, 200, "an admin manages people");
    let too_short = create_user(
        &app.settings,
        UserRequest {
            org: "new-center".into(),
            email: "second@new-center.kz".into(),
            name: None,
            role: "organizer".into(),
            password: Some("short".into()),
        },
    );
    assert!(too_short.is_err());
}

#[test]
fn a_judge_scores_only_on_their_own_seat() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Жюри");
    assert_eq!(
        app.upload(
            &competition,
            "ФИО,Организация,Место\nАхмет Дана,СОШ №1,Участник\nБеков Ерлан,СОШ №2,Участник\n"
        )
        .status,
        200
    );
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "judge-a@dvorets.kz", "jury");
    account(&app.settings, "dvorets-test", "judge-b@dvorets.kz", "jury");
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let csrf = organizer.csrf();
    let page = format!("/app/competitions/{competition}");
    assert_eq!(
        organizer
            .post(
                &format!("{page}/criteria"),
                &[("csrf", &csrf), ("criteria", "Идея; 10\nТехника; 5")]
            )
            .status,
        303
    );
    let detail = organizer.get(&page).text();
    let option = detail.find("judge-a@dvorets.kz").unwrap();
    let value_at = detail[..option].rfind("value=\"").unwrap() + 7;
    let user_a = detail[value_at..value_at + 36].to_string();
    let seated = organizer.post(
        &format!("{page}/judges"),
        &[("csrf", &csrf), ("user", &user_a), ("organization", "СОШ №2")],
    );
    assert_eq!(seated.status, 303, "{}", seated.text());

    let mut a = Browser::new(&app);
    a.sign_in("judge-a@dvorets.kz", PASSWORD);
    let list = a.get("/app/jury").text();
    let at = list.find("/app/jury/").unwrap();
    let seat = list[at..at + 10 + 36].to_string();
    let entries = a.get(&seat).text();
    assert!(entries.contains("Ахмет Дана") && entries.contains("Беков Ерлан"));
    // Each entry opens on its own page; only the one not from the judge's school has a sheet.
    let mut links: Vec<String> = entries
        .match_indices(&format!("{seat}/entries/"))
        .map(|(i, _)| entries[i..i + seat.len() + 9 + 36].to_string())
        .collect();
    // The next entry to score is linked twice: from the top and from the list.
    links.sort();
    links.dedup();
    let sheets: Vec<(String, String)> = links
        .iter()
        .map(|link| (link.clone(), a.get(link).text()))
        .filter(|(_, page)| page.contains("name=\"p-"))
        .collect();
    assert_eq!(
        sheets.len(),
        1,
        "one sheet, for the entry not from the judge's school"
    );
    let (entry_path, sheet) = sheets[0].clone();
    let criteria: Vec<String> = sheet
        .match_indices("name=\"p-")
        .map(|(i, _)| format!("p-{}", &sheet[i + 8..i + 8 + 36]))
        .collect();
    assert_eq!(criteria.len(), 2);

    // Judge B sits on nothing: judge A's seat is not found, whatever the form says.
    let mut b = Browser::new(&app);
    b.sign_in("judge-b@dvorets.kz", PASSWORD);
    assert_eq!(b.get(&seat).status, 404);
    let csrf_b = b.get("/app/jury").csrf();
    let fields_b = [
        ("csrf", csrf_b.as_str()),
        (criteria[0].as_str(), "10"),
        (criteria[1].as_str(), "5"),
    ];
    assert_eq!(b.post(&entry_path, &fields_b).status, 404);

    // Judge A: over the maximum is refused with the reason; within it is stored.
    let csrf_a = a.get(&seat).csrf();
    let over = a.post(
        &entry_path,
        &[("csrf", &csrf_a), (&criteria[0], "11"), (&criteria[1], "5")],
    );
    assert_eq!(over.status, 400, "{}", over.text());
    let saved = a.post(
        &entry_path,
        &[("csrf", &csrf_a), (&criteria[0], "9"), (&criteria[1], "4")],
    );
    assert_eq!(saved.status, 303);
    assert!(a
        .get(&seat)
        .text()
        .contains("<strong id=\"scored-count\">1</strong>"));
}

/// A competition's papers page reads one page of papers from the database (it used to read every
/// paper of the competition on each view): 200 at a time with a link to the next, the last page
/// without one; a search reads names and serials only and shows what it found.
#[test]
fn the_papers_page_shows_two_hundred_at_a_time_and_searches_them_all() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let competition = app.create_competition("Беттер");
    let mut csv = String::from("ФИО,Место\n");
    for i in 0..450 {
        let word: String = [i / 26 / 26, i / 26 % 26, i % 26]
            .iter()
            .map(|d| char::from_u32('а' as u32 + *d as u32).unwrap())
            .collect();
        csv.push_str(&format!("Т{word} Нұрланова,Участник\n"));
    }
    assert_eq!(app.upload(&competition, &csv).status, 200);
    app.issue_and_wait(&competition);
    let documents = app.documents(&competition);
    let serial = |i: usize| documents[i]["serial"].as_str().unwrap().to_string();

    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = format!("/app/competitions/{competition}/documents");
    let cards = |html: &str| html.matches("class=\"card doc\"").count();
    let first = browser.get(&page).text();
    assert_eq!(cards(&first), 200);
    assert!(first.contains(&format!("id=\"doc-{}\"", serial(0))) && !first.contains(&serial(200)));
    assert!(
        first.contains(&format!("?after={}", serial(199))),
        "a link to the next page"
    );
    let second = browser.get(&format!("{page}?after={}", serial(199))).text();
    assert_eq!(cards(&second), 200);
    assert!(second.contains(&format!("id=\"doc-{}\"", serial(200))));
    let last = browser.get(&format!("{page}?after={}", serial(399))).text();
    assert_eq!(cards(&last), 50);
    assert!(!last.contains("?after="), "no next page after the last");

    let found = browser.get(&format!("{page}?q={}", enc(&serial(321)))).text();
    assert_eq!(cards(&found), 1);
    assert!(found.contains(&format!("id=\"doc-{}\"", serial(321))));
    let holder = documents[321]["holder"].as_str().unwrap();
    let by_name = browser
        .get(&format!("{page}?q={}", enc(&holder.to_lowercase())))
        .text();
    assert!(by_name.contains(&format!("id=\"doc-{}\"", serial(321))));
}
