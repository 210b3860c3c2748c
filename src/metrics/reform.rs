//! Reform metrics outside dossiers: feedback handling (Decision 766 indicators 5.1–5.3),
//! reform plan progress, and the change of the organisation against a baseline year.

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::id::AgencyCode;
use crate::metrics::display::{Lang, format_count};
use crate::metrics::report::Ratio;
use crate::model::calendar::WorkCalendar;
use crate::model::feedback::{Feedback, FeedbackKind, Satisfaction};
use crate::model::organisation::{OrganisationCounts, OrganisationSnapshot};
use crate::model::plan::ReformPlan;
use crate::model::scope::Period;
use crate::model::time_limit::vietnam_date;
use crate::{Error, Result};

fn ratio_text(ratio: Option<Ratio>, lang: Lang) -> String {
    ratio.map_or_else(|| "–".to_owned(), |r| r.display(lang))
}

fn count(n: u64, lang: Lang) -> String {
    format_count(i64::try_from(n).unwrap_or(i64::MAX), lang)
}

/// Feedback (phản ánh, kiến nghị) received in a period and what became of it by the
/// end of the period.
///
/// - *received*: received on a day of the period (Vietnam time); every other count is
///   of these items;
/// - *handled*: answered or rejected by the end of the period (00:00 after its last day);
/// - *transferred*: transferred by the end of the period;
/// - *handled on time*: handled by the end of the period and on time under
///   [`Feedback::on_time`] (766 indicator 5.2, over the items received);
/// - *overdue*: [`Feedback::is_overdue_at`] the end of the period;
/// - *satisfaction* (766 indicator 5.3): `(received − items not satisfied, complained
///   about further, or overdue) / received`, each item subtracted at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackStats {
    /// The period.
    pub period: Period,
    /// Items received.
    pub received: u64,
    /// Items about regulations or procedures.
    pub about_regulations: u64,
    /// Items about staff.
    pub about_staff: u64,
    /// Items answered or rejected by the end of the period.
    pub handled: u64,
    /// Of which answered.
    pub answered: u64,
    /// Of which rejected.
    pub rejected: u64,
    /// Items transferred by the end of the period.
    pub transferred: u64,
    /// Items handled on time.
    pub handled_on_time: u64,
    /// Items with a "not satisfied" response.
    pub not_satisfied: u64,
    /// Items with a further complaint about the result.
    pub further_complaints: u64,
    /// Items overdue at the end of the period.
    pub overdue: u64,
    /// Items counted against satisfaction: not satisfied, complained about, or overdue.
    pub unsatisfactory: u64,
}

