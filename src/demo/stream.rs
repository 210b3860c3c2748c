//! The dossiers: one year in receipt order, planned day by day, each with the
//! history its level's behaviour profile draws.

use std::collections::HashMap;

use time::{Date, Duration, Month, OffsetDateTime};

use super::names::{APOLOGY_REASON, DISTRICTS, REFUSAL_REASONS, SUPPLEMENT_REASONS};
use super::province::{CatalogueEntry, Province};
use super::rng::{Rng, Weighted};
use super::{DemoDossier, DemoSpec, date};
use crate::id::{AgencyCode, DossierCode};
use crate::model::calendar::{CountingMode, WorkCalendar};
use crate::model::dossier::{Action, Channel, NewDossier};
use crate::model::time_limit::{TimeLimit, VIETNAM_OFFSET};
use crate::{Error, Result};

/// Per-level behaviour: province, district, commune.
#[derive(Debug, Clone, Copy)]
struct Profile {
    /// Share of dossiers received online (the seed's, of received).
    online: f64,
    digitised: f64,
    withdraw: f64,
    refuse: f64,
    supplement: f64,
    second_supplement: f64,
    never_supplied: f64,
    transfer: f64,
    late: f64,
    stuck: f64,
    apology: f64,
    returned: f64,
}

const PROFILES: [Profile; 3] = [
    Profile {
        online: 0.7774,
        digitised: 0.72,
        withdraw: 0.006,
        refuse: 0.012,
        supplement: 0.10,
        second_supplement: 0.2,
        never_supplied: 0.12,
        transfer: 0.06,
        late: 0.012,
        stuck: 0.012,
        apology: 0.5,
        returned: 0.95,
    },
    Profile {
        online: 0.3016,
        digitised: 0.5,
        withdraw: 0.008,
        refuse: 0.015,
        supplement: 0.12,
        second_supplement: 0.25,
        never_supplied: 0.15,
        transfer: 0.08,
        late: 0.035,
        stuck: 0.04,
        apology: 0.4,
        returned: 0.92,
    },
    Profile {
        online: 0.6545,
        digitised: 0.6,
        withdraw: 0.004,
        refuse: 0.006,
        supplement: 0.04,
        second_supplement: 0.15,
        never_supplied: 0.1,
        transfer: 0.02,
        late: 0.006,
        stuck: 0.003,
        apology: 0.3,
        returned: 0.97,
    },
];

/// One year of dossiers in receipt order, generated one day at a time (memory stays
/// at one day's dossiers whatever the total).
///
/// Each item is a [`DemoDossier`]: the receipt and its actions, valid for the
/// lifecycle (times non-decreasing, resolution only when not waiting, at most one
/// apology, after the due instant is known). Events after the end of the year are
/// left out, so some dossiers are still open, waiting or overdue at year end.
#[derive(Debug)]
pub struct DossierStream {
    seed: u64,
    calendar: WorkCalendar,
    mode: CountingMode,
    year_end: OffsetDateTime,
    /// Dossiers to generate per day of the year and level.
    days: Vec<(Date, [u64; 3])>,
    next_day: usize,
    buffer: std::vec::IntoIter<DemoDossier>,
    agencies: Vec<AgencyCode>,
    /// Index in `agencies` of departments, districts and communes.
    departments: Vec<usize>,
    districts: Vec<usize>,
    communes: Vec<(usize, usize)>,
    district_weights: Weighted,
    commune_weights: Weighted,
    procedures: [Weighted; 3],
    /// Probability that a dossier of an online-capable procedure is online, per level.
    online_given_capable: [f64; 3],
    catalogue: Vec<CatalogueEntry>,
}

impl DossierStream {
    /// Starts the stream of `spec`'s dossiers over `province` (from
    /// [`Province::generate`] with the same spec), deciding lateness with the
    /// Vietnamese calendar and working-time counting, as a default store does.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the spec is out of range.
    pub fn new(spec: &DemoSpec, province: &Province) -> Result<Self> {
        Self::with_calendar(spec, province, WorkCalendar::vietnam(), CountingMode::default())
    }

