//! Scopes never depend on the agency identifier inside a dossier code (issue 12 §3):
//! a provincial service centre numbers the dossiers it receives for a department with
//! its own identifier, and they count for the department. And the backlog at any
//! instant, read from the counters and the intraday index, equals the slow fold.

use cchc::*;
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::fixtures::{Fixture, at, code, province};

/// The province fixture plus the provincial service centre (Trung tâm Phục vụ hành
/// chính công), `000.00.50.H49`, which receives dossiers for the departments.
fn province_with_centre() -> (Fixture, AgencyCode) {
    let mut f = province();
    let centre = code("000.00.50.H49");
    let p = code("000.00.00.H49");
    let agency =
        Agency::department(centre.clone(), "Trung tâm Phục vụ hành chính công tỉnh", &p).unwrap();
    f.store.agencies().insert(&agency).unwrap();
    f.parents.insert(centre.clone(), Some(p));
    f.levels.insert(centre.clone(), agency.level());
    f.agencies.push(centre.clone());
    (f, centre)
}

fn pending_overdue(b: &Backlog) -> (u64, u64, u64, u64) {
    (b.pending, b.not_yet_due, b.overdue, b.waiting)
}

/// The reproduction of issue 12: `000.00.50.H49-230212-0001` received for agency
/// `000.00.01.H49`, 7 working days, no events. Before the fix the backlog of the agency
/// was 1 at 00:00 (counters) and 0 one second later (a prefix scan of the codes).
#[test]
fn a_dossier_numbered_by_the_service_centre_counts_for_its_agency_at_every_instant() {
    let store = Store::temporary().unwrap();
    let p = code("000.00.00.H49");
    let agency = code("000.00.01.H49");
    let centre = code("000.00.50.H49");
    store.agencies().insert(&Agency::province(p.clone(), "UBND tỉnh Quảng Nam").unwrap()).unwrap();
    store
        .agencies()
        .insert(&Agency::department(agency.clone(), "Sở Tư pháp", &p).unwrap())
        .unwrap();
    store
        .agencies()
        .insert(&Agency::department(centre.clone(), "Trung tâm Phục vụ HCC", &p).unwrap())
        .unwrap();
    let procedure = Procedure::builder(
        ProcedureCode::new("1.001193").unwrap(),
        "Thủ tục thử",
        Field::new("Đất đai").unwrap(),
        TimeLimit::working_days(7),
    )
    .build()
    .unwrap();
    store.procedures().insert(&procedure).unwrap();
    let code = DossierCode::new("000.00.50.H49-230212-0001").unwrap();
    let dossier = store
        .dossiers()
        .receive(&NewDossier {
            code: code.clone(),
            procedure: procedure.code().clone(),
            agency: agency.clone(),
            channel: Channel::Direct,
            received_at: datetime!(2023-02-12 09:00 +07:00),
            digitised: false,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: None,
        })
        .unwrap();
    // Received Sunday 12/2: the clock starts Monday 13/2 08:00; 7 working days of
    // 8 hours end on the 7th working day, Tuesday 21/2, at 17:00.
    assert_eq!(dossier.appointment(), datetime!(2023-02-21 17:00 +07:00));

    let rule = ClockRule::Restart;
    let agency_scope = Scope::agency(&agency);
    let cases = [
        // (instant, pending, not yet due, overdue, waiting)
        (datetime!(2023-02-12 09:00 +07:00), (0, 0, 0, 0)),
        (datetime!(2023-02-12 09:00:00.000000001 +07:00), (1, 1, 0, 0)),
        (datetime!(2023-02-21 17:00 +07:00), (1, 1, 0, 0)),
        (datetime!(2023-02-21 17:00:00.000000001 +07:00), (1, 0, 1, 0)),
        (datetime!(2023-02-28 00:00 +07:00), (1, 0, 1, 0)),
        (datetime!(2023-02-28 00:00:01 +07:00), (1, 0, 1, 0)),
        (datetime!(2023-02-28 10:30 +07:00), (1, 0, 1, 0)),
    ];
    for (instant, want) in cases {
        let got = store.backlog_at(&agency_scope, instant, rule).unwrap();
        assert_eq!(pending_overdue(&got), want, "agency at {instant}");
        let got = store.backlog_at(&Scope::subtree(&p), instant, rule).unwrap();
        assert_eq!(pending_overdue(&got), want, "province at {instant}");
        // The centre only numbered it.
        let got = store.backlog_at(&Scope::agency(&centre), instant, rule).unwrap();
        assert_eq!(pending_overdue(&got), (0, 0, 0, 0), "centre at {instant}");
    }
    let listed: Vec<DossierCode> = store
        .dossiers()
        .in_scope(&agency_scope)
        .unwrap()
        .map(|d| d.unwrap().code().clone())
        .collect();
    assert_eq!(listed, std::slice::from_ref(&code));
    assert_eq!(store.dossiers().in_scope(&Scope::agency(&centre)).unwrap().count(), 0);
    assert!(store.verify().unwrap().is_clean());

    // Resolved on Tuesday 28/2 at 10:00: the backlog empties at that instant, not at
    // the next midnight.
    store
        .dossiers()
        .resolve(&code, datetime!(2023-02-28 10:00 +07:00), ResultForm::Electronic)
        .unwrap();
    let before = store.backlog_at(&agency_scope, datetime!(2023-02-28 10:00 +07:00), rule).unwrap();
    let after =
        store.backlog_at(&agency_scope, datetime!(2023-02-28 10:00:01 +07:00), rule).unwrap();
    assert_eq!((pending_overdue(&before), pending_overdue(&after)), ((1, 0, 1, 0), (0, 0, 0, 0)));
    assert!(store.verify().unwrap().is_clean());
}

