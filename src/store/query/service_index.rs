//! The Decision 766 index of a scope and period, measured from the store: dossier
//! indicators from the maintained counters, catalogue indicators from the
//! procedures in force, feedback indicators from the feedback collection, and the
//! indicators that need one pass over the dossiers (2.2, 3.2, 3.5b).

use std::collections::{BTreeMap, BTreeSet};

use crate::id::{AgencyCode, DossierCode, ProcedureCode};
use crate::metrics::catalogue::elapsed_in;
use crate::metrics::report::Ratio;
use crate::metrics::scores::{Ranking, rank_units};
use crate::metrics::service_index::{
    DossierIndicator, Measurement, ScopeTest, ServiceIndex, Trace, dossier_ratios,
};
use crate::model::agency::Level;
use crate::model::dossier::{Channel, EventKind};
use crate::model::procedure::{OnlineLevel, Procedure};
use crate::model::scope::{Period, Scope};
use crate::model::score::{IndexFramework, decision766_portal};
use crate::model::time_limit::{TimeUnit, vietnam_date};
use crate::store::Store;
use crate::store::tx::not_found;
use crate::{Error, RecordKind, Result};

/// Working days a province (or lower) has between signing an announcement and
/// its effective date for 1.1 to be on time (DOMAIN §1.3).
const ANNOUNCE_DAYS_LOCAL: i64 = 5;
/// The same for a ministry (central level).
const ANNOUNCE_DAYS_CENTRAL: i64 = 20;

fn no_data(reason: &str) -> Measurement {
    Measurement::NoData(reason.to_owned())
}

fn ratio(numerator: usize, denominator: usize) -> Measurement {
    Measurement::Ratio(Ratio::new(numerator as u64, denominator as u64))
}

/// What one pass over the scope's dossiers measures.
#[derive(Debug, Default)]
struct Scan {
    /// Working days from receipt to resolution of the dossiers resolved in the period.
    resolution_days: Vec<f64>,
    /// Procedures with an online dossier received in the period.
    online_received: BTreeSet<ProcedureCode>,
    /// Procedures with a dossier paid online in the period.
    paid_online: BTreeSet<ProcedureCode>,
}

impl Store {
    /// Returns the Decision 766 index of `scope` over `period` under the portal
    /// layout ([`decision766_portal`]). See [`Store::service_index_with`].
    ///
    /// # Errors
    /// As [`Store::service_index_with`].
    ///
    /// ```
    /// # use cchc::*;
    /// # use time::macros::datetime;
    /// let store = Store::temporary()?;
    /// let province = AgencyCode::new("000.00.00.H49")?;
    /// store.agencies().insert(&Agency::province(province.clone(), "UBND tỉnh Quảng Nam")?)?;
    /// store.procedures().insert(&Procedure::builder(ProcedureCode::new("1.004227")?,
    ///     "Đăng ký khai sinh", Field::new("Hộ tịch")?, TimeLimit::working_days(3)).build()?)?;
    /// let code = DossierCode::new("000.00.00.H49-240105-0001")?;
    /// store.dossiers().receive(&NewDossier { code: code.clone(),
    ///     procedure: ProcedureCode::new("1.004227")?, agency: province.clone(),
    ///     channel: Channel::Online, received_at: datetime!(2024-01-05 09:00 +07:00),
    ///     digitised: true, reused_data: false, receiving: None, portal: None, rule_set: None })?;
    /// store.dossiers().resolve(&code, datetime!(2024-01-08 10:00 +07:00), cchc::model::dossier::ResultForm::Electronic)?;
    ///
    /// let index = store.service_index(&Scope::subtree(&province), Period::month(2024, 1)?)?;
    /// let on_time = index.indicator("2.1").expect("the portal layout has 2.1");
    /// assert_eq!(on_time.points, Some(20.0));
    /// // No feedback is stored: 5.2 is not scored, and says so.
    /// assert_eq!(index.indicator("5.2").and_then(|i| i.points), None);
    /// # Ok::<(), cchc::Error>(())
    /// ```
    pub fn service_index(&self, scope: &Scope, period: Period) -> Result<ServiceIndex> {
        self.service_index_with(&decision766_portal(), scope, period)
    }

