//! A lookup table read from CSV.
//!
//! The first record is the header; every later record is a row. Cells keep their text (no
//! number reading: Splunk's values are text), less the spaces around them: ESCU's own
//! tables rely on that (`dynamic_dns_providers_default.csv` has the header
//! `dynamic_dns_domains, isDynDNS_default` and cells `, True`, which ESCU's macros use as
//! `isDynDNS_default` and `True`) (inferred). An empty cell is an absent value:
//! it matches nothing and outputs nothing. A row shorter than the header is padded with
//! empty cells; a longer one, or one that is not UTF-8, is kept (extra cells dropped,
//! bytes replaced) and reported with its line number.

/// The rows of one CSV lookup file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupTable {
    /// Column names from the header, in file order.
    pub columns: Vec<String>,
    /// Rows in file order, one cell per column; `None` for an empty cell.
    pub rows: Vec<Vec<Option<String>>>,
}

impl LookupTable {
    /// The index of `column`.
    pub fn column(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }

    /// Reads CSV bytes: the table (`None` without a header), and problems by line.
    pub fn read_csv(bytes: &[u8]) -> (Option<LookupTable>, Vec<(u64, String)>) {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let mut problems = Vec::new();
        let mut records = reader.byte_records();

        let header = loop {
            match records.next() {
                None => return (None, problems),
                Some(Ok(record)) => break record,
                Some(Err(e)) => problems.push((error_line(&e), e.to_string())),
            }
        };
        let columns: Vec<String> = header.iter().map(|c| text(c, 1, &mut problems)).collect();

        let mut rows = Vec::new();
        for record in records {
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    problems.push((error_line(&e), format!("{e}; the record is skipped")));
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line());
            if record.len() > columns.len() {
                let message = format!(
                    "the row has {} cells and the header {}; the extra cells are dropped",
                    record.len(),
                    columns.len()
                );
                problems.push((line, message));
            }
            let mut row: Vec<Option<String>> = record
                .iter()
                .take(columns.len())
                .map(|cell| Some(text(cell, line, &mut problems)).filter(|c| !c.is_empty()))
                .collect();
            row.resize(columns.len(), None);
            rows.push(row);
        }
        (Some(LookupTable { columns, rows }), problems)
    }
}

fn text(cell: &[u8], line: u64, problems: &mut Vec<(u64, String)>) -> String {
    match std::str::from_utf8(cell) {
        Ok(s) => s.to_string(),
        Err(_) => {
            problems.push((
                line,
                "a cell is not UTF-8; its bad bytes are replaced".into(),
            ));
            String::from_utf8_lossy(cell).into_owned()
        }
    }
}

fn error_line(e: &csv::Error) -> u64 {
    e.position().map_or(0, |p| p.line())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_cells_empty_cells_and_ragged_rows() {
        let csv = "\u{feff}name,\"note, quoted\" ,n\r\na,\"x \"\"y\"\"\", 1\nb,,\nc\nd,1,2,3\n";
        let (table, problems) = LookupTable::read_csv(csv.as_bytes());
        let table = table.unwrap();
        assert_eq!(table.columns, ["name", "note, quoted", "n"]);
        let cell = |r: usize, c: usize| table.rows[r][c].as_deref();
        assert_eq!(cell(0, 1), Some("x \"y\""));
        assert_eq!(
            cell(0, 2),
            Some("1"),
            "spaces around a cell are not part of it"
        );
        assert_eq!(cell(1, 1), None);
        assert_eq!(cell(2, 0), Some("c"));
        assert_eq!(cell(2, 2), None);
        assert_eq!(cell(3, 2), Some("2"));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 5);
    }

    #[test]
    fn empty_file_has_no_table() {
        assert!(LookupTable::read_csv(b"").0.is_none());
    }
}
