//! A deterministic, realistic province for examples, benchmarks and tests.
//!
//! [`Province::generate`] builds the agencies (the provincial People's Committee,
//! its departments, districts and communes, coded per TT 10/2016) and a procedure
//! catalogue (about 2,000 procedures over thirty-odd real fields, with central
//! limits, reduced limits for about 47 % of them, online levels, fees, paper
//! results and a few amended, new and abolished versions). [`DossierStream`] then
//! yields one year of dossiers in receipt order, each with its event history, as
//! `(NewDossier, Vec<(OffsetDateTime, Action)>)` ready for
//! [`Importer::dossier`](crate::store::Importer::dossier). [`populate`] does both into a
//! store.
//!
//! Everything is a pure function of the [`DemoSpec`] (seed included): the same
//! spec gives the same province and the same dossiers, byte for byte, on every
//! machine. The random numbers come from a small `xoshiro256**` generator seeded
//! with `SplitMix64`, written here so the output never depends on another crate's
//! version.
//!
//! The default, [`DemoSpec::quang_nam_2023`], is sized like Quảng Nam's 2023
//! review: 90,010 dossiers received at province level, 136,350 at district level
//! and 187,299 at commune level (413,659 in all), with online shares near the
//! published 77.7 %, 30.2 % and 65.5 %.
//!
//! ```
//! use cchc::demo::{DemoSpec, DossierStream, Province};
//! let spec = DemoSpec::quang_nam_2023().with_dossiers(500);
//! let province = Province::generate(&spec)?;
//! assert_eq!(province.procedures_in_catalogue(), 1_972);
//! let dossiers: Vec<_> = DossierStream::new(&spec, &province)?.collect::<Result<_, _>>()?;
//! assert_eq!(dossiers.len(), 500);
//! // Receipt order.
//! assert!(dossiers.windows(2).all(|w| w[0].0.received_at <= w[1].0.received_at));
//! # Ok::<(), cchc::Error>(())
//! ```
//!
//! [`feedback`] and [`reform_plan`] generate the year's feedback items (phản ánh,
//! kiến nghị; one per 30 dossiers) and the province's reform plan (64 tasks, as
//! in Vĩnh Phúc's), which [`populate`] stores too.
//!
//! # Extension point
//!
//! Assessments under index frameworks are not generated: their points are the
//! appraisal councils' and surveys', not a consequence of the dossiers, and
//! inventing them would read as data. A caller that has real points stores them
//! with the store's assessment collection.

mod names;
mod populate;
mod province;
mod reform;
mod rng;
mod stream;

use time::{Date, Month, OffsetDateTime};

use crate::model::dossier::{Action, NewDossier};
use crate::{Error, Result};
use names::{DEPARTMENTS, DISTRICTS};

pub use populate::populate;
pub use province::Province;
pub use reform::{feedback, reform_plan};
pub use stream::DossierStream;

/// One generated dossier: the receipt and the actions that followed it, in order.
pub type DemoDossier = (NewDossier, Vec<(OffsetDateTime, Action)>);

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSpec {
    /// The seed of every random choice.
    pub seed: u64,
    /// The calendar year of the dossiers.
    pub year: i32,
    /// How many dossiers in all, split by level like Quảng Nam 2023
    /// (21.8 % province, 33.0 % district, 45.3 % commune).
    pub dossiers: u64,
    /// How many provincial departments (1–20).
    pub departments: usize,
    /// How many districts (1–18).
    pub districts: usize,
    /// How many communes in all, spread over the districts (at least one each,
    /// at most 99 each).
    pub communes: usize,
    /// How many procedures in the catalogue (at least 100).
    pub procedures: usize,
}

/// The Quảng Nam 2023 seed: dossiers received at province, district and commune level.
const SEED_RECEIVED: [u64; 3] = [90_010, 136_350, 187_299];

impl DemoSpec {
    /// A province sized like Quảng Nam in 2023: 20 departments, 18 districts, 241
    /// communes, 1,972 procedures (929 with a cut limit, 47 %) and 413,659 dossiers.
    pub fn quang_nam_2023() -> Self {
        Self {
            seed: 0x0049_2023_0C0C_0001_u64,
            year: 2023,
            dossiers: SEED_RECEIVED.iter().sum(),
            departments: 20,
            districts: 18,
            communes: 241,
            procedures: 1_972,
        }
    }

    /// Returns a copy generating `dossiers` dossiers in all.
    #[must_use]
    pub fn with_dossiers(mut self, dossiers: u64) -> Self {
        self.dossiers = dossiers;
        self
    }

    /// Returns a copy with another seed.
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Returns how many dossiers each level receives: province, district, commune.
    /// The shares are the seed's; the three numbers add up to [`DemoSpec::dossiers`].
    pub fn level_split(&self) -> [u64; 3] {
        let total: u64 = SEED_RECEIVED.iter().sum();
        let [p, d, _] = SEED_RECEIVED;
        let share = |x: u64| {
            (u128::from(self.dossiers) * u128::from(x) + u128::from(total) / 2) / u128::from(total)
        };
        let province = share(p) as u64;
        let district = (share(p + d) as u64).saturating_sub(province);
        [province, district, self.dossiers - province - district]
    }

    fn validate(&self) -> Result<()> {
        if !(1..=DEPARTMENTS.len()).contains(&self.departments) {
            return Err(Error::invalid("demo.departments", "must be 1–20"));
        }
        if !(1..=DISTRICTS.len()).contains(&self.districts) {
            return Err(Error::invalid("demo.districts", "must be 1–18"));
        }
        if self.communes < self.districts || self.communes > self.districts * 99 {
            return Err(Error::invalid("demo.communes", "must be 1–99 per district"));
        }
        if self.procedures < 100 || self.procedures > 9_000 {
            return Err(Error::invalid("demo.procedures", "must be 100–9,000"));
        }
        if !(2001..=2098).contains(&self.year) {
            return Err(Error::invalid("demo.year", "must be 2001–2098"));
        }
        Ok(())
    }
}

impl Default for DemoSpec {
    fn default() -> Self {
        Self::quang_nam_2023()
    }
}

fn date(year: i32, month: Month, day: u8) -> Result<Date> {
    Date::from_calendar_date(year, month, day)
        .map_err(|_| Error::invalid("demo.year", "gives an impossible date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_split_is_the_seed_and_exact() {
        let spec = DemoSpec::quang_nam_2023();
        assert_eq!(spec.level_split(), [90_010, 136_350, 187_299]);
        for n in [0, 1, 7, 100_000, 1_000_000] {
            assert_eq!(spec.with_dossiers(n).level_split().iter().sum::<u64>(), n);
        }
        assert_eq!(spec.with_dossiers(100_000).level_split(), [21_759, 32_962, 45_279]);
    }
}
