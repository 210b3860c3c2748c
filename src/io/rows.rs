//! Rows shared by the CSV and JSON Lines readers: the fields of each record type, field
//! access with precise errors, and the names of enum values. `convert.rs` turns rows
//! into domain values and back; `importers.rs` writes them to the store.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use super::RecordType;
use super::options::{Column, Columns, ReadOptions};
use super::vietnamese::Terms;
use crate::model::agency::{AgencyKind, Level};
use crate::model::dossier::Channel;
use crate::model::procedure::{AnnouncementKind, OnlineLevel, ProcedureStatus};
use crate::model::time_limit::{TimeUnit, check_date, check_instant};
use crate::{Error, Result};

/// Rows of dossiers and events written per transaction unless told otherwise.
pub const DEFAULT_BATCH: usize = 1_000;

pub(crate) const AGENCY_FIELDS: &[&str] =
    &["code", "name", "kind", "level", "parent", "unit", "valid_from", "valid_to"];
pub(crate) const PROCEDURE_FIELDS: &[&str] = &[
    "code",
    "name",
    "field",
    "levels",
    "handling_agency",
    "limit",
    "limit_unit",
    "reduced_limit",
    "online",
    "full_online_eligible",
    "national_portal",
    "fee_bearing",
    "online_payment",
    "paper_result",
    "status",
    "effective_from",
    "announcement_number",
    "announcement_signed",
    "announcement_effective",
    "announcement_kind",
    "announcements",
];
pub(crate) const DOSSIER_FIELDS: &[&str] = &[
    "code",
    "procedure",
    "agency",
    "channel",
    "received_at",
    "digitised",
    "reused_data",
    "appointment",
    "receiving",
    "portal",
    "rule_set",
    "events",
];
pub(crate) const EVENT_FIELDS: &[&str] =
    &["dossier", "at", "action", "to", "reason", "new_appointment", "e_result", "online"];
pub(super) const NESTED_EVENT_FIELDS: &[&str] =
    &["at", "action", "to", "reason", "new_appointment", "e_result", "online"];
pub(super) const ANNOUNCEMENT_FIELDS: &[&str] = &["number", "signed", "effective", "kind"];

/// The fields of a record type's rows.
pub(crate) fn fields(record_type: RecordType) -> &'static [&'static str] {
    match record_type {
        RecordType::Agencies => AGENCY_FIELDS,
        RecordType::Procedures => PROCEDURE_FIELDS,
        RecordType::Dossiers => DOSSIER_FIELDS,
        RecordType::Events => EVENT_FIELDS,
        RecordType::Feedback => super::reform::FEEDBACK_FIELDS,
        RecordType::Assessments => super::reform::ASSESSMENT_FIELDS,
    }
}

/// The fields every row of a record type needs.
pub(crate) fn required(record_type: RecordType) -> &'static [&'static str] {
    match record_type {
        RecordType::Agencies => &["code", "name", "kind"],
        RecordType::Procedures => &["code", "name", "field", "limit"],
        RecordType::Dossiers => &["code", "procedure", "agency", "channel", "received_at"],
        RecordType::Events => &["dossier", "at", "action"],
        RecordType::Feedback => &["id", "agency", "received_at", "kind"],
        RecordType::Assessments => &["framework", "unit", "year", "leaf", "points"],
    }
}

/// One row of a file: named text values, plus nested JSON arrays.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub file: Arc<str>,
    pub line: u64,
    /// Prepended to field names in errors (`events[2].`).
    pub prefix: String,
    pub values: HashMap<String, String>,
    pub nested: HashMap<String, Vec<Value>>,
    /// The columns as the file names them, by field, where they differ.
    pub labels: Arc<HashMap<String, String>>,
    /// How values are read.
    pub read: ReadOptions,
}

