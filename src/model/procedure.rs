//! Administrative procedures (thủ tục hành chính) and their versions.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::id::{Field, ProcedureCode};
use crate::model::agency::{Level, check_name};
use crate::model::time_limit::TimeLimit;
use crate::model::time_limit::check_date;
use crate::{Error, Result};

/// How far a procedure is offered online (dịch vụ công trực tuyến).
///
/// Decree 42/2022 replaced the four legacy levels with "partial" and "full"; the
/// usual mapping is levels 1–2 → none, 3 → partial, 4 → full (a convention, not law).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Not an online service (information and forms only at most).
    None,
    /// Partial online service (DVCTT một phần).
    Partial,
    /// Full online service (DVCTT toàn trình).
    Full,
}

impl OnlineLevel {
    /// Maps a legacy level (mức độ 1–4, before Decree 42/2022).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a level outside 1–4.
    pub fn from_legacy(level: u8) -> Result<Self> {
        match level {
            1 | 2 => Ok(Self::None),
            3 => Ok(Self::Partial),
            4 => Ok(Self::Full),
            _ => Err(Error::invalid(
                "procedure.online_level",
                format!("legacy level {level} is not 1–4"),
            )),
        }
    }

    /// Returns whether any online service is offered.
    pub fn is_online(self) -> bool {
        self != Self::None
    }
}

/// Whether a procedure is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureStatus {
    /// In force (còn hiệu lực).
    InForce,
    /// Abolished (bãi bỏ) from the version's effective date.
    Abolished,
}

/// What an announcement decision (quyết định công bố) did to a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnouncementKind {
    /// A new procedure (ban hành mới).
    New,
    /// An amended procedure (sửa đổi, bổ sung).
    Amended,
    /// A procedure replaced by another (thay thế).
    Replaced,
    /// An abolished procedure (bãi bỏ).
    Abolished,
}

/// An announcement decision that created, amended, replaced or abolished a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// The decision number, such as `892/QĐ-UBND`.
    pub number: String,
    /// The signing date.
    #[serde(with = "crate::serde_forms::one")]
    pub signed: Date,
    /// The date the decision takes effect.
    #[serde(with = "crate::serde_forms::one")]
    pub effective: Date,
    /// What it did.
    pub kind: AnnouncementKind,
}

impl Announcement {
    fn validate(&self) -> Result<()> {
        check_name("announcement.number", &self.number)?;
        check_date("announcement.signed", self.signed)?;
        check_date("announcement.effective", self.effective)?;
        if self.effective < self.signed {
            return Err(Error::invalid("announcement.effective", "is before the signing date"));
        }
        Ok(())
    }
}

/// One version of an administrative procedure: the rules in force from
/// `effective_from` until the next version of the same code.
///
/// Build it with [`Procedure::builder`]; a built procedure is valid.
///
/// ```
/// use cchc::{Field, Procedure, ProcedureCode, TimeLimit};
/// use cchc::model::procedure::OnlineLevel;
/// use time::macros::date;
/// let p = Procedure::builder(
///     ProcedureCode::new("1.004227")?,
///     "Đăng ký khai sinh",
///     Field::new("Hộ tịch")?,
///     TimeLimit::working_days(15),
/// )
/// .reduced_limit(TimeLimit::working_days(10))
/// .online(OnlineLevel::Full)
/// .effective_from(date!(2023 - 01 - 01))
/// .build()?;
/// assert_eq!(p.limit(), TimeLimit::working_days(10));
/// assert!((p.cut_fraction().unwrap_or(0.0) - 1.0 / 3.0).abs() < 1e-12);
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProcedureParts", into = "ProcedureParts")]
pub struct Procedure {
    code: ProcedureCode,
    name: String,
    field: Field,
    levels: Vec<Level>,
    handling_agency: Option<String>,
    central_limit: TimeLimit,
    reduced_limit: Option<TimeLimit>,
    online: OnlineLevel,
    full_online_eligible: bool,
    national_portal: bool,
    fee_bearing: bool,
    online_payment: bool,
    paper_result: bool,
    status: ProcedureStatus,
    effective_from: Date,
    announcements: Vec<Announcement>,
}

