//! What reminding late jury members reads besides the account mail queue: which account each
//! judge of a competition sits for, and which competition a judge belongs to.

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::judges::dsl as j;
use super::{DbConnection, DbError};

/// Judge id → the id of the account the judge sits for; judges made with a token only (no
/// account, so no address) are not in it.
pub fn judge_accounts(
    conn: &mut DbConnection,
    competition_id: &str,
) -> Result<HashMap<String, String>, DbError> {
    let rows: Vec<(String, Option<String>)> = j::judges
        .filter(j::competition_id.eq(competition_id))
        .select((j::id, j::user_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(judge, user)| user.map(|user| (judge, user)))
        .collect())
}

/// The competition a judge sits on, if the judge still exists.
pub fn competition_of_judge(conn: &mut DbConnection, judge_id: &str) -> Result<Option<String>, DbError> {
    Ok(j::judges
        .filter(j::id.eq(judge_id))
        .select(j::competition_id)
        .first::<String>(conn)
        .optional()?)
}
