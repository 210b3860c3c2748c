//! Calendar announcements: days off and worked days decided by a government or an
//! agency, kept as data so that a province can add or correct one without a new
//! release of the crate.
//!
//! The built-in tables ([`super::holidays`]) are the default. An announcement
//! overrides them day by day: each date it lists is a day off or a working day
//! whatever the tables say. Announcements for one agency apply on top of the country's.
//! A store keeps them (`Store::calendar_announcements`) and times every later receipt with them.

use serde::{Deserialize, Serialize};
use time::Date;

use super::WorkCalendar;
use crate::id::AgencyCode;
use crate::{Error, Result};

/// Whom an announcement applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnouncementScope {
    /// Every agency of the store (a Prime Minister's decision, a ministry's notice).
    #[serde(alias = "Country")]
    Country,
    /// One agency (a one-stop shop's own closing or opening day), on top of the
    /// country's announcements.
    #[serde(alias = "Agency")]
    Agency(AgencyCode),
}

/// One announcement of days off and worked days, with the decision or source that
/// makes it.
///
/// ```
/// use cchc::model::calendar::{AnnouncementScope, CalendarAnnouncement, WorkCalendar};
/// use time::macros::date;
///
/// // Quốc khánh 2026: Monday 31/8 off, paid back by working Saturday 22/8.
/// let swap = CalendarAnnouncement::new(
///     AnnouncementScope::Country,
///     "Thông báo nghỉ lễ Quốc khánh 2026 (ví dụ)",
///     vec![date!(2026 - 08 - 31)],
///     vec![date!(2026 - 08 - 22)],
/// )?;
/// let mut calendar = WorkCalendar::plain();
/// swap.apply_to(&mut calendar);
/// assert!(!calendar.is_working_day(date!(2026 - 08 - 31)));
/// assert!(calendar.is_working_day(date!(2026 - 08 - 22)));
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "AnnouncementParts", into = "AnnouncementParts")]
pub struct CalendarAnnouncement {
    scope: AnnouncementScope,
    source: String,
    days_off: Vec<Date>,
    working_days: Vec<Date>,
}

/// The first and last years an announcement may name: the years the holiday tables
/// cover.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;
/// The most dates one announcement may list.
const MAX_DATES: usize = 366;

impl CalendarAnnouncement {
    /// Builds an announcement. `source` names the decision or page it comes from
    /// (e.g. "Quyết định 2451/QĐ-TTg" or an official dispatch number); it identifies the
    /// announcement within its scope, so a correction re-uses it.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `source` is empty, longer than 500 characters or
    /// holds control or disguising characters; when no date is given, more than 366
    /// are, a date lies outside 1900–2100, or a date is both off and worked.
    pub fn new(
        scope: AnnouncementScope,
        source: &str,
        days_off: Vec<Date>,
        working_days: Vec<Date>,
    ) -> Result<Self> {
        let source = crate::model::agency::check_name("announcement.source", source)?;
        let mut days_off = days_off;
        let mut working_days = working_days;
        days_off.sort_unstable();
        days_off.dedup();
        working_days.sort_unstable();
        working_days.dedup();
        if days_off.is_empty() && working_days.is_empty() {
            return Err(Error::invalid("announcement.days_off", "names no day"));
        }
        if days_off.len() + working_days.len() > MAX_DATES {
            return Err(Error::invalid(
                "announcement.days_off",
                format!("names more than {MAX_DATES} days"),
            ));
        }
        for (field, dates) in
            [("announcement.days_off", &days_off), ("announcement.working_days", &working_days)]
        {
            if let Some(date) = dates.iter().find(|d| !YEARS.contains(&d.year())) {
                return Err(Error::invalid(field, format!("{date} is outside 1900–2100")));
            }
        }
        if let Some(both) = days_off.iter().find(|d| working_days.binary_search(d).is_ok()) {
            return Err(Error::invalid(
                "announcement.working_days",
                format!("{both} is also listed as a day off"),
            ));
        }
        Ok(Self { scope, source, days_off, working_days })
    }

    /// Returns whom the announcement applies to.
    pub fn scope(&self) -> &AnnouncementScope {
        &self.scope
    }

    /// Returns the decision or source that makes the announcement.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Returns the days off it announces, in date order.
    pub fn days_off(&self) -> &[Date] {
        &self.days_off
    }

    /// Returns the weekend days it makes working days, in date order.
    pub fn working_days(&self) -> &[Date] {
        &self.working_days
    }