impl Row {
    /// Builds a row from a JSON object, its keys read through `columns` (none for
    /// nested objects, whose keys are checked by their parser).
    pub fn from_json(
        file: Arc<str>,
        line: u64,
        prefix: String,
        object: Map<String, Value>,
        read: ReadOptions,
        columns: Option<&Columns<'_>>,
    ) -> Result<Self> {
        let mut row = Row {
            file,
            line,
            prefix,
            values: HashMap::new(),
            nested: HashMap::new(),
            labels: Arc::default(),
            read,
        };
        let mut labels: HashMap<String, String> = HashMap::new();
        for (key, value) in object {
            let key = match columns.map(|c| c.resolve(&key)) {
                None => key,
                Some(Ok(Column::Skip)) => continue,
                Some(Ok(Column::Field(field))) => {
                    if row.values.contains_key(field) || row.nested.contains_key(field) {
                        let first = labels.get(field).map_or(field, String::as_str);
                        return Err(row.error(
                            &key,
                            format!("gives the field {field} again (after {first})"),
                        ));
                    }
                    if key != field {
                        labels.insert(field.to_owned(), key);
                    }
                    field.to_owned()
                }
                Some(Err(reason)) => return Err(row.error(&key, reason)),
            };
            match value {
                Value::Null => {}
                Value::String(s) => {
                    row.values.insert(key, s);
                }
                Value::Bool(b) => {
                    row.values.insert(key, b.to_string());
                }
                Value::Number(n) => {
                    row.values.insert(key, n.to_string());
                }
                Value::Array(items) if items.iter().all(Value::is_string) => {
                    let joined: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                    row.values.insert(key.clone(), joined.join(";"));
                    row.nested.insert(key, items);
                }
                Value::Array(items) => {
                    row.nested.insert(key, items);
                }
                Value::Object(_) => return Err(row.error(&key, "must not be an object")),
            }
        }
        row.labels = Arc::new(labels);
        Ok(row)
    }

    /// An error about `field` of this row; a field read from a column named
    /// otherwise shows both (`Ngày tiếp nhận (received_at)`).
    pub fn error(&self, field: &str, reason: impl Into<String>) -> Error {
        let field = match self.labels.get(field) {
            Some(column) => format!("{}{column} ({field})", self.prefix),
            None => format!("{}{field}", self.prefix),
        };
        Error::Import { file: self.file.to_string(), line: self.line, field, reason: reason.into() }
    }

    /// Rejects fields the record type does not have (a misspelt column is an error,
    /// not silently ignored).
    pub fn check_known(&self, known: &[&str]) -> Result<()> {
        let mut names: Vec<&String> = self.values.keys().chain(self.nested.keys()).collect();
        names.sort();
        match names.into_iter().find(|k| !known.contains(&k.as_str())) {
            Some(unknown) => Err(self.error(
                unknown,
                format!("is not a field of this record type: expected {}", known.join(", ")),
            )),
            None => Ok(()),
        }
    }

    /// The trimmed value, `None` when absent or empty.
    pub fn opt(&self, field: &str) -> Option<&str> {
        self.values.get(field).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    pub fn req(&self, field: &str) -> Result<&str> {
        self.opt(field).ok_or_else(|| self.error(field, "is required"))
    }

    pub(super) fn map<T>(&self, field: &str, f: impl FnOnce(&str) -> Result<T>) -> Result<T> {
        let text = self.req(field)?;
        f(text).map_err(|e| self.error(field, e.to_string()))
    }

    pub(super) fn opt_map<T>(
        &self,
        field: &str,
        f: impl FnOnce(&str) -> Result<T>,
    ) -> Result<Option<T>> {
        match self.opt(field) {
            Some(text) => f(text).map(Some).map_err(|e| self.error(field, e.to_string())),
            None => Ok(None),
        }
    }

    /// The value of `field` among `choices` (English names), or among the
    /// Vietnamese names of `vi` when those are read.
    pub(super) fn choice<T: Copy>(
        &self,
        field: &str,
        choices: &[(&str, T)],
        vi: &Terms,
    ) -> Result<Option<T>> {
        let Some(text) = self.opt(field) else { return Ok(None) };
        pick(text, choices, vi, self.read).map(Some).map_err(|e| self.error(field, e))
    }

    pub(super) fn flag(&self, field: &str) -> Result<bool> {
        match self.opt(field).map(str::to_lowercase).as_deref() {
            None | Some("false" | "0" | "no" | "không") => Ok(false),
            Some("true" | "1" | "yes" | "có") => Ok(true),
            Some(other) => Err(self.error(field, format!("{other:?} is not true or false"))),
        }
    }

    pub(super) fn date(&self, field: &str) -> Result<Option<Date>> {
        let read = self.read;
        self.opt_map(field, |t| parse_date(t, read))
    }

    pub(super) fn instant(&self, field: &str) -> Result<OffsetDateTime> {
        let read = self.read;
        self.map(field, |t| parse_instant(t, read))
    }

    pub(super) fn opt_instant(&self, field: &str) -> Result<Option<OffsetDateTime>> {
        let read = self.read;
        self.opt_map(field, |t| parse_instant(t, read))
    }

    pub(super) fn amount(&self, field: &str) -> Result<Option<u32>> {
        self.opt_map(field, |t| {
            t.parse::<u32>()
                .map_err(|_| Error::invalid("amount", format!("{t:?} is not a whole number")))
        })
    }

    /// The nested objects of `field` (JSON only), as rows with the same line.
    pub fn nested_rows(&self, field: &str) -> Result<Vec<Row>> {
        let Some(items) = self.nested.get(field) else { return Ok(Vec::new()) };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Value::Object(object) = item else {
                return Err(self.error(&format!("{field}[{i}]"), "must be an object"));
            };
            out.push(Row::from_json(
                self.file.clone(),
                self.line,
                format!("{}{field}[{i}].", self.prefix),
                object.clone(),
                self.read,
                None,
            )?);
        }
        Ok(out)
    }
}

