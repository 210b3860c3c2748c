#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use serde_json::Value;
use time::OffsetDateTime;
use time::macros::{date, datetime};

use super::*;
use crate::id::{AgencyCode, DossierCode, Field, ProcedureCode};
use crate::model::dossier::{DossierHeader, EventKind, LifecycleEvent};
use crate::model::time_limit::{TimeLimit, start_of_day};

fn header(channel: Channel) -> DossierHeader {
    DossierHeader {
        code: DossierCode::new("000.00.00.H49-240105-0001").unwrap(),
        procedure: ProcedureCode::new("1.004227").unwrap(),
        field: Field::new("Hộ tịch").unwrap(),
        agency: AgencyCode::new("000.00.00.H49").unwrap(),
        channel,
        limit: TimeLimit::working_days(3),
        fee_bearing: true,
        paper_result: true,
        digitised: false,
        reused_data: false,
        receiving: None,
        portal: None,
        rule_set: crate::model::rules::RuleSetId::Decree61,
    }
}

fn dossier(
    channel: Channel,
    received: OffsetDateTime,
    appointment: OffsetDateTime,
    events: Vec<(OffsetDateTime, EventKind)>,
) -> Dossier {
    let mut d = Dossier::open(header(channel), received, appointment).unwrap();
    for (at, kind) in events {
        d.apply(LifecycleEvent { at, kind }).unwrap();
    }
    d
}

fn resolved() -> EventKind {
    EventKind::Resolved { e_result: false }
}

/// Seven dossiers around the first half of 2024, each named by the letter used in
/// the hand-worked figures below.
fn half_year() -> Vec<Dossier> {
    vec![
        // A: online, received and resolved early in Q1, paid online.
        dossier(
            Channel::Online,
            datetime!(2024-01-10 09:00 +07:00),
            datetime!(2024-01-15 17:00 +07:00),
            vec![
                (datetime!(2024-01-11 09:00 +07:00), EventKind::Paid { online: true }),
                (datetime!(2024-01-12 10:00 +07:00), resolved()),
            ],
        ),
        // B: direct, received in Q1, pending at its end, resolved late in Q2.
        dossier(
            Channel::Direct,
            datetime!(2024-03-28 09:00 +07:00),
            datetime!(2024-04-02 17:00 +07:00),
            vec![(datetime!(2024-04-03 10:00 +07:00), resolved())],
        ),
        // C: received in 2023, carried into the half-year, resolved late in Q2.
        dossier(
            Channel::Direct,
            datetime!(2023-12-20 09:00 +07:00),
            datetime!(2023-12-26 17:00 +07:00),
            vec![(datetime!(2024-05-06 10:00 +07:00), resolved())],
        ),
        // D: postal, received in Q2, overdue at its end.
        dossier(
            Channel::Postal,
            datetime!(2024-05-10 09:00 +07:00),
            datetime!(2024-05-15 17:00 +07:00),
            vec![],
        ),
        // E: online, received in Q1, waiting for a supplement ever since.
        dossier(
            Channel::Online,
            datetime!(2024-02-01 09:00 +07:00),
            datetime!(2024-02-06 17:00 +07:00),
            vec![(
                datetime!(2024-02-02 09:00 +07:00),
                EventKind::SupplementRequested { reason: "bổ sung".to_owned() },
            )],
        ),
        // F: direct, received in June, not yet due at the end of June.
        dossier(
            Channel::Direct,
            datetime!(2024-06-20 09:00 +07:00),
            datetime!(2024-07-10 17:00 +07:00),
            vec![],
        ),
        // G: direct, received in Q1, overdue at its end, refused in Q2.
        dossier(
            Channel::Direct,
            datetime!(2024-03-20 09:00 +07:00),
            datetime!(2024-03-27 17:00 +07:00),
            vec![(
                datetime!(2024-04-10 10:00 +07:00),
                EventKind::Refused { reason: "không đủ điều kiện".to_owned() },
            )],
        ),
    ]
}

fn periods() -> (Period, Period, Period) {
    let q1 = Period::quarter(2024, 1).unwrap();
    let q2 = Period::quarter(2024, 2).unwrap();
    (q1, q2, Period::new(q1.from(), q2.to()).unwrap())
}

/// The columns that matter here: received in the period, carried over, resolved
/// (early, on time, late), refused, in progress (not due, overdue), waiting.
fn columns(r: &OneStopReport) -> [u64; 9] {
    [
        r.received_in_period(),
        r.carried_over,
        r.resolved_early,
        r.resolved_on_time,
        r.resolved_late,
        r.refused,
        r.in_progress_not_due,
        r.in_progress_overdue,
        r.waiting_supplement,
    ]
}

