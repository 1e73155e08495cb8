//! Rendering is data in, bytes out: a document's payload and its verification URL become a PDF.
//! The same input always gives the same bytes. A design is prepared once (fonts subset and
//! compressed, pictures converted) and each paper copies what it shares with the others.

mod content;
pub mod design;
mod embedded_font;
mod fields;
mod fonts;
pub mod images;
mod layout;
mod pdf;
mod prepared;
mod qr;
mod unhinted;
mod words;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

pub use design::{Design, DesignError};
pub use fonts::{FontName, FontSet};
use images::Picture;
pub use pdf::PaperPdf;
pub use prepared::{Combined, PreparedDesign};

use crate::domain::DocumentPayload;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the design \"{0}\" does not exist")]
    UnknownDesign(String),
    #[error("the design is not valid: {0}")]
    Design(String),
    #[error("the design uses the picture \"{0}\", which is not stored")]
    MissingAsset(String),
    #[error("the verification URL does not fit in a QR code: {0}")]
    Qr(String),
    #[error("the fonts lack these characters: {0}")]
    MissingGlyphs(String),
    #[error("the PDF could not be written: {0}")]
    Write(String),
    /// Characters the fonts have but the prepared subsets lack; a wider subset is made.
    #[error("characters outside the prepared font subsets: {0:?}")]
    OutsideSubset(BTreeSet<char>),
}

/// A file a paper's PDF carries beside its page (an embedded file, PDF 2.0 / PDF/A-3 "associated
/// file"): the paper's Open Badges credential. Written uncompressed: a signed token does not
/// shrink much, and the bytes `pdfdetach` gives back are then plainly the ones signed.
#[derive(Debug, Clone, Copy)]
pub struct Attachment<'a> {
    /// The file's name (ASCII), e.g. `credential.jwt`.
    pub name: &'a str,
    /// Its media type, e.g. `application/vc+jwt`.
    pub media_type: &'a str,
    /// What it is, for a reader's attachments panel.
    pub description: &'a str,
    /// How it relates to the page (`/AFRelationship`): `Alternative` — the same paper, for
    /// machines.
    pub relationship: &'a str,
    pub bytes: &'a [u8],
}

/// The PDF Info entry holding the QR code's full URL with its signed record.
pub const VERIFICATION_KEY: &str = "GramotaVerification";

/// The designs that come with gramota, from `templates/designs/`.
const BUILT_IN: [(&str, &str); 3] = [
    ("classic", include_str!("../../../templates/designs/classic.json")),
    (
        "classic-kk-ru",
        include_str!("../../../templates/designs/classic-kk-ru.json"),
    ),
    ("modern", include_str!("../../../templates/designs/modern.json")),
];

/// The design new competitions get unless they choose another.
pub const DEFAULT_DESIGN: &str = "classic";

pub struct Renderer {
    fonts: FontSet,
    built_in: BTreeMap<String, Design>,
    prepared: Mutex<HashMap<String, Arc<PreparedDesign>>>,
}

