//! Lifecycle and clock-rule tests. Instants are written in Vietnam time; every
//! expected outcome is worked out by hand in the comment above it.

use super::*;
use proptest::prelude::*;
use time::macros::datetime;

fn header() -> DossierHeader {
    DossierHeader {
        code: DossierCode::new("000.00.12.H49-240304-0001").unwrap(),
        procedure: ProcedureCode::new("1.004227").unwrap(),
        field: Field::new("Hộ tịch").unwrap(),
        agency: AgencyCode::new("000.00.12.H49").unwrap(),
        channel: Channel::Direct,
        limit: TimeLimit::working_days(3),
        fee_bearing: false,
        paper_result: true,
        digitised: false,
        reused_data: false,
        receiving: None,
        portal: None,
        rule_set: crate::model::rules::RuleSetId::Decree61,
    }
}

/// Received Monday 4/3/2024 08:00, appointment Wednesday 6/3 17:00.
pub(crate) fn received() -> Dossier {
    Dossier::open(header(), datetime!(2024-03-04 08:00 +07:00), datetime!(2024-03-06 17:00 +07:00))
        .unwrap()
}

fn ev(at: OffsetDateTime, kind: EventKind) -> LifecycleEvent {
    LifecycleEvent { at, kind }
}

fn request(at: OffsetDateTime) -> LifecycleEvent {
    ev(at, EventKind::SupplementRequested { reason: "thiếu giấy tờ".into() })
}

fn supplemented(at: OffsetDateTime, restart_due: OffsetDateTime) -> LifecycleEvent {
    ev(at, EventKind::Supplemented { restart_due })
}

fn resolved(at: OffsetDateTime) -> LifecycleEvent {
    ev(at, EventKind::Resolved { e_result: true })
}

#[test]
fn classify_early_on_time_late_at_the_boundaries() {
    let due = datetime!(2024-03-06 17:00 +07:00);
    // The day before the due day, even at 23:59: early.
    assert_eq!(classify(datetime!(2024-03-05 23:59 +07:00), due), Outcome::Early);
    // The due day's first minute and the due instant itself: on time.
    assert_eq!(classify(datetime!(2024-03-06 00:00 +07:00), due), Outcome::OnTime);
    assert_eq!(classify(due, due), Outcome::OnTime);
    // One second after: late.
    assert_eq!(classify(datetime!(2024-03-06 17:00:01 +07:00), due), Outcome::Late);
    // The day is taken in Vietnam time: 5/3 20:00 UTC is 6/3 03:00 in Vietnam, on time.
    assert_eq!(classify(datetime!(2024-03-05 20:00 UTC), due), Outcome::OnTime);
}

#[test]
fn resolved_before_the_due_day_is_early_under_both_rules() {
    let mut d = received();
    d.apply(resolved(datetime!(2024-03-05 10:00 +07:00))).unwrap();
    assert_eq!(d.outcome(ClockRule::Restart), Some(Outcome::Early));
    assert_eq!(d.outcome(ClockRule::Subtract), Some(Outcome::Early));
    assert_eq!(d.status(), DossierStatus::Resolved);
}

#[test]
fn one_supplement_restart_on_time_but_subtract_late() {
    // Requested Mon 10:00, supplied Thu 7/3 10:00: waited 72 h. The store computed the
    // restarted due (3 working days from Thu 10:00) as Tue 12/3 10:00.
    // Resolved Tue 12/3 09:00.
    // Restart: same day as 12/3 10:00 and before it → on time.
    // Subtract: 12/3 09:00 − 72 h = 9/3 09:00, after the 6/3 17:00 appointment → late.
    let mut d = received();
    d.apply(request(datetime!(2024-03-04 10:00 +07:00))).unwrap();
    assert_eq!(d.status(), DossierStatus::WaitingSupplement);
    d.apply(supplemented(datetime!(2024-03-07 10:00 +07:00), datetime!(2024-03-12 10:00 +07:00)))
        .unwrap();
    assert_eq!(d.waited(), Duration::hours(72));
    d.apply(resolved(datetime!(2024-03-12 09:00 +07:00))).unwrap();
    assert_eq!(d.outcome(ClockRule::Restart), Some(Outcome::OnTime));
    assert_eq!(d.outcome(ClockRule::Subtract), Some(Outcome::Late));
}

