//! A design made ready for many papers: its fonts subset to an alphabet and compressed, its
//! pictures turned into image objects, all written once as shared PDF objects. Rendering a paper
//! then lays out its own texts, draws its QR code and copies the shared bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::content::{Colour, Content};
use super::design::{Design, Element, OnlyOn, TextElement};
use super::embedded_font::{EmbeddedFont, OBJECTS_PER_FONT};
use super::fields::{Template, Values};
use super::fonts::{FontName, FontSet};
use super::images::Picture;
use super::layout;
use super::pdf::{
    ascii_string, date, deflate_page, pdf_name, text_string, Fragment, PaperPdf, PdfFile, Prefix,
};
use super::qr::{self, QrRuns};
use super::{Attachment, RenderError, VERIFICATION_KEY};
use crate::domain::award::DocumentKind;
use crate::domain::{Award, DocumentPayload};

const CATALOG: u32 = 1;
const INFO: u32 = 2;
const PAGES: u32 = 3;
const PAGE: u32 = 4;
const CONTENTS: u32 = 5;
const FIRST_SHARED: u32 = 6;

/// Letters, digits and signs that names, schools and titles are written with in Kazakhstan and
/// Russia. Subsetting to this fixed alphabet (plus the design's own words) makes the fonts the
/// same for every paper, so they are made once; a paper needing more gets its own subset.
pub fn base_alphabet() -> BTreeSet<char> {
    let mut chars: BTreeSet<char> = (' '..='~').collect();
    chars.extend('А'..='я');
    chars.extend("ЁёӘәҒғҚқҢңӨөҰұҮүҺһІіЇїЄєҐґЎўЈјҚ".chars());
    chars.extend("«»—–-‑№“”„‘’…·•°×".chars());
    chars
}

pub struct PreparedDesign {
    design: Design,
    templates: Vec<Option<Template>>,
    fonts: BTreeMap<FontName, (String, EmbeddedFont)>,
    pictures: HashMap<String, String>,
    /// The header and the shared objects, numbered `FIRST_SHARED..next_object`.
    prefix: Arc<Prefix>,
    next_object: u32,
    resources: String,
}

impl PreparedDesign {
    pub fn prepare(
        design: &Design,
        fonts: &FontSet,
        pictures: &BTreeMap<String, Picture>,
        extra_chars: &BTreeSet<char>,
    ) -> Result<PreparedDesign, RenderError> {
        let templates: Vec<Option<Template>> = design
            .elements
            .iter()
            .map(|e| match e {
                Element::Text(t) => Template::parse(&t.text).map(Some).map_err(RenderError::Design),
                _ => Ok(None),
            })
            .collect::<Result<_, _>>()?;
        let mut alphabet = base_alphabet();
        alphabet.extend(extra_chars);
        for (element, template) in design.elements.iter().zip(&templates) {
            if let (Element::Text(t), Some(template)) = (element, template) {
                for text in template.fixed_texts() {
                    alphabet.extend(text.chars());
                    if t.uppercase {
                        alphabet.extend(text.to_uppercase().chars());
                    }
                }
            }
        }
        let uppercase: BTreeSet<char> = alphabet.iter().flat_map(|c| c.to_uppercase()).collect();
        alphabet.extend(uppercase);

        let mut shared = Fragment::default();
        let mut next_object = FIRST_SHARED;
        let mut embedded = BTreeMap::new();
        for (index, name) in design.fonts().into_iter().enumerate() {
            let font = EmbeddedFont::build(fonts.face(name), &alphabet, next_object, &mut shared)
                .map_err(RenderError::Write)?;
            next_object += OBJECTS_PER_FONT;
            embedded.insert(name, (format!("/F{index}"), font));
        }
        let mut resource_names = HashMap::new();
        let mut xobjects = String::new();
        for (index, asset) in design.assets().into_iter().enumerate() {
            let picture = pictures
                .get(asset)
                .ok_or_else(|| RenderError::MissingAsset(asset.to_string()))?;
            let resource = format!("/Im{index}");
            xobjects.push_str(&format!("{resource} {next_object} 0 R"));
            next_object += picture
                .write(next_object, &mut shared)
                .map_err(|e| RenderError::Write(e.to_string()))?;
            resource_names.insert(asset.to_string(), resource);
        }
        let font_resources: String = embedded
            .values()
            .map(|(resource, font)| format!("{resource} {} 0 R", font.object))
            .collect();
        let mut resources = format!("<</Font<<{font_resources}>>");
        if !xobjects.is_empty() {
            resources.push_str(&format!("/XObject<<{xobjects}>>"));
        }
        resources.push_str(">>");
        Ok(PreparedDesign {
            design: design.clone(),
            templates,
            fonts: embedded,
            pictures: resource_names,
            prefix: Arc::new(Prefix::new(&shared)),
            next_object,
            resources,
        })
    }

