//! The organization's people in the web application: roles changed and accounts disabled by an
//! organizer or admin (a disabled account's session stops at once and it cannot sign in), and the
//! purge of expired sessions and spent invitations; API tokens made and revoked on their page.

use gramota::db::{self, Db};
use gramota::domain::account::{Email, Role};

use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

/// A person's id, read from the people page: the card `id="person-ID"` that holds their e-mail.
fn person_id(page: &str, email: &str) -> String {
    let at = page.find(email).unwrap_or_else(|| panic!("{email} on the page"));
    let card = page[..at].rfind("id=\"person-").expect("a person card") + 11;
    page[card..card + 36].to_string()
}

#[test]
fn a_disabled_account_cannot_sign_in_and_its_session_stops_at_once() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "admin@dvorets.kz", "admin");
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let mut admin = Browser::new(&app);
    assert_eq!(admin.sign_in("admin@dvorets.kz", PASSWORD).status, 303);
    let mut organizer = Browser::new(&app);
    assert_eq!(organizer.sign_in("metodist@dvorets.kz", PASSWORD).status, 303);
    assert_eq!(organizer.get("/app/competitions").status, 200);

    let people = admin.get("/app/people");
    assert_eq!(people.status, 200);
    let text = people.text().replace("&#x2f;", "/");
    for (email, role) in [
        ("admin@dvorets.kz", "Администратор"),
        ("metodist@dvorets.kz", "Организатор"),
        ("expert@dvorets.kz", "Член жюри"),
    ] {
        let at = text.find(email).unwrap();
        let line = text[at..].split("</p>").next().unwrap();
        assert!(
            line.contains(role),
            "{email} is shown with the role {role}: {line}"
        );
    }
    let organizer_id = person_id(&text, "metodist@dvorets.kz");
    let csrf = people.csrf();

    // Without its CSRF token the form does nothing.
    let forged = admin.post(&format!("/app/people/{organizer_id}/disable"), &[]);
    assert_eq!(forged.status, 403);
    assert_eq!(organizer.get("/app/competitions").status, 200);

    let disabled = admin.post(&format!("/app/people/{organizer_id}/disable"), &[("csrf", &csrf)]);
    assert_eq!(
        (disabled.status, disabled.location()),
        (303, "/app/people?done=disabled")
    );
    let after = admin.get(disabled.location()).text();
    assert!(after.contains("Учётная запись отключена"), "{after}");
    // The organizer's open session ends at once: the next page sends them to sign in.
    let cut_off = organizer.get("/app/competitions");
    assert_eq!((cut_off.status, cut_off.location()), (303, "/app/login"));
    // The right password no longer opens a session, and says why (a wrong one says nothing more).
    let refused = Browser::new(&app).sign_in("metodist@dvorets.kz", PASSWORD);
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(refused.text().contains("Эта учётная запись отключена"));
    assert!(!refused
        .headers
        .get("set-cookie")
        .is_some_and(|c| c.contains("gramota_session")));
    let wrong = Browser::new(&app).sign_in("metodist@dvorets.kz", "not the password");
    assert_eq!(wrong.status, 401);
    // A disabled jury member cannot be seated as a judge either: the choice lists active people only.
    let competition = app.create_competition("Байқау");
    let expert_id = person_id(&text, "expert@dvorets.kz");
    admin.post(&format!("/app/people/{expert_id}/disable"), &[("csrf", &csrf)]);
    let detail = admin.get(&format!("/app/competitions/{competition}")).text();
    assert!(
        !detail.contains("expert@dvorets.kz"),
        "a disabled judge is not offered"
    );

    // Enabled again, the same password works.
    let enabled = admin.post(&format!("/app/people/{organizer_id}/enable"), &[("csrf", &csrf)]);
    assert_eq!(enabled.status, 303);
    assert_eq!(
        Browser::new(&app).sign_in("metodist@dvorets.kz", PASSWORD).status,
        303
    );
    assert_eq!(
        admin
            .post(&format!("/app/people/{organizer_id}/enable"), &[])
            .status,
        403
    );
}

