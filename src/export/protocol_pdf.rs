//! The printable jury protocol: A4 (landscape when the judges' columns need it), a section per
//! nomination and age group, and the lines the chair and the members sign. Data in, bytes out.
//!
//! The bundled PT Serif is embedded through printpdf (tables of many pages are what it does
//! well); text is measured here with ttf-parser.

use std::sync::OnceLock;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem,
};

use super::{out_of_competition_words, score_text, ExportError, Protocol, ProtocolRow};
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FontStyle {
    Regular,
    Bold,
}

/// PT Serif regular and bold in printpdf's form.
struct FontSet {
    regular: ParsedFont,
    bold: ParsedFont,
}

impl FontSet {
    fn bundled() -> Result<FontSet, String> {
        let parse = |bytes: &[u8]| {
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
                .ok_or_else(|| "printpdf cannot read PT Serif".to_string())
        };
        Ok(FontSet {
            regular: parse(include_bytes!("../../fonts/PTSerif-Regular.ttf"))?,
            bold: parse(include_bytes!("../../fonts/PTSerif-Bold.ttf"))?,
        })
    }

    fn face(&self, style: FontStyle) -> &ParsedFont {
        match style {
            FontStyle::Regular => &self.regular,
            FontStyle::Bold => &self.bold,
        }
    }
}

const MARGIN: f32 = 15.0;
const BODY_PT: f32 = 9.0;
const LINE_MM: f32 = 4.0;
const CELL_PAD: f32 = 1.2;
const MM_PER_PT: f32 = 25.4 / 72.0;

static FONTS: OnceLock<Result<FontSet, String>> = OnceLock::new();
static METRICS: OnceLock<Result<[ttf_parser::Face<'static>; 2], String>> = OnceLock::new();

fn fonts() -> Result<&'static FontSet, ExportError> {
    FONTS
        .get_or_init(FontSet::bundled)
        .as_ref()
        .map_err(|e| ExportError(e.clone()))
}

fn metrics() -> Result<&'static [ttf_parser::Face<'static>; 2], ExportError> {
    METRICS
        .get_or_init(|| {
            let parse = |bytes: &'static [u8]| ttf_parser::Face::parse(bytes, 0).map_err(|e| e.to_string());
            Ok([
                parse(include_bytes!("../../fonts/PTSerif-Regular.ttf"))?,
                parse(include_bytes!("../../fonts/PTSerif-Bold.ttf"))?,
            ])
        })
        .as_ref()
        .map_err(|e| ExportError(e.clone()))
}

struct Words {
    title: &'static str,
    nomination: &'static str,
    age_group: &'static str,
    place: &'static str,
    name: &'static str,
    organization: &'static str,
    score: &'static str,
    award: &'static str,
    chair: &'static str,
    member: &'static str,
    unsigned: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Kk => Words {
            title: "Қазылар алқасының хаттамасы",
            nomination: "Аталым",
            age_group: "Жас санаты",
            place: "Орын",
            name: "Аты-жөні",
            organization: "Мекеме",
            score: "Балл",
            award: "Марапат",
            chair: "Қазылар алқасының төрағасы",
            member: "Қазылар алқасының мүшесі",
            unsigned: "Хаттамаға әлі қол қойылмаған",
        },
        Lang::Ru => Words {
            title: "Протокол жюри",
            nomination: "Номинация",
            age_group: "Возрастная категория",
            place: "Место",
            name: "ФИО",
            organization: "Организация",
            score: "Балл",
            award: "Награда",
            chair: "Председатель жюри",
            member: "Член жюри",
            unsigned: "Протокол ещё не подписан",
        },
        Lang::En => Words {
            title: "Jury protocol",
            nomination: "Nomination",
            age_group: "Age group",
            place: "Place",
            name: "Name",
            organization: "Organization",
            score: "Score",
            award: "Award",
            chair: "Jury chair",
            member: "Jury member",
            unsigned: "Not signed off yet",
        },
    }
}