    /// Returns the Decision 766 index of `scope` over `period` scored under
    /// `framework` (the portal layout, or a copy whose caller-supplied maxima are
    /// filled with [`IndexFramework::with_max_points`]). Indicators are matched by
    /// id; a leaf the store cannot measure is not scored, with the reason.
    ///
    /// What is measured, and from what (ratios name numerator and denominator):
    ///
    /// - **1.1** procedures announced on time / procedures with an announcement
    ///   signed in the period (a procedure counts once, late if any of its
    ///   announcements is): on time = at least 5 working days (20 for a
    ///   central-level scope) from signing to the announcement's effective date.
    ///   \[I\] The source measures against the effective date of the legal basis,
    ///   which the model does not hold; the announcement's own effective date
    ///   stands in for it.
    /// - **1.2, 1.3, 1.4**: no data (publication dates on the national database,
    ///   published components and portal synchronisation are not in the model).
    /// - **2.1** on time under [`ClockRule::Subtract`](crate::ClockRule::Subtract),
    ///   from counters (see [`DossierIndicator::membership`]). **2.2** mean working
    ///   days from receipt to resolution of the dossiers resolved in the period
    ///   (tracked, 0 points).
    /// - **3.1** procedures with an online service / procedures in force on the
    ///   period's last day; **3.2** online procedures with an online dossier
    ///   received in the period / online procedures; **CLGQ.toan-trinh** full
    ///   online procedures / procedures eligible for it (\[I\] the source counts
    ///   dossiers; the model records eligibility per procedure, so this is the
    ///   procedure-level reading); **3.3** received online / received.
    /// - **3.5** fee-bearing procedures with online payment integrated /
    ///   fee-bearing procedures; **3.5b** fee-bearing procedures with a dossier
    ///   paid online in the period / fee-bearing procedures; **3.6** paid online /
    ///   fee-bearing dossiers received, from counters.
    /// - **4.1** electronic results / resolved dossiers of paper-result
    ///   procedures; **4.2** digitised / received; **4.3** reused data / received.
    ///   **4.4, 4.5a, 4.5b, MDSH.chung-thuc**: no data.
    /// - **5.1, 5.2, 5.3** from the stored feedback of the scope's agencies
    ///   ([`Store::feedback_stats`]): share about regulations, handled on time,
    ///   satisfied. A field or procedure scope has no feedback (no data).
    ///   **5.4** = 100 % − late rate over the 2.1 denominator: feedback items are
    ///   not linked to dossiers, so "dossiers with feedback or a dislike" cannot be
    ///   subtracted; it is therefore the 2.1 ratio scored with 5.4's threshold.
    ///
    /// Procedures count for an agency scope when one of their competent levels is
    /// the level of an agency in the scope (no levels = every level).
    ///
    /// Cost: counter reads as for [`Store::report`], the in-memory catalogue, one
    /// scan of the feedback items and **one scan of every dossier** (2.2, 3.2, 3.5b).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown agency or procedure in `scope`;
    /// [`Error::Corrupt`] or [`Error::Storage`] from the reads.
    pub fn service_index_with(
        &self,
        framework: &IndexFramework,
        scope: &Scope,
        period: Period,
    ) -> Result<ServiceIndex> {
        let start = self.scope_counts(scope, period.from())?;
        let end = self.scope_counts(scope, period.end_day())?;
        let test = ScopeTest::new(scope, &self.agencies().list()?);
        let mut m: BTreeMap<String, Measurement> = BTreeMap::new();
        for (indicator, r) in dossier_ratios(&start, &end) {
            m.insert(indicator.id().to_owned(), Measurement::Ratio(r));
        }

        // Catalogue indicators over the procedures in force at the period's end.
        let in_force: Vec<Procedure> = self
            .procedures()
            .in_force_on(period.to())?
            .into_iter()
            .filter(|p| test.covers_procedure(p))
            .collect();
        let count = |f: &dyn Fn(&Procedure) -> bool| in_force.iter().filter(|p| f(p)).count();
        let online = count(&|p| p.online().is_online());
        let fee_bearing = count(&|p| p.fee_bearing());
        m.insert("3.1".to_owned(), ratio(online, in_force.len()));
        m.insert(
            "CLGQ.toan-trinh".to_owned(),
            ratio(
                count(&|p| p.full_online_eligible() && p.online() == OnlineLevel::Full),
                count(&|p| p.full_online_eligible()),
            ),
        );
        m.insert(
            "3.5".to_owned(),
            ratio(count(&|p| p.fee_bearing() && p.online_payment()), fee_bearing),
        );
        m.insert("1.1".to_owned(), self.announcement_timeliness(&test, period)?);
        m.insert(
            "1.2".to_owned(),
            no_data("publication dates on the national database are not in the procedure model"),
        );
        m.insert(
            "1.3".to_owned(),
            no_data("the published components of a procedure are not in the procedure model"),
        );
        m.insert(
            "1.4".to_owned(),
            no_data("synchronisation with the national portal is not recorded"),
        );
        for id in ["4.4", "4.5a", "4.5b"] {
            m.insert(
                id.to_owned(),
                no_data("links to national databases are not recorded on dossiers"),
            );
        }
        m.insert("MDSH.chung-thuc".to_owned(), no_data("electronic certification is not recorded"));

        // One pass over the dossiers.
        let scan = self.scan_for_index(&test, period)?;
        let stats = crate::metrics::catalogue::TimeStats::from_values(
            TimeUnit::WorkingDays,
            scan.resolution_days,
        );
        m.insert("2.2".to_owned(), Measurement::Statistic(stats.map(|s| s.mean)));
        m.insert(
            "3.2".to_owned(),
            ratio(
                in_force
                    .iter()
                    .filter(|p| p.online().is_online() && scan.online_received.contains(p.code()))
                    .count(),
                online,
            ),
        );
        m.insert(
            "3.5b".to_owned(),
            ratio(
                in_force
                    .iter()
                    .filter(|p| p.fee_bearing() && scan.paid_online.contains(p.code()))
                    .count(),
                fee_bearing,
            ),
        );

        // Feedback.
        if matches!(scope, Scope::Field(_) | Scope::Procedure(_)) {
            for id in ["5.1", "5.2", "5.3"] {
                m.insert(id.to_owned(), no_data("feedback has no field or procedure"));
            }
        } else {
            let feedback = self.feedback_stats(scope, period)?;
            m.insert("5.1".to_owned(), Measurement::Ratio(feedback.regulation_share()));
            m.insert("5.2".to_owned(), Measurement::Ratio(feedback.on_time_rate()));
            m.insert("5.3".to_owned(), Measurement::Ratio(feedback.satisfaction_rate()));
        }
        Ok(ServiceIndex::compute(framework, scope.clone(), period, &m))
    }

