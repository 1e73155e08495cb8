//! The half-year report: a realistic half-year of events is counted by the service and again,
//! independently, from the fixture's own rows; files and the page show the same.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

/// One results row: name, school, region, city/village, award, team members ("" for a person).
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

struct Event {
    title: &'static str,
    kind: &'static str,
    audience: &'static str,
    direction: &'static str,
    ends_on: &'static str,
    hours: Option<u32>,
    issue: bool,
    rows: Vec<Row>,
}

fn half_year() -> Vec<Event> {
    let children = vec![
        (
            "Сейтқали Айгерім",
            "СОШ №1",
            "Павлодарская область",
            "город",
            "1 место",
            "",
        ),
        ("Петров Михаил", "СОШ №5", "г. Алматы", "город", "Призёр", ""),
        (
            "Петров Михаил",
            "СОШ №9",
            "Абайская область",
            "село",
            "Участник",
            "",
        ),
        ("Ким Анна", "Лицей №2", "г. Алматы", "город", "Лауреат", ""),
        (
            "Әбілқайыров Ерасыл",
            "СОШ №12",
            "Павлодарская область",
            "село",
            "Гран-при",
            "",
        ),
    ];
    // The same children again in another competition: one person, two participations.
    let again = vec![
        (
            "Сейтқали Айгерім",
            "СОШ №1",
            "Павлодарская область",
            "город",
            "Победитель",
            "",
        ),
        ("Ким Анна", "Лицей №2", "г. Алматы", "город", "Участник", ""),
    ];
    let teams = vec![(
        "Школьный парламент «Жарқын»",
        "СОШ №3",
        "Абайская область",
        "село",
        "Диплом I степени",
        "Нұрланұлы Ерасыл, Ким Олег, Иванова Дарья",
    )];
    let teachers = vec![
        (
            "Ахметова Гүлнар",
            "СОШ №1",
            "Павлодарская область",
            "город",
            "Участник",
            "",
        ),
        (
            "Иванова Светлана",
            "Гимназия №4",
            "г. Алматы",
            "город",
            "2 место",
            "",
        ),
    ];
    let listeners = vec![
        (
            "Ахметова Гүлнар",
            "СОШ №1",
            "Павлодарская область",
            "город",
            "",
            "",
        ),
        ("Оспанова Дина", "СОШ №7", "Абайская область", "село", "", ""),
    ];
    let before = vec![("Ким Анна", "Лицей №2", "г. Алматы", "город", "1 место", "")];
    vec![
        Event {
            title: "Жас зерттеуші",
            kind: "competition",
            audience: "children",
            direction: "natural_science",
            ends_on: "2025-03-20",
            hours: None,
            issue: true,
            rows: children,
        },
        Event {
            title: "Робототехника",
            kind: "olympiad",
            audience: "children",
            direction: "technical",
            ends_on: "2025-05-15",
            hours: None,
            issue: true,
            rows: again,
        },
        Event {
            title: "Парламенттер",
            kind: "competition",
            audience: "teams",
            direction: "social_humanitarian",
            ends_on: "2025-04-10",
            hours: None,
            issue: false,
            rows: teams,
        },
        Event {
            title: "Үздік педагог",
            kind: "competition",
            audience: "teachers",
            direction: "arts",
            ends_on: "2025-06-01",
            hours: None,
            issue: true,
            rows: teachers,
        },
        Event {
            title: "Цифрлық сауаттылық",
            kind: "course",
            audience: "teachers",
            direction: "technical",
            ends_on: "2025-02-28",
            hours: Some(72),
            issue: true,
            rows: listeners,
        },
        Event {
            title: "Өткен жарты жыл",
            kind: "competition",
            audience: "children",
            direction: "arts",
            ends_on: "2024-11-20",
            hours: None,
            issue: true,
            rows: before,
        },
    ]
}

fn winner(award: &str) -> bool {
    [
        "1 место",
        "2 место",
        "Призёр",
        "Победитель",
        "Гран-при",
        "Диплом I степени",
    ]
    .contains(&award)
}

fn person(name: &str, school: &str) -> String {
    format!("{}|{}", name.to_lowercase(), school.to_lowercase())
}

