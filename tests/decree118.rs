//! The rules of 1 July 2025 (issue 20): the rule set follows the receipt date and is
//! stored with the dossier; Decree 118/2025 closes a dossier whose supplement never
//! came (Art. 19(5)) and lets the applicant stop the procedure (Art. 21), Decree 61
//! does neither; a report that straddles the date counts each dossier under its own
//! rules; older backups restore as Decree 61. Values worked by hand (working time
//! 07:30–11:30, 13:00–17:00; no holiday in June–July 2025 but none needed).

mod common;

use cchc::model::dossier::ResultForm;
use cchc::model::rules::{RuleSet, RuleSetId};
use cchc::{
    AgencyCode, Channel, ClockRule, DossierCode, Error, NewDossier, Period, ProcedureCode, Scope,
    Store,
};
use time::OffsetDateTime;
use time::macros::{date, datetime};

fn code(s: &str) -> AgencyCode {
    AgencyCode::new(s).unwrap()
}

/// Province P, department D, and a commune service centre X.
fn store() -> Store {
    let store = Store::temporary().unwrap();
    common::insert_small_province(&store);
    store
}

fn receive(store: &Store, seq: u16, at: OffsetDateTime) -> cchc::Result<cchc::Dossier> {
    receive_with(store, seq, at, None, None)
}

fn receive_with(
    store: &Store,
    seq: u16,
    at: OffsetDateTime,
    rule_set: Option<RuleSetId>,
    receiving: Option<AgencyCode>,
) -> cchc::Result<cchc::Dossier> {
    let department = code("000.00.01.H49");
    store.dossiers().receive(&NewDossier {
        code: DossierCode::compose(&department, cchc::vietnam_date(at), seq).unwrap(),
        procedure: ProcedureCode::new("1.004227").unwrap(),
        agency: department,
        channel: Channel::Direct,
        received_at: at,
        digitised: false,
        reused_data: false,
        receiving,
        portal: None,
        rule_set,
    })
}

#[test]
fn the_rule_set_follows_the_vietnam_receipt_date() {
    let store = store();
    // 23:59 on 30 June in Vietnam is still Decree 61; 00:00 on 1 July is Decree 118.
    let last_61 = receive(&store, 1, datetime!(2025-06-30 16:59 UTC)).unwrap();
    let first_118 = receive(&store, 1, datetime!(2025-06-30 17:00 UTC)).unwrap();
    assert_eq!(last_61.rules().id, RuleSetId::Decree61);
    assert_eq!(first_118.rules().id, RuleSetId::Decree118);
    // Asked for: Decree 118 before it begins is refused; Decree 61 after is accepted.
    match receive_with(
        &store,
        2,
        datetime!(2025-06-30 09:00 +07:00),
        Some(RuleSetId::Decree118),
        None,
    ) {
        Err(Error::InvalidInput { field: "dossier.rule_set", .. }) => {}
        other => panic!("expected a rule-set error, got {other:?}"),
    }
    let legacy = receive_with(
        &store,
        3,
        datetime!(2025-07-02 09:00 +07:00),
        Some(RuleSetId::Decree61),
        None,
    )
    .unwrap();
    assert_eq!(legacy.rules().id, RuleSetId::Decree61);
    // Stored: a reopened or re-read dossier keeps it.
    let again = store.dossiers().get(first_118.code()).unwrap().unwrap();
    assert_eq!(again.rules().id, RuleSetId::Decree118);
    assert_eq!(RuleSet::in_force_on(date!(2025 - 07 - 01)).decree, "118/2025/NĐ-CP");
}

