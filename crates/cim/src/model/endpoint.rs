//! The `Endpoint.Filesystem` and `Endpoint.Registry` data sets.
//!
//! Source: `aplura/splunk-sa-cim`, `default/data/models/Endpoint.json` at commit
//! `254c447b460696015f8c1752173b22ed02d54ac2` (CIM 8.5.0), objects `Filesystem` (tags
//! `endpoint` + `filesystem`) and `Registry` (tags `endpoint` + `registry`). Both are root
//! search data sets (`parentName: BaseSearch`) whose base search only selects by tag, with no
//! `eval` of its own; so they inherit `_time`, `host`, `source` and `sourcetype` and every other
//! field is either copied through from the add-ons (the object's "fields" array) or computed by
//! its "calculations", listed here in the order the JSON gives them.
//!
//! `Endpoint.Processes` is declared in the parent module.

use super::{Calculation, Dataset};

const FILESYSTEM_FIELDS: &[&str] = &[
    // Inherited from the data model root.
    "_time",
    "host",
    "source",
    "sourcetype",
    // The "fields" array: copied through from the add-ons.
    "file_access_time",
    "file_create_time",
    "file_modify_time",
    "image",
    "parent_process_exec",
    "parent_process_hash",
    "parent_process_id",
    "parent_process_guid",
    "parent_process_path",
    "process_exec",
    "process_guid",
    "process_hash",
    "process_id",
    "process_path",
    "tag",
    // Filled by Enterprise Security asset and identity lookups; the engine leaves them null.
    "dest_bunit",
    "dest_category",
    "dest_priority",
    "dest_requires_av",
    "dest_should_timesync",
    "dest_should_update",
    "user_bunit",
    "user_category",
    "user_priority",
    "cim_entity_zone",
    // The "calculations" outputs.
    "action",
    "dest",
    "file_hash",
    "file_name",
    "file_path",
    "file_acl",
    "file_size",
    "parent_process",
    "parent_process_name",
    "process",
    "process_name",
    "user",
    "vendor_product",
    // Read by the vendor_product calculation.
    "vendor",
    "product",
];

// Endpoint_Filesystem_* calculations in the JSON's order. `file_size` is the only one that is
// not a fill: `if(isnum(file_size),file_size,null())`. The two name derivations are the same
// `case(...)` expressions as in Endpoint.Processes.
const FILESYSTEM_CALCULATIONS: &[Calculation] = &[
    Calculation::UnknownIfNullOrEmpty("action"),
    Calculation::UnknownIfNullOrEmpty("dest"),
    Calculation::UnknownIfNullOrEmpty("file_hash"),
    Calculation::UnknownIfNullOrEmpty("file_name"),
    Calculation::UnknownIfNullOrEmpty("file_path"),
    Calculation::UnknownIfNullOrEmpty("file_acl"),
    Calculation::NullUnlessNumber("file_size"),
    Calculation::UnknownIfNullOrEmpty("parent_process"),
    Calculation::NameFromCommand {
        target: "parent_process_name",
        command: "parent_process",
    },
    Calculation::UnknownIfNullOrEmpty("process"),
    Calculation::NameFromCommand {
        target: "process_name",
        command: "process",
    },
    Calculation::UnknownIfNullOrEmpty("user"),
    Calculation::VendorProduct,
];

/// The `Endpoint.Filesystem` data set.
pub static ENDPOINT_FILESYSTEM: Dataset = Dataset {
    name: "Endpoint.Filesystem",
    object: "Filesystem",
    fields: FILESYSTEM_FIELDS,
    calculations: FILESYSTEM_CALCULATIONS,
};

const REGISTRY_FIELDS: &[&str] = &[
    // Inherited from the data model root.
    "_time",
    "host",
    "source",
    "sourcetype",
    // The "fields" array: copied through from the add-ons. `registry_hive` and `status` are
    // marked `ta_relevant: false` there, but add-ons may still set them.
    "image",
    "parent_process_exec",
    "parent_process_hash",
    "parent_process_id",
    "parent_process_guid",
    "parent_process_path",
    "process_exec",
    "process_guid",
    "process_hash",
    "process_id",
    "process_path",
    "registry_hive",
    "registry_value_text",
    "status",
    "tag",
    // Filled by Enterprise Security asset and identity lookups; the engine leaves them null.
    "dest_bunit",
    "dest_category",
    "dest_priority",
    "dest_requires_av",
    "dest_should_timesync",
    "dest_should_update",
    "user_bunit",
    "user_category",
    "user_priority",
    "cim_entity_zone",
    // The "calculations" outputs.
    "action",
    "dest",
    "parent_process",
    "parent_process_name",
    "process",
    "process_name",
    "registry_path",
    "registry_key_name",
    "registry_value_data",
    "registry_value_name",
    "registry_value_type",
    "user",
    "vendor_product",
    // Read by the vendor_product calculation.
    "vendor",
    "product",
];

// Endpoint_Registry_* calculations in the JSON's order: all fills but the two name
// derivations.
const REGISTRY_CALCULATIONS: &[Calculation] = &[
    Calculation::UnknownIfNullOrEmpty("action"),
    Calculation::UnknownIfNullOrEmpty("dest"),
    Calculation::UnknownIfNullOrEmpty("parent_process"),
    Calculation::NameFromCommand {
        target: "parent_process_name",
        command: "parent_process",
    },
    Calculation::UnknownIfNullOrEmpty("process"),
    Calculation::NameFromCommand {
        target: "process_name",
        command: "process",
    },
    Calculation::UnknownIfNullOrEmpty("registry_path"),
    Calculation::UnknownIfNullOrEmpty("registry_key_name"),
    Calculation::UnknownIfNullOrEmpty("registry_value_data"),
    Calculation::UnknownIfNullOrEmpty("registry_value_name"),
    Calculation::UnknownIfNullOrEmpty("registry_value_type"),
    Calculation::UnknownIfNullOrEmpty("user"),
    Calculation::VendorProduct,
];

/// The `Endpoint.Registry` data set.
pub static ENDPOINT_REGISTRY: Dataset = Dataset {
    name: "Endpoint.Registry",
    object: "Registry",
    fields: REGISTRY_FIELDS,
    calculations: REGISTRY_CALCULATIONS,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_size_is_kept_only_as_a_number_and_names_follow_their_fills() {
        let calcs = ENDPOINT_FILESYSTEM.calculations;
        assert!(calcs.contains(&Calculation::NullUnlessNumber("file_size")));
        let pos = |c: &Calculation| calcs.iter().position(|x| x == c).expect("present");
        assert!(
            pos(&Calculation::UnknownIfNullOrEmpty("process"))
                < pos(&Calculation::NameFromCommand {
                    target: "process_name",
                    command: "process"
                })
        );
    }

    #[test]
    fn registry_fills_every_registry_calculation_with_unknown() {
        for f in [
            "registry_path",
            "registry_key_name",
            "registry_value_data",
            "registry_value_name",
            "registry_value_type",
        ] {
            let fill = Calculation::UnknownIfNullOrEmpty(f);
            assert!(ENDPOINT_REGISTRY.calculations.contains(&fill), "{f}");
        }
        assert!(ENDPOINT_REGISTRY.has_field("registry_hive"));
        assert!(!ENDPOINT_REGISTRY.has_field("file_name"));
    }
}
