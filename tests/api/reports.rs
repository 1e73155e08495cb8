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

/// A generated half-year: events of every kind, audience, direction, level and language in two
/// departments, children who come back to several events, teams, courses with hours.
mod generated {
    use std::collections::{BTreeMap, HashMap, HashSet};

    /// A deterministic sequence: the same fixture on every run.
    pub struct Lcg(u64);

    impl Lcg {
        pub fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    pub struct Child {
        pub name: String,
        pub born: Option<String>,
        pub school: String,
        pub region: &'static str,
        pub settlement: &'static str,
        pub age: &'static str,
    }

    pub struct Row {
        pub name: String,
        pub born: Option<String>,
        pub school: String,
        pub region: &'static str,
        pub settlement: &'static str,
        pub age: &'static str,
        pub award: &'static str,
        pub members: Vec<String>,
    }

    pub struct Event {
        pub title: String,
        pub kind: &'static str,
        pub audience: &'static str,
        pub direction: &'static str,
        pub level: &'static str,
        pub language: &'static str,
        /// 0, 1: the two departments; 2: none.
        pub department: usize,
        pub ends_on: String,
        pub hours: Option<u32>,
        pub rows: Vec<Row>,
    }

    pub const KINDS: [&str; 6] = [
        "competition",
        "olympiad",
        "festival",
        "seminar",
        "webinar",
        "course",
    ];
    pub const AUDIENCES: [&str; 4] = ["children", "teachers", "teams", "mixed"];
    pub const DIRECTIONS: [&str; 6] = [
        "technical",
        "tourism_local_history",
        "physical_culture_sports",
        "arts",
        "natural_science",
        "social_humanitarian",
    ];
    pub const LEVELS: [&str; 5] = ["school", "district", "regional", "national", "international"];
    const REGIONS: [&str; 8] = [
        "г. Астана",
        "г. Алматы",
        "г. Шымкент",
        "Павлодарская область",
        "Абайская область",
        "Туркестанская область",
        "Жетісу облысы",
        "Ұлытау облысы",
    ];
    const SURNAMES: [&str; 30] = [
        "Ахметов",
        "Сейтқали",
        "Петров",
        "Ким",
        "Әбілқайыров",
        "Нұрланұлы",
        "Иванов",
        "Оспанов",
        "Жұмабаев",
        "Смагулов",
        "Сидоров",
        "Құдайбергенов",
        "Тоқтаров",
        "Ли",
        "Бекмұхамбетов",
        "Сергеев",
        "Төлеуов",
        "Ермеков",
        "Мұратов",
        "Кузнецов",
        "Ғабитов",
        "Омаров",
        "Абенов",
        "Ержанов",
        "Қасымов",
        "Шевченко",
        "Үсенов",
        "Есенов",
        "Байжанов",
        "Рахимов",
    ];
    const NAMES: [&str; 24] = [
        "Айгерім",
        "Михаил",
        "Анна",
        "Ерасыл",
        "Дарья",
        "Олег",
        "Дина",
        "Ару",
        "Нұрсұлтан",
        "Әлихан",
        "Мария",
        "Тимур",
        "Аружан",
        "Даниял",
        "Інжу",
        "Ақжол",
        "Софья",
        "Арман",
        "Жансая",
        "Іңкәр",
        "Алина",
        "Ернар",
        "Ұлжан",
        "Максим",
    ];
    pub const WINS: [&str; 7] = [
        "1 место",
        "2 место",
        "3 место",
        "Гран-при",
        "Диплом I степени",
        "Победитель",
        "Призёр",
    ];
    const OTHERS: [&str; 3] = ["Лауреат", "Участник", "Дипломант"];
    const AGES: [&str; 4] = ["7–10 лет", "11–13 лет", "14–16 лет", ""];

