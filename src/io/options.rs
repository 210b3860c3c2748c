//! Import options and progress reports.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use super::vietnamese::{self, SKIP, fold};
use super::{Format, RecordType, rows};

/// A progress callback: called from the thread doing the work, often enough for a
/// progress bar and rarely enough to cost nothing measurable.
pub type ProgressFn = Arc<dyn Fn(&Progress<'_>) + Send + Sync>;

/// What a long operation is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Importing a file ([`import_file_with`](super::import_file_with)).
    Import,
    /// Writing a backup file ([`backup::export_with_progress`](super::backup::export_with_progress)).
    Export,
    /// Restoring a backup into a scratch store to check it, before the real restore.
    Check,
    /// Restoring a backup into the target store.
    Restore,
}

/// How far a long operation has come.
///
/// `rows` counts the rows (records, lines) of `file` done so far; `total_rows` is
/// their number when it is known beforehand (a backup's manifest, the store's
/// counts). An import reading a file knows its size instead: `bytes` read of
/// `total_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress<'a> {
    /// What is being done.
    pub stage: Stage,
    /// The file being read or written, as named in errors.
    pub file: &'a str,
    /// Rows done in this file.
    pub rows: u64,
    /// Rows in the file, when known.
    pub total_rows: Option<u64>,
    /// Bytes of the file read so far (imports), 0 when not counted.
    pub bytes: u64,
    /// The file's size, when known.
    pub total_bytes: Option<u64>,
}

impl Progress<'_> {
    /// The fraction done, from rows or bytes, when the total is known.
    pub fn fraction(&self) -> Option<f64> {
        let part = |done: u64, total: u64| {
            if total == 0 { 1.0 } else { (done as f64 / total as f64).min(1.0) }
        };
        match (self.total_rows, self.total_bytes) {
            (Some(total), _) => Some(part(self.rows, total)),
            (None, Some(total)) => Some(part(self.bytes, total)),
            (None, None) => None,
        }
    }
}

/// How to read a file: what its rows are, how its columns are named and how its
/// values are written. The defaults read the crate's own formats strictly (English
/// field names, RFC 3339 instants with an offset, ISO dates, English values, an
/// unknown column is an error); see `docs/import.md`.
///
/// ```
/// use cchc::io::{ImportOptions, RecordType};
/// // A one-stop system's dossier export: Vietnamese headers, dd/MM/yyyy HH:mm
/// // times in Vietnam time, "Trực tuyến" for online, a column to leave out.
/// let options = ImportOptions::new()
///     .record_type(RecordType::Dossiers)
///     .vietnamese()
///     .ignore_column("Ghi chú");
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct ImportOptions {
    pub(crate) record_type: Option<RecordType>,
    pub(crate) format: Option<Format>,
    pub(crate) batch: Option<usize>,
    vietnamese_headers: bool,
    aliases: Vec<(String, String)>,
    ignored: Vec<String>,
    ignore_unknown: bool,
    pub(crate) read: ReadOptions,
    pub(crate) progress: Option<ProgressFn>,
}

impl fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportOptions")
            .field("record_type", &self.record_type)
            .field("format", &self.format)
            .field("batch", &self.batch)
            .field("vietnamese_headers", &self.vietnamese_headers)
            .field("aliases", &self.aliases)
            .field("ignored", &self.ignored)
            .field("ignore_unknown", &self.ignore_unknown)
            .field("read", &self.read)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// How values are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ReadOptions {
    /// Dates as `dd/MM/yyyy`, instants as `dd/MM/yyyy HH:mm[:ss]`, besides ISO.
    pub day_first: bool,
    /// Instants without an offset are Vietnam time.
    pub local: bool,
    /// Vietnamese enum values.
    pub vietnamese: bool,
    /// The rule set of dossier rows that do not say theirs, instead of the one in
    /// force on the receipt date: Decree 61 for backups written before rule sets
    /// existed, whose dossiers were all handled under it.
    pub default_rule_set: Option<crate::model::rules::RuleSetId>,
}

impl ImportOptions {
    /// The defaults: record type and format from the file name, batches of
    /// [`DEFAULT_BATCH`](super::DEFAULT_BATCH), the crate's own names and forms.
    pub fn new() -> Self {
        Self::default()
    }

    /// Dossier rows without a `rule_set` column take `rule_set` instead of the one in
    /// force on their receipt date (for files written before rule sets existed).
    #[must_use]
    pub fn default_rule_set(mut self, rule_set: crate::model::rules::RuleSetId) -> Self {
        self.read.default_rule_set = Some(rule_set);
        self
    }

