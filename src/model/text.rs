//! Checks on free text that names something (agency and procedure names, fields,
//! feedback ids, plan tasks, reasons, units): no character that can make one name
//! look like another or hide part of it.
//!
//! Refused anywhere in such text:
//! - control characters (Unicode category Cc), except a line feed where the
//!   text allows several lines (reasons);
//! - every format character (category Cf): the bidirectional controls
//!   U+202A–U+202E, U+2066–U+2069, U+200E, U+200F and U+061C, which reorder
//!   what is displayed (a right-to-left override makes `gnp.exe` show as
//!   `exe.png`); the zero-width space, joiners and word joiner (U+200B–U+200D,
//!   U+2060–U+2064), the byte-order mark U+FEFF, the soft hyphen U+00AD and the
//!   other invisible Cf characters, which make two names that look the same
//!   differ;
//! - the other default-ignorable code points (Hangul fillers, variation
//!   selectors, U+034F, tag characters), which are also drawn as nothing;
//! - the line and paragraph separators U+2028 and U+2029.
//!
//! And such text must hold at least one visible character: a name made only of
//! spaces, combining marks or blank symbols is refused.
//!
//! Vietnamese text is untouched: precomposed letters (ế, ữ, ạ) and decomposed
//! ones (a base letter followed by the combining marks U+0300–U+0323) are
//! letters and combining marks, not format characters.
//!
//! The lists follow the Unicode Character Database (DerivedCoreProperties.txt,
//! `Default_Ignorable_Code_Point`, and the `Cf` entries of
//! DerivedGeneralCategory.txt) as of Unicode 16; they are written from that
//! recollection, not read from a stored copy.

use crate::{Error, Result};

/// Format (Cf) characters and other default-ignorable code points, as inclusive
/// ranges in code-point order.
const HIDDEN: &[(u32, u32)] = &[
    (0x00AD, 0x00AD), // soft hyphen
    (0x034F, 0x034F), // combining grapheme joiner
    (0x0600, 0x0605), // Arabic number signs
    (0x061C, 0x061C), // Arabic letter mark
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160), // Hangul fillers
    (0x17B4, 0x17B5),
    (0x180B, 0x180F), // Mongolian selectors and vowel separator
    (0x200B, 0x200F), // zero-width space, joiners, LRM, RLM
    (0x2028, 0x2029), // line and paragraph separators
    (0x202A, 0x202E), // bidi embeddings and overrides
    (0x2060, 0x206F), // word joiner, invisible operators, bidi isolates, deprecated
    (0x3164, 0x3164), // Hangul filler
    (0xFE00, 0xFE0F), // variation selectors
    (0xFEFF, 0xFEFF), // byte-order mark
    (0xFFA0, 0xFFA0), // halfwidth Hangul filler
    (0xFFF0, 0xFFFB), // interlinear annotation controls and unassigned
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F), // Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3), // shorthand format controls
    (0x1D173, 0x1D17A), // musical symbol format controls
    (0xE0000, 0xE0FFF), // tags and variation selectors supplement
];

/// Blocks of combining marks: they attach to the character before and are not
/// visible on their own.
const COMBINING: &[(u32, u32)] =
    &[(0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F)];

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    ranges.iter().any(|&(from, to)| (from..=to).contains(&c))
}

/// Returns whether `c` is a format or other default-ignorable character that can
/// disguise a name.
pub(crate) fn is_hidden(c: char) -> bool {
    in_ranges(HIDDEN, c)
}

/// Returns whether `c` shows something on its own.
fn is_visible(c: char) -> bool {
    !c.is_whitespace()
        && !c.is_control()
        && !is_hidden(c)
        && !in_ranges(COMBINING, c)
        && c != '\u{2800}' // braille pattern blank
}

/// Refuses text holding a control character (a line feed is allowed when
/// `multiline`), a format or other invisible character, or no visible
/// character at all (empty text is left to the caller: some fields may be
/// empty).
pub(crate) fn check_shown(field: &'static str, text: &str, multiline: bool) -> Result<()> {
    for c in text.chars() {
        if c.is_control() && !(multiline && c == '\n') {
            return Err(Error::invalid(
                field,
                format!("must not contain control characters (U+{:04X})", u32::from(c)),
            ));
        }
        if is_hidden(c) {
            return Err(Error::invalid(
                field,
                format!(
                    "must not contain U+{:04X}, an invisible or direction-changing character \
                     that can disguise text",
                    u32::from(c)
                ),
            ));
        }
    }
    if !text.is_empty() && !text.chars().any(is_visible) {
        return Err(Error::invalid(field, "has no visible character"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> bool {
        check_shown("name", text, false).is_err()
    }

    #[test]
    fn vietnamese_text_precomposed_or_decomposed_is_accepted() {
        for text in [
            "UBND xã Đại Hiệp",
            "Sở Tài nguyên và Môi trường",
            "Đăng ký khai sinh; cấp bản sao trích lục (lần 2)",
            // "Việt" with the circumflex and the dot below as combining marks.
            "Vie\u{0302}\u{0323}t Nam",
            "Hộ tịch – Chứng thực",
            "1022-000001",
        ] {
            assert!(check_shown("name", text, false).is_ok(), "{text:?}");
        }
        assert!(check_shown("reason", "Thiếu:\n- bản sao", true).is_ok());
        assert!(refused("Thiếu:\n- bản sao"), "a line feed only where several lines are allowed");
    }

    #[test]
    fn invisible_and_direction_changing_characters_are_refused() {
        for c in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{202E}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{061C}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{180E}',
            '\u{2028}',
            '\u{2029}',
            '\u{3164}',
            '\u{FE0F}',
            '\u{E0041}',
            '\u{0007}',
            '\u{0085}',
        ] {
            assert!(refused(&format!("UBND{c}huyện")), "U+{:04X}", u32::from(c));
        }
        // What the issue found: a name made of zero-width characters only, and
        // one that reads backwards.
        assert!(refused("\u{200B}\u{200B}\u{200B}"));
        assert!(refused("UBND \u{202E}nệyuh"));
    }

    #[test]
    fn text_without_a_visible_character_is_refused() {
        for text in [" ", "\u{00A0}\u{3000}", "\u{0301}\u{0323}", "\u{2800}"] {
            assert!(refused(text), "{text:?}");
        }
        assert!(check_shown("name", "", false).is_ok(), "emptiness is the caller's rule");
    }
}
