//! Frozen on-disk records of the reform collections: feedback, reform plans and
//! organisation snapshots, with their keys. Primitive fields only, one enum variant per
//! layout; changing one needs a `V2`, a format bump and new golden fixtures.

use serde::{Deserialize, Serialize};
use time::Date;

use super::core::{InstantV1, from_instant, from_julian, instant};
use crate::id::AgencyCode;
use crate::model::feedback::{Feedback, FeedbackId, FeedbackKind, Satisfaction};
use crate::model::organisation::{OrganisationCounts, OrganisationSnapshot};
use crate::model::plan::{PlanTask, ReformPlan};
use crate::store::Inner;
use crate::store::collection::StoredRecord;
use crate::store::keys::tree;
use crate::{Error, RecordKind, Result};

/// Key of a per-unit, per-year record: the unit code, `/`, the year big-endian with
/// the sign bit flipped, so a unit's years sort in order.
pub(crate) fn unit_year_key(unit: &AgencyCode, year: i32) -> Vec<u8> {
    let mut key = unit_prefix(unit);
    key.extend_from_slice(&((year as u32) ^ 0x8000_0000).to_be_bytes());
    key
}

pub(crate) fn unit_prefix(unit: &AgencyCode) -> Vec<u8> {
    let mut key = Vec::with_capacity(unit.as_str().len() + 5);
    key.extend_from_slice(unit.as_str().as_bytes());
    key.push(b'/');
    key
}

/// Versioned feedback record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum FeedbackRecord {
    V1(FeedbackV1),
}

/// Feedback, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FeedbackV1 {
    pub id: String,
    pub agency: String,
    pub received_at: InstantV1,
    /// 0 regulation, 1 staff.
    pub kind: u8,
    pub transferred_at: Option<InstantV1>,
    pub supplement_requested_at: Option<InstantV1>,
    pub answered_at: Option<InstantV1>,
    pub rejected_at: Option<InstantV1>,
    /// 0 none, 1 satisfied, 2 not satisfied.
    pub satisfaction: u8,
    pub further_complaint: bool,
}

impl StoredRecord for Feedback {
    const TREE: &'static str = tree::FEEDBACK;
    fn tree(inner: &Inner) -> &sled::Tree {
        &inner.feedback
    }
    const KIND: RecordKind = RecordKind::Feedback;
    type Record = FeedbackRecord;

    fn key(&self) -> Vec<u8> {
        self.id().as_str().as_bytes().to_vec()
    }

    fn to_record(&self) -> FeedbackRecord {
        FeedbackRecord::V1(FeedbackV1 {
            id: self.id().as_str().to_owned(),
            agency: self.agency().as_str().to_owned(),
            received_at: instant(self.received_at()),
            kind: match self.kind() {
                FeedbackKind::Regulation => 0,
                FeedbackKind::Staff => 1,
            },
            transferred_at: self.transferred_at().map(instant),
            supplement_requested_at: self.supplement_requested_at().map(instant),
            answered_at: self.answered_at().map(instant),
            rejected_at: self.rejected_at().map(instant),
            satisfaction: match self.satisfaction() {
                Satisfaction::None => 0,
                Satisfaction::Satisfied => 1,
                Satisfaction::NotSatisfied => 2,
            },
            further_complaint: self.further_complaint(),
        })
    }

    fn from_record(record: FeedbackRecord) -> Result<Self> {
        let FeedbackRecord::V1(r) = record;
        let kind = match r.kind {
            0 => FeedbackKind::Regulation,
            1 => FeedbackKind::Staff,
            _ => return Err(Error::invalid("record.kind", "unknown feedback kind")),
        };
        let satisfaction = match r.satisfaction {
            0 => Satisfaction::None,
            1 => Satisfaction::Satisfied,
            2 => Satisfaction::NotSatisfied,
            _ => return Err(Error::invalid("record.satisfaction", "unknown satisfaction")),
        };
        let mut item = Feedback::new(
            FeedbackId::new(&r.id)?,
            AgencyCode::new(&r.agency)?,
            from_instant(r.received_at)?,
            kind,
        )?;
        if let Some(t) = r.transferred_at {
            item = item.with_transfer(from_instant(t)?)?;
        }
        if let Some(t) = r.supplement_requested_at {
            item = item.with_supplement_request(from_instant(t)?)?;
        }
        if let Some(t) = r.answered_at {
            item = item.with_answer(from_instant(t)?)?;
        }
        if let Some(t) = r.rejected_at {
            item = item.with_rejection(from_instant(t)?)?;
        }
        item.with_satisfaction(satisfaction)?.with_further_complaint(r.further_complaint)
    }
}

