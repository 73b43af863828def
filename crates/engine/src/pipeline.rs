//! Runs the row-wise part of a plan ([`Plan::post`]) over what the columnar part collected.
//!
//! The leading commands that look at one row at a time (`eval`, `where`, `search`,
//! `lookup`, `join`, ...; see [`sliced_len`]) run over the columnar frame a slice at a time:
//! each slice becomes row-wise cells, goes through those commands, and only the rows that
//! come out are kept. A tstats with millions of groups followed by a filter therefore never
//! holds millions of rows as cells. The commands after that (`stats`, `sort`, `dedup`, ...)
//! run once over all the rows that came through.
//!
//! Slicing does not change the answer: every command of the sliced part gives each row the
//! same output whatever other rows are in its table. Only column sets can differ between
//! slices (`lookup` and `rex` add a field no row of the slice got, and a slice may have no
//! such row): [`stack`] takes every column any slice has, in the order the slices put them.
//!
//! Work no row needs is skipped: an inner `join` in the sliced part whose subsearch returns
//! nothing drops every row, so then the tstats groups none and only its columns are worked
//! out; a `join` that no row reaches runs its subsearch the same way, for the columns.

use polars::prelude::DataFrame;
use spelunk_spl::ast::{Command, JoinType};

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

/// Runs the plan: its columnar part, then `plan.post` over what that collected. With
/// `no_rows`, nothing of the plan's output will be looked at but its columns (no row of
/// the search that holds this subsearch reaches it), so the tstats groups no rows.
///
/// Every `lookup` of the plan is resolved first: a missing table fails before the tstats
/// groups anything. A subsearch runs when its command is reached: an inner `join` in the sliced part first
/// of all (unless the tstats' data set is empty), since when it returns nothing no row can
/// pass and the tstats need not group any; any other `join` with `no_rows` when no row
/// reaches it.
pub fn run(
    plan: &Plan,
    catalog: &Catalog,
    options: &RunOptions<'_>,
    no_rows: bool,
) -> Result<ResultTable, Error> {
    let ctx = Context {
        tz: options.tz,
        now: options.now,
        lookups: options.lookups,
    };
    for step in &plan.post {
        if let Command::Lookup(lookup) = &step.command {
            commands::lookup::resolve(lookup, &ctx)
                .map_err(|e| lower::command_error(options.text, &e))?;
        }
    }
    let (mut table, rest) = match &plan.source {
        Some(source) => {
            let (sliced, rest) = plan.post.split_at(sliced_len(&plan.post));
            let mut subs: Vec<Option<ResultTable>> = vec![None; sliced.len()];
            let mut nothing_passes = no_rows || catalog.is_empty(source.dataset);
            for (at, step) in sliced.iter().enumerate() {
                let (Command::Join(join), Some(sub)) = (&step.command, &step.subsearch) else {
                    continue;
                };
                if !nothing_passes && matches!(join.join_type, None | Some(JoinType::Inner)) {
                    let rows = lower::execute(sub, catalog, options, false)?;
                    nothing_passes = rows.rows.is_empty();
                    subs[at] = Some(rows);
                }
            }
            let frame = lower::columnar(plan, source, catalog, options, nothing_passes)?;
            let unreached = frame.height() == 0;
            let mut steps = Vec::with_capacity(sliced.len());
            for (step, sub) in sliced.iter().zip(subs) {
                steps.push(match (&step.command, &step.subsearch) {
                    (Command::Join(join), Some(plan)) => {
                        let sub = match sub {
                            Some(rows) => rows,
                            None => lower::execute(plan, catalog, options, unreached)?,
                        };
                        Sliced::Join(join, sub)
                    }
                    (Command::Search(search), Some(plan)) => {
                        let sub = lower::execute(plan, catalog, options, unreached)?;
                        let search = commands::format::substitute(search, &sub)
                            .map_err(|e| lower::command_error(options.text, &e))?;
                        Sliced::Search(search)
                    }
                    (command, _) => Sliced::Command(command),
                });
            }
            (run_sliced(&frame, steps, &ctx, options)?, rest)
        }
        None => (ResultTable::default(), &plan.post[..]),
    };
    for step in rest {
        let result = match (&step.command, &step.subsearch) {
            (Command::Join(join), Some(sub)) => {
                let unreached = table.rows.is_empty();
                let sub = lower::execute(sub, catalog, options, unreached)?;
                commands::join::run(table, join, sub)
            }
            (Command::Search(search), Some(sub)) => {
                let unreached = table.rows.is_empty();
                let sub = lower::execute(sub, catalog, options, unreached)?;
                commands::format::substitute(search, &sub)
                    .and_then(|search| commands::search::run(table, &search, &ctx))
            }
            (Command::Append(_), Some(sub)) => {
                let sub = lower::execute(sub, catalog, options, no_rows)?;
                commands::append::run(table, sub)
            }
            (command, _) => commands::apply(table, command, &ctx),
        };
        table = result.map_err(|e| lower::command_error(options.text, &e))?;
    }
    Ok(table)
}

