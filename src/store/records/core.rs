//! Frozen on-disk records. These structs are the format: changing one changes
//! the bytes, which needs a new version (`V2`), a format bump and new golden
//! fixtures. They use only primitive types so a change to a domain type cannot
//! silently change what is stored.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::id::{AdminUnitCode, AgencyCode, DossierCode, Field, ProcedureCode};
use crate::model::agency::{Agency, AgencyKind, Level};
use crate::model::dossier::{Channel, Dossier, DossierHeader, EventKind, LifecycleEvent};
use crate::model::procedure::{
    Announcement, AnnouncementKind, OnlineLevel, Procedure, ProcedureStatus,
};
use crate::model::rules::{Portal, RuleSetId};
use crate::model::time_limit::{TimeLimit, TimeUnit};
use crate::{Error, Result};

/// An instant as (Unix seconds, nanoseconds).
pub(crate) type InstantV1 = (i64, u32);

pub(crate) fn instant(t: OffsetDateTime) -> InstantV1 {
    (t.unix_timestamp(), t.nanosecond())
}

pub(crate) fn from_instant((secs, nanos): InstantV1) -> Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.replace_nanosecond(nanos).ok())
        .ok_or_else(|| Error::invalid("record.instant", "out of range"))
}

pub(crate) fn from_julian(day: i32) -> Result<Date> {
    Date::from_julian_day(day).map_err(|_| Error::invalid("record.date", "out of range"))
}

fn unit_tag(unit: TimeUnit) -> u8 {
    match unit {
        TimeUnit::WorkingHours => 0,
        TimeUnit::WorkingDays => 1,
        TimeUnit::CalendarDays => 2,
        TimeUnit::Months => 3,
    }
}

fn limit_from((amount, tag): (u32, u8)) -> Result<TimeLimit> {
    let unit = match tag {
        0 => TimeUnit::WorkingHours,
        1 => TimeUnit::WorkingDays,
        2 => TimeUnit::CalendarDays,
        3 => TimeUnit::Months,
        _ => return Err(Error::invalid("record.limit", "unknown unit")),
    };
    Ok(TimeLimit { amount, unit })
}

fn level_tag(level: Level) -> u8 {
    match level {
        Level::Central => 0,
        Level::Province => 1,
        Level::District => 2,
        Level::Commune => 3,
    }
}

pub(crate) fn level_from(tag: u8) -> Result<Level> {
    Level::ALL
        .get(usize::from(tag))
        .copied()
        .ok_or_else(|| Error::invalid("record.level", "unknown level"))
}

/// Versioned agency record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum AgencyRecord {
    V1(AgencyV1),
}

/// Agency, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AgencyV1 {
    pub code: String,
    pub name: String,
    pub kind: u8,
    pub level: u8,
    pub parent: Option<String>,
    pub unit: Option<String>,
    pub valid_from: Option<i32>,
    pub valid_to: Option<i32>,
}

impl From<&Agency> for AgencyRecord {
    fn from(a: &Agency) -> Self {
        AgencyRecord::V1(AgencyV1 {
            code: a.code().to_string(),
            name: a.name().to_owned(),
            kind: match a.kind() {
                AgencyKind::Ministry => 0,
                AgencyKind::Province => 1,
                AgencyKind::Department => 2,
                AgencyKind::District => 3,
                AgencyKind::Commune => 4,
                AgencyKind::OneStopCentre => 5,
            },
            level: level_tag(a.level()),
            parent: a.parent().map(ToString::to_string),
            unit: a.unit().map(ToString::to_string),
            valid_from: a.valid_from().map(Date::to_julian_day),
            valid_to: a.valid_to().map(Date::to_julian_day),
        })
    }
}