    /// The rows are `record_type`, whatever the file is called (without this, the
    /// file name's prefix says: `dossiers*.csv`).
    #[must_use]
    pub fn record_type(mut self, record_type: RecordType) -> Self {
        self.record_type = Some(record_type);
        self
    }

    /// The file is `format`, whatever its extension.
    #[must_use]
    pub fn format(mut self, format: Format) -> Self {
        self.format = Some(format);
        self
    }

    /// Dossiers and events are written `rows` per transaction (at least 1).
    #[must_use]
    pub fn batch(mut self, rows: usize) -> Self {
        self.batch = Some(rows.max(1));
        self
    }

    /// Reads the Vietnamese headers of one-stop-system exports (`Mã hồ sơ`, `Ngày
    /// tiếp nhận`, `Hình thức nộp`, …; the table per record type is in
    /// `docs/import.md`), whatever their case or marks. Their informational columns
    /// (`STT`, `Tên thủ tục`, `Chủ hồ sơ`, …) are read and left out; `Ngày hẹn trả`
    /// is checked and left out, as the store computes the appointment itself.
    #[must_use]
    pub fn vietnamese_headers(mut self) -> Self {
        self.vietnamese_headers = true;
        self
    }

    /// Reads the column `column` as the field `field` (a field name of
    /// `docs/import.md`, such as `received_at`). Compared like the Vietnamese
    /// headers, without case or marks.
    #[must_use]
    pub fn alias(mut self, column: impl Into<String>, field: impl Into<String>) -> Self {
        self.aliases.push((column.into(), field.into()));
        self
    }

    /// Leaves the column `column` out (compared without case or marks).
    #[must_use]
    pub fn ignore_column(mut self, column: impl Into<String>) -> Self {
        self.ignored.push(column.into());
        self
    }

    /// Leaves out every column that is not a field, instead of refusing the file.
    /// The columns left out are listed in the [`FileReport`](super::FileReport).
    #[must_use]
    pub fn ignore_unknown_columns(mut self) -> Self {
        self.ignore_unknown = true;
        self
    }

    /// Reads dates written `dd/MM/yyyy` (`04/03/2024`, or `4/3/2024`) and instants
    /// written `dd/MM/yyyy HH:mm` or `dd/MM/yyyy HH:mm:ss`, besides the ISO forms.
    /// Such an instant has no offset: it also needs [`local_instants`](Self::local_instants).
    #[must_use]
    pub fn day_first_dates(mut self) -> Self {
        self.read.day_first = true;
        self
    }

    /// Reads an instant without an offset (`2024-03-04 08:15`, `04/03/2024 08:15`)
    /// as Vietnam time, +07:00.
    #[must_use]
    pub fn local_instants(mut self) -> Self {
        self.read.local = true;
        self
    }

    /// Reads Vietnamese values: `Trực tuyến`, `Trực tiếp`, `Bưu chính` (and the feed
    /// codes 2, 1, 3) for channels; `Giải quyết`, `Trả kết quả`, `Yêu cầu bổ sung`, …
    /// for actions; `Cấp xã`, `Sở`, `Toàn trình`, `Hài lòng`, … (`docs/import.md`).
    #[must_use]
    pub fn vietnamese_values(mut self) -> Self {
        self.read.vietnamese = true;
        self
    }

    /// Everything a Vietnamese one-stop export needs: [`vietnamese_headers`](Self::vietnamese_headers),
    /// [`day_first_dates`](Self::day_first_dates), [`local_instants`](Self::local_instants)
    /// and [`vietnamese_values`](Self::vietnamese_values).
    #[must_use]
    pub fn vietnamese(self) -> Self {
        self.vietnamese_headers().day_first_dates().local_instants().vietnamese_values()
    }

    /// Calls `progress` as the import goes (every 1,000 rows and at the end).
    #[must_use]
    pub fn on_progress(mut self, progress: impl Fn(&Progress<'_>) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// The columns of `record_type` under these options.
    pub(crate) fn columns(&self, record_type: RecordType) -> Columns<'_> {
        Columns { record_type, options: self, skipped: RefCell::default() }
    }
}

/// What a column of a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    /// A field, by its name.
    Field(&'static str),
    /// Read and left out.
    Skip,
}

/// Resolves column names of one record type.
pub(crate) struct Columns<'a> {
    record_type: RecordType,
    options: &'a ImportOptions,
    /// The columns read and left out, as the file names them.
    skipped: RefCell<BTreeSet<String>>,
}

