//! SIPAS satisfaction surveys: items grouped by service factor, answers on a
//! 5-point scale.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::time_limit::check_year;
use crate::{Error, Result};

/// The five service factors of SIPAS (yếu tố phục vụ), \[S\] DOMAIN §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SipasFactor {
    /// Tiếp cận dịch vụ (access to the service).
    #[serde(alias = "TiepCanDichVu")]
    TiepCanDichVu,
    /// Thủ tục hành chính (the procedure).
    #[serde(alias = "ThuTucHanhChinh")]
    ThuTucHanhChinh,
    /// Công chức trực tiếp giải quyết công việc (the civil servant handling the case).
    #[serde(alias = "CongChuc")]
    CongChuc,
    /// Kết quả dịch vụ (the result).
    #[serde(alias = "KetQuaDichVu")]
    KetQuaDichVu,
    /// Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị (handling of feedback).
    #[serde(alias = "GopYPhanAnh")]
    GopYPhanAnh,
}

impl SipasFactor {
    /// All five factors, in the official order.
    pub const ALL: [Self; 5] = [
        Self::TiepCanDichVu,
        Self::ThuTucHanhChinh,
        Self::CongChuc,
        Self::KetQuaDichVu,
        Self::GopYPhanAnh,
    ];

    /// Returns the Vietnamese name.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::TiepCanDichVu => "Tiếp cận dịch vụ",
            Self::ThuTucHanhChinh => "Thủ tục hành chính",
            Self::CongChuc => "Công chức trực tiếp giải quyết công việc",
            Self::KetQuaDichVu => "Kết quả dịch vụ",
            Self::GopYPhanAnh => "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
        }
    }

    /// Returns the English name.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::TiepCanDichVu => "access to the service",
            Self::ThuTucHanhChinh => "administrative procedure",
            Self::CongChuc => "civil servant handling the case",
            Self::KetQuaDichVu => "service result",
            Self::GopYPhanAnh => "handling of feedback",
        }
    }
}

impl fmt::Display for SipasFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_vi())
    }
}

/// One survey question and the factor it measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyItem {
    /// Item id, unique in the survey.
    pub id: String,
    /// The factor the item belongs to.
    pub factor: SipasFactor,
    /// The question text.
    pub text_vi: String,
}

impl SurveyItem {
    /// Returns an item.
    pub fn new(id: impl Into<String>, factor: SipasFactor, text_vi: impl Into<String>) -> Self {
        Self { id: id.into(), factor, text_vi: text_vi.into() }
    }
}

/// The lowest answer: rất không hài lòng (very dissatisfied).
pub const ANSWER_MIN: u8 = 1;
/// The highest answer: rất hài lòng (very satisfied).
pub const ANSWER_MAX: u8 = 5;
/// Answers at or above this count as satisfied (4 hài lòng, 5 rất hài lòng).
pub const SATISFIED_FROM: u8 = 4;

/// A satisfaction survey of a unit: items and respondents' answers.
///
/// Each response has one answer per item, in item order, on the scale 1 (rất
/// không hài lòng) … 3 (bình thường) … 5 (rất hài lòng); `None` = did not answer.
///
/// Deserialising validates like [`Survey::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SurveyParts", into = "SurveyParts")]
pub struct Survey {
    unit: String,
    year: i32,
    items: Vec<SurveyItem>,
    responses: Vec<Vec<Option<u8>>>,
}

/// The serde form of a [`Survey`], validated on the way in.
#[derive(Serialize, Deserialize)]
struct SurveyParts {
    unit: String,
    year: i32,
    items: Vec<SurveyItem>,
    responses: Vec<Vec<Option<u8>>>,
}

impl TryFrom<SurveyParts> for Survey {
    type Error = Error;

    fn try_from(parts: SurveyParts) -> Result<Self> {
        Self::new(parts.unit, parts.year, parts.items, parts.responses)
    }
}

impl From<Survey> for SurveyParts {
    fn from(survey: Survey) -> Self {
        Self {
            unit: survey.unit,
            year: survey.year,
            items: survey.items,
            responses: survey.responses,
        }
    }
}

impl Survey {
    /// Validates and builds a survey.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the unit is empty, there are no items,
    /// an item id is empty or repeated, a response has a different number of
    /// answers than there are items, an answer is outside 1..=5, or the year is
    /// outside the [supported range](crate::model::time_limit::FIRST_SUPPORTED_DATE).
    pub fn new(
        unit: impl Into<String>,
        year: i32,
        items: Vec<SurveyItem>,
        responses: Vec<Vec<Option<u8>>>,
    ) -> Result<Self> {
        check_year("survey.year", year)?;
        let unit = unit.into();
        if unit.trim().is_empty() {
            return Err(Error::invalid("survey.unit", "must not be empty"));
        }
        crate::model::text::check_shown("survey.unit", &unit, false)?;
        if items.is_empty() {
            return Err(Error::invalid("survey.items", "a survey needs at least one item"));
        }
        let mut ids = BTreeSet::new();
        for item in &items {
            if item.id.trim().is_empty() || !ids.insert(item.id.as_str()) {
                return Err(Error::invalid(
                    "survey.items",
                    format!("item id {:?} is empty or repeated", item.id),
                ));
            }
        }
        for (n, response) in responses.iter().enumerate() {
            if response.len() != items.len() {
                return Err(Error::invalid(
                    "survey.responses",
                    format!(
                        "response {n} has {} answers for {} items",
                        response.len(),
                        items.len()
                    ),
                ));
            }
            for (item, answer) in items.iter().zip(response) {
                if let Some(a) = answer
                    && !(ANSWER_MIN..=ANSWER_MAX).contains(a)
                {
                    return Err(Error::invalid(
                        "survey.responses",
                        format!("response {n}, item {}: answer {a} outside 1..=5", item.id),
                    ));
                }
            }
        }
        Ok(Self { unit, year, items, responses })
    }

    /// Returns the unit code.
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// Returns the survey year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Returns the items.
    pub fn items(&self) -> &[SurveyItem] {
        &self.items
    }

    /// Returns the responses, one answer per item.
    pub fn responses(&self) -> &[Vec<Option<u8>>] {
        &self.responses
    }

    /// Returns every given answer with its item's factor.
    pub fn answers(&self) -> impl Iterator<Item = (SipasFactor, u8)> + '_ {
        self.responses.iter().flat_map(move |response| {
            self.items.iter().zip(response).filter_map(|(item, a)| a.map(|a| (item.factor, a)))
        })
    }
}
