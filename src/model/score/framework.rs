//! Index frameworks as data: a validated tree of areas, criteria and sub-criteria.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::text::check_shown;
use crate::{Error, Result};

/// Absolute tolerance for "a parent's points equal the sum of its children's".
pub const SUM_TOLERANCE: f64 = 1e-9;

/// Where the points of a node come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreSource {
    /// Appraisal of documentary evidence (thẩm định tài liệu kiểm chứng).
    Appraisal,
    /// A sociological survey (điều tra xã hội học) of officials, citizens or firms.
    Survey,
    /// Computed from data (the real-time feeds of Decision 766).
    Computed,
    /// Several sources combined, or a split the sources do not give (a PAR
    /// Index area mixes appraisal and survey points in proportions not sourced).
    Mixed,
}

impl ScoreSource {
    /// Returns the Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Appraisal => "thẩm định tài liệu kiểm chứng",
            Self::Survey => "điều tra xã hội học",
            Self::Computed => "tính từ dữ liệu",
            Self::Mixed => "kết hợp",
        }
    }

    /// Returns the English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Appraisal => "appraisal",
            Self::Survey => "survey",
            Self::Computed => "computed",
            Self::Mixed => "mixed",
        }
    }
}

impl fmt::Display for ScoreSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

fn additive_default() -> bool {
    true
}

/// One node of an index framework in its file form: an area (lĩnh vực,
/// nhóm), a criterion (tiêu chí) or a sub-criterion (tiêu chí thành phần).
///
/// A node with `parent: None` is a top-level area. Build one with
/// [`FrameworkNode::new`] and the `with_*` setters; the invariants that span
/// nodes are checked when an [`IndexFramework`] is built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FrameworkNode {
    /// Stable id, unique in the framework (for example `"2.1"`).
    pub id: String,
    /// Id of the parent node; `None` for a top-level area.
    #[serde(default)]
    pub parent: Option<String>,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name, when there is one.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Maximum points. `None` on a leaf means "supplied by the caller": the
    /// framework is incomplete until [`IndexFramework::with_max_points`] fills it.
    #[serde(default)]
    pub max_points: Option<f64>,
    /// Minimum points (PAPI dimensions run from 1); `None` means 0.
    #[serde(default)]
    pub min_points: Option<f64>,
    /// Where the node's points come from.
    pub source: ScoreSource,
    /// Threshold in percent for threshold-scored indicators (Decision 766);
    /// see [`score_indicator`](super::score_indicator).
    #[serde(default)]
    pub threshold_percent: Option<f64>,
    /// Whether the node's maximum (and minimum) is the sum of its children's.
    /// Defaults to `true`.
    #[serde(default = "additive_default")]
    pub additive: bool,
    /// How sure the source is, or other remarks.
    #[serde(default)]
    pub note: Option<String>,
}

impl FrameworkNode {
    /// Returns an additive node with no points, threshold or note.
    pub fn new(
        id: impl Into<String>,
        parent: Option<&str>,
        name_vi: impl Into<String>,
        source: ScoreSource,
    ) -> Self {
        Self {
            id: id.into(),
            parent: parent.map(str::to_owned),
            name_vi: name_vi.into(),
            name_en: None,
            max_points: None,
            min_points: None,
            source,
            threshold_percent: None,
            additive: true,
            note: None,
        }
    }

    /// Sets the English name.
    #[must_use]
    pub fn with_name_en(mut self, name_en: impl Into<String>) -> Self {
        self.name_en = Some(name_en.into());
        self
    }

    /// Sets the maximum points.
    #[must_use]
    pub fn with_max(mut self, max_points: f64) -> Self {
        self.max_points = Some(max_points);
        self
    }

    /// Sets the minimum points.
    #[must_use]
    pub fn with_min(mut self, min_points: f64) -> Self {
        self.min_points = Some(min_points);
        self
    }

    /// Sets the threshold, in percent.
    #[must_use]
    pub fn with_threshold(mut self, threshold_percent: f64) -> Self {
        self.threshold_percent = Some(threshold_percent);
        self
    }

    /// Marks the node as not additive: its points are not the sum of its children's.
    #[must_use]
    pub fn not_additive(mut self) -> Self {
        self.additive = false;
        self
    }

