//! The intraday index: every change of a dossier's backlog state (pending, waiting,
//! overdue under each rule, waiting and late) at the instant it happens, summed per
//! counting node and per hour and per minute. With the day counters it gives the
//! backlog at any instant: the state at 00:00 of the instant's day (day counters)
//! plus that day's changes before the instant (at most 23 hour rows, 59 minute rows
//! and part of one minute row), whatever the number of dossiers.
//!
//! Tree `intraday`. Key: grain (1 B: `0` hour, `1` minute) ++ the first second of the
//! bucket (Unix seconds, `i64` big-endian with the sign bit flipped), so a range of
//! buckets is a range of keys. Vietnam time is UTC+7 all year, so its midnights are
//! hour boundaries. Value: entries sorted by (offset, node), each the offset in
//! nanoseconds from the bucket's start (LEB128; always 0 in hour rows, which sum their
//! hour), the node (5 B, as in counter rows), the byte length of its vector (LEB128),
//! then the vector of the five state measures (zig-zag LEB128, trailing zeros
//! dropped). Entries that sum to zero are dropped; an empty row is deleted.
//!
//! The changes come from [`state_changes`], the same [`Dossier::state_at`] fold as
//! the slow path and the day counters, and are written in the transaction of every
//! dossier write, like the counters.

use std::collections::{BTreeMap, HashMap};

use sled::transaction::TransactionalTree;

use crate::store::tx::{TxResult, abort};
use time::OffsetDateTime;

use crate::id::{AgencyCode, Field, ProcedureCode};
use crate::model::dossier::Dossier;
use crate::model::measure::{STATE_COUNT, StateCounts, state_changes};
use crate::store::codec::{corrupt, decode, hex};
use crate::store::keys::{Group, Node, tree};
use crate::store::records::DossierRecord;
use crate::store::{Store, format, poisoned};
use crate::{Error, Result};

/// Hour rows: the changes of an hour summed per node.
const HOUR: u8 = 0;
/// Minute rows: the changes of a minute per node and instant.
const MINUTE: u8 = 1;
const NANOS_PER_SECOND: i128 = 1_000_000_000;
const HOUR_SECONDS: i64 = 3_600;
const MINUTE_SECONDS: i64 = 60;

/// Width of an intraday key.
pub(crate) const KEY_LEN: usize = 9;
type Key = [u8; KEY_LEN];

/// A row's entries: (offset in nanoseconds, node) → change of the state measures.
pub(crate) type Entries = BTreeMap<(u64, [u8; 5]), StateCounts>;

/// Meta key present while the intraday tree is being rebuilt: an interrupted rebuild
/// is redone on the next open.
const REBUILDING_KEY: &[u8] = b"intraday_rebuilding";

/// The key of the bucket of `grain` starting at Unix second `seconds`.
pub(crate) fn key(grain: u8, seconds: i64) -> Key {
    let mut k = [0u8; KEY_LEN];
    k[0] = grain;
    k[1..].copy_from_slice(&((seconds as u64) ^ (1 << 63)).to_be_bytes());
    k
}

/// Decodes [`key`]: the grain and the first second of the bucket, which must be the
/// start of an hour or a minute. Used by the golden-fixture checks.
#[cfg(any(test, feature = "__internal_whitebox"))]
pub(crate) fn decode_key(bytes: &[u8]) -> Result<(u8, i64)> {
    let bad = |why: &str| corrupt(tree::INTRADAY, bytes, why.to_owned());
    let raw: Key = bytes.try_into().map_err(|_| bad("key is not 9 bytes"))?;
    let [grain, rest @ ..] = raw;
    let seconds = (u64::from_be_bytes(rest) ^ (1 << 63)) as i64;
    let unit = match grain {
        HOUR => HOUR_SECONDS,
        MINUTE => MINUTE_SECONDS,
        _ => return Err(bad("unknown grain")),
    };
    if seconds.rem_euclid(unit) != 0 {
        return Err(bad("the bucket does not start on its grain"));
    }
    Ok((grain, seconds))
}

