//! The half-year report at scale: an organization with 1,000,000 participations (350,000 persons,
//! each in about three competitions) and 1,100,000 documents over three half-years in 400
//! competitions of every kind, audience, direction and level. The report for 2025-h1 (half of
//! everything: 500,000 participations, with all breakdowns) and the previous half-year's totals
//! (300,000 more) is built ROUNDS times; the median and the process's peak RSS during the runs
//! are printed, for SQLite and, when `GRAMOTA_BENCH_POSTGRES_URL` names one, PostgreSQL.
//! The target: ≤ 1 s and ≤ 200 MB.
//!
//! The data is written once straight in SQL, with the numbers gramota gives persons and report
//! keys when it stores participations (a recursive CTE on SQLite, generate_series on
//! PostgreSQL) and kept: `GRAMOTA_BENCH_SQLITE` (default /var/tmp/gramota-bench-report.sqlite).
//!
//! `cargo bench --bench report -- [ROUNDS=5]`

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use gramota::db::{Db, DbConnection};
use gramota::domain::competition::{Audience, CompetitionKind, Direction, Level};
use gramota::reports::{self, Period};

const PARTICIPATIONS: i64 = 1_000_000;
const LETTERS: i64 = 100_000;
const PERSONS: i64 = 350_000;
const COMPETITIONS: i64 = 400;
const ORG: &str = "bench-report-org";

/// The day competition `k` ends: half in 2025-h1, 30 % in 2024-h2, 20 % in 2025-h2.
fn ends_on(k: i64) -> String {
    let day = 1 + k % 28;
    match k % 10 {
        0..=4 => format!("2025-{:02}-{day:02}", 1 + k % 6),
        5..=7 => format!("2024-{:02}-{day:02}", 7 + k % 6),
        _ => format!("2025-{:02}-{day:02}", 7 + k % 6),
    }
}

fn generate(conn: &mut DbConnection, postgres: bool) {
    let started = Instant::now();
    let now = "2025-01-01T00:00:00Z";
    let mut sql = format!(
        "INSERT INTO organizations (id, slug, serial_prefix, created_at) VALUES ('{ORG}', '{ORG}', 'BR', '{now}');\n"
    );
    for k in 0..COMPETITIONS {
        let hours = if k % 6 == 5 { "72" } else { "NULL" };
        sql.push_str(&format!(
            "INSERT INTO competitions (id, organization_id, title, kind, audience, direction, level, ends_on, \
             language, design, status, created_at, hours, letters) VALUES ('c{k}', '{ORG}', 'Байқау {k}', \
             '{}', '{}', '{}', '{}', '{}', '{}', 'classic', 'issued', '{now}', {hours}, TRUE);\n",
            CompetitionKind::ALL[(k % 6) as usize].as_str(),
            Audience::ALL[(k % 4) as usize].as_str(),
            Direction::ALL[(k % 7 % 6) as usize].as_str(),
            Level::ALL[(k % 5) as usize].as_str(),
            ends_on(k),
            if k % 3 == 0 { "ru" } else { "kk" },
        ));
    }
    // The report's keys as gramota numbers them when it stores the participations below.
    let mut keys: Vec<(&str, String, i64)> = vec![
        ("settlement", "city".into(), 1),
        ("settlement", "rural".into(), 2),
    ];
    for (n, award) in ["place_1", "place_2", "place_3", "laureate", "participant"]
        .iter()
        .enumerate()
    {
        keys.push(("award", (*award).to_string(), n as i64 + 1));
    }
    keys.extend((0..20).map(|n| ("region", format!("Облыс {n}"), n + 1)));
    keys.extend((0..3000).map(|n| ("organization", format!("Мектеп №{n}"), n + 1)));
    keys.extend((0..5).map(|n| ("age_group", format!("{}–{}", 7 + n, 8 + n), n + 1)));
    for (breakdown, value, number) in keys {
        sql.push_str(&format!(
            "INSERT INTO report_keys (organization_id, breakdown, value, number) \
             VALUES ('{ORG}', '{breakdown}', '{value}', {number});\n"
        ));
    }
    conn.batch_execute(&sql)
        .expect("organization, competitions and report keys");
    // i numbers participations (one per entry), j = i·7919 mod PERSONS the person.
    let series = |n: i64| {
        if postgres {
            format!("generate_series(0::bigint, {}) AS n(i)", n - 1)
        } else {
            "n".to_string()
        }
    };
    let with = |n: i64| {
        if postgres {
            String::new()
        } else {
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {}) ",
                n - 1
            )
        }
    };
    let person = format!("((i * 7919) % {PERSONS})");
    let statements = [
        format!(
            "{}INSERT INTO persons (id, organization_id, name, search_name, school, created_at, number) \
             SELECT 'p' || i, '{ORG}', 'Оқушы ' || i, 'оқушы ' || i, 'Мектеп №' || (i % 3000), '{now}', i + 1 FROM {}",
            with(PERSONS),
            series(PERSONS)
        ),
        format!(
            "{}INSERT INTO entries (id, competition_id, source_row, holder_name, school, region, settlement_type, \
             age_group, award, created_at) SELECT 'e' || i, 'c' || (i % {COMPETITIONS}), i, 'Оқушы ' || {person}, \
             'Мектеп №' || ({person} % 3000), 'Облыс ' || ({person} % 20), \
             CASE WHEN {person} % 3 = 0 THEN 'rural' ELSE 'city' END, (7 + {person} % 5) || '–' || (8 + {person} % 5), \
             CASE i % 10 WHEN 0 THEN 'place_1' WHEN 1 THEN 'place_2' WHEN 2 THEN 'place_3' WHEN 3 THEN 'laureate' \
             ELSE 'participant' END, '{now}' FROM {}",
            with(PARTICIPATIONS),
            series(PARTICIPATIONS)
        ),
        format!(
            "{}INSERT INTO participations (id, entry_id, position, competition_id, person_id, name, pinned, \
             person_number, team, award_key, region_key, settlement_key, school_key, age_group_key) \
             SELECT 'a' || i, 'e' || i, 0, 'c' || (i % {COMPETITIONS}), 'p' || {person}, 'Оқушы ' || {person}, FALSE, \
             {person} + 1, FALSE, CASE WHEN i % 10 < 4 THEN i % 10 + 1 ELSE 5 END, {person} % 20 + 1, \
             CASE WHEN {person} % 3 = 0 THEN 2 ELSE 1 END, {person} % 3000 + 1, {person} % 5 + 1 FROM {}",
            with(PARTICIPATIONS),
            series(PARTICIPATIONS)
        ),
        format!(
            "{}INSERT INTO documents (id, organization_id, competition_id, entry_id, serial, code, status, design, \
             payload, issued_at, public_lookup, kind) SELECT 'd' || i, '{ORG}', 'c' || (i % {COMPETITIONS}), \
             CASE WHEN i < {PARTICIPATIONS} THEN 'e' || i END, 'BR-' || i, 'K' || i, \
             CASE WHEN i % 200 = 0 THEN 'revoked' ELSE 'valid' END, 'classic', '{{}}', '{now}', TRUE, \
             CASE WHEN i >= {PARTICIPATIONS} THEN 'letter' WHEN (i % {COMPETITIONS}) % 6 = 5 THEN 'course' \
             WHEN i % 10 < 4 THEN 'diploma' ELSE 'certificate' END FROM {}",
            with(PARTICIPATIONS + LETTERS),
            series(PARTICIPATIONS + LETTERS)
        ),
    ];
    for statement in statements {
        conn.batch_execute(&format!("BEGIN; {statement}; COMMIT;"))
            .unwrap_or_else(|e| panic!("{e}: {statement}"));
    }
    // What autovacuum does after a bulk load (PostgreSQL's default; the test servers here run
    // with it off): the visibility map lets the report read its covering indexes alone.
    let analyze = if postgres {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE; PRAGMA optimize"
    };
    conn.batch_execute(analyze).expect("analyze");
    eprintln!("generated in {:.0?}", started.elapsed());
}

