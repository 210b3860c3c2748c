//! The periodic one-stop-shop report (Biểu số 06/VPCP/KSTT), its rates, and the
//! backlog as of a date.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::metrics::display::{Lang, format_count, format_percent, round_decimal};
use crate::model::dossier::{Channel, ClockRule, Dossier, DossierStatus, Outcome};
use crate::model::measure::{Counts, Measure};
use crate::model::scope::{Dmy, Period};
use crate::model::time_limit::vietnam_date;
use crate::{Error, Result};

/// A rate with its numerator and denominator, so every figure can be traced.
///
/// ```
/// use cchc::Ratio;
/// use cchc::metrics::display::Lang;
/// let r = Ratio::new(18, 64).expect("denominator is not zero");
/// assert_eq!(r.percent(), 28.125);
/// assert_eq!(r.display(Lang::Vi), "28,13 % (18/64)");
/// assert!(cchc::Ratio::new(1, 0).is_none());
/// ```
///
/// In JSON it carries the percent as the text shows it, rounded to two decimals
/// (read back, the percent is ignored: it follows from the other two):
///
/// ```
/// let r = cchc::Ratio::new(5, 6).expect("denominator is not zero");
/// assert_eq!(
///     serde_json::to_string(&r)?,
///     r#"{"numerator":5,"denominator":6,"percent":83.33}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
    /// Returns the percent as the text shows it: rounded to two decimals, half away
    /// from zero (18/64 = 28.125 % shows as 28.13).
    pub fn percent_shown(&self) -> f64 {
        round_decimal(self.percent(), 2)
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

impl Serialize for Ratio {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Compact formats keep the two fields the derived reader expects in order.
        let readable = serializer.is_human_readable();
        let mut s = serializer.serialize_struct("Ratio", if readable { 3 } else { 2 })?;
        s.serialize_field("numerator", &self.numerator)?;
        s.serialize_field("denominator", &self.denominator)?;
        if readable {
            s.serialize_field("percent", &self.percent_shown())?;
        }
        s.end()
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
///   withdrawn, closed for want of a supplement, stopped) before `from`;
/// - *resolved*: resolution day in the period, split early / on time / late under
///   `rule` by [`classify`](crate::model::dossier::classify);
/// - *in progress*: still pending at 00:00 after `to`, split not yet due / overdue
///   (due instant before that moment); dossiers waiting for a supplement are their
///   own column, in neither.
///
/// So `received_total = received_online + direct_and_postal + carried_over`,
/// `resolved_total = early + on_time + late`, `in_progress = not_yet_due + overdue`,
/// and `received_total = resolved_total + in_progress + waiting + refused + withdrawn +
/// closed_unsupplemented + stopped` (the last two exist only for dossiers received under
/// Decree 118/2025; they are not columns of Biểu 06 and are shown beside refusals).
///
/// # Combining reports
///
/// - [`merge`](Self::merge): the report of two disjoint scopes (two provinces' stores,
///   two districts) over the **same period and clock rule** is the column-wise sum of
///   theirs. Anything else is refused with [`Error::Mismatch`]: summing Q1 and Q2
///   would count the dossiers carried over into Q2 a second time.
/// - [`join`](Self::join): the report of one scope over two **consecutive periods**
///   (Q1 then Q2 gives H1): flows add, the carried-over stock is the first period's,
///   the end-of-period stocks are the last period's.
/// - [`ReportAccumulator`] builds a report from dossiers (push, merge, finish).
///
/// ```
/// use cchc::{ClockRule, OneStopReport, Period};
/// let q1 = Period::quarter(2024, 1)?;
/// let mut north = OneStopReport::empty(q1, ClockRule::Restart);
/// north.received_online = 3;
/// let mut south = OneStopReport::empty(q1, ClockRule::Restart);
/// south.received_online = 4;
/// north.merge(south)?;
/// assert_eq!(north.received_online, 7);
/// // A report of another period is refused, and nothing changes.
/// let q2 = OneStopReport::empty(Period::quarter(2024, 2)?, ClockRule::Restart);
/// assert!(matches!(north.merge(q2), Err(cchc::Error::Mismatch { .. })));
/// assert_eq!(north.received_online, 7);
/// # Ok::<(), cchc::Error>(())
/// ```
///
/// # Serde form
///
/// The fields as they are, then, in a human-readable format such as JSON, the
/// figures the text shows: `totals` (`received_in_period`, `direct_and_postal`,
/// `received_total`, `resolved_total`, `in_progress_total`) and `rates` (every rate
/// method, each a [`Ratio`] with its shown percent, or `null` when undefined). They
/// follow from the fields, so reading a report back ignores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
    /// Closed in the period because the supplement never came (Decree 118/2025 Art.
    /// 19(5)).
    #[serde(default)]
    pub closed_unsupplemented: u64,
    /// Of those, closed before the 15 days had run out.
    #[serde(default)]
    pub closed_early: u64,
    /// Stopped in the period at the applicant's request (Decree 118/2025 Art. 21).
    #[serde(default)]
    pub stopped: u64,
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
    /// Of those, issued later than the calendar day before the due day.
    pub late_apologies: u64,
}

impl Serialize for OneStopReport {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        /// The totals the text shows.
        #[derive(Serialize)]
        struct Totals {
            received_in_period: u64,
            direct_and_postal: u64,
            received_total: u64,
            resolved_total: u64,
            in_progress_total: u64,
        }
        /// The rates the text and the CSV show.
        #[derive(Serialize)]
        struct Rates {
            on_time_rate: Option<Ratio>,
            on_time_rate_with_overdue: Option<Ratio>,
            on_time_rate_of_received: Option<Ratio>,
            resolved_rate_of_received: Option<Ratio>,
            late_rate: Option<Ratio>,
            online_rate: Option<Ratio>,
            postal_share: Option<Ratio>,
            digitised_rate: Option<Ratio>,
            e_result_rate: Option<Ratio>,
            online_payment_rate: Option<Ratio>,
        }
        // Compact formats keep exactly the fields the derived reader expects.
        let readable = serializer.is_human_readable();
        let mut s =
            serializer.serialize_struct("OneStopReport", FIELDS + 2 * usize::from(readable))?;
        s.serialize_field("period", &self.period)?;
        s.serialize_field("rule", &self.rule)?;
        s.serialize_field("received_online", &self.received_online)?;
        s.serialize_field("received_direct", &self.received_direct)?;
        s.serialize_field("received_postal", &self.received_postal)?;
        s.serialize_field("carried_over", &self.carried_over)?;
        s.serialize_field("resolved_early", &self.resolved_early)?;
        s.serialize_field("resolved_on_time", &self.resolved_on_time)?;
        s.serialize_field("resolved_late", &self.resolved_late)?;
        s.serialize_field("in_progress_not_due", &self.in_progress_not_due)?;
        s.serialize_field("in_progress_overdue", &self.in_progress_overdue)?;
        s.serialize_field("waiting_supplement", &self.waiting_supplement)?;
        s.serialize_field("refused", &self.refused)?;
        s.serialize_field("withdrawn", &self.withdrawn)?;
        s.serialize_field("closed_unsupplemented", &self.closed_unsupplemented)?;
        s.serialize_field("closed_early", &self.closed_early)?;
        s.serialize_field("stopped", &self.stopped)?;
        s.serialize_field("returned", &self.returned)?;
        s.serialize_field("digitised", &self.digitised)?;
        s.serialize_field("reused_data", &self.reused_data)?;
        s.serialize_field("fee_bearing", &self.fee_bearing)?;
        s.serialize_field("paid_online", &self.paid_online)?;
        s.serialize_field("e_results", &self.e_results)?;
        s.serialize_field("resolved_paper_result", &self.resolved_paper_result)?;
        s.serialize_field("e_results_paper_result", &self.e_results_paper_result)?;
        s.serialize_field("transferred", &self.transferred)?;
        s.serialize_field("supplement_requests", &self.supplement_requests)?;
        s.serialize_field("extended", &self.extended)?;
        s.serialize_field("late_apologies", &self.late_apologies)?;
        if readable {
            s.serialize_field(
                "totals",
                &Totals {
                    received_in_period: self.received_in_period(),
                    direct_and_postal: self.direct_and_postal(),
                    received_total: self.received_total(),
                    resolved_total: self.resolved_total(),
                    in_progress_total: self.in_progress_total(),
                },
            )?;
            s.serialize_field(
                "rates",
                &Rates {
                    on_time_rate: self.on_time_rate(),
                    on_time_rate_with_overdue: self.on_time_rate_with_overdue(),
                    on_time_rate_of_received: self.on_time_rate_of_received(),
                    resolved_rate_of_received: self.resolved_rate_of_received(),
                    late_rate: self.late_rate(),
                    online_rate: self.online_rate(),
                    postal_share: self.postal_share(),
                    digitised_rate: self.digitised_rate(),
                    e_result_rate: self.e_result_rate(),
                    online_payment_rate: self.online_payment_rate(),
                },
            )?;
        }
        s.end()
    }
}

