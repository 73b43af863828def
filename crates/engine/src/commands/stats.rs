//! `stats` and `eventstats` [Splunk "stats", "eventstats"; spl-semantics.md §1, §5].
//!
//! `stats` makes one row per distinct combination of the BY fields: the BY fields first, in
//! BY order, then the aggregates in the order written, each named by its `AS` or by its own
//! text (`dc(user)`). A row lacking a BY field joins no group; a multivalue BY field puts
//! the row in the group of each of its values. Rows come out sorted by the BY fields
//! (numbers numerically, other text by bytes): Splunk promises no order, and every example
//! in its docs is sorted (inferred). Without BY there is one row, even for no input (`count`
//! 0). `eventstats` computes the same aggregates but adds them to every input row (a row
//! lacking a BY field gets nulls); a multivalue BY field there groups by all its values
//! together (inferred).
//!
//! Functions: `count` (rows), `count(f)` (values of f), `count(eval(x))` (rows where x is
//! true or a value), `dc`, `values` (distinct, sorted by bytes), `list` (in order, at most
//! 100), `min`/`max` (numerically over the values that are numbers, else by bytes), `sum`,
//! `avg` (over the values that are numbers), `first`/`last` (input order), `earliest`/
//! `latest` (by `_time`). Values are compared as text: "1" and "1.0" are two values for
//! `dc`.
//!
//! A wildcard in an aggregated field (`latest(*) AS *`) stands for every column it matches
//! (see [`expand_wildcards`]).
//!
//! Not supported: wildcards in BY fields, options.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use spelunk_spl::{Stats, StatsAggregate, StatsArg, StatsFunction};

use super::{column_index, CommandError, Context};
use crate::eval::{check, Evaluator, TableRow, Value};
use crate::names::NamePattern;
use crate::timespec;
use crate::values::{format_number, parse_number, Cell, ResultTable};

/// Most values `list()` keeps [Splunk "Multivalue stats and chart functions"].
const LIST_LIMIT: usize = 100;

/// The key of a group: the values of each BY field.
type Key = Vec<Vec<String>>;

/// Runs `stats` or `eventstats` over `table`.
pub fn run(
    mut table: ResultTable,
    args: &Stats,
    ctx: &Context,
) -> Result<ResultTable, CommandError> {
    if let Some(span) = &args.time_span {
        bucket_time(&mut table, span, ctx)?;
    }
    let expanded = expand_wildcards(&table, args)?;
    let args = &expanded;
    let evaluator = Evaluator::new(ctx);
    validate(&table, args, &evaluator)?;
    let index: HashMap<String, usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(at, name)| (name.clone(), at))
        .collect();
    let input = Input {
        table: &table,
        index: &index,
        evaluator: &evaluator,
    };
    if args.event {
        eventstats(&input, args)
    } else {
        stats(&input, args)
    }
}

/// `span=`: every `_time` floored to its bucket (see [`timespec::bucket`]); a value that is
/// not a number is left as it is.
fn bucket_time(
    table: &mut ResultTable,
    span: &spelunk_spl::ast::Value,
    ctx: &Context,
) -> Result<(), CommandError> {
    let seconds = timespec::span_seconds(&span.text).map_err(|e| match e {
        timespec::SpanError::Calendar(text) => CommandError::unsupported(
            format!("`span={text}` (calendar months, quarters and years)"),
            span.span,
        ),
        other => CommandError::new(other.to_string(), span.span),
    })?;
    let Some(at) = table.columns.iter().position(|c| c == "_time") else {
        return Ok(());
    };
    for row in &mut table.rows {
        if let Cell::Single(text) = &row[at] {
            if let Some(time) = crate::values::parse_number(text) {
                let start = timespec::bucket(time, seconds, ctx.tz);
                row[at] = Cell::Single(crate::values::format_number(start));
            }
        }
    }
    Ok(())
}

struct Input<'i> {
    table: &'i ResultTable,
    index: &'i HashMap<String, usize>,
    evaluator: &'i Evaluator<'i>,
}

