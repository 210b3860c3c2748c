//! Number formatting in Vietnamese (1.972; 28,13 %) and English (1,972; 28.13 %).

use serde::{Deserialize, Serialize};

/// The language of displayed labels and numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Vietnamese: `.` groups thousands, `,` is the decimal mark.
    #[default]
    Vi,
    /// English: `,` groups thousands, `.` is the decimal mark.
    En,
}

impl Lang {
    /// Picks the Vietnamese or English text.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// Formats an integer with thousands separators.
///
/// ```
/// use cchc::metrics::display::{Lang, format_count};
/// assert_eq!(format_count(1972, Lang::Vi), "1.972");
/// assert_eq!(format_count(-1234567, Lang::En), "-1,234,567");
/// ```
pub fn format_count(n: i64, lang: Lang) -> String {
    let sep = lang.pick(".", ",");
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// Rounds `x` to `decimals` decimals half away from zero on the decimal value, as
/// people round by hand (28.125 → 28.13), not the binary float's half-even: the
/// number [`format_decimal`] shows.
pub(crate) fn round_decimal(x: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let magnitude = (x.abs() * scale + 0.5 + 1e-9).floor() / scale;
    if x < 0.0 { -magnitude } else { magnitude }
}

/// Formats a number with `decimals` decimals and thousands separators.
///
/// ```
/// use cchc::metrics::display::{Lang, format_decimal};
/// assert_eq!(format_decimal(28.125, 2, Lang::Vi), "28,13");
/// assert_eq!(format_decimal(1234.5, 1, Lang::En), "1,234.5");
/// ```
pub fn format_decimal(x: f64, decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    let rounded = round_decimal(x, decimals).abs();
    let text = format!("{rounded:.decimals$}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let int: i64 = int.parse().unwrap_or(0);
    let mut out = String::new();
    if x < 0.0 && rounded != 0.0 {
        out.push('-');
    }
    out.push_str(&format_count(int, lang));
    if decimals > 0 {
        out.push_str(lang.pick(",", "."));
        out.push_str(frac);
    }
    out
}

/// Formats a percentage with two decimals: `28,13 %` or `28.13 %`.
pub fn format_percent(percent: f64, lang: Lang) -> String {
    format!("{} %", format_decimal(percent, 2, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_english_numbers() {
        assert_eq!(format_count(0, Lang::Vi), "0");
        assert_eq!(format_count(999, Lang::Vi), "999");
        assert_eq!(format_count(1000, Lang::Vi), "1.000");
        assert_eq!(format_count(413_659, Lang::Vi), "413.659");
        assert_eq!(format_count(413_659, Lang::En), "413,659");
        assert_eq!(format_percent(28.125, Lang::Vi), "28,13 %");
        assert_eq!(format_percent(98.678, Lang::En), "98.68 %");
        assert_eq!(format_percent(100.0, Lang::Vi), "100,00 %");
        assert_eq!(format_decimal(-0.004, 2, Lang::Vi), "0,00");
        assert_eq!(format_decimal(f64::NAN, 2, Lang::Vi), "–");
    }
}
