//! Shared setup for the benchmarks: the input size, Criterion defaults, the demo
//! province, and the SQLite twin that the cchc store is compared against.
//!
//! The twin holds the same dossiers as the store, derived from each stored
//! [`Dossier`] after ingest (outcome, finish, state intervals), so it answers the
//! same questions. It comes in two layouts:
//!
//! - **indexed**: a `dossiers` table with a covering index on a hierarchical agency
//!   node, plus a `dossier_states` table of the intervals in which a dossier waits
//!   for a supplement or is overdue; reports are one aggregate query over each
//!   (the `GROUP BY` a SQLite user would write, as sums of conditions);
//! - **counters**: the same tables plus a `counters` table of daily deltas keyed by
//!   (node, measure, day), maintained in the same transaction as the dossiers, with
//!   the same nodes as the store's (the agency itself, every ancestor's subtree, all,
//!   level, field, procedure); reports read prefix sums.
//!
//! Both use WAL with `synchronous = NORMAL` (a commit does not fsync, as a sled
//! transaction does not) and one transaction per batch of 1,000 dossiers.

// "SQLite" is a name, not code.
#![allow(clippy::doc_markdown)]
// Each bench binary uses part of this module.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use cchc::demo::{DemoDossier, DemoSpec, DossierStream, Province};
use cchc::model::dossier::{DossierStatus, EventKind};
use cchc::model::time_limit::start_of_day;
use cchc::{
    AgencyCode, Backlog, Channel, ClockRule, Dossier, Level, OneStopReport, Outcome, Period, Scope,
    Store, vietnam_date,
};
use criterion::Criterion;
use rusqlite::{Connection, params};
use time::{Date, OffsetDateTime};

/// Dossiers per batch, for the store's importer and the twin's transactions.
pub const BATCH: usize = 1_000;

/// Whether Criterion runs in test mode (`cargo bench -- --test`): each bench once.
pub fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// How many dossiers to generate: `CCHC_BENCH_N`, else 100,000 (2,000 in test mode,
/// so CI's single pass stays quick).
pub fn dossier_count() -> u64 {
    if let Some(n) = std::env::var("CCHC_BENCH_N").ok().and_then(|v| v.parse().ok()) {
        return n;
    }
    if test_mode() { 2_000 } else { 100_000 }
}

/// A short label for a count: `2k`, `100k`, `1M`.
pub fn label(n: u64) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}M", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// The one place that sets Criterion's defaults: few samples (an ingest of 100k
/// dossiers takes seconds) and short measurement, so the suite stays within minutes.
pub fn criterion() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args()
}

/// The demo spec of `n` dossiers (Quảng Nam 2023 shape).
pub fn spec(n: u64) -> DemoSpec {
    DemoSpec::quang_nam_2023().with_dossiers(n)
}

/// The province and its `n` generated dossiers, in receipt order.
pub fn generate(n: u64) -> (Province, Vec<DemoDossier>) {
    let spec = spec(n);
    let province = Province::generate(&spec).expect("demo province");
    let dossiers = DossierStream::new(&spec, &province)
        .expect("demo stream")
        .collect::<Result<Vec<_>, _>>()
        .expect("demo dossiers");
    assert_eq!(dossiers.len() as u64, n);
    (province, dossiers)
}

/// Inserts the province's agencies and procedures into an empty store.
pub fn insert_catalogue(store: &Store, province: &Province) {
    for agency in province.agencies() {
        store.agencies().insert(agency).expect("agency");
    }
    for procedure in &province.procedures {
        store.procedures().insert(procedure).expect("procedure");
    }
}

/// Imports `dossiers` with the store's importer, batches of 1,000; returns how many.
pub fn import(store: &Store, dossiers: Vec<DemoDossier>) -> u64 {
    let mut importer = store.dossiers().importer().batch_size(BATCH);
    for (new, actions) in dossiers {
        importer.dossier(new, actions).expect("import");
    }
    importer.finish().expect("import finish").dossiers
}

// ---------------------------------------------------------------------------
// Agency nodes

