//! Sysmon EventID 11 (FileCreate), 23 (FileDelete, archived) and 26 (FileDeleteDetected) to
//! `Endpoint.Filesystem`.
//!
//! Evidence, cited per field below:
//! * **declared**: Splunk's mapping in `splunk/security_content`
//!   `data_sources/sysmon_eventid_11.yml` (v4, Splunk Add-on for Sysmon 5.0.1, commit
//!   `2a60eb067067ee88fa694f2ce41af70f0a3fa75a`), `field_mappings` for `Endpoint.Filesystem`.
//!   `sysmon_eventid_23.yml` (v4) and `_26.yml` (v3) declare no `field_mappings`; 23 lists the
//!   fields the add-on extracts (`action`, `dest`, `file_hash`, `file_modify_time`,
//!   `file_name`, `file_path`, `process_exec`, `process_guid`, `process_id`, `process_name`,
//!   `process_path`, `user`, …) and 26 the same `output_fields`.
//! * **8.x**: the legacy TA-microsoft-sysmon `default/props.conf`
//!   (`dimarra/TA-Microsoft-Sysmon`, read at commit `872dd9388212a91ff06a7e62f497455400cce8c6`,
//!   the same 8.x line the EventID 1 normalizer cites). Its `FIELDALIAS`es apply to every
//!   event code; its `EVAL`s name the codes they cover, and predate 23 and 26.
//! * **inferred**: where neither says, marked so.
//!
//! Sysmon 13.10 added EventID 26 with the fields of 23 minus `Archived` (Sysmon's event
//! manifest), so both are mapped alike. The data model then fills `unknown` into whatever is
//! left (`process`, `file_acl`, …); see [`crate::model`].

use super::sysmon::PROVIDER;
use super::{FilesystemColumn as Col, Normalizer, Row, Schema, FILESYSTEM_SCHEMA};
use crate::event::WinEvent;
use crate::text::basename;

/// Sysmon EventID 11, 23 and 26 from provider `Microsoft-Windows-Sysmon`, whatever its
/// channel.
#[derive(Debug, Clone, Copy, Default)]
pub struct SysmonFileActivity;

