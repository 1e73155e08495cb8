//! Review as experts do it (issue 23): scales as regulations write them (half points, a pass
//! threshold, the organizer's bands, the tie rule), the disagreement flag, blind review (no name
//! in anything a judge can reach), and 300 entries assigned to 9 judges with the ranking waiting
//! for the missing scores. By API and in the pages, on SQLite and PostgreSQL alike.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

fn criteria(app: &TestApp, competition: &str, body: Value) -> Vec<String> {
    let reply = app.post(
        &format!("/api/v1/competitions/{competition}/criteria"),
        Some(&app.token),
        "application/json",
        body.to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

fn judge(app: &TestApp, competition: &str, name: &str, organization: &str) -> (String, String) {
    let reply = app.post(
        &format!("/api/v1/competitions/{competition}/judges"),
        Some(&app.token),
        "application/json",
        json!({"name": name, "organization": organization})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let body = reply.json();
    (
        body["id"].as_str().unwrap().to_string(),
        body["token"].as_str().unwrap().to_string(),
    )
}

fn entries_of(app: &TestApp, competition: &str, token: &str) -> Vec<Value> {
    let reply = app.get(
        &format!("/api/v1/competitions/{competition}/entries"),
        Some(token),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json().as_array().unwrap().clone()
}

fn score(app: &TestApp, competition: &str, token: &str, entry: &str, body: &Value) -> crate::helpers::Reply {
    app.send(
        "PUT",
        &format!("/api/v1/competitions/{competition}/entries/{entry}/scores"),
        token,
        "application/json",
        body.to_string().as_bytes(),
    )
}

const FIVE_ENTRIES: &str = "ФИО,Организация,Номинация
Әлиева Дана,СОШ №1,Эссе
Бекова Аида,СОШ №2,Эссе
Ким Анна,СОШ №3,Эссе
Жұмабеков Дәулет,СОШ №4,Эссе
Өтегенов Ғалым,СОШ №5,Эссе
";

#[test]
fn half_points_a_threshold_five_bands_the_tie_rule_and_the_disagreement_flag() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Байқау «Менің Қазақстаным»");
    assert_eq!(app.upload(&competition, FIVE_ENTRIES).status, 200);
    let ids = criteria(
        &app,
        &competition,
        json!([{"name": "Идея", "max_points": 5, "step": 0.5}, {"name": "Язык", "max_points": 5, "step": 0.5}]),
    );
    let (idea, language) = (ids[0].clone(), ids[1].clone());
    let judges = [
        judge(&app, &competition, "Ахметова Гүлнар", "Гороно"),
        judge(&app, &competition, "Ким Олег", "Облоно"),
    ];
    // Five levels as a regulation writes them, on the mean of the judges' totals (0–10).
    let rules = json!({
        "aggregation": "mean", "pass_min": 3,
        "award_rule": {"kind": "bands", "bands": [
            {"label": "высокий", "min": 7.6, "award": "degree_1"},
            {"label": "выше среднего", "min": 5.1, "award": "degree_2"},
            {"label": "средний", "min": 3.1, "award": "degree_3"},
            {"label": "ниже среднего", "min": 1.6, "award": "participant"},
            {"label": "низкий", "min": 0, "award": "participant"}]},
        "tie_break": {"criterion_id": idea}, "spread": 2.5,
    });
    let set = app.post(
        &format!("/api/v1/competitions/{competition}/jury"),
        Some(&app.token),
        "application/json",
        rules.to_string().as_bytes(),
    );
    assert_eq!(set.status, 200, "{}", set.text());
    assert_eq!(set.json()["pass_min"], 3);
    assert_eq!(set.json()["award_rule"]["bands"][0]["min"], 7.6);

    let list = entries_of(&app, &competition, &judges[0].1);
    let id = |holder: &str| {
        list.iter().find(|e| e["holder"] == holder).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // (idea, language) from each judge: Дана and Аида tie on the total, Дана wins on the idea;
    // Анна and Дәулет tie on both; Ғалым's judges are 3 apart and he is under the threshold.
    let sheets = [
        ("Әлиева Дана", [(4.5, 4.0), (4.5, 4.0)]),
        ("Бекова Аида", [(4.0, 4.5), (4.0, 4.5)]),
        ("Ким Анна", [(3.0, 3.0), (3.0, 3.0)]),
        ("Жұмабеков Дәулет", [(3.0, 3.0), (3.0, 3.0)]),
        ("Өтегенов Ғалым", [(2.5, 1.5), (1.0, 0.0)]),
    ];
    for (holder, by_judge) in sheets {
        for ((_, token), (a, b)) in judges.iter().zip(by_judge) {
            let body = json!({"scores": {&idea: a, &language: b}, "remarks": {&idea: "Тема раскрыта"}, "remark": "Хорошая работа"});
            let reply = score(&app, &competition, token, &id(holder), &body);
            assert_eq!(reply.status, 200, "{holder}: {}", reply.text());
        }
    }
    let reply = score(
        &app,
        &competition,
        &judges[0].1,
        &id("Ким Анна"),
        &json!({&idea: 2.3, &language: 3}),
    );
    assert_eq!(reply.status, 400, "off the half-point step: {}", reply.text());
    let reply = score(
        &app,
        &competition,
        &judges[0].1,
        &id("Ким Анна"),
        &json!({&idea: 5.5, &language: 3}),
    );
    assert_eq!(reply.status, 400, "over the maximum");

    let ranking = app.get(
        &format!("/api/v1/competitions/{competition}/jury/ranking"),
        Some(&app.token),
    );
    assert_eq!(ranking.status, 200, "{}", ranking.text());
    let rows: Vec<(String, u64, String, String, bool, bool)> = ranking
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["holder"].as_str().unwrap().to_string(),
                r["place"].as_u64().unwrap(),
                r["award"].as_str().unwrap().to_string(),
                r["band"].as_str().unwrap_or("").to_string(),
                r["chair_decides"].as_bool().unwrap(),
                r["disagreement"].as_bool().unwrap(),
            )
        })
        .collect();
    let row = |h: &str, p: u64, a: &str, b: &str, c: bool, d: bool| {
        (h.to_string(), p, a.to_string(), b.to_string(), c, d)
    };
    assert_eq!(
        rows,
        [
            row("Әлиева Дана", 1, "degree_1", "высокий", false, false),
            row("Бекова Аида", 2, "degree_1", "высокий", false, false),
            row("Ким Анна", 3, "degree_2", "выше среднего", true, false),
            row("Жұмабеков Дәулет", 3, "degree_2", "выше среднего", true, false),
            row("Өтегенов Ғалым", 5, "participant", "ниже среднего", false, true),
        ]
    );

    // The protocol shows the half points, the levels and what the chair should look at.
    let csv = app.get(
        &format!("/api/v1/competitions/{competition}/jury/protocol.csv"),
        Some(&app.token),
    );
    let text = csv.text();
    let header = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        header.ends_with("Балл;Награда;Уровень;Примечание;Замечания экспертов"),
        "{header}"
    );
    assert!(text.contains("Ахметова Гүлнар (Идея): Тема раскрыта"), "{text}");
    assert!(text.contains("Ким Олег: Хорошая работа"), "{text}");
    assert!(text.contains("4.5;4"), "{text}");
    assert!(text.contains("оценки экспертов расходятся"), "{text}");
    assert!(text.contains("равенство: решает председатель"), "{text}");
    let pdf = app.get(
        &format!("/api/v1/competitions/{competition}/jury/protocol.pdf"),
        Some(&app.token),
    );
    assert_eq!(pdf.status, 200);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.pdf"), &pdf.body).unwrap();
    let printed = crate::helpers::collapse_whitespace(&crate::helpers::pdf_text(&dir.path().join("p.pdf")));
    for shown in ["Замечания экспертов", "Тема раскрыта", "расходятся", "высокий"]
    {
        assert!(printed.contains(shown), "{shown} in {printed}");
    }

    // A tie rule naming no criterion of this competition is refused.
    let bad = app.post(
        &format!("/api/v1/competitions/{competition}/jury"),
        Some(&app.token),
        "application/json",
        json!({"tie_break": {"criterion_id": "nope"}})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(bad.status, 400, "{}", bad.text());
}

#[test]
fn the_organizer_sets_thresholds_and_bands_with_decimal_commas_in_the_pages() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let competition = app.create_competition("Байқау");
    assert_eq!(app.upload(&competition, FIVE_ENTRIES).status, 200);
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let csrf = organizer.csrf();
    let set = organizer.post(
        &format!("/app/competitions/{competition}/criteria"),
        &[("csrf", &csrf), ("criteria", "Идея; 5; 0,5\nЯзык; 5; 0,5\n")],
    );
    assert_eq!(set.status, 303, "{}", set.text());
    let page = organizer.get(&format!("/app/competitions/{competition}")).text();
    assert!(page.contains("Идея; 5; 0,5"), "the step kept");
    let marker = r#"<option value=""#;
    let at = page.find("id=\"tie_criterion\"").unwrap();
    let from = at + page[at..].find(marker).unwrap() + marker.len();
    let from = from + page[from..].find(marker).unwrap() + marker.len();
    let idea = page[from..from + 36].to_string();
    let mut fields = vec![
        ("csrf", csrf.clone()),
        ("aggregation", "mean".into()),
        ("rule", "bands".into()),
        ("pass_min", "3,5".into()),
        ("spread", "2,5".into()),
        ("tie_criterion", idea),
    ];
    let bands = [
        ("высокий", "7,6", "degree_1"),
        ("выше среднего", "5,1", "degree_2"),
        ("средний", "3,1", "degree_3"),
        ("ниже среднего", "1,6", "participant"),
        ("низкий", "0", "participant"),
    ];
    let names: Vec<[String; 3]> = (0..5)
        .map(|i| {
            [
                format!("band_label_{i}"),
                format!("band_min_{i}"),
                format!("band_award_{i}"),
            ]
        })
        .collect();
    for (i, (label, min, award)) in bands.iter().enumerate() {
        fields.push((&names[i][0], label.to_string()));
        fields.push((&names[i][1], min.to_string()));
        fields.push((&names[i][2], award.to_string()));
    }
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = organizer.post(&format!("/app/competitions/{competition}/jury/rules"), &form);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let page = organizer.get(&format!("/app/competitions/{competition}")).text();
    for shown in [
        r#"value="3,5""#,
        r#"value="2,5""#,
        r#"value="7,6""#,
        r#"value="выше среднего""#,
    ] {
        assert!(page.contains(shown), "{shown} in the form");
    }
    // A band without a number is refused in the organizer's words, nothing stored.
    let mut broken = form.clone();
    broken.retain(|(k, _)| *k != "band_min_0");
    broken.push(("band_min_0", "высоко"));
    let refused = organizer.post(&format!("/app/competitions/{competition}/jury/rules"), &broken);
    assert_eq!(refused.status, 400, "{}", refused.text());
}

