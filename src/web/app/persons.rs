//! The persons pages: a searchable list of the organization's persons, and a person's page with
//! their history (competitions, awards, papers with serials and links), a form to split some
//! participations off to another person and a search to merge another person in. The same
//! `crate::persons` functions as `/api/v1/persons`.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::account::see_other;
use super::session::{signed_in, CheckedForm, Member};
use super::view::{ok, page_lang};
use crate::domain::Award;
use crate::persons;
use crate::web::persons::{history_of, Search};
use crate::web::{ApiError, AppState};

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<Search>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let search = query.into_inner().q.unwrap_or_default();
    let shown = search.clone();
    let found = state
        .db
        .run(move |conn| persons::list(conn, &organizer.organization_id, &search))
        .await?;
    ok(
        &req,
        &member.visitor,
        "persons.html",
        context! { q => shown, persons => found, limit => persons::LIST_LIMIT },
    )
}

#[derive(Deserialize)]
pub struct PersonQuery {
    /// Who to merge in: a part of a name.
    pub q: Option<String>,
    pub done: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<String>,
    query: web::Query<PersonQuery>,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let (lang, _) = page_lang(&req);
    let query = query.into_inner();
    let person_id = path.into_inner();
    let view = history_of(&state, organizer.organization_id.clone(), person_id.clone()).await?;
    let candidates = match query.q.clone().filter(|q| !q.trim().is_empty()) {
        Some(search) => {
            let organization_id = organizer.organization_id.clone();
            state
                .db
                .run(move |conn| persons::list(conn, &organization_id, &search))
                .await?
                .into_iter()
                .filter(|p| p.id != person_id)
                .collect()
        }
        None => Vec::new(),
    };
    let participations: Vec<_> = view
        .history
        .participations
        .iter()
        .map(|p| {
            let award = p.award_title.clone().unwrap_or_else(|| {
                Award::from_code(&p.award).map_or_else(|| p.award.clone(), |a| a.title(lang))
            });
            let papers: Vec<_> = p
                .papers
                .iter()
                .map(|paper| {
                    context! { serial => paper.serial.clone(), status => paper.status.clone(),
                    link => view.links.get(&paper.code).cloned().unwrap_or_default() }
                })
                .collect();
            context! { id => p.id.clone(), name => p.name.clone(), pinned => p.pinned,
            competition_id => p.competition_id.clone(), competition => p.competition.clone(),
            date => p.date.clone(), team => p.team.clone(), school => p.school.clone(),
            region => p.region.clone(), award => award, winner => p.winner, papers => papers }
        })
        .collect();
    ok(
        &req,
        &member.visitor,
        "person.html",
        context! { person => view.history.person.clone(), participations => participations,
        q => query.q.unwrap_or_default(), candidates => candidates, done => query.done },
    )
}

#[derive(Deserialize)]
pub struct MergeForm {
    other: String,
}

/// Merges the chosen person into this one, then shows this one.
pub async fn merge(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<MergeForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let into = path.into_inner();
    let target = into.clone();
    state
        .db
        .run(move |conn| persons::merge(conn, &organizer.organization_id, &into, &form.other))
        .await?;
    Ok(see_other(&format!("/app/persons/{target}?done=merged")))
}

/// The split form: a checkbox `p-ID` for each participation that is someone else.
#[derive(Deserialize)]
pub struct SplitForm {
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

/// Splits the ticked participations off to a new person, then shows the new person.
pub async fn split(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<SplitForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let person = path.into_inner();
    let chosen: Vec<String> = form
        .fields
        .keys()
        .filter_map(|k| k.strip_prefix("p-"))
        .map(str::to_string)
        .collect();
    let created = state
        .db
        .run(move |conn| persons::split(conn, &organizer.organization_id, &person, &chosen))
        .await?;
    Ok(see_other(&format!("/app/persons/{}?done=split", created.id)))
}
