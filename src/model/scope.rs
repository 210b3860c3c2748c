//! What a report covers: a scope (which dossiers) and a period (which days).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::id::{AgencyCode, Field, ProcedureCode};
use crate::model::agency::{Agency, Level};
use crate::model::dossier::DossierHeader;
use crate::model::procedure::Procedure;
use crate::model::time_limit::{check_date, check_year, start_of_day};
use crate::{Error, Result};

/// Which dossiers a report counts. A dossier counts for the agency responsible at
/// receipt; transfers do not move it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
/// // Reports are asked about the supported range only (1900–2100).
/// assert!(Period::year(2101).is_err());
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PeriodParts", into = "PeriodParts")]
pub struct Period {
    from: Date,
    to: Date,
}

impl Period {
    /// The days from `from` to `to`, both included (the 15th-to-14th reporting
    /// periods of the regulation have their own constructors,
    /// [`Period::reporting_quarter`] and its siblings).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `to` is before `from`, or either is outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE) (`period.from`, `period.to`).
    pub fn new(from: Date, to: Date) -> Result<Self> {
        check_date("period.from", from)?;
        check_date("period.to", to)?;
        if to < from {
            return Err(Error::invalid("period", format!("ends ({to}) before it starts ({from})")));
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
    /// [`Error::InvalidInput`] for a month outside 1–12 or a year outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE) (`period.year`).
    pub fn month(year: i32, month: u8) -> Result<Self> {
        check_year("period.year", year)?;
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
    /// [`Error::InvalidInput`] for a quarter outside 1–4 or a year outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE) (`period.year`).
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
    /// [`Error::InvalidInput`] for a year outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE) (`period.year`).
    pub fn year(year: i32) -> Result<Self> {
        Self::new(Self::month(year, 1)?.from, Self::month(year, 12)?.to)
    }

    /// The reporting month of the regulation's periodic reports: from the 15th of
    /// the month before to the 14th of `month` (Decree 09/2019/NĐ-CP Art. 12(1); see
    /// [`Period::reporting_quarter`] for the rule and its sources).
    ///
    /// ```
    /// use cchc::Period;
    /// use time::macros::date;
    /// let january = Period::reporting_month(2026, 1)?;
    /// assert_eq!((january.from(), january.to()), (date!(2025 - 12 - 15), date!(2026 - 01 - 14)));
    /// # Ok::<(), cchc::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a month outside 1–12 or a year out of range.
    pub fn reporting_month(year: i32, month: u8) -> Result<Self> {
        if !(1..=12).contains(&month) {
            return Err(Error::invalid("period.month", format!("{month} is not 1–12")));
        }
        Self::cut_off(year, month, month)
    }

    /// The reporting quarter (1–4) of the regulation's periodic reports: from the
    /// 15th of the month before the quarter to the 14th of its last month, so the
    /// first quarter of 2026 is 15/12/2025 to 14/03/2026.
    ///
    /// The data cut-off of periodic reports is set by Decree 09/2019/NĐ-CP (chế độ
    /// báo cáo của cơ quan hành chính nhà nước) Art. 12 "Thời gian chốt số liệu báo
    /// cáo trong chế độ báo cáo định kỳ": (1) monthly "tính từ ngày 15 tháng trước
    /// đến ngày 14 của tháng thuộc kỳ báo cáo"; (2) quarterly "tính từ ngày 15 của
    /// tháng trước kỳ báo cáo đến ngày 14 của tháng cuối quý thuộc kỳ báo cáo";
    /// (3) six-monthly 15/12 of the previous year to 14/6, and 15/6 to 14/12;
    /// (4) yearly 15/12 of the previous year to 14/12. Read in stored copies:
    /// the article's title and clauses 1–2 quoted at
    /// <http://118.69.201.249:801/phap-luat/che-do-bao-cao-dinh-ky-la-gi-thoi-gian-chot-so-lieu-che-do-bao-cao-dinh-ky-hang-nam-duoc-tinh-tu-ng-175130-188832.html>
    /// (the copy is cut after clause 2); the four rules word for word as ministries
    /// restate them for their own reports, Circular 09/2019/TT-NHNN
    /// (<https://luatvietnam.vn/tin-van-ban-moi/thoi-han-nop-bao-cao-dinh-ky-186-21960-article.html>)
    /// and Circular 58/2020/TT-BQP
    /// (<https://hoatieu.vn/thong-tu-58-2020-tt-bqp-che-do-bao-cao-dinh-ky-cua-bo-quoc-phong-200161>).
    /// Whether Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) uses this cut-off or
    /// calendar periods was not confirmed (DOMAIN.md §10): the calendar
    /// constructors ([`Period::quarter`], …) stay the default.
    ///
    /// ```
    /// use cchc::Period;
    /// use time::macros::date;
    /// let q1 = Period::reporting_quarter(2026, 1)?;
    /// assert_eq!((q1.from(), q1.to()), (date!(2025 - 12 - 15), date!(2026 - 03 - 14)));
    /// assert_eq!(q1.form_line().to_string(), "Từ ngày 15/12/2025 đến ngày 14/03/2026");
    /// # Ok::<(), cchc::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a quarter outside 1–4 or a year out of range.
    pub fn reporting_quarter(year: i32, quarter: u8) -> Result<Self> {
        if !(1..=4).contains(&quarter) {
            return Err(Error::invalid("period.quarter", format!("{quarter} is not 1–4")));
        }
        Self::cut_off(year, quarter * 3 - 2, quarter * 3)
    }

    /// The reporting half-year (1 or 2) of the regulation's periodic reports: the
    /// first is 15/12 of the previous year to 14/06, the second 15/06 to 14/12
    /// (Decree 09/2019/NĐ-CP Art. 12(3); sources at [`Period::reporting_quarter`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a half outside 1–2 or a year out of range.
    pub fn reporting_half_year(year: i32, half: u8) -> Result<Self> {
        if !(1..=2).contains(&half) {
            return Err(Error::invalid("period.half", format!("{half} is not 1–2")));
        }
        Self::cut_off(year, half * 6 - 5, half * 6)
    }

    /// The reporting year of the regulation's periodic reports: 15/12 of the
    /// previous year to 14/12 (Decree 09/2019/NĐ-CP Art. 12(4); sources at
    /// [`Period::reporting_quarter`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a year out of range.
    pub fn reporting_year(year: i32) -> Result<Self> {
        Self::cut_off(year, 1, 12)
    }

    /// From the 15th of the month before `first` to the 14th of `last` (both 1–12,
    /// `first ≤ last`, months of `year`): the cut-off rule of Decree 09/2019 Art. 12.
    fn cut_off(year: i32, first: u8, last: u8) -> Result<Self> {
        let (from_year, from_month) = if first == 1 { (year - 1, 12) } else { (year, first - 1) };
        let day = |y: i32, m: u8, d: u8| {
            let month = Month::try_from(m)
                .map_err(|_| Error::invalid("period.month", format!("{m} is not 1–12")))?;
            Date::from_calendar_date(y, month, d)
                .map_err(|e| Error::invalid("period.year", e.to_string()))
        };
        Self::new(day(from_year, from_month, 15)?, day(year, last, 14)?)
    }

    /// Returns the period line of the official forms, dates as dd/mm/yyyy:
    /// `Từ ngày 01/01/2024 đến ngày 31/03/2024` (Biểu 06/VPCP/KSTT: "(Từ ngày …
    /// đến ngày …)").
    ///
    /// ```
    /// use cchc::Period;
    /// let year = Period::reporting_year(2024)?;
    /// assert_eq!(year.form_line().to_string(), "Từ ngày 15/12/2023 đến ngày 14/12/2024");
    /// # Ok::<(), cchc::Error>(())
    /// ```
    pub fn form_line(&self) -> impl std::fmt::Display + use<> {
        let (from, to) = (Dmy(self.from), Dmy(self.to));
        FormLine(from, to)
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

/// The serde form of a [`Period`]: deserializing goes through [`Period::new`].
#[derive(Serialize, Deserialize)]
struct PeriodParts {
    #[serde(with = "crate::serde_forms::one")]
    from: Date,
    #[serde(with = "crate::serde_forms::one")]
    to: Date,
}

impl TryFrom<PeriodParts> for Period {
    type Error = Error;
    fn try_from(p: PeriodParts) -> Result<Self> {
        Self::new(p.from, p.to)
    }
}

impl From<Period> for PeriodParts {
    fn from(p: Period) -> Self {
        Self { from: p.from, to: p.to }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} – {}", self.from, self.to)
    }
}

/// A date written dd/mm/yyyy, as on Vietnamese forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dmy(pub(crate) Date);

impl std::fmt::Display for Dmy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        write!(f, "{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
    }
}

/// The period line of a form; see [`Period::form_line`].
struct FormLine(Dmy, Dmy);

impl std::fmt::Display for FormLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Từ ngày {} đến ngày {}", self.0, self.1)
    }
}

/// Which dossiers and procedures a [`Scope`] covers, decided without a store:
/// built from the scope and the agency list, then tested per dossier header or
/// procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeTest {
    scope: Scope,
    /// For agency scopes: the agencies covered.
    agencies: Option<BTreeSet<AgencyCode>>,
    /// The levels of the agencies covered (every level for a non-agency scope).
    levels: BTreeSet<Level>,
}