    pub fn children(rng: &mut Lcg, n: usize) -> Vec<Child> {
        (0..n)
            .map(|i| {
                let school = format!("СОШ №{}", 1 + rng.below(60));
                Child {
                    // Namesakes happen: the pool of names is smaller than the pool of children.
                    name: format!(
                        "{} {}",
                        SURNAMES[rng.below(SURNAMES.len())],
                        NAMES[rng.below(NAMES.len())]
                    ),
                    born: (i % 2 == 0).then(|| {
                        format!(
                            "{:02}.{:02}.{}",
                            1 + rng.below(28),
                            1 + rng.below(12),
                            2008 + rng.below(10)
                        )
                    }),
                    region: REGIONS[rng.below(REGIONS.len())],
                    settlement: if rng.below(3) == 0 {
                        "село"
                    } else {
                        "город"
                    },
                    age: AGES[rng.below(AGES.len())],
                    school,
                }
            })
            .collect()
    }

    /// 46 events in 2025-h1 and 4 in the half-year before.
    pub fn half_year() -> Vec<Event> {
        let mut rng = Lcg(19);
        let pool = children(&mut rng, 2500);
        let teachers = children(&mut rng, 300);
        (0..50)
            .map(|k| {
                let kind = KINDS[k % 6];
                let audience = AUDIENCES[k % 4];
                let in_period = k < 46;
                let ends_on = if in_period {
                    format!("2025-{:02}-{:02}", 1 + k % 6, 1 + k % 28)
                } else {
                    format!("2024-{:02}-15", 7 + k % 6)
                };
                let size = 120 + rng.below(240);
                let mut chosen = HashSet::new();
                let people = if audience == "teachers" { &teachers } else { &pool };
                let mut rows = Vec::new();
                while rows.len() < size.min(people.len() / 2) {
                    let at = rng.below(people.len());
                    if !chosen.insert(at) {
                        continue;
                    }
                    let c = &people[at];
                    let award = if kind == "course" || kind == "seminar" || kind == "webinar" {
                        ""
                    } else if rng.below(3) == 0 {
                        WINS[rng.below(WINS.len())]
                    } else {
                        OTHERS[rng.below(OTHERS.len())]
                    };
                    let members = if audience == "teams" {
                        (0..3 + rng.below(3))
                            .map(|_| pool[rng.below(pool.len())].name.clone())
                            .collect::<HashSet<_>>()
                            .into_iter()
                            .collect::<std::collections::BTreeSet<_>>()
                            .into_iter()
                            .collect()
                    } else {
                        Vec::new()
                    };
                    rows.push(Row {
                        name: if members.is_empty() {
                            c.name.clone()
                        } else {
                            format!("Команда «{}» {k}-{}", c.school, rows.len())
                        },
                        born: if members.is_empty() { c.born.clone() } else { None },
                        school: c.school.clone(),
                        region: c.region,
                        settlement: c.settlement,
                        age: c.age,
                        award,
                        members,
                    });
                }
                Event {
                    title: format!("Іс-шара {k}"),
                    kind,
                    audience,
                    direction: DIRECTIONS[k % 7 % 6],
                    level: LEVELS[k % 5],
                    language: ["kk", "ru", "en"][k % 3],
                    department: k % 3,
                    ends_on,
                    hours: (kind == "course").then_some(36 + 18 * (k as u32 % 3)),
                    rows,
                }
            })
            .collect()
    }

    pub fn csv(event: &Event) -> String {
        let mut csv = String::from(
            "ФИО;Дата рождения;Школа;Регион;Город/село;Возрастная категория;Результат;Состав команды\n",
        );
        for r in &event.rows {
            csv.push_str(&format!(
                "{};{};{};{};{};{};{};{}\n",
                r.name,
                r.born.as_deref().unwrap_or(""),
                r.school,
                r.region,
                r.settlement,
                r.age,
                r.award,
                r.members.join(", ")
            ));
        }
        csv
    }

