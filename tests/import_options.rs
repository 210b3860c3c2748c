//! Import options (issue 19 §1): a Vietnamese one-stop export read with each
//! option, header errors on line 1 with the expected names, a bad row in the
//! middle of a batch named by its own line, and progress reports.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cchc::io::{self, Format, ImportOptions, Progress, RecordType, Stage};
use cchc::{ClockRule, DossierCode, Error, Outcome, Period, Scope, Store};
use time::macros::datetime;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data").join(name)
}

const DOSSIERS: &str = "HoSo_MotCua_thang3_2024.csv";
const EVENTS: &str = "XuLy_HoSo_thang3_2024.csv";

/// The sample catalogue: 8 agencies, 6 procedure versions.
fn catalogue_store() -> Store {
    let store = Store::temporary().unwrap();
    for name in ["agencies.csv", "agencies.jsonl", "procedures.csv", "procedures.jsonl"] {
        io::import_file(&store, data(name)).unwrap();
    }
    store
}

fn code(text: &str) -> DossierCode {
    DossierCode::new(text).unwrap()
}

/// What a one-stop system's export needs: the record type (the file names do not
/// start with `dossiers`/`events`), Vietnamese headers, `dd/MM/yyyy HH:mm` in
/// Vietnam time, Vietnamese values, and a note column to leave out.
fn export_options(record_type: RecordType) -> ImportOptions {
    ImportOptions::new().record_type(record_type).vietnamese().ignore_column("Ghi chú")
}

fn import_error(store: &Store, path: &Path, options: &ImportOptions) -> (u64, String, String) {
    match io::import_file_with(store, path, options) {
        Err(Error::Import { file, line, field, reason }) => {
            assert_eq!(file, path.display().to_string(), "every error names its file");
            (line, field, reason)
        }
        other => panic!("expected an import error, got {other:?}"),
    }
}

#[test]
fn a_vietnamese_one_stop_export_imports_with_the_counts_worked_out_by_hand() {
    let store = catalogue_store();
    let r = io::import_file_with(&store, data(DOSSIERS), &export_options(RecordType::Dossiers))
        .unwrap();
    assert_eq!((r.rows, r.dossiers, r.events, r.batches), (6, 6, 0, 1));
    // The export's informational columns and the note, as the file names them.
    assert_eq!(r.ignored, ["Chủ hồ sơ", "Ghi chú", "STT", "Tên thủ tục"]);
    let r =
        io::import_file_with(&store, data(EVENTS), &export_options(RecordType::Events)).unwrap();
    assert_eq!((r.rows, r.events), (12, 12));
    assert_eq!(r.ignored, ["STT"]);
    assert!(store.verify().unwrap().is_clean());

    // The appointments the store computes are the file's "Ngày hẹn trả" (which is
    // read and left out), worked out in working time, 7:30–11:30 and 13:00–17:00:
    // 1.004227 at 3 days from Mon 18/3 08:05 is Thu 21/3 08:05; 2.000815 is
    // immediate, given by the end of the day (17:00); 2.001823 at 10 days from Tue 19/3 10:15 is Tue 2/4 10:15; 1.004203
    // at 7 days from Wed 20/3 08:40 is Fri 29/3 08:40.
    for (c, due) in [
        ("000.01.21.H49-240318-0001", datetime!(2024-03-21 08:05 +07:00)),
        ("000.01.21.H49-240318-0002", datetime!(2024-03-18 17:00 +07:00)),
        ("000.01.22.H49-240319-0001", datetime!(2024-03-22 14:00 +07:00)),
        ("000.00.01.H49-240319-0001", datetime!(2024-04-02 10:15 +07:00)),
        ("000.00.21.H49-240320-0001", datetime!(2024-03-29 08:40 +07:00)),
        ("000.00.03.H49-240320-0001", datetime!(2024-03-29 15:30 +07:00)),
    ] {
        assert_eq!(store.dossiers().get(&code(c)).unwrap().unwrap().appointment(), due, "{c}");
    }
    // The marriage dossier, supplemented Thu 21/3 08:00: 3 days again, Tue 26/3 08:00.
    let d = store.dossiers().get(&code("000.01.22.H49-240319-0001")).unwrap().unwrap();
    assert_eq!(d.due(ClockRule::Restart), datetime!(2024-03-26 08:00 +07:00));
    // The land dossier at Tam Kỳ: transferred, then the apology of Thu 28/3 (the day
    // before the due day, not late) promises Wed 3/4 16:00.
    let d = store.dossiers().get(&code("000.00.21.H49-240320-0001")).unwrap().unwrap();
    assert_eq!(d.current_agency().as_str(), "000.00.03.H49");
    assert_eq!(d.extended_appointment(), Some(datetime!(2024-04-03 16:00 +07:00)));
    assert!(!d.late_apology());
    let d = store.dossiers().get(&code("000.01.21.H49-240318-0002")).unwrap().unwrap();
    assert_eq!(d.outcome(ClockRule::Restart), Some(Outcome::OnTime));

    // March 2024: 3 online (rows 1, 4, 6), 2 direct, 1 postal; resolved early the
    // birth registration, on time the certification (the criminal record is resolved
    // on 1/4); refused the land dossier at the department; at 00:00 on 1/4 the
    // criminal record is not yet due, the marriage (due 26/3) and the Tam Kỳ land
    // dossier (due 29/3 08:40; an apology does not move the due instant) overdue.
    let r = store.report(&Scope::All, Period::month(2024, 3).unwrap()).unwrap();
    assert_eq!((r.received_online, r.received_direct, r.received_postal), (3, 2, 1));
    assert_eq!((r.resolved_early, r.resolved_on_time, r.resolved_late), (1, 1, 0));
    assert_eq!((r.refused, r.withdrawn, r.returned), (1, 0, 2));
    assert_eq!((r.in_progress_not_due, r.in_progress_overdue, r.waiting_supplement), (1, 2, 0));
    // Digitised: rows 1, 3, 4, 6. Fee-bearing: 2.000815, 2.001823 and 1.004203 (rows
    // 2, 4, 5, 6), paid online: row 4. An e-result: the birth registration.
    assert_eq!((r.digitised, r.fee_bearing, r.paid_online, r.e_results), (4, 4, 1, 1));
    assert_eq!((r.transferred, r.supplement_requests, r.extended, r.late_apologies), (1, 1, 1, 0));
}