    /// Sets the note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// The file form of an [`IndexFramework`]: the index itself (the root) and a
/// flat list of nodes with parent ids. See [`IndexFramework`] for the JSON shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkSpec {
    /// Framework id, for example `"vn.qd766.portal"`.
    pub id: String,
    /// Vietnamese name of the index.
    pub name_vi: String,
    /// English name of the index.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Maximum points of the whole index, when known.
    #[serde(default)]
    pub max_points: Option<f64>,
    /// Minimum points of the whole index (PAPI: 8).
    #[serde(default)]
    pub min_points: Option<f64>,
    /// Whether the index's points are the sum of its top-level areas'.
    #[serde(default = "additive_default")]
    pub additive: bool,
    /// Remarks on the sources.
    #[serde(default)]
    pub note: Option<String>,
    /// The nodes, in any order.
    pub nodes: Vec<FrameworkNode>,
}

/// A validated index framework: index → areas (groups) → criteria → sub-criteria.
///
/// Scores are given on the leaves; a node's points are the sum of its
/// leaves'. Built from the flat [`FrameworkSpec`] (the serde and file form)
/// and validated:
///
/// - ids are non-empty and unique, every parent exists, and parent links
///   have no cycle (a cycle is an [`Error::InvalidInput`] naming a node in it);
/// - points are finite and non-negative, `min_points <= max_points`,
///   thresholds are within 0..=100;
/// - for an additive node (the default) whose maximum is known, its maximum
///   equals the sum of its children's maxima when they are all known (within
///   [`SUM_TOLERANCE`]), and is at least their partial sum otherwise; the same
///   holds for minima, and for the index itself against its top-level areas.
///
/// The nodes are kept in depth-first order (children in the order given), so
/// [`IndexFramework::nodes`], leaves and [`IndexFramework::to_json`] are
/// deterministic. Deserialising (JSON, bincode) validates too.
///
/// # JSON shape
///
/// Optional fields (`name_en`, `max_points`, `min_points`, `threshold_percent`,
/// `note`, `parent`) may be omitted; `additive` defaults to `true`; `source`
/// is one of `"appraisal"`, `"survey"`, `"computed"`, `"mixed"`.
///
/// ```
/// use cchc::model::score::IndexFramework;
///
/// let json = r#"{
///   "id": "demo.2025",
///   "name_vi": "Chỉ số thử",
///   "max_points": 30,
///   "nodes": [
///     { "id": "1", "name_vi": "Lĩnh vực 1", "max_points": 20, "source": "appraisal" },
///     { "id": "1.1", "parent": "1", "name_vi": "Tiêu chí 1.1", "max_points": 12,
///       "source": "appraisal" },
///     { "id": "1.2", "parent": "1", "name_vi": "Tiêu chí 1.2", "max_points": 8,
///       "source": "survey", "threshold_percent": 80 },
///     { "id": "2", "name_vi": "Lĩnh vực 2", "source": "computed",
///       "note": "points supplied by the caller" }
///   ]
/// }"#;
/// let framework = IndexFramework::from_json(json)?;
/// assert!(!framework.is_complete());
/// let framework = framework.with_max_points("2", 10.0)?;
/// assert!(framework.is_complete());
/// assert_eq!(framework.leaves().count(), 3);
/// let again = IndexFramework::from_json(&framework.to_json()?)?;
/// assert_eq!(again, framework);
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FrameworkSpec", into = "FrameworkSpec")]
pub struct IndexFramework {
    spec: FrameworkSpec,
}

impl TryFrom<FrameworkSpec> for IndexFramework {
    type Error = Error;

    fn try_from(spec: FrameworkSpec) -> Result<Self> {
        Self::new(spec)
    }
}

impl From<IndexFramework> for FrameworkSpec {
    fn from(framework: IndexFramework) -> Self {
        framework.spec
    }
}

fn check_points(what: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !v.is_finite() || v < 0.0 => Err(Error::invalid(
            "framework.points",
            format!("{what}: points must be finite and non-negative, got {v}"),
        )),
        _ => Ok(()),
    }
}

