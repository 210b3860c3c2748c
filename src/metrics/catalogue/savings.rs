//! Time and money saved by reduced limits.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

use super::{HOURS_PER_WORKING_DAY, count};
use crate::id::{AgencyCode, ProcedureCode};
use crate::metrics::display::{Lang, format_decimal};
use crate::model::dossier::Dossier;
use crate::model::scope::Period;
use crate::model::time_limit::{TimeLimit, TimeUnit, vietnam_date};
use crate::{Error, Result};

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
