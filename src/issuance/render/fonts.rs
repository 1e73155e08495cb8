//! The bundled fonts, parsed once per process: printpdf's form for embedding, ttf-parser's for
//! measuring text and checking that every character has a glyph.

use printpdf::ParsedFont;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FontStyle {
    Regular,
    Bold,
    Italic,
}

impl FontStyle {
    pub const ALL: [FontStyle; 3] = [FontStyle::Regular, FontStyle::Bold, FontStyle::Italic];
}

pub struct Face {
    pub style: FontStyle,
    pub embeddable: ParsedFont,
    metrics: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(style: FontStyle, bytes: &'static [u8]) -> Result<Face, String> {
        let metrics = ttf_parser::Face::parse(bytes, 0).map_err(|e| format!("{style:?}: {e}"))?;
        let embeddable = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .ok_or_else(|| format!("{style:?}: printpdf cannot read the font"))?;
        Ok(Face {
            style,
            embeddable,
            units_per_em: f32::from(metrics.units_per_em()),
            metrics,
        })
    }

    pub fn has_glyph(&self, c: char) -> bool {
        c.is_whitespace() || self.metrics.glyph_index(c).is_some()
    }

    /// Width of a line of text in points, as printpdf lays it out (advances, no kerning).
    pub fn width_pt(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                self.metrics
                    .glyph_index(c)
                    .and_then(|g| self.metrics.glyph_hor_advance(g))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 * size_pt / self.units_per_em
    }
}

/// PT Serif in three styles, compiled into the binary so a lone executable renders.
pub struct FontSet {
    faces: Vec<Face>,
}

impl FontSet {
    pub fn bundled() -> Result<FontSet, String> {
        let faces = vec![
            Face::load(
                FontStyle::Regular,
                include_bytes!("../../../fonts/PTSerif-Regular.ttf"),
            )?,
            Face::load(FontStyle::Bold, include_bytes!("../../../fonts/PTSerif-Bold.ttf"))?,
            Face::load(
                FontStyle::Italic,
                include_bytes!("../../../fonts/PTSerif-Italic.ttf"),
            )?,
        ];
        Ok(FontSet { faces })
    }

    pub fn face(&self, style: FontStyle) -> &Face {
        // `bundled` loads every style in `FontStyle::ALL` order.
        &self.faces[style as usize]
    }

    pub fn faces(&self) -> impl Iterator<Item = &Face> {
        self.faces.iter()
    }
}
