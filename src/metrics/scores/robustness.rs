//! Ranks under alternative area weights.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{IndexScore, neumaier_sum, rank_units, ratio_percent};
use crate::{Error, Result};

/// Multipliers on the areas' points: the index under weights `w` is
///
/// ```text
/// Σ_a w_a × achieved_a / Σ_a w_a × maximum_a × 100
/// ```
///
/// over the top-level areas, so all weights 1 give the plain index, and
/// scaling every weight by the same factor changes nothing. Areas not listed
/// weigh 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaWeights {
    weights: Vec<(String, f64)>,
}

impl AreaWeights {
    /// Validates the weights: finite, non-negative, ids unique, and not all 0.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the offending area.
    pub fn new<S: Into<String>>(weights: impl IntoIterator<Item = (S, f64)>) -> Result<Self> {
        let weights: Vec<(String, f64)> =
            weights.into_iter().map(|(id, w)| (id.into(), w)).collect();
        let mut seen = BTreeSet::new();
        for (id, w) in &weights {
            if !w.is_finite() || *w < 0.0 {
                return Err(Error::invalid(
                    "weights",
                    format!("area {id}: weight {w} must be finite and non-negative"),
                ));
            }
            if !seen.insert(id.as_str()) {
                return Err(Error::invalid("weights", format!("area {id} is given twice")));
            }
        }
        if !weights.is_empty() && weights.iter().all(|(_, w)| *w == 0.0) {
            return Err(Error::invalid("weights", "all weights are 0"));
        }
        Ok(Self { weights })
    }

    /// Returns the weight of area `id` (1 when not listed).
    pub fn weight(&self, id: &str) -> f64 {
        self.weights.iter().find(|(a, _)| a == id).map_or(1.0, |(_, w)| *w)
    }

    /// Returns the index of `score` under these weights; `None` when the
    /// weighted maximum is 0.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when a weighted id is not an area of `score`.
    pub fn index_of(&self, score: &IndexScore) -> Result<Option<f64>> {
        for (id, _) in &self.weights {
            if !score.areas().any(|a| &a.id == id) {
                return Err(Error::invalid(
                    "weights",
                    format!("{id} is not an area of framework {}", score.framework_id),
                ));
            }
        }
        let achieved = neumaier_sum(score.areas().map(|a| self.weight(&a.id) * a.achieved));
        let maximum = neumaier_sum(score.areas().map(|a| self.weight(&a.id) * a.maximum));
        Ok(ratio_percent(achieved, maximum))
    }
}

/// One unit's ranks over the perturbed weightings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankInterval {
    /// The unit code.
    pub unit: String,
    /// The rank under the unperturbed weights (the plain index).
    pub base_rank: u32,
    /// The best (lowest) rank over the base ranking and all draws.
    pub best: u32,
    /// The worst (highest) rank over the base ranking and all draws.
    pub worst: u32,
    /// The median rank over the draws (mean of the two middle ranks when
    /// the number of draws is even).
    pub median: f64,
}

/// The result of [`rank_robustness`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RobustnessReport {
    /// The largest relative change of an area weight (0.2 = ±20 %).
    pub share: f64,
    /// Number of draws.
    pub draws: u32,
    /// The seed of the draws.
    pub seed: u64,
    /// One interval per unit, in base-rank order.
    pub intervals: Vec<RankInterval>,
}

impl fmt::Display for RobustnessReport {
    /// A table: unit, base rank, best–worst, median.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "ranks under area weights ±{:.1} %, {} draws, seed {}",
            self.share * 100.0,
            self.draws,
            self.seed
        )?;
        writeln!(f, "{:<16} {:>5} {:>9} {:>7}", "unit", "base", "interval", "median")?;
        for i in &self.intervals {
            writeln!(
                f,
                "{:<16} {:>5} {:>9} {:>7.1}",
                i.unit,
                i.base_rank,
                format!("{}–{}", i.best, i.worst),
                i.median
            )?;
        }
        Ok(())
    }
}