/// Agencies numbered so a subtree is a range: root 0, level-one children
/// (departments, districts) `k << 8`, communes `(district << 8) | j`.
#[derive(Debug, Clone)]
pub struct Nodes {
    node: HashMap<AgencyCode, i64>,
    level: HashMap<AgencyCode, i64>,
}

impl Nodes {
    /// Numbers the province's agencies.
    pub fn new(province: &Province) -> Self {
        let mut node = HashMap::new();
        let mut level = HashMap::new();
        let level_id = |l: Level| Level::ALL.iter().position(|x| *x == l).unwrap_or(0) as i64;
        node.insert(province.root.code().clone(), 0);
        level.insert(province.root.code().clone(), level_id(province.root.level()));
        for (k, a) in province.departments.iter().chain(&province.districts).enumerate() {
            node.insert(a.code().clone(), ((k + 1) as i64) << 8);
            level.insert(a.code().clone(), level_id(a.level()));
        }
        let mut per_parent: HashMap<i64, i64> = HashMap::new();
        for a in &province.communes {
            let parent = node[a.parent().expect("commune parent")];
            let j = per_parent.entry(parent).or_insert(0);
            *j += 1;
            assert!(*j < 256, "at most 255 communes per district");
            node.insert(a.code().clone(), parent | *j);
            level.insert(a.code().clone(), level_id(a.level()));
        }
        Self { node, level }
    }

    /// The node of an agency.
    pub fn of(&self, code: &AgencyCode) -> i64 {
        self.node[code]
    }

    /// The node range `[lo, hi]` of a scope (agency itself or subtree).
    pub fn range(&self, scope: &Scope) -> (i64, i64) {
        match scope {
            Scope::Agency(code) => {
                let n = self.of(code);
                (n, n)
            }
            Scope::Subtree(code) => {
                let n = self.of(code);
                if n == 0 {
                    (0, i64::from(u16::MAX))
                } else if n.trailing_zeros() >= 8 {
                    (n, n | 0xFF)
                } else {
                    (n, n)
                }
            }
            other => panic!("the twin answers agency and subtree scopes, not {other:?}"),
        }
    }

    /// The strict ancestors of a node.
    fn ancestors(node: i64) -> Vec<i64> {
        if node == 0 {
            Vec::new()
        } else if node.trailing_zeros() >= 8 {
            vec![0]
        } else {
            vec![node & !0xFF, 0]
        }
    }
}

// ---------------------------------------------------------------------------
// What the twin stores per dossier

/// Counter measures kept by the twin: the ones the report and backlog need.
pub mod measure {
    pub const ONLINE: i64 = 0;
    pub const DIRECT: i64 = 1;
    pub const POSTAL: i64 = 2;
    pub const EARLY: i64 = 3;
    pub const ON_TIME: i64 = 4;
    pub const LATE: i64 = 5;
    pub const REFUSED: i64 = 6;
    pub const WITHDRAWN: i64 = 7;
    /// First state measure: states are read as prefix sums, flows as ranges.
    pub const PENDING: i64 = 8;
    pub const WAITING: i64 = 9;
    pub const OVERDUE: i64 = 10;
}

/// Status codes in the twin.
const PENDING: i64 = 0;
const RESOLVED: i64 = 1;
const REFUSED: i64 = 2;
const WITHDRAWN: i64 = 3;
/// Interval kinds in `dossier_states`.
const WAITING: i64 = 0;
const OVERDUE: i64 = 1;

/// One dossier as the twin stores it, derived from the stored [`Dossier`].
#[derive(Debug, Clone)]
pub struct TwinDossier {
    pub code: String,
    pub node: i64,
    pub level: i64,
    pub field: i64,
    pub procedure: i64,
    pub channel: i64,
    /// Unix nanoseconds.
    pub received: i64,
    pub finished: Option<i64>,
    pub status: i64,
    /// 0 early, 1 on time, 2 late (Restart rule), for resolved dossiers.
    pub outcome: Option<i64>,
    pub due: i64,
    /// `(kind, from, to)`: the state holds at every instant `t` with `from < t <= to`.
    pub intervals: Vec<(i64, i64, i64)>,
    /// `(day, measure, delta)` for the counter tables, days as Julian day numbers.
    pub deltas: Vec<(i64, i64, i64)>,
}

