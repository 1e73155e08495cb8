//! The chair's word on ties the rule left (issue 23 part 4: «a named criterion first, then the
//! chair»): the ties still open, as the chair's page and the API list them, and the chair's order
//! for one of them, which the ranking follows while it covers the tie as it stands.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{ensure_chair, ensure_open, ranking_with, JudgingError, Ranking};
use crate::db::{self, write_transaction, DbConnection};
use crate::domain::jury::{Judge, Score};
use crate::domain::time::now_rfc3339;
use crate::i18n::{JuryMessage, Message};

/// A tie the rule left for the chair: entries of one nomination and age group, equal on the score
/// and on the tie rule's criterion.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Tie {
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    /// The place they share.
    pub place: u32,
    #[schema(value_type = f64)]
    pub score: Score,
    /// The tied entries: their ids, and their numbers in the competition's list (a blind review
    /// shows the chair numbers, not names); in the chair's order once decided.
    pub entries: Vec<TiedEntry>,
    /// The chair's order covers every entry of the tie: the ranking follows it.
    pub decided: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TiedEntry {
    pub entry_id: String,
    pub number: usize,
    /// Absent in a blind review.
    pub holder: Option<String>,
}

/// The ties the rule leaves for the chair as the scores stand, decided or not, for the chair's page
/// and the API.
pub fn ties(conn: &mut DbConnection, judge: &Judge) -> Result<Vec<Tie>, JudgingError> {
    let competition_id = judge.competition_id.as_str();
    let blind = db::jury_review::is_blind(conn, competition_id)?;
    let Ranking { ranked, entries, .. } = ranking_with(conn, competition_id, &HashMap::new())?;
    let order = db::jury_panel::chair_order(conn, competition_id)?;
    let number: HashMap<&str, (usize, &str)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), (i + 1, e.holder.as_str())))
        .collect();
    let mut ties: Vec<Tie> = Vec::new();
    for r in ranked.iter().filter(|r| r.chair_decides) {
        let (Some(place), Some(score)) = (r.place, r.score) else {
            continue;
        };
        let (n, holder) = number.get(r.entry_id.as_str()).copied().unwrap_or_default();
        let entry = TiedEntry {
            entry_id: r.entry_id.clone(),
            number: n,
            holder: (!blind).then(|| holder.to_string()),
        };
        match ties
            .iter_mut()
            .find(|t| t.place == place && (&t.nomination, &t.age_group) == (&r.group.0, &r.group.1))
        {
            Some(tie) => tie.entries.push(entry),
            None => ties.push(Tie {
                nomination: r.group.0.clone(),
                age_group: r.group.1.clone(),
                place,
                score,
                entries: vec![entry],
                decided: false,
            }),
        }
    }
    for tie in &mut ties {
        let positions: Option<HashSet<u32>> = tie
            .entries
            .iter()
            .map(|e| order.get(&e.entry_id).copied())
            .collect();
        tie.decided = positions.is_some_and(|p| p.len() == tie.entries.len());
        if tie.decided {
            tie.entries.sort_by_key(|e| order.get(&e.entry_id).copied());
        }
    }
    Ok(ties)
}

/// The chair decides a tie the rule left: `order` is every entry of that tie, first first. Refused
/// for anyone but the chair, for entries that are not exactly one such tie, and once signed.
pub fn decide_tie(conn: &mut DbConnection, judge: &Judge, order: &[String]) -> Result<(), JudgingError> {
    write_transaction(conn, |conn| {
        ensure_open(conn, &judge.competition_id)?;
        ensure_chair(conn, judge)?;
        let tie = ties(conn, judge)?.into_iter().find(|t| {
            t.entries.len() == order.len()
                && t.entries.iter().all(|e| order.contains(&e.entry_id))
                && order.iter().collect::<HashSet<_>>().len() == order.len()
        });
        if tie.is_none() {
            return Err(JudgingError::Invalid(Message::Jury(JuryMessage::NotATie)));
        }
        db::jury_panel::set_chair_order(conn, &judge.competition_id, order, &judge.name, &now_rfc3339())?;
        Ok(())
    })
}
