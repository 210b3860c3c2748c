//! `cchc`: Vietnam's public administration reform (cải cách hành chính, CCHC) in a
//! library — administrative procedures, one-stop-shop dossiers, exact periodic
//! reports that do not scan, and reform scores, on an embedded sled store.
//!
//! # A first look
//!
//! Open a store, register a province and a procedure, receive a dossier, resolve it,
//! and read the month's report and an earlier day's backlog. Every name used here is
//! at the crate root.
//!
//! ```
//! use cchc::{
//!     Agency, AgencyCode, Channel, ClockRule, DossierCode, Field, NewDossier, Outcome,
//!     Period, Procedure, ProcedureCode, ResultForm, Scope, Store, TimeLimit,
//! };
//! use time::macros::{date, datetime};
//!
//! let store = Store::temporary()?;
//! let province = AgencyCode::new("000.00.00.H49")?;
//! store.agencies().insert(&Agency::province(province.clone(), "UBND tỉnh Quảng Nam")?)?;
//! store.procedures().insert(
//!     &Procedure::builder(
//!         ProcedureCode::new("1.004227")?,
//!         "Đăng ký khai sinh",
//!         Field::new("Hộ tịch")?,
//!         TimeLimit::working_days(5),
//!     )
//!     .reduced_limit(TimeLimit::working_days(3))
//!     .build()?,
//! )?;
//!
//! let code = DossierCode::new("000.00.00.H49-231204-0001")?;
//! store.dossiers().receive(&NewDossier {
//!     code: code.clone(),
//!     procedure: ProcedureCode::new("1.004227")?,
//!     agency: province.clone(),
//!     channel: Channel::Online,
//!     received_at: datetime!(2023-12-04 08:00 +07:00),
//!     digitised: true,
//!     reused_data: false,
//!     receiving: None,
//!     portal: None,
//!     rule_set: None,
//! })?;
//! // Due Thursday 08:00 (3 × 8 working hours); resolved on Wednesday: early.
//! let dossier = store.dossiers().resolve(&code, datetime!(2023-12-06 10:00 +07:00), ResultForm::Electronic)?;
//! assert_eq!(dossier.outcome(ClockRule::Restart), Some(Outcome::Early));
//!
//! let scope = Scope::subtree(&province);
//! let report = store.report(&scope, Period::month(2023, 12)?)?;
//! assert_eq!((report.received_online, report.resolved_early), (1, 1));
//! assert_eq!(report.on_time_rate().map(|r| r.percent()), Some(100.0));
//! println!("{report}");
//!
//! // At the end of Monday 4 December the dossier was in progress and not yet due.
//! let backlog = store.backlog(&scope, date!(2023-12-04), ClockRule::Restart)?;
//! assert_eq!((backlog.pending, backlog.not_yet_due, backlog.overdue), (1, 1, 0));
//! # Ok::<(), cchc::Error>(())
//! ```
//!
//! # Overview
//!
//! The crate root holds the names a user starts with; everything else has one path,
//! in the module that owns it.
//!
//! - **The store**: [`Store`] (open, views, reports) and [`StoreBuilder`] (cache size,
//!   calendars, counting mode, background flush). Errors are one [`Error`] enum with
//!   [`Result`]; [`RecordKind`] names what was not found or duplicated.
//! - **Codes** ([`id`]): [`AgencyCode`] (TT 10/2016), [`ProcedureCode`], [`DossierCode`]
//!   (TT 01/2018), [`AdminUnitCode`] and a procedure's [`Field`]. Each is validated
//!   once, when it is built.
//! - **The catalogue**: [`Agency`] hierarchies with their [`Level`]s and validity
//!   dates, and [`Procedure`] versions with central and reduced [`TimeLimit`]s and
//!   announcement decisions.
//! - **Dossiers**: a [`NewDossier`] is received through [`Channel`]s, moved by
//!   [`Action`]s (supplement requests, extensions, transfers, refusals, resolutions with
//!   their [`ResultForm`], returns, withdrawals, payments; since 1 July 2025 closures for
//!   want of a supplement and stops, [`model::rules`]) and folded into a [`Dossier`],
//!   timed under either [`ClockRule`] to an [`Outcome`].
//! - **Time**: the [`WorkCalendar`] with Vietnamese public holidays computed from the
//!   lunar calendar and the announced schedules of 2010–2026; every instant is read in
//!   [`VIETNAM_OFFSET`] and [`vietnam_date`] gives its calendar day.
//! - **Reports**: a [`Scope`] (all, an agency, a subtree, a level, a field, a procedure) and
//!   a [`Period`] give the periodic [`OneStopReport`] (Biểu 06/VPCP/KSTT) and the
//!   [`Backlog`] at any date or instant; their rates are [`Ratio`]s that keep numerator
//!   and denominator.
//!
//! The modules:
//!
//! - [`model`]: the pure domain, with no storage and no clock. [`model::agency`],
//!   [`model::procedure`], [`model::dossier`] (events, states, the late-apology and
//!   receipt rules), [`model::calendar`] (holidays, lunar dates, working hours,
//!   announced schedules), [`model::time_limit`], [`model::scope`],
//!   [`model::feedback`], [`model::plan`], [`model::organisation`] and
//!   [`model::score`] (reform-score frameworks as data: Decision 766, PAR Index, PAPI,
//!   PAINDEX, SIPAS).
//! - [`store`]: the typed views that hang off a [`Store`] ([`store::Agencies`],
//!   [`store::Procedures`], [`store::Dossiers`] with its batch [`store::Importer`],
//!   [`store::AgencyRecords`] for feedback, plans and organisation snapshots,
//!   [`store::Frameworks`], [`store::Assessments`], [`store::Surveys`],
//!   [`store::CalendarAnnouncements`]) and what they return
//!   ([`store::VerifyReport`], [`store::ImportSummary`]).
//! - [`metrics`]: pure computations over model values and store aggregates (see
//!   [Metrics](#metrics)).
//! - [`io`]: CSV and JSON Lines import ([`io::import_file`]), report files
//!   ([`io::report`]) and the logical backup ([`io::backup`]).
//! - [`demo`]: a realistic province and a year of its dossiers, generated
//!   deterministically from a seed.
//! - [`error`]: the [`Error`] enum and its parts; [`on_disk_format`]: the stored
//!   format, specified.
//!
//! # Storage and durability
//!
//! A [`Store`] is a sled database in one folder (or a temporary one,
//! [`Store::temporary`]); one process opens it at a time, and the handle is cheap to
//! clone and shared between threads. Every dossier write — a receipt, an action, one
//! [`store::Importer`] batch — is one transaction over the dossier record (its whole
//! event history, the truth), its code index and every counter it moves, so a crash
//! leaves a write entirely present or entirely absent. Bad input is a typed [`Error`],
//! and the write that meets it changes nothing.
//!
//! sled flushes in the background every 500 ms ([`StoreBuilder::flush_every_ms`]).
//! [`Store::flush`] writes to the operating system; [`Store::sync`] also `fdatasync`s
//! every file and is the durable commit point. A store that comes back without writes
//! a [`Store::sync`] made durable is refused at open with
//! [`Error::LostSyncedWrites`] rather than opened short. [`Store::verify`] recomputes
//! every counter from the event histories and [`Store::rebuild`] regenerates them. The
//! guarantee, how it is tested (thousands of SIGKILLs) and what it does not cover are
//! in `docs/durability.md` in the repository.
//!
//! # On-disk format
//!
//! [`on_disk_format`] specifies the trees, keys and record encodings. This build writes
//! format [`store::FORMAT_VERSION`] and opens stores back to
//! [`store::OLDEST_READABLE_FORMAT`], upgrading them on open; any other version is
//! refused with [`Error::UnsupportedFormat`] before anything is read. Stored records
//! are frozen and checked against golden bytes. For moving data between versions and
//! machines, [`io::backup`] writes every collection as JSON Lines.
//!
//! # Metrics
//!
//! Reports read counters kept in the write transactions: a report over any period is
//! a difference of prefix sums, and its cost does not grow with the number of
//! dossiers. The rest of [`metrics`] is pure functions that the store feeds:
//!
//! - [`metrics::report`]: [`OneStopReport`], [`Backlog`] and [`Ratio`], with their
//!   accumulators and merges.
//! - [`metrics::catalogue`]: catalogue statistics at a date
//!   ([`Store::catalogue_stats`]), announcements ([`Store::announcements`]), time and
//!   money saved by reduced limits ([`Store::savings`]) and processing times
//!   ([`Store::processing_times`]).
//! - [`metrics::reform`]: feedback handling ([`Store::feedback_stats`]), plan
//!   progress ([`Store::plan_progress`]) and organisation change
//!   ([`Store::organisation_change`]).
//! - [`metrics::scores`]: index values, ranks with shared ties, bands, targets, rank
//!   robustness and SIPAS with Wilson intervals.
//! - [`metrics::service_index`]: the Decision 766 service index computed from the
//!   store ([`Store::service_index`]) with each indicator traceable to its dossiers.
//! - [`metrics::display`]: numbers in Vietnamese (1.972; 28,13 %) or English.
//!
//! # What this crate does not do
//!
//! It never reads the clock (callers pass instants), does not talk to the national
//! portal or a one-stop system (it imports their exports through [`io`]), and does not
//! guess methodology the sources do not give: unsourced maximum points are supplied
//! by the caller. It is a library, not a server: one store serves one province, and
//! a national view is a merge of reports, not a shared store.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]
#![doc(test(attr(deny(warnings))))]

/// The on-disk format, as specified in `docs/format.md` (included here so that the
/// spec and the docs cannot drift apart).
#[doc = include_str!("../docs/format.md")]
pub mod on_disk_format {}
pub mod demo;
pub mod error;
#[cfg(feature = "__internal_whitebox")]
#[doc(hidden)]
pub mod fuzz_support;
pub mod id;
pub mod io;
pub mod metrics;
pub mod model;
mod serde_forms;
pub mod store;

pub use error::{Error, RecordKind, Result};
pub use id::{AdminUnitCode, AgencyCode, DossierCode, Field, ProcedureCode};
pub use metrics::report::{Backlog, OneStopReport, Ratio};
pub use model::agency::{Agency, Level};
pub use model::calendar::WorkCalendar;
pub use model::dossier::{Action, Channel, ClockRule, Dossier, NewDossier, Outcome, ResultForm};
pub use model::procedure::Procedure;
pub use model::scope::{Period, Scope};
pub use model::time_limit::{TimeLimit, VIETNAM_OFFSET, vietnam_date};
pub use store::{Store, StoreBuilder};
