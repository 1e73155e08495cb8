//! Award words an organization mapped once (a category and the title to print), used on every
//! later upload of its results files.

use diesel::prelude::*;

use super::schema::award_words::dsl as w;
use super::{DbConnection, DbError};
use crate::domain::award::AwardWord;
use crate::domain::time::now_rfc3339;
use crate::domain::Award;

/// A remembered word: as the file first wrote it, and what it means.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RememberedWord {
    pub text: String,
    #[serde(flatten)]
    pub word: AwardWord,
    pub updated_at: String,
}

/// The organization's words, keyed as `intake::award_key` makes them.
pub fn list(
    conn: &mut DbConnection,
    organization_id: &str,
) -> Result<Vec<(String, RememberedWord)>, DbError> {
    let rows: Vec<(String, String, String, Option<String>, String)> = w::award_words
        .filter(w::organization_id.eq(organization_id))
        .order(w::text_key.asc())
        .select((w::text_key, w::text, w::award, w::title, w::updated_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(key, text, award, title, updated_at)| {
            let award = Award::from_code(&award)
                .ok_or_else(|| DbError::Corrupt(format!("award word {key}: award {award}")))?;
            Ok((
                key,
                RememberedWord {
                    text,
                    word: AwardWord { award, title },
                    updated_at,
                },
            ))
        })
        .collect()
}

/// Remembers what `text` means for the organization, replacing what it meant before.
pub fn remember(
    conn: &mut DbConnection,
    organization_id: &str,
    key: &str,
    text: &str,
    word: &AwardWord,
) -> Result<(), DbError> {
    let now = now_rfc3339();
    diesel::delete(
        w::award_words
            .filter(w::organization_id.eq(organization_id))
            .filter(w::text_key.eq(key)),
    )
    .execute(conn)?;
    diesel::insert_into(w::award_words)
        .values((
            w::organization_id.eq(organization_id),
            w::text_key.eq(key),
            w::text.eq(text),
            w::award.eq(word.award.code()),
            w::title.eq(word.title.clone()),
            w::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets a word; true if there was one.
pub fn forget(conn: &mut DbConnection, organization_id: &str, key: &str) -> Result<bool, DbError> {
    let deleted = diesel::delete(
        w::award_words
            .filter(w::organization_id.eq(organization_id))
            .filter(w::text_key.eq(key)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}
