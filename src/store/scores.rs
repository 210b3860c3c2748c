//! Reform-score records: index frameworks, assessments and SIPAS surveys, kept in
//! [`Collection`]s with frozen versioned records.
//!
//! # Trees and keys
//!
//! | tree | key | value |
//! | --- | --- | --- |
//! | `score_frameworks` | framework id (UTF-8) | [`FrameworkRecord`] |
//! | `score_assessments` | framework id ++ `0x00` ++ year ++ unit (UTF-8) | [`AssessmentRecord`] |
//! | `score_surveys` | unit (UTF-8) ++ `0x00` ++ year | [`SurveyRecord`] |
//!
//! A year is 4 bytes, big-endian with the sign bit flipped, so keys sort by year.
//! Framework ids and units may not contain `0x00`, so the separator makes prefix
//! scans exact: the assessments of a framework, and of a framework in a year, are
//! one prefix scan each; the surveys of a unit are one prefix scan. The
//! assessments of a unit (across frameworks) and anything "by year" across the
//! first key part are filters over a scan, O(n) in the collection, and say so.
//!
//! The record types are crate-private and frozen: [`Persisted`](crate::Persisted) works
//! in bytes, so they never reach the public API.

use crate::model::score::{Assessment, IndexFramework, Survey};
use crate::store::Store;
use crate::store::collection::Collection;
use crate::store::records::score::{
    assessment_key, assessment_prefix, assessment_year_prefix, check_key_text, framework_key,
    survey_key, survey_prefix,
};
use crate::{Error, RecordKind, Result};

/// The index frameworks of a store, keyed by framework id.
#[derive(Debug, Clone, Copy)]
pub struct Frameworks<'a> {
    store: &'a Store,
}

impl<'a> Frameworks<'a> {
    fn collection(self) -> Collection<'a, IndexFramework> {
        self.store.collection()
    }

    /// Stores a new framework. A framework is immutable once stored, because
    /// assessments were validated against it.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the id contains the NUL character;
    /// [`Error::Duplicate`] when a framework with the id exists; [`Error::Storage`].
    pub fn insert(&self, framework: &IndexFramework) -> Result<()> {
        check_key_text("framework.id", framework.id())?;
        self.collection().insert(framework)
    }

    /// Returns the framework with `id`.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the stored bytes do not decode; [`Error::Storage`].
    pub fn get(&self, id: &str) -> Result<Option<IndexFramework>> {
        self.collection().get_by_key(&framework_key(id))
    }

    /// Returns every framework, by id. O(n).
    ///
    /// # Errors
    /// As [`Frameworks::get`].
    pub fn all(&self) -> Result<Vec<IndexFramework>> {
        self.collection().all()
    }

    /// Returns how many frameworks are stored. O(n).
    pub fn len(&self) -> usize {
        self.collection().len()
    }

    /// Returns whether no framework is stored.
    pub fn is_empty(&self) -> bool {
        self.collection().is_empty()
    }
}

/// The assessments of a store, keyed by framework, year and unit.
#[derive(Debug, Clone, Copy)]
pub struct Assessments<'a> {
    store: &'a Store,
}

