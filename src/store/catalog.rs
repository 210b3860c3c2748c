//! Agencies, procedures and fields: the catalogue every dossier refers to, cached in
//! memory and written through.

use std::collections::{BTreeMap, HashMap};

use crate::store::tx::{not_found, tx_error};
use sled::Transactional;
use time::Date;

use crate::id::{AgencyCode, Field, ProcedureCode};
use crate::model::agency::{Agency, Level};
use crate::model::procedure::{Procedure, ProcedureStatus};
use crate::store::codec::{corrupt, decode, encode};
use crate::store::keys::{
    AgencyKey, FieldKey, Group, Node, ProcedureKey, procedure_version_key, tree,
};
use crate::store::records::{AgencyRecord, ProcedureRecord};
use crate::store::{Inner, Store, poisoned};
use crate::{Error, RecordKind, Result};

#[derive(Debug, Clone)]
pub(crate) struct AgencyEntry {
    pub key: AgencyKey,
    pub agency: Agency,
}

#[derive(Debug, Clone)]
pub(crate) struct ProcedureEntry {
    pub key: ProcedureKey,
    pub versions: BTreeMap<Date, Procedure>,
}

/// The in-memory catalogue.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub agencies: HashMap<AgencyCode, AgencyEntry>,
    pub agency_codes: HashMap<AgencyKey, AgencyCode>,
    pub procedures: HashMap<ProcedureCode, ProcedureEntry>,
    pub fields: HashMap<Field, FieldKey>,
    next_agency: u32,
    next_procedure: u32,
    next_field: u32,
}

fn u32_key(tree_name: &'static str, key: &[u8]) -> Result<u32> {
    let raw: [u8; 4] = key.try_into().map_err(|_| corrupt(tree_name, key, "key is not 4 bytes"))?;
    Ok(u32::from_be_bytes(raw))
}

fn u32_value(tree_name: &'static str, key: &[u8], value: &[u8]) -> Result<u32> {
    let raw: [u8; 4] =
        value.try_into().map_err(|_| corrupt(tree_name, key, "value is not 4 bytes"))?;
    Ok(u32::from_be_bytes(raw))
}

fn text(tree_name: &'static str, key: &[u8]) -> Result<String> {
    String::from_utf8(key.to_vec()).map_err(|_| corrupt(tree_name, key, "key is not UTF-8"))
}

impl Catalog {
    pub(crate) fn load(inner: &Inner) -> Result<Self> {
        let mut catalog = Catalog::default();
        for item in &inner.agencies {
            let (key, value) = item?;
            let k = AgencyKey(u32_key(tree::AGENCIES, &key)?);
            let record: AgencyRecord = decode(&value, tree::AGENCIES, &key)?;
            let agency = Agency::try_from(record)
                .map_err(|e| corrupt(tree::AGENCIES, &key, e.to_string()))?;
            catalog.next_agency = catalog.next_agency.max(k.0 + 1);
            catalog.agency_codes.insert(k, agency.code().clone());
            catalog.agencies.insert(agency.code().clone(), AgencyEntry { key: k, agency });
        }
        for item in &inner.procedure_codes {
            let (key, value) = item?;
            let code = ProcedureCode::new(&text(tree::PROCEDURE_CODES, &key)?)
                .map_err(|e| corrupt(tree::PROCEDURE_CODES, &key, e.to_string()))?;
            let k = ProcedureKey(u32_value(tree::PROCEDURE_CODES, &key, &value)?);
            catalog.next_procedure = catalog.next_procedure.max(k.0 + 1);
            catalog.procedures.insert(code, ProcedureEntry { key: k, versions: BTreeMap::new() });
        }
        let by_key: HashMap<ProcedureKey, ProcedureCode> =
            catalog.procedures.iter().map(|(c, e)| (e.key, c.clone())).collect();
        for item in &inner.procedures {
            let (key, value) = item?;
            let head = key.get(..4).ok_or_else(|| corrupt(tree::PROCEDURES, &key, "short key"))?;
            let k = ProcedureKey(u32_key(tree::PROCEDURES, head)?);
            let record: ProcedureRecord = decode(&value, tree::PROCEDURES, &key)?;
            let procedure = Procedure::try_from(record)
                .map_err(|e| corrupt(tree::PROCEDURES, &key, e.to_string()))?;
            let entry = by_key
                .get(&k)
                .and_then(|code| catalog.procedures.get_mut(code))
                .ok_or_else(|| corrupt(tree::PROCEDURES, &key, "no code maps to this procedure"))?;
            entry.versions.insert(procedure.effective_from(), procedure);
        }
        for item in &inner.fields {
            let (key, value) = item?;
            let field = Field::new(&text(tree::FIELDS, &key)?)
                .map_err(|e| corrupt(tree::FIELDS, &key, e.to_string()))?;
            let k = FieldKey(u32_value(tree::FIELDS, &key, &value)?);
            catalog.next_field = catalog.next_field.max(k.0 + 1);
            catalog.fields.insert(field, k);
        }
        Ok(catalog)
    }

