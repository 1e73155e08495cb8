//! The built-in "classic" design: A4 landscape, a double frame with corner ornaments, centred text,
//! the QR code and serial at the lower right.

use super::canvas::{Align, Canvas, Colour, TextStyle};
use super::fonts::FontStyle;
use super::qr::QrRuns;
use super::words::Words;
use crate::domain::award::DocumentKind;
use crate::domain::{Award, DocumentPayload};

pub const NAME: &str = "classic";
pub const PAGE_WIDTH_MM: f32 = 297.0;
pub const PAGE_HEIGHT_MM: f32 = 210.0;

const CENTRE_X: f32 = PAGE_WIDTH_MM / 2.0;
const TEXT_WIDTH: f32 = 236.0;
const NAVY: Colour = Colour(0.06, 0.13, 0.36);
const CRIMSON: Colour = Colour(0.55, 0.08, 0.08);
const GOLD: Colour = Colour(0.71, 0.55, 0.20);
const INK: Colour = Colour(0.15, 0.12, 0.10);
const GREY: Colour = Colour(0.35, 0.33, 0.31);

const QR_LEFT: f32 = 244.0;
const QR_TOP: f32 = 144.0;
const QR_SIZE: f32 = 32.0;

pub fn draw(canvas: &mut Canvas, payload: &DocumentPayload, verify_url: &str, qr: &QrRuns) {
    let words = Words::of(payload.language);
    let award = Award::from_code(&payload.award).unwrap_or(Award::Participant);
    frame(canvas);

    let issuer = TextStyle {
        font: FontStyle::Regular,
        size_pt: 13.0,
        colour: GREY,
    };
    let mut y = 29.0;
    for line in fitted_lines(
        canvas,
        &payload.issuer.to_uppercase(),
        &issuer,
        TEXT_WIDTH,
        2,
        9.0,
    ) {
        canvas.text(&line.0, &line.1, Align::Centre, CENTRE_X, y);
        y += 5.5;
    }

    let (title, subtitle) = match award.document_kind() {
        DocumentKind::Diploma => (words.diploma, words.award_line(award)),
        DocumentKind::Certificate => (words.certificate, words.participation.to_string()),
    };
    let title_style = TextStyle {
        font: FontStyle::Bold,
        size_pt: 46.0,
        colour: CRIMSON,
    };
    canvas.text(title, &title_style, Align::Centre, CENTRE_X, 56.0);
    let subtitle_style = TextStyle {
        font: FontStyle::Bold,
        size_pt: 17.0,
        colour: GOLD,
    };
    let size = canvas.fitting_size(&subtitle, &subtitle_style, TEXT_WIDTH, 10.0);
    canvas.text(
        &subtitle,
        &TextStyle {
            size_pt: size,
            ..subtitle_style
        },
        Align::Centre,
        CENTRE_X,
        67.0,
    );
    ornament_rule(canvas, 72.0);

    let awarded = TextStyle {
        font: FontStyle::Italic,
        size_pt: 14.0,
        colour: GREY,
    };
    let lead_in = match award.document_kind() {
        DocumentKind::Diploma => words.awarded_to,
        DocumentKind::Certificate => words.presented_to,
    };
    canvas.text(lead_in, &awarded, Align::Centre, CENTRE_X, 82.0);

    let name_style = TextStyle {
        font: FontStyle::Bold,
        size_pt: 30.0,
        colour: NAVY,
    };
    let mut y = 96.0;
    for (line, style) in fitted_lines(canvas, &payload.holder, &name_style, TEXT_WIDTH, 2, 18.0) {
        canvas.text(&line, &style, Align::Centre, CENTRE_X, y);
        y += style.size_pt * 0.42;
    }

    let small = TextStyle {
        font: FontStyle::Regular,
        size_pt: 12.0,
        colour: INK,
    };
    let mut details = Vec::new();
    if payload.is_team() {
        details.push(payload.team_members.join(", "));
    }
    let place: Vec<&str> = [payload.school.as_deref(), payload.region.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !place.is_empty() {
        details.push(place.join(", "));
    }
    y += 2.0;
    for detail in details {
        for (line, style) in fitted_lines(canvas, &detail, &small, TEXT_WIDTH, 2, 8.0) {
            canvas.text(&line, &style, Align::Centre, CENTRE_X, y);
            y += 5.0;
        }
    }

    let lead = TextStyle {
        font: FontStyle::Regular,
        size_pt: 13.0,
        colour: INK,
    };
    y += 3.0;
    canvas.text(words.for_competition(award), &lead, Align::Centre, CENTRE_X, y);
    y += 7.5;
    let competition = TextStyle {
        font: FontStyle::Bold,
        size_pt: 15.0,
        colour: INK,
    };
    let quoted = if payload.competition.starts_with(['«', '"', '“']) {
        payload.competition.clone()
    } else {
        format!("«{}»", payload.competition)
    };
    for (line, style) in fitted_lines(canvas, &quoted, &competition, TEXT_WIDTH, 3, 9.0) {
        canvas.text(&line, &style, Align::Centre, CENTRE_X, y);
        y += style.size_pt * 0.45;
    }

    let mut facts = Vec::new();
    if let Some(nomination) = &payload.nomination {
        facts.push(format!("{}: {nomination}", words.nomination));
    }
    if let Some(age_group) = &payload.age_group {
        facts.push(format!("{}: {age_group}", words.age_group));
    }
    y += 1.5;
    if !facts.is_empty() {
        let line = facts.join("   ·   ");
        let size = canvas.fitting_size(&line, &small, TEXT_WIDTH, 7.0);
        canvas.text(
            &line,
            &TextStyle {
                size_pt: size,
                ..small
            },
            Align::Centre,
            CENTRE_X,
            y,
        );
        y += 5.5;
    }
    if let Some(supervisor) = &payload.supervisor {
        let line = format!("{}: {supervisor}", words.supervisor);
        let size = canvas.fitting_size(&line, &small, 190.0, 7.0);
        canvas.text(
            &line,
            &TextStyle {
                size_pt: size,
                ..small
            },
            Align::Centre,
            CENTRE_X,
            y,
        );
    }

    signature_block(canvas, payload, &words);
    qr_block(canvas, payload, verify_url, qr, &words);
}

/// Wraps text into at most `max_lines` lines at the largest size that fits. Text too long even at
/// `min_pt` puts the rest on the last line and scales each line down on its own: nothing is cut
/// and nothing crosses the frame.
fn fitted_lines(
    canvas: &Canvas,
    text: &str,
    style: &TextStyle,
    width: f32,
    max_lines: usize,
    min_pt: f32,
) -> Vec<(String, TextStyle)> {
    let at = |size_pt: f32| TextStyle { size_pt, ..*style };
    let mut size = style.size_pt;
    while size >= min_pt {
        let lines = canvas.wrap(text, style.font, size, width);
        if lines.len() <= max_lines
            && lines
                .iter()
                .all(|l| canvas.width_mm(l, style.font, size) <= width)
        {
            return lines.into_iter().map(|line| (line, at(size))).collect();
        }
        size -= 0.5;
    }
    let mut lines = canvas.wrap(text, style.font, min_pt, width);
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines.saturating_sub(1)).join(" ");
        lines.push(rest);
    }
    lines
        .into_iter()
        .map(|line| {
            let size = canvas.fitting_size(&line, &at(min_pt), width, 1.0);
            (line, at(size))
        })
        .collect()
}

