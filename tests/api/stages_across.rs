//! Stages across organizations (issue 23, part 6): a municipal organization's competition feeds a
//! regional one run by another organization on the same server, and the regional one feeds the
//! republican stage the same way. The municipal organizer forwards 5 winners from an uploaded table
//! and 5 from jury scores; neither organization reads the other's other data; a third organization
//! without the link can do nothing. Through the API and through the pages.

use serde_json::{json, Value};

use crate::helpers::{query_value, Reply, TestApp};
use crate::webapp::{account, Browser, PASSWORD};

pub(crate) const HEADER: &str = "ФИО,Школа,Регион,Город/село,Руководитель,Номинация,Возрастная категория,Email,Телефон,Дата рождения,Место\n";

pub(crate) fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Reply {
    app.post(path, Some(token), "application/json", body.to_string().as_bytes())
}

pub(crate) fn competition(app: &TestApp, token: &str, title: &str) -> String {
    let reply = post(
        app,
        token,
        "/api/v1/competitions",
        &json!({"title": title, "language": "ru", "level": "district", "letters": false}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_string()
}

pub(crate) fn upload(app: &TestApp, token: &str, competition: &str, csv: &str) {
    let reply = app.post(
        &format!("/api/v1/competitions/{competition}/results"),
        Some(token),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// A municipal row: the participant with what only the municipal organization should hold
/// (e-mail, phone, birth date).
pub(crate) fn row(name: &str, i: usize, nomination: &str, place: &str) -> String {
    format!(
        "{name},Школа-лицей №{i},Павлодарская область,село,Ахметова Г.С.,{nomination},10-12 лет,child{i}@family.kz,+7 701 555 00 {i:02},2014-03-{:02},{place}\n",
        i % 28 + 1
    )
}

/// Eight drawings scored by a judge of the municipal organization: 10, 9, … 3 points.
fn score_drawings(app: &TestApp, token: &str, competition: &str) {
    let base = format!("/api/v1/competitions/{competition}");
    let criteria = post(
        app,
        token,
        &format!("{base}/criteria"),
        &json!([{"name": "Идея", "max_points": 10}]),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    let judge = post(
        app,
        token,
        &format!("{base}/judges"),
        &json!({"name": "Эксперт", "organization": "Гороно"}),
    );
    assert_eq!(judge.status, 201, "{}", judge.text());
    let judge = judge.json()["token"].as_str().unwrap().to_string();
    let criterion = app.get(&format!("{base}/criteria"), Some(&judge)).json()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let entries = app.get(&format!("{base}/entries"), Some(&judge)).json();
    for entry in entries.as_array().unwrap() {
        let holder = entry["holder"].as_str().unwrap();
        let n: i64 = holder
            .trim_start_matches("Рисунков Ученик")
            .trim()
            .parse()
            .unwrap();
        let id = entry["id"].as_str().unwrap();
        let reply = app.put_json(
            &format!("{base}/entries/{id}/scores"),
            &judge,
            &json!({ criterion.clone(): 11 - n }),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
}

fn holders(list: &Value) -> Vec<String> {
    let mut names: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["holder"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_municipal_organization_forwards_winners_into_another_organizations_regional_stage() {
    let app = TestApp::spawn();
    let regional = app.token.clone();
    let municipal = TestApp::token_for(&app.settings, "ekibastuz-gorono");
    let stranger = TestApp::token_for(&app.settings, "stranger-center");

    // The regional organization's competition, with one entry of its own.
    let upper = competition(&app, &regional, "Областной конкурс «Шабыт»");
    upload(
        &app,
        &regional,
        &upper,
        &format!("{HEADER}{}", row("Облысов Свой Участник", 1, "Рисунок", "")),
    );

    // The municipal organization: the competition that feeds, and another it keeps to itself.
    let lower = competition(&app, &municipal, "Городской конкурс «Шабыт»");
    let private = competition(&app, &municipal, "Городская олимпиада по математике");
    upload(
        &app,
        &municipal,
        &private,
        &format!(
            "{HEADER}{}",
            row("Секретов Тайный Ученик", 3, "Математика", "1 место")
        ),
    );
    let mut csv = String::from(HEADER);
    for n in 1..=8 {
        csv.push_str(&row(&format!("Рисунков Ученик {n}"), n, "Рисунок", ""));
    }
    upload(&app, &municipal, &lower, &csv);
    score_drawings(&app, &municipal, &lower);

    // The regional organizer makes an invitation link with a quota of 5 per nomination and age group.
    let made = post(
        &app,
        &regional,
        &format!("/api/v1/competitions/{upper}/stage-invitations"),
        &json!({"addressee": "Отдел образования г. Экибастуза", "quota": 5, "days": 14}),
    );
    assert_eq!(made.status, 201, "{}", made.text());
    let invitation = made.json();
    let token = invitation["token"].as_str().unwrap().to_string();
    let invitation_id = invitation["id"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 64);
    assert!(invitation["link"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/app/stage-invite/{token}")));
    assert_eq!(invitation["state"], "open");
    let listed = app.get(
        &format!("/api/v1/competitions/{upper}/stage-invitations"),
        Some(&regional),
    );
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json()[0]["state"], "open");
    assert!(
        !listed.text().contains(&token),
        "the token is shown once and stored as a hash"
    );

    // A third organization without the link can do nothing.
    let guessed = "0123456789abcdef".repeat(4);
    assert_eq!(
        post(
            &app,
            &stranger,
            "/api/v1/stage-invitations/terms",
            &json!({"token": guessed})
        )
        .status,
        404
    );
    assert_eq!(
        post(
            &app,
            &stranger,
            "/api/v1/stage-links",
            &json!({"token": guessed, "competition_id": lower})
        )
        .status,
        404
    );
    for path in [
        format!("/api/v1/competitions/{upper}/feeding"),
        format!("/api/v1/competitions/{upper}/stage-invitations"),
        format!("/api/v1/competitions/{lower}/feeds"),
    ] {
        assert_eq!(app.get(&path, Some(&stranger)).status, 404, "{path}");
    }
    assert_eq!(
        post(
            &app,
            &stranger,
            &format!("/api/v1/stage-invitations/{invitation_id}/revoke"),
            &json!({})
        )
        .status,
        404
    );

    // The municipal organizer sees the terms and links their competition.
    let terms = post(
        &app,
        &municipal,
        "/api/v1/stage-invitations/terms",
        &json!({"token": token}),
    );
    assert_eq!(terms.status, 200, "{}", terms.text());
    assert_eq!(terms.json()["upper"]["competition"], "Областной конкурс «Шабыт»");
    assert_eq!(terms.json()["quota"], 5);
    // Not with a competition of another organization.
    let foreign = post(
        &app,
        &municipal,
        "/api/v1/stage-links",
        &json!({"token": token, "competition_id": upper}),
    );
    assert_eq!(foreign.status, 404, "{}", foreign.text());
    let linked = post(
        &app,
        &municipal,
        "/api/v1/stage-links",
        &json!({"token": token, "competition_id": lower}),
    );
    assert_eq!(linked.status, 201, "{}", linked.text());
    let link = linked.json()["id"].as_str().unwrap().to_string();
    assert_eq!(linked.json()["lower"]["competition"], "Городской конкурс «Шабыт»");
    assert_eq!(
        linked.json()["upper"]["competition_id"].as_str(),
        Some(upper.as_str())
    );
    // The link is used once: nobody links with it again.
    let again = post(
        &app,
        &stranger,
        "/api/v1/stage-links",
        &json!({"token": token, "competition_id": lower}),
    );
    assert_eq!(again.status, 410, "{}", again.text());
    let again = post(
        &app,
        &municipal,
        "/api/v1/stage-links",
        &json!({"token": token, "competition_id": private}),
    );
    assert_eq!(again.status, 410);
    let feeds = app
        .get(&format!("/api/v1/competitions/{lower}/feeds"), Some(&municipal))
        .json();
    assert_eq!(feeds[0]["id"].as_str(), Some(link.as_str()));

    // 5 winners from the jury's scores: preview, then send; over the quota is refused whole.
    let base = format!("/api/v1/stage-links/{link}");
    let over = post(&app, &municipal, &format!("{base}/preview"), &json!({"top": 6}));
    assert_eq!(over.status, 409, "{}", over.text());
    assert!(over.text().contains("не более 5"), "{}", over.text());
    let preview = post(&app, &municipal, &format!("{base}/preview"), &json!({"top": 5}));
    assert_eq!(preview.status, 200, "{}", preview.text());
    assert_eq!(
        (preview.json()["new"].as_u64(), preview.json()["already"].as_u64()),
        (Some(5), Some(0))
    );
    assert_eq!(
        app.get(&format!("/api/v1/competitions/{upper}/feeding"), Some(&regional))
            .json()["entries"],
        json!([])
    );
    let sent = post(&app, &municipal, &format!("{base}/forward"), &json!({"top": 5}));
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert_eq!(sent.json()["forwarded"], 5);
    let expected: Vec<String> = (1..=5).map(|n| format!("Рисунков Ученик {n}")).collect();
    assert_eq!(holders(&sent.json()["entries"]), expected);
    // Forwarding twice does not duplicate.
    let twice = post(&app, &municipal, &format!("{base}/forward"), &json!({"top": 5}));
    assert_eq!(
        (
            twice.json()["forwarded"].as_u64(),
            twice.json()["already"].as_u64()
        ),
        (Some(0), Some(5))
    );

    // 5 winners from an uploaded table of another nomination (two rows are participants only).
    let mut table = String::from(HEADER);
    for (n, place) in [
        "1 место",
        "2 место",
        "2 место",
        "3 место",
        "Гран-при",
        "Участник",
        "Участник",
    ]
    .iter()
    .enumerate()
    {
        table.push_str(&row(
            &format!("Вокалова Певица {}", n + 1),
            n + 20,
            "Вокал",
            place,
        ));
    }
    let table_preview = app.post(
        &format!("{base}/table/preview"),
        Some(&municipal),
        "text/csv",
        table.as_bytes(),
    );
    assert_eq!(table_preview.status, 200, "{}", table_preview.text());
    assert_eq!(table_preview.json()["new"], 5);
    let all_rows = app.post(
        &format!(
            "{base}/table?categories={}",
            query_value("grand_prix,winner,prize_winner,participant")
        ),
        Some(&municipal),
        "text/csv",
        table.as_bytes(),
    );
    assert_eq!(
        all_rows.status,
        409,
        "7 of «Вокал» is over the quota: {}",
        all_rows.text()
    );
    let from_table = app.post(
        &format!("{base}/table"),
        Some(&municipal),
        "text/csv",
        table.as_bytes(),
    );
    assert_eq!(from_table.status, 200, "{}", from_table.text());
    assert_eq!(from_table.json()["forwarded"], 5);
    let twice = app.post(
        &format!("{base}/table"),
        Some(&municipal),
        "text/csv",
        table.as_bytes(),
    );
    assert_eq!(twice.json()["forwarded"], 0);

    // The regional competition shows where each entry came from, and counts by organization.
    let feeding = app.get(&format!("/api/v1/competitions/{upper}/feeding"), Some(&regional));
    assert_eq!(feeding.status, 200, "{}", feeding.text());
    let feeding = feeding.json();
    let entries = feeding["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 10);
    assert!(entries
        .iter()
        .all(|e| e["from_competition"] == "Городской конкурс «Шабыт»"));
    assert!(entries
        .iter()
        .all(|e| e["link_id"].as_str() == Some(link.as_str())));
    assert_eq!(feeding["by_organization"].as_array().unwrap().len(), 1);
    assert_eq!(feeding["by_organization"][0]["entries"], 10);
    let singer = entries
        .iter()
        .find(|e| e["holder"] == "Вокалова Певица 1")
        .unwrap();
    assert_eq!(singer["school"], "Школа-лицей №20");
    assert_eq!(singer["region"], "Павлодарская область");
    assert_eq!(singer["settlement_type"], "rural");
    assert_eq!(singer["supervisor"], "Ахметова Г.С.");
    assert_eq!(
        (singer["nomination"].as_str(), singer["age_group"].as_str()),
        (Some("Вокал"), Some("10-12 лет"))
    );
    // The forwarded entries are the regional competition's own: 11 with its own, no e-mail, phone,
    // birth date or municipal award among them.
    let rows = app.results_csv(&upper);
    assert_eq!(rows.len(), 12, "a header and 11 entries");
    let all = rows
        .iter()
        .filter(|r| !r.concat().contains("Облысов"))
        .map(|r| r.join(" "))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        !all.contains("family.kz") && !all.contains("+7 701") && !all.contains("2014-03"),
        "{all}"
    );
    assert!(!feeding.to_string().contains("family.kz"));

    // Neither organization reads the other's other data.
    for path in [
        format!("/api/v1/competitions/{lower}"),
        format!("/api/v1/competitions/{private}"),
        format!("/api/v1/competitions/{lower}/results.csv"),
        format!("/api/v1/competitions/{private}/results.csv"),
        format!("/api/v1/competitions/{lower}/entries"),
        format!("/api/v1/competitions/{lower}/feeds"),
        format!("/api/v1/competitions/{lower}/jury/protocol.csv"),
        format!("{base}/forwarded"),
    ] {
        let reply = app.get(&path, Some(&regional));
        // 404 as for a missing one (the jury's entry list answers an organizer's token with 401).
        assert!(
            [401, 404].contains(&reply.status) && !reply.text().contains("Ученик"),
            "the regional organizer reads {path}: {} {}",
            reply.status,
            reply.text()
        );
    }
    assert_eq!(
        post(&app, &regional, &format!("{base}/forward"), &json!({"top": 1})).status,
        404
    );
    let regional_persons = app.get("/api/v1/persons", Some(&regional)).text();
    assert!(!regional_persons.contains("Секретов") && !regional_persons.contains("Рисунков Ученик 8"));
    for path in [
        format!("/api/v1/competitions/{upper}"),
        format!("/api/v1/competitions/{upper}/results.csv"),
        format!("/api/v1/competitions/{upper}/feeding"),
        format!("/api/v1/competitions/{upper}/stage-invitations"),
        format!("/api/v1/competitions/{upper}/documents"),
    ] {
        let reply = app.get(&path, Some(&municipal));
        assert_eq!(
            reply.status,
            404,
            "the municipal organizer reads {path}: {}",
            reply.text()
        );
    }
    let municipal_persons = app.get("/api/v1/persons", Some(&municipal)).text();
    assert!(!municipal_persons.contains("Облысов"));
    // A stranger cannot send through the link, nor read what went through it.
    assert_eq!(
        post(&app, &stranger, &format!("{base}/forward"), &json!({"top": 5})).status,
        404
    );
    assert_eq!(app.get(&format!("{base}/forwarded"), Some(&stranger)).status, 404);

    // The regional organizer refuses one entry; the municipal one sees it, and it is not sent again.
    let refused_id = entries
        .iter()
        .find(|e| e["holder"] == "Рисунков Ученик 5")
        .unwrap()["entry_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        post(
            &app,
            &municipal,
            &format!("/api/v1/competitions/{upper}/feeding/{refused_id}/refuse"),
            &json!({})
        )
        .status,
        404
    );
    let refuse = post(
        &app,
        &regional,
        &format!("/api/v1/competitions/{upper}/feeding/{refused_id}/refuse"),
        &json!({}),
    );
    assert_eq!(refuse.status, 200, "{}", refuse.text());
    let feeding = app
        .get(&format!("/api/v1/competitions/{upper}/feeding"), Some(&regional))
        .json();
    assert_eq!(feeding["entries"].as_array().unwrap().len(), 9);
    assert_eq!(feeding["refused"][0]["holder"], "Рисунков Ученик 5");
    let forwarded = app.get(&format!("{base}/forwarded"), Some(&municipal));
    assert_eq!(forwarded.status, 200, "{}", forwarded.text());
    let forwarded = forwarded.json();
    assert_eq!(forwarded["entries"].as_array().unwrap().len(), 10);
    let fifth = forwarded["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["holder"] == "Рисунков Ученик 5")
        .unwrap();
    assert_eq!(fifth["status"], "refused");
    assert!(
        !forwarded.to_string().contains("Облысов"),
        "the regional organization's own entries stay its own"
    );
    let after = post(&app, &municipal, &format!("{base}/forward"), &json!({"top": 5}));
    assert_eq!(after.json()["forwarded"], 0);
    assert_eq!(app.results_csv(&upper).len(), 11);

    // Revoked, the link sends nothing more.
    let revoked = post(
        &app,
        &regional,
        &format!("/api/v1/stage-invitations/{invitation_id}/revoke"),
        &json!({}),
    );
    assert_eq!(revoked.status, 200);
    assert_eq!(revoked.json()["state"], "revoked");
    let refused = post(&app, &municipal, &format!("{base}/forward"), &json!({"top": 6}));
    assert_eq!(refused.status, 409, "{}", refused.text());

    // Regional → republican: the same mechanism one level up.
    let republican = TestApp::token_for(&app.settings, "respublika-center");
    let top = competition(&app, &republican, "Республиканский конкурс «Шабыт»");
    let made = post(
        &app,
        &republican,
        &format!("/api/v1/competitions/{top}/stage-invitations"),
        &json!({}),
    );
    assert_eq!(made.status, 201, "{}", made.text());
    let token = made.json()["token"].as_str().unwrap().to_string();
    let linked = post(
        &app,
        &regional,
        "/api/v1/stage-links",
        &json!({"token": token, "competition_id": upper}),
    );
    assert_eq!(linked.status, 201, "{}", linked.text());
    let up = linked.json()["id"].as_str().unwrap().to_string();
    let winners = format!(
        "{HEADER}{}{}",
        row("Вокалова Певица 1", 21, "Вокал", "1 место"),
        row("Рисунков Ученик 1", 2, "Рисунок", "Гран-при")
    );
    let sent = app.post(
        &format!("/api/v1/stage-links/{up}/table"),
        Some(&regional),
        "text/csv",
        winners.as_bytes(),
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert_eq!(sent.json()["forwarded"], 2);
    let feeding = app
        .get(&format!("/api/v1/competitions/{top}/feeding"), Some(&republican))
        .json();
    assert_eq!(feeding["entries"].as_array().unwrap().len(), 2);
    assert!(feeding["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["from_competition"] == "Областной конкурс «Шабыт»"));
    assert!(
        !feeding.to_string().contains("Городской"),
        "the republican stage sees the region, not the city"
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/competitions/{upper}/feeding"),
            Some(&republican)
        )
        .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/competitions/{lower}/feeds"), Some(&republican))
            .status,
        404
    );
}

/// The hidden value of a form field on a page, unescaped.
pub(crate) fn hidden_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no field {name}")) + marker.len();
    let end = start + page[start..].find('"').unwrap();
    page[start..end]
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn stages_across_organizations_in_the_pages() {
    let app = TestApp::spawn();
    let municipal = TestApp::token_for(&app.settings, "pavlodar-gorono");
    account(&app.settings, "dvorets-test", "oblast@dvorets.kz", "organizer");
    account(&app.settings, "pavlodar-gorono", "gorod@gorono.kz", "organizer");
    account(
        &app.settings,
        "stranger-center",
        "chuzhoi@stranger.kz",
        "organizer",
    );

    let upper = competition(&app, &app.token, "Областной конкурс «Жас таланттар»");
    let lower = competition(&app, &municipal, "Городской конкурс «Жас таланттар»");
    let mut csv = String::from(HEADER);
    for (n, place) in ["1 место", "2 место", "Участник"].iter().enumerate() {
        csv.push_str(&row(&format!("Қалалық Қатысушы {}", n + 1), n + 1, "Би", place));
    }
    upload(&app, &municipal, &lower, &csv);

    // The regional organizer makes a link on the competition's stages page.
    let mut oblast = Browser::new(&app);
    assert_eq!(oblast.sign_in("oblast@dvorets.kz", PASSWORD).status, 303);
    let detail = oblast.get(&format!("/app/competitions/{upper}")).text();
    assert!(detail.contains(&format!("/app/competitions/{upper}/stages")));
    let stages = oblast.get(&format!("/app/competitions/{upper}/stages"));
    assert_eq!(stages.status, 200, "{}", stages.text());
    let csrf = stages.csrf();
    let made = oblast.post(
        &format!("/app/competitions/{upper}/stage-invitations"),
        &[
            ("csrf", &csrf),
            ("addressee", "Павлодар қаласы"),
            ("quota", "3"),
            ("days", "10"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.text());
    let text = made.text().replace("&#x2f;", "/");
    let at = text.find("/app/stage-invite/").expect("the new link is shown") + "/app/stage-invite/".len();
    let token = text[at..at + 64].to_string();
    assert!(text.contains("Павлодар қаласы"));

    // A stranger's organizer can neither see the stages page nor use a guessed link.
    let mut stranger = Browser::new(&app);
    assert_eq!(stranger.sign_in("chuzhoi@stranger.kz", PASSWORD).status, 303);
    assert_eq!(
        stranger.get(&format!("/app/competitions/{upper}/stages")).status,
        404
    );
    assert_eq!(
        stranger
            .get(&format!("/app/stage-invite/{}", "ab".repeat(32)))
            .status,
        404
    );

    // The municipal organizer opens the link and links their competition.
    let mut gorod = Browser::new(&app);
    assert_eq!(gorod.sign_in("gorod@gorono.kz", PASSWORD).status, 303);
    let invite = gorod.get(&format!("/app/stage-invite/{token}"));
    assert_eq!(invite.status, 200, "{}", invite.text());
    assert!(invite.text().contains("Областной конкурс «Жас таланттар»"));
    assert!(
        invite.text().contains("Городской конкурс «Жас таланттар»"),
        "their own competitions to choose"
    );
    let csrf = invite.csrf();
    let linked = gorod.post(
        &format!("/app/stage-invite/{token}"),
        &[("csrf", &csrf), ("competition", &lower)],
    );
    assert_eq!(linked.status, 303, "{}", linked.text());
    assert!(linked
        .location()
        .starts_with(&format!("/app/competitions/{lower}/stages")));
    let page = gorod.get(&format!("/app/competitions/{lower}/stages")).text();
    assert!(page.contains("Областной конкурс «Жас таланттар»"));
    let at = page.find("/app/stage-links/").unwrap() + "/app/stage-links/".len();
    let link = page[at..at + 36].to_string();

    // Winners by award category: preview, then send.
    let csrf = gorod.csrf();
    let preview = gorod.post(
        &format!("/app/stage-links/{link}/preview"),
        &[
            ("csrf", &csrf),
            ("mode", "categories"),
            ("cat_winner", "on"),
            ("cat_prize_winner", "on"),
        ],
    );
    assert_eq!(preview.status, 200, "{}", preview.text());
    assert_eq!(preview.text().matches("class=\"planned-entry\"").count(), 2);
    let sent = gorod.post(
        &format!("/app/stage-links/{link}/forward"),
        &[
            ("csrf", &csrf),
            ("mode", "categories"),
            ("cat_winner", "on"),
            ("cat_prize_winner", "on"),
        ],
    );
    assert_eq!(sent.status, 303, "{}", sent.text());
    assert!(
        sent.location().contains("done=forwarded&n=2"),
        "{}",
        sent.location()
    );

    // From a table: the page reads it, shows it, and sends what it showed.
    let table = format!("{HEADER}{}", row("Кестелік Жеңімпаз", 9, "Ән", "1 место"));
    let preview = gorod.post_multipart(
        &format!("/app/stage-links/{link}/table"),
        &[("csrf", &csrf)],
        &[("file", "winners.csv", table.as_bytes())],
    );
    assert_eq!(preview.status, 200, "{}", preview.text());
    let text = preview.text();
    assert!(text.contains("Кестелік Жеңімпаз"));
    let upload = hidden_value(&text, "upload");
    let sent = gorod.post(
        &format!("/app/stage-links/{link}/forward"),
        &[("csrf", &csrf), ("mode", "table"), ("upload", &upload)],
    );
    assert_eq!(sent.status, 303, "{}", sent.text());
    assert!(sent.location().contains("n=1"), "{}", sent.location());
    let page = gorod.get(&format!("/app/competitions/{lower}/stages")).text();
    assert_eq!(
        page.matches("class=\"sent-entry\"").count(),
        3,
        "what was sent, and when"
    );

    // The regional page shows each entry's origin and the counts by organization.
    let page = oblast.get(&format!("/app/competitions/{upper}/stages")).text();
    assert_eq!(page.matches("class=\"forwarded-entry\"").count(), 3);
    assert!(page.contains("Городской конкурс «Жас таланттар»"));
    assert!(page.contains("Кестелік Жеңімпаз") && !page.contains("family.kz"));

    // Neither organizer opens the other's pages.
    assert_eq!(
        oblast.get(&format!("/app/competitions/{lower}/stages")).status,
        404
    );
    assert_eq!(oblast.get(&format!("/app/competitions/{lower}")).status, 404);
    assert_eq!(
        gorod.get(&format!("/app/competitions/{upper}/stages")).status,
        404
    );
    assert_eq!(gorod.get(&format!("/app/competitions/{upper}")).status, 404);
    let csrf_s = stranger.csrf();
    let foreign = stranger.post(
        &format!("/app/stage-links/{link}/forward"),
        &[("csrf", &csrf_s), ("mode", "top"), ("top", "3")],
    );
    assert_eq!(foreign.status, 404);

    // The regional organizer refuses one on the page.
    let at = page.find("/feeding/").unwrap() + "/feeding/".len();
    let entry = page[at..at + 36].to_string();
    let csrf = oblast.csrf();
    let refused = oblast.post(
        &format!("/app/competitions/{upper}/feeding/{entry}/refuse"),
        &[("csrf", &csrf)],
    );
    assert_eq!(refused.status, 303, "{}", refused.text());
    let page = oblast.get(&format!("/app/competitions/{upper}/stages")).text();
    assert_eq!(page.matches("class=\"forwarded-entry\"").count(), 2);
    let page = gorod.get(&format!("/app/competitions/{lower}/stages")).text();
    assert!(
        page.contains("отклонён"),
        "the municipal organizer sees the refusal"
    );
}
