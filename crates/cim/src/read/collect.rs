//! Where every reader hands its events: normalization, row collection and counting in one
//! place, so each format only has to produce [`WinEvent`]s and report what it could not read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::table::Columns;
use super::{ReadOutput, ReadReport, Skip, SkipReason};
use crate::event::WinEvent;
use crate::normalize::{self, Common, Outcome, Row, SOURCETYPE};

/// Rows and counts from one file, or from one part of a file read in parallel.
#[derive(Debug)]
pub(crate) struct Collector {
    file: PathBuf,
    tables: Vec<Columns>,
    rows: Vec<Row>,
    /// Rows per `source`, one map per schema slot: counted here by `&str` so that an event
    /// costs no allocation, and moved into the report's `mapped` when the read is done.
    mapped: Vec<BTreeMap<String, usize>>,
    pub(crate) report: ReadReport,
}

impl Collector {
    /// An empty collector for events of `file`; the file is not counted as read until
    /// [`Collector::count_file`].
    pub(crate) fn new(file: &Path) -> Collector {
        Collector {
            file: file.to_path_buf(),
            tables: Columns::all(),
            rows: normalize::rows(),
            mapped: vec![BTreeMap::new(); normalize::schemas().len()],
            report: ReadReport::default(),
        }
    }

    /// Counts the file as read.
    pub(crate) fn count_file(&mut self) {
        self.report.files += 1;
    }

    /// A well-formed event at `line` (or record number, for binary formats): normalized into
    /// its data set's table, counted as unmapped, or skipped when its normalizer cannot use it.
    pub(crate) fn event(&mut self, line: usize, event: &WinEvent<'_>) {
        self.report.events += 1;
        match normalize::normalize(event, &mut self.rows) {
            Outcome::Mapped { slot } => {
                let row = &mut self.rows[slot];
                let table = &mut self.tables[slot];
                let source = row.get(Common::Source).unwrap_or(SOURCETYPE);
                let counts = &mut self.mapped[slot];
                match counts.get_mut(source) {
                    Some(n) => *n += 1,
                    None => {
                        counts.insert(source.to_owned(), 1);
                    }
                }
                table.push(row);
            }
            Outcome::Unmapped => self.report.unmapped += 1,
            Outcome::Skipped(reason) => self.skip(line, reason),
        }
    }

    /// Something at `line` that is not a usable event.
    pub(crate) fn skip(&mut self, line: usize, reason: SkipReason) {
        self.report.skipped.push(Skip {
            file: self.file.clone(),
            line,
            reason,
        });
    }

    /// An empty or whitespace-only line.
    pub(crate) fn blank(&mut self) {
        self.report.blank_lines += 1;
    }

    /// Adds `lines` to the line number of every skip: for a part of a file read on its own.
    pub(crate) fn shift_lines(&mut self, lines: usize) {
        for skip in &mut self.report.skipped {
            skip.line += lines;
        }
    }

    /// Reads each of `chunks` with `read`, in parallel, and moves their rows and counts after
    /// these in chunk order, so the result never depends on scheduling.
    pub(crate) fn absorb_chunks<C: Sync>(
        &mut self,
        chunks: &[C],
        read: impl Fn(&C) -> Collector + Sync + Send,
    ) {
        let outputs: Vec<Collector> = chunks.par_iter().map(read).collect();
        for out in outputs {
            self.absorb(out);
        }
    }

    /// Moves `other`'s rows and counts after these.
    pub(crate) fn absorb(&mut self, other: Collector) {
        for (mine, theirs) in self.tables.iter_mut().zip(other.tables) {
            mine.append(theirs);
        }
        for (mine, theirs) in self.mapped.iter_mut().zip(other.mapped) {
            for (source, n) in theirs {
                *mine.entry(source).or_default() += n;
            }
        }
        self.report.absorb(other.report);
    }

    pub(crate) fn into_output(mut self) -> ReadOutput {
        for (counts, schema) in self.mapped.into_iter().zip(normalize::schemas()) {
            for (source, n) in counts {
                *self
                    .report
                    .mapped
                    .entry((source, schema.dataset.to_owned()))
                    .or_default() += n;
            }
        }
        let tables: BTreeMap<String, _> = self
            .tables
            .into_iter()
            .zip(normalize::schemas())
            .map(|(t, s)| (s.dataset.to_owned(), t.into_table()))
            .collect();
        ReadOutput {
            tables,
            report: self.report,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sysmon(id: &'static str) -> WinEvent<'static> {
        WinEvent {
            provider: Some("Microsoft-Windows-Sysmon".into()),
            event_id: Some(id.into()),
            channel: Some("Microsoft-Windows-Sysmon/Operational".into()),
            system_time: Some("2024-01-01T00:00:00Z".into()),
            ..WinEvent::default()
        }
    }

    #[test]
    fn events_are_mapped_unmapped_or_skipped_and_counted() {
        let mut c = Collector::new(Path::new("f.log"));
        c.event(1, &sysmon("1"));
        c.event(2, &sysmon("999"));
        let mut no_time = sysmon("1");
        no_time.system_time = None;
        c.event(3, &no_time);
        c.blank();
        let out = c.into_output();
        assert_eq!(out.report.events, 3);
        assert_eq!(out.report.unmapped, 1);
        assert_eq!(out.report.blank_lines, 1);
        assert_eq!(out.report.skipped.len(), 1);
        assert_eq!(out.report.skipped[0].line, 3);
        assert_eq!(
            out.report
                .processes_by_source()
                .into_iter()
                .collect::<Vec<_>>(),
            vec![("XmlWinEventLog:Microsoft-Windows-Sysmon/Operational", 1)]
        );
        assert_eq!(out.tables["Endpoint.Processes"].len(), 1);
    }
}
