//! The embedded store: the only module that touches sled or bincode.
//!
//! One [`Store`] handle (cheap to clone, `Send + Sync`) owns a sled database.
//! Typed views hang off it: [`Store::agencies`], [`Store::procedures`],
//! [`Store::dossiers`]. Every logical write — a dossier event with its record and
//! every counter it moves — is one multi-tree sled transaction.

mod announcements;
mod catalog;
pub(crate) mod codec;
mod collection;
mod counters;
mod dossiers;
pub(crate) mod format;
pub(crate) mod intraday;
pub(crate) mod keys;
mod query;
pub(crate) mod records;
mod reform;
mod scores;
mod sync_mark;
mod tx;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use crate::model::calendar::{CountingMode, WorkCalendar};
use crate::{Error, Result};

pub use announcements::{CalendarAnnouncements, Rederived};
pub(crate) use catalog::Catalog;
pub use catalog::{Agencies, Procedures};
pub use collection::{Collection, Persisted};
pub use dossiers::{DossierIter, Dossiers, ImportSummary, Importer, MAX_BATCH_SIZE};
pub use format::{FORMAT_VERSION, OLDEST_READABLE_FORMAT};
pub use query::{CounterDifference, VerifyReport};
pub use reform::AgencyRecords;
pub use scores::{Assessments, Frameworks, Surveys};

use keys::tree;

/// Default sled page-cache size: 64 MiB. sled's own default (1 GiB) is far more than a
/// province needs, and its memory use runs above the configured cache.
pub const DEFAULT_CACHE_CAPACITY: u64 = 64 * 1024 * 1024;

pub(crate) struct Inner {
    pub db: sled::Db,
    pub path: Option<PathBuf>,
    pub agencies: sled::Tree,
    pub agency_codes: sled::Tree,
    pub procedures: sled::Tree,
    pub procedure_codes: sled::Tree,
    pub fields: sled::Tree,
    pub dossiers: sled::Tree,
    pub counters: sled::Tree,
    /// The collections' trees (see `collection.rs`), opened once here.
    pub feedback: sled::Tree,
    pub plans: sled::Tree,
    pub organisation: sled::Tree,
    pub frameworks: sled::Tree,
    pub assessments: sled::Tree,
    pub surveys: sled::Tree,
    /// The backlog state changes at their instants (`intraday.rs`).
    pub intraday: sled::Tree,
    /// Agencies, procedures and fields, read at open and kept in step with every
    /// catalogue write (a few thousand entries for a province).
    pub catalog: RwLock<Catalog>,
    /// Serialises catalogue writes, which allocate surrogates.
    pub catalog_write: Mutex<()>,
    /// The calendar configured at open, before the stored announcements.
    pub calendar: WorkCalendar,
    /// Agencies with their own calendar (a one-stop shop open on Saturday mornings), as
    /// configured at open.
    pub agency_calendars: HashMap<crate::id::AgencyCode, WorkCalendar>,
    /// The stored calendar announcements.
    pub announcements: sled::Tree,
    /// The calendars dossiers are timed with: the configured ones with the stored
    /// announcements applied. Replaced whole when an announcement changes.
    pub calendars: RwLock<Arc<announcements::Calendars>>,
    pub counting: CountingMode,
    /// Serialises [`Store::sync`], which numbers each sync.
    pub sync_lock: Mutex<()>,
    /// Dossier writes take it shared, `rebuild` and `verify` exclusively, so that a
    /// recomputation never races a write (a write between its scan and its swap would
    /// be lost from the counters).
    pub writers: RwLock<()>,
}

/// A handle to an embedded cchc store. Cheap to clone; clones share the database.
///
/// ```
/// use cchc::Store;
/// let store = Store::temporary()?;
/// assert_eq!(store.agencies().len(), 0);
/// # Ok::<(), cchc::Error>(())
/// ```
#[derive(Clone)]
pub struct Store {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.inner.path).finish_non_exhaustive()
    }
}

