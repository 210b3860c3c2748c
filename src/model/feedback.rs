//! Feedback and petitions (phản ánh, kiến nghị, PAKN), such as the calls and messages
//! of the 1022 public-service hotline, and the Decision 766 timing rules for them.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::id::AgencyCode;
use crate::model::calendar::WorkCalendar;
use crate::model::time_limit::{check_instant, vietnam_date};
use crate::{Error, Result};

/// Working days allowed to reject an item, counted from submission (766 indicator 5.2).
pub const REJECT_WITHIN_WORKING_DAYS: u32 = 2;
/// Working days allowed to ask the sender for more information, counted from submission.
pub const SUPPLEMENT_WITHIN_WORKING_DAYS: u32 = 5;
/// Working days allowed to answer, counted from submission or from the last transfer.
pub const ANSWER_WITHIN_WORKING_DAYS: u32 = 15;

/// The identifier of a feedback item as the receiving system numbers it: 1–64
/// printable characters without spaces at either end.
///
/// ```
/// use cchc::model::feedback::FeedbackId;
/// assert_eq!(FeedbackId::new("1022-2023-000001")?.as_str(), "1022-2023-000001");
/// assert!(FeedbackId::new("  ").is_err());
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FeedbackId(String);

impl FeedbackId {
    /// Validates an identifier.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when it is empty after trimming, longer than 64
    /// characters, or contains control characters or characters that can disguise
    /// it (format characters such as U+202E, zero-width spaces).
    pub fn new(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 64 {
            return Err(Error::invalid("feedback.id", "must be 1–64 printable characters"));
        }
        crate::model::text::check_shown("feedback.id", text, false)?;
        Ok(Self(text.to_owned()))
    }

    /// Returns the identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FeedbackId {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        Self::new(&text)
    }
}

impl From<FeedbackId> for String {
    fn from(id: FeedbackId) -> Self {
        id.0
    }
}

impl std::fmt::Display for FeedbackId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a feedback item is about (766 indicator 5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    /// About regulations or administrative procedures (quy định, TTHC).
    #[serde(alias = "Regulation")]
    Regulation,
    /// About the conduct of officials and staff (hành vi của cán bộ, công chức).
    #[serde(alias = "Staff")]
    Staff,
}

/// The sender's satisfaction response after the answer (766 indicator 5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// No response. On the national portal, as many likes as dislikes or none.
    #[default]
    #[serde(alias = "None")]
    None,
    /// Satisfied.
    #[serde(alias = "Satisfied")]
    Satisfied,
    /// Not satisfied. On the national portal, more dislikes than likes.
    #[serde(alias = "NotSatisfied")]
    NotSatisfied,
}

/// A feedback item (phản ánh, kiến nghị) received by an agency, with what was done.
///
/// Build it with [`Feedback::new`] and the `with_*` steps; every step validates, so a
/// value is consistent: every instant is at or after receipt, an item is either
/// answered or rejected (not both), and a satisfaction response or a further complaint
/// needs an answer.
///
/// ```
/// use cchc::{AgencyCode, WorkCalendar};
/// use cchc::model::feedback::{Feedback, FeedbackId, FeedbackKind};
/// use time::macros::datetime;
/// let item = Feedback::new(
///     FeedbackId::new("1022-000001")?,
///     AgencyCode::new("000.00.00.H49")?,
///     datetime!(2023-11-01 09:00 +07:00),
///     FeedbackKind::Regulation,
/// )?
/// .with_answer(datetime!(2023-11-20 10:00 +07:00))?;
/// // Wednesday 1/11 + 15 working days = Wednesday 22/11.
/// assert_eq!(item.on_time(&WorkCalendar::vietnam())?, Some(true));
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FeedbackParts", into = "FeedbackParts")]
pub struct Feedback {
    id: FeedbackId,
    agency: AgencyCode,
    received_at: OffsetDateTime,
    kind: FeedbackKind,
    transferred_at: Option<OffsetDateTime>,
    supplement_requested_at: Option<OffsetDateTime>,
    answered_at: Option<OffsetDateTime>,
    rejected_at: Option<OffsetDateTime>,
    satisfaction: Satisfaction,
    further_complaint: bool,
}

