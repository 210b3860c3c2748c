//! Every backup version this crate ever wrote still restores: the fixtures under
//! `tests/fixtures/backup-v{1,2,3}/` were written by the crate before the readable
//! serde forms of backup version 4 (see their README), and each restores to the
//! store they were taken from.

use std::path::{Path, PathBuf};

use cchc::io;
use cchc::model::calendar::{AnnouncementScope, CalendarAnnouncement};
use cchc::model::score;
use cchc::{AgencyCode, DossierCode, Store};
use time::macros::{date, datetime};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data").join(name)
}

fn fixture(version: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/backup-v{version}"))
}

fn agency(code: &str) -> AgencyCode {
    AgencyCode::new(code).unwrap()
}

/// Tam Kỳ's own day off on Wednesday 13 March 2024 (a made-up closing day, for the
/// test): it re-times Tam Kỳ's March dossiers.
fn tam_ky_closed() -> CalendarAnnouncement {
    CalendarAnnouncement::new(
        AnnouncementScope::Agency(agency("000.00.21.H49")),
        "Thông báo nghỉ 13/3/2024 của UBND thành phố Tam Kỳ (thử)",
        vec![date!(2024 - 03 - 13)],
        vec![],
    )
    .unwrap()
}

/// The store a backup of `version` was taken from: the sample catalogue and
/// dossiers; from version 2 feedback, a plan, an organisation snapshot, the
/// Decision 766 portal area framework with its assessments and a survey; in
/// version 3 a calendar announcement too.
fn fixture_store(version: u32) -> Store {
    let store = Store::temporary().unwrap();
    for name in ["agencies.csv", "agencies.jsonl", "procedures.csv", "procedures.jsonl"] {
        io::import_file(&store, data(name)).unwrap();
    }
    if version >= 3 {
        store.calendar_announcements().add(&tam_ky_closed()).unwrap();
    }
    for name in ["dossiers.csv", "dossiers.jsonl", "events.csv", "events.jsonl"] {
        io::import_file(&store, data(name)).unwrap();
    }
    if version >= 2 {
        io::import_file(&store, data("feedback.csv")).unwrap();
        store.frameworks().insert(&score::decision766_portal().area_level()).unwrap();
        io::import_file(&store, data("assessments.csv")).unwrap();
        let province = agency("000.00.00.H49");
        let tasks = vec![
            cchc::model::plan::PlanTask::new(
                "KH-2024-01",
                "Rà soát, đơn giản hóa thủ tục hành chính",
                date!(2024 - 01 - 15),
                date!(2024 - 06 - 30),
            )
            .unwrap()
            .completed_on(date!(2024 - 06 - 20))
            .unwrap(),
            cchc::model::plan::PlanTask::new(
                "KH-2024-02",
                "Số hóa hồ sơ, kết quả giải quyết TTHC",
                date!(2024 - 02 - 01),
                date!(2024 - 12 - 31),
            )
            .unwrap(),
        ];
        let plan = cchc::model::plan::ReformPlan::new(province.clone(), 2024, tasks).unwrap();
        store.plans().insert(&plan).unwrap();
        let snapshot = cchc::model::organisation::OrganisationSnapshot::new(
            province,
            2023,
            cchc::model::organisation::OrganisationCounts::try_from_signed(21, 118, 11, 204)
                .unwrap(),
        )
        .unwrap();
        store.organisation().insert(&snapshot).unwrap();
        let survey = score::Survey::new(
            "49",
            2024,
            vec![
                score::SurveyItem::new("q1", score::SipasFactor::TiepCanDichVu, "Tiếp cận"),
                score::SurveyItem::new("q2", score::SipasFactor::CongChuc, "Công chức"),
            ],
            vec![vec![Some(5), Some(4)], vec![Some(3), None]],
        )
        .unwrap();
        store.surveys().insert(&survey).unwrap();
    }
    store
}

/// Every file of a backup directory, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn code(text: &str) -> DossierCode {
    DossierCode::new(text).unwrap()
}

