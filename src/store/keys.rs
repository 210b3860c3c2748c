//! Tree names and key encoding: fixed width, big-endian, so sled's byte order is
//! the domain order.

use time::Date;

/// Tree names, in one place.
pub(crate) mod tree {
    pub const META: &str = "meta";
    pub const AGENCIES: &str = "agencies";
    pub const AGENCY_CODES: &str = "agency_codes";
    pub const PROCEDURES: &str = "procedures";
    pub const PROCEDURE_CODES: &str = "procedure_codes";
    pub const FIELDS: &str = "fields";
    pub const DOSSIERS: &str = "dossiers";
    pub const COUNTERS: &str = "counters";
    pub const ANNOUNCEMENTS: &str = "calendar_announcements";
    pub const FEEDBACK: &str = "feedback";
    pub const PLANS: &str = "plans";
    pub const ORGANISATION: &str = "organisation";
    pub const FRAMEWORKS: &str = "score_frameworks";
    pub const ASSESSMENTS: &str = "score_assessments";
    pub const SURVEYS: &str = "score_surveys";
    pub const INTRADAY: &str = "intraday";
}

/// Surrogate of an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct AgencyKey(pub u32);
/// Surrogate of a procedure code (all its versions share it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ProcedureKey(pub u32);
/// Surrogate of a field (lĩnh vực).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct FieldKey(pub u32);
/// A dossier's key is its code's bytes: the TT 01/2018 form (agency, receipt date
/// YYMMDD, sequence) already sorts in the order reports want, and keying by it saves
/// the code-to-surrogate index write on every receipt.
pub(crate) fn dossier_key(code: &crate::id::DossierCode) -> &[u8] {
    code.as_str().as_bytes()
}

/// Encodes a date so byte order is date order (Julian day with the sign bit flipped).
pub(crate) fn date_bytes(date: Date) -> [u8; 4] {
    ((date.to_julian_day() as u32) ^ 0x8000_0000).to_be_bytes()
}

/// Decodes [`date_bytes`].
#[cfg(test)]
pub(crate) fn date_from_bytes(bytes: [u8; 4]) -> Option<Date> {
    Date::from_julian_day((u32::from_be_bytes(bytes) ^ 0x8000_0000) as i32).ok()
}

/// A procedure version key: procedure surrogate ++ effective date.
pub(crate) fn procedure_version_key(procedure: ProcedureKey, effective: Date) -> [u8; 8] {
    let mut key = [0u8; 8];
    key[..4].copy_from_slice(&procedure.0.to_be_bytes());
    key[4..].copy_from_slice(&date_bytes(effective));
    key
}

/// A counting node: what a counter row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Node {
    /// Everything in the store.
    All,
    /// Dossiers received by this agency itself.
    Own(AgencyKey),
    /// Dossiers received by this agency's strict descendants.
    Below(AgencyKey),
    /// Dossiers received by agencies of a level (index into `Level::ALL`).
    Level(u8),
    /// Dossiers of procedures in a field.
    Field(FieldKey),
    /// Dossiers of a procedure.
    Procedure(ProcedureKey),
}

impl Node {
    /// The 5-byte form of a node inside a counter row.
    pub(crate) fn bytes(self) -> [u8; 5] {
        let (tag, id) = match self {
            Node::All => (0u8, 0u32),
            Node::Own(a) => (1, a.0),
            Node::Below(a) => (2, a.0),
            Node::Level(l) => (3, u32::from(l)),
            Node::Field(f) => (4, f.0),
            Node::Procedure(p) => (5, p.0),
        };
        let mut out = [0u8; 5];
        out[0] = tag;
        out[1..].copy_from_slice(&id.to_be_bytes());
        out
    }

    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: [u8; 5]) -> Option<Self> {
        let [tag, a, b, c, d] = bytes;
        let id = u32::from_be_bytes([a, b, c, d]);
        Some(match tag {
            0 => Node::All,
            1 => Node::Own(AgencyKey(id)),
            2 => Node::Below(AgencyKey(id)),
            3 => Node::Level(u8::try_from(id).ok()?),
            4 => Node::Field(FieldKey(id)),
            5 => Node::Procedure(ProcedureKey(id)),
            _ => return None,
        })
    }

    /// The row group a node's counters live in: agency nodes in the row of their
    /// hierarchy's root, everything else in the global row.
    pub(crate) fn group(self, root: AgencyKey) -> Group {
        match self {
            Node::Own(_) | Node::Below(_) => Group::Tree(root),
            Node::All | Node::Level(_) | Node::Field(_) | Node::Procedure(_) => Group::Global,
        }
    }
}

