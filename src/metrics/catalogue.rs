//! Procedure catalogue metrics: the catalogue at a date (levels, fields, cut time
//! limits, online coverage, online payment), announcements in a period, the time and
//! money saved by reduced limits, and processing-time statistics (Decision 766
//! indicator 2.2). Pure functions over model values; the store feeds them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::id::{AgencyCode, Field, ProcedureCode};
use crate::metrics::display::{Lang, format_count, format_decimal};
use crate::metrics::report::Ratio;
use crate::model::agency::Level;
use crate::model::calendar::WorkCalendar;
use crate::model::dossier::Dossier;
use crate::model::procedure::{AnnouncementKind, Procedure, ProcedureStatus};
use crate::model::scope::Period;
use crate::model::time_limit::{TimeLimit, TimeUnit, vietnam_date};
use crate::{Error, Result};

/// Days in an average Gregorian month (365.2425 / 12), used to express months.
pub const DAYS_PER_MONTH: f64 = 30.4375;
/// Working hours in a working day.
pub const HOURS_PER_WORKING_DAY: u64 = 8;

fn ratio_text(ratio: Option<Ratio>, lang: Lang) -> String {
    ratio.map_or_else(|| "–".to_owned(), |r| r.display(lang))
}

fn count(n: u64, lang: Lang) -> String {
    format_count(i64::try_from(n).unwrap_or(i64::MAX), lang)
}

/// Which procedures catalogue statistics cover.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogueScope {
    /// Every procedure.
    #[default]
    All,
    /// The procedures whose competent levels include this level.
    Level(Level),
    /// The procedures of a field.
    Field(Field),
}

impl CatalogueScope {
    /// Returns whether `procedure` is in the scope.
    pub fn matches(&self, procedure: &Procedure) -> bool {
        match self {
            Self::All => true,
            Self::Level(level) => procedure.levels().contains(level),
            Self::Field(field) => procedure.field() == field,
        }
    }
}

/// The smallest cut of the local time limit against the central one that counts as
/// "cut", as an exact fraction (default 30 %, the policy threshold in the seed
/// articles). Comparisons are exact: a limit of 10 days cut to 7 is cut by 30 %.
///
/// ```
/// use cchc::CutThreshold;
/// assert_eq!(CutThreshold::default(), CutThreshold::percent(30)?);
/// assert!(CutThreshold::new(4, 3).is_err()); // more than the whole limit
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "(u32, u32)", into = "(u32, u32)")]
pub struct CutThreshold {
    numerator: u32,
    denominator: u32,
}

impl CutThreshold {
    /// A threshold of `numerator / denominator` of the central limit.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the denominator is 0 or the fraction is above 1
    /// (a cut larger than the limit).
    pub fn new(numerator: u32, denominator: u32) -> Result<Self> {
        if denominator == 0 {
            return Err(Error::invalid("cut_threshold", "the denominator is 0"));
        }
        if numerator > denominator {
            return Err(Error::invalid(
                "cut_threshold",
                format!("{numerator}/{denominator} cuts more than the whole limit"),
            ));
        }
        Ok(Self { numerator, denominator })
    }

    /// A threshold of `percent` %.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] above 100 %.
    pub fn percent(percent: u32) -> Result<Self> {
        Self::new(percent, 100)
    }

    /// Returns the threshold as a fraction.
    pub fn value(&self) -> f64 {
        f64::from(self.numerator) / f64::from(self.denominator)
    }

    /// Returns whether `procedure`'s reduced limit cuts its central limit by at least
    /// this fraction: `(central − reduced) / central ≥ threshold`, in exact integer
    /// arithmetic. A procedure without a reduced limit, or with a central limit of 0,
    /// is not cut.
    pub fn is_met_by(&self, procedure: &Procedure) -> bool {
        let central = procedure.central_limit();
        let Some(reduced) = procedure.reduced_limit() else { return false };
        if central.amount == 0 || reduced.unit != central.unit || reduced.amount >= central.amount {
            return false;
        }
        let cut = u64::from(central.amount - reduced.amount);
        cut * u64::from(self.denominator) >= u64::from(self.numerator) * u64::from(central.amount)
    }
}