    pub fn design(&self) -> &Design {
        &self.design
    }

    /// The texts a paper prints, filled and cased, each with its element.
    fn texts<'a>(&'a self, values: &Values<'_>) -> Vec<(&'a TextElement, String)> {
        self.design
            .elements
            .iter()
            .zip(&self.templates)
            .filter_map(|(element, template)| match (element, template) {
                (Element::Text(t), Some(template)) => Some((t, filled(t, template, values)?)),
                _ => None,
            })
            .collect()
    }

    /// Whether every text of this paper is inside the prepared subsets; the characters that are
    /// not come back in `OutsideSubset`.
    pub fn check(&self, payload: &DocumentPayload, qr_url: &str) -> Result<(), RenderError> {
        let values = values(payload, qr_url);
        let mut outside = BTreeSet::new();
        for (element, text) in self.texts(&values) {
            if let Some((_, font)) = self.fonts.get(&element.font) {
                outside.extend(
                    text.chars()
                        .filter(|&c| !c.is_whitespace() && !font.covers_char(c)),
                );
            }
        }
        if outside.is_empty() {
            Ok(())
        } else {
            Err(RenderError::OutsideSubset(outside))
        }
    }

    /// The page's content stream, compressed. A text with a character outside the prepared
    /// subsets is not drawn without it: the characters are returned for a wider subset.
    fn page_content(
        &self,
        fonts: &FontSet,
        payload: &DocumentPayload,
        qr_url: &str,
        qr: &QrRuns,
    ) -> Result<Vec<u8>, RenderError> {
        let values = values(payload, qr_url);
        let mut content = Content::new(self.design.page.height);
        if let Some(resource) = self.design.background.as_ref().and_then(|a| self.pictures.get(a)) {
            content.image(
                resource,
                0.0,
                0.0,
                self.design.page.width,
                self.design.page.height,
            );
        }
        for (element, template) in self.design.elements.iter().zip(&self.templates) {
            match element {
                Element::Text(t) => {
                    let Some(text) = template.as_ref().and_then(|tpl| filled(t, tpl, &values)) else {
                        continue;
                    };
                    let Some((resource, font)) = self.fonts.get(&t.font) else {
                        continue;
                    };
                    if !font.covers(&text) {
                        let outside = text
                            .chars()
                            .filter(|c| !c.is_whitespace() && !font.covers(&c.to_string()))
                            .collect();
                        return Err(RenderError::OutsideSubset(outside));
                    }
                    let placed = layout::fit(
                        fonts.face(t.font),
                        &text,
                        t.size,
                        t.max_lines,
                        &t.area,
                        t.align,
                        t.valign,
                    );
                    content.fill_colour(Colour::parse(&t.colour).unwrap_or(Colour::BLACK));
                    for line in placed.lines {
                        content.text(
                            (resource, font),
                            placed.size_pt,
                            line.x,
                            line.baseline,
                            &line.text,
                        );
                    }
                }
                Element::Rect(r) => {
                    let area = r.area;
                    if let Some(fill) = r.fill.as_deref().and_then(Colour::parse) {
                        content.fill_colour(fill);
                        content.fill_rect(area.x, area.y, area.width, area.height);
                    }
                    if let Some(stroke) = r.stroke.as_deref().and_then(Colour::parse) {
                        content.stroke_colour(stroke);
                        content.stroke_rect(area.x, area.y, area.width, area.height, r.line_width);
                    }
                }
                Element::Line(l) => {
                    let colour = Colour::parse(&l.colour).unwrap_or(Colour::BLACK);
                    if l.filled {
                        content.fill_colour(colour);
                    } else {
                        content.stroke_colour(colour);
                    }
                    content.path(&l.points, l.filled, l.line_width);
                }
                Element::Image(i) => {
                    if let Some(resource) = self.pictures.get(&i.asset) {
                        content.image(resource, i.area.x, i.area.y, i.area.width, i.area.height);
                    }
                }
                Element::Qr(q) => {
                    // Two modules of quiet zone on a white square keep the code readable over
                    // any background.
                    let module = q.size / (qr.modules as f32 + 4.0);
                    content.fill_colour(Colour::WHITE);
                    content.fill_rect(q.x, q.y, q.size, q.size);
                    content.fill_colour(Colour::BLACK);
                    content.fill_cells(
                        q.x + 2.0 * module,
                        q.y + 2.0 * module,
                        module,
                        qr.runs.iter().copied(),
                    );
                }
            }
        }
        Ok(deflate_page(&content.bytes))
    }

    /// One paper as a PDF file of its own.
    pub fn render(
        &self,
        fonts: &FontSet,
        payload: &DocumentPayload,
        qr_url: &str,
        attachment: Option<&Attachment<'_>>,
    ) -> Result<PaperPdf, RenderError> {
        let qr = qr::encode(qr_url).map_err(|e| RenderError::Qr(e.to_string()))?;
        let content = self.page_content(fonts, payload, qr_url, &qr)?;
        let mut own = Fragment::default();
        match attachment {
            None => own.object(CATALOG, format!("<</Type/Catalog/Pages {PAGES} 0 R>>").as_bytes()),
            Some(file) => {
                // After the shared objects, so the numbers stay 1..=N without a gap.
                let (spec, stream) = (self.next_object, self.next_object + 1);
                let name = ascii_string(file.name);
                own.object(
                    CATALOG,
                    format!(
                        "<</Type/Catalog/Pages {PAGES} 0 R/Names<</EmbeddedFiles<</Names[{name} {spec} 0 R]>>>>/AF[{spec} 0 R]>>"
                    )
                    .as_bytes(),
                );
                own.object(
                    spec,
                    format!(
                        "<</Type/Filespec/F{name}/UF{}/Desc{}/AFRelationship/{}/EF<</F {stream} 0 R/UF {stream} 0 R>>>>",
                        text_string(file.name),
                        text_string(file.description),
                        pdf_name(file.relationship),
                    )
                    .as_bytes(),
                );
                own.stream(
                    stream,
                    &format!(
                        "/Type/EmbeddedFile/Subtype/{}/Params<</Size {}>>",
                        pdf_name(file.media_type),
                        file.bytes.len()
                    ),
                    file.bytes,
                );
            }
        }
        own.object(INFO, info(payload, qr_url).as_bytes());
        own.object(
            PAGES,
            format!("<</Type/Pages/Kids[{PAGE} 0 R]/Count 1>>").as_bytes(),
        );
        own.object(PAGE, self.page_dict(PAGES, CONTENTS).as_bytes());
        own.stream(CONTENTS, "/Filter/FlateDecode", &content);
        let mut file = PdfFile::after(self.prefix.clone(), own.bytes.len() + 1024);
        file.append(&own);
        Ok(file.finish(CATALOG, INFO, &fingerprint(payload)))
    }

    fn page_dict(&self, parent: u32, contents: u32) -> String {
        let (width, height) = (
            self.design.page.width * super::content::PT_PER_MM,
            self.design.page.height * super::content::PT_PER_MM,
        );
        format!(
            "<</Type/Page/Parent {parent} 0 R/MediaBox[0 0 {width:.2} {height:.2}]/Resources{}/Contents {contents} 0 R>>",
            self.resources
        )
    }

    /// One page of a print file: its compressed content stream, for [`Combined::add_page`].
    pub fn print_page(
        &self,
        fonts: &FontSet,
        payload: &DocumentPayload,
        qr_url: &str,
    ) -> Result<Vec<u8>, RenderError> {
        let qr = qr::encode(qr_url).map_err(|e| RenderError::Qr(e.to_string()))?;
        self.page_content(fonts, payload, qr_url, &qr)
    }

    /// Starts one print-ready PDF holding many papers, the shared objects written once.
    pub fn combined<W: Write>(&self, out: W, title: &str) -> std::io::Result<Combined<'_, W>> {
        Combined::start(self, out, title)
    }
}

