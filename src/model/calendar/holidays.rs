//! Public holidays and the days off announced for civil servants.
//!
//! # Statutory holidays
//!
//! | holiday | date | from |
//! | --- | --- | --- |
//! | Tết Dương lịch | 1/1 | always |
//! | Tết Nguyên đán | last day of the lunar year + mùng 1–3 (4 days) | Labour Code 1994 |
//! | Tết Nguyên đán | 5 days (see below) | Labour Code 2012 (Tết 2014) |
//! | Giỗ Tổ Hùng Vương | 10/3 lunar | 2007 |
//! | Ngày Chiến thắng | 30/4 | always |
//! | Ngày Quốc tế lao động | 1/5 | always |
//! | Quốc khánh | 2/9 | always |
//! | Quốc khánh, adjacent day | 1/9 or 3/9 | Labour Code 2019 (2021) |
//!
//! \[S\] The list of the Labour Code 2019 Art. 112(1) is quoted by
//! `https://dantri.com.vn/noi-vu/sua-bo-luat-lao-dong-de-them-mot-ngay-nghi-ngay-van-hoa-viet-nam-20260225151756397.htm`
//! and `https://lawnet.vn/ngan-hang-phap-luat/en/tu-van-phap-luat/van-hoa--xa-hoi/what-is-november-14-in-vietnam-do-employees-in-vietnam-receive-fully-paid-days-off-on-november-14-20-1101727`;
//! the Labour Code 2012 (five Tết days) took effect on 1 May 2013
//! (`https://www.qppstudio.net/public-holidays-news/2012/vietnamese-public-holidays-amendments-voted-005973.htm`),
//! so Tết 2013 still had four days. Under the 2012 code the five Tết days are
//! one day before the lunar new year and four after, or two before and three
//! after (Decree 45/2013/NĐ-CP Art. 8, quoted by
//! `https://laodongthudo.vn/lich-nghi-chinh-thuc-tet-nguyen-dan-nam-2019-85637.html`);
//! [`statutory_holidays`] uses one before and four after; with the
//! compensatory days of a Tết that spans a weekend this gives the same days
//! off as the announcements that name two days before Tết (2015, 2018).
//! The adjacent day of Quốc khánh is chosen each year; the rule here picks the
//! one that joins a weekend (Monday → 3/9, Tuesday → 1/9, Wednesday → 1/9,
//! Thursday → 3/9, Friday → 1/9, Saturday → 1/9, Sunday → 3/9), which
//! reproduces every announcement of 2021–2026.
//!
//! # Ngày Văn hóa Việt Nam (24/11)
//!
//! Not a day off here. Politburo Resolution 80-NQ/TW (January 2026) chose
//! 24/11 as Ngày Văn hóa Việt Nam "with the policy" that it be a paid day off;
//! a paid day off needs an amendment of Labour Code 2019 Art. 112(1), which
//! Government Resolution 30/NQ-CP (February 2026) only assigned to be drafted
//! and submitted to the National Assembly
//! (`https://vneconomy.vn/bo-sung-ngay-van-hoa-viet-nam-2411-vao-danh-muc-ngay-nghi-huong-nguyen-luong.htm`,
//! `https://vnexpress.net/de-xuat-luat-hoa-ngay-van-hoa-viet-nam-thanh-ngay-nghi-le-5006749.html`).
//! No stored page reports the amendment passed or in force, so 24/11/2026
//! (a Tuesday) stays a working day. When the law takes effect, add the day
//! with [`WorkCalendar::with_announcement`](super::WorkCalendar::with_announcement)
//! (or [`with_day_off`](super::WorkCalendar::with_day_off)) and then here.
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
//! cannot be predicted; the default rule makes none. No schedule for 2027 (Tết
//! Đinh Mùi, 6/2/2027) was found in the stored pages, so 2027 follows the
//! default rule.
//!
//! # Shipped announcements, 2010–2026
//!
//! [`announced_schedule`] returns the days off and compensatory working days
//! announced for công chức, viên chức (weekly rest on Saturday and Sunday)
//! from 2010 to 2026: the statutory holidays plus the compensatory days
//! (nghỉ bù) and swaps (hoán đổi). [`announcement_sources`] names, for each
//! year and holiday, the stored pages read (news reports of the Prime
//! Minister's decisions, with the dispatch number where the page gives it)
//! or says that none was found; `docs/calendar-sources.md` has the same table.
//! Every source is \[S\]: a press report or notice, not the official text.