    /// Starts the stream with the calendar and counting mode of the target store.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the spec is out of range.
    pub fn with_calendar(
        spec: &DemoSpec,
        province: &Province,
        calendar: WorkCalendar,
        mode: CountingMode,
    ) -> Result<Self> {
        spec.validate()?;
        let mut rng = Rng::new(spec.seed, 2);
        let mut agencies = vec![province.root.code().clone()];
        let mut departments = Vec::new();
        for a in &province.departments {
            departments.push(agencies.len());
            agencies.push(a.code().clone());
        }
        let mut districts = Vec::new();
        let mut district_weights = Weighted::default();
        let mut district_index: HashMap<&AgencyCode, usize> = HashMap::new();
        for (d, a) in province.districts.iter().enumerate() {
            district_index.insert(a.code(), agencies.len());
            districts.push(agencies.len());
            district_weights.push(d, DISTRICTS.get(d).map_or(1.0, |x| x.3));
            agencies.push(a.code().clone());
        }
        let mut communes = Vec::new();
        let mut commune_weights = Weighted::default();
        for (c, a) in province.communes.iter().enumerate() {
            let parent = a.parent().and_then(|p| district_index.get(p)).copied().unwrap_or(0);
            let d = districts.iter().position(|&x| x == parent).unwrap_or(0);
            let ward = a.name().contains("phường");
            let w = DISTRICTS.get(d).map_or(1.0, |x| x.3)
                * rng.uniform(0.5, 1.5)
                * if ward { 1.5 } else { 1.0 };
            communes.push((agencies.len(), parent));
            commune_weights.push(c, w);
            agencies.push(a.code().clone());
        }
        let mut procedures: [Weighted; 3] = Default::default();
        let mut capable = [0.0f64; 3];
        for (i, entry) in province.catalogue.iter().enumerate() {
            if let Some(w) = procedures.get_mut(entry.level) {
                w.push(i, entry.weight);
            }
            if entry.online
                && let Some(c) = capable.get_mut(entry.level)
            {
                *c += entry.weight;
            }
        }
        let mut online_given_capable = [0.0; 3];
        for (level, p) in online_given_capable.iter_mut().enumerate() {
            let total = procedures.get(level).map_or(0.0, Weighted::total);
            let share = capable.get(level).copied().unwrap_or(0.0) / total.max(f64::MIN_POSITIVE);
            let target = PROFILES.get(level).map_or(0.5, |x| x.online);
            *p = if share > 0.0 { (target / share).min(1.0) } else { 0.0 };
        }
        let days = day_plan(spec, &calendar, &mut rng)?;
        let year_end =
            date(spec.year + 1, Month::January, 1)?.midnight().assume_offset(VIETNAM_OFFSET);
        Ok(Self {
            seed: spec.seed,
            calendar,
            mode,
            year_end,
            days,
            next_day: 0,
            buffer: Vec::new().into_iter(),
            agencies,
            departments,
            districts,
            communes,
            district_weights,
            commune_weights,
            procedures,
            online_given_capable,
            catalogue: province.catalogue.clone(),
        })
    }

    /// Generates all dossiers received on one day, in receipt order, with codes.
    fn generate_day(&self, index: usize, day: Date, counts: [u64; 3]) -> Result<Vec<DemoDossier>> {
        let mut rng = Rng::new(self.seed, 1_000 + index as u64);
        let sessions = self.calendar.working_hours(day.weekday()).sessions().to_vec();
        let minutes: i64 = sessions.iter().map(|&(s, e)| (e - s).whole_minutes()).sum();
        let mut drafts: Vec<(OffsetDateTime, usize, usize, NewDossierDraft)> = Vec::new();
        for (level, &count) in counts.iter().enumerate() {
            for _ in 0..count {
                let mut m = rng.below(minutes.max(1) as u64) as i64;
                let mut at = day.midnight();
                for &(s, e) in &sessions {
                    let len = (e - s).whole_minutes();
                    if m < len {
                        at = day.with_time(s)
                            + Duration::minutes(m)
                            + Duration::seconds(rng.between(0, 59));
                        break;
                    }
                    m -= len;
                }
                let received = at.assume_offset(VIETNAM_OFFSET);
                let draft = self.draft(&mut rng, level, received)?;
                drafts.push((received, draft.agency, drafts.len(), draft));
            }
        }
        drafts.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
        let mut sequence: HashMap<usize, u16> = HashMap::new();
        let mut out = Vec::with_capacity(drafts.len());
        for (received, agency, _, draft) in drafts {
            let seq = sequence.entry(agency).or_insert(0);
            *seq += 1;
            if *seq > 9_999 {
                return Err(Error::invalid(
                    "demo.dossiers",
                    "more than 9,999 dossiers for one agency in one day",
                ));
            }
            let agency_code = self.agency(agency)?;
            let code = DossierCode::compose(agency_code, day, *seq)?;
            let procedure = self
                .catalogue
                .get(draft.procedure)
                .map(|e| e.code.clone())
                .ok_or_else(|| Error::invalid("demo", "lost a procedure"))?;
            out.push((
                NewDossier {
                    code,
                    procedure,
                    agency: agency_code.clone(),
                    channel: draft.channel,
                    received_at: received,
                    digitised: draft.digitised,
                    reused_data: draft.reused,
                    receiving: None,
                    // Online under Decree 118 means the national portal (Art. 15(3)).
                    portal: (draft.channel == Channel::Online
                        && crate::model::rules::RuleSet::in_force_on(day).id
                            == crate::model::rules::RuleSetId::Decree118)
                        .then_some(crate::model::rules::Portal::National),
                    rule_set: None,
                },
                draft.actions,
            ));
        }
        Ok(out)
    }