impl Default for CutThreshold {
    fn default() -> Self {
        Self { numerator: 30, denominator: 100 }
    }
}

impl TryFrom<(u32, u32)> for CutThreshold {
    type Error = Error;
    fn try_from((n, d): (u32, u32)) -> Result<Self> {
        Self::new(n, d)
    }
}

impl From<CutThreshold> for (u32, u32) {
    fn from(t: CutThreshold) -> Self {
        (t.numerator, t.denominator)
    }
}

/// Returns the procedures in force on `date`: of each code, the version with the
/// latest `effective_from` on or before `date`, left out when that version abolishes
/// the procedure. Ordered by code.
pub fn versions_in_force<'a>(
    versions: impl IntoIterator<Item = &'a Procedure>,
    date: Date,
) -> Vec<&'a Procedure> {
    let mut latest: BTreeMap<&ProcedureCode, &Procedure> = BTreeMap::new();
    for p in versions {
        if p.effective_from() > date {
            continue;
        }
        let slot = latest.entry(p.code()).or_insert(p);
        if p.effective_from() > slot.effective_from() {
            *slot = p;
        }
    }
    latest.into_values().filter(|p| p.status() == ProcedureStatus::InForce).collect()
}

/// The procedure catalogue of a scope on a date.
///
/// Counts are of procedure codes in force on `as_of` (see [`versions_in_force`]). A
/// procedure competent at several levels counts once at each, so the level counts
/// may add up to more than `total`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueStats {
    /// The date.
    #[serde(with = "crate::serde_forms::one")]
    pub as_of: Date,
    /// The scope.
    pub scope: CatalogueScope,
    /// The cut threshold applied to `cut_at_least`.
    pub threshold: CutThreshold,
    /// Procedures in force.
    pub total: u64,
    /// Procedures by competent level.
    pub by_level: BTreeMap<Level, u64>,
    /// Procedures by field.
    pub by_field: BTreeMap<Field, u64>,
    /// Procedures with a local limit shorter than the central one.
    pub reduced: u64,
    /// Procedures whose local limit is cut by at least the threshold.
    pub cut_at_least: u64,
    /// Partial online services (DVCTT một phần).
    pub partial_online: u64,
    /// Full online services (DVCTT toàn trình).
    pub full_online: u64,
    /// Procedures eligible for full online service (full ones included).
    pub full_online_eligible: u64,
    /// Online services (partial or full) integrated on the national portal.
    pub national_portal: u64,
    /// Fee-bearing procedures.
    pub fee_bearing: u64,
    /// Fee-bearing procedures with online payment integrated.
    pub online_payment: u64,
}

