//! Rendering is data in, bytes out: a document's payload and its verification URL become a PDF.
//! The same input always gives the same bytes.

mod canvas;
pub mod classic;
mod fonts;
mod qr;
mod words;

use std::collections::BTreeSet;

use printpdf::{FontId, Mm, PdfDocument, PdfFont, PdfPage, PdfSaveOptions};
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, Time};

use crate::domain::time::parse_date;
use crate::domain::DocumentPayload;
use canvas::Canvas;
pub use fonts::{FontSet, FontStyle};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the design \"{0}\" does not exist")]
    UnknownDesign(String),
    #[error("the verification URL does not fit in a QR code: {0}")]
    Qr(String),
    #[error("the fonts lack these characters: {0}")]
    MissingGlyphs(String),
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// The PDF Info entry holding the QR code's full URL with its signed record.
pub const VERIFICATION_KEY: &str = "GramotaVerification";

pub struct Renderer {
    fonts: FontSet,
}

impl Renderer {
    pub fn new() -> Result<Renderer, String> {
        Ok(Renderer {
            fonts: FontSet::bundled()?,
        })
    }

    pub fn knows_design(&self, design: &str) -> bool {
        design == classic::NAME
    }

    /// Characters in `text` that some face of the design cannot draw. printpdf would print an
    /// empty box for each, so issuing is refused before any paper is made.
    pub fn missing_glyphs(&self, text: &str) -> BTreeSet<char> {
        text.chars()
            .filter(|&c| self.fonts.faces().any(|face| !face.has_glyph(c)))
            .collect()
    }

