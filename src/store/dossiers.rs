//! Dossiers: receipt, lifecycle events and bulk import, each one transaction over
//! the dossier record, its code index and every counter it moves.

use std::collections::{BTreeMap, HashMap};

use sled::Transactional;
use sled::transaction::TransactionalTree;
use time::OffsetDateTime;

use crate::id::{AgencyCode, DossierCode};
use crate::model::dossier::{Action, Dossier, LifecycleEvent, NewDossier, Payment, ResultForm};
use crate::model::scope::{Scope, ScopeTest};
use crate::model::time_limit::{check_instant, vietnam_date};
use crate::store::catalog::Catalog;
use crate::store::codec::{corrupt, decode, encode};
use crate::store::counters::{Deltas, apply_rows};
use crate::store::intraday::IntradayDeltas;
use crate::store::keys::{dossier_key, tree};
use crate::store::records::DossierRecord;
use crate::store::tx::{TxResult, abort, not_found, storage, tx_error};
use crate::store::{Store, poisoned};
use crate::{Error, RecordKind, Result};

impl Store {
    /// Opens a dossier from a receipt: checks the agency and procedure, and computes
    /// the appointment with the calendar.
    fn open_dossier(&self, catalog: &Catalog, new: &NewDossier) -> Result<Dossier> {
        check_instant("dossier.received_at", new.received_at)?;
        let day = vietnam_date(new.received_at);
        let agency = catalog
            .agencies
            .get(&new.agency)
            .ok_or_else(|| not_found(RecordKind::Agency, &new.agency))?;
        let procedure = catalog.procedure_on(&new.procedure, day)?;
        let receiving = match &new.receiving {
            Some(code) => Some(
                &catalog
                    .agencies
                    .get(code)
                    .ok_or_else(|| not_found(RecordKind::Agency, code))?
                    .agency,
            ),
            None => None,
        };
        new.open(
            &agency.agency,
            receiving,
            procedure,
            &self.calendar_for(&new.agency),
            self.inner.counting,
        )
    }

    /// Turns an action into the event to record: checks that a transfer's target
    /// exists on the day of the transfer, then [`Action::to_event`] with the
    /// receiving agency's calendar.
    fn event_for(
        &self,
        catalog: &Catalog,
        dossier: &Dossier,
        at: OffsetDateTime,
        action: &Action,
    ) -> Result<LifecycleEvent> {
        if let Action::Transfer { to } = action {
            let target =
                catalog.agencies.get(to).ok_or_else(|| not_found(RecordKind::Agency, to))?;
            Action::check_transfer_target(&target.agency, at)?;
        }
        action.to_event(
            dossier,
            at,
            &self.calendar_for(&dossier.header().agency),
            self.inner.counting,
        )
    }

    /// Opens a dossier from a receipt without writing it: the checks and the
    /// appointment of [`Dossiers::receive`].
    pub(crate) fn preview_receipt(&self, new: &NewDossier) -> Result<Dossier> {
        let catalog = self.inner.catalog.read().map_err(|_| poisoned())?;
        self.open_dossier(&catalog, new)
    }
}

/// Reads and folds the dossier at `key` inside a transaction.
fn read_dossier(trees: &TransactionalTree, key: &[u8]) -> TxResult<Option<Dossier>> {
    let Some(bytes) = storage(trees.get(key))? else { return Ok(None) };
    decode_dossier(key, &bytes).map(Some).map_err(abort)
}

/// The dossiers of a store.
#[derive(Debug, Clone, Copy)]
pub struct Dossiers<'a> {
    pub(crate) store: &'a Store,
}

