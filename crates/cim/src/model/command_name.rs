//! The CIM's derivation of a process name from a command line.
//!
//! `Endpoint.Processes` fills an empty `process_name` from `process` (and `parent_process_name`
//! from `parent_process`) with two PCRE patterns, tried in order, each applied with
//! `replace(command, pattern, "\1")`:
//!
//! 1. quoted path: `^\s*(?:"..*\\([^"]+)").*`
//! 2. unquoted: `^(?:..*\\)?([^\s"]+)(?=\s|$).*`
//!
//! Both prefixes `..*\\` are greedy, so the *last* backslash that still lets the rest match
//! wins, even one inside the arguments: `cmd.exe /c C:\t\x.bat` gives `x.bat`.
//!
//! This module reproduces them with the `regex` crate, whose leftmost-first matching picks the
//! same match and captures a backtracking engine does. Two PCRE details are spelled out:
//! `\s` is ASCII whitespace only, and `.` does not match a line feed. The look-ahead `(?=\s|$)`,
//! which `regex` lacks, becomes a consumed `(?:\s|\z)`; that changes neither whether the
//! pattern matches nor its capture, since only `.*` followed it.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

/// PCRE's `\s` as a character-class body.
const WS: &str = r"\t\n\x0B\x0C\r ";

fn quoted_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let pattern = format!(r#"^[{WS}]*"[^\n][^\n]*\\([^"]+)""#);
        Regex::new(&pattern).expect("the quoted-path pattern is valid")
    })
}

fn unquoted_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let pattern = format!(r#"^(?:[^\n][^\n]*\\)?([^{WS}"]+)(?:[{WS}]|\z)"#);
        Regex::new(&pattern).expect("the unquoted pattern is valid")
    })
}

/// The process name the CIM derives from `command`, or `None` when neither pattern matches
/// (then the data model writes `"unknown"`). An empty `command` gives `None`.
///
/// The value is what Splunk's `replace(command, pattern, "\1")` returns: the captured name,
/// followed by whatever comes after the first line feed past the match (the trailing `.*`
/// stops there and `replace` keeps the unmatched remainder). Only then is the result owned;
/// a one-line command always borrows.
///
/// ```
/// use spelunk_cim::name_from_command;
/// let name = name_from_command(r#""C:\Windows\System32\cmd.exe" /c whoami"#);
/// assert_eq!(name.as_deref(), Some("cmd.exe"));
/// ```
pub fn name_from_command(command: &str) -> Option<Cow<'_, str>> {
    if command.is_empty() {
        return None;
    }
    let (name, rest_from) = capture(quoted_pattern(), command, true)
        .or_else(|| capture(unquoted_pattern(), command, false))?;

    match command[rest_from..].find('\n') {
        None => Some(Cow::Borrowed(name)),
        Some(i) => Some(Cow::Owned(format!("{name}{}", &command[rest_from + i..]))),
    }
}

