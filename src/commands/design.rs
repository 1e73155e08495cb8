//! `gramota design list|preview`: see a design on paper before issuing with it.

use std::path::Path;

use anyhow::{anyhow, Context};

use crate::config::Settings;
use crate::domain::Award;
use crate::i18n::Lang;
use crate::issuance::preview::{preview as render_preview, sample_payload};
use crate::issuance::render::{Design, Renderer};

/// The built-in designs, then the organization's own (name, latest version, its date).
pub fn list(settings: &Settings, org: Option<&str>) -> anyhow::Result<Vec<String>> {
    let renderer = Renderer::new().map_err(|e| anyhow!(e))?;
    let mut lines: Vec<String> = renderer
        .built_in_designs()
        .map(|d| format!("{:<16} {}", d.name, d.description))
        .collect();
    if let Some(org) = org {
        let issuance = crate::startup::open(settings)?;
        let mut conn = issuance.db.conn()?;
        let organization = organization(&mut conn, org)?;
        for own in crate::db::designs::list(&mut conn, &organization.id)? {
            lines.push(format!(
                "{:<16} version {} of {} (own)",
                own.name,
                own.version,
                own.created_at.get(..10).unwrap_or_default()
            ));
        }
    }
    Ok(lines)
}

fn organization(
    conn: &mut crate::db::DbConnection,
    org: &str,
) -> anyhow::Result<crate::domain::Organization> {
    let slug = crate::domain::OrgSlug::parse(org)
        .ok_or_else(|| anyhow!("--org: a short name such as dvorets-astana"))?;
    crate::db::organizations::find_by_slug(conn, &slug)?.ok_or_else(|| anyhow!("no organization {org}"))
}

pub fn preview(
    settings: &Settings,
    design: &str,
    org: Option<&str>,
    language: &str,
    award: &str,
    out: &Path,
) -> anyhow::Result<()> {
    let language = Lang::parse(language).ok_or_else(|| anyhow!("language: kk, ru or en"))?;
    let award = Award::from_code(award).ok_or_else(|| anyhow!("unknown award code {award}"))?;
    if let Some(org) = org {
        // An own design, drawn with its pictures, as the service previews it.
        let issuance = crate::startup::open(settings)?;
        let organization = organization(&mut *issuance.db.conn()?, org)?;
        let what = crate::issuance::preview::PreviewOf {
            design: design.to_string(),
            version: None,
            language: Some(language),
            award,
            competition: None,
            entry: None,
        };
        let pdf = crate::issuance::preview::preview_named(&issuance, &organization.id, &what)?;
        std::fs::write(out, pdf).with_context(|| out.display().to_string())?;
        return Ok(());
    }
    let renderer = Renderer::new().map_err(|e| anyhow!(e))?;
    let model = match renderer.built_in_designs().find(|d| d.name == design) {
        Some(built_in) => built_in.clone(),
        None => {
            let json = std::fs::read_to_string(design)
                .with_context(|| format!("\"{design}\" is neither a built-in design nor a readable file"))?;
            Design::parse(&json)?
        }
    };
    let pdf = render_preview(
        &renderer,
        &model,
        &sample_payload(language, award),
        &settings.public_url,
    )?;
    std::fs::write(out, pdf).with_context(|| out.display().to_string())?;
    Ok(())
}
