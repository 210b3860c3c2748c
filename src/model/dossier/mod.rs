//! Dossiers (hồ sơ), their lifecycle events and the rules that time them.
//!
//! A dossier is the fold of its events: [`Dossier::from_events`] replays them
//! through [`Dossier::apply`], which rejects impossible transitions. Facts that
//! need the calendar (the appointment at receipt, the restarted due instant after a
//! supplement, whether an apology was issued late) are computed once by the caller
//! — the store — and recorded in the event, so folding never needs a calendar and
//! gives the same result forever.

mod action;
mod receipt;

pub use action::{Action, Payment, ResultForm, rederive};
pub use receipt::NewDossier;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::id::{AgencyCode, DossierCode, Field, ProcedureCode};
use crate::model::rules::{ApplicantExit, Portal, RuleSet, RuleSetId};
use crate::model::time_limit::{TimeLimit, check_instant, vietnam_date};
use crate::{Error, Result};

/// How a dossier was submitted (`KenhThucHien` in the national feed: 1 direct,
/// 2 online, 3 postal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the one-stop desk (trực tiếp).
    Direct,
    /// Through the public postal service (dịch vụ bưu chính).
    Postal,
    /// Online through a public service portal (trực tuyến).
    Online,
}

/// Which clock rule times a dossier after a supplement request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockRule {
    /// Decree 61/2018 Art. 19(4): the time limit restarts from zero when the complete
    /// dossier is received. The default for the periodic report.
    #[default]
    Restart,
    /// Decision 766 indicator 2.1: the applicant's waiting time is subtracted before
    /// comparing with the appointment; more than one supplement request is late; an
    /// open dossier waiting for a supplement ends at the request time.
    Subtract,
}

/// Whether a dossier finished early, on time or late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Finished on a calendar day (Vietnam time) before the day of the due instant.
    Early,
    /// Finished on the due day, at or before the due instant.
    OnTime,
    /// Finished after the due instant.
    Late,
}

/// Classifies a finish against a due instant. This is the one place the rule lives:
/// early = finished on a calendar day (UTC+7) before the due instant's day; on time =
/// on the due day at or before the due instant; late = after the due instant.
pub fn classify(finished: OffsetDateTime, due: OffsetDateTime) -> Outcome {
    if vietnam_date(finished) < vietnam_date(due) {
        Outcome::Early
    } else if finished <= due {
        Outcome::OnTime
    } else {
        Outcome::Late
    }
}

/// Where a dossier is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    /// Received and being handled (đang giải quyết).
    Processing,
    /// Waiting for the applicant to supplement it (chờ bổ sung); the clock is paused.
    WaitingSupplement,
    /// Resolved (đã giải quyết), result not yet collected.
    Resolved,
    /// Resolved and the result returned to the applicant (đã trả kết quả).
    Returned,
    /// Refused (từ chối giải quyết).
    Refused,
    /// Withdrawn by the applicant (công dân rút hồ sơ; Decree 61 dossiers).
    Withdrawn,
    /// Closed because the supplement never came (đóng hồ sơ; Decree 118/2025 Art.
    /// 19(5)).
    ClosedUnsupplemented,
    /// Stopped at the applicant's request (dừng thực hiện thủ tục hành chính; Decree
    /// 118/2025 Art. 21).
    Stopped,
}

impl DossierStatus {
    /// Returns whether the dossier has left the pipeline (resolved, returned, refused,
    /// withdrawn, closed for want of a supplement or stopped).
    pub fn is_closed(self) -> bool {
        !matches!(self, Self::Processing | Self::WaitingSupplement)
    }

    fn name(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::WaitingSupplement => "waiting for a supplement",
            Self::Resolved => "resolved",
            Self::Returned => "returned",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
            Self::ClosedUnsupplemented => "closed for want of a supplement",
            Self::Stopped => "stopped",
        }
    }
}

