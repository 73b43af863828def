//! JSON event files: content whose first non-blank byte (after an optional UTF-8 byte order
//! mark) is `{` or `[`.
//!
//! Layouts, told apart from the first non-blank line:
//! * **JSON lines**: the first non-blank line starts with `{` or `[` and ends with `}` or `]`.
//!   Each line holds one object (or one array of objects); line-aligned chunks of the file are
//!   read in parallel. A line that does not parse is a skip naming the line and the column.
//! * **A stream**: anything else, read in one pass: objects concatenated (pretty-printed
//!   evtx_dump output, one `{` per event at the start of a line), or a top-level array of
//!   objects. A value that does not parse is a skip naming the line it starts on, with the
//!   line and column of the fault in its reason; reading resumes at the next line that starts
//!   with `{` (in an array, after indentation or a comma too).
//!
//! Either way, a value that is not an object is a skip ([`SkipReason::NotAnObject`]), the
//! input ending inside a value is [`SkipReason::TruncatedJson`], and whitespace-only lines
//! between values count as blank lines.
//!
//! Each object's shape is recognized on its own (see the submodules):
//! * `{"Event":{..}}` (or `{"System":{..},..}`): the evtx_dump rendering of an event's XML;
//! * an `event_simpleName` string member: a CrowdStrike FDR event;
//! * anything else: a flat event (NXLog, OTRF/HELK, flattened Winlogbeat). An object with none
//!   of the keys is an event without provider, so it is unmapped, not skipped.
//!
//! Not owned here: the JSON grammar (serde_json), field mapping ([`crate::normalize`]).

mod evtx_dump;
mod falcon;
mod flat;
mod time;
mod value;

use std::path::Path;

use memchr::{memchr, memchr_iter};
use serde::Deserialize;

use super::chunk::{self, Chunk};
use super::collect::Collector;
use super::{SkipReason, CHUNK_BYTES, UTF8_BOM};
use crate::event::WinEvent;
use value::Json;

/// Reads a JSON file held in memory.
pub(crate) fn read(path: &Path, bytes: &[u8]) -> Collector {
    let offset = if bytes.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    let mut file = Collector::new(path);
    file.count_file();
    if is_json_lines(&bytes[offset..]) {
        file.absorb_chunks(&chunk::split(bytes, offset, CHUNK_BYTES), |c| {
            read_lines(path, bytes, *c)
        });
    } else {
        let text = &bytes[offset..];
        Stream::new(text, &mut file).run();
    }
    file
}

/// Whether the first non-blank line holds a whole value, as in JSON lines.
pub(crate) fn is_json_lines(text: &[u8]) -> bool {
    let first = text
        .split(|&b| b == b'\n')
        .map(|line| line.trim_ascii())
        .find(|line| !line.is_empty());
    match first {
        Some([open, .., close]) => matches!((open, close), (b'{', b'}') | (b'[', b']')),
        _ => false,
    }
}

/// Reads every line of `chunk` as one JSON value.
fn read_lines(path: &Path, bytes: &[u8], chunk: Chunk) -> Collector {
    let data = &bytes[chunk.start..chunk.end];
    let mut out = Collector::new(path);
    let mut event = WinEvent::default();
    let mut line_no = chunk.first_line;
    let mut pos = 0;
    while pos < data.len() {
        let line_end = memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
        let raw = &data[pos..line_end];
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.iter().all(u8::is_ascii_whitespace) {
            out.blank();
        } else {
            match parse_whole(line) {
                Ok(value) => take_value(value, line_no, &mut event, &mut out),
                Err(e) => out.skip(line_no, reason(&e, line_no, 0)),
            }
        }
        line_no += 1;
        pos = line_end + 1;
    }
    out
}

/// One JSON value filling all of `line` but surrounding whitespace.
fn parse_whole(line: &[u8]) -> Result<Json<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(line);
    let value = Json::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Hands a top-level value found at `line` to the collector: an object is one event, an
/// array one event per element.
fn take_value<'a>(value: Json<'a>, line: usize, event: &mut WinEvent<'a>, out: &mut Collector) {
    match value {
        Json::Array(items) => {
            for item in items {
                take_object(item, line, event, out);
            }
        }
        other => take_object(other, line, event, out),
    }
}

/// An event from an object; any other value is a skip.
fn take_object<'a>(value: Json<'a>, line: usize, event: &mut WinEvent<'a>, out: &mut Collector) {
    if !matches!(value, Json::Object(_)) {
        out.skip(
            line,
            SkipReason::NotAnObject {
                found: value.kind(),
            },
        );
        return;
    }
    event.clear();
    read_event(value, event);
    out.event(line, event);
}

/// Reads one object, of whichever shape it is, into a cleared `event`.
fn read_event<'a>(object: Json<'a>, event: &mut WinEvent<'a>) {
    let is_evtx_dump = matches!(object.get("Event"), Some(Json::Object(_)))
        || matches!(object.get("System"), Some(Json::Object(_)));
    match object {
        _ if is_evtx_dump => evtx_dump::read(object, event),
        Json::Object(members) if falcon::is_falcon(&members) => falcon::read(members, event),
        Json::Object(members) => flat::read(members, event),
        _ => {}
    }
}

