//! Value encoding: bincode 2 (serde) with one configuration, and the compact
//! counter-vector encoding. Decoding never panics: bad bytes are `Error::Corrupt`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::CodecError;
use crate::model::measure::{Counts, MEASURE_COUNT};
use crate::{Error, Result};

/// The one bincode configuration: varint integers, little endian, and a 16 MiB limit
/// so hostile length prefixes cannot allocate without bound.
const CONFIG: bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<{ 16 * 1024 * 1024 }>,
> = bincode::config::standard().with_limit::<{ 16 * 1024 * 1024 }>();

/// Encodes a record.
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    bincode::serde::encode_to_vec(value, CONFIG)
        .map_err(|e| Error::Codec(CodecError(e.to_string())))
}

/// Hex of a key, for error messages.
pub(crate) fn hex(key: &[u8]) -> String {
    use std::fmt::Write;
    key.iter().fold(String::with_capacity(key.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Builds an [`Error::Corrupt`].
pub(crate) fn corrupt(tree: &'static str, key: &[u8], reason: impl Into<String>) -> Error {
    Error::Corrupt { tree, key: hex(key), reason: reason.into() }
}

/// Decodes a record stored at `key` of `tree`; trailing bytes are corruption too.
pub(crate) fn decode<T: DeserializeOwned>(
    bytes: &[u8],
    tree: &'static str,
    key: &[u8],
) -> Result<T> {
    match bincode::serde::decode_from_slice::<T, _>(bytes, CONFIG) {
        Ok((value, used)) if used == bytes.len() => Ok(value),
        Ok((_, used)) => Err(corrupt(tree, key, format!("{} trailing bytes", bytes.len() - used))),
        Err(e) => Err(corrupt(tree, key, e.to_string())),
    }
}

/// Encodes a counter vector: LEB128 zig-zag varints, trailing zeros dropped. A vector
/// written with fewer measures decodes with the missing ones at zero, so measures can
/// be added at the end without rewriting counters.
pub(crate) fn encode_counts(counts: &Counts) -> Vec<u8> {
    let used = counts.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
    let mut out = Vec::with_capacity(used + 1);
    for &c in counts.iter().take(used) {
        let mut z = ((c << 1) ^ (c >> 63)) as u64;
        loop {
            let byte = (z & 0x7f) as u8;
            z >>= 7;
            if z == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

/// Decodes [`encode_counts`].
pub(crate) fn decode_counts(bytes: &[u8], key: &[u8]) -> Result<Counts> {
    let mut counts = [0i64; MEASURE_COUNT];
    let mut slots = counts.iter_mut();
    let mut z: u64 = 0;
    let mut shift = 0u32;
    for &byte in bytes {
        if shift >= 64 {
            return Err(corrupt(crate::store::keys::tree::COUNTERS, key, "varint too long"));
        }
        z |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            let Some(slot) = slots.next() else {
                return Err(corrupt(crate::store::keys::tree::COUNTERS, key, "too many measures"));
            };
            *slot = ((z >> 1) as i64) ^ -((z & 1) as i64);
            z = 0;
            shift = 0;
        }
    }
    if shift != 0 {
        return Err(corrupt(crate::store::keys::tree::COUNTERS, key, "truncated varint"));
    }
    Ok(counts)
}

/// A counter row: the counts of each node of a group in one time bucket.
pub(crate) type Row = std::collections::BTreeMap<[u8; 5], Counts>;

/// Appends `n` as LEB128 (7 bits a byte, low first): counter rows and intraday rows.
pub(crate) fn push_varint(out: &mut Vec<u8>, mut n: u64) {
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

/// Reads a LEB128 number at `at` and moves past it; `None` when cut or over 64 bits.
pub(crate) fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
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

/// Encodes a row: for each node in byte order with a non-zero vector, its 5 bytes,
/// the length of its counts as a varint, then the counts ([`encode_counts`]).
pub(crate) fn encode_row(row: &Row) -> Vec<u8> {
    let mut out = Vec::with_capacity(row.len() * 12);
    for (node, counts) in row {
        let encoded = encode_counts(counts);
        if encoded.is_empty() {
            continue;
        }
        out.extend_from_slice(node);
        push_varint(&mut out, encoded.len() as u64);
        out.extend_from_slice(&encoded);
    }
    out
}

/// Walks a row, calling `visit` with each node and its encoded counts.
fn walk_row(
    bytes: &[u8],
    key: &[u8],
    mut visit: impl FnMut([u8; 5], &[u8]) -> Result<()>,
) -> Result<()> {
    let bad = |why: &str| corrupt(crate::store::keys::tree::COUNTERS, key, why.to_owned());
    let mut at = 0;
    while at < bytes.len() {
        let node: [u8; 5] = bytes
            .get(at..at + 5)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| bad("truncated node"))?;
        at += 5;
        let len = read_varint(bytes, &mut at).ok_or_else(|| bad("truncated length"))?;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| at.checked_add(l))
            .ok_or_else(|| bad("length overflow"))?;
        let counts = bytes.get(at..end).ok_or_else(|| bad("truncated counts"))?;
        visit(node, counts)?;
        at = end;
    }
    Ok(())
}

/// Decodes [`encode_row`].
pub(crate) fn decode_row(bytes: &[u8], key: &[u8]) -> Result<Row> {
    let mut row = Row::new();
    walk_row(bytes, key, |node, counts| {
        row.insert(node, decode_counts(counts, key)?);
        Ok(())
    })?;
    Ok(row)
}

/// Adds the counts of the `nodes` found in an encoded row to `total`, decoding only
/// those nodes' vectors and stopping after the last of them (rows are sorted).
pub(crate) fn add_row_nodes(
    bytes: &[u8],
    key: &[u8],
    nodes: &[[u8; 5]],
    total: &mut Counts,
) -> Result<()> {
    let Some(&last) = nodes.iter().max() else { return Ok(()) };
    let mut done = false;
    walk_row(bytes, key, |node, counts| {
        if done {
            return Ok(());
        }
        if nodes.contains(&node) {
            for (t, c) in total.iter_mut().zip(decode_counts(counts, key)?) {
                *t += c;
            }
        }
        done = node >= last;
        Ok(())
    })
}

fn push_node(out: &mut Vec<u8>, node: [u8; 5], counts: &Counts) {
    let encoded = encode_counts(counts);
    if !encoded.is_empty() {
        out.extend_from_slice(&node);
        push_varint(out, encoded.len() as u64);
        out.extend_from_slice(&encoded);
    }
}

/// Adds `delta` to an encoded row and returns the new encoding: a merge of the two
/// sorted node lists that copies untouched nodes' bytes as they are and re-encodes
/// only the nodes that changed, so a single event's cost does not grow with the
/// number of nodes decoded. Nodes that reach all zeros are dropped.
pub(crate) fn patch_row(bytes: &[u8], key: &[u8], delta: &Row) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() + delta.len() * 12);
    let mut pending = delta.iter().peekable();
    walk_row(bytes, key, |node, counts| {
        while let Some((d_node, d_counts)) = pending.next_if(|(d, _)| **d < node) {
            push_node(&mut out, *d_node, d_counts);
        }
        match pending.next_if(|(d, _)| **d == node) {
            Some((_, d_counts)) => {
                let mut sum = decode_counts(counts, key)?;
                for (s, d) in sum.iter_mut().zip(d_counts) {
                    *s += d;
                }
                push_node(&mut out, node, &sum);
            }
            None => {
                out.extend_from_slice(&node);
                push_varint(&mut out, counts.len() as u64);
                out.extend_from_slice(counts);
            }
        }
        Ok(())
    })?;
    for (d_node, d_counts) in pending {
        push_node(&mut out, *d_node, d_counts);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn counts_round_trip(values in proptest::collection::vec(any::<i64>(), MEASURE_COUNT)) {
            let mut counts = [0i64; MEASURE_COUNT];
            counts.copy_from_slice(&values);
            prop_assert_eq!(decode_counts(&encode_counts(&counts), b"k").unwrap(), counts);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode_counts(&bytes, b"k");
            let _ = decode::<crate::store::records::DossierRecord>(&bytes, "dossiers", b"k");
        }
    }

    proptest! {
        #[test]
        fn rows_round_trip(entries in proptest::collection::btree_map(any::<[u8; 5]>(), proptest::collection::vec(-300i64..300, MEASURE_COUNT), 0..20)) {
            let mut row = Row::new();
            for (node, values) in entries {
                let mut counts = [0i64; MEASURE_COUNT];
                counts.copy_from_slice(&values);
                if counts.iter().any(|&c| c != 0) {
                    row.insert(node, counts);
                }
            }
            let bytes = encode_row(&row);
            prop_assert_eq!(&decode_row(&bytes, b"k").unwrap(), &row);
            if let Some((node, counts)) = row.iter().next() {
                let mut total = [0i64; MEASURE_COUNT];
                add_row_nodes(&bytes, b"k", &[*node], &mut total).unwrap();
                prop_assert_eq!(&total, counts);
            }
        }

        #[test]
        fn patching_a_row_equals_decoding_adding_and_encoding(
            stored in proptest::collection::btree_map(0u8..40, proptest::collection::vec(-3i64..4, MEASURE_COUNT), 0..20),
            delta in proptest::collection::btree_map(0u8..40, proptest::collection::vec(-3i64..4, MEASURE_COUNT), 0..20),
        ) {
            let to_row = |m: &std::collections::BTreeMap<u8, Vec<i64>>| -> Row {
                m.iter()
                    .map(|(n, v)| {
                        let mut c = [0i64; MEASURE_COUNT];
                        c.copy_from_slice(v);
                        ([1, 0, 0, 0, *n], c)
                    })
                    .filter(|(_, c)| c.iter().any(|&x| x != 0))
                    .collect()
            };
            let (stored, delta) = (to_row(&stored), to_row(&delta));
            let mut expected = stored.clone();
            for (node, d) in &delta {
                let e = expected.entry(*node).or_insert([0; MEASURE_COUNT]);
                for (x, y) in e.iter_mut().zip(d) {
                    *x += y;
                }
            }
            expected.retain(|_, c| c.iter().any(|&x| x != 0));
            let patched = patch_row(&encode_row(&stored), b"k", &delta).unwrap();
            prop_assert_eq!(&patched, &encode_row(&expected));
        }

        #[test]
        fn arbitrary_rows_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let _ = decode_row(&bytes, b"k");
        }
    }

    #[test]
    fn small_counts_are_compact() {
        let mut counts = [0i64; MEASURE_COUNT];
        counts[0] = 1;
        counts[3] = -1;
        assert_eq!(encode_counts(&counts), vec![2, 0, 0, 1]);
        assert!(encode_counts(&[0; MEASURE_COUNT]).is_empty());
        assert!(decode_counts(&[0x80], b"k").is_err());
    }
}
