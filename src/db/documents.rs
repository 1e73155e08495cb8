use std::collections::HashSet;

use diesel::prelude::*;

use super::models::DocumentRow;
use super::schema::documents::dsl as d;
use super::schema::serial_counters::dsl as s;
use super::{DbConnection, DbError};
use crate::domain::time::now_rfc3339;
use crate::domain::{
    Document, DocumentPayload, DocumentStatus, PackSlice, Recipient, Serial, VerificationCode,
};

pub(super) fn to_domain(row: DocumentRow) -> Result<Document, DbError> {
    let corrupt = |what: &str| DbError::Corrupt(format!("document {}: {what}", row.id));
    let packed = match (&row.pack, row.pack_offset, row.pack_length) {
        (None, _, _) => None,
        (Some(pack), Some(offset), Some(length)) => Some(PackSlice {
            pack: uuid::Uuid::try_parse(pack).map_err(|_| corrupt("pack"))?,
            offset: u64::try_from(offset).map_err(|_| corrupt("pack offset"))?,
            length: u64::try_from(length).map_err(|_| corrupt("pack length"))?,
        }),
        _ => return Err(corrupt("pack")),
    };
    let recipient = match &row.recipient {
        Some(text) => Some(Recipient::parse(text).ok_or_else(|| corrupt("recipient"))?),
        None => None,
    };
    Ok(Document {
        serial: Serial::from_stored(row.serial.clone()),
        code: VerificationCode::parse(&row.code).ok_or_else(|| corrupt("code"))?,
        status: DocumentStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
        payload: serde_json::from_str::<DocumentPayload>(&row.payload).map_err(|_| corrupt("payload"))?,
        id: row.id,
        organization_id: row.organization_id,
        competition_id: row.competition_id,
        entry_id: row.entry_id,
        supervisor_key: row.supervisor_key,
        recipient,
        design: row.design,
        sha256: row.sha256,
        revoked_reason: row.revoked_reason,
        issued_at: row.issued_at,
        signed_record: row.signed_record,
        superseded_by: row.superseded_by,
        public_lookup: row.public_lookup,
        packed,
    })
}

/// Reserves `count` consecutive serial numbers of an organization's year and returns the first.
/// Call it inside a write transaction: the counter row is the lock that keeps serials unique.
pub fn reserve_serials(
    conn: &mut DbConnection,
    organization_id: &str,
    year: i32,
    count: i32,
) -> Result<i32, DbError> {
    let updated = diesel::update(
        s::serial_counters
            .filter(s::organization_id.eq(organization_id))
            .filter(s::year.eq(year)),
    )
    .set(s::last_value.eq(s::last_value + count))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(s::serial_counters)
            .values((
                s::organization_id.eq(organization_id),
                s::year.eq(year),
                s::last_value.eq(count),
            ))
            .execute(conn)?;
        return Ok(1);
    }
    let last: i32 = s::serial_counters
        .filter(s::organization_id.eq(organization_id))
        .filter(s::year.eq(year))
        .select(s::last_value)
        .get_result(conn)?;
    Ok(last - count + 1)
}

pub struct NewDocument {
    pub id: String,
    pub signed_record: String,
    pub organization_id: String,
    pub competition_id: String,
    /// None for a letter of gratitude, which has `supervisor_key` instead.
    pub entry_id: Option<String>,
    pub supervisor_key: Option<String>,
    /// A judge's letter or a team member's paper: whom it is for.
    pub recipient: Option<Recipient>,
    pub design: String,
    pub payload: DocumentPayload,
    /// The issue job that renders it; a corrected re-issue renders at once and has none.
    pub job_id: Option<String>,
    /// When it is issued (RFC 3339): fixed here, as its credential says it.
    pub issued_at: String,
    /// Its Open Badges credential, a compact VC-JWT (`crate::credentials`), kept beside it
    /// (`db::credentials::insert_kept`).
    pub credential: Option<String>,
}