/// Decree 118 Art. 19(5): 15 calendar days after the notice, counted from the next day
/// (Civil Code Art. 147(3)), ending with the next working day when the last one is a
/// day off (Art. 148(5)). Notice Wednesday 2/7 → last day Thursday 17/7 → closing
/// from Friday 18/7 is in time. Notice Friday 4/7 → day 15 is Saturday 19/7 → the
/// period ends Monday 21/7 → closing on Monday is early, on Tuesday 22/7 in time.
#[test]
fn a_decree_118_dossier_is_closed_fifteen_days_after_the_notice() {
    let store = store();
    let cases = [
        (datetime!(2025-07-02 10:00 +07:00), datetime!(2025-07-18 08:00 +07:00), false),
        (datetime!(2025-07-02 10:00 +07:00), datetime!(2025-07-17 16:00 +07:00), true),
        (datetime!(2025-07-04 10:00 +07:00), datetime!(2025-07-21 16:00 +07:00), true),
        (datetime!(2025-07-04 10:00 +07:00), datetime!(2025-07-22 08:00 +07:00), false),
    ];
    for (i, (notice, close, early)) in cases.into_iter().enumerate() {
        let d = receive(&store, 10 + i as u16, datetime!(2025-07-01 09:00 +07:00)).unwrap();
        store.dossiers().request_supplement(d.code(), notice, "thiếu tờ khai").unwrap();
        let closed =
            store.dossiers().record(d.code(), close, cchc::Action::CloseUnsupplemented).unwrap();
        assert_eq!(closed.status(), cchc::model::dossier::DossierStatus::ClosedUnsupplemented);
        assert_eq!(closed.finished_at(), Some(close.to_offset(time::UtcOffset::UTC)));
        let flagged = closed.events().iter().any(|e| {
            e.kind == cchc::model::dossier::EventKind::ClosedUnsupplemented { early: true }
        });
        assert_eq!(flagged, early, "notice {notice}, closed {close}");
        // Closed is closed.
        assert!(matches!(
            store.dossiers().supplement(d.code(), close + time::Duration::hours(1)),
            Err(Error::InvalidTransition { .. })
        ));
    }
    // Nothing awaited: nothing to close.
    let d = receive(&store, 20, datetime!(2025-07-01 09:00 +07:00)).unwrap();
    assert!(matches!(
        store.dossiers().record(
            d.code(),
            datetime!(2025-07-02 09:00 +07:00),
            cchc::Action::CloseUnsupplemented
        ),
        Err(Error::InvalidTransition { reason: "no supplement was requested", .. })
    ));
    assert!(store.verify().unwrap().is_clean());
}

#[test]
fn decree_61_has_no_closure_and_no_stop_and_decree_118_no_withdrawal() {
    let store = store();
    // Received under Decree 61, the closure comes after 1 July: still Decree 61.
    let d61 = receive(&store, 1, datetime!(2025-06-27 09:00 +07:00)).unwrap();
    store
        .dossiers()
        .request_supplement(d61.code(), datetime!(2025-06-30 10:00 +07:00), "thiếu")
        .unwrap();
    let err = store
        .dossiers()
        .record(d61.code(), datetime!(2025-07-16 09:00 +07:00), cchc::Action::CloseUnsupplemented)
        .unwrap_err();
    assert!(err.to_string().contains("Decree 61/2018 has no closure"), "{err}");
    assert!(matches!(
        store.dossiers().record(d61.code(), datetime!(2025-07-16 09:00 +07:00), cchc::Action::Stop),
        Err(Error::InvalidTransition { .. })
    ));
    store.dossiers().withdraw(d61.code(), datetime!(2025-07-16 09:00 +07:00)).unwrap();

    let d118 = receive(&store, 1, datetime!(2025-07-02 09:00 +07:00)).unwrap();
    let err =
        store.dossiers().withdraw(d118.code(), datetime!(2025-07-03 09:00 +07:00)).unwrap_err();
    assert!(err.to_string().contains("use stop"), "{err}");
    let stopped = store
        .dossiers()
        .record(d118.code(), datetime!(2025-07-03 10:00 +07:00), cchc::Action::Stop)
        .unwrap();
    assert_eq!(stopped.status(), cchc::model::dossier::DossierStatus::Stopped);
    // Stopping is possible until the decision, not after it.
    let resolved = receive(&store, 2, datetime!(2025-07-02 09:00 +07:00)).unwrap();
    store
        .dossiers()
        .resolve(resolved.code(), datetime!(2025-07-03 15:00 +07:00), ResultForm::Electronic)
        .unwrap();
    assert!(matches!(
        store.dossiers().record(
            resolved.code(),
            datetime!(2025-07-04 09:00 +07:00),
            cchc::Action::Stop
        ),
        Err(Error::InvalidTransition { .. })
    ));
}

