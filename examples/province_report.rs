//! The main example: one province, one year of one-stop-shop dossiers, reported.
//!
//! ```text
//! cargo run --release --example province_report
//! cargo run --release --example province_report -- --lang en
//! cargo run --release --example province_report -- --json > reports.json
//! cargo run --release --example province_report -- --store /tmp/qn --dossiers 100000
//! ```
//!
//! On first run it creates a store at `target/cchc-demo` and fills it with a
//! generated province sized like Quảng Nam in 2023 (413,659 dossiers with their event
//! histories, 1,972 procedures, 280 agencies), showing a progress bar. Every run then
//! prints the periodic report (Biểu số 06/VPCP/KSTT) for the province and for each
//! level, the rates, the backlog at year end, each district's figures and how long
//! each step took. Reports come from maintained counters, so they take milliseconds
//! whatever the number of dossiers.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cchc::demo::{self, DemoSpec};
use cchc::metrics::catalogue::{
    AnnouncementStats, CatalogueScope, CatalogueStats, CutThreshold, SavingsLine,
};
use cchc::metrics::display::{Lang, format_count};
use cchc::metrics::reform::{FeedbackStats, PlanProgress};
use cchc::metrics::service_index::ServiceIndex;
use cchc::{Agency, Backlog, ClockRule, Level, OneStopReport, Period, Scope, Store};
use time::macros::date;

/// The value of one dossier-day saved, in VND, used to price the savings of reduced
/// limits. An illustrative figure (the sources give none): the applicant's day of
/// waiting plus travel; pass your own to `Store::savings`.
const COST_PER_DOSSIER_DAY: u64 = 150_000;

