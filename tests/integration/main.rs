//! Integration tests: one binary, modules by concern.

mod fixtures;
mod reports;
mod store;
