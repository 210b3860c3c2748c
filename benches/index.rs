//! The Decision 766 index for the province and the ranking of all its units, and
//! the catalogue statistics and savings, on the populated store. These read the
//! dossiers themselves (the index's 2.2, 3.2 and 3.5b; savings), so they scale with
//! the store; no SQLite twin.

// "SQLite" is a name, not code.
#![allow(clippy::doc_markdown)]

mod common;

use std::hint::black_box;

use cchc::metrics::catalogue::{CatalogueScope, CutThreshold};
use cchc::{Period, Scope};
use common::Fixture;
use criterion::{Criterion, criterion_group, criterion_main};
use time::macros::date;

fn index(c: &mut Criterion) {
    let fx = Fixture::new(common::dossier_count());
    let n = common::label(fx.n);
    let root = fx.province.root.code().clone();
    let scope = Scope::subtree(&root);
    let year = Period::year(2023).expect("year");

    // Checked once: each result counts something.
    let index = fx.store.service_index(&scope, year).expect("index");
    assert!(index.indicator("2.1").and_then(|i| i.points).is_some(), "2.1 not scored");
    let ranking = fx.store.service_index_ranking(&root, year).expect("ranking");
    assert_eq!(
        ranking.len(),
        fx.province.departments.len() + fx.province.districts.len(),
        "one rank per unit"
    );
    let as_of = date!(2023 - 12 - 31);
    let stats = fx
        .store
        .catalogue_stats(&CatalogueScope::All, as_of, CutThreshold::default())
        .expect("catalogue stats");
    assert!(stats.cut_share().is_some(), "empty catalogue");
    let savings = fx.store.savings(&scope, year, 150_000).expect("savings");
    assert!(savings.total.dossiers > 0, "savings count no dossier");

    let mut group = c.benchmark_group("service_index");
    group.bench_function(format!("province_year/cchc/{n}"), |b| {
        b.iter(|| fx.store.service_index(black_box(&scope), black_box(year)).expect("index"));
    });
    // The ranking runs one index (one scan of the store) per unit: 38 scans. Above
    // 200k dossiers that is minutes per sample; CCHC_BENCH_RANKING=1 runs it anyway.
    if fx.n > 200_000 && std::env::var_os("CCHC_BENCH_RANKING").is_none() {
        eprintln!("service_index/ranking_units skipped above 200k dossiers (CCHC_BENCH_RANKING=1)");
    } else {
        group.bench_function(format!("ranking_units/cchc/{n}"), |b| {
            b.iter(|| {
                fx.store.service_index_ranking(black_box(&root), black_box(year)).expect("ranking")
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("catalogue");
    group.bench_function(format!("stats/cchc/{n}"), |b| {
        b.iter(|| {
            fx.store
                .catalogue_stats(
                    black_box(&CatalogueScope::All),
                    black_box(as_of),
                    CutThreshold::default(),
                )
                .expect("catalogue stats")
        });
    });
    group.bench_function(format!("savings/cchc/{n}"), |b| {
        b.iter(|| fx.store.savings(black_box(&scope), black_box(year), 150_000).expect("savings"));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = index
}
criterion_main!(benches);