impl Input<'_> {
    fn cell(&self, row: usize, field: &str) -> &Cell {
        self.index
            .get(field)
            .and_then(|&at| self.table.rows.get(row)?.get(at))
            .unwrap_or(&Cell::Null)
    }
}

/// `args` with each wildcard aggregate (`latest(*) AS *`, `values(process*)`) replaced by
/// one aggregate per matching column, in column order. BY fields are left out, and so are
/// internal fields (`_time`, `_raw`) unless the pattern itself starts with `_` [infer]. The
/// `AS` name's `*`s take what the field's matched; an `AS` name without `*` is refused when
/// several fields match, and one with a different count of `*`s always.
fn expand_wildcards(table: &ResultTable, args: &Stats) -> Result<Stats, CommandError> {
    let mut aggregates = Vec::with_capacity(args.aggregates.len());
    for aggregate in &args.aggregates {
        let Some(StatsArg::Field(field)) = &aggregate.arg else {
            aggregates.push(aggregate.clone());
            continue;
        };
        if !field.name.contains('*') {
            aggregates.push(aggregate.clone());
            continue;
        }
        let pattern = NamePattern::new(&field.name);
        let alias = aggregate
            .alias
            .as_ref()
            .map(|a| (a, NamePattern::new(&a.name)));
        let matched: Vec<(&String, Vec<String>)> = table
            .columns
            .iter()
            .filter(|c| !args.by.iter().any(|b| b.name == **c))
            .filter(|c| !c.starts_with('_') || field.name.starts_with('_'))
            .filter_map(|c| pattern.captures(c).map(|captured| (c, captured)))
            .collect();
        if let Some((alias, named)) = &alias {
            let several = named.stars() == 0 && matched.len() > 1;
            if (named.stars() != 0 && named.stars() != pattern.stars()) || several {
                let what = format!(
                    "`AS {}` for `{}`: the new name needs as many `*` as the field",
                    alias.name,
                    aggregate.written_name()
                );
                return Err(CommandError::unsupported(what, alias.span));
            }
        }
        for (column, captured) in matched {
            let name = |text: String| spelunk_spl::ast::FieldName {
                name: text,
                span: field.span,
            };
            aggregates.push(StatsAggregate {
                arg: Some(StatsArg::Field(name(column.clone()))),
                alias: alias
                    .as_ref()
                    .map(|(a, named)| spelunk_spl::ast::FieldName {
                        name: named.fill(&captured),
                        span: a.span,
                    }),
                ..aggregate.clone()
            });
        }
    }
    Ok(Stats {
        aggregates,
        ..args.clone()
    })
}

fn validate(table: &ResultTable, args: &Stats, evaluator: &Evaluator) -> Result<(), CommandError> {
    for aggregate in &args.aggregates {
        match &aggregate.arg {
            Some(StatsArg::Field(f)) if f.name.contains('*') => {
                let what = format!("a wildcard in `{}`", aggregate.written_name());
                return Err(CommandError::unsupported(what, f.span));
            }
            Some(StatsArg::Eval(expr)) => check(expr, evaluator)?,
            _ => {}
        }
        let timed = matches!(
            aggregate.function,
            StatsFunction::Earliest | StatsFunction::Latest
        );
        if timed && !table.columns.iter().any(|c| c == "_time") {
            let message = format!(
                "`{}` orders values by `_time`, and the results have no `_time` field",
                aggregate.function.name()
            );
            return Err(CommandError::new(message, aggregate.span));
        }
    }
    if let Some(f) = args.by.iter().find(|f| f.name.contains('*')) {
        return Err(CommandError::unsupported(
            "a wildcard in a BY field",
            f.span,
        ));
    }
    Ok(())
}

