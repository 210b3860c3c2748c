//! Organisation of the administrative apparatus (tổ chức bộ máy): how many
//! specialised agencies, divisions and sub-departments a unit has in a year.

use serde::{Deserialize, Serialize};

use crate::id::AgencyCode;
use crate::model::time_limit::check_year;
use crate::{Error, Result};

/// Counts of organisational units. Counts are unsigned, so a negative count cannot be
/// built; [`OrganisationCounts::try_from_signed`] checks signed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct OrganisationCounts {
    /// Specialised agencies under the People's Committee (cơ quan chuyên môn, sở).
    pub agencies: u32,
    /// Divisions (phòng) inside those agencies.
    pub divisions: u32,
    /// Sub-departments (chi cục).
    pub sub_departments: u32,
    /// Divisions under the district People's Committees (phòng chuyên môn cấp huyện).
    pub district_divisions: u32,
}

impl OrganisationCounts {
    /// Builds counts from signed numbers, as read from a spreadsheet.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first count that is negative or above
    /// `u32::MAX`.
    ///
    /// ```
    /// use cchc::model::organisation::OrganisationCounts;
    /// assert_eq!(OrganisationCounts::try_from_signed(21, 118, 11, 204)?.divisions, 118);
    /// assert!(OrganisationCounts::try_from_signed(21, -1, 11, 204).is_err());
    /// # Ok::<(), cchc::Error>(())
    /// ```
    pub fn try_from_signed(
        agencies: i64,
        divisions: i64,
        sub_departments: i64,
        district_divisions: i64,
    ) -> Result<Self> {
        let count = |field: &'static str, n: i64| {
            u32::try_from(n)
                .map_err(|_| Error::invalid(field, format!("{n} is not a count (0 to 4294967295)")))
        };
        Ok(Self {
            agencies: count("organisation.agencies", agencies)?,
            divisions: count("organisation.divisions", divisions)?,
            sub_departments: count("organisation.sub_departments", sub_departments)?,
            district_divisions: count("organisation.district_divisions", district_divisions)?,
        })
    }
}

/// A unit's organisation counts in a year (as of 31/12 unless the source says otherwise).
///
/// ```
/// use cchc::AgencyCode;
/// use cchc::model::organisation::{OrganisationCounts, OrganisationSnapshot};
/// let counts = OrganisationCounts { agencies: 21, divisions: 118, sub_departments: 11, district_divisions: 204 };
/// let s = OrganisationSnapshot::new(AgencyCode::new("000.00.00.H49")?, 2023, counts)?;
/// assert_eq!(s.counts().agencies, 21);
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "OrganisationSnapshotParts", into = "OrganisationSnapshotParts")]
pub struct OrganisationSnapshot {
    unit: AgencyCode,
    year: i32,
    counts: OrganisationCounts,
}

impl OrganisationSnapshot {
    /// The counts of `unit` in `year`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the year is outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE) (1900–2100).
    pub fn new(unit: AgencyCode, year: i32, counts: OrganisationCounts) -> Result<Self> {
        check_year("organisation.year", year)?;
        Ok(Self { unit, year, counts })
    }

    /// Returns the unit.
    pub fn unit(&self) -> &AgencyCode {
        &self.unit
    }
    /// Returns the year.
    pub fn year(&self) -> i32 {
        self.year
    }
    /// Returns the counts.
    pub fn counts(&self) -> OrganisationCounts {
        self.counts
    }
}

/// The serde form of an [`OrganisationSnapshot`]: deserializing goes through
/// [`OrganisationSnapshot::new`], so a file cannot build a snapshot of a year outside
/// 1900–2100.
#[derive(Serialize, Deserialize)]
struct OrganisationSnapshotParts {
    unit: AgencyCode,
    year: i32,
    counts: OrganisationCounts,
}

impl TryFrom<OrganisationSnapshotParts> for OrganisationSnapshot {
    type Error = Error;
    fn try_from(p: OrganisationSnapshotParts) -> Result<Self> {
        OrganisationSnapshot::new(p.unit, p.year, p.counts)
    }
}

impl From<OrganisationSnapshot> for OrganisationSnapshotParts {
    fn from(s: OrganisationSnapshot) -> Self {
        Self { unit: s.unit, year: s.year, counts: s.counts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializing_validates() {
        let counts = OrganisationCounts {
            agencies: 21,
            divisions: 118,
            sub_departments: 11,
            district_divisions: 204,
        };
        let s = OrganisationSnapshot::new(AgencyCode::new("000.00.00.H49").unwrap(), 2023, counts)
            .unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            "{\"unit\":\"000.00.00.H49\",\"year\":2023,\"counts\":{\"agencies\":21,\
             \"divisions\":118,\"sub_departments\":11,\"district_divisions\":204}}"
        );
        assert_eq!(serde_json::from_str::<OrganisationSnapshot>(&json).unwrap(), s);
        let bad_year = json.replace("2023", "2201");
        assert!(serde_json::from_str::<OrganisationSnapshot>(&bad_year).is_err(), "{bad_year}");
    }
}
