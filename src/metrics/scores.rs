//! Reform-score computations (placeholder, being written).
