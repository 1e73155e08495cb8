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
//!
//! Why it is shaped so: a half-year of a large organization is half a million participations
//! (and the previous half-year beside it). Loading them joined with their entries and grouping
//! by strings took 14 s; now each participation carries numbers written when it was stored (its
//! person's, dense within the organization, and its entry's keys, see [`keys`]), read from one
//! covering index a competition at a time, and counted by index and as bits ([`tally`]).

pub mod keys;
pub mod labels;
mod paragraph;
pub mod period;
mod tally;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

pub use keys::counted_of_entries;
pub use paragraph::paragraph;
pub use period::Period;

use crate::db::{self, Db, DbConnection, DbError};
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
///
/// The two periods are counted at once on two connections when the pool has one free (each
/// period is a database scan and a count on its own core; on a 2-core server a million
/// participations take 0.6 s instead of 1 s), else one after the other on the one held.
pub fn report(
    db: &Db,
    organization_id: &str,
    period: Period,
    department: Option<&str>,
) -> Result<Report, DbError> {
    let mut conn = db.conn()?;
    let departments: HashMap<String, String> = db::departments::list(&mut conn, organization_id)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let competitions: Vec<Competition> = db::competitions::list(&mut conn, organization_id)?
        .into_iter()
        .filter(|c| department.is_none_or(|wanted| c.details.department.as_deref() == Some(wanted)))
        .collect();
    let numbers = Numbers::read(&mut conn, organization_id)?;
    let counted = |conn: &mut DbConnection, period: Period, breakdowns: bool| {
        count(conn, &competitions, &departments, &numbers, period, breakdowns)
    };
    let before = period.previous();
    let (report, previous) = std::thread::scope(|scope| {
        let beside = before
            .zip(db.try_conn())
            .map(|(before, mut spare)| scope.spawn(move || counted(&mut spare, before, false)));
        let report = counted(&mut conn, period, true);
        let previous = match (before, beside) {
            (_, Some(counting)) => Some(counting.join().map_err(|_| DbError::TaskAborted)??),
            (Some(before), None) => Some(counted(&mut conn, before, false)?),
            (None, None) => None,
        };
        Ok::<_, DbError>((report?, previous))
    })?;
    Ok(Report {
        from: crate::domain::time::format_date(period.from),
        to: crate::domain::time::format_date(period.to),
        previous: before.zip(previous).map(|(before, previous)| PreviousTotals {
            from: crate::domain::time::format_date(before.from),
            to: crate::domain::time::format_date(before.to),
            totals: previous.totals,
        }),
        ..report
    })
}

/// The breakdowns a report has, in the order they are kept: the competition's own first, then
/// those an entry says (numbered in `report_keys`, in the order of [`keys::KEYED`]).
const BREAKDOWNS: [&str; 10] = [
    "department",
    "kind",
    "audience",
    "direction",
    "language",
    "level",
    keys::REGION,
    keys::SETTLEMENT,
    keys::ORGANIZATION,
    keys::AGE_GROUP,
];

/// How many of [`BREAKDOWNS`] a competition decides.
const OWN: usize = 6;

/// What a report's numbers stand for, read once for both periods.
struct Numbers {
    names: Names,
    /// How many person numbers the organization has handed out (plus one).
    universe: usize,
}

impl Numbers {
    fn read(conn: &mut DbConnection, organization_id: &str) -> Result<Numbers, DbError> {
        let highest = db::reports::highest_person_number(conn, organization_id)?;
        Ok(Numbers {
            names: Names::read(conn, organization_id)?,
            universe: usize::try_from(highest).unwrap_or(0) + 1,
        })
    }
}

/// What a report's key numbers stand for.
struct Names {
    /// Per keyed breakdown (as [`BREAKDOWNS`] after [`OWN`]): number → value ("" for 0).
    keyed: [Vec<String>; 4],
    /// Award number → (its category's place in `AwardCategory::ALL`, whether it is a win).
    awards: Vec<(usize, bool)>,
}

impl Names {
    fn read(conn: &mut DbConnection, organization_id: &str) -> Result<Names, DbError> {
        let mut keyed: [Vec<String>; 4] = Default::default();
        let mut award_codes: Vec<String> = Vec::new();
        for (breakdown, value, number) in db::reports::keys(conn, organization_id)? {
            let Ok(at) = usize::try_from(number) else {
                continue;
            };
            let list = match BREAKDOWNS[OWN..].iter().position(|b| *b == breakdown) {
                Some(index) => &mut keyed[index],
                None if breakdown == keys::AWARD => &mut award_codes,
                None => continue,
            };
            if list.len() <= at {
                list.resize(at + 1, String::new());
            }
            list[at] = value;
        }
        let category_at = |category: AwardCategory| {
            AwardCategory::ALL
                .iter()
                .position(|c| *c == category)
                .unwrap_or(0)
        };
        let awards = award_codes
            .iter()
            .map(|code| {
                let category = Award::from_code(code).map_or(AwardCategory::Participant, Award::category);
                (category_at(category), is_winner(category))
            })
            .collect();
        Ok(Names { keyed, awards })
    }

