//! Receipts: a dossier as it arrives at the one-stop desk or the portal, and the rules
//! that open it (Circular 01/2018/TT-VPCP Art. 19 on the code, the agency and the
//! procedure version in force on the receipt day, the appointment from the calendar).

use time::OffsetDateTime;

use super::{Channel, Dossier, DossierHeader};
use crate::id::{AgencyCode, DossierCode, ProcedureCode};
use crate::model::agency::Agency;
use crate::model::calendar::{CountingMode, WorkCalendar};
use crate::model::procedure::{Procedure, ProcedureStatus};
use crate::model::rules::{Portal, RuleSet, RuleSetId};
use crate::model::time_limit::{check_instant, vietnam_date};
use crate::{Error, Result};

/// A dossier as it arrives at the one-stop desk or the portal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewDossier {
    /// The dossier code.
    pub code: DossierCode,
    /// The procedure applied for.
    pub procedure: ProcedureCode,
    /// The agency responsible at receipt.
    pub agency: AgencyCode,
    /// How it was submitted.
    pub channel: Channel,
    /// When it was received complete.
    #[serde(with = "crate::serde_forms::one")]
    pub received_at: OffsetDateTime,
    /// Whether its components were digitised at reception.
    pub digitised: bool,
    /// Whether digitised data was reused.
    pub reused_data: bool,
    /// The agency that received it when that is not `agency` (a service centre
    /// receiving for another agency, Decree 118/2025 Art. 14(2)); `None` otherwise.
    #[serde(default)]
    pub receiving: Option<AgencyCode>,
    /// The portal an online dossier was submitted through, when the source says it
    /// (Decree 118/2025 Art. 15(3): online means the national portal).
    #[serde(default)]
    pub portal: Option<Portal>,
    /// The rule set, when the source says it; `None` takes the one in force on the
    /// receipt date ([`RuleSet::in_force_on`]). An older rule set after its successor
    /// began is accepted (histories kept by older systems); a rule set before it begins
    /// is refused.
    #[serde(default)]
    pub rule_set: Option<RuleSetId>,
}

impl NewDossier {
    /// Opens the dossier this receipt describes: checks it against its resolving
    /// agency, its receiving point (when another agency received it) and the version of
    /// its procedure in force on the receipt day (which the caller looked up), fixes its
    /// rule set, and computes the appointment with `calendar`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the receipt instant is outside the supported range,
    /// the receipt date (Vietnam time) is not the date in the code, the agency or the
    /// receiving point does not exist on the receipt date, the rule set asked for is not
    /// yet in force, the procedure is abolished, or the due instant falls outside the
    /// supported range.
    pub fn open(
        &self,
        agency: &Agency,
        receiving: Option<&Agency>,
        procedure: &Procedure,
        calendar: &WorkCalendar,
        mode: CountingMode,
    ) -> Result<Dossier> {
        check_instant("dossier.received_at", self.received_at)?;
        let day = vietnam_date(self.received_at);
        // TT 01/2018 Art. 19: the code's YYMMDD is the receipt date. This also bounds
        // receipts to 2000–2099, inside the calendar's holiday tables.
        if self.code.date() != day {
            return Err(Error::invalid(
                "dossier.received_at",
                format!(
                    "{day} (Vietnam time) is not the receipt date {} in the code {}",
                    self.code.date(),
                    self.code
                ),
            ));
        }
        if !agency.is_valid_on(day) {
            return Err(Error::invalid(
                "dossier.agency",
                format!("{} does not exist on {day}", self.agency),
            ));
        }
        let rule_set = match self.rule_set {
            None => RuleSet::in_force_on(day).id,
            Some(id) => {
                let rules = RuleSet::get(id);
                if rules.from.is_some_and(|from| day < from) {
                    return Err(Error::invalid(
                        "dossier.rule_set",
                        format!("{} is not in force on {day}", rules.name()),
                    ));
                }
                id
            }
        };
        // A receiving point that is the resolving agency itself is no other point.
        let receiving = match (receiving, &self.receiving) {
            (_, None) => None,
            (_, Some(code)) if *code == self.agency => None,
            (Some(point), Some(code)) if point.code() == code => {
                if !point.is_valid_on(day) {
                    return Err(Error::invalid(
                        "dossier.receiving",
                        format!("{code} does not exist on {day}"),
                    ));
                }
                Some(code.clone())
            }
            (_, Some(code)) => {
                return Err(Error::NotFound {
                    kind: crate::RecordKind::Agency,
                    id: code.to_string(),
                });
            }
        };
        if let Some(portal) = self.portal {
            if self.channel != Channel::Online {
                return Err(Error::invalid(
                    "dossier.portal",
                    "only an online dossier has a portal",
                ));
            }
            let rules = RuleSet::get(rule_set);
            if !rules.allows_portal(portal, day) {
                return Err(Error::invalid(
                    "dossier.portal",
                    format!(
                        "the {} portal is not an online channel for dossiers received on {day} under {}",
                        portal.token(),
                        rules.name()
                    ),
                ));
            }
        }
        if procedure.status() == ProcedureStatus::Abolished {
            return Err(Error::invalid(
                "dossier.procedure",
                format!("{} is abolished on {day}", self.procedure),
            ));
        }
        let limit = procedure.limit();
        let appointment = calendar.due_instant(self.received_at, limit, mode)?;
        let header = DossierHeader {
            code: self.code.clone(),
            procedure: self.procedure.clone(),
            field: procedure.field().clone(),
            agency: self.agency.clone(),
            channel: self.channel,
            limit,
            fee_bearing: procedure.fee_bearing(),
            paper_result: procedure.paper_result(),
            digitised: self.digitised,
            reused_data: self.reused_data,
            receiving,
            portal: self.portal,
            rule_set,
        };
        Dossier::open(header, self.received_at, appointment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dossier::Action;
    use time::macros::datetime;

    #[test]
    fn receipts_and_actions_read_as_json() {
        let new = NewDossier {
            code: DossierCode::new("000.00.01.H49-240304-0001").unwrap(),
            procedure: ProcedureCode::new("1.004227").unwrap(),
            agency: AgencyCode::new("000.00.01.H49").unwrap(),
            channel: Channel::Online,
            received_at: datetime!(2024-03-04 02:00 UTC),
            digitised: true,
            reused_data: false,
            receiving: None,
            portal: None,
            rule_set: None,
        };
        let json = serde_json::to_string(&new).unwrap();
        assert!(json.contains(r#""received_at":"2024-03-04T09:00:00+07:00""#), "{json}");
        assert!(json.contains(r#""channel":"online""#), "{json}");
        assert_eq!(serde_json::from_str::<NewDossier>(&json).unwrap(), new);
        let extend = Action::Extend {
            new_appointment: datetime!(2024-03-08 10:00 +07:00),
            reason: "xin lỗi".into(),
        };
        let json = serde_json::to_string(&extend).unwrap();
        assert_eq!(
            json,
            r#"{"extend":{"new_appointment":"2024-03-08T10:00:00+07:00","reason":"xin lỗi"}}"#
        );
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), extend);
        assert_eq!(serde_json::to_string(&Action::ReturnResult).unwrap(), r#""return_result""#);
    }
}
