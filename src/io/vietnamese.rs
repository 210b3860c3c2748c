//! Vietnamese column headers and values of one-stop-system exports, read when
//! [`ImportOptions`](super::ImportOptions) asks for them (the tables are listed in
//! `docs/import.md`).
//!
//! Names are compared folded: lower case, Vietnamese letters without their marks
//! (`Hình thức nộp` and `HINH THUC NOP` are the same header), marks written as
//! combining characters dropped too, and any run of spaces or punctuation read as
//! one space (`Sửa đổi, bổ sung` = `sửa đổi bổ sung`).
//!
//! Sources of the terms: the submission channels and their feed codes are Decree
//! 61/2018/NĐ-CP Art. 16 (trực tiếp, bưu chính công ích, trực tuyến) and the
//! `KenhThucHien` codes 1 direct / 2 online / 3 postal of the Decision 766 sync feed,
//! with `NgayHenTra` for the appointment (`/work/shared/DOMAIN.md` §1.2 (a) and the
//! Decree 61 section, from a transcription of VPCP's technical note, marked \[S\]
//! there). The other headers and values are the terms of the forms and reports these
//! records come from (Biểu 06/VPCP/KSTT, Mẫu 01–04 of Circular 01/2018/TT-VPCP),
//! written from the domain's vocabulary: no stored copy of a particular system's
//! export was found, so the lists are a best reading, and
//! [`ImportOptions::alias`](super::ImportOptions::alias) maps any other header.

use std::sync::OnceLock;

use super::RecordType;

/// Folds a name for comparison: lower case, base letters, single spaces.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        let base = base_letter(c);
        if base.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(base);
        } else {
            space = true;
        }
    }
    out
}

/// The Vietnamese letters with marks, by their base letter.
const MARKED: [(char, &str); 7] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
    ('d', "đ"),
];

fn base_letter(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    MARKED.iter().find(|(_, marked)| marked.contains(c)).map_or(c, |&(base, _)| base)
}

/// A table of names: (name as written, the English name it stands for), with the
/// folded names built on first use.
pub(crate) struct Terms {
    raw: &'static [(&'static str, &'static str)],
    folded: OnceLock<Vec<(String, &'static str)>>,
}

impl Terms {
    const fn new(raw: &'static [(&'static str, &'static str)]) -> Self {
        Self { raw, folded: OnceLock::new() }
    }

    /// The English name `text` stands for.
    pub(crate) fn find(&self, text: &str) -> Option<&'static str> {
        let folded = self.folded.get_or_init(|| {
            self.raw.iter().map(|&(name, english)| (fold(name), english)).collect()
        });
        let key = fold(text);
        folded.iter().find(|(name, _)| *name == key).map(|&(_, english)| english)
    }

    /// The names as written, for messages and documentation.
    pub(crate) fn raw(&self) -> &'static [(&'static str, &'static str)] {
        self.raw
    }

    /// The first name written for `english`.
    pub(crate) fn first_for(&self, english: &str) -> Option<&'static str> {
        self.raw.iter().find(|(_, e)| *e == english).map(|&(name, _)| name)
    }
}

// ---------------------------------------------------------------------------
// Headers. `""` as the English name: a column the export shows and the import
// leaves out (a row number, a name beside its code, the appointment the store
// computes itself).

/// Read and left out.
pub(crate) const SKIP: &str = "";

static AGENCY_HEADERS: Terms = Terms::new(&[
    ("Mã cơ quan", "code"),
    ("Mã đơn vị", "code"),
    ("Mã định danh", "code"),
    ("Tên cơ quan", "name"),
    ("Tên đơn vị", "name"),
    ("Loại cơ quan", "kind"),
    ("Loại đơn vị", "kind"),
    ("Cấp", "level"),
    ("Cấp hành chính", "level"),
    ("Cơ quan cấp trên", "parent"),
    ("Mã cơ quan cấp trên", "parent"),
    ("Đơn vị cấp trên", "parent"),
    ("Mã đơn vị hành chính", "unit"),
    ("Mã ĐVHC", "unit"),
    ("Hiệu lực từ ngày", "valid_from"),
    ("Ngày bắt đầu hoạt động", "valid_from"),
    ("Hiệu lực đến ngày", "valid_to"),
    ("Ngày kết thúc hoạt động", "valid_to"),
    ("STT", SKIP),
]);

