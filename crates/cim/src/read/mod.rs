//! Readers: from files on disk to one [`EventTable`] per data set, plus a [`ReadReport`].
//!
//! Formats are recognized from content, never from file names. Today there is one: Splunk's
//! `XmlWinEventLog` export, one `<Event>` element per line, UTF-8 with an optional byte order
//! mark, `\n` or `\r\n` line ends (a file is recognized when its first non-blank bytes are
//! `<Event`). Line handling:
//! * blank lines are ignored and counted in [`ReadReport::blank_lines`];
//! * a line that is not one complete, well-formed `<Event>` element is a [`Skip`], with its
//!   1-based line number and a [`SkipReason`]; nothing is dropped silently;
//! * an event split over several lines is therefore not supported: each piece is a skip.
//!
//! A file with no content, or only blank lines, is read as holding no events. Folders are
//! walked recursively in sorted path order; names starting with `.` are left out of the walk
//! and symbolic links to folders are not followed (an explicitly named path is always read).
//!
//! Files are parsed in parallel, and so are chunks of lines within a file; results are joined
//! in file and line order, so the output never depends on scheduling.
//!
//! Not owned here: XML parsing of one line (the private `xml` module) and field mapping
//! ([`crate::normalize`]).

mod chunk;
mod report;
mod table;
mod xml;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use report::{ReadError, ReadReport, Skip, SkipReason};
pub use table::EventTable;

use crate::normalize::PROCESSES;
use chunk::ChunkOutput;
use table::ProcessColumns;

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

/// What one file produced, before tables are named.
#[derive(Default)]
struct FileOutput {
    processes: ProcessColumns,
    report: ReadReport,
}

impl FileOutput {
    fn absorb_chunk(&mut self, chunk: ChunkOutput) {
        self.processes.append(chunk.processes);
        self.report.events += chunk.events;
        self.report.blank_lines += chunk.blank_lines;
        self.report.unmapped += chunk.unmapped;
        for (source, n) in chunk.mapped {
            *self
                .report
                .mapped
                .entry((source, PROCESSES.to_owned()))
                .or_default() += n;
        }
        self.report.skipped.extend(chunk.skipped);
    }

    fn absorb(&mut self, other: FileOutput) {
        self.processes.append(other.processes);
        self.report.absorb(other.report);
    }

    fn into_output(self) -> ReadOutput {
        let mut tables = BTreeMap::new();
        tables.insert(PROCESSES.to_owned(), self.processes.into_table());
        ReadOutput {
            tables,
            report: self.report,
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
    let results: Vec<Result<FileOutput, ReadError>> = files
        .par_iter()
        .map(|(path, named)| {
            // TODO: a file is read whole; files larger than memory need streaming by chunk.
            let bytes = fs::read(path).map_err(|source| ReadError::Io {
                path: path.clone(),
                source,
            })?;
            match read_file(path, &bytes) {
                Err(ReadError::UnknownFormat { path }) if !named => {
                    let mut skipped = FileOutput::default();
                    skipped.report.skipped_files.push(path);
                    Ok(skipped)
                }
                other => other,
            }
        })
        .collect();

    let mut all = FileOutput::default();
    for result in results {
        all.absorb(result?);
    }
    Ok(all.into_output())
}

/// Reads the content of one file held in memory; `path` only names it in skips and errors.
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<ReadOutput, ReadError> {
    Ok(read_file(path, bytes)?.into_output())
}

fn read_file(path: &Path, bytes: &[u8]) -> Result<FileOutput, ReadError> {
    let offset = if bytes.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    if !looks_like_xml_events(&bytes[offset..]) {
        return Err(ReadError::UnknownFormat {
            path: path.to_path_buf(),
        });
    }

    let chunks = chunk::split(bytes, offset, CHUNK_BYTES);
    let outputs: Vec<ChunkOutput> = chunks
        .par_iter()
        .map(|c| chunk::read(path, bytes, *c))
        .collect();

    let mut file = FileOutput::default();
    file.report.files = 1;
    for out in outputs {
        file.absorb_chunk(out);
    }
    Ok(file)
}

/// Whether the first non-blank bytes open an `<Event` element. Content that is empty or only
/// whitespace qualifies too: it holds no events in any format.
fn looks_like_xml_events(bytes: &[u8]) -> bool {
    match bytes.iter().position(|b| !b.is_ascii_whitespace()) {
        None => true,
        Some(i) => bytes[i..].starts_with(b"<Event"),
    }
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
