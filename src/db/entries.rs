use diesel::prelude::*;

use super::models::EntryRow;
use super::schema::entries::dsl as e;
use super::{DbConnection, DbError};
use crate::domain::entry::EntryCorrection;
use crate::domain::time::now_rfc3339;
use crate::domain::{Award, EntryDraft, StoredEntry};

fn to_domain(row: EntryRow) -> Result<StoredEntry, DbError> {
    let award = Award::from_code(&row.award)
        .ok_or_else(|| DbError::Corrupt(format!("entry {}: award {}", row.id, row.award)))?;
    let team_members = match row.team_members {
        Some(json) => serde_json::from_str(&json)
            .map_err(|_| DbError::Corrupt(format!("entry {}: team members", row.id)))?,
        None => Vec::new(),
    };
    let custom = match row.custom_fields {
        Some(json) => serde_json::from_str(&json)
            .map_err(|_| DbError::Corrupt(format!("entry {}: custom fields", row.id)))?,
        None => Default::default(),
    };
    Ok(StoredEntry {
        id: row.id,
        competition_id: row.competition_id,
        source_row: row.source_row,
        holder: row.holder_name,
        team_members,
        school: row.school,
        region: row.region,
        settlement_type: row.settlement_type,
        supervisor: row.supervisor,
        nomination: row.nomination,
        age_group: row.age_group,
        email: row.email,
        supervisor_email: row.supervisor_email,
        award,
        award_title: row.award_title,
        birth_date: row.birth_date,
        phone: row.phone,
        hours: row.hours.and_then(|h| u32::try_from(h).ok()),
        custom,
        attended: row.attended,
    })
}

/// A draft as the row that stores it.
fn to_row(id: String, competition_id: &str, created_at: &str, d: &EntryDraft) -> EntryRow {
    EntryRow {
        id,
        competition_id: competition_id.to_string(),
        source_row: i32::try_from(d.source_row).unwrap_or(i32::MAX),
        holder_name: d.holder.as_str().to_string(),
        team_members: (!d.team_members.is_empty())
            .then(|| serde_json::to_string(&d.team_members).unwrap_or_default()),
        school: d.school.clone(),
        region: d.region.clone(),
        settlement_type: d.settlement_type.map(|s| s.as_str().to_string()),
        supervisor: d.supervisor.clone(),
        nomination: d.nomination.clone(),
        age_group: d.age_group.clone(),
        email: d.email.clone(),
        award: d.award.code(),
        created_at: created_at.to_string(),
        supervisor_email: d.supervisor_email.clone(),
        hours: d.hours.and_then(|h| i32::try_from(h).ok()),
        custom_fields: (!d.custom.is_empty()).then(|| serde_json::to_string(&d.custom).unwrap_or_default()),
        award_title: d.award_title.clone(),
        birth_date: d.birth_date.clone(),
        phone: d.phone.clone(),
        attended: d.attended,
    }
}

/// Stores a whole file's entries; the caller holds the transaction that makes it all or nothing.
pub fn insert_all(
    conn: &mut DbConnection,
    competition_id: &str,
    drafts: &[EntryDraft],
) -> Result<usize, DbError> {
    let created_at = now_rfc3339();
    // A page of rows at a time: a 100,000-row file is not held twice, as drafts and as rows.
    for page in drafts.chunks(1000) {
        let rows: Vec<EntryRow> = page
            .iter()
            .map(|d| to_row(uuid::Uuid::now_v7().to_string(), competition_id, &created_at, d))
            .collect();
        crate::insert_rows!(conn, e::entries, &rows);
    }
    Ok(drafts.len())
}

/// Stores one entry (an accepted application) and gives its id.
pub fn insert_one(
    conn: &mut DbConnection,
    competition_id: &str,
    draft: &EntryDraft,
) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    let row = to_row(id.clone(), competition_id, &now_rfc3339(), draft);
    let rows = [row];
    crate::insert_rows!(conn, e::entries, &rows[..]);
    Ok(id)
}