impl<'a> Assessments<'a> {
    fn collection(self) -> Collection<'a, Assessment> {
        self.store.collection()
    }

    /// Stores a new assessment after checking it against its stored framework
    /// ([`Assessment::check_against`]). Nothing is written on error.
    ///
    /// The check and the write are two steps: a framework is never replaced or
    /// removed through this API, so it cannot change between them.
    ///
    /// # Errors
    /// [`Error::NotFound`] (kind framework) when the framework is not stored;
    /// [`Error::InvalidInput`] when the assessment does not fit it or its unit
    /// contains the NUL character; [`Error::Duplicate`] when the framework, year
    /// and unit already have an assessment; [`Error::Corrupt`]; [`Error::Storage`].
    ///
    /// ```
    /// use cchc::Store;
    /// use cchc::model::score::{decision766_portal, Assessment, LeafPoints};
    ///
    /// let store = Store::temporary()?;
    /// let groups = decision766_portal().area_level();
    /// store.frameworks().insert(&groups)?;
    /// let points = [("CKMB", 13.2), ("TDGQ", 18.4), ("CLGQ", 7.7), ("TTTT", 7.6), ("MDHL", 17.6), ("MDSH", 15.6)]
    ///     .map(|(id, p)| LeafPoints::scored(id, p));
    /// store.assessments().insert(&Assessment::new(&groups, "49", 2024, points)?)?;
    /// assert_eq!(store.assessments().by_framework(groups.id())?.len(), 1);
    /// assert!(store.assessments().get(groups.id(), 2024, "49")?.is_some());
    /// # Ok::<(), cchc::Error>(())
    /// ```
    pub fn insert(&self, assessment: &Assessment) -> Result<()> {
        check_key_text("assessment.unit", assessment.unit())?;
        let framework =
            self.store.frameworks().get(assessment.framework_id())?.ok_or_else(|| {
                Error::NotFound {
                    kind: RecordKind::Framework,
                    id: assessment.framework_id().to_owned(),
                }
            })?;
        assessment.check_against(&framework)?;
        self.collection().insert(assessment)
    }

    /// Returns the assessment of `unit` for `year` under framework `framework_id`.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the stored bytes do not decode; [`Error::Storage`].
    pub fn get(&self, framework_id: &str, year: i32, unit: &str) -> Result<Option<Assessment>> {
        self.collection().get_by_key(&assessment_key(framework_id, year, unit))
    }

    /// Removes an assessment and returns whether there was one.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn remove(&self, framework_id: &str, year: i32, unit: &str) -> Result<bool> {
        self.collection().remove_by_key(&assessment_key(framework_id, year, unit))
    }

    /// Returns the assessments under a framework, by year then unit: one prefix scan.
    ///
    /// # Errors
    /// As [`Assessments::get`].
    pub fn by_framework(&self, framework_id: &str) -> Result<Vec<Assessment>> {
        if framework_id.contains('\0') {
            return Ok(Vec::new());
        }
        self.collection().scan_prefix(&assessment_prefix(framework_id))
    }

    /// Returns the assessments under a framework for one year, by unit: one
    /// prefix scan. This is the input of a ranking.
    ///
    /// # Errors
    /// As [`Assessments::get`].
    pub fn by_framework_year(&self, framework_id: &str, year: i32) -> Result<Vec<Assessment>> {
        if framework_id.contains('\0') {
            return Ok(Vec::new());
        }
        self.collection().scan_prefix(&assessment_year_prefix(framework_id, year))
    }

    /// Returns every assessment of `unit`, by framework then year. A filter over
    /// all assessments: O(n).
    ///
    /// # Errors
    /// As [`Assessments::get`].
    pub fn by_unit(&self, unit: &str) -> Result<Vec<Assessment>> {
        Ok(self.all()?.into_iter().filter(|a| a.unit() == unit).collect())
    }

    /// Returns every assessment of `year`, by framework then unit. A filter over
    /// all assessments: O(n).
    ///
    /// # Errors
    /// As [`Assessments::get`].
    pub fn by_year(&self, year: i32) -> Result<Vec<Assessment>> {
        Ok(self.all()?.into_iter().filter(|a| a.year() == year).collect())
    }

    /// Returns every assessment, by framework, year and unit. O(n).
    ///
    /// # Errors
    /// As [`Assessments::get`].
    pub fn all(&self) -> Result<Vec<Assessment>> {
        self.collection().all()
    }

    /// Returns how many assessments are stored. O(n).
    pub fn len(&self) -> usize {
        self.collection().len()
    }

    /// Returns whether no assessment is stored.
    pub fn is_empty(&self) -> bool {
        self.collection().is_empty()
    }
}

/// The SIPAS surveys of a store, one per unit and year.
#[derive(Debug, Clone, Copy)]
pub struct Surveys<'a> {
    store: &'a Store,
}

