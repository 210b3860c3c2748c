//! Entry points for the fuzz targets in `fuzz/` and the golden-bytes tests in
//! `tests/format.rs`. Not part of the API: the stored record types are private, and
//! these functions are the narrow door the out-of-crate harnesses use to reach them.

use std::collections::BTreeMap;

use crate::store::records::calendar::CalendarAnnouncementRecord;
use time::macros::{date, datetime};

use crate::id::{AdminUnitCode, AgencyCode, DossierCode, Field, ProcedureCode};
use crate::model::agency::Agency;
use crate::model::dossier::{
    Channel, ClockRule, Dossier, DossierHeader, EventKind, LifecycleEvent,
};
use crate::model::measure::{Counts, MEASURE_COUNT, contributions};
use crate::model::procedure::{Announcement, AnnouncementKind, OnlineLevel, Procedure};
use crate::model::time_limit::TimeLimit;
use crate::store::codec::{
    Row, decode, decode_counts, decode_row, encode, encode_counts, encode_row,
};
use crate::store::intraday::{
    At, Class, HourRow, decode_key as decode_intraday_key, decode_row as decode_intraday_row,
    encode_row as encode_intraday_row, key as intraday_key,
};
use crate::store::records::{AgencyRecord, DossierRecord, ProcedureRecord};
use crate::{Error, Result};

/// Overwrites a store's format version (tests of the upgrade path only).
pub use crate::store::format::write_version_for_tests;

/// Exercises everything derived from a decoded dossier: outcomes, due instants,
/// states, counter contributions. These run on stored bytes in `verify`, reports
/// and every write, so they must not panic on any dossier that decodes.
fn derive_all(dossier: &Dossier) {
    for rule in [ClockRule::Restart, ClockRule::Subtract] {
        let _ = dossier.outcome(rule);
        let _ = dossier.due(rule);
    }
    for event in dossier.events() {
        let _ = dossier.state_at(event.at);
        let _ = dossier.on_time_766(event.at);
    }
    let _ = contributions(dossier);
}

/// Decodes `bytes` as every stored record type of the store core (agency, procedure
/// version, dossier, counter vector, intraday key and row), converts what decodes to its domain value and
/// re-encodes it.
///
/// Decoding errors are expected and ignored. Returns `Err` with a description only
/// when an invariant breaks: a decoded value that does not survive a second round
/// trip through its record. A panic anywhere in here is a bug too.
pub fn fuzz_decode_records(bytes: &[u8]) -> std::result::Result<(), String> {
    const KEY: &[u8] = b"fuzz";
    if let Ok(record) = decode::<AgencyRecord>(bytes, "agencies", KEY)
        && let Ok(agency) = Agency::try_from(record)
    {
        let again = encode(&AgencyRecord::from(&agency))
            .and_then(|b| decode::<AgencyRecord>(&b, "agencies", KEY))
            .and_then(Agency::try_from)
            .map_err(|e| format!("agency does not round-trip: {e}"))?;
        if again != agency {
            return Err(format!("agency changed in a round trip: {agency:?} -> {again:?}"));
        }
    }
    if let Ok(record) = decode::<ProcedureRecord>(bytes, "procedures", KEY)
        && let Ok(procedure) = Procedure::try_from(record)
    {
        let again = encode(&ProcedureRecord::from(&procedure))
            .and_then(|b| decode::<ProcedureRecord>(&b, "procedures", KEY))
            .and_then(Procedure::try_from)
            .map_err(|e| format!("procedure does not round-trip: {e}"))?;
        if again != procedure {
            return Err(format!("procedure changed in a round trip: {procedure:?} -> {again:?}"));
        }
    }
    if let Ok(record) = decode::<DossierRecord>(bytes, "dossiers", KEY)
        && let Ok(dossier) = Dossier::try_from(record)
    {
        derive_all(&dossier);
        let again = encode(&DossierRecord::from(&dossier))
            .and_then(|b| decode::<DossierRecord>(&b, "dossiers", KEY))
            .and_then(Dossier::try_from)
            .map_err(|e| format!("dossier does not round-trip: {e}"))?;
        if again != dossier {
            return Err(format!("dossier changed in a round trip: {dossier:?} -> {again:?}"));
        }
    }
    if let Ok(counts) = decode_counts(bytes, KEY) {
        let again = decode_counts(&encode_counts(&counts), KEY)
            .map_err(|e| format!("counts do not round-trip: {e}"))?;
        if again != counts {
            return Err(format!("counts changed in a round trip: {counts:?} -> {again:?}"));
        }
    }
    if let Ok(mut row) = decode_intraday_row(bytes, KEY) {
        // Encoding drops all-zero entries; everything else survives.
        row.totals.retain(|_, v| v.iter().any(|&c| c != 0));
        row.changes.retain(|_, v| v.iter().any(|&c| c != 0));
        let again = decode_intraday_row(&encode_intraday_row(&row), KEY)
            .map_err(|e| format!("intraday row does not round-trip: {e}"))?;
        if again != row {
            return Err(format!("intraday row changed in a round trip: {row:?} -> {again:?}"));
        }
    }
    let _ = decode_intraday_key(bytes);
    Ok(())
}

