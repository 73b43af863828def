//! Splitting a file into line-aligned chunks and reading one chunk.
//!
//! Chunks are parsed in parallel; each knows the number of its first line, so skips carry the
//! right line numbers and concatenating chunk results in order keeps file and line order.

use std::path::Path;

use memchr::{memchr, memchr_iter};

use super::collect::Collector;
use super::xml::parse_line;
use super::SkipReason;
use crate::event::WinEvent;

/// A byte range of the file that starts at a line start and ends after a line feed (or at the
/// end of the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chunk {
    pub start: usize,
    pub end: usize,
    /// Number of the chunk's first line, from 1.
    pub first_line: usize,
}

/// Cuts `bytes[offset..]` into chunks of about `target` bytes, each ending after a line feed.
pub(crate) fn split(bytes: &[u8], offset: usize, target: usize) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut start = offset;
    let mut first_line = 1;
    while start < bytes.len() {
        let soft_end = start.saturating_add(target.max(1)).min(bytes.len());
        let end = match memchr(b'\n', &bytes[soft_end..]) {
            Some(i) if soft_end < bytes.len() => soft_end + i + 1,
            _ => bytes.len(),
        };
        chunks.push(Chunk {
            start,
            end,
            first_line,
        });
        first_line += memchr_iter(b'\n', &bytes[start..end]).count();
        start = end;
    }
    chunks
}

/// Reads every line of `chunk`.
pub(crate) fn read(file: &Path, bytes: &[u8], chunk: Chunk) -> Collector {
    let data = &bytes[chunk.start..chunk.end];
    let mut out = Collector::new(file);
    let mut event = WinEvent::default();
    let mut line_no = chunk.first_line;
    let mut pos = 0;

    // TODO: an event whose values hold raw line feeds spans several lines; each piece is
    // skipped (truncated, then not an event) instead of being joined back into one event.
    while pos < data.len() {
        let line_end = memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
        let raw = &data[pos..line_end];
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.iter().all(u8::is_ascii_whitespace) {
            out.blank();
        } else {
            match parse(line, &mut event) {
                Ok(()) => out.event(line_no, &event),
                Err(reason) => out.skip(line_no, reason),
            }
        }
        line_no += 1;
        pos = line_end + 1;
    }
    out
}

/// Parses one non-blank line (without its line end) into `event`.
fn parse<'a>(line: &'a [u8], event: &mut WinEvent<'a>) -> Result<(), SkipReason> {
    let text = std::str::from_utf8(line).map_err(|e| SkipReason::NotUtf8 {
        column: e.valid_up_to() + 1,
    })?;
    parse_line(text, event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_end_after_line_feeds_and_count_lines() {
        let bytes = b"aaaa\nbb\ncccccc\nd";
        let chunks = split(bytes, 0, 3);
        assert_eq!(
            chunks,
            vec![
                Chunk {
                    start: 0,
                    end: 5,
                    first_line: 1
                },
                Chunk {
                    start: 5,
                    end: 15,
                    first_line: 2
                },
                Chunk {
                    start: 15,
                    end: 16,
                    first_line: 4
                },
            ]
        );
        assert!(split(b"", 0, 3).is_empty());
        assert_eq!(split(b"\xEF\xBB\xBFab\n", 3, 100).len(), 1);
    }

    #[test]
    fn every_line_is_counted_once() {
        let bytes = b"\n \r\n<garbage\n\n";
        let out = read(Path::new("f"), bytes, split(bytes, 0, 1 << 20)[0]);
        assert_eq!(out.report.blank_lines, 3);
        assert_eq!(out.report.skipped.len(), 1);
        assert_eq!(out.report.skipped[0].line, 3);
    }
}