impl CatalogueStats {
    /// Computes the statistics of `scope` on `as_of` from procedure versions (all
    /// versions may be passed; the one in force on `as_of` is used).
    pub fn compute<'a>(
        versions: impl IntoIterator<Item = &'a Procedure>,
        scope: &CatalogueScope,
        as_of: Date,
        threshold: CutThreshold,
    ) -> Self {
        let mut s = Self {
            as_of,
            scope: scope.clone(),
            threshold,
            total: 0,
            by_level: BTreeMap::new(),
            by_field: BTreeMap::new(),
            reduced: 0,
            cut_at_least: 0,
            partial_online: 0,
            full_online: 0,
            full_online_eligible: 0,
            national_portal: 0,
            fee_bearing: 0,
            online_payment: 0,
        };
        for p in versions_in_force(versions, as_of).into_iter().filter(|p| scope.matches(p)) {
            s.total += 1;
            for level in p.levels() {
                *s.by_level.entry(*level).or_default() += 1;
            }
            *s.by_field.entry(p.field().clone()).or_default() += 1;
            if p.reduced_limit().is_some_and(|r| r.amount < p.central_limit().amount) {
                s.reduced += 1;
            }
            s.cut_at_least += u64::from(threshold.is_met_by(p));
            match p.online() {
                crate::OnlineLevel::None => {}
                crate::OnlineLevel::Partial => s.partial_online += 1,
                crate::OnlineLevel::Full => s.full_online += 1,
            }
            s.full_online_eligible += u64::from(p.full_online_eligible());
            s.national_portal += u64::from(p.online().is_online() && p.national_portal());
            s.fee_bearing += u64::from(p.fee_bearing());
            s.online_payment += u64::from(p.fee_bearing() && p.online_payment());
        }
        s
    }

    /// Returns the online services, partial or full.
    pub fn online(&self) -> u64 {
        self.partial_online + self.full_online
    }
    /// Returns the share of procedures cut by at least the threshold: `cut_at_least / total`.
    pub fn cut_share(&self) -> Option<Ratio> {
        Ratio::new(self.cut_at_least, self.total)
    }
    /// Returns the share offered online (766 indicator 3.1): `online / total`.
    pub fn online_share(&self) -> Option<Ratio> {
        Ratio::new(self.online(), self.total)
    }
    /// Returns the share of full online services among the eligible:
    /// `full_online / full_online_eligible`.
    pub fn full_online_share(&self) -> Option<Ratio> {
        Ratio::new(self.full_online, self.full_online_eligible)
    }
    /// Returns the share of online services integrated on the national portal:
    /// `national_portal / online`.
    pub fn national_portal_share(&self) -> Option<Ratio> {
        Ratio::new(self.national_portal, self.online())
    }
    /// Returns the share of fee-bearing procedures with online payment:
    /// `online_payment / fee_bearing`.
    pub fn online_payment_share(&self) -> Option<Ratio> {
        Ratio::new(self.online_payment, self.fee_bearing)
    }

    /// Formats the statistics in `lang`.
    pub fn display(&self, lang: Lang) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {}: {}",
            lang.pick("TTHC còn hiệu lực ngày", "Procedures in force on"),
            self.as_of,
            count(self.total, lang)
        );
        for (level, n) in &self.by_level {
            let name = match lang {
                Lang::Vi => level.name_vi(),
                Lang::En => level.name_en(),
            };
            let _ = writeln!(out, "  {name}: {}", count(*n, lang));
        }
        for (field, n) in &self.by_field {
            let _ = writeln!(out, "  {field}: {}", count(*n, lang));
        }
        let pct = format_decimal(self.threshold.value() * 100.0, 0, lang);
        let _ = writeln!(
            out,
            "{} {pct} %: {}",
            lang.pick("Cắt giảm thời gian giải quyết ít nhất", "Time limit cut by at least"),
            ratio_text(self.cut_share(), lang)
        );
        let _ = writeln!(
            out,
            "{}: {} ({} {}, {} {})",
            lang.pick("Dịch vụ công trực tuyến", "Online services"),
            ratio_text(self.online_share(), lang),
            count(self.partial_online, lang),
            lang.pick("một phần", "partial"),
            count(self.full_online, lang),
            lang.pick("toàn trình", "full")
        );
        let _ = writeln!(
            out,
            "{}: {}",
            lang.pick("Toàn trình trên số đủ điều kiện", "Full among eligible"),
            ratio_text(self.full_online_share(), lang)
        );
        let _ = writeln!(
            out,
            "{}: {}",
            lang.pick("Tích hợp trên Cổng DVCQG", "Integrated on the national portal"),
            ratio_text(self.national_portal_share(), lang)
        );
        let _ = write!(
            out,
            "{}: {}",
            lang.pick("Thanh toán trực tuyến", "Online payment"),
            ratio_text(self.online_payment_share(), lang)
        );
        out
    }
}

impl fmt::Display for CatalogueStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Lang::Vi))
    }
}

/// Announcement decisions (quyết định công bố) signed in a period and the procedures
/// they announced.
///
/// An announcement counts when its signing date is in the period. `decisions` counts
/// distinct decision numbers; each kind counts distinct procedure codes (a procedure
/// announced twice with the same kind in the period counts once, as Decision 766
/// indicator 1.1 counts it). The seed's "amended or replaced" figure is
/// [`AnnouncementStats::amended_or_replaced`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementStats {
    /// The period.
    pub period: Period,
    /// Distinct decisions signed.
    pub decisions: u64,
    /// New procedures (ban hành mới).
    pub new: u64,
    /// Amended procedures (sửa đổi, bổ sung).
    pub amended: u64,
    /// Replaced procedures (thay thế).
    pub replaced: u64,
    /// Abolished procedures (bãi bỏ).
    pub abolished: u64,
    /// Distinct procedure codes announced, whatever the kind.
    pub procedures: u64,
}

