//! The working-day calendar and due dates (thời hạn giải quyết).
//!
//! A [`WorkCalendar`] is data: the weekly rest days, the working-time table
//! ([`WorkingHours`], optionally per weekday), the public holidays with the
//! days off announced each year ([`holidays`], computed from the
//! [`lunar`] calendar), and the agency's own days off and opening days.
//! [`WorkCalendar::vietnam`] is the calendar of Vietnamese civil servants:
//! Saturday and Sunday off, 07:30–11:30 and 13:00–17:00, the statutory
//! holidays with the announced schedules of 2010–2026 and the default rule
//! described in [`holidays`] for other years.
//!
//! Due dates follow the project's decision: a time limit in working days or
//! hours is counted in working time over the table from the receipt instant
//! (N working days = N × 8 working hours), or, in [`CountingMode::WholeDays`],
//! in whole working days with a receipt cut-off (15:00 by default). A time
//! limit of 0 (result given immediately) is due at the end of the working day
//! of receipt, or of the next working day for a dossier received outside
//! working hours or on a day off ([`WorkCalendar::end_of_receipt_day`]).
//!
//! Holidays are known from 1900 to 2100. Outside those years only the weekly
//! rest days and the agency's own days (`with_day_off`, `with_working_day`)
//! apply. Nothing here reads the clock; every instant returned is in
//! [`VIETNAM_OFFSET`].
//!
//! # Examples
//!
//! ```
//! use cchc::model::calendar::{CountingMode, WorkCalendar};
//! use cchc::model::time_limit::TimeLimit;
//! use time::macros::datetime;
//!
//! let calendar = WorkCalendar::vietnam();
//! // Received on Friday 7 February 2025 at 10:00; 3 working days = 24 working hours.
//! let due = calendar.due_instant(
//!     datetime!(2025-02-07 10:00 +7),
//!     TimeLimit::working_days(3),
//!     CountingMode::WorkingTime,
//! )?;
//! assert_eq!(due, datetime!(2025-02-12 10:00 +7));
//! # Ok::<(), cchc::Error>(())
//! ```

pub mod announcement;
pub mod holidays;
pub mod lunar;
mod table;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use time::macros::time;
use time::{Date, Duration, Month, OffsetDateTime, Time, Weekday};

pub use announcement::{AnnouncementScope, CalendarAnnouncement};
pub use holidays::{AnnouncementSource, Holiday, YearSchedule};
pub use lunar::{LunarDate, lunar_to_solar, solar_to_lunar};

use crate::model::time_limit::{TimeLimit, TimeUnit, VIETNAM_OFFSET};
use crate::serde_forms::Readable;
use crate::{Error, Result};

/// How far (in calendar days) a search for a working day goes before it
/// gives up: about ten years.
const MAX_SEARCH_DAYS: u32 = 3_660;

/// One working day in working time: eight hours, whatever the table.
const WORKING_DAY_HOURS: i64 = 8;

/// The standard sessions of state agencies.
const STANDARD_SESSIONS: [(Time, Time); 2] =
    [(time!(7:30), time!(11:30)), (time!(13:00), time!(17:00))];

/// The receipt cut-off of Decree 61/2018 Art. 18.
const DEFAULT_CUTOFF: Time = time!(15:00);

/// A day's working-time table: one or more sessions (ca làm việc), ordered
/// and not overlapping, each within the day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    try_from = "Vec<(Readable<Time>, Readable<Time>)>",
    into = "Vec<(Readable<Time>, Readable<Time>)>"
)]
pub struct WorkingHours {
    sessions: Vec<(Time, Time)>,
}

impl WorkingHours {
    /// Builds a table from `(start, end)` sessions.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when there is no session, a session does not
    /// end after it starts, or a session starts before the previous one ends.
    pub fn new(sessions: Vec<(Time, Time)>) -> Result<Self> {
        if sessions.is_empty() {
            return Err(Error::invalid("working_hours", "at least one session is needed"));
        }
        let mut previous_end: Option<Time> = None;
        for &(start, end) in &sessions {
            if start >= end {
                return Err(Error::invalid(
                    "working_hours",
                    format!("session {start}–{end} does not end after it starts"),
                ));
            }
            if previous_end.is_some_and(|previous| start < previous) {
                return Err(Error::invalid(
                    "working_hours",
                    format!("session {start}–{end} overlaps or precedes the previous one"),
                ));
            }
            previous_end = Some(end);
        }
        Ok(Self { sessions })
    }