/// Splits an instant (Unix nanoseconds) into the first second of its hour, the first
/// second of its minute, and its offset in nanoseconds into the minute.
fn split(ns: i128) -> (i64, i64, u64) {
    // Dossier instants lie in 1900–2999, well inside i64 seconds.
    let seconds = ns.div_euclid(NANOS_PER_SECOND) as i64;
    let hour = seconds.div_euclid(HOUR_SECONDS) * HOUR_SECONDS;
    let minute = seconds.div_euclid(MINUTE_SECONDS) * MINUTE_SECONDS;
    let offset = (ns - i128::from(minute) * NANOS_PER_SECOND) as u64;
    (hour, minute, offset)
}

fn add_to(total: &mut StateCounts, change: &StateCounts) {
    for (t, c) in total.iter_mut().zip(change) {
        *t += c;
    }
}

fn is_zero(v: &StateCounts) -> bool {
    v.iter().all(|&c| c == 0)
}

// ---------------------------------------------------------------------------
// Row encoding

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        n |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

/// Appends one entry; an all-zero vector is left out.
fn push_entry(out: &mut Vec<u8>, offset: u64, node: [u8; 5], vector: &StateCounts) {
    let used = vector.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
    if used == 0 {
        return;
    }
    let mut values = Vec::with_capacity(used);
    for &c in vector.iter().take(used) {
        push_varint(&mut values, ((c << 1) ^ (c >> 63)) as u64);
    }
    push_varint(out, offset);
    out.extend_from_slice(&node);
    push_varint(out, values.len() as u64);
    out.extend_from_slice(&values);
}

/// Encodes a row's entries.
pub(crate) fn encode_entries(entries: &Entries) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 10);
    for (&(offset, node), vector) in entries {
        push_entry(&mut out, offset, node, vector);
    }
    out
}

/// One entry of an encoded row.
struct Entry<'a> {
    offset: u64,
    node: [u8; 5],
    vector: &'a [u8],
    raw: &'a [u8],
}

/// Walks an encoded row, checking that entries are in strictly increasing order.
struct EntryIter<'a> {
    bytes: &'a [u8],
    key: &'a [u8],
    at: usize,
    last: Option<(u64, [u8; 5])>,
}

impl<'a> EntryIter<'a> {
    fn new(bytes: &'a [u8], key: &'a [u8]) -> Self {
        Self { bytes, key, at: 0, last: None }
    }

    fn bad(&self, why: &str) -> Error {
        corrupt(tree::INTRADAY, self.key, why.to_owned())
    }

    fn entry(&mut self) -> Result<Entry<'a>> {
        let start = self.at;
        let offset =
            read_varint(self.bytes, &mut self.at).ok_or_else(|| self.bad("truncated offset"))?;
        let node: [u8; 5] = self
            .bytes
            .get(self.at..self.at + 5)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| self.bad("truncated node"))?;
        self.at += 5;
        let len =
            read_varint(self.bytes, &mut self.at).ok_or_else(|| self.bad("truncated length"))?;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| self.at.checked_add(l))
            .ok_or_else(|| self.bad("length overflow"))?;
        let vector = self.bytes.get(self.at..end).ok_or_else(|| self.bad("truncated vector"))?;
        self.at = end;
        if self.last.is_some_and(|last| last >= (offset, node)) {
            return Err(self.bad("entries out of order"));
        }
        self.last = Some((offset, node));
        let raw = self.bytes.get(start..end).ok_or_else(|| self.bad("truncated entry"))?;
        Ok(Entry { offset, node, vector, raw })
    }
}

impl<'a> Iterator for EntryIter<'a> {
    type Item = Result<Entry<'a>>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let entry = self.entry();
        if entry.is_err() {
            // Stop after the first error.
            self.at = self.bytes.len();
        }
        Some(entry)
    }
}

fn decode_vector(bytes: &[u8], key: &[u8]) -> Result<StateCounts> {
    let bad = |why: &str| corrupt(tree::INTRADAY, key, why.to_owned());
    let mut vector = [0i64; STATE_COUNT];
    let mut at = 0;
    let mut slots = vector.iter_mut();
    while at < bytes.len() {
        let z = read_varint(bytes, &mut at).ok_or_else(|| bad("truncated varint"))?;
        let slot = slots.next().ok_or_else(|| bad("too many measures"))?;
        *slot = ((z >> 1) as i64) ^ -((z & 1) as i64);
    }
    Ok(vector)
}

