//! A paper for everyone who earned one (issue 23, part 7), through the API: a team of 12 gets its
//! diploma and 12 personal papers; 5 judges get letters naming the number of works each reviewed,
//! in the organizer's own words; a webinar with 300 registered and 240 attended gives 240
//! certificates with hours. Every new kind of paper verifies through the QR code a phone reads
//! (150 dpi, zbar) and its public page.

use std::path::Path;

use serde_json::{json, Value};

use crate::helpers::{collapse_whitespace, decode_qr, download_paper, pdf_text, TestApp, GIVEN, SURNAMES};

fn create(app: &TestApp, body: Value) -> String {
    let reply = app.post_json("/api/v1/competitions", &body);
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_string()
}

fn person(i: usize) -> String {
    format!("{} {}", SURNAMES[i % 10], GIVEN[(i / 10) % 10])
}

/// The paper's PDF on disk, its text with white space collapsed.
fn read_paper(app: &TestApp, dir: &Path, document: &Value) -> (std::path::PathBuf, String) {
    let path = download_paper(app, dir, document);
    let text = collapse_whitespace(&pdf_text(&path));
    (path, text)
}

/// What a phone does with the paper: reads the QR code at 150 dpi, opens its page, asks the API.
fn verifies_by_its_qr(app: &TestApp, pdf: &Path, document: &Value) {
    let code = document["code"].as_str().unwrap();
    let scanned = decode_qr(pdf);
    let (url, record) = scanned.split_once('#').expect("a signed record after #");
    assert!(url.ends_with(&format!("/v/{code}")), "{scanned}");
    assert!(!record.is_empty());
    let page = app.get_lang(&format!("/v/{code}"), "ru");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("Документ подлинный и действителен"),
        "{}",
        page.text()
    );
    let answer = app.get(&format!("/api/v1/verify/{code}"), None).json();
    assert_eq!(answer["status"], "valid", "{answer}");
}

#[test]
fn a_team_of_twelve_gets_its_diploma_and_twelve_personal_papers() {
    let app = TestApp::spawn();
    let dir = tempfile::tempdir().unwrap();
    let competition = create(
        &app,
        json!({"title": "Конкурс школьных парламентов", "language": "ru", "ends_on": "2026-11-20", "audience": "teams"}),
    );
    let base = format!("/api/v1/competitions/{competition}");
    assert_eq!(
        app.get(&format!("{base}/papers"), Some(&app.token)).json(),
        json!({"member_papers": false, "reasons": {}}),
        "off unless the organizer switches it on"
    );
    let switched = app.put_json(
        &format!("{base}/papers"),
        &app.token,
        &json!({"member_papers": true}),
    );
    assert_eq!(switched.status, 200, "{}", switched.text());
    let members: Vec<String> = (0..12).map(person).collect();
    let csv = format!(
        "ФИО;Состав команды;Организация;Место\n\
         Школьный парламент «Жігер»;\"{}\";СОШ №12;1 место\n\
         Сейтқали Айгерім;;Гимназия №1;Участник\n",
        members.join(", ")
    );
    let upload = app.upload(&competition, &csv);
    assert_eq!(upload.status, 200, "{}", upload.text());
    app.issue_and_wait(&competition);

    let documents = app.documents(&competition);
    let team: Vec<&Value> = documents
        .iter()
        .filter(|d| d["holder"] == "Школьный парламент «Жігер»")
        .collect();
    assert_eq!(team.len(), 1, "one team diploma");
    assert_eq!(team[0]["award"], "place_1");
    assert!(team[0].get("recipient").is_none());
    let personal: Vec<&Value> = documents.iter().filter(|d| d["recipient"] == "member").collect();
    assert_eq!(personal.len(), 12, "{documents:#?}");
    let holders: Vec<&str> = personal.iter().map(|d| d["holder"].as_str().unwrap()).collect();
    assert_eq!(holders, members.iter().map(String::as_str).collect::<Vec<_>>());
    for paper in &personal {
        assert_eq!(paper["team"], "Школьный парламент «Жігер»");
        assert_eq!(paper["award"], "place_1", "the team's award");
        assert_eq!(paper["kind"], "diploma");
    }
    assert_eq!(
        documents.len(),
        14,
        "the individual participant gets only their own"
    );

    let (pdf, text) = read_paper(&app, dir.path(), personal[3]);
    assert!(text.contains(&members[3]), "{text}");
    assert!(
        text.contains("в составе команды «Школьный парламент «Жігер»»"),
        "{text}"
    );
    assert!(text.contains("I МЕСТО") || text.contains("I место"), "{text}");
    verifies_by_its_qr(&app, &pdf, personal[3]);

    // A second run gives nobody a second paper.
    app.issue_and_wait(&competition);
    assert_eq!(app.documents(&competition).len(), 14);

    // The bilingual design names the member's team in both languages.
    let bilingual = create(
        &app,
        json!({"title": "Мектеп газеттері байқауы", "language": "kk", "design": "classic-kk-ru"}),
    );
    let switched = app.put_json(
        &format!("/api/v1/competitions/{bilingual}/papers"),
        &app.token,
        &json!({"member_papers": true}),
    );
    assert_eq!(switched.status, 200, "{}", switched.text());
    let csv = "ФИО;Состав команды;Место\n«Жас тілші» газеті;\"Сейтқали Айгерім, Иванов Пётр\";2 орын\n";
    assert_eq!(app.upload(&bilingual, csv).status, 200);
    app.issue_and_wait(&bilingual);
    let papers = app.documents(&bilingual);
    assert_eq!(papers.len(), 3);
    let member = papers
        .iter()
        .find(|d| d["holder"] == "Иванов Пётр")
        .expect("the member's paper");
    let (_, text) = read_paper(&app, dir.path(), member);
    assert!(
        text.contains("«Жас тілші» газеті командасының құрамында"),
        "{text}"
    );
    assert!(text.contains("в составе команды «Жас тілші» газеті"), "{text}");
}

