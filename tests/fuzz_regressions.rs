//! Regression tests for what the fuzz targets in `fuzz/` found, and replays of
//! their saved inputs.
//!
//! `dossier_events` found, within seconds, that a dossier whose instants lie near
//! the end of the representable range panicked when timed: `vietnam_date` of an
//! instant in the last seven hours of year 9999 overflowed, and so did the
//! Subtract-rule due instant (appointment + waits) after a wait of millennia. The
//! same dossier could come from stored bytes, so `verify()` or a report on a damaged
//! store panicked instead of returning `Error::Corrupt`. Fixed by accepting instants
//! only within the years 1900–2999 in `Dossier::open` and `Dossier::apply`, since
//! narrowed to the crate's one supported range, 1900-01-01..=2100-12-31 in Vietnam
//! time (`cchc::model::time_limit::FIRST_SUPPORTED_DATE`, `cchc::model::time_limit::LAST_SUPPORTED_DATE`), checked at
//! every boundary (issue 13, item 1; the tests at the end of this file).

mod common;

use cchc::fuzz_support::{fuzz_decode_records, fuzz_derive, golden_records};
use cchc::model::dossier::{DossierHeader, EventKind, LifecycleEvent};
use cchc::{
    AgencyCode, Channel, ClockRule, Dossier, DossierCode, Error, Field, OneStopReport, Period,
    ProcedureCode, TimeLimit,
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
        receiving: None,
        portal: None,
        rule_set: cchc::model::rules::RuleSetId::Decree61,
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

/// The widest dossier still accepted: received at the first instant of the supported
/// range (1900-01-01 00:00, Vietnam time), waiting until the last hour of 2100.
/// Every derived computation stays in range.
#[test]
fn the_widest_accepted_dossier_is_timed_without_overflow() {
    let first = datetime!(1900-01-01 00:00 +07:00);
    let last = datetime!(2100-12-31 23:59:59.999_999_999 +07:00);
    assert_eq!(cchc::vietnam_date(first), cchc::model::time_limit::FIRST_SUPPORTED_DATE);
    assert_eq!(cchc::vietnam_date(last), cchc::model::time_limit::LAST_SUPPORTED_DATE);
    let mut d = Dossier::open(header(), first, last).unwrap();
    d.apply(LifecycleEvent {
        at: first,
        kind: EventKind::SupplementRequested { reason: "x".to_owned() },
    })
    .unwrap();
    d.apply(LifecycleEvent {
        at: datetime!(2100-12-31 23:00 +07:00),
        kind: EventKind::Supplemented { restart_due: last },
    })
    .unwrap();
    d.apply(LifecycleEvent { at: last, kind: EventKind::Resolved { e_result: false } }).unwrap();
    fuzz_derive(&d);
    // Waited ~201 years: the Subtract due instant lies beyond 2100, and the
    // resolution (at the restarted due instant itself) is on time under both.
    assert!(d.due(ClockRule::Subtract) > last);
    assert_eq!(d.outcome(ClockRule::Restart), Some(cchc::Outcome::OnTime));
    assert_eq!(d.outcome(ClockRule::Subtract), Some(cchc::Outcome::Early));
    let period = Period::year(2100).unwrap();
    let report = OneStopReport::from_dossiers([&d], period, ClockRule::Restart);
    assert_eq!((report.carried_over, report.resolved_on_time), (1, 1));
    // One nanosecond outside on either side is refused.
    let before = first - time::Duration::NANOSECOND;
    let after = last + time::Duration::NANOSECOND;
    assert_eq!(input_field(Dossier::open(header(), before, last)), "dossier.received_at");
    assert_eq!(input_field(Dossier::open(header(), first, after)), "dossier.appointment");
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
            assert!(reason.contains("1900-01-01..=2100-12-31"), "{reason}");
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Issue 13, item 1: instants near the end of the representable range, reached
// through the store and the importers. Each used to panic ("local datetime out of
// valid range" in `vietnam_date`) or, for feedback, to be accepted and then panic
// in every later `feedback_stats` call.

/// A store with the shared catalogue and one dossier received on 2024-01-02.
fn catalogue_store() -> (cchc::Store, cchc::DossierCode) {
    let store = cchc::Store::temporary().unwrap();
    common::insert_catalogue(&store);
    let code = cchc::DossierCode::new("000.01.01.H49-240102-0001").unwrap();
    store
        .dossiers()
        .receive(&cchc::NewDossier {
            code: code.clone(),
            procedure: common::procedure_code(common::PROCEDURES[0]),
            agency: common::agency(common::COMMUNES[0]),
            channel: Channel::Online,
            received_at: datetime!(2024-01-02 08:00 +07:00),
            digitised: true,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: None,
        })
        .unwrap();
    (store, code)
}

fn import(store: &cchc::Store, name: &str, text: &str) -> cchc::Result<cchc::io::FileReport> {
    let record_type = cchc::io::RecordType::from_file_name(name).unwrap();
    let format = cchc::io::Format::from_file_name(name).unwrap();
    cchc::io::import_reader(store, text.as_bytes(), name, format, record_type, 1_000)
}

fn import_field(result: cchc::Result<impl std::fmt::Debug>) -> (u64, String) {
    match result {
        Err(Error::Import { line, field, .. }) => (line, field),
        other => panic!("expected Error::Import, got {other:?}"),
    }
}

#[test]
fn a_dossiers_csv_row_at_the_end_of_time_is_refused_naming_its_field() {
    let (store, _) = catalogue_store();
    let text = "code,procedure,agency,channel,received_at\n\
                000.01.01.H49-991231-0001,1.004227,000.01.01.H49,online,9999-12-31T23:00:00Z\n";
    assert_eq!(import_field(import(&store, "dossiers.csv", text)), (2, "received_at".to_owned()));
    assert_eq!(store.dossiers().len(), 1);
}

#[test]
fn a_receipt_at_the_end_of_time_is_refused() {
    let (store, _) = catalogue_store();
    let new = cchc::NewDossier {
        code: cchc::DossierCode::new("000.01.01.H49-991231-0001").unwrap(),
        procedure: common::procedure_code(common::PROCEDURES[0]),
        agency: common::agency(common::COMMUNES[0]),
        channel: Channel::Online,
        received_at: datetime!(9999-12-31 23:00 UTC),
        digitised: false,
        reused_data: false,
        receiving: None,
        portal: None,
        rule_set: None,
    };
    assert_eq!(input_field(store.dossiers().receive(&new)), "dossier.received_at");
}

#[test]
fn an_extension_at_the_end_of_time_is_refused_inside_the_transaction() {
    let (store, code) = catalogue_store();
    let before = common::export(&store);
    let end = datetime!(9999-12-31 23:00 UTC);
    assert_eq!(input_field(store.dossiers().extend(&code, end, end, "Rất lâu")), "event.at");
    let ok = datetime!(2024-01-03 09:00 +07:00);
    assert_eq!(
        input_field(store.dossiers().extend(&code, ok, end, "Rất lâu")),
        "event.new_appointment"
    );
    assert_eq!(common::export(&store), before);
}

#[test]
fn a_backlog_at_the_end_of_time_is_not_a_panic() {
    let (store, _) = catalogue_store();
    let end = datetime!(9999-12-31 23:00 UTC);
    // Outside the supported range: a typed error naming the instant, never a panic.
    match store.backlog_at(&cchc::Scope::All, end, ClockRule::Restart) {
        Err(Error::InvalidInput { field: "at", .. }) => {}
        other => panic!("expected an error naming `at`, got {other:?}"),
    }
}

#[test]
fn a_feedback_row_at_the_end_of_time_is_refused_and_stats_keep_working() {
    let (store, _) = catalogue_store();
    let text = "id,agency,received_at,kind\n\
                PA-1,000.01.01.H49,2024-03-01T09:00:00+07:00,regulation\n\
                PA-2,000.01.01.H49,9999-12-31T22:00:00Z,regulation\n";
    assert_eq!(import_field(import(&store, "feedback.csv", text)), (3, "received_at".to_owned()));
    assert!(store.feedback().is_empty());
    let stats = store.feedback_stats(&cchc::Scope::All, Period::year(2024).unwrap()).unwrap();
    assert_eq!(stats.received, 0);
}

/// The same item written by a damaged or newer writer: reading it is
/// `Error::Corrupt`, never a panic in `feedback_stats`.
#[test]
fn a_stored_feedback_item_at_the_end_of_time_is_corrupt_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let received = datetime!(2024-03-01 09:00 +07:00);
    {
        let store = cchc::Store::open(&path).unwrap();
        common::insert_catalogue(&store);
        let text = "id,agency,received_at,kind\n\
                    PA-1,000.01.01.H49,2024-03-01T09:00:00+07:00,regulation\n";
        import(&store, "feedback.csv", text).unwrap();
        store.sync().unwrap();
    }
    {
        let db = sled::open(&path).unwrap();
        let tree = db.open_tree("feedback").unwrap();
        let (key, value) = tree.first().unwrap().unwrap();
        let old = common::varint_i64(received.unix_timestamp());
        let end = common::varint_i64(datetime!(9999-12-31 22:00 UTC).unix_timestamp());
        let at = value.windows(old.len()).position(|w| w == old.as_slice()).unwrap();
        let mut damaged = value.to_vec();
        damaged.splice(at..at + old.len(), end);
        tree.insert(key, damaged).unwrap();
        db.flush().unwrap();
    }
    let store = cchc::Store::open(&path).unwrap();
    match store.feedback_stats(&cchc::Scope::All, Period::year(2024).unwrap()) {
        Err(Error::Corrupt { tree: "feedback", .. }) => {}
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

/// The `import_rows` target's invariants on every sample file, on the inputs of
/// issue 13 (each a panic, a silent acceptance or a wrong line before), and on
/// every saved input in `tests/fixtures/fuzz/import_rows/`.
#[test]
fn import_inputs_keep_the_importers_invariants() {
    use cchc::fuzz_support::{fuzz_import, import_selector};
    use cchc::io::{Format, RecordType};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(root.join("examples/data")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let (Some(format), Some(record_type)) =
            (Format::from_file_name(&name), RecordType::from_file_name(&name))
        else {
            continue;
        };
        let mut bytes = vec![import_selector(format, record_type)];
        bytes.extend(std::fs::read(&path).unwrap());
        inputs.push((name, bytes));
    }
    assert!(inputs.len() >= 12, "{} sample files", inputs.len());
    let crafted: [(Format, RecordType, &str); 8] = [
        (
            Format::Csv,
            RecordType::Dossiers,
            "code,procedure,agency,channel,received_at\n\
             000.01.01.H49-991231-0001,1.004227,000.01.01.H49,online,9999-12-31T23:00:00Z\n",
        ),
        (
            Format::Csv,
            RecordType::Feedback,
            "id,agency,received_at,kind\nPA-2,000.01.01.H49,9999-12-31T22:00:00Z,regulation\n",
        ),
        (
            Format::JsonLines,
            RecordType::Events,
            r#"{"dossier": "000.01.01.H49-240102-0001", "at": "9999-12-31T23:00:00Z", "action": "extend", "new_appointment": "9999-12-31T23:30:00Z"}"#,
        ),
        (
            Format::Csv,
            RecordType::Events,
            "dossier,at,action,to\r000.01.01.H49-240102-0001,2024-01-03T09:00:00+07:00,transfer,000.00.01.H49\r\
             000.01.01.H49-240102-0001,2024-01-04T09:00:00+07:00,fly\r",
        ),
        (
            Format::Csv,
            RecordType::Agencies,
            "code,name,kind,name\r\n000.00.02.H49,UBND,district,UBND huyện\r\n",
        ),
        (
            Format::JsonLines,
            RecordType::Dossiers,
            r#"{"code": "000.01.01.H49-240105-0001", "code": "000.01.01.H49-240105-0002"}"#,
        ),
        (
            Format::Csv,
            RecordType::Assessments,
            "framework,unit,year,leaf,points\ndemo.2025,Quảng Nam,2101,1.1,3\n",
        ),
        (
            Format::Csv,
            RecordType::Agencies,
            "code,name,kind,parent\n000.00.02.H49,\u{200B}\u{200B},district,000.00.00.H49\n",
        ),
    ];
    for (i, (format, record_type, text)) in crafted.into_iter().enumerate() {
        let mut bytes = vec![import_selector(format, record_type)];
        bytes.extend(text.as_bytes());
        inputs.push((format!("issue 13 input {i}"), bytes));
    }
    let saved = root.join("tests/fixtures/fuzz/import_rows");
    if let Ok(entries) = std::fs::read_dir(&saved) {
        for entry in entries {
            let path = entry.unwrap().path();
            inputs.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    for (name, bytes) in &inputs {
        if let Err(broken) = fuzz_import(bytes) {
            panic!("{name}: {broken}");
        }
    }
    // Every selector byte maps back to a format and a record type.
    for format in [Format::Csv, Format::JsonLines] {
        for record_type in [RecordType::Agencies, RecordType::Assessments] {
            assert_eq!(fuzz_import(&[import_selector(format, record_type)]), Ok(()));
        }
    }
}

/// Issue 13 item 1: every time function is total. At the ends of what `time` can
/// represent, with the widest offsets, every calendar computation returns a value
/// or an error, never a panic.
#[test]
fn time_functions_are_total_at_the_ends_of_time() {
    use cchc::model::calendar::CountingMode;
    use cchc::model::time_limit::{TimeUnit, start_of_day};
    use cchc::{TimeLimit, WorkCalendar, vietnam_date};
    use time::{Date, Duration, PrimitiveDateTime, Time, UtcOffset};
    let widest = [
        UtcOffset::from_hms(25, 59, 59).unwrap(),
        UtcOffset::from_hms(-25, -59, -59).unwrap(),
        UtcOffset::UTC,
        cchc::VIETNAM_OFFSET,
    ];
    let mut instants = Vec::new();
    for offset in widest {
        for (date, time) in [(Date::MIN, Time::MIDNIGHT), (Date::MAX, Time::MAX)] {
            instants.push(PrimitiveDateTime::new(date, time).assume_offset(offset));
        }
    }
    instants.push(datetime!(9999-12-31 23:00 UTC));
    instants.push(datetime!(2100-12-31 23:59 +07:00));
    // The clamp: a Vietnam date `time` cannot represent saturates.
    assert_eq!(vietnam_date(datetime!(9999-12-31 23:00 UTC)), Date::MAX);
    assert_eq!(vietnam_date(instants[1]), Date::MAX);
    // -9999-01-01 00:00 at +25:59:59 is -10000-12-31 in Vietnam time.
    assert_eq!(vietnam_date(instants[0]), Date::MIN);
    assert!(start_of_day(Date::MIN) < start_of_day(Date::MAX));
    let units =
        [TimeUnit::WorkingHours, TimeUnit::WorkingDays, TimeUnit::CalendarDays, TimeUnit::Months];
    let modes = [CountingMode::WorkingTime, CountingMode::whole_days()];
    for calendar in [WorkCalendar::vietnam(), WorkCalendar::plain()] {
        for &at in &instants {
            let _ = vietnam_date(at);
            for unit in units {
                for amount in [0, 1, 40, u32::MAX] {
                    for mode in modes {
                        let _ = calendar.due_instant(at, TimeLimit { amount, unit }, mode);
                    }
                }
            }
            for work in [Duration::ZERO, Duration::hours(1), Duration::MAX, Duration::MIN] {
                let _ = calendar.add_working_time(at, work);
            }
            let _ = calendar.working_time_between(at, at + Duration::ZERO);
        }
        for date in [Date::MIN, Date::MAX] {
            let _ = (calendar.is_working_day(date), calendar.is_holiday(date));
            let _ = calendar.holiday_name(date);
            let _ = calendar.next_working_day(date);
            let _ = calendar.add_working_days(date, u32::MAX);
            let _ = calendar.add_working_days(date, 3);
        }
        // 9999-12-30 is a Thursday: one working day in [30 Dec, 31 Dec), counted
        // backwards as -1.
        let near_end = Date::MAX.previous_day().unwrap();
        assert_eq!(calendar.working_days_between(near_end, Date::MAX), 1);
        assert_eq!(calendar.working_days_between(Date::MAX, near_end), -1);
        assert!(calendar.next_working_day(Date::MAX).is_err());
        let near_start = Date::MIN.next_day().unwrap();
        let _ = calendar.working_days_between(Date::MIN, near_start);
    }
}
