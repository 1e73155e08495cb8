use diesel::prelude::*;

use super::models::{CriterionRow, JudgeRow, JurySettingsRow, ScoreRow};
use super::schema::api_tokens::dsl as t;
use super::schema::criteria::dsl as c;
use super::schema::judges::dsl as j;
use super::schema::jury_settings::dsl as s;
use super::schema::scores::dsl as sc;
use super::{DbConnection, DbError};
use crate::domain::jury::{
    Criterion, Judge, JuryRules, Mark, MaxPoints, Points, Step, Tenths, TieBreak, Weight,
};
use crate::domain::time::now_rfc3339;
use crate::domain::{ApiToken, TokenRole};

pub(super) fn judge_to_domain(row: JudgeRow) -> Judge {
    Judge {
        id: row.id,
        competition_id: row.competition_id,
        name: row.name,
        organization: row.organization,
    }
}

/// Creates a judge of one competition with a jury token of the organizing organization.
pub fn create_judge(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
    name: String,
    organization: String,
) -> Result<(Judge, ApiToken), DbError> {
    let label = Some(format!("jury: {name}"));
    let (token_id, token) = super::tokens::insert(conn, organization_id, label, TokenRole::Jury)?;
    let row = JudgeRow {
        // Time-ordered, so "the first judge" (the chair unless another is named) is well defined.
        id: uuid::Uuid::now_v7().to_string(),
        competition_id: competition_id.to_string(),
        token_id,
        name,
        organization,
        created_at: now_rfc3339(),
    };
    diesel::insert_into(j::judges).values(&row).execute(conn)?;
    Ok((judge_to_domain(row), token))
}

/// The judge a presented jury token belongs to, if the token is known and not revoked.
pub fn judge_of(conn: &mut DbConnection, token: &ApiToken) -> Result<Option<Judge>, DbError> {
    let row = j::judges
        .inner_join(t::api_tokens)
        .filter(t::token_hash.eq(token.digest()))
        .filter(t::revoked_at.is_null())
        .filter(t::role.eq(TokenRole::Jury.as_str()))
        // A judge who is a person with an account judges only while the account is enabled.
        .filter(j::user_id.is_null().or(diesel::dsl::not(
            j::user_id.eq_any(super::tokens::disabled_people()),
        )))
        .select(JudgeRow::as_select())
        .get_result(conn)
        .optional()?;
    Ok(row.map(judge_to_domain))
}

fn criterion_to_domain(row: CriterionRow) -> Result<Criterion, DbError> {
    let corrupt = || DbError::Corrupt(format!("criterion {}", row.id));
    Ok(Criterion {
        max_points: MaxPoints::new(i64::from(row.max_points)).ok_or_else(corrupt)?,
        weight: Weight::new(row.weight).ok_or_else(corrupt)?,
        step: Step::from_tenths(i64::from(row.step_tenths)).ok_or_else(corrupt)?,
        id: row.id,
        name: row.name,
    })
}

