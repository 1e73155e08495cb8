//! Reads a 1,200-row results workbook as the preview does (`intake::read`: the header found under
//! a title, columns recognized, every award read into its category, namesakes told apart and
//! repeats found), ROUNDS times, and prints the median. The target: a preview under 1 s.
//!
//! `cargo bench --bench preview -- [ROWS=1200] [ROUNDS=20]`

use std::time::Instant;

use gramota::intake::{self, IntakeOptions};
use rust_xlsxwriter::Workbook;

const STATUSES: [&str; 14] = [
    "Гран-при",
    "Победитель",
    "Призёр",
    "I место",
    "Диплом II степени",
    "Лауреат I степени",
    "Дипломант",
    "Специальный приз жюри «За артистизм»",
    "Финалист",
    "Участник",
    "Бас жүлде",
    "Жүлдегер",
    "I дәрежелі лауреат",
    "Қатысушы",
];

fn workbook(rows: usize) -> Vec<u8> {
    let header = [
        "№",
        "ФИО участника",
        "Организация",
        "Регион",
        "Дата рождения",
        "Номинация",
        "Возрастная категория",
        "Руководитель",
        "Результат",
    ];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "Итоги республиканского конкурса")
        .unwrap();
    for (c, text) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *text).unwrap();
    }
    let surnames = ["Петров", "Сейтқали", "Әбілқайыров", "Иванова", "Нұрланұлы", "Ким"];
    let given = ["Михаил", "Айгерім", "Ерасыл", "Анна", "Дәулет", "Аружан", "Олег"];
    for i in 0..rows {
        let r = i as u32 + 2;
        // Names repeat every 42 rows from other schools: namesakes throughout.
        let name = format!("{} {}", surnames[i % 6], given[(i / 6) % 7]);
        let cells = [
            (i + 1).to_string(),
            name,
            format!("СОШ №{}", i % 300 + 1),
            ["г. Астана", "г. Алматы", "Павлодарская область"][i % 3].to_string(),
            format!("{:02}.0{}.201{}", i % 28 + 1, i % 9 + 1, i % 8),
            ["Робототехника", "Экология", "Вокал"][i % 3].to_string(),
            ["8–10 лет", "11–13 лет", "14–17 лет"][i % 3].to_string(),
            format!("Ахметова Г.{}.", i % 40),
            STATUSES[i % STATUSES.len()].to_string(),
        ];
        for (c, cell) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn main() {
    // `cargo test --all-targets` runs bench binaries without `--bench`: nothing to measure then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("preview bench: run it with `cargo bench --bench preview`");
        return;
    }
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let rows: usize = args.first().and_then(|n| n.parse().ok()).unwrap_or(1200);
    let rounds: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20);
    let file = workbook(rows);
    let mut times = Vec::with_capacity(rounds);
    let mut read = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        let reading = intake::read(&file, &IntakeOptions::default()).expect("the workbook reads");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(reading.errors.is_empty(), "{:?}", reading.errors.first());
        read = reading.drafts.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"mode\":\"preview of a {rows}-row XLSX\",\"bytes\":{},\"rows_read\":{read},\"median_ms\":{:.2},\"max_ms\":{:.2},\"rounds\":{rounds}}}",
        file.len(),
        times[rounds / 2],
        times[rounds - 1]
    );
}