#[test]
fn one_short_supplement_subtract_early_restart_early() {
    // Requested Mon 09:00, supplied Mon 11:00 (2 h). Restarted due Thu 7/3 11:00.
    // Resolved Wed 6/3 18:00. Restart: 6/3 is before 7/3 → early.
    // Subtract: 6/3 18:00 − 2 h = 6/3 16:00, on the due day, before 17:00 → on time.
    let mut d = received();
    d.apply(request(datetime!(2024-03-04 09:00 +07:00))).unwrap();
    d.apply(supplemented(datetime!(2024-03-04 11:00 +07:00), datetime!(2024-03-07 11:00 +07:00)))
        .unwrap();
    d.apply(resolved(datetime!(2024-03-06 18:00 +07:00))).unwrap();
    assert_eq!(d.outcome(ClockRule::Restart), Some(Outcome::Early));
    assert_eq!(d.outcome(ClockRule::Subtract), Some(Outcome::OnTime));
}

#[test]
fn two_supplement_requests_are_late_under_subtract_whatever_the_time() {
    // Two requests of one hour each, resolved Tuesday: early by any clock, but the 766
    // rule counts more than one supplement request as late.
    let mut d = received();
    d.apply(request(datetime!(2024-03-04 09:00 +07:00))).unwrap();
    d.apply(supplemented(datetime!(2024-03-04 10:00 +07:00), datetime!(2024-03-07 10:00 +07:00)))
        .unwrap();
    d.apply(request(datetime!(2024-03-04 11:00 +07:00))).unwrap();
    d.apply(supplemented(datetime!(2024-03-04 12:00 +07:00), datetime!(2024-03-07 14:00 +07:00)))
        .unwrap();
    d.apply(resolved(datetime!(2024-03-05 09:00 +07:00))).unwrap();
    assert_eq!(d.supplement_requests(), 2);
    assert_eq!(d.outcome(ClockRule::Restart), Some(Outcome::Early));
    assert_eq!(d.outcome(ClockRule::Subtract), Some(Outcome::Late));
}

#[test]
fn apology_extension_keeps_the_original_due_so_resolving_after_it_is_late() {
    // Apology on Tue 5/3 with a new appointment Fri 8/3; resolved Thu 7/3: before the
    // promise but after the 6/3 17:00 due instant → late under both rules.
    let mut d = received();
    d.apply(ev(
        datetime!(2024-03-05 09:00 +07:00),
        EventKind::Extended {
            new_appointment: datetime!(2024-03-08 17:00 +07:00),
            reason: "xác minh".into(),
            late_notice: false,
        },
    ))
    .unwrap();
    assert_eq!(d.extended_appointment(), Some(datetime!(2024-03-08 17:00 +07:00)));
    d.apply(resolved(datetime!(2024-03-07 09:00 +07:00))).unwrap();
    assert_eq!(d.outcome(ClockRule::Restart), Some(Outcome::Late));
    assert_eq!(d.outcome(ClockRule::Subtract), Some(Outcome::Late));
}

#[test]
fn waiting_dossier_is_timed_at_its_request_under_766() {
    // Requested Wed 6/3 16:00 (before the 17:00 appointment) and never supplied: at the
    // end of March it is on time for 766 indicator 2.1, and in the "waiting" column.
    let mut d = received();
    d.apply(request(datetime!(2024-03-06 16:00 +07:00))).unwrap();
    let end = datetime!(2024-04-01 00:00 +07:00);
    assert_eq!(d.on_time_766(end), Some(true));
    let s = d.state_at(end);
    assert!(s.pending && s.waiting && !s.overdue_restart && !s.overdue_subtract);
    // Requested Thu 7/3 after the appointment: late for 766.
    let mut late = received();
    late.apply(request(datetime!(2024-03-07 09:00 +07:00))).unwrap();
    assert_eq!(late.on_time_766(end), Some(false));
}

