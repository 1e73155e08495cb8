//! Scales as regulations write them: points in steps of 1, 0,5 or 0,1 (kept as whole tenths, so
//! 0,5 + 0,5 is exactly 1 and nothing drifts), an absolute pass threshold («не менее 30 баллов»),
//! the organizer's own bands with their labels deciding the award («высокий 7,6–10»), the tie rule
//! and the spread between judges that asks the chair to look again. Pure values.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Award;

/// A number of points in tenths of a point. Made once at the edge from a typed "0,5" or a JSON
/// number; the database keeps the whole tenths, never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Tenths(i64);

/// The largest number of points anything here can be (criteria stop at 1000, sums of judges
/// stay far below).
const LIMIT: i64 = 10_000_000;

impl Tenths {
    pub const fn new(tenths: i64) -> Tenths {
        Tenths(tenths)
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// Points as a number, when it is a whole number of tenths (7.6 is, 7.65 is not).
    pub fn from_points(points: f64) -> Option<Tenths> {
        let scaled = points * 10.0;
        let rounded = scaled.round();
        (points.is_finite() && (scaled - rounded).abs() < 1e-6 && rounded.abs() <= LIMIT as f64)
            .then_some(Tenths(rounded as i64))
    }

    /// Points as people type them: "7", "0,5", "7.6", " 10 ".
    pub fn parse(text: &str) -> Option<Tenths> {
        let text = text.trim().replace(',', ".");
        let plain = !text.is_empty()
            && text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            && text.chars().filter(|c| *c == '.').count() <= 1;
        plain
            .then(|| text.parse::<f64>().ok())
            .flatten()
            .and_then(Tenths::from_points)
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10.0
    }

    /// With a decimal comma, as ru and kk write it: "7,6", "10".
    pub fn with_comma(self) -> String {
        self.to_string().replace('.', ",")
    }
}

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let (whole, tenth) = (self.0.abs() / 10, self.0.abs() % 10);
        match tenth {
            0 => write!(f, "{sign}{whole}"),
            t => write!(f, "{sign}{whole}.{t}"),
        }
    }
}

impl Serialize for Tenths {
    /// A whole number of points as an integer (10, not 10.0), else a decimal (0.5).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 % 10 {
            0 => s.serialize_i64(self.0 / 10),
            _ => s.serialize_f64(self.as_f64()),
        }
    }
}

impl<'de> Deserialize<'de> for Tenths {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Tenths, D::Error> {
        let points = f64::deserialize(d)?;
        Tenths::from_points(points)
            .ok_or_else(|| serde::de::Error::custom(format!("{points}: points go in tenths at most")))
    }
}

/// How finely a criterion is scored: whole points, halves or tenths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Step {
    #[default]
    Whole,
    Half,
    Tenth,
}

impl Step {
    pub fn tenths(self) -> i64 {
        match self {
            Step::Whole => 10,
            Step::Half => 5,
            Step::Tenth => 1,
        }
    }

    pub fn from_tenths(tenths: i64) -> Option<Step> {
        [Step::Whole, Step::Half, Step::Tenth]
            .into_iter()
            .find(|s| s.tenths() == tenths)
    }

    /// Whether the points fall on this step.
    pub fn fits(self, points: Tenths) -> bool {
        points.0 % self.tenths() == 0
    }
}

impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Tenths(self.tenths()).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Step, D::Error> {
        let given = Tenths::deserialize(d)?;
        Step::from_tenths(given.0).ok_or_else(|| serde::de::Error::custom("a step is 1, 0.5 or 0.1"))
    }
}

/// One of the organizer's levels: the label they write («высокий»), the lowest score in it, and
/// the award it brings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub label: String,
    /// The lowest final score in this band; the band ends where the next higher one starts.
    #[schema(value_type = f64, minimum = 0)]
    pub min: Tenths,
    /// An award code such as `degree_1`, `laureate`, `participant`.
    #[serde(with = "award_code")]
    #[schema(value_type = String)]
    pub award: Award,
}

mod award_code {
    use super::Award;

