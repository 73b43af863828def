//! `convert [timeformat=...] ctime(f) [AS g] ...`, row by row: for a `convert` that follows a
//! command the columnar engine does not run (the columnar stage does the same for the others).
//!
//! `ctime` renders epoch seconds in the search's time zone with the time format (default
//! `%m/%d/%Y %H:%M:%S`), truncating sub-seconds unless the format asks for them. A value that
//! is not a number is left as it is, a null stays null, and each value of a multivalue field
//! is converted on its own. A wildcard field converts every column it matches; `AS` after a
//! wildcard that matches several columns is refused.

use spelunk_spl::ast::{self, ConvertFunction};

use super::{column_index, CommandError, CommandResult, Context};
use crate::ctime::Format;
use crate::names::NamePattern;
use crate::values::{parse_number, Cell, ResultTable};

/// The format `convert` uses when none is given.
const DEFAULT_FORMAT: &str = "%m/%d/%Y %H:%M:%S";

/// Runs `convert` over `table`.
pub fn run(mut table: ResultTable, args: &ast::Convert, ctx: &Context) -> CommandResult {
    let written = args.timeformat.as_ref();
    let text = written.map_or(DEFAULT_FORMAT, |v| v.text.as_str());
    let format = Format::new(text)
        .map_err(|message| CommandError::new(message, written.map_or(args.span, |v| v.span)))?;

    for conversion in &args.conversions {
        let ConvertFunction::Ctime = conversion.function;
        let pattern = NamePattern::new(&conversion.field.name);
        let matched: Vec<String> = table
            .columns
            .iter()
            .filter(|c| pattern.captures(c).is_some())
            .cloned()
            .collect();
        if conversion.alias.is_some() && matched.len() > 1 {
            let what = "`AS` after a wildcard `ctime(...)`";
            return Err(CommandError::unsupported(what, conversion.span));
        }
        for from in matched {
            let to = conversion.alias.as_ref().map_or(&from, |a| &a.name).clone();
            let source = column_index(&mut table, &from);
            let target = column_index(&mut table, &to);
            for row in &mut table.rows {
                row[target] = ctime(&row[source], &format, ctx);
            }
        }
    }
    Ok(table)
}

fn ctime(cell: &Cell, format: &Format, ctx: &Context) -> Cell {
    let one = |value: &str| match parse_number(value).and_then(|n| format.render(n, ctx.tz)) {
        Some(text) => text,
        None => value.to_string(),
    };
    match cell {
        Cell::Null => Cell::Null,
        Cell::Single(value) => Cell::Single(one(value)),
        Cell::Multi(values) => Cell::Multi(values.iter().map(|v| one(v)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::test_support::{command, context, table};

    fn convert(input: ResultTable, text: &str) -> CommandResult {
        match command(&format!("| {text}")) {
            spelunk_spl::Command::Convert(c) => run(input, &c, &context()),
            other => panic!("not a convert: {other}"),
        }
    }

    #[test]
    fn epochs_render_truncated_and_other_values_stay() {
        let input = table(
            &["firstTime", "lastTime"],
            &[
                &["1700000000.9", "x"],
                &["-", "1700000061"],
                &["1700000000|1700000060", "-"],
            ],
        );
        let out = convert(
            input,
            "convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime(*Time)",
        )
        .unwrap();
        let expected = table(
            &["firstTime", "lastTime"],
            &[
                &["2023-11-14T22:13:20", "x"],
                &["-", "2023-11-14T22:14:21"],
                &["2023-11-14T22:13:20|2023-11-14T22:14:20", "-"],
            ],
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn as_writes_a_new_column_and_the_default_format_applies() {
        let input = table(&["t"], &[&["0"]]);
        let out = convert(input, "convert ctime(t) AS shown").unwrap();
        assert_eq!(
            out,
            table(&["t", "shown"], &[&["0", "01/01/1970 00:00:00"]])
        );
    }
}
