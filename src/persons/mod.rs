//! Persons: the same child in three competitions is one person with three participations, and
//! the organizer's decisions about who is who stick.
//!
//! Every entry has a participation per person in it (a team one per member). A new participation
//! goes to the person its automatic key names (the normalized name with the birth date when the
//! row has one, else with the organization); an unknown key makes a new person. Merging two persons
//! moves the second's participations and keys to the first, so later rows with either key come to
//! the merged one. Splitting moves chosen participations to a new person and pins them there: a
//! re-import (which keeps entries it finds again) leaves pinned participations where they are.
//! The reports count distinct stored persons.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::db::persons::{Counted, EntryPeople, NewParticipation, NewPerson, Person};
use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::entry::normalize_text;
use crate::domain::Award;

/// How many persons a list shows at most.
pub const LIST_LIMIT: i64 = 100;

#[derive(Debug, thiserror::Error)]
pub enum PersonError {
    #[error("no such person")]
    NotFound,
    #[error("a person cannot be merged with themselves")]
    SamePerson,
    /// Participations to split off must be some, not all, of the person's.
    #[error("choose some of the person's participations, not none and not all")]
    BadChoice,
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for PersonError {
    fn from(error: DbError) -> Self {
        if error.is_not_found() {
            PersonError::NotFound
        } else {
            PersonError::Db(error)
        }
    }
}

impl From<diesel::result::Error> for PersonError {
    fn from(error: diesel::result::Error) -> Self {
        DbError::from(error).into()
    }
}

/// Who a row is about, across rows and competitions.
pub fn person_key(name: &str, birth_date: Option<&str>, school: Option<&str>) -> String {
    let name = normalize_text(name).to_lowercase();
    match (birth_date, school) {
        (Some(born), _) => format!("{name}\u{1f}b{born}"),
        (None, Some(school)) => format!("{name}\u{1f}s{}", normalize_text(school).to_lowercase()),
        (None, None) => name,
    }
}

/// One person in an entry, as its row says.
struct Wanted {
    entry_id: String,
    position: i32,
    name: String,
    key: String,
    birth_date: Option<String>,
    school: Option<String>,
}

/// The persons of an entry: its holder, or each member of a team.
fn people_of(entry: &EntryPeople) -> Vec<Wanted> {
    let members: Vec<String> = entry
        .team_members
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let school = entry.school.as_deref();
    if members.is_empty() {
        return vec![Wanted {
            entry_id: entry.id.clone(),
            position: 0,
            key: person_key(&entry.holder, entry.birth_date.as_deref(), school),
            name: entry.holder.clone(),
            birth_date: entry.birth_date.clone(),
            school: entry.school.clone(),
        }];
    }
    members
        .into_iter()
        .enumerate()
        .map(|(at, name)| Wanted {
            entry_id: entry.id.clone(),
            position: i32::try_from(at).unwrap_or(i32::MAX),
            key: person_key(&name, None, school),
            name,
            birth_date: None,
            school: entry.school.clone(),
        })
        .collect()
}

/// Brings a competition's participations in line with its entries: new entries get theirs, a
/// changed row moves its unpinned participations to the person its key now names, gone members
/// go, and every participation carries what the report counts it by (its person's number, its
/// entry's keys). The caller holds the transaction (an import calls this inside its own; so does
/// anything that changes an entry's region, school, settlement, age group or award).
pub fn assign(conn: &mut DbConnection, organization_id: &str, competition_id: &str) -> Result<(), DbError> {
    let entries = db::persons::entry_people(conn, competition_id)?;
    let counted_of = crate::reports::counted_of_entries(conn, organization_id, &entries)?;
    let wanted: Vec<Wanted> = entries.iter().flat_map(people_of).collect();
    let stored = db::persons::participations_of_competition(conn, competition_id)?;
    let mut keys: Vec<String> = wanted.iter().map(|w| w.key.clone()).collect();
    keys.sort();
    keys.dedup();
    let mut known = db::persons::persons_by_key(conn, organization_id, &keys)?;
    let mut new_persons: Vec<NewPerson> = Vec::new();
    let mut new_keys: HashSet<&str> = HashSet::new();
    for w in &wanted {
        if !known.contains_key(&w.key) && new_keys.insert(w.key.as_str()) {
            new_persons.push(NewPerson {
                id: uuid::Uuid::now_v7().to_string(),
                name: w.name.clone(),
                birth_date: w.birth_date.clone(),
                school: w.school.clone(),
                key: Some(w.key.clone()),
            });
        }
    }
    let numbers = db::persons::insert_persons(conn, organization_id, &new_persons)?;
    for (person, number) in new_persons.into_iter().zip(numbers) {
        if let Some(key) = person.key {
            known.insert(key, (person.id, number));
        }
    }

    let mut by_place: HashMap<(&str, i32), &db::persons::StoredParticipation> = stored
        .iter()
        .map(|s| ((s.entry_id.as_str(), s.position), s))
        .collect();
    let mut fresh = Vec::new();
    for w in &wanted {
        let Some((person, number)) = known.get(&w.key) else {
            continue;
        };
        let counted = Counted {
            person_number: *number,
            ..counted_of.get(w.entry_id.as_str()).copied().unwrap_or_default()
        };
        match by_place.remove(&(w.entry_id.as_str(), w.position)) {
            Some(s) if s.pinned => {
                // A pinned participation stays with its person, and so does its number.
                let counted = Counted {
                    person_number: s.counted.person_number,
                    ..counted
                };
                if s.name != w.name || s.counted != counted {
                    db::persons::set_participation(conn, &s.id, &s.person_id, &w.name, &counted)?;
                }
            }
            Some(s) => {
                if &s.person_id != person || s.name != w.name || s.counted != counted {
                    db::persons::set_participation(conn, &s.id, person, &w.name, &counted)?;
                }
            }
            None => fresh.push(NewParticipation {
                entry_id: w.entry_id.clone(),
                position: w.position,
                person_id: person.clone(),
                name: w.name.clone(),
                counted,
            }),
        }
    }
    let gone: Vec<String> = by_place.into_values().map(|s| s.id.clone()).collect();
    db::persons::delete_participations(conn, &gone)?;
    db::persons::insert_participations(conn, competition_id, &fresh)
}

/// Gives participations to entries stored before persons were (once, at start).
pub fn assign_missing(conn: &mut DbConnection) -> Result<usize, DbError> {
    let missing = db::persons::competitions_not_assigned(conn)?;
    for (organization_id, competition_id) in &missing {
        write_transaction(conn, |conn| assign(conn, organization_id, competition_id))?;
    }
    Ok(missing.len())
}

/// The organization's persons whose name holds `search`.
pub fn list(conn: &mut DbConnection, organization_id: &str, search: &str) -> Result<Vec<Person>, DbError> {
    let search = normalize_text(search).to_lowercase();
    db::persons::list(conn, organization_id, &search, LIST_LIMIT)
}

/// A paper issued for a participation's entry.
#[derive(Debug, Clone, Serialize)]
pub struct Paper {
    pub kind: String,
    pub serial: String,
    pub code: String,
    pub status: String,
}

/// A participation as the person's history shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Participation {
    pub id: String,
    /// The name as this row wrote it.
    pub name: String,
    /// Set by hand (a split): re-imports leave it with this person.
    pub pinned: bool,
    pub entry_id: String,
    pub competition_id: String,
    pub competition: String,
    pub kind: String,
    /// The day the competition is counted on (its end, else its start, else its creation).
    pub date: String,
    /// The team's name when the person took part in a team.
    pub team: Option<String>,
    pub school: Option<String>,
    pub region: Option<String>,
    /// The award category's code (`place_1`, `participant`, …) and the words printed, if own.
    pub award: String,
    pub award_title: Option<String>,
    pub winner: bool,
    pub papers: Vec<Paper>,
}