    fn agency(&self, index: usize) -> Result<&AgencyCode> {
        self.agencies.get(index).ok_or_else(|| Error::invalid("demo", "lost an agency"))
    }

    /// Picks a procedure in force and not abolished on `day` at `level`.
    fn pick_procedure(&self, rng: &mut Rng, level: usize, day: Date) -> Result<(usize, TimeLimit)> {
        let table = self.procedures.get(level).ok_or_else(|| Error::invalid("demo", "level"))?;
        for _ in 0..32 {
            let Some(i) = table.pick(rng) else { break };
            let Some(entry) = self.catalogue.get(i) else { continue };
            if let Some(&(_, limit, abolished)) = entry.versions.iter().rev().find(|v| v.0 <= day)
                && !abolished
            {
                return Ok((i, limit));
            }
        }
        Err(Error::invalid("demo.procedures", "no procedure in force to pick"))
    }

    /// Draws one dossier and its history.
    fn draft(
        &self,
        rng: &mut Rng,
        level: usize,
        received: OffsetDateTime,
    ) -> Result<NewDossierDraft> {
        let day = received.date();
        let profile = PROFILES.get(level).copied().unwrap_or(PROFILES[0]);
        let (procedure, limit) = self.pick_procedure(rng, level, day)?;
        let entry =
            self.catalogue.get(procedure).ok_or_else(|| Error::invalid("demo", "procedure"))?;
        let agency = match level {
            0 => self.departments.get(entry.department).copied().unwrap_or(0),
            1 => {
                let d = self.district_weights.pick(rng).unwrap_or(0);
                self.districts.get(d).copied().unwrap_or(0)
            }
            _ => {
                let c = self.commune_weights.pick(rng).unwrap_or(0);
                self.communes.get(c).map_or(0, |x| x.0)
            }
        };
        let online_p = self.online_given_capable.get(level).copied().unwrap_or(0.0);
        let channel = if entry.online && rng.chance(online_p) {
            Channel::Online
        } else if rng.chance(0.03) {
            Channel::Postal
        } else {
            Channel::Direct
        };
        let digitised = rng.chance(profile.digitised);
        let reused = digitised && rng.chance(0.3);
        let actions = self.history(rng, level, agency, entry, channel, received, limit)?;
        Ok(NewDossierDraft { agency, procedure, channel, digitised, reused, actions })
    }

    fn due(&self, from: OffsetDateTime, limit: TimeLimit) -> Result<OffsetDateTime> {
        self.calendar.due_instant(from, limit, self.mode)
    }