    /// 1.1: procedures whose announcements signed in the period were all on time.
    fn announcement_timeliness(&self, test: &ScopeTest, period: Period) -> Result<Measurement> {
        let days = if test.levels().len() == 1 && test.levels().contains(&Level::Central) {
            ANNOUNCE_DAYS_CENTRAL
        } else {
            ANNOUNCE_DAYS_LOCAL
        };
        let calendar = self.calendar();
        // Procedure code → whether every announcement in the period was on time.
        let mut announced: BTreeMap<ProcedureCode, bool> = BTreeMap::new();
        for p in self.procedures().all_versions()? {
            if !test.covers_procedure(&p) {
                continue;
            }
            for a in p.announcements().iter().filter(|a| period.contains(a.signed)) {
                let on_time = calendar.working_days_between(a.signed, a.effective) >= days;
                let entry = announced.entry(p.code().clone()).or_insert(true);
                *entry = *entry && on_time;
            }
        }
        Ok(ratio(announced.values().filter(|&&ok| ok).count(), announced.len()))
    }

    fn scan_for_index(&self, test: &ScopeTest, period: Period) -> Result<Scan> {
        let mut scan = Scan::default();
        let calendar = &*self.calendar();
        for dossier in self.dossiers().iter() {
            let dossier = dossier?;
            let header = dossier.header();
            if !test.contains(header) {
                continue;
            }
            if let Some(resolved) = dossier.resolved_at()
                && period.contains(vietnam_date(resolved))
            {
                scan.resolution_days.push(elapsed_in(
                    calendar,
                    dossier.received_at(),
                    resolved,
                    TimeUnit::WorkingDays,
                ));
            }
            if header.channel == Channel::Online
                && period.contains(vietnam_date(dossier.received_at()))
            {
                scan.online_received.insert(header.procedure.clone());
            }
            if dossier.events().iter().any(|e| {
                matches!(e.kind, EventKind::Paid { online: true })
                    && period.contains(vietnam_date(e.at))
            }) {
                scan.paid_online.insert(header.procedure.clone());
            }
        }
        Ok(scan)
    }

    /// Returns the codes of the dossiers of `scope` on one side of a dossier
    /// indicator over `period` (for 2.1, [`Trace::NotInNumerator`] lists the late
    /// ones), ordered by code. The sets are those of
    /// [`DossierIndicator::membership`], which the counters behind
    /// [`Store::service_index`] agree with.
    ///
    /// Cost: O(n), one scan of every dossier.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an indicator not computed from dossiers (the
    /// dossier indicators are 2.1, 3.3, 3.6, 4.1, 4.2, 4.3 and 5.4);
    /// [`Error::NotFound`] for an unknown agency or procedure in `scope`;
    /// [`Error::Corrupt`] or [`Error::Storage`] from the scan.
    pub fn service_index_dossiers(
        &self,
        scope: &Scope,
        period: Period,
        indicator_id: &str,
        which: Trace,
    ) -> Result<Vec<DossierCode>> {
        let indicator = DossierIndicator::from_id(indicator_id).ok_or_else(|| {
            Error::invalid(
                "indicator",
                format!("{indicator_id} is not computed from dossiers (2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 5.4 are)"),
            )
        })?;
        self.check_scope(scope)?;
        let test = ScopeTest::new(scope, &self.agencies().list()?);
        let mut out = Vec::new();
        for dossier in self.dossiers().iter() {
            let dossier = dossier?;
            if test.contains(dossier.header())
                && indicator.membership(&dossier, period).is_on(which)
            {
                out.push(dossier.code().clone());
            }
        }
        out.sort();
        Ok(out)
    }

    /// Ranks the direct children of `parent` by the total of their subtree's
    /// Decision 766 index over `period`, descending, ties sharing a rank (1, 2, 2,
    /// 4). Units are the children's codes.
    ///
    /// Cost: one [`Store::service_index`] per child (each scans the dossiers).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown `parent`; as [`Store::service_index`].
    pub fn service_index_ranking(&self, parent: &AgencyCode, period: Period) -> Result<Ranking> {
        if self.agencies().get(parent)?.is_none() {
            return Err(not_found(RecordKind::Agency, parent));
        }
        let mut totals = Vec::new();
        for child in self.agencies().children(parent)? {
            let index = self.service_index(&Scope::subtree(child.code()), period)?;
            totals.push((child.code().to_string(), index.total));
        }
        rank_units(totals)
    }

