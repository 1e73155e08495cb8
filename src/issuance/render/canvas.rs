//! A page under construction, in millimetres from the top-left corner as designers measure,
//! turned into printpdf operations.

use printpdf::{
    Color, CurTransMat, DictItem, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, Point, Polygon,
    PolygonRing, Pt, Rect, Rgb, TextItem, WindingOrder,
};

use super::fonts::{FontSet, FontStyle};

pub const MM_PER_PT: f32 = 25.4 / 72.0;

#[derive(Debug, Clone, Copy)]
pub struct Colour(pub f32, pub f32, pub f32);

impl Colour {
    fn to_pdf(self) -> Color {
        Color::Rgb(Rgb::new(self.0, self.1, self.2, None))
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Align {
    Left,
    Centre,
}

/// One line of text to place.
pub struct TextStyle {
    pub font: FontStyle,
    pub size_pt: f32,
    pub colour: Colour,
}

pub struct Canvas<'a> {
    fonts: &'a FontSet,
    font_ids: Vec<(FontStyle, FontId)>,
    height_mm: f32,
    pub ops: Vec<Op>,
}

impl<'a> Canvas<'a> {
    pub fn new(fonts: &'a FontSet, font_ids: Vec<(FontStyle, FontId)>, height_mm: f32) -> Self {
        Canvas {
            fonts,
            font_ids,
            height_mm,
            ops: Vec::new(),
        }
    }

    fn point(&self, x_mm: f32, y_mm: f32) -> Point {
        Point::new(Mm(x_mm), Mm(self.height_mm - y_mm))
    }

    pub fn width_mm(&self, text: &str, font: FontStyle, size_pt: f32) -> f32 {
        self.fonts.face(font).width_pt(text, size_pt) * MM_PER_PT
    }

    /// The largest size, from `style.size_pt` down to `min_pt`, at which `text` fits `max_width_mm`.
    pub fn fitting_size(&self, text: &str, style: &TextStyle, max_width_mm: f32, min_pt: f32) -> f32 {
        let natural = self.width_mm(text, style.font, style.size_pt);
        if natural <= max_width_mm {
            style.size_pt
        } else {
            (style.size_pt * max_width_mm / natural).max(min_pt)
        }
    }

    /// Breaks text into lines no wider than `max_width_mm`, at spaces.
    pub fn wrap(&self, text: &str, font: FontStyle, size_pt: f32, max_width_mm: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if current.is_empty() || self.width_mm(&candidate, font, size_pt) <= max_width_mm {
                current = candidate;
            } else {
                lines.push(std::mem::replace(&mut current, word.to_string()));
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// Places one line with its baseline at `y_mm`; `x_mm` is the left edge or the centre.
    pub fn text(&mut self, text: &str, style: &TextStyle, align: Align, x_mm: f32, y_mm: f32) {
        let Some(font_id) = self
            .font_ids
            .iter()
            .find(|(s, _)| *s == style.font)
            .map(|(_, id)| id.clone())
        else {
            return;
        };
        let left = match align {
            Align::Left => x_mm,
            Align::Centre => x_mm - self.width_mm(text, style.font, style.size_pt) / 2.0,
        };
        let pos = self.point(left, y_mm);
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font_id),
                size: Pt(style.size_pt),
            },
            Op::SetFillColor {
                col: style.colour.to_pdf(),
            },
            Op::SetTextCursor { pos },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    pub fn fill_colour(&mut self, colour: Colour) {
        self.ops.push(Op::SetFillColor { col: colour.to_pdf() });
    }

    /// A filled rectangle whose top-left corner is at (x, y).
    pub fn fill_rect(&mut self, x_mm: f32, y_mm: f32, width_mm: f32, height_mm: f32) {
        let bottom_left = self.point(x_mm, y_mm + height_mm);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: bottom_left.x,
                y: bottom_left.y,
                width: Mm(width_mm).into_pt(),
                height: Mm(height_mm).into_pt(),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// A grid of cells (a QR code) filled as one path: the cell size goes into the transformation
    /// matrix, so each rectangle is four small integers (`col row width height re`) and one `f` fills
    /// them all. Thousands of rectangles cost a fraction of separate fills with real coordinates.
    pub fn fill_cells(
        &mut self,
        left_mm: f32,
        top_mm: f32,
        cell_mm: f32,
        cells: impl IntoIterator<Item = (usize, usize, usize, usize)>,
    ) {
        let origin = self.point(left_mm, top_mm);
        let cell = Mm(cell_mm).into_pt().0;
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([cell, 0.0, 0.0, -cell, origin.x.0, origin.y.0]),
        });
        let int = |n: usize| DictItem::Int(i64::try_from(n).unwrap_or(i64::MAX));
        for (row, column, width, height) in cells {
            self.ops.push(Op::Unknown {
                key: "re".into(),
                value: vec![int(column), int(row), int(width), int(height)],
            });
        }
        self.ops.push(Op::Unknown {
            key: "f".into(),
            value: Vec::new(),
        });
        self.ops.push(Op::RestoreGraphicsState);
    }

    pub fn stroke_rect(&mut self, x_mm: f32, y_mm: f32, w_mm: f32, h_mm: f32, colour: Colour, width_pt: f32) {
        let corners = [
            (x_mm, y_mm),
            (x_mm + w_mm, y_mm),
            (x_mm + w_mm, y_mm + h_mm),
            (x_mm, y_mm + h_mm),
        ];
        self.stroke_path(&corners, true, colour, width_pt);
    }

    fn line_points(&self, points_mm: &[(f32, f32)]) -> Vec<LinePoint> {
        points_mm
            .iter()
            .map(|&(x, y)| LinePoint {
                p: self.point(x, y),
                bezier: false,
            })
            .collect()
    }

    pub fn stroke_path(&mut self, points_mm: &[(f32, f32)], closed: bool, colour: Colour, width_pt: f32) {
        let points = self.line_points(points_mm);
        self.ops.extend([
            Op::SetOutlineColor { col: colour.to_pdf() },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::DrawLine {
                line: Line {
                    points,
                    is_closed: closed,
                },
            },
        ]);
    }

    pub fn fill_polygon(&mut self, points_mm: &[(f32, f32)], colour: Colour) {
        let points = self.line_points(points_mm);
        self.ops.extend([
            Op::SetFillColor { col: colour.to_pdf() },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing { points }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }
}