/// The process's resident set now and at its peak since the last reset, in MB.
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn run(name: &str, url: &str, rounds: usize) {
    let postgres = url.starts_with("postgres");
    // As the server's pool: the report reads the two periods on two connections when both are free.
    let db = Db::connect(url, 4).expect("database");
    let mut conn = db.conn().expect("connection");
    let organization_id: Option<String> = {
        use diesel::prelude::*;
        use gramota::db::schema::organizations::dsl as o;
        o::organizations
            .filter(o::id.eq(ORG))
            .select(o::id)
            .get_result(&mut *conn)
            .optional()
            .expect("organization")
    };
    if organization_id.is_none() {
        generate(&mut conn, postgres);
    }
    drop(conn);
    let period = Period::parse("2025-h1").expect("period");
    // The peak counts from here: what the report needs, not what writing the data took.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let (before, _) = rss();
    let mut times: Vec<Duration> = Vec::new();
    let mut report = None;
    for _ in 0..rounds {
        let started = Instant::now();
        report = Some(reports::report(&db, ORG, period, None).expect("report"));
        times.push(started.elapsed());
    }
    let (_, peak) = rss();
    times.sort();
    let report = report.expect("at least one round");
    let t = &report.totals;
    println!(
        "{name}: half-year report median {} ms (min {} ms, max {} ms, {rounds} rounds); peak RSS {peak} MB \
         (was {before} MB before the first); {} events, {} participations, {} persons, {} winners, {} documents; \
         previous half-year {} participations, {} persons; {} breakdowns",
        times[times.len() / 2].as_millis(),
        times[0].as_millis(),
        times[times.len() - 1].as_millis(),
        t.events,
        t.participations,
        t.persons,
        t.winners,
        t.documents,
        report.previous.as_ref().map_or(0, |p| p.totals.participations),
        report.previous.as_ref().map_or(0, |p| p.totals.persons),
        report.breakdowns.len(),
    );
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let sqlite = std::env::var("GRAMOTA_BENCH_SQLITE")
        .unwrap_or_else(|_| "/var/tmp/gramota-bench-report.sqlite".to_string());
    run("SQLite", &sqlite, rounds);
    if let Ok(url) = std::env::var("GRAMOTA_BENCH_POSTGRES_URL") {
        run("PostgreSQL", &url, rounds);
    }
}
