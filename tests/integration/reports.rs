//! The acceptance test of the maintained counters: on random histories, every
//! report and backlog read from counters equals the slow fold over the dossiers.

use cchc::model::time_limit::start_of_day;
use cchc::*;
use proptest::prelude::*;
use time::{Duration, OffsetDateTime};

use crate::fixtures::{Fixture, at, province};

#[derive(Debug, Clone)]
struct Plan {
    agency: usize,
    procedure: usize,
    channel: u8,
    day: i64,
    minute: i64,
    digitised: bool,
    reused: bool,
    actions: Vec<(i64, u8, i64)>,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        0usize..8,
        0usize..3,
        0u8..3,
        0i64..150,
        0i64..1440,
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec((0i64..12_000, 0u8..14, 0i64..20_000), 0..7),
    )
        .prop_map(|(agency, procedure, channel, day, minute, digitised, reused, actions)| {
            Plan { agency, procedure, channel, day, minute, digitised, reused, actions }
        })
}

/// The action of `kind` on `d` at `at` (also the scopes tests' generator).
pub(crate) fn action(f: &Fixture, d: &Dossier, at: OffsetDateTime, kind: u8, extra: i64) -> Action {
    match kind {
        0 | 10 => Action::RequestSupplement { reason: "bổ sung giấy tờ".into() },
        1 => Action::Supplement,
        2 => Action::Extend {
            // After the due instant, and not before the apology itself.
            new_appointment: d.due(ClockRule::Restart).max(at) + Duration::minutes(extra + 1),
            reason: "xin lỗi".into(),
        },
        3 => Action::Transfer { to: f.agencies[(extra as usize) % f.agencies.len()].clone() },
        4 => Action::Refuse { reason: "không đủ điều kiện".into() },
        5 | 6 => Action::Resolve { e_result: extra % 2 == 0 },
        7 => Action::ReturnResult,
        // Each rule set's way out for the applicant (the other is refused).
        8 => match d.rules().applicant_exit {
            cchc::model::rules::ApplicantExit::Withdraw => Action::Withdraw,
            cchc::model::rules::ApplicantExit::Stop => Action::Stop,
        },
        11 => Action::CloseUnsupplemented,
        12 => Action::Withdraw,
        13 => Action::Stop,
        _ => Action::Pay { online: extra % 3 != 0 },
    }
}

type History = (NewDossier, Vec<(time::OffsetDateTime, Action)>);

/// Writes the plans one call at a time (rejected actions are skipped) and returns the
/// accepted histories.
fn write_one_by_one(f: &Fixture, plans: &[Plan]) -> Vec<History> {
    let mut seq = std::collections::HashMap::new();
    let mut histories = Vec::new();
    for p in plans {
        let agency = f.agencies[p.agency].clone();
        let received_at = at(p.day, p.minute);
        let n = seq.entry((agency.clone(), received_at.date())).or_insert(0u16);
        *n += 1;
        let new = NewDossier {
            code: DossierCode::compose(&agency, vietnam_date(received_at), *n).unwrap(),
            procedure: f.procedures[p.procedure].clone(),
            agency,
            channel: [Channel::Direct, Channel::Online, Channel::Postal][p.channel as usize],
            received_at,
            digitised: p.digitised,
            reused_data: p.reused,
            receiving: None,
            portal: None,
            rule_set: None,
        };
        let mut dossier = f.store.dossiers().receive(&new).unwrap();
        let mut accepted = Vec::new();
        let mut t = received_at;
        for &(delay, kind, extra) in &p.actions {
            t += Duration::minutes(delay);
            let a = action(f, &dossier, t, kind, extra);
            match f.store.dossiers().record(&new.code, t, a.clone()) {
                Ok(d) => {
                    dossier = d;
                    accepted.push((t, a));
                }
                Err(Error::InvalidTransition { .. }) => {}
                Err(e) => panic!("unexpected error {e}"),
            }
        }
        histories.push((new, accepted));
    }
    histories
}