/// How many leading commands of `post` run a slice at a time: those whose output for a row
/// depends on that row alone, and on the other rows only through which columns exist (see
/// [`stack`]).
///
/// `fillnull` without a field list fills every column, and `join` without join fields joins
/// on the columns both sides have: they depend on the whole table's columns, which are the
/// same in every slice only until a `lookup` or `rex` (a field no row of a slice got is not
/// added to it).
pub fn sliced_len(post: &[PostStep]) -> usize {
    let mut same_columns = true;
    post.iter()
        .take_while(|step| match &step.command {
            Command::Eval(_)
            | Command::Where(_)
            | Command::Search(_)
            | Command::Regex(_)
            | Command::Rename(_)
            | Command::Fields(_)
            | Command::Table(_)
            | Command::Convert(_)
            | Command::Mvexpand(_) => true,
            Command::Lookup(_) | Command::Rex(_) => {
                same_columns = false;
                true
            }
            Command::Fillnull(fillnull) => same_columns || !fillnull.fields.is_empty(),
            Command::Join(join) => same_columns || !join.fields.is_empty(),
            _ => false,
        })
        .count()
}

/// A step of the sliced part, with its subsearch's rows when it is a `join`, and a
/// `search` with its subsearch's rows in its place.
enum Sliced<'p> {
    Command(&'p Command),
    Join(&'p spelunk_spl::ast::Join, ResultTable),
    Search(spelunk_spl::ast::Search),
}

/// A step ready for the slices: a join indexes its subsearch once for all of them.
enum Ready<'p> {
    Command(&'p Command),
    Join(Joiner),
    Search(spelunk_spl::ast::Search),
}

/// Runs `steps` over `frame` a slice at a time.
fn run_sliced(
    frame: &DataFrame,
    steps: Vec<Sliced<'_>>,
    ctx: &Context<'_>,
    options: &RunOptions<'_>,
) -> Result<ResultTable, Error> {
    let fail = |e: commands::CommandError| lower::command_error(options.text, &e);
    // The steps over no rows give the columns each join sees (the same in every slice for a
    // join without join fields, see `sliced_len`), and the answer when there are no rows.
    let mut empty = values::result_table(&frame.slice(0, 0))?;
    let mut ready = Vec::with_capacity(steps.len());
    for step in steps {
        match step {
            Sliced::Command(command) => {
                empty = commands::apply(empty, command, ctx).map_err(fail)?;
                ready.push(Ready::Command(command));
            }
            Sliced::Join(join, sub) => {
                let joiner = Joiner::new(join, sub, &empty.columns);
                empty = joiner.run(empty).map_err(fail)?;
                ready.push(Ready::Join(joiner));
            }
            Sliced::Search(search) => {
                empty = commands::search::run(empty, &search, ctx).map_err(fail)?;
                ready.push(Ready::Search(search));
            }
        }
    }
    let height = frame.height();
    if height == 0 {
        return Ok(empty);
    }

    let slice_rows = options.slice_rows.max(1);
    let mut parts = Vec::new();
    for offset in (0..height).step_by(slice_rows) {
        let slice = frame.slice(offset as i64, slice_rows.min(height - offset));
        let mut table = values::result_table(&slice)?;
        for step in &ready {
            table = match step {
                Ready::Command(command) => commands::apply(table, command, ctx),
                Ready::Join(joiner) => joiner.run(table),
                Ready::Search(search) => commands::search::run(table, search, ctx),
            }
            .map_err(fail)?;
        }
        parts.push(table);
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