impl TryFrom<AgencyRecord> for Agency {
    type Error = Error;
    fn try_from(record: AgencyRecord) -> Result<Self> {
        let AgencyRecord::V1(r) = record;
        let kind = match r.kind {
            0 => AgencyKind::Ministry,
            1 => AgencyKind::Province,
            2 => AgencyKind::Department,
            3 => AgencyKind::District,
            4 => AgencyKind::Commune,
            5 => AgencyKind::OneStopCentre,
            _ => return Err(Error::invalid("record.kind", "unknown agency kind")),
        };
        let parent = r.parent.as_deref().map(AgencyCode::new).transpose()?;
        let mut agency = Agency::new(
            AgencyCode::new(&r.code)?,
            &r.name,
            kind,
            level_from(r.level)?,
            parent.as_ref(),
        )?;
        if let Some(unit) = r.unit {
            agency = agency.with_unit(AdminUnitCode::new(&unit)?);
        }
        agency.with_validity(
            r.valid_from.map(from_julian).transpose()?,
            r.valid_to.map(from_julian).transpose()?,
        )
    }
}

/// Versioned procedure record (one version of a procedure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ProcedureRecord {
    V1(ProcedureV1),
}

/// Procedure version, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ProcedureV1 {
    pub code: String,
    pub name: String,
    pub field: String,
    pub levels: Vec<u8>,
    pub handling_agency: Option<String>,
    pub central_limit: (u32, u8),
    pub reduced_limit: Option<(u32, u8)>,
    pub online: u8,
    pub full_online_eligible: bool,
    pub national_portal: bool,
    pub fee_bearing: bool,
    pub online_payment: bool,
    pub paper_result: bool,
    pub abolished: bool,
    pub effective_from: i32,
    pub announcements: Vec<AnnouncementV1>,
}

/// Announcement decision, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AnnouncementV1 {
    pub number: String,
    pub signed: i32,
    pub effective: i32,
    pub kind: u8,
}

impl From<&Procedure> for ProcedureRecord {
    fn from(p: &Procedure) -> Self {
        ProcedureRecord::V1(ProcedureV1 {
            code: p.code().to_string(),
            name: p.name().to_owned(),
            field: p.field().to_string(),
            levels: p.levels().iter().map(|&l| level_tag(l)).collect(),
            handling_agency: p.handling_agency().map(str::to_owned),
            central_limit: (p.central_limit().amount, unit_tag(p.central_limit().unit)),
            reduced_limit: p.reduced_limit().map(|l| (l.amount, unit_tag(l.unit))),
            online: match p.online() {
                OnlineLevel::None => 0,
                OnlineLevel::Partial => 1,
                OnlineLevel::Full => 2,
            },
            full_online_eligible: p.full_online_eligible(),
            national_portal: p.national_portal(),
            fee_bearing: p.fee_bearing(),
            online_payment: p.online_payment(),
            paper_result: p.paper_result(),
            abolished: p.status() == ProcedureStatus::Abolished,
            effective_from: p.effective_from().to_julian_day(),
            announcements: p
                .announcements()
                .iter()
                .map(|a| AnnouncementV1 {
                    number: a.number.clone(),
                    signed: a.signed.to_julian_day(),
                    effective: a.effective.to_julian_day(),
                    kind: match a.kind {
                        AnnouncementKind::New => 0,
                        AnnouncementKind::Amended => 1,
                        AnnouncementKind::Replaced => 2,
                        AnnouncementKind::Abolished => 3,
                    },
                })
                .collect(),
        })
    }
}

impl TryFrom<ProcedureRecord> for Procedure {
    type Error = Error;
    fn try_from(record: ProcedureRecord) -> Result<Self> {
        let ProcedureRecord::V1(r) = record;
        let levels = r.levels.iter().map(|&t| level_from(t)).collect::<Result<Vec<_>>>()?;
        let mut b = Procedure::builder(
            ProcedureCode::new(&r.code)?,
            &r.name,
            Field::new(&r.field)?,
            limit_from(r.central_limit)?,
        )
        .levels(&levels)
        .online(match r.online {
            0 => OnlineLevel::None,
            1 => OnlineLevel::Partial,
            2 => OnlineLevel::Full,
            _ => return Err(Error::invalid("record.online", "unknown level")),
        })
        .full_online_eligible(r.full_online_eligible)
        .national_portal(r.national_portal)
        .fee(r.fee_bearing, r.online_payment)
        .paper_result(r.paper_result)
        .status(if r.abolished { ProcedureStatus::Abolished } else { ProcedureStatus::InForce })
        .effective_from(from_julian(r.effective_from)?);
        if let Some(agency) = &r.handling_agency {
            b = b.handling_agency(agency);
        }
        if let Some(reduced) = r.reduced_limit {
            b = b.reduced_limit(limit_from(reduced)?);
        }
        for a in r.announcements {
            b = b.announcement(Announcement {
                number: a.number,
                signed: from_julian(a.signed)?,
                effective: from_julian(a.effective)?,
                kind: match a.kind {
                    0 => AnnouncementKind::New,
                    1 => AnnouncementKind::Amended,
                    2 => AnnouncementKind::Replaced,
                    3 => AnnouncementKind::Abolished,
                    _ => return Err(Error::invalid("record.announcement", "unknown kind")),
                },
            });
        }
        b.build()
    }
}

