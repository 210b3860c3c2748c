//! A unit's points for a year under an index framework.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::framework::{IndexFramework, ScoreSource};
use crate::model::time_limit::check_year;
use crate::{Error, Result};

/// The points of one leaf: scored, or explicitly missing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Points {
    /// Points achieved.
    #[serde(alias = "Scored")]
    Scored(f64),
    /// Not assessed (no data, denominator 0, survey not run). Missing leaves
    /// are left out of both the achieved and the maximum points of an index;
    /// they do not count as zero.
    #[serde(alias = "Missing")]
    Missing,
}

impl Points {
    /// Returns the points when scored.
    pub const fn value(self) -> Option<f64> {
        match self {
            Self::Scored(v) => Some(v),
            Self::Missing => None,
        }
    }
}

/// One leaf's points as given to [`Assessment::new`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeafPoints {
    /// The leaf id in the framework.
    pub id: String,
    /// The points.
    pub points: Points,
    /// Where the points come from; `None` takes the framework node's source.
    pub source: Option<ScoreSource>,
}

impl LeafPoints {
    /// Returns scored points for leaf `id`.
    pub fn scored(id: impl Into<String>, points: f64) -> Self {
        Self { id: id.into(), points: Points::Scored(points), source: None }
    }

    /// Returns an explicitly missing leaf `id`.
    pub fn missing(id: impl Into<String>) -> Self {
        Self { id: id.into(), points: Points::Missing, source: None }
    }

    /// Sets the source of the points (it must agree with the framework's
    /// unless the framework node is [`ScoreSource::Mixed`]).
    #[must_use]
    pub fn with_source(mut self, source: ScoreSource) -> Self {
        self.source = Some(source);
        self
    }
}

/// One leaf's points as stored in an [`Assessment`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeafScore {
    /// The leaf id.
    pub id: String,
    /// Where the points come from.
    pub source: ScoreSource,
    /// The points.
    pub points: Points,
}

/// A unit's points for a year under a framework: one entry per leaf, in the
/// framework's order, each scored or explicitly [`Points::Missing`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    framework_id: String,
    unit: String,
    year: i32,
    leaves: Vec<LeafScore>,
}

impl Assessment {
    /// Rebuilds an assessment from stored parts the store has already checked (a
    /// non-empty unit, finite points); it was validated against its framework when
    /// it was inserted.
    pub(crate) fn from_stored(
        framework_id: String,
        unit: String,
        year: i32,
        leaves: Vec<LeafScore>,
    ) -> Self {
        Self { framework_id, unit, year, leaves }
    }

    /// Validates `points` against `framework` and builds the assessment.
    ///
    /// Every leaf must be given exactly once, scored or missing; the order
    /// does not matter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the leaf when: the unit is empty; an id
    /// is not a leaf of the framework or appears twice; a leaf is absent;
    /// points are not finite or outside the leaf's `min..=max` (min defaults
    /// to 0); a leaf whose maximum is still to be supplied is scored; a given
    /// source contradicts the framework's; the year is outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE) (`assessment.year`).
    pub fn new(
        framework: &IndexFramework,
        unit: impl Into<String>,
        year: i32,
        points: impl IntoIterator<Item = LeafPoints>,
    ) -> Result<Self> {
        let unit = unit.into();
        if unit.trim().is_empty() {
            return Err(Error::invalid("assessment.unit", "must not be empty"));
        }
        let mut given: BTreeMap<String, LeafPoints> = BTreeMap::new();
        for entry in points {
            if !framework.is_leaf(&entry.id) {
                return Err(Error::invalid(
                    "assessment.points",
                    format!("{} is not a leaf of framework {}", entry.id, framework.id()),
                ));
            }
            if given.contains_key(&entry.id) {
                return Err(Error::invalid(
                    "assessment.points",
                    format!("leaf {} is given twice", entry.id),
                ));
            }
            given.insert(entry.id.clone(), entry);
        }
        let mut leaves = Vec::with_capacity(given.len());
        for leaf in framework.leaves() {
            let entry = given.remove(&leaf.id).ok_or_else(|| {
                Error::invalid(
                    "assessment.points",
                    format!(
                        "leaf {} has no points; give Points::Missing if it was not assessed",
                        leaf.id
                    ),
                )
            })?;
            let source = match entry.source {
                Some(s) if s != leaf.source && leaf.source != ScoreSource::Mixed => {
                    return Err(Error::invalid(
                        "assessment.source",
                        format!(
                            "leaf {}: source {s} contradicts the framework's {}",
                            leaf.id, leaf.source
                        ),
                    ));
                }
                Some(s) => s,
                None => leaf.source,
            };
            leaves.push(LeafScore { id: leaf.id.clone(), source, points: entry.points });
        }
        let assessment = Self { framework_id: framework.id().to_owned(), unit, year, leaves };
        assessment.check_against(framework)?;
        Ok(assessment)
    }

    /// Checks that this assessment fits `framework`: same id, the same
    /// leaves in the same order, points within each leaf's bounds.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the framework or the leaf.
    pub fn check_against(&self, framework: &IndexFramework) -> Result<()> {
        check_year("assessment.year", self.year)?;
        crate::model::text::check_shown("assessment.unit", &self.unit, false)?;
        if self.framework_id != framework.id() {
            return Err(Error::invalid(
                "assessment.framework",
                format!(
                    "assessment of {} {} is under framework {}, not {}",
                    self.unit,
                    self.year,
                    self.framework_id,
                    framework.id()
                ),
            ));
        }
        let mut mine = self.leaves.iter();
        for leaf in framework.leaves() {
            let Some(entry) = mine.next().filter(|e| e.id == leaf.id) else {
                return Err(Error::invalid(
                    "assessment.points",
                    format!("leaf {} does not match the framework's leaves", leaf.id),
                ));
            };
            let Points::Scored(p) = entry.points else { continue };
            let Some(max) = leaf.max_points else {
                return Err(Error::invalid(
                    "assessment.points",
                    format!(
                        "leaf {}: its max points are to be supplied (IndexFramework::with_max_points) before it can be scored",
                        leaf.id
                    ),
                ));
            };
            let min = leaf.min_points.unwrap_or(0.0);
            if !p.is_finite() || p < min || p > max {
                return Err(Error::invalid(
                    "assessment.points",
                    format!("leaf {}: points {p} outside {min}..={max}", leaf.id),
                ));
            }
        }
        if let Some(extra) = mine.next() {
            return Err(Error::invalid(
                "assessment.points",
                format!("{} is not a leaf of framework {}", extra.id, framework.id()),
            ));
        }
        Ok(())
    }

    /// Returns the framework id.
    pub fn framework_id(&self) -> &str {
        &self.framework_id
    }

    /// Returns the unit code (province, ministry, agency).
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// Returns the year assessed.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Returns the leaves in the framework's order.
    pub fn leaves(&self) -> &[LeafScore] {
        &self.leaves
    }

    /// Returns the points of leaf `id`.
    pub fn points(&self, id: &str) -> Option<Points> {
        self.leaves.iter().find(|l| l.id == id).map(|l| l.points)
    }
}

impl fmt::Display for Assessment {
    /// A table of the leaves: id, points (or "missing"), source.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {} ({})", self.unit, self.year, self.framework_id)?;
        for leaf in &self.leaves {
            let points = match leaf.points {
                Points::Scored(p) => format!("{p:.2}"),
                Points::Missing => "missing".to_owned(),
            };
            writeln!(f, "{:<16} {:>8} {}", leaf.id, points, leaf.source)?;
        }
        Ok(())
    }
}
