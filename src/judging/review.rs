//! The review as a judge sees it, for the API and the pages alike: the entries given to them (all,
//! or those the organizer assigned), each with its works, their own points and remarks so far; and
//! in a blind review only an entry number and the work, never the name, organization or
//! supervisor, not even in a work file's name.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::{assign, JudgingError};
use crate::db::applications::WorkFile;
use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::jury::{Criterion, Judge, Tenths};

/// Blind review on or off: judges see entry numbers instead of names from the next page they open.
pub fn set_blind(conn: &mut DbConnection, competition_id: &str, blind: bool) -> Result<(), JudgingError> {
    write_transaction(conn, |conn| {
        db::competitions::find(conn, competition_id)?;
        db::jury_review::set_blind(conn, competition_id, blind)?;
        Ok(())
    })
}

/// A work file as a judge is shown it.
#[derive(Debug, Clone, Serialize)]
pub struct WorkForJudge {
    pub id: String,
    /// The applicant's file name, or `work-1.pdf` in a blind review.
    pub name: String,
    /// `pdf`, `image`, `video`, `audio` or `file`: how a page shows it.
    pub kind: &'static str,
    pub media_type: String,
}

/// One entry as a judge sees it. In a blind review `holder`, `organization` and `supervisor` are
/// absent: the number is the entry's name.
#[derive(Debug, Clone, Serialize)]
pub struct EntryForJudge {
    pub id: String,
    /// The entry's number in the competition's list, as score sheets give it.
    pub number: usize,
    pub holder: Option<String>,
    pub organization: Option<String>,
    pub supervisor: Option<String>,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    /// The judge's own organization: this entry is not theirs to score.
    pub conflict_of_interest: bool,
    /// Every criterion scored by this judge.
    pub scored: bool,
    pub works: Vec<WorkForJudge>,
    /// Links the applicant gave (a video on a hosting site, say).
    pub links: Vec<String>,
    pub points: HashMap<String, Tenths>,
    pub remarks: HashMap<String, String>,
    pub remark: String,
    /// The round of the review, from 1: above 1 the entry was returned for revision and this is
    /// its revised work.
    pub round: u32,
    /// Returned for revision, the revised work not in yet: nothing to score now.
    pub awaiting_revision: bool,
    /// This judge's own points and remarks of earlier rounds, as lines to read before rescoring.
    pub earlier: Vec<super::revision::EarlierLine>,
}

/// What a judge has in front of them.
pub struct Desk {
    pub blind: bool,
    pub criteria: Vec<Criterion>,
    pub entries: Vec<EntryForJudge>,
}

impl Desk {
    /// Entries scored / entries given, not counting those the judge may not score (a conflict of
    /// interest, or a work out for revision).
    pub fn progress(&self) -> (usize, usize) {
        let mine = self
            .entries
            .iter()
            .filter(|e| !e.conflict_of_interest && !e.awaiting_revision);
        let (scored, total) = mine.fold((0, 0), |(s, t), e| (s + usize::from(e.scored), t + 1));
        (scored, total)
    }
}

fn kind_of(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "pdf",
        t if t.starts_with("image/") => "image",
        t if t.starts_with("video/") => "video",
        t if t.starts_with("audio/") => "audio",
        _ => "file",
    }
}

/// `work-2.pdf`: a name that says nothing of who sent it.
fn blind_name(index: usize, original: &str) -> String {
    let extension = original
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty() && e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()));
    match extension {
        Some(e) => format!("work-{}.{}", index + 1, e.to_ascii_lowercase()),
        None => format!("work-{}", index + 1),
    }
}

fn work_for_judge(index: usize, file: &WorkFile, blind: bool) -> WorkForJudge {
    WorkForJudge {
        id: file.id.clone(),
        name: match blind {
            true => blind_name(index, &file.name),
            false => file.name.clone(),
        },
        kind: kind_of(&file.media_type),
        media_type: file.media_type.clone(),
    }
}

