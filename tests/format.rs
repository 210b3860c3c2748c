//! Upgrade safety: the stored bytes of every format version are frozen.
//!
//! `tests/fixtures/format-v1/` holds the bytes of one representative value of each
//! stored record type of the store core (agency, procedure version, dossiers that
//! between them carry every event kind, a counter vector). `tests/fixtures/format-v2/`
//! holds what format 2 added (an intraday key and row, a calendar announcement); format 2 changed no record of
//! format 1, so the `format-v1/` bytes are still what the current code writes. The test
//! checks both ways: the current code encodes the values to exactly the committed
//! bytes, and the committed bytes decode to the values. A missing fixture is written
//! only when `CCHC_BLESS=1` is set; a missing or different fixture otherwise fails
//! loudly. A future format N+1 adds `format-v{N+1}/` and keeps decoding the others.

mod common;

use std::path::PathBuf;

use cchc::Store;
use cchc::fuzz_support::{decode_golden, golden_records, golden_records_v2};
use cchc::store::{FORMAT_VERSION, OLDEST_READABLE_FORMAT};

fn fixture_dir(version: u32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/format-v{version}"))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Checks one version's golden records against its fixture directory; returns the
/// problems found.
fn check_golden(version: u32, records: Vec<(&'static str, Vec<u8>, String)>) -> Vec<String> {
    let bless = std::env::var("CCHC_BLESS").is_ok_and(|v| v == "1");
    let dir = fixture_dir(version);
    let mut problems = Vec::new();
    for (name, bytes, debug) in records {
        let path = dir.join(format!("{name}.bin"));
        let committed = match std::fs::read(&path) {
            Ok(committed) => committed,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && bless => {
                std::fs::create_dir_all(&dir).unwrap();
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
                "{name}: the current code encodes format {version} differently\n  committed {}\n  now       {}",
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
    problems
}

#[test]
fn golden_bytes_of_formats_1_to_3_encode_and_decode_unchanged() {
    assert_eq!(FORMAT_VERSION, 3, "a new format version needs its own fixture directory");
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
    let v2 = golden_records_v2();
    let names: Vec<&str> = v2.iter().map(|(name, ..)| *name).collect();
    assert_eq!(names, ["intraday-key", "intraday-row", "calendar-announcement"]);
    let v3 = cchc::fuzz_support::golden_records_v3().unwrap();
    let names: Vec<&str> = v3.iter().map(|(name, ..)| *name).collect();
    assert_eq!(names, ["dossier-decree118-closed", "dossier-decree118-stopped"]);
    let mut problems = check_golden(1, records);
    problems.extend(check_golden(2, v2));
    problems.extend(check_golden(3, v3));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn golden_bytes_with_one_byte_changed_never_decode_to_the_value() {
    // Each fixture pins its value: flipping any single byte gives an error or
    // another value, never the same value silently.
    for (name, bytes, debug) in golden_records().unwrap().into_iter().chain(golden_records_v2()) {
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
        cchc::fuzz_support::write_version_for_tests(&path, version).unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(common::export(&store), before, "format {version}");
    }
}

/// The backlog of every scope at instants inside days, under both rules.
fn backlogs_inside_days(store: &Store) -> Vec<cchc::Backlog> {
    let mut scopes = vec![cchc::Scope::All];
    for a in store.agencies().list().unwrap() {
        scopes.push(cchc::Scope::agency(a.code()));
        scopes.push(cchc::Scope::subtree(a.code()));
    }
    let mut out = Vec::new();
    for scope in &scopes {
        for step in 0..60 {
            let at = common::script_start() + time::Duration::seconds(step * 187 * 60 + 13);
            for rule in [cchc::ClockRule::Restart, cchc::ClockRule::Subtract] {
                out.push(store.backlog_at(scope, at, rule).unwrap());
            }
        }
    }
    out
}

#[test]
fn a_format_1_store_gets_its_intraday_index_built_on_open() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("store");
    let store = Store::open(&path).unwrap();
    common::insert_catalogue(&store);
    for op in common::Script::ops(11, time::Duration::minutes(23), 150) {
        op.apply(&store).unwrap();
    }
    let before = backlogs_inside_days(&store);
    assert!(before.iter().any(|b| b.overdue > 0), "nothing is ever overdue");
    assert!(before.iter().any(|b| b.waiting > 0), "nothing ever waits");
    store.sync().unwrap();
    drop(store);

    // Format 1 is format 2 without the intraday tree (no other byte differs).
    {
        let db = sled::open(&path).unwrap();
        assert!(db.drop_tree("intraday").unwrap());
        db.open_tree("meta").unwrap().insert("format_version", &1u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let raw = common::dump_raw(&path);
    assert!(raw.get(&b"intraday"[..]).is_none_or(Vec::is_empty));

    let store = Store::open(&path).unwrap();
    assert_eq!(backlogs_inside_days(&store), before);
    assert!(store.verify().unwrap().is_clean());
    drop(store);
    let raw = common::dump_raw(&path);
    let version = raw[&b"meta"[..]].iter().find(|(k, _)| k.as_slice() == b"format_version");
    assert_eq!(version.map(|(_, v)| v.as_slice()), Some(&FORMAT_VERSION.to_be_bytes()[..]));
    assert!(!raw[&b"intraday"[..]].is_empty());

    // A rebuild interrupted half way (its marker still in meta) is redone on open.
    {
        let db = sled::open(&path).unwrap();
        db.open_tree("meta").unwrap().insert("intraday_rebuilding", &[1]).unwrap();
        let tree = db.open_tree("intraday").unwrap();
        let keys: Vec<_> = tree.iter().keys().map(Result::unwrap).collect();
        for key in keys.iter().step_by(2) {
            tree.remove(key).unwrap();
        }
        db.flush().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(backlogs_inside_days(&store), before);
    assert!(store.verify().unwrap().is_clean());
    drop(store);
    let raw = common::dump_raw(&path);
    assert!(!raw[&b"meta"[..]].iter().any(|(k, _)| k.as_slice() == b"intraday_rebuilding"));
}

#[test]
fn verify_reports_a_damaged_intraday_row_and_rebuild_repairs_it() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("store");
    let store = Store::open(&path).unwrap();
    common::insert_catalogue(&store);
    for op in common::Script::ops(5, time::Duration::minutes(41), 60) {
        op.apply(&store).unwrap();
    }
    let before = backlogs_inside_days(&store);
    store.sync().unwrap();
    drop(store);
    {
        // Lose one row: the changes of one hour.
        let db = sled::open(&path).unwrap();
        let tree = db.open_tree("intraday").unwrap();
        let (key, _) = tree.first().unwrap().unwrap();
        tree.remove(&key).unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(&path).unwrap();
    let report = store.verify().unwrap();
    assert!(!report.is_clean());
    assert_eq!(report.intraday_differences.len(), 1, "{report:?}");
    assert!(report.intraday_differences[0].ends_with("is missing"), "{report:?}");
    assert!(report.counter_differences.is_empty());
    store.rebuild().unwrap();
    assert!(store.verify().unwrap().is_clean());
    assert_eq!(backlogs_inside_days(&store), before);
}
