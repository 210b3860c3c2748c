//! What a report covers: a scope (which dossiers) and a period (which days).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::id::{AgencyCode, Field, ProcedureCode};
use crate::model::agency::{Agency, Level};
use crate::model::dossier::DossierHeader;
use crate::model::procedure::Procedure;
use crate::model::time_limit::{check_date, check_year, start_of_day};
use crate::{Error, Result};

/// Which dossiers a report counts. A dossier counts for the agency responsible at
/// receipt; transfers do not move it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Every dossier in the store.
    All,
    /// Dossiers received by one agency itself.
    Agency(AgencyCode),
    /// Dossiers received by an agency and all its descendants.
    Subtree(AgencyCode),
    /// Dossiers received by agencies of a level.
    Level(Level),
    /// Dossiers of procedures in a field.
    Field(Field),
    /// Dossiers of one procedure.
    Procedure(ProcedureCode),
}

impl Scope {
    /// One agency itself.
    pub fn agency(code: &AgencyCode) -> Self {
        Self::Agency(code.clone())
    }
    /// An agency and all its descendants.
    pub fn subtree(code: &AgencyCode) -> Self {
        Self::Subtree(code.clone())
    }
}

/// A closed range of calendar days `[from, to]` in Vietnam time.
///
/// ```
/// use cchc::Period;
/// use time::macros::date;
/// let q = Period::quarter(2024, 1)?;
/// assert_eq!((q.from(), q.to()), (date!(2024 - 01 - 01), date!(2024 - 03 - 31)));
/// assert!(Period::new(date!(2024 - 02 - 01), date!(2024 - 01 - 31)).is_err());
/// // Reports are asked about the supported range only (1900–2100).
/// assert!(Period::year(2101).is_err());
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PeriodParts", into = "PeriodParts")]
pub struct Period {
    from: Date,
    to: Date,
}

impl Period {
    /// The days from `from` to `to`, both included (for example the 15th-to-14th
    /// periods some provinces use).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `to` is before `from`, or either is outside the
    /// [supported range](crate::FIRST_SUPPORTED_DATE) (`period.from`, `period.to`).
    pub fn new(from: Date, to: Date) -> Result<Self> {
        check_date("period.from", from)?;
        check_date("period.to", to)?;
        if to < from {
            return Err(Error::invalid("period", format!("ends ({to}) before it starts ({from})")));
        }
        Ok(Self { from, to })
    }

    /// One day.
    ///
    /// # Errors
    /// As [`Period::new`].
    pub fn day(day: Date) -> Result<Self> {
        Self::new(day, day)
    }

    /// A calendar month.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a month outside 1–12 or a year outside the
    /// [supported range](crate::FIRST_SUPPORTED_DATE) (`period.year`).
    pub fn month(year: i32, month: u8) -> Result<Self> {
        check_year("period.year", year)?;
        let m = Month::try_from(month)
            .map_err(|_| Error::invalid("period.month", format!("{month} is not 1–12")))?;
        let from = Date::from_calendar_date(year, m, 1)
            .map_err(|e| Error::invalid("period.year", e.to_string()))?;
        let to = Date::from_calendar_date(year, m, m.length(year))
            .map_err(|e| Error::invalid("period.year", e.to_string()))?;
        Self::new(from, to)
    }

    /// A quarter (1–4).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a quarter outside 1–4 or a year outside the
    /// [supported range](crate::FIRST_SUPPORTED_DATE) (`period.year`).
    pub fn quarter(year: i32, quarter: u8) -> Result<Self> {
        if !(1..=4).contains(&quarter) {
            return Err(Error::invalid("period.quarter", format!("{quarter} is not 1–4")));
        }
        let first = Self::month(year, quarter * 3 - 2)?;
        let last = Self::month(year, quarter * 3)?;
        Self::new(first.from, last.to)
    }

    /// A calendar year.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a year outside the
    /// [supported range](crate::FIRST_SUPPORTED_DATE) (`period.year`).
    pub fn year(year: i32) -> Result<Self> {
        Self::new(Self::month(year, 1)?.from, Self::month(year, 12)?.to)
    }

    /// Returns the first day.
    pub fn from(&self) -> Date {
        self.from
    }
    /// Returns the last day.
    pub fn to(&self) -> Date {
        self.to
    }
    /// Returns the day after the last day (where in-progress counts are taken).
    pub fn end_day(&self) -> Date {
        self.to.next_day().unwrap_or(self.to)
    }
    /// Returns 00:00 (UTC+7) of the first day.
    pub fn start_instant(&self) -> OffsetDateTime {
        start_of_day(self.from)
    }
    /// Returns 00:00 (UTC+7) of the day after the last day: the end of the period.
    pub fn end_instant(&self) -> OffsetDateTime {
        start_of_day(self.end_day())
    }
    /// Returns whether `day` is in the period.
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The serde form of a [`Period`]: deserializing goes through [`Period::new`].
#[derive(Serialize, Deserialize)]
struct PeriodParts {
    from: Date,
    to: Date,
}

impl TryFrom<PeriodParts> for Period {
    type Error = Error;
    fn try_from(p: PeriodParts) -> Result<Self> {
        Self::new(p.from, p.to)
    }
}

impl From<Period> for PeriodParts {
    fn from(p: Period) -> Self {
        Self { from: p.from, to: p.to }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} – {}", self.from, self.to)
    }
}

/// Which dossiers and procedures a [`Scope`] covers, decided without a store:
/// built from the scope and the agency list, then tested per dossier header or
/// procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeTest {
    scope: Scope,
    /// For agency scopes: the agencies covered.
    agencies: Option<BTreeSet<AgencyCode>>,
    /// The levels of the agencies covered (every level for a non-agency scope).
    levels: BTreeSet<Level>,
}

