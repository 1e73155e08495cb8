use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use crate::config::Settings;
use crate::db::{self, write_transaction};
use crate::domain::competition::Titles;
use crate::domain::{CompetitionKind, JobState, NewCompetition, OrgSlug};
use crate::i18n::Lang;
use crate::intake::{self, IntakeLimits};
use crate::issuance::{bundle, check_coverage, run_issue_job};
use crate::startup::open;

pub struct IssueRequest {
    pub results: PathBuf,
    pub title: String,
    pub design: String,
    pub out: PathBuf,
    pub org: String,
    pub language: String,
}

/// Imports, issues and writes out in one go, without the service. Returns the number of PDFs.
pub fn issue(settings: &Settings, request: IssueRequest) -> anyhow::Result<usize> {
    let slug =
        OrgSlug::parse(&request.org).context("--org must be lower-case Latin letters, digits or dashes")?;
    let language = Lang::parse(&request.language).context("--language must be kk, ru or en")?;
    let bytes = std::fs::read(&request.results)
        .with_context(|| format!("cannot read {}", request.results.display()))?;
    let limits = IntakeLimits {
        max_rows: settings.max_rows,
        ..IntakeLimits::default()
    };
    let drafts = intake::read_results(&bytes, limits).map_err(|e| {
        let lines: Vec<String> =
            e.0.iter()
                .map(|r| {
                    let column = r.column.as_deref().map(|c| format!(", {c}")).unwrap_or_default();
                    format!("  row {}{column}: {}", r.row, r.message.text(language))
                })
                .collect();
        anyhow::anyhow!(
            "the results file was refused, nothing was stored:\n{}",
            lines.join("\n")
        )
    })?;

    let issuance = open(settings)?;
    if !issuance.renderer.knows_design(&request.design) {
        anyhow::bail!("unknown design \"{}\"; built in: classic", request.design);
    }
    let mut conn = issuance.db.conn()?;
    let organization = db::organizations::find_or_create(&mut conn, &slug)?;
    let new = NewCompetition {
        title: crate::domain::entry::normalize_text(&request.title),
        titles: Titles::default(),
        kind: CompetitionKind::Competition,
        direction: None,
        level: None,
        starts_on: None,
        ends_on: None,
        city: None,
        language,
        design: request.design.clone(),
        valid_until: None,
        previous_stage: None,
    };
    let (competition, job) = write_transaction(&mut conn, |conn| -> Result<_, db::DbError> {
        let competition = db::competitions::insert(conn, &organization.id, new)?;
        db::entries::insert_all(conn, &competition.id, &drafts)?;
        // Running from the start: this process works on it directly. Were it to die, the service's
        // worker would find the job stale and finish it.
        let job = db::jobs::create(
            conn,
            &organization.id,
            &competition.id,
            db::jobs::ISSUE,
            JobState::Running,
        )?;
        Ok((competition, job))
    })?;
    let entries = db::entries::list(&mut conn, &competition.id)?;
    if let Err(gaps) = check_coverage(&issuance.renderer, &competition, &organization, &entries) {
        anyhow::bail!("the font cannot print: {gaps:?}");
    }
    eprintln!(
        "issuing {} documents for «{}»…",
        entries.len(),
        competition.details.title
    );
    run_issue_job(&issuance, &job)?;
    db::jobs::finish(&mut conn, &job.id, JobState::Done, None)?;

    let documents = db::documents::list_for_competition(&mut conn, &competition.id)?;
    std::fs::create_dir_all(&request.out)
        .with_context(|| format!("cannot create {}", request.out.display()))?;
    for document in &documents {
        let bytes = issuance.store.read(document)?;
        std::fs::write(request.out.join(bundle::file_name(document)), bytes)?;
    }
    let zip_path = request.out.join("documents.zip");
    let file =
        std::fs::File::create(&zip_path).with_context(|| format!("cannot create {}", zip_path.display()))?;
    let mut file = bundle::write_zip(std::io::BufWriter::new(file), &issuance.store, &documents)?;
    file.flush()?;
    Ok(documents.len())
}
