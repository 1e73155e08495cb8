//! A competition's life as an organizer runs it: created, changed, its design and letters chosen,
//! its papers queued for issuing. One function per use-case, called by the API handlers, the pages
//! and the command line alike, so a rule (the department is the organization's, the design is one
//! it may use, there is something to issue and the fonts can print it) is checked in one place.

pub mod extra_papers;

use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::{Competition, CompetitionId, Job, JobState, NewCompetition, OrgId};
use crate::i18n::Message;
use crate::issuance::own_designs::{reference_for, OwnDesignError};
use crate::issuance::render::Renderer;
use crate::issuance::{check_competition_coverage, CoverageGap};

#[derive(Debug, thiserror::Error)]
pub enum CompetitionError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// A field that is not acceptable, with the reason in the user's words.
    #[error("invalid: {0:?}")]
    Invalid(Message),
    /// Acceptable, but not now (nothing to issue).
    #[error("refused: {0:?}")]
    Conflict(Message),
    /// The competition's own design cannot be used (removed, or no longer drawable).
    #[error(transparent)]
    Design(#[from] OwnDesignError),
    #[error("the fonts cannot print the results")]
    Coverage(Vec<CoverageGap>),
}

impl From<diesel::result::Error> for CompetitionError {
    fn from(e: diesel::result::Error) -> Self {
        CompetitionError::Db(DbError::Query(e))
    }
}

fn invalid(field: &'static str, reason: &str) -> CompetitionError {
    CompetitionError::Invalid(Message::InvalidField {
        field,
        reason: reason.into(),
    })
}

/// A built-in design, or one of the organization's own by name.
fn knows_design(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &OrgId,
    design: &str,
) -> Result<bool, DbError> {
    if renderer.knows_design(design) {
        return Ok(true);
    }
    match db::designs::latest(conn, organization_id, design) {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(e),
    }
}

/// The checks a competition's description passes, new or changed: its department is the
/// organization's and its design one the organization may use.
fn check_details(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &OrgId,
    details: &NewCompetition,
) -> Result<(), CompetitionError> {
    if let Some(department) = &details.department {
        if !db::departments::is_own(conn, organization_id, department)? {
            return Err(invalid(
                "department",
                "a department of this organization (GET /api/v1/departments)",
            ));
        }
    }
    if !knows_design(conn, renderer, organization_id, &details.design)? {
        return Err(invalid(
            "design",
            "a built-in design or one of the organization's own (GET /api/v1/designs)",
        ));
    }
    Ok(())
}

/// An organization's competition; another organization's is not found.
pub fn find(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    id: &CompetitionId,
) -> Result<Competition, CompetitionError> {
    Ok(db::competitions::find_owned(conn, organization_id, id)?)
}

/// An organization's active competitions, the newest first, or (`archived`) its archived ones,
/// the last archived first: the API's `?archived=true` and the list page's tab are the same list.
pub fn list(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    archived: bool,
) -> Result<Vec<Competition>, CompetitionError> {
    Ok(match archived {
        true => db::competitions::list_archived(conn, organization_id)?,
        false => db::competitions::list(conn, organization_id)?,
    })
}

/// Stores a new competition of an organization; a previous stage must be one of its own.
pub fn create(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &OrgId,
    new: NewCompetition,
) -> Result<Competition, CompetitionError> {
    check_details(conn, renderer, organization_id, &new)?;
    if let Some(previous) = &new.previous_stage {
        match db::competitions::find_owned(conn, organization_id, previous) {
            Ok(_) => {}
            Err(e) if e.is_not_found() => {
                return Err(invalid("previous_stage", "a competition of this organization"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(db::competitions::insert(conn, organization_id, new)?)
}

/// Changes a competition's description in place (the previous stage stays). Papers issued before
/// keep what they say.
pub fn update(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &OrgId,
    id: &CompetitionId,
    details: NewCompetition,
) -> Result<Competition, CompetitionError> {
    let competition = find(conn, organization_id, id)?;
    check_details(conn, renderer, organization_id, &details)?;
    db::competitions::update_details(conn, &competition.id, &details)?;
    Ok(db::competitions::find(conn, &competition.id)?)
}

/// Turns letters of gratitude on or off for the competition's next issue runs.
pub fn set_letters(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    id: &CompetitionId,
    letters: bool,
) -> Result<Competition, CompetitionError> {
    let competition = find(conn, organization_id, id)?;
    db::competitions::set_letters(conn, &competition.id, letters)?;
    Ok(db::competitions::find(conn, &competition.id)?)
}

/// Chooses the design of the competition's papers from now on: a built-in or own one by name.
pub fn choose_design(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &OrgId,
    id: &CompetitionId,
    design: &str,
) -> Result<Competition, CompetitionError> {
    let competition = find(conn, organization_id, id)?;
    if !knows_design(conn, renderer, organization_id, design)? {
        return Err(invalid(
            "design",
            "a built-in design or one of the organization's own (GET /api/v1/designs)",
        ));
    }
    db::competitions::set_design(conn, &competition.id, design)?;
    Ok(db::competitions::find(conn, &competition.id)?)
}

/// How an issue job starts: queued for the service's worker, or running in the process that asks
/// (the command line works on it at once).
#[derive(Debug, Clone, Copy)]
pub struct IssueStart {
    /// Also render every earlier document again and check its bytes are unchanged.
    pub reverify: bool,
    pub state: JobState,
}

/// Checks the competition can be printed (it has entries, its design can be drawn, the fonts
/// have every letter) and creates the job that issues its documents. While a job of the
/// competition is active, that job is the answer.
pub fn start_issue(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &OrgId,
    id: &CompetitionId,
    start: IssueStart,
) -> Result<Job, CompetitionError> {
    let competition = find(conn, organization_id, id)?;
    if let Some(active) = db::jobs::active_for_competition(conn, &competition.id)? {
        return Ok(active);
    }
    let organization = db::organizations::find(conn, organization_id)?;
    if db::entries::count(conn, &competition.id)? == 0 {
        return Err(CompetitionError::Conflict(Message::NothingToIssue));
    }
    reference_for(conn, renderer, organization_id, &competition.details.design)?;
    if let Err(gaps) = check_competition_coverage(conn, renderer, &competition, &organization)? {
        return Err(CompetitionError::Coverage(gaps));
    }
    Ok(db::jobs::create_with(
        conn,
        organization_id,
        &competition.id,
        db::jobs::ISSUE,
        start.state,
        start.reverify,
    )?)
}

/// Archives a competition (`true`): it leaves the active lists, its papers stay verifiable and
/// downloadable; or brings it back (`false`).
pub fn archive(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    id: &CompetitionId,
    archived: bool,
) -> Result<Competition, CompetitionError> {
    let competition = find(conn, organization_id, id)?;
    let at = archived.then(crate::domain::time::now_rfc3339);
    db::competitions::set_archived(conn, &competition.id, at)?;
    Ok(db::competitions::find(conn, &competition.id)?)
}

/// Deletes a competition with its entries and jury, only while it has no paper: a paper once
/// issued must stay verifiable, so such a competition is archived instead.
pub fn delete(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    id: &CompetitionId,
) -> Result<(), CompetitionError> {
    write_transaction(conn, |conn| {
        let competition = find(conn, organization_id, id)?;
        let papers = db::documents::count_for_competition(conn, &competition.id)?;
        if papers > 0 {
            return Err(CompetitionError::Conflict(Message::HasPapers(papers)));
        }
        db::competitions::delete(conn, &competition.id)?;
        Ok(())
    })
}
