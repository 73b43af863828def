//! The syntax tree of a parsed SPL pipeline.
//!
//! Every node carries the byte [`Span`] of the text it was parsed from (offsets into the
//! expanded query). Nodes print back as canonical SPL through `Display` (see `print.rs`);
//! parsing that text again gives an equal tree, spans aside.
//!
//! The tree records syntax only: it does not know data models, field types or how a search
//! runs. Semantic checks belong to the engine's planner.

mod eval;

pub use eval::*;

/// A half-open byte range `start..end` into the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span covering `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A whole search: commands separated by `|`.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// The commands in order.
    pub commands: Vec<Command>,
    /// The span of the whole pipeline.
    pub span: Span,
}

/// One command of a pipeline.
// A pipeline holds a handful of commands, so the size of `Tstats` costs nothing worth
// boxing it for (and boxing would change the variant's type for every user).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Command {
    /// `tstats ...`, a generating command.
    Tstats(Tstats),
    /// `search <expr>`, or the implied search when a pipeline does not start with `|`.
    Search(Search),
    /// `rename a AS b, ...`.
    Rename(Rename),
    /// `convert [timeformat=...] ctime(f) [AS g] ...`.
    Convert(Convert),
    /// `table f1 f2 ...`.
    Table(Table),
    /// `fields [+|-] f1 f2 ...`.
    Fields(Fields),
    /// `join ... [subsearch]`.
    Join(Join),
    /// `append [subsearch]`.
    Append(Append),
    /// `dedup ...`.
    Dedup(Dedup),
    /// `sort ...`.
    Sort(Sort),
    /// `head [N]`.
    Head(Head),
    /// `fillnull ...`.
    Fillnull(Fillnull),
    /// `mvexpand f`.
    Mvexpand(Mvexpand),
    /// `bin` or `bucket`.
    Bin(Bin),
    /// `makeresults`, a generating command.
    Makeresults(Makeresults),
    /// `regex ...`.
    Regex(Regex),
    /// `rex ...`.
    Rex(Rex),
    /// `eval x=expr, ...`.
    Eval(Eval),
    /// `where <expr>`.
    Where(Where),
    /// `stats ...` or `eventstats ...` (see [`Stats::event`]).
    Stats(Stats),
    /// `lookup <table> <field> [AS <field>] ... [OUTPUT|OUTPUTNEW ...]`.
    Lookup(Lookup),
    /// `inputlookup <table> [where <search-expr>]`, a generating command.
    Inputlookup(Inputlookup),
}

impl Command {
    /// The span of the command, from its name to its last argument.
    pub fn span(&self) -> Span {
        match self {
            Command::Tstats(c) => c.span,
            Command::Search(c) => c.span,
            Command::Rename(c) => c.span,
            Command::Convert(c) => c.span,
            Command::Table(c) => c.span,
            Command::Fields(c) => c.span,
            Command::Join(c) => c.span,
            Command::Append(c) => c.span,
            Command::Dedup(c) => c.span,
            Command::Sort(c) => c.span,
            Command::Head(c) => c.span,
            Command::Fillnull(c) => c.span,
            Command::Mvexpand(c) => c.span,
            Command::Bin(c) => c.span,
            Command::Makeresults(c) => c.span,
            Command::Regex(c) => c.span,
            Command::Rex(c) => c.span,
            Command::Eval(c) => c.span,
            Command::Where(c) => c.span,
            Command::Stats(c) => c.span,
            Command::Lookup(c) => c.span,
            Command::Inputlookup(c) => c.span,
        }
    }
}