impl<'a> Surveys<'a> {
    fn collection(self) -> Collection<'a, Survey> {
        self.store.collection()
    }

    /// Stores a new survey.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the unit contains the NUL character;
    /// [`Error::Duplicate`] when the unit already has a survey for the year;
    /// [`Error::Storage`].
    pub fn insert(&self, survey: &Survey) -> Result<()> {
        check_key_text("survey.unit", survey.unit())?;
        self.collection().insert(survey)
    }

    /// Returns the survey of `unit` for `year`.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the stored bytes do not decode; [`Error::Storage`].
    pub fn get(&self, unit: &str, year: i32) -> Result<Option<Survey>> {
        self.collection().get_by_key(&survey_key(unit, year))
    }

    /// Removes a survey and returns whether there was one.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn remove(&self, unit: &str, year: i32) -> Result<bool> {
        self.collection().remove_by_key(&survey_key(unit, year))
    }

    /// Returns the surveys of `unit`, by year: one prefix scan.
    ///
    /// # Errors
    /// As [`Surveys::get`].
    pub fn by_unit(&self, unit: &str) -> Result<Vec<Survey>> {
        if unit.contains('\0') {
            return Ok(Vec::new());
        }
        self.collection().scan_prefix(&survey_prefix(unit))
    }

    /// Returns the surveys of `year`, by unit. A filter over all surveys: O(n).
    ///
    /// # Errors
    /// As [`Surveys::get`].
    pub fn by_year(&self, year: i32) -> Result<Vec<Survey>> {
        Ok(self.all()?.into_iter().filter(|s| s.year() == year).collect())
    }

    /// Returns every survey, by unit then year. O(n).
    ///
    /// # Errors
    /// As [`Surveys::get`].
    pub fn all(&self) -> Result<Vec<Survey>> {
        self.collection().all()
    }

    /// Returns how many surveys are stored. O(n).
    pub fn len(&self) -> usize {
        self.collection().len()
    }

    /// Returns whether no survey is stored.
    pub fn is_empty(&self) -> bool {
        self.collection().is_empty()
    }
}

