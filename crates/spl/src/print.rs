//! Canonical SPL printing of the syntax tree through `Display`.
//!
//! The printed text parses back to an equal tree (spans aside) for every tree the parser
//! produces. Canonical form: a leading `| ` before the first command, lower-case keywords
//! (`from`, `where`, `by`, `as`), upper-case `AND`/`OR`/`NOT`/`IN`, `AND` always written,
//! values quoted exactly when they were, with `\\` and `\"` escaped inside quotes and
//! `\\`, `\"` and `\|` outside.
//!
//! For trees built by hand, the printer adds parentheses where precedence needs them and
//! quotes a value that would not survive unquoted; such text parses back to an equivalent,
//! not always identical, tree.

mod eval;

use std::fmt::{self, Display, Formatter, Write};

use crate::ast::{
    Aggregate, Command, CommandOption, Conversion, Convert, ConvertFunction, DatamodelRef,
    FieldName, Fields, Inputlookup, Lookup, LookupField, Pipeline, Rename, Search, SearchExpr,
    Table, Tstats, Value,
};
use crate::parser::is_field_char;

mod table_commands;

impl Display for Pipeline {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (index, command) in self.commands.iter().enumerate() {
            let sep = if index == 0 { "| " } else { " | " };
            write!(f, "{sep}{command}")?;
        }
        Ok(())
    }
}

impl Display for Command {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Command::Tstats(c) => c.fmt(f),
            Command::Search(c) => c.fmt(f),
            Command::Rename(c) => c.fmt(f),
            Command::Convert(c) => c.fmt(f),
            Command::Table(c) => c.fmt(f),
            Command::Fields(c) => c.fmt(f),
            Command::Join(c) => c.fmt(f),
            Command::Append(c) => c.fmt(f),
            Command::Dedup(c) => c.fmt(f),
            Command::Sort(c) => c.fmt(f),
            Command::Head(c) => c.fmt(f),
            Command::Fillnull(c) => c.fmt(f),
            Command::Mvexpand(c) => c.fmt(f),
            Command::Bin(c) => c.fmt(f),
            Command::Makeresults(c) => c.fmt(f),
            Command::Regex(c) => c.fmt(f),
            Command::Rex(c) => c.fmt(f),
            Command::Eval(c) => c.fmt(f),
            Command::Where(c) => c.fmt(f),
            Command::Stats(c) => c.fmt(f),
            Command::Lookup(c) => c.fmt(f),
            Command::Inputlookup(c) => c.fmt(f),
        }
    }
}

impl Display for Tstats {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("tstats")?;
        let options = [
            ("summariesonly", &self.summariesonly),
            ("allow_old_summaries", &self.allow_old_summaries),
            ("fillnull_value", &self.fillnull_value),
        ];
        for (name, value) in options {
            if let Some(value) = value {
                write!(f, " {name}={value}")?;
            }
        }
        for aggregate in &self.aggregates {
            write!(f, " {aggregate}")?;
        }
        if let Some(dm) = &self.datamodel {
            write!(f, " from {dm}")?;
        }
        if let Some(expr) = &self.where_clause {
            write!(f, " where {}", Expr { expr, tstats: true })?;
        }
        if !self.by.is_empty() {
            f.write_str(" by")?;
            for field in &self.by {
                write!(f, " {field}")?;
            }
        }
        if let Some(span) = &self.span_option {
            write!(f, " span={span}")?;
        }
        Ok(())
    }
}

impl Display for Aggregate {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.function.name())?;
        if let Some(field) = &self.field {
            write!(f, "({field})")?;
        }
        if let Some(alias) = &self.alias {
            write!(f, " as {alias}")?;
        }
        Ok(())
    }
}

impl Display for DatamodelRef {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut name = self.model.clone();
        if let Some(dataset) = &self.dataset {
            name.push('.');
            name.push_str(dataset);
        }
        f.write_str("datamodel=")?;
        write_value(f, &name, false, Place::Option)
    }
}

impl Display for Search {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("search")?;
        if let Some(expr) = &self.expr {
            write!(f, " {expr}")?;
        }
        Ok(())
    }
}

