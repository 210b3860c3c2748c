//! The periodic one-stop-shop report (Biểu số 06/VPCP/KSTT), its rates, and the
//! backlog as of a date.

use std::fmt;
use std::ops::Add;

use serde::{Deserialize, Serialize};

use crate::metrics::display::{Lang, format_count, format_percent};
use crate::model::dossier::{Channel, ClockRule, Dossier, DossierStatus, Outcome};
use crate::model::measure::{Counts, Measure};
use crate::model::scope::Period;
use crate::model::time_limit::vietnam_date;

/// A rate with its numerator and denominator, so every figure can be traced.
///
/// ```
/// use cchc::{Lang, Ratio};
/// let r = Ratio::new(18, 64).expect("denominator is not zero");
/// assert_eq!(r.percent(), 28.125);
/// assert_eq!(r.display(Lang::Vi), "28,13 % (18/64)");
/// assert!(cchc::Ratio::new(1, 0).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    /// The numerator.
    pub numerator: u64,
    /// The denominator (never 0).
    pub denominator: u64,
}

impl Ratio {
    /// Builds a ratio; `None` when the denominator is 0.
    pub fn new(numerator: u64, denominator: u64) -> Option<Self> {
        (denominator > 0).then_some(Self { numerator, denominator })
    }
    /// Returns the ratio as a fraction.
    pub fn value(&self) -> f64 {
        self.numerator as f64 / self.denominator as f64
    }
    /// Returns the ratio in percent.
    pub fn percent(&self) -> f64 {
        self.value() * 100.0
    }
    /// Formats as `28,13 % (18/64)` in the given language.
    pub fn display(&self, lang: Lang) -> String {
        format!(
            "{} ({}/{})",
            format_percent(self.percent(), lang),
            format_count(self.numerator as i64, lang),
            format_count(self.denominator as i64, lang)
        )
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Lang::En))
    }
}

/// The periodic report of dossier handling for a scope and period: the columns of
/// Biểu số 06/VPCP/KSTT plus the columns the form lacks.
///
/// Definitions (DOMAIN.md, "Decisions we take"):
/// - *received in the period*: receipt day in `[from, to]`, by channel;
/// - *carried over*: received before `from` and not closed (resolved, refused,
///   withdrawn) before `from`;
/// - *resolved*: resolution day in the period, split early / on time / late under
///   `rule` by [`crate::classify`];
/// - *in progress*: still pending at 00:00 after `to`, split not yet due / overdue
///   (due instant before that moment); dossiers waiting for a supplement are their
///   own column, in neither.
///
/// So `received_total = received_online + direct_and_postal + carried_over`,
/// `resolved_total = early + on_time + late`, `in_progress = not_yet_due + overdue`,
/// and `received_total = resolved_total + in_progress + waiting + refused + withdrawn`.
///
/// Reports add (`+`; `Option<OneStopReport>: Sum`): the report of two disjoint scopes
/// over the same period is the sum of theirs. Adding reports of different periods or rules
/// keeps the left-hand period and rule and is meaningless.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneStopReport {
    /// The period.
    pub period: Period,
    /// The clock rule used to time resolutions and overdue dossiers.
    pub rule: ClockRule,
    /// (4) Received online in the period.
    pub received_online: u64,
    /// Received at the desk in the period.
    pub received_direct: u64,
    /// Received by post in the period.
    pub received_postal: u64,
    /// (6) Carried over from before the period.
    pub carried_over: u64,
    /// (8) Resolved before the due day.
    pub resolved_early: u64,
    /// (9) Resolved on the due day, in time.
    pub resolved_on_time: u64,
    /// (10) Resolved late.
    pub resolved_late: u64,
    /// (12) In progress at the end, not yet due.
    pub in_progress_not_due: u64,
    /// (13) In progress at the end, overdue.
    pub in_progress_overdue: u64,
    /// Waiting for a supplement at the end of the period.
    pub waiting_supplement: u64,
    /// Refused in the period.
    pub refused: u64,
    /// Withdrawn in the period.
    pub withdrawn: u64,
    /// Results returned in the period.
    pub returned: u64,
    /// Received in the period with digitised components.
    pub digitised: u64,
    /// Received in the period reusing digitised data.
    pub reused_data: u64,
    /// Received in the period under fee-bearing procedures.
    pub fee_bearing: u64,
    /// Payments made online in the period.
    pub paid_online: u64,
    /// Resolved in the period with an electronic result.
    pub e_results: u64,
    /// Resolved in the period under procedures with a paper result.
    pub resolved_paper_result: u64,
    /// Of those, with an electronic result.
    pub e_results_paper_result: u64,
    /// Transfers between agencies in the period.
    pub transferred: u64,
    /// Supplement requests in the period.
    pub supplement_requests: u64,
    /// Apology extensions in the period.
    pub extended: u64,
    /// Of those, issued later than one working day before the due day.
    pub late_apologies: u64,
}