/// A PDF whose file name is the participant's name.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// An application with a work from the portal, accepted by the organizer: an entry with a work.
pub fn accepted_application(app: &TestApp, competition: &str, holder: &str, school: &str) {
    let mut parent = Browser::new(app);
    let csrf = parent.get(&format!("/c/{competition}/apply")).csrf();
    let applied = parent.post_multipart(
        &format!("/c/{competition}/apply"),
        &[
            ("csrf", &csrf),
            ("holder", holder),
            ("school", school),
            ("supervisor", "Серікова Гүлмира"),
            ("nomination", "Эссе"),
            ("email", "parent@family.test"),
            ("consent", "on"),
        ],
        &[("work", &format!("{holder}.pdf"), PDF)],
    );
    assert_eq!(applied.status, 200, "{}", applied.text());
    let listed = app
        .get(
            &format!("/api/v1/competitions/{competition}/applications"),
            Some(&app.token),
        )
        .json();
    let id = listed["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["holder"] == holder)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let accepted = app.post_json(
        &format!("/api/v1/applications/{id}/decision"),
        &json!({"decision": "accept"}),
    );
    assert_eq!(accepted.status, 200, "{}", accepted.text());
}

/// Seats the jury person in the organizer's page; gives the judge's signed-in browser and seat page.
pub fn seated_judge(app: &TestApp, competition: &str) -> (Browser, String) {
    let mut organizer = Browser::new(app);
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
    let mut judge = Browser::new(app);
    judge.sign_in("expert@dvorets.kz", PASSWORD);
    let seats = judge.get("/app/jury").text().replace("&#x2f;", "/");
    let at = seats.find("/app/jury/").expect("a seat");
    let seat = seats[at..at + seats[at..].find('"').unwrap()].to_string();
    (judge, seat)
}

