//! The intraday index: every change of a dossier's backlog state (pending, waiting,
//! overdue under each rule, waiting and late) at the instant it happens, one row per
//! hour. With the day counters it gives the backlog at any instant: the state at 00:00
//! of the instant's day (day counters) plus that day's changes before the instant — the
//! totals of at most 23 earlier hour rows and the changes of the instant's hour before
//! it — whatever the number of dossiers.
//!
//! Tree `intraday`. Key: grain (1 B, `0` = hour, the only grain) ++ the first second of
//! the hour (Unix seconds, `i64` big-endian with the sign bit flipped), so a range of
//! hours is a range of keys; Vietnam time is UTC+7 all year, so its midnights are hour
//! boundaries. Value: the byte length of the totals section (LEB128), the totals (per
//! counting node: the node, 5 B as in counter rows, then a vector), then the changes
//! (per instant and dossier class: the offset in nanoseconds from the hour's first
//! second, the agency surrogate, the field surrogate + 1 and the procedure surrogate + 1
//! (0 for none), each LEB128, then a vector). A vector is its byte length (LEB128) and
//! the five state measures as zig-zag LEB128, trailing zeros dropped. Both sections are
//! sorted and strictly increasing; all-zero entries are dropped; an empty row is deleted.
//!
//! Why hours with the changes inside rather than finer rows: a batch of dossiers moves
//! the states at instants spread over the following weeks, and the cost of a sled
//! transaction grows with the number of keys it writes. One key per hour keeps a
//! batch to a few hundred keys, and the changes are stored once per dossier class (not
//! once per node), so a busy hour's row stays a few kilobytes.
//!
//! The changes come from [`state_changes`], the same [`Dossier::state_at`] fold as the
//! slow path and the day counters, and are written in the transaction of every
//! dossier write, like the counters.

use std::collections::{BTreeMap, HashMap};

use sled::transaction::TransactionalTree;

use crate::store::tx::{TxResult, abort};
use time::OffsetDateTime;

use crate::id::{AgencyCode, Field, ProcedureCode};
use crate::model::agency::Level;
use crate::model::dossier::Dossier;
use crate::model::measure::{STATE_COUNT, StateCounts, state_changes};
use crate::store::catalog::Catalog;
use crate::store::codec::{corrupt, decode, hex, push_varint, read_varint};
use crate::store::keys::{AgencyKey, FieldKey, Group, Node, ProcedureKey, tree};
use crate::store::records::DossierRecord;
use crate::store::{Store, format, poisoned};
use crate::{Error, Result};

/// The hour grain, the only one.
const HOUR: u8 = 0;
const NANOS_PER_SECOND: i128 = 1_000_000_000;
const HOUR_SECONDS: i64 = 3_600;

/// Width of an intraday key.
pub(crate) const KEY_LEN: usize = 9;
type Key = [u8; KEY_LEN];

/// Meta key present while the intraday tree is being rebuilt: an interrupted rebuild
/// is redone on the next open.
const REBUILDING_KEY: &[u8] = b"intraday_rebuilding";

/// What decides which scopes a dossier counts for: its agency (responsible at
/// receipt), field and procedure, as surrogates; field and procedure are the
/// surrogate + 1, 0 when the dossier has no such node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Class {
    pub agency: u32,
    pub field: u32,
    pub procedure: u32,
}

impl Class {
    /// The class of a dossier counting for `nodes` (from `Catalog::nodes_for`).
    fn of(nodes: &[(Group, Node)]) -> Self {
        let mut class = Class { agency: 0, field: 0, procedure: 0 };
        for (_, node) in nodes {
            match node {
                Node::Own(a) => class.agency = a.0,
                Node::Field(f) => class.field = f.0.saturating_add(1),
                Node::Procedure(p) => class.procedure = p.0.saturating_add(1),
                Node::All | Node::Below(_) | Node::Level(_) => {}
            }
        }
        class
    }