static PROCEDURE_HEADERS: Terms = Terms::new(&[
    ("Mã thủ tục", "code"),
    ("Mã TTHC", "code"),
    ("Mã số TTHC", "code"),
    ("Tên thủ tục", "name"),
    ("Tên TTHC", "name"),
    ("Lĩnh vực", "field"),
    ("Cấp thực hiện", "levels"),
    ("Cơ quan thực hiện", "handling_agency"),
    ("Cơ quan giải quyết", "handling_agency"),
    ("Thời hạn giải quyết", "limit"),
    ("Đơn vị thời hạn", "limit_unit"),
    ("Đơn vị tính", "limit_unit"),
    ("Thời hạn cắt giảm", "reduced_limit"),
    ("Thời hạn rút ngắn", "reduced_limit"),
    ("Mức độ DVCTT", "online"),
    ("Mức độ dịch vụ công trực tuyến", "online"),
    ("Đủ điều kiện toàn trình", "full_online_eligible"),
    ("Tích hợp Cổng DVCQG", "national_portal"),
    ("Có phí, lệ phí", "fee_bearing"),
    ("Thanh toán trực tuyến", "online_payment"),
    ("Kết quả bản giấy", "paper_result"),
    ("Trạng thái", "status"),
    ("Tình trạng hiệu lực", "status"),
    ("Áp dụng từ ngày", "effective_from"),
    ("Ngày áp dụng", "effective_from"),
    ("Số quyết định công bố", "announcement_number"),
    ("Quyết định công bố", "announcement_number"),
    ("Ngày ký quyết định", "announcement_signed"),
    ("Ngày ban hành", "announcement_signed"),
    ("Ngày hiệu lực quyết định", "announcement_effective"),
    ("Hình thức công bố", "announcement_kind"),
    ("STT", SKIP),
]);

static DOSSIER_HEADERS: Terms = Terms::new(&[
    ("Mã hồ sơ", "code"),
    ("Số hồ sơ", "code"),
    ("Mã thủ tục", "procedure"),
    ("Mã TTHC", "procedure"),
    ("Mã cơ quan", "agency"),
    ("Đơn vị tiếp nhận", "agency"),
    ("Cơ quan tiếp nhận", "agency"),
    ("Hình thức nộp", "channel"),
    ("Kênh nộp", "channel"),
    ("Hình thức tiếp nhận", "channel"),
    ("KenhThucHien", "channel"),
    ("Ngày tiếp nhận", "received_at"),
    ("Thời gian tiếp nhận", "received_at"),
    ("Ngày nhận", "received_at"),
    ("Số hóa", "digitised"),
    ("Đã số hóa", "digitised"),
    ("Tái sử dụng dữ liệu", "reused_data"),
    ("Khai thác dữ liệu", "reused_data"),
    ("Nơi tiếp nhận", "receiving"),
    ("Trung tâm tiếp nhận", "receiving"),
    ("Ngày hẹn trả", "appointment"),
    ("Hẹn trả", "appointment"),
    ("NgayHenTra", "appointment"),
    ("STT", SKIP),
    ("Tên thủ tục", SKIP),
    ("Tên TTHC", SKIP),
    ("Tên cơ quan", SKIP),
    ("Chủ hồ sơ", SKIP),
    ("Người nộp", SKIP),
]);

