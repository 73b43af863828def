//! CrowdStrike FDR `ProcessRollup2` (a process started) to `Endpoint.Processes`.
//!
//! Mapping of `cim-endpoint-processes.md` §2c. The Splunk Add-on for CrowdStrike FDR's conf
//! files are not public, so the evidence is Splunk's declared mapping in `splunk/security_content`
//! `data_sources/crowdstrike_processrollup2.yml` (v3, add-on 3.0.0): its `field_mappings`
//! (marked "declared" below) and its `fields` list, which names what the add-on extracts but not
//! how (marked "field list"; the values there are readings, said so where made).
//!
//! The reader hands an FDR event over as a [`WinEvent`] with provider
//! [`CROWDSTRIKE_PROVIDER`], the `event_simpleName` as event id and every key as a data value.

use super::{Column, Common, Normalizer, Row, Schema, PROCESSES_SCHEMA};
use crate::event::WinEvent;
use crate::read::SkipReason;
use crate::text::basename;

/// The provider of events read from CrowdStrike FDR JSON.
pub const CROWDSTRIKE_PROVIDER: &str = "CrowdStrike Falcon";

/// `sourcetype` of FDR sensor events (data source header `sourcetype:`).
pub const CROWDSTRIKE_SOURCETYPE: &str = "crowdstrike:events:sensor";

/// `source` of FDR sensor events (data source header `source:`).
pub const CROWDSTRIKE_SOURCE: &str = "crowdstrike";

/// The field `_time` is read from.
const TIME_FIELD: &str = "timestamp";

/// CrowdStrike `ProcessRollup2` events.
///
/// Claimed: `event_simpleName` `ProcessRollup2`, the data source's `separator_value`. FDR names
/// the schema version in `name` (`ProcessRollup2V19`) and keeps `event_simpleName` bare; a
/// versioned `ProcessRollup2V<n>` there is claimed too, in case a feed copies `name` over.
/// `SyntheticProcessRollup2` (processes found running when the sensor started) is another data
/// source and stays unmapped.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrowdStrikeProcessRollup2;

/// Whether `name` is `ProcessRollup2` or `ProcessRollup2V<digits>`.
fn is_process_rollup2(name: &str) -> bool {
    match name.strip_prefix("ProcessRollup2") {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix('V')
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

impl Normalizer for CrowdStrikeProcessRollup2 {
    fn name(&self) -> &'static str {
        "CrowdStrike ProcessRollup2"
    }

    fn schema(&self) -> &'static Schema {
        &PROCESSES_SCHEMA
    }

    fn claims(&self, event: &WinEvent<'_>) -> bool {
        event.provider.as_deref() == Some(CROWDSTRIKE_PROVIDER)
            && event.event_id.as_deref().is_some_and(is_process_rollup2)
    }

    /// `timestamp`: epoch milliseconds as text (`1713805173418`). It is on every FDR event, so
    /// it is the time the add-on can take for all of them, and it is the event's own time (when
    /// the sensor's event reached the cloud). `ProcessStartTime` (epoch seconds with a fraction)
    /// is only on process events and is the process's start, about 100 ms earlier in the
    /// example; it stays a data value. The add-on's time settings are not public: this is a
    /// reading.
    fn time(&self, event: &WinEvent<'_>) -> Result<f64, SkipReason> {
        let text = event
            .data(TIME_FIELD)
            .ok_or(SkipReason::MissingTimeField { field: TIME_FIELD })?;
        epoch_millis(text).ok_or_else(|| SkipReason::BadTimeField {
            field: TIME_FIELD,
            value: text.to_owned(),
            expected: "epoch milliseconds",
        })
    }

    /// `source` and `sourcetype` from the data source's header. `host`: the event's
    /// `ComputerName` when the feed has one, else `aid`, the sensor's id, which is the only name
    /// of the machine FDR's `ProcessRollup2` holds (the add-on's input settings are not public;
    /// this is a choice).
    fn fill_common(&self, event: &WinEvent<'_>, row: &mut Row) {
        let host = event.computer.as_deref().or_else(|| event.data("aid"));
        row.set_opt(Common::Host, host);
        row.set(Common::Source, CROWDSTRIKE_SOURCE);
        row.set(Common::Sourcetype, CROWDSTRIKE_SOURCETYPE);
    }

    fn fill(&self, event: &WinEvent<'_>, row: &mut Row) {
        let image = event.data("ImageFileName");
        let parent_name = event.data("ParentBaseFileName");

        // Declared: CommandLine, ImageFileName (an NT device path, kept as written) and its
        // file name (`ImageFileName|endswith`). Field list: process_exec, read as the same name
        // as the other add-ons give it.
        row.set_opt(Column::Process, event.data("CommandLine"));
        row.set_opt(Column::ProcessPath, image);
        row.set_opt(Column::ProcessName, image.map(basename));
        row.set_opt(Column::ProcessExec, image.map(basename));
        // Declared: RawProcessId (the OS PID) and ParentProcessId (the parent's Falcon
        // TargetProcessId, not an OS PID), both as written.
        row.set_opt(Column::ProcessId, event.data("RawProcessId"));
        row.set_opt(Column::ParentProcessId, event.data("ParentProcessId"));
        // Declared: SHA256HashData.
        row.set_opt(Column::ProcessHash, event.data("SHA256HashData"));
        // Declared: ParentBaseFileName, the parent's file name (no path or command line in
        // ProcessRollup2). Field list: parent_process_exec, read as the same name.
        row.set_opt(Column::ParentProcessName, parent_name);
        row.set_opt(Column::ParentProcessExec, parent_name);
        // Declared: UserSid as user. Field list: user_id, read as the same SID.
        row.set_opt(Column::User, event.data("UserSid"));
        row.set_opt(Column::UserId, event.data("UserSid"));
        // Field list: process_integrity_level through the `resolve_process_integrity_level`
        // lookup; see `integrity_level`.
        row.set_opt(
            Column::ProcessIntegrityLevel,
            event.data("IntegrityLevel").and_then(integrity_level),
        );
        // Field list: dest, resolved from `aid` through the aidmaster inventory, which this
        // crate does not have. ComputerName (streaming feeds) or an already resolved
        // aid_computer_name is used when present; otherwise dest stays null (`unknown`).
        let dest = event
            .computer
            .as_deref()
            .or_else(|| event.data("aid_computer_name"));
        row.set_opt(Column::Dest, dest);
        // Field list: action and vendor_product, values not published. A started process is
        // `allowed`, as the Sysmon and Windows add-ons say for process creation; the product
        // is named as CrowdStrike names it.
        row.set(Column::Action, "allowed");
        row.set(Column::VendorProduct, "CrowdStrike Falcon");
        // Not produced: original_file_name (PeVersionInfo events carry it), process_guid,
        // parent_process_guid, parent_process, parent_process_path, process_current_directory,
        // vendor, product. They stay null, and the data model fills `unknown` where it does.
    }
}