fn non_negative(x: i64) -> u64 {
    u64::try_from(x).unwrap_or(0)
}

use crate::model::measure::get as count;

impl OneStopReport {
    /// An empty report.
    pub fn empty(period: Period, rule: ClockRule) -> Self {
        Self {
            period,
            rule,
            received_online: 0,
            received_direct: 0,
            received_postal: 0,
            carried_over: 0,
            resolved_early: 0,
            resolved_on_time: 0,
            resolved_late: 0,
            in_progress_not_due: 0,
            in_progress_overdue: 0,
            waiting_supplement: 0,
            refused: 0,
            withdrawn: 0,
            returned: 0,
            digitised: 0,
            reused_data: 0,
            fee_bearing: 0,
            paid_online: 0,
            e_results: 0,
            resolved_paper_result: 0,
            e_results_paper_result: 0,
            transferred: 0,
            supplement_requests: 0,
            extended: 0,
            late_apologies: 0,
        }
    }

    /// Builds the report from prefix counts at 00:00 of `from` and of the day after `to`.
    pub(crate) fn from_prefixes(
        period: Period,
        rule: ClockRule,
        start: &Counts,
        end: &Counts,
    ) -> Self {
        let flow = |m: Measure| non_negative(count(end, m) - count(start, m));
        let at_start = |m: Measure| non_negative(count(start, m));
        let at_end = |m: Measure| non_negative(count(end, m));
        let (early, on_time, late, overdue) = match rule {
            ClockRule::Restart => (
                Measure::EarlyRestart,
                Measure::OnTimeRestart,
                Measure::LateRestart,
                Measure::OverdueRestart,
            ),
            ClockRule::Subtract => (
                Measure::EarlySubtract,
                Measure::OnTimeSubtract,
                Measure::LateSubtract,
                Measure::OverdueSubtract,
            ),
        };
        let pending = at_end(Measure::Pending);
        let waiting = at_end(Measure::Waiting);
        let overdue = at_end(overdue);
        Self {
            period,
            rule,
            received_online: flow(Measure::ReceivedOnline),
            received_direct: flow(Measure::ReceivedDirect),
            received_postal: flow(Measure::ReceivedPostal),
            carried_over: at_start(Measure::Pending),
            resolved_early: flow(early),
            resolved_on_time: flow(on_time),
            resolved_late: flow(late),
            in_progress_not_due: pending.saturating_sub(waiting).saturating_sub(overdue),
            in_progress_overdue: overdue,
            waiting_supplement: waiting,
            refused: flow(Measure::Refused),
            withdrawn: flow(Measure::Withdrawn),
            returned: flow(Measure::Returned),
            digitised: flow(Measure::Digitised),
            reused_data: flow(Measure::ReusedData),
            fee_bearing: flow(Measure::FeeBearing),
            paid_online: flow(Measure::PaidOnline),
            e_results: flow(Measure::EResult),
            resolved_paper_result: flow(Measure::ResolvedPaperResult),
            e_results_paper_result: flow(Measure::EResultPaperResult),
            transferred: flow(Measure::Transferred),
            supplement_requests: flow(Measure::SupplementRequests),
            extended: flow(Measure::Extended),
            late_apologies: flow(Measure::LateApology),
        }
    }

