//! Calendar announcements as data (issue 12 §2): added at run time, kept in the store,
//! refused when they would silently move stored dossiers, and applied explicitly with
//! every calendar fact and counter re-derived.

mod common;

use cchc::model::calendar::{AnnouncementScope, CalendarAnnouncement, WorkCalendar};
use cchc::model::dossier::ResultForm;
use cchc::{
    AgencyCode, Channel, ClockRule, DossierCode, Error, NewDossier, Period, ProcedureCode, Scope,
    Store,
};
use time::macros::{date, datetime};

fn province() -> AgencyCode {
    AgencyCode::new("000.00.00.H49").unwrap()
}

fn centre() -> AgencyCode {
    AgencyCode::new("000.00.50.H49").unwrap()
}

fn catalogue(store: &Store) {
    common::insert_small_province(store);
}

/// Received on Friday 8 October 2027 at 09:00 by `agency`; 3 working days = 24 working
/// hours of 07:30–11:30 and 13:00–17:00. By hand: Friday gives 6.5 h, Monday 11/10 and
/// Tuesday 12/10 8 h each, so the 24th hour ends on Wednesday 13/10 at 09:00.
fn receive(store: &Store, code: &str, agency: AgencyCode) -> DossierCode {
    let code = DossierCode::new(code).unwrap();
    let d = store
        .dossiers()
        .receive(&NewDossier {
            code: code.clone(),
            procedure: ProcedureCode::new("1.004227").unwrap(),
            agency,
            channel: Channel::Direct,
            received_at: datetime!(2027-10-08 09:00 +07:00),
            digitised: false,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: None,
        })
        .unwrap();
    assert_eq!(d.appointment(), datetime!(2027-10-13 09:00 +07:00));
    code
}

fn monday_off(scope: AnnouncementScope) -> CalendarAnnouncement {
    CalendarAnnouncement::new(
        scope,
        "Thông báo nghỉ 11/10/2027 (thử)",
        vec![date!(2027 - 10 - 11)],
        vec![],
    )
    .unwrap()
}

fn on_time(store: &Store) -> u64 {
    let r = store.report(&Scope::All, Period::month(2027, 10).unwrap()).unwrap();
    r.resolved_early + r.resolved_on_time
}

#[test]
fn an_announcement_is_stored_refused_when_in_use_and_applied_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let store = Store::open(&path).unwrap();
    catalogue(&store);
    let code = receive(&store, "000.00.00.H49-271008-0001", province());
    // Resolved Wednesday 13/10 at 10:00: an hour after its appointment, so late.
    store
        .dossiers()
        .resolve(&code, datetime!(2027-10-13 10:00 +07:00), ResultForm::Electronic)
        .unwrap();
    assert_eq!(on_time(&store), 0);

    // Adding a day off the dossier was timed with is refused, and writes nothing.
    let off = monday_off(AnnouncementScope::Country);
    drop(store);
    let before = common::dump_raw(&path);
    let store = Store::open(&path).unwrap();
    match store.calendar_announcements().add(&off) {
        Err(Error::CalendarInUse { dossiers, examples, .. }) => {
            assert_eq!(dossiers, 1);
            assert_eq!(examples, [code.to_string()]);
        }
        other => panic!("expected CalendarInUse, got {other:?}"),
    }
    assert_eq!(store.calendar_announcements().affected(&off).unwrap(), std::slice::from_ref(&code));
    drop(store);
    assert_eq!(common::dump_raw(&path), before, "a refused announcement changed the store");

    // Applied explicitly: Monday is off, so the appointment moves to Thursday 14/10
    // 09:00 and the dossier resolved on Wednesday is now on time.
    let store = Store::open(&path).unwrap();
    let mut seen = Vec::new();
    let done = store.calendar_announcements().apply(&off, |p| seen.push(*p)).unwrap();
    assert_eq!((done.checked, done.changed, done.batches), (1, 1, 1));
    assert_eq!(seen, [done]);
    let d = store.dossiers().get(&code).unwrap().unwrap();
    assert_eq!(d.appointment(), datetime!(2027-10-14 09:00 +07:00));
    assert_eq!(on_time(&store), 1);
    assert!(store.verify().unwrap().is_clean());
    assert!(!store.calendar().is_working_day(date!(2027 - 10 - 11)));

    // Persisted: a reopened store has the announcement and times new receipts with it.
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.calendar_announcements().list().unwrap(), std::slice::from_ref(&off));
    let later = receive_after(&store, "000.00.00.H49-271008-0002");
    assert_eq!(later, datetime!(2027-10-14 09:00 +07:00));

    // Removing it re-derives both dossiers back to Wednesday.
    let done = store
        .calendar_announcements()
        .remove(&AnnouncementScope::Country, off.source(), |_| {})
        .unwrap();
    assert_eq!(done.changed, 2);
    assert_eq!(
        store.dossiers().get(&code).unwrap().unwrap().appointment(),
        datetime!(2027-10-13 09:00 +07:00)
    );
    assert_eq!(on_time(&store), 0);
    assert!(store.verify().unwrap().is_clean());
    assert!(store.calendar_announcements().list().unwrap().is_empty());
    assert!(matches!(
        store.calendar_announcements().remove(&AnnouncementScope::Country, off.source(), |_| {}),
        Err(Error::NotFound { .. })
    ));
}