/// Each option, left out, makes the export fail with an error that names the
/// option; nothing is written.
#[test]
fn each_option_is_needed_and_the_error_names_it() {
    let path = data(DOSSIERS);
    let full = || {
        ImportOptions::new()
            .record_type(RecordType::Dossiers)
            .vietnamese_headers()
            .ignore_column("Ghi chú")
    };
    let cases: Vec<(&str, ImportOptions, u64, &str, &str)> = vec![
        (
            "record type",
            ImportOptions::new().vietnamese().ignore_column("Ghi chú"),
            0,
            "",
            "ImportOptions::record_type",
        ),
        (
            "Vietnamese headers",
            ImportOptions::new()
                .record_type(RecordType::Dossiers)
                .day_first_dates()
                .local_instants()
                .vietnamese_values()
                .ignore_column("Ghi chú"),
            1,
            "STT",
            "vietnamese_headers()",
        ),
        (
            "the ignored column",
            ImportOptions::new().record_type(RecordType::Dossiers).vietnamese(),
            1,
            "Ghi chú",
            "is not a column of dossiers: expected code (Mã hồ sơ), procedure (Mã thủ tục), \
             agency (Mã cơ quan), channel (Hình thức nộp), received_at (Ngày tiếp nhận)",
        ),
        (
            "Vietnamese values",
            full().day_first_dates().local_instants(),
            2,
            "Hình thức nộp (channel)",
            "\"Trực tuyến\" is not one of direct, online, postal (it is Vietnamese for online: \
             ImportOptions::vietnamese_values() reads it)",
        ),
        (
            "day-first dates",
            full().local_instants().vietnamese_values(),
            2,
            "Ngày tiếp nhận (received_at)",
            "ImportOptions::day_first_dates()",
        ),
        (
            "local instants",
            full().day_first_dates().vietnamese_values(),
            2,
            "Ngày tiếp nhận (received_at)",
            "it has none (ImportOptions::local_instants() reads it as +07:00)",
        ),
    ];
    for (option, options, line, field, reason) in cases {
        let store = catalogue_store();
        let got = import_error(&store, &path, &options);
        assert_eq!((got.0, got.1.as_str()), (line, field), "{option}: {}", got.2);
        assert!(got.2.contains(reason), "{option}: {:?} lacks {reason:?}", got.2);
        assert!(store.dossiers().is_empty(), "{option}");
    }
}

