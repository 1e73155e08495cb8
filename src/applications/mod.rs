//! The public side of a competition, from announcement to diploma: the organizer's call (the
//! announcement and its application form), applications sent through it by parents, pupils and
//! teachers without an account, the applicant's cabinet behind a private link, moderation, and
//! accepted applications becoming the competition's entries (no retyping).
//!
//! One function per use-case, shared by the public pages, the organizer's pages and the API, so
//! a rule (the deadline, the consent of a minor's guardian, what the files may be, who may open a
//! work) holds in one place.

pub mod results;
pub mod works;

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::db::application_mail::ApplicationMailKind;
use crate::db::applications::{StoredApplication, WorkFile};
use crate::db::{self, write_transaction, DbConnection, DbError};
use crate::domain::account::Secret;
use crate::domain::application::{
    ApplicationForm, ApplicationState, Call, Decision, FieldKind, FieldProblem, FormField, Problem,
    Submitted, MAX_FIELDS, MAX_FILES, MAX_FILE_MB, MAX_TEAM,
};
use crate::domain::entry::SettlementType;
use crate::domain::{Award, Competition, CompetitionId, Document, EntryDraft, OrgId, Organization};
use crate::i18n::{consent_wording, CallProblem, Lang, PortalMessage};
use works::{ReceivedWork, WorkStore};

#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("not found")]
    NotFound,
    /// Refused as a whole, with the reason in the user's words.
    #[error("refused: {0:?}")]
    Refused(PortalMessage),
    /// The form's fields that are not acceptable, each with its problem.
    #[error("the form has problems")]
    Form(Vec<FieldProblem>),
    /// The jury's protocol is signed: no entry may join.
    #[error("the jury protocol is signed")]
    SignedOff,
    #[error("the works store failed")]
    Store(#[source] std::io::Error),
}

impl From<diesel::result::Error> for ApplicationError {
    fn from(e: diesel::result::Error) -> Self {
        ApplicationError::Db(DbError::Query(e))
    }
}

fn not_found_as(e: DbError) -> ApplicationError {
    if e.is_not_found() {
        ApplicationError::NotFound
    } else {
        ApplicationError::Db(e)
    }
}

/// An organizer's competition's call; a competition that has none gets the defaults.
pub fn call_of(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
) -> Result<Call, ApplicationError> {
    db::competitions::find_owned(conn, organization_id, competition_id).map_err(not_found_as)?;
    Ok(db::applications::call(conn, competition_id)?.unwrap_or_default())
}

fn setting(problem: CallProblem) -> ApplicationError {
    ApplicationError::Refused(PortalMessage::Setting(problem))
}

/// Checks and stores an organizer's call. The fields keep their keys; a new field gets the next
/// unused one, so answers already given stay under the field they answered.
pub fn save_call(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    mut call: Call,
) -> Result<Call, ApplicationError> {
    write_transaction(conn, |conn| {
        db::competitions::find_owned(conn, organization_id, competition_id).map_err(not_found_as)?;
        let before = db::applications::call(conn, competition_id)?.unwrap_or_default();
        if call.file_mb == 0 || call.file_mb > MAX_FILE_MB {
            return Err(setting(CallProblem::FileSize));
        }
        if call.files_max > MAX_FILES {
            return Err(setting(CallProblem::FileCount));
        }
        if call.team_max > MAX_TEAM {
            return Err(setting(CallProblem::TeamSize));
        }
        if call.file_kinds.is_empty() && call.files_max > 0 {
            return Err(setting(CallProblem::NoFileKinds));
        }
        if call.fields.len() > MAX_FIELDS {
            return Err(setting(CallProblem::TooManyFields));
        }
        if let (Some(opens), Some(deadline)) = (call.opens_at, call.deadline) {
            if opens >= deadline {
                return Err(setting(CallProblem::DeadlineBeforeOpening));
            }
        }
        call.nominations = clean_list(&call.nominations);
        call.age_groups = clean_list(&call.age_groups);
        call.fields = keyed_fields(&before.fields, call.fields)?;
        call.has_rules = before.has_rules;
        db::applications::save_call(conn, competition_id, organization_id, &call)?;
        Ok(call)
    })
}