/// Receives a second dossier like `receive` and returns its appointment (without the
/// Wednesday assertion).
fn receive_after(store: &Store, code: &str) -> time::OffsetDateTime {
    store
        .dossiers()
        .receive(&NewDossier {
            code: DossierCode::new(code).unwrap(),
            procedure: ProcedureCode::new("1.004227").unwrap(),
            agency: province(),
            channel: Channel::Online,
            received_at: datetime!(2027-10-08 09:00 +07:00),
            digitised: false,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: None,
        })
        .unwrap()
        .appointment()
}

#[test]
fn an_agencys_announcement_moves_only_its_dossiers_whatever_their_code() {
    let store = Store::temporary().unwrap();
    catalogue(&store);
    // Numbered by the province's desk but the centre's dossier, and the reverse.
    let centres = receive(&store, "000.00.00.H49-271008-0001", centre());
    let provinces = receive(&store, "000.00.50.H49-271008-0001", province());
    let off = monday_off(AnnouncementScope::Agency(centre()));
    assert_eq!(
        store.calendar_announcements().affected(&off).unwrap(),
        std::slice::from_ref(&centres)
    );
    store.calendar_announcements().apply(&off, |_| {}).unwrap();
    let appointment =
        |code: &DossierCode| store.dossiers().get(code).unwrap().unwrap().appointment();
    assert_eq!(appointment(&centres), datetime!(2027-10-14 09:00 +07:00));
    assert_eq!(appointment(&provinces), datetime!(2027-10-13 09:00 +07:00));
    assert!(!store.calendar_for(&centre()).is_working_day(date!(2027 - 10 - 11)));
    assert!(store.calendar().is_working_day(date!(2027 - 10 - 11)));
    // An announcement for an unknown agency is refused.
    let unknown = monday_off(AnnouncementScope::Agency(AgencyCode::new("000.00.77.H49").unwrap()));
    assert!(matches!(store.calendar_announcements().add(&unknown), Err(Error::NotFound { .. })));
}

#[test]
fn dossiers_timed_by_an_older_calendar_are_re_derived_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    // First opened with a calendar that had Monday 11/10/2027 off (as a crate whose
    // table was wrong would have) ...
    let wrong = WorkCalendar::vietnam().with_day_off(date!(2027 - 10 - 11));
    let store = Store::builder(&path).calendar(wrong).open().unwrap();
    catalogue(&store);
    let code = DossierCode::new("000.00.00.H49-271008-0001").unwrap();
    assert_eq!(receive_after(&store, code.as_str()), datetime!(2027-10-14 09:00 +07:00));
    drop(store);
    // ... then with the corrected one: the stored facts stay until re-derived.
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.dossiers().get(&code).unwrap().unwrap().appointment(),
        datetime!(2027-10-14 09:00 +07:00)
    );
    let none = store
        .calendar_announcements()
        .rederive_between(date!(2027 - 10 - 09), date!(2027 - 12 - 31), |_| {})
        .unwrap();
    assert_eq!((none.checked, none.changed), (0, 0));
    let done = store
        .calendar_announcements()
        .rederive_between(date!(2027 - 10 - 01), date!(2027 - 10 - 31), |_| {})
        .unwrap();
    assert_eq!((done.checked, done.changed), (1, 1));
    assert_eq!(
        store.dossiers().get(&code).unwrap().unwrap().appointment(),
        datetime!(2027-10-13 09:00 +07:00)
    );
    assert!(store.verify().unwrap().is_clean());
}

