//! Test support shared by the reliability tests: a seeded generator, a small
//! catalogue, a deterministic script of dossier operations, and exports of a store
//! (logical, through the public API, and raw, every sled tree byte for byte).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use cchc::{
    Action, Agency, AgencyCode, Channel, ClockRule, Dossier, DossierCode, Field, NewDossier,
    OneStopReport, Period, Procedure, ProcedureCode, Scope, Store, TimeLimit,
};
use time::{Duration, OffsetDateTime};

/// `SplitMix64`: small, seeded, good enough to pick test inputs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub fn agency(code: &str) -> AgencyCode {
    AgencyCode::new(code).unwrap()
}

pub fn procedure_code(code: &str) -> ProcedureCode {
    ProcedureCode::new(code).unwrap()
}

pub const PROVINCE: &str = "000.00.00.H49";
pub const DEPARTMENT: &str = "000.10.00.H49";
pub const DISTRICTS: [&str; 2] = ["000.00.01.H49", "000.00.02.H49"];
pub const COMMUNES: [&str; 3] = ["000.01.01.H49", "000.01.02.H49", "000.02.01.H49"];
/// Agencies that receive dossiers in the scripts.
pub const RECEIVERS: [&str; 6] =
    [PROVINCE, DEPARTMENT, "000.00.01.H49", "000.00.02.H49", "000.01.01.H49", "000.02.01.H49"];
pub const PROCEDURES: [&str; 3] = ["1.004227", "1.001234", "2.000123"];

/// The catalogue's agencies, parents first.
pub fn agencies() -> Vec<Agency> {
    let p = agency(PROVINCE);
    let d1 = agency(DISTRICTS[0]);
    let d2 = agency(DISTRICTS[1]);
    vec![
        Agency::province(p.clone(), "UBND tỉnh Quảng Nam").unwrap(),
        Agency::department(agency(DEPARTMENT), "Sở Tư pháp", &p).unwrap(),
        Agency::district(d1.clone(), "UBND huyện Đại Lộc", &p).unwrap(),
        Agency::district(d2.clone(), "UBND huyện Duy Xuyên", &p).unwrap(),
        Agency::commune(agency(COMMUNES[0]), "UBND xã Đại Hiệp", &d1).unwrap(),
        Agency::commune(agency(COMMUNES[1]), "UBND xã Đại Hòa", &d1).unwrap(),
        Agency::commune(agency(COMMUNES[2]), "UBND xã Duy Sơn", &d2).unwrap(),
    ]
}

/// The catalogue's procedures: one with a reduced limit, one in working hours, one in
/// calendar days with a fee.
pub fn procedures() -> Vec<Procedure> {
    vec![
        Procedure::builder(
            procedure_code(PROCEDURES[0]),
            "Đăng ký khai sinh",
            Field::new("Hộ tịch").unwrap(),
            TimeLimit::working_days(5),
        )
        .reduced_limit(TimeLimit::working_days(3))
        .build()
        .unwrap(),
        Procedure::builder(
            procedure_code(PROCEDURES[1]),
            "Chứng thực bản sao từ bản chính",
            Field::new("Chứng thực").unwrap(),
            TimeLimit::working_hours(8),
        )
        .build()
        .unwrap(),
        Procedure::builder(
            procedure_code(PROCEDURES[2]),
            "Cấp giấy phép xây dựng",
            Field::new("Xây dựng").unwrap(),
            TimeLimit::calendar_days(15),
        )
        .fee(true, true)
        .build()
        .unwrap(),
    ]
}

/// Inserts the catalogue into an empty store.
pub fn insert_catalogue(store: &Store) {
    for a in agencies() {
        store.agencies().insert(&a).unwrap();
    }
    for p in procedures() {
        store.procedures().insert(&p).unwrap();
    }
}

/// 2024-01-01 00:00 +07:00: the first instant of every script.
pub fn script_start() -> OffsetDateTime {
    time::macros::datetime!(2024-01-01 00:00 +07:00)
}

/// A period covering every instant a script can reach.
pub fn all_time() -> Period {
    Period::new(time::macros::date!(2023 - 01 - 01), time::macros::date!(2099 - 12 - 31)).unwrap()
}

/// One write of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Receive(NewDossier),
    Act(DossierCode, OffsetDateTime, Action),
}

