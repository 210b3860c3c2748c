//! Maintained counters: deltas summed in memory and written inside the
//! transaction that changes them; reports and backlogs as differences of prefix
//! sums read from year, month and day buckets.

use std::collections::HashMap;

use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use time::Date;

use crate::metrics::report::{Backlog, OneStopReport};
use crate::model::dossier::{ClockRule, Dossier};
use crate::model::measure::{Contribution, Counts, MEASURE_COUNT, contributions};
use crate::model::scope::{Period, Scope};
use crate::store::catalog::not_found;
use crate::store::codec::{decode_counts, encode_counts, hex};
use crate::store::keys::{COUNTER_KEY_LEN, Grain, Node, bucket, counter_key, tree};
use crate::store::{Store, poisoned};
use crate::{Error, RecordKind, Result};

const GRAINS: [Grain; 3] = [Grain::Year, Grain::Month, Grain::Day];

/// Counter deltas keyed by counter key, summed in memory.
#[derive(Debug, Default)]
pub(crate) struct Deltas {
    map: HashMap<[u8; COUNTER_KEY_LEN], Counts>,
}

impl Deltas {
    /// Adds the change from `before` (absent for a new dossier) to `after`.
    pub(crate) fn add_change(&mut self, nodes: &[Node], before: Option<&Dossier>, after: &Dossier) {
        let mut net: Vec<Contribution> = contributions(after);
        if let Some(before) = before {
            net.extend(
                contributions(before).into_iter().map(|c| Contribution { delta: -c.delta, ..c }),
            );
            net.sort_unstable_by_key(|c| (c.day, c.measure));
        }
        let mut i = 0;
        while let Some(first) = net.get(i) {
            let mut delta = 0;
            let mut j = i;
            while let Some(c) =
                net.get(j).filter(|c| c.day == first.day && c.measure == first.measure)
            {
                delta += c.delta;
                j += 1;
            }
            if delta != 0 {
                self.add(nodes, first.day, first.measure as usize, delta);
            }
            i = j;
        }
    }

    fn add(&mut self, nodes: &[Node], day: Date, measure: usize, delta: i64) {
        for &node in nodes {
            for grain in GRAINS {
                let counts = self
                    .map
                    .entry(counter_key(node, grain, bucket(grain, day)))
                    .or_insert([0; MEASURE_COUNT]);
                if let Some(slot) = counts.get_mut(measure) {
                    *slot += delta;
                }
            }
        }
    }

    /// Adds the deltas to the stored counters inside a transaction.
    pub(crate) fn apply(
        &self,
        counters: &TransactionalTree,
    ) -> Result<(), ConflictableTransactionError<Error>> {
        for (key, delta) in &self.map {
            if delta.iter().all(|&d| d == 0) {
                continue;
            }
            let mut counts = match counters.get(key)? {
                Some(bytes) => {
                    decode_counts(&bytes, key).map_err(ConflictableTransactionError::Abort)?
                }
                None => [0; MEASURE_COUNT],
            };
            for (c, d) in counts.iter_mut().zip(delta) {
                *c += d;
            }
            if counts.iter().all(|&c| c == 0) {
                counters.remove(key)?;
            } else {
                counters.insert(key, encode_counts(&counts))?;
            }
        }
        Ok(())
    }
}

fn add_into(total: &mut Counts, more: &Counts) {
    for (t, m) in total.iter_mut().zip(more) {
        *t += m;
    }
}

fn sum_range(
    counters: &sled::Tree,
    start: [u8; COUNTER_KEY_LEN],
    end: [u8; COUNTER_KEY_LEN],
    total: &mut Counts,
) -> Result<()> {
    if start >= end {
        return Ok(());
    }
    for item in counters.range(start..end) {
        let (key, value) = item?;
        add_into(total, &decode_counts(&value, &key)?);
    }
    Ok(())
}