    /// The persons a row counts, by the rule the service documents: the name with the birth date,
    /// else with the school; each member of a team.
    pub fn persons(r: &Row) -> Vec<String> {
        let key = |name: &str, born: Option<&str>| match born {
            Some(born) => format!("{}|b{born}", name.to_lowercase()),
            None => format!("{}|s{}", name.to_lowercase(), r.school.to_lowercase()),
        };
        if r.members.is_empty() {
            vec![key(&r.name, r.born.as_deref())]
        } else {
            r.members.iter().map(|m| key(m, None)).collect()
        }
    }

    /// (events, participations, persons, winners) of one breakdown row.
    #[derive(Default)]
    pub struct Expected {
        pub events: HashSet<usize>,
        pub participations: usize,
        pub persons: HashSet<String>,
        pub winners: usize,
    }

    /// Every breakdown counted from the fixture's rows: name → key → figures.
    pub fn breakdowns(
        events: &[&Event],
        departments: &[String; 2],
    ) -> BTreeMap<&'static str, HashMap<String, Expected>> {
        let mut out: BTreeMap<&'static str, HashMap<String, Expected>> = BTreeMap::new();
        for (at, e) in events.iter().enumerate() {
            let department = departments.get(e.department).cloned().unwrap_or_default();
            let own = [
                ("department", department),
                ("kind", e.kind.to_string()),
                ("audience", e.audience.to_string()),
                ("direction", e.direction.to_string()),
                ("language", e.language.to_string()),
                ("level", e.level.to_string()),
            ];
            for (name, key) in &own {
                out.entry(name)
                    .or_default()
                    .entry(key.clone())
                    .or_default()
                    .events
                    .insert(at);
            }
            for r in &e.rows {
                let settlement = if r.settlement == "село" {
                    "rural"
                } else {
                    "city"
                };
                let mut keys = own.to_vec();
                keys.push(("region", r.region.to_string()));
                keys.push(("settlement", settlement.to_string()));
                keys.push(("organization", r.school.clone()));
                keys.push(("age_group", r.age.to_string()));
                for (name, key) in keys {
                    let slot = out.entry(name).or_default().entry(key).or_default();
                    slot.events.insert(at);
                    slot.participations += persons(r).len();
                    slot.persons.extend(persons(r));
                    slot.winners += usize::from(WINS.contains(&r.award));
                }
            }
        }
        out
    }
}

