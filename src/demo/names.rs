//! The province's name tables: its departments, districts and communes, the fields
//! of the catalogue with real procedure names, the qualifiers that vary them, the
//! reasons given to applicants and the titles of reform plan tasks.

use crate::model::time_limit::TimeUnit;

pub(super) const PROVINCE_CODE: &str = "000.00.00.H49";
pub(super) const PROVINCE_NAME: &str = "UBND tỉnh Quảng Nam";

/// Departments (sở, ban, ngành) of the provincial People's Committee.
pub(super) const DEPARTMENTS: [&str; 20] = [
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
pub(super) const DISTRICTS: [(&str, &str, usize, f64); 18] = [
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
pub(super) const COMMUNE_PREFIX: [&str; 18] = [
    "Tam", "Cẩm", "Điện", "Bình", "Duy", "Đại", "Tam", "Tam", "Quế", "Quế", "Bình", "Tiên", "Trà",
    "Trà", "Phước", "Tà", "Ba", "A",
];

pub(super) const COMMUNE_SUFFIX: [&str; 24] = [
    "An", "Bình", "Hòa", "Phú", "Thành", "Thạnh", "Xuân", "Hiệp", "Thuận", "Phong", "Sơn", "Lộc",
    "Hưng", "Trung", "Nghĩa", "Tân", "Mỹ", "Quang", "Thắng", "Hải", "Ngọc", "Minh", "Phước", "Thọ",
];

/// A field (lĩnh vực) of the catalogue.
pub(super) struct FieldDef {
    pub(super) name: &'static str,
    /// The department handling its province-level procedures.
    pub(super) department: usize,
    /// Typical central limits.
    pub(super) limits: &'static [u32],
    pub(super) unit: TimeUnit,
    /// Relative number of procedures at province, district and commune level.
    pub(super) catalogue: [u32; 3],
    /// Relative dossier volume at province, district and commune level.
    pub(super) volume: [u32; 3],
    /// Real procedure names of the field, used as bases for the catalogue.
    pub(super) names: &'static [&'static str],
}

const WD: TimeUnit = TimeUnit::WorkingDays;

#[rustfmt::skip]
pub(super) const FIELDS: [FieldDef; 34] = [
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
pub(super) const QUALIFIERS: [&str; 10] = [
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

pub(super) const SUPPLEMENT_REASONS: [&str; 4] = [
    "Thiếu bản sao giấy tờ tùy thân",
    "Tờ khai chưa đầy đủ thông tin",
    "Thiếu văn bản ủy quyền",
    "Bản vẽ chưa đúng quy định",
];
pub(super) const REFUSAL_REASONS: [&str; 3] = [
    "Không đủ điều kiện theo quy định",
    "Không thuộc thẩm quyền giải quyết",
    "Hồ sơ có thông tin không trung thực",
];
pub(super) const APOLOGY_REASON: &str =
    "Cần xác minh thêm thông tin; xin lỗi và hẹn lại ngày trả kết quả";

pub(super) const PLAN_TASKS: [&str; 8] = [
    "Rà soát, đơn giản hóa thủ tục hành chính",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Cung cấp dịch vụ công trực tuyến toàn trình",
    "Kiểm tra công tác cải cách hành chính",
    "Tuyên truyền cải cách hành chính",
    "Khảo sát sự hài lòng của người dân, tổ chức",
    "Sắp xếp tổ chức bộ máy",
    "Đào tạo, bồi dưỡng cán bộ, công chức",
];
