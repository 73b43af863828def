//! Sysmon EventID 12 (registry key or value created or deleted), 13 (value set) and 14 (key
//! or value renamed) to `Endpoint.Registry`.
//!
//! Evidence, cited per field below:
//! * **declared**: Splunk's mapping in `splunk/security_content`
//!   `data_sources/sysmon_eventid_12.yml` (v4, Splunk Add-on for Sysmon 5.0.1, commit
//!   `2a60eb067067ee88fa694f2ce41af70f0a3fa75a`) and `sysmon_eventid_13.yml` (v1, add-on 4.0.0,
//!   commit `09eb52ec50bee29f5cba79f83e271c6ed03f1007`), `field_mappings` for
//!   `Endpoint.Registry`. `sysmon_eventid_14.yml` (v3) declares no fields at all.
//! * **8.x**: the legacy TA-microsoft-sysmon `default/props.conf`
//!   (`dimarra/TA-Microsoft-Sysmon`, read at commit `872dd9388212a91ff06a7e62f497455400cce8c6`),
//!   section `#Registry Node` and the common `EVAL-action`.
//! * **inferred**: where neither says, marked so.
//!
//! Left unset, so the data model makes them `unknown` or leaves them null: `registry_value_type`
//! (the add-on lists a `RegistryValueType` extraction but no source shows its values),
//! `registry_hive` and `status` (listed for 12 and 13, values not shown), and `action` for 14
//! (no version maps it).

use std::sync::OnceLock;

use regex::Regex;

use super::sysmon::PROVIDER;
use super::{Normalizer, RegistryColumn as Col, Row, Schema, REGISTRY_SCHEMA};
use crate::event::WinEvent;
use crate::text::basename;

/// Sysmon EventID 12, 13 and 14 from provider `Microsoft-Windows-Sysmon`, whatever its
/// channel.
#[derive(Debug, Clone, Copy, Default)]
pub struct SysmonRegistryActivity;

impl Normalizer for SysmonRegistryActivity {
    fn name(&self) -> &'static str {
        "Sysmon EventID 12, 13, 14"
    }

    fn schema(&self) -> &'static Schema {
        &REGISTRY_SCHEMA
    }

    fn claims(&self, event: &WinEvent<'_>) -> bool {
        event.provider.as_deref() == Some(PROVIDER)
            && matches!(event.event_id.as_deref(), Some("12" | "13" | "14"))
    }

    fn fill(&self, event: &WinEvent<'_>, row: &mut Row) {
        let id = event.event_id.as_deref();
        let target = event.data("TargetObject");
        let image = event.data("Image");

        // Declared: Computer → dest (8.x: EVAL-dest = case(... 12, 13, 14 ..., Computer)).
        row.set_opt(Col::Dest, event.computer.as_deref());
        // Declared: ProcessGuid, ProcessId.
        row.set_opt(Col::ProcessGuid, event.data("ProcessGuid"));
        row.set_opt(Col::ProcessId, event.data("ProcessId"));
        // 8.x: FIELDALIAS Image AS process_path; EVAL-process_name and EVAL-process_exec strip
        // its directory for 12, 13 and 14 (and the 5.0.1 field list of 12 holds all three).
        row.set_opt(Col::ProcessPath, image);
        row.set_opt(Col::ProcessName, image.map(basename));
        row.set_opt(Col::ProcessExec, image.map(basename));
        // 8.x: FIELDALIAS User AS user; only newer Sysmon schemas write User here.
        row.set_opt(Col::User, event.data("User"));

        // Declared: TargetObject → registry_path, for 14 the old name (8.x: EVAL-registry_path
        // = case(EventCode=="12" OR EventCode=="13" OR EventCode=="14", TargetObject)).
        row.set_opt(Col::RegistryPath, target);
        // 8.x: EVAL-registry_key_name = replace(TargetObject, ".+\\\\", "").
        row.set_opt(
            Col::RegistryKeyName,
            target.map(registry_key_name).as_deref(),
        );

        if id == Some("13") {
            // Declared for 13: Details → registry_value_data; see `value_data` for the
            // DWORD/QWORD wrapper.
            row.set_opt(
                Col::RegistryValueData,
                event.data("Details").map(value_data),
            );
            // Inferred: on a value set, TargetObject ends in the value's name; ESCU's
            // detections over Sysmon 13 compare registry_value_name with exactly that.
            // (8.x set registry_value_name from Details, which the declared mapping replaced.)
            row.set_opt(Col::RegistryValueName, target.map(basename));
        }

        // 8.x: EVAL-action = case(..., EventCode=="12" AND EventType=="CreateKey", "created",
        // EventCode=="12" AND (EventType=="DeleteKey" OR EventType=="DeleteValue"), "deleted",
        // EventCode=="13" AND EventType=="SetValue", "modified", ...).
        let action = match (id, event.data("EventType")) {
            (Some("12"), Some("CreateKey")) => Some("created"),
            (Some("12"), Some("DeleteKey" | "DeleteValue")) => Some("deleted"),
            (Some("13"), Some("SetValue")) => Some("modified"),
            _ => None,
        };
        row.set_opt(Col::Action, action);

        // 8.x: EVAL-vendor_product = "Microsoft Sysmon".
        row.set(Col::VendorProduct, "Microsoft Sysmon");
    }
}