#[test]
fn every_older_backup_version_restores_to_the_store_it_was_taken_from() {
    for version in 1..=3u32 {
        let restored = Store::temporary().unwrap();
        let manifest = io::backup::restore(&restored, fixture(version)).unwrap();
        assert_eq!(manifest.version, version);
        assert!(restored.verify().unwrap().is_clean(), "v{version}");
        // The sample files: 8 agencies, 6 procedure versions, 8 dossiers with 19 events
        // after receipt (13 in events.csv, 4 nested in dossiers.jsonl, 2 in events.jsonl).
        assert_eq!(
            (manifest.agencies, manifest.procedure_versions, manifest.dossiers, manifest.events),
            (8, 6, 8, 19),
            "v{version}"
        );
        let newer = (
            manifest.feedback,
            manifest.plans,
            manifest.organisation,
            manifest.frameworks,
            manifest.assessments,
            manifest.surveys,
        );
        assert_eq!(newer, if version >= 2 { (4, 1, 1, 1, 2, 1) } else { (0, 0, 0, 0, 0, 0) });
        assert_eq!(manifest.calendar_announcements, u64::from(version >= 3));
        // Tam Kỳ's postal dossier of Thursday 7/3 08:40, 7 working days: Monday 18/3,
        // or Tuesday 19/3 with Tam Kỳ closed on Wednesday 13/3 (version 3).
        let postal = restored.dossiers().get(&code("000.00.21.H49-240307-0001")).unwrap().unwrap();
        let due = if version >= 3 {
            datetime!(2024-03-19 08:40 +07:00)
        } else {
            datetime!(2024-03-18 08:40 +07:00)
        };
        assert_eq!(postal.appointment(), due, "v{version}");

        // Equal to the store it was taken from: today's export of both is the same,
        // file by file and byte by byte.
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        io::backup::export(&restored, a.path()).unwrap();
        io::backup::export(&fixture_store(version), b.path()).unwrap();
        let (got, want) = (files(a.path()), files(b.path()));
        assert_eq!(got.len(), 11);
        for ((name, got), (_, want)) in got.iter().zip(&want) {
            assert!(got == want, "v{version} {name} differs");
        }
    }
}

/// The first line of `name` in the backup `dir`, as JSON.
fn first_line(dir: &Path, name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    serde_json::from_str(text.lines().next().unwrap()).unwrap()
}

/// Versions 4 and later write readable forms: instants in RFC 3339 at +07:00, dates in ISO
/// 8601, enum values in snake case; and it restores to an equal store.
#[test]
fn the_current_version_is_readable_and_restores() {
    let source = fixture_store(3);
    let dir = tempfile::tempdir().unwrap();
    let manifest = io::backup::export(&source, dir.path()).unwrap();
    assert_eq!(manifest.version, io::backup::BACKUP_VERSION);
    assert_eq!(manifest.version, 5);
    let d = dir.path();
    // feedback.csv's first item: received 01/03/2024 09:00, answered 15/03 10:00.
    let feedback = first_line(d, "feedback.jsonl");
    assert_eq!(feedback["received_at"], "2024-03-01T09:00:00+07:00");
    assert_eq!(feedback["answered_at"], "2024-03-15T10:00:00+07:00");
    assert_eq!(feedback["transferred_at"], serde_json::Value::Null);
    assert_eq!(
        (&feedback["kind"], &feedback["satisfaction"]),
        (&"regulation".into(), &"satisfied".into())
    );
    let plan = first_line(d, "plans.jsonl");
    assert_eq!(plan["tasks"][0]["created"], "2024-01-15");
    assert_eq!(plan["tasks"][0]["completed"], "2024-06-20");
    let announcement = first_line(d, "calendar_announcements.jsonl");
    assert_eq!(announcement["scope"], serde_json::json!({"agency": "000.00.21.H49"}));
    assert_eq!(announcement["days_off"], serde_json::json!(["2024-03-13"]));
    // assessments.csv: unit 48 is first by key, its MDSH leaf is missing.
    let assessment = first_line(d, "assessments.jsonl");
    assert_eq!(assessment["leaves"][0]["points"], serde_json::json!({"scored": 15.1}));
    assert_eq!(assessment["leaves"][5]["points"], "missing");
    assert_eq!(first_line(d, "surveys.jsonl")["items"][0]["factor"], "tiep_can_dich_vu");
    // The first dossier by key: received 11/03/2024 08:30 in Vietnam time.
    let dossier = first_line(d, "dossiers.jsonl");
    assert_eq!(dossier["received_at"], "2024-03-11T08:30:00+07:00");
    assert_eq!(dossier["events"][0]["at"], "2024-03-11T08:31:00+07:00");

    let copy = Store::temporary().unwrap();
    assert_eq!(io::backup::restore(&copy, d).unwrap(), manifest);
    let again = tempfile::tempdir().unwrap();
    io::backup::export(&copy, again.path()).unwrap();
    assert_eq!(files(d), files(again.path()));
}
