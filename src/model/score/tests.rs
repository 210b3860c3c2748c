//! Tests of frameworks, presets, assessments and surveys.

// Tests may unwrap and index (STYLE §5: the restriction lints bind library code only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use super::*;
use crate::Error;

fn node(id: &str, parent: Option<&str>, max: Option<f64>) -> FrameworkNode {
    let mut n = FrameworkNode::new(id, parent, format!("Nút {id}"), ScoreSource::Appraisal);
    n.max_points = max;
    n
}

fn spec(nodes: Vec<FrameworkNode>) -> FrameworkSpec {
    FrameworkSpec {
        id: "t".to_owned(),
        name_vi: "Thử".to_owned(),
        name_en: None,
        max_points: None,
        min_points: None,
        additive: true,
        note: None,
        nodes,
    }
}

fn invalid_reason(result: crate::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(Error::InvalidInput { reason, .. }) => reason,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

fn all_presets() -> Vec<IndexFramework> {
    vec![
        decision766_portal(),
        decision766(),
        papi(),
        paindex_2017(),
        paindex_2023(),
        par_index_2022_province(),
        par_index_2017_province(),
    ]
}

#[test]
fn presets_are_valid_and_round_trip_through_json() {
    for preset in all_presets() {
        let rebuilt = IndexFramework::new(preset.spec().clone()).unwrap();
        assert_eq!(rebuilt, preset, "{}", preset.id());
        let again = IndexFramework::from_json(&preset.to_json().unwrap()).unwrap();
        assert_eq!(again, preset);
        assert!(!preset.to_string().is_empty());
    }
}

#[test]
fn decision766_portal_sums_to_100_and_groups_to_their_max() {
    let f = decision766_portal();
    assert_eq!(f.max_points(), Some(100.0));
    let groups: f64 = f.areas().filter_map(|a| a.max_points).sum();
    assert!((groups - 100.0).abs() < 1e-9);
    for group in PortalGroup::ALL {
        let area = f.node(group.code()).unwrap();
        assert_eq!(area.max_points, Some(group.max_points()));
        let children: f64 = f.children(group.code()).filter_map(|c| c.max_points).sum();
        assert!((children - group.max_points()).abs() < 1e-9, "{}", group.code());
    }
    let leaves: f64 = f.leaves().filter_map(|l| l.max_points).sum();
    assert!((leaves - 100.0).abs() < 1e-9);
    assert_eq!(f.leaves_without_max(), vec!["3.1", "3.2", "3.3"]);
    assert!(!f.is_complete());
    assert_eq!(f.node("5.4").unwrap().threshold_percent, Some(90.0));
    assert_eq!(f.node("3.3").unwrap().threshold_percent, Some(50.0));
    assert_eq!(f.area_level().leaves().count(), 6);
    assert!(f.area_level().is_complete());
}

#[test]
fn clgq_not_fixed_items_only_accept_points_that_keep_the_sum() {
    let f = decision766_portal();
    let reason = invalid_reason(f.clone().with_max_points("3.1", 4.0));
    assert!(reason.contains("CLGQ"), "{reason}");
    let f = f
        .with_max_points("3.1", 0.0)
        .and_then(|f| f.with_max_points("3.2", 0.0))
        .and_then(|f| f.with_max_points("3.3", 0.0))
        .unwrap();
    assert!(f.is_complete());
    assert!(matches!(f.with_max_points("9.9", 1.0), Err(Error::InvalidInput { .. })));
}

#[test]
fn decision_layout_and_mapping() {
    let f = decision766();
    let maxima: Vec<f64> = f.areas().filter_map(|a| a.max_points).collect();
    assert_eq!(maxima, vec![18.0, 20.0, 22.0, 22.0, 18.0]);
    let portal_sum: f64 = PortalGroup::ALL
        .iter()
        .filter(|g| g.decision_group() == DecisionGroup::CungCapDichVuTrucTuyen)
        .map(|g| g.max_points())
        .sum();
    assert!((portal_sum - 22.0).abs() < 1e-12);
    let mapped = to_decision_groups(PortalGroup::ALL.map(|g| (g, g.max_points())));
    for (group, points) in mapped {
        assert!((points - group.max_points()).abs() < 1e-12, "{group}");
    }
    assert_eq!(PortalGroup::from_code("TTTT"), Some(PortalGroup::Tttt));
    assert_eq!(PortalGroup::from_code("tttt"), None);
}

#[test]
fn papi_dimensions_are_sums_of_sub_dimensions() {
    let f = papi();
    assert_eq!((f.min_points(), f.max_points()), (Some(8.0), Some(80.0)));
    assert_eq!(f.areas().count(), 8);
    for d in f.areas() {
        assert_eq!((d.min_points, d.max_points), (Some(1.0), Some(10.0)));
        let subs: Vec<&FrameworkNode> = f.children(&d.id).collect();
        if subs.is_empty() {
            assert!(d.id == "D7" || d.id == "D8");
            continue;
        }
        let max: f64 = subs.iter().filter_map(|s| s.max_points).sum();
        let min: f64 = subs.iter().filter_map(|s| s.min_points).sum();
        assert!((max - 10.0).abs() < 1e-9 && (min - 1.0).abs() < 1e-9, "{}", d.id);
    }
    assert_eq!(f.children("D1").count(), 4);
    assert_eq!(f.children("D2").count(), 3);
}

#[test]
fn paindex_and_par_presets_have_the_sourced_points() {
    let sums =
        |f: &IndexFramework| -> Vec<Option<f64>> { f.areas().map(|a| a.max_points).collect() };
    assert_eq!(sums(&paindex_2017()), vec![Some(20.0), Some(30.0), Some(25.0), Some(25.0)]);
    assert_eq!(sums(&paindex_2023()), vec![Some(20.0), Some(30.0), Some(40.0), Some(10.0)]);
    for par in [par_index_2022_province(), par_index_2017_province()] {
        assert_eq!(sums(&par), vec![None; 8]);
        assert_eq!(par.max_points(), Some(100.0));
        assert_eq!(par.leaves_without_max().len(), 8);
    }
}

#[test]
fn cycles_are_rejected_naming_a_node() {
    let result = IndexFramework::new(spec(vec![
        node("root", None, None),
        node("a", Some("b"), Some(1.0)),
        node("b", Some("a"), Some(1.0)),
    ]));
    let reason = invalid_reason(result);
    assert!(reason.contains("cycle") && (reason.contains('a') || reason.contains('b')), "{reason}");
    let reason = invalid_reason(IndexFramework::new(spec(vec![node("x", Some("x"), None)])));
    assert!(reason.contains("node x is in a parent cycle"), "{reason}");
}

#[test]
fn structural_errors_are_typed() {
    let dup = IndexFramework::new(spec(vec![node("1", None, None), node("1", None, None)]));
    assert!(invalid_reason(dup).contains("twice"));
    let orphan = IndexFramework::new(spec(vec![node("1.1", Some("1"), None)]));
    assert!(invalid_reason(orphan).contains("parent 1 does not exist"));
    let bad_sum = IndexFramework::new(spec(vec![
        node("1", None, Some(10.0)),
        node("1.1", Some("1"), Some(4.0)),
        node("1.2", Some("1"), Some(5.0)),
    ]));
    assert!(invalid_reason(bad_sum).contains("node 1"));
    let mut not_additive = node("1", None, Some(10.0)).not_additive();
    not_additive.max_points = Some(10.0);
    assert!(
        IndexFramework::new(spec(vec![
            not_additive,
            node("1.1", Some("1"), Some(4.0)),
            node("1.2", Some("1"), Some(5.0)),
        ]))
        .is_ok()
    );
    for bad in [f64::NAN, -1.0, f64::INFINITY] {
        let r = IndexFramework::new(spec(vec![node("1", None, Some(bad))]));
        assert!(invalid_reason(r).contains("node 1"));
    }
    let json_cycle = r#"{"id":"j","name_vi":"J","nodes":[
        {"id":"a","parent":"b","name_vi":"A","source":"survey"},
        {"id":"b","parent":"a","name_vi":"B","source":"survey"}]}"#;
    assert!(invalid_reason(IndexFramework::from_json(json_cycle)).contains("cycle"));
    let via_serde: Result<IndexFramework, _> = serde_json::from_str(json_cycle);
    assert!(via_serde.is_err());
    assert!(matches!(IndexFramework::from_json("{"), Err(Error::InvalidInput { .. })));
}