/// The skip reason for a parse error. serde_json counts lines from the start of what it was
/// given: `first_line` is that line's number, `first_column` the column it started at less one.
fn reason(e: &serde_json::Error, first_line: usize, first_column: usize) -> SkipReason {
    if e.classify() == serde_json::error::Category::Eof {
        return SkipReason::TruncatedJson;
    }
    let column = if e.line() <= 1 {
        first_column + e.column()
    } else {
        e.column()
    };
    let text = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    SkipReason::BadJson {
        line: first_line + e.line().saturating_sub(1),
        column,
        message: text.strip_suffix(&position).unwrap_or(&text).to_owned(),
    }
}

/// A single pass over concatenated values or a top-level array, tracking line numbers.
struct Stream<'a, 'o> {
    text: &'a [u8],
    out: &'o mut Collector,
    event: WinEvent<'a>,
    pos: usize,
    /// Number of the line holding `pos`, from 1.
    line: usize,
    /// Where that line starts.
    line_start: usize,
    /// Whether something other than whitespace was read on that line.
    line_used: bool,
    /// The line of the `[` of the array being read, if any.
    array: Option<usize>,
}

impl<'a, 'o> Stream<'a, 'o> {
    fn new(text: &'a [u8], out: &'o mut Collector) -> Self {
        Stream {
            text,
            out,
            event: WinEvent::default(),
            pos: 0,
            line: 1,
            line_start: 0,
            line_used: false,
            array: None,
        }
    }

    fn run(mut self) {
        while self.skip_whitespace() {
            let byte = self.text[self.pos];
            match (self.array, byte) {
                (None, b'[') => {
                    self.array = Some(self.line);
                    self.consume(1);
                }
                (Some(_), b']') => {
                    self.array = None;
                    self.consume(1);
                }
                (Some(_), b',') => self.consume(1),
                _ => self.value(),
            }
        }
        if let Some(line) = self.array {
            self.out.skip(line, SkipReason::TruncatedJson);
        }
    }

    /// Moves past whitespace, counting blank lines; false at the end of the text.
    fn skip_whitespace(&mut self) -> bool {
        while let Some(&b) = self.text.get(self.pos) {
            match b {
                b'\n' => {
                    if !self.line_used {
                        self.out.blank();
                    }
                    self.pos += 1;
                    self.new_line();
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                _ => return true,
            }
        }
        if !self.line_used && self.pos > self.line_start {
            self.out.blank();
        }
        false
    }

    fn new_line(&mut self) {
        self.line += 1;
        self.line_start = self.pos;
        self.line_used = false;
    }

    /// Moves past `len` bytes of one line.
    fn consume(&mut self, len: usize) {
        self.pos += len;
        self.line_used = true;
    }

    /// Reads the value at `pos`, or skips it and resumes after it.
    fn value(&mut self) {
        let start_line = self.line;
        let start_column = self.pos - self.line_start;
        let mut values =
            serde_json::Deserializer::from_slice(&self.text[self.pos..]).into_iter::<Json<'a>>();
        match values.next() {
            Some(Ok(value)) => {
                let end = self.pos + values.byte_offset();
                self.advance_to(end);
                let Stream { event, out, .. } = self;
                take_object(value, start_line, event, out);
            }
            Some(Err(e)) => {
                self.out
                    .skip(start_line, reason(&e, start_line, start_column));
                self.resync();
            }
            None => self.advance_to(self.text.len()),
        }
    }

    /// Moves to `end`, within or past the value just read, counting its lines.
    fn advance_to(&mut self, end: usize) {
        let span = &self.text[self.pos..end];
        if let Some(last) = memchr::memrchr(b'\n', span) {
            self.line += memchr_iter(b'\n', span).count();
            self.line_start = self.pos + last + 1;
        }
        self.pos = end;
        self.line_used = true;
    }

    /// Moves to the next line after the current one where a value can start: one beginning
    /// with `{` (in an array, after indentation and a separating comma too), or to the end
    /// of the text.
    fn resync(&mut self) {
        let in_array = self.array.is_some();
        let mut from = self.pos;
        while let Some(i) = memchr(b'\n', &self.text[from..]) {
            let next = from + i + 1;
            let rest = &self.text[next..];
            let indent = if in_array {
                rest.iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b','))
                    .count()
            } else {
                0
            };
            if rest.get(indent) == Some(&b'{') {
                self.line += memchr_iter(b'\n', &self.text[self.pos..next]).count();
                self.pos = next;
                self.line_start = next;
                self.line_used = false;
                return;
            }
            from = next;
        }
        // Nothing to resume at: whatever follows belongs to the broken value.
        self.pos = self.text.len();
        self.line_start = self.pos;
        self.line_used = true;
        self.array = None;
    }
}

#[cfg(test)]
mod tests;