    /// An award number's category and whether it wins (unknown numbers: a participant's).
    #[inline]
    fn award(&self, number: i32) -> (usize, bool) {
        usize::try_from(number)
            .ok()
            .and_then(|at| self.awards.get(at).copied())
            .unwrap_or_else(|| {
                let participant = AwardCategory::ALL
                    .iter()
                    .position(|c| *c == AwardCategory::Participant)
                    .unwrap_or(0);
                (participant, false)
            })
    }
}

/// The period's figures: its competitions' participations are streamed once as numbers and
/// counted as they come (persons as bits over their numbers, rows found by index); documents,
/// deliveries and scans by grouped queries. Without `breakdowns`, only the totals (the previous
/// period's).
fn count(
    conn: &mut DbConnection,
    all: &[Competition],
    departments: &HashMap<String, String>,
    numbers: &Numbers,
    period: Period,
    breakdowns: bool,
) -> Result<Report, DbError> {
    let competitions: Vec<&Competition> = all
        .iter()
        .filter(|c| counted_on(c).is_some_and(|day| period.contains(day)))
        .collect();
    let ids: Vec<String> = competitions.iter().map(|c| c.id.clone()).collect();
    let (names, universe) = (&numbers.names, numbers.universe);
    let mut persons = tally::Bits::with_capacity(universe);
    let mut totals = Totals {
        events: competitions.len(),
        ..Totals::default()
    };
    let mut by_category = [0usize; AwardCategory::ALL.len()];
    let mut tallies: [tally::Tally; BREAKDOWNS.len()] = Default::default();
    let mut course_listeners: HashMap<&str, usize> = HashMap::new();
    for (event, competition) in (0u32..).zip(&competitions) {
        // Every event counts in its own breakdowns, with or without entries yet.
        let mut own = [0usize; OWN];
        if breakdowns {
            for (at, key) in competition_keys(competition, departments).iter().enumerate() {
                own[at] = tallies[at].group(key);
                tallies[at].event(own[at], event);
            }
        }
        let mut listeners = 0;
        db::reports::each_participation(conn, &competition.id, |row| {
            let person = u32::try_from(row.person).unwrap_or(0);
            persons.set(person);
            let first = row.position == 0;
            let (category, winner) = names.award(row.award);
            let winner = first && winner;
            totals.participations += 1;
            listeners += 1;
            if first {
                by_category[category] += 1;
                totals.winners += usize::from(winner);
                totals.teams += usize::from(row.team);
            }
            if !breakdowns {
                return;
            }
            for (at, group) in own.iter().enumerate() {
                tallies[at].add(*group, person, winner, event, universe);
            }
            let keyed = [row.region, row.settlement, row.school, row.age_group];
            for (at, number) in keyed.into_iter().enumerate() {
                let tally = &mut tallies[OWN + at];
                let group = tally.numbered(number, &names.keyed[at]);
                tally.add(group, person, winner, event, universe);
            }
        })?;
        if competition.details.kind == CompetitionKind::Course {
            course_listeners.insert(competition.id.as_str(), listeners);
        }
    }
    let awards: BTreeMap<&'static str, usize> = AwardCategory::ALL
        .iter()
        .zip(by_category)
        .filter(|(_, n)| *n > 0)
        .map(|(category, n)| (category.code(), n))
        .collect();
    totals.persons = persons.count();

    // The previous period is compared by its totals only: no deliveries nor scans.
    let mut documents = if breakdowns {
        Documents {
            delivered: db::reports::delivered(conn, &ids)?,
            scans: db::reports::scans(conn, &ids)?,
            ..Documents::default()
        }
    } else {
        Documents::default()
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
            BREAKDOWNS
                .into_iter()
                .zip(tallies)
                .map(|(name, tally)| (name, tally.rows(if name == "organization" { 20 } else { 100 })))
                .collect()
        } else {
            BTreeMap::new()
        },
        previous: None,
    })
}

/// The competition's own keys for the breakdowns it is counted in, as [`BREAKDOWNS`] orders them.
fn competition_keys<'a>(
    competition: &'a Competition,
    departments: &'a HashMap<String, String>,
) -> [&'a str; OWN] {
    let d = &competition.details;
    [
        d.department
            .as_ref()
            .and_then(|id| departments.get(id))
            .map_or("", String::as_str),
        d.kind.as_str(),
        d.audience.map_or("", |a| a.as_str()),
        d.direction.map_or("", |x| x.as_str()),
        d.language.code(),
        d.level.map_or("", |l| l.as_str()),
    ]
}
