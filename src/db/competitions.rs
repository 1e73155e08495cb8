use diesel::prelude::*;

use super::models::CompetitionRow;
use super::schema::competitions::dsl as c;
use super::{DbConnection, DbError};
use crate::domain::competition::{Audience, CompetitionStatus, Direction, Level, Signer, Titles};
use crate::domain::time::{format_date, now_rfc3339, parse_date};
use crate::domain::{Competition, CompetitionKind, NewCompetition};
use crate::i18n::Lang;

fn to_domain(row: CompetitionRow) -> Result<Competition, DbError> {
    let corrupt = |what: &str| DbError::Corrupt(format!("competition {}: {what}", row.id));
    let details = NewCompetition {
        kind: CompetitionKind::parse(&row.kind).ok_or_else(|| corrupt("kind"))?,
        audience: row.audience.as_deref().and_then(Audience::parse),
        department: row.department_id.clone(),
        direction: row.direction.as_deref().and_then(Direction::parse),
        level: row.level.as_deref().and_then(Level::parse),
        starts_on: row.starts_on.as_deref().and_then(parse_date),
        ends_on: row.ends_on.as_deref().and_then(parse_date),
        language: Lang::parse(&row.language).ok_or_else(|| corrupt("language"))?,
        titles: Titles {
            kk: row.title_kk,
            ru: row.title_ru,
            en: row.title_en,
        },
        title: row.title,
        city: row.city,
        design: row.design,
        valid_until: row.valid_until.as_deref().and_then(parse_date),
        previous_stage: row.previous_stage_id,
        hours: row.hours.and_then(|h| u32::try_from(h).ok()),
        letters: row.letters,
        signer: Signer {
            name: row.signer_name,
            title: row.signer_title,
        },
    };
    Ok(Competition {
        status: CompetitionStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
        id: row.id,
        organization_id: row.organization_id,
        details,
        created_at: row.created_at,
        archived_at: row.archived_at,
    })
}

pub fn insert(
    conn: &mut DbConnection,
    organization_id: &str,
    new: NewCompetition,
) -> Result<Competition, DbError> {
    let row = CompetitionRow {
        id: uuid::Uuid::new_v4().to_string(),
        organization_id: organization_id.to_string(),
        title: new.title,
        title_kk: new.titles.kk,
        title_ru: new.titles.ru,
        title_en: new.titles.en,
        kind: new.kind.as_str().into(),
        direction: new.direction.map(|d| d.as_str().into()),
        level: new.level.map(|l| l.as_str().into()),
        starts_on: new.starts_on.map(format_date),
        ends_on: new.ends_on.map(format_date),
        city: new.city,
        language: new.language.code().into(),
        design: new.design,
        status: CompetitionStatus::Draft.as_str().into(),
        created_at: now_rfc3339(),
        valid_until: new.valid_until.map(format_date),
        previous_stage_id: new.previous_stage,
        hours: new.hours.and_then(|h| i32::try_from(h).ok()),
        letters: new.letters,
        signer_name: new.signer.name,
        signer_title: new.signer.title,
        audience: new.audience.map(|a| a.as_str().into()),
        department_id: new.department,
        archived_at: None,
    };
    diesel::insert_into(c::competitions).values(&row).execute(conn)?;
    to_domain(row)
}

/// A competition of this organization; another organization's is as absent as a missing one.
pub fn find_owned(conn: &mut DbConnection, organization_id: &str, id: &str) -> Result<Competition, DbError> {
    let row = c::competitions
        .filter(c::id.eq(id))
        .filter(c::organization_id.eq(organization_id))
        .select(CompetitionRow::as_select())
        .get_result(conn)?;
    to_domain(row)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Competition, DbError> {
    let row = c::competitions
        .filter(c::id.eq(id))
        .select(CompetitionRow::as_select())
        .get_result(conn)?;
    to_domain(row)
}

/// The organization's active competitions, newest first (archived ones are in [`list_archived`]).
pub fn list(conn: &mut DbConnection, organization_id: &str) -> Result<Vec<Competition>, DbError> {
    c::competitions
        .filter(c::organization_id.eq(organization_id))
        .filter(c::archived_at.is_null())
        .order(c::created_at.desc())
        .select(CompetitionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The organization's archived competitions, the last archived first.
pub fn list_archived(conn: &mut DbConnection, organization_id: &str) -> Result<Vec<Competition>, DbError> {
    c::competitions
        .filter(c::organization_id.eq(organization_id))
        .filter(c::archived_at.is_not_null())
        .order(c::archived_at.desc())
        .select(CompetitionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// Archives a competition (`Some(time)`) or brings it back (`None`).
pub fn set_archived(conn: &mut DbConnection, id: &str, at: Option<String>) -> Result<(), DbError> {
    diesel::update(c::competitions.filter(c::id.eq(id)))
        .set(c::archived_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Deletes a competition with everything that hangs on it (entries, jury, jobs, mail: the foreign
/// keys cascade); a later stage that named it as its previous one forgets it. The caller checked
/// that no paper was issued.
pub fn delete(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    diesel::update(c::competitions.filter(c::previous_stage_id.eq(id)))
        .set(c::previous_stage_id.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(c::competitions.filter(c::id.eq(id))).execute(conn)?;
    Ok(())
}

/// Turns a competition's letters of gratitude on or off for the next issue runs.
pub fn set_letters(conn: &mut DbConnection, id: &str, letters: bool) -> Result<(), DbError> {
    diesel::update(c::competitions.filter(c::id.eq(id)))
        .set(c::letters.eq(letters))
        .execute(conn)?;
    Ok(())
}

pub fn set_status(conn: &mut DbConnection, id: &str, status: CompetitionStatus) -> Result<(), DbError> {
    diesel::update(c::competitions.filter(c::id.eq(id)))
        .set(c::status.eq(status.as_str()))
        .execute(conn)?;
    Ok(())
}

/// The design the competition's papers get from now on; papers issued before keep theirs.
pub fn set_design(conn: &mut DbConnection, id: &str, design: &str) -> Result<(), DbError> {
    diesel::update(c::competitions.filter(c::id.eq(id)))
        .set(c::design.eq(design))
        .execute(conn)?;
    Ok(())
}

/// Writes what the organizer changed: everything but the previous stage, which advancing fixed.
/// Papers issued before keep what they say; the next issued say this.
pub fn update_details(conn: &mut DbConnection, id: &str, details: &NewCompetition) -> Result<(), DbError> {
    diesel::update(c::competitions.filter(c::id.eq(id)))
        .set((
            c::title.eq(&details.title),
            c::title_kk.eq(&details.titles.kk),
            c::title_ru.eq(&details.titles.ru),
            c::title_en.eq(&details.titles.en),
            c::kind.eq(details.kind.as_str()),
            c::audience.eq(details.audience.map(Audience::as_str)),
            c::department_id.eq(&details.department),
            c::direction.eq(details.direction.map(Direction::as_str)),
            c::level.eq(details.level.map(Level::as_str)),
            c::starts_on.eq(details.starts_on.map(format_date)),
            c::ends_on.eq(details.ends_on.map(format_date)),
            c::city.eq(&details.city),
            c::language.eq(details.language.code()),
            c::design.eq(&details.design),
            c::valid_until.eq(details.valid_until.map(format_date)),
            c::hours.eq(details.hours.and_then(|h| i32::try_from(h).ok())),
            c::letters.eq(details.letters),
            c::signer_name.eq(&details.signer.name),
            c::signer_title.eq(&details.signer.title),
        ))
        .execute(conn)?;
    Ok(())
}
