//! Import from CSV and JSON Lines, export and logical backup, report files.
//!
//! The formats are documented in `docs/import.md` (import and export rows) and
//! `docs/backup.md` (the backup directory); sample files are in `examples/data/`.
//!
//! - [`import_file`] reads one file of agencies, procedure versions, dossiers,
//!   dossier events, feedback items or assessments, CSV or JSON Lines, chosen by
//!   its name (`agencies*.csv`, `procedures*.jsonl`, ...), or [`import_reader`]
//!   with the format and record type given.
//! - A bad row stops the import with [`Error::Import`] naming the file, the
//!   1-based line and the field.
//! - Agencies, procedures, feedback and assessments are checked in full before anything is written: a
//!   file with a bad row writes nothing. Dossiers and events go through the
//!   store's [`Importer`](crate::Importer) in batches (default 1,000 rows): each
//!   batch is one transaction, so a bad row leaves every earlier batch written and
//!   nothing of its own batch.
//! - [`backup::export`] writes every collection as JSON Lines and
//!   [`backup::restore`] reads it back into an empty store.
//! - [`report`] writes [`OneStopReport`](crate::OneStopReport)s as CSV or JSON.

pub mod backup;
pub mod csv;
pub mod jsonl;
mod newlines;
mod reform;
pub mod report;
mod rows;

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::store::Store;
use crate::{Error, Result};

pub use rows::DEFAULT_BATCH;

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Format {
    /// Comma-separated values with a header row (RFC 4180, UTF-8).
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// What the rows of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RecordType {
    /// Agencies (cơ quan, đơn vị).
    Agencies,
    /// Procedure versions.
    Procedures,
    /// Dossiers as received (JSON Lines rows may carry their events).
    Dossiers,
    /// Events of dossiers received earlier.
    Events,
    /// Feedback items (phản ánh, kiến nghị) of stored agencies.
    Feedback,
    /// Assessments under stored index frameworks, one row per leaf.
    Assessments,
}

impl RecordType {
    /// Guesses the record type from a file name: its stem starts with
    /// `agencies`, `procedures`, `dossiers`, `events`, `feedback` or
    /// `assessments`.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let stem = Path::new(name).file_name()?.to_str()?.to_ascii_lowercase();
        [
            ("agencies", Self::Agencies),
            ("procedures", Self::Procedures),
            ("dossiers", Self::Dossiers),
            ("events", Self::Events),
            ("feedback", Self::Feedback),
            ("assessments", Self::Assessments),
        ]
        .into_iter()
        .find(|(prefix, _)| stem.starts_with(prefix))
        .map(|(_, t)| t)
    }
}

impl Format {
    /// Guesses the format from a file name: `.csv`, or `.jsonl` / `.ndjson`.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "jsonl" | "ndjson" => Some(Self::JsonLines),
            _ => None,
        }
    }
}

/// What one file import read and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// The file name as given.
    pub file: String,
    /// Data rows read (not counting the CSV header or blank lines).
    pub rows: u64,
    /// Agencies inserted.
    pub agencies: u64,
    /// Procedure versions inserted.
    pub procedures: u64,
    /// Dossiers received.
    pub dossiers: u64,
    /// Events recorded.
    pub events: u64,
    /// Transactions committed for dossiers and events.
    pub batches: u64,
    /// Feedback items inserted.
    pub feedback: u64,
    /// Assessments inserted (each from one row per leaf).
    pub assessments: u64,
}

/// Imports a file, choosing format and record type from its name (see
/// [`Format::from_file_name`] and [`RecordType::from_file_name`]).
///
/// # Errors
/// [`Error::Import`] for a name that says neither, and for any bad row (with its
/// line and field); [`Error::File`] naming the path when the file cannot be
/// opened.
pub fn import_file(store: &Store, path: impl AsRef<Path>) -> Result<FileReport> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let unknown = |reason: &str| Error::Import {
        file: name.clone(),
        line: 0,
        field: String::new(),
        reason: reason.to_owned(),
    };
    let format = Format::from_file_name(&name)
        .ok_or_else(|| unknown("the name must end in .csv or .jsonl"))?;
    let record_type = RecordType::from_file_name(&name).ok_or_else(|| {
        unknown(
            "the name must start with agencies, procedures, dossiers, events, feedback or \
             assessments",
        )
    })?;
    let file = std::fs::File::open(path).map_err(|e| Error::file(path, "open", e))?;
    import_reader(store, std::io::BufReader::new(file), &name, format, record_type, DEFAULT_BATCH)
}

/// Imports rows of `record_type` in `format` from `reader`; `name` is used in
/// errors. Dossiers and events are written `batch` rows per transaction.
///
/// Lines may end in LF, CRLF or a lone CR: line numbers in errors count lines
/// the same way for all three.
///
/// # Errors
/// [`Error::Import`] for a bad row, naming `name`, the line and the field, and
/// for a file that cannot be read (with the reason).
pub fn import_reader(
    store: &Store,
    reader: impl Read,
    name: &str,
    format: Format,
    record_type: RecordType,
    batch: usize,
) -> Result<FileReport> {
    let reader = newlines::Lf::new(reader);
    let rows: Box<dyn Iterator<Item = Result<rows::Row>> + '_> = match format {
        Format::Csv => Box::new(csv::rows(reader, name)?),
        Format::JsonLines => Box::new(jsonl::rows(reader, name)),
    };
    let mut report = FileReport { file: name.to_owned(), ..FileReport::default() };
    match record_type {
        RecordType::Agencies => rows::import_agencies(store, rows, &mut report)?,
        RecordType::Procedures => rows::import_procedures(store, rows, &mut report)?,
        RecordType::Dossiers | RecordType::Events => {
            rows::import_dossiers(store, rows, record_type, batch, &mut report)?;
        }
        RecordType::Feedback => reform::import_feedback(store, rows, &mut report)?,
        RecordType::Assessments => reform::import_assessments(store, rows, &mut report)?,
    }
    Ok(report)
}