/// Writes a row read again over the entry it is about: everything but its id, competition and
/// when it was first imported.
pub fn update_from(conn: &mut DbConnection, id: &str, draft: &EntryDraft) -> Result<(), DbError> {
    let row = to_row(id.to_string(), "", "", draft);
    diesel::update(e::entries.filter(e::id.eq(id)))
        .set((
            e::source_row.eq(row.source_row),
            e::holder_name.eq(row.holder_name),
            e::team_members.eq(row.team_members),
            e::school.eq(row.school),
            e::region.eq(row.region),
            e::settlement_type.eq(row.settlement_type),
            e::supervisor.eq(row.supervisor),
            e::nomination.eq(row.nomination),
            e::age_group.eq(row.age_group),
            e::email.eq(row.email),
            e::award.eq(row.award),
            e::supervisor_email.eq(row.supervisor_email),
            e::hours.eq(row.hours),
            e::custom_fields.eq(row.custom_fields),
            e::award_title.eq(row.award_title),
            e::birth_date.eq(row.birth_date),
            e::phone.eq(row.phone),
        ))
        .execute(conn)?;
    // A file without an "attended" column leaves the marks made in the pages.
    if let Some(attended) = draft.attended {
        set_attended(conn, id, attended)?;
    }
    Ok(())
}

/// Marks a seminar's or webinar's participant as attended or absent.
pub fn set_attended(conn: &mut DbConnection, id: &str, attended: bool) -> Result<(), DbError> {
    diesel::update(e::entries.filter(e::id.eq(id)))
        .set(e::attended.eq(Some(attended)))
        .execute(conn)?;
    Ok(())
}

/// Moves an unchanged entry to the row the file now has it on.
pub fn set_source_row(conn: &mut DbConnection, id: &str, source_row: usize) -> Result<(), DbError> {
    diesel::update(e::entries.filter(e::id.eq(id)))
        .set(e::source_row.eq(i32::try_from(source_row).unwrap_or(i32::MAX)))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConnection, ids: &[String]) -> Result<usize, DbError> {
    let mut deleted = 0;
    for page in ids.chunks(1000) {
        deleted += diesel::delete(e::entries.filter(e::id.eq_any(page))).execute(conn)?;
    }
    Ok(deleted)
}