pub fn criteria(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<Criterion>, DbError> {
    c::criteria
        .filter(c::competition_id.eq(competition_id))
        .order(c::position.asc())
        .select(CriterionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(criterion_to_domain)
        .collect()
}

/// Replaces the criteria list; the caller checks that nothing was scored against the old one.
pub fn replace_criteria(
    conn: &mut DbConnection,
    competition_id: &str,
    criteria: &[Criterion],
) -> Result<(), DbError> {
    diesel::delete(c::criteria.filter(c::competition_id.eq(competition_id))).execute(conn)?;
    let rows: Vec<CriterionRow> = criteria
        .iter()
        .enumerate()
        .map(|(position, criterion)| CriterionRow {
            id: criterion.id.clone(),
            competition_id: competition_id.to_string(),
            position: i32::try_from(position).unwrap_or(i32::MAX),
            name: criterion.name.clone(),
            max_points: i32::try_from(criterion.max_points.get()).unwrap_or(i32::MAX),
            weight: criterion.weight.get(),
            step_tenths: i32::try_from(criterion.step.tenths()).unwrap_or(10),
        })
        .collect();
    crate::insert_rows!(conn, c::criteria, &rows);
    Ok(())
}

pub fn has_scores(conn: &mut DbConnection, competition_id: &str) -> Result<bool, DbError> {
    let count: i64 = sc::scores
        .inner_join(j::judges)
        .filter(j::competition_id.eq(competition_id))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Replaces a judge's whole sheet for one entry: a re-score leaves nothing of the previous one.
/// Each criterion's points come with the judge's remark on it ("" for none).
pub fn replace_sheet(
    conn: &mut DbConnection,
    judge_id: &str,
    entry_id: &str,
    sheet: &[(String, Points, String)],
) -> Result<(), DbError> {
    diesel::delete(
        sc::scores
            .filter(sc::judge_id.eq(judge_id))
            .filter(sc::entry_id.eq(entry_id)),
    )
    .execute(conn)?;
    let scored_at = now_rfc3339();
    let rows: Vec<ScoreRow> = sheet
        .iter()
        .map(|(criterion_id, points, remark)| ScoreRow {
            judge_id: judge_id.to_string(),
            entry_id: entry_id.to_string(),
            criterion_id: criterion_id.clone(),
            tenths: i32::try_from(points.get().get()).unwrap_or(i32::MAX),
            scored_at: scored_at.clone(),
            remark: remark.clone(),
        })
        .collect();
    crate::insert_rows!(conn, sc::scores, &rows);
    Ok(())
}

/// Every score given in a competition.
pub fn marks(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<Mark>, DbError> {
    sc::scores
        .inner_join(j::judges)
        .filter(j::competition_id.eq(competition_id))
        .select(ScoreRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| {
            if row.tenths < 0 {
                return Err(DbError::Corrupt(format!("score of judge {}", row.judge_id)));
            }
            Ok(Mark {
                points: Tenths::new(i64::from(row.tenths)),
                judge_id: row.judge_id,
                entry_id: row.entry_id,
                criterion_id: row.criterion_id,
            })
        })
        .collect()
}

/// The competition's jury rules; the defaults until the organizer sets them.
pub fn rules(conn: &mut DbConnection, competition_id: &str) -> Result<JuryRules, DbError> {
    let row = s::jury_settings
        .filter(s::competition_id.eq(competition_id))
        .select(JurySettingsRow::as_select())
        .get_result(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(JuryRules::default());
    };
    let corrupt = || DbError::Corrupt(format!("jury rules of competition {competition_id}"));
    Ok(JuryRules {
        aggregation: crate::domain::jury::Aggregation::parse(&row.aggregation).ok_or_else(corrupt)?,
        award_rule: serde_json::from_str(&row.award_rule).map_err(|_| corrupt())?,
        pass_min: row.pass_min_tenths.map(Tenths::new),
        tie_break: row.tie_criterion_id.map(|criterion_id| TieBreak { criterion_id }),
        spread: row.spread_tenths.map(Tenths::new),
    })
}

pub fn save_rules(conn: &mut DbConnection, competition_id: &str, rules: &JuryRules) -> Result<(), DbError> {
    let row = JurySettingsRow {
        competition_id: competition_id.to_string(),
        aggregation: rules.aggregation.as_str().to_string(),
        award_rule: serde_json::to_string(&rules.award_rule)
            .map_err(|e| DbError::Corrupt(format!("jury rules: {e}")))?,
        pass_min_tenths: rules.pass_min.map(Tenths::get),
        tie_criterion_id: rules.tie_break.as_ref().map(|t| t.criterion_id.clone()),
        spread_tenths: rules.spread.map(Tenths::get),
    };
    diesel::delete(s::jury_settings.filter(s::competition_id.eq(competition_id))).execute(conn)?;
    diesel::insert_into(s::jury_settings).values(&row).execute(conn)?;
    Ok(())
}

/// Seats a person with a jury account as this judge.
pub fn assign_user(conn: &mut DbConnection, judge_id: &str, user_id: &str) -> Result<(), DbError> {
    diesel::update(j::judges.filter(j::id.eq(judge_id)))
        .set(j::user_id.eq(user_id))
        .execute(conn)?;
    Ok(())
}

/// The judges a person sits as, one per competition.
pub fn judges_of_user(conn: &mut DbConnection, user_id: &str) -> Result<Vec<Judge>, DbError> {
    Ok(j::judges
        .filter(j::user_id.eq(user_id))
        .order(j::created_at.desc())
        .select(JudgeRow::as_select())
        .load(conn)?
        .into_iter()
        .map(judge_to_domain)
        .collect())
}

/// A competition's judges with the accounts they sit for.
pub fn judges_of_competition(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<Judge>, DbError> {
    Ok(j::judges
        .filter(j::competition_id.eq(competition_id))
        .order(j::created_at.asc())
        .select(JudgeRow::as_select())
        .load(conn)?
        .into_iter()
        .map(judge_to_domain)
        .collect())
}

/// A judge thanked for their work: how many entries they scored and the address of the account
/// they sit for, if any (issue 23: a paper for everyone who earned one).
#[derive(Debug, Clone)]
pub struct JudgeWork {
    pub judge: Judge,
    pub reviewed: u32,
    pub email: Option<String>,
}

/// Every judge of a competition with the number of entries they gave a score, in appointment order.
pub fn judges_work(conn: &mut DbConnection, competition_id: &str) -> Result<Vec<JudgeWork>, DbError> {
    use super::schema::users::dsl as u;
    let counts: Vec<(String, String)> = sc::scores
        .inner_join(j::judges)
        .filter(j::competition_id.eq(competition_id))
        .select((sc::judge_id, sc::entry_id))
        .distinct()
        .load(conn)?;
    let mut reviewed: std::collections::HashMap<String, u32> = Default::default();
    for (judge_id, _) in counts {
        *reviewed.entry(judge_id).or_default() += 1;
    }
    let rows: Vec<(JudgeRow, Option<String>)> = j::judges
        .left_join(u::users.on(u::id.nullable().eq(j::user_id)))
        .filter(j::competition_id.eq(competition_id))
        .order((j::created_at.asc(), j::id.asc()))
        .select((JudgeRow::as_select(), u::email.nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, email)| {
            let judge = judge_to_domain(row);
            JudgeWork {
                reviewed: reviewed.get(&judge.id).copied().unwrap_or(0),
                judge,
                email,
            }
        })
        .collect())
}