#[test]
fn nodes_are_kept_in_depth_first_order() {
    let f = IndexFramework::new(spec(vec![
        node("1.1", Some("1"), Some(1.0)),
        node("2", None, Some(1.0)),
        node("1", None, Some(3.0)),
        node("1.2", Some("1"), Some(2.0)),
    ]))
    .unwrap();
    let ids: Vec<&str> = f.nodes().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["2", "1", "1.1", "1.2"]);
    assert_eq!(f.depth("1.2"), Some(1));
    assert_eq!(f.area_of("1.2").map(|n| n.id.as_str()), Some("1"));
}

#[test]
fn assessment_validates_points() {
    let f = decision766_portal().area_level();
    let full = |over: (&str, f64)| {
        PortalGroup::ALL.map(|g| {
            if g.code() == over.0 {
                LeafPoints::scored(g.code(), over.1)
            } else {
                LeafPoints::scored(g.code(), 1.0)
            }
        })
    };
    assert!(Assessment::new(&f, "49", 2024, full(("CKMB", 18.0))).is_ok());
    let reason = invalid_reason(Assessment::new(&f, "49", 2024, full(("CKMB", 18.5))));
    assert!(reason.contains("CKMB"), "{reason}");
    assert!(
        invalid_reason(Assessment::new(&f, "49", 2024, full(("TDGQ", f64::NAN)))).contains("TDGQ")
    );
    assert!(invalid_reason(Assessment::new(&f, "49", 2024, full(("TDGQ", -0.1)))).contains("TDGQ"));
    // Absent, unknown, duplicate.
    let absent: Vec<LeafPoints> = full(("CKMB", 1.0)).into_iter().skip(1).collect();
    assert!(invalid_reason(Assessment::new(&f, "49", 2024, absent)).contains("CKMB"));
    let mut unknown = full(("CKMB", 1.0)).to_vec();
    unknown.push(LeafPoints::scored("XX", 1.0));
    assert!(invalid_reason(Assessment::new(&f, "49", 2024, unknown)).contains("XX"));
    let mut twice = full(("CKMB", 1.0)).to_vec();
    twice.push(LeafPoints::missing("CKMB"));
    assert!(invalid_reason(Assessment::new(&f, "49", 2024, twice)).contains("twice"));
    assert!(Assessment::new(&f, " ", 2024, full(("CKMB", 1.0))).is_err());
    // Contradicting source.
    let mut wrong = full(("CKMB", 1.0)).to_vec();
    if let Some(first) = wrong.first_mut() {
        first.source = Some(ScoreSource::Survey);
    }
    assert!(invalid_reason(Assessment::new(&f, "49", 2024, wrong)).contains("source"));
}

