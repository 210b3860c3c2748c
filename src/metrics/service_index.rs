//! The Decision 766 service index computed from a store's own data: per-indicator
//! ratios and points, group scores, total and band, and which dossiers stand behind
//! an indicator. The store measures ([`crate::Store::service_index`]); this module
//! scores what was measured and holds the pure per-dossier rules.
//!
//! # Scoring
//!
//! Each indicator of the framework (by default
//! [`decision766_portal`](crate::model::score::decision766_portal)) is scored with
//! [`score_indicator`]: full points at or above its threshold, otherwise R / T × P;
//! R / 100 × P without a threshold (DOMAIN §1.3). An indicator is **not scored**
//! (`points: None`) when
//!
//! - its denominator is 0 ([`Unscored::EmptyDenominator`]),
//! - the store holds no input for it ([`Unscored::NoData`], with the reason),
//! - the framework leaves its maximum to the caller ([`Unscored::MaxPointsNotFixed`]:
//!   3.1–3.3 in the portal preset; the ratio is still reported).
//!
//! A group's `achieved` points are the sum of its scored indicators; unscored
//! indicators are **left out** (they add nothing) and listed in the group's
//! `unscored`, so a reader sees what the figure is missing. The total is the plain
//! sum of the groups' achieved points, as on the portal, and the band is
//! [`Band::from_score`] of that total. `scored_maximum` (the maxima of the scored
//! indicators) is reported alongside, so the total can be read against what could
//! be earned from the data held.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Result;
use crate::metrics::report::Ratio;
use crate::metrics::scores::Band;
use crate::model::dossier::{Dossier, DossierStatus, EventKind};
use crate::model::measure::{Counts, Measure, get};
pub use crate::model::scope::ScopeTest;
use crate::model::scope::{Period, Scope};
use crate::model::score::{Assessment, IndexFramework, LeafPoints, score_indicator};
use crate::model::time_limit::vietnam_date;

/// What the store measured for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measurement {
    /// A ratio; `None` when the denominator is 0.
    Ratio(Option<Ratio>),
    /// A tracked statistic that is not a ratio (2.2: mean working days); `None`
    /// when there was nothing to measure.
    Statistic(Option<f64>),
    /// The store holds no input for the indicator; the text says why.
    NoData(String),
}

/// Why an indicator has no points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unscored {
    /// The denominator was 0 (or a tracked statistic had nothing to measure).
    EmptyDenominator,
    /// The store holds no input for the indicator.
    NoData(String),
    /// The framework leaves the maximum points to the caller
    /// ([`IndexFramework::with_max_points`]).
    MaxPointsNotFixed,
    /// A tracked statistic under a node with non-zero points: no rule turns it into points.
    NoRule,
}

impl fmt::Display for Unscored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyDenominator => f.write_str("denominator is 0"),
            Self::NoData(reason) => write!(f, "no data in the store: {reason}"),
            Self::MaxPointsNotFixed => f.write_str("max points not fixed by the source"),
            Self::NoRule => f.write_str("tracked, no scoring rule"),
        }
    }
}

/// One indicator's measurement and points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    /// The indicator id in the framework (for example `"2.1"`).
    pub id: String,
    /// Its Vietnamese name.
    pub name_vi: String,
    /// The group (top-level area) it belongs to.
    pub group: String,
    /// Numerator and denominator; `None` when the denominator is 0 or the
    /// indicator is not a ratio.
    pub ratio: Option<Ratio>,
    /// A tracked statistic (2.2: mean processing time in working days).
    pub value: Option<f64>,
    /// Maximum points; `None` when the framework leaves it to the caller.
    pub max_points: Option<f64>,
    /// Threshold in percent, when the indicator has one.
    pub threshold: Option<f64>,
    /// Points earned; `None` when not scored (see `unscored`).
    pub points: Option<f64>,
    /// Why `points` is `None`.
    pub unscored: Option<Unscored>,
}

