//! Verification and repair: recompute every derived structure from the dossiers'
//! event histories (the truth), compare it with what is stored, or regenerate it.

use crate::Result;
use crate::model::dossier::Dossier;
use crate::store::Store;
use crate::store::codec::{Row, decode_row, encode_row, hex};
use crate::store::counters::Deltas;
use crate::store::keys::{COUNTER_KEY_LEN, tree};
use crate::store::poisoned;

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
    /// Recomputes every counter and the intraday index from the dossiers' event
    /// histories, checks that each dossier is stored under its code, and returns the
    /// differences (empty when healthy). O(dossiers); dossier writes wait while it runs,
    /// so what it compares is one state.
    ///
    /// # Errors
    /// [`Error::Corrupt`](crate::Error::Corrupt) when a record does not decode; [`Error::Storage`](crate::Error::Storage).
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