fn signed_text(lang: Lang, by: &str, at: &str) -> String {
    let when = at.replacen('T', " ", 1).trim_end_matches('Z').to_string() + " UTC";
    match lang {
        Lang::Kk => format!("Хаттамаға қазылар алқасының төрағасы {by} қол қойды: {when}"),
        Lang::Ru => format!("Протокол подписан председателем жюри {by}: {when}"),
        Lang::En => format!("Signed off by the jury chair {by}: {when}"),
    }
}

/// The jury protocol as a PDF.
pub fn protocol_pdf(protocol: &Protocol, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let fonts = fonts()?;
    let metrics = metrics()?;
    // Landscape once the judges' columns leave the names less than 100 mm in portrait.
    let landscape = flexible_width(protocol, 210.0 - 2.0 * MARGIN) < 100.0;
    let (width, height) = if landscape { (297.0, 210.0) } else { (210.0, 297.0) };
    let mut writer = Writer {
        metrics,
        width,
        height,
        y: MARGIN,
        pages: Vec::new(),
        ops: Vec::new(),
    };
    let w = words(lang);
    let columns = columns(protocol, &w, width - 2.0 * MARGIN);

    writer.centred(w.title, FontStyle::Bold, 14.0);
    for line in writer.wrap(
        &protocol.competition,
        FontStyle::Regular,
        12.0,
        width - 2.0 * MARGIN,
    ) {
        writer.centred(&line, FontStyle::Regular, 12.0);
    }
    writer.y += 3.0;

    let mut start = 0;
    while start < protocol.rows.len() {
        let group = (&protocol.rows[start].nomination, &protocol.rows[start].age_group);
        let end = protocol.rows[start..]
            .iter()
            .position(|r| (&r.nomination, &r.age_group) != group)
            .map_or(protocol.rows.len(), |n| start + n);
        let heading: Vec<String> = [(w.nomination, group.0), (w.age_group, group.1)]
            .iter()
            .filter_map(|(label, value)| value.as_ref().map(|v| format!("{label}: {v}")))
            .collect();
        writer.ensure(if heading.is_empty() { 16.0 } else { 22.0 });
        if !heading.is_empty() {
            writer.y += 2.0;
            writer.left(&heading.join(" · "), FontStyle::Bold, 10.5, MARGIN);
        }
        writer.table_row(
            &columns,
            &columns.iter().map(|c| c.title.clone()).collect::<Vec<_>>(),
            FontStyle::Bold,
        );
        for row in &protocol.rows[start..end] {
            let cells = cells(row, lang);
            if writer.row_height(&columns, &cells, FontStyle::Regular) + writer.y > height - MARGIN - 6.0 {
                writer.new_page();
                writer.table_row(
                    &columns,
                    &columns.iter().map(|c| c.title.clone()).collect::<Vec<_>>(),
                    FontStyle::Bold,
                );
            }
            writer.table_row(&columns, &cells, FontStyle::Regular);
        }
        start = end;
    }

    // Under the table, what each "!" means: for the chair to look at.
    let flagged: Vec<String> = protocol
        .rows
        .iter()
        .filter(|r| r.disagreement || r.chair_decides)
        .map(|r| format!("! {} — {}", r.holder, r.note(lang)))
        .collect();
    if !flagged.is_empty() {
        writer.y += 4.0;
        for line in flagged {
            writer.left(&line, FontStyle::Regular, 9.5, MARGIN);
        }
    }
    // The judges' remarks, entry by entry, as the chair reads them before signing; an entry
    // returned for revision says which round they are of.
    if protocol.rows.iter().any(|r| !r.remarks.is_empty()) {
        writer.y += 4.0;
        writer.ensure(12.0);
        writer.left(super::remarks_heading(lang), FontStyle::Bold, 10.5, MARGIN);
        for row in protocol.rows.iter().filter(|r| !r.remarks.is_empty()) {
            let holder = match row.rounds.last() {
                Some(last) => format!("{} — {}", row.holder, super::round_name(last.round + 1, lang)),
                None => row.holder.clone(),
            };
            writer.left(&holder, FontStyle::Bold, 9.5, MARGIN);
            for remark in &row.remarks {
                writer.left(remark, FontStyle::Regular, 9.5, MARGIN + 4.0);
            }
        }
    }
    // The earlier rounds of entries returned for revision: each judge's total, the round's score,
    // the organizer's words with the return and the judges' remarks then.
    if protocol.rows.iter().any(|r| !r.rounds.is_empty()) {
        writer.y += 4.0;
        writer.ensure(12.0);
        writer.left(super::rounds_heading(lang), FontStyle::Bold, 10.5, MARGIN);
        for row in protocol.rows.iter().filter(|r| !r.rounds.is_empty()) {
            writer.ensure(10.0);
            writer.left(&row.holder, FontStyle::Bold, 9.5, MARGIN);
            for round in &row.rounds {
                let totals: Vec<String> = protocol
                    .judges
                    .iter()
                    .zip(&round.judge_totals)
                    .filter_map(|(judge, total)| {
                        let surname = judge.split_whitespace().next().unwrap_or(judge);
                        total.map(|t| format!("{surname} {}", score_text(t)))
                    })
                    .collect();
                let line = format!("{} · {}", round.summary(lang), totals.join(", "));
                writer.left(&line, FontStyle::Regular, 9.5, MARGIN + 4.0);
                for remark in &round.remarks {
                    writer.left(remark, FontStyle::Regular, 9.0, MARGIN + 8.0);
                }
            }
            let current = super::round_name(row.rounds.last().map_or(1, |r| r.round + 1), lang);
            let score = row.score.map(score_text).unwrap_or_else(|| "—".into());
            writer.left(
                &format!("{current}: {score}"),
                FontStyle::Regular,
                9.5,
                MARGIN + 4.0,
            );
        }
    }

    writer.ensure(20.0 + 9.0 * protocol.judges.len() as f32);
    writer.y += 8.0;
    let blank = "______________________";
    if let Some(chair) = &protocol.chair {
        writer.left(
            &format!("{} {blank} / {chair}", w.chair),
            FontStyle::Regular,
            10.5,
            MARGIN,
        );
        writer.y += 3.0;
    }
    let mut chair_skipped = false;
    for judge in &protocol.judges {
        if !chair_skipped && protocol.chair.as_ref() == Some(judge) {
            chair_skipped = true;
            continue;
        }
        writer.left(
            &format!("{} {blank} / {judge}", w.member),
            FontStyle::Regular,
            10.5,
            MARGIN,
        );
        writer.y += 3.0;
    }
    writer.y += 3.0;
    let state = match &protocol.signed {
        Some(signed) => signed_text(lang, &signed.by, &signed.at),
        None => w.unsigned.to_string(),
    };
    writer.left(&state, FontStyle::Bold, 10.0, MARGIN);
    writer.finish(fonts, &protocol.competition)
}

