//! Imports CSV and JSON Lines files into a store and prints what was written and
//! the periodic report over the dossiers' months.
//!
//! ```text
//! cargo run --example import -- examples/data/*
//! cargo run --example import -- --store target/my-province --lang en agencies.csv dossiers.jsonl
//! cargo run --example import -- --csv examples/data/*   # the report as CSV
//! ```
//!
//! File names choose the record type (`agencies*`, `procedures*`, `dossiers*`,
//! `events*`) and the format (`.csv`, `.jsonl`); the formats are in
//! `docs/import.md`. Files are imported in that order (agencies first), whatever
//! the order on the command line. Without `--store` the store is temporary.

use std::path::PathBuf;

use cchc::io::{self, RecordType};
use cchc::{Lang, Period, Scope, Store, format_count};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut store_path: Option<PathBuf> = None;
    let mut lang = Lang::Vi;
    let mut csv = false;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--store" => store_path = Some(args.next().ok_or("--store needs a path")?.into()),
            "--lang" => {
                lang = if args.next().as_deref() == Some("en") { Lang::En } else { Lang::Vi }
            }
            "--csv" => csv = true,
            _ => files.push(arg.into()),
        }
    }
    if files.is_empty() {
        return Err("usage: import [--store PATH] [--lang vi|en] [--csv] FILE...".into());
    }
    let rank = |p: &PathBuf| match RecordType::from_file_name(&p.display().to_string()) {
        Some(RecordType::Agencies) => 0,
        Some(RecordType::Procedures) => 1,
        Some(RecordType::Dossiers) => 2,
        Some(RecordType::Events) => 3,
        Some(RecordType::Feedback | RecordType::Assessments) => 4,
        None => 5,
    };
    files.sort_by_key(|p| (rank(p), p.clone()));
    let store = match &store_path {
        Some(path) => Store::open(path)?,
        None => Store::temporary()?,
    };
    let n = |x: u64| format_count(x as i64, lang);
    for file in &files {
        match io::import_file(&store, file) {
            Ok(r) => eprintln!(
                "{}: {} {} → {} {}, {} {}, {} {}, {} {}",
                r.file,
                n(r.rows),
                lang.pick("dòng", "rows"),
                n(r.agencies),
                lang.pick("cơ quan", "agencies"),
                n(r.procedures),
                lang.pick("phiên bản TTHC", "procedure versions"),
                n(r.dossiers),
                lang.pick("hồ sơ", "dossiers"),
                n(r.events),
                lang.pick("sự kiện", "events"),
            ),
            Err(e) => {
                eprintln!("{}: {e}", lang.pick("Lỗi", "Error"));
                std::process::exit(1);
            }
        }
    }
    // The report covers the months of the dossiers' receipts (a scan: fine for an
    // import tool, not for a dashboard).
    let mut days = store.dossiers().iter().map(|d| d.map(|d| cchc::vietnam_date(d.received_at())));
    let Some(first) = days.next().transpose()? else {
        eprintln!("{}", lang.pick("Không có hồ sơ.", "No dossiers."));
        return Ok(());
    };
    let (mut from, mut to) = (first, first);
    for day in days {
        let day = day?;
        from = from.min(day);
        to = to.max(day);
    }
    let from = from.replace_day(1)?;
    let to = Period::month(to.year(), to.month().into())?.to();
    let period = Period::new(from, to)?;
    let mut rows = Vec::new();
    for root in store.agencies().list()?.into_iter().filter(|a| a.parent().is_none()) {
        let report = store.report(&Scope::subtree(root.code()), period)?;
        rows.push(io::report::ReportRow { scope: root.name().to_owned(), report });
    }
    if csv {
        io::report::write_csv(std::io::stdout().lock(), &rows)?;
    } else {
        for row in &rows {
            println!("{}", row.scope);
            print!("{}", row.report.display(lang));
        }
    }
    Ok(())
}