impl<'a> Dossiers<'a> {
    /// Receives a dossier: checks it, computes its appointment from the procedure
    /// version in force on the receipt date and the calendar, and stores it with its
    /// counters in one transaction.
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a known code; [`Error::NotFound`] for an unknown agency
    /// or procedure; [`Error::InvalidInput`] when the receipt instant is outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE), the receipt date (Vietnam time)
    /// is not the date in the code, the agency does not exist on the receipt date, the
    /// procedure has no version in force or is abolished, or the due instant falls
    /// outside the supported range. Nothing is written on error.
    ///
    /// ```
    /// # use cchc::*;
    /// # use time::macros::datetime;
    /// # let store = Store::temporary()?;
    /// # let province = AgencyCode::new("000.00.00.H49")?;
    /// # store.agencies().insert(&Agency::province(province.clone(), "UBND tỉnh Quảng Nam")?)?;
    /// # store.procedures().insert(&Procedure::builder(ProcedureCode::new("1.004227")?, "Đăng ký khai sinh",
    /// #     Field::new("Hộ tịch")?, TimeLimit::working_days(3)).build()?)?;
    /// let dossier = store.dossiers().receive(&NewDossier {
    ///     code: DossierCode::new("000.00.00.H49-240105-0001")?,
    ///     procedure: ProcedureCode::new("1.004227")?,
    ///     agency: province,
    ///     channel: Channel::Online,
    ///     received_at: datetime!(2024-01-05 09:00 +07:00),
    ///     digitised: true,
    ///     reused_data: false,
    ///     receiving: None,
    ///     portal: None,
    ///     rule_set: None,
    /// })?;
    /// // Friday 09:00 + 24 working hours = Wednesday 09:00.
    /// assert_eq!(dossier.appointment(), datetime!(2024-01-10 09:00 +07:00));
    /// # Ok::<(), cchc::Error>(())
    /// ```
    pub fn receive(&self, new: &NewDossier) -> Result<Dossier> {
        self.write(&[Item::Receive(new.clone(), Vec::new())])?
            .ok_or_else(|| Error::invalid("dossier", "nothing written"))
    }

    /// Records an action on a dossier and returns the dossier after it.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown dossier (or transfer target);
    /// [`Error::InvalidTransition`] when the lifecycle forbids the action;
    /// [`Error::InvalidInput`] for bad text, an instant outside the
    /// [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE), a transfer to an agency that
    /// does not exist on the day of the transfer (`event.to`), or an apology whose
    /// new appointment is before the apology (`event.new_appointment`). Nothing is
    /// written on error.
    pub fn record(
        &self,
        code: &DossierCode,
        at: OffsetDateTime,
        action: Action,
    ) -> Result<Dossier> {
        self.write(&[Item::Act(code.clone(), at, action)])?
            .ok_or_else(|| Error::invalid("dossier", "nothing written"))
    }

    /// Requests a supplement (the clock pauses). See [`Dossiers::record`].
    pub fn request_supplement(
        &self,
        code: &DossierCode,
        at: OffsetDateTime,
        reason: &str,
    ) -> Result<Dossier> {
        self.record(code, at, Action::RequestSupplement { reason: reason.to_owned() })
    }
    /// Records the applicant's supplement (the clock resumes). See [`Dossiers::record`].
    pub fn supplement(&self, code: &DossierCode, at: OffsetDateTime) -> Result<Dossier> {
        self.record(code, at, Action::Supplement)
    }
    /// Records an apology with a new appointment. See [`Dossiers::record`].
    pub fn extend(
        &self,
        code: &DossierCode,
        at: OffsetDateTime,
        new_appointment: OffsetDateTime,
        reason: &str,
    ) -> Result<Dossier> {
        self.record(code, at, Action::Extend { new_appointment, reason: reason.to_owned() })
    }
    /// Records a transfer to another agency. See [`Dossiers::record`].
    pub fn transfer(
        &self,
        code: &DossierCode,
        at: OffsetDateTime,
        to: &AgencyCode,
    ) -> Result<Dossier> {
        self.record(code, at, Action::Transfer { to: to.clone() })
    }
    /// Records a refusal. See [`Dossiers::record`].
    pub fn refuse(&self, code: &DossierCode, at: OffsetDateTime, reason: &str) -> Result<Dossier> {
        self.record(code, at, Action::Refuse { reason: reason.to_owned() })
    }
    /// Records the resolution. See [`Dossiers::record`].
    pub fn resolve(
        &self,
        code: &DossierCode,
        at: OffsetDateTime,
        form: ResultForm,
    ) -> Result<Dossier> {
        self.record(code, at, Action::Resolve { e_result: form == ResultForm::Electronic })
    }
    /// Records that the result was returned. See [`Dossiers::record`].
    pub fn return_result(&self, code: &DossierCode, at: OffsetDateTime) -> Result<Dossier> {
        self.record(code, at, Action::ReturnResult)
    }
    /// Records a withdrawal by the applicant. See [`Dossiers::record`].
    pub fn withdraw(&self, code: &DossierCode, at: OffsetDateTime) -> Result<Dossier> {
        self.record(code, at, Action::Withdraw)
    }
    /// Records a fee payment. See [`Dossiers::record`].
    pub fn pay(&self, code: &DossierCode, at: OffsetDateTime, paid: Payment) -> Result<Dossier> {
        self.record(code, at, Action::Pay { online: paid == Payment::Online })
    }

