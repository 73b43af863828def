//! Small text helpers shared by the data model and the normalizers.
//!
//! They pin down two details of Splunk's regular expressions (PCRE) that several mappings rely
//! on: what `\s` matches and how a Windows path's file name is cut off.

/// Whether `c` is whitespace for PCRE's `\s` as Splunk compiles it (ASCII only: space, tab,
/// line feed, vertical tab, form feed, carriage return). Unicode spaces such as U+00A0 are not.
pub(crate) fn is_pcre_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
}

/// The text after the last backslash of `path`, or all of `path` when it has none.
///
/// This is what the add-ons' `(?:.*\\)?(.*)` extraction yields for a one-line path.
pub(crate) fn basename(path: &str) -> &str {
    match path.rfind('\\') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcre_space_is_ascii_only() {
        for c in [' ', '\t', '\n', '\u{0B}', '\u{0C}', '\r'] {
            assert!(is_pcre_space(c), "{c:?}");
        }
        for c in ['a', '"', '\u{A0}', '\u{2003}', '\u{202E}'] {
            assert!(!is_pcre_space(c), "{c:?}");
        }
    }

    #[test]
    fn basename_cuts_after_last_backslash() {
        assert_eq!(basename(r"C:\Windows\System32\cmd.exe"), "cmd.exe");
        assert_eq!(basename("cmd.exe"), "cmd.exe");
        assert_eq!(basename(r"C:\dir\"), "");
        assert_eq!(basename(""), "");
    }
}