    /// The counting nodes of the class, as `Catalog::nodes_for` gives them: all, the
    /// agency's own, its level, every strict ancestor's "below", the field and the
    /// procedure. Parents and levels never change (`Agencies::update`), so these are
    /// the nodes the dossier's counters were written with.
    #[cfg(test)]
    fn nodes(self, catalog: &Catalog) -> Vec<[u8; 5]> {
        let mut nodes = vec![Node::All.bytes()];
        nodes.extend(agency_nodes(catalog, self.agency));
        nodes.extend(self.other_nodes());
        nodes
    }

    /// The field and procedure nodes of the class.
    fn other_nodes(self) -> impl Iterator<Item = [u8; 5]> {
        let field = self.field.checked_sub(1).map(|f| Node::Field(FieldKey(f)).bytes());
        let procedure =
            self.procedure.checked_sub(1).map(|p| Node::Procedure(ProcedureKey(p)).bytes());
        field.into_iter().chain(procedure)
    }
}

/// The agency nodes of a dossier received by the agency with surrogate `agency`: its
/// own, its level, and every strict ancestor's "below".
fn agency_nodes(catalog: &Catalog, agency: u32) -> Vec<[u8; 5]> {
    let key = AgencyKey(agency);
    let mut nodes = vec![Node::Own(key).bytes()];
    let Some(own) = catalog.agency_codes.get(&key).and_then(|c| catalog.agencies.get(c)) else {
        return nodes;
    };
    let level = Level::ALL.iter().position(|&l| l == own.agency.level()).unwrap_or(0);
    nodes.push(Node::Level(level as u8).bytes());
    let mut parent = own.agency.parent();
    // Parents are inserted before children; the bound guards a damaged store.
    for _ in 0..64 {
        let Some(p) = parent.and_then(|code| catalog.agencies.get(code)) else { break };
        nodes.push(Node::Below(p.key).bytes());
        parent = p.agency.parent();
    }
    nodes
}

/// Decides whether a class is in a scope given by its counting nodes: the class's
/// nodes meet the scope's. Agency nodes are worked out once per agency.
struct ScopeFilter<'a> {
    nodes: &'a [[u8; 5]],
    catalog: &'a Catalog,
    all: bool,
    /// Whether the scope has agency nodes (own, below, level) at all.
    agency_nodes: bool,
    by_agency: HashMap<u32, bool>,
}

impl<'a> ScopeFilter<'a> {
    fn new(nodes: &'a [[u8; 5]], catalog: &'a Catalog) -> Self {
        Self {
            nodes,
            catalog,
            all: nodes.contains(&Node::All.bytes()),
            agency_nodes: nodes.iter().any(|n| matches!(n[0], 1..=3)),
            by_agency: HashMap::new(),
        }
    }

    fn contains(&mut self, class: Class) -> bool {
        if self.all || class.other_nodes().any(|n| self.nodes.contains(&n)) {
            return true;
        }
        if !self.agency_nodes {
            return false;
        }
        let (nodes, catalog) = (self.nodes, self.catalog);
        *self.by_agency.entry(class.agency).or_insert_with(|| {
            agency_nodes(catalog, class.agency).iter().any(|n| nodes.contains(n))
        })
    }
}

/// One entry of the changes section: when in the hour, and for which class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct At {
    /// Nanoseconds from the hour's first second.
    pub offset: u64,
    pub class: Class,
}

/// An hour row, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HourRow {
    /// The hour's changes summed per counting node.
    pub totals: BTreeMap<[u8; 5], StateCounts>,
    /// The hour's changes per instant and class.
    pub changes: BTreeMap<At, StateCounts>,
}

/// The key of the hour starting at Unix second `seconds`.
pub(crate) fn key(seconds: i64) -> Key {
    let mut k = [0u8; KEY_LEN];
    k[0] = HOUR;
    k[1..].copy_from_slice(&((seconds as u64) ^ (1 << 63)).to_be_bytes());
    k
}