#[test]
fn a_generated_half_year_is_counted_the_same_by_the_test_for_every_breakdown() {
    use generated::*;
    let app = TestApp::spawn();
    let department = |name: &str| -> String {
        let reply = app.post_json("/api/v1/departments", &json!({"name": name}));
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_str().unwrap().to_string()
    };
    let ids = [department("Отдел искусств"), department("Отдел техники")];
    let names = ["Отдел искусств".to_string(), "Отдел техники".to_string()];
    let events = half_year();
    for event in &events {
        let mut body = json!({"title": event.title, "kind": event.kind, "audience": event.audience,
            "direction": event.direction, "level": event.level, "ends_on": event.ends_on,
            "language": event.language, "letters": false});
        if let Some(hours) = event.hours {
            body["hours"] = hours.into();
        }
        if let Some(id) = ids.get(event.department) {
            body["department"] = id.clone().into();
        }
        let reply = app.post_json("/api/v1/competitions", &body);
        assert_eq!(reply.status, 201, "{}", reply.text());
        let id = reply.json()["id"].as_str().unwrap().to_string();
        let upload = app.upload(&id, &csv(event));
        assert_eq!(upload.status, 200, "{}: {}", event.title, upload.text());
        assert_eq!(upload.json()["imported"], event.rows.len(), "{}", event.title);
        if event.kind == "course" && event.ends_on.starts_with("2025") {
            app.issue_and_wait(&id);
        }
    }
    let in_period: Vec<&Event> = events.iter().filter(|e| e.ends_on.starts_with("2025")).collect();
    let rows: Vec<&Row> = in_period.iter().flat_map(|e| &e.rows).collect();
    let participations: usize = rows.iter().map(|r| persons(r).len()).sum();
    assert!(
        in_period.len() >= 40 && participations >= 10_000,
        "{} events, {participations}",
        in_period.len()
    );
    for name in [&KINDS[..], &AUDIENCES[..]] {
        for key in name {
            assert!(
                in_period.iter().any(|e| e.kind == *key || e.audience == *key),
                "{key}"
            );
        }
    }

    let started = std::time::Instant::now();
    let report = app.get("/api/v1/reports?period=2025-h1", Some(&app.token));
    assert_eq!(report.status, 200, "{}", report.text());
    eprintln!(
        "the report of {participations} participations in {:?}",
        started.elapsed()
    );
    let report = report.json();

    let totals = &report["totals"];
    let persons_all: HashSet<String> = rows.iter().flat_map(|r| persons(r)).collect();
    let repeated = rows.len()
        + rows
            .iter()
            .map(|r| r.members.len().saturating_sub(1))
            .sum::<usize>()
        - persons_all.len();
    assert!(
        repeated > 1000,
        "children come back: {repeated} repeat participations"
    );
    assert_eq!(totals["events"], in_period.len());
    assert_eq!(totals["participations"], participations);
    assert_eq!(totals["persons"], persons_all.len());
    assert_eq!(
        totals["teams"],
        rows.iter().filter(|r| !r.members.is_empty()).count()
    );
    assert_eq!(
        totals["winners"],
        rows.iter().filter(|r| WINS.contains(&r.award)).count()
    );
    let courses: Vec<&&Event> = in_period.iter().filter(|e| e.kind == "course").collect();
    let certificates: usize = courses.iter().map(|e| e.rows.len()).sum();
    assert_eq!(totals["documents"], certificates);
    assert_eq!(report["documents"]["course_certificates"], certificates);
    assert_eq!(report["finished_events"], courses.len());
    let listed = report["courses"].as_array().unwrap();
    assert_eq!(listed.len(), courses.len());
    for course in &courses {
        let shown = listed.iter().find(|c| c["title"] == course.title).unwrap();
        let listeners: usize = course.rows.iter().map(|r| persons(r).len()).sum();
        assert_eq!(shown["listeners"], listeners, "{}", course.title);
        assert_eq!(shown["hours"], course.hours.unwrap());
        assert_eq!(shown["certificates"], course.rows.len());
    }
    let previous: Vec<&Event> = events.iter().filter(|e| e.ends_on.starts_with("2024")).collect();
    assert_eq!(report["previous"]["events"], previous.len());
    assert_eq!(
        report["previous"]["participations"],
        previous
            .iter()
            .flat_map(|e| &e.rows)
            .map(|r| persons(r).len())
            .sum::<usize>()
    );

    let expected = breakdowns(&in_period, &names);
    assert_eq!(expected.len(), 10);
    for (name, groups) in &expected {
        let mut want: Vec<(String, usize, usize, usize, usize)> = groups
            .iter()
            .map(|(key, e)| {
                (
                    key.clone(),
                    e.events.len(),
                    e.participations,
                    e.persons.len(),
                    e.winners,
                )
            })
            .collect();
        want.sort_by(|a, b| (b.2, b.1).cmp(&(a.2, a.1)).then_with(|| a.0.cmp(&b.0)));
        want.truncate(if *name == "organization" { 20 } else { 100 });
        let got: Vec<(String, usize, usize, usize, usize)> = report["breakdowns"][*name]
            .as_array()
            .unwrap_or_else(|| panic!("{name}"))
            .iter()
            .map(|r| {
                let n = |f: &str| r[f].as_u64().unwrap() as usize;
                (
                    r["key"].as_str().unwrap().to_string(),
                    n("events"),
                    n("participations"),
                    n("persons"),
                    n("winners"),
                )
            })
            .collect();
        assert_eq!(got, want, "the {name} breakdown");
    }
}