impl Feedback {
    /// A new item received by `agency` at `received_at`, not yet handled.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `received_at` is outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE).
    pub fn new(
        id: FeedbackId,
        agency: AgencyCode,
        received_at: OffsetDateTime,
        kind: FeedbackKind,
    ) -> Result<Self> {
        check_instant("feedback.received_at", received_at)?;
        Ok(Self {
            id,
            agency,
            received_at,
            kind,
            transferred_at: None,
            supplement_requested_at: None,
            answered_at: None,
            rejected_at: None,
            satisfaction: Satisfaction::None,
            further_complaint: false,
        })
    }

    fn check_after_receipt(&self, field: &'static str, at: OffsetDateTime) -> Result<()> {
        check_instant(field, at)?;
        if at < self.received_at {
            return Err(Error::invalid(field, "is before the item was received"));
        }
        Ok(())
    }

    /// Records the last transfer to the competent agency (chuyển xử lý). The answer is
    /// then due 15 working days after it.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `at` is before receipt, after the item was
    /// answered or rejected, or outside the supported range.
    pub fn with_transfer(mut self, at: OffsetDateTime) -> Result<Self> {
        self.check_after_receipt("feedback.transferred_at", at)?;
        if self.handled_at().is_some_and(|h| at > h) {
            return Err(Error::invalid("feedback.transferred_at", "is after the item was handled"));
        }
        self.transferred_at = Some(at);
        Ok(self)
    }

    /// Records a request to the sender for more information.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `at` is before receipt, after the item was
    /// answered or rejected, or outside the supported range.
    pub fn with_supplement_request(mut self, at: OffsetDateTime) -> Result<Self> {
        self.check_after_receipt("feedback.supplement_requested_at", at)?;
        if self.handled_at().is_some_and(|h| at > h) {
            return Err(Error::invalid(
                "feedback.supplement_requested_at",
                "is after the item was handled",
            ));
        }
        self.supplement_requested_at = Some(at);
        Ok(self)
    }

    /// Records the answer (trả lời), which handles the item.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `at` is before receipt, before the last transfer or
    /// the supplement request, outside the supported range, or the item was rejected.
    pub fn with_answer(mut self, at: OffsetDateTime) -> Result<Self> {
        self.check_handling("feedback.answered_at", at)?;
        self.answered_at = Some(at);
        Ok(self)
    }

    /// Records the rejection (từ chối tiếp nhận), which handles the item.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `at` is before receipt, before the last transfer or
    /// the supplement request, outside the supported range, or the item was answered.
    pub fn with_rejection(mut self, at: OffsetDateTime) -> Result<Self> {
        self.check_handling("feedback.rejected_at", at)?;
        self.rejected_at = Some(at);
        Ok(self)
    }

    fn check_handling(&self, field: &'static str, at: OffsetDateTime) -> Result<()> {
        self.check_after_receipt(field, at)?;
        if self.answered_at.is_some() || self.rejected_at.is_some() {
            return Err(Error::invalid(field, "the item is already answered or rejected"));
        }
        if self.transferred_at.is_some_and(|t| at < t)
            || self.supplement_requested_at.is_some_and(|t| at < t)
        {
            return Err(Error::invalid(field, "is before an earlier step of the item"));
        }
        Ok(())
    }

    /// Records the sender's satisfaction response.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the item is not answered.
    pub fn with_satisfaction(mut self, satisfaction: Satisfaction) -> Result<Self> {
        if satisfaction != Satisfaction::None && self.answered_at.is_none() {
            return Err(Error::invalid("feedback.satisfaction", "needs an answer"));
        }
        self.satisfaction = satisfaction;
        Ok(self)
    }

    /// Records whether the sender complained further about the result.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when set on an item that is not answered.
    pub fn with_further_complaint(mut self, complained: bool) -> Result<Self> {
        if complained && self.answered_at.is_none() {
            return Err(Error::invalid("feedback.further_complaint", "needs an answer"));
        }
        self.further_complaint = complained;
        Ok(self)
    }

