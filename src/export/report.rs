//! The report as files: XLSX with a summary sheet and one sheet per breakdown, each with a native
//! Excel bar chart; CSV in long form (one line per breakdown row). Data in, bytes out.

use rust_xlsxwriter::{Chart, ChartType, Format, Workbook};

use super::{neutralize, ExportError};
use crate::i18n::Lang;
use crate::reports::Report;

/// A breakdown's name and a value's name as the report prints them.
pub type Labels<'a> = &'a dyn Fn(&str) -> String;

const MAX_SHEET_NAME: usize = 31;

fn sheet_name(label: &str) -> String {
    let clean: String = label
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(MAX_SHEET_NAME)
        .collect();
    if clean.is_empty() {
        "—".into()
    } else {
        clean
    }
}

/// The column titles of a breakdown sheet and of the summary.
fn columns(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Kk => [
            "",
            "Іс-шаралар",
            "Қатысу",
            "Адамдар",
            "Жеңімпаздар мен жүлдегерлер",
        ],
        Lang::Ru => ["", "Мероприятия", "Участия", "Человек", "Победители и призёры"],
        Lang::En => [
            "",
            "Events",
            "Participations",
            "People",
            "Winners and prize-winners",
        ],
    }
}

pub fn report_xlsx(
    report: &Report,
    summary: &[(String, i64)],
    breakdown_label: Labels,
    value_label: &dyn Fn(&str, &str) -> String,
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let fail = |e: rust_xlsxwriter::XlsxError| ExportError(e.to_string());
    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&report.from)).map_err(fail)?;
    sheet
        .write_string_with_format(0, 0, format!("{} – {}", report.from, report.to), &bold)
        .map_err(fail)?;
    for (i, (label, value)) in summary.iter().enumerate() {
        let row = u32::try_from(i + 2).map_err(|e| ExportError(e.to_string()))?;
        sheet.write_string(row, 0, neutralize(label)).map_err(fail)?;
        sheet.write_number(row, 1, *value as f64).map_err(fail)?;
    }
    sheet.set_column_width(0, 48).map_err(fail)?;
    let titles = columns(lang);
    for (name, rows) in &report.breakdowns {
        let title = sheet_name(&breakdown_label(name));
        let sheet = workbook.add_worksheet();
        sheet.set_name(&title).map_err(fail)?;
        for (column, text) in titles.iter().enumerate() {
            let text = if column == 0 { title.as_str() } else { text };
            sheet
                .write_string_with_format(0, column as u16, text, &bold)
                .map_err(fail)?;
        }
        for (i, row) in rows.iter().enumerate() {
            let at = u32::try_from(i + 1).map_err(|e| ExportError(e.to_string()))?;
            let f = &row.figures;
            sheet
                .write_string(at, 0, neutralize(&value_label(name, &row.key)))
                .map_err(fail)?;
            for (column, value) in [f.events, f.participations, f.persons, f.winners]
                .iter()
                .enumerate()
            {
                sheet
                    .write_number(at, column as u16 + 1, *value as f64)
                    .map_err(fail)?;
            }
        }
        sheet.set_column_width(0, 40).map_err(fail)?;
        if !rows.is_empty() {
            let last = u32::try_from(rows.len()).map_err(|e| ExportError(e.to_string()))?;
            let mut chart = Chart::new(ChartType::Bar);
            chart
                .add_series()
                .set_name(titles[2])
                .set_categories((title.as_str(), 1, 0, last, 0))
                .set_values((title.as_str(), 1, 2, last, 2));
            chart
                .add_series()
                .set_name(titles[4])
                .set_categories((title.as_str(), 1, 0, last, 0))
                .set_values((title.as_str(), 1, 4, last, 4));
            chart.title().set_name(&title);
            sheet.insert_chart(1, 6, &chart).map_err(fail)?;
        }
    }
    workbook.save_to_buffer().map_err(fail)
}

/// `breakdown;value;events;participations;persons;winners`, a line per row, with a BOM so that
/// Excel reads it as UTF-8.
pub fn report_csv(
    report: &Report,
    breakdown_label: Labels,
    value_label: &dyn Fn(&str, &str) -> String,
    lang: Lang,
) -> Vec<u8> {
    let titles = columns(lang);
    let mut out = String::from("\u{feff}");
    out.push_str(&format!(
        "{};;{};{};{};{}\r\n",
        "", titles[1], titles[2], titles[3], titles[4]
    ));
    let quote = |text: &str| format!("\"{}\"", neutralize(text).replace('"', "\"\""));
    for (name, rows) in &report.breakdowns {
        for row in rows {
            let f = &row.figures;
            out.push_str(&format!(
                "{};{};{};{};{};{}\r\n",
                quote(&breakdown_label(name)),
                quote(&value_label(name, &row.key)),
                f.events,
                f.participations,
                f.persons,
                f.winners
            ));
        }
    }
    out.into_bytes()
}
