//! Import rows of feedback items and assessments (see `docs/import.md`). Both
//! importers check every row of a file before writing any: a bad file writes
//! nothing.

use std::collections::{HashMap, HashSet};

use super::FileReport;
use super::convert::agency_code;
use super::rows::Row;
use super::vietnamese;
use crate::model::feedback::{Feedback, FeedbackId, FeedbackKind, Satisfaction};
use crate::model::score::{Assessment, IndexFramework, LeafPoints, Points, ScoreSource};
use crate::store::Store;
use crate::{Error, Result};

pub(crate) const FEEDBACK_FIELDS: &[&str] = &[
    "id",
    "agency",
    "received_at",
    "kind",
    "transferred_at",
    "supplement_requested_at",
    "answered_at",
    "rejected_at",
    "satisfaction",
    "further_complaint",
];
pub(crate) const ASSESSMENT_FIELDS: &[&str] =
    &["framework", "unit", "year", "leaf", "points", "source"];

const FEEDBACK_KINDS: &[(&str, FeedbackKind)] =
    &[("regulation", FeedbackKind::Regulation), ("staff", FeedbackKind::Staff)];
const SATISFACTIONS: &[(&str, Satisfaction)] = &[
    ("none", Satisfaction::None),
    ("satisfied", Satisfaction::Satisfied),
    ("not_satisfied", Satisfaction::NotSatisfied),
];
const SOURCES: &[(&str, ScoreSource)] = &[
    ("appraisal", ScoreSource::Appraisal),
    ("survey", ScoreSource::Survey),
    ("computed", ScoreSource::Computed),
    ("mixed", ScoreSource::Mixed),
];

/// The row field a feedback step's error is about (`feedback.answered_at` →
/// `answered_at`).
fn feedback_field(e: &Error) -> &'static str {
    match e {
        Error::InvalidInput { field, .. } => field.strip_prefix("feedback.").unwrap_or("id"),
        _ => "id",
    }
}

/// A feedback item from its row.
pub(crate) fn feedback(row: &Row) -> Result<Feedback> {
    row.check_known(FEEDBACK_FIELDS)?;
    let id = row.map("id", FeedbackId::new)?;
    let agency = agency_code(row, "agency")?;
    let received_at = row.instant("received_at")?;
    let kind = row
        .choice("kind", FEEDBACK_KINDS, &vietnamese::FEEDBACK_KINDS)?
        .ok_or_else(|| row.error("kind", "is required"))?;
    let at = |field: &str| row.opt_instant(field);
    let step = |e: Error| row.error(feedback_field(&e), e.to_string());
    let mut item = Feedback::new(id, agency, received_at, kind).map_err(step)?;
    if let Some(t) = at("transferred_at")? {
        item = item.with_transfer(t).map_err(step)?;
    }
    if let Some(t) = at("supplement_requested_at")? {
        item = item.with_supplement_request(t).map_err(step)?;
    }
    if let Some(t) = at("answered_at")? {
        item = item.with_answer(t).map_err(step)?;
    }
    if let Some(t) = at("rejected_at")? {
        item = item.with_rejection(t).map_err(step)?;
    }
    let satisfaction =
        row.choice("satisfaction", SATISFACTIONS, &vietnamese::SATISFACTIONS)?.unwrap_or_default();
    item.with_satisfaction(satisfaction)
        .map_err(step)?
        .with_further_complaint(row.flag("further_complaint")?)
        .map_err(step)
}

/// Checks every row (agency stored, id new in the store and the file), then
/// inserts them all.
pub(crate) fn import_feedback(
    store: &Store,
    rows: impl Iterator<Item = Result<Row>>,
    report: &mut FileReport,
) -> Result<()> {
    let collection = store.feedback();
    let mut parsed: Vec<(Row, Feedback)> = Vec::new();
    let mut seen: HashSet<FeedbackId> = HashSet::new();
    for row in rows {
        let row = row?;
        report.rows += 1;
        let item = feedback(&row)?;
        if store.agencies().get(item.agency())?.is_none() {
            return Err(row.error("agency", format!("agency {} not found", item.agency())));
        }
        if !seen.insert(item.id().clone())
            || collection.get_by_key(item.id().as_str().as_bytes())?.is_some()
        {
            return Err(row.error("id", format!("feedback {} already exists", item.id())));
        }
        parsed.push((row, item));
    }
    for (row, item) in &parsed {
        collection.insert(item).map_err(|e| row.error("id", e.to_string()))?;
        report.feedback += 1;
    }
    Ok(())
}

/// One checked assessment row.
struct LeafRow {
    row: Row,
    framework: String,
    unit: String,
    year: i32,
    leaf: LeafPoints,
}

