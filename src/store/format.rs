//! The on-disk format version and the check made on open.

use crate::store::keys::tree;
use crate::{Error, Result};

/// The format this build writes. Version 2 added the `intraday` tree (the backlog
/// state changes at their instants; a version-1 store gets it built on open) and the
/// calendar announcements. Version 3 added the dossier record `V2` (rule set,
/// receiving point, Decree 118 end states) and three counter measures at the end of
/// the counter vector; a version-2 store reads as it is (every `V1` dossier is a
/// Decree 61 dossier, missing measures read 0) and only has its version recorded.
pub const FORMAT_VERSION: u32 = 3;
/// The oldest format this build reads.
pub const OLDEST_READABLE_FORMAT: u32 = 1;

const VERSION_KEY: &[u8] = b"format_version";

/// Checks (or, on an empty database, writes) the format version.
pub(crate) fn check(db: &sled::Db) -> Result<()> {
    let meta = db.open_tree(tree::META)?;
    match meta.get(VERSION_KEY)? {
        Some(bytes) => {
            let raw: [u8; 4] = bytes.as_ref().try_into().map_err(|_| {
                crate::store::codec::corrupt(
                    tree::META,
                    VERSION_KEY,
                    "format version is not 4 bytes",
                )
            })?;
            let found = u32::from_be_bytes(raw);
            if !(OLDEST_READABLE_FORMAT..=FORMAT_VERSION).contains(&found) {
                return Err(Error::UnsupportedFormat {
                    found,
                    oldest: OLDEST_READABLE_FORMAT,
                    current: FORMAT_VERSION,
                });
            }
            Ok(())
        }
        None => {
            let has_data = db
                .tree_names()
                .iter()
                .filter(|name| {
                    name.as_ref() != b"__sled__default" && name.as_ref() != tree::META.as_bytes()
                })
                .map(|name| db.open_tree(name).map(|t| !t.is_empty()))
                .collect::<std::result::Result<Vec<_>, _>>()?
                .into_iter()
                .any(|non_empty| non_empty);
            if has_data || !db.is_empty() {
                return Err(crate::store::codec::corrupt(
                    tree::META,
                    VERSION_KEY,
                    "missing format version",
                ));
            }
            meta.insert(VERSION_KEY, &FORMAT_VERSION.to_be_bytes())?;
            Ok(())
        }
    }
}

/// Returns the stored format version (after [`check`] it is readable).
pub(crate) fn stored_version(db: &sled::Db) -> Result<u32> {
    let meta = db.open_tree(tree::META)?;
    let bytes = meta.get(VERSION_KEY)?.ok_or_else(|| {
        crate::store::codec::corrupt(tree::META, VERSION_KEY, "missing format version")
    })?;
    let raw: [u8; 4] = bytes.as_ref().try_into().map_err(|_| {
        crate::store::codec::corrupt(tree::META, VERSION_KEY, "format version is not 4 bytes")
    })?;
    Ok(u32::from_be_bytes(raw))
}

/// Records [`FORMAT_VERSION`] once an older store has been upgraded.
pub(crate) fn record_current_version(db: &sled::Db) -> Result<()> {
    db.open_tree(tree::META)?.insert(VERSION_KEY, &FORMAT_VERSION.to_be_bytes())?;
    Ok(())
}

/// Overwrites the format version (tests of the upgrade path only).
#[cfg(feature = "__internal_whitebox")]
#[doc(hidden)]
pub fn write_version_for_tests(db_path: &std::path::Path, version: u32) -> Result<()> {
    let db = sled::open(db_path)?;
    db.open_tree(tree::META)?.insert(VERSION_KEY, &version.to_be_bytes())?;
    db.flush()?;
    Ok(())
}