    /// Computes the report by folding dossiers one by one: the slow, obviously correct
    /// definition that the store's counters must agree with. Pass the dossiers of the
    /// scope; O(dossiers × events).
    pub fn from_dossiers<'a>(
        dossiers: impl IntoIterator<Item = &'a Dossier>,
        period: Period,
        rule: ClockRule,
    ) -> Self {
        let mut r = Self::empty(period, rule);
        let start = period.start_instant();
        let end = period.end_instant();
        let in_period = |t: time::OffsetDateTime| period.contains(vietnam_date(t));
        for d in dossiers {
            let h = d.header();
            if in_period(d.received_at()) {
                match h.channel {
                    Channel::Online => r.received_online += 1,
                    Channel::Direct => r.received_direct += 1,
                    Channel::Postal => r.received_postal += 1,
                }
                r.digitised += u64::from(h.digitised);
                r.reused_data += u64::from(h.reused_data);
                r.fee_bearing += u64::from(h.fee_bearing);
            }
            let received_before = d.received_at() < start;
            let closed_before = d.finished_at().is_some_and(|f| f < start);
            r.carried_over += u64::from(received_before && !closed_before);
            if d.resolved_at().is_some_and(in_period) {
                match d.outcome(rule) {
                    Some(Outcome::Early) => r.resolved_early += 1,
                    Some(Outcome::OnTime) => r.resolved_on_time += 1,
                    Some(Outcome::Late) => r.resolved_late += 1,
                    None => {}
                }
                r.e_results += u64::from(d.e_result());
                if h.paper_result {
                    r.resolved_paper_result += 1;
                    r.e_results_paper_result += u64::from(d.e_result());
                }
            }
            if d.finished_at().is_some_and(in_period) {
                match d.status() {
                    DossierStatus::Refused => r.refused += 1,
                    DossierStatus::Withdrawn => r.withdrawn += 1,
                    _ => {}
                }
            }
            r.returned += u64::from(d.returned_at().is_some_and(in_period));
            for e in d.events().iter().filter(|e| in_period(e.at)) {
                use crate::model::dossier::EventKind as K;
                match &e.kind {
                    K::Paid { online: true } => r.paid_online += 1,
                    K::Transferred { .. } => r.transferred += 1,
                    K::SupplementRequested { .. } => r.supplement_requests += 1,
                    K::Extended { late_notice, .. } => {
                        r.extended += 1;
                        r.late_apologies += u64::from(*late_notice);
                    }
                    _ => {}
                }
            }
            let state = d.state_at(end);
            if state.pending {
                let overdue = match rule {
                    ClockRule::Restart => state.overdue_restart,
                    ClockRule::Subtract => state.overdue_subtract,
                };
                if state.waiting {
                    r.waiting_supplement += 1;
                } else if overdue {
                    r.in_progress_overdue += 1;
                } else {
                    r.in_progress_not_due += 1;
                }
            }
        }
        r
    }

    /// Received in the period: online + direct + postal.
    pub fn received_in_period(&self) -> u64 {
        self.received_online + self.received_direct + self.received_postal
    }
    /// (5) Received directly or by post in the period.
    pub fn direct_and_postal(&self) -> u64 {
        self.received_direct + self.received_postal
    }
    /// (3) Dossiers to handle: received in the period + carried over.
    pub fn received_total(&self) -> u64 {
        self.received_in_period() + self.carried_over
    }
    /// (7) Resolved in the period: early + on time + late.
    pub fn resolved_total(&self) -> u64 {
        self.resolved_early + self.resolved_on_time + self.resolved_late
    }
    /// (11) In progress at the end: not yet due + overdue (waiting excluded).
    pub fn in_progress_total(&self) -> u64 {
        self.in_progress_not_due + self.in_progress_overdue
    }

    /// On-time rate over resolved dossiers: (early + on time) / resolved. The common
    /// provincial and `OpenCPS` definition. `None` when nothing was resolved.
    pub fn on_time_rate(&self) -> Option<Ratio> {
        Ratio::new(self.resolved_early + self.resolved_on_time, self.resolved_total())
    }
    /// On-time rate counting overdue pending dossiers as late: (early + on time) /
    /// (resolved + overdue in progress), as the Decision 766 rule does.
    pub fn on_time_rate_with_overdue(&self) -> Option<Ratio> {
        Ratio::new(
            self.resolved_early + self.resolved_on_time,
            self.resolved_total() + self.in_progress_overdue,
        )
    }
    /// Late rate: late / resolved.
    pub fn late_rate(&self) -> Option<Ratio> {
        Ratio::new(self.resolved_late, self.resolved_total())
    }
    /// Online rate: received online / received in the period.
    pub fn online_rate(&self) -> Option<Ratio> {
        Ratio::new(self.received_online, self.received_in_period())
    }
    /// Postal share: received by post / received in the period.
    pub fn postal_share(&self) -> Option<Ratio> {
        Ratio::new(self.received_postal, self.received_in_period())
    }
    /// Digitised at reception: digitised / received in the period.
    pub fn digitised_rate(&self) -> Option<Ratio> {
        Ratio::new(self.digitised, self.received_in_period())
    }
    /// Electronic results: resolved with an e-result / resolved.
    pub fn e_result_rate(&self) -> Option<Ratio> {
        Ratio::new(self.e_results, self.resolved_total())
    }
    /// Online payment: payments made online / received under fee-bearing procedures.
    pub fn online_payment_rate(&self) -> Option<Ratio> {
        Ratio::new(self.paid_online, self.fee_bearing)
    }

    /// Returns a value that displays the report in `lang`.
    pub fn display(&self, lang: Lang) -> impl fmt::Display + '_ {
        ReportDisplay { report: self, lang }
    }
}