fn nanos(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).expect("instant within i64 nanoseconds")
}

fn julian(d: Date) -> i64 {
    i64::from(d.to_julian_day())
}

/// Interns strings as small integers.
#[derive(Debug, Default)]
pub struct Interner(HashMap<String, i64>);

impl Interner {
    fn id(&mut self, s: &str) -> i64 {
        let next = self.0.len() as i64;
        *self.0.entry(s.to_owned()).or_insert(next)
    }
}

/// Derives the twin's rows from a stored dossier (Restart rule, as the store's
/// default report).
pub fn derive(
    d: &Dossier,
    nodes: &Nodes,
    fields: &mut Interner,
    procs: &mut Interner,
) -> TwinDossier {
    let h = d.header();
    let status = match d.status() {
        DossierStatus::Refused => REFUSED,
        DossierStatus::Withdrawn => WITHDRAWN,
        _ if d.resolved_at().is_some() => RESOLVED,
        _ => PENDING,
    };
    let outcome = d.outcome(ClockRule::Restart).map(|o| match o {
        Outcome::Early => 0,
        Outcome::OnTime => 1,
        Outcome::Late => 2,
    });
    // The state is constant on (c_i, c_{i+1}] between change instants: events, the
    // appointment and every restarted due instant.
    let mut changes = vec![d.appointment()];
    for e in d.events() {
        changes.push(e.at);
        if let EventKind::Supplemented { restart_due } = &e.kind {
            changes.push(*restart_due);
        }
    }
    changes.sort_unstable();
    changes.dedup();
    let mut intervals = Vec::new();
    let mut open: [Option<i64>; 2] = [None, None];
    let mut previous = cchc::model::dossier::PendingState::default();
    let mut deltas = Vec::new();
    let flags = |s: cchc::model::dossier::PendingState| [s.waiting, s.overdue_restart];
    for (i, c) in changes.iter().enumerate() {
        let after = changes.get(i + 1).copied().unwrap_or(*c + time::Duration::nanoseconds(1));
        let state = d.state_at(after);
        for (kind, (now, slot)) in flags(state).into_iter().zip(open.iter_mut()).enumerate() {
            match (now, *slot) {
                (true, None) => *slot = Some(nanos(*c)),
                (false, Some(from)) => {
                    intervals.push((kind as i64, from, nanos(*c)));
                    *slot = None;
                }
                _ => {}
            }
        }
    }
    for (kind, slot) in open.iter().enumerate() {
        if let Some(from) = slot {
            intervals.push((kind as i64, *from, i64::MAX));
        }
    }
    // Counter deltas, as the store keeps them: flows on the day they happen; states
    // evaluated at each midnight after a change, the delta on the day it happened.
    let received_day = julian(vietnam_date(d.received_at()));
    deltas.push((
        received_day,
        match h.channel {
            Channel::Online => measure::ONLINE,
            Channel::Direct => measure::DIRECT,
            Channel::Postal => measure::POSTAL,
        },
        1,
    ));
    if let Some(f) = d.finished_at() {
        let day = julian(vietnam_date(f));
        match (status, outcome) {
            (RESOLVED, Some(o)) => deltas.push((day, measure::EARLY + o, 1)),
            (REFUSED, _) => deltas.push((day, measure::REFUSED, 1)),
            (WITHDRAWN, _) => deltas.push((day, measure::WITHDRAWN, 1)),
            _ => {}
        }
    }
    let mut days: Vec<Date> = changes.iter().filter_map(|t| vietnam_date(*t).next_day()).collect();
    days.sort_unstable();
    days.dedup();
    for day in days {
        let state = d.state_at(start_of_day(day));
        let day_before = julian(day) - 1;
        for (m, now, before) in [
            (measure::PENDING, state.pending, previous.pending),
            (measure::WAITING, state.waiting, previous.waiting),
            (measure::OVERDUE, state.overdue_restart, previous.overdue_restart),
        ] {
            if now != before {
                deltas.push((day_before, m, if now { 1 } else { -1 }));
            }
        }
        previous = state;
    }
    TwinDossier {
        code: h.code.to_string(),
        node: nodes.of(&h.agency),
        level: nodes.level[&h.agency],
        field: fields.id(h.field.as_str()),
        procedure: procs.id(h.procedure.as_str()),
        channel: match h.channel {
            Channel::Online => 0,
            Channel::Direct => 1,
            Channel::Postal => 2,
        },
        received: nanos(d.received_at()),
        finished: d.finished_at().map(nanos),
        status,
        outcome,
        due: nanos(d.due(ClockRule::Restart)),
        intervals,
        deltas,
    }
}