impl AnnouncementStats {
    /// Counts the announcements of every version of every procedure signed in `period`.
    pub fn compute<'a>(versions: impl IntoIterator<Item = &'a Procedure>, period: Period) -> Self {
        let mut decisions = BTreeSet::new();
        let mut by_kind: BTreeSet<(AnnouncementKind, &ProcedureCode)> = BTreeSet::new();
        let mut codes = BTreeSet::new();
        for p in versions {
            for a in p.announcements().iter().filter(|a| period.contains(a.signed)) {
                decisions.insert(a.number.as_str());
                by_kind.insert((a.kind, p.code()));
                codes.insert(p.code());
            }
        }
        let of = |kind| by_kind.iter().filter(|(k, _)| *k == kind).count() as u64;
        Self {
            period,
            decisions: decisions.len() as u64,
            new: of(AnnouncementKind::New),
            amended: of(AnnouncementKind::Amended),
            replaced: of(AnnouncementKind::Replaced),
            abolished: of(AnnouncementKind::Abolished),
            procedures: codes.len() as u64,
        }
    }

    /// Returns amended plus replaced procedures.
    pub fn amended_or_replaced(&self) -> u64 {
        self.amended + self.replaced
    }
    /// Returns the announced procedures summed over the kinds.
    pub fn total(&self) -> u64 {
        self.new + self.amended + self.replaced + self.abolished
    }

    /// Formats the statistics in `lang`.
    pub fn display(&self, lang: Lang) -> String {
        format!(
            "{} {}: {}; {}: {} ({} {}, {} {}, {} {}, {} {})",
            lang.pick("Quyết định công bố", "Announcement decisions"),
            self.period,
            count(self.decisions, lang),
            lang.pick("TTHC", "procedures"),
            count(self.total(), lang),
            count(self.new, lang),
            lang.pick("mới", "new"),
            count(self.amended, lang),
            lang.pick("sửa đổi, bổ sung", "amended"),
            count(self.replaced, lang),
            lang.pick("thay thế", "replaced"),
            count(self.abolished, lang),
            lang.pick("bãi bỏ", "abolished"),
        )
    }
}

impl fmt::Display for AnnouncementStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Lang::Vi))
    }
}

/// Time and money saved by reduced limits, for one procedure, agency or scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SavingsLine {
    /// Dossiers resolved in the period under a limit shorter than the central one.
    pub dossiers: u64,
    /// Σ (central − local) for limits in working days or working hours, in working
    /// hours (a working day is 8 working hours).
    pub working_hours: u64,
    /// Σ (central − local) for limits in calendar days; not converted to money.
    pub calendar_days: u64,
    /// Σ (central − local) for limits in months; not converted to money.
    pub months: u64,
    /// `working_hours × cost per dossier-day / 8`, rounded down, in VND.
    pub money_vnd: u64,
}

impl SavingsLine {
    /// Returns the working time saved in working days (`working_hours / 8`).
    pub fn working_days(&self) -> f64 {
        self.working_hours as f64 / HOURS_PER_WORKING_DAY as f64
    }

    fn add(&mut self, unit: TimeUnit, amount: u64) {
        self.dossiers += 1;
        match unit {
            TimeUnit::WorkingHours => self.working_hours += amount,
            TimeUnit::WorkingDays => self.working_hours += amount * HOURS_PER_WORKING_DAY,
            TimeUnit::CalendarDays => self.calendar_days += amount,
            TimeUnit::Months => self.months += amount,
        }
    }

    fn priced(mut self, cost_per_day: u64) -> Result<Self> {
        let money = u128::from(self.working_hours) * u128::from(cost_per_day)
            / u128::from(HOURS_PER_WORKING_DAY);
        self.money_vnd = u64::try_from(money)
            .map_err(|_| Error::invalid("cost_per_dossier_day", "the saving overflows u64"))?;
        Ok(self)
    }

