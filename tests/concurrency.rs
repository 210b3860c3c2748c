//! Concurrency stress: eight threads share one `Store` (cloned handles) and mix
//! receipts, lifecycle actions, contested writes to the same dossiers, reports,
//! backlogs and reads. At the end the counters equal a recomputation, reports equal
//! the slow fold of the dossiers, and nothing was lost; a watchdog fails the test if
//! the threads do not finish (a deadlock) within the bound.

mod common;

use cchc::model::dossier::ResultForm;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration as StdDuration;

use cchc::{Channel, ClockRule, Dossier, DossierCode, Error, NewDossier, Period, Scope, Store};
use common::{Rng, Script};
use time::Duration;

const THREADS: u64 = 8;
const OPS_PER_THREAD: usize = 250;
const CONTESTED: usize = 24;
const WATCHDOG: StdDuration = StdDuration::from_mins(2);

/// What one worker did.
#[derive(Debug, Default)]
struct Work {
    applied: u64,
    reports: u64,
    backlogs: u64,
    reads: u64,
    contested_tries: u64,
}

fn contested_code(i: usize) -> DossierCode {
    // Received on 2023-12-01, a date no script reaches.
    DossierCode::compose(
        &common::agency(common::COMMUNES[i % 3]),
        time::macros::date!(2023 - 12 - 01),
        i as u16 + 1,
    )
    .unwrap()
}