fn frame(canvas: &mut Canvas) {
    canvas.stroke_rect(9.0, 9.0, PAGE_WIDTH_MM - 18.0, PAGE_HEIGHT_MM - 18.0, NAVY, 2.2);
    canvas.stroke_rect(12.5, 12.5, PAGE_WIDTH_MM - 25.0, PAGE_HEIGHT_MM - 25.0, GOLD, 0.8);
    for (x, y) in [
        (12.5, 12.5),
        (PAGE_WIDTH_MM - 12.5, 12.5),
        (12.5, PAGE_HEIGHT_MM - 12.5),
        (PAGE_WIDTH_MM - 12.5, PAGE_HEIGHT_MM - 12.5),
    ] {
        diamond(canvas, x, y, 3.2, GOLD);
    }
}

fn diamond(canvas: &mut Canvas, x: f32, y: f32, r: f32, colour: Colour) {
    canvas.fill_polygon(&[(x, y - r), (x + r, y), (x, y + r), (x - r, y)], colour);
}

fn ornament_rule(canvas: &mut Canvas, y: f32) {
    canvas.stroke_path(&[(CENTRE_X - 48.0, y), (CENTRE_X - 5.0, y)], false, GOLD, 0.7);
    canvas.stroke_path(&[(CENTRE_X + 5.0, y), (CENTRE_X + 48.0, y)], false, GOLD, 0.7);
    diamond(canvas, CENTRE_X, y, 1.8, GOLD);
}

fn signature_block(canvas: &mut Canvas, payload: &DocumentPayload, words: &Words) {
    let style = TextStyle {
        font: FontStyle::Regular,
        size_pt: 11.0,
        colour: INK,
    };
    let place_date = match &payload.city {
        Some(city) => format!("{city}, {}", words.date(&payload.date)),
        None => words.date(&payload.date),
    };
    canvas.text(&place_date, &style, Align::Left, 30.0, 170.0);
    canvas.text(words.director, &style, Align::Left, 30.0, 184.0);
    let line_start = 30.0 + canvas.width_mm(words.director, FontStyle::Regular, 11.0) + 4.0;
    canvas.stroke_path(
        &[(line_start, 184.5), (line_start + 55.0, 184.5)],
        false,
        INK,
        0.5,
    );
}

fn qr_block(canvas: &mut Canvas, payload: &DocumentPayload, verify_url: &str, qr: &QrRuns, words: &Words) {
    // Two modules of quiet zone on a white square keep the code readable over any background.
    let module = QR_SIZE / (qr.modules as f32 + 4.0);
    canvas.fill_colour(Colour(1.0, 1.0, 1.0));
    canvas.fill_rect(QR_LEFT, QR_TOP, QR_SIZE, QR_SIZE);
    canvas.fill_colour(Colour(0.0, 0.0, 0.0));
    canvas.fill_cells(
        QR_LEFT + 2.0 * module,
        QR_TOP + 2.0 * module,
        module,
        qr.runs.iter().copied(),
    );
    let centre = QR_LEFT + QR_SIZE / 2.0;
    let caption = TextStyle {
        font: FontStyle::Regular,
        size_pt: 7.0,
        colour: GREY,
    };
    canvas.text(
        words.verify_caption,
        &caption,
        Align::Centre,
        centre,
        QR_TOP + QR_SIZE + 4.0,
    );
    let url_style = TextStyle {
        font: FontStyle::Regular,
        size_pt: 6.5,
        colour: GREY,
    };
    let size = canvas.fitting_size(verify_url, &url_style, 50.0, 4.0);
    canvas.text(
        verify_url,
        &TextStyle {
            size_pt: size,
            ..url_style
        },
        Align::Centre,
        centre,
        QR_TOP + QR_SIZE + 7.5,
    );
    let serial = TextStyle {
        font: FontStyle::Bold,
        size_pt: 10.0,
        colour: INK,
    };
    canvas.text(
        &format!("№ {}", payload.serial),
        &serial,
        Align::Centre,
        centre,
        QR_TOP + QR_SIZE + 13.0,
    );
}
