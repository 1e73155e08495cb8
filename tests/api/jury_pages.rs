//! The jury run from the pages (no scripts): a person seated as judge and chair, scores in their
//! own page, the rules, the ranking applied as awards and the protocol in the organizer's page, the
//! sign-off in the chair's page; and each rule refused alike on the API and the page path.

use serde_json::json;

use crate::helpers::{collapse_whitespace, pdf_text, TestApp};
use crate::webapp::{account, Browser, PASSWORD};

const RESULTS: &str = "ФИО,Организация,Номинация\nИванов Иван,СОШ №1,Техника\nПетрова Анна,СОШ №2,Техника\nКим Олег,СОШ №3,Техника\n";

struct Jury {
    app: TestApp,
    organizer: Browser,
    judge: Browser,
}

/// A competition with results and one criterion, and the jury person seated through the page:
/// the first judge appointed, so the chair.
fn seated(app: TestApp) -> (Jury, String, String) {
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let id = app.create_competition("Робототехника");
    assert_eq!(app.upload(&id, RESULTS).status, 200);
    let criteria = app.post(
        &format!("/api/v1/competitions/{id}/criteria"),
        Some(&app.token),
        "application/json",
        json!([{"name": "Идея", "max_points": 10}]).to_string().as_bytes(),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());

    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = organizer.get(&format!("/app/competitions/{id}")).text();
    let marker = r#"name="user"><option value=""#;
    let at = page.find(marker).expect("the jury person is offered") + marker.len();
    let user_id = page[at..at + 36].to_string();
    let csrf = organizer.csrf();
    let seated = organizer.post(
        &format!("/app/competitions/{id}/judges"),
        &[("csrf", &csrf), ("user", &user_id), ("organization", "Гороно")],
    );
    assert_eq!(seated.status, 303, "{}", seated.text());
    let state = app
        .get(
            &format!("/api/v1/competitions/{id}/jury/sign-off"),
            Some(&app.token),
        )
        .json();
    let judge_id = state["chair"]["id"].as_str().expect("a chair").to_string();

    let mut judge = Browser::new(&app);
    judge.sign_in("expert@dvorets.kz", PASSWORD);
    (
        Jury {
            app,
            organizer,
            judge,
        },
        id,
        judge_id,
    )
}