struct ReportDisplay<'a> {
    report: &'a OneStopReport,
    lang: Lang,
}

impl fmt::Display for ReportDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (r, l) = (self.report, self.lang);
        let n = |x: u64| format_count(x as i64, l);
        writeln!(
            f,
            "{} ({} {} {} {})",
            l.pick("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC", "ADMINISTRATIVE PROCEDURE HANDLING"),
            l.pick("từ ngày", "from"),
            r.period.from(),
            l.pick("đến ngày", "to"),
            r.period.to()
        )?;
        let rows: [(&str, &str, u64); 15] = [
            ("(3) Số hồ sơ nhận giải quyết", "(3) Dossiers to handle", r.received_total()),
            ("(4)   Trực tuyến", "(4)   Online", r.received_online),
            (
                "(5)   Trực tiếp, dịch vụ bưu chính",
                "(5)   Direct and postal",
                r.direct_and_postal(),
            ),
            ("(6)   Từ kỳ trước", "(6)   Carried over", r.carried_over),
            ("(7) Số hồ sơ đã giải quyết", "(7) Resolved", r.resolved_total()),
            ("(8)   Trước hạn", "(8)   Early", r.resolved_early),
            ("(9)   Đúng hạn", "(9)   On time", r.resolved_on_time),
            ("(10)  Quá hạn", "(10)  Late", r.resolved_late),
            ("(11) Số hồ sơ đang giải quyết", "(11) In progress", r.in_progress_total()),
            ("(12)  Trong hạn", "(12)  Not yet due", r.in_progress_not_due),
            ("(13)  Quá hạn", "(13)  Overdue", r.in_progress_overdue),
            ("Chờ bổ sung", "Waiting for a supplement", r.waiting_supplement),
            ("Từ chối", "Refused", r.refused),
            ("Rút hồ sơ", "Withdrawn", r.withdrawn),
            ("Đã trả kết quả", "Results returned", r.returned),
        ];
        for (vi, en, value) in rows {
            writeln!(f, "  {:<38} {:>12}", l.pick(vi, en), n(value))?;
        }
        let rates = [
            (
                "Tỷ lệ đúng hạn (trên số đã giải quyết)",
                "On-time rate (of resolved)",
                r.on_time_rate(),
            ),
            (
                "Tỷ lệ đúng hạn (tính cả hồ sơ quá hạn)",
                "On-time rate (incl. overdue)",
                r.on_time_rate_with_overdue(),
            ),
            ("Tỷ lệ trực tuyến", "Online rate", r.online_rate()),
            ("Tỷ lệ số hóa khi tiếp nhận", "Digitised at reception", r.digitised_rate()),
            ("Tỷ lệ kết quả điện tử", "Electronic results", r.e_result_rate()),
            ("Tỷ lệ thanh toán trực tuyến", "Online payment", r.online_payment_rate()),
        ];
        for (vi, en, rate) in rates {
            let shown = rate.map_or_else(|| "–".to_owned(), |x| x.display(l));
            writeln!(f, "  {:<38} {:>12}", l.pick(vi, en), shown)?;
        }
        Ok(())
    }
}

impl fmt::Display for OneStopReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(Lang::Vi).fmt(f)
    }
}

impl Add for OneStopReport {
    type Output = OneStopReport;
    fn add(self, o: OneStopReport) -> OneStopReport {
        OneStopReport {
            period: self.period,
            rule: self.rule,
            received_online: self.received_online + o.received_online,
            received_direct: self.received_direct + o.received_direct,
            received_postal: self.received_postal + o.received_postal,
            carried_over: self.carried_over + o.carried_over,
            resolved_early: self.resolved_early + o.resolved_early,
            resolved_on_time: self.resolved_on_time + o.resolved_on_time,
            resolved_late: self.resolved_late + o.resolved_late,
            in_progress_not_due: self.in_progress_not_due + o.in_progress_not_due,
            in_progress_overdue: self.in_progress_overdue + o.in_progress_overdue,
            waiting_supplement: self.waiting_supplement + o.waiting_supplement,
            refused: self.refused + o.refused,
            withdrawn: self.withdrawn + o.withdrawn,
            returned: self.returned + o.returned,
            digitised: self.digitised + o.digitised,
            reused_data: self.reused_data + o.reused_data,
            fee_bearing: self.fee_bearing + o.fee_bearing,
            paid_online: self.paid_online + o.paid_online,
            e_results: self.e_results + o.e_results,
            resolved_paper_result: self.resolved_paper_result + o.resolved_paper_result,
            e_results_paper_result: self.e_results_paper_result + o.e_results_paper_result,
            transferred: self.transferred + o.transferred,
            supplement_requests: self.supplement_requests + o.supplement_requests,
            extended: self.extended + o.extended,
            late_apologies: self.late_apologies + o.late_apologies,
        }
    }
}