impl Renderer {
    pub fn new() -> Result<Renderer, String> {
        let built_in = BUILT_IN
            .iter()
            .map(|(name, json)| {
                Design::parse(json)
                    .map(|d| (name.to_string(), d))
                    .map_err(|e| format!("built-in design {name}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Renderer {
            fonts: FontSet::bundled()?,
            built_in,
            prepared: Mutex::new(HashMap::new()),
        })
    }

    pub fn knows_design(&self, design: &str) -> bool {
        self.built_in.contains_key(design)
    }

    pub fn built_in_designs(&self) -> impl Iterator<Item = &Design> {
        self.built_in.values()
    }

    /// Characters in `text` that some face cannot draw. A PDF would print an empty box for each,
    /// so issuing is refused before any paper is made.
    pub fn missing_glyphs(&self, text: &str) -> BTreeSet<char> {
        text.chars()
            .filter(|&c| self.fonts.faces().any(|face| !face.has_glyph(c)))
            .collect()
    }

    /// A built-in design made ready, once per process.
    pub fn prepared(&self, design: &str) -> Result<Arc<PreparedDesign>, RenderError> {
        let mut cache = self
            .prepared
            .lock()
            .map_err(|_| RenderError::Write("the design cache is poisoned".into()))?;
        if let Some(ready) = cache.get(design) {
            return Ok(ready.clone());
        }
        let model = self
            .built_in
            .get(design)
            .ok_or_else(|| RenderError::UnknownDesign(design.to_string()))?;
        let ready = Arc::new(PreparedDesign::prepare(
            model,
            &self.fonts,
            &BTreeMap::new(),
            &BTreeSet::new(),
        )?);
        cache.insert(design.to_string(), ready.clone());
        Ok(ready)
    }

    /// Prepares a design with its pictures (an organizer's own design, or a benchmark's).
    pub fn prepare(
        &self,
        design: &Design,
        pictures: &BTreeMap<String, Picture>,
    ) -> Result<PreparedDesign, RenderError> {
        PreparedDesign::prepare(design, &self.fonts, pictures, &BTreeSet::new())
    }

    pub fn render(
        &self,
        design: &str,
        payload: &DocumentPayload,
        qr_url: &str,
    ) -> Result<Vec<u8>, RenderError> {
        Ok(self.render_paper(design, payload, qr_url)?.into_bytes())
    }

    /// One paper, as the design's shared bytes and the paper's own, with the file's digest.
    pub fn render_paper(
        &self,
        design: &str,
        payload: &DocumentPayload,
        qr_url: &str,
    ) -> Result<PaperPdf, RenderError> {
        let prepared = self.prepared(design)?;
        self.render_prepared(&prepared, payload, qr_url, &BTreeMap::new(), None)
    }

    /// Renders one paper. A paper with a character outside the prepared alphabet gets fonts
    /// subset for it alone: slower, and still the same bytes every time; a character the fonts
    /// lack is refused.
    pub fn render_prepared(
        &self,
        prepared: &PreparedDesign,
        payload: &DocumentPayload,
        qr_url: &str,
        pictures: &BTreeMap<String, Picture>,
        attachment: Option<&Attachment<'_>>,
    ) -> Result<PaperPdf, RenderError> {
        match prepared.render(&self.fonts, payload, qr_url, attachment) {
            Err(RenderError::OutsideSubset(extra)) => {
                let missing: String = extra
                    .iter()
                    .copied()
                    .filter(|&c| self.fonts.faces().any(|face| !face.has_glyph(c)))
                    .collect();
                if !missing.is_empty() {
                    return Err(RenderError::MissingGlyphs(missing));
                }
                PreparedDesign::prepare(prepared.design(), &self.fonts, pictures, &extra)?.render(
                    &self.fonts,
                    payload,
                    qr_url,
                    attachment,
                )
            }
            done => done,
        }
    }

    /// A design prepared with subsets wide enough for `extra` characters too (for a print file
    /// whose papers use characters beyond the usual alphabet).
    pub fn prepared_with(
        &self,
        design: &str,
        extra: &BTreeSet<char>,
    ) -> Result<Arc<PreparedDesign>, RenderError> {
        if extra.is_empty() {
            return self.prepared(design);
        }
        let model = self
            .built_in
            .get(design)
            .ok_or_else(|| RenderError::UnknownDesign(design.to_string()))?;
        Ok(Arc::new(PreparedDesign::prepare(
            model,
            &self.fonts,
            &BTreeMap::new(),
            extra,
        )?))
    }

    pub fn fonts(&self) -> &FontSet {
        &self.fonts
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
            pupils: vec![],
            hours: None,
            custom: Default::default(),
            signer: None,
            signer_title: None,
            team: None,
            reviewed: None,
            event: None,
            reason: None,
        }
    }

    #[test]
    fn the_same_paper_renders_to_the_same_bytes() {
        let renderer = Renderer::new().unwrap();
        let url = "https://gramota.kz/v/ABCDEFGHJKMNPQRS";
        let first = renderer
            .render(DEFAULT_DESIGN, &payload("Сейтқали Айгерім"), url)
            .unwrap();
        let second = renderer
            .render(DEFAULT_DESIGN, &payload("Сейтқали Айгерім"), url)
            .unwrap();
        assert!(first.starts_with(b"%PDF-"));
        assert_eq!(first, second);
        let other = renderer
            .render(DEFAULT_DESIGN, &payload("Сейтқали Әсем"), url)
            .unwrap();
        assert_ne!(first, other);
    }

    #[test]
    fn a_credential_is_embedded_only_when_given_and_the_same_bytes_every_time() {
        let renderer = Renderer::new().unwrap();
        let prepared = renderer.prepared(DEFAULT_DESIGN).unwrap();
        let url = "https://gramota.kz/v/ABCDEFGHJKMNPQRS";
        let paper = payload("Сейтқали Айгерім");
        let render = |attachment: Option<&Attachment<'_>>| {
            renderer
                .render_prepared(&prepared, &paper, url, &BTreeMap::new(), attachment)
                .unwrap()
                .into_bytes()
        };
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        // A paper issued before credentials were made at issue renders as it always did.
        let without = render(None);
        assert!(text(&without).contains("<</Type/Catalog/Pages 3 0 R>>"));
        assert!(!text(&without).contains("/EmbeddedFiles") && !text(&without).contains("/AF["));
        let jwt = b"eyJhbGciOiJFZERTQSJ9.eyJpZCI6IngifQ.c2ln";
        let file = Attachment {
            name: "credential.jwt",
            media_type: "application/vc+jwt",
            description: "Open Badges 3.0 credential (VC-JWT)",
            relationship: "Alternative",
            bytes: jwt,
        };
        let with = render(Some(&file));
        assert_eq!(with, render(Some(&file)), "the same bytes every time");
        let with_text = text(&with);
        assert!(with_text.contains("/Names<</EmbeddedFiles<</Names[(credential.jwt) "));
        assert!(with_text.contains("/AFRelationship/Alternative"));
        assert!(with_text.contains(&format!(
            "/Type/EmbeddedFile/Subtype/application#2Fvc+jwt/Params<</Size {}>>",
            jwt.len()
        )));
        assert!(with.windows(jwt.len()).any(|w| w == jwt), "stored as it is");
    }

