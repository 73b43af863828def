//! The `Endpoint.Processes` row a normalizer fills, and the columns it can fill.

/// A column of the `Endpoint.Processes` table that some normalizer fills, in the order of the
/// data set's fields. Fields no normalizer fills (`loaded_file`, `parent_user`, `os`, …) have
/// no column; they are null on every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the CIM field of the same name
pub enum Column {
    Host,
    Source,
    Sourcetype,
    Action,
    ParentProcessExec,
    ParentProcessId,
    ParentProcessGuid,
    ParentProcessPath,
    ProcessCurrentDirectory,
    ProcessExec,
    ProcessHash,
    ProcessGuid,
    ProcessId,
    ProcessIntegrityLevel,
    ProcessPath,
    UserId,
    Dest,
    OriginalFileName,
    ParentProcess,
    ParentProcessName,
    Process,
    ProcessName,
    User,
    VendorProduct,
    Vendor,
    Product,
}

impl Column {
    /// Every column, in table order.
    pub const ALL: [Column; 26] = [
        Column::Host,
        Column::Source,
        Column::Sourcetype,
        Column::Action,
        Column::ParentProcessExec,
        Column::ParentProcessId,
        Column::ParentProcessGuid,
        Column::ParentProcessPath,
        Column::ProcessCurrentDirectory,
        Column::ProcessExec,
        Column::ProcessHash,
        Column::ProcessGuid,
        Column::ProcessId,
        Column::ProcessIntegrityLevel,
        Column::ProcessPath,
        Column::UserId,
        Column::Dest,
        Column::OriginalFileName,
        Column::ParentProcess,
        Column::ParentProcessName,
        Column::Process,
        Column::ProcessName,
        Column::User,
        Column::VendorProduct,
        Column::Vendor,
        Column::Product,
    ];

    /// The CIM field name, without the `Processes.` prefix.
    pub const fn name(self) -> &'static str {
        match self {
            Column::Host => "host",
            Column::Source => "source",
            Column::Sourcetype => "sourcetype",
            Column::Action => "action",
            Column::ParentProcessExec => "parent_process_exec",
            Column::ParentProcessId => "parent_process_id",
            Column::ParentProcessGuid => "parent_process_guid",
            Column::ParentProcessPath => "parent_process_path",
            Column::ProcessCurrentDirectory => "process_current_directory",
            Column::ProcessExec => "process_exec",
            Column::ProcessHash => "process_hash",
            Column::ProcessGuid => "process_guid",
            Column::ProcessId => "process_id",
            Column::ProcessIntegrityLevel => "process_integrity_level",
            Column::ProcessPath => "process_path",
            Column::UserId => "user_id",
            Column::Dest => "dest",
            Column::OriginalFileName => "original_file_name",
            Column::ParentProcess => "parent_process",
            Column::ParentProcessName => "parent_process_name",
            Column::Process => "process",
            Column::ProcessName => "process_name",
            Column::User => "user",
            Column::VendorProduct => "vendor_product",
            Column::Vendor => "vendor",
            Column::Product => "product",
        }
    }
}

/// A column of some data set's table: its position in that data set's [`Schema`].
pub trait Field: Copy {
    /// The column's position in its schema.
    fn index(self) -> usize;
}

impl Field for Column {
    fn index(self) -> usize {
        self as usize
    }
}

/// The columns a data set's normalizers fill, in the data set's field order.
///
/// Every schema starts with `host`, `source` and `sourcetype`, in that order, so the fields
/// common to all sources are filled once for every data set (see [`Common`]).
#[derive(Debug, PartialEq, Eq)]
pub struct Schema {
    /// The data set, e.g. `Endpoint.Processes`.
    pub dataset: &'static str,
    /// Column names, without the object prefix.
    pub columns: &'static [&'static str],
    /// Position of this schema in [`super::schemas`].
    pub(crate) slot: usize,
}

/// The fields at the start of every [`Schema`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Common {
    /// `host`.
    Host,
    /// `source`.
    Source,
    /// `sourcetype`.
    Sourcetype,
}

impl Field for Common {
    fn index(self) -> usize {
        self as usize
    }
}

/// The names of [`Column::ALL`], in order.
const PROCESS_COLUMN_NAMES: [&str; Column::ALL.len()] = {
    let mut names = [""; Column::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = Column::ALL[i].name();
        i += 1;
    }
    names
};

/// The columns of `Endpoint.Processes`.
pub static PROCESSES_SCHEMA: Schema = Schema {
    dataset: "Endpoint.Processes",
    columns: &PROCESS_COLUMN_NAMES,
    slot: 0,
};

/// One row being filled: the event time and a value per column of its [`Schema`].
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `_time`, epoch seconds.
    pub time: f64,
    values: Vec<Option<String>>,
}

impl Row {
    /// A row of `schema` with every column null.
    pub fn new(schema: &Schema) -> Row {
        Row {
            time: 0.0,
            values: vec![None; schema.columns.len()],
        }
    }

    /// Sets `column` to `value`.
    pub fn set(&mut self, column: impl Field, value: impl Into<String>) {
        self.values[column.index()] = Some(value.into());
    }

    /// Sets `column` to `value` when there is one; leaves it untouched otherwise.
    pub fn set_opt(&mut self, column: impl Field, value: Option<&str>) {
        if let Some(v) = value {
            self.set(column, v);
        }
    }

    /// The value of `column`.
    pub fn get(&self, column: impl Field) -> Option<&str> {
        self.values[column.index()].as_deref()
    }

    /// Takes the value of `column` out, leaving it null.
    pub fn take(&mut self, column: impl Field) -> Option<String> {
        self.values[column.index()].take()
    }

    /// Takes every value out in column order, leaving the row null.
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = Option<String>> + '_ {
        self.values.iter_mut().map(Option::take)
    }

    /// Makes every column null again.
    pub fn clear(&mut self) {
        self.time = 0.0;
        self.values.iter_mut().for_each(|v| *v = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ENDPOINT_PROCESSES;

    #[test]
    fn all_lists_each_variant_at_its_index() {
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(c.index(), i, "{c:?}");
        }
    }

    #[test]
    fn columns_follow_the_data_set_field_order() {
        let fields = ENDPOINT_PROCESSES.fields;
        let mut last = 0;
        for c in Column::ALL {
            let pos = fields.iter().position(|f| *f == c.name());
            let pos = pos.unwrap_or_else(|| panic!("{} is not a field", c.name()));
            assert!(pos >= last, "{} is out of order", c.name());
            last = pos;
        }
    }
}