fn worker(store: &Store, lane: u64, wins: &AtomicU64) -> Work {
    let mut work = Work::default();
    let mut script = Script::lane(1000 + lane, Duration::minutes(7), lane, THREADS);
    let mut rng = Rng::new(lane);
    let mut own: std::collections::HashMap<DossierCode, usize> =
        std::collections::HashMap::default();
    let mut last_total = 0;
    while (work.applied as usize) < OPS_PER_THREAD {
        match rng.below(100) {
            0..=69 => {
                let op = script.next_op();
                let dossier =
                    op.apply(store).unwrap_or_else(|e| panic!("lane {lane}: {op:?}: {e:?}"));
                *own.entry(op.code().clone()).or_default() += 1;
                assert_eq!(dossier.events().len(), own[op.code()], "lane {lane}: {op:?}");
                work.applied += 1;
            }
            70..=79 => {
                // Receipts only add to an all-time total, and every counter row of
                // it is read atomically: a thread never sees the total go down.
                let report = store.report(&Scope::All, common::all_time()).unwrap();
                assert!(report.received_total() >= last_total, "lane {lane}: total went down");
                last_total = report.received_total();
                let scope = Scope::subtree(&common::agency(common::DISTRICTS[lane as usize % 2]));
                store
                    .report_with(&scope, Period::month(2024, 1).unwrap(), ClockRule::Subtract)
                    .unwrap();
                work.reports += 1;
            }
            80..=87 => {
                let day = time::macros::date!(2024 - 01 - 02) + Duration::days(rng.below(5) as i64);
                let b = store.backlog(&Scope::All, day, ClockRule::Restart).unwrap();
                assert!(b.waiting + b.overdue <= b.pending, "lane {lane}: {b:?}");
                work.backlogs += 1;
            }
            88..=94 => {
                // Read your own writes: nobody else touches this lane's dossiers.
                let pick = rng.below(own.len().max(1) as u64) as usize;
                if let Some((code, &events)) = own.iter().nth(pick) {
                    let dossier = store.dossiers().get(code).unwrap().expect("own dossier");
                    assert_eq!(dossier.events().len(), events, "lane {lane}: {code}");
                }
                work.reads += 1;
            }
            _ => {
                // Every lane tries to resolve the same contested dossiers: exactly
                // one resolution per dossier may win.
                let i = rng.below(CONTESTED as u64) as usize;
                let at = time::macros::datetime!(2023-12-01 15:00 +07:00)
                    + Duration::seconds(lane as i64);
                let form =
                    if lane.is_multiple_of(2) { ResultForm::Electronic } else { ResultForm::Paper };
                match store.dossiers().resolve(&contested_code(i), at, form) {
                    Ok(_) => {
                        wins.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(Error::InvalidTransition { .. }) => {}
                    Err(e) => panic!("lane {lane}: contested resolve: {e:?}"),
                }
                work.contested_tries += 1;
            }
        }
    }
    work
}

#[test]
fn eight_threads_keep_counters_exact_and_do_not_deadlock() {
    let store = Store::temporary().unwrap();
    common::insert_catalogue(&store);
    for i in 0..CONTESTED {
        store
            .dossiers()
            .receive(&NewDossier {
                code: contested_code(i),
                procedure: common::procedure_code(common::PROCEDURES[0]),
                agency: common::agency(common::COMMUNES[i % 3]),
                channel: Channel::Direct,
                received_at: time::macros::datetime!(2023-12-01 08:00 +07:00),
                digitised: false,
                reused_data: false,
                receiving: None,
                portal: None,
                rule_set: None,
            })
            .unwrap();
    }
    let wins = Arc::new(AtomicU64::new(0));
    let (done_tx, done_rx) = mpsc::channel();
    // Plain threads, not scoped ones: a deadlocked worker must not keep the
    // watchdog from failing the test.
    for lane in 0..THREADS {
        let store = store.clone();
        let wins = Arc::clone(&wins);
        let done_tx = done_tx.clone();
        std::thread::spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                worker(&store, lane, &wins)
            }));
            let _ = done_tx.send((lane, result));
        });
    }
    drop(done_tx);
    let mut works = Vec::new();
    let deadline = std::time::Instant::now() + WATCHDOG;
    for _ in 0..THREADS {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match done_rx.recv_timeout(left) {
            Ok((lane, Ok(work))) => works.push((lane, work)),
            Ok((lane, Err(panic))) => std::panic::resume_unwind(Box::new(format!(
                "lane {lane} panicked: {}",
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default()
            ))),
            Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => panic!(
                "watchdog: {} of {THREADS} threads still running after {WATCHDOG:?} (deadlock?)",
                THREADS as usize - works.len()
            ),
        }
    }
    let contested_tries: u64 = works.iter().map(|(_, w)| w.contested_tries).sum();
    assert!(contested_tries > CONTESTED as u64, "too few contested writes to mean anything");
    assert!(works.iter().all(|(_, w)| w.reports > 0 && w.backlogs > 0 && w.reads > 0));

    // Nothing lost: every op of every lane is stored, each contested dossier resolved once.
    let dossiers: Vec<Dossier> = store.dossiers().iter().collect::<cchc::Result<_>>().unwrap();
    let events: usize = dossiers.iter().map(|d| d.events().len()).sum();
    let resolved_contested = dossiers
        .iter()
        .filter(|d| (0..CONTESTED).any(|i| d.code() == &contested_code(i)))
        .filter(|d| d.resolved_at().is_some())
        .count() as u64;
    assert_eq!(wins.load(Ordering::SeqCst), resolved_contested);
    assert_eq!(
        events as u64,
        THREADS * OPS_PER_THREAD as u64 + CONTESTED as u64 + resolved_contested
    );
    for lane in 0..THREADS {
        let ops = Script::lane(1000 + lane, Duration::minutes(7), lane, THREADS);
        let mut ops = ops;
        for _ in 0..OPS_PER_THREAD {
            let op = ops.next_op();
            let d = dossiers.iter().find(|d| d.code() == op.code()).expect("dossier stored");
            assert!(
                d.events().iter().any(|e| e.at == op.at() && e.kind.name() == op.event_name()),
                "lane {lane}: {op:?} missing"
            );
        }
    }

    // Counters equal a recomputation ...
    let verify = store.verify().unwrap();
    assert!(verify.is_clean(), "{verify:?}");
    assert_eq!(verify.dossiers, dossiers.len() as u64);

    // ... and reports equal the slow fold, for several scopes, periods and rules.
    let all: Vec<&Dossier> = dossiers.iter().collect();
    let periods = [
        common::all_time(),
        Period::month(2023, 12).unwrap(),
        Period::month(2024, 1).unwrap(),
        Period::day(time::macros::date!(2024 - 01 - 03)).unwrap(),
    ];
    let mut checked = 0;
    for period in periods {
        for rule in [ClockRule::Restart, ClockRule::Subtract] {
            assert_eq!(
                store.report_with(&Scope::All, period, rule).unwrap(),
                common::reference_report(&all, period, rule),
                "all {period:?} {rule:?}"
            );
            for root in [common::PROVINCE, common::DISTRICTS[0], common::DISTRICTS[1]] {
                let root = common::agency(root);
                let below = common::dossiers_in_subtree(&store, &dossiers, &root);
                assert_eq!(
                    store.report_with(&Scope::subtree(&root), period, rule).unwrap(),
                    common::reference_report(&below, period, rule),
                    "{root} {period:?} {rule:?}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
    let day = time::macros::date!(2024 - 01 - 04);
    let at = cchc::model::time_limit::start_of_day(day.next_day().unwrap());
    assert_eq!(
        store.backlog(&Scope::All, day, ClockRule::Restart).unwrap(),
        cchc::Backlog::from_dossiers(all.iter().copied(), at, ClockRule::Restart)
    );

    // A rebuild from the event histories changes nothing.
    let before = store.report(&Scope::All, common::all_time()).unwrap();
    store.rebuild().unwrap();
    assert!(store.verify().unwrap().is_clean());
    assert_eq!(store.report(&Scope::All, common::all_time()).unwrap(), before);
}

/// `rebuild()` and `verify()` while eight writers run: before they were serialised
/// against writes, a write landing between a rebuild's scan and its swap vanished from
/// the counters (five rebuilds during ~1,000 receipts left 24 differences).
#[test]
fn rebuild_and_verify_during_writes_lose_nothing() {
    let store = Store::temporary().unwrap();
    common::insert_catalogue(&store);
    let (done_tx, done_rx) = mpsc::channel();
    for lane in 0..THREADS {
        let store = store.clone();
        let done_tx = done_tx.clone();
        std::thread::spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut script = Script::lane(5000 + lane, Duration::minutes(7), lane, THREADS);
                for _ in 0..OPS_PER_THREAD {
                    let op = script.next_op();
                    op.apply(&store).unwrap_or_else(|e| panic!("lane {lane}: {op:?}: {e:?}"));
                }
            }));
            let _ = done_tx.send((lane, result.is_ok()));
        });
    }
    drop(done_tx);
    // The ninth thread: rebuilds and verifications interleaved with the writes. Each
    // one sees a single state, so every verification in between is clean too.
    let mut rebuilds = 0;
    let mut finished = 0;
    let deadline = std::time::Instant::now() + WATCHDOG;
    while finished < THREADS {
        match done_rx.recv_timeout(StdDuration::from_millis(1)) {
            Ok((lane, ok)) => {
                assert!(ok, "lane {lane} panicked");
                finished += 1;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                assert!(std::time::Instant::now() < deadline, "watchdog: writers still running");
                store.rebuild().unwrap();
                rebuilds += 1;
                let verify = store.verify().unwrap();
                assert!(
                    verify.is_clean(),
                    "after rebuild {rebuilds}: {} counter differences",
                    verify.counter_differences.len()
                );
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("a writer vanished"),
        }
    }
    assert!(rebuilds >= 5, "only {rebuilds} rebuilds ran during the writes");
    let dossiers: Vec<Dossier> = store.dossiers().iter().collect::<cchc::Result<_>>().unwrap();
    let events: usize = dossiers.iter().map(|d| d.events().len()).sum();
    assert_eq!(events as u64, THREADS * OPS_PER_THREAD as u64, "an op was lost");
    let verify = store.verify().unwrap();
    assert!(verify.is_clean(), "{verify:?}");
    let report = store.report(&Scope::All, common::all_time()).unwrap();
    assert_eq!(report.received_total(), dossiers.len() as u64);
    let all: Vec<&Dossier> = dossiers.iter().collect();
    assert_eq!(report, common::reference_report(&all, common::all_time(), ClockRule::Restart));
}
