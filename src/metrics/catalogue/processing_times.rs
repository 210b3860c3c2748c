//! Processing times of resolved dossiers: elapsed time in a limit's unit, and the
//! count, mean, median and 90th percentile per procedure and per unit (Decision
//! 766 indicator 2.2).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::quantile::quantile;
use super::{DAYS_PER_MONTH, HOURS_PER_WORKING_DAY, count};
use crate::id::ProcedureCode;
use crate::metrics::display::{Lang, format_decimal};
use crate::model::calendar::WorkCalendar;
use crate::model::dossier::Dossier;
use crate::model::scope::Period;
use crate::model::time_limit::{TimeUnit, vietnam_date};

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

    proptest! {
        #[test]
        fn mean_matches_a_naive_sum(xs in proptest::collection::vec(0.0f64..1e4, 1..200)) {
            let s = TimeStats::from_values(TimeUnit::WorkingDays, xs.clone()).unwrap();
            let naive = xs.iter().sum::<f64>() / xs.len() as f64;
            prop_assert!((s.mean - naive).abs() <= 1e-9 * naive.max(1.0));
            prop_assert_eq!(s.count, xs.len() as u64);
        }
    }
}
