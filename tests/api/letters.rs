//! Letters of gratitude and course certificates through the API: one issue run gives every row its
//! paper and every supervisor one letter naming their pupils; re-runs and late rows never thank a
//! supervisor twice; a course certificate prints its hours with the plural the number asks for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{json, Value};

use crate::helpers::{collapse_whitespace, download_paper, pdf_text, tool, TestApp, GIVEN, SURNAMES};

/// Four supervisors; the first is written two ways, as methodists type initials.
const SUPERVISORS: [&str; 4] = [
    "Ахметова Г.С.",
    "Ким О.В.",
    "Құдайбергенова Гүлнар Серікболқызы",
    "Әбілқайырова Аружан Нұрланқызы-Сәтбаева",
];

fn pupil(i: usize) -> String {
    format!("{} {}", SURNAMES[i % 10], GIVEN[(i / 10) % 10])
}

/// 30 rows, supervisor `i % 4`, the first supervisor's name spaced differently on every other row.
fn results(rows: usize) -> String {
    let awards = [
        "1 место",
        "Диплом II степени",
        "Участник",
        "Гран-при",
        "Участник",
        "3 место",
    ];
    let mut csv = String::from("ФИО,Организация,Руководитель,Номинация,Место,E-mail руководителя\n");
    for i in 0..rows {
        let teacher = i % SUPERVISORS.len();
        let written = if teacher == 0 && i % 8 == 4 {
            "Ахметова  Г. С.".to_string()
        } else {
            SUPERVISORS[teacher].to_string()
        };
        csv.push_str(&format!(
            "{},СОШ №{},{written},Экология,{},teacher{teacher}@school.test\n",
            pupil(i),
            i % 3 + 1,
            awards[i % awards.len()],
        ));
    }
    csv
}

fn create(app: &TestApp, body: Value) -> String {
    let reply = app.post_json("/api/v1/competitions", &body);
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_string()
}

fn letters(documents: &[Value]) -> Vec<&Value> {
    documents.iter().filter(|d| d["kind"] == "letter").collect()
}

/// The PDF's text with white space collapsed, as a reader would copy it.
fn text_of(app: &TestApp, dir: &Path, document: &Value) -> String {
    collapse_whitespace(&pdf_text(&download_paper(app, dir, document)))
}

