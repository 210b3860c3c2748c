//! CSV rows: a header row names the fields, one record per line (RFC 4180, UTF-8,
//! quoted fields may span lines). Read with the `csv` crate. The header is checked
//! before any row: a column named twice, an unknown column, two columns for one
//! field and a missing required column are errors on line 1.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use super::options::{Column, Columns, ReadOptions};
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

/// Where a column's values go.
#[derive(Clone, Copy)]
enum Slot {
    Field(&'static str),
    Skip,
    /// A column without a name: an error on a row with a value in it.
    Unnamed,
}

fn header_error(file: &str, field: &str, reason: String) -> Error {
    Error::Import { file: file.to_owned(), line: 1, field: field.to_owned(), reason }
}

/// Reads the header, checks it against `columns` (every problem named on line 1,
/// with the expected names) and returns the data rows.
pub(crate) fn rows<'a, R: Read + 'a>(
    reader: R,
    file: &str,
    columns: &Columns<'_>,
    read: ReadOptions,
) -> Result<impl Iterator<Item = Result<Row>> + 'a> {
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(true).trim(::csv::Trim::All).from_reader(reader);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(file, &e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    // A column given twice would silently keep one of its values.
    for (i, name) in headers.iter().enumerate() {
        if !name.is_empty() && headers.iter().take(i).any(|earlier| earlier == name) {
            return Err(header_error(file, name, "the column is given twice".to_owned()));
        }
    }
    let mut slots = Vec::with_capacity(headers.len());
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut given: HashMap<&'static str, &str> = HashMap::new();
    for name in &headers {
        if name.is_empty() {
            slots.push(Slot::Unnamed);
            continue;
        }
        match columns.resolve(name) {
            Ok(Column::Skip) => slots.push(Slot::Skip),
            Ok(Column::Field(field)) => {
                if let Some(first) = given.insert(field, name) {
                    return Err(header_error(
                        file,
                        name,
                        format!("gives the field {field} again (after {first})"),
                    ));
                }
                if name != field {
                    labels.insert(field.to_owned(), name.clone());
                }
                slots.push(Slot::Field(field));
            }
            Err(reason) => return Err(header_error(file, name, reason)),
        }
    }
    if let Some(missing) = columns.required().iter().find(|f| !given.contains_key(*f)) {
        return Err(header_error(
            file,
            &columns.label(missing),
            format!("the column is missing: expected {}", columns.expected()),
        ));
    }
    let file: Arc<str> = Arc::from(file);
    let labels = Arc::new(labels);
    let mut records = reader.into_records();
    Ok(std::iter::from_fn(move || {
        let record = match records.next()? {
            Ok(record) => record,
            Err(e) => return Some(Err(csv_error(&file, &e))),
        };
        let line = record.position().map_or(0, ::csv::Position::line);
        let mut row = Row {
            file: file.clone(),
            line,
            prefix: String::new(),
            values: HashMap::new(),
            nested: HashMap::default(),
            labels: labels.clone(),
            read,
        };
        for (slot, value) in slots.iter().zip(record.iter()) {
            match slot {
                Slot::Field(field) if !value.is_empty() => {
                    row.values.insert((*field).to_owned(), value.to_owned());
                }
                Slot::Unnamed if !value.is_empty() => {
                    return Some(Err(
                        row.error("", format!("{value:?} is under a column without a name"))
                    ));
                }
                _ => {}
            }
        }
        Some(Ok(row))
    }))
}