/// The entries a judge reviews, in the competition's order, with their works and the judge's
/// own sheet so far.
pub fn desk(conn: &mut DbConnection, judge: &Judge) -> Result<Desk, JudgingError> {
    let competition_id = judge.competition_id.as_str();
    let blind = db::jury_review::is_blind(conn, competition_id)?;
    let criteria = db::jury::criteria(conn, competition_id)?;
    let entries = db::entries::list(conn, competition_id)?;
    let visible = assign::visible_to(conn, judge)?;
    let works = crate::applications::works_by_entry(conn, competition_id)?;
    let mut points: HashMap<String, HashMap<String, Tenths>> = HashMap::new();
    for mark in db::jury::marks(conn, competition_id)?
        .into_iter()
        .filter(|m| m.judge_id == judge.id)
    {
        points
            .entry(mark.entry_id)
            .or_default()
            .insert(mark.criterion_id, mark.points);
    }
    let mut remarks: HashMap<String, (HashMap<String, String>, String)> = HashMap::new();
    for remark in db::jury_review::remarks(conn, competition_id)?
        .into_iter()
        .filter(|r| r.judge_id == judge.id)
    {
        let slot = remarks.entry(remark.entry_id).or_default();
        match remark.criterion_id {
            Some(criterion) => {
                slot.0.insert(criterion, remark.text);
            }
            None => slot.1 = remark.text,
        }
    }
    let rounds = super::revision::rounds_by_entry(conn, competition_id)?;
    let mut earlier = super::revision::own_earlier(conn, competition_id, judge, &criteria)?;
    let shown = |value: Option<String>| if blind { None } else { value };
    let list = entries
        .into_iter()
        .enumerate()
        .filter(|(_, e)| visible.as_ref().is_none_or(|v| v.contains(&e.id)))
        .map(|(i, e)| {
            let given = points.remove(&e.id).unwrap_or_default();
            let (on_criteria, overall) = remarks.remove(&e.id).unwrap_or_default();
            let round = rounds.get(&e.id).cloned().unwrap_or_default();
            EntryForJudge {
                round: round.round.max(1),
                awaiting_revision: round.awaiting_revision,
                earlier: earlier.remove(&e.id).unwrap_or_default(),
                number: i + 1,
                conflict_of_interest: judge.has_conflict_with(e.school.as_deref()),
                scored: !criteria.is_empty() && criteria.iter().all(|c| given.contains_key(&c.id)),
                works: works
                    .get(&e.id)
                    .map(|files| {
                        files
                            .iter()
                            .enumerate()
                            .map(|(i, f)| work_for_judge(i, f, blind))
                            .collect()
                    })
                    .unwrap_or_default(),
                links: links_of(&e.custom),
                holder: shown(Some(e.holder)),
                organization: shown(e.school),
                supervisor: shown(e.supervisor),
                nomination: e.nomination,
                age_group: e.age_group,
                id: e.id,
                points: given,
                remarks: on_criteria,
                remark: overall,
            }
        })
        .collect();
    Ok(Desk {
        blind,
        criteria,
        entries: list,
    })
}

/// The applicant's answers that are web links: a video is sent as a link, not a file.
fn links_of(custom: &BTreeMap<String, String>) -> Vec<String> {
    custom
        .values()
        .map(|v| v.trim())
        .filter(|v| {
            (v.starts_with("https://") || v.starts_with("http://")) && !v.contains(char::is_whitespace)
        })
        .map(str::to_string)
        .collect()
}

/// A work file for a person who judges its competition, if the entry is theirs to review; in a
/// blind review under a name that says nothing of its author.
pub fn work_for_person(
    conn: &mut DbConnection,
    user_id: &str,
    file_id: &str,
) -> Result<WorkFile, JudgingError> {
    let file = db::applications::file(conn, file_id).map_err(not_found)?;
    let (competition_id, _) = db::applications::owner(conn, &file.application_id).map_err(not_found)?;
    let judge = db::jury::judges_of_user(conn, user_id)?
        .into_iter()
        .find(|j| j.competition_id == competition_id)
        .ok_or(JudgingError::NotFound)?;
    let visible = assign::visible_to(conn, &judge)?;
    let blind = db::jury_review::is_blind(conn, &competition_id)?;
    let works = crate::applications::works_by_entry(conn, &competition_id)?;
    let (index, found) = works
        .iter()
        .filter(|(entry, _)| {
            visible
                .as_ref()
                .is_none_or(|v: &HashSet<String>| v.contains(*entry))
        })
        .find_map(|(_, files)| files.iter().enumerate().find(|(_, f)| f.id == file.id))
        .ok_or(JudgingError::NotFound)?;
    let mut found = found.clone();
    if blind {
        found.name = blind_name(index, &found.name);
    }
    Ok(found)
}

fn not_found(e: DbError) -> JudgingError {
    match e {
        DbError::Query(diesel::result::Error::NotFound) => JudgingError::NotFound,
        other => JudgingError::Db(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blind_names_keep_only_the_kind_of_file() {
        assert_eq!(blind_name(0, "Сейтқали Айгерім — эссе.PDF"), "work-1.pdf");
        assert_eq!(blind_name(1, "Иванов"), "work-2");
        assert_eq!(blind_name(2, "a.Иванов"), "work-3");
        assert_eq!(kind_of("image/png"), "image");
        assert_eq!(kind_of("video/mp4"), "video");
    }
}
