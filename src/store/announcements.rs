//! Calendar announcements kept in the store, the calendars they make, and the explicit
//! operation that re-derives the calendar facts of stored dossiers when an
//! announcement changes a day they were timed with.
//!
//! What stands for a dossier already received when a day it used changes: the
//! re-derived facts. A time limit is set by law in working days (Decree 61/2018 Art.
//! 18(2); Decree 118/2025 keeps the rule) and the government's announcement decides
//! which days are working days; the appointment printed on the receipt was computed
//! from what the store knew then. Schedules are announced months ahead, so a stored
//! appointment that disagrees with an announcement means the store's calendar was
//! wrong, and judging the dossier late (or early) against a day the law did not make
//! a working day would misreport the agency. The change is never silent: `add` refuses
//! an announcement that would move a stored dossier, and only `apply` (or `remove`)
//! re-derives, listing what it changed.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use sled::Transactional;
use time::Date;

use crate::id::{AgencyCode, DossierCode};
use crate::model::calendar::announcement::calendar_with;
use crate::model::calendar::{AnnouncementScope, CalendarAnnouncement, WorkCalendar};
use crate::model::dossier::rederive;
use crate::store::codec::{decode, encode};
use crate::store::counters::{Deltas, apply_rows};
use crate::store::intraday::IntradayDeltas;
use crate::store::keys::{dossier_key, tree};
use crate::store::records::DossierRecord;
use crate::store::records::calendar::CalendarAnnouncementRecord;
use crate::store::tx::tx_error;
use crate::store::{Store, poisoned};
use crate::{Error, Result};

/// How many dossiers one re-derivation batch rewrites in one transaction.
const REDERIVE_BATCH: usize = 1_000;

/// The calendars the store times dossiers with: the configured ones with the stored
/// announcements applied.
#[derive(Debug)]
pub(crate) struct Calendars {
    default: Arc<WorkCalendar>,
    agencies: HashMap<AgencyCode, Arc<WorkCalendar>>,
    announcements: Vec<CalendarAnnouncement>,
}

impl Calendars {
    /// Applies `announcements` to the configured calendars.
    pub(crate) fn build(
        base: &WorkCalendar,
        base_agencies: &HashMap<AgencyCode, WorkCalendar>,
        announcements: Vec<CalendarAnnouncement>,
    ) -> Self {
        let mut agencies: HashMap<AgencyCode, Arc<WorkCalendar>> = HashMap::new();
        let own = announcements.iter().filter_map(|a| match a.scope() {
            AnnouncementScope::Agency(code) => Some(code),
            AnnouncementScope::Country => None,
        });
        for agency in base_agencies.keys().chain(own) {
            if !agencies.contains_key(agency) {
                let base = base_agencies.get(agency).unwrap_or(base);
                agencies.insert(
                    agency.clone(),
                    Arc::new(calendar_with(base, &announcements, Some(agency))),
                );
            }
        }
        let default = Arc::new(calendar_with(base, &announcements, None));
        Self { default, agencies, announcements }
    }

    /// Returns the calendar that times dossiers of `agency`.
    pub(crate) fn for_agency(&self, agency: &AgencyCode) -> &Arc<WorkCalendar> {
        self.agencies.get(agency).unwrap_or(&self.default)
    }

    /// Returns the calendar of agencies without their own.
    pub(crate) fn default(&self) -> &Arc<WorkCalendar> {
        &self.default
    }

    /// Returns the agencies that have a calendar of their own, with it.
    pub(crate) fn agencies(&self) -> impl Iterator<Item = (&AgencyCode, &Arc<WorkCalendar>)> {
        self.agencies.iter()
    }
}

/// The key of an announcement: its scope (0 for the country, 1 and the agency code
/// for an agency), a 0 byte, then its source.
fn key(scope: &AnnouncementScope, source: &str) -> Vec<u8> {
    let mut key = match scope {
        AnnouncementScope::Country => vec![0],
        AnnouncementScope::Agency(code) => {
            let mut k = vec![1];
            k.extend_from_slice(code.as_str().as_bytes());
            k
        }
    };
    key.push(0);
    key.extend_from_slice(source.as_bytes());
    key
}