/// Runs every derived computation of a dossier built through the public API, as the
/// event-sequence fuzz target does (outcomes, states, counter contributions).
pub fn fuzz_derive(dossier: &Dossier) {
    derive_all(dossier);
}

fn golden_agency() -> Result<Agency> {
    Agency::district(
        AgencyCode::new("000.00.01.H49")?,
        "UBND huyện Đại Lộc",
        &AgencyCode::new("000.00.00.H49")?,
    )?
    .with_unit(AdminUnitCode::new("506")?)
    .with_validity(Some(date!(2010 - 01 - 01)), Some(date!(2025 - 07 - 01)))
}

fn golden_procedure() -> Result<Procedure> {
    Procedure::builder(
        ProcedureCode::new("1.004227")?,
        "Đăng ký khai sinh",
        Field::new("Hộ tịch")?,
        TimeLimit::working_days(5),
    )
    .reduced_limit(TimeLimit::working_days(3))
    .levels(&[crate::Level::District, crate::Level::Commune])
    .handling_agency("UBND cấp xã")
    .online(OnlineLevel::Full)
    .full_online_eligible(true)
    .national_portal(true)
    .fee(true, true)
    .paper_result(true)
    .effective_from(date!(2024 - 01 - 01))
    .announcement(Announcement {
        number: "123/QĐ-UBND".to_owned(),
        signed: date!(2023 - 12 - 15),
        effective: date!(2024 - 01 - 01),
        kind: AnnouncementKind::Amended,
    })
    .build()
}

fn golden_header(code: &str, channel: Channel) -> Result<DossierHeader> {
    Ok(DossierHeader {
        code: DossierCode::new(code)?,
        procedure: ProcedureCode::new("1.004227")?,
        field: Field::new("Hộ tịch")?,
        agency: AgencyCode::new("000.00.01.H49")?,
        channel,
        limit: TimeLimit::working_days(3),
        fee_bearing: true,
        paper_result: true,
        digitised: true,
        reused_data: false,
        receiving: None,
        portal: None,
        rule_set: crate::model::rules::RuleSetId::Decree61,
    })
}

/// Instants inside event kinds are stored as UTC instants; the golden values hold
/// them in UTC so their `Debug` text is what decoding gives back.
fn utc(t: time::OffsetDateTime) -> time::OffsetDateTime {
    t.to_offset(time::UtcOffset::UTC)
}

fn event(at: time::OffsetDateTime, kind: EventKind) -> LifecycleEvent {
    LifecycleEvent { at, kind }
}

/// A resolved dossier that went through every non-closing event kind.
fn golden_dossier_resolved() -> Result<Dossier> {
    let header = golden_header("000.00.01.H49-240105-0001", Channel::Online)?;
    Dossier::from_events(
        header,
        &[
            event(
                datetime!(2024-01-05 09:00 +07:00),
                EventKind::Received { appointment: datetime!(2024-01-10 09:00 +07:00) },
            ),
            event(
                datetime!(2024-01-05 10:00 +07:00),
                EventKind::Transferred { to: AgencyCode::new("000.00.02.H49")? },
            ),
            event(
                datetime!(2024-01-05 11:00 +07:00),
                EventKind::SupplementRequested {
                    reason: "Thiếu bản sao giấy tờ".to_owned()
                },
            ),
            event(
                datetime!(2024-01-08 08:00 +07:00),
                EventKind::Supplemented { restart_due: utc(datetime!(2024-01-11 08:00 +07:00)) },
            ),
            event(
                datetime!(2024-01-09 14:00 +07:00),
                EventKind::Extended {
                    new_appointment: utc(datetime!(2024-01-15 16:30 +07:00)),
                    reason: "Cần xác minh".to_owned(),
                    late_notice: false,
                },
            ),
            event(datetime!(2024-01-12 09:15 +07:00), EventKind::Paid { online: true }),
            event(datetime!(2024-01-12 10:00 +07:00), EventKind::Resolved { e_result: true }),
            event(datetime!(2024-01-15 08:45 +07:00), EventKind::ResultReturned),
        ],
    )
}

