//! The jury in the organizer's pages beyond criteria and judges: how scores become awards, the
//! ranking applied as awards, the protocol to download, the chair named, and winners advanced to
//! the next stage; and in the chair's own page, the sign-off. Every rule is in `crate::judging`,
//! as for the API.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::{context, Value};
use serde::Deserialize;

use super::account::see_other;
use super::organizer::{detail_with_error, owned};
use super::session::{signed_in, CheckedForm, Member};
use super::view::page_lang;
use crate::domain::jury::{AwardRule, Band, Criterion, JuryRules, Tenths};
use crate::domain::Award;
use crate::i18n::Lang;
use crate::judging::{self, Advance};
use crate::web::competitions::invalid;
use crate::web::{ApiError, AppState};

/// The rules form's fields: `aggregation` (sum, mean, trimmed_mean), `rule` (places, degrees,
/// bands), `grand_prix_percent`, `laureates_to_place`, `pass_min`, `spread`, `tie_criterion`, and
/// band rows `band_label_N`, `band_min_N`, `band_award_N`. Decimal commas are welcome.
type RulesForm = HashMap<String, String>;

/// The form in the API's words, read by the same `JuryRules` the API reads.
fn rules_of(form: &RulesForm) -> Result<JuryRules, ApiError> {
    let field = |name: &str| form.get(name).map_or("", |v| v.trim());
    let points = |name: &'static str| -> Result<Option<f64>, ApiError> {
        match field(name) {
            "" => Ok(None),
            text => Tenths::parse(text)
                .map(|t| Some(t.as_f64()))
                .ok_or_else(|| invalid(name, "a number such as 30 or 7,6")),
        }
    };
    let mut award_rule = serde_json::json!({
        "kind": match field("rule") { "degrees" => "degrees_by_share", "bands" => "bands", _ => "places" },
    });
    if field("rule") == "bands" {
        let mut bands = Vec::new();
        for i in 0..BAND_ROWS {
            let (label, min) = (field(&format!("band_label_{i}")), field(&format!("band_min_{i}")));
            if label.is_empty() && min.is_empty() {
                continue;
            }
            let min = Tenths::parse(min).ok_or_else(|| invalid("bands", "a lowest score such as 7,6"))?;
            bands.push(serde_json::json!({
                "label": label, "min": min.as_f64(), "award": field(&format!("band_award_{i}")),
            }));
        }
        award_rule["bands"] = bands.into();
    } else {
        if let Some(percent) = points("grand_prix_percent")? {
            award_rule["grand_prix_min_share"] = (percent / 100.0).into();
        }
        if let Some(place) = points("laureates_to_place")? {
            award_rule["laureates"] = serde_json::json!({ "down_to_place": place as u32 });
        }
    }
    let mut json = serde_json::json!({ "aggregation": field("aggregation"), "award_rule": award_rule });
    if let Some(min) = points("pass_min")? {
        json["pass_min"] = min.into();
    }
    if let Some(spread) = points("spread")? {
        json["spread"] = spread.into();
    }
    if !field("tie_criterion").is_empty() {
        json["tie_break"] = serde_json::json!({ "criterion_id": field("tie_criterion") });
    }
    serde_json::from_value(json).map_err(|e| invalid("rules", e.to_string()))
}

/// Rows of bands the form offers: five levels and room for more.
const BAND_ROWS: usize = 7;

/// What a band may bring, in the form's list.
const BAND_AWARDS: [Award; 7] = [
    Award::GrandPrix,
    Award::Degree(1),
    Award::Degree(2),
    Award::Degree(3),
    Award::Laureate,
    Award::Diplomant,
    Award::Participant,
];

/// The rules as the competition page's form shows them: thresholds with decimal commas, the bands
/// in rows (blank rows to add more), the criteria to break ties by.
pub(super) fn rules_view(rules: &JuryRules, criteria: &[Criterion], lang: Lang) -> Value {
    let bands: Vec<Band> = match &rules.award_rule {
        AwardRule::Bands { bands } => bands.list().to_vec(),
        _ => Vec::new(),
    };
    let rows: Vec<Value> = (0..BAND_ROWS)
        .map(|i| match bands.get(i) {
            Some(b) => {
                context! { label => b.label.clone(), min => b.min.with_comma(), award => b.award.code() }
            }
            None => context! { label => "", min => "", award => "" },
        })
        .collect();
    context! {
        band_rows => rows,
        band_awards => BAND_AWARDS.iter().map(|a| context! { code => a.code(), title => a.title(lang) }).collect::<Vec<_>>(),
        pass_min => rules.pass_min.map(Tenths::with_comma),
        spread => rules.spread.map(Tenths::with_comma),
        tie_criterion => rules.tie_break.as_ref().map(|t| t.criterion_id.clone()),
        criteria => criteria.iter().map(|c| context! { id => c.id.clone(), name => c.name.clone() }).collect::<Vec<_>>(),
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
    let result = match rules_of(&form) {
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
