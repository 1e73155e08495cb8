//! The period a report covers: a quarter, a half-year, a year, an academic year (1 September to
//! 31 August), or any two dates; and the period before it, for the figures beside.

use time::{Date, Month};

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Quarter(u8),
    Half(u8),
    Year,
    AcademicYear,
    Dates,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    pub preset: Preset,
}

fn date(year: i32, month: u8, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// The last day of `month` of `year`.
fn month_end(year: i32, month: u8) -> Option<Date> {
    let next = if month == 12 {
        date(year + 1, 1, 1)?
    } else {
        date(year, month + 1, 1)?
    };
    next.previous_day()
}

impl Period {
    /// `2025-q2`, `2025-h1`, `2025`, `2025-2026` (academic year).
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim().to_lowercase();
        let (year, rest) = text.split_once('-').map_or((text.as_str(), ""), |(y, r)| (y, r));
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        let period = match rest {
            "" => Period {
                from: date(year, 1, 1)?,
                to: date(year, 12, 31)?,
                preset: Preset::Year,
            },
            "q1" | "q2" | "q3" | "q4" => {
                let q = rest[1..].parse::<u8>().ok()?;
                Period {
                    from: date(year, (q - 1) * 3 + 1, 1)?,
                    to: month_end(year, q * 3)?,
                    preset: Preset::Quarter(q),
                }
            }
            "h1" | "h2" => {
                let h = rest[1..].parse::<u8>().ok()?;
                Period {
                    from: date(year, (h - 1) * 6 + 1, 1)?,
                    to: month_end(year, h * 6)?,
                    preset: Preset::Half(h),
                }
            }
            next if next.parse::<i32>().ok() == Some(year + 1) => Period {
                from: date(year, 9, 1)?,
                to: date(year + 1, 8, 31)?,
                preset: Preset::AcademicYear,
            },
            _ => return None,
        };
        Some(period)
    }

    /// Any two dates, the first not after the second.
    pub fn between(from: Date, to: Date) -> Option<Period> {
        (from <= to).then_some(Period {
            from,
            to,
            preset: Preset::Dates,
        })
    }

    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }

    /// The period just before, of the same kind: the previous quarter, half-year or year, or as
    /// many days before for two dates.
    pub fn previous(&self) -> Option<Period> {
        let year = self.from.year();
        let named = match self.preset {
            Preset::Quarter(1) => format!("{}-q4", year - 1),
            Preset::Quarter(q) => format!("{year}-q{}", q - 1),
            Preset::Half(1) => format!("{}-h2", year - 1),
            Preset::Half(_) => format!("{year}-h1"),
            Preset::Year => format!("{}", year - 1),
            Preset::AcademicYear => format!("{}-{year}", year - 1),
            Preset::Dates => {
                let days = (self.to - self.from).whole_days();
                let to = self.from.previous_day()?;
                let from = to.checked_sub(time::Duration::days(days))?;
                return Period::between(from, to);
            }
        };
        Period::parse(&named)
    }

    /// "1 полугодие 2025 года", "2025 жылдың 2-тоқсаны", "the 2025–2026 academic year".
    pub fn label(&self, lang: Lang) -> String {
        let y = self.from.year();
        match (self.preset, lang) {
            (Preset::Quarter(q), Lang::Ru) => format!("{q} квартал {y} года"),
            (Preset::Quarter(q), Lang::Kk) => format!("{y} жылдың {q}-тоқсаны"),
            (Preset::Quarter(q), Lang::En) => format!("Q{q} {y}"),
            (Preset::Half(h), Lang::Ru) => format!("{h} полугодие {y} года"),
            (Preset::Half(h), Lang::Kk) => format!("{y} жылдың {h}-жартыжылдығы"),
            (Preset::Half(h), Lang::En) => format!("H{h} {y}"),
            (Preset::Year, Lang::Ru) => format!("{y} год"),
            (Preset::Year, Lang::Kk) => format!("{y} жыл"),
            (Preset::Year, Lang::En) => format!("{y}"),
            (Preset::AcademicYear, Lang::Ru) => format!("{y}–{} учебный год", y + 1),
            (Preset::AcademicYear, Lang::Kk) => format!("{y}–{} оқу жылы", y + 1),
            (Preset::AcademicYear, Lang::En) => format!("the {y}–{} academic year", y + 1),
            (Preset::Dates, _) => format!(
                "{} – {}",
                crate::domain::time::format_date_dotted(self.from),
                crate::domain::time::format_date_dotted(self.to)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_their_previous_periods() {
        let h1 = Period::parse("2025-h1").unwrap();
        assert_eq!(
            (h1.from, h1.to),
            (date(2025, 1, 1).unwrap(), date(2025, 6, 30).unwrap())
        );
        assert_eq!(h1.previous(), Period::parse("2024-h2"));
        let q1 = Period::parse("2025-Q1").unwrap();
        assert_eq!(q1.to, date(2025, 3, 31).unwrap());
        assert_eq!(q1.previous(), Period::parse("2024-q4"));
        let academic = Period::parse("2025-2026").unwrap();
        assert_eq!(
            (academic.from, academic.to),
            (date(2025, 9, 1).unwrap(), date(2026, 8, 31).unwrap())
        );
        assert_eq!(h1.label(Lang::Ru), "1 полугодие 2025 года");
        let days = Period::between(date(2025, 3, 1).unwrap(), date(2025, 3, 10).unwrap()).unwrap();
        let before = days.previous().unwrap();
        assert_eq!(
            (before.from, before.to),
            (date(2025, 2, 19).unwrap(), date(2025, 2, 28).unwrap())
        );
        assert_eq!(Period::parse("2025-q5"), None);
        assert_eq!(Period::parse("1999"), None);
    }
}