impl Op {
    pub fn code(&self) -> &DossierCode {
        match self {
            Op::Receive(n) => &n.code,
            Op::Act(code, ..) => code,
        }
    }
    pub fn at(&self) -> OffsetDateTime {
        match self {
            Op::Receive(n) => n.received_at,
            Op::Act(_, at, _) => *at,
        }
    }
    /// Applies the op to a store.
    pub fn apply(&self, store: &Store) -> cchc::Result<Dossier> {
        match self {
            Op::Receive(n) => store.dossiers().receive(n),
            Op::Act(code, at, action) => store.dossiers().record(code, *at, action.clone()),
        }
    }
    /// The name of the event this op records (as `EventKind::name`).
    pub fn event_name(&self) -> &'static str {
        match self {
            Op::Receive(_) => "receipt",
            Op::Act(_, _, action) => match action {
                Action::Transfer { .. } => "transfer",
                Action::RequestSupplement { .. } => "supplement request",
                Action::Supplement => "supplement",
                Action::Extend { .. } => "extension",
                Action::Refuse { .. } => "refusal",
                Action::Resolve { .. } => "resolution",
                Action::ReturnResult => "result return",
                Action::Withdraw => "withdrawal",
                Action::Pay { .. } => "payment",
                _ => "unknown",
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    Processing,
    Waiting,
    Resolved,
}

#[derive(Debug, Clone)]
struct Live {
    code: DossierCode,
    state: St,
    at_agency: usize,
    extended: bool,
    paid: bool,
}

/// A deterministic stream of valid operations: receipts at the catalogue's agencies
/// and lifecycle actions on the dossiers still open, every op adding exactly one
/// event, instants strictly increasing by `step`. Op `n` depends only on the seed
/// and the ops before it, so a writer and a checker agree on it.
#[derive(Debug, Clone)]
pub struct Script {
    rng: Rng,
    live: Vec<Live>,
    made: u64,
    step: Duration,
    lane: u64,
    lanes: u64,
}

impl Script {
    pub fn new(seed: u64, step: Duration) -> Self {
        Self::lane(seed, step, 0, 1)
    }

    /// Lane `lane` of `lanes` scripts run side by side: their dossier codes never
    /// collide while each lane makes fewer than `9999 / lanes` ops.
    pub fn lane(seed: u64, step: Duration, lane: u64, lanes: u64) -> Self {
        Self { rng: Rng::new(seed), live: Vec::new(), made: 0, step, lane, lanes }
    }

    /// Returns the next op.
    pub fn next_op(&mut self) -> Op {
        let n = self.made;
        self.made += 1;
        let at = script_start() + self.step * (n as i32 + 1);
        let rng = &mut self.rng;
        if self.live.is_empty() || (self.live.len() < 40 && rng.chance(35)) {
            let receiver = rng.below(RECEIVERS.len() as u64) as usize;
            let day = time::OffsetDateTime::to_offset(at, cchc::VIETNAM_OFFSET).date();
            let code = DossierCode::compose(
                &agency(RECEIVERS[receiver]),
                day,
                ((n * self.lanes + self.lane) % 9999) as u16 + 1,
            )
            .unwrap();
            let channel = match rng.below(3) {
                0 => Channel::Direct,
                1 => Channel::Online,
                _ => Channel::Postal,
            };
            let new = NewDossier {
                code: code.clone(),
                procedure: procedure_code(PROCEDURES[rng.below(3) as usize]),
                agency: agency(RECEIVERS[receiver]),
                channel,
                received_at: at,
                digitised: rng.chance(50),
                reused_data: rng.chance(20),
                receiving: None,
                portal: None,
                rule_set: None,
            };
            self.live.push(Live {
                code,
                state: St::Processing,
                at_agency: receiver,
                extended: false,
                paid: false,
            });
            return Op::Receive(new);
        }
        let i = rng.below(self.live.len() as u64) as usize;
        let roll = rng.below(100);
        let d = &mut self.live[i];
        let code = d.code.clone();
        let mut close = false;
        let action = match d.state {
            St::Processing => match roll {
                0..=14 => {
                    d.state = St::Waiting;
                    Action::RequestSupplement { reason: format!("Thiếu giấy tờ số {n}") }
                }
                15..=24 if !d.extended => {
                    d.extended = true;
                    Action::Extend {
                        new_appointment: at + Duration::days(90),
                        reason: "Cần xác minh thêm".to_owned(),
                    }
                }
                25..=34 => {
                    d.at_agency = (d.at_agency + 1 + rng.below(5) as usize) % RECEIVERS.len();
                    Action::Transfer { to: agency(RECEIVERS[d.at_agency]) }
                }
                35..=44 if !d.paid => {
                    d.paid = true;
                    Action::Pay { online: roll.is_multiple_of(2) }
                }
                45..=52 => {
                    close = true;
                    Action::Refuse { reason: "Không đủ điều kiện".to_owned() }
                }
                53..=57 => {
                    close = true;
                    Action::Withdraw
                }
                _ => {
                    d.state = St::Resolved;
                    Action::Resolve { e_result: roll.is_multiple_of(3) }
                }
            },
            St::Waiting => match roll {
                0..=69 => {
                    d.state = St::Processing;
                    Action::Supplement
                }
                70..=79 if !d.paid => {
                    d.paid = true;
                    Action::Pay { online: true }
                }
                80..=89 => {
                    close = true;
                    Action::Withdraw
                }
                _ => {
                    close = true;
                    Action::Refuse { reason: "Quá hạn bổ sung".to_owned() }
                }
            },
            St::Resolved => {
                if !d.paid && roll < 30 {
                    d.paid = true;
                    Action::Pay { online: false }
                } else {
                    close = true;
                    Action::ReturnResult
                }
            }
        };
        if close {
            self.live.swap_remove(i);
        }
        Op::Act(code, at, action)
    }

    /// The first `n` ops of the script with `seed`.
    pub fn ops(seed: u64, step: Duration, n: usize) -> Vec<Op> {
        let mut s = Self::new(seed, step);
        (0..n).map(|_| s.next_op()).collect()
    }
}

/// A logical export of everything a store holds, through the public API: agencies,
/// every procedure version, every dossier in storage order, and reports and backlogs
/// over several scopes and periods (which read every counter row those scopes have).
pub fn export(store: &Store) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    writeln!(out, "{:#?}", store.agencies().list().unwrap()).unwrap();
    writeln!(out, "{:#?}", store.procedures().all_versions().unwrap()).unwrap();
    let dossiers: Vec<Dossier> = store.dossiers().iter().collect::<cchc::Result<_>>().unwrap();
    writeln!(out, "{dossiers:#?}").unwrap();
    let mut scopes = vec![Scope::All];
    for a in store.agencies().list().unwrap() {
        scopes.push(Scope::agency(a.code()));
        scopes.push(Scope::subtree(a.code()));
    }
    for p in store.procedures().all_versions().unwrap() {
        scopes.push(Scope::Procedure(p.code().clone()));
        scopes.push(Scope::Field(p.field().clone()));
    }
    for level in [cchc::Level::Province, cchc::Level::District, cchc::Level::Commune] {
        scopes.push(Scope::Level(level));
    }
    let periods = [all_time(), Period::year(2024).unwrap(), Period::month(2024, 1).unwrap()];
    for scope in &scopes {
        for period in periods {
            for rule in [ClockRule::Restart, ClockRule::Subtract] {
                writeln!(out, "{:?}", store.report_with(scope, period, rule).unwrap()).unwrap();
            }
        }
        let day = time::macros::date!(2024 - 01 - 15);
        writeln!(out, "{:?}", store.backlog(scope, day, ClockRule::Restart).unwrap()).unwrap();
    }
    out
}

/// Every tree of the sled database at `path`, key and value bytes, read with a raw
/// sled handle. The store must be closed (dropped) first.
pub type RawDump = BTreeMap<Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>>;

pub fn dump_raw(path: &Path) -> RawDump {
    let db = retry_while_locked(|| sled::open(path));
    let mut out = BTreeMap::new();
    for name in db.tree_names() {
        let tree = db.open_tree(&name).unwrap();
        let rows = tree.iter().map(|r| r.unwrap()).map(|(k, v)| (k.to_vec(), v.to_vec())).collect();
        out.insert(name.to_vec(), rows);
    }
    out
}

/// The dossiers of a store that a scope covers, by the agencies' parent links (the
/// slow way, for reference reports).
pub fn dossiers_in_subtree<'a>(
    store: &Store,
    dossiers: &'a [Dossier],
    root: &AgencyCode,
) -> Vec<&'a Dossier> {
    let agencies = store.agencies().list().unwrap();
    let parent_of = |code: &AgencyCode| {
        agencies.iter().find(|a| a.code() == code).and_then(|a| a.parent().cloned())
    };
    dossiers
        .iter()
        .filter(|d| {
            let mut at = Some(d.header().agency.clone());
            while let Some(code) = at {
                if &code == root {
                    return true;
                }
                at = parent_of(&code);
            }
            false
        })
        .collect()
}