#[test]
fn the_fold_gives_the_hand_worked_quarters_and_half_year() {
    let all = half_year();
    let (q1, q2, h1) = periods();
    let fold = |p| OneStopReport::from_dossiers(&all, p, ClockRule::Restart);
    // Q1: received A B E G; carried C; A early; at 1 April B not due, C and G overdue, E waits.
    assert_eq!(columns(&fold(q1)), [4, 1, 1, 0, 0, 0, 1, 2, 1]);
    // Q2: received D F; carried B C E G; B and C late; G refused; D overdue, F not due, E waits.
    assert_eq!(columns(&fold(q2)), [2, 4, 0, 0, 2, 1, 1, 1, 1]);
    // H1: received A B D E F G; carried C; A early, B and C late; G refused; end as Q2.
    assert_eq!(columns(&fold(h1)), [6, 1, 1, 0, 2, 1, 1, 1, 1]);
    assert_eq!((fold(q1).paid_online, fold(q2).paid_online, fold(h1).paid_online), (1, 0, 1));
}

#[test]
fn joining_consecutive_quarters_gives_the_half_year_that_adding_them_did_not() {
    let all = half_year();
    let (q1, q2, h1) = periods();
    for rule in [ClockRule::Restart, ClockRule::Subtract] {
        let fold = |p| OneStopReport::from_dossiers(&all, p, rule);
        let mut joined = fold(q1);
        joined.join(fold(q2)).unwrap();
        assert_eq!(joined, fold(h1), "{rule:?}");
    }
    // What `impl Add` gave: Q1's label, and B, C, E and G counted again as carried
    // over into Q2, so 11 dossiers to handle where the half-year has 7.
    let fold = |p| OneStopReport::from_dossiers(&all, p, ClockRule::Restart);
    assert_eq!(fold(q1).received_total() + fold(q2).received_total(), 11);
    assert_eq!(fold(h1).received_total(), 7);
}

#[test]
fn join_refuses_periods_that_do_not_follow_each_other_and_changes_nothing() {
    let all = half_year();
    let (q1, q2, _) = periods();
    let report = |p, rule| OneStopReport::from_dossiers(&all, p, rule);
    let mut first = report(q1, ClockRule::Restart);
    let before = first;
    // Backwards, with a gap, overlapping, and under another rule.
    let march = Period::month(2024, 3).unwrap();
    let may_june = Period::new(date!(2024 - 05 - 01), date!(2024 - 06 - 30)).unwrap();
    let cases = [
        report(q1, ClockRule::Restart),
        report(may_june, ClockRule::Restart),
        report(march, ClockRule::Restart),
        report(q2, ClockRule::Subtract),
    ];
    for next in cases {
        let err = first.join(next).unwrap_err();
        assert!(matches!(err, Error::Mismatch { operation: "join reports", .. }), "{err}");
        assert_eq!(first, before);
    }
    let mut q2_report = report(q2, ClockRule::Restart);
    assert_eq!(
        q2_report.join(before).unwrap_err().to_string(),
        "cannot join reports: the second period does not start the day after the first ends \
         (left: 2024-04-01 – 2024-06-30; right: 2024-01-01 – 2024-03-31)"
    );
}

#[test]
fn merge_refuses_other_periods_and_rules_and_changes_nothing() {
    let all = half_year();
    let (q1, q2, _) = periods();
    let mut left = OneStopReport::from_dossiers(&all[..3], q1, ClockRule::Restart);
    let before = left;
    let err = left.merge(OneStopReport::from_dossiers(&all[3..], q2, ClockRule::Restart));
    assert_eq!(
        err.unwrap_err().to_string(),
        "cannot merge reports: the periods differ \
         (left: 2024-01-01 – 2024-03-31; right: 2024-04-01 – 2024-06-30)"
    );
    let err = left.merge(OneStopReport::from_dossiers(&all[3..], q1, ClockRule::Subtract));
    assert_eq!(
        err.unwrap_err().to_string(),
        "cannot merge reports: the clock rules differ (left: Restart; right: Subtract)"
    );
    assert_eq!(left, before);
    let mut acc = ReportAccumulator::new(q1, ClockRule::Restart);
    assert!(acc.merge(ReportAccumulator::new(q2, ClockRule::Restart)).is_err());
    assert_eq!(acc.finish(), OneStopReport::empty(q1, ClockRule::Restart));
}