#[derive(Debug, Clone, Serialize)]
pub struct History {
    #[serde(flatten)]
    pub person: Person,
    pub participations: Vec<Participation>,
}

/// A person with everything they took part in, newest first, and the papers issued for it.
pub fn history(
    conn: &mut DbConnection,
    organization_id: &str,
    person_id: &str,
) -> Result<History, PersonError> {
    let person = db::persons::find(conn, organization_id, person_id)?;
    let rows = db::persons::history(conn, &person.id)?;
    let entries: Vec<String> = rows.iter().map(|r| r.entry_id.clone()).collect();
    let mut papers: HashMap<String, Vec<Paper>> = HashMap::new();
    for (entry, kind, serial, code, status) in db::persons::papers_of_entries(conn, &entries)? {
        papers.entry(entry).or_default().push(Paper {
            kind,
            serial,
            code,
            status,
        });
    }
    let mut participations: Vec<Participation> = rows
        .into_iter()
        .map(|r| {
            let winner = Award::from_code(&r.award).is_some_and(|a| crate::reports::is_winner(a.category()));
            Participation {
                papers: papers.get(&r.entry_id).cloned().unwrap_or_default(),
                date: r
                    .ends_on
                    .or(r.starts_on)
                    .unwrap_or_else(|| r.created_at.chars().take(10).collect()),
                team: r.team.is_some().then_some(r.holder),
                id: r.participation_id,
                name: r.name,
                pinned: r.pinned,
                entry_id: r.entry_id,
                competition_id: r.competition_id,
                competition: r.competition_title,
                kind: r.kind,
                school: r.school,
                region: r.region,
                award: r.award,
                award_title: r.award_title,
                winner,
            }
        })
        .collect();
    participations.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    Ok(History {
        person,
        participations,
    })
}