    /// Returns the dossier with `code`, folded from its events.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when its bytes do not decode; [`Error::Storage`].
    pub fn get(&self, code: &DossierCode) -> Result<Option<Dossier>> {
        let key = dossier_key(code);
        match self.store.inner.dossiers.get(key)? {
            Some(bytes) => decode_dossier(key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Iterates over every dossier in code order (the code's agency identifier,
    /// receipt date, sequence). O(n): it reads the whole tree.
    pub fn iter(&self) -> DossierIter {
        DossierIter { inner: self.store.inner.dossiers.iter(), scope: None }
    }

    /// Iterates over the dossiers `scope` covers, in code order: it reads every dossier
    /// and keeps those whose header (the agency responsible at receipt, the field,
    /// the procedure) is in the scope. O(n) for every scope.
    ///
    /// Membership never looks at the agency identifier inside the dossier code: a
    /// provincial service centre numbers dossiers it receives for a department with
    /// its own identifier, and they count for the department.
    ///
    /// # Errors
    /// [`Error::Storage`] when the agency list cannot be read.
    pub fn in_scope(&self, scope: &Scope) -> Result<DossierIter> {
        Ok(DossierIter {
            inner: self.store.inner.dossiers.iter(),
            scope: Some(ScopeTest::new(scope, &self.store.agencies().list()?)),
        })
    }

    /// Returns how many dossiers there are. O(n): sled counts by scanning.
    pub fn len(&self) -> usize {
        self.store.inner.dossiers.len()
    }

    /// Returns whether there are no dossiers.
    pub fn is_empty(&self) -> bool {
        self.store.inner.dossiers.is_empty()
    }

    /// Starts a bulk import that writes many dossiers per transaction.
    pub fn importer(&self) -> Importer<'a> {
        Importer {
            store: self.store,
            batch: Vec::new(),
            batch_size: 1000,
            progress: None,
            summary: ImportSummary::default(),
        }
    }

    /// Writes items in one transaction and returns the dossier the last item touched.
    ///
    /// Receipts, and actions on dossiers received in the same batch, need no stored
    /// state: they are checked, folded, encoded and their counter deltas summed before
    /// the transaction. The transaction only checks that new codes are free, folds the
    /// stored dossiers that actions touch, and writes. Its closure may run more than
    /// once, so it only reads and writes the transactional trees.
    fn write(self, items: &[Item]) -> Result<Option<Dossier>> {
        let store = self.store;
        let inner = &store.inner;
        // Shared with other writers, exclusive with `rebuild`/`verify`.
        let _writing = inner.writers.read().map_err(|_| poisoned())?;
        let guard = inner.catalog.read().map_err(|_| poisoned())?;
        let catalog: &Catalog = &guard;
        // Receipts with their embedded histories fold independently: in parallel for
        // large batches.
        let receipts: Vec<&Item> =
            items.iter().filter(|i| matches!(i, Item::Receive(..))).collect();
        let mut opened = in_parallel(&receipts, |chunk| {
            chunk
                .iter()
                .filter_map(|item| match item {
                    Item::Receive(new, actions) => Some((new, actions)),
                    Item::Act(..) => None,
                })
                .map(|(new, actions)| {
                    let mut dossier = store.open_dossier(catalog, new)?;
                    for (at, action) in actions {
                        let event = store.event_for(catalog, &dossier, *at, action)?;
                        dossier.apply(event)?;
                    }
                    Ok(dossier)
                })
                .collect::<Result<Vec<Dossier>>>()
        })?
        .into_iter()
        .flatten();
        // Actions apply in item order, to this batch's receipts or to stored dossiers.
        let mut fresh: Vec<Dossier> = Vec::with_capacity(receipts.len());
        let mut fresh_index: HashMap<&DossierCode, usize> = HashMap::with_capacity(receipts.len());
        let mut stored_actions: Vec<(&DossierCode, OffsetDateTime, &Action)> = Vec::new();
        let mut last_is_fresh = None;
        for item in items {
            match item {
                Item::Receive(new, _) => {
                    if fresh_index.contains_key(&new.code) {
                        return Err(Error::Duplicate {
                            kind: RecordKind::Dossier,
                            id: new.code.to_string(),
                        });
                    }
                    let dossier =
                        opened.next().ok_or_else(|| Error::invalid("dossier", "lost a receipt"))?;
                    last_is_fresh = Some(fresh.len());
                    fresh_index.insert(&new.code, fresh.len());
                    fresh.push(dossier);
                }
                Item::Act(code, at, action) => {
                    match fresh_index.get(code).and_then(|&i| fresh.get_mut(i).map(|d| (i, d))) {
                        Some((i, dossier)) => {
                            let event = store.event_for(catalog, dossier, *at, action)?;
                            dossier.apply(event)?;
                            last_is_fresh = Some(i);
                        }
                        None => {
                            stored_actions.push((code, *at, action));
                            last_is_fresh = None;
                        }
                    }
                }
            }
        }
        let mut base = Deltas::default();
        let mut base_intraday = IntradayDeltas::default();
        let mut encoded = Vec::with_capacity(fresh.len());
        for (bytes, deltas, intraday) in in_parallel(&fresh, |chunk| {
            let mut deltas = Deltas::default();
            let mut intraday = IntradayDeltas::default();
            let mut bytes = Vec::with_capacity(chunk.len());
            for dossier in chunk {
                let h = dossier.header();
                let nodes = catalog.nodes_for(&h.agency, &h.procedure, &h.field)?;
                deltas.add_change(&nodes, None, dossier);
                intraday.add_change(&nodes, None, dossier);
                bytes.push(encode(&DossierRecord::from(dossier))?);
            }
            Ok((bytes, deltas, intraday))
        })? {
            encoded.extend(bytes);
            base.merge(deltas);
            base_intraday.merge(intraday);
        }
        let base_rows = if stored_actions.is_empty() { base.rows() } else { BTreeMap::default() };
        let result = (&inner.dossiers, &inner.counters, &inner.intraday).transaction(
            |(dossiers, counters, intraday)| {
                for (dossier, bytes) in fresh.iter().zip(&encoded) {
                    // The previous value doubles as the duplicate check: an abort undoes it.
                    if storage(dossiers.insert(dossier_key(dossier.code()), bytes.as_slice()))?
                        .is_some()
                    {
                        return Err(abort(Error::Duplicate {
                            kind: RecordKind::Dossier,
                            id: dossier.code().to_string(),
                        }));
                    }
                }
                if stored_actions.is_empty() {
                    apply_rows(&base_rows, counters)?;
                    base_intraday.apply(intraday)?;
                    return Ok(None);
                }
                // Actions on stored dossiers: fold each touched dossier once, in order.
                let mut touched: BTreeMap<&DossierCode, (Dossier, Dossier)> = BTreeMap::new();
                let mut last = None;
                for &(code, at, action) in &stored_actions {
                    let (_, after) = match touched.entry(code) {
                        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::btree_map::Entry::Vacant(e) => {
                            let Some(before) = read_dossier(dossiers, dossier_key(code))? else {
                                return Err(abort(not_found(RecordKind::Dossier, code)));
                            };
                            e.insert((before.clone(), before))
                        }
                    };
                    let event = store.event_for(catalog, after, at, action).map_err(abort)?;
                    after.apply(event).map_err(abort)?;
                    last = Some(code);
                }
                let mut deltas = base.clone();
                let mut intraday_deltas = base_intraday.clone();
                for (before, after) in touched.values() {
                    let h = after.header();
                    let nodes =
                        catalog.nodes_for(&h.agency, &h.procedure, &h.field).map_err(abort)?;
                    deltas.add_change(&nodes, Some(before), after);
                    intraday_deltas.add_change(&nodes, Some(before), after);
                    let bytes = encode(&DossierRecord::from(after)).map_err(abort)?;
                    storage(dossiers.insert(dossier_key(after.code()), bytes))?;
                }
                apply_rows(&deltas.rows(), counters)?;
                intraday_deltas.apply(intraday)?;
                Ok(last.and_then(|code| touched.remove(code)).map(|(_, after)| after))
            },
        );
        let touched = result.map_err(tx_error)?;
        Ok(match last_is_fresh {
            Some(i) => fresh.into_iter().nth(i),
            None => touched,
        })
    }
}

/// Runs `f` over chunks of `items` on up to four threads when there are enough items to
/// pay for them, and returns the chunks' results in order (so the first error in item
/// order wins).
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&[T]) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    const MIN_PER_THREAD: usize = 256;
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(4)
        .min(items.len() / MIN_PER_THREAD);
    if threads <= 1 {
        return Ok(vec![f(items)?]);
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let workers: Vec<_> = items.chunks(chunk).map(|c| scope.spawn(move || f(c))).collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(Error::invalid("import", "a worker thread panicked")))
            })
            .collect()
    })
}

