//! A page's content stream, placed in millimetres from the top-left corner as designers measure
//! and written straight as PDF operators.

use super::embedded_font::EmbeddedFont;

pub const PT_PER_MM: f32 = 72.0 / 25.4;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour(pub f32, pub f32, pub f32);

impl Colour {
    pub const BLACK: Colour = Colour(0.0, 0.0, 0.0);
    pub const WHITE: Colour = Colour(1.0, 1.0, 1.0);

    /// `#RRGGBB`.
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let channel = |i: usize| {
            u8::from_str_radix(&hex[i..i + 2], 16)
                .ok()
                .map(|v| f32::from(v) / 255.0)
        };
        Some(Colour(channel(0)?, channel(2)?, channel(4)?))
    }
}

pub struct Content {
    height_mm: f32,
    pub bytes: Vec<u8>,
}

impl Content {
    pub fn new(height_mm: f32) -> Content {
        Content {
            height_mm,
            bytes: Vec::with_capacity(8 * 1024),
        }
    }

    fn x(&self, mm: f32) -> f32 {
        mm * PT_PER_MM
    }

    fn y(&self, mm_from_top: f32) -> f32 {
        (self.height_mm - mm_from_top) * PT_PER_MM
    }

    fn num(&mut self, value: f32) {
        write_number(&mut self.bytes, value);
    }

    fn op(&mut self, operator: &[u8]) {
        self.bytes.extend_from_slice(operator);
        self.bytes.push(b'\n');
    }

    fn colour(&mut self, colour: Colour, operator: &[u8]) {
        for v in [colour.0, colour.1, colour.2] {
            self.num(v);
        }
        self.op(operator);
    }

    pub fn fill_colour(&mut self, colour: Colour) {
        self.colour(colour, b"rg");
    }

    pub fn stroke_colour(&mut self, colour: Colour) {
        self.colour(colour, b"RG");
    }

    /// One line of text with its left end at `x_mm` and its baseline at `y_mm`.
    pub fn text(&mut self, font: (&str, &EmbeddedFont), size_pt: f32, x_mm: f32, y_mm: f32, text: &str) {
        self.op(b"BT");
        self.bytes.extend_from_slice(font.0.as_bytes());
        self.bytes.push(b' ');
        self.num(size_pt);
        self.op(b"Tf");
        let (x, y) = (self.x(x_mm), self.y(y_mm));
        self.num(x);
        self.num(y);
        self.op(b"Td");
        font.1.encode(text, &mut self.bytes);
        self.op(b" Tj\nET");
    }

    pub fn fill_rect(&mut self, x_mm: f32, y_mm: f32, width_mm: f32, height_mm: f32) {
        self.rect(x_mm, y_mm, width_mm, height_mm);
        self.op(b"f");
    }

    pub fn stroke_rect(&mut self, x_mm: f32, y_mm: f32, width_mm: f32, height_mm: f32, line_pt: f32) {
        self.num(line_pt);
        self.op(b"w");
        self.rect(x_mm, y_mm, width_mm, height_mm);
        self.op(b"S");
    }

    fn rect(&mut self, x_mm: f32, y_mm: f32, width_mm: f32, height_mm: f32) {
        let (x, y) = (self.x(x_mm), self.y(y_mm + height_mm));
        self.num(x);
        self.num(y);
        self.num(width_mm * PT_PER_MM);
        self.num(height_mm * PT_PER_MM);
        self.op(b"re");
    }

    /// A polyline, stroked, or filled when `fill` (closed).
    pub fn path(&mut self, points_mm: &[(f32, f32)], fill: bool, line_pt: f32) {
        let Some((&(x0, y0), rest)) = points_mm.split_first() else {
            return;
        };
        if !fill {
            self.num(line_pt);
            self.op(b"w");
        }
        let (x, y) = (self.x(x0), self.y(y0));
        self.num(x);
        self.num(y);
        self.op(b"m");
        for &(px, py) in rest {
            let (x, y) = (self.x(px), self.y(py));
            self.num(x);
            self.num(y);
            self.op(b"l");
        }
        self.op(if fill { b"f" } else { b"S" });
    }

    /// An image XObject stretched over the box.
    pub fn image(&mut self, resource: &str, x_mm: f32, y_mm: f32, width_mm: f32, height_mm: f32) {
        self.op(b"q");
        let (x, y) = (self.x(x_mm), self.y(y_mm + height_mm));
        self.num(width_mm * PT_PER_MM);
        self.num(0.0);
        self.num(0.0);
        self.num(height_mm * PT_PER_MM);
        self.num(x);
        self.num(y);
        self.op(b"cm");
        self.bytes.extend_from_slice(resource.as_bytes());
        self.op(b" Do\nQ");
    }

    /// A grid of cells (a QR code) filled as one path: the cell size goes into the transformation
    /// matrix, so each rectangle is four small integers and one `f` fills them all.
    pub fn fill_cells(
        &mut self,
        left_mm: f32,
        top_mm: f32,
        cell_mm: f32,
        cells: impl IntoIterator<Item = (usize, usize, usize, usize)>,
    ) {
        let cell = cell_mm * PT_PER_MM;
        let (x, y) = (self.x(left_mm), self.y(top_mm));
        self.op(b"q");
        for v in [cell, 0.0, 0.0, -cell, x, y] {
            self.num(v);
        }
        self.op(b"cm");
        for (row, column, width, height) in cells {
            for v in [column, row, width, height] {
                push_uint(&mut self.bytes, v as u64);
                self.bytes.push(b' ');
            }
            self.bytes.extend_from_slice(b"re\n");
        }
        self.op(b"f\nQ");
    }
}

/// Writes a number with at most three decimals and no trailing zeros, then a space.
fn write_number(out: &mut Vec<u8>, value: f32) {
    let scaled = (f64::from(value) * 1000.0).round() as i64;
    if scaled < 0 {
        out.push(b'-');
    }
    let magnitude = scaled.unsigned_abs();
    let (whole, fraction) = (magnitude / 1000, magnitude % 1000);
    push_uint(out, whole);
    if fraction != 0 {
        let digits = [fraction / 100, fraction / 10 % 10, fraction % 10].map(|d| b'0' + d as u8);
        let used = if digits[2] != b'0' {
            3
        } else if digits[1] != b'0' {
            2
        } else {
            1
        };
        out.push(b'.');
        out.extend_from_slice(&digits[..used]);
    }
    out.push(b' ');
}

/// Decimal digits of `n` (the content stream writes thousands of numbers a page).
fn push_uint(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0_u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        let mut out = Vec::new();
        for v in [0.0, 1.0, -2.5, 0.125, 841.8898, 1e-5] {
            write_number(&mut out, v);
        }
        assert_eq!(String::from_utf8(out).unwrap(), "0 1 -2.5 0.125 841.89 0 ");
    }

    #[test]
    fn colours_parse_from_hex() {
        assert_eq!(Colour::parse("#FF0000"), Some(Colour(1.0, 0.0, 0.0)));
        assert_eq!(Colour::parse("red"), None);
    }
}
