//! Public holidays and the days off announced for civil servants.
//!
//! # Statutory holidays
//!
//! \[R\] From recollection of the Labour Codes (not read in a stored copy):
//!
//! | holiday | date | from |
//! | --- | --- | --- |
//! | Tết Dương lịch | 1/1 | always |
//! | Tết Nguyên đán | last day of the lunar year + mùng 1–3 (4 days) | Labour Code 1994 |
//! | Tết Nguyên đán | last day of the lunar year + mùng 1–4 (5 days) | Labour Code 2012 (Tết 2014) |
//! | Giỗ Tổ Hùng Vương | 10/3 lunar | 2007 |
//! | Ngày Chiến thắng | 30/4 | always |
//! | Ngày Quốc tế lao động | 1/5 | always |
//! | Quốc khánh | 2/9 | always |
//! | Quốc khánh, adjacent day | 1/9 or 3/9 | Labour Code 2019 (2021) |
//!
//! The Labour Code 2012 took effect on 1 May 2013, so Tết 2013 still had four
//! days; the announced schedule for 2013 confirms it. The adjacent day of
//! Quốc khánh is chosen each year; the rule here picks the one that joins a
//! weekend (Monday → 3/9, Tuesday → 1/9, Wednesday → 1/9, Thursday → 3/9,
//! Friday → 1/9, Saturday → 1/9, Sunday → 3/9), which reproduces 2021–2025.
//! Ngày Văn hóa Việt Nam (24/11), announced by the Politburo as a paid
//! holiday, is not included: as of early 2026 the Labour Code amendment that
//! would add it had not been passed. Add it with
//! [`WorkCalendar::with_day_off`](super::WorkCalendar::with_day_off) or an
//! announcement when it takes effect.
//!
//! # The default rule (years without an announcement, and after 2026)
//!
//! The schedule of a year is computed from the lunar calendar for the week of
//! Saturday and Sunday rest:
//!
//! 1. every statutory holiday of the year is a day off;
//! 2. a fixed-date holiday (1/1, Hùng Kings, 30/4, 1/5, 2/9 and its adjacent
//!    day) that falls on a Saturday or Sunday gives the next working day off
//!    (nghỉ bù), skipping days already off;
//! 3. a Tết day that falls on a weekend gives a compensatory day next to the
//!    Tết block: since 2014, a Saturday gives the working day before the block
//!    and a Sunday the working day after it (the government's practice in every
//!    year from 2016 to 2025); before 2014, both give the working days after it.
//!
//! Swaps of a working day with a Saturday (hoán đổi) are decided each year and
//! cannot be predicted; the default rule makes none.
//!
//! # Shipped announcements, 2010–2026
//!
//! [`announced_schedule`] returns the days off and compensatory working days
//! actually announced for công chức, viên chức (weekly rest on Saturday and
//! Sunday) from 2010 to 2026: the statutory holidays plus the compensatory days
//! (nghỉ bù) and swaps (hoán đổi) below. Sources, all \[S\] (news pages and
//! third-party code, not the official texts):
//!
//! - swaps 2010, 2012, 2013 (30/4), 2014 (30/4, 2/9), 2015, 2018–2019, 2019 (30/4)
//!   and 2024 (30/4): `vacanza/holidays` (`holidays/countries/vietnam.py`), citing
//!   Official Dispatches 6519/VPCP-KGVX (2018) and 2450/VPCP-KGVX (2024);
//! - 2011 Tết and Hùng Kings swaps: baolangson.vn;
//! - 2013 New Year, Tết and 30/4: baothainguyen.vn (28/12/2012);
//! - 2014 Tết: laodong.com.vn;
//! - 2015 New Year, Tết and 30/4: xahoi.com.vn, cand.com.vn, baomoi.com;
//! - 2017 New Year and Tết: batgt.camau.gov.vn, vnexpress.net (holiday counts);
//! - 2018 Tết (7 days, two before Tết): baoninhbinh.org.vn;
//! - 2020 Tết: socongthuong.daklak.gov.vn;
//! - 2024 Quốc khánh (31/8–3/9): phunuvagiadinh.vn;
//! - 2026 New Year (2/1 swapped with Saturday 10/1, 12729/VPCP-KGVX) and Tết
//!   (14/2–22/2): collector.com.tr, congan.com.vn, vietnammedia.vnanet.vn.
//!
//! Unverified, \[R\] recollection: the Tết blocks of 2010, 2012, 2016, 2019
//! and 2021–2025 and the other holidays of 2010–2012, 2016, 2018, 2020–2023
//! and 2025 (all of which match the default rule), and the 2025 swap of 2/5
//! with Saturday 26/4. For 2026 the Hùng Kings, 30/4 and Quốc khánh days follow
//! the default rule: a five-day Quốc khánh break was proposed for 2026 but the
//! decision was not found.