/// The participants a row counts: a person, or each member of a team.
fn participants(row: &Row) -> Vec<String> {
    if row.5.is_empty() {
        vec![person(row.0, row.1)]
    } else {
        row.5.split(", ").map(|m| person(m, row.1)).collect()
    }
}

fn load(app: &TestApp) -> Vec<Event> {
    let events = half_year();
    for event in &events {
        let mut body = json!({"title": event.title, "kind": event.kind, "audience": event.audience,
            "direction": event.direction, "ends_on": event.ends_on, "language": "kk", "letters": false});
        if let Some(hours) = event.hours {
            body["hours"] = hours.into();
        }
        let reply = app.post_json("/api/v1/competitions", &body);
        assert_eq!(reply.status, 201, "{}", reply.text());
        let id = reply.json()["id"].as_str().unwrap().to_string();
        let mut csv = String::from("ФИО;Школа;Регион;Город/село;Результат;Состав команды\n");
        for r in &event.rows {
            csv.push_str(&format!("{};{};{};{};{};{}\n", r.0, r.1, r.2, r.3, r.4, r.5));
        }
        assert_eq!(app.upload(&id, &csv).status, 200, "{}", event.title);
        if event.issue {
            app.issue_and_wait(&id);
        }
    }
    events
}

#[test]
fn the_half_year_report_counts_what_the_fixture_says() {
    let app = TestApp::spawn();
    let events = load(&app);
    let report = app.get("/api/v1/reports?period=2025-h1", Some(&app.token));
    assert_eq!(report.status, 200, "{}", report.text());
    let report = report.json();

    // The same figures, counted here from the fixture's own rows.
    let in_period: Vec<&Event> = events.iter().filter(|e| e.ends_on.starts_with("2025")).collect();
    let rows: Vec<&Row> = in_period.iter().flat_map(|e| &e.rows).collect();
    let participations: usize = rows.iter().map(|r| participants(r).len()).sum();
    let persons: HashSet<String> = rows.iter().flat_map(|r| participants(r)).collect();
    let winners = rows.iter().filter(|r| winner(r.4)).count();
    let issued: usize = in_period.iter().filter(|e| e.issue).map(|e| e.rows.len()).sum();
    let totals = &report["totals"];
    assert_eq!(totals["events"], in_period.len());
    assert_eq!(totals["participations"], participations);
    assert_eq!(totals["persons"], persons.len(), "each child counted once");
    assert_eq!(totals["teams"], 1);
    assert_eq!(totals["winners"], winners);
    assert_eq!(totals["documents"], issued);
    assert_eq!(
        report["finished_events"],
        in_period.iter().filter(|e| e.issue).count()
    );
    assert_eq!(report["previous"]["events"], 1, "the half-year before: one event");

    let breakdown = |name: &str| -> HashMap<String, Value> {
        report["breakdowns"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["key"].as_str().unwrap().to_string(), r.clone()))
            .collect()
    };
    let regions = breakdown("region");
    let mut expected: HashMap<&str, (usize, HashSet<String>)> = HashMap::new();
    for r in &rows {
        let slot = expected.entry(r.2).or_default();
        slot.0 += participants(r).len();
        slot.1.extend(participants(r));
    }
    for (region, (count, people)) in &expected {
        assert_eq!(regions[*region]["participations"], *count, "{region}");
        assert_eq!(regions[*region]["persons"], people.len(), "{region}");
    }
    let settlement = breakdown("settlement");
    let rural: usize = rows
        .iter()
        .filter(|r| r.3 == "село")
        .map(|r| participants(r).len())
        .sum();
    assert_eq!(settlement["rural"]["participations"], rural);
    let audience = breakdown("audience");
    assert_eq!(audience["children"]["events"], 2);
    assert_eq!(
        audience["teams"]["participations"], 3,
        "a team of three: three participants"
    );
    assert_eq!(audience["teachers"]["events"], 2);
    let courses = report["courses"].as_array().unwrap();
    assert_eq!(courses[0]["listeners"], 2);
    assert_eq!(courses[0]["hours"], 72);
    assert_eq!(courses[0]["certificates"], 2);
    let paragraph = report["paragraph"]["ru"].as_str().unwrap();
    assert!(
        paragraph.starts_with("За 1 полугодие 2025 года сделано"),
        "{paragraph}"
    );
    assert!(paragraph.contains(&format!("сделано {issued} ")), "{paragraph}");

    // The XLSX: a sheet per breakdown with its chart, the same figures.
    let xlsx = app.get("/api/v1/reports.xlsx?period=2025-h1", Some(&app.token));
    assert_eq!(xlsx.status, 200);
    let entries = crate::helpers::unzip(&xlsx.body);
    let charts = entries
        .iter()
        .filter(|(name, _)| name.starts_with("xl/charts/chart"))
        .count();
    assert!(charts >= 5, "{charts} charts");
    use calamine::Reader;
    let book = calamine::Xlsx::new(std::io::Cursor::new(xlsx.body.clone())).unwrap();
    let names = book.sheet_names();
    assert!(
        names
            .iter()
            .any(|n| n == "Регион" || n == "Өңір" || n == "Region"),
        "{names:?}"
    );
    let csv = app.get("/api/v1/reports.csv?period=2025-h1", Some(&app.token));
    assert_eq!(csv.status, 200);
    assert!(String::from_utf8_lossy(&csv.body).contains("Павлодарская область"));

    let bad = app.get("/api/v1/reports?period=2025-q9", Some(&app.token));
    assert_eq!(bad.status, 400);
}

