//! The precomputed day table of a calendar: one working bit and one holiday
//! bit per day from 1900-01-01 to 2100-12-31, and the holiday names.

use std::sync::{Arc, OnceLock};

use time::Date;

use super::holidays::{self, FIRST_YEAR, LAST_YEAR};
use super::lunar::{FIRST_DATE, LAST_DATE};
use super::{WorkCalendar, weekday_bit};

/// Name of the agency's own day off.
pub(crate) const AGENCY_DAY_OFF: &str = "Ngày nghỉ của cơ quan";

const FIRST_JD: i32 = FIRST_DATE.to_julian_day();
const LAST_JD: i32 = LAST_DATE.to_julian_day();
const DAYS: usize = (LAST_JD - FIRST_JD + 1) as usize;

/// The lazily built table. Equality ignores it (it is a function of the
/// calendar's other fields).
#[derive(Clone, Default)]
pub(crate) struct Cache(OnceLock<Arc<DayTable>>);

impl Cache {
    pub(crate) fn get_or_build(&self, calendar: &WorkCalendar) -> &DayTable {
        self.0.get_or_init(|| Arc::new(DayTable::build(calendar)))
    }
}

impl PartialEq for Cache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() { "DayTable(built)" } else { "DayTable(not built)" })
    }
}

pub(crate) struct DayTable {
    working: Vec<u64>,
    holiday: Vec<u64>,
    /// Julian day and name of each holiday, sorted by day.
    names: Vec<(i32, &'static str)>,
}

fn index(date: Date) -> Option<usize> {
    let jd = date.to_julian_day();
    if (FIRST_JD..=LAST_JD).contains(&jd) { usize::try_from(jd - FIRST_JD).ok() } else { None }
}

fn get(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|word| word >> (i % 64) & 1 == 1)
}

fn set(bits: &mut [u64], i: usize, value: bool) {
    if let Some(word) = bits.get_mut(i / 64) {
        if value {
            *word |= 1 << (i % 64);
        } else {
            *word &= !(1 << (i % 64));
        }
    }
}

impl DayTable {
    fn build(calendar: &WorkCalendar) -> Self {
        let words = DAYS.div_ceil(64);
        let mut working = vec![0_u64; words];
        let mut holiday = vec![0_u64; words];
        let mut names = Vec::new();

        let mut weekday = FIRST_DATE.weekday();
        for i in 0..DAYS {
            set(&mut working, i, calendar.weekend & weekday_bit(weekday) == 0);
            weekday = weekday.next();
        }

        let mut days_off = Vec::new();
        let mut days_worked = Vec::new();
        for year in FIRST_YEAR..=LAST_YEAR {
            let announcement = calendar.announcements.iter().find(|s| s.year == year);
            if announcement.is_none() && !calendar.public_holidays {
                continue;
            }
            // Years 1900..=2100 always convert; a failure would only drop that year.
            if let Ok((off, worked)) = holidays::named_days(year, announcement) {
                days_off.extend(off);
                days_worked.extend(worked);
            }
        }
        // Announcements for years outside the table may still list dates inside it.
        for announcement in &calendar.announcements {
            if !(FIRST_YEAR..=LAST_YEAR).contains(&announcement.year) {
                days_off.extend(announcement.days_off.iter().map(|&d| (d, holidays::ANNOUNCED)));
                days_worked.extend(announcement.working_days.iter().copied());
            }
        }
        // Schedules first, then the agency's own days, which take precedence.
        for (date, name) in days_off {
            if let Some(i) = index(date) {
                set(&mut working, i, false);
                set(&mut holiday, i, true);
                names.push((date.to_julian_day(), name));
            }
        }
        for date in days_worked {
            if let Some(i) = index(date) {
                set(&mut working, i, true);
                set(&mut holiday, i, false);
            }
        }
        for &date in &calendar.days_off {
            if let Some(i) = index(date) {
                set(&mut working, i, false);
                set(&mut holiday, i, true);
                names.push((date.to_julian_day(), AGENCY_DAY_OFF));
            }
        }
        for &date in &calendar.working_days {
            if let Some(i) = index(date) {
                set(&mut working, i, true);
                set(&mut holiday, i, false);
            }
        }
        // A stable sort keeps the first name given to a day (statutory before agency).
        names.sort_by_key(|&(jd, _)| jd);
        names.dedup_by_key(|&mut (jd, _)| jd);
        Self { working, holiday, names }
    }

    /// Whether `date` is a working day, or `None` outside the table.
    pub(crate) fn is_working(&self, date: Date) -> Option<bool> {
        index(date).map(|i| get(&self.working, i))
    }

    /// Whether `date` is a holiday, or `None` outside the table.
    pub(crate) fn is_holiday(&self, date: Date) -> Option<bool> {
        index(date).map(|i| get(&self.holiday, i))
    }

    /// The name of the holiday on `date`, if the table has one.
    pub(crate) fn name(&self, date: Date) -> Option<&'static str> {
        let jd = date.to_julian_day();
        self.names
            .binary_search_by_key(&jd, |&(d, _)| d)
            .ok()
            .and_then(|i| self.names.get(i))
            .map(|&(_, name)| name)
    }
}
