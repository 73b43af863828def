//! The `Network_Traffic.All_Traffic` data set.
//!
//! Source: `aplura/splunk-sa-cim`, `default/data/models/Network_Traffic.json` at commit
//! `337e5bbad8b35bc9b9332d8562c5257b2d04e453`, object `All_Traffic` (`parentName: BaseEvent`,
//! constraint `tag=network tag=communicate`). It inherits `_time`, `host`, `source` and
//! `sourcetype`; its child data sets (`Traffic_By_Action`, `Allowed_Traffic`,
//! `Blocked_Traffic`) only add constraints on `action` and are not declared here.

use super::{Calculation, Dataset};

const ALL_TRAFFIC_FIELDS: &[&str] = &[
    // Inherited from the data model root.
    "_time",
    "host",
    "source",
    "sourcetype",
    // The "fields" array, in its order, without the asset and identity fields below. Some of
    // these are marked `ta_relevant: false` (`dest_priority`, `src_bunit`, `src_category`,
    // `src_interface`, `src_priority`, `tag`); no add-on here fills them.
    "app",
    "channel",
    "dest_interface",
    "dest_ip",
    "dest_mac",
    "dest_priority",
    "dest_translated_ip",
    "dest_translated_port",
    "dest_zone",
    "direction",
    "duration",
    "dvc_ip",
    "dvc_mac",
    "dvc_zone",
    "flow_id",
    "icmp_code",
    "icmp_type",
    "process_guid",
    "process_id",
    "protocol",
    "protocol_version",
    "response_time",
    "rule_id",
    "session_id",
    "src_bunit",
    "src_category",
    "src_interface",
    "src_ip",
    "src_mac",
    "src_priority",
    "src_translated_ip",
    "src_translated_port",
    "src_zone",
    "ssid",
    "tag",
    "tcp_flag",
    "tos",
    "ttl",
    "vlan",
    "wifi",
    "vendor_account",
    // Filled by Enterprise Security asset and identity lookups; the engine leaves them null.
    "dest_bunit",
    "dest_category",
    "dvc_bunit",
    "dvc_category",
    "dvc_priority",
    "user_bunit",
    "user_category",
    "user_priority",
    "cim_entity_zone",
    // The "calculations" outputs.
    "action",
    "bytes",
    "bytes_in",
    "bytes_out",
    "dest",
    "dest_port",
    "dvc",
    "packets",
    "packets_in",
    "packets_out",
    "rule",
    "src",
    "src_port",
    "transport",
    "user",
    "vendor_product",
    // Read by the vendor_product calculation.
    "vendor",
    "product",
];

// All_Traffic_* calculations in the JSON's order. Each runs on the output of the ones before,
// so `bytes_in` sees a `bytes` that was just summed from its parts.
const ALL_TRAFFIC_CALCULATIONS: &[Calculation] = &[
    Calculation::UnknownIfNullOrEmpty("action"),
    Calculation::TotalOfParts {
        total: "bytes",
        parts: ("bytes_in", "bytes_out"),
    },
    Calculation::PartOfTotal {
        part: "bytes_in",
        total: "bytes",
        other: "bytes_out",
    },
    Calculation::PartOfTotal {
        part: "bytes_out",
        total: "bytes",
        other: "bytes_in",
    },
    Calculation::UnknownIfNullOrEmpty("dest"),
    Calculation::ZeroUnlessNumber("dest_port"),
    Calculation::UnknownIfNullOrEmpty("dvc"),
    Calculation::TotalOfParts {
        total: "packets",
        parts: ("packets_in", "packets_out"),
    },
    Calculation::PartOfTotal {
        part: "packets_in",
        total: "packets",
        other: "packets_out",
    },
    Calculation::PartOfTotal {
        part: "packets_out",
        total: "packets",
        other: "packets_in",
    },
    Calculation::UnknownIfNullOrEmpty("rule"),
    Calculation::UnknownIfNullOrEmpty("src"),
    Calculation::ZeroUnlessNumber("src_port"),
    Calculation::LowercaseOrUnknown("transport"),
    Calculation::UnknownIfNullOrEmpty("user"),
    Calculation::VendorProduct,
];

/// The `Network_Traffic.All_Traffic` data set.
pub static NETWORK_TRAFFIC_ALL_TRAFFIC: Dataset = Dataset {
    name: "Network_Traffic.All_Traffic",
    object: "All_Traffic",
    fields: ALL_TRAFFIC_FIELDS,
    calculations: ALL_TRAFFIC_CALCULATIONS,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_and_packet_totals_come_before_their_parts() {
        let calcs = ALL_TRAFFIC_CALCULATIONS;
        let written: Vec<&str> = calcs.iter().map(|c| c.fields()[0]).collect();
        let pos = |f: &str| written.iter().position(|w| *w == f).expect("written");
        for (total, a, b) in [
            ("bytes", "bytes_in", "bytes_out"),
            ("packets", "packets_in", "packets_out"),
        ] {
            assert!(pos(total) < pos(a) && pos(a) < pos(b), "{total}");
        }
    }

    #[test]
    fn ports_default_to_zero_and_transport_is_lowered() {
        let calcs = ALL_TRAFFIC_CALCULATIONS;
        assert!(calcs.contains(&Calculation::ZeroUnlessNumber("dest_port")));
        assert!(calcs.contains(&Calculation::ZeroUnlessNumber("src_port")));
        assert!(calcs.contains(&Calculation::LowercaseOrUnknown("transport")));
    }
}