/// Imports `content` as `name` with `options`; the error's line, field and reason.
fn reader_error(
    store: &Store,
    name: &str,
    content: &str,
    options: &ImportOptions,
) -> (u64, String, String) {
    match io::import_reader_with(store, content.as_bytes(), name, options) {
        Err(Error::Import { file, line, field, reason }) => {
            assert_eq!(file, name);
            (line, field, reason)
        }
        other => panic!("{name}: expected an import error, got {other:?}"),
    }
}

const ROW: &str =
    "000.01.21.H49-240304-0001,1.004227,000.01.21.H49,online,2024-03-04T08:15:00+07:00\n";

#[test]
fn header_problems_are_line_1_with_the_expected_names() {
    let store = catalogue_store();
    let strict = ImportOptions::new();
    let expected = "expected code, procedure, agency, channel, received_at, digitised, \
                    reused_data, appointment, receiving, portal, rule_set, events";
    // The example: a Vietnamese header without the option.
    let got = reader_error(
        &store,
        "hoso.csv",
        &format!("code,procedure,agency,Hình thức nộp,received_at\n{ROW}"),
        &strict.clone().record_type(RecordType::Dossiers),
    );
    assert_eq!((got.0, got.1.as_str()), (1, "Hình thức nộp"));
    assert!(got.2.starts_with(&format!("is not a column of dossiers: {expected}")), "{}", got.2);
    assert!(got.2.contains("the Vietnamese header of channel"), "{}", got.2);
    // A misspelt column, with the way out.
    let got = reader_error(
        &store,
        "dossiers.csv",
        &format!("code,procedure,agency,chanel,received_at\n{ROW}"),
        &strict,
    );
    assert_eq!((got.0, got.1.as_str()), (1, "chanel"));
    assert!(got.2.contains(expected) && got.2.contains("ImportOptions::alias"), "{}", got.2);
    // A required column missing, named as the file would name it.
    let got = reader_error(
        &store,
        "dossiers.csv",
        "code,procedure,agency,channel\n000.01.21.H49-240304-0001,1.004227,000.01.21.H49,online\n",
        &strict,
    );
    assert_eq!((got.0, got.1.as_str()), (1, "received_at"));
    assert!(got.2.starts_with(&format!("the column is missing: {expected}")), "{}", got.2);
    let got = reader_error(
        &store,
        "hoso.csv",
        "Mã hồ sơ,Mã TTHC,Mã cơ quan,Hình thức nộp\n",
        &strict.clone().record_type(RecordType::Dossiers).vietnamese(),
    );
    assert_eq!((got.0, got.1.as_str()), (1, "received_at (Ngày tiếp nhận)"));
    // Two columns for one field.
    let got = reader_error(
        &store,
        "hoso.csv",
        &format!("code,procedure,agency,channel,received_at,Mã hồ sơ\n{ROW}"),
        &strict.clone().record_type(RecordType::Dossiers).vietnamese_headers(),
    );
    assert_eq!((got.0, got.1.as_str()), (1, "Mã hồ sơ"));
    assert_eq!(got.2, "gives the field code again (after code)");
    // In JSON Lines a key is checked on its own line, with the expected names too.
    let got = reader_error(
        &store,
        "dossiers.jsonl",
        "\n{\"code\": \"000.01.21.H49-240304-0001\", \"Hình thức nộp\": \"online\"}\n",
        &strict,
    );
    assert_eq!((got.0, got.1.as_str()), (2, "Hình thức nộp"));
    assert!(got.2.contains(expected), "{}", got.2);
    // An alias to a field the record type does not have.
    let got = reader_error(
        &store,
        "dossiers.csv",
        &format!("code,procedure,agency,channel,received_at\n{ROW}"),
        &strict.clone().alias("Số biên nhận", "receipt_no"),
    );
    assert_eq!(got.0, 0);
    assert!(got.2.contains("\"receipt_no\", which is not a field of dossiers"), "{}", got.2);
    assert!(store.dossiers().is_empty());
}

