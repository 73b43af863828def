//! `sort [N] [+|-]f ... [d]`: orders rows by keys, then keeps at most N of them.
//!
//! Semantics [Splunk sort docs; spl-semantics §5]: ascending unless `-`; a key without a
//! function compares two values numerically when both read as numbers and lexically (byte
//! order, so uppercase before lowercase) otherwise, with numbers before text; `num()` puts
//! numbers first and then text, `str()` always compares text, `ip()` compares IP addresses
//! (non-addresses after them, lexically). A row missing the field sorts last ascending and
//! first descending. A multivalue field sorts by its first value. The sort is stable. The
//! limit is 10000 rows unless given, and `sort 0` keeps every row. A trailing `d` reverses
//! the whole order.
//!
//! TODO: Splunk sorts text that starts with digits by that leading number ("10a" after
//! "9b"); here such text compares lexically.

use std::cmp::Ordering;
use std::net::IpAddr;

use spelunk_spl::ast::{self, SortKind};

use super::columns::{cell, index};
use super::{CommandResult, Context};
use crate::values::{parse_number, Cell, ResultTable};

/// The rows `sort` keeps when no limit is written.
pub const DEFAULT_LIMIT: usize = 10_000;

/// Runs `sort` over `table`.
pub fn run(mut input: ResultTable, args: &ast::Sort, _ctx: &Context) -> CommandResult {
    sort_rows(&mut input, &args.keys);
    if args.reverse {
        input.rows.reverse();
    }
    let limit = match args.limit {
        None => DEFAULT_LIMIT,
        Some(0) => usize::MAX,
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
    };
    input.rows.truncate(limit);
    Ok(input)
}

/// Sorts the rows of `table` stably by `keys` (also used by `dedup ... sortby`).
pub(crate) fn sort_rows(table: &mut ResultTable, keys: &[ast::SortKey]) {
    let resolved: Vec<(Option<usize>, &ast::SortKey)> = keys
        .iter()
        .map(|k| (index(table, &k.field.name), k))
        .collect();
    table.rows.sort_by(|a, b| {
        for (at, key) in &resolved {
            let order = compare_cells(cell(a, *at), cell(b, *at), key.kind);
            let order = if key.descending {
                order.reverse()
            } else {
                order
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    });
}

/// Ascending order of two cells; a null is greater than any value.
fn compare_cells(a: &Cell, b: &Cell, kind: SortKind) -> Ordering {
    match (first_value(a), first_value(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => compare_values(x, y, kind),
    }
}

fn first_value(cell: &Cell) -> Option<&str> {
    match cell {
        Cell::Null => None,
        Cell::Single(v) => Some(v),
        Cell::Multi(vs) => vs.first().map(String::as_str),
    }
}

/// Ascending order of two values under `kind`.
pub(crate) fn compare_values(x: &str, y: &str, kind: SortKind) -> Ordering {
    match kind {
        SortKind::Str => x.cmp(y),
        SortKind::Default | SortKind::Auto | SortKind::Num => {
            match (parse_number(x), parse_number(y)) {
                (Some(n), Some(m)) => n.total_cmp(&m),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => x.cmp(y),
            }
        }
        SortKind::Ip => match (x.parse::<IpAddr>(), y.parse::<IpAddr>()) {
            (Ok(n), Ok(m)) => n.cmp(&m),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => x.cmp(y),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_text(input: ResultTable, text: &str) -> ResultTable {
        let ast::Command::Sort(args) = parse_command(text) else {
            panic!("not a sort");
        };
        run(input, &args, &ctx()).unwrap()
    }

    fn column(out: &ResultTable, at: usize) -> Vec<String> {
        out.rows
            .iter()
            .map(|r| r[at].values().join("|"))
            .map(|v| if v.is_empty() { "-".to_string() } else { v })
            .collect()
    }

    #[test]
    fn numbers_numerically_text_by_bytes_nulls_last_ascending() {
        let input = table(
            &["v"],
            &[&["10"], &["9"], &["b"], &["-"], &["B"], &["100"], &["-1.5"]],
        );
        let out = run_text(input.clone(), "sort v");
        assert_eq!(column(&out, 0), ["-1.5", "9", "10", "100", "B", "b", "-"]);
        let out = run_text(input.clone(), "sort -v");
        assert_eq!(column(&out, 0), ["-", "b", "B", "100", "10", "9", "-1.5"]);
        let out = run_text(input, "sort str(v)");
        assert_eq!(column(&out, 0), ["-1.5", "10", "100", "9", "B", "b", "-"]);
    }

    #[test]
    fn keys_in_priority_stable_multivalue_by_first_value() {
        let input = table(
            &["host", "n"],
            &[&["a", "1"], &["b", "2|0"], &["a", "3"], &["b", "1"]],
        );
        let out = run_text(input.clone(), "sort host, -num(n)");
        assert_eq!(column(&out, 1), ["3", "1", "2|0", "1"]);
        let out = run_text(input, "sort n");
        assert_eq!(column(&out, 0), ["a", "b", "b", "a"]);
    }

    #[test]
    fn limits_default_zero_and_reverse() {
        let rows: Vec<Vec<String>> = (0..10_005).map(|n| vec![n.to_string()]).collect();
        let rows: Vec<Vec<&str>> = rows.iter().map(|r| vec![r[0].as_str()]).collect();
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let input = table(&["n"], &rows);
        assert_eq!(run_text(input.clone(), "sort -n").rows.len(), DEFAULT_LIMIT);
        assert_eq!(run_text(input.clone(), "sort 0 n").rows.len(), 10_005);
        let out = run_text(input, "sort 2 n d");
        assert_eq!(column(&out, 0), ["10004", "10003"]);
    }

    #[test]
    fn ip_addresses_compare_as_addresses() {
        let input = table(&["ip"], &[&["10.0.0.10"], &["x"], &["10.0.0.9"], &["::1"]]);
        let out = run_text(input, "sort ip(ip)");
        assert_eq!(column(&out, 0), ["10.0.0.9", "10.0.0.10", "::1", "x"]);
    }
}
