//! Procedure catalogue metrics: the catalogue at a date (levels, fields, cut time
//! limits, online coverage, online payment), announcements in a period, the time and
//! money saved by reduced limits, and processing-time statistics (Decision 766
//! indicator 2.2). Pure functions over model values; the store feeds them.
mod announcements;
mod processing_times;
mod quantile;
mod savings;

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::id::{Field, ProcedureCode};
use crate::metrics::display::{Lang, format_count, format_decimal};
use crate::metrics::report::Ratio;
use crate::model::agency::Level;
use crate::model::procedure::{OnlineLevel, Procedure, ProcedureStatus};
use crate::{Error, Result};

pub use announcements::AnnouncementStats;
pub use processing_times::{
    ProcedureTimes, ProcessingTimeAccumulator, ProcessingTimes, TimeStats, elapsed_in,
};
pub use quantile::quantile;
pub use savings::{Savings, SavingsAccumulator, SavingsLine};

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
/// use cchc::metrics::catalogue::CutThreshold;
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
                OnlineLevel::None => {}
                OnlineLevel::Partial => s.partial_online += 1,
                OnlineLevel::Full => s.full_online += 1,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time_limit::TimeLimit;
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