    /// Returns the standard table of state agencies: 07:30–11:30 and
    /// 13:00–17:00 (eight hours).
    pub fn standard() -> Self {
        Self { sessions: STANDARD_SESSIONS.to_vec() }
    }

    /// Returns the sessions, in order.
    pub fn sessions(&self) -> &[(Time, Time)] {
        &self.sessions
    }

    /// Returns the working time of one full day.
    pub fn daily_duration(&self) -> Duration {
        self.sessions.iter().map(|&(start, end)| end - start).sum()
    }

    /// The end of the last session.
    fn last_end(&self) -> Time {
        self.sessions.last().map_or(Time::MIDNIGHT, |&(_, end)| end)
    }
}

impl TryFrom<Vec<(Time, Time)>> for WorkingHours {
    type Error = Error;

    fn try_from(sessions: Vec<(Time, Time)>) -> Result<Self> {
        Self::new(sessions)
    }
}

impl From<WorkingHours> for Vec<(Time, Time)> {
    fn from(hours: WorkingHours) -> Self {
        hours.sessions
    }
}

/// The serde form: sessions as `["07:30", "11:30"]` pairs.
impl TryFrom<Vec<(Readable<Time>, Readable<Time>)>> for WorkingHours {
    type Error = Error;

    fn try_from(sessions: Vec<(Readable<Time>, Readable<Time>)>) -> Result<Self> {
        Self::new(sessions.into_iter().map(|(start, end)| (start.0, end.0)).collect())
    }
}

impl From<WorkingHours> for Vec<(Readable<Time>, Readable<Time>)> {
    fn from(hours: WorkingHours) -> Self {
        hours.sessions.into_iter().map(|(start, end)| (Readable(start), Readable(end))).collect()
    }
}

/// How a time limit in working days or hours is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountingMode {
    /// In working time over the working-time table, from the receipt instant
    /// (one working day = eight working hours). The project's default.
    #[default]
    WorkingTime,
    /// In whole working days: the receipt day counts when it is a working day
    /// and the dossier arrived before `cutoff`; the due instant is the end of
    /// the last session of the last counted day.
    WholeDays {
        /// Receipts at or after this time of day count from the next working day.
        #[serde(with = "crate::serde_forms::one")]
        cutoff: Time,
    },
}

impl CountingMode {
    /// Whole days with the 15:00 cut-off of Decree 61/2018 Art. 18.
    pub const fn whole_days() -> Self {
        Self::WholeDays { cutoff: DEFAULT_CUTOFF }
    }
}

/// A working-day calendar: weekly rest days, working hours, holidays and the
/// agency's own exceptions.
///
/// Built with [`WorkCalendar::vietnam`] (or [`WorkCalendar::plain`]) and the
/// `with_*` methods. The day table for 1900–2100 is built on the first query
/// and shared by clones, so build a calendar once and reuse it.
///
/// # Examples
///
/// A one-stop shop open on Saturday mornings:
///
/// ```
/// use cchc::model::calendar::{WorkCalendar, WorkingHours};
/// use time::macros::{date, time};
/// use time::Weekday;
///
/// let shop = WorkCalendar::vietnam()
///     .with_weekend(&[Weekday::Sunday])?
///     .with_hours_on(Weekday::Saturday, WorkingHours::new(vec![(time!(7:30), time!(11:30))])?);
/// assert!(shop.is_working_day(date!(2025 - 03 - 08)));
/// assert!(!shop.is_working_day(date!(2025 - 02 - 01))); // mùng 4 Tết
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CalendarSpec", into = "CalendarSpec")]
pub struct WorkCalendar {
    /// Bit `n` set: the weekday `n` days from Monday is a rest day.
    weekend: u8,
    hours: WorkingHours,
    /// Per-weekday tables, sorted by weekday, at most one per weekday.
    hours_on: Vec<(Weekday, WorkingHours)>,
    /// Whether the statutory holidays (shipped or default schedules) apply.
    public_holidays: bool,
    /// Caller announcements, sorted by year, one per year.
    announcements: Vec<YearSchedule>,
    /// The agency's own days off, sorted, disjoint from `working_days`.
    days_off: Vec<Date>,
    /// The agency's own working days, sorted.
    working_days: Vec<Date>,
    table: table::Cache,
}