impl FeedbackStats {
    /// Computes the statistics of `items` (those received outside `period` are
    /// ignored), timing them over `calendar`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the calendar cannot count an item's deadline.
    pub fn compute<'a>(
        items: impl IntoIterator<Item = &'a Feedback>,
        period: Period,
        calendar: &WorkCalendar,
    ) -> Result<Self> {
        let end = period.end_instant();
        let mut s = Self {
            period,
            received: 0,
            about_regulations: 0,
            about_staff: 0,
            handled: 0,
            answered: 0,
            rejected: 0,
            transferred: 0,
            handled_on_time: 0,
            not_satisfied: 0,
            further_complaints: 0,
            overdue: 0,
            unsatisfactory: 0,
        };
        for item in items.into_iter().filter(|i| period.contains(vietnam_date(i.received_at()))) {
            s.received += 1;
            match item.kind() {
                FeedbackKind::Regulation => s.about_regulations += 1,
                FeedbackKind::Staff => s.about_staff += 1,
            }
            let handled = item.handled_at().is_some_and(|h| h < end);
            if handled {
                s.handled += 1;
                s.answered += u64::from(item.answered_at().is_some());
                s.rejected += u64::from(item.rejected_at().is_some());
                s.handled_on_time += u64::from(item.on_time(calendar)? == Some(true));
            }
            s.transferred += u64::from(item.transferred_at().is_some_and(|t| t < end));
            let not_satisfied = item.satisfaction() == Satisfaction::NotSatisfied;
            let overdue = item.is_overdue_at(calendar, end)?;
            s.not_satisfied += u64::from(not_satisfied);
            s.further_complaints += u64::from(item.further_complaint());
            s.overdue += u64::from(overdue);
            s.unsatisfactory += u64::from(not_satisfied || item.further_complaint() || overdue);
        }
        Ok(s)
    }

    /// Returns `handled / received`.
    pub fn handled_rate(&self) -> Option<Ratio> {
        Ratio::new(self.handled, self.received)
    }
    /// Returns `about_regulations / received` (766 indicator 5.1).
    pub fn regulation_share(&self) -> Option<Ratio> {
        Ratio::new(self.about_regulations, self.received)
    }
    /// Returns `about_staff / received` (766 indicator 5.1).
    pub fn staff_share(&self) -> Option<Ratio> {
        Ratio::new(self.about_staff, self.received)
    }
    /// Returns `handled_on_time / received` (766 indicator 5.2).
    pub fn on_time_rate(&self) -> Option<Ratio> {
        Ratio::new(self.handled_on_time, self.received)
    }
    /// Returns `(received − unsatisfactory) / received` (766 indicator 5.3).
    pub fn satisfaction_rate(&self) -> Option<Ratio> {
        Ratio::new(self.received.saturating_sub(self.unsatisfactory), self.received)
    }

    /// Formats the statistics in `lang`.
    pub fn display(&self, lang: Lang) -> String {
        format!(
            "{} {}: {} {}; {}: {}; {}: {}; {}: {}; {}: {}",
            lang.pick("Phản ánh, kiến nghị", "Feedback"),
            self.period,
            count(self.received, lang),
            lang.pick("tiếp nhận", "received"),
            lang.pick("đã xử lý", "handled"),
            ratio_text(self.handled_rate(), lang),
            lang.pick("đã chuyển", "transferred"),
            count(self.transferred, lang),
            lang.pick("đúng hạn", "on time"),
            ratio_text(self.on_time_rate(), lang),
            lang.pick("hài lòng", "satisfaction"),
            ratio_text(self.satisfaction_rate(), lang),
        )
    }
}

impl fmt::Display for FeedbackStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Lang::Vi))
    }
}

/// A reform plan's progress on a date.
///
/// Tasks created after `as_of` are left out; a task is completed when its completion
/// day is on or before `as_of`, and overdue when its deadline is before `as_of` and it
/// is not completed by then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanProgress {
    /// The unit.
    pub unit: AgencyCode,
    /// The plan's year.
    pub year: i32,
    /// The date.
    #[serde(with = "crate::serde_forms::one")]
    pub as_of: Date,
    /// Tasks existing on the date.
    pub tasks: u64,
    /// Tasks completed by the date.
    pub completed: u64,
    /// Of the completed tasks, those completed after their deadline.
    pub completed_late: u64,
    /// The ids of the overdue tasks, in plan order.
    pub overdue: Vec<String>,
}

impl PlanProgress {
    /// Computes the progress of `plan` on `as_of`.
    pub fn compute(plan: &ReformPlan, as_of: Date) -> Self {
        let existing = plan.tasks().iter().filter(|t| t.exists_on(as_of));
        let mut p = Self {
            unit: plan.unit().clone(),
            year: plan.year(),
            as_of,
            tasks: 0,
            completed: 0,
            completed_late: 0,
            overdue: Vec::new(),
        };
        for task in existing {
            p.tasks += 1;
            if task.is_completed_by(as_of) {
                p.completed += 1;
                p.completed_late += u64::from(task.was_late());
            }
            if task.is_overdue_on(as_of) {
                p.overdue.push(task.id().to_owned());
            }
        }
        p
    }