/// The first group of `re` in `command` and where the CIM pattern's trailing `.*` starts: past
/// the closing quote for the quoted pattern, right after the name for the unquoted one (its
/// look-ahead consumed nothing).
fn capture<'a>(re: &Regex, command: &'a str, quoted: bool) -> Option<(&'a str, usize)> {
    let caps = re.captures(command)?;
    let whole = caps.get(0)?;
    let name = caps.get(1)?;
    let rest_from = if quoted { whole.end() } else { name.end() };
    Some((name.as_str(), rest_from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::is_pcre_space;

    #[test]
    fn table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                r#""C:\Windows\System32\cmd.exe" /c whoami"#,
                Some("cmd.exe"),
            ),
            (
                r"C:\Windows\system32\rundll32.exe C:\x\PDFDESK.DLL,SetPrint 2754",
                Some("PDFDESK.DLL,SetPrint"),
            ),
            (r"cmd.exe /c C:\t\x.bat", Some("x.bat")),
            (r"C:\Windows\system32\cmd.exe /c whoami", Some("cmd.exe")),
            ("cmd.exe", Some("cmd.exe")),
            ("cmd.exe   ", Some("cmd.exe")),
            ("cmd.exe /c dir", Some("cmd.exe")),
            (" cmd.exe", None),
            ("   ", None),
            ("\"\"", None),
            ("\"", None),
            ("", None),
            (r#""C:\Program Files\app.exe""#, Some("app.exe")),
            (r#"  "C:\Program Files\app.exe" -x"#, Some("app.exe")),
            (r#""C:\a\b.exe" "C:\x\y.dll""#, Some("y.dll")),
            (r"C:\Program Files\app.exe", Some("app.exe")),
            (r#""unterminated C:\x\y.exe"#, Some("y.exe")),
            (r#"C:\x\y.exe""#, None),
            (r"\\server\share\tool.exe -x", Some("tool.exe")),
            (r"\x.exe", Some(r"\x.exe")),
            (r"\", Some(r"\")),
            (r"C:\dir\", Some(r"dir\")),
            (r#""C:\x\""#, Some(r"x\")),
            ("C:\\x\\a.exe\t/c", Some("a.exe")),
            (r"C:\x\tést.exe", Some("tést.exe")),
            (
                "C:\\x\\evil\u{202E}gpj.exe arg",
                Some("evil\u{202E}gpj.exe"),
            ),
            ("C:\\a\\b.exe\u{A0}x", Some("b.exe\u{A0}x")),
            ("a", Some("a")),
        ];
        for (command, want) in cases {
            let got = name_from_command(command);
            assert_eq!(got.as_deref(), *want, "command {command:?}");
        }
    }

    #[test]
    fn text_after_a_line_feed_survives_like_splunk_replace() {
        let cases: &[(&str, &str)] = &[
            ("C:\\a\\b.exe\nnext line", "b.exe\nnext line"),
            ("\"C:\\a\\b.exe\" -x\nmore", "b.exe\nmore"),
            ("\"C:\\a\\b\nc.exe\"", "b\nc.exe"),
            ("cmd.exe /c x\ny\\z.exe", "cmd.exe\ny\\z.exe"),
        ];
        for (command, want) in cases {
            let got = name_from_command(command);
            assert_eq!(got.as_deref(), Some(*want), "command {command:?}");
        }
        assert!(matches!(
            name_from_command("cmd.exe"),
            Some(Cow::Borrowed(_))
        ));
    }

    /// The two patterns worked out by hand with backtracking semantics, used as an oracle.
    fn by_hand(s: &str) -> Option<String> {
        let c: Vec<char> = s.chars().collect();
        let (name, rest_from) = quoted_by_hand(&c).or_else(|| unquoted_by_hand(&c))?;
        let mut out: String = c[name.0..name.1].iter().collect();
        if let Some(nl) = c[rest_from..].iter().position(|&x| x == '\n') {
            out.extend(&c[rest_from + nl..]);
        }
        Some(out)
    }

    fn quoted_by_hand(c: &[char]) -> Option<((usize, usize), usize)> {
        let q = c.iter().position(|&x| !is_pcre_space(x))?;
        if c[q] != '"' {
            return None;
        }
        for b in (q + 2..c.len()).rev() {
            if c[b] != '\\' || c[q + 1..=b].contains(&'\n') {
                continue;
            }
            let end = (b + 1..c.len()).find(|&e| c[e] == '"');
            if let Some(e) = end.filter(|&e| e > b + 1) {
                return Some(((b + 1, e), e + 1));
            }
        }
        None
    }

    fn unquoted_by_hand(c: &[char]) -> Option<((usize, usize), usize)> {
        let prefixes = (1..c.len())
            .rev()
            .filter(|&b| c[b] == '\\' && !c[..=b].contains(&'\n'))
            .map(|b| b + 1)
            .chain(Some(0));
        for p in prefixes {
            let mut e = p;
            while e < c.len() && !is_pcre_space(c[e]) && c[e] != '"' {
                e += 1;
            }
            if e > p && (e == c.len() || is_pcre_space(c[e])) {
                return Some(((p, e), e));
            }
        }
        None
    }

    #[test]
    fn agrees_with_hand_backtracking_on_every_short_string() {
        let alphabet = ['a', '\\', '"', ' ', '\n', 'é'];
        let mut strings = vec![String::new()];
        for _ in 0..6 {
            let mut next = Vec::with_capacity(strings.len() * alphabet.len());
            for s in &strings {
                for &ch in &alphabet {
                    let mut t = s.clone();
                    t.push(ch);
                    let got = name_from_command(&t).map(Cow::into_owned);
                    assert_eq!(got, by_hand(&t), "command {t:?}");
                    next.push(t);
                }
            }
            strings = next;
        }
    }
}
