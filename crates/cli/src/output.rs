//! Writes result tables as a terminal table, CSV or JSON lines.
//!
//! CSV follows Splunk's export: a header row, columns in SPL order, a cell quoted only when
//! it holds a comma, a quote or a line break, and a multivalue cell joined with newlines.
//! JSON writes one object per result with values as strings, multivalue fields as arrays,
//! and absent fields left out.

use std::io::{self, Write};

use spelunk_engine::{Cell, ResultTable};

use crate::args::Format;

/// Writes `table` to `out` in `format`.
pub fn write(out: &mut impl Write, table: &ResultTable, format: Format) -> io::Result<()> {
    match format {
        Format::Csv => write_csv(out, table),
        Format::Json => write_json(out, table),
        Format::Table => write_table(out, table),
    }
}

fn write_csv(out: &mut impl Write, table: &ResultTable) -> io::Result<()> {
    let header: Vec<String> = table.columns.iter().map(|c| csv_field(c)).collect();
    writeln!(out, "{}", header.join(","))?;
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|cell| csv_field(&joined(cell))).collect();
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn joined(cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Single(v) => v.clone(),
        Cell::Multi(vs) => vs.join("\n"),
    }
}

fn write_json(out: &mut impl Write, table: &ResultTable) -> io::Result<()> {
    for row in &table.rows {
        let mut object = serde_json::Map::new();
        for (name, cell) in table.columns.iter().zip(row) {
            let value = match cell {
                Cell::Null => continue,
                Cell::Single(v) => serde_json::Value::String(v.clone()),
                Cell::Multi(vs) => vs.iter().cloned().map(serde_json::Value::String).collect(),
            };
            object.insert(name.clone(), value);
        }
        writeln!(out, "{}", serde_json::Value::Object(object))?;
    }
    Ok(())
}

/// An aligned table; a multivalue cell takes one line per value.
fn write_table(out: &mut impl Write, table: &ResultTable) -> io::Result<()> {
    if table.rows.is_empty() {
        return writeln!(out, "(no results)");
    }
    let lines = |cell: &Cell| -> Vec<String> {
        match cell {
            Cell::Null => vec![String::new()],
            Cell::Single(v) => v.lines().map(str::to_string).collect::<Vec<_>>(),
            Cell::Multi(vs) => vs.clone(),
        }
    };
    let mut widths: Vec<usize> = table.columns.iter().map(|c| c.chars().count()).collect();
    let rows: Vec<Vec<Vec<String>>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(lines).collect())
        .collect();
    for row in &rows {
        for (at, cell) in row.iter().enumerate() {
            for line in cell {
                widths[at] = widths[at].max(line.chars().count());
            }
        }
    }

    let print_line = |out: &mut dyn Write, cells: &[&str]| -> io::Result<()> {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(text, width)| format!("{text:<width$}"))
            .collect();
        writeln!(out, "{}", padded.join("  ").trim_end())
    };
    let header: Vec<&str> = table.columns.iter().map(String::as_str).collect();
    print_line(out, &header)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    print_line(out, &rule.iter().map(String::as_str).collect::<Vec<_>>())?;
    for row in &rows {
        let height = row.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for line in 0..height {
            let cells: Vec<&str> = row
                .iter()
                .map(|cell| cell.get(line).map_or("", String::as_str))
                .collect();
            print_line(out, &cells)?;
        }
    }
    writeln!(out, "\n{} result(s)", table.rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let table = ResultTable {
            columns: vec!["a".into(), "b".into(), "c".into()],
            rows: vec![vec![
                Cell::Single("say \"hi\", then go".into()),
                Cell::Multi(vec!["x".into(), "y".into()]),
                Cell::Null,
            ]],
        };
        let mut out = Vec::new();
        write(&mut out, &table, Format::Csv).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b,c\n\"say \"\"hi\"\", then go\",\"x\ny\",\n"
        );
    }

    #[test]
    fn json_leaves_out_absent_fields() {
        let table = ResultTable {
            columns: vec!["a".into(), "b".into(), "c".into()],
            rows: vec![vec![
                Cell::Single("1".into()),
                Cell::Null,
                Cell::Multi(vec!["x".into(), "y".into()]),
            ]],
        };
        let mut out = Vec::new();
        write(&mut out, &table, Format::Json).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"a\":\"1\",\"c\":[\"x\",\"y\"]}\n"
        );
    }
}