/// Picks the value `text` names among `choices` (English names, any case), or
/// among the Vietnamese names of `vi` when `read` says so; the reason otherwise.
pub(super) fn pick<T: Copy>(
    text: &str,
    choices: &[(&str, T)],
    vi: &Terms,
    read: ReadOptions,
) -> std::result::Result<T, String> {
    let english = if read.vietnamese { vi.find(text) } else { None };
    let key = english.map_or_else(|| text.to_ascii_lowercase(), str::to_owned);
    if let Some(&(_, v)) = choices.iter().find(|(name, _)| *name == key) {
        return Ok(v);
    }
    let names: Vec<&str> = choices.iter().map(|c| c.0).collect();
    let hint = match vi.find(text) {
        Some(english) if !read.vietnamese => format!(
            " (it is Vietnamese for {english}: ImportOptions::vietnamese_values() reads it)"
        ),
        _ if read.vietnamese => {
            let shown: Vec<&str> = vi.raw().iter().map(|t| t.0).take(6).collect();
            format!(" or a Vietnamese name such as {}", shown.join(", "))
        }
        _ => String::new(),
    };
    Err(format!("{text:?} is not one of {}{hint}", names.join(", ")))
}

/// Splits `d/M/yyyy` with an optional ` H:mm` or ` H:mm:ss`.
fn day_first(text: &str) -> Option<(Date, Option<time::Time>)> {
    let (day, clock) = match text.split_once(' ') {
        Some((day, clock)) => (day, Some(clock.trim())),
        None => (text, None),
    };
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = day.split('/').collect();
    let [d, m, y] = parts.as_slice() else { return None };
    let month = time::Month::try_from(u8::try_from(number(m, 1..=2)?).ok()?).ok()?;
    let year = i32::try_from(number(y, 4..=4)?).ok()?;
    let date = Date::from_calendar_date(year, month, u8::try_from(number(d, 1..=2)?).ok()?).ok()?;
    let clock = match clock {
        None => None,
        Some(clock) => {
            let parts: Vec<u32> =
                clock.split(':').map(|p| number(p, 1..=2)).collect::<Option<_>>()?;
            let (h, mi, sec) = match parts.as_slice() {
                [h, mi] => (*h, *mi, 0),
                [h, mi, sec] => (*h, *mi, *sec),
                _ => return None,
            };
            Some(time::Time::from_hms(h as u8, mi as u8, sec as u8).ok()?)
        }
    };
    Some((date, clock))
}

/// Parses a date: `YYYY-MM-DD`, or `dd/MM/yyyy` when `read` says so; inside the
/// supported range.
pub(super) fn parse_date(t: &str, read: ReadOptions) -> Result<Date> {
    let iso = Date::parse(t, format_description!("[year]-[month]-[day]"));
    let date = match (iso, read.day_first) {
        (Ok(date), _) => date,
        (Err(_), true) => match day_first(t) {
            Some((date, None)) => date,
            _ => {
                return Err(Error::invalid(
                    "date",
                    format!("{t:?} is not a dd/MM/yyyy or YYYY-MM-DD date"),
                ));
            }
        },
        (Err(e), false) => {
            let hint = if day_first(t).is_some() {
                " (dd/MM/yyyy dates are read with ImportOptions::day_first_dates())"
            } else {
                ""
            };
            return Err(Error::invalid(
                "date",
                format!("{t:?} is not a YYYY-MM-DD date: {e}{hint}"),
            ));
        }
    };
    check_date("date", date)?;
    Ok(date)
}