impl Columns<'_> {
    /// The record type's fields.
    pub(crate) fn fields(&self) -> &'static [&'static str] {
        rows::fields(self.record_type)
    }

    fn field(&self, name: &str) -> Option<&'static str> {
        self.fields().iter().copied().find(|f| f.eq_ignore_ascii_case(name))
    }

    /// Checks that every alias names a field; the reason when one does not.
    pub(crate) fn check_aliases(&self) -> Result<(), String> {
        for (column, field) in &self.options.aliases {
            if self.field(field.trim()).is_none() {
                return Err(format!(
                    "the alias {column:?} names {field:?}, which is not a field of {}: expected {}",
                    self.record_type.name(),
                    self.fields().join(", ")
                ));
            }
        }
        Ok(())
    }

    /// The columns read and left out so far.
    pub(crate) fn skipped(&self) -> Vec<String> {
        self.skipped.borrow().iter().cloned().collect()
    }

    /// What the column `name` is, or why it is refused; a column left out is
    /// remembered for [`skipped`](Self::skipped).
    pub(crate) fn resolve(&self, name: &str) -> Result<Column, String> {
        let column = self.resolve_name(name.trim());
        if column == Ok(Column::Skip) && !self.skipped.borrow().contains(name.trim()) {
            self.skipped.borrow_mut().insert(name.trim().to_owned());
        }
        column
    }

    fn resolve_name(&self, name: &str) -> Result<Column, String> {
        if let Some(field) = self.field(name) {
            return Ok(Column::Field(field));
        }
        let folded = fold(name);
        if let Some((_, field)) = self.options.aliases.iter().find(|(c, _)| fold(c) == folded) {
            return self.field(field.trim()).map(Column::Field).ok_or_else(|| {
                format!(
                    "the alias names {field:?}, which is not a field of {}",
                    self.record_type.name()
                )
            });
        }
        if self.options.ignored.iter().any(|c| fold(c) == folded) {
            return Ok(Column::Skip);
        }
        let built_in = vietnamese::headers(self.record_type).find(name);
        if self.options.vietnamese_headers {
            match built_in {
                Some(SKIP) => return Ok(Column::Skip),
                Some(field) => {
                    if let Some(field) = self.field(field) {
                        return Ok(Column::Field(field));
                    }
                }
                None => {}
            }
        }
        if self.options.ignore_unknown {
            return Ok(Column::Skip);
        }
        let hint = match built_in {
            Some(SKIP) => " (a Vietnamese export column that ImportOptions::vietnamese_headers() \
                           leaves out)"
                .to_owned(),
            Some(field) if !self.options.vietnamese_headers => format!(
                " (the Vietnamese header of {field}: ImportOptions::vietnamese_headers() reads it)"
            ),
            _ => "; map it with ImportOptions::alias or leave it out with \
                  ImportOptions::ignore_column"
                .to_owned(),
        };
        Err(format!(
            "is not a column of {}: expected {}{hint}",
            self.record_type.name(),
            self.expected()
        ))
    }

    /// The expected names, with the first Vietnamese header of each when those are read.
    pub(crate) fn expected(&self) -> String {
        let table = vietnamese::headers(self.record_type);
        let names: Vec<String> = self
            .fields()
            .iter()
            .map(|f| match table.first_for(f) {
                Some(vi) if self.options.vietnamese_headers => format!("{f} ({vi})"),
                _ => (*f).to_owned(),
            })
            .collect();
        names.join(", ")
    }

    /// A field the rows need, shown as the file would name it.
    pub(crate) fn label(&self, field: &str) -> String {
        match vietnamese::headers(self.record_type).first_for(field) {
            Some(vi) if self.options.vietnamese_headers => format!("{field} ({vi})"),
            _ => field.to_owned(),
        }
    }

    /// The fields every row of the record type needs (a CSV header must have them).
    pub(crate) fn required(&self) -> &'static [&'static str] {
        rows::required(self.record_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fraction_done_comes_from_rows_or_bytes() {
        let p = |rows, total_rows, bytes, total_bytes| Progress {
            stage: Stage::Import,
            file: "f",
            rows,
            total_rows,
            bytes,
            total_bytes,
        };
        assert_eq!(p(250, Some(1_000), 0, None).fraction(), Some(0.25));
        // Rows win over bytes; bytes when rows have no total.
        assert_eq!(p(500, Some(1_000), 10, Some(100)).fraction(), Some(0.5));
        assert_eq!(p(500, None, 30, Some(120)).fraction(), Some(0.25));
        assert_eq!(p(500, None, 30, None).fraction(), None);
        // An empty file is done; never more than all.
        assert_eq!(p(0, Some(0), 0, None).fraction(), Some(1.0));
        assert_eq!(p(0, None, 200, Some(100)).fraction(), Some(1.0));
    }
}