/// Configures and opens a [`Store`].
#[derive(Debug, Clone)]
#[must_use]
pub struct StoreBuilder {
    path: Option<PathBuf>,
    cache_capacity: u64,
    calendar: WorkCalendar,
    agency_calendars: HashMap<crate::id::AgencyCode, WorkCalendar>,
    counting: CountingMode,
    flush_every_ms: Option<u64>,
    accept_lost_writes: bool,
}

impl StoreBuilder {
    fn new(path: Option<PathBuf>) -> Self {
        Self {
            path,
            cache_capacity: DEFAULT_CACHE_CAPACITY,
            calendar: WorkCalendar::vietnam(),
            agency_calendars: HashMap::new(),
            counting: CountingMode::default(),
            flush_every_ms: Some(500),
            accept_lost_writes: false,
        }
    }

    /// Sets sled's page-cache size in bytes (default [`DEFAULT_CACHE_CAPACITY`]).
    pub fn cache_capacity(mut self, bytes: u64) -> Self {
        self.cache_capacity = bytes;
        self
    }

    /// Sets the working calendar used to compute due instants (default
    /// [`WorkCalendar::vietnam`]).
    pub fn calendar(mut self, calendar: WorkCalendar) -> Self {
        self.calendar = calendar;
        self
    }

    /// Gives `agency` its own working calendar (for example a one-stop shop open on
    /// Saturday mornings). Dossiers received by that agency are timed with it; the
    /// instants it yields are recorded in their events, so a later change of calendar
    /// never changes stored outcomes.
    pub fn agency_calendar(
        mut self,
        agency: crate::id::AgencyCode,
        calendar: WorkCalendar,
    ) -> Self {
        self.agency_calendars.insert(agency, calendar);
        self
    }

    /// Sets how time limits are counted (default: working time from the receipt instant).
    pub fn counting_mode(mut self, mode: CountingMode) -> Self {
        self.counting = mode;
        self
    }

    /// Sets how often sled flushes in the background (default 500 ms; `None` turns it
    /// off, leaving durability to [`Store::flush`] and [`Store::sync`]).
    pub fn flush_every_ms(mut self, every: Option<u64>) -> Self {
        self.flush_every_ms = every;
        self
    }

    /// Opens a store that has lost writes it had made durable (see
    /// [`Error::LostSyncedWrites`]) instead of refusing it: the loss is accepted, the
    /// store opens with what it holds, and its sync mark is lowered to match. Default
    /// `false`. Run [`Store::verify`] afterwards; restoring from a backup is usually the
    /// better choice.
    pub fn accept_lost_writes(mut self, accept: bool) -> Self {
        self.accept_lost_writes = accept;
        self
    }

