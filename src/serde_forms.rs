//! The readable serde forms of dates and times (issue 19 §2).
//!
//! In a human-readable format (JSON, the backup's JSON Lines):
//!
//! - an instant is RFC 3339 in Vietnam time, `2024-03-04T08:15:00+07:00`;
//! - a date is ISO 8601, `2024-03-04`;
//! - a time of day is `07:30` (`07:30:15` with seconds);
//! - a weekday is its English name in lower case, `saturday`.
//!
//! Reading accepts those and the `time` crate's compact forms that this crate
//! wrote before backup version 4: a date as `[year, day of year]`, an instant as
//! nine numbers, a time of day as four and a weekday as its number from Monday.
//! An instant may be read with any offset; it is the same instant.
//!
//! In a compact format (bincode) both directions keep the `time` crate's own
//! forms, so nothing that is encoded compactly changes.
//!
//! Fields use these with `#[serde(with = "crate::serde_forms::one")]` (a value),
//! `option` (an `Option`) or `seq` (a `Vec`); [`Readable`] wraps a value where a
//! field attribute cannot reach (inside a tuple).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::{format_description, offset};
use time::{Date, OffsetDateTime, Time, Weekday};

/// A value with a readable text form and the `time` crate's compact form.
pub(crate) trait Form: Sized + Serialize + DeserializeOwned {
    /// What a reader expects, for error messages.
    const EXPECTING: &'static str;
    /// The readable text.
    fn to_text(&self) -> Option<String>;
    /// Parses the readable text.
    fn from_text(text: &str) -> Result<Self, String>;
}

/// Vietnam's offset, UTC+7: readable instants are written in it.
const VIETNAM: time::UtcOffset = offset!(+7);

impl Form for OffsetDateTime {
    const EXPECTING: &'static str = "an RFC 3339 instant such as 2024-03-04T08:15:00+07:00";
    fn to_text(&self) -> Option<String> {
        self.checked_to_offset(VIETNAM)?.format(&Rfc3339).ok()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        OffsetDateTime::parse(text, &Rfc3339)
            .map_err(|e| format!("{text:?} is not an RFC 3339 instant: {e}"))
    }
}

impl Form for Date {
    const EXPECTING: &'static str = "an ISO 8601 date such as 2024-03-04";
    fn to_text(&self) -> Option<String> {
        self.format(format_description!("[year]-[month]-[day]")).ok()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        Date::parse(text, format_description!("[year]-[month]-[day]"))
            .map_err(|e| format!("{text:?} is not a YYYY-MM-DD date: {e}"))
    }
}

impl Form for Time {
    const EXPECTING: &'static str = "a time of day such as 07:30";
    fn to_text(&self) -> Option<String> {
        let text = if self.nanosecond() != 0 {
            self.format(format_description!("[hour]:[minute]:[second].[subsecond]"))
        } else if self.second() != 0 {
            self.format(format_description!("[hour]:[minute]:[second]"))
        } else {
            self.format(format_description!("[hour]:[minute]"))
        };
        text.ok()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        let parsed = match text.len() {
            5 => Time::parse(text, format_description!("[hour]:[minute]")),
            8 => Time::parse(text, format_description!("[hour]:[minute]:[second]")),
            _ => Time::parse(text, format_description!("[hour]:[minute]:[second].[subsecond]")),
        };
        parsed.map_err(|e| format!("{text:?} is not a time of day HH:MM[:SS]: {e}"))
    }
}

impl Form for Weekday {
    const EXPECTING: &'static str = "a weekday such as saturday";
    fn to_text(&self) -> Option<String> {
        Some(self.to_string().to_ascii_lowercase())
    }
    fn from_text(text: &str) -> Result<Self, String> {
        let mut day = Weekday::Monday;
        for _ in 0..7 {
            if day.to_string().eq_ignore_ascii_case(text) {
                return Ok(day);
            }
            day = day.next();
        }
        Err(format!("{text:?} is not a weekday (monday … sunday)"))
    }
}

fn serialize_form<T: Form, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    if serializer.is_human_readable() {
        let text = value
            .to_text()
            .ok_or_else(|| serde::ser::Error::custom(format!("cannot write {}", T::EXPECTING)))?;
        serializer.serialize_str(&text)
    } else {
        value.serialize(serializer)
    }
}

fn deserialize_form<'de, T: Form, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    if deserializer.is_human_readable() {
        deserializer.deserialize_any(FormVisitor(PhantomData))
    } else {
        T::deserialize(deserializer)
    }
}

/// Reads the readable text, or the `time` crate's compact form of older files.
struct FormVisitor<T>(PhantomData<T>);

impl<'de, T: Form> Visitor<'de> for FormVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        T::from_text(text).map_err(E::custom)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::deserialize(de::value::SeqAccessDeserializer::new(seq))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::deserialize(de::value::U64Deserializer::<E>::new(v))
    }
}

/// A value in its readable form, for places a field attribute cannot reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Readable<T>(pub T);

impl<T: Form> Serialize for Readable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_form(&self.0, serializer)
    }
}

impl<'de, T: Form> Deserialize<'de> for Readable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_form(deserializer).map(Readable)
    }
}

/// A borrowed value in its readable form.
struct Ref<'a, T>(&'a T);

impl<T: Form> Serialize for Ref<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_form(self.0, serializer)
    }
}

/// `#[serde(with = "crate::serde_forms::one")]`: one value.
pub(crate) mod one {
    use super::{Deserializer, Form, Serializer, deserialize_form, serialize_form};

