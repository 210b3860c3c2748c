//! Integration tests: one binary, modules by concern.
#![allow(clippy::many_single_char_names, clippy::similar_names)]

mod fixtures;
mod reports;
mod scopes;
mod store;
