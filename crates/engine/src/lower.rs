//! Lowers a [`Plan`] to a polars lazy frame and runs it.
//!
//! The scan reads only the fields the search names (polars pushes the projection into the
//! readers), the WHERE filter runs before grouping, and rows come out sorted by the BY
//! fields in byte order.

use chrono_tz::Tz;
use polars::prelude::*;

use spelunk_spl::ast::Span;

use crate::catalog::Catalog;
use crate::commands::CommandError;
use crate::ctime;
use crate::error::Error;
use crate::lookup::LookupLibrary;
use crate::pipeline;
use crate::plan::{AggregateKind, AggregateSpec, OrderOp, Plan, Predicate, Source, Stage};
use crate::planner::UNKNOWN_FIELD_PREFIX;
use crate::timespec::{self, TimeWindow};
use crate::udf;
use crate::values::ResultTable;
use crate::wildcard::Wildcard;

/// What a search runs with besides its data.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    /// The search's time zone.
    pub tz: Tz,
    /// "Now", epoch seconds: relative times resolve against it.
    pub now: f64,
    /// The search's time range (`--earliest`/`--latest`); a tstats' own `earliest=`/`latest=`
    /// replace it.
    pub window: TimeWindow,
    /// Lookup tables, when a folder was given.
    pub lookups: Option<&'a LookupLibrary>,
    /// The expanded search text, which error spans point into.
    pub text: &'a str,
    /// Rows the row-wise commands take at a time (see `crate::pipeline`); the answer does
    /// not depend on it.
    pub slice_rows: usize,
}

/// Runs a plan over the catalog's data.
/// With `no_rows`, only the columns of the answer are wanted (see `crate::pipeline`).
pub fn execute(
    plan: &Plan,
    catalog: &Catalog,
    run: &RunOptions<'_>,
    no_rows: bool,
) -> Result<ResultTable, Error> {
    pipeline::run(plan, catalog, run, no_rows)
}

/// A row-wise command's error, rendered against the search text.
pub fn command_error(text: &str, error: &CommandError) -> Error {
    spanned(text, &error.message, error.span, error.unsupported)
}

/// A query error at `span` of `text`, rendered with a caret.
fn spanned(text: &str, message: &str, span: Span, unsupported: bool) -> Error {
    let mut diagnostic = spelunk_spl::Diagnostic::new(message.to_string(), span);
    if unsupported {
        diagnostic = diagnostic
            .with_kind(spelunk_spl::diagnostic::DiagnosticKind::Unsupported)
            .with_help("this is valid SPL, but spelunk cannot run it yet");
    }
    Error::Query {
        rendered: diagnostic.render(text),
        unsupported,
    }
}

/// The tstats and the stages lowered with it, collected. With `no_rows`, when the caller
/// knows that every row would be dropped later, the scan yields none, so only the columns
/// are worked out.
pub fn columnar(
    plan: &Plan,
    source: &Source,
    catalog: &Catalog,
    run: &RunOptions<'_>,
    no_rows: bool,
) -> Result<DataFrame, Error> {
    let tz = run.tz;
    let window = if source.time_range.is_empty() {
        run.window
    } else {
        timespec::window(&source.time_range, run.now, run.tz)
            .map_err(|e| spanned(run.text, &e.to_string(), e.span, false))?
    };
    let mut frame = source_frame(source, catalog, window, tz, no_rows)?;

    let mut columns: Vec<String> = source.by.iter().map(|b| b.output.clone()).collect();
    columns.extend(source.aggregates.iter().map(|a| a.output.clone()));

    for stage in &plan.stages {
        frame = match stage {
            Stage::Filter(predicate) => frame.filter(predicate_expr(predicate, &columns)),
            Stage::Project(projections) => {
                let exprs: Vec<Expr> = projections
                    .iter()
                    .map(|p| match &p.from {
                        Some(from) => col(from.as_str()).alias(p.to.as_str()),
                        None => lit(NULL).cast(DataType::String).alias(p.to.as_str()),
                    })
                    .collect();
                columns = projections.iter().map(|p| p.to.clone()).collect();
                frame.select(exprs)
            }
            Stage::Ctime(specs) => {
                let mut exprs = Vec::new();
                for spec in specs {
                    let format =
                        ctime::Format::new(&spec.format).map_err(|message| Error::Query {
                            rendered: format!("error: {message}"),
                            unsupported: false,
                        })?;
                    exprs.push(
                        ctime::ctime(col(spec.from.as_str()), format, tz).alias(spec.to.as_str()),
                    );
                    if !columns.contains(&spec.to) {
                        columns.push(spec.to.clone());
                    }
                }
                frame.with_columns(exprs)
            }
        };
    }

    let output: Vec<Expr> = plan.columns.iter().map(|c| col(c.as_str())).collect();
    Ok(frame.select(output).collect()?)
}