    /// Fails like the counters do for a scope naming an unknown agency or procedure.
    fn check_scope(&self, scope: &Scope) -> Result<()> {
        match scope {
            Scope::Agency(code) | Scope::Subtree(code) => {
                if self.agencies().get(code)?.is_none() {
                    return Err(not_found(RecordKind::Agency, code));
                }
            }
            Scope::Procedure(code) => {
                if self.procedures().versions(code)?.is_empty() {
                    return Err(not_found(RecordKind::Procedure, code));
                }
            }
            Scope::All | Scope::Level(_) | Scope::Field(_) => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

    use proptest::prelude::*;
    use time::macros::{date, datetime};
    use time::{Duration, OffsetDateTime};

    use super::*;
    use crate::metrics::scores::Band;
    use crate::metrics::service_index::Unscored;
    use crate::model::agency::Agency;
    use crate::model::dossier::{Action, NewDossier};
    use crate::model::dossier::{Dossier, DossierStatus};
    use crate::model::dossier::{Payment, ResultForm};
    use crate::model::procedure::{Announcement, AnnouncementKind};
    use crate::model::time_limit::TimeLimit;
    use crate::{Field, ProcedureCode};

    fn code(s: &str) -> AgencyCode {
        AgencyCode::new(s).unwrap()
    }

    const P: &str = "000.00.00.H49";
    const D1: &str = "000.00.21.H49";
    const D2: &str = "000.00.22.H49";

    fn announcement(signed: time::Date, effective: time::Date) -> Announcement {
        Announcement {
            number: "1/QĐ-UBND".to_owned(),
            signed,
            effective,
            kind: AnnouncementKind::New,
        }
    }

    /// A province with two districts and three procedures, all 3 working days:
    /// - A: full online, eligible for it, fee with online payment, paper result,
    ///   province and district level, announced 1/3 effective 15/3 (on time);
    /// - B: not online, eligible for full online, no fee, district level;
    /// - C: partial online, fee without online payment, paper result, district
    ///   level, announced 4/3 effective 6/3 (2 working days: late).
    fn catalogue() -> Store {
        let store = Store::temporary().unwrap();
        let p = code(P);
        store
            .agencies()
            .insert(&Agency::province(p.clone(), "UBND tỉnh Quảng Nam").unwrap())
            .unwrap();
        store
            .agencies()
            .insert(&Agency::district(code(D1), "UBND huyện Duy Xuyên", &p).unwrap())
            .unwrap();
        store
            .agencies()
            .insert(&Agency::district(code(D2), "UBND huyện Đại Lộc", &p).unwrap())
            .unwrap();
        let field = Field::new("Hộ tịch").unwrap();
        let build = |c: &str| {
            Procedure::builder(
                ProcedureCode::new(c).unwrap(),
                "Thủ tục thử",
                field.clone(),
                TimeLimit::working_days(3),
            )
        };
        let a = build("1.000001")
            .levels(&[Level::Province, Level::District])
            .online(OnlineLevel::Full)
            .full_online_eligible(true)
            .fee(true, true)
            .paper_result(true)
            .announcement(announcement(date!(2024 - 03 - 01), date!(2024 - 03 - 15)));
        let b = build("1.000002").levels(&[Level::District]).full_online_eligible(true);
        let c = build("1.000003")
            .levels(&[Level::District])
            .online(OnlineLevel::Partial)
            .fee(true, false)
            .paper_result(true)
            .announcement(announcement(date!(2024 - 03 - 04), date!(2024 - 03 - 06)));
        for p in [a, b, c] {
            store.procedures().insert(&p.build().unwrap()).unwrap();
        }
        store
    }

    #[allow(clippy::too_many_arguments)]
    fn receive(
        store: &Store,
        dossier: &str,
        agency: &str,
        procedure: &str,
        channel: Channel,
        at: OffsetDateTime,
        digitised: bool,
        reused: bool,
    ) -> DossierCode {
        let code = DossierCode::new(dossier).unwrap();
        store
            .dossiers()
            .receive(&NewDossier {
                code: code.clone(),
                procedure: ProcedureCode::new(procedure).unwrap(),
                agency: AgencyCode::new(agency).unwrap(),
                channel,
                received_at: at,
                digitised,
                reused_data: reused,
                receiving: None,
                portal: None,
                rule_set: None,
            })
            .unwrap();
        code
    }

    fn cchc_date(at: OffsetDateTime) -> time::Date {
        crate::model::time_limit::vietnam_date(at)
    }

    /// The hand-worked store of the module test. A receipt on Monday 08:00 is
    /// due Thursday 08:00 (24 working hours of 07:30–11:30, 13:00–17:00).
    fn hand_store() -> (Store, Vec<DossierCode>) {
        use Channel::{Direct, Online, Postal};
        let s = catalogue();
        let d = s.dossiers();
        let mut codes = Vec::new();
        // D1.
        let d1 = receive(
            &s,
            "000.00.21.H49-240304-0001",
            D1,
            "1.000001",
            Online,
            datetime!(2024-03-04 08:00 +07:00),
            true,
            true,
        );
        d.pay(&d1, datetime!(2024-03-04 09:00 +07:00), Payment::Online).unwrap();
        d.resolve(&d1, datetime!(2024-03-05 10:00 +07:00), ResultForm::Electronic).unwrap(); // early
        let d2 = receive(
            &s,
            "000.00.21.H49-240304-0002",
            D1,
            "1.000001",
            Direct,
            datetime!(2024-03-04 08:00 +07:00),
            true,
            false,
        );
        d.pay(&d2, datetime!(2024-03-04 09:00 +07:00), Payment::Offline).unwrap();
        d.resolve(&d2, datetime!(2024-03-08 10:00 +07:00), ResultForm::Paper).unwrap(); // late
        let d3 = receive(
            &s,
            "000.00.21.H49-240304-0003",
            D1,
            "1.000002",
            Online,
            datetime!(2024-03-04 08:00 +07:00),
            false,
            false,
        );
        d.resolve(&d3, datetime!(2024-03-07 07:30 +07:00), ResultForm::Paper).unwrap(); // on time
        let d4 = receive(
            &s,
            "000.00.21.H49-240325-0004",
            D1,
            "1.000002",
            Direct,
            datetime!(2024-03-25 08:00 +07:00),
            false,
            false,
        );
        // d4 open at the end, due 28/3: overdue.
        let d5 = receive(
            &s,
            "000.00.21.H49-240326-0005",
            D1,
            "1.000003",
            Postal,
            datetime!(2024-03-26 08:00 +07:00),
            false,
            false,
        );
        d.request_supplement(&d5, datetime!(2024-03-27 09:00 +07:00), "thiếu giấy tờ").unwrap();
        // d5 waiting at the end, requested before its due 29/3 08:00: not late.
        // D2.
        let d6 = receive(
            &s,
            "000.00.22.H49-240311-0006",
            D2,
            "1.000001",
            Online,
            datetime!(2024-03-11 08:00 +07:00),
            true,
            true,
        );
        d.pay(&d6, datetime!(2024-03-11 09:00 +07:00), Payment::Online).unwrap();
        d.refuse(&d6, datetime!(2024-03-12 09:00 +07:00), "không đủ điều kiện").unwrap(); // refused in time
        let d7 = receive(
            &s,
            "000.00.22.H49-240311-0007",
            D2,
            "1.000003",
            Online,
            datetime!(2024-03-11 08:00 +07:00),
            true,
            false,
        );
        d.request_supplement(&d7, datetime!(2024-03-11 10:00 +07:00), "thiếu").unwrap();
        d.supplement(&d7, datetime!(2024-03-13 10:00 +07:00)).unwrap();
        // Waited 48 h: resolved Fri 10:00 − 48 h = Wed 10:00, before Thu 08:00: early.
        d.resolve(&d7, datetime!(2024-03-15 10:00 +07:00), ResultForm::Electronic).unwrap();
        let d8 = receive(
            &s,
            "000.00.22.H49-240325-0008",
            D2,
            "1.000002",
            Direct,
            datetime!(2024-03-25 08:00 +07:00),
            false,
            false,
        );
        d.request_supplement(&d8, datetime!(2024-03-25 09:00 +07:00), "thiếu").unwrap();
        d.supplement(&d8, datetime!(2024-03-25 10:00 +07:00)).unwrap();
        d.request_supplement(&d8, datetime!(2024-03-26 09:00 +07:00), "thiếu nữa").unwrap();
        // d8 waiting after a second request: late.
        // The province itself.
        let d9 = receive(
            &s,
            "000.00.00.H49-240226-0009",
            P,
            "1.000001",
            Direct,
            datetime!(2024-02-26 08:00 +07:00),
            false,
            false,
        );
        d.pay(&d9, datetime!(2024-03-01 09:00 +07:00), Payment::Online).unwrap();
        d.resolve(&d9, datetime!(2024-03-01 10:00 +07:00), ResultForm::Paper).unwrap(); // due 29/2: late
        let d10 = receive(
            &s,
            "000.00.22.H49-240318-0010",
            D2,
            "1.000003",
            Direct,
            datetime!(2024-03-18 08:00 +07:00),
            false,
            false,
        );
        d.withdraw(&d10, datetime!(2024-03-19 08:00 +07:00)).unwrap();
        let d11 = receive(
            &s,
            "000.00.00.H49-240401-0011",
            P,
            "1.000001",
            Online,
            datetime!(2024-04-01 08:00 +07:00),
            true,
            true,
        );
        let d12 = receive(
            &s,
            "000.00.00.H49-240219-0012",
            P,
            "1.000001",
            Direct,
            datetime!(2024-02-19 08:00 +07:00),
            false,
            false,
        );
        d.resolve(&d12, datetime!(2024-02-20 08:00 +07:00), ResultForm::Paper).unwrap();
        codes.extend([d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12]);
        (s, codes)
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn hand_computed_index_of_a_small_province() {
        let (store, _) = hand_store();
        let march = Period::month(2024, 3).unwrap();
        let index = store.service_index(&Scope::subtree(&code(P)), march).unwrap();
        let i = |id: &str| index.indicator(id).unwrap().clone();
        let ratio = |id: &str| i(id).ratio.map(|r| (r.numerator, r.denominator));

        // 1.1: A on time (10 working days from 1/3 to 15/3 ≥ 5), C late (2) → 1/2 → 6 × 0.5.
        assert_eq!(ratio("1.1"), Some((1, 2)));
        assert!(close(i("1.1").points, 3.0));
        assert!(matches!(i("1.2").unscored, Some(Unscored::NoData(_))));
        // 2.1: denominator = resolved in March d1 d2 d3 d7 d9 + refused d6 + open d4 d5 d8 = 9;
        // numerator = d1 d3 d7 (early/on time) + d6 (refused in time) + d5 (waiting, not late) = 5.
        assert_eq!(ratio("2.1"), Some((5, 9)));
        assert!(close(i("2.1").points, 20.0 * 5.0 / 9.0));
        // 2.2: working hours d1 10, d2 34, d3 23.5, d7 34, d9 34 → /8 → mean 16.9375 / 5.
        assert!(close(i("2.2").value, 3.3875));
        assert_eq!(i("2.2").points, Some(0.0));
        // 3.1: A, C online of A, B, C → 2/3, max not fixed; 3.2: A and C had online dossiers → 2/2.
        assert_eq!(ratio("3.1"), Some((2, 3)));
        assert_eq!(i("3.1").unscored, Some(Unscored::MaxPointsNotFixed));
        assert_eq!(ratio("3.2"), Some((2, 2)));
        // 3.3: online d1 d3 d6 d7 of 9 received in March (not d9, d11, d12).
        assert_eq!(ratio("3.3"), Some((4, 9)));
        assert_eq!(i("3.3").points, None);
        // Toàn trình: eligible A, B; full A → 1/2 → 12 × 0.5.
        assert_eq!(ratio("CLGQ.toan-trinh"), Some((1, 2)));
        assert!(close(i("CLGQ.toan-trinh").points, 6.0));
        // 3.5: fee-bearing A, C; online payment A → 50 % < 80 → 50/80 × 2.
        assert_eq!(ratio("3.5"), Some((1, 2)));
        assert!(close(i("3.5").points, 1.25));
        // 3.5b: A had online payments in March (d1, d6, d9), C none → 1/2.
        assert_eq!(ratio("3.5b"), Some((1, 2)));
        assert!(close(i("3.5b").points, 1.25));
        // 3.6: paid online in March d1 d6 d9 = 3 / fee-bearing received d1 d2 d5 d6 d7 d10 = 6 → 6 × 0.5.
        assert_eq!(ratio("3.6"), Some((3, 6)));
        assert!(close(i("3.6").points, 3.0));
        // 4.1: resolved in March under paper-result A, C: d1 d2 d7 d9; e-result d1 d7 → 6 × 0.5.
        assert_eq!(ratio("4.1"), Some((2, 4)));
        assert!(close(i("4.1").points, 3.0));
        // 4.2: digitised d1 d2 d6 d7 → 4/9 = 44.4 % < 80 → 4 × (4/9)/0.8.
        assert_eq!(ratio("4.2"), Some((4, 9)));
        assert!(close(i("4.2").points, 4.0 * (4.0 / 9.0) / 0.8));
        // 4.3: reused d1 d6 → 2/9 → 2 × (2/9)/0.8.
        assert_eq!(ratio("4.3"), Some((2, 9)));
        assert!(close(i("4.3").points, 2.0 * (2.0 / 9.0) / 0.8));
        // 5.1–5.3: no feedback stored: empty denominators, unscored.
        for id in ["5.1", "5.2", "5.3"] {
            assert_eq!(i(id).ratio, None);
            assert_eq!(i(id).unscored, Some(Unscored::EmptyDenominator), "{id}");
        }
        // 5.4 = 100 % − late rate = 5/9 → below 90 → 6 × (5/9)/0.9.
        assert_eq!(ratio("5.4"), Some((5, 9)));
        assert!(close(i("5.4").points, 6.0 * (5.0 / 9.0) / 0.9));

        let g = |id: &str| index.group(id).unwrap().achieved;
        assert!((g("CKMB") - 3.0).abs() < 1e-9);
        assert!((g("TDGQ") - 100.0 / 9.0).abs() < 1e-9);
        assert!((g("CLGQ") - 6.0).abs() < 1e-9);
        assert!((g("TTTT") - 5.5).abs() < 1e-9);
        assert!((g("MDHL") - 6.0 * (5.0 / 9.0) / 0.9).abs() < 1e-9);
        assert!((g("MDSH") - (3.0 + 20.0 / 9.0 + 5.0 / 9.0)).abs() < 1e-9);
        assert_eq!(index.group("CKMB").unwrap().unscored, ["1.2", "1.3", "1.4"]);
        let total = 3.0 + 100.0 / 9.0 + 6.0 + 5.5 + 100.0 / 27.0 + 3.0 + 25.0 / 9.0;
        assert!((index.total - total).abs() < 1e-9, "{}", index.total);
        assert_eq!(index.band, Some(Band::Yeu));
        assert!(!index.to_string().is_empty());

        // The index stores as an assessment; unscored indicators become missing.
        let framework = decision766_portal();
        let assessment = index.to_assessment(&framework, P, 2024).unwrap();
        assert_eq!(assessment.points("3.1"), Some(crate::model::score::Points::Missing));
        let stored = crate::metrics::scores::index_score(&framework, &assessment).unwrap();
        assert!((stored.achieved - index.total).abs() < 1e-9);
    }

    #[test]
    fn district_scopes_split_the_province() {
        let (store, _) = hand_store();
        let march = Period::month(2024, 3).unwrap();
        let r = |a: &str, id: &str| {
            store
                .service_index(&Scope::subtree(&code(a)), march)
                .unwrap()
                .indicator(id)
                .unwrap()
                .ratio
                .map(|r| (r.numerator, r.denominator))
        };
        // D1: d1 d2 d3 resolved, d4 d5 open; on time d1 d3 d5.
        assert_eq!(r(D1, "2.1"), Some((3, 5)));
        // D2: d6 refused, d7 resolved, d8 open; on time d6 d7.
        assert_eq!(r(D2, "2.1"), Some((2, 3)));
        // Catalogue items use the district level: A, B, C are all district procedures.
        assert_eq!(r(D1, "3.1"), Some((2, 3)));
        // The province alone: only A is competent at province level.
        let own = store.service_index(&Scope::agency(&code(P)), march).unwrap();
        assert_eq!(
            own.indicator("3.1").unwrap().ratio.map(|r| (r.numerator, r.denominator)),
            Some((1, 1))
        );
        assert_eq!(
            own.indicator("2.1").unwrap().ratio.map(|r| (r.numerator, r.denominator)),
            Some((0, 1))
        );
        // A field or procedure scope has no feedback.
        let field =
            store.service_index(&Scope::Field(Field::new("Hộ tịch").unwrap()), march).unwrap();
        assert!(matches!(field.indicator("5.2").unwrap().unscored, Some(Unscored::NoData(_))));
        assert!(matches!(
            store.service_index(&Scope::subtree(&code("000.00.99.H49")), march),
            Err(Error::NotFound { kind: RecordKind::Agency, .. })
        ));
    }

    #[test]
    fn traceability_lists_exactly_the_late_dossiers() {
        let (store, codes) = hand_store();
        let march = Period::month(2024, 3).unwrap();
        let scope = Scope::subtree(&code(P));
        let pick = |idx: &[usize]| idx.iter().map(|&i| codes[i].clone()).collect::<Vec<_>>();
        let late =
            store.service_index_dossiers(&scope, march, "2.1", Trace::NotInNumerator).unwrap();
        // d9, d2, d4, d8 (by code: the province's own code sorts first).
        assert_eq!(late, pick(&[8, 1, 3, 7]));
        let on_time = store.service_index_dossiers(&scope, march, "2.1", Trace::Numerator).unwrap();
        assert_eq!(on_time, pick(&[0, 2, 4, 5, 6]));
        let not_digitised =
            store.service_index_dossiers(&scope, march, "4.2", Trace::NotInNumerator).unwrap();
        assert_eq!(not_digitised, pick(&[2, 3, 4, 9, 7]));
        let d1_late = store
            .service_index_dossiers(&Scope::subtree(&code(D1)), march, "2.1", Trace::NotInNumerator)
            .unwrap();
        assert_eq!(d1_late, pick(&[1, 3]));
        assert!(matches!(
            store.service_index_dossiers(&scope, march, "3.1", Trace::Numerator),
            Err(Error::InvalidInput { field: "indicator", .. })
        ));
    }

    #[test]
    fn empty_denominators_are_not_scored() {
        let store = catalogue();
        let index = store.service_index(&Scope::All, Period::month(2023, 1).unwrap()).unwrap();
        for id in ["2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "5.4", "1.1"] {
            let i = index.indicator(id).unwrap();
            assert_eq!(i.ratio, None, "{id}");
            assert_eq!(i.points, None, "{id}");
            assert_eq!(i.unscored, Some(Unscored::EmptyDenominator), "{id}");
        }
        assert_eq!(index.indicator("2.2").unwrap().value, None);
        // The catalogue is in force whatever the dossiers: 3.5 is still scored.
        assert!(close(index.indicator("3.5").unwrap().points, 1.25));
        assert!(index.group("TDGQ").unwrap().achieved.abs() < 1e-12);
        assert_eq!(index.group("TDGQ").unwrap().unscored, ["2.1", "2.2"]);
    }

    #[test]
    fn siblings_rank_with_competition_ties() {
        let store = catalogue();
        let p = code(P);
        store
            .agencies()
            .insert(&Agency::district(code("000.00.23.H49"), "UBND huyện Quế Sơn", &p).unwrap())
            .unwrap();
        let march = Period::month(2024, 3).unwrap();
        let c = receive(
            &store,
            "000.00.22.H49-240304-0001",
            D2,
            "1.000002",
            Channel::Online,
            datetime!(2024-03-04 08:00 +07:00),
            true,
            true,
        );
        store
            .dossiers()
            .resolve(&c, datetime!(2024-03-05 08:00 +07:00), ResultForm::Electronic)
            .unwrap();
        let ranking = store.service_index_ranking(&p, march).unwrap();
        assert_eq!(ranking.rank_of(D2), Some(1));
        assert_eq!(ranking.rank_of(D1), Some(2));
        assert_eq!(ranking.rank_of("000.00.23.H49"), Some(2));
        let d2 = store.service_index(&Scope::subtree(&code(D2)), march).unwrap();
        assert!((ranking.entries()[0].score - d2.total).abs() < 1e-12);
        assert!(matches!(
            store.service_index_ranking(&code("000.00.99.H49"), march),
            Err(Error::NotFound { .. })
        ));
    }

    /// One random action, weighted towards supplement requests so that waits,
    /// second requests and requests after the due instant all occur.
    fn act(kind: u8) -> Action {
        match kind {
            0..=2 => Action::RequestSupplement { reason: "thiếu".to_owned() },
            3 | 4 => Action::Supplement,
            5 => Action::Resolve { e_result: true },
            6 => Action::Resolve { e_result: false },
            7 => Action::Refuse { reason: "từ chối".to_owned() },
            8 => Action::Withdraw,
            _ => Action::Pay { online: kind.is_multiple_of(2) },
        }
    }

    /// The slow fold of 2.1 from `Dossier::on_time_766`, written independently of
    /// the counters and of `DossierIndicator::membership`.
    fn slow_on_time(dossiers: &[Dossier], period: Period) -> Option<(u64, u64)> {
        let end = period.end_instant();
        let (mut num, mut den) = (0, 0);
        for d in dossiers {
            let finished_in_period = d.finished_at().is_some_and(|t| {
                t >= period.start_instant() && t < end && d.status() != DossierStatus::Withdrawn
            });
            let open_at_end = d.received_at() < end && d.finished_at().is_none_or(|t| t >= end);
            if finished_in_period || open_at_end {
                den += 1;
                num += u64::from(d.on_time_766(end) == Some(true));
            }
        }
        (den > 0).then_some((num, den))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn counter_on_time_equals_the_slow_fold(
            dossiers in proptest::collection::vec(
                (0usize..3, 0u8..3, 0i64..(45 * 24), any::<bool>(), any::<bool>(),
                 proptest::collection::vec((0u8..11, 1i64..120), 0..6)),
                1..20,
            ),
            from in 0i64..35,
            len in 0i64..40,
            scope_pick in 0usize..5,
        ) {
            let store = catalogue();
            let agencies = [P, D1, D2];
            let base = datetime!(2024-02-01 00:00 +07:00);
            for (n, (agency, channel, hour, digitised, reused, actions)) in dossiers.iter().enumerate() {
                let channel = [Channel::Online, Channel::Direct, Channel::Postal][usize::from(*channel)];
                let at = base + Duration::hours(*hour);
                let agency = agencies[*agency];
                let day = cchc_date(at);
                let dossier = format!("{agency}-{:02}{:02}{:02}-{:04}", day.year() % 100, u8::from(day.month()), day.day(), n + 1);
                let c = receive(&store, &dossier, agency, "1.000001", channel, at, *digitised, *reused);
                let mut t = at;
                for &(kind, delay) in actions {
                    t += Duration::hours(delay);
                    // Impossible transitions are rejected and write nothing.
                    let _ = store.dossiers().record(&c, t, act(kind));
                }
            }
            let start = date!(2024 - 02 - 01) + Duration::days(from);
            let period = Period::new(start, start + Duration::days(len)).unwrap();
            let scope = [
                Scope::All,
                Scope::subtree(&code(P)),
                Scope::subtree(&code(D1)),
                Scope::agency(&code(P)),
                Scope::Level(Level::District),
            ][scope_pick].clone();
            let test = ScopeTest::new(&scope, &store.agencies().list().unwrap());
            let all: Vec<Dossier> = store
                .dossiers()
                .iter()
                .map(Result::unwrap)
                .filter(|d| test.contains(d.header()))
                .collect();
            let index = store.service_index(&scope, period).unwrap();
            let fast = |id: &str| index.indicator(id).unwrap().ratio.map(|r| (r.numerator, r.denominator));
            prop_assert_eq!(fast("2.1"), slow_on_time(&all, period));
            for indicator in DossierIndicator::ALL {
                let (mut num, mut den) = (0u64, 0u64);
                for d in &all {
                    let m = indicator.membership(d, period);
                    num += u64::from(m.numerator);
                    den += u64::from(m.denominator);
                }
                prop_assert_eq!(fast(indicator.id()), (den > 0).then_some((num, den)), "{}", indicator.id());
                let listed = store.service_index_dossiers(&scope, period, indicator.id(), Trace::NotInNumerator).unwrap();
                let expected = all.iter().filter(|d| {
                    let m = indicator.membership(d, period);
                    m.denominator && !m.numerator
                }).count();
                prop_assert_eq!(listed.len(), expected);
            }
        }
    }
}