/// Checks `parent` (max or min) against the values of its children.
fn check_sum(what: &str, kind: &str, parent: Option<f64>, children: &[Option<f64>]) -> Result<()> {
    let Some(parent) = parent else { return Ok(()) };
    if children.is_empty() {
        return Ok(());
    }
    let known: f64 = crate::model::score::neumaier_sum(children.iter().flatten().copied());
    let complete = children.iter().all(Option::is_some);
    if complete && (known - parent).abs() > SUM_TOLERANCE {
        return Err(Error::invalid(
            "framework.points",
            format!("{what}: {kind} points {parent} differ from the sum of its children's {known}"),
        ));
    }
    if !complete && kind == "max" && known > parent + SUM_TOLERANCE {
        return Err(Error::invalid(
            "framework.points",
            format!("{what}: children's known max points {known} exceed its max {parent}"),
        ));
    }
    Ok(())
}

impl IndexFramework {
    /// Validates `spec` and builds the framework.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty or duplicate id, an id or name with
    /// control characters or characters that can disguise it (format
    /// characters such as U+202E, zero-width spaces), an unknown parent, a
    /// parent cycle, bad points or a sum that does not add up (the reason names
    /// the node).
    pub fn new(mut spec: FrameworkSpec) -> Result<Self> {
        if spec.id.trim().is_empty() {
            return Err(Error::invalid("framework.id", "must not be empty"));
        }
        check_shown("framework.id", &spec.id, false)?;
        check_shown("framework.name", &spec.name_vi, false)?;
        check_shown("framework.name", spec.name_en.as_deref().unwrap_or_default(), false)?;
        check_points("index", spec.max_points)?;
        check_points("index", spec.min_points)?;
        let mut ids = BTreeSet::new();
        for node in &spec.nodes {
            if node.id.trim().is_empty() {
                return Err(Error::invalid("framework.nodes.id", "a node id is empty"));
            }
            check_shown("framework.nodes.id", &node.id, false)?;
            check_shown("framework.nodes.name", &node.name_vi, false)?;
            check_shown(
                "framework.nodes.name",
                node.name_en.as_deref().unwrap_or_default(),
                false,
            )?;
            if !ids.insert(node.id.as_str()) {
                return Err(Error::invalid(
                    "framework.nodes.id",
                    format!("node {} appears twice", node.id),
                ));
            }
            let what = format!("node {}", node.id);
            check_points(&what, node.max_points)?;
            check_points(&what, node.min_points)?;
            if let (Some(min), Some(max)) = (node.min_points, node.max_points)
                && min > max
            {
                return Err(Error::invalid(
                    "framework.points",
                    format!("{what}: min points {min} exceed max points {max}"),
                ));
            }
            if let Some(t) = node.threshold_percent
                && !(t.is_finite() && (0.0..=100.0).contains(&t))
            {
                return Err(Error::invalid(
                    "framework.nodes.threshold_percent",
                    format!("{what}: threshold must be within 0..=100, got {t}"),
                ));
            }
        }
        if let (Some(min), Some(max)) = (spec.min_points, spec.max_points)
            && min > max
        {
            return Err(Error::invalid(
                "framework.points",
                format!("index: min points {min} exceed max points {max}"),
            ));
        }
        let parents: BTreeMap<&str, Option<&str>> =
            spec.nodes.iter().map(|n| (n.id.as_str(), n.parent.as_deref())).collect();
        for node in &spec.nodes {
            if let Some(parent) = node.parent.as_deref()
                && !parents.contains_key(parent)
            {
                return Err(Error::invalid(
                    "framework.nodes.parent",
                    format!("node {}: parent {parent} does not exist", node.id),
                ));
            }
        }
        // Cycle check: following parents from any node must reach a root
        // within `len` steps.
        for node in &spec.nodes {
            let mut current = node.parent.as_deref();
            let mut steps = 0usize;
            while let Some(id) = current {
                if id == node.id || steps > spec.nodes.len() {
                    return Err(Error::invalid(
                        "framework.nodes.parent",
                        format!("node {} is in a parent cycle", node.id),
                    ));
                }
                steps += 1;
                current = parents.get(id).copied().flatten();
            }
        }
        // Depth-first order, children in input order.
        let mut ordered = Vec::with_capacity(spec.nodes.len());
        let mut stack: Vec<&FrameworkNode> =
            spec.nodes.iter().filter(|n| n.parent.is_none()).rev().collect();
        while let Some(node) = stack.pop() {
            ordered.push(node.clone());
            stack.extend(spec.nodes.iter().filter(|n| n.parent.as_deref() == Some(&node.id)).rev());
        }
        spec.nodes = ordered;
        let framework = Self { spec };
        framework.check_sums()?;
        Ok(framework)
    }