    /// Returns the counting nodes a dossier received by `agency` under `procedure`
    /// counts for — the agency itself, every strict ancestor, its level, the field,
    /// the procedure, and everything — each with the row group it lives in.
    pub(crate) fn nodes_for(
        &self,
        agency: &AgencyCode,
        procedure: &ProcedureCode,
        field: &Field,
    ) -> Result<Vec<(Group, Node)>> {
        let entry =
            self.agencies.get(agency).ok_or_else(|| not_found(RecordKind::Agency, agency))?;
        let mut nodes = Vec::with_capacity(8);
        nodes.push(Node::All);
        nodes.push(Node::Own(entry.key));
        let level = Level::ALL.iter().position(|&l| l == entry.agency.level()).unwrap_or(0);
        nodes.push(Node::Level(level as u8));
        let mut root = entry.key;
        let mut parent = entry.agency.parent();
        // Parents are inserted before children, so the chain ends; the bound guards
        // against a damaged store.
        for _ in 0..64 {
            let Some(code) = parent else { break };
            let p = self.agencies.get(code).ok_or_else(|| not_found(RecordKind::Agency, code))?;
            nodes.push(Node::Below(p.key));
            root = p.key;
            parent = p.agency.parent();
        }
        if let Some(f) = self.fields.get(field) {
            nodes.push(Node::Field(*f));
        }
        if let Some(p) = self.procedures.get(procedure) {
            nodes.push(Node::Procedure(p.key));
        }
        Ok(nodes.into_iter().map(|n| (n.group(root), n)).collect())
    }

    /// Returns the root of the hierarchy `agency` belongs to.
    pub(crate) fn root_of(&self, agency: &AgencyCode) -> Result<AgencyKey> {
        let mut entry =
            self.agencies.get(agency).ok_or_else(|| not_found(RecordKind::Agency, agency))?;
        for _ in 0..64 {
            let Some(parent) = entry.agency.parent() else { break };
            entry =
                self.agencies.get(parent).ok_or_else(|| not_found(RecordKind::Agency, parent))?;
        }
        Ok(entry.key)
    }

    /// Returns the procedure version in force on `date`.
    pub(crate) fn procedure_on(&self, code: &ProcedureCode, date: Date) -> Result<&Procedure> {
        let entry =
            self.procedures.get(code).ok_or_else(|| not_found(RecordKind::Procedure, code))?;
        entry.versions.range(..=date).next_back().map(|(_, p)| p).ok_or_else(|| {
            Error::invalid(
                "dossier.received_at",
                format!("procedure {code} has no version in force on {date}"),
            )
        })
    }
}

/// The agencies of a store.
#[derive(Debug, Clone, Copy)]
pub struct Agencies<'a> {
    pub(crate) store: &'a Store,
}

