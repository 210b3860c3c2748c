//! Quantiles of sorted values.

/// Returns the `p`-quantile (`0 ≤ p ≤ 1`) of ascending `sorted` values by linear
/// interpolation between closest ranks (Hyndman and Fan type 7, the default of R and
/// NumPy): with `h = (n − 1) p`, the result is `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`.
/// `None` for no values or `p` outside `[0, 1]`.
///
/// ```
/// use cchc::metrics::catalogue::quantile;
/// assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
/// assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9), Some(9.1));
/// ```
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let x_lo = *sorted.get(lo)?;
    let x_hi = sorted.get(lo + 1).copied().unwrap_or(x_lo);
    Some(x_lo + (h - lo as f64) * (x_hi - x_lo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn quantiles_are_monotone_and_bounded(
            mut xs in proptest::collection::vec(-1e6f64..1e6, 1..50),
            p in 0.0f64..=1.0,
            q in 0.0f64..=1.0,
        ) {
            xs.sort_by(f64::total_cmp);
            let (lo, hi) = (p.min(q), p.max(q));
            let (a, b) = (quantile(&xs, lo).unwrap(), quantile(&xs, hi).unwrap());
            prop_assert!(a <= b + 1e-9);
            prop_assert!(xs[0] <= a + 1e-9 && b <= xs[xs.len() - 1] + 1e-9);
            prop_assert_eq!(quantile(&xs, 0.0), Some(xs[0]));
            prop_assert_eq!(quantile(&xs, 1.0), Some(xs[xs.len() - 1]));
        }
    }
}