#[test]
fn state_at_follows_pending_overdue_and_closure() {
    let mut d = received();
    d.apply(resolved(datetime!(2024-03-08 10:00 +07:00))).unwrap();
    // Before receipt: nothing. At the receipt instant the receipt has not happened yet.
    assert!(!d.state_at(datetime!(2024-03-04 08:00 +07:00)).pending);
    let s = d.state_at(datetime!(2024-03-05 00:00 +07:00));
    assert!(s.pending && !s.overdue_restart);
    // After the due instant and before the resolution: overdue under both rules.
    let s = d.state_at(datetime!(2024-03-07 00:00 +07:00));
    assert!(s.pending && s.overdue_restart && s.overdue_subtract);
    assert_eq!(d.state_at(datetime!(2024-03-09 00:00 +07:00)), PendingState::default());
    assert_eq!(d.outcome(ClockRule::Restart), Some(Outcome::Late));
}

fn rejected(d: &mut Dossier, event: LifecycleEvent) {
    let before = d.clone();
    let err = d.apply(event).unwrap_err();
    assert!(matches!(err, Error::InvalidTransition { .. }), "{err}");
    assert_eq!(*d, before, "a rejected event must change nothing");
}

#[test]
fn impossible_transitions_are_rejected_and_change_nothing() {
    let mut d = received();
    // Time going backwards, and an event before receipt.
    rejected(&mut d, resolved(datetime!(2024-03-04 07:59 +07:00)));
    // A second receipt.
    rejected(
        &mut d,
        ev(
            datetime!(2024-03-04 09:00 +07:00),
            EventKind::Received { appointment: datetime!(2024-03-06 17:00 +07:00) },
        ),
    );
    // Supplement with no request; return before resolution; transfer to itself.
    rejected(
        &mut d,
        supplemented(datetime!(2024-03-04 09:00 +07:00), datetime!(2024-03-07 09:00 +07:00)),
    );
    rejected(&mut d, ev(datetime!(2024-03-04 09:00 +07:00), EventKind::ResultReturned));
    rejected(
        &mut d,
        ev(datetime!(2024-03-04 09:00 +07:00), EventKind::Transferred { to: header().agency }),
    );
    // An extension not after the due instant.
    rejected(
        &mut d,
        ev(
            datetime!(2024-03-04 09:00 +07:00),
            EventKind::Extended {
                new_appointment: datetime!(2024-03-06 17:00 +07:00),
                reason: String::new(),
                late_notice: false,
            },
        ),
    );
    // Resolving while waiting.
    d.apply(request(datetime!(2024-03-04 10:00 +07:00))).unwrap();
    rejected(&mut d, resolved(datetime!(2024-03-04 11:00 +07:00)));
    rejected(&mut d, request(datetime!(2024-03-04 11:00 +07:00)));
    d.apply(supplemented(datetime!(2024-03-04 12:00 +07:00), datetime!(2024-03-07 12:00 +07:00)))
        .unwrap();
    // A second extension.
    let ext = |day| {
        ev(
            day,
            EventKind::Extended {
                new_appointment: datetime!(2024-03-15 17:00 +07:00),
                reason: String::new(),
                late_notice: false,
            },
        )
    };
    d.apply(ext(datetime!(2024-03-05 09:00 +07:00))).unwrap();
    rejected(&mut d, ext(datetime!(2024-03-05 10:00 +07:00)));
    // Resolving twice, and anything after closure but the return of the result.
    d.apply(resolved(datetime!(2024-03-06 09:00 +07:00))).unwrap();
    rejected(&mut d, resolved(datetime!(2024-03-06 10:00 +07:00)));
    rejected(&mut d, ev(datetime!(2024-03-06 10:00 +07:00), EventKind::Withdrawn));
    rejected(
        &mut d,
        ev(datetime!(2024-03-06 10:00 +07:00), EventKind::Refused { reason: String::new() }),
    );
    d.apply(ev(datetime!(2024-03-06 10:00 +07:00), EventKind::ResultReturned)).unwrap();
    rejected(&mut d, ev(datetime!(2024-03-06 11:00 +07:00), EventKind::ResultReturned));
    assert_eq!(d.status(), DossierStatus::Returned);
}

