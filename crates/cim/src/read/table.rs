//! Column-wise tables of normalized events.

use indexmap::IndexMap;

use crate::normalize::{schemas, Row, Schema};

/// Rows of one data set, stored by column.
///
/// Every column has one value per row (`time.len()` of them); `None` means the field is
/// absent on that row. Columns are named by CIM field without the object prefix
/// (`process_name`, not `Processes.process_name`) and come in the data set's field order.
/// A field with no column is absent on every row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventTable {
    /// `_time` of each row: epoch seconds, fractional.
    pub time: Vec<f64>,
    /// Field name to one value per row.
    pub columns: IndexMap<String, Vec<Option<String>>>,
}

impl EventTable {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// The values of field `name`, if the table has that column.
    pub fn column(&self, name: &str) -> Option<&[Option<String>]> {
        self.columns.get(name).map(Vec::as_slice)
    }

    /// The table as a polars frame: `_time` (`Float64`) first, then one `String` column per
    /// field, in order.
    pub fn into_frame(self) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
        use polars::prelude::{Column, DataFrame};
        let height = self.time.len();
        let mut columns = vec![Column::new("_time".into(), self.time)];
        for (name, values) in self.columns {
            columns.push(Column::new(name.as_str().into(), values));
        }
        DataFrame::new(height, columns)
    }

    /// The value of field `name` on row `row`; `None` when absent or out of range.
    pub fn value(&self, row: usize, name: &str) -> Option<&str> {
        self.columns.get(name)?.get(row)?.as_deref()
    }
}

/// Rows of one data set being collected, one vector per column of its [`Schema`].
#[derive(Debug)]
pub(crate) struct Columns {
    schema: &'static Schema,
    time: Vec<f64>,
    columns: Vec<Vec<Option<String>>>,
}

impl Columns {
    pub(crate) fn new(schema: &'static Schema) -> Columns {
        Columns {
            schema,
            time: Vec::new(),
            columns: schema.columns.iter().map(|_| Vec::new()).collect(),
        }
    }

    /// One empty table per schema of [`schemas`], in slot order.
    pub(crate) fn all() -> Vec<Columns> {
        schemas().iter().map(|s| Columns::new(s)).collect()
    }

    /// Moves `row`'s values to the end of the table, leaving `row` null.
    pub(crate) fn push(&mut self, row: &mut Row) {
        self.time.push(row.time);
        for (values, value) in self.columns.iter_mut().zip(row.drain()) {
            values.push(value);
        }
    }

    /// Moves `other`'s rows after these.
    pub(crate) fn append(&mut self, mut other: Columns) {
        self.time.append(&mut other.time);
        for (values, more) in self.columns.iter_mut().zip(other.columns.iter_mut()) {
            values.append(more);
        }
    }

    pub(crate) fn into_table(self) -> EventTable {
        let columns = self
            .schema
            .columns
            .iter()
            .zip(self.columns)
            .map(|(c, values)| ((*c).to_owned(), values))
            .collect();
        EventTable {
            time: self.time,
            columns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{Column, PROCESSES_SCHEMA};

    #[test]
    fn rows_keep_their_order_across_appends() {
        let mut a = Columns::new(&PROCESSES_SCHEMA);
        let mut b = Columns::new(&PROCESSES_SCHEMA);
        let mut row = Row::new(&PROCESSES_SCHEMA);
        row.time = 1.0;
        row.set(Column::Process, "first");
        a.push(&mut row);
        assert_eq!(row.get(Column::Process), None);
        row.time = 2.0;
        row.set(Column::User, "second");
        b.push(&mut row);
        a.append(b);

        let table = a.into_table();
        assert_eq!(table.time, vec![1.0, 2.0]);
        assert_eq!(table.value(0, "process"), Some("first"));
        assert_eq!(table.value(1, "process"), None);
        assert_eq!(table.value(1, "user"), Some("second"));
        assert_eq!(table.value(2, "user"), None);
        assert!(table.columns.values().all(|v| v.len() == 2));
        assert_eq!(table.columns.len(), Column::ALL.len());
    }
}
