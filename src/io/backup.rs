//! Logical backup: every collection as JSON Lines in a directory, and restore.
//!
//! A backup directory holds `manifest.json`, `agencies.jsonl`, `procedures.jsonl`
//! (every version) and `dossiers.jsonl` (each dossier with its events after
//! receipt, nested) as import rows of `docs/import.md`, and one file per other
//! collection (`feedback.jsonl`, `plans.jsonl`, `organisation.jsonl`,
//! `frameworks.jsonl`, `assessments.jsonl`, `surveys.jsonl`,
//! `calendar_announcements.jsonl`) holding the domain types' serde forms, which
//! validate when read back. The layout is specified in
//! `docs/backup.md`. A backup is a logical copy: restore replays
//! the receipts and actions through the store, which recomputes appointments and
//! counters with its own calendar, so restoring into a store with the same
//! calendar and counting mode gives equal dossiers, equal reports and a clean
//! [`Store::verify`].
//!
//! ```
//! use cchc::demo::{self, DemoSpec};
//! use cchc::{Period, Scope, Store};
//! let source = Store::temporary()?;
//! demo::populate(&source, &DemoSpec::quang_nam_2023().with_dossiers(300), |_, _| {})?;
//! let dir = tempfile::tempdir()?;
//! let manifest = cchc::io::backup::export(&source, dir.path())?;
//! assert_eq!(manifest.dossiers, 300);
//! let copy = Store::temporary()?;
//! cchc::io::backup::restore(&copy, dir.path())?;
//! let year = Period::year(2023)?;
//! assert_eq!(copy.report(&Scope::All, year)?, source.report(&Scope::All, year)?);
//! assert!(copy.verify()?.is_clean());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{BufWriter, Write};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::convert::{agency_json, dossier_json, procedure_json};
use super::{Format, ImportOptions, Progress, RecordType, Stage};
use crate::store::Store;
use crate::{Error, Result};

/// The `format` value of a backup manifest.
pub const BACKUP_FORMAT: &str = "cchc-backup";
/// The version of the backup layout this build writes: version 4, whose serde
/// forms are readable (instants in RFC 3339 at +07:00, dates in ISO 8601, enum
/// values in `snake_case`). Version 1 (agencies, procedures and dossiers only),
/// version 2 (without calendar announcements) and version 3 (the `time` crate's
/// array forms of dates and instants, enum values as `Regulation`) are still read.
pub const BACKUP_VERSION: u32 = 5;

/// The manifest of a backup: what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`BACKUP_FORMAT`].
    pub format: String,
    /// The layout version, [`BACKUP_VERSION`].
    pub version: u32,
    /// Agencies in `agencies.jsonl`.
    pub agencies: u64,
    /// Procedure versions in `procedures.jsonl`.
    pub procedure_versions: u64,
    /// Dossiers in `dossiers.jsonl`.
    pub dossiers: u64,
    /// Events after receipt, nested in the dossiers.
    pub events: u64,
    /// Feedback items in `feedback.jsonl` (0 in a version 1 backup).
    #[serde(default)]
    pub feedback: u64,
    /// Reform plans in `plans.jsonl`.
    #[serde(default)]
    pub plans: u64,
    /// Organisation snapshots in `organisation.jsonl`.
    #[serde(default)]
    pub organisation: u64,
    /// Index frameworks in `frameworks.jsonl`.
    #[serde(default)]
    pub frameworks: u64,
    /// Assessments in `assessments.jsonl`.
    #[serde(default)]
    pub assessments: u64,
    /// SIPAS surveys in `surveys.jsonl`.
    #[serde(default)]
    pub surveys: u64,
    /// Calendar announcements in `calendar_announcements.jsonl` (0 before version 3).
    #[serde(default)]
    pub calendar_announcements: u64,
}

