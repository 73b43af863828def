//! Runs the row-wise part of a plan ([`Plan::post`]) over what the columnar part collected.
//!
//! Subsearches run first. Then the leading commands that look at one row at a time (`eval`,
//! `where`, `search`, `lookup`, a `join` on named fields, ...; see [`one_row_at_a_time`])
//! run over the columnar frame a slice at a time: each slice becomes row-wise cells, goes
//! through those commands, and only the rows that come out are kept. A tstats with millions
//! of groups followed by a filter therefore never holds millions of rows as cells. The
//! commands after that (`stats`, `sort`, `dedup`, ...) run once over all the rows that came
//! through.
//!
//! Slicing does not change the answer: every command of the sliced part gives each row the
//! same output whatever other rows are in its table. Only column sets can differ between
//! slices (`lookup` and `rex` add a field no row of the slice got, and a slice may have no
//! such row): [`stack`] takes every column any slice has, in the order the slices put them.
//! An inner `join` whose subsearch returned nothing drops every row, so then no slice is
//! turned into cells at all.

use polars::prelude::DataFrame;
use spelunk_spl::ast::Command;

use crate::catalog::Catalog;
use crate::commands::join::Joiner;
use crate::commands::{self, Context};
use crate::error::Error;
use crate::lower::{self, RunOptions};
use crate::plan::{Plan, PostStep};
use crate::values::{self, Cell, ResultTable};

/// Rows turned into cells at a time: large enough that each command's setup (compiling a
/// regex, indexing a lookup) is paid rarely, small enough that a slice's cells stay in the
/// tens of megabytes.
pub const SLICE_ROWS: usize = 65_536;

/// A row-wise step with what it was given before the rows arrive.
enum Prepared<'p> {
    /// A command that needs nothing else.
    Command(&'p Command),
    /// A `join` whose subsearch ran; indexed when the slices arrive or at once.
    Join(&'p spelunk_spl::ast::Join, ResultTable),
    /// An `append` and its subsearch's rows.
    Append(ResultTable),
}

/// Runs `plan.post` over `frame` (the columnar part's output; none when the search starts
/// with a generating command).
pub fn run(
    frame: Option<DataFrame>,
    plan: &Plan,
    catalog: &Catalog,
    options: &RunOptions<'_>,
) -> Result<ResultTable, Error> {
    let ctx = Context {
        tz: options.tz,
        now: options.now,
        lookups: options.lookups,
    };
    let mut steps = Vec::with_capacity(plan.post.len());
    for step in &plan.post {
        steps.push(prepare(step, catalog, options)?);
    }

    let (mut table, rest) = match frame {
        Some(frame) => {
            let sliced = plan
                .post
                .iter()
                .take_while(|s| one_row_at_a_time(&s.command))
                .count();
            let rest = steps.split_off(sliced);
            (sliced_steps(&frame, steps, &ctx, options)?, rest)
        }
        None => (ResultTable::default(), steps),
    };
    for step in rest {
        table = apply(table, &step, &ctx).map_err(|e| lower::command_error(options.text, &e))?;
    }
    Ok(table)
}

/// Runs the step's subsearch, if it has one.
fn prepare<'p>(
    step: &'p PostStep,
    catalog: &Catalog,
    options: &RunOptions<'_>,
) -> Result<Prepared<'p>, Error> {
    let sub = match &step.subsearch {
        Some(sub) => Some(lower::execute(sub, catalog, options)?),
        None => None,
    };
    Ok(match (&step.command, sub) {
        (Command::Join(join), Some(sub)) => Prepared::Join(join, sub),
        (Command::Append(_), Some(sub)) => Prepared::Append(sub),
        (command, _) => Prepared::Command(command),
    })
}

fn apply(
    table: ResultTable,
    step: &Prepared<'_>,
    ctx: &Context<'_>,
) -> Result<ResultTable, commands::CommandError> {
    match step {
        Prepared::Command(command) => commands::apply(table, command, ctx),
        Prepared::Join(join, sub) => commands::join::run(table, join, sub.clone()),
        Prepared::Append(sub) => commands::append::run(table, sub.clone()),
    }
}