    /// A point `fraction` of the working time between `from` and `to`.
    fn between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        fraction: f64,
    ) -> Result<OffsetDateTime> {
        if to <= from {
            return Ok(from);
        }
        let work = self.calendar.working_time_between(from, to);
        let part = Duration::seconds_f64(work.as_seconds_f64() * fraction.clamp(0.0, 1.0));
        Ok(self.calendar.add_working_time(from, part)?.min(to.max(from)))
    }

    #[allow(clippy::too_many_arguments)]
    fn history(
        &self,
        rng: &mut Rng,
        level: usize,
        agency: usize,
        entry: &CatalogueEntry,
        channel: Channel,
        received: OffsetDateTime,
        limit: TimeLimit,
    ) -> Result<Vec<(OffsetDateTime, Action)>> {
        let p = PROFILES.get(level).copied().unwrap_or(PROFILES[0]);
        // From 1 July 2025 the applicant stops (Decree 118 Art. 21) rather than
        // withdraws, and an unsupplied dossier is closed (Art. 19(5)). The random draws
        // stay the same, so earlier years come out exactly as before.
        let decree_118 = crate::model::rules::RuleSet::in_force_on(crate::vietnam_date(received))
            .applicant_exit
            == crate::model::rules::ApplicantExit::Stop;
        let exit = if decree_118 { Action::Stop } else { Action::Withdraw };
        let mut t = Timeline { events: Vec::new(), last: received };
        let immediate = limit.amount == 0;
        let mut due = self.due(received, limit)?;
        if entry.fee {
            let online = channel == Channel::Online && entry.online_payment && rng.chance(0.85);
            // Fees of an immediate procedure are paid at the desk as it is handled.
            let wait =
                if immediate { Duration::ZERO } else { Duration::minutes(rng.between(2, 45)) };
            t.push(received + wait, Action::Pay { online });
        }
        if !immediate && rng.chance(p.transfer) {
            let to = self.transfer_target(rng, level, agency)?;
            let at = self.between(received, due, rng.uniform(0.05, 0.3))?;
            t.push(at, Action::Transfer { to });
        }
        if !immediate && rng.chance(p.supplement) {
            let mut rounds = if rng.chance(p.second_supplement) { 2 } else { 1 };
            let mut start = received;
            while rounds > 0 {
                rounds -= 1;
                let at = self.between(start, due, rng.uniform(0.1, 0.5))?;
                let reason = rng.pick(&SUPPLEMENT_REASONS).copied().unwrap_or("Thiếu giấy tờ");
                let asked = t.push(at, Action::RequestSupplement { reason: reason.to_owned() });
                if rng.chance(p.never_supplied) {
                    // Never supplied: withdrawn (closed, under Decree 118, once its 15
                    // days have run) after a while, or still waiting.
                    if rng.chance(0.5) {
                        let days = rng.between(10, 60);
                        if decree_118 {
                            t.push(
                                asked + Duration::days(days.max(17)),
                                Action::CloseUnsupplemented,
                            );
                        } else {
                            t.push(asked + Duration::days(days), Action::Withdraw);
                        }
                    }
                    return Ok(self.cut(t.events));
                }
                let wait = Duration::days(rng.between(1, 12));
                let at = self
                    .calendar
                    .add_working_time(asked + wait, Duration::minutes(rng.between(5, 240)))?;
                let supplied = t.push(at, Action::Supplement);
                due = self.due(supplied, limit)?;
                start = supplied;
            }
        }
        let start = t.last;
        let fate = rng.unit();
        if fate < p.withdraw {
            let at = self.between(start, due, rng.unit())?;
            t.push(at, exit);
            return Ok(self.cut(t.events));
        }
        if fate < p.withdraw + p.refuse {
            let at = self.between(start, due, rng.uniform(0.1, 0.9))?;
            let reason = rng.pick(&REFUSAL_REASONS).copied().unwrap_or("Không đủ điều kiện");
            t.push(at, Action::Refuse { reason: reason.to_owned() });
            return Ok(self.cut(t.events));
        }
        let late = rng.chance(p.late);
        let stuck = !late && rng.chance(p.stuck);
        let resolved = if stuck {
            self.calendar.add_working_time(due, Duration::hours(8 * rng.between(20, 150)))?
        } else if late {
            self.calendar.add_working_time(due, Duration::minutes(rng.between(30, 8 * 60 * 12)))?
        } else if immediate {
            start
        } else {
            // Skewed towards early finishes, as the published rates are.
            self.between(start, due, 0.02 + 0.98 * rng.unit().powf(1.6))?
        };
        if (late || stuck) && rng.chance(p.apology) {
            // Most apologies come the day before the due day; some only after it.
            let at = if rng.chance(0.7) {
                due - Duration::hours(rng.between(18, 30))
            } else {
                due + Duration::minutes(rng.between(10, 600))
            };
            let promised = self
                .calendar
                .add_working_time(resolved.max(due), Duration::hours(rng.between(1, 16)))?;
            t.push(
                at.min(resolved),
                Action::Extend { new_appointment: promised, reason: APOLOGY_REASON.to_owned() },
            );
        }
        let e_result = if entry.paper_result { rng.chance(0.75) } else { rng.chance(0.92) };
        let resolved = t.push(resolved, Action::Resolve { e_result });
        if rng.chance(p.returned) {
            t.push(
                resolved + Duration::minutes(rng.between(10, 5 * 24 * 60)),
                Action::ReturnResult,
            );
        }
        Ok(self.cut(t.events))
    }

    /// Drops the events at or after the end of the year (any prefix of a valid
    /// history is valid).
    fn cut(&self, mut events: Vec<(OffsetDateTime, Action)>) -> Vec<(OffsetDateTime, Action)> {
        let keep = events.partition_point(|(at, _)| *at < self.year_end);
        events.truncate(keep);
        events
    }

    fn transfer_target(&self, rng: &mut Rng, level: usize, agency: usize) -> Result<AgencyCode> {
        let target = match level {
            0 | 1 => {
                let others: Vec<usize> =
                    self.departments.iter().copied().filter(|&d| d != agency).collect();
                match rng.pick(&others) {
                    Some(&d) => d,
                    None => 0,
                }
            }
            _ => self.communes.iter().find(|c| c.0 == agency).map_or(0, |c| c.1),
        };
        let target = if target == agency { 0 } else { target };
        self.agency(target).cloned()
    }
}

