//! The engine-neutral plan: what a search reads, filters, groups and reshapes.
//!
//! The planner resolves the syntax tree into this form: macros are gone, data sets are
//! known, field lists are concrete column names and wildcards are compiled. Nothing here
//! names polars; `lower` turns a plan into a polars lazy frame, and another lowering (SQL,
//! say) could take the same plan elsewhere.

use std::fmt;

use crate::wildcard::Wildcard;

/// A planned search: a generating source and the stages lowered with it, then the commands
/// that run row by row over its results.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Where the rows come from: a `tstats`, lowered with `stages`. `None` when the search
    /// starts with a row-wise generating command (`makeresults`, `inputlookup`), the first
    /// of `post`.
    pub source: Option<Source>,
    /// What happens to the source's rows in the columnar engine, in order.
    pub stages: Vec<Stage>,
    /// The output columns of the source and stages, in order.
    pub columns: Vec<String>,
    /// The commands after the first one the columnar engine does not run, in order: they run
    /// row by row over its results (`crate::commands`).
    pub post: Vec<PostStep>,
}

/// A command that runs row by row, and the plan of its subsearch (`join`, `append`).
#[derive(Debug, Clone)]
pub struct PostStep {
    /// The command as parsed.
    pub command: spelunk_spl::ast::Command,
    /// Its subsearch, planned.
    pub subsearch: Option<Box<Plan>>,
}

/// A generating command.
#[derive(Debug, Clone)]
pub struct Source {
    /// The data set read, such as `Endpoint.Processes`.
    pub dataset: &'static spelunk_cim::model::Dataset,
    /// The dataset fields the search names (without the object prefix).
    pub fields_read: Vec<String>,
    /// The WHERE filter, over unprefixed data set fields.
    pub filter: Option<Predicate>,
    /// Grouping fields: data set field and output column name.
    pub by: Vec<OutputField>,
    /// Aggregates, in the order written.
    pub aggregates: Vec<AggregateSpec>,
    /// `fillnull_value`: the text for a null BY field; without it such rows are dropped.
    pub fillnull: Option<String>,
    /// The `earliest=`/`latest=` terms of the WHERE clause, as written; they replace the
    /// search's own time range when given.
    pub time_range: spelunk_spl::ast::TimeRange,
    /// `span=`: `_time` is grouped in buckets of this many seconds, aligned to the search's
    /// time zone (a day starts at local midnight).
    pub time_span: Option<f64>,
}

/// A data set field and the name it carries in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputField {
    /// The data set field, without the object prefix (`process_name`, `_time`).
    pub field: String,
    /// The output column (`Processes.process_name`).
    pub output: String,
}

/// One aggregate of a `tstats`.
#[derive(Debug, Clone)]
pub struct AggregateSpec {
    /// What is computed.
    pub kind: AggregateKind,
    /// The data set field it reads; `None` for a bare `count`.
    pub field: Option<String>,
    /// The output column.
    pub output: String,
}

/// Aggregate functions the engine computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateKind {
    /// Events in the group, or events with the field present.
    Count,
    /// Distinct values.
    DistinctCount,
    /// Distinct values as a sorted multivalue.
    Values,
    /// Smallest value: numeric when the values are numbers.
    Min,
    /// Largest value: numeric when the values are numbers.
    Max,
    /// The value of the earliest event by `_time`.
    Earliest,
    /// The value of the latest event by `_time`.
    Latest,
    /// Sum of the numeric values.
    Sum,
    /// Mean of the numeric values.
    Avg,
}

/// A row filter in search-language semantics.
#[derive(Debug, Clone)]
pub enum Predicate {
    /// Both hold.
    And(Box<Predicate>, Box<Predicate>),
    /// Either holds.
    Or(Box<Predicate>, Box<Predicate>),
    /// The inner predicate does not hold (null fields included).
    Not(Box<Predicate>),
    /// The field is present and a value of it matches the pattern (`=`), or is present and
    /// no value matches (`!=`).
    Match {
        /// The column tested.
        field: String,
        /// The compiled pattern.
        pattern: Wildcard,
        /// The pattern as written, for display.
        text: String,
        /// `!=` rather than `=`.
        negated: bool,
    },
    /// An ordering comparison: numeric when both sides are numbers, else lexicographic.
    Order {
        /// The column tested.
        field: String,
        /// The operator.
        op: OrderOp,
        /// The literal on the right.
        value: String,
    },
    /// Every row.
    True,
}