/// Whether the command's output for a row depends on that row alone (and on fields other
/// rows have only through which columns exist, see [`stack`]).
///
/// `fillnull` without a field list fills every field any row has, and `join` without join
/// fields joins on the fields both sides have: both depend on the whole table's columns,
/// so they end the sliced part.
pub fn one_row_at_a_time(command: &Command) -> bool {
    match command {
        Command::Eval(_)
        | Command::Where(_)
        | Command::Search(_)
        | Command::Regex(_)
        | Command::Rex(_)
        | Command::Rename(_)
        | Command::Fields(_)
        | Command::Table(_)
        | Command::Lookup(_)
        | Command::Convert(_)
        | Command::Mvexpand(_) => true,
        Command::Fillnull(fillnull) => !fillnull.fields.is_empty(),
        Command::Join(join) => !join.fields.is_empty(),
        _ => false,
    }
}

/// Runs `steps`, all of them one-row-at-a-time commands, over `frame` a slice at a time.
fn sliced_steps(
    frame: &DataFrame,
    steps: Vec<Prepared<'_>>,
    ctx: &Context<'_>,
    options: &RunOptions<'_>,
) -> Result<ResultTable, Error> {
    enum Sliced<'p> {
        Step(Prepared<'p>),
        Join(Joiner),
    }
    let steps: Vec<Sliced<'_>> = steps
        .into_iter()
        .map(|step| match step {
            Prepared::Join(join, sub) => Sliced::Join(Joiner::new(join, sub, &[])),
            other => Sliced::Step(other),
        })
        .collect();
    let nothing_passes = steps
        .iter()
        .any(|s| matches!(s, Sliced::Join(j) if j.drops_every_row()));
    let height = if nothing_passes { 0 } else { frame.height() };
    let slice_rows = options.slice_rows.max(1);

    let mut parts = Vec::new();
    let mut offset = 0;
    loop {
        let len = slice_rows.min(height - offset);
        let slice = frame.slice(offset as i64, len);
        let mut table = values::result_table(&slice)?;
        for step in &steps {
            let result = match step {
                Sliced::Step(step) => apply(table, step, ctx),
                Sliced::Join(joiner) => joiner.run(table),
            };
            table = result.map_err(|e| lower::command_error(options.text, &e))?;
        }
        parts.push(table);
        offset += len;
        if offset >= height {
            break;
        }
    }
    Ok(stack(parts))
}

/// The slices' tables one after the other. Columns are every slice's, each column a slice
/// lacks placed after the column it follows in the slice that has it; rows of a slice
/// without a column are null there.
fn stack(parts: Vec<ResultTable>) -> ResultTable {
    let mut columns: Vec<String> = Vec::new();
    for part in &parts {
        for (at, column) in part.columns.iter().enumerate() {
            if columns.contains(column) {
                continue;
            }
            let after = at
                .checked_sub(1)
                .and_then(|before| columns.iter().position(|c| *c == part.columns[before]));
            columns.insert(after.map_or(0, |a| a + 1), column.clone());
        }
    }

    let mut rows = Vec::with_capacity(parts.iter().map(|p| p.rows.len()).sum());
    for part in parts {
        if part.columns == columns {
            rows.extend(part.rows);
            continue;
        }
        let to: Vec<usize> = part
            .columns
            .iter()
            .map(|c| columns.iter().position(|x| x == c).unwrap_or_default())
            .collect();
        for row in part.rows {
            let mut placed = vec![Cell::Null; columns.len()];
            for (cell, &at) in row.into_iter().zip(&to) {
                placed[at] = cell;
            }
            rows.push(placed);
        }
    }
    ResultTable { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::test_support::table;

    #[test]
    fn stacking_places_a_column_a_slice_lacks_after_its_neighbour() {
        let first = table(&["a", "c"], &[&["1", "3"]]);
        let second = table(&["a", "b", "c", "d"], &[&["4", "5", "6", "7"]]);
        let third = table(&["a", "c", "d"], &[&["8", "9", "10"]]);
        let stacked = stack(vec![first, second, third]);
        let expected = table(
            &["a", "b", "c", "d"],
            &[
                &["1", "-", "3", "-"],
                &["4", "5", "6", "7"],
                &["8", "-", "9", "10"],
            ],
        );
        assert_eq!(stacked, expected);
    }

    #[test]
    fn stacking_one_table_keeps_it() {
        let only = table(&["x"], &[&["1"], &["-"]]);
        assert_eq!(stack(vec![only.clone()]), only);
    }
}
