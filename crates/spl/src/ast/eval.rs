//! The syntax tree of eval expressions (`eval`, `where`, `count(eval(...))`) and of the
//! commands built on them: `eval`, `where`, `stats` and `eventstats`.
//!
//! Only syntax lives here; what a function or operator computes belongs to the engine's
//! evaluator.

use super::{FieldName, Span, Value};

/// An eval expression, as `eval` and `where` write it.
#[derive(Debug, Clone)]
pub enum EvalExpr {
    /// A field: a bare name (`process_name`) or a single-quoted one (`'Processes.process'`).
    Field(FieldName),
    /// A double-quoted string, with `\\` and `\"` resolved.
    Str(String, Span),
    /// A number, kept as written (`5`, `0.5`, `1e3`).
    Number(String, Span),
    /// `true` or `false` written bare.
    Bool(bool, Span),
    /// `name(arg, ...)`; the name keeps the case it was written in (`CASE(...)`).
    Call {
        /// The function name as written.
        name: String,
        /// The arguments in order.
        args: Vec<EvalExpr>,
        /// The whole call.
        span: Span,
    },
    /// `-x`, `NOT x` or `!x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        expr: Box<EvalExpr>,
        /// The whole expression.
        span: Span,
    },
    /// `left <op> right`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// The left operand.
        left: Box<EvalExpr>,
        /// The right operand.
        right: Box<EvalExpr>,
        /// The whole expression.
        span: Span,
    },
    /// `x IN (a, b, ...)`.
    In {
        /// The value tested.
        expr: Box<EvalExpr>,
        /// The candidates.
        list: Vec<EvalExpr>,
        /// The whole expression.
        span: Span,
    },
    /// `( x )`, kept so that printing reproduces the grouping.
    Group(Box<EvalExpr>, Span),
}

impl EvalExpr {
    /// The span of the expression.
    pub fn span(&self) -> Span {
        match self {
            EvalExpr::Field(f) => f.span,
            EvalExpr::Str(_, s) | EvalExpr::Number(_, s) | EvalExpr::Bool(_, s) => *s,
            EvalExpr::Group(_, s) => *s,
            EvalExpr::Call { span, .. }
            | EvalExpr::Unary { span, .. }
            | EvalExpr::Binary { span, .. }
            | EvalExpr::In { span, .. } => *span,
        }
    }
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `NOT x`, also written `!x`.
    Not,
}

/// Binary operators, grouped by how tightly they bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Mod,
    /// `+`: adds numbers, joins strings.
    Add,
    /// `-`.
    Sub,
    /// `.`: string concatenation.
    Concat,
    /// `=`, also written `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `LIKE`: SQL pattern with `%` and `_`.
    Like,
    /// `AND`.
    And,
    /// `OR`.
    Or,
    /// `XOR`.
    Xor,
}

impl BinaryOp {
    /// The operator as the canonical printer writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Concat => ".",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Like => "LIKE",
            BinaryOp::And => "AND",
            BinaryOp::Or => "OR",
            BinaryOp::Xor => "XOR",
        }
    }

    /// Binding strength, loosest first: `XOR` 1, `OR` 2, `AND` 3, (`NOT` 4), comparisons
    /// 5, `+ - .` 6, `* / %` 7.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Xor => 1,
            BinaryOp::Or => 2,
            BinaryOp::And => 3,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::Like => 5,
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Concat => 6,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 7,
        }
    }
}

/// `eval x=expr, y=expr`.
#[derive(Debug, Clone)]
pub struct Eval {
    /// The assignments, run left to right.
    pub assignments: Vec<Assignment>,
    /// The whole command.
    pub span: Span,
}

/// One `field=expr` of `eval`.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// The field written.
    pub field: FieldName,
    /// Its new value.
    pub expr: EvalExpr,
}

/// `where <expr>`.
#[derive(Debug, Clone)]
pub struct Where {
    /// The condition each kept row satisfies.
    pub expr: EvalExpr,
    /// The whole command.
    pub span: Span,
}

/// `stats ...` or `eventstats ...`.
#[derive(Debug, Clone)]
pub struct Stats {
    /// `true` for `eventstats` (aggregates added to every row).
    pub event: bool,
    /// The aggregates in the order written.
    pub aggregates: Vec<StatsAggregate>,
    /// `BY f1 f2 ...`.
    pub by: Vec<FieldName>,
    /// `span=<timespan>` among the BY fields: `_time` is grouped in buckets of that size.
    pub time_span: Option<Value>,
    /// The whole command.
    pub span: Span,
}

/// One aggregate of `stats`, such as `count(eval(x>1)) AS big`.
#[derive(Debug, Clone)]
pub struct StatsAggregate {
    /// The function.
    pub function: StatsFunction,
    /// Its argument; `None` only for a bare `count`.
    pub arg: Option<StatsArg>,
    /// `AS <name>`.
    pub alias: Option<FieldName>,
    /// The whole aggregate, alias included.
    pub span: Span,
}

/// What an aggregate reads.
#[derive(Debug, Clone)]
pub enum StatsArg {
    /// A field (possibly with `*`).
    Field(FieldName),
    /// `eval(expr)`, evaluated on each row.
    Eval(EvalExpr),
}

/// The statistical functions of `stats` this parser knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatsFunction {
    /// `count`.
    Count,
    /// `dc`, or `distinct_count` when `written_long`.
    DistinctCount {
        /// Written `distinct_count` rather than `dc`.
        written_long: bool,
    },
    /// `values`.
    Values,
    /// `list`.
    List,
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `sum`.
    Sum,
    /// `avg`.
    Avg,
    /// `first`.
    First,
    /// `last`.
    Last,
    /// `earliest`.
    Earliest,
    /// `latest`.
    Latest,
}

impl StatsFunction {
    /// The function's name as SPL writes it.
    pub fn name(self) -> &'static str {
        match self {
            StatsFunction::Count => "count",
            StatsFunction::DistinctCount {
                written_long: false,
            } => "dc",
            StatsFunction::DistinctCount { written_long: true } => "distinct_count",
            StatsFunction::Values => "values",
            StatsFunction::List => "list",
            StatsFunction::Min => "min",
            StatsFunction::Max => "max",
            StatsFunction::Sum => "sum",
            StatsFunction::Avg => "avg",
            StatsFunction::First => "first",
            StatsFunction::Last => "last",
            StatsFunction::Earliest => "earliest",
            StatsFunction::Latest => "latest",
        }
    }

    /// The function named `name` (as SPL writes it, lower case), if this parser knows it.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "count" => StatsFunction::Count,
            "dc" => StatsFunction::DistinctCount {
                written_long: false,
            },
            "distinct_count" => StatsFunction::DistinctCount { written_long: true },
            "values" => StatsFunction::Values,
            "list" => StatsFunction::List,
            "min" => StatsFunction::Min,
            "max" => StatsFunction::Max,
            "sum" => StatsFunction::Sum,
            "avg" => StatsFunction::Avg,
            "first" => StatsFunction::First,
            "last" => StatsFunction::Last,
            "earliest" => StatsFunction::Earliest,
            "latest" => StatsFunction::Latest,
            _ => return None,
        })
    }
}