/// Versioned reform plan record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum PlanRecord {
    V1(PlanV1),
}

/// Reform plan, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PlanV1 {
    pub unit: String,
    pub year: i32,
    pub tasks: Vec<PlanTaskV1>,
}

/// Reform plan task, format 1. Dates are Julian day numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PlanTaskV1 {
    pub id: String,
    pub title: String,
    pub created: i32,
    pub deadline: i32,
    pub completed: Option<i32>,
}

impl StoredRecord for ReformPlan {
    const TREE: &'static str = tree::PLANS;
    fn tree(inner: &Inner) -> &sled::Tree {
        &inner.plans
    }
    const KIND: RecordKind = RecordKind::Plan;
    type Record = PlanRecord;

    fn key(&self) -> Vec<u8> {
        unit_year_key(self.unit(), self.year())
    }

    fn to_record(&self) -> PlanRecord {
        PlanRecord::V1(PlanV1 {
            unit: self.unit().as_str().to_owned(),
            year: self.year(),
            tasks: self
                .tasks()
                .iter()
                .map(|t| PlanTaskV1 {
                    id: t.id().to_owned(),
                    title: t.title().to_owned(),
                    created: t.created().to_julian_day(),
                    deadline: t.deadline().to_julian_day(),
                    completed: t.completed().map(Date::to_julian_day),
                })
                .collect(),
        })
    }

    fn from_record(record: PlanRecord) -> Result<Self> {
        let PlanRecord::V1(r) = record;
        let tasks = r
            .tasks
            .into_iter()
            .map(|t| {
                let task = PlanTask::new(
                    &t.id,
                    &t.title,
                    from_julian(t.created)?,
                    from_julian(t.deadline)?,
                )?;
                match t.completed {
                    Some(day) => task.completed_on(from_julian(day)?),
                    None => Ok(task),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        ReformPlan::new(AgencyCode::new(&r.unit)?, r.year, tasks)
    }
}

/// Versioned organisation snapshot record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum OrganisationRecord {
    V1(OrganisationV1),
}

/// Organisation snapshot, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OrganisationV1 {
    pub unit: String,
    pub year: i32,
    pub agencies: u32,
    pub divisions: u32,
    pub sub_departments: u32,
    pub district_divisions: u32,
}

impl StoredRecord for OrganisationSnapshot {
    const TREE: &'static str = tree::ORGANISATION;
    fn tree(inner: &Inner) -> &sled::Tree {
        &inner.organisation
    }
    const KIND: RecordKind = RecordKind::Organisation;
    type Record = OrganisationRecord;

    fn key(&self) -> Vec<u8> {
        unit_year_key(self.unit(), self.year())
    }

    fn to_record(&self) -> OrganisationRecord {
        let c = self.counts();
        OrganisationRecord::V1(OrganisationV1 {
            unit: self.unit().as_str().to_owned(),
            year: self.year(),
            agencies: c.agencies,
            divisions: c.divisions,
            sub_departments: c.sub_departments,
            district_divisions: c.district_divisions,
        })
    }

    fn from_record(record: OrganisationRecord) -> Result<Self> {
        let OrganisationRecord::V1(r) = record;
        OrganisationSnapshot::new(
            AgencyCode::new(&r.unit)?,
            r.year,
            OrganisationCounts {
                agencies: r.agencies,
                divisions: r.divisions,
                sub_departments: r.sub_departments,
                district_divisions: r.district_divisions,
            },
        )
    }
}
