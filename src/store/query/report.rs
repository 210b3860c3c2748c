//! Reports and backlogs: read the counters (and, inside a day, the intraday index) and
//! hand them to the pure accumulators of `metrics::report`.

use time::Date;

use crate::metrics::report::{Backlog, OneStopReport};
use crate::model::dossier::ClockRule;
use crate::model::measure::STATE_MEASURES;
use crate::model::scope::{Period, Scope};
use crate::store::Store;
use crate::{Error, Result};

impl Store {
    /// Returns the periodic one-stop-shop report for `scope` over `period`, timing
    /// resolutions with the Restart rule (Decree 61 Art. 19(4)).
    ///
    /// Cost: a few range scans over maintained counters, independent of the number of
    /// dossiers (at most the years before `to`, 11 months and 30 days per node, for
    /// two boundaries).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown agency or procedure in the scope;
    /// [`Error::Corrupt`] for damaged counters.
    ///
    /// ```
    /// # use cchc::*;
    /// let store = Store::temporary()?;
    /// # store.agencies().insert(&Agency::province(AgencyCode::new("000.00.00.H49")?, "Quảng Nam")?)?;
    /// let report = store.report(&Scope::All, Period::year(2023)?)?;
    /// assert_eq!(report.received_total(), 0);
    /// assert_eq!(report.on_time_rate(), None);
    /// # Ok::<(), cchc::Error>(())
    /// ```
    pub fn report(&self, scope: &Scope, period: Period) -> Result<OneStopReport> {
        self.report_with(scope, period, ClockRule::Restart)
    }

    /// Returns the periodic report timed with `rule`. See [`Store::report`].
    ///
    /// # Errors
    /// As [`Store::report`].
    pub fn report_with(
        &self,
        scope: &Scope,
        period: Period,
        rule: ClockRule,
    ) -> Result<OneStopReport> {
        let (group, nodes) = self.nodes_for_scope(scope)?;
        let start = self.counts_at(group, &nodes, period.from())?;
        let end = self.counts_at(group, &nodes, period.end_day())?;
        Ok(OneStopReport::from_prefixes(period, rule, &start, &end))
    }

    /// Returns the backlog of `scope` at the end of `as_of` (00:00 UTC+7 of the next
    /// day), for any past or future date; "overdue" uses `rule`. Same cost as a report.
    /// For any other instant use [`Store::backlog_at`].
    ///
    /// # Errors
    /// As [`Store::report`].
    pub fn backlog(&self, scope: &Scope, as_of: Date, rule: ClockRule) -> Result<Backlog> {
        let (group, nodes) = self.nodes_for_scope(scope)?;
        let next = as_of
            .next_day()
            .ok_or_else(|| Error::invalid("as_of", "is the last representable day"))?;
        Ok(Backlog::from_prefix(
            crate::model::time_limit::start_of_day(next),
            rule,
            &self.counts_at(group, &nodes, next)?,
        ))
    }

    /// Returns the backlog of `scope` at any instant `at`; "overdue" uses `rule`. It
    /// equals [`Backlog::from_dossiers`] over the scope's dossiers at `at`, without
    /// reading any dossier.
    ///
    /// How: the state measures (pending, waiting, overdue under each rule) at 00:00
    /// (UTC+7) of `at`'s day `D` are the day counters' prefix sums before `D`, as for
    /// [`Store::backlog`]. The intraday index holds every dossier's state changes at
    /// the instant they happen — a receipt, a supplement request or resumption, a
    /// closure, and the crossing of a due instant under either clock rule, each the
    /// state just after the instant minus the state at it, from the same
    /// `Dossier::state_at` fold as [`Backlog::count`] — in one row per hour, kept in
    /// the transaction of every dossier write. A row holds the hour's changes summed
    /// per counting node, and each change with its instant and the dossier's agency,
    /// field and procedure. The changes of `D` before `at` are the sums of the hour rows
    /// of `D` before `at`'s hour, plus the changes in `at`'s hour row before `at` whose
    /// dossier is in the scope. A dossier is in a scope by its counting nodes (the
    /// agency responsible at receipt and its ancestors, its level, field, procedure),
    /// never by its code.
    ///
    /// Cost: the three range scans of [`Store::backlog`], the node sums of at most 23
    /// hour rows, and one pass over the changes of one hour, whatever the number of
    /// dossiers (a busy provincial hour at a million dossiers a year holds about a
    /// thousand changes). At 00:00 exactly it is [`Store::backlog`] of the day before.
    ///
    /// # Errors
    /// As [`Store::report`], and [`Error::InvalidInput`] naming `at` for an instant
    /// outside the [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE).
    pub fn backlog_at(
        &self,
        scope: &Scope,
        at: time::OffsetDateTime,
        rule: ClockRule,
    ) -> Result<Backlog> {
        crate::model::time_limit::check_instant("at", at)?;
        let day = crate::model::time_limit::vietnam_date(at);
        let midnight = crate::model::time_limit::start_of_day(day);
        if midnight == at
            && let Some(before) = day.previous_day()
        {
            return self.backlog(scope, before, rule);
        }
        let (group, nodes) = self.nodes_for_scope(scope)?;
        let mut counts = self.counts_at(group, &nodes, day)?;
        let changes = self.intraday_changes(&nodes, midnight, at)?;
        for (measure, change) in STATE_MEASURES.iter().zip(changes) {
            if let Some(slot) = counts.get_mut(*measure as usize) {
                *slot += change;
            }
        }
        Ok(Backlog::from_prefix(at, rule, &counts))
    }
}
