//! Issue 5: every catalogue and reform figure of the seed articles rebuilt from
//! records, plus the edge cases (empty scopes, procedure versions switching inside a
//! period, abolished procedures, bad input that writes nothing).

// The compared floats are exact (integer-valued or exactly representable).
#![allow(clippy::float_cmp)]

use cchc::metrics::catalogue::{CatalogueScope, CatalogueStats, CutThreshold, SavingsLine};
use cchc::metrics::catalogue::{SavingsAccumulator, elapsed_in, quantile};
use cchc::metrics::display::{Lang, format_decimal};
use cchc::metrics::reform::{FeedbackStats, OrganisationChange};
use cchc::model::dossier::{DossierHeader, EventKind, LifecycleEvent};
use cchc::model::feedback::{Feedback, FeedbackId, FeedbackKind, Satisfaction};
use cchc::model::organisation::{OrganisationCounts, OrganisationSnapshot};
use cchc::model::plan::{PlanTask, ReformPlan};
use cchc::model::procedure::{Announcement, AnnouncementKind, OnlineLevel, ProcedureStatus};
use cchc::model::time_limit::TimeUnit;
use cchc::*;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};

const PROVINCE: &str = "000.00.00.H49";
const DEPT: &str = "000.01.00.H49";
const OTHER: &str = "000.00.00.H62";

fn code(n: usize) -> ProcedureCode {
    ProcedureCode::new(&format!("1.{n:06}")).unwrap()
}

fn agency(text: &str) -> AgencyCode {
    AgencyCode::new(text).unwrap()
}

fn field(name: &str) -> Field {
    Field::new(name).unwrap()
}

fn store_with_agencies() -> Store {
    let store = Store::temporary().unwrap();
    store
        .agencies()
        .insert(&Agency::province(agency(PROVINCE), "UBND tỉnh Quảng Nam").unwrap())
        .unwrap();
    store
        .agencies()
        .insert(&Agency::department(agency(DEPT), "Sở Tư pháp", &agency(PROVINCE)).unwrap())
        .unwrap();
    store
        .agencies()
        .insert(&Agency::province(agency(OTHER), "UBND tỉnh Vĩnh Phúc").unwrap())
        .unwrap();
    store
}

fn percent(r: Option<Ratio>, decimals: usize) -> String {
    format_decimal(r.unwrap().percent(), decimals, Lang::En)
}

// ---------------------------------------------------------------- 1. catalogue

/// The Lào Cai catalogue of 2022: 1,972 procedures; 929 cut by at least 30 %;
/// 1,761 online services, 1,374 of them on the national portal. Levels and fields
/// follow `i % 3` and `i % 4`; 171 more procedures are cut by only 20 %.
fn lao_cai_procedure(i: usize) -> Procedure {
    let levels = [Level::Province, Level::District, Level::Commune];
    let fields = ["Hộ tịch", "Đất đai", "Xây dựng", "Giáo dục"];
    let mut b =
        Procedure::builder(code(i), "Thủ tục", field(fields[i % 4]), TimeLimit::working_days(10))
            .levels(&[levels[i % 3]])
            .effective_from(date!(2022 - 01 - 01));
    if i < 929 {
        b = b.reduced_limit(TimeLimit::working_days(7)); // exactly 30 %
    } else if i < 1100 {
        b = b.reduced_limit(TimeLimit::working_days(8)); // 20 %: reduced, not cut enough
    }
    if i < 1761 {
        b = b
            .online(if i.is_multiple_of(2) { OnlineLevel::Full } else { OnlineLevel::Partial })
            .national_portal(i < 1374);
    } else {
        b = b.full_online_eligible(i.is_multiple_of(2));
    }
    if i.is_multiple_of(5) {
        b = b.fee(true, i.is_multiple_of(10));
    }
    b.build().unwrap()
}