use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, Month, Weekday};

use super::lunar::{self, LunarDate};
use crate::{Error, Result};

/// The first year with computed holidays.
pub const FIRST_YEAR: i32 = 1900;
/// The last year with computed holidays.
pub const LAST_YEAR: i32 = 2100;
/// The years for which the announced schedule is shipped.
pub const ANNOUNCED_YEARS: std::ops::RangeInclusive<i32> = 2010..=2026;

/// A statutory public holiday (ngày nghỉ lễ, Tết).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Holiday {
    /// Tết Dương lịch, 1 January.
    NewYear,
    /// Tết Nguyên đán, the lunar new year (several days).
    Tet,
    /// Giỗ Tổ Hùng Vương, 10/3 lunar.
    HungKings,
    /// Ngày Chiến thắng, 30 April.
    Victory,
    /// Ngày Quốc tế lao động, 1 May.
    Labour,
    /// Quốc khánh, 2 September and, from 2021, one adjacent day.
    NationalDay,
}

impl Holiday {
    /// Returns the Vietnamese name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::NewYear => "Tết Dương lịch",
            Self::Tet => "Tết Nguyên đán",
            Self::HungKings => "Giỗ Tổ Hùng Vương",
            Self::Victory => "Ngày Chiến thắng",
            Self::Labour => "Ngày Quốc tế lao động",
            Self::NationalDay => "Quốc khánh",
        }
    }
}

/// Name of a compensatory day off (a holiday fell on a weekend).
pub(crate) const COMPENSATORY: &str = "Nghỉ bù";
/// Name of a working day swapped with a weekend day.
pub(crate) const SWAPPED: &str = "Nghỉ hoán đổi";
/// Name of an announced day off that is not a statutory holiday.
pub(crate) const ANNOUNCED: &str = "Ngày nghỉ theo thông báo";

/// The days off and compensatory working days of one year, for a week of
/// Saturday and Sunday rest.
///
/// `days_off` are days off whatever their weekday (holidays, compensatory and
/// swapped days; statutory holidays that fall on a weekend may be listed);
/// `working_days` are days worked although they fall on the weekend (the
/// Saturday that pays back a swap). Dates may lie in a neighbouring year when
/// the announcement says so (the 2015 announcement has Saturday 27/12/2014
/// worked). A date in both lists is a working day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct YearSchedule {
    /// The year the announcement is for.
    pub year: i32,
    /// Days off.
    pub days_off: Vec<Date>,
    /// Weekend days that are worked.
    pub working_days: Vec<Date>,
}

/// Returns the statutory holidays of `year`, in date order (the days of the
/// law, before compensatory days and swaps).
///
/// # Errors
///
/// [`Error::InvalidInput`] when `year` is outside 1900..=2100.
pub fn statutory_holidays(year: i32) -> Result<Vec<(Date, Holiday)>> {
    check_year(year)?;
    let mut days = vec![(ymd(year, Month::January, 1)?, Holiday::NewYear)];
    let tet = lunar::tet(year)?;
    let first_tet_day = tet.previous_day().ok_or_else(|| out_of_range(year))?;
    let tet_len = if year >= 2014 { 5 } else { 4 };
    let mut day = first_tet_day;
    for _ in 0..tet_len {
        days.push((day, Holiday::Tet));
        day = day.next_day().ok_or_else(|| out_of_range(year))?;
    }
    if year >= 2007 {
        days.push((lunar::lunar_to_solar(LunarDate::new(year, 3, 10))?, Holiday::HungKings));
    }
    days.push((ymd(year, Month::April, 30)?, Holiday::Victory));
    days.push((ymd(year, Month::May, 1)?, Holiday::Labour));
    let national = ymd(year, Month::September, 2)?;
    days.push((national, Holiday::NationalDay));
    if year >= 2021 {
        let adjacent = match national.weekday() {
            Weekday::Monday | Weekday::Thursday | Weekday::Sunday => 3,
            _ => 1,
        };
        days.push((ymd(year, Month::September, adjacent)?, Holiday::NationalDay));
    }
    days.sort_by_key(|&(date, _)| date);
    Ok(days)
}

