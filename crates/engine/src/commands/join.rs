//! `join [type=inner|left|outer] [max=N] [overwrite=b] f1 f2 [subsearch]`: joins each row
//! to the subsearch's rows that share its join-field values.
//!
//! The caller runs the subsearch and hands its table here. Semantics [Splunk join docs;
//! spl-semantics §5]: the type is inner unless written (`outer` is `left`); each row joins
//! at most `max` subsearch rows, in their order (1 unless written, 0 for all), each match
//! giving one output row; a row without a match is dropped by an inner join and kept as is
//! by a left one. With no join fields, the fields both sides have are used. Values compare
//! exactly (case matters), a multivalue as its whole list; a row missing a join field
//! matches nothing [infer]. Subsearch fields overwrite the row's unless `overwrite=false`,
//! and a field the subsearch row lacks never erases the row's value [infer]. Columns are the
//! row's, then the subsearch's new ones in its order.
//!
//! TODO: Splunk caps the subsearch at 50,000 rows (limits.conf `[join] subsearch_maxout`);
//! here every row the caller passes takes part.

use std::collections::HashMap;

use spelunk_spl::ast::{self, JoinType};

use super::columns::{cell, index};
use super::CommandResult;
use crate::values::{Cell, ResultTable};

/// Joins `input` with the subsearch's table.
pub fn run(input: ResultTable, args: &ast::Join, subsearch: ResultTable) -> CommandResult {
    Joiner::new(args, subsearch, &input.columns).run(input)
}

/// A join with its subsearch's rows indexed by key, ready for any number of input tables:
/// the pipeline runner joins a large result a slice at a time with one index.
#[derive(Debug)]
pub struct Joiner {
    fields: Vec<String>,
    left: bool,
    max: usize,
    overwrite: bool,
    subsearch: ResultTable,
    by_key: HashMap<Vec<Vec<String>>, Vec<usize>>,
}

impl Joiner {
    /// Indexes `subsearch` on the join fields: those written, else the ones it shares with
    /// `input_columns`.
    pub fn new(args: &ast::Join, subsearch: ResultTable, input_columns: &[String]) -> Joiner {
        let fields: Vec<String> = if args.fields.is_empty() {
            input_columns
                .iter()
                .filter(|c| subsearch.columns.contains(c))
                .cloned()
                .collect()
        } else {
            args.fields.iter().map(|f| f.name.clone()).collect()
        };
        let sub_keys: Vec<Option<usize>> = fields.iter().map(|f| index(&subsearch, f)).collect();
        let mut by_key: HashMap<Vec<Vec<String>>, Vec<usize>> = HashMap::new();
        for (at, row) in subsearch.rows.iter().enumerate() {
            if let Some(key) = key_of(row, &sub_keys) {
                by_key.entry(key).or_default().push(at);
            }
        }
        Joiner {
            fields,
            left: !matches!(args.join_type, None | Some(JoinType::Inner)),
            max: match args.max {
                None => 1,
                Some(0) => usize::MAX,
                Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
            },
            overwrite: args.overwrite.unwrap_or(true),
            subsearch,
            by_key,
        }
    }

    /// Whether every input row is dropped: an inner join with no subsearch row to match.
    pub fn drops_every_row(&self) -> bool {
        !self.left && self.by_key.is_empty()
    }

    /// Joins `input`.
    pub fn run(&self, input: ResultTable) -> CommandResult {
        let subsearch = &self.subsearch;
        let main_keys: Vec<Option<usize>> = self.fields.iter().map(|f| index(&input, f)).collect();

        let mut columns = input.columns.clone();
        let mut carried: Vec<(usize, usize)> = Vec::new();
        for (sub_at, column) in subsearch.columns.iter().enumerate() {
            if self.fields.contains(column) {
                continue;
            }
            let out_at = match columns.iter().position(|c| c == column) {
                Some(at) => at,
                None => {
                    columns.push(column.clone());
                    columns.len() - 1
                }
            };
            carried.push((sub_at, out_at));
        }

        let mut rows = Vec::new();
        for mut row in input.rows {
            row.resize(columns.len(), Cell::Null);
            let matches = key_of(&row, &main_keys).and_then(|key| self.by_key.get(&key));
            let Some(matches) = matches else {
                if self.left {
                    rows.push(row);
                }
                continue;
            };
            for &sub_at in matches.iter().take(self.max) {
                let mut joined = row.clone();
                let sub_row = subsearch.rows.get(sub_at).map_or(&[][..], Vec::as_slice);
                for &(from, to) in &carried {
                    let value = cell(sub_row, Some(from));
                    let slot = &mut joined[to];
                    let replace =
                        !matches!(value, Cell::Null) && (self.overwrite || *slot == Cell::Null);
                    if replace {
                        *slot = value.clone();
                    }
                }
                rows.push(joined);
            }
        }
        Ok(ResultTable { columns, rows })
    }
}

/// The join key of a row, or `None` when a join field is missing.
fn key_of(row: &[Cell], at: &[Option<usize>]) -> Option<Vec<Vec<String>>> {
    at.iter()
        .map(|&a| match cell(row, a) {
            Cell::Null => None,
            c => Some(c.values().into_iter().map(str::to_string).collect()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::parse_command;

    fn run_text(input: ResultTable, text: &str, sub: ResultTable) -> ResultTable {
        let ast::Command::Join(args) = parse_command(text) else {
            panic!("not a join");
        };
        run(input, &args, sub).unwrap()
    }

    fn main() -> ResultTable {
        table(
            &["guid", "dest", "n"],
            &[
                &["g1", "h1", "1"],
                &["G1", "h1", "2"],
                &["g2", "h2", "3"],
                &["-", "h3", "4"],
            ],
        )
    }

    fn sub() -> ResultTable {
        table(
            &["guid", "path", "dest"],
            &[
                &["g1", "p1", "H1"],
                &["g1", "p2", "-"],
                &["g3", "p3", "h9"],
                &["-", "p4", "h3"],
            ],
        )
    }

    #[test]
    fn inner_join_takes_the_first_match_and_overwrites() {
        let out = run_text(main(), "join guid [| makeresults]", sub());
        let expected = table(&["guid", "dest", "n", "path"], &[&["g1", "H1", "1", "p1"]]);
        assert_eq!(out, expected);
    }

    #[test]
    fn max_zero_left_join_and_no_overwrite() {
        let out = run_text(
            main(),
            "join type=left max=0 overwrite=false guid [| makeresults]",
            sub(),
        );
        let expected = table(
            &["guid", "dest", "n", "path"],
            &[
                &["g1", "h1", "1", "p1"],
                &["g1", "h1", "1", "p2"],
                &["G1", "h1", "2", "-"],
                &["g2", "h2", "3", "-"],
                &["-", "h3", "4", "-"],
            ],
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn without_fields_every_shared_field_joins() {
        let out = run_text(main(), "join [| makeresults]", sub());
        assert_eq!(out, table(&["guid", "dest", "n", "path"], &[]));
        let sub = table(&["dest", "x"], &[&["h2", "a|b"]]);
        let out = run_text(main(), "join type=outer [| makeresults]", sub);
        assert_eq!(
            out.rows[2],
            table(&["a"], &[&["g2", "h2", "3", "a|b"]]).rows[0]
        );
        assert_eq!(out.rows.len(), 4);
    }
}