const PLACE_WIDTH: f32 = 13.0;
const JUDGE_WIDTH: f32 = 15.0;
const SCORE_WIDTH: f32 = 14.0;
const AWARD_WIDTH: f32 = 30.0;

/// What the name and organization columns share once the fixed columns are placed.
fn flexible_width(protocol: &Protocol, usable: f32) -> f32 {
    usable - PLACE_WIDTH - JUDGE_WIDTH * protocol.judges.len() as f32 - SCORE_WIDTH - AWARD_WIDTH
}

struct Column {
    title: String,
    width: f32,
    numeric: bool,
}

/// Place, name, organization, one total per judge, the final score, the award.
fn columns(protocol: &Protocol, w: &Words, usable: f32) -> Vec<Column> {
    let fixed = |title: &str, width: f32, numeric: bool| Column {
        title: title.to_string(),
        width,
        numeric,
    };
    let mut list = vec![fixed(w.place, PLACE_WIDTH, true)];
    let flexible = flexible_width(protocol, usable).max(60.0);
    list.push(fixed(w.name, flexible * 0.55, false));
    list.push(fixed(w.organization, flexible * 0.45, false));
    // A judge's column is headed by the surname; the full names are on the signature lines.
    list.extend(protocol.judges.iter().map(|j| {
        let surname = j.split_whitespace().next().unwrap_or(j);
        fixed(surname, JUDGE_WIDTH, true)
    }));
    list.push(fixed(w.score, SCORE_WIDTH, true));
    list.push(fixed(w.award, AWARD_WIDTH, false));
    list
}

