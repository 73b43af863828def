//! Helpers shared by the reader tests: the shared folder, reading a file, finding a row.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use spelunk_cim::{read_paths, EventTable, ReadOutput};

/// `source` of Sysmon events.
pub const SYSMON: &str = "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational";
/// `source` of Security events.
pub const SECURITY: &str = "XmlWinEventLog:Security";

/// `../shared/datasets` beside the checkout, or `None` with a printed reason.
pub fn datasets() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: shared datasets not found at {}", dir.display());
        None
    }
}

/// Reads `file` of `dir`; panics with the error if it cannot be read.
pub fn read(dir: &Path, file: &str) -> ReadOutput {
    let path = dir.join(file);
    read_paths(std::slice::from_ref(&path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `Endpoint.Processes` table of a read.
pub fn processes(out: &ReadOutput) -> &EventTable {
    &out.tables["Endpoint.Processes"]
}

/// The row whose `field` equals `value`; exactly one must exist.
pub fn row_where(table: &EventTable, field: &str, value: &str) -> usize {
    let rows: Vec<usize> = (0..table.len())
        .filter(|&r| table.value(r, field) == Some(value))
        .collect();
    assert_eq!(rows.len(), 1, "rows with {field}={value}: {rows:?}");
    rows[0]
}

/// Each `(field, value)` holds on `row`, and each field is a column of the table.
pub fn assert_fields(table: &EventTable, row: usize, want: &[(&str, Option<&str>)]) {
    for (field, value) in want {
        assert!(table.column(field).is_some(), "no column {field}");
        assert_eq!(table.value(row, field), *value, "field {field}");
    }
}