/// Decodes [`encode_entries`].
pub(crate) fn decode_entries(bytes: &[u8], key: &[u8]) -> Result<Entries> {
    let mut entries = Entries::new();
    for entry in EntryIter::new(bytes, key) {
        let entry = entry?;
        entries.insert((entry.offset, entry.node), decode_vector(entry.vector, key)?);
    }
    Ok(entries)
}

/// Adds `delta` to an encoded row: a merge of the two sorted entry lists that copies
/// untouched entries as they are. Entries that reach zero are dropped.
fn patch(bytes: &[u8], key: &[u8], delta: &Entries) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() + delta.len() * 10);
    let mut pending = delta.iter().peekable();
    for entry in EntryIter::new(bytes, key) {
        let entry = entry?;
        let here = (entry.offset, entry.node);
        while let Some((&(offset, node), vector)) = pending.next_if(|(d, _)| **d < here) {
            push_entry(&mut out, offset, node, vector);
        }
        match pending.next_if(|(d, _)| **d == here) {
            Some((_, vector)) => {
                let mut sum = decode_vector(entry.vector, key)?;
                add_to(&mut sum, vector);
                push_entry(&mut out, entry.offset, entry.node, &sum);
            }
            None => out.extend_from_slice(entry.raw),
        }
    }
    for (&(offset, node), vector) in pending {
        push_entry(&mut out, offset, node, vector);
    }
    Ok(out)
}

