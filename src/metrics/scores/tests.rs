//! Tests of the score metrics against the seed figures and their invariants.

// Tests may unwrap and index (STYLE §5: the restriction lints bind library code only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;

use super::*;
use crate::model::score::{
    FrameworkNode, FrameworkSpec, IndexFramework, LeafPoints, ScoreSource, SipasFactor, Survey,
    SurveyItem, decision766_portal, papi, par_index_2017_province,
};

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

fn quang_nam_2024() -> (IndexFramework, Assessment) {
    let groups = decision766_portal().area_level();
    let points = [
        ("CKMB", 13.2),
        ("TDGQ", 18.4),
        ("CLGQ", 7.7),
        ("TTTT", 7.6),
        ("MDHL", 17.6),
        ("MDSH", 15.6),
    ]
    .map(|(id, p)| LeafPoints::scored(id, p));
    let assessment = Assessment::new(&groups, "49", 2024, points).unwrap();
    (groups, assessment)
}

#[test]
fn quang_nam_2024_group_points_give_80_1_tot() {
    let (groups, assessment) = quang_nam_2024();
    let score = index_score(&groups, &assessment).unwrap();
    assert!(close(score.achieved, 80.1, 1e-9), "{}", score.achieved);
    assert!(close(score.maximum, 100.0, 1e-12));
    assert!(close(score.index.unwrap(), 80.1, 1e-9));
    assert_eq!(score.band(), Some(Band::Tot));
    assert_eq!(score.band().map(Band::label_vi), Some("Tốt"));
    let clgq = score.node("CLGQ").unwrap();
    assert!(close(clgq.percent.unwrap(), 7.7 / 12.0 * 100.0, 1e-9));
    let text = score.to_string();
    assert!(text.contains("CKMB") && text.contains("80.10 %"), "{text}");
}

#[test]
fn papi_total_is_the_sum_of_dimensions_and_dimensions_of_sub_dimensions() {
    let f = papi();
    // An Giang 2016 D1 (repo check); other sub-dimensions at their midpoints.
    let an_giang_d1 = [("D1.1", 0.874), ("D1.2", 1.552), ("D1.3", 1.145), ("D1.4", 0.910)];
    let points: Vec<LeafPoints> = f
        .leaves()
        .map(|leaf| {
            if let Some((id, p)) = an_giang_d1.iter().find(|(id, _)| *id == leaf.id) {
                LeafPoints::scored(*id, *p)
            } else {
                let mid = f64::midpoint(leaf.min_points.unwrap(), leaf.max_points.unwrap());
                LeafPoints::scored(leaf.id.clone(), mid)
            }
        })
        .collect();
    let assessment = Assessment::new(&f, "89", 2016, points).unwrap();
    let score = index_score(&f, &assessment).unwrap();
    assert!(close(score.node("D1").unwrap().achieved, 4.481, 1e-9));
    let dims: f64 = score.areas().map(|a| a.achieved).sum();
    assert!(close(score.achieved, dims, 1e-9));
    for area in score.areas() {
        let subs: f64 = score
            .nodes
            .iter()
            .filter(|n| f.node(&n.id).and_then(|x| x.parent.as_deref()) == Some(area.id.as_str()))
            .map(|n| n.achieved)
            .sum();
        if area.leaves > 1 {
            assert!(close(area.achieved, subs, 1e-9), "{}", area.id);
        }
    }
    assert!(close(score.achieved, 4.481 + 5.0 * 5.5 + 2.0 * 5.5, 1e-9));
}

/// Hòa Bình PAR 2019 areas and their reported "+x %" changes (seed 004).
const HOA_BINH_2019: [(f64, f64); 7] = [
    (87.27, 23.38),
    (88.25, 4.39),
    (92.86, 6.54),
    (71.61, -0.83),
    (79.37, 23.81),
    (75.57, -1.53),
    (81.03, 16.67),
];

/// Caller-supplied area maxima for the 2017–2020 framework (illustrative:
/// the real ones are not sourced); they add up to 100.
const MAXIMA: [f64; 8] = [11.0, 8.0, 11.0, 8.0, 13.0, 13.0, 13.0, 23.0];