/// Every dossier of the store, derived for the twin, in the store's key order.
pub fn derive_all(store: &Store, nodes: &Nodes) -> Vec<TwinDossier> {
    let mut fields = Interner::default();
    let mut procs = Interner::default();
    store
        .dossiers()
        .iter()
        .map(|d| derive(&d.expect("stored dossier"), nodes, &mut fields, &mut procs))
        .collect()
}

/// A populated cchc store with the twin's rows: the common setup of the query benches.
pub struct Fixture {
    pub province: Province,
    pub store: Store,
    pub nodes: Nodes,
    pub twin: Vec<TwinDossier>,
    pub n: u64,
}

impl Fixture {
    /// Generates `n` dossiers, imports them into a temporary store and derives the twin.
    pub fn new(n: u64) -> Self {
        let (province, dossiers) = generate(n);
        let store = Store::temporary().expect("temporary store");
        insert_catalogue(&store, &province);
        assert_eq!(import(&store, dossiers), n);
        let nodes = Nodes::new(&province);
        let twin = derive_all(&store, &nodes);
        assert_eq!(twin.len() as u64, n);
        Self { province, store, nodes, twin, n }
    }
}

// ---------------------------------------------------------------------------
// The SQLite twin

/// The twin's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Dossiers and state intervals with covering indexes.
    Indexed,
    /// The same plus daily counter tables maintained in the same transactions.
    Counters,
}

const SCHEMA: &str = "
CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    node INTEGER NOT NULL,
    level INTEGER NOT NULL,
    field INTEGER NOT NULL,
    procedure INTEGER NOT NULL,
    channel INTEGER NOT NULL,
    received INTEGER NOT NULL,
    finished INTEGER,
    status INTEGER NOT NULL,
    outcome INTEGER,
    due INTEGER NOT NULL
);
CREATE INDEX dossiers_report ON dossiers (node, received, channel, finished, status, outcome);
CREATE TABLE dossier_states (
    dossier INTEGER NOT NULL,
    node INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    from_t INTEGER NOT NULL,
    to_t INTEGER NOT NULL
);
CREATE INDEX dossier_states_report ON dossier_states (node, from_t, to_t, kind);
";

const COUNTERS: &str = "
CREATE TABLE counters (
    node INTEGER NOT NULL,
    measure INTEGER NOT NULL,
    day INTEGER NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (node, measure, day)
) WITHOUT ROWID;
";

/// Counter node kinds, as the store's: the agency itself, below an ancestor, all,
/// level, field, procedure.
const OWN: i64 = 0;
const BELOW: i64 = 1 << 32;
const ALL: i64 = 2 << 32;
const LEVEL: i64 = 3 << 32;
const FIELD: i64 = 4 << 32;
const PROCEDURE: i64 = 5 << 32;

/// A SQLite database holding the twin.
pub struct Twin {
    pub conn: Connection,
    pub layout: Layout,
}