impl ScopeTest {
    /// Builds the test of `scope` over `agencies` (every agency of the store).
    /// A subtree is the agency and every agency whose parent chain reaches it;
    /// an agency missing from the list covers nothing.
    pub fn new(scope: &Scope, agencies: &[Agency]) -> Self {
        let by_code: BTreeMap<&AgencyCode, &Agency> =
            agencies.iter().map(|a| (a.code(), a)).collect();
        let covered: Option<BTreeSet<AgencyCode>> = match scope {
            Scope::Agency(code) => {
                Some(by_code.get(code).map(|a| a.code().clone()).into_iter().collect())
            }
            Scope::Subtree(root) => Some(
                agencies
                    .iter()
                    .filter(|a| {
                        let mut current = Some(a.code());
                        // The parent chain is bounded by the number of agencies,
                        // so a damaged (cyclic) list cannot loop.
                        for _ in 0..=agencies.len() {
                            match current {
                                Some(code) if code == root => return true,
                                Some(code) => {
                                    current = by_code.get(code).and_then(|x| x.parent());
                                }
                                None => return false,
                            }
                        }
                        false
                    })
                    .map(|a| a.code().clone())
                    .collect(),
            ),
            Scope::Level(level) => Some(
                agencies.iter().filter(|a| a.level() == *level).map(|a| a.code().clone()).collect(),
            ),
            Scope::All | Scope::Field(_) | Scope::Procedure(_) => None,
        };
        let levels = match &covered {
            Some(set) => set.iter().filter_map(|c| by_code.get(c)).map(|a| a.level()).collect(),
            None => Level::ALL.into_iter().collect(),
        };
        Self { scope: scope.clone(), agencies: covered, levels }
    }

