//! Draws the monthly on-time and online rates of each district (the district and its
//! communes) as an SVG, so a person can look instead of read.
//!
//! ```text
//! cargo run --release --example province_report    # creates target/cchc-demo once
//! cargo run --release --example chart              # writes target/cchc-demo-chart.svg
//! cargo run --release --example chart -- --store PATH --out chart.svg --year 2023
//! ```
//!
//! Each point is one month's report from the store's counters (18 districts × 12
//! months × 1 report), so drawing takes milliseconds.

use std::path::PathBuf;

use cchc::{Level, Period, Scope, Store};
use plotters::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut store_path = PathBuf::from("target/cchc-demo");
    let mut out = PathBuf::from("target/cchc-demo-chart.svg");
    let mut year = 2023;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--store" => store_path = args.next().ok_or("--store needs a path")?.into(),
            "--out" => out = args.next().ok_or("--out needs a path")?.into(),
            "--year" => year = args.next().ok_or("--year needs a year")?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if !store_path.exists() {
        return Err(format!(
            "no store at {}: run `cargo run --release --example province_report` first",
            store_path.display()
        )
        .into());
    }
    let store = Store::open(&store_path)?;
    let districts: Vec<_> =
        store.agencies().list()?.into_iter().filter(|a| a.level() == Level::District).collect();
    if districts.is_empty() {
        return Err("the store has no districts".into());
    }
    // (name, [(month, on-time %, online %)])
    let mut series = Vec::new();
    for d in &districts {
        let mut points = Vec::new();
        for month in 1..=12u8 {
            let r = store.report(&Scope::subtree(d.code()), Period::month(year, month)?)?;
            points.push((
                f64::from(month),
                r.on_time_rate().map(|x| x.percent()),
                r.online_rate().map(|x| x.percent()),
            ));
        }
        let name = d.name().trim_start_matches("UBND ").to_owned();
        series.push((name, points));
    }

    let root = SVGBackend::new(&out, (1400, 1000)).into_drawing_area();
    root.fill(&WHITE)?;
    let (title, body) = root.split_vertically(50);
    title.titled(
        &format!("Tỷ lệ đúng hạn và trực tuyến theo tháng, cấp huyện và cấp xã, năm {year}"),
        ("sans-serif", 26),
    )?;
    let (top, bottom) = body.split_vertically(475);
    let panels = [
        (top, "Tỷ lệ giải quyết đúng hạn (%) — on-time rate", 1usize),
        (bottom, "Tỷ lệ hồ sơ trực tuyến (%) — online rate", 2usize),
    ];
    for (area, caption, which) in panels {
        let values: Vec<f64> = series
            .iter()
            .flat_map(|(_, p)| p.iter().filter_map(move |x| if which == 1 { x.1 } else { x.2 }))
            .collect();
        let low = values.iter().copied().fold(100.0_f64, f64::min);
        let high = values.iter().copied().fold(0.0_f64, f64::max);
        let (low, high) = if values.is_empty() {
            (0.0, 100.0)
        } else {
            ((low - 2.0).floor().max(0.0), (high + 2.0).ceil().min(100.0))
        };
        let (plot, legend) = area.split_horizontally(1120);
        let mut chart = ChartBuilder::on(&plot)
            .caption(caption, ("sans-serif", 20))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(50)
            .build_cartesian_2d(0.5f64..12.5f64, low..high)?;
        chart
            .configure_mesh()
            .x_labels(12)
            .x_label_formatter(&|m| format!("T{}", m.round() as i64))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_desc("tháng / month")
            .draw()?;
        for (i, (name, points)) in series.iter().enumerate() {
            // Hues spread around the wheel, dark enough to read on white.
            let color = HSLColor(i as f64 / series.len() as f64, 0.8, 0.4 + 0.12 * (i % 2) as f64);
            let line: Vec<(f64, f64)> = points
                .iter()
                .filter_map(|p| (if which == 1 { p.1 } else { p.2 }).map(|v| (p.0, v)))
                .collect();
            chart.draw_series(LineSeries::new(line, color.stroke_width(2)))?;
            let y = 30 + 24 * i as i32;
            legend.draw(&PathElement::new(vec![(5, y), (30, y)], color.stroke_width(3)))?;
            legend.draw(&Text::new(name.clone(), (36, y - 7), ("sans-serif", 14)))?;
        }
    }
    root.present()?;
    println!("{}", out.display());
    Ok(())
}
