//! A deterministic, realistic province for examples, benchmarks and tests.
//!
//! [`Province::generate`] builds the agencies (the provincial People's Committee,
//! its departments, districts and communes, coded per TT 10/2016) and a procedure
//! catalogue (about 2,000 procedures over thirty-odd real fields, with central
//! limits, reduced limits for about 47 % of them, online levels, fees, paper
//! results and a few amended, new and abolished versions). [`DossierStream`] then
//! yields one year of dossiers in receipt order, each with its event history, as
//! `(NewDossier, Vec<(OffsetDateTime, Action)>)` ready for
//! [`Importer::dossier`](crate::Importer::dossier). [`populate`] does both into a
//! store.
//!
//! Everything is a pure function of the [`DemoSpec`] (seed included): the same
//! spec gives the same province and the same dossiers, byte for byte, on every
//! machine. The random numbers come from a small `xoshiro256**` generator seeded
//! with `SplitMix64`, written here so the output never depends on another crate's
//! version.
//!
//! The default, [`DemoSpec::quang_nam_2023`], is sized like Quảng Nam's 2023
//! review: 90,010 dossiers received at province level, 136,350 at district level
//! and 187,299 at commune level (413,659 in all), with online shares near the
//! published 77.7 %, 30.2 % and 65.5 %.
//!
//! ```
//! use cchc::demo::{DemoSpec, DossierStream, Province};
//! let spec = DemoSpec::quang_nam_2023().with_dossiers(500);
//! let province = Province::generate(&spec)?;
//! assert_eq!(province.procedures_in_catalogue(), 1_972);
//! let dossiers: Vec<_> = DossierStream::new(&spec, &province)?.collect::<Result<_, _>>()?;
//! assert_eq!(dossiers.len(), 500);
//! // Receipt order.
//! assert!(dossiers.windows(2).all(|w| w[0].0.received_at <= w[1].0.received_at));
//! # Ok::<(), cchc::Error>(())
//! ```
//!
//! [`feedback`] and [`reform_plan`] generate the year's feedback items (phản ánh,
//! kiến nghị; one per 30 dossiers) and the province's reform plan (64 tasks, as
//! in Vĩnh Phúc's), which [`populate`] stores too.
//!
//! # Extension point
//!
//! Assessments under index frameworks are not generated: their points are the
//! appraisal councils' and surveys', not a consequence of the dossiers, and
//! inventing them would read as data. A caller that has real points stores them
//! with the store's assessment collection.

use std::collections::HashMap;

use time::{Date, Duration, Month, OffsetDateTime};

use crate::id::{AdminUnitCode, AgencyCode, DossierCode, Field, ProcedureCode};
use crate::model::agency::{Agency, Level};
use crate::model::calendar::{CountingMode, WorkCalendar};
use crate::model::dossier::Channel;
use crate::model::dossier::{Action, NewDossier};
use crate::model::feedback::{Feedback, FeedbackId, FeedbackKind, Satisfaction};
use crate::model::plan::{PlanTask, ReformPlan};
use crate::model::procedure::{
    Announcement, AnnouncementKind, OnlineLevel, Procedure, ProcedureStatus,
};
use crate::model::time_limit::{TimeLimit, TimeUnit, VIETNAM_OFFSET};
use crate::store::{ImportSummary, Store};
use crate::{Error, Result};

/// One generated dossier: the receipt and the actions that followed it, in order.
pub type DemoDossier = (NewDossier, Vec<(OffsetDateTime, Action)>);

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSpec {
    /// The seed of every random choice.
    pub seed: u64,
    /// The calendar year of the dossiers.
    pub year: i32,
    /// How many dossiers in all, split by level like Quảng Nam 2023
    /// (21.8 % province, 33.0 % district, 45.3 % commune).
    pub dossiers: u64,
    /// How many provincial departments (1–20).
    pub departments: usize,
    /// How many districts (1–18).
    pub districts: usize,
    /// How many communes in all, spread over the districts (at least one each,
    /// at most 99 each).
    pub communes: usize,
    /// How many procedures in the catalogue (at least 100).
    pub procedures: usize,
}

/// The Quảng Nam 2023 seed: dossiers received at province, district and commune level.
const SEED_RECEIVED: [u64; 3] = [90_010, 136_350, 187_299];

impl DemoSpec {
    /// A province sized like Quảng Nam in 2023: 20 departments, 18 districts, 241
    /// communes, 1,972 procedures (929 with a cut limit, 47 %) and 413,659 dossiers.
    pub fn quang_nam_2023() -> Self {
        Self {
            seed: 0x0049_2023_0C0C_0001_u64,
            year: 2023,
            dossiers: SEED_RECEIVED.iter().sum(),
            departments: 20,
            districts: 18,
            communes: 241,
            procedures: 1_972,
        }
    }

    /// Returns a copy generating `dossiers` dossiers in all.
    #[must_use]
    pub fn with_dossiers(mut self, dossiers: u64) -> Self {
        self.dossiers = dossiers;
        self
    }

    /// Returns a copy with another seed.
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Returns how many dossiers each level receives: province, district, commune.
    /// The shares are the seed's; the three numbers add up to [`DemoSpec::dossiers`].
    pub fn level_split(&self) -> [u64; 3] {
        let total: u64 = SEED_RECEIVED.iter().sum();
        let [p, d, _] = SEED_RECEIVED;
        let share = |x: u64| {
            (u128::from(self.dossiers) * u128::from(x) + u128::from(total) / 2) / u128::from(total)
        };
        let province = share(p) as u64;
        let district = (share(p + d) as u64).saturating_sub(province);
        [province, district, self.dossiers - province - district]
    }

    fn validate(&self) -> Result<()> {
        if !(1..=DEPARTMENTS.len()).contains(&self.departments) {
            return Err(Error::invalid("demo.departments", "must be 1–20"));
        }
        if !(1..=DISTRICTS.len()).contains(&self.districts) {
            return Err(Error::invalid("demo.districts", "must be 1–18"));
        }
        if self.communes < self.districts || self.communes > self.districts * 99 {
            return Err(Error::invalid("demo.communes", "must be 1–99 per district"));
        }
        if self.procedures < 100 || self.procedures > 9_000 {
            return Err(Error::invalid("demo.procedures", "must be 100–9,000"));
        }
        if !(2001..=2098).contains(&self.year) {
            return Err(Error::invalid("demo.year", "must be 2001–2098"));
        }
        Ok(())
    }
}

impl Default for DemoSpec {
    fn default() -> Self {
        Self::quang_nam_2023()
    }
}

// ---------------------------------------------------------------------------
// Random numbers

/// `SplitMix64`: seeds the main generator.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `xoshiro256**` (Blackman and Vigna, 2018).
#[derive(Debug, Clone)]
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64, stream: u64) -> Self {
        let mut state = seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Self {
            s: [
                splitmix64(&mut state),
                splitmix64(&mut state),
                splitmix64(&mut state),
                splitmix64(&mut state),
            ],
        }
    }

    fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.s;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    /// A uniform float in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `[0, n)` (`0` when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A uniform integer in `[lo, hi]`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// Cumulative weights for weighted choice.
#[derive(Debug, Clone, Default)]
struct Weighted {
    cumulative: Vec<f64>,
    items: Vec<usize>,
}

impl Weighted {
    fn push(&mut self, item: usize, weight: f64) {
        if weight > 0.0 {
            let last = self.cumulative.last().copied().unwrap_or(0.0);
            self.cumulative.push(last + weight);
            self.items.push(item);
        }
    }

    fn total(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }

