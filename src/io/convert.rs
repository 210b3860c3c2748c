//! Rows to domain values, and domain values to rows (for export and backup).

use crate::model::rules::{Portal, RULE_SETS, RuleSet};

use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use super::vietnamese;
use crate::id::{AdminUnitCode, AgencyCode, DossierCode, Field, ProcedureCode};
use crate::model::agency::{Agency, AgencyKind, Level};
use crate::model::dossier::Dossier;
use crate::model::dossier::{Action, NewDossier};
use crate::model::procedure::{
    Announcement, AnnouncementKind, OnlineLevel, Procedure, ProcedureStatus,
};
use crate::model::time_limit::{TimeLimit, TimeUnit};
use crate::{Error, Result};

/// Rows of dossiers and events written per transaction unless told otherwise.
use super::rows::{
    AGENCY_FIELDS, ANNOUNCEMENT_FIELDS, ANNOUNCEMENT_KINDS, CHANNELS, DOSSIER_FIELDS, KINDS,
    LEVELS, ONLINE, PROCEDURE_FIELDS, Row, STATUSES, UNITS, name_of, parse_date, parse_instant,
    pick,
};

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

pub(super) fn date_text(d: Date) -> String {
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
