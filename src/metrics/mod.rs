//! Pure metrics over model values and store aggregates. Nothing here opens a store.

pub mod catalogue;
pub mod display;
pub mod reform;
pub mod report;
pub mod scores;
pub mod service_index;