/// What happened to a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Received complete, with the appointment (hẹn trả, `NgayHenTra`) given on the
    /// receipt (Mẫu 01).
    Received {
        /// The due instant computed from the procedure's limit at receipt.
        #[serde(with = "crate::serde_forms::one")]
        appointment: OffsetDateTime,
    },
    /// Transferred to another agency (liên thông). Does not move the dossier between
    /// agencies' reports.
    Transferred {
        /// The agency it went to.
        to: AgencyCode,
    },
    /// A supplement was requested (Mẫu 02); the clock pauses.
    SupplementRequested {
        /// The reason given to the applicant.
        reason: String,
    },
    /// The applicant supplied the complete dossier; the clock resumes.
    Supplemented {
        /// The due instant under [`ClockRule::Restart`]: the full limit counted again
        /// from this event.
        #[serde(with = "crate::serde_forms::one")]
        restart_due: OffsetDateTime,
    },
    /// An apology letter with a new appointment (Mẫu 04). Allowed once; the dossier is
    /// still measured against its due instant.
    Extended {
        /// The new appointment promised to the applicant.
        #[serde(with = "crate::serde_forms::one")]
        new_appointment: OffsetDateTime,
        /// The reason given.
        reason: String,
        /// Whether the apology came later than the calendar day before the due day
        /// (Decree 61/2018 Art. 19(9): "chậm nhất 01 ngày trước ngày hết hạn").
        late_notice: bool,
    },
    /// Refused (Mẫu 03 or a refusal during handling).
    Refused {
        /// The reason given.
        reason: String,
    },
    /// Resolved.
    Resolved {
        /// Whether an electronic result was issued.
        e_result: bool,
    },
    /// The result was returned to the applicant.
    ResultReturned,
    /// The applicant withdrew the dossier (Decree 61 dossiers).
    Withdrawn,
    /// Closed because the applicant did not complete the dossier after a supplement
    /// notice (Decree 118/2025 Art. 19(5): "Sau 15 ngày kể từ khi thông báo …, nếu tổ
    /// chức, cá nhân không hoàn thành việc hoàn thiện hồ sơ, … thực hiện đóng hồ sơ").
    ClosedUnsupplemented {
        /// Whether it was closed before the 15 days ran out (accepted: sector law may
        /// set a shorter period; flagged so that reviews can see it).
        early: bool,
    },
    /// The applicant asked to stop the procedure (Decree 118/2025 Art. 21(1), Mẫu 05 of
    /// Circular 03/2025/TT-VPCP), from receipt until the decision.
    Stopped,
    /// Fees were paid.
    Paid {
        /// Whether they were paid online.
        online: bool,
    },
}

impl EventKind {
    /// Returns a short English name of the event, used in errors.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Received { .. } => "receipt",
            Self::Transferred { .. } => "transfer",
            Self::SupplementRequested { .. } => "supplement request",
            Self::Supplemented { .. } => "supplement",
            Self::Extended { .. } => "extension",
            Self::Refused { .. } => "refusal",
            Self::Resolved { .. } => "resolution",
            Self::ResultReturned => "result return",
            Self::Withdrawn => "withdrawal",
            Self::ClosedUnsupplemented { .. } => "closure for want of a supplement",
            Self::Stopped => "stop",
            Self::Paid { .. } => "payment",
        }
    }
}

/// An event with its instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleEvent {
    /// When it happened.
    #[serde(with = "crate::serde_forms::one")]
    pub at: OffsetDateTime,
    /// What happened.
    pub kind: EventKind,
}

/// The facts fixed when a dossier is received, copied from the request and from the
/// procedure version in force on the receipt date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierHeader {
    /// The dossier code.
    pub code: DossierCode,
    /// The procedure.
    pub procedure: ProcedureCode,
    /// The procedure's field.
    pub field: Field,
    /// The agency that resolves the dossier (cơ quan có thẩm quyền giải quyết); the
    /// dossier counts for it in reports and scopes. Under Decree 61 it is the agency
    /// whose desk received the dossier or for which a centre received it.
    pub agency: AgencyCode,
    /// Where it was received, when that is another agency (a provincial or commune
    /// service centre receiving "không phụ thuộc vào địa giới hành chính", Decree
    /// 118/2025 Art. 14(2)); `None` when the resolving agency received it itself.
    #[serde(default)]
    pub receiving: Option<AgencyCode>,
    /// The portal an online dossier was submitted through, when the source says.
    #[serde(default)]
    pub portal: Option<Portal>,
    /// The rule set that governs it, fixed at receipt by the receipt date.
    #[serde(default = "crate::model::rules::legacy_rule_set")]
    pub rule_set: RuleSetId,
    /// How it was submitted.
    pub channel: Channel,
    /// The time limit it is timed against (the procedure's limit in force at receipt).
    pub limit: TimeLimit,
    /// Whether the procedure is fee-bearing.
    pub fee_bearing: bool,
    /// Whether the procedure's result is a paper document.
    pub paper_result: bool,
    /// Whether its components were digitised at reception.
    pub digitised: bool,
    /// Whether digitised data was reused (khai thác, sử dụng lại).
    pub reused_data: bool,
}

