//! The year's feedback items and the province's reform plan.

use time::{Duration, Month, OffsetDateTime};

use super::names::PLAN_TASKS;
use super::province::Province;
use super::rng::Rng;
use super::{DemoSpec, date};
use crate::model::agency::Agency;
use crate::model::calendar::WorkCalendar;
use crate::model::feedback::{Feedback, FeedbackId, FeedbackKind, Satisfaction};
use crate::model::plan::{PlanTask, ReformPlan};
use crate::model::time_limit::VIETNAM_OFFSET;
use crate::{Error, Result};

/// Generates the year's feedback items (phản ánh, kiến nghị): one per 30
/// dossiers, over the province's agencies, mostly answered within a few working
/// days, some transferred, rejected or still open at year end.
///
/// # Errors
/// [`Error::InvalidInput`] for a bad spec.
pub fn feedback(spec: &DemoSpec, province: &Province) -> Result<Vec<Feedback>> {
    spec.validate()?;
    let mut rng = Rng::new(spec.seed, 3);
    let calendar = WorkCalendar::vietnam();
    let agencies: Vec<&Agency> = province.agencies().collect();
    let start = date(spec.year, Month::January, 1)?;
    let days = if time::util::is_leap_year(spec.year) { 366 } else { 365 };
    let year_end = date(spec.year + 1, Month::January, 1)?.midnight().assume_offset(VIETNAM_OFFSET);
    let count = spec.dossiers / 30;
    let mut received: Vec<OffsetDateTime> = (0..count)
        .map(|_| {
            let day = start + Duration::days(rng.between(0, days - 1));
            let minute = rng.between(7 * 60, 21 * 60);
            day.midnight().assume_offset(VIETNAM_OFFSET) + Duration::minutes(minute)
        })
        .collect();
    received.sort_unstable();
    let mut out = Vec::with_capacity(received.len());
    for (i, at) in received.into_iter().enumerate() {
        let agency =
            rng.pick(&agencies).map_or_else(|| province.root.code().clone(), |a| a.code().clone());
        let kind = if rng.chance(0.3) { FeedbackKind::Regulation } else { FeedbackKind::Staff };
        let id = FeedbackId::new(&format!("PAKN-{}-{:06}", spec.year, i + 1))?;
        let mut item = Feedback::new(id, agency, at, kind)?;
        let mut last = at;
        if rng.chance(0.013) {
            last = calendar.add_working_time(at, Duration::hours(rng.between(2, 16)))?;
            item = item.with_transfer(last)?;
        }
        let fate = rng.unit();
        let handled = calendar.add_working_time(last, Duration::hours(8 * rng.between(1, 12)))?;
        if handled < year_end && fate < 0.95 {
            item = item.with_answer(handled)?;
            let satisfaction = match rng.unit() {
                x if x < 0.80 => Satisfaction::Satisfied,
                x if x < 0.86 => Satisfaction::NotSatisfied,
                _ => Satisfaction::None,
            };
            item =
                item.with_satisfaction(satisfaction)?.with_further_complaint(rng.chance(0.02))?;
        } else if handled < year_end && fate < 0.97 {
            item = item.with_rejection(handled)?;
        }
        out.push(item);
    }
    Ok(out)
}

/// Generates the province's reform plan for the year: 64 tasks created in
/// January with deadlines through the year, most completed, some late, some
/// still open at year end.
///
/// # Errors
/// [`Error::InvalidInput`] for a bad spec.
pub fn reform_plan(spec: &DemoSpec, province: &Province) -> Result<ReformPlan> {
    spec.validate()?;
    let mut rng = Rng::new(spec.seed, 4);
    let created = date(spec.year, Month::January, 5)?;
    let last_day = date(spec.year, Month::December, 31)?;
    let mut tasks = Vec::with_capacity(64);
    for i in 0..64usize {
        let title = PLAN_TASKS.get(i % PLAN_TASKS.len()).copied().unwrap_or("Nhiệm vụ");
        let month = Month::try_from((1 + (i * 12 / 64)) as u8).unwrap_or(Month::December);
        let deadline = date(spec.year, month, 1)?
            .replace_day(28)
            .map_err(|_| Error::invalid("demo.plan", "bad day"))?
            .max(created);
        let mut task =
            PlanTask::new(&format!("KH-{}-{:02}", spec.year, i + 1), title, created, deadline)?;
        let roll = rng.unit();
        if roll < 0.80 {
            let done = deadline - Duration::days(rng.between(0, 20));
            task = task.completed_on(done.max(created))?;
        } else if roll < 0.92 {
            let done = (deadline + Duration::days(rng.between(3, 40))).min(last_day);
            task = task.completed_on(done)?;
        }
        tasks.push(task);
    }
    ReformPlan::new(province.root.code().clone(), spec.year, tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_and_plan_are_deterministic_and_plausible() {
        let spec = DemoSpec::quang_nam_2023();
        let province = Province::generate(&spec).unwrap();
        let items = feedback(&spec, &province).unwrap();
        assert_eq!(items.len(), 413_659 / 30);
        assert_eq!(items, feedback(&spec, &province).unwrap());
        let answered = items.iter().filter(|i| i.answered_at().is_some()).count();
        let share = answered as f64 / items.len() as f64;
        assert!((0.9..0.97).contains(&share), "{share}");
        assert!(items.windows(2).all(|w| w[0].received_at() <= w[1].received_at()));
        let plan = reform_plan(&spec, &province).unwrap();
        assert_eq!(plan.tasks().len(), 64);
        let done = plan.tasks().iter().filter(|t| t.completed().is_some()).count();
        assert!((48..=62).contains(&done), "{done}");
        assert!(plan.tasks().iter().all(|t| t.deadline().year() == 2023));
    }
}
