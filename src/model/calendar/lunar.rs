//! The Vietnamese lunisolar calendar (âm lịch), computed astronomically.
//!
//! Months start on the day (in UTC+7) that contains the astronomical new moon;
//! the eleventh month is the one that contains the winter solstice; a year of
//! thirteen months repeats the first month, counted from the eleventh month,
//! that contains no major solar term (trung khí). This is Hồ Ngọc Đức's
//! well-known algorithm (new moons and solar longitudes from Jean Meeus'
//! *Astronomical Algorithms*), evaluated in Vietnam time (UTC+7). Because of
//! the time zone the Vietnamese calendar differs from the Chinese one (UTC+8)
//! in some years: Tết 1985 fell on 21 January 1985 in Vietnam (20 February in
//! China) and Tết 2007 on 17 February 2007 (18 February in China).
//!
//! The month starts are computed once, on first use, for every lunar month
//! that overlaps the supported range (about 2,500 months); conversions are then
//! a binary search.
//!
//! Supported range: solar dates from 1900-01-01 to 2100-12-31, and the lunar
//! dates that fall in that range.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

use crate::{Error, Result};

/// Vietnam's time zone, in hours east of UTC, as the algorithm uses it.
const TIME_ZONE: f64 = 7.0;

/// The first supported solar date.
pub const FIRST_DATE: Date = date!(1900 - 01 - 01);
/// The last supported solar date.
pub const LAST_DATE: Date = date!(2100 - 12 - 31);
const FIRST_JD: i32 = FIRST_DATE.to_julian_day();
const LAST_JD: i32 = LAST_DATE.to_julian_day();

/// A date of the Vietnamese lunisolar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LunarDate {
    /// The lunar year, named by the Gregorian year in which it mostly falls
    /// (the year of Tết).
    pub year: i32,
    /// The month, 1 (tháng Giêng) to 12 (tháng Chạp).
    pub month: u8,
    /// The day of the month, 1 to 29 or 30.
    pub day: u8,
    /// Whether this is the leap (nhuận) repetition of `month`.
    pub leap: bool,
}

impl LunarDate {
    /// Returns a regular (non-leap) lunar date. It is not checked; conversion
    /// with [`lunar_to_solar`] reports a date that does not exist.
    pub const fn new(year: i32, month: u8, day: u8) -> Self {
        Self { year, month, day, leap: false }
    }
}

impl std::fmt::Display for LunarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.day, self.month)?;
        if self.leap {
            f.write_str(" nhuận")?;
        }
        write!(f, "/{} âm lịch", self.year)
    }
}

/// One lunar month of the precomputed table.
#[derive(Debug, Clone, Copy)]
struct MonthStart {
    /// Julian day number of the first day.
    start: i32,
    year: i32,
    month: u8,
    leap: bool,
}

impl MonthStart {
    fn key(&self) -> (i32, u8, bool) {
        (self.year, self.month, self.leap)
    }
}

/// Every lunar month from the one containing 1900-01-01 to the one
/// containing 2100-12-31, followed by a sentinel whose `start` ends the last.
static MONTHS: LazyLock<Vec<MonthStart>> = LazyLock::new(build_months);

/// Converts a solar (Gregorian) date to the Vietnamese lunar calendar.
///
/// # Errors
///
/// [`Error::InvalidInput`] when `date` is before 1900-01-01 or after 2100-12-31.
///
/// # Examples
///
/// ```
/// use cchc::model::calendar::lunar::{solar_to_lunar, LunarDate};
/// use time::macros::date;
///
/// assert_eq!(solar_to_lunar(date!(2025 - 01 - 29))?, LunarDate::new(2025, 1, 1));
/// # Ok::<(), cchc::Error>(())
/// ```
pub fn solar_to_lunar(date: Date) -> Result<LunarDate> {
    let jd = date.to_julian_day();
    if !(FIRST_JD..=LAST_JD).contains(&jd) {
        return Err(Error::invalid(
            "date",
            format!("{date} is outside the lunar calendar's range 1900-01-01..=2100-12-31"),
        ));
    }
    let months = &*MONTHS;
    let index = months.partition_point(|m| m.start <= jd);
    let month = index
        .checked_sub(1)
        .and_then(|i| months.get(i))
        .ok_or_else(|| Error::invalid("date", format!("{date} has no lunar month")))?;
    let day = u8::try_from(jd - month.start + 1)
        .map_err(|_| Error::invalid("date", format!("{date} has no lunar month")))?;
    Ok(LunarDate { year: month.year, month: month.month, day, leap: month.leap })
}

