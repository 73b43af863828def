//! What a read did: counts, skipped lines with their reasons, and the errors that stop a read.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// A fault that stops reading: nothing is returned when one happens.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A file or folder could not be opened or read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A file's content is in a known format but cannot be read as a whole: a corrupt archive,
    /// an EVTX file whose header is damaged.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file (or archive member, as `ARCHIVE!MEMBER`).
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A file's content is in no format this crate reads.
    #[error(
        "{}: unknown log format; expected Splunk's XmlWinEventLog export \
         (one <Event> element per line) or JSON events",
        path.display()
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
}

/// Why one line was left out. Columns are 1-based byte offsets within the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The line is not valid UTF-8.
    NotUtf8 {
        /// Where the first invalid byte is.
        column: usize,
    },
    /// The line ends before the `<Event>` element is closed.
    Truncated,
    /// The line does not start with an `<Event>` element.
    NotAnEvent {
        /// What was found instead, e.g. `<Foo>` or `text "garbage"`.
        found: String,
    },
    /// The XML is not well-formed.
    Malformed {
        /// Where the parser stopped.
        column: usize,
        /// The XML parser's description.
        message: String,
    },
    /// An entity reference other than the five predefined and numeric ones, or a numeric
    /// reference to a character that does not exist.
    BadEntity {
        /// Where the element holding it starts.
        column: usize,
        /// The reference as written (`&name;`), or the raw attribute value holding it.
        entity: String,
    },
    /// Elements nest deeper than the parser accepts.
    TooDeep {
        /// Where the element over the limit starts.
        column: usize,
        /// The nesting limit.
        limit: usize,
    },
    /// Something other than whitespace follows `</Event>` on the line.
    TrailingContent {
        /// Where it starts.
        column: usize,
    },
    /// A mapped event has no `TimeCreated/@SystemTime`.
    MissingTime,
    /// A mapped event's `TimeCreated/@SystemTime` is not a UTC ISO-8601 time.
    BadTime {
        /// The value as written.
        value: String,
    },
    /// A JSON value is not well-formed. The skip names the line the value starts on; `line`
    /// and `column` locate the fault, which in a value spread over lines can be further down.
    BadJson {
        /// The line of the fault, from 1.
        line: usize,
        /// Where on that line.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// The input ends inside a JSON value: a truncated object, or an array never closed.
    TruncatedJson,
    /// A JSON value where an event object was expected is not an object.
    NotAnObject {
        /// What it is instead: `an array`, `a string`, `a number`, `a boolean`, `null`.
        found: &'static str,
    },
    /// A mapped event lacks the field its normalizer reads the time from (CrowdStrike's
    /// `timestamp`).
    MissingTimeField {
        /// The field.
        field: &'static str,
    },
    /// A mapped event's time field cannot be read.
    BadTimeField {
        /// The field.
        field: &'static str,
        /// Its value as written.
        value: String,
        /// The form the normalizer reads.
        expected: &'static str,
    },
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotUtf8 { column } => write!(f, "invalid UTF-8 at column {column}"),
            Self::Truncated => {
                f.write_str("truncated XML event: expected </Event>, found end of line")
            }
            Self::NotAnEvent { found } => write!(f, "expected an <Event> element, found {found}"),
            Self::Malformed { column, message } => {
                write!(f, "malformed XML at column {column}: {message}")
            }
            Self::BadEntity { column, entity } => write!(
                f,
                "unknown entity or character reference in `{entity}` at column {column}"
            ),
            Self::TooDeep { column, limit } => write!(
                f,
                "elements nest deeper than {limit} levels at column {column}"
            ),
            Self::TrailingContent { column } => {
                write!(f, "unexpected content after </Event> at column {column}")
            }
            Self::MissingTime => f.write_str("event has no TimeCreated SystemTime"),
            Self::BadTime { value } => write!(
                f,
                "unparsable TimeCreated SystemTime {value:?}: expected YYYY-MM-DDTHH:MM:SS[.f]Z"
            ),
            Self::BadJson {
                line,
                column,
                message,
            } => write!(
                f,
                "malformed JSON at line {line}, column {column}: {message}"
            ),
            Self::TruncatedJson => f.write_str("truncated JSON: the input ends inside a value"),
            Self::NotAnObject { found } => {
                write!(f, "expected a JSON object for an event, found {found}")
            }
            Self::MissingTimeField { field } => write!(f, "event has no {field} field"),
            Self::BadTimeField {
                field,
                value,
                expected,
            } => write!(f, "unparsable {field} {value:?}: expected {expected}"),
        }
    }
}

/// A line left out of the tables, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The file.
    pub file: PathBuf,
    /// The line number, from 1.
    pub line: usize,
    /// Why.
    pub reason: SkipReason,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.reason)
    }
}

/// Counts of one read.
///
/// Every non-blank line is either skipped (a [`Skip`]) or a well-formed event, and every
/// well-formed event is mapped, unmapped, or skipped by the normalizer (an unusable time):
/// `events == sum(mapped) + unmapped + time skips`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// Files read.
    pub files: usize,
    /// Well-formed events parsed.
    pub events: usize,
    /// Empty or whitespace-only lines, ignored.
    pub blank_lines: usize,
    /// Rows produced, per (`source` field value, data set name).
    pub mapped: BTreeMap<(String, String), usize>,
    /// Well-formed events that no normalizer claims.
    pub unmapped: usize,
    /// Lines left out, in file and line order.
    pub skipped: Vec<Skip>,
    /// Files found in a folder that are in no format this version reads, left out.
    pub skipped_files: Vec<PathBuf>,
}

impl ReadReport {
    /// `Endpoint.Processes` rows per `source`.
    pub fn processes_by_source(&self) -> BTreeMap<&str, usize> {
        self.rows_by_source("Endpoint.Processes")
    }

    /// Rows of data set `dataset` per `source`.
    pub fn rows_by_source(&self, dataset: &str) -> BTreeMap<&str, usize> {
        self.mapped
            .iter()
            .filter(|((_, d), _)| d == dataset)
            .map(|((s, _), n)| (s.as_str(), *n))
            .collect()
    }

    /// Rows produced over all data sets.
    pub fn mapped_total(&self) -> usize {
        self.mapped.values().sum()
    }

    /// Adds `other`'s counts to these; `other`'s skips come after.
    pub(crate) fn absorb(&mut self, other: ReadReport) {
        self.files += other.files;
        self.events += other.events;
        self.blank_lines += other.blank_lines;
        self.unmapped += other.unmapped;
        for (key, n) in other.mapped {
            *self.mapped.entry(key).or_default() += n;
        }
        self.skipped.extend(other.skipped);
        self.skipped_files.extend(other.skipped_files);
    }
}