/// A field name as written, such as `Processes.process_name` or `_time`.
#[derive(Debug, Clone)]
pub struct FieldName {
    /// The name, with quotes removed and escapes resolved.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A literal value as written in the search language.
#[derive(Debug, Clone)]
pub struct Value {
    /// The text after resolving the three escapes `\\`, `\"` and `\|`; `*` stays a wildcard.
    pub text: String,
    /// Whether it was written in double quotes.
    pub quoted: bool,
    /// Where it was written, quotes included.
    pub span: Span,
}

/// `tstats`.
#[derive(Debug, Clone)]
pub struct Tstats {
    /// `summariesonly=<bool>`, as written.
    pub summariesonly: Option<Value>,
    /// `allow_old_summaries=<bool>`, as written.
    pub allow_old_summaries: Option<Value>,
    /// `fillnull_value=<string>`.
    pub fillnull_value: Option<Value>,
    /// The aggregates in the order written.
    pub aggregates: Vec<Aggregate>,
    /// `FROM datamodel=<model>.<dataset>`.
    pub datamodel: Option<DatamodelRef>,
    /// `WHERE <search-expr>`.
    pub where_clause: Option<SearchExpr>,
    /// `BY f1 f2 ...` (also `GROUPBY`).
    pub by: Vec<FieldName>,
    /// `span=<timespan>` after the BY fields.
    pub span_option: Option<Value>,
    /// The `earliest=`/`latest=` terms of the `WHERE` clause. They stay in `where_clause`
    /// too (this is a view of them, not a rewrite), so the printer prints them once.
    pub time_range: TimeRange,
    /// The whole command.
    pub span: Span,
}

/// `datamodel=Endpoint.Processes`.
#[derive(Debug, Clone)]
pub struct DatamodelRef {
    /// `Endpoint`.
    pub model: String,
    /// `Processes`, when given.
    pub dataset: Option<String>,
    /// Where `datamodel=...` was written.
    pub span: Span,
}

/// An aggregate function such as `count`, `min(_time) AS firstTime`.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// The function.
    pub function: AggFunction,
    /// Its field; `None` only for a bare `count`.
    pub field: Option<FieldName>,
    /// `AS <name>`.
    pub alias: Option<FieldName>,
    /// The whole aggregate, alias included.
    pub span: Span,
}

/// The aggregate functions the parser knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggFunction {
    /// `count`.
    Count,
    /// `dc`, or `distinct_count` when `written_long`.
    DistinctCount {
        /// Written `distinct_count` rather than `dc`.
        written_long: bool,
    },
    /// `values`.
    Values,
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `earliest`.
    Earliest,
    /// `latest`.
    Latest,
    /// `sum`.
    Sum,
    /// `avg`.
    Avg,
}

impl AggFunction {
    /// The function's name as SPL writes it.
    pub fn name(self) -> &'static str {
        match self {
            AggFunction::Count => "count",
            AggFunction::DistinctCount {
                written_long: false,
            } => "dc",
            AggFunction::DistinctCount { written_long: true } => "distinct_count",
            AggFunction::Values => "values",
            AggFunction::Min => "min",
            AggFunction::Max => "max",
            AggFunction::Earliest => "earliest",
            AggFunction::Latest => "latest",
            AggFunction::Sum => "sum",
            AggFunction::Avg => "avg",
        }
    }
}

/// A boolean expression in search-language syntax (tstats `WHERE`, `search`).
#[derive(Debug, Clone)]
pub enum SearchExpr {
    /// Both sides hold; written `AND` or implied by adjacency.
    And(Box<SearchExpr>, Box<SearchExpr>, Span),
    /// Either side holds.
    Or(Box<SearchExpr>, Box<SearchExpr>, Span),
    /// `NOT x`.
    Not(Box<SearchExpr>, Span),
    /// `field <op> value`.
    Compare {
        /// The field on the left.
        field: FieldName,
        /// The operator.
        op: CompareOp,
        /// The literal on the right (a wildcard pattern for `=` and `!=`).
        value: Value,
        /// The whole comparison.
        span: Span,
    },
    /// `field IN (v1, v2, ...)`.
    In {
        /// The field on the left.
        field: FieldName,
        /// The values, each possibly a wildcard pattern.
        values: Vec<Value>,
        /// The whole term.
        span: Span,
    },
    /// A bare term such as `*` or `error`, matched against the raw event.
    Term(Value),
    /// `( ... )`, kept so that printing reproduces the grouping.
    Group(Box<SearchExpr>, Span),
    /// `[ ... ]` in a `search` command: Splunk runs it first and puts its rows in its place
    /// as `(f1="v1" AND f2="v2") OR (...)` (the implicit `format`).
    Subsearch(Subsearch),
}

