//! The lower organizer forwards winners: chosen by the jury's ranking, by award categories of
//! their competition's entries (from applied jury results or an uploaded results file), or from a
//! results table read as the results upload reads it. A preview shows what would be sent; sending
//! adds only participants not sent before and keeps within the invitation's quota.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::{group_label, refused, view_of, Forwarded, LinkView, StageError};
use crate::db::stages::{ForwardRecord, LinkRecord};
use crate::db::{self, write_transaction, DbConnection};
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::award::AwardCategory;
use crate::domain::time::now_rfc3339;
use crate::domain::{EntryDraft, OrgId};
use crate::i18n::{Lang, StageMessage};
use crate::judging::{self, Advance};

/// Who of the lower competition goes up.
#[derive(Debug, Clone)]
pub enum Choice {
    /// By the jury's ranking of the linked competition, as advancing inside one organization
    /// chooses (the best N of each nomination and age group, or a minimum score).
    Jury(Advance),
    /// The linked competition's entries whose award is of these categories (awards from the jury's
    /// applied results or from the uploaded results file).
    Awards(Vec<AwardCategory>),
    /// The rows of a results table whose award is of these categories.
    Table {
        rows: Vec<EntryDraft>,
        awards: Vec<AwardCategory>,
    },
}

/// The winners by default: Grand Prix, first places and prize-winners (places and degrees 2–3).
pub const WINNERS: [AwardCategory; 3] = [
    AwardCategory::GrandPrix,
    AwardCategory::Winner,
    AwardCategory::PrizeWinner,
];

/// What a choice would send.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub link: LinkView,
    /// Every participant chosen, in the order chosen; `already` ones were sent before.
    pub entries: Vec<PlannedEntry>,
    /// Chosen and not sent before: what sending adds.
    pub new: usize,
    /// Chosen and sent before (or refused by the upper organizer): sending adds nothing for them.
    pub already: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedEntry {
    #[serde(flatten)]
    pub entry: Forwarded,
    pub already: bool,
}

/// What sending did.
#[derive(Debug, Clone, Serialize)]
pub struct Sent {
    pub link: LinkView,
    /// Added to the upper competition now.
    pub forwarded: usize,
    /// Chosen but sent before: not added again.
    pub already: usize,
    pub entries: Vec<Forwarded>,
}

fn chosen(conn: &mut DbConnection, link: &LinkRecord, choice: Choice) -> Result<Vec<Forwarded>, StageError> {
    let lower = link.lower_competition_id.as_str();
    let in_categories =
        |award: crate::domain::Award, awards: &[AwardCategory]| awards.contains(&award.category());
    let chosen: Vec<Forwarded> = match choice {
        Choice::Jury(rule) => {
            let judging::Ranking { ranked, entries, .. } = judging::ranking(conn, lower)?;
            let by_id: HashMap<&str, &crate::domain::StoredEntry> =
                entries.iter().map(|e| (e.id.as_str(), e)).collect();
            ranked
                .iter()
                .filter(|r| !r.out_of_competition)
                .filter(|r| match (rule, r.place, r.score) {
                    (Advance::Top(top), Some(place), _) => place <= top,
                    (Advance::MinScore(min), _, Some(score)) => score.as_f64() >= min,
                    _ => false,
                })
                .filter_map(|r| by_id.get(r.entry_id.as_str()))
                .map(|e| Forwarded::of_entry(e))
                .collect()
        }
        Choice::Awards(awards) => db::entries::list(conn, lower)?
            .iter()
            .filter(|e| in_categories(e.award, &awards))
            .map(Forwarded::of_entry)
            .collect(),
        Choice::Table { rows, awards } => rows
            .iter()
            .filter(|d| in_categories(d.award, &awards))
            .map(Forwarded::of_draft)
            .collect(),
    };
    // The same participant twice in one choice goes once.
    let mut seen = HashSet::new();
    Ok(chosen
        .into_iter()
        .filter(|f| f.draft(0).is_some())
        .filter(|f| seen.insert(f.key()))
        .collect())
}

