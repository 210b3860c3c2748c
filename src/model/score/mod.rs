//! Reform-score frameworks (placeholder, being written).
