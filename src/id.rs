//! Validated codes: the identities users know.
//!
//! Each code is a newtype over its canonical text, built with `new` (or
//! [`FromStr`]) and validated once; a value that exists is well formed.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use crate::{Error, Result};

fn invalid(kind: &'static str, text: &str, reason: &'static str) -> Error {
    Error::InvalidCode { kind, text: text.to_owned(), reason }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Returns the code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::new(&text).map_err(serde::de::Error::custom)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self> {
                Self::new(s)
            }
        }
    };
}

code_type!(
    /// A national procedure code (mã TTHC) from the national procedure database,
    /// such as `1.004227`: one or two digits, a dot, six digits.
    ///
    /// ```
    /// let code = cchc::ProcedureCode::new("1.004227")?;
    /// assert_eq!(code.as_str(), "1.004227");
    /// assert!(cchc::ProcedureCode::new("1.0042").is_err());
    /// # Ok::<(), cchc::Error>(())
    /// ```
    ProcedureCode,
    "procedure"
);

impl ProcedureCode {
    /// Parses a procedure code.
    ///
    /// # Errors
    /// [`Error::InvalidCode`] unless the text is `D.DDDDDD` or `DD.DDDDDD`.
    pub fn new(text: &str) -> Result<Self> {
        let Some((head, tail)) = text.split_once('.') else {
            return Err(invalid("procedure", text, "expected digits, a dot and six digits"));
        };
        if !(1..=2).contains(&head.len()) || !all_digits(head) {
            return Err(invalid("procedure", text, "expected one or two digits before the dot"));
        }
        if tail.len() != 6 || !all_digits(tail) {
            return Err(invalid("procedure", text, "expected six digits after the dot"));
        }
        Ok(Self(text.to_owned()))
    }
}

code_type!(
    /// An agency identifier (mã định danh cơ quan, TT 10/2016/TT-BTTTT) in the form
    /// `V1V2V3.Z1Z2.Y1Y2.MX1X2`, such as `000.00.00.H49` (a provincial People's
    /// Committee) or `000.21.33.H49` (a unit below it): three, two and two digits
    /// separated by dots, a dot, then one capital letter and two digits.
    ///
    /// ```
    /// let code = cchc::AgencyCode::new("000.00.00.H49")?;
    /// assert_eq!(code.to_string(), "000.00.00.H49");
    /// assert!(cchc::AgencyCode::new("000.00.00.h49").is_err());
    /// # Ok::<(), cchc::Error>(())
    /// ```
    AgencyCode,
    "agency"
);

impl AgencyCode {
    /// Parses an agency identifier.
    ///
    /// # Errors
    /// [`Error::InvalidCode`] unless the text has the form `DDD.DD.DD.LDD`.
    pub fn new(text: &str) -> Result<Self> {
        let parts: Vec<&str> = text.split('.').collect();
        let [v, z, y, m] = parts.as_slice() else {
            return Err(invalid("agency", text, "expected four dot-separated parts"));
        };
        if v.len() != 3 || !all_digits(v) {
            return Err(invalid("agency", text, "the first part must be three digits"));
        }
        if z.len() != 2 || !all_digits(z) || y.len() != 2 || !all_digits(y) {
            return Err(invalid("agency", text, "the second and third parts must be two digits"));
        }
        let mut chars = m.chars();
        let letter_ok = chars.next().is_some_and(|c| c.is_ascii_uppercase());
        let rest = chars.as_str();
        if !letter_ok || rest.len() != 2 || !all_digits(rest) {
            return Err(invalid(
                "agency",
                text,
                "the last part must be a capital letter and two digits",
            ));
        }
        Ok(Self(text.to_owned()))
    }
}

code_type!(
    /// An administrative unit code (mã đơn vị hành chính): two digits for a
    /// province, three for a district, five for a commune.
    ///
    /// ```
    /// use cchc::AdminUnitCode;
    /// use cchc::id::UnitLevel;
    /// assert_eq!(AdminUnitCode::new("49")?.level(), UnitLevel::Province);
    /// assert_eq!(AdminUnitCode::new("20347")?.level(), UnitLevel::Commune);
    /// # Ok::<(), cchc::Error>(())
    /// ```
    AdminUnitCode,
    "administrative unit"
);

