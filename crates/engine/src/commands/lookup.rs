//! The `lookup` command: adds fields from a lookup table to each row.
//!
//! As Splunk's search reference describes it (spl-semantics.md §5): a row matches a table
//! row when every match field equals (or, per the definition's `match_type`, glob- or
//! CIDR-matches) its column. Without an output clause every other column of the table is
//! written; `OUTPUT` overwrites the listed fields; `OUTPUTNEW` writes a field only on rows
//! that do not have it yet. Several matching table rows give multivalue fields in file
//! order, up to `max_matches`; with fewer than `min_matches`, `default_match` fills in
//! (see `crate::lookup` for the settings). `local=` and `update=` decide where Splunk runs
//! the lookup and change nothing here.
//!
//! Decided where the documentation is silent (to verify on a real Splunk):
//! - a row lacking any match field is left unchanged (no lookup, no `default_match`);
//! - a multivalue match field is looked up value by value, and the outputs of all values
//!   are concatenated in value order, duplicates kept (ESCU's base64 macro relies on this
//!   when it looks up each character of a split string);
//! - `OUTPUT` on a row without matches removes the field (it is overwritten with nothing);
//! - an empty `default_match` fills nothing;
//! - a field the command creates that ends up null in every row is not added as a column.
//!
//! Not supported: time-bound lookups, and multivalue cells stored in the CSV (a cell's
//! newlines stay inside one value).

use std::collections::HashMap;

use spelunk_spl::ast;

use super::{cell_of, ensure_column, CommandError, Context};
use crate::lookup::{LookupTable, Matcher, Resolved};
use crate::values::{Cell, ResultTable};

/// More value combinations than this on one row (multivalue match fields multiply) is an
/// error rather than a silent cut.
const MAX_COMBINATIONS: usize = 10_000;

/// One field written by the lookup.
pub struct Output {
    /// The table's column.
    column: usize,
    /// The row field it writes.
    field: String,
}

/// The lookup's table and settings, with the columns the command names checked: all that
/// can fail before a row is read. The pipeline asks before the tstats runs, so a missing
/// lookup is reported at once rather than after the grouping.
pub fn resolve<'l>(
    args: &ast::Lookup,
    ctx: &Context<'l>,
) -> Result<(Resolved<'l>, Vec<Output>), CommandError> {
    let resolved = table_named("lookup", &args.table, ctx)?;
    for input in &args.inputs {
        check_column(resolved.table, &input.column, &args.table.text)?;
    }
    let outputs = outputs(resolved.table, args)?;
    Ok((resolved, outputs))
}

/// The lookup table a command (`lookup`, `inputlookup`) names, from the lookups folder.
pub(crate) fn table_named<'l>(
    command: &str,
    table: &ast::Value,
    ctx: &Context<'l>,
) -> Result<Resolved<'l>, CommandError> {
    let library = ctx.lookups.ok_or_else(|| {
        let message = format!(
            "{command} `{}` needs a lookups folder: give one with --lookups DIR",
            table.text
        );
        CommandError::new(message, table.span)
    })?;
    library
        .resolve(&table.text)
        .map_err(|e| CommandError::new(e.to_string(), table.span))
}

