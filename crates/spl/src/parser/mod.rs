//! The SPL parser: text (comments removed, macros expanded) to a [`Pipeline`].
//!
//! Built on nom 7 over complete input, with the crate's own error type; nom's
//! `convert_error` is never used (it panics on very long lines). The parser never panics and
//! bounds its recursion ([`MAX_NESTING`]).
//!
//! A pipeline is commands separated by `|`. A leading `|` is optional; without it the first
//! command is the implied `search` (an explicit leading `search` word is the same command).
//! Command names ignore case, as in Splunk. Commands this parser does not handle yet are
//! refused with [`ParseErrorKind::Unsupported`] naming them, so that nothing downstream can
//! run a different search than the one written.

mod commands;
mod error;
mod eval;
mod lex;
mod lookup;
mod regex;
mod rows;
mod search;
mod stats;
mod subsearch;
mod time;
mod tstats;

use crate::ast::{Command, Pipeline, Span};
use error::{PError, PResult};
use lex::{word, ws, Parser};

pub use error::{ParseError, ParseErrorKind};
pub use search::{MAX_NESTING, MAX_TREE_DEPTH};

pub(crate) use eval::{identifier_len, is_operator_word};
pub(crate) use lex::is_field_char;

/// Splunk commands that are valid SPL but not handled by this parser yet.
const UNSUPPORTED_COMMANDS: &[&str] = &[
    "abstract",
    "accum",
    "addcoltotals",
    "addinfo",
    "addtotals",
    "analyzefields",
    "anomalies",
    "anomalousvalue",
    "anomalydetection",
    "appendcols",
    "appendpipe",
    "apply",
    "arules",
    "associate",
    "audit",
    "autoregress",
    "bucketdir",
    "chart",
    "cluster",
    "cofilter",
    "collect",
    "concurrency",
    "contingency",
    "correlate",
    "datamodel",
    "dbinspect",
    "delete",
    "delta",
    "diff",
    "erex",
    "eventcount",
    "extract",
    "fieldformat",
    "fieldsummary",
    "filldown",
    "findtypes",
    "fit",
    "folderize",
    "foreach",
    "format",
    "from",
    "gauge",
    "gentimes",
    "geom",
    "geomfilter",
    "geostats",
    "highlight",
    "history",
    "iconify",
    "inputcsv",
    "iplocation",
    "kmeans",
    "kvform",
    "loadjob",
    "localize",
    "localop",
    "makecontinuous",
    "makemv",
    "map",
    "mcollect",
    "metadata",
    "metasearch",
    "meventcollect",
    "mpreview",
    "msearch",
    "mstats",
    "multikv",
    "multisearch",
    "mvcombine",
    "nomv",
    "outlier",
    "outputcsv",
    "outputlookup",
    "outputtext",
    "overlap",
    "pivot",
    "predict",
    "rangemap",
    "rare",
    "redistribute",
    "reltime",
    "require",
    "rest",
    "return",
    "reverse",
    "rtorder",
    "savedsearch",
    "script",
    "scrub",
    "searchtxn",
    "selfjoin",
    "sendemail",
    "set",
    "setfields",
    "sichart",
    "sirare",
    "sistats",
    "sitimechart",
    "sitop",
    "spath",
    "strcat",
    "streamstats",
    "summary",
    "tags",
    "tail",
    "timechart",
    "timewrap",
    "tojson",
    "top",
    "transaction",
    "transpose",
    "trendline",
    "tscollect",
    "typeahead",
    "typelearner",
    "typer",
    "union",
    "uniq",
    "untable",
    "walklex",
    "x11",
    "xmlkv",
    "xmlunescape",
    "xpath",
    "xyseries",
    "summarize",
];

/// Parses a whole search. The text must already be free of comments and macro calls (see
/// [`crate::prepare`]); spans in the result and in errors are byte offsets into `text`.
pub fn parse(text: &str) -> Result<Pipeline, ParseError> {
    let parser = Parser {
        src: text,
        depth: 0,
    };
    match parser.pipeline(text) {
        Ok((_, pipeline)) => Ok(pipeline),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(parser.to_parse_error(e)),
        Err(nom::Err::Incomplete(_)) => {
            let span = Span::new(text.len(), text.len());
            let kind = ParseErrorKind::Expected {
                expected: "more input".to_string(),
                found: "end of query".to_string(),
            };
            Err(ParseError::new(kind, span))
        }
    }
}

impl<'a> Parser<'a> {
    fn to_parse_error(&self, e: PError) -> ParseError {
        let start = self.src.len().saturating_sub(e.rest_len);
        let end = (start + e.len).min(self.src.len());
        let span = Span::new(start, end);
        let kind = e.kind.unwrap_or_else(|| {
            let (found, _) = lex::describe(&self.src[start..]);
            ParseErrorKind::Expected {
                expected: "valid SPL".to_string(),
                found,
            }
        });
        ParseError::new(kind, span)
    }