/// The reference report: folds dossiers one by one.
pub fn reference_report(dossiers: &[&Dossier], period: Period, rule: ClockRule) -> OneStopReport {
    OneStopReport::from_dossiers(dossiers.iter().copied(), period, rule)
}

/// The bincode (varint) encoding of an `i64` instant as stored: zig-zag, then a
/// one-byte value below 251 or a 252/253 marker and 4/8 little-endian bytes.
pub fn varint_i64(value: i64) -> Vec<u8> {
    let z = ((value << 1) ^ (value >> 63)) as u64;
    if z < 251 {
        vec![z as u8]
    } else if let Ok(z) = u16::try_from(z) {
        let mut out = vec![251];
        out.extend_from_slice(&z.to_le_bytes());
        out
    } else if let Ok(z) = u32::try_from(z) {
        let mut out = vec![252];
        out.extend_from_slice(&z.to_le_bytes());
        out
    } else {
        let mut out = vec![253];
        out.extend_from_slice(&z.to_le_bytes());
        out
    }
}

/// Rewrites the stored record of a dossier so its receipt and appointment lie in
/// the last hour of year 9999 (UTC): a record a newer or damaged writer could leave,
/// which decodes but cannot be timed.
pub fn dossier_bytes_at_end_of_time(bytes: &[u8], dossier: &Dossier) -> Vec<u8> {
    let end = 253_402_297_200; // 9999-12-31 23:00:00 UTC
    let mut out = bytes.to_vec();
    for (from, to) in [(dossier.received_at(), end), (dossier.appointment(), end + 60)] {
        let old = varint_i64(from.unix_timestamp());
        let at = out
            .windows(old.len())
            .position(|w| w == old.as_slice())
            .expect("the instant is in the record");
        out.splice(at..at + old.len(), varint_i64(to));
    }
    out
}

