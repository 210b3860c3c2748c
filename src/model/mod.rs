//! The pure domain: types, validation, the lifecycle state machine, the
//! working-day calendar and due dates. Nothing here touches storage or the clock.

pub mod agency;
pub mod calendar;
pub mod dossier;
pub mod feedback;
pub(crate) mod measure;
pub mod organisation;
pub mod plan;
pub mod procedure;
pub mod rules;
pub mod scope;
pub mod score;
pub(crate) mod text;
pub mod time_limit;