/// The tstats: scan, keep the time window, filter, fill or drop null BY fields, aggregate,
/// sort.
fn source_frame(
    source: &Source,
    catalog: &Catalog,
    window: TimeWindow,
    tz: Tz,
    no_rows: bool,
) -> Result<LazyFrame, Error> {
    let mut frame = catalog.frame_within(source.dataset, window)?;
    if no_rows {
        frame = frame.filter(lit(false));
    }
    if let Some(earliest) = window.earliest {
        frame = frame.filter(col("_time").gt_eq(lit(earliest)));
    }
    if let Some(latest) = window.latest {
        frame = frame.filter(col("_time").lt(lit(latest)));
    }
    if let Some(span) = source.time_span {
        frame = frame.with_column(udf::time_bucket(col("_time"), span, tz).alias("_time"));
    }

    let absent: Vec<Expr> = source
        .fields_read
        .iter()
        .filter(|f| f.starts_with(UNKNOWN_FIELD_PREFIX))
        .map(|f| lit(NULL).cast(DataType::String).alias(f.as_str()))
        .collect();
    if !absent.is_empty() {
        frame = frame.with_columns(absent);
    }

    if let Some(filter) = &source.filter {
        frame = frame.filter(predicate_expr(filter, &source.fields_read));
    }

    let by_fields: Vec<&str> = source.by.iter().map(|b| b.field.as_str()).collect();
    match &source.fillnull {
        Some(text) => {
            let filled: Vec<Expr> = by_fields
                .iter()
                .filter(|&&f| f != "_time")
                .map(|&f| col(f).fill_null(lit(text.as_str())).alias(f))
                .collect();
            if !filled.is_empty() {
                frame = frame.with_columns(filled);
            }
        }
        None => {
            for &field in &by_fields {
                frame = frame.filter(col(field).is_not_null());
            }
        }
    }

    let temp = |at: usize| format!("\u{0}aggregate{at}");
    let grouped = !by_fields.is_empty();
    let aggs: Vec<Expr> = source
        .aggregates
        .iter()
        .enumerate()
        .map(|(at, a)| aggregate_expr(a, grouped).alias(temp(at)))
        .collect();
    frame = if grouped {
        let keys: Vec<Expr> = by_fields.iter().map(|&f| col(f)).collect();
        frame.group_by(keys).agg(aggs)
    } else {
        frame.select(aggs)
    };

    let mut finish: Vec<Expr> = source
        .by
        .iter()
        .map(|b| col(b.field.as_str()).alias(b.output.as_str()))
        .collect();
    for (at, aggregate) in source.aggregates.iter().enumerate() {
        finish.push(finish_aggregate(aggregate, col(temp(at))).alias(aggregate.output.as_str()));
    }
    frame = frame.select(finish);

    if grouped {
        let outputs: Vec<PlSmallStr> = source.by.iter().map(|b| b.output.as_str().into()).collect();
        frame = frame.sort(
            outputs,
            SortMultipleOptions::default().with_maintain_order(true),
        );
    }
    Ok(frame)
}

/// Whether the aggregate reads numbers natively (`_time` is the one numeric field).
fn numeric(aggregate: &AggregateSpec) -> bool {
    aggregate.field.as_deref() == Some("_time")
}