/// One agency, direct receipts, Restart rule. S (Decree 61) received Fri 27/6 09:00, due
/// Wed 2/7 09:00 (6.5 h + 8 h + 8 h + 1.5 h), resolved Wed 2/7 08:30 → on time; P
/// (Decree 61) received Mon 30/6 10:00, withdrawn Wed 2/7 10:00; Q (Decree 118)
/// received Tue 1/7 09:00, stopped Wed 2/7 11:00; R (Decree 118) received Tue 1/7
/// 09:00, supplement requested Wed 2/7 10:00, closed Fri 18/7 08:00; T (Decree 118)
/// received Wed 2/7 09:00, due Mon 7/7 09:00, resolved Thu 3/7 15:00 → early.
#[test]
fn a_report_straddling_1_july_counts_each_dossier_under_its_own_rules() {
    let store = store();
    let on_time = receive(&store, 1, datetime!(2025-06-27 09:00 +07:00)).unwrap();
    assert_eq!(on_time.appointment(), datetime!(2025-07-02 09:00 +07:00));
    store
        .dossiers()
        .resolve(on_time.code(), datetime!(2025-07-02 08:30 +07:00), ResultForm::Electronic)
        .unwrap();
    let withdrawn = receive(&store, 1, datetime!(2025-06-30 10:00 +07:00)).unwrap();
    store.dossiers().withdraw(withdrawn.code(), datetime!(2025-07-02 10:00 +07:00)).unwrap();
    let stopped = receive(&store, 1, datetime!(2025-07-01 09:00 +07:00)).unwrap();
    store
        .dossiers()
        .record(stopped.code(), datetime!(2025-07-02 11:00 +07:00), cchc::Action::Stop)
        .unwrap();
    let closed = receive(&store, 2, datetime!(2025-07-01 09:00 +07:00)).unwrap();
    store
        .dossiers()
        .request_supplement(closed.code(), datetime!(2025-07-02 10:00 +07:00), "thiếu")
        .unwrap();
    store
        .dossiers()
        .record(
            closed.code(),
            datetime!(2025-07-18 08:00 +07:00),
            cchc::Action::CloseUnsupplemented,
        )
        .unwrap();
    let early = receive(&store, 1, datetime!(2025-07-02 09:00 +07:00)).unwrap();
    assert_eq!(early.appointment(), datetime!(2025-07-07 09:00 +07:00));
    store
        .dossiers()
        .resolve(early.code(), datetime!(2025-07-03 15:00 +07:00), ResultForm::Electronic)
        .unwrap();

    let all: Vec<cchc::Dossier> = store.dossiers().iter().collect::<cchc::Result<_>>().unwrap();
    let refs: Vec<&cchc::Dossier> = all.iter().collect();
    // (period, received in period, carried over, early, on time, in progress, waiting,
    //  withdrawn, stopped, closed)
    let expected = [
        (Period::month(2025, 6).unwrap(), 2, 0, 0, 0, 2, 0, 0, 0, 0),
        (Period::month(2025, 7).unwrap(), 3, 2, 1, 1, 0, 0, 1, 1, 1),
        (
            Period::new(date!(2025 - 06 - 15), date!(2025 - 07 - 31)).unwrap(),
            5,
            0,
            1,
            1,
            0,
            0,
            1,
            1,
            1,
        ),
        (
            Period::new(date!(2025 - 07 - 01), date!(2025 - 07 - 17)).unwrap(),
            3,
            2,
            1,
            1,
            0,
            1,
            1,
            1,
            0,
        ),
    ];
    for (
        period,
        received,
        carried,
        early,
        on_time,
        in_progress,
        waiting,
        withdrawn,
        stopped,
        closed,
    ) in expected
    {
        let report = store.report(&Scope::All, period).unwrap();
        let got = (
            report.received_in_period(),
            report.carried_over,
            report.resolved_early,
            report.resolved_on_time,
            report.in_progress_total(),
            report.waiting_supplement,
            report.withdrawn,
            report.stopped,
            report.closed_unsupplemented,
        );
        assert_eq!(
            got,
            (received, carried, early, on_time, in_progress, waiting, withdrawn, stopped, closed),
            "{period}"
        );
        assert_eq!(
            report,
            cchc::OneStopReport::from_dossiers(refs.iter().copied(), period, ClockRule::Restart)
        );
    }
    assert!(store.verify().unwrap().is_clean());
}