fn stats(input: &Input, args: &Stats) -> Result<ResultTable, CommandError> {
    let mut groups: IndexMap<Key, Vec<usize>> = IndexMap::new();
    for row in 0..input.table.rows.len() {
        for key in split_keys(input, row, &args.by) {
            groups.entry(key).or_default().push(row);
        }
    }
    if args.by.is_empty() && groups.is_empty() {
        groups.insert(Vec::new(), Vec::new());
    }
    groups.sort_by(|a, _, b, _| natural_keys(a, b));

    let mut columns: Vec<String> = args.by.iter().map(|f| f.name.clone()).collect();
    columns.extend(args.aggregates.iter().map(StatsAggregate::output_name));
    let mut rows = Vec::with_capacity(groups.len());
    for (key, members) in &groups {
        let mut row: Vec<Cell> = key
            .iter()
            .map(|v| Value::multi(v.clone()).to_cell().unwrap_or(Cell::Null))
            .collect();
        for aggregate in &args.aggregates {
            row.push(compute(input, aggregate, members)?);
        }
        rows.push(row);
    }
    Ok(ResultTable { columns, rows })
}

fn eventstats(input: &Input, args: &Stats) -> Result<ResultTable, CommandError> {
    let mut groups: IndexMap<Key, Vec<usize>> = IndexMap::new();
    let mut row_keys = Vec::with_capacity(input.table.rows.len());
    for row in 0..input.table.rows.len() {
        let key: Option<Key> = args
            .by
            .iter()
            .map(|f| {
                let values: Vec<String> = input
                    .cell(row, &f.name)
                    .values()
                    .iter()
                    .map(|v| v.to_string())
                    .collect();
                (!values.is_empty()).then_some(values)
            })
            .collect();
        if let Some(key) = &key {
            groups.entry(key.clone()).or_default().push(row);
        }
        row_keys.push(key);
    }

    let mut results: HashMap<Key, Vec<Cell>> = HashMap::new();
    for (key, members) in &groups {
        let mut cells = Vec::with_capacity(args.aggregates.len());
        for aggregate in &args.aggregates {
            cells.push(compute(input, aggregate, members)?);
        }
        results.insert(key.clone(), cells);
    }

    let mut table = input.table.clone();
    let targets: Vec<usize> = args
        .aggregates
        .iter()
        .map(|a| column_index(&mut table, &a.output_name()))
        .collect();
    for (row, key) in table.rows.iter_mut().zip(&row_keys) {
        let cells = key.as_ref().and_then(|k| results.get(k));
        for (n, &target) in targets.iter().enumerate() {
            let cell = cells.and_then(|c| c.get(n)).cloned().unwrap_or(Cell::Null);
            if let Some(slot) = row.get_mut(target) {
                *slot = cell;
            }
        }
    }
    Ok(table)
}

/// The groups a row joins: none when a BY field is null, one per combination of values.
fn split_keys(input: &Input, row: usize, by: &[spelunk_spl::FieldName]) -> Vec<Key> {
    let mut keys: Vec<Key> = vec![Vec::new()];
    for field in by {
        let values = input.cell(row, &field.name).values();
        if values.is_empty() {
            return Vec::new();
        }
        keys = keys
            .into_iter()
            .flat_map(|key| {
                values.iter().map(move |v| {
                    let mut next = key.clone();
                    next.push(vec![v.to_string()]);
                    next
                })
            })
            .collect();
    }
    keys
}

