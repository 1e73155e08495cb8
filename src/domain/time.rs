use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// Timestamps are stored as RFC 3339 UTC text so both databases sort and compare them alike.
pub fn now_rfc3339() -> String {
    format_timestamp(OffsetDateTime::now_utc())
}

/// Whole seconds only, so stored timestamps compare correctly as text.
pub fn format_timestamp(moment: OffsetDateTime) -> String {
    moment
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).ok()
}

pub fn format_date(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// The way a date is printed on a paper in Kazakhstan and Russia: 23.11.2026.
pub fn format_date_dotted(date: Date) -> String {
    date.format(format_description!("[day].[month].[year]"))
        .unwrap_or_default()
}
