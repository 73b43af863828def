//! Resolves a parsed pipeline into a [`Plan`].
//!
//! The planner knows the data sets and the output schema after each command, so wildcards in
//! `rename`, `table` and `fields` become concrete column lists here, once, rather than per
//! row. It rejects what the engine cannot yet run with an error naming the construct and
//! pointing at it; it never drops a construct silently.

use spelunk_cim::model::{self, Dataset};
use spelunk_spl::ast::{self, AggFunction, Command, CompareOp, SearchExpr};

use crate::error::PlanError;
use crate::names::NamePattern;
use crate::plan::{
    AggregateKind, AggregateSpec, CtimeSpec, OrderOp, OutputField, Plan, PostStep, Predicate,
    Projection, Source, Stage,
};
use crate::wildcard::Wildcard;

/// The time format `convert` uses when none is given.
const DEFAULT_CTIME_FORMAT: &str = "%m/%d/%Y %H:%M:%S";

/// Fields every data set inherits from its root search, written without the object prefix.
const INHERITED: &[&str] = &["_time", "host", "source", "sourcetype"];

/// Plans a pipeline.
///
/// A `tstats` and the commands after it that the columnar engine runs (`search`, `rename`,
/// `convert`, `table`, `fields`) are lowered together; from the first other command on,
/// every command runs row by row over the results (`crate::commands`), subsearches planned
/// here too. A search may also start with a row-wise generating command (`makeresults`,
/// `inputlookup`).
pub fn plan(pipeline: &ast::Pipeline) -> Result<Plan, PlanError> {
    let mut commands = pipeline.commands.iter().peekable();
    let source = match commands.peek() {
        Some(Command::Tstats(tstats)) => {
            commands.next();
            Some(plan_tstats(tstats)?)
        }
        Some(Command::Makeresults(_) | Command::Inputlookup(_)) => None,
        Some(other) => {
            return Err(PlanError::unsupported(
                "a search that does not start with `| tstats`, `| makeresults` or \
                 `| inputlookup`",
                other.span(),
            ))
        }
        None => return Err(PlanError::unsupported("an empty search", pipeline.span)),
    };

    let mut columns: Vec<String> = Vec::new();
    if let Some(source) = &source {
        columns.extend(source.by.iter().map(|b| b.output.clone()));
        columns.extend(source.aggregates.iter().map(|a| a.output.clone()));
    }

    let mut stages = Vec::new();
    let mut post = Vec::new();
    for (at, command) in commands.enumerate() {
        if source.is_some() && post.is_empty() && is_columnar(command) {
            if let Some(stage) = plan_stage(command, &mut columns)? {
                stages.push(stage);
            }
            continue;
        }
        let first = source.is_none() && at == 0;
        post.push(plan_post(command, first)?);
    }

    Ok(Plan {
        source,
        stages,
        columns,
        post,
    })
}

/// Whether the columnar engine runs `command` as a stage after the source.
fn is_columnar(command: &Command) -> bool {
    if let Command::Search(search) = command {
        return search
            .expr
            .as_ref()
            .is_none_or(|e| subsearches(e).is_empty());
    }
    matches!(
        command,
        Command::Rename(_) | Command::Convert(_) | Command::Table(_) | Command::Fields(_)
    )
}

/// Plans a command that runs row by row; `first` when it starts the search.
fn plan_post(command: &Command, first: bool) -> Result<PostStep, PlanError> {
    let generating = matches!(
        command,
        Command::Tstats(_) | Command::Makeresults(_) | Command::Inputlookup(_)
    );
    if generating && !first {
        let name = command_name(command);
        return Err(PlanError::unsupported(
            format!("`{name}` after the first command (it is a generating command)"),
            command.span(),
        ));
    }
    let subsearch = match command {
        Command::Join(join) => Some(Box::new(plan(&join.subsearch.pipeline)?)),
        Command::Append(append) => Some(Box::new(plan(&append.subsearch.pipeline)?)),
        Command::Search(search) => {
            let time = search
                .time_range
                .earliest
                .iter()
                .chain(&search.time_range.latest);
            if let Some(term) = time.into_iter().next() {
                return Err(PlanError::unsupported(
                    "a time term (`earliest=`, `latest=`) in a `search` after the first command",
                    term.span,
                ));
            }
            let subs = search.expr.as_ref().map(subsearches).unwrap_or_default();
            match subs.as_slice() {
                [] => None,
                [sub] => Some(Box::new(plan(&sub.pipeline)?)),
                [_, second, ..] => {
                    return Err(PlanError::unsupported(
                        "a second subsearch in one `search`",
                        second.span,
                    ))
                }
            }
        }
        _ => None,
    };
    Ok(PostStep {
        command: command.clone(),
        subsearch,
    })
}