    pub fn serialize<S: serde::Serializer>(award: &Award, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&award.code())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Award, D::Error> {
        let code = <String as serde::Deserialize>::deserialize(d)?;
        Award::from_code(&code)
            .filter(|a| !matches!(a, Award::Letter | Award::Course))
            .ok_or_else(|| serde::de::Error::custom(format!("unknown award {code}")))
    }
}

/// The organizer's bands, highest first, each with a label of its own and a distinct lowest score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Band>", into = "Vec<Band>")]
pub struct Bands(Vec<Band>);

impl TryFrom<Vec<Band>> for Bands {
    type Error = String;
    fn try_from(mut bands: Vec<Band>) -> Result<Bands, String> {
        for band in &mut bands {
            band.label = super::entry::normalize_text(&band.label);
        }
        if bands.is_empty() || bands.len() > 10 {
            return Err("give 1 to 10 bands".into());
        }
        if bands
            .iter()
            .any(|b| b.label.is_empty() || b.label.chars().count() > 100 || b.min.0 < 0)
        {
            return Err("each band needs a label of 1–100 characters and a lowest score of 0 or more".into());
        }
        bands.sort_by_key(|b| std::cmp::Reverse(b.min));
        if bands.windows(2).any(|w| w[0].min == w[1].min) {
            return Err("two bands start at the same score".into());
        }
        Ok(Bands(bands))
    }
}

impl From<Bands> for Vec<Band> {
    fn from(bands: Bands) -> Vec<Band> {
        bands.0
    }
}

impl Bands {
    /// The highest band the score reaches, if any.
    pub fn of(&self, score: Tenths) -> Option<&Band> {
        self.0.iter().find(|b| score >= b.min)
    }

    pub fn list(&self) -> &[Band] {
        &self.0
    }
}

/// How equal final scores are told apart: the named criterion first (its aggregate across the
/// judges); entries equal on that too are left for the chair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TieBreak {
    pub criterion_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_read_as_people_write_them() {
        assert_eq!(Tenths::parse("0,5"), Some(Tenths(5)));
        assert_eq!(Tenths::parse(" 7.6 "), Some(Tenths(76)));
        assert_eq!(Tenths::parse("10"), Some(Tenths(100)));
        assert_eq!(Tenths::parse("7,65"), None);
        assert_eq!(Tenths::parse("1e3"), None);
        assert_eq!(Tenths::parse(""), None);
        assert_eq!(Tenths::parse("пять"), None);
        assert_eq!(Tenths(76).to_string(), "7.6");
        assert_eq!(Tenths(76).with_comma(), "7,6");
        assert_eq!(serde_json::to_string(&Tenths(100)).unwrap(), "10");
        assert_eq!(serde_json::to_string(&Tenths(5)).unwrap(), "0.5");
        assert_eq!(serde_json::from_str::<Tenths>("0.1").unwrap(), Tenths(1));
        assert!(serde_json::from_str::<Tenths>("0.15").is_err());
    }

    #[test]
    fn steps_and_bands_are_checked() {
        assert!(Step::Half.fits(Tenths(15)));
        assert!(!Step::Half.fits(Tenths(12)));
        assert!(!Step::Whole.fits(Tenths(5)));
        assert_eq!(serde_json::from_str::<Step>("0.5").unwrap(), Step::Half);
        assert!(serde_json::from_str::<Step>("0.25").is_err());
        let bands: Bands = serde_json::from_str(
            r#"[{"label":"средний","min":3.1,"award":"degree_3"},
                {"label":"высокий","min":7.6,"award":"degree_1"},
                {"label":"выше среднего","min":5.1,"award":"degree_2"}]"#,
        )
        .unwrap();
        assert_eq!(bands.of(Tenths(80)).unwrap().label, "высокий");
        assert_eq!(bands.of(Tenths(75)).unwrap().award, Award::Degree(2));
        assert!(bands.of(Tenths(30)).is_none());
        let twice = r#"[{"label":"a","min":5,"award":"degree_1"},{"label":"b","min":5,"award":"degree_2"}]"#;
        assert!(serde_json::from_str::<Bands>(twice).is_err());
        let letter = r#"[{"label":"a","min":5,"award":"letter"}]"#;
        assert!(serde_json::from_str::<Bands>(letter).is_err());
    }
}
