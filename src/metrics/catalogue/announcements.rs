//! Announcement decisions signed in a period (Decision 766 indicator 1.1).

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::count;
use crate::id::ProcedureCode;
use crate::metrics::display::Lang;
use crate::model::procedure::{AnnouncementKind, Procedure};
use crate::model::scope::Period;

/// Announcement decisions (quyết định công bố) signed in a period and the procedures
/// they announced.
///
/// An announcement counts when its signing date is in the period. `decisions` counts
/// distinct decision numbers; each kind counts distinct procedure codes (a procedure
/// announced twice with the same kind in the period counts once, as Decision 766
/// indicator 1.1 counts it). The seed's "amended or replaced" figure is
/// [`AnnouncementStats::amended_or_replaced`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementStats {
    /// The period.
    pub period: Period,
    /// Distinct decisions signed.
    pub decisions: u64,
    /// New procedures (ban hành mới).
    pub new: u64,
    /// Amended procedures (sửa đổi, bổ sung).
    pub amended: u64,
    /// Replaced procedures (thay thế).
    pub replaced: u64,
    /// Abolished procedures (bãi bỏ).
    pub abolished: u64,
    /// Distinct procedure codes announced, whatever the kind.
    pub procedures: u64,
}

impl AnnouncementStats {
    /// Counts the announcements of every version of every procedure signed in `period`.
    pub fn compute<'a>(versions: impl IntoIterator<Item = &'a Procedure>, period: Period) -> Self {
        let mut decisions = BTreeSet::new();
        let mut by_kind: BTreeSet<(AnnouncementKind, &ProcedureCode)> = BTreeSet::new();
        let mut codes = BTreeSet::new();
        for p in versions {
            for a in p.announcements().iter().filter(|a| period.contains(a.signed)) {
                decisions.insert(a.number.as_str());
                by_kind.insert((a.kind, p.code()));
                codes.insert(p.code());
            }
        }
        let of = |kind| by_kind.iter().filter(|(k, _)| *k == kind).count() as u64;
        Self {
            period,
            decisions: decisions.len() as u64,
            new: of(AnnouncementKind::New),
            amended: of(AnnouncementKind::Amended),
            replaced: of(AnnouncementKind::Replaced),
            abolished: of(AnnouncementKind::Abolished),
            procedures: codes.len() as u64,
        }
    }

    /// Returns amended plus replaced procedures.
    pub fn amended_or_replaced(&self) -> u64 {
        self.amended + self.replaced
    }
    /// Returns the announced procedures summed over the kinds.
    pub fn total(&self) -> u64 {
        self.new + self.amended + self.replaced + self.abolished
    }

    /// Formats the statistics in `lang`.
    pub fn display(&self, lang: Lang) -> String {
        format!(
            "{} {}: {}; {}: {} ({} {}, {} {}, {} {}, {} {})",
            lang.pick("Quyết định công bố", "Announcement decisions"),
            self.period,
            count(self.decisions, lang),
            lang.pick("TTHC", "procedures"),
            count(self.total(), lang),
            count(self.new, lang),
            lang.pick("mới", "new"),
            count(self.amended, lang),
            lang.pick("sửa đổi, bổ sung", "amended"),
            count(self.replaced, lang),
            lang.pick("thay thế", "replaced"),
            count(self.abolished, lang),
            lang.pick("bãi bỏ", "abolished"),
        )
    }
}

impl fmt::Display for AnnouncementStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Lang::Vi))
    }
}