struct Args {
    store: PathBuf,
    lang: Lang,
    json: bool,
    dossiers: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        store: PathBuf::from("target/cchc-demo"),
        lang: Lang::Vi,
        json: false,
        dossiers: DemoSpec::quang_nam_2023().dossiers,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--store" => args.store = it.next().ok_or("--store needs a path")?.into(),
            "--lang" => {
                args.lang = match it.next().as_deref() {
                    Some("vi") => Lang::Vi,
                    Some("en") => Lang::En,
                    _ => return Err("--lang takes vi or en".into()),
                }
            }
            "--json" => args.json = true,
            "--dossiers" => {
                args.dossiers =
                    it.next().and_then(|n| n.parse().ok()).ok_or("--dossiers needs a number")?;
            }
            "-h" | "--help" => {
                println!(
                    "usage: province_report [--store PATH] [--lang vi|en] [--json] [--dossiers N]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// Draws `[#####.....] 42%` on stderr.
fn progress_bar(done: u64, total: u64, lang: Lang) {
    let width: u64 = 40;
    let filled = (done * width).checked_div(total).map_or(width, |f| f.min(width)) as usize;
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    eprint!(
        "\r[{}{}] {percent:>3}%  {} / {} {}",
        "#".repeat(filled),
        ".".repeat(width as usize - filled),
        format_count(done as i64, lang),
        format_count(total as i64, lang),
        lang.pick("hồ sơ", "dossiers"),
    );
    let _ = std::io::stderr().flush();
}

#[derive(serde::Serialize)]
struct Timing {
    step: &'static str,
    millis: f64,
}

#[derive(serde::Serialize)]
struct UnitRow {
    code: String,
    name: String,
    report: OneStopReport,
}

#[derive(serde::Serialize)]
struct Output {
    store: String,
    period: Period,
    province: OneStopReport,
    province_subtract_rule: OneStopReport,
    levels: Vec<(Level, OneStopReport)>,
    quarters: Vec<OneStopReport>,
    backlog_restart: Backlog,
    backlog_subtract: Backlog,
    districts: Vec<UnitRow>,
    catalogue: CatalogueStats,
    announcements: AnnouncementStats,
    savings: SavingsLine,
    service_index_766: ServiceIndex,
    feedback: FeedbackStats,
    plan: Option<PlanProgress>,
    timings: Vec<Timing>,
}

fn rate(r: Option<cchc::Ratio>, lang: Lang) -> String {
    r.map_or_else(|| "–".to_owned(), |x| cchc::metrics::display::format_percent(x.percent(), lang))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let lang = args.lang;
    let l = |vi: &'static str, en: &'static str| lang.pick(vi, en);
    let spec = DemoSpec::quang_nam_2023().with_dossiers(args.dossiers);
    let mut timings = Vec::new();
    let mut time = |step: &'static str, started: Instant| {
        let d: Duration = started.elapsed();
        timings.push(Timing { step, millis: d.as_secs_f64() * 1e3 });
    };

    let started = Instant::now();
    let store = Store::open(&args.store)?;
    time("open", started);

    if store.agencies().is_empty() {
        eprintln!(
            "{} {} ({} {})",
            l("Tạo dữ liệu mẫu tại", "Generating the demo province in"),
            args.store.display(),
            format_count(spec.dossiers as i64, lang),
            l("hồ sơ", "dossiers"),
        );
        let started = Instant::now();
        let summary = demo::populate(&store, &spec, |done, total| progress_bar(done, total, lang))?;
        eprintln!();
        store.flush()?;
        time("generate_and_import", started);
        eprintln!(
            "{}: {} {}, {} {}, {} {}",
            l("Đã nhập", "Imported"),
            format_count(summary.dossiers as i64, lang),
            l("hồ sơ", "dossiers"),
            format_count(summary.events as i64, lang),
            l("sự kiện", "events"),
            format_count(summary.batches as i64, lang),
            l("giao dịch", "transactions"),
        );
    }

    let province = store
        .agencies()
        .list()?
        .into_iter()
        .find(|a| a.parent().is_none())
        .ok_or("the store has no root agency")?;
    let year = Period::year(spec.year)?;

    let started = Instant::now();
    let province_report = store.report(&Scope::subtree(province.code()), year)?;
    let province_subtract =
        store.report_with(&Scope::subtree(province.code()), year, ClockRule::Subtract)?;
    time("report_province", started);

    let started = Instant::now();
    let mut levels = Vec::new();
    for level in [Level::Province, Level::District, Level::Commune] {
        levels.push((level, store.report(&Scope::Level(level), year)?));
    }
    time("report_levels", started);

    let started = Instant::now();
    let mut quarters = Vec::new();
    for q in 1..=4 {
        quarters
            .push(store.report(&Scope::subtree(province.code()), Period::quarter(spec.year, q)?)?);
    }
    time("report_quarters", started);

    let started = Instant::now();
    let year_end = date!(2023 - 12 - 31).replace_year(spec.year)?;
    let backlog_restart =
        store.backlog(&Scope::subtree(province.code()), year_end, ClockRule::Restart)?;
    let backlog_subtract =
        store.backlog(&Scope::subtree(province.code()), year_end, ClockRule::Subtract)?;
    time("backlog", started);

    let started = Instant::now();
    let districts: Vec<Agency> = store
        .agencies()
        .children(province.code())?
        .into_iter()
        .filter(|a| a.level() == Level::District)
        .collect();
    let mut district_rows = Vec::new();
    for d in &districts {
        district_rows.push(UnitRow {
            code: d.code().to_string(),
            name: d.name().to_owned(),
            report: store.report(&Scope::subtree(d.code()), year)?,
        });
    }
    time("report_districts", started);

    let started = Instant::now();
    let catalogue =
        store.catalogue_stats(&CatalogueScope::All, year_end, CutThreshold::default())?;
    let announcements = store.announcements(year)?;
    time("catalogue", started);
    let started = Instant::now();
    let savings = store.savings(&Scope::subtree(province.code()), year, COST_PER_DOSSIER_DAY)?;
    time("savings (scan)", started);
    let started = Instant::now();
    let service_index = store.service_index(&Scope::subtree(province.code()), year)?;
    time("service_index_766", started);
    let started = Instant::now();
    let feedback = store.feedback_stats(&Scope::subtree(province.code()), year)?;
    let plan = match store.plan_progress(province.code(), spec.year, year_end) {
        Ok(p) => Some(p),
        Err(cchc::Error::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    time("feedback_and_plan", started);

    if province_report.received_in_period() != spec.dossiers {
        eprintln!(
            "{} {} ({} {}, {} {})",
            l("Lưu ý: kho", "Note: the store at"),
            args.store.display(),
            l("có", "holds"),
            format_count(province_report.received_in_period() as i64, lang),
            l("hồ sơ, khác số yêu cầu", "dossiers, not the number asked for"),
            format_count(spec.dossiers as i64, lang),
        );
    }

    if args.json {
        let out = Output {
            store: args.store.display().to_string(),
            period: year,
            province: province_report,
            province_subtract_rule: province_subtract,
            levels,
            quarters,
            backlog_restart,
            backlog_subtract,
            districts: district_rows,
            catalogue,
            announcements,
            savings: savings.total,
            service_index_766: service_index,
            feedback,
            plan,
            timings,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }

    let n = |x: u64| format_count(x as i64, lang);
    println!(
        "{} — {}",
        province.name(),
        l("năm", "year").to_owned() + " " + &spec.year.to_string()
    );
    println!("{}", "=".repeat(64));
    print!("{}", province_report.display(lang));
    println!();
    println!("{}", l("THEO CẤP", "BY LEVEL"));
    println!(
        "  {:<12} {:>10} {:>10} {:>10} {:>10} {:>10}",
        l("Cấp", "Level"),
        l("Tiếp nhận", "Received"),
        l("Đã GQ", "Resolved"),
        l("Đúng hạn", "On time"),
        l("Trực tuyến", "Online"),
        l("Quá hạn", "Overdue"),
    );
    for (level, r) in &levels {
        println!(
            "  {:<12} {:>10} {:>10} {:>10} {:>10} {:>10}",
            lang.pick(level.name_vi(), level.name_en()),
            n(r.received_in_period()),
            n(r.resolved_total()),
            rate(r.on_time_rate(), lang),
            rate(r.online_rate(), lang),
            n(r.in_progress_overdue),
        );
    }
    println!();
    println!("{}", l("THEO QUÝ (toàn tỉnh)", "BY QUARTER (whole province)"));
    for (i, r) in quarters.iter().enumerate() {
        println!(
            "  Q{}  {} {:>8}  {} {:>9}  {} {:>9}",
            i + 1,
            l("nhận", "received"),
            n(r.received_in_period()),
            l("đúng hạn", "on time"),
            rate(r.on_time_rate(), lang),
            l("trực tuyến", "online"),
            rate(r.online_rate(), lang),
        );
    }
    println!();
    println!("{} {}", l("TỒN ĐỌNG CUỐI NGÀY", "BACKLOG AT THE END OF"), year_end);
    for (label, b) in [
        (
            l("Tính lại thời hạn (NĐ 61, Điều 19)", "Restart rule (Decree 61 Art. 19)"),
            backlog_restart,
        ),
        (l("Trừ thời gian chờ (QĐ 766)", "Subtract rule (Decision 766)"), backlog_subtract),
    ] {
        println!(
            "  {label}: {} {} ({} {}, {} {}), {} {}",
            n(b.pending),
            l("đang giải quyết", "pending"),
            n(b.not_yet_due),
            l("trong hạn", "not yet due"),
            n(b.overdue),
            l("quá hạn", "overdue"),
            n(b.waiting),
            l("chờ bổ sung", "waiting for a supplement"),
        );
    }
    println!(
        "  {}: {}",
        l(
            "Tỷ lệ đúng hạn theo QĐ 766 (trừ thời gian chờ)",
            "On-time rate, Decision 766 (subtract)"
        ),
        rate(province_subtract.on_time_rate(), lang)
    );
    println!();
    println!(
        "{}",
        l("THEO HUYỆN (cấp huyện và cấp xã)", "BY DISTRICT (district and its communes)")
    );
    println!(
        "  {:<28} {:>10} {:>10} {:>10} {:>10}",
        l("Đơn vị", "Unit"),
        l("Tiếp nhận", "Received"),
        l("Đúng hạn", "On time"),
        l("Trực tuyến", "Online"),
        l("Quá hạn", "Overdue"),
    );
    for row in &district_rows {
        let name = row.name.trim_start_matches("UBND ");
        println!(
            "  {:<28} {:>10} {:>10} {:>10} {:>10}",
            name,
            n(row.report.received_in_period()),
            rate(row.report.on_time_rate(), lang),
            rate(row.report.online_rate(), lang),
            n(row.report.in_progress_overdue),
        );
    }
    println!();
    println!("{}", l("DANH MỤC TTHC VÀ CẮT GIẢM THỜI GIAN", "PROCEDURE CATALOGUE AND CUTS"));
    println!("{}", catalogue.to_string().trim_end());
    println!("{}", announcements.to_string().trim_end());
    println!();
    println!(
        "{} ({} {} {})",
        l("TIẾT KIỆM NHỜ RÚT NGẮN THỜI HẠN", "SAVINGS FROM REDUCED LIMITS"),
        cchc::metrics::display::format_count(COST_PER_DOSSIER_DAY as i64, lang),
        l("đồng / hồ sơ-ngày", "VND per dossier-day"),
        l("(giả định minh họa)", "(illustrative)"),
    );
    for line in savings.display(lang).lines().take(6) {
        println!("  {line}");
    }
    println!();
    println!(
        "{}",
        l("BỘ CHỈ SỐ 766 (toàn tỉnh, cả năm)", "DECISION 766 INDEX (whole province, year)")
    );
    println!("{}", service_index.to_string().trim_end());
    println!();
    println!("{}", l("PHẢN ÁNH, KIẾN NGHỊ VÀ KẾ HOẠCH CCHC", "FEEDBACK AND THE REFORM PLAN"));
    println!("{}", feedback.to_string().trim_end());
    if let Some(plan) = &plan {
        println!("{}", plan.to_string().trim_end());
    }
    println!();
    println!("{}", l("THỜI GIAN TỪNG BƯỚC", "TIMING OF EACH STEP"));
    for t in &timings {
        println!(
            "  {:<22} {:>12} ms",
            t.step,
            cchc::metrics::display::format_decimal(t.millis, 1, lang)
        );
    }
    println!();
    println!("{}", l("TIẾP THEO", "WHERE NEXT"));
    println!(
        "  {}",
        l(
            "--lang en (tiếng Anh), --json (JSON); cargo run --release --example chart (biểu đồ SVG);",
            "--lang vi (Vietnamese), --json (JSON); cargo run --release --example chart (SVG chart);"
        )
    );
    println!(
        "  {}",
        l(
            "cargo run --example import -- examples/data/*.csv (nhập dữ liệu thật); docs/import.md.",
            "cargo run --example import -- examples/data/*.csv (import real data); docs/import.md."
        )
    );
    Ok(())
}
