//! Bulk ingest with every aggregate (dossiers/s): the store's importer against the
//! SQLite twin (indexed tables; indexed tables plus counter tables), batches of
//! 1,000, and dossier events applied one transaction at a time (events/s).
//!
//! The twin is handed rows already derived from the stored dossiers (due instants,
//! outcomes, state intervals, counter deltas), so its timing leaves out the
//! lifecycle fold and calendar arithmetic the store's importer does: the comparison
//! favours SQLite.

// "SQLite" is a name, not code.
#![allow(clippy::doc_markdown)]

mod common;

use std::hint::black_box;

use cchc::{Action, DossierCode, Store};
use common::{Fixture, Layout, Twin};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use time::{Duration, OffsetDateTime};

fn ingest(c: &mut Criterion) {
    let fx = Fixture::new(common::dossier_count());
    let (_, input) = common::generate(fx.n);
    let n = common::label(fx.n);
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(fx.n));
    group.bench_function(format!("cchc/{n}"), |b| {
        b.iter_batched(
            || {
                let store = Store::temporary().expect("temporary store");
                common::insert_catalogue(&store, &fx.province);
                (store, input.clone())
            },
            |(store, dossiers)| {
                assert_eq!(common::import(&store, black_box(dossiers)), fx.n);
                store
            },
            BatchSize::PerIteration,
        );
    });
    for (name, layout) in
        [("sqlite_indexed", Layout::Indexed), ("sqlite_counters", Layout::Counters)]
    {
        group.bench_function(format!("{name}/{n}"), |b| {
            b.iter_batched(
                || {
                    let dir = tempfile::tempdir().expect("tempdir");
                    let twin = Twin::create(dir.path(), layout);
                    (dir, twin)
                },
                |(dir, mut twin)| {
                    assert_eq!(twin.ingest(black_box(&fx.twin)), fx.n);
                    (dir, twin)
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();

    // Events one transaction each on the populated store: alternate a supplement
    // request and the supplement over the dossiers still in progress (not waiting)
    // at the end of the year, at increasing instants after every stored event.
    let open: Vec<DossierCode> = fx
        .store
        .dossiers()
        .iter()
        .map(|d| d.expect("dossier"))
        .filter(|d| d.finished_at().is_none() && d.supplement_requests() == 0)
        .map(|d| d.code().clone())
        .collect();
    assert!(!open.is_empty(), "no dossier in progress to act on");
    let start = OffsetDateTime::new_in_offset(
        time::macros::date!(2024 - 01 - 08),
        time::macros::time!(08:00),
        cchc::VIETNAM_OFFSET,
    );
    let mut step: i64 = 0;
    let mut act = || {
        let code = &open[(step / 2) as usize % open.len()];
        let at = start + Duration::seconds(step);
        let action = if step % 2 == 0 {
            Action::RequestSupplement { reason: "Thiếu bản sao giấy tờ".into() }
        } else {
            Action::Supplement
        };
        step += 1;
        fx.store.dossiers().record(code, at, action).expect("record")
    };
    // Checked once: an event moves the dossier into waiting and the counters follow.
    let first = act();
    assert_eq!(first.supplement_requests(), 1);
    let _ = act();
    let mut group = c.benchmark_group("events");
    group.throughput(Throughput::Elements(1));
    group.bench_function(format!("cchc/record/{n}"), |b| b.iter(|| black_box(act())));
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = ingest
}
criterion_main!(benches);
