//! Matching a row's values against a lookup table's match columns.
//!
//! Per `transforms.conf.spec`: a column matches exactly unless `match_type` says
//! `WILDCARD(column)` (the cell is a glob where `*` is any run of characters, anchored at
//! both ends) or `CIDR(column)` (the cell is an IPv4 or IPv6 network, and the value an
//! address in it; a cell without a prefix length is one address). `case_sensitive_match =
//! false` compares exact and wildcard cells without regard to case. A row matches when
//! every match column matches; matches come in file order, at most `max_matches` of them.
//! An empty cell matches nothing.
//!
//! Rows come from an index: the first exact column's cells in a hash map; else, for a
//! wildcard column, the longest literal piece of every glob in one Aho-Corasick automaton,
//! so a value is scanned once for all patterns and only the globs whose piece occurs in it
//! are tried (ESCU's wildcard tables hold hundreds to tens of thousands of `*name*` rows).

use std::collections::HashMap;
use std::net::IpAddr;

use aho_corasick::AhoCorasick;
use ipnet::IpNet;

use super::{LookupTable, MatchSettings};

/// How a match column compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchType {
    /// Equal text (the default).
    Exact,
    /// The cell is a `*` glob.
    Wildcard,
    /// The cell is a network in CIDR notation.
    Cidr,
}

/// One cell compiled for matching.
#[derive(Debug, Clone)]
enum Pattern {
    Never,
    Exact(String),
    Glob(Vec<String>),
    Cidr(IpNet),
}

/// A table's match columns compiled once for a command.
#[derive(Debug)]
pub struct Matcher<'a> {
    table: &'a LookupTable,
    settings: &'a MatchSettings,
    /// Per match column, per table row.
    patterns: Vec<Vec<Pattern>>,
    /// Where candidate rows come from.
    index: Index,
}

/// The candidate rows for a value, a superset of the matching ones.
#[derive(Debug)]
enum Index {
    /// Every row is a candidate.
    None,
    /// Rows by the normalized cell of the exact match column at `position`.
    Exact {
        position: usize,
        rows: HashMap<String, Vec<usize>>,
    },
    /// For the wildcard column at `position`: the rows whose glob's longest literal piece
    /// (`pieces[n]`, rows `rows[n]`) occurs in the value, and the rows with no piece to look
    /// for (`*` alone, an address range), always candidates.
    Pieces {
        position: usize,
        pieces: AhoCorasick,
        rows: Vec<Vec<usize>>,
        always: Vec<usize>,
    },
}

impl<'a> Matcher<'a> {
    /// Compiles `columns` of `table`; an error names a column the table lacks.
    pub fn new(
        table: &'a LookupTable,
        settings: &'a MatchSettings,
        columns: &[&str],
    ) -> Result<Matcher<'a>, String> {
        let mut patterns = Vec::with_capacity(columns.len());
        for column in columns {
            let Some(at) = table.column(column) else {
                return Err(format!(
                    "the lookup table has no column `{column}` (its columns: {})",
                    table.columns.join(", ")
                ));
            };
            let kind = settings.match_type(column);
            let compiled: Vec<Pattern> = table
                .rows
                .iter()
                .map(|row| compile(row.get(at).cloned().flatten(), kind, settings))
                .collect();
            patterns.push(compiled);
        }
        let kinds: Vec<MatchType> = columns.iter().map(|c| settings.match_type(c)).collect();
        let index = index(&patterns, &kinds)?;
        Ok(Matcher {
            table,
            settings,
            patterns,
            index,
        })
    }

    /// The rows whose match columns match `values` (one per column), in file order, at
    /// most `max_matches`.
    pub fn matches(&self, values: &[&str]) -> Vec<usize> {
        let normalized: Vec<String> = values.iter().map(|v| self.normalize(v)).collect();
        let limit = self.settings.max_matches;
        let accept = |row: usize| {
            self.patterns
                .iter()
                .zip(&normalized)
                .all(|(column, value)| {
                    column
                        .get(row)
                        .is_some_and(|pattern| pattern_matches(pattern, value))
                })
        };

        match &self.index {
            Index::Exact { position, rows } => {
                let candidates = normalized.get(*position).and_then(|v| rows.get(v));
                candidates
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&row| accept(row))
                    .take(limit)
                    .collect()
            }
            Index::Pieces {
                position,
                pieces,
                rows,
                always,
            } => {
                let value = normalized.get(*position).map_or("", String::as_str);
                let mut candidates = always.clone();
                for found in pieces.find_overlapping_iter(value) {
                    candidates.extend(&rows[found.pattern().as_usize()]);
                }
                candidates.sort_unstable();
                candidates.dedup();
                candidates
                    .into_iter()
                    .filter(|&row| accept(row))
                    .take(limit)
                    .collect()
            }
            Index::None => (0..self.table.rows.len())
                .filter(|&row| accept(row))
                .take(limit)
                .collect(),
        }
    }

    fn normalize(&self, value: &str) -> String {
        if self.settings.case_sensitive {
            value.to_string()
        } else {
            value.to_lowercase()
        }
    }
}

