//! `gramota papers` (issue 23 part 7) as users and scripts call it, on the database and data folder
//! of a running service: the jury's letters with their counts, team members' personal papers
//! switched on and issued with progress, a webinar's attendance marked and only those who came
//! certified. What the commands did is read back through the API.

use std::process::{Command, Output};

use serde_json::{json, Value};

use crate::helpers::{gramota_bin, TestApp, GIVEN, SURNAMES};

fn gramota(app: &TestApp, args: &[&str]) -> Output {
    Command::new(gramota_bin())
        .env("GRAMOTA_DATA_DIR", &app.settings.data_dir)
        .env("DATABASE_URL", &app.settings.database_url)
        .env("GRAMOTA_PUBLIC_URL", &app.settings.public_url)
        .env("RUST_LOG", "warn")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn succeeded(output: &Output) -> (String, String) {
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    );
    assert!(output.status.success(), "{stdout}\n{stderr}");
    (stdout, stderr)
}

fn create(app: &TestApp, body: Value) -> String {
    let reply = app.post_json("/api/v1/competitions", &body);
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_string()
}

fn person(i: usize) -> String {
    format!("{} {}", SURNAMES[i % 10], GIVEN[(i / 10) % 10])
}

#[test]
fn jury_letters_from_the_command_line_name_each_judges_count_once() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Конкурс чтецов «Абай оқулары»");
    let base = format!("/api/v1/competitions/{competition}");
    let csv = "ФИО,Организация,Номинация\nӘлиева Дана,СОШ №1,Поэзия\nБекова Аида,СОШ №2,Поэзия\n";
    assert_eq!(app.upload(&competition, csv).status, 200);
    let criteria = app.post(
        &format!("{base}/criteria"),
        Some(&app.token),
        "application/json",
        json!([{"name": "Выразительность", "max_points": 10}])
            .to_string()
            .as_bytes(),
    );
    let criterion = criteria.json()[0]["id"].as_str().unwrap().to_string();
    let mut judges = Vec::new();
    for name in ["Омарова Сауле", "Ли Виктор"] {
        let made = app.post(
            &format!("{base}/judges"),
            Some(&app.token),
            "application/json",
            json!({"name": name, "organization": "Гороно"})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(made.status, 201, "{}", made.text());
        judges.push(made.json()["token"].as_str().unwrap().to_string());
    }
    let entries = app.get(&format!("{base}/entries"), Some(&judges[0])).json();
    for entry in entries.as_array().unwrap() {
        let id = entry["id"].as_str().unwrap();
        let reply = app.put_json(
            &format!("{base}/entries/{id}/scores"),
            &judges[0],
            &json!({ criterion.clone(): 9 }),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
    }

    let args = [
        "papers",
        "jury-letters",
        "--org",
        "dvorets-test",
        "--competition",
        &competition,
    ];
    let (stdout, _) = succeeded(&gramota(&app, &args));
    assert!(stdout.contains("Омарова Сауле  (reviewed 2)"), "{stdout}");
    assert!(
        stdout.contains("1 letters issued, 0 judges thanked before"),
        "{stdout}"
    );
    assert!(
        stdout.contains("scored nothing yet, no letter: Ли Виктор"),
        "{stdout}"
    );
    let letters: Vec<Value> = app
        .documents(&competition)
        .into_iter()
        .filter(|d| d["recipient"] == "judge")
        .collect();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0]["reviewed"], 2);
    assert_eq!(letters[0]["holder"], "Омарова Сауле");
    assert!(
        stdout.contains(letters[0]["serial"].as_str().unwrap()),
        "the serial is printed: {stdout}"
    );

    // Again: nobody is thanked twice.
    let (stdout, _) = succeeded(&gramota(&app, &args));
    assert!(
        stdout.contains("0 letters issued, 1 judges thanked before"),
        "{stdout}"
    );

    // Another organization's competition is not found, and nothing is issued for it.
    TestApp::token_for(&app.settings, "stranger-center");
    let foreign = gramota(
        &app,
        &[
            "papers",
            "jury-letters",
            "--org",
            "stranger-center",
            "--competition",
            &competition,
        ],
    );
    assert!(!foreign.status.success());
    assert!(
        String::from_utf8_lossy(&foreign.stderr).contains("no competition"),
        "{}",
        String::from_utf8_lossy(&foreign.stderr)
    );
    let unknown = gramota(
        &app,
        &[
            "papers",
            "jury-letters",
            "--org",
            "no-such-org",
            "--competition",
            &competition,
        ],
    );
    assert!(!unknown.status.success());
    assert_eq!(
        app.documents(&competition)
            .iter()
            .filter(|d| d["recipient"] == "judge")
            .count(),
        1
    );
}

