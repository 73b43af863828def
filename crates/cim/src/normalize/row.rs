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

    fn index(self) -> usize {
        self as usize
    }
}

/// One `Endpoint.Processes` row being filled: the event time and a value per [`Column`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessRow {
    /// `_time`, epoch seconds.
    pub time: f64,
    values: [Option<String>; Column::ALL.len()],
}

impl Default for ProcessRow {
    fn default() -> Self {
        ProcessRow {
            time: 0.0,
            values: std::array::from_fn(|_| None),
        }
    }
}

impl ProcessRow {
    /// Sets `column` to `value`.
    pub fn set(&mut self, column: Column, value: impl Into<String>) {
        self.values[column.index()] = Some(value.into());
    }

    /// Sets `column` to `value` when there is one; leaves it untouched otherwise.
    pub fn set_opt(&mut self, column: Column, value: Option<&str>) {
        if let Some(v) = value {
            self.set(column, v);
        }
    }

    /// The value of `column`.
    pub fn get(&self, column: Column) -> Option<&str> {
        self.values[column.index()].as_deref()
    }

    /// Takes the value of `column` out, leaving it null.
    pub fn take(&mut self, column: Column) -> Option<String> {
        self.values[column.index()].take()
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