/// `SplitMix64` (Steele, Lea, Flood 2014): small, fast, and deterministic for a seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A draw uniform in [−1, 1).
    fn next_signed_unit(&mut self) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        2.0 * unit - 1.0
    }
}

/// Ranks the units under `draws` alternative weightings and reports each
/// unit's rank interval and median rank.
///
/// In each draw, every area's weight is `1 + share × u` with `u` uniform in
/// [−1, 1), drawn in area order from a `SplitMix64` generator seeded with
/// `seed`, the same weights for all units (see [`AreaWeights`] for the
/// weighted index). Ranks are competition ranks ([`rank_units`]). The
/// interval covers the unperturbed rank and every draw; the same inputs and
/// seed give the same report.
///
/// # Errors
///
/// [`Error::InvalidInput`] when `share` is not within 0..1, `draws` is 0,
/// `scores` is empty, the scores are under different frameworks or areas, a
/// unit appears twice, or a unit has no index.
pub fn rank_robustness(
    scores: &[IndexScore],
    share: f64,
    draws: u32,
    seed: u64,
) -> Result<RobustnessReport> {
    if !(share.is_finite() && (0.0..1.0).contains(&share)) {
        return Err(Error::invalid("robustness.share", format!("{share} is not within 0..1")));
    }
    if draws == 0 {
        return Err(Error::invalid("robustness.draws", "at least one draw is needed"));
    }
    let Some(first) = scores.first() else {
        return Err(Error::invalid("robustness.scores", "no scores to rank"));
    };
    let areas: Vec<&str> = first.areas().map(|a| a.id.as_str()).collect();
    for s in scores {
        let these: Vec<&str> = s.areas().map(|a| a.id.as_str()).collect();
        if s.framework_id != first.framework_id || these != areas {
            return Err(Error::invalid(
                "robustness.scores",
                format!("{} is not under framework {}", s.unit, first.framework_id),
            ));
        }
    }
    let base = super::rank_index_scores(scores)?;
    let mut ranks: Vec<Vec<u32>> = vec![Vec::with_capacity(draws as usize); scores.len()];
    let mut rng = SplitMix64(seed);
    for _ in 0..draws {
        let weights =
            AreaWeights::new(areas.iter().map(|id| (*id, 1.0 + share * rng.next_signed_unit())))?;
        let mut pairs = Vec::with_capacity(scores.len());
        for s in scores {
            let index = weights.index_of(s)?.unwrap_or(0.0);
            pairs.push((s.unit.as_str(), index));
        }
        let ranking = rank_units(pairs)?;
        for (slot, s) in ranks.iter_mut().zip(scores) {
            slot.push(ranking.rank_of(&s.unit).unwrap_or(0));
        }
    }
    let mut intervals = Vec::with_capacity(scores.len());
    for (mut unit_ranks, s) in ranks.into_iter().zip(scores) {
        let base_rank = base.rank_of(&s.unit).unwrap_or(0);
        unit_ranks.sort_unstable();
        let best = unit_ranks.first().copied().unwrap_or(base_rank).min(base_rank);
        let worst = unit_ranks.last().copied().unwrap_or(base_rank).max(base_rank);
        let mid = unit_ranks.len() / 2;
        let median = if unit_ranks.len() % 2 == 1 {
            unit_ranks.get(mid).map_or(f64::from(base_rank), |r| f64::from(*r))
        } else {
            let lo = mid.checked_sub(1).and_then(|i| unit_ranks.get(i));
            match (lo, unit_ranks.get(mid)) {
                (Some(a), Some(b)) => f64::midpoint(f64::from(*a), f64::from(*b)),
                _ => f64::from(base_rank),
            }
        };
        intervals.push(RankInterval { unit: s.unit.clone(), base_rank, best, worst, median });
    }
    intervals.sort_by(|a, b| a.base_rank.cmp(&b.base_rank).then_with(|| a.unit.cmp(&b.unit)));
    Ok(RobustnessReport { share, draws, seed, intervals })
}
