//! The province: its agencies and its procedure catalogue, with the versions and
//! reduced limits of each procedure.

use time::{Date, Month};

use super::names::{
    COMMUNE_PREFIX, COMMUNE_SUFFIX, DEPARTMENTS, DISTRICTS, FIELDS, PROVINCE_CODE, PROVINCE_NAME,
    QUALIFIERS,
};
use super::rng::Rng;
use super::{DemoSpec, date};
use crate::id::{AdminUnitCode, AgencyCode, Field, ProcedureCode};
use crate::model::agency::{Agency, Level};
use crate::model::procedure::{
    Announcement, AnnouncementKind, OnlineLevel, Procedure, ProcedureStatus,
};
use crate::model::time_limit::TimeLimit;
use crate::{Error, Result};

/// A generated province: its agencies and its procedure catalogue.
#[derive(Debug, Clone)]
pub struct Province {
    /// The provincial People's Committee, the root.
    pub root: Agency,
    /// The departments, children of the root.
    pub departments: Vec<Agency>,
    /// The districts, children of the root.
    pub districts: Vec<Agency>,
    /// The communes, children of their district.
    pub communes: Vec<Agency>,
    /// Every version of every procedure, by code then effective date.
    pub procedures: Vec<Procedure>,
    /// Dossier volume weight of each procedure code, by level (province, district,
    /// commune), parallel to `catalogue`.
    pub(super) catalogue: Vec<CatalogueEntry>,
}

/// One procedure code with what the dossier generator needs.
#[derive(Debug, Clone)]
pub(super) struct CatalogueEntry {
    pub(super) code: ProcedureCode,
    pub(super) level: usize,
    pub(super) department: usize,
    pub(super) online: bool,
    pub(super) online_payment: bool,
    pub(super) fee: bool,
    pub(super) paper_result: bool,
    pub(super) weight: f64,
    /// `(effective_from, limit, abolished)` of each version, oldest first.
    pub(super) versions: Vec<(Date, TimeLimit, bool)>,
}

pub(super) fn code(text: &str) -> Result<AgencyCode> {
    AgencyCode::new(text)
}

impl Province {
    /// Generates the province of `spec`: agencies and catalogue.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the spec is out of range (see [`DemoSpec`]).
    pub fn generate(spec: &DemoSpec) -> Result<Self> {
        spec.validate()?;
        let mut rng = Rng::new(spec.seed, 1);
        let root = Agency::province(code(PROVINCE_CODE)?, PROVINCE_NAME)?
            .with_unit(AdminUnitCode::new("49")?);
        let mut departments = Vec::with_capacity(spec.departments);
        for (i, name) in DEPARTMENTS.iter().take(spec.departments).enumerate() {
            let c = code(&format!("000.00.{:02}.H49", i + 1))?;
            departments.push(Agency::department(
                c,
                &format!("{name} tỉnh Quảng Nam"),
                root.code(),
            )?);
        }
        // Communes per district: the 2023 counts, scaled to the spec by largest remainder.
        let districts_used: Vec<_> = DISTRICTS.iter().take(spec.districts).collect();
        let real_total: usize = districts_used.iter().map(|d| d.2).sum();
        let mut per_district: Vec<usize> = districts_used
            .iter()
            .map(|d| (d.2 * spec.communes / real_total).clamp(1, 99))
            .collect();
        let mut assigned: usize = per_district.iter().sum();
        let mut i = 0;
        while assigned != spec.communes {
            if let Some(n) = per_district.get_mut(i % spec.districts) {
                if assigned < spec.communes && *n < 99 {
                    *n += 1;
                    assigned += 1;
                } else if assigned > spec.communes && *n > 1 {
                    *n -= 1;
                    assigned -= 1;
                }
            }
            i += 1;
        }
        let mut districts = Vec::with_capacity(spec.districts);
        let mut communes = Vec::with_capacity(spec.communes);
        let mut commune_unit = 20_194;
        for (d, ((name, kind, _, _), count)) in districts_used.iter().zip(&per_district).enumerate()
        {
            let district_code = code(&format!("000.00.{:02}.H49", 21 + d))?;
            let district =
                Agency::district(district_code, &format!("UBND {kind} {name}"), root.code())?
                    .with_unit(AdminUnitCode::new(&format!("{}", 502 + d))?);
            let prefix = COMMUNE_PREFIX.get(d).copied().unwrap_or("Tam");
            for k in 0..*count {
                let suffix =
                    COMMUNE_SUFFIX.get((k + 7 * d) % COMMUNE_SUFFIX.len()).copied().unwrap_or("An");
                let round = k / COMMUNE_SUFFIX.len();
                let unit_kind = if *kind != "huyện" && k % 3 != 0 { "phường" } else { "xã" };
                let mut label = format!("UBND {unit_kind} {prefix} {suffix}");
                if round > 0 {
                    label = format!("{label} {}", round + 1);
                }
                let c = code(&format!("000.{:02}.{:02}.H49", k + 1, 21 + d))?;
                communes.push(
                    Agency::commune(c, &label, district.code())?
                        .with_unit(AdminUnitCode::new(&format!("{commune_unit:05}"))?),
                );
                commune_unit += 3;
            }
            districts.push(district);
        }
        let (procedures, catalogue) = generate_catalogue(spec, &mut rng)?;
        Ok(Self { root, departments, districts, communes, procedures, catalogue })
    }