impl Display for Rename {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("rename")?;
        for (index, pair) in self.pairs.iter().enumerate() {
            let sep = if index == 0 { " " } else { ", " };
            write!(f, "{sep}{} as {}", pair.from, pair.to)?;
        }
        Ok(())
    }
}

impl Display for Convert {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("convert")?;
        if let Some(format) = &self.timeformat {
            write!(f, " timeformat={format}")?;
        }
        for conversion in &self.conversions {
            write!(f, " {conversion}")?;
        }
        Ok(())
    }
}

impl Display for Conversion {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let name = match self.function {
            ConvertFunction::Ctime => "ctime",
        };
        write!(f, "{name}({})", self.field)?;
        if let Some(alias) = &self.alias {
            write!(f, " as {alias}")?;
        }
        Ok(())
    }
}

impl Display for Table {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("table")?;
        for field in &self.fields {
            write!(f, " {field}")?;
        }
        Ok(())
    }
}

impl Display for Fields {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(if self.remove { "fields -" } else { "fields" })?;
        for field in &self.fields {
            write!(f, " {field}")?;
        }
        Ok(())
    }
}

impl Display for Lookup {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("lookup")?;
        for option in &self.options {
            write!(f, " {option}")?;
        }
        f.write_char(' ')?;
        write_table(f, &self.table)?;
        for field in &self.inputs {
            write!(f, " {field}")?;
        }
        if let Some(output) = &self.output {
            f.write_str(if output.new_only {
                " OUTPUTNEW"
            } else {
                " OUTPUT"
            })?;
            for field in &output.fields {
                write!(f, " {field}")?;
            }
        }
        Ok(())
    }
}

impl Display for LookupField {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_lookup_field(f, &self.column)?;
        if let Some(alias) = &self.alias {
            f.write_str(" as ")?;
            write_lookup_field(f, alias)?;
        }
        Ok(())
    }
}

impl Display for Inputlookup {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("inputlookup")?;
        for option in &self.options {
            write!(f, " {option}")?;
        }
        f.write_char(' ')?;
        write_table(f, &self.table)?;
        if let Some(expr) = &self.where_clause {
            write!(f, " where {expr}")?;
        }
        Ok(())
    }
}

impl Display for CommandOption {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name.name, self.value)
    }
}

/// A lookup's table name: bare unless it would read as an option (`name=...`) or hold a
/// list separator. The parser never leaves such a name bare, so parsed trees print as
/// they were written.
fn write_table(f: &mut Formatter<'_>, table: &Value) -> fmt::Result {
    let word = table
        .text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(table.text.len());
    let reads_as_option = word > 0 && table.text[word..].starts_with('=');
    let risky = reads_as_option || table.text.contains(',');
    write_value(f, &table.text, table.quoted || risky, Place::InList)
}

/// A lookup field, quoted when bare it would read as `AS`, `OUTPUT` or `OUTPUTNEW`.
fn write_lookup_field(f: &mut Formatter<'_>, field: &FieldName) -> fmt::Result {
    if is_lookup_keyword(&field.name) {
        return write_quoted(f, &field.name);
    }
    field.fmt(f)
}

fn is_lookup_keyword(text: &str) -> bool {
    ["as", "output", "outputnew", "where"]
        .iter()
        .any(|kw| text.eq_ignore_ascii_case(kw))
}

impl Display for FieldName {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if !self.name.is_empty() && self.name.chars().all(is_field_char) {
            return f.write_str(&self.name);
        }
        write_quoted(f, &self.name)
    }
}

/// Prints as a value after `=` in a comparison or an option.
impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_value(f, &self.text, self.quoted, Place::Option)
    }
}

impl Display for SearchExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        Expr {
            expr: self,
            tstats: false,
        }
        .fmt(f)
    }
}

/// An expression printed in its context: inside a tstats `WHERE`, bare terms that read as
/// clause keywords must be quoted.
struct Expr<'e> {
    expr: &'e SearchExpr,
    tstats: bool,
}

