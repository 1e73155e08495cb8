//! The jury's arithmetic: criteria, points, each judge's weighted total, the aggregate across judges,
//! places inside each nomination and age group, and the awards that follow. Pure functions.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::entry::normalize_text;
pub use super::jury_scale::{Band, Bands, Step, Tenths, TieBreak};
use super::Award;

/// The most a criterion gives; at least 1, so a share of the maximum always means something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MaxPoints(u32);

impl MaxPoints {
    pub fn new(value: i64) -> Option<MaxPoints> {
        u32::try_from(value)
            .ok()
            .filter(|v| (1..=1000).contains(v))
            .map(MaxPoints)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// What a judge gave on one criterion: within 0 and that criterion's maximum, on its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Points(Tenths);

impl Points {
    pub fn new(given: Tenths, max: MaxPoints, step: Step) -> Option<Points> {
        (given.get() >= 0 && given.get() <= i64::from(max.0) * 10 && step.fits(given))
            .then_some(Points(given))
    }

    pub fn get(self) -> Tenths {
        self.0
    }
}

/// How much a criterion counts; positive and finite.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weight(f64);

impl Weight {
    pub fn new(value: f64) -> Option<Weight> {
        (value.is_finite() && value > 0.0 && value <= 100.0).then_some(Weight(value))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Criterion {
    pub id: String,
    pub name: String,
    #[schema(value_type = u32, minimum = 1, maximum = 1000)]
    pub max_points: MaxPoints,
    #[schema(value_type = f64, maximum = 100, exclusive_minimum = 0)]
    pub weight: Weight,
    /// How finely the criterion is scored.
    #[schema(value_type = f64)]
    pub step: Step,
}

/// A jury member of one competition. `organization` is where the judge works: entries from there
/// are not theirs to score.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Judge {
    pub id: String,
    pub competition_id: String,
    pub name: String,
    pub organization: String,
}

impl Judge {
    /// Spelling differences in case and spacing must not let a judge score their own school.
    pub fn has_conflict_with(&self, entry_organization: Option<&str>) -> bool {
        let key = |s: &str| normalize_text(s).to_lowercase();
        entry_organization.is_some_and(|o| key(o) == key(&self.organization))
    }
}

/// The chair's signature under the protocol: from then on the scores are final.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SignOff {
    pub judge_id: String,
    pub signed_by: String,
    #[schema(format = DateTime)]
    pub signed_at: String,
}

/// The chair is the judge the organizer named, else the first judge appointed.
pub fn chair<'a>(judges: &'a [Judge], named: Option<&str>) -> Option<&'a Judge> {
    named
        .and_then(|id| judges.iter().find(|j| j.id == id))
        .or_else(|| judges.first())
}

/// One stored score: a judge's points for an entry on a criterion.
#[derive(Debug, Clone)]
pub struct Mark {
    pub judge_id: String,
    pub entry_id: String,
    pub criterion_id: String,
    pub points: Tenths,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    Sum,
    #[default]
    Mean,
    /// The mean without the highest and the lowest judge, once there are at least three.
    TrimmedMean,
}

impl Aggregation {
    pub fn combine(self, totals: &[f64]) -> Option<f64> {
        if totals.is_empty() {
            return None;
        }
        let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
        Some(match self {
            Aggregation::Sum => totals.iter().sum(),
            Aggregation::Mean => mean(totals),
            Aggregation::TrimmedMean if totals.len() >= 3 => {
                let mut sorted = totals.to_vec();
                sorted.sort_by(f64::total_cmp);
                mean(&sorted[1..sorted.len() - 1])
            }
            Aggregation::TrimmedMean => mean(totals),
        })
    }

    /// The best aggregate an entry scored by `judges` judges could reach.
    pub fn maximum(self, per_judge: f64, judges: usize) -> f64 {
        match self {
            Aggregation::Sum => per_judge * judges as f64,
            Aggregation::Mean | Aggregation::TrimmedMean => per_judge,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Mean => "mean",
            Aggregation::TrimmedMean => "trimmed_mean",
        }
    }

    pub fn parse(text: &str) -> Option<Aggregation> {
        [Aggregation::Sum, Aggregation::Mean, Aggregation::TrimmedMean]
            .into_iter()
            .find(|a| a.as_str() == text)
    }
}

/// A share of the maximum score, above 0 and at most 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Share(f64);

impl TryFrom<f64> for Share {
    type Error = String;
    fn try_from(value: f64) -> Result<Share, String> {
        if value.is_finite() && value > 0.0 && value <= 1.0 {
            Ok(Share(value))
        } else {
            Err(format!("a share must be above 0 and at most 1, not {value}"))
        }
    }
}

