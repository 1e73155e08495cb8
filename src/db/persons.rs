//! Persons, their automatic keys and their participations (one person in one entry; a team entry
//! has one per member). The `persons` service decides; this file only reads and writes rows.

use std::collections::HashMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::competitions::dsl as c;
use super::schema::documents::dsl as d;
use super::schema::entries::dsl as e;
use super::schema::participations::dsl as pa;
use super::schema::person_keys::dsl as k;
use super::schema::persons::dsl as p;
use super::{DbConnection, DbError};
use crate::domain::time::now_rfc3339;

/// Bound-parameter lists are asked for a page at a time.
const PAGE: usize = 500;

/// A person as the list shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub birth_date: Option<String>,
    pub school: Option<String>,
    /// participations counted for this person
    pub participations: i64,
}

/// A new person with the key that found them (none for one split off by hand).
pub struct NewPerson {
    pub id: String,
    pub name: String,
    pub birth_date: Option<String>,
    pub school: Option<String>,
    pub key: Option<String>,
}

/// What a participation carries for the report's one narrow scan: copies of its person's number
/// and of its entry's key numbers (`report_keys`, 0 for an empty value), kept in line by the
/// `persons` service whenever the person or the entry changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = super::schema::participations)]
pub struct Counted {
    pub person_number: i32,
    /// The entry is a team's.
    pub team: bool,
    pub award_key: i32,
    pub region_key: i32,
    pub settlement_key: i32,
    pub school_key: i32,
    pub age_group_key: i32,
}

/// A stored participation, as the assignment compares it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = super::schema::participations)]
pub struct StoredParticipation {
    pub id: String,
    pub entry_id: String,
    pub position: i32,
    pub person_id: String,
    pub name: String,
    pub pinned: bool,
    #[diesel(embed)]
    pub counted: Counted,
}

/// A participation to store.
pub struct NewParticipation {
    pub entry_id: String,
    pub position: i32,
    pub person_id: String,
    pub name: String,
    pub counted: Counted,
}

/// What an entry says about who took part and what the report counts them by, for working out
/// its participations.
#[derive(Debug, Clone, Queryable)]
pub struct EntryPeople {
    pub id: String,
    pub holder: String,
    pub team_members: Option<String>,
    pub school: Option<String>,
    pub birth_date: Option<String>,
    pub region: Option<String>,
    pub settlement_type: Option<String>,
    pub age_group: Option<String>,
    pub award: String,
}

