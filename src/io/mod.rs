//! Import from CSV and JSON Lines, export and logical backup, report files.
//!
//! The formats are documented in `docs/import.md` (import and export rows) and
//! `docs/backup.md` (the backup directory); sample files are in `examples/data/`.
//!
//! - [`import_file`] reads one file of agencies, procedure versions, dossiers,
//!   dossier events, feedback items or assessments, CSV or JSON Lines, chosen by
//!   its name (`agencies*.csv`, `procedures*.jsonl`, ...), or [`import_reader`]
//!   with the format and record type given.
//! - [`import_file_with`] and [`import_reader_with`] take [`ImportOptions`]: the
//!   record type and format given explicitly, column aliases and the Vietnamese
//!   headers of one-stop-system exports, columns to ignore, `dd/MM/yyyy` dates,
//!   instants without an offset in Vietnam time, Vietnamese values, and a
//!   [`Progress`] callback.
//! - A bad row stops the import with [`Error::Import`] naming the file, the
//!   1-based line and the field; a bad header is line 1, with the expected names.
//! - Agencies, procedures, feedback and assessments are checked in full before anything is written: a
//!   file with a bad row writes nothing. Dossiers and events go through the
//!   store's [`Importer`](crate::store::Importer) in batches (default 1,000 rows): each
//!   batch is one transaction, so a bad row leaves every earlier batch written and
//!   nothing of its own batch.
//! - [`backup::export`] writes every collection as JSON Lines and
//!   [`backup::restore`] reads it back into an empty store.
//! - [`report`] writes [`OneStopReport`](crate::OneStopReport)s as CSV or JSON.

pub mod backup;
mod convert;
pub mod csv;
mod importers;
pub mod jsonl;
mod newlines;
mod options;
mod reform;
pub mod report;
mod rows;
mod vietnamese;

use std::cell::Cell;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use serde::Serialize;

use crate::store::Store;
use crate::{Error, Result};

pub use options::{ImportOptions, Progress, ProgressFn, Stage};
pub use rows::DEFAULT_BATCH;

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Comma-separated values with a header row (RFC 4180, UTF-8).
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// What the rows of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
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
    /// The record type's name as file names start with it: `agencies`, `procedures`,
    /// `dossiers`, `events`, `feedback`, `assessments`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Agencies => "agencies",
            Self::Procedures => "procedures",
            Self::Dossiers => "dossiers",
            Self::Events => "events",
            Self::Feedback => "feedback",
            Self::Assessments => "assessments",
        }
    }

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
    /// The columns (CSV) or keys (JSON Lines) read and left out, as the file names
    /// them: those [`ImportOptions`] asked to ignore and the informational columns
    /// of Vietnamese exports.
    pub ignored: Vec<String>,
}

/// Imports a file, choosing format and record type from its name (see
/// [`Format::from_file_name`] and [`RecordType::from_file_name`]).
///
/// # Errors
/// [`Error::Import`] for a name that says neither, and for any bad row (with its
/// line and field); [`Error::File`] naming the path when the file cannot be
/// opened.
pub fn import_file(store: &Store, path: impl AsRef<Path>) -> Result<FileReport> {
    import_file_with(store, path, &ImportOptions::new())
}

/// Imports a file as `options` say; what they leave open (the record type, the
/// format) comes from the file's name.
///
/// ```
/// use cchc::io::{self, ImportOptions, RecordType};
/// # let store = cchc::Store::temporary()?;
/// # let dir = tempfile::tempdir()?;
/// let path = dir.path().join("DonVi_2024.csv");
/// std::fs::write(&path, "Mã cơ quan,Tên cơ quan,Loại cơ quan,Ghi chú\n\
///                        000.00.00.H49,UBND tỉnh Quảng Nam,UBND tỉnh,\n")?;
/// let options = ImportOptions::new()
///     .record_type(RecordType::Agencies)
///     .vietnamese()
///     .ignore_column("Ghi chú");
/// let report = io::import_file_with(&store, &path, &options)?;
/// assert_eq!((report.rows, report.agencies), (1, 1));
/// assert_eq!(report.ignored, ["Ghi chú"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`import_file`]; every error names the file.
pub fn import_file_with(
    store: &Store,
    path: impl AsRef<Path>,
    options: &ImportOptions,
) -> Result<FileReport> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let (format, record_type) = kinds(&name, options)?;
    let file = std::fs::File::open(path).map_err(|e| Error::file(path, "open", e))?;
    let size = file.metadata().ok().map(|m| m.len());
    let progress = import_progress(options, &name, size);
    import(store, std::io::BufReader::new(file), &name, format, record_type, options, &progress)
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
    let options = ImportOptions::new().format(format).record_type(record_type).batch(batch);
    import_reader_with(store, reader, name, &options)
}

