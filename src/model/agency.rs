//! Agencies (cơ quan, đơn vị) and their hierarchy.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::id::{AdminUnitCode, AgencyCode};
use crate::model::text::check_shown;
use crate::model::time_limit::check_date;
use crate::{Error, Result};

/// The level of government an agency belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Ministries and central agencies (cấp trung ương).
    Central,
    /// Province (cấp tỉnh).
    Province,
    /// District (cấp huyện); abolished on 1/7/2025.
    District,
    /// Commune (cấp xã).
    Commune,
}

impl Level {
    /// All levels, top down.
    pub const ALL: [Level; 4] = [Level::Central, Level::Province, Level::District, Level::Commune];

    /// Returns the Vietnamese name of the level.
    pub fn name_vi(self) -> &'static str {
        match self {
            Level::Central => "Cấp trung ương",
            Level::Province => "Cấp tỉnh",
            Level::District => "Cấp huyện",
            Level::Commune => "Cấp xã",
        }
    }

    /// Returns the English name of the level.
    pub fn name_en(self) -> &'static str {
        match self {
            Level::Central => "Central",
            Level::Province => "Province",
            Level::District => "District",
            Level::Commune => "Commune",
        }
    }
}

/// What an agency is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// A ministry or ministry-level agency (bộ, cơ quan ngang bộ).
    Ministry,
    /// A provincial People's Committee (UBND tỉnh).
    Province,
    /// A specialised department of a province (sở, ban, ngành).
    Department,
    /// A district People's Committee (UBND huyện).
    District,
    /// A commune People's Committee (UBND xã).
    Commune,
    /// A one-stop centre (Trung tâm Phục vụ hành chính công, Bộ phận Một cửa).
    OneStopCentre,
}

/// An agency: a node of the administrative hierarchy that receives or handles dossiers.
///
/// The parent link makes the hierarchy: commune → district → province. Validity dates
/// let the hierarchy change over time (the district level was abolished on 1/7/2025; 63
/// provinces were merged into 34): an agency past its `valid_to` keeps its history.
///
/// ```
/// use cchc::{Agency, AgencyCode, Level};
/// let province = Agency::province(AgencyCode::new("000.00.00.H49")?, "UBND tỉnh Quảng Nam")?;
/// let dept = Agency::department(AgencyCode::new("000.01.00.H49")?, "Sở Tư pháp", province.code())?;
/// assert_eq!(dept.level(), Level::Province);
/// assert_eq!(dept.parent(), Some(province.code()));
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AgencyParts", into = "AgencyParts")]
pub struct Agency {
    code: AgencyCode,
    name: String,
    kind: AgencyKind,
    level: Level,
    parent: Option<AgencyCode>,
    unit: Option<AdminUnitCode>,
    valid_from: Option<Date>,
    valid_to: Option<Date>,
}

pub(crate) fn check_name(field: &'static str, name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if name.chars().count() > 500 {
        return Err(Error::invalid(field, "must be at most 500 characters"));
    }
    check_shown(field, name, false)?;
    Ok(name.to_owned())
}

impl Agency {
    /// Builds an agency.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the name is empty, over 500 characters, has
    /// control characters or characters that can disguise it (format characters
    /// such as U+202E or zero-width spaces; see `docs/import.md`) or no visible
    /// character, when the agency is its own parent, or when `valid_to` is
    /// before `valid_from`.
    pub fn new(
        code: AgencyCode,
        name: &str,
        kind: AgencyKind,
        level: Level,
        parent: Option<&AgencyCode>,
    ) -> Result<Self> {
        let name = check_name("agency.name", name)?;
        if parent == Some(&code) {
            return Err(Error::invalid("agency.parent", "an agency cannot be its own parent"));
        }
        Ok(Self {
            code,
            name,
            kind,
            level,
            parent: parent.cloned(),
            unit: None,
            valid_from: None,
            valid_to: None,
        })
    }

    /// A provincial People's Committee, the root of a province.
    pub fn province(code: AgencyCode, name: &str) -> Result<Self> {
        Self::new(code, name, AgencyKind::Province, Level::Province, None)
    }

    /// A ministry, the root of a central hierarchy.
    pub fn ministry(code: AgencyCode, name: &str) -> Result<Self> {
        Self::new(code, name, AgencyKind::Ministry, Level::Central, None)
    }

    /// A provincial department under `parent`.
    pub fn department(code: AgencyCode, name: &str, parent: &AgencyCode) -> Result<Self> {
        Self::new(code, name, AgencyKind::Department, Level::Province, Some(parent))
    }

    /// A district People's Committee under `parent`.
    pub fn district(code: AgencyCode, name: &str, parent: &AgencyCode) -> Result<Self> {
        Self::new(code, name, AgencyKind::District, Level::District, Some(parent))
    }

    /// A commune People's Committee under `parent`.
    pub fn commune(code: AgencyCode, name: &str, parent: &AgencyCode) -> Result<Self> {
        Self::new(code, name, AgencyKind::Commune, Level::Commune, Some(parent))
    }

    /// Returns a copy with the administrative unit code set.
    #[must_use]
    pub fn with_unit(mut self, unit: AdminUnitCode) -> Self {
        self.unit = Some(unit);
        self
    }

    /// Returns a copy valid from `from` (inclusive) to `to` (exclusive); `None` is open.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `to` is not after `from`, or either is outside
    /// the [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE).
    pub fn with_validity(mut self, from: Option<Date>, to: Option<Date>) -> Result<Self> {
        if let Some(f) = from {
            check_date("agency.valid_from", f)?;
        }
        if let Some(t) = to {
            check_date("agency.valid_to", t)?;
        }
        if let (Some(f), Some(t)) = (from, to)
            && t <= f
        {
            return Err(Error::invalid("agency.valid_to", "must be after valid_from"));
        }
        self.valid_from = from;
        self.valid_to = to;
        Ok(self)
    }

