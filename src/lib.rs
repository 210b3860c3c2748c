//! `cchc`: Vietnam's public administration reform (cải cách hành chính, CCHC) in a
//! library — administrative procedures, one-stop-shop dossiers, exact periodic
//! reports that do not scan, and reform scores, on an embedded sled store.
//!
//! # A first look
//!
//! ```
//! use cchc::*;
//! use time::macros::datetime;
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
//! })?;
//! // Due Thursday 08:00 (3 × 8 working hours); resolved on Wednesday: early.
//! let dossier = store.dossiers().resolve(&code, datetime!(2023-12-06 10:00 +07:00), true)?;
//! assert_eq!(dossier.outcome(ClockRule::Restart), Some(Outcome::Early));
//!
//! let report = store.report(&Scope::subtree(&province), Period::month(2023, 12)?)?;
//! assert_eq!((report.received_online, report.resolved_early), (1, 1));
//! assert_eq!(report.on_time_rate().map(|r| r.percent()), Some(100.0));
//! println!("{report}");
//! # Ok::<(), cchc::Error>(())
//! ```
//!
//! # Overview
//!
//! - Codes: [`ProcedureCode`], [`DossierCode`], [`AgencyCode`], [`AdminUnitCode`].
//! - Domain ([`model`]): [`Agency`] hierarchies with validity dates, [`Procedure`]
//!   versions with central and reduced limits and announcement decisions, [`Dossier`]
//!   (the fold of its [`LifecycleEvent`]s), the [`WorkCalendar`] with Vietnamese public
//!   holidays computed from the lunar calendar and the announced schedules of
//!   2010–2026, and the two [`ClockRule`]s that time dossiers after a supplement
//!   request. Feedback, reform plans and organisation snapshots; reform-score
//!   frameworks as data ([`IndexFramework`], [`Assessment`], [`Survey`]).
//! - Storage ([`Store`]): a sled database with typed views ([`Store::agencies`],
//!   [`Store::procedures`], [`Store::dossiers`], feedback, plans, frameworks,
//!   assessments, surveys); every write is one transaction over the record and every
//!   counter it moves; [`Importer`] writes batches; [`Store::verify`] and
//!   [`Store::rebuild`] check and regenerate the counters from the event histories.
//! - Reports ([`Store::report`], [`Store::backlog`]): the periodic [`OneStopReport`]
//!   (Biểu 06/VPCP/KSTT) and [`Backlog`] for an agency, a subtree, a level, a field or a
//!   procedure, over any period, read from counters without scanning dossiers; their
//!   rates are [`Ratio`]s that keep numerator and denominator.
//! - Metrics ([`metrics`]): catalogue statistics, announcements, time and money saved,
//!   processing times, feedback handling, plan progress, organisation change, reform
//!   indices, ranks with shared ties, bands, SIPAS, and the Decision 766 service index
//!   computed from the store ([`Store::service_index`]) with traceable indicators.
//! - [`demo`] generates a realistic province deterministically; [`io`] imports CSV and
//!   JSON Lines and exports backups.
//!
//! # Storage and durability
//!
//! sled flushes in the background every 500 ms. [`Store::flush`] writes to the
//! operating system; [`Store::sync`] also `fdatasync`s every file and is the durable
//! commit point.
//!
//! # What this crate does not do
//!
//! It never reads the clock (callers pass instants), does not talk to the national
//! portal, and does not guess methodology the sources do not give: unsourced maximum
//! points are supplied by the caller.
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
pub use model::dossier::{Action, Channel, ClockRule, Dossier, NewDossier, Outcome};
pub use model::procedure::Procedure;
pub use model::scope::{Period, Scope};
pub use model::time_limit::{TimeLimit, VIETNAM_OFFSET, vietnam_date};
pub use store::{Store, StoreBuilder};
