//! Reform-score metrics: index values, area percentages, year-over-year
//! changes, ranks, Decision 766 bands, PAPI quartile groups, targets, rank
//! robustness and SIPAS satisfaction.
//!
//! All functions are pure and take model values from [`crate::model::score`].
//!
//! # The index
//!
//! For an [`Assessment`] under an [`IndexFramework`]:
//!
//! ```text
//! achieved = Σ points of the scored leaves
//! maximum  = Σ max points of the scored leaves
//! index    = achieved / maximum × 100          (0..=100; None when maximum = 0)
//! ```
//!
//! **Missing leaves** ([`Points::Missing`]) are left out of both sums: the
//! index is re-normalised over what was assessed, so a missing leaf neither
//! lowers nor raises it. Score a leaf `0` when "not done" should count as
//! zero. Each node (area, criterion) gets the same ratio over its own leaves.
//! Minimum points (PAPI) do not shift the ratio: a PAPI total of 40 of 80 is
//! an index of 50. Sums are compensated (Neumaier), and the ratio is clamped
//! to 0..=100 against rounding noise.
//!
//! ```
//! use cchc::metrics::scores::{index_score, Band};
//! use cchc::model::score::{decision766_portal, Assessment, LeafPoints};
//!
//! // Quảng Nam 2024, published as group scores: 80.1 → "Tốt".
//! let groups = decision766_portal().area_level();
//! let points = [("CKMB", 13.2), ("TDGQ", 18.4), ("CLGQ", 7.7), ("TTTT", 7.6), ("MDHL", 17.6), ("MDSH", 15.6)]
//!     .map(|(id, p)| LeafPoints::scored(id, p));
//! let assessment = Assessment::new(&groups, "49", 2024, points)?;
//! let score = index_score(&groups, &assessment)?;
//! assert!((score.achieved - 80.1).abs() < 1e-9);
//! assert_eq!(score.band(), Some(Band::Tot));
//! # Ok::<(), cchc::Error>(())
//! ```

mod robustness;
mod sipas;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

pub use robustness::{AreaWeights, RankInterval, RobustnessReport, rank_robustness};
pub use sipas::{FactorSatisfaction, Proportion, SipasResult, Z_95, sipas, wilson_interval};

use crate::model::score::{Assessment, IndexFramework, Points};
use crate::{Error, Result};

use crate::model::score::neumaier_sum;

/// Cuts `name` to `width` characters, ending with "…" when cut.
fn fit(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        return name.to_owned();
    }
    let mut out: String = name.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn fmt_opt_percent(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.2} %"))
}

/// The points of one node (area, criterion) of an [`IndexScore`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeScore {
    /// The node id.
    pub id: String,
    /// The node's Vietnamese name.
    pub name_vi: String,
    /// Depth in the framework: 0 for an area.
    pub depth: usize,
    /// Points achieved over the node's scored leaves.
    pub achieved: f64,
    /// Maximum points of the node's scored leaves.
    pub maximum: f64,
    /// `achieved / maximum × 100`; `None` when `maximum` is 0 (all missing).
    pub percent: Option<f64>,
    /// Number of leaves under the node (itself if a leaf).
    pub leaves: usize,
    /// How many of them are missing.
    pub missing: usize,
}

/// A unit's index for a year: totals, the index and every node's points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexScore {
    /// The framework id.
    pub framework_id: String,
    /// The unit code.
    pub unit: String,
    /// The year.
    pub year: i32,
    /// Points achieved over the scored leaves.
    pub achieved: f64,
    /// Maximum points of the scored leaves.
    pub maximum: f64,
    /// `achieved / maximum × 100`; `None` when nothing with points was scored.
    pub index: Option<f64>,
    /// Ids of the missing leaves.
    pub missing: Vec<String>,
    /// Every node in the framework's depth-first order.
    pub nodes: Vec<NodeScore>,
}

impl IndexScore {
    /// Returns the top-level areas' scores.
    pub fn areas(&self) -> impl Iterator<Item = &NodeScore> {
        self.nodes.iter().filter(|n| n.depth == 0)
    }

    /// Returns node `id`'s score.
    pub fn node(&self, id: &str) -> Option<&NodeScore> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Returns the Decision 766 band of the index.
    pub fn band(&self) -> Option<Band> {
        self.index.and_then(Band::from_score)
    }
}

