//! Generic keyed collections for the records that are not dossiers (feedback,
//! plans, organisation snapshots, frameworks, assessments, surveys): one tree per
//! type, a frozen versioned record per value, inserted and read whole.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::store::codec::{corrupt, decode, encode};
use crate::store::{Inner, Store};
use crate::{Error, RecordKind, Result};

/// How a value is kept in a [`Collection`]: its tree, its key and its frozen on-disk
/// record (an enum of versions, `V1(..)`), converted to and from the domain value so a
/// change to the domain type cannot silently change stored bytes. Crate-private: the
/// records never leave the crate.
pub(crate) trait StoredRecord: Sized {
    /// The name of the sled tree holding this collection.
    const TREE: &'static str;
    /// The tree itself, opened once with the store.
    fn tree(inner: &Inner) -> &sled::Tree;
    /// The kind named in errors.
    const KIND: RecordKind;
    /// The frozen on-disk record.
    type Record: Serialize + DeserializeOwned;
    /// The key: byte order is iteration order.
    fn key(&self) -> Vec<u8>;
    /// Converts to the record.
    fn to_record(&self) -> Self::Record;
    /// Converts from the record, validating.
    ///
    /// # Errors
    /// Any validation error; the store reports it as [`Error::Corrupt`].
    fn from_record(record: Self::Record) -> Result<Self>;
}

/// What [`Collection`] needs of a value, in bytes; implemented for every
/// [`StoredRecord`] and nothing else, so [`Persisted`] is sealed.
mod sealed {
    use super::{StoredRecord, corrupt, decode, encode};
    use crate::store::Store;
    use crate::{RecordKind, Result};

    pub trait Sealed: Sized {
        const TREE: &'static str;
        fn tree(store: &Store) -> sled::Tree;
        const KIND: RecordKind;
        fn key(&self) -> Vec<u8>;
        fn to_bytes(&self) -> Result<Vec<u8>>;
        fn from_bytes(key: &[u8], bytes: &[u8]) -> Result<Self>;
    }

    impl<T: StoredRecord> Sealed for T {
        const TREE: &'static str = <T as StoredRecord>::TREE;
        const KIND: RecordKind = <T as StoredRecord>::KIND;
        fn tree(store: &Store) -> sled::Tree {
            T::tree(&store.inner).clone()
        }
        fn key(&self) -> Vec<u8> {
            StoredRecord::key(self)
        }
        fn to_bytes(&self) -> Result<Vec<u8>> {
            encode(&self.to_record())
        }
        fn from_bytes(key: &[u8], bytes: &[u8]) -> Result<Self> {
            let record: T::Record = decode(bytes, Self::TREE, key)?;
            T::from_record(record).map_err(|e| corrupt(Self::TREE, key, e.to_string()))
        }
    }
}

/// A value the store keeps in a [`Collection`]: feedback, reform plans, organisation
/// snapshots, index frameworks, assessments and surveys.
///
/// The trait is sealed: only the crate's own record types implement it, so user code
/// can neither open the store's trees through a [`Collection`] nor bypass the checks
/// that keep the counters exact:
///
/// ```compile_fail
/// struct Intruder;
/// impl cchc::store::Persisted for Intruder {}
/// let _ = Intruder;
/// ```
pub trait Persisted: sealed::Sealed {}

impl<T: sealed::Sealed> Persisted for T {}

/// A typed view of one collection.
#[derive(Debug)]
pub struct Collection<'a, T> {
    store: &'a Store,
    tree: sled::Tree,
    _type: PhantomData<T>,
}

fn describe(key: &[u8]) -> String {
    String::from_utf8(key.to_vec()).unwrap_or_else(|_| crate::store::codec::hex(key))
}

impl<'a, T: Persisted> Collection<'a, T> {
    pub(crate) fn open(store: &'a Store) -> Self {
        Self { store, tree: T::tree(store), _type: PhantomData }
    }

    /// Returns the store this view belongs to.
    pub fn store(&self) -> &'a Store {
        self.store
    }

    /// Inserts a new value.
    ///
    /// # Errors
    /// [`Error::Duplicate`] when the key exists; [`Error::Storage`].
    pub fn insert(&self, value: &T) -> Result<()> {
        let key = value.key();
        let bytes = value.to_bytes()?;
        match self.tree.compare_and_swap(&key, None as Option<&[u8]>, Some(bytes))? {
            Ok(()) => Ok(()),
            Err(_) => Err(Error::Duplicate { kind: T::KIND, id: describe(&key) }),
        }
    }

    /// Inserts or replaces a value.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn upsert(&self, value: &T) -> Result<()> {
        self.tree.insert(value.key(), value.to_bytes()?)?;
        Ok(())
    }

    /// Returns the value stored under `key`.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the bytes do not decode; [`Error::Storage`].
    pub fn get_by_key(&self, key: &[u8]) -> Result<Option<T>> {
        match self.tree.get(key)? {
            Some(bytes) => Self::decode(key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Removes the value under `key` and returns whether there was one.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn remove_by_key(&self, key: &[u8]) -> Result<bool> {
        Ok(self.tree.remove(key)?.is_some())
    }

    fn decode(key: &[u8], bytes: &[u8]) -> Result<T> {
        T::from_bytes(key, bytes)
    }

    /// Returns every value whose key starts with `prefix`, in key order.
    ///
    /// # Errors
    /// [`Error::Corrupt`] or [`Error::Storage`] on the first bad entry.
    pub fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<T>> {
        self.tree
            .scan_prefix(prefix)
            .map(|item| {
                let (key, value) = item?;
                Self::decode(&key, &value)
            })
            .collect()
    }

    /// Returns every value, in key order. O(n).
    ///
    /// # Errors
    /// As [`Collection::scan_prefix`].
    pub fn all(&self) -> Result<Vec<T>> {
        self.scan_prefix(&[])
    }

    /// Returns how many values there are. O(n).
    pub fn len(&self) -> usize {
        self.tree.len()
    }

    /// Returns whether the collection is empty.
    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }
}

impl Store {
    /// Returns the collection of `T` (its tree was opened with the store).
    pub fn collection<T: Persisted>(&self) -> Collection<'_, T> {
        Collection::open(self)
    }
}