    fn display(&self, lang: Lang) -> String {
        let mut out = format!(
            "{} {}, {} {}, {} VND",
            count(self.dossiers, lang),
            lang.pick("hồ sơ", "dossiers"),
            format_decimal(self.working_days(), 1, lang),
            lang.pick("ngày làm việc", "working days"),
            count(self.money_vnd, lang)
        );
        if self.calendar_days > 0 {
            let _ = write!(
                out,
                ", {} {}",
                count(self.calendar_days, lang),
                lang.pick("ngày", "calendar days")
            );
        }
        if self.months > 0 {
            let _ = write!(out, ", {} {}", count(self.months, lang), lang.pick("tháng", "months"));
        }
        out
    }
}

/// Time and money saved by reduced limits in a period (Standard Cost Model style).
///
/// A dossier counts when it was resolved in the period (resolution day, Vietnam time)
/// and the limit it was timed against (the local limit of the procedure version in
/// force on its receipt day) is shorter than that version's central limit, in the
/// same unit. Each such dossier saves `central − local` units. Working days and
/// working hours are added up in working hours (8 per day) and priced at the
/// caller's cost per dossier-day: `money = working_hours × cost / 8`, in integer
/// arithmetic, rounded down per line. Calendar days and months are not working time;
/// they are counted separately and not priced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Savings {
    /// The period.
    pub period: Period,
    /// The cost of one dossier-day in VND.
    pub cost_per_dossier_day: u64,
    /// The whole scope.
    pub total: SavingsLine,
    /// By procedure.
    pub by_procedure: BTreeMap<ProcedureCode, SavingsLine>,
    /// By agency responsible at receipt.
    pub by_agency: BTreeMap<AgencyCode, SavingsLine>,
}

impl Savings {
    /// Formats the savings in `lang`: the total, then by procedure.
    pub fn display(&self, lang: Lang) -> String {
        let mut out = format!(
            "{} {}: {}",
            lang.pick("Tiết kiệm nhờ cắt giảm thời gian", "Saved by reduced limits"),
            self.period,
            self.total.display(lang)
        );
        for (code, line) in &self.by_procedure {
            let _ = write!(out, "\n  {code}: {}", line.display(lang));
        }
        out
    }
}

impl fmt::Display for Savings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Lang::Vi))
    }
}

/// Accumulates [`Savings`]: push dossiers with the central limit of the version
/// that timed them, merge partial accumulators, then price with [`finish`](Self::finish).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavingsAccumulator {
    period: Period,
    total: SavingsLine,
    by_procedure: BTreeMap<ProcedureCode, SavingsLine>,
    by_agency: BTreeMap<AgencyCode, SavingsLine>,
}

impl SavingsAccumulator {
    /// An empty accumulator for `period`.
    pub fn new(period: Period) -> Self {
        Self {
            period,
            total: SavingsLine::default(),
            by_procedure: BTreeMap::new(),
            by_agency: BTreeMap::new(),
        }
    }

    /// Adds `dossier`, timed against `header().limit` where the procedure version in
    /// force on its receipt day had the central limit `central`. Returns whether it
    /// counted.
    pub fn push(&mut self, dossier: &Dossier, central: TimeLimit) -> bool {
        let Some(resolved) = dossier.resolved_at() else { return false };
        let local = dossier.header().limit;
        if !self.period.contains(vietnam_date(resolved))
            || local.unit != central.unit
            || local.amount >= central.amount
        {
            return false;
        }
        let saved = u64::from(central.amount - local.amount);
        let h = dossier.header();
        self.total.add(local.unit, saved);
        self.by_procedure.entry(h.procedure.clone()).or_default().add(local.unit, saved);
        self.by_agency.entry(h.agency.clone()).or_default().add(local.unit, saved);
        true
    }

    /// Adds another accumulator's counts (for the same period).
    pub fn merge(&mut self, other: Self) {
        fn add(a: &mut SavingsLine, b: SavingsLine) {
            a.dossiers += b.dossiers;
            a.working_hours += b.working_hours;
            a.calendar_days += b.calendar_days;
            a.months += b.months;
        }
        add(&mut self.total, other.total);
        for (k, v) in other.by_procedure {
            add(self.by_procedure.entry(k).or_default(), v);
        }
        for (k, v) in other.by_agency {
            add(self.by_agency.entry(k).or_default(), v);
        }
    }