/// A dossier: its header, its events in order, and the state they fold to.
///
/// It serializes as its header and events; deserializing folds them again with
/// [`Dossier::from_events`], so the state is always the fold of the events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "DossierParts", into = "DossierParts")]
pub struct Dossier {
    header: DossierHeader,
    events: Vec<LifecycleEvent>,
    status: DossierStatus,
    received_at: OffsetDateTime,
    appointment: OffsetDateTime,
    restart_due: OffsetDateTime,
    current_agency: AgencyCode,
    supplement_requests: u32,
    waiting_since: Option<OffsetDateTime>,
    waited: Duration,
    extension: Option<OffsetDateTime>,
    late_apology: bool,
    finished_at: Option<OffsetDateTime>,
    e_result: bool,
    returned_at: Option<OffsetDateTime>,
    paid_online: Option<bool>,
}

/// The state of a dossier at one instant, as reports and backlogs count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PendingState {
    /// Received and not closed (resolved, refused or withdrawn).
    pub pending: bool,
    /// Waiting for a supplement.
    pub waiting: bool,
    /// Pending, not waiting, and past its due instant under [`ClockRule::Restart`].
    pub overdue_restart: bool,
    /// Pending, not waiting, and late under [`ClockRule::Subtract`].
    pub overdue_subtract: bool,
    /// Waiting, and already late under [`ClockRule::Subtract`] (more than one request,
    /// or the request itself came after the appointment plus earlier waits).
    pub waiting_late_subtract: bool,
}

impl Dossier {
    /// Opens a dossier with its receipt event.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the appointment is before the receipt instant, or
    /// either is outside the [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE)
    /// (1900–2100, Vietnam time). Inside it every due instant, wait and Vietnam
    /// date derived from them is representable, so timing a dossier never
    /// overflows.
    pub fn open(
        header: DossierHeader,
        received_at: OffsetDateTime,
        appointment: OffsetDateTime,
    ) -> Result<Self> {
        check_instant("dossier.received_at", received_at)?;
        check_instant("dossier.appointment", appointment)?;
        if appointment < received_at {
            return Err(Error::invalid("dossier.appointment", "is before the receipt instant"));
        }
        let received_at = received_at.to_offset(time::UtcOffset::UTC);
        let appointment = appointment.to_offset(time::UtcOffset::UTC);
        Ok(Self {
            current_agency: header.agency.clone(),
            header,
            events: vec![LifecycleEvent {
                at: received_at,
                kind: EventKind::Received { appointment },
            }],
            status: DossierStatus::Processing,
            received_at,
            appointment,
            restart_due: appointment,
            supplement_requests: 0,
            waiting_since: None,
            waited: Duration::ZERO,
            extension: None,
            late_apology: false,
            finished_at: None,
            e_result: false,
            returned_at: None,
            paid_online: None,
        })
    }

    /// Rebuilds a dossier by folding its events; the first must be the receipt.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when there is no receipt event first;
    /// [`Error::InvalidTransition`] when a later event is impossible.
    pub fn from_events(header: DossierHeader, events: &[LifecycleEvent]) -> Result<Self> {
        let Some((first, rest)) = events.split_first() else {
            return Err(Error::invalid("dossier.events", "a dossier needs its receipt event"));
        };
        let EventKind::Received { appointment } = first.kind else {
            return Err(Error::invalid("dossier.events", "the first event must be the receipt"));
        };
        let mut dossier = Self::open(header, first.at, appointment)?;
        for event in rest {
            dossier.apply(event.clone())?;
        }
        Ok(dossier)
    }

    fn reject(&self, event: &EventKind, reason: &'static str) -> Error {
        Error::InvalidTransition {
            dossier: self.header.code.to_string(),
            from: self.status.name().to_owned(),
            event: event.name().to_owned(),
            reason,
        }
    }

