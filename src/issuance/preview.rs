//! Previews of a design before anything is issued: sample data, or an organizer's own row.

use super::render::{Design, PaperPdf, RenderError, Renderer};
use crate::domain::{Award, DocumentPayload};
use crate::i18n::Lang;

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
        serial: "SAMPLE-2026-000001".into(),
        code: "SAMPLE0000000000".into(),
        pupils: if letter {
            ["Әбілқайырова Аружан", "Сейтқали Айгерім", "Иванов Пётр"]
                .map(String::from)
                .to_vec()
        } else {
            vec![]
        },
        hours: (award == Award::Course).then_some(72),
        custom: Default::default(),
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