#[test]
fn seed_lao_cai_catalogue_cut_and_online_coverage() {
    let store = Store::temporary().unwrap();
    for i in 0..1972 {
        store.procedures().insert(&lao_cai_procedure(i)).unwrap();
    }
    let s = store
        .catalogue_stats(&CatalogueScope::All, date!(2022 - 12 - 13), CutThreshold::default())
        .unwrap();
    assert_eq!(s.total, 1972);
    assert_eq!(s.cut_at_least, 929);
    assert_eq!(s.reduced, 1100);
    assert_eq!(percent(s.cut_share(), 2), "47.11");
    assert_eq!(percent(s.cut_share(), 0), "47");
    assert_eq!((s.online(), s.national_portal), (1761, 1374));
    assert_eq!(percent(s.national_portal_share(), 2), "78.02");
    // i in 0..1972: ⌈1972/3⌉ = 658 with i % 3 == 0, 657 for 1 and 2.
    assert_eq!(s.by_level.get(&Level::Province), Some(&658));
    assert_eq!(s.by_level.get(&Level::District), Some(&657));
    assert_eq!(s.by_level.get(&Level::Commune), Some(&657));
    assert_eq!(s.by_field.get(&field("Hộ tịch")), Some(&493));
    // Full: even i below 1761 → 881; partial 880; eligible adds the 105 even i from 1762 to 1970.
    assert_eq!((s.full_online, s.partial_online, s.full_online_eligible), (881, 880, 986));
    // Fee-bearing: i % 5 == 0 → 395; with online payment i % 10 == 0 → 198.
    assert_eq!((s.fee_bearing, s.online_payment), (395, 198));
    assert_eq!(s.online_payment_share().unwrap().denominator, 395);
    assert!(s.display(Lang::Vi).contains("47,11 % (929/1.972)"), "{}", s.display(Lang::Vi));
    assert!(s.display(Lang::En).contains("78.02 % (1,374/1,761)"));
    assert!(s.to_string().contains("Tích hợp trên Cổng DVCQG"));

    // A 20 % threshold also counts the 171 cut by 20 %; scopes narrow the counts.
    let loose = store
        .catalogue_stats(
            &CatalogueScope::All,
            date!(2022 - 12 - 13),
            CutThreshold::percent(20).unwrap(),
        )
        .unwrap();
    assert_eq!(loose.cut_at_least, 1100);
    let commune = store
        .catalogue_stats(
            &CatalogueScope::Level(Level::Commune),
            date!(2022 - 12 - 13),
            CutThreshold::default(),
        )
        .unwrap();
    assert_eq!(commune.total, 657);
    let land = store
        .catalogue_stats(
            &CatalogueScope::Field(field("Đất đai")),
            date!(2022 - 12 - 13),
            CutThreshold::default(),
        )
        .unwrap();
    assert_eq!(land.total, 493);
    // Before the catalogue took effect nothing is in force: every rate is None.
    let before = store
        .catalogue_stats(&CatalogueScope::All, date!(2021 - 12 - 31), CutThreshold::default())
        .unwrap();
    assert_eq!(before.total, 0);
    assert_eq!(
        (
            before.cut_share(),
            before.online_share(),
            before.full_online_share(),
            before.national_portal_share(),
            before.online_payment_share()
        ),
        (None, None, None, None, None)
    );
    assert!(before.display(Lang::Vi).contains('–'));
    // Serde: JSON round trip.
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<CatalogueStats>(&json).unwrap(), s);
}

#[test]
fn cut_threshold_is_exact_and_validated() {
    let p = |central, reduced| {
        Procedure::builder(code(1), "T", field("F"), TimeLimit::working_days(central))
            .reduced_limit(TimeLimit::working_days(reduced))
            .build()
            .unwrap()
    };
    let t = CutThreshold::default();
    assert!(t.is_met_by(&p(10, 7)));
    assert!(!t.is_met_by(&p(10, 8)));
    assert!(t.is_met_by(&p(20, 14))); // 6/20 = 30 % exactly
    assert!(!t.is_met_by(&p(3, 3)));
    assert!(!t.is_met_by(&p(0, 0)));
    assert!(CutThreshold::new(1, 3).unwrap().is_met_by(&p(3, 2)));
    assert!(matches!(
        CutThreshold::percent(101),
        Err(Error::InvalidInput { field: "cut_threshold", .. })
    ));
    assert!(matches!(
        CutThreshold::new(1, 0),
        Err(Error::InvalidInput { field: "cut_threshold", .. })
    ));
    // A reduced limit longer than the central one (a negative cut) cannot be built.
    let err = Procedure::builder(code(1), "T", field("F"), TimeLimit::working_days(5))
        .reduced_limit(TimeLimit::working_days(6))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "procedure.reduced_limit", .. }));
    let bad: Result<CutThreshold, _> = serde_json::from_str("[5, 4]");
    assert!(bad.is_err());
}

// ------------------------------------------------- 2. announcements and versions