fn points(row: &Row) -> Result<Points> {
    row.map("points", |t| {
        if t.eq_ignore_ascii_case("missing") {
            return Ok(Points::Missing);
        }
        match t.parse::<f64>() {
            Ok(p) if p.is_finite() => Ok(Points::Scored(p)),
            _ => Err(Error::invalid("points", format!("{t:?} is not a number or \"missing\""))),
        }
    })
}

/// Parses an assessment row and checks it against its stored framework: the
/// framework exists, the leaf is one of its leaves, points lie within the
/// leaf's bounds and a given source agrees with the framework's.
fn leaf_row(
    store: &Store,
    frameworks: &mut HashMap<String, IndexFramework>,
    row: Row,
) -> Result<LeafRow> {
    row.check_known(ASSESSMENT_FIELDS)?;
    let framework_id = row.req("framework")?.to_owned();
    let unit = row.req("unit")?.to_owned();
    let year = row.map("year", |t| {
        let year =
            t.parse::<i32>().map_err(|_| Error::invalid("year", format!("{t:?} is not a year")))?;
        crate::model::time_limit::check_year("year", year)?;
        Ok(year)
    })?;
    let id = row.req("leaf")?.to_owned();
    let points = points(&row)?;
    let source = row.choice("source", SOURCES, &vietnamese::SOURCES)?;
    if !frameworks.contains_key(&framework_id) {
        let Some(f) = store.frameworks().get(&framework_id)? else {
            return Err(row.error("framework", format!("framework {framework_id} not found")));
        };
        frameworks.insert(framework_id.clone(), f);
    }
    let framework = frameworks
        .get(&framework_id)
        .ok_or_else(|| row.error("framework", format!("framework {framework_id} not found")))?;
    let node = framework.node(&id).filter(|_| framework.is_leaf(&id)).ok_or_else(|| {
        row.error("leaf", format!("{id} is not a leaf of framework {framework_id}"))
    })?;
    if let Points::Scored(p) = points {
        let Some(max) = node.max_points else {
            return Err(row.error("points", format!("leaf {id} has no max points to score")));
        };
        let min = node.min_points.unwrap_or(0.0);
        if p < min || p > max {
            return Err(row.error("points", format!("{p} is outside {min}..={max}")));
        }
    }
    if let Some(s) = source
        && s != node.source
        && node.source != ScoreSource::Mixed
    {
        return Err(row.error("source", format!("{s} contradicts the framework's {}", node.source)));
    }
    let leaf = LeafPoints { id, points, source };
    Ok(LeafRow { row, framework: framework_id, unit, year, leaf })
}

/// Checks every row, groups them into one assessment per framework, unit and
/// year (every leaf given exactly once), checks none is stored, then inserts
/// them all.
pub(crate) fn import_assessments(
    store: &Store,
    rows: impl Iterator<Item = Result<Row>>,
    report: &mut FileReport,
) -> Result<()> {
    let mut frameworks: HashMap<String, IndexFramework> = HashMap::new();
    let mut order: Vec<(String, String, i32)> = Vec::new();
    let mut groups: HashMap<(String, String, i32), Vec<LeafRow>> = HashMap::new();
    for row in rows {
        let row = row?;
        report.rows += 1;
        let leaf = leaf_row(store, &mut frameworks, row)?;
        let key = (leaf.framework.clone(), leaf.unit.clone(), leaf.year);
        let group = groups.entry(key.clone()).or_default();
        if group.iter().any(|l| l.leaf.id == leaf.leaf.id) {
            return Err(leaf.row.error(
                "leaf",
                format!("leaf {} of {} {} is given twice", leaf.leaf.id, key.1, key.2),
            ));
        }
        if group.is_empty() {
            order.push(key);
        }
        group.push(leaf);
    }
    let mut built: Vec<(&Row, Assessment)> = Vec::with_capacity(order.len());
    for key in &order {
        let (Some(group), Some(framework)) = (groups.get(key), frameworks.get(&key.0)) else {
            continue;
        };
        let Some(first) = group.first() else { continue };
        let leaves = group.iter().map(|l| l.leaf.clone());
        let assessment = Assessment::new(framework, key.1.clone(), key.2, leaves)
            .map_err(|e| first.row.error("leaf", e.to_string()))?;
        if store.assessments().get(&key.0, key.2, &key.1)?.is_some() {
            return Err(first.row.error(
                "unit",
                format!("{} already has an assessment for {} under {}", key.1, key.2, key.0),
            ));
        }
        built.push((&first.row, assessment));
    }
    for (row, assessment) in &built {
        store.assessments().insert(assessment).map_err(|e| row.error("unit", e.to_string()))?;
        report.assessments += 1;
    }
    Ok(())
}