impl Twin {
    /// Creates an empty twin in `dir`.
    pub fn create(dir: &Path, layout: Layout) -> Self {
        let conn = Connection::open(dir.join("twin.sqlite")).expect("open sqlite");
        conn.pragma_update(None, "journal_mode", "WAL").expect("wal");
        conn.pragma_update(None, "synchronous", "NORMAL").expect("synchronous");
        conn.execute_batch(SCHEMA).expect("schema");
        if layout == Layout::Counters {
            conn.execute_batch(COUNTERS).expect("counters schema");
        }
        Self { conn, layout }
    }

    /// Inserts dossiers, one transaction per batch of 1,000; returns how many.
    pub fn ingest(&mut self, dossiers: &[TwinDossier]) -> u64 {
        let mut written = 0;
        let counters = self.layout == Layout::Counters;
        for batch in dossiers.chunks(BATCH) {
            let tx = self.conn.transaction().expect("begin");
            {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO dossiers (code, node, level, field, procedure, channel, \
                         received, finished, status, outcome, due) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    )
                    .expect("prepare insert");
                let mut state = tx
                    .prepare_cached(
                        "INSERT INTO dossier_states (dossier, node, kind, from_t, to_t) \
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )
                    .expect("prepare states");
                let mut sums: HashMap<(i64, i64, i64), i64> = HashMap::new();
                for d in batch {
                    insert
                        .execute(params![
                            d.code,
                            d.node,
                            d.level,
                            d.field,
                            d.procedure,
                            d.channel,
                            d.received,
                            d.finished,
                            d.status,
                            d.outcome,
                            d.due
                        ])
                        .expect("insert dossier");
                    let id = tx.last_insert_rowid();
                    for &(kind, from, to) in &d.intervals {
                        state.execute(params![id, d.node, kind, from, to]).expect("insert state");
                    }
                    if counters {
                        // Summed in memory per batch, as the store does.
                        let mut keys = vec![OWN | d.node, ALL, LEVEL | d.level];
                        keys.push(FIELD | d.field);
                        keys.push(PROCEDURE | d.procedure);
                        keys.extend(Nodes::ancestors(d.node).into_iter().map(|a| BELOW | a));
                        for &(day, m, delta) in &d.deltas {
                            for &k in &keys {
                                *sums.entry((k, m, day)).or_insert(0) += delta;
                            }
                        }
                    }
                    written += 1;
                }
                if counters {
                    let mut upsert = tx
                        .prepare_cached(
                            "INSERT INTO counters (node, measure, day, delta) VALUES (?1, ?2, ?3, ?4) \
                             ON CONFLICT (node, measure, day) DO UPDATE SET delta = delta + excluded.delta",
                        )
                        .expect("prepare upsert");
                    for ((node, m, day), delta) in sums {
                        upsert.execute(params![node, m, day, delta]).expect("upsert counter");
                    }
                }
            }
            tx.commit().expect("commit");
        }
        written
    }