impl SearchExpr {
    /// The span of the expression.
    pub fn span(&self) -> Span {
        match self {
            SearchExpr::And(_, _, s)
            | SearchExpr::Or(_, _, s)
            | SearchExpr::Not(_, s)
            | SearchExpr::Group(_, s) => *s,
            SearchExpr::Compare { span, .. } | SearchExpr::In { span, .. } => *span,
            SearchExpr::Term(v) => v.span,
            SearchExpr::Subsearch(sub) => sub.span,
        }
    }
}

/// Comparison operators of the search language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`.
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
}

impl CompareOp {
    /// The operator as SPL writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// `search <expr>`.
#[derive(Debug, Clone)]
pub struct Search {
    /// The filter; `None` for an empty `search`.
    pub expr: Option<SearchExpr>,
    /// The `earliest=`/`latest=` terms of the filter, which also stay in `expr`.
    pub time_range: TimeRange,
    /// The whole command.
    pub span: Span,
}

/// `rename a AS b, c AS d`.
#[derive(Debug, Clone)]
pub struct Rename {
    /// The pairs in order. Either side may hold `*` wildcards.
    pub pairs: Vec<RenamePair>,
    /// The whole command.
    pub span: Span,
}

/// One `from AS to` of a rename.
#[derive(Debug, Clone)]
pub struct RenamePair {
    /// The field (or wildcard pattern) renamed.
    pub from: FieldName,
    /// The new name (or pattern).
    pub to: FieldName,
}

/// `convert [timeformat="..."] ctime(f) [AS g] ...`.
#[derive(Debug, Clone)]
pub struct Convert {
    /// `timeformat=...`, when given.
    pub timeformat: Option<Value>,
    /// The conversions in order.
    pub conversions: Vec<Conversion>,
    /// The whole command.
    pub span: Span,
}

/// One conversion of `convert`.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// The conversion function; only `ctime` for now.
    pub function: ConvertFunction,
    /// The field converted (may hold `*`).
    pub field: FieldName,
    /// `AS <name>`.
    pub alias: Option<FieldName>,
    /// The whole conversion.
    pub span: Span,
}

/// Conversion functions of `convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConvertFunction {
    /// `ctime`: epoch seconds to text in the time format.
    Ctime,
}

/// `table f1 f2 ...`.
#[derive(Debug, Clone)]
pub struct Table {
    /// Field names or wildcard patterns, in the order written.
    pub fields: Vec<FieldName>,
    /// The whole command.
    pub span: Span,
}

/// `fields [+|-] f1 f2 ...`.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `true` for `fields - ...` (remove the listed fields).
    pub remove: bool,
    /// Field names or wildcard patterns.
    pub fields: Vec<FieldName>,
    /// The whole command.
    pub span: Span,
}

/// `[ <pipeline> ]`: a search run first, whose results feed the command around it.
#[derive(Debug, Clone)]
pub struct Subsearch {
    /// The inner search.
    pub pipeline: Box<Pipeline>,
    /// From `[` to `]`, both included.
    pub span: Span,
}

/// `join [type=...] [max=N] [overwrite=bool] f1, f2 ... [subsearch]`.
#[derive(Debug, Clone)]
pub struct Join {
    /// `type=inner|left|outer`; inner when absent.
    pub join_type: Option<JoinType>,
    /// `max=N`: how many subsearch rows join one row (0 = all); 1 when absent.
    pub max: Option<u64>,
    /// `overwrite=bool`: whether subsearch fields replace the row's; true when absent.
    pub overwrite: Option<bool>,
    /// The join fields; empty means every field the two sides share.
    pub fields: Vec<FieldName>,
    /// The subsearch giving the other side.
    pub subsearch: Subsearch,
    /// The whole command.
    pub span: Span,
}

/// The kinds of `join`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinType {
    /// `inner`: rows without a match are dropped.
    Inner,
    /// `left`: rows without a match are kept.
    Left,
    /// `outer`: Splunk's synonym of `left`.
    Outer,
}

impl JoinType {
    /// The type as SPL writes it.
    pub fn name(self) -> &'static str {
        match self {
            JoinType::Inner => "inner",
            JoinType::Left => "left",
            JoinType::Outer => "outer",
        }
    }
}

