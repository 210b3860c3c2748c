//! Transaction helpers shared by every multi-tree write: turning our errors into
//! sled's abort and back, and sled's conflictable errors into ours.

use sled::transaction::{
    ConflictableTransactionError, TransactionError, UnabortableTransactionError,
};

use crate::{Error, RecordKind};

/// The result type inside a transaction closure.
pub(crate) type TxResult<T> = std::result::Result<T, ConflictableTransactionError<Error>>;

/// Builds [`Error::NotFound`] for a record of `kind` named `id`.
pub(crate) fn not_found(kind: RecordKind, id: &impl std::fmt::Display) -> Error {
    Error::NotFound { kind, id: id.to_string() }
}

/// Aborts a transaction with `e`: nothing it wrote stays.
pub(crate) fn abort(e: Error) -> ConflictableTransactionError<Error> {
    ConflictableTransactionError::Abort(e)
}

/// Passes a storage failure inside a transaction on (sled retries conflicts itself).
pub(crate) fn storage<T>(r: std::result::Result<T, UnabortableTransactionError>) -> TxResult<T> {
    r.map_err(ConflictableTransactionError::from)
}

/// Turns a finished transaction's error back into ours.
pub(crate) fn tx_error(e: TransactionError<Error>) -> Error {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => Error::Storage(e),
    }
}
