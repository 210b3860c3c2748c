//! The pure domain: types, validation, the lifecycle state machine, the
//! working-day calendar and due dates. Nothing here touches storage or the clock.

pub mod agency;
pub mod calendar;
pub mod dossier;
pub(crate) mod measure;
pub mod procedure;
pub mod scope;
pub mod score;
pub mod time_limit;
