//! Rows as they are stored. Domain types are made from these at the edge of `db/`.

use diesel::prelude::*;

use super::schema::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organizations)]
pub struct OrganizationRow {
    pub id: String,
    pub slug: String,
    pub name_kk: Option<String>,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub serial_prefix: String,
    pub city: Option<String>,
    pub created_at: String,
    pub head_name: Option<String>,
    pub head_title: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub logo_sha256: Option<String>,
    pub stamp_sha256: Option<String>,
    pub signature_sha256: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRow {
    pub id: String,
    pub organization_id: String,
    pub token_hash: String,
    pub label: Option<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub role: String,
    /// The person who made it in the web application; it works only while they are enabled.
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = competitions)]
pub struct CompetitionRow {
    pub id: String,
    pub organization_id: String,
    pub title: String,
    pub title_kk: Option<String>,
    pub title_ru: Option<String>,
    pub title_en: Option<String>,
    pub kind: String,
    pub direction: Option<String>,
    pub level: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub city: Option<String>,
    pub language: String,
    pub design: String,
    pub status: String,
    pub created_at: String,
    pub valid_until: Option<String>,
    pub previous_stage_id: Option<String>,
    pub hours: Option<i32>,
    pub letters: bool,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub audience: Option<String>,
    pub department_id: Option<String>,
    /// When it was archived; `None` while active.
    pub archived_at: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = entries)]
pub struct EntryRow {
    pub id: String,
    pub competition_id: String,
    pub source_row: i32,
    pub holder_name: String,
    pub team_members: Option<String>,
    pub school: Option<String>,
    pub region: Option<String>,
    pub settlement_type: Option<String>,
    pub supervisor: Option<String>,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    pub email: Option<String>,
    pub award: String,
    pub created_at: String,
    pub supervisor_email: Option<String>,
    pub hours: Option<i32>,
    /// The columns the mapping does not know, as a JSON object of header → value.
    pub custom_fields: Option<String>,
    pub award_title: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    /// A seminar's participant attended (true) or not (false); None when nobody said.
    pub attended: Option<bool>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = documents)]
pub struct DocumentRow {
    pub id: String,
    pub organization_id: String,
    pub competition_id: String,
    /// None for a letter of gratitude, which belongs to a supervisor.
    pub entry_id: Option<String>,
    pub serial: String,
    pub code: String,
    pub status: String,
    pub design: String,
    pub payload: String,
    pub sha256: Option<String>,
    pub revoked_reason: Option<String>,
    pub revoked_at: Option<String>,
    pub issued_at: String,
    pub signed_record: Option<String>,
    pub superseded_by: Option<String>,
    pub public_lookup: bool,
    pub job_id: Option<String>,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<String>,
    pub rendered_by: Option<String>,
    pub kind: String,
    pub supervisor_key: Option<String>,
    pub pack: Option<String>,
    pub pack_offset: Option<i64>,
    pub pack_length: Option<i64>,
    /// Whom a paper that is not an entry's own nor a supervisor's letter is for (`Recipient`).
    pub recipient: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scans)]
pub struct ScanRow {
    pub id: String,
    pub document_id: String,
    pub scanned_at: String,
    pub status: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    pub id: String,
    pub organization_id: String,
    pub competition_id: String,
    pub kind: String,
    pub state: String,
    pub done: i32,
    pub total: i32,
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub reverify: bool,
    pub verified: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = judges)]
pub struct JudgeRow {
    pub id: String,
    pub competition_id: String,
    pub token_id: String,
    pub name: String,
    pub organization: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = criteria)]
pub struct CriterionRow {
    pub id: String,
    pub competition_id: String,
    pub position: i32,
    pub name: String,
    pub max_points: i32,
    pub weight: f64,
    pub step_tenths: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scores)]
pub struct ScoreRow {
    pub judge_id: String,
    pub entry_id: String,
    pub criterion_id: String,
    /// Tenths of a point.
    pub tenths: i32,
    pub scored_at: String,
    pub remark: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jury_settings)]
pub struct JurySettingsRow {
    pub competition_id: String,
    pub aggregation: String,
    pub award_rule: String,
    pub pass_min_tenths: Option<i64>,
    pub tie_criterion_id: Option<String>,
    pub spread_tenths: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub organization_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub created_at: String,
    pub disabled_at: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: String,
    pub expires_at: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = invitations)]
pub struct InvitationRow {
    pub token_hash: String,
    pub organization_id: String,
    pub email: String,
    pub role: String,
    pub invited_by: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    pub accepted_at: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sign_in_attempts)]
pub struct SignInAttemptsRow {
    pub key: String,
    pub window_start: String,
    pub attempts: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub organization_id: String,
    pub competition_id: String,
    pub recipient_kind: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub language: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: String,
    pub lease_until: Option<String>,
    pub data_sent_at: Option<String>,
    pub last_error: Option<String>,
    pub message_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub sent_at: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox_documents)]
pub struct OutboxDocumentRow {
    pub message_id: String,
    pub document_id: String,
    /// In clear only while the message waits to be sent.
    pub download_token: Option<String>,
    pub token_hash: Option<String>,
}