    /// Returns every agency, parents before children.
    pub fn agencies(&self) -> impl Iterator<Item = &Agency> {
        std::iter::once(&self.root)
            .chain(&self.departments)
            .chain(&self.districts)
            .chain(&self.communes)
    }

    /// Returns how many procedure codes the catalogue has.
    pub fn procedures_in_catalogue(&self) -> usize {
        self.catalogue.len()
    }
}

/// Splits `total` over `weights` by largest remainder.
fn apportion(total: usize, weights: &[u32]) -> Vec<usize> {
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut out: Vec<usize> =
        weights.iter().map(|&w| (total as u64 * u64::from(w) / sum) as usize).collect();
    let mut rest: Vec<(u64, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, &w)| ((total as u64 * u64::from(w)) % sum, i))
        .collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let missing = total.saturating_sub(out.iter().sum());
    for &(_, i) in rest.iter().take(missing) {
        if let Some(n) = out.get_mut(i) {
            *n += 1;
        }
    }
    out
}

fn generate_catalogue(
    spec: &DemoSpec,
    rng: &mut Rng,
) -> Result<(Vec<Procedure>, Vec<CatalogueEntry>)> {
    let year = spec.year;
    let base_from = date(year - 2, Month::January, 1)?;
    let base_signed = date(year - 3, Month::December, 20)?;
    let amended_from = date(year, Month::July, 1)?;
    let amended_signed = date(year, Month::June, 15)?;
    let new_from = date(year, Month::April, 1)?;
    let new_signed = date(year, Month::March, 20)?;
    let abolished_from = date(year, Month::October, 1)?;
    let abolished_signed = date(year, Month::September, 15)?;
    let levels = [Level::Province, Level::District, Level::Commune];
    // Province 71 %, district 17 %, commune 12 % of the catalogue.
    let per_level = apportion(spec.procedures, &[71, 17, 12]);
    let mut numbers = [0u32; 2];
    let mut drafts: Vec<(CatalogueEntry, Procedure)> = Vec::with_capacity(spec.procedures);
    for (level, (&count, level_kind)) in per_level.iter().zip(levels).enumerate() {
        let weights: Vec<u32> =
            FIELDS.iter().map(|f| f.catalogue.get(level).copied().unwrap_or(0)).collect();
        let per_field = apportion(count, &weights);
        for (field_def, &n) in FIELDS.iter().zip(&per_field) {
            let field = Field::new(field_def.name)?;
            let volume = f64::from(field_def.volume.get(level).copied().unwrap_or(0));
            // Zipf-like popularity inside the field; the field's volume is split over it.
            let harmonic: f64 = (1..=n).map(|k| 1.0 / (k as f64).powf(1.2)).sum();
            for k in 0..n {
                let prefix = usize::from(rng.chance(0.3));
                let slot =
                    numbers.get_mut(prefix).ok_or_else(|| Error::invalid("demo", "prefix"))?;
                *slot += 1 + rng.below(4) as u32;
                let code = ProcedureCode::new(&format!("{}.{:06}", prefix + 1, *slot))?;
                let base = field_def
                    .names
                    .get(k % field_def.names.len().max(1))
                    .copied()
                    .unwrap_or("Thủ tục");
                let qualifier = QUALIFIERS
                    .get((k / field_def.names.len().max(1)) % QUALIFIERS.len())
                    .copied()
                    .unwrap_or("");
                let round = k / (field_def.names.len().max(1) * QUALIFIERS.len());
                let mut name = format!("{base}{qualifier}");
                if round > 0 {
                    name = format!("{name} (mẫu {})", round + 1);
                }
                let amount = rng.pick(field_def.limits).copied().unwrap_or(5);
                let limit = TimeLimit { amount, unit: field_def.unit };
                let weight = if harmonic > 0.0 {
                    volume * (1.0 / ((k + 1) as f64).powf(1.2)) / harmonic
                } else {
                    0.0
                };
                // The most used procedures are almost always online; the tail less often.
                let online = if k < 3 { rng.chance(0.97) } else { rng.chance(0.6) };
                let online_level = match (online, rng.chance(0.55)) {
                    (false, _) => OnlineLevel::None,
                    (true, true) => OnlineLevel::Full,
                    (true, false) => OnlineLevel::Partial,
                };
                let fee = rng.chance(0.35);
                let online_payment = fee && online && rng.chance(0.8);
                let paper_result = rng.chance(0.6);
                let builder = Procedure::builder(code.clone(), &name, field.clone(), limit)
                    .levels(&[level_kind])
                    .handling_agency(match level {
                        0 => DEPARTMENTS.get(field_def.department).copied().unwrap_or("UBND tỉnh"),
                        1 => "UBND cấp huyện",
                        _ => "UBND cấp xã",
                    })
                    .online(online_level)
                    .full_online_eligible(online_level == OnlineLevel::Partial && rng.chance(0.3))
                    .national_portal(online && rng.chance(0.9))
                    .fee(fee, online_payment)
                    .paper_result(paper_result)
                    .effective_from(base_from)
                    .announcement(Announcement {
                        number: format!("{}/QĐ-UBND", 2_000 + drafts.len() / 40),
                        signed: base_signed,
                        effective: base_from,
                        kind: AnnouncementKind::New,
                    });
                let department = field_def.department.min(spec.departments - 1);
                drafts.push((
                    CatalogueEntry {
                        code,
                        level,
                        department,
                        online,
                        online_payment,
                        fee,
                        paper_result,
                        weight,
                        versions: vec![(base_from, limit, false)],
                    },
                    builder.build()?,
                ));
            }
        }
    }
    // Reduced limits for 47.11 % of the catalogue (929 of 1,972 in Lào Cai), each cut
    // by at least 30 %, chosen among limits long enough to cut.
    let target = (drafts.len() * 4_711 + 5_000) / 10_000;
    let mut eligible: Vec<usize> = drafts
        .iter()
        .enumerate()
        .filter(|(_, (_, p))| p.central_limit().amount >= 2)
        .map(|(i, _)| i)
        .collect();
    let take = target.min(eligible.len());
    for i in 0..take {
        let j = i + rng.below((eligible.len() - i) as u64) as usize;
        eligible.swap(i, j);
    }
    eligible.truncate(take);
    eligible.sort_unstable();
    let mut procedures = Vec::with_capacity(drafts.len() + drafts.len() / 10);
    let mut catalogue = Vec::with_capacity(drafts.len());
    for (i, (mut entry, procedure)) in drafts.into_iter().enumerate() {
        let central = procedure.central_limit();
        let cut = |rng: &mut Rng, lo: f64, hi: f64| {
            let keep = 1.0 - rng.uniform(lo, hi);
            TimeLimit {
                amount: ((f64::from(central.amount) * keep).floor() as u32).max(1),
                unit: central.unit,
            }
        };
        let mut builder = rebuild(&procedure);
        let reduced = eligible.binary_search(&i).is_ok();
        if reduced {
            let limit = cut(rng, 0.3, 0.5);
            builder = builder.reduced_limit(limit);
            if let Some(v) = entry.versions.first_mut() {
                v.1 = limit;
            }
        }
        let first = builder.build()?;
        let roll = rng.unit();
        if roll < 0.04 && entry.weight > 0.0 {
            // Introduced during the year: the only version starts on 1 April.
            let p = rebuild(&first)
                .effective_from(new_from)
                .announcement(Announcement {
                    number: "612/QĐ-UBND".to_owned(),
                    signed: new_signed,
                    effective: new_from,
                    kind: AnnouncementKind::New,
                })
                .build()?;
            if let Some(v) = entry.versions.first_mut() {
                v.0 = new_from;
            }
            procedures.push(p);
        } else {
            procedures.push(first.clone());
            if roll < 0.10 && central.amount >= 3 {
                // Amended on 1 July: the limit is cut (again).
                let limit = cut(rng, 0.4, 0.6);
                procedures.push(
                    rebuild(&first)
                        .reduced_limit(limit)
                        .effective_from(amended_from)
                        .announcement(Announcement {
                            number: "1480/QĐ-UBND".to_owned(),
                            signed: amended_signed,
                            effective: amended_from,
                            kind: AnnouncementKind::Amended,
                        })
                        .build()?,
                );
                entry.versions.push((amended_from, limit, false));
            } else if roll < 0.12 {
                // Abolished on 1 October.
                procedures.push(
                    rebuild(&first)
                        .status(ProcedureStatus::Abolished)
                        .effective_from(abolished_from)
                        .announcement(Announcement {
                            number: "2105/QĐ-UBND".to_owned(),
                            signed: abolished_signed,
                            effective: abolished_from,
                            kind: AnnouncementKind::Abolished,
                        })
                        .build()?,
                );
                entry.versions.push((abolished_from, first.limit(), true));
            }
        }
        catalogue.push(entry);
    }
    procedures.sort_by(|a, b| (a.code(), a.effective_from()).cmp(&(b.code(), b.effective_from())));
    Ok((procedures, catalogue))
}

