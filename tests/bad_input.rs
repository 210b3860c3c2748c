//! The bad-input matrix: one table of bad inputs across every public write path
//! (codes, names, reasons, dates, references, duplicates, impossible transitions,
//! procedures, agencies, scores, frameworks, imports, damaged stores, newer
//! formats). Each case must fail with its specific error variant and leave the
//! store exactly as it was: the logical export (agencies, procedure versions,
//! dossiers, reports and backlogs over every scope) is equal before and after, and
//! so is every key and value of every sled tree, read with a raw sled handle.

mod common;

use cchc::model::dossier::Payment;
use cchc::model::dossier::ResultForm;
use std::path::{Path, PathBuf};

use cchc::io::{self, Format, RecordType};
use cchc::model::agency::AgencyKind;
use cchc::model::feedback::{Feedback, FeedbackId, FeedbackKind};
use cchc::model::organisation::{OrganisationCounts, OrganisationSnapshot};
use cchc::model::plan::{PlanTask, ReformPlan};
use cchc::model::procedure::{Announcement, AnnouncementKind, ProcedureStatus};
use cchc::model::score::{
    Assessment, FrameworkNode, FrameworkSpec, IndexFramework, LeafPoints, ScoreSource,
};
use cchc::model::score::{SipasFactor, Survey, SurveyItem};
use cchc::model::time_limit::TimeUnit;
use cchc::{
    Action, AdminUnitCode, Agency, AgencyCode, Channel, DossierCode, Error, Field, Level,
    NewDossier, Period, Procedure, ProcedureCode, RecordKind, Scope, Store, TimeLimit,
};
use time::OffsetDateTime;
use time::macros::{date, datetime};

