//! Upgrade safety: the stored bytes of format version 1 are frozen.
//!
//! `tests/fixtures/format-v1/` holds the bytes of one representative value of each
//! stored record type of the store core (agency, procedure version, dossiers that
//! between them carry every event kind, a counter vector). The test checks both
//! ways: the current code encodes the values to exactly the committed bytes, and the
//! committed bytes decode to the values. A missing fixture is written only when
//! `CCHC_BLESS=1` is set; a missing or different fixture otherwise fails loudly.
//! A future format N+1 adds `format-v{N+1}/` and keeps decoding `format-v1/`.

mod common;

use std::path::PathBuf;

use cchc::fuzz_support::{decode_golden, golden_records};
use cchc::{FORMAT_VERSION, OLDEST_READABLE_FORMAT, Store};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format-v1")
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[test]
fn golden_bytes_of_format_1_encode_and_decode_unchanged() {
    assert_eq!(FORMAT_VERSION, 1, "a new format version needs its own fixture directory");
    let bless = std::env::var("CCHC_BLESS").is_ok_and(|v| v == "1");
    let records = golden_records().unwrap();
    let names: Vec<&str> = records.iter().map(|(name, ..)| *name).collect();
    assert_eq!(
        names,
        [
            "agency",
            "procedure",
            "dossier-resolved",
            "dossier-refused",
            "dossier-withdrawn",
            "counts",
            "counter-row",
        ]
    );
    let mut problems = Vec::new();
    for (name, bytes, debug) in records {
        let path = fixture_dir().join(format!("{name}.bin"));
        let committed = match std::fs::read(&path) {
            Ok(committed) => committed,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && bless => {
                std::fs::create_dir_all(fixture_dir()).unwrap();
                std::fs::write(&path, &bytes).unwrap();
                eprintln!("wrote {}", path.display());
                bytes.clone()
            }
            Err(e) => {
                problems.push(format!(
                    "{}: {e} (run once with CCHC_BLESS=1 to write a new fixture)",
                    path.display()
                ));
                continue;
            }
        };
        if committed != bytes {
            problems.push(format!(
                "{name}: the current code encodes format 1 differently\n  committed {}\n  now       {}",
                hex(&committed),
                hex(&bytes)
            ));
        }
        match decode_golden(name, &committed) {
            Ok(decoded) if decoded == debug => {}
            Ok(decoded) => problems.push(format!(
                "{name}: the committed bytes decode to another value:\n{decoded}\nexpected\n{debug}"
            )),
            Err(e) => problems.push(format!("{name}: the committed bytes do not decode: {e:?}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn golden_bytes_with_one_byte_changed_never_decode_to_the_value() {
    // Each fixture pins its value: flipping any single byte gives an error or
    // another value, never the same value silently.
    for (name, bytes, debug) in golden_records().unwrap() {
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x01;
            if let Ok(decoded) = decode_golden(name, &damaged) {
                assert_ne!(decoded, debug, "{name}: flipping byte {i} changed nothing");
            }
        }
        let mut longer = bytes.clone();
        longer.push(0);
        // Trailing bytes are corruption for records; a counter vector may gain
        // measures at its end, and a zero measure reads as absent.
        match decode_golden(name, &longer) {
            Err(cchc::Error::Corrupt { .. }) => assert_ne!(name, "counts"),
            Ok(decoded) => {
                assert_eq!(name, "counts", "{name}: a trailing byte was accepted");
                assert_eq!(decoded, debug);
            }
            Err(e) => panic!("{name}: {e:?}"),
        }
    }
}

#[test]
fn a_store_written_and_closed_opens_again_under_the_same_version() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("store");
    let store = Store::open(&path).unwrap();
    common::insert_catalogue(&store);
    for op in common::Script::ops(7, time::Duration::minutes(30), 120) {
        op.apply(&store).unwrap();
    }
    let before = common::export(&store);
    store.sync().unwrap();
    drop(store);

    // The version written is the current one, big-endian, in the meta tree.
    let raw = common::dump_raw(&path);
    let meta = raw.get(&b"meta"[..]).expect("a meta tree");
    let version = meta.iter().find(|(k, _)| k.as_slice() == b"format_version");
    assert_eq!(version.map(|(_, v)| v.as_slice()), Some(&FORMAT_VERSION.to_be_bytes()[..]));

    let store = Store::open(&path).unwrap();
    assert_eq!(common::export(&store), before);
    assert!(store.verify().unwrap().is_clean());
    drop(store);
    assert_eq!(common::dump_raw(&path), raw, "opening and closing rewrote stored bytes");

    // Every version this build claims to read opens.
    for version in OLDEST_READABLE_FORMAT..=FORMAT_VERSION {
        cchc::write_version_for_tests(&path, version).unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(common::export(&store), before, "format {version}");
    }
}