    pub fn render(
        &self,
        design: &str,
        payload: &DocumentPayload,
        qr_url: &str,
    ) -> Result<Vec<u8>, RenderError> {
        if !self.knows_design(design) {
            return Err(RenderError::UnknownDesign(design.to_string()));
        }
        let missing: String = payload
            .printed_texts()
            .into_iter()
            .flat_map(|t| self.missing_glyphs(t))
            .collect::<BTreeSet<char>>()
            .into_iter()
            .collect();
        if !missing.is_empty() {
            return Err(RenderError::MissingGlyphs(missing));
        }
        let qr = qr::encode(qr_url).map_err(|e| RenderError::Qr(e.to_string()))?;
        // The printed line is for typing: the URL without the signed record after `#`.
        let printed_url = qr_url.split('#').next().unwrap_or(qr_url);

        // Fixed font ids give fixed resource names; the first six letters become the subset tag,
        // taken from what the paper says so different subsets get different tags.
        let fingerprint = Sha256::digest(serde_json::to_vec(payload).unwrap_or_default());
        let tag: String = fingerprint[..4].iter().map(|b| (b'A' + b % 26) as char).collect();
        let font_ids: Vec<(FontStyle, FontId)> = FontStyle::ALL
            .iter()
            .map(|&style| {
                (
                    style,
                    FontId(format!("{tag}{}", ["RG", "BD", "IT"][style as usize])),
                )
            })
            .collect();

        let mut canvas = Canvas::new(&self.fonts, font_ids.clone(), classic::PAGE_HEIGHT_MM);
        classic::draw(&mut canvas, payload, printed_url, &qr);

        let mut doc = PdfDocument::new(&format!("{} — {}", payload.serial, payload.holder));
        let info = &mut doc.metadata.info;
        let paper_date = parse_date(&payload.date)
            .map(|d| OffsetDateTime::new_utc(d, Time::MIDNIGHT).unix_timestamp())
            .and_then(|seconds| printpdf::DateTime::from_unix_timestamp(seconds).ok());
        if let Some(date) = paper_date {
            info.creation_date = date;
            info.modification_date = date;
            info.metadata_date = date;
        }
        info.producer = "gramota".into();
        info.creator = "gramota".into();
        info.author = payload.issuer.clone();
        info.identifier = payload.serial.clone();
        for (style, id) in font_ids {
            let face = self.fonts.face(style);
            doc.resources
                .fonts
                .map
                .insert(id, PdfFont::new(face.embeddable.clone()));
        }
        doc.with_pages(vec![PdfPage::new(
            Mm(classic::PAGE_WIDTH_MM),
            Mm(classic::PAGE_HEIGHT_MM),
            canvas.ops,
        )]);

        let options = PdfSaveOptions {
            optimize: true,
            subset_fonts: true,
            // Every operator is ours (the QR code's path uses raw `re`/`f`), none comes from input.
            secure: false,
            image_optimization: None,
        };
        let mut lopdf_doc = doc.to_lopdf_document(&options, &mut Vec::new());
        // printpdf takes the trailer /ID from a process-wide counter; the paper's own fingerprint
        // makes the bytes reproducible.
        let id = lopdf::Object::String(fingerprint[..16].to_vec(), lopdf::StringFormat::Hexadecimal);
        lopdf_doc
            .trailer
            .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
        // The signed record travels inside the file too, so `gramota verify` needs no image decoding.
        if let Ok(info_id) = lopdf_doc
            .trailer
            .get(b"Info")
            .and_then(lopdf::Object::as_reference)
        {
            if let Ok(info) = lopdf_doc.get_dictionary_mut(info_id) {
                info.set(
                    VERIFICATION_KEY,
                    lopdf::Object::String(qr_url.as_bytes().to_vec(), lopdf::StringFormat::Literal),
                );
            }
        }
        lopdf_doc.compress();
        let mut bytes = Vec::with_capacity(64 * 1024);
        lopdf_doc
            .save_to(&mut bytes)
            .map_err(|e| RenderError::Write(e.to_string()))?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn payload(holder: &str) -> DocumentPayload {
        DocumentPayload {
            language: Lang::Kk,
            award: "place_1".into(),
            award_title: "I орын".into(),
            holder: holder.into(),
            team_members: vec![],
            school: Some("№5 мектеп-гимназия".into()),
            region: Some("Абай облысы".into()),
            supervisor: Some("Қасымова Әлия".into()),
            nomination: Some("Ғылыми жоба".into()),
            age_group: Some("12–14 жас".into()),
            competition: "Жас зерттеушілердің республикалық байқауы".into(),
            issuer: "Республикалық оқу-әдістемелік орталығы".into(),
            city: Some("Астана".into()),
            date: "2026-11-20".into(),
            valid_until: None,
            serial: "KZ-2026-000123".into(),
            code: "ABCDEFGHJKMNPQRS".into(),
        }
    }

    #[test]
    fn the_same_paper_renders_to_the_same_bytes() {
        let renderer = Renderer::new().unwrap();
        let url = "https://gramota.kz/v/ABCDEFGHJKMNPQRS";
        let first = renderer
            .render(classic::NAME, &payload("Сейтқали Айгерім"), url)
            .unwrap();
        let second = renderer
            .render(classic::NAME, &payload("Сейтқали Айгерім"), url)
            .unwrap();
        assert!(first.starts_with(b"%PDF-"));
        assert_eq!(first, second);
        let other = renderer
            .render(classic::NAME, &payload("Сейтқали Әсем"), url)
            .unwrap();
        assert_ne!(first, other);
    }

    #[test]
    fn a_character_the_fonts_lack_is_refused_not_printed_as_a_box() {
        let renderer = Renderer::new().unwrap();
        let result = renderer.render(classic::NAME, &payload("王 Айгерім"), "https://gramota.kz/v/X");
        assert!(
            matches!(result, Err(RenderError::MissingGlyphs(ref c)) if c == "王"),
            "{result:?}"
        );
        assert!(
            renderer.missing_glyphs("ӘәҒғҚқҢңӨөҰұҮүҺһІі Ёё №«»–").is_empty(),
            "every Kazakh letter"
        );
    }
}
