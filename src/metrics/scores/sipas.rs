//! SIPAS satisfaction shares with Wilson confidence intervals.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::score::{SATISFIED_FROM, SipasFactor, Survey};

/// The standard normal quantile for a two-sided 95 % interval.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// Returns the Wilson score interval `(low, high)` for `successes` out of
/// `trials` at normal quantile `z` (use [`Z_95`] for 95 %):
///
/// ```text
/// centre = (p + z²/2n) / (1 + z²/n)
/// half   = z / (1 + z²/n) × √(p(1 − p)/n + z²/4n²)
/// ```
///
/// `None` when `trials` is 0, `successes > trials`, or `z` is not finite
/// and positive.
///
/// ```
/// use cchc::metrics::scores::{wilson_interval, Z_95};
///
/// let (low, high) = wilson_interval(80, 100, Z_95).ok_or("no interval")?;
/// assert!((low - 0.7112).abs() < 1e-4 && (high - 0.8666).abs() < 1e-4);
/// # Ok::<(), &str>(())
/// ```
pub fn wilson_interval(successes: u64, trials: u64, z: f64) -> Option<(f64, f64)> {
    if trials == 0 || successes > trials || !(z.is_finite() && z > 0.0) {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// A share of satisfied answers with its 95 % Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    /// Answers of 4 (hài lòng) or 5 (rất hài lòng).
    pub satisfied: u64,
    /// Answers given (1 to 5).
    pub answered: u64,
    /// `satisfied / answered`, 0..=1.
    pub share: f64,
    /// Lower bound of the 95 % Wilson interval, 0..=1.
    pub low: f64,
    /// Upper bound of the 95 % Wilson interval, 0..=1.
    pub high: f64,
}

impl Proportion {
    /// Returns the proportion; `None` when nobody answered or
    /// `satisfied > answered`.
    pub fn new(satisfied: u64, answered: u64) -> Option<Self> {
        let (low, high) = wilson_interval(satisfied, answered, Z_95)?;
        Some(Self { satisfied, answered, share: satisfied as f64 / answered as f64, low, high })
    }

    /// Returns the share in percent.
    pub fn percent(&self) -> f64 {
        self.share * 100.0
    }
}

impl fmt::Display for Proportion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.2} % ({}/{}; 95 % CI {:.2}–{:.2} %)",
            self.percent(),
            self.satisfied,
            self.answered,
            self.low * 100.0,
            self.high * 100.0
        )
    }
}

/// One factor's satisfaction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FactorSatisfaction {
    /// The factor.
    pub factor: SipasFactor,
    /// The satisfied share; `None` when nobody answered the factor's items.
    pub satisfaction: Option<Proportion>,
}

/// SIPAS for one survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SipasResult {
    /// The unit code.
    pub unit: String,
    /// The survey year.
    pub year: i32,
    /// Number of responses.
    pub respondents: usize,
    /// The five factors in official order.
    pub factors: Vec<FactorSatisfaction>,
    /// The satisfied share over all answers pooled.
    pub pooled: Option<Proportion>,
    /// SIPAS in percent: the mean of the factor shares over the factors that
    /// have answers; `None` when none has.
    pub sipas_percent: Option<f64>,
    /// How many factors had answers (fewer than 5 makes `sipas_percent` an
    /// average over fewer factors).
    pub factors_answered: usize,
}

impl fmt::Display for SipasResult {
    /// A table of the factors, then the pooled share and SIPAS.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "SIPAS {} {} ({} respondents)", self.unit, self.year, self.respondents)?;
        for factor in &self.factors {
            match &factor.satisfaction {
                Some(p) => writeln!(f, "{:<52} {p}", factor.factor.label_vi())?,
                None => writeln!(f, "{:<52} no answers", factor.factor.label_vi())?,
            }
        }
        match &self.pooled {
            Some(p) => writeln!(f, "{:<52} {p}", "all answers")?,
            None => writeln!(f, "{:<52} no answers", "all answers")?,
        }
        match self.sipas_percent {
            Some(s) => {
                write!(f, "{:<52} {s:.2} % (mean of {} factors)", "SIPAS", self.factors_answered)
            }
            None => write!(f, "{:<52} –", "SIPAS"),
        }
    }
}

/// Computes satisfaction per factor, pooled, and SIPAS for `survey`.
///
/// A factor's satisfaction is the share of its answers that are 4 or 5 among
/// the answers given (non-answers are left out), with a 95 % Wilson
/// interval. SIPAS is the unweighted mean of the factor shares, in percent.
/// **The official aggregation is unverified \[R\]** (DOMAIN §4: share of
/// satisfied respondents vs average of components, weights unknown).
pub fn sipas(survey: &Survey) -> SipasResult {
    let mut counts = SipasFactor::ALL.map(|f| (f, 0u64, 0u64));
    for (factor, answer) in survey.answers() {
        for slot in &mut counts {
            if slot.0 == factor {
                slot.2 += 1;
                if answer >= SATISFIED_FROM {
                    slot.1 += 1;
                }
            }
        }
    }
    let factors: Vec<FactorSatisfaction> = counts
        .iter()
        .map(|&(factor, satisfied, answered)| FactorSatisfaction {
            factor,
            satisfaction: Proportion::new(satisfied, answered),
        })
        .collect();
    let satisfied: u64 = counts.iter().map(|c| c.1).sum();
    let answered: u64 = counts.iter().map(|c| c.2).sum();
    let shares: Vec<f64> =
        factors.iter().filter_map(|f| f.satisfaction.map(|p| p.percent())).collect();
    let sipas_percent = (!shares.is_empty())
        .then(|| super::neumaier_sum(shares.iter().copied()) / shares.len() as f64);
    SipasResult {
        unit: survey.unit().to_owned(),
        year: survey.year(),
        respondents: survey.responses().len(),
        factors,
        pooled: Proportion::new(satisfied, answered),
        sipas_percent,
        factors_answered: shares.len(),
    }
}