fn cells(row: &ProtocolRow, lang: Lang) -> Vec<String> {
    let (place_word, award_word) = out_of_competition_words(lang);
    let place = row.place.map(|p| p.to_string()).unwrap_or_default();
    let mut cells = vec![
        if row.out_of_competition {
            format!("{place_word} ({place})")
        } else {
            place
        },
        row.holder.clone(),
        row.school.clone().unwrap_or_default(),
    ];
    cells.extend(
        row.judge_totals
            .iter()
            .map(|t| t.map(score_text).unwrap_or_else(|| "—".into())),
    );
    // "!" marks a score the judges disagree on; the note under the table says what it means.
    let flag = if row.disagreement || row.chair_decides {
        " !"
    } else {
        ""
    };
    cells.push(format!("{}{flag}", row.score.map(score_text).unwrap_or_default()));
    let award = if row.out_of_competition {
        award_word.to_string()
    } else {
        row.award.title(lang)
    };
    cells.push(match &row.band {
        Some(band) => format!("{award} ({band})"),
        None => award,
    });
    cells
}

struct Writer {
    metrics: &'static [ttf_parser::Face<'static>; 2],
    width: f32,
    height: f32,
    /// From the top of the page, in millimetres.
    y: f32,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
}

fn font_id(style: FontStyle) -> FontId {
    FontId(match style {
        FontStyle::Bold => "PRBD".into(),
        FontStyle::Regular => "PRRG".into(),
    })
}

impl Writer {
    fn width_mm(&self, text: &str, style: FontStyle, size_pt: f32) -> f32 {
        let face = &self.metrics[usize::from(style == FontStyle::Bold)];
        let units: u32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 * size_pt / f32::from(face.units_per_em()) * MM_PER_PT
    }