impl fmt::Display for IndexScore {
    /// A table of the nodes (points, maximum, percent) and the total.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {} ({})", self.unit, self.year, self.framework_id)?;
        writeln!(f, "{:<16} {:<48} {:>8} {:>8} {:>9}", "id", "name", "points", "max", "percent")?;
        for node in &self.nodes {
            let name = fit(&format!("{}{}", "  ".repeat(node.depth), node.name_vi), 48);
            writeln!(
                f,
                "{:<16} {:<48} {:>8.2} {:>8.2} {:>9}",
                node.id,
                name,
                node.achieved,
                node.maximum,
                fmt_opt_percent(node.percent)
            )?;
        }
        write!(
            f,
            "{:<16} {:<48} {:>8.2} {:>8.2} {:>9}",
            "total",
            "",
            self.achieved,
            self.maximum,
            fmt_opt_percent(self.index)
        )?;
        if !self.missing.is_empty() {
            write!(f, "\nmissing: {}", self.missing.join(", "))?;
        }
        Ok(())
    }
}

fn ratio_percent(achieved: f64, maximum: f64) -> Option<f64> {
    (maximum > 0.0).then(|| (achieved / maximum * 100.0).clamp(0.0, 100.0))
}

/// The terms summed for one node.
#[derive(Default)]
struct NodeTerms {
    achieved: Vec<f64>,
    maximum: Vec<f64>,
    leaves: usize,
    missing: usize,
}

/// Computes the index of `assessment` under `framework` (see the module docs
/// for the formula and what missing leaves do).
///
/// # Errors
///
/// [`Error::InvalidInput`] when the assessment does not fit the framework
/// (see [`Assessment::check_against`]).
pub fn index_score(framework: &IndexFramework, assessment: &Assessment) -> Result<IndexScore> {
    assessment.check_against(framework)?;
    let mut acc: BTreeMap<&str, NodeTerms> = BTreeMap::new();
    let mut missing = Vec::new();
    for (leaf, entry) in framework.leaves().zip(assessment.leaves()) {
        let scored = match entry.points {
            Points::Scored(p) => Some((p, leaf.max_points.unwrap_or(0.0))),
            Points::Missing => {
                missing.push(leaf.id.clone());
                None
            }
        };
        let mut current = Some(leaf);
        while let Some(node) = current {
            let slot = acc.entry(node.id.as_str()).or_default();
            slot.leaves += 1;
            match scored {
                Some((p, m)) => {
                    slot.achieved.push(p);
                    slot.maximum.push(m);
                }
                None => slot.missing += 1,
            }
            current = node.parent.as_deref().and_then(|p| framework.node(p));
        }
    }
    let mut nodes = Vec::with_capacity(framework.nodes().len());
    for node in framework.nodes() {
        let terms = acc.get(node.id.as_str());
        let achieved = terms.map_or(0.0, |t| neumaier_sum(t.achieved.iter().copied()));
        let maximum = terms.map_or(0.0, |t| neumaier_sum(t.maximum.iter().copied()));
        nodes.push(NodeScore {
            id: node.id.clone(),
            name_vi: node.name_vi.clone(),
            depth: framework.depth(&node.id).unwrap_or(0),
            achieved,
            maximum,
            percent: ratio_percent(achieved, maximum),
            leaves: terms.map_or(0, |t| t.leaves),
            missing: terms.map_or(0, |t| t.missing),
        });
    }
    let scored: Vec<(f64, f64)> = framework
        .leaves()
        .zip(assessment.leaves())
        .filter_map(|(leaf, e)| e.points.value().map(|p| (p, leaf.max_points.unwrap_or(0.0))))
        .collect();
    let achieved = neumaier_sum(scored.iter().map(|s| s.0));
    let maximum = neumaier_sum(scored.iter().map(|s| s.1));
    Ok(IndexScore {
        framework_id: framework.id().to_owned(),
        unit: assessment.unit().to_owned(),
        year: assessment.year(),
        achieved,
        maximum,
        index: ratio_percent(achieved, maximum),
        missing,
        nodes,
    })
}