#[derive(Debug, Clone)]
struct Plan {
    agency: usize,
    /// The agency whose identifier opens the code; often not `agency`.
    code_agency: usize,
    procedure: usize,
    day: i64,
    minute: i64,
    actions: Vec<(i64, u8, i64)>,
}

fn plan(agencies: usize) -> impl Strategy<Value = Plan> {
    (
        0..agencies,
        prop_oneof![Just(None), (0..agencies).prop_map(Some)],
        0usize..3,
        0i64..40,
        0i64..1440,
        proptest::collection::vec((0i64..6_000, 0u8..14, 0i64..20_000), 0..6),
    )
        .prop_map(move |(agency, code_agency, procedure, day, minute, actions)| Plan {
            agency,
            // Mostly the service centre (the last agency) or another agency.
            code_agency: code_agency.unwrap_or(agencies - 1),
            procedure,
            day,
            minute,
            actions,
        })
}

type History = (NewDossier, Vec<(OffsetDateTime, Action)>);

/// Writes the plans one call at a time (rejected actions are skipped); returns the
/// accepted histories.
fn write(f: &Fixture, plans: &[Plan]) -> Vec<History> {
    let mut seq = std::collections::HashMap::new();
    let mut histories = Vec::new();
    for p in plans {
        let agency = f.agencies[p.agency].clone();
        let numbered_by = f.agencies[p.code_agency].clone();
        let received_at = at(p.day, p.minute);
        let n = seq.entry((numbered_by.clone(), vietnam_date(received_at))).or_insert(0u16);
        *n += 1;
        let new = NewDossier {
            code: DossierCode::compose(&numbered_by, vietnam_date(received_at), *n).unwrap(),
            procedure: f.procedures[p.procedure].clone(),
            agency,
            channel: Channel::Direct,
            received_at,
            digitised: false,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: None,
        };
        let mut dossier = f.store.dossiers().receive(&new).unwrap();
        let mut accepted = Vec::new();
        let mut t = received_at;
        for &(delay, kind, extra) in &p.actions {
            t += Duration::minutes(delay) + Duration::nanoseconds(extra % 1000);
            let a = super::reports::action(f, &dossier, t, kind, extra);
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

/// The instants to probe: random ones (midnights included), and every instant at
/// which some dossier's state can change, with the nanoseconds around it.
fn instants(dossiers: &[Dossier], random: &[(i64, i64)]) -> Vec<OffsetDateTime> {
    let mut out: Vec<OffsetDateTime> = random
        .iter()
        .map(|&(day, nanos)| {
            // One in four probes is a midnight.
            let nanos = if nanos % 4 == 0 { 0 } else { nanos };
            at(day, 0) + Duration::nanoseconds(nanos)
        })
        .collect();
    for d in dossiers.iter().take(3) {
        let mut edges =
            vec![d.received_at(), d.due(ClockRule::Restart), d.due(ClockRule::Subtract)];
        edges.extend(d.events().iter().map(|e| e.at));
        for t in edges {
            out.extend([t - Duration::NANOSECOND, t, t + Duration::NANOSECOND]);
        }
    }
    out
}

fn check(f: &Fixture, dossiers: &[Dossier], instants: &[OffsetDateTime]) {
    for scope in super::reports::scopes(f) {
        let in_scope: Vec<&Dossier> = dossiers.iter().filter(|d| f.in_scope(d, &scope)).collect();
        for &t in instants {
            for rule in [ClockRule::Restart, ClockRule::Subtract] {
                let fast = f.store.backlog_at(&scope, t, rule).unwrap();
                let slow = Backlog::from_dossiers(in_scope.iter().copied(), t, rule);
                assert_eq!(fast, slow, "{scope:?} at {t} ({rule:?})");
            }
        }
        let scanned: Vec<Dossier> =
            f.store.dossiers().in_scope(&scope).unwrap().map(Result::unwrap).collect();
        assert_eq!(scanned.iter().collect::<Vec<_>>(), in_scope, "{scope:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn backlog_at_any_instant_equals_the_slow_fold_whatever_the_code_says(
        plans in proptest::collection::vec(plan(9), 1..30),
        random in proptest::collection::vec((-2i64..60, 0i64..86_400_000_000_000), 16),
    ) {
        let (f, _) = province_with_centre();
        prop_assert_eq!(f.agencies.len(), 9);
        let histories = write(&f, &plans);
        let dossiers = f.dossiers();
        let probes = instants(&dossiers, &random);
        check(&f, &dossiers, &probes);
        let report = f.store.verify().unwrap();
        prop_assert!(report.is_clean(), "{report:?}");

        // The same histories through the bulk importer, then a rebuild: same answers.
        let (g, _) = province_with_centre();
        let mut importer = g.store.dossiers().importer().batch_size(5);
        for (new, actions) in histories {
            importer.dossier(new, actions).unwrap();
        }
        importer.finish().unwrap();
        prop_assert_eq!(&g.dossiers(), &dossiers);
        check(&g, &dossiers, &probes);
        prop_assert!(g.store.verify().unwrap().is_clean());
        g.store.rebuild().unwrap();
        prop_assert!(g.store.verify().unwrap().is_clean());
        check(&g, &dossiers, &probes);
    }
}
