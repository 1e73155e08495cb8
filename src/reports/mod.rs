//! The organization's figures for a period, as its quarter, half-year and year reports need them:
//! events by kind and audience, participations and distinct persons (a child in three
//! competitions is one person and three participations; a team of 12 is one team and 12
//! participants), winners by award category, documents by kind, deliveries and scans, courses,
//! and breakdowns by region, city/village, direction, organization, language, level and age group,
//! with the previous period's totals beside. One service for the API and the pages.
//!
//! A competition belongs to the period its end date falls in (else its start date, else the day
//! it was created). A person is recognized by the normalized name with the birth date when the
//! row has one, else with the organization.

pub mod labels;
mod paragraph;
pub mod period;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

pub use paragraph::paragraph;
pub use period::Period;

use crate::db::reports::CountedEntry;
use crate::db::{self, DbConnection, DbError};
use crate::domain::award::AwardCategory;
use crate::domain::competition::CompetitionKind;
use crate::domain::entry::normalize_text;
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

/// Who a row is about, across rows and competitions.
pub fn person_key(name: &str, birth_date: Option<&str>, school: Option<&str>) -> String {
    let name = normalize_text(name).to_lowercase();
    match (birth_date, school) {
        (Some(born), _) => format!("{name}\u{1f}b{born}"),
        (None, Some(school)) => format!("{name}\u{1f}s{}", normalize_text(school).to_lowercase()),
        (None, None) => name,
    }
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
        Some(before) => {
            let inputs = Inputs::read(conn, &competitions, &departments, before)?;
            Some(PreviousTotals {
                from: crate::domain::time::format_date(before.from),
                to: crate::domain::time::format_date(before.to),
                totals: count(&inputs).totals,
            })
        }
        None => None,
    };
    let inputs = Inputs::read(conn, &competitions, &departments, period)?;
    let mut report = count(&inputs);
    report.from = crate::domain::time::format_date(period.from);
    report.to = crate::domain::time::format_date(period.to);
    report.previous = previous;
    Ok(report)
}

/// What one period's figures are counted from.
pub struct Inputs<'a> {
    pub competitions: Vec<&'a Competition>,
    /// Department id → name.
    pub departments: &'a HashMap<String, String>,
    pub entries: Vec<CountedEntry>,
    /// (competition, kind, status, count).
    pub documents: Vec<(String, String, String, i64)>,
    pub delivered: i64,
    pub scans: i64,
}

impl<'a> Inputs<'a> {
    fn read(
        conn: &mut DbConnection,
        all: &'a [Competition],
        departments: &'a HashMap<String, String>,
        period: Period,
    ) -> Result<Inputs<'a>, DbError> {
        let competitions: Vec<&Competition> = all
            .iter()
            .filter(|c| counted_on(c).is_some_and(|day| period.contains(day)))
            .collect();
        let ids: Vec<String> = competitions.iter().map(|c| c.id.clone()).collect();
        Ok(Inputs {
            entries: db::reports::entries_of(conn, &ids)?,
            documents: db::reports::document_counts(conn, &ids)?,
            delivered: db::reports::delivered(conn, &ids)?,
            scans: db::reports::scans(conn, &ids)?,
            competitions,
            departments,
        })
    }
}

/// One breakdown's rows being counted.
#[derive(Default)]
struct Tally {
    rows: HashMap<String, (Figures, HashSet<String>, HashSet<String>)>,
}

impl Tally {
    fn add(&mut self, key: &str, participants: &[String], winner: bool, competition: &str) {
        let (figures, persons, events) = self.rows.entry(key.to_string()).or_default();
        figures.participations += participants.len();
        figures.winners += usize::from(winner);
        persons.extend(participants.iter().cloned());
        events.insert(competition.to_string());
    }

    fn event(&mut self, key: &str, competition: &str) {
        self.rows
            .entry(key.to_string())
            .or_default()
            .2
            .insert(competition.to_string());
    }

