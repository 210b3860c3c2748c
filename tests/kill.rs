//! Crash safety: SIGKILL a writer at random moments and check that everything it
//! synced survives, in order, with consistent counters.
//!
//! The test binary (`harness = false`) re-runs itself as a child when
//! `CCHC_KILL_CHILD` is set. The child opens the store, completes the catalogue if
//! needed, finds how far it got (every op of the script adds exactly one event, so
//! the number of stored events is the number of ops applied), and continues the
//! deterministic script of receipts and lifecycle actions, calling `Store::sync`
//! every few ops and then recording the synced op count in a side file (written,
//! fsynced and renamed after `sync` returns). The parent kills it with SIGKILL after
//! a seeded random delay, reopens the store and checks:
//!
//! - it opens;
//! - it holds exactly the first `E` ops of the script for some `E` at least the synced
//!   count: every synced write is there, and nothing is there out of order (no gaps);
//! - `verify()` is clean (counters equal a recomputation, the code index matches);
//! - reports equal the reference fold of the dossiers, and the all-time report
//!   counts every dossier.
//!
//! `CCHC_KILL_CYCLES` sets the number of cycles (default 20), `CCHC_KILL_SEED` the seed.

#[path = "common/mod.rs"]
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use cchc::{ClockRule, Dossier, Period, Scope, Store};
use common::{Op, Rng, Script};
use time::Duration;

const STEP_MINUTES: i64 = 10;

fn step() -> Duration {
    Duration::minutes(STEP_MINUTES)
}

fn store_path(dir: &Path) -> PathBuf {
    dir.join("store")
}

fn side_path(dir: &Path) -> PathBuf {
    dir.join("synced")
}

/// Writes the synced op count durably: temp file, fsync, rename, fsync the directory.
fn write_side(dir: &Path, synced: u64) {
    let tmp = dir.join("synced.tmp");
    let mut f = std::fs::File::create(&tmp).unwrap();
    f.write_all(synced.to_string().as_bytes()).unwrap();
    f.sync_all().unwrap();
    drop(f);
    std::fs::rename(&tmp, side_path(dir)).unwrap();
    std::fs::File::open(dir).unwrap().sync_all().unwrap();
}

fn read_side(dir: &Path) -> Option<u64> {
    std::fs::read_to_string(side_path(dir)).ok().map(|s| s.trim().parse().unwrap())
}

fn all_dossiers(store: &Store) -> cchc::Result<Vec<Dossier>> {
    store.dossiers().iter().collect()
}

/// Adds whatever part of the catalogue a killed child did not write.
fn complete_catalogue(store: &Store) {
    for a in common::agencies() {
        if store.agencies().get(a.code()).unwrap().is_none() {
            store.agencies().insert(&a).unwrap();
        }
    }
    for p in common::procedures() {
        if store.procedures().get(p.code()).unwrap().is_none() {
            store.procedures().insert(&p).unwrap();
        }
    }
}

