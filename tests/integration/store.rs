//! Store basics: opening, reopening, lookups, Send + Sync + Clone.

use cchc::model::calendar::WorkingHours;
use cchc::*;
use time::macros::datetime;

use crate::fixtures::{code, province};

#[test]
fn store_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Store>();
}

#[test]
fn reopening_preserves_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let new = NewDossier {
        code: DossierCode::new("000.00.21.H49-240105-0001").unwrap(),
        procedure: ProcedureCode::new("1.004227").unwrap(),
        agency: code("000.00.21.H49"),
        channel: Channel::Postal,
        received_at: datetime!(2024-01-05 14:30 +07:00),
        digitised: false,
        reused_data: true,
        receiving: None,
        portal: None,
        rule_set: None,
    };
    let (agencies, versions, dossier, report) = {
        let store = Store::open(&path).unwrap();
        let p = code("000.00.00.H49");
        store
            .agencies()
            .insert(&Agency::province(p.clone(), "UBND tỉnh Quảng Nam").unwrap())
            .unwrap();
        store
            .agencies()
            .insert(&Agency::district(code("000.00.21.H49"), "UBND huyện Duy Xuyên", &p).unwrap())
            .unwrap();
        let proc = Procedure::builder(
            ProcedureCode::new("1.004227").unwrap(),
            "Đăng ký khai sinh",
            Field::new("Hộ tịch").unwrap(),
            TimeLimit::working_days(5),
        )
        .reduced_limit(TimeLimit::working_days(3))
        .build()
        .unwrap();
        store.procedures().insert(&proc).unwrap();
        store.dossiers().receive(&new).unwrap();
        store
            .dossiers()
            .request_supplement(&new.code, datetime!(2024-01-05 15:00 +07:00), "thiếu tờ khai")
            .unwrap();
        store.dossiers().supplement(&new.code, datetime!(2024-01-08 09:00 +07:00)).unwrap();
        let d = store
            .dossiers()
            .resolve(&new.code, datetime!(2024-01-10 16:00 +07:00), ResultForm::Electronic)
            .unwrap();
        let report = store.report(&Scope::All, Period::month(2024, 1).unwrap()).unwrap();
        store.sync().unwrap();
        (store.agencies().list().unwrap(), store.procedures().all_versions().unwrap(), d, report)
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.agencies().list().unwrap(), agencies);
    assert_eq!(store.procedures().all_versions().unwrap(), versions);
    assert_eq!(store.dossiers().get(&new.code).unwrap(), Some(dossier.clone()));
    assert_eq!(store.report(&Scope::All, Period::month(2024, 1).unwrap()).unwrap(), report);
    assert!(store.verify().unwrap().is_clean());
    // Restart rule: supplied Mon 8/1 09:00, 3 working days → Thu 11/1 09:00; resolved
    // Wed 10/1: early. Subtract: waited 8/1 09:00 − 5/1 15:00 = 66 h; the appointment
    // (Fri 5/1 14:30 + 24 working hours = Wed 10/1 14:30) plus nothing: 10/1 16:00 − 66 h
    // = Sun 7/1 22:00 → before the due day → early.
    assert_eq!(dossier.appointment(), datetime!(2024-01-10 14:30 +07:00));
    assert_eq!(dossier.due(ClockRule::Restart), datetime!(2024-01-11 09:00 +07:00));
    assert_eq!(dossier.outcome(ClockRule::Restart), Some(Outcome::Early));
    assert_eq!(dossier.outcome(ClockRule::Subtract), Some(Outcome::Early));
    assert_eq!(
        (report.received_postal, report.resolved_early, report.supplement_requests),
        (1, 1, 1)
    );
}

#[test]
fn receive_computes_the_due_instant_across_tet() {
    let f = province();
    // Tết 2024: 8/2–14/2 off. Received Wed 7/2 10:00 with 3 working days (24 h):
    // 7/2 10:00–11:30 and 13:00–17:00 = 5.5 h, then 15/2 (8 h), 16/2 (8 h), and Mon
    // 19/2 07:30 + 2.5 h = 10:00.
    let code = DossierCode::new("000.01.00.H49-240207-0001").unwrap();
    let d = f
        .store
        .dossiers()
        .receive(&NewDossier {
            code: code.clone(),
            procedure: ProcedureCode::new("1.004227").unwrap(),
            agency: f.agencies[1].clone(),
            channel: Channel::Direct,
            received_at: datetime!(2024-02-07 10:00 +07:00),
            digitised: false,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: None,
        })
        .unwrap();
    assert_eq!(d.appointment(), datetime!(2024-02-19 10:00 +07:00));
    // A second receipt of the same code is a duplicate and writes nothing.
    let before = f.store.report(&Scope::All, Period::year(2024).unwrap()).unwrap();
    let err = f
        .store
        .dossiers()
        .receive(&NewDossier {
            received_at: datetime!(2024-02-07 11:00 +07:00),
            ..d_new(&code, &f)
        })
        .unwrap_err();
    assert!(matches!(err, Error::Duplicate { kind: RecordKind::Dossier, .. }));
    assert_eq!(f.store.report(&Scope::All, Period::year(2024).unwrap()).unwrap(), before);
}