    /// Applies one event, or rejects it and leaves the dossier unchanged.
    ///
    /// # Errors
    /// [`Error::InvalidTransition`] for an event before the previous one, any event
    /// after closure (but returning a resolved dossier's result), a second receipt,
    /// resolving while waiting for a supplement, supplementing when nothing was
    /// requested, a second extension or one not later than the appointment, a transfer
    /// to the current agency, a second payment, or returning an unresolved result.
    /// [`Error::InvalidInput`] when an instant of the event is outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE).
    pub fn apply(&mut self, event: LifecycleEvent) -> Result<()> {
        use DossierStatus as S;
        check_instant("event.at", event.at)?;
        match &event.kind {
            EventKind::Supplemented { restart_due } => {
                check_instant("event.restart_due", *restart_due)?;
            }
            EventKind::Extended { new_appointment, .. } => {
                check_instant("event.new_appointment", *new_appointment)?;
            }
            _ => {}
        }
        let at = event.at.to_offset(time::UtcOffset::UTC);
        let last = self.events.last().map_or(self.received_at, |e| e.at);
        if at < last {
            return Err(self.reject(&event.kind, "its instant is before the previous event"));
        }
        let open = !self.status.is_closed();
        match &event.kind {
            EventKind::Received { .. } => return Err(self.reject(&event.kind, "already received")),
            EventKind::Transferred { to } => {
                if self.status != S::Processing {
                    return Err(self.reject(&event.kind, "only a dossier being processed can move"));
                }
                if *to == self.current_agency {
                    return Err(self.reject(&event.kind, "it is already at that agency"));
                }
                self.current_agency = to.clone();
            }
            EventKind::SupplementRequested { .. } => {
                if self.status != S::Processing {
                    return Err(
                        self.reject(&event.kind, "only a dossier being processed can be paused")
                    );
                }
                self.status = S::WaitingSupplement;
                self.supplement_requests += 1;
                self.waiting_since = Some(at);
            }
            EventKind::Supplemented { restart_due } => {
                let Some(since) = self.waiting_since else {
                    return Err(self.reject(&event.kind, "no supplement was requested"));
                };
                if *restart_due < at {
                    return Err(self.reject(
                        &event.kind,
                        "the restarted due instant is before the supplement",
                    ));
                }
                self.status = S::Processing;
                self.waited += at - since;
                self.waiting_since = None;
                self.restart_due = restart_due.to_offset(time::UtcOffset::UTC);
            }
            EventKind::Extended { new_appointment, late_notice, .. } => {
                if !open {
                    return Err(self.reject(&event.kind, "the dossier is closed"));
                }
                if self.extension.is_some() {
                    return Err(self.reject(&event.kind, "the appointment may be moved only once"));
                }
                if *new_appointment <= self.appointment.max(self.restart_due) {
                    return Err(self
                        .reject(&event.kind, "the new appointment is not after the due instant"));
                }
                self.extension = Some(new_appointment.to_offset(time::UtcOffset::UTC));
                self.late_apology = *late_notice;
            }
            EventKind::Refused { .. } | EventKind::Withdrawn => {
                if !open {
                    return Err(self.reject(&event.kind, "the dossier is closed"));
                }
                if matches!(event.kind, EventKind::Withdrawn)
                    && self.rules().applicant_exit != ApplicantExit::Withdraw
                {
                    return Err(self.reject(
                        &event.kind,
                        "under Decree 118/2025 the applicant stops the procedure (Art. 21; use stop)",
                    ));
                }
                // An unfinished wait is not added to `waited`: the applicant never
                // supplied the dossier.
                self.waiting_since = None;
                self.status = if matches!(event.kind, EventKind::Withdrawn) {
                    S::Withdrawn
                } else {
                    S::Refused
                };
                self.finished_at = Some(at);
            }
            EventKind::ClosedUnsupplemented { .. } => {
                if self.rules().closure_after_notice_days.is_none() {
                    return Err(self.reject(
                        &event.kind,
                        "Decree 61/2018 has no closure for want of a supplement (Decree 118/2025 Art. 19(5) governs dossiers received from 2025-07-01)",
                    ));
                }
                if self.status != S::WaitingSupplement {
                    return Err(self.reject(&event.kind, "no supplement was requested"));
                }
                // As for a refusal, the unfinished wait is not added to `waited`.
                self.waiting_since = None;
                self.status = S::ClosedUnsupplemented;
                self.finished_at = Some(at);
            }
            EventKind::Stopped => {
                if self.rules().applicant_exit != ApplicantExit::Stop {
                    return Err(self.reject(
                        &event.kind,
                        "under Decree 61/2018 the applicant withdraws (use withdraw)",
                    ));
                }
                if !open {
                    return Err(self.reject(&event.kind, "the dossier is closed"));
                }
                self.waiting_since = None;
                self.status = S::Stopped;
                self.finished_at = Some(at);
            }
            EventKind::Resolved { e_result } => {
                match self.status {
                    S::Processing => {}
                    S::WaitingSupplement => {
                        return Err(self.reject(&event.kind, "it is waiting for a supplement"));
                    }
                    _ => return Err(self.reject(&event.kind, "the dossier is closed")),
                }
                self.status = S::Resolved;
                self.finished_at = Some(at);
                self.e_result = *e_result;
            }
            EventKind::ResultReturned => {
                if self.status != S::Resolved {
                    return Err(self
                        .reject(&event.kind, "only a resolved dossier's result can be returned"));
                }
                self.status = S::Returned;
                self.returned_at = Some(at);
            }
            EventKind::Paid { online } => {
                if matches!(
                    self.status,
                    S::Refused | S::Withdrawn | S::Returned | S::ClosedUnsupplemented | S::Stopped
                ) {
                    return Err(self.reject(&event.kind, "the dossier is closed"));
                }
                if self.paid_online.is_some() {
                    return Err(self.reject(&event.kind, "fees were already paid"));
                }
                self.paid_online = Some(*online);
            }
        }
        self.events.push(LifecycleEvent { at, kind: event.kind });
        Ok(())
    }