/// Starts a builder with every property of `p` (announcements included).
fn rebuild(p: &Procedure) -> crate::model::procedure::ProcedureBuilder {
    let mut b =
        Procedure::builder(p.code().clone(), p.name(), p.field().clone(), p.central_limit())
            .levels(p.levels())
            .online(p.online())
            .full_online_eligible(p.full_online_eligible() && p.online() != OnlineLevel::Full)
            .national_portal(p.national_portal())
            .fee(p.fee_bearing(), p.online_payment())
            .paper_result(p.paper_result())
            .status(p.status())
            .effective_from(p.effective_from());
    if let Some(agency) = p.handling_agency() {
        b = b.handling_agency(agency);
    }
    if let Some(reduced) = p.reduced_limit() {
        b = b.reduced_limit(reduced);
    }
    for a in p.announcements() {
        b = b.announcement(a.clone());
    }
    b
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn province_has_the_requested_shape() {
        let spec = DemoSpec::quang_nam_2023();
        let p = Province::generate(&spec).unwrap();
        assert_eq!((p.departments.len(), p.districts.len(), p.communes.len()), (20, 18, 241));
        assert_eq!(p.procedures_in_catalogue(), 1_972);
        // 929 of 1,972 have a reduced limit in their first version, each cut ≥ 30 %.
        let mut firsts: HashMap<&ProcedureCode, &Procedure> = HashMap::new();
        for v in &p.procedures {
            firsts.entry(v.code()).or_insert(v);
        }
        let reduced: Vec<_> = firsts.values().filter(|v| v.reduced_limit().is_some()).collect();
        assert_eq!(reduced.len(), 929);
        assert!(reduced.iter().all(|v| v.cut_fraction().unwrap() >= 0.3));
        let fields: std::collections::HashSet<_> =
            p.procedures.iter().map(|v| v.field().as_str()).collect();
        assert!(fields.len() >= 30, "{}", fields.len());
        // Agency codes are unique and parents come first.
        let mut seen = std::collections::HashSet::new();
        for a in p.agencies() {
            assert!(a.parent().is_none_or(|parent| seen.contains(parent)));
            assert!(seen.insert(a.code().clone()));
        }
        assert_eq!(Province::generate(&spec).unwrap().procedures, p.procedures);
    }
}