#[test]
fn five_judges_get_letters_with_the_number_of_works_each_reviewed() {
    let app = TestApp::spawn();
    let dir = tempfile::tempdir().unwrap();
    let competition = create(
        &app,
        json!({"title": "Конкурс «Жас зерттеуші»", "language": "ru", "ends_on": "2026-11-20"}),
    );
    let base = format!("/api/v1/competitions/{competition}");
    let mut csv = String::from("ФИО,Организация,Номинация\n");
    for i in 0..10 {
        csv.push_str(&format!("{},СОШ №{},Экология\n", person(i), i + 1));
    }
    assert_eq!(app.upload(&competition, &csv).status, 200);
    let criteria = app.post_json(
        &format!("{base}/criteria"),
        &json!([{"name": "Содержание", "max_points": 10}]),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    let judges: Vec<String> = (0..6)
        .map(|j| {
            let reply = app.post_json(
                &format!("{base}/judges"),
                &json!({"name": format!("Эксперт Әбілқайырова {j}"), "organization": format!("Гимназия №{}", 50 + j)}),
            );
            assert_eq!(reply.status, 201, "{}", reply.text());
            reply.json()["token"].as_str().unwrap().to_string()
        })
        .collect();
    let criterion = app.get(&format!("{base}/criteria"), Some(&judges[0])).json()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let entries = app.get(&format!("{base}/entries"), Some(&judges[0])).json();
    let ids: Vec<String> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    // Judge j reviews j + 2 works; the sixth scores nothing.
    for (j, token) in judges.iter().take(5).enumerate() {
        for id in ids.iter().take(j + 2) {
            let reply = app.put_json(
                &format!("{base}/entries/{id}/scores"),
                token,
                &json!({ criterion.as_str(): 7 }),
            );
            assert_eq!(reply.status, 200, "{}", reply.text());
        }
    }
    let worded = app.put_json(
        &format!("{base}/papers"),
        &app.token,
        &json!({"reasons": {"jury_letter": "за активное участие в работе жюри", "diploma": " "}}),
    );
    assert_eq!(worded.status, 200, "{}", worded.text());
    assert_eq!(
        worded.json()["reasons"],
        json!({"jury_letter": "за активное участие в работе жюри"}),
        "an empty reason keeps the design's words"
    );

    let reply = app.post(
        &format!("{base}/jury/letters"),
        Some(&app.token),
        "application/json",
        b"",
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let answer = reply.json();
    assert_eq!(answer["issued"], 5, "{answer}");
    assert_eq!(answer["without_scores"], json!(["Эксперт Әбілқайырова 5"]));
    let letters = answer["documents"].as_array().unwrap();
    for (j, letter) in letters.iter().enumerate() {
        assert_eq!(letter["holder"], format!("Эксперт Әбілқайырова {j}"));
        assert_eq!(letter["kind"], "letter");
        assert_eq!(letter["recipient"], "judge");
        assert_eq!(letter["reviewed"], j + 2);
        assert_eq!(letter["status"], "valid");
        let (pdf, text) = read_paper(&app, dir.path(), letter);
        assert!(text.contains(&format!("Рассмотрено работ: {}", j + 2)), "{text}");
        assert!(text.contains("за активное участие в работе жюри"), "{text}");
        assert!(text.contains("БЛАГОДАРСТВЕННОЕ ПИСЬМО"), "{text}");
        if j == 0 {
            verifies_by_its_qr(&app, &pdf, letter);
        }
    }
    let listed = app.documents(&competition);
    assert_eq!(listed.iter().filter(|d| d["recipient"] == "judge").count(), 5);

    let again = app
        .post(
            &format!("{base}/jury/letters"),
            Some(&app.token),
            "application/json",
            b"",
        )
        .json();
    assert_eq!(
        (again["issued"].as_i64(), again["already"].as_i64()),
        (Some(0), Some(5))
    );

    // Re-issued after one more score, the letter counts again.
    let one_more = app.put_json(
        &format!("{base}/entries/{}/scores", ids[9]),
        &judges[0],
        &json!({ criterion.as_str(): 5 }),
    );
    assert_eq!(one_more.status, 200, "{}", one_more.text());
    let first = letters[0]["id"].as_str().unwrap();
    let reissued = app.post_json(&format!("/api/v1/documents/{first}/reissue"), &json!({}));
    assert_eq!(reissued.status, 201, "{}", reissued.text());
    assert_eq!(reissued.json()["reviewed"], 3);
    assert_eq!(reissued.json()["recipient"], "judge");
}

#[test]
fn a_webinar_with_300_registered_and_240_attended_gives_240_certificates_with_hours() {
    let app = TestApp::spawn();
    let dir = tempfile::tempdir().unwrap();
    let competition = create(
        &app,
        json!({"title": "Цифровая грамотность педагога", "kind": "webinar", "language": "ru", "ends_on": "2026-11-20", "hours": 4}),
    );
    let base = format!("/api/v1/competitions/{competition}");
    let mut csv = String::from("ФИО,Организация,Присутствовал\n");
    for i in 0..300 {
        let mark = if i % 5 == 0 { "" } else { "да" };
        csv.push_str(&format!("{} {i},СОШ №{},{mark}\n", person(i), i % 40 + 1));
    }
    let upload = app.upload(&competition, &csv);
    assert_eq!(upload.status, 200, "{}", upload.text());
    assert_eq!(upload.json()["imported"], 300);
    app.issue_and_wait(&competition);

    let documents = app.documents(&competition);
    assert_eq!(documents.len(), 240, "only those who attended");
    for paper in &documents {
        assert_eq!(paper["kind"], "certificate");
        assert_eq!(paper["event"], "webinar");
        assert_eq!(paper["hours"], 4);
        let n: usize = paper["holder"]
            .as_str()
            .unwrap()
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_ne!(n % 5, 0, "{} did not attend", paper["holder"]);
    }
    let (pdf, text) = read_paper(&app, dir.path(), &documents[7]);
    assert!(text.contains("за участие в вебинаре"), "{text}");
    assert!(text.contains("в объёме 4 академических часов"), "{text}");
    assert!(text.contains("СЕРТИФИКАТ"), "{text}");
    verifies_by_its_qr(&app, &pdf, &documents[7]);

    // One marked absent by mistake is marked in the page's place by the API, and gets theirs.
    // The entries' ids, as a jury member lists them.
    let judge = app.post_json(
        &format!("{base}/judges"),
        &json!({"name": "Наблюдатель", "organization": "Гороно"}),
    );
    assert_eq!(judge.status, 201, "{}", judge.text());
    let judge = judge.json()["token"].as_str().unwrap().to_string();
    let entries = app.get(&format!("{base}/entries"), Some(&judge)).json();
    let absent = entries
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["holder"] == format!("{} 0", person(0)))
        .expect("the first row")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let marked = app.put_json(
        &format!("{base}/entries/{absent}/attended"),
        &app.token,
        &json!({"attended": true}),
    );
    assert_eq!(marked.status, 200, "{}", marked.text());
    app.issue_and_wait(&competition);
    assert_eq!(app.documents(&competition).len(), 241);

    // A seminar in Kazakh says so in Kazakh.
    let seminar = create(
        &app,
        json!({"title": "Инклюзивті білім беру", "kind": "seminar", "language": "kk", "ends_on": "2026-11-20"}),
    );
    let csv = "Аты-жөні,Сағат,Қатысты\nСейтқали Айгерім,6,иә\nӘбілқайыров Ерасыл,6,жоқ\n";
    assert_eq!(app.upload(&seminar, csv).status, 200);
    app.issue_and_wait(&seminar);
    let papers = app.documents(&seminar);
    assert_eq!(papers.len(), 1);
    let (pdf, text) = read_paper(&app, dir.path(), &papers[0]);
    assert!(text.contains("семинарға қатысқаны үшін"), "{text}");
    assert!(text.contains("6 академиялық сағат көлемінде"), "{text}");
    verifies_by_its_qr(&app, &pdf, &papers[0]);
}