/// The serialized form of a [`WorkCalendar`].
#[derive(Serialize, Deserialize)]
struct CalendarSpec {
    #[serde(with = "crate::serde_forms::seq")]
    weekend: Vec<Weekday>,
    hours: WorkingHours,
    hours_on: Vec<(Readable<Weekday>, WorkingHours)>,
    public_holidays: bool,
    announcements: Vec<YearSchedule>,
    #[serde(with = "crate::serde_forms::seq")]
    days_off: Vec<Date>,
    #[serde(with = "crate::serde_forms::seq")]
    working_days: Vec<Date>,
}

impl From<WorkCalendar> for CalendarSpec {
    fn from(calendar: WorkCalendar) -> Self {
        Self {
            weekend: calendar.weekend(),
            hours: calendar.hours,
            hours_on: calendar.hours_on.into_iter().map(|(d, h)| (Readable(d), h)).collect(),
            public_holidays: calendar.public_holidays,
            announcements: calendar.announcements,
            days_off: calendar.days_off,
            working_days: calendar.working_days,
        }
    }
}

impl TryFrom<CalendarSpec> for WorkCalendar {
    type Error = Error;

    fn try_from(spec: CalendarSpec) -> Result<Self> {
        let mut calendar = Self::plain().with_weekend(&spec.weekend)?;
        calendar.public_holidays = spec.public_holidays;
        calendar.hours = spec.hours;
        for (Readable(weekday), hours) in spec.hours_on {
            calendar.set_hours_on(weekday, hours);
        }
        for announcement in spec.announcements {
            calendar.add_announcement(announcement);
        }
        for date in spec.days_off {
            calendar.add_day_off(date);
        }
        for date in spec.working_days {
            calendar.add_working_day(date);
        }
        Ok(calendar)
    }
}

const fn weekday_bit(weekday: Weekday) -> u8 {
    1 << weekday.number_days_from_monday()
}

const SATURDAY_SUNDAY: u8 = weekday_bit(Weekday::Saturday) | weekday_bit(Weekday::Sunday);
const WHOLE_WEEK: u8 = 0x7f;

fn end_of_range(field: &'static str) -> Error {
    Error::invalid(field, "the computation runs past the supported date range")
}

fn no_working_day() -> Error {
    Error::invalid("calendar", "no working day within ten years")
}

impl WorkCalendar {
    /// Returns the calendar of Vietnamese civil servants: Saturday and Sunday
    /// off, 07:30–11:30 and 13:00–17:00, the statutory holidays with the
    /// announced schedules of 2010–2026 and the default rule for the other
    /// years of 1900–2100 (see [`holidays`]).
    pub fn vietnam() -> Self {
        Self { public_holidays: true, ..Self::plain() }
    }

    /// Returns a calendar with Saturday and Sunday off, the standard hours
    /// and no public holidays (announcements added with
    /// [`with_announcement`](Self::with_announcement) still apply).
    pub fn plain() -> Self {
        Self {
            weekend: SATURDAY_SUNDAY,
            hours: WorkingHours::standard(),
            hours_on: Vec::new(),
            public_holidays: false,
            announcements: Vec::new(),
            days_off: Vec::new(),
            working_days: Vec::new(),
            table: table::Cache::default(),
        }
    }

    /// Replaces the weekly rest days.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when all seven days are rest days.
    pub fn with_weekend(mut self, weekend: &[Weekday]) -> Result<Self> {
        self.set_weekend(weekend)?;
        Ok(self)
    }