fn clean_list(items: &[String]) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for item in items {
        let item = crate::domain::entry::normalize_text(item);
        if !item.is_empty() && !kept.contains(&item) {
            kept.push(item);
        }
    }
    kept
}

/// Gives new fields keys never used before (`f1`, `f2`, …) and checks each field.
fn keyed_fields(before: &[FormField], fields: Vec<FormField>) -> Result<Vec<FormField>, ApplicationError> {
    let known: Vec<&str> = before.iter().map(|f| f.key.as_str()).collect();
    let mut next = before
        .iter()
        .chain(fields.iter())
        .filter_map(|f| f.key.strip_prefix('f')?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    let mut kept = Vec::new();
    for mut field in fields {
        field.label = crate::domain::entry::normalize_text(&field.label);
        if field.label.is_empty() {
            continue;
        }
        if field.label.chars().count() > 200 {
            return Err(setting(CallProblem::LabelTooLong));
        }
        field.options = clean_list(&field.options);
        if field.kind == FieldKind::Choice && field.options.is_empty() {
            return Err(setting(CallProblem::ChoiceWithoutOptions));
        }
        if field.kind != FieldKind::Choice {
            field.options.clear();
        }
        if !known.contains(&field.key.as_str()) {
            next += 1;
            field.key = format!("f{next}");
        }
        kept.push(field);
    }
    Ok(kept)
}

/// The rules document (положение): a PDF, kept in the works store.
pub fn set_rules(
    conn: &mut DbConnection,
    store: &WorkStore,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    pdf: Option<&[u8]>,
) -> Result<(), ApplicationError> {
    let call = call_of(conn, organization_id, competition_id)?;
    let sha256 = match pdf {
        Some(bytes) => {
            if works::media_type_of(bytes) != Some("application/pdf") {
                return Err(ApplicationError::Refused(PortalMessage::RulesNotPdf));
            }
            Some(store.keep_bytes(bytes).map_err(ApplicationError::Store)?)
        }
        None => None,
    };
    if db::applications::set_rules(conn, competition_id, sha256.as_deref())? == 0 {
        db::applications::save_call(conn, competition_id, organization_id, &call)?;
        db::applications::set_rules(conn, competition_id, sha256.as_deref())?;
    }
    Ok(())
}

/// A published call with its competition and organization: what the public pages show. An
/// unpublished or archived one is not found.
pub struct PublicCall {
    pub competition: Competition,
    pub organization: Organization,
    pub call: Call,
}

pub fn public_call(conn: &mut DbConnection, competition_id: &str) -> Result<PublicCall, ApplicationError> {
    let competition = db::competitions::find(conn, competition_id).map_err(not_found_as)?;
    let call = db::applications::call(conn, competition_id)?
        .filter(|c| c.published && competition.archived_at.is_none())
        .ok_or(ApplicationError::NotFound)?;
    let organization = db::organizations::find(conn, &competition.organization_id)?;
    Ok(PublicCall {
        competition,
        organization,
        call,
    })
}

/// An organization's public page: its published competitions.
pub fn public_listing(
    conn: &mut DbConnection,
    slug: &crate::domain::OrgSlug,
) -> Result<(Organization, Vec<(Competition, Call)>), ApplicationError> {
    let organization = db::organizations::find_by_slug(conn, slug)?.ok_or(ApplicationError::NotFound)?;
    let calls = db::applications::published(conn, &organization.id)?;
    let mut listed = Vec::with_capacity(calls.len());
    for (id, call) in calls {
        listed.push((db::competitions::find(conn, &id)?, call));
    }
    Ok((organization, listed))
}

/// The rules document's bytes' hash, for a public call.
pub fn public_rules(conn: &mut DbConnection, competition_id: &str) -> Result<String, ApplicationError> {
    public_call(conn, competition_id)?;
    db::applications::rules(conn, competition_id)?.ok_or(ApplicationError::NotFound)
}

/// What a new application got: its number, shown to the applicant.
#[derive(Debug, Clone)]
pub struct Sent {
    pub id: String,
    pub number: i32,
}

/// Checks the files sent against the call: each in a field that takes files, no more than the
/// call allows, and every required file field given one (counting the files kept from before).
fn check_works(call: &Call, works: &[ReceivedWork], kept: &[WorkFile]) -> Result<(), ApplicationError> {
    let total = works.len() + kept.len();
    if total > call.files_max as usize {
        return Err(ApplicationError::Refused(PortalMessage::TooManyFiles(
            call.files_max,
        )));
    }
    let mut problems = Vec::new();
    for field in call.file_fields() {
        let given = works.iter().any(|w| w.field == field.key) || kept.iter().any(|w| w.field == field.key);
        if field.required && !given {
            problems.push(FieldProblem {
                field: field.key.clone(),
                problem: Problem::Required,
            });
        }
    }
    if !problems.is_empty() {
        return Err(ApplicationError::Form(problems));
    }
    Ok(())
}

fn consent_of(organization: &Organization, lang: Lang, form: &ApplicationForm) -> String {
    consent_wording(lang, &organization.name(lang), form.minor)
}

/// Stores works received with an application, in the transaction that stores it.
fn keep_works(
    conn: &mut DbConnection,
    store: &WorkStore,
    application_id: &str,
    works: Vec<ReceivedWork>,
) -> Result<(), ApplicationError> {
    let now = crate::domain::time::now_rfc3339();
    for work in works {
        let file = WorkFile {
            id: uuid::Uuid::now_v7().to_string(),
            application_id: application_id.to_string(),
            field: work.field.clone(),
            name: work.name.clone(),
            media_type: work.media_type.clone(),
            size: i64::try_from(work.size).unwrap_or(i64::MAX),
            sha256: work.sha256.clone(),
            created_at: now.clone(),
        };
        db::applications::insert_file(conn, &file)?;
        store.keep(work).map_err(ApplicationError::Store)?;
    }
    Ok(())
}

/// A new application through a call's public form, at `now`: all or nothing. The applicant gets
/// an e-mail with the private link to their cabinet.
pub fn submit(
    conn: &mut DbConnection,
    store: &WorkStore,
    competition_id: &str,
    sent: &Submitted,
    works: Vec<ReceivedWork>,
    lang: Lang,
    now: OffsetDateTime,
) -> Result<Sent, ApplicationError> {
    let PublicCall {
        call, organization, ..
    } = public_call(conn, competition_id)?;
    call.open_at(now)
        .map_err(|closed| ApplicationError::Refused(PortalMessage::Closed(closed)))?;
    let form = ApplicationForm::parse(sent, &call).map_err(ApplicationError::Form)?;
    check_works(&call, &works, &[])?;
    let consent = consent_of(&organization, lang, &form);
    write_transaction(conn, |conn| {
        let id = uuid::Uuid::now_v7().to_string();
        let number = db::applications::insert(conn, &id, competition_id, &form, &consent, lang.code())?;
        keep_works(conn, store, &id, works)?;
        db::application_mail::enqueue(conn, ApplicationMailKind::Received, &id)?;
        Ok(Sent { id, number })
    })
}

/// The applicant's cabinet: their application, its works, its competition and, once issued, its
/// papers.
pub struct Cabinet {
    pub application: StoredApplication,
    pub files: Vec<WorkFile>,
    pub public: PublicCall,
    pub papers: Vec<Document>,
}

/// The application a private link opens; opening it confirms the applicant's address. A link
/// that is not one gets the same answer as a link that was never made.
pub fn open_cabinet(conn: &mut DbConnection, token: &str) -> Result<Cabinet, ApplicationError> {
    let secret = Secret::from_presented(token).ok_or(ApplicationError::NotFound)?;
    let id = db::applications::by_link(conn, &secret.digest())?.ok_or(ApplicationError::NotFound)?;
    db::applications::confirm_email(conn, &id)?;
    let application = db::applications::find(conn, &id)?;
    let competition = db::competitions::find(conn, &application.competition_id)?;
    let organization = db::organizations::find(conn, &competition.organization_id)?;
    let call = db::applications::call(conn, &competition.id)?.unwrap_or_default();
    let papers = match &application.entry_id {
        Some(entry) => {
            let ids = db::documents::valid_ids_of_entry(conn, entry)?;
            db::documents::find_many(conn, &ids)?
        }
        None => Vec::new(),
    };
    Ok(Cabinet {
        files: db::applications::files(conn, &id)?,
        application,
        public: PublicCall {
            competition,
            organization,
            call,
        },
        papers,
    })
}

/// A valid paper of the application a private link opens, for its download: only what the
/// request needs is read (not the whole cabinet).
pub fn own_paper(
    conn: &mut DbConnection,
    token: &str,
    document_id: &str,
) -> Result<Document, ApplicationError> {
    let secret = Secret::from_presented(token).ok_or(ApplicationError::NotFound)?;
    let id = db::applications::by_link(conn, &secret.digest())?.ok_or(ApplicationError::NotFound)?;
    let entry = db::applications::find(conn, &id)?
        .entry_id
        .ok_or(ApplicationError::NotFound)?;
    if !db::documents::valid_ids_of_entry(conn, &entry)?
        .iter()
        .any(|d| d == document_id)
    {
        return Err(ApplicationError::NotFound);
    }
    Ok(db::documents::find(conn, document_id)?)
}

/// The applicant's correction through their link: before the organizer decided or after a return,
/// and before the deadline. Files sent for a field replace those the field had.
pub fn correct(
    conn: &mut DbConnection,
    store: &WorkStore,
    token: &str,
    sent: &Submitted,
    works: Vec<ReceivedWork>,
    now: OffsetDateTime,
) -> Result<(), ApplicationError> {
    let cabinet = open_cabinet(conn, token)?;
    let application = &cabinet.application;
    if application.state.revisable() {
        return revise(conn, store, &cabinet, works);
    }
    if !application.state.correctable() {
        return Err(ApplicationError::Refused(PortalMessage::NotCorrectable));
    }
    let call = &cabinet.public.call;
    call.open_at(now)
        .map_err(|closed| ApplicationError::Refused(PortalMessage::Closed(closed)))?;
    let form = ApplicationForm::parse(sent, call).map_err(ApplicationError::Form)?;
    let replaced = checked_replacement(&cabinet, &works)?;
    let lang = Lang::parse(&application.language).unwrap_or_default();
    let consent = consent_of(&cabinet.public.organization, lang, &form);
    let id = application.id.clone();
    let dropped = write_transaction(conn, |conn| {
        let dropped = db::applications::remove_files(conn, &id, &replaced)?;
        db::applications::correct(conn, &id, &form, &consent)?;
        keep_works(conn, store, &id, works)?;
        Ok::<_, ApplicationError>(dropped)
    })?;
    forget_unused(conn, store, &dropped)?;
    Ok(())
}

/// The fields whose files the works sent replace, once the files kept with them are still what
/// the call asks for.
fn checked_replacement(cabinet: &Cabinet, works: &[ReceivedWork]) -> Result<Vec<String>, ApplicationError> {
    let replaced: Vec<String> = works.iter().map(|w| w.field.clone()).collect();
    let kept: Vec<WorkFile> = cabinet
        .files
        .iter()
        .filter(|f| !replaced.contains(&f.field))
        .cloned()
        .collect();
    check_works(&cabinet.public.call, works, &kept)?;
    Ok(replaced)
}

/// The applicant's revised work after the jury's review returned the entry: only the works
/// change (the entry stays as accepted), with no deadline, and the entry's next round of review
/// opens; the application is the competition's entry again.
fn revise(
    conn: &mut DbConnection,
    store: &WorkStore,
    cabinet: &Cabinet,
    works: Vec<ReceivedWork>,
) -> Result<(), ApplicationError> {
    if works.is_empty() {
        return Err(ApplicationError::Refused(PortalMessage::RevisedWorkNeeded));
    }
    let replaced = checked_replacement(cabinet, &works)?;
    let application = &cabinet.application;
    let entry = application.entry_id.clone().ok_or(ApplicationError::NotFound)?;
    let id = application.id.clone();
    let dropped = write_transaction(conn, |conn| {
        let last = db::review_rounds::rounds_of_entry(conn, &entry)?
            .pop()
            .filter(|r| r.revised_at.is_none())
            .ok_or(ApplicationError::Refused(PortalMessage::NotCorrectable))?;
        let dropped = db::applications::remove_files(conn, &id, &replaced)?;
        keep_works(conn, store, &id, works)?;
        db::review_rounds::mark_revised(conn, &entry, last.round, &crate::domain::time::now_rfc3339())?;
        db::applications::set_state(conn, &id, ApplicationState::Accepted, None, Some(&entry))?;
        Ok::<_, ApplicationError>(dropped)
    })?;
    forget_unused(conn, store, &dropped)?;
    Ok(())
}

/// Erases a competition's applications and their works (the retention period ended): the entries
/// they became stay, erased as every entry is.
pub fn erase_competition(
    conn: &mut DbConnection,
    store: &WorkStore,
    competition_id: &str,
) -> Result<usize, DbError> {
    let (deleted, hashes) = db::applications::delete_of_competition(conn, competition_id)?;
    for sha256 in hashes {
        if !db::applications::file_in_use(conn, &sha256)? {
            store.forget(&sha256);
        }
    }
    Ok(deleted)
}

fn forget_unused(
    conn: &mut DbConnection,
    store: &WorkStore,
    hashes: &[String],
) -> Result<(), ApplicationError> {
    for sha256 in hashes {
        if !db::applications::file_in_use(conn, sha256)? {
            store.forget(sha256);
        }
    }
    Ok(())
}

/// A new private link for each application this address sent to the competition, by e-mail. The
/// answer is the same whether the address sent any: the page does not tell who applied.
pub fn ask_link(conn: &mut DbConnection, competition_id: &str, email: &str) -> Result<(), ApplicationError> {
    public_call(conn, competition_id)?;
    let Some(email) = crate::domain::account::Email::parse(email) else {
        return Ok(());
    };
    write_transaction(conn, |conn| {
        for id in db::applications::of_email(conn, competition_id, email.as_str())? {
            db::application_mail::enqueue(conn, ApplicationMailKind::Link, &id)?;
        }
        Ok(())
    })
}

/// A new private link to an application's cabinet: the mail worker makes one for each message it
/// sends; only its hash is kept. Earlier links keep working.
pub fn new_link(conn: &mut DbConnection, public_url: &str, application_id: &str) -> Result<String, DbError> {
    let secret = Secret::generate();
    db::applications::insert_link(conn, &secret.digest(), application_id)?;
    Ok(format!(
        "{}/a/{}",
        public_url.trim_end_matches('/'),
        secret.reveal()
    ))
}

/// An organizer's application, with its works.
pub fn find(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    application_id: &str,
) -> Result<(StoredApplication, Vec<WorkFile>), ApplicationError> {
    let (_, owner) = db::applications::owner(conn, application_id).map_err(not_found_as)?;
    if owner != organization_id.as_str() {
        return Err(ApplicationError::NotFound);
    }
    Ok((
        db::applications::find(conn, application_id)?,
        db::applications::files(conn, application_id)?,
    ))
}

/// The organizer's decision on an application. Accepting makes it the competition's entry, with
/// a participant's award until the jury or a results file gives another; the applicant is told by
/// e-mail either way.
pub fn decide(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    application_id: &str,
    decision: Decision,
) -> Result<StoredApplication, ApplicationError> {
    write_transaction(conn, |conn| {
        let (application, _) = find(conn, organization_id, application_id)?;
        if matches!(
            application.state,
            ApplicationState::Accepted | ApplicationState::Revision
        ) {
            return Err(ApplicationError::Refused(PortalMessage::AlreadyDecided));
        }
        let words = |text: &str| {
            let text = text.trim();
            match text.is_empty() {
                true => Err(ApplicationError::Refused(PortalMessage::ReasonNeeded)),
                false => Ok(text.chars().take(2000).collect::<String>()),
            }
        };
        let (state, remark, entry, mail) = match &decision {
            Decision::Accept => {
                let entry = make_entry(conn, organization_id, &application)?;
                (
                    ApplicationState::Accepted,
                    None,
                    Some(entry),
                    ApplicationMailKind::Accepted,
                )
            }
            Decision::Return(remark) => (
                ApplicationState::Returned,
                Some(words(remark)?),
                None,
                ApplicationMailKind::Returned,
            ),
            Decision::Reject(reason) => (
                ApplicationState::Rejected,
                Some(words(reason)?),
                None,
                ApplicationMailKind::Rejected,
            ),
        };
        db::applications::set_state(conn, application_id, state, remark.as_deref(), entry.as_deref())?;
        db::application_mail::enqueue(conn, mail, application_id)?;
        Ok(db::applications::find(conn, application_id)?)
    })
}

/// The entry an accepted application becomes: its fields as a results row would give them, the
/// organizer's own fields by their labels.
fn make_entry(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    application: &StoredApplication,
) -> Result<String, ApplicationError> {
    if db::jury_panel::sign_off(conn, &application.competition_id)?.is_some() {
        return Err(ApplicationError::SignedOff);
    }
    let call = db::applications::call(conn, &application.competition_id)?.unwrap_or_default();
    let labels: BTreeMap<&str, &str> = call
        .fields
        .iter()
        .map(|f| (f.key.as_str(), f.label.as_str()))
        .collect();
    let custom = application
        .answers
        .iter()
        .map(|(k, v)| {
            (
                labels.get(k.as_str()).unwrap_or(&k.as_str()).to_string(),
                v.clone(),
            )
        })
        .collect();
    let holder = crate::domain::HolderName::parse(&application.holder)
        .ok_or_else(|| DbError::Corrupt(format!("holder of application {}", application.id)))?;
    let draft = EntryDraft {
        source_row: usize::try_from(application.number).unwrap_or(0),
        holder,
        team_members: application.team_members.clone(),
        school: application.school.clone(),
        region: application.region.clone(),
        settlement_type: application
            .settlement_type
            .as_deref()
            .and_then(SettlementType::parse),
        supervisor: application.supervisor.clone(),
        nomination: application.nomination.clone(),
        age_group: application.age_group.clone(),
        email: Some(application.email.clone()),
        supervisor_email: application.supervisor_email.clone(),
        award: Award::Participant,
        award_title: None,
        birth_date: None,
        phone: application.phone.clone(),
        hours: None,
        custom,
        attended: None,
    };
    let entry = db::entries::insert_one(conn, &application.competition_id, &draft)?;
    crate::persons::assign(conn, organization_id, &application.competition_id)?;
    Ok(entry)
}

/// What the organizer's table of applications is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub state: Option<ApplicationState>,
    pub nomination: Option<String>,
    pub region: Option<String>,
    /// Words of the name, school or e-mail.
    pub search: Option<String>,
}