fn write_line(w: &mut impl Write, value: serde_json::Map<String, Value>) -> Result<()> {
    serde_json::to_writer(&mut *w, &Value::Object(value)).map_err(std::io::Error::other)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// Writes every agency as a JSON line, ordered by code; returns how many.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_agencies(store: &Store, mut w: impl Write) -> Result<u64> {
    let mut n = 0;
    for a in store.agencies().list()? {
        write_line(&mut w, agency_json(&a))?;
        n += 1;
    }
    Ok(n)
}

/// Writes every procedure version as a JSON line, by code then effective date;
/// returns how many.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_procedures(store: &Store, mut w: impl Write) -> Result<u64> {
    let mut n = 0;
    for p in store.procedures().all_versions()? {
        write_line(&mut w, procedure_json(&p))?;
        n += 1;
    }
    Ok(n)
}

/// Writes every dossier with its events as a JSON line; returns how many
/// dossiers and events. O(dossiers): it reads the whole store.
///
/// # Errors
/// [`Error::Io`] when writing fails; [`Error::Corrupt`] for a record that does
/// not decode.
pub fn write_dossiers(store: &Store, mut w: impl Write) -> Result<(u64, u64)> {
    let (mut dossiers, mut events) = (0, 0);
    for d in store.dossiers().iter() {
        let d = d?;
        events += d.events().len().saturating_sub(1) as u64;
        write_line(&mut w, dossier_json(&d))?;
        dossiers += 1;
    }
    Ok((dossiers, events))
}

/// Writes each value's serde form as a JSON line; returns how many.
///
/// # Errors
/// [`Error::Io`] when writing or serializing fails.
pub fn write_values<T: Serialize>(values: &[T], mut w: impl Write) -> Result<u64> {
    for v in values {
        serde_json::to_writer(&mut w, v).map_err(std::io::Error::other)?;
        w.write_all(b"\n")?;
    }
    Ok(values.len() as u64)
}

/// Reads one serde value per non-blank line of the file at `path`.
///
/// # Errors
/// [`Error::Import`] naming the file and line of a value that does not parse or
/// validate; [`Error::Io`] when reading fails.
pub fn read_values<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    use std::io::BufRead;
    let file_error =
        |action, source| Error::File { path: path.display().to_string(), action, source };
    let file =
        std::io::BufReader::new(std::fs::File::open(path).map_err(|e| file_error("open", e))?);
    let mut out = Vec::new();
    for (i, line) in file.lines().enumerate() {
        let line = line.map_err(|e| file_error("read", e))?;
        if line.trim().is_empty() {
            continue;
        }
        let error = |field: String, reason: String| Error::Import {
            file: path.display().to_string(),
            line: i as u64 + 1,
            field,
            reason,
        };
        // Strict as the importers are: a key given twice is an error, not the last wins.
        let value = match super::jsonl::parse_strict(&line) {
            Ok(value) => value,
            Err(super::jsonl::Parse::Duplicate(key)) => {
                return Err(error(key, "is given twice".to_owned()));
            }
            Err(super::jsonl::Parse::Invalid(e)) => {
                return Err(error(String::new(), format!("not valid JSON: {e}")));
            }
        };
        out.push(serde_json::from_value(value).map_err(|e| error(String::new(), e.to_string()))?);
    }
    Ok(out)
}

/// Exports every collection into `dir` (created if missing): the files of
/// `docs/backup.md` and the manifest, written last.
///
/// # Errors
/// [`Error::Io`] when a file cannot be written; as [`write_dossiers`].
pub fn export(store: &Store, dir: impl AsRef<Path>) -> Result<Manifest> {
    export_with_progress(store, dir, |_| {})
}

/// A writer that counts the lines written through it and reports every
/// [`PROGRESS_EVERY`](super::PROGRESS_EVERY) of them.
struct LineCounter<'a, W> {
    inner: W,
    file: &'a str,
    total: Option<u64>,
    lines: u64,
    progress: &'a dyn Fn(&Progress<'_>),
}

impl<W> LineCounter<'_, W> {
    fn report(&self) {
        (self.progress)(&Progress {
            stage: Stage::Export,
            file: self.file,
            rows: self.lines,
            total_rows: self.total,
            bytes: 0,
            total_bytes: None,
        });
    }
}