#[test]
fn seed_vinh_phuc_announcements_q1_2025() {
    let store = Store::temporary().unwrap();
    let kinds = [
        (91, AnnouncementKind::New),
        (400, AnnouncementKind::Amended),
        (104, AnnouncementKind::Replaced),
        (62, AnnouncementKind::Abolished),
    ];
    let mut i = 0;
    for (n, kind) in kinds {
        for _ in 0..n {
            let decision = format!("{}/QĐ-UBND", 100 + i % 30);
            let signed = date!(2025 - 01 - 06) + Duration::days((i % 30) as i64 * 2);
            let mut b = Procedure::builder(
                code(i),
                "Thủ tục",
                field("Đất đai"),
                TimeLimit::working_days(10),
            )
            .effective_from(signed)
            .announcement(Announcement {
                number: decision,
                signed,
                effective: signed,
                kind,
            });
            if kind == AnnouncementKind::Abolished {
                b = b.status(ProcedureStatus::Abolished);
            }
            if i == 0 {
                // The same procedure announced new again in another decision of the
                // quarter counts once.
                b = b.announcement(Announcement {
                    number: "101/QĐ-UBND".into(),
                    signed,
                    effective: signed,
                    kind,
                });
            }
            store.procedures().insert(&b.build().unwrap()).unwrap();
            i += 1;
        }
    }
    // A decision of December 2024 is outside the quarter.
    let old = date!(2024 - 12 - 20);
    store
        .procedures()
        .insert(
            &Procedure::builder(code(9000), "Cũ", field("Đất đai"), TimeLimit::working_days(10))
                .effective_from(old)
                .announcement(Announcement {
                    number: "999/QĐ-UBND".into(),
                    signed: old,
                    effective: old,
                    kind: AnnouncementKind::New,
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    let a = store.announcements(Period::quarter(2025, 1).unwrap()).unwrap();
    assert_eq!(a.decisions, 30);
    assert_eq!((a.new, a.amended, a.replaced, a.abolished), (91, 400, 104, 62));
    assert_eq!(a.amended_or_replaced(), 504);
    assert_eq!((a.total(), a.procedures), (657, 657));
    assert!(a.display(Lang::Vi).contains("30; TTHC: 657 (91 mới"), "{}", a.display(Lang::Vi));
    let empty = store.announcements(Period::quarter(2025, 2).unwrap()).unwrap();
    assert_eq!((empty.decisions, empty.total()), (0, 0));
}

fn receive(
    store: &Store,
    n: u32,
    procedure: &ProcedureCode,
    agency_code: &str,
    at: OffsetDateTime,
) -> DossierCode {
    let code = DossierCode::compose(
        &agency(agency_code),
        cchc::vietnam_date(at),
        u16::try_from(n + 1).unwrap(),
    )
    .unwrap();
    store
        .dossiers()
        .receive(&NewDossier {
            code: code.clone(),
            procedure: procedure.clone(),
            agency: agency(agency_code),
            channel: Channel::Online,
            received_at: at,
            digitised: false,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: None,
        })
        .unwrap();
    code
}

#[test]
fn dossiers_are_timed_and_priced_by_the_version_in_force_on_receipt() {
    let store = store_with_agencies();
    let p = code(4227);
    let version = |from: Date, reduced: u32| {
        Procedure::builder(p.clone(), "Cấp phép", field("Xây dựng"), TimeLimit::working_days(10))
            .reduced_limit(TimeLimit::working_days(reduced))
            .effective_from(from)
            .build()
            .unwrap()
    };
    store.procedures().insert(&version(date!(2023 - 01 - 01), 7)).unwrap();
    store.procedures().insert(&version(date!(2023 - 06 - 15), 5)).unwrap();
    // Wednesday 14/6 under 7 working days, Thursday 15/6 under 5.
    let a = receive(&store, 1, &p, DEPT, datetime!(2023-06-14 08:00 +07:00));
    let b = receive(&store, 2, &p, PROVINCE, datetime!(2023-06-15 08:00 +07:00));
    let da = store.dossiers().get(&a).unwrap().unwrap();
    let db = store.dossiers().get(&b).unwrap().unwrap();
    assert_eq!(da.header().limit, TimeLimit::working_days(7));
    assert_eq!(db.header().limit, TimeLimit::working_days(5));
    // 7 working days of 8 hours from Wed 14/6 08:00 = Fri 23/6 08:00; 5 from Thu 15/6 = Thu 22/6.
    assert_eq!(da.appointment(), datetime!(2023-06-23 08:00 +07:00));
    assert_eq!(db.appointment(), datetime!(2023-06-22 08:00 +07:00));
    store
        .dossiers()
        .resolve(&a, datetime!(2023-06-20 10:00 +07:00), ResultForm::Electronic)
        .unwrap();
    store
        .dossiers()
        .resolve(&b, datetime!(2023-06-21 10:00 +07:00), ResultForm::Electronic)
        .unwrap();

    // Saved: 10 − 7 = 3 and 10 − 5 = 5 working days = 64 working hours.
    let period = Period::new(date!(2023 - 06 - 01), date!(2023 - 07 - 31)).unwrap();
    let s = store.savings(&Scope::All, period, 100_000).unwrap();
    assert_eq!((s.total.dossiers, s.total.working_hours), (2, 64));
    assert_eq!(s.total.working_days(), 8.0);
    assert_eq!(s.total.money_vnd, 800_000);
    assert_eq!(s.by_agency.get(&agency(DEPT)).unwrap().money_vnd, 300_000);
    assert_eq!(s.by_agency.get(&agency(PROVINCE)).unwrap().money_vnd, 500_000);
    assert_eq!(s.by_procedure.get(&p).unwrap().dossiers, 2);
    let dept_only = store.savings(&Scope::agency(&agency(DEPT)), period, 100_000).unwrap();
    assert_eq!(dept_only.total.money_vnd, 300_000);
    let subtree = store.savings(&Scope::subtree(&agency(PROVINCE)), period, 100_000).unwrap();
    assert_eq!(subtree.total.money_vnd, 800_000);
    let other = store.savings(&Scope::subtree(&agency(OTHER)), period, 100_000).unwrap();
    assert_eq!(other.total, SavingsLine::default());
    // Resolved in June: nothing saved in May.
    let may = store.savings(&Scope::All, Period::month(2023, 5).unwrap(), 100_000).unwrap();
    assert_eq!(may.total.dossiers, 0);
    assert!(matches!(
        store.savings(&Scope::agency(&agency("000.99.00.H49")), period, 1),
        Err(Error::NotFound { kind: RecordKind::Agency, .. })
    ));
    assert!(
        s.display(Lang::Vi).contains("2 hồ sơ, 8,0 ngày làm việc, 800.000 VND"),
        "{}",
        s.display(Lang::Vi)
    );
}

#[test]
fn abolished_procedure_leaves_the_catalogue_and_refuses_dossiers_from_its_effective_date() {
    let store = store_with_agencies();
    let p = code(1);
    let base =
        || Procedure::builder(p.clone(), "Bãi bỏ", field("Hộ tịch"), TimeLimit::working_days(5));
    store
        .procedures()
        .insert(&base().effective_from(date!(2022 - 01 - 01)).build().unwrap())
        .unwrap();
    store
        .procedures()
        .insert(
            &base()
                .effective_from(date!(2023 - 07 - 01))
                .status(ProcedureStatus::Abolished)
                .build()
                .unwrap(),
        )
        .unwrap();
    let on = |d: Date| {
        store.catalogue_stats(&CatalogueScope::All, d, CutThreshold::default()).unwrap().total
    };
    assert_eq!(on(date!(2023 - 06 - 30)), 1);
    assert_eq!(on(date!(2023 - 07 - 01)), 0);
    assert_eq!(store.procedures().in_force_on(date!(2023 - 07 - 01)).unwrap().len(), 0);
    receive(&store, 1, &p, DEPT, datetime!(2023-06-30 09:00 +07:00));
    let refused = store.dossiers().receive(&NewDossier {
        code: DossierCode::new("000.01.00.H49-230703-0001").unwrap(),
        procedure: p.clone(),
        agency: agency(DEPT),
        channel: Channel::Direct,
        received_at: datetime!(2023-07-03 09:00 +07:00),
        digitised: false,
        reused_data: false,
        receiving: None,
        portal: None,
        rule_set: None,
    });
    assert!(matches!(refused, Err(Error::InvalidInput { field: "dossier.procedure", .. })));
    assert_eq!(store.dossiers().len(), 1);
}

#[test]
fn sixty_billion_dong_saved_by_fifty_thousand_dossiers() {
    // 50,000 dossiers resolved in 2022 under a 5-day limit cut from 15: 10 working days
    // each at 120,000 VND per dossier-day = 60,000,000,000 VND.
    let period = Period::year(2022).unwrap();
    let mut acc = SavingsAccumulator::new(period);
    let mut half = SavingsAccumulator::new(period);
    let received = datetime!(2022-03-01 08:00 +07:00);
    for i in 0..50_002u32 {
        let header = DossierHeader {
            code: DossierCode::new("000.00.00.H49-220301-0001").unwrap(),
            procedure: code((i % 7) as usize),
            field: field("Đất đai"),
            agency: agency(if i % 2 == 0 { PROVINCE } else { DEPT }),
            channel: Channel::Online,
            limit: TimeLimit::working_days(5),
            fee_bearing: false,
            paper_result: false,
            digitised: false,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: cchc::model::rules::RuleSetId::Decree61,
        };
        let mut d = Dossier::open(header, received, received + Duration::days(7)).unwrap();
        // Two dossiers are resolved in 2023 and do not count.
        let at = if i >= 50_000 {
            datetime!(2023-01-03 09:00 +07:00)
        } else {
            received + Duration::days(2)
        };
        d.apply(LifecycleEvent { at, kind: EventKind::Resolved { e_result: true } }).unwrap();
        let target = if i % 2 == 0 { &mut acc } else { &mut half };
        target.push(&d, TimeLimit::working_days(15));
    }
    acc.merge(half);
    let s = acc.finish(120_000).unwrap();
    assert_eq!(s.total.dossiers, 50_000);
    assert_eq!(s.total.working_days(), 500_000.0);
    assert_eq!(s.total.money_vnd, 60_000_000_000);
    assert!(s.to_string().contains("60.000.000.000 VND"));
    assert_eq!(s.by_agency.values().map(|l| l.money_vnd).sum::<u64>(), 60_000_000_000);
    assert_eq!(s.by_procedure.len(), 7);
    // Overflow is a typed error, not a wrap.
    let mut huge = SavingsAccumulator::new(period);
    for _ in 0..2 {
        let header = DossierHeader {
            code: DossierCode::new("000.00.00.H49-220301-0001").unwrap(),
            procedure: code(1),
            field: field("Đất đai"),
            agency: agency(PROVINCE),
            channel: Channel::Online,
            limit: TimeLimit::working_days(0),
            fee_bearing: false,
            paper_result: false,
            digitised: false,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: cchc::model::rules::RuleSetId::Decree61,
        };
        let mut d = Dossier::open(header, received, received).unwrap();
        d.apply(LifecycleEvent { at: received, kind: EventKind::Resolved { e_result: true } })
            .unwrap();
        huge.push(&d, TimeLimit::working_days(u32::MAX));
    }
    assert!(matches!(
        huge.finish(u64::MAX),
        Err(Error::InvalidInput { field: "cost_per_dossier_day", .. })
    ));
}

// ------------------------------------------------------- 4. processing times

#[test]
fn processing_times_per_procedure_and_unit_with_type_7_percentiles() {
    let store = store_with_agencies();
    let days = code(10);
    let cal = code(11);
    store
        .procedures()
        .insert(
            &Procedure::builder(
                days.clone(),
                "Ngày làm việc",
                field("F"),
                TimeLimit::working_days(20),
            )
            .build()
            .unwrap(),
        )
        .unwrap();
    store
        .procedures()
        .insert(
            &Procedure::builder(cal.clone(), "Ngày", field("F"), TimeLimit::calendar_days(30))
                .build()
                .unwrap(),
        )
        .unwrap();
    // Monday 5/6/2023 08:00, resolved k working days later at 08:00 (k = 1..=10):
    // working days of June 2023 from Tue 6/6 are 6,7,8,9,12,13,14,15,16,19.
    let resolved_days = [6, 7, 8, 9, 12, 13, 14, 15, 16, 19];
    for (k, day) in resolved_days.iter().enumerate() {
        let c = receive(&store, k as u32, &days, DEPT, datetime!(2023-06-05 08:00 +07:00));
        let at = Date::from_calendar_date(2023, time::Month::June, *day)
            .unwrap()
            .with_hms(8, 0, 0)
            .unwrap()
            .assume_offset(VIETNAM_OFFSET);
        store.dossiers().resolve(&c, at, ResultForm::Electronic).unwrap();
    }
    // Calendar days: 2.5 and 4.0 days, at the other province.
    let c1 = receive(&store, 20, &cal, OTHER, datetime!(2023-06-05 08:00 +07:00));
    store
        .dossiers()
        .resolve(&c1, datetime!(2023-06-07 20:00 +07:00), ResultForm::Electronic)
        .unwrap();
    let c2 = receive(&store, 21, &cal, OTHER, datetime!(2023-06-05 08:00 +07:00));
    store
        .dossiers()
        .resolve(&c2, datetime!(2023-06-09 08:00 +07:00), ResultForm::Electronic)
        .unwrap();
    // Unresolved: not counted.
    receive(&store, 30, &days, DEPT, datetime!(2023-06-05 08:00 +07:00));

    let t = store.processing_times(&Scope::All, Period::month(2023, 6).unwrap()).unwrap();
    let d = t.procedure(&days).unwrap();
    assert_eq!((d.unit, d.count), (TimeUnit::WorkingDays, 10));
    // 1..=10: mean 5.5, median 5.5, P90 = x[8] + 0.1 (x[9] − x[8]) = 9.1.
    assert!((d.mean - 5.5).abs() < 1e-9, "{d:?}");
    assert!((d.median - 5.5).abs() < 1e-9);
    assert!((d.p90 - 9.1).abs() < 1e-9);
    assert_eq!((d.min, d.max), (1.0, 10.0));
    let c = t.unit(TimeUnit::CalendarDays).unwrap();
    assert_eq!(c.count, 2);
    assert!((c.mean - 3.25).abs() < 1e-9 && (c.p90 - 3.85).abs() < 1e-9, "{c:?}");
    assert!(t.unit(TimeUnit::Months).is_none());
    let only_dept = store
        .processing_times(&Scope::agency(&agency(DEPT)), Period::month(2023, 6).unwrap())
        .unwrap();
    assert_eq!(only_dept.by_unit.len(), 1);
    assert!(only_dept.procedure(&cal).is_none());
    let empty = store.processing_times(&Scope::All, Period::month(2023, 5).unwrap()).unwrap();
    assert!(empty.by_unit.is_empty() && empty.by_procedure.is_empty());
    assert!(
        t.display(Lang::Vi).contains("trung bình 5,50, trung vị 5,50, P90 9,10 (ngày làm việc)"),
        "{}",
        t.display(Lang::Vi)
    );
}

#[test]
fn quantiles_and_units_by_hand() {
    assert_eq!(quantile(&[], 0.5), None);
    assert_eq!(quantile(&[3.0], 0.9), Some(3.0));
    assert_eq!(quantile(&[1.0, 3.0], 0.9), Some(2.8));
    assert_eq!(quantile(&[1.0, 2.0], 1.5), None);
    let cal = WorkCalendar::vietnam();
    let a = datetime!(2023-06-05 08:00 +07:00);
    // 60 days 21 hours = 60.875 days = 2 months of 30.4375 days.
    let b = a + Duration::hours(60 * 24 + 21);
    assert!((elapsed_in(&cal, a, b, TimeUnit::Months) - 2.0).abs() < 1e-12);
    // Mon 08:00 to Mon 15:00: 3.5 h before noon and 2 h after.
    let c = datetime!(2023-06-05 15:00 +07:00);
    assert_eq!(elapsed_in(&cal, a, c, TimeUnit::WorkingHours), 5.5);
    assert_eq!(elapsed_in(&cal, a, c, TimeUnit::WorkingDays), 5.5 / 8.0);
}

// ---------------------------------------------------------------- 5. feedback

fn item(id: usize, agency_code: &str, at: OffsetDateTime) -> Feedback {
    Feedback::new(
        FeedbackId::new(&format!("1022-{id:06}")).unwrap(),
        agency(agency_code),
        at,
        if id.is_multiple_of(3) { FeedbackKind::Staff } else { FeedbackKind::Regulation },
    )
    .unwrap()
}

#[test]
fn seed_quang_nam_hotline_november_2023() {
    let store = store_with_agencies();
    let items = store.feedback();
    // 13,014 received 1–30/11/2023 by the province and its department: 12,842
    // answered the same day, 172 transferred on 28/11 and not yet answered.
    for i in 0..13_014 {
        let day = 1 + (i % 30) as u8;
        let at = Date::from_calendar_date(2023, time::Month::November, day)
            .unwrap()
            .with_hms(9, 0, 0)
            .unwrap()
            .assume_offset(VIETNAM_OFFSET);
        let mut f = item(i, if i % 2 == 0 { PROVINCE } else { DEPT }, at);
        if i < 12_842 {
            f = f.with_answer(at + Duration::hours(2)).unwrap();
        } else {
            f = f.with_transfer(at.max(datetime!(2023-11-28 10:00 +07:00))).unwrap();
        }
        items.insert(&f).unwrap();
    }
    // Outside the period or the scope.
    items.insert(&item(20_000, PROVINCE, datetime!(2023-10-31 16:00 +07:00))).unwrap();
    items.insert(&item(20_001, OTHER, datetime!(2023-11-15 09:00 +07:00))).unwrap();

    let s = store
        .feedback_stats(&Scope::subtree(&agency(PROVINCE)), Period::month(2023, 11).unwrap())
        .unwrap();
    assert_eq!((s.received, s.handled, s.transferred), (13_014, 12_842, 172));
    assert_eq!(s.received - s.handled, s.transferred);
    assert_eq!(percent(s.handled_rate(), 1), "98.7");
    assert_eq!(percent(s.handled_rate(), 2), "98.68");
    // Same-day answers are on time; transfers on
    // 28/11 are not yet due on 1/12.
    assert_eq!(s.handled_on_time, 12_842);
    assert_eq!(s.overdue, 0);
    assert_eq!((s.about_staff, s.about_regulations), (4338, 8676));
    assert!(
        s.display(Lang::Vi)
            .contains("13.014 tiếp nhận; đã xử lý: 98,68 % (12.842/13.014); đã chuyển: 172"),
        "{}",
        s.display(Lang::Vi)
    );
    let whole = store.feedback_stats(&Scope::All, Period::month(2023, 11).unwrap()).unwrap();
    assert_eq!(whole.received, 13_015);
    let dept = store
        .feedback_stats(&Scope::agency(&agency(DEPT)), Period::month(2023, 11).unwrap())
        .unwrap();
    assert_eq!(dept.received, 6_507);
    // An empty scope has no rates.
    let none = store.feedback_stats(&Scope::All, Period::month(2022, 11).unwrap()).unwrap();
    assert_eq!(none.received, 0);
    assert_eq!(
        (none.handled_rate(), none.on_time_rate(), none.satisfaction_rate()),
        (None, None, None)
    );
    assert!(matches!(
        store.feedback_stats(&Scope::Field(field("Đất đai")), Period::month(2023, 11).unwrap()),
        Err(Error::InvalidInput { field: "scope", .. })
    ));
}

#[test]
fn feedback_timing_rules_and_satisfaction_5_3() {
    let cal = WorkCalendar::vietnam();
    let wed = datetime!(2023-11-01 09:00 +07:00);
    let f = |id| item(id, PROVINCE, wed);
    // Rejection within 2 working days: due Friday 3/11.
    assert_eq!(
        f(1).with_rejection(datetime!(2023-11-03 16:00 +07:00)).unwrap().on_time(&cal).unwrap(),
        Some(true)
    );
    assert_eq!(
        f(1).with_rejection(datetime!(2023-11-06 08:00 +07:00)).unwrap().on_time(&cal).unwrap(),
        Some(false)
    );
    // Supplement request within 5 working days: due Wednesday 8/11.
    let asked_late = f(2).with_supplement_request(datetime!(2023-11-09 08:00 +07:00)).unwrap();
    assert_eq!(
        asked_late
            .clone()
            .with_answer(datetime!(2023-11-10 08:00 +07:00))
            .unwrap()
            .on_time(&cal)
            .unwrap(),
        Some(false)
    );
    let asked = f(2).with_supplement_request(datetime!(2023-11-08 16:00 +07:00)).unwrap();
    assert_eq!(
        asked.with_answer(datetime!(2023-11-10 08:00 +07:00)).unwrap().on_time(&cal).unwrap(),
        Some(true)
    );
    // Answer within 15 working days: 22/11 from submission, 27/11 from a transfer on 6/11.
    assert_eq!(f(3).answer_due(&cal).unwrap(), date!(2023 - 11 - 22));
    assert_eq!(
        f(3).with_answer(datetime!(2023-11-22 17:00 +07:00)).unwrap().on_time(&cal).unwrap(),
        Some(true)
    );
    assert_eq!(
        f(3).with_answer(datetime!(2023-11-23 08:00 +07:00)).unwrap().on_time(&cal).unwrap(),
        Some(false)
    );
    let moved = f(4).with_transfer(datetime!(2023-11-06 10:00 +07:00)).unwrap();
    assert_eq!(moved.answer_due(&cal).unwrap(), date!(2023 - 11 - 27));
    assert_eq!(
        moved
            .clone()
            .with_answer(datetime!(2023-11-27 16:00 +07:00))
            .unwrap()
            .on_time(&cal)
            .unwrap(),
        Some(true)
    );
    assert_eq!(
        moved
            .clone()
            .with_answer(datetime!(2023-11-28 08:00 +07:00))
            .unwrap()
            .on_time(&cal)
            .unwrap(),
        Some(false)
    );
    assert_eq!(moved.on_time(&cal).unwrap(), None);

    // 5.3 over ten items: one not satisfied, one complaint, one both (counted once),
    // one answered late, one unanswered past its due day: 10 − 5 = 5 → 50 %.
    let ok = |id| f(id).with_answer(datetime!(2023-11-10 09:00 +07:00)).unwrap();
    let items = vec![
        ok(10).with_satisfaction(Satisfaction::NotSatisfied).unwrap(),
        ok(11).with_further_complaint(true).unwrap(),
        ok(12)
            .with_satisfaction(Satisfaction::NotSatisfied)
            .unwrap()
            .with_further_complaint(true)
            .unwrap(),
        f(13).with_answer(datetime!(2023-11-24 09:00 +07:00)).unwrap(),
        f(14),
        ok(15).with_satisfaction(Satisfaction::Satisfied).unwrap(),
        ok(16),
        ok(17),
        f(18).with_rejection(datetime!(2023-11-02 09:00 +07:00)).unwrap(),
        ok(19),
    ];
    let s = FeedbackStats::compute(&items, Period::month(2023, 11).unwrap(), &cal).unwrap();
    assert_eq!((s.received, s.handled, s.answered, s.rejected), (10, 9, 8, 1));
    assert_eq!((s.not_satisfied, s.further_complaints, s.overdue, s.unsatisfactory), (2, 2, 2, 5));
    assert_eq!(s.satisfaction_rate(), Ratio::new(5, 10));
    assert_eq!(s.on_time_rate(), Ratio::new(8, 10));
    // Seen on 20/11, the unanswered item is not yet due and the late one not yet answered.
    let early = FeedbackStats::compute(
        &items,
        Period::new(date!(2023 - 11 - 01), date!(2023 - 11 - 20)).unwrap(),
        &cal,
    )
    .unwrap();
    assert_eq!((early.handled, early.overdue), (8, 0));
}

#[test]
fn bad_feedback_is_rejected_and_nothing_is_written() {
    let wed = datetime!(2023-11-01 09:00 +07:00);
    let f = || item(1, PROVINCE, wed);
    let field_of = |r: Result<Feedback, Error>| match r {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    };
    assert_eq!(field_of(f().with_answer(wed - Duration::hours(1))), "feedback.answered_at");
    assert_eq!(field_of(f().with_answer(wed).unwrap().with_rejection(wed)), "feedback.rejected_at");
    assert_eq!(field_of(f().with_satisfaction(Satisfaction::Satisfied)), "feedback.satisfaction");
    assert_eq!(field_of(f().with_further_complaint(true)), "feedback.further_complaint");
    assert_eq!(
        field_of(f().with_answer(wed).unwrap().with_transfer(wed + Duration::hours(1))),
        "feedback.transferred_at"
    );
    assert!(matches!(FeedbackId::new(""), Err(Error::InvalidInput { field: "feedback.id", .. })));

    let store = store_with_agencies();
    let items = store.feedback();
    let first = f();
    items.insert(&first).unwrap();
    let again = f().with_answer(wed + Duration::days(1)).unwrap();
    assert!(matches!(
        items.insert(&again),
        Err(Error::Duplicate { kind: RecordKind::Feedback, .. })
    ));
    assert_eq!(items.get(first.id()).unwrap(), Some(first));
    assert_eq!(items.len(), 1);
    // An update goes through upsert and survives reading back.
    items.upsert(&again).unwrap();
    assert_eq!(store.feedback().get(again.id()).unwrap(), Some(again));
}

// ------------------------------------------------------------------- 6. plans

#[test]
fn seed_vinh_phuc_plan_18_of_64_at_end_of_q1() {
    let store = store_with_agencies();
    let unit = agency("000.00.00.H62");
    let created = date!(2025 - 01 - 10);
    let tasks: Vec<PlanTask> = (0..64)
        .map(|i| {
            let deadline = match i {
                0..18 => date!(2025 - 03 - 15),
                18..30 => date!(2025 - 03 - 20),
                _ => date!(2025 - 12 - 31),
            };
            let t = PlanTask::new(&format!("{}", i + 1), "Nhiệm vụ", created, deadline).unwrap();
            match i {
                0..17 => t.completed_on(date!(2025 - 03 - 10)).unwrap(),
                17 => t.completed_on(date!(2025 - 03 - 31)).unwrap(), // late, but done by 31/3
                18 => t.completed_on(date!(2025 - 04 - 10)).unwrap(),
                _ => t,
            }
        })
        .collect();
    let mut all = tasks.clone();
    // A task added in April is not part of the Q1 denominator.
    all.push(PlanTask::new("65", "Bổ sung", date!(2025 - 04 - 02), date!(2025 - 06 - 30)).unwrap());
    store.plans().insert(&ReformPlan::new(unit.clone(), 2025, all).unwrap()).unwrap();

    let q1 = store.plan_progress(&unit, 2025, date!(2025 - 03 - 31)).unwrap();
    assert_eq!((q1.completed, q1.tasks, q1.completed_late), (18, 64, 1));
    assert_eq!(percent(q1.completion_rate(), 2), "28.13");
    assert_eq!(q1.overdue.len(), 12);
    assert_eq!(q1.overdue.first().map(String::as_str), Some("19"));
    assert!(
        q1.display(Lang::Vi).contains("hoàn thành 28,13 % (18/64); quá hạn: 12"),
        "{}",
        q1.display(Lang::Vi)
    );
    let april = store.plan_progress(&unit, 2025, date!(2025 - 04 - 30)).unwrap();
    assert_eq!((april.completed, april.tasks, april.overdue.len()), (19, 65, 11));
    // Before any task exists: no rate.
    let january = store.plan_progress(&unit, 2025, date!(2025 - 01 - 01)).unwrap();
    assert_eq!(january.completion_rate(), None);
    assert!(matches!(
        store.plan_progress(&unit, 2024, date!(2024 - 12 - 31)),
        Err(Error::NotFound { kind: RecordKind::Plan, .. })
    ));
    assert_eq!(store.plans().of_unit(&unit).unwrap().len(), 1);
}

#[test]
fn bad_plans_are_rejected_and_nothing_is_written() {
    let t = PlanTask::new("1", "Nhiệm vụ", date!(2025 - 01 - 10), date!(2025 - 03 - 31)).unwrap();
    assert!(matches!(
        t.clone().completed_on(date!(2025 - 01 - 09)),
        Err(Error::InvalidInput { field: "plan.task.completed", .. })
    ));
    assert!(t.clone().completed_on(date!(2025 - 01 - 10)).is_ok());
    let unit = agency("000.00.00.H62");
    assert!(matches!(
        ReformPlan::new(unit.clone(), 2025, vec![t.clone(), t.clone()]),
        Err(Error::InvalidInput { field: "plan.task.id", .. })
    ));
    assert!(matches!(
        ReformPlan::new(unit.clone(), 1800, vec![]),
        Err(Error::InvalidInput { field: "plan.year", .. })
    ));
    assert!(matches!(
        PlanTask::new(" ", "x", date!(2025 - 01 - 10), date!(2025 - 03 - 31)),
        Err(Error::InvalidInput { field: "plan.task.id", .. })
    ));
    let store = store_with_agencies();
    let plan = ReformPlan::new(unit.clone(), 2025, vec![t.clone()]).unwrap();
    store.plans().insert(&plan).unwrap();
    let changed = ReformPlan::new(unit.clone(), 2025, vec![]).unwrap();
    assert!(matches!(
        store.plans().insert(&changed),
        Err(Error::Duplicate { kind: RecordKind::Plan, .. })
    ));
    assert_eq!(store.plans().get(&unit, 2025).unwrap(), Some(plan));
}

// ------------------------------------------------------------ 7. organisation

#[test]
fn seed_quang_nam_organisation_2023_against_2015() {
    let store = store_with_agencies();
    let unit = agency(PROVINCE);
    let snap = |year, a, d, s, dd| {
        OrganisationSnapshot::new(
            unit.clone(),
            year,
            OrganisationCounts::try_from_signed(a, d, s, dd).unwrap(),
        )
        .unwrap()
    };
    let col = store.organisation();
    col.insert(&snap(2023, 21, 118, 11, 204)).unwrap();
    col.insert(&snap(2015, 23, 164, 18, 223)).unwrap();
    col.insert(&snap(2020, 22, 130, 14, 210)).unwrap();
    let c = store.organisation_change(&unit, 2023, 2015).unwrap();
    assert_eq!(c.current.agencies, 21);
    assert_eq!(
        (c.delta.agencies, c.delta.divisions, c.delta.sub_departments, c.delta.district_divisions),
        (-2, -46, -7, -19)
    );
    let text = c.display(Lang::Vi);
    assert!(text.contains("Cơ quan chuyên môn: 21 (−2 so với 2015)"), "{text}");
    assert!(text.contains("Phòng cấp huyện: 204 (−19 so với 2015)"), "{text}");
    assert!(c.display(Lang::En).contains("Divisions: 118 (−46 against 2015)"));
    // Years sort in order under a unit.
    let years: Vec<i32> =
        col.of_unit(&unit).unwrap().iter().map(OrganisationSnapshot::year).collect();
    assert_eq!(years, [2015, 2020, 2023]);
    assert!(matches!(
        store.organisation_change(&unit, 2023, 2010),
        Err(Error::NotFound { kind: RecordKind::Organisation, .. })
    ));
}

#[test]
fn negative_organisation_counts_are_typed_errors() {
    assert!(matches!(
        OrganisationCounts::try_from_signed(21, -1, 11, 204),
        Err(Error::InvalidInput { field: "organisation.divisions", .. })
    ));
    assert!(matches!(
        OrganisationCounts::try_from_signed(21, 1, 11, i64::from(u32::MAX) + 1),
        Err(Error::InvalidInput { field: "organisation.district_divisions", .. })
    ));
    let a =
        OrganisationSnapshot::new(agency(PROVINCE), 2023, OrganisationCounts::default()).unwrap();
    let b = OrganisationSnapshot::new(agency(OTHER), 2015, OrganisationCounts::default()).unwrap();
    assert!(matches!(
        OrganisationChange::compute(&a, &b),
        Err(Error::InvalidInput { field: "organisation.unit", .. })
    ));
    assert!(matches!(
        OrganisationSnapshot::new(agency(PROVINCE), 3000, OrganisationCounts::default()),
        Err(Error::InvalidInput { field: "organisation.year", .. })
    ));
}