/// Decodes [`key`]: the first second of the hour, which must start an hour. Used by
/// the golden-fixture checks.
#[cfg(any(test, feature = "__internal_whitebox"))]
pub(crate) fn decode_key(bytes: &[u8]) -> Result<i64> {
    let bad = |why: &str| corrupt(tree::INTRADAY, bytes, why.to_owned());
    let raw: Key = bytes.try_into().map_err(|_| bad("key is not 9 bytes"))?;
    let [grain, rest @ ..] = raw;
    if grain != HOUR {
        return Err(bad("unknown grain"));
    }
    let seconds = (u64::from_be_bytes(rest) ^ (1 << 63)) as i64;
    if seconds.rem_euclid(HOUR_SECONDS) != 0 {
        return Err(bad("the row does not start on an hour"));
    }
    Ok(seconds)
}

/// Splits an instant (Unix nanoseconds) into the first second of its hour and its
/// offset in nanoseconds into the hour.
fn split(ns: i128) -> (i64, u64) {
    // Dossier instants lie in 1900–2999, well inside i64 seconds.
    let hour = (ns.div_euclid(NANOS_PER_SECOND) as i64).div_euclid(HOUR_SECONDS) * HOUR_SECONDS;
    let offset = (ns - i128::from(hour) * NANOS_PER_SECOND) as u64;
    (hour, offset)
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

fn read_u32(bytes: &[u8], at: &mut usize) -> Option<u32> {
    read_varint(bytes, at).and_then(|n| u32::try_from(n).ok())
}

/// What an entry is keyed by in its section.
trait EntryKey: Ord + Copy {
    fn read(bytes: &[u8], at: &mut usize) -> Option<Self>;
    fn write(self, out: &mut Vec<u8>);
}

impl EntryKey for [u8; 5] {
    fn read(bytes: &[u8], at: &mut usize) -> Option<Self> {
        let node = bytes.get(*at..*at + 5)?.try_into().ok()?;
        *at += 5;
        Some(node)
    }
    fn write(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self);
    }
}

impl EntryKey for At {
    fn read(bytes: &[u8], at: &mut usize) -> Option<Self> {
        let offset = read_varint(bytes, at)?;
        let agency = read_u32(bytes, at)?;
        let field = read_u32(bytes, at)?;
        let procedure = read_u32(bytes, at)?;
        Some(At { offset, class: Class { agency, field, procedure } })
    }
    fn write(self, out: &mut Vec<u8>) {
        push_varint(out, self.offset);
        push_varint(out, u64::from(self.class.agency));
        push_varint(out, u64::from(self.class.field));
        push_varint(out, u64::from(self.class.procedure));
    }
}

/// Appends one entry; an all-zero vector is left out.
fn push_entry<K: EntryKey>(out: &mut Vec<u8>, key: K, vector: &StateCounts) {
    let used = vector.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
    if used == 0 {
        return;
    }
    let mut values = Vec::with_capacity(used);
    for &c in vector.iter().take(used) {
        push_varint(&mut values, ((c << 1) ^ (c >> 63)) as u64);
    }
    key.write(out);
    push_varint(out, values.len() as u64);
    out.extend_from_slice(&values);
}

/// One entry of an encoded section.
struct Entry<'a, K> {
    key: K,
    vector: &'a [u8],
    raw: &'a [u8],
}

/// Walks an encoded section, checking that entries are in strictly increasing order;
/// stops after the first error.
struct Walk<'a, K> {
    bytes: &'a [u8],
    row: &'a [u8],
    at: usize,
    last: Option<K>,
}

impl<'a, K: EntryKey> Walk<'a, K> {
    fn new(bytes: &'a [u8], row: &'a [u8]) -> Self {
        Self { bytes, row, at: 0, last: None }
    }