/// Opens the call for applications with PDF works.
pub fn open_call(app: &TestApp, competition: &str) {
    let call = app.put_json(
        &format!("/api/v1/competitions/{competition}/call"),
        &app.token,
        &json!({"published": true, "deadline": "2099-12-20T23:59:00+05:00", "nominations": ["Эссе"],
                "file_kinds": ["pdf"]}),
    );
    assert_eq!(call.status, 200, "{}", call.text());
}

#[test]
fn a_blind_review_never_shows_the_judge_a_name_in_pages_api_or_downloads() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let competition = app.create_competition("Эссе байқауы");
    open_call(&app, &competition);
    accepted_application(&app, &competition, "Сейтқали Айгерім", "Гимназия «Ақ жол»");
    accepted_application(&app, &competition, "Нұрланұлы Ерасыл", "Лицей №5");
    let ids = criteria(
        &app,
        &competition,
        json!([{"name": "Идея", "max_points": 10, "step": 0.5}]),
    );
    let (mut judge, seat) = seated_judge(&app, &competition);
    let (_, token) = self::judge(&app, &competition, "Ким Олег", "Облоно");
    let set = app.put_json(
        &format!("/api/v1/competitions/{competition}/jury/blind"),
        &app.token,
        &json!({"blind": true}),
    );
    assert_eq!(set.status, 200, "{}", set.text());

    let secrets = ["Сейтқали", "Айгерім", "Нұрланұлы", "Ақ жол", "Лицей", "Серікова"];
    let leaks = |what: &str, text: &str| {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} in the judge's {what}: {text}");
        }
    };
    let list = judge.get(&seat);
    assert_eq!(list.status, 200);
    let list = list.text().replace("&#x2f;", "/");
    leaks("list", &list);
    assert!(list.contains("Работа № 1"), "{list}");
    let at = list.find(&format!("{seat}/entries/")).expect("an entry link");
    let entry_page = list[at..at + list[at..].find('#').unwrap()].to_string();
    let entry = judge.get(&entry_page);
    assert_eq!(entry.status, 200);
    let entry = entry.text().replace("&#x2f;", "/");
    leaks("entry page", &entry);
    assert!(entry.contains("<iframe"), "the PDF in front of the judge");
    let at = entry.find("/app/works/").unwrap();
    let work = &entry[at..at + entry[at..].find('"').unwrap()];
    let file = judge.get(work);
    assert_eq!(file.status, 200);
    assert_eq!(file.body, PDF);
    let disposition = file.headers["content-disposition"].clone();
    assert!(disposition.contains("work-1.pdf"), "{disposition}");
    leaks("download", &disposition);

    // The API judge's list: numbers, no names, no organizations, no file names.
    let json = app
        .get(
            &format!("/api/v1/competitions/{competition}/entries"),
            Some(&token),
        )
        .text();
    leaks("JSON", &json);
    assert!(json.contains("\"number\":1"), "{json}");
    // A blind judge's score sheet finds entries by number only, and its errors name no one.
    let sheet = |csv: &str| {
        app.post(
            &format!("/api/v1/competitions/{competition}/scores"),
            Some(&token),
            "application/octet-stream",
            csv.as_bytes(),
        )
    };
    let by_name = sheet("ФИО;Идея\nСейтқали Айгерім;5\n");
    assert_eq!(by_name.status, 422, "{}", by_name.text());
    assert!(by_name.text().contains("№"), "{}", by_name.text());
    let by_number = sheet("№;ФИО;Идея\n2;Кто-то;6,5\n");
    assert_eq!(by_number.status, 200, "{}", by_number.text());
    leaks("sheet report", &by_number.text());

    // Half points and remarks from the page; decimal comma.
    let csrf = judge.get("/app/jury").csrf();
    let entry_id = entry_page.rsplit('/').next().unwrap();
    let saved = judge.post(
        &entry_page,
        &[
            ("csrf", &csrf),
            (&format!("p-{}", ids[0]), "7,5"),
            (&format!("r-{}", ids[0]), "Сильная идея"),
            ("remark", "Оформить ссылки"),
            ("next", "1"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert!(
        saved.location().contains("/entries/"),
        "on to the next one: {}",
        saved.location()
    );
    assert!(!saved.location().contains(entry_id), "another entry");
    let again = judge.get(&entry_page).text();
    assert!(again.contains(r#"value="7,5""#), "{again}");
    assert!(again.contains("Сильная идея") && again.contains("Оформить ссылки"));
    let off_step = judge.post(&entry_page, &[("csrf", &csrf), (&format!("p-{}", ids[0]), "7,3")]);
    assert_eq!(off_step.status, 400, "{}", off_step.text());
    assert!(
        off_step.text().contains(r#"value="7,3""#),
        "what was typed comes back"
    );

    // The organizer still sees the names; with the review open again, so does the judge.
    let open = app.put_json(
        &format!("/api/v1/competitions/{competition}/jury/blind"),
        &app.token,
        &json!({"blind": false}),
    );
    assert_eq!(open.status, 200);
    assert!(judge.get(&seat).text().contains("Сейтқали Айгерім"));
}

#[test]
fn three_hundred_entries_go_to_nine_judges_three_each_and_the_ranking_waits() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Облыстық шығармашылық байқауы");
    let nominations = ["Вокал", "Хореография", "Живопись"];
    let mut csv = String::from("ФИО,Организация,Номинация\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "Қатысушы {i:03},Школа №{},{}\n",
            i % 12 + 1,
            nominations[i % 3]
        ));
    }
    assert_eq!(app.upload(&competition, &csv).status, 200);
    let ids = criteria(
        &app,
        &competition,
        json!([{"name": "Мастерство", "max_points": 10}]),
    );
    let judges: Vec<(String, String, String)> = (0..9)
        .map(|i| {
            let organization = format!("Школа №{}", i + 1);
            let (id, token) = judge(&app, &competition, &format!("Эксперт {i}"), &organization);
            (id, token, organization)
        })
        .collect();
    // Before assignments every judge sees every entry.
    let entries = entries_of(&app, &competition, &judges[0].1);
    assert_eq!(entries.len(), 300);
    let base = format!("/api/v1/competitions/{competition}/jury/assignments");
    let board = app.post(
        &base,
        Some(&app.token),
        "application/json",
        json!({"judges_per_entry": 3}).to_string().as_bytes(),
    );
    assert_eq!(board.status, 200, "{}", board.text());
    let board = board.json();
    let reviewers = board["reviewers"].as_object().unwrap();
    assert_eq!(reviewers.len(), 300, "every entry has judges");
    let school: HashMap<String, String> = app
        .results_csv(&competition)
        .into_iter()
        .skip(1)
        .map(|r| (r[1].clone(), r[3].clone()))
        .collect();
    let organization_of: HashMap<&str, &str> = judges
        .iter()
        .map(|(id, _, o)| (id.as_str(), o.as_str()))
        .collect();
    let mut loads: HashMap<&str, usize> = HashMap::new();
    for (entry, assigned) in reviewers {
        let assigned: HashSet<&str> = assigned
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j.as_str().unwrap())
            .collect();
        assert_eq!(assigned.len(), 3, "{entry}");
        for judge in assigned {
            *loads.entry(judge).or_default() += 1;
            let _ = organization_of[judge];
        }
    }
    let (min, max) = (loads.values().min().unwrap(), loads.values().max().unwrap());
    assert!(max - min <= 1, "{loads:?}");
    assert_eq!(loads.len(), 9);

    // No judge has an entry of their own school: each judge's list holds only theirs, none conflicting.
    let mut given: HashMap<String, Vec<Value>> = HashMap::new();
    for (id, token, organization) in &judges {
        let mine = entries_of(&app, &competition, token);
        assert_eq!(
            mine.len(),
            loads[id.as_str()],
            "a judge sees only their own entries"
        );
        for e in &mine {
            assert_ne!(e["organization"].as_str(), Some(organization.as_str()));
            assert!(!e["conflict_of_interest"].as_bool().unwrap());
        }
        given.insert(id.clone(), mine);
    }
    assert!(!school.is_empty());

    // Someone else's entry is refused; a conflicting judge cannot be given one by hand either.
    let (first_id, first_token, first_organization) = &judges[0];
    let mine: HashSet<&str> = given[first_id]
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let other = entries
        .iter()
        .find(|e| !mine.contains(e["id"].as_str().unwrap()))
        .unwrap();
    let refused = score(
        &app,
        &competition,
        first_token,
        other["id"].as_str().unwrap(),
        &json!({&ids[0]: 5}),
    );
    assert_eq!(refused.status, 409, "{}", refused.text());
    let own_school = entries
        .iter()
        .find(|e| e["organization"].as_str() == Some(first_organization.as_str()))
        .unwrap();
    let conflict = app.put_json(
        &format!("{base}/{}", own_school["id"].as_str().unwrap()),
        &app.token,
        &json!({"judge_id": first_id, "assigned": true}),
    );
    assert_eq!(conflict.status, 409, "{}", conflict.text());

    // Everyone scores everything given but one sheet: the results wait for it.
    let last = (
        judges[8].0.clone(),
        given[&judges[8].0][0]["id"].as_str().unwrap().to_string(),
    );
    for (id, token, _) in &judges {
        for e in &given[id] {
            let entry = e["id"].as_str().unwrap();
            if (id.as_str(), entry) == (last.0.as_str(), last.1.as_str()) {
                continue;
            }
            let number = e["number"].as_u64().unwrap();
            let reply = score(&app, &competition, token, entry, &json!({&ids[0]: number % 11}));
            assert_eq!(reply.status, 200, "{}", reply.text());
        }
    }
    let progress = app.get(&base, Some(&app.token)).json();
    let behind: Vec<&Value> = progress["judges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["scored"] != j["assigned"])
        .collect();
    assert_eq!(behind.len(), 1, "{progress}");
    assert_eq!(behind[0]["judge_id"], last.0.as_str());
    let results = format!("/api/v1/competitions/{competition}/jury/results");
    let waiting = app.post(&results, Some(&app.token), "application/json", b"");
    assert_eq!(waiting.status, 409, "{}", waiting.text());
    let ranking = app
        .get(
            &format!("/api/v1/competitions/{competition}/jury/ranking"),
            Some(&app.token),
        )
        .json();
    let waiting_rows: Vec<&str> = ranking
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["waiting"] == true)
        .map(|r| r["entry_id"].as_str().unwrap())
        .collect();
    assert_eq!(waiting_rows, [last.1.as_str()]);
    let reply = score(&app, &competition, &judges[8].1, &last.1, &json!({&ids[0]: 4}));
    assert_eq!(reply.status, 200);
    let applied = app.post(&results, Some(&app.token), "application/json", b"");
    assert_eq!(applied.status, 200, "{}", applied.text());

    // The organizer's page shows each judge's progress.
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = organizer.get(&format!("/app/competitions/{competition}/review"));
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(
        text.contains("Эксперт 8") && text.contains("judge-progress"),
        "{text}"
    );
}

#[test]
fn panels_per_nomination_keep_judges_to_their_nominations() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let competition = app.create_competition("Фестиваль");
    let nominations = ["Вокал", "Хореография", "Живопись"];
    let mut csv = String::from("ФИО,Организация,Номинация\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "Қатысушы {i:02},Школа №{},{}\n",
            i % 4 + 1,
            nominations[i % 3]
        ));
    }
    assert_eq!(app.upload(&competition, &csv).status, 200);
    criteria(
        &app,
        &competition,
        json!([{"name": "Мастерство", "max_points": 10}]),
    );
    let judges: Vec<String> = (0..6)
        .map(|i| judge(&app, &competition, &format!("Эксперт {i}"), "Гороно").0)
        .collect();
    // Two judges a nomination: four by API, the last two in the review page.
    for (i, id) in judges.iter().enumerate().take(4) {
        let set = app.put_json(
            &format!("/api/v1/competitions/{competition}/judges/{id}/panel"),
            &app.token,
            &json!({"nominations": [nominations[i / 2]]}),
        );
        assert_eq!(set.status, 200, "{}", set.text());
    }
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = organizer.get(&format!("/app/competitions/{competition}/review"));
    assert_eq!(page.status, 200);
    let csrf = page.csrf();
    for id in &judges[4..] {
        let saved = organizer.post(
            &format!("/app/competitions/{competition}/review/judges/{id}/panel"),
            &[("csrf", &csrf), ("nomination", "Живопись")],
        );
        assert_eq!(saved.status, 303, "{}", saved.text());
    }
    let board = app.post(
        &format!("/api/v1/competitions/{competition}/jury/assignments"),
        Some(&app.token),
        "application/json",
        json!({"judges_per_entry": 2}).to_string().as_bytes(),
    );
    assert_eq!(board.status, 200, "{}", board.text());
    let board = board.json();
    let panel_of: HashMap<&str, &str> = board["judges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| (j["judge_id"].as_str().unwrap(), j["panel"][0].as_str().unwrap()))
        .collect();
    let nomination_of: HashMap<String, String> = app
        .get(
            &format!("/api/v1/competitions/{competition}/jury/ranking"),
            Some(&app.token),
        )
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["entry_id"].as_str().unwrap().to_string(),
                r["nomination"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let reviewers = board["reviewers"].as_object().unwrap();
    assert_eq!(reviewers.len(), 30);
    for (entry, assigned) in reviewers {
        for judge in assigned.as_array().unwrap() {
            assert_eq!(panel_of[judge.as_str().unwrap()], nomination_of[entry], "{entry}");
        }
    }
    // A change by hand in the review page: an entry taken from one judge, given to another.
    let (entry, assigned) = reviewers.iter().next().unwrap();
    let from = assigned[0].as_str().unwrap();
    let to = judges
        .iter()
        .find(|j| !assigned.as_array().unwrap().iter().any(|a| a == j.as_str()))
        .unwrap();
    for (judge, flag) in [(from, "0"), (to.as_str(), "1")] {
        let changed = organizer.post(
            &format!("/app/competitions/{competition}/review/entries/{entry}"),
            &[("csrf", &csrf), ("judge", judge), ("assigned", flag)],
        );
        assert_eq!(changed.status, 303, "{}", changed.text());
    }
    let now = app
        .get(
            &format!("/api/v1/competitions/{competition}/jury/assignments"),
            Some(&app.token),
        )
        .json();
    let judges_now: Vec<&str> = now["reviewers"][entry.as_str()]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j.as_str().unwrap())
        .collect();
    assert!(
        judges_now.contains(&to.as_str()) && !judges_now.contains(&from),
        "{judges_now:?}"
    );

    // Two judges a nomination cannot give an entry three.
    let too_many = app.post(
        &format!("/api/v1/competitions/{competition}/jury/assignments"),
        Some(&app.token),
        "application/json",
        json!({"judges_per_entry": 3}).to_string().as_bytes(),
    );
    assert_eq!(too_many.status, 409, "{}", too_many.text());
}

