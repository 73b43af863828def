//! Readers: from files on disk to one [`EventTable`] per data set, plus a [`ReadReport`].
//!
//! Formats are recognized from content, never from file names:
//! * Splunk's `XmlWinEventLog` export, one `<Event>` element per line, UTF-8 with an optional
//!   byte order mark, `\n` or `\r\n` line ends (a file is recognized when its first non-blank
//!   bytes are `<Event`);
//! * Windows EVTX files, recognized by their magic `ElfFile\0` (the private `evtx` module says
//!   how records, record numbers and damage are handled);
//! * JSON events (first non-blank byte `{` or `[`): evtx_dump, NXLog / Winlogbeat / OTRF flat
//!   events and CrowdStrike FDR, described in the private `json` module;
//! * Splunk's classic `WinEventLog` text, alone or mixed with XML lines (the `classic` module);
//! * zip, gzip and tar archives of files in these formats (the private `container` module).
//!
//! XML line handling:
//! * blank lines are ignored and counted in [`ReadReport::blank_lines`];
//! * a line that is not one complete, well-formed `<Event>` element is a [`Skip`], with its
//!   1-based line number and a [`SkipReason`]; nothing is dropped silently;
//! * an event split over several lines is therefore not supported: each piece is a skip.
//!
//! A file with no content, or only blank lines, is read as holding no events. Folders are
//! walked recursively in sorted path order; names starting with `.` are left out of the walk
//! and symbolic links to folders are not followed (an explicitly named path is always read).
//!
//! Files are parsed in parallel, and so are chunks of lines (or EVTX chunks) within a file;
//! results are joined in file and line (or record) order, so the output never depends on
//! scheduling.
//!
//! Not owned here: XML parsing of one event (the private `xml` module) and field mapping
//! ([`crate::normalize`]).

mod chunk;
mod classic;
mod collect;
mod container;
mod evtx;
mod json;
mod report;
mod stream;
mod table;
mod xml;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use report::{ReadError, ReadReport, Skip, SkipReason};
pub use table::EventTable;

use collect::Collector;

/// About how many bytes of a file one parallel task parses.
const CHUNK_BYTES: usize = 512 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Everything a read produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOutput {
    /// One table per data set, keyed by data set name (`"Endpoint.Processes"`). Every data set
    /// the readers can fill is present, possibly with no rows.
    pub tables: BTreeMap<String, EventTable>,
    /// Counts and skipped lines.
    pub report: ReadReport,
}

/// The formats files are recognized in, from their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Splunk's `XmlWinEventLog` export: one `<Event>` element per line.
    XmlLines,
    /// Splunk's classic `WinEventLog` text: multi-line `Key=value` records, possibly mixed
    /// with `XmlWinEventLog` lines (see the `classic` module).
    Classic,
    /// A Windows EVTX file.
    Evtx,
    /// A zip archive; each member is read as a file of its own.
    Zip,
    /// gzip-compressed content of any format, a tar archive included.
    Gzip,
    /// A tar archive; each member is read as a file of its own.
    Tar,
    /// JSON events: JSON lines, concatenated objects or an array (see the `json` module).
    Json,
}

impl Format {
    /// The format of `bytes`, or `None` when no reader knows it. Content that is empty or
    /// only whitespace reads as XML lines: it holds no events in any format.
    fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            return Some(Format::Zip);
        }
        if bytes.starts_with(b"\x1f\x8b") {
            return Some(Format::Gzip);
        }
        if bytes.starts_with(evtx::MAGIC) {
            return Some(Format::Evtx);
        }
        if bytes.get(257..262) == Some(b"ustar") {
            return Some(Format::Tar);
        }
        let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        if classic::sniff(text) {
            return Some(Format::Classic);
        }
        match text.iter().position(|b| !b.is_ascii_whitespace()) {
            None => Some(Format::XmlLines),
            Some(i) if text[i..].starts_with(b"<Event") => Some(Format::XmlLines),
            Some(i) if matches!(text[i], b'{' | b'[') => Some(Format::Json),
            Some(_) => None,
        }
    }
}