fn golden_dossier_refused() -> Result<Dossier> {
    let header = golden_header("000.00.01.H49-240105-0002", Channel::Direct)?;
    Dossier::from_events(
        header,
        &[
            event(
                datetime!(2024-01-05 09:30 +07:00),
                EventKind::Received { appointment: datetime!(2024-01-10 09:30 +07:00) },
            ),
            event(
                datetime!(2024-01-06 10:00:00.5 +07:00),
                EventKind::Refused { reason: "Không đủ điều kiện".to_owned() },
            ),
        ],
    )
}

fn golden_dossier_withdrawn() -> Result<Dossier> {
    let header = golden_header("000.00.01.H49-240105-0003", Channel::Postal)?;
    Dossier::from_events(
        header,
        &[
            event(
                datetime!(2024-01-05 15:00 +07:00),
                EventKind::Received { appointment: datetime!(2024-01-10 15:00 +07:00) },
            ),
            event(datetime!(2024-01-08 09:00 +07:00), EventKind::Paid { online: false }),
            event(datetime!(2024-01-09 09:00 +07:00), EventKind::Withdrawn),
        ],
    )
}

/// Format 3's dossier record: a Decree 118 dossier received by a commune service
/// centre for a department, closed for want of a supplement before the 15 days ran out.
fn golden_dossier_closed_decree118() -> Result<Dossier> {
    let mut header = golden_header("000.00.01.H49-250702-0001", Channel::Online)?;
    header.rule_set = crate::model::rules::RuleSetId::Decree118;
    header.receiving = Some(AgencyCode::new("000.21.50.H49")?);
    header.portal = Some(crate::model::rules::Portal::National);
    Dossier::from_events(
        header,
        &[
            event(
                utc(datetime!(2025-07-02 09:00 +07:00)),
                EventKind::Received { appointment: utc(datetime!(2025-07-07 09:00 +07:00)) },
            ),
            event(
                utc(datetime!(2025-07-02 10:00 +07:00)),
                EventKind::SupplementRequested { reason: "thiếu giấy tờ".to_owned() },
            ),
            event(
                utc(datetime!(2025-07-17 16:00 +07:00)),
                EventKind::ClosedUnsupplemented { early: true },
            ),
        ],
    )
}

/// Format 3's other new event: a Decree 118 dossier stopped at the applicant's request.
fn golden_dossier_stopped_decree118() -> Result<Dossier> {
    let mut header = golden_header("000.00.01.H49-250702-0002", Channel::Direct)?;
    header.rule_set = crate::model::rules::RuleSetId::Decree118;
    Dossier::from_events(
        header,
        &[
            event(
                utc(datetime!(2025-07-02 09:00 +07:00)),
                EventKind::Received { appointment: utc(datetime!(2025-07-07 09:00 +07:00)) },
            ),
            event(utc(datetime!(2025-07-03 10:00 +07:00)), EventKind::Stopped),
        ],
    )
}

/// As [`golden_records`], for the records format 3 added (`tests/fixtures/format-v3/`).
///
/// # Errors
/// Only if a golden value no longer validates or encodes.
pub fn golden_records_v3() -> Result<Vec<(&'static str, Vec<u8>, String)>> {
    [
        ("dossier-decree118-closed", golden_dossier_closed_decree118()?),
        ("dossier-decree118-stopped", golden_dossier_stopped_decree118()?),
    ]
    .into_iter()
    .map(|(name, d)| {
        let value = Golden::Dossier(d);
        let bytes = match &value {
            Golden::Dossier(d) => encode(&DossierRecord::from(d))?,
            _ => Vec::new(),
        };
        Ok((name, bytes, debug(&value)))
    })
    .collect()
}

fn golden_counts() -> Counts {
    let mut counts = [0i64; MEASURE_COUNT];
    // Format 1's 29 measures: later formats appended measures, which read 0 here.
    for (i, slot) in counts.iter_mut().take(29).enumerate() {
        // Small, large and negative values, and a trailing zero run.
        *slot = match i % 5 {
            0 => i as i64,
            1 => -(i as i64) * 1000,
            2 => 0,
            3 => i64::from(u32::MAX) + i as i64,
            _ => 1,
        };
    }
    if let Some(last) = counts.get_mut(28) {
        *last = 0;
    }
    counts
}

