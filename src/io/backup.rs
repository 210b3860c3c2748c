//! Logical backup: every collection as JSON Lines in a directory, and restore.
//!
//! A backup directory holds `manifest.json`, `agencies.jsonl`, `procedures.jsonl`
//! (every version) and `dossiers.jsonl` (each dossier with its events after
//! receipt, nested). The rows are the import rows of `docs/import.md`; the layout
//! is specified in `docs/backup.md`. A backup is a logical copy: restore replays
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

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::rows::{agency_json, dossier_json, procedure_json};
use super::{Format, RecordType, import_reader};
use crate::store::Store;
use crate::{Error, Result};

/// The `format` value of a backup manifest.
pub const BACKUP_FORMAT: &str = "cchc-backup";
/// The version of the backup layout this build writes and reads.
pub const BACKUP_VERSION: u32 = 1;

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

/// Exports every collection into `dir` (created if missing): the files of
/// `docs/backup.md` and the manifest, written last.
///
/// # Errors
/// [`Error::Io`] when a file cannot be written; as [`write_dossiers`].
pub fn export(store: &Store, dir: impl AsRef<Path>) -> Result<Manifest> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir)?;
    let create = |name: &str| -> Result<BufWriter<std::fs::File>> {
        Ok(BufWriter::new(std::fs::File::create(dir.join(name))?))
    };
    let mut w = create("agencies.jsonl")?;
    let agencies = write_agencies(store, &mut w)?;
    w.flush()?;
    let mut w = create("procedures.jsonl")?;
    let procedure_versions = write_procedures(store, &mut w)?;
    w.flush()?;
    let mut w = create("dossiers.jsonl")?;
    let (dossiers, events) = write_dossiers(store, &mut w)?;
    w.flush()?;
    let manifest = Manifest {
        format: BACKUP_FORMAT.to_owned(),
        version: BACKUP_VERSION,
        agencies,
        procedure_versions,
        dossiers,
        events,
    };
    let mut w = create("manifest.json")?;
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

/// Restores a backup written by [`export`] into an empty store, then checks that
/// the counts match the manifest.
///
/// # Errors
/// [`Error::InvalidInput`] when the store is not empty; [`Error::Import`] for a
/// bad manifest, a bad row or counts that differ from the manifest;
/// [`Error::Io`] when a file cannot be read.
pub fn restore(store: &Store, dir: impl AsRef<Path>) -> Result<Manifest> {
    let dir = dir.as_ref();
    if !store.agencies().is_empty()
        || !store.procedures().is_empty()
        || !store.dossiers().is_empty()
    {
        return Err(Error::invalid("store", "a backup is restored into an empty store"));
    }
    let text = std::fs::read_to_string(dir.join("manifest.json"))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| manifest_error(dir, "", format!("not a backup manifest: {e}")))?;
    if manifest.format != BACKUP_FORMAT {
        return Err(manifest_error(
            dir,
            "format",
            format!("{:?} is not {BACKUP_FORMAT}", manifest.format),
        ));
    }
    if manifest.version != BACKUP_VERSION {
        return Err(manifest_error(
            dir,
            "version",
            format!("version {} is not {BACKUP_VERSION}", manifest.version),
        ));
    }
    let mut restored =
        Manifest { agencies: 0, procedure_versions: 0, dossiers: 0, events: 0, ..manifest.clone() };
    for (name, record_type) in [
        ("agencies.jsonl", RecordType::Agencies),
        ("procedures.jsonl", RecordType::Procedures),
        ("dossiers.jsonl", RecordType::Dossiers),
    ] {
        let path = dir.join(name);
        let file = std::io::BufReader::new(std::fs::File::open(&path)?);
        let report = import_reader(
            store,
            file,
            &path.display().to_string(),
            Format::JsonLines,
            record_type,
            super::DEFAULT_BATCH,
        )?;
        restored.agencies += report.agencies;
        restored.procedure_versions += report.procedures;
        restored.dossiers += report.dossiers;
        restored.events += report.events;
    }
    for (field, want, got) in [
        ("agencies", manifest.agencies, restored.agencies),
        ("procedure_versions", manifest.procedure_versions, restored.procedure_versions),
        ("dossiers", manifest.dossiers, restored.dossiers),
        ("events", manifest.events, restored.events),
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