/// Copies a store folder (a closed store) file by file.
pub fn copy_dir(from: &Path, to: &Path) {
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

/// Runs `open` until it stops failing on sled's file lock, for at most two seconds: a
/// store just dropped may release its lock a moment later (its background flusher
/// thread ends after the last handle), which made reopen-right-after-drop tests flaky.
pub fn retry_while_locked<T, E: std::fmt::Debug>(open: impl Fn() -> Result<T, E>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        match open() {
            Ok(value) => return value,
            Err(e) if format!("{e:?}").contains("lock") && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("cannot open the store: {e:?}"),
        }
    }
}

/// A small province for hand-worked cases: province `000.00.00.H49`, its department
/// `000.00.01.H49` and its service centre `000.00.50.H49`, and one procedure,
/// `1.004227` (Hộ tịch), of 3 working days.
pub fn insert_small_province(store: &Store) {
    let p = agency("000.00.00.H49");
    store.agencies().insert(&Agency::province(p.clone(), "UBND tỉnh Quảng Nam").unwrap()).unwrap();
    store
        .agencies()
        .insert(&Agency::department(agency("000.00.01.H49"), "Sở Tư pháp", &p).unwrap())
        .unwrap();
    store
        .agencies()
        .insert(
            &Agency::department(agency("000.00.50.H49"), "Trung tâm Phục vụ hành chính công", &p)
                .unwrap(),
        )
        .unwrap();
    store
        .procedures()
        .insert(
            &Procedure::builder(
                procedure_code("1.004227"),
                "Đăng ký khai sinh",
                cchc::Field::new("Hộ tịch").unwrap(),
                TimeLimit::working_days(3),
            )
            .build()
            .unwrap(),
        )
        .unwrap();
}
