//! A font subset ready to embed: the glyphs of a character set, compressed once, with the PDF
//! objects that describe it (Type0 / CIDFontType2 with Identity-H, widths, ToUnicode for text
//! extraction). Made once per design and alphabet, then copied into every paper as bytes.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use sha2::{Digest, Sha256};

use super::fonts::Face;
use super::pdf::{deflate, hex, Fragment};

/// Objects per embedded font: Type0, CIDFont, descriptor, font file, ToUnicode.
pub const OBJECTS_PER_FONT: u32 = 5;

pub struct EmbeddedFont {
    /// Character → glyph id in the subset (the CID under Identity-H).
    glyphs: HashMap<char, u16>,
    /// Object number of the Type0 font dictionary the page resources point to.
    pub object: u32,
}

impl EmbeddedFont {
    /// Subsets `face` to `chars` (characters the face lacks are left out; the coverage check
    /// refuses them earlier) and writes its objects, numbered from `first_object`, into `out`.
    pub fn build(
        face: &Face,
        chars: &BTreeSet<char>,
        first_object: u32,
        out: &mut Fragment,
    ) -> Result<EmbeddedFont, String> {
        let mut by_glyph: Vec<(u16, char)> = chars
            .iter()
            .filter_map(|&c| face.glyph(c).map(|g| (g, c)))
            .collect();
        by_glyph.sort_unstable();
        by_glyph.dedup_by_key(|(g, _)| *g);
        // allsorts renumbers glyphs by their position in this list; .notdef must come first.
        let mut ids = vec![0_u16];
        ids.extend(by_glyph.iter().map(|(g, _)| *g).filter(|&g| g != 0));

        let subset_bytes = subset(&face.tables, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| e.to_string())?;

        let new_id: HashMap<u16, u16> = ids
            .iter()
            .enumerate()
            .filter_map(|(position, &old)| u16::try_from(position).ok().map(|p| (old, p)))
            .collect();
        let glyphs: HashMap<char, u16> = chars
            .iter()
            .filter_map(|&c| face.glyph(c).and_then(|g| new_id.get(&g)).map(|&g| (c, g)))
            .collect();
        // One character per glyph is what copying text out of the PDF gives back.
        let to_unicode: Vec<(u16, char)> = by_glyph
            .iter()
            .filter_map(|&(old, c)| new_id.get(&old).map(|&g| (g, c)))
            .collect();

        let scale = 1000.0 / face.units_per_em;
        let widths: String = ids
            .iter()
            .map(|&g| format!("{}", (f32::from(face.advance(g)) * scale).round() as i64))
            .collect::<Vec<_>>()
            .join(" ");
        let tag: String = Sha256::digest(&subset_bytes)[..6]
            .iter()
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        let base_font = format!("{tag}+{}", face.postscript_name());
        let metrics = face.metrics();
        let bbox = metrics.global_bounding_box();
        let to_pdf = |v: i16| (f32::from(v) * scale).round() as i64;
        let italic = metrics.italic_angle();
        let flags = 4 | if italic != 0.0 { 64 } else { 0 };

        let [type0, cid, descriptor, file, cmap] = [0, 1, 2, 3, 4].map(|i| first_object + i);
        out.object(
            type0,
            format!(
                "<</Type/Font/Subtype/Type0/BaseFont/{base_font}/Encoding/Identity-H/DescendantFonts[{cid} 0 R]/ToUnicode {cmap} 0 R>>"
            )
            .as_bytes(),
        );
        out.object(
            cid,
            format!(
                "<</Type/Font/Subtype/CIDFontType2/BaseFont/{base_font}/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor {descriptor} 0 R/CIDToGIDMap/Identity/DW 0/W[0[{widths}]]>>"
            )
            .as_bytes(),
        );
        out.object(
            descriptor,
            format!(
                "<</Type/FontDescriptor/FontName/{base_font}/Flags {flags}/FontBBox[{} {} {} {}]/ItalicAngle {}/Ascent {}/Descent {}/CapHeight {}/StemV 80/FontFile2 {file} 0 R>>",
                to_pdf(bbox.x_min),
                to_pdf(bbox.y_min),
                to_pdf(bbox.x_max),
                to_pdf(bbox.y_max),
                italic.round() as i64,
                to_pdf(metrics.ascender()),
                to_pdf(metrics.descender()),
                to_pdf(metrics.capital_height().unwrap_or(metrics.ascender())),
            )
            .as_bytes(),
        );
        let compressed = deflate(&subset_bytes, 9);
        out.stream(
            file,
            &format!("/Filter/FlateDecode/Length1 {}", subset_bytes.len()),
            &compressed,
        );
        let cmap_text = to_unicode_cmap(&to_unicode);
        out.stream(cmap, "/Filter/FlateDecode", &deflate(cmap_text.as_bytes(), 9));

        Ok(EmbeddedFont {
            glyphs,
            object: type0,
        })
    }

    /// The glyph ids of `text` as a PDF hex string; characters outside the subset are skipped
    /// (the caller checks coverage before drawing).
    pub fn encode(&self, text: &str, out: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        out.push(b'<');
        for c in text.chars() {
            if let Some(&g) = self.glyphs.get(&c) {
                let [hi, lo] = g.to_be_bytes();
                out.extend_from_slice(&[
                    HEX[usize::from(hi >> 4)],
                    HEX[usize::from(hi & 15)],
                    HEX[usize::from(lo >> 4)],
                    HEX[usize::from(lo & 15)],
                ]);
            }
        }
        out.push(b'>');
    }

    pub fn covers(&self, text: &str) -> bool {
        text.chars().all(|c| self.covers_char(c))
    }

    pub fn covers_char(&self, c: char) -> bool {
        self.glyphs.contains_key(&c)
    }
}

fn to_unicode_cmap(entries: &[(u16, char)]) -> String {
    let mut cmap = String::from(
        "/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n",
    );
    for block in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", block.len());
        for &(glyph, c) in block {
            let mut units = [0_u16; 2];
            let utf16: Vec<u8> = c
                .encode_utf16(&mut units)
                .iter()
                .flat_map(|u| u.to_be_bytes())
                .collect();
            let _ = writeln!(cmap, "<{}><{}>", hex(&glyph.to_be_bytes()), hex(&utf16));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict/CMap defineresource pop\nend\nend\n");
    cmap
}