#[test]
fn caller_supplied_maxima_must_be_filled_before_scoring() {
    let f = par_index_2017_province();
    let points = |first: Points| {
        (1..=8).map(move |i| LeafPoints {
            id: i.to_string(),
            points: if i == 1 { first } else { Points::Missing },
            source: None,
        })
    };
    assert!(Assessment::new(&f, "17", 2019, points(Points::Missing)).is_ok());
    let reason = invalid_reason(Assessment::new(&f, "17", 2019, points(Points::Scored(5.0))));
    assert!(reason.contains("leaf 1") && reason.contains("with_max_points"), "{reason}");
}

#[test]
fn papi_points_respect_sub_dimension_minimum() {
    let f = papi();
    let leaves: Vec<String> = f.leaves().map(|l| l.id.clone()).collect();
    let with = |value: f64| {
        leaves.iter().map(move |id| {
            if id == "D1.1" {
                LeafPoints::scored(id.clone(), value)
            } else {
                LeafPoints::missing(id.clone())
            }
        })
    };
    assert!(Assessment::new(&f, "89", 2016, with(0.874)).is_ok());
    assert!(invalid_reason(Assessment::new(&f, "89", 2016, with(0.2))).contains("D1.1"));
}

#[test]
fn score_indicator_follows_the_766_rule() {
    // Threshold 90 %, 6 points (indicator 5.4).
    assert_eq!(score_indicator(Some(90.0), 6.0, Some(90.0)), Some(6.0));
    assert_eq!(score_indicator(Some(95.0), 6.0, Some(90.0)), Some(6.0));
    let below = score_indicator(Some(72.0), 6.0, Some(90.0)).unwrap();
    assert!((below - 4.8).abs() < 1e-12);
    // No threshold: linear.
    let linear = score_indicator(Some(75.0), 20.0, None).unwrap();
    assert!((linear - 15.0).abs() < 1e-12);
    // Clamped ratios.
    assert_eq!(score_indicator(Some(130.0), 4.0, None), Some(4.0));
    assert_eq!(score_indicator(Some(-5.0), 4.0, Some(80.0)), Some(0.0));
    // Empty denominator and bad input.
    assert_eq!(score_indicator(None, 4.0, Some(80.0)), None);
    assert_eq!(score_indicator(Some(f64::NAN), 4.0, None), None);
    assert_eq!(score_indicator(Some(50.0), -1.0, None), None);
    assert_eq!(score_indicator(Some(50.0), 4.0, Some(120.0)), None);
}

#[test]
fn survey_rejects_answers_outside_the_scale() {
    let items = vec![
        SurveyItem::new("q1", SipasFactor::TiepCanDichVu, "Nơi ngồi chờ"),
        SurveyItem::new("q2", SipasFactor::CongChuc, "Thái độ công chức"),
    ];
    assert!(Survey::new("01", 2023, items.clone(), vec![vec![Some(5), None]]).is_ok());
    for bad in [0, 6] {
        let r = Survey::new("01", 2023, items.clone(), vec![vec![Some(bad), None]]);
        assert!(invalid_reason(r).contains("q1"));
    }
    assert!(Survey::new("01", 2023, items.clone(), vec![vec![Some(3)]]).is_err());
    assert!(Survey::new("01", 2023, vec![], vec![]).is_err());
    let mut dup = items;
    dup.push(SurveyItem::new("q1", SipasFactor::KetQuaDichVu, "Lặp"));
    assert!(Survey::new("01", 2023, dup, vec![]).is_err());
    let json = r#"{"unit":"01","year":2023,"items":[{"id":"q","factor":"CongChuc","text_vi":"x"}],"responses":[[7]]}"#;
    assert!(serde_json::from_str::<Survey>(json).is_err());
    let ok = json.replace("[[7]]", "[[4],[null]]");
    let survey: Survey = serde_json::from_str(&ok).unwrap();
    assert_eq!(survey.responses().len(), 2);
}