/// A dossier's actions being built, kept in time order.
struct Timeline {
    events: Vec<(OffsetDateTime, Action)>,
    last: OffsetDateTime,
}

impl Timeline {
    /// Appends `action` at `at`, or at the previous event's instant if `at` is earlier;
    /// returns the instant used.
    fn push(&mut self, at: OffsetDateTime, action: Action) -> OffsetDateTime {
        let at = at.max(self.last);
        self.last = at;
        self.events.push((at, action));
        at
    }
}

/// A dossier before its code is known.
struct NewDossierDraft {
    agency: usize,
    procedure: usize,
    channel: Channel,
    digitised: bool,
    reused: bool,
    actions: Vec<(OffsetDateTime, Action)>,
}

/// How many dossiers each level receives on each working day of the year:
/// seasonal and weekday weights with noise, rounded so the totals are exact.
fn day_plan(
    spec: &DemoSpec,
    calendar: &WorkCalendar,
    rng: &mut Rng,
) -> Result<Vec<(Date, [u64; 3])>> {
    const MONTH: [f64; 12] = [1.05, 0.8, 1.0, 0.95, 1.0, 1.0, 1.05, 1.0, 0.95, 1.0, 1.05, 1.15];
    let mut day = date(spec.year, Month::January, 1)?;
    let mut plan: Vec<(Date, f64)> = Vec::new();
    while day.year() == spec.year {
        if calendar.is_working_day(day) {
            let month = MONTH.get(usize::from(u8::from(day.month())) - 1).copied().unwrap_or(1.0);
            let weekday = match day.weekday() {
                time::Weekday::Monday => 1.15,
                time::Weekday::Friday => 0.9,
                time::Weekday::Saturday => 0.5,
                _ => 1.0,
            };
            plan.push((day, month * weekday * rng.uniform(0.85, 1.15)));
        }
        day = day.next_day().ok_or_else(|| Error::invalid("demo.year", "runs out of dates"))?;
    }
    let total_weight: f64 = plan.iter().map(|d| d.1).sum();
    let split = spec.level_split();
    let mut out: Vec<(Date, [u64; 3])> = plan.iter().map(|&(d, _)| (d, [0; 3])).collect();
    for (level, &n) in split.iter().enumerate() {
        let mut cumulative = 0.0;
        let mut given = 0u64;
        let last = plan.len().saturating_sub(1);
        for (i, ((_, w), (_, counts))) in plan.iter().zip(out.iter_mut()).enumerate() {
            cumulative += w;
            let upto =
                if i == last { n } else { ((n as f64) * cumulative / total_weight).round() as u64 };
            let upto = upto.clamp(given, n);
            if let Some(c) = counts.get_mut(level) {
                *c = upto - given;
            }
            given = upto;
        }
    }
    Ok(out)
}