/// Runs `lookup` over `table`.
pub fn run(
    mut table: ResultTable,
    args: &ast::Lookup,
    ctx: &Context,
) -> Result<ResultTable, CommandError> {
    let (resolved, outputs) = resolve(args, ctx)?;
    let lookup_table = resolved.table;
    let columns: Vec<&str> = args.inputs.iter().map(|f| f.column.name.as_str()).collect();
    let matcher = Matcher::new(lookup_table, resolved.settings, &columns)
        .map_err(|e| CommandError::new(e, args.span))?;
    let new_only = args.output.as_ref().is_some_and(|o| o.new_only);

    let inputs: Vec<Option<usize>> = args
        .inputs
        .iter()
        .map(|f| table.columns.iter().position(|c| *c == f.field().name))
        .collect();
    let existed: Vec<bool> = outputs
        .iter()
        .map(|o| table.columns.contains(&o.field))
        .collect();
    let targets: Vec<usize> = outputs
        .iter()
        .map(|o| ensure_column(&mut table, &o.field))
        .collect();

    let min = resolved.settings.min_matches;
    let default = resolved.settings.default_match.as_str();
    // A wildcard table is matched by trying its patterns in turn, and rows repeat their
    // values (a process name over thousands of launches): each value is matched once.
    let mut matches: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
    for row in &mut table.rows {
        let Some(values) = input_values(row, &inputs) else {
            continue;
        };
        let combinations = combinations(&values, args.span)?;

        let mut written: Vec<Vec<String>> = vec![Vec::new(); outputs.len()];
        for combination in &combinations {
            let key: Vec<String> = combination.iter().map(|v| v.to_string()).collect();
            let matched = matches
                .entry(key)
                .or_insert_with(|| matcher.matches(combination));
            for (output, out) in outputs.iter().zip(&mut written) {
                for &r in matched.iter() {
                    let cell = lookup_table
                        .rows
                        .get(r)
                        .and_then(|row| row.get(output.column));
                    if let Some(Some(value)) = cell {
                        out.push(value.clone());
                    }
                }
                if !default.is_empty() {
                    let missing = min.saturating_sub(matched.len());
                    out.extend(std::iter::repeat_n(default.to_string(), missing));
                }
            }
        }

        for (&target, values) in targets.iter().zip(written) {
            let Some(cell) = row.get_mut(target) else {
                continue;
            };
            if new_only && *cell != Cell::Null {
                continue;
            }
            *cell = cell_of(values);
        }
    }

    drop_empty_new_columns(&mut table, &targets, &existed);
    Ok(table)
}

fn check_column(
    table: &LookupTable,
    column: &ast::FieldName,
    lookup: &str,
) -> Result<usize, CommandError> {
    table.column(&column.name).ok_or_else(|| {
        let message = format!(
            "lookup `{lookup}` has no column `{}` (its columns: {})",
            column.name,
            table.columns.join(", ")
        );
        CommandError::new(message, column.span)
    })
}

/// The fields written: the output clause, else every column that is not a match field.
fn outputs(table: &LookupTable, args: &ast::Lookup) -> Result<Vec<Output>, CommandError> {
    match &args.output {
        Some(clause) => clause
            .fields
            .iter()
            .map(|f| {
                let column = check_column(table, &f.column, &args.table.text)?;
                Ok(Output {
                    column,
                    field: f.field().name.clone(),
                })
            })
            .collect(),
        None => Ok(table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !args.inputs.iter().any(|f| f.column.name == **c))
            .map(|(column, c)| Output {
                column,
                field: c.clone(),
            })
            .collect()),
    }
}

/// The values of each match field on `row`, or `None` when one is absent.
fn input_values<'r>(row: &'r [Cell], inputs: &[Option<usize>]) -> Option<Vec<Vec<&'r str>>> {
    inputs
        .iter()
        .map(|at| {
            let values = row.get((*at)?)?.values();
            (!values.is_empty()).then_some(values)
        })
        .collect()
}

/// Every choice of one value per match field, the first field varying slowest.
fn combinations<'r>(
    values: &[Vec<&'r str>],
    span: spelunk_spl::ast::Span,
) -> Result<Vec<Vec<&'r str>>, CommandError> {
    let count = values
        .iter()
        .try_fold(1usize, |n, v| n.checked_mul(v.len()))
        .filter(|&n| n <= MAX_COMBINATIONS);
    if count.is_none() {
        let message = format!(
            "the multivalue match fields of a row combine into more than {MAX_COMBINATIONS} lookups"
        );
        return Err(CommandError::new(message, span));
    }

    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for field in values {
        out = out
            .iter()
            .flat_map(|prefix| {
                field.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(*v);
                    next
                })
            })
            .collect();
    }
    Ok(out)
}

/// Removes the columns this command added that no row filled.
fn drop_empty_new_columns(table: &mut ResultTable, targets: &[usize], existed: &[bool]) {
    let mut doomed: Vec<usize> = targets
        .iter()
        .zip(existed)
        .filter(|(&t, &existed)| {
            !existed
                && table
                    .rows
                    .iter()
                    .all(|r| r.get(t).is_none_or(|c| *c == Cell::Null))
        })
        .map(|(&t, _)| t)
        .collect();
    doomed.sort_unstable();
    doomed.dedup();
    for &at in doomed.iter().rev() {
        table.columns.remove(at);
        for row in &mut table.rows {
            if at < row.len() {
                row.remove(at);
            }
        }
    }
}

#[cfg(test)]
mod tests;