/// Adds the vectors of the entries of `nodes` with an offset below `limit` to `total`.
fn sum_row(
    bytes: &[u8],
    key: &[u8],
    nodes: &[[u8; 5]],
    limit: u64,
    total: &mut StateCounts,
) -> Result<()> {
    for entry in EntryIter::new(bytes, key) {
        let entry = entry?;
        if entry.offset >= limit {
            break;
        }
        if nodes.contains(&entry.node) {
            add_to(total, &decode_vector(entry.vector, key)?);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Writing

/// Intraday deltas summed in memory per row, applied inside the transaction that
/// writes the dossiers they come from.
#[derive(Debug, Default, Clone)]
pub(crate) struct IntradayDeltas {
    rows: BTreeMap<Key, Entries>,
}

impl IntradayDeltas {
    /// Adds the change from `before` (absent for a new dossier) to `after`, for the
    /// counting nodes of the dossier.
    pub(crate) fn add_change(
        &mut self,
        nodes: &[(Group, Node)],
        before: Option<&Dossier>,
        after: &Dossier,
    ) {
        // Net change per instant: most of a dossier's history is the same before and
        // after an event.
        let mut net: BTreeMap<i128, StateCounts> = BTreeMap::new();
        for (at, change) in state_changes(after) {
            add_to(net.entry(at.unix_timestamp_nanos()).or_default(), &change);
        }
        if let Some(before) = before {
            for (at, change) in state_changes(before) {
                add_to(net.entry(at.unix_timestamp_nanos()).or_default(), &change.map(|c| -c));
            }
        }
        let nodes: Vec<[u8; 5]> = nodes.iter().map(|(_, n)| n.bytes()).collect();
        for (ns, change) in net {
            if !is_zero(&change) {
                self.add(ns, &nodes, &change);
            }
        }
    }

    fn add(&mut self, ns: i128, nodes: &[[u8; 5]], change: &StateCounts) {
        let (hour, minute, offset) = split(ns);
        let hour_row = self.rows.entry(key(HOUR, hour)).or_default();
        for &node in nodes {
            add_to(hour_row.entry((0, node)).or_default(), change);
        }
        let minute_row = self.rows.entry(key(MINUTE, minute)).or_default();
        for &node in nodes {
            add_to(minute_row.entry((offset, node)).or_default(), change);
        }
    }

    /// Adds another set of deltas to this one.
    pub(crate) fn merge(&mut self, other: IntradayDeltas) {
        for (key, entries) in other.rows {
            let row = self.rows.entry(key).or_default();
            for (entry, change) in entries {
                add_to(row.entry(entry).or_default(), &change);
            }
        }
    }

    /// Adds the deltas to the stored rows inside a transaction.
    pub(crate) fn apply(&self, intraday: &TransactionalTree) -> TxResult<()> {
        for (key, delta) in &self.rows {
            if delta.values().all(is_zero) {
                continue;
            }
            let stored = intraday.get(key)?;
            let bytes = patch(stored.as_deref().unwrap_or_default(), key, delta).map_err(abort)?;
            if bytes.is_empty() {
                intraday.remove(key)?;
            } else {
                intraday.insert(key, bytes)?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Reading

impl Store {
    /// Returns the sum of the state changes of `nodes` from `midnight` (00:00 UTC+7 of
    /// the day of `at`) up to, not including, `at`: the state at `at` minus the state
    /// at `midnight`. Reads at most 23 hour rows, 59 minute rows and one more minute
    /// row, whatever the number of dossiers.
    pub(crate) fn intraday_changes(
        &self,
        nodes: &[[u8; 5]],
        midnight: OffsetDateTime,
        at: OffsetDateTime,
    ) -> Result<StateCounts> {
        let mut total = [0; STATE_COUNT];
        if nodes.is_empty() || at <= midnight {
            return Ok(total);
        }
        let tree = &self.inner.intraday;
        let (hour, minute, offset) = split(at.unix_timestamp_nanos());
        let whole = |start: Key, end: Key, total: &mut StateCounts| -> Result<()> {
            for item in tree.range(start..end) {
                let (key, value) = item?;
                sum_row(&value, &key, nodes, u64::MAX, total)?;
            }
            Ok(())
        };
        whole(key(HOUR, midnight.unix_timestamp()), key(HOUR, hour), &mut total)?;
        whole(key(MINUTE, hour), key(MINUTE, minute), &mut total)?;
        let last = key(MINUTE, minute);
        if let Some(value) = tree.get(last)? {
            sum_row(&value, &last, nodes, offset, &mut total)?;
        }
        Ok(total)
    }
}

// ---------------------------------------------------------------------------
// Recomputing: verify and rebuild

/// One change of one dossier, compact: a store of a million dossiers has a few
/// million of them.
#[derive(Debug, Clone, Copy)]
struct Change {
    seconds: i64,
    nanos: u32,
    /// Index into the list of node lists.
    nodes: u32,
    /// A single dossier's change is −1, 0 or +1 per measure.
    delta: [i8; STATE_COUNT],
}

impl Change {
    fn ns(&self) -> i128 {
        i128::from(self.seconds) * NANOS_PER_SECOND + i128::from(self.nanos)
    }
}

/// Every dossier's changes, sorted by instant, with the node lists they refer to.
struct AllChanges {
    changes: Vec<Change>,
    nodes: Vec<Vec<[u8; 5]>>,
}

impl AllChanges {
    /// Calls `emit` with each expected row of `grain`, in key order.
    fn rows(&self, grain: u8, mut emit: impl FnMut(Key, Vec<u8>) -> Result<()>) -> Result<()> {
        let bucket = |c: &Change| {
            let (hour, minute, offset) = split(c.ns());
            if grain == HOUR { (hour, 0) } else { (minute, offset) }
        };
        for chunk in self.changes.chunk_by(|a, b| bucket(a).0 == bucket(b).0) {
            let Some(first) = chunk.first() else { continue };
            let mut entries = Entries::new();
            for c in chunk {
                let (_, offset) = bucket(c);
                let change = c.delta.map(i64::from);
                for &node in self.nodes.get(c.nodes as usize).map_or(&[][..], Vec::as_slice) {
                    add_to(entries.entry((offset, node)).or_default(), &change);
                }
            }
            let bytes = encode_entries(&entries);
            if !bytes.is_empty() {
                emit(key(grain, bucket(first).0), bytes)?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Reads every dossier and returns its state changes, sorted by instant. Memory:
    /// 24 bytes per change plus one node list per (agency, procedure, field) seen.
    fn all_changes(&self) -> Result<AllChanges> {
        let catalog = self.inner.catalog.read().map_err(|_| poisoned())?;
        let mut classes: HashMap<(AgencyCode, ProcedureCode, Field), u32> = HashMap::new();
        let mut nodes: Vec<Vec<[u8; 5]>> = Vec::new();
        let mut changes = Vec::new();
        for item in &self.inner.dossiers {
            let (key, value) = item?;
            let record: DossierRecord = decode(&value, tree::DOSSIERS, &key)?;
            let dossier = Dossier::try_from(record)
                .map_err(|e| corrupt(tree::DOSSIERS, &key, e.to_string()))?;
            let h = dossier.header();
            let class = (h.agency.clone(), h.procedure.clone(), h.field.clone());
            let index = match classes.get(&class) {
                Some(&i) => i,
                None => {
                    let list = catalog
                        .nodes_for(&h.agency, &h.procedure, &h.field)?
                        .into_iter()
                        .map(|(_, n)| n.bytes())
                        .collect();
                    let i = u32::try_from(nodes.len())
                        .map_err(|_| Error::invalid("store", "too many node lists"))?;
                    nodes.push(list);
                    classes.insert(class, i);
                    i
                }
            };
            for (at, change) in state_changes(&dossier) {
                let ns = at.unix_timestamp_nanos();
                changes.push(Change {
                    seconds: ns.div_euclid(NANOS_PER_SECOND) as i64,
                    nanos: ns.rem_euclid(NANOS_PER_SECOND) as u32,
                    nodes: index,
                    delta: change.map(|c| c.clamp(-1, 1) as i8),
                });
            }
        }
        changes.sort_unstable_by_key(|c| (c.seconds, c.nanos));
        Ok(AllChanges { changes, nodes })
    }

    /// Recomputes the intraday rows from the dossiers and returns a line per row that
    /// differs from the stored one (empty when healthy).
    pub(crate) fn verify_intraday(&self) -> Result<Vec<String>> {
        let all = self.all_changes()?;
        let mut stored = self.inner.intraday.iter();
        let mut current = stored.next().transpose()?;
        let mut differences = Vec::new();
        let mut check = |key: Key, bytes: Vec<u8>| -> Result<()> {
            while let Some((k, _)) = current.as_ref().filter(|(k, _)| k.as_ref() < &key[..]) {
                differences.push(format!("intraday row {} should not exist", hex(k)));
                current = stored.next().transpose()?;
            }
            match current.as_ref().filter(|(k, _)| k.as_ref() == &key[..]) {
                Some((_, v)) => {
                    if v.as_ref() != bytes.as_slice() {
                        differences.push(format!(
                            "intraday row {} is {:?}, expected {:?}",
                            hex(&key),
                            decode_entries(v, &key)?,
                            decode_entries(&bytes, &key)?
                        ));
                    }
                    current = stored.next().transpose()?;
                }
                None => differences.push(format!("intraday row {} is missing", hex(&key))),
            }
            Ok(())
        };
        all.rows(HOUR, &mut check)?;
        all.rows(MINUTE, &mut check)?;
        while let Some((k, _)) = current {
            differences.push(format!("intraday row {} should not exist", hex(&k)));
            current = stored.next().transpose()?;
        }
        Ok(differences)
    }

    /// Regenerates the intraday rows from the dossiers. Not atomic: a meta marker
    /// is set for the duration, and a store opened with the marker set rebuilds again.
    /// Like [`Store::rebuild`], run it with no concurrent writes.
    pub(crate) fn rebuild_intraday(&self) -> Result<()> {
        const BATCH_ROWS: usize = 10_000;
        let all = self.all_changes()?;
        let meta = self.inner.db.open_tree(tree::META)?;
        meta.insert(REBUILDING_KEY, &[1])?;
        self.inner.intraday.clear()?;
        let mut batch = sled::Batch::default();
        let mut in_batch = 0;
        let tree = &self.inner.intraday;
        let mut write = |key: Key, bytes: Vec<u8>| -> Result<()> {
            batch.insert(&key[..], bytes);
            in_batch += 1;
            if in_batch == BATCH_ROWS {
                tree.apply_batch(std::mem::take(&mut batch))?;
                in_batch = 0;
            }
            Ok(())
        };
        all.rows(HOUR, &mut write)?;
        all.rows(MINUTE, &mut write)?;
        tree.apply_batch(batch)?;
        meta.remove(REBUILDING_KEY)?;
        Ok(())
    }

    /// On open: builds the intraday index of a format-1 store (which has none) or
    /// finishes an interrupted rebuild, then records the current format version.
    pub(crate) fn open_intraday(&self) -> Result<()> {
        let db = &self.inner.db;
        let meta = db.open_tree(tree::META)?;
        if format::stored_version(db)? < 2 || meta.get(REBUILDING_KEY)?.is_some() {
            self.rebuild_intraday()?;
            format::record_current_version(db)?;
            db.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entries() -> impl Strategy<Value = Entries> {
        proptest::collection::btree_map(
            (0u64..200, 0u8..30).prop_map(|(o, n)| (o, [1, 0, 0, 0, n])),
            proptest::array::uniform5(-3i64..4),
            0..20,
        )
        .prop_map(|mut m| {
            m.retain(|_, v| !is_zero(v));
            m
        })
    }

    proptest! {
        #[test]
        fn rows_round_trip_and_patch_like_a_map(stored in entries(), delta in entries(), limit in 0u64..220) {
            let bytes = encode_entries(&stored);
            prop_assert_eq!(&decode_entries(&bytes, b"k").unwrap(), &stored);
            let mut expected = stored.clone();
            for (k, v) in &delta {
                add_to(expected.entry(*k).or_default(), v);
            }
            expected.retain(|_, v| !is_zero(v));
            prop_assert_eq!(patch(&bytes, b"k", &delta).unwrap(), encode_entries(&expected));
            // A partial sum reads the entries below the limit of the nodes asked for.
            let nodes = [[1, 0, 0, 0, 3], [1, 0, 0, 0, 7]];
            let mut want = [0; STATE_COUNT];
            for ((offset, node), v) in &stored {
                if *offset < limit && nodes.contains(node) {
                    add_to(&mut want, v);
                }
            }
            let mut got = [0; STATE_COUNT];
            sum_row(&bytes, b"k", &nodes, limit, &mut got).unwrap();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn arbitrary_rows_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let _ = decode_entries(&bytes, b"k");
            let _ = patch(&bytes, b"k", &Entries::new());
        }

        #[test]
        fn keys_sort_like_instants(a in -2_300_000_000i64..33_000_000_000, b in -2_300_000_000i64..33_000_000_000) {
            prop_assert_eq!(a.cmp(&b), key(MINUTE, a).cmp(&key(MINUTE, b)));
            prop_assert!(key(HOUR, a) < key(MINUTE, b));
        }
    }

    #[test]
    fn instants_split_into_hour_minute_and_offset() {
        // 2023-02-28 10:17:05.5 +07:00 = 03:17:05.5 UTC = Unix 1677554225.5.
        let at = time::macros::datetime!(2023-02-28 10:17:05.5 +07:00);
        assert_eq!(at.unix_timestamp(), 1_677_554_225);
        let (hour, minute, offset) = split(at.unix_timestamp_nanos());
        assert_eq!(hour, 1_677_553_200); // 03:00:00 UTC
        assert_eq!(minute, 1_677_554_220); // 03:17:00 UTC
        assert_eq!(offset, 5_500_000_000);
        // Before 1970 the floor still goes down.
        assert_eq!(split(-1), (-3_600, -60, 59_999_999_999));
        assert_eq!(decode_key(&key(HOUR, hour)).unwrap(), (HOUR, hour));
        assert_eq!(decode_key(&key(MINUTE, -60)).unwrap(), (MINUTE, -60));
        assert!(decode_key(&key(HOUR, minute)).is_err());
        assert!(decode_key(&key(2, hour)).is_err());
        assert!(decode_key(&key(HOUR, hour)[..8]).is_err());
    }

    #[test]
    fn out_of_order_entries_are_corrupt() {
        let mut bytes = Vec::new();
        push_entry(&mut bytes, 5, [1, 0, 0, 0, 1], &[1, 0, 0, 0, 0]);
        push_entry(&mut bytes, 2, [1, 0, 0, 0, 1], &[1, 0, 0, 0, 0]);
        assert!(matches!(decode_entries(&bytes, b"k"), Err(Error::Corrupt { .. })));
    }
}
