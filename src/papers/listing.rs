//! A competition's papers as its organizer looks through them: a page at a time in serial order, or
//! found by a search over names, serials and codes, each with its e-mails, scans and replacement.
//! A competition may hold 100,000 papers: a page reads only its own rows, a search only the names,
//! serials and codes of the rest.

use std::collections::HashMap;

use crate::db::{self, DbConnection, DbError};
use crate::domain::outbox::OutboxMessage;
use crate::domain::{Competition, Document};

/// One page of a competition's papers and what the page shows beside each.
pub struct Listing {
    pub competition: Competition,
    /// Papers the competition has; `found` of them match the search (all without one).
    pub total: usize,
    pub found: usize,
    pub page: Vec<Document>,
    /// Id of a replacement paper → its serial, for the shown papers that were superseded.
    pub replacements: HashMap<String, String>,
    pub deliveries: HashMap<String, Vec<OutboxMessage>>,
    /// Id → (scans, last scan).
    pub scans: HashMap<String, (i64, Option<String>)>,
}

/// Without `search`, `shown` papers after serial `after`; with one, the first `shown` papers whose
/// serial or holder's name holds it (any case) or whose code it is. The organization's
/// competition only.
pub fn list(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
    search: Option<&str>,
    after: Option<&str>,
    shown: usize,
) -> Result<Listing, DbError> {
    let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
    let total = usize::try_from(db::documents::count_for_competition(conn, &competition.id)?).unwrap_or(0);
    let (found, page) = match search {
        None => {
            let limit = i64::try_from(shown).unwrap_or(i64::MAX);
            (
                total,
                db::documents::page_for_competition(conn, &competition.id, after, limit)?,
            )
        }
        Some(search) => {
            let search = search.to_lowercase();
            let hits: Vec<String> = db::documents::search_keys(conn, &competition.id)?
                .into_iter()
                .filter(|(_, serial, code, holder)| {
                    serial.to_lowercase().contains(&search)
                        || holder.to_lowercase().contains(&search)
                        || code.to_lowercase() == search
                })
                .map(|(id, ..)| id)
                .collect();
            (
                hits.len(),
                db::documents::find_many(conn, &hits[..hits.len().min(shown)])?,
            )
        }
    };
    let replaced: Vec<String> = page.iter().filter_map(|d| d.superseded_by.clone()).collect();
    let replacements = db::documents::find_many(conn, &replaced)?
        .into_iter()
        .map(|d| (d.id, d.serial.to_string()))
        .collect();
    // E-mails and scans only for the papers shown.
    let ids: Vec<String> = page.iter().map(|d| d.id.clone()).collect();
    let deliveries = db::outbox::for_documents(conn, &ids)?;
    let scans = db::scans::summaries(conn, &ids)?;
    Ok(Listing {
        competition,
        total,
        found,
        page,
        replacements,
        deliveries,
        scans,
    })
}