/// The index of the first exact column, else of the first wildcard column.
fn index(patterns: &[Vec<Pattern>], kinds: &[MatchType]) -> Result<Index, String> {
    if let Some(position) = kinds.iter().position(|k| *k == MatchType::Exact) {
        let mut rows: HashMap<String, Vec<usize>> = HashMap::new();
        for (row, pattern) in patterns[position].iter().enumerate() {
            if let Pattern::Exact(text) = pattern {
                rows.entry(text.clone()).or_default().push(row);
            }
        }
        return Ok(Index::Exact { position, rows });
    }
    let Some(position) = kinds.iter().position(|k| *k == MatchType::Wildcard) else {
        return Ok(Index::None);
    };
    let mut by_piece: HashMap<&str, usize> = HashMap::new();
    let mut pieces: Vec<&str> = Vec::new();
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut always = Vec::new();
    for (row, pattern) in patterns[position].iter().enumerate() {
        let piece = match pattern {
            Pattern::Never => continue,
            Pattern::Exact(text) => Some(text.as_str()),
            Pattern::Glob(parts) => parts.iter().map(String::as_str).max_by_key(|p| p.len()),
            Pattern::Cidr(_) => None,
        };
        match piece.filter(|p| !p.is_empty()) {
            Some(piece) => {
                let at = *by_piece.entry(piece).or_insert_with(|| {
                    pieces.push(piece);
                    rows.push(Vec::new());
                    pieces.len() - 1
                });
                rows[at].push(row);
            }
            None => always.push(row),
        }
    }
    let pieces = AhoCorasick::new(&pieces).map_err(|e| format!("the lookup's patterns: {e}"))?;
    Ok(Index::Pieces {
        position,
        pieces,
        rows,
        always,
    })
}

fn compile(cell: Option<String>, kind: MatchType, settings: &MatchSettings) -> Pattern {
    let Some(cell) = cell else {
        return Pattern::Never;
    };
    let cell = if settings.case_sensitive || kind == MatchType::Cidr {
        cell
    } else {
        cell.to_lowercase()
    };
    match kind {
        MatchType::Exact => Pattern::Exact(cell),
        MatchType::Wildcard if !cell.contains('*') => Pattern::Exact(cell),
        MatchType::Wildcard => Pattern::Glob(cell.split('*').map(str::to_string).collect()),
        MatchType::Cidr => {
            let trimmed = cell.trim();
            let network = trimmed
                .parse::<IpNet>()
                .ok()
                .or_else(|| trimmed.parse::<IpAddr>().ok().map(IpNet::from));
            network.map_or(Pattern::Never, Pattern::Cidr)
        }
    }
}

fn pattern_matches(pattern: &Pattern, value: &str) -> bool {
    match pattern {
        Pattern::Never => false,
        Pattern::Exact(text) => text == value,
        Pattern::Glob(pieces) => glob_matches(pieces, value),
        Pattern::Cidr(network) => value
            .parse::<IpAddr>()
            .is_ok_and(|address| network.contains(&address)),
    }
}