#[test]
fn merged_parts_equal_the_fold_of_the_whole() {
    let all = half_year();
    let (q1, q2, h1) = periods();
    for period in [q1, q2, h1] {
        for split in 0..=all.len() {
            let (a, b) = all.split_at(split);
            let whole = OneStopReport::from_dossiers(&all, period, ClockRule::Subtract);
            let mut left = OneStopReport::from_dossiers(a, period, ClockRule::Subtract);
            left.merge(OneStopReport::from_dossiers(b, period, ClockRule::Subtract)).unwrap();
            assert_eq!(left, whole);
            let mut acc = ReportAccumulator::new(period, ClockRule::Subtract);
            let mut other = ReportAccumulator::new(period, ClockRule::Subtract);
            for d in a {
                acc.push(d);
            }
            for d in b {
                other.push(d);
            }
            acc.merge(other).unwrap();
            assert_eq!(acc.finish(), whole);
            let parts =
                [a, b].map(|p| OneStopReport::from_dossiers(p, period, ClockRule::Subtract));
            assert_eq!(OneStopReport::merge_all(parts).unwrap(), Some(whole));
        }
    }
    assert_eq!(OneStopReport::merge_all([]).unwrap(), None);
}

#[test]
fn push_says_whether_the_dossier_counted() {
    let all = half_year();
    let (q1, _, _) = periods();
    let mut acc = ReportAccumulator::new(q1, ClockRule::Restart);
    // D and F are received after Q1: in no column of it.
    let counted: Vec<bool> = all.iter().map(|d| acc.push(d)).collect();
    assert_eq!(counted, [true, true, true, false, true, false, true]);
}

/// Every count of the report, by its serialised name.
fn counts(r: &OneStopReport) -> Vec<(String, u64)> {
    let Value::Object(map) = serde_json::to_value(r).unwrap() else { panic!("an object") };
    map.into_iter().filter_map(|(k, v)| v.as_u64().map(|n| (k, n))).collect()
}

fn all_ones(period: Period) -> OneStopReport {
    let mut value = serde_json::to_value(OneStopReport::empty(period, ClockRule::Restart)).unwrap();
    for v in value.as_object_mut().unwrap().values_mut() {
        if v.is_u64() {
            *v = Value::from(1u64);
        }
    }
    serde_json::from_value(value).unwrap()
}

/// Guards the field list of `merge` and `join`: a count added to the report and
/// forgotten there would stay 1.
#[test]
fn merge_and_join_cover_every_count() {
    let (q1, q2, h1) = periods();
    let mut merged = all_ones(q1);
    merged.merge(all_ones(q1)).unwrap();
    assert_eq!(counts(&merged).len(), 27);
    assert!(counts(&merged).iter().all(|(_, n)| *n == 2), "{:?}", counts(&merged));
    let mut joined = all_ones(q1);
    joined.join(all_ones(q2)).unwrap();
    assert_eq!(joined.period, h1);
    let stocks =
        ["carried_over", "in_progress_not_due", "in_progress_overdue", "waiting_supplement"];
    for (name, n) in counts(&joined) {
        assert_eq!(n, if stocks.contains(&name.as_str()) { 1 } else { 2 }, "{name}");
    }
    let mut full = all_ones(q1);
    full.received_postal = u64::MAX;
    let before = full;
    assert!(matches!(full.merge(all_ones(q1)), Err(Error::InvalidInput { field: "report", .. })));
    assert_eq!(full, before);
}

#[test]
fn rates_over_received_use_the_dossiers_to_handle() {
    let all = half_year();
    let (q1, q2, h1) = periods();
    let fold = |p| OneStopReport::from_dossiers(&all, p, ClockRule::Restart);
    // H1: 7 to handle (6 received + C); A on time (early); A, B, C resolved.
    assert_eq!(fold(h1).on_time_rate_of_received(), Ratio::new(1, 7));
    assert_eq!(fold(h1).resolved_rate_of_received(), Ratio::new(3, 7));
    // Q2: 6 to handle (D, F + B, C, E, G carried); B and C resolved, both late.
    assert_eq!(fold(q2).on_time_rate_of_received(), Ratio::new(0, 6));
    assert_eq!(fold(q2).resolved_rate_of_received(), Ratio::new(2, 6));
    // Over the period's receipts alone Q2 would read 2 resolved of 2 received.
    assert_eq!(fold(q2).received_in_period(), 2);
    assert_eq!(fold(q1).resolved_rate_of_received(), Ratio::new(1, 5));
    let empty = OneStopReport::empty(q1, ClockRule::Restart);
    assert_eq!(empty.on_time_rate_of_received(), None);
    assert_eq!(empty.resolved_rate_of_received(), None);
    let shown = fold(h1).display(Lang::Vi).to_string();
    assert!(shown.contains("Từ ngày 01/01/2024 đến ngày 30/06/2024"), "{shown}");
    assert!(shown.contains("Tỷ lệ đúng hạn (trên số tiếp nhận)"), "{shown}");
    assert!(shown.contains("14,29 % (1/7)"), "{shown}");
    assert!(fold(h1).display(Lang::En).to_string().contains("42.86 % (3/7)"));
}