/// Parses an instant inside the supported range: RFC 3339 with an offset; when
/// `read` says so, also `YYYY-MM-DD HH:mm[:ss]` (or with `T`) and `dd/MM/yyyy
/// HH:mm[:ss]` without an offset, in Vietnam time.
pub(super) fn parse_instant(t: &str, read: ReadOptions) -> Result<OffsetDateTime> {
    let instant = match OffsetDateTime::parse(t, &Rfc3339) {
        Ok(instant) => instant,
        Err(e) => {
            let iso = time::PrimitiveDateTime::parse(
                &t.replacen('T', " ", 1),
                format_description!("[year]-[month]-[day] [hour]:[minute][optional [:[second]]]"),
            )
            .ok();
            let dmy = if read.day_first { day_first(t) } else { None };
            let local = iso.or_else(|| match dmy {
                Some((day, Some(clock))) => Some(time::PrimitiveDateTime::new(day, clock)),
                _ => None,
            });
            match (local, read.local) {
                (Some(local), true) => {
                    local.assume_offset(crate::model::time_limit::VIETNAM_OFFSET)
                }
                (Some(_), false) => {
                    return Err(Error::invalid(
                        "instant",
                        format!(
                            "{t:?} is not an RFC 3339 instant with offset: it has none \
                             (ImportOptions::local_instants() reads it as +07:00)"
                        ),
                    ));
                }
                (None, _) => {
                    let hint = match (dmy, day_first(t)) {
                        (Some((_, None)), _) => " (a date without a time of day)".to_owned(),
                        (None, Some(_)) => " (dd/MM/yyyy HH:mm is read with \
                                             ImportOptions::day_first_dates() and local_instants())"
                            .to_owned(),
                        _ => String::new(),
                    };
                    return Err(Error::invalid(
                        "instant",
                        format!("{t:?} is not an RFC 3339 instant with offset: {e}{hint}"),
                    ));
                }
            }
        }
    };
    check_instant("instant", instant)?;
    Ok(instant)
}

// ---------------------------------------------------------------------------
// Names

pub(super) const KINDS: &[(&str, AgencyKind)] = &[
    ("ministry", AgencyKind::Ministry),
    ("province", AgencyKind::Province),
    ("department", AgencyKind::Department),
    ("district", AgencyKind::District),
    ("commune", AgencyKind::Commune),
    ("one_stop_centre", AgencyKind::OneStopCentre),
];
pub(super) const LEVELS: &[(&str, Level)] = &[
    ("central", Level::Central),
    ("province", Level::Province),
    ("district", Level::District),
    ("commune", Level::Commune),
];
pub(super) const UNITS: &[(&str, TimeUnit)] = &[
    ("working_days", TimeUnit::WorkingDays),
    ("working_hours", TimeUnit::WorkingHours),
    ("calendar_days", TimeUnit::CalendarDays),
    ("months", TimeUnit::Months),
];
pub(super) const ONLINE: &[(&str, OnlineLevel)] =
    &[("none", OnlineLevel::None), ("partial", OnlineLevel::Partial), ("full", OnlineLevel::Full)];
pub(super) const STATUSES: &[(&str, ProcedureStatus)] =
    &[("in_force", ProcedureStatus::InForce), ("abolished", ProcedureStatus::Abolished)];
pub(super) const ANNOUNCEMENT_KINDS: &[(&str, AnnouncementKind)] = &[
    ("new", AnnouncementKind::New),
    ("amended", AnnouncementKind::Amended),
    ("replaced", AnnouncementKind::Replaced),
    ("abolished", AnnouncementKind::Abolished),
];
pub(super) const CHANNELS: &[(&str, Channel)] =
    &[("direct", Channel::Direct), ("online", Channel::Online), ("postal", Channel::Postal)];

pub(super) fn name_of<T: PartialEq + Copy>(
    choices: &[(&'static str, T)],
    value: T,
) -> &'static str {
    choices.iter().find(|c| c.1 == value).map_or("", |c| c.0)
}
