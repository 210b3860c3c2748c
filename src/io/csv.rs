//! CSV rows: a header row names the fields, one record per line (RFC 4180, UTF-8,
//! quoted fields may span lines). Read with the `csv` crate. A column named twice
//! is an error.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use super::rows::Row;
use crate::{Error, Result};

fn csv_error(file: &str, e: &::csv::Error) -> Error {
    Error::Import {
        file: file.to_owned(),
        line: e.position().map_or(0, ::csv::Position::line),
        field: String::new(),
        reason: e.to_string(),
    }
}

/// Reads the header and returns the data rows.
pub(crate) fn rows<R: Read>(reader: R, file: &str) -> Result<impl Iterator<Item = Result<Row>>> {
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(true).trim(::csv::Trim::All).from_reader(reader);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(file, &e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    // A column given twice would silently keep one of its values.
    for (i, name) in headers.iter().enumerate() {
        if !name.is_empty() && headers.iter().take(i).any(|earlier| earlier == name) {
            return Err(Error::Import {
                file: file.to_owned(),
                line: 1,
                field: name.clone(),
                reason: "the column is given twice".to_owned(),
            });
        }
    }
    let file: Arc<str> = Arc::from(file);
    let mut records = reader.into_records();
    Ok(std::iter::from_fn(move || {
        let record = records.next()?;
        Some(record.map_err(|e| csv_error(&file, &e)).map(|record| {
            let line = record.position().map_or(0, ::csv::Position::line);
            let values = headers
                .iter()
                .zip(record.iter())
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| (h.clone(), v.to_owned()))
                .collect();
            Row {
                file: file.clone(),
                line,
                prefix: String::new(),
                values,
                nested: HashMap::default(),
            }
        }))
    }))
}
