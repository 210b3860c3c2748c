//! A small province shared by the integration tests.

use std::collections::HashMap;

use cchc::*;
use time::OffsetDateTime;

pub struct Fixture {
    pub store: Store,
    /// Every agency with its parent.
    pub parents: HashMap<AgencyCode, Option<AgencyCode>>,
    pub levels: HashMap<AgencyCode, Level>,
    pub agencies: Vec<AgencyCode>,
    pub procedures: Vec<ProcedureCode>,
    pub fields: Vec<Field>,
}

pub fn code(s: &str) -> AgencyCode {
    AgencyCode::new(s).unwrap()
}

/// Province H49 with two departments, two districts and three communes, and three
/// procedures in two fields with different time limits.
pub fn province() -> Fixture {
    let store = Store::temporary().unwrap();
    let p = code("000.00.00.H49");
    let mut parents = HashMap::new();
    let mut levels = HashMap::new();
    let mut add = |agency: Agency| {
        parents.insert(agency.code().clone(), agency.parent().cloned());
        levels.insert(agency.code().clone(), agency.level());
        store.agencies().insert(&agency).unwrap();
        agency.code().clone()
    };
    let mut agencies = vec![add(Agency::province(p.clone(), "UBND tỉnh Quảng Nam").unwrap())];
    agencies.push(add(Agency::department(code("000.01.00.H49"), "Sở Tư pháp", &p).unwrap()));
    agencies.push(add(Agency::department(code("000.02.00.H49"), "Sở Xây dựng", &p).unwrap()));
    let h1 = add(Agency::district(code("000.00.21.H49"), "UBND huyện Duy Xuyên", &p).unwrap());
    let h2 = add(Agency::district(code("000.00.22.H49"), "UBND huyện Đại Lộc", &p).unwrap());
    agencies.push(h1.clone());
    agencies.push(h2.clone());
    agencies.push(add(Agency::commune(code("000.21.01.H49"), "UBND xã Duy Sơn", &h1).unwrap()));
    agencies.push(add(Agency::commune(code("000.21.02.H49"), "UBND xã Duy Trung", &h1).unwrap()));
    agencies.push(add(Agency::commune(code("000.22.01.H49"), "UBND xã Đại Hòa", &h2).unwrap()));
    let fields = vec![Field::new("Hộ tịch").unwrap(), Field::new("Đất đai").unwrap()];
    let specs = [
        ("1.004227", 0, TimeLimit::working_days(3), true, false),
        ("1.001193", 1, TimeLimit::working_days(10), false, true),
        ("2.000884", 0, TimeLimit::working_hours(8), true, true),
    ];
    let mut procedures = Vec::new();
    for (c, f, limit, fee, paper) in specs {
        let proc = Procedure::builder(
            ProcedureCode::new(c).unwrap(),
            "Thủ tục thử",
            fields[f].clone(),
            limit,
        )
        .levels(&[Level::Province, Level::District, Level::Commune])
        .fee(fee, fee)
        .paper_result(paper)
        .build()
        .unwrap();
        store.procedures().insert(&proc).unwrap();
        procedures.push(proc.code().clone());
    }
    Fixture { store, parents, levels, agencies, procedures, fields }
}

impl Fixture {
    /// Whether `agency` is `root` or below it.
    pub fn in_subtree(&self, agency: &AgencyCode, root: &AgencyCode) -> bool {
        let mut current = Some(agency.clone());
        while let Some(a) = current {
            if &a == root {
                return true;
            }
            current = self.parents.get(&a).cloned().flatten();
        }
        false
    }

    /// Whether a dossier belongs to `scope`, decided from the fixture's own tables.
    pub fn in_scope(&self, d: &Dossier, scope: &Scope) -> bool {
        let h = d.header();
        match scope {
            Scope::All => true,
            Scope::Agency(a) => &h.agency == a,
            Scope::Subtree(a) => self.in_subtree(&h.agency, a),
            Scope::Level(l) => self.levels.get(&h.agency) == Some(l),
            Scope::Field(f) => &h.field == f,
            Scope::Procedure(p) => &h.procedure == p,
            other => panic!("the fixture does not know the scope {other:?}"),
        }
    }

    pub fn dossiers(&self) -> Vec<Dossier> {
        self.store.dossiers().iter().map(Result::unwrap).collect()
    }
}

pub fn at(day_offset: i64, minute: i64) -> OffsetDateTime {
    // From 1 May 2025: 150 days cover both sides of 1 July 2025, so every random
    // history mixes Decree 61 and Decree 118 dossiers and periods straddle the change.
    time::macros::datetime!(2025-05-01 00:00 +07:00)
        + time::Duration::days(day_offset)
        + time::Duration::minutes(minute)
}
