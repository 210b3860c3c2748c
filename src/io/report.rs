//! Reports as files: CSV (one row per scope) and JSON.
//!
//! ```
//! use cchc::io::report::{ReportRow, write_csv};
//! use cchc::{ClockRule, OneStopReport, Period};
//! let mut r = OneStopReport::empty(Period::year(2023)?, ClockRule::Restart);
//! r.received_online = 3;
//! r.resolved_early = 1;
//! let mut out = Vec::new();
//! write_csv(&mut out, &[ReportRow { scope: "Tỉnh".into(), report: r }])?;
//! let text = String::from_utf8(out)?;
//! assert!(text.starts_with("scope,from,to,rule,received_online,"));
//! assert!(text.contains("\nTỉnh,2023-01-01,2023-12-31,restart,3,"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::Write;

use serde::Serialize;

use crate::metrics::report::{OneStopReport, Ratio};
use crate::model::dossier::ClockRule;
use crate::{Error, Result};

/// A report with the label of its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    /// The scope's label (an agency name, a level, "toàn tỉnh").
    pub scope: String,
    /// The report.
    pub report: OneStopReport,
}

type Column = (&'static str, fn(&OneStopReport) -> u64);

const COUNTS: [Column; 27] = [
    ("received_online", |r| r.received_online),
    ("received_direct", |r| r.received_direct),
    ("received_postal", |r| r.received_postal),
    ("carried_over", |r| r.carried_over),
    ("received_total", OneStopReport::received_total),
    ("resolved_early", |r| r.resolved_early),
    ("resolved_on_time", |r| r.resolved_on_time),
    ("resolved_late", |r| r.resolved_late),
    ("resolved_total", OneStopReport::resolved_total),
    ("in_progress_not_due", |r| r.in_progress_not_due),
    ("in_progress_overdue", |r| r.in_progress_overdue),
    ("in_progress_total", OneStopReport::in_progress_total),
    ("waiting_supplement", |r| r.waiting_supplement),
    ("refused", |r| r.refused),
    ("withdrawn", |r| r.withdrawn),
    ("returned", |r| r.returned),
    ("digitised", |r| r.digitised),
    ("reused_data", |r| r.reused_data),
    ("fee_bearing", |r| r.fee_bearing),
    ("paid_online", |r| r.paid_online),
    ("e_results", |r| r.e_results),
    ("resolved_paper_result", |r| r.resolved_paper_result),
    ("e_results_paper_result", |r| r.e_results_paper_result),
    ("transferred", |r| r.transferred),
    ("supplement_requests", |r| r.supplement_requests),
    ("extended", |r| r.extended),
    ("late_apologies", |r| r.late_apologies),
];

type RateColumn = (&'static str, fn(&OneStopReport) -> Option<Ratio>);

const RATES: [RateColumn; 7] = [
    ("on_time_rate", OneStopReport::on_time_rate),
    ("on_time_rate_with_overdue", OneStopReport::on_time_rate_with_overdue),
    ("late_rate", OneStopReport::late_rate),
    ("online_rate", OneStopReport::online_rate),
    ("digitised_rate", OneStopReport::digitised_rate),
    ("e_result_rate", OneStopReport::e_result_rate),
    ("online_payment_rate", OneStopReport::online_payment_rate),
];

fn csv_error(e: ::csv::Error) -> Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

/// Writes reports as CSV: `scope, from, to, rule`, every count, then the rates in
/// percent with four decimals (`.` as the decimal mark; empty when undefined).
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_csv(w: impl Write, rows: &[ReportRow]) -> Result<()> {
    let mut out = ::csv::Writer::from_writer(w);
    let mut header = vec!["scope", "from", "to", "rule"];
    header.extend(COUNTS.iter().map(|c| c.0));
    header.extend(RATES.iter().map(|c| c.0));
    out.write_record(&header).map_err(csv_error)?;
    for row in rows {
        let r = &row.report;
        let mut record = vec![
            row.scope.clone(),
            r.period.from().to_string(),
            r.period.to().to_string(),
            match r.rule {
                ClockRule::Restart => "restart",
                ClockRule::Subtract => "subtract",
            }
            .to_owned(),
        ];
        record.extend(COUNTS.iter().map(|c| c.1(r).to_string()));
        record.extend(
            RATES.iter().map(|c| c.1(r).map(|x| format!("{:.4}", x.percent())).unwrap_or_default()),
        );
        out.write_record(&record).map_err(csv_error)?;
    }
    out.flush()?;
    Ok(())
}

/// Writes reports as a pretty-printed JSON array of `{scope, report}` objects.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_json(mut w: impl Write, rows: &[ReportRow]) -> Result<()> {
    serde_json::to_writer_pretty(&mut w, rows).map_err(std::io::Error::other)?;
    w.write_all(b"\n")?;
    Ok(())
}
