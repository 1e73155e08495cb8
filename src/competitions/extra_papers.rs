//! A competition's extra papers, chosen on its page or through the API: team members' personal
//! papers on or off, the organizer's own wording of the reason per kind of paper, and who attended
//! a seminar or webinar. One function per use-case; the rules (a reason fits one printed line in
//! the fonts, an entry is marked only in its own competition) are checked here.

use std::collections::BTreeMap;

use super::{find, invalid, CompetitionError};
use crate::db::jury::JudgeWork;
use crate::db::{self, DbConnection, DbError};
use crate::domain::entry::normalize_text;
use crate::domain::papers::{PaperSettings, ReasonKind, MAX_REASON_CHARS};
use crate::domain::{Competition, CompetitionId, OrgId, Recipient, StoredEntry};
use crate::issuance::check_text_coverage;
use crate::issuance::render::Renderer;

/// The organization's competition's choices of extra papers.
pub fn settings(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    id: &CompetitionId,
) -> Result<PaperSettings, CompetitionError> {
    let competition = find(conn, organization_id, id)?;
    Ok(db::competition_papers::find(conn, &competition.id)?)
}

/// Replaces the choices; a reason left empty goes back to the design's words. Papers issued
/// before keep what they say; the next issue run (and the jury's letters) use these.
pub fn set_settings(
    conn: &mut DbConnection,
    renderer: &Renderer,
    organization_id: &OrgId,
    id: &CompetitionId,
    member_papers: bool,
    reasons: BTreeMap<ReasonKind, String>,
) -> Result<PaperSettings, CompetitionError> {
    let competition = find(conn, organization_id, id)?;
    let mut checked = BTreeMap::new();
    for (kind, text) in reasons {
        let text = normalize_text(&text);
        if text.is_empty() {
            continue;
        }
        if text.chars().count() > MAX_REASON_CHARS {
            return Err(invalid(
                "reasons",
                &format!("at most {MAX_REASON_CHARS} characters"),
            ));
        }
        check_text_coverage(renderer, &text).map_err(CompetitionError::Coverage)?;
        checked.insert(kind, text);
    }
    let settings = PaperSettings {
        member_papers,
        reasons: checked,
    };
    db::competition_papers::save(conn, &competition.id, &settings)?;
    Ok(settings)
}

/// Marks an entry of the organization's competition as having attended (or not) its seminar or
/// webinar; only those who came get its certificate. Another competition's entry is not found.
pub fn set_attended(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    id: &CompetitionId,
    entry_id: &str,
    attended: bool,
) -> Result<(), CompetitionError> {
    let competition = find(conn, organization_id, id)?;
    let entry = db::entries::find(conn, entry_id)?;
    if entry.competition_id != competition.id {
        return Err(CompetitionError::Db(DbError::Query(
            diesel::result::Error::NotFound,
        )));
    }
    db::entries::set_attended(conn, &entry.id, attended)?;
    Ok(())
}

/// A judge as the papers page lists them: their work, and whether their letter is issued.
#[derive(Debug, Clone)]
pub struct JudgeThanks {
    pub work: JudgeWork,
    pub thanked: bool,
}

/// What the competition's papers page shows.
#[derive(Debug)]
pub struct Overview {
    pub competition: Competition,
    pub settings: PaperSettings,
    pub judges: Vec<JudgeThanks>,
    /// A seminar's or webinar's entries with their attendance; empty for other kinds.
    pub attendance: Vec<StoredEntry>,
}

pub fn overview(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    id: &CompetitionId,
) -> Result<Overview, CompetitionError> {
    let competition = find(conn, organization_id, id)?;
    let settings = db::competition_papers::find(conn, &competition.id)?;
    let given = db::documents::recipients_with_papers(conn, &competition.id)?;
    let judges = db::jury::judges_work(conn, &competition.id)?
        .into_iter()
        .map(|work| JudgeThanks {
            thanked: given.contains(&Recipient::Judge(work.judge.id.clone()).to_text()),
            work,
        })
        .collect();
    let attendance = match competition.details.kind.is_event() {
        true => db::entries::list(conn, &competition.id)?,
        false => Vec::new(),
    };
    Ok(Overview {
        competition,
        settings,
        judges,
        attendance,
    })
}