/// The number of fields of [`OneStopReport`], each written by its `Serialize`.
const FIELDS: usize = 26;

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
            closed_unsupplemented: 0,
            closed_early: 0,
            stopped: 0,
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
            closed_unsupplemented: flow(Measure::ClosedUnsupplemented),
            closed_early: flow(Measure::ClosedEarly),
            stopped: flow(Measure::Stopped),
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
    /// scope; O(dossiers × events). A thin wrapper over [`ReportAccumulator`].
    pub fn from_dossiers<'a>(
        dossiers: impl IntoIterator<Item = &'a Dossier>,
        period: Period,
        rule: ClockRule,
    ) -> Self {
        let mut acc = ReportAccumulator::new(period, rule);
        for d in dossiers {
            acc.push(d);
        }
        acc.finish()
    }

    /// Merges the report of another scope over the same period and clock rule into
    /// this one: every column adds. The scopes must be disjoint (different stores, or
    /// units neither of which contains the other); that cannot be checked here.
    ///
    /// # Errors
    /// [`Error::Mismatch`] when the periods or the clock rules differ;
    /// [`Error::InvalidInput`] when a column would overflow `u64`. On error `self`
    /// is unchanged.
    pub fn merge(&mut self, other: Self) -> Result<()> {
        const OPERATION: &str = "merge reports";
        if self.period != other.period {
            return Err(mismatch(OPERATION, "the periods differ", self.period, other.period));
        }
        self.check_rule(OPERATION, &other)?;
        *self = self.added(other, OPERATION)?;
        Ok(())
    }

    /// Merges reports of disjoint scopes over one period and rule (see
    /// [`merge`](Self::merge)): `None` for none.
    ///
    /// # Errors
    /// As [`merge`](Self::merge).
    pub fn merge_all(reports: impl IntoIterator<Item = Self>) -> Result<Option<Self>> {
        let mut reports = reports.into_iter();
        let Some(mut total) = reports.next() else { return Ok(None) };
        for r in reports {
            total.merge(r)?;
        }
        Ok(Some(total))
    }

    /// Extends this report of a scope with the report of the same scope over the
    /// period that follows it (`next` starts the day after this one ends): the
    /// result covers both periods. Flows (received, resolved, refused, withdrawn,
    /// returned, payments, transfers, …) add; `carried_over` stays this report's,
    /// since what was carried into the later period was counted here already; the
    /// end-of-period stocks (in progress, waiting) become `next`'s. The result equals
    /// the report computed over the joined period.
    ///
    /// ```
    /// use cchc::{ClockRule, OneStopReport, Period};
    /// let mut h1 = OneStopReport::empty(Period::quarter(2024, 1)?, ClockRule::Restart);
    /// h1.carried_over = 5;
    /// h1.received_direct = 10;
    /// h1.in_progress_not_due = 6;
    /// let mut q2 = OneStopReport::empty(Period::quarter(2024, 2)?, ClockRule::Restart);
    /// q2.carried_over = 6; // Q1's end stock, counted again by Q2
    /// q2.received_direct = 20;
    /// q2.in_progress_not_due = 2;
    /// h1.join(q2)?;
    /// assert_eq!(h1.period, Period::new(Period::quarter(2024, 1)?.from(), Period::quarter(2024, 2)?.to())?);
    /// assert_eq!((h1.carried_over, h1.received_direct, h1.in_progress_not_due), (5, 30, 2));
    /// // Q1 and Q3 do not follow each other.
    /// let q3 = OneStopReport::empty(Period::quarter(2024, 3)?, ClockRule::Restart);
    /// let mut q1 = OneStopReport::empty(Period::quarter(2024, 1)?, ClockRule::Restart);
    /// assert!(q1.join(q3).is_err());
    /// # Ok::<(), cchc::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Mismatch`] when `next` does not start the day after this report's
    /// period ends, or the clock rules differ; [`Error::InvalidInput`] when a column
    /// would overflow `u64`. On error `self` is unchanged.
    pub fn join(&mut self, next: Self) -> Result<()> {
        const OPERATION: &str = "join reports";
        if self.period.to().next_day() != Some(next.period.from()) {
            return Err(mismatch(
                OPERATION,
                "the second period does not start the day after the first ends",
                self.period,
                next.period,
            ));
        }
        self.check_rule(OPERATION, &next)?;
        let mut joined = self.added(next, OPERATION)?;
        joined.period = Period::new(self.period.from(), next.period.to())?;
        joined.carried_over = self.carried_over;
        joined.in_progress_not_due = next.in_progress_not_due;
        joined.in_progress_overdue = next.in_progress_overdue;
        joined.waiting_supplement = next.waiting_supplement;
        *self = joined;
        Ok(())
    }

    fn check_rule(&self, operation: &'static str, other: &Self) -> Result<()> {
        if self.rule == other.rule {
            Ok(())
        } else {
            Err(mismatch(
                operation,
                "the clock rules differ",
                format!("{:?}", self.rule),
                format!("{:?}", other.rule),
            ))
        }
    }

    /// Every count of the report, once, in declaration order.
    fn counts_mut(&mut self) -> [&mut u64; 27] {
        [
            &mut self.received_online,
            &mut self.received_direct,
            &mut self.received_postal,
            &mut self.carried_over,
            &mut self.resolved_early,
            &mut self.resolved_on_time,
            &mut self.resolved_late,
            &mut self.in_progress_not_due,
            &mut self.in_progress_overdue,
            &mut self.waiting_supplement,
            &mut self.refused,
            &mut self.withdrawn,
            &mut self.closed_unsupplemented,
            &mut self.closed_early,
            &mut self.stopped,
            &mut self.returned,
            &mut self.digitised,
            &mut self.reused_data,
            &mut self.fee_bearing,
            &mut self.paid_online,
            &mut self.e_results,
            &mut self.resolved_paper_result,
            &mut self.e_results_paper_result,
            &mut self.transferred,
            &mut self.supplement_requests,
            &mut self.extended,
            &mut self.late_apologies,
        ]
    }

    /// This report with every count of `other` added (period and rule kept).
    fn added(mut self, mut other: Self, operation: &'static str) -> Result<Self> {
        for (mine, theirs) in self.counts_mut().into_iter().zip(other.counts_mut()) {
            *mine = mine.checked_add(*theirs).ok_or_else(|| {
                Error::invalid("report", format!("{operation}: a count overflows u64"))
            })?;
        }
        Ok(self)
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
    /// On time over received, the rate of Decree 61/2018 Art. 30 ("Tỷ lệ hồ sơ giải
    /// quyết TTHC đúng hạn trên tổng số hồ sơ tiếp nhận", quoted in DOMAIN.md §2.5 from
    /// the Pháp điển copy in GitHub `diepxuan/diepxuan.github.io`,
    /// `van-ban/buu-chinh-vien-thong/cong-nghe-thong-tin.md`):
    ///
    /// ```text
    /// (early + on time) / dossiers to handle = ((8) + (9)) / (3)
    /// ```
    ///
    /// \[I\] "Tổng số hồ sơ tiếp nhận" is read as column (3) of Biểu 06, received in the
    /// period plus carried over: every dossier resolved in the period is in it, so the
    /// rate never exceeds 100 %, which it could over the period's receipts alone.
    /// `None` when there is nothing to handle.
    ///
    /// ```
    /// use cchc::{ClockRule, OneStopReport, Period};
    /// let mut r = OneStopReport::empty(Period::month(2024, 3)?, ClockRule::Restart);
    /// (r.received_online, r.received_direct, r.carried_over) = (30, 40, 10);
    /// (r.resolved_early, r.resolved_on_time, r.resolved_late) = (20, 30, 10);
    /// let rate = r.on_time_rate_of_received().expect("80 dossiers to handle");
    /// assert_eq!((rate.numerator, rate.denominator), (50, 80));
    /// let resolved = r.resolved_rate_of_received().expect("80 dossiers to handle");
    /// assert_eq!((resolved.numerator, resolved.denominator), (60, 80));
    /// # Ok::<(), cchc::Error>(())
    /// ```
    pub fn on_time_rate_of_received(&self) -> Option<Ratio> {
        Ratio::new(self.resolved_early + self.resolved_on_time, self.received_total())
    }
    /// Resolved over received: resolved in the period / dossiers to handle,
    /// `(7) / (3)` of Biểu 06, read as [`on_time_rate_of_received`](Self::on_time_rate_of_received)
    /// reads "received". `None` when there is nothing to handle.
    pub fn resolved_rate_of_received(&self) -> Option<Ratio> {
        Ratio::new(self.resolved_total(), self.received_total())
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
        // The form's period line, dates as dd/mm/yyyy.
        writeln!(
            f,
            "{} ({} {} {} {})",
            l.pick("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC", "ADMINISTRATIVE PROCEDURE HANDLING"),
            l.pick("Từ ngày", "from"),
            Dmy(r.period.from()),
            l.pick("đến ngày", "to"),
            Dmy(r.period.to())
        )?;
        let rows: [(&str, &str, u64); 17] = [
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
            ("Đóng hồ sơ (không bổ sung)", "Closed, not supplemented", r.closed_unsupplemented),
            ("Dừng giải quyết", "Stopped at the applicant's request", r.stopped),
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
            (
                "Tỷ lệ đúng hạn (trên số tiếp nhận)",
                "On time (of dossiers to handle)",
                r.on_time_rate_of_received(),
            ),
            (
                "Tỷ lệ đã giải quyết (trên số tiếp nhận)",
                "Resolved (of dossiers to handle)",
                r.resolved_rate_of_received(),
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

/// An [`Error::Mismatch`].
fn mismatch(
    operation: &'static str,
    what: &'static str,
    left: impl fmt::Display,
    right: impl fmt::Display,
) -> Error {
    Error::Mismatch { operation, what, left: left.to_string(), right: right.to_string() }
}

/// Accumulates a [`OneStopReport`] from dossiers in the vocabulary of a search
/// engine's collectors: [`push`](Self::push) each dossier of the scope,
/// [`merge`](Self::merge) accumulators filled apart (threads, stores), then
/// [`finish`](Self::finish). [`OneStopReport::from_dossiers`] is this fold.
///
/// ```
/// use cchc::metrics::report::ReportAccumulator;
/// use cchc::{ClockRule, OneStopReport, Period};
/// let period = Period::month(2024, 3)?;
/// let mut north = ReportAccumulator::new(period, ClockRule::Restart);
/// let south = ReportAccumulator::new(period, ClockRule::Restart);
/// // north.push(&dossier) for each dossier of the north, likewise the south.
/// north.merge(south)?;
/// assert_eq!(north.finish(), OneStopReport::empty(period, ClockRule::Restart));
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportAccumulator {
    report: OneStopReport,
    /// 00:00 (UTC+7) of the first day.
    start: time::OffsetDateTime,
    /// 00:00 (UTC+7) after the last day, where the end-of-period stocks are taken.
    end: time::OffsetDateTime,
}

impl ReportAccumulator {
    /// An empty accumulator for `period` under `rule`.
    pub fn new(period: Period, rule: ClockRule) -> Self {
        Self {
            report: OneStopReport::empty(period, rule),
            start: period.start_instant(),
            end: period.end_instant(),
        }
    }

    /// Counts one dossier of the scope in every column it belongs to (see
    /// [`OneStopReport`] for the definitions). Returns whether it counted in any.
    pub fn push(&mut self, d: &Dossier) -> bool {
        let before = self.report;
        let r = &mut self.report;
        let (period, rule, start) = (r.period, r.rule, self.start);
        let in_period = |t: time::OffsetDateTime| period.contains(vietnam_date(t));
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
                DossierStatus::ClosedUnsupplemented => {
                    r.closed_unsupplemented += 1;
                    let early = d.events().iter().any(|e| {
                        matches!(
                            e.kind,
                            crate::model::dossier::EventKind::ClosedUnsupplemented { early: true }
                        )
                    });
                    r.closed_early += u64::from(early);
                }
                DossierStatus::Stopped => r.stopped += 1,
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
        let state = d.state_at(self.end);
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
        self.report != before
    }

    /// Adds the counts of an accumulator filled with other dossiers (of a disjoint
    /// scope) over the same period and rule, as [`OneStopReport::merge`].
    ///
    /// # Errors
    /// As [`OneStopReport::merge`]; on error `self` is unchanged.
    pub fn merge(&mut self, other: Self) -> Result<()> {
        self.report.merge(other.report)
    }

    /// Returns the report.
    pub fn finish(self) -> OneStopReport {
        self.report
    }
}

/// The backlog at an instant: pending dossiers split by state. The store answers it
/// at the end of a date ([`Store::backlog`](crate::Store::backlog)) or at any instant
/// ([`Store::backlog_at`](crate::Store::backlog_at)) without reading dossiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backlog {
    /// The instant the backlog is taken at (UTC).
    #[serde(with = "crate::serde_forms::one")]
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
    /// A thin wrapper over [`BacklogAccumulator`].
    pub fn from_dossiers<'a>(
        dossiers: impl IntoIterator<Item = &'a Dossier>,
        at: time::OffsetDateTime,
        rule: ClockRule,
    ) -> Self {
        let mut acc = BacklogAccumulator::new(at, rule);
        for d in dossiers {
            acc.push(d);
        }
        acc.finish()
    }

    /// Merges the backlog of another, disjoint scope (another store, another unit)
    /// taken at the same instant under the same clock rule: every count adds.
    ///
    /// ```
    /// use cchc::{Backlog, ClockRule};
    /// use cchc::model::time_limit::start_of_day;
    /// use time::macros::date;
    /// let at = start_of_day(date!(2024 - 04 - 01));
    /// let mut north = Backlog::empty(at, ClockRule::Restart);
    /// (north.pending, north.overdue) = (3, 3);
    /// let mut south = Backlog::empty(at, ClockRule::Restart);
    /// (south.pending, south.waiting) = (2, 2);
    /// north.merge(south)?;
    /// assert_eq!((north.pending, north.overdue, north.waiting), (5, 3, 2));
    /// let later = Backlog::empty(start_of_day(date!(2024 - 04 - 02)), ClockRule::Restart);
    /// assert!(north.merge(later).is_err());
    /// # Ok::<(), cchc::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Mismatch`] when the instants or the clock rules differ;
    /// [`Error::InvalidInput`] when a count would overflow `u64`. On error `self` is
    /// unchanged.
    pub fn merge(&mut self, other: Self) -> Result<()> {
        const OPERATION: &str = "merge backlogs";
        if self.at != other.at {
            return Err(mismatch(OPERATION, "the instants differ", self.at, other.at));
        }
        if self.rule != other.rule {
            return Err(mismatch(
                OPERATION,
                "the clock rules differ",
                format!("{:?}", self.rule),
                format!("{:?}", other.rule),
            ));
        }
        let add = |a: u64, b: u64| {
            a.checked_add(b).ok_or_else(|| {
                Error::invalid("backlog", format!("{OPERATION}: a count overflows u64"))
            })
        };
        let merged = Self {
            pending: add(self.pending, other.pending)?,
            not_yet_due: add(self.not_yet_due, other.not_yet_due)?,
            overdue: add(self.overdue, other.overdue)?,
            waiting: add(self.waiting, other.waiting)?,
            ..*self
        };
        *self = merged;
        Ok(())
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

    /// Counts one dossier in the backlog, by its state at the backlog's instant (as
    /// [`BacklogAccumulator::push`]).
    pub fn count(&mut self, d: &Dossier) {
        self.tally(d);
    }

    /// Counts one dossier; returns whether it was pending.
    fn tally(&mut self, d: &Dossier) -> bool {
        let s = d.state_at(self.at);
        if !s.pending {
            return false;
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
        true
    }

    /// Returns a value that displays the backlog in `lang`.
    pub fn display(&self, lang: Lang) -> impl fmt::Display + '_ {
        BacklogDisplay { backlog: self, lang }
    }
}

/// Accumulates a [`Backlog`] from dossiers: [`push`](Self::push) each dossier of the
/// scope, [`merge`](Self::merge) accumulators filled apart, then
/// [`finish`](Self::finish). [`Backlog::from_dossiers`] is this fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BacklogAccumulator {
    backlog: Backlog,
}

impl BacklogAccumulator {
    /// An empty accumulator for the backlog at `at` under `rule`.
    pub fn new(at: time::OffsetDateTime, rule: ClockRule) -> Self {
        Self { backlog: Backlog::empty(at, rule) }
    }

    /// Counts one dossier by its state at the backlog's instant; returns whether it
    /// was pending.
    pub fn push(&mut self, d: &Dossier) -> bool {
        self.backlog.tally(d)
    }

    /// Adds the counts of an accumulator filled with other dossiers (of a disjoint
    /// scope), as [`Backlog::merge`].
    ///
    /// # Errors
    /// As [`Backlog::merge`]; on error `self` is unchanged.
    pub fn merge(&mut self, other: Self) -> Result<()> {
        self.backlog.merge(other.backlog)
    }

    /// Returns the backlog.
    pub fn finish(self) -> Backlog {
        self.backlog
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

#[cfg(test)]
mod tests;