/// One group's points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    /// The group id (`CKMB`, `TDGQ`, ... in the portal layout).
    pub id: String,
    /// Its Vietnamese name.
    pub name_vi: String,
    /// Its maximum points in the framework.
    pub max_points: Option<f64>,
    /// Sum of the points of its scored indicators.
    pub achieved: f64,
    /// Sum of the maxima of its scored indicators.
    pub scored_maximum: f64,
    /// Ids of its indicators that were not scored (left out of `achieved`).
    pub unscored: Vec<String>,
}

/// The Decision 766 index of a scope over a period, computed from a store.
///
/// Indices of several stores are **not merged**: an index holds ratios, points and
/// a mean (2.2), and a merge needs raw counts. A ratio whose denominator is 0 keeps
/// no numerator (3.6 can count online payments of dossiers received earlier with no
/// fee-bearing receipt in the period), 2.2 keeps its mean without the number of
/// dossiers, and catalogue indicators count procedures that several stores share.
/// Never add or average the points of parts (see [`rank_units`](crate::metrics::scores::rank_units)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceIndex {
    /// The framework scored against.
    pub framework_id: String,
    /// The scope measured.
    pub scope: Scope,
    /// The period measured.
    pub period: Period,
    /// Every indicator (leaf) of the framework, in its order.
    pub indicators: Vec<IndicatorResult>,
    /// Every group (top-level area), in order.
    pub groups: Vec<GroupResult>,
    /// Sum of the groups' achieved points (unscored indicators add nothing).
    pub total: f64,
    /// Sum of the maxima of the scored indicators.
    pub scored_maximum: f64,
    /// [`Band::from_score`] of `total`.
    pub band: Option<Band>,
}

impl ServiceIndex {
    /// Scores `measurements` (by indicator id) under `framework`. A leaf with no
    /// measurement is [`Unscored::NoData`].
    pub fn compute(
        framework: &IndexFramework,
        scope: Scope,
        period: Period,
        measurements: &BTreeMap<String, Measurement>,
    ) -> Self {
        let indicators: Vec<IndicatorResult> = framework
            .leaves()
            .map(|leaf| {
                let group = framework.area_of(&leaf.id).map_or_else(String::new, |a| a.id.clone());
                let mut result = IndicatorResult {
                    id: leaf.id.clone(),
                    name_vi: leaf.name_vi.clone(),
                    group,
                    ratio: None,
                    value: None,
                    max_points: leaf.max_points,
                    threshold: leaf.threshold_percent,
                    points: None,
                    unscored: None,
                };
                let measured = measurements.get(&leaf.id).cloned().unwrap_or_else(|| {
                    Measurement::NoData("no input for this indicator".to_owned())
                });
                let (points, unscored) = match (measured, leaf.max_points) {
                    (Measurement::NoData(reason), _) => (None, Some(Unscored::NoData(reason))),
                    (Measurement::Ratio(ratio), max) => {
                        result.ratio = ratio;
                        match (ratio, max) {
                            (None, _) => (None, Some(Unscored::EmptyDenominator)),
                            (Some(_), None) => (None, Some(Unscored::MaxPointsNotFixed)),
                            (Some(r), Some(max)) => {
                                match score_indicator(
                                    Some(r.percent()),
                                    max,
                                    leaf.threshold_percent,
                                ) {
                                    Some(p) => (Some(p), None),
                                    None => (None, Some(Unscored::NoRule)),
                                }
                            }
                        }
                    }
                    (Measurement::Statistic(value), max) => {
                        result.value = value;
                        match (value, max) {
                            (None, _) => (None, Some(Unscored::EmptyDenominator)),
                            (Some(_), Some(m)) if m <= 0.0 => (Some(0.0), None),
                            (Some(_), None) => (None, Some(Unscored::MaxPointsNotFixed)),
                            (Some(_), Some(_)) => (None, Some(Unscored::NoRule)),
                        }
                    }
                };
                result.points = points;
                result.unscored = unscored;
                result
            })
            .collect();
        let groups: Vec<GroupResult> = framework
            .areas()
            .map(|area| {
                let mine = indicators.iter().filter(|i| i.group == area.id);
                let mut achieved = 0.0;
                let mut scored_maximum = 0.0;
                let mut unscored = Vec::new();
                for i in mine {
                    match i.points {
                        Some(p) => {
                            achieved += p;
                            scored_maximum += i.max_points.unwrap_or(0.0);
                        }
                        None => unscored.push(i.id.clone()),
                    }
                }
                GroupResult {
                    id: area.id.clone(),
                    name_vi: area.name_vi.clone(),
                    max_points: area.max_points,
                    achieved,
                    scored_maximum,
                    unscored,
                }
            })
            .collect();
        let total: f64 = groups.iter().map(|g| g.achieved).sum();
        let scored_maximum = groups.iter().map(|g| g.scored_maximum).sum();
        Self {
            framework_id: framework.id().to_owned(),
            scope,
            period,
            indicators,
            groups,
            total,
            scored_maximum,
            band: Band::from_score(total),
        }
    }