impl Normalizer for SysmonFileActivity {
    fn name(&self) -> &'static str {
        "Sysmon EventID 11, 23, 26"
    }

    fn schema(&self) -> &'static Schema {
        &FILESYSTEM_SCHEMA
    }

    fn claims(&self, event: &WinEvent<'_>) -> bool {
        event.provider.as_deref() == Some(PROVIDER)
            && matches!(event.event_id.as_deref(), Some("11" | "23" | "26"))
    }

    fn fill(&self, event: &WinEvent<'_>, row: &mut Row) {
        let created = event.event_id.as_deref() == Some("11");
        let target = event.data("TargetFilename");
        let image = event.data("Image");

        // Declared: Computer → dest (8.x: EVAL-dest = case(... EventCode == "11" ..., Computer)).
        // 23 and 26 list `dest` too; Computer is inferred for them.
        row.set_opt(Col::Dest, event.computer.as_deref());
        // Declared: TargetFilename → file_path, `TargetFilename|endswith` → file_name (the
        // basename); 8.x: FIELDALIAS TargetFilename AS file_path.
        row.set_opt(Col::FilePath, target);
        row.set_opt(Col::FileName, target.map(basename));
        // Declared: ProcessGuid (braces kept as rendered) and ProcessId.
        row.set_opt(Col::ProcessGuid, event.data("ProcessGuid"));
        row.set_opt(Col::ProcessId, event.data("ProcessId"));
        // 8.x: FIELDALIAS Image AS process_path; EVAL-process_name and EVAL-process_exec strip
        // the directory of Image for EventCode 11. The 5.0.1 field lists of 11 and 23 hold all
        // three; a plain basename, as for EventID 1.
        row.set_opt(Col::ProcessPath, image);
        row.set_opt(Col::ProcessName, image.map(basename));
        row.set_opt(Col::ProcessExec, image.map(basename));
        // 8.x: FIELDALIAS User AS user. EventID 11 carries User only in newer Sysmon schemas.
        row.set_opt(Col::User, event.data("User"));

        if created {
            // 8.x: FIELDALIAS CreationUtcTime AS file_create_time, as written
            // (`2023-04-04 18:45:10.893`).
            row.set_opt(Col::FileCreateTime, event.data("CreationUtcTime"));
            // 8.x: EVAL-action = case(... EventCode=="11" AND EventDescription=="File Created",
            // "created").
            row.set(Col::Action, "created");
        } else {
            // Inferred: 23 lists `file_hash` beside `Hashes`; the whole string, as
            // process_hash is for EventID 1.
            row.set_opt(Col::FileHash, event.data("Hashes"));
            // Inferred: 23 lists `file_modify_time`; UtcTime is the event's only time of the
            // deletion.
            row.set_opt(Col::FileModifyTime, event.data("UtcTime"));
            // Inferred: 23 lists `action`; "deleted" is the CIM's expected value for it.
            row.set(Col::Action, "deleted");
        }

        // 8.x: EVAL-vendor_product = "Microsoft Sysmon".
        row.set(Col::VendorProduct, "Microsoft Sysmon");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(id: &'a str, data: &[(&'a str, &'a str)]) -> WinEvent<'a> {
        WinEvent {
            provider: Some(PROVIDER.into()),
            event_id: Some(id.into()),
            computer: Some("desk-7.corp.example".into()),
            user_id: Some("S-1-5-18".into()),
            ..WinEvent::default()
        }
        .with_data(data)
    }

    fn filled(ev: &WinEvent<'_>) -> Row {
        let mut row = Row::new(&FILESYSTEM_SCHEMA);
        SysmonFileActivity.fill(ev, &mut row);
        row
    }

    #[test]
    fn claims_sysmon_file_events_only() {
        let n = SysmonFileActivity;
        for id in ["11", "23", "26"] {
            assert!(n.claims(&event(id, &[])), "{id}");
        }
        for id in ["1", "2", "3", "12", "15", "110"] {
            assert!(!n.claims(&event(id, &[])), "{id}");
        }
        let mut other = event("11", &[]);
        other.provider = Some("Microsoft-Windows-Kernel-File".into());
        assert!(!n.claims(&other));
    }

    #[test]
    fn a_file_creation() {
        let row = filled(&event(
            "11",
            &[
                ("UtcTime", "2024-02-03 10:11:12.345"),
                ("ProcessGuid", "{0a1b2c3d-0000-1111-2222-333344445555}"),
                ("ProcessId", "4242"),
                ("Image", r"C:\Program Files\Editor\edit.exe"),
                ("TargetFilename", r"C:\Users\kim\Documents\notes.txt"),
                ("CreationUtcTime", "2024-02-03 10:11:12.300"),
            ],
        ));
        assert_eq!(row.get(Col::Dest), Some("desk-7.corp.example"));
        assert_eq!(
            row.get(Col::FilePath),
            Some(r"C:\Users\kim\Documents\notes.txt")
        );
        assert_eq!(row.get(Col::FileName), Some("notes.txt"));
        assert_eq!(
            row.get(Col::FileCreateTime),
            Some("2024-02-03 10:11:12.300")
        );
        assert_eq!(row.get(Col::ProcessName), Some("edit.exe"));
        assert_eq!(row.get(Col::ProcessExec), Some("edit.exe"));
        assert_eq!(
            row.get(Col::ProcessPath),
            Some(r"C:\Program Files\Editor\edit.exe")
        );
        assert_eq!(row.get(Col::ProcessId), Some("4242"));
        assert_eq!(row.get(Col::Action), Some("created"));
        assert_eq!(row.get(Col::VendorProduct), Some("Microsoft Sysmon"));
        // Not in this event: left for the data model.
        assert_eq!(row.get(Col::User), None);
        assert_eq!(row.get(Col::FileHash), None);
        assert_eq!(row.get(Col::FileModifyTime), None);
    }

    #[test]
    fn a_file_deletion_keeps_hashes_and_user() {
        for id in ["23", "26"] {
            let row = filled(&event(
                id,
                &[
                    ("UtcTime", "2024-02-03 10:20:00.001"),
                    ("User", r"CORP\kim"),
                    ("Image", r"C:\Windows\System32\cmd.exe"),
                    ("TargetFilename", r"C:\Temp\stage\payload.ps1"),
                    ("Hashes", "SHA1=00112233445566778899AABBCCDDEEFF00112233"),
                    ("IsExecutable", "false"),
                ],
            ));
            assert_eq!(row.get(Col::Action), Some("deleted"), "{id}");
            assert_eq!(row.get(Col::FileName), Some("payload.ps1"));
            assert_eq!(row.get(Col::User), Some(r"CORP\kim"));
            assert_eq!(
                row.get(Col::FileHash),
                Some("SHA1=00112233445566778899AABBCCDDEEFF00112233")
            );
            assert_eq!(
                row.get(Col::FileModifyTime),
                Some("2024-02-03 10:20:00.001")
            );
            assert_eq!(row.get(Col::FileCreateTime), None);
        }
    }

    #[test]
    fn a_target_without_a_folder_is_its_own_name() {
        let row = filled(&event("11", &[("TargetFilename", "orphan.tmp")]));
        assert_eq!(row.get(Col::FileName), Some("orphan.tmp"));
        let row = filled(&event("11", &[]));
        assert_eq!(row.get(Col::FileName), None);
        assert_eq!(row.get(Col::ProcessName), None);
    }
}