/// What a text element prints on this paper: nothing when it is not for this kind of paper or
/// its data is missing.
fn filled(element: &TextElement, template: &Template, values: &Values<'_>) -> Option<String> {
    if !shown(element.only.as_ref(), values.award.document_kind()) {
        return None;
    }
    let text = template.fill(values)?;
    Some(if element.uppercase {
        text.to_uppercase()
    } else {
        text
    })
}

fn shown(only: Option<&OnlyOn>, kind: DocumentKind) -> bool {
    only.is_none_or(|only| only.includes(kind))
}

fn values<'a>(payload: &'a DocumentPayload, qr_url: &'a str) -> Values<'a> {
    Values {
        payload,
        award: Award::from_code(&payload.award).unwrap_or(Award::Participant),
        // The printed line is for typing: the URL without the signed record after `#`.
        printed_url: qr_url.split('#').next().unwrap_or(qr_url),
    }
}

fn info(payload: &DocumentPayload, qr_url: &str) -> String {
    let when = date(&payload.date);
    format!(
        "<</Title{}/Author{}/Subject{}/Producer(gramota)/Creator(gramota)/CreationDate{when}/ModDate{when}/{VERIFICATION_KEY}{}>>",
        text_string(&format!("{} — {}", payload.serial, payload.holder)),
        text_string(&payload.issuer),
        text_string(&payload.competition),
        ascii_string(qr_url),
    )
}

