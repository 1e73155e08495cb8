//! The design format: a page, an optional background, and elements placed in millimetres from the
//! top-left corner. Text elements hold placeholders such as `{holder}` filled from the paper's
//! data; a text whose placeholder has no value is left out. Format version 1 is documented in
//! `templates/designs/README.md`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::content::Colour;
use super::fields::{Field, Template};
use super::fonts::FontName;
use crate::domain::award::DocumentKind;

pub const FORMAT_VERSION: u32 = 1;
/// A phone camera reads the signed record's QR code reliably from this printed size up.
pub const MIN_QR_MM: f32 = 30.0;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    pub format: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub page: Page,
    /// An asset drawn under everything, stretched to the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    pub elements: Vec<Element>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub width: f32,
    pub height: f32,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Box {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Element {
    Text(TextElement),
    Rect(RectElement),
    Line(LineElement),
    Image(ImageElement),
    Qr(QrElement),
}

/// Which papers an element appears on: a design serves every paper of a competition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Only {
    Diploma,
    Certificate,
    Letter,
    Course,
}

impl Only {
    fn kind(self) -> DocumentKind {
        match self {
            Only::Diploma => DocumentKind::Diploma,
            Only::Certificate => DocumentKind::Certificate,
            Only::Letter => DocumentKind::Letter,
            Only::Course => DocumentKind::Course,
        }
    }
}

/// `"only": "letter"` or `"only": ["diploma", "certificate"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OnlyOn {
    One(Only),
    Any(Vec<Only>),
}