fn par_2017_with_maxima() -> IndexFramework {
    let mut f = par_index_2017_province();
    for (i, max) in MAXIMA.iter().enumerate() {
        f = f.with_max_points(&(i + 1).to_string(), *max).unwrap();
    }
    f
}

fn hoa_binh(f: &IndexFramework, year: i32, percents: [f64; 7]) -> IndexScore {
    let mut points: Vec<LeafPoints> = percents
        .iter()
        .zip(MAXIMA)
        .enumerate()
        .map(|(i, (pct, max))| LeafPoints::scored((i + 1).to_string(), pct / 100.0 * max))
        .collect();
    points.push(LeafPoints::missing("8"));
    let assessment = Assessment::new(f, "17", year, points).unwrap();
    index_score(f, &assessment).unwrap()
}

#[test]
fn hoa_binh_2019_area_percentages_and_both_readings_of_the_changes() {
    let f = par_2017_with_maxima();
    assert!(f.is_complete());
    let y2019 = hoa_binh(&f, 2019, HOA_BINH_2019.map(|(pct, _)| pct));
    for (area, (pct, _)) in y2019.areas().zip(HOA_BINH_2019) {
        assert!(close(area.percent.unwrap(), pct, 1e-9), "{} {:?}", area.id, area.percent);
    }
    assert_eq!(y2019.missing, vec!["8".to_owned()]);
    assert_eq!(y2019.node("8").unwrap().percent, None);

    // Reading 1: "+x %" in percentage points.
    let y2018_points = hoa_binh(&f, 2018, HOA_BINH_2019.map(|(pct, d)| pct - d));
    let change = year_over_year(&y2018_points, &y2019).unwrap();
    for (area, (_, d)) in change.areas.iter().zip(HOA_BINH_2019) {
        let c = area.change.unwrap();
        assert!(close(c.percentage_points, d, 1e-9), "{}", area.id);
    }
    // Reading 2: "+x %" relative to 2018.
    let y2018_relative = hoa_binh(&f, 2018, HOA_BINH_2019.map(|(pct, d)| pct / (1.0 + d / 100.0)));
    let change = year_over_year(&y2018_relative, &y2019).unwrap();
    for (area, (_, d)) in change.areas.iter().zip(HOA_BINH_2019) {
        let c = area.change.unwrap();
        assert!(close(c.relative_percent.unwrap(), d, 1e-9), "{}", area.id);
    }
    let first = change.areas.first().unwrap().change.unwrap();
    assert!(close(first.previous, 70.73, 0.005));
    assert!(change.areas.last().unwrap().change.is_none());
    assert!(change.to_string().contains("Công tác chỉ đạo"));

    let ambiguous = AmbiguousChange::new(87.27, 23.38).unwrap();
    assert!(close(ambiguous.previous_if_points, 63.89, 1e-9));
    assert!(close(ambiguous.previous_if_relative.unwrap(), 70.733, 0.001));
    assert!(year_over_year(&y2019, &y2018_points).is_err());
}

#[test]
fn ties_share_a_rank() {
    let ranking = rank_units([("D", 70.0), ("B", 80.0), ("A", 90.0), ("C", 80.0)]).unwrap();
    let ranks: Vec<(&str, u32)> =
        ranking.entries().iter().map(|e| (e.unit.as_str(), e.rank)).collect();
    assert_eq!(ranks, vec![("A", 1), ("B", 2), ("C", 2), ("D", 4)]);
    assert!(ranking.to_string().contains("2/4"));
    assert!(matches!(
        rank_units([("A", f64::NAN)]),
        Err(crate::Error::InvalidInput { field: "rank.score", .. })
    ));
    assert!(rank_units([("A", 1.0), ("A", 2.0)]).is_err());
    assert!(rank_units(Vec::<(String, f64)>::new()).unwrap().is_empty());
}