/// A counter row with a global node and two agency nodes of one hierarchy.
fn golden_row() -> Row {
    let mut negative = golden_counts();
    for c in &mut negative {
        *c = -*c;
    }
    let mut one = [0i64; MEASURE_COUNT];
    if let Some(first) = one.first_mut() {
        *first = 1;
    }
    Row::from([
        ([0, 0, 0, 0, 0], golden_counts()),
        ([1, 0, 0, 0, 7], one),
        ([2, 0, 0, 1, 0], negative),
    ])
}

/// An intraday hour row: totals for three nodes, and the changes of two dossier
/// classes at two instants (offsets in nanoseconds into the hour; vectors pending,
/// waiting, overdue Restart, overdue Subtract, waiting late).
fn golden_intraday_row() -> HourRow {
    let class = |agency, field, procedure| Class { agency, field, procedure };
    HourRow {
        totals: BTreeMap::from([
            ([0, 0, 0, 0, 0], [1, 0, 1, 0, -300]),
            ([1, 0, 0, 0, 3], [1, 0, 0, 0, 0]),
            ([5, 0, 0, 0, 7], [0, 0, 1, 0, -300]),
        ]),
        changes: BTreeMap::from([
            (At { offset: 1_025_500_000_000, class: class(3, 2, 0) }, [1, 0, 0, 0, 0]),
            (At { offset: 3_599_999_999_999, class: class(9, 0, 8) }, [0, -1, 1, 0, -300]),
        ]),
    }
}

/// The key of the hour row of 2024-01-05 09:00 +07:00 (02:00 UTC, Unix 1704420000).
const GOLDEN_INTRADAY_KEY: i64 = 1_704_420_000;

/// The golden values: one representative value of each stored record type of the
/// store core, by fixture name.
enum Golden {
    Agency(Agency),
    Procedure(Procedure),
    Dossier(Dossier),
    Counts(Counts),
    Row(Row),
    IntradayKey(i64),
    IntradayRow(HourRow),
    Announcement(crate::model::calendar::CalendarAnnouncement),
}

fn golden_values() -> Result<Vec<(&'static str, Golden)>> {
    Ok(vec![
        ("agency", Golden::Agency(golden_agency()?)),
        ("procedure", Golden::Procedure(golden_procedure()?)),
        ("dossier-resolved", Golden::Dossier(golden_dossier_resolved()?)),
        ("dossier-refused", Golden::Dossier(golden_dossier_refused()?)),
        ("dossier-withdrawn", Golden::Dossier(golden_dossier_withdrawn()?)),
        ("counts", Golden::Counts(golden_counts())),
        ("counter-row", Golden::Row(golden_row())),
    ])
}

fn debug(value: &Golden) -> String {
    match value {
        Golden::Agency(v) => format!("{v:#?}"),
        Golden::Procedure(v) => format!("{v:#?}"),
        Golden::Dossier(v) => format!("{v:#?}"),
        Golden::Counts(v) => format!("{v:?}"),
        Golden::Row(v) => format!("{v:?}"),
        Golden::IntradayKey(v) => format!("{v:?}"),
        Golden::IntradayRow(v) => format!("{v:?}"),
        Golden::Announcement(v) => format!("{v:#?}"),
    }
}

/// An agency's announcement with a day off and a worked Saturday: every field of the
/// record in use.
fn golden_announcement() -> crate::model::calendar::CalendarAnnouncement {
    use crate::model::calendar::{AnnouncementScope, CalendarAnnouncement};
    let agency = AgencyCode::new("000.00.50.H49").map(AnnouncementScope::Agency);
    agency
        .and_then(|scope| {
            CalendarAnnouncement::new(
                scope,
                "Quyết định nghỉ bù của Trung tâm (mẫu)",
                vec![time::macros::date!(2026 - 08 - 31)],
                vec![time::macros::date!(2026 - 08 - 22)],
            )
        })
        .unwrap_or_else(|_| unreachable!("the golden announcement is valid"))
}

/// The values format 2 added: an intraday key and row, and a calendar announcement.
fn golden_values_v2() -> Vec<(&'static str, Golden)> {
    vec![
        ("intraday-key", Golden::IntradayKey(GOLDEN_INTRADAY_KEY)),
        ("intraday-row", Golden::IntradayRow(golden_intraday_row())),
        ("calendar-announcement", Golden::Announcement(golden_announcement())),
    ]
}