/// `other` becomes part of `into`: their participations and keys, so later rows about either
/// come to `into`. Returns the merged person.
pub fn merge(
    conn: &mut DbConnection,
    organization_id: &str,
    into: &str,
    other: &str,
) -> Result<Person, PersonError> {
    if into == other {
        return Err(PersonError::SamePerson);
    }
    write_transaction(conn, |conn| {
        db::persons::find(conn, organization_id, into)?;
        db::persons::find(conn, organization_id, other)?;
        db::persons::merge(conn, into, other)?;
        Ok(db::persons::find(conn, organization_id, into)?)
    })
}

/// Some of a person's participations become a new person's, pinned there. Returns the new person.
pub fn split(
    conn: &mut DbConnection,
    organization_id: &str,
    person_id: &str,
    chosen: &[String],
) -> Result<Person, PersonError> {
    write_transaction(conn, |conn| {
        let person = db::persons::find(conn, organization_id, person_id)?;
        let own = db::persons::participations_of_person(conn, &person.id)?;
        let chosen: HashSet<&str> = chosen.iter().map(String::as_str).collect();
        let moving: Vec<_> = own.iter().filter(|p| chosen.contains(p.id.as_str())).collect();
        if moving.is_empty() || moving.len() != chosen.len() || moving.len() == own.len() {
            return Err(PersonError::BadChoice);
        }
        let first = moving[0];
        let id = uuid::Uuid::now_v7().to_string();
        let numbers = db::persons::insert_persons(
            conn,
            organization_id,
            &[NewPerson {
                id: id.clone(),
                name: first.name.clone(),
                birth_date: person.birth_date.clone(),
                school: person.school.clone(),
                key: None,
            }],
        )?;
        let ids: Vec<String> = moving.iter().map(|p| p.id.clone()).collect();
        let number = numbers.first().copied().unwrap_or_default();
        db::persons::pin(conn, &ids, &id, number)?;
        Ok(db::persons::find(conn, organization_id, &id)?)
    })
}