    /// Returns every date it names, in date order.
    pub fn dates(&self) -> Vec<Date> {
        let mut dates: Vec<Date> =
            self.days_off.iter().chain(&self.working_days).copied().collect();
        dates.sort_unstable();
        dates
    }

    /// Applies the announcement to `calendar`: each day off becomes a day off and each
    /// working day a working day, whatever the calendar said.
    pub fn apply_to(&self, calendar: &mut WorkCalendar) {
        for &date in &self.days_off {
            calendar.add_day_off(date);
        }
        for &date in &self.working_days {
            calendar.add_working_day(date);
        }
    }
}

/// The serialized form of a [`CalendarAnnouncement`], checked on the way in.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnouncementParts {
    scope: AnnouncementScope,
    source: String,
    #[serde(with = "crate::serde_forms::seq")]
    days_off: Vec<Date>,
    #[serde(with = "crate::serde_forms::seq")]
    working_days: Vec<Date>,
}

impl TryFrom<AnnouncementParts> for CalendarAnnouncement {
    type Error = Error;
    fn try_from(p: AnnouncementParts) -> Result<Self> {
        Self::new(p.scope, &p.source, p.days_off, p.working_days)
    }
}

impl From<CalendarAnnouncement> for AnnouncementParts {
    fn from(a: CalendarAnnouncement) -> Self {
        Self {
            scope: a.scope,
            source: a.source,
            days_off: a.days_off,
            working_days: a.working_days,
        }
    }
}

/// Builds the calendar of one agency: `base` with the country's announcements, then
/// the agency's own, applied in that order (the agency's win).
pub(crate) fn calendar_with(
    base: &WorkCalendar,
    announcements: &[CalendarAnnouncement],
    agency: Option<&AgencyCode>,
) -> WorkCalendar {
    let mut calendar = base.clone();
    for a in announcements.iter().filter(|a| a.scope == AnnouncementScope::Country) {
        a.apply_to(&mut calendar);
    }
    if let Some(agency) = agency {
        for a in
            announcements.iter().filter(|a| a.scope == AnnouncementScope::Agency(agency.clone()))
        {
            a.apply_to(&mut calendar);
        }
    }
    calendar
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn announcements_are_checked() {
        let country = AnnouncementScope::Country;
        assert!(
            CalendarAnnouncement::new(country.clone(), " ", vec![date!(2026 - 08 - 31)], vec![])
                .is_err()
        );
        assert!(CalendarAnnouncement::new(country.clone(), "QĐ 1", vec![], vec![]).is_err());
        assert!(
            CalendarAnnouncement::new(country.clone(), "QĐ 1", vec![date!(2101 - 01 - 02)], vec![])
                .is_err()
        );
        let both = date!(2026 - 08 - 22);
        assert!(
            CalendarAnnouncement::new(country.clone(), "QĐ 1", vec![both], vec![both]).is_err()
        );
        let a = CalendarAnnouncement::new(
            country,
            "QĐ 1",
            vec![date!(2026 - 09 - 01), date!(2026 - 08 - 31), date!(2026 - 08 - 31)],
            vec![],
        )
        .unwrap();
        assert_eq!(a.days_off(), [date!(2026 - 08 - 31), date!(2026 - 09 - 01)]);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<CalendarAnnouncement>(&json).unwrap(), a);
        assert!(serde_json::from_str::<CalendarAnnouncement>(&json.replace("QĐ 1", "")).is_err());
    }

    #[test]
    fn an_agencys_announcement_wins_over_the_countrys() {
        let shop = AgencyCode::new("000.00.50.H49").unwrap();
        let saturday = date!(2026 - 08 - 22);
        let country =
            CalendarAnnouncement::new(AnnouncementScope::Country, "CV 1", vec![], vec![saturday])
                .unwrap();
        let own = CalendarAnnouncement::new(
            AnnouncementScope::Agency(shop.clone()),
            "QĐ của Trung tâm",
            vec![saturday],
            vec![],
        )
        .unwrap();
        let all = [own, country];
        let base = WorkCalendar::plain();
        assert!(calendar_with(&base, &all, None).is_working_day(saturday));
        assert!(!calendar_with(&base, &all, Some(&shop)).is_working_day(saturday));
        let other = AgencyCode::new("000.00.01.H49").unwrap();
        assert!(calendar_with(&base, &all, Some(&other)).is_working_day(saturday));
    }
}