#[test]
fn aliases_ignored_columns_and_unknown_columns_on_request() {
    let store = catalogue_store();
    // A system of our own naming: aliases, compared without case or marks.
    let csv = "So bien nhan,Ma TTHC,Co quan,Kenh,Luc nhan,Nguoi xu ly\n\
               000.01.21.H49-240304-0001,1.004227,000.01.21.H49,2,04/03/2024 08:15,Chị Hoa\n";
    let options = ImportOptions::new()
        .record_type(RecordType::Dossiers)
        .format(Format::Csv)
        .alias("Số biên nhận", "code")
        .alias("Cơ quan", "agency")
        .alias("KÊNH", "channel")
        .alias("Lúc nhận", "received_at")
        .vietnamese()
        .ignore_column("người xử lý");
    let r = io::import_reader_with(&store, csv.as_bytes(), "export", &options).unwrap();
    assert_eq!((r.rows, r.dossiers), (1, 1));
    assert_eq!(r.ignored, ["Nguoi xu ly"]);
    let d = store.dossiers().get(&code("000.01.21.H49-240304-0001")).unwrap().unwrap();
    // `KenhThucHien` 2 is online; 08:15 is Vietnam time.
    assert_eq!(d.header().channel, cchc::Channel::Online);
    assert_eq!(d.received_at(), datetime!(2024-03-04 01:15 UTC));

    // Unknown columns stay errors unless asked; asked, they are listed.
    let row = ROW.replace('\n', ",Đã tiếp nhận,\n");
    let csv = format!("code,procedure,agency,channel,received_at,Trạng thái,Ghi chú\n{row}")
        .replace("0001,", "0002,")
        .replace("08:15", "09:15");
    let strict = ImportOptions::new().record_type(RecordType::Dossiers);
    let got = reader_error(&store, "x.csv", &csv, &strict);
    assert_eq!((got.0, got.1.as_str()), (1, "Trạng thái"));
    let r =
        io::import_reader_with(&store, csv.as_bytes(), "x.csv", &strict.ignore_unknown_columns())
            .unwrap();
    assert_eq!((r.rows, r.dossiers), (1, 1));
    assert_eq!(r.ignored, ["Ghi chú", "Trạng thái"]);
    assert_eq!(store.dossiers().len(), 2);
}

#[test]
fn dates_and_instants_in_the_forms_asked_for() {
    let store = Store::temporary().unwrap();
    // Agencies with day-first validity dates; one-digit day and month too.
    let csv = "Mã cơ quan,Tên cơ quan,Loại cơ quan,Cơ quan cấp trên,Hiệu lực từ ngày,Hiệu lực đến ngày\n\
               000.00.00.H49,UBND tỉnh Quảng Nam,UBND tỉnh,,,\n\
               000.00.21.H49,UBND thành phố Tam Kỳ,UBND huyện,000.00.00.H49,1/1/2000,01/07/2025\n";
    let options = ImportOptions::new().record_type(RecordType::Agencies).vietnamese();
    let r = io::import_reader_with(&store, csv.as_bytes(), "donvi.csv", &options).unwrap();
    assert_eq!(r.agencies, 2);
    let tam_ky = store.agencies().get(&"000.00.21.H49".parse().unwrap()).unwrap().unwrap();
    assert_eq!(tam_ky.valid_from(), Some(time::macros::date!(2000 - 01 - 01)));
    assert_eq!(tam_ky.valid_to(), Some(time::macros::date!(2025 - 07 - 01)));
    assert_eq!(tam_ky.kind(), cchc::model::agency::AgencyKind::District);

    // Feedback: ISO instants without an offset are Vietnam time when asked, with
    // seconds; a date alone is not an instant.
    let store = catalogue_store();
    let header = "id,agency,received_at,kind,answered_at,satisfaction\n";
    let csv = format!(
        "{header}PA-1,000.00.00.H49,2024-03-01 09:00:30,Quy định hành chính,2024-03-15T10:00,Hài lòng\n"
    );
    let local = ImportOptions::new().record_type(RecordType::Feedback).local_instants();
    let got = reader_error(&store, "pakn.csv", &csv, &local);
    assert_eq!((got.0, got.1.as_str()), (2, "kind"));
    let r = io::import_reader_with(&store, csv.as_bytes(), "pakn.csv", &local.vietnamese_values())
        .unwrap();
    assert_eq!(r.feedback, 1);
    let item = store.feedback().all().unwrap().remove(0);
    assert_eq!(item.received_at(), datetime!(2024-03-01 09:00:30 +07:00));
    assert_eq!(item.answered_at(), Some(datetime!(2024-03-15 10:00 +07:00)));
    assert_eq!(item.satisfaction(), cchc::model::feedback::Satisfaction::Satisfied);
    let csv = format!("{header}PA-2,000.00.00.H49,01/03/2024,regulation,,\n");
    let got = reader_error(
        &store,
        "pakn.csv",
        &csv,
        &ImportOptions::new().vietnamese().record_type(RecordType::Feedback),
    );
    assert_eq!((got.0, got.1.as_str()), (2, "received_at"));
    assert!(got.2.contains("a date without a time of day"), "{}", got.2);
    // 31/02 is no date.
    let csv = format!("{header}PA-3,000.00.00.H49,31/02/2024 08:00,regulation,,\n");
    let got = reader_error(
        &store,
        "pakn.csv",
        &csv,
        &ImportOptions::new().vietnamese().record_type(RecordType::Feedback),
    );
    assert_eq!((got.0, got.1.as_str()), (2, "received_at"));
}