    /// Returns whether the scope covers a dossier with `header` (by the agency
    /// responsible at receipt, its field, its procedure).
    pub fn contains(&self, header: &DossierHeader) -> bool {
        match &self.scope {
            Scope::All => true,
            Scope::Field(field) => &header.field == field,
            Scope::Procedure(code) => &header.procedure == code,
            Scope::Agency(_) | Scope::Subtree(_) | Scope::Level(_) => {
                self.agencies.as_ref().is_some_and(|set| set.contains(&header.agency))
            }
        }
    }

    /// Returns whether the scope covers records of `agency` that have no field or
    /// procedure (feedback items): every non-agency scope keeps them all.
    pub fn covers_agency(&self, agency: &AgencyCode) -> bool {
        self.agencies.as_ref().is_none_or(|set| set.contains(agency))
    }

    /// Returns whether the scope covers `procedure` for the catalogue indicators
    /// (1.1, 3.1, 3.2, 3.5): an agency scope covers the procedures competent at a
    /// level of one of its agencies (a procedure without levels counts at every
    /// level); a field or procedure scope covers its own.
    pub fn covers_procedure(&self, procedure: &Procedure) -> bool {
        match &self.scope {
            Scope::All => true,
            Scope::Field(field) => procedure.field() == field,
            Scope::Procedure(code) => procedure.code() == code,
            Scope::Agency(_) | Scope::Subtree(_) | Scope::Level(_) => {
                procedure.levels().is_empty()
                    || procedure.levels().iter().any(|l| self.levels.contains(l))
            }
        }
    }