/// A change between two values, in both readings.
///
/// News reports write "tăng x %" for either reading, so both are kept and named:
/// `percentage_points = current − previous` (in the values' unit: percentage
/// points for percentages, points for points) and `relative_percent =
/// (current − previous) / previous × 100`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The earlier value.
    pub previous: f64,
    /// The later value.
    pub current: f64,
    /// `current − previous`: percentage points when the values are percentages.
    pub percentage_points: f64,
    /// `(current − previous) / previous × 100`; `None` when `previous` is 0.
    pub relative_percent: Option<f64>,
}

impl Change {
    /// Returns the change from `previous` to `current`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when either value is not finite.
    pub fn between(previous: f64, current: f64) -> Result<Self> {
        if !previous.is_finite() || !current.is_finite() {
            return Err(Error::invalid("change", "values must be finite"));
        }
        let difference = current - previous;
        let relative_percent = (previous != 0.0).then(|| difference / previous * 100.0);
        Ok(Self { previous, current, percentage_points: difference, relative_percent })
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2} → {:.2}: {:+.2} pp", self.previous, self.current, self.percentage_points)?;
        match self.relative_percent {
            Some(r) => write!(f, ", {r:+.2} % relative"),
            None => f.write_str(", relative change undefined"),
        }
    }
}

/// A reported "+x %" change whose reading is unknown, with the previous
/// value implied by each reading.
///
/// For Hòa Bình's "chỉ đạo, điều hành 87.27 %, tăng 23.38 %": 63.89 % in 2018
/// if percentage points, 70.73 % if relative.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AmbiguousChange {
    /// The current value.
    pub current: f64,
    /// The change as reported.
    pub reported: f64,
    /// `current − reported`: the previous value if `reported` is in percentage points.
    pub previous_if_points: f64,
    /// `current / (1 + reported / 100)`: the previous value if `reported`
    /// is relative; `None` when `reported` is −100.
    pub previous_if_relative: Option<f64>,
}

impl AmbiguousChange {
    /// Returns both readings of a reported change `reported` ending at `current`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when either value is not finite.
    pub fn new(current: f64, reported: f64) -> Result<Self> {
        if !current.is_finite() || !reported.is_finite() {
            return Err(Error::invalid("change", "values must be finite"));
        }
        let factor = 1.0 + reported / 100.0;
        Ok(Self {
            current,
            reported,
            previous_if_points: current - reported,
            previous_if_relative: (factor != 0.0).then(|| current / factor),
        })
    }
}

/// One area's change inside an [`IndexChange`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaChange {
    /// The area id.
    pub id: String,
    /// The area's Vietnamese name.
    pub name_vi: String,
    /// The change of the area's percentage; `None` if either year has none.
    pub change: Option<Change>,
}

/// Year-over-year change of a unit's index and of each area's percentage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexChange {
    /// The unit code.
    pub unit: String,
    /// The framework id.
    pub framework_id: String,
    /// The earlier year.
    pub from_year: i32,
    /// The later year.
    pub to_year: i32,
    /// The change of the index; `None` if either year has none.
    pub index: Option<Change>,
    /// The change of each area's percentage, in framework order.
    pub areas: Vec<AreaChange>,
}

impl fmt::Display for IndexChange {
    /// A table: area, previous %, current %, change in percentage points and relative.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {} → {} ({})", self.unit, self.from_year, self.to_year, self.framework_id)?;
        writeln!(
            f,
            "{:<48} {:>9} {:>9} {:>9} {:>10}",
            "area", "before", "after", "pp", "relative"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: Option<&Change>| match c {
            Some(c) => writeln!(
                f,
                "{:<48} {:>9.2} {:>9.2} {:>+9.2} {:>10}",
                name,
                c.previous,
                c.current,
                c.percentage_points,
                c.relative_percent.map_or_else(|| "–".to_owned(), |r| format!("{r:+.2} %"))
            ),
            None => writeln!(f, "{name:<48} {:>9} {:>9} {:>9} {:>10}", "–", "–", "–", "–"),
        };
        for area in &self.areas {
            row(f, &fit(&format!("{} {}", area.id, area.name_vi), 48), area.change.as_ref())?;
        }
        row(f, "index", self.index.as_ref())
    }
}