fn decode_dossier(key: &[u8], bytes: &[u8]) -> Result<Dossier> {
    let record: DossierRecord = decode(bytes, tree::DOSSIERS, key)?;
    Dossier::try_from(record).map_err(|e| corrupt(tree::DOSSIERS, key, e.to_string()))
}

/// An iterator over the dossiers of a store (or of a scope), yielding `Result<Dossier>`.
pub struct DossierIter {
    inner: sled::Iter,
    scope: Option<ScopeTest>,
}

impl DossierIter {
    fn keep(&self, item: &Result<Dossier>) -> bool {
        match (item, &self.scope) {
            (Ok(d), Some(test)) => test.contains(d.header()),
            _ => true,
        }
    }
}

impl std::fmt::Debug for DossierIter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DossierIter").finish_non_exhaustive()
    }
}

impl Iterator for DossierIter {
    type Item = Result<Dossier>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let item = self.inner.next()?;
            let item =
                item.map_err(Error::from).and_then(|(key, value)| decode_dossier(&key, &value));
            if self.keep(&item) {
                return Some(item);
            }
        }
    }
}

impl DoubleEndedIterator for DossierIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        loop {
            let item = self.inner.next_back()?;
            let item =
                item.map_err(Error::from).and_then(|(key, value)| decode_dossier(&key, &value));
            if self.keep(&item) {
                return Some(item);
            }
        }
    }
}

