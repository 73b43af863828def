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
         (one <Event> element per line), its classic WinEventLog text, a Windows EVTX file, \
         JSON (evtx_dump, NXLog, Winlogbeat, CrowdStrike FDR) or a zip, gzip or tar archive of them",
        path.display()
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
}

/// Why one line (or EVTX record) was left out. Columns are 1-based byte offsets within the
/// line.
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
    /// Text outside any record of a classic `WinEventLog` file: before the first record, or
    /// after an XML event line. One skip covers the whole run of such lines.
    NotARecord {
        /// The run's first line, shortened, e.g. `text "Exported by..."`.
        found: String,
    },
    /// A classic record's date line is shaped right but names no real time (`02/30/2025`).
    BadDate {
        /// The date line as written.
        value: String,
    },
    /// A line of a classic record's header is not `Key=value`.
    BadHeader {
        /// The number of the offending line, from 1 (the skip itself names the record's
        /// first line).
        line: usize,
        /// The line, shortened.
        found: String,
    },
    /// A classic record ends before its `Message=` line: the file was cut inside a header.
    RecordTruncated,
    /// A classic record has no `EventCode=` in its header.
    MissingEventCode,
    /// A mapped event has no `TimeCreated/@SystemTime`.
    MissingTime,
    /// A mapped event's `TimeCreated/@SystemTime` is not a UTC ISO-8601 time.
    BadTime {
        /// The value as written.
        value: String,
    },
    /// An EVTX record that the `evtx` crate cannot parse or render, or that the file ends
    /// inside.
    BadRecord {
        /// What is wrong, as the crate describes it.
        message: String,
    },
    /// An EVTX chunk that cannot be read as a whole, or that the file ends inside; the skip's
    /// `line` is 0, since no record is known.
    BadChunk {
        /// The chunk's number in the file, from 0.
        chunk: u64,
        /// What is wrong.
        message: String,
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

impl SkipReason {
    /// A short name for the kind of fault, to count skips by: `truncated`, `not UTF-8`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Self::NotUtf8 { .. } => "not UTF-8",
            Self::Truncated => "truncated event",
            Self::NotAnEvent { .. } => "not an event",
            Self::Malformed { .. } => "malformed XML",
            Self::BadEntity { .. } => "bad entity reference",
            Self::TooDeep { .. } => "nested too deep",
            Self::TrailingContent { .. } => "content after the event",
            Self::MissingTime => "no event time",
            Self::BadTime { .. } => "unparsable event time",
            Self::NotARecord { .. } => "not a WinEventLog record",
            Self::BadDate { .. } => "unparsable record date",
            Self::BadHeader { .. } => "malformed record header",
            Self::RecordTruncated => "truncated record",
            Self::MissingEventCode => "record without EventCode",
            Self::BadRecord { .. } => "unreadable EVTX record",
            Self::BadChunk { .. } => "unreadable EVTX chunk",
            Self::BadJson { .. } => "malformed JSON",
            Self::TruncatedJson => "truncated JSON",
            Self::NotAnObject { .. } => "JSON value not an object",
            Self::MissingTimeField { .. } => "no event time",
            Self::BadTimeField { .. } => "unparsable event time",
        }
    }
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
            Self::NotARecord { found } => write!(
                f,
                "expected a WinEventLog record (a date line such as `10/24/2025 02:14:58 PM`) \
                 or an <Event> element, found {found}"
            ),
            Self::BadDate { value } => write!(
                f,
                "WinEventLog record has an impossible date line {value:?}: \
                 expected MM/DD/YYYY hh:mm:ss[.fff] AM|PM"
            ),
            Self::BadHeader { line, found } => write!(
                f,
                "garbled WinEventLog header at line {line}: expected Key=value, found {found}"
            ),
            Self::RecordTruncated => f.write_str(
                "truncated WinEventLog record: expected a Message= line, found the end of the record",
            ),
            Self::MissingEventCode => f.write_str("WinEventLog record has no EventCode= line"),
            Self::MissingTime => f.write_str("event has no TimeCreated SystemTime"),
            Self::BadTime { value } => write!(
                f,
                "unparsable TimeCreated SystemTime {value:?}: expected YYYY-MM-DDTHH:MM:SS[.f]Z"
            ),
            Self::BadRecord { message } => write!(f, "unreadable EVTX record: {message}"),
            Self::BadChunk { chunk, message } => {
                write!(f, "unreadable EVTX chunk {chunk}: {message}")
            }
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
    /// The line number, from 1. For an EVTX file, the record number of its record header, or
    /// 0 for a fault that no record number names (a whole chunk, a record whose header is
    /// damaged).
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
/// Every non-blank line (or EVTX record) is either skipped (a [`Skip`]) or a well-formed
/// event, and every
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

    /// Skipped lines per [`SkipReason::kind`].
    pub fn skips_by_kind(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for skip in &self.skipped {
            *counts.entry(skip.reason.kind()).or_default() += 1;
        }
        counts
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