    /// Returns the identifier.
    pub fn id(&self) -> &FeedbackId {
        &self.id
    }
    /// Returns the agency that received it.
    pub fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    /// Returns when it was received.
    pub fn received_at(&self) -> OffsetDateTime {
        self.received_at
    }
    /// Returns what it is about.
    pub fn kind(&self) -> FeedbackKind {
        self.kind
    }
    /// Returns when it was last transferred, if it was.
    pub fn transferred_at(&self) -> Option<OffsetDateTime> {
        self.transferred_at
    }
    /// Returns whether it was transferred.
    pub fn is_transferred(&self) -> bool {
        self.transferred_at.is_some()
    }
    /// Returns when more information was requested, if it was.
    pub fn supplement_requested_at(&self) -> Option<OffsetDateTime> {
        self.supplement_requested_at
    }
    /// Returns when it was answered, if it was.
    pub fn answered_at(&self) -> Option<OffsetDateTime> {
        self.answered_at
    }
    /// Returns when it was rejected, if it was.
    pub fn rejected_at(&self) -> Option<OffsetDateTime> {
        self.rejected_at
    }
    /// Returns when it was handled: answered or rejected.
    pub fn handled_at(&self) -> Option<OffsetDateTime> {
        self.answered_at.or(self.rejected_at)
    }
    /// Returns the satisfaction response.
    pub fn satisfaction(&self) -> Satisfaction {
        self.satisfaction
    }
    /// Returns whether the sender complained further about the result.
    pub fn further_complaint(&self) -> bool {
        self.further_complaint
    }

    /// Returns the last day to answer: 15 working days after the day of submission,
    /// or of the last transfer when there was one.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the calendar cannot count that far.
    pub fn answer_due(&self, calendar: &WorkCalendar) -> Result<Date> {
        let start = vietnam_date(self.transferred_at.unwrap_or(self.received_at));
        calendar.add_working_days(start, ANSWER_WITHIN_WORKING_DAYS)
    }

    /// Returns whether the item was handled on time under the 766 indicator 5.2 rules,
    /// or `None` while it is not handled.
    ///
    /// Every step taken must meet its limit, each compared by calendar day in Vietnam
    /// time against the N-th working day after the starting day:
    /// - a rejection within 2 working days of submission;
    /// - a supplement request within 5 working days of submission;
    /// - an answer within 15 working days of submission or of the last transfer.
    ///
    /// The sources give no pause of the answer clock while the sender supplies more
    /// information, so none is applied.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the calendar cannot count that far.
    pub fn on_time(&self, calendar: &WorkCalendar) -> Result<Option<bool>> {
        let received = vietnam_date(self.received_at);
        if let Some(at) = self.supplement_requested_at {
            let due = calendar.add_working_days(received, SUPPLEMENT_WITHIN_WORKING_DAYS)?;
            if vietnam_date(at) > due {
                return Ok(self.handled_at().map(|_| false));
            }
        }
        if let Some(at) = self.rejected_at {
            let due = calendar.add_working_days(received, REJECT_WITHIN_WORKING_DAYS)?;
            return Ok(Some(vietnam_date(at) <= due));
        }
        match self.answered_at {
            Some(at) => Ok(Some(vietnam_date(at) <= self.answer_due(calendar)?)),
            None => Ok(None),
        }
    }

    /// Returns whether the item is overdue when looked at at `as_of`: handled late, or
    /// not handled by `as_of` although its answer was due on a day before `as_of`'s
    /// day (Vietnam time).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the calendar cannot count that far.
    pub fn is_overdue_at(&self, calendar: &WorkCalendar, as_of: OffsetDateTime) -> Result<bool> {
        match self.handled_at() {
            Some(h) if h <= as_of => Ok(self.on_time(calendar)? == Some(false)),
            _ => Ok(self.answer_due(calendar)? < vietnam_date(as_of)),
        }
    }
}