    fn entry(&mut self) -> Result<Entry<'a, K>> {
        let bad = |why: &str| corrupt(tree::INTRADAY, self.row, why.to_owned());
        let start = self.at;
        let key = K::read(self.bytes, &mut self.at).ok_or_else(|| bad("truncated entry key"))?;
        let len = read_varint(self.bytes, &mut self.at).ok_or_else(|| bad("truncated length"))?;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| self.at.checked_add(l))
            .ok_or_else(|| bad("length overflow"))?;
        let vector = self.bytes.get(self.at..end).ok_or_else(|| bad("truncated vector"))?;
        self.at = end;
        if self.last.is_some_and(|last| last >= key) {
            return Err(bad("entries out of order"));
        }
        self.last = Some(key);
        let raw = self.bytes.get(start..end).ok_or_else(|| bad("truncated entry"))?;
        Ok(Entry { key, vector, raw })
    }
}

impl<'a, K: EntryKey> Iterator for Walk<'a, K> {
    type Item = Result<Entry<'a, K>>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let entry = self.entry();
        if entry.is_err() {
            self.at = self.bytes.len();
        }
        Some(entry)
    }
}

fn decode_vector(bytes: &[u8], row: &[u8]) -> Result<StateCounts> {
    let bad = |why: &str| corrupt(tree::INTRADAY, row, why.to_owned());
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

/// Splits a row into its totals and changes sections.
fn sections<'a>(bytes: &'a [u8], row: &[u8]) -> Result<(&'a [u8], &'a [u8])> {
    if bytes.is_empty() {
        return Ok((&[], &[]));
    }
    let mut at = 0;
    let bad = || corrupt(tree::INTRADAY, row, "truncated totals length");
    let len = read_varint(bytes, &mut at).ok_or_else(bad)?;
    let end = usize::try_from(len).ok().and_then(|l| at.checked_add(l)).ok_or_else(bad)?;
    let totals = bytes.get(at..end).ok_or_else(bad)?;
    let changes = bytes.get(end..).ok_or_else(bad)?;
    Ok((totals, changes))
}

fn encode_section<K: EntryKey>(entries: &BTreeMap<K, StateCounts>) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 10);
    for (&key, vector) in entries {
        push_entry(&mut out, key, vector);
    }
    out
}

fn assemble(totals: &[u8], changes: &[u8]) -> Vec<u8> {
    if totals.is_empty() && changes.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(totals.len() + changes.len() + 3);
    push_varint(&mut out, totals.len() as u64);
    out.extend_from_slice(totals);
    out.extend_from_slice(changes);
    out
}

/// Encodes an hour row (empty when it holds nothing).
pub(crate) fn encode_row(row: &HourRow) -> Vec<u8> {
    assemble(&encode_section(&row.totals), &encode_section(&row.changes))
}

fn decode_section<K: EntryKey>(bytes: &[u8], row: &[u8]) -> Result<BTreeMap<K, StateCounts>> {
    let mut entries = BTreeMap::new();
    for entry in Walk::<K>::new(bytes, row) {
        let entry = entry?;
        entries.insert(entry.key, decode_vector(entry.vector, row)?);
    }
    Ok(entries)
}

/// Decodes [`encode_row`].
pub(crate) fn decode_row(bytes: &[u8], row: &[u8]) -> Result<HourRow> {
    let (totals, changes) = sections(bytes, row)?;
    Ok(HourRow { totals: decode_section(totals, row)?, changes: decode_section(changes, row)? })
}

/// Adds `delta` to an encoded section: a merge of the two sorted entry lists that
/// copies untouched entries as they are. Entries that reach zero are dropped.
fn patch_section<K: EntryKey>(
    bytes: &[u8],
    row: &[u8],
    delta: &BTreeMap<K, StateCounts>,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() + delta.len() * 10);
    let mut pending = delta.iter().peekable();
    for entry in Walk::<K>::new(bytes, row) {
        let entry = entry?;
        while let Some((&key, vector)) = pending.next_if(|(k, _)| **k < entry.key) {
            push_entry(&mut out, key, vector);
        }
        match pending.next_if(|(k, _)| **k == entry.key) {
            Some((_, vector)) => {
                let mut sum = decode_vector(entry.vector, row)?;
                add_to(&mut sum, vector);
                push_entry(&mut out, entry.key, &sum);
            }
            None => out.extend_from_slice(entry.raw),
        }
    }
    for (&key, vector) in pending {
        push_entry(&mut out, key, vector);
    }
    Ok(out)
}