fn aggregate_expr(aggregate: &AggregateSpec, grouped: bool) -> Expr {
    let field = || col(aggregate.field.as_deref().unwrap_or_default());
    // Outside a group_by, a per-row expression must be gathered into one list.
    let gathered = |e: Expr| if grouped { e } else { e.implode(true) };
    match aggregate.kind {
        AggregateKind::Count => match &aggregate.field {
            None => len(),
            Some(_) => field().count(),
        },
        AggregateKind::DistinctCount => field().drop_nulls().n_unique(),
        AggregateKind::Values => gathered(field().drop_nulls().unique()),
        AggregateKind::Min if numeric(aggregate) => field().min(),
        AggregateKind::Max if numeric(aggregate) => field().max(),
        AggregateKind::Earliest | AggregateKind::Latest => {
            let sorted = field()
                .sort_by(
                    [col("_time")],
                    SortMultipleOptions::default().with_maintain_order(true),
                )
                .drop_nulls();
            if aggregate.kind == AggregateKind::Earliest {
                sorted.first()
            } else {
                sorted.last()
            }
        }
        AggregateKind::Min | AggregateKind::Max | AggregateKind::Sum | AggregateKind::Avg => {
            gathered(field().drop_nulls())
        }
    }
}

/// Finishes aggregates that polars gathers as lists: Splunk's own rules for them.
fn finish_aggregate(aggregate: &AggregateSpec, gathered: Expr) -> Expr {
    match aggregate.kind {
        AggregateKind::Values => udf::list_values(gathered),
        AggregateKind::Min | AggregateKind::Max if numeric(aggregate) => gathered,
        AggregateKind::Min => udf::list_reduce(gathered, udf::Reduce::Min),
        AggregateKind::Max => udf::list_reduce(gathered, udf::Reduce::Max),
        AggregateKind::Sum => udf::list_reduce(gathered, udf::Reduce::Sum),
        AggregateKind::Avg => udf::list_reduce(gathered, udf::Reduce::Avg),
        _ => gathered,
    }
}

/// A predicate as a boolean expression over `columns`; a field the rows do not have is null.
fn predicate_expr(predicate: &Predicate, columns: &[String]) -> Expr {
    let has = |field: &str| columns.iter().any(|c| c == field);
    match predicate {
        Predicate::And(a, b) => predicate_expr(a, columns).and(predicate_expr(b, columns)),
        Predicate::Or(a, b) => match alternatives_on_one_field(predicate) {
            Some((field, patterns)) if has(field) => {
                udf::wildcard_match(col(field), patterns, false)
            }
            _ => predicate_expr(a, columns).or(predicate_expr(b, columns)),
        },
        Predicate::Not(inner) => predicate_expr(inner, columns).not(),
        Predicate::True => lit(true),
        Predicate::Match { field, .. } | Predicate::Order { field, .. } if !has(field) => {
            lit(false)
        }
        Predicate::Match {
            field,
            pattern,
            negated,
            ..
        } => udf::wildcard_match(col(field.as_str()), vec![pattern.clone()], *negated),
        Predicate::Order { field, op, value } => {
            let accept: fn(std::cmp::Ordering) -> bool = match op {
                OrderOp::Lt => |o| o.is_lt(),
                OrderOp::Le => |o| o.is_le(),
                OrderOp::Gt => |o| o.is_gt(),
                OrderOp::Ge => |o| o.is_ge(),
            };
            udf::order_compare(col(field.as_str()), value.clone(), accept)
        }
    }
}

/// When `predicate` is an OR of `=` patterns all on one field (an `IN` list, say), that
/// field and the patterns in order.
fn alternatives_on_one_field(predicate: &Predicate) -> Option<(&str, Vec<Wildcard>)> {
    fn collect<'p>(p: &'p Predicate, field: &mut Option<&'p str>, out: &mut Vec<Wildcard>) -> bool {
        match p {
            Predicate::Or(a, b) => collect(a, field, out) && collect(b, field, out),
            Predicate::Match {
                field: name,
                pattern,
                negated: false,
                ..
            } if field.is_none_or(|f| f == name) => {
                *field = Some(name);
                out.push(pattern.clone());
                true
            }
            _ => false,
        }
    }
    let mut field = None;
    let mut patterns = Vec::new();
    (collect(predicate, &mut field, &mut patterns)).then_some(())?;
    Some((field?, patterns))
}
