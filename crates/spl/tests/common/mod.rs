//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// The folder of shared reference material, next to the workspace.
pub fn shared_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"))
}

/// Reads a file under the shared folder, or prints why the test is skipped.
pub fn read_shared(relative: &str) -> Option<String> {
    let path = shared_dir().join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("skipped: cannot read {}: {e}", path.display());
            None
        }
    }
}

/// The `Debug` text of a value with every `Span { .. }` replaced by `_`, so that trees parsed
/// from differently laid-out text compare equal.
pub fn without_spans<T: std::fmt::Debug>(value: &T) -> String {
    let debug = format!("{value:?}");
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let close = after.find(" }").map_or(after.len(), |c| c + 2);
        out.push('_');
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}

/// The seed detection's search, taken from the numbered lines of `seed-detection.md`.
pub fn seed_search() -> Option<String> {
    let page = read_shared("docs/seed-detection.md")?;
    let mut lines = Vec::new();
    for line in page.lines() {
        let numbered = line.trim_start_matches(|c: char| c.is_ascii_digit());
        if lines.is_empty() && !numbered.starts_with("| tstats") {
            continue;
        }
        lines.push(numbered.to_string());
        if numbered.contains("_filter`") {
            return Some(lines.join("\n"));
        }
    }
    eprintln!("skipped: the seed search was not found in seed-detection.md");
    None
}