impl OnlyOn {
    pub fn includes(&self, kind: DocumentKind) -> bool {
        match self {
            OnlyOn::One(only) => only.kind() == kind,
            OnlyOn::Any(list) => list.iter().any(|only| only.kind() == kind),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    #[default]
    Centre,
    Right,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VAlign {
    Top,
    #[default]
    Middle,
    Bottom,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextElement {
    pub text: String,
    pub font: FontName,
    /// The size in points the text is set at when it fits; it shrinks until it fits the box.
    pub size: f32,
    #[serde(default = "black")]
    pub colour: String,
    #[serde(default)]
    pub align: Align,
    #[serde(default)]
    pub valign: VAlign,
    #[serde(rename = "box")]
    pub area: Box,
    #[serde(default = "one")]
    pub max_lines: usize,
    #[serde(default)]
    pub uppercase: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only: Option<OnlyOn>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RectElement {
    #[serde(rename = "box")]
    pub area: Box,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stroke: Option<String>,
    #[serde(default = "hairline")]
    pub line_width: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineElement {
    pub points: Vec<(f32, f32)>,
    /// Filled as a closed shape instead of stroked.
    #[serde(default)]
    pub filled: bool,
    #[serde(default = "black")]
    pub colour: String,
    #[serde(default = "hairline")]
    pub line_width: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageElement {
    pub asset: String,
    #[serde(rename = "box")]
    pub area: Box,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrElement {
    pub x: f32,
    pub y: f32,
    pub size: f32,
}

fn black() -> String {
    "#000000".into()
}

fn one() -> usize {
    1
}

fn hairline() -> f32 {
    0.5
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DesignError {
    #[error("the design is not valid JSON for format {FORMAT_VERSION}: {0}")]
    Syntax(String),
    #[error("format {0} is not known; this version reads format {FORMAT_VERSION}")]
    Format(u32),
    #[error("element {element}: {reason}")]
    Element { element: usize, reason: String },
    #[error("the page must be between 50 and 1200 mm on each side")]
    Page,
    #[error("the design has no QR code element")]
    NoQr,
}

impl Design {
    pub fn parse(json: &str) -> Result<Design, DesignError> {
        let design: Design = serde_json::from_str(json).map_err(|e| DesignError::Syntax(e.to_string()))?;
        design.validate()?;
        Ok(design)
    }

    fn validate(&self) -> Result<(), DesignError> {
        if self.format != FORMAT_VERSION {
            return Err(DesignError::Format(self.format));
        }
        let on_page = |v: f32| (50.0..=1200.0).contains(&v);
        if !on_page(self.page.width) || !on_page(self.page.height) {
            return Err(DesignError::Page);
        }
        let inside = |b: &Box| {
            b.width > 0.0
                && b.height > 0.0
                && b.x >= 0.0
                && b.y >= 0.0
                && b.x + b.width <= self.page.width + 0.01
                && b.y + b.height <= self.page.height + 0.01
        };
        let mut has_qr = false;
        for (index, element) in self.elements.iter().enumerate() {
            let fail = |reason: String| DesignError::Element {
                element: index + 1,
                reason,
            };
            match element {
                Element::Text(t) => {
                    Template::parse(&t.text).map_err(fail)?;
                    Colour::parse(&t.colour).ok_or_else(|| fail(format!("colour {}", t.colour)))?;
                    if !(2.0..=200.0).contains(&t.size) {
                        return Err(fail("size must be between 2 and 200 pt".into()));
                    }
                    if matches!(&t.only, Some(OnlyOn::Any(list)) if list.is_empty()) {
                        return Err(fail("\"only\" needs at least one kind of paper".into()));
                    }
                    if !inside(&t.area) || t.max_lines == 0 {
                        return Err(fail("the box must lie on the page".into()));
                    }
                }
                Element::Rect(r) => {
                    for colour in [&r.fill, &r.stroke].into_iter().flatten() {
                        Colour::parse(colour).ok_or_else(|| fail(format!("colour {colour}")))?;
                    }
                    if !inside(&r.area) {
                        return Err(fail("the box must lie on the page".into()));
                    }
                }
                Element::Line(l) => {
                    Colour::parse(&l.colour).ok_or_else(|| fail(format!("colour {}", l.colour)))?;
                    if l.points.len() < 2 {
                        return Err(fail("a line needs two points".into()));
                    }
                }
                Element::Image(i) => {
                    if !inside(&i.area) {
                        return Err(fail("the box must lie on the page".into()));
                    }
                }
                Element::Qr(q) => {
                    has_qr = true;
                    if q.size < MIN_QR_MM {
                        return Err(fail(format!("the QR code must be at least {MIN_QR_MM} mm")));
                    }
                    let area = Box {
                        x: q.x,
                        y: q.y,
                        width: q.size,
                        height: q.size,
                    };
                    if !inside(&area) {
                        return Err(fail("the QR code must lie on the page".into()));
                    }
                }
            }
        }
        if has_qr {
            Ok(())
        } else {
            Err(DesignError::NoQr)
        }
    }

    /// The fonts the design's texts use.
    pub fn fonts(&self) -> BTreeSet<FontName> {
        self.texts().map(|t| t.font).collect()
    }

    pub fn texts(&self) -> impl Iterator<Item = &TextElement> {
        self.elements.iter().filter_map(|e| match e {
            Element::Text(t) => Some(t),
            _ => None,
        })
    }

    /// Every asset the design draws.
    pub fn assets(&self) -> BTreeSet<&str> {
        self.background
            .iter()
            .map(String::as_str)
            .chain(self.elements.iter().filter_map(|e| match e {
                Element::Image(i) => Some(i.asset.as_str()),
                _ => None,
            }))
            .collect()
    }

    /// Whether any text of the design prints this field.
    pub fn prints(&self, field: Field) -> bool {
        self.texts()
            .filter_map(|t| Template::parse(&t.text).ok())
            .any(|template| template.fields().any(|f| f == field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"format":1,"name":"t","page":{"width":297,"height":210},
        "elements":[{"type":"text","text":"{holder}","font":"serif-bold","size":30,
                     "box":{"x":20,"y":80,"width":257,"height":20}},
                    {"type":"qr","x":240,"y":150,"size":32}]}"#;

    #[test]
    fn a_minimal_design_parses() {
        let design = Design::parse(MINIMAL).unwrap();
        assert_eq!(design.fonts(), BTreeSet::from([FontName::SerifBold]));
        assert!(design.prints(Field::Holder));
    }

    #[test]
    fn only_takes_one_kind_or_a_list() {
        let with_only = |only: &str| {
            let json = MINIMAL.replace("\"size\":30,", &format!("\"size\":30,\"only\":{only},"));
            Design::parse(&json).map(|d| d.texts().next().and_then(|t| t.only.clone()))
        };
        let one = with_only("\"letter\"").unwrap().unwrap();
        assert!(one.includes(DocumentKind::Letter) && !one.includes(DocumentKind::Diploma));
        let list = with_only("[\"diploma\",\"course\"]").unwrap().unwrap();
        assert!(list.includes(DocumentKind::Course) && !list.includes(DocumentKind::Letter));
        assert!(with_only("\"nope\"").is_err());
    }

    #[test]
    fn mistakes_are_named() {
        let small_qr = MINIMAL.replace("\"size\":32", "\"size\":20");
        assert!(matches!(
            Design::parse(&small_qr),
            Err(DesignError::Element { element: 2, .. })
        ));
        let unknown = MINIMAL.replace("{holder}", "{hodler}");
        assert!(matches!(
            Design::parse(&unknown),
            Err(DesignError::Element { element: 1, .. })
        ));
        let future = MINIMAL.replace("\"format\":1", "\"format\":2");
        assert_eq!(Design::parse(&future).unwrap_err(), DesignError::Format(2));
        let never = MINIMAL.replace("\"size\":30,", "\"size\":30,\"only\":[],");
        assert!(matches!(
            Design::parse(&never),
            Err(DesignError::Element { element: 1, .. })
        ));
        let off_page = MINIMAL.replace("\"x\":20", "\"x\":200");
        assert!(Design::parse(&off_page).is_err());
    }
}
