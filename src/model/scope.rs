//! What a report covers: a scope (which dossiers) and a period (which days).

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::id::{AgencyCode, Field, ProcedureCode};
use crate::model::agency::Level;
use crate::model::time_limit::start_of_day;
use crate::{Error, Result};

/// Which dossiers a report counts. A dossier counts for the agency responsible at
/// receipt; transfers do not move it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Every dossier in the store.
    All,
    /// Dossiers received by one agency itself.
    Agency(AgencyCode),
    /// Dossiers received by an agency and all its descendants.
    Subtree(AgencyCode),
    /// Dossiers received by agencies of a level.
    Level(Level),
    /// Dossiers of procedures in a field.
    Field(Field),
    /// Dossiers of one procedure.
    Procedure(ProcedureCode),
}

impl Scope {
    /// One agency itself.
    pub fn agency(code: &AgencyCode) -> Self {
        Self::Agency(code.clone())
    }
    /// An agency and all its descendants.
    pub fn subtree(code: &AgencyCode) -> Self {
        Self::Subtree(code.clone())
    }
}

/// A closed range of calendar days `[from, to]` in Vietnam time.
///
/// ```
/// use cchc::Period;
/// use time::macros::date;
/// let q = Period::quarter(2024, 1)?;
/// assert_eq!((q.from(), q.to()), (date!(2024 - 01 - 01), date!(2024 - 03 - 31)));
/// assert!(Period::new(date!(2024 - 02 - 01), date!(2024 - 01 - 31)).is_err());
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    from: Date,
    to: Date,
}

impl Period {
    /// The days from `from` to `to`, both included (for example the 15th-to-14th
    /// periods some provinces use).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `to` is before `from` or is the last representable day.
    pub fn new(from: Date, to: Date) -> Result<Self> {
        if to < from {
            return Err(Error::invalid("period", format!("ends ({to}) before it starts ({from})")));
        }
        if to.next_day().is_none() {
            return Err(Error::invalid("period", "ends on the last representable day"));
        }
        Ok(Self { from, to })
    }

    /// One day.
    ///
    /// # Errors
    /// As [`Period::new`].
    pub fn day(day: Date) -> Result<Self> {
        Self::new(day, day)
    }

    /// A calendar month.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a month outside 1–12 or a year out of range.
    pub fn month(year: i32, month: u8) -> Result<Self> {
        let m = Month::try_from(month)
            .map_err(|_| Error::invalid("period.month", format!("{month} is not 1–12")))?;
        let from = Date::from_calendar_date(year, m, 1)
            .map_err(|e| Error::invalid("period.year", e.to_string()))?;
        let to = Date::from_calendar_date(year, m, m.length(year))
            .map_err(|e| Error::invalid("period.year", e.to_string()))?;
        Self::new(from, to)
    }

    /// A quarter (1–4).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a quarter outside 1–4 or a year out of range.
    pub fn quarter(year: i32, quarter: u8) -> Result<Self> {
        if !(1..=4).contains(&quarter) {
            return Err(Error::invalid("period.quarter", format!("{quarter} is not 1–4")));
        }
        let first = Self::month(year, quarter * 3 - 2)?;
        let last = Self::month(year, quarter * 3)?;
        Self::new(first.from, last.to)
    }

    /// A calendar year.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a year out of range.
    pub fn year(year: i32) -> Result<Self> {
        Self::new(Self::month(year, 1)?.from, Self::month(year, 12)?.to)
    }

    /// Returns the first day.
    pub fn from(&self) -> Date {
        self.from
    }
    /// Returns the last day.
    pub fn to(&self) -> Date {
        self.to
    }
    /// Returns the day after the last day (where in-progress counts are taken).
    pub fn end_day(&self) -> Date {
        self.to.next_day().unwrap_or(self.to)
    }
    /// Returns 00:00 (UTC+7) of the first day.
    pub fn start_instant(&self) -> OffsetDateTime {
        start_of_day(self.from)
    }
    /// Returns 00:00 (UTC+7) of the day after the last day: the end of the period.
    pub fn end_instant(&self) -> OffsetDateTime {
        start_of_day(self.end_day())
    }
    /// Returns whether `day` is in the period.
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} – {}", self.from, self.to)
    }
}