impl Store {
    /// Returns the index frameworks view.
    pub fn frameworks(&self) -> Frameworks<'_> {
        Frameworks { store: self }
    }

    /// Returns the assessments view.
    pub fn assessments(&self) -> Assessments<'_> {
        Assessments { store: self }
    }

    /// Returns the SIPAS surveys view.
    pub fn surveys(&self) -> Surveys<'_> {
        Surveys { store: self }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

    use super::*;
    use crate::model::score::{LeafPoints, ScoreSource, SipasFactor, SurveyItem};
    use crate::store::codec::{decode, encode};
    use crate::store::collection::StoredRecord;
    use crate::store::records::score::*;
    use proptest::prelude::*;

    /// A small framework using every field: English names, minima, a
    /// threshold, a non-additive node, notes, a mixed source.
    fn framework() -> IndexFramework {
        IndexFramework::from_json(
            r#"{
              "id": "demo.2025", "name_vi": "Chỉ số thử", "name_en": "Demo index",
              "max_points": 30, "min_points": 2, "note": "thử nghiệm",
              "nodes": [
                { "id": "1", "name_vi": "Lĩnh vực 1", "name_en": "Area 1", "max_points": 20,
                  "min_points": 2, "source": "mixed" },
                { "id": "1.1", "parent": "1", "name_vi": "Tiêu chí 1.1", "max_points": 12,
                  "min_points": 2, "source": "mixed", "note": "ghi chú" },
                { "id": "1.2", "parent": "1", "name_vi": "Tiêu chí 1.2", "max_points": 8,
                  "source": "survey", "threshold_percent": 80 },
                { "id": "2", "name_vi": "Lĩnh vực 2", "max_points": 10, "source": "computed",
                  "additive": false },
                { "id": "2.1", "parent": "2", "name_vi": "Tiêu chí 2.1", "max_points": 4,
                  "source": "computed" }
              ]
            }"#,
        )
        .unwrap()
    }

    fn assessment(unit: &str, year: i32) -> Assessment {
        Assessment::new(
            &framework(),
            unit,
            year,
            [
                LeafPoints::scored("1.1", 7.25).with_source(ScoreSource::Appraisal),
                LeafPoints::missing("1.2"),
                LeafPoints::scored("2.1", 3.5),
            ],
        )
        .unwrap()
    }

    fn survey(unit: &str, year: i32) -> Survey {
        Survey::new(
            unit,
            year,
            vec![
                SurveyItem::new("q1", SipasFactor::TiepCanDichVu, "Dễ tiếp cận"),
                SurveyItem::new("q2", SipasFactor::GopYPhanAnh, "Góp ý được tiếp nhận"),
            ],
            vec![vec![Some(5), Some(4)], vec![Some(1), None], vec![None, Some(3)]],
        )
        .unwrap()
    }

    /// Golden bytes: `encode(record) == file` and `decode(file) == value`. The
    /// file is written only with `CCHC_BLESS=1`; a missing file fails.
    fn golden<T>(name: &str, value: &T)
    where
        T: StoredRecord + PartialEq + std::fmt::Debug,
    {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/format-v1")
            .join(format!("{name}.bin"));
        let bytes = encode(&value.to_record()).unwrap();
        if std::env::var("CCHC_BLESS").as_deref() == Ok("1") {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let stored = std::fs::read(&path).unwrap_or_else(|e| {
            panic!("{}: {e}; run with CCHC_BLESS=1 to write it", path.display())
        });
        assert_eq!(bytes, stored, "{name}: the encoding changed; a format change needs V2");
        let record: T::Record = decode(&stored, T::TREE, b"golden").unwrap();
        assert_eq!(&T::from_record(record).unwrap(), value);
    }

    #[test]
    fn golden_framework_v1() {
        golden("framework", &framework());
    }

    #[test]
    fn golden_assessment_v1() {
        golden("assessment", &assessment("49", 2024));
    }

    #[test]
    fn golden_survey_v1() {
        golden("survey", &survey("000.00.00.H49", 2024));
    }

    #[test]
    fn presets_round_trip_through_records() {
        use crate::model::score::*;
        for f in [
            decision766_portal(),
            decision766(),
            papi(),
            paindex_2017(),
            paindex_2023(),
            par_index_2022_province(),
        ] {
            let bytes = encode(&f.to_record()).unwrap();
            let record: FrameworkRecord = decode(&bytes, FRAMEWORKS, b"k").unwrap();
            assert_eq!(IndexFramework::from_record(record).unwrap(), f);
        }
    }

    #[test]
    fn bad_tags_are_errors_not_panics() {
        let FrameworkRecord::V1(mut f) = framework().to_record();
        f.nodes[0].source = 9;
        assert!(IndexFramework::from_record(FrameworkRecord::V1(f)).is_err());
        let SurveyRecord::V1(mut s) = survey("u", 2024).to_record();
        s.items[0].factor = 5;
        assert!(Survey::from_record(SurveyRecord::V1(s)).is_err());
        let AssessmentRecord::V1(mut a) = assessment("u", 2024).to_record();
        a.leaves[0].points = Some(f64::NAN);
        assert!(Assessment::from_record(AssessmentRecord::V1(a)).is_err());
    }

    #[test]
    fn store_round_trips_and_lookups_use_the_keys() {
        let store = Store::temporary().unwrap();
        let f = framework();
        store.frameworks().insert(&f).unwrap();
        assert!(matches!(
            store.frameworks().insert(&f),
            Err(Error::Duplicate { kind: RecordKind::Framework, .. })
        ));
        assert_eq!(store.frameworks().get("demo.2025").unwrap(), Some(f.clone()));
        assert_eq!(store.frameworks().get("demo").unwrap(), None);
        // A second framework whose id extends the first: its assessments must
        // not show up under the first's prefix.
        let mut spec = f.spec().clone();
        spec.id = "demo.2025x".to_owned();
        let g = IndexFramework::new(spec).unwrap();
        store.frameworks().insert(&g).unwrap();
        assert_eq!(store.frameworks().len(), 2);

        let views = store.assessments();
        for (unit, year) in [("49", 2024), ("48", 2024), ("49", 2023), ("49", 1900)] {
            views.insert(&assessment(unit, year)).unwrap();
        }
        let other = Assessment::new(
            &g,
            "49",
            2024,
            [
                LeafPoints::scored("1.1", 2.0),
                LeafPoints::scored("1.2", 8.0),
                LeafPoints::missing("2.1"),
            ],
        )
        .unwrap();
        views.insert(&other).unwrap();
        assert!(matches!(
            views.insert(&assessment("49", 2024)),
            Err(Error::Duplicate { kind: RecordKind::Assessment, .. })
        ));

        let keys = |v: Vec<Assessment>| {
            v.iter().map(|a| (a.unit().to_owned(), a.year())).collect::<Vec<_>>()
        };
        // By framework: year order, then unit.
        assert_eq!(
            keys(views.by_framework("demo.2025").unwrap()),
            [("49".into(), 1900), ("49".into(), 2023), ("48".into(), 2024), ("49".into(), 2024)]
        );
        assert_eq!(
            keys(views.by_framework_year("demo.2025", 2024).unwrap()),
            [("48".into(), 2024), ("49".into(), 2024)]
        );
        assert_eq!(views.by_framework("demo.2025x").unwrap(), vec![other.clone()]);
        assert_eq!(views.by_unit("49").unwrap().len(), 4);
        assert_eq!(views.by_year(2024).unwrap().len(), 3);
        assert_eq!(views.get("demo.2025", 2023, "49").unwrap(), Some(assessment("49", 2023)));
        assert_eq!(views.get("demo.2025", 2022, "49").unwrap(), None);
        assert_eq!(views.len(), 5);
        assert!(views.remove("demo.2025", 1900, "49").unwrap());
        assert!(!views.remove("demo.2025", 1900, "49").unwrap());
        assert_eq!(views.len(), 4);

        let surveys = store.surveys();
        surveys.insert(&survey("u1", 2024)).unwrap();
        surveys.insert(&survey("u1", 2023)).unwrap();
        surveys.insert(&survey("u10", 2024)).unwrap();
        assert!(matches!(
            surveys.insert(&survey("u1", 2024)),
            Err(Error::Duplicate { kind: RecordKind::Survey, .. })
        ));
        let years = |v: Vec<Survey>| v.iter().map(Survey::year).collect::<Vec<_>>();
        assert_eq!(years(surveys.by_unit("u1").unwrap()), [2023, 2024]);
        assert_eq!(surveys.by_year(2024).unwrap().len(), 2);
        assert_eq!(surveys.get("u10", 2024).unwrap(), Some(survey("u10", 2024)));
    }

    #[test]
    fn invalid_assessments_write_nothing() {
        let store = Store::temporary().unwrap();
        // Unknown framework.
        assert!(matches!(
            store.assessments().insert(&assessment("49", 2024)),
            Err(Error::NotFound { kind: RecordKind::Framework, .. })
        ));
        // A stored framework with the same id but other leaves: the assessment
        // no longer fits it.
        let mut spec = framework().spec().clone();
        spec.nodes.retain(|n| n.id != "2.1");
        spec.nodes.iter_mut().filter(|n| n.id == "2").for_each(|n| n.additive = true);
        spec.nodes.iter_mut().filter(|n| n.id == "2").for_each(|n| n.max_points = Some(10.0));
        let changed = IndexFramework::new(spec).unwrap();
        store.frameworks().insert(&changed).unwrap();
        assert!(matches!(
            store.assessments().insert(&assessment("49", 2024)),
            Err(Error::InvalidInput { field: "assessment.points", .. })
        ));
        // NUL in the unit would break the key's prefix structure: refused when
        // the assessment is built, as every control character is.
        let nul = Assessment::new(
            &changed,
            "4\09",
            2024,
            [
                LeafPoints::scored("1.1", 3.0),
                LeafPoints::scored("1.2", 3.0),
                LeafPoints::scored("2", 3.0),
            ],
        );
        assert!(matches!(nul, Err(Error::InvalidInput { field: "assessment.unit", .. })));
        assert!(store.assessments().is_empty());
    }

    #[test]
    fn records_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store.frameworks().insert(&framework()).unwrap();
            store.assessments().insert(&assessment("49", 2024)).unwrap();
            store.surveys().insert(&survey("49", 2024)).unwrap();
            store.sync().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.frameworks().all().unwrap(), vec![framework()]);
        assert_eq!(store.assessments().all().unwrap(), vec![assessment("49", 2024)]);
        assert_eq!(store.surveys().all().unwrap(), vec![survey("49", 2024)]);
    }

    proptest! {
        #[test]
        fn assessment_keys_sort_by_framework_year_unit(
            y1 in any::<i32>(), y2 in any::<i32>(), u1 in "[0-9A-Z.]{1,6}", u2 in "[0-9A-Z.]{1,6}",
        ) {
            let k1 = assessment_key("f", y1, &u1);
            let k2 = assessment_key("f", y2, &u2);
            prop_assert_eq!((y1, u1.as_bytes()).cmp(&(y2, u2.as_bytes())), k1.cmp(&k2));
            prop_assert!(k1.starts_with(&assessment_year_prefix("f", y1)));
            prop_assert!(!k1.starts_with(&assessment_prefix("f.")));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(r) = decode::<FrameworkRecord>(&bytes, FRAMEWORKS, b"k") {
                let _ = IndexFramework::from_record(r);
            }
            if let Ok(r) = decode::<AssessmentRecord>(&bytes, ASSESSMENTS, b"k") {
                let _ = Assessment::from_record(r);
            }
            if let Ok(r) = decode::<SurveyRecord>(&bytes, SURVEYS, b"k") {
                let _ = Survey::from_record(r);
            }
        }
    }
}
