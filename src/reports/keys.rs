//! What a participation is counted by, written when it is stored rather than worked out when a
//! report is asked for: a report of a million participations must not join their entries nor
//! read and hash four strings per row. An entry's region, city/village, organization, age group
//! and award become numbers per organization and breakdown (`report_keys`; an empty value is 0),
//! and each participation carries them with its person's number (`db::persons::Counted`).
//! `persons::assign` calls this whenever it brings participations in line with their entries.

use std::collections::HashMap;

use crate::db::persons::{Counted, EntryPeople};
use crate::db::{self, DbConnection, DbError};

/// The breakdowns an entry's own values are counted by, as `report_keys` names them.
pub const REGION: &str = "region";
pub const SETTLEMENT: &str = "settlement";
pub const ORGANIZATION: &str = "organization";
pub const AGE_GROUP: &str = "age_group";
/// The award's code as the entry has it (`place_1`, …); its category is worked out per report.
pub const AWARD: &str = "award";

/// An entry's value for each keyed breakdown, in the order of [`KEYED`].
fn values(entry: &EntryPeople) -> [&str; 5] {
    [
        entry.region.as_deref().unwrap_or_default(),
        entry.settlement_type.as_deref().unwrap_or_default(),
        entry.school.as_deref().unwrap_or_default(),
        entry.age_group.as_deref().unwrap_or_default(),
        entry.award.as_str(),
    ]
}

/// The keyed breakdowns, in the order [`values`] gives them.
pub const KEYED: [&str; 5] = [REGION, SETTLEMENT, ORGANIZATION, AGE_GROUP, AWARD];

/// Entry id → what its participations are counted by (without the person's number), numbering
/// values the organization has not had before. The caller holds the write transaction.
pub fn counted_of_entries<'a>(
    conn: &mut DbConnection,
    organization_id: &str,
    entries: &'a [EntryPeople],
) -> Result<HashMap<&'a str, Counted>, DbError> {
    let mut numbers: Vec<HashMap<String, i32>> = Vec::with_capacity(KEYED.len());
    for (at, breakdown) in KEYED.iter().enumerate() {
        let mut wanted: Vec<&str> = entries
            .iter()
            .map(|e| values(e)[at])
            .filter(|v| !v.is_empty())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        numbers.push(db::reports::key_numbers(
            conn,
            organization_id,
            breakdown,
            &wanted,
        )?);
    }
    let number = |at: usize, value: &str| numbers[at].get(value).copied().unwrap_or(0);
    Ok(entries
        .iter()
        .map(|e| {
            let [region, settlement, school, age_group, award] = values(e);
            let counted = Counted {
                person_number: 0,
                team: e.team_members.is_some(),
                region_key: number(0, region),
                settlement_key: number(1, settlement),
                school_key: number(2, school),
                age_group_key: number(3, age_group),
                award_key: number(4, award),
            };
            (e.id.as_str(), counted)
        })
        .collect())
}