use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, Month, Weekday};

use super::lunar::{self, LunarDate};
use crate::{Error, Result};
use Holiday::{HungKings, Labour, NationalDay, NewYear, Tet, Victory};

/// The first year with computed holidays.
pub const FIRST_YEAR: i32 = 1900;
/// The last year with computed holidays.
pub const LAST_YEAR: i32 = 2100;
/// The years for which the announced schedule is shipped.
pub const ANNOUNCED_YEARS: std::ops::RangeInclusive<i32> = 2010..=2026;

/// A statutory public holiday (ngày nghỉ lễ, Tết).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    #[serde(with = "crate::serde_forms::seq")]
    pub days_off: Vec<Date>,
    /// Weekend days that are worked.
    #[serde(with = "crate::serde_forms::seq")]
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

/// Where the dates of some holidays of a shipped announcement come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnouncementSource {
    /// The holidays whose days off (with their compensatory days and swaps)
    /// this source gives.
    pub covers: &'static [Holiday],
    /// The stored pages read, with the decision or dispatch number where the
    /// page gives it; for an unverified part, what the dates rest on instead.
    pub reference: &'static str,
    /// Whether a stored page states the dates. When false, the dates follow
    /// the Labour Code's compensatory-day rule (or third-party code) and no
    /// announcement was found.
    pub verified: bool,
}

/// Returns the sources of the shipped announcement of `year`, together
/// covering every statutory holiday of the year; empty outside 2010..=2026.
pub fn announcement_sources(year: i32) -> &'static [AnnouncementSource] {
    ANNOUNCEMENTS.iter().find(|a| a.year == year).map_or(&[], |a| a.sources)
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
    /// Where the dates come from.
    sources: &'static [AnnouncementSource],
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

const ALL: &[Holiday] = &[NewYear, Tet, HungKings, Victory, Labour, NationalDay];
const APRIL_MAY: &[Holiday] = &[Victory, Labour];

/// An unverified part whose dates follow the Labour Code's rule.
const fn by_rule(covers: &'static [Holiday], reference: &'static str) -> AnnouncementSource {
    AnnouncementSource { covers, reference, verified: false }
}

/// A part whose dates a stored page states.
const fn read(covers: &'static [Holiday], reference: &'static str) -> AnnouncementSource {
    AnnouncementSource { covers, reference, verified: true }
}

