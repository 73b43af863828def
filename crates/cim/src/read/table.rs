//! Column-wise tables of normalized events.

use indexmap::IndexMap;

use crate::normalize::{Column, ProcessRow};

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

    /// The value of field `name` on row `row`; `None` when absent or out of range.
    pub fn value(&self, row: usize, name: &str) -> Option<&str> {
        self.columns.get(name)?.get(row)?.as_deref()
    }
}

/// `Endpoint.Processes` rows being collected, one vector per [`Column`].
#[derive(Debug)]
pub(crate) struct ProcessColumns {
    time: Vec<f64>,
    columns: Vec<Vec<Option<String>>>,
}

impl Default for ProcessColumns {
    fn default() -> Self {
        ProcessColumns {
            time: Vec::new(),
            columns: Column::ALL.iter().map(|_| Vec::new()).collect(),
        }
    }
}

impl ProcessColumns {
    /// Moves `row`'s values to the end of the table, leaving `row` null.
    pub(crate) fn push(&mut self, row: &mut ProcessRow) {
        self.time.push(row.time);
        for (values, column) in self.columns.iter_mut().zip(Column::ALL) {
            values.push(row.take(column));
        }
    }

    /// Moves `other`'s rows after these.
    pub(crate) fn append(&mut self, mut other: ProcessColumns) {
        self.time.append(&mut other.time);
        for (values, more) in self.columns.iter_mut().zip(other.columns.iter_mut()) {
            values.append(more);
        }
    }

    pub(crate) fn into_table(self) -> EventTable {
        let columns = Column::ALL
            .iter()
            .zip(self.columns)
            .map(|(c, values)| (c.name().to_owned(), values))
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

    #[test]
    fn rows_keep_their_order_across_appends() {
        let mut a = ProcessColumns::default();
        let mut b = ProcessColumns::default();
        let mut row = ProcessRow::default();
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
