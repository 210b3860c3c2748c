//! What a dossier contributes to the maintained counters.
//!
//! Every counter is kept as daily deltas whose prefix sums answer questions:
//! `count(D) = Σ delta[d] for d < D` is "how many by 00:00 of day D" (Vietnam time).
//! Flow measures (received, resolved, ...) add 1 on the day their event happened, so
//! a period's flow is `count(to + 1) − count(from)`. State measures (pending,
//! overdue, ...) add +1 on the day a dossier enters the state and −1 on the day it
//! leaves, so `count(D)` is the number in that state at 00:00 of day D. The store
//! writes the difference between a dossier's contributions before and after each
//! event, which keeps the counters exact whatever the event changed.

use time::{Date, Duration, OffsetDateTime};

use crate::model::dossier::{Channel, ClockRule, Dossier, EventKind, Outcome, PendingState};
use crate::model::time_limit::{start_of_day, vietnam_date};

macro_rules! measures {
    ($($(#[$doc:meta])* $name:ident = $idx:literal,)*) => {
        /// One counted quantity.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub(crate) enum Measure { $($(#[$doc])* $name = $idx,)* }
    };
}

/// How many measures a counter vector holds.
pub(crate) const MEASURE_COUNT: usize = 32;

measures! {
    /// Received online.
    ReceivedOnline = 0,
    /// Received at the desk.
    ReceivedDirect = 1,
    /// Received by post.
    ReceivedPostal = 2,
    /// Resolved early, Restart rule.
    EarlyRestart = 3,
    /// Resolved on time, Restart rule.
    OnTimeRestart = 4,
    /// Resolved late, Restart rule.
    LateRestart = 5,
    /// Resolved early, Subtract rule.
    EarlySubtract = 6,
    /// Resolved on time, Subtract rule.
    OnTimeSubtract = 7,
    /// Resolved late, Subtract rule.
    LateSubtract = 8,
    /// Refused.
    Refused = 9,
    /// Refused after the due instant, Subtract rule.
    RefusedLateSubtract = 10,
    /// Withdrawn.
    Withdrawn = 11,
    /// Result returned.
    Returned = 12,
    /// Received with digitised components.
    Digitised = 13,
    /// Received reusing digitised data.
    ReusedData = 14,
    /// Received under a fee-bearing procedure.
    FeeBearing = 15,
    /// Paid online.
    PaidOnline = 16,
    /// Resolved with an electronic result.
    EResult = 17,
    /// Resolved under a procedure with a paper result.
    ResolvedPaperResult = 18,
    /// Resolved with an electronic result under a procedure with a paper result.
    EResultPaperResult = 19,
    /// Transfers between agencies.
    Transferred = 20,
    /// Supplement requests.
    SupplementRequests = 21,
    /// Apology extensions.
    Extended = 22,
    /// Apology extensions issued later than the calendar day before the due day (on the due day or after).
    LateApology = 23,
    /// State: pending.
    Pending = 24,
    /// State: waiting for a supplement.
    Waiting = 25,
    /// State: overdue, Restart rule.
    OverdueRestart = 26,
    /// State: overdue, Subtract rule.
    OverdueSubtract = 27,
    /// State: waiting and already late, Subtract rule.
    WaitingLateSubtract = 28,
    /// Closed for want of a supplement (Decree 118/2025 Art. 19(5)). Appended: older
    /// counter rows read 0 here.
    ClosedUnsupplemented = 29,
    /// Of those, closed before the period ran out.
    ClosedEarly = 30,
    /// Stopped at the applicant's request (Decree 118/2025 Art. 21).
    Stopped = 31,
}

/// A vector of counts, one per measure.
pub(crate) type Counts = [i64; MEASURE_COUNT];

/// Reads one measure of a counter vector.
pub(crate) fn get(counts: &Counts, measure: Measure) -> i64 {
    counts.get(measure as usize).copied().unwrap_or(0)
}

/// One contribution: `delta` to `measure` on `day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Contribution {
    pub day: Date,
    pub measure: Measure,
    pub delta: i64,
}

fn outcome_measure(outcome: Outcome, rule: ClockRule) -> Measure {
    match (rule, outcome) {
        (ClockRule::Restart, Outcome::Early) => Measure::EarlyRestart,
        (ClockRule::Restart, Outcome::OnTime) => Measure::OnTimeRestart,
        (ClockRule::Restart, Outcome::Late) => Measure::LateRestart,
        (ClockRule::Subtract, Outcome::Early) => Measure::EarlySubtract,
        (ClockRule::Subtract, Outcome::OnTime) => Measure::OnTimeSubtract,
        (ClockRule::Subtract, Outcome::Late) => Measure::LateSubtract,
    }
}

/// How many state measures there are.
pub(crate) const STATE_COUNT: usize = 5;

/// The state measures, in the order of [`StateCounts`] (and of [`state_measures`]).
pub(crate) const STATE_MEASURES: [Measure; STATE_COUNT] = [
    Measure::Pending,
    Measure::Waiting,
    Measure::OverdueRestart,
    Measure::OverdueSubtract,
    Measure::WaitingLateSubtract,
];

/// A vector of the state measures only, in the order of [`STATE_MEASURES`].
pub(crate) type StateCounts = [i64; STATE_COUNT];

fn state_measures(s: PendingState) -> [(Measure, bool); STATE_COUNT] {
    [
        (Measure::Pending, s.pending),
        (Measure::Waiting, s.waiting),
        (Measure::OverdueRestart, s.overdue_restart),
        (Measure::OverdueSubtract, s.overdue_subtract),
        (Measure::WaitingLateSubtract, s.waiting_late_subtract),
    ]
}

/// Returns everything `dossier` contributes to the counters, sorted.
pub(crate) fn contributions(dossier: &Dossier) -> Vec<Contribution> {
    let mut out = Vec::with_capacity(16);
    let mut add =
        |day: Date, measure: Measure, delta: i64| out.push(Contribution { day, measure, delta });
    let header = dossier.header();
    for event in dossier.events() {
        let day = vietnam_date(event.at);
        match &event.kind {
            EventKind::Received { .. } => {
                add(
                    day,
                    match header.channel {
                        Channel::Online => Measure::ReceivedOnline,
                        Channel::Direct => Measure::ReceivedDirect,
                        Channel::Postal => Measure::ReceivedPostal,
                    },
                    1,
                );
                if header.digitised {
                    add(day, Measure::Digitised, 1);
                }
                if header.reused_data {
                    add(day, Measure::ReusedData, 1);
                }
                if header.fee_bearing {
                    add(day, Measure::FeeBearing, 1);
                }
            }
            EventKind::Resolved { e_result } => {
                for rule in [ClockRule::Restart, ClockRule::Subtract] {
                    if let Some(outcome) = dossier.outcome(rule) {
                        add(day, outcome_measure(outcome, rule), 1);
                    }
                }
                if *e_result {
                    add(day, Measure::EResult, 1);
                }
                if header.paper_result {
                    add(day, Measure::ResolvedPaperResult, 1);
                    if *e_result {
                        add(day, Measure::EResultPaperResult, 1);
                    }
                }
            }
            EventKind::Refused { .. } => {
                add(day, Measure::Refused, 1);
                if dossier.finish_outcome(event.at, ClockRule::Subtract) == Outcome::Late {
                    add(day, Measure::RefusedLateSubtract, 1);
                }
            }
            EventKind::Withdrawn => add(day, Measure::Withdrawn, 1),
            EventKind::ClosedUnsupplemented { early } => {
                add(day, Measure::ClosedUnsupplemented, 1);
                if *early {
                    add(day, Measure::ClosedEarly, 1);
                }
            }
            EventKind::Stopped => add(day, Measure::Stopped, 1),
            EventKind::ResultReturned => add(day, Measure::Returned, 1),
            EventKind::Paid { online: true } => add(day, Measure::PaidOnline, 1),
            EventKind::Transferred { .. } => add(day, Measure::Transferred, 1),
            EventKind::SupplementRequested { .. } => add(day, Measure::SupplementRequests, 1),
            EventKind::Extended { late_notice, .. } => {
                add(day, Measure::Extended, 1);
                if *late_notice {
                    add(day, Measure::LateApology, 1);
                }
            }
            EventKind::Supplemented { .. } | EventKind::Paid { online: false } => {}
        }
    }
    // State measures: evaluate the state at each midnight where it can change; a change
    // first visible at 00:00 of day D happened during day D − 1.
    let mut days: Vec<Date> =
        dossier.change_instants().into_iter().filter_map(|t| vietnam_date(t).next_day()).collect();
    days.sort_unstable();
    days.dedup();
    let mut previous = PendingState::default();
    for day in days {
        let state = dossier.state_at(start_of_day(day));
        if state == previous {
            continue;
        }
        let Some(changed_on) = day.previous_day() else { continue };
        for ((measure, now), (_, before)) in
            state_measures(state).into_iter().zip(state_measures(previous))
        {
            if now != before {
                add(changed_on, measure, if now { 1 } else { -1 });
            }
        }
        previous = state;
    }
    out.sort_unstable();
    out
}

/// Returns every instant at which `dossier`'s backlog state changes, with the change:
/// for each instant `c` returned, `state_at(t)` for `t` just after `c` minus
/// `state_at(c)`, in [`STATE_MEASURES`] order. Sorted by instant, distinct instants,
/// no zero changes.
///
/// Since [`Dossier::state_at`] counts events and due instants strictly before `t`,
/// the state at any instant `t` is the sum of the changes at instants `c < t`. This is
/// the pure function behind the store's intraday index (`src/store/intraday.rs`): the
/// state at 00:00 of a day (from the day counters of [`contributions`]) plus the
/// changes of that day before `t` is the state at `t`, the same fold as
/// `Backlog::count`.
pub(crate) fn state_changes(dossier: &Dossier) -> Vec<(OffsetDateTime, StateCounts)> {
    let mut instants = dossier.change_instants();
    instants.sort_unstable();
    instants.dedup();
    let vector = |s: PendingState| state_measures(s).map(|(_, on)| i64::from(on));
    let mut out = Vec::with_capacity(instants.len());
    for c in instants {
        // Instants are bounded to the years 1900–2999, so one nanosecond more exists.
        let Some(after) = c.checked_add(Duration::NANOSECOND) else { continue };
        let (before, after) = (vector(dossier.state_at(c)), vector(dossier.state_at(after)));
        if before != after {
            let mut change = [0; STATE_COUNT];
            for ((d, a), b) in change.iter_mut().zip(after).zip(before) {
                *d = a - b;
            }
            out.push((c, change));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dossier::tests::{arb_event, make_event, received};
    use proptest::prelude::*;
    use time::macros::datetime;

    fn vector(s: PendingState) -> StateCounts {
        state_measures(s).map(|(_, on)| i64::from(on))
    }

    fn sum_before(changes: &[(OffsetDateTime, StateCounts)], t: OffsetDateTime) -> StateCounts {
        let mut total = [0; STATE_COUNT];
        for (_, change) in changes.iter().filter(|(c, _)| *c < t) {
            for (s, d) in total.iter_mut().zip(change) {
                *s += d;
            }
        }
        total
    }

    #[test]
    fn a_late_resolution_enters_pending_then_overdue_then_leaves_both() {
        // Received Monday 4/3/2024 08:00, appointment Wednesday 6/3 17:00, resolved
        // Thursday 7/3 10:00: pending from 08:00 Monday; overdue under both rules just
        // after 17:00 Wednesday; both end at the resolution.
        let mut d = received();
        d.apply(crate::model::dossier::LifecycleEvent {
            at: datetime!(2024-03-07 10:00 +07:00),
            kind: EventKind::Resolved { e_result: false },
        })
        .unwrap();
        assert_eq!(
            state_changes(&d),
            [
                (datetime!(2024-03-04 08:00 +07:00), [1, 0, 0, 0, 0]),
                (datetime!(2024-03-06 17:00 +07:00), [0, 0, 1, 1, 0]),
                (datetime!(2024-03-07 10:00 +07:00), [-1, 0, -1, -1, 0]),
            ]
        );
    }

    proptest! {
        #[test]
        fn the_state_at_any_instant_is_the_sum_of_the_changes_before_it(
            events in proptest::collection::vec(arb_event(), 0..10),
            probes in proptest::collection::vec(-100i64..40_000, 8),
        ) {
            let mut d = received();
            let mut t = d.received_at();
            for e in events {
                let event = make_event(t, e);
                if d.apply(event.clone()).is_ok() {
                    t = event.at;
                }
            }
            let changes = state_changes(&d);
            prop_assert!(changes.windows(2).all(|w| w[0].0 < w[1].0));
            prop_assert!(changes.iter().all(|(_, c)| c.iter().any(|&x| x != 0)));
            let mut instants: Vec<OffsetDateTime> =
                probes.iter().map(|&m| d.received_at() + Duration::minutes(m)).collect();
            for &(c, _) in &changes {
                instants.extend([c - Duration::NANOSECOND, c, c + Duration::NANOSECOND]);
            }
            for t in instants {
                prop_assert_eq!(sum_before(&changes, t), vector(d.state_at(t)), "at {}", t);
            }
        }
    }
}
