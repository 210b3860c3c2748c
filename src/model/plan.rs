//! Reform plans (kế hoạch cải cách hành chính): a unit's plan for a year and its tasks.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::id::AgencyCode;
use crate::model::agency::check_name;
use crate::model::time_limit::{check_date, check_year};
use crate::{Error, Result};

/// One task of a reform plan.
///
/// ```
/// use cchc::model::plan::PlanTask;
/// use time::macros::date;
/// let task = PlanTask::new("1", "Rà soát TTHC", date!(2025 - 01 - 10), date!(2025 - 03 - 31))?
///     .completed_on(date!(2025 - 03 - 20))?;
/// assert!(task.is_completed_by(date!(2025 - 03 - 31)));
/// assert!(PlanTask::new("2", "x", date!(2025 - 01 - 10), date!(2025 - 03 - 31))?
///     .completed_on(date!(2025 - 01 - 09))
///     .is_err());
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PlanTaskParts", into = "PlanTaskParts")]
pub struct PlanTask {
    id: String,
    title: String,
    created: Date,
    deadline: Date,
    completed: Option<Date>,
}

impl PlanTask {
    /// A task `id` (its number in the plan, such as `2.3`) with a title, the day it was
    /// created and its deadline.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the id or title is empty, too long (ids 64,
    /// titles 500 characters) or has control characters, or a date is outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE).
    pub fn new(id: &str, title: &str, created: Date, deadline: Date) -> Result<Self> {
        check_date("plan.task.created", created)?;
        check_date("plan.task.deadline", deadline)?;
        let id = check_name("plan.task.id", id)?;
        if id.chars().count() > 64 {
            return Err(Error::invalid("plan.task.id", "must be at most 64 characters"));
        }
        Ok(Self {
            id,
            title: check_name("plan.task.title", title)?,
            created,
            deadline,
            completed: None,
        })
    }

    /// Returns the task completed on `date`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `date` is before the day the task was created
    /// or outside the supported range.
    pub fn completed_on(mut self, date: Date) -> Result<Self> {
        check_date("plan.task.completed", date)?;
        if date < self.created {
            return Err(Error::invalid(
                "plan.task.completed",
                format!("{date} is before the task was created ({})", self.created),
            ));
        }
        self.completed = Some(date);
        Ok(self)
    }

    /// Returns the task's number in the plan.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Returns the title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Returns the day it was created.
    pub fn created(&self) -> Date {
        self.created
    }
    /// Returns the deadline.
    pub fn deadline(&self) -> Date {
        self.deadline
    }
    /// Returns the day it was completed, if it was.
    pub fn completed(&self) -> Option<Date> {
        self.completed
    }
    /// Returns whether it exists on `date` (created on or before it).
    pub fn exists_on(&self, date: Date) -> bool {
        self.created <= date
    }
    /// Returns whether it was completed on or before `date`.
    pub fn is_completed_by(&self, date: Date) -> bool {
        self.completed.is_some_and(|c| c <= date)
    }
    /// Returns whether it is overdue on `date`: it exists on `date`, its deadline is
    /// before `date`, and it was not completed by `date`.
    ///
    /// A task completed late but before `date` is no longer overdue; it counts in
    /// [`PlanTask::was_late`].
    pub fn is_overdue_on(&self, date: Date) -> bool {
        self.exists_on(date) && self.deadline < date && !self.is_completed_by(date)
    }
    /// Returns whether it was completed after its deadline.
    pub fn was_late(&self) -> bool {
        self.completed.is_some_and(|c| c > self.deadline)
    }
}

/// A unit's reform plan for a year: its tasks, in plan order.
///
/// ```
/// use cchc::AgencyCode;
/// use cchc::model::plan::{PlanTask, ReformPlan};
/// use time::macros::date;
/// let task = PlanTask::new("1", "Rà soát TTHC", date!(2025 - 01 - 10), date!(2025 - 03 - 31))?;
/// let plan = ReformPlan::new(AgencyCode::new("000.00.00.H62")?, 2025, vec![task.clone(), task]);
/// assert!(plan.is_err()); // two tasks numbered 1
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ReformPlanParts", into = "ReformPlanParts")]
pub struct ReformPlan {
    unit: AgencyCode,
    year: i32,
    tasks: Vec<PlanTask>,
}

impl ReformPlan {
    /// A plan of `unit` for `year`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when two tasks share an id or the year is outside
    /// the [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE) (1900–2100).
    pub fn new(unit: AgencyCode, year: i32, tasks: Vec<PlanTask>) -> Result<Self> {
        check_year("plan.year", year)?;
        let mut seen = HashSet::with_capacity(tasks.len());
        for task in &tasks {
            if !seen.insert(task.id.as_str()) {
                return Err(Error::invalid("plan.task.id", format!("{} appears twice", task.id)));
            }
        }
        Ok(Self { unit, year, tasks })
    }