pub fn insert_pending(conn: &mut DbConnection, documents: &[NewDocument]) -> Result<(), DbError> {
    let rows = documents
        .iter()
        .map(|n| {
            // A paper without its signed record could never be verified: refused, not stored.
            if n.signed_record.is_empty() {
                return Err(DbError::Corrupt(format!("document {}: not signed", n.id)));
            }
            Ok(DocumentRow {
                id: n.id.clone(),
                organization_id: n.organization_id.clone(),
                competition_id: n.competition_id.clone(),
                entry_id: n.entry_id.clone(),
                serial: n.payload.serial.clone(),
                code: n.payload.code.clone(),
                status: DocumentStatus::Pending.as_str().into(),
                design: n.design.clone(),
                payload: serde_json::to_string(&n.payload).map_err(|e| DbError::Corrupt(e.to_string()))?,
                sha256: None,
                revoked_reason: None,
                revoked_at: None,
                issued_at: n.issued_at.clone(),
                signed_record: Some(n.signed_record.clone()),
                superseded_by: None,
                public_lookup: true,
                job_id: n.job_id.clone(),
                claimed_by: None,
                claimed_until: None,
                rendered_by: None,
                kind: n.payload.kind().as_str().into(),
                supervisor_key: n.supervisor_key.clone(),
                pack: None,
                pack_offset: None,
                pack_length: None,
                recipient: n.recipient.as_ref().map(Recipient::to_text),
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    crate::insert_rows!(conn, d::documents, &rows);
    Ok(())
}

/// The recipients of a competition's extra papers that have one, of any status: nobody is given
/// a second (a re-issue replaces the paper and keeps its recipient).
pub fn recipients_with_papers(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<HashSet<String>, DbError> {
    Ok(d::documents
        .filter(d::competition_id.eq(competition_id))
        .filter(d::recipient.is_not_null())
        .select(d::recipient)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect())
}

/// How many papers a competition has, reserved or issued, of any status.
pub fn count_for_competition(conn: &mut DbConnection, competition_id: &str) -> Result<i64, DbError> {
    Ok(d::documents
        .filter(d::competition_id.eq(competition_id))
        .count()
        .get_result(conn)?)
}

pub fn entries_with_documents(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<HashSet<String>, DbError> {
    Ok(d::documents
        .filter(d::competition_id.eq(competition_id))
        .filter(d::entry_id.is_not_null())
        .select(d::entry_id)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect())
}

/// The valid papers of an entry (one, unless a correction is in flight).
pub fn valid_ids_of_entry(conn: &mut DbConnection, entry_id: &str) -> Result<Vec<String>, DbError> {
    Ok(d::documents
        .filter(d::entry_id.eq(entry_id))
        .filter(d::status.eq(DocumentStatus::Valid.as_str()))
        .select(d::id)
        .load(conn)?)
}

/// The supervisors of a competition who already have a letter of gratitude (in any state: a
/// revoked letter is not issued again by a re-run, and a corrected one keeps its key).
pub fn supervisors_with_letters(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<HashSet<String>, DbError> {
    Ok(d::documents
        .filter(d::competition_id.eq(competition_id))
        .filter(d::supervisor_key.is_not_null())
        .select(d::supervisor_key)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect())
}

/// A competition's documents in serial order.
pub fn list_for_competition(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<Document>, DbError> {
    d::documents
        .filter(d::competition_id.eq(competition_id))
        .order(d::serial.asc())
        .select(DocumentRow::as_select())
        .load(conn)?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The packs the competition's documents are kept in.
pub fn packs_in_use(conn: &mut DbConnection, competition_id: &str) -> Result<HashSet<uuid::Uuid>, DbError> {
    d::documents
        .filter(d::competition_id.eq(competition_id))
        .filter(d::pack.is_not_null())
        .select(d::pack)
        .distinct()
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .map(|pack| {
            uuid::Uuid::try_parse(&pack)
                .map_err(|_| DbError::Corrupt(format!("competition {competition_id}: pack {pack}")))
        })
        .collect()
}

/// Whether some document of the competition waits to be rendered.
pub fn any_pending(conn: &mut DbConnection, competition_id: &str) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        d::documents
            .filter(d::competition_id.eq(competition_id))
            .filter(d::status.eq(DocumentStatus::Pending.as_str())),
    ))
    .get_result(conn)?)
}

/// The next `limit` documents of a competition after serial `after`, in serial order.
pub fn page_for_competition(
    conn: &mut DbConnection,
    competition_id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Document>, DbError> {
    let mut query = d::documents
        .filter(d::competition_id.eq(competition_id))
        .order(d::serial.asc())
        .limit(limit)
        .select(DocumentRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(d::serial.gt(after.to_string()));
    }
    query.load(conn)?.into_iter().map(to_domain).collect()
}

/// What the organizer's search looks at in each of a competition's papers, in serial order: id,
/// serial, code and the holder's name (only that is read of the payload).
pub fn search_keys(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<Vec<(String, String, String, String)>, DbError> {
    #[derive(serde::Deserialize)]
    struct Holder {
        holder: String,
    }
    d::documents
        .filter(d::competition_id.eq(competition_id))
        .order(d::serial.asc())
        .select((d::id, d::serial, d::code, d::payload))
        .load::<(String, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, serial, code, payload)| {
            let holder = serde_json::from_str::<Holder>(&payload)
                .map_err(|e| DbError::Corrupt(format!("document {id}: {e}")))?
                .holder;
            Ok((id, serial, code, holder))
        })
        .collect()
}

/// Records a rendered PDF's digest; a pending document becomes valid.
pub fn mark_rendered(conn: &mut DbConnection, id: &str, sha256: &str) -> Result<(), DbError> {
    diesel::update(d::documents.filter(d::id.eq(id)))
        .set(d::sha256.eq(sha256))
        .execute(conn)?;
    diesel::update(
        d::documents
            .filter(d::id.eq(id))
            .filter(d::status.eq(DocumentStatus::Pending.as_str())),
    )
    .set(d::status.eq(DocumentStatus::Valid.as_str()))
    .execute(conn)?;
    Ok(())
}

pub fn find_by_code(conn: &mut DbConnection, code: &VerificationCode) -> Result<Option<Document>, DbError> {
    d::documents
        .filter(d::code.eq(code.as_str()))
        .select(DocumentRow::as_select())
        .get_result(conn)
        .optional()?
        .map(to_domain)
        .transpose()
}

pub fn find_owned(conn: &mut DbConnection, organization_id: &str, id: &str) -> Result<Document, DbError> {
    let row = d::documents
        .filter(d::id.eq(id))
        .filter(d::organization_id.eq(organization_id))
        .select(DocumentRow::as_select())
        .get_result(conn)?;
    to_domain(row)
}

pub fn revoke(conn: &mut DbConnection, id: &str, reason: &str) -> Result<(), DbError> {
    super::document_changes::touched();
    diesel::update(d::documents.filter(d::id.eq(id)))
        .set((
            d::status.eq(DocumentStatus::Revoked.as_str()),
            d::revoked_reason.eq(reason),
            d::revoked_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The document whose PDF has this SHA-256: how a file is recognized as one that was issued.
pub fn find_by_sha256(conn: &mut DbConnection, sha256: &str) -> Result<Option<Document>, DbError> {
    d::documents
        .filter(d::sha256.eq(sha256))
        .select(DocumentRow::as_select())
        .get_result(conn)
        .optional()?
        .map(to_domain)
        .transpose()
}

/// The old document now points to its corrected replacement.
pub fn mark_superseded(conn: &mut DbConnection, id: &str, replacement_id: &str) -> Result<(), DbError> {
    super::document_changes::touched();
    diesel::update(d::documents.filter(d::id.eq(id)))
        .set((
            d::status.eq(DocumentStatus::Superseded.as_str()),
            d::superseded_by.eq(replacement_id),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Document, DbError> {
    to_domain(
        d::documents
            .filter(d::id.eq(id))
            .select(DocumentRow::as_select())
            .get_result(conn)?,
    )
}

pub fn set_public_lookup(conn: &mut DbConnection, id: &str, public: bool) -> Result<(), DbError> {
    super::document_changes::touched();
    diesel::update(d::documents.filter(d::id.eq(id)))
        .set(d::public_lookup.eq(public))
        .execute(conn)?;
    Ok(())
}

/// These documents, in serial order: one query for a whole message's papers.
pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<Document>, DbError> {
    let mut found = Vec::with_capacity(ids.len());
    // Chunks keep each statement under the bound-parameter limit.
    for chunk in ids.chunks(500) {
        let rows = d::documents
            .filter(d::id.eq_any(chunk))
            .select(DocumentRow::as_select())
            .load(conn)?;
        for row in rows {
            found.push(to_domain(row)?);
        }
    }
    found.sort_by(|a, b| a.payload.serial.cmp(&b.payload.serial));
    Ok(found)
}
