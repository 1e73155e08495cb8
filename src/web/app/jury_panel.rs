//! The jury in the organizer's pages beyond criteria and judges: how scores become awards, the
//! ranking applied as awards, the protocol to download, the chair named, and winners advanced to
//! the next stage; and in the chair's own page, the sign-off. Every rule is in `crate::judging`,
//! as for the API.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::account::see_other;
use super::organizer::{detail_with_error, owned};
use super::session::{signed_in, CheckedForm, Member};
use super::view::page_lang;
use crate::domain::jury::JuryRules;
use crate::judging::{self, Advance};
use crate::web::competitions::invalid;
use crate::web::{ApiError, AppState};

#[derive(Deserialize)]
pub struct RulesForm {
    /// sum, mean or trimmed_mean.
    aggregation: String,
    /// places or degrees.
    rule: String,
    /// Grand Prix for a unique top score of at least this share of the maximum, in percent.
    #[serde(default)]
    grand_prix_percent: String,
    /// Laureates down to this place, when given.
    #[serde(default)]
    laureates_to_place: String,
}

impl RulesForm {
    /// The form in the API's words, read by the same `JuryRules` the API reads.
    fn rules(&self) -> Result<JuryRules, ApiError> {
        let number = |text: &str| -> Result<Option<f64>, ApiError> {
            let text = text.trim().replace(',', ".");
            match text.is_empty() {
                true => Ok(None),
                false => text.parse().map(Some).map_err(|_| invalid("rules", "a number")),
            }
        };
        let mut award_rule = serde_json::json!({
            "kind": if self.rule == "degrees" { "degrees_by_share" } else { "places" },
        });
        if let Some(percent) = number(&self.grand_prix_percent)? {
            award_rule["grand_prix_min_share"] = (percent / 100.0).into();
        }
        if let Some(place) = number(&self.laureates_to_place)? {
            award_rule["laureates"] = serde_json::json!({ "down_to_place": place as u32 });
        }
        let json = serde_json::json!({ "aggregation": self.aggregation, "award_rule": award_rule });
        serde_json::from_value(json).map_err(|e| invalid("rules", e.to_string()))
    }
}

fn back(competition_id: &str, done: &str) -> HttpResponse {
    see_other(&format!("/app/competitions/{competition_id}?done={done}#jury"))
}

pub async fn set_rules(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<RulesForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let id = competition.id.clone();
    let result = match form.rules() {
        Ok(rules) => state
            .db
            .run(move |conn| judging::set_rules(conn, &id, &rules))
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(back(&competition.id, "rules")),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            detail_with_error(&req, &state, &member, competition, e).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ChairForm {
    judge: String,
}

/// The organizer names the chair among the seated judges (by default the first appointed); the
/// same service as the API's `PUT /jury/chair`, so no chair changes after the sign-off.
pub async fn name_chair(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<ChairForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let id = competition.id.clone();
    let result = state
        .db
        .run(move |conn| judging::name_chair(conn, &id, &form.judge))
        .await
        .map_err(ApiError::from);
    match result {
        Ok(_) => Ok(back(&competition.id, "chair")),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            detail_with_error(&req, &state, &member, competition, e).await
        }
        Err(e) => Err(e),
    }
}

/// The ranking becomes the entries' awards.
pub async fn apply_results(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<super::account::Empty>,
) -> Result<HttpResponse, ApiError> {
    let (member, _) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let id = competition.id.clone();
    let result = state
        .db
        .run(move |conn| judging::apply_results(conn, &id))
        .await
        .map_err(ApiError::from);
    match result {
        Ok(rows) => Ok(see_other(&format!(
            "/app/competitions/{}?done=jury_applied&n={}#jury",
            competition.id,
            rows.len()
        ))),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            detail_with_error(&req, &state, &member, competition, e).await
        }
        Err(e) => Err(e),
    }
}

/// `protocol.pdf`, `protocol.xlsx` or `protocol.csv`, as the API gives them.
pub async fn protocol(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (competition_id, extension) = path.into_inner();
    let organizer = member.organizer()?;
    let (lang, _) = page_lang(&req);
    crate::web::jury::protocol_file(
        &state,
        organizer.organization_id.into(),
        competition_id.into(),
        &extension,
        lang,
    )
    .await
}

#[derive(Deserialize)]
pub struct AdvanceForm {
    #[serde(default)]
    top: String,
    #[serde(default)]
    min_score: String,
}

/// The previous stage's winners become this competition's entries.
pub async fn advance(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<AdvanceForm>,
) -> Result<HttpResponse, ApiError> {
    let (member, form) = signed_in(form)?;
    let organizer = member.organizer()?;
    let competition = owned(&state, &organizer, path.into_inner()).await?;
    let rule = match (form.top.trim(), form.min_score.trim().replace(',', ".")) {
        (top, min) if !top.is_empty() && min.is_empty() => top.parse().ok().map(Advance::Top),
        (top, min) if top.is_empty() && !min.is_empty() => min.parse().ok().map(Advance::MinScore),
        _ => None,
    };
    let Some(rule) = rule else {
        let error = invalid("top", "give either the number of places or the lowest score");
        return detail_with_error(&req, &state, &member, competition, error).await;
    };
    let (organization_id, id) = (organizer.organization_id, competition.id.clone());
    let result = state
        .db
        .run(move |conn| judging::advance(conn, &organization_id, &id, rule))
        .await
        .map_err(ApiError::from);
    match result {
        Ok(holders) => Ok(see_other(&format!(
            "/app/competitions/{}?done=advanced&n={}",
            competition.id,
            holders.len()
        ))),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_) | ApiError::NotFound)) => {
            detail_with_error(&req, &state, &member, competition, e).await
        }
        Err(e) => Err(e),
    }
}