    /// Prices the saved working time at `cost_per_dossier_day` VND.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a line's money does not fit in `u64`.
    pub fn finish(self, cost_per_dossier_day: u64) -> Result<Savings> {
        fn price<K: Ord>(
            lines: BTreeMap<K, SavingsLine>,
            cost: u64,
        ) -> Result<BTreeMap<K, SavingsLine>> {
            lines.into_iter().map(|(k, v)| v.priced(cost).map(|v| (k, v))).collect()
        }
        Ok(Savings {
            period: self.period,
            cost_per_dossier_day,
            total: self.total.priced(cost_per_dossier_day)?,
            by_procedure: price(self.by_procedure, cost_per_dossier_day)?,
            by_agency: price(self.by_agency, cost_per_dossier_day)?,
        })
    }
}

/// Returns the `p`-quantile (`0 ≤ p ≤ 1`) of ascending `sorted` values by linear
/// interpolation between closest ranks (Hyndman and Fan type 7, the default of R and
/// NumPy): with `h = (n − 1) p`, the result is `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`.
/// `None` for no values or `p` outside `[0, 1]`.
///
/// ```
/// use cchc::metrics::catalogue::quantile;
/// assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
/// assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9), Some(9.1));
/// ```
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let x_lo = *sorted.get(lo)?;
    let x_hi = sorted.get(lo + 1).copied().unwrap_or(x_lo);
    Some(x_lo + (h - lo as f64) * (x_hi - x_lo))
}

/// Returns the time from `from` to `to` in `unit`:
/// - working hours: the working time between them over `calendar`'s table, in hours;
/// - working days: that working time divided by 8 hours;
/// - calendar days: the elapsed time divided by 24 hours;
/// - months: the calendar days divided by 30.4375 (365.2425 / 12).
pub fn elapsed_in(
    calendar: &WorkCalendar,
    from: OffsetDateTime,
    to: OffsetDateTime,
    unit: TimeUnit,
) -> f64 {
    let hours = |d: time::Duration| d.as_seconds_f64() / 3600.0;
    match unit {
        TimeUnit::WorkingHours => hours(calendar.working_time_between(from, to)),
        TimeUnit::WorkingDays => {
            hours(calendar.working_time_between(from, to)) / HOURS_PER_WORKING_DAY as f64
        }
        TimeUnit::CalendarDays => hours(to - from) / 24.0,
        TimeUnit::Months => hours(to - from) / 24.0 / DAYS_PER_MONTH,
    }
}

/// Count, mean, median and 90th percentile of processing times in one unit.
///
/// The median and the 90th percentile use [`quantile`] (linear interpolation between
/// closest ranks, type 7); the mean is a compensated (Neumaier) sum divided by the
/// count, Decision 766 indicator 2.2.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeStats {
    /// The unit of every figure.
    pub unit: TimeUnit,
    /// Resolved dossiers.
    pub count: u64,
    /// The mean.
    pub mean: f64,
    /// The median.
    pub median: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The shortest.
    pub min: f64,
    /// The longest.
    pub max: f64,
}

impl TimeStats {
    /// Computes the statistics of `values` (any order); `None` when there are none or
    /// one is not finite.
    pub fn from_values(unit: TimeUnit, mut values: Vec<f64>) -> Option<Self> {
        if values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let (mut sum, mut compensation) = (0.0f64, 0.0f64);
        for &v in &values {
            let t = sum + v;
            compensation += if sum.abs() >= v.abs() { (sum - t) + v } else { (v - t) + sum };
            sum = t;
        }
        Some(Self {
            unit,
            count: values.len() as u64,
            mean: (sum + compensation) / values.len() as f64,
            median: quantile(&values, 0.5)?,
            p90: quantile(&values, 0.9)?,
            min: *values.first()?,
            max: *values.last()?,
        })
    }

    fn display(&self, lang: Lang) -> String {
        let unit = match self.unit {
            TimeUnit::WorkingHours => lang.pick("giờ làm việc", "working hours"),
            TimeUnit::WorkingDays => lang.pick("ngày làm việc", "working days"),
            TimeUnit::CalendarDays => lang.pick("ngày", "calendar days"),
            TimeUnit::Months => lang.pick("tháng", "months"),
        };
        let d = |x: f64| format_decimal(x, 2, lang);
        format!(
            "{} {}; {} {}, {} {}, P90 {} ({unit})",
            count(self.count, lang),
            lang.pick("hồ sơ", "dossiers"),
            lang.pick("trung bình", "mean"),
            d(self.mean),
            lang.pick("trung vị", "median"),
            d(self.median),
            d(self.p90)
        )
    }
}

