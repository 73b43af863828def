//! The columns of `Endpoint.Filesystem`, `Endpoint.Registry` and
//! `Network_Traffic.All_Traffic` that some normalizer fills, and their [`Schema`]s.
//!
//! A schema belongs to its data set, not to a source: every normalizer of that data set fills
//! the same columns. Each list follows the data set's field order in [`crate::model`] and
//! starts with `host`, `source`, `sourcetype`, so [`super::Common`] addresses them too. Fields
//! no normalizer fills have no column and are null on every row.
//!
//! `Endpoint.Processes` keeps its own hand-written [`super::Column`] in `row.rs`.

use super::{Field, Schema};

/// Declares a column enum (one variant per CIM field, in table order), its `ALL` list and
/// field names, and the [`Schema`] built from them.
macro_rules! columns {
    (
        $(#[$doc:meta])*
        enum $name:ident;
        $(#[$schema_doc:meta])*
        schema $schema:ident = ($dataset:literal, slot $slot:literal);
        { $($variant:ident => $field:literal,)+ }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // each variant is the CIM field of the same name
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            /// Every column, in table order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The CIM field name, without the object prefix.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $field,)+
                }
            }
        }

        impl Field for $name {
            fn index(self) -> usize {
                self as usize
            }
        }

        $(#[$schema_doc])*
        pub static $schema: Schema = Schema {
            dataset: $dataset,
            columns: &[$($field,)+],
            slot: $slot,
        };
    };
}

columns! {
    /// A column of the `Endpoint.Filesystem` table that some normalizer fills.
    enum FilesystemColumn;
    /// The columns of `Endpoint.Filesystem`.
    schema FILESYSTEM_SCHEMA = ("Endpoint.Filesystem", slot 1);
    {
        Host => "host",
        Source => "source",
        Sourcetype => "sourcetype",
        FileCreateTime => "file_create_time",
        FileModifyTime => "file_modify_time",
        ProcessExec => "process_exec",
        ProcessGuid => "process_guid",
        ProcessId => "process_id",
        ProcessPath => "process_path",
        Action => "action",
        Dest => "dest",
        FileHash => "file_hash",
        FileName => "file_name",
        FilePath => "file_path",
        ProcessName => "process_name",
        User => "user",
        VendorProduct => "vendor_product",
    }
}

columns! {
    /// A column of the `Endpoint.Registry` table that some normalizer fills.
    enum RegistryColumn;
    /// The columns of `Endpoint.Registry`.
    schema REGISTRY_SCHEMA = ("Endpoint.Registry", slot 2);
    {
        Host => "host",
        Source => "source",
        Sourcetype => "sourcetype",
        ProcessExec => "process_exec",
        ProcessGuid => "process_guid",
        ProcessId => "process_id",
        ProcessPath => "process_path",
        Action => "action",
        Dest => "dest",
        ProcessName => "process_name",
        RegistryPath => "registry_path",
        RegistryKeyName => "registry_key_name",
        RegistryValueData => "registry_value_data",
        RegistryValueName => "registry_value_name",
        User => "user",
        VendorProduct => "vendor_product",
    }
}

columns! {
    /// A column of the `Network_Traffic.All_Traffic` table that some normalizer fills.
    enum TrafficColumn;
    /// The columns of `Network_Traffic.All_Traffic`.
    schema ALL_TRAFFIC_SCHEMA = ("Network_Traffic.All_Traffic", slot 3);
    {
        Host => "host",
        Source => "source",
        Sourcetype => "sourcetype",
        App => "app",
        DestIp => "dest_ip",
        Direction => "direction",
        ProcessGuid => "process_guid",
        ProcessId => "process_id",
        Protocol => "protocol",
        SessionId => "session_id",
        SrcIp => "src_ip",
        Action => "action",
        Dest => "dest",
        DestPort => "dest_port",
        Dvc => "dvc",
        Src => "src",
        SrcPort => "src_port",
        Transport => "transport",
        User => "user",
        VendorProduct => "vendor_product",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<F: Field + std::fmt::Debug>(all: &[F], name: fn(F) -> &'static str, s: &Schema) {
        assert_eq!(all.len(), s.columns.len(), "{}", s.dataset);
        for (i, c) in all.iter().enumerate() {
            assert_eq!(c.index(), i, "{c:?}");
            assert_eq!(name(*c), s.columns[i], "{c:?}");
        }
    }

    #[test]
    fn all_lists_each_variant_at_its_index_with_its_schema_name() {
        check(
            FilesystemColumn::ALL,
            FilesystemColumn::name,
            &FILESYSTEM_SCHEMA,
        );
        check(RegistryColumn::ALL, RegistryColumn::name, &REGISTRY_SCHEMA);
        check(TrafficColumn::ALL, TrafficColumn::name, &ALL_TRAFFIC_SCHEMA);
    }
}
