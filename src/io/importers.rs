//! The importers: whole files checked row by row, then written in transactions.

use std::collections::{HashMap, HashSet};

use time::{Date, OffsetDateTime};

use super::{FileReport, RecordType};
use crate::id::{AgencyCode, DossierCode, ProcedureCode};
use crate::model::agency::{Agency, Level};
use crate::model::dossier::{Action, NewDossier};
use crate::model::procedure::Procedure;
use crate::store::Store;
use crate::{Error, RecordKind, Result};

use super::convert::{action, agency, date_text, new_dossier, procedure};
/// Rows of dossiers and events written per transaction unless told otherwise.
use super::rows::{DOSSIER_FIELDS, EVENT_FIELDS, NESTED_EVENT_FIELDS, Row};

// ---------------------------------------------------------------------------
// Importers

pub(crate) fn import_agencies(
    store: &Store,
    rows: impl Iterator<Item = Result<Row>>,
    report: &mut FileReport,
) -> Result<()> {
    let mut parsed: Vec<(Row, Agency)> = Vec::new();
    let mut in_file: HashMap<AgencyCode, (u64, Level)> = HashMap::new();
    for row in rows {
        let row = row?;
        report.rows += 1;
        let a = agency(&row)?;
        if in_file.insert(a.code().clone(), (row.line, a.level())).is_some()
            || store.agencies().get(a.code())?.is_some()
        {
            return Err(row.error("code", format!("agency {} already exists", a.code())));
        }
        parsed.push((row, a));
    }
    // Parents must exist (in the store or the file) and not sit below their children.
    for (row, a) in &parsed {
        if let Some(parent) = a.parent() {
            let level = match in_file.get(parent) {
                Some(&(_, level)) => level,
                None => match store.agencies().get(parent)? {
                    Some(p) => p.level(),
                    None => return Err(row.error("parent", format!("agency {parent} not found"))),
                },
            };
            if level > a.level() {
                return Err(row.error("level", "a child cannot sit above its parent's level"));
            }
        }
    }
    // A cycle never resolves: name its row before anything is written.
    let agencies: Vec<Agency> = parsed.iter().map(|(_, a)| a.clone()).collect();
    if let Err(stuck) = crate::model::agency::parents_first(&agencies) {
        let row = parsed.iter().find(|(_, a)| a.code() == stuck.code()).map(|(row, _)| row);
        return Err(match row {
            Some(row) => row.error("parent", "the parent links form a cycle"),
            None => Error::invalid("agencies", "the parent links form a cycle"),
        });
    }
    // The whole file in one transaction: a bad file writes nothing.
    store.agencies().insert_all(&agencies).map_err(|e| match parsed.first() {
        Some((row, _)) => row.error("code", e.to_string()),
        None => e,
    })?;
    report.agencies += agencies.len() as u64;
    Ok(())
}

pub(crate) fn import_procedures(
    store: &Store,
    rows: impl Iterator<Item = Result<Row>>,
    report: &mut FileReport,
) -> Result<()> {
    let mut parsed: Vec<(Row, Procedure)> = Vec::new();
    let mut seen: HashSet<(ProcedureCode, Date)> = HashSet::new();
    for row in rows {
        let row = row?;
        report.rows += 1;
        let p = procedure(&row)?;
        let key = (p.code().clone(), p.effective_from());
        let exists =
            store.procedures().versions(p.code())?.iter().any(|v| v.effective_from() == key.1);
        if exists || !seen.insert(key) {
            return Err(row.error(
                "effective_from",
                format!(
                    "a version of {} from {} already exists",
                    p.code(),
                    date_text(p.effective_from())
                ),
            ));
        }
        parsed.push((row, p));
    }
    for (row, p) in &parsed {
        store.procedures().insert(p).map_err(|e| row.error("code", e.to_string()))?;
        report.procedures += 1;
    }
    Ok(())
}

/// One row queued in the current batch, kept to name the row a failed batch
/// was rejected for.
struct Pending {
    row: Row,
    code: DossierCode,
    receipt: Option<NewDossier>,
    action: Option<(OffsetDateTime, Action)>,
}

/// Checks a receipt against the catalogue before queueing it, so these errors
/// name their row directly.
fn check_receipt(store: &Store, row: &Row, new: &NewDossier) -> Result<()> {
    // The store's own receipt rules (`NewDossier::open`), so that the two never drift;
    // here only to name the row and its column.
    store.preview_receipt(new).map(|_| ()).map_err(|e| row_error(row, e))
}

/// Checks a transfer's target against the catalogue before queueing it, with the
/// store's rule (`Action::check_transfer_target`).
fn check_action(store: &Store, row: &Row, at: OffsetDateTime, action: &Action) -> Result<()> {
    if let Action::Transfer { to } = action {
        match store.agencies().get(to)? {
            None => return Err(row.error("to", format!("agency {to} not found"))),
            Some(target) => {
                Action::check_transfer_target(&target, at).map_err(|e| row_error(row, e))?;
            }
        }
    }
    Ok(())
}

/// Names the row's column a receipt or action error is about.
fn row_error(row: &Row, e: Error) -> Error {
    let column = |field: &str| match field {
        "dossier.agency" => "agency",
        "dossier.procedure" => "procedure",
        "event.to" => "to",
        "event.at" => "at",
        _ => "received_at",
    };
    match e {
        Error::InvalidInput { field, reason } => row.error(column(field), reason),
        Error::NotFound { kind: RecordKind::Agency, .. } => row.error("agency", e.to_string()),
        Error::NotFound { kind: RecordKind::Procedure, .. } => {
            row.error("procedure", e.to_string())
        }
        other => other,
    }
}

