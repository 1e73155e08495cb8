//! The bundled fonts, parsed once per process: ttf-parser measures text and checks that every
//! character has a glyph; the source bytes are what gets subset and embedded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::unhinted::Unhinted;

/// The faces a design may name. PT Serif and PT Sans cover Kazakh, Russian and Latin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FontName {
    Serif,
    SerifBold,
    SerifItalic,
    Sans,
    SansBold,
}

impl FontName {
    pub const ALL: [FontName; 5] = [
        FontName::Serif,
        FontName::SerifBold,
        FontName::SerifItalic,
        FontName::Sans,
        FontName::SansBold,
    ];
}

/// Characters below this are looked up in a table made once per face (Latin, Latin-1 and
/// Extended-A/B, Greek and Cyrillic with every Kazakh letter): a paper measures and encodes each
/// character of its texts several times, and the font's cmap lookup was a tenth of issuing.
const TABLED: u32 = 0x0500;

/// A tabled character's glyph: `NONE` when the font has none.
const NONE: u32 = u32::MAX;

pub struct Face {
    pub name: FontName,
    /// The tables that get subset and embedded.
    pub tables: Unhinted,
    metrics: ttf_parser::Face<'static>,
    /// The glyph of each character below [`TABLED`] (as `ttf_parser` maps it), or [`NONE`].
    tabled: Box<[u32]>,
    pub units_per_em: f32,
}

impl Face {
    fn load(name: FontName, bytes: &'static [u8]) -> Result<Face, String> {
        let metrics = ttf_parser::Face::parse(bytes, 0).map_err(|e| format!("{name:?}: {e}"))?;
        let tabled = (0..TABLED)
            .map(|code| {
                char::from_u32(code)
                    .and_then(|c| metrics.glyph_index(c))
                    .map_or(NONE, |g| u32::from(g.0))
            })
            .collect();
        Ok(Face {
            name,
            tables: Unhinted::new(bytes).map_err(|e| format!("{name:?}: {e}"))?,
            units_per_em: f32::from(metrics.units_per_em()),
            tabled,
            metrics,
        })
    }

    pub fn has_glyph(&self, c: char) -> bool {
        c.is_whitespace() || self.glyph(c).is_some()
    }

    #[inline]
    pub fn glyph(&self, c: char) -> Option<u16> {
        match self.tabled.get(c as usize) {
            Some(&NONE) => None,
            Some(&glyph) => u16::try_from(glyph).ok(),
            None => self.metrics.glyph_index(c).map(|g| g.0),
        }
    }

    /// Advance of a glyph in font units.
    pub fn advance(&self, glyph: u16) -> u16 {
        self.metrics
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0)
    }

    /// Width of a line of text in points (advances, no kerning: what the content stream draws).
    pub fn width_pt(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| self.glyph(c).map_or(0, |g| u32::from(self.advance(g))))
            .sum();
        units as f32 * size_pt / self.units_per_em
    }

    pub fn metrics(&self) -> &ttf_parser::Face<'static> {
        &self.metrics
    }

    pub fn postscript_name(&self) -> String {
        self.metrics
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| format!("{:?}", self.name))
    }
}

/// PT Serif and PT Sans, compiled into the binary so a lone executable renders.
pub struct FontSet {
    faces: BTreeMap<FontName, Face>,
}

impl FontSet {
    pub fn bundled() -> Result<FontSet, String> {
        let sources: [(FontName, &'static [u8]); 5] = [
            (
                FontName::Serif,
                include_bytes!("../../../fonts/PTSerif-Regular.ttf"),
            ),
            (
                FontName::SerifBold,
                include_bytes!("../../../fonts/PTSerif-Bold.ttf"),
            ),
            (
                FontName::SerifItalic,
                include_bytes!("../../../fonts/PTSerif-Italic.ttf"),
            ),
            (
                FontName::Sans,
                include_bytes!("../../../fonts/PTSans-Regular.ttf"),
            ),
            (
                FontName::SansBold,
                include_bytes!("../../../fonts/PTSans-Bold.ttf"),
            ),
        ];
        let faces = sources
            .into_iter()
            .map(|(name, bytes)| Face::load(name, bytes).map(|face| (name, face)))
            .collect::<Result<_, _>>()?;
        Ok(FontSet { faces })
    }

    pub fn face(&self, name: FontName) -> &Face {
        // `bundled` loads every name in `FontName::ALL`.
        &self.faces[&name]
    }

    pub fn faces(&self) -> impl Iterator<Item = &Face> {
        self.faces.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_the_glyphs_the_fonts_cmap_gives() {
        let fonts = FontSet::bundled().expect("bundled fonts");
        let mut tabled_with_glyph = 0;
        for face in fonts.faces() {
            for code in (0..0x3000).chain(0x1F600..0x1F610) {
                let Some(c) = char::from_u32(code) else {
                    continue;
                };
                let cmap = face.metrics.glyph_index(c).map(|g| g.0);
                assert_eq!(face.glyph(c), cmap, "{:?} U+{code:04X}", face.name);
                tabled_with_glyph += usize::from(code < TABLED && cmap.is_some());
            }
            assert!(face.has_glyph('Ә') && face.has_glyph('қ') && face.has_glyph(' '));
        }
        // Latin, Cyrillic and Kazakh are in the table for every face, not only past it.
        assert!(tabled_with_glyph > 5 * 300, "{tabled_with_glyph}");
    }
}
