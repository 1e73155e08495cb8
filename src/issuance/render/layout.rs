//! Fitting text into a design's box: wrapped at spaces into at most `max_lines` lines, at the
//! largest size (from the design's size down) at which every line fits the width and the block
//! fits the height. Text is never cut and never crosses its box; only its size gives way.

use super::content::PT_PER_MM;
use super::design::{Align, Box, VAlign};
use super::fonts::Face;

/// Baseline-to-baseline distance as a multiple of the size.
const LINE_SPACING: f32 = 1.15;
const STEP_PT: f32 = 0.5;
const SMALLEST_PT: f32 = 1.0;

pub struct PlacedLine {
    pub text: String,
    /// Left end of the line, mm from the page's left edge.
    pub x: f32,
    /// Baseline, mm from the page's top edge.
    pub baseline: f32,
}

pub struct Placed {
    pub size_pt: f32,
    pub lines: Vec<PlacedLine>,
}

pub fn fit(
    face: &Face,
    text: &str,
    size_pt: f32,
    max_lines: usize,
    area: &Box,
    align: Align,
    valign: VAlign,
) -> Placed {
    let unit = |s: &str| face.width_pt(s, 1.0) / PT_PER_MM;
    let words: Vec<(&str, f32)> = text.split_whitespace().map(|w| (w, unit(w))).collect();
    let space = unit(" ");
    let metrics = face.metrics();
    let ascent = f32::from(metrics.ascender()) / face.units_per_em;
    let descent = -f32::from(metrics.descender()) / face.units_per_em;

    let mut size = size_pt;
    let (lines, widths) = loop {
        let (lines, widths) = wrap(&words, space, area.width / size, max_lines);
        let widest = widths.iter().copied().fold(0.0, f32::max) * size;
        let height = block_height(lines.len(), size, ascent, descent);
        if (widest <= area.width && height <= area.height) || size <= SMALLEST_PT {
            break (lines, widths);
        }
        // Jump straight to the size at which the widest line fits, then step.
        let by_width = area.width / (widest / size);
        size = if by_width < size - STEP_PT {
            by_width.max(SMALLEST_PT)
        } else {
            (size - STEP_PT).max(SMALLEST_PT)
        };
    };

    let height = block_height(lines.len(), size, ascent, descent);
    let top = match valign {
        VAlign::Top => area.y,
        VAlign::Middle => area.y + (area.height - height) / 2.0,
        VAlign::Bottom => area.y + area.height - height,
    };
    let advance = size * LINE_SPACING / PT_PER_MM;
    let first_baseline = top + ascent * size / PT_PER_MM;
    let lines = lines
        .into_iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (text, unit_width))| {
            let width = unit_width * size;
            let x = match align {
                Align::Left => area.x,
                Align::Centre => area.x + (area.width - width) / 2.0,
                Align::Right => area.x + area.width - width,
            };
            PlacedLine {
                text,
                x,
                baseline: first_baseline + i as f32 * advance,
            }
        })
        .collect();
    Placed { size_pt: size, lines }
}

fn block_height(lines: usize, size: f32, ascent: f32, descent: f32) -> f32 {
    let lines = lines.max(1) as f32;
    ((lines - 1.0) * LINE_SPACING + ascent + descent) * size / PT_PER_MM
}

/// Greedy wrapping at one point size (widths are per point); words past the last allowed line
/// join the last line.
fn wrap(words: &[(&str, f32)], space: f32, max_width: f32, max_lines: usize) -> (Vec<String>, Vec<f32>) {
    let mut lines: Vec<String> = Vec::new();
    let mut widths: Vec<f32> = Vec::new();
    for &(word, width) in words {
        let full = lines.len() >= max_lines;
        match (lines.last_mut(), widths.last_mut()) {
            (Some(line), Some(line_width)) if *line_width + space + width <= max_width || full => {
                line.push(' ');
                line.push_str(word);
                *line_width += space + width;
            }
            _ => {
                lines.push(word.to_string());
                widths.push(width);
            }
        }
    }
    (lines, widths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issuance::render::fonts::{FontName, FontSet};

    fn area() -> Box {
        Box {
            x: 30.0,
            y: 80.0,
            width: 237.0,
            height: 22.0,
        }
    }

    #[test]
    fn a_short_name_keeps_its_size_and_is_centred() {
        let fonts = FontSet::bundled().unwrap();
        let placed = fit(
            fonts.face(FontName::SerifBold),
            "Сейтқали Айгерім",
            30.0,
            2,
            &area(),
            Align::Centre,
            VAlign::Middle,
        );
        assert_eq!(placed.size_pt, 30.0);
        assert_eq!(placed.lines.len(), 1);
        let line = &placed.lines[0];
        assert!(line.x > 30.0 && line.x < 148.5);
    }

    #[test]
    fn a_long_name_shrinks_and_wraps_but_stays_inside() {
        let fonts = FontSet::bundled().unwrap();
        let face = fonts.face(FontName::SerifBold);
        let name = "Әбілқайырова-Сәтбаева Аружан-Гүлназ Нұрланқызы Ерболатқызы Төлеубаева";
        let placed = fit(face, name, 30.0, 2, &area(), Align::Centre, VAlign::Middle);
        assert!(placed.size_pt < 30.0);
        assert!(placed.lines.len() <= 2);
        let joined: Vec<&str> = placed.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined.join(" "), name, "nothing is cut");
        for line in &placed.lines {
            let width = face.width_pt(&line.text, placed.size_pt) / PT_PER_MM;
            assert!(line.x >= 30.0 - 0.01 && line.x + width <= 267.0 + 0.01);
            assert!(line.baseline > 80.0 && line.baseline < 102.0);
        }
    }
}