#[test]
fn bands_at_each_boundary() {
    let cases = [
        (100.0, Band::XuatSac),
        (90.0, Band::XuatSac),
        (89.999, Band::Tot),
        (80.0, Band::Tot),
        (79.99, Band::Kha),
        (70.0, Band::Kha),
        (69.99, Band::TrungBinh),
        (50.0, Band::TrungBinh),
        (49.99, Band::Yeu),
        (0.0, Band::Yeu),
    ];
    for (score, band) in cases {
        assert_eq!(Band::from_score(score), Some(band), "{score}");
    }
    assert_eq!(Band::from_score(f64::NAN), None);
    assert_eq!(Band::from_score(100.5), None);
    assert_eq!(Band::XuatSac.to_string(), "Xuất sắc");
    assert_eq!(Band::TrungBinh.label_en(), "average");
}

#[test]
fn quartile_groups_split_by_rank_position() {
    let scores: Vec<(String, f64)> = (0..63).map(|i| (format!("{i:02}"), f64::from(i))).collect();
    let ranking = rank_units(scores).unwrap();
    let mut counts = [0usize; 4];
    for e in ranking.entries() {
        let group = ranking.quartile_group(&e.unit).unwrap();
        counts[group as usize] += 1;
    }
    assert_eq!(counts, [16, 16, 16, 15]);
    assert_eq!(QuartileGroup::from_rank(1, 4), Some(QuartileGroup::Highest));
    assert_eq!(QuartileGroup::from_rank(4, 4), Some(QuartileGroup::Lowest));
    assert_eq!(QuartileGroup::from_rank(0, 4), None);
    assert_eq!(QuartileGroup::from_rank(5, 4), None);
}

#[test]
fn empty_denominators_give_none() {
    let groups = decision766_portal().area_level();
    let all_missing = groups.leaves().map(|l| LeafPoints::missing(l.id.clone()));
    let assessment = Assessment::new(&groups, "49", 2024, all_missing).unwrap();
    let score = index_score(&groups, &assessment).unwrap();
    assert_eq!(score.index, None);
    assert!(score.areas().all(|a| a.percent.is_none()));
    assert_eq!(score.band(), None);
    assert!(rank_index_scores(&[score]).is_err());
    assert_eq!(Change::between(0.0, 5.0).unwrap().relative_percent, None);
    assert_eq!(wilson_interval(0, 0, Z_95), None);
    assert_eq!(Proportion::new(1, 0), None);
}

#[test]
fn missing_leaves_are_left_out_not_zero() {
    let groups = decision766_portal().area_level();
    let points = groups.leaves().map(|l| {
        if l.id == "CKMB" {
            LeafPoints::missing("CKMB")
        } else {
            LeafPoints::scored(l.id.clone(), l.max_points.unwrap() / 2.0)
        }
    });
    let assessment = Assessment::new(&groups, "49", 2024, points).unwrap();
    let score = index_score(&groups, &assessment).unwrap();
    assert!(close(score.index.unwrap(), 50.0, 1e-9));
    assert!(close(score.maximum, 82.0, 1e-9));
}

#[test]
fn targets_and_gaps() {
    let late = track_target(Target::Below(2.0), 1.5).unwrap();
    assert!(late.met && close(late.gap, -0.5, 1e-12));
    let late = track_target(Target::Below(2.0), 2.3).unwrap();
    assert!(!late.met && close(late.gap, 0.3, 1e-12));
    assert!(!track_target(Target::Below(2.0), 2.0).unwrap().met);
    assert!(track_target(Target::AtMost(2.0), 2.0).unwrap().met);
    let on_time = track_target(Target::AtLeast(95.0), 93.0).unwrap();
    assert!(!on_time.met && close(on_time.gap, 2.0, 1e-12));
    let rank = track_target(Target::TopRank(10), 12.0).unwrap();
    assert!(!rank.met && close(rank.gap, 2.0, 1e-12));
    assert!(track_target(Target::TopRank(10), 10.0).unwrap().met);
    assert!(track_target(Target::TopRank(10), 2.5).is_err());
    assert!(track_target(Target::Above(1.0), f64::NAN).is_err());
    assert!(rank.to_string().contains("not met"));
}

#[test]
fn wilson_interval_matches_hand_computation() {
    let (low, high) = wilson_interval(80, 100, Z_95).unwrap();
    assert!(close(low, 0.7112, 1e-4) && close(high, 0.8666, 1e-4), "{low} {high}");
    // 0 of 10: [0, 0.2775].
    let (low, high) = wilson_interval(0, 10, Z_95).unwrap();
    assert!(close(low, 0.0, 1e-12) && close(high, 0.2775, 1e-4), "{high}");
    assert_eq!(wilson_interval(3, 2, Z_95), None);
}