impl<W: Write> Write for LineCounter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        for _ in buf.iter().take(n).filter(|&&b| b == b'\n') {
            self.lines += 1;
            if self.lines.is_multiple_of(super::PROGRESS_EVERY) {
                self.report();
            }
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// [`export`], calling `progress` as each file is written (every 1,000 lines and
/// when the file is done), with the file's number of lines when it is known.
///
/// # Errors
/// As [`export`].
pub fn export_with_progress(
    store: &Store,
    dir: impl AsRef<Path>,
    progress: impl Fn(&Progress<'_>),
) -> Result<Manifest> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir)?;
    let write = |name: &str, total: Option<u64>, f: &dyn Fn(&mut dyn Write) -> Result<u64>| {
        let file = std::fs::File::create(dir.join(name))
            .map_err(|e| Error::file(&dir.join(name), "create", e))?;
        let mut w = LineCounter {
            inner: BufWriter::new(file),
            file: name,
            total,
            lines: 0,
            progress: &progress,
        };
        let n = f(&mut w)?;
        w.flush()?;
        w.report();
        Ok::<u64, Error>(n)
    };
    let agencies = write("agencies.jsonl", Some(store.agencies().len() as u64), &|w| {
        write_agencies(store, w)
    })?;
    let procedure_versions = write("procedures.jsonl", None, &|w| write_procedures(store, w))?;
    let dossier_counts = std::cell::Cell::new((0, 0));
    write("dossiers.jsonl", Some(store.dossiers().len() as u64), &|w| {
        let counts = write_dossiers(store, w)?;
        dossier_counts.set(counts);
        Ok(counts.0)
    })?;
    let (dossiers, events) = dossier_counts.get();
    let values = |name: &str, items: &dyn Fn(&mut dyn Write) -> Result<u64>, n: usize| {
        write(name, Some(n as u64), items)
    };
    let all = store.feedback().all()?;
    let feedback = values("feedback.jsonl", &|w| write_values(&all, w), all.len())?;
    let all = store.plans().all()?;
    let plans = values("plans.jsonl", &|w| write_values(&all, w), all.len())?;
    let all = store.organisation().all()?;
    let organisation = values("organisation.jsonl", &|w| write_values(&all, w), all.len())?;
    let all = store.frameworks().all()?;
    let frameworks = values("frameworks.jsonl", &|w| write_values(&all, w), all.len())?;
    let all = store.assessments().all()?;
    let assessments = values("assessments.jsonl", &|w| write_values(&all, w), all.len())?;
    let all = store.surveys().all()?;
    let surveys = values("surveys.jsonl", &|w| write_values(&all, w), all.len())?;
    let all = store.calendar_announcements().list()?;
    let calendar_announcements =
        values("calendar_announcements.jsonl", &|w| write_values(&all, w), all.len())?;
    let manifest = Manifest {
        format: BACKUP_FORMAT.to_owned(),
        version: BACKUP_VERSION,
        agencies,
        procedure_versions,
        dossiers,
        events,
        feedback,
        plans,
        organisation,
        frameworks,
        assessments,
        surveys,
        calendar_announcements,
    };
    let path = dir.join("manifest.json");
    let mut w =
        BufWriter::new(std::fs::File::create(&path).map_err(|e| Error::file(&path, "create", e))?);
    serde_json::to_writer_pretty(&mut w, &manifest).map_err(std::io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()?;
    Ok(manifest)
}

fn manifest_error(dir: &Path, field: &str, reason: String) -> Error {
    Error::Import {
        file: dir.join("manifest.json").display().to_string(),
        line: 1,
        field: field.to_owned(),
        reason,
    }
}

/// Restores a backup written by [`export`] (any version from 1: version 1 without the
/// newer collections) into an empty store, then checks that the counts match the
/// manifest.
///
/// All or nothing: the whole backup is first restored into a temporary scratch store
/// timed with the target's calendars and counting mode, and checked against its
/// manifest there; only when that succeeds is it written to `store`. A bad backup
/// (a truncated file, a field from a newer format, a dossier whose agency is missing,
/// counts that differ from the manifest) therefore leaves `store` as it was. The cost
/// is restoring twice.
///
/// # Errors
/// [`Error::InvalidInput`] when the store is not empty; [`Error::Import`] for a
/// bad manifest, a bad row or counts that differ from the manifest;
/// [`Error::Io`] when a file cannot be read.
pub fn restore(store: &Store, dir: impl AsRef<Path>) -> Result<Manifest> {
    restore_with_progress(store, dir, |_| {})
}

/// [`restore`], calling `progress` as each file is read: first with
/// [`Stage::Check`] while the backup is restored into the scratch store, then with
/// [`Stage::Restore`], with the manifest's count of each file as its total.
///
/// # Errors
/// As [`restore`].
pub fn restore_with_progress(
    store: &Store,
    dir: impl AsRef<Path>,
    progress: impl Fn(&Progress<'_>),
) -> Result<Manifest> {
    let dir = dir.as_ref();
    check_empty(store)?;
    restore_into(&store.scratch_twin()?, dir, Stage::Check, &progress)?;
    restore_into(store, dir, Stage::Restore, &progress)
}

fn check_empty(store: &Store) -> Result<()> {
    if !store.agencies().is_empty()
        || !store.procedures().is_empty()
        || !store.dossiers().is_empty()
        || !store.feedback().is_empty()
        || !store.plans().is_empty()
        || !store.organisation().is_empty()
        || !store.frameworks().is_empty()
        || !store.assessments().is_empty()
        || !store.surveys().is_empty()
    {
        return Err(Error::invalid("store", "a backup is restored into an empty store"));
    }
    Ok(())
}

/// Restores `dir` into the empty `store` and checks the counts against the manifest.
fn restore_into(
    store: &Store,
    dir: &Path,
    stage: Stage,
    progress: &dyn Fn(&Progress<'_>),
) -> Result<Manifest> {
    let report = |file: &str, rows: u64, total: u64, bytes: u64, total_bytes: Option<u64>| {
        progress(&Progress { stage, file, rows, total_rows: Some(total), bytes, total_bytes });
    };
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).map_err(|source| Error::File {
        path: manifest_path.display().to_string(),
        action: "read",
        source,
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| manifest_error(dir, "", format!("not a backup manifest: {e}")))?;
    if manifest.format != BACKUP_FORMAT {
        return Err(manifest_error(
            dir,
            "format",
            format!("{:?} is not {BACKUP_FORMAT}", manifest.format),
        ));
    }
    if !(1..=BACKUP_VERSION).contains(&manifest.version) {
        return Err(manifest_error(
            dir,
            "version",
            format!("version {} is not 1 to {BACKUP_VERSION}", manifest.version),
        ));
    }
    let mut restored = Manifest {
        format: manifest.format.clone(),
        version: manifest.version,
        agencies: 0,
        procedure_versions: 0,
        dossiers: 0,
        events: 0,
        feedback: 0,
        plans: 0,
        organisation: 0,
        frameworks: 0,
        assessments: 0,
        surveys: 0,
        calendar_announcements: 0,
    };
    for (name, record_type, total) in [
        ("agencies.jsonl", RecordType::Agencies, manifest.agencies),
        ("procedures.jsonl", RecordType::Procedures, manifest.procedure_versions),
        ("dossiers.jsonl", RecordType::Dossiers, manifest.dossiers),
    ] {
        // Announcements time the receipts: in place before the dossiers arrive.
        if record_type == RecordType::Dossiers && manifest.version >= 3 {
            let path = dir.join("calendar_announcements.jsonl");
            let values: Vec<crate::model::calendar::CalendarAnnouncement> = read_values(&path)?;
            for (i, a) in values.iter().enumerate() {
                store.calendar_announcements().add(a).map_err(|e| Error::Import {
                    file: path.display().to_string(),
                    line: i as u64 + 1,
                    field: String::new(),
                    reason: e.to_string(),
                })?;
            }
            restored.calendar_announcements = values.len() as u64;
            let n = restored.calendar_announcements;
            report("calendar_announcements.jsonl", n, manifest.calendar_announcements, 0, None);
        }
        let path = dir.join(name);
        let file = std::fs::File::open(&path).map_err(|source| Error::File {
            path: path.display().to_string(),
            action: "open",
            source,
        })?;
        let size = file.metadata().ok().map(|m| m.len());
        let report = super::import(
            store,
            std::io::BufReader::new(file),
            &path.display().to_string(),
            Format::JsonLines,
            record_type,
            // Backups before version 5 hold no rule set: their dossiers were all
            // handled under Decree 61, whatever their receipt date.
            &if manifest.version < 5 {
                ImportOptions::new().default_rule_set(crate::model::rules::RuleSetId::Decree61)
            } else {
                ImportOptions::new()
            },
            &|rows, bytes| report(name, rows, total, bytes, size),
        )?;
        restored.agencies += report.agencies;
        restored.procedure_versions += report.procedures;
        restored.dossiers += report.dossiers;
        restored.events += report.events;
    }
    if manifest.version >= 2 {
        restore_collections(store, dir, &mut restored)?;
        for (name, rows, total) in [
            ("feedback.jsonl", restored.feedback, manifest.feedback),
            ("plans.jsonl", restored.plans, manifest.plans),
            ("organisation.jsonl", restored.organisation, manifest.organisation),
            ("frameworks.jsonl", restored.frameworks, manifest.frameworks),
            ("assessments.jsonl", restored.assessments, manifest.assessments),
            ("surveys.jsonl", restored.surveys, manifest.surveys),
        ] {
            report(name, rows, total, 0, None);
        }
    }
    for (field, want, got) in [
        ("agencies", manifest.agencies, restored.agencies),
        ("procedure_versions", manifest.procedure_versions, restored.procedure_versions),
        ("dossiers", manifest.dossiers, restored.dossiers),
        ("events", manifest.events, restored.events),
        ("feedback", manifest.feedback, restored.feedback),
        ("plans", manifest.plans, restored.plans),
        ("organisation", manifest.organisation, restored.organisation),
        ("frameworks", manifest.frameworks, restored.frameworks),
        ("assessments", manifest.assessments, restored.assessments),
        ("surveys", manifest.surveys, restored.surveys),
        (
            "calendar_announcements",
            manifest.calendar_announcements,
            restored.calendar_announcements,
        ),
    ] {
        if want != got {
            return Err(manifest_error(
                dir,
                field,
                format!("the manifest says {want}, the files hold {got}"),
            ));
        }
    }
    Ok(restored)
}

/// Reads and inserts the collections added in version 2, frameworks before the
/// assessments that need them. Each file is read in full before it is written.
fn restore_collections(store: &Store, dir: &Path, restored: &mut Manifest) -> Result<()> {
    fn each<T: DeserializeOwned>(
        dir: &Path,
        name: &str,
        insert: impl Fn(&T) -> Result<()>,
    ) -> Result<u64> {
        let path = dir.join(name);
        let values: Vec<T> = read_values(&path)?;
        for (i, v) in values.iter().enumerate() {
            insert(v).map_err(|e| Error::Import {
                file: path.display().to_string(),
                line: i as u64 + 1,
                field: String::new(),
                reason: e.to_string(),
            })?;
        }
        Ok(values.len() as u64)
    }
    let feedback = store.feedback();
    restored.feedback = each(dir, "feedback.jsonl", |v| feedback.insert(v))?;
    let plans = store.plans();
    restored.plans = each(dir, "plans.jsonl", |v| plans.insert(v))?;
    let organisation = store.organisation();
    restored.organisation = each(dir, "organisation.jsonl", |v| organisation.insert(v))?;
    restored.frameworks = each(dir, "frameworks.jsonl", |v| store.frameworks().insert(v))?;
    restored.assessments = each(dir, "assessments.jsonl", |v| store.assessments().insert(v))?;
    restored.surveys = each(dir, "surveys.jsonl", |v| store.surveys().insert(v))?;
    Ok(())
}
