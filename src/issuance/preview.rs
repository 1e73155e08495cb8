//! Previews of a design before anything is issued: sample data, or an organizer's own row.

use super::render::{Design, PaperPdf, RenderError, Renderer};
use crate::domain::{Award, DocumentPayload};
use crate::i18n::Lang;

/// Data that looks like a real paper's, long enough to show how a design copes.
pub fn sample_payload(language: Lang, award: Award) -> DocumentPayload {
    DocumentPayload {
        language,
        award: award.code(),
        award_title: award.title(language),
        holder: "Әбілқайырова Аружан Нұрланқызы".into(),
        team_members: vec![],
        school: Some("№5 мектеп-гимназия".into()),
        region: Some("Абай облысы".into()),
        supervisor: Some("Қасымова Әлия Серікқызы".into()),
        nomination: Some("Ғылыми жоба".into()),
        age_group: Some("12–14".into()),
        competition: "Жас зерттеушілердің республикалық байқауы".into(),
        issuer: "Семей қаласының оқушылар сарайы".into(),
        city: Some("Семей".into()),
        date: "2026-11-20".into(),
        valid_until: None,
        serial: "SAMPLE-2026-000001".into(),
        code: "SAMPLE0000000000".into(),
    }
}

/// A preview PDF of `design` (built-in or an organizer's own, without pictures) with `payload`.
pub fn preview(
    renderer: &Renderer,
    design: &Design,
    payload: &DocumentPayload,
    public_url: &str,
) -> Result<Vec<u8>, RenderError> {
    let prepared = renderer.prepare(design, &Default::default())?;
    let url = format!("{}/v/{}", public_url.trim_end_matches('/'), payload.code);
    renderer
        .render_prepared(&prepared, payload, &url, &Default::default())
        .map(PaperPdf::into_bytes)
}