impl From<Share> for f64 {
    fn from(share: Share) -> f64 {
        share.0
    }
}

/// The shares of the maximum for degrees I, II and III, strictly decreasing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "[Share; 3]", into = "[Share; 3]")]
pub struct DegreeThresholds([Share; 3]);

impl TryFrom<[Share; 3]> for DegreeThresholds {
    type Error = String;
    fn try_from(shares: [Share; 3]) -> Result<DegreeThresholds, String> {
        if shares[0].0 > shares[1].0 && shares[1].0 > shares[2].0 {
            Ok(DegreeThresholds(shares))
        } else {
            Err("degree thresholds must decrease from degree I to degree III".into())
        }
    }
}

impl From<DegreeThresholds> for [Share; 3] {
    fn from(thresholds: DegreeThresholds) -> [Share; 3] {
        thresholds.0
    }
}

impl Default for DegreeThresholds {
    fn default() -> Self {
        DegreeThresholds([Share(0.9), Share(0.75), Share(0.6)])
    }
}

/// Who among those left without a prize is named laureate: places down to `down_to_place`, scores
/// at or above `min_share` of the maximum, or both conditions when both are given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "LaureateSpec", into = "LaureateSpec")]
pub struct Laureates {
    #[schema(minimum = 1)]
    down_to_place: Option<u32>,
    #[schema(value_type = Option<f64>, maximum = 1, exclusive_minimum = 0)]
    min_share: Option<Share>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LaureateSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    down_to_place: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_share: Option<Share>,
}

impl TryFrom<LaureateSpec> for Laureates {
    type Error = String;
    fn try_from(spec: LaureateSpec) -> Result<Laureates, String> {
        match (spec.down_to_place, spec.min_share) {
            (None, None) => Err("laureates need down_to_place, min_share or both".into()),
            (Some(0), _) => Err("down_to_place must be at least 1".into()),
            (down_to_place, min_share) => Ok(Laureates {
                down_to_place,
                min_share,
            }),
        }
    }
}

impl From<Laureates> for LaureateSpec {
    fn from(l: Laureates) -> LaureateSpec {
        LaureateSpec {
            down_to_place: l.down_to_place,
            min_share: l.min_share,
        }
    }
}

impl Laureates {
    pub fn new(down_to_place: Option<u32>, min_share: Option<Share>) -> Option<Laureates> {
        Laureates::try_from(LaureateSpec {
            down_to_place,
            min_share,
        })
        .ok()
    }