/// Every scope kind over the fixture (also used by the scopes tests).
pub(crate) fn scopes(f: &Fixture) -> Vec<Scope> {
    let mut s = vec![Scope::All];
    for a in &f.agencies {
        s.push(Scope::agency(a));
        s.push(Scope::subtree(a));
    }
    s.extend(Level::ALL.map(Scope::Level));
    s.extend(f.fields.iter().cloned().map(Scope::Field));
    s.extend(f.procedures.iter().cloned().map(Scope::Procedure));
    s
}

fn check_against_reference(f: &Fixture, dossiers: &[Dossier], queries: &[(usize, i64, i64, bool)]) {
    let scopes = scopes(f);
    for &(scope_index, from, len, subtract) in queries {
        let scope = &scopes[scope_index % scopes.len()];
        let rule = if subtract { ClockRule::Subtract } else { ClockRule::Restart };
        let from_day = vietnam_date(at(from, 0));
        let period = Period::new(from_day, from_day + Duration::days(len)).unwrap();
        let in_scope: Vec<&Dossier> = dossiers.iter().filter(|d| f.in_scope(d, scope)).collect();
        let fast = f.store.report_with(scope, period, rule).unwrap();
        let slow = OneStopReport::from_dossiers(in_scope.iter().copied(), period, rule);
        assert_eq!(fast, slow, "scope {scope:?} period {period}");
        // DOMAIN.md §2.2: every dossier to handle ends the period in exactly one column.
        assert_eq!(
            fast.received_total(),
            fast.resolved_total()
                + fast.in_progress_total()
                + fast.waiting_supplement
                + fast.refused
                + fast.withdrawn
                + fast.closed_unsupplemented
                + fast.stopped
        );
        assert!(fast.received_total() >= fast.resolved_total() + fast.in_progress_total());
        let as_of = period.to();
        let backlog = f.store.backlog(scope, as_of, rule).unwrap();
        let slow_backlog =
            Backlog::from_dossiers(in_scope.iter().copied(), start_of_day(period.end_day()), rule);
        assert_eq!(backlog, slow_backlog, "backlog {scope:?} at {as_of}");
        assert_eq!(backlog.pending, fast.in_progress_total() + fast.waiting_supplement);
        // Between midnights the store folds the scope's dossiers.
        let instant = at(from + len, 13 * 60 + 7);
        assert_eq!(
            f.store.backlog_at(scope, instant, rule).unwrap(),
            Backlog::from_dossiers(in_scope.iter().copied(), instant, rule)
        );
        let scanned: Vec<Dossier> =
            f.store.dossiers().in_scope(scope).unwrap().map(Result::unwrap).collect();
        assert_eq!(scanned.iter().collect::<Vec<_>>(), in_scope);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn counters_equal_the_slow_fold_on_random_histories(
        plans in proptest::collection::vec(plan(), 1..45),
        queries in proptest::collection::vec((0usize..64, -10i64..220, 0i64..130, any::<bool>()), 12),
    ) {
        let f = province();
        let histories = write_one_by_one(&f, &plans);
        let dossiers = f.dossiers();
        check_against_reference(&f, &dossiers, &queries);
        let report = f.store.verify().unwrap();
        prop_assert!(report.is_clean(), "{report:?}");

        // The same histories through the bulk importer give the same store.
        let g = province();
        let mut importer = g.store.dossiers().importer().batch_size(7);
        for (new, actions) in histories {
            importer.dossier(new, actions).unwrap();
        }
        importer.finish().unwrap();
        let imported = g.dossiers();
        prop_assert_eq!(&imported, &dossiers);
        check_against_reference(&g, &imported, &queries);
        prop_assert!(g.store.verify().unwrap().is_clean());
    }
}

#[test]
fn merged_reports_of_two_districts_equal_the_report_of_both() {
    let f = province();
    let plans: Vec<Plan> = (0..40)
        .map(|i| Plan {
            agency: 3 + (i % 5),
            procedure: i % 3,
            channel: (i % 3) as u8,
            day: (i * 3) as i64,
            minute: 480 + (i * 7) as i64,
            digitised: i % 2 == 0,
            reused: false,
            actions: vec![(60 * 24 * (i as i64 % 6), 5, i as i64)],
        })
        .collect();
    write_one_by_one(&f, &plans);
    let period = Period::new(vietnam_date(at(0, 0)), vietnam_date(at(120, 0))).unwrap();
    let a = f.store.report(&Scope::subtree(&f.agencies[3]), period).unwrap();
    let b = f.store.report(&Scope::subtree(&f.agencies[4]), period).unwrap();
    let district_level = f.store.report(&Scope::Level(Level::District), period).unwrap();
    let communes = f.store.report(&Scope::Level(Level::Commune), period).unwrap();
    let mut districts = a;
    districts.merge(b).unwrap();
    let mut by_level = district_level;
    by_level.merge(communes).unwrap();
    assert_eq!(districts, by_level);
    assert_eq!(OneStopReport::merge_all([a, b]).unwrap(), Some(districts));
    assert_eq!(districts.received_total(), 40);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The national view: two provinces' stores merge into the report and backlog of
    /// all their dossiers, and one store's reports of consecutive periods join into
    /// the report of the joined period, both equal to the slow fold.
    #[test]
    fn merged_stores_and_joined_periods_equal_the_slow_fold(
        north in proptest::collection::vec(plan(), 1..30),
        south in proptest::collection::vec(plan(), 1..30),
        from in -10i64..150,
        first_len in 0i64..60,
        second_len in 0i64..60,
        subtract in any::<bool>(),
    ) {
        let rule = if subtract { ClockRule::Subtract } else { ClockRule::Restart };
        let (n, s) = (province(), province());
        write_one_by_one(&n, &north);
        write_one_by_one(&s, &south);
        let from_day = vietnam_date(at(from, 0));
        let mid = from_day + Duration::days(first_len);
        let first = Period::new(from_day, mid).unwrap();
        let second = Period::new(mid.next_day().unwrap(), mid + Duration::days(1 + second_len)).unwrap();
        let whole = Period::new(first.from(), second.to()).unwrap();
        let (n_dossiers, s_dossiers) = (n.dossiers(), s.dossiers());
        let both: Vec<&Dossier> = n_dossiers.iter().chain(&s_dossiers).collect();

        let mut national = n.store.report_with(&Scope::All, whole, rule).unwrap();
        national.merge(s.store.report_with(&Scope::All, whole, rule).unwrap()).unwrap();
        prop_assert_eq!(national, OneStopReport::from_dossiers(both.iter().copied(), whole, rule));

        let mut joined = n.store.report_with(&Scope::All, first, rule).unwrap();
        joined.join(n.store.report_with(&Scope::All, second, rule).unwrap()).unwrap();
        prop_assert_eq!(joined, OneStopReport::from_dossiers(&n_dossiers, whole, rule));
        // Joined the other way round, or merged across periods: refused.
        let mut later = n.store.report_with(&Scope::All, second, rule).unwrap();
        prop_assert!(later.join(joined).is_err());
        prop_assert!(later.merge(joined).is_err());

        let mut backlog = n.store.backlog(&Scope::All, whole.to(), rule).unwrap();
        backlog.merge(s.store.backlog(&Scope::All, whole.to(), rule).unwrap()).unwrap();
        prop_assert_eq!(
            backlog,
            Backlog::from_dossiers(both.iter().copied(), whole.end_instant(), rule)
        );
    }
}

#[test]
fn rebuild_is_idempotent_and_keeps_reports() {
    let f = province();
    let plans: Vec<Plan> = (0..12)
        .map(|i| Plan {
            agency: i % 8,
            procedure: i % 3,
            channel: 1,
            day: i as i64,
            minute: 600,
            digitised: true,
            reused: true,
            actions: vec![(30, 0, 0), (600, 1, 0), (4000, 5, 0)],
        })
        .collect();
    write_one_by_one(&f, &plans);
    let period = Period::year(2025).unwrap();
    let before = f.store.report(&Scope::All, period).unwrap();
    assert!(f.store.verify().unwrap().is_clean());
    f.store.rebuild().unwrap();
    f.store.rebuild().unwrap();
    assert!(f.store.verify().unwrap().is_clean());
    assert_eq!(f.store.report(&Scope::All, period).unwrap(), before);
}