/// Reads every stored announcement, in key order.
pub(crate) fn load(tree: &sled::Tree) -> Result<Vec<CalendarAnnouncement>> {
    tree.iter()
        .map(|item| {
            let (k, v) = item?;
            let record: CalendarAnnouncementRecord = decode(&v, tree::ANNOUNCEMENTS, &k)?;
            CalendarAnnouncement::try_from(record)
                .map_err(|e| crate::store::codec::corrupt(tree::ANNOUNCEMENTS, &k, e.to_string()))
        })
        .collect()
}

/// What an explicit change of the calendar did to stored dossiers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rederived {
    /// Dossiers whose calendar facts were recomputed and compared.
    pub checked: u64,
    /// Dossiers whose appointment, restarted due instant or late-notice flag changed
    /// and were rewritten with their counters.
    pub changed: u64,
    /// Transactions committed (one per batch of up to 1,000 changed dossiers).
    pub batches: u64,
}

/// The calendar announcements of a store: days off and worked days for the country or
/// one agency, added or corrected at run time and kept in the store. They override the
/// built-in holiday tables day by day (see [`CalendarAnnouncement`]).
///
/// Adding an announcement that changes a day stored dossiers were timed with is an
/// explicit operation: [`CalendarAnnouncements::add`] refuses it with
/// [`Error::CalendarInUse`], [`CalendarAnnouncements::affected`] lists those dossiers, and
/// [`CalendarAnnouncements::apply`] stores the announcement and re-derives their calendar facts
/// (appointment, restarted due instant, late-notice flag) and the counters they move,
/// in atomic batches with progress. The re-derived facts then stand (see
/// `docs/calendar.md` for why). Dossier writes wait while it runs.
#[derive(Debug, Clone, Copy)]
pub struct CalendarAnnouncements<'a> {
    pub(crate) store: &'a Store,
}

