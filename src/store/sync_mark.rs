//! The folder check made before sled opens a path, and the durable sync mark.
//!
//! sled 0.34 recovers its log up to the first record whose checksum fails and takes
//! that for the end of the log, so a flipped bit or a cut file silently drops every
//! write after it, synced or not. The mark is what lets `Store::open` notice:
//!
//! - [`Store::sync`](super::Store::sync) writes the next sync number `n` into the
//!   `meta` tree, flushes and `fdatasync`s the store, and only then writes `n` to the
//!   file `cchc.sync-mark` beside sled's files (temp file, fsync, rename, fsync of the
//!   folder);
//! - `Store::open` reads both: a store whose `meta` number is below the file's has lost
//!   writes that were durable, and is refused with [`Error::LostSyncedWrites`].
//!
//! sled recovers a prefix of its log in commit order (the kill test checks it), and the
//! `meta` write is the last write of each sync, so finding it means every write
//! committed before that sync is present too. Loss after the last sync is outside the
//! guarantee and is not reported.

use std::io::Write;
use std::path::Path;

use crate::store::keys::tree;
use crate::{Error, Result};

/// The file beside sled's files that holds the number of the last completed sync.
pub(crate) const MARK_FILE: &str = "cchc.sync-mark";
/// The `meta` key holding the number of the last sync written into the store.
const MARK_KEY: &[u8] = b"sync_mark";
/// Files sled 0.34 writes in a store folder; `conf` and `db` are always there.
const SLED_FILES: [&str; 2] = ["conf", "db"];

/// Refuses an existing path that is not a folder, or a non-empty folder that holds
/// no sled store, before sled writes anything into it.
pub(crate) fn check_folder(path: &Path) -> Result<()> {
    let not_a_store =
        |reason: String| Error::NotAStore { path: path.display().to_string(), reason };
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(not_a_store(format!("cannot read it: {e}"))),
    };
    if !metadata.is_dir() {
        return Err(not_a_store("it is a file, not a folder".to_owned()));
    }
    let names: Vec<String> = std::fs::read_dir(path)
        .and_then(|entries| {
            entries
                .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .map_err(|e| not_a_store(format!("cannot list it: {e}")))?;
    if names.is_empty() {
        return Ok(());
    }
    let missing: Vec<&str> =
        SLED_FILES.iter().copied().filter(|f| !names.iter().any(|n| n == f)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut shown: Vec<&str> = names.iter().map(String::as_str).take(5).collect();
    shown.sort_unstable();
    Err(not_a_store(format!(
        "it has no {} file (found {}{})",
        missing.join(" or "),
        shown.join(", "),
        if names.len() > 5 { ", …" } else { "" }
    )))
}

/// Reads the number of the last completed sync from the mark file (0 when absent).
fn read_file(path: &Path) -> Result<u64> {
    let file = path.join(MARK_FILE);
    match std::fs::read_to_string(&file) {
        Ok(text) => text.trim().parse().map_err(|_| Error::Corrupt {
            tree: "(sync mark file)",
            key: file.display().to_string(),
            reason: format!("{:?} is not a sync number", text.trim()),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(Error::Io(e)),
    }
}

/// Writes `n` to the mark file durably: temp file, fsync, rename, fsync the folder.
fn write_file(path: &Path, n: u64) -> Result<()> {
    let tmp = path.join(format!("{MARK_FILE}.tmp"));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(n.to_string().as_bytes())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path.join(MARK_FILE))?;
    std::fs::File::open(path)?.sync_all()?;
    Ok(())
}

/// Reads the number of the last sync written into the store (0 when none).
pub(crate) fn read_stored(db: &sled::Db) -> Result<u64> {
    let meta = db.open_tree(tree::META)?;
    match meta.get(MARK_KEY)? {
        None => Ok(0),
        Some(bytes) => <[u8; 8]>::try_from(bytes.as_ref()).map(u64::from_be_bytes).map_err(|_| {
            crate::store::codec::corrupt(tree::META, MARK_KEY, "sync mark is not 8 bytes")
        }),
    }
}

/// Checks at open that the store holds every write of its last completed sync. With
/// `accept_loss`, a store behind its mark is accepted and the mark lowered to what it
/// holds, so that the next sync starts from there.
pub(crate) fn check(db: &sled::Db, path: &Path, accept_loss: bool) -> Result<()> {
    let marked = read_file(path)?;
    let found = read_stored(db)?;
    if found >= marked {
        return Ok(());
    }
    if accept_loss {
        return write_file(path, found);
    }
    Err(Error::LostSyncedWrites { path: path.display().to_string(), marked, found })
}

/// Makes every committed write durable and records the mark: the next sync number
/// goes into `meta` as the last write, sled flushes, every file is `fdatasync`ed, then
/// the mark file is written. Callers serialise syncs.
pub(crate) fn sync(db: &sled::Db, path: &Path) -> Result<()> {
    let next = read_stored(db)?.saturating_add(1);
    db.open_tree(tree::META)?.insert(MARK_KEY, &next.to_be_bytes())?;
    db.flush()?;
    sync_dir(path)?;
    write_file(path, next)
}

/// `fdatasync`s every file below `dir` and the folders themselves.
fn sync_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            sync_dir(&entry.path())?;
        } else if file_type.is_file() {
            std::fs::File::open(entry.path())?.sync_data()?;
        }
    }
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}