    fn include(&self, place: u32, reaches: impl Fn(Share) -> bool) -> bool {
        self.down_to_place.is_none_or(|last| place <= last) && self.min_share.is_none_or(reaches)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AwardRule {
    /// Places 1–3 in each group; a unique top score at or above `grand_prix_min_share` of the
    /// maximum gets the Grand Prix instead of 1st place.
    Places {
        #[serde(default)]
        #[schema(value_type = Option<f64>, exclusive_minimum = 0, maximum = 1)]
        grand_prix_min_share: Option<Share>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        laureates: Option<Laureates>,
    },
    /// Degrees I–III by share of the maximum, whatever the place.
    DegreesByShare {
        /// strictly decreasing shares for degrees I, II, III
        #[serde(default)]
        #[schema(value_type = [f64], min_items = 3, max_items = 3)]
        thresholds: DegreeThresholds,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        laureates: Option<Laureates>,
    },
    /// The organizer's own levels: the band a final score falls in gives its award and label.
    Bands {
        #[schema(value_type = Vec<crate::domain::jury_scale::Band>, min_items = 1, max_items = 10)]
        bands: Bands,
    },
}

impl Default for AwardRule {
    fn default() -> Self {
        AwardRule::Places {
            grand_prix_min_share: None,
            laureates: None,
        }
    }
}

impl AwardRule {
    fn laureates(&self) -> Option<&Laureates> {
        match self {
            AwardRule::Places { laureates, .. } | AwardRule::DegreesByShare { laureates, .. } => {
                laureates.as_ref()
            }
            AwardRule::Bands { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(
    description = "How judges' totals become awards. Each judge's total for an entry is Σ points × weight. `aggregation` combines the judges: `sum`, `mean` (default) or `trimmed_mean` (the highest and the lowest judge dropped once there are at least three). Entries are ranked inside each (nomination, age group); equal scores share a place and the next place skips (1, 1, 3). `award_rule` `places` (default): places 1–3, and with `grand_prix_min_share` a unique top score at or above that share of the maximum gets the Grand Prix instead of 1st place; `degrees_by_share`: degree I, II, III at or above `thresholds` (default [0.9, 0.75, 0.6]) of the maximum score (per judge for mean and trimmed mean; times the judges who scored the entry for sum). Everything else, and entries nobody scored, get a participation certificate. `laureates` (in either rule): `{down_to_place, min_share}` (one or both) names laureate those left without a prize whose place is at most `down_to_place` and whose score reaches `min_share` of the maximum. Entries out of competition are ranked and shown (their place is where they would stand) but never awarded and take no place from the others. Scales as regulations write them: `pass_min` (e.g. 30) — a final score below it wins nothing, whatever its place or band; `award_rule` `bands`: the organizer's own levels, each `{label, min, award}` (award codes such as `degree_1`, `laureate`, `participant`), the highest band a final score reaches gives its award and its label is shown in the ranking and protocol; `tie_break` `{criterion_id}`: equal final scores are told apart by that criterion's aggregate, entries equal on it too are flagged `chair_decides`; `spread`: entries whose judges' totals differ by more are flagged `disagreement` for the chair. Points and thresholds go in tenths at most (0.5, 7.6)."
)]
pub struct JuryRules {
    #[serde(default)]
    pub aggregation: Aggregation,
    #[serde(default)]
    pub award_rule: AwardRule,
    /// «Не менее 30 баллов»: a final score below this wins nothing, whatever its place or band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub pass_min: Option<Tenths>,
    /// Equal final scores are told apart by this criterion, then by the chair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie_break: Option<TieBreak>,
    /// Judges' totals for one entry further apart than this flag the entry for the chair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub spread: Option<Tenths>,
}

/// A score in ten-thousandths of a point: equal scores compare equal however they were summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score(i64);

impl Score {
    pub fn from_points(points: f64) -> Score {
        Score((points * 10_000.0).round() as i64)
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10_000.0
    }
}

impl Serialize for Score {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

/// Places are shared inside a nomination and age group only.
pub type Group = (Option<String>, Option<String>);

pub struct Candidate {
    pub entry_id: String,
    pub group: Group,
    /// Ranked and shown, never awarded, and taking no place from the others.
    pub out_of_competition: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub entry_id: String,
    pub group: Group,
    pub score: Option<Score>,
    /// For an entry out of competition, where it would stand among those competing.
    pub place: Option<u32>,
    pub award: Award,
    pub out_of_competition: bool,
    /// The organizer's band the score falls in, by its label.
    pub band: Option<String>,
    /// Equal to another entry even after the tie rule's criterion: the chair decides.
    pub chair_decides: bool,
    /// The judges' totals differ by more than the organizer's spread.
    pub disagreement: bool,
}

/// Each judge's weighted total per entry: Σ points × weight over that judge's sheet.
pub fn judge_totals(criteria: &[Criterion], marks: &[Mark]) -> HashMap<String, Vec<f64>> {
    let weights: HashMap<&str, f64> = criteria.iter().map(|c| (c.id.as_str(), c.weight.0)).collect();
    let mut sheets: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for mark in marks {
        let weight = weights.get(mark.criterion_id.as_str()).copied().unwrap_or(0.0);
        *sheets
            .entry((mark.entry_id.as_str(), mark.judge_id.as_str()))
            .or_default() += mark.points.as_f64() * weight;
    }
    let mut totals: HashMap<String, Vec<f64>> = HashMap::new();
    for ((entry, _), total) in sheets {
        totals.entry(entry.to_string()).or_default().push(total);
    }
    totals
}

/// Each entry's aggregate on one criterion across its judges (weighted as in the total): what the
/// tie rule compares when final scores are equal.
pub fn criterion_scores(criteria: &[Criterion], rules: &JuryRules, marks: &[Mark]) -> HashMap<String, Score> {
    let Some(tie) = &rules.tie_break else {
        return HashMap::new();
    };
    let only: Vec<Criterion> = criteria
        .iter()
        .filter(|c| c.id == tie.criterion_id)
        .cloned()
        .collect();
    let on_it: Vec<Mark> = marks
        .iter()
        .filter(|m| m.criterion_id == tie.criterion_id)
        .cloned()
        .collect();
    judge_totals(&only, &on_it)
        .into_iter()
        .filter_map(|(entry, totals)| Some((entry, Score::from_points(rules.aggregation.combine(&totals)?))))
        .collect()
}

/// Ranks every candidate inside its group (equal scores share a place, the next place skips) and
/// gives the award the rules say. Unscored entries get no place and a participation certificate;
/// entries out of competition get a participation certificate and are not counted in anyone's place.
/// The result is ordered by group, then place.
pub fn rank(
    criteria: &[Criterion],
    rules: &JuryRules,
    candidates: &[Candidate],
    totals: &HashMap<String, Vec<f64>>,
) -> Vec<Ranked> {
    rank_with_ties(
        criteria,
        rules,
        candidates,
        totals,
        &HashMap::new(),
        &HashMap::new(),
    )
}

/// [`rank`], with the tie rule's criterion scores (see [`criterion_scores`]) telling equal final
/// scores apart; entries equal on both are flagged for the chair, until the chair's order
/// (`chair_order`: entry → position, 1 first) covers every entry of such a tie: then it decides.
pub fn rank_with_ties(
    criteria: &[Criterion],
    rules: &JuryRules,
    candidates: &[Candidate],
    totals: &HashMap<String, Vec<f64>>,
    tie_scores: &HashMap<String, Score>,
    chair_order: &HashMap<String, u32>,
) -> Vec<Ranked> {
    let per_judge: f64 = criteria
        .iter()
        .map(|c| f64::from(c.max_points.0) * c.weight.0)
        .sum();
    let spread = rules.spread.map(|s| Score::from_points(s.as_f64()));
    let mut groups: BTreeMap<&Group, Vec<Standing>> = BTreeMap::new();
    for (index, candidate) in candidates.iter().enumerate() {
        let judges = totals.get(&candidate.entry_id).map_or(&[][..], Vec::as_slice);
        let score = rules.aggregation.combine(judges).map(Score::from_points);
        let maximum = Score::from_points(rules.aggregation.maximum(per_judge, judges.len()));
        let (low, high) = judges
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), t| (l.min(*t), h.max(*t)));
        let disagreement = judges.len() > 1 && spread.is_some_and(|s| Score::from_points(high - low) > s);
        let tie = rules
            .tie_break
            .as_ref()
            .and_then(|_| tie_scores.get(&candidate.entry_id).copied());
        groups.entry(&candidate.group).or_default().push(Standing {
            index,
            key: score.map(|s| (s, tie, None)),
            maximum,
            competing: !candidate.out_of_competition,
            disagreement,
        });
    }
    let mut ranked = Vec::with_capacity(candidates.len());
    for members in groups.values_mut() {
        if rules.tie_break.is_some() {
            apply_chair_order(members, candidates, chair_order);
        }
        // Stable: equal scores keep the upload order.
        members.sort_by_key(|m| std::cmp::Reverse(m.key));
        let keys: Vec<Key> = members
            .iter()
            .filter(|m| m.competing)
            .filter_map(|m| m.key)
            .collect();
        let top_is_unique = keys.len() == 1 || (keys.len() > 1 && keys[0] > keys[1]);
        for standing in members.iter() {
            let place = standing
                .key
                .map(|k| 1 + keys.iter().filter(|o| **o > k).count() as u32);
            let sharing = standing
                .key
                .map_or(0, |k| keys.iter().filter(|o| **o == k).count());
            let score = standing.key.map(|(s, ..)| s);
            let band = match (&rules.award_rule, score) {
                (AwardRule::Bands { bands }, Some(score)) => bands
                    .list()
                    .iter()
                    .find(|b| score >= Score::from_points(b.min.as_f64())),
                _ => None,
            };
            let passes = |score: Score| {
                rules
                    .pass_min
                    .is_none_or(|min| score >= Score::from_points(min.as_f64()))
            };
            let award = match (score, place) {
                (Some(score), Some(_)) if standing.competing && !passes(score) => Award::Participant,
                (Some(_), Some(_)) if standing.competing && band.is_some() => {
                    band.map_or(Award::Participant, |b| b.award)
                }
                (Some(score), Some(place)) if standing.competing => {
                    award_for(&rules.award_rule, score, place, standing.maximum, top_is_unique)
                }
                _ => Award::Participant,
            };
            ranked.push(Ranked {
                entry_id: candidates[standing.index].entry_id.clone(),
                group: candidates[standing.index].group.clone(),
                score,
                place,
                award,
                out_of_competition: !standing.competing,
                band: band.map(|b| b.label.clone()),
                chair_decides: rules.tie_break.is_some() && standing.competing && sharing > 1,
                disagreement: standing.disagreement,
            });
        }
    }
    ranked
}

/// The final score, then the tie rule's criterion score when there is one, then the chair's order
/// where the chair decided a tie the rule left (a lower position first).
type Key = (Score, Option<Score>, Option<std::cmp::Reverse<u32>>);

/// Where competing entries are equal on the score and the tie rule's criterion, the chair's
/// positions decide, once the chair placed every one of them at a different position; a decision
/// that no longer covers the tie as it stands (scores changed since) decides nothing.
fn apply_chair_order(members: &mut [Standing], candidates: &[Candidate], chair_order: &HashMap<String, u32>) {
    let mut ties: BTreeMap<(Score, Option<Score>), Vec<usize>> = BTreeMap::new();
    for (at, m) in members.iter().enumerate() {
        if let (true, Some((score, tie, _))) = (m.competing, m.key) {
            ties.entry((score, tie)).or_default().push(at);
        }
    }
    for tied in ties.into_values().filter(|t| t.len() > 1) {
        let positions: Option<Vec<u32>> = tied
            .iter()
            .map(|&at| chair_order.get(&candidates[members[at].index].entry_id).copied())
            .collect();
        let Some(positions) = positions else { continue };
        let mut distinct = positions.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() != positions.len() {
            continue;
        }
        for (&at, position) in tied.iter().zip(positions) {
            if let Some(key) = members[at].key.as_mut() {
                key.2 = Some(std::cmp::Reverse(position));
            }
        }
    }
}

/// An entry inside its group: its aggregate and the best aggregate it could have reached.
#[derive(Clone, Copy)]
struct Standing {
    index: usize,
    key: Option<Key>,
    maximum: Score,
    competing: bool,
    disagreement: bool,
}

fn award_for(rule: &AwardRule, score: Score, place: u32, maximum: Score, top_is_unique: bool) -> Award {
    let reaches = |share: Share| score >= Score::from_points(share.0 * maximum.as_f64());
    let prize = match rule {
        AwardRule::Places {
            grand_prix_min_share: Some(share),
            ..
        } if place == 1 && top_is_unique && reaches(*share) => Award::GrandPrix,
        AwardRule::Places { .. } => match place {
            1..=3 => Award::Place(place as u8),
            _ => Award::Participant,
        },
        AwardRule::DegreesByShare { thresholds, .. } => (1u8..=3)
            .zip(thresholds.0)
            .find(|(_, share)| reaches(*share))
            .map_or(Award::Participant, |(degree, _)| Award::Degree(degree)),
        // A score under every band: nothing but participation.
        AwardRule::Bands { .. } => Award::Participant,
    };
    match rule.laureates() {
        Some(laureates) if prize == Award::Participant && laureates.include(place, reaches) => {
            Award::Laureate
        }
        _ => prize,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(id: &str, max: i64, weight: f64) -> Criterion {
        Criterion {
            id: id.into(),
            name: id.into(),
            max_points: MaxPoints::new(max).unwrap(),
            weight: Weight::new(weight).unwrap(),
            step: Step::Whole,
        }
    }

    fn mark(judge: &str, entry: &str, criterion: &str, points: u32) -> Mark {
        Mark {
            judge_id: judge.into(),
            entry_id: entry.into(),
            criterion_id: criterion.into(),
            points: Tenths::new(i64::from(points) * 10),
        }
    }

    fn candidates(ids: &[&str]) -> Vec<Candidate> {
        ids.iter()
            .map(|id| Candidate {
                entry_id: id.to_string(),
                group: (Some("N".into()), None),
                out_of_competition: false,
            })
            .collect()
    }

    fn totals(pairs: &[(&str, &[f64])]) -> HashMap<String, Vec<f64>> {
        pairs.iter().map(|(id, t)| (id.to_string(), t.to_vec())).collect()
    }

    #[test]
    fn points_stay_within_the_criterion() {
        let max = MaxPoints::new(10).unwrap();
        let whole = |p: i64| Points::new(Tenths::new(p * 10), max, Step::Whole);
        assert!(whole(0).is_some());
        assert!(whole(10).is_some());
        assert!(whole(11).is_none());
        assert!(whole(-1).is_none());
        assert!(Points::new(Tenths::new(5), max, Step::Whole).is_none());
        assert!(Points::new(Tenths::new(95), max, Step::Half).is_some());
        assert!(Points::new(Tenths::new(93), max, Step::Half).is_none());
        assert!(Points::new(Tenths::new(93), max, Step::Tenth).is_some());
        assert!(MaxPoints::new(0).is_none());
        assert!(Weight::new(0.0).is_none());
        assert!(Weight::new(f64::NAN).is_none());
    }

    #[test]
    fn judge_totals_weigh_each_criterion() {
        let criteria = [criterion("a", 10, 1.0), criterion("b", 10, 2.0)];
        let marks = [
            mark("j1", "e", "a", 5),
            mark("j1", "e", "b", 4),
            mark("j2", "e", "a", 10),
            mark("j2", "e", "b", 0),
        ];
        let mut got = judge_totals(&criteria, &marks)["e"].clone();
        got.sort_by(f64::total_cmp);
        assert_eq!(got, vec![10.0, 13.0]);
    }

    #[test]
    fn aggregates_sum_mean_and_trimmed_mean() {
        let totals = [10.0, 20.0, 60.0];
        assert_eq!(Aggregation::Sum.combine(&totals), Some(90.0));
        assert_eq!(Aggregation::Mean.combine(&totals), Some(30.0));
        assert_eq!(Aggregation::TrimmedMean.combine(&totals), Some(20.0));
        assert_eq!(Aggregation::TrimmedMean.combine(&[10.0, 20.0]), Some(15.0));
        assert_eq!(Aggregation::Mean.combine(&[]), None);
        assert_eq!(Aggregation::Sum.maximum(30.0, 3), 90.0);
        assert_eq!(Aggregation::TrimmedMean.maximum(30.0, 3), 30.0);
    }

    #[test]
    fn ties_share_a_place_and_the_next_place_skips() {
        let criteria = [criterion("a", 10, 1.0)];
        let rules = JuryRules::default();
        let scores = totals(&[("a", &[9.0]), ("b", &[9.0]), ("c", &[8.0]), ("d", &[7.0])]);
        let ranked = rank(
            &criteria,
            &rules,
            &candidates(&["a", "b", "c", "d", "e"]),
            &scores,
        );
        let places: Vec<_> = ranked
            .iter()
            .map(|r| (r.entry_id.as_str(), r.place, r.award))
            .collect();
        assert_eq!(
            places,
            vec![
                ("a", Some(1), Award::Place(1)),
                ("b", Some(1), Award::Place(1)),
                ("c", Some(3), Award::Place(3)),
                ("d", Some(4), Award::Participant),
                ("e", None, Award::Participant),
            ]
        );
    }

    #[test]
    fn groups_are_ranked_apart() {
        let criteria = [criterion("a", 10, 1.0)];
        let mut list = candidates(&["a", "b"]);
        list[1].group = (Some("M".into()), None);
        let scores = totals(&[("a", &[3.0]), ("b", &[2.0])]);
        let ranked = rank(&criteria, &JuryRules::default(), &list, &scores);
        assert!(ranked.iter().all(|r| r.place == Some(1)));
    }

    #[test]
    fn grand_prix_needs_a_unique_top_above_the_threshold() {
        let criteria = [criterion("a", 10, 1.0)];
        let rules = JuryRules {
            aggregation: Aggregation::Mean,
            award_rule: AwardRule::Places {
                grand_prix_min_share: Some(Share(0.9)),
                laureates: None,
            },
            ..JuryRules::default()
        };
        let unique = totals(&[("a", &[9.5]), ("b", &[9.0])]);
        let ranked = rank(&criteria, &rules, &candidates(&["a", "b"]), &unique);
        assert_eq!(ranked[0].award, Award::GrandPrix);
        assert_eq!(ranked[1].award, Award::Place(2));
        let tied = totals(&[("a", &[9.5]), ("b", &[9.5])]);
        let ranked = rank(&criteria, &rules, &candidates(&["a", "b"]), &tied);
        assert!(ranked.iter().all(|r| r.award == Award::Place(1)));
        let low = totals(&[("a", &[8.0])]);
        let ranked = rank(&criteria, &rules, &candidates(&["a"]), &low);
        assert_eq!(ranked[0].award, Award::Place(1));
    }

    #[test]
    fn degrees_follow_the_share_of_the_maximum() {
        let criteria = [criterion("a", 10, 2.0)];
        let rules = JuryRules {
            aggregation: Aggregation::Sum,
            award_rule: AwardRule::DegreesByShare {
                thresholds: DegreeThresholds::default(),
                laureates: None,
            },
            ..JuryRules::default()
        };
        // Two judges, so the maximum is 40.
        let scores = totals(&[
            ("a", &[20.0, 16.0]),
            ("b", &[15.0, 15.0]),
            ("c", &[12.0, 12.0]),
            ("d", &[11.0, 12.0]),
        ]);
        let ranked = rank(&criteria, &rules, &candidates(&["a", "b", "c", "d"]), &scores);
        let awards: Vec<_> = ranked.iter().map(|r| r.award).collect();
        assert_eq!(
            awards,
            vec![
                Award::Degree(1),
                Award::Degree(2),
                Award::Degree(3),
                Award::Participant
            ]
        );
    }

    #[test]
    fn rules_are_read_from_json_and_checked() {
        let rules: JuryRules = serde_json::from_str(
            r#"{"aggregation":"trimmed_mean","award_rule":{"kind":"degrees_by_share","thresholds":[0.8,0.7,0.5]}}"#,
        )
        .unwrap();
        assert_eq!(rules.aggregation, Aggregation::TrimmedMean);
        let bad = r#"{"award_rule":{"kind":"degrees_by_share","thresholds":[0.5,0.7,0.8]}}"#;
        assert!(serde_json::from_str::<JuryRules>(bad).is_err());
        assert!(serde_json::from_str::<JuryRules>(r#"{"aggregation":"median"}"#).is_err());
        let judge = Judge {
            id: "j".into(),
            competition_id: "c".into(),
            name: "J".into(),
            organization: "Школа  №1".into(),
        };
        assert!(judge.has_conflict_with(Some("школа №1")));
        assert!(!judge.has_conflict_with(Some("Школа №2")));
        assert!(!judge.has_conflict_with(None));
    }

    fn awards(ranked: &[Ranked]) -> Vec<(&str, Option<u32>, Award)> {
        ranked
            .iter()
            .map(|r| (r.entry_id.as_str(), r.place, r.award))
            .collect()
    }

    #[test]
    fn laureates_follow_the_prize_places_down_to_a_place_or_a_share() {
        let criteria = [criterion("a", 10, 1.0)];
        let scores = totals(&[
            ("a", &[10.0]),
            ("b", &[9.0]),
            ("c", &[8.0]),
            ("d", &[7.0]),
            ("e", &[6.0]),
            ("f", &[6.0]),
            ("g", &[2.0]),
        ]);
        let list = candidates(&["a", "b", "c", "d", "e", "f", "g"]);
        let rule = |laureates| JuryRules {
            aggregation: Aggregation::Mean,
            award_rule: AwardRule::Places {
                grand_prix_min_share: None,
                laureates,
            },
            ..JuryRules::default()
        };
        let by_place = rank(&criteria, &rule(Laureates::new(Some(5), None)), &list, &scores);
        assert_eq!(
            awards(&by_place)[3..],
            [
                ("d", Some(4), Award::Laureate),
                ("e", Some(5), Award::Laureate),
                ("f", Some(5), Award::Laureate),
                ("g", Some(7), Award::Participant),
            ],
            "a tie at the last laureate place is laureate too"
        );
        let by_share = rank(
            &criteria,
            &rule(Laureates::new(None, Some(Share(0.65)))),
            &list,
            &scores,
        );
        let laureates: Vec<_> = by_share
            .iter()
            .filter(|r| r.award == Award::Laureate)
            .map(|r| r.entry_id.as_str())
            .collect();
        assert_eq!(laureates, ["d"]);
        let both = rank(
            &criteria,
            &rule(Laureates::new(Some(4), Some(Share(0.5)))),
            &list,
            &scores,
        );
        assert_eq!(
            both[4].award,
            Award::Participant,
            "place 5 is past the last place"
        );
        assert_eq!(both[0].award, Award::Place(1), "prizes stay prizes");

        let degrees = JuryRules {
            aggregation: Aggregation::Mean,
            award_rule: AwardRule::DegreesByShare {
                thresholds: DegreeThresholds::default(),
                laureates: Laureates::new(None, Some(Share(0.5))),
            },
            ..JuryRules::default()
        };
        let scores = totals(&[("a", &[9.0]), ("b", &[5.5]), ("c", &[4.0])]);
        let ranked = rank(&criteria, &degrees, &candidates(&["a", "b", "c"]), &scores);
        let got: Vec<Award> = ranked.iter().map(|r| r.award).collect();
        assert_eq!(got, [Award::Degree(1), Award::Laureate, Award::Participant]);
    }

    #[test]
    fn laureate_rules_are_checked() {
        let ok: JuryRules =
            serde_json::from_str(r#"{"award_rule":{"kind":"places","laureates":{"down_to_place":6}}}"#)
                .unwrap();
        assert_eq!(ok.award_rule.laureates(), Laureates::new(Some(6), None).as_ref());
        let round_trip: JuryRules = serde_json::from_str(&serde_json::to_string(&ok).unwrap()).unwrap();
        assert_eq!(round_trip, ok);
        for bad in [
            r#"{"award_rule":{"kind":"places","laureates":{}}}"#,
            r#"{"award_rule":{"kind":"places","laureates":{"down_to_place":0}}}"#,
            r#"{"award_rule":{"kind":"places","laureates":{"min_share":1.5}}}"#,
            r#"{"award_rule":{"kind":"places","laureates":{"places":5}}}"#,
        ] {
            assert!(serde_json::from_str::<JuryRules>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn out_of_competition_is_ranked_but_takes_no_place_and_no_award() {
        let criteria = [criterion("a", 10, 1.0)];
        let rules = JuryRules {
            aggregation: Aggregation::Mean,
            award_rule: AwardRule::Places {
                grand_prix_min_share: Some(Share(0.9)),
                laureates: Laureates::new(Some(4), None),
            },
            ..JuryRules::default()
        };
        let mut list = candidates(&["guest", "a", "b", "c", "d"]);
        list[0].out_of_competition = true;
        let scores = totals(&[
            ("guest", &[10.0]),
            ("a", &[9.5]),
            ("b", &[8.0]),
            ("c", &[7.0]),
            ("d", &[6.0]),
        ]);
        let ranked = rank(&criteria, &rules, &list, &scores);
        assert_eq!(
            awards(&ranked),
            [
                ("guest", Some(1), Award::Participant),
                ("a", Some(1), Award::GrandPrix),
                ("b", Some(2), Award::Place(2)),
                ("c", Some(3), Award::Place(3)),
                ("d", Some(4), Award::Laureate),
            ]
        );
        assert!(ranked[0].out_of_competition);
        assert!(!ranked[1].out_of_competition);
    }

    #[test]
    fn threshold_bands_ties_and_spread_as_regulations_write_them() {
        let criteria = [criterion("idea", 10, 1.0), criterion("work", 10, 1.0)];
        let rules: JuryRules = serde_json::from_str(
            r#"{"aggregation":"mean","pass_min":7.6,
                "award_rule":{"kind":"bands","bands":[
                  {"label":"высокий","min":15.1,"award":"degree_1"},
                  {"label":"выше среднего","min":10.1,"award":"degree_2"},
                  {"label":"средний","min":5.1,"award":"degree_3"},
                  {"label":"ниже среднего","min":2.6,"award":"participant"},
                  {"label":"низкий","min":0,"award":"participant"}]},
                "tie_break":{"criterion_id":"idea"},"spread":3}"#,
        )
        .unwrap();
        let marks = [
            // a and b tie on the total, a wins on the idea.
            ("j1", "a", 9.5, 8.0),
            ("j2", "a", 9.0, 8.5),
            ("j1", "b", 8.0, 9.5),
            ("j2", "b", 8.5, 9.0),
            // c and d tie on both: the chair decides.
            ("j1", "c", 6.0, 6.0),
            ("j1", "d", 6.0, 6.0),
            // e: judges 4 points apart, and under the threshold.
            ("j1", "e", 5.0, 5.0),
            ("j2", "e", 1.0, 1.0),
        ];
        let marks: Vec<Mark> = marks
            .iter()
            .flat_map(|(j, e, idea, work)| {
                [("idea", idea), ("work", work)].map(|(c, p)| Mark {
                    judge_id: j.to_string(),
                    entry_id: e.to_string(),
                    criterion_id: c.into(),
                    points: Tenths::from_points(*p).unwrap(),
                })
            })
            .collect();
        let totals = judge_totals(&criteria, &marks);
        let ties = criterion_scores(&criteria, &rules, &marks);
        let list = candidates(&["b", "a", "c", "d", "e"]);
        let ranked = rank_with_ties(&criteria, &rules, &list, &totals, &ties, &HashMap::new());
        let got: Vec<_> = ranked
            .iter()
            .map(|r| {
                (
                    r.entry_id.as_str(),
                    r.place,
                    r.award,
                    r.band.as_deref(),
                    r.chair_decides,
                    r.disagreement,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some(1), Award::Degree(1), Some("высокий"), false, false),
                ("b", Some(2), Award::Degree(1), Some("высокий"), false, false),
                ("c", Some(3), Award::Degree(2), Some("выше среднего"), true, false),
                ("d", Some(3), Award::Degree(2), Some("выше среднего"), true, false),
                ("e", Some(5), Award::Participant, Some("средний"), false, true),
            ]
        );
        assert_eq!(ranked[4].score, Some(Score::from_points(6.0)));

        // The chair puts d before c: places 3 and 4, nothing left for the chair. An order that
        // leaves one of the tied out, or gives two the same position, decides nothing.
        let place_of = |order: &[(&str, u32)]| {
            let order: HashMap<String, u32> = order.iter().map(|(e, p)| (e.to_string(), *p)).collect();
            rank_with_ties(&criteria, &rules, &list, &totals, &ties, &order)
                .into_iter()
                .filter(|r| r.entry_id == "c" || r.entry_id == "d")
                .map(|r| (r.entry_id, r.place, r.chair_decides))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            place_of(&[("d", 1), ("c", 2)]),
            [
                ("d".to_string(), Some(3), false),
                ("c".to_string(), Some(4), false)
            ]
        );
        for partial in [&[("d", 1)][..], &[("d", 1), ("c", 1)][..]] {
            assert_eq!(
                place_of(partial),
                [("c".to_string(), Some(3), true), ("d".to_string(), Some(3), true)]
            );
        }
    }
}