pub fn list(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<StoredEntry>, DbError> {
    e::entries
        .filter(e::competition_id.eq(competition_id))
        .order((e::created_at.asc(), e::source_row.asc()))
        .select(EntryRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_domain)
        .collect()
}

pub fn count(conn: &mut DbConnection, competition_id: &str) -> Result<i64, DbError> {
    Ok(e::entries
        .filter(e::competition_id.eq(competition_id))
        .count()
        .get_result(conn)?)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<StoredEntry, DbError> {
    to_domain(
        e::entries
            .filter(e::id.eq(id))
            .select(EntryRow::as_select())
            .get_result(conn)?,
    )
}

/// The columns a correction changes; diesel leaves out the `None` ones.
#[derive(AsChangeset)]
#[diesel(table_name = super::schema::entries)]
struct EntryChanges {
    holder_name: Option<String>,
    school: Option<String>,
    region: Option<String>,
    supervisor: Option<String>,
    nomination: Option<String>,
    age_group: Option<String>,
    award: Option<String>,
    award_title: Option<Option<String>>,
}

/// Applies an organizer's correction to an entry before its paper is issued again.
pub fn apply_correction(
    conn: &mut DbConnection,
    id: &str,
    correction: &EntryCorrection,
) -> Result<(), DbError> {
    let changes = EntryChanges {
        holder_name: correction.holder.as_ref().map(|h| h.as_str().to_string()),
        school: correction.school.clone(),
        region: correction.region.clone(),
        supervisor: correction.supervisor.clone(),
        nomination: correction.nomination.clone(),
        age_group: correction.age_group.clone(),
        award: correction.award.map(Award::code),
        // A new award prints its category's title unless the correction gives words of its own.
        award_title: correction.award.map(|_| correction.award_title.clone()),
    };
    let nothing = [
        &changes.holder_name,
        &changes.school,
        &changes.region,
        &changes.supervisor,
        &changes.nomination,
        &changes.age_group,
        &changes.award,
    ]
    .iter()
    .all(|c| c.is_none());
    if !nothing {
        diesel::update(e::entries.filter(e::id.eq(id)))
            .set(&changes)
            .execute(conn)?;
    }
    Ok(())
}

/// Writes the awards a jury's ranking decided; the caller holds the transaction.
pub fn set_awards(conn: &mut DbConnection, awards: &[(String, Award)]) -> Result<(), DbError> {
    for (id, award) in awards {
        diesel::update(e::entries.filter(e::id.eq(id)))
            .set((e::award.eq(award.code()), e::award_title.eq(None::<String>)))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether any entry of the competition has no document yet (with `attended_only`, any that
/// attended).
pub fn any_without_document(
    conn: &mut DbConnection,
    competition_id: &str,
    attended_only: bool,
) -> Result<bool, DbError> {
    Ok(!without_documents_after(conn, competition_id, attended_only, None, 1)?.is_empty())
}

/// An entry's place in its competition's import order (the order papers are numbered in), to go on
/// from.
#[derive(Debug, Clone)]
pub struct ImportPlace {
    created_at: String,
    source_row: i32,
    id: String,
}

/// The next `limit` entries without a document after `after`, in import order, each with its place.
/// Read from the index `entries_import_order` from `after` on, so a batch of N entries is reserved
/// in N/limit pages without reading any entry twice. With `attended_only`, the entries marked
/// absent are left out: a seminar's or webinar's certificate is for those who came.
pub fn without_documents_after(
    conn: &mut DbConnection,
    competition_id: &str,
    attended_only: bool,
    after: Option<&ImportPlace>,
    limit: i64,
) -> Result<Vec<(ImportPlace, StoredEntry)>, DbError> {
    use super::schema::documents::dsl as d;
    use diesel::dsl::{exists, not, sql};
    use diesel::sql_types::{Bool, Integer, Text};
    let mut query = e::entries
        .filter(e::competition_id.eq(competition_id))
        .filter(not(exists(d::documents.filter(d::entry_id.eq(e::id.nullable())))))
        .order((e::created_at.asc(), e::source_row.asc(), e::id.asc()))
        .limit(limit)
        .select(EntryRow::as_select())
        .into_boxed();
    if attended_only {
        query = query.filter(e::attended.is_null().or(e::attended.eq(Some(true))));
    }
    if let Some(place) = after {
        // A row value: both backends seek the index to it (three ORs would be read from the start).
        query = query.filter(
            sql::<Bool>("(entries.created_at, entries.source_row, entries.id) > (")
                .bind::<Text, _>(place.created_at.clone())
                .sql(", ")
                .bind::<Integer, _>(place.source_row)
                .sql(", ")
                .bind::<Text, _>(place.id.clone())
                .sql(")"),
        );
    }
    query
        .load(conn)?
        .into_iter()
        .map(|row| {
            let place = ImportPlace {
                created_at: row.created_at.clone(),
                source_row: row.source_row,
                id: row.id.clone(),
            };
            Ok((place, to_domain(row)?))
        })
        .collect()
}

/// The teams of a competition (entries with members) that have a paper of their own, in import
/// order: their members' personal papers go with it.
pub fn teams_with_documents(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<Vec<StoredEntry>, DbError> {
    use super::schema::documents::dsl as d;
    use diesel::dsl::exists;
    e::entries
        .filter(e::competition_id.eq(competition_id))
        .filter(e::team_members.is_not_null())
        .filter(exists(d::documents.filter(d::entry_id.eq(e::id.nullable()))))
        .order((e::created_at.asc(), e::source_row.asc(), e::id.asc()))
        .select(EntryRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// A pupil as a letter of gratitude names them: the entry's name (a team's name for a team) and
/// where they come from, with the supervisor cell as written.
#[derive(Debug, Clone)]
pub struct Pupil {
    pub supervisor: String,
    pub holder: String,
    pub school: Option<String>,
    pub region: Option<String>,
}

/// Every entry of a competition that names a supervisor, in import order: the few columns a letter
/// needs, so a national batch's supervisors fit in memory.
pub fn pupils(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<Pupil>, DbError> {
    #[derive(Queryable)]
    struct PupilRow {
        supervisor: Option<String>,
        holder: String,
        school: Option<String>,
        region: Option<String>,
    }
    let rows: Vec<PupilRow> = e::entries
        .filter(e::competition_id.eq(competition_id))
        .filter(e::supervisor.is_not_null())
        .order((e::created_at.asc(), e::source_row.asc(), e::id.asc()))
        .select((e::supervisor, e::holder_name, e::school, e::region))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(Pupil {
                supervisor: row.supervisor?,
                holder: row.holder,
                school: row.school,
                region: row.region,
            })
        })
        .collect())
}

/// A page of a competition's entries after the entry `after` (by id), for checks that must not
/// hold a whole national batch in memory.
pub fn page_by_id(
    conn: &mut DbConnection,
    competition_id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<StoredEntry>, DbError> {
    let mut query = e::entries
        .filter(e::competition_id.eq(competition_id))
        .order(e::id.asc())
        .limit(limit)
        .select(EntryRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(e::id.gt(after.to_string()));
    }
    query.load(conn)?.into_iter().map(to_domain).collect()
}
