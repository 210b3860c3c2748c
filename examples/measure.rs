//! Measures what the benchmarks cannot: disk bytes per dossier (the store and the
//! SQLite twin), peak resident memory while ingesting, and the time to reopen a
//! store and answer its first report. See BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example measure                      # 100,000 dossiers
//! cargo run --release --example measure -- --dossiers 1000000
//! cargo run --release --example measure -- --dir /tmp/m      # keep the files there
//! ```
//!
//! Peak RSS is the kernel's high-water mark (`VmHWM` in `/proc/self/status`), reset
//! (`/proc/self/clear_refs`) just before the ingest so it covers the ingest alone:
//! the store, the importer and the demo generator's thread with its bounded queue.

// "SQLite" is a name, not code.
#![allow(clippy::doc_markdown)]

#[path = "../benches/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use cchc::demo::{self, Province};
use cchc::{Period, Scope, Store};
use common::{Layout, Nodes, Twin};

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        total += if meta.is_dir() { dir_bytes(&entry.path()) } else { meta.len() };
    }
    total
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut n = common::dossier_count();
    let mut dir: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dossiers" => n = args.next().and_then(|v| v.parse().ok()).ok_or("--dossiers N")?,
            "--dir" => dir = Some(args.next().ok_or("--dir PATH")?.into()),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let temp = tempfile::tempdir()?;
    let root = dir.unwrap_or_else(|| temp.path().to_path_buf());
    let store_dir = root.join("cchc");
    if store_dir.exists() {
        return Err(format!("{} exists; pass an empty --dir", store_dir.display()).into());
    }
    let spec = common::spec(n);
    println!("dossiers: {n}");

    // Ingest, with the high-water mark reset just before.
    let store = Store::open(&store_dir)?;
    let before = status_kib("VmRSS:").unwrap_or(0);
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let started = Instant::now();
    let summary = demo::populate(&store, &spec, |_, _| {})?;
    store.sync()?;
    let ingest = started.elapsed();
    let hwm = status_kib("VmHWM:").unwrap_or(0);
    assert_eq!(summary.dossiers, n);
    println!(
        "ingest: {:.1} s, {:.0} dossiers/s, {} events, {} batches (populate: generator thread + importer, batches of 1,000; then sync)",
        ingest.as_secs_f64(),
        n as f64 / ingest.as_secs_f64(),
        summary.events,
        summary.batches
    );
    println!(
        "peak RSS during ingest: {:.1} MiB (RSS before: {:.1} MiB; high-water mark {})",
        mib(hwm),
        mib(before),
        if reset { "reset before ingest" } else { "NOT reset: covers the whole process" }
    );
    let year = Period::year(spec.year)?;
    let all = Scope::All;
    let expected = store.report(&all, year)?;
    drop(store);
    let cchc_bytes = dir_bytes(&store_dir);
    println!(
        "cchc disk: {} bytes, {:.1} bytes per dossier",
        cchc_bytes,
        cchc_bytes as f64 / n as f64
    );

    // Reopen: open the store and answer the province-year report.
    let started = Instant::now();
    let store = Store::open(&store_dir)?;
    let opened = started.elapsed();
    let report = store.report(&all, year)?;
    let answered = started.elapsed();
    assert_eq!(report, expected, "the reopened store gives the same report");
    println!(
        "reopen: {:.1} ms to open, {:.1} ms to the first report",
        opened.as_secs_f64() * 1e3,
        answered.as_secs_f64() * 1e3
    );

    // The SQLite twin of the same dossiers, both layouts, checkpointed.
    let province = Province::generate(&spec)?;
    let nodes = Nodes::new(&province);
    let twin_rows = common::derive_all(&store, &nodes);
    for (name, layout) in
        [("sqlite_indexed", Layout::Indexed), ("sqlite_counters", Layout::Counters)]
    {
        let twin_dir = root.join(name);
        std::fs::create_dir_all(&twin_dir)?;
        let mut twin = Twin::create(&twin_dir, layout);
        let started = Instant::now();
        assert_eq!(twin.ingest(&twin_rows), n);
        let took = started.elapsed();
        let bytes = twin.size_on_disk(&twin_dir);
        println!(
            "{name} disk: {} bytes, {:.1} bytes per dossier (cchc / {name} = {:.2}); ingest {:.1} s",
            bytes,
            bytes as f64 / n as f64,
            cchc_bytes as f64 / bytes as f64,
            took.as_secs_f64()
        );
    }
    // A twin that also keeps the event history, as the store does (the store's
    // history is its truth): the indexed layout plus an `events` table with each
    // event's instant, kind and details as JSON. Disk only.
    let twin_dir = root.join("sqlite_indexed_events");
    std::fs::create_dir_all(&twin_dir)?;
    let mut twin = Twin::create(&twin_dir, Layout::Indexed);
    assert_eq!(twin.ingest(&twin_rows), n);
    twin.conn.execute_batch(
        "CREATE TABLE events (dossier INTEGER NOT NULL, at INTEGER NOT NULL, \
         kind TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (dossier, at, kind)) WITHOUT ROWID",
    )?;
    let mut rows = 0u64;
    let mut dossiers = store.dossiers().iter().enumerate().peekable();
    while dossiers.peek().is_some() {
        let tx = twin.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO events (dossier, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (i, dossier) in dossiers.by_ref().take(common::BATCH) {
                for e in dossier?.events() {
                    let at = i64::try_from(e.at.unix_timestamp_nanos())?;
                    let detail = serde_json::to_string(&e.kind)?;
                    insert.execute(rusqlite::params![i as i64 + 1, at, e.kind.name(), detail])?;
                    rows += 1;
                }
            }
        }
        tx.commit()?;
    }
    let bytes = twin.size_on_disk(&twin_dir);
    println!(
        "sqlite_indexed + events disk: {} bytes, {:.1} bytes per dossier ({rows} events; cchc / it = {:.2})",
        bytes,
        bytes as f64 / n as f64,
        cchc_bytes as f64 / bytes as f64
    );
    Ok(())
}