fn child(dir: &Path, seed: u64, cycle: u64) -> ! {
    let flush_every = match cycle % 3 {
        0 => Some(500),
        1 => Some(20),
        _ => None,
    };
    let store = Store::builder(store_path(dir)).flush_every_ms(flush_every).open().unwrap();
    complete_catalogue(&store);
    store.sync().unwrap();
    let applied: u64 = all_dossiers(&store).unwrap().iter().map(|d| d.events().len() as u64).sum();
    if read_side(dir).is_none() {
        write_side(dir, applied);
    }
    let mut script = Script::new(seed, step());
    for _ in 0..applied {
        script.next_op();
    }
    let mut rng = Rng::new(seed ^ cycle.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut done = applied;
    // Tell the parent the store is open and writing starts.
    println!("ready");
    std::io::stdout().flush().unwrap();
    let mut next_sync = done + 1 + rng.below(16);
    loop {
        let op = script.next_op();
        if let Err(e) = op.apply(&store) {
            panic!("op {done} ({op:?}) failed: {e:?}");
        }
        done += 1;
        if done >= next_sync {
            store.sync().unwrap();
            write_side(dir, done);
            next_sync = done + 1 + rng.below(16);
        }
    }
}

#[derive(Debug, Default)]
struct Totals {
    ops: u64,
    synced_ops: u64,
    unsynced_survivors: u64,
    max_unsynced_survivors: u64,
    unsynced_lost: u64,
    check_time: StdDuration,
    /// Damaged copies (a bit flipped or the log cut in its tail) that opened whole.
    damaged_whole: u64,
    /// Damaged copies refused with `Error::LostSyncedWrites`.
    damaged_refused: u64,
    /// Damaged copies sled refused itself.
    damaged_other: u64,
}

/// Damages a copy of the killed store in its log tail (a flipped bit or a cut) and
/// checks that it either opens with every synced op or is refused with
/// `Error::LostSyncedWrites` — never opens short.
fn check_damaged(dir: &Path, rng: &mut Rng, cycle: u64, totals: &mut Totals) {
    let Some(synced) = read_side(dir) else { return };
    let copy = dir.join("damaged");
    let _ = std::fs::remove_dir_all(&copy);
    common::copy_dir(&store_path(dir), &copy);
    let db = copy.join("db");
    let len = std::fs::metadata(&db).unwrap().len();
    let offset = len - 1 - rng.below(len / 4 + 1).min(len - 1);
    if rng.chance(50) {
        let mut bytes = std::fs::read(&db).unwrap();
        bytes[offset as usize] ^= 1 << rng.below(8);
        std::fs::write(&db, bytes).unwrap();
    } else {
        std::fs::OpenOptions::new().write(true).open(&db).unwrap().set_len(offset).unwrap();
    }
    match Store::open(&copy) {
        // sled may also find the damage only when a read reaches it: an error, not a loss.
        Ok(store) => match all_dossiers(&store) {
            Ok(dossiers) => {
                let stored: u64 = dossiers.iter().map(|d| d.events().len() as u64).sum();
                assert!(stored >= synced, "cycle {cycle}: damaged store opened short");
                totals.damaged_whole += 1;
            }
            Err(cchc::Error::Storage(_) | cchc::Error::Corrupt { .. }) => {
                totals.damaged_other += 1;
            }
            Err(e) => panic!("cycle {cycle}: damaged store: unexpected {e:?}"),
        },
        Err(cchc::Error::LostSyncedWrites { .. }) => totals.damaged_refused += 1,
        Err(cchc::Error::Storage(_) | cchc::Error::Corrupt { .. }) => totals.damaged_other += 1,
        Err(e) => panic!("cycle {cycle}: damaged store: unexpected {e:?}"),
    }
    std::fs::remove_dir_all(&copy).unwrap();
}

/// Reopens the store after a kill and checks it; returns the number of ops stored.
fn check(dir: &Path, seed: u64, cycle: u64, totals: &mut Totals) -> u64 {
    let started = Instant::now();
    let synced = read_side(dir);
    let store = match Store::open(store_path(dir)) {
        Ok(store) => store,
        Err(e) => panic!("cycle {cycle}: the store does not reopen after SIGKILL: {e:?}"),
    };
    let dossiers = all_dossiers(&store)
        .unwrap_or_else(|e| panic!("cycle {cycle}: a stored dossier does not decode: {e:?}"));
    let stored: u64 = dossiers.iter().map(|d| d.events().len() as u64).sum();
    if let Some(synced) = synced {
        // The side file is written after the catalogue is synced.
        assert_eq!(store.agencies().len(), common::agencies().len(), "cycle {cycle}: agencies");
        assert_eq!(
            store.procedures().len(),
            common::procedures().len(),
            "cycle {cycle}: procedures"
        );
        assert!(
            stored >= synced,
            "cycle {cycle}: {synced} ops were synced but only {stored} are in the store"
        );
        totals.synced_ops = synced;
        totals.unsynced_survivors += stored - synced;
        totals.max_unsynced_survivors = totals.max_unsynced_survivors.max(stored - synced);
    }
    // The store holds exactly the first `stored` ops of the script.
    let ops = Script::ops(seed, step(), stored as usize);
    let mut expected: Vec<(cchc::DossierCode, Vec<(time::OffsetDateTime, &'static str)>)> =
        Vec::new();
    let mut slot = std::collections::HashMap::new();
    for op in &ops {
        if let Op::Receive(n) = op {
            slot.insert(n.code.clone(), expected.len());
            expected.push((n.code.clone(), Vec::new()));
        }
        expected[slot[op.code()]].1.push((op.at(), op.event_name()));
    }
    // Compared by code: the store's iteration order is its key order, not ours.
    assert_eq!(dossiers.len(), expected.len(), "cycle {cycle}: dossier count");
    for d in &dossiers {
        let Some(&i) = slot.get(d.code()) else {
            panic!("cycle {cycle}: {} is stored but not among the first {stored} ops", d.code())
        };
        let got: Vec<_> = d.events().iter().map(|e| (e.at, e.kind.name())).collect();
        assert_eq!(got, expected[i].1, "cycle {cycle}: events of {}", d.code());
    }
    let verify = store.verify().unwrap();
    assert!(verify.is_clean(), "cycle {cycle}: verify found differences: {verify:?}");
    assert_eq!(verify.dossiers, dossiers.len() as u64);
    // Reports: the all-time total counts every dossier; counters equal the fold.
    let all: Vec<&Dossier> = dossiers.iter().collect();
    let report = store.report(&Scope::All, common::all_time()).unwrap();
    assert_eq!(report.received_total(), dossiers.len() as u64, "cycle {cycle}");
    let last_month = ops.last().map_or(common::script_start(), Op::at);
    let last_month = last_month.to_offset(cchc::VIETNAM_OFFSET).date();
    let periods = [
        common::all_time(),
        Period::month(last_month.year(), u8::from(last_month.month())).unwrap(),
    ];
    for period in periods {
        for rule in [ClockRule::Restart, ClockRule::Subtract] {
            assert_eq!(
                store.report_with(&Scope::All, period, rule).unwrap(),
                common::reference_report(&all, period, rule),
                "cycle {cycle}: report {period:?} {rule:?}"
            );
        }
    }
    let district = common::agency(common::DISTRICTS[0]);
    if synced.is_some() {
        let below = common::dossiers_in_subtree(&store, &dossiers, &district);
        assert_eq!(
            store.report(&Scope::subtree(&district), periods[0]).unwrap(),
            common::reference_report(&below, periods[0], ClockRule::Restart),
            "cycle {cycle}: subtree report"
        );
    }
    drop(store);
    totals.check_time += started.elapsed();
    stored
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().map_or(default, |v| {
        v.parse().unwrap_or_else(|_| panic!("{name} must be a number, got {v:?}"))
    })
}

fn main() {
    if let Ok(dir) = std::env::var("CCHC_KILL_CHILD") {
        let seed = env_u64("CCHC_KILL_SEED", 0);
        let cycle = env_u64("CCHC_KILL_CYCLE", 0);
        child(Path::new(&dir), seed, cycle);
    }
    // `cargo test -- --list` and filters: this binary is one test named `kill`.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("kill: test");
        return;
    }
    if args.iter().any(|a| !a.starts_with('-') && !"kill".contains(a.as_str())) {
        return;
    }
    let cycles = env_u64("CCHC_KILL_CYCLES", 20);
    let seed = env_u64("CCHC_KILL_SEED", 0x6b69_6c6c);
    let release = !cfg!(debug_assertions);
    let exe = std::env::current_exe().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut rng = Rng::new(seed);
    let mut totals = Totals::default();
    let started = Instant::now();
    println!("kill: {cycles} cycles, seed {seed:#x}");
    for cycle in 0..cycles {
        let stderr = std::fs::File::create(dir.join("child.stderr")).unwrap();
        let mut child = Command::new(&exe)
            .env("CCHC_KILL_CHILD", dir)
            .env("CCHC_KILL_SEED", seed.to_string())
            .env("CCHC_KILL_CYCLE", cycle.to_string())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        // A quarter of the kills land at any moment from the start (opening the store
        // and replaying its log included); the rest while the writer is writing.
        let from_start = rng.chance(25);
        let delay = if from_start {
            rng.below(if release { 300 } else { 800 })
        } else {
            let stdout = child.stdout.take().unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let mut line = String::new();
                let _ =
                    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
                let _ = tx.send(line);
            });
            let ready = rx.recv_timeout(StdDuration::from_mins(1));
            assert!(ready.is_ok(), "cycle {cycle}: the writer did not start within a minute");
            rng.below(if release { 150 } else { 300 })
        };
        std::thread::sleep(StdDuration::from_millis(delay));
        if let Some(status) = child.try_wait().unwrap() {
            let err = std::fs::read_to_string(dir.join("child.stderr")).unwrap_or_default();
            panic!("cycle {cycle}: the writer exited by itself ({status}):\n{err}");
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let before = totals.ops;
        totals.ops = check(dir, seed, cycle, &mut totals);
        check_damaged(dir, &mut rng, cycle, &mut totals);
        if cycles <= 50 || cycle % 50 == 0 || cycle + 1 == cycles {
            println!(
                "cycle {cycle:4}: killed {delay:3} ms after {}, {:5} ops stored (+{}), {} synced",
                if from_start { "start" } else { "ready" },
                totals.ops,
                totals.ops.saturating_sub(before),
                totals.synced_ops
            );
        }
        if totals.ops < before {
            totals.unsynced_lost += before - totals.ops;
        }
    }
    println!(
        "kill: ok: {cycles} cycles in {:.1} s ({:.1} s checking); {} ops stored, the last {} \
         synced; {} unsynced ops survived in total (at most {} in one cycle); {} unsynced \
         ops lost between cycles; damaged copies: {} opened whole, {} refused as behind \
         their sync mark, {} refused by sled at open or read",
        started.elapsed().as_secs_f64(),
        totals.check_time.as_secs_f64(),
        totals.ops,
        totals.synced_ops,
        totals.unsynced_survivors,
        totals.max_unsynced_survivors,
        totals.unsynced_lost,
        totals.damaged_whole,
        totals.damaged_refused,
        totals.damaged_other,
    );
}
