//! The crate's one error type.

use std::fmt;

/// What kind of record an error is about, for [`Error::NotFound`] and
/// [`Error::Duplicate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordKind {
    /// An agency (cơ quan, đơn vị).
    Agency,
    /// An administrative procedure (thủ tục hành chính).
    Procedure,
    /// A dossier (hồ sơ).
    Dossier,
    /// An index framework.
    Framework,
    /// An assessment of a unit under a framework.
    Assessment,
    /// A satisfaction survey.
    Survey,
    /// A feedback item (phản ánh, kiến nghị).
    Feedback,
    /// A reform plan (kế hoạch CCHC).
    Plan,
    /// An organisation snapshot.
    Organisation,
    /// A calendar announcement.
    Announcement,
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Agency => "agency",
            Self::Procedure => "procedure",
            Self::Dossier => "dossier",
            Self::Framework => "framework",
            Self::Assessment => "assessment",
            Self::Survey => "survey",
            Self::Feedback => "feedback",
            Self::Plan => "plan",
            Self::Organisation => "organisation",
            Self::Announcement => "calendar announcement",
        })
    }
}

/// An opaque encoding or decoding failure from the codec.
///
/// The codec behind it is an implementation detail and may change; only the
/// message is public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError(pub(crate) String);

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CodecError {}

