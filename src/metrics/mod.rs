//! Pure metrics over model values and store aggregates. Nothing here opens a store.

pub mod display;
pub mod report;
pub mod scores;