    fn pick(&self, rng: &mut Rng) -> Option<usize> {
        let x = rng.unit() * self.total();
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.items.get(i.min(self.items.len().saturating_sub(1))).copied()
    }
}

// ---------------------------------------------------------------------------
// The province's data

const PROVINCE_CODE: &str = "000.00.00.H49";
const PROVINCE_NAME: &str = "UBND tỉnh Quảng Nam";

/// Departments (sở, ban, ngành) of the provincial People's Committee.
const DEPARTMENTS: [&str; 20] = [
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài nguyên và Môi trường",
    "Sở Xây dựng",
    "Sở Giao thông vận tải",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa, Thể thao",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Công Thương",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Thông tin và Truyền thông",
    "Sở Khoa học và Công nghệ",
    "Thanh tra tỉnh",
    "Ban Dân tộc",
    "Sở Ngoại vụ",
    "Ban Quản lý các Khu kinh tế và Khu công nghiệp",
    "Sở Du lịch",
];

/// Districts: name, kind of unit, communes in 2023, relative dossier volume.
const DISTRICTS: [(&str, &str, usize, f64); 18] = [
    ("Tam Kỳ", "thành phố", 13, 1.6),
    ("Hội An", "thành phố", 13, 1.4),
    ("Điện Bàn", "thị xã", 20, 1.7),
    ("Thăng Bình", "huyện", 22, 1.3),
    ("Duy Xuyên", "huyện", 14, 1.1),
    ("Đại Lộc", "huyện", 18, 1.2),
    ("Núi Thành", "huyện", 17, 1.2),
    ("Phú Ninh", "huyện", 11, 0.9),
    ("Quế Sơn", "huyện", 13, 0.9),
    ("Nông Sơn", "huyện", 6, 0.4),
    ("Hiệp Đức", "huyện", 11, 0.5),
    ("Tiên Phước", "huyện", 15, 0.7),
    ("Bắc Trà My", "huyện", 13, 0.5),
    ("Nam Trà My", "huyện", 10, 0.3),
    ("Phước Sơn", "huyện", 12, 0.4),
    ("Nam Giang", "huyện", 12, 0.4),
    ("Đông Giang", "huyện", 11, 0.35),
    ("Tây Giang", "huyện", 10, 0.3),
];

/// The first syllable of commune names in each district.
const COMMUNE_PREFIX: [&str; 18] = [
    "Tam", "Cẩm", "Điện", "Bình", "Duy", "Đại", "Tam", "Tam", "Quế", "Quế", "Bình", "Tiên", "Trà",
    "Trà", "Phước", "Tà", "Ba", "A",
];

const COMMUNE_SUFFIX: [&str; 24] = [
    "An", "Bình", "Hòa", "Phú", "Thành", "Thạnh", "Xuân", "Hiệp", "Thuận", "Phong", "Sơn", "Lộc",
    "Hưng", "Trung", "Nghĩa", "Tân", "Mỹ", "Quang", "Thắng", "Hải", "Ngọc", "Minh", "Phước", "Thọ",
];

/// A field (lĩnh vực) of the catalogue.
struct FieldDef {
    name: &'static str,
    /// The department handling its province-level procedures.
    department: usize,
    /// Typical central limits.
    limits: &'static [u32],
    unit: TimeUnit,
    /// Relative number of procedures at province, district and commune level.
    catalogue: [u32; 3],
    /// Relative dossier volume at province, district and commune level.
    volume: [u32; 3],
    /// Real procedure names of the field, used as bases for the catalogue.
    names: &'static [&'static str],
}

const WD: TimeUnit = TimeUnit::WorkingDays;

