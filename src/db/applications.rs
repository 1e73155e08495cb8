//! Calls (a competition's announcement and application form), the applications sent through them,
//! their work files and the hashed private links of the applicants' cabinets.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::schema::application_files::dsl as f;
use super::schema::application_links::dsl as l;
use super::schema::applications::dsl as a;
use super::schema::calls::dsl as c;
use super::schema::competitions::dsl as comp;
use super::{DbConnection, DbError};
use crate::domain::application::{
    format_moment, parse_moment, ApplicationForm, ApplicationState, Call, FileKind, FormField,
};
use crate::domain::time::now_rfc3339;

type CallRow = (
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    i32,
    i32,
    i32,
    String,
    Option<String>,
    bool,
);

fn json_list<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<Vec<T>, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt(format!("{what}: {e}")))
}

fn to_call(row: CallRow) -> Result<Call, DbError> {
    let (
        published,
        summary,
        contacts,
        opens_at,
        deadline,
        nominations,
        age_groups,
        fields,
        team_max,
        files_max,
        file_mb,
        file_kinds,
        rules,
        results_published,
    ) = row;
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    Ok(Call {
        published,
        summary,
        contacts,
        opens_at: opens_at.as_deref().and_then(parse_moment),
        deadline: deadline.as_deref().and_then(parse_moment),
        nominations: json_list(&nominations, "a call's nominations")?,
        age_groups: json_list(&age_groups, "a call's age groups")?,
        fields: json_list::<FormField>(&fields, "a call's fields")?,
        team_max: count(team_max),
        files_max: count(files_max),
        file_mb: count(file_mb),
        file_kinds: json_list::<FileKind>(&file_kinds, "a call's file kinds")?,
        has_rules: rules.is_some(),
        results_published,
    })
}

macro_rules! call_columns {
    () => {
        (
            c::published,
            c::summary,
            c::contacts,
            c::opens_at,
            c::deadline,
            c::nominations,
            c::age_groups,
            c::fields,
            c::team_max,
            c::files_max,
            c::file_mb,
            c::file_kinds,
            c::rules_sha256,
            c::results_published,
        )
    };
}

/// A competition's call, or none when the organizer never set one.
pub fn call(conn: &mut DbConnection, competition_id: &str) -> Result<Option<Call>, DbError> {
    c::calls
        .filter(c::competition_id.eq(competition_id))
        .select(call_columns!())
        .get_result::<CallRow>(conn)
        .optional()?
        .map(to_call)
        .transpose()
}