    pub(crate) fn serialize<T: Form, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        serialize_form(v, s)
    }

    pub(crate) fn deserialize<'de, T: Form, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        deserialize_form(d)
    }
}

/// `#[serde(with = "crate::serde_forms::option")]`: an optional value (`null` when absent).
pub(crate) mod option {
    use super::{Deserialize, Deserializer, Form, Readable, Ref, Serialize, Serializer};

    // serde's `with` hands the field as it is: `&Option<T>`.
    #[allow(clippy::ref_option)]
    pub(crate) fn serialize<T: Form, S: Serializer>(
        v: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        v.as_ref().map(Ref).serialize(s)
    }

    pub(crate) fn deserialize<'de, T: Form, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        Ok(Option::<Readable<T>>::deserialize(d)?.map(|r| r.0))
    }
}

/// `#[serde(with = "crate::serde_forms::seq")]`: a list of values.
pub(crate) mod seq {
    use super::{Deserialize, Deserializer, Form, Readable, Ref, Serializer};

    pub(crate) fn serialize<T: Form, S: Serializer>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(Ref))
    }

    pub(crate) fn deserialize<'de, T: Form, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        Ok(Vec::<Readable<T>>::deserialize(d)?.into_iter().map(|r| r.0).collect())
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;
    use time::macros::{date, datetime, time};
    use time::{Date, OffsetDateTime, Time, Weekday};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        #[serde(with = "super::one")]
        at: OffsetDateTime,
        #[serde(with = "super::option")]
        until: Option<OffsetDateTime>,
        #[serde(with = "super::one")]
        day: Date,
        #[serde(with = "super::seq")]
        days: Vec<Date>,
        #[serde(with = "super::one")]
        opens: Time,
        #[serde(with = "super::one")]
        weekday: Weekday,
    }

    fn sample() -> Sample {
        Sample {
            // Stored in UTC: written in Vietnam time.
            at: datetime!(2024-03-04 01:15 UTC),
            until: None,
            day: date!(2024 - 01 - 01),
            days: vec![date!(2024 - 02 - 09), date!(2100 - 12 - 31)],
            opens: time!(7:30),
            weekday: Weekday::Saturday,
        }
    }

    #[test]
    fn json_is_readable_and_reads_back() {
        let value = serde_json::to_value(sample()).unwrap();
        assert_eq!(
            value,
            json!({
                "at": "2024-03-04T08:15:00+07:00",
                "until": null,
                "day": "2024-01-01",
                "days": ["2024-02-09", "2100-12-31"],
                "opens": "07:30",
                "weekday": "saturday",
            })
        );
        assert_eq!(serde_json::from_value::<Sample>(value).unwrap(), sample());
    }

    /// The forms written before backup version 4 (the `time` crate's compact ones)
    /// still read: `[2024,1]` is 1 January 2024.
    #[test]
    fn the_older_array_forms_still_read() {
        let old = json!({
            "at": [2024, 64, 8, 15, 0, 0, 7, 0, 0],
            "until": [2024, 65, 1, 0, 0, 0, 0, 0, 0],
            "day": [2024, 1],
            "days": [[2024, 40], [2100, 365]],
            "opens": [7, 30, 0, 0],
            "weekday": 6,
        });
        let got: Sample = serde_json::from_value(old).unwrap();
        assert_eq!(got.until, Some(datetime!(2024-03-05 08:00 +07:00)));
        assert_eq!(Sample { until: None, ..got }, sample());
    }

    #[test]
    fn other_offsets_seconds_and_the_earliest_date_round_trip() {
        let text = json!({
            "at": "2024-03-03T18:15:00-07:00",
            "until": "2024-03-04T08:15:30.5+07:00",
            "day": "-9999-01-01",
            "days": [],
            "opens": "13:00:15",
            "weekday": "Sunday",
        });
        let got: Sample = serde_json::from_value(text).unwrap();
        assert_eq!(got.at, datetime!(2024-03-04 08:15 +07:00));
        assert_eq!(got.day, Date::MIN);
        assert_eq!(got.opens, time!(13:00:15));
        let again = serde_json::to_value(&got).unwrap();
        assert_eq!(again["at"], "2024-03-04T08:15:00+07:00");
        assert_eq!(again["until"], "2024-03-04T08:15:30.5+07:00");
        assert_eq!(again["day"], "-9999-01-01");
        assert_eq!(again["weekday"], "sunday");
        assert_eq!(serde_json::from_value::<Sample>(again).unwrap(), got);
        for bad in [json!("2024-03-04 08:15"), json!("04/03/2024"), json!(true)] {
            let mut value = serde_json::to_value(sample()).unwrap();
            value["at"] = bad;
            assert!(serde_json::from_value::<Sample>(value).is_err());
        }
    }

    /// Compact formats keep the `time` crate's forms, byte for byte.
    #[test]
    fn bincode_keeps_the_compact_forms() {
        #[derive(Serialize)]
        struct Plain {
            at: OffsetDateTime,
            until: Option<OffsetDateTime>,
            day: Date,
            days: Vec<Date>,
            opens: Time,
            weekday: Weekday,
        }
        let config = bincode::config::standard();
        let s = sample();
        let plain = Plain {
            at: s.at,
            until: s.until,
            day: s.day,
            days: s.days.clone(),
            opens: s.opens,
            weekday: s.weekday,
        };
        let ours = bincode::serde::encode_to_vec(&s, config).unwrap();
        assert_eq!(ours, bincode::serde::encode_to_vec(&plain, config).unwrap());
        let (back, _): (Sample, usize) = bincode::serde::decode_from_slice(&ours, config).unwrap();
        assert_eq!(back, s);
    }
}
