//! Statutory time limits (thời hạn giải quyết) and Vietnam time.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, UtcOffset};

/// Vietnam's offset from UTC (+07:00). Calendar days, the early/on-time
/// boundary and report periods are all taken in this offset.
pub const VIETNAM_OFFSET: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// Returns the calendar day of `instant` in Vietnam time.
pub fn vietnam_date(instant: OffsetDateTime) -> Date {
    instant.to_offset(VIETNAM_OFFSET).date()
}

/// Returns 00:00 Vietnam time at the start of `date`, as an instant.
pub fn start_of_day(date: Date) -> OffsetDateTime {
    date.midnight().assume_offset(VIETNAM_OFFSET)
}

/// The unit a time limit is expressed in (`DonViTinh` in the national feed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