    /// Largest first, then by name; at most `limit` rows.
    fn rows(self, limit: usize) -> Vec<Row> {
        let mut rows: Vec<Row> = self
            .rows
            .into_iter()
            .map(|(key, (mut figures, persons, events))| {
                figures.persons = persons.len();
                figures.events = events.len();
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

/// The figures, from what was read. Pure: the tests count the same rows their own way.
pub fn count(inputs: &Inputs) -> Report {
    let by_id: HashMap<&str, &Competition> =
        inputs.competitions.iter().map(|c| (c.id.as_str(), *c)).collect();
    let mut persons = HashSet::new();
    let mut totals = Totals {
        events: inputs.competitions.len(),
        ..Totals::default()
    };
    let mut awards: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut tallies: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let names = [
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
    for name in names {
        tallies.insert(name, Tally::default());
    }
    // Every event counts in its own breakdowns, with or without entries yet.
    for competition in &inputs.competitions {
        for (name, key) in competition_keys(competition, inputs.departments) {
            if let Some(tally) = tallies.get_mut(name) {
                tally.event(&key, &competition.id);
            }
        }
    }
    let mut course_listeners: HashMap<&str, usize> = HashMap::new();
    for entry in &inputs.entries {
        let Some(competition) = by_id.get(entry.competition_id.as_str()) else {
            continue;
        };
        let members: Vec<String> = entry
            .team_members
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default();
        let participants: Vec<String> = if members.is_empty() {
            vec![person_key(
                &entry.holder,
                entry.birth_date.as_deref(),
                entry.school.as_deref(),
            )]
        } else {
            totals.teams += 1;
            members
                .iter()
                .map(|m| person_key(m, None, entry.school.as_deref()))
                .collect()
        };
        let category = Award::from_code(&entry.award).map_or(AwardCategory::Participant, Award::category);
        let winner = is_winner(category);
        *awards.entry(category.code()).or_default() += 1;
        totals.participations += participants.len();
        totals.winners += usize::from(winner);
        if competition.details.kind == CompetitionKind::Course {
            *course_listeners.entry(competition.id.as_str()).or_default() += participants.len();
        }
        let mut keys = competition_keys(competition, inputs.departments);
        keys.push(("region", entry.region.clone().unwrap_or_default()));
        keys.push(("settlement", entry.settlement_type.clone().unwrap_or_default()));
        keys.push(("organization", entry.school.clone().unwrap_or_default()));
        keys.push(("age_group", entry.age_group.clone().unwrap_or_default()));
        for (name, key) in keys {
            if let Some(tally) = tallies.get_mut(name) {
                tally.add(&key, &participants, winner, &competition.id);
            }
        }
        persons.extend(participants);
    }
    totals.persons = persons.len();

    let mut documents = Documents {
        delivered: inputs.delivered,
        scans: inputs.scans,
        ..Documents::default()
    };
    let mut certificates_of: HashMap<&str, usize> = HashMap::new();
    let mut with_papers: HashSet<&str> = HashSet::new();
    for (competition, kind, status, n) in &inputs.documents {
        let n = usize::try_from(*n).unwrap_or(0);
        if status == "pending" {
            continue;
        }
        with_papers.insert(competition.as_str());
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
                *certificates_of.entry(competition.as_str()).or_default() += n;
            }
            _ => {}
        }
    }
    totals.documents = documents.issued;
    let courses = inputs
        .competitions
        .iter()
        .filter(|c| c.details.kind == CompetitionKind::Course)
        .map(|c| Course {
            title: c.details.title.clone(),
            hours: c.details.hours,
            listeners: course_listeners.get(c.id.as_str()).copied().unwrap_or(0),
            certificates: certificates_of.get(c.id.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let finished = inputs
        .competitions
        .iter()
        .filter(|c| with_papers.contains(c.id.as_str()))
        .count();
    Report {
        from: String::new(),
        to: String::new(),
        finished_events: finished,
        pending_events: inputs.competitions.len() - finished,
        totals,
        awards,
        documents,
        courses,
        breakdowns: tallies
            .into_iter()
            .map(|(name, tally)| (name, tally.rows(if name == "organization" { 20 } else { 100 })))
            .collect(),
        previous: None,
    }
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
