//! Imports CSV and JSON Lines files into a store and prints what was written and
//! the periodic report over the dossiers' months.
//!
//! ```text
//! cargo run --example import -- examples/data/{agencies,procedures,dossiers,events,feedback}.*
//! cargo run --example import -- --store target/my-province --lang en agencies.csv dossiers.jsonl
//! cargo run --example import -- --csv examples/data/{agencies,procedures,dossiers}.*   # report as CSV
//! # A one-stop system's export: Vietnamese headers, dd/MM/yyyy HH:mm, "Trực tuyến", …
//! cargo run --example import -- examples/data/{agencies,procedures}.* \
//!     --vietnamese --ignore "Ghi chú" \
//!     --type dossiers examples/data/HoSo_MotCua_thang3_2024.csv \
//!     --type events examples/data/XuLy_HoSo_thang3_2024.csv --json
//! ```
//!
//! File names choose the record type (`agencies*`, `procedures*`, `dossiers*`,
//! `events*`, `feedback*`) and the format (`.csv`, `.jsonl`); `--type TYPE` gives the
//! record type of the files after it (`--type auto` goes back to the names). The
//! formats and the import options are in `docs/import.md`. Files are imported
//! agencies first, whatever the order on the command line. Without `--store` the
//! store is temporary. A progress bar shows each file's progress on a terminal.

use std::path::PathBuf;

use cchc::io::{self, ImportOptions, RecordType};
use cchc::metrics::display::{Lang, format_count};
use cchc::{Period, Scope, Store};
use indicatif::{ProgressBar, ProgressStyle};

const USAGE: &str = "usage: import [--store PATH] [--lang vi|en] [--csv | --json] [--vietnamese] \
                     [--ignore COLUMN]... [--alias COLUMN=FIELD]... [--ignore-unknown] \
                     [--type TYPE|auto] FILE...";

struct Args {
    store: Option<PathBuf>,
    lang: Lang,
    csv: bool,
    json: bool,
    options: ImportOptions,
    files: Vec<(PathBuf, Option<RecordType>)>,
}

fn record_type(name: &str) -> Result<Option<RecordType>, String> {
    Ok(Some(match name {
        "auto" => return Ok(None),
        "agencies" => RecordType::Agencies,
        "procedures" => RecordType::Procedures,
        "dossiers" => RecordType::Dossiers,
        "events" => RecordType::Events,
        "feedback" => RecordType::Feedback,
        "assessments" => RecordType::Assessments,
        other => return Err(format!("--type {other}: not a record type\n{USAGE}")),
    }))
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        store: None,
        lang: Lang::Vi,
        csv: false,
        json: false,
        options: ImportOptions::new(),
        files: Vec::new(),
    };
    let mut kind = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--store" => args.store = Some(value("--store")?.into()),
            "--lang" => {
                args.lang = match value("--lang")?.as_str() {
                    "vi" => Lang::Vi,
                    "en" => Lang::En,
                    other => return Err(format!("--lang {other}: vi or en\n{USAGE}")),
                }
            }
            "--csv" => args.csv = true,
            "--json" => args.json = true,
            "--vietnamese" => args.options = args.options.vietnamese(),
            "--ignore-unknown" => args.options = args.options.ignore_unknown_columns(),
            "--ignore" => args.options = args.options.ignore_column(value("--ignore")?),
            "--alias" => {
                let pair = value("--alias")?;
                let (column, field) =
                    pair.split_once('=').ok_or(format!("--alias {pair}: COLUMN=FIELD"))?;
                args.options = args.options.alias(column, field);
            }
            "--type" => kind = record_type(&value("--type")?)?,
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}\n{USAGE}")),
            file => args.files.push((file.into(), kind)),
        }
    }
    if args.files.is_empty() {
        return Err(USAGE.to_owned());
    }
    if args.csv && args.json {
        return Err(format!("--csv or --json, not both\n{USAGE}"));
    }
    Ok(args)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let lang = args.lang;
    let rank = |(p, kind): &(PathBuf, Option<RecordType>)| match kind
        .or_else(|| RecordType::from_file_name(&p.display().to_string()))
    {
        Some(RecordType::Agencies) => 0,
        Some(RecordType::Procedures) => 1,
        Some(RecordType::Dossiers) => 2,
        Some(RecordType::Events) => 3,
        Some(RecordType::Feedback | RecordType::Assessments) => 4,
        None => 5,
    };
    args.files.sort_by_key(|f| (rank(f), f.0.clone()));
    let store = match &args.store {
        Some(path) => Store::open(path)?,
        None => Store::temporary()?,
    };
    let n = |x: u64| format_count(x as i64, lang);
    let style = ProgressStyle::with_template("{bar:30} {percent:>3}% {msg}")?;
    for (file, kind) in &args.files {
        let bar = ProgressBar::new(0).with_style(style.clone());
        let shown = bar.clone();
        let mut options = args.options.clone().on_progress(move |p| {
            if let Some(total) = p.total_bytes {
                shown.set_length(total);
            }
            shown.set_position(p.bytes);
            shown.set_message(format!("{}: {} {}", p.file, p.rows, lang.pick("dòng", "rows")));
        });
        if let Some(kind) = kind {
            options = options.record_type(*kind);
        }
        let result = io::import_file_with(&store, file, &options);
        bar.finish_and_clear();
        match result {
            Ok(r) => {
                eprintln!(
                    "{}: {} {} → {} {}, {} {}, {} {}, {} {}, {} {}",
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
                    n(r.feedback),
                    lang.pick("phản ánh", "feedback items"),
                );
                if !r.ignored.is_empty() {
                    eprintln!(
                        "  {}: {}",
                        lang.pick("bỏ qua cột", "columns left out"),
                        r.ignored.join(", ")
                    );
                }
            }
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
    if args.csv {
        io::report::write_csv(std::io::stdout().lock(), &rows)?;
    } else if args.json {
        io::report::write_json(std::io::stdout().lock(), &rows)?;
    } else {
        for row in &rows {
            println!("{}", row.scope);
            print!("{}", row.report.display(lang));
        }
    }
    Ok(())
}
