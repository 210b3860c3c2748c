//! The rule sets of the one-stop mechanism, as data: which decree governs a dossier is
//! fixed by its receipt date (Vietnam time) and stored with it, so a report over a
//! period that straddles a change counts each dossier under its own rules, and the next
//! amendment is one more row of [`RULE_SETS`].
//!
//! Sources (the design and every quotation: `docs/decisions/decree118.md`):
//! - Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP), guided by Circular
//!   01/2018/TT-VPCP: in force until 30 June 2025.
//! - Decree 118/2025/NĐ-CP, guided by Circular 03/2025/TT-VPCP: Art. 40(1) "Nghị định
//!   này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025. Nghị định số 61/2018/NĐ-CP
//!   … hết hiệu lực kể từ ngày Nghị định này có hiệu lực thi hành", with no transitional
//!   clause; read in a stored copy of the decree (GitHub `neornotl/rightly-beta`).
//! - Decree 367/2025/NĐ-CP amends Decree 118 (`VNeID` as an online channel); its text and
//!   effective date were not found, so it has no row yet.
//!
//! Both decrees time a dossier the same way (restart after a supplement, Decree 61 Art.
//! 19(4) = Decree 118 Art. 19(5); the apology at the latest one day before the due day,
//! once, Art. 19(9) = Art. 19(6); the 15:00 cut-off, Art. 18): what differs is the
//! lifecycle (closure for want of a supplement; stopping at the applicant's request in
//! place of withdrawal) and what counts as online.

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

/// Which rule set governs a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RuleSetId {
    /// Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP).
    Decree61,
    /// Decree 118/2025/NĐ-CP, from 1 July 2025.
    Decree118,
}

/// The portal an online dossier was submitted through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Portal {
    /// Cổng Dịch vụ công quốc gia.
    National,
    /// A ministry's public service portal (Cổng Dịch vụ công cấp bộ).
    Ministry,
    /// A province's public service portal (Cổng Dịch vụ công cấp tỉnh).
    Province,
    /// The `VNeID` application (Decree 367/2025, whose effective date was not found).
    VNeId,
}

impl Portal {
    /// Its token in import files (`national`, `ministry`, `province`, `vneid`).
    pub fn token(self) -> &'static str {
        match self {
            Portal::National => "national",
            Portal::Ministry => "ministry",
            Portal::Province => "province",
            Portal::VNeId => "vneid",
        }
    }

    /// Every portal, in token order of the docs.
    pub const ALL: [Portal; 4] =
        [Portal::National, Portal::Ministry, Portal::Province, Portal::VNeId];
}

/// A portal that counts as an online channel, until a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalRule {
    /// The portal.
    pub portal: Portal,
    /// The first receipt day it no longer counts, if any.
    pub until: Option<Date>,
}

/// How an applicant ends a procedure before its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicantExit {
    /// The dossier is withdrawn (rút hồ sơ): the crate's event under Decree 61, which
    /// has no article for it.
    Withdraw,
    /// The applicant asks to stop the procedure (dừng thực hiện thủ tục hành chính),
    /// from receipt until the decision: Decree 118/2025 Art. 21(1), form Mẫu 05 of
    /// Circular 03/2025/TT-VPCP.
    Stop,
}

/// One row of the rule-set table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSet {
    /// Its id, stored with every dossier.
    pub id: RuleSetId,
    /// Its token in import files and backups (`decree_61_2018`, `decree_118_2025`).
    pub token: &'static str,
    /// The decree, as cited.
    pub decree: &'static str,
    /// The circular that guides it.
    pub guidance: &'static str,
    /// The first receipt day it governs (`None`: every day before the next row).
    pub from: Option<Date>,
    /// Calendar days after a supplement notice from which a dossier whose supplement
    /// never came is closed (đóng hồ sơ), or `None` when the rule set has no such
    /// closure. Decree 118/2025 Art. 19(5): "Sau 15 ngày kể từ khi thông báo …, nếu tổ
    /// chức, cá nhân không hoàn thành việc hoàn thiện hồ sơ, … thực hiện đóng hồ sơ".
    pub closure_after_notice_days: Option<u8>,
    /// How the applicant ends the procedure early.
    pub applicant_exit: ApplicantExit,
    /// The portals through which an online dossier may be submitted.
    pub online_portals: &'static [PortalRule],
}