static EVENT_HEADERS: Terms = Terms::new(&[
    ("Mã hồ sơ", "dossier"),
    ("Số hồ sơ", "dossier"),
    ("Thời điểm", "at"),
    ("Thời gian", "at"),
    ("Thời gian xử lý", "at"),
    ("Thao tác", "action"),
    ("Hành động", "action"),
    ("Bước xử lý", "action"),
    ("Chuyển đến", "to"),
    ("Cơ quan nhận", "to"),
    ("Đơn vị nhận", "to"),
    ("Lý do", "reason"),
    ("Ngày hẹn trả mới", "new_appointment"),
    ("Hẹn trả mới", "new_appointment"),
    ("Kết quả điện tử", "e_result"),
    ("Thanh toán trực tuyến", "online"),
    ("STT", SKIP),
]);

static FEEDBACK_HEADERS: Terms = Terms::new(&[
    ("Mã phản ánh", "id"),
    ("Số phản ánh", "id"),
    ("Mã PAKN", "id"),
    ("Mã cơ quan", "agency"),
    ("Cơ quan tiếp nhận", "agency"),
    ("Đơn vị tiếp nhận", "agency"),
    ("Ngày tiếp nhận", "received_at"),
    ("Thời gian tiếp nhận", "received_at"),
    ("Loại phản ánh", "kind"),
    ("Phân loại", "kind"),
    ("Ngày chuyển xử lý", "transferred_at"),
    ("Ngày yêu cầu bổ sung", "supplement_requested_at"),
    ("Ngày trả lời", "answered_at"),
    ("Ngày từ chối", "rejected_at"),
    ("Mức độ hài lòng", "satisfaction"),
    ("Đánh giá", "satisfaction"),
    ("Tiếp tục phản ánh", "further_complaint"),
    ("STT", SKIP),
]);

static ASSESSMENT_HEADERS: Terms = Terms::new(&[
    ("Bộ chỉ số", "framework"),
    ("Đơn vị", "unit"),
    ("Đơn vị được đánh giá", "unit"),
    ("Năm", "year"),
    ("Tiêu chí", "leaf"),
    ("Mã tiêu chí", "leaf"),
    ("Chỉ số", "leaf"),
    ("Điểm", "points"),
    ("Điểm đạt được", "points"),
    ("Nguồn điểm", "source"),
    ("STT", SKIP),
]);

/// The built-in Vietnamese headers of a record type.
pub(crate) fn headers(record_type: RecordType) -> &'static Terms {
    match record_type {
        RecordType::Agencies => &AGENCY_HEADERS,
        RecordType::Procedures => &PROCEDURE_HEADERS,
        RecordType::Dossiers => &DOSSIER_HEADERS,
        RecordType::Events => &EVENT_HEADERS,
        RecordType::Feedback => &FEEDBACK_HEADERS,
        RecordType::Assessments => &ASSESSMENT_HEADERS,
    }
}

// ---------------------------------------------------------------------------
// Values.

/// Submission channels (Decree 61/2018 Art. 16; feed codes `KenhThucHien`).
pub(crate) static CHANNELS: Terms = Terms::new(&[
    ("Trực tiếp", "direct"),
    ("Nộp trực tiếp", "direct"),
    ("1", "direct"),
    ("Trực tuyến", "online"),
    ("Nộp trực tuyến", "online"),
    ("Qua mạng", "online"),
    ("2", "online"),
    ("Bưu chính", "postal"),
    ("Qua bưu chính", "postal"),
    ("Bưu chính công ích", "postal"),
    ("Dịch vụ bưu chính công ích", "postal"),
    ("3", "postal"),
]);

/// Dossier actions (the steps of Mẫu 02–04 and the one-stop workflow).
pub(crate) static ACTIONS: Terms = Terms::new(&[
    ("Chuyển xử lý", "transfer"),
    ("Chuyển liên thông", "transfer"),
    ("Liên thông", "transfer"),
    ("Yêu cầu bổ sung", "request_supplement"),
    ("Yêu cầu bổ sung hồ sơ", "request_supplement"),
    ("Bổ sung", "supplement"),
    ("Bổ sung hồ sơ", "supplement"),
    ("Đã bổ sung", "supplement"),
    ("Gia hạn", "extend"),
    ("Xin lỗi, gia hạn", "extend"),
    ("Xin lỗi và hẹn lại", "extend"),
    ("Từ chối", "refuse"),
    ("Từ chối giải quyết", "refuse"),
    ("Giải quyết", "resolve"),
    ("Đã giải quyết", "resolve"),
    ("Có kết quả", "resolve"),
    ("Trả kết quả", "return_result"),
    ("Đã trả kết quả", "return_result"),
    ("Rút hồ sơ", "withdraw"),
    ("Công dân rút hồ sơ", "withdraw"),
    ("Đóng hồ sơ", "close_unsupplemented"),
    ("Dừng giải quyết", "stop"),
    ("Dừng thực hiện thủ tục hành chính", "stop"),
    ("Thanh toán", "pay"),
    ("Nộp phí, lệ phí", "pay"),
]);

