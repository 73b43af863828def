//! The `inputlookup` command: the rows of a lookup table as results.
//!
//! A generating command (spl-semantics.md §5): the table's rows in file order, one column
//! per table column, empty cells absent. `append=true` adds them after the incoming rows
//! instead of replacing them; `start=` skips that many rows first (0-based) and `max=`
//! keeps at most that many; `strict=` is accepted (a missing lookup is always an error
//! here).
//!
//! `where <search-expr>` filters the rows with search-language rules (spl-semantics.md §2):
//! `=`/`!=` compare with `*` wildcards and without regard to case, `NOT f=x` keeps rows
//! without `f` while `f!=x` drops them, `IN` matches any of its values, `<`/`>` compare
//! numbers when both sides read as numbers and text otherwise (inferred). A bare `*` keeps
//! every row; any other bare term (matched against raw events in Splunk) is not supported:
//! a table has no raw events.

use spelunk_spl::ast::{self, CompareOp, SearchExpr};

use super::{CommandError, Context};
use crate::values::{parse_number, Cell, ResultTable};
use crate::wildcard::Wildcard;

/// `max=` when not given (Splunk's default is 1,000,000,000 rows).
const DEFAULT_MAX: usize = 1_000_000_000;

/// Runs `inputlookup`; `table` is the incoming results, kept only with `append=true`.
pub fn run(
    table: ResultTable,
    args: &ast::Inputlookup,
    ctx: &Context,
) -> Result<ResultTable, CommandError> {
    let options = Options::read(args)?;
    let source = super::lookup::table_named("inputlookup", &args.table, ctx)?.table;

    let columns = source.columns.clone();
    let mut rows = Vec::new();
    for row in source.rows.iter().skip(options.start) {
        if rows.len() >= options.max {
            break;
        }
        let cells: Vec<Cell> = row
            .iter()
            .map(|c| c.clone().map_or(Cell::Null, Cell::Single))
            .collect();
        let keep = match &args.where_clause {
            Some(expr) => holds(expr, &columns, &cells)?,
            None => true,
        };
        if keep {
            rows.push(cells);
        }
    }
    let generated = ResultTable { columns, rows };

    Ok(if options.append {
        append(table, generated)
    } else {
        generated
    })
}

struct Options {
    append: bool,
    start: usize,
    max: usize,
}

impl Options {
    fn read(args: &ast::Inputlookup) -> Result<Options, CommandError> {
        let mut options = Options {
            append: false,
            start: 0,
            max: DEFAULT_MAX,
        };
        for option in &args.options {
            let value = &option.value;
            let bad = || {
                let message = format!(
                    "`{}={}` is not a valid value for inputlookup",
                    option.name.name, value.text
                );
                CommandError::new(message, value.span)
            };
            match option.name.name.as_str() {
                "append" => options.append = boolean(&value.text).ok_or_else(bad)?,
                "strict" => {
                    boolean(&value.text).ok_or_else(bad)?;
                }
                "start" => options.start = value.text.parse().map_err(|_| bad())?,
                "max" => options.max = value.text.parse().map_err(|_| bad())?,
                other => {
                    let construct = format!("inputlookup option `{other}`");
                    return Err(CommandError::unsupported(construct, option.name.span));
                }
            }
        }
        Ok(options)
    }
}