/// The table: the applications the filter keeps, and counts over all of them.
pub struct Listing {
    pub applications: Vec<(StoredApplication, Vec<WorkFile>)>,
    pub total: usize,
    pub by_state: BTreeMap<&'static str, usize>,
    pub by_nomination: BTreeMap<String, usize>,
    pub by_region: BTreeMap<String, usize>,
}

pub fn list(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    filter: &Filter,
) -> Result<Listing, ApplicationError> {
    db::competitions::find_owned(conn, organization_id, competition_id).map_err(not_found_as)?;
    let all = db::applications::list(conn, competition_id)?;
    let mut files: BTreeMap<String, Vec<WorkFile>> = BTreeMap::new();
    for file in db::applications::files_of_competition(conn, competition_id)? {
        files.entry(file.application_id.clone()).or_default().push(file);
    }
    let mut listing = Listing {
        applications: Vec::new(),
        total: all.len(),
        by_state: ApplicationState::ALL.iter().map(|s| (s.as_str(), 0)).collect(),
        by_nomination: BTreeMap::new(),
        by_region: BTreeMap::new(),
    };
    let words: Vec<String> = filter
        .search
        .as_deref()
        .map(|s| s.split_whitespace().map(str::to_lowercase).collect())
        .unwrap_or_default();
    for application in all {
        *listing.by_state.entry(application.state.as_str()).or_default() += 1;
        let nomination = application.nomination.clone().unwrap_or_default();
        let region = application.region.clone().unwrap_or_default();
        *listing.by_nomination.entry(nomination.clone()).or_default() += 1;
        *listing.by_region.entry(region.clone()).or_default() += 1;
        let haystack = format!(
            "{} {} {} {}",
            application.holder,
            application.team_members.join(" "),
            application.school.as_deref().unwrap_or_default(),
            application.email
        )
        .to_lowercase();
        let kept = filter.state.is_none_or(|s| s == application.state)
            && filter.nomination.as_ref().is_none_or(|n| *n == nomination)
            && filter.region.as_ref().is_none_or(|r| *r == region)
            && words.iter().all(|w| haystack.contains(w.as_str()));
        if kept {
            let own = files.remove(&application.id).unwrap_or_default();
            listing.applications.push((application, own));
        }
    }
    Ok(listing)
}