/// Administrative levels.
pub(crate) static LEVELS: Terms = Terms::new(&[
    ("Trung ương", "central"),
    ("Cấp trung ương", "central"),
    ("Tỉnh", "province"),
    ("Cấp tỉnh", "province"),
    ("Huyện", "district"),
    ("Cấp huyện", "district"),
    ("Xã", "commune"),
    ("Cấp xã", "commune"),
]);

/// Kinds of agencies.
pub(crate) static KINDS: Terms = Terms::new(&[
    ("Bộ", "ministry"),
    ("Bộ, ngành", "ministry"),
    ("Cơ quan ngang bộ", "ministry"),
    ("UBND tỉnh", "province"),
    ("Ủy ban nhân dân tỉnh", "province"),
    ("Sở", "department"),
    ("Sở, ban, ngành", "department"),
    ("UBND huyện", "district"),
    ("Ủy ban nhân dân huyện", "district"),
    ("UBND xã", "commune"),
    ("Ủy ban nhân dân xã", "commune"),
    ("Bộ phận một cửa", "one_stop_centre"),
    ("Trung tâm phục vụ hành chính công", "one_stop_centre"),
    ("Bộ phận tiếp nhận và trả kết quả", "one_stop_centre"),
]);

/// Units of time limits.
pub(crate) static UNITS: Terms = Terms::new(&[
    ("Ngày làm việc", "working_days"),
    ("Giờ làm việc", "working_hours"),
    ("Ngày lịch", "calendar_days"),
    ("Ngày theo lịch", "calendar_days"),
    ("Tháng", "months"),
]);

/// Online service levels (Decree 42/2022); the legacy levels 1–4 map as
/// `OnlineLevel::from_legacy` does (a convention, not law).
pub(crate) static ONLINE: Terms = Terms::new(&[
    ("Không", "none"),
    ("Một phần", "partial"),
    ("DVC trực tuyến một phần", "partial"),
    ("Dịch vụ công trực tuyến một phần", "partial"),
    ("Toàn trình", "full"),
    ("DVC trực tuyến toàn trình", "full"),
    ("Dịch vụ công trực tuyến toàn trình", "full"),
    ("Mức độ 1", "none"),
    ("Mức độ 2", "none"),
    ("Mức độ 3", "partial"),
    ("Mức độ 4", "full"),
]);

/// Procedure statuses.
pub(crate) static STATUSES: Terms = Terms::new(&[
    ("Còn hiệu lực", "in_force"),
    ("Đang hiệu lực", "in_force"),
    ("Bãi bỏ", "abolished"),
    ("Đã bãi bỏ", "abolished"),
    ("Hết hiệu lực", "abolished"),
]);

/// What an announcement decision did.
pub(crate) static ANNOUNCEMENT_KINDS: Terms = Terms::new(&[
    ("Mới", "new"),
    ("Ban hành mới", "new"),
    ("Sửa đổi, bổ sung", "amended"),
    ("Sửa đổi", "amended"),
    ("Thay thế", "replaced"),
    ("Bãi bỏ", "abolished"),
]);

/// Kinds of feedback (766 indicator 5.1).
pub(crate) static FEEDBACK_KINDS: Terms = Terms::new(&[
    ("Quy định hành chính", "regulation"),
    ("Quy định", "regulation"),
    ("Thủ tục hành chính", "regulation"),
    ("Hành vi hành chính", "staff"),
    ("Hành vi", "staff"),
    ("Cán bộ, công chức", "staff"),
]);