/// A boolean option value as SPL writes it.
fn boolean(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" => Some(true),
        "false" | "f" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// `first` then `second`, with the columns of both (first's order, then second's new ones).
fn append(mut first: ResultTable, second: ResultTable) -> ResultTable {
    let mapping: Vec<usize> = second
        .columns
        .iter()
        .map(|c| super::ensure_column(&mut first, c))
        .collect();
    let width = first.columns.len();
    for row in second.rows {
        let mut out = vec![Cell::Null; width];
        for (cell, &at) in row.into_iter().zip(&mapping) {
            if let Some(slot) = out.get_mut(at) {
                *slot = cell;
            }
        }
        first.rows.push(out);
    }
    first
}

/// Whether `expr` holds on a row.
fn holds(expr: &SearchExpr, columns: &[String], row: &[Cell]) -> Result<bool, CommandError> {
    let values = |field: &ast::FieldName| -> Vec<&str> {
        columns
            .iter()
            .position(|c| *c == field.name)
            .and_then(|at| row.get(at))
            .map(Cell::values)
            .unwrap_or_default()
    };
    Ok(match expr {
        SearchExpr::And(l, r, _) => holds(l, columns, row)? && holds(r, columns, row)?,
        SearchExpr::Or(l, r, _) => holds(l, columns, row)? || holds(r, columns, row)?,
        SearchExpr::Not(x, _) => !holds(x, columns, row)?,
        SearchExpr::Group(x, _) => holds(x, columns, row)?,
        SearchExpr::In {
            field,
            values: patterns,
            ..
        } => {
            let patterns: Vec<Wildcard> = patterns.iter().map(|p| Wildcard::new(&p.text)).collect();
            values(field)
                .iter()
                .any(|v| patterns.iter().any(|p| p.matches(v)))
        }
        SearchExpr::Compare {
            field, op, value, ..
        } => compare(&values(field), *op, &value.text),
        SearchExpr::Subsearch(sub) => {
            let construct = "a subsearch in an inputlookup `where`";
            return Err(CommandError::unsupported(construct, sub.span));
        }
        SearchExpr::Term(value) if Wildcard::new(&value.text).matches_any() => true,
        SearchExpr::Term(value) => {
            let construct = format!(
                "the bare term `{}` in an inputlookup `where` (a table has no raw events)",
                value.text
            );
            return Err(CommandError::unsupported(construct, value.span));
        }
    })
}

fn compare(values: &[&str], op: CompareOp, literal: &str) -> bool {
    match op {
        CompareOp::Eq => {
            let pattern = Wildcard::new(literal);
            values.iter().any(|v| pattern.matches(v))
        }
        CompareOp::Ne => {
            let pattern = Wildcard::new(literal);
            !values.is_empty() && !values.iter().any(|v| pattern.matches(v))
        }
        order => values.iter().any(|v| {
            let ordering = match (parse_number(v), parse_number(literal)) {
                (Some(a), Some(b)) => a.partial_cmp(&b),
                _ => Some(v.cmp(&literal)),
            };
            ordering.is_some_and(|o| match order {
                CompareOp::Lt => o.is_lt(),
                CompareOp::Le => o.is_le(),
                CompareOp::Gt => o.is_gt(),
                _ => o.is_ge(),
            })
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::LookupLibrary;

    fn library() -> LookupLibrary {
        let mut library = LookupLibrary::new();
        library.add_csv(
            "tools.csv",
            b"tool,count,note\npsexec.exe,3,remote\nMimikatz.exe,10,\nnet.exe,,builtin\n",
        );
        library.add_yaml("tools.yml", "name: attacker_tools\nfilename: tools.csv\n");
        library
    }

    fn run_text(text: &str, input: ResultTable) -> Result<ResultTable, CommandError> {
        let pipeline = spelunk_spl::parse(text).unwrap();
        let Some(ast::Command::Inputlookup(args)) = pipeline.commands.last() else {
            panic!("not an inputlookup: {text}");
        };
        let library = library();
        let ctx = Context {
            tz: chrono_tz::UTC,
            now: 0.0,
            lookups: Some(&library),
        };
        run(input, args, &ctx)
    }

    fn empty() -> ResultTable {
        ResultTable {
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }

    fn single(text: &str) -> Cell {
        Cell::Single(text.to_string())
    }

    #[test]
    fn rows_in_file_order_with_empty_cells_absent() {
        let out = run_text("| inputlookup tools.csv", empty()).unwrap();
        assert_eq!(out.columns, ["tool", "count", "note"]);
        assert_eq!(out.rows.len(), 3);
        assert_eq!(
            out.rows[1],
            [single("Mimikatz.exe"), single("10"), Cell::Null]
        );
    }

    #[test]
    fn where_filters_with_search_rules() {
        let tools = |text: &str| -> Vec<Cell> {
            let out = run_text(text, empty()).unwrap();
            out.rows.into_iter().map(|r| r[0].clone()).collect()
        };
        assert_eq!(
            tools("| inputlookup attacker_tools where tool=MIMI*"),
            [single("Mimikatz.exe")]
        );
        assert_eq!(
            tools("| inputlookup attacker_tools where count>5"),
            [single("Mimikatz.exe")]
        );
        assert_eq!(
            tools("| inputlookup attacker_tools where note!=remote"),
            [single("net.exe")]
        );
        assert_eq!(
            tools("| inputlookup attacker_tools where NOT note=remote"),
            [single("Mimikatz.exe"), single("net.exe")]
        );
        assert_eq!(
            tools("| inputlookup attacker_tools where tool IN (net*, x)"),
            [single("net.exe")]
        );
        assert_eq!(
            tools("| inputlookup attacker_tools where * tool=n*"),
            [single("net.exe")]
        );
        let e = run_text("| inputlookup attacker_tools where mimikatz", empty()).unwrap_err();
        assert!(e.unsupported, "{e}");
    }

    #[test]
    fn append_start_and_max() {
        let input = ResultTable {
            columns: vec!["user".into()],
            rows: vec![vec![single("bob")]],
        };
        let out = run_text("| inputlookup append=t start=1 max=1 tools.csv", input).unwrap();
        assert_eq!(out.columns, ["user", "tool", "count", "note"]);
        assert_eq!(out.rows.len(), 2);
        assert_eq!(out.rows[1][1], single("Mimikatz.exe"));
        assert_eq!(out.rows[1][0], Cell::Null);

        let e = run_text("| inputlookup max=x tools.csv", empty()).unwrap_err();
        assert!(e.message.contains("max=x"), "{e}");
    }

    #[test]
    fn unknown_lookup_is_a_clear_error() {
        let e = run_text("| inputlookup nothing_here", empty()).unwrap_err();
        assert!(e.message.contains("no lookup named `nothing_here`"), "{e}");
    }
}
