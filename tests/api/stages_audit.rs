//! Stages across organizations, the rest of issue 23 part 6: every stage action is in the audit log
//! of the organization that acted (and only there); an invitation past its expiry answers 410 and
//! links nothing (the clock is not moved: the test sets the invitation's expiry in the past through
//! the database, as the password reset test does with its links); and a results table of a
//! thousand rows is previewed and sent through the pages, the file kept server-side between them.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::stages_across::{competition, hidden_value, post, row, upload, HEADER};
use crate::webapp::{account, Browser, PASSWORD};

/// The organization's audit events as `(action, subject)`, newest first.
fn audit(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let reply = app.get("/api/v1/audit", Some(token));
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn actions(events: &[(String, String)]) -> Vec<&str> {
    events.iter().map(|(a, _)| a.as_str()).collect()
}

fn subject_of<'a>(events: &'a [(String, String)], action: &str) -> &'a str {
    events
        .iter()
        .find(|(a, _)| a == action)
        .map(|(_, s)| s.as_str())
        .unwrap_or_else(|| panic!("no {action} in {events:?}"))
}

#[test]
fn stage_actions_are_in_the_audit_log_of_the_organization_that_acted() {
    let app = TestApp::spawn();
    let regional = app.token.clone();
    let municipal = TestApp::token_for(&app.settings, "aksu-gorono");

    let upper = competition(&app, &regional, "Областной конкурс «Журнал»");
    let lower = competition(&app, &municipal, "Городской конкурс «Журнал»");
    let mut csv = String::from(HEADER);
    for (n, place) in ["1 место", "2 место", "3 место", "Участник"].iter().enumerate()
    {
        csv.push_str(&row(&format!("Журналов Ученик {}", n + 1), n + 1, "Эссе", place));
    }
    upload(&app, &municipal, &lower, &csv);
    let before_regional = audit(&app, &regional).len();
    let before_municipal = audit(&app, &municipal).len();

    let made = post(
        &app,
        &regional,
        &format!("/api/v1/competitions/{upper}/stage-invitations"),
        &json!({"addressee": "Отдел образования г. Аксу"}),
    );
    assert_eq!(made.status, 201, "{}", made.text());
    let token = made.json()["token"].as_str().unwrap().to_string();
    let invitation = made.json()["id"].as_str().unwrap().to_string();

    let linked = post(
        &app,
        &municipal,
        "/api/v1/stage-links",
        &json!({"token": token, "competition_id": lower}),
    );
    assert_eq!(linked.status, 201, "{}", linked.text());
    let link = linked.json()["id"].as_str().unwrap().to_string();

    let sent = post(
        &app,
        &municipal,
        &format!("/api/v1/stage-links/{link}/forward"),
        &json!({"categories": ["winner", "prize_winner"]}),
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert_eq!(sent.json()["forwarded"], 3);
    // Sending the same again adds nobody, and the log does not say it did.
    let again = post(
        &app,
        &municipal,
        &format!("/api/v1/stage-links/{link}/forward"),
        &json!({"categories": ["winner", "prize_winner"]}),
    );
    assert_eq!(again.json()["forwarded"], 0, "{}", again.text());

    let feeding = app.get(&format!("/api/v1/competitions/{upper}/feeding"), Some(&regional));
    let entries = feeding.json()["entries"].as_array().unwrap().clone();
    let refused: &Value = entries
        .iter()
        .find(|e| e["holder"] == "Журналов Ученик 2")
        .expect("forwarded");
    let entry = refused["entry_id"].as_str().unwrap();
    let reply = post(
        &app,
        &regional,
        &format!("/api/v1/competitions/{upper}/feeding/{entry}/refuse"),
        &json!({}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let reply = post(
        &app,
        &regional,
        &format!("/api/v1/stage-invitations/{invitation}/revoke"),
        &json!({}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());

    // The regional organization's log: the invitation made, the entry refused, the invitation
    // revoked — newest first — and nothing the municipal organization did.
    let upper_log = audit(&app, &regional);
    assert_eq!(
        actions(&upper_log[..upper_log.len() - before_regional]),
        [
            "stage_invitation_revoked",
            "stage_entry_refused",
            "stage_invitation_made"
        ],
        "{upper_log:?}"
    );
    assert_eq!(
        subject_of(&upper_log, "stage_invitation_made"),
        "«Областной конкурс «Журнал»» → Отдел образования г. Аксу"
    );
    assert_eq!(
        subject_of(&upper_log, "stage_invitation_revoked"),
        subject_of(&upper_log, "stage_invitation_made")
    );
    assert_eq!(
        subject_of(&upper_log, "stage_entry_refused"),
        "Журналов Ученик 2 — «Областной конкурс «Журнал»»"
    );

    // The municipal organization's log: linked, then one send of three (the empty one is not there).
    let lower_log = audit(&app, &municipal);
    assert_eq!(
        actions(&lower_log[..lower_log.len() - before_municipal]),
        ["stage_forwarded", "stage_linked"],
        "{lower_log:?}"
    );
    let linked = subject_of(&lower_log, "stage_linked");
    assert!(
        linked.starts_with("«Городской конкурс «Журнал»» → «Областной конкурс «Журнал»»"),
        "{linked}"
    );
    let forwarded = subject_of(&lower_log, "stage_forwarded");
    assert!(
        forwarded.starts_with("3: «Городской конкурс «Журнал»» → «Областной конкурс «Журнал»»"),
        "{forwarded}"
    );
    assert!(
        !lower_log.iter().any(|(a, _)| a.starts_with("stage_invitation")),
        "the other organization's actions stay in its own log"
    );
}

#[test]
fn the_stage_actions_in_the_pages_reach_the_audit_page_in_the_readers_language() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "admin@dvorets.kz", "admin");
    let upper = competition(&app, &app.token, "Областной конкурс «Өнер»");
    let mut admin = Browser::new(&app);
    assert_eq!(admin.sign_in("admin@dvorets.kz", PASSWORD).status, 303);
    let csrf = admin.get(&format!("/app/competitions/{upper}/stages")).csrf();
    let made = admin.post(
        &format!("/app/competitions/{upper}/stage-invitations"),
        &[("csrf", &csrf), ("addressee", "Екібастұз қаласы")],
    );
    assert_eq!(made.status, 200, "{}", made.text());
    let page = admin.get("/app/audit?lang=ru").text();
    assert!(
        page.contains("Создал приглашение на этап") && page.contains("Екібастұз қаласы"),
        "{page}"
    );
    assert!(page.contains("admin@dvorets.kz"), "the person who acted is named");
}

#[test]
fn an_expired_stage_invitation_answers_410_and_links_nothing() {
    use gramota::db::schema::stage_invitations::dsl as i;

    let app = TestApp::spawn();
    let regional = app.token.clone();
    let municipal = TestApp::token_for(&app.settings, "stepnogorsk-gorono");
    account(
        &app.settings,
        "stepnogorsk-gorono",
        "gorod@stepnogorsk.kz",
        "organizer",
    );
    let upper = competition(&app, &regional, "Областной конкурс «Уақыт»");
    let lower = competition(&app, &municipal, "Городской конкурс «Уақыт»");
    let made = post(
        &app,
        &regional,
        &format!("/api/v1/competitions/{upper}/stage-invitations"),
        &json!({"days": 1}),
    );
    assert_eq!(made.status, 201, "{}", made.text());
    let token = made.json()["token"].as_str().unwrap().to_string();
    let id = made.json()["id"].as_str().unwrap().to_string();

    // While it works, its terms open; then its day passes.
    let terms = post(
        &app,
        &municipal,
        "/api/v1/stage-invitations/terms",
        &json!({"token": token}),
    );
    assert_eq!(terms.status, 200, "{}", terms.text());
    let db = gramota::db::Db::connect(&app.settings.database_url, 1).unwrap();
    let changed = diesel::update(i::stage_invitations.filter(i::id.eq(&id)))
        .set(i::expires_at.eq("2000-01-01T00:00:00Z"))
        .execute(&mut *db.conn().unwrap())
        .unwrap();
    assert_eq!(changed, 1);

    let terms = post(
        &app,
        &municipal,
        "/api/v1/stage-invitations/terms",
        &json!({"token": token}),
    );
    assert_eq!(terms.status, 410, "{}", terms.text());
    let linked = post(
        &app,
        &municipal,
        "/api/v1/stage-links",
        &json!({"token": token, "competition_id": lower}),
    );
    assert_eq!(linked.status, 410, "{}", linked.text());

    // In the pages too: the link says it no longer works, and posting it links nothing.
    let mut gorod = Browser::new(&app);
    assert_eq!(gorod.sign_in("gorod@stepnogorsk.kz", PASSWORD).status, 303);
    let page = gorod.get(&format!("/app/stage-invite/{token}"));
    assert_eq!(page.status, 410, "{}", page.text());
    let csrf = gorod.csrf();
    let posted = gorod.post(
        &format!("/app/stage-invite/{token}"),
        &[("csrf", &csrf), ("competition", &lower)],
    );
    assert_eq!(posted.status, 410, "{}", posted.text());

    // Nothing is linked on either side, and the invitation is listed as expired, unused.
    let feeds = app.get(&format!("/api/v1/competitions/{lower}/feeds"), Some(&municipal));
    assert_eq!(feeds.status, 200);
    assert_eq!(feeds.json(), json!([]));
    let feeding = app.get(&format!("/api/v1/competitions/{upper}/feeding"), Some(&regional));
    assert_eq!(feeding.json()["links"], json!([]), "{}", feeding.text());
    let listed = app.get(
        &format!("/api/v1/competitions/{upper}/stage-invitations"),
        Some(&regional),
    );
    assert_eq!(listed.json()[0]["state"], "expired");
    assert_eq!(listed.json()[0]["used_at"], Value::Null);
    assert!(!actions(&audit(&app, &municipal)).contains(&"stage_linked"));
}

#[test]
fn a_table_of_a_thousand_winners_is_previewed_and_sent_through_the_pages() {
    let app = TestApp::spawn();
    let municipal = TestApp::token_for(&app.settings, "almaty-gorono");
    account(&app.settings, "almaty-gorono", "gorod@almaty.kz", "organizer");
    let upper = competition(&app, &app.token, "Республиканский конкурс «Мың»");
    let lower = competition(&app, &municipal, "Городской конкурс «Мың»");
    let made = post(
        &app,
        &app.token,
        &format!("/api/v1/competitions/{upper}/stage-invitations"),
        &json!({}),
    );
    let token = made.json()["token"].as_str().unwrap().to_string();
    let linked = post(
        &app,
        &municipal,
        "/api/v1/stage-links",
        &json!({"token": token, "competition_id": lower}),
    );
    assert_eq!(linked.status, 201, "{}", linked.text());
    let link = linked.json()["id"].as_str().unwrap().to_string();

    // 1,200 rows: 1,000 winners and 200 participants, about 240 KB (the old form cap was 64 KB).
    let mut table = String::from(HEADER);
    for n in 0..1200 {
        let place = if n < 1000 {
            "1 место"
        } else {
            "Участник"
        };
        table.push_str(&row(&format!("Жеңімпаз Оқушы {n}"), n, "Ән", place));
    }
    assert!(table.len() > 200_000);
    let mut gorod = Browser::new(&app);
    assert_eq!(gorod.sign_in("gorod@almaty.kz", PASSWORD).status, 303);
    let csrf = gorod.csrf();
    let preview = gorod.post_multipart(
        &format!("/app/stage-links/{link}/table"),
        &[("csrf", &csrf)],
        &[("file", "winners.csv", table.as_bytes())],
    );
    assert_eq!(preview.status, 200, "{}", preview.text());
    let text = preview.text();
    assert_eq!(text.matches("class=\"planned-entry\"").count(), 1000);
    assert!(
        text.len() < table.len() * 4,
        "the rows are shown, not carried in a form field as well"
    );
    let upload = hidden_value(&text, "upload");
    assert_eq!(upload.len(), 32, "the kept file's random name: {upload}");
    assert!(!text.contains("name=\"rows\""));

    // Another municipal organization with a link of its own cannot send what this one kept
    // through its link (the name finds nothing in its own folder), nor can a made-up name.
    let other = TestApp::token_for(&app.settings, "taraz-gorono");
    account(&app.settings, "taraz-gorono", "gorod@taraz.kz", "organizer");
    let theirs = competition(&app, &other, "Городской конкурс Тараза");
    let made = post(
        &app,
        &app.token,
        &format!("/api/v1/competitions/{upper}/stage-invitations"),
        &json!({}),
    );
    let their_link = post(
        &app,
        &other,
        "/api/v1/stage-links",
        &json!({"token": made.json()["token"], "competition_id": theirs}),
    );
    assert_eq!(their_link.status, 201, "{}", their_link.text());
    let their_link = their_link.json()["id"].as_str().unwrap().to_string();
    let mut taraz = Browser::new(&app);
    assert_eq!(taraz.sign_in("gorod@taraz.kz", PASSWORD).status, 303);
    let tcsrf = taraz.csrf();
    let foreign = taraz.post(
        &format!("/app/stage-links/{their_link}/forward"),
        &[("csrf", &tcsrf), ("mode", "table"), ("upload", &upload)],
    );
    assert_eq!(foreign.status, 404);
    let made_up = gorod.post(
        &format!("/app/stage-links/{link}/forward"),
        &[("csrf", &csrf), ("mode", "table"), ("upload", &"0".repeat(32))],
    );
    assert_eq!(made_up.status, 404);

    let sent = gorod.post(
        &format!("/app/stage-links/{link}/forward"),
        &[("csrf", &csrf), ("mode", "table"), ("upload", &upload)],
    );
    assert_eq!(sent.status, 303, "{}", sent.text());
    assert!(
        sent.location().contains("done=forwarded&n=1000"),
        "{}",
        sent.location()
    );
    let feeding = app.get(&format!("/api/v1/competitions/{upper}/feeding"), Some(&app.token));
    let entries = feeding.json()["entries"].as_array().unwrap().len();
    assert_eq!(entries, 1000, "every winner arrived, once");

    // The kept file went with the sending: the same button again finds nothing to send.
    let again = gorod.post(
        &format!("/app/stage-links/{link}/forward"),
        &[("csrf", &csrf), ("mode", "table"), ("upload", &upload)],
    );
    assert_eq!(again.status, 404);
}