/// `<`, `<=`, `>`, `>=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderOp {
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// A stage after the source.
#[derive(Debug, Clone)]
pub enum Stage {
    /// Keep the rows for which the predicate holds.
    Filter(Predicate),
    /// Rebuild the columns: each output column from an input column, or absent (null).
    Project(Vec<Projection>),
    /// Format epoch seconds as text in the search's time zone.
    Ctime(Vec<CtimeSpec>),
}

/// One output column of a projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    /// The column it is built from; `None` makes an all-null column.
    pub from: Option<String>,
    /// The output name.
    pub to: String,
}

/// One `ctime` conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtimeSpec {
    /// The column read.
    pub from: String,
    /// The column written (the same unless `AS`).
    pub to: String,
    /// A strftime-style format in Splunk's variables.
    pub format: String,
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(source) = &self.source else {
            return self.fmt_post(f);
        };
        if let Some(earliest) = &source.time_range.earliest {
            writeln!(f, "time earliest={}", earliest.text)?;
        }
        if let Some(latest) = &source.time_range.latest {
            writeln!(f, "time latest={}", latest.text)?;
        }
        writeln!(
            f,
            "scan {} [{}]",
            source.dataset.name,
            source.fields_read.join(", ")
        )?;
        if let Some(filter) = &source.filter {
            writeln!(f, "  filter {filter}")?;
        }
        let by: Vec<&str> = source.by.iter().map(|b| b.output.as_str()).collect();
        let aggs: Vec<&str> = source
            .aggregates
            .iter()
            .map(|a| a.output.as_str())
            .collect();
        match &source.fillnull {
            Some(text) => writeln!(f, "  fill null BY fields with {text:?}")?,
            None => writeln!(f, "  drop rows with a null BY field")?,
        }
        writeln!(
            f,
            "  aggregate [{}] by [{}]",
            aggs.join(", "),
            by.join(", ")
        )?;
        for stage in &self.stages {
            match stage {
                Stage::Filter(p) => writeln!(f, "filter {p}")?,
                Stage::Project(columns) => {
                    let shown: Vec<String> = columns
                        .iter()
                        .map(|p| match &p.from {
                            Some(from) if from == &p.to => from.clone(),
                            Some(from) => format!("{from} -> {}", p.to),
                            None => format!("null -> {}", p.to),
                        })
                        .collect();
                    writeln!(f, "project [{}]", shown.join(", "))?;
                }
                Stage::Ctime(specs) => {
                    for spec in specs {
                        writeln!(f, "ctime {} -> {} as {:?}", spec.from, spec.to, spec.format)?;
                    }
                }
            }
        }
        write!(f, "output [{}]", self.columns.join(", "))?;
        if !self.post.is_empty() {
            writeln!(f)?;
            self.fmt_post(f)?;
        }
        Ok(())
    }
}

impl Plan {
    /// The row-wise commands, one a line, with their subsearches indented below them.
    fn fmt_post(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (at, step) in self.post.iter().enumerate() {
            if at > 0 {
                writeln!(f)?;
            }
            write!(f, "row-wise {}", step.command)?;
            if let Some(sub) = &step.subsearch {
                writeln!(f, "\n  subsearch:")?;
                let text = sub.to_string();
                let lines: Vec<String> = text.lines().map(|l| format!("    {l}")).collect();
                write!(f, "{}", lines.join("\n"))?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Predicate::And(a, b) => write!(f, "({a} AND {b})"),
            Predicate::Or(a, b) => write!(f, "({a} OR {b})"),
            Predicate::Not(p) => write!(f, "NOT {p}"),
            Predicate::Match {
                field,
                text,
                negated,
                ..
            } => write!(f, "{field}{}{text:?}", if *negated { "!=" } else { "=" }),
            Predicate::Order { field, op, value } => {
                let symbol = match op {
                    OrderOp::Lt => "<",
                    OrderOp::Le => "<=",
                    OrderOp::Gt => ">",
                    OrderOp::Ge => ">=",
                };
                write!(f, "{field}{symbol}{value:?}")
            }
            Predicate::True => write!(f, "true"),
        }
    }
}