/// A dossier received for a department by a service centre: stored with both, counted
/// for the department; the receiving point must exist on the receipt day.
#[test]
fn the_receiving_point_is_kept_apart_from_the_resolving_agency() {
    let store = store();
    let centre = code("000.00.50.H49");
    let d = receive_with(&store, 1, datetime!(2025-07-02 09:00 +07:00), None, Some(centre.clone()))
        .unwrap();
    assert_eq!(d.header().agency, code("000.00.01.H49"));
    assert_eq!(d.receiving_point(), &centre);
    assert_eq!(
        store.dossiers().get(d.code()).unwrap().unwrap().header().receiving,
        Some(centre.clone())
    );
    let july = Period::month(2025, 7).unwrap();
    assert_eq!(
        store.report(&Scope::agency(&code("000.00.01.H49")), july).unwrap().received_in_period(),
        1
    );
    assert_eq!(store.report(&Scope::agency(&centre), july).unwrap().received_in_period(), 0);
    // The resolving agency named as its own receiving point is no other point.
    let own = receive_with(
        &store,
        2,
        datetime!(2025-07-02 09:00 +07:00),
        None,
        Some(code("000.00.01.H49")),
    )
    .unwrap();
    assert_eq!(own.header().receiving, None);
    assert!(matches!(
        receive_with(
            &store,
            3,
            datetime!(2025-07-02 09:00 +07:00),
            None,
            Some(code("000.00.77.H49"))
        ),
        Err(Error::NotFound { .. })
    ));
}