/// The announced schedules, 2010–2026, each with its sources (page
/// addresses, read in the stored copies). Only what differs from the
/// statutory holidays is listed. A day of one year's announcement that lies
/// in the neighbouring year (31/12/2012, 27/12/2014, 31/12/2018) is listed
/// with the announcement that made it.
const ANNOUNCEMENTS: &[Announcement] = &[
    Announcement {
        year: 2010,
        // Tết: Sat 13/2 and Sun 14/2 were Tết days; 1/5 was a Saturday.
        compensatory: &[date!(2010 - 02 - 17), date!(2010 - 02 - 18), date!(2010 - 05 - 03)],
        swapped: &[date!(2010 - 02 - 19)],
        working: &[date!(2010 - 02 - 27)],
        sources: &[
            by_rule(
                &[Tet],
                "no stored page found; the swap of Fri 19/2 with Sat 27/2 is from \
                 vacanza/holidays (holidays/countries/vietnam.py, third-party code, no citation \
                 for 2010); the compensatory days follow the Labour Code 1994",
            ),
            by_rule(
                &[NewYear, HungKings, Victory, Labour, NationalDay],
                "no stored page found; Labour Code rule (1/5 Sat -> Mon 3/5)",
            ),
        ],
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
        sources: &[
            read(
                &[Tet, HungKings],
                "https://baolangson.vn/xa-hoi/31573-nghi-tet-nguyen-dan-tan-mao-tam-ngay.html \
                 (VPCP dispatch, number not given: off 31/1-7/2, 29-30/1 worked; 11/4 off, 9/4 \
                 worked)",
            ),
            by_rule(
                &[NewYear, Victory, Labour, NationalDay],
                "no stored page found; Labour Code rule (1/1 Sat -> 3/1; 30/4 Sat, 1/5 Sun -> \
                 2/5, 3/5)",
            ),
        ],
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
        sources: &[
            read(
                &[Tet],
                "https://baobinhdinh.vn/trongnuoc/2011/12/120849 (PM agreement of 27/12/2011: \
                 off 21/1-29/1, Fri 27/1 swapped with Sat 4/2)",
            ),
            by_rule(
                &[NewYear, HungKings, Victory, Labour, NationalDay],
                "no stored page found; Labour Code rule (1/1 Sun -> 2/1; Hùng Kings Sat 31/3 -> \
                 2/4; 2/9 Sun -> 3/9)",
            ),
        ],
    },
    Announcement {
        year: 2013,
        // 29 Tết Sat 9/2 and mùng 1 Sun 10/2.
        compensatory: &[date!(2013 - 02 - 13), date!(2013 - 02 - 14)],
        swapped: &[date!(2012 - 12 - 31), date!(2013 - 02 - 15), date!(2013 - 04 - 29)],
        working: &[date!(2013 - 01 - 05), date!(2013 - 02 - 23), date!(2013 - 05 - 04)],
        sources: &[
            read(
                &[NewYear, Tet, Victory, Labour],
                "https://baothainguyen.vn/xa-hoi/201212/thong-bao-thoi-gian-nghi-cac-ngay-le-tet-nam-2013-36752BD, \
                 http://laodong.com.vn/Xa-hoi/Chot-lich-nghi-le-Tet-2013-cua-cong-chuc-vien-chuc/96869.bld, \
                 https://tienphong.vn/tet-am-lich-duoc-nghi-9-ngay-post601552.amp (VPCP dispatch \
                 of 23/11/2012: 31/12/2012 off, 5/1 worked; off 9/2-17/2, 15/2 off, 23/2 worked; \
                 off 27/4-1/5, 29/4 off, 4/5 worked)",
            ),
            by_rule(
                &[HungKings, NationalDay],
                "no stored page found; weekdays (Fri 19/4, Mon 2/9), no compensation needed",
            ),
        ],
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
        sources: &[
            read(
                &[Tet, Victory, Labour],
                "http://baodongthap.com.vn/xa-hoi/tet-nguyen-dan-nghi-9-ngay-36388.aspx, \
                 http://tamlongvang.laodong.com.vn/xa-hoi/an-dinh-thoi-gian-nghi-tet-giap-ngo-va-ngay-le-2014-174011.bld \
                 (off 28/1-5/2, 25/1 and 8/2 worked; 2/5 off, 26/4 worked)",
            ),
            read(
                &[NationalDay],
                "https://thuthuatmeovat.com/lich-nghi-le-quoc-khanh-02-09-2014 (after Tuổi Trẻ: \
                 1/9 off, 6/9 worked, off 30/8-2/9)",
            ),
            by_rule(
                &[NewYear, HungKings],
                "no stored page found; weekdays (Wed 1/1, Wed 9/4), no compensation needed",
            ),
        ],
    },
    Announcement {
        year: 2015,
        // Tết Thu 19/2: the Tết days Sat 21/2 and Sun 22/2 give 17/2 and 23/2.
        compensatory: &[date!(2015 - 02 - 17), date!(2015 - 02 - 23)],
        swapped: &[date!(2015 - 01 - 02), date!(2015 - 02 - 16), date!(2015 - 04 - 29)],
        working: &[date!(2014 - 12 - 27), date!(2015 - 02 - 14), date!(2015 - 04 - 25)],
        sources: &[
            read(
                &[NewYear, Tet, HungKings, Victory, Labour],
                "http://m.thanhniennews.com/society/vietnam-pm-approves-9day-lunar-new-year-holiday-34748.html \
                 (off 1/1-4/1, 27/12/2014 worked; off 15/2-23/2, 14/2 worked; off 28/4-3/5, 25/4 \
                 worked), https://www.baomoi.com/clip-lich-nghi-tet-duong-lich-2015/c/15286031.epi, \
                 http://cand.com.vn/doi-song/du-kien-nghi-Tet-am-lich-tu-7-den-9-ngay-279370/ \
                 (the proposal, Tờ trình 89/TTr-LĐTBXH of 20/11/2014)",
            ),
            by_rule(&[NationalDay], "no stored page found; weekday (Wed 2/9)"),
        ],
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
        sources: &[read(
            ALL,
            "http://khachsandanang.net.vn/thong-tin-du-lich/tin-tuc-du-lich/chinh-phu-dong-y-nghi-tet-binh-than-9-ngay-346.html \
             (off 6/2-14/2, no swap), \
             https://m-kienthucnet.epicdn.me/doc-30s/cong-bo-lich-nghi-le-gio-to-hung-vuong-va-304-15-643948.html \
             (18/4, 2/5, 3/5 off; 2/9 Fri; no swap all year), \
             http://vietnamese.hochiminh.usconsulate.gov/holidays.html (1/1, 8-12/2, 18/4, 2-3/5, \
             2/9)",
        )],
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
        sources: &[read(
            ALL,
            "https://vietnammoi.vn/infographic-chi-tiet-lich-nghi-cac-ngay-le-tet-nam-2017-11497.htm \
             (2/1 off; off 26/1-1/2; 6/4; 29/4-2/5; 2/9-4/9), \
             http://batgt.camau.gov.vn/chinh-thuc-co-lich-nghi-tet-am-lich-2017.612 (Tết, no swap)",
        )],
    },
    Announcement {
        year: 2018,
        // Mùng 2 Sat 17/2 and mùng 3 Sun 18/2; 2/9 Sun.
        compensatory: &[date!(2018 - 02 - 14), date!(2018 - 02 - 20), date!(2018 - 09 - 03)],
        swapped: &[],
        working: &[],
        sources: &[read(
            ALL,
            "https://lawnet.vn/thong-tin-phap-luat/en/thong-bao-van-ban-moi/official-2018-lunar-new-year-holiday-schedule-for-officials-and-public-employees-159892.html \
             (Notice 573/TB-VPCP of 14/12/2017: off 14/2-20/2; 3/9 off), \
             https://e.vnexpress.net/news/news/vietnam-to-kick-off-lunar-new-year-break-on-valentine-s-day-3684669.html \
             (30/12/2017-1/1; 25/4; 28/4-1/5; 1/9-3/9)",
        )],
    },
    Announcement {
        year: 2019,
        // Hùng Kings Sun 14/4.
        compensatory: &[date!(2019 - 04 - 15)],
        swapped: &[date!(2018 - 12 - 31), date!(2019 - 04 - 29)],
        working: &[date!(2019 - 01 - 05), date!(2019 - 05 - 04)],
        sources: &[
            read(
                &[NewYear, Tet, HungKings, Victory, Labour],
                "https://phunuvagiadinh.vn/xa-hoi-168/tet-nguyen-dan-2019-duoc-nghi-may-ngay-306419 \
                 (31/12/2018 off, 5/1 worked; off 2/2-10/2; 29/4 off, 4/5 worked), \
                 https://luatvietnam.vn/tin-phap-luat/lich-nghi-gio-to-hung-vuong-30-4-va-01-5-nam-2019-230-18994-article.html \
                 (Thông báo 3238/TB-LĐTBXH: 15/4 off; 29/4 off, 4/5 worked); vacanza/holidays \
                 cites Official Dispatch 6519/VPCP-KGVX (2018)",
            ),
            by_rule(
                &[NationalDay],
                "the 2019 notice leaves the other holidays to the Labour Code; Mon 2/9, no \
                 compensation needed",
            ),
        ],
    },
    Announcement {
        year: 2020,
        // Mùng 1 Sat 25/1 and mùng 2 Sun 26/1.
        compensatory: &[date!(2020 - 01 - 23), date!(2020 - 01 - 29)],
        swapped: &[],
        working: &[],
        sources: &[read(
            ALL,
            "https://m.kienthuc.net.vn/xa-hoi/14-ngay-nghi-vao-cac-dip-le-tet-trong-nam-2020-1319755.html \
             (1/1; off 23/1-29/1; 2/4; 30/4-3/5; 2/9), \
             https://socongthuong.daklak.gov.vn/vi/news/tag/thứ-tư/page-2 (Tết)",
        )],
    },
    Announcement {
        year: 2021,
        // Mùng 2 Sat 13/2 and mùng 3 Sun 14/2; 1/5 Sat.
        compensatory: &[date!(2021 - 02 - 10), date!(2021 - 02 - 16), date!(2021 - 05 - 03)],
        swapped: &[],
        working: &[],
        sources: &[read(
            ALL,
            "https://sggpnews.org.vn/culture_art/vietnams-public-holidays-in-2021-89687.html \
             (1/1-3/1; off 10/2-16/2; 21/4; 30/4-3/5; 2/9-5/9), \
             https://www.talkvietnam.org/2020/11/pm-approves-7-day-tet-break/ (PM approval)",
        )],
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
        sources: &[
            read(
                &[Tet, HungKings, Victory, Labour, NationalDay],
                "https://vnconsulate-fukuoka.org/vi/lich-nghi-le/ (31/1-4/2; 11/4; 2/5, 3/5; \
                 1/9, 2/9), https://www.sggpnews.org.vn/national/seven-days-off-in-total-for-national-holidays-in-april-97988.html, \
                 https://vnfinance.vn/lich-nghi-nhung-ngay-le-tet-trong-nam-2022-31375.html \
                 (29/1-6/2; 1/9-4/9)",
            ),
            by_rule(&[NewYear], "no stored page found; Labour Code rule (1/1 Sat -> 3/1)"),
        ],
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
        sources: &[read(
            ALL,
            "https://vietnamnet.vn./19-ngay-nghi-le-tet-trong-nam-2023-2094825.html \
             (31/12/2022-2/1; 20/1-26/1; 29/4-3/5; 1/9-4/9), \
             https://kiemtientuweb.com/tet-2023.html (dispatch 8056/VPCP-KGVX of 1/12/2022), \
             https://vietnaminsider.vn/employees-are-entitled-to-5-consecutive-days-off-on-the-occasion-of-april-30-and-may-1/",
        )],
    },
    Announcement {
        year: 2024,
        // Mùng 1 Sat 10/2 and mùng 2 Sun 11/2.
        compensatory: &[date!(2024 - 02 - 08), date!(2024 - 02 - 14)],
        swapped: &[date!(2024 - 04 - 29)],
        working: &[date!(2024 - 05 - 04)],
        sources: &[
            read(
                &[Tet, NationalDay],
                "http://tintuc.thuvienphapluat.com/thong-bao-van-ban-moi/email/55290/lich-nghi-tet-nguyen-dan-va-quoc-khanh-2024-chinh-thuc \
                 (dispatch 8662/VPCP-KGVX of 3/11/2023: off 8/2-14/2; 31/8-3/9)",
            ),
            read(
                APRIL_MAY,
                "https://baophapluat.vn/media/thu-tuong-chinh-phu-dong-y-nghi-5-ngay-lien-tiep-dip-304-va-15-post12513.html \
                 (dispatch 2450/VPCP-KGVX of 12/4/2024: off 27/4-1/5, 29/4 off, 4/5 worked)",
            ),
            read(
                &[NewYear],
                "https://dbndnghean.vn/lich-nghi-tet-duong-lich-2024-duoc-nghi-3-ngay-10356.htm \
                 (Mon 1/1)",
            ),
            by_rule(&[HungKings], "no stored page found; weekday (Thu 18/4)"),
        ],
    },
    Announcement {
        year: 2025,
        // Mùng 4 Sat 1/2.
        compensatory: &[date!(2025 - 01 - 27)],
        swapped: &[date!(2025 - 05 - 02)],
        working: &[date!(2025 - 04 - 26)],
        sources: &[read(
            ALL,
            "https://pld.net.vn/tag/nghi-tet-nguyen-dan.html (dispatch 8726/VPCP-KGVX of \
             26/11/2024), https://www.tet-amlich.com/2024/11/cac-ngay-nghi-le-2025.html (1/1; \
             25/1-2/2; 7/4; 30/4-4/5 with 2/5 swapped for 26/4; 30/8-2/9), \
             https://en.baochinhphu.vn/three-days-off-in-celebration-for-hung-kings-commemoration-day-111250304153250976.htm, \
             https://en.sggp.org.vn/vietnamese-workers-to-have-four-days-off-for-national-day-2025-post119346.html",
        )],
    },
    Announcement {
        year: 2026,
        // Hùng Kings Sun 26/4. Quốc khánh Wed 2/9 with Tue 1/9: Monday 31/8
        // is swapped with Saturday 22/8, five days off 29/8–2/9.
        compensatory: &[date!(2026 - 04 - 27)],
        swapped: &[date!(2026 - 01 - 02), date!(2026 - 08 - 31)],
        working: &[date!(2026 - 01 - 10), date!(2026 - 08 - 22)],
        sources: &[
            read(
                &[NewYear],
                "https://www.collector.com.tr//965292743 (dispatch 12729/VPCP-KGVX of 25/12/2025: \
                 off 1/1-4/1, 2/1 swapped with Sat 10/1)",
            ),
            read(
                &[Tet, NationalDay],
                "https://kienthuc.net.vn/chot-phuong-an-nghi-tet-am-lich-binh-ngo-va-quoc-khanh-nam-2026-post1576857.html \
                 (VPCP dispatch of October 2025 conveying the Prime Minister's decision, number \
                 not given: off 14/2-22/2; off 29/8-2/9, Mon 31/8 swapped with Sat 22/8), \
                 http://www.congan.com.vn/?catid=702&id=388656&mod=detnews (Tết)",
            ),
            read(
                &[HungKings, Victory, Labour],
                "https://thanhnien.vn/gio-to-hung-vuong-304-15-quoc-khanh-29-nam-2026-duoc-nghi-may-ngay-185260223083506397.htm \
                 (Hùng Kings Sun 26/4 -> Mon 27/4; 30/4-3/5), \
                 https://thanhnien.vn/nguoi-lao-dong-co-the-nghi-le-tet-toi-26-ngay-trong-nam-2026-185260113172347178.htm \
                 (25 days: 4 + 9 + 3 + 4 + 5)",
            ),
        ],
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
        // 2025 and 2026 differ from the rule only by their swaps.
        for (year, swapped) in [
            (2025, &[date!(2025 - 05 - 02)][..]),
            (2026, &[date!(2026 - 01 - 02), date!(2026 - 08 - 31)][..]),
        ] {
            let mut announced = announced_schedule(year).unwrap();
            announced.days_off.retain(|d| !swapped.contains(d));
            assert_eq!(announced.days_off, default_schedule(year).unwrap().days_off, "{year}");
        }
    }

    /// Every shipped year names a source for each of its holidays, and says
    /// when none was found.
    #[test]
    fn every_shipped_year_names_the_source_of_each_holiday() {
        for year in ANNOUNCED_YEARS {
            let sources = announcement_sources(year);
            for holiday in ALL {
                let covering = sources.iter().filter(|s| s.covers.contains(holiday)).count();
                assert_eq!(covering, 1, "{year} {holiday:?}");
            }
            for source in sources {
                assert!(!source.covers.is_empty(), "{year}");
                if source.verified {
                    assert!(source.reference.contains("http"), "{year}: {}", source.reference);
                } else {
                    assert!(
                        source.reference.starts_with("no stored page found")
                            || source.reference.contains("Labour Code"),
                        "{year}: {}",
                        source.reference
                    );
                }
            }
        }
        assert!(announcement_sources(2009).is_empty());
        assert!(announcement_sources(2027).is_empty());
        // The 2026 Quốc khánh names the decision it comes from.
        let national_day =
            announcement_sources(2026).iter().find(|s| s.covers.contains(&NationalDay)).unwrap();
        assert!(national_day.verified);
        assert!(national_day.reference.contains("31/8 swapped with Sat 22/8"));
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
