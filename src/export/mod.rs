//! A competition's results as a table to download: data in, bytes out. Headers are ones the intake
//! recognizes, so an exported file can be uploaded again.

mod csv_file;
mod protocol_pdf;
mod report;
mod xlsx_file;

use crate::domain::{Award, StoredEntry};
use crate::i18n::Lang;

pub use csv_file::to_csv;
pub use protocol_pdf::protocol_pdf;
pub use report::{report_csv, report_xlsx};
pub use xlsx_file::to_xlsx;

/// A table to download: a header and rows of cells, every cell already safe to open.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The competition's entries, one row each, in the columns the intake reads back.
pub fn results_table(entries: &[StoredEntry], lang: Lang) -> Table {
    let mut table = Table {
        header: header(lang),
        rows: lines(entries, lang),
    };
    // A course's hours and the file's own columns come back only when some row has them, so a
    // file without them exports as before.
    if entries.iter().any(|e| e.hours.is_some()) {
        table.header.push(HOURS[column_of(lang)].to_string());
        for (row, entry) in table.rows.iter_mut().zip(entries) {
            row.push(entry.hours.map(|h| h.to_string()).unwrap_or_default());
        }
    }
    // A seminar's or webinar's attendance, once any row is marked: an unmarked row counts as
    // attended (it gets the certificate), so it is written «да», and the file read back marks
    // every row as it stands.
    if entries.iter().any(|e| e.attended.is_some()) {
        let column = column_of(lang);
        table.header.push(ATTENDED[column].to_string());
        for (row, entry) in table.rows.iter_mut().zip(entries) {
            row.push(attended_word(entry.attended != Some(false), lang).to_string());
        }
    }
    // Birth dates and telephones tell namesakes apart: the organizer's own export keeps them, so
    // the file read back finds the same entries.
    type Column = fn(&StoredEntry) -> &Option<String>;
    let personal: [(&[&str; 3], Column); 2] = [(&BIRTH_DATE, |e| &e.birth_date), (&PHONE, |e| &e.phone)];
    for (titles, value) in personal {
        if entries.iter().any(|e| value(e).is_some()) {
            table.header.push(titles[column_of(lang)].to_string());
            for (row, entry) in table.rows.iter_mut().zip(entries) {
                row.push(neutralize(value(entry).as_deref().unwrap_or_default()));
            }
        }
    }
    let mut custom: Vec<&str> = Vec::new();
    for header in entries.iter().flat_map(|e| e.custom.keys()) {
        if !custom.contains(&header.as_str()) {
            custom.push(header);
        }
    }
    table.header.extend(custom.iter().map(|h| neutralize(h)));
    for (row, entry) in table.rows.iter_mut().zip(entries) {
        row.extend(
            custom
                .iter()
                .map(|h| neutralize(entry.custom.get(*h).map_or("", String::as_str))),
        );
    }
    table
}

const HOURS: [&str; 3] = ["Сағат", "Часы", "Hours"];
const ATTENDED: [&str; 3] = ["Қатысты", "Присутствовал", "Attended"];

/// The attendance mark as the intake reads it back: «иә» / «жоқ», «да» / «нет», yes / no.
pub fn attended_word(attended: bool, lang: Lang) -> &'static str {
    const WORDS: [[&str; 2]; 3] = [["иә", "жоқ"], ["да", "нет"], ["yes", "no"]];
    WORDS[column_of(lang)][usize::from(!attended)]
}
const BIRTH_DATE: [&str; 3] = ["Туған күні", "Дата рождения", "Birth date"];
const PHONE: [&str; 3] = ["Телефон", "Телефон", "Phone"];

/// The jury protocol as it stands: the ranking with each judge's points, and who signs it.
pub struct Protocol {
    pub competition: String,
    /// Judges in the order they were appointed; the chair among them.
    pub judges: Vec<String>,
    pub criteria: Vec<String>,
    pub chair: Option<String>,
    pub signed: Option<Signature>,
    pub rows: Vec<ProtocolRow>,
}

/// The chair's sign-off as the protocol prints it.
pub struct Signature {
    pub by: String,
    /// RFC 3339, UTC.
    pub at: String,
}