/// Returns Σ deltas of `node` for the days before `day`: the state at 00:00 of `day`.
/// Reads at most the years before, the months of `day`'s year before its month, and
/// the days of its month before it: three range scans.
fn prefix(counters: &sled::Tree, node: Node, day: Date, total: &mut Counts) -> Result<()> {
    let first_of_month = day.replace_day(1).unwrap_or(day);
    let first_of_year =
        first_of_month.replace_month(time::Month::January).unwrap_or(first_of_month);
    sum_range(
        counters,
        counter_key(node, Grain::Year, 0),
        counter_key(node, Grain::Year, bucket(Grain::Year, day)),
        total,
    )?;
    sum_range(
        counters,
        counter_key(node, Grain::Month, bucket(Grain::Month, first_of_year)),
        counter_key(node, Grain::Month, bucket(Grain::Month, day)),
        total,
    )?;
    sum_range(
        counters,
        counter_key(node, Grain::Day, bucket(Grain::Day, first_of_month)),
        counter_key(node, Grain::Day, bucket(Grain::Day, day)),
        total,
    )
}

/// One counter that differs between the store and a recomputation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CounterDifference {
    /// The counter key, in hex.
    pub key: String,
    /// The stored counts (empty when missing).
    pub stored: Vec<i64>,
    /// The recomputed counts (empty when there should be none).
    pub expected: Vec<i64>,
}

/// What [`Store::verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    /// Dossiers read.
    pub dossiers: u64,
    /// Counter rows compared.
    pub counters: u64,
    /// Counters that differ from the recomputation.
    pub counter_differences: Vec<CounterDifference>,
    /// Dossier-code index entries that do not match a dossier, or dossiers without one.
    pub index_differences: Vec<String>,
}

impl VerifyReport {
    /// Returns whether everything matched.
    pub fn is_clean(&self) -> bool {
        self.counter_differences.is_empty() && self.index_differences.is_empty()
    }
}

impl Store {
    fn nodes_for_scope(&self, scope: &Scope) -> Result<Vec<Node>> {
        let catalog = self.inner.catalog.read().map_err(|_| poisoned())?;
        let agency = |code| {
            catalog
                .agencies
                .get(code)
                .map(|e| e.key)
                .ok_or_else(|| not_found(RecordKind::Agency, code))
        };
        Ok(match scope {
            Scope::All => vec![Node::All],
            Scope::Agency(code) => vec![Node::Own(agency(code)?)],
            Scope::Subtree(code) => {
                let key = agency(code)?;
                vec![Node::Own(key), Node::Below(key)]
            }
            Scope::Level(level) => {
                vec![Node::Level(
                    crate::model::agency::Level::ALL.iter().position(|l| l == level).unwrap_or(0)
                        as u8,
                )]
            }
            // A field or procedure nobody has used has no counters: an empty report.
            Scope::Field(field) => {
                catalog.fields.get(field).map(|&f| vec![Node::Field(f)]).unwrap_or_default()
            }
            Scope::Procedure(code) => {
                vec![Node::Procedure(
                    catalog
                        .procedures
                        .get(code)
                        .map(|e| e.key)
                        .ok_or_else(|| not_found(RecordKind::Procedure, code))?,
                )]
            }
        })
    }

    /// Returns the raw counter vector of `scope` at 00:00 (UTC+7) of `day`: index it
    /// with `crate::model::measure::Measure`. Flows over a period are
    /// `counts(end_day) − counts(from)`; states are read at one boundary.
    pub(crate) fn scope_counts(&self, scope: &Scope, day: Date) -> Result<Counts> {
        let nodes = self.nodes_for_scope(scope)?;
        self.counts_at(&nodes, day)
    }