/// Versioned dossier record: the header and the event history, which is the truth.
///
/// A dossier that version 1 can hold (Decree 61, received by its own agency) is still
/// written as `V1`, byte for byte as before; `V2` adds the rule set, the receiving point
/// and the Decree 118 end states. A `V1` record is a Decree 61 dossier whatever its
/// receipt date: stores written before rule sets existed hold only those.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum DossierRecord {
    V1(DossierV1),
    V2(DossierV2),
}

/// Dossier, format 3: format 1's fields, the rule set and the receiving point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DossierV2 {
    pub code: String,
    pub procedure: String,
    pub field: String,
    pub agency: String,
    pub channel: u8,
    pub limit: (u32, u8),
    pub fee_bearing: bool,
    pub paper_result: bool,
    pub digitised: bool,
    pub reused_data: bool,
    /// 1 Decree 61, 2 Decree 118.
    pub rule_set: u8,
    pub receiving: Option<String>,
    /// 1 national, 2 ministry, 3 province, 4 `VNeID`.
    pub portal: Option<u8>,
    pub events: Vec<EventV2>,
}

/// Lifecycle event, format 3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EventV2 {
    pub at: InstantV1,
    pub kind: EventKindV2,
}

/// Lifecycle event kind, format 3: format 1's kinds in the same order, then the
/// Decree 118 end states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum EventKindV2 {
    V1(EventKindV1),
    ClosedUnsupplemented { early: bool },
    Stopped,
}

fn rule_set_tag(id: RuleSetId) -> u8 {
    match id {
        RuleSetId::Decree61 => 1,
        RuleSetId::Decree118 => 2,
    }
}

fn portal_tag(portal: Portal) -> u8 {
    match portal {
        Portal::National => 1,
        Portal::Ministry => 2,
        Portal::Province => 3,
        Portal::VNeId => 4,
    }
}

fn portal_from(tag: u8) -> Result<Portal> {
    match tag {
        1 => Ok(Portal::National),
        2 => Ok(Portal::Ministry),
        3 => Ok(Portal::Province),
        4 => Ok(Portal::VNeId),
        _ => Err(Error::invalid("record.portal", format!("unknown portal {tag}"))),
    }
}

fn rule_set_from(tag: u8) -> Result<RuleSetId> {
    match tag {
        1 => Ok(RuleSetId::Decree61),
        2 => Ok(RuleSetId::Decree118),
        _ => Err(Error::invalid("record.rule_set", format!("unknown rule set {tag}"))),
    }
}

/// Dossier, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DossierV1 {
    pub code: String,
    pub procedure: String,
    pub field: String,
    pub agency: String,
    pub channel: u8,
    pub limit: (u32, u8),
    pub fee_bearing: bool,
    pub paper_result: bool,
    pub digitised: bool,
    pub reused_data: bool,
    pub events: Vec<EventV1>,
}

/// Lifecycle event, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EventV1 {
    pub at: InstantV1,
    pub kind: EventKindV1,
}

