//! The `earliest=` and `latest=` terms of a search or tstats `WHERE`.
//!
//! Splunk reads these terms as the time range of the search rather than as field
//! comparisons (spl-semantics.md §7). The parser leaves them in the expression and records
//! them in a [`TimeRange`] beside it, so the printer writes them once and the planner can
//! tell them apart. A time term is accepted only where it bounds the whole search: as a
//! top-level conjunct, written with `=`. Anywhere else it is refused as unsupported, since
//! Splunk's reading of `a OR earliest=-1d` is not documented.
//!
//! Resolving the values (`-24h@h`, epoch numbers...) is the engine's job, not this module's.

use super::error::Failure;
use super::lex::Parser;
use crate::ast::{CompareOp, SearchExpr, Span, TimeRange};

/// The field names Splunk reads as time bounds.
const TIME_TERMS: &[&str] = &["earliest", "latest"];

impl Parser<'_> {
    /// The time range written in `expr`, or an error for a time term where it cannot bound
    /// the search.
    pub(crate) fn time_range(&self, expr: Option<&SearchExpr>) -> Result<TimeRange, Failure> {
        let mut range = TimeRange::default();
        let Some(expr) = expr else {
            return Ok(range);
        };

        let mut conjuncts = Vec::new();
        let mut rest = expr;
        while let SearchExpr::And(left, right, _) = rest {
            conjuncts.push(right.as_ref());
            rest = left;
        }
        conjuncts.push(rest);
        conjuncts.reverse();

        for term in conjuncts {
            match term {
                SearchExpr::Compare {
                    field, op, value, ..
                } if TIME_TERMS.contains(&field.name.as_str()) => {
                    if *op != CompareOp::Eq {
                        let construct = format!("the time term `{}{}`", field.name, op.symbol());
                        return Err(self.unsupported_at(field.span, &construct));
                    }
                    let slot = if field.name == "earliest" {
                        &mut range.earliest
                    } else {
                        &mut range.latest
                    };
                    if slot.is_some() {
                        return Err(self.duplicate_at(field.span, &field.name));
                    }
                    *slot = Some(value.clone());
                }
                other => self.no_nested_time_term(other)?,
            }
        }
        Ok(range)
    }

    /// Refuses a time term anywhere inside `expr`.
    fn no_nested_time_term(&self, expr: &SearchExpr) -> Result<(), Failure> {
        match expr {
            SearchExpr::And(l, r, _) | SearchExpr::Or(l, r, _) => {
                self.no_nested_time_term(l)?;
                self.no_nested_time_term(r)
            }
            SearchExpr::Not(x, _) | SearchExpr::Group(x, _) => self.no_nested_time_term(x),
            SearchExpr::Compare { field, .. } | SearchExpr::In { field, .. }
                if TIME_TERMS.contains(&field.name.as_str()) =>
            {
                let construct = format!(
                    "the time term `{}=` inside `OR`, `NOT`, `IN` or parentheses",
                    field.name
                );
                Err(self.unsupported_at(field.span, &construct))
            }
            _ => Ok(()),
        }
    }

    fn unsupported_at(&self, span: Span, construct: &str) -> Failure {
        let at = self.src.get(span.start..).unwrap_or("");
        self.unsupported_error(at, span.end.saturating_sub(span.start), construct)
    }

    fn duplicate_at(&self, span: Span, name: &str) -> Failure {
        let at = self.src.get(span.start..).unwrap_or("");
        self.duplicate_error(at, span.end.saturating_sub(span.start), name)
    }
}