#[test]
fn after_the_chairs_sign_off_criteria_rules_and_judges_are_refused_on_both_paths() {
    let (mut jury, id, judge_id) = seated(TestApp::spawn());
    let csrf = jury.judge.get("/app/jury").csrf();
    let signed = jury
        .judge
        .post(&format!("/app/jury/{judge_id}/sign-off"), &[("csrf", &csrf)]);
    assert_eq!(signed.status, 303, "{}", signed.text());
    assert!(jury
        .judge
        .get(&format!("/app/jury/{judge_id}"))
        .text()
        .contains(r#"id="signed""#));

    // Criteria: the API and the page are the same service.
    let api = jury.app.post(
        &format!("/api/v1/competitions/{id}/criteria"),
        Some(&jury.app.token),
        "application/json",
        json!([{"name": "Новое", "max_points": 5}]).to_string().as_bytes(),
    );
    assert_eq!(api.status, 409, "{}", api.text());
    let csrf = jury.organizer.csrf();
    let page = jury.organizer.post(
        &format!("/app/competitions/{id}/criteria"),
        &[("csrf", &csrf), ("criteria", "Новое; 5")],
    );
    assert_eq!(
        page.status,
        409,
        "the page refuses what the API refuses: {}",
        page.text()
    );
    let criteria = jury
        .app
        .get(
            &format!("/api/v1/competitions/{id}/criteria"),
            Some(&jury.app.token),
        )
        .json();
    assert_eq!(criteria.as_array().unwrap().len(), 1, "{criteria}");
    assert_eq!(criteria[0]["name"], "Идея");

    // Rules and a new judge: refused alike.
    let rules = jury.organizer.post(
        &format!("/app/competitions/{id}/jury/rules"),
        &[("csrf", &csrf), ("aggregation", "sum"), ("rule", "places")],
    );
    assert_eq!(rules.status, 409, "{}", rules.text());
    let api = jury.app.post(
        &format!("/api/v1/competitions/{id}/judges"),
        Some(&jury.app.token),
        "application/json",
        json!({"name": "Поздний эксперт", "organization": "Гороно"})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(api.status, 409, "{}", api.text());
}

/// The entries in the judge's own page: (holder, entry id), as a person sees and submits them.
fn entry_ids(page: &str) -> Vec<(String, String)> {
    page.match_indices(r#"id="entry-"#)
        .map(|(at, marker)| {
            let id = page[at + marker.len()..at + marker.len() + 36].to_string();
            // "<h2><a …>Работа № 2 · Иванов Иван</a>": the name after the number.
            let h2 = at + page[at..].find("<h2>").unwrap() + 4;
            let text = page[h2..]
                .strip_prefix("<a")
                .map_or(&page[h2..], |rest| &rest[rest.find('>').unwrap() + 1..]);
            let heading: String = text.chars().take_while(|c| *c != '<').collect();
            let holder = heading.rsplit(" · ").next().unwrap_or_default();
            (holder.trim().to_string(), id)
        })
        .collect()
}

#[test]
fn a_jury_judged_competition_is_scored_ranked_and_signed_in_the_pages() {
    let (mut jury, id, judge_id) = seated(TestApp::spawn());
    let criterion = jury
        .app
        .get(
            &format!("/api/v1/competitions/{id}/criteria"),
            Some(&jury.app.token),
        )
        .json()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let csrf = jury.judge.get("/app/jury").csrf();
    let entries = entry_ids(&jury.judge.get(&format!("/app/jury/{judge_id}")).text());
    assert_eq!(entries.len(), 3, "{entries:?}");
    for (holder, entry) in entries {
        let points = match holder.as_str() {
            "Иванов Иван" => "10",
            "Петрова Анна" => "7",
            _ => "5",
        };
        let scored = jury.judge.post(
            &format!("/app/jury/{judge_id}/entries/{entry}"),
            &[("csrf", &csrf), (&format!("p-{criterion}"), points)],
        );
        assert_eq!(scored.status, 303, "{}", scored.text());
    }

    let csrf = jury.organizer.csrf();
    let rules = jury.organizer.post(
        &format!("/app/competitions/{id}/jury/rules"),
        &[
            ("csrf", &csrf),
            ("aggregation", "mean"),
            ("rule", "places"),
            ("grand_prix_percent", "90"),
            ("laureates_to_place", ""),
        ],
    );
    assert_eq!(rules.status, 303, "{}", rules.text());
    let page = jury.organizer.get(&format!("/app/competitions/{id}")).text();
    assert!(
        page.contains(r#"id="grand_prix_percent" name="grand_prix_percent" inputmode="decimal" value="90""#)
    );

    let pdf = jury
        .organizer
        .get(&format!("/app/competitions/{id}/jury/protocol.pdf"));
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("protocol.pdf"), &pdf.body).unwrap();
    let text = collapse_whitespace(&pdf_text(&dir.path().join("protocol.pdf")));
    assert!(
        text.contains("Иванов Иван") && text.contains("Петрова Анна"),
        "{text}"
    );
    let xlsx = jury
        .organizer
        .get(&format!("/app/competitions/{id}/jury/protocol.xlsx"));
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"));

    let csrf = jury.judge.get("/app/jury").csrf();
    let signed = jury
        .judge
        .post(&format!("/app/jury/{judge_id}/sign-off"), &[("csrf", &csrf)]);
    assert_eq!(signed.status, 303, "{}", signed.text());
    let csrf = jury.organizer.csrf();
    let applied = jury.organizer.post(
        &format!("/app/competitions/{id}/jury/results"),
        &[("csrf", &csrf)],
    );
    assert_eq!(applied.status, 303, "{}", applied.text());
    assert!(
        applied.location().contains("done=jury_applied&n=3"),
        "{}",
        applied.location()
    );

    let rows = jury.app.results_csv(&id);
    let award = |holder: &str| {
        rows.iter()
            .find(|r| r[1] == holder)
            .map(|r| r.last().unwrap().clone())
            .unwrap()
    };
    assert_eq!(
        award("Иванов Иван"),
        "Гран-при",
        "a unique top score at 100 % of the maximum"
    );
    assert_eq!(award("Петрова Анна"), "II место");
    assert_eq!(award("Ким Олег"), "III место");
    let page = jury.organizer.get(&format!("/app/competitions/{id}")).text();
    assert!(page.contains("Test jury"), "the protocol says who signed");
}