/// Encodes the golden values with the current format. Each entry is the fixture
/// name, the stored bytes, and the `Debug` text of the domain value.
///
/// # Errors
/// Only if a golden value no longer validates or encodes.
pub fn golden_records() -> Result<Vec<(&'static str, Vec<u8>, String)>> {
    golden_values()?
        .into_iter()
        .map(|(name, value)| {
            let bytes = match &value {
                Golden::Agency(v) => encode(&AgencyRecord::from(v))?,
                Golden::Procedure(v) => encode(&ProcedureRecord::from(v))?,
                Golden::Dossier(v) => encode(&DossierRecord::from(v))?,
                Golden::Counts(v) => encode_counts(v),
                Golden::Row(v) => encode_row(v),
                Golden::IntradayKey(seconds) => intraday_key(*seconds).to_vec(),
                Golden::IntradayRow(v) => encode_intraday_row(v),
                Golden::Announcement(v) => encode(&CalendarAnnouncementRecord::from(v))?,
            };
            Ok((name, bytes, debug(&value)))
        })
        .collect()
}

/// As [`golden_records`], for the records format 2 added (`tests/fixtures/format-v2/`).
pub fn golden_records_v2() -> Vec<(&'static str, Vec<u8>, String)> {
    golden_values_v2()
        .into_iter()
        .map(|(name, value)| {
            let bytes = match &value {
                Golden::IntradayKey(seconds) => intraday_key(*seconds).to_vec(),
                Golden::IntradayRow(v) => encode_intraday_row(v),
                Golden::Announcement(v) => {
                    encode(&CalendarAnnouncementRecord::from(v)).unwrap_or_default()
                }
                _ => Vec::new(),
            };
            (name, bytes, debug(&value))
        })
        .collect()
}

/// Decodes the stored bytes of the golden fixture `name` with the current code and
/// returns the `Debug` text of the domain value they hold.
///
/// # Errors
/// [`Error::Corrupt`] when the bytes do not decode; [`Error::InvalidInput`] for an
/// unknown fixture name.
pub fn decode_golden(name: &str, bytes: &[u8]) -> Result<String> {
    let key = name.as_bytes();
    let value = match name {
        "agency" => Golden::Agency(
            Agency::try_from(decode::<AgencyRecord>(bytes, "agencies", key)?)
                .map_err(|e| crate::store::codec::corrupt("agencies", key, e.to_string()))?,
        ),
        "procedure" => Golden::Procedure(
            Procedure::try_from(decode::<ProcedureRecord>(bytes, "procedures", key)?)
                .map_err(|e| crate::store::codec::corrupt("procedures", key, e.to_string()))?,
        ),
        n if n.starts_with("dossier") => Golden::Dossier(
            Dossier::try_from(decode::<DossierRecord>(bytes, "dossiers", key)?)
                .map_err(|e| crate::store::codec::corrupt("dossiers", key, e.to_string()))?,
        ),
        "counts" => Golden::Counts(decode_counts(bytes, key)?),
        "counter-row" => Golden::Row(decode_row(bytes, key)?),
        "intraday-key" => Golden::IntradayKey(decode_intraday_key(bytes)?),
        "intraday-row" => Golden::IntradayRow(decode_intraday_row(bytes, key)?),
        "calendar-announcement" => Golden::Announcement(
            crate::model::calendar::CalendarAnnouncement::try_from(decode::<
                CalendarAnnouncementRecord,
            >(
                bytes,
                "calendar_announcements",
                key,
            )?)
            .map_err(|e| {
                crate::store::codec::corrupt("calendar_announcements", key, e.to_string())
            })?,
        ),
        _ => return Err(Error::invalid("fixture", format!("unknown golden fixture {name}"))),
    };
    Ok(debug(&value))
}

// ---------------------------------------------------------------------------
// Importers (the `import_rows` target).

/// The record types in the order the first byte of a fuzz input selects them.
const IMPORT_TYPES: [crate::io::RecordType; 6] = [
    crate::io::RecordType::Agencies,
    crate::io::RecordType::Procedures,
    crate::io::RecordType::Dossiers,
    crate::io::RecordType::Events,
    crate::io::RecordType::Feedback,
    crate::io::RecordType::Assessments,
];

/// The first byte of an `import_rows` input for `format` and `record_type`: the
/// inverse of the choice [`fuzz_import`] makes.
pub fn import_selector(format: crate::io::Format, record_type: crate::io::RecordType) -> u8 {
    let index = IMPORT_TYPES.iter().position(|t| *t == record_type).unwrap_or(0) as u8;
    (index << 1) | u8::from(format == crate::io::Format::JsonLines)
}