/// The 8.x `replace(TargetObject, ".+\\\\", "")`: every run of at least one character that
/// ends in a backslash is removed. PCRE's `.` stops at a line feed, so each line loses
/// everything up to its last backslash, unless that backslash is the line's first character.
fn registry_key_name(target: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"[^\n]+\\").expect("the key-name pattern is valid"));
    re.replace_all(target, "").into_owned()
}

/// `Details` as `registry_value_data`. Sysmon writes DWORD and QWORD data as `DWORD (0x…)`
/// and `QWORD (0x…-0x…)`; ESCU's detections over Sysmon 13 compare registry_value_data with the
/// bare `0x00000001`, and the 5.0.1 field list holds a separate `RegistryValueData`
/// extraction, so the wrapper is taken off (inferred). Any other Details stays as written.
fn value_data(details: &str) -> &str {
    ["DWORD (", "QWORD ("]
        .iter()
        .find_map(|prefix| details.strip_prefix(prefix)?.strip_suffix(')'))
        .unwrap_or(details)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(id: &'a str, data: &[(&'a str, &'a str)]) -> WinEvent<'a> {
        WinEvent {
            provider: Some(PROVIDER.into()),
            event_id: Some(id.into()),
            computer: Some("srv-2.corp.example".into()),
            ..WinEvent::default()
        }
        .with_data(data)
    }

    fn filled(ev: &WinEvent<'_>) -> Row {
        let mut row = Row::new(&REGISTRY_SCHEMA);
        SysmonRegistryActivity.fill(ev, &mut row);
        row
    }

    const RUN_KEY: &str = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run";

    #[test]
    fn claims_sysmon_registry_events_only() {
        let n = SysmonRegistryActivity;
        for id in ["12", "13", "14"] {
            assert!(n.claims(&event(id, &[])), "{id}");
        }
        for id in ["1", "11", "15", "120"] {
            assert!(!n.claims(&event(id, &[])), "{id}");
        }
    }

    #[test]
    fn a_value_set_names_its_value_and_unwraps_a_dword() {
        let target = format!(r"{RUN_KEY}\Updater");
        let row = filled(&event(
            "13",
            &[
                ("EventType", "SetValue"),
                ("ProcessGuid", "{99999999-8888-7777-6666-555555555555}"),
                ("ProcessId", "812"),
                ("Image", r"C:\Windows\regedit.exe"),
                ("TargetObject", &target),
                ("Details", "DWORD (0x00000001)"),
            ],
        ));
        assert_eq!(row.get(Col::RegistryPath), Some(target.as_str()));
        assert_eq!(row.get(Col::RegistryKeyName), Some("Updater"));
        assert_eq!(row.get(Col::RegistryValueName), Some("Updater"));
        assert_eq!(row.get(Col::RegistryValueData), Some("0x00000001"));
        assert_eq!(row.get(Col::Action), Some("modified"));
        assert_eq!(row.get(Col::ProcessName), Some("regedit.exe"));
        assert_eq!(row.get(Col::Dest), Some("srv-2.corp.example"));
        assert_eq!(row.get(Col::VendorProduct), Some("Microsoft Sysmon"));
    }

    #[test]
    fn key_creation_deletion_and_rename() {
        let created = filled(&event(
            "12",
            &[("EventType", "CreateKey"), ("TargetObject", RUN_KEY)],
        ));
        assert_eq!(created.get(Col::Action), Some("created"));
        assert_eq!(created.get(Col::RegistryKeyName), Some("Run"));
        assert_eq!(created.get(Col::RegistryValueName), None);
        assert_eq!(created.get(Col::RegistryValueData), None);

        for kind in ["DeleteKey", "DeleteValue"] {
            let deleted = filled(&event("12", &[("EventType", kind)]));
            assert_eq!(deleted.get(Col::Action), Some("deleted"), "{kind}");
        }

        let renamed = filled(&event(
            "14",
            &[
                ("EventType", "RenameKey"),
                ("TargetObject", RUN_KEY),
                ("NewName", r"HKLM\SOFTWARE\Old"),
            ],
        ));
        assert_eq!(renamed.get(Col::RegistryPath), Some(RUN_KEY));
        assert_eq!(renamed.get(Col::Action), None);
    }

    #[test]
    fn key_name_follows_the_replace() {
        let cases = [
            (r"HKU\S-1-5-18\Software", "Software"),
            ("NoBackslash", "NoBackslash"),
            (r"\Leading", r"\Leading"),
            (r"Trailing\", ""),
            ("a\\b\nc\\d", "b\nd"),
            ("", ""),
        ];
        for (target, want) in cases {
            assert_eq!(registry_key_name(target), want, "{target:?}");
        }
    }

    #[test]
    fn value_data_unwraps_only_the_numeric_forms() {
        let cases = [
            ("DWORD (0x00000000)", "0x00000000"),
            ("QWORD (0x01d776fd-0xd724b8c5)", "0x01d776fd-0xd724b8c5"),
            (r"C:\Tools\run.exe -q", r"C:\Tools\run.exe -q"),
            ("Binary Data", "Binary Data"),
            ("DWORD (0x1", "DWORD (0x1"),
            ("(Empty)", "(Empty)"),
        ];
        for (details, want) in cases {
            assert_eq!(value_data(details), want, "{details:?}");
        }
    }
}