    /// Replaces the working-time table of every weekday without its own table.
    #[must_use]
    pub fn with_working_hours(mut self, hours: WorkingHours) -> Self {
        self.hours = hours;
        self.table = table::Cache::default();
        self
    }

    /// Gives `weekday` its own working-time table (a shop open on Saturday
    /// mornings). It does not make `weekday` a working day: remove it from
    /// the weekend with [`with_weekend`](Self::with_weekend).
    #[must_use]
    pub fn with_hours_on(mut self, weekday: Weekday, hours: WorkingHours) -> Self {
        self.set_hours_on(weekday, hours);
        self
    }

    /// Makes `date` a day off (the agency's own closing day).
    #[must_use]
    pub fn with_day_off(mut self, date: Date) -> Self {
        self.add_day_off(date);
        self
    }

    /// Makes `date` a working day (a compensatory working Saturday or the
    /// agency's own opening day). It takes precedence over every holiday.
    #[must_use]
    pub fn with_working_day(mut self, date: Date) -> Self {
        self.add_working_day(date);
        self
    }

    /// Replaces the schedule of `schedule.year` (shipped or computed) with
    /// `schedule`.
    #[must_use]
    pub fn with_announcement(mut self, schedule: YearSchedule) -> Self {
        self.add_announcement(schedule);
        self
    }

    /// Replaces the weekly rest days, in place.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when all seven days are rest days.
    pub fn set_weekend(&mut self, weekend: &[Weekday]) -> Result<()> {
        let mask = weekend.iter().fold(0, |mask, &day| mask | weekday_bit(day));
        if mask == WHOLE_WEEK {
            return Err(Error::invalid("weekend", "a week needs at least one working day"));
        }
        self.weekend = mask;
        self.table = table::Cache::default();
        Ok(())
    }

    /// Gives `weekday` its own working-time table, in place.
    pub fn set_hours_on(&mut self, weekday: Weekday, hours: WorkingHours) {
        let key = weekday.number_days_from_monday();
        match self.hours_on.binary_search_by_key(&key, |(d, _)| d.number_days_from_monday()) {
            Ok(i) => {
                if let Some(slot) = self.hours_on.get_mut(i) {
                    slot.1 = hours;
                }
            }
            Err(i) => self.hours_on.insert(i, (weekday, hours)),
        }
    }

    /// Makes `date` a day off, in place.
    pub fn add_day_off(&mut self, date: Date) {
        if let Ok(i) = self.working_days.binary_search(&date) {
            self.working_days.remove(i);
        }
        if let Err(i) = self.days_off.binary_search(&date) {
            self.days_off.insert(i, date);
        }
        self.table = table::Cache::default();
    }

    /// Makes `date` a working day, in place.
    pub fn add_working_day(&mut self, date: Date) {
        if let Ok(i) = self.days_off.binary_search(&date) {
            self.days_off.remove(i);
        }
        if let Err(i) = self.working_days.binary_search(&date) {
            self.working_days.insert(i, date);
        }
        self.table = table::Cache::default();
    }

    /// Replaces the schedule of `schedule.year`, in place.
    pub fn add_announcement(&mut self, schedule: YearSchedule) {
        match self.announcements.binary_search_by_key(&schedule.year, |s| s.year) {
            Ok(i) => {
                if let Some(slot) = self.announcements.get_mut(i) {
                    *slot = schedule;
                }
            }
            Err(i) => self.announcements.insert(i, schedule),
        }
        self.table = table::Cache::default();
    }

    /// Returns the weekly rest days, Monday first.
    pub fn weekend(&self) -> Vec<Weekday> {
        let mut day = Weekday::Monday;
        let mut days = Vec::new();
        for _ in 0..7 {
            if self.weekend & weekday_bit(day) != 0 {
                days.push(day);
            }
            day = day.next();
        }
        days
    }

    /// Returns the working-time table of `weekday`.
    pub fn working_hours(&self, weekday: Weekday) -> &WorkingHours {
        self.hours_on.iter().find(|(d, _)| *d == weekday).map_or(&self.hours, |(_, hours)| hours)
    }