fn natural_keys(a: &Key, b: &Key) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        for (p, q) in x.iter().zip(y) {
            let order = natural(p, q);
            if order != Ordering::Equal {
                return order;
            }
        }
        let order = x.len().cmp(&y.len());
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// Numbers numerically (and before text), other text by bytes.
fn natural(a: &str, b: &str) -> Ordering {
    match (parse_number(a), parse_number(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// One aggregate over the rows of a group.
fn compute(
    input: &Input,
    aggregate: &StatsAggregate,
    rows: &[usize],
) -> Result<Cell, CommandError> {
    let field = match &aggregate.arg {
        None => return Ok(number(rows.len() as f64)),
        Some(StatsArg::Eval(expr)) => {
            let mut count = 0usize;
            for &row in rows {
                let fields = TableRow {
                    index: input.index,
                    cells: input.table.rows.get(row).map_or(&[][..], Vec::as_slice),
                };
                match input.evaluator.eval(expr, &fields)? {
                    Value::Null | Value::Bool(false) => {}
                    _ => count += 1,
                }
            }
            return Ok(number(count as f64));
        }
        Some(StatsArg::Field(f)) => f.name.as_str(),
    };

    let values = || rows.iter().flat_map(|&row| input.cell(row, field).values());
    Ok(match aggregate.function {
        StatsFunction::Count => number(values().count() as f64),
        StatsFunction::DistinctCount { .. } => {
            number(values().collect::<BTreeSet<_>>().len() as f64)
        }
        StatsFunction::Values => {
            let distinct: BTreeSet<&str> = values().collect();
            multi(distinct.into_iter().map(String::from).collect())
        }
        StatsFunction::List => multi(values().take(LIST_LIMIT).map(String::from).collect()),
        StatsFunction::Min => extreme(values(), Ordering::Less),
        StatsFunction::Max => extreme(values(), Ordering::Greater),
        StatsFunction::Sum | StatsFunction::Avg => {
            let numbers: Vec<f64> = values().filter_map(parse_number).collect();
            if numbers.is_empty() {
                Cell::Null
            } else {
                let sum: f64 = numbers.iter().sum();
                match aggregate.function {
                    StatsFunction::Sum => number(sum),
                    _ => number(sum / numbers.len() as f64),
                }
            }
        }
        StatsFunction::First => first_cell(input, rows.iter().copied(), field),
        StatsFunction::Last => first_cell(input, rows.iter().rev().copied(), field),
        StatsFunction::Earliest | StatsFunction::Latest => {
            let latest = aggregate.function == StatsFunction::Latest;
            let mut best: Option<(f64, usize)> = None;
            for &row in rows {
                if input.cell(row, field) == &Cell::Null {
                    continue;
                }
                let time = input
                    .cell(row, "_time")
                    .values()
                    .first()
                    .and_then(|t| parse_number(t));
                let Some(time) = time else { continue };
                let better = match best {
                    None => true,
                    Some((b, _)) if latest => time >= b,
                    Some((b, _)) => time < b,
                };
                if better {
                    best = Some((time, row));
                }
            }
            best.map_or(Cell::Null, |(_, row)| input.cell(row, field).clone())
        }
    })
}

fn number(n: f64) -> Cell {
    Cell::Single(format_number(n))
}

fn multi(values: Vec<String>) -> Cell {
    Value::multi(values).to_cell().unwrap_or(Cell::Null)
}

/// The first non-null cell of `field` in `rows`' order.
fn first_cell(input: &Input, mut rows: impl Iterator<Item = usize>, field: &str) -> Cell {
    rows.find_map(|row| Some(input.cell(row, field)).filter(|c| **c != Cell::Null))
        .cloned()
        .unwrap_or(Cell::Null)
}

/// `min`/`max`: over the values that are numbers when there are any, else by bytes; the
/// value is returned as written.
fn extreme<'v>(values: impl Iterator<Item = &'v str>, wanted: Ordering) -> Cell {
    let all: Vec<&str> = values.collect();
    let numeric: Vec<(&str, f64)> = all
        .iter()
        .filter_map(|v| Some((*v, parse_number(v)?)))
        .collect();
    let best = if numeric.is_empty() {
        all.into_iter()
            .reduce(|a, b| if b.cmp(a) == wanted { b } else { a })
    } else {
        numeric
            .into_iter()
            .reduce(|a, b| {
                if b.1.partial_cmp(&a.1) == Some(wanted) {
                    b
                } else {
                    a
                }
            })
            .map(|(v, _)| v)
    };
    best.map_or(Cell::Null, |v| Cell::Single(v.to_string()))
}

#[cfg(test)]
mod tests;
