//! Reads that only fetch stored data and hand it to a pure function in `metrics/`:
//! reports and backlogs (`report.rs`), the Decision 766 index (`service_index.rs`),
//! verification and repair (`verify.rs`).

mod report;
mod service_index;
mod verify;

pub use verify::{CounterDifference, VerifyReport};
