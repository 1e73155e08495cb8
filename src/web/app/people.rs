//! The organization's people: who has an account with which role, invitations by link (inviting an
//! address again voids its earlier link), and an
//! organizer's or admin's changes to someone else's account (role, disabled or not).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::{context, Value};
use serde::Deserialize;
use time::OffsetDateTime;

use super::account::{see_other, Empty};
use super::session::{signed_in, CheckedForm, Member};
use super::view::page;
use crate::audit;
use crate::db::{self, accounts::User};
use crate::domain::account::{Email, Role};
use crate::domain::audit::AuditAction;
use crate::domain::time::format_timestamp;
use crate::invitations::{invitation_link, INVITATION_DAYS};
use crate::web::auth::Organizer;
use crate::web::{ApiError, AppState};

/// What a change of someone's account did, for the notice on the page it returns to.
const DONE: [&str; 3] = ["role", "disabled", "enabled"];

#[derive(Deserialize)]
pub struct PeopleQuery {
    done: Option<String>,
}

pub async fn people(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<PeopleQuery>,
) -> Result<HttpResponse, ApiError> {
    let done = query.into_inner().done.filter(|d| DONE.contains(&d.as_str()));
    people_page(&req, &state, &member, StatusCode::OK, context! { done => done }).await
}

/// The page with everyone of the organization; `extra` adds a notice, an error or a new link.
async fn people_page(
    req: &HttpRequest,
    state: &AppState,
    member: &Member,
    status: StatusCode,
    extra: Value,
) -> Result<HttpResponse, ApiError> {
    member.organizer()?;
    let organization_id = member.user.organization_id.clone();
    let (everyone, pending) = state
        .db
        .run(move |conn| {
            Ok::<_, db::DbError>((
                db::accounts::everyone_in_organization(conn, &organization_id)?,
                db::accounts::pending_invitations(conn, &organization_id)?,
            ))
        })
        .await?;
    let pending: Vec<_> = pending
        .into_iter()
        .filter(|i| member.role().may_invite(i.role))
        .map(|i| context! { email => i.email, role => i.role.as_str() })
        .collect();
    let people: Vec<_> = everyone
        .into_iter()
        .map(|u| {
            let yourself = u.id == member.user.id;
            context! {
                manageable => !yourself && member.role().may_invite(u.role),
                yourself => yourself,
                id => u.id,
                name => u.name,
                email => u.email,
                role => u.role.as_str(),
                disabled => u.disabled_at.is_some(),
            }
        })
        .collect();
    let roles: Vec<&str> = [Role::Jury, Role::Organizer, Role::Admin]
        .into_iter()
        .filter(|r| member.role().may_invite(*r))
        .map(Role::as_str)
        .collect();
    let base = context! { people => people, roles => roles, pending => pending };
    page(
        req,
        &member.visitor,
        status,
        "people.html",
        context! { ..base, ..extra },
    )
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<InviteForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    member.organizer()?;
    let role = Role::parse(&form.role).filter(|r| member.role().may_invite(*r));
    let (Some(email), Some(role)) = (Email::parse(&form.email), role) else {
        let extra = context! { error => "invite_invalid" };
        return people_page(&req, &state, &member, StatusCode::BAD_REQUEST, extra).await;
    };
    let expires = format_timestamp(OffsetDateTime::now_utc() + time::Duration::days(INVITATION_DAYS));
    let by = member.user.clone();
    let shown = email.as_str().to_string();
    let actor = member.actor();
    let token = state
        .db
        .run(move |conn| {
            let token = db::accounts::invite(conn, &by, &email, role, &expires)?;
            if token.is_some() {
                audit::record(
                    conn,
                    &by.organization_id,
                    &actor,
                    AuditAction::PersonInvited,
                    email.as_str(),
                )?;
            }
            Ok::<_, db::DbError>(token)
        })
        .await?;
    // A link for an address that has an account would be used up making nothing.
    let Some(token) = token else {
        let extra = context! { error => "invite_exists" };
        return people_page(&req, &state, &member, StatusCode::CONFLICT, extra).await;
    };
    let link = invitation_link(&state.settings.public_url, token.reveal());
    let extra = context! { link => link, invited => shown };
    people_page(&req, &state, &member, StatusCode::OK, extra).await
}

enum Change {
    Role(Role),
    Disabled(bool),
}

/// Why a change is refused, as a key of the catalogue; `None` when it may be made.
fn refusal(member: &Member, person: &User, change: &Change) -> Option<&'static str> {
    // Nobody locks themselves out or demotes themselves: another admin or organizer does it.
    if person.id == member.user.id {
        return Some("people_not_yourself");
    }
    // Whom one may invite is whom one may manage: an organizer never touches an admin's account
    // nor makes anyone an admin.
    let allowed = member.role().may_invite(person.role)
        && match change {
            Change::Role(role) => member.role().may_invite(*role),
            Change::Disabled(_) => true,
        };
    (!allowed).then_some("people_not_allowed")
}

async fn change(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    id: String,
    change: Change,
) -> Result<HttpResponse, ApiError> {
    let organizer = member.organizer()?;
    let organization_id = organizer.organization_id.clone();
    let lookup = id.clone();
    let person = state
        .db
        .run(move |conn| db::accounts::find_in_organization(conn, &organization_id, &lookup))
        .await?;
    if let Some(reason) = refusal(&member, &person, &change) {
        let extra = context! { error => reason };
        return people_page(&req, &state, &member, StatusCode::CONFLICT, extra).await;
    }
    let Organizer {
        organization_id,
        actor,
    } = organizer;
    let subject = person.email.clone();
    let (done, action) = match change {
        Change::Role(_) => ("role", AuditAction::RoleChanged),
        Change::Disabled(true) => ("disabled", AuditAction::PersonDisabled),
        Change::Disabled(false) => ("enabled", AuditAction::PersonEnabled),
    };
    state
        .db
        .run(move |conn| {
            match change {
                Change::Role(role) => db::accounts::set_role(conn, &organization_id, &id, role)?,
                Change::Disabled(disabled) => {
                    db::accounts::set_disabled(conn, &organization_id, &id, disabled)?
                }
            }
            audit::record(conn, &organization_id, &actor, action, &subject)
        })
        .await?;
    Ok(see_other(&format!("/app/people?done={done}")))
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn set_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<RoleForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let Some(role) = Role::parse(&form.role) else {
        let extra = context! { error => "people_not_allowed" };
        return people_page(&req, &state, &member, StatusCode::BAD_REQUEST, extra).await;
    };
    change(req, state, member, path.into_inner(), Change::Role(role)).await
}

/// `disable` or `enable` someone's account: a form each, one handler.
pub async fn switch(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm<Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let (id, action) = path.into_inner();
    let disabled = match action.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Err(ApiError::NotFound),
    };
    change(req, state, member, id, Change::Disabled(disabled)).await
}