#[test]
fn backlogs_merge_at_one_instant_and_rule_only() {
    let all = half_year();
    let at = start_of_day(date!(2024 - 07 - 01));
    let whole = Backlog::from_dossiers(&all, at, ClockRule::Restart);
    // D overdue, F not yet due, E waiting.
    assert_eq!((whole.pending, whole.not_yet_due, whole.overdue, whole.waiting), (3, 1, 1, 1));
    for split in 0..=all.len() {
        let (a, b) = all.split_at(split);
        let mut left = Backlog::from_dossiers(a, at, ClockRule::Restart);
        left.merge(Backlog::from_dossiers(b, at, ClockRule::Restart)).unwrap();
        assert_eq!(left, whole);
        let mut acc = BacklogAccumulator::new(at, ClockRule::Restart);
        let pending: Vec<bool> = a.iter().map(|d| acc.push(d)).collect();
        assert_eq!(
            pending.iter().filter(|&&p| p).count() as u64,
            Backlog::from_dossiers(a, at, ClockRule::Restart).pending
        );
        let mut other = BacklogAccumulator::new(at, ClockRule::Restart);
        for d in b {
            other.push(d);
        }
        acc.merge(other).unwrap();
        assert_eq!(acc.finish(), whole);
    }
    let mut left = whole;
    let later =
        Backlog::from_dossiers(&all, start_of_day(date!(2024 - 07 - 02)), ClockRule::Restart);
    assert!(matches!(
        left.merge(later),
        Err(Error::Mismatch { operation: "merge backlogs", what: "the instants differ", .. })
    ));
    let subtract = Backlog::from_dossiers(&all, at, ClockRule::Subtract);
    assert!(matches!(
        left.merge(subtract),
        Err(Error::Mismatch { what: "the clock rules differ", .. })
    ));
    assert_eq!(left, whole);
}

/// Issue 19 §2: the report's JSON has readable dates and names, the totals and the
/// rates as the text shows them, and reads back to the same report.
#[test]
fn the_json_form_is_readable_with_totals_and_shown_rates() {
    // The March sample of docs/import.md: 4 online, 3 direct, 1 postal; 4 early,
    // 1 on time, 1 late; 5 fee-bearing of which 2 paid online.
    let mut r = OneStopReport::empty(Period::month(2024, 3).unwrap(), ClockRule::Restart);
    (r.received_online, r.received_direct, r.received_postal) = (4, 3, 1);
    (r.resolved_early, r.resolved_on_time, r.resolved_late) = (4, 1, 1);
    (r.fee_bearing, r.paid_online) = (5, 2);
    let v = serde_json::to_value(r).unwrap();
    assert_eq!(v["period"], serde_json::json!({"from": "2024-03-01", "to": "2024-03-31"}));
    assert_eq!(v["rule"], "restart");
    assert_eq!(
        v["totals"],
        serde_json::json!({
            "received_in_period": 8,
            "direct_and_postal": 4,
            "received_total": 8,
            "resolved_total": 6,
            "in_progress_total": 0,
        })
    );
    let rates = &v["rates"];
    // 5/6 = 83.333… % shows as 83,33 %; 1/6 = 16.666… % as 16,67 %.
    assert_eq!(
        rates["on_time_rate"],
        serde_json::json!({"numerator": 5, "denominator": 6, "percent": 83.33})
    );
    assert_eq!(rates["late_rate"]["percent"], 16.67);
    assert_eq!(rates["online_rate"]["percent"], 50.0);
    assert_eq!(rates["online_payment_rate"]["percent"], 40.0);
    assert_eq!(rates["on_time_rate_of_received"]["percent"], 62.5);
    assert_eq!(rates["digitised_rate"]["percent"], 0.0);
    // Nothing is in progress or overdue: (5 + 0) / (6 + 0).
    assert_eq!(rates["on_time_rate_with_overdue"]["numerator"], 5);
    assert_eq!(rates.as_object().unwrap().len(), 10);
    assert_eq!(serde_json::from_value::<OneStopReport>(v).unwrap(), r);

    // Every field is written: a report with a different value in each reads back equal.
    let mut value = serde_json::to_value(OneStopReport::empty(
        Period::quarter(2024, 1).unwrap(),
        ClockRule::Subtract,
    ))
    .unwrap();
    let mut next = 0u64;
    for v in value.as_object_mut().unwrap().values_mut() {
        if v.is_u64() {
            next += 1;
            *v = Value::from(next);
        }
    }
    assert_eq!(next, 27);
    let distinct: OneStopReport = serde_json::from_value(value).unwrap();
    let again = serde_json::to_value(distinct).unwrap();
    assert_eq!(again["rule"], "subtract");
    assert_eq!(serde_json::from_value::<OneStopReport>(again).unwrap(), distinct);
}