/// `append [subsearch]`.
#[derive(Debug, Clone)]
pub struct Append {
    /// The subsearch whose rows are appended.
    pub subsearch: Subsearch,
    /// The whole command.
    pub span: Span,
}

/// `dedup [N] f1 f2 ... [keepempty=bool] [consecutive=bool] [sortby ...]`.
#[derive(Debug, Clone)]
pub struct Dedup {
    /// How many rows to keep per combination; 1 when absent.
    pub count: Option<u64>,
    /// The fields whose combination must be unique.
    pub fields: Vec<FieldName>,
    /// `keepempty=bool`: keep rows lacking a listed field.
    pub keepempty: Option<bool>,
    /// `consecutive=bool`: remove only duplicates that follow each other.
    pub consecutive: Option<bool>,
    /// `sortby [+|-]f ...`, applied to the result.
    pub sortby: Vec<SortKey>,
    /// The whole command.
    pub span: Span,
}

/// `sort [N] [+|-]f ...`, each field possibly written `num(f)`, `str(f)`, `auto(f)`, `ip(f)`.
#[derive(Debug, Clone)]
pub struct Sort {
    /// `N` or `limit=N`: the most rows kept; 10000 when absent, 0 means all.
    pub limit: Option<u64>,
    /// The keys in order of priority.
    pub keys: Vec<SortKey>,
    /// A trailing `d`: the whole order reversed.
    pub reverse: bool,
    /// The whole command.
    pub span: Span,
}

/// One key of `sort` or `dedup ... sortby`.
#[derive(Debug, Clone)]
pub struct SortKey {
    /// The field.
    pub field: FieldName,
    /// Written with `-`.
    pub descending: bool,
    /// How values compare.
    pub kind: SortKind,
    /// The whole key, sign included.
    pub span: Span,
}

/// How `sort` compares the values of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKind {
    /// No function: numbers numerically, other values lexically.
    Default,
    /// `auto(f)`: as [`SortKind::Default`], written out.
    Auto,
    /// `num(f)`: numerically.
    Num,
    /// `str(f)`: lexically.
    Str,
    /// `ip(f)`: as IP addresses.
    Ip,
}

impl SortKind {
    /// The function name, none for [`SortKind::Default`].
    pub fn name(self) -> Option<&'static str> {
        match self {
            SortKind::Default => None,
            SortKind::Auto => Some("auto"),
            SortKind::Num => Some("num"),
            SortKind::Str => Some("str"),
            SortKind::Ip => Some("ip"),
        }
    }
}

/// `head [N]` or `head limit=N`.
#[derive(Debug, Clone)]
pub struct Head {
    /// How many rows; 10 when absent.
    pub limit: Option<u64>,
    /// The whole command.
    pub span: Span,
}

/// `fillnull [value=v] [f1 f2 ...]`.
#[derive(Debug, Clone)]
pub struct Fillnull {
    /// `value=v`; `0` when absent.
    pub value: Option<Value>,
    /// The fields to fill; empty means every field present.
    pub fields: Vec<FieldName>,
    /// The whole command.
    pub span: Span,
}

/// `mvexpand f [limit=N]`.
#[derive(Debug, Clone)]
pub struct Mvexpand {
    /// The multivalue field.
    pub field: FieldName,
    /// `limit=N`: the most values expanded per row; all when absent.
    pub limit: Option<u64>,
    /// The whole command.
    pub span: Span,
}

/// `bin [span=s] f [AS g]`, also written `bucket`.
#[derive(Debug, Clone)]
pub struct Bin {
    /// Written `bucket` rather than `bin`.
    pub written_bucket: bool,
    /// `span=...`, such as `1h` or `10`.
    pub span_option: Option<Value>,
    /// The field binned.
    pub field: FieldName,
    /// `AS <name>`.
    pub alias: Option<FieldName>,
    /// The whole command.
    pub span: Span,
}

/// `makeresults [count=N]`, a generating command.
#[derive(Debug, Clone)]
pub struct Makeresults {
    /// `count=N`; 1 when absent.
    pub count: Option<u64>,
    /// The whole command.
    pub span: Span,
}