    /// The report by one aggregate query over the covering index of each table.
    pub fn report_scan(&self, nodes: &Nodes, scope: &Scope, period: Period) -> Core {
        let (lo, hi) = nodes.range(scope);
        let s = nanos(period.start_instant());
        let e = nanos(period.end_instant());
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT \
                   total(received >= ?3 AND channel = 0), \
                   total(received >= ?3 AND channel = 1), \
                   total(received >= ?3 AND channel = 2), \
                   total(received < ?3 AND (finished IS NULL OR finished >= ?3)), \
                   total(status = 1 AND finished >= ?3 AND finished < ?4 AND outcome = 0), \
                   total(status = 1 AND finished >= ?3 AND finished < ?4 AND outcome = 1), \
                   total(status = 1 AND finished >= ?3 AND finished < ?4 AND outcome = 2), \
                   total(status = 2 AND finished >= ?3 AND finished < ?4), \
                   total(status = 3 AND finished >= ?3 AND finished < ?4), \
                   total(finished IS NULL OR finished >= ?4) \
                 FROM dossiers WHERE node BETWEEN ?1 AND ?2 AND received < ?4",
            )
            .expect("prepare report");
        let row: [f64; 10] = stmt
            .query_row(params![lo, hi, s, e], |r| {
                let mut out = [0.0; 10];
                for (i, v) in out.iter_mut().enumerate() {
                    *v = r.get(i)?;
                }
                Ok(out)
            })
            .expect("report query");
        let [waiting, overdue] = self.states_scan(lo, hi, e);
        let c = row.map(|x| x as u64);
        let pending = c[9];
        Core {
            received_online: c[0],
            received_direct: c[1],
            received_postal: c[2],
            carried_over: c[3],
            resolved_early: c[4],
            resolved_on_time: c[5],
            resolved_late: c[6],
            in_progress_not_due: pending - waiting - overdue,
            in_progress_overdue: overdue,
            waiting_supplement: waiting,
            refused: c[7],
            withdrawn: c[8],
        }
    }

    /// Waiting and overdue dossiers of nodes `[lo, hi]` at instant `at` (nanoseconds).
    fn states_scan(&self, lo: i64, hi: i64, at: i64) -> [u64; 2] {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT total(kind = 0), total(kind = 1) FROM dossier_states \
                 WHERE node BETWEEN ?1 AND ?2 AND from_t < ?3 AND to_t >= ?3",
            )
            .expect("prepare states");
        stmt.query_row(params![lo, hi, at], |r| {
            Ok([r.get::<_, f64>(0)? as u64, r.get::<_, f64>(1)? as u64])
        })
        .expect("states query")
    }

    /// The backlog at the end of `as_of` by aggregate queries over the covering indexes.
    pub fn backlog_scan(&self, nodes: &Nodes, scope: &Scope, as_of: Date) -> BacklogCore {
        self.backlog_scan_at(nodes, scope, start_of_day(as_of.next_day().expect("next day")))
    }

    /// The backlog at instant `at` by the same aggregate queries: a dossier is pending
    /// at `at` when received before it and not finished before it, and a state interval
    /// `(from, to]` holds at `at` when `from < at <= to` (as `Dossier::state_at`).
    pub fn backlog_scan_at(&self, nodes: &Nodes, scope: &Scope, at: OffsetDateTime) -> BacklogCore {
        let (lo, hi) = nodes.range(scope);
        let at = nanos(at);
        let pending: f64 = self
            .conn
            .prepare_cached(
                "SELECT total(finished IS NULL OR finished >= ?3) FROM dossiers \
                 WHERE node BETWEEN ?1 AND ?2 AND received < ?3",
            )
            .expect("prepare backlog")
            .query_row(params![lo, hi, at], |r| r.get(0))
            .expect("backlog query");
        let [waiting, overdue] = self.states_scan(lo, hi, at);
        let pending = pending as u64;
        BacklogCore { pending, not_yet_due: pending - waiting - overdue, overdue, waiting }
    }

    /// The counter nodes of a scope, as the store reads them.
    fn counter_nodes(nodes: &Nodes, scope: &Scope) -> [i64; 2] {
        match scope {
            Scope::Agency(code) => [OWN | nodes.of(code), -1],
            Scope::Subtree(code) => [OWN | nodes.of(code), BELOW | nodes.of(code)],
            other => panic!("the twin answers agency and subtree scopes, not {other:?}"),
        }
    }

    /// Sums of counter deltas per measure over days `[from, to]` for flows and days
    /// `< state_day` for states.
    fn counter_sums(
        &self,
        keys: [i64; 2],
        from: i64,
        to: i64,
        state_days: [i64; 2],
    ) -> [[i64; 11]; 2] {
        let mut flows = self
            .conn
            .prepare_cached(
                "SELECT measure, total(delta) FROM counters \
                 WHERE node IN (?1, ?2) AND measure < 8 AND day BETWEEN ?3 AND ?4 GROUP BY measure",
            )
            .expect("prepare flows");
        let mut out = [[0i64; 11]; 2];
        let rows = flows
            .query_map(params![keys[0], keys[1], from, to], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)? as i64))
            })
            .expect("flows");
        for row in rows {
            let (m, v) = row.expect("flow row");
            out[0][m as usize] = v;
        }
        let mut states = self
            .conn
            .prepare_cached(
                "SELECT measure, total(delta) FROM counters \
                 WHERE node IN (?1, ?2) AND measure >= 8 AND day < ?3 GROUP BY measure",
            )
            .expect("prepare states");
        for (slot, day) in state_days.iter().enumerate() {
            let rows = states
                .query_map(params![keys[0], keys[1], day], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)? as i64))
                })
                .expect("states");
            for row in rows {
                let (m, v) = row.expect("state row");
                if slot == 0 {
                    out[1][m as usize] = v;
                } else {
                    out[0][m as usize] = v;
                }
            }
        }
        out
    }

    /// The report from the counter tables: flow ranges and state prefix sums.
    pub fn report_counters(&self, nodes: &Nodes, scope: &Scope, period: Period) -> Core {
        let keys = Self::counter_nodes(nodes, scope);
        let from = julian(period.from());
        let to = julian(period.end_day()) - 1;
        let [end, start] = self.counter_sums(keys, from, to, [from, to + 1]);
        let u = |x: i64| u64::try_from(x).expect("non-negative count");
        let pending = u(end[measure::PENDING as usize]);
        let waiting = u(end[measure::WAITING as usize]);
        let overdue = u(end[measure::OVERDUE as usize]);
        Core {
            received_online: u(end[0]),
            received_direct: u(end[1]),
            received_postal: u(end[2]),
            carried_over: u(start[measure::PENDING as usize]),
            resolved_early: u(end[3]),
            resolved_on_time: u(end[4]),
            resolved_late: u(end[5]),
            in_progress_not_due: pending - waiting - overdue,
            in_progress_overdue: overdue,
            waiting_supplement: waiting,
            refused: u(end[6]),
            withdrawn: u(end[7]),
        }
    }

    /// The backlog at the end of `as_of` from the counter tables.
    pub fn backlog_counters(&self, nodes: &Nodes, scope: &Scope, as_of: Date) -> BacklogCore {
        let keys = Self::counter_nodes(nodes, scope);
        let next = julian(as_of) + 1;
        let mut states = self
            .conn
            .prepare_cached(
                "SELECT measure, total(delta) FROM counters \
                 WHERE node IN (?1, ?2) AND measure >= 8 AND day < ?3 GROUP BY measure",
            )
            .expect("prepare states");
        let mut s = [0i64; 11];
        let rows = states
            .query_map(params![keys[0], keys[1], next], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)? as i64))
            })
            .expect("states");
        for row in rows {
            let (m, v) = row.expect("state row");
            s[m as usize] = v;
        }
        let u = |x: i64| u64::try_from(x).expect("non-negative count");
        let (pending, waiting, overdue) = (
            u(s[measure::PENDING as usize]),
            u(s[measure::WAITING as usize]),
            u(s[measure::OVERDUE as usize]),
        );
        BacklogCore { pending, not_yet_due: pending - waiting - overdue, overdue, waiting }
    }

    /// Adds the time-first indexes [`Twin::backlog_counters_at`] reads the day's changes
    /// through (the twin's counterpart of the store's intraday index). The reports
    /// bench adds them after ingest, so the ingest bench's twin is unchanged.
    pub fn add_day_indexes(&self) {
        self.conn
            .execute_batch(
                "CREATE INDEX dossiers_received_at ON dossiers (received, node);
                 CREATE INDEX dossiers_finished_at ON dossiers (finished, node);
                 CREATE INDEX dossier_states_from ON dossier_states (from_t, node, kind);
                 CREATE INDEX dossier_states_to ON dossier_states (to_t, node, kind);",
            )
            .expect("day indexes");
    }

    /// The backlog at instant `at` from the counter tables and the day's changes, as
    /// the store computes it: the states at 00:00 of `at`'s day from the daily
    /// counters, plus the receipts and finishes in `[00:00, at)` (pending) and the state
    /// intervals that open or close in `[00:00, at)` (waiting, overdue), read through
    /// the time-first indexes of [`Twin::add_day_indexes`].
    pub fn backlog_counters_at(
        &self,
        nodes: &Nodes,
        scope: &Scope,
        at: OffsetDateTime,
    ) -> BacklogCore {
        let day = vietnam_date(at);
        let midnight = start_of_day(day);
        let base = self.backlog_counters(nodes, scope, day.previous_day().expect("previous day"));
        if at == midnight {
            return base;
        }
        let (lo, hi) = nodes.range(scope);
        let (m, t) = (nanos(midnight), nanos(at));
        let count = |sql: &str| -> i64 {
            self.conn
                .prepare_cached(sql)
                .expect("prepare day changes")
                .query_row(params![lo, hi, m, t], |r| r.get::<_, f64>(0))
                .expect("day changes") as i64
        };
        let received = count(
            "SELECT total(node BETWEEN ?1 AND ?2) FROM dossiers \
             WHERE received >= ?3 AND received < ?4",
        );
        let finished = count(
            "SELECT total(node BETWEEN ?1 AND ?2) FROM dossiers \
             WHERE finished >= ?3 AND finished < ?4",
        );
        let mut states = [[0i64; 2]; 2];
        for (slot, column) in ["from_t", "to_t"].iter().enumerate() {
            let sql = format!(
                "SELECT total(kind = 0 AND node BETWEEN ?1 AND ?2), \
                        total(kind = 1 AND node BETWEEN ?1 AND ?2) \
                 FROM dossier_states WHERE {column} >= ?3 AND {column} < ?4"
            );
            states[slot] = self
                .conn
                .prepare_cached(&sql)
                .expect("prepare state changes")
                .query_row(params![lo, hi, m, t], |r| {
                    Ok([r.get::<_, f64>(0)? as i64, r.get::<_, f64>(1)? as i64])
                })
                .expect("state changes");
        }
        let shift = |x: u64, d: i64| u64::try_from(x as i64 + d).expect("non-negative count");
        let pending = shift(base.pending, received - finished);
        let waiting = shift(base.waiting, states[0][0] - states[1][0]);
        let overdue = shift(base.overdue, states[0][1] - states[1][1]);
        BacklogCore { pending, not_yet_due: pending - waiting - overdue, overdue, waiting }
    }

    /// Bytes on disk (database and WAL) after a checkpoint.
    pub fn size_on_disk(&self, dir: &Path) -> u64 {
        self.conn.pragma_update(None, "wal_checkpoint", "TRUNCATE").expect("checkpoint");
        std::fs::read_dir(dir)
            .expect("twin dir")
            .map(|e| e.expect("entry").metadata().expect("metadata").len())
            .sum()
    }
}