    /// Lines no wider than `max_mm`, broken at spaces; a word too long for a line is cut.
    fn wrap(&self, text: &str, style: FontStyle, size_pt: f32, max_mm: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if self.width_mm(&candidate, style, size_pt) <= max_mm {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if self.width_mm(&piece, style, size_pt) > max_mm && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::replace(&mut piece, c.to_string()));
                }
            }
            current = piece;
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }

    fn point(&self, x: f32, y: f32) -> Point {
        Point::new(Mm(x), Mm(self.height - y))
    }

    fn text_at(&mut self, text: &str, style: FontStyle, size_pt: f32, x: f32, baseline: f32) {
        let pos = self.point(x, baseline);
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font_id(style)),
                size: Pt(size_pt),
            },
            Op::SetTextCursor { pos },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    fn left(&mut self, text: &str, style: FontStyle, size_pt: f32, x: f32) {
        let usable = self.width - x - MARGIN;
        for line in self.wrap(text, style, size_pt, usable) {
            self.ensure(size_pt * MM_PER_PT * 1.5);
            self.y += size_pt * MM_PER_PT * 1.3;
            self.text_at(&line, style, size_pt, x, self.y);
        }
    }

    fn centred(&mut self, text: &str, style: FontStyle, size_pt: f32) {
        let x = (self.width - self.width_mm(text, style, size_pt)) / 2.0;
        self.y += size_pt * MM_PER_PT * 1.4;
        self.text_at(text, style, size_pt, x.max(MARGIN), self.y);
    }

    fn rule(&mut self, y: f32, width_pt: f32) {
        let points = vec![
            LinePoint {
                p: self.point(MARGIN, y),
                bezier: false,
            },
            LinePoint {
                p: self.point(self.width - MARGIN, y),
                bezier: false,
            },
        ];
        self.ops.extend([
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb::new(0.3, 0.3, 0.3, None)),
            },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::DrawLine {
                line: Line {
                    points,
                    is_closed: false,
                },
            },
        ]);
    }

    fn cell_lines(&self, columns: &[Column], cells: &[String], style: FontStyle) -> Vec<Vec<String>> {
        columns
            .iter()
            .zip(cells)
            .map(|(c, text)| self.wrap(text, style, BODY_PT, c.width - 2.0 * CELL_PAD))
            .collect()
    }

    fn row_height(&self, columns: &[Column], cells: &[String], style: FontStyle) -> f32 {
        let lines = self.cell_lines(columns, cells, style);
        lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * LINE_MM + 2.0
    }

    fn table_row(&mut self, columns: &[Column], cells: &[String], style: FontStyle) {
        let lines = self.cell_lines(columns, cells, style);
        let height = lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * LINE_MM + 2.0;
        self.ensure(height);
        let top = self.y;
        let mut x = MARGIN;
        for (column, cell) in columns.iter().zip(&lines) {
            for (n, line) in cell.iter().enumerate() {
                let baseline = top + 1.0 + LINE_MM * (n as f32 + 1.0) - 0.8;
                let left = if column.numeric {
                    x + column.width - CELL_PAD - self.width_mm(line, style, BODY_PT)
                } else {
                    x + CELL_PAD
                };
                self.text_at(line, style, BODY_PT, left, baseline);
            }
            x += column.width;
        }
        self.y = top + height;
        let weight = if style == FontStyle::Bold { 0.8 } else { 0.3 };
        self.rule(self.y, weight);
    }

    /// Starts a new page unless `needed` millimetres still fit on this one.
    fn ensure(&mut self, needed: f32) {
        if self.y + needed > self.height - MARGIN - 6.0 {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = MARGIN;
    }

    fn finish(mut self, fonts: &FontSet, title: &str) -> Result<Vec<u8>, ExportError> {
        self.pages.push(std::mem::take(&mut self.ops));
        let total = self.pages.len();
        let mut pages = Vec::with_capacity(total);
        for (n, ops) in std::mem::take(&mut self.pages).into_iter().enumerate() {
            self.ops = ops;
            let number = format!("{} / {total}", n + 1);
            let x = self.width - MARGIN - self.width_mm(&number, FontStyle::Regular, 8.0);
            self.text_at(&number, FontStyle::Regular, 8.0, x, self.height - MARGIN / 2.0);
            pages.push(PdfPage::new(
                Mm(self.width),
                Mm(self.height),
                std::mem::take(&mut self.ops),
            ));
        }
        let mut doc = PdfDocument::new(title);
        doc.metadata.info.producer = "gramota".into();
        doc.metadata.info.creator = "gramota".into();
        for style in [FontStyle::Regular, FontStyle::Bold] {
            doc.resources
                .fonts
                .map
                .insert(font_id(style), PdfFont::new(fonts.face(style).clone()));
        }
        doc.with_pages(pages);
        let options = PdfSaveOptions {
            optimize: true,
            subset_fonts: true,
            secure: true,
            image_optimization: None,
        };
        let mut warnings = Vec::new();
        Ok(doc.save(&options, &mut warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Award;
    use crate::export::Signature;

    fn row(place: u32, holder: &str, nomination: &str) -> ProtocolRow {
        ProtocolRow {
            place: Some(place),
            holder: holder.into(),
            school: Some("№5 мектеп-гимназия".into()),
            nomination: Some(nomination.into()),
            age_group: None,
            score: Some(27.5),
            award: Award::Place(1),
            out_of_competition: false,
            marks: vec![Some(9.0), Some(9.5)],
            judge_totals: vec![Some(27.0), None],
            band: None,
            disagreement: false,
            chair_decides: false,
            remarks: Vec::new(),
            rounds: Vec::new(),
        }
    }

    #[test]
    fn many_rows_break_into_pages() {
        let protocol = Protocol {
            competition: "Жас суретші".into(),
            judges: vec!["Ахметова Г.".into(), "Ким О.".into()],
            criteria: vec!["Мазмұны".into()],
            chair: Some("Ахметова Г.".into()),
            signed: Some(Signature {
                by: "Ахметова Г.".into(),
                at: "2026-11-23T15:00:00Z".into(),
            }),
            rows: (0..120)
                .map(|i| {
                    row(
                        i + 1,
                        &format!("Сейтқали Айгерім {i}"),
                        if i < 60 { "Ән" } else { "Би" },
                    )
                })
                .collect(),
        };
        let pdf = protocol_pdf(&protocol, Lang::Kk).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert!(doc.get_pages().len() >= 3, "{} pages", doc.get_pages().len());
    }
}
