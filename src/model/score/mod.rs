//! Reform scores as data: index frameworks, assessments and satisfaction surveys.
//!
//! - [`IndexFramework`] is a validated tree index → areas (groups) →
//!   criteria → sub-criteria, read from a flat JSON list of nodes so a new
//!   year's method needs no code. Presets hold only the sourced structure:
//!   Decision 766 ([`decision766_portal`], [`decision766`]), PAPI ([`papi`]),
//!   PAINDEX ([`paindex_2017`], [`paindex_2023`]) and the PAR Index
//!   ([`par_index_2022_province`], [`par_index_2017_province`], whose area
//!   maxima the caller supplies).
//! - [`Assessment`] is a unit's points for a year, one entry per leaf,
//!   scored or explicitly missing.
//! - [`Survey`] is a SIPAS survey: answers on a 1–5 scale to items grouped by
//!   [`SipasFactor`].
//!
//! The computations (index, ranks, bands, robustness, SIPAS shares) are in
//! [`crate::metrics::scores`]. Nothing here touches storage or the clock.

mod assessment;
mod decision766;
mod framework;
mod presets;
mod survey;

#[cfg(test)]
mod tests;

pub use assessment::{Assessment, LeafPoints, LeafScore, Points};
pub use decision766::{
    DecisionGroup, PortalGroup, decision766, decision766_portal, score_indicator,
    to_decision_groups,
};
pub use framework::{FrameworkNode, FrameworkSpec, IndexFramework, SUM_TOLERANCE, ScoreSource};
pub use presets::{
    paindex_2017, paindex_2023, papi, par_index_2017_province, par_index_2022_province,
};
pub use survey::{ANSWER_MAX, ANSWER_MIN, SATISFIED_FROM, SipasFactor, Survey, SurveyItem};

/// Compensated (Neumaier) sum, so totals do not depend on the order of terms
/// beyond rounding of the final result.
pub(crate) fn neumaier_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut sum = 0.0_f64;
    let mut compensation = 0.0_f64;
    for v in values {
        let t = sum + v;
        if sum.abs() >= v.abs() {
            compensation += (sum - t) + v;
        } else {
            compensation += (v - t) + sum;
        }
        sum = t;
    }
    sum + compensation
}