#[test]
fn roles_are_changed_within_what_ones_own_role_allows() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "admin@dvorets.kz", "admin");
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    account(&app.settings, "other-center", "admin@other.kz", "admin");
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let people = organizer.get("/app/people");
    let text = people.text().replace("&#x2f;", "/");
    let (admin_id, own_id, expert_id) = (
        person_id(&text, "admin@dvorets.kz"),
        person_id(&text, "metodist@dvorets.kz"),
        person_id(&text, "expert@dvorets.kz"),
    );
    assert!(
        !text.contains(&format!("/app/people/{admin_id}/disable")),
        "an organizer is offered nothing on an admin's account"
    );
    assert!(!text.contains("value=\"admin\""), "nor to make anyone an admin");
    let csrf = people.csrf();

    // Refused with the reason, and nothing changes.
    for (path, fields, reason) in [
        (
            format!("/app/people/{admin_id}/disable"),
            vec![("csrf", csrf.as_str())],
            "только администратор",
        ),
        (
            format!("/app/people/{expert_id}/role"),
            vec![("csrf", csrf.as_str()), ("role", "admin")],
            "только администратор",
        ),
        (
            format!("/app/people/{own_id}/disable"),
            vec![("csrf", csrf.as_str())],
            "Нельзя отключить свою учётную запись",
        ),
        (
            format!("/app/people/{own_id}/role"),
            vec![("csrf", csrf.as_str()), ("role", "jury")],
            "Нельзя отключить свою учётную запись",
        ),
    ] {
        let page = organizer.post(&path, &fields);
        assert_eq!(page.status, 409, "{path}: {}", page.text());
        assert!(page.text().contains(reason), "{path}: {}", page.text());
    }
    assert_eq!(
        organizer
            .post(&format!("/app/people/{expert_id}/role"), &[("role", "organizer")])
            .status,
        403,
        "a role form without its CSRF token"
    );
    let mut admin = Browser::new(&app);
    assert_eq!(admin.sign_in("admin@dvorets.kz", PASSWORD).status, 303);

    // The jury member becomes an organizer: their open session carries the new role at once.
    let mut expert = Browser::new(&app);
    expert.sign_in("expert@dvorets.kz", PASSWORD);
    assert_eq!(expert.get("/app/competitions").status, 404);
    let changed = organizer.post(
        &format!("/app/people/{expert_id}/role"),
        &[("csrf", &csrf), ("role", "organizer")],
    );
    assert_eq!(
        (changed.status, changed.location()),
        (303, "/app/people?done=role")
    );
    assert_eq!(expert.get("/app/competitions").status, 200);
    assert_eq!(expert.get("/app").location(), "/app/competitions");

    // Another organization's admin finds nobody of this one.
    let mut stranger = Browser::new(&app);
    stranger.sign_in("admin@other.kz", PASSWORD);
    let csrf = stranger.csrf();
    for (path, fields) in [
        (
            format!("/app/people/{expert_id}/disable"),
            vec![("csrf", csrf.as_str())],
        ),
        (
            format!("/app/people/{expert_id}/enable"),
            vec![("csrf", csrf.as_str())],
        ),
        (
            format!("/app/people/{expert_id}/role"),
            vec![("csrf", csrf.as_str()), ("role", "jury")],
        ),
    ] {
        assert_eq!(stranger.post(&path, &fields).status, 404, "{path}");
    }
    assert!(!stranger.get("/app/people").text().contains("dvorets.kz"));
    assert_eq!(expert.get("/app/competitions").status, 200, "nothing changed");

    // A jury member has no people page at all.
    account(&app.settings, "dvorets-test", "judge@dvorets.kz", "jury");
    let mut judge = Browser::new(&app);
    judge.sign_in("judge@dvorets.kz", PASSWORD);
    assert_eq!(judge.get("/app/people").status, 404);
    let judge_csrf = judge.get("/app/jury").csrf();
    assert_eq!(
        judge
            .post(&format!("/app/people/{own_id}/disable"), &[("csrf", &judge_csrf)])
            .status,
        404
    );
}