/// Called after each committed batch with the running totals.
type ProgressCallback<'a> = Box<dyn FnMut(&ImportSummary) + 'a>;

/// One queued write.
#[derive(Debug, Clone)]
enum Item {
    Receive(NewDossier, Vec<(OffsetDateTime, Action)>),
    Act(DossierCode, OffsetDateTime, Action),
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// Dossiers received.
    pub dossiers: u64,
    /// Actions recorded (after receipt).
    pub events: u64,
    /// Transactions committed.
    pub batches: u64,
}

/// The most items an [`Importer`] writes in one transaction. A batch costs a few KB
/// of memory per dossier until it is written (about 6 KB measured for receipts with
/// their histories), so this bounds the importer to some tens of MB whatever batch
/// size is asked for.
pub const MAX_BATCH_SIZE: usize = 5_000;

/// Writes many dossiers and events per transaction, summing counter deltas in
/// memory per batch so each counter key is written once per batch.
///
/// Items are queued and written `batch_size` at a time (default 1,000). A batch is
/// all or nothing: when an item of a batch is bad (unknown procedure, impossible
/// transition, duplicate code), [`Importer::flush`] returns its error, nothing of
/// that batch is written, the batch is discarded, and earlier batches stay written.
pub struct Importer<'a> {
    store: &'a Store,
    batch: Vec<Item>,
    batch_size: usize,
    progress: Option<ProgressCallback<'a>>,
    summary: ImportSummary,
}