/// Compares two years of one unit under one framework.
///
/// # Errors
///
/// [`Error::InvalidInput`] when the unit or framework differ, or
/// `previous.year` is not before `current.year`.
pub fn year_over_year(previous: &IndexScore, current: &IndexScore) -> Result<IndexChange> {
    if previous.unit != current.unit || previous.framework_id != current.framework_id {
        return Err(Error::invalid(
            "year_over_year",
            format!(
                "{} under {} cannot be compared with {} under {}",
                previous.unit, previous.framework_id, current.unit, current.framework_id
            ),
        ));
    }
    if previous.year >= current.year {
        return Err(Error::invalid(
            "year_over_year",
            format!("year {} is not before {}", previous.year, current.year),
        ));
    }
    let change = |a: Option<f64>, b: Option<f64>| -> Result<Option<Change>> {
        match (a, b) {
            (Some(a), Some(b)) => Change::between(a, b).map(Some),
            _ => Ok(None),
        }
    };
    let mut areas = Vec::new();
    for area in current.areas() {
        let before = previous.node(&area.id).and_then(|n| n.percent);
        areas.push(AreaChange {
            id: area.id.clone(),
            name_vi: area.name_vi.clone(),
            change: change(before, area.percent)?,
        });
    }
    Ok(IndexChange {
        unit: current.unit.clone(),
        framework_id: current.framework_id.clone(),
        from_year: previous.year,
        to_year: current.year,
        index: change(previous.index, current.index)?,
        areas,
    })
}

/// One unit's place in a [`Ranking`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedUnit {
    /// The unit code.
    pub unit: String,
    /// The score ranked on.
    pub score: f64,
    /// The rank, from 1; tied units share the best rank of their group.
    pub rank: u32,
}

/// Units ranked by score, descending, with competition ranking (1, 2, 2, 4).
///
/// Scores are compared exactly; round them first (for instance to the two
/// decimals published) if published ties should tie. Tied units are listed
/// by unit code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    entries: Vec<RankedUnit>,
}

impl Ranking {
    /// Returns the entries, best first.
    pub fn entries(&self) -> &[RankedUnit] {
        &self.entries
    }

    /// Returns the number of units ranked.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Returns whether no unit is ranked.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Returns `unit`'s rank.
    pub fn rank_of(&self, unit: &str) -> Option<u32> {
        self.entries.iter().find(|e| e.unit == unit).map(|e| e.rank)
    }

    /// Returns `unit`'s PAPI-style quartile group (see [`QuartileGroup::from_rank`]).
    pub fn quartile_group(&self, unit: &str) -> Option<QuartileGroup> {
        QuartileGroup::from_rank(self.rank_of(unit)?, self.entries.len())
    }
}

impl fmt::Display for Ranking {
    /// A table: rank "r/n", unit, score.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.entries.len();
        writeln!(f, "{:>7} {:<16} {:>9}", "rank", "unit", "score")?;
        for e in &self.entries {
            writeln!(f, "{:>7} {:<16} {:>9.2}", format!("{}/{n}", e.rank), e.unit, e.score)?;
        }
        Ok(())
    }
}

