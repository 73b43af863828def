//! The evtx_dump shape: the XML of a Windows event turned into JSON by `evtx_dump` (the Rust
//! `evtx` crate) and tools that copy its layout:
//!
//! ```text
//! {"Event":{"#attributes":{..},
//!           "System":{"Provider":{"#attributes":{"Name":..}},
//!                     "EventID":1 | {"#text":4688,"#attributes":{"Qualifiers":..}},
//!                     "TimeCreated":{"#attributes":{"SystemTime":..}}, "Channel":..,
//!                     "Computer":.., "Security":{"#attributes":{"UserID":..}}, "Keywords":..},
//!           "EventData":{"Name":value, ..}}}
//! ```
//!
//! The object may also be the content of `Event` itself (`{"System":..,"EventData":..}`), and
//! attributes may sit in a sibling `X_attributes` object (`evtx_dump --separate-json-attributes`).
//!
//! Every value is read so that the event gives the row its XML rendering gives:
//! * numbers become decimal text, `null` and `""` are absent (an empty `<Data/>`);
//! * an array under one name (evtx 0.15 writes repeated `Data` names so) is one value per
//!   element, in order, as repeated `<Data Name='X'>` elements are;
//! * `EventData/Data` holds the unnamed `<Data>` elements, which the XML reader ignores too;
//!   objects in it that carry a name (`{"#attributes":{"Name":..},"#text":..}` or xmltodict's
//!   `{"@Name":..,"#text":..}`) are read as named values;
//! * `UserData` is not read, as the XML reader does not read it: such events stay unmapped;
//! * GUIDs: see [`restore_guid`].

use std::borrow::Cow;

use super::value::{Json, Number};
use crate::event::WinEvent;

/// Reads an evtx_dump object (with or without its `Event` wrapper) into `event`.
pub(super) fn read<'a>(mut object: Json<'a>, event: &mut WinEvent<'a>) {
    let mut root = match object.take("Event") {
        Some(inner @ Json::Object(_)) => inner,
        _ => object,
    };
    if let Some(system) = root.take("System") {
        read_system(system, event);
    }
    if let Some(data) = root.take("EventData") {
        read_event_data(data, event);
    }
}

fn read_system<'a>(mut system: Json<'a>, event: &mut WinEvent<'a>) {
    event.provider = attribute(&mut system, "Provider", "Name");
    event.event_id = system.take("EventID").and_then(element_text);
    event.system_time = attribute(&mut system, "TimeCreated", "SystemTime");
    event.channel = system.take("Channel").and_then(element_text);
    event.computer = system.take("Computer").and_then(element_text);
    event.user_id = attribute(&mut system, "Security", "UserID");
    event.keywords = system.take("Keywords").and_then(|k| match k {
        Json::Number(n) => Some(Cow::Owned(keywords_hex(n))),
        other => element_text(other),
    });
}

/// The attribute `name` of the child element `element` of `parent`.
fn attribute<'a>(parent: &mut Json<'a>, element: &str, name: &str) -> Option<Cow<'a, str>> {
    let inline = parent
        .take(element)
        .and_then(|mut e| e.take("#attributes"))
        .and_then(|mut attrs| attrs.take(name));
    let value = match inline {
        Some(v) => v,
        None => parent.take(&format!("{element}_attributes"))?.take(name)?,
    };
    value.into_text().filter(|v| !v.is_empty())
}

/// The text of an element: a scalar as it is, or the `#text` of an element with attributes.
fn element_text(value: Json<'_>) -> Option<Cow<'_, str>> {
    let text = match value {
        Json::Object(_) => {
            let mut value = value;
            value.take("#text")?.into_text()
        }
        scalar => scalar.into_text(),
    };
    text.filter(|t| !t.is_empty())
}

/// `System/Keywords` written as a number, in the hex form Windows renders (`0x8000000000000000`,
/// lower-case, no padding: `0x0`). Signed values are read as their 64 bits.
pub(super) fn keywords_hex(n: Number) -> String {
    match n {
        Number::Unsigned(u) => format!("0x{u:x}"),
        // The bit pattern is the value Windows stored; the sign is JSON's reading of it.
        Number::Signed(i) => format!("0x{:x}", i as u64),
        Number::Float(x) => x.to_string(),
    }
}

fn read_event_data<'a>(data: Json<'a>, event: &mut WinEvent<'a>) {
    let Json::Object(members) = data else {
        return;
    };
    for (name, value) in members {
        match (name.as_ref(), value) {
            ("#attributes" | "#text", _) => {}
            ("Data", elements @ (Json::Array(_) | Json::Object(_))) => {
                read_data_elements(elements, event);
            }
            // A scalar under `Data` is an unnamed <Data> element.
            ("Data", _) => {}
            (_, value) => push_values(name, value, event),
        }
    }
}