/// Processing-time statistics of one procedure in its unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureTimes {
    /// The procedure.
    pub procedure: ProcedureCode,
    /// Its statistics.
    pub stats: TimeStats,
}

/// Processing times (from receipt to resolution, supplement waits included) of
/// dossiers resolved in a period, per procedure in the procedure's own unit, and for
/// the whole scope per unit (figures in different units are never mixed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessingTimes {
    /// The period.
    pub period: Period,
    /// By procedure (and unit, if a procedure changed unit), ordered by code.
    pub by_procedure: Vec<ProcedureTimes>,
    /// The scope, one entry per unit present, in the order hours, days, calendar days,
    /// months.
    pub by_unit: Vec<TimeStats>,
}

impl ProcessingTimes {
    /// Returns the statistics of `procedure`, if it had resolved dossiers.
    pub fn procedure(&self, procedure: &ProcedureCode) -> Option<&TimeStats> {
        self.by_procedure.iter().find(|p| &p.procedure == procedure).map(|p| &p.stats)
    }
    /// Returns the scope's statistics in `unit`, if any dossier was timed in it.
    pub fn unit(&self, unit: TimeUnit) -> Option<&TimeStats> {
        self.by_unit.iter().find(|s| s.unit == unit)
    }

    /// Formats the statistics in `lang`.
    pub fn display(&self, lang: Lang) -> String {
        let mut out =
            format!("{} {}", lang.pick("Thời gian giải quyết", "Processing time"), self.period);
        for s in &self.by_unit {
            let _ = write!(out, "\n  {}", s.display(lang));
        }
        for p in &self.by_procedure {
            let _ = write!(out, "\n  {}: {}", p.procedure, p.stats.display(lang));
        }
        out
    }
}

impl fmt::Display for ProcessingTimes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Lang::Vi))
    }
}

fn unit_rank(unit: TimeUnit) -> u8 {
    match unit {
        TimeUnit::WorkingHours => 0,
        TimeUnit::WorkingDays => 1,
        TimeUnit::CalendarDays => 2,
        TimeUnit::Months => 3,
    }
}

const UNITS: [TimeUnit; 4] =
    [TimeUnit::WorkingHours, TimeUnit::WorkingDays, TimeUnit::CalendarDays, TimeUnit::Months];

/// Accumulates [`ProcessingTimes`] from dossiers.
#[derive(Debug, Clone)]
pub struct ProcessingTimeAccumulator<'c> {
    calendar: &'c WorkCalendar,
    period: Period,
    values: BTreeMap<(ProcedureCode, u8), Vec<f64>>,
}

impl<'c> ProcessingTimeAccumulator<'c> {
    /// An empty accumulator for dossiers resolved in `period`, timed over `calendar`.
    pub fn new(calendar: &'c WorkCalendar, period: Period) -> Self {
        Self { calendar, period, values: BTreeMap::new() }
    }

    /// Adds `dossier` when it was resolved in the period; returns whether it counted.
    /// Its time is expressed in the unit of the limit it was timed against.
    pub fn push(&mut self, dossier: &Dossier) -> bool {
        let Some(resolved) = dossier.resolved_at() else { return false };
        if !self.period.contains(vietnam_date(resolved)) {
            return false;
        }
        let unit = dossier.header().limit.unit;
        let t = elapsed_in(self.calendar, dossier.received_at(), resolved, unit);
        self.values
            .entry((dossier.header().procedure.clone(), unit_rank(unit)))
            .or_default()
            .push(t);
        true
    }