/// Backups written before rule sets existed restore every dossier as Decree 61, even
/// one received after 1 July 2025; a current backup keeps each dossier's rule set.
#[test]
fn older_backups_restore_as_decree_61_and_new_ones_keep_the_rule_set() {
    let store = store();
    let d118 = receive(&store, 1, datetime!(2025-07-02 09:00 +07:00)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let manifest = cchc::io::backup::export(&store, dir.path()).unwrap();
    assert_eq!(manifest.version, 5);
    let copy = Store::temporary().unwrap();
    cchc::io::backup::restore(&copy, dir.path()).unwrap();
    assert_eq!(copy.dossiers().get(d118.code()).unwrap().unwrap().rules().id, RuleSetId::Decree118);
    // The same files marked version 4, without the rule_set column.
    let path = dir.path().join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    m["version"] = 4.into();
    std::fs::write(&path, m.to_string()).unwrap();
    let dossiers = dir.path().join("dossiers.jsonl");
    let text =
        std::fs::read_to_string(&dossiers).unwrap().replace(r#","rule_set":"decree_118_2025""#, "");
    assert!(!text.contains("rule_set"), "{text}");
    std::fs::write(&dossiers, text).unwrap();
    let old = Store::temporary().unwrap();
    cchc::io::backup::restore(&old, dir.path()).unwrap();
    assert_eq!(old.dossiers().get(d118.code()).unwrap().unwrap().rules().id, RuleSetId::Decree61);
}

/// The demo province follows the rules: in 2025 its dossiers received from 1 July are
/// stopped (not withdrawn) and closed when never supplied; before, only withdrawn.
#[test]
fn the_demo_follows_decree_118_from_1_july_2025() {
    let store = Store::temporary().unwrap();
    let spec = cchc::demo::DemoSpec { year: 2025, ..cchc::demo::DemoSpec::quang_nam_2023() }
        .with_dossiers(12_000);
    cchc::demo::populate(&store, &spec, |_, _| {}).unwrap();
    let (mut before, mut after) = ((0, 0, 0), (0, 0, 0));
    for d in store.dossiers().iter() {
        let d = d.unwrap();
        let counts = if cchc::vietnam_date(d.received_at()) < date!(2025 - 07 - 01) {
            assert_eq!(d.rules().id, RuleSetId::Decree61);
            assert_eq!(d.header().portal, None);
            &mut before
        } else {
            assert_eq!(d.rules().id, RuleSetId::Decree118);
            // Online means the national portal.
            let online = d.header().channel == Channel::Online;
            assert_eq!(d.header().portal, online.then_some(cchc::model::rules::Portal::National));
            &mut after
        };
        match d.status() {
            cchc::model::dossier::DossierStatus::Withdrawn => counts.0 += 1,
            cchc::model::dossier::DossierStatus::Stopped => counts.1 += 1,
            cchc::model::dossier::DossierStatus::ClosedUnsupplemented => counts.2 += 1,
            _ => {}
        }
    }
    assert!(before.0 > 0 && before.1 == 0 && before.2 == 0, "before 1 July: {before:?}");
    assert!(after.0 == 0 && after.1 > 0 && after.2 > 0, "from 1 July: {after:?}");
    let h2 = Period::new(date!(2025 - 07 - 01), date!(2025 - 12 - 31)).unwrap();
    let report = store.report(&Scope::All, h2).unwrap();
    // Withdrawals in the half-year are of Decree 61 dossiers received before it.
    assert!(report.stopped > 0 && report.closed_unsupplemented > 0, "{report:?}");
    let all: Vec<cchc::Dossier> = store.dossiers().iter().collect::<cchc::Result<_>>().unwrap();
    assert_eq!(report, cchc::OneStopReport::from_dossiers(all.iter(), h2, ClockRule::Restart));
    assert!(store.verify().unwrap().is_clean());
}

/// Decree 118 Art. 15(3): online means the national portal; Art. 40(2): ministry
/// portals until they close before 1 March 2026. Decree 61 Art. 16(3) had the ministry
/// and provincial portals.
#[test]
fn a_portal_must_be_an_online_channel_of_the_dossiers_rule_set() {
    use cchc::model::rules::Portal;
    let store = store();
    let department = code("000.00.01.H49");
    let mut seq = 0u16;
    let mut receive_online = |at: OffsetDateTime, channel: Channel, portal: Option<Portal>| {
        seq += 1;
        store.dossiers().receive(&NewDossier {
            code: DossierCode::compose(&department, cchc::vietnam_date(at), seq).unwrap(),
            procedure: ProcedureCode::new("1.004227").unwrap(),
            agency: department.clone(),
            channel,
            received_at: at,
            digitised: false,
            reused_data: false,
            receiving: None,
            portal,
            rule_set: None,
        })
    };
    let refused = |r: cchc::Result<cchc::Dossier>| {
        matches!(r, Err(Error::InvalidInput { field: "dossier.portal", .. }))
    };
    let online = Channel::Online;
    assert!(refused(receive_online(
        datetime!(2025-07-02 09:00 +07:00),
        online,
        Some(Portal::Province)
    )));
    assert!(
        receive_online(datetime!(2025-06-30 09:00 +07:00), online, Some(Portal::Province)).is_ok()
    );
    assert!(
        receive_online(datetime!(2026-02-27 09:00 +07:00), online, Some(Portal::Ministry)).is_ok()
    );
    assert!(refused(receive_online(
        datetime!(2026-03-02 09:00 +07:00),
        online,
        Some(Portal::Ministry)
    )));
    assert!(refused(receive_online(
        datetime!(2025-07-02 09:00 +07:00),
        online,
        Some(Portal::VNeId)
    )));
    assert!(refused(receive_online(
        datetime!(2025-07-02 09:00 +07:00),
        Channel::Direct,
        Some(Portal::National)
    )));
    let national =
        receive_online(datetime!(2025-07-02 09:00 +07:00), online, Some(Portal::National)).unwrap();
    assert!(receive_online(datetime!(2025-07-02 09:00 +07:00), online, None).is_ok());
    // Stored with the dossier (record V2).
    let again = store.dossiers().get(national.code()).unwrap().unwrap();
    assert_eq!(again.header().portal, Some(Portal::National));
}