/// What a case must fail with.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Code(&'static str),
    Input(&'static str),
    NotFound(RecordKind),
    Duplicate(RecordKind),
    Transition(&'static str),
    Corrupt(&'static str),
    Format(u32),
    /// An import error on this field.
    Import(&'static str),
    /// A file that cannot be opened, named by a path ending in this text.
    File(&'static str),
}

impl Expect {
    fn matches(self, e: &Error) -> bool {
        match (self, e) {
            (Expect::Code(k), Error::InvalidCode { kind, .. }) => k == *kind,
            (Expect::Input(f), Error::InvalidInput { field, .. }) => f == *field,
            (Expect::NotFound(k), Error::NotFound { kind, .. })
            | (Expect::Duplicate(k), Error::Duplicate { kind, .. }) => k == *kind,
            (Expect::Transition(ev), Error::InvalidTransition { event, .. }) => ev == event,
            (Expect::Corrupt(t), Error::Corrupt { tree, .. }) => t == *tree,
            (Expect::Import(f), Error::Import { field, .. }) => f == field,
            (Expect::File(end), Error::File { path, .. }) => path.ends_with(end),
            (Expect::Format(v), Error::UnsupportedFormat { found, oldest, current }) => {
                v == *found
                    && *oldest == cchc::store::OLDEST_READABLE_FORMAT
                    && *current == cchc::store::FORMAT_VERSION
            }
            _ => false,
        }
    }
}

type StoreRun = Box<dyn Fn(&Store) -> cchc::Result<()>>;
type PathRun = Box<dyn Fn(&Path) -> cchc::Result<()>>;

enum Run {
    /// Runs against the open fixture store.
    Store(StoreRun),
    /// Runs against a damaged copy of the fixture, opening it itself.
    Damaged { damage: fn(&Path), run: PathRun },
}

struct Case {
    name: &'static str,
    run: Run,
    expect: Expect,
}

fn case(
    name: &'static str,
    expect: Expect,
    run: impl Fn(&Store) -> cchc::Result<()> + 'static,
) -> Case {
    Case { name, run: Run::Store(Box::new(run)), expect }
}

fn damaged(
    name: &'static str,
    expect: Expect,
    damage: fn(&Path),
    run: impl Fn(&Path) -> cchc::Result<()> + 'static,
) -> Case {
    Case { name, run: Run::Damaged { damage, run: Box::new(run) }, expect }
}

// The fixture's dossiers, one per state that matters.
const PROCESSING: &str = "000.01.01.H49-240102-0001";
const WAITING: &str = "000.01.01.H49-240102-0002";
const RESOLVED: &str = "000.01.01.H49-240102-0003";
const EXTENDED: &str = "000.01.01.H49-240102-0004";
const WITHDRAWN: &str = "000.01.01.H49-240102-0005";
const PAID: &str = "000.01.01.H49-240102-0006";
/// A commune merged away on 2025-07-01.
const MERGED: &str = "000.01.09.H49";
const LATER_PROCEDURE: &str = "2.000999";
const ABOLISHED_PROCEDURE: &str = "2.000888";

/// Imports `content` as the CSV file `name` (its record type from the name).
fn import_csv(store: &Store, name: &str, content: &str) -> cchc::Result<()> {
    let Some(record_type) = RecordType::from_file_name(name) else {
        panic!("{name} names no record type");
    };
    io::import_reader(store, content.as_bytes(), name, Format::Csv, record_type, 1_000).map(drop)
}

/// Imports `content` as the JSON Lines file `name`.
fn import_jsonl(store: &Store, name: &str, content: &str) -> cchc::Result<()> {
    let Some(record_type) = RecordType::from_file_name(name) else {
        panic!("{name} names no record type");
    };
    io::import_reader(store, content.as_bytes(), name, Format::JsonLines, record_type, 1_000)
        .map(drop)
}

/// A feedback item of the fixture's first commune received at `at`.
fn feedback_at(at: OffsetDateTime) -> cchc::Result<Feedback> {
    Feedback::new(
        FeedbackId::new("1022-000001")?,
        common::agency(common::COMMUNES[0]),
        at,
        FeedbackKind::Regulation,
    )
}

fn code(text: &str) -> DossierCode {
    DossierCode::new(text).unwrap()
}

fn t(day: u8, hour: u8) -> OffsetDateTime {
    datetime!(2024-01-01 00:00 +07:00)
        + time::Duration::days(i64::from(day) - 1)
        + time::Duration::hours(i64::from(hour))
}

fn receipt(code_text: &str, at: OffsetDateTime) -> NewDossier {
    NewDossier {
        code: code(code_text),
        procedure: common::procedure_code(common::PROCEDURES[0]),
        agency: common::agency(common::COMMUNES[0]),
        channel: Channel::Online,
        received_at: at,
        digitised: true,
        reused_data: false,
        receiving: None,
        portal: None,
        rule_set: None,
    }
}

fn build_fixture(path: &Path) {
    let store = Store::open(path).unwrap();
    common::insert_catalogue(&store);
    let merged = Agency::commune(
        common::agency(MERGED),
        "UBND xã Đại Phong",
        &common::agency(common::DISTRICTS[0]),
    )
    .unwrap()
    .with_unit(AdminUnitCode::new("20347").unwrap())
    .with_validity(None, Some(date!(2025 - 07 - 01)))
    .unwrap();
    store.agencies().insert(&merged).unwrap();
    let later = Procedure::builder(
        ProcedureCode::new(LATER_PROCEDURE).unwrap(),
        "Cấp phiếu lý lịch tư pháp",
        Field::new("Lý lịch tư pháp").unwrap(),
        TimeLimit::working_days(10),
    )
    .effective_from(date!(2024 - 06 - 01))
    .build()
    .unwrap();
    store.procedures().insert(&later).unwrap();
    let abolished = Procedure::builder(
        ProcedureCode::new(ABOLISHED_PROCEDURE).unwrap(),
        "Thủ tục đã bãi bỏ",
        Field::new("Hộ tịch").unwrap(),
        TimeLimit::working_days(10),
    )
    .status(ProcedureStatus::Abolished)
    .build()
    .unwrap();
    store.procedures().insert(&abolished).unwrap();
    let d = store.dossiers();
    for (i, c) in [PROCESSING, WAITING, RESOLVED, EXTENDED, WITHDRAWN, PAID].iter().enumerate() {
        d.receive(&receipt(c, t(2, 8) + time::Duration::minutes(i as i64))).unwrap();
    }
    d.request_supplement(&code(WAITING), t(2, 10), "Thiếu bản sao").unwrap();
    d.resolve(&code(RESOLVED), t(3, 9), ResultForm::Electronic).unwrap();
    d.extend(&code(EXTENDED), t(3, 9), t(20, 9), "Cần xác minh").unwrap();
    d.withdraw(&code(WITHDRAWN), t(3, 9)).unwrap();
    d.pay(&code(PAID), t(3, 9), Payment::Online).unwrap();
    store.sync().unwrap();
}

fn cases() -> Vec<Case> {
    use Expect::*;
    let long = "x".repeat(501);
    let longer = "y".repeat(2001);
    let framework_spec = || FrameworkSpec {
        id: "demo.2025".to_owned(),
        name_vi: "Chỉ số thử".to_owned(),
        name_en: None,
        max_points: Some(10.0),
        min_points: None,
        additive: true,
        note: None,
        nodes: vec![
            FrameworkNode::new("1", None, "Lĩnh vực 1", ScoreSource::Appraisal).with_max(10.0),
            FrameworkNode::new("1.1", Some("1"), "Tiêu chí 1.1", ScoreSource::Appraisal)
                .with_max(6.0),
            FrameworkNode::new("1.2", Some("1"), "Tiêu chí 1.2", ScoreSource::Appraisal)
                .with_max(4.0),
        ],
    };
    let framework = IndexFramework::new(framework_spec()).unwrap();
    let assess = move |p11: f64| {
        let framework = framework.clone();
        move |_: &Store| {
            Assessment::new(
                &framework,
                "Quảng Nam",
                2024,
                [LeafPoints::scored("1.1", p11), LeafPoints::scored("1.2", 3.0)],
            )
            .map(drop)
        }
    };
    let builder = || {
        Procedure::builder(
            ProcedureCode::new("1.009999").unwrap(),
            "Thủ tục mới",
            Field::new("Hộ tịch").unwrap(),
            TimeLimit::working_days(5),
        )
    };
    let long_name = long.clone();
    let long_reason = longer.clone();
    let long_reason2 = longer.clone();
    vec![
        // Codes of each kind.
        case("agency code in lower case", Code("agency"), |_| {
            AgencyCode::new("000.00.00.h49").map(drop)
        }),
        case("empty agency code", Code("agency"), |_| AgencyCode::new("").map(drop)),
        case("agency code with five parts", Code("agency"), |_| {
            AgencyCode::new("000.00.00.00.H49").map(drop)
        }),
        case("procedure code without six digits", Code("procedure"), |_| {
            ProcedureCode::new("1.0042").map(drop)
        }),
        case("procedure code with three leading digits", Code("procedure"), |_| {
            ProcedureCode::new("123.004227").map(drop)
        }),
        case("dossier code with month 13", Code("dossier"), |_| {
            DossierCode::new("000.00.00.H49-241304-0001").map(drop)
        }),
        case("dossier code with sequence 0000", Code("dossier"), |_| {
            DossierCode::new("000.00.00.H49-240104-0000").map(drop)
        }),
        case("dossier code for 2100", Code("dossier"), |_| {
            DossierCode::compose(&common::agency(common::PROVINCE), date!(2100 - 01 - 01), 1)
                .map(drop)
        }),
        case("four-digit administrative unit", Code("administrative unit"), |_| {
            AdminUnitCode::new("4912").map(drop)
        }),
        // Names and reasons: empty, oversized, control characters.
        case("empty field", Input("procedure.field"), |_| Field::new("   ").map(drop)),
        case("empty agency name", Input("agency.name"), move |s| {
            s.agencies().insert(&Agency::district(
                common::agency("000.00.07.H49"),
                " ",
                &province(),
            )?)
        }),
        case("agency name over 500 characters", Input("agency.name"), move |s| {
            s.agencies().insert(&Agency::district(
                common::agency("000.00.07.H49"),
                &long_name,
                &province(),
            )?)
        }),
        case("agency name with a control character", Input("agency.name"), move |s| {
            s.agencies().insert(&Agency::district(
                common::agency("000.00.07.H49"),
                "UBND\u{7}huyện",
                &province(),
            )?)
        }),
        case("empty procedure name", Input("procedure.name"), |s| {
            s.procedures().insert(
                &Procedure::builder(
                    ProcedureCode::new("1.009999")?,
                    "",
                    Field::new("Hộ tịch")?,
                    TimeLimit::working_days(5),
                )
                .build()?,
            )
        }),
        case("procedure name over 500 characters", Input("procedure.name"), move |s| {
            s.procedures().insert(
                &Procedure::builder(
                    ProcedureCode::new("1.009999")?,
                    &long,
                    Field::new("Hộ tịch")?,
                    TimeLimit::working_days(5),
                )
                .build()?,
            )
        }),
        case("supplement reason over 2000 characters", Input("event.reason"), move |s| {
            s.dossiers().request_supplement(&code(PROCESSING), t(4, 9), &long_reason).map(drop)
        }),
        case("refusal reason with a control character", Input("event.reason"), |s| {
            s.dossiers().refuse(&code(PROCESSING), t(4, 9), "không\u{0}đủ").map(drop)
        }),
        case("extension reason over 2000 characters", Input("event.reason"), move |s| {
            s.dossiers().extend(&code(PROCESSING), t(4, 9), t(30, 9), &long_reason2).map(drop)
        }),
        case("empty announcement number", Input("announcement.number"), move |s| {
            s.procedures().insert(
                &builder()
                    .announcement(Announcement {
                        number: String::new(),
                        signed: date!(2024 - 01 - 01),
                        effective: date!(2024 - 01 - 15),
                        kind: AnnouncementKind::New,
                    })
                    .build()?,
            )
        }),
        // Dates.
        case(
            "receipt in year 9999, beyond the code's 2000-2099",
            Input("dossier.received_at"),
            |s| {
                s.dossiers()
                    .receive(&receipt(
                        "000.01.01.H49-991231-0001",
                        datetime!(9999-12-31 09:00 +07:00),
                    ))
                    .map(drop)
            },
        ),
        case("receipt on another day than its code's date", Input("dossier.received_at"), |s| {
            s.dossiers().receive(&receipt("000.01.01.H49-240105-0001", t(6, 9))).map(drop)
        }),
        case("receipt before the procedure's first version", Input("dossier.received_at"), |s| {
            let mut new = receipt("000.01.01.H49-240105-0001", t(5, 9));
            new.procedure = ProcedureCode::new(LATER_PROCEDURE)?;
            s.dossiers().receive(&new).map(drop)
        }),
        case("receipt by an agency after it was merged", Input("dossier.agency"), |s| {
            let mut new = receipt("000.01.09.H49-250801-0001", datetime!(2025-08-01 09:00 +07:00));
            new.agency = common::agency(MERGED);
            s.dossiers().receive(&new).map(drop)
        }),
        case("receipt under an abolished procedure", Input("dossier.procedure"), |s| {
            let mut new = receipt("000.01.01.H49-240105-0001", t(5, 9));
            new.procedure = ProcedureCode::new(ABOLISHED_PROCEDURE)?;
            s.dossiers().receive(&new).map(drop)
        }),
        case("agency valid to before valid from", Input("agency.valid_to"), |s| {
            s.agencies().insert(
                &Agency::commune(
                    common::agency("000.01.07.H49"),
                    "UBND xã mới",
                    &common::agency(common::DISTRICTS[0]),
                )?
                .with_validity(Some(date!(2025 - 07 - 01)), Some(date!(2025 - 01 - 01)))?,
            )
        }),
        case("announcement effective before signed", Input("announcement.effective"), move |s| {
            s.procedures().insert(
                &builder()
                    .announcement(Announcement {
                        number: "12/QĐ-UBND".to_owned(),
                        signed: date!(2024 - 02 - 01),
                        effective: date!(2024 - 01 - 01),
                        kind: AnnouncementKind::New,
                    })
                    .build()?,
            )
        }),
        case("dossier opened in year 9999", Input("dossier.received_at"), |_| {
            let end = datetime!(9999-12-31 23:59 UTC);
            let header = cchc::model::dossier::DossierHeader {
                code: code(PROCESSING),
                procedure: common::procedure_code(common::PROCEDURES[0]),
                field: Field::new("Hộ tịch")?,
                agency: common::agency(common::COMMUNES[0]),
                channel: Channel::Direct,
                limit: TimeLimit::working_days(3),
                fee_bearing: false,
                paper_result: false,
                digitised: false,
                reused_data: false,
                receiving: None,
                portal: None,
                rule_set: cchc::model::rules::RuleSetId::Decree61,
            };
            cchc::Dossier::open(header, end, end).map(drop)
        }),
        case("resolution in the year 3000", Input("event.at"), |s| {
            s.dossiers()
                .resolve(&code(PROCESSING), datetime!(3000-01-01 09:00 +07:00), ResultForm::Electronic)
                .map(drop)
        }),
        case("extension to the year 9999", Input("event.new_appointment"), |s| {
            s.dossiers()
                .extend(&code(PROCESSING), t(4, 9), datetime!(9999-12-31 23:00 UTC), "Rất lâu")
                .map(drop)
        }),
        // Events out of order.
        case("resolution before the receipt", Transition("resolution"), |s| {
            s.dossiers().resolve(&code(PROCESSING), t(1, 9), ResultForm::Electronic).map(drop)
        }),
        case("payment before the previous event", Transition("payment"), |s| {
            s.dossiers().pay(&code(EXTENDED), t(3, 8), Payment::Online).map(drop)
        }),
        // Unknown references.
        case("receipt under an unknown procedure", NotFound(RecordKind::Procedure), |s| {
            let mut new = receipt("000.01.01.H49-240105-0001", t(5, 9));
            new.procedure = ProcedureCode::new("9.999999")?;
            s.dossiers().receive(&new).map(drop)
        }),
        case("receipt by an unknown agency", NotFound(RecordKind::Agency), |s| {
            let mut new = receipt("000.09.09.H49-240105-0001", t(5, 9));
            new.agency = common::agency("000.09.09.H49");
            s.dossiers().receive(&new).map(drop)
        }),
        case("action on an unknown dossier", NotFound(RecordKind::Dossier), |s| {
            s.dossiers().resolve(&code("000.01.01.H49-240102-0099"), t(4, 9), ResultForm::Electronic).map(drop)
        }),
        case("transfer to an unknown agency", NotFound(RecordKind::Agency), |s| {
            s.dossiers()
                .transfer(&code(PROCESSING), t(4, 9), &common::agency("000.09.09.H49"))
                .map(drop)
        }),
        case("agency under an unknown parent", NotFound(RecordKind::Agency), |s| {
            s.agencies().insert(&Agency::commune(
                common::agency("000.09.01.H49"),
                "UBND xã",
                &common::agency("000.00.09.H49"),
            )?)
        }),
        case("update of an unknown agency", NotFound(RecordKind::Agency), |s| {
            s.agencies().update(&Agency::district(
                common::agency("000.00.09.H49"),
                "UBND huyện",
                &province(),
            )?)
        }),
        case("report of an unknown agency", NotFound(RecordKind::Agency), |s| {
            s.report(&Scope::subtree(&common::agency("000.00.09.H49")), Period::year(2024)?)
                .map(drop)
        }),
        // Duplicates.
        case("duplicate agency", Duplicate(RecordKind::Agency), |s| {
            s.agencies().insert(&common::agencies()[2])
        }),
        case("duplicate procedure version", Duplicate(RecordKind::Procedure), |s| {
            s.procedures().insert(&common::procedures()[1])
        }),
        case("duplicate dossier", Duplicate(RecordKind::Dossier), |s| {
            s.dossiers().receive(&receipt(RESOLVED, t(2, 9))).map(drop)
        }),
        case("duplicate dossier inside one import batch", Duplicate(RecordKind::Dossier), |s| {
            let mut import = s.dossiers().importer();
            import.dossier(receipt("000.01.01.H49-240105-0001", t(5, 9)), vec![])?;
            import.dossier(receipt("000.01.01.H49-240105-0001", t(5, 10)), vec![])?;
            import.finish().map(drop)
        }),
        // Impossible transitions.
        case("resolve twice", Transition("resolution"), |s| {
            s.dossiers().resolve(&code(RESOLVED), t(4, 9), ResultForm::Electronic).map(drop)
        }),
        case("resolve while waiting", Transition("resolution"), |s| {
            s.dossiers().resolve(&code(WAITING), t(4, 9), ResultForm::Electronic).map(drop)
        }),
        case("supplement without a request", Transition("supplement"), |s| {
            s.dossiers().supplement(&code(PROCESSING), t(4, 9)).map(drop)
        }),
        case("second extension", Transition("extension"), |s| {
            s.dossiers().extend(&code(EXTENDED), t(4, 9), t(40, 9), "Lần hai").map(drop)
        }),
        case("extension not after the due instant", Transition("extension"), |s| {
            s.dossiers().extend(&code(PROCESSING), t(2, 10), t(2, 11), "Sớm").map(drop)
        }),
        case("return before resolution", Transition("result return"), |s| {
            s.dossiers().return_result(&code(PROCESSING), t(4, 9)).map(drop)
        }),
        case("second payment", Transition("payment"), |s| {
            s.dossiers().pay(&code(PAID), t(4, 9), Payment::Offline).map(drop)
        }),
        case("transfer to the current agency", Transition("transfer"), |s| {
            s.dossiers()
                .transfer(&code(PROCESSING), t(4, 9), &common::agency(common::COMMUNES[0]))
                .map(drop)
        }),
        case("resolve after withdrawal", Transition("resolution"), |s| {
            s.dossiers().resolve(&code(WITHDRAWN), t(4, 9), ResultForm::Electronic).map(drop)
        }),
        case("payment after withdrawal", Transition("payment"), |s| {
            s.dossiers().pay(&code(WITHDRAWN), t(4, 9), Payment::Online).map(drop)
        }),
        case("supplement request after withdrawal", Transition("supplement request"), |s| {
            s.dossiers().request_supplement(&code(WITHDRAWN), t(4, 9), "Thiếu").map(drop)
        }),
        case("transfer after withdrawal", Transition("transfer"), |s| {
            s.dossiers().transfer(&code(WITHDRAWN), t(4, 9), &province()).map(drop)
        }),
        case("withdraw twice", Transition("withdrawal"), |s| {
            s.dossiers().withdraw(&code(WITHDRAWN), t(4, 9)).map(drop)
        }),
        case("impossible action in a batch discards the batch", Transition("resolution"), |s| {
            let mut import = s.dossiers().importer();
            import.dossier(receipt("000.01.01.H49-240105-0001", t(5, 9)), vec![])?;
            import.action(code(PROCESSING), t(5, 10), Action::Resolve { e_result: true })?;
            import.action(code(WAITING), t(5, 11), Action::Resolve { e_result: true })?;
            import.finish().map(drop)
        }),
        // Procedures and agencies.
        case(
            "reduced limit longer than the central one",
            Input("procedure.reduced_limit"),
            move |s| {
                s.procedures().insert(&builder().reduced_limit(TimeLimit::working_days(6)).build()?)
            },
        ),
        case("reduced limit in another unit", Input("procedure.reduced_limit"), move |s| {
            s.procedures().insert(
                &builder()
                    .reduced_limit(TimeLimit { amount: 3, unit: TimeUnit::CalendarDays })
                    .build()?,
            )
        }),
        case("online payment without a fee", Input("procedure.online_payment"), move |s| {
            s.procedures().insert(&builder().fee(false, true).build()?)
        }),
        case("agency that is its own parent", Input("agency.parent"), |_| {
            let c = common::agency("000.00.08.H49");
            Agency::new(c.clone(), "UBND", AgencyKind::District, Level::District, Some(&c))
                .map(drop)
        }),
        case("department under a district", Input("agency.level"), |s| {
            s.agencies().insert(&Agency::department(
                common::agency("000.11.00.H49"),
                "Phòng",
                &common::agency(common::DISTRICTS[0]),
            )?)
        }),
        case("update that moves an agency", Input("agency.parent"), |s| {
            s.agencies().update(&Agency::commune(
                common::agency(common::COMMUNES[0]),
                "UBND xã Đại Hiệp",
                &common::agency(common::DISTRICTS[1]),
            )?)
        }),
        // CSV imports: a bad row stops the file before anything of it is written.
        case("agencies CSV without a kind column", Import("kind"), |s| {
            import_csv(s, "agencies.csv", "code,name\n000.11.00.H49,Sở Nội vụ\n")
        }),
        case("dossiers CSV without a channel column", Import("channel"), |s| {
            import_csv(
                s,
                "dossiers.csv",
                "code,procedure,agency,received_at\n\
                 000.01.01.H49-240105-0001,1.004227,000.01.01.H49,2024-01-05T09:00:00+07:00\n",
            )
        }),
        case("agencies CSV with a bad code in its second row", Import("code"), |s| {
            import_csv(
                s,
                "agencies.csv",
                "code,name,kind,parent\n\
                 000.11.00.H49,Sở Nội vụ,department,000.00.00.H49\n\
                 000.12.0.H49,Sở Tư pháp,department,000.00.00.H49\n",
            )
        }),
        case("dossiers CSV with a month-13 code after a good row", Import("code"), |s| {
            import_csv(
                s,
                "dossiers.csv",
                "code,procedure,agency,channel,received_at\n\
                 000.01.01.H49-240105-0001,1.004227,000.01.01.H49,online,2024-01-05T09:00:00+07:00\n\
                 000.01.01.H49-241305-0002,1.004227,000.01.01.H49,online,2024-01-05T10:00:00+07:00\n",
            )
        }),
        case("agencies CSV with 30 February", Import("valid_from"), |s| {
            import_csv(
                s,
                "agencies.csv",
                "code,name,kind,parent,valid_from\n\
                 000.11.00.H49,Sở Nội vụ,department,000.00.00.H49,2024-01-01\n\
                 000.12.00.H49,Sở Tư pháp,department,000.00.00.H49,2024-02-30\n",
            )
        }),
        case("procedures CSV with a day-first date", Import("effective_from"), |s| {
            import_csv(
                s,
                "procedures.csv",
                "code,name,field,limit,effective_from\n\
                 1.009001,Thủ tục A,Hộ tịch,5,2024-01-01\n\
                 1.009002,Thủ tục B,Hộ tịch,5,01/02/2024\n",
            )
        }),
        case("events CSV with an instant without offset", Import("at"), |s| {
            import_csv(
                s,
                "events.csv",
                format!("dossier,at,action\n{PROCESSING},2024-01-04 09:00,resolve\n").as_str(),
            )
        }),
        // Scores and frameworks.
        case("points above the maximum", Input("assessment.points"), assess(6.5)),
        case("NaN points", Input("assessment.points"), assess(f64::NAN)),
        case("negative points", Input("assessment.points"), assess(-1.0)),
        case("framework with a parent cycle", Input("framework.nodes.parent"), move |_| {
            let mut spec = framework_spec();
            spec.nodes[0].parent = Some("1.1".to_owned());
            IndexFramework::new(spec).map(drop)
        }),
        case("framework JSON with a parent cycle", Input("framework.nodes.parent"), |_| {
            IndexFramework::from_json(
                r#"{"id": "c", "name_vi": "Vòng", "nodes": [
                    {"id": "a", "parent": "b", "name_vi": "A", "source": "appraisal"},
                    {"id": "b", "parent": "a", "name_vi": "B", "source": "appraisal"}]}"#,
            )
            .map(drop)
        }),
        case("framework with negative maximum points", Input("framework.points"), move |_| {
            let mut spec = framework_spec();
            spec.nodes[2].max_points = Some(-4.0);
            IndexFramework::new(spec).map(drop)
        }),
        case("framework file that is not JSON", Input("framework.json"), |_| {
            IndexFramework::from_json("{\"id\": ").map(drop)
        }),
        // Damaged stores: each opens a copy damaged with a raw sled handle.
        damaged("garbage agency record", Corrupt("agencies"), garbage_agency, |p| {
            Store::open(p).map(drop)
        }),
        damaged("garbage procedure record", Corrupt("procedures"), garbage_procedure, |p| {
            Store::open(p).map(drop)
        }),
        damaged("garbage dossier record, read", Corrupt("dossiers"), garbage_dossier, |p| {
            Store::open(p)?.dossiers().get(&code(PROCESSING)).map(drop)
        }),
        damaged("garbage dossier record, written", Corrupt("dossiers"), garbage_dossier, |p| {
            Store::open(p)?.dossiers().resolve(&code(PROCESSING), t(4, 9), ResultForm::Electronic).map(drop)
        }),
        damaged("garbage dossier record, verified", Corrupt("dossiers"), garbage_dossier, |p| {
            Store::open(p)?.verify().map(drop)
        }),
        damaged("truncated dossier record", Corrupt("dossiers"), truncated_dossier, |p| {
            Store::open(p)?.dossiers().get(&code(PROCESSING)).map(drop)
        }),
        damaged("dossier record with trailing bytes", Corrupt("dossiers"), trailing_dossier, |p| {
            Store::open(p)?.dossiers().iter().collect::<cchc::Result<Vec<_>>>().map(drop)
        }),
        damaged("dossier record timed past year 9999", Corrupt("dossiers"), end_of_time, |p| {
            Store::open(p)?.verify().map(drop)
        }),
        damaged("dossier past year 9999, resolved", Corrupt("dossiers"), end_of_time, |p| {
            Store::open(p)?.dossiers().resolve(&code(PROCESSING), t(4, 9), ResultForm::Electronic).map(drop)
        }),
        damaged("garbage counter row", Corrupt("counters"), garbage_counters, |p| {
            Store::open(p)?.report(&Scope::All, common::all_time()).map(drop)
        }),
        damaged("short format version", Corrupt("meta"), short_version, |p| {
            Store::open(p).map(drop)
        }),
        damaged(
            "store of a newer format",
            Format(99),
            |p| newer_format(p, 99),
            |p| Store::open(p).map(drop),
        ),
        damaged(
            "store of format 0",
            Format(0),
            |p| newer_format(p, 0),
            |p| Store::open(p).map(drop),
        ),
    ]
    .into_iter()
    .chain(issue_13_cases())
    .collect()
}

/// The bad inputs of issue 13 (items 1, 8, 10 and 11), each of which was accepted,
/// panicked or failed without naming its file before.
fn issue_13_cases() -> Vec<Case> {
    use Expect::*;
    // Item 1: one supported range, 1900-01-01..=2100-12-31 in Vietnam time, at every
    // boundary and for every record type.
    let end = datetime!(9999-12-31 23:00 UTC);
    let in_2101 = datetime!(2101-01-01 00:00 +07:00);
    vec![
        case("receipt at 9999-12-31T23:00Z", Input("dossier.received_at"), move |s| {
            s.dossiers().receive(&receipt("000.01.01.H49-991231-0001", end)).map(drop)
        }),
        case("receipt an instant before the range", Input("dossier.received_at"), |s| {
            let at = datetime!(1899-12-31 16:59:59 UTC);
            s.dossiers().receive(&receipt("000.01.01.H49-991231-0001", at)).map(drop)
        }),
        case("extension at the end of time", Input("event.at"), move |s| {
            s.dossiers().extend(&code(PROCESSING), end, end, "Rất lâu").map(drop)
        }),
        case("resolution in 2101", Input("event.at"), move |s| {
            s.dossiers().resolve(&code(PROCESSING), in_2101, ResultForm::Electronic).map(drop)
        }),
        case("extension to 2101", Input("event.new_appointment"), move |s| {
            s.dossiers().extend(&code(PROCESSING), t(4, 9), in_2101, "Rất lâu").map(drop)
        }),
        case("batch action at the end of time", Input("event.at"), move |s| {
            let mut import = s.dossiers().importer();
            import.action(code(PROCESSING), end, Action::Resolve { e_result: true })?;
            import.finish().map(drop)
        }),
        case("dossiers CSV row at the end of time", Import("received_at"), |s| {
            import_csv(
                s,
                "dossiers.csv",
                "code,procedure,agency,channel,received_at\n\
                 000.01.01.H49-991231-0001,1.004227,000.01.01.H49,online,9999-12-31T23:00:00Z\n",
            )
        }),
        case("events CSV resolution in 2101", Import("at"), |s| {
            import_csv(
                s,
                "events.csv",
                &format!("dossier,at,action\n{PROCESSING},2101-01-02T09:00:00+07:00,resolve\n"),
            )
        }),
        case("feedback received at the end of time", Input("feedback.received_at"), move |s| {
            s.feedback().insert(&feedback_at(datetime!(9999-12-31 22:00 UTC))?)
        }),
        case("feedback answered in 2101", Input("feedback.answered_at"), move |s| {
            s.feedback().insert(&feedback_at(t(4, 9))?.with_answer(in_2101)?)
        }),
        case("feedback CSV row at the end of time", Import("received_at"), |s| {
            import_csv(
                s,
                "feedback.csv",
                "id,agency,received_at,kind\n\
                 PA-1,000.01.01.H49,2024-03-01T09:00:00+07:00,regulation\n\
                 PA-2,000.01.01.H49,9999-12-31T22:00:00Z,regulation\n",
            )
        }),
        case("feedback JSON Lines answer in 1899", Import("answered_at"), |s| {
            import_jsonl(
                s,
                "feedback.jsonl",
                r#"{"id": "PA-1", "agency": "000.01.01.H49", "received_at": "2024-03-01T09:00:00+07:00", "kind": "staff", "answered_at": "1899-12-31T09:00:00+07:00"}"#,
            )
        }),
        case("plan task due in 2101", Input("plan.task.deadline"), |s| {
            let task = PlanTask::new("1", "Rà soát", date!(2100 - 12 - 01), date!(2101 - 01 - 31))?;
            s.plans().insert(&ReformPlan::new(province(), 2100, vec![task])?)
        }),
        case("plan for 2101", Input("plan.year"), |s| {
            s.plans().insert(&ReformPlan::new(province(), 2101, vec![])?)
        }),
        case("organisation snapshot for 2101", Input("organisation.year"), |s| {
            s.organisation().insert(&OrganisationSnapshot::new(
                province(),
                2101,
                OrganisationCounts::default(),
            )?)
        }),
        case("survey for 2101", Input("survey.year"), |s| {
            let items = vec![SurveyItem::new("1", SipasFactor::CongChuc, "Thái độ")];
            s.surveys().insert(&Survey::new("Quảng Nam", 2101, items, vec![vec![Some(4)]])?)
        }),
        case("agency valid from 1899", Input("agency.valid_from"), |s| {
            s.agencies().insert(
                &Agency::commune(
                    common::agency("000.01.07.H49"),
                    "UBND xã cũ",
                    &common::agency(common::DISTRICTS[0]),
                )?
                .with_validity(Some(date!(1899 - 12 - 31)), None)?,
            )
        }),
        case("agencies CSV valid to 2101", Import("valid_to"), |s| {
            import_csv(
                s,
                "agencies.csv",
                "code,name,kind,parent,valid_to\n\
                 000.11.00.H49,Sở Nội vụ,department,000.00.00.H49,2101-01-01\n",
            )
        }),
        case("procedure effective in 2101", Input("procedure.effective_from"), |s| {
            s.procedures().insert(
                &Procedure::builder(
                    ProcedureCode::new("1.009999")?,
                    "Thủ tục tương lai",
                    Field::new("Hộ tịch")?,
                    TimeLimit::working_days(5),
                )
                .effective_from(date!(2101 - 01 - 01))
                .build()?,
            )
        }),
        case("report for 2101", Input("period.year"), |s| {
            s.report(&Scope::All, Period::year(2101)?).map(drop)
        }),
        case("report period from 1899", Input("period.from"), |s| {
            s.report(&Scope::All, Period::new(date!(1899 - 12 - 31), date!(2024 - 01 - 31))?)
                .map(drop)
        }),
        // Item 8: characters that disguise a name or a code.
        case("agency name of zero-width spaces only", Input("agency.name"), |s| {
            s.agencies().insert(&Agency::district(
                common::agency("000.00.07.H49"),
                "\u{200B}\u{200B}\u{200B}",
                &province(),
            )?)
        }),
        case("agency name with a right-to-left override", Input("agency.name"), |s| {
            s.agencies().insert(&Agency::district(
                common::agency("000.00.07.H49"),
                "UBND huyện \u{202E}cộL iạĐ",
                &province(),
            )?)
        }),
        case("procedure name with a byte-order mark", Input("procedure.name"), |s| {
            s.procedures().insert(
                &Procedure::builder(
                    ProcedureCode::new("1.009999")?,
                    "Đăng ký\u{FEFF} khai sinh",
                    Field::new("Hộ tịch")?,
                    TimeLimit::working_days(5),
                )
                .build()?,
            )
        }),
        case("field with a bidi isolate", Input("procedure.field"), |_| {
            Field::new("Hộ\u{2066}tịch").map(drop)
        }),
        case("feedback id with a zero-width joiner", Input("feedback.id"), |_| {
            FeedbackId::new("1022\u{200D}000001").map(drop)
        }),
        case("refusal reason with a left-to-right mark", Input("event.reason"), |s| {
            s.dossiers().refuse(&code(PROCESSING), t(4, 9), "không\u{200E} đủ").map(drop)
        }),
        case("agencies CSV name with a right-to-left override", Import("name"), |s| {
            import_csv(
                s,
                "agencies.csv",
                "code,name,kind,parent\n000.11.00.H49,Sở \u{202E}vụ iộN,department,000.00.00.H49\n",
            )
        }),
        // Item 10: checks that were missing.
        case("feedback of an unknown agency", NotFound(RecordKind::Agency), |s| {
            let mut item = feedback_at(t(4, 9))?;
            item = Feedback::new(
                item.id().clone(),
                common::agency("000.09.09.H49"),
                item.received_at(),
                item.kind(),
            )?;
            s.feedback().insert(&item)
        }),
        case("plan of an unknown agency", NotFound(RecordKind::Agency), |s| {
            s.plans().insert(&ReformPlan::new(common::agency("000.00.00.H62"), 2025, vec![])?)
        }),
        case("organisation snapshot of an unknown agency", NotFound(RecordKind::Agency), |s| {
            s.organisation().insert(&OrganisationSnapshot::new(
                common::agency("000.00.00.H62"),
                2024,
                OrganisationCounts::default(),
            )?)
        }),
        case("transfer to an agency after it was merged", Input("event.to"), |s| {
            s.dossiers()
                .transfer(
                    &code(PROCESSING),
                    datetime!(2025-08-01 09:00 +07:00),
                    &common::agency(MERGED),
                )
                .map(drop)
        }),
        case("apology promising a day before itself", Input("event.new_appointment"), |s| {
            // After the due instant (5 January), but before the apology (20 January).
            s.dossiers().extend(&code(PROCESSING), t(20, 9), t(10, 9), "Xin lỗi").map(drop)
        }),
        case("events CSV transfer to a merged agency", Import("to"), |s| {
            import_csv(
                s,
                "events.csv",
                &format!(
                    "dossier,at,action,to\n{PROCESSING},2025-08-01T09:00:00+07:00,transfer,{MERGED}\n"
                ),
            )
        }),
        case("events CSV apology promising a day before itself", Import("new_appointment"), |s| {
            import_csv(
                s,
                "events.csv",
                &format!(
                    "dossier,at,action,new_appointment,reason\n\
                     {PROCESSING},2024-01-20T09:00:00+07:00,extend,2024-01-10T09:00:00+07:00,Xin lỗi\n"
                ),
            )
        }),
        case("dossiers CSV with a column given twice", Import("received_at"), |s| {
            import_csv(
                s,
                "dossiers.csv",
                "code,procedure,agency,channel,received_at,received_at\n\
                 000.01.01.H49-240105-0001,1.004227,000.01.01.H49,online,\
                 2024-01-05T09:00:00+07:00,2024-01-05T10:00:00+07:00\n",
            )
        }),
        case("dossiers JSON Lines with a key given twice", Import("received_at"), |s| {
            import_jsonl(
                s,
                "dossiers.jsonl",
                r#"{"code": "000.01.01.H49-240105-0001", "procedure": "1.004227", "agency": "000.01.01.H49", "channel": "online", "received_at": "2024-01-05T09:00:00+07:00", "received_at": "2024-01-05T10:00:00+07:00"}"#,
            )
        }),
        case("dossiers JSON Lines with an event key given twice", Import("events[0].at"), |s| {
            import_jsonl(
                s,
                "dossiers.jsonl",
                r#"{"code": "000.01.01.H49-240105-0001", "procedure": "1.004227", "agency": "000.01.01.H49", "channel": "online", "received_at": "2024-01-05T09:00:00+07:00", "events": [{"at": "2024-01-05T10:00:00+07:00", "action": "resolve", "at": "2024-01-04T10:00:00+07:00"}]}"#,
            )
        }),
        // Item 11: a missing file names its path.
        case("import of a file that does not exist", File("missing/dossiers.csv"), |s| {
            io::import_file(s, Path::new("/nonexistent-cchc-dir/missing/dossiers.csv")).map(drop)
        }),
    ]
}

fn raw_tree(path: &Path, name: &str, change: impl FnOnce(&sled::Tree)) {
    let db = sled::open(path).unwrap();
    change(&db.open_tree(name).unwrap());
    db.flush().unwrap();
}

/// The key of the fixture's first dossier (`PROCESSING`).
fn first_key(tree: &sled::Tree) -> sled::IVec {
    tree.first().unwrap().expect("a first entry").0
}

fn garbage_agency(p: &Path) {
    raw_tree(p, "agencies", |t| {
        t.insert(first_key(t), &[0x00, 0xff, 0xfe, 0x07][..]).unwrap();
    });
}
fn garbage_procedure(p: &Path) {
    raw_tree(p, "procedures", |t| {
        t.insert(first_key(t), &[0x00, 0x05, b'1', b'.'][..]).unwrap();
    });
}
fn garbage_dossier(p: &Path) {
    raw_tree(p, "dossiers", |t| {
        t.insert(first_key(t), &b"\x00garbage that is no dossier"[..]).unwrap();
    });
}
fn truncated_dossier(p: &Path) {
    raw_tree(p, "dossiers", |t| {
        let (k, v) = t.first().unwrap().unwrap();
        t.insert(k, &v[..v.len() - 3]).unwrap();
    });
}
fn trailing_dossier(p: &Path) {
    raw_tree(p, "dossiers", |t| {
        let (k, v) = t.first().unwrap().unwrap();
        let mut longer = v.to_vec();
        longer.push(0);
        t.insert(k, longer).unwrap();
    });
}
/// Found by the `dossier_events` fuzz target: a dossier at the end of the
/// representable range used to panic when timed (`verify`, every write).
fn end_of_time(p: &Path) {
    let dossier = {
        let store = Store::open(p).unwrap();
        store.dossiers().get(&code(PROCESSING)).unwrap().unwrap()
    };
    raw_tree(p, "dossiers", |t| {
        let (k, v) = t.first().unwrap().unwrap();
        t.insert(k, common::dossier_bytes_at_end_of_time(&v, &dossier)).unwrap();
    });
}
fn garbage_counters(p: &Path) {
    raw_tree(p, "counters", |t| {
        // Eleven continuation bytes: a varint longer than 64 bits.
        t.insert(first_key(t), &[0xff; 11][..]).unwrap();
    });
}
fn short_version(p: &Path) {
    raw_tree(p, "meta", |t| {
        t.insert(b"format_version", &[0, 1][..]).unwrap();
    });
}
fn newer_format(p: &Path, version: u32) {
    cchc::fuzz_support::write_version_for_tests(p, version).unwrap();
}

fn province() -> AgencyCode {
    common::agency(common::PROVINCE)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn every_bad_input_fails_with_its_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture: PathBuf = tmp.path().join("fixture");
    build_fixture(&fixture);
    let fixture_raw = common::dump_raw(&fixture);
    let pristine = tmp.path().join("pristine");
    copy_dir(&fixture, &pristine);
    assert!(fixture_raw.get(&b"dossiers"[..]).is_some_and(|rows| rows.len() == 6));
    let cases = cases();
    assert!(cases.len() >= 128, "only {} cases", cases.len());
    println!("{} bad inputs in the matrix", cases.len());
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for (i, c) in cases.into_iter().enumerate() {
        assert!(names.insert(c.name), "two cases named {}", c.name);
        let (path, raw_before, result) = match &c.run {
            Run::Store(run) => {
                let store = Store::open(&fixture).unwrap();
                let before = common::export(&store);
                let result = run(&store);
                let after = common::export(&store);
                if before != after {
                    failures.push(format!("{}: the logical export changed", c.name));
                }
                drop(store);
                (fixture.clone(), fixture_raw.clone(), result)
            }
            Run::Damaged { damage, run } => {
                let path = tmp.path().join(format!("case-{i}"));
                copy_dir(&fixture, &path);
                damage(&path);
                let before = common::dump_raw(&path);
                assert_ne!(before, fixture_raw, "{}: the damage changed nothing", c.name);
                let result = run(&path);
                (path, before, result)
            }
        };
        match result {
            Ok(()) => failures.push(format!("{}: accepted, expected {:?}", c.name, c.expect)),
            Err(e) if c.expect.matches(&e) => {}
            Err(e) => failures.push(format!("{}: {e:?}, expected {:?}", c.name, c.expect)),
        }
        if common::dump_raw(&path) != raw_before {
            failures.push(format!("{}: the stored bytes changed", c.name));
            if path == fixture {
                // Start the next case from the pristine fixture again.
                std::fs::remove_dir_all(&fixture).unwrap();
                copy_dir(&pristine, &fixture);
            }
        }
    }
    assert!(failures.is_empty(), "{} cases failed:\n{}", failures.len(), failures.join("\n"));
}