#[test]
fn one_issue_run_thanks_each_supervisor_once_naming_exactly_their_pupils() {
    let mail_dir = tempfile::tempdir().unwrap();
    let env = [
        ("GRAMOTA_MAIL_TRANSPORT", "file"),
        ("GRAMOTA_MAIL_PER_MINUTE", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mail = gramota::delivery::settings::MailSettings::load(None, &env, mail_dir.path()).unwrap();
    let app = TestApp::spawn_with(|s| s.mail = mail);
    let dir = tempfile::tempdir().unwrap();
    let competition = create(
        &app,
        json!({"title": "Республиканский конкурс «Жас зерттеуші»", "language": "ru", "ends_on": "2026-11-20"}),
    );
    assert_eq!(
        app.get(&format!("/api/v1/competitions/{competition}"), Some(&app.token))
            .json()["letters"],
        true,
        "letters are on unless turned off"
    );
    assert_eq!(app.upload(&competition, &results(30)).status, 200);
    let job = app.issue_and_wait(&competition);
    assert_eq!(
        (job["done"].as_i64(), job["total"].as_i64()),
        (Some(34), Some(34)),
        "{job}"
    );

    let documents = app.documents(&competition);
    assert_eq!(documents.len(), 34, "30 papers and 4 letters");
    let papers: Vec<&Value> = documents.iter().filter(|d| d["kind"] != "letter").collect();
    assert_eq!(papers.len(), 30);
    assert!(papers
        .iter()
        .all(|d| d["kind"] == "diploma" || d["kind"] == "certificate"));
    assert!(papers
        .iter()
        .any(|d| d["kind"] == "certificate" && d["award"] == "participant"));
    let serials: BTreeSet<&str> = documents.iter().map(|d| d["serial"].as_str().unwrap()).collect();
    assert_eq!(serials.len(), 34, "every letter has its own serial");

    let thanked = letters(&documents);
    let holders: Vec<&str> = thanked.iter().map(|d| d["holder"].as_str().unwrap()).collect();
    assert_eq!(
        holders, SUPERVISORS,
        "one letter each, named as the first row writes them"
    );
    for (teacher, letter) in thanked.iter().enumerate() {
        let mine: Vec<String> = (0..30).filter(|i| i % 4 == teacher).map(pupil).collect();
        let listed: Vec<&str> = letter["pupils"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(listed, mine, "all of the supervisor's pupils, awarded or not");
        let text = text_of(&app, dir.path(), letter);
        assert!(text.contains("БЛАГОДАРСТВЕННОЕ ПИСЬМО"), "{text}");
        assert!(text.contains(SUPERVISORS[teacher]), "{text}");
        for name in &mine {
            assert!(text.contains(name.as_str()), "{name} is on the letter: {text}");
        }
        for other in (0..30).filter(|i| i % 4 != teacher).map(pupil) {
            assert!(
                !text.contains(other.as_str()),
                "{other} is not this supervisor's pupil"
            );
        }
        let verdict = app
            .get(
                &format!("/api/v1/verify/{}", letter["code"].as_str().unwrap()),
                None,
            )
            .json();
        assert_eq!(verdict["status"], "valid");
        assert_eq!(verdict["kind"], "letter");
        assert_eq!(verdict["award_title"], "Благодарственное письмо");
    }
    let code = thanked[0]["code"].as_str().unwrap();
    for (lang, words) in [
        ("kk", "Алғыс хат"),
        ("ru", "Благодарственное письмо"),
        ("en", "Letter of gratitude"),
    ] {
        let page = app.get(&format!("/v/{code}?lang={lang}"), None).text();
        assert!(page.contains(words), "{lang}: {page}");
    }

    let zip = app.zip(&competition);
    assert_eq!(zip.len(), 34, "the letters are in the ZIP");
    let print = app.get(
        &format!("/api/v1/competitions/{competition}/documents.pdf"),
        Some(&app.token),
    );
    assert_eq!(print.status, 200);
    let print_path = dir.path().join("print.pdf");
    std::fs::write(&print_path, &print.body).unwrap();
    let (_, pages) = tool("qpdf", &["--show-npages"], &print_path);
    assert_eq!(
        pages.trim(),
        "34",
        "one page per paper and letter in the print file"
    );

    // Issuing again adds nothing; a late pupil of a thanked supervisor does not make a second
    // letter, a new supervisor gets one naming only their pupil.
    let again = app.issue_and_wait(&competition);
    assert_eq!(again["total"], 0, "{again}");
    let late =
        "ФИО,Руководитель,Место\nЖаңа Қатысушы,ким  о. в.,Участник\nСейітова Мадина,Сейітова Р.Қ.,1 место\n";
    assert_eq!(app.upload(&competition, late).status, 200);
    let job = app.issue_and_wait(&competition);
    assert_eq!(job["total"], 3, "two papers and one letter: {job}");
    let documents = app.documents(&competition);
    assert_eq!(documents.len(), 37);
    let thanked = letters(&documents);
    assert_eq!(thanked.len(), 5);
    assert_eq!(thanked[4]["holder"], "Сейітова Р.Қ.");
    assert_eq!(thanked[4]["pupils"], json!(["Сейітова Мадина"]));
    assert!(
        !thanked[1]["pupils"]
            .as_array()
            .unwrap()
            .contains(&json!("Жаңа Қатысушы")),
        "the issued letter is not changed behind the supervisor's back"
    );

    // Correcting the letter names the late pupil too; the old one is superseded, and a later run
    // still does not add another.
    let old = thanked[1];
    let reply = app.post_json(
        &format!("/api/v1/documents/{}/reissue", old["id"].as_str().unwrap()),
        &json!({"holder": "Ким Ольга Викторовна"}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let corrected = reply.json();
    assert_eq!(corrected["kind"], "letter");
    assert_eq!(corrected["holder"], "Ким Ольга Викторовна");
    assert!(corrected["pupils"]
        .as_array()
        .unwrap()
        .contains(&json!("Жаңа Қатысушы")));
    let text = text_of(&app, dir.path(), &corrected);
    assert!(
        text.contains("Ким Ольга Викторовна") && text.contains("Жаңа Қатысушы"),
        "{text}"
    );
    let verdict = app
        .get(&format!("/api/v1/verify/{}", old["code"].as_str().unwrap()), None)
        .json();
    assert_eq!(verdict["status"], "superseded");
    assert_eq!(app.issue_and_wait(&competition)["total"], 0);

    // A revoked letter verifies as revoked and is not issued again by a re-run either.
    let revoked = thanked[2];
    let reply = app.post_json(
        &format!("/api/v1/documents/{}/revoke", revoked["id"].as_str().unwrap()),
        &json!({"reason": "ошибка в списке"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(app.issue_and_wait(&competition)["total"], 0);
    assert_eq!(
        letters(&app.documents(&competition)).len(),
        6,
        "five letters and one correction"
    );

    // Each supervisor's one message carries their letter with their pupils' papers.
    let reply = app.post(
        &format!("/api/v1/competitions/{competition}/deliveries"),
        Some(&app.token),
        "application/json",
        b"",
    );
    assert_eq!(reply.status, 202, "{}", reply.text());
    let documents = app.documents(&competition);
    let messages_of = |document: &Value| -> BTreeMap<String, String> {
        let shown = app
            .get(
                &format!("/api/v1/documents/{}", document["id"].as_str().unwrap()),
                Some(&app.token),
            )
            .json();
        shown["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["email"].as_str().unwrap().to_string(),
                    m["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let first_letter = letters(&documents)[0].clone();
    let letter_messages = messages_of(&first_letter);
    assert_eq!(letter_messages.len(), 1, "{letter_messages:?}");
    let message = &letter_messages["teacher0@school.test"];
    let pupil_paper = documents
        .iter()
        .find(|d| d["holder"] == pupil(0).as_str())
        .unwrap();
    assert_eq!(
        messages_of(pupil_paper).get("teacher0@school.test"),
        Some(message),
        "the letter travels in the message with the pupils' papers"
    );
}

#[test]
fn letters_can_be_turned_off() {
    let app = TestApp::spawn();
    let competition = create(
        &app,
        json!({"title": "Облыстық байқау", "language": "kk", "ends_on": "2026-11-20", "letters": false}),
    );
    assert_eq!(app.upload(&competition, &results(8)).status, 200);
    app.issue_and_wait(&competition);
    assert!(letters(&app.documents(&competition)).is_empty());
    let reply = app.put_json(
        &format!("/api/v1/competitions/{competition}/letters"),
        &app.token,
        &json!({"letters": true}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["letters"], true);
    let job = app.issue_and_wait(&competition);
    assert_eq!(
        job["total"], 4,
        "turned on later: the four supervisors are thanked: {job}"
    );
    let documents = app.documents(&competition);
    assert_eq!(letters(&documents).len(), 4);
    let dir = tempfile::tempdir().unwrap();
    let text = text_of(&app, dir.path(), letters(&documents)[0]);
    assert!(text.contains("АЛҒЫС ХАТ"), "{text}");
}

#[test]
fn a_course_certificate_prints_its_hours_with_the_right_plural() {
    let app = TestApp::spawn();
    let dir = tempfile::tempdir().unwrap();
    for (lang, lines) in [
        (
            "ru",
            [
                "в объёме 72 академических часов",
                "в объёме 1 академического часа",
                "в объёме 2 академических часов",
                "в объёме 5 академических часов",
                "в объёме 21 академического часа",
            ],
        ),
        (
            "kk",
            [
                "72 академиялық сағат көлемінде",
                "1 академиялық сағат көлемінде",
                "2 академиялық сағат көлемінде",
                "5 академиялық сағат көлемінде",
                "21 академиялық сағат көлемінде",
            ],
        ),
    ] {
        let competition = create(
            &app,
            json!({"title": "Робототехника негіздері", "kind": "course", "hours": 72, "language": lang,
                   "ends_on": "2026-11-20", "design": "modern"}),
        );
        let csv = "ФИО,Часы,Класс,ИИН\n\
                   Сейтқали Айгерім,,9 «А»,070512600123\n\
                   Әбілқайыров Ерасыл,1,9 «Б»,070512600124\n\
                   Иванов Пётр,2,10,070512600125\n\
                   Ким Анна,5 ч.,10,070512600126\n\
                   Нұрланұлы Дәулет,21,11,070512600127\n";
        let upload = app.upload(&competition, csv);
        assert_eq!(upload.status, 200, "{}", upload.text());
        app.issue_and_wait(&competition);
        let documents = app.documents(&competition);
        assert_eq!(documents.len(), 5, "a course thanks no supervisor: none named");
        for (document, line) in documents.iter().zip(lines) {
            assert_eq!(document["kind"], "course");
            let text = text_of(&app, dir.path(), document);
            assert!(text.contains(line), "{lang}: \"{line}\" in {text}");
            assert!(text.contains(document["holder"].as_str().unwrap()));
            assert!(!text.contains("0705126001"), "an ID number never reaches a paper");
            assert!(
                document["custom"]["Класс"].is_string() && document["custom"].get("ИИН").is_none(),
                "{document}"
            );
        }
        if lang == "kk" {
            let text = text_of(&app, dir.path(), &documents[0]);
            assert!(
                text.contains("курсы бойынша 72 академиялық сағат көлемінде оқудан өтті"),
                "{text}"
            );
        }
        let verdict = app
            .get(
                &format!("/api/v1/verify/{}", documents[0]["code"].as_str().unwrap()),
                None,
            )
            .json();
        assert_eq!(verdict["kind"], "course");
        let exported = app.results_csv(&competition);
        let column = |title: &str| exported[0].iter().position(|h| h == title);
        let (hours, class) = (column("Часы").unwrap(), column("Класс").unwrap());
        assert_eq!(
            (exported[2][hours].as_str(), exported[2][class].as_str()),
            ("1", "9 «Б»")
        );
        assert!(column("ИИН").is_none(), "the export brings back what was kept");
    }
    let bad = create(&app, json!({"title": "Курс", "kind": "course", "language": "ru"}));
    let reply = app.upload(&bad, "ФИО,Часы\nИванов Пётр,семьдесят\n");
    assert_eq!(reply.status, 422, "{}", reply.text());
    let error = &reply.json()["errors"][0];
    assert_eq!(
        (error["row"].as_i64(), error["column"].as_str()),
        (Some(2), Some("hours"))
    );
    assert!(
        error["message"].as_str().unwrap().contains("не число часов"),
        "{error}"
    );
}