/// Reads every file named in `paths`; a folder stands for every file under it.
///
/// Fails on the first path (in the given order) that cannot be read, or that was named
/// itself and is in no known format. A file found in a folder in no known format (a README
/// beside the logs, a format a later version reads) is left out and listed in the report's
/// `skipped_files`; skipped lines are not failures either, they are listed in `skipped`.
pub fn read_paths(paths: &[PathBuf]) -> Result<ReadOutput, ReadError> {
    let files = collect_files(paths)?;
    let results: Vec<Result<Collector, ReadError>> = files
        .par_iter()
        .map(|(path, named)| read_path(path, *named))
        .collect();

    let mut all = Collector::new(Path::new(""));
    for result in results {
        all.absorb(result?);
    }
    Ok(all.into_output())
}

/// Reads one file from disk. A file in no known format is an error when `named`, and
/// otherwise listed in the report's `skipped_files`.
fn read_path(path: &Path, named: bool) -> Result<Collector, ReadError> {
    let mut all = Collector::new(path);
    stream::for_each_block::<ReadError>(path, named, stream::BLOCK_BYTES, &mut |block| {
        all.absorb(block);
        Ok(())
    })?;
    Ok(all)
}

/// Reads the file at `path` block by block (see the `stream` module), handing each block's
/// rows and counts to `each` in file order; see [`read_path`] for `named`.
pub(crate) fn read_blocks<E: From<ReadError>>(
    path: &Path,
    named: bool,
    each: &mut dyn FnMut(ReadOutput) -> Result<(), E>,
) -> Result<(), E> {
    stream::for_each_block(path, named, stream::BLOCK_BYTES, &mut |block| {
        each(block.into_output())
    })
}

/// Reads content in any known format; see [`read_path`] for `named`.
fn read_content(path: &Path, bytes: &[u8], named: bool) -> Result<Collector, ReadError> {
    match read_file(path, bytes) {
        Err(ReadError::UnknownFormat { path }) if !named => {
            let mut skipped = Collector::new(&path);
            skipped.report.skipped_files.push(path);
            Ok(skipped)
        }
        other => other,
    }
}

/// The files under `paths` in read order, each with whether it was named itself.
pub(crate) fn list_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, ReadError> {
    collect_files(paths)
}

/// Reads the content of one file held in memory; `path` only names it in skips and errors.
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<ReadOutput, ReadError> {
    Ok(read_file(path, bytes)?.into_output())
}

fn read_file(path: &Path, bytes: &[u8]) -> Result<Collector, ReadError> {
    let unknown = || ReadError::UnknownFormat {
        path: path.to_path_buf(),
    };
    match Format::sniff(bytes).ok_or_else(unknown)? {
        Format::XmlLines => Ok(read_xml_lines(path, bytes)),
        Format::Classic => Ok(classic::read(path, bytes)),
        Format::Evtx => evtx::read(path, bytes),
        Format::Zip => container::read_zip(path, bytes),
        Format::Gzip => container::read_gzip(path, bytes),
        Format::Tar => container::read_tar(path, bytes),
        Format::Json => Ok(json::read(path, bytes)),
    }
}

fn read_xml_lines(path: &Path, bytes: &[u8]) -> Collector {
    let offset = if bytes.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    let mut file = Collector::new(path);
    file.count_file();
    file.absorb_chunks(&chunk::split(bytes, offset, CHUNK_BYTES), |c| {
        chunk::read(path, bytes, *c)
    });
    file
}

/// The files to read: named files as given, folders expanded in sorted order. Each comes
/// with whether the user named it rather than its folder.
fn collect_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, ReadError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|source| io_error(path, source))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            files.extend(found.into_iter().map(|f| (f, false)));
        } else {
            files.push((path.clone(), true));
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let entries = fs::read_dir(dir).map_err(|source| io_error(dir, source))?;
    let mut children = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| io_error(dir, source))?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            children.push(entry.path());
        }
    }
    children.sort();

    for child in children {
        let own = fs::symlink_metadata(&child).map_err(|source| io_error(&child, source))?;
        if own.is_dir() {
            walk(&child, files)?;
        } else if own.is_file() {
            files.push(child);
        } else if own.file_type().is_symlink() {
            // Links to files are read; links to folders could loop, so they are not followed.
            if fs::metadata(&child).is_ok_and(|m| m.is_file()) {
                files.push(child);
            }
        }
    }
    Ok(())
}

fn io_error(path: &Path, source: std::io::Error) -> ReadError {
    ReadError::Io {
        path: path.to_path_buf(),
        source,
    }
}