    /// Returns the counts of `nodes` at 00:00 (UTC+7) of `day`.
    fn counts_at(&self, nodes: &[Node], day: Date) -> Result<Counts> {
        let mut total = [0; MEASURE_COUNT];
        for &node in nodes {
            prefix(&self.inner.counters, node, day, &mut total)?;
        }
        Ok(total)
    }

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
        let nodes = self.nodes_for_scope(scope)?;
        let start = self.counts_at(&nodes, period.from())?;
        let end = self.counts_at(&nodes, period.end_day())?;
        Ok(OneStopReport::from_prefixes(period, rule, &start, &end))
    }

    /// Returns the backlog of `scope` at the end of `as_of` (00:00 UTC+7 of the next
    /// day), for any past or future date; "overdue" uses `rule`. Same cost as a report.
    /// For an arbitrary instant use [`Backlog::from_dossiers`] over the scope's dossiers.
    ///
    /// # Errors
    /// As [`Store::report`].
    pub fn backlog(&self, scope: &Scope, as_of: Date, rule: ClockRule) -> Result<Backlog> {
        let nodes = self.nodes_for_scope(scope)?;
        let next = as_of
            .next_day()
            .ok_or_else(|| Error::invalid("as_of", "is the last representable day"))?;
        Ok(Backlog::from_prefix(
            crate::model::time_limit::start_of_day(next),
            rule,
            &self.counts_at(&nodes, next)?,
        ))
    }

    /// Recomputes every counter from the dossiers' event histories, checks the dossier
    /// code index, and returns the differences (empty when healthy). O(dossiers).
    ///
    /// # Errors
    /// [`Error::Corrupt`] when a record does not decode; [`Error::Storage`].
    pub fn verify(&self) -> Result<VerifyReport> {
        let (expected, mut report) = self.recompute()?;
        let mut seen = 0u64;
        for item in &self.inner.counters {
            let (key, value) = item?;
            seen += 1;
            let stored = decode_counts(&value, &key)?;
            let want = <[u8; COUNTER_KEY_LEN]>::try_from(key.as_ref())
                .ok()
                .and_then(|k| expected.map.get(&k));
            if want != Some(&stored) {
                report.counter_differences.push(CounterDifference {
                    key: hex(&key),
                    stored: stored.to_vec(),
                    expected: want.map(|w| w.to_vec()).unwrap_or_default(),
                });
            }
        }
        for (key, want) in &expected.map {
            if self.inner.counters.get(key)?.is_none() {
                report.counter_differences.push(CounterDifference {
                    key: hex(key),
                    stored: Vec::new(),
                    expected: want.to_vec(),
                });
            }
        }
        report.counters = seen;
        Ok(report)
    }

    /// Regenerates every counter from the event histories, atomically.
    ///
    /// # Errors
    /// As [`Store::verify`].
    pub fn rebuild(&self) -> Result<()> {
        let (expected, _) = self.recompute()?;
        let mut batch = sled::Batch::default();
        for item in self.inner.counters.iter().keys() {
            batch.remove(item?);
        }
        for (key, counts) in &expected.map {
            batch.insert(key.as_slice(), encode_counts(counts));
        }
        self.inner.counters.apply_batch(batch)?;
        Ok(())
    }

    fn recompute(&self) -> Result<(Deltas, VerifyReport)> {
        let catalog = self.inner.catalog.read().map_err(|_| poisoned())?;
        let mut deltas = Deltas::default();
        let mut report = VerifyReport::default();
        for item in &self.inner.dossiers {
            let (key, value) = item?;
            let record: crate::store::records::DossierRecord =
                crate::store::codec::decode(&value, tree::DOSSIERS, &key)?;
            let dossier = Dossier::try_from(record)
                .map_err(|e| crate::store::codec::corrupt(tree::DOSSIERS, &key, e.to_string()))?;
            let h = dossier.header();
            let nodes = catalog.nodes_for(&h.agency, &h.procedure, &h.field)?;
            deltas.add_change(&nodes, None, &dossier);
            report.dossiers += 1;
            match self.inner.dossier_codes.get(dossier.code().as_str().as_bytes())? {
                Some(k) if k.as_ref() == key.as_ref() => {}
                _ => report
                    .index_differences
                    .push(format!("dossier {} has no matching code entry", dossier.code())),
            }
        }
        deltas.map.retain(|_, counts| counts.iter().any(|&c| c != 0));
        for item in &self.inner.dossier_codes {
            let (code, key) = item?;
            if self.inner.dossiers.get(&key)?.is_none() {
                report
                    .index_differences
                    .push(format!("code {} points to no dossier", String::from_utf8_lossy(&code)));
            }
        }
        Ok((deltas, report))
    }
}