    /// Returns the agency's identifier.
    pub fn code(&self) -> &AgencyCode {
        &self.code
    }
    /// Returns the agency's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Returns what the agency is.
    pub fn kind(&self) -> AgencyKind {
        self.kind
    }
    /// Returns the agency's level of government.
    pub fn level(&self) -> Level {
        self.level
    }
    /// Returns the parent agency, if any.
    pub fn parent(&self) -> Option<&AgencyCode> {
        self.parent.as_ref()
    }
    /// Returns the administrative unit code, if set.
    pub fn unit(&self) -> Option<&AdminUnitCode> {
        self.unit.as_ref()
    }
    /// Returns the first day the agency exists, if bounded.
    pub fn valid_from(&self) -> Option<Date> {
        self.valid_from
    }
    /// Returns the first day the agency no longer exists, if bounded.
    pub fn valid_to(&self) -> Option<Date> {
        self.valid_to
    }
    /// Returns whether the agency exists on `date`.
    pub fn is_valid_on(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date < t)
    }
}

/// The serde form of an [`Agency`]: deserializing goes through [`Agency::new`] and its
/// checks, so a file cannot build an agency the constructors would refuse.
#[derive(Serialize, Deserialize)]
struct AgencyParts {
    code: AgencyCode,
    name: String,
    kind: AgencyKind,
    level: Level,
    parent: Option<AgencyCode>,
    unit: Option<AdminUnitCode>,
    #[serde(default, with = "crate::serde_forms::option")]
    valid_from: Option<Date>,
    #[serde(default, with = "crate::serde_forms::option")]
    valid_to: Option<Date>,
}

impl TryFrom<AgencyParts> for Agency {
    type Error = Error;
    fn try_from(p: AgencyParts) -> Result<Self> {
        let mut agency = Agency::new(p.code, &p.name, p.kind, p.level, p.parent.as_ref())?;
        if let Some(unit) = p.unit {
            agency = agency.with_unit(unit);
        }
        agency.with_validity(p.valid_from, p.valid_to)
    }
}

impl From<Agency> for AgencyParts {
    fn from(a: Agency) -> Self {
        Self {
            code: a.code,
            name: a.name,
            kind: a.kind,
            level: a.level,
            parent: a.parent,
            unit: a.unit,
            valid_from: a.valid_from,
            valid_to: a.valid_to,
        }
    }
}

/// Orders `agencies` so that every agency comes after its parent when the parent is
/// among them (parents outside the list are taken as existing). Returns the first
/// agency whose parent links never resolve — a cycle — as the error.
pub(crate) fn parents_first(agencies: &[Agency]) -> std::result::Result<Vec<&Agency>, &Agency> {
    let listed: std::collections::HashSet<&AgencyCode> =
        agencies.iter().map(Agency::code).collect();
    let mut placed: std::collections::HashSet<&AgencyCode> = std::collections::HashSet::new();
    let mut order = Vec::with_capacity(agencies.len());
    while order.len() < agencies.len() {
        let before = order.len();
        for a in agencies {
            let ready = a.parent().is_none_or(|p| !listed.contains(p) || placed.contains(p));
            if !placed.contains(a.code()) && ready {
                placed.insert(a.code());
                order.push(a);
            }
        }
        if order.len() == before {
            // Nothing could be placed: every agency left sits on a cycle or below one.
            if let Some(stuck) = agencies.iter().find(|a| !placed.contains(a.code())) {
                return Err(stuck);
            }
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_first_and_cycles_are_named() {
        let code = |c: &str| AgencyCode::new(c).unwrap();
        let province = Agency::province(code("000.00.00.H49"), "UBND tỉnh").unwrap();
        let district = Agency::new(
            code("000.00.01.H49"),
            "UBND huyện",
            province.kind(),
            Level::District,
            Some(province.code()),
        )
        .unwrap();
        let list = [district.clone(), province.clone()];
        let order: Vec<&AgencyCode> =
            parents_first(&list).unwrap().into_iter().map(Agency::code).collect();
        assert_eq!(order, [province.code(), district.code()]);
        // A parent outside the list counts as existing.
        assert_eq!(parents_first(std::slice::from_ref(&district)).unwrap().len(), 1);
        // Two agencies that are each other's parent never resolve.
        let a = Agency::new(
            code("000.00.02.H49"),
            "A",
            province.kind(),
            Level::District,
            Some(&code("000.00.03.H49")),
        )
        .unwrap();
        let b = Agency::new(
            code("000.00.03.H49"),
            "B",
            province.kind(),
            Level::District,
            Some(a.code()),
        )
        .unwrap();
        let cyclic = [province, a.clone(), b];
        assert_eq!(parents_first(&cyclic).unwrap_err().code(), a.code());
    }

    #[test]
    fn deserializing_validates() {
        let p = AgencyCode::new("000.00.00.H49").unwrap();
        let a = Agency::province(p, "UBND tỉnh Quảng Nam").unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Agency>(&json).unwrap(), a);
        let blank = json.replace("UBND tỉnh Quảng Nam", "  ");
        assert!(serde_json::from_str::<Agency>(&blank).is_err());
        let own_parent = json.replace("\"parent\":null", "\"parent\":\"000.00.00.H49\"");
        assert!(serde_json::from_str::<Agency>(&own_parent).is_err(), "{own_parent}");
    }
}