/// Sums reports: `None` for no reports, otherwise their sum (see [`OneStopReport`]'s
/// note on periods).
impl std::iter::Sum<OneStopReport> for Option<OneStopReport> {
    fn sum<I: Iterator<Item = OneStopReport>>(iter: I) -> Self {
        iter.reduce(|a, b| a + b)
    }
}

/// The backlog at an instant: pending dossiers split by state. The store answers it
/// at the end of a date ([`Store::backlog`](crate::Store::backlog)) or at any instant
/// ([`Store::backlog_at`](crate::Store::backlog_at)) without reading dossiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backlog {
    /// The instant the backlog is taken at (UTC).
    pub at: time::OffsetDateTime,
    /// The clock rule used for "overdue".
    pub rule: ClockRule,
    /// Pending: received and not closed (waiting included).
    pub pending: u64,
    /// Pending, not waiting, not yet due.
    pub not_yet_due: u64,
    /// Pending, not waiting, overdue.
    pub overdue: u64,
    /// Waiting for a supplement.
    pub waiting: u64,
}

impl Backlog {
    pub(crate) fn from_prefix(at: time::OffsetDateTime, rule: ClockRule, counts: &Counts) -> Self {
        let pending = non_negative(count(counts, Measure::Pending));
        let waiting = non_negative(count(counts, Measure::Waiting));
        let overdue = non_negative(count(
            counts,
            match rule {
                ClockRule::Restart => Measure::OverdueRestart,
                ClockRule::Subtract => Measure::OverdueSubtract,
            },
        ));
        let at = at.to_offset(time::UtcOffset::UTC);
        Self {
            at,
            rule,
            pending,
            not_yet_due: pending.saturating_sub(waiting + overdue),
            overdue,
            waiting,
        }
    }

    /// Computes the backlog at instant `at` by folding dossiers (any instant, O(n)).
    pub fn from_dossiers<'a>(
        dossiers: impl IntoIterator<Item = &'a Dossier>,
        at: time::OffsetDateTime,
        rule: ClockRule,
    ) -> Self {
        let mut b = Self::empty(at, rule);
        for d in dossiers {
            b.count(d);
        }
        b
    }

    /// An empty backlog at `at`.
    pub fn empty(at: time::OffsetDateTime, rule: ClockRule) -> Self {
        Self {
            at: at.to_offset(time::UtcOffset::UTC),
            rule,
            pending: 0,
            not_yet_due: 0,
            overdue: 0,
            waiting: 0,
        }
    }

    /// Counts one dossier in the backlog, by its state at the backlog's instant.
    pub fn count(&mut self, d: &Dossier) {
        let s = d.state_at(self.at);
        if !s.pending {
            return;
        }
        self.pending += 1;
        let overdue = match self.rule {
            ClockRule::Restart => s.overdue_restart,
            ClockRule::Subtract => s.overdue_subtract,
        };
        if s.waiting {
            self.waiting += 1;
        } else if overdue {
            self.overdue += 1;
        } else {
            self.not_yet_due += 1;
        }
    }

    /// Returns a value that displays the backlog in `lang`.
    pub fn display(&self, lang: Lang) -> impl fmt::Display + '_ {
        BacklogDisplay { backlog: self, lang }
    }
}

struct BacklogDisplay<'a> {
    backlog: &'a Backlog,
    lang: Lang,
}

impl fmt::Display for BacklogDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (b, l) = (self.backlog, self.lang);
        let n = |x: u64| format_count(x as i64, l);
        let local = b.at.to_offset(crate::model::time_limit::VIETNAM_OFFSET);
        write!(
            f,
            "{} {} {:02}:{:02}: {} {} ({} {}, {} {}), {} {}",
            l.pick("Tồn đọng lúc", "Backlog at"),
            local.date(),
            local.hour(),
            local.minute(),
            n(b.pending),
            l.pick("đang giải quyết", "pending"),
            n(b.not_yet_due),
            l.pick("trong hạn", "not yet due"),
            n(b.overdue),
            l.pick("quá hạn", "overdue"),
            n(b.waiting),
            l.pick("chờ bổ sung", "waiting for a supplement"),
        )
    }
}

impl fmt::Display for Backlog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(Lang::Vi).fmt(f)
    }
}
