//! The upper side: the competition's feeding stages with counts by feeding organization, each
//! forwarded entry with where it came from, refusing one; and the lower side's list of the links
//! its competition feeds by.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{refused, view_of, Forwarded, LinkView, StageError};
use crate::db::{self, write_transaction, DbConnection};
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::{CompetitionId, OrgId};
use crate::i18n::{Lang, StageMessage};

/// A forwarded entry of the upper competition with its origin.
#[derive(Debug, Clone, Serialize)]
pub struct OriginEntry {
    pub entry_id: String,
    #[serde(flatten)]
    pub entry: Forwarded,
    pub link_id: String,
    /// The feeding organization's name.
    pub from_organization: String,
    /// The feeding competition's title.
    pub from_competition: String,
    pub forwarded_at: String,
}

/// A participant the upper organizer refused.
#[derive(Debug, Clone, Serialize)]
pub struct RefusedEntry {
    pub holder: String,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    pub from_organization: String,
    pub refused_at: Option<String>,
}

/// Counts by feeding organization.
#[derive(Debug, Clone, Serialize)]
pub struct FromOrganization {
    pub organization: String,
    pub competitions: usize,
    pub entries: usize,
    pub refused: usize,
}

/// Everything the upper organizer sees of the stages feeding their competition.
#[derive(Debug, Clone, Serialize)]
pub struct Feeding {
    pub links: Vec<LinkView>,
    pub by_organization: Vec<FromOrganization>,
    pub entries: Vec<OriginEntry>,
    pub refused: Vec<RefusedEntry>,
}

pub fn feeding(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    lang: Lang,
) -> Result<Feeding, StageError> {
    let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
    let records = db::stages::links_into(conn, organization_id, &competition.id)?;
    let own: HashMap<String, crate::domain::StoredEntry> = db::entries::list(conn, &competition.id)?
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
    let mut links = Vec::new();
    let mut entries = Vec::new();
    let mut refused_entries = Vec::new();
    let mut by_organization: BTreeMap<String, FromOrganization> = BTreeMap::new();
    for record in &records {
        let view = view_of(conn, record, lang)?;
        let from = by_organization
            .entry(record.lower_organization_id.clone())
            .or_insert_with(|| FromOrganization {
                organization: view.lower.organization.clone(),
                competitions: 0,
                entries: 0,
                refused: 0,
            });
        from.competitions += 1;
        from.entries += view.entries;
        from.refused += view.refused;
        for forward in db::stages::forwards_of_link(conn, &record.id)? {
            match forward.entry_id.as_deref().and_then(|id| own.get(id)) {
                Some(entry) => entries.push(OriginEntry {
                    entry_id: entry.id.clone(),
                    entry: Forwarded::of_entry(entry),
                    link_id: record.id.clone(),
                    from_organization: view.lower.organization.clone(),
                    from_competition: view.lower.competition.clone(),
                    forwarded_at: forward.forwarded_at.clone(),
                }),
                None if forward.refused_at.is_some() => refused_entries.push(RefusedEntry {
                    holder: forward.holder_name,
                    nomination: forward.nomination,
                    age_group: forward.age_group,
                    from_organization: view.lower.organization.clone(),
                    refused_at: forward.refused_at,
                }),
                None => {}
            }
        }
        links.push(view);
    }
    let mut by_organization: Vec<FromOrganization> = by_organization.into_values().collect();
    by_organization.sort_by(|a, b| a.organization.cmp(&b.organization));
    Ok(Feeding {
        links,
        by_organization,
        entries,
        refused: refused_entries,
    })
}

/// The upper organizer refuses a forwarded entry: it leaves the competition (with its scores), and
/// forwarding the same participant again adds nothing. Refused once it has a paper.
pub fn refuse(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    actor: &Actor,
    competition_id: &CompetitionId,
    entry_id: &str,
) -> Result<(), StageError> {
    write_transaction(conn, |conn| {
        let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
        let entry = db::entries::find(conn, entry_id)?;
        if entry.competition_id != competition.id {
            return Err(StageError::NotFound);
        }
        let forward = db::stages::forward_of_entry(conn, &entry.id)?
            .ok_or_else(|| refused(StageMessage::NotForwarded))?;
        if db::documents::entries_with_documents(conn, &competition.id)?.contains(&entry.id) {
            return Err(refused(StageMessage::HasPaper));
        }
        db::stages::mark_refused(conn, &forward.link_id, &forward.source_key)?;
        db::entries::delete(conn, std::slice::from_ref(&entry.id))?;
        let subject = format!("{} — «{}»", entry.holder, competition.details.title);
        crate::audit::record(
            conn,
            organization_id,
            actor,
            AuditAction::StageEntryRefused,
            &subject,
        )?;
        Ok(())
    })
}

/// The links by which the organization's competition feeds upper stages.
pub fn links_from(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    lang: Lang,
) -> Result<Vec<LinkView>, StageError> {
    let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
    db::stages::links_from(conn, organization_id, &competition.id)?
        .iter()
        .map(|record| view_of(conn, record, lang))
        .collect()
}