    /// Returns `completed / tasks`.
    pub fn completion_rate(&self) -> Option<Ratio> {
        Ratio::new(self.completed, self.tasks)
    }

    /// Formats the progress in `lang`.
    pub fn display(&self, lang: Lang) -> String {
        format!(
            "{} {} {} ({}): {} {}; {}: {}",
            lang.pick("Kế hoạch CCHC", "Reform plan"),
            self.year,
            self.unit,
            self.as_of,
            lang.pick("hoàn thành", "completed"),
            ratio_text(self.completion_rate(), lang),
            lang.pick("quá hạn", "overdue"),
            count(self.overdue.len() as u64, lang),
        )
    }
}

impl fmt::Display for PlanProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Lang::Vi))
    }
}

/// Signed changes of organisation counts (current − baseline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct OrganisationDelta {
    /// Change in specialised agencies.
    pub agencies: i64,
    /// Change in divisions.
    pub divisions: i64,
    /// Change in sub-departments.
    pub sub_departments: i64,
    /// Change in district divisions.
    pub district_divisions: i64,
}

/// A unit's organisation in a year compared with a baseline year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationChange {
    /// The unit.
    pub unit: AgencyCode,
    /// The year compared.
    pub year: i32,
    /// The baseline year.
    pub baseline_year: i32,
    /// The counts in `year`.
    pub current: OrganisationCounts,
    /// The counts in `baseline_year`.
    pub baseline: OrganisationCounts,
    /// `current − baseline`.
    pub delta: OrganisationDelta,
}

impl OrganisationChange {
    /// Compares `current` with `baseline`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the snapshots are of different units.
    pub fn compute(
        current: &OrganisationSnapshot,
        baseline: &OrganisationSnapshot,
    ) -> Result<Self> {
        if current.unit() != baseline.unit() {
            return Err(Error::invalid(
                "organisation.unit",
                format!("cannot compare {} with {}", current.unit(), baseline.unit()),
            ));
        }
        let (c, b) = (current.counts(), baseline.counts());
        let d = |x: u32, y: u32| i64::from(x) - i64::from(y);
        Ok(Self {
            unit: current.unit().clone(),
            year: current.year(),
            baseline_year: baseline.year(),
            current: c,
            baseline: b,
            delta: OrganisationDelta {
                agencies: d(c.agencies, b.agencies),
                divisions: d(c.divisions, b.divisions),
                sub_departments: d(c.sub_departments, b.sub_departments),
                district_divisions: d(c.district_divisions, b.district_divisions),
            },
        })
    }

    /// Formats the change in `lang`, one line per count: `21 (−2 so với 2015)`.
    pub fn display(&self, lang: Lang) -> String {
        let rows = [
            (
                lang.pick("Cơ quan chuyên môn", "Specialised agencies"),
                self.current.agencies,
                self.delta.agencies,
            ),
            (lang.pick("Phòng", "Divisions"), self.current.divisions, self.delta.divisions),
            (
                lang.pick("Chi cục", "Sub-departments"),
                self.current.sub_departments,
                self.delta.sub_departments,
            ),
            (
                lang.pick("Phòng cấp huyện", "District divisions"),
                self.current.district_divisions,
                self.delta.district_divisions,
            ),
        ];
        let mut out = format!(
            "{} {} ({}):",
            lang.pick("Tổ chức bộ máy", "Organisation"),
            self.unit,
            self.year
        );
        for (label, now, delta) in rows {
            let sign = match delta.signum() {
                -1 => "−",
                1 => "+",
                _ => "±",
            };
            let _ = write!(
                out,
                "\n  {label}: {} ({sign}{} {} {})",
                format_count(i64::from(now), lang),
                format_count(delta.abs(), lang),
                lang.pick("so với", "against"),
                self.baseline_year
            );
        }
        out
    }
}

impl fmt::Display for OrganisationChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Lang::Vi))
    }
}
