//! Big plain files read block by block, so memory stays bounded by the block, not the file.
//!
//! A file larger than [`BLOCK_BYTES`] in a line-oriented format (XML lines, JSON lines, classic
//! `WinEventLog` text) is read in blocks that end at a line end (XML and JSON lines) or just
//! before a record starts (classic text). The format is decided once, from the first block,
//! and each block is read as that format, in parallel chunks as usual; skips keep their line
//! numbers in the whole file. Every other file (EVTX, archives, pretty-printed JSON, small
//! files) is read whole.
//!
//! A file that starts as XML lines and only later holds classic records is read as XML lines
//! when it is streamed, so those records are counted skips (a file read whole is scanned for
//! them first; see the `classic` module).
//!
//! TODO: EVTX files and archive members are still read whole into memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use memchr::{memchr_iter, memrchr};

use super::collect::Collector;
use super::{classic, io_error, json, read_content, read_xml_lines, Format, ReadError, UTF8_BOM};

/// Size of one block of a streamed file.
pub(crate) const BLOCK_BYTES: usize = 64 << 20;

/// How much of a file decides whether it is streamed.
const HEAD_BYTES: usize = 64 << 10;

/// How a streamed file is cut and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    XmlLines,
    JsonLines,
    Classic,
}

/// Reads the file at `path` and hands what each block gave to `each`, in file order: one
/// collector for a file read whole, several for a streamed one. `named` is as for
/// `read_path`: whether an unknown format is an error or a skipped file.
pub(crate) fn for_each_block<E: From<ReadError>>(
    path: &Path,
    named: bool,
    block_bytes: usize,
    each: &mut dyn FnMut(Collector) -> Result<(), E>,
) -> Result<(), E> {
    let mut file = File::open(path).map_err(|e| io_error(path, e))?;
    let size = file.metadata().map_err(|e| io_error(path, e))?.len();
    let kind = if size as usize > block_bytes {
        let mut head = Vec::with_capacity(HEAD_BYTES);
        (&mut file)
            .take(HEAD_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(|e| io_error(path, e))?;
        let kind = streamed_kind(&head);
        let mut rest = Vec::new();
        if kind.is_none() {
            file.read_to_end(&mut rest).map_err(|e| io_error(path, e))?;
            head.append(&mut rest);
            return each(read_content(path, &head, named)?);
        }
        (kind, head)
    } else {
        (None, Vec::new())
    };
    match kind {
        (None, _) => {
            let mut bytes = Vec::with_capacity(size as usize);
            file.read_to_end(&mut bytes)
                .map_err(|e| io_error(path, e))?;
            each(read_content(path, &bytes, named)?)
        }
        (Some(kind), head) => stream(path, file, kind, head, block_bytes, each),
    }
}

/// Whether a file starting with `head` can be streamed, and how.
fn streamed_kind(head: &[u8]) -> Option<Kind> {
    let text = head.strip_prefix(UTF8_BOM).unwrap_or(head);
    match Format::sniff(head)? {
        Format::XmlLines => Some(Kind::XmlLines),
        Format::Classic => Some(Kind::Classic),
        Format::Json if json::is_json_lines(text) => Some(Kind::JsonLines),
        _ => None,
    }
}

fn stream<E: From<ReadError>>(
    path: &Path,
    mut file: File,
    kind: Kind,
    mut carry: Vec<u8>,
    block_bytes: usize,
    each: &mut dyn FnMut(Collector) -> Result<(), E>,
) -> Result<(), E> {
    let mut lines_before = 0;
    let mut first = true;
    let mut at_end = false;
    loop {
        let mut block = std::mem::take(&mut carry);
        if !at_end && block.len() < block_bytes {
            let wanted = block_bytes - block.len();
            at_end = read_more(path, &mut file, &mut block, wanted)?;
        }
        if block.is_empty() {
            return Ok(());
        }
        let cut = if at_end && block.len() <= block_bytes {
            block.len()
        } else {
            let within = &block[..block.len().min(block_bytes)];
            match last_boundary(within, kind).or_else(|| last_boundary(&block, kind)) {
                Some(cut) => cut,
                None if at_end => block.len(),
                // No boundary at all: one line or record longer than a block. Read on until
                // one ends.
                None => {
                    at_end = read_more(path, &mut file, &mut block, block_bytes)?;
                    carry = block;
                    continue;
                }
            }
        };
        carry = block.split_off(cut);

        let mut out = match kind {
            Kind::XmlLines => read_xml_lines(path, &block),
            Kind::JsonLines => json::read(path, &block),
            Kind::Classic => classic::read(path, &block),
        };
        out.shift_lines(lines_before);
        if !first {
            out.report.files = 0;
        }
        lines_before += memchr_iter(b'\n', &block).count();
        first = false;
        drop(block);
        each(out)?;
    }
}

/// Appends up to `wanted` more bytes of `file` to `block`; whether the file has ended.
fn read_more(
    path: &Path,
    file: &mut File,
    block: &mut Vec<u8>,
    wanted: usize,
) -> Result<bool, ReadError> {
    let got = file
        .take(wanted as u64)
        .read_to_end(block)
        .map_err(|e| io_error(path, e))?;
    Ok(got < wanted)
}

/// Where to end a block: after its last line end, or (classic text) before the last line that
/// starts a record. `None` when the block has no such place (besides its start).
fn last_boundary(block: &[u8], kind: Kind) -> Option<usize> {
    let after_last_newline = memrchr(b'\n', block)? + 1;
    match kind {
        Kind::XmlLines | Kind::JsonLines => Some(after_last_newline),
        Kind::Classic => {
            let mut end = after_last_newline;
            // Walk back line by line to the start of the last record or XML event.
            while end > 0 {
                let start = memrchr(b'\n', &block[..end - 1]).map_or(0, |i| i + 1);
                if start > 0 && classic::starts_record(&block[start..end]) {
                    return Some(start);
                }
                if start == 0 {
                    return None;
                }
                end = start;
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\
        <System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID>\
        <TimeCreated SystemTime='2024-01-01T00:00:00.000Z'/>\
        <Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>pc</Computer>\
        </System><EventData><Data Name='Image'>C:\\a.exe</Data></EventData></Event>\n";

    fn blocks_of(content: &str, block: usize) -> (Collector, usize) {
        let dir = std::env::temp_dir().join(format!("spelunk-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("f-{}.log", content.len()));
        std::fs::write(&path, content).unwrap();
        let mut all = Collector::new(&path);
        let mut blocks = 0;
        for_each_block::<ReadError>(&path, true, block, &mut |c| {
            blocks += 1;
            all.absorb(c);
            Ok(())
        })
        .unwrap();
        (all, blocks)
    }

    #[test]
    fn a_streamed_file_reads_as_the_whole_file_does_with_its_line_numbers() {
        let content = format!("{LINE}{LINE}<Event broken\n{LINE}\n{LINE}{LINE}<bad\n");
        let (whole, one) = blocks_of(&content, 1 << 20);
        let (streamed, many) = blocks_of(&content, 700);
        assert_eq!(one, 1);
        assert!(many >= 3, "{many} blocks");
        let (whole, streamed) = (whole.into_output(), streamed.into_output());
        assert_eq!(streamed.report, whole.report);
        assert_eq!(streamed.tables, whole.tables);
        let lines: Vec<usize> = streamed.report.skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![3, 8]);
        assert_eq!(streamed.report.files, 1);
    }

    #[test]
    fn a_line_longer_than_a_block_is_read_whole() {
        let content = format!("{LINE}{LINE}");
        let (streamed, _) = blocks_of(&content, 100);
        assert_eq!(streamed.into_output().report.mapped_total(), 2);
    }
}
