//! Previews of a design before anything is issued: sample data, or an organizer's own row; as a
//! PDF, or as a PNG picture of it when the server has poppler's `pdftoppm`.

use std::collections::BTreeMap;

use super::design_cache::ReadyDesign;
use super::issue::{payload_for, Issuance, IssueError};
use super::own_designs::{missing_pictures, with_defaults, OwnDesignError};
pub use super::raster::{png_of, RasterError};
use super::render::images::Picture;
use super::render::{Design, PaperPdf, PreparedDesign, RenderError, Renderer};
use crate::db;
use crate::domain::design::DesignRef;
use crate::domain::{Award, Competition, DocumentPayload, Organization, Serial, StoredEntry};
use crate::i18n::{DesignMessage, Lang};

const SAMPLE_SERIAL: &str = "SAMPLE-2026-000001";
const SAMPLE_CODE: &str = "SAMPLE0000000000";

/// Data that looks like a real paper's, long enough to show how a design copes.
pub fn sample_payload(language: Lang, award: Award) -> DocumentPayload {
    let letter = award == Award::Letter;
    DocumentPayload {
        language,
        award: award.code(),
        award_title: award.title(language),
        holder: if letter {
            "Қасымова Әлия Серікқызы"
        } else {
            "Әбілқайырова Аружан Нұрланқызы"
        }
        .into(),
        team_members: vec![],
        school: Some("№5 мектеп-гимназия".into()),
        region: Some("Абай облысы".into()),
        supervisor: (!letter).then(|| "Қасымова Әлия Серікқызы".into()),
        nomination: (!letter).then(|| "Ғылыми жоба".into()),
        age_group: (!letter).then(|| "12–14".into()),
        competition: "Жас зерттеушілердің республикалық байқауы".into(),
        issuer: "Семей қаласының оқушылар сарайы".into(),
        city: Some("Семей".into()),
        date: "2026-11-20".into(),
        valid_until: None,
        serial: SAMPLE_SERIAL.into(),
        code: SAMPLE_CODE.into(),
        pupils: if letter {
            ["Әбілқайырова Аружан", "Сейтқали Айгерім", "Иванов Пётр"]
                .map(String::from)
                .to_vec()
        } else {
            vec![]
        },
        hours: (award == Award::Course).then_some(72),
        custom: Default::default(),
        signer: None,
        signer_title: None,
        team: None,
        reviewed: None,
        event: None,
        reason: None,
    }
}

/// A real row of a competition as its paper would say it, with a sample serial and code (nothing
/// is reserved or signed for a preview).
pub fn row_payload(
    competition: &Competition,
    organization: &Organization,
    entry: &StoredEntry,
    language: Option<Lang>,
) -> DocumentPayload {
    let date = competition
        .details
        .ends_on
        .map(crate::domain::time::format_date)
        .unwrap_or_default();
    let mut competition = competition.clone();
    if let Some(language) = language {
        competition.details.language = language;
    }
    let serial = Serial::from_stored(SAMPLE_SERIAL.into());
    payload_for(
        &competition,
        organization,
        Some(entry),
        &serial,
        SAMPLE_CODE,
        &date,
    )
}

/// A preview PDF of a design given as JSON (it has no pictures) with `payload`.
pub fn preview(
    renderer: &Renderer,
    design: &Design,
    payload: &DocumentPayload,
    public_url: &str,
) -> Result<Vec<u8>, RenderError> {
    let prepared = renderer.prepare(design, &Default::default())?;
    render(renderer, &prepared, &BTreeMap::new(), payload, public_url)
}

/// A preview PDF of an own design's definition as the editor has it, not saved yet, drawn with
/// the design's stored pictures and checked as saving would check it.
pub fn preview_draft(
    issuance: &Issuance,
    organization_id: &str,
    name: &str,
    definition: serde_json::Value,
    language: Lang,
    award: Award,
) -> Result<Vec<u8>, IssueError> {
    let mut conn = issuance.db.conn()?;
    let mut draft = db::designs::latest(&mut conn, organization_id, name)?;
    draft.definition = crate::issuance::own_designs::checked(definition, name)?;
    let (design, pictures) = crate::issuance::own_designs::drawable(&mut conn, &draft)?;
    drop(conn);
    let prepared = issuance.renderer.prepare(&design, &pictures)?;
    render(
        &issuance.renderer,
        &prepared,
        &pictures,
        &sample_payload(language, award),
        &issuance.public_url,
    )
    .map_err(|e| match e {
        RenderError::MissingAsset(asset) => refused(DesignMessage::MissingPictures(asset)),
        other => refused(DesignMessage::NotValid(other.to_string())),
    })
}

/// A preview PDF of a stored or built-in design, with its pictures.
pub fn preview_ready(
    renderer: &Renderer,
    ready: &ReadyDesign,
    payload: &DocumentPayload,
    public_url: &str,
) -> Result<Vec<u8>, RenderError> {
    render(renderer, &ready.prepared, &ready.pictures, payload, public_url)
}