    /// Returns the indicator `id`.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorResult> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// Returns the group `id`.
    pub fn group(&self, id: &str) -> Option<&GroupResult> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Returns the indicators that were not scored.
    pub fn unscored(&self) -> impl Iterator<Item = &IndicatorResult> {
        self.indicators.iter().filter(|i| i.points.is_none())
    }

    /// Returns the index as an [`Assessment`] of `unit` for `year` under
    /// `framework` (the one it was computed with), so it can be stored and ranked
    /// with the other score tools: scored indicators keep their points, the
    /// others become [`Points::Missing`](crate::model::score::Points::Missing).
    ///
    /// # Errors
    /// As [`Assessment::new`] (an empty unit, or a framework other than the one
    /// the index was computed with).
    pub fn to_assessment(
        &self,
        framework: &IndexFramework,
        unit: impl Into<String>,
        year: i32,
    ) -> Result<Assessment> {
        let leaves = self.indicators.iter().map(|i| match i.points {
            Some(p) => LeafPoints::scored(i.id.clone(), p),
            None => LeafPoints::missing(i.id.clone()),
        });
        Assessment::new(framework, unit, year, leaves)
    }
}

impl fmt::Display for ServiceIndex {
    /// A table of the indicators (ratio, points / max, why unscored), the groups
    /// and the total with its band.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {:?} {}", self.framework_id, self.scope, self.period)?;
        for i in &self.indicators {
            let ratio = i.ratio.map_or_else(
                || i.value.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}")),
                |r| format!("{:.2} % ({}/{})", r.percent(), r.numerator, r.denominator),
            );
            let points = i.points.map_or_else(|| "–".to_owned(), |p| format!("{p:.2}"));
            let max = i.max_points.map_or_else(|| "?".to_owned(), |m| format!("{m}"));
            let why = i.unscored.as_ref().map(ToString::to_string).unwrap_or_default();
            writeln!(f, "{:<16} {:<24} {:>7} / {:<4} {why}", i.id, ratio, points, max)?;
        }
        for g in &self.groups {
            let max = g.max_points.map_or_else(|| "?".to_owned(), |m| format!("{m}"));
            writeln!(f, "{:<16} {:>7.2} / {max}", g.id, g.achieved)?;
        }
        let band = self.band.map_or("–", Band::label_vi);
        writeln!(f, "total {:.2} ({band})", self.total)
    }
}

/// Which side of an indicator's ratio to list dossiers for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trace {
    /// The dossiers counted in the numerator.
    Numerator,
    /// The dossiers counted in the denominator but not in the numerator (for 2.1:
    /// the late ones).
    NotInNumerator,
}

/// Whether a dossier counts in an indicator's numerator and denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Membership {
    /// Counted in the numerator.
    pub numerator: bool,
    /// Counted in the denominator.
    pub denominator: bool,
}

impl Membership {
    /// Returns whether the dossier is on `side`.
    pub fn is_on(self, side: Trace) -> bool {
        match side {
            Trace::Numerator => self.numerator,
            Trace::NotInNumerator => self.denominator && !self.numerator,
        }
    }
}