/// Applying announcements to a store with history gives exactly the store that had
/// them from the start: the same dossiers and the same reports and backlogs.
#[test]
fn applying_later_equals_announcing_first_on_random_histories() {
    let mut changed = 0;
    for seed in 0..6u64 {
        let mut rng = common::Rng::new(seed);
        let ops = common::Script::ops(900 + seed, time::Duration::minutes(47), 250);
        // Days off on random weekdays and worked Saturdays in the scripts' January 2024.
        let mut off = Vec::new();
        let mut worked = Vec::new();
        for day in 1..=31u8 {
            let date = time::Date::from_calendar_date(2024, time::Month::January, day).unwrap();
            match date.weekday() {
                time::Weekday::Saturday if rng.chance(30) => worked.push(date),
                time::Weekday::Saturday | time::Weekday::Sunday => {}
                _ if rng.chance(15) => off.push(date),
                _ => {}
            }
        }
        if off.is_empty() && worked.is_empty() {
            off.push(date!(2024 - 01 - 03));
        }
        let scope = if rng.chance(50) {
            AnnouncementScope::Country
        } else {
            AnnouncementScope::Agency(common::agency(common::RECEIVERS[rng.below(6) as usize]))
        };
        let a = CalendarAnnouncement::new(scope, "Thông báo (ngẫu nhiên)", off, worked).unwrap();

        let later = Store::temporary().unwrap();
        common::insert_catalogue(&later);
        for op in &ops {
            op.apply(&later).unwrap();
        }
        changed += later.calendar_announcements().apply(&a, |_| {}).unwrap().changed;

        let first = Store::temporary().unwrap();
        common::insert_catalogue(&first);
        first.calendar_announcements().add(&a).unwrap();
        for op in &ops {
            op.apply(&first).unwrap();
        }
        let all = |s: &Store| s.dossiers().iter().collect::<cchc::Result<Vec<_>>>().unwrap();
        assert_eq!(all(&later), all(&first), "seed {seed}");
        assert!(later.verify().unwrap().is_clean(), "seed {seed}");
        for rule in [ClockRule::Restart, ClockRule::Subtract] {
            for period in [common::all_time(), Period::month(2024, 1).unwrap()] {
                assert_eq!(
                    later.report_with(&Scope::All, period, rule).unwrap(),
                    first.report_with(&Scope::All, period, rule).unwrap(),
                    "seed {seed}"
                );
            }
            // Inside days too: the intraday index is re-derived with the counters.
            for at in [datetime!(2024-01-04 10:30 +07:00), datetime!(2024-01-11 16:45 +07:00)] {
                assert_eq!(
                    later.backlog_at(&Scope::All, at, rule).unwrap(),
                    first.backlog_at(&Scope::All, at, rule).unwrap(),
                    "seed {seed} {at}"
                );
            }
            for day in [date!(2024 - 01 - 05), date!(2024 - 01 - 12), date!(2024 - 01 - 20)] {
                assert_eq!(
                    later.backlog(&Scope::All, day, rule).unwrap(),
                    first.backlog(&Scope::All, day, rule).unwrap()
                );
            }
        }
    }
    assert!(changed >= 20, "the announcements moved only {changed} dossiers");
}

/// The late-apology rule is Decree 61/2018 Art. 19(9) (kept by Decree 118/2025): the
/// apology is due "chậm nhất 01 ngày trước ngày hết hạn", a calendar day. A dossier of 8
/// working hours received on Friday 7 March 2025 at 10:00 is due on Monday 10 March at
/// 10:00 (1.5 h + 4 h on Friday, 2.5 h on Monday morning).
#[test]
fn an_apology_is_late_from_the_due_day_on() {
    let store = Store::temporary().unwrap();
    common::insert_catalogue(&store);
    let cases = [
        (datetime!(2025-03-07 16:00 +07:00), false), // Friday, both rules agree
        (datetime!(2025-03-09 20:00 +07:00), false), // Sunday, the calendar day before
        (datetime!(2025-03-10 08:00 +07:00), true),  // Monday, the due day itself
    ];
    for (i, (at, late)) in cases.into_iter().enumerate() {
        let code = DossierCode::compose(
            &common::agency(common::PROVINCE),
            date!(2025 - 03 - 07),
            i as u16 + 1,
        )
        .unwrap();
        let d = store
            .dossiers()
            .receive(&NewDossier {
                code: code.clone(),
                procedure: common::procedure_code(common::PROCEDURES[1]),
                agency: common::agency(common::PROVINCE),
                channel: Channel::Direct,
                received_at: datetime!(2025-03-07 10:00 +07:00),
                digitised: false,
                reused_data: false,
                receiving: None,
                portal: None,
                rule_set: None,
            })
            .unwrap();
        assert_eq!(d.appointment(), datetime!(2025-03-10 10:00 +07:00));
        let d = store
            .dossiers()
            .extend(&code, at, datetime!(2025-03-14 10:00 +07:00), "chờ ý kiến Sở")
            .unwrap();
        assert_eq!(d.late_apology(), late, "apology at {at}");
    }
    let r = store.report(&Scope::All, Period::month(2025, 3).unwrap()).unwrap();
    assert_eq!(r.late_apologies, 1);
}