/// Whether `text` matches the glob whose literal pieces (split at `*`) are `pieces`.
fn glob_matches(pieces: &[String], text: &str) -> bool {
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return false;
    };
    let Some(rest) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    let Some(mut rest) = rest.strip_suffix(last.as_str()) else {
        return false;
    };
    // With one piece there is no `*`; `Pattern::Glob` always has two or more.
    let middle = pieces.get(1..pieces.len().saturating_sub(1)).unwrap_or(&[]);
    for piece in middle {
        match rest.find(piece.as_str()) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(column: &str, cells: &[&str]) -> LookupTable {
        LookupTable {
            columns: vec![column.to_string()],
            rows: cells
                .iter()
                .map(|c| vec![Some(c.to_string()).filter(|c| !c.is_empty())])
                .collect(),
        }
    }

    fn settings(kind: MatchType, case_sensitive: bool) -> MatchSettings {
        MatchSettings {
            case_sensitive,
            match_types: vec![("v".to_string(), kind)],
            ..MatchSettings::default()
        }
    }

    fn rows(t: &LookupTable, s: &MatchSettings, value: &str) -> Vec<usize> {
        Matcher::new(t, s, &["v"]).unwrap().matches(&[value])
    }

    #[test]
    fn globs_are_anchored_and_overlap_safely() {
        let cases = [
            ("*.exe", "cmd.exe", true),
            ("*.exe", "cmd.exe.bak", false),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("*", "", true),
            ("*mimi*katz*", "x_mimikatz", true),
            ("*mimi*katz*", "katzmimi", false),
            ("c:\\*\\*.dll", "c:\\windows\\x.dll", true),
        ];
        for (pattern, text, expected) in cases {
            let pieces: Vec<String> = pattern.split('*').map(str::to_string).collect();
            assert_eq!(glob_matches(&pieces, text), expected, "{pattern} ~ {text}");
        }
    }

    #[test]
    fn exact_is_case_sensitive_unless_told() {
        let t = table("v", &["Cmd.exe", "cmd.exe", ""]);
        assert_eq!(rows(&t, &settings(MatchType::Exact, true), "cmd.exe"), [1]);
        assert_eq!(
            rows(&t, &settings(MatchType::Exact, false), "CMD.EXE"),
            [0, 1]
        );
        assert!(rows(&t, &settings(MatchType::Exact, true), "").is_empty());
    }

    #[test]
    fn wildcard_and_cidr_rows_in_file_order_up_to_max_matches() {
        let t = table("v", &["*.EXE", "psexec*", "*"]);
        let s = settings(MatchType::Wildcard, false);
        assert_eq!(rows(&t, &s, "PsExec.exe"), [0, 1, 2]);
        let s = MatchSettings {
            max_matches: 2,
            ..s
        };
        assert_eq!(rows(&t, &s, "PsExec.exe"), [0, 1]);

        let t = table("v", &["10.0.0.0/8", "10.1.2.3", "fe80::/10", "junk"]);
        let s = settings(MatchType::Cidr, true);
        assert_eq!(rows(&t, &s, "10.1.2.3"), [0, 1]);
        assert_eq!(rows(&t, &s, "fe80::1"), [2]);
        assert!(rows(&t, &s, "not-an-ip").is_empty());
    }

    #[test]
    fn the_piece_index_finds_what_trying_every_pattern_finds() {
        let cells = [
            "*mimikatz*",
            "*katz*",
            "*mimi*katz*",
            "*",
            "psexec.exe",
            "*.exe",
            "c:\\*\\*.dll",
            "",
            "*KATZ*",
            "a*a",
        ];
        let t = table("v", &cells);
        let values = [
            "x_mimikatz.exe",
            "katzmimi",
            "PsExec.exe",
            "c:\\windows\\x.dll",
            "aa",
            "a",
            "",
            "nothing here",
        ];
        for case_sensitive in [true, false] {
            let s = settings(MatchType::Wildcard, case_sensitive);
            let matcher = Matcher::new(&t, &s, &["v"]).unwrap();
            assert!(matches!(matcher.index, Index::Pieces { .. }));
            for value in values {
                let normalized = matcher.normalize(value);
                let every: Vec<usize> = (0..t.rows.len())
                    .filter(|&r| pattern_matches(&matcher.patterns[0][r], &normalized))
                    .collect();
                assert_eq!(
                    matcher.matches(&[value]),
                    every,
                    "{value} ({case_sensitive})"
                );
            }
        }
    }

    #[test]
    fn unknown_column_names_the_columns() {
        let t = table("v", &[]);
        let s = MatchSettings::default();
        let e = Matcher::new(&t, &s, &["w"]).unwrap_err();
        assert!(e.contains("`w`") && e.contains("v"), "{e}");
    }
}