impl Expr<'_> {
    fn child<'c>(&self, expr: &'c SearchExpr) -> Expr<'c> {
        Expr {
            expr,
            tstats: self.tstats,
        }
    }

    /// Writes `expr`, in parentheses when it binds more loosely than `min`.
    fn write_at(&self, f: &mut Formatter<'_>, expr: &SearchExpr, min: u8) -> fmt::Result {
        if level(expr) < min {
            write!(f, "({})", self.child(expr))
        } else {
            self.child(expr).fmt(f)
        }
    }
}

/// Binding strength: `AND` 0, `OR` 1, `NOT` 2, terms and groups 3.
fn level(expr: &SearchExpr) -> u8 {
    match expr {
        SearchExpr::And(..) => 0,
        SearchExpr::Or(..) => 1,
        SearchExpr::Not(..) => 2,
        _ => 3,
    }
}

impl Display for Expr<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.expr {
            SearchExpr::And(l, r, _) => {
                self.write_at(f, l, 0)?;
                f.write_str(" AND ")?;
                self.write_at(f, r, 1)
            }
            SearchExpr::Or(l, r, _) => {
                self.write_at(f, l, 1)?;
                f.write_str(" OR ")?;
                self.write_at(f, r, 2)
            }
            SearchExpr::Not(x, _) => {
                f.write_str("NOT ")?;
                self.write_at(f, x, 2)
            }
            SearchExpr::Group(x, _) => write!(f, "({})", self.child(x)),
            SearchExpr::Compare {
                field, op, value, ..
            } => {
                write!(f, "{field}{}", op.symbol())?;
                if !value.quoted && value.text.starts_with('=') {
                    // `x<` then `=5` must not read as `x<=5`.
                    f.write_char(' ')?;
                }
                write_value(f, &value.text, value.quoted, Place::Option)
            }
            SearchExpr::In { field, values, .. } => {
                write!(f, "{field} IN (")?;
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write_value(f, &value.text, value.quoted, Place::InList)?;
                }
                f.write_char(')')
            }
            SearchExpr::Term(value) => {
                let place = Place::Term {
                    tstats: self.tstats,
                };
                write_value(f, &value.text, value.quoted, place)
            }
            SearchExpr::Subsearch(sub) => write!(f, "{sub}"),
        }
    }
}

/// Where a value is printed, which decides what it may contain unquoted.
#[derive(Clone, Copy)]
enum Place {
    /// After `=` (comparisons and options).
    Option,
    /// Inside `IN ( ... )`, where a comma ends a bare value.
    InList,
    /// A bare search term.
    Term { tstats: bool },
}

fn write_value(f: &mut Formatter<'_>, text: &str, quoted: bool, place: Place) -> fmt::Result {
    if quoted || !bare_is_safe(text, place) {
        return write_quoted(f, text);
    }
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '|') {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    Ok(())
}

fn write_quoted(f: &mut Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if matches!(c, '\\' | '"') {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

/// Whether `text` printed without quotes parses back as the same bare value.
fn bare_is_safe(text: &str, place: Place) -> bool {
    if text.is_empty() || text.contains(char::is_whitespace) || !parens_survive(text) {
        return false;
    }
    match place {
        Place::Option => true,
        Place::InList => !text.contains(','),
        Place::Term { tstats } => term_is_safe(text, tstats),
    }
}

fn term_is_safe(text: &str, tstats: bool) -> bool {
    if text.starts_with('[') || matches!(text, "AND" | "OR" | "NOT") {
        return false;
    }
    // `from` ends a tstats WHERE only before `datamodel`, which the printer never puts
    // right after a term.
    let clause = ["by", "groupby", "where"];
    if tstats && clause.iter().any(|kw| text.eq_ignore_ascii_case(kw)) {
        return false;
    }

    let field_len = text.find(|c: char| !is_field_char(c)).unwrap_or(text.len());
    let after = &text[field_len..];
    field_len == 0 || !(after.starts_with(['=', '<', '>']) || after.starts_with("!="))
}

/// Whether the parentheses in a bare value stay part of it when parsed again: none at the
/// start, and every `(` closed by a later `)`.
fn parens_survive(text: &str) -> bool {
    if text.starts_with(['(', ')']) {
        return false;
    }
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return false,
            ')' => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}
