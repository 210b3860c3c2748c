//! Regression tests for what the fuzz targets in `fuzz/` found, and replays of
//! their saved inputs.
//!
//! `dossier_events` found, within seconds, that a dossier whose instants lie near
//! the end of the representable range panicked when timed: `vietnam_date` of an
//! instant in the last seven hours of year 9999 overflowed, and so did the
//! Subtract-rule due instant (appointment + waits) after a wait of millennia. The
//! same dossier could come from stored bytes, so `verify()` or a report on a damaged
//! store panicked instead of returning `Error::Corrupt`. Fixed by accepting instants
//! only within the years 1900–2999 in `Dossier::open` and `Dossier::apply`.

mod common;

use cchc::fuzz_support::{fuzz_decode_records, fuzz_derive, golden_records};
use cchc::{
    AgencyCode, Channel, ClockRule, Dossier, DossierCode, DossierHeader, Error, EventKind, Field,
    LifecycleEvent, OneStopReport, Period, ProcedureCode, TimeLimit,
};
use time::OffsetDateTime;
use time::macros::datetime;

fn header() -> DossierHeader {
    DossierHeader {
        code: DossierCode::new("000.00.00.H49-240105-0001").unwrap(),
        procedure: ProcedureCode::new("1.004227").unwrap(),
        field: Field::new("Hộ tịch").unwrap(),
        agency: AgencyCode::new("000.00.00.H49").unwrap(),
        channel: Channel::Online,
        limit: TimeLimit::working_days(3),
        fee_bearing: true,
        paper_result: true,
        digitised: false,
        reused_data: false,
    }
}

fn input_field(result: cchc::Result<impl std::fmt::Debug>) -> &'static str {
    match result {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

/// `fuzz/artifacts/dossier_events/crash-c61d8f3a…`: `Input { received:
/// Absolute(-1), appointment: After(0), events: [] }`, a dossier received at
/// 9999-12-31 23:59:59 UTC.
#[test]
fn a_dossier_at_the_end_of_time_is_refused_not_timed_into_a_panic() {
    let end = datetime!(9999-12-31 23:59:59 UTC);
    assert_eq!(input_field(Dossier::open(header(), end, end)), "dossier.received_at");
    let ok = datetime!(2024-01-05 09:00 +07:00);
    assert_eq!(input_field(Dossier::open(header(), ok, end)), "dossier.appointment");
    let start = datetime!(-9999-01-01 00:00 UTC);
    assert_eq!(input_field(Dossier::open(header(), start, ok)), "dossier.received_at");
}

#[test]
fn events_outside_the_supported_years_are_refused_and_change_nothing() {
    let mut d = Dossier::open(
        header(),
        datetime!(2024-01-05 09:00 +07:00),
        datetime!(2024-01-10 09:00 +07:00),
    )
    .unwrap();
    let before = d.clone();
    let at3000 = datetime!(3000-01-01 00:00 UTC);
    let event = |at: OffsetDateTime, kind| LifecycleEvent { at, kind };
    assert_eq!(
        input_field(d.apply(event(at3000, EventKind::Resolved { e_result: true }))),
        "event.at"
    );
    assert_eq!(
        input_field(d.apply(event(
            datetime!(2024-01-06 09:00 +07:00),
            EventKind::Extended {
                new_appointment: datetime!(9999-12-31 23:00 UTC),
                reason: "x".to_owned(),
                late_notice: false,
            },
        ))),
        "event.new_appointment"
    );
    d.apply(event(
        datetime!(2024-01-06 09:00 +07:00),
        EventKind::SupplementRequested { reason: "x".to_owned() },
    ))
    .unwrap();
    let waiting = d.clone();
    assert_eq!(
        input_field(d.apply(event(
            datetime!(2024-01-08 09:00 +07:00),
            EventKind::Supplemented { restart_due: datetime!(9999-12-31 23:00 UTC) },
        ))),
        "event.restart_due"
    );
    assert_eq!(d, waiting);
    assert_ne!(d, before);
}

/// The widest dossier still accepted: received at the first instant of 1900, waiting
/// until the last hour of 2999. Every derived computation stays in range.
#[test]
fn the_widest_accepted_dossier_is_timed_without_overflow() {
    let first = datetime!(1900-01-01 00:00 UTC);
    let last = datetime!(2999-12-31 23:59:59 UTC);
    let mut d = Dossier::open(header(), first, last).unwrap();
    d.apply(LifecycleEvent {
        at: first,
        kind: EventKind::SupplementRequested { reason: "x".to_owned() },
    })
    .unwrap();
    d.apply(LifecycleEvent {
        at: datetime!(2999-12-31 23:00 UTC),
        kind: EventKind::Supplemented { restart_due: last },
    })
    .unwrap();
    d.apply(LifecycleEvent { at: last, kind: EventKind::Resolved { e_result: false } }).unwrap();
    fuzz_derive(&d);
    // Waited ~1100 years: the Subtract due instant lies beyond 2999, and the
    // resolution (one second after the restarted due day began) is on time under both.
    assert!(d.due(ClockRule::Subtract) > last);
    assert_eq!(d.outcome(ClockRule::Restart), Some(cchc::Outcome::OnTime));
    assert_eq!(d.outcome(ClockRule::Subtract), Some(cchc::Outcome::Early));
    // In Vietnam time the resolution falls on 3000-01-01.
    let period = Period::year(3000).unwrap();
    let report = OneStopReport::from_dossiers([&d], period, ClockRule::Restart);
    assert_eq!((report.carried_over, report.resolved_on_time), (1, 1));
}

/// Every golden record and every saved fuzz input decodes without breaking an
/// invariant (and without a panic).
#[test]
fn saved_inputs_decode_without_breaking_invariants() {
    let mut inputs: Vec<(String, Vec<u8>)> = golden_records()
        .unwrap()
        .into_iter()
        .map(|(name, bytes, _)| (name.to_owned(), bytes))
        .collect();
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz/decode_records");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            inputs.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    for (name, bytes) in &inputs {
        if let Err(broken) = fuzz_decode_records(bytes) {
            panic!("{name}: {broken}");
        }
        // Truncations and single-byte damage of valid records too.
        for cut in 0..bytes.len() {
            fuzz_decode_records(&bytes[..cut]).unwrap_or_else(|e| panic!("{name}[..{cut}]: {e}"));
        }
    }
}

/// The same dossier as stored bytes: decoding refuses it instead of timing it.
#[test]
fn a_stored_dossier_at_the_end_of_time_decodes_to_an_error_not_a_panic() {
    let (_, bytes, _) = golden_records()
        .unwrap()
        .into_iter()
        .find(|(name, ..)| *name == "dossier-refused")
        .unwrap();
    let received = datetime!(2024-01-05 09:30 +07:00);
    let d = Dossier::open(header(), received, datetime!(2024-01-10 09:30 +07:00)).unwrap();
    let damaged = common::dossier_bytes_at_end_of_time(&bytes, &d);
    assert_ne!(damaged, bytes);
    assert_eq!(fuzz_decode_records(&damaged), Ok(()));
    match cchc::fuzz_support::decode_golden("dossier-refused", &damaged) {
        Err(Error::Corrupt { tree: "dossiers", reason, .. }) => {
            assert!(reason.contains("1900"), "{reason}");
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
}
