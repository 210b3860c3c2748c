//! Arbitrary event sequences applied to a dossier through the public API.
//!
//! Invariants: `apply` never panics; a refused event leaves the dossier unchanged;
//! an accepted history replays to the same dossier through `Dossier::from_events`;
//! outcomes, states, counter contributions and the reference report never panic.
#![no_main]

use arbitrary::Arbitrary;
use cchc::model::dossier::{DossierHeader, EventKind, LifecycleEvent};
use cchc::{
    AgencyCode, Channel, ClockRule, Dossier, DossierCode, Field, OneStopReport, Period,
    ProcedureCode, TimeLimit,
};
use libfuzzer_sys::fuzz_target;
use time::{Duration, OffsetDateTime};

/// Unix seconds of year -9999 and 9999 (time's default range), so extreme instants
/// are reachable.
const MIN_SECS: i64 = -377_705_116_800;
const MAX_SECS: i64 = 253_402_300_799;
/// 2024-01-05 09:00 +07:00.
const BASE: i64 = 1_704_420_000;

#[derive(Debug, Arbitrary)]
enum When {
    /// Seconds after the previous instant (realistic).
    After(u32),
    /// Seconds before the previous instant (out of order).
    Before(u16),
    /// Anywhere in the representable range.
    Absolute(i64),
}

#[derive(Debug, Arbitrary)]
enum Kind {
    Transferred(u8),
    SupplementRequested(String),
    Supplemented(When),
    Extended(When, String, bool),
    Refused(String),
    Resolved(bool),
    ResultReturned,
    Withdrawn,
    Paid(bool),
    Received(When),
}

#[derive(Debug, Arbitrary)]
struct Input {
    received: When,
    appointment: When,
    channel: u8,
    events: Vec<(When, Kind)>,
}

fn instant(previous: OffsetDateTime, when: &When) -> Option<OffsetDateTime> {
    let secs = previous.unix_timestamp();
    let secs = match *when {
        When::After(s) => secs.checked_add(i64::from(s))?,
        When::Before(s) => secs.checked_sub(i64::from(s))?,
        When::Absolute(s) => MIN_SECS + s.rem_euclid(MAX_SECS - MIN_SECS + 1),
    };
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

fn agency(i: u8) -> AgencyCode {
    AgencyCode::new(&format!("000.00.{:02}.H49", i % 4)).expect("valid code")
}

fuzz_target!(|input: Input| {
    let base = OffsetDateTime::from_unix_timestamp(BASE).expect("base instant");
    let Some(received) = instant(base, &input.received) else { return };
    let Some(appointment) = instant(received, &input.appointment) else { return };
    let header = DossierHeader {
        code: DossierCode::new("000.00.00.H49-240105-0001").expect("valid code"),
        procedure: ProcedureCode::new("1.004227").expect("valid code"),
        field: Field::new("Hộ tịch").expect("valid field"),
        agency: agency(0),
        channel: match input.channel % 3 {
            0 => Channel::Direct,
            1 => Channel::Online,
            _ => Channel::Postal,
        },
        limit: TimeLimit::working_days(3),
        fee_bearing: input.channel & 4 != 0,
        paper_result: input.channel & 8 != 0,
        digitised: input.channel & 16 != 0,
        reused_data: input.channel & 32 != 0,
    };
    let Ok(mut dossier) = Dossier::open(header.clone(), received, appointment) else { return };
    let mut previous = received;
    for (when, kind) in input.events.iter().take(64) {
        let Some(at) = instant(previous, when) else { continue };
        let kind = match kind {
            Kind::Transferred(i) => EventKind::Transferred { to: agency(*i) },
            Kind::SupplementRequested(reason) => {
                EventKind::SupplementRequested { reason: reason.clone() }
            }
            Kind::Supplemented(due) => {
                let Some(restart_due) = instant(at, due) else { continue };
                EventKind::Supplemented { restart_due }
            }
            Kind::Extended(to, reason, late_notice) => {
                let Some(new_appointment) = instant(at, to) else { continue };
                EventKind::Extended {
                    new_appointment,
                    reason: reason.clone(),
                    late_notice: *late_notice,
                }
            }
            Kind::Refused(reason) => EventKind::Refused { reason: reason.clone() },
            Kind::Resolved(e_result) => EventKind::Resolved { e_result: *e_result },
            Kind::ResultReturned => EventKind::ResultReturned,
            Kind::Withdrawn => EventKind::Withdrawn,
            Kind::Paid(online) => EventKind::Paid { online: *online },
            Kind::Received(due) => {
                let Some(appointment) = instant(at, due) else { continue };
                EventKind::Received { appointment }
            }
        };
        let before = dossier.clone();
        match dossier.apply(LifecycleEvent { at, kind }) {
            Ok(()) => previous = at,
            Err(_) => assert_eq!(dossier, before, "a refused event changed the dossier"),
        }
    }
    let replayed =
        Dossier::from_events(header, dossier.events()).expect("accepted history replays");
    assert_eq!(replayed, dossier, "replaying the history gives another dossier");
    cchc::fuzz_support::fuzz_derive(&dossier);
    if let Ok(period) = Period::year(2024) {
        for rule in [ClockRule::Restart, ClockRule::Subtract] {
            let _ = OneStopReport::from_dossiers([&dossier], period, rule);
        }
    }
    if let Some(later) = previous.checked_add(Duration::seconds(1)) {
        let _ = dossier.state_at(later);
    }
});
