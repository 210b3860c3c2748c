//! `cchc`: Vietnam public administration reform (cải cách hành chính) in a library.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![doc(test(attr(deny(warnings))))]

pub mod error;
pub mod metrics;
pub mod model;

pub use error::{CodecError, Error, RecordKind, Result};
