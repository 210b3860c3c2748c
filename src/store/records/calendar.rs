//! The frozen on-disk record of a calendar announcement.

use serde::{Deserialize, Serialize};
use time::Date;

use super::core::from_julian;
use crate::id::AgencyCode;
use crate::model::calendar::{AnnouncementScope, CalendarAnnouncement};
use crate::{Error, Result};

/// The frozen on-disk form of an announcement.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum CalendarAnnouncementRecord {
    /// Version 1.
    V1(CalendarAnnouncementV1),
}

/// Version 1 of a stored announcement: dates as Julian days.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CalendarAnnouncementV1 {
    /// The agency it is for, `None` for the country.
    pub agency: Option<String>,
    /// The decision or source.
    pub source: String,
    /// Days off.
    pub days_off: Vec<i32>,
    /// Weekend days worked.
    pub working_days: Vec<i32>,
}

impl From<&CalendarAnnouncement> for CalendarAnnouncementRecord {
    fn from(a: &CalendarAnnouncement) -> Self {
        Self::V1(CalendarAnnouncementV1 {
            agency: match a.scope() {
                AnnouncementScope::Country => None,
                AnnouncementScope::Agency(code) => Some(code.as_str().to_owned()),
            },
            source: a.source().to_owned(),
            days_off: a.days_off().iter().map(|d| d.to_julian_day()).collect(),
            working_days: a.working_days().iter().map(|d| d.to_julian_day()).collect(),
        })
    }
}

impl TryFrom<CalendarAnnouncementRecord> for CalendarAnnouncement {
    type Error = Error;
    fn try_from(record: CalendarAnnouncementRecord) -> Result<Self> {
        let CalendarAnnouncementRecord::V1(r) = record;
        let scope = match r.agency {
            None => AnnouncementScope::Country,
            Some(code) => AnnouncementScope::Agency(AgencyCode::new(&code)?),
        };
        let dates =
            |days: Vec<i32>| days.into_iter().map(from_julian).collect::<Result<Vec<Date>>>();
        CalendarAnnouncement::new(scope, &r.source, dates(r.days_off)?, dates(r.working_days)?)
    }
}