#[test]
fn withdrawn_and_refused_dossiers_are_closed() {
    let mut d = received();
    d.apply(ev(datetime!(2024-03-05 09:00 +07:00), EventKind::Withdrawn)).unwrap();
    assert!(d.status().is_closed());
    rejected(&mut d, ev(datetime!(2024-03-05 10:00 +07:00), EventKind::Paid { online: true }));
    assert_eq!(d.on_time_766(datetime!(2024-04-01 00:00 +07:00)), None);
    let mut r = received();
    r.apply(ev(
        datetime!(2024-03-07 09:00 +07:00),
        EventKind::Refused { reason: "không đủ điều kiện".into() },
    ))
    .unwrap();
    assert_eq!(r.status(), DossierStatus::Refused);
    // Refused after the due instant: late for 766.
    assert_eq!(r.on_time_766(datetime!(2024-04-01 00:00 +07:00)), Some(false));
}

#[test]
fn appointment_before_receipt_is_rejected() {
    let err = Dossier::open(
        header(),
        datetime!(2024-03-04 08:00 +07:00),
        datetime!(2024-03-04 07:00 +07:00),
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "dossier.appointment", .. }));
    assert!(Dossier::from_events(header(), &[]).is_err());
    assert!(
        Dossier::from_events(header(), &[resolved(datetime!(2024-03-04 08:00 +07:00))]).is_err()
    );
}

/// A random action with a random delay in minutes.
pub(crate) fn arb_event() -> impl Strategy<Value = (i64, u8, i64)> {
    (0i64..3000, 0u8..10, 0i64..20_000)
}

pub(crate) fn make_event(
    base: OffsetDateTime,
    (delay, kind, extra): (i64, u8, i64),
) -> LifecycleEvent {
    let at = base + Duration::minutes(delay);
    let kind = match kind {
        0 => EventKind::Transferred {
            to: AgencyCode::new(if extra % 2 == 0 { "000.00.13.H49" } else { "000.00.12.H49" })
                .unwrap(),
        },
        1 => EventKind::SupplementRequested { reason: String::new() },
        2 => EventKind::Supplemented { restart_due: at + Duration::minutes(extra) },
        3 => EventKind::Extended {
            new_appointment: at + Duration::minutes(extra),
            reason: String::new(),
            late_notice: extra % 3 == 0,
        },
        4 => EventKind::Refused { reason: String::new() },
        5 | 6 => EventKind::Resolved { e_result: extra % 2 == 0 },
        7 => EventKind::ResultReturned,
        8 => EventKind::Withdrawn,
        _ => EventKind::Paid { online: extra % 2 == 0 },
    };
    LifecycleEvent { at, kind }
}

proptest! {
    #[test]
    fn random_histories_never_panic_and_fold_to_the_same_dossier(
        events in proptest::collection::vec(arb_event(), 0..12),
        probe in 0i64..40_000,
    ) {
        let mut d = received();
        let mut accepted = Vec::new();
        let mut t = d.received_at();
        for e in events {
            let event = make_event(t, e);
            let before = d.clone();
            match d.apply(event.clone()) {
                Ok(()) => {
                    t = event.at;
                    accepted.push(event);
                }
                Err(_) => prop_assert_eq!(&d, &before),
            }
        }
        let folded = Dossier::from_events(header(), d.events()).unwrap();
        prop_assert_eq!(&folded, &d);
        prop_assert_eq!(d.events().len(), accepted.len() + 1);
        // Invariants of the state at any instant.
        let s = d.state_at(d.received_at() + Duration::minutes(probe));
        prop_assert!(!s.waiting || s.pending);
        prop_assert!(!(s.waiting && (s.overdue_restart || s.overdue_subtract)));
        prop_assert!(!s.waiting_late_subtract || s.waiting);
        if d.status().is_closed() {
            prop_assert!(!d.state_at(d.finished_at().unwrap() + Duration::NANOSECOND).pending);
        }
    }
}

#[test]
fn serde_form_is_header_and_events_and_refolds() {
    let mut d = received();
    d.apply(request(datetime!(2024-03-04 10:00 +07:00))).unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json.as_object().unwrap().len(), 2);
    assert_eq!(serde_json::from_value::<Dossier>(json.clone()).unwrap(), d);
    // Events that cannot follow each other do not deserialize.
    let mut bad = json;
    let events = bad["events"].as_array_mut().unwrap();
    let request = events[1].clone();
    events.push(request);
    assert!(serde_json::from_value::<Dossier>(bad).is_err());
}