fn d_new(code: &DossierCode, f: &crate::fixtures::Fixture) -> NewDossier {
    NewDossier {
        code: code.clone(),
        procedure: f.procedures[0].clone(),
        agency: f.agencies[1].clone(),
        channel: Channel::Direct,
        received_at: datetime!(2024-02-07 10:00 +07:00),
        digitised: false,
        reused_data: false,
        receiving: None,
        portal: None,
        rule_set: None,
    }
}

#[test]
fn unknown_references_are_not_found_and_write_nothing() {
    let f = province();
    let base = d_new(&DossierCode::new("000.01.00.H49-240207-0002").unwrap(), &f);
    let err = f
        .store
        .dossiers()
        .receive(&NewDossier { procedure: ProcedureCode::new("9.999999").unwrap(), ..base.clone() })
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { kind: RecordKind::Procedure, .. }));
    let err = f
        .store
        .dossiers()
        .receive(&NewDossier { agency: code("999.00.00.H49"), ..base.clone() })
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { kind: RecordKind::Agency, .. }));
    let err = f
        .store
        .dossiers()
        .resolve(&base.code, datetime!(2024-02-08 10:00 +07:00), ResultForm::Paper)
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { kind: RecordKind::Dossier, .. }));
    assert!(f.store.dossiers().is_empty());
    assert!(f.store.verify().unwrap().is_clean());
}

#[test]
fn a_failed_import_batch_writes_nothing_and_earlier_batches_stay() {
    let f = province();
    let mut importer = f.store.dossiers().importer().batch_size(2);
    let mk = |n: u16| NewDossier {
        code: DossierCode::compose(&f.agencies[1], time::macros::date!(2024 - 02 - 07), n).unwrap(),
        ..d_new(&DossierCode::new("000.01.00.H49-240207-0001").unwrap(), &f)
    };
    importer.dossier(mk(1), vec![]).unwrap();
    importer.dossier(mk(2), vec![]).unwrap(); // first batch committed here
    importer.dossier(mk(3), vec![]).unwrap();
    // Resolving twice is impossible: the second batch fails whole.
    let twice = vec![
        (datetime!(2024-02-07 11:00 +07:00), Action::Resolve { e_result: false }),
        (datetime!(2024-02-07 12:00 +07:00), Action::Resolve { e_result: false }),
    ];
    let err = importer.dossier(mk(4), twice).unwrap_err();
    assert!(matches!(err, Error::InvalidTransition { .. }));
    assert_eq!(f.store.dossiers().len(), 2);
    assert!(f.store.dossiers().get(&mk(3).code).unwrap().is_none());
    assert!(f.store.verify().unwrap().is_clean());
}

#[test]
fn an_agency_calendar_times_its_own_dossiers() {
    use time::Weekday;
    use time::macros::time;
    // A commune one-stop shop open Saturday mornings 07:30–11:30.
    let saturday_shop =
        WorkCalendar::vietnam().with_weekend(&[Weekday::Sunday]).unwrap().with_hours_on(
            Weekday::Saturday,
            WorkingHours::new(vec![(time!(07:30), time!(11:30))]).unwrap(),
        );
    let shop = code("000.21.01.H49");
    let store =
        Store::temporary_builder().agency_calendar(shop.clone(), saturday_shop).open().unwrap();
    let p = code("000.00.00.H49");
    store.agencies().insert(&Agency::province(p.clone(), "UBND tỉnh Quảng Nam").unwrap()).unwrap();
    store
        .agencies()
        .insert(&Agency::commune(shop.clone(), "UBND xã Duy Sơn", &p).unwrap())
        .unwrap();
    store
        .procedures()
        .insert(
            &Procedure::builder(
                ProcedureCode::new("2.000884").unwrap(),
                "Chứng thực bản sao",
                Field::new("Chứng thực").unwrap(),
                TimeLimit::working_days(1),
            )
            .build()
            .unwrap(),
        )
        .unwrap();
    let receive = |agency: &AgencyCode, n| {
        store
            .dossiers()
            .receive(&NewDossier {
                code: DossierCode::compose(agency, time::macros::date!(2024 - 03 - 08), n).unwrap(),
                procedure: ProcedureCode::new("2.000884").unwrap(),
                agency: agency.clone(),
                channel: Channel::Direct,
                received_at: datetime!(2024-03-08 16:00 +07:00),
                digitised: false,
                reused_data: false,
                receiving: None,
                portal: None,
                rule_set: None,
            })
            .unwrap()
    };
    // Friday 16:00 + 8 working hours. The shop: Fri 16–17 (1 h), Sat 07:30–11:30 (4 h),
    // Mon 07:30 + 3 h = 10:30. The province's default calendar: Fri 1 h, Mon 07:30–11:30
    // (4 h) and 13:00 + 3 h = 16:00.
    assert_eq!(receive(&shop, 1).appointment(), datetime!(2024-03-11 10:30 +07:00));
    assert_eq!(receive(&p, 1).appointment(), datetime!(2024-03-11 16:00 +07:00));
}