/// The file identifier: the same paper always gets the same one.
fn fingerprint(payload: &DocumentPayload) -> [u8; 16] {
    let digest = Sha256::digest(serde_json::to_vec(payload).unwrap_or_default());
    let mut id = [0; 16];
    id.copy_from_slice(&digest[..16]);
    id
}

/// A print file being written: papers are appended as pages; memory holds only the object
/// offsets, not the pages.
pub struct Combined<'a, W: Write> {
    design: &'a PreparedDesign,
    out: W,
    written: usize,
    offsets: Vec<(u32, usize)>,
    pages: Vec<u32>,
    next_object: u32,
    title: String,
    id: Sha256,
}

impl<'a, W: Write> Combined<'a, W> {
    fn start(design: &'a PreparedDesign, mut out: W, title: &str) -> std::io::Result<Combined<'a, W>> {
        out.write_all(&design.prefix.bytes)?;
        Ok(Combined {
            design,
            out,
            written: design.prefix.bytes.len(),
            offsets: design.prefix.offsets.clone(),
            pages: Vec::new(),
            next_object: design.next_object,
            title: title.to_string(),
            id: Sha256::new(),
        })
    }

    pub fn add(
        &mut self,
        fonts: &FontSet,
        payload: &DocumentPayload,
        qr_url: &str,
    ) -> Result<(), RenderError> {
        let content = self.design.print_page(fonts, payload, qr_url)?;
        self.add_page(&content, payload)
    }

    /// Adds a page made by [`PreparedDesign::print_page`], possibly on another thread.
    pub fn add_page(&mut self, content: &[u8], payload: &DocumentPayload) -> Result<(), RenderError> {
        let (page, contents) = (self.next_object, self.next_object + 1);
        self.next_object += 2;
        let mut own = Fragment::default();
        own.object(page, self.design.page_dict(PAGES, contents).as_bytes());
        own.stream(contents, "/Filter/FlateDecode", content);
        self.id.update(fingerprint(payload));
        self.pages.push(page);
        self.write_fragment(&own)
            .map_err(|e| RenderError::Write(e.to_string()))
    }

    fn write_fragment(&mut self, fragment: &Fragment) -> std::io::Result<()> {
        self.out.write_all(&fragment.bytes)?;
        let base = self.written;
        self.offsets
            .extend(fragment.offsets.iter().map(|&(n, offset)| (n, base + offset)));
        self.written += fragment.bytes.len();
        Ok(())
    }

    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    /// Writes the page tree, catalog and cross-reference table; gives the writer back.
    pub fn finish(mut self) -> std::io::Result<W> {
        let kids: String = self.pages.iter().map(|p| format!("{p} 0 R ")).collect();
        let mut own = Fragment::default();
        own.object(
            PAGES,
            format!("<</Type/Pages/Kids[{kids}]/Count {}>>", self.pages.len()).as_bytes(),
        );
        own.object(CATALOG, format!("<</Type/Catalog/Pages {PAGES} 0 R>>").as_bytes());
        own.object(
            INFO,
            format!(
                "<</Title{}/Producer(gramota)/Creator(gramota)>>",
                text_string(&self.title)
            )
            .as_bytes(),
        );
        self.write_fragment(&own)?;
        // Objects 4 and 5 belong to single-paper files; free entries keep the numbering whole.
        let mut offsets = std::mem::take(&mut self.offsets);
        offsets.sort_unstable_by_key(|&(n, _)| n);
        let count = self.next_object;
        let mut xref = format!("xref\n0 {count}\n0000000000 65535 f \n").into_bytes();
        let mut known = offsets.iter().peekable();
        for n in 1..count {
            match known.next_if(|(m, _)| *m == n) {
                Some(&(_, offset)) => xref.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes()),
                None => xref.extend_from_slice(b"0000000000 65535 f \n"),
            }
        }
        let digest = self.id.finalize();
        let id = super::pdf::hex(&digest[..16]);
        xref.extend_from_slice(
            format!(
                "trailer\n<</Size {count}/Root {CATALOG} 0 R/Info {INFO} 0 R/ID[<{id}><{id}>]>>\nstartxref\n{}\n%%EOF\n",
                self.written
            )
            .as_bytes(),
        );
        self.out.write_all(&xref)?;
        self.out.flush()?;
        Ok(self.out)
    }
}