/// Decree 61/2018/NĐ-CP: every receipt before 1 July 2025.
const DECREE_61: RuleSet = RuleSet {
    id: RuleSetId::Decree61,
    token: "decree_61_2018",
    decree: "61/2018/NĐ-CP (sửa đổi bởi 107/2021/NĐ-CP)",
    guidance: "01/2018/TT-VPCP",
    from: None,
    closure_after_notice_days: None,
    applicant_exit: ApplicantExit::Withdraw,
    // Decree 61 Art. 16(3): "Trực tuyến tại Cổng Dịch vụ công cấp bộ, cấp tỉnh"; the
    // national portal received dossiers from 2019 on.
    online_portals: &[
        PortalRule { portal: Portal::National, until: None },
        PortalRule { portal: Portal::Ministry, until: None },
        PortalRule { portal: Portal::Province, until: None },
    ],
};

/// Decree 118/2025/NĐ-CP: receipts from 1 July 2025 (Art. 40(1)).
const DECREE_118: RuleSet = RuleSet {
    id: RuleSetId::Decree118,
    token: "decree_118_2025",
    decree: "118/2025/NĐ-CP",
    guidance: "03/2025/TT-VPCP",
    from: Some(date!(2025 - 07 - 01)),
    closure_after_notice_days: Some(15),
    applicant_exit: ApplicantExit::Stop,
    // Art. 15(3): "Trực tuyến tại Cổng Dịch vụ công quốc gia"; Art. 40(2): ministry
    // portals go on until they close "trước ngày 01 tháng 3 năm 2026".
    online_portals: &[
        PortalRule { portal: Portal::National, until: None },
        PortalRule { portal: Portal::Ministry, until: Some(date!(2026 - 03 - 01)) },
    ],
};

/// The rule sets, in the order they came into force.
pub const RULE_SETS: &[RuleSet] = &[DECREE_61, DECREE_118];

/// The rule set of a dossier stored before rule sets existed: all of them were
/// received under Decree 61 (the crate knew no other).
pub(crate) fn legacy_rule_set() -> RuleSetId {
    RuleSetId::Decree61
}

impl RuleSet {
    /// Returns the row of `id`.
    pub fn get(id: RuleSetId) -> &'static RuleSet {
        match id {
            RuleSetId::Decree61 => &DECREE_61,
            RuleSetId::Decree118 => &DECREE_118,
        }
    }

    /// Returns the rule set that governs a dossier received on `day` (Vietnam time):
    /// the last row in force on that day.
    pub fn in_force_on(day: Date) -> &'static RuleSet {
        RULE_SETS.iter().rev().find(|r| r.from.is_none_or(|from| from <= day)).unwrap_or(&DECREE_61)
    }

    /// Returns the rule set of an import or backup token.
    pub fn by_token(token: &str) -> Option<&'static RuleSet> {
        RULE_SETS.iter().find(|r| r.token == token)
    }

    /// Returns whether `portal` is an online channel of this rule set for a dossier
    /// received on `day`.
    pub fn allows_portal(&self, portal: Portal, day: Date) -> bool {
        self.online_portals
            .iter()
            .any(|r| r.portal == portal && r.until.is_none_or(|until| day < until))
    }

    /// Returns the short name shown in errors and reports ("Decree 118/2025").
    pub fn name(&self) -> &'static str {
        match self.id {
            RuleSetId::Decree61 => "Decree 61/2018",
            RuleSetId::Decree118 => "Decree 118/2025",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_sets_are_sorted_total_and_follow_the_receipt_date() {
        assert!(RULE_SETS.first().is_some_and(|r| r.from.is_none()));
        assert!(RULE_SETS.iter().skip(1).all(|r| r.from.is_some()));
        assert!(RULE_SETS.windows(2).all(|w| w[0].from < w[1].from));
        for id in [RuleSetId::Decree61, RuleSetId::Decree118] {
            assert_eq!(RuleSet::get(id).id, id);
            assert_eq!(RuleSet::by_token(RuleSet::get(id).token).map(|r| r.id), Some(id));
        }
        assert_eq!(RuleSet::in_force_on(date!(1990 - 01 - 01)).id, RuleSetId::Decree61);
        assert_eq!(RuleSet::in_force_on(date!(2025 - 06 - 30)).id, RuleSetId::Decree61);
        assert_eq!(RuleSet::in_force_on(date!(2025 - 07 - 01)).id, RuleSetId::Decree118);
        assert_eq!(RuleSet::in_force_on(date!(2026 - 12 - 01)).id, RuleSetId::Decree118);
        assert!(RuleSet::by_token("decree_367_2025").is_none());
    }
}