/// A dossier file of `n` rows of `procedure` received on Monday 4 March 2024 from
/// 08:00, one a second at An Mỹ; row `bad` (a data row, 1-based) carries the code
/// of another day, which only the store sees.
fn dossier_rows(n: u32, bad: Option<u32>, procedure: &str) -> String {
    let mut out = String::from("code,procedure,agency,channel,received_at\n");
    for i in 1..=n {
        let day = if Some(i) == bad { "240305" } else { "240304" };
        let at = datetime!(2024-03-04 08:00 +07:00) + time::Duration::seconds(i64::from(i));
        let at = at.format(&time::format_description::well_known::Rfc3339).unwrap();
        writeln!(out, "000.01.21.H49-{day}-{i:04},{procedure},000.01.21.H49,direct,{at}").unwrap();
    }
    out
}

/// Issue 19: a row refused by the store in the middle of a batch is named by its
/// own line, not the batch's first.
#[test]
fn a_bad_row_in_the_middle_of_a_batch_is_named_by_its_own_line() {
    let store = catalogue_store();
    // Batches of 10: rows 1–10 (lines 2–11) are written, row 17 (line 18) is bad.
    let options = ImportOptions::new().record_type(RecordType::Dossiers).batch(10);
    let got =
        reader_error(&store, "dossiers.csv", &dossier_rows(25, Some(17), "2.000815"), &options);
    assert_eq!((got.0, got.1.as_str()), (18, "received_at"), "{}", got.2);
    assert!(got.2.contains("is not the receipt date 2024-03-05 in the code"), "{}", got.2);
    assert_eq!(store.dossiers().len(), 10);

    // JSON Lines, nested events: the second dossier's code names another day.
    let store = catalogue_store();
    let line = |c: &str, at: &str| {
        format!(
            "{{\"code\": \"{c}\", \"procedure\": \"2.000815\", \"agency\": \"000.01.21.H49\", \
             \"channel\": \"direct\", \"received_at\": \"{at}\", \"events\": [{{\"at\": \"{at}\", \
             \"action\": \"resolve\"}}]}}\n"
        )
    };
    let jsonl = line("000.01.21.H49-240304-0001", "2024-03-04T08:00:00+07:00")
        + &line("000.01.21.H49-240305-0002", "2024-03-04T08:01:00+07:00")
        + &line("000.01.21.H49-240304-0003", "2024-03-04T08:02:00+07:00");
    let got = reader_error(&store, "dossiers.jsonl", &jsonl, &ImportOptions::new());
    assert_eq!((got.0, got.1.as_str()), (2, "received_at"), "{}", got.2);
    assert!(store.dossiers().is_empty());

    // Events: resolving a dossier that waits for a supplement, row 5 of a batch of 10
    // (line 6), found only when the store folds the dossier.
    let store = catalogue_store();
    io::import_reader_with(
        &store,
        dossier_rows(3, None, "1.004227").as_bytes(),
        "dossiers.csv",
        &ImportOptions::new(),
    )
    .unwrap();
    let c = |i: u32| format!("000.01.21.H49-240304-{i:04}");
    let events = format!(
        "dossier,at,action,reason\n\
         {a},2024-03-04T08:40:00+07:00,request_supplement,Thiếu bản chính\n\
         {b},2024-03-04T09:00:00+07:00,resolve,\n\
         {c},2024-03-04T09:00:00+07:00,resolve,\n\
         {b},2024-03-04T09:30:00+07:00,return_result,\n\
         {a},2024-03-04T09:10:00+07:00,resolve,\n\
         {c},2024-03-04T09:30:00+07:00,return_result,\n",
        a = c(1),
        b = c(2),
        c = c(3),
    );
    let got = reader_error(&store, "events.csv", &events, &ImportOptions::new().batch(10));
    assert_eq!((got.0, got.1.as_str()), (6, "action"), "{}", got.2);
    assert!(got.2.contains("waiting for a supplement"), "{}", got.2);
    // Nothing of the batch was written.
    for i in 1..=3 {
        assert_eq!(store.dossiers().get(&code(&c(i))).unwrap().unwrap().events().len(), 1);
    }
}