impl CalendarAnnouncements<'_> {
    /// Returns every stored announcement: the country's first, then each agency's, each
    /// group by source.
    ///
    /// # Errors
    /// [`Error::Corrupt`] for a stored announcement that does not decode.
    pub fn list(&self) -> Result<Vec<CalendarAnnouncement>> {
        Ok(self.store.calendars()?.announcements.clone())
    }

    /// Stores `announcement` (replacing one with the same scope and source) when no
    /// stored dossier was timed with a day it changes.
    ///
    /// # Errors
    /// [`Error::CalendarInUse`] when stored dossiers would change (nothing is written;
    /// use [`CalendarAnnouncements::apply`]); [`Error::NotFound`] for an unknown agency;
    /// [`Error::Storage`].
    ///
    /// ```
    /// # use cchc::*;
    /// # use cchc::model::calendar::{AnnouncementScope, CalendarAnnouncement};
    /// # use time::macros::date;
    /// let store = Store::temporary()?;
    /// let day_off = CalendarAnnouncement::new(
    ///     AnnouncementScope::Country,
    ///     "Thông báo nghỉ bù (ví dụ)",
    ///     vec![date!(2027 - 04 - 26)],
    ///     vec![],
    /// )?;
    /// store.calendar_announcements().add(&day_off)?;
    /// assert!(!store.calendar().is_working_day(date!(2027 - 04 - 26)));
    /// # Ok::<(), cchc::Error>(())
    /// ```
    pub fn add(&self, announcement: &CalendarAnnouncement) -> Result<()> {
        self.change(announcement.scope(), announcement.source(), Some(announcement), false, |_| {})
            .map(|_| ())
    }

    /// Returns the stored dossiers whose calendar facts storing `announcement` would
    /// change. O(dossiers received up to the last day it changes).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown agency; [`Error::Corrupt`]; [`Error::Storage`].
    pub fn affected(&self, announcement: &CalendarAnnouncement) -> Result<Vec<DossierCode>> {
        let store = self.store;
        let _no_writers = store.inner.writers.write().map_err(|_| poisoned())?;
        let next =
            self.next_calendars(announcement.scope(), announcement.source(), Some(announcement))?;
        Ok(self.scan(&*store.calendars()?, &next)?.1)
    }

    /// Stores `announcement` (replacing one with the same scope and source) and
    /// re-derives the calendar facts of every stored dossier it changes, with their
    /// counters, in transactions of up to 1,000 dossiers; `progress` is called after
    /// each. Afterwards [`Store::verify`] is clean. If interrupted (a crash between
    /// batches), calling it again finishes the work.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown agency; [`Error::InvalidInput`] when a
    /// re-derived due instant falls outside the calendar's range (nothing is written);
    /// [`Error::Corrupt`]; [`Error::Storage`].
    pub fn apply(
        &self,
        announcement: &CalendarAnnouncement,
        progress: impl FnMut(&Rederived),
    ) -> Result<Rederived> {
        self.change(announcement.scope(), announcement.source(), Some(announcement), true, progress)
    }

    /// Removes the announcement of `scope` with `source` and re-derives the dossiers it
    /// had changed, as [`CalendarAnnouncements::apply`] does. Removing one that does not exist
    /// is [`Error::NotFound`].
    ///
    /// # Errors
    /// As [`CalendarAnnouncements::apply`].
    pub fn remove(
        &self,
        scope: &AnnouncementScope,
        source: &str,
        progress: impl FnMut(&Rederived),
    ) -> Result<Rederived> {
        self.change(scope, source, None, true, progress)
    }

    /// The calendars as they would be with `new` in place of the announcement of
    /// (`scope`, `source`).
    fn next_calendars(
        self,
        scope: &AnnouncementScope,
        source: &str,
        new: Option<&CalendarAnnouncement>,
    ) -> Result<Calendars> {
        let inner = &self.store.inner;
        if let AnnouncementScope::Agency(code) = scope
            && self.store.agencies().get(code)?.is_none()
        {
            return Err(crate::store::tx::not_found(crate::RecordKind::Agency, code));
        }
        let current = self.store.calendars()?;
        let mut list: Vec<CalendarAnnouncement> = current
            .announcements
            .iter()
            .filter(|a| !(a.scope() == scope && a.source() == source))
            .cloned()
            .collect();
        if list.len() == current.announcements.len() && new.is_none() {
            return Err(Error::NotFound {
                kind: crate::RecordKind::Announcement,
                id: source.to_owned(),
            });
        }
        list.extend(new.cloned());
        list.sort_by_key(|a| key(a.scope(), a.source()));
        Ok(Calendars::build(&inner.calendar, &inner.agency_calendars, list))
    }

    /// Re-derives the calendar facts of the dossiers received from `from` to `to`
    /// (inclusive, Vietnam dates) with the store's current calendars and rewrites, with
    /// their counters, those whose stored facts differ, in batches as
    /// [`CalendarAnnouncements::apply`] does. For a crate upgrade that corrects a built-in
    /// schedule (the 2026 Quốc khánh days): dossiers received before the upgrade keep
    /// the facts computed with the old table until this runs. O(dossiers).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `to` is before `from` or a re-derived due instant
    /// falls outside the calendar's range (nothing is written); [`Error::Corrupt`];
    /// [`Error::Storage`].
    pub fn rederive_between(
        &self,
        from: Date,
        to: Date,
        progress: impl FnMut(&Rederived),
    ) -> Result<Rederived> {
        if to < from {
            return Err(Error::invalid("to", format!("{to} is before {from}")));
        }
        let store = self.store;
        let _no_writers = store.inner.writers.write().map_err(|_| poisoned())?;
        let calendars = store.calendars()?;
        let mut checked = 0;
        let mut differ = Vec::new();
        for dossier in store.dossiers().iter() {
            let dossier = dossier?;
            if !(from..=to).contains(&crate::vietnam_date(dossier.received_at())) {
                continue;
            }
            checked += 1;
            let calendar = calendars.for_agency(&dossier.header().agency);
            if rederive(&dossier, calendar, store.inner.counting)? != dossier {
                differ.push(dossier.code().clone());
            }
        }
        self.rewrite(&differ, &calendars, Rederived { checked, ..Rederived::default() }, progress)
    }

    /// Returns how many stored dossiers were compared and the codes of those whose
    /// calendar facts differ between the calendars of `now` and `next`.
    fn scan(self, now: &Calendars, next: &Calendars) -> Result<(u64, Vec<DossierCode>)> {
        let store = self.store;
        // Only dossiers received up to the last day whose status changes can move.
        let Some(last) = changed_days_end(now, next) else { return Ok((0, Vec::new())) };
        let mut checked = 0;
        let mut affected = Vec::new();
        for dossier in store.dossiers().iter() {
            let dossier = dossier?;
            if crate::vietnam_date(dossier.received_at()) > last {
                continue;
            }
            checked += 1;
            let agency = &dossier.header().agency;
            let mode = store.inner.counting;
            if rederive(&dossier, now.for_agency(agency), mode)?
                != rederive(&dossier, next.for_agency(agency), mode)?
            {
                affected.push(dossier.code().clone());
            }
        }
        Ok((checked, affected))
    }

    fn change(
        self,
        scope: &AnnouncementScope,
        source: &str,
        new: Option<&CalendarAnnouncement>,
        rederive: bool,
        progress: impl FnMut(&Rederived),
    ) -> Result<Rederived> {
        let store = self.store;
        let inner = &store.inner;
        // No dossier write may land between the scan and the rewrite.
        let _no_writers = inner.writers.write().map_err(|_| poisoned())?;
        let next = self.next_calendars(scope, source, new)?;
        // Re-derived under both calendars, so that facts computed by an older table
        // (which `rederive_between` fixes) do not count as this announcement's.
        let (checked, affected) = self.scan(&*store.calendars()?, &next)?;
        if !rederive && !affected.is_empty() {
            return Err(Error::CalendarInUse {
                announcement: source.to_owned(),
                dossiers: affected.len() as u64,
                examples: affected.iter().take(5).map(ToString::to_string).collect(),
            });
        }
        // The announcement first: if a crash stops the rewrite, `rederive_between`
        // over the days it names finishes it.
        let k = key(scope, source);
        match new {
            Some(a) => {
                inner.announcements.insert(k, encode(&CalendarAnnouncementRecord::from(a))?)?;
            }
            None => {
                inner.announcements.remove(k)?;
            }
        }
        let next = Arc::new(next);
        *inner.calendars.write().map_err(|_| poisoned())? = Arc::clone(&next);
        self.rewrite(&affected, &next, Rederived { checked, ..Rederived::default() }, progress)
    }

    /// Rewrites the dossiers `codes` with their facts re-derived under `calendars`, and
    /// their counters, `REDERIVE_BATCH` per transaction. The caller holds the writers'
    /// gate.
    fn rewrite(
        self,
        codes: &[DossierCode],
        calendars: &Calendars,
        mut done: Rederived,
        mut progress: impl FnMut(&Rederived),
    ) -> Result<Rederived> {
        let inner = &self.store.inner;
        let catalog = inner.catalog.read().map_err(|_| poisoned())?;
        for chunk in codes.chunks(REDERIVE_BATCH) {
            let mut deltas = Deltas::default();
            let mut intraday = IntradayDeltas::default();
            let mut rows = Vec::with_capacity(chunk.len());
            for code in chunk {
                let before =
                    self.store.dossiers().get(code)?.ok_or_else(|| {
                        crate::store::tx::not_found(crate::RecordKind::Dossier, code)
                    })?;
                let h = before.header();
                let after = rederive(&before, calendars.for_agency(&h.agency), inner.counting)?;
                let nodes = catalog.nodes_for(&h.agency, &h.procedure, &h.field)?;
                deltas.add_change(&nodes, Some(&before), &after);
                intraday.add_change(&nodes, Some(&before), &after);
                rows.push((code.clone(), encode(&DossierRecord::from(&after))?));
            }
            let counter_rows = deltas.rows();
            (&inner.dossiers, &inner.counters, &inner.intraday)
                .transaction(|(dossiers, counters, intraday_tree)| {
                    for (code, bytes) in &rows {
                        dossiers.insert(dossier_key(code), bytes.as_slice())?;
                    }
                    apply_rows(&counter_rows, counters)?;
                    intraday.apply(intraday_tree)
                })
                .map_err(tx_error)?;
            done.changed += chunk.len() as u64;
            done.batches += 1;
            progress(&done);
        }
        Ok(done)
    }
}

/// The last day whose working-day status differs between two sets of calendars, or
/// `None` when they agree on every day any announcement of either names.
fn changed_days_end(a: &Calendars, b: &Calendars) -> Option<Date> {
    let dates: std::collections::BTreeSet<Date> = a
        .announcements
        .iter()
        .chain(&b.announcements)
        .flat_map(CalendarAnnouncement::dates)
        .collect();
    let agencies: std::collections::BTreeSet<&AgencyCode> =
        a.agencies.keys().chain(b.agencies.keys()).collect();
    dates.into_iter().rev().find(|&date| {
        a.default.is_working_day(date) != b.default.is_working_day(date)
            || agencies.iter().any(|agency| {
                a.for_agency(agency).is_working_day(date)
                    != b.for_agency(agency).is_working_day(date)
            })
    })
}
