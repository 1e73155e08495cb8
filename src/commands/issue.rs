use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::progress::Reporter;
use crate::competitions::{self, CompetitionError, IssueStart};
use crate::config::Settings;
use crate::db;
use crate::db::bundles::Selection;
use crate::domain::competition::Titles;
use crate::domain::{CompetitionId, CompetitionKind, JobState, NewCompetition, OrgId, OrgSlug};
use crate::i18n::Lang;
use crate::intake::{self, IntakeLimits};
use crate::issuance::bundle::{self, Folders};
use crate::issuance::{run_issue_job, worker, Outcome};
use crate::results::ImportMode;
use crate::startup::open;

/// A refusal of the competitions service in the words of the chosen language.
fn refusal(e: CompetitionError, language: Lang) -> anyhow::Error {
    match e {
        CompetitionError::Invalid(message) | CompetitionError::Conflict(message) => {
            anyhow::anyhow!(message.text(language))
        }
        CompetitionError::Coverage(gaps) => anyhow::anyhow!("the font cannot print: {gaps:?}"),
        other => other.into(),
    }
}

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
    let mut conn = issuance.db.conn()?;
    let organization = db::organizations::find_or_create(&mut conn, &slug)?;
    let organization_id = OrgId::from(organization.id);
    let new = NewCompetition {
        title: crate::domain::entry::normalize_text(&request.title),
        titles: Titles::default(),
        kind: CompetitionKind::Competition,
        audience: None,
        department: None,
        direction: None,
        level: None,
        starts_on: None,
        ends_on: None,
        city: None,
        language,
        design: request.design.clone(),
        valid_until: None,
        previous_stage: None,
        hours: None,
        letters: true,
        signer: Default::default(),
    };
    // The same three use-cases as the API and the pages, in the same order: create, import, issue.
    // The file was read and checked in full above, so the import stores all of it.
    let refused = |e: CompetitionError| refusal(e, language);
    let competition =
        competitions::create(&mut conn, &issuance.renderer, &organization_id, new).map_err(refused)?;
    let competition_id = CompetitionId::from(competition.id.clone());
    crate::results::import(&mut conn, &competition_id, &drafts, ImportMode::Merge)?;
    run_with_progress(&issuance, &mut conn, &organization_id, &competition_id, language)?;

    std::fs::create_dir_all(&request.out)
        .with_context(|| format!("cannot create {}", request.out.display()))?;
    let all = Selection::default();
    let written = bundle::for_each_document(&issuance.db, &competition.id, &all, |document| {
        let target = request.out.join(bundle::file_name(document));
        issuance.copy_paper(document, &mut std::fs::File::create(target)?)?;
        Ok(())
    })?;
    let zip_path = request.out.join("documents.zip");
    let file =
        std::fs::File::create(&zip_path).with_context(|| format!("cannot create {}", zip_path.display()))?;
    let valid = Selection {
        only_valid: true,
        organization: None,
    };
    let mut file = bundle::write_zip(
        std::io::BufWriter::new(file),
        &issuance,
        &competition.id,
        &valid,
        Folders::None,
    )?;
    file.flush()?;
    Ok(written)
}

/// Starts the competition's issue job and works on it in this process with a progress report
/// (a bar on a terminal, a line now and then otherwise), as `gramota issue` and `gramota papers`
/// do: the same service as the API's issue call. Only papers not issued yet are made.
pub(super) fn run_with_progress(
    issuance: &crate::issuance::Issuance,
    conn: &mut crate::db::DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    language: Lang,
) -> anyhow::Result<()> {
    let refused = |e: CompetitionError| refusal(e, language);
    let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
    // Running from the start: this process works on it directly. Were it to die, the service's
    // worker would find the job stale and finish it.
    let start = IssueStart {
        reverify: false,
        state: JobState::Running,
    };
    let job = competitions::start_issue(conn, &issuance.renderer, organization_id, competition_id, start)
        .map_err(refused)?;
    eprintln!(
        "issuing {} documents for «{}»…",
        db::entries::count(conn, &competition.id)?,
        competition.details.title
    );
    let worker = worker::worker_name();
    let heartbeat = worker::Heartbeat::start(issuance.db.clone(), worker.clone(), issuance.batch.lease)?;
    let reporter = Reporter::new();
    // A service on the same database may join the job; then wait for its last chunk.
    let outcome = loop {
        match run_issue_job(issuance, &job, &worker, &|p| reporter.report(p)) {
            Ok(Outcome::Elsewhere) => std::thread::sleep(std::time::Duration::from_millis(500)),
            other => break other,
        }
    };
    reporter.finish();
    drop(heartbeat);
    match outcome {
        Ok(Outcome::Complete) => {
            db::jobs::finish(conn, &job.id, JobState::Done, None)?;
        }
        Ok(other) => anyhow::bail!("the batch did not finish here: {other:?}"),
        Err(e) => {
            db::jobs::finish(conn, &job.id, JobState::Failed, Some(e.to_string()))?;
            return Err(e.into());
        }
    }
    Ok(())
}
