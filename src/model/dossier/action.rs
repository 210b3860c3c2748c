//! Actions: what is done to a dossier after receipt, and the lifecycle event each one
//! records, with the facts that need the calendar computed once (restarted due
//! instants, whether an apology came in time). Pure: the store looks up the agencies
//! and calendars and writes the events.

use time::OffsetDateTime;

use super::{ClockRule, Dossier, EventKind, LifecycleEvent};
use crate::id::AgencyCode;
use crate::model::agency::Agency;
use crate::model::calendar::{CountingMode, WorkCalendar};
use crate::model::time_limit::{check_instant, vietnam_date};
use crate::{Error, Result};

/// How a resolution's result is issued: named, so that a call reads
/// `resolve(&code, at, ResultForm::Electronic)` rather than `resolve(&code, at, true)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultForm {
    /// An electronic result (kết quả điện tử) was issued.
    Electronic,
    /// Only a paper result.
    Paper,
}

/// Where fees were paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Payment {
    /// Online (thanh toán trực tuyến).
    Online,
    /// At the desk or otherwise offline.
    Offline,
}

/// Something done to a dossier after receipt. The store turns it into a
/// [`LifecycleEvent`] with [`Action::to_event`], computing what needs the calendar.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// Transfer to another agency (liên thông).
    Transfer {
        /// The agency it goes to.
        to: AgencyCode,
    },
    /// Request a supplement; the clock pauses.
    RequestSupplement {
        /// The reason.
        reason: String,
    },
    /// The applicant supplied the complete dossier; the clock resumes (and under the
    /// Restart rule the limit restarts from this instant).
    Supplement,
    /// Apologise and give a new appointment (once).
    Extend {
        /// The new appointment.
        #[serde(with = "crate::serde_forms::one")]
        new_appointment: OffsetDateTime,
        /// The reason.
        reason: String,
    },
    /// Refuse the dossier.
    Refuse {
        /// The reason.
        reason: String,
    },
    /// Resolve the dossier.
    Resolve {
        /// Whether an electronic result was issued.
        e_result: bool,
    },
    /// Return the result to the applicant.
    ReturnResult,
    /// The applicant withdraws the dossier (Decree 61 dossiers).
    Withdraw,
    /// Close the dossier because the supplement never came (Decree 118/2025 Art. 19(5)).
    CloseUnsupplemented,
    /// Stop the procedure at the applicant's request (Decree 118/2025 Art. 21).
    Stop,
    /// Fees were paid.
    Pay {
        /// Whether online.
        online: bool,
    },
}

fn check_text(field: &'static str, text: &str) -> Result<()> {
    if text.chars().count() > 2000 {
        return Err(Error::invalid(field, "must be at most 2000 characters"));
    }
    crate::model::text::check_shown(field, text, true)
}

/// Re-derives the calendar facts of `dossier` with `calendar`: the appointment from its
/// receipt instant and time limit, then each later event again from the action that
/// recorded it (restarted due instants, late-notice flags). Its header, instants and
/// actions stay as they were.
///
/// # Errors
/// [`Error::InvalidInput`] when a due instant falls outside the calendar's range;
/// [`Error::InvalidTransition`] cannot happen for a stored dossier (its events folded
/// once already) but is passed on.
///
/// The store uses it when a calendar announcement changes a day stored dossiers were
/// timed with (`CalendarAnnouncements::apply`).
pub fn rederive(dossier: &Dossier, calendar: &WorkCalendar, mode: CountingMode) -> Result<Dossier> {
    let header = dossier.header().clone();
    let appointment = calendar.due_instant(dossier.received_at(), header.limit, mode)?;
    let mut again = Dossier::open(header, dossier.received_at(), appointment)?;
    for event in dossier.events() {
        if let Some(action) = Action::of_event(&event.kind) {
            let event = action.to_event(&again, event.at, calendar, mode)?;
            again.apply(event)?;
        }
    }
    Ok(again)
}

impl Action {
    /// Checks that a transfer's target agency exists on the day of the transfer (Vietnam
    /// time): a unit that has ended (`valid_to`) or not yet begun cannot take a dossier.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming `event.at` for an instant outside the supported
    /// range or `event.to` for an agency that does not exist that day.
    pub fn check_transfer_target(target: &Agency, at: OffsetDateTime) -> Result<()> {
        check_instant("event.at", at)?;
        let day = vietnam_date(at);
        if target.is_valid_on(day) {
            Ok(())
        } else {
            Err(Error::invalid("event.to", format!("{} does not exist on {day}", target.code())))
        }
    }

