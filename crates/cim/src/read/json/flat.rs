//! Flat JSON events: one object per event with the `System` values and every `EventData`
//! value side by side at the top level, as NXLog's `im_msvistalog` (`to_json()`), HELK/OTRF
//! (NXLog through Logstash) and flattened Winlogbeat output write them.
//!
//! `System` values come from these keys (the first of a row that is present wins):
//!
//! | event field | keys |
//! |---|---|
//! | provider | `SourceName` (NXLog), `ProviderName` |
//! | event id | `EventID` |
//! | channel | `Channel` |
//! | computer | `Computer`, `Hostname` (NXLog: the event's `Computer`), `host` (in OTRF data the collector, so last) |
//! | user id | `UserID` (NXLog: `System/Security/@UserID`) |
//! | keywords | `Keywords`; NXLog writes it as a signed 64-bit integer, rendered back to Windows' hex |
//! | time | see [`super::time`] |
//!
//! Every other key is a data value, collector keys (`Severity`, `Message`, `EventReceivedTime`,
//! `@version`, ...) included. That is harmless: normalizers read only the `EventData` names
//! they map, and the collectors' own keys do not reuse those names (NXLog's `ProcessID` is not
//! Sysmon's `ProcessId`; names compare case-sensitively). The keys read as `System` values
//! are not data values, so they cannot stand in for an `EventData` name.
//!
//! GUIDs are kept as written: these writers take them from Windows' rendering, braces
//! included (`{41C8662E-1F69-5F25-0000-0010EE870200}`).
//!
//! NXLog's field names are case-insensitive, so an `EventData` value named like one of its own
//! fields is lost: Sysmon's `ProcessId` gives way to NXLog's `ProcessID` (the process that
//! wrote the event, Sysmon's service). Sysmon renders its message as `Name: value` lines, so
//! when the object has NXLog's numeric `ProcessID`, no `ProcessId` and a `Message` with a
//! `ProcessId: ` line, that line restores the value (every Sysmon 1 of the shared NXLog data).
//! OTRF's pipeline renames NXLog's field `ExecutionProcessID`, so its events keep `ProcessId`.
//! TODO: Security events lose `ProcessId` the same way in raw NXLog output; their message is
//! localized prose (`Creator Process ID:`), so it is not restored and `parent_process_id` of a
//! 4688 is null there.

use std::borrow::Cow;

use super::evtx_dump::keywords_hex;
use super::time::TimeKeys;
use super::value::Json;
use crate::event::WinEvent;

/// Reads the members of a flat object into `event`.
pub(super) fn read<'a>(members: Vec<(Cow<'a, str>, Json<'a>)>, event: &mut WinEvent<'a>) {
    let mut hostname = None;
    let mut host = None;
    let mut times = TimeKeys::default();
    let mut nxlog_process_id = false;

    for (key, value) in members {
        if key == "ProcessID" && matches!(value, Json::Number(_)) {
            nxlog_process_id = true;
        }
        let slot = match key.as_ref() {
            "SourceName" | "ProviderName" => &mut event.provider,
            "EventID" => &mut event.event_id,
            "Channel" => &mut event.channel,
            "Computer" => &mut event.computer,
            "Hostname" => &mut hostname,
            "host" => &mut host,
            "UserID" => &mut event.user_id,
            "Keywords" => &mut event.keywords,
            "TimeCreated" => &mut times.time_created,
            "EventTime" => &mut times.event_time,
            "@timestamp" => &mut times.timestamp,
            _ => {
                // Sysmon's UtcTime and NXLog's receive time are data and time references.
                if let Json::Str(text) = &value {
                    match key.as_ref() {
                        "UtcTime" => set_first(&mut times.utc_time, text.clone()),
                        "EventReceivedTime" => set_first(&mut times.received_time, text.clone()),
                        _ => {}
                    }
                }
                push_values(key, value, event);
                continue;
            }
        };
        let text = match (key.as_ref(), value) {
            ("Keywords", Json::Number(n)) => Some(Cow::Owned(keywords_hex(n))),
            ("Keywords", Json::Str(s)) => Some(keywords_text(s)),
            (_, value) => value.into_text(),
        };
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            set_first(slot, text);
        }
    }

    if event.computer.is_none() {
        event.computer = hostname.or(host);
    }
    event.system_time = times.system_time();
    if nxlog_process_id && event.data(PROCESS_ID).is_none() {
        let lost = event
            .data("Message")
            .and_then(|m| message_value(m, PROCESS_ID));
        if let Some(value) = lost.map(str::to_owned) {
            event.push_data(Cow::Borrowed(PROCESS_ID), Cow::Owned(value));
        }
    }
}

/// Sysmon's `ProcessId`, which NXLog's own `ProcessID` hides.
const PROCESS_ID: &str = "ProcessId";

/// The value of the `name: value` line of a Sysmon message, up to the line end.
fn message_value<'m>(message: &'m str, name: &str) -> Option<&'m str> {
    message.split('\n').find_map(|line| {
        let value = line.strip_prefix(name)?.strip_prefix(": ")?;
        Some(value.strip_suffix('\r').unwrap_or(value))
    })
}