/// Every way an operation of this crate can fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A code (procedure, dossier, agency, administrative unit) does not have its legal form.
    #[error("invalid {kind} code {text:?}: {reason}")]
    InvalidCode {
        /// Which code type was being parsed.
        kind: &'static str,
        /// The offending text.
        text: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A field of an input value is out of its domain.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field, in `record.field` form where useful.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A record that was referred to does not exist.
    #[error("{kind} {id} not found")]
    NotFound {
        /// The kind of record.
        kind: RecordKind,
        /// The code the caller used.
        id: String,
    },
    /// A record with the same code already exists.
    #[error("{kind} {id} already exists")]
    Duplicate {
        /// The kind of record.
        kind: RecordKind,
        /// The duplicated code.
        id: String,
    },
    /// A lifecycle event is not allowed in the dossier's current state.
    #[error("dossier {dossier}: {event} is not allowed when {from}: {reason}")]
    InvalidTransition {
        /// The dossier code.
        dossier: String,
        /// The state the dossier was in.
        from: String,
        /// The event that was refused.
        event: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// Stored bytes do not decode: the store is damaged or was written by other software.
    #[error("corrupt record in tree {tree} at key {key}: {reason}")]
    Corrupt {
        /// The sled tree.
        tree: &'static str,
        /// The key, in hex.
        key: String,
        /// What failed.
        reason: String,
    },
    /// The store was written in a format this version cannot read.
    #[error("unsupported store format {found} (this version reads {oldest} to {current})")]
    UnsupportedFormat {
        /// The version found in the store.
        found: u32,
        /// The oldest version this build reads.
        oldest: u32,
        /// The version this build writes.
        current: u32,
    },
    /// Encoding a value failed.
    #[error("encoding failed: {0}")]
    Codec(#[source] CodecError),
    /// A file being imported has a bad row.
    ///
    /// Displayed as `file:line: field F: reason`; the line is left out when it
    /// is 0 (the error is about the whole file) and the field when it is empty.
    #[error("{}", import_text(file, *line, field, reason))]
    Import {
        /// The file name as given.
        file: String,
        /// The 1-based line number, or 0 when the error is about the whole file.
        line: u64,
        /// The field (column) name, or empty when the error is about the whole
        /// line or file.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// Two results cannot be combined: a merge of reports or backlogs taken over
    /// different periods, instants or clock rules, or a join of periods that do not
    /// follow each other. Nothing was changed.
    #[error("cannot {operation}: {what} (left: {left}; right: {right})")]
    Mismatch {
        /// What was attempted (`"merge reports"`, `"join reports"`, …).
        operation: &'static str,
        /// What does not match.
        what: &'static str,
        /// The left-hand (receiving, or earlier) value.
        left: String,
        /// The right-hand (merged, or later) value.
        right: String,
    },
    /// A file could not be opened, read or written.
    #[error("{path}: cannot {action}: {source}")]
    File {
        /// The path as given.
        path: String,
        /// What was being done: `open`, `read`, `create`, `write`.
        action: &'static str,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The storage engine failed. The message carries sled's reason, such as
    /// the store's lock file being held by another process (with its path).
    #[error("storage error: {0}")]
    Storage(#[from] sled::Error),
    /// An I/O operation outside sled failed (sync, import, export).
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A calendar announcement would change a day that stored dossiers were timed
    /// with; nothing was written. `CalendarAnnouncements::apply` stores it and re-derives them.
    #[error(
        "calendar announcement {announcement:?} changes days that {dossiers} stored dossiers \
         were timed with (first: {}); use CalendarAnnouncements::apply to store it and re-derive them",
        examples.join(", ")
    )]
    CalendarInUse {
        /// The announcement's source.
        announcement: String,
        /// How many stored dossiers it would change.
        dossiers: u64,
        /// The codes of the first few.
        examples: Vec<String>,
    },
    /// `Store::open` was given an existing folder that holds files but no cchc store;
    /// nothing was written into it.
    #[error("{path} is not empty and holds no cchc store: {reason}")]
    NotAStore {
        /// The folder given.
        path: String,
        /// What was found instead.
        reason: String,
    },
    /// The store holds less than it held at its last completed `Store::sync`: writes
    /// that were made durable are missing (a damaged or cut log, or files from an older
    /// copy). Nothing was changed; `StoreBuilder::accept_lost_writes` opens it anyway.
    #[error(
        "the store at {path} is missing writes it had made durable: its last sync mark is \
         {marked} but the store holds mark {found}; restore it from a backup, or open it \
         with StoreBuilder::accept_lost_writes(true) to accept the loss"
    )]
    LostSyncedWrites {
        /// The store's folder.
        path: String,
        /// The number of the last completed sync, from the mark file.
        marked: u64,
        /// The number of the last sync found inside the store (0 for none).
        found: u64,
    },
}

/// The text of an [`Error::Import`]: `file:line: field F: reason`, without the
/// parts that are unknown.
fn import_text(file: &str, line: u64, field: &str, reason: &str) -> String {
    let line = if line > 0 { format!(":{line}") } else { String::new() };
    let field = if field.is_empty() { String::new() } else { format!(": field {field}") };
    format!("{file}{line}{field}: {reason}")
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an [`Error::InvalidInput`].
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidInput { field, reason: reason.into() }
    }

    /// Builds an [`Error::File`] for `path`.
    pub(crate) fn file(
        path: &std::path::Path,
        action: &'static str,
        source: std::io::Error,
    ) -> Self {
        Self::File { path: path.display().to_string(), action, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13 item 11: what a user sees names the file, line and field where
    /// there is one, and always the cause.
    #[test]
    fn every_error_shows_its_cause() {
        let import = |line, field: &str| Error::Import {
            file: "dossiers.csv".to_owned(),
            line,
            field: field.to_owned(),
            reason: "is required".to_owned(),
        };
        assert_eq!(import(3, "channel").to_string(), "dossiers.csv:3: field channel: is required");
        assert_eq!(import(3, "").to_string(), "dossiers.csv:3: is required");
        assert_eq!(import(0, "").to_string(), "dossiers.csv: is required");
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        assert_eq!(
            Error::file(std::path::Path::new("data/agencies.csv"), "open", missing).to_string(),
            "data/agencies.csv: cannot open: No such file"
        );
        let io = std::io::Error::other("disk full");
        assert_eq!(Error::Io(io).to_string(), "i/o error: disk full");
        let sled = sled::Error::Io(std::io::Error::other("could not acquire lock on \"db\""));
        assert_eq!(
            Error::Storage(sled).to_string(),
            "storage error: IO error: could not acquire lock on \"db\""
        );
        assert_eq!(
            Error::Codec(CodecError("unexpected end".to_owned())).to_string(),
            "encoding failed: unexpected end"
        );
    }
}