/// One line of the jury protocol.
pub struct ProtocolRow {
    pub place: Option<u32>,
    pub holder: String,
    pub school: Option<String>,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    pub score: Option<f64>,
    pub award: Award,
    pub out_of_competition: bool,
    /// Judge by judge, criterion by criterion; `None` where the judge gave nothing (or could not).
    pub marks: Vec<Option<f64>>,
    /// Each judge's weighted total, in judge order.
    pub judge_totals: Vec<Option<f64>>,
    /// The organizer's band (its label) the score falls in.
    pub band: Option<String>,
    /// The judges' totals differ by more than the organizer's spread: for the chair to look at.
    pub disagreement: bool,
    /// Equal to another entry even after the tie rule: the chair decides.
    pub chair_decides: bool,
    /// The judges' remarks, "Judge (criterion): text".
    pub remarks: Vec<String>,
    /// The entry's earlier rounds, when it was returned for revision; the row's own marks,
    /// score and remarks are the last round's.
    pub rounds: Vec<ProtocolRound>,
}

/// An earlier round of an entry's review, closed by a return for revision.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolRound {
    pub round: u32,
    /// Each judge's weighted total that round, in the protocol's judge order.
    pub judge_totals: Vec<Option<f64>>,
    /// The round's score, aggregated as the rules say.
    pub score: Option<f64>,
    /// The organizer's words with the return.
    pub returned: String,
    /// The judges' remarks that round, "Judge (criterion): text".
    pub remarks: Vec<String>,
}

impl ProtocolRound {
    /// "Round 1: 11.5 (returned for revision: …)" as a cell or a line says it.
    pub fn summary(&self, lang: Lang) -> String {
        let at = column_of(lang);
        let score = self.score.map(score_text).unwrap_or_else(|| "—".into());
        format!(
            "{}: {score} ({}: {})",
            round_name(self.round, lang),
            PROTOCOL_ROUNDS[1][at],
            self.returned
        )
    }
}

/// "Тур 2", "2-тур", "Round 2".
pub fn round_name(round: u32, lang: Lang) -> String {
    match lang {
        Lang::Kk => format!("{round}-тур"),
        Lang::Ru => format!("Тур {round}"),
        Lang::En => format!("Round {round}"),
    }
}

const PROTOCOL_ROUNDS: [[&str; 3]; 2] = [
    ["Сараптама турлары", "Туры экспертизы", "Review rounds"],
    [
        "пысықтауға қайтарылды",
        "возвращено на доработку",
        "returned for revision",
    ],
];

/// "Review rounds" as the protocol heads them.
pub fn rounds_heading(lang: Lang) -> &'static str {
    PROTOCOL_ROUNDS[0][column_of(lang)]
}

impl ProtocolRow {
    /// What the chair should look at in this row, in words; empty when nothing.
    pub fn note(&self, lang: Lang) -> String {
        let at = column_of(lang);
        let mut notes = Vec::new();
        if self.disagreement {
            notes.push(PROTOCOL_NOTES[0][at]);
        }
        if self.chair_decides {
            notes.push(PROTOCOL_NOTES[1][at]);
        }
        notes.join("; ")
    }
}

const PROTOCOL_NOTES: [[&str; 3]; 2] = [
    [
        "сарапшылардың бағалары алшақ",
        "оценки экспертов расходятся",
        "the judges disagree",
    ],
    [
        "тең: төраға шешеді",
        "равенство: решает председатель",
        "a tie: the chair decides",
    ],
];
const PROTOCOL_EXTRA: [[&str; 3]; 3] = [
    ["Деңгей", "Уровень", "Level"],
    ["Ескерту", "Примечание", "Note"],
    [
        "Сарапшылардың ескертулері",
        "Замечания экспертов",
        "Judges' remarks",
    ],
];

/// "Judges' remarks" as the protocol heads them.
pub fn remarks_heading(lang: Lang) -> &'static str {
    PROTOCOL_EXTRA[2][column_of(lang)]
}

const PROTOCOL_LEAD: [[&str; 3]; 5] = [
    ["Орын", "Место", "Place"],
    ["Аты-жөні", "ФИО", "Name"],
    ["Мекеме", "Организация", "Organization"],
    ["Аталым", "Номинация", "Nomination"],
    ["Жас санаты", "Возрастная категория", "Age group"],
];
const PROTOCOL_TAIL: [[&str; 3]; 2] = [["Балл", "Балл", "Score"], ["Марапат", "Награда", "Award"]];