pub(crate) fn import_dossiers(
    store: &Store,
    rows: impl Iterator<Item = Result<Row>>,
    record_type: RecordType,
    batch: usize,
    report: &mut FileReport,
) -> Result<()> {
    let batch = batch.max(1);
    let mut importer = store.dossiers().importer().batch_size(batch);
    let mut pending: Vec<Pending> = Vec::new();
    let mut queued = 0usize;
    for row in rows {
        let row = row?;
        report.rows += 1;
        let result = if record_type == RecordType::Dossiers {
            let new = new_dossier(&row)?;
            check_receipt(store, &row, &new)?;
            let mut actions = Vec::new();
            let nested = row.nested_rows("events")?;
            pending.push(Pending {
                row: row.clone(),
                code: new.code.clone(),
                receipt: Some(new.clone()),
                action: None,
            });
            for event_row in nested {
                event_row.check_known(NESTED_EVENT_FIELDS)?;
                let (at, action) = action(&event_row)?;
                check_action(store, &event_row, at, &action)?;
                actions.push((at, action.clone()));
                pending.push(Pending {
                    row: event_row,
                    code: new.code.clone(),
                    receipt: None,
                    action: Some((at, action)),
                });
            }
            report.events += actions.len() as u64;
            report.dossiers += 1;
            importer.dossier(new, actions)
        } else {
            row.check_known(EVENT_FIELDS)?;
            let code = row.map("dossier", DossierCode::new)?;
            let (at, action) = action(&row)?;
            check_action(store, &row, at, &action)?;
            pending.push(Pending {
                row,
                code: code.clone(),
                receipt: None,
                action: Some((at, action.clone())),
            });
            report.events += 1;
            importer.action(code, at, action)
        };
        queued += 1;
        match result {
            Err(e) => return Err(locate(store, &pending, e)),
            Ok(()) if queued >= batch => {
                // The importer wrote the batch.
                pending.clear();
                queued = 0;
                report.batches += 1;
            }
            Ok(()) => {}
        }
    }
    let last = !pending.is_empty();
    importer.finish().map_err(|e| locate(store, &pending, e))?;
    if last {
        report.batches += 1;
    }
    Ok(())
}

/// Names the row of `pending` that a failed batch was rejected for: the batch is
/// replayed in memory, row by row, and the first row the store would refuse is
/// named with its own error. Only when the replay finds nothing (the store failed
/// for a reason of its own) is the batch's first row named.
fn locate(store: &Store, pending: &[Pending], error: Error) -> Error {
    match replay(store, pending) {
        Some((p, e)) => p.row.error(field_of_batch_error(&e, p), e.to_string()),
        None => match pending.first() {
            Some(p) => p.row.error("", format!("in the batch starting here: {error}")),
            None => error,
        },
    }
}

/// The row field a batch error is about.
fn field_of_batch_error(error: &Error, p: &Pending) -> &'static str {
    let receipt = p.receipt.is_some();
    match error {
        Error::Duplicate { .. } => "code",
        Error::NotFound { kind: RecordKind::Dossier, .. } => "dossier",
        Error::NotFound { kind: RecordKind::Procedure, .. } => "procedure",
        Error::NotFound { kind: RecordKind::Agency, .. } if !receipt => "to",
        Error::NotFound { kind: RecordKind::Agency, .. } => "agency",
        Error::InvalidInput { field, .. } => {
            let name = field.rsplit('.').next().unwrap_or(field);
            let known = if receipt { DOSSIER_FIELDS } else { EVENT_FIELDS };
            match known.iter().find(|f| **f == name) {
                Some(f) => f,
                None if receipt => "",
                None => "action",
            }
        }
        _ if receipt => "",
        _ => "action",
    }
}

/// Replays the batch's rows on in-memory dossiers (receipts previewed, stored
/// dossiers read) and returns the first row the store refuses, with its error.
fn replay<'a>(store: &Store, pending: &'a [Pending]) -> Option<(&'a Pending, Error)> {
    let mut dossiers: HashMap<&str, crate::model::dossier::Dossier> = HashMap::new();
    let mut received: HashSet<&str> = HashSet::new();
    for p in pending {
        let code = p.code.as_str();
        if let Some(new) = &p.receipt {
            let duplicate = Error::Duplicate { kind: RecordKind::Dossier, id: code.to_owned() };
            if !received.insert(code) {
                return Some((p, duplicate));
            }
            match store.dossiers().get(&p.code) {
                Ok(Some(_)) => return Some((p, duplicate)),
                Ok(None) => {}
                Err(e) => return Some((p, e)),
            }
            match store.preview_receipt(new) {
                Ok(d) => dossiers.insert(code, d),
                Err(e) => return Some((p, e)),
            };
        }
        let Some((at, action)) = &p.action else { continue };
        if !dossiers.contains_key(code) {
            match store.dossiers().get(&p.code) {
                Ok(Some(d)) => dossiers.insert(code, d),
                Ok(None) => {
                    let e = Error::NotFound { kind: RecordKind::Dossier, id: code.to_owned() };
                    return Some((p, e));
                }
                Err(e) => return Some((p, e)),
            };
        }
        let dossier = dossiers.get_mut(code)?;
        let calendar = store.calendar_for(&dossier.header().agency);
        let applied = action
            .to_event(dossier, *at, &calendar, store.counting_mode())
            .and_then(|event| dossier.apply(event));
        if let Err(e) = applied {
            return Some((p, e));
        }
    }
    None
}