/// Converts a Vietnamese lunar date to the solar (Gregorian) calendar.
///
/// # Errors
///
/// [`Error::InvalidInput`] when the month is not 1 to 12, the year has no
/// such (leap) month, the month has fewer days than `lunar.day`, or the date
/// falls outside 1900-01-01..=2100-12-31.
///
/// # Examples
///
/// ```
/// use cchc::model::calendar::lunar::{lunar_to_solar, LunarDate};
/// use time::macros::date;
///
/// // Giỗ Tổ Hùng Vương, 10/3 âm lịch.
/// assert_eq!(lunar_to_solar(LunarDate::new(2025, 3, 10))?, date!(2025 - 04 - 07));
/// # Ok::<(), cchc::Error>(())
/// ```
pub fn lunar_to_solar(lunar: LunarDate) -> Result<Date> {
    if !(1..=12).contains(&lunar.month) || !(1..=30).contains(&lunar.day) {
        return Err(Error::invalid("lunar_date", format!("{lunar} does not exist")));
    }
    let months = &*MONTHS;
    // The sentinel is excluded from the search.
    let real = months.get(..months.len().saturating_sub(1)).unwrap_or_default();
    let index = real
        .binary_search_by_key(&(lunar.year, lunar.month, lunar.leap), MonthStart::key)
        .map_err(|_| {
            Error::invalid(
                "lunar_date",
                format!("{lunar} does not exist or is outside the supported range"),
            )
        })?;
    let (Some(month), Some(next)) = (months.get(index), months.get(index + 1)) else {
        return Err(Error::invalid(
            "lunar_date",
            format!("{lunar} is outside the supported range"),
        ));
    };
    if i32::from(lunar.day) > next.start - month.start {
        return Err(Error::invalid(
            "lunar_date",
            format!("{lunar} does not exist: the month has {} days", next.start - month.start),
        ));
    }
    let jd = month.start + i32::from(lunar.day) - 1;
    if !(FIRST_JD..=LAST_JD).contains(&jd) {
        return Err(Error::invalid(
            "lunar_date",
            format!("{lunar} is outside the supported range"),
        ));
    }
    Date::from_julian_day(jd).map_err(|_| {
        Error::invalid("lunar_date", format!("{lunar} is outside the supported range"))
    })
}

/// Returns the solar date of Tết (1 tháng Giêng) of lunar `year`.
///
/// # Errors
///
/// [`Error::InvalidInput`] when `year` is outside 1900..=2100.
pub fn tet(year: i32) -> Result<Date> {
    lunar_to_solar(LunarDate::new(year, 1, 1))
}