/// The level of an administrative unit, read off the length of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// Province or centrally run city (tỉnh, thành phố trực thuộc trung ương).
    Province,
    /// District (huyện, quận, thị xã, thành phố thuộc tỉnh); abolished 1/7/2025.
    District,
    /// Commune (xã, phường, thị trấn, đặc khu).
    Commune,
}

impl AdminUnitCode {
    /// Parses an administrative unit code.
    ///
    /// # Errors
    /// [`Error::InvalidCode`] unless the text is 2, 3 or 5 digits.
    pub fn new(text: &str) -> Result<Self> {
        if !all_digits(text) || !matches!(text.len(), 2 | 3 | 5) {
            return Err(invalid("administrative unit", text, "expected 2, 3 or 5 digits"));
        }
        Ok(Self(text.to_owned()))
    }

    /// Returns the level the code's length denotes.
    pub fn level(&self) -> UnitLevel {
        match self.0.len() {
            2 => UnitLevel::Province,
            3 => UnitLevel::District,
            _ => UnitLevel::Commune,
        }
    }
}

code_type!(
    /// A dossier code (mã số hồ sơ, TT 01/2018/TT-VPCP Art. 19):
    /// `V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`, the receiving agency's identifier,
    /// the receipt date and a four-digit sequence number of that day.
    ///
    /// ```
    /// use time::macros::date;
    /// let code = cchc::DossierCode::new("000.00.12.H49-231215-0007")?;
    /// assert_eq!(code.agency().as_str(), "000.00.12.H49");
    /// assert_eq!(code.date(), date!(2023 - 12 - 15));
    /// assert_eq!(code.sequence(), 7);
    /// # Ok::<(), cchc::Error>(())
    /// ```
    DossierCode,
    "dossier"
);

impl DossierCode {
    /// Parses a dossier code.
    ///
    /// # Errors
    /// [`Error::InvalidCode`] when the agency part, the date (YYMMDD, 2000–2099) or
    /// the four-digit sequence is malformed, or the sequence is 0000.
    pub fn new(text: &str) -> Result<Self> {
        let mut parts = text.split('-');
        let (Some(agency), Some(day), Some(seq), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid("dossier", text, "expected AGENCY-YYMMDD-XXXX"));
        };
        AgencyCode::new(agency)
            .map_err(|_| invalid("dossier", text, "the agency part is not an agency identifier"))?;
        if day.len() != 6 || !all_digits(day) {
            return Err(invalid("dossier", text, "the date part must be YYMMDD"));
        }
        parse_yymmdd(day).ok_or_else(|| invalid("dossier", text, "the date part is not a date"))?;
        if seq.len() != 4 || !all_digits(seq) || seq == "0000" {
            return Err(invalid("dossier", text, "the sequence must be four digits from 0001"));
        }
        Ok(Self(text.to_owned()))
    }

    /// Builds the code of the `sequence`-th dossier received by `agency` on `date`.
    ///
    /// # Errors
    /// [`Error::InvalidCode`] when `sequence` is 0 or above 9999, or `date` is
    /// outside 2000–2099.
    pub fn compose(agency: &AgencyCode, date: Date, sequence: u16) -> Result<Self> {
        let text = format!(
            "{agency}-{:02}{:02}{:02}-{sequence:04}",
            date.year().rem_euclid(100),
            u8::from(date.month()),
            date.day()
        );
        if !(2000..=2099).contains(&date.year()) {
            return Err(invalid("dossier", &text, "the year must be 2000–2099"));
        }
        Self::new(&text)
    }

    /// Returns the agency identifier embedded in the code: the unit that numbered the
    /// dossier, which may not be the agency it counts for (a provincial service centre
    /// numbers dossiers it receives for a department with its own identifier). Scopes
    /// and counters use the agency responsible at receipt,
    /// [`DossierHeader::agency`](crate::model::dossier::DossierHeader::agency), never this.
    pub fn agency(&self) -> AgencyCode {
        let head = self.0.split('-').next().unwrap_or_default();
        AgencyCode(head.to_owned())
    }

    /// Returns the receipt date embedded in the code.
    pub fn date(&self) -> Date {
        self.0.split('-').nth(1).and_then(parse_yymmdd).unwrap_or(Date::MIN)
    }

    /// Returns the daily sequence number embedded in the code.
    pub fn sequence(&self) -> u16 {
        self.0.split('-').nth(2).and_then(|s| s.parse().ok()).unwrap_or(0)
    }
}