/// Builds a [`Procedure`], validating everything at [`ProcedureBuilder::build`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ProcedureBuilder {
    inner: Procedure,
}

impl Procedure {
    /// Starts building a procedure with its mandatory parts: code, name, field and the
    /// central (statutory) time limit. Defaults: all levels empty (set them), no
    /// reduced limit, not online, no fee, no paper result, in force since always
    /// (`Date::MIN`) until an `effective_from` is set.
    pub fn builder(
        code: ProcedureCode,
        name: &str,
        field: Field,
        limit: TimeLimit,
    ) -> ProcedureBuilder {
        ProcedureBuilder {
            inner: Procedure {
                code,
                name: name.to_owned(),
                field,
                levels: Vec::new(),
                handling_agency: None,
                central_limit: limit,
                reduced_limit: None,
                online: OnlineLevel::None,
                full_online_eligible: false,
                national_portal: false,
                fee_bearing: false,
                online_payment: false,
                paper_result: false,
                status: ProcedureStatus::InForce,
                effective_from: Date::MIN,
                announcements: Vec::new(),
            },
        }
    }

    /// Returns the national code.
    pub fn code(&self) -> &ProcedureCode {
        &self.code
    }
    /// Returns the name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Returns the field (lĩnh vực).
    pub fn field(&self) -> &Field {
        &self.field
    }
    /// Returns the levels competent to handle it.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }
    /// Returns the handling agency's description, if given.
    pub fn handling_agency(&self) -> Option<&str> {
        self.handling_agency.as_deref()
    }
    /// Returns the central (statutory) time limit.
    pub fn central_limit(&self) -> TimeLimit {
        self.central_limit
    }
    /// Returns the locally reduced time limit, if the province cut it.
    pub fn reduced_limit(&self) -> Option<TimeLimit> {
        self.reduced_limit
    }
    /// Returns the limit dossiers are timed against: the reduced one if any.
    pub fn limit(&self) -> TimeLimit {
        self.reduced_limit.unwrap_or(self.central_limit)
    }
    /// Returns the fraction by which the local limit cuts the central one
    /// (`None` without a reduced limit or with a zero central limit).
    pub fn cut_fraction(&self) -> Option<f64> {
        let reduced = self.reduced_limit?;
        (self.central_limit.amount > 0).then(|| {
            f64::from(self.central_limit.amount - reduced.amount)
                / f64::from(self.central_limit.amount)
        })
    }
    /// Returns the online service level.
    pub fn online(&self) -> OnlineLevel {
        self.online
    }
    /// Returns whether the procedure is eligible to be a full online service.
    pub fn full_online_eligible(&self) -> bool {
        self.full_online_eligible || self.online == OnlineLevel::Full
    }
    /// Returns whether its online service is integrated on the national portal.
    pub fn national_portal(&self) -> bool {
        self.national_portal
    }
    /// Returns whether it has a fee or charge (nghĩa vụ tài chính).
    pub fn fee_bearing(&self) -> bool {
        self.fee_bearing
    }
    /// Returns whether online payment is integrated.
    pub fn online_payment(&self) -> bool {
        self.online_payment
    }
    /// Returns whether the result is a paper document (so an electronic result is tracked).
    pub fn paper_result(&self) -> bool {
        self.paper_result
    }
    /// Returns whether this version is in force or abolishes the procedure.
    pub fn status(&self) -> ProcedureStatus {
        self.status
    }
    /// Returns the first day this version applies.
    pub fn effective_from(&self) -> Date {
        self.effective_from
    }
    /// Returns the announcement decisions recorded with this version.
    pub fn announcements(&self) -> &[Announcement] {
        &self.announcements
    }
}

