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

use time::Date;

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
pub(crate) const MEASURE_COUNT: usize = 29;

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

fn state_measures(s: PendingState) -> [(Measure, bool); 5] {
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