/// `EventData/Data` as an array of elements (or one element): the named ones are values.
fn read_data_elements<'a>(elements: Json<'a>, event: &mut WinEvent<'a>) {
    let items = match elements {
        Json::Array(items) => items,
        one => vec![one],
    };
    for mut item in items {
        let name = item
            .take("#attributes")
            .and_then(|mut a| a.take("Name"))
            .or_else(|| item.take("@Name"))
            .and_then(Json::into_text);
        let (Some(name), Some(text)) = (name, item.take("#text")) else {
            continue;
        };
        push_values(name, text, event);
    }
}

/// Adds the value(s) of one named member: a scalar, each scalar of an array, or the `#text`
/// of an element object.
fn push_values<'a>(name: Cow<'a, str>, value: Json<'a>, event: &mut WinEvent<'a>) {
    match value {
        Json::Array(items) => {
            for item in items {
                if let Some(text) = item.into_text() {
                    event.push_data(name.clone(), restore_guid(text));
                }
            }
        }
        Json::Object(_) => {
            let mut value = value;
            if let Some(text) = value.take("#text").and_then(Json::into_text) {
                event.push_data(name, restore_guid(text));
            }
        }
        scalar => {
            if let Some(text) = scalar.into_text() {
                event.push_data(name, restore_guid(text));
            }
        }
    }
}