    /// Opens the store, creating it if the path does not exist or is an empty folder.
    ///
    /// # Errors
    /// [`Error::NotAStore`] for a path that is a file or a non-empty folder without a
    /// store (nothing is written into it); [`Error::UnsupportedFormat`] for a store of
    /// another format version; [`Error::LostSyncedWrites`] for a store that holds less
    /// than its last [`Store::sync`] made durable; [`Error::Corrupt`] when stored records
    /// do not decode; [`Error::File`] naming the path when the operating system refuses
    /// it (another process holds the store, permissions); [`Error::Storage`] for other
    /// failures of sled.
    pub fn open(self) -> Result<Store> {
        if let Some(path) = &self.path {
            sync_mark::check_folder(path)?;
        }
        let config = sled::Config::new()
            .cache_capacity(self.cache_capacity)
            .flush_every_ms(self.flush_every_ms)
            .mode(sled::Mode::HighThroughput);
        let config = match &self.path {
            Some(path) => config.path(path),
            None => config.temporary(true),
        };
        // sled 0.34 can panic while recovering a damaged log (seen: an index out of
        // bounds in its segment accountant on a flipped bit). A damaged store is input
        // like any other: turn the panic into an error instead of taking the caller down.
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.open()))
            .map_err(|panic| {
                let why = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("no message");
                Error::Corrupt {
                    tree: "(sled log)",
                    key: self.path.as_ref().map_or_else(String::new, |p| p.display().to_string()),
                    reason: format!("sled failed while recovering the store: {why}"),
                }
            })?;
        let db = opened.map_err(|e| match (e, &self.path) {
            // sled's I/O errors do not name the file: say which store could not open.
            (sled::Error::Io(source), Some(path)) => {
                Error::File { path: path.display().to_string(), action: "open the store", source }
            }
            (e, _) => Error::Storage(e),
        })?;
        format::check(&db)?;
        if let Some(path) = &self.path {
            sync_mark::check(&db, path, self.accept_lost_writes)?;
        }
        // Every tree is opened, and so exists, from the first open: a read never
        // creates one (a failed call must leave the store byte for byte as it was).
        let open = |name: &str| db.open_tree(name);
        let inner = Inner {
            agencies: open(tree::AGENCIES)?,
            agency_codes: open(tree::AGENCY_CODES)?,
            procedures: open(tree::PROCEDURES)?,
            procedure_codes: open(tree::PROCEDURE_CODES)?,
            fields: open(tree::FIELDS)?,
            dossiers: open(tree::DOSSIERS)?,
            counters: open(tree::COUNTERS)?,
            feedback: open(tree::FEEDBACK)?,
            plans: open(tree::PLANS)?,
            organisation: open(tree::ORGANISATION)?,
            frameworks: open(tree::FRAMEWORKS)?,
            assessments: open(tree::ASSESSMENTS)?,
            surveys: open(tree::SURVEYS)?,
            announcements: open(tree::ANNOUNCEMENTS)?,
            calendars: RwLock::new(Arc::new(announcements::Calendars::build(
                &self.calendar,
                &self.agency_calendars,
                Vec::new(),
            ))),
            intraday: open(tree::INTRADAY)?,
            path: self.path,
            db,
            catalog: RwLock::new(Catalog::default()),
            catalog_write: Mutex::new(()),
            calendar: self.calendar,
            agency_calendars: self.agency_calendars,
            counting: self.counting,
            sync_lock: Mutex::new(()),
            writers: RwLock::new(()),
        };
        let catalog = Catalog::load(&inner)?;
        *inner.catalog.write().map_err(|_| poisoned())? = catalog;
        let stored = announcements::load(&inner.announcements)?;
        *inner.calendars.write().map_err(|_| poisoned())? = Arc::new(
            announcements::Calendars::build(&inner.calendar, &inner.agency_calendars, stored),
        );
        let store = Store { inner: Arc::new(inner) };
        store.open_intraday()?;
        // Format 2 → 3 changes no stored byte: record the version once.
        if format::stored_version(&store.inner.db)? < FORMAT_VERSION {
            format::record_current_version(&store.inner.db)?;
        }
        Ok(store)
    }
}

pub(crate) fn poisoned() -> Error {
    Error::invalid("store", "a thread panicked while holding a store lock")
}

