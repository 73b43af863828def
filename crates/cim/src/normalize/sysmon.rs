//! Sysmon EventID 1 (process creation) to `Endpoint.Processes`.
//!
//! Mapping of `cim-endpoint-processes.md` §2a. Evidence per field: Splunk's declared mapping in
//! `splunk/security_content` `data_sources/sysmon_eventid_1.yml` (Splunk Add-on for Sysmon
//! 5.0.1), and the legacy TA-microsoft-sysmon 8.1.0 `default/props.conf`
//! (`dimarra/TA-Microsoft-Sysmon`), whose `FIELDALIAS`/`EVAL` lines are cited below.
//!
//! Only `process_name` among the CIM-calculated fields is set here, because the add-on sets it
//! itself; `unknown` fills and lower-casing belong to the data model.

use super::{Column, Normalizer, Row, Schema, PROCESSES_SCHEMA};
use crate::event::WinEvent;
use crate::text::basename;

/// Sysmon's provider name; EventID 1 of any other provider is not a Sysmon process creation.
pub(super) const PROVIDER: &str = "Microsoft-Windows-Sysmon";

/// Sysmon EventID 1 from provider `Microsoft-Windows-Sysmon`, whatever its channel.
#[derive(Debug, Clone, Copy, Default)]
pub struct SysmonProcessCreation;

impl Normalizer for SysmonProcessCreation {
    fn name(&self) -> &'static str {
        "Sysmon EventID 1"
    }

    fn schema(&self) -> &'static Schema {
        &PROCESSES_SCHEMA
    }

    fn claims(&self, event: &WinEvent<'_>) -> bool {
        event.is(PROVIDER, "1")
    }

    fn fill(&self, event: &WinEvent<'_>, row: &mut Row) {
        let image = event.data("Image");
        let parent_image = event.data("ParentImage");

        // 8.1.0: EVAL-dest = case(... EventCode=="1" ..., Computer); declared `Computer`.
        row.set_opt(Column::Dest, event.computer.as_deref());
        // 8.1.0: FIELDALIAS CommandLine AS process, Image AS process_path.
        row.set_opt(Column::Process, event.data("CommandLine"));
        row.set_opt(Column::ProcessPath, image);
        // 8.1.0: EVALs strip the directory of Image for process_name and process_exec. Its
        // regex only strips when the name ends in `.ext` or word characters; the declared 5.x
        // mapping is a plain basename, which is what is done here.
        row.set_opt(Column::ProcessName, image.map(basename));
        row.set_opt(Column::ProcessExec, image.map(basename));
        // Declared: ProcessId, ProcessGuid (braces kept as rendered), Hashes (whole string).
        row.set_opt(Column::ProcessId, event.data("ProcessId"));
        row.set_opt(Column::ProcessGuid, event.data("ProcessGuid"));
        row.set_opt(Column::ProcessHash, event.data("Hashes"));
        // Declared: IntegrityLevel as written; the data model lower-cases it.
        row.set_opt(Column::ProcessIntegrityLevel, event.data("IntegrityLevel"));
        row.set_opt(
            Column::ProcessCurrentDirectory,
            event.data("CurrentDirectory"),
        );
        row.set_opt(Column::OriginalFileName, event.data("OriginalFileName"));

        // Declared: ParentCommandLine, ParentProcessId, ParentProcessGuid; 8.1.0 aliases
        // ParentImage to parent_process_path and strips it for the name and exec.
        row.set_opt(Column::ParentProcess, event.data("ParentCommandLine"));
        row.set_opt(Column::ParentProcessPath, parent_image);
        row.set_opt(Column::ParentProcessName, parent_image.map(basename));
        row.set_opt(Column::ParentProcessExec, parent_image.map(basename));
        row.set_opt(Column::ParentProcessId, event.data("ParentProcessId"));
        row.set_opt(Column::ParentProcessGuid, event.data("ParentProcessGuid"));

        // 8.1.0: FIELDALIAS User AS user; TA_windows: FIELDALIAS UserID AS user_id, the SID in
        // System/Security (the Sysmon service's account, not the process owner).
        row.set_opt(Column::User, event.data("User"));
        row.set_opt(Column::UserId, event.user_id.as_deref());

        // 8.1.0: EVAL-action = case(EventCode=="1","allowed", ...),
        // EVAL-vendor_product = "Microsoft Sysmon".
        row.set(Column::Action, "allowed");
        row.set(Column::VendorProduct, "Microsoft Sysmon");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(provider: &'a str, id: &'a str, data: &[(&'a str, &'a str)]) -> WinEvent<'a> {
        WinEvent {
            provider: Some(provider.into()),
            event_id: Some(id.into()),
            computer: Some("host-1".into()),
            user_id: Some("S-1-5-18".into()),
            ..WinEvent::default()
        }
        .with_data(data)
    }

    #[test]
    fn claims_only_sysmon_event_1() {
        let n = SysmonProcessCreation;
        assert!(n.claims(&event(PROVIDER, "1", &[])));
        assert!(!n.claims(&event(PROVIDER, "3", &[])));
        assert!(!n.claims(&event("Microsoft-Windows-Winsock-WS2HELP", "1", &[])));
        assert!(!n.claims(&event("microsoft-windows-sysmon", "1", &[])));
    }

    #[test]
    fn fills_the_add_on_fields() {
        let ev = event(
            PROVIDER,
            "1",
            &[
                ("Image", r"C:\Windows\System32\cmd.exe"),
                ("CommandLine", r#""C:\Windows\System32\cmd.exe" /c whoami"#),
                ("ProcessGuid", "{11111111-2222-3333-4444-555555555555}"),
                ("ParentImage", r"C:\Windows\explorer.exe"),
                ("IntegrityLevel", "High"),
            ],
        );
        let mut row = Row::new(&PROCESSES_SCHEMA);
        SysmonProcessCreation.fill(&ev, &mut row);
        assert_eq!(row.get(Column::ProcessName), Some("cmd.exe"));
        assert_eq!(row.get(Column::ProcessExec), Some("cmd.exe"));
        assert_eq!(row.get(Column::ParentProcessName), Some("explorer.exe"));
        assert_eq!(row.get(Column::ProcessIntegrityLevel), Some("High"));
        assert_eq!(
            row.get(Column::ProcessGuid),
            Some("{11111111-2222-3333-4444-555555555555}")
        );
        assert_eq!(row.get(Column::Dest), Some("host-1"));
        assert_eq!(row.get(Column::UserId), Some("S-1-5-18"));
        assert_eq!(row.get(Column::Action), Some("allowed"));
        assert_eq!(row.get(Column::VendorProduct), Some("Microsoft Sysmon"));
        // Not in the event, so left for the data model to fill.
        assert_eq!(row.get(Column::OriginalFileName), None);
        assert_eq!(row.get(Column::ParentProcess), None);
        assert_eq!(row.get(Column::Vendor), None);
    }
}