/// Lifecycle event kind, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum EventKindV1 {
    Received { appointment: InstantV1 },
    Transferred { to: String },
    SupplementRequested { reason: String },
    Supplemented { restart_due: InstantV1 },
    Extended { new_appointment: InstantV1, reason: String, late_notice: bool },
    Refused { reason: String },
    Resolved { e_result: bool },
    ResultReturned,
    Withdrawn,
    Paid { online: bool },
}

impl From<&LifecycleEvent> for EventV2 {
    fn from(e: &LifecycleEvent) -> Self {
        let kind = match &e.kind {
            EventKind::ClosedUnsupplemented { early } => {
                EventKindV2::ClosedUnsupplemented { early: *early }
            }
            EventKind::Stopped => EventKindV2::Stopped,
            other => kind_v1(other).map_or(EventKindV2::Stopped, EventKindV2::V1),
        };
        EventV2 { at: instant(e.at), kind }
    }
}

/// The format-1 kind of an event, or `None` for the kinds format 1 cannot hold.
fn kind_v1(kind: &EventKind) -> Option<EventKindV1> {
    Some(match kind {
        EventKind::Received { appointment } => {
            EventKindV1::Received { appointment: instant(*appointment) }
        }
        EventKind::Transferred { to } => EventKindV1::Transferred { to: to.to_string() },
        EventKind::SupplementRequested { reason } => {
            EventKindV1::SupplementRequested { reason: reason.clone() }
        }
        EventKind::Supplemented { restart_due } => {
            EventKindV1::Supplemented { restart_due: instant(*restart_due) }
        }
        EventKind::Extended { new_appointment, reason, late_notice } => EventKindV1::Extended {
            new_appointment: instant(*new_appointment),
            reason: reason.clone(),
            late_notice: *late_notice,
        },
        EventKind::Refused { reason } => EventKindV1::Refused { reason: reason.clone() },
        EventKind::Resolved { e_result } => EventKindV1::Resolved { e_result: *e_result },
        EventKind::ResultReturned => EventKindV1::ResultReturned,
        EventKind::Withdrawn => EventKindV1::Withdrawn,
        EventKind::Paid { online } => EventKindV1::Paid { online: *online },
        EventKind::ClosedUnsupplemented { .. } | EventKind::Stopped => return None,
    })
}

impl TryFrom<EventV2> for LifecycleEvent {
    type Error = Error;
    fn try_from(e: EventV2) -> Result<Self> {
        let kind = match e.kind {
            EventKindV2::V1(kind) => {
                return LifecycleEvent::try_from(EventV1 { at: e.at, kind });
            }
            EventKindV2::ClosedUnsupplemented { early } => {
                EventKind::ClosedUnsupplemented { early }
            }
            EventKindV2::Stopped => EventKind::Stopped,
        };
        Ok(LifecycleEvent { at: from_instant(e.at)?, kind })
    }
}

impl TryFrom<EventV1> for LifecycleEvent {
    type Error = Error;
    fn try_from(e: EventV1) -> Result<Self> {
        let kind = match e.kind {
            EventKindV1::Received { appointment } => {
                EventKind::Received { appointment: from_instant(appointment)? }
            }
            EventKindV1::Transferred { to } => EventKind::Transferred { to: AgencyCode::new(&to)? },
            EventKindV1::SupplementRequested { reason } => {
                EventKind::SupplementRequested { reason }
            }
            EventKindV1::Supplemented { restart_due } => {
                EventKind::Supplemented { restart_due: from_instant(restart_due)? }
            }
            EventKindV1::Extended { new_appointment, reason, late_notice } => EventKind::Extended {
                new_appointment: from_instant(new_appointment)?,
                reason,
                late_notice,
            },
            EventKindV1::Refused { reason } => EventKind::Refused { reason },
            EventKindV1::Resolved { e_result } => EventKind::Resolved { e_result },
            EventKindV1::ResultReturned => EventKind::ResultReturned,
            EventKindV1::Withdrawn => EventKind::Withdrawn,
            EventKindV1::Paid { online } => EventKind::Paid { online },
        };
        Ok(LifecycleEvent { at: from_instant(e.at)?, kind })
    }
}