#[test]
fn panels_per_age_group_keep_judges_to_their_age_groups() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let competition = app.create_competition("Шахматы");
    let groups = ["7–10 лет", "11–14 лет"];
    let mut csv = String::from("ФИО,Организация,Номинация,Возрастная категория\n");
    for i in 0..24 {
        csv.push_str(&format!(
            "Қатысушы {i:02},Школа №{},Блиц,{}\n",
            i % 4 + 1,
            groups[i % 2]
        ));
    }
    let upload = app.upload(&competition, &csv);
    assert_eq!(upload.status, 200, "{}", upload.text());
    criteria(&app, &competition, json!([{"name": "Партия", "max_points": 10}]));
    let judges: Vec<String> = (0..4)
        .map(|i| judge(&app, &competition, &format!("Эксперт {i}"), "Гороно").0)
        .collect();
    // Two judges an age group: two by API, two in the review page.
    for (i, id) in judges.iter().enumerate().take(2) {
        let set = app.put_json(
            &format!("/api/v1/competitions/{competition}/judges/{id}/panel"),
            &app.token,
            &json!({"nominations": [], "age_groups": [groups[i]]}),
        );
        assert_eq!(set.status, 200, "{}", set.text());
        assert_eq!(set.json()["age_groups"], json!([groups[i]]));
    }
    let mut organizer = Browser::new(&app);
    organizer.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = organizer.get(&format!("/app/competitions/{competition}/review"));
    assert!(
        page.text().contains(r#"name="age_group" value="11–14 лет""#),
        "{}",
        page.text()
    );
    let csrf = page.csrf();
    for (i, id) in judges.iter().enumerate().skip(2) {
        let saved = organizer.post(
            &format!("/app/competitions/{competition}/review/judges/{id}/panel"),
            &[("csrf", &csrf), ("age_group", groups[i - 2])],
        );
        assert_eq!(saved.status, 303, "{}", saved.text());
    }
    // A panel set by API without age groups keeps them.
    let kept = app.put_json(
        &format!("/api/v1/competitions/{competition}/judges/{}/panel", judges[0]),
        &app.token,
        &json!({"nominations": []}),
    );
    assert_eq!(kept.json()["age_groups"], json!([groups[0]]));
    let board = app.post(
        &format!("/api/v1/competitions/{competition}/jury/assignments"),
        Some(&app.token),
        "application/json",
        json!({"judges_per_entry": 2}).to_string().as_bytes(),
    );
    assert_eq!(board.status, 200, "{}", board.text());
    let board = board.json();
    let ages_of: HashMap<&str, &str> = board["judges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            (
                j["judge_id"].as_str().unwrap(),
                j["age_panel"][0].as_str().unwrap(),
            )
        })
        .collect();
    let entries = app
        .get(
            &format!("/api/v1/competitions/{competition}/jury/ranking"),
            Some(&app.token),
        )
        .json();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 24);
    let mut loads: HashMap<&str, usize> = HashMap::new();
    for entry in entries {
        let reviewers = board["reviewers"][entry["entry_id"].as_str().unwrap()]
            .as_array()
            .unwrap();
        assert_eq!(reviewers.len(), 2);
        for judge in reviewers {
            let judge = judge.as_str().unwrap();
            assert_eq!(ages_of[judge], entry["age_group"].as_str().unwrap(), "{entry}");
            *loads.entry(judge).or_default() += 1;
        }
    }
    assert_eq!(
        loads.values().copied().collect::<HashSet<_>>(),
        HashSet::from([12])
    );
}
