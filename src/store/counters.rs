//! Maintained counters: deltas summed in memory and written inside the
//! transaction that changes them; reports and backlogs as differences of prefix
//! sums read from year, month and day buckets.

use std::collections::{BTreeMap, HashMap};

use sled::transaction::TransactionalTree;
use time::Date;

use crate::metrics::report::{Backlog, OneStopReport};
use crate::model::dossier::{ClockRule, Dossier};
use crate::model::measure::{Contribution, Counts, MEASURE_COUNT, STATE_MEASURES, contributions};
use crate::model::scope::{Period, Scope};
use crate::store::codec::{Row, add_row_nodes, decode_row, encode_row, hex, patch_row};
use crate::store::keys::{COUNTER_KEY_LEN, Grain, Group, Node, bucket, counter_key, tree};
use crate::store::tx::{TxResult, abort, not_found};
use crate::store::{Store, poisoned};
use crate::{Error, RecordKind, Result};

const GRAINS: [Grain; 3] = [Grain::Year, Grain::Month, Grain::Day];

/// A small, fast hasher for the in-memory delta cells (`FxHash`'s multiply-rotate);
/// the keys are our own fixed-size values, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct CellHasher(u64);

impl std::hash::Hasher for CellHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_i32(&mut self, n: i32) {
        self.write_u64(u64::from(n as u32));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Cells = HashMap<(i32, Group, Node), Counts, std::hash::BuildHasherDefault<CellHasher>>;

/// Counter deltas summed in memory per (day, node); expanded to year, month and day
/// rows once per write, so a batch touches each row once.
#[derive(Debug, Default, Clone)]
pub(crate) struct Deltas {
    cells: Cells,
}

/// Counter deltas by row key and node, in key order, ready to apply.
pub(crate) type RowDeltas = BTreeMap<[u8; COUNTER_KEY_LEN], Row>;

impl Deltas {
    /// Adds the change from `before` (absent for a new dossier) to `after`.
    pub(crate) fn add_change(
        &mut self,
        nodes: &[(Group, Node)],
        before: Option<&Dossier>,
        after: &Dossier,
    ) {
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
                let day = first.day.to_julian_day();
                for &(group, node) in nodes {
                    let counts = self.cells.entry((day, group, node)).or_insert([0; MEASURE_COUNT]);
                    if let Some(slot) = counts.get_mut(first.measure as usize) {
                        *slot += delta;
                    }
                }
            }
            i = j;
        }
    }

    /// Adds another set of deltas to this one.
    pub(crate) fn merge(&mut self, other: Deltas) {
        for (cell, counts) in other.cells {
            let total = self.cells.entry(cell).or_insert([0; MEASURE_COUNT]);
            for (t, c) in total.iter_mut().zip(counts) {
                *t += c;
            }
        }
    }

    /// Expands the cells into year, month and day rows.
    pub(crate) fn rows(&self) -> RowDeltas {
        let mut rows = RowDeltas::new();
        for (&(day, group, node), counts) in &self.cells {
            let Ok(day) = Date::from_julian_day(day) else { continue };
            for grain in GRAINS {
                let row = rows.entry(counter_key(group, grain, bucket(grain, day))).or_default();
                let total = row.entry(node.bytes()).or_insert([0; MEASURE_COUNT]);
                for (t, c) in total.iter_mut().zip(counts) {
                    *t += c;
                }
            }
        }
        // Deltas that cancel out need no write.
        for row in rows.values_mut() {
            row.retain(|_, counts| counts.iter().any(|&c| c != 0));
        }
        rows.retain(|_, row| !row.is_empty());
        rows
    }
}

/// Adds row deltas to the stored rows inside a transaction.
pub(crate) fn apply_rows(rows: &RowDeltas, counters: &TransactionalTree) -> TxResult<()> {
    for (key, delta) in rows {
        let stored = counters.get(key)?;
        let bytes = patch_row(stored.as_deref().unwrap_or_default(), key, delta).map_err(abort)?;
        if bytes.is_empty() {
            counters.remove(key)?;
        } else {
            counters.insert(key, bytes)?;
        }
    }
    Ok(())
}