#[rustfmt::skip]
const FIELDS: [FieldDef; 34] = [
    FieldDef { name: "Hộ tịch", department: 0, limits: &[3, 5, 5, 10, 15], unit: WD, catalogue: [8, 22, 30], volume: [1, 6, 25],
        names: &["Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Đăng ký nhận cha, mẹ, con", "Cấp bản sao trích lục hộ tịch", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", "Cấp Giấy xác nhận tình trạng hôn nhân", "Đăng ký giám hộ"] },
    FieldDef { name: "Chứng thực", department: 0, limits: &[0, 2, 4, 8], unit: TimeUnit::WorkingHours, catalogue: [2, 12, 14], volume: [0, 12, 47],
        names: &["Chứng thực bản sao từ bản chính", "Chứng thực chữ ký", "Chứng thực hợp đồng, giao dịch", "Chứng thực việc sửa đổi, bổ sung hợp đồng, giao dịch", "Chứng thực di chúc", "Chứng thực văn bản thỏa thuận phân chia di sản"] },
    FieldDef { name: "Lý lịch tư pháp", department: 0, limits: &[10, 15], unit: WD, catalogue: [4, 0, 0], volume: [7, 0, 0],
        names: &["Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Cấp Phiếu lý lịch tư pháp cho người nước ngoài", "Cấp Phiếu lý lịch tư pháp theo yêu cầu cơ quan tiến hành tố tụng"] },
    FieldDef { name: "Công chứng", department: 0, limits: &[5, 10, 20], unit: WD, catalogue: [30, 0, 0], volume: [1, 0, 0],
        names: &["Thành lập Văn phòng công chứng", "Đăng ký hành nghề và cấp Thẻ công chứng viên", "Chuyển đổi Văn phòng công chứng", "Hợp nhất Văn phòng công chứng"] },
    FieldDef { name: "Thành lập và hoạt động doanh nghiệp", department: 1, limits: &[3, 3, 5], unit: WD, catalogue: [110, 0, 0], volume: [12, 0, 0],
        names: &["Đăng ký thành lập doanh nghiệp tư nhân", "Đăng ký thành lập công ty trách nhiệm hữu hạn", "Đăng ký thành lập công ty cổ phần", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "Thông báo tạm ngừng kinh doanh", "Giải thể doanh nghiệp", "Đăng ký hoạt động chi nhánh, văn phòng đại diện"] },
    FieldDef { name: "Đăng ký kinh doanh", department: 1, limits: &[3, 5], unit: WD, catalogue: [0, 10, 0], volume: [0, 8, 0],
        names: &["Đăng ký thành lập hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Tạm ngừng hoạt động hộ kinh doanh", "Chấm dứt hoạt động hộ kinh doanh"] },
    FieldDef { name: "Thành lập và hoạt động của hợp tác xã", department: 1, limits: &[3, 5], unit: WD, catalogue: [25, 12, 0], volume: [1, 1, 0],
        names: &["Đăng ký thành lập hợp tác xã", "Đăng ký thay đổi tên, địa chỉ trụ sở của hợp tác xã", "Giải thể tự nguyện hợp tác xã"] },
    FieldDef { name: "Đầu tư tại Việt Nam", department: 1, limits: &[10, 15, 25, 35], unit: WD, catalogue: [45, 0, 0], volume: [1, 0, 0],
        names: &["Chấp thuận chủ trương đầu tư", "Cấp Giấy chứng nhận đăng ký đầu tư", "Điều chỉnh dự án đầu tư", "Chấm dứt hoạt động dự án đầu tư"] },
    FieldDef { name: "Đất đai", department: 2, limits: &[10, 15, 20, 30], unit: WD, catalogue: [55, 45, 8], volume: [14, 40, 3],
        names: &["Đăng ký biến động quyền sử dụng đất", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "Chuyển mục đích sử dụng đất", "Tách thửa hoặc hợp thửa đất", "Đính chính Giấy chứng nhận đã cấp", "Cấp đổi Giấy chứng nhận quyền sử dụng đất", "Đăng ký thế chấp quyền sử dụng đất", "Hòa giải tranh chấp đất đai"] },
    FieldDef { name: "Môi trường", department: 2, limits: &[15, 20, 30], unit: WD, catalogue: [45, 6, 3], volume: [2, 1, 0],
        names: &["Thẩm định báo cáo đánh giá tác động môi trường", "Cấp giấy phép môi trường", "Đăng ký môi trường", "Vận hành thử nghiệm công trình xử lý chất thải"] },
    FieldDef { name: "Tài nguyên nước", department: 2, limits: &[15, 30], unit: WD, catalogue: [30, 0, 0], volume: [1, 0, 0],
        names: &["Cấp giấy phép khai thác nước mặt", "Cấp giấy phép khai thác nước dưới đất", "Cấp giấy phép xả nước thải vào nguồn nước"] },
    FieldDef { name: "Khoáng sản", department: 2, limits: &[30, 45], unit: TimeUnit::CalendarDays, catalogue: [25, 0, 0], volume: [1, 0, 0],
        names: &["Cấp giấy phép thăm dò khoáng sản", "Cấp giấy phép khai thác khoáng sản", "Đóng cửa mỏ khoáng sản"] },
    FieldDef { name: "Xây dựng", department: 3, limits: &[7, 15, 20, 30], unit: WD, catalogue: [50, 18, 0], volume: [5, 9, 0],
        names: &["Cấp giấy phép xây dựng mới nhà ở riêng lẻ", "Cấp giấy phép xây dựng công trình", "Điều chỉnh giấy phép xây dựng", "Thẩm định thiết kế xây dựng", "Cấp chứng chỉ hành nghề hoạt động xây dựng"] },
    FieldDef { name: "Nhà ở", department: 3, limits: &[15, 30], unit: WD, catalogue: [20, 4, 0], volume: [1, 1, 0],
        names: &["Công nhận chủ đầu tư dự án nhà ở", "Thuê, thuê mua nhà ở xã hội", "Cho thuê nhà ở công vụ"] },
    FieldDef { name: "Đường bộ", department: 4, limits: &[3, 5, 10], unit: WD, catalogue: [60, 2, 0], volume: [20, 0, 0],
        names: &["Cấp mới Giấy phép lái xe", "Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp", "Cấp lại Giấy phép lái xe", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "Cấp phù hiệu xe ô tô kinh doanh vận tải", "Cấp Giấy phép lưu hành xe quá tải trọng"] },
    FieldDef { name: "Đường thủy nội địa", department: 4, limits: &[3, 5, 7], unit: WD, catalogue: [25, 3, 0], volume: [1, 0, 0],
        names: &["Đăng ký phương tiện thủy nội địa lần đầu", "Công bố hoạt động bến thủy nội địa", "Cấp Giấy chứng nhận an toàn kỹ thuật phương tiện"] },
    FieldDef { name: "Người có công", department: 5, limits: &[5, 12, 20], unit: WD, catalogue: [25, 12, 10], volume: [3, 4, 6],
        names: &["Giải quyết chế độ trợ cấp đối với thân nhân liệt sĩ", "Giải quyết chế độ người hoạt động kháng chiến", "Hỗ trợ mai táng phí", "Cấp trích lục hồ sơ người có công", "Di chuyển hồ sơ người có công"] },
    FieldDef { name: "Bảo trợ xã hội", department: 5, limits: &[7, 10, 15], unit: WD, catalogue: [15, 14, 12], volume: [1, 5, 10],
        names: &["Trợ giúp xã hội thường xuyên", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Xác định, xác định lại mức độ khuyết tật", "Trợ giúp xã hội khẩn cấp"] },
    FieldDef { name: "Việc làm", department: 5, limits: &[15, 20], unit: WD, catalogue: [25, 0, 0], volume: [5, 0, 0],
        names: &["Giải quyết hưởng trợ cấp thất nghiệp", "Cấp giấy phép lao động cho người nước ngoài", "Tạm dừng hưởng trợ cấp thất nghiệp", "Hỗ trợ học nghề"] },
    FieldDef { name: "Giáo dục và Đào tạo", department: 6, limits: &[5, 10, 20], unit: WD, catalogue: [80, 30, 6], volume: [3, 3, 1],
        names: &["Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "Chỉnh sửa nội dung văn bằng, chứng chỉ", "Chuyển trường đối với học sinh", "Cho phép trường hoạt động giáo dục", "Công nhận trường đạt chuẩn quốc gia"] },
    FieldDef { name: "Khám bệnh, chữa bệnh", department: 7, limits: &[10, 20, 30], unit: WD, catalogue: [70, 0, 0], volume: [4, 0, 0],
        names: &["Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "Cấp giấy phép hoạt động phòng khám", "Điều chỉnh phạm vi hoạt động chuyên môn"] },
    FieldDef { name: "Dược phẩm", department: 7, limits: &[10, 20, 30], unit: WD, catalogue: [50, 0, 0], volume: [3, 0, 0],
        names: &["Cấp Chứng chỉ hành nghề dược", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", "Cấp phép nhập khẩu thuốc"] },
    FieldDef { name: "An toàn thực phẩm", department: 7, limits: &[7, 15, 20], unit: WD, catalogue: [20, 6, 0], volume: [2, 1, 0],
        names: &["Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "Đăng ký bản công bố sản phẩm", "Xác nhận nội dung quảng cáo thực phẩm"] },
    FieldDef { name: "Văn hóa", department: 8, limits: &[5, 7, 15], unit: WD, catalogue: [60, 12, 6], volume: [1, 1, 1],
        names: &["Cấp giấy phép tổ chức lễ hội", "Cấp giấy phép kinh doanh karaoke", "Công nhận danh hiệu gia đình văn hóa", "Cấp giấy phép triển lãm mỹ thuật"] },
    FieldDef { name: "Du lịch", department: 19, limits: &[5, 10, 15], unit: WD, catalogue: [35, 0, 0], volume: [2, 0, 0],
        names: &["Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", "Cấp thẻ hướng dẫn viên du lịch", "Công nhận hạng cơ sở lưu trú du lịch"] },
    FieldDef { name: "Nông nghiệp", department: 9, limits: &[5, 10, 15, 20], unit: WD, catalogue: [90, 15, 10], volume: [3, 2, 2],
        names: &["Cấp giấy chứng nhận đủ điều kiện buôn bán phân bón", "Cấp giấy chứng nhận kiểm dịch động vật", "Phê duyệt phương án khai thác thực vật rừng", "Cấp giấy phép khai thác thủy sản", "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai"] },
    FieldDef { name: "Công Thương", department: 10, limits: &[7, 10, 15], unit: WD, catalogue: [90, 15, 0], volume: [3, 2, 0],
        names: &["Cấp Giấy phép bán lẻ sản phẩm rượu", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu", "Cấp giấy phép hoạt động điện lực", "Cấp Giấy phép sử dụng vật liệu nổ công nghiệp"] },
    FieldDef { name: "Tài chính", department: 11, limits: &[10, 15, 30], unit: WD, catalogue: [30, 8, 0], volume: [1, 1, 0],
        names: &["Mua sắm, thuê tài sản công", "Thanh lý tài sản công", "Quyết toán vốn đầu tư dự án hoàn thành"] },
    FieldDef { name: "Nội vụ", department: 12, limits: &[10, 15, 20, 30], unit: WD, catalogue: [75, 30, 20], volume: [2, 2, 1],
        names: &["Tặng Bằng khen của Chủ tịch UBND tỉnh", "Công nhận ban vận động thành lập hội", "Đăng ký sinh hoạt tôn giáo tập trung", "Thông báo tổ chức lễ hội tín ngưỡng", "Thi tuyển công chức"] },
    FieldDef { name: "Thông tin và Truyền thông", department: 13, limits: &[5, 10, 15], unit: WD, catalogue: [40, 3, 0], volume: [1, 0, 0],
        names: &["Cấp giấy phép xuất bản bản tin", "Cấp giấy phép hoạt động in", "Cấp giấy phép bưu chính"] },
    FieldDef { name: "Khoa học và Công nghệ", department: 14, limits: &[5, 10, 15], unit: WD, catalogue: [55, 0, 0], volume: [1, 0, 0],
        names: &["Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ", "Cấp giấy phép tiến hành công việc bức xạ"] },
    FieldDef { name: "Giải quyết khiếu nại, tố cáo", department: 15, limits: &[30, 45], unit: TimeUnit::CalendarDays, catalogue: [9, 6, 6], volume: [1, 1, 1],
        names: &["Giải quyết khiếu nại lần đầu", "Giải quyết khiếu nại lần hai", "Giải quyết tố cáo", "Tiếp công dân"] },
    FieldDef { name: "Công tác dân tộc", department: 16, limits: &[10, 15], unit: WD, catalogue: [8, 2, 2], volume: [0, 0, 0],
        names: &["Công nhận người có uy tín trong đồng bào dân tộc thiểu số", "Đưa ra khỏi danh sách người có uy tín"] },
    FieldDef { name: "Ngoại vụ", department: 17, limits: &[5, 7], unit: WD, catalogue: [8, 0, 0], volume: [1, 0, 0],
        names: &["Cho phép tổ chức hội nghị, hội thảo quốc tế", "Xin phép xuất cảnh", "Tiếp nhận viện trợ phi chính phủ nước ngoài"] },
];

/// Variations that turn a base name into more procedures of the catalogue.
const QUALIFIERS: [&str; 10] = [
    "",
    " (cấp lại)",
    " (cấp đổi)",
    " (điều chỉnh)",
    " (gia hạn)",
    " có yếu tố nước ngoài",
    " đối với tổ chức",
    " đối với cá nhân",
    " (thủ tục liên thông)",
    " (trường hợp bị mất, hỏng)",
];

/// Per-level behaviour: province, district, commune.
#[derive(Debug, Clone, Copy)]
struct Profile {
    /// Share of dossiers received online (the seed's, of received).
    online: f64,
    digitised: f64,
    withdraw: f64,
    refuse: f64,
    supplement: f64,
    second_supplement: f64,
    never_supplied: f64,
    transfer: f64,
    late: f64,
    stuck: f64,
    apology: f64,
    returned: f64,
}

const PROFILES: [Profile; 3] = [
    Profile {
        online: 0.7774,
        digitised: 0.72,
        withdraw: 0.006,
        refuse: 0.012,
        supplement: 0.10,
        second_supplement: 0.2,
        never_supplied: 0.12,
        transfer: 0.06,
        late: 0.012,
        stuck: 0.012,
        apology: 0.5,
        returned: 0.95,
    },
    Profile {
        online: 0.3016,
        digitised: 0.5,
        withdraw: 0.008,
        refuse: 0.015,
        supplement: 0.12,
        second_supplement: 0.25,
        never_supplied: 0.15,
        transfer: 0.08,
        late: 0.035,
        stuck: 0.04,
        apology: 0.4,
        returned: 0.92,
    },
    Profile {
        online: 0.6545,
        digitised: 0.6,
        withdraw: 0.004,
        refuse: 0.006,
        supplement: 0.04,
        second_supplement: 0.15,
        never_supplied: 0.1,
        transfer: 0.02,
        late: 0.006,
        stuck: 0.003,
        apology: 0.3,
        returned: 0.97,
    },
];

const SUPPLEMENT_REASONS: [&str; 4] = [
    "Thiếu bản sao giấy tờ tùy thân",
    "Tờ khai chưa đầy đủ thông tin",
    "Thiếu văn bản ủy quyền",
    "Bản vẽ chưa đúng quy định",
];
const REFUSAL_REASONS: [&str; 3] = [
    "Không đủ điều kiện theo quy định",
    "Không thuộc thẩm quyền giải quyết",
    "Hồ sơ có thông tin không trung thực",
];
const APOLOGY_REASON: &str = "Cần xác minh thêm thông tin; xin lỗi và hẹn lại ngày trả kết quả";

// ---------------------------------------------------------------------------
// The province

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
    catalogue: Vec<CatalogueEntry>,
}

/// One procedure code with what the dossier generator needs.
#[derive(Debug, Clone)]
struct CatalogueEntry {
    code: ProcedureCode,
    level: usize,
    department: usize,
    online: bool,
    online_payment: bool,
    fee: bool,
    paper_result: bool,
    weight: f64,
    /// `(effective_from, limit, abolished)` of each version, oldest first.
    versions: Vec<(Date, TimeLimit, bool)>,
}

fn date(year: i32, month: Month, day: u8) -> Result<Date> {
    Date::from_calendar_date(year, month, day)
        .map_err(|_| Error::invalid("demo.year", "gives an impossible date"))
}

fn code(text: &str) -> Result<AgencyCode> {
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

// ---------------------------------------------------------------------------
// Dossiers

/// One year of dossiers in receipt order, generated one day at a time (memory stays
/// at one day's dossiers whatever the total).
///
/// Each item is a [`DemoDossier`]: the receipt and its actions, valid for the
/// lifecycle (times non-decreasing, resolution only when not waiting, at most one
/// apology, after the due instant is known). Events after the end of the year are
/// left out, so some dossiers are still open, waiting or overdue at year end.
#[derive(Debug)]
pub struct DossierStream {
    seed: u64,
    calendar: WorkCalendar,
    mode: CountingMode,
    year_end: OffsetDateTime,
    /// Dossiers to generate per day of the year and level.
    days: Vec<(Date, [u64; 3])>,
    next_day: usize,
    buffer: std::vec::IntoIter<DemoDossier>,
    agencies: Vec<AgencyCode>,
    /// Index in `agencies` of departments, districts and communes.
    departments: Vec<usize>,
    districts: Vec<usize>,
    communes: Vec<(usize, usize)>,
    district_weights: Weighted,
    commune_weights: Weighted,
    procedures: [Weighted; 3],
    /// Probability that a dossier of an online-capable procedure is online, per level.
    online_given_capable: [f64; 3],
    catalogue: Vec<CatalogueEntry>,
}

impl DossierStream {
    /// Starts the stream of `spec`'s dossiers over `province` (from
    /// [`Province::generate`] with the same spec), deciding lateness with the
    /// Vietnamese calendar and working-time counting, as a default store does.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the spec is out of range.
    pub fn new(spec: &DemoSpec, province: &Province) -> Result<Self> {
        Self::with_calendar(spec, province, WorkCalendar::vietnam(), CountingMode::default())
    }

    /// Starts the stream with the calendar and counting mode of the target store.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the spec is out of range.
    pub fn with_calendar(
        spec: &DemoSpec,
        province: &Province,
        calendar: WorkCalendar,
        mode: CountingMode,
    ) -> Result<Self> {
        spec.validate()?;
        let mut rng = Rng::new(spec.seed, 2);
        let mut agencies = vec![province.root.code().clone()];
        let mut departments = Vec::new();
        for a in &province.departments {
            departments.push(agencies.len());
            agencies.push(a.code().clone());
        }
        let mut districts = Vec::new();
        let mut district_weights = Weighted::default();
        let mut district_index: HashMap<&AgencyCode, usize> = HashMap::new();
        for (d, a) in province.districts.iter().enumerate() {
            district_index.insert(a.code(), agencies.len());
            districts.push(agencies.len());
            district_weights.push(d, DISTRICTS.get(d).map_or(1.0, |x| x.3));
            agencies.push(a.code().clone());
        }
        let mut communes = Vec::new();
        let mut commune_weights = Weighted::default();
        for (c, a) in province.communes.iter().enumerate() {
            let parent = a.parent().and_then(|p| district_index.get(p)).copied().unwrap_or(0);
            let d = districts.iter().position(|&x| x == parent).unwrap_or(0);
            let ward = a.name().contains("phường");
            let w = DISTRICTS.get(d).map_or(1.0, |x| x.3)
                * rng.uniform(0.5, 1.5)
                * if ward { 1.5 } else { 1.0 };
            communes.push((agencies.len(), parent));
            commune_weights.push(c, w);
            agencies.push(a.code().clone());
        }
        let mut procedures: [Weighted; 3] = Default::default();
        let mut capable = [0.0f64; 3];
        for (i, entry) in province.catalogue.iter().enumerate() {
            if let Some(w) = procedures.get_mut(entry.level) {
                w.push(i, entry.weight);
            }
            if entry.online
                && let Some(c) = capable.get_mut(entry.level)
            {
                *c += entry.weight;
            }
        }
        let mut online_given_capable = [0.0; 3];
        for (level, p) in online_given_capable.iter_mut().enumerate() {
            let total = procedures.get(level).map_or(0.0, Weighted::total);
            let share = capable.get(level).copied().unwrap_or(0.0) / total.max(f64::MIN_POSITIVE);
            let target = PROFILES.get(level).map_or(0.5, |x| x.online);
            *p = if share > 0.0 { (target / share).min(1.0) } else { 0.0 };
        }
        let days = day_plan(spec, &calendar, &mut rng)?;
        let year_end =
            date(spec.year + 1, Month::January, 1)?.midnight().assume_offset(VIETNAM_OFFSET);
        Ok(Self {
            seed: spec.seed,
            calendar,
            mode,
            year_end,
            days,
            next_day: 0,
            buffer: Vec::new().into_iter(),
            agencies,
            departments,
            districts,
            communes,
            district_weights,
            commune_weights,
            procedures,
            online_given_capable,
            catalogue: province.catalogue.clone(),
        })
    }

    /// Generates all dossiers received on one day, in receipt order, with codes.
    fn generate_day(&self, index: usize, day: Date, counts: [u64; 3]) -> Result<Vec<DemoDossier>> {
        let mut rng = Rng::new(self.seed, 1_000 + index as u64);
        let sessions = self.calendar.working_hours(day.weekday()).sessions().to_vec();
        let minutes: i64 = sessions.iter().map(|&(s, e)| (e - s).whole_minutes()).sum();
        let mut drafts: Vec<(OffsetDateTime, usize, usize, NewDossierDraft)> = Vec::new();
        for (level, &count) in counts.iter().enumerate() {
            for _ in 0..count {
                let mut m = rng.below(minutes.max(1) as u64) as i64;
                let mut at = day.midnight();
                for &(s, e) in &sessions {
                    let len = (e - s).whole_minutes();
                    if m < len {
                        at = day.with_time(s)
                            + Duration::minutes(m)
                            + Duration::seconds(rng.between(0, 59));
                        break;
                    }
                    m -= len;
                }
                let received = at.assume_offset(VIETNAM_OFFSET);
                let draft = self.draft(&mut rng, level, received)?;
                drafts.push((received, draft.agency, drafts.len(), draft));
            }
        }
        drafts.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
        let mut sequence: HashMap<usize, u16> = HashMap::new();
        let mut out = Vec::with_capacity(drafts.len());
        for (received, agency, _, draft) in drafts {
            let seq = sequence.entry(agency).or_insert(0);
            *seq += 1;
            if *seq > 9_999 {
                return Err(Error::invalid(
                    "demo.dossiers",
                    "more than 9,999 dossiers for one agency in one day",
                ));
            }
            let agency_code = self.agency(agency)?;
            let code = DossierCode::compose(agency_code, day, *seq)?;
            let procedure = self
                .catalogue
                .get(draft.procedure)
                .map(|e| e.code.clone())
                .ok_or_else(|| Error::invalid("demo", "lost a procedure"))?;
            out.push((
                NewDossier {
                    code,
                    procedure,
                    agency: agency_code.clone(),
                    channel: draft.channel,
                    received_at: received,
                    digitised: draft.digitised,
                    reused_data: draft.reused,
                },
                draft.actions,
            ));
        }
        Ok(out)
    }

    fn agency(&self, index: usize) -> Result<&AgencyCode> {
        self.agencies.get(index).ok_or_else(|| Error::invalid("demo", "lost an agency"))
    }

    /// Picks a procedure in force and not abolished on `day` at `level`.
    fn pick_procedure(&self, rng: &mut Rng, level: usize, day: Date) -> Result<(usize, TimeLimit)> {
        let table = self.procedures.get(level).ok_or_else(|| Error::invalid("demo", "level"))?;
        for _ in 0..32 {
            let Some(i) = table.pick(rng) else { break };
            let Some(entry) = self.catalogue.get(i) else { continue };
            if let Some(&(_, limit, abolished)) = entry.versions.iter().rev().find(|v| v.0 <= day)
                && !abolished
            {
                return Ok((i, limit));
            }
        }
        Err(Error::invalid("demo.procedures", "no procedure in force to pick"))
    }

    /// Draws one dossier and its history.
    fn draft(
        &self,
        rng: &mut Rng,
        level: usize,
        received: OffsetDateTime,
    ) -> Result<NewDossierDraft> {
        let day = received.date();
        let profile = PROFILES.get(level).copied().unwrap_or(PROFILES[0]);
        let (procedure, limit) = self.pick_procedure(rng, level, day)?;
        let entry =
            self.catalogue.get(procedure).ok_or_else(|| Error::invalid("demo", "procedure"))?;
        let agency = match level {
            0 => self.departments.get(entry.department).copied().unwrap_or(0),
            1 => {
                let d = self.district_weights.pick(rng).unwrap_or(0);
                self.districts.get(d).copied().unwrap_or(0)
            }
            _ => {
                let c = self.commune_weights.pick(rng).unwrap_or(0);
                self.communes.get(c).map_or(0, |x| x.0)
            }
        };
        let online_p = self.online_given_capable.get(level).copied().unwrap_or(0.0);
        let channel = if entry.online && rng.chance(online_p) {
            Channel::Online
        } else if rng.chance(0.03) {
            Channel::Postal
        } else {
            Channel::Direct
        };
        let digitised = rng.chance(profile.digitised);
        let reused = digitised && rng.chance(0.3);
        let actions = self.history(rng, level, agency, entry, channel, received, limit)?;
        Ok(NewDossierDraft { agency, procedure, channel, digitised, reused, actions })
    }

    fn due(&self, from: OffsetDateTime, limit: TimeLimit) -> Result<OffsetDateTime> {
        self.calendar.due_instant(from, limit, self.mode)
    }

    /// A point `fraction` of the working time between `from` and `to`.
    fn between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        fraction: f64,
    ) -> Result<OffsetDateTime> {
        if to <= from {
            return Ok(from);
        }
        let work = self.calendar.working_time_between(from, to);
        let part = Duration::seconds_f64(work.as_seconds_f64() * fraction.clamp(0.0, 1.0));
        Ok(self.calendar.add_working_time(from, part)?.min(to.max(from)))
    }

    #[allow(clippy::too_many_arguments)]
    fn history(
        &self,
        rng: &mut Rng,
        level: usize,
        agency: usize,
        entry: &CatalogueEntry,
        channel: Channel,
        received: OffsetDateTime,
        limit: TimeLimit,
    ) -> Result<Vec<(OffsetDateTime, Action)>> {
        let p = PROFILES.get(level).copied().unwrap_or(PROFILES[0]);
        let mut t = Timeline { events: Vec::new(), last: received };
        let immediate = limit.amount == 0;
        let mut due = self.due(received, limit)?;
        if entry.fee {
            let online = channel == Channel::Online && entry.online_payment && rng.chance(0.85);
            // Fees of an immediate procedure are paid at the desk as it is handled.
            let wait =
                if immediate { Duration::ZERO } else { Duration::minutes(rng.between(2, 45)) };
            t.push(received + wait, Action::Pay { online });
        }
        if !immediate && rng.chance(p.transfer) {
            let to = self.transfer_target(rng, level, agency)?;
            let at = self.between(received, due, rng.uniform(0.05, 0.3))?;
            t.push(at, Action::Transfer { to });
        }
        if !immediate && rng.chance(p.supplement) {
            let mut rounds = if rng.chance(p.second_supplement) { 2 } else { 1 };
            let mut start = received;
            while rounds > 0 {
                rounds -= 1;
                let at = self.between(start, due, rng.uniform(0.1, 0.5))?;
                let reason = rng.pick(&SUPPLEMENT_REASONS).copied().unwrap_or("Thiếu giấy tờ");
                let asked = t.push(at, Action::RequestSupplement { reason: reason.to_owned() });
                if rng.chance(p.never_supplied) {
                    // Never supplied: withdrawn after a while, or still waiting.
                    if rng.chance(0.5) {
                        t.push(asked + Duration::days(rng.between(10, 60)), Action::Withdraw);
                    }
                    return Ok(self.cut(t.events));
                }
                let wait = Duration::days(rng.between(1, 12));
                let at = self
                    .calendar
                    .add_working_time(asked + wait, Duration::minutes(rng.between(5, 240)))?;
                let supplied = t.push(at, Action::Supplement);
                due = self.due(supplied, limit)?;
                start = supplied;
            }
        }
        let start = t.last;
        let fate = rng.unit();
        if fate < p.withdraw {
            let at = self.between(start, due, rng.unit())?;
            t.push(at, Action::Withdraw);
            return Ok(self.cut(t.events));
        }
        if fate < p.withdraw + p.refuse {
            let at = self.between(start, due, rng.uniform(0.1, 0.9))?;
            let reason = rng.pick(&REFUSAL_REASONS).copied().unwrap_or("Không đủ điều kiện");
            t.push(at, Action::Refuse { reason: reason.to_owned() });
            return Ok(self.cut(t.events));
        }
        let late = rng.chance(p.late);
        let stuck = !late && rng.chance(p.stuck);
        let resolved = if stuck {
            self.calendar.add_working_time(due, Duration::hours(8 * rng.between(20, 150)))?
        } else if late {
            self.calendar.add_working_time(due, Duration::minutes(rng.between(30, 8 * 60 * 12)))?
        } else if immediate {
            start
        } else {
            // Skewed towards early finishes, as the published rates are.
            self.between(start, due, 0.02 + 0.98 * rng.unit().powf(1.6))?
        };
        if (late || stuck) && rng.chance(p.apology) {
            // Most apologies come the day before the due day; some only after it.
            let at = if rng.chance(0.7) {
                due - Duration::hours(rng.between(18, 30))
            } else {
                due + Duration::minutes(rng.between(10, 600))
            };
            let promised = self
                .calendar
                .add_working_time(resolved.max(due), Duration::hours(rng.between(1, 16)))?;
            t.push(
                at.min(resolved),
                Action::Extend { new_appointment: promised, reason: APOLOGY_REASON.to_owned() },
            );
        }
        let e_result = if entry.paper_result { rng.chance(0.75) } else { rng.chance(0.92) };
        let resolved = t.push(resolved, Action::Resolve { e_result });
        if rng.chance(p.returned) {
            t.push(
                resolved + Duration::minutes(rng.between(10, 5 * 24 * 60)),
                Action::ReturnResult,
            );
        }
        Ok(self.cut(t.events))
    }

    /// Drops the events at or after the end of the year (any prefix of a valid
    /// history is valid).
    fn cut(&self, mut events: Vec<(OffsetDateTime, Action)>) -> Vec<(OffsetDateTime, Action)> {
        let keep = events.partition_point(|(at, _)| *at < self.year_end);
        events.truncate(keep);
        events
    }

    fn transfer_target(&self, rng: &mut Rng, level: usize, agency: usize) -> Result<AgencyCode> {
        let target = match level {
            0 | 1 => {
                let others: Vec<usize> =
                    self.departments.iter().copied().filter(|&d| d != agency).collect();
                match rng.pick(&others) {
                    Some(&d) => d,
                    None => 0,
                }
            }
            _ => self.communes.iter().find(|c| c.0 == agency).map_or(0, |c| c.1),
        };
        let target = if target == agency { 0 } else { target };
        self.agency(target).cloned()
    }
}

/// A dossier's actions being built, kept in time order.
struct Timeline {
    events: Vec<(OffsetDateTime, Action)>,
    last: OffsetDateTime,
}

impl Timeline {
    /// Appends `action` at `at`, or at the previous event's instant if `at` is earlier;
    /// returns the instant used.
    fn push(&mut self, at: OffsetDateTime, action: Action) -> OffsetDateTime {
        let at = at.max(self.last);
        self.last = at;
        self.events.push((at, action));
        at
    }
}

/// A dossier before its code is known.
struct NewDossierDraft {
    agency: usize,
    procedure: usize,
    channel: Channel,
    digitised: bool,
    reused: bool,
    actions: Vec<(OffsetDateTime, Action)>,
}

/// How many dossiers each level receives on each working day of the year:
/// seasonal and weekday weights with noise, rounded so the totals are exact.
fn day_plan(
    spec: &DemoSpec,
    calendar: &WorkCalendar,
    rng: &mut Rng,
) -> Result<Vec<(Date, [u64; 3])>> {
    const MONTH: [f64; 12] = [1.05, 0.8, 1.0, 0.95, 1.0, 1.0, 1.05, 1.0, 0.95, 1.0, 1.05, 1.15];
    let mut day = date(spec.year, Month::January, 1)?;
    let mut plan: Vec<(Date, f64)> = Vec::new();
    while day.year() == spec.year {
        if calendar.is_working_day(day) {
            let month = MONTH.get(usize::from(u8::from(day.month())) - 1).copied().unwrap_or(1.0);
            let weekday = match day.weekday() {
                time::Weekday::Monday => 1.15,
                time::Weekday::Friday => 0.9,
                time::Weekday::Saturday => 0.5,
                _ => 1.0,
            };
            plan.push((day, month * weekday * rng.uniform(0.85, 1.15)));
        }
        day = day.next_day().ok_or_else(|| Error::invalid("demo.year", "runs out of dates"))?;
    }
    let total_weight: f64 = plan.iter().map(|d| d.1).sum();
    let split = spec.level_split();
    let mut out: Vec<(Date, [u64; 3])> = plan.iter().map(|&(d, _)| (d, [0; 3])).collect();
    for (level, &n) in split.iter().enumerate() {
        let mut cumulative = 0.0;
        let mut given = 0u64;
        let last = plan.len().saturating_sub(1);
        for (i, ((_, w), (_, counts))) in plan.iter().zip(out.iter_mut()).enumerate() {
            cumulative += w;
            let upto =
                if i == last { n } else { ((n as f64) * cumulative / total_weight).round() as u64 };
            let upto = upto.clamp(given, n);
            if let Some(c) = counts.get_mut(level) {
                *c = upto - given;
            }
            given = upto;
        }
    }
    Ok(out)
}

impl Iterator for DossierStream {
    type Item = Result<DemoDossier>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            let &(day, counts) = self.days.get(self.next_day)?;
            let index = self.next_day;
            self.next_day += 1;
            match self.generate_day(index, day, counts) {
                Ok(items) => self.buffer = items.into_iter(),
                Err(e) => {
                    self.next_day = self.days.len();
                    return Some(Err(e));
                }
            }
        }
    }
}

const PLAN_TASKS: [&str; 8] = [
    "Rà soát, đơn giản hóa thủ tục hành chính",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Cung cấp dịch vụ công trực tuyến toàn trình",
    "Kiểm tra công tác cải cách hành chính",
    "Tuyên truyền cải cách hành chính",
    "Khảo sát sự hài lòng của người dân, tổ chức",
    "Sắp xếp tổ chức bộ máy",
    "Đào tạo, bồi dưỡng cán bộ, công chức",
];

/// Generates the year's feedback items (phản ánh, kiến nghị): one per 30
/// dossiers, over the province's agencies, mostly answered within a few working
/// days, some transferred, rejected or still open at year end.
///
/// # Errors
/// [`Error::InvalidInput`] for a bad spec.
pub fn feedback(spec: &DemoSpec, province: &Province) -> Result<Vec<Feedback>> {
    spec.validate()?;
    let mut rng = Rng::new(spec.seed, 3);
    let calendar = WorkCalendar::vietnam();
    let agencies: Vec<&Agency> = province.agencies().collect();
    let start = date(spec.year, Month::January, 1)?;
    let days = if time::util::is_leap_year(spec.year) { 366 } else { 365 };
    let year_end = date(spec.year + 1, Month::January, 1)?.midnight().assume_offset(VIETNAM_OFFSET);
    let count = spec.dossiers / 30;
    let mut received: Vec<OffsetDateTime> = (0..count)
        .map(|_| {
            let day = start + Duration::days(rng.between(0, days - 1));
            let minute = rng.between(7 * 60, 21 * 60);
            day.midnight().assume_offset(VIETNAM_OFFSET) + Duration::minutes(minute)
        })
        .collect();
    received.sort_unstable();
    let mut out = Vec::with_capacity(received.len());
    for (i, at) in received.into_iter().enumerate() {
        let agency =
            rng.pick(&agencies).map_or_else(|| province.root.code().clone(), |a| a.code().clone());
        let kind = if rng.chance(0.3) { FeedbackKind::Regulation } else { FeedbackKind::Staff };
        let id = FeedbackId::new(&format!("PAKN-{}-{:06}", spec.year, i + 1))?;
        let mut item = Feedback::new(id, agency, at, kind)?;
        let mut last = at;
        if rng.chance(0.013) {
            last = calendar.add_working_time(at, Duration::hours(rng.between(2, 16)))?;
            item = item.with_transfer(last)?;
        }
        let fate = rng.unit();
        let handled = calendar.add_working_time(last, Duration::hours(8 * rng.between(1, 12)))?;
        if handled < year_end && fate < 0.95 {
            item = item.with_answer(handled)?;
            let satisfaction = match rng.unit() {
                x if x < 0.80 => Satisfaction::Satisfied,
                x if x < 0.86 => Satisfaction::NotSatisfied,
                _ => Satisfaction::None,
            };
            item =
                item.with_satisfaction(satisfaction)?.with_further_complaint(rng.chance(0.02))?;
        } else if handled < year_end && fate < 0.97 {
            item = item.with_rejection(handled)?;
        }
        out.push(item);
    }
    Ok(out)
}

/// Generates the province's reform plan for the year: 64 tasks created in
/// January with deadlines through the year, most completed, some late, some
/// still open at year end.
///
/// # Errors
/// [`Error::InvalidInput`] for a bad spec.
pub fn reform_plan(spec: &DemoSpec, province: &Province) -> Result<ReformPlan> {
    spec.validate()?;
    let mut rng = Rng::new(spec.seed, 4);
    let created = date(spec.year, Month::January, 5)?;
    let last_day = date(spec.year, Month::December, 31)?;
    let mut tasks = Vec::with_capacity(64);
    for i in 0..64usize {
        let title = PLAN_TASKS.get(i % PLAN_TASKS.len()).copied().unwrap_or("Nhiệm vụ");
        let month = Month::try_from((1 + (i * 12 / 64)) as u8).unwrap_or(Month::December);
        let deadline = date(spec.year, month, 1)?
            .replace_day(28)
            .map_err(|_| Error::invalid("demo.plan", "bad day"))?
            .max(created);
        let mut task =
            PlanTask::new(&format!("KH-{}-{:02}", spec.year, i + 1), title, created, deadline)?;
        let roll = rng.unit();
        if roll < 0.80 {
            let done = deadline - Duration::days(rng.between(0, 20));
            task = task.completed_on(done.max(created))?;
        } else if roll < 0.92 {
            let done = (deadline + Duration::days(rng.between(3, 40))).min(last_day);
            task = task.completed_on(done)?;
        }
        tasks.push(task);
    }
    ReformPlan::new(province.root.code().clone(), spec.year, tasks)
}

/// Fills an empty store with the province of `spec`: agencies, every procedure
/// version, then the dossiers streamed through the store's
/// [`Importer`](crate::Importer) in batches of 1,000, timed with the store's own
/// calendar and counting mode. `progress` is called after each batch with the
/// dossiers written so far and the total.
///
/// Then it stores the year's [`feedback`] items and the province's
/// [`reform_plan`].
///
/// # Errors
/// [`Error::Duplicate`] when the store already holds the province's agencies or
/// procedures; any error of the importer; [`Error::InvalidInput`] for a bad spec.
pub fn populate(
    store: &Store,
    spec: &DemoSpec,
    mut progress: impl FnMut(u64, u64),
) -> Result<ImportSummary> {
    let province = Province::generate(spec)?;
    for agency in province.agencies() {
        store.agencies().insert(agency)?;
    }
    for procedure in &province.procedures {
        store.procedures().insert(procedure)?;
    }
    let total = spec.dossiers;
    let stream = DossierStream::with_calendar(
        spec,
        &province,
        (*store.calendar()).clone(),
        store.counting_mode(),
    )?;
    let mut importer = store
        .dossiers()
        .importer()
        .batch_size(1_000)
        .on_progress(|s: &ImportSummary| progress(s.dossiers, total));
    // Generate on a second thread while this one writes: a bounded channel of
    // batches keeps memory at a few thousand dossiers.
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<DemoDossier>>>(4);
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(1_000);
            for item in stream {
                match item {
                    Ok(d) => batch.push(d),
                    Err(e) => {
                        let _ = sender.send(Err(e));
                        return;
                    }
                }
                if batch.len() == 1_000
                    && sender
                        .send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(1_000))))
                        .is_err()
                {
                    return;
                }
            }
            let _ = sender.send(Ok(batch));
        });
        // Dropping the receiver on error stops the generator at its next send.
        for batch in receiver {
            for (new, actions) in batch? {
                importer.dossier(new, actions)?;
            }
        }
        Ok::<(), Error>(())
    })?;
    let summary = importer.finish()?;
    let items = store.feedback();
    for item in feedback(spec, &province)? {
        items.insert(&item)?;
    }
    store.plans().insert(&reform_plan(spec, &province)?)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dossier::{Dossier, DossierHeader};

    #[test]
    fn rng_is_the_reference_xoshiro() {
        // SplitMix64 from state 0: the first output is the published reference value.
        let mut state = 0u64;
        assert_eq!(splitmix64(&mut state), 0xE220_A839_7B1D_CDAF);
        // xoshiro256** with state [1, 2, 3, 4]: reference outputs.
        let mut rng = Rng { s: [1, 2, 3, 4] };
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(first, vec![11_520, 0, 1_509_978_240]);
    }

    #[test]
    fn level_split_is_the_seed_and_exact() {
        let spec = DemoSpec::quang_nam_2023();
        assert_eq!(spec.level_split(), [90_010, 136_350, 187_299]);
        for n in [0, 1, 7, 100_000, 1_000_000] {
            assert_eq!(spec.with_dossiers(n).level_split().iter().sum::<u64>(), n);
        }
        assert_eq!(spec.with_dossiers(100_000).level_split(), [21_759, 32_962, 45_279]);
    }

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

    /// Folds a generated history with the store's event conversion
    /// ([`Action::to_event`]): the lifecycle must accept every event.
    fn fold(
        new: &NewDossier,
        actions: &[(OffsetDateTime, Action)],
        cal: &WorkCalendar,
        limit: TimeLimit,
    ) -> Dossier {
        let header = DossierHeader {
            code: new.code.clone(),
            procedure: new.procedure.clone(),
            field: Field::new("x").unwrap(),
            agency: new.agency.clone(),
            channel: new.channel,
            limit,
            fee_bearing: false,
            paper_result: false,
            digitised: new.digitised,
            reused_data: new.reused_data,
        };
        let due = cal.due_instant(new.received_at, limit, CountingMode::default()).unwrap();
        let mut d = Dossier::open(header, new.received_at, due).unwrap();
        for (at, action) in actions {
            let event = action.to_event(&d, *at, cal, CountingMode::default()).unwrap();
            d.apply(event).unwrap_or_else(|e| panic!("{}: {e}", new.code));
        }
        d
    }

    #[test]
    fn dossiers_are_ordered_unique_valid_and_deterministic() {
        let spec = DemoSpec::quang_nam_2023().with_dossiers(6_000);
        let province = Province::generate(&spec).unwrap();
        let all: Vec<DemoDossier> =
            DossierStream::new(&spec, &province).unwrap().map(Result::unwrap).collect();
        assert_eq!(all.len(), 6_000);
        let again: Vec<DemoDossier> =
            DossierStream::new(&spec, &province).unwrap().map(Result::unwrap).collect();
        assert_eq!(all, again);
        let other: Vec<DemoDossier> = DossierStream::new(&spec.with_seed(7), &province)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_ne!(all, other);
        let cal = WorkCalendar::vietnam();
        let end = date(2024, Month::January, 1).unwrap().midnight().assume_offset(VIETNAM_OFFSET);
        let mut codes = std::collections::HashSet::new();
        let mut by_level = [0u64; 3];
        let mut online = [0u64; 3];
        let (mut late, mut resolved, mut open, mut supplements, mut extensions) = (0, 0, 0, 0, 0);
        for pair in all.windows(2) {
            assert!(pair[0].0.received_at <= pair[1].0.received_at);
        }
        let limits: HashMap<&ProcedureCode, Vec<&Procedure>> =
            province.procedures.iter().fold(HashMap::new(), |mut m, p| {
                m.entry(p.code()).or_default().push(p);
                m
            });
        for (new, actions) in &all {
            assert!(codes.insert(new.code.clone()));
            assert_eq!(new.code.agency(), new.agency);
            assert_eq!(new.code.date(), new.received_at.date());
            assert!(cal.is_working_day(new.received_at.date()));
            assert!(actions.iter().all(|(at, _)| *at < end));
            let version = limits[&new.procedure]
                .iter()
                .rev()
                .find(|p| p.effective_from() <= new.received_at.date())
                .expect("a version in force");
            assert_eq!(version.status(), ProcedureStatus::InForce);
            let d = fold(new, actions, &cal, version.limit());
            let level = province.agencies().find(|a| a.code() == &new.agency).unwrap().level();
            let l = match level {
                Level::Province => 0,
                Level::District => 1,
                _ => 2,
            };
            assert_eq!(version.levels(), &[level]);
            by_level[l] += 1;
            online[l] += u64::from(new.channel == Channel::Online);
            supplements += d.supplement_requests();
            extensions += u32::from(d.extended_appointment().is_some());
            if d.outcome(crate::ClockRule::Restart) == Some(crate::Outcome::Late) {
                late += 1;
            }
            resolved += u32::from(d.resolved_at().is_some());
            open += u32::from(!d.status().is_closed());
        }
        assert_eq!(by_level, spec.level_split());
        // Online shares near the seed's 77.7 %, 30.2 %, 65.5 %.
        for (l, target) in [0.7774, 0.3016, 0.6545].iter().enumerate() {
            let share = online[l] as f64 / by_level[l] as f64;
            assert!((share - target).abs() < 0.04, "level {l}: {share}");
        }
        // Some of everything, in plausible proportions.
        assert!(late > 30 && late < 400, "late {late}");
        assert!(resolved > 5_400 && resolved < 5_950, "resolved {resolved}");
        assert!(open > 20, "open {open}");
        assert!(supplements > 200, "supplements {supplements}");
        assert!(extensions > 10, "extensions {extensions}");
    }

    #[test]
    fn feedback_and_plan_are_deterministic_and_plausible() {
        let spec = DemoSpec::quang_nam_2023();
        let province = Province::generate(&spec).unwrap();
        let items = feedback(&spec, &province).unwrap();
        assert_eq!(items.len(), 413_659 / 30);
        assert_eq!(items, feedback(&spec, &province).unwrap());
        let answered = items.iter().filter(|i| i.answered_at().is_some()).count();
        let share = answered as f64 / items.len() as f64;
        assert!((0.9..0.97).contains(&share), "{share}");
        assert!(items.windows(2).all(|w| w[0].received_at() <= w[1].received_at()));
        let plan = reform_plan(&spec, &province).unwrap();
        assert_eq!(plan.tasks().len(), 64);
        let done = plan.tasks().iter().filter(|t| t.completed().is_some()).count();
        assert!((48..=62).contains(&done), "{done}");
        assert!(plan.tasks().iter().all(|t| t.deadline().year() == 2023));
    }

    #[test]
    fn populate_writes_everything_and_stays_consistent() {
        let store = Store::temporary().unwrap();
        let spec = DemoSpec::quang_nam_2023().with_dossiers(2_500);
        let mut calls = Vec::new();
        let summary = populate(&store, &spec, |done, total| calls.push((done, total))).unwrap();
        assert_eq!(summary.dossiers, 2_500);
        assert_eq!(summary.batches, 3);
        assert_eq!(calls, vec![(1_000, 2_500), (2_000, 2_500), (2_500, 2_500)]);
        assert_eq!(store.agencies().len(), 1 + 20 + 18 + 241);
        assert_eq!(store.procedures().len(), 1_972);
        let report = store.report(&crate::Scope::All, crate::Period::year(2023).unwrap()).unwrap();
        assert_eq!(report.received_in_period(), 2_500);
        assert!(store.verify().unwrap().is_clean());
        // One feedback item per 30 dossiers, and the province's 64-task plan.
        assert_eq!(store.feedback().len(), 2_500 / 30);
        let plan = store.plans().get(&code(PROVINCE_CODE).unwrap(), 2023).unwrap().unwrap();
        assert_eq!(plan.tasks().len(), 64);
        // A second populate finds the province already there.
        assert!(matches!(populate(&store, &spec, |_, _| {}), Err(Error::Duplicate { .. })));
    }
}