    #[test]
    fn a_character_the_fonts_lack_is_refused_not_printed_as_a_box() {
        let renderer = Renderer::new().unwrap();
        let result = renderer.render(DEFAULT_DESIGN, &payload("王 Айгерім"), "https://gramota.kz/v/X");
        assert!(
            matches!(result, Err(RenderError::MissingGlyphs(ref c)) if c == "王"),
            "{result:?}"
        );
        assert!(
            renderer.missing_glyphs("ӘәҒғҚқҢңӨөҰұҮүҺһІі Ёё №«»–").is_empty(),
            "every Kazakh letter"
        );
    }

    #[test]
    fn a_letter_beyond_the_usual_alphabet_gets_its_own_subset_and_is_printed() {
        let renderer = Renderer::new().unwrap();
        let url = "https://gramota.kz/v/ABCDEFGHJKMNPQRS";
        let pdf = renderer
            .render(DEFAULT_DESIGN, &payload("Müller Şükrü"), url)
            .unwrap();
        let usual = renderer
            .render(DEFAULT_DESIGN, &payload("Мюллер Шукру"), url)
            .unwrap();
        assert_ne!(pdf.len(), usual.len());
        let again = renderer
            .render(DEFAULT_DESIGN, &payload("Müller Şükrü"), url)
            .unwrap();
        assert_eq!(pdf, again, "the wider subset is made the same way every time");
    }
}