    /// Wraps a spec without validation (presets only; their tests validate them).
    pub(super) fn unchecked(spec: FrameworkSpec) -> Self {
        Self { spec }
    }

    fn check_sums(&self) -> Result<()> {
        for node in &self.spec.nodes {
            if !node.additive {
                continue;
            }
            let what = format!("node {}", node.id);
            let maxima: Vec<Option<f64>> = self.children(&node.id).map(|c| c.max_points).collect();
            check_sum(&what, "max", node.max_points, &maxima)?;
            let minima: Vec<Option<f64>> = self.children(&node.id).map(|c| c.min_points).collect();
            if node.min_points.is_some() {
                check_sum(&what, "min", node.min_points, &minima)?;
            }
        }
        if self.spec.additive {
            let maxima: Vec<Option<f64>> = self.areas().map(|c| c.max_points).collect();
            check_sum("index", "max", self.spec.max_points, &maxima)?;
            let minima: Vec<Option<f64>> = self.areas().map(|c| c.min_points).collect();
            if self.spec.min_points.is_some() {
                check_sum("index", "min", self.spec.min_points, &minima)?;
            }
        }
        Ok(())
    }

    /// Parses and validates a framework from JSON (the [`FrameworkSpec`] shape).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (field `framework.json`) when the text is not a
    /// framework, or any error of [`IndexFramework::new`].
    pub fn from_json(text: &str) -> Result<Self> {
        let spec: FrameworkSpec = serde_json::from_str(text)
            .map_err(|e| Error::invalid("framework.json", e.to_string()))?;
        Self::new(spec)
    }