/// Which counter rows a node lives in. A row holds, for one group and one time
/// bucket, the counts of every node of the group that moved in that bucket: a
/// batch of dossiers then writes a few rows per day instead of one per node and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Group {
    /// All, levels, fields and procedures.
    Global,
    /// The agency nodes of one hierarchy, by its root agency.
    Tree(AgencyKey),
}

impl Group {
    fn bytes(self) -> [u8; 5] {
        let (tag, id) = match self {
            Group::Global => (0u8, 0u32),
            Group::Tree(a) => (1, a.0),
        };
        let mut out = [0u8; 5];
        out[0] = tag;
        out[1..].copy_from_slice(&id.to_be_bytes());
        out
    }
}

/// The time granularity of a counter row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub(crate) enum Grain {
    Year = 0,
    Month = 1,
    Day = 2,
}

/// The bucket index of a day at a granularity; consecutive buckets are consecutive
/// integers, so a range of buckets is a range of keys.
pub(crate) fn bucket(grain: Grain, day: Date) -> u32 {
    let year = (day.year() + 10_000) as u32;
    match grain {
        Grain::Year => year,
        Grain::Month => year * 12 + u32::from(u8::from(day.month())) - 1,
        Grain::Day => (day.to_julian_day() as u32) ^ 0x8000_0000,
    }
}

/// Width of a counter key.
pub(crate) const COUNTER_KEY_LEN: usize = 10;

/// A counter row key: group (5 B) ++ granularity (1 B) ++ bucket (4 B).
pub(crate) fn counter_key(group: Group, grain: Grain, bucket: u32) -> [u8; COUNTER_KEY_LEN] {
    let mut key = [0u8; COUNTER_KEY_LEN];
    key[..5].copy_from_slice(&group.bytes());
    key[5] = grain as u8;
    key[6..].copy_from_slice(&bucket.to_be_bytes());
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_date() -> impl Strategy<Value = Date> {
        (Date::MIN.to_julian_day()..=Date::MAX.to_julian_day())
            .prop_map(|j| Date::from_julian_day(j).unwrap())
    }

    proptest! {
        #[test]
        fn date_keys_round_trip_and_sort(a in any_date(), b in any_date()) {
            prop_assert_eq!(date_from_bytes(date_bytes(a)), Some(a));
            prop_assert_eq!(a.cmp(&b), date_bytes(a).cmp(&date_bytes(b)));
        }

        #[test]
        fn buckets_sort_like_days(a in any_date(), b in any_date()) {
            for grain in [Grain::Year, Grain::Month, Grain::Day] {
                if a <= b {
                    prop_assert!(bucket(grain, a) <= bucket(grain, b));
                }
            }
            prop_assert_eq!(a.cmp(&b), bucket(Grain::Day, a).cmp(&bucket(Grain::Day, b)));
        }

        #[test]
        fn counter_keys_sort_by_group_grain_bucket(
            n1 in 0u32..1000, n2 in 0u32..1000, b1 in any::<u32>(), b2 in any::<u32>(),
        ) {
            let k1 = counter_key(Group::Tree(AgencyKey(n1)), Grain::Day, b1);
            let k2 = counter_key(Group::Tree(AgencyKey(n2)), Grain::Day, b2);
            prop_assert_eq!((n1, b1).cmp(&(n2, b2)), k1.cmp(&k2));
            prop_assert!(counter_key(Group::Global, Grain::Day, b1) < k1);
            prop_assert!(counter_key(Group::Tree(AgencyKey(n1)), Grain::Month, b2) < counter_key(Group::Tree(AgencyKey(n1)), Grain::Day, 0));
        }

        #[test]
        fn procedure_version_keys_sort(p1 in any::<u32>(), p2 in any::<u32>(), a in any_date(), b in any_date()) {
            let k1 = procedure_version_key(ProcedureKey(p1), a);
            let k2 = procedure_version_key(ProcedureKey(p2), b);
            prop_assert_eq!((p1, a).cmp(&(p2, b)), k1.cmp(&k2));
        }
    }

    #[test]
    fn nodes_round_trip() {
        for node in [
            Node::All,
            Node::Own(AgencyKey(7)),
            Node::Below(AgencyKey(u32::MAX)),
            Node::Level(3),
            Node::Field(FieldKey(2)),
            Node::Procedure(ProcedureKey(9)),
        ] {
            assert_eq!(Node::from_bytes(node.bytes()), Some(node));
        }
        assert_eq!(Node::from_bytes([9, 0, 0, 0, 0]), None);
    }
}
