//! Statutory time limits (thời hạn giải quyết) and Vietnam time.

use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::{Error, Result};

/// Vietnam's offset from UTC (+07:00). Calendar days, the early/on-time
/// boundary and report periods are all taken in this offset.
pub const VIETNAM_OFFSET: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The first day of the supported range (Vietnam time): 1900-01-01.
///
/// Every date and instant a record holds, and every date or instant a query
/// asks about, lies within [`FIRST_SUPPORTED_DATE`]`..=`[`LAST_SUPPORTED_DATE`]
/// in Vietnam time; anything else is refused with [`Error::InvalidInput`]
/// naming the field, at every constructor, store write and import row.
///
/// Why these bounds: they are the span of the crate's lunar calendar and
/// holiday tables ([`crate::model::calendar::holidays`]), so every due date,
/// working-day count and report period of an accepted record is computed with
/// the real public holidays, never with weekends alone; they contain every
/// receipt date a dossier code can carry (2000–2099) and a year after it for
/// the appointments of the last receipts; and the span (201 years) is well
/// inside what `time` can represent and what an `i64` of nanoseconds can
/// measure (±292 years), so no difference or sum of supported instants
/// overflows.
pub const FIRST_SUPPORTED_DATE: Date = date!(1900 - 01 - 01);

/// The last day of the supported range (Vietnam time): 2100-12-31. See
/// [`FIRST_SUPPORTED_DATE`].
pub const LAST_SUPPORTED_DATE: Date = date!(2100 - 12 - 31);

fn range_text() -> String {
    format!("the supported range {FIRST_SUPPORTED_DATE}..={LAST_SUPPORTED_DATE} (Vietnam time)")
}

/// Refuses a date outside the supported range.
pub(crate) fn check_date(field: &'static str, date: Date) -> Result<()> {
    if (FIRST_SUPPORTED_DATE..=LAST_SUPPORTED_DATE).contains(&date) {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("{date} is outside {}", range_text())))
    }
}

/// Refuses a year outside the supported range.
pub(crate) fn check_year(field: &'static str, year: i32) -> Result<()> {
    if (FIRST_SUPPORTED_DATE.year()..=LAST_SUPPORTED_DATE.year()).contains(&year) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!(
                "{year} is outside the supported years {}..={}",
                FIRST_SUPPORTED_DATE.year(),
                LAST_SUPPORTED_DATE.year()
            ),
        ))
    }
}

/// Refuses an instant whose Vietnam date is outside the supported range
/// (including instants whose Vietnam date `time` cannot even represent).
pub(crate) fn check_instant(field: &'static str, instant: OffsetDateTime) -> Result<()> {
    match instant.checked_to_offset(VIETNAM_OFFSET) {
        Some(local) if (FIRST_SUPPORTED_DATE..=LAST_SUPPORTED_DATE).contains(&local.date()) => {
            Ok(())
        }
        _ => Err(Error::invalid(
            field,
            format!("{} is outside {}", instant_text(instant), range_text()),
        )),
    }
}

/// An instant as RFC 3339 for error messages (the debug form if it cannot be).
fn instant_text(instant: OffsetDateTime) -> String {
    instant
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| format!("{instant:?}"))
}

/// Returns the calendar day of `instant` in Vietnam time.
///
/// Total: an instant whose Vietnam date `time` cannot represent (the last
/// seven hours of year 9999 in UTC, or an instant before year -9999) gives
/// `Date::MAX` (`Date::MIN`) instead of panicking. Such instants are far
/// outside the [supported range](FIRST_SUPPORTED_DATE), which every record and
/// query is checked against, so stored data never reaches the clamp.
pub fn vietnam_date(instant: OffsetDateTime) -> Date {
    match instant.checked_to_offset(VIETNAM_OFFSET) {
        Some(local) => local.date(),
        None if instant.unix_timestamp() > 0 => Date::MAX,
        None => Date::MIN,
    }
}

/// Returns 00:00 Vietnam time at the start of `date`, as an instant (in
/// [`VIETNAM_OFFSET`]). Total for every `Date`; for `Date::MIN` the instant
/// lies seven hours before the first instant `time` can express in UTC, so
/// compare it, do not convert it to UTC.
pub fn start_of_day(date: Date) -> OffsetDateTime {
    date.midnight().assume_offset(VIETNAM_OFFSET)
}

/// The unit a time limit is expressed in (`DonViTinh` in the national feed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Working hours over the agency's working-time table.
    WorkingHours,
    /// Working days; one working day is eight working hours.
    WorkingDays,
    /// Calendar days.
    CalendarDays,
    /// Calendar months.
    Months,
}

/// A time limit: an amount and its unit. An amount of 0 means the result is
/// given immediately (trả kết quả ngay).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeLimit {
    /// How many units.
    pub amount: u32,
    /// The unit.
    pub unit: TimeUnit,
}

impl TimeLimit {
    /// A limit of `amount` working days.
    pub const fn working_days(amount: u32) -> Self {
        Self { amount, unit: TimeUnit::WorkingDays }
    }

    /// A limit of `amount` working hours.
    pub const fn working_hours(amount: u32) -> Self {
        Self { amount, unit: TimeUnit::WorkingHours }
    }

    /// A limit of `amount` calendar days.
    pub const fn calendar_days(amount: u32) -> Self {
        Self { amount, unit: TimeUnit::CalendarDays }
    }

    /// A limit of `amount` calendar months.
    pub const fn months(amount: u32) -> Self {
        Self { amount, unit: TimeUnit::Months }
    }
}

impl std::fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            TimeUnit::WorkingHours => "working hours",
            TimeUnit::WorkingDays => "working days",
            TimeUnit::CalendarDays => "calendar days",
            TimeUnit::Months => "months",
        };
        write!(f, "{} {unit}", self.amount)
    }
}