/// The integrity level name of a Windows mandatory label RID as `IntegrityLevel` writes it,
/// in the data model's words (`cim-endpoint-processes.md` §2c; `0`, untrusted, is the CIM's
/// seventh expected value). Anything else has no name: a lookup that does not match leaves the
/// field null.
fn integrity_level(rid: &str) -> Option<&'static str> {
    Some(match rid {
        "0" => "untrusted",
        "4096" => "low",
        "8192" => "medium",
        "8448" => "medium high",
        "12288" => "high",
        "16384" => "system",
        "20480" => "protected process",
        _ => return None,
    })
}

/// Epoch seconds of a non-negative count of milliseconds written in ASCII digits.
fn epoch_millis(text: &str) -> Option<f64> {
    if text.is_empty() || text.len() > 15 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis: u64 = text.parse().ok()?;
    // Whole seconds and the millisecond fraction apart, so the fraction is not lost to
    // rounding in one large division.
    Some((millis / 1000) as f64 + (millis % 1000) as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{normalize, rows, Outcome};

    fn event(data: &[(&'static str, &'static str)]) -> WinEvent<'static> {
        WinEvent {
            provider: Some(CROWDSTRIKE_PROVIDER.into()),
            event_id: Some("ProcessRollup2".into()),
            ..WinEvent::default()
        }
        .with_data(data)
    }

    #[test]
    fn claims_process_rollup2_and_its_versions_only() {
        let n = CrowdStrikeProcessRollup2;
        for (id, claimed) in [
            ("ProcessRollup2", true),
            ("ProcessRollup2V19", true),
            ("ProcessRollup2V", false),
            ("ProcessRollup2Vx", false),
            ("SyntheticProcessRollup2", false),
            ("ProcessRollup3", false),
            ("processrollup2", false),
        ] {
            let mut ev = event(&[]);
            ev.event_id = Some(id.into());
            assert_eq!(n.claims(&ev), claimed, "{id}");
        }
        let mut sysmon = event(&[]);
        sysmon.provider = Some("Microsoft-Windows-Sysmon".into());
        assert!(!n.claims(&sysmon));
    }

    #[test]
    fn integrity_levels_are_named() {
        assert_eq!(integrity_level("12288"), Some("high"));
        assert_eq!(integrity_level("8448"), Some("medium high"));
        assert_eq!(integrity_level("20480"), Some("protected process"));
        assert_eq!(integrity_level("High"), None);
        assert_eq!(integrity_level("12289"), None);
    }

    #[test]
    fn time_is_the_timestamp_in_milliseconds() {
        let n = CrowdStrikeProcessRollup2;
        let t = n
            .time(&event(&[("timestamp", "1713805173418")]))
            .expect("a time");
        assert!((t - 1_713_805_173.418).abs() < 1e-6, "{t}");
        assert_eq!(n.time(&event(&[("timestamp", "0")])), Ok(0.0));
        assert_eq!(
            n.time(&event(&[])),
            Err(SkipReason::MissingTimeField { field: "timestamp" })
        );
        for bad in ["1713805173.418", "-1", "x", "9999999999999999", " 1"] {
            assert_eq!(
                n.time(&event(&[("timestamp", bad)])),
                Err(SkipReason::BadTimeField {
                    field: "timestamp",
                    value: bad.into(),
                    expected: "epoch milliseconds"
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn host_falls_back_to_the_sensor_id_and_dest_stays_null() {
        let mut rows = rows();
        let ev = event(&[("timestamp", "1000"), ("aid", "168a90e1")]);
        assert_eq!(normalize(&ev, &mut rows), Outcome::Mapped { slot: 0 });
        let row = &rows[0];
        assert_eq!(row.time, 1.0);
        assert_eq!(row.get(Common::Host), Some("168a90e1"));
        assert_eq!(row.get(Common::Source), Some("crowdstrike"));
        assert_eq!(
            row.get(Common::Sourcetype),
            Some("crowdstrike:events:sensor")
        );
        assert_eq!(row.get(Column::Dest), None);

        let mut ev = event(&[("timestamp", "1000"), ("aid", "168a90e1")]);
        ev.computer = Some("WS1".into());
        normalize(&ev, &mut rows);
        assert_eq!(rows[0].get(Common::Host), Some("WS1"));
        assert_eq!(rows[0].get(Column::Dest), Some("WS1"));
    }
}