    /// Returns whether `date` is a working day.
    pub fn is_working_day(&self, date: Date) -> bool {
        self.table().is_working(date).unwrap_or_else(|| {
            if self.working_days.binary_search(&date).is_ok() {
                true
            } else if self.days_off.binary_search(&date).is_ok() {
                false
            } else {
                self.weekend & weekday_bit(date.weekday()) == 0
            }
        })
    }

    /// Returns whether `date` is a day off other than a weekly rest day: a
    /// public holiday (even on a weekend), a compensatory or swapped day off,
    /// an announced day off or the agency's own day off. A day made a working
    /// day is never a holiday.
    pub fn is_holiday(&self, date: Date) -> bool {
        self.table().is_holiday(date).unwrap_or_else(|| self.days_off.binary_search(&date).is_ok())
    }

    /// Returns the name of the holiday on `date` ("Tết Nguyên đán",
    /// "Nghỉ bù", …), or `None` when [`is_holiday`](Self::is_holiday) is false.
    pub fn holiday_name(&self, date: Date) -> Option<&str> {
        if !self.is_holiday(date) {
            return None;
        }
        Some(self.table().name(date).unwrap_or(table::AGENCY_DAY_OFF))
    }

    /// Returns the first working day strictly after `date`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when there is none within about ten years or
    /// the search runs past the last representable date.
    pub fn next_working_day(&self, date: Date) -> Result<Date> {
        let mut day = date;
        for _ in 0..MAX_SEARCH_DAYS {
            day = day.next_day().ok_or_else(|| end_of_range("date"))?;
            if self.is_working_day(day) {
                return Ok(day);
            }
        }
        Err(no_working_day())
    }

    /// Returns the `n`-th working day after `date` (`date` itself for 0).
    ///
    /// # Errors
    ///
    /// As [`next_working_day`](Self::next_working_day).
    pub fn add_working_days(&self, date: Date, n: u32) -> Result<Date> {
        if i64::from(n) > i64::from(Date::MAX.to_julian_day() - date.to_julian_day()) {
            return Err(end_of_range("date"));
        }
        let mut day = date;
        for _ in 0..n {
            day = self.next_working_day(day)?;
        }
        Ok(day)
    }

    /// Returns the number of working days in `[from, to)`, negative when
    /// `to` is before `from`. Cost: one step per calendar day.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        let mut count = 0;
        let mut day = from;
        while day < to {
            if self.is_working_day(day) {
                count += 1;
            }
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        count
    }

    /// Returns the instant at which `work` of working time, counted from
    /// `start` over the working-time table in Vietnam time, is used up.
    ///
    /// A start outside working hours begins at the next session start. When
    /// the work ends exactly at the end of a session, that session end is
    /// returned (not the start of the next one). A zero `work` returns `start`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `work` is negative, or the count runs past
    /// the supported date range or through ten years without a working day.
    pub fn add_working_time(
        &self,
        start: OffsetDateTime,
        work: Duration,
    ) -> Result<OffsetDateTime> {
        if work.is_negative() {
            return Err(Error::invalid("work", "working time cannot be negative"));
        }
        let local = start.checked_to_offset(VIETNAM_OFFSET).ok_or_else(|| end_of_range("start"))?;
        if work.is_zero() {
            return Ok(local);
        }
        let mut date = local.date();
        // A day holds at most 24 working hours: fail fast when the work cannot
        // fit before the last representable date.
        let days_left = i64::from(Date::MAX.to_julian_day() - date.to_julian_day()) + 1;
        if work > Duration::days(days_left) {
            return Err(end_of_range("work"));
        }
        let mut from = local.time();
        let mut remaining = work;
        let mut idle_days = 0;
        loop {
            if self.is_working_day(date) {
                idle_days = 0;
                for &(session_start, session_end) in self.working_hours(date.weekday()).sessions() {
                    let begin = session_start.max(from);
                    if begin >= session_end {
                        continue;
                    }
                    let available = session_end - begin;
                    if remaining <= available {
                        return Ok(date.with_time(begin + remaining).assume_offset(VIETNAM_OFFSET));
                    }
                    remaining -= available;
                }
            } else {
                idle_days += 1;
                if idle_days > MAX_SEARCH_DAYS {
                    return Err(no_working_day());
                }
            }
            date = date.next_day().ok_or_else(|| end_of_range("work"))?;
            from = Time::MIDNIGHT;
        }
    }

