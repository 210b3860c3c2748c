//! Built-in frameworks for PAPI, PAINDEX and the PAR Index, holding only the
//! structure sourced in DOMAIN.md §3 and §5. Where the points are not sourced
//! they are `None` (supplied by the caller).

use super::decision766::build;
use super::framework::{FrameworkNode, FrameworkSpec, IndexFramework, ScoreSource};

/// A PAPI dimension: id, Vietnamese and English names, sub-dimensions.
type Dimension =
    (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const PAPI_DIMENSIONS: [Dimension; 8] = [
    (
        "D1",
        "Tham gia của người dân ở cấp cơ sở",
        "Participation at local levels",
        &[
            ("Tri thức công dân", "Civic knowledge"),
            ("Cơ hội tham gia", "Opportunities to participate"),
            ("Chất lượng bầu cử", "Election quality"),
            ("Đóng góp tự nguyện", "Voluntary contributions"),
        ],
    ),
    (
        "D2",
        "Công khai, minh bạch trong ra quyết định ở địa phương",
        "Transparency in local decision-making",
        &[
            ("Tiếp cận thông tin", "Access to information"),
            ("Công khai danh sách hộ nghèo", "Poor-household lists"),
            ("Công khai ngân sách cấp xã", "Commune budget"),
        ],
    ),
    (
        "D3",
        "Trách nhiệm giải trình với người dân",
        "Vertical accountability",
        &[
            ("Tương tác với chính quyền", "Interaction with authorities"),
            ("Giải quyết khiếu nại, tố cáo", "Complaints and denunciations"),
            ("Tiếp cận dịch vụ tư pháp", "Access to justice"),
        ],
    ),
    (
        "D4",
        "Kiểm soát tham nhũng trong khu vực công",
        "Control of corruption in the public sector",
        &[
            ("Kiểm soát tham nhũng trong chính quyền địa phương", "Corruption in local government"),
            ("Kiểm soát tham nhũng trong cung ứng dịch vụ công", "Corruption in public services"),
            ("Công bằng trong tuyển dụng vào khu vực nhà nước", "Fairness in recruitment"),
            ("Quyết tâm chống tham nhũng", "Resolve against corruption"),
        ],
    ),
    (
        "D5",
        "Thủ tục hành chính công",
        "Public administrative procedures",
        &[
            ("Dịch vụ chứng thực, xác nhận", "Certification"),
            ("Thủ tục cấp phép xây dựng", "Construction permits"),
            ("Thủ tục cấp giấy chứng nhận quyền sử dụng đất", "Land-use certificates"),
            ("Thủ tục hành chính cấp xã", "Commune-level procedures"),
        ],
    ),
    (
        "D6",
        "Cung ứng dịch vụ công",
        "Public service delivery",
        &[
            ("Y tế công lập", "Health"),
            ("Giáo dục tiểu học công lập", "Primary education"),
            ("Cơ sở hạ tầng căn bản", "Infrastructure"),
            ("An ninh, trật tự", "Law and order"),
        ],
    ),
    ("D7", "Quản trị môi trường", "Environmental governance", &[]),
    ("D8", "Quản trị điện tử", "E-governance", &[]),
];

/// Returns PAPI from 2018 on (id `papi.2018`): 8 dimensions D1–D8, each from
/// 1 to 10, total 8–80 (6–60 before 2018), \[S\] DOMAIN §5.1.
///
/// Each dimension is the sum of its sub-dimensions; with k sub-dimensions,
/// each runs from 1/k to 10/k. The sub-dimensions of D1–D6 are the ones
/// listed in DOMAIN §5.1 (English names sourced; the Vietnamese wording is
/// this crate's rendering). D7 (environmental governance) and D8
/// (e-governance) have no sourced sub-dimensions and are leaves. Sub-dimension
/// ids are `D1.1`, `D1.2`, … in the listed order. All points are
/// [`ScoreSource::Survey`].
pub fn papi() -> IndexFramework {
    let mut nodes = Vec::new();
    for (id, name_vi, name_en, subs) in PAPI_DIMENSIONS {
        nodes.push(
            FrameworkNode::new(id, None, name_vi, ScoreSource::Survey)
                .with_name_en(name_en)
                .with_min(1.0)
                .with_max(10.0),
        );
        let k = subs.len() as f64;
        for (n, (sub_vi, sub_en)) in subs.iter().enumerate() {
            nodes.push(
                FrameworkNode::new(
                    format!("{id}.{}", n + 1),
                    Some(id),
                    *sub_vi,
                    ScoreSource::Survey,
                )
                .with_name_en(*sub_en)
                .with_min(1.0 / k)
                .with_max(10.0 / k),
            );
        }
    }
    build(FrameworkSpec {
        id: "papi.2018".to_owned(),
        name_vi: "Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI)".to_owned(),
        name_en: Some(
            "Provincial Governance and Public Administration Performance Index".to_owned(),
        ),
        max_points: Some(80.0),
        min_points: Some(8.0),
        additive: true,
        note: Some(
            "[S] UNDP/CECODES; indicator rescaling into sub-dimension ranges unverified [R]"
                .to_owned(),
        ),
        nodes,
    })
}

fn part(id: &str, parent: Option<&str>, name_vi: &str, max: f64) -> FrameworkNode {
    FrameworkNode::new(id, parent, name_vi, ScoreSource::Mixed).with_max(max)
}

/// Returns the 2017 PAINDEX set (id `paindex.2017`): 100 points in 4
/// contents, \[S\] baodauthau.vn (DOMAIN §5.2): state management of
/// anti-corruption work 20, prevention 30, detection 25, handling 25.
pub fn paindex_2017() -> IndexFramework {
    let nodes = vec![
        part("1", None, "Quản lý nhà nước về phòng, chống tham nhũng", 20.0)
            .with_name_en("State management of anti-corruption work"),
        part("2", None, "Phòng ngừa tham nhũng", 30.0).with_name_en("Prevention"),
        part("3", None, "Phát hiện tham nhũng", 25.0).with_name_en("Detection"),
        part("4", None, "Xử lý tham nhũng", 25.0).with_name_en("Handling"),
    ];
    build(FrameworkSpec {
        id: "paindex.2017".to_owned(),
        name_vi: "Chỉ số đánh giá công tác phòng, chống tham nhũng cấp tỉnh (PAINDEX) 2017"
            .to_owned(),
        name_en: Some("Provincial anti-corruption assessment index, 2017 set".to_owned()),
        max_points: Some(100.0),
        min_points: None,
        additive: true,
        note: Some("[S] baodauthau.vn".to_owned()),
        nodes,
    })
}

/// Returns the 2023 PAINDEX set (id `paindex.2023`, QĐ 152/QĐ-TTCP of
/// 14/4/2023, used for 2022), \[S\] luatminhkhue.vn (DOMAIN §5.2): part A 20
/// (A.1 = 5 with "plan issued" 1 and "plan content" 4; A.2 = 15), B 30, C 40,
/// D 10.
///
/// **The titles of C and D are uncertain**: they were cut off in the stored
/// copy (which even prints "PHẦN C" twice); C is probably detection and
/// handling. B.1 (26 points, public sector) includes PAR Index 1 point and
/// DTI 1 point, but B's full split is not sourced, so B is a leaf.
pub fn paindex_2023() -> IndexFramework {
    let nodes = vec![
        part("A", None, "Lãnh đạo, chỉ đạo và xây dựng chính sách phòng, chống tham nhũng", 20.0)
            .with_name_en("Leadership, direction and anti-corruption policy"),
        part("A.1", Some("A"), "Kế hoạch phòng, chống tham nhũng", 5.0),
        part("A.1.1", Some("A.1"), "Ban hành kế hoạch", 1.0).with_name_en("Plan issued"),
        part("A.1.2", Some("A.1"), "Nội dung kế hoạch", 4.0).with_name_en("Plan content"),
        part("A.2", Some("A"), "Phần A.2", 15.0).with_note("title not in the stored copy"),
        part("B", None, "Phòng ngừa tham nhũng", 30.0).with_name_en("Prevention").with_note(
            "B.1 = 26 (public sector) includes PAR Index 1 point and DTI 1 point; the rest of the split is not sourced",
        ),
        part("C", None, "Phần C", 40.0)
            .with_note("title uncertain: cut off in the stored copy; probably detection and handling"),
        part("D", None, "Phần D", 10.0)
            .with_note("title uncertain: printed as a second \"PHẦN C\" in the stored copy"),
    ];
    build(FrameworkSpec {
        id: "paindex.2023".to_owned(),
        name_vi:
            "Chỉ số đánh giá công tác phòng, chống tham nhũng cấp tỉnh (PAINDEX), QĐ 152/QĐ-TTCP"
                .to_owned(),
        name_en: Some("Provincial anti-corruption assessment index, 2023 set".to_owned()),
        max_points: Some(100.0),
        min_points: None,
        additive: true,
        note: Some("[S] luatminhkhue.vn; parts C and D labels uncertain".to_owned()),
        nodes,
    })
}

fn par_area(id: &str, name_vi: &str, name_en: &str) -> FrameworkNode {
    FrameworkNode::new(id, None, name_vi, ScoreSource::Mixed)
        .with_name_en(name_en)
        .with_note("max points not sourced: supply them with IndexFramework::with_max_points")
}

/// Returns the province PAR Index set for 2022–2030 (id `vn.par.province.2022`,
/// QĐ 876/QĐ-BNV and QĐ 1150/QĐ-BNV): 8 areas, index out of 100.
///
/// **The list of areas is unverified \[R\]** (DOMAIN §3.1; the official set has
/// 8 areas, 43 criteria, 95 sub-criteria \[S\]), and the areas' maximum points
/// and appraisal/survey split were not found, so every area's maximum is
/// `None` and its source [`ScoreSource::Mixed`].
pub fn par_index_2022_province() -> IndexFramework {
    let nodes = vec![
        par_area("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "Direction of reform"),
        par_area("2", "Cải cách thể chế", "Institutional reform"),
        par_area("3", "Cải cách thủ tục hành chính", "Administrative procedures"),
        par_area("4", "Cải cách tổ chức bộ máy hành chính nhà nước", "Organisation"),
        par_area("5", "Cải cách chế độ công vụ", "Civil service regime"),
        par_area("6", "Cải cách tài chính công", "Public finance"),
        par_area(
            "7",
            "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
            "E-government and digital government",
        ),
        par_area(
            "8",
            "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế – xã hội",
            "Impact",
        ),
    ];
    build(FrameworkSpec {
        id: "vn.par.province.2022".to_owned(),
        name_vi: "Chỉ số cải cách hành chính cấp tỉnh 2022–2030".to_owned(),
        name_en: Some("PAR Index, province set 2022–2030".to_owned()),
        max_points: Some(100.0),
        min_points: None,
        additive: true,
        note: Some("area list unverified [R]; area maxima not sourced".to_owned()),
        nodes,
    })
}

/// Returns the province PAR Index set for 2017–2020 (id
/// `vn.par.province.2017`, QĐ 2948/QĐ-BNV, text not found): the 7 areas
/// reported by the Hòa Bình PAR 2019 seed (DOMAIN §3.2, §7 seed 004) plus
/// the impact area its gaps list mentions; index out of 100.
///
/// The areas' maximum points are not sourced, so every area's maximum is
/// `None` (supplied by the caller) and its source [`ScoreSource::Mixed`]
/// (documentary evidence plus surveys of leaders and of citizens).
pub fn par_index_2017_province() -> IndexFramework {
    let nodes = vec![
        par_area("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "Direction of reform"),
        par_area(
            "2",
            "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
            "Legal documents: drafting and implementation",
        ),
        par_area("3", "Cải cách thủ tục hành chính", "Administrative procedures"),
        par_area("4", "Cải cách tổ chức bộ máy hành chính nhà nước", "Organisation"),
        par_area(
            "5",
            "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
            "Civil servants and public employees",
        ),
        par_area("6", "Cải cách tài chính công", "Public finance"),
        par_area("7", "Hiện đại hóa hành chính", "Modernisation of administration"),
        par_area(
            "8",
            "Tác động của cải cách hành chính đến người dân, tổ chức và các chỉ tiêu phát triển kinh tế – xã hội",
            "Impact on citizens, organisations and socio-economic targets",
        ),
    ];
    build(FrameworkSpec {
        id: "vn.par.province.2017".to_owned(),
        name_vi: "Chỉ số cải cách hành chính cấp tỉnh 2017–2020".to_owned(),
        name_en: Some("PAR Index, province set 2017–2020".to_owned()),
        max_points: Some(100.0),
        min_points: None,
        additive: true,
        note: Some("areas from the Hòa Bình 2019 seed; area maxima not sourced".to_owned()),
        nodes,
    })
}
