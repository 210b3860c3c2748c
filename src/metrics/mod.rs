//! Pure metrics over model values and store aggregates.
pub mod scores;