impl Agencies<'_> {
    /// Inserts a new agency. Its parent must already exist.
    ///
    /// # Errors
    /// [`Error::Duplicate`] when the code exists, [`Error::NotFound`] when the parent
    /// does not, [`Error::InvalidInput`] when a commune sits above a district or the
    /// like (a child's level above its parent's), [`Error::Storage`].
    ///
    /// ```
    /// # use cchc::{Agency, AgencyCode, Store};
    /// let store = Store::temporary()?;
    /// let province = Agency::province(AgencyCode::new("000.00.00.H49")?, "UBND tỉnh Quảng Nam")?;
    /// store.agencies().insert(&province)?;
    /// assert_eq!(store.agencies().get(province.code())?, Some(province));
    /// # Ok::<(), cchc::Error>(())
    /// ```
    pub fn insert(&self, agency: &Agency) -> Result<()> {
        self.insert_all(std::slice::from_ref(agency))
    }

    /// Inserts several new agencies at once, all or nothing: in any order, each with its
    /// parent already stored or among them. Nothing is written when any of them is
    /// refused.
    ///
    /// # Errors
    /// As [`Agencies::insert`], and [`Error::InvalidInput`] when their parent links
    /// form a cycle.
    pub fn insert_all(&self, agencies: &[Agency]) -> Result<()> {
        let inner = &self.store.inner;
        let _guard = inner.catalog_write.lock().map_err(|_| poisoned())?;
        let (ordered, first_key) = {
            let catalog = inner.catalog.read().map_err(|_| poisoned())?;
            let mut batch: HashMap<&AgencyCode, &Agency> = HashMap::with_capacity(agencies.len());
            for agency in agencies {
                if catalog.agencies.contains_key(agency.code())
                    || batch.insert(agency.code(), agency).is_some()
                {
                    return Err(Error::Duplicate {
                        kind: RecordKind::Agency,
                        id: agency.code().to_string(),
                    });
                }
            }
            for agency in agencies {
                if let Some(parent) = agency.parent() {
                    let level = match batch.get(parent) {
                        Some(p) => p.level(),
                        None => catalog
                            .agencies
                            .get(parent)
                            .ok_or_else(|| not_found(RecordKind::Agency, parent))?
                            .agency
                            .level(),
                    };
                    if level > agency.level() {
                        return Err(Error::invalid(
                            "agency.level",
                            "a child cannot sit above its parent's level",
                        ));
                    }
                }
            }
            // Surrogates follow parent-first order, as a store built one by one has it.
            let ordered = crate::model::agency::parents_first(agencies).map_err(|stuck| {
                Error::invalid(
                    "agency.parent",
                    format!("the parent links of {} form a cycle", stuck.code()),
                )
            })?;
            (ordered, catalog.next_agency)
        };
        let mut rows = Vec::with_capacity(ordered.len());
        for (i, agency) in ordered.iter().enumerate() {
            rows.push((AgencyKey(first_key + i as u32), encode(&AgencyRecord::from(*agency))?));
        }
        (&inner.agencies, &inner.agency_codes)
            .transaction(|(stored, codes)| {
                for ((key, value), agency) in rows.iter().zip(&ordered) {
                    stored.insert(&key.0.to_be_bytes(), value.as_slice())?;
                    codes.insert(agency.code().as_str().as_bytes(), &key.0.to_be_bytes())?;
                }
                Ok(())
            })
            .map_err(tx_error)?;
        let mut catalog = inner.catalog.write().map_err(|_| poisoned())?;
        for ((key, _), agency) in rows.iter().zip(&ordered) {
            catalog.next_agency = key.0 + 1;
            catalog.agency_codes.insert(*key, agency.code().clone());
            catalog.agencies.insert(
                agency.code().clone(),
                AgencyEntry { key: *key, agency: (*agency).clone() },
            );
        }
        Ok(())
    }

    /// Replaces an agency's name, unit code or validity. Its parent and level, which
    /// decide how dossiers roll up, cannot change.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown code; [`Error::InvalidInput`] when the parent
    /// or level differs; [`Error::Storage`].
    pub fn update(&self, agency: &Agency) -> Result<()> {
        let inner = &self.store.inner;
        let _guard = inner.catalog_write.lock().map_err(|_| poisoned())?;
        let key = {
            let catalog = inner.catalog.read().map_err(|_| poisoned())?;
            let entry = catalog
                .agencies
                .get(agency.code())
                .ok_or_else(|| not_found(RecordKind::Agency, agency.code()))?;
            if entry.agency.parent() != agency.parent() || entry.agency.level() != agency.level() {
                return Err(Error::invalid(
                    "agency.parent",
                    "parent and level cannot change; add a new agency",
                ));
            }
            entry.key
        };
        inner.agencies.insert(key.0.to_be_bytes(), encode(&AgencyRecord::from(agency))?)?;
        let mut catalog = inner.catalog.write().map_err(|_| poisoned())?;
        catalog.agencies.insert(agency.code().clone(), AgencyEntry { key, agency: agency.clone() });
        Ok(())
    }

    /// Returns the agency with `code`, if any.
    pub fn get(&self, code: &AgencyCode) -> Result<Option<Agency>> {
        let catalog = self.store.inner.catalog.read().map_err(|_| poisoned())?;
        Ok(catalog.agencies.get(code).map(|e| e.agency.clone()))
    }

    /// Returns every agency, ordered by code.
    pub fn list(&self) -> Result<Vec<Agency>> {
        let catalog = self.store.inner.catalog.read().map_err(|_| poisoned())?;
        let mut all: Vec<Agency> = catalog.agencies.values().map(|e| e.agency.clone()).collect();
        all.sort_by(|a, b| a.code().cmp(b.code()));
        Ok(all)
    }

    /// Returns the direct children of `code`, ordered by code.
    pub fn children(&self, code: &AgencyCode) -> Result<Vec<Agency>> {
        Ok(self.list()?.into_iter().filter(|a| a.parent() == Some(code)).collect())
    }

    /// Returns how many agencies there are.
    pub fn len(&self) -> usize {
        self.store.inner.catalog.read().map_or(0, |c| c.agencies.len())
    }

    /// Returns whether there are no agencies.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The procedures of a store, with their versions.
#[derive(Debug, Clone, Copy)]
pub struct Procedures<'a> {
    pub(crate) store: &'a Store,
}