fn render(
    renderer: &Renderer,
    prepared: &PreparedDesign,
    pictures: &BTreeMap<String, Picture>,
    payload: &DocumentPayload,
    public_url: &str,
) -> Result<Vec<u8>, RenderError> {
    let url = format!("{}/v/{}", public_url.trim_end_matches('/'), payload.code);
    renderer
        .render_prepared(prepared, payload, &url, pictures, None)
        .map(PaperPdf::into_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_becomes_a_png_when_pdftoppm_is_there() {
        let renderer = Renderer::new().unwrap();
        let design = renderer.built_in_designs().next().unwrap().clone();
        let pdf = preview(
            &renderer,
            &design,
            &sample_payload(Lang::Kk, Award::Degree(1)),
            "https://gramota.kz",
        )
        .unwrap();
        match png_of(&pdf, 40) {
            Ok(png) => assert!(png.starts_with(b"\x89PNG\r\n\x1a\n")),
            Err(RasterError::NotInstalled) => eprintln!("pdftoppm is not installed: skipped"),
            Err(e) => panic!("{e}"),
        }
        assert!(matches!(
            png_of(b"not a pdf", 40),
            Err(RasterError::Failed(_) | RasterError::NotInstalled)
        ));
    }

    /// A sample paper whose page is `width_mm` × `height_mm`, the largest a design may have.
    fn page_of(width_mm: f32, height_mm: f32) -> Vec<u8> {
        let renderer = Renderer::new().unwrap();
        let design = renderer.built_in_designs().next().unwrap().clone();
        let pdf = preview(
            &renderer,
            &design,
            &sample_payload(Lang::Ru, Award::Degree(1)),
            "https://gramota.kz",
        )
        .unwrap();
        let mut document = lopdf::Document::load_mem(&pdf).unwrap();
        let points = |mm: f32| lopdf::Object::Real(mm / 25.4 * 72.0);
        let box_ = vec![0.into(), 0.into(), points(width_mm), points(height_mm)];
        for (_, page) in document.get_pages() {
            let page = document.get_dictionary_mut(page).unwrap();
            page.set("MediaBox", box_.clone());
        }
        let mut out = Vec::new();
        document.save_to(&mut out).unwrap();
        out
    }

    fn png_size(png: &[u8]) -> (u32, u32) {
        let word = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        (word(16), word(20))
    }

    /// A 1,200 mm page at 300 dpi was a 14,173 px picture: pdftoppm took ~800 MB for it.
    #[test]
    fn a_huge_page_is_rasterized_no_larger_than_the_cap() {
        let pdf = page_of(1200.0, 850.0);
        match png_of(&pdf, 300) {
            Ok(png) => {
                let (width, height) = png_size(&png);
                assert!(
                    width <= 4000 && height <= 4000,
                    "a 1,200 mm page at 300 dpi became {width} x {height} px"
                );
                assert!(width >= 3900, "still as large as the cap allows: {width}");
            }
            Err(RasterError::NotInstalled) => eprintln!("pdftoppm is not installed: skipped"),
            Err(e) => panic!("{e}"),
        }
        // An A4 page at 100 dpi is drawn as asked.
        let a4 = png_of(&page_of(297.0, 210.0), 100);
        if let Ok(png) = a4 {
            assert_eq!(png_size(&png), (1170, 827));
        }
    }
}

/// What to preview: a built-in or own design by name (an own one at its latest version unless
/// `version` says otherwise), with sample data or a competition's row.
#[derive(Debug, Clone)]
pub struct PreviewOf {
    pub design: String,
    pub version: Option<i32>,
    pub language: Option<Lang>,
    pub award: Award,
    /// A competition of the organization: its first row unless `entry` names one.
    pub competition: Option<String>,
    pub entry: Option<String>,
}

/// A preview PDF of a named design. An unknown design or competition is not found; a design that
/// cannot be drawn yet (a picture not uploaded) or a row it cannot print is refused by name.
pub fn preview_named(
    issuance: &Issuance,
    organization_id: &str,
    what: &PreviewOf,
) -> Result<Vec<u8>, IssueError> {
    let mut conn = issuance.db.conn()?;
    let reference = match (issuance.renderer.knows_design(&what.design), what.version) {
        (true, _) => with_defaults(
            &mut conn,
            organization_id,
            DesignRef::BuiltIn(what.design.clone()),
            &BTreeMap::new(),
        )?
        .to_string(),
        (false, version) => {
            let stored = match version {
                Some(v) => db::designs::version_by_name(&mut conn, organization_id, &what.design, v)?,
                None => db::designs::latest(&mut conn, organization_id, &what.design)?,
            };
            let missing = missing_pictures(&stored)?;
            if !missing.is_empty() {
                return Err(refused(DesignMessage::MissingPictures(missing.join(", "))));
            }
            with_defaults(&mut conn, organization_id, stored.reference(), &stored.pictures)?.to_string()
        }
    };
    let payload = match &what.competition {
        Some(id) => {
            let competition = db::competitions::find_owned(&mut conn, organization_id, id)?;
            let organization = db::organizations::find(&mut conn, organization_id)?;
            let entry = match &what.entry {
                Some(entry) => Some(
                    db::entries::find(&mut conn, entry)
                        .ok()
                        .filter(|e| e.competition_id == competition.id)
                        .ok_or_else(|| refused(DesignMessage::UnknownEntry))?,
                ),
                None => db::entries::page_by_id(&mut conn, &competition.id, None, 1)?.pop(),
            };
            match entry {
                Some(entry) => row_payload(&competition, &organization, &entry, what.language),
                None => sample_payload(what.language.unwrap_or(competition.details.language), what.award),
            }
        }
        None => sample_payload(what.language.unwrap_or_default(), what.award),
    };
    drop(conn);
    let ready = issuance.design(&reference)?;
    preview_ready(&issuance.renderer, &ready, &payload, &issuance.public_url).map_err(|e| match e {
        RenderError::MissingAsset(asset) => refused(DesignMessage::MissingPictures(asset)),
        other => refused(DesignMessage::NotValid(other.to_string())),
    })
}

fn refused(message: DesignMessage) -> IssueError {
    IssueError::Design(OwnDesignError::Refused(message))
}