/// The subsearches among the terms of a search expression, in order.
pub(crate) fn subsearches(expr: &SearchExpr) -> Vec<&ast::Subsearch> {
    match expr {
        SearchExpr::And(l, r, _) | SearchExpr::Or(l, r, _) => {
            let mut found = subsearches(l);
            found.extend(subsearches(r));
            found
        }
        SearchExpr::Not(x, _) | SearchExpr::Group(x, _) => subsearches(x),
        SearchExpr::Subsearch(sub) => vec![sub],
        SearchExpr::Compare { .. } | SearchExpr::In { .. } | SearchExpr::Term(_) => Vec::new(),
    }
}

/// The command's name as written first in its canonical text, e.g. `join`.
fn command_name(command: &Command) -> String {
    command
        .to_string()
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn plan_tstats(tstats: &ast::Tstats) -> Result<Source, PlanError> {
    let time_span = match &tstats.span_option {
        Some(span) => Some(span_seconds(span)?),
        None => None,
    };
    let Some(datamodel) = &tstats.datamodel else {
        return Err(PlanError::new(
            "tstats needs `FROM datamodel=<model>.<dataset>`",
            tstats.span,
        ));
    };
    let name = match &datamodel.dataset {
        Some(dataset) => format!("{}.{}", datamodel.model, dataset),
        None => datamodel.model.clone(),
    };
    let Some(dataset) = model::dataset(&name) else {
        let known: Vec<&str> = model::datasets().iter().map(|d| d.name).collect();
        return Err(PlanError::new(
            format!("unknown data set `{name}`; known: {}", known.join(", ")),
            datamodel.span,
        ));
    };

    let resolver = FieldResolver { dataset };
    let read = std::cell::RefCell::new(Vec::new());
    let filter = match &tstats.where_clause {
        Some(expr) => Some(predicate(expr, &|f| {
            resolver.resolve(f, &mut read.borrow_mut())
        })?),
        None => None,
    };
    let mut fields_read = read.into_inner();

    let mut by = Vec::new();
    for field in &tstats.by {
        let resolved = resolver.resolve(field, &mut fields_read)?;
        by.push(OutputField {
            field: resolved,
            output: field.name.clone(),
        });
    }

    let mut aggregates = Vec::new();
    for aggregate in &tstats.aggregates {
        aggregates.push(plan_aggregate(aggregate, &resolver, &mut fields_read)?);
    }

    Ok(Source {
        dataset,
        fields_read,
        filter,
        by,
        aggregates,
        fillnull: tstats.fillnull_value.as_ref().map(|v| v.text.clone()),
        time_range: tstats.time_range.clone(),
        time_span,
    })
}

/// The seconds of a tstats `span=`, or an error at it.
fn span_seconds(span: &ast::Value) -> Result<f64, PlanError> {
    crate::timespec::span_seconds(&span.text).map_err(|e| match e {
        crate::timespec::SpanError::Calendar(text) => PlanError::unsupported(
            format!("tstats `span={text}` (calendar months, quarters and years)"),
            span.span,
        ),
        other => PlanError::new(other.to_string(), span.span),
    })
}

fn plan_aggregate(
    aggregate: &ast::Aggregate,
    resolver: &FieldResolver,
    fields_read: &mut Vec<String>,
) -> Result<AggregateSpec, PlanError> {
    let kind = match aggregate.function {
        AggFunction::Count => AggregateKind::Count,
        AggFunction::DistinctCount { .. } => AggregateKind::DistinctCount,
        AggFunction::Values => AggregateKind::Values,
        AggFunction::Min => AggregateKind::Min,
        AggFunction::Max => AggregateKind::Max,
        AggFunction::Earliest => AggregateKind::Earliest,
        AggFunction::Latest => AggregateKind::Latest,
        AggFunction::Sum => AggregateKind::Sum,
        AggFunction::Avg => AggregateKind::Avg,
    };
    let field = match &aggregate.field {
        Some(field) => Some(resolver.resolve(field, fields_read)?),
        None if kind == AggregateKind::Count => None,
        None => {
            return Err(PlanError::new(
                format!("`{}` needs a field", aggregate.function.name()),
                aggregate.span,
            ))
        }
    };
    if matches!(kind, AggregateKind::Earliest | AggregateKind::Latest) {
        note_read(fields_read, "_time");
    }

    // Splunk names an unaliased aggregate by its text, such as `min(_time)`.
    let output = match (&aggregate.alias, &aggregate.field) {
        (Some(alias), _) => alias.name.clone(),
        (None, Some(field)) => format!("{}({})", aggregate.function.name(), field.name),
        (None, None) => aggregate.function.name().to_string(),
    };
    Ok(AggregateSpec {
        kind,
        field,
        output,
    })
}

/// Maps field names written in a tstats search to data set fields.
struct FieldResolver {
    dataset: &'static Dataset,
}

impl FieldResolver {
    /// `Processes.process_name` → `process_name`; the inherited fields stand unprefixed.
    ///
    /// A name the data set does not define is kept: like Splunk, the engine treats it as a
    /// field that no event has, so it is null everywhere.
    fn resolve(&self, field: &ast::FieldName, read: &mut Vec<String>) -> Result<String, PlanError> {
        if field.name.contains('*') {
            return Err(PlanError::unsupported(
                "a wildcard in a tstats field name",
                field.span,
            ));
        }
        let resolved = match field.name.strip_prefix(self.dataset.object) {
            Some(rest) if rest.starts_with('.') && self.dataset.has_field(&rest[1..]) => {
                rest[1..].to_string()
            }
            _ if INHERITED.contains(&field.name.as_str()) => field.name.clone(),
            _ => format!("{}{}", UNKNOWN_FIELD_PREFIX, field.name),
        };
        note_read(read, &resolved);
        Ok(resolved)
    }
}

/// Marks a tstats field that does not belong to the data set; it never holds a value.
pub(crate) const UNKNOWN_FIELD_PREFIX: &str = "\u{0}unknown:";

fn note_read(read: &mut Vec<String>, field: &str) {
    if !read.iter().any(|f| f == field) {
        read.push(field.to_string());
    }
}

/// Turns a search-language expression into a predicate, resolving each field name.
fn predicate(
    expr: &SearchExpr,
    resolve: &dyn Fn(&ast::FieldName) -> Result<String, PlanError>,
) -> Result<Predicate, PlanError> {
    Ok(match expr {
        SearchExpr::And(a, b, _) => Predicate::And(
            Box::new(predicate(a, resolve)?),
            Box::new(predicate(b, resolve)?),
        ),
        SearchExpr::Or(a, b, _) => Predicate::Or(
            Box::new(predicate(a, resolve)?),
            Box::new(predicate(b, resolve)?),
        ),
        SearchExpr::Not(inner, _) => Predicate::Not(Box::new(predicate(inner, resolve)?)),
        SearchExpr::Group(inner, _) => predicate(inner, resolve)?,
        SearchExpr::Compare {
            field, op, value, ..
        } => compare(field, *op, value, resolve)?,
        SearchExpr::In { field, values, .. } => {
            let name = resolve(field)?;
            let mut alternatives = values.iter().map(|value| Predicate::Match {
                field: name.clone(),
                pattern: Wildcard::new(&value.text),
                text: value.text.clone(),
                negated: false,
            });
            let first = alternatives
                .next()
                .unwrap_or(Predicate::Not(Box::new(Predicate::True)));
            alternatives.fold(first, |acc, next| {
                Predicate::Or(Box::new(acc), Box::new(next))
            })
        }
        SearchExpr::Subsearch(sub) => {
            return Err(PlanError::unsupported(
                "a subsearch in the tstats WHERE clause",
                sub.span,
            ))
        }
        SearchExpr::Term(value) if Wildcard::new(&value.text).matches_any() => Predicate::True,
        SearchExpr::Term(value) => {
            return Err(PlanError::unsupported(
                format!(
                    "the bare search term `{}` (terms are matched against raw events)",
                    value.text
                ),
                value.span,
            ))
        }
    })
}

fn compare(
    field: &ast::FieldName,
    op: CompareOp,
    value: &ast::Value,
    resolve: &dyn Fn(&ast::FieldName) -> Result<String, PlanError>,
) -> Result<Predicate, PlanError> {
    // The parser records top-level `earliest=`/`latest=` in the command's time range (and
    // refuses them anywhere else); the source applies that range, so here they pass.
    if matches!(field.name.as_str(), "earliest" | "latest") && op == CompareOp::Eq {
        return Ok(Predicate::True);
    }
    const TIME_TERMS: &[&str] = &["earliest", "latest", "_index_earliest", "_index_latest"];
    if TIME_TERMS.contains(&field.name.as_str()) {
        return Err(PlanError::unsupported(
            format!("the time term `{}=`", field.name),
            field.span,
        ));
    }
    if field.name == "nodename" {
        return Err(PlanError::unsupported(
            "`nodename=` (child data sets)",
            field.span,
        ));
    }
    let name = resolve(field)?;
    let order = |op| Predicate::Order {
        field: name.clone(),
        op,
        value: value.text.clone(),
    };
    Ok(match op {
        CompareOp::Eq | CompareOp::Ne => Predicate::Match {
            field: name.clone(),
            pattern: Wildcard::new(&value.text),
            text: value.text.clone(),
            negated: op == CompareOp::Ne,
        },
        CompareOp::Lt => order(OrderOp::Lt),
        CompareOp::Le => order(OrderOp::Le),
        CompareOp::Gt => order(OrderOp::Gt),
        CompareOp::Ge => order(OrderOp::Ge),
    })
}

/// Plans one command after the source, updating the column list it leaves behind.
fn plan_stage(command: &Command, columns: &mut Vec<String>) -> Result<Option<Stage>, PlanError> {
    Ok(match command {
        Command::Tstats(t) => {
            return Err(PlanError::unsupported(
                "`tstats` after the first command (it is a generating command)",
                t.span,
            ))
        }
        Command::Search(search) if !search.time_range.is_empty() => {
            let term = search
                .time_range
                .earliest
                .iter()
                .chain(&search.time_range.latest);
            let span = term.into_iter().next().map_or(search.span, |t| t.span);
            return Err(PlanError::unsupported(
                "a time term (`earliest=`, `latest=`) in a `search` after the first command",
                span,
            ));
        }
        Command::Search(search) => match &search.expr {
            None => None,
            Some(expr) => match predicate(expr, &|f| Ok(f.name.clone()))? {
                Predicate::True => None,
                p => Some(Stage::Filter(p)),
            },
        },
        Command::Rename(rename) => Some(plan_rename(rename, columns)?),
        Command::Convert(convert) => Some(plan_convert(convert, columns)?),
        Command::Table(table) => Some(plan_keep(&table.fields, columns, true)?),
        Command::Fields(fields) if fields.remove => Some(plan_remove(&fields.fields, columns)?),
        Command::Fields(fields) => Some(plan_keep(&fields.fields, columns, false)?),
        // `plan` sends every other command to `plan_post`.
        other => {
            return Err(PlanError::new(
                format!("command `{}` is not a columnar stage", command_name(other)),
                other.span(),
            ))
        }
    })
}

fn plan_rename(rename: &ast::Rename, columns: &mut Vec<String>) -> Result<Stage, PlanError> {
    // Each pair sees the columns the previous pair left.
    let mut current: Vec<Projection> = columns
        .iter()
        .map(|c| Projection {
            from: Some(c.clone()),
            to: c.clone(),
        })
        .collect();

    for pair in &rename.pairs {
        let from = NamePattern::new(&pair.from.name);
        let to = NamePattern::new(&pair.to.name);
        if to.stars() != 0 && to.stars() != from.stars() {
            return Err(PlanError::new(
                format!(
                    "`rename {} AS {}`: the new name must have as many `*` as the old one, or none",
                    pair.from.name, pair.to.name
                ),
                pair.from.span.join(pair.to.span),
            ));
        }

        let mut renamed: Vec<(usize, String)> = Vec::new();
        for (at, column) in current.iter().enumerate() {
            if let Some(captures) = from.captures(&column.to) {
                renamed.push((at, to.fill(&captures)));
            }
        }

        if renamed.is_empty() {
            // Renaming an absent field still overwrites the target, which becomes null.
            if from.stars() == 0 {
                for column in current.iter_mut().filter(|c| c.to == pair.to.name) {
                    column.from = None;
                }
            }
            continue;
        }

        let sources: Vec<usize> = renamed.iter().map(|(at, _)| *at).collect();
        let targets: Vec<&String> = renamed.iter().map(|(_, name)| name).collect();
        let mut next = Vec::new();
        for (at, column) in current.iter().enumerate() {
            if let Some((_, name)) = renamed.iter().find(|(from_at, _)| *from_at == at) {
                // Two sources mapped to one name: the later wins, as each overwrites.
                if renamed
                    .iter()
                    .rev()
                    .find(|(_, n)| n == name)
                    .map(|(a, _)| *a)
                    == Some(at)
                {
                    next.push(Projection {
                        from: column.from.clone(),
                        to: name.clone(),
                    });
                }
            } else if !sources.contains(&at) && !targets.contains(&&column.to) {
                next.push(column.clone());
            }
        }
        current = next;
    }

    *columns = current.iter().map(|c| c.to.clone()).collect();
    Ok(Stage::Project(current))
}

fn plan_convert(convert: &ast::Convert, columns: &mut Vec<String>) -> Result<Stage, PlanError> {
    let format = convert
        .timeformat
        .as_ref()
        .map_or(DEFAULT_CTIME_FORMAT.to_string(), |v| v.text.clone());
    if let (Err(message), Some(written)) = (crate::ctime::Format::new(&format), &convert.timeformat)
    {
        return Err(PlanError::new(message, written.span));
    }
    let mut specs = Vec::new();
    for conversion in &convert.conversions {
        let ast::ConvertFunction::Ctime = conversion.function;
        let pattern = NamePattern::new(&conversion.field.name);
        let matched: Vec<String> = columns
            .iter()
            .filter(|c| pattern.captures(c).is_some())
            .cloned()
            .collect();
        if conversion.alias.is_some() && matched.len() > 1 {
            return Err(PlanError::unsupported(
                "`AS` after a wildcard `ctime(...)`",
                conversion.span,
            ));
        }
        for from in matched {
            let to = conversion
                .alias
                .as_ref()
                .map_or(from.clone(), |alias| alias.name.clone());
            if !columns.contains(&to) {
                columns.push(to.clone());
            }
            specs.push(CtimeSpec {
                from,
                to,
                format: format.clone(),
            });
        }
    }
    Ok(Stage::Ctime(specs))
}

/// `table` (which shows listed fields even when absent) and `fields` (which does not).
fn plan_keep(
    patterns: &[ast::FieldName],
    columns: &mut Vec<String>,
    show_absent: bool,
) -> Result<Stage, PlanError> {
    let mut kept: Vec<Projection> = Vec::new();
    for field in patterns {
        let pattern = NamePattern::new(&field.name);
        let mut any = false;
        for column in columns.iter().filter(|c| pattern.captures(c).is_some()) {
            any = true;
            if !kept.iter().any(|k| &k.to == column) {
                kept.push(Projection {
                    from: Some(column.clone()),
                    to: column.clone(),
                });
            }
        }
        if !any && show_absent && pattern.stars() == 0 && !kept.iter().any(|k| k.to == field.name) {
            kept.push(Projection {
                from: None,
                to: field.name.clone(),
            });
        }
    }
    *columns = kept.iter().map(|k| k.to.clone()).collect();
    Ok(Stage::Project(kept))
}

fn plan_remove(patterns: &[ast::FieldName], columns: &mut Vec<String>) -> Result<Stage, PlanError> {
    let patterns: Vec<NamePattern> = patterns.iter().map(|f| NamePattern::new(&f.name)).collect();
    let kept: Vec<Projection> = columns
        .iter()
        .filter(|c| !patterns.iter().any(|p| p.captures(c).is_some()))
        .map(|c| Projection {
            from: Some(c.clone()),
            to: c.clone(),
        })
        .collect();
    *columns = kept.iter().map(|k| k.to.clone()).collect();
    Ok(Stage::Project(kept))
}