fn sum_range(
    counters: &sled::Tree,
    start: [u8; COUNTER_KEY_LEN],
    end: [u8; COUNTER_KEY_LEN],
    nodes: &[[u8; 5]],
    total: &mut Counts,
) -> Result<()> {
    if start >= end {
        return Ok(());
    }
    for item in counters.range(start..end) {
        let (key, value) = item?;
        add_row_nodes(&value, &key, nodes, total)?;
    }
    Ok(())
}

/// Adds Σ deltas of `nodes` (all in `group`) for the days before `day` — their state at
/// 00:00 of `day` — to `total`. Reads at most the years before, the months of `day`'s
/// year before its month, and the days of its month before it: three range scans.
fn prefix(
    counters: &sled::Tree,
    group: Group,
    nodes: &[[u8; 5]],
    day: Date,
    total: &mut Counts,
) -> Result<()> {
    let first_of_month = day.replace_day(1).unwrap_or(day);
    let first_of_year =
        first_of_month.replace_month(time::Month::January).unwrap_or(first_of_month);
    let key = |grain, d| counter_key(group, grain, bucket(grain, d));
    sum_range(counters, counter_key(group, Grain::Year, 0), key(Grain::Year, day), nodes, total)?;
    sum_range(counters, key(Grain::Month, first_of_year), key(Grain::Month, day), nodes, total)?;
    sum_range(counters, key(Grain::Day, first_of_month), key(Grain::Day, day), nodes, total)
}

/// One counter that differs between the store and a recomputation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CounterDifference {
    /// The counter row key, in hex.
    pub key: String,
    /// The node within the row, in hex.
    pub node: String,
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
    /// Counter rows read.
    pub counters: u64,
    /// Counters that differ from the recomputation.
    pub counter_differences: Vec<CounterDifference>,
    /// Dossiers stored under a key that is not their code.
    pub index_differences: Vec<String>,
    /// Rows of the intraday index (the backlog state changes at their instants) that
    /// differ from the recomputation.
    pub intraday_differences: Vec<String>,
}

impl VerifyReport {
    /// Returns whether everything matched.
    pub fn is_clean(&self) -> bool {
        self.counter_differences.is_empty()
            && self.index_differences.is_empty()
            && self.intraday_differences.is_empty()
    }
}

impl Store {
    /// Returns the row group and the nodes whose counts make up `scope`.
    fn nodes_for_scope(&self, scope: &Scope) -> Result<(Group, Vec<[u8; 5]>)> {
        let catalog = self.inner.catalog.read().map_err(|_| poisoned())?;
        let agency = |code| {
            catalog
                .agencies
                .get(code)
                .map(|e| e.key)
                .ok_or_else(|| not_found(RecordKind::Agency, code))
        };
        Ok(match scope {
            Scope::All => (Group::Global, vec![Node::All.bytes()]),
            Scope::Agency(code) => {
                (Group::Tree(catalog.root_of(code)?), vec![Node::Own(agency(code)?).bytes()])
            }
            Scope::Subtree(code) => {
                let key = agency(code)?;
                (
                    Group::Tree(catalog.root_of(code)?),
                    vec![Node::Own(key).bytes(), Node::Below(key).bytes()],
                )
            }
            Scope::Level(level) => {
                let index =
                    crate::model::agency::Level::ALL.iter().position(|l| l == level).unwrap_or(0);
                (Group::Global, vec![Node::Level(index as u8).bytes()])
            }
            // A field nobody has used has no counters: an empty report.
            Scope::Field(field) => (
                Group::Global,
                catalog
                    .fields
                    .get(field)
                    .map(|&f| vec![Node::Field(f).bytes()])
                    .unwrap_or_default(),
            ),
            Scope::Procedure(code) => (
                Group::Global,
                vec![
                    Node::Procedure(
                        catalog
                            .procedures
                            .get(code)
                            .map(|e| e.key)
                            .ok_or_else(|| not_found(RecordKind::Procedure, code))?,
                    )
                    .bytes(),
                ],
            ),
        })
    }