#[test]
fn the_report_page_shows_the_half_year() {
    let app = TestApp::spawn();
    load(&app);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = browser.get("/app/reports?period=2025-h1");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("breakdown-region") && text.contains("Павлодарская область"));
    assert!(
        text.contains("За 1 полугодие 2025 года"),
        "the paragraph to paste"
    );
    let xlsx = browser.get("/app/reports.xlsx?period=2025-h1");
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"));
}

#[test]
fn the_report_page_fits_a_phone_in_three_languages_in_chromium() {
    let app = TestApp::spawn();
    load(&app);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    crate::helpers::browser_script(
        "reports.mjs",
        &[
            ("BASE_URL", &app.address),
            ("PASSWORD", PASSWORD),
            ("ORGANIZER_EMAIL", "metodist@dvorets.kz"),
        ],
    );
}

#[test]
fn each_department_has_its_report_and_the_whole_center_one_combined() {
    let app = TestApp::spawn();
    let department = |name: &str| -> String {
        let reply = app.post_json("/api/v1/departments", &json!({"name": name}));
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_str().unwrap().to_string()
    };
    let (arts, tech) = (department("Отдел искусств"), department("Отдел техники"));
    assert_eq!(
        app.post_json("/api/v1/departments", &json!({"name": "Отдел техники"}))
            .status,
        409
    );
    let events = [
        ("Вокал", &arts, 3usize),
        ("Роботы", &tech, 2),
        ("Танцы", &arts, 1),
    ];
    for (title, dept, rows) in events {
        let reply = app.post_json(
            "/api/v1/competitions",
            &json!({"title": title, "department": dept, "ends_on": "2025-04-01", "letters": false}),
        );
        assert_eq!(reply.status, 201, "{}", reply.text());
        let id = reply.json()["id"].as_str().unwrap().to_string();
        let mut csv = String::from("ФИО;Школа\n");
        for i in 0..rows {
            csv.push_str(&format!("{title}{i} Тест;СОШ №{i}\n"));
        }
        assert_eq!(app.upload(&id, &csv).status, 200);
    }
    let foreign = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Чужой", "department": "00000000-0000-0000-0000-000000000000"}),
    );
    assert_eq!(
        foreign.status, 400,
        "a department of another organization is refused"
    );

    let of = |query: &str| {
        app.get(
            &format!("/api/v1/reports?period=2025-h1{query}"),
            Some(&app.token),
        )
        .json()
    };
    let all = of("");
    assert_eq!(all["totals"]["events"], 3);
    assert_eq!(all["totals"]["participations"], 6);
    let by_department: Vec<(String, u64)> = all["breakdowns"]["department"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["participations"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_department,
        [
            ("Отдел искусств".to_string(), 4),
            ("Отдел техники".to_string(), 2)
        ]
    );
    let arts_only = of(&format!("&department={arts}"));
    assert_eq!(arts_only["totals"]["events"], 2);
    assert_eq!(arts_only["totals"]["participations"], 4);
    let tech_only = of(&format!("&department={tech}"));
    assert_eq!(tech_only["totals"]["participations"], 2);
}