fn set_first<'a>(slot: &mut Option<Cow<'a, str>>, value: Cow<'a, str>) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// `Keywords` written as text: a decimal integer (signed or not) becomes Windows' hex; hex and
/// anything else stay as written.
fn keywords_text(text: Cow<'_, str>) -> Cow<'_, str> {
    use super::value::Number;
    if let Ok(u) = text.parse::<u64>() {
        return Cow::Owned(keywords_hex(Number::Unsigned(u)));
    }
    if let Ok(i) = text.parse::<i64>() {
        return Cow::Owned(keywords_hex(Number::Signed(i)));
    }
    text
}

/// Adds a data value: a scalar as text, or each scalar of an array. Objects are not flat data.
pub(super) fn push_values<'a>(name: Cow<'a, str>, value: Json<'a>, event: &mut WinEvent<'a>) {
    match value {
        Json::Array(items) => {
            for item in items {
                if let Some(text) = item.into_text() {
                    event.push_data(name.clone(), text);
                }
            }
        }
        scalar => {
            if let Some(text) = scalar.into_text() {
                event.push_data(name, text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(text: &str) -> WinEvent<'_> {
        let Ok(Json::Object(members)) = serde_json::from_str(text) else {
            panic!("an object: {text}")
        };
        let mut ev = WinEvent::default();
        read(members, &mut ev);
        ev
    }

    #[test]
    fn nxlog_sysmon_process_creation() {
        let ev = event(
            r#"{"EventTime":"2020-08-01 07:53:24","Hostname":"dc.lab","Keywords":-9223372036854775808,
                "EventID":1,"SourceName":"Microsoft-Windows-Sysmon","ProcessID":2804,
                "Channel":"Microsoft-Windows-Sysmon/Operational","UserID":"S-1-5-18",
                "UtcTime":"2020-08-01 07:53:13.181","ProcessId":"2964","RuleName":"",
                "ProcessGuid":"{41C8662E-1F69-5F25-0000-0010EE870200}",
                "Image":"C:\\Windows\\servicing\\TrustedInstaller.exe","tags":["a","b"],
                "host":{"name":"collector"}}"#,
        );
        assert_eq!(ev.provider.as_deref(), Some("Microsoft-Windows-Sysmon"));
        assert_eq!(ev.event_id.as_deref(), Some("1"));
        assert_eq!(ev.computer.as_deref(), Some("dc.lab"));
        assert_eq!(ev.keywords.as_deref(), Some("0x8000000000000000"));
        assert_eq!(ev.user_id.as_deref(), Some("S-1-5-18"));
        assert_eq!(
            ev.system_time.as_deref(),
            Some("2020-08-01T07:53:24.000000000Z")
        );
        assert_eq!(ev.data("ProcessId"), Some("2964"));
        assert_eq!(
            ev.data("ProcessID"),
            Some("2804"),
            "collector keys are harmless data"
        );
        assert_eq!(
            ev.data("ProcessGuid"),
            Some("{41C8662E-1F69-5F25-0000-0010EE870200}")
        );
        assert_eq!(ev.data("UtcTime"), Some("2020-08-01 07:53:13.181"));
        assert_eq!(ev.data("RuleName"), None);
        assert_eq!(ev.data("tags"), Some("a"));
        assert_eq!(ev.data("EventID"), None, "System keys are not data");
        assert_eq!(ev.data("Hostname"), None);
    }

    #[test]
    fn sysmon_process_id_hidden_by_nxlog_is_restored_from_the_message() {
        let ev = event(
            r#"{"ProcessID":2804,"Message":"Process Create:\r\nRuleName: \r\nProcessId: 2964\r\nImage: C:\\a.exe"}"#,
        );
        assert_eq!(ev.data("ProcessId"), Some("2964"));
        let ev = event(r#"{"ProcessID":2804,"ProcessId":"1","Message":"ProcessId: 2964"}"#);
        assert_eq!(ev.data("ProcessId"), Some("1"), "a value of its own wins");
        let ev = event(r#"{"ExecutionProcessID":4,"Message":"ProcessId: 2964"}"#);
        assert_eq!(ev.data("ProcessId"), None, "not NXLog's own field");
        let ev = event(r#"{"ProcessID":2804,"Message":"ParentProcessId: 7\nXProcessId: 8"}"#);
        assert_eq!(ev.data("ProcessId"), None);
        assert_eq!(
            message_value("a: 1\r\nProcessId: \r\n", "ProcessId"),
            Some("")
        );
    }

    #[test]
    fn computer_prefers_computer_then_hostname_then_host() {
        let ev = event(r#"{"host":"wec","Hostname":"ws5","Computer":"ws5.lab"}"#);
        assert_eq!(ev.computer.as_deref(), Some("ws5.lab"));
        let ev = event(r#"{"host":"wec","Hostname":"ws5"}"#);
        assert_eq!(ev.computer.as_deref(), Some("ws5"));
        let ev = event(r#"{"host":"wec","Hostname":""}"#);
        assert_eq!(ev.computer.as_deref(), Some("wec"));
        let ev = event(r#"{"ProviderName":"P","SourceName":"S","EventID":"4688"}"#);
        assert_eq!(ev.provider.as_deref(), Some("P"), "the first present wins");
        assert_eq!(ev.event_id.as_deref(), Some("4688"));
    }

    #[test]
    fn keywords_text_forms() {
        let cases = [
            ("-9214364837600034816", "0x8020000000000000"),
            ("9232379236109516800", "0x8020000000000000"),
            ("0x8020000000000000", "0x8020000000000000"),
            ("Audit Success", "Audit Success"),
        ];
        for (text, want) in cases {
            assert_eq!(keywords_text(Cow::Borrowed(text)), want, "{text}");
        }
        let ev = event(r#"{"Keywords":"-9214364837600034816"}"#);
        assert_eq!(ev.keywords.as_deref(), Some("0x8020000000000000"));
    }
}
