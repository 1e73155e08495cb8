//! Stages across organizations (see `crate::stages`): invitation links kept as hashes, the links
//! they made between a lower and an upper competition, and what was forwarded through each. Every
//! read that an organizer's request reaches is scoped by the organization on its side of the link.

use diesel::prelude::*;

use super::schema::stage_forwards::dsl as f;
use super::schema::stage_invitations::dsl as i;
use super::schema::stage_links::dsl as l;
use super::{DbConnection, DbError};
use crate::domain::account::Secret;
use crate::domain::time::now_rfc3339;

/// An invitation as its competition's organizer sees it (never the token: only its hash is kept).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = super::schema::stage_invitations)]
pub struct InvitationRecord {
    pub id: String,
    pub organization_id: String,
    pub competition_id: String,
    pub addressee: Option<String>,
    pub quota: Option<i32>,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub used_at: Option<String>,
}

pub struct NewInvitation<'a> {
    pub organization_id: &'a str,
    pub competition_id: &'a str,
    pub addressee: Option<String>,
    pub quota: Option<i32>,
    pub created_by: Option<String>,
    pub expires_at: String,
}

/// Stores a new invitation's hash; the token is returned to be shown once.
pub fn create_invitation(
    conn: &mut DbConnection,
    new: NewInvitation<'_>,
) -> Result<(String, Secret), DbError> {
    let token = Secret::generate();
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(i::stage_invitations)
        .values((
            i::id.eq(&id),
            i::token_hash.eq(token.digest()),
            i::organization_id.eq(new.organization_id),
            i::competition_id.eq(new.competition_id),
            i::addressee.eq(new.addressee),
            i::quota.eq(new.quota),
            i::created_by.eq(new.created_by),
            i::created_at.eq(now_rfc3339()),
            i::expires_at.eq(new.expires_at),
        ))
        .execute(conn)?;
    Ok((id, token))
}

/// The competition's invitations, newest first.
pub fn invitations_of(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
) -> Result<Vec<InvitationRecord>, DbError> {
    Ok(i::stage_invitations
        .filter(i::organization_id.eq(organization_id))
        .filter(i::competition_id.eq(competition_id))
        .order((i::created_at.desc(), i::id.desc()))
        .select(InvitationRecord::as_select())
        .load(conn)?)
}

/// One invitation of the organization; another organization's is as absent as a missing one.
pub fn invitation_owned(
    conn: &mut DbConnection,
    organization_id: &str,
    id: &str,
) -> Result<InvitationRecord, DbError> {
    Ok(i::stage_invitations
        .filter(i::id.eq(id))
        .filter(i::organization_id.eq(organization_id))
        .select(InvitationRecord::as_select())
        .get_result(conn)?)
}

/// The invitation a presented token opens, whatever its state (the service tells used, revoked
/// and expired apart).
pub fn invitation_by_token(
    conn: &mut DbConnection,
    token: &Secret,
) -> Result<Option<InvitationRecord>, DbError> {
    Ok(i::stage_invitations
        .filter(i::token_hash.eq(token.digest()))
        .select(InvitationRecord::as_select())
        .get_result(conn)
        .optional()?)
}

pub fn revoke_invitation(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    diesel::update(
        i::stage_invitations
            .filter(i::id.eq(id))
            .filter(i::revoked_at.is_null()),
    )
    .set(i::revoked_at.eq(now_rfc3339()))
    .execute(conn)?;
    Ok(())
}

/// Marks the invitation used; false when another request used it first.
pub fn use_invitation(conn: &mut DbConnection, id: &str) -> Result<bool, DbError> {
    let updated = diesel::update(
        i::stage_invitations
            .filter(i::id.eq(id))
            .filter(i::used_at.is_null())
            .filter(i::revoked_at.is_null()),
    )
    .set(i::used_at.eq(now_rfc3339()))
    .execute(conn)?;
    Ok(updated == 1)
}

/// A link between a lower competition and the upper one it feeds, with its invitation's quota and
/// whether the invitation was revoked.
#[derive(Debug, Clone)]
pub struct LinkRecord {
    pub id: String,
    pub invitation_id: String,
    pub upper_organization_id: String,
    pub upper_competition_id: String,
    pub lower_organization_id: String,
    pub lower_competition_id: String,
    pub linked_at: String,
    pub addressee: Option<String>,
    pub quota: Option<i32>,
    pub revoked_at: Option<String>,
}

type LinkColumns = (
    l::id,
    l::invitation_id,
    l::upper_organization_id,
    l::upper_competition_id,
    l::lower_organization_id,
    l::lower_competition_id,
    l::linked_at,
    i::addressee,
    i::quota,
    i::revoked_at,
);

const LINK_COLUMNS: LinkColumns = (
    l::id,
    l::invitation_id,
    l::upper_organization_id,
    l::upper_competition_id,
    l::lower_organization_id,
    l::lower_competition_id,
    l::linked_at,
    i::addressee,
    i::quota,
    i::revoked_at,
);

type LinkRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i32>,
    Option<String>,
);