    /// Returns the header.
    pub fn header(&self) -> &DossierHeader {
        &self.header
    }
    /// Returns the rule set that governs the dossier (fixed at receipt).
    pub fn rules(&self) -> &'static RuleSet {
        RuleSet::get(self.header.rule_set)
    }
    /// Returns where the dossier was received: the receiving point if another agency
    /// received it, otherwise the resolving agency.
    pub fn receiving_point(&self) -> &AgencyCode {
        self.header.receiving.as_ref().unwrap_or(&self.header.agency)
    }
    /// Returns since when it waits for a supplement, if it does.
    pub fn waiting_since(&self) -> Option<OffsetDateTime> {
        self.waiting_since
    }
    /// Returns the dossier code.
    pub fn code(&self) -> &DossierCode {
        &self.header.code
    }
    /// Returns the events in order.
    pub fn events(&self) -> &[LifecycleEvent] {
        &self.events
    }
    /// Returns the current status.
    pub fn status(&self) -> DossierStatus {
        self.status
    }
    /// Returns the receipt instant (UTC).
    pub fn received_at(&self) -> OffsetDateTime {
        self.received_at
    }
    /// Returns the appointment given at receipt (`NgayHenTra`).
    pub fn appointment(&self) -> OffsetDateTime {
        self.appointment
    }
    /// Returns the due instant under `rule` as it stands now. Under
    /// [`ClockRule::Subtract`] it is the appointment plus the completed waits.
    pub fn due(&self, rule: ClockRule) -> OffsetDateTime {
        match rule {
            ClockRule::Restart => self.restart_due,
            ClockRule::Subtract => self.appointment + self.waited,
        }
    }
    /// Returns the new appointment of the apology letter, if one was issued. It is for
    /// display and "overdue against the promise" queries; timing uses [`Dossier::due`].
    pub fn extended_appointment(&self) -> Option<OffsetDateTime> {
        self.extension
    }
    /// Returns whether the apology letter came later than the calendar day before the due day.
    pub fn late_apology(&self) -> bool {
        self.late_apology
    }
    /// Returns the agency currently handling the dossier (after transfers).
    pub fn current_agency(&self) -> &AgencyCode {
        &self.current_agency
    }
    /// Returns how many supplements were requested.
    pub fn supplement_requests(&self) -> u32 {
        self.supplement_requests
    }
    /// Returns the total completed waiting time for supplements.
    pub fn waited(&self) -> Duration {
        self.waited
    }
    /// Returns when the dossier closed (resolved, refused or withdrawn).
    pub fn finished_at(&self) -> Option<OffsetDateTime> {
        self.finished_at
    }
    /// Returns the resolution instant, if resolved.
    pub fn resolved_at(&self) -> Option<OffsetDateTime> {
        matches!(self.status, DossierStatus::Resolved | DossierStatus::Returned)
            .then_some(self.finished_at)
            .flatten()
    }
    /// Returns whether an electronic result was issued.
    pub fn e_result(&self) -> bool {
        self.e_result
    }
    /// Returns when the result was returned.
    pub fn returned_at(&self) -> Option<OffsetDateTime> {
        self.returned_at
    }
    /// Returns `Some(online)` once fees were paid.
    pub fn paid(&self) -> Option<bool> {
        self.paid_online
    }

    /// Returns the outcome of a resolved dossier under `rule` (`None` while unresolved).
    pub fn outcome(&self, rule: ClockRule) -> Option<Outcome> {
        let resolved = self.resolved_at()?;
        Some(self.finish_outcome(resolved, rule))
    }

    /// Times a finish at `end` under `rule`.
    pub(crate) fn finish_outcome(&self, end: OffsetDateTime, rule: ClockRule) -> Outcome {
        match rule {
            ClockRule::Restart => classify(end, self.restart_due),
            ClockRule::Subtract if self.supplement_requests > 1 => Outcome::Late,
            ClockRule::Subtract => classify(end - self.waited, self.appointment),
        }
    }

    /// Returns whether the dossier counts as on time for Decision 766 indicator 2.1
    /// when evaluated at `period_end`: finished (resolved or refused) at or before its
    /// due instant under [`ClockRule::Subtract`]; an open dossier is timed at
    /// `period_end`, or at the request instant while it waits for a supplement.
    /// Withdrawn dossiers and dossiers received at or after `period_end` give `None`.
    pub fn on_time_766(&self, period_end: OffsetDateTime) -> Option<bool> {
        let state = self.state_at(period_end);
        if self.received_at >= period_end {
            return None;
        }
        if !state.pending {
            if self.status == DossierStatus::Withdrawn {
                return None;
            }
            let end = self.finished_at?;
            return Some(self.finish_outcome(end, ClockRule::Subtract) != Outcome::Late);
        }
        if state.waiting {
            return Some(!state.waiting_late_subtract);
        }
        Some(!state.overdue_subtract)
    }

    /// Returns the state of the dossier at instant `t`: events strictly before `t`
    /// have happened, due instants strictly before `t` have passed.
    pub fn state_at(&self, t: OffsetDateTime) -> PendingState {
        let mut state = PendingState::default();
        let mut restart_due = self.appointment;
        let mut requests = 0u32;
        let mut waited = Duration::ZERO;
        let mut waiting_since: Option<OffsetDateTime> = None;
        for event in self.events.iter().take_while(|e| e.at < t) {
            match &event.kind {
                EventKind::Received { .. } => state.pending = true,
                EventKind::SupplementRequested { .. } => {
                    requests += 1;
                    waiting_since = Some(event.at);
                }
                EventKind::Supplemented { restart_due: due } => {
                    if let Some(since) = waiting_since.take() {
                        waited += event.at - since;
                    }
                    restart_due = *due;
                }
                EventKind::Refused { .. }
                | EventKind::Withdrawn
                | EventKind::ClosedUnsupplemented { .. }
                | EventKind::Stopped
                | EventKind::Resolved { .. } => {
                    return PendingState::default();
                }
                _ => {}
            }
        }
        if !state.pending {
            return state;
        }
        let subtract_due = self.appointment + waited;
        if let Some(since) = waiting_since {
            state.waiting = true;
            state.waiting_late_subtract = requests > 1 || since - waited > self.appointment;
        } else {
            state.overdue_restart = restart_due < t;
            state.overdue_subtract = requests > 1 || subtract_due < t;
        }
        state
    }

    /// Returns every instant at which [`Dossier::state_at`] can change: the events
    /// and each due instant that can be crossed.
    pub(crate) fn change_instants(&self) -> Vec<OffsetDateTime> {
        let mut out = Vec::with_capacity(self.events.len() * 2 + 1);
        out.push(self.appointment);
        let mut waited = Duration::ZERO;
        let mut since = None;
        for event in &self.events {
            out.push(event.at);
            match &event.kind {
                EventKind::SupplementRequested { .. } => since = Some(event.at),
                EventKind::Supplemented { restart_due } => {
                    if let Some(s) = since.take() {
                        waited += event.at - s;
                    }
                    out.push(*restart_due);
                    out.push(self.appointment + waited);
                }
                _ => {}
            }
        }
        out
    }
}

/// The serde form of a [`Dossier`]: the header and the events.
#[derive(Serialize, Deserialize)]
struct DossierParts {
    header: DossierHeader,
    events: Vec<LifecycleEvent>,
}

impl TryFrom<DossierParts> for Dossier {
    type Error = Error;
    fn try_from(p: DossierParts) -> Result<Self> {
        Dossier::from_events(p.header, &p.events)
    }
}

impl From<Dossier> for DossierParts {
    fn from(d: Dossier) -> Self {
        Self { header: d.header, events: d.events }
    }
}

#[cfg(test)]
pub(crate) mod tests;
