//! Maintained counters: deltas summed in memory and written inside the transaction
//! that changes them, and the prefix sums over year, month and day buckets that the
//! reads of `query/` take reports and backlogs from.

use std::collections::{BTreeMap, HashMap};

use sled::transaction::TransactionalTree;
use time::Date;

use crate::model::dossier::Dossier;
use crate::model::measure::{Contribution, Counts, MEASURE_COUNT, contributions};
use crate::model::scope::Scope;
use crate::store::codec::{Row, add_row_nodes, patch_row};
use crate::store::keys::{COUNTER_KEY_LEN, Grain, Group, Node, bucket, counter_key};
use crate::store::tx::{TxResult, abort, not_found};
use crate::store::{Store, poisoned};
use crate::{RecordKind, Result};

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

impl Store {
    /// Returns the row group and the nodes whose counts make up `scope`.
    pub(crate) fn nodes_for_scope(&self, scope: &Scope) -> Result<(Group, Vec<[u8; 5]>)> {
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
    pub(crate) fn counts_at(&self, group: Group, nodes: &[[u8; 5]], day: Date) -> Result<Counts> {
        let mut total = [0; MEASURE_COUNT];
        if !nodes.is_empty() {
            prefix(&self.inner.counters, group, nodes, day, &mut total)?;
        }
        Ok(total)
    }
}