/// Ranks units by score, descending; ties share a rank (competition ranking
/// 1, 2, 2, 4) and are listed by unit code.
///
/// # A unit whose data lie in several parts
///
/// A national ranking (the Decision 766 ranking of provinces) ranks each unit by the
/// score of its **merged measurements**, never by adding or averaging the points of
/// its parts (stores, districts, periods): points are proportional to the ratio below
/// the threshold and capped at it, so they do not add. Merge the raw counts first
/// ([`OneStopReport::merge`](crate::OneStopReport::merge) for reports), then score
/// and rank. With a threshold of 90 % and 10 points, parts at 90/100 (10 points) and
/// 1/10 (1.11 points) add to 11.11, more than the maximum, and average 5.56, while the
/// unit's own 91/110 = 82.7 % earns 9.19:
///
/// ```
/// use cchc::model::score::score_indicator;
/// let points = |n: f64, d: f64| score_indicator(Some(n / d * 100.0), 10.0, Some(90.0));
/// let parts = points(90.0, 100.0).unwrap() + points(1.0, 10.0).unwrap();
/// assert!((parts - 11.11).abs() < 0.005);
/// let merged = points(90.0 + 1.0, 100.0 + 10.0).unwrap();
/// assert!((merged - 9.19).abs() < 0.005);
/// ```
///
/// # Errors
///
/// [`Error::InvalidInput`] for a NaN or infinite score, or a unit given twice.
pub fn rank_units<S: Into<String>>(scores: impl IntoIterator<Item = (S, f64)>) -> Result<Ranking> {
    let mut entries: Vec<RankedUnit> = Vec::new();
    let mut seen = BTreeSet::new();
    for (unit, score) in scores {
        let unit = unit.into();
        if !score.is_finite() {
            return Err(Error::invalid(
                "rank.score",
                format!("unit {unit}: score {score} is not finite"),
            ));
        }
        if !seen.insert(unit.clone()) {
            return Err(Error::invalid("rank.unit", format!("unit {unit} is given twice")));
        }
        entries.push(RankedUnit { unit, score, rank: 0 });
    }
    entries.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.unit.cmp(&b.unit)));
    let mut previous: Option<(f64, u32)> = None;
    for (position, entry) in entries.iter_mut().enumerate() {
        let rank = match previous {
            Some((score, rank)) if score.total_cmp(&entry.score).is_eq() => rank,
            _ => position as u32 + 1,
        };
        entry.rank = rank;
        previous = Some((entry.score, rank));
    }
    Ok(Ranking { entries })
}

/// Ranks index scores by their index (see [`rank_units`]).
///
/// # Errors
///
/// [`Error::InvalidInput`] when a score has no index (nothing scored), a
/// unit appears twice, or the scores are under different frameworks.
pub fn rank_index_scores(scores: &[IndexScore]) -> Result<Ranking> {
    let mut pairs = Vec::with_capacity(scores.len());
    for s in scores {
        if let Some(first) = scores.first()
            && first.framework_id != s.framework_id
        {
            return Err(Error::invalid(
                "rank.framework",
                format!("{} is under {}, not {}", s.unit, s.framework_id, first.framework_id),
            ));
        }
        let index = s
            .index
            .ok_or_else(|| Error::invalid("rank.score", format!("unit {} has no index", s.unit)))?;
        pairs.push((s.unit.as_str(), index));
    }
    rank_units(pairs)
}

/// The Decision 766 classes (xếp loại).
///
/// Xuất sắc ≥ 90 and Yếu < 50 are \[S\] (vneconomy); Tốt 80–<90 is \[I\] from
/// every labelled example found; **Khá 70–<80 and Trung bình 50–<70 are
/// inferred \[I\], not verified** (DOMAIN §1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Xuất sắc (excellent): 90–100.
    XuatSac,
    /// Tốt (good): 80 to below 90.
    Tot,
    /// Khá (fair): 70 to below 80 \[I\].
    Kha,
    /// Trung bình (average): 50 to below 70 \[I\].
    TrungBinh,
    /// Yếu (weak): below 50.
    Yeu,
}

impl Band {
    /// Returns the band of a score out of 100; `None` when the score is not
    /// finite or outside 0..=100.
    pub fn from_score(score: f64) -> Option<Self> {
        if !(0.0..=100.0).contains(&score) {
            return None;
        }
        Some(if score >= 90.0 {
            Self::XuatSac
        } else if score >= 80.0 {
            Self::Tot
        } else if score >= 70.0 {
            Self::Kha
        } else if score >= 50.0 {
            Self::TrungBinh
        } else {
            Self::Yeu
        })
    }

    /// Returns the Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::XuatSac => "Xuất sắc",
            Self::Tot => "Tốt",
            Self::Kha => "Khá",
            Self::TrungBinh => "Trung bình",
            Self::Yeu => "Yếu",
        }
    }

    /// Returns the English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::XuatSac => "excellent",
            Self::Tot => "good",
            Self::Kha => "fair",
            Self::TrungBinh => "average",
            Self::Yeu => "weak",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_vi())
    }
}

/// PAPI's four performance groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuartileGroup {
    /// Nhóm đạt điểm cao nhất (highest).
    Highest,
    /// Nhóm đạt điểm trung bình cao (upper middle).
    UpperMiddle,
    /// Nhóm đạt điểm trung bình thấp (lower middle).
    LowerMiddle,
    /// Nhóm đạt điểm thấp nhất (lowest).
    Lowest,
}

