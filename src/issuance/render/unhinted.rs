//! A font's tables without TrueType hinting, for subsetting. Hints help pixels on low-resolution
//! screens; on paper and in PDF viewers they are dead weight, and in PT Serif they are more than
//! half of every subset (35 KB of a 59 KB subset). Removing them is done once per process.

use std::borrow::Cow;

use allsorts::error::ParseError;
use allsorts::tables::FontTableProvider;
use allsorts::tag;
use ttf_parser::{RawFace, Tag};

const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

/// Tables that only carry hinting programs.
const HINTING_TABLES: [u32; 6] = [tag::CVT, tag::FPGM, tag::PREP, tag::HDMX, tag::LTSH, tag::VDMX];

pub struct Unhinted {
    raw: RawFace<'static>,
    head: Vec<u8>,
    loca: Vec<u8>,
    glyf: Vec<u8>,
}

impl Unhinted {
    pub fn new(bytes: &'static [u8]) -> Result<Unhinted, String> {
        let raw = RawFace::parse(bytes, 0).map_err(|e| e.to_string())?;
        let table = |name: &[u8; 4]| {
            raw.table(Tag::from_bytes(name))
                .ok_or_else(|| format!("the font has no {} table", String::from_utf8_lossy(name)))
        };
        let (head, maxp, loca, glyf) = (table(b"head")?, table(b"maxp")?, table(b"loca")?, table(b"glyf")?);
        let short_offsets = read_u16(head, 50)? == 0;
        let glyphs = usize::from(read_u16(maxp, 4)?);
        let offset = |i: usize| -> Result<usize, String> {
            Ok(if short_offsets {
                usize::from(read_u16(loca, i * 2)?) * 2
            } else {
                read_u32(loca, i * 4)? as usize
            })
        };
        let mut new_glyf = Vec::with_capacity(glyf.len() / 2);
        let mut new_loca = Vec::with_capacity((glyphs + 1) * 4);
        for i in 0..glyphs {
            new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
            let (start, end) = (offset(i)?, offset(i + 1)?);
            if end > start {
                let glyph = glyf
                    .get(start..end)
                    .ok_or("a glyph lies outside the glyf table")?;
                strip_glyph(glyph, &mut new_glyf)?;
                while new_glyf.len() % 4 != 0 {
                    new_glyf.push(0);
                }
            }
        }
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let mut new_head = head.to_vec();
        // Long offsets in the new loca table.
        new_head
            .get_mut(50..52)
            .ok_or("the head table is too short")?
            .copy_from_slice(&1_u16.to_be_bytes());
        Ok(Unhinted {
            raw,
            head: new_head,
            loca: new_loca,
            glyf: new_glyf,
        })
    }
}

fn strip_glyph(glyph: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
    let contours = read_u16(glyph, 0)? as i16;
    if contours >= 0 {
        let instructions_at = 10 + 2 * contours as usize;
        let length = usize::from(read_u16(glyph, instructions_at)?);
        let rest = glyph
            .get(instructions_at + 2 + length..)
            .ok_or("a glyph's instructions run past its end")?;
        out.extend_from_slice(&glyph[..instructions_at]);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(rest);
        return Ok(());
    }
    // A composite glyph: components, then instructions if the last one says so.
    let mut at = 10;
    let start = out.len();
    loop {
        let flags = read_u16(glyph, at)?;
        let mut size = 4 + if flags & ARG_1_AND_2_ARE_WORDS != 0 { 4 } else { 2 };
        size += if flags & WE_HAVE_A_SCALE != 0 {
            2
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            4
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        at += size;
        if flags & MORE_COMPONENTS == 0 {
            break;
        }
    }
    out.extend_from_slice(glyph.get(..at).ok_or("a composite glyph is cut short")?);
    // Clear the instruction flag of every component (only the last one's counts).
    let mut component = start + 10;
    loop {
        let flags = u16::from_be_bytes([out[component], out[component + 1]]);
        out[component..component + 2].copy_from_slice(&(flags & !WE_HAVE_INSTRUCTIONS).to_be_bytes());
        let mut size = 4 + if flags & ARG_1_AND_2_ARE_WORDS != 0 { 4 } else { 2 };
        size += if flags & WE_HAVE_A_SCALE != 0 {
            2
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            4
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        component += size;
        if flags & MORE_COMPONENTS == 0 {
            return Ok(());
        }
    }
}

fn read_u16(data: &[u8], at: usize) -> Result<u16, String> {
    data.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| "a font table is cut short".to_string())
}

fn read_u32(data: &[u8], at: usize) -> Result<u32, String> {
    data.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| "a font table is cut short".to_string())
}

impl FontTableProvider for Unhinted {
    fn table_data(&self, tag: u32) -> Result<Option<Cow<'_, [u8]>>, ParseError> {
        Ok(match tag {
            tag::HEAD => Some(Cow::Borrowed(&self.head[..])),
            tag::LOCA => Some(Cow::Borrowed(&self.loca[..])),
            tag::GLYF => Some(Cow::Borrowed(&self.glyf[..])),
            t if HINTING_TABLES.contains(&t) => None,
            t => self.raw.table(Tag(t)).map(Cow::Borrowed),
        })
    }

    fn has_table(&self, tag: u32) -> bool {
        !HINTING_TABLES.contains(&tag) && self.raw.table(Tag(tag)).is_some()
    }

    fn table_tags(&self) -> Option<Vec<u32>> {
        Some(
            self.raw
                .table_records
                .into_iter()
                .map(|r| r.tag.0)
                .filter(|t| !HINTING_TABLES.contains(t))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_keeps_its_outline_and_loses_its_instructions() {
        let bytes: &'static [u8] = include_bytes!("../../../fonts/PTSerif-Regular.ttf");
        let font = Unhinted::new(bytes).unwrap();
        assert!(
            font.glyf.len() < bytes.len() / 2,
            "hinting was most of the outlines' bytes"
        );
        assert!(font.table_data(tag::FPGM).unwrap().is_none());
        // The outlines are the same: ttf-parser reads the same bounding box from both.
        let original = ttf_parser::Face::parse(bytes, 0).unwrap();
        let glyph = original.glyph_index('Ә').unwrap();
        let start = u32::from_be_bytes(font.loca[glyph.0 as usize * 4..][..4].try_into().unwrap()) as usize;
        let stripped = &font.glyf[start..];
        let x_min = i16::from_be_bytes([stripped[2], stripped[3]]);
        assert_eq!(x_min, original.glyph_bounding_box(glyph).unwrap().x_min);
    }
}