fn to_link(row: LinkRow) -> LinkRecord {
    let (
        id,
        invitation_id,
        upper_org,
        upper_comp,
        lower_org,
        lower_comp,
        linked_at,
        addressee,
        quota,
        revoked_at,
    ) = row;
    LinkRecord {
        id,
        invitation_id,
        upper_organization_id: upper_org,
        upper_competition_id: upper_comp,
        lower_organization_id: lower_org,
        lower_competition_id: lower_comp,
        linked_at,
        addressee,
        quota,
        revoked_at,
    }
}

pub struct NewLink<'a> {
    pub invitation_id: &'a str,
    pub upper_organization_id: &'a str,
    pub upper_competition_id: &'a str,
    pub lower_organization_id: &'a str,
    pub lower_competition_id: &'a str,
}

pub fn insert_link(conn: &mut DbConnection, new: NewLink<'_>) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(l::stage_links)
        .values((
            l::id.eq(&id),
            l::invitation_id.eq(new.invitation_id),
            l::upper_organization_id.eq(new.upper_organization_id),
            l::upper_competition_id.eq(new.upper_competition_id),
            l::lower_organization_id.eq(new.lower_organization_id),
            l::lower_competition_id.eq(new.lower_competition_id),
            l::linked_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Whether the lower competition already feeds the upper one.
pub fn is_linked(
    conn: &mut DbConnection,
    upper_competition_id: &str,
    lower_competition_id: &str,
) -> Result<bool, DbError> {
    let n: i64 = l::stage_links
        .filter(l::upper_competition_id.eq(upper_competition_id))
        .filter(l::lower_competition_id.eq(lower_competition_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A link as its lower organization reaches it; anyone else's is as absent as a missing one.
pub fn link_of_lower(
    conn: &mut DbConnection,
    lower_organization_id: &str,
    id: &str,
) -> Result<LinkRecord, DbError> {
    let row: LinkRow = l::stage_links
        .inner_join(i::stage_invitations)
        .filter(l::id.eq(id))
        .filter(l::lower_organization_id.eq(lower_organization_id))
        .select(LINK_COLUMNS)
        .get_result(conn)?;
    Ok(to_link(row))
}

/// The links feeding the organization's competition, first linked first.
pub fn links_into(
    conn: &mut DbConnection,
    upper_organization_id: &str,
    upper_competition_id: &str,
) -> Result<Vec<LinkRecord>, DbError> {
    let rows: Vec<LinkRow> = l::stage_links
        .inner_join(i::stage_invitations)
        .filter(l::upper_organization_id.eq(upper_organization_id))
        .filter(l::upper_competition_id.eq(upper_competition_id))
        .order((l::linked_at.asc(), l::id.asc()))
        .select(LINK_COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().map(to_link).collect())
}

/// The links by which the organization's competition feeds upper ones, first linked first.
pub fn links_from(
    conn: &mut DbConnection,
    lower_organization_id: &str,
    lower_competition_id: &str,
) -> Result<Vec<LinkRecord>, DbError> {
    let rows: Vec<LinkRow> = l::stage_links
        .inner_join(i::stage_invitations)
        .filter(l::lower_organization_id.eq(lower_organization_id))
        .filter(l::lower_competition_id.eq(lower_competition_id))
        .order((l::linked_at.asc(), l::id.asc()))
        .select(LINK_COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().map(to_link).collect())
}

/// One participant forwarded through a link.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = super::schema::stage_forwards)]
pub struct ForwardRecord {
    pub link_id: String,
    pub source_key: String,
    pub entry_id: Option<String>,
    pub holder_name: String,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    pub forwarded_at: String,
    pub refused_at: Option<String>,
}

/// What was forwarded through the link, in the order it was sent.
pub fn forwards_of_link(conn: &mut DbConnection, link_id: &str) -> Result<Vec<ForwardRecord>, DbError> {
    Ok(f::stage_forwards
        .filter(f::link_id.eq(link_id))
        .order((f::forwarded_at.asc(), f::holder_name.asc()))
        .select(ForwardRecord::as_select())
        .load(conn)?)
}

pub fn insert_forwards(conn: &mut DbConnection, records: &[ForwardRecord]) -> Result<(), DbError> {
    crate::insert_rows!(conn, f::stage_forwards, records);
    Ok(())
}

/// The forward that brought this entry into the upper competition, if one did.
pub fn forward_of_entry(conn: &mut DbConnection, entry_id: &str) -> Result<Option<ForwardRecord>, DbError> {
    Ok(f::stage_forwards
        .filter(f::entry_id.eq(entry_id))
        .select(ForwardRecord::as_select())
        .get_result(conn)
        .optional()?)
}

/// The upper organizer refused the forwarded entry: the entry is gone, the record stays so the
/// same participant is not forwarded again.
pub fn mark_refused(conn: &mut DbConnection, link_id: &str, source_key: &str) -> Result<(), DbError> {
    diesel::update(
        f::stage_forwards
            .filter(f::link_id.eq(link_id))
            .filter(f::source_key.eq(source_key)),
    )
    .set((f::refused_at.eq(now_rfc3339()), f::entry_id.eq(None::<String>)))
    .execute(conn)?;
    Ok(())
}