    /// Returns the levels of the agencies covered.
    pub fn levels(&self) -> &BTreeSet<Level> {
        &self.levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn days(p: Period) -> (Date, Date) {
        (p.from(), p.to())
    }

    /// Decree 09/2019/NĐ-CP Art. 12, worked by hand: each period starts on the
    /// 15th of the month before it and ends on the 14th of its last month.
    #[test]
    fn reporting_periods_follow_the_15th_to_14th_cut_off() {
        // Months, across the year boundary.
        assert_eq!(
            days(Period::reporting_month(2026, 1).unwrap()),
            (date!(2025 - 12 - 15), date!(2026 - 01 - 14))
        );
        assert_eq!(
            days(Period::reporting_month(2024, 3).unwrap()),
            (date!(2024 - 02 - 15), date!(2024 - 03 - 14))
        );
        assert_eq!(
            days(Period::reporting_month(2024, 12).unwrap()),
            (date!(2024 - 11 - 15), date!(2024 - 12 - 14))
        );
        // Quarters.
        let q = |n| days(Period::reporting_quarter(2026, n).unwrap());
        assert_eq!(q(1), (date!(2025 - 12 - 15), date!(2026 - 03 - 14)));
        assert_eq!(q(2), (date!(2026 - 03 - 15), date!(2026 - 06 - 14)));
        assert_eq!(q(3), (date!(2026 - 06 - 15), date!(2026 - 09 - 14)));
        assert_eq!(q(4), (date!(2026 - 09 - 15), date!(2026 - 12 - 14)));
        // Half-years and the year.
        assert_eq!(
            days(Period::reporting_half_year(2026, 1).unwrap()),
            (date!(2025 - 12 - 15), date!(2026 - 06 - 14))
        );
        assert_eq!(
            days(Period::reporting_half_year(2026, 2).unwrap()),
            (date!(2026 - 06 - 15), date!(2026 - 12 - 14))
        );
        assert_eq!(
            days(Period::reporting_year(2026).unwrap()),
            (date!(2025 - 12 - 15), date!(2026 - 12 - 14))
        );
        // 15/12/2023 to 14/12/2024 holds 29/02/2024: 366 days; the next year 365.
        let length = |p: Period| (p.to() - p.from()).whole_days() + 1;
        assert_eq!(length(Period::reporting_year(2024).unwrap()), 366);
        assert_eq!(length(Period::reporting_year(2025).unwrap()), 365);
        // Consecutive periods tile the year and run on into the next one.
        let q4_2025 = Period::reporting_quarter(2025, 4).unwrap();
        assert_eq!(q4_2025.end_day(), Period::reporting_quarter(2026, 1).unwrap().from());
        for month in 1..12 {
            assert_eq!(
                Period::reporting_month(2026, month).unwrap().end_day(),
                Period::reporting_month(2026, month + 1).unwrap().from()
            );
        }
    }

    #[test]
    fn reporting_periods_refuse_what_does_not_exist() {
        let field = |r: Result<Period>| match r {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        };
        assert_eq!(field(Period::reporting_month(2026, 0)), "period.month");
        assert_eq!(field(Period::reporting_month(2026, 13)), "period.month");
        assert_eq!(field(Period::reporting_quarter(2026, 0)), "period.quarter");
        assert_eq!(field(Period::reporting_quarter(2026, 5)), "period.quarter");
        assert_eq!(field(Period::reporting_half_year(2026, 3)), "period.half");
        // The first period of the earliest supported year would start before the
        // supported range (15/12/1899); its second month starts inside it.
        assert!(matches!(Period::reporting_year(1900), Err(Error::InvalidInput { .. })));
        assert!(matches!(Period::reporting_month(1900, 1), Err(Error::InvalidInput { .. })));
        assert!(Period::reporting_month(1900, 2).is_ok());
        assert!(Period::reporting_month(-9999, 2).is_err());
    }

    #[test]
    fn the_form_line_writes_dd_mm_yyyy() {
        assert_eq!(
            Period::month(2024, 3).unwrap().form_line().to_string(),
            "Từ ngày 01/03/2024 đến ngày 31/03/2024"
        );
        assert_eq!(
            Period::reporting_quarter(2026, 1).unwrap().form_line().to_string(),
            "Từ ngày 15/12/2025 đến ngày 14/03/2026"
        );
        assert_eq!(
            Period::day(date!(1900 - 06 - 05)).unwrap().form_line().to_string(),
            "Từ ngày 05/06/1900 đến ngày 05/06/1900"
        );
    }

    #[test]
    fn scope_test_follows_parents_and_levels() {
        let code = |s: &str| AgencyCode::new(s).unwrap();
        let p = Agency::province(code("000.00.00.H49"), "Tỉnh").unwrap();
        let d = Agency::district(code("000.00.21.H49"), "Huyện", p.code()).unwrap();
        let c = Agency::commune(code("000.21.01.H49"), "Xã", d.code()).unwrap();
        let other = Agency::province(code("000.00.00.H48"), "Tỉnh khác").unwrap();
        let all = [p.clone(), d.clone(), c.clone(), other.clone()];
        let test = ScopeTest::new(&Scope::subtree(d.code()), &all);
        assert_eq!(test.levels(), &BTreeSet::from([Level::District, Level::Commune]));
        let procedure = |levels: &[Level]| {
            Procedure::builder(
                crate::ProcedureCode::new("1.000001").unwrap(),
                "Thủ tục",
                crate::Field::new("Hộ tịch").unwrap(),
                crate::TimeLimit::working_days(1),
            )
            .levels(levels)
            .build()
            .unwrap()
        };
        assert!(test.covers_procedure(&procedure(&[Level::Commune])));
        assert!(!test.covers_procedure(&procedure(&[Level::Province])));
        assert!(test.covers_procedure(&procedure(&[])));
        let whole = ScopeTest::new(&Scope::subtree(p.code()), &all);
        let level = ScopeTest::new(&Scope::Level(Level::Province), &all);
        let unknown = ScopeTest::new(&Scope::subtree(&code("000.00.00.H01")), &all);
        let header = |agency: &Agency| DossierHeader {
            code: crate::DossierCode::new("000.00.00.H49-240301-0001").unwrap(),
            procedure: crate::ProcedureCode::new("1.000001").unwrap(),
            field: crate::Field::new("Hộ tịch").unwrap(),
            agency: agency.code().clone(),
            channel: crate::Channel::Direct,
            limit: crate::TimeLimit::working_days(1),
            fee_bearing: false,
            paper_result: false,
            digitised: false,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: crate::model::rules::RuleSetId::Decree61,
        };
        assert_eq!(
            all.iter().map(|a| test.contains(&header(a))).collect::<Vec<_>>(),
            [false, true, true, false]
        );
        assert_eq!(
            all.iter().map(|a| whole.contains(&header(a))).collect::<Vec<_>>(),
            [true, true, true, false]
        );
        assert_eq!(
            all.iter().map(|a| level.contains(&header(a))).collect::<Vec<_>>(),
            [true, false, false, true]
        );
        assert!(all.iter().all(|a| !unknown.contains(&header(a))));
    }
}