    /// Returns the raw counter vector of `scope` at 00:00 (UTC+7) of `day`: index it
    /// with `crate::model::measure::Measure`. Flows over a period are
    /// `counts(end_day) − counts(from)`; states are read at one boundary.
    pub(crate) fn scope_counts(&self, scope: &Scope, day: Date) -> Result<Counts> {
        let (group, nodes) = self.nodes_for_scope(scope)?;
        self.counts_at(group, &nodes, day)
    }

    /// Returns the counts of `nodes` of `group` at 00:00 (UTC+7) of `day`.
    fn counts_at(&self, group: Group, nodes: &[[u8; 5]], day: Date) -> Result<Counts> {
        let mut total = [0; MEASURE_COUNT];
        if !nodes.is_empty() {
            prefix(&self.inner.counters, group, nodes, day, &mut total)?;
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

    /// Recomputes every counter and the intraday index from the dossiers' event
    /// histories, checks that each dossier is stored under its code, and returns the
    /// differences (empty when healthy). O(dossiers); dossier writes wait while it runs,
    /// so what it compares is one state.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when a record does not decode; [`Error::Storage`].
    pub fn verify(&self) -> Result<VerifyReport> {
        // No dossier write may land between the recomputation and the comparison.
        let _no_writers = self.inner.writers.write().map_err(|_| poisoned())?;
        let (expected, mut report) = self.recompute()?;
        let expected = expected.rows();
        let empty = Row::new();
        let differ = |key: &[u8], stored: &Row, want: &Row, report: &mut VerifyReport| {
            let nodes: std::collections::BTreeSet<&[u8; 5]> =
                stored.keys().chain(want.keys()).collect();
            for node in nodes {
                let (s, w) = (stored.get(node), want.get(node));
                if s != w {
                    report.counter_differences.push(CounterDifference {
                        key: hex(key),
                        node: hex(node),
                        stored: s.map(|c| c.to_vec()).unwrap_or_default(),
                        expected: w.map(|c| c.to_vec()).unwrap_or_default(),
                    });
                }
            }
        };
        let mut seen = 0u64;
        for item in &self.inner.counters {
            let (key, value) = item?;
            seen += 1;
            let stored = decode_row(&value, &key)?;
            let want =
                <[u8; COUNTER_KEY_LEN]>::try_from(key.as_ref()).ok().and_then(|k| expected.get(&k));
            differ(&key, &stored, want.unwrap_or(&empty), &mut report);
        }
        for (key, want) in &expected {
            if self.inner.counters.get(key)?.is_none() {
                differ(key, &empty, want, &mut report);
            }
        }
        report.counters = seen;
        report.intraday_differences = self.verify_intraday()?;
        Ok(report)
    }

    /// Regenerates every counter from the event histories, atomically, then the
    /// intraday index (not atomically: an interrupted rebuild of it is redone on the
    /// next open).
    ///
    /// Dossier writes wait while it runs (they would otherwise land between the scan
    /// and the swap and be lost from the counters); reads go on.
    ///
    /// # Errors
    /// As [`Store::verify`].
    pub fn rebuild(&self) -> Result<()> {
        let _no_writers = self.inner.writers.write().map_err(|_| poisoned())?;
        let (expected, _) = self.recompute()?;
        let expected = expected.rows();
        let mut batch = sled::Batch::default();
        for item in self.inner.counters.iter().keys() {
            batch.remove(item?);
        }
        for (key, row) in &expected {
            batch.insert(key.as_slice(), encode_row(row));
        }
        self.inner.counters.apply_batch(batch)?;
        self.rebuild_intraday()
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
            if dossier.code().as_str().as_bytes() != key.as_ref() {
                report
                    .index_differences
                    .push(format!("dossier {} is stored under another key", dossier.code()));
            }
        }
        Ok((deltas, report))
    }
}