    fn pipeline(&self, i: &'a str) -> PResult<'a, Pipeline> {
        let start = ws(i);
        let (mut i, implied) = match start.strip_prefix('|') {
            Some(rest) => (rest, false),
            None => (start, true),
        };
        if implied && start.is_empty() {
            return self.expected(start, "a search");
        }

        let mut commands = Vec::new();
        loop {
            let (rest, command) = if implied && commands.is_empty() {
                self.implied_search(i)?
            } else {
                self.command(i)?
            };
            commands.push(command);

            let j = ws(rest);
            if j.is_empty() {
                i = rest;
                break;
            }
            match j.strip_prefix('|') {
                Some(next) => i = next,
                None => return self.expected(j, "`|` or end of query"),
            }
        }

        let end = commands.last().map_or(0, |c| c.span().end);
        let span = Span::new(self.offset(start), end);
        Ok((i, Pipeline { commands, span }))
    }

    /// The first command of a pipeline written without a leading `|`.
    fn implied_search(&self, i: &'a str) -> PResult<'a, Command> {
        if let Some((_, name)) = word(i) {
            if name.eq_ignore_ascii_case("search") && lex::keyword(i, name, true).is_some() {
                return self.command(i);
            }
        }
        let (rest, search) = self.search_command(i, i)?;
        Ok((rest, Command::Search(search)))
    }

    /// One command, starting with its name.
    fn command(&self, i: &'a str) -> PResult<'a, Command> {
        let at = ws(i);
        if at.starts_with('[') {
            return self.unsupported(at, 1, "subsearch");
        }
        let Some((after, name)) = word(at) else {
            return self.expected(at, "a command name");
        };
        if after.starts_with(|c: char| lex::is_field_char(c) || c == '=') {
            return self.expected(at, "a command name");
        }

        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "tstats" => self.tstats(at, after).map(|(r, c)| (r, Command::Tstats(c))),
            "search" => self
                .search_command(at, after)
                .map(|(r, c)| (r, Command::Search(c))),
            "rename" => self.rename(at, after).map(|(r, c)| (r, Command::Rename(c))),
            "convert" => self
                .convert(at, after)
                .map(|(r, c)| (r, Command::Convert(c))),
            "table" => self.table(at, after).map(|(r, c)| (r, Command::Table(c))),
            "fields" => self.fields(at, after).map(|(r, c)| (r, Command::Fields(c))),
            "join" => self.join(at, after).map(|(r, c)| (r, Command::Join(c))),
            "append" => self.append(at, after).map(|(r, c)| (r, Command::Append(c))),
            "dedup" => self.dedup(at, after).map(|(r, c)| (r, Command::Dedup(c))),
            "sort" => self.sort(at, after).map(|(r, c)| (r, Command::Sort(c))),
            "head" => self.head(at, after).map(|(r, c)| (r, Command::Head(c))),
            "fillnull" => self
                .fillnull(at, after)
                .map(|(r, c)| (r, Command::Fillnull(c))),
            "mvexpand" => self
                .mvexpand(at, after)
                .map(|(r, c)| (r, Command::Mvexpand(c))),
            "bin" | "bucket" => self
                .bin(at, after, lower == "bucket")
                .map(|(r, c)| (r, Command::Bin(c))),
            "makeresults" => self
                .makeresults(at, after)
                .map(|(r, c)| (r, Command::Makeresults(c))),
            "regex" => self.regex(at, after).map(|(r, c)| (r, Command::Regex(c))),
            "rex" => self.rex(at, after).map(|(r, c)| (r, Command::Rex(c))),
            "eval" => self.eval(at, after).map(|(r, c)| (r, Command::Eval(c))),
            "where" => self
                .where_command(at, after)
                .map(|(r, c)| (r, Command::Where(c))),
            "stats" => self
                .stats(at, after, false)
                .map(|(r, c)| (r, Command::Stats(c))),
            "eventstats" => self
                .stats(at, after, true)
                .map(|(r, c)| (r, Command::Stats(c))),
            "lookup" => self.lookup(at, after).map(|(r, c)| (r, Command::Lookup(c))),
            "inputlookup" => self
                .inputlookup(at, after)
                .map(|(r, c)| (r, Command::Inputlookup(c))),
            known if UNSUPPORTED_COMMANDS.contains(&known) => {
                self.unsupported(at, name.len(), &format!("command `{lower}`"))
            }
            _ => {
                let kind = ParseErrorKind::UnknownCommand {
                    name: name.to_string(),
                };
                self.fail(at, name.len(), kind)
            }
        }
    }
}