#[test]
fn sipas_shares_per_factor_and_overall() {
    let items = vec![
        SurveyItem::new("a1", SipasFactor::TiepCanDichVu, "Tiếp cận"),
        SurveyItem::new("b1", SipasFactor::ThuTucHanhChinh, "Thủ tục"),
        SurveyItem::new("c1", SipasFactor::CongChuc, "Công chức"),
    ];
    let responses = vec![
        vec![Some(5), Some(4), Some(2)],
        vec![Some(4), Some(3), None],
        vec![Some(1), Some(5), Some(4)],
        vec![None, Some(2), None],
    ];
    let survey = Survey::new("01", 2023, items, responses).unwrap();
    let result = sipas(&survey);
    assert_eq!(result.respondents, 4);
    let share =
        |f: SipasFactor| result.factors.iter().find(|x| x.factor == f).and_then(|x| x.satisfaction);
    let access = share(SipasFactor::TiepCanDichVu).unwrap();
    assert_eq!((access.satisfied, access.answered), (2, 3));
    let procedure = share(SipasFactor::ThuTucHanhChinh).unwrap();
    assert_eq!((procedure.satisfied, procedure.answered), (2, 4));
    let staff = share(SipasFactor::CongChuc).unwrap();
    assert_eq!((staff.satisfied, staff.answered), (1, 2));
    assert_eq!(share(SipasFactor::KetQuaDichVu), None);
    assert_eq!(result.factors_answered, 3);
    let mean = (200.0 / 3.0 + 50.0 + 50.0) / 3.0;
    assert!(close(result.sipas_percent.unwrap(), mean, 1e-9));
    let pooled = result.pooled.unwrap();
    assert_eq!((pooled.satisfied, pooled.answered), (5, 9));
    assert!(result.to_string().contains("Kết quả dịch vụ"));

    let silent = Survey::new(
        "02",
        2023,
        vec![SurveyItem::new("a1", SipasFactor::KetQuaDichVu, "Kết quả")],
        vec![vec![None], vec![None]],
    )
    .unwrap();
    let result = sipas(&silent);
    assert_eq!(result.sipas_percent, None);
    assert_eq!(result.pooled, None);
}

fn provinces() -> (IndexFramework, Vec<IndexScore>) {
    let f = par_2017_with_maxima();
    let percents: [[f64; 8]; 5] = [
        [90.0, 80.0, 70.0, 60.0, 85.0, 75.0, 95.0, 80.0],
        [70.0, 90.0, 80.0, 85.0, 70.0, 90.0, 75.0, 82.0],
        [85.0, 85.0, 85.0, 85.0, 85.0, 85.0, 85.0, 70.0],
        [60.0, 60.0, 95.0, 95.0, 90.0, 60.0, 80.0, 85.0],
        [50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 60.0],
    ];
    let scores = percents
        .iter()
        .enumerate()
        .map(|(u, row)| {
            let points =
                row.iter().zip(MAXIMA).enumerate().map(|(i, (pct, max))| {
                    LeafPoints::scored((i + 1).to_string(), pct / 100.0 * max)
                });
            let a = Assessment::new(&f, format!("P{u}"), 2019, points).unwrap();
            index_score(&f, &a).unwrap()
        })
        .collect();
    (f, scores)
}