/// `regex [field=|field!=]"<regex>"`.
#[derive(Debug, Clone)]
pub struct Regex {
    /// The field matched; `_raw` when absent.
    pub field: Option<FieldName>,
    /// Written `!=`: keep the rows that do not match.
    pub negated: bool,
    /// The regular expression, after SPL unescaping.
    pub pattern: Value,
    /// The whole command.
    pub span: Span,
}

/// `rex [field=f] [max_match=N] [mode=sed] "<regex>"`.
#[derive(Debug, Clone)]
pub struct Rex {
    /// `field=f`; `_raw` when absent.
    pub field: Option<FieldName>,
    /// `max_match=N`: matches kept per row (0 = all); 1 when absent.
    pub max_match: Option<u64>,
    /// `mode=sed`: the pattern is a sed expression that edits the field.
    pub sed: bool,
    /// The regular expression or sed expression, after SPL unescaping.
    pub pattern: Value,
    /// The whole command.
    pub span: Span,
}

/// The time bounds a search or tstats `WHERE` writes as `earliest=<time>` and
/// `latest=<time>` terms (spl-semantics.md §7).
///
/// The parser accepts such a term only as a top-level conjunct (`a earliest=-1d b`), where
/// it bounds the whole search; under `OR` or `NOT` it is refused as unsupported. The values
/// are kept as written; the engine's `timespec` module resolves them.
#[derive(Debug, Clone, Default)]
pub struct TimeRange {
    /// `earliest=<time>`: the inclusive lower bound.
    pub earliest: Option<Value>,
    /// `latest=<time>`: the exclusive upper bound.
    pub latest: Option<Value>,
}

impl TimeRange {
    /// Whether neither bound is written.
    pub fn is_empty(&self) -> bool {
        self.earliest.is_none() && self.latest.is_none()
    }
}

/// `lookup [local=<bool>] [update=<bool>] <table> <field> [AS <field>] ...
/// [OUTPUT|OUTPUTNEW <field> [AS <field>] ...]`.
#[derive(Debug, Clone)]
pub struct Lookup {
    /// `local=`, `update=`, as written, in order.
    pub options: Vec<CommandOption>,
    /// The lookup definition name, or the name of a CSV file.
    pub table: Value,
    /// The match fields: the lookup column, and `AS` the row's field when it differs.
    pub inputs: Vec<LookupField>,
    /// The output clause; `None` writes every column that is not a match field.
    pub output: Option<LookupOutput>,
    /// The whole command.
    pub span: Span,
}

/// A lookup column with the row field it maps to (`column AS field`).
#[derive(Debug, Clone)]
pub struct LookupField {
    /// The column of the lookup table.
    pub column: FieldName,
    /// `AS <field>`: the field in the results, when not the column's own name.
    pub alias: Option<FieldName>,
}

impl LookupField {
    /// The field in the results: the alias, else the column name.
    pub fn field(&self) -> &FieldName {
        self.alias.as_ref().unwrap_or(&self.column)
    }
}

/// `OUTPUT ...` or `OUTPUTNEW ...` of a lookup.
#[derive(Debug, Clone)]
pub struct LookupOutput {
    /// `true` for `OUTPUTNEW`: fill only fields a row does not have yet.
    pub new_only: bool,
    /// The columns written, each optionally renamed.
    pub fields: Vec<LookupField>,
    /// From the keyword to the last field.
    pub span: Span,
}

/// `name=value` option of a command, such as `update=true`.
#[derive(Debug, Clone)]
pub struct CommandOption {
    /// The option's name, as written.
    pub name: FieldName,
    /// Its value.
    pub value: Value,
}

/// `inputlookup [append=<bool>] [start=<int>] [max=<int>] [strict=<bool>] <table>
/// [where <search-expr>]`.
#[derive(Debug, Clone)]
pub struct Inputlookup {
    /// The options, as written, in order.
    pub options: Vec<CommandOption>,
    /// The lookup definition name, or the name of a CSV file.
    pub table: Value,
    /// `where <search-expr>`, filtering the table's rows.
    pub where_clause: Option<SearchExpr>,
    /// The whole command.
    pub span: Span,
}