    /// Returns the action that recorded an event of `kind`, or `None` for the receipt.
    pub fn of_event(kind: &EventKind) -> Option<Action> {
        Some(match kind {
            EventKind::Received { .. } => return None,
            EventKind::Transferred { to } => Action::Transfer { to: to.clone() },
            EventKind::SupplementRequested { reason } => {
                Action::RequestSupplement { reason: reason.clone() }
            }
            EventKind::Supplemented { .. } => Action::Supplement,
            EventKind::Extended { new_appointment, reason, .. } => {
                Action::Extend { new_appointment: *new_appointment, reason: reason.clone() }
            }
            EventKind::Refused { reason } => Action::Refuse { reason: reason.clone() },
            EventKind::Resolved { e_result } => Action::Resolve { e_result: *e_result },
            EventKind::ResultReturned => Action::ReturnResult,
            EventKind::Withdrawn => Action::Withdraw,
            EventKind::ClosedUnsupplemented { .. } => Action::CloseUnsupplemented,
            EventKind::Stopped => Action::Stop,
            EventKind::Paid { online } => Action::Pay { online: *online },
        })
    }

    /// Returns the event this action records on `dossier` at `at`, computing the facts
    /// that need the calendar: the restarted due instant after a supplement (the
    /// dossier's limit counted again from `at`), and whether an apology came later than
    /// the calendar day before the due day (Decree 61 Art. 19(9), Decree 118 the same). Pure:
    /// it checks text and instants but not that a transfer's target agency exists (the
    /// store does).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a reason over 2,000 characters or with control or
    /// format characters, an instant (`event.at`, `event.new_appointment`) outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE), an apology whose new
    /// appointment is before the apology itself, or a due instant outside the
    /// supported range.
    ///
    /// The apology rule is checked here, on the way in, and not by
    /// [`Dossier::apply`]: histories stored before the rule existed must stay
    /// readable.
    pub fn to_event(
        &self,
        dossier: &Dossier,
        at: OffsetDateTime,
        calendar: &WorkCalendar,
        mode: CountingMode,
    ) -> Result<LifecycleEvent> {
        check_instant("event.at", at)?;
        let kind = match self {
            Action::Transfer { to } => EventKind::Transferred { to: to.clone() },
            Action::RequestSupplement { reason } => {
                check_text("event.reason", reason)?;
                EventKind::SupplementRequested { reason: reason.clone() }
            }
            Action::Supplement => EventKind::Supplemented {
                restart_due: calendar.due_instant(at, dossier.header().limit, mode)?,
            },
            Action::Extend { new_appointment, reason } => {
                check_text("event.reason", reason)?;
                check_instant("event.new_appointment", *new_appointment)?;
                // Mẫu 04 promises a new date to come: one already past when the
                // apology is written cannot be kept.
                if *new_appointment < at {
                    return Err(Error::invalid(
                        "event.new_appointment",
                        "is before the apology that gives it",
                    ));
                }
                // "trong thời hạn chậm nhất 01 ngày trước ngày hết hạn" (Decree 61/2018
                // Art. 19(9); Decree 118/2025 keeps the words, ../shared/DOMAIN-decree118.md
                // §1.4): a calendar day, not a working day, since the decrees say "ngày
                // làm việc" where they mean one. Late when made on the due day or after.
                EventKind::Extended {
                    new_appointment: *new_appointment,
                    reason: reason.clone(),
                    late_notice: vietnam_date(at) >= vietnam_date(dossier.due(ClockRule::Restart)),
                }
            }
            Action::Refuse { reason } => {
                check_text("event.reason", reason)?;
                EventKind::Refused { reason: reason.clone() }
            }
            Action::Resolve { e_result } => EventKind::Resolved { e_result: *e_result },
            Action::ReturnResult => EventKind::ResultReturned,
            Action::Withdraw => EventKind::Withdrawn,
            Action::CloseUnsupplemented => {
                EventKind::ClosedUnsupplemented { early: closes_early(dossier, at, calendar)? }
            }
            Action::Stop => EventKind::Stopped,
            Action::Pay { online } => EventKind::Paid { online: *online },
        };
        Ok(LifecycleEvent { at, kind })
    }
}

/// Whether closing `dossier` at `at` for want of a supplement comes before its rule
/// set's period has run out. Decree 118/2025 Art. 19(5) says "sau 15 ngày kể từ khi
/// thông báo": calendar days (the decree writes "ngày làm việc" where it means working
/// days), counted as the Civil Code 2015 counts periods (Art. 147(3): the day of the
/// notice is not counted; Art. 148(5): a period whose last day is a day off ends with
/// the next working day). So closing is due from 00:00 of the day after the last day.
/// `false` when nothing is awaited or the rule set has no closure (the fold refuses
/// those).
fn closes_early(dossier: &Dossier, at: OffsetDateTime, calendar: &WorkCalendar) -> Result<bool> {
    let (Some(days), Some(notice)) =
        (dossier.rules().closure_after_notice_days, dossier.waiting_since())
    else {
        return Ok(false);
    };
    let mut last =
        vietnam_date(notice).checked_add(time::Duration::days(i64::from(days))).ok_or_else(
            || Error::invalid("event.at", "the closure period runs past the supported range"),
        )?;
    if !calendar.is_working_day(last) {
        last = calendar.next_working_day(last)?;
    }
    Ok(vietnam_date(at) <= last)
}