impl Store {
    /// Opens (or creates) a store at `path` with the default settings.
    ///
    /// # Errors
    /// As [`StoreBuilder::open`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::builder(path).open()
    }

    /// Opens a fresh store in a temporary location, deleted when the last handle drops.
    /// For tests, doctests and examples.
    ///
    /// # Errors
    /// [`Error::Storage`] when sled cannot create the temporary files.
    pub fn temporary() -> Result<Self> {
        Self::temporary_builder().open()
    }

    /// Starts configuring a store at `path`.
    pub fn builder(path: impl AsRef<Path>) -> StoreBuilder {
        StoreBuilder::new(Some(path.as_ref().to_path_buf()))
    }

    /// Starts configuring a temporary store (see [`Store::temporary`]).
    pub fn temporary_builder() -> StoreBuilder {
        StoreBuilder::new(None)
    }

    /// Returns the store's default working calendar: the one configured at open with
    /// the stored country announcements applied (see [`Store::calendar_announcements`]).
    pub fn calendar(&self) -> Arc<WorkCalendar> {
        self.calendars()
            .map_or_else(|_| Arc::new(self.inner.calendar.clone()), |c| Arc::clone(c.default()))
    }

    /// Returns the calendar that times dossiers of `agency`: its own if one was
    /// configured or it has announcements of its own, otherwise the default; with the
    /// stored announcements applied.
    pub fn calendar_for(&self, agency: &crate::id::AgencyCode) -> Arc<WorkCalendar> {
        match self.calendars() {
            Ok(c) => Arc::clone(c.for_agency(agency)),
            Err(_) => Arc::new(
                self.inner.agency_calendars.get(agency).unwrap_or(&self.inner.calendar).clone(),
            ),
        }
    }

    /// Returns the calendars in force (a cheap handle: they are replaced, never changed).
    pub(crate) fn calendars(&self) -> Result<Arc<announcements::Calendars>> {
        Ok(Arc::clone(&*self.inner.calendars.read().map_err(|_| poisoned())?))
    }

    /// Returns the calendar announcements view: days off and worked days added or
    /// corrected at run time and kept in the store.
    pub fn calendar_announcements(&self) -> CalendarAnnouncements<'_> {
        CalendarAnnouncements { store: self }
    }

    /// Opens an empty temporary store timed like this one (same calendars and counting
    /// mode): a scratch space where a restore is tried in full before it touches this
    /// store.
    pub(crate) fn scratch_twin(&self) -> Result<Store> {
        let calendars = self.calendars()?;
        let mut builder = Self::temporary_builder()
            .calendar((**calendars.default()).clone())
            .counting_mode(self.inner.counting);
        for (agency, calendar) in calendars.agencies() {
            builder = builder.agency_calendar(agency.clone(), (**calendar).clone());
        }
        builder.open()
    }

    /// Returns the counting mode used for due instants.
    pub fn counting_mode(&self) -> CountingMode {
        self.inner.counting
    }

    /// Returns the agencies view.
    pub fn agencies(&self) -> Agencies<'_> {
        Agencies { store: self }
    }

    /// Returns the procedures view.
    pub fn procedures(&self) -> Procedures<'_> {
        Procedures { store: self }
    }

    /// Returns the dossiers view.
    pub fn dossiers(&self) -> Dossiers<'_> {
        Dossiers { store: self }
    }

    /// Writes buffered data to the operating system and returns the bytes flushed.
    ///
    /// sled 0.34 flushes with `sync_file_range`, which does not flush the device
    /// cache, so a power loss may still lose what `flush` wrote. Use [`Store::sync`]
    /// for a durable commit point.
    ///
    /// # Errors
    /// [`Error::Storage`] when sled fails to write.
    pub fn flush(&self) -> Result<usize> {
        Ok(self.inner.db.flush()?)
    }

    /// Makes every committed write durable: [`Store::flush`], then `fdatasync` of every
    /// file of the store, then a sync mark beside them. After `sync` returns, a crash or
    /// power loss keeps everything committed before the call, and a store that later
    /// comes back without it (a damaged or cut log) is refused at open with
    /// [`Error::LostSyncedWrites`] instead of opening short. A temporary store only
    /// flushes.
    ///
    /// # Errors
    /// [`Error::Storage`] or [`Error::Io`] when writing or syncing fails.
    pub fn sync(&self) -> Result<()> {
        match &self.inner.path {
            Some(path) => {
                let _one_at_a_time = self.inner.sync_lock.lock().map_err(|_| poisoned())?;
                sync_mark::sync(&self.inner.db, path)
            }
            None => {
                self.inner.db.flush()?;
                Ok(())
            }
        }
    }

    /// Returns the size of the store on disk, in bytes.
    ///
    /// # Errors
    /// [`Error::Storage`] when sled cannot read its files.
    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.inner.db.size_on_disk()?)
    }
}