fn parse_yymmdd(s: &str) -> Option<Date> {
    let n: u32 = s.parse().ok()?;
    let (yy, mm, dd) = (n / 10_000, (n / 100) % 100, n % 100);
    let month = Month::try_from(u8::try_from(mm).ok()?).ok()?;
    Date::from_calendar_date(2000 + yy as i32, month, u8::try_from(dd).ok()?).ok()
}

/// A field (lĩnh vực) of procedures, such as "Đất đai" or "Hộ tịch": free text,
/// trimmed, 1–200 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Field(String);

impl Field {
    /// Validates a field name.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the name is empty after trimming or longer
    /// than 200 characters, or contains control characters or characters that can
    /// disguise it (format characters such as U+202E, zero-width spaces), or
    /// nothing visible.
    pub fn new(name: &str) -> Result<Self> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(Error::invalid("procedure.field", "must be 1–200 printable characters"));
        }
        crate::model::text::check_shown("procedure.field", name, false)?;
        Ok(Self(name.to_owned()))
    }

    /// Returns the field name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::new(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn procedure_codes() {
        for good in ["1.004227", "2.002154", "10.000001"] {
            assert_eq!(ProcedureCode::new(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "1004227",
            "1.00422",
            "1.0042277",
            "a.004227",
            "123.004227",
            ".004227",
            "1.00422x",
            "1.004227 ",
        ] {
            assert!(
                matches!(
                    ProcedureCode::new(bad),
                    Err(Error::InvalidCode { kind: "procedure", .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn agency_codes() {
        for good in ["000.00.00.H49", "000.21.33.H49", "000.00.00.G02"] {
            assert!(AgencyCode::new(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "00.00.00.H49",
            "000.0.00.H49",
            "000.00.00.49",
            "000.00.00.h49",
            "000.00.00.H4",
            "000.00.00.H49.1",
            "000-00-00-H49",
            "000.00.00.HH9",
        ] {
            assert!(
                matches!(AgencyCode::new(bad), Err(Error::InvalidCode { kind: "agency", .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn admin_unit_codes() {
        assert_eq!(AdminUnitCode::new("01").unwrap().level(), UnitLevel::Province);
        assert_eq!(AdminUnitCode::new("502").unwrap().level(), UnitLevel::District);
        assert_eq!(AdminUnitCode::new("20347").unwrap().level(), UnitLevel::Commune);
        for bad in ["", "1", "1234", "123456", "4a", " 49"] {
            assert!(AdminUnitCode::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dossier_codes() {
        let code = DossierCode::new("000.00.12.H49-240229-0001").unwrap();
        assert_eq!(code.date(), date!(2024 - 02 - 29));
        assert_eq!(code.sequence(), 1);
        assert_eq!(code.agency(), AgencyCode::new("000.00.12.H49").unwrap());
        for bad in [
            "",
            "000.00.12.H49-230229-0001",
            "000.00.12.H49-231301-0001",
            "000.00.12.H49-231200-0001",
            "000.00.12.H49-231215-0000",
            "000.00.12.H49-231215-001",
            "000.00.12.H49-231215-00011",
            "000.00.12.H49-231215",
            "000.00.12.H49-231215-0001-2",
            "00.00.12.H49-231215-0001",
            "000.00.12.H49-2312155-0001",
        ] {
            assert!(
                matches!(DossierCode::new(bad), Err(Error::InvalidCode { kind: "dossier", .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn dossier_code_composes_and_parses_back() {
        let agency = AgencyCode::new("000.00.12.H49").unwrap();
        let code = DossierCode::compose(&agency, date!(2023 - 01 - 05), 42).unwrap();
        assert_eq!(code.as_str(), "000.00.12.H49-230105-0042");
        assert_eq!(code.date(), date!(2023 - 01 - 05));
        assert!(DossierCode::compose(&agency, date!(2023 - 01 - 05), 0).is_err());
        assert!(DossierCode::compose(&agency, date!(2023 - 01 - 05), 10_000).is_err());
        assert!(DossierCode::compose(&agency, date!(1999 - 01 - 05), 1).is_err());
    }

    #[test]
    fn codes_deserialize_only_when_valid() {
        let ok: ProcedureCode = serde_json::from_str("\"1.004227\"").unwrap();
        assert_eq!(ok.as_str(), "1.004227");
        assert!(serde_json::from_str::<ProcedureCode>("\"1.0\"").is_err());
        assert!(serde_json::from_str::<Field>("\"  \"").is_err());
    }
}