#[test]
fn rank_robustness_is_deterministic_and_contains_the_base_rank() {
    let (_, scores) = provinces();
    let a = rank_robustness(&scores, 0.3, 200, 42).unwrap();
    let b = rank_robustness(&scores, 0.3, 200, 42).unwrap();
    assert_eq!(a, b);
    let base = rank_index_scores(&scores).unwrap();
    for i in &a.intervals {
        assert_eq!(Some(i.base_rank), base.rank_of(&i.unit));
        assert!(i.best <= i.base_rank && i.base_rank <= i.worst, "{i:?}");
        assert!(f64::from(i.best) <= i.median && i.median <= f64::from(i.worst));
    }
    assert!(a.intervals.iter().any(|i| i.best < i.worst), "{a}");
    let c = rank_robustness(&scores, 0.3, 200, 43).unwrap();
    assert_eq!(c.intervals.len(), a.intervals.len());
    // No perturbation: every draw is the base ranking.
    let fixed = rank_robustness(&scores, 0.0, 10, 7).unwrap();
    for i in &fixed.intervals {
        assert_eq!((i.best, i.worst), (i.base_rank, i.base_rank));
        assert!(close(i.median, f64::from(i.base_rank), 0.0));
    }
    assert!(rank_robustness(&scores, 1.0, 10, 7).is_err());
    assert!(rank_robustness(&scores, 0.1, 0, 7).is_err());
    assert!(rank_robustness(&[], 0.1, 10, 7).is_err());
    assert!(a.to_string().contains("seed 42"));
}

#[test]
fn area_weights_validate_and_default_to_the_plain_index() {
    let (_, scores) = provinces();
    let s = scores.first().unwrap();
    let plain = AreaWeights::new(Vec::<(String, f64)>::new()).unwrap();
    assert!(close(plain.index_of(s).unwrap().unwrap(), s.index.unwrap(), 1e-9));
    assert!(AreaWeights::new([("1", -1.0)]).is_err());
    assert!(AreaWeights::new([("1", f64::NAN)]).is_err());
    assert!(AreaWeights::new([("1", 0.0)]).is_err());
    assert!(AreaWeights::new([("1", 1.0), ("1", 2.0)]).is_err());
    assert!(AreaWeights::new([("9", 1.0)]).unwrap().index_of(s).is_err());
}

#[test]
fn results_round_trip_through_serde() {
    let (groups, assessment) = quang_nam_2024();
    let score = index_score(&groups, &assessment).unwrap();
    // serde_json may round the last digit of a float; compare with a tolerance.
    let json = serde_json::to_string(&score).unwrap();
    let back: IndexScore = serde_json::from_str(&json).unwrap();
    assert_eq!((back.unit.as_str(), back.year, back.nodes.len()), ("49", 2024, 6));
    for (x, y) in back.nodes.iter().zip(&score.nodes) {
        assert_eq!(x.id, y.id);
        assert!(close(x.percent.unwrap(), y.percent.unwrap(), 1e-12));
    }
    let json = serde_json::to_string(&assessment).unwrap();
    assert_eq!(serde_json::from_str::<Assessment>(&json).unwrap(), assessment);
}

/// A two-level framework with `n` areas of two leaves each, leaf maxima given.
fn synthetic(maxima: &[f64]) -> IndexFramework {
    let mut nodes = Vec::new();
    for (i, pair) in maxima.chunks(2).enumerate() {
        let area = format!("{}", i + 1);
        let sum: f64 = pair.iter().sum();
        nodes.push(
            FrameworkNode::new(&area, None, "Lĩnh vực", ScoreSource::Appraisal).with_max(sum),
        );
        for (j, m) in pair.iter().enumerate() {
            nodes.push(
                FrameworkNode::new(
                    format!("{area}.{}", j + 1),
                    Some(&area),
                    "Tiêu chí",
                    ScoreSource::Appraisal,
                )
                .with_max(*m),
            );
        }
    }
    IndexFramework::new(FrameworkSpec {
        id: "synthetic".to_owned(),
        name_vi: "Tổng hợp".to_owned(),
        name_en: None,
        max_points: None,
        min_points: None,
        additive: true,
        note: None,
        nodes,
    })
    .unwrap()
}

/// Leaf maxima and achieved fractions, 2 to 8 leaves (an even number).
fn leaves_strategy() -> impl Strategy<Value = Vec<(f64, f64)>> {
    (1usize..=4)
        .prop_flat_map(|areas| prop::collection::vec((0.5f64..30.0, 0.0f64..=1.0), areas * 2))
}

fn score_of(f: &IndexFramework, leaves: &[(f64, f64)]) -> IndexScore {
    let points =
        f.leaves().zip(leaves).map(|(l, (max, frac))| LeafPoints::scored(l.id.clone(), max * frac));
    let a = Assessment::new(f, "U", 2024, points).unwrap();
    index_score(f, &a).unwrap()
}

