//! Rows shared by the CSV and JSON Lines readers: field access with precise
//! errors, conversion to and from domain values, and the importers.

use crate::model::rules::{Portal, RULE_SETS, RuleSet};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use super::options::{Column, Columns, ReadOptions};
use super::vietnamese::{self, Terms};
use super::{FileReport, RecordType};
use crate::id::{AdminUnitCode, AgencyCode, DossierCode, Field, ProcedureCode};
use crate::model::agency::{Agency, AgencyKind, Level};
use crate::model::dossier::{Action, NewDossier};
use crate::model::dossier::{Channel, Dossier};
use crate::model::procedure::{
    Announcement, AnnouncementKind, OnlineLevel, Procedure, ProcedureStatus,
};
use crate::model::time_limit::{TimeLimit, TimeUnit, check_date, check_instant};
use crate::store::Store;
use crate::{Error, RecordKind, Result};

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
const NESTED_EVENT_FIELDS: &[&str] =
    &["at", "action", "to", "reason", "new_appointment", "e_result", "online"];
const ANNOUNCEMENT_FIELDS: &[&str] = &["number", "signed", "effective", "kind"];

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

    fn date(&self, field: &str) -> Result<Option<Date>> {
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

    fn amount(&self, field: &str) -> Result<Option<u32>> {
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

const KINDS: &[(&str, AgencyKind)] = &[
    ("ministry", AgencyKind::Ministry),
    ("province", AgencyKind::Province),
    ("department", AgencyKind::Department),
    ("district", AgencyKind::District),
    ("commune", AgencyKind::Commune),
    ("one_stop_centre", AgencyKind::OneStopCentre),
];
const LEVELS: &[(&str, Level)] = &[
    ("central", Level::Central),
    ("province", Level::Province),
    ("district", Level::District),
    ("commune", Level::Commune),
];
const UNITS: &[(&str, TimeUnit)] = &[
    ("working_days", TimeUnit::WorkingDays),
    ("working_hours", TimeUnit::WorkingHours),
    ("calendar_days", TimeUnit::CalendarDays),
    ("months", TimeUnit::Months),
];
const ONLINE: &[(&str, OnlineLevel)] =
    &[("none", OnlineLevel::None), ("partial", OnlineLevel::Partial), ("full", OnlineLevel::Full)];
const STATUSES: &[(&str, ProcedureStatus)] =
    &[("in_force", ProcedureStatus::InForce), ("abolished", ProcedureStatus::Abolished)];
const ANNOUNCEMENT_KINDS: &[(&str, AnnouncementKind)] = &[
    ("new", AnnouncementKind::New),
    ("amended", AnnouncementKind::Amended),
    ("replaced", AnnouncementKind::Replaced),
    ("abolished", AnnouncementKind::Abolished),
];
const CHANNELS: &[(&str, Channel)] =
    &[("direct", Channel::Direct), ("online", Channel::Online), ("postal", Channel::Postal)];

fn name_of<T: PartialEq + Copy>(choices: &[(&'static str, T)], value: T) -> &'static str {
    choices.iter().find(|c| c.1 == value).map_or("", |c| c.0)
}

// ---------------------------------------------------------------------------
// Rows to domain values

pub(super) fn agency_code(row: &Row, field: &str) -> Result<AgencyCode> {
    row.map(field, AgencyCode::new)
}

pub(crate) fn agency(row: &Row) -> Result<Agency> {
    row.check_known(AGENCY_FIELDS)?;
    let code = agency_code(row, "code")?;
    let name = row.req("name")?;
    let kind = row
        .choice("kind", KINDS, &vietnamese::KINDS)?
        .ok_or_else(|| row.error("kind", "is required"))?;
    let default_level = match kind {
        AgencyKind::Ministry => Some(Level::Central),
        AgencyKind::Province | AgencyKind::Department => Some(Level::Province),
        AgencyKind::District => Some(Level::District),
        AgencyKind::Commune => Some(Level::Commune),
        AgencyKind::OneStopCentre => None,
    };
    let level = row
        .choice("level", LEVELS, &vietnamese::LEVELS)?
        .or(default_level)
        .ok_or_else(|| row.error("level", "is required for a one-stop centre"))?;
    let parent = match row.opt("parent") {
        Some(_) => Some(agency_code(row, "parent")?),
        None => None,
    };
    let mut agency = Agency::new(code, name, kind, level, parent.as_ref())
        .map_err(|e| row.error(field_of(&e, "name"), e.to_string()))?;
    if let Some(unit) = row.opt_map("unit", AdminUnitCode::new)? {
        agency = agency.with_unit(unit);
    }
    let (from, to) = (row.date("valid_from")?, row.date("valid_to")?);
    if from.is_some() || to.is_some() {
        agency =
            agency.with_validity(from, to).map_err(|e| row.error("valid_to", e.to_string()))?;
    }
    Ok(agency)
}

/// The row field an `InvalidInput` error of a constructor is about.
fn field_of<'a>(e: &Error, default: &'a str) -> &'a str {
    match e {
        Error::InvalidInput { field, .. } => match *field {
            "agency.parent" => "parent",
            "agency.valid_to" => "valid_to",
            "procedure.reduced_limit" => "reduced_limit",
            "procedure.online_payment" => "online_payment",
            "procedure.handling_agency" => "handling_agency",
            "procedure.field" => "field",
            "announcement.effective" => "announcement_effective",
            "announcement.number" => "announcement_number",
            _ => default,
        },
        _ => default,
    }
}

fn announcement(row: &Row, prefix: &str) -> Result<Option<Announcement>> {
    let f = |name: &str| format!("{prefix}{name}");
    let Some(number) = row.opt(&f("number")) else {
        for other in ["signed", "effective", "kind"] {
            if row.opt(&f(other)).is_some() {
                return Err(
                    row.error(&f("number"), "is required with the other announcement fields")
                );
            }
        }
        return Ok(None);
    };
    let signed = row.date(&f("signed"))?.ok_or_else(|| row.error(&f("signed"), "is required"))?;
    let effective = row.date(&f("effective"))?.unwrap_or(signed);
    let kind = row
        .choice(&f("kind"), ANNOUNCEMENT_KINDS, &vietnamese::ANNOUNCEMENT_KINDS)?
        .unwrap_or(AnnouncementKind::New);
    Ok(Some(Announcement { number: number.to_owned(), signed, effective, kind }))
}

pub(crate) fn procedure(row: &Row) -> Result<Procedure> {
    row.check_known(PROCEDURE_FIELDS)?;
    let code = row.map("code", ProcedureCode::new)?;
    let name = row.req("name")?;
    let field = row.map("field", Field::new)?;
    let amount = row.amount("limit")?.ok_or_else(|| row.error("limit", "is required"))?;
    let unit =
        row.choice("limit_unit", UNITS, &vietnamese::UNITS)?.unwrap_or(TimeUnit::WorkingDays);
    let mut levels = Vec::new();
    if let Some(text) = row.opt("levels") {
        for part in text.split([';', '|']).map(str::trim).filter(|p| !p.is_empty()) {
            let level = pick(part, LEVELS, &vietnamese::LEVELS, row.read)
                .map_err(|e| row.error("levels", e))?;
            levels.push(level);
        }
    }
    let mut b = Procedure::builder(code, name, field, TimeLimit { amount, unit })
        .levels(&levels)
        .online(row.choice("online", ONLINE, &vietnamese::ONLINE)?.unwrap_or(OnlineLevel::None))
        .full_online_eligible(row.flag("full_online_eligible")?)
        .national_portal(row.flag("national_portal")?)
        .fee(row.flag("fee_bearing")?, row.flag("online_payment")?)
        .paper_result(row.flag("paper_result")?)
        .status(
            row.choice("status", STATUSES, &vietnamese::STATUSES)?
                .unwrap_or(ProcedureStatus::InForce),
        );
    if let Some(agency) = row.opt("handling_agency") {
        b = b.handling_agency(agency);
    }
    if let Some(reduced) = row.amount("reduced_limit")? {
        b = b.reduced_limit(TimeLimit { amount: reduced, unit });
    }
    if let Some(from) = row.date("effective_from")? {
        b = b.effective_from(from);
    }
    if let Some(a) = announcement(row, "announcement_")? {
        b = b.announcement(a);
    }
    for nested in row.nested_rows("announcements")? {
        nested.check_known(ANNOUNCEMENT_FIELDS)?;
        if let Some(a) = announcement(&nested, "")? {
            b = b.announcement(a);
        }
    }
    b.build().map_err(|e| row.error(field_of(&e, "name"), e.to_string()))
}

pub(crate) fn new_dossier(row: &Row) -> Result<NewDossier> {
    row.check_known(DOSSIER_FIELDS)?;
    let new = NewDossier {
        code: row.map("code", DossierCode::new)?,
        procedure: row.map("procedure", ProcedureCode::new)?,
        agency: agency_code(row, "agency")?,
        channel: row
            .choice("channel", CHANNELS, &vietnamese::CHANNELS)?
            .ok_or_else(|| row.error("channel", "is required"))?,
        received_at: row.instant("received_at")?,
        digitised: row.flag("digitised")?,
        reused_data: row.flag("reused_data")?,
        receiving: row.opt_map("receiving", AgencyCode::new)?,
        portal: match row.opt("portal") {
            Some(token) => Some(
                Portal::ALL
                    .into_iter()
                    .find(|p| p.token() == token.to_ascii_lowercase())
                    .ok_or_else(|| {
                        row.error(
                            "portal",
                            format!("{token:?} is not one of national, ministry, province, vneid"),
                        )
                    })?,
            ),
            None => None,
        },
        rule_set: match row.opt("rule_set") {
            Some(token) => Some(RuleSet::by_token(token).map(|r| r.id).ok_or_else(|| {
                row.error(
                    "rule_set",
                    format!(
                        "{token:?} is not one of {}",
                        RULE_SETS.iter().map(|r| r.token).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?),
            None => row.read.default_rule_set,
        },
    };
    // The appointment an export shows (Ngày hẹn trả) is checked to be a date or an
    // instant, then left out: the store computes its own from the procedure's
    // limit and its calendar, and a report must not mix the two.
    let read = row.read;
    row.opt_map("appointment", |t| {
        parse_date(t, read).map(drop).or_else(|_| parse_instant(t, read).map(drop))
    })?;
    Ok(new)
}

fn reason(row: &Row, required: bool) -> Result<String> {
    let text = match row.opt("reason") {
        Some(t) => t.to_owned(),
        None if required => return Err(row.error("reason", "is required for this action")),
        None => String::new(),
    };
    if text.chars().count() > 2000 {
        return Err(row.error("reason", "must be at most 2000 characters"));
    }
    crate::model::text::check_shown("event.reason", &text, true)
        .map_err(|e| row.error("reason", e.to_string()))?;
    Ok(text)
}

pub(crate) fn action(row: &Row) -> Result<(OffsetDateTime, Action)> {
    let at = row.instant("at")?;
    let text = row.req("action")?;
    let english = if row.read.vietnamese { vietnamese::ACTIONS.find(text) } else { None };
    let name = english.map_or_else(|| text.to_ascii_lowercase(), str::to_owned);
    let action = match name.as_str() {
        "transfer" => Action::Transfer { to: agency_code(row, "to")? },
        "request_supplement" => Action::RequestSupplement { reason: reason(row, false)? },
        "supplement" => Action::Supplement,
        "extend" => {
            let new_appointment = row.instant("new_appointment")?;
            if new_appointment < at {
                return Err(row.error("new_appointment", "is before the apology that gives it"));
            }
            Action::Extend { new_appointment, reason: reason(row, false)? }
        }
        "refuse" => Action::Refuse { reason: reason(row, false)? },
        "resolve" => Action::Resolve { e_result: row.flag("e_result")? },
        "return_result" => Action::ReturnResult,
        "withdraw" => Action::Withdraw,
        "close_unsupplemented" => Action::CloseUnsupplemented,
        "stop" => Action::Stop,
        "pay" => Action::Pay { online: row.flag("online")? },
        _ => {
            let names: [(&str, ()); 11] = [
                ("transfer", ()),
                ("request_supplement", ()),
                ("supplement", ()),
                ("extend", ()),
                ("refuse", ()),
                ("resolve", ()),
                ("return_result", ()),
                ("withdraw", ()),
                ("close_unsupplemented", ()),
                ("stop", ()),
                ("pay", ()),
            ];
            let reason = pick(text, &names, &vietnamese::ACTIONS, row.read)
                .err()
                .unwrap_or_else(|| format!("{text:?} is not an action"));
            return Err(row.error("action", reason));
        }
    };
    Ok((at, action))
}

// ---------------------------------------------------------------------------
// Domain values to rows (export)

fn date_text(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

/// An instant as RFC 3339 in Vietnam time (`2024-03-04T08:15:00+07:00`).
pub(crate) fn instant_text(t: OffsetDateTime) -> String {
    t.checked_to_offset(crate::model::time_limit::VIETNAM_OFFSET)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

fn put(map: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    map.insert(key.to_owned(), value.into());
}

pub(crate) fn agency_json(a: &Agency) -> Map<String, Value> {
    let mut m = Map::new();
    put(&mut m, "code", a.code().as_str());
    put(&mut m, "name", a.name());
    put(&mut m, "kind", name_of(KINDS, a.kind()));
    put(&mut m, "level", name_of(LEVELS, a.level()));
    if let Some(p) = a.parent() {
        put(&mut m, "parent", p.as_str());
    }
    if let Some(u) = a.unit() {
        put(&mut m, "unit", u.as_str());
    }
    if let Some(d) = a.valid_from() {
        put(&mut m, "valid_from", date_text(d));
    }
    if let Some(d) = a.valid_to() {
        put(&mut m, "valid_to", date_text(d));
    }
    m
}

pub(crate) fn procedure_json(p: &Procedure) -> Map<String, Value> {
    let mut m = Map::new();
    put(&mut m, "code", p.code().as_str());
    put(&mut m, "name", p.name());
    put(&mut m, "field", p.field().as_str());
    let levels: Vec<Value> = p.levels().iter().map(|&l| Value::from(name_of(LEVELS, l))).collect();
    put(&mut m, "levels", levels);
    if let Some(a) = p.handling_agency() {
        put(&mut m, "handling_agency", a);
    }
    put(&mut m, "limit", p.central_limit().amount);
    put(&mut m, "limit_unit", name_of(UNITS, p.central_limit().unit));
    if let Some(r) = p.reduced_limit() {
        put(&mut m, "reduced_limit", r.amount);
    }
    put(&mut m, "online", name_of(ONLINE, p.online()));
    put(
        &mut m,
        "full_online_eligible",
        p.full_online_eligible() && p.online() != OnlineLevel::Full,
    );
    put(&mut m, "national_portal", p.national_portal());
    put(&mut m, "fee_bearing", p.fee_bearing());
    put(&mut m, "online_payment", p.online_payment());
    put(&mut m, "paper_result", p.paper_result());
    put(&mut m, "status", name_of(STATUSES, p.status()));
    if p.effective_from() != Date::MIN {
        put(&mut m, "effective_from", date_text(p.effective_from()));
    }
    if !p.announcements().is_empty() {
        let list: Vec<Value> = p
            .announcements()
            .iter()
            .map(|a| {
                let mut o = Map::new();
                put(&mut o, "number", a.number.as_str());
                put(&mut o, "signed", date_text(a.signed));
                put(&mut o, "effective", date_text(a.effective));
                put(&mut o, "kind", name_of(ANNOUNCEMENT_KINDS, a.kind));
                Value::Object(o)
            })
            .collect();
        put(&mut m, "announcements", list);
    }
    m
}

/// An action as a row (without the dossier code).
pub(crate) fn action_json(at: OffsetDateTime, action: &Action) -> Map<String, Value> {
    let mut m = Map::new();
    put(&mut m, "at", instant_text(at));
    let name = match action {
        Action::Transfer { to } => {
            put(&mut m, "to", to.as_str());
            "transfer"
        }
        Action::RequestSupplement { reason } => {
            put(&mut m, "reason", reason.as_str());
            "request_supplement"
        }
        Action::Supplement => "supplement",
        Action::Extend { new_appointment, reason } => {
            put(&mut m, "new_appointment", instant_text(*new_appointment));
            put(&mut m, "reason", reason.as_str());
            "extend"
        }
        Action::Refuse { reason } => {
            put(&mut m, "reason", reason.as_str());
            "refuse"
        }
        Action::Resolve { e_result } => {
            put(&mut m, "e_result", *e_result);
            "resolve"
        }
        Action::ReturnResult => "return_result",
        Action::Withdraw => "withdraw",
        Action::CloseUnsupplemented => "close_unsupplemented",
        Action::Stop => "stop",
        Action::Pay { online } => {
            put(&mut m, "online", *online);
            "pay"
        }
    };
    // Keep `action` right after `at` for readers of the file.
    let mut ordered = Map::new();
    if let Some(at) = m.remove("at") {
        ordered.insert("at".to_owned(), at);
    }
    put(&mut ordered, "action", name);
    ordered.extend(m);
    ordered
}

/// A dossier as a row with its events nested.
pub(crate) fn dossier_json(d: &Dossier) -> Map<String, Value> {
    let h = d.header();
    let mut m = Map::new();
    put(&mut m, "code", h.code.as_str());
    put(&mut m, "procedure", h.procedure.as_str());
    put(&mut m, "agency", h.agency.as_str());
    put(&mut m, "channel", name_of(CHANNELS, h.channel));
    put(&mut m, "received_at", instant_text(d.received_at()));
    put(&mut m, "digitised", h.digitised);
    put(&mut m, "reused_data", h.reused_data);
    if let Some(receiving) = &h.receiving {
        put(&mut m, "receiving", receiving.as_str());
    }
    if let Some(portal) = h.portal {
        put(&mut m, "portal", portal.token());
    }
    put(&mut m, "rule_set", d.rules().token);
    let events: Vec<Value> = d
        .events()
        .iter()
        .filter_map(|e| Action::of_event(&e.kind).map(|a| Value::Object(action_json(e.at, &a))))
        .collect();
    put(&mut m, "events", events);
    m
}

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