impl std::fmt::Debug for Importer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Importer")
            .field("queued", &self.batch.len())
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl<'a> Importer<'a> {
    /// Sets how many items go in one transaction: at least 1 and at most
    /// [`MAX_BATCH_SIZE`] (larger values are clamped); default 1,000.
    ///
    /// A batch is held in memory until it is written (the items, the folded dossiers,
    /// their encodings and counter deltas: a few KB per dossier), so the cap bounds the
    /// importer's memory whatever the caller asks for. Each batch is atomic on its own.
    #[must_use]
    pub fn batch_size(mut self, size: usize) -> Self {
        self.batch_size = size.clamp(1, MAX_BATCH_SIZE);
        self
    }

    /// Sets a callback called after each committed batch with the running totals.
    #[must_use]
    pub fn on_progress(mut self, callback: impl FnMut(&ImportSummary) + 'a) -> Self {
        self.progress = Some(Box::new(callback));
        self
    }

    /// Queues a dossier with the actions that followed its receipt.
    ///
    /// # Errors
    /// The errors of [`Importer::flush`] when this fills a batch.
    pub fn dossier(
        &mut self,
        new: NewDossier,
        actions: Vec<(OffsetDateTime, Action)>,
    ) -> Result<()> {
        self.batch.push(Item::Receive(new, actions));
        self.flush_if_full()
    }

    /// Queues an action on a dossier received earlier (in the store or this batch).
    ///
    /// # Errors
    /// The errors of [`Importer::flush`] when this fills a batch.
    pub fn action(&mut self, code: DossierCode, at: OffsetDateTime, action: Action) -> Result<()> {
        self.batch.push(Item::Act(code, at, action));
        self.flush_if_full()
    }

    fn flush_if_full(&mut self) -> Result<()> {
        if self.batch.len() >= self.batch_size { self.flush() } else { Ok(()) }
    }

    /// Writes the queued items as one transaction.
    ///
    /// # Errors
    /// Any error of [`Dossiers::receive`] or [`Dossiers::record`] for a queued item;
    /// the whole batch is then discarded unwritten.
    pub fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        Dossiers { store: self.store }.write(&batch)?;
        for item in &batch {
            match item {
                Item::Receive(_, actions) => {
                    self.summary.dossiers += 1;
                    self.summary.events += actions.len() as u64;
                }
                Item::Act(..) => self.summary.events += 1,
            }
        }
        self.summary.batches += 1;
        if let Some(progress) = self.progress.as_mut() {
            progress(&self.summary);
        }
        Ok(())
    }

    /// Writes what is queued and returns the totals.
    ///
    /// # Errors
    /// As [`Importer::flush`].
    pub fn finish(mut self) -> Result<ImportSummary> {
        self.flush()?;
        Ok(self.summary)
    }
}
