//! A forgotten password reset by an e-mailed link, through the real SMTP server the tests start
//! (`smtp_server.py`): the link works once and for an hour, ends every session, and an address
//! without an account gets the same answer as one with; an admin invites someone again (the old
//! link stops working); a person's chosen language follows them to another browser.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use gramota::db::schema::password_resets::dsl as r;
use gramota::db::Db;

use crate::delivery::{Received, SmtpServer};
use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

const KNOWN: &str = "metodist@dvorets.kz";
const NEW_PASSWORD: &str = "a brand new long password";

/// Waits until the server holds `count` messages (and a moment more, so a further one would show).
fn wait_for(server: &SmtpServer, count: usize) -> Vec<Received> {
    let start = Instant::now();
    loop {
        let received = server.received();
        if received.len() >= count {
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

fn link_in(message: &Received) -> String {
    let at = message
        .text
        .find("/app/reset/")
        .expect("a reset link in the message");
    let end = message.text[at..]
        .find(char::is_whitespace)
        .map_or(message.text.len(), |e| at + e);
    message.text[at..end].to_string()
}

/// Asks for a link for `email` as the forgot-password form does.
fn ask(browser: &mut Browser, email: &str) -> (u16, String) {
    let csrf = browser.get("/app/forgot").csrf();
    let page = browser.post("/app/forgot", &[("csrf", &csrf), ("email", email)]);
    (page.status, page.text())
}

fn reset(browser: &mut Browser, link: &str, password: &str) -> u16 {
    let form = browser.get(link);
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(form.text().contains("id=\"reset-form\""));
    let csrf = form.csrf();
    let done = browser.post(
        link,
        &[
            ("csrf", &csrf),
            ("password", password),
            ("password_again", password),
        ],
    );
    if done.status == 303 {
        assert_eq!(done.location(), "/app/login?reset=1");
    }
    done.status
}

#[test]
fn a_reset_link_works_once_expires_ends_sessions_and_tells_nothing_about_the_address() {
    let mail_dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(mail_dir.path(), &[]);
    let settings_dir = tempfile::tempdir().unwrap();
    let mail = server.settings(&[], settings_dir.path());
    let app = TestApp::spawn_with(|s| s.mail = mail);
    account(&app.settings, "dvorets-test", KNOWN, "organizer");

    let mut elsewhere = Browser::new(&app);
    assert_eq!(elsewhere.sign_in(KNOWN, PASSWORD).status, 303);
    let mut browser = Browser::new(&app);
    assert!(browser.get("/app/login").text().contains("href=\"/app/forgot\""));

    // A known and an unknown address: the same status and the same page, word for word.
    let (known_status, known_page) = ask(&mut browser, KNOWN);
    let (unknown_status, unknown_page) = ask(&mut browser, "nobody@dvorets.kz");
    assert_eq!((known_status, unknown_status), (200, 200));
    assert!(known_page.contains("id=\"reset-sent\""), "{known_page}");
    assert_eq!(known_page, unknown_page);

    let received = wait_for(&server, 1);
    assert_eq!(received.len(), 1, "only the known address gets a message");
    assert_eq!(received[0].to, KNOWN);
    let link = link_in(&received[0]);
    assert!(!received[0].text.contains(PASSWORD));

    assert_eq!(reset(&mut browser, &link, NEW_PASSWORD), 303);
    // Once: the link is spent.
    assert_eq!(browser.get(&link).status, 410);
    let csrf = browser.get("/app/forgot").csrf();
    let again = browser.post(
        &link,
        &[
            ("csrf", &csrf),
            ("password", "yet another password"),
            ("password_again", "yet another password"),
        ],
    );
    assert_eq!(again.status, 410);
    // The new password works, the old does not, and the other session has ended.
    assert_eq!(Browser::new(&app).sign_in(KNOWN, PASSWORD).status, 401);
    assert_eq!(Browser::new(&app).sign_in(KNOWN, NEW_PASSWORD).status, 303);
    assert_eq!(
        elsewhere.get("/app/password").status,
        303,
        "the other session ended"
    );

    // A link past its hour opens nothing.
    ask(&mut browser, KNOWN);
    let received = wait_for(&server, 2);
    let late = link_in(&received[1]);
    let db = Db::connect(&app.settings.database_url, 1).unwrap();
    let mut conn = db.conn().unwrap();
    diesel::update(r::password_resets)
        .set(r::expires_at.eq("2000-01-01T00:00:00Z"))
        .execute(&mut *conn)
        .unwrap();
    assert_eq!(browser.get(&late).status, 410);
    let csrf = browser.get("/app/forgot").csrf();
    let expired = browser.post(
        &late,
        &[
            ("csrf", &csrf),
            ("password", "not to be set at all"),
            ("password_again", "not to be set at all"),
        ],
    );
    assert_eq!(expired.status, 410);
    assert_eq!(Browser::new(&app).sign_in(KNOWN, NEW_PASSWORD).status, 303);

    // Throttled: a third message to the address goes, a fourth request sends nothing and looks
    // the same; a client asking more than ten times in the window is told to wait.
    assert_eq!(ask(&mut browser, KNOWN).0, 200);
    wait_for(&server, 3);
    let (status, page) = ask(&mut browser, KNOWN);
    assert_eq!((status, page), (200, unknown_page));
    for n in 6..=10 {
        assert_eq!(ask(&mut browser, &format!("someone{n}@dvorets.kz")).0, 200);
    }
    assert_eq!(ask(&mut browser, "someone11@dvorets.kz").0, 429);
    assert_eq!(wait_for(&server, 3).len(), 3, "no fourth message to the address");
}

#[test]
fn inviting_again_voids_the_first_link_and_a_chosen_language_follows_the_person() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "admin@dvorets.kz", "admin");
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@dvorets.kz", PASSWORD);
    let invite = |admin: &mut Browser| {
        let csrf = admin.csrf();
        let page = admin
            .post(
                "/app/people",
                &[("csrf", &csrf), ("email", "expert@dvorets.kz"), ("role", "jury")],
            )
            .text();
        let at = page.find("id=\"invite-link\"").expect("a link");
        let start = page[..at].rfind("value=\"").unwrap() + 7;
        let link = &page[start..];
        let link = link[..link.find('"').unwrap()].replace("&#x2f;", "/");
        (
            page.clone(),
            link[link.find("/app/invite/").unwrap()..].to_string(),
        )
    };
    let (_, first) = invite(&mut admin);
    let people = admin.get("/app/people").text();
    assert!(people.contains("id=\"pending-invitations\"") && people.contains("expert@dvorets.kz"));
    let (_, second) = invite(&mut admin);
    assert_ne!(first, second);
    let mut expert = Browser::new(&app);
    assert_eq!(expert.get(&first).status, 404, "the first link is void");
    assert_eq!(expert.get(&second).status, 200);

    // Kazakh chosen in one browser; another browser that asks for Russian shows Kazakh once signed in.
    let csrf = admin.csrf();
    let saved = admin.post("/app/language", &[("csrf", &csrf), ("language", "kk")]);
    assert_eq!(saved.status, 303);
    assert!(admin.get("/app/password").text().contains("<html lang=\"kk\""));
    let mut other = Browser::new(&app);
    assert!(other.get("/app/login").text().contains("<html lang=\"ru\""));
    other.sign_in("admin@dvorets.kz", PASSWORD);
    let page = other.get("/app/password").text();
    assert!(
        page.contains("<html lang=\"kk\"") && page.contains("selected>Қазақша"),
        "{page}"
    );
    // Back to the browser's choice.
    let csrf = other.csrf();
    other.post("/app/language", &[("csrf", &csrf), ("language", "browser")]);
    assert!(other.get("/app/password").text().contains("<html lang=\"ru\""));
    assert_eq!(
        other
            .post("/app/language", &[("csrf", &csrf), ("language", "xx")])
            .status,
        404
    );
}
