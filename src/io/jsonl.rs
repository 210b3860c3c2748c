//! JSON Lines rows: one JSON object per line; blank lines are skipped.

use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use serde_json::Value;

use super::rows::Row;
use crate::{Error, Result};

/// Returns the rows of `reader`, one per non-blank line.
pub(crate) fn rows<R: Read>(reader: R, file: &str) -> impl Iterator<Item = Result<Row>> {
    let file: Arc<str> = Arc::from(file);
    let mut lines = BufReader::new(reader).lines().enumerate();
    std::iter::from_fn(move || {
        loop {
            let (index, line) = lines.next()?;
            let number = index as u64 + 1;
            let error = |reason: String| Error::Import {
                file: file.to_string(),
                line: number,
                field: String::new(),
                reason,
            };
            let text = match line {
                Ok(text) => text,
                Err(e) => return Some(Err(error(format!("cannot read the line: {e}")))),
            };
            let text = text.trim().trim_start_matches('\u{feff}');
            if text.is_empty() {
                continue;
            }
            return Some(match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(object)) => {
                    Row::from_json(file.clone(), number, String::new(), object)
                }
                Ok(_) => Err(error("the line is not a JSON object".to_owned())),
                Err(e) => Err(error(format!("not valid JSON: {e}"))),
            });
        }
    })
}