fn build_months() -> Vec<MonthStart> {
    // a11[i] is the start of month 11 of Gregorian year 1899 + i.
    let a11: Vec<i64> = (1899..=2101).map(lunar_month_11).collect();
    let mut months = Vec::with_capacity(2_600);
    for (y, pair) in (1900..).zip(a11.windows(2)) {
        let [from, to] = pair else { continue };
        let k0 = ((*from as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
        let leap_offset = if to - from > 365 { Some(leap_month_offset(*from)) } else { None };
        let count = if leap_offset.is_some() { 13 } else { 12 };
        for diff in 0..count {
            let start = new_moon_day(k0 + diff);
            let (mut month, leap) = match leap_offset {
                Some(off) if diff >= off => (diff + 10, diff == off),
                _ => (diff + 11, false),
            };
            if month > 12 {
                month -= 12;
            }
            let year = if month >= 11 && diff < 4 { y - 1 } else { y };
            months.push(MonthStart { start: start as i32, year, month: month as u8, leap });
        }
    }
    if let Some(last) = a11.last() {
        months.push(MonthStart { start: *last as i32, year: i32::MAX, month: 0, leap: false });
    }
    months
}

/// Julian day number of a Gregorian date.
fn jd_from_date(day: i64, month: i64, year: i64) -> i64 {
    let a = (14 - month) / 12;
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32_045
}

/// The Julian day (fractional, UT) of the `k`-th new moon after 1900-01-01.
fn new_moon(k: f64) -> f64 {
    let dr = std::f64::consts::PI / 180.0;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's apparent longitude, in radians in [0, 2π), at Julian day `jd` (UT).
fn sun_longitude(jd: f64) -> f64 {
    let dr = std::f64::consts::PI / 180.0;
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    let two_pi = std::f64::consts::TAU;
    l - two_pi * (l / two_pi).floor()
}

/// The local (UTC+7) day number on which the `k`-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k as f64) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// The 30° sector (0..=11) of the sun's longitude at local midnight starting `day`.
fn sun_sector(day: i64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / std::f64::consts::PI * 6.0).floor() as i64
}

/// The first day of the lunar month that contains the winter solstice of `year`.
fn lunar_month_11(year: i64) -> i64 {
    let off = jd_from_date(31, 12, year) - 2_415_021;
    let k = (off as f64 / 29.530_588_853).floor() as i64;
    let new_moon = new_moon_day(k);
    if sun_sector(new_moon) >= 9 { new_moon_day(k - 1) } else { new_moon }
}

/// The index, counted from month 11 (0), of the leap month of the lunar year
/// whose month 11 starts on `a11`.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn every_day_from_1900_to_2100_round_trips() {
        let mut date = date!(1900 - 01 - 01);
        let last = date!(2100 - 12 - 31);
        let mut count = 0;
        let mut previous: Option<LunarDate> = None;
        loop {
            let lunar = solar_to_lunar(date).unwrap();
            assert_eq!(lunar_to_solar(lunar).unwrap(), date, "{date} -> {lunar}");
            if let Some(prev) = previous {
                // Consecutive days: the day advances or a new month begins at 1.
                assert!(
                    lunar.day == prev.day + 1 || (lunar.day == 1 && (29..=30).contains(&prev.day)),
                    "{date}: {prev} then {lunar}"
                );
            }
            previous = Some(lunar);
            count += 1;
            if date == last {
                break;
            }
            date = date.next_day().unwrap();
        }
        assert_eq!(count, 73_414);
    }

    #[test]
    fn vietnamese_calendar_differs_from_chinese_in_1985_and_2007() {
        assert_eq!(tet(1985).unwrap(), date!(1985 - 01 - 21));
        assert_eq!(tet(2007).unwrap(), date!(2007 - 02 - 17));
        assert_eq!(solar_to_lunar(date!(1985 - 01 - 21)).unwrap(), LunarDate::new(1985, 1, 1));
        assert_eq!(solar_to_lunar(date!(2007 - 02 - 17)).unwrap(), LunarDate::new(2007, 1, 1));
    }

    /// Tết (1 tháng Giêng), as published in Vietnamese calendars.
    const TET: &[(i32, Date)] = &[
        (1968, date!(1968 - 01 - 29)),
        (1975, date!(1975 - 02 - 11)),
        (1980, date!(1980 - 02 - 16)),
        (1981, date!(1981 - 02 - 05)),
        (1982, date!(1982 - 01 - 25)),
        (1983, date!(1983 - 02 - 13)),
        (1984, date!(1984 - 02 - 02)),
        (1985, date!(1985 - 01 - 21)),
        (1986, date!(1986 - 02 - 09)),
        (1987, date!(1987 - 01 - 29)),
        (1988, date!(1988 - 02 - 17)),
        (1989, date!(1989 - 02 - 06)),
        (1990, date!(1990 - 01 - 27)),
        (1991, date!(1991 - 02 - 15)),
        (1992, date!(1992 - 02 - 04)),
        (1993, date!(1993 - 01 - 23)),
        (1994, date!(1994 - 02 - 10)),
        (1995, date!(1995 - 01 - 31)),
        (1996, date!(1996 - 02 - 19)),
        (1997, date!(1997 - 02 - 07)),
        (1998, date!(1998 - 01 - 28)),
        (1999, date!(1999 - 02 - 16)),
        (2000, date!(2000 - 02 - 05)),
        (2001, date!(2001 - 01 - 24)),
        (2002, date!(2002 - 02 - 12)),
        (2003, date!(2003 - 02 - 01)),
        (2004, date!(2004 - 01 - 22)),
        (2005, date!(2005 - 02 - 09)),
        (2006, date!(2006 - 01 - 29)),
        (2007, date!(2007 - 02 - 17)),
        (2008, date!(2008 - 02 - 07)),
        (2009, date!(2009 - 01 - 26)),
        (2010, date!(2010 - 02 - 14)),
        (2011, date!(2011 - 02 - 03)),
        (2012, date!(2012 - 01 - 23)),
        (2013, date!(2013 - 02 - 10)),
        (2014, date!(2014 - 01 - 31)),
        (2015, date!(2015 - 02 - 19)),
        (2016, date!(2016 - 02 - 08)),
        (2017, date!(2017 - 01 - 28)),
        (2018, date!(2018 - 02 - 16)),
        (2019, date!(2019 - 02 - 05)),
        (2020, date!(2020 - 01 - 25)),
        (2021, date!(2021 - 02 - 12)),
        (2022, date!(2022 - 02 - 01)),
        (2023, date!(2023 - 01 - 22)),
        (2024, date!(2024 - 02 - 10)),
        (2025, date!(2025 - 01 - 29)),
        (2026, date!(2026 - 02 - 17)),
        (2027, date!(2027 - 02 - 06)),
        (2028, date!(2028 - 01 - 26)),
        (2029, date!(2029 - 02 - 13)),
        // UTC+7: the new moon is at 23:07 on 2 February (00:07 on the 3rd in China).
        (2030, date!(2030 - 02 - 02)),
    ];

    /// Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch).
    const HUNG_KINGS: &[(i32, Date)] = &[
        (2007, date!(2007 - 04 - 26)),
        (2008, date!(2008 - 04 - 15)),
        // UTC+7: month 3 began on 26 March 2009 (27 March in China).
        (2009, date!(2009 - 04 - 04)),
        (2010, date!(2010 - 04 - 23)),
        (2011, date!(2011 - 04 - 12)),
        (2012, date!(2012 - 03 - 31)),
        (2013, date!(2013 - 04 - 19)),
        (2014, date!(2014 - 04 - 09)),
        (2015, date!(2015 - 04 - 28)),
        (2016, date!(2016 - 04 - 16)),
        (2017, date!(2017 - 04 - 06)),
        (2018, date!(2018 - 04 - 25)),
        (2019, date!(2019 - 04 - 14)),
        (2020, date!(2020 - 04 - 02)),
        (2021, date!(2021 - 04 - 21)),
        (2022, date!(2022 - 04 - 10)),
        (2023, date!(2023 - 04 - 29)),
        (2024, date!(2024 - 04 - 18)),
        (2025, date!(2025 - 04 - 07)),
        (2026, date!(2026 - 04 - 26)),
    ];

    #[test]
    fn tet_dates_match_published_calendars() {
        assert!(TET.len() >= 40);
        for &(year, expected) in TET {
            assert_eq!(tet(year).unwrap(), expected, "Tết {year}");
            assert_eq!(solar_to_lunar(expected).unwrap(), LunarDate::new(year, 1, 1));
        }
    }

    #[test]
    fn hung_kings_day_matches_published_calendars() {
        for &(year, expected) in HUNG_KINGS {
            assert_eq!(lunar_to_solar(LunarDate::new(year, 3, 10)).unwrap(), expected, "{year}");
        }
    }

    #[test]
    fn known_leap_months() {
        // 2023 had a leap 2nd month (nhuận tháng 2), 2020 a leap 4th, 2025 a leap 6th.
        assert_eq!(
            solar_to_lunar(date!(2023 - 03 - 22)).unwrap(),
            LunarDate { year: 2023, month: 2, day: 1, leap: true }
        );
        assert_eq!(
            solar_to_lunar(date!(2020 - 05 - 23)).unwrap(),
            LunarDate { year: 2020, month: 4, day: 1, leap: true }
        );
        assert_eq!(
            solar_to_lunar(date!(2025 - 07 - 25)).unwrap(),
            LunarDate { year: 2025, month: 6, day: 1, leap: true }
        );
    }

    #[test]
    fn out_of_range_and_nonexistent_dates_are_errors() {
        assert!(solar_to_lunar(date!(1899 - 12 - 31)).is_err());
        assert!(solar_to_lunar(date!(2101 - 01 - 01)).is_err());
        assert!(lunar_to_solar(LunarDate::new(1850, 1, 1)).is_err());
        assert!(lunar_to_solar(LunarDate::new(2200, 1, 1)).is_err());
        assert!(lunar_to_solar(LunarDate::new(2024, 13, 1)).is_err());
        assert!(lunar_to_solar(LunarDate::new(2024, 0, 1)).is_err());
        assert!(lunar_to_solar(LunarDate::new(2024, 1, 31)).is_err());
        // No leap month in 2024.
        assert!(lunar_to_solar(LunarDate { year: 2024, month: 5, day: 1, leap: true }).is_err());
        // Tháng Chạp of Ất Tỵ (lunar 2025) has 29 days: no "30 Tết" in 2026.
        assert!(lunar_to_solar(LunarDate::new(2025, 12, 30)).is_err());
        assert_eq!(lunar_to_solar(LunarDate::new(2025, 12, 29)).unwrap(), date!(2026 - 02 - 16));
    }
}