impl ProcedureBuilder {
    /// Sets the competent levels.
    pub fn levels(mut self, levels: &[Level]) -> Self {
        self.inner.levels = levels.to_vec();
        self
    }
    /// Sets the handling agency's description.
    pub fn handling_agency(mut self, agency: &str) -> Self {
        self.inner.handling_agency = Some(agency.to_owned());
        self
    }
    /// Sets the locally reduced time limit (same unit as the central one, not longer).
    pub fn reduced_limit(mut self, limit: TimeLimit) -> Self {
        self.inner.reduced_limit = Some(limit);
        self
    }
    /// Sets the online service level.
    pub fn online(mut self, level: OnlineLevel) -> Self {
        self.inner.online = level;
        self
    }
    /// Marks the procedure as eligible for full online service.
    pub fn full_online_eligible(mut self, eligible: bool) -> Self {
        self.inner.full_online_eligible = eligible;
        self
    }
    /// Marks the online service as integrated on the national portal.
    pub fn national_portal(mut self, integrated: bool) -> Self {
        self.inner.national_portal = integrated;
        self
    }
    /// Marks the procedure as fee-bearing, and whether online payment is integrated.
    pub fn fee(mut self, fee_bearing: bool, online_payment: bool) -> Self {
        self.inner.fee_bearing = fee_bearing;
        self.inner.online_payment = online_payment;
        self
    }
    /// Marks the result as a paper document.
    pub fn paper_result(mut self, paper: bool) -> Self {
        self.inner.paper_result = paper;
        self
    }
    /// Sets the status of this version.
    pub fn status(mut self, status: ProcedureStatus) -> Self {
        self.inner.status = status;
        self
    }
    /// Sets the first day this version applies.
    pub fn effective_from(mut self, date: Date) -> Self {
        self.inner.effective_from = date;
        self
    }
    /// Adds an announcement decision.
    pub fn announcement(mut self, announcement: Announcement) -> Self {
        self.inner.announcements.push(announcement);
        self
    }

    /// Validates and returns the procedure.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the name is empty or too long, a reduced limit has
    /// another unit than the central one or is longer than it, online payment is set
    /// without a fee, an announcement's effective date is before its signing date,
    /// or a date (a set `effective_from`, an announcement's dates) is outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE).
    pub fn build(mut self) -> Result<Procedure> {
        let p = &mut self.inner;
        p.name = check_name("procedure.name", &p.name)?;
        // `Date::MIN` is the "since always" of a builder without `effective_from`.
        if p.effective_from != Date::MIN {
            check_date("procedure.effective_from", p.effective_from)?;
        }
        if let Some(agency) = &p.handling_agency {
            p.handling_agency = Some(check_name("procedure.handling_agency", agency)?);
        }
        if let Some(reduced) = p.reduced_limit {
            if reduced.unit != p.central_limit.unit {
                return Err(Error::invalid(
                    "procedure.reduced_limit",
                    "must use the same unit as the central limit",
                ));
            }
            if reduced.amount > p.central_limit.amount {
                return Err(Error::invalid(
                    "procedure.reduced_limit",
                    format!("{reduced} is longer than the central limit {}", p.central_limit),
                ));
            }
        }
        if p.online_payment && !p.fee_bearing {
            return Err(Error::invalid("procedure.online_payment", "set without a fee"));
        }
        for a in &p.announcements {
            a.validate()?;
        }
        p.levels.sort_unstable();
        p.levels.dedup();
        Ok(self.inner)
    }
}

/// The serde form of a [`Procedure`]: deserializing goes through
/// [`ProcedureBuilder::build`] and its checks.
#[derive(Serialize, Deserialize)]
struct ProcedureParts {
    code: ProcedureCode,
    name: String,
    field: Field,
    levels: Vec<Level>,
    handling_agency: Option<String>,
    central_limit: TimeLimit,
    reduced_limit: Option<TimeLimit>,
    online: OnlineLevel,
    full_online_eligible: bool,
    national_portal: bool,
    fee_bearing: bool,
    online_payment: bool,
    paper_result: bool,
    status: ProcedureStatus,
    #[serde(with = "crate::serde_forms::one")]
    effective_from: Date,
    announcements: Vec<Announcement>,
}