    /// Writes the framework as pretty-printed JSON.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (field `framework.json`) if serialisation fails.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.spec)
            .map_err(|e| Error::invalid("framework.json", e.to_string()))
    }

    /// Returns the file form.
    pub fn spec(&self) -> &FrameworkSpec {
        &self.spec
    }

    /// Returns the framework id.
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// Returns the Vietnamese name of the index.
    pub fn name_vi(&self) -> &str {
        &self.spec.name_vi
    }

    /// Returns the English name of the index.
    pub fn name_en(&self) -> Option<&str> {
        self.spec.name_en.as_deref()
    }

    /// Returns the index's maximum points, when known.
    pub fn max_points(&self) -> Option<f64> {
        self.spec.max_points
    }

    /// Returns the index's minimum points, when set.
    pub fn min_points(&self) -> Option<f64> {
        self.spec.min_points
    }

    /// Returns all nodes in depth-first order.
    pub fn nodes(&self) -> &[FrameworkNode] {
        &self.spec.nodes
    }

    /// Returns the node with `id`.
    pub fn node(&self, id: &str) -> Option<&FrameworkNode> {
        self.spec.nodes.iter().find(|n| n.id == id)
    }

    /// Returns the children of node `id`, in order.
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a FrameworkNode> + 'a {
        self.spec.nodes.iter().filter(move |n| n.parent.as_deref() == Some(id))
    }

    /// Returns the top-level areas (groups), in order.
    pub fn areas(&self) -> impl Iterator<Item = &FrameworkNode> {
        self.spec.nodes.iter().filter(|n| n.parent.is_none())
    }

    /// Returns whether node `id` exists and has no children.
    pub fn is_leaf(&self, id: &str) -> bool {
        self.node(id).is_some() && self.children(id).next().is_none()
    }

    /// Returns the leaves (the nodes that carry points), in depth-first order.
    pub fn leaves(&self) -> impl Iterator<Item = &FrameworkNode> {
        self.spec.nodes.iter().filter(|n| self.children(&n.id).next().is_none())
    }

    /// Returns the depth of node `id` (0 for an area), or `None` if absent.
    pub fn depth(&self, id: &str) -> Option<usize> {
        let mut node = self.node(id)?;
        let mut depth = 0;
        while let Some(parent) = node.parent.as_deref() {
            node = self.node(parent)?;
            depth += 1;
        }
        Some(depth)
    }

    /// Returns the top-level area that node `id` belongs to (itself for an area).
    pub fn area_of(&self, id: &str) -> Option<&FrameworkNode> {
        let mut node = self.node(id)?;
        while let Some(parent) = node.parent.as_deref() {
            node = self.node(parent)?;
        }
        Some(node)
    }

    /// Returns whether every leaf has its maximum points.
    pub fn is_complete(&self) -> bool {
        self.leaves().all(|n| n.max_points.is_some())
    }

    /// Returns the ids of the leaves whose maximum points are still to be supplied.
    pub fn leaves_without_max(&self) -> Vec<&str> {
        self.leaves().filter(|n| n.max_points.is_none()).map(|n| n.id.as_str()).collect()
    }

    /// Returns the framework with node `id`'s maximum points set to `points`
    /// (filling a caller-supplied maximum), validated again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when there is no node `id`, or when the new
    /// value breaks a rule of [`IndexFramework::new`] (bad points, a parent
    /// sum that no longer adds up).
    pub fn with_max_points(self, id: &str, points: f64) -> Result<Self> {
        let mut spec = self.spec;
        let node = spec
            .nodes
            .iter_mut()
            .find(|n| n.id == id)
            .ok_or_else(|| Error::invalid("framework.node", format!("no node {id}")))?;
        node.max_points = Some(points);
        Self::new(spec)
    }

    /// Returns a framework with the same index and areas but no criteria: the
    /// areas become the leaves. Use it when only area (group) totals are
    /// published, as with the Decision 766 group scores. Its id is this id
    /// followed by `/areas`; an area whose maximum is unknown but whose leaves'
    /// are all known gets their sum.
    #[must_use]
    pub fn area_level(&self) -> Self {
        let nodes = self
            .areas()
            .map(|area| {
                let mut area = area.clone();
                if area.max_points.is_none() && area.additive {
                    area.max_points = self.subtree_max(&area.id);
                }
                area
            })
            .collect();
        let spec =
            FrameworkSpec { id: format!("{}/areas", self.spec.id), nodes, ..self.spec.clone() };
        Self { spec }
    }

    /// Sum of the leaf maxima under `id`, when all are known.
    fn subtree_max(&self, id: &str) -> Option<f64> {
        let node = self.node(id)?;
        let children: Vec<&FrameworkNode> = self.children(id).collect();
        if children.is_empty() {
            return node.max_points;
        }
        let maxima: Option<Vec<f64>> = children.iter().map(|c| self.subtree_max(&c.id)).collect();
        maxima.map(crate::model::score::neumaier_sum)
    }
}

fn fmt_points(value: Option<f64>) -> String {
    value.map_or_else(|| "?".to_owned(), |v| format!("{v}"))
}

impl fmt::Display for IndexFramework {
    /// A table: id, name (indented by depth), min–max points, source, threshold.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} ({}), max {}",
            self.spec.name_vi,
            self.spec.id,
            fmt_points(self.spec.max_points)
        )?;
        writeln!(
            f,
            "{:<16} {:<60} {:>8} {:<10} {:>9}",
            "id", "name", "points", "source", "threshold"
        )?;
        for node in &self.spec.nodes {
            let depth = self.depth(&node.id).unwrap_or(0);
            let name = format!("{}{}", "  ".repeat(depth), node.name_vi);
            let points = match node.min_points {
                Some(min) => format!("{min}–{}", fmt_points(node.max_points)),
                None => fmt_points(node.max_points),
            };
            let threshold = node.threshold_percent.map(|t| format!("{t} %")).unwrap_or_default();
            writeln!(
                f,
                "{:<16} {:<60} {:>8} {:<10} {:>9}",
                node.id,
                name,
                points,
                node.source.label_en(),
                threshold
            )?;
        }
        Ok(())
    }
}
