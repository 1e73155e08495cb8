//! `gramota design list|preview`: see a design on paper before issuing with it.

use std::path::Path;

use anyhow::{anyhow, Context};

use crate::config::Settings;
use crate::domain::Award;
use crate::i18n::Lang;
use crate::issuance::preview::{preview as render_preview, sample_payload};
use crate::issuance::render::{Design, Renderer};

pub fn list() -> anyhow::Result<Vec<String>> {
    let renderer = Renderer::new().map_err(|e| anyhow!(e))?;
    Ok(renderer
        .built_in_designs()
        .map(|d| format!("{:<16} {}", d.name, d.description))
        .collect())
}

pub fn preview(
    settings: &Settings,
    design: &str,
    language: &str,
    award: &str,
    out: &Path,
) -> anyhow::Result<()> {
    let renderer = Renderer::new().map_err(|e| anyhow!(e))?;
    let model = match renderer.built_in_designs().find(|d| d.name == design) {
        Some(built_in) => built_in.clone(),
        None => {
            let json = std::fs::read_to_string(design)
                .with_context(|| format!("\"{design}\" is neither a built-in design nor a readable file"))?;
            Design::parse(&json)?
        }
    };
    let language = Lang::parse(language).ok_or_else(|| anyhow!("language: kk, ru or en"))?;
    let award = Award::from_code(award).ok_or_else(|| anyhow!("unknown award code {award}"))?;
    let pdf = render_preview(
        &renderer,
        &model,
        &sample_payload(language, award),
        &settings.public_url,
    )?;
    std::fs::write(out, pdf).with_context(|| out.display().to_string())?;
    Ok(())
}
