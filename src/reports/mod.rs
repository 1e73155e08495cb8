//! The organization's figures for a period, as its quarter, half-year and year reports need them:
//! events by kind and audience, participations and distinct persons (a child in three
//! competitions is one person and three participations; a team of 12 is one team and 12
//! participants), winners by award category, documents by kind, deliveries and scans, courses,
//! and breakdowns by region, city/village, direction, organization, language, level and age group,
//! with the previous period's totals beside. One service for the API and the pages.
//!
//! A competition belongs to the period its end date falls in (else its start date, else the day
//! it was created). Persons are the stored ones (`crate::persons`): the automatic key unless the
//! organizer merged or split them.

pub mod labels;
mod paragraph;
pub mod period;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

pub use paragraph::paragraph;
pub use period::Period;

use crate::db::{self, DbConnection, DbError};
use crate::domain::award::AwardCategory;
use crate::domain::competition::CompetitionKind;
use crate::domain::time::parse_date;
use crate::domain::{Award, Competition};

/// What a breakdown row counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub events: usize,
    pub participations: usize,
    pub persons: usize,
    pub winners: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The value counted by (a region, "city", "technical", …); empty when rows did not say.
    pub key: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Documents {
    /// Rendered papers (valid, revoked or superseded); every one carries a signed QR code.
    pub issued: usize,
    pub diplomas: usize,
    pub certificates: usize,
    pub letters: usize,
    pub course_certificates: usize,
    pub revoked: usize,
    pub delivered: i64,
    pub scans: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Course {
    pub title: String,
    pub hours: Option<u32>,
    pub listeners: usize,
    pub certificates: usize,
}

/// The figures the previous period is compared by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub events: usize,
    pub participations: usize,
    pub persons: usize,
    pub teams: usize,
    pub winners: usize,
    pub documents: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    pub totals: Totals,
    pub finished_events: usize,
    pub pending_events: usize,
    /// Entries by award category (grand_prix, winner, prize_winner, laureate, …).
    pub awards: BTreeMap<&'static str, usize>,
    pub documents: Documents,
    pub courses: Vec<Course>,
    /// kind, audience, region, settlement, direction, organization, language, level, age_group.
    pub breakdowns: BTreeMap<&'static str, Vec<Row>>,
    pub previous: Option<PreviousTotals>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PreviousTotals {
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub totals: Totals,
}

/// Winners as reports count them: Grand Prix, winners and prize-winners (places and degrees count
/// by their category: the first a winner, the second and third prize-winners).
pub fn is_winner(category: AwardCategory) -> bool {
    matches!(
        category,
        AwardCategory::GrandPrix | AwardCategory::Winner | AwardCategory::PrizeWinner
    )
}

/// The day a competition is counted on.
fn counted_on(competition: &Competition) -> Option<time::Date> {
    let d = &competition.details;
    d.ends_on
        .or(d.starts_on)
        .or_else(|| parse_date(competition.created_at.get(..10)?))
}

/// The organization's report for a period, with the previous period's totals; of one department
/// when `department` names one.
pub fn report(
    conn: &mut DbConnection,
    organization_id: &str,
    period: Period,
    department: Option<&str>,
) -> Result<Report, DbError> {
    let departments: HashMap<String, String> = db::departments::list(conn, organization_id)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let competitions: Vec<Competition> = db::competitions::list(conn, organization_id)?
        .into_iter()
        .filter(|c| department.is_none_or(|wanted| c.details.department.as_deref() == Some(wanted)))
        .collect();
    let previous = match period.previous() {
        Some(before) => Some(PreviousTotals {
            from: crate::domain::time::format_date(before.from),
            to: crate::domain::time::format_date(before.to),
            totals: count(conn, &competitions, &departments, before, false)?.totals,
        }),
        None => None,
    };
    let mut report = count(conn, &competitions, &departments, period, true)?;
    report.from = crate::domain::time::format_date(period.from);
    report.to = crate::domain::time::format_date(period.to);
    report.previous = previous;
    Ok(report)
}

/// A hasher for small integer keys: persons and competitions are counted by their index.
#[derive(Default, Clone, Copy)]
struct IndexHasher(u64);

impl std::hash::Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type IndexSet = HashSet<u32, std::hash::BuildHasherDefault<IndexHasher>>;

/// One breakdown row being counted: persons and events as indexes, counted once.
#[derive(Default)]
struct Group {
    figures: Figures,
    persons: IndexSet,
    events: IndexSet,
}

/// One breakdown's rows being counted.
#[derive(Default)]
struct Tally {
    rows: HashMap<String, Group>,
}

impl Tally {
    fn group(&mut self, key: &str) -> &mut Group {
        if !self.rows.contains_key(key) {
            self.rows.insert(key.to_string(), Group::default());
        }
        self.rows.get_mut(key).expect("inserted above")
    }

    /// Largest first, then by name; at most `limit` rows.
    fn rows(self, limit: usize) -> Vec<Row> {
        let mut rows: Vec<Row> = self
            .rows
            .into_iter()
            .map(|(key, group)| {
                let mut figures = group.figures;
                figures.persons = group.persons.len();
                figures.events = group.events.len();
                Row { key, figures }
            })
            .collect();
        rows.sort_by(|a, b| {
            (b.figures.participations, b.figures.events)
                .cmp(&(a.figures.participations, a.figures.events))
                .then_with(|| a.key.cmp(&b.key))
        });
        rows.truncate(limit);
        rows
    }
}

/// Counts a participation in a group: the person once, the entry's win once.
fn add(group: &mut Group, person: u32, first: bool, winner: bool, event: u32) {
    group.figures.participations += 1;
    group.figures.winners += usize::from(first && winner);
    group.persons.insert(person);
    group.events.insert(event);
}

/// The breakdowns a report has, in the order they are kept.
const BREAKDOWNS: [&str; 10] = [
    "department",
    "kind",
    "audience",
    "direction",
    "language",
    "level",
    "region",
    "settlement",
    "organization",
    "age_group",
];

/// The period's figures: its competitions' participations are streamed once and counted as they
/// come, persons by their stored id; documents, deliveries and scans by grouped queries. Without
/// `breakdowns`, only the totals (the previous period's).
fn count(
    conn: &mut DbConnection,
    all: &[Competition],
    departments: &HashMap<String, String>,
    period: Period,
    breakdowns: bool,
) -> Result<Report, DbError> {
    let competitions: Vec<&Competition> = all
        .iter()
        .filter(|c| counted_on(c).is_some_and(|day| period.contains(day)))
        .collect();
    let ids: Vec<String> = competitions.iter().map(|c| c.id.clone()).collect();
    let mut persons: HashMap<String, u32> = HashMap::new();
    let mut totals = Totals {
        events: competitions.len(),
        ..Totals::default()
    };
    let mut awards: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut tallies: BTreeMap<&'static str, Tally> =
        BREAKDOWNS.iter().map(|name| (*name, Tally::default())).collect();
    let mut course_listeners: HashMap<&str, usize> = HashMap::new();
    let mut categories: HashMap<String, AwardCategory> = HashMap::new();
    for (event, competition) in (0u32..).zip(&competitions) {
        // Every event counts in its own breakdowns, with or without entries yet.
        let keys = competition_keys(competition, departments);
        if breakdowns {
            for (name, key) in &keys {
                if let Some(tally) = tallies.get_mut(name) {
                    tally.group(key).events.insert(event);
                }
            }
        }
        let mut listeners = 0;
        db::reports::each_participation(conn, &competition.id, |row| {
            let next = u32::try_from(persons.len()).unwrap_or(u32::MAX);
            let person = match persons.get(&row.person_id) {
                Some(index) => *index,
                None => {
                    persons.insert(row.person_id.clone(), next);
                    next
                }
            };
            let first = row.position == 0;
            // An award's code is read once per report, not once per row.
            let category = match categories.get(row.award.as_str()) {
                Some(category) => *category,
                None => {
                    let category =
                        Award::from_code(&row.award).map_or(AwardCategory::Participant, Award::category);
                    categories.insert(row.award.clone(), category);
                    category
                }
            };
            let winner = is_winner(category);
            totals.participations += 1;
            listeners += 1;
            if first {
                *awards.entry(category.code()).or_default() += 1;
                totals.winners += usize::from(winner);
                totals.teams += usize::from(row.team);
            }
            if !breakdowns {
                return;
            }
            for (name, key) in &keys {
                if let Some(tally) = tallies.get_mut(name) {
                    add(tally.group(key), person, first, winner, event);
                }
            }
            let own = [
                ("region", row.region.as_deref()),
                ("settlement", row.settlement_type.as_deref()),
                ("organization", row.school.as_deref()),
                ("age_group", row.age_group.as_deref()),
            ];
            for (name, key) in own {
                if let Some(tally) = tallies.get_mut(name) {
                    add(tally.group(key.unwrap_or_default()), person, first, winner, event);
                }
            }
        })?;
        if competition.details.kind == CompetitionKind::Course {
            course_listeners.insert(competition.id.as_str(), listeners);
        }
    }
    totals.persons = persons.len();

    let mut documents = Documents {
        delivered: db::reports::delivered(conn, &ids)?,
        scans: db::reports::scans(conn, &ids)?,
        ..Documents::default()
    };
    let mut certificates_of: HashMap<String, usize> = HashMap::new();
    let mut with_papers: HashSet<String> = HashSet::new();
    for (competition, kind, status, n) in db::reports::document_counts(conn, &ids)? {
        let n = usize::try_from(n).unwrap_or(0);
        if status == "pending" {
            continue;
        }
        with_papers.insert(competition.clone());
        documents.issued += n;
        if status == "revoked" {
            documents.revoked += n;
        }
        match kind.as_str() {
            "diploma" => documents.diplomas += n,
            "certificate" => documents.certificates += n,
            "letter" => documents.letters += n,
            "course" => {
                documents.course_certificates += n;
                *certificates_of.entry(competition).or_default() += n;
            }
            _ => {}
        }
    }
    totals.documents = documents.issued;
    let courses = competitions
        .iter()
        .filter(|c| c.details.kind == CompetitionKind::Course)
        .map(|c| Course {
            title: c.details.title.clone(),
            hours: c.details.hours,
            listeners: course_listeners.get(c.id.as_str()).copied().unwrap_or(0),
            certificates: certificates_of.get(c.id.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let finished = competitions
        .iter()
        .filter(|c| with_papers.contains(c.id.as_str()))
        .count();
    Ok(Report {
        from: String::new(),
        to: String::new(),
        finished_events: finished,
        pending_events: competitions.len() - finished,
        totals,
        awards,
        documents,
        courses,
        breakdowns: if breakdowns {
            tallies
                .into_iter()
                .map(|(name, tally)| (name, tally.rows(if name == "organization" { 20 } else { 100 })))
                .collect()
        } else {
            BTreeMap::new()
        },
        previous: None,
    })
}

/// The competition's own keys for the breakdowns it is counted in.
fn competition_keys(
    competition: &Competition,
    departments: &HashMap<String, String>,
) -> Vec<(&'static str, String)> {
    let d = &competition.details;
    let department = d.department.as_ref().and_then(|id| departments.get(id)).cloned();
    vec![
        ("department", department.unwrap_or_default()),
        ("kind", d.kind.as_str().to_string()),
        (
            "audience",
            d.audience.map(|a| a.as_str().to_string()).unwrap_or_default(),
        ),
        (
            "direction",
            d.direction.map(|x| x.as_str().to_string()).unwrap_or_default(),
        ),
        ("language", d.language.code().to_string()),
        (
            "level",
            d.level.map(|l| l.as_str().to_string()).unwrap_or_default(),
        ),
    ]
}
