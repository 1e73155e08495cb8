//! `gramota papers`: a paper for everyone who earned one (issue 23 part 7) from the command line,
//! on the same database and through the same service functions as the API and the pages — the
//! jury's letters of gratitude with their counts, team members' personal papers switched on or off,
//! and who attended a seminar or webinar (only they get its certificate). `--issue` then runs the
//! competition's issue job here with a progress report, as `gramota issue` does.

use anyhow::{anyhow, Context};

use crate::competitions::{extra_papers, CompetitionError};
use crate::config::Settings;
use crate::db::{self, DbConnection};
use crate::domain::{CompetitionId, OrgId, OrgSlug};
use crate::i18n::Lang;
use crate::issuance::jury_letters::issue_jury_letters;
use crate::issuance::Issuance;
use crate::startup::open;

/// The organization a short name names; it must exist (nothing is created here).
fn organization(conn: &mut DbConnection, org: &str) -> anyhow::Result<OrgId> {
    let slug = OrgSlug::parse(org).context("--org must be lower-case Latin letters, digits or dashes")?;
    let organization =
        db::organizations::find_by_slug(conn, &slug)?.ok_or_else(|| anyhow!("no organization {org}"))?;
    Ok(OrgId::from(organization.id))
}

/// A refusal in the words people read; another organization's competition is simply not found.
fn refusal(e: CompetitionError, competition: &CompetitionId) -> anyhow::Error {
    match e {
        CompetitionError::Invalid(message) | CompetitionError::Conflict(message) => {
            anyhow!(message.text(Lang::default()))
        }
        CompetitionError::Db(db) if db.is_not_found() => {
            anyhow!("no competition {competition} in this organization")
        }
        other => other.into(),
    }
}

fn open_for(settings: &Settings, org: &str) -> anyhow::Result<(Issuance, OrgId)> {
    let issuance = open(settings)?;
    let organization_id = organization(&mut *issuance.db.conn()?, org)?;
    Ok((issuance, organization_id))
}

/// Issues letters of gratitude to the competition's judges who scored and have none yet, and
/// says what it did, a line a letter.
pub fn jury_letters(settings: &Settings, org: &str, competition: &str) -> anyhow::Result<Vec<String>> {
    let (issuance, organization_id) = open_for(settings, org)?;
    let letters =
        issue_jury_letters(&issuance, organization_id.as_str(), competition).map_err(|e| match e {
            crate::issuance::IssueError::Db(db) if db.is_not_found() => {
                anyhow!("no competition {competition} in this organization")
            }
            other => other.into(),
        })?;
    let mut lines: Vec<String> = letters
        .issued
        .iter()
        .map(|d| {
            format!(
                "{}  {}  (reviewed {})",
                d.serial.as_str(),
                d.payload.holder,
                d.payload.reviewed.unwrap_or(0)
            )
        })
        .collect();
    lines.push(format!(
        "{} letters issued, {} judges thanked before",
        letters.issued.len(),
        letters.already
    ));
    if !letters.without_scores.is_empty() {
        lines.push(format!(
            "scored nothing yet, no letter: {}",
            letters.without_scores.join(", ")
        ));
    }
    Ok(lines)
}

/// Switches team members' personal papers on or off (the organizer's reasons stay as they are);
/// with `issue`, issues what is due now.
pub fn members(
    settings: &Settings,
    org: &str,
    competition: &str,
    on: bool,
    issue: bool,
) -> anyhow::Result<String> {
    let (issuance, organization_id) = open_for(settings, org)?;
    let competition_id = CompetitionId::from(competition.to_string());
    let conn = &mut *issuance.db.conn()?;
    let refused = |e| refusal(e, &competition_id);
    let current = extra_papers::settings(conn, &organization_id, &competition_id).map_err(refused)?;
    let saved = extra_papers::set_settings(
        conn,
        &issuance.renderer,
        &organization_id,
        &competition_id,
        on,
        current.reasons,
    )
    .map_err(refused)?;
    if issue {
        super::issue::run_with_progress(
            &issuance,
            conn,
            &organization_id,
            &competition_id,
            Lang::default(),
        )?;
    }
    Ok(match saved.member_papers {
        true => "team members' personal papers: on".to_string(),
        false => "team members' personal papers: off".to_string(),
    })
}

/// Marks entries of a seminar or webinar as attended (or absent), then lists every entry with
/// its mark; with no entries it only lists. With `issue`, issues what is due now.
pub fn attended(
    settings: &Settings,
    org: &str,
    competition: &str,
    entries: &[String],
    attended: bool,
    issue: bool,
) -> anyhow::Result<Vec<String>> {
    let (issuance, organization_id) = open_for(settings, org)?;
    let competition_id = CompetitionId::from(competition.to_string());
    let conn = &mut *issuance.db.conn()?;
    let refused = |e| refusal(e, &competition_id);
    let competition = extra_papers::overview(conn, &organization_id, &competition_id).map_err(refused)?;
    if !competition.competition.details.kind.is_event() {
        anyhow::bail!("competition {competition_id} is not a seminar or webinar: attendance is not kept");
    }
    for entry in entries {
        extra_papers::set_attended(conn, &organization_id, &competition_id, entry, attended).map_err(
            |e| match e {
                CompetitionError::Db(db) if db.is_not_found() => {
                    anyhow!("no entry {entry} in competition {competition_id}")
                }
                other => refused(other),
            },
        )?;
    }
    let overview = extra_papers::overview(conn, &organization_id, &competition_id).map_err(refused)?;
    let mut lines: Vec<String> = overview
        .attendance
        .iter()
        .map(|e| {
            let mark = if e.attended == Some(false) {
                "absent"
            } else {
                "attended"
            };
            format!("{}  {mark}  {}", e.id, e.holder)
        })
        .collect();
    let came = overview
        .attendance
        .iter()
        .filter(|e| e.attended != Some(false))
        .count();
    lines.push(format!(
        "{came} of {} attended (only they get the certificate)",
        overview.attendance.len()
    ));
    if issue {
        super::issue::run_with_progress(
            &issuance,
            conn,
            &organization_id,
            &competition_id,
            Lang::default(),
        )?;
    }
    Ok(lines)
}