/// "Out of competition" in the place and award cells.
pub fn out_of_competition_words(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Kk => ("к/т", "Конкурстан тыс"),
        Lang::Ru => ("в/к", "Вне конкурса"),
        Lang::En => ("o/c", "Out of competition"),
    }
}

/// Scores as protocols print them: at most two decimals, none when whole.
pub fn score_text(score: f64) -> String {
    let text = format!("{score:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The jury protocol: the ranking inside each nomination and age group, each judge's points on
/// each criterion, then the final score and the award.
pub fn protocol_table(protocol: &Protocol, lang: Lang) -> Table {
    let at = column_of(lang);
    let mut header: Vec<String> = PROTOCOL_LEAD.iter().map(|t| t[at].to_string()).collect();
    for judge in &protocol.judges {
        for criterion in &protocol.criteria {
            header.push(neutralize(&format!("{judge}: {criterion}")));
        }
    }
    header.extend(PROTOCOL_TAIL.iter().map(|t| t[at].to_string()));
    // A level and a note column only where the rules give them something to say.
    let bands = protocol.rows.iter().any(|r| r.band.is_some());
    let notes = protocol.rows.iter().any(|r| r.disagreement || r.chair_decides);
    if bands {
        header.push(PROTOCOL_EXTRA[0][at].to_string());
    }
    if notes {
        header.push(PROTOCOL_EXTRA[1][at].to_string());
    }
    let remarks = protocol.rows.iter().any(|r| !r.remarks.is_empty());
    if remarks {
        header.push(PROTOCOL_EXTRA[2][at].to_string());
    }
    let rounds = protocol.rows.iter().any(|r| !r.rounds.is_empty());
    if rounds {
        header.push(PROTOCOL_ROUNDS[0][at].to_string());
    }
    let (place_word, award_word) = out_of_competition_words(lang);
    Table {
        header,
        rows: protocol
            .rows
            .iter()
            .map(|r| {
                let text = |value: &Option<String>| value.clone().unwrap_or_default();
                let place = r.place.map(|p| p.to_string()).unwrap_or_default();
                let mut cells = vec![
                    if r.out_of_competition {
                        place_word.to_string()
                    } else {
                        place
                    },
                    r.holder.clone(),
                    text(&r.school),
                    text(&r.nomination),
                    text(&r.age_group),
                ];
                cells.extend(r.marks.iter().map(|m| m.map(score_text).unwrap_or_default()));
                cells.push(r.score.map(|s| format!("{s:.2}")).unwrap_or_default());
                cells.push(if r.out_of_competition {
                    award_word.to_string()
                } else {
                    r.award.title(lang)
                });
                if bands {
                    cells.push(r.band.clone().unwrap_or_default());
                }
                if notes {
                    cells.push(r.note(lang));
                }
                if remarks {
                    cells.push(r.remarks.join("; "));
                }
                if rounds {
                    let earlier: Vec<String> = r
                        .rounds
                        .iter()
                        .map(|round| {
                            let mut text = round.summary(lang);
                            if !round.remarks.is_empty() {
                                text.push_str(": ");
                                text.push_str(&round.remarks.join("; "));
                            }
                            text
                        })
                        .collect();
                    cells.push(earlier.join(" | "));
                }
                cells.iter().map(|cell| neutralize(cell)).collect()
            })
            .collect(),
    }
}

fn column_of(lang: Lang) -> usize {
    match lang {
        Lang::Kk => 0,
        Lang::Ru => 1,
        Lang::En => 2,
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot write the results table: {0}")]
pub struct ExportError(String);

const COLUMNS: [[&str; 3]; 11] = [
    // kk, ru, en
    ["№", "№", "No."],
    ["Аты-жөні", "ФИО", "Name"],
    ["Команда құрамы", "Состав команды", "Team members"],
    ["Мекеме", "Организация", "Organization"],
    ["Облыс", "Регион", "Region"],
    ["Елді мекен", "Тип населенного пункта", "Settlement"],
    ["Жетекші", "Руководитель", "Supervisor"],
    ["Аталым", "Номинация", "Nomination"],
    ["Жас санаты", "Возрастная категория", "Age group"],
    ["E-mail", "E-mail", "Email"],
    ["Марапат", "Награда", "Award"],
];

fn header(lang: Lang) -> Vec<String> {
    let at = column_of(lang);
    COLUMNS.iter().map(|titles| titles[at].to_string()).collect()
}

/// One line per entry, every cell already safe to open in a spreadsheet.
fn lines(entries: &[StoredEntry], lang: Lang) -> Vec<Vec<String>> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let text = |value: &Option<String>| value.clone().unwrap_or_default();
            [
                (i + 1).to_string(),
                e.holder.clone(),
                e.team_members.join(", "),
                text(&e.school),
                text(&e.region),
                text(&e.settlement_type),
                text(&e.supervisor),
                text(&e.nomination),
                text(&e.age_group),
                text(&e.email),
                e.printed_award(lang),
            ]
            .into_iter()
            .map(|cell| neutralize(&cell))
            .collect()
        })
        .collect()
}

/// A cell a spreadsheet would take for a formula (`=HYPERLINK(…)` typed as a name) is made text.
pub fn neutralize(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn entry(holder: &str, award: Award) -> StoredEntry {
        StoredEntry {
            id: "e1".into(),
            competition_id: "c1".into(),
            source_row: 2,
            holder: holder.into(),
            team_members: vec![],
            school: Some("@SUM(1+1)".into()),
            region: None,
            settlement_type: Some("rural".into()),
            supervisor: None,
            nomination: Some("-2".into()),
            age_group: None,
            email: None,
            supervisor_email: None,
            award,
            award_title: None,
            birth_date: None,
            phone: None,
            hours: None,
            custom: Default::default(),
            attended: None,
        }
    }

    #[test]
    fn hours_and_own_columns_come_back_only_when_a_row_has_them() {
        let plain = results_table(&[entry("Сейтқали Айгерім", Award::Participant)], Lang::Ru);
        assert_eq!(plain.header.len(), COLUMNS.len());
        let mut course = entry("Сейтқали Айгерім", Award::Participant);
        course.hours = Some(72);
        course.custom.insert("Класс".into(), "9 «А»".into());
        let table = results_table(&[course, entry("Иванов Пётр", Award::Participant)], Lang::Ru);
        assert_eq!(table.header[COLUMNS.len()..], ["Часы", "Класс"]);
        assert_eq!(table.rows[0][COLUMNS.len()..], ["72", "9 «А»"]);
        assert_eq!(table.rows[1][COLUMNS.len()..], ["", ""]);
    }

    #[test]
    fn attendance_comes_back_as_the_intake_reads_it_once_a_row_is_marked() {
        let unmarked = results_table(&[entry("Сейтқали Айгерім", Award::Participant)], Lang::Ru);
        assert_eq!(unmarked.header.len(), COLUMNS.len());
        let mut came = entry("Сейтқали Айгерім", Award::Participant);
        came.attended = Some(true);
        let mut absent = entry("Иванов Пётр", Award::Participant);
        absent.attended = Some(false);
        let unknown = entry("Ким Анна", Award::Participant);
        let entries = [came, absent, unknown];
        for (lang, header, yes, no) in [
            (Lang::Ru, "Присутствовал", "да", "нет"),
            (Lang::Kk, "Қатысты", "иә", "жоқ"),
            (Lang::En, "Attended", "yes", "no"),
        ] {
            let table = results_table(&entries, lang);
            assert_eq!(table.header[COLUMNS.len()..], [header]);
            let marks: Vec<&str> = table.rows.iter().map(|r| r[COLUMNS.len()].as_str()).collect();
            assert_eq!(marks, [yes, no, yes], "unmarked counts as attended");
        }
    }

    #[test]
    fn formulas_become_text() {
        assert_eq!(neutralize("=1+2"), "'=1+2");
        assert_eq!(neutralize("+7 701"), "'+7 701");
        assert_eq!(neutralize("Сейтқали Айгерім"), "Сейтқали Айгерім");
        let lines = lines(&[entry("=HYPERLINK(\"x\")", Award::Place(1))], Lang::Ru);
        assert_eq!(lines[0][1], "'=HYPERLINK(\"x\")");
        assert_eq!(lines[0][3], "'@SUM(1+1)");
        assert_eq!(lines[0][7], "'-2");
        assert_eq!(lines[0][10], "I место");
    }
}