/// Imports rows from `reader` as `options` say; `name` is used in errors, and
/// gives the record type and format that `options` leave open.
///
/// # Errors
/// As [`import_reader`]; every error is an [`Error::Import`] naming `name`.
pub fn import_reader_with(
    store: &Store,
    reader: impl Read,
    name: &str,
    options: &ImportOptions,
) -> Result<FileReport> {
    let (format, record_type) = kinds(name, options)?;
    let progress = import_progress(options, name, None);
    import(store, reader, name, format, record_type, options, &progress)
}

/// The format and record type: given, or from the file name.
fn kinds(name: &str, options: &ImportOptions) -> Result<(Format, RecordType)> {
    let unknown = |reason: &str| Error::Import {
        file: name.to_owned(),
        line: 0,
        field: String::new(),
        reason: reason.to_owned(),
    };
    let format = options.format.or_else(|| Format::from_file_name(name)).ok_or_else(|| {
        unknown("the name must end in .csv or .jsonl, or ImportOptions::format say which")
    })?;
    let record_type =
        options.record_type.or_else(|| RecordType::from_file_name(name)).ok_or_else(|| {
            unknown(
                "the name must start with agencies, procedures, dossiers, events, feedback or \
                 assessments, or ImportOptions::record_type say which",
            )
        })?;
    Ok((format, record_type))
}

/// Counts the bytes read through it, for progress reports.
struct Counting<R> {
    inner: R,
    bytes: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.set(self.bytes.get() + n as u64);
        Ok(n)
    }
}

/// How often an import reports progress, in rows.
pub(crate) const PROGRESS_EVERY: u64 = 1_000;

/// The progress report of an import: rows and bytes read to the options' callback.
fn import_progress<'a>(
    options: &'a ImportOptions,
    name: &'a str,
    size: Option<u64>,
) -> impl Fn(u64, u64) + 'a {
    move |rows, bytes| {
        if let Some(progress) = &options.progress {
            progress(&Progress {
                stage: Stage::Import,
                file: name,
                rows,
                total_rows: None,
                bytes,
                total_bytes: size,
            });
        }
    }
}

/// Imports `reader`, calling `progress` with the rows and bytes read every
/// [`PROGRESS_EVERY`] rows and at the end.
pub(crate) fn import(
    store: &Store,
    reader: impl Read,
    name: &str,
    format: Format,
    record_type: RecordType,
    options: &ImportOptions,
    progress: &dyn Fn(u64, u64),
) -> Result<FileReport> {
    let bytes = Rc::new(Cell::new(0));
    let reader = newlines::Lf::new(Counting { inner: reader, bytes: Rc::clone(&bytes) });
    let columns = options.columns(record_type);
    let in_file = |reason: String| Error::Import {
        file: name.to_owned(),
        line: 0,
        field: String::new(),
        reason,
    };
    columns.check_aliases().map_err(in_file)?;
    let report_progress = |rows: u64| progress(rows, bytes.get());
    let result = (|| {
        let rows: Box<dyn Iterator<Item = Result<rows::Row>> + '_> = match format {
            Format::Csv => Box::new(csv::rows(reader, name, &columns, options.read)?),
            Format::JsonLines => Box::new(jsonl::rows(reader, name, &columns, options.read)),
        };
        let mut count = 0u64;
        let rows = rows.inspect(|row| {
            if row.is_ok() {
                count += 1;
                if count.is_multiple_of(PROGRESS_EVERY) {
                    report_progress(count);
                }
            }
        });
        let mut report = FileReport { file: name.to_owned(), ..FileReport::default() };
        let batch = options.batch.unwrap_or(DEFAULT_BATCH);
        match record_type {
            RecordType::Agencies => importers::import_agencies(store, rows, &mut report)?,
            RecordType::Procedures => importers::import_procedures(store, rows, &mut report)?,
            RecordType::Dossiers | RecordType::Events => {
                importers::import_dossiers(store, rows, record_type, batch, &mut report)?;
            }
            RecordType::Feedback => reform::import_feedback(store, rows, &mut report)?,
            RecordType::Assessments => reform::import_assessments(store, rows, &mut report)?,
        }
        Ok(report)
    })();
    // Every error names the file: the store's own failures too.
    let mut report = result.map_err(|e| match e {
        Error::Import { .. } | Error::File { .. } => e,
        other => in_file(other.to_string()),
    })?;
    report.ignored = columns.skipped();
    report_progress(report.rows);
    Ok(report)
}