/// Adds `delta` to an encoded row (empty when the row is gone).
fn patch(bytes: &[u8], row: &[u8], delta: &HourRow) -> Result<Vec<u8>> {
    let (totals, changes) = sections(bytes, row)?;
    Ok(assemble(
        &patch_section(totals, row, &delta.totals)?,
        &patch_section(changes, row, &delta.changes)?,
    ))
}

/// Adds the totals of `nodes` in an encoded row to `total`, stopping after the last
/// of them (the totals are sorted by node).
fn sum_totals(bytes: &[u8], row: &[u8], nodes: &[[u8; 5]], total: &mut StateCounts) -> Result<()> {
    let Some(&last) = nodes.iter().max() else { return Ok(()) };
    let (totals, _) = sections(bytes, row)?;
    for entry in Walk::<[u8; 5]>::new(totals, row) {
        let entry = entry?;
        if entry.key > last {
            break;
        }
        if nodes.contains(&entry.key) {
            add_to(total, &decode_vector(entry.vector, row)?);
        }
    }
    Ok(())
}

/// Adds the changes of an encoded row with an offset below `limit` whose class
/// `in_scope` accepts to `total`.
fn sum_changes(
    bytes: &[u8],
    row: &[u8],
    limit: u64,
    mut in_scope: impl FnMut(Class) -> bool,
    total: &mut StateCounts,
) -> Result<()> {
    let (_, changes) = sections(bytes, row)?;
    for entry in Walk::<At>::new(changes, row) {
        let entry = entry?;
        if entry.key.offset >= limit {
            break;
        }
        if in_scope(entry.key.class) {
            add_to(total, &decode_vector(entry.vector, row)?);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Writing

/// Intraday deltas summed in memory per hour row, applied inside the transaction that
/// writes the dossiers they come from.
#[derive(Debug, Default, Clone)]
pub(crate) struct IntradayDeltas {
    rows: BTreeMap<Key, HourRow>,
}

impl IntradayDeltas {
    /// Adds the change from `before` (absent for a new dossier) to `after`, for a
    /// dossier counting for `nodes` (from `Catalog::nodes_for`).
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
        let class = Class::of(nodes);
        let nodes: Vec<[u8; 5]> = nodes.iter().map(|(_, n)| n.bytes()).collect();
        for (ns, change) in net {
            if !is_zero(&change) {
                let (hour, offset) = split(ns);
                self.rows.entry(key(hour)).or_default().add(At { offset, class }, &nodes, &change);
            }
        }
    }

    /// Adds another set of deltas to this one.
    pub(crate) fn merge(&mut self, other: IntradayDeltas) {
        for (key, row) in other.rows {
            let mine = self.rows.entry(key).or_default();
            for (node, change) in row.totals {
                add_to(mine.totals.entry(node).or_default(), &change);
            }
            for (at, change) in row.changes {
                add_to(mine.changes.entry(at).or_default(), &change);
            }
        }
    }

    /// Adds the deltas to the stored rows inside a transaction.
    pub(crate) fn apply(&self, intraday: &TransactionalTree) -> TxResult<()> {
        for (key, delta) in &self.rows {
            if delta.changes.values().all(is_zero) && delta.totals.values().all(is_zero) {
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

impl HourRow {
    /// Adds one change at `at` for a dossier counting for `nodes`.
    fn add(&mut self, at: At, nodes: &[[u8; 5]], change: &StateCounts) {
        for &node in nodes {
            add_to(self.totals.entry(node).or_default(), change);
        }
        add_to(self.changes.entry(at).or_default(), change);
    }
}

// ---------------------------------------------------------------------------
// Reading

impl Store {
    /// Returns the sum of the state changes of the dossiers counting for `nodes` (a
    /// scope's nodes) from `midnight` (00:00 UTC+7 of the day of `at`) up to, not
    /// including, `at`: the state at `at` minus the state at `midnight`. Reads the
    /// totals of at most 23 hour rows and the changes of one more before `at`, whatever
    /// the number of dossiers.
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
        let (hour, offset) = split(at.unix_timestamp_nanos());
        for item in tree.range(key(midnight.unix_timestamp())..key(hour)) {
            let (key, value) = item?;
            sum_totals(&value, &key, nodes, &mut total)?;
        }
        let last = key(hour);
        if let Some(value) = tree.get(last)? {
            let catalog = self.inner.catalog.read().map_err(|_| poisoned())?;
            let mut filter = ScopeFilter::new(nodes, &catalog);
            sum_changes(&value, &last, offset, |class| filter.contains(class), &mut total)?;
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
    /// Index into the list of classes.
    class: u32,
    /// A single dossier's change is −1, 0 or +1 per measure.
    delta: [i8; STATE_COUNT],
}

impl Change {
    fn ns(&self) -> i128 {
        i128::from(self.seconds) * NANOS_PER_SECOND + i128::from(self.nanos)
    }
}

/// Every dossier's changes, sorted by instant, with the classes they refer to.
struct AllChanges {
    changes: Vec<Change>,
    classes: Vec<(Class, Vec<[u8; 5]>)>,
}

impl AllChanges {
    /// Calls `emit` with each expected row, in key order.
    fn rows(&self, mut emit: impl FnMut(Key, Vec<u8>) -> Result<()>) -> Result<()> {
        for chunk in self.changes.chunk_by(|a, b| split(a.ns()).0 == split(b.ns()).0) {
            let Some(first) = chunk.first() else { continue };
            let mut row = HourRow::default();
            for c in chunk {
                let Some((class, nodes)) = self.classes.get(c.class as usize) else { continue };
                let at = At { offset: split(c.ns()).1, class: *class };
                row.add(at, nodes, &c.delta.map(i64::from));
            }
            let bytes = encode_row(&row);
            if !bytes.is_empty() {
                emit(key(split(first.ns()).0), bytes)?;
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
        let mut index: HashMap<(AgencyCode, ProcedureCode, Field), u32> = HashMap::new();
        let mut classes: Vec<(Class, Vec<[u8; 5]>)> = Vec::new();
        let mut changes = Vec::new();
        for item in &self.inner.dossiers {
            let (key, value) = item?;
            let record: DossierRecord = decode(&value, tree::DOSSIERS, &key)?;
            let dossier = Dossier::try_from(record)
                .map_err(|e| corrupt(tree::DOSSIERS, &key, e.to_string()))?;
            let h = dossier.header();
            let id = (h.agency.clone(), h.procedure.clone(), h.field.clone());
            let class = match index.get(&id) {
                Some(&i) => i,
                None => {
                    let nodes = catalog.nodes_for(&h.agency, &h.procedure, &h.field)?;
                    let i = u32::try_from(classes.len())
                        .map_err(|_| Error::invalid("store", "too many dossier classes"))?;
                    classes
                        .push((Class::of(&nodes), nodes.iter().map(|(_, n)| n.bytes()).collect()));
                    index.insert(id, i);
                    i
                }
            };
            for (at, change) in state_changes(&dossier) {
                let ns = at.unix_timestamp_nanos();
                changes.push(Change {
                    seconds: ns.div_euclid(NANOS_PER_SECOND) as i64,
                    nanos: ns.rem_euclid(NANOS_PER_SECOND) as u32,
                    class,
                    delta: change.map(|c| c.clamp(-1, 1) as i8),
                });
            }
        }
        changes.sort_unstable_by_key(|c| (c.seconds, c.nanos));
        Ok(AllChanges { changes, classes })
    }

    /// Recomputes the intraday rows from the dossiers and returns a line per row that
    /// differs from the stored one (empty when healthy).
    pub(crate) fn verify_intraday(&self) -> Result<Vec<String>> {
        let all = self.all_changes()?;
        let mut stored = self.inner.intraday.iter();
        let mut current = stored.next().transpose()?;
        let mut differences = Vec::new();
        all.rows(|key, bytes| {
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
                            decode_row(v, &key)?,
                            decode_row(&bytes, &key)?
                        ));
                    }
                    current = stored.next().transpose()?;
                }
                None => differences.push(format!("intraday row {} is missing", hex(&key))),
            }
            Ok(())
        })?;
        while let Some((k, _)) = current {
            differences.push(format!("intraday row {} should not exist", hex(&k)));
            current = stored.next().transpose()?;
        }
        Ok(differences)
    }

    /// Regenerates the intraday rows from the dossiers. Not atomic: a meta marker is
    /// set for the duration, and a store opened with the marker set rebuilds again.
    /// Like [`Store::rebuild`], run it with no concurrent writes.
    pub(crate) fn rebuild_intraday(&self) -> Result<()> {
        const BATCH_ROWS: usize = 5_000;
        let all = self.all_changes()?;
        let meta = self.inner.db.open_tree(tree::META)?;
        meta.insert(REBUILDING_KEY, &[1])?;
        let tree = &self.inner.intraday;
        tree.clear()?;
        let mut batch = sled::Batch::default();
        let mut in_batch = 0;
        all.rows(|key, bytes| {
            batch.insert(&key[..], bytes);
            in_batch += 1;
            if in_batch == BATCH_ROWS {
                tree.apply_batch(std::mem::take(&mut batch))?;
                in_batch = 0;
            }
            Ok(())
        })?;
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

    fn vectors() -> impl Strategy<Value = StateCounts> {
        proptest::array::uniform5(-3i64..4)
    }

    fn rows() -> impl Strategy<Value = HourRow> {
        let class = (0u32..4, 0u32..3, 0u32..3).prop_map(|(agency, field, procedure)| Class {
            agency,
            field,
            procedure,
        });
        (
            proptest::collection::btree_map(
                (0u8..30).prop_map(|n| [1, 0, 0, 0, n]),
                vectors(),
                0..12,
            ),
            proptest::collection::btree_map(
                (0u64..200, class).prop_map(|(offset, class)| At { offset, class }),
                vectors(),
                0..12,
            ),
        )
            .prop_map(|(mut totals, mut changes)| {
                totals.retain(|_, v| !is_zero(v));
                changes.retain(|_, v| !is_zero(v));
                HourRow { totals, changes }
            })
    }

    proptest! {
        #[test]
        fn rows_round_trip_and_patch_like_a_map(stored in rows(), delta in rows(), limit in 0u64..220) {
            let bytes = encode_row(&stored);
            prop_assert_eq!(&decode_row(&bytes, b"k").unwrap(), &stored);
            let mut expected = stored.clone();
            for (k, v) in &delta.totals {
                add_to(expected.totals.entry(*k).or_default(), v);
            }
            for (k, v) in &delta.changes {
                add_to(expected.changes.entry(*k).or_default(), v);
            }
            expected.totals.retain(|_, v| !is_zero(v));
            expected.changes.retain(|_, v| !is_zero(v));
            prop_assert_eq!(patch(&bytes, b"k", &delta).unwrap(), encode_row(&expected));
            // Sums read the totals of the nodes asked for, and the changes below the
            // limit of the classes asked for.
            let nodes = [[1, 0, 0, 0, 3], [1, 0, 0, 0, 7]];
            let mut want = [0; STATE_COUNT];
            for (node, v) in &stored.totals {
                if nodes.contains(node) {
                    add_to(&mut want, v);
                }
            }
            let mut got = [0; STATE_COUNT];
            sum_totals(&bytes, b"k", &nodes, &mut got).unwrap();
            prop_assert_eq!(got, want);
            let mut want = [0; STATE_COUNT];
            for (at, v) in &stored.changes {
                if at.offset < limit && at.class.agency == 2 {
                    add_to(&mut want, v);
                }
            }
            let mut got = [0; STATE_COUNT];
            sum_changes(&bytes, b"k", limit, |c| c.agency == 2, &mut got).unwrap();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn arbitrary_rows_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let _ = decode_row(&bytes, b"k");
            let _ = patch(&bytes, b"k", &HourRow::default());
            let mut total = [0; STATE_COUNT];
            let _ = sum_totals(&bytes, b"k", &[[1, 0, 0, 0, 3]], &mut total);
            let _ = sum_changes(&bytes, b"k", u64::MAX, |_| true, &mut total);
        }

        #[test]
        fn keys_sort_like_hours(a in -611_000i64..9_100_000, b in -611_000i64..9_100_000) {
            let (a, b) = (a * HOUR_SECONDS, b * HOUR_SECONDS);
            prop_assert_eq!(a.cmp(&b), key(a).cmp(&key(b)));
            prop_assert_eq!(decode_key(&key(a)).unwrap(), a);
        }
    }

    #[test]
    fn instants_split_into_hour_and_offset() {
        // 2023-02-28 10:17:05.5 +07:00 = 03:17:05.5 UTC = Unix 1677554225.5; the hour
        // starts at 03:00 UTC = Unix 1677553200, 1025.5 s earlier.
        let at = time::macros::datetime!(2023-02-28 10:17:05.5 +07:00);
        assert_eq!(at.unix_timestamp(), 1_677_554_225);
        assert_eq!(split(at.unix_timestamp_nanos()), (1_677_553_200, 1_025_500_000_000));
        // Before 1970 the floor still goes down.
        assert_eq!(split(-1), (-3_600, 3_599_999_999_999));
        assert!(decode_key(&key(60)).is_err());
        let mut other_grain = key(0);
        other_grain[0] = 1;
        assert!(decode_key(&other_grain).is_err());
        assert!(decode_key(&key(0)[..8]).is_err());
    }

    #[test]
    fn a_class_has_the_nodes_its_counters_were_written_with() {
        let store = Store::temporary().unwrap();
        let code = |s: &str| crate::AgencyCode::new(s).unwrap();
        let p = crate::Agency::province(code("000.00.00.H49"), "Tỉnh").unwrap();
        let d = crate::Agency::district(code("000.00.21.H49"), "Huyện", p.code()).unwrap();
        let c = crate::Agency::commune(code("000.21.01.H49"), "Xã", d.code()).unwrap();
        for a in [&p, &d, &c] {
            store.agencies().insert(a).unwrap();
        }
        let procedure = crate::Procedure::builder(
            crate::ProcedureCode::new("1.004227").unwrap(),
            "Đăng ký khai sinh",
            crate::Field::new("Hộ tịch").unwrap(),
            crate::TimeLimit::working_days(3),
        )
        .build()
        .unwrap();
        store.procedures().insert(&procedure).unwrap();
        let catalog = store.inner.catalog.read().unwrap();
        for a in [&p, &d, &c] {
            let nodes = catalog.nodes_for(a.code(), procedure.code(), procedure.field()).unwrap();
            let mut want: Vec<[u8; 5]> = nodes.iter().map(|(_, n)| n.bytes()).collect();
            let mut got = Class::of(&nodes).nodes(&catalog);
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "{}", a.code());
            // The commune counts for the province's subtree, the district's, its own.
            let class = Class::of(&nodes);
            let subtree = |x: &crate::Agency| {
                let k = catalog.agencies[x.code()].key;
                [Node::Own(k).bytes(), Node::Below(k).bytes()]
            };
            let province = subtree(&p);
            assert!(ScopeFilter::new(&province, &catalog).contains(class));
            let district = subtree(&d);
            assert_eq!(ScopeFilter::new(&district, &catalog).contains(class), a.code() != p.code());
        }
    }

    #[test]
    fn out_of_order_entries_are_corrupt() {
        let class = Class { agency: 1, field: 0, procedure: 0 };
        let mut changes = Vec::new();
        push_entry(&mut changes, At { offset: 5, class }, &[1, 0, 0, 0, 0]);
        push_entry(&mut changes, At { offset: 2, class }, &[1, 0, 0, 0, 0]);
        let bytes = assemble(&[], &changes);
        assert!(matches!(decode_row(&bytes, b"k"), Err(Error::Corrupt { .. })));
    }
}
