//! Search-language wildcard patterns, compiled once and matched without allocating.
//!
//! In `search` and the `tstats` WHERE clause a value is a glob over the whole field value:
//! `*` stands for any run of characters (backslashes and dots included), every other
//! character is literal, and letters compare ASCII case-insensitively. There is no
//! single-character wildcard and no way to escape `*`.
//!
//! A pattern compiles to the cheapest test that decides it: equality, prefix, suffix,
//! substring, prefix-and-suffix, or a general sequence of literal pieces.

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wildcard {
    strategy: Strategy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Strategy {
    /// `*`: any value at all.
    Any,
    /// No `*`: the whole value.
    Exact(Vec<u8>),
    /// `abc*`.
    Prefix(Vec<u8>),
    /// `*abc`.
    Suffix(Vec<u8>),
    /// `*abc*`.
    Contains(Vec<u8>),
    /// `ab*cd`.
    PrefixSuffix(Vec<u8>, Vec<u8>),
    /// Anything else: the first piece anchors the start, the last the end, the middle
    /// pieces are found left to right.
    Pieces {
        first: Vec<u8>,
        middle: Vec<Vec<u8>>,
        last: Vec<u8>,
    },
}

impl Wildcard {
    /// Compiles a pattern as written after SPL unescaping.
    pub fn new(pattern: &str) -> Self {
        let pieces: Vec<&[u8]> = pattern.as_bytes().split(|&b| b == b'*').collect();
        let strategy = match pieces.as_slice() {
            [exact] => Strategy::Exact(exact.to_vec()),
            pieces if pieces.iter().all(|p| p.is_empty()) => Strategy::Any,
            [prefix, b""] => Strategy::Prefix(prefix.to_vec()),
            [b"", suffix] => Strategy::Suffix(suffix.to_vec()),
            [b"", inner, b""] => Strategy::Contains(inner.to_vec()),
            [prefix, suffix] => Strategy::PrefixSuffix(prefix.to_vec(), suffix.to_vec()),
            [first, middle @ .., last] => Strategy::Pieces {
                first: first.to_vec(),
                middle: middle
                    .iter()
                    .filter(|p| !p.is_empty())
                    .map(|p| p.to_vec())
                    .collect(),
                last: last.to_vec(),
            },
            [] => Strategy::Exact(Vec::new()),
        };
        Wildcard { strategy }
    }

    /// Whether the pattern is `*` (or `**`...), which every present value matches.
    pub fn matches_any(&self) -> bool {
        self.strategy == Strategy::Any
    }

    /// Whether `value` matches the whole pattern, ignoring ASCII case.
    pub fn matches(&self, value: &str) -> bool {
        let value = value.as_bytes();
        match &self.strategy {
            Strategy::Any => true,
            Strategy::Exact(p) => value.eq_ignore_ascii_case(p),
            Strategy::Prefix(p) => starts_with(value, p),
            Strategy::Suffix(s) => ends_with(value, s),
            Strategy::Contains(p) => find(value, p).is_some(),
            Strategy::PrefixSuffix(p, s) => {
                value.len() >= p.len() + s.len() && starts_with(value, p) && ends_with(value, s)
            }
            Strategy::Pieces {
                first,
                middle,
                last,
            } => {
                if value.len() < first.len() + last.len()
                    || !starts_with(value, first)
                    || !ends_with(value, last)
                {
                    return false;
                }
                let mut rest = &value[first.len()..value.len() - last.len()];
                for piece in middle {
                    match find(rest, piece) {
                        Some(at) => rest = &rest[at + piece.len()..],
                        None => return false,
                    }
                }
                true
            }
        }
    }
}

fn starts_with(value: &[u8], prefix: &[u8]) -> bool {
    value.len() >= prefix.len() && value[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn ends_with(value: &[u8], suffix: &[u8]) -> bool {
    value.len() >= suffix.len() && value[value.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// The first offset of `needle` in `haystack`, ignoring ASCII case.
///
/// Candidate positions come from a memchr scan for the needle's first byte in both cases, so
/// the common miss costs one vectorised pass.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&head, tail)) = needle.split_first() else {
        return Some(0);
    };
    if haystack.len() < needle.len() {
        return None;
    }
    let last_start = haystack.len() - needle.len();
    let (lower, upper) = (head.to_ascii_lowercase(), head.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, &haystack[..=last_start])
        .find(|&at| haystack[at + 1..at + needle.len()].eq_ignore_ascii_case(tail))
}

#[cfg(test)]
mod tests {
    use super::Wildcard;

    #[test]
    fn table_of_matches() {
        let cases: &[(&str, &str, bool)] = &[
            ("rundll32.exe", "RunDll32.exe", true),
            ("rundll32.exe", "RUNDLL32", false),
            ("rundll32.exe", "xrundll32.exe", false),
            ("*", "", true),
            ("*", "anything", true),
            ("**", "x", true),
            ("", "", true),
            ("", "a", false),
            ("abc*", "ABCdef", true),
            ("abc*", "xabc", false),
            (
                "*\\AI_STUBS\\AiStubX64.exe",
                "C:\\p\\ai_stubs\\aistubx64.EXE",
                true,
            ),
            (
                "*\\AI_STUBS\\AiStubX64.exe",
                "C:\\p\\NOT_AI_STUBS\\AiStubX64.exe",
                false,
            ),
            (
                "*\\AI_STUBS\\AiStubX64.exe",
                "C:\\p\\AI_STUBS\\AiStubX64.exe.bak",
                false,
            ),
            ("*-q=*", "nslookup -q=txt x", true),
            ("*-q=*", "nslookup -querytype=txt", false),
            ("-type=*", "nslookup -type=txt", false),
            ("a*c", "abc", true),
            ("a*c", "ac", true),
            ("ab*bc", "abc", false),
            ("ab*bc", "abbc", true),
            ("*pcalua* -a*", "C:\\Windows\\pcalua.exe -a evil.exe", true),
            ("*pcalua* -a*", "pcalua.exe evil.exe -x", false),
            ("*pcalua* -a*", "run -a pcalua.exe", false),
            ("* /?", "whoami /?", true),
            ("* /?", "whoami /x", false),
            ("*/tn **", "schtasks /delete /tn x", true),
            ("a*b*c*d", "aXbYcZd", true),
            ("a*b*c*d", "aXcYbZd", false),
            ("a*b*b*a", "aba", false),
            ("a*b*b*a", "abba", true),
            ("*é*", "café", true),
        ];
        for &(pattern, value, expected) in cases {
            assert_eq!(
                Wildcard::new(pattern).matches(value),
                expected,
                "{pattern:?} against {value:?}"
            );
        }
    }

    #[test]
    fn star_alone_is_any() {
        assert!(Wildcard::new("*").matches_any());
        assert!(Wildcard::new("***").matches_any());
        assert!(!Wildcard::new("a*").matches_any());
    }
}