    /// Returns the statistics.
    pub fn finish(self) -> ProcessingTimes {
        let mut by_unit: [Vec<f64>; 4] = Default::default();
        let mut by_procedure = Vec::with_capacity(self.values.len());
        for ((procedure, rank), values) in self.values {
            let unit = UNITS.get(usize::from(rank)).copied().unwrap_or(TimeUnit::WorkingDays);
            if let Some(all) = by_unit.get_mut(usize::from(rank)) {
                all.extend_from_slice(&values);
            }
            if let Some(stats) = TimeStats::from_values(unit, values) {
                by_procedure.push(ProcedureTimes { procedure, stats });
            }
        }
        let by_unit = UNITS
            .iter()
            .zip(by_unit)
            .filter_map(|(&unit, values)| TimeStats::from_values(unit, values))
            .collect();
        ProcessingTimes { period: self.period, by_procedure, by_unit }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn version(code: &str, from: Date, status: ProcedureStatus) -> Procedure {
        Procedure::builder(
            ProcedureCode::new(code).unwrap(),
            "T",
            Field::new("F").unwrap(),
            TimeLimit::working_days(10),
        )
        .effective_from(from)
        .status(status)
        .build()
        .unwrap()
    }

    #[test]
    fn the_latest_version_on_the_date_wins_whatever_the_input_order() {
        let v1 = version("1.000001", date!(2023 - 01 - 01), ProcedureStatus::InForce);
        let v2 = version("1.000001", date!(2023 - 07 - 01), ProcedureStatus::Abolished);
        let v3 = version("1.000001", date!(2024 - 01 - 01), ProcedureStatus::InForce);
        let other = version("1.000002", date!(2023 - 03 - 01), ProcedureStatus::InForce);
        let all = [v3.clone(), other.clone(), v2, v1.clone()];
        let codes = |d: Date| {
            versions_in_force(&all, d)
                .into_iter()
                .map(|p| (p.code().as_str().to_owned(), p.effective_from()))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(date!(2022 - 12 - 31)), []);
        assert_eq!(
            codes(date!(2023 - 06 - 30)),
            [
                ("1.000001".to_owned(), v1.effective_from()),
                ("1.000002".to_owned(), other.effective_from())
            ]
        );
        assert_eq!(codes(date!(2023 - 07 - 01)), [("1.000002".to_owned(), other.effective_from())]);
        assert_eq!(codes(date!(2024 - 01 - 01)).first().map(|c| c.1), Some(v3.effective_from()));
    }

    proptest! {
        #[test]
        fn quantiles_are_monotone_and_bounded(
            mut xs in proptest::collection::vec(-1e6f64..1e6, 1..50),
            p in 0.0f64..=1.0,
            q in 0.0f64..=1.0,
        ) {
            xs.sort_by(f64::total_cmp);
            let (lo, hi) = (p.min(q), p.max(q));
            let (a, b) = (quantile(&xs, lo).unwrap(), quantile(&xs, hi).unwrap());
            prop_assert!(a <= b + 1e-9);
            prop_assert!(xs[0] <= a + 1e-9 && b <= xs[xs.len() - 1] + 1e-9);
            prop_assert_eq!(quantile(&xs, 0.0), Some(xs[0]));
            prop_assert_eq!(quantile(&xs, 1.0), Some(xs[xs.len() - 1]));
        }

        #[test]
        fn mean_matches_a_naive_sum(xs in proptest::collection::vec(0.0f64..1e4, 1..200)) {
            let s = TimeStats::from_values(TimeUnit::WorkingDays, xs.clone()).unwrap();
            let naive = xs.iter().sum::<f64>() / xs.len() as f64;
            prop_assert!((s.mean - naive).abs() <= 1e-9 * naive.max(1.0));
            prop_assert_eq!(s.count, xs.len() as u64);
        }

        #[test]
        fn cut_threshold_matches_rational_comparison(
            central in 1u32..1000, reduced_pct in 0u32..=100, num in 0u32..=100,
        ) {
            let reduced = central * reduced_pct / 100;
            let p = Procedure::builder(
                ProcedureCode::new("1.000001").unwrap(), "T", Field::new("F").unwrap(),
                TimeLimit::working_days(central),
            )
            .reduced_limit(TimeLimit::working_days(reduced))
            .build()
            .unwrap();
            let t = CutThreshold::percent(num).unwrap();
            // Second implementation: compare in hundredths with i128.
            let expected = reduced < central
                && i128::from(central - reduced) * 100 >= i128::from(num) * i128::from(central);
            prop_assert_eq!(t.is_met_by(&p), expected);
        }
    }
}