impl TryFrom<ProcedureParts> for Procedure {
    type Error = Error;
    fn try_from(p: ProcedureParts) -> Result<Self> {
        let mut b = Procedure::builder(p.code, &p.name, p.field, p.central_limit)
            .levels(&p.levels)
            .online(p.online)
            .full_online_eligible(p.full_online_eligible)
            .national_portal(p.national_portal)
            .fee(p.fee_bearing, p.online_payment)
            .paper_result(p.paper_result)
            .status(p.status)
            .effective_from(p.effective_from);
        if let Some(agency) = &p.handling_agency {
            b = b.handling_agency(agency);
        }
        if let Some(reduced) = p.reduced_limit {
            b = b.reduced_limit(reduced);
        }
        for a in p.announcements {
            b = b.announcement(a);
        }
        b.build()
    }
}

impl From<Procedure> for ProcedureParts {
    fn from(p: Procedure) -> Self {
        Self {
            code: p.code,
            name: p.name,
            field: p.field,
            levels: p.levels,
            handling_agency: p.handling_agency,
            central_limit: p.central_limit,
            reduced_limit: p.reduced_limit,
            online: p.online,
            full_online_eligible: p.full_online_eligible,
            national_portal: p.national_portal,
            fee_bearing: p.fee_bearing,
            online_payment: p.online_payment,
            paper_result: p.paper_result,
            status: p.status,
            effective_from: p.effective_from,
            announcements: p.announcements,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time_limit::TimeUnit;

    fn base() -> ProcedureBuilder {
        Procedure::builder(
            ProcedureCode::new("1.004227").unwrap(),
            "Đăng ký khai sinh",
            Field::new("Hộ tịch").unwrap(),
            TimeLimit::working_days(15),
        )
    }

    #[test]
    fn reduced_limit_must_not_exceed_central() {
        assert!(base().reduced_limit(TimeLimit::working_days(15)).build().is_ok());
        let err = base().reduced_limit(TimeLimit::working_days(16)).build().unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field: "procedure.reduced_limit", .. }));
        let err = base()
            .reduced_limit(TimeLimit { amount: 5, unit: TimeUnit::CalendarDays })
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field: "procedure.reduced_limit", .. }));
    }

    #[test]
    fn legacy_levels_map_to_decree_42_levels() {
        assert_eq!(OnlineLevel::from_legacy(2).unwrap(), OnlineLevel::None);
        assert_eq!(OnlineLevel::from_legacy(3).unwrap(), OnlineLevel::Partial);
        assert_eq!(OnlineLevel::from_legacy(4).unwrap(), OnlineLevel::Full);
        assert!(OnlineLevel::from_legacy(5).is_err());
        assert!(OnlineLevel::from_legacy(0).is_err());
    }

    #[test]
    fn bad_inputs_are_rejected() {
        assert!(base().fee(false, true).build().is_err());
        let mut b = base();
        b.inner.name = "   ".into();
        assert!(b.build().is_err());
        let a = Announcement {
            number: "1/QĐ-UBND".into(),
            signed: time::macros::date!(2024 - 02 - 01),
            effective: time::macros::date!(2024 - 01 - 01),
            kind: AnnouncementKind::New,
        };
        assert!(base().announcement(a).build().is_err());
    }

    #[test]
    fn deserializing_validates() {
        let p = base().reduced_limit(TimeLimit::working_days(10)).build().unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Procedure>(&json).unwrap(), p);
        let longer = json.replace("\"amount\":10", "\"amount\":99");
        assert!(serde_json::from_str::<Procedure>(&longer).is_err(), "{longer}");
    }

    #[test]
    fn cut_fraction() {
        let p = base().reduced_limit(TimeLimit::working_days(10)).build().unwrap();
        assert!((p.cut_fraction().unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(base().build().unwrap().cut_fraction(), None);
    }
}