#[test]
fn expired_sessions_and_spent_invitations_are_purged_when_someone_signs_in() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let db = Db::connect(&app.settings.database_url, 1).unwrap();
    let mut conn = db.conn().unwrap();
    let email = Email::parse("metodist@dvorets.kz").unwrap();
    let (user, _) = db::accounts::find_for_sign_in(&mut conn, &email)
        .unwrap()
        .unwrap();
    let past = "2020-01-01T00:00:00Z";
    let future = "2999-01-01T00:00:00Z";
    let organization = user.organization_id.clone();
    let invite = |conn: &mut db::DbConnection, to: &str, expires: &str| {
        let to = Email::parse(to).unwrap();
        db::accounts::invite_from_command_line(conn, &organization, &to, Role::Jury, expires).unwrap()
    };
    let (expired_session, _) = db::accounts::open_session(&mut conn, &user.id, past).unwrap();
    invite(&mut conn, "late@dvorets.kz", past);
    let used = invite(&mut conn, "used@dvorets.kz", future);
    assert!(db::accounts::use_invitation(&mut conn, &used).unwrap());
    let open = invite(&mut conn, "open@dvorets.kz", future);
    assert!(db::accounts::session_user(&mut conn, &expired_session)
        .unwrap()
        .is_none());
    drop(conn);

    assert_eq!(
        Browser::new(&app).sign_in("metodist@dvorets.kz", PASSWORD).status,
        303
    );
    // The sign-in swept them: nothing is left to purge, and what is still valid was kept.
    let mut conn = db.conn().unwrap();
    assert_eq!(db::accounts::purge_expired(&mut conn).unwrap(), (0, 0));
    assert!(db::accounts::open_invitation(&mut conn, &open).unwrap().is_some());
    let invitation = Browser::new(&app).get(&format!("/app/invite/{}", open.reveal()));
    assert_eq!(invitation.status, 200, "an open invitation still works");

    // Start-up sweeps too: a session that expired while no one signed in is gone once a second
    // instance starts on the same database.
    db::accounts::open_session(&mut conn, &user.id, past).unwrap();
    drop(conn);
    let settings = app.settings.clone();
    actix_web::rt::System::new().block_on(async move {
        let second = gramota::startup::Application::build(settings).expect("a second instance starts");
        let handle = second.handle();
        let running = actix_web::rt::spawn(second.run_until_stopped());
        handle.stop(true).await;
        let _ = running.await;
    });
    let mut conn = db.conn().unwrap();
    assert_eq!(db::accounts::purge_expired(&mut conn).unwrap(), (0, 0));
}

#[test]
fn an_api_token_made_on_the_tokens_page_works_until_it_is_revoked_there() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let csrf = browser.csrf();
    assert_eq!(
        browser.post("/app/tokens", &[("label", "без токена")]).status,
        403
    );
    let made = browser.post("/app/tokens", &[("csrf", &csrf), ("label", "Выгрузка из 1С")]);
    assert_eq!(made.status, 200);
    let text = made.text();
    let at = text.find("id=\"new-token\"").expect("the new token is shown");
    let value = text[..at].rfind("value=\"").unwrap() + 7;
    let token = text[value..value + text[value..].find('"').unwrap()].to_string();
    assert!(token.starts_with("gmt_"), "{token}");
    assert_eq!(app.get("/api/v1/competitions", Some(&token)).status, 200);
    // Listed by its label, never shown again.
    let list = browser.get("/app/tokens").text();
    assert!(list.contains("Выгрузка из 1С") && !list.contains(&token));

    let row = list.find("Выгрузка из 1С").unwrap();
    let action = list[row..].find("action=\"").unwrap() + row + 8;
    let revoke = list[action..action + list[action..].find('"').unwrap()].replace("&#x2f;", "/");
    assert_eq!(browser.post(&revoke, &[]).status, 403);
    assert_eq!(browser.post(&revoke, &[("csrf", &csrf)]).status, 303);
    assert_eq!(app.get("/api/v1/competitions", Some(&token)).status, 401);
    assert!(browser.get("/app/tokens").text().contains("отозван"));
}