    /// Returns the working time in `[a, b]` over the working-time table in
    /// Vietnam time, negative when `b` is before `a` (zero when an instant
    /// cannot be expressed at +07:00). Cost: one step per calendar day.
    pub fn working_time_between(&self, a: OffsetDateTime, b: OffsetDateTime) -> Duration {
        if b < a {
            return -self.working_time_between(b, a);
        }
        let (Some(a), Some(b)) =
            (a.checked_to_offset(VIETNAM_OFFSET), b.checked_to_offset(VIETNAM_OFFSET))
        else {
            return Duration::ZERO;
        };
        let (first, last) = (a.date(), b.date());
        let mut total = Duration::ZERO;
        let mut date = first;
        while date <= last {
            if self.is_working_day(date) {
                for &(start, end) in self.working_hours(date.weekday()).sessions() {
                    let start = if date == first { start.max(a.time()) } else { start };
                    let end = if date == last { end.min(b.time()) } else { end };
                    if end > start {
                        total += end - start;
                    }
                }
            }
            match date.next_day() {
                Some(next) => date = next,
                None => break,
            }
        }
        total
    }

    /// Returns the due instant of a dossier received at `received` with time
    /// limit `limit`, in Vietnam time.
    ///
    /// - An amount of 0, in any unit and mode (a result given immediately, "trả
    ///   kết quả ngay", or within the day of receipt): the end of the last
    ///   session of the receipt day when the dossier arrived on a working day
    ///   before that session ended, otherwise the end of the last session of
    ///   the next working day. See [`end_of_receipt_day`](Self::end_of_receipt_day)
    ///   for the sources.
    /// - Working days and hours, [`CountingMode::WorkingTime`]: `received` plus
    ///   the working time (hours, or days × 8 hours) over the table, see
    ///   [`add_working_time`](Self::add_working_time).
    /// - Working days and hours, [`CountingMode::WholeDays`]: the first counted
    ///   day is the receipt day when it is a working day and the dossier
    ///   arrived before the cut-off (and before the day's last session ended),
    ///   otherwise the next working day; the due instant is the end of the last
    ///   session of the N-th counted working day (hours are rounded up to
    ///   whole days of 8 hours).
    /// - Calendar days and months, in both modes: the receipt date plus N days
    ///   (or N months, the day clamped to the month's end), at the end of that
    ///   day's last session; when that day is not a working day, at the end of
    ///   the next working day. \[R\] This is the Civil Code rule for a deadline
    ///   that ends on a day off (recollection, not read in a stored copy).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the computation runs past the supported
    /// date range or finds no working day within ten years.
    pub fn due_instant(
        &self,
        received: OffsetDateTime,
        limit: TimeLimit,
        mode: CountingMode,
    ) -> Result<OffsetDateTime> {
        let local =
            received.checked_to_offset(VIETNAM_OFFSET).ok_or_else(|| end_of_range("received"))?;
        if limit.amount == 0 {
            return self.end_of_receipt_day(local);
        }
        let amount = i64::from(limit.amount);
        match (limit.unit, mode) {
            (TimeUnit::WorkingHours, CountingMode::WorkingTime) => {
                self.add_working_time(local, Duration::hours(amount))
            }
            (TimeUnit::WorkingDays, CountingMode::WorkingTime) => {
                self.add_working_time(local, Duration::hours(amount * WORKING_DAY_HOURS))
            }
            (
                TimeUnit::WorkingHours | TimeUnit::WorkingDays,
                CountingMode::WholeDays { cutoff },
            ) => {
                let days = if limit.unit == TimeUnit::WorkingDays {
                    limit.amount
                } else {
                    limit.amount.div_ceil(WORKING_DAY_HOURS as u32)
                };
                let date = local.date();
                let time = local.time();
                let first = if self.is_working_day(date)
                    && time < cutoff
                    && time < self.working_hours(date.weekday()).last_end()
                {
                    date
                } else {
                    self.next_working_day(date)?
                };
                let last = self.add_working_days(first, days.saturating_sub(1))?;
                Ok(self.end_of_day(last))
            }
            (TimeUnit::CalendarDays, _) => {
                let day = local
                    .date()
                    .checked_add(Duration::days(amount))
                    .ok_or_else(|| end_of_range("limit"))?;
                self.end_of_working_day_from(day)
            }
            (TimeUnit::Months, _) => {
                let day = add_months(local.date(), limit.amount)?;
                self.end_of_working_day_from(day)
            }
        }
    }

