//! A competition's results on its public page, once the organizer publishes them: each paper's
//! award by nomination with the holder's name masked as the verification page masks it, and a link
//! to that page. A participant finds their line by surname and school, without the code.
//!
//! A results page of a 10,000-entry competition is read by thousands of parents the evening it is
//! published: its lines are built once and kept for a short while (`ResultsCache`), and each
//! request only filters them. A revoked paper or one hidden from the public leaves the page
//! within the cache's lifetime.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::{self, DbConnection, DbError};
use crate::domain::award::Award;
use crate::domain::DocumentStatus;
use crate::verification::mask::public_name;

/// One line of the public results.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResultLine {
    pub nomination: String,
    pub age_group: String,
    pub award: String,
    pub name: String,
    pub school: String,
    pub region: String,
    pub code: String,
    /// Lower-case surnames (first word of the name; a team's whole name and its members'
    /// surnames) and school, for search.
    #[serde(skip)]
    surnames: Vec<String>,
    #[serde(skip)]
    school_key: String,
}

/// A search by surname (its beginning) and words of the school, read once per request.
pub struct Search {
    surname: String,
    school: Vec<String>,
}

impl Search {
    pub fn new(surname: &str, school: &str) -> Search {
        Search {
            surname: surname.trim().to_lowercase(),
            school: school.split_whitespace().map(str::to_lowercase).collect(),
        }
    }

    /// Whether the line answers the search.
    pub fn finds(&self, line: &ResultLine) -> bool {
        (self.surname.is_empty() || line.surnames.iter().any(|s| s.starts_with(&self.surname)))
            && self.school.iter().all(|w| line.school_key.contains(w.as_str()))
    }
}

/// The lines of a competition's valid public papers (letters of gratitude are not results), by
/// nomination, age group and award.
pub fn lines(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<ResultLine>, DbError> {
    let mut lines: Vec<(u64, ResultLine)> = db::documents::list_for_competition(conn, competition_id)?
        .into_iter()
        .filter(|d| d.status == DocumentStatus::Valid && d.public_lookup && d.entry_id.is_some())
        .map(|d| {
            let p = d.payload;
            let is_team = !p.team_members.is_empty();
            let order = match Award::from_code(&p.award) {
                Some(Award::GrandPrix) => 0,
                Some(award) => award.record_number(),
                None => u64::MAX,
            };
            let first_word = |name: &str| name.split_whitespace().next().unwrap_or_default().to_lowercase();
            let surnames = match is_team {
                true => std::iter::once(p.holder.to_lowercase())
                    .chain(p.team_members.iter().map(|m| first_word(m)))
                    .collect(),
                false => vec![first_word(&p.holder)],
            };
            let school = p.school.clone().unwrap_or_default();
            (
                order,
                ResultLine {
                    nomination: p.nomination.unwrap_or_default(),
                    age_group: p.age_group.unwrap_or_default(),
                    award: p.award_title,
                    name: public_name(&p.holder, is_team),
                    school_key: school.to_lowercase(),
                    school,
                    region: p.region.unwrap_or_default(),
                    code: d.code.to_string(),
                    surnames,
                },
            )
        })
        .collect();
    lines.sort_by(|(a_order, a), (b_order, b)| {
        (&a.nomination, &a.age_group, a_order, &a.school).cmp(&(
            &b.nomination,
            &b.age_group,
            b_order,
            &b.school,
        ))
    });
    Ok(lines.into_iter().map(|(_, line)| line).collect())
}

/// A published results page as built: the competition (its titles) and its lines.
pub struct Published {
    pub competition: crate::domain::Competition,
    pub lines: Vec<ResultLine>,
}

/// Built results pages, each kept for `ttl`.
pub struct ResultsCache {
    ttl: Duration,
    built: Mutex<HashMap<String, (Instant, Arc<Published>)>>,
    /// Held while a page is built.
    pub building: tokio::sync::Mutex<()>,
}

impl ResultsCache {
    pub fn new(ttl: Duration) -> ResultsCache {
        ResultsCache {
            ttl,
            built: Mutex::new(HashMap::new()),
            building: tokio::sync::Mutex::new(()),
        }
    }

    /// The lines kept for a competition, if still fresh.
    pub fn fresh(&self, competition_id: &str) -> Option<Arc<Published>> {
        let built = self.built.lock().ok()?;
        let (at, lines) = built.get(competition_id)?;
        (at.elapsed() < self.ttl).then(|| lines.clone())
    }

    /// Drops a competition's page: its results were published or withdrawn.
    pub fn forget(&self, competition_id: &str) {
        if let Ok(mut built) = self.built.lock() {
            built.remove(competition_id);
        }
    }

    pub fn keep(&self, published: Published) -> Arc<Published> {
        let competition_id = published.competition.id.clone();
        let lines = Arc::new(published);
        if let Ok(mut built) = self.built.lock() {
            built.retain(|_, (at, _)| at.elapsed() < self.ttl);
            built.insert(competition_id, (Instant::now(), lines.clone()));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(holder: &str, school: &str) -> ResultLine {
        ResultLine {
            nomination: String::new(),
            age_group: String::new(),
            award: String::new(),
            name: public_name(holder, false),
            school: school.into(),
            region: String::new(),
            code: String::new(),
            surnames: vec![holder
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_lowercase()],
            school_key: school.to_lowercase(),
        }
    }

    #[test]
    fn found_by_the_beginning_of_the_surname_and_words_of_the_school_never_by_the_given_name() {
        let l = line("Сейтқали Айгерім", "№ 12 мектеп-гимназия");
        let finds = |surname: &str, school: &str| Search::new(surname, school).finds(&l);
        assert_eq!(l.name, "А*** С.");
        assert!(finds("сейтқали", ""));
        assert!(finds("Сейт", "Гимназия"));
        assert!(!finds("Айгерім", ""), "the given name does not find a child");
        assert!(!finds("Сейтқали", "лицей"));
    }
}
