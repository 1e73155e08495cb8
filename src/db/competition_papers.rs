//! A competition's extra papers and own reasons (`domain::papers`): one row, absent until the
//! organizer chooses something.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::schema::competition_papers::dsl as p;
use super::{DbConnection, DbError};
use crate::domain::papers::{PaperSettings, ReasonKind};

pub fn find(conn: &mut DbConnection, competition_id: &str) -> Result<PaperSettings, DbError> {
    let row: Option<(bool, Option<String>)> = p::competition_papers
        .filter(p::competition_id.eq(competition_id))
        .select((p::member_papers, p::reasons))
        .first(conn)
        .optional()?;
    let Some((member_papers, reasons)) = row else {
        return Ok(PaperSettings::default());
    };
    let reasons: BTreeMap<ReasonKind, String> = match reasons {
        Some(json) => serde_json::from_str(&json)
            .map_err(|_| DbError::Corrupt(format!("competition {competition_id}: reasons")))?,
        None => BTreeMap::new(),
    };
    Ok(PaperSettings {
        member_papers,
        reasons,
    })
}

pub fn save(conn: &mut DbConnection, competition_id: &str, settings: &PaperSettings) -> Result<(), DbError> {
    let reasons = (!settings.reasons.is_empty())
        .then(|| serde_json::to_string(&settings.reasons))
        .transpose()
        .map_err(|e| DbError::Corrupt(e.to_string()))?;
    diesel::delete(p::competition_papers.filter(p::competition_id.eq(competition_id))).execute(conn)?;
    diesel::insert_into(p::competition_papers)
        .values((
            p::competition_id.eq(competition_id),
            p::member_papers.eq(settings.member_papers),
            p::reasons.eq(reasons),
        ))
        .execute(conn)?;
    Ok(())
}
