//! Frozen on-disk records, one file per family: `core` (agencies, procedures,
//! dossiers and the instant and date encodings), `reform` (feedback, plans,
//! organisation snapshots) and `score` (frameworks, assessments, surveys) and `calendar` (calendar announcements). These
//! structs are the format: changing one changes the bytes, which needs a new version
//! (`V2`), a format bump and new golden fixtures. All crate-private.

pub(crate) mod calendar;
mod core;
pub(crate) mod reform;
pub(crate) mod score;

pub(crate) use core::*;