/// The report columns both sides compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Core {
    pub received_online: u64,
    pub received_direct: u64,
    pub received_postal: u64,
    pub carried_over: u64,
    pub resolved_early: u64,
    pub resolved_on_time: u64,
    pub resolved_late: u64,
    pub in_progress_not_due: u64,
    pub in_progress_overdue: u64,
    pub waiting_supplement: u64,
    pub refused: u64,
    pub withdrawn: u64,
}

impl From<&OneStopReport> for Core {
    fn from(r: &OneStopReport) -> Self {
        Self {
            received_online: r.received_online,
            received_direct: r.received_direct,
            received_postal: r.received_postal,
            carried_over: r.carried_over,
            resolved_early: r.resolved_early,
            resolved_on_time: r.resolved_on_time,
            resolved_late: r.resolved_late,
            in_progress_not_due: r.in_progress_not_due,
            in_progress_overdue: r.in_progress_overdue,
            waiting_supplement: r.waiting_supplement,
            refused: r.refused,
            withdrawn: r.withdrawn,
        }
    }
}

/// The backlog columns both sides compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BacklogCore {
    pub pending: u64,
    pub not_yet_due: u64,
    pub overdue: u64,
    pub waiting: u64,
}

impl From<&Backlog> for BacklogCore {
    fn from(b: &Backlog) -> Self {
        Self {
            pending: b.pending,
            not_yet_due: b.not_yet_due,
            overdue: b.overdue,
            waiting: b.waiting,
        }
    }
}
