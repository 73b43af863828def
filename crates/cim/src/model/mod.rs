//! CIM data set definitions, declared as data.
//!
//! A [`Dataset`] names its fields and the calculated fields the data model evaluates on every
//! event, in order. The engine lowers each [`Calculation`] into its own plan; this module only
//! describes them (plus [`name_from_command`] and [`vendor_product`], scalar reference
//! implementations of the two calculations that are not a simple fill).
//!
//! Sources: `aplura/splunk-sa-cim` (which tracks each Splunk_SA_CIM release),
//! `default/data/models/Endpoint.json` at commit `254c447b460696015f8c1752173b22ed02d54ac2`
//! (CIM 8.5.0; `Endpoint.Processes` is summarized in `cim-endpoint-processes.md` §1, the
//! `Filesystem` and `Registry` objects in [`endpoint`]'s comments), and
//! `default/data/models/Network_Traffic.json` at commit
//! `337e5bbad8b35bc9b9332d8562c5257b2d04e453` (see [`network_traffic`]).
//!
//! Not owned here: how a source fills the fields (see [`crate::normalize`]) and the polars
//! lowering (see `spelunk-engine`).

mod command_name;
pub mod endpoint;
pub mod network_traffic;

use std::borrow::Cow;

pub use command_name::name_from_command;
pub use endpoint::{ENDPOINT_FILESYSTEM, ENDPOINT_REGISTRY};
pub use network_traffic::NETWORK_TRAFFIC_ALL_TRAFFIC;

/// One data set of a CIM data model, such as `Endpoint.Processes`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dataset {
    /// Full name as searches write it after `datamodel=`: `"Endpoint.Processes"`.
    pub name: &'static str,
    /// The object name, which prefixes field names in `tstats`: `"Processes"`.
    pub object: &'static str,
    /// Every field of the data set, inherited ones (`_time`, `host`, `source`, `sourcetype`)
    /// first, then the extracted fields, then the calculated ones, then the raw fields a
    /// calculation reads (`vendor`, `product`).
    pub fields: &'static [&'static str],
    /// Calculated fields, in the order the data model evaluates them.
    pub calculations: &'static [Calculation],
}

