//! A damaged log tail after a `sync()`: sled takes a bad checksum for the end of its
//! log, so before the sync mark a flipped bit or a cut file opened "successfully" with
//! synced dossiers missing. Now every damage either opens with everything that was
//! synced or is refused with `Error::LostSyncedWrites`; the refusal changes nothing,
//! and `accept_lost_writes` opens what is left, consistently.

mod common;

use std::path::Path;

use cchc::{Error, Store};
use common::Script;
use time::Duration;

const SYNCED: usize = 30;
const TOTAL: usize = 70;

/// Writes 30 ops, syncs, writes 40 more and syncs again; returns the ops' codes count
/// at each sync.
fn write_store(path: &Path) -> usize {
    let store = Store::builder(path).flush_every_ms(None).open().unwrap();
    common::insert_catalogue(&store);
    let ops = Script::ops(42, Duration::minutes(9), TOTAL);
    for op in &ops[..SYNCED] {
        op.apply(&store).unwrap();
    }
    store.sync().unwrap();
    for op in &ops[SYNCED..] {
        op.apply(&store).unwrap();
    }
    store.sync().unwrap();
    let events = store.dossiers().iter().map(|d| d.unwrap().events().len()).sum::<usize>();
    assert_eq!(events, TOTAL);
    events
}

fn events_in(store: &Store) -> usize {
    store.dossiers().iter().map(|d| d.unwrap().events().len()).sum()
}

/// What opening a damaged copy gave.
#[derive(Debug, Default)]
struct Outcome {
    whole: usize,
    refused: usize,
    other_errors: usize,
}

fn open_damaged(path: &Path, outcome: &mut Outcome) {
    let before = common::dump_raw(path);
    match Store::open(path) {
        Ok(store) => {
            // Opening is only allowed with every synced write present.
            assert_eq!(events_in(&store), TOTAL, "opened short without an error");
            assert!(store.verify().unwrap().is_clean());
            outcome.whole += 1;
        }
        Err(Error::LostSyncedWrites { marked, found, .. }) => {
            assert!(found < marked, "{found} < {marked}");
            // The refusal wrote nothing.
            assert_eq!(common::dump_raw(path), before);
            // Accepting the loss opens a consistent, shorter store, and a second open
            // no longer complains.
            let store = Store::builder(path).accept_lost_writes(true).open().unwrap();
            assert!(events_in(&store) < TOTAL);
            assert!(store.verify().unwrap().is_clean());
            drop(store);
            Store::open(path).unwrap();
            outcome.refused += 1;
        }
        // sled itself may refuse some damage outright; that is not a silent loss.
        Err(Error::Storage(_) | Error::Corrupt { .. }) => outcome.other_errors += 1,
        Err(e) => panic!("unexpected error {e:?}"),
    }
}

#[test]
fn a_damaged_log_tail_is_refused_not_opened_short() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = dir.path().join("pristine");
    write_store(&pristine);
    let len = std::fs::metadata(pristine.join("db")).unwrap().len();
    let mut flips = Outcome::default();
    let mut cuts = Outcome::default();
    // Damage at 16 places spread over the file's second half, where the log tail is.
    for i in 0..16u64 {
        let offset = len / 2 + (len / 2) * i / 16;
        let flipped = dir.path().join(format!("flip{i}"));
        common::copy_dir(&pristine, &flipped);
        let mut bytes = std::fs::read(flipped.join("db")).unwrap();
        bytes[offset as usize] ^= 0x10;
        std::fs::write(flipped.join("db"), bytes).unwrap();
        open_damaged(&flipped, &mut flips);

        let cut = dir.path().join(format!("cut{i}"));
        common::copy_dir(&pristine, &cut);
        let file = std::fs::OpenOptions::new().write(true).open(cut.join("db")).unwrap();
        file.set_len(offset).unwrap();
        drop(file);
        open_damaged(&cut, &mut cuts);
    }
    eprintln!("flips: {flips:?}; cuts: {cuts:?}");
    // The mark must actually catch losses: without it these opened short.
    assert!(flips.refused + cuts.refused > 0, "flips {flips:?}, cuts {cuts:?}");
}

/// `Store::open` on a folder that holds other files writes nothing into it.
#[test]
fn open_refuses_a_folder_that_is_not_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("documents");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("báo cáo.docx"), b"not a store").unwrap();
    match Store::open(&folder) {
        Err(Error::NotAStore { path, reason }) => {
            assert_eq!(path, folder.display().to_string());
            assert!(reason.contains("báo cáo.docx"), "{reason}");
        }
        other => panic!("expected NotAStore, got {other:?}"),
    }
    let names: Vec<_> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("báo cáo.docx")], "something was written");
    // A file is not a folder.
    let file = folder.join("báo cáo.docx");
    assert!(matches!(Store::open(&file), Err(Error::NotAStore { .. })));
    // An empty folder and a missing one become stores; a store reopens.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    drop(Store::open(&empty).unwrap());
    Store::open(&empty).unwrap();
    Store::open(dir.path().join("new")).unwrap();
}

/// The importer holds at most `MAX_BATCH_SIZE` items whatever batch size it is given:
/// 12,000 receipts with a requested batch of 200,000 are written in three batches.
#[test]
fn importer_batches_are_capped() {
    let store = Store::temporary().unwrap();
    common::insert_catalogue(&store);
    let mut importer = store.dossiers().importer().batch_size(200_000);
    let mut script = Script::new(7, Duration::minutes(1));
    let mut receipts = 0;
    while receipts < 12_000 {
        if let common::Op::Receive(new) = script.next_op() {
            importer.dossier(new, Vec::new()).unwrap();
            receipts += 1;
        }
    }
    let summary = importer.finish().unwrap();
    assert_eq!(summary.dossiers, 12_000);
    assert_eq!(cchc::store::MAX_BATCH_SIZE, 5_000);
    assert_eq!(summary.batches, 3, "12,000 receipts in batches of at most 5,000");
    assert_eq!(
        store.report(&cchc::Scope::All, common::all_time()).unwrap().received_total(),
        12_000
    );
}

/// A bit flipped anywhere in the log, not only in its tail: every open gives a store
/// or an error, never a panic (sled 0.34 panics on some damage while recovering; the
/// store turns that into `Error::Corrupt`).
#[test]
fn damage_anywhere_in_the_log_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = dir.path().join("pristine");
    write_store(&pristine);
    let len = std::fs::metadata(pristine.join("db")).unwrap().len();
    let (mut opened, mut refused) = (0, 0);
    for i in 0..48u64 {
        let offset = len * i / 48;
        let copy = dir.path().join(format!("any{i}"));
        common::copy_dir(&pristine, &copy);
        let mut bytes = std::fs::read(copy.join("db")).unwrap();
        bytes[offset as usize] ^= 0x40;
        std::fs::write(copy.join("db"), bytes).unwrap();
        let cut = dir.path().join(format!("cut-any{i}"));
        common::copy_dir(&pristine, &cut);
        std::fs::OpenOptions::new()
            .write(true)
            .open(cut.join("db"))
            .unwrap()
            .set_len(offset)
            .unwrap();
        for path in [&copy, &cut] {
            match Store::open(path) {
                Ok(store) => {
                    // Reading may still meet the damage: an error, not a panic.
                    let _ = store.dossiers().iter().collect::<cchc::Result<Vec<_>>>();
                    opened += 1;
                }
                Err(_) => refused += 1,
            }
        }
    }
    assert_eq!(opened + refused, 96);
}