#[test]
fn team_members_papers_switched_on_and_issued_from_the_command_line() {
    let app = TestApp::spawn();
    let competition = create(
        &app,
        json!({"title": "Конкурс школьных газет", "language": "ru", "ends_on": "2026-11-20", "audience": "teams"}),
    );
    let members: Vec<String> = (0..5).map(person).collect();
    let csv = format!(
        "ФИО;Состав команды;Организация;Место\n«Жас тілші» газеті;\"{}\";СОШ №12;1 место\n",
        members.join(", ")
    );
    assert_eq!(app.upload(&competition, &csv).status, 200);
    let (stdout, stderr) = succeeded(&gramota(
        &app,
        &[
            "papers",
            "members",
            "--org",
            "dvorets-test",
            "--competition",
            &competition,
            "--issue",
        ],
    ));
    assert!(stdout.contains("personal papers: on"), "{stdout}");
    assert!(stderr.contains("issued"), "progress is reported: {stderr}");
    let papers = app.get(
        &format!("/api/v1/competitions/{competition}/papers"),
        Some(&app.token),
    );
    assert_eq!(papers.json()["member_papers"], true);
    let documents = app.documents(&competition);
    let personal: Vec<&str> = documents
        .iter()
        .filter(|d| d["recipient"] == "member")
        .map(|d| d["holder"].as_str().unwrap())
        .collect();
    assert_eq!(personal, members.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(documents.len(), 6, "the team's diploma and five personal papers");

    let (stdout, _) = succeeded(&gramota(
        &app,
        &[
            "papers",
            "members",
            "--org",
            "dvorets-test",
            "--competition",
            &competition,
            "--off",
        ],
    ));
    assert!(stdout.contains("personal papers: off"), "{stdout}");
    let papers = app.get(
        &format!("/api/v1/competitions/{competition}/papers"),
        Some(&app.token),
    );
    assert_eq!(papers.json()["member_papers"], false);
}

#[test]
fn a_webinars_attendance_marked_from_the_command_line_certifies_only_those_who_came() {
    let app = TestApp::spawn();
    let competition = create(
        &app,
        json!({"title": "Вебинар «Цифровая школа»", "kind": "webinar", "language": "ru", "ends_on": "2026-11-20", "hours": 2}),
    );
    let mut csv = String::from("ФИО,Организация\n");
    for i in 0..4 {
        csv.push_str(&format!("{} {i},СОШ №{i}\n", person(i)));
    }
    assert_eq!(app.upload(&competition, &csv).status, 200);
    let base = ["papers", "attended", "--org", "dvorets-test", "--competition"];

    // Without --entry it lists: every entry, nobody marked absent yet.
    let mut args = base.to_vec();
    args.push(&competition);
    let (stdout, _) = succeeded(&gramota(&app, &args));
    assert!(stdout.contains("4 of 4 attended"), "{stdout}");
    let absent: Vec<String> = stdout
        .lines()
        .filter(|l| l.ends_with(&format!("{} 1", person(1))) || l.ends_with(&format!("{} 3", person(3))))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(absent.len(), 2, "{stdout}");

    let mut args = base.to_vec();
    args.extend([competition.as_str(), "--absent", "--issue"]);
    args.extend(["--entry", absent[0].as_str(), "--entry", absent[1].as_str()]);
    let (stdout, stderr) = succeeded(&gramota(&app, &args));
    assert!(stdout.contains("2 of 4 attended"), "{stdout}");
    assert!(
        stdout.contains(&format!("{}  absent  {} 1", absent[0], person(1))),
        "{stdout}"
    );
    assert!(stderr.contains("issued"), "progress is reported: {stderr}");
    let mut holders: Vec<String> = app
        .documents(&competition)
        .iter()
        .map(|d| {
            assert_eq!(d["event"], "webinar");
            d["holder"].as_str().unwrap().to_string()
        })
        .collect();
    holders.sort();
    let mut came = vec![format!("{} 0", person(0)), format!("{} 2", person(2))];
    came.sort();
    assert_eq!(holders, came);

    // An entry of no such competition, and a competition that is no webinar, are refused.
    let mut args = base.to_vec();
    args.extend([competition.as_str(), "--entry", "no-such-entry"]);
    assert!(!gramota(&app, &args).status.success());
    let olympiad = app.create_competition("Олимпиада");
    let mut args = base.to_vec();
    args.push(&olympiad);
    let refused = gramota(&app, &args);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a seminar or webinar"));
}