impl QuartileGroup {
    /// Returns the group of rank `rank` (from 1) among `n` units:
    /// group ⌊(rank − 1) × 4 / n⌋, so positions split into quarters as evenly
    /// as possible and tied units (same rank) share a group. For 63 units the
    /// groups hold 16/16/16/15 (PAPI 2019 printed 16/16/15/16, cutting on
    /// scores: this rule is this crate's, documented, not PAPI's).
    /// `None` when `rank` is 0 or above `n`.
    pub fn from_rank(rank: u32, n: usize) -> Option<Self> {
        let rank = rank as usize;
        if rank == 0 || rank > n {
            return None;
        }
        Some(match (rank - 1) * 4 / n {
            0 => Self::Highest,
            1 => Self::UpperMiddle,
            2 => Self::LowerMiddle,
            _ => Self::Lowest,
        })
    }

    /// Returns the Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Highest => "Nhóm cao nhất",
            Self::UpperMiddle => "Nhóm trung bình cao",
            Self::LowerMiddle => "Nhóm trung bình thấp",
            Self::Lowest => "Nhóm thấp nhất",
        }
    }

    /// Returns the English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Highest => "highest",
            Self::UpperMiddle => "upper middle",
            Self::LowerMiddle => "lower middle",
            Self::Lowest => "lowest",
        }
    }
}

impl fmt::Display for QuartileGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

/// A target on a value or a rank.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Met when the value is at least this (on-time rate ≥ 95 %).
    AtLeast(f64),
    /// Met when the value is strictly above this.
    Above(f64),
    /// Met when the value is at most this.
    AtMost(f64),
    /// Met when the value is strictly below this (late rate < 2 %).
    Below(f64),
    /// Met when the rank (from 1) is this or better (top 10).
    TopRank(u32),
}

/// How a value stands against a [`Target`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TargetProgress {
    /// The target.
    pub target: Target,
    /// The value (or rank) achieved.
    pub actual: f64,
    /// Whether the target is met.
    pub met: bool,
    /// The distance still to cover, in the value's unit: positive when the
    /// value is on the wrong side of the target, negative for a margin beyond
    /// it, 0 exactly at it (which meets `AtLeast`/`AtMost`/`TopRank` but not
    /// the strict `Above`/`Below`). For ranks: places still to climb.
    pub gap: f64,
}

impl fmt::Display for TargetProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (op, value) = match self.target {
            Target::AtLeast(v) => ("≥", v),
            Target::Above(v) => (">", v),
            Target::AtMost(v) => ("≤", v),
            Target::Below(v) => ("<", v),
            Target::TopRank(r) => ("top", f64::from(r)),
        };
        let verdict = if self.met { "met" } else { "not met" };
        write!(f, "target {op} {value}: actual {:.2}, {verdict}, gap {:+.2}", self.actual, self.gap)
    }
}

/// Checks `actual` against `target`.
///
/// # Errors
///
/// [`Error::InvalidInput`] when `actual` or the target value is not finite,
/// or for [`Target::TopRank`] when `actual` is not a whole rank ≥ 1 or the
/// target rank is 0.
pub fn track_target(target: Target, actual: f64) -> Result<TargetProgress> {
    if !actual.is_finite() {
        return Err(Error::invalid("target.actual", format!("{actual} is not finite")));
    }
    let (met, gap) = match target {
        Target::AtLeast(t) | Target::Above(t) | Target::AtMost(t) | Target::Below(t)
            if !t.is_finite() =>
        {
            return Err(Error::invalid("target", format!("{t} is not finite")));
        }
        Target::AtLeast(t) => (actual >= t, t - actual),
        Target::Above(t) => (actual > t, t - actual),
        Target::AtMost(t) => (actual <= t, actual - t),
        Target::Below(t) => (actual < t, actual - t),
        Target::TopRank(top) => {
            if top == 0 || actual < 1.0 || actual.fract() != 0.0 {
                return Err(Error::invalid(
                    "target.rank",
                    format!("rank {actual} against top {top}: ranks are whole numbers from 1"),
                ));
            }
            (actual <= f64::from(top), actual - f64::from(top))
        }
    };
    Ok(TargetProgress { target, actual, met, gap })
}