impl Procedures<'_> {
    /// Inserts a procedure version. A code may have several versions with different
    /// `effective_from` dates; a dossier is timed by the version in force on its
    /// receipt date.
    ///
    /// # Errors
    /// [`Error::Duplicate`] when a version of the code with the same effective date
    /// exists; [`Error::Storage`].
    pub fn insert(&self, procedure: &Procedure) -> Result<()> {
        let inner = &self.store.inner;
        let _guard = inner.catalog_write.lock().map_err(|_| poisoned())?;
        let (key, new_code, field_key, new_field) = {
            let catalog = inner.catalog.read().map_err(|_| poisoned())?;
            let (key, new_code) = match catalog.procedures.get(procedure.code()) {
                Some(entry) => {
                    if entry.versions.contains_key(&procedure.effective_from()) {
                        return Err(Error::Duplicate {
                            kind: RecordKind::Procedure,
                            id: format!("{} from {}", procedure.code(), procedure.effective_from()),
                        });
                    }
                    (entry.key, false)
                }
                None => (ProcedureKey(catalog.next_procedure), true),
            };
            let (field_key, new_field) = match catalog.fields.get(procedure.field()) {
                Some(&k) => (k, false),
                None => (FieldKey(catalog.next_field), true),
            };
            (key, new_code, field_key, new_field)
        };
        let value = encode(&ProcedureRecord::from(procedure))?;
        let version_key = procedure_version_key(key, procedure.effective_from());
        (&inner.procedures, &inner.procedure_codes, &inner.fields)
            .transaction(|(procedures, codes, fields)| {
                procedures.insert(&version_key, value.as_slice())?;
                if new_code {
                    codes.insert(procedure.code().as_str().as_bytes(), &key.0.to_be_bytes())?;
                }
                if new_field {
                    fields.insert(
                        procedure.field().as_str().as_bytes(),
                        &field_key.0.to_be_bytes(),
                    )?;
                }
                Ok(())
            })
            .map_err(tx_error)?;
        let mut catalog = inner.catalog.write().map_err(|_| poisoned())?;
        if new_code {
            catalog.next_procedure = key.0 + 1;
        }
        if new_field {
            catalog.next_field = field_key.0 + 1;
            catalog.fields.insert(procedure.field().clone(), field_key);
        }
        catalog
            .procedures
            .entry(procedure.code().clone())
            .or_insert_with(|| ProcedureEntry { key, versions: BTreeMap::new() })
            .versions
            .insert(procedure.effective_from(), procedure.clone());
        Ok(())
    }

    /// Returns the latest version of `code`, if any.
    pub fn get(&self, code: &ProcedureCode) -> Result<Option<Procedure>> {
        let catalog = self.store.inner.catalog.read().map_err(|_| poisoned())?;
        Ok(catalog.procedures.get(code).and_then(|e| e.versions.values().next_back().cloned()))
    }

    /// Returns the version of `code` in force on `date`, if any.
    pub fn get_on(&self, code: &ProcedureCode, date: Date) -> Result<Option<Procedure>> {
        let catalog = self.store.inner.catalog.read().map_err(|_| poisoned())?;
        Ok(catalog
            .procedures
            .get(code)
            .and_then(|e| e.versions.range(..=date).next_back().map(|(_, p)| p.clone())))
    }

    /// Returns every version of `code`, oldest first.
    pub fn versions(&self, code: &ProcedureCode) -> Result<Vec<Procedure>> {
        let catalog = self.store.inner.catalog.read().map_err(|_| poisoned())?;
        Ok(catalog
            .procedures
            .get(code)
            .map(|e| e.versions.values().cloned().collect())
            .unwrap_or_default())
    }

    /// Returns every version of every procedure, by code then date.
    pub fn all_versions(&self) -> Result<Vec<Procedure>> {
        let catalog = self.store.inner.catalog.read().map_err(|_| poisoned())?;
        let mut all: Vec<Procedure> =
            catalog.procedures.values().flat_map(|e| e.versions.values().cloned()).collect();
        all.sort_by(|a, b| (a.code(), a.effective_from()).cmp(&(b.code(), b.effective_from())));
        Ok(all)
    }

    /// Returns the procedures in force on `date` (the version in force of each code,
    /// leaving out codes abolished by then), ordered by code.
    pub fn in_force_on(&self, date: Date) -> Result<Vec<Procedure>> {
        let catalog = self.store.inner.catalog.read().map_err(|_| poisoned())?;
        let mut out: Vec<Procedure> = catalog
            .procedures
            .values()
            .filter_map(|e| e.versions.range(..=date).next_back().map(|(_, p)| p))
            .filter(|p| p.status() == ProcedureStatus::InForce)
            .cloned()
            .collect();
        out.sort_by(|a, b| a.code().cmp(b.code()));
        Ok(out)
    }

    /// Returns how many procedure codes there are.
    pub fn len(&self) -> usize {
        self.store.inner.catalog.read().map_or(0, |c| c.procedures.len())
    }

    /// Returns whether there are no procedures.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