/// Who asks for a work file.
pub enum Reader<'a> {
    /// An organizer of the competition's organization.
    Organizer(&'a OrgId),
    /// The applicant, by their private link.
    Applicant(&'a str),
}

/// A work file, if the reader may open it. Judges open works through
/// `crate::judging::work_for_person`: only their own entries', unnamed in a blind review.
pub fn work_file(
    conn: &mut DbConnection,
    reader: Reader<'_>,
    file_id: &str,
) -> Result<WorkFile, ApplicationError> {
    let file = db::applications::file(conn, file_id).map_err(not_found_as)?;
    let (_, organization_id) = db::applications::owner(conn, &file.application_id)?;
    let allowed = match reader {
        Reader::Organizer(org) => org.as_str() == organization_id,
        Reader::Applicant(token) => {
            let secret = Secret::from_presented(token).ok_or(ApplicationError::NotFound)?;
            db::applications::by_link(conn, &secret.digest())?.as_deref()
                == Some(file.application_id.as_str())
        }
    };
    if !allowed {
        return Err(ApplicationError::NotFound);
    }
    Ok(file)
}

/// The works of a competition's entries made from applications, by entry: what the jury reads.
pub fn works_by_entry(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<BTreeMap<String, Vec<WorkFile>>, DbError> {
    let entry_of: BTreeMap<String, String> = db::applications::list(conn, competition_id)?
        .into_iter()
        .filter_map(|a| Some((a.id, a.entry_id?)))
        .collect();
    let mut works: BTreeMap<String, Vec<WorkFile>> = BTreeMap::new();
    for file in db::applications::files_of_competition(conn, competition_id)? {
        if let Some(entry) = entry_of.get(&file.application_id) {
            works.entry(entry.clone()).or_default().push(file);
        }
    }
    Ok(works)
}

/// The applications as a table for a spreadsheet, the organizer's own fields by their labels.
pub fn table(listing: &Listing, call: &Call, texts: &dyn Fn(&str) -> String) -> crate::export::Table {
    use crate::export::neutralize;
    let mut header: Vec<String> = [
        "app_number",
        "app_state",
        "app_holder",
        "app_team",
        "app_school",
        "app_region",
        "app_settlement",
        "app_age_group",
        "app_nomination",
        "app_supervisor",
        "app_supervisor_email",
        "app_email",
        "app_phone",
        "app_minor",
        "app_guardian",
        "app_consent_at",
        "app_remark",
        "app_files",
        "app_sent_at",
    ]
    .iter()
    .map(|k| texts(k))
    .collect();
    let own: Vec<&FormField> = call.fields.iter().filter(|f| f.kind != FieldKind::File).collect();
    header.extend(own.iter().map(|f| neutralize(&f.label)));
    let rows = listing
        .applications
        .iter()
        .map(|(a, files)| {
            let mut row: Vec<String> = [
                a.number.to_string(),
                texts(&format!("app_state_{}", a.state.as_str())),
                a.holder.clone(),
                a.team_members.join("; "),
                a.school.clone().unwrap_or_default(),
                a.region.clone().unwrap_or_default(),
                a.settlement_type.clone().unwrap_or_default(),
                a.age_group.clone().unwrap_or_default(),
                a.nomination.clone().unwrap_or_default(),
                a.supervisor.clone().unwrap_or_default(),
                a.supervisor_email.clone().unwrap_or_default(),
                a.email.clone(),
                a.phone.clone().unwrap_or_default(),
                if a.minor { "✓".into() } else { String::new() },
                a.guardian_name.clone().unwrap_or_default(),
                a.consent_at.clone().unwrap_or_default(),
                a.remark.clone().unwrap_or_default(),
                files
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                a.created_at.clone(),
            ]
            .iter()
            .map(|c| neutralize(c))
            .collect();
            row.extend(
                own.iter()
                    .map(|f| neutralize(a.answers.get(&f.key).map_or("", String::as_str))),
            );
            row
        })
        .collect();
    crate::export::Table { header, rows }
}