pub fn entry_people(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<EntryPeople>, DbError> {
    Ok(e::entries
        .filter(e::competition_id.eq(competition_id))
        .select((
            e::id,
            e::holder_name,
            e::team_members,
            e::school,
            e::birth_date,
            e::region,
            e::settlement_type,
            e::age_group,
            e::award,
        ))
        .load(conn)?)
}

/// Competitions with an entry that has no participation yet (entries stored before persons were).
pub fn competitions_not_assigned(conn: &mut DbConnection) -> Result<Vec<(String, String)>, DbError> {
    use diesel::dsl::{exists, not};
    Ok(e::entries
        .inner_join(c::competitions)
        .filter(not(exists(pa::participations.filter(pa::entry_id.eq(e::id)))))
        .select((c::organization_id, c::id))
        .distinct()
        .load(conn)?)
}

pub fn participations_of_competition(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<Vec<StoredParticipation>, DbError> {
    Ok(pa::participations
        .filter(pa::competition_id.eq(competition_id))
        .select(StoredParticipation::as_select())
        .load(conn)?)
}

/// Key → (person, the person's number) for the keys the organization knows.
pub fn persons_by_key(
    conn: &mut DbConnection,
    organization_id: &str,
    keys: &[String],
) -> Result<HashMap<String, (String, i32)>, DbError> {
    let mut out = HashMap::new();
    for page in keys.chunks(PAGE) {
        out.extend(
            k::person_keys
                .inner_join(p::persons)
                .filter(k::organization_id.eq(organization_id))
                .filter(k::key.eq_any(page))
                .select((k::key, p::id, p::number))
                .load::<(String, String, i32)>(conn)?
                .into_iter()
                .map(|(key, id, number)| (key, (id, number))),
        );
    }
    Ok(out)
}

/// Stores new persons, numbered on from the organization's highest number (the caller holds the
/// write transaction); gives their numbers in the same order.
pub fn insert_persons(
    conn: &mut DbConnection,
    organization_id: &str,
    persons: &[NewPerson],
) -> Result<Vec<i32>, DbError> {
    if persons.is_empty() {
        return Ok(Vec::new());
    }
    super::organizations::lock_for_numbering(conn, organization_id)?;
    let created_at = now_rfc3339();
    let highest: Option<i32> = p::persons
        .filter(p::organization_id.eq(organization_id))
        .select(diesel::dsl::max(p::number))
        .get_result(conn)?;
    let first = highest.unwrap_or(0).saturating_add(1);
    let numbers: Vec<i32> = (first..).take(persons.len()).collect();
    for (page, numbers) in persons.chunks(PAGE).zip(numbers.chunks(PAGE)) {
        let rows: Vec<_> = page
            .iter()
            .zip(numbers)
            .map(|(n, number)| {
                (
                    p::id.eq(&n.id),
                    p::organization_id.eq(organization_id),
                    p::name.eq(&n.name),
                    p::search_name.eq(n.name.to_lowercase()),
                    p::birth_date.eq(&n.birth_date),
                    p::school.eq(&n.school),
                    p::created_at.eq(&created_at),
                    p::number.eq(*number),
                )
            })
            .collect();
        crate::insert_rows!(conn, p::persons, &rows);
        let keys: Vec<_> = page
            .iter()
            .filter_map(|n| {
                n.key.as_ref().map(|key| {
                    (
                        k::organization_id.eq(organization_id),
                        k::key.eq(key),
                        k::person_id.eq(&n.id),
                    )
                })
            })
            .collect();
        crate::insert_rows!(conn, k::person_keys, &keys);
    }
    Ok(numbers)
}

pub fn insert_participations(
    conn: &mut DbConnection,
    competition_id: &str,
    rows: &[NewParticipation],
) -> Result<(), DbError> {
    for page in rows.chunks(PAGE) {
        let values: Vec<_> = page
            .iter()
            .map(|n| {
                (
                    pa::id.eq(uuid::Uuid::now_v7().to_string()),
                    pa::entry_id.eq(&n.entry_id),
                    pa::position.eq(n.position),
                    pa::competition_id.eq(competition_id),
                    pa::person_id.eq(&n.person_id),
                    pa::name.eq(&n.name),
                    pa::pinned.eq(false),
                    pa::person_number.eq(n.counted.person_number),
                    pa::team.eq(n.counted.team),
                    pa::award_key.eq(n.counted.award_key),
                    pa::region_key.eq(n.counted.region_key),
                    pa::settlement_key.eq(n.counted.settlement_key),
                    pa::school_key.eq(n.counted.school_key),
                    pa::age_group_key.eq(n.counted.age_group_key),
                )
            })
            .collect();
        crate::insert_rows!(conn, pa::participations, &values);
    }
    Ok(())
}

/// Points a participation at a person and names and counts it as its row now does.
pub fn set_participation(
    conn: &mut DbConnection,
    id: &str,
    person_id: &str,
    name: &str,
    counted: &Counted,
) -> Result<(), DbError> {
    diesel::update(pa::participations.filter(pa::id.eq(id)))
        .set((
            pa::person_id.eq(person_id),
            pa::name.eq(name),
            pa::person_number.eq(counted.person_number),
            pa::team.eq(counted.team),
            pa::award_key.eq(counted.award_key),
            pa::region_key.eq(counted.region_key),
            pa::settlement_key.eq(counted.settlement_key),
            pa::school_key.eq(counted.school_key),
            pa::age_group_key.eq(counted.age_group_key),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete_participations(conn: &mut DbConnection, ids: &[String]) -> Result<(), DbError> {
    for page in ids.chunks(PAGE) {
        diesel::delete(pa::participations.filter(pa::id.eq_any(page))).execute(conn)?;
    }
    Ok(())
}

/// The organization's persons with participations whose name holds `search` (lower case),
/// by name, at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    organization_id: &str,
    search: &str,
    limit: i64,
) -> Result<Vec<Person>, DbError> {
    let pattern = format!(
        "%{}%",
        search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    // The page's persons first, walking the index on (organization, name) and stopping at `limit`;
    // then only their participations are counted (grouping all persons first read every one).
    use diesel::dsl::exists;
    let persons = p::persons
        .filter(p::organization_id.eq(organization_id))
        .filter(p::search_name.like(pattern).escape('\\'))
        .filter(exists(pa::participations.filter(pa::person_id.eq(p::id))))
        .select((p::id, p::name, p::birth_date, p::school))
        .order((p::search_name.asc(), p::id.asc()))
        .limit(limit)
        .load::<(String, String, Option<String>, Option<String>)>(conn)?;
    let ids: Vec<&String> = persons.iter().map(|(id, ..)| id).collect();
    let counts: std::collections::HashMap<String, i64> = pa::participations
        .filter(pa::person_id.eq_any(ids))
        .group_by(pa::person_id)
        .select((pa::person_id, count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(persons
        .into_iter()
        .map(|(id, name, birth_date, school)| Person {
            participations: counts.get(&id).copied().unwrap_or(0),
            id,
            name,
            birth_date,
            school,
        })
        .collect())
}

/// The organization's person; `NotFound` for another organization's.
pub fn find(conn: &mut DbConnection, organization_id: &str, id: &str) -> Result<Person, DbError> {
    let (id, name, birth_date, school) = p::persons
        .filter(p::organization_id.eq(organization_id))
        .filter(p::id.eq(id))
        .select((p::id, p::name, p::birth_date, p::school))
        .get_result::<(String, String, Option<String>, Option<String>)>(conn)?;
    let participations = pa::participations
        .filter(pa::person_id.eq(&id))
        .count()
        .get_result(conn)?;
    Ok(Person {
        id,
        name,
        birth_date,
        school,
        participations,
    })
}

/// One line of a person's history: a participation with its competition and entry.
#[derive(Debug, Clone, Queryable)]
pub struct HistoryRow {
    pub participation_id: String,
    pub name: String,
    pub pinned: bool,
    pub entry_id: String,
    pub competition_id: String,
    pub competition_title: String,
    pub kind: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub created_at: String,
    pub team: Option<String>,
    pub holder: String,
    pub school: Option<String>,
    pub region: Option<String>,
    pub award: String,
    pub award_title: Option<String>,
}

pub fn history(conn: &mut DbConnection, person_id: &str) -> Result<Vec<HistoryRow>, DbError> {
    Ok(pa::participations
        .inner_join(e::entries)
        .inner_join(c::competitions)
        .filter(pa::person_id.eq(person_id))
        .select((
            pa::id,
            pa::name,
            pa::pinned,
            e::id,
            c::id,
            c::title,
            c::kind,
            c::starts_on,
            c::ends_on,
            c::created_at,
            e::team_members,
            e::holder_name,
            e::school,
            e::region,
            e::award,
            e::award_title,
        ))
        .order((c::created_at.desc(), pa::id.asc()))
        .load(conn)?)
}

/// (entry, kind, serial, code, status) of a paper.
pub type PaperRow = (String, String, String, String, String);

/// The papers issued for these entries.
pub fn papers_of_entries(conn: &mut DbConnection, entries: &[String]) -> Result<Vec<PaperRow>, DbError> {
    let mut out = Vec::new();
    for page in entries.chunks(PAGE) {
        out.extend(
            d::documents
                .filter(d::entry_id.eq_any(page))
                .filter(d::status.ne("pending"))
                .select((
                    d::entry_id.assume_not_null(),
                    d::kind,
                    d::serial,
                    d::code,
                    d::status,
                ))
                .order(d::serial.asc())
                .load::<PaperRow>(conn)?,
        );
    }
    Ok(out)
}

/// Which of these participations are the person's.
pub fn participations_of_person(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<StoredParticipation>, DbError> {
    Ok(pa::participations
        .filter(pa::person_id.eq(person_id))
        .select(StoredParticipation::as_select())
        .load(conn)?)
}

/// Everything of `other` becomes `into`'s: participations (counted by `into`'s number) and keys;
/// `other` goes.
pub fn merge(conn: &mut DbConnection, into: &str, other: &str) -> Result<(), DbError> {
    let number: i32 = p::persons
        .filter(p::id.eq(into))
        .select(p::number)
        .get_result(conn)?;
    diesel::update(pa::participations.filter(pa::person_id.eq(other)))
        .set((pa::person_id.eq(into), pa::person_number.eq(number)))
        .execute(conn)?;
    diesel::update(k::person_keys.filter(k::person_id.eq(other)))
        .set(k::person_id.eq(into))
        .execute(conn)?;
    diesel::delete(p::persons.filter(p::id.eq(other))).execute(conn)?;
    Ok(())
}

/// Pins the participations to the person (numbered `number`): re-imports leave them with that
/// person.
pub fn pin(
    conn: &mut DbConnection,
    participations: &[String],
    person_id: &str,
    number: i32,
) -> Result<(), DbError> {
    for page in participations.chunks(PAGE) {
        diesel::update(pa::participations.filter(pa::id.eq_any(page)))
            .set((
                pa::person_id.eq(person_id),
                pa::pinned.eq(true),
                pa::person_number.eq(number),
            ))
            .execute(conn)?;
    }
    Ok(())
}