/// The store every import input runs against: the province, a district, a commune
/// merged away on 2025-07-01, one procedure, a small framework and one dossier
/// being processed, so that rows of every type can be accepted.
fn import_fixture() -> Result<crate::Store> {
    use crate::model::score::{FrameworkNode, FrameworkSpec, IndexFramework, ScoreSource};
    let store = crate::Store::temporary()?;
    let province = AgencyCode::new("000.00.00.H49")?;
    let district = AgencyCode::new("000.00.01.H49")?;
    store.agencies().insert(&Agency::province(province.clone(), "UBND tỉnh Quảng Nam")?)?;
    store.agencies().insert(&Agency::district(
        district.clone(),
        "UBND huyện Đại Lộc",
        &province,
    )?)?;
    store.agencies().insert(
        &Agency::commune(AgencyCode::new("000.01.01.H49")?, "UBND xã Đại Hiệp", &district)?
            .with_validity(None, Some(date!(2025 - 07 - 01)))?,
    )?;
    store.procedures().insert(
        &Procedure::builder(
            ProcedureCode::new("1.004227")?,
            "Đăng ký khai sinh",
            Field::new("Hộ tịch")?,
            TimeLimit::working_days(5),
        )
        .build()?,
    )?;
    store.frameworks().insert(&IndexFramework::new(FrameworkSpec {
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
    })?)?;
    store.dossiers().receive(&crate::NewDossier {
        code: DossierCode::new("000.01.01.H49-240102-0001")?,
        procedure: ProcedureCode::new("1.004227")?,
        agency: AgencyCode::new("000.01.01.H49")?,
        channel: Channel::Online,
        received_at: datetime!(2024-01-02 08:00 +07:00),
        digitised: true,
        reused_data: false,
        receiving: None,
        portal: None,
        rule_set: None,
    })?;
    Ok(store)
}

/// What an import may change, counted cheaply.
fn import_counts(store: &crate::Store) -> [usize; 5] {
    [
        store.agencies().len(),
        // Versions, not codes: an import may add a version of a known code.
        store.inner.procedures.len(),
        store.dossiers().len(),
        store.feedback().len(),
        store.assessments().len(),
    ]
}

/// Imports `data` into a fresh fixture store: the first byte chooses the format
/// (bit 0: CSV or JSON Lines) and the record type (the rest, modulo 6: agencies,
/// procedures, dossiers, events, feedback, assessments); the other bytes are the
/// file.
///
/// Returns `Err` with a description when an invariant breaks: an error that is not
/// an [`Error::Import`] naming the file and a line of it; a refused file that wrote
/// something (inputs stay under one batch, so every type is all or nothing here);
/// an accepted file that leaves counters different from the dossiers. A panic
/// anywhere in here is a bug too.
pub fn fuzz_import(data: &[u8]) -> std::result::Result<(), String> {
    let Some((&selector, file)) = data.split_first() else { return Ok(()) };
    let format =
        if selector & 1 == 0 { crate::io::Format::Csv } else { crate::io::Format::JsonLines };
    let record_type = IMPORT_TYPES
        .get(usize::from(selector >> 1) % IMPORT_TYPES.len())
        .copied()
        .unwrap_or(crate::io::RecordType::Agencies);
    let store = import_fixture().map_err(|e| format!("fixture: {e}"))?;
    let before = import_counts(&store);
    let name = "fuzz-input";
    // Lines as the importer counts them: LF, CRLF and a lone CR each end one.
    let lines = 1 + file
        .iter()
        .enumerate()
        .filter(|&(i, &b)| {
            (b == b'\n' && (i == 0 || file.get(i - 1) != Some(&b'\r'))) || b == b'\r'
        })
        .count() as u64;
    match crate::io::import_reader(&store, file, name, format, record_type, 1_000) {
        Ok(_) => {
            let report = store.verify().map_err(|e| format!("verify after an import: {e}"))?;
            if !report.counter_differences.is_empty() {
                return Err(format!("counters differ after an import: {report:?}"));
            }
        }
        Err(Error::Import { file: f, line, .. }) if f == name && line <= lines => {
            let after = import_counts(&store);
            if after != before {
                return Err(format!("a refused file wrote: {before:?} -> {after:?}"));
            }
        }
        Err(other) => return Err(format!("not an import error of a line of the file: {other:?}")),
    }
    Ok(())
}