/// The choice checked against what was sent before and the invitation's quota.
fn plan_of(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    link_id: &str,
    choice: Choice,
    lang: Lang,
) -> Result<(LinkRecord, Plan), StageError> {
    let link = db::stages::link_of_lower(conn, organization_id, link_id)?;
    if link.revoked_at.is_some() {
        return Err(refused(StageMessage::Revoked));
    }
    let chosen = chosen(conn, &link, choice)?;
    if chosen.is_empty() {
        return Err(refused(StageMessage::NothingChosen));
    }
    let before = db::stages::forwards_of_link(conn, &link.id)?;
    let sent: HashSet<&str> = before.iter().map(|f| f.source_key.as_str()).collect();
    let entries: Vec<PlannedEntry> = chosen
        .into_iter()
        .map(|entry| PlannedEntry {
            already: sent.contains(entry.key().as_str()),
            entry,
        })
        .collect();
    if let Some(quota) = link.quota.and_then(|q| u32::try_from(q).ok()) {
        let mut per_group: BTreeMap<(Option<String>, Option<String>), u32> = BTreeMap::new();
        for f in before.iter().filter(|f| f.refused_at.is_none()) {
            *per_group
                .entry((f.nomination.clone(), f.age_group.clone()))
                .or_default() += 1;
        }
        for planned in entries.iter().filter(|p| !p.already) {
            let group = (
                planned.entry.draft(0).and_then(|d| d.nomination),
                planned.entry.draft(0).and_then(|d| d.age_group),
            );
            *per_group.entry(group).or_default() += 1;
        }
        if let Some(((nomination, age_group), _)) = per_group.iter().find(|(_, n)| **n > quota) {
            return Err(refused(StageMessage::OverQuota {
                group: group_label(nomination.as_deref(), age_group.as_deref()),
                quota,
            }));
        }
    }
    let new = entries.iter().filter(|p| !p.already).count();
    let plan = Plan {
        link: view_of(conn, &link, lang)?,
        already: entries.len() - new,
        new,
        entries,
    };
    Ok((link, plan))
}

/// What sending the choice would do; nothing is written.
pub fn preview(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    link_id: &str,
    choice: Choice,
    lang: Lang,
) -> Result<Plan, StageError> {
    plan_of(conn, organization_id, link_id, choice, lang).map(|(_, plan)| plan)
}

/// Sends the choice: participants not sent before become the upper competition's entries (their
/// awards for its jury to decide), each remembered with the link it came by. Sending someone is in
/// the lower organization's audit log with the count; a send that adds nobody changes nothing.
pub fn forward(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    actor: &Actor,
    link_id: &str,
    choice: Choice,
    lang: Lang,
) -> Result<Sent, StageError> {
    write_transaction(conn, |conn| {
        let (link, plan) = plan_of(conn, organization_id, link_id, choice, lang)?;
        let upper = link.upper_competition_id.as_str();
        let start = usize::try_from(db::entries::count(conn, upper)?).unwrap_or(0) + 2;
        let now = now_rfc3339();
        let mut records = Vec::new();
        let mut added = Vec::new();
        for (i, planned) in plan.entries.iter().filter(|p| !p.already).enumerate() {
            let Some(draft) = planned.entry.draft(start + i) else {
                continue;
            };
            let entry_id = db::entries::insert_one(conn, upper, &draft)?;
            records.push(ForwardRecord {
                link_id: link.id.clone(),
                source_key: planned.entry.key(),
                entry_id: Some(entry_id),
                holder_name: draft.holder.as_str().to_string(),
                nomination: draft.nomination.clone(),
                age_group: draft.age_group.clone(),
                forwarded_at: now.clone(),
                refused_at: None,
            });
            added.push(planned.entry.clone());
        }
        db::stages::insert_forwards(conn, &records)?;
        let view = view_of(conn, &link, lang)?;
        if !added.is_empty() {
            crate::persons::assign(conn, &link.upper_organization_id, upper)?;
            let subject = format!(
                "{}: «{}» → «{}» ({})",
                added.len(),
                view.lower.competition,
                view.upper.competition,
                view.upper.organization
            );
            crate::audit::record(
                conn,
                organization_id,
                actor,
                AuditAction::StageForwarded,
                &subject,
            )?;
        }
        Ok(Sent {
            link: view,
            forwarded: added.len(),
            already: plan.already,
            entries: added,
        })
    })
}

/// One participant the lower organization sent, as it may see it: no more than it sent itself,
/// and whether the upper organizer refused it.
#[derive(Debug, Clone, Serialize)]
pub struct SentEntry {
    pub holder: String,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    pub forwarded_at: String,
    /// `entered`, `refused`, or `removed` (no longer among the upper competition's entries).
    pub status: &'static str,
    pub refused_at: Option<String>,
}

/// What the lower organization sent through its link, and when.
pub fn forwarded_by_link(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    link_id: &str,
    lang: Lang,
) -> Result<(LinkView, Vec<SentEntry>), StageError> {
    let link = db::stages::link_of_lower(conn, organization_id, link_id)?;
    let sent = db::stages::forwards_of_link(conn, &link.id)?
        .into_iter()
        .map(|f| SentEntry {
            status: match (&f.refused_at, &f.entry_id) {
                (Some(_), _) => "refused",
                (None, Some(_)) => "entered",
                (None, None) => "removed",
            },
            holder: f.holder_name,
            nomination: f.nomination,
            age_group: f.age_group,
            forwarded_at: f.forwarded_at,
            refused_at: f.refused_at,
        })
        .collect();
    Ok((view_of(conn, &link, lang)?, sent))
}