/// A GUID value in the form Windows' XML rendering gives it.
///
/// Windows renders a GUID-typed value in braces; evtx_dump before 0.15 wrote the same value
/// bare, `0197231E-F943-69E5-A527-000000000800` (the shared sigma JSON). So a value that is
/// exactly a bare GUID (8-4-4-4-12 hex digits) with no lower-case letter is taken to be that
/// rendering of a GUID-typed value and gets its braces back, its case kept: upper case, as
/// Windows 7 and 10 render GUIDs and as the EVTX reader writes them (see `read::evtx`), so one
/// event gives one row from either file. A bare GUID with lower-case letters is left alone:
/// old evtx_dump never wrote a GUID-typed value so, so it is a string the provider wrote that
/// way (PowerShell's `ScriptBlockId`).
///
/// Known limit: newer Windows builds render GUIDs in lower case (the 2025-2026 attack_data
/// logs); neither the binary record nor this JSON says which a host used, so such XML and this
/// reading differ in case. Searches compare case-insensitively; grouped output does not.
pub(super) fn restore_guid(value: Cow<'_, str>) -> Cow<'_, str> {
    if is_bare_upper_guid(&value) {
        Cow::Owned(format!("{{{value}}}"))
    } else {
        value
    }
}

fn is_bare_upper_guid(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'A'..=b'F').contains(&c),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(text: &str) -> WinEvent<'_> {
        let value: Json<'_> = serde_json::from_str(text).expect("valid JSON");
        let mut ev = WinEvent::default();
        read(value, &mut ev);
        ev
    }

    #[test]
    fn reads_system_and_event_data() {
        let ev = event(
            r##"{"Event":{"#attributes":{"xmlns":"x"},"System":{
                "Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon","Guid":"G"}},
                "EventID":1,"Keywords":"0x8000000000000000",
                "TimeCreated":{"#attributes":{"SystemTime":"2026-04-20T10:00:35.646624Z"}},
                "Correlation":null,"Channel":"Microsoft-Windows-Sysmon/Operational",
                "Computer":"pc","Security":{"#attributes":{"UserID":"S-1-5-18"}}},
              "EventData":{"RuleName":"-","ProcessId":6180,"Empty":"","Gone":null,
                "ProcessGuid":"0197231E-F943-69E5-A527-000000000800",
                "Image":"C:\\x\\a.exe","Flag":true,"Nested":{"deep":1}}}}"##,
        );
        assert_eq!(ev.provider.as_deref(), Some("Microsoft-Windows-Sysmon"));
        assert_eq!(ev.event_id.as_deref(), Some("1"));
        assert_eq!(ev.keywords.as_deref(), Some("0x8000000000000000"));
        assert_eq!(
            ev.system_time.as_deref(),
            Some("2026-04-20T10:00:35.646624Z")
        );
        assert_eq!(ev.computer.as_deref(), Some("pc"));
        assert_eq!(ev.user_id.as_deref(), Some("S-1-5-18"));
        assert_eq!(ev.data("ProcessId"), Some("6180"));
        assert_eq!(
            ev.data("ProcessGuid"),
            Some("{0197231E-F943-69E5-A527-000000000800}")
        );
        assert_eq!(ev.data("Image"), Some(r"C:\x\a.exe"));
        assert_eq!(ev.data("Flag"), Some("true"));
        assert_eq!(ev.data("Empty"), None);
        assert_eq!(ev.data("Gone"), None);
        assert_eq!(ev.data("Nested"), None);
    }

    #[test]
    fn event_id_with_qualifiers_unwrapped_root_and_separate_attributes() {
        let ev = event(
            r##"{"System":{"Provider":"","Provider_attributes":{"Name":"Service Control Manager"},
                "EventID":{"#attributes":{"Qualifiers":16384},"#text":7036},
                "Keywords":-9214364837600034816,"Security":null},
               "EventData":{"Data":[{"#attributes":{"Name":"param1"},"#text":"WinRM"},
                  "unnamed",{"@Name":"param2","#text":"running"},{"#text":"no name"}]}}"##,
        );
        assert_eq!(ev.provider.as_deref(), Some("Service Control Manager"));
        assert_eq!(ev.event_id.as_deref(), Some("7036"));
        assert_eq!(ev.keywords.as_deref(), Some("0x8020000000000000"));
        assert_eq!(ev.user_id, None);
        let values: Vec<_> = ev.data_values().collect();
        assert_eq!(values, vec![("param1", "WinRM"), ("param2", "running")]);
    }

    #[test]
    fn repeated_names_and_unnamed_data_follow_the_xml_reading() {
        let ev = event(
            r##"{"Event":{"System":{"EventID":4648},"EventData":{
                "Strings":["a","","c"],"LogonGuid":"{AA}","LogonGuid_1":"{BB}",
                "Data":"unnamed","#text":"loose"},
                "UserData":{"LogFileCleared":{"SubjectUserName":"bob"}}}}"##,
        );
        let values: Vec<_> = ev.data_values().collect();
        assert_eq!(
            values,
            vec![
                ("Strings", "a"),
                ("Strings", "c"),
                ("LogonGuid", "{AA}"),
                ("LogonGuid_1", "{BB}")
            ]
        );
        assert_eq!(ev.data("SubjectUserName"), None, "UserData is not read");
    }

    #[test]
    fn only_bare_upper_case_guids_get_braces() {
        let cases = [
            (
                "0197231E-F943-69E5-A527-000000000800",
                "{0197231E-F943-69E5-A527-000000000800}",
            ),
            (
                "00000000-0000-0000-0000-000000000000",
                "{00000000-0000-0000-0000-000000000000}",
            ),
            (
                "{0197231e-f943-69e5-a527-000000000800}",
                "{0197231e-f943-69e5-a527-000000000800}",
            ),
            (
                "{4E601973-4A75-642C-F6AA-050000005000}",
                "{4E601973-4A75-642C-F6AA-050000005000}",
            ),
            (
                "e2ab4b4e-3a1c-4c2e-9f51-1a2b3c4d5e6f",
                "e2ab4b4e-3a1c-4c2e-9f51-1a2b3c4d5e6f",
            ),
            (
                "0197231E-F943-69E5-A527-00000000080",
                "0197231E-F943-69E5-A527-00000000080",
            ),
            (
                "0197231E-F943-69E5-A527_000000000800",
                "0197231E-F943-69E5-A527_000000000800",
            ),
            (
                "0197231G-F943-69E5-A527-000000000800",
                "0197231G-F943-69E5-A527-000000000800",
            ),
            ("", ""),
        ];
        for (value, want) in cases {
            assert_eq!(restore_guid(Cow::Borrowed(value)), want, "{value}");
        }
    }

    #[test]
    fn keywords_numbers_are_rendered_in_hex() {
        assert_eq!(keywords_hex(Number::Signed(i64::MIN)), "0x8000000000000000");
        assert_eq!(keywords_hex(Number::Unsigned(0)), "0x0");
        assert_eq!(
            keywords_hex(Number::Unsigned(0x8020_0000_0000_0000)),
            "0x8020000000000000"
        );
    }
}