fn text_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// Stores a competition's call as the organizer set it; its rules document stays.
pub fn save_call(
    conn: &mut DbConnection,
    competition_id: &str,
    organization_id: &str,
    call: &Call,
) -> Result<(), DbError> {
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let values = (
        c::published.eq(call.published),
        c::summary.eq(&call.summary),
        c::contacts.eq(&call.contacts),
        c::opens_at.eq(call.opens_at.map(format_moment)),
        c::deadline.eq(call.deadline.map(format_moment)),
        c::nominations.eq(text_of(&call.nominations)),
        c::age_groups.eq(text_of(&call.age_groups)),
        c::fields.eq(text_of(&call.fields)),
        c::team_max.eq(n(call.team_max)),
        c::files_max.eq(n(call.files_max)),
        c::file_mb.eq(n(call.file_mb)),
        c::file_kinds.eq(text_of(&call.file_kinds)),
        c::results_published.eq(call.results_published),
        c::updated_at.eq(now_rfc3339()),
    );
    let updated = diesel::update(c::calls.filter(c::competition_id.eq(competition_id)))
        .set(values.clone())
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(c::calls)
            .values((
                c::competition_id.eq(competition_id),
                c::organization_id.eq(organization_id),
                values,
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The rules document's SHA-256 (its bytes are kept by the works store), or none.
pub fn rules(conn: &mut DbConnection, competition_id: &str) -> Result<Option<String>, DbError> {
    Ok(c::calls
        .filter(c::competition_id.eq(competition_id))
        .select(c::rules_sha256)
        .get_result::<Option<String>>(conn)
        .optional()?
        .flatten())
}

pub fn set_rules(
    conn: &mut DbConnection,
    competition_id: &str,
    sha256: Option<&str>,
) -> Result<usize, DbError> {
    Ok(
        diesel::update(c::calls.filter(c::competition_id.eq(competition_id)))
            .set((c::rules_sha256.eq(sha256), c::updated_at.eq(now_rfc3339())))
            .execute(conn)?,
    )
}

/// The published calls of an organization with their competitions' ids, the newest competition
/// first; archived competitions are left out.
pub fn published(conn: &mut DbConnection, organization_id: &str) -> Result<Vec<(String, Call)>, DbError> {
    let rows = c::calls
        .inner_join(comp::competitions.on(comp::id.eq(c::competition_id)))
        .filter(c::organization_id.eq(organization_id))
        .filter(c::published.eq(true))
        .filter(comp::archived_at.is_null())
        .order(comp::created_at.desc())
        .select((c::competition_id, call_columns!()))
        .load::<(String, CallRow)>(conn)?;
    rows.into_iter()
        .map(|(id, row)| Ok((id, to_call(row)?)))
        .collect()
}

/// An application as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredApplication {
    pub id: String,
    pub competition_id: String,
    pub number: i32,
    pub state: ApplicationState,
    pub remark: Option<String>,
    pub holder: String,
    pub team_members: Vec<String>,
    pub school: Option<String>,
    pub region: Option<String>,
    pub settlement_type: Option<String>,
    pub age_group: Option<String>,
    pub nomination: Option<String>,
    pub supervisor: Option<String>,
    pub supervisor_email: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub minor: bool,
    pub guardian_name: Option<String>,
    pub consent_at: Option<String>,
    pub consent_text: Option<String>,
    pub answers: BTreeMap<String, String>,
    pub language: String,
    pub email_confirmed_at: Option<String>,
    pub entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Queryable)]
struct ApplicationRow {
    id: String,
    competition_id: String,
    number: i32,
    state: String,
    remark: Option<String>,
    holder_name: String,
    team_members: Option<String>,
    school: Option<String>,
    region: Option<String>,
    settlement_type: Option<String>,
    age_group: Option<String>,
    nomination: Option<String>,
    supervisor: Option<String>,
    supervisor_email: Option<String>,
    email: String,
    phone: Option<String>,
    minor: bool,
    guardian_name: Option<String>,
    consent_at: Option<String>,
    consent_text: Option<String>,
    answers: String,
    language: String,
    email_confirmed_at: Option<String>,
    entry_id: Option<String>,
    created_at: String,
    updated_at: String,
}

impl ApplicationRow {
    fn into_stored(self) -> Result<StoredApplication, DbError> {
        let state = ApplicationState::parse(&self.state)
            .ok_or_else(|| DbError::Corrupt(format!("state of application {}", self.id)))?;
        Ok(StoredApplication {
            state,
            team_members: self
                .team_members
                .as_deref()
                .map(|t| json_list(t, "team members"))
                .transpose()?
                .unwrap_or_default(),
            answers: serde_json::from_str(&self.answers)
                .map_err(|e| DbError::Corrupt(format!("answers of application {}: {e}", self.id)))?,
            id: self.id,
            competition_id: self.competition_id,
            number: self.number,
            remark: self.remark,
            holder: self.holder_name,
            school: self.school,
            region: self.region,
            settlement_type: self.settlement_type,
            age_group: self.age_group,
            nomination: self.nomination,
            supervisor: self.supervisor,
            supervisor_email: self.supervisor_email,
            email: self.email,
            phone: self.phone,
            minor: self.minor,
            guardian_name: self.guardian_name,
            consent_at: self.consent_at,
            consent_text: self.consent_text,
            language: self.language,
            email_confirmed_at: self.email_confirmed_at,
            entry_id: self.entry_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The form's fields as columns, for a new application and a corrected one alike.
macro_rules! form_values {
    ($form:expr) => {
        (
            a::holder_name.eq($form.holder.as_str().to_string()),
            a::team_members.eq((!$form.team_members.is_empty()).then(|| text_of(&$form.team_members))),
            a::school.eq($form.school.clone()),
            a::region.eq($form.region.clone()),
            a::settlement_type.eq($form.settlement_type.map(|s| s.as_str().to_string())),
            a::age_group.eq($form.age_group.clone()),
            a::nomination.eq($form.nomination.clone()),
            a::supervisor.eq($form.supervisor.clone()),
            a::supervisor_email.eq($form.supervisor_email.as_ref().map(|e| e.as_str().to_string())),
            a::email.eq($form.email.as_str().to_string()),
            a::phone.eq($form.phone.clone()),
            a::minor.eq($form.minor),
            a::guardian_name.eq($form.guardian_name.clone()),
            a::answers.eq(serde_json::to_string(&$form.answers).unwrap_or_else(|_| "{}".into())),
        )
    };
}

/// Stores a new application with the next number of its competition; the caller holds the write
/// transaction that makes the number unique (on PostgreSQL with the call's row locked: two
/// applications sent in the same instant would otherwise both take the same number).
pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    competition_id: &str,
    form: &ApplicationForm,
    consent_text: &str,
    language: &str,
) -> Result<i32, DbError> {
    if let DbConnection::Postgres(pg) = conn {
        c::calls
            .filter(c::competition_id.eq(competition_id))
            .select(c::competition_id)
            .for_update()
            .load::<String>(pg)?;
    }
    let number = a::applications
        .filter(a::competition_id.eq(competition_id))
        .select(diesel::dsl::max(a::number))
        .get_result::<Option<i32>>(conn)?
        .unwrap_or(0)
        + 1;
    let now = now_rfc3339();
    diesel::insert_into(a::applications)
        .values((
            a::id.eq(id),
            a::competition_id.eq(competition_id),
            a::number.eq(number),
            a::state.eq(ApplicationState::Received.as_str()),
            form_values!(form),
            a::consent_at.eq(Some(&now)),
            a::consent_text.eq(Some(consent_text)),
            a::language.eq(language),
            a::created_at.eq(&now),
            a::updated_at.eq(&now),
        ))
        .execute(conn)?;
    Ok(number)
}

/// The applicant's correction: what the form says now; a returned application is received again.
pub fn correct(
    conn: &mut DbConnection,
    id: &str,
    form: &ApplicationForm,
    consent_text: &str,
) -> Result<(), DbError> {
    let now = now_rfc3339();
    diesel::update(a::applications.filter(a::id.eq(id)))
        .set((
            form_values!(form),
            a::state.eq(ApplicationState::Received.as_str()),
            a::consent_at.eq(Some(&now)),
            a::consent_text.eq(Some(consent_text)),
            a::updated_at.eq(&now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_state(
    conn: &mut DbConnection,
    id: &str,
    state: ApplicationState,
    remark: Option<&str>,
    entry_id: Option<&str>,
) -> Result<(), DbError> {
    diesel::update(a::applications.filter(a::id.eq(id)))
        .set((
            a::state.eq(state.as_str()),
            a::remark.eq(remark),
            a::entry_id.eq(entry_id),
            a::updated_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn confirm_email(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    diesel::update(
        a::applications
            .filter(a::id.eq(id))
            .filter(a::email_confirmed_at.is_null()),
    )
    .set(a::email_confirmed_at.eq(Some(now_rfc3339())))
    .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<StoredApplication, DbError> {
    a::applications
        .filter(a::id.eq(id))
        .get_result::<ApplicationRow>(conn)?
        .into_stored()
}

/// The application an entry was made from, if it was made from one.
pub fn of_entry(conn: &mut DbConnection, entry_id: &str) -> Result<Option<StoredApplication>, DbError> {
    a::applications
        .filter(a::entry_id.eq(entry_id))
        .get_result::<ApplicationRow>(conn)
        .optional()?
        .map(ApplicationRow::into_stored)
        .transpose()
}

/// Deletes a competition's applications with their files' rows, links and mail; the hashes of the
/// files they had, for the store to drop the bytes nothing else holds.
pub fn delete_of_competition(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<(usize, Vec<String>), DbError> {
    let hashes = files_of_competition(conn, competition_id)?
        .into_iter()
        .map(|f| f.sha256)
        .collect();
    let deleted =
        diesel::delete(a::applications.filter(a::competition_id.eq(competition_id))).execute(conn)?;
    Ok((deleted, hashes))
}

/// A competition's applications in the order they came.
pub fn list(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<StoredApplication>, DbError> {
    a::applications
        .filter(a::competition_id.eq(competition_id))
        .order(a::number.asc())
        .load::<ApplicationRow>(conn)?
        .into_iter()
        .map(ApplicationRow::into_stored)
        .collect()
}

/// The applications of one e-mail address in a competition, for a link asked again.
pub fn of_email(conn: &mut DbConnection, competition_id: &str, email: &str) -> Result<Vec<String>, DbError> {
    Ok(a::applications
        .filter(a::competition_id.eq(competition_id))
        .filter(a::email.eq(email))
        .select(a::id)
        .load(conn)?)
}

/// A stored work file's description.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkFile {
    pub id: String,
    pub application_id: String,
    pub field: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

pub fn insert_file(conn: &mut DbConnection, file: &WorkFile) -> Result<(), DbError> {
    diesel::insert_into(f::application_files)
        .values((
            f::id.eq(&file.id),
            f::application_id.eq(&file.application_id),
            f::field.eq(&file.field),
            f::name.eq(&file.name),
            f::media_type.eq(&file.media_type),
            f::size.eq(file.size),
            f::sha256.eq(&file.sha256),
            f::created_at.eq(&file.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes an application's files of the given fields (replaced by a correction); their hashes,
/// for the store to drop the bytes nothing else holds.
pub fn remove_files(
    conn: &mut DbConnection,
    application_id: &str,
    fields: &[String],
) -> Result<Vec<String>, DbError> {
    let target = || {
        f::application_files
            .filter(f::application_id.eq(application_id))
            .filter(f::field.eq_any(fields))
    };
    let hashes = target().select(f::sha256).load::<String>(conn)?;
    diesel::delete(target()).execute(conn)?;
    Ok(hashes)
}

/// Whether any stored work still has these bytes.
pub fn file_in_use(conn: &mut DbConnection, sha256: &str) -> Result<bool, DbError> {
    let works = f::application_files
        .filter(f::sha256.eq(sha256))
        .count()
        .get_result::<i64>(conn)?;
    let rules = c::calls
        .filter(c::rules_sha256.eq(sha256))
        .count()
        .get_result::<i64>(conn)?;
    Ok(works + rules > 0)
}

type FileRow = (String, String, String, String, String, i64, String, String);

fn to_file(row: FileRow) -> WorkFile {
    let (id, application_id, field, name, media_type, size, sha256, created_at) = row;
    WorkFile {
        id,
        application_id,
        field,
        name,
        media_type,
        size,
        sha256,
        created_at,
    }
}

macro_rules! file_columns {
    () => {
        (
            f::id,
            f::application_id,
            f::field,
            f::name,
            f::media_type,
            f::size,
            f::sha256,
            f::created_at,
        )
    };
}

pub fn files(conn: &mut DbConnection, application_id: &str) -> Result<Vec<WorkFile>, DbError> {
    Ok(f::application_files
        .filter(f::application_id.eq(application_id))
        .order((f::field.asc(), f::created_at.asc(), f::id.asc()))
        .select(file_columns!())
        .load::<FileRow>(conn)?
        .into_iter()
        .map(to_file)
        .collect())
}

/// The files of a competition's applications, by application id.
pub fn files_of_competition(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<WorkFile>, DbError> {
    Ok(f::application_files
        .inner_join(a::applications)
        .filter(a::competition_id.eq(competition_id))
        .order((f::application_id.asc(), f::field.asc(), f::id.asc()))
        .select(file_columns!())
        .load::<FileRow>(conn)?
        .into_iter()
        .map(to_file)
        .collect())
}

pub fn file(conn: &mut DbConnection, id: &str) -> Result<WorkFile, DbError> {
    Ok(to_file(
        f::application_files
            .filter(f::id.eq(id))
            .select(file_columns!())
            .get_result::<FileRow>(conn)?,
    ))
}

/// Keeps a new private link's hash.
pub fn insert_link(conn: &mut DbConnection, token_hash: &str, application_id: &str) -> Result<(), DbError> {
    diesel::insert_into(l::application_links)
        .values((
            l::token_hash.eq(token_hash),
            l::application_id.eq(application_id),
            l::created_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The application a private link opens.
pub fn by_link(conn: &mut DbConnection, token_hash: &str) -> Result<Option<String>, DbError> {
    Ok(l::application_links
        .filter(l::token_hash.eq(token_hash))
        .select(l::application_id)
        .get_result::<String>(conn)
        .optional()?)
}

/// The competition's id and its organization's, for an application.
pub fn owner(conn: &mut DbConnection, application_id: &str) -> Result<(String, String), DbError> {
    Ok(a::applications
        .inner_join(comp::competitions.on(comp::id.eq(a::competition_id)))
        .filter(a::id.eq(application_id))
        .select((comp::id, comp::organization_id))
        .get_result::<(String, String)>(conn)?)
}