impl ScopeTest {
    /// Builds the test of `scope` over `agencies` (every agency of the store).
    /// A subtree is the agency and every agency whose parent chain reaches it;
    /// an agency missing from the list covers nothing.
    pub fn new(scope: &Scope, agencies: &[Agency]) -> Self {
        let by_code: BTreeMap<&AgencyCode, &Agency> =
            agencies.iter().map(|a| (a.code(), a)).collect();
        let covered: Option<BTreeSet<AgencyCode>> = match scope {
            Scope::Agency(code) => {
                Some(by_code.get(code).map(|a| a.code().clone()).into_iter().collect())
            }
            Scope::Subtree(root) => Some(
                agencies
                    .iter()
                    .filter(|a| {
                        let mut current = Some(a.code());
                        // The parent chain is bounded by the number of agencies,
                        // so a damaged (cyclic) list cannot loop.
                        for _ in 0..=agencies.len() {
                            match current {
                                Some(code) if code == root => return true,
                                Some(code) => {
                                    current = by_code.get(code).and_then(|x| x.parent());
                                }
                                None => return false,
                            }
                        }
                        false
                    })
                    .map(|a| a.code().clone())
                    .collect(),
            ),
            Scope::Level(level) => Some(
                agencies.iter().filter(|a| a.level() == *level).map(|a| a.code().clone()).collect(),
            ),
            Scope::All | Scope::Field(_) | Scope::Procedure(_) => None,
        };
        let levels = match &covered {
            Some(set) => set.iter().filter_map(|c| by_code.get(c)).map(|a| a.level()).collect(),
            None => Level::ALL.into_iter().collect(),
        };
        Self { scope: scope.clone(), agencies: covered, levels }
    }

    /// Returns whether the scope covers a dossier with `header` (by the agency
    /// responsible at receipt, its field, its procedure).
    pub fn contains(&self, header: &DossierHeader) -> bool {
        match &self.scope {
            Scope::All => true,
            Scope::Field(field) => &header.field == field,
            Scope::Procedure(code) => &header.procedure == code,
            Scope::Agency(_) | Scope::Subtree(_) | Scope::Level(_) => {
                self.agencies.as_ref().is_some_and(|set| set.contains(&header.agency))
            }
        }
    }

    /// Returns whether the scope covers `procedure` for the catalogue indicators
    /// (1.1, 3.1, 3.2, 3.5): an agency scope covers the procedures competent at a
    /// level of one of its agencies (a procedure without levels counts at every
    /// level); a field or procedure scope covers its own.
    pub fn covers_procedure(&self, procedure: &Procedure) -> bool {
        match &self.scope {
            Scope::All => true,
            Scope::Field(field) => procedure.field() == field,
            Scope::Procedure(code) => procedure.code() == code,
            Scope::Agency(_) | Scope::Subtree(_) | Scope::Level(_) => {
                procedure.levels().is_empty()
                    || procedure.levels().iter().any(|l| self.levels.contains(l))
            }
        }
    }

    /// Returns the levels of the agencies covered.
    pub fn levels(&self) -> &BTreeSet<Level> {
        &self.levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_test_follows_parents_and_levels() {
        let code = |s: &str| AgencyCode::new(s).unwrap();
        let p = Agency::province(code("000.00.00.H49"), "Tỉnh").unwrap();
        let d = Agency::district(code("000.00.21.H49"), "Huyện", p.code()).unwrap();
        let c = Agency::commune(code("000.21.01.H49"), "Xã", d.code()).unwrap();
        let other = Agency::province(code("000.00.00.H48"), "Tỉnh khác").unwrap();
        let all = [p.clone(), d.clone(), c.clone(), other.clone()];
        let test = ScopeTest::new(&Scope::subtree(d.code()), &all);
        assert_eq!(test.levels(), &BTreeSet::from([Level::District, Level::Commune]));
        let procedure = |levels: &[Level]| {
            Procedure::builder(
                crate::ProcedureCode::new("1.000001").unwrap(),
                "Thủ tục",
                crate::Field::new("Hộ tịch").unwrap(),
                crate::TimeLimit::working_days(1),
            )
            .levels(levels)
            .build()
            .unwrap()
        };
        assert!(test.covers_procedure(&procedure(&[Level::Commune])));
        assert!(!test.covers_procedure(&procedure(&[Level::Province])));
        assert!(test.covers_procedure(&procedure(&[])));
        let whole = ScopeTest::new(&Scope::subtree(p.code()), &all);
        let level = ScopeTest::new(&Scope::Level(Level::Province), &all);
        let unknown = ScopeTest::new(&Scope::subtree(&code("000.00.00.H01")), &all);
        let header = |agency: &Agency| DossierHeader {
            code: crate::DossierCode::new("000.00.00.H49-240301-0001").unwrap(),
            procedure: crate::ProcedureCode::new("1.000001").unwrap(),
            field: crate::Field::new("Hộ tịch").unwrap(),
            agency: agency.code().clone(),
            channel: crate::Channel::Direct,
            limit: crate::TimeLimit::working_days(1),
            fee_bearing: false,
            paper_result: false,
            digitised: false,
            reused_data: false,
        };
        assert_eq!(
            all.iter().map(|a| test.contains(&header(a))).collect::<Vec<_>>(),
            [false, true, true, false]
        );
        assert_eq!(
            all.iter().map(|a| whole.contains(&header(a))).collect::<Vec<_>>(),
            [true, true, true, false]
        );
        assert_eq!(
            all.iter().map(|a| level.contains(&header(a))).collect::<Vec<_>>(),
            [true, false, false, true]
        );
        assert!(all.iter().all(|a| !unknown.contains(&header(a))));
    }
}