/// The indicators computed from dossiers, with their per-dossier rule (the slow
/// definition the store's counters agree with).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierIndicator {
    /// 2.1, on time under the Subtract rule.
    OnTime,
    /// 3.3, received online.
    Online,
    /// 3.6, paid online among fee-bearing dossiers.
    PaidOnline,
    /// 4.1, electronic results among resolved dossiers of paper-result procedures.
    EResult,
    /// 4.2, digitised at reception.
    Digitised,
    /// 4.3, reusing digitised data.
    ReusedData,
    /// 5.4, satisfaction in handling; from dossier data alone it is 100 % minus
    /// the late rate over the 2.1 denominator, so the same sets as 2.1.
    Satisfaction,
}

impl DossierIndicator {
    /// All of them.
    pub const ALL: [Self; 7] = [
        Self::OnTime,
        Self::Online,
        Self::PaidOnline,
        Self::EResult,
        Self::Digitised,
        Self::ReusedData,
        Self::Satisfaction,
    ];

    /// Returns the indicator id in the portal layout.
    pub const fn id(self) -> &'static str {
        match self {
            Self::OnTime => "2.1",
            Self::Online => "3.3",
            Self::PaidOnline => "3.6",
            Self::EResult => "4.1",
            Self::Digitised => "4.2",
            Self::ReusedData => "4.3",
            Self::Satisfaction => "5.4",
        }
    }

    /// Parses an indicator id; `None` for an indicator not computed from dossiers.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.id() == id)
    }

    /// Returns whether `dossier` counts in the numerator and the denominator over
    /// `period`:
    ///
    /// - 2.1 and 5.4: denominator = resolved or refused on a day of the period,
    ///   or still open at its end (waiting for a supplement included); numerator =
    ///   those that [`Dossier::on_time_766`] at the end of the period;
    /// - 3.3, 4.2, 4.3: denominator = received in the period; numerator = online,
    ///   digitised, reusing data;
    /// - 3.6: denominator = received in the period under a fee-bearing procedure;
    ///   numerator = paid online on a day of the period (a payment of a dossier
    ///   received earlier counts, as the counters do);
    /// - 4.1: denominator = resolved in the period under a paper-result procedure;
    ///   numerator = of those, with an electronic result.
    pub fn membership(self, dossier: &Dossier, period: Period) -> Membership {
        let in_period = |t: time::OffsetDateTime| period.contains(vietnam_date(t));
        let received = in_period(dossier.received_at());
        let resolved = dossier.resolved_at().is_some_and(in_period);
        let header = dossier.header();
        match self {
            Self::OnTime | Self::Satisfaction => {
                let end = period.end_instant();
                let refused = dossier.status() == DossierStatus::Refused
                    && dossier.finished_at().is_some_and(in_period);
                let open_at_end = dossier.state_at(end).pending;
                let denominator = resolved || refused || open_at_end;
                Membership {
                    denominator,
                    numerator: denominator && dossier.on_time_766(end) == Some(true),
                }
            }
            Self::Online => Membership {
                denominator: received,
                numerator: received && header.channel == crate::model::dossier::Channel::Online,
            },
            Self::Digitised => {
                Membership { denominator: received, numerator: received && header.digitised }
            }
            Self::ReusedData => {
                Membership { denominator: received, numerator: received && header.reused_data }
            }
            Self::PaidOnline => Membership {
                denominator: received && header.fee_bearing,
                numerator: dossier
                    .events()
                    .iter()
                    .any(|e| matches!(e.kind, EventKind::Paid { online: true }) && in_period(e.at)),
            },
            Self::EResult => {
                let denominator = resolved && header.paper_result;
                Membership { denominator, numerator: denominator && dossier.e_result() }
            }
        }
    }
}

