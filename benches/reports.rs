//! Periodic reports and the backlog: the cchc store's counters against the SQLite
//! twin's covering-index aggregate (`sqlite_groupby`) and its counter tables
//! (`sqlite_counters`), on the same dossiers, timed in the same run.
//!
//! `CCHC_BENCH_N=1000000 cargo bench --bench reports` for one million dossiers;
//! `CCHC_BENCH_N=1000000 cargo bench --bench reports -- backlog/` times only the
//! backlogs (the setup still ingests everything).

// "SQLite" is a name, not code.
#![allow(clippy::doc_markdown)]

mod common;

use std::hint::black_box;

use cchc::{AgencyCode, ClockRule, Period, Scope};
use common::{BacklogCore, Core, Fixture, Layout, Twin};
use criterion::{Criterion, criterion_group, criterion_main};
use time::macros::{date, datetime};

fn reports(c: &mut Criterion) {
    let fx = Fixture::new(common::dossier_count());
    let n = common::label(fx.n);
    eprintln!("reports: {} dossiers in the store and both twins", fx.n);
    let dir = tempfile::tempdir().expect("tempdir");
    let indexed_dir = dir.path().join("indexed");
    let counters_dir = dir.path().join("counters");
    std::fs::create_dir_all(&indexed_dir).expect("mkdir");
    std::fs::create_dir_all(&counters_dir).expect("mkdir");
    let mut indexed = Twin::create(&indexed_dir, Layout::Indexed);
    let mut counters = Twin::create(&counters_dir, Layout::Counters);
    assert_eq!(indexed.ingest(&fx.twin), fx.n);
    assert_eq!(counters.ingest(&fx.twin), fx.n);
    for t in [&indexed, &counters] {
        t.conn.execute_batch("ANALYZE").expect("analyze");
    }

    let root = fx.province.root.code().clone();
    let department: AgencyCode = fx.province.departments[0].code().clone();
    let district: AgencyCode = fx.province.districts[0].code().clone();
    let cases = [
        ("agency_month", Scope::agency(&department), Period::month(2023, 6).expect("month")),
        ("district_quarter", Scope::subtree(&district), Period::quarter(2023, 2).expect("quarter")),
        ("province_year", Scope::subtree(&root), Period::year(2023).expect("year")),
    ];
    for (name, scope, period) in &cases {
        // Checked once: both twins give the store's report, and it counts something.
        let ours = fx.store.report(scope, *period).expect("report");
        let core = Core::from(&ours);
        assert!(ours.received_in_period() > 0, "{name}: empty report");
        assert_eq!(indexed.report_scan(&fx.nodes, scope, *period), core, "{name}: group by");
        assert_eq!(counters.report_counters(&fx.nodes, scope, *period), core, "{name}: counters");

        let mut group = c.benchmark_group(format!("report/{name}"));
        group.bench_function(format!("cchc/{n}"), |b| {
            b.iter(|| fx.store.report(black_box(scope), black_box(*period)).expect("report"));
        });
        group.bench_function(format!("sqlite_groupby/{n}"), |b| {
            b.iter(|| indexed.report_scan(&fx.nodes, black_box(scope), black_box(*period)));
        });
        group.bench_function(format!("sqlite_counters/{n}"), |b| {
            b.iter(|| counters.report_counters(&fx.nodes, black_box(scope), black_box(*period)));
        });
        group.finish();
    }

    let scope = Scope::subtree(&root);
    let as_of = date!(2023 - 09 - 30);
    let ours = fx.store.backlog(&scope, as_of, ClockRule::Restart).expect("backlog");
    let core = BacklogCore::from(&ours);
    assert!(ours.pending > 0 && ours.overdue > 0, "backlog counts nothing: {ours:?}");
    assert_eq!(indexed.backlog_scan(&fx.nodes, &scope, as_of), core, "backlog: group by");
    assert_eq!(counters.backlog_counters(&fx.nodes, &scope, as_of), core, "backlog: counters");
    let mut group = c.benchmark_group("backlog/province_past_date");
    group.bench_function(format!("cchc/{n}"), |b| {
        b.iter(|| {
            fx.store
                .backlog(black_box(&scope), black_box(as_of), ClockRule::Restart)
                .expect("backlog")
        });
    });
    group.bench_function(format!("sqlite_groupby/{n}"), |b| {
        b.iter(|| indexed.backlog_scan(&fx.nodes, black_box(&scope), black_box(as_of)));
    });
    group.bench_function(format!("sqlite_counters/{n}"), |b| {
        b.iter(|| counters.backlog_counters(&fx.nodes, black_box(&scope), black_box(as_of)));
    });
    group.finish();

    // The backlog at an instant inside a day (a Thursday afternoon): the store's day
    // counters plus its intraday rows; SQLite's aggregate at that instant, and its
    // daily counters plus the day's receipts, finishes and state intervals.
    counters.add_day_indexes();
    let at = datetime!(2023-09-28 14:37:21.5 +07:00);
    let inside = [
        ("province_inside_day", Scope::subtree(&root)),
        ("agency_inside_day", Scope::agency(&department)),
    ];
    for (name, scope) in &inside {
        let ours = fx.store.backlog_at(scope, at, ClockRule::Restart).expect("backlog_at");
        let core = BacklogCore::from(&ours);
        eprintln!("{name}: {ours:?}");
        // One department may have nothing pending at 2,000 dossiers; the province has.
        assert!(*name != "province_inside_day" || ours.overdue > 0, "counts nothing: {ours:?}");
        assert_eq!(indexed.backlog_scan_at(&fx.nodes, scope, at), core, "{name}: group by");
        assert_eq!(counters.backlog_counters_at(&fx.nodes, scope, at), core, "{name}: counters");
        let mut group = c.benchmark_group(format!("backlog/{name}"));
        group.bench_function(format!("cchc/{n}"), |b| {
            b.iter(|| {
                fx.store
                    .backlog_at(black_box(scope), black_box(at), ClockRule::Restart)
                    .expect("backlog_at")
            });
        });
        group.bench_function(format!("sqlite_groupby/{n}"), |b| {
            b.iter(|| indexed.backlog_scan_at(&fx.nodes, black_box(scope), black_box(at)));
        });
        group.bench_function(format!("sqlite_counters/{n}"), |b| {
            b.iter(|| counters.backlog_counters_at(&fx.nodes, black_box(scope), black_box(at)));
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = reports
}
criterion_main!(benches);