/// The serde form of a [`Feedback`]: deserializing goes through [`Feedback::new`] and
/// the `with_*` steps, so a file cannot build an item the constructors would refuse
/// (answered before it was received, both answered and rejected, satisfied without an
/// answer, ...).
#[derive(Serialize, Deserialize)]
struct FeedbackParts {
    id: FeedbackId,
    agency: AgencyCode,
    #[serde(with = "crate::serde_forms::one")]
    received_at: OffsetDateTime,
    kind: FeedbackKind,
    #[serde(default, with = "crate::serde_forms::option")]
    transferred_at: Option<OffsetDateTime>,
    #[serde(default, with = "crate::serde_forms::option")]
    supplement_requested_at: Option<OffsetDateTime>,
    #[serde(default, with = "crate::serde_forms::option")]
    answered_at: Option<OffsetDateTime>,
    #[serde(default, with = "crate::serde_forms::option")]
    rejected_at: Option<OffsetDateTime>,
    satisfaction: Satisfaction,
    further_complaint: bool,
}

impl TryFrom<FeedbackParts> for Feedback {
    type Error = Error;
    fn try_from(p: FeedbackParts) -> Result<Self> {
        // Steps in the order the checks expect: transfer and supplement request before
        // the handling they must precede, the sender's response after the answer.
        let mut item = Feedback::new(p.id, p.agency, p.received_at, p.kind)?;
        if let Some(at) = p.transferred_at {
            item = item.with_transfer(at)?;
        }
        if let Some(at) = p.supplement_requested_at {
            item = item.with_supplement_request(at)?;
        }
        if let Some(at) = p.answered_at {
            item = item.with_answer(at)?;
        }
        if let Some(at) = p.rejected_at {
            item = item.with_rejection(at)?;
        }
        item.with_satisfaction(p.satisfaction)?.with_further_complaint(p.further_complaint)
    }
}

impl From<Feedback> for FeedbackParts {
    fn from(f: Feedback) -> Self {
        Self {
            id: f.id,
            agency: f.agency,
            received_at: f.received_at,
            kind: f.kind,
            transferred_at: f.transferred_at,
            supplement_requested_at: f.supplement_requested_at,
            answered_at: f.answered_at,
            rejected_at: f.rejected_at,
            satisfaction: f.satisfaction,
            further_complaint: f.further_complaint,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn deserializing_validates() {
        let item = Feedback::new(
            FeedbackId::new("1022-000001").unwrap(),
            AgencyCode::new("000.00.00.H49").unwrap(),
            datetime!(2023-11-01 09:00 +07:00),
            FeedbackKind::Regulation,
        )
        .unwrap()
        .with_transfer(datetime!(2023-11-02 09:00 +07:00))
        .unwrap()
        .with_answer(datetime!(2023-11-20 10:00 +07:00))
        .unwrap()
        .with_satisfaction(Satisfaction::Satisfied)
        .unwrap();
        let json = serde_json::to_string(&item).unwrap();
        // The serde form keeps the field names the derive gave.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let mut names: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "agency",
                "answered_at",
                "further_complaint",
                "id",
                "kind",
                "received_at",
                "rejected_at",
                "satisfaction",
                "supplement_requested_at",
                "transferred_at",
            ]
        );
        assert_eq!(serde_json::from_str::<Feedback>(&json).unwrap(), item);

        let answer = serde_json::to_value(item.answered_at()).unwrap();
        let before_receipt =
            serde_json::to_value(Some(datetime!(2023-10-31 09:00 +07:00))).unwrap();
        let mut edited = value.clone();
        edited["answered_at"] = before_receipt;
        assert!(serde_json::from_value::<Feedback>(edited).is_err());
        let mut edited = value.clone();
        edited["rejected_at"] = answer;
        assert!(serde_json::from_value::<Feedback>(edited).is_err(), "answered and rejected");
        let mut edited = value;
        edited["answered_at"] = serde_json::Value::Null;
        assert!(serde_json::from_value::<Feedback>(edited).is_err(), "satisfied, no answer");
    }
}