proptest! {
    #[test]
    fn index_stays_within_0_and_100(leaves in leaves_strategy()) {
        let maxima: Vec<f64> = leaves.iter().map(|l| l.0).collect();
        let f = synthetic(&maxima);
        let index = score_of(&f, &leaves).index.unwrap();
        prop_assert!((0.0..=100.0).contains(&index));
    }

    #[test]
    fn index_rises_when_any_leaf_rises(leaves in leaves_strategy(), pick in any::<prop::sample::Index>(), bump in 0.01f64..1.0) {
        let maxima: Vec<f64> = leaves.iter().map(|l| l.0).collect();
        let f = synthetic(&maxima);
        let i = pick.index(leaves.len());
        prop_assume!(leaves[i].1 < 0.99);
        let before = score_of(&f, &leaves).index.unwrap();
        let mut raised = leaves.clone();
        raised[i].1 = (raised[i].1 + bump).min(1.0);
        let after = score_of(&f, &raised).index.unwrap();
        prop_assert!(after > before, "{before} -> {after}");
    }

    #[test]
    fn index_ignores_the_order_of_leaves(leaves in leaves_strategy(), seed in any::<u64>()) {
        let maxima: Vec<f64> = leaves.iter().map(|l| l.0).collect();
        let f = synthetic(&maxima);
        let mut points: Vec<LeafPoints> = f.leaves().zip(&leaves)
            .map(|(l, (max, frac))| LeafPoints::scored(l.id.clone(), max * frac)).collect();
        let a = Assessment::new(&f, "U", 2024, points.clone()).unwrap();
        // Deterministic shuffle by rotation and reversal.
        let k = (seed as usize) % points.len();
        points.rotate_left(k);
        if seed % 2 == 0 { points.reverse(); }
        let b = Assessment::new(&f, "U", 2024, points).unwrap();
        prop_assert_eq!(&a, &b);
        let sa = index_score(&f, &a).unwrap();
        let sb = index_score(&f, &b).unwrap();
        prop_assert_eq!(sa.index, sb.index);
        // Node order in the file does not matter either.
        let mut spec = f.spec().clone();
        spec.nodes.reverse();
        let g = IndexFramework::new(spec).unwrap();
        let by_id: Vec<LeafPoints> = a.leaves().iter().map(|l| LeafPoints {
            id: l.id.clone(), points: l.points, source: None,
        }).collect();
        let c = Assessment::new(&g, "U", 2024, by_id).unwrap();
        let sc = index_score(&g, &c).unwrap();
        prop_assert!((sc.index.unwrap() - sa.index.unwrap()).abs() < 1e-9);
    }

    #[test]
    fn index_is_unchanged_when_all_weights_are_scaled(
        leaves in leaves_strategy(),
        weights in prop::collection::vec(0.1f64..5.0, 4),
        scale in 0.01f64..100.0,
    ) {
        let maxima: Vec<f64> = leaves.iter().map(|l| l.0).collect();
        let f = synthetic(&maxima);
        let score = score_of(&f, &leaves);
        let areas: Vec<String> = score.areas().map(|a| a.id.clone()).collect();
        let w = AreaWeights::new(areas.iter().zip(&weights).map(|(a, w)| (a.clone(), *w))).unwrap();
        let scaled = AreaWeights::new(areas.iter().zip(&weights).map(|(a, w)| (a.clone(), w * scale))).unwrap();
        let x = w.index_of(&score).unwrap().unwrap();
        let y = scaled.index_of(&score).unwrap().unwrap();
        prop_assert!((x - y).abs() < 1e-9, "{x} vs {y}");
        // Scaling every leaf's maximum and points together leaves the index too.
        let g = synthetic(&maxima.iter().map(|m| m * scale).collect::<Vec<_>>());
        let scaled_leaves: Vec<(f64, f64)> = leaves.iter().map(|(m, frac)| (m * scale, *frac)).collect();
        let z = score_of(&g, &scaled_leaves).index.unwrap();
        prop_assert!((z - score.index.unwrap()).abs() < 1e-9);
    }
}