/// A calculated field of a data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calculation {
    /// `if(isnull(f) OR f="", "unknown", f)`: a null or empty value becomes `"unknown"`.
    UnknownIfNullOrEmpty(&'static str),
    /// A null value becomes `"unknown"`; an empty string stays empty.
    ///
    /// `Endpoint.Processes` does not use it: every fill in `Endpoint.json` also tests for `""`.
    UnknownIfNull(&'static str),
    /// `target` keeps a non-empty value of its own. Otherwise, when `command` is non-empty, it
    /// becomes [`name_from_command`] of `command`; when that is `None` (or `command` is null or
    /// empty), `"unknown"`.
    NameFromCommand {
        /// The field written, e.g. `process_name`.
        target: &'static str,
        /// The command line it is derived from, e.g. `process`.
        command: &'static str,
    },
    /// `lower(f)`: the field lower-cased; a null stays null.
    Lowercase(&'static str),
    /// `vendor_product` from `vendor`, `product` and `sourcetype`; see [`vendor_product`].
    VendorProduct,
    /// `if(isnum(f), f, null())`: a value that does not read as a number becomes null.
    NullUnlessNumber(&'static str),
    /// `if(isnum(f), f, 0)`: a null value, or one that does not read as a number, becomes `0`.
    ZeroUnlessNumber(&'static str),
    /// `if(isnull(f) OR f="", "unknown", lower(f))`: lower-cased, or `"unknown"`.
    LowercaseOrUnknown(&'static str),
    /// `case(isnum(total), total, isnum(a) AND isnum(b), a+b, 1=1, null())`, where
    /// `parts` is `(a, b)`: `bytes` from `bytes_in` and `bytes_out`.
    TotalOfParts {
        /// The field written, e.g. `bytes`.
        total: &'static str,
        /// The two fields summed, e.g. `("bytes_in", "bytes_out")`.
        parts: (&'static str, &'static str),
    },
    /// `case(isnum(part), part, isnum(total) AND isnum(other), total-other, 1=1, null())`:
    /// `bytes_in` from `bytes` and `bytes_out`.
    PartOfTotal {
        /// The field written, e.g. `bytes_in`.
        part: &'static str,
        /// The total, e.g. `bytes`.
        total: &'static str,
        /// The other part, subtracted from the total, e.g. `bytes_out`.
        other: &'static str,
    },
}

impl Calculation {
    /// Every field the calculation reads or writes, the written one first.
    pub fn fields(&self) -> Vec<&'static str> {
        match *self {
            Calculation::UnknownIfNullOrEmpty(f)
            | Calculation::UnknownIfNull(f)
            | Calculation::Lowercase(f)
            | Calculation::NullUnlessNumber(f)
            | Calculation::ZeroUnlessNumber(f)
            | Calculation::LowercaseOrUnknown(f) => vec![f],
            Calculation::NameFromCommand { target, command } => vec![target, command],
            Calculation::VendorProduct => vec!["vendor_product", "vendor", "product", "sourcetype"],
            Calculation::TotalOfParts {
                total,
                parts: (a, b),
            } => vec![total, a, b],
            Calculation::PartOfTotal { part, total, other } => vec![part, total, other],
        }
    }
}

const PROCESSES_FIELDS: &[&str] = &[
    // Inherited from the data model root.
    "_time",
    "host",
    "source",
    "sourcetype",
    // The "fields" array: copied through from the add-ons.
    "action",
    "cpu_load_percent",
    "mem_used",
    "os",
    "parent_process_exec",
    "parent_process_hash",
    "parent_process_id",
    "parent_process_guid",
    "parent_process_path",
    "process_current_directory",
    "process_exec",
    "process_hash",
    "process_guid",
    "process_id",
    "process_integrity_level",
    "process_path",
    "user_id",
    "tag",
    // Filled by Enterprise Security asset and identity lookups; the engine leaves them null.
    "dest_bunit",
    "dest_category",
    "dest_is_expected",
    "dest_priority",
    "dest_requires_av",
    "dest_should_timesync",
    "dest_should_update",
    "user_bunit",
    "user_category",
    "user_priority",
    "cim_entity_zone",
    // The "calculations" outputs.
    "dest",
    "loaded_file",
    "original_file_name",
    "parent_process",
    "parent_process_name",
    "parent_user",
    "process",
    "process_name",
    "user",
    "vendor_product",
    // Read by the vendor_product calculation.
    "vendor",
    "product",
];

// The base search lower-cases process_integrity_level before any calculation runs; the rest
// follow the "calculations" array of Endpoint.json in order.
const PROCESSES_CALCULATIONS: &[Calculation] = &[
    Calculation::Lowercase("process_integrity_level"),
    Calculation::UnknownIfNullOrEmpty("dest"),
    Calculation::UnknownIfNullOrEmpty("loaded_file"),
    Calculation::UnknownIfNullOrEmpty("original_file_name"),
    Calculation::UnknownIfNullOrEmpty("parent_process"),
    Calculation::NameFromCommand {
        target: "parent_process_name",
        command: "parent_process",
    },
    Calculation::UnknownIfNullOrEmpty("parent_user"),
    Calculation::UnknownIfNullOrEmpty("process"),
    Calculation::NameFromCommand {
        target: "process_name",
        command: "process",
    },
    Calculation::UnknownIfNullOrEmpty("user"),
    Calculation::VendorProduct,
];

/// The `Endpoint.Processes` data set.
pub static ENDPOINT_PROCESSES: Dataset = Dataset {
    name: "Endpoint.Processes",
    object: "Processes",
    fields: PROCESSES_FIELDS,
    calculations: PROCESSES_CALCULATIONS,
};

static DATASETS: &[&Dataset] = &[
    &ENDPOINT_PROCESSES,
    &ENDPOINT_FILESYSTEM,
    &ENDPOINT_REGISTRY,
    &NETWORK_TRAFFIC_ALL_TRAFFIC,
];

/// Every data set this crate defines, in a fixed order.
pub fn datasets() -> &'static [&'static Dataset] {
    DATASETS
}

/// The data set called `name`, matched exactly and case-sensitively (`"Endpoint.Processes"`).
pub fn dataset(name: &str) -> Option<&'static Dataset> {
    DATASETS.iter().copied().find(|d| d.name == name)
}

impl Dataset {
    /// Whether `field` (without the object prefix) is one of this data set's fields.
    pub fn has_field(&self, field: &str) -> bool {
        self.fields.contains(&field)
    }
}

/// The CIM's `vendor_product` calculation for one event.
///
/// A present `vendor_product` wins, even when empty. Otherwise `vendor` and `product` are used
/// when "known" (present and not the exact string `unknown`; an empty string counts as known,
/// as in the CIM's `!=` test), then `sourcetype`, then `"unknown"`.
pub fn vendor_product<'a>(
    vendor_product: Option<&'a str>,
    vendor: Option<&'a str>,
    product: Option<&'a str>,
    sourcetype: Option<&'a str>,
) -> Cow<'a, str> {
    let known = |v: Option<&'a str>| v.filter(|v| *v != "unknown");

    if let Some(vp) = vendor_product {
        return Cow::Borrowed(vp);
    }
    match (known(vendor), known(product)) {
        (Some(v), Some(p)) => Cow::Owned(format!("{v} {p}")),
        (Some(v), None) => Cow::Owned(format!("{v} unknown")),
        (None, Some(p)) => Cow::Owned(format!("unknown {p}")),
        (None, None) => Cow::Borrowed(sourcetype.unwrap_or("unknown")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_lookup_is_exact() {
        let d = dataset("Endpoint.Processes").expect("known data set");
        assert_eq!(d.object, "Processes");
        assert!(dataset("endpoint.processes").is_none());
        assert!(dataset("Processes").is_none());
        assert!(dataset("").is_none());
    }

    #[test]
    fn fields_are_unique_and_cover_calculations() {
        for d in datasets() {
            assert_eq!(&d.fields[..4], ["_time", "host", "source", "sourcetype"]);
            for (i, f) in d.fields.iter().enumerate() {
                assert!(
                    !d.fields[..i].contains(f),
                    "{}: duplicate field {f}",
                    d.name
                );
            }
            for c in d.calculations {
                for f in c.fields() {
                    assert!(d.has_field(f), "{}: {f} missing from fields", d.name);
                }
            }
            assert_eq!(d.calculations.last(), Some(&Calculation::VendorProduct));
        }
    }

    #[test]
    fn every_data_set_is_found_by_its_name_and_names_its_object() {
        for d in datasets() {
            assert_eq!(dataset(d.name), Some(*d));
            assert_eq!(d.name.split_once('.').map(|(_, o)| o), Some(d.object));
        }
        assert!(dataset("Network_Traffic.all_traffic").is_none());
    }

    #[test]
    fn the_twenty_group_by_fields_of_ai_stubs_are_present() {
        let wanted = [
            "action",
            "dest",
            "original_file_name",
            "parent_process",
            "parent_process_exec",
            "parent_process_guid",
            "parent_process_id",
            "parent_process_name",
            "parent_process_path",
            "process",
            "process_exec",
            "process_guid",
            "process_hash",
            "process_id",
            "process_integrity_level",
            "process_name",
            "process_path",
            "user",
            "user_id",
            "vendor_product",
        ];
        for f in wanted {
            assert!(ENDPOINT_PROCESSES.has_field(f), "{f}");
        }
    }

    #[test]
    fn lowercase_runs_first_and_names_follow_their_command_fill() {
        let calcs = ENDPOINT_PROCESSES.calculations;
        assert_eq!(calcs[0], Calculation::Lowercase("process_integrity_level"));
        assert_eq!(calcs.last(), Some(&Calculation::VendorProduct));
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
    fn vendor_product_cases() {
        let s = Some;
        let st = s("XmlWinEventLog");
        assert_eq!(
            vendor_product(s("Microsoft Sysmon"), None, None, st),
            "Microsoft Sysmon"
        );
        assert_eq!(vendor_product(s(""), s("A"), s("B"), st), "");
        assert_eq!(
            vendor_product(None, s("Microsoft"), s("Windows"), st),
            "Microsoft Windows"
        );
        assert_eq!(
            vendor_product(None, s("Microsoft"), None, st),
            "Microsoft unknown"
        );
        assert_eq!(
            vendor_product(None, s("Microsoft"), s("unknown"), st),
            "Microsoft unknown"
        );
        assert_eq!(
            vendor_product(None, None, s("Windows"), st),
            "unknown Windows"
        );
        assert_eq!(
            vendor_product(None, s("unknown"), s("Windows"), st),
            "unknown Windows"
        );
        assert_eq!(vendor_product(None, s(""), s("Windows"), st), " Windows");
        assert_eq!(
            vendor_product(None, s("unknown"), s("unknown"), st),
            "XmlWinEventLog"
        );
        assert_eq!(vendor_product(None, None, None, None), "unknown");
    }
}