/// Returns the schedule of `year` computed by the default rule (see the
/// module documentation), ignoring any announcement.
///
/// # Errors
///
/// [`Error::InvalidInput`] when `year` is outside 1900..=2100.
pub fn default_schedule(year: i32) -> Result<YearSchedule> {
    Ok(to_schedule(year, &default_days(year)?, &[]))
}

/// Returns the announced schedule of `year` shipped with the crate, or `None`
/// outside 2010..=2026.
pub fn announced_schedule(year: i32) -> Option<YearSchedule> {
    let (off, working) = announced_days(year).ok()??;
    Some(to_schedule(year, &off, &working))
}

/// Returns the schedule of `year`: the shipped announcement for 2010–2026,
/// otherwise the default rule.
///
/// # Errors
///
/// [`Error::InvalidInput`] when `year` is outside 1900..=2100.
pub fn schedule(year: i32) -> Result<YearSchedule> {
    match announced_schedule(year) {
        Some(schedule) => Ok(schedule),
        None => default_schedule(year),
    }
}

/// Named days off and weekend days worked, for one year.
pub(crate) type NamedDays = (Vec<(Date, &'static str)>, Vec<Date>);

/// The named days off and the working days of `year`: the caller's
/// announcement if given, else the shipped one, else the default rule.
pub(crate) fn named_days(year: i32, announcement: Option<&YearSchedule>) -> Result<NamedDays> {
    if let Some(announcement) = announcement {
        let statutory = statutory_holidays(year)?;
        let off = announcement
            .days_off
            .iter()
            .map(|&date| {
                let name = statutory
                    .iter()
                    .find(|&&(d, _)| d == date)
                    .map_or(ANNOUNCED, |&(_, holiday)| holiday.name());
                (date, name)
            })
            .collect();
        return Ok((off, announcement.working_days.clone()));
    }
    if let Some(days) = announced_days(year)? {
        return Ok(days);
    }
    Ok((default_days(year)?, Vec::new()))
}

fn to_schedule(year: i32, off: &[(Date, &'static str)], working: &[Date]) -> YearSchedule {
    let mut days_off: Vec<Date> = off.iter().map(|&(date, _)| date).collect();
    days_off.sort_unstable();
    days_off.dedup();
    YearSchedule { year, days_off, working_days: working.to_vec() }
}

fn check_year(year: i32) -> Result<()> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) { Ok(()) } else { Err(out_of_range(year)) }
}

fn out_of_range(year: i32) -> Error {
    Error::invalid(
        "year",
        format!("{year} is outside the holiday range {FIRST_YEAR}..={LAST_YEAR}"),
    )
}

fn ymd(year: i32, month: Month, day: u8) -> Result<Date> {
    Date::from_calendar_date(year, month, day).map_err(|_| out_of_range(year))
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn is_off(off: &[(Date, &'static str)], date: Date) -> bool {
    off.iter().any(|&(d, _)| d == date)
}

/// Steps from `from` (exclusive) in direction `forward` to the first weekday
/// that is not already off.
fn free_weekday(off: &[(Date, &'static str)], from: Date, forward: bool) -> Option<Date> {
    let mut date = from;
    loop {
        date = if forward { date.next_day()? } else { date.previous_day()? };
        if !is_weekend(date) && !is_off(off, date) {
            return Some(date);
        }
    }
}

fn default_days(year: i32) -> Result<Vec<(Date, &'static str)>> {
    let statutory = statutory_holidays(year)?;
    let mut off: Vec<(Date, &'static str)> =
        statutory.iter().map(|&(date, holiday)| (date, holiday.name())).collect();
    let tet: Vec<Date> =
        statutory.iter().filter(|(_, h)| *h == Holiday::Tet).map(|&(d, _)| d).collect();
    if let (Some(&first), Some(&last)) = (tet.first(), tet.last()) {
        for &day in &tet {
            let compensation = match day.weekday() {
                Weekday::Saturday if year >= 2014 => free_weekday(&off, first, false),
                Weekday::Saturday | Weekday::Sunday => free_weekday(&off, last, true),
                _ => None,
            };
            if let Some(date) = compensation {
                off.push((date, COMPENSATORY));
            }
        }
    }
    for &(day, holiday) in &statutory {
        if holiday != Holiday::Tet
            && is_weekend(day)
            && let Some(date) = free_weekday(&off, day, true)
        {
            off.push((date, COMPENSATORY));
        }
    }
    off.sort_by_key(|&(date, _)| date);
    Ok(off)
}

/// One year's announcement: what it adds to the statutory holidays.
struct Announcement {
    year: i32,
    /// Compensatory days off (nghỉ bù).
    compensatory: &'static [Date],
    /// Working days swapped to be days off (hoán đổi).
    swapped: &'static [Date],
    /// Weekend days worked in exchange.
    working: &'static [Date],
}

/// Named days off and working days from the shipped announcement of `year`.
fn announced_days(year: i32) -> Result<Option<NamedDays>> {
    let Some(announcement) = ANNOUNCEMENTS.iter().find(|a| a.year == year) else {
        return Ok(None);
    };
    let mut off: Vec<(Date, &'static str)> = statutory_holidays(year)?
        .into_iter()
        .map(|(date, holiday)| (date, holiday.name()))
        .collect();
    off.extend(announcement.compensatory.iter().map(|&date| (date, COMPENSATORY)));
    off.extend(announcement.swapped.iter().map(|&date| (date, SWAPPED)));
    off.sort_by_key(|&(date, _)| date);
    Ok(Some((off, announcement.working.to_vec())))
}

/// The announced schedules, 2010–2026 (see the module documentation for the
/// sources). Only what differs from the statutory holidays is listed.
const ANNOUNCEMENTS: &[Announcement] = &[
    Announcement {
        year: 2010,
        // Tết: Sat 13/2 and Sun 14/2 were Tết days; 1/5 was a Saturday.
        compensatory: &[date!(2010 - 02 - 17), date!(2010 - 02 - 18), date!(2010 - 05 - 03)],
        swapped: &[date!(2010 - 02 - 19)],
        working: &[date!(2010 - 02 - 27)],
    },
    Announcement {
        year: 2011,
        // 1/1 Sat; mùng 3 Tết Sat 5/2; 30/4 Sat and 1/5 Sun.
        compensatory: &[
            date!(2011 - 01 - 03),
            date!(2011 - 02 - 07),
            date!(2011 - 05 - 02),
            date!(2011 - 05 - 03),
        ],
        swapped: &[date!(2011 - 01 - 31), date!(2011 - 02 - 01), date!(2011 - 04 - 11)],
        // Saturday and Sunday 29–30/1 and Saturday 9/4 were worked.
        working: &[date!(2011 - 01 - 29), date!(2011 - 01 - 30), date!(2011 - 04 - 09)],
    },
    Announcement {
        year: 2012,
        // 1/1 Sun; 30 Tết Sun 22/1; Hùng Kings Sat 31/3; 2/9 Sun.
        compensatory: &[
            date!(2012 - 01 - 02),
            date!(2012 - 01 - 26),
            date!(2012 - 04 - 02),
            date!(2012 - 09 - 03),
        ],
        swapped: &[date!(2012 - 01 - 27)],
        working: &[date!(2012 - 02 - 04)],
    },
    Announcement {
        year: 2013,
        // 29 Tết Sat 9/2 and mùng 1 Sun 10/2.
        compensatory: &[date!(2013 - 02 - 13), date!(2013 - 02 - 14)],
        swapped: &[date!(2012 - 12 - 31), date!(2013 - 02 - 15), date!(2013 - 04 - 29)],
        working: &[date!(2013 - 01 - 05), date!(2013 - 02 - 23), date!(2013 - 05 - 04)],
    },
    Announcement {
        year: 2014,
        // Mùng 2 Sat 1/2 and mùng 3 Sun 2/2.
        compensatory: &[date!(2014 - 02 - 04), date!(2014 - 02 - 05)],
        swapped: &[
            date!(2014 - 01 - 28),
            date!(2014 - 01 - 29),
            date!(2014 - 05 - 02),
            date!(2014 - 09 - 01),
        ],
        working: &[
            date!(2014 - 01 - 25),
            date!(2014 - 02 - 08),
            date!(2014 - 04 - 26),
            date!(2014 - 09 - 06),
        ],
    },
    Announcement {
        year: 2015,
        // The five Tết days were 29 Chạp–mùng 3 (17–21/2); mùng 3 Sat 21/2.
        compensatory: &[date!(2015 - 02 - 17), date!(2015 - 02 - 23)],
        swapped: &[date!(2015 - 01 - 02), date!(2015 - 02 - 16), date!(2015 - 04 - 29)],
        working: &[date!(2014 - 12 - 27), date!(2015 - 02 - 14), date!(2015 - 04 - 25)],
    },
    Announcement {
        year: 2016,
        // 30 Tết Sun 7/2; Hùng Kings Sat 16/4; 30/4 Sat and 1/5 Sun.
        compensatory: &[
            date!(2016 - 02 - 12),
            date!(2016 - 04 - 18),
            date!(2016 - 05 - 02),
            date!(2016 - 05 - 03),
        ],
        swapped: &[],
        working: &[],
    },
    Announcement {
        year: 2017,
        // 1/1 Sun; mùng 1 Sat 28/1 and mùng 2 Sun 29/1; 30/4 Sun; 2/9 Sat.
        compensatory: &[
            date!(2017 - 01 - 02),
            date!(2017 - 01 - 26),
            date!(2017 - 02 - 01),
            date!(2017 - 05 - 02),
            date!(2017 - 09 - 04),
        ],
        swapped: &[],
        working: &[],
    },
    Announcement {
        year: 2018,
        // Mùng 2 Sat 17/2 and mùng 3 Sun 18/2; 2/9 Sun.
        compensatory: &[date!(2018 - 02 - 14), date!(2018 - 02 - 20), date!(2018 - 09 - 03)],
        swapped: &[],
        working: &[],
    },
    Announcement {
        year: 2019,
        // Hùng Kings Sun 14/4.
        compensatory: &[date!(2019 - 04 - 15)],
        swapped: &[date!(2018 - 12 - 31), date!(2019 - 04 - 29)],
        working: &[date!(2019 - 01 - 05), date!(2019 - 05 - 04)],
    },
    Announcement {
        year: 2020,
        // Mùng 1 Sat 25/1 and mùng 2 Sun 26/1.
        compensatory: &[date!(2020 - 01 - 23), date!(2020 - 01 - 29)],
        swapped: &[],
        working: &[],
    },
    Announcement {
        year: 2021,
        // Mùng 2 Sat 13/2 and mùng 3 Sun 14/2; 1/5 Sat.
        compensatory: &[date!(2021 - 02 - 10), date!(2021 - 02 - 16), date!(2021 - 05 - 03)],
        swapped: &[],
        working: &[],
    },
    Announcement {
        year: 2022,
        // 1/1 Sat; Hùng Kings Sun 10/4; 30/4 Sat and 1/5 Sun.
        compensatory: &[
            date!(2022 - 01 - 03),
            date!(2022 - 04 - 11),
            date!(2022 - 05 - 02),
            date!(2022 - 05 - 03),
        ],
        swapped: &[],
        working: &[],
    },
    Announcement {
        year: 2023,
        // 1/1 Sun; 30 Tết Sat 21/1 and mùng 1 Sun 22/1; Hùng Kings Sat 29/4
        // and 30/4 Sun; 2/9 Sat.
        compensatory: &[
            date!(2023 - 01 - 02),
            date!(2023 - 01 - 20),
            date!(2023 - 01 - 26),
            date!(2023 - 05 - 02),
            date!(2023 - 05 - 03),
            date!(2023 - 09 - 04),
        ],
        swapped: &[],
        working: &[],
    },
    Announcement {
        year: 2024,
        // Mùng 1 Sat 10/2 and mùng 2 Sun 11/2.
        compensatory: &[date!(2024 - 02 - 08), date!(2024 - 02 - 14)],
        swapped: &[date!(2024 - 04 - 29)],
        working: &[date!(2024 - 05 - 04)],
    },
    Announcement {
        year: 2025,
        // Mùng 4 Sat 1/2.
        compensatory: &[date!(2025 - 01 - 27)],
        swapped: &[date!(2025 - 05 - 02)],
        working: &[date!(2025 - 04 - 26)],
    },
    Announcement {
        year: 2026,
        // Hùng Kings Sun 26/4 (default rule, unverified).
        compensatory: &[date!(2026 - 04 - 27)],
        swapped: &[date!(2026 - 01 - 02)],
        working: &[date!(2026 - 01 - 10)],
    },
];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn statutory_days_follow_the_labour_codes() {
        let count = |year| statutory_holidays(year).unwrap().len();
        assert_eq!(count(2006), 8); // 1994 code before Hùng Kings
        assert_eq!(count(2010), 9);
        assert_eq!(count(2014), 10);
        assert_eq!(count(2021), 11);
        let days: Vec<Date> =
            statutory_holidays(2025).unwrap().into_iter().map(|(d, _)| d).collect();
        assert!(days.contains(&date!(2025 - 01 - 28))); // 29 Chạp, last day of Giáp Thìn
        assert!(days.contains(&date!(2025 - 02 - 01))); // mùng 4
        assert!(days.contains(&date!(2025 - 09 - 01)));
        assert!(statutory_holidays(1899).is_err());
        assert!(statutory_holidays(2101).is_err());
    }

    #[test]
    fn national_day_adjacent_day_matches_2021_to_2025() {
        for (year, adjacent) in [
            (2021, date!(2021 - 09 - 03)),
            (2022, date!(2022 - 09 - 01)),
            (2023, date!(2023 - 09 - 01)),
            (2024, date!(2024 - 09 - 03)),
            (2025, date!(2025 - 09 - 01)),
        ] {
            assert!(statutory_holidays(year).unwrap().contains(&(adjacent, Holiday::NationalDay)));
        }
    }

    /// The default rule reproduces every announced year without a swap.
    #[test]
    fn default_rule_reproduces_announced_years_without_swaps() {
        for year in [2016, 2017, 2018, 2020, 2021, 2022, 2023] {
            let announced = announced_schedule(year).unwrap();
            assert!(announced.working_days.is_empty());
            let computed = default_schedule(year).unwrap();
            let weekdays = |s: &YearSchedule| -> Vec<Date> {
                s.days_off.iter().copied().filter(|d| !is_weekend(*d)).collect()
            };
            assert_eq!(weekdays(&computed), weekdays(&announced), "{year}");
        }
        // 2025 and 2026 differ from the rule only by their swap.
        for (year, swapped) in [(2025, date!(2025 - 05 - 02)), (2026, date!(2026 - 01 - 02))] {
            let mut announced = announced_schedule(year).unwrap();
            announced.days_off.retain(|&d| d != swapped);
            assert_eq!(announced.days_off, default_schedule(year).unwrap().days_off, "{year}");
        }
    }

    #[test]
    fn shipped_years_are_exactly_2010_to_2026() {
        for year in 1990..2040 {
            assert_eq!(announced_schedule(year).is_some(), ANNOUNCED_YEARS.contains(&year));
        }
        for a in ANNOUNCEMENTS {
            for &d in a.compensatory.iter().chain(a.swapped) {
                assert!(!is_weekend(d), "{d} is a weekend day");
            }
            for &d in a.working {
                assert!(is_weekend(d), "{d} is not a weekend day");
            }
        }
    }
}