impl From<&Dossier> for DossierRecord {
    fn from(d: &Dossier) -> Self {
        let h = d.header();
        let v1_events: Option<Vec<EventV1>> = d
            .events()
            .iter()
            .map(|e| kind_v1(&e.kind).map(|kind| EventV1 { at: instant(e.at), kind }))
            .collect();
        let v1_events = v1_events.filter(|_| {
            h.rule_set == RuleSetId::Decree61 && h.receiving.is_none() && h.portal.is_none()
        });
        let Some(v1_events) = v1_events else {
            return DossierRecord::V2(DossierV2 {
                code: h.code.to_string(),
                procedure: h.procedure.to_string(),
                field: h.field.to_string(),
                agency: h.agency.to_string(),
                channel: channel_tag(h.channel),
                limit: (h.limit.amount, unit_tag(h.limit.unit)),
                fee_bearing: h.fee_bearing,
                paper_result: h.paper_result,
                digitised: h.digitised,
                reused_data: h.reused_data,
                rule_set: rule_set_tag(h.rule_set),
                receiving: h.receiving.as_ref().map(ToString::to_string),
                portal: h.portal.map(portal_tag),
                events: d.events().iter().map(EventV2::from).collect(),
            });
        };
        DossierRecord::V1(DossierV1 {
            code: h.code.to_string(),
            procedure: h.procedure.to_string(),
            field: h.field.to_string(),
            agency: h.agency.to_string(),
            channel: channel_tag(h.channel),
            limit: (h.limit.amount, unit_tag(h.limit.unit)),
            fee_bearing: h.fee_bearing,
            paper_result: h.paper_result,
            digitised: h.digitised,
            reused_data: h.reused_data,
            events: v1_events,
        })
    }
}

fn channel_tag(channel: Channel) -> u8 {
    match channel {
        Channel::Direct => 1,
        Channel::Online => 2,
        Channel::Postal => 3,
    }
}

fn channel_from(tag: u8) -> Result<Channel> {
    match tag {
        1 => Ok(Channel::Direct),
        2 => Ok(Channel::Online),
        3 => Ok(Channel::Postal),
        _ => Err(Error::invalid("record.channel", "unknown channel")),
    }
}

/// Reads a format-1 dossier as format 3 reads it: Decree 61, received by its own
/// agency, through no known portal (the lazy migration of STYLE.md).
impl From<DossierV1> for DossierV2 {
    fn from(r: DossierV1) -> Self {
        DossierV2 {
            code: r.code,
            procedure: r.procedure,
            field: r.field,
            agency: r.agency,
            channel: r.channel,
            limit: r.limit,
            fee_bearing: r.fee_bearing,
            paper_result: r.paper_result,
            digitised: r.digitised,
            reused_data: r.reused_data,
            rule_set: rule_set_tag(RuleSetId::Decree61),
            receiving: None,
            portal: None,
            events: r
                .events
                .into_iter()
                .map(|e| EventV2 { at: e.at, kind: EventKindV2::V1(e.kind) })
                .collect(),
        }
    }
}

impl TryFrom<DossierRecord> for Dossier {
    type Error = Error;
    fn try_from(record: DossierRecord) -> Result<Self> {
        let r = match record {
            DossierRecord::V1(r) => DossierV2::from(r),
            DossierRecord::V2(r) => r,
        };
        let header = DossierHeader {
            code: DossierCode::new(&r.code)?,
            procedure: ProcedureCode::new(&r.procedure)?,
            field: Field::new(&r.field)?,
            agency: AgencyCode::new(&r.agency)?,
            channel: channel_from(r.channel)?,
            limit: limit_from(r.limit)?,
            fee_bearing: r.fee_bearing,
            paper_result: r.paper_result,
            digitised: r.digitised,
            reused_data: r.reused_data,
            receiving: r.receiving.as_deref().map(AgencyCode::new).transpose()?,
            portal: r.portal.map(portal_from).transpose()?,
            rule_set: rule_set_from(r.rule_set)?,
        };
        let events =
            r.events.into_iter().map(LifecycleEvent::try_from).collect::<Result<Vec<_>>>()?;
        Dossier::from_events(header, &events)
    }
}