    /// Returns the due instant of a result given immediately (a time limit of
    /// 0) for a dossier received at `received`: the end of the last session of
    /// the receipt day when `received` is on a working day before that session
    /// ends, otherwise the end of the last session of the next working day.
    ///
    /// No source read fixes a due instant for a zero time limit, so this is the
    /// project's rule, from the nearest texts:
    ///
    /// - \[L\] Decree 61/2018 Art. 18 (as recorded in DOMAIN.md §2.3): a paper
    ///   dossier is moved to the handling agency within the working day of
    ///   receipt, or at the start of the next working day when received after
    ///   15:00. The handling day is a working day, and the 15:00 cut-off is
    ///   about transfers, which an immediate result does not need, so it is not
    ///   applied here.
    /// - \[S\] A dossier whose result is given immediately gets no appointment
    ///   slip (Giấy tiếp nhận và hẹn trả kết quả): it is handled at the desk
    ///   during working hours (`http://trungtamhanhchinhcong.camau.gov.vn/phap-luat-quy-dinh-nhu-the-nao-doi-voi-cong-chuc-tiep-nhan-ho-so.213`).
    /// - \[S\] Electronic dossiers sent outside working hours or on a day off
    ///   are received on the next working day (Circular 87/2021/TT-BTC Art. 10,
    ///   `https://lawnet.vn/ngan-hang-phap-luat/en/tu-van-phap-luat/tai-chinh-nha-nuoc/receipt-time-for-electronic-administrative-procedure-applications-in-the-state-treasury-1005481`).
    ///
    /// So a dossier received at night or on a holiday is due at the end of the
    /// next working day, never before it was received. The text of Decree
    /// 118/2025 (taken to replace Decree 61/2018) and of Circular 01/2018/TT-VPCP
    /// was not found in the stored pages.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when there is no working day within ten years
    /// or the search runs past the last representable date.
    pub fn end_of_receipt_day(&self, received: OffsetDateTime) -> Result<OffsetDateTime> {
        let local =
            received.checked_to_offset(VIETNAM_OFFSET).ok_or_else(|| end_of_range("received"))?;
        let date = local.date();
        let day = if self.is_working_day(date)
            && local.time() < self.working_hours(date.weekday()).last_end()
        {
            date
        } else {
            self.next_working_day(date)?
        };
        Ok(self.end_of_day(day))
    }

    /// The end of the last session of `date`, as an instant.
    fn end_of_day(&self, date: Date) -> OffsetDateTime {
        date.with_time(self.working_hours(date.weekday()).last_end()).assume_offset(VIETNAM_OFFSET)
    }

    /// The end of `date` if it is a working day, else of the next working day.
    fn end_of_working_day_from(&self, date: Date) -> Result<OffsetDateTime> {
        let day = if self.is_working_day(date) { date } else { self.next_working_day(date)? };
        Ok(self.end_of_day(day))
    }

    fn table(&self) -> &table::DayTable {
        self.table.get_or_build(self)
    }
}

/// `date` plus `months` calendar months, the day clamped to the month's end.
fn add_months(date: Date, months: u32) -> Result<Date> {
    let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1;
    let target = index + i64::from(months);
    let year = i32::try_from(target.div_euclid(12)).map_err(|_| end_of_range("limit"))?;
    let month =
        Month::try_from(target.rem_euclid(12) as u8 + 1).map_err(|_| end_of_range("limit"))?;
    let day = date.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).map_err(|_| end_of_range("limit"))
}
