//! Frozen on-disk records of the reform scores: index frameworks, assessments and
//! SIPAS surveys, with their keys (see the table in `store/scores.rs`).

use serde::{Deserialize, Serialize};

use crate::model::score::{
    Assessment, FrameworkNode, FrameworkSpec, IndexFramework, LeafScore, Points, ScoreSource,
    SipasFactor, Survey, SurveyItem,
};
use crate::store::Inner;
use crate::store::collection::StoredRecord;
use crate::{Error, RecordKind, Result};

pub(crate) use crate::store::keys::tree::{ASSESSMENTS, FRAMEWORKS, SURVEYS};

/// Encodes a year so byte order is year order.
pub(crate) fn year_bytes(year: i32) -> [u8; 4] {
    ((year as u32) ^ 0x8000_0000).to_be_bytes()
}

/// Rejects text that cannot be the first part of a key: text holding `0x00`.
pub(crate) fn check_key_text(field: &'static str, text: &str) -> Result<()> {
    if text.contains('\0') {
        return Err(Error::invalid(field, "must not contain the NUL character"));
    }
    Ok(())
}

pub(crate) fn source_tag(source: ScoreSource) -> u8 {
    match source {
        ScoreSource::Appraisal => 0,
        ScoreSource::Survey => 1,
        ScoreSource::Computed => 2,
        ScoreSource::Mixed => 3,
    }
}

pub(crate) fn source_from(tag: u8) -> Result<ScoreSource> {
    Ok(match tag {
        0 => ScoreSource::Appraisal,
        1 => ScoreSource::Survey,
        2 => ScoreSource::Computed,
        3 => ScoreSource::Mixed,
        _ => return Err(Error::invalid("record.source", "unknown score source")),
    })
}

pub(crate) fn factor_tag(factor: SipasFactor) -> u8 {
    match factor {
        SipasFactor::TiepCanDichVu => 0,
        SipasFactor::ThuTucHanhChinh => 1,
        SipasFactor::CongChuc => 2,
        SipasFactor::KetQuaDichVu => 3,
        SipasFactor::GopYPhanAnh => 4,
    }
}

pub(crate) fn factor_from(tag: u8) -> Result<SipasFactor> {
    SipasFactor::ALL
        .get(usize::from(tag))
        .copied()
        .ok_or_else(|| Error::invalid("record.factor", "unknown SIPAS factor"))
}

/// Versioned index framework record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum FrameworkRecord {
    V1(FrameworkV1),
}

/// Index framework, format 1: the [`FrameworkSpec`] with nodes in depth-first order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FrameworkV1 {
    pub id: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub max_points: Option<f64>,
    pub min_points: Option<f64>,
    pub additive: bool,
    pub note: Option<String>,
    pub nodes: Vec<FrameworkNodeV1>,
}

/// Framework node, format 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FrameworkNodeV1 {
    pub id: String,
    pub parent: Option<String>,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub max_points: Option<f64>,
    pub min_points: Option<f64>,
    /// 0 appraisal, 1 survey, 2 computed, 3 mixed.
    pub source: u8,
    pub threshold_percent: Option<f64>,
    pub additive: bool,
    pub note: Option<String>,
}

impl From<&IndexFramework> for FrameworkRecord {
    fn from(f: &IndexFramework) -> Self {
        let spec = f.spec();
        FrameworkRecord::V1(FrameworkV1 {
            id: spec.id.clone(),
            name_vi: spec.name_vi.clone(),
            name_en: spec.name_en.clone(),
            max_points: spec.max_points,
            min_points: spec.min_points,
            additive: spec.additive,
            note: spec.note.clone(),
            nodes: spec
                .nodes
                .iter()
                .map(|n| FrameworkNodeV1 {
                    id: n.id.clone(),
                    parent: n.parent.clone(),
                    name_vi: n.name_vi.clone(),
                    name_en: n.name_en.clone(),
                    max_points: n.max_points,
                    min_points: n.min_points,
                    source: source_tag(n.source),
                    threshold_percent: n.threshold_percent,
                    additive: n.additive,
                    note: n.note.clone(),
                })
                .collect(),
        })
    }
}

impl TryFrom<FrameworkRecord> for IndexFramework {
    type Error = Error;
    fn try_from(record: FrameworkRecord) -> Result<Self> {
        let FrameworkRecord::V1(r) = record;
        let nodes = r
            .nodes
            .into_iter()
            .map(|n| {
                let mut node = FrameworkNode::new(
                    n.id,
                    n.parent.as_deref(),
                    n.name_vi,
                    source_from(n.source)?,
                );
                node.name_en = n.name_en;
                node.max_points = n.max_points;
                node.min_points = n.min_points;
                node.threshold_percent = n.threshold_percent;
                node.additive = n.additive;
                node.note = n.note;
                Ok(node)
            })
            .collect::<Result<Vec<_>>>()?;
        IndexFramework::new(FrameworkSpec {
            id: r.id,
            name_vi: r.name_vi,
            name_en: r.name_en,
            max_points: r.max_points,
            min_points: r.min_points,
            additive: r.additive,
            note: r.note,
            nodes,
        })
    }
}

/// Versioned assessment record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum AssessmentRecord {
    V1(AssessmentV1),
}

/// Assessment, format 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AssessmentV1 {
    pub framework_id: String,
    pub unit: String,
    pub year: i32,
    pub leaves: Vec<LeafV1>,
}

/// One leaf's points, format 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LeafV1 {
    pub id: String,
    /// 0 appraisal, 1 survey, 2 computed, 3 mixed.
    pub source: u8,
    /// `None` = explicitly missing.
    pub points: Option<f64>,
}