impl Iterator for DossierStream {
    type Item = Result<DemoDossier>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            let &(day, counts) = self.days.get(self.next_day)?;
            let index = self.next_day;
            self.next_day += 1;
            match self.generate_day(index, day, counts) {
                Ok(items) => self.buffer = items.into_iter(),
                Err(e) => {
                    self.next_day = self.days.len();
                    return Some(Err(e));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{Field, ProcedureCode};
    use crate::model::agency::Level;
    use crate::model::dossier::{Dossier, DossierHeader};
    use crate::model::procedure::{Procedure, ProcedureStatus};

    /// Folds a generated history with the store's event conversion
    /// ([`Action::to_event`]): the lifecycle must accept every event.
    fn fold(
        new: &NewDossier,
        actions: &[(OffsetDateTime, Action)],
        cal: &WorkCalendar,
        limit: TimeLimit,
    ) -> Dossier {
        let header = DossierHeader {
            code: new.code.clone(),
            procedure: new.procedure.clone(),
            field: Field::new("x").unwrap(),
            agency: new.agency.clone(),
            channel: new.channel,
            limit,
            fee_bearing: false,
            paper_result: false,
            digitised: new.digitised,
            reused_data: new.reused_data,
            receiving: None,
            portal: None,
            rule_set: crate::model::rules::RuleSetId::Decree61,
        };
        let due = cal.due_instant(new.received_at, limit, CountingMode::default()).unwrap();
        let mut d = Dossier::open(header, new.received_at, due).unwrap();
        for (at, action) in actions {
            let event = action.to_event(&d, *at, cal, CountingMode::default()).unwrap();
            d.apply(event).unwrap_or_else(|e| panic!("{}: {e}", new.code));
        }
        d
    }

    #[test]
    fn dossiers_are_ordered_unique_valid_and_deterministic() {
        let spec = DemoSpec::quang_nam_2023().with_dossiers(6_000);
        let province = Province::generate(&spec).unwrap();
        let all: Vec<DemoDossier> =
            DossierStream::new(&spec, &province).unwrap().map(Result::unwrap).collect();
        assert_eq!(all.len(), 6_000);
        let again: Vec<DemoDossier> =
            DossierStream::new(&spec, &province).unwrap().map(Result::unwrap).collect();
        assert_eq!(all, again);
        let other: Vec<DemoDossier> = DossierStream::new(&spec.with_seed(7), &province)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_ne!(all, other);
        let cal = WorkCalendar::vietnam();
        let end = date(2024, Month::January, 1).unwrap().midnight().assume_offset(VIETNAM_OFFSET);
        let mut codes = std::collections::HashSet::new();
        let mut by_level = [0u64; 3];
        let mut online = [0u64; 3];
        let (mut late, mut resolved, mut open, mut supplements, mut extensions) = (0, 0, 0, 0, 0);
        for pair in all.windows(2) {
            assert!(pair[0].0.received_at <= pair[1].0.received_at);
        }
        let limits: HashMap<&ProcedureCode, Vec<&Procedure>> =
            province.procedures.iter().fold(HashMap::new(), |mut m, p| {
                m.entry(p.code()).or_default().push(p);
                m
            });
        for (new, actions) in &all {
            assert!(codes.insert(new.code.clone()));
            assert_eq!(new.code.agency(), new.agency);
            assert_eq!(new.code.date(), new.received_at.date());
            assert!(cal.is_working_day(new.received_at.date()));
            assert!(actions.iter().all(|(at, _)| *at < end));
            let version = limits[&new.procedure]
                .iter()
                .rev()
                .find(|p| p.effective_from() <= new.received_at.date())
                .expect("a version in force");
            assert_eq!(version.status(), ProcedureStatus::InForce);
            let d = fold(new, actions, &cal, version.limit());
            let level = province.agencies().find(|a| a.code() == &new.agency).unwrap().level();
            let l = match level {
                Level::Province => 0,
                Level::District => 1,
                _ => 2,
            };
            assert_eq!(version.levels(), &[level]);
            by_level[l] += 1;
            online[l] += u64::from(new.channel == Channel::Online);
            supplements += d.supplement_requests();
            extensions += u32::from(d.extended_appointment().is_some());
            if d.outcome(crate::ClockRule::Restart) == Some(crate::Outcome::Late) {
                late += 1;
            }
            resolved += u32::from(d.resolved_at().is_some());
            open += u32::from(!d.status().is_closed());
        }
        assert_eq!(by_level, spec.level_split());
        // Online shares near the seed's 77.7 %, 30.2 %, 65.5 %.
        for (l, target) in [0.7774, 0.3016, 0.6545].iter().enumerate() {
            let share = online[l] as f64 / by_level[l] as f64;
            assert!((share - target).abs() < 0.04, "level {l}: {share}");
        }
        // Some of everything, in plausible proportions.
        assert!(late > 30 && late < 400, "late {late}");
        assert!(resolved > 5_400 && resolved < 5_950, "resolved {resolved}");
        assert!(open > 20, "open {open}");
        assert!(supplements > 200, "supplements {supplements}");
        assert!(extensions > 10, "extensions {extensions}");
    }
}