    /// Returns the unit whose plan it is.
    pub fn unit(&self) -> &AgencyCode {
        &self.unit
    }
    /// Returns the year.
    pub fn year(&self) -> i32 {
        self.year
    }
    /// Returns the tasks in plan order.
    pub fn tasks(&self) -> &[PlanTask] {
        &self.tasks
    }
}

/// The serde form of a [`PlanTask`]: deserializing goes through [`PlanTask::new`] and
/// [`PlanTask::completed_on`], so a file cannot build a task the constructors would
/// refuse (an empty id, completed before it was created, ...).
#[derive(Serialize, Deserialize)]
struct PlanTaskParts {
    id: String,
    title: String,
    #[serde(with = "crate::serde_forms::one")]
    created: Date,
    #[serde(with = "crate::serde_forms::one")]
    deadline: Date,
    #[serde(default, with = "crate::serde_forms::option")]
    completed: Option<Date>,
}

impl TryFrom<PlanTaskParts> for PlanTask {
    type Error = Error;
    fn try_from(p: PlanTaskParts) -> Result<Self> {
        let task = PlanTask::new(&p.id, &p.title, p.created, p.deadline)?;
        match p.completed {
            Some(date) => task.completed_on(date),
            None => Ok(task),
        }
    }
}

impl From<PlanTask> for PlanTaskParts {
    fn from(t: PlanTask) -> Self {
        Self {
            id: t.id,
            title: t.title,
            created: t.created,
            deadline: t.deadline,
            completed: t.completed,
        }
    }
}

/// The serde form of a [`ReformPlan`]: deserializing goes through [`ReformPlan::new`]
/// (and each task through [`PlanTask`]'s own checks), so a file cannot build a plan
/// with two tasks of one id or a year outside 1900–2100.
#[derive(Serialize, Deserialize)]
struct ReformPlanParts {
    unit: AgencyCode,
    year: i32,
    tasks: Vec<PlanTask>,
}

impl TryFrom<ReformPlanParts> for ReformPlan {
    type Error = Error;
    fn try_from(p: ReformPlanParts) -> Result<Self> {
        ReformPlan::new(p.unit, p.year, p.tasks)
    }
}

impl From<ReformPlan> for ReformPlanParts {
    fn from(p: ReformPlan) -> Self {
        Self { unit: p.unit, year: p.year, tasks: p.tasks }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn task(id: &str, completed: Option<Date>) -> PlanTask {
        let t = PlanTask::new(id, "Rà soát TTHC", date!(2025 - 01 - 10), date!(2025 - 03 - 31))
            .unwrap();
        match completed {
            Some(d) => t.completed_on(d).unwrap(),
            None => t,
        }
    }

    #[test]
    fn deserializing_a_task_validates() {
        let t = task("1.1", Some(date!(2025 - 03 - 20)));
        let value = serde_json::to_value(&t).unwrap();
        let mut names: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["completed", "created", "deadline", "id", "title"]);
        assert_eq!(serde_json::from_value::<PlanTask>(value.clone()).unwrap(), t);

        let mut edited = value.clone();
        edited["completed"] = serde_json::to_value(Some(date!(2025 - 01 - 09))).unwrap();
        assert!(serde_json::from_value::<PlanTask>(edited).is_err(), "completed before created");
        let mut edited = value;
        edited["id"] = serde_json::Value::from(" ");
        assert!(serde_json::from_value::<PlanTask>(edited).is_err(), "blank id");
    }

    #[test]
    fn deserializing_a_plan_validates() {
        let plan = ReformPlan::new(
            AgencyCode::new("000.00.00.H62").unwrap(),
            2025,
            vec![task("1", Some(date!(2025 - 02 - 01))), task("2", None)],
        )
        .unwrap();
        let json = serde_json::to_string(&plan).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let mut names: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["tasks", "unit", "year"]);
        assert_eq!(serde_json::from_str::<ReformPlan>(&json).unwrap(), plan);

        let duplicate = json.replace("\"id\":\"2\"", "\"id\":\"1\"");
        assert_ne!(duplicate, json);
        assert!(serde_json::from_str::<ReformPlan>(&duplicate).is_err(), "{duplicate}");
        let mut edited = value;
        edited["year"] = serde_json::Value::from(1899);
        assert!(serde_json::from_value::<ReformPlan>(edited).is_err(), "year 1899");
    }
}