#[test]
fn progress_is_reported_for_import_export_and_restore() {
    type Calls = Arc<Mutex<Vec<(Stage, String, u64, Option<u64>, u64, Option<u64>)>>>;
    let calls: Calls = Arc::default();
    let record = |calls: &Calls| {
        let calls = Arc::clone(calls);
        move |p: &Progress<'_>| {
            let file = Path::new(p.file).file_name().unwrap().to_string_lossy().into_owned();
            calls.lock().unwrap().push((
                p.stage,
                file,
                p.rows,
                p.total_rows,
                p.bytes,
                p.total_bytes,
            ));
        }
    };
    let store = catalogue_store();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossiers.csv");
    std::fs::write(&path, dossier_rows(2_500, None, "2.000815")).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let options = ImportOptions::new().on_progress(record(&calls));
    let r = io::import_file_with(&store, &path, &options).unwrap();
    assert_eq!(r.dossiers, 2_500);
    {
        let got = calls.lock().unwrap();
        let rows: Vec<u64> = got.iter().map(|c| c.2).collect();
        assert_eq!(rows, [1_000, 2_000, 2_500]);
        assert!(got.iter().all(|c| c.0 == Stage::Import && c.1 == "dossiers.csv"));
        assert!(got.iter().all(|c| c.3.is_none() && c.5 == Some(size)));
        // Bytes grow, and the whole file has been read at the end.
        assert!(got[0].4 <= got[1].4 && got[1].4 <= got[2].4);
        assert_eq!(got[2].4, size);
    }

    calls.lock().unwrap().clear();
    let backup = tempfile::tempdir().unwrap();
    io::backup::export_with_progress(&store, backup.path(), record(&calls)).unwrap();
    {
        let got = calls.lock().unwrap();
        let dossiers: Vec<(u64, Option<u64>)> =
            got.iter().filter(|c| c.1 == "dossiers.jsonl").map(|c| (c.2, c.3)).collect();
        assert_eq!(dossiers, [(1_000, Some(2_500)), (2_000, Some(2_500)), (2_500, Some(2_500))]);
        // One last report per data file, in order; agencies 8 of 8.
        let ends: Vec<&str> =
            got.iter().filter(|c| c.3.is_none_or(|t| c.2 == t)).map(|c| c.1.as_str()).collect();
        assert_eq!(
            ends,
            [
                "agencies.jsonl",
                "procedures.jsonl",
                "dossiers.jsonl",
                "feedback.jsonl",
                "plans.jsonl",
                "organisation.jsonl",
                "frameworks.jsonl",
                "assessments.jsonl",
                "surveys.jsonl",
                "calendar_announcements.jsonl",
            ]
        );
        assert!(got.iter().any(|c| c.1 == "agencies.jsonl" && c.2 == 8 && c.3 == Some(8)));
        assert!(got.iter().all(|c| c.0 == Stage::Export));
    }

    calls.lock().unwrap().clear();
    let copy = Store::temporary().unwrap();
    io::backup::restore_with_progress(&copy, backup.path(), record(&calls)).unwrap();
    let got = calls.lock().unwrap();
    for stage in [Stage::Check, Stage::Restore] {
        let dossiers: Vec<u64> =
            got.iter().filter(|c| c.0 == stage && c.1 == "dossiers.jsonl").map(|c| c.2).collect();
        assert_eq!(dossiers, [1_000, 2_000, 2_500], "{stage:?}");
        assert!(got.iter().filter(|c| c.0 == stage).all(|c| c.3.is_some()));
    }
    // The check comes first, the restore after it.
    let first_restore = got.iter().position(|c| c.0 == Stage::Restore).unwrap();
    assert!(got[..first_restore].iter().all(|c| c.0 == Stage::Check));
    assert_eq!(copy.dossiers().len(), 2_500);
}