fn non_negative(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// The ratios of the dossier indicators from counter prefixes at 00:00 of the
/// period's first day (`start`) and of the day after its last (`end`): flows are
/// `end − start`, states are read at `end`.
///
/// 2.1 (and 5.4): numerator = resolved early or on time (Subtract) + refused not
/// late + open at the end and not overdue (Subtract) + waiting at the end and not
/// already late; denominator = resolved + refused + open at the end (waiting
/// included).
pub(crate) fn dossier_ratios(
    start: &Counts,
    end: &Counts,
) -> BTreeMap<DossierIndicator, Option<Ratio>> {
    let flow = |m: Measure| non_negative(get(end, m) - get(start, m));
    let at_end = |m: Measure| non_negative(get(end, m));
    let received = flow(Measure::ReceivedOnline)
        + flow(Measure::ReceivedDirect)
        + flow(Measure::ReceivedPostal);
    let on_time_resolved = flow(Measure::EarlySubtract) + flow(Measure::OnTimeSubtract);
    let refused = flow(Measure::Refused);
    let open = at_end(Measure::Pending);
    let open_not_late = open
        .saturating_sub(at_end(Measure::OverdueSubtract))
        .saturating_sub(at_end(Measure::WaitingLateSubtract));
    let on_time = Ratio::new(
        on_time_resolved
            + refused.saturating_sub(flow(Measure::RefusedLateSubtract))
            + open_not_late,
        on_time_resolved + flow(Measure::LateSubtract) + refused + open,
    );
    BTreeMap::from([
        (DossierIndicator::OnTime, on_time),
        (DossierIndicator::Satisfaction, on_time),
        (DossierIndicator::Online, Ratio::new(flow(Measure::ReceivedOnline), received)),
        (
            DossierIndicator::PaidOnline,
            Ratio::new(flow(Measure::PaidOnline), flow(Measure::FeeBearing)),
        ),
        (
            DossierIndicator::EResult,
            Ratio::new(flow(Measure::EResultPaperResult), flow(Measure::ResolvedPaperResult)),
        ),
        (DossierIndicator::Digitised, Ratio::new(flow(Measure::Digitised), received)),
        (DossierIndicator::ReusedData, Ratio::new(flow(Measure::ReusedData), received)),
    ])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

    use super::*;
    use crate::model::score::decision766_portal;

    #[test]
    fn compute_scores_by_rule_and_explains_unscored() {
        let framework = decision766_portal().with_max_points("3.3", 0.0).unwrap();
        let period = Period::month(2024, 3).unwrap();
        let m = BTreeMap::from([
            // Threshold 80: 40 % → 40/80 × 4 = 2.
            ("4.2".to_owned(), Measurement::Ratio(Ratio::new(2, 5))),
            // No threshold: 3/4 → 0.75 × 6 = 4.5.
            ("3.6".to_owned(), Measurement::Ratio(Ratio::new(3, 4))),
            // At the threshold (90 %): full points.
            ("5.4".to_owned(), Measurement::Ratio(Ratio::new(9, 10))),
            ("3.3".to_owned(), Measurement::Ratio(Ratio::new(1, 1))),
            ("3.1".to_owned(), Measurement::Ratio(Ratio::new(1, 2))),
            ("2.1".to_owned(), Measurement::Ratio(None)),
            ("2.2".to_owned(), Measurement::Statistic(Some(3.0))),
            ("1.1".to_owned(), Measurement::Statistic(Some(3.0))),
        ]);
        let index = ServiceIndex::compute(&framework, Scope::All, period, &m);
        let i = |id: &str| index.indicator(id).unwrap();
        assert_eq!(i("4.2").points, Some(2.0));
        assert_eq!(i("3.6").points, Some(4.5));
        assert_eq!(i("5.4").points, Some(6.0));
        assert_eq!(i("3.3").points, Some(0.0));
        assert_eq!(i("3.1").unscored, Some(Unscored::MaxPointsNotFixed));
        assert_eq!(i("3.1").ratio, Ratio::new(1, 2));
        assert_eq!(i("2.1").unscored, Some(Unscored::EmptyDenominator));
        assert_eq!((i("2.2").points, i("2.2").value), (Some(0.0), Some(3.0)));
        assert_eq!(i("1.1").unscored, Some(Unscored::NoRule));
        assert!(matches!(i("4.4").unscored, Some(Unscored::NoData(_))));
        assert!((index.group("MDSH").unwrap().achieved - 2.0).abs() < 1e-12);
        assert!((index.group("MDSH").unwrap().scored_maximum - 4.0).abs() < 1e-12);
        assert!((index.total - 12.5).abs() < 1e-12);
        assert!((index.scored_maximum - 16.0).abs() < 1e-12);
        assert_eq!(index.band, Some(Band::Yeu));
        assert_eq!(index.unscored().count(), index.indicators.len() - 5);
    }
}
