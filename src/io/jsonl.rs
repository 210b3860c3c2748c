//! JSON Lines rows: one JSON object per line; blank lines are skipped. A key given
//! twice in one object (at any depth) is an error naming it, not a silent choice
//! of one of its values.

use std::cell::RefCell;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::options::{Columns, ReadOptions};
use super::rows::Row;
use crate::{Error, Result};

/// Returns the rows of `reader`, one per non-blank line, their keys read through
/// `columns`.
pub(crate) fn rows<'a, R: Read + 'a>(
    reader: R,
    file: &str,
    columns: &'a Columns<'a>,
    read: ReadOptions,
) -> impl Iterator<Item = Result<Row>> + 'a {
    let file: Arc<str> = Arc::from(file);
    let mut lines = BufReader::new(reader).lines().enumerate();
    std::iter::from_fn(move || {
        loop {
            let (index, line) = lines.next()?;
            let number = index as u64 + 1;
            let error = |field: String, reason: String| Error::Import {
                file: file.to_string(),
                line: number,
                field,
                reason,
            };
            let text = match line {
                Ok(text) => text,
                Err(e) => {
                    return Some(Err(error(String::new(), format!("cannot read the line: {e}"))));
                }
            };
            let text = text.trim().trim_start_matches('\u{feff}');
            if text.is_empty() {
                continue;
            }
            return Some(match parse_strict(text) {
                Ok(Value::Object(object)) => {
                    Row::from_json(file.clone(), number, String::new(), object, read, Some(columns))
                }
                Ok(_) => Err(error(String::new(), "the line is not a JSON object".to_owned())),
                Err(Parse::Duplicate(key)) => Err(error(key, "is given twice".to_owned())),
                Err(Parse::Invalid(e)) => Err(error(String::new(), format!("not valid JSON: {e}"))),
            });
        }
    })
}

/// Why a line did not parse.
#[derive(Debug)]
pub(crate) enum Parse {
    /// A key given twice in one object, with its path (`events[1].at`).
    Duplicate(String),
    /// Not JSON.
    Invalid(serde_json::Error),
}

/// Parses one JSON value, refusing a key given twice in any object.
pub(crate) fn parse_strict(text: &str) -> std::result::Result<Value, Parse> {
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Strict { path: String::new(), duplicate: &duplicate }
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    match (value, duplicate.into_inner()) {
        (_, Some(key)) => Err(Parse::Duplicate(key)),
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(Parse::Invalid(e)),
    }
}

/// Builds a [`Value`] like `serde_json`'s own, recording the first duplicated key.
struct Strict<'a> {
    /// Where this value sits (`""` for the line, `events[1]` for a nested item).
    path: String,
    duplicate: &'a RefCell<Option<String>>,
}

impl Strict<'_> {
    fn child(&self, path: String) -> Self {
        Strict { path, duplicate: self.duplicate }
    }
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) =
            seq.next_element_seed(self.child(format!("{}[{}]", self.path, items.len())))?
        {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path =
                if self.path.is_empty() { key.clone() } else { format!("{}.{key}", self.path) };
            if object.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(path);
                return Err(de::Error::custom(format!("the key {key:?} is given twice")));
            }
            let value = map.next_value_seed(self.child(path))?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duplicate(text: &str) -> Option<String> {
        match parse_strict(text) {
            Err(Parse::Duplicate(key)) => Some(key),
            _ => None,
        }
    }

    #[test]
    fn a_key_given_twice_is_named_with_its_path() {
        assert_eq!(duplicate(r#"{"code": "a", "code": "b"}"#).as_deref(), Some("code"));
        assert_eq!(
            duplicate(r#"{"events": [{"at": "x"}, {"at": "y", "at": "z"}]}"#).as_deref(),
            Some("events[1].at")
        );
        assert_eq!(duplicate(r#"{"a": {"b": 1, "b": 2}}"#).as_deref(), Some("a.b"));
        // The same key in two objects is no duplicate.
        assert_eq!(
            parse_strict(r#"{"events": [{"at": "x"}, {"at": "y"}], "n": -1.5, "t": null}"#)
                .unwrap(),
            serde_json::json!({"events": [{"at": "x"}, {"at": "y"}], "n": -1.5, "t": null})
        );
        assert!(matches!(parse_strict(r#"{"a": 1} x"#), Err(Parse::Invalid(_))));
        assert!(matches!(parse_strict(r#"{"a": "#), Err(Parse::Invalid(_))));
    }
}