impl From<&Assessment> for AssessmentRecord {
    fn from(a: &Assessment) -> Self {
        AssessmentRecord::V1(AssessmentV1 {
            framework_id: a.framework_id().to_owned(),
            unit: a.unit().to_owned(),
            year: a.year(),
            leaves: a
                .leaves()
                .iter()
                .map(|l| LeafV1 {
                    id: l.id.clone(),
                    source: source_tag(l.source),
                    points: l.points.value(),
                })
                .collect(),
        })
    }
}

impl TryFrom<AssessmentRecord> for Assessment {
    type Error = Error;
    fn try_from(record: AssessmentRecord) -> Result<Self> {
        let AssessmentRecord::V1(r) = record;
        if r.unit.trim().is_empty() {
            return Err(Error::invalid("record.unit", "must not be empty"));
        }
        let leaves = r
            .leaves
            .into_iter()
            .map(|l| {
                let points = match l.points {
                    Some(p) if !p.is_finite() => {
                        return Err(Error::invalid("record.points", "not finite"));
                    }
                    Some(p) => Points::Scored(p),
                    None => Points::Missing,
                };
                Ok(LeafScore { id: l.id, source: source_from(l.source)?, points })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Assessment::from_stored(r.framework_id, r.unit, r.year, leaves))
    }
}

/// Versioned SIPAS survey record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum SurveyRecord {
    V1(SurveyV1),
}

/// Survey, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SurveyV1 {
    pub unit: String,
    pub year: i32,
    pub items: Vec<SurveyItemV1>,
    /// One answer per item, in item order; `None` = not answered.
    pub responses: Vec<Vec<Option<u8>>>,
}

/// Survey item, format 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SurveyItemV1 {
    pub id: String,
    /// Index into `SipasFactor::ALL`.
    pub factor: u8,
    pub text_vi: String,
}

impl From<&Survey> for SurveyRecord {
    fn from(s: &Survey) -> Self {
        SurveyRecord::V1(SurveyV1 {
            unit: s.unit().to_owned(),
            year: s.year(),
            items: s
                .items()
                .iter()
                .map(|i| SurveyItemV1 {
                    id: i.id.clone(),
                    factor: factor_tag(i.factor),
                    text_vi: i.text_vi.clone(),
                })
                .collect(),
            responses: s.responses().to_vec(),
        })
    }
}

impl TryFrom<SurveyRecord> for Survey {
    type Error = Error;
    fn try_from(record: SurveyRecord) -> Result<Self> {
        let SurveyRecord::V1(r) = record;
        let items = r
            .items
            .into_iter()
            .map(|i| Ok(SurveyItem::new(i.id, factor_from(i.factor)?, i.text_vi)))
            .collect::<Result<Vec<_>>>()?;
        Survey::new(r.unit, r.year, items, r.responses)
    }
}

pub(crate) fn framework_key(id: &str) -> Vec<u8> {
    id.as_bytes().to_vec()
}

pub(crate) fn assessment_prefix(framework_id: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(framework_id.len() + 1);
    key.extend_from_slice(framework_id.as_bytes());
    key.push(0);
    key
}

pub(crate) fn assessment_year_prefix(framework_id: &str, year: i32) -> Vec<u8> {
    let mut key = assessment_prefix(framework_id);
    key.extend_from_slice(&year_bytes(year));
    key
}

pub(crate) fn assessment_key(framework_id: &str, year: i32, unit: &str) -> Vec<u8> {
    let mut key = assessment_year_prefix(framework_id, year);
    key.extend_from_slice(unit.as_bytes());
    key
}

pub(crate) fn survey_prefix(unit: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(unit.len() + 5);
    key.extend_from_slice(unit.as_bytes());
    key.push(0);
    key
}

pub(crate) fn survey_key(unit: &str, year: i32) -> Vec<u8> {
    let mut key = survey_prefix(unit);
    key.extend_from_slice(&year_bytes(year));
    key
}

impl StoredRecord for IndexFramework {
    const TREE: &'static str = FRAMEWORKS;
    fn tree(inner: &Inner) -> &sled::Tree {
        &inner.frameworks
    }
    const KIND: RecordKind = RecordKind::Framework;
    type Record = FrameworkRecord;
    fn key(&self) -> Vec<u8> {
        framework_key(self.id())
    }
    fn to_record(&self) -> FrameworkRecord {
        FrameworkRecord::from(self)
    }
    fn from_record(record: FrameworkRecord) -> Result<Self> {
        Self::try_from(record)
    }
}

impl StoredRecord for Assessment {
    const TREE: &'static str = ASSESSMENTS;
    fn tree(inner: &Inner) -> &sled::Tree {
        &inner.assessments
    }
    const KIND: RecordKind = RecordKind::Assessment;
    type Record = AssessmentRecord;
    fn key(&self) -> Vec<u8> {
        assessment_key(self.framework_id(), self.year(), self.unit())
    }
    fn to_record(&self) -> AssessmentRecord {
        AssessmentRecord::from(self)
    }
    fn from_record(record: AssessmentRecord) -> Result<Self> {
        Self::try_from(record)
    }
}

impl StoredRecord for Survey {
    const TREE: &'static str = SURVEYS;
    fn tree(inner: &Inner) -> &sled::Tree {
        &inner.surveys
    }
    const KIND: RecordKind = RecordKind::Survey;
    type Record = SurveyRecord;
    fn key(&self) -> Vec<u8> {
        survey_key(self.unit(), self.year())
    }
    fn to_record(&self) -> SurveyRecord {
        SurveyRecord::from(self)
    }
    fn from_record(record: SurveyRecord) -> Result<Self> {
        Self::try_from(record)
    }
}
