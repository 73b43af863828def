//! Canonical printing of the table commands: `join`, `append`, `dedup`, `sort`, `head`,
//! `fillnull`, `mvexpand`, `bin`, `makeresults`, `regex` and `rex`.
//!
//! Options print as `name=value` in a fixed order, booleans as `true`/`false`, and a
//! subsearch as `[` followed by its pipeline in canonical form and `]`.

use std::fmt::{self, Display, Formatter};

use crate::ast::{
    Append, Bin, Dedup, Fillnull, Head, Join, Makeresults, Mvexpand, Regex, Rex, Sort, SortKey,
    Subsearch,
};

impl Display for Subsearch {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.pipeline)
    }
}

impl Display for Join {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("join")?;
        if let Some(t) = self.join_type {
            write!(f, " type={}", t.name())?;
        }
        if let Some(max) = self.max {
            write!(f, " max={max}")?;
        }
        if let Some(overwrite) = self.overwrite {
            write!(f, " overwrite={overwrite}")?;
        }
        for field in &self.fields {
            write!(f, " {field}")?;
        }
        write!(f, " {}", self.subsearch)
    }
}

impl Display for Append {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "append {}", self.subsearch)
    }
}

impl Display for Dedup {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("dedup")?;
        if let Some(count) = self.count {
            write!(f, " {count}")?;
        }
        for field in &self.fields {
            write!(f, " {field}")?;
        }
        if let Some(keepempty) = self.keepempty {
            write!(f, " keepempty={keepempty}")?;
        }
        if let Some(consecutive) = self.consecutive {
            write!(f, " consecutive={consecutive}")?;
        }
        if !self.sortby.is_empty() {
            f.write_str(" sortby")?;
            for key in &self.sortby {
                write!(f, " {key}")?;
            }
        }
        Ok(())
    }
}

impl Display for Sort {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("sort")?;
        if let Some(limit) = self.limit {
            write!(f, " {limit}")?;
        }
        for key in &self.keys {
            write!(f, " {key}")?;
        }
        if self.reverse {
            f.write_str(" d")?;
        }
        Ok(())
    }
}

impl Display for SortKey {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.descending {
            f.write_str("-")?;
        }
        match self.kind.name() {
            Some(function) => write!(f, "{function}({})", self.field),
            None => self.field.fmt(f),
        }
    }
}

impl Display for Head {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("head")?;
        if let Some(limit) = self.limit {
            write!(f, " {limit}")?;
        }
        Ok(())
    }
}

impl Display for Fillnull {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("fillnull")?;
        if let Some(value) = &self.value {
            write!(f, " value={value}")?;
        }
        for field in &self.fields {
            write!(f, " {field}")?;
        }
        Ok(())
    }
}

impl Display for Mvexpand {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "mvexpand {}", self.field)?;
        if let Some(limit) = self.limit {
            write!(f, " limit={limit}")?;
        }
        Ok(())
    }
}

impl Display for Bin {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(if self.written_bucket { "bucket" } else { "bin" })?;
        if let Some(span) = &self.span_option {
            write!(f, " span={span}")?;
        }
        write!(f, " {}", self.field)?;
        if let Some(alias) = &self.alias {
            write!(f, " as {alias}")?;
        }
        Ok(())
    }
}

impl Display for Makeresults {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("makeresults")?;
        if let Some(count) = self.count {
            write!(f, " count={count}")?;
        }
        Ok(())
    }
}

impl Display for Regex {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("regex ")?;
        if let Some(field) = &self.field {
            let op = if self.negated { "!=" } else { "=" };
            write!(f, "{field}{op}")?;
        }
        self.pattern.fmt(f)
    }
}

impl Display for Rex {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("rex")?;
        if let Some(field) = &self.field {
            write!(f, " field={field}")?;
        }
        if let Some(max_match) = self.max_match {
            write!(f, " max_match={max_match}")?;
        }
        if self.sed {
            f.write_str(" mode=sed")?;
        }
        write!(f, " {}", self.pattern)
    }
}