/// Satisfaction responses (766 indicator 5.3).
pub(crate) static SATISFACTIONS: Terms = Terms::new(&[
    ("Chưa đánh giá", "none"),
    ("Không đánh giá", "none"),
    ("Hài lòng", "satisfied"),
    ("Không hài lòng", "not_satisfied"),
]);

/// Score sources.
pub(crate) static SOURCES: Terms = Terms::new(&[
    ("Thẩm định", "appraisal"),
    ("Điều tra xã hội học", "survey"),
    ("Điều tra", "survey"),
    ("Tính toán", "computed"),
    ("Tự động", "computed"),
    ("Hỗn hợp", "mixed"),
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_marks_and_punctuation() {
        assert_eq!(fold("Hình thức nộp"), "hinh thuc nop");
        assert_eq!(fold("  HÌNH   THỨC NỘP "), "hinh thuc nop");
        // Decomposed: i + U+0300, u + U+031B + U+0301, o + U+0302 + U+0323.
        assert_eq!(fold("Hi\u{300}nh thu\u{31b}\u{301}c no\u{302}\u{323}p"), "hinh thuc nop");
        assert_eq!(fold("Sửa đổi, bổ sung"), "sua doi bo sung");
        assert_eq!(fold("Đơn vị tiếp nhận"), "don vi tiep nhan");
        assert_eq!(fold("received_at"), "received at");
        // Both placements of the tone in "uỷ"/"ủy".
        assert_eq!(fold("Uỷ ban"), fold("Ủy ban"));
    }

    /// A folded name stands for one thing in each table.
    #[test]
    fn no_table_names_two_things_alike() {
        let mut tables: Vec<(&str, &Terms)> = vec![
            ("channels", &CHANNELS),
            ("actions", &ACTIONS),
            ("levels", &LEVELS),
            ("kinds", &KINDS),
            ("units", &UNITS),
            ("online", &ONLINE),
            ("statuses", &STATUSES),
            ("announcement kinds", &ANNOUNCEMENT_KINDS),
            ("feedback kinds", &FEEDBACK_KINDS),
            ("satisfactions", &SATISFACTIONS),
            ("sources", &SOURCES),
        ];
        for t in [
            RecordType::Agencies,
            RecordType::Procedures,
            RecordType::Dossiers,
            RecordType::Events,
            RecordType::Feedback,
            RecordType::Assessments,
        ] {
            tables.push(("headers", headers(t)));
        }
        for (name, table) in tables {
            let mut seen = std::collections::HashMap::new();
            for &(term, english) in table.raw() {
                if let Some(other) = seen.insert(fold(term), english) {
                    panic!("{name}: {term:?} folds like a name for {other}");
                }
                assert_eq!(table.find(term), Some(english), "{name}: {term}");
            }
        }
        assert_eq!(CHANNELS.find("TRUC TUYEN"), Some("online"));
        assert_eq!(CHANNELS.find("fax"), None);
    }

    /// docs/import.md lists every name of every table.
    #[test]
    fn the_documentation_lists_every_name() {
        let docs = include_str!("../../docs/import.md");
        let mut tables: Vec<&Terms> = vec![
            &CHANNELS,
            &ACTIONS,
            &LEVELS,
            &KINDS,
            &UNITS,
            &ONLINE,
            &STATUSES,
            &ANNOUNCEMENT_KINDS,
            &FEEDBACK_KINDS,
            &SATISFACTIONS,
            &SOURCES,
        ];
        for t in [
            RecordType::Agencies,
            RecordType::Procedures,
            RecordType::Dossiers,
            RecordType::Events,
            RecordType::Feedback,
            RecordType::Assessments,
        ] {
            tables.push(headers(t));
        }
        for table in tables {
            for (term, _) in table.raw() {
                assert!(docs.contains(&format!("`{term}`")), "docs/import.md lacks {term:?}");
            }
        }
    }
}
