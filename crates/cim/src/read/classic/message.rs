//! The `Message=` body of a classic record to the named `EventData` values of the same event.
//!
//! The body is the event's message template filled in, so how it reads depends on the event:
//! * Sysmon (any event id): `Name: value` lines whose names are the `EventData` names, as
//!   Sysmon's templates print each field under its own name (`Image: C:\...`,
//!   `ProcessGuid: {...}`). A name is a letter followed by letters and digits, then `: `.
//! * Security 4688: labelled lines under sections (`Creator Subject:`, then
//!   `\tAccount Name:\t\tAR-WIN-1$`). A label means different things in different sections,
//!   so each (section, label) maps to one name through [`PROCESS_CREATION`].
//! * Anything else: no values are read, since its labels map to no known names.
//!   TODO: other Security events (4624, 4689, ...) need their own tables; until then their
//!   classic records give events without data (they are unmapped today either way).
//!
//! Values are kept as written after the separator (`: ` for Sysmon, the tabs after the label
//! for 4688), with no trimming at the end; an empty value is absent, as in the XML reader.
//! A line that does not start a value and follows one without a blank line in between
//! continues it (a command line holding a line feed); the value then holds `\n` between its
//! lines. A continuation line shaped like a value line (`Word: x`) cannot be told from one and
//! starts a new value instead.
//!
//! The first line, on `Message=` itself, is the message's title (`Process Create:`, `A new
//! process has been created.`) and is not read here.

use std::borrow::Cow;

use crate::event::WinEvent;

const SYSMON: &str = "Microsoft-Windows-Sysmon";
const SECURITY_AUDITING: &str = "Microsoft-Windows-Security-Auditing";

/// A section of a message: the header lines naming it and its labels' `EventData` names.
struct Section {
    headers: &'static [&'static str],
    labels: &'static [(&'static str, &'static str)],
}

/// The sections of Security 4688 ("A new process has been created.") and their labels'
/// `EventData` names.
///
/// From the event's message template in the Microsoft-Windows-Security-Auditing manifest,
/// version 2, which prints `Creator Subject:` `Security ID: %{SubjectUserSid}`, ...,
/// `Creator Process ID: %{ProcessId}`, `Creator Process Name: %{ParentProcessName}`,
/// `Process Command Line: %{CommandLine}` (Microsoft's "4688(S): A new process has been
/// created." names every field with its XML name; Elastic's Windows Event Explorer publishes
/// the template with its insertion names). Versions 0 and 1 call the first section `Subject:`
/// and lack the Target Subject, Mandatory Label and Creator Process Name lines.
/// Splunk_TA_windows 8.4.0 reads these sections by position too: its classic
/// `Account_Name_as_src_user` takes the first `Account Name` (the creator) and
/// `Account_Name_as_user` the second (the target).
const PROCESS_CREATION: &[Section] = &[
    Section {
        headers: &["Creator Subject", "Subject"],
        labels: &[
            ("Security ID", "SubjectUserSid"),
            ("Account Name", "SubjectUserName"),
            ("Account Domain", "SubjectDomainName"),
            ("Logon ID", "SubjectLogonId"),
        ],
    },
    Section {
        headers: &["Target Subject"],
        labels: &[
            ("Security ID", "TargetUserSid"),
            ("Account Name", "TargetUserName"),
            ("Account Domain", "TargetDomainName"),
            ("Logon ID", "TargetLogonId"),
        ],
    },
    Section {
        headers: &["Process Information"],
        labels: &[
            ("New Process ID", "NewProcessId"),
            ("New Process Name", "NewProcessName"),
            ("Token Elevation Type", "TokenElevationType"),
            ("Mandatory Label", "MandatoryLabel"),
            ("Creator Process ID", "ProcessId"),
            ("Creator Process Name", "ParentProcessName"),
            ("Process Command Line", "CommandLine"),
        ],
    },
];

/// Reads the named values of `body` (the lines after the `Message=` line) into `event`, whose
/// provider and event id are already set.
pub(super) fn read<'a>(body: &'a str, event: &mut WinEvent<'a>) {
    match (event.provider.as_deref(), event.event_id.as_deref()) {
        (Some(SYSMON), _) => read_named(body, event),
        (Some(SECURITY_AUDITING), Some("4688")) => read_sections(body, PROCESS_CREATION, event),
        _ => {}
    }
}

/// A value being read: its name and where it lies in the body.
struct Pending<'a> {
    name: Cow<'a, str>,
    start: usize,
    end: usize,
}

impl<'a> Pending<'a> {
    fn push(self, body: &'a str, event: &mut WinEvent<'a>) {
        let raw = body.get(self.start..self.end).unwrap_or_default();
        let value = if raw.contains('\r') {
            Cow::Owned(raw.replace("\r\n", "\n"))
        } else {
            Cow::Borrowed(raw)
        };
        event.push_data(self.name, value);
    }
}

/// Sysmon's `Name: value` lines.
fn read_named<'a>(body: &'a str, event: &mut WinEvent<'a>) {
    let mut pending: Option<Pending<'a>> = None;
    for (offset, line) in super::str_lines(body) {
        if let Some((name, value_at)) = named_line(line) {
            if let Some(done) = pending.take() {
                done.push(body, event);
            }
            pending = Some(Pending {
                name: Cow::Borrowed(name),
                start: offset + value_at,
                end: offset + line.len(),
            });
        } else if let Some(open) = pending.as_mut().filter(|_| !line.trim().is_empty()) {
            open.end = offset + line.len();
        }
    }
    if let Some(done) = pending {
        done.push(body, event);
    }
}

/// The name of a `Name: value` line and where its value starts.
fn named_line(line: &str) -> Option<(&str, usize)> {
    let colon = line.find(':')?;
    let name = line.get(..colon)?;
    let mut chars = name.chars();
    let word = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric());
    let rest = line.get(colon + 1..)?;
    if !word {
        return None;
    }
    match rest.strip_prefix(' ') {
        Some(_) => Some((name, colon + 2)),
        None if rest.is_empty() => Some((name, colon + 1)),
        None => None,
    }
}

/// Labelled lines under the sections of `table`.
fn read_sections<'a>(body: &'a str, table: &'static [Section], event: &mut WinEvent<'a>) {
    let mut section: Option<&Section> = None;
    let mut pending: Option<Pending<'a>> = None;
    // Whether the previous line was part of a value, so the next may continue it.
    let mut in_value = false;
    for (offset, line) in super::str_lines(body) {
        if line.trim().is_empty() {
            in_value = false;
            continue;
        }
        if let Some((label, value_at)) = labelled_line(line) {
            if let Some(done) = pending.take() {
                done.push(body, event);
            }
            let name = section.and_then(|s| s.labels.iter().find(|(l, _)| *l == label));
            pending = name.map(|(_, name)| Pending {
                name: Cow::Borrowed(*name),
                start: offset + value_at,
                end: offset + line.len(),
            });
            in_value = pending.is_some();
        } else if let Some(found) = table.iter().find(|s| is_header(line, s)) {
            section = Some(found);
            in_value = false;
        } else if let Some(open) = pending.as_mut().filter(|_| in_value) {
            open.end = offset + line.len();
        } else if !line.starts_with([' ', '\t']) {
            // Prose (`Token Elevation Type indicates ...`) or a section this table lacks.
            section = None;
        }
    }
    if let Some(done) = pending {
        done.push(body, event);
    }
}

/// The label of an indented `Label:<tabs>value` line and where its value starts. A label is a
/// letter followed by letters, digits, spaces and `()/.-`.
fn labelled_line(line: &str) -> Option<(&str, usize)> {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    if indent == 0 {
        return None;
    }
    let colon = line.find(':')?;
    let label = line.get(indent..colon)?;
    let mut chars = label.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || " ()/.-".contains(c));
    let rest = line.get(colon + 1..)?;
    if !ok || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let value_at = line.len() - rest.trim_start_matches([' ', '\t']).len();
    Some((label.trim_end(), value_at))
}

/// Whether `line` is the header of `section`: one of its names and a colon, unindented.
fn is_header(line: &str, section: &Section) -> bool {
    line.trim_end()
        .strip_suffix(':')
        .is_some_and(|name| section.headers.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(provider: &'a str, id: &'a str, body: &'a str) -> WinEvent<'a> {
        let mut ev = WinEvent {
            provider: Some(provider.into()),
            event_id: Some(id.into()),
            ..WinEvent::default()
        };
        read(body, &mut ev);
        ev
    }

    const PROCESS_CREATED: &str = "\n\
        Creator Subject:\n\
        \tSecurity ID:\t\tS-1-5-18\n\
        \tAccount Name:\t\tAR-WIN-1$\n\
        \tAccount Domain:\t\tATTACKRANGE\n\
        \tLogon ID:\t\t0x3E7\n\
        \n\
        Target Subject:\n\
        \tSecurity ID:\t\tS-1-0-0\n\
        \tAccount Name:\t\t-\n\
        \tAccount Domain:\t\t-\n\
        \tLogon ID:\t\t0x0\n\
        \n\
        Process Information:\n\
        \tNew Process ID:\t\t0x1a2c\n\
        \tNew Process Name:\tC:\\Windows\\System32\\cmd.exe\n\
        \tToken Elevation Type:\t%%1936\n\
        \n\
        \tMandatory Label:\t\tS-1-16-16384\n\
        \tCreator Process ID:\t0x994\n\
        \tCreator Process Name:\tC:\\Windows\\explorer.exe\n\
        \tProcess Command Line:\tcmd.exe /c whoami \n\
        \tUnknown Label:\t\tignored\n\
        \n\
        Token Elevation Type indicates the type of token that was assigned.\n\
        \n\
        \tAccount Name:\t\tprose, not a field\n";

    #[test]
    fn sections_decide_what_a_label_names() {
        let ev = event(SECURITY_AUDITING, "4688", PROCESS_CREATED);
        let want = [
            ("SubjectUserSid", "S-1-5-18"),
            ("SubjectUserName", "AR-WIN-1$"),
            ("SubjectDomainName", "ATTACKRANGE"),
            ("SubjectLogonId", "0x3E7"),
            ("TargetUserSid", "S-1-0-0"),
            ("TargetUserName", "-"),
            ("TargetDomainName", "-"),
            ("TargetLogonId", "0x0"),
            ("NewProcessId", "0x1a2c"),
            ("NewProcessName", r"C:\Windows\System32\cmd.exe"),
            ("TokenElevationType", "%%1936"),
            ("MandatoryLabel", "S-1-16-16384"),
            ("ProcessId", "0x994"),
            ("ParentProcessName", r"C:\Windows\explorer.exe"),
            ("CommandLine", "cmd.exe /c whoami "),
        ];
        let got: Vec<(&str, &str)> = ev.data_values().collect();
        assert_eq!(got, want);
    }

    #[test]
    fn old_subject_section_empty_values_and_continued_command_lines() {
        let body = "\nSubject:\n\
            \tAccount Name:\t\tbob\n\
            Process Information:\n\
            \tNew Process Name:\t\n\
            \tProcess Command Line:\tpowershell -c \"a\r\n\
            b: c\"\r\n\
            \r\n\
            more prose\n";
        let ev = event(SECURITY_AUDITING, "4688", body);
        assert_eq!(ev.data("SubjectUserName"), Some("bob"));
        assert_eq!(ev.data("NewProcessName"), None);
        assert_eq!(ev.data("CommandLine"), Some("powershell -c \"a\nb: c\""));
    }

    #[test]
    fn sysmon_lines_name_their_values() {
        let body = "a line before any field\n\
            RuleName: -\n\
            ProcessGuid: {2d9b1c52-89db-68fb-221d-010000006903}\n\
            Image: C:\\Windows\\System32\\cmd.exe\n\
            CommandLine: cmd.exe /c \"echo one\n\
            two\"\n\
            Description: \n\
            Company: Microsoft Corporation\n\
            \n\
            ParentUser: NT AUTHORITY\\SYSTEM\n\
            \n";
        let ev = event(SYSMON, "1", body);
        assert_eq!(
            ev.data("ProcessGuid"),
            Some("{2d9b1c52-89db-68fb-221d-010000006903}")
        );
        assert_eq!(ev.data("Image"), Some(r"C:\Windows\System32\cmd.exe"));
        assert_eq!(ev.data("CommandLine"), Some("cmd.exe /c \"echo one\ntwo\""));
        assert_eq!(ev.data("Description"), None);
        assert_eq!(ev.data("Company"), Some("Microsoft Corporation"));
        assert_eq!(ev.data("RuleName"), Some("-"));
        assert_eq!(ev.data("ParentUser"), Some(r"NT AUTHORITY\SYSTEM"));
        assert!(matches!(
            ev.data.get(1),
            Some((Cow::Borrowed(_), Cow::Borrowed(_)))
        ));
    }

    #[test]
    fn other_events_give_no_values() {
        let ev = event(SECURITY_AUDITING, "4624", PROCESS_CREATED);
        assert_eq!(ev.data_values().count(), 0);
        let ev = event("Service Control Manager", "7036", "Image: x\n");
        assert_eq!(ev.data_values().count(), 0);
    }

    #[test]
    fn line_shapes() {
        assert_eq!(named_line("Image: x"), Some(("Image", 7)));
        assert_eq!(named_line("Image:"), Some(("Image", 6)));
        assert_eq!(named_line("Image:x"), None);
        assert_eq!(named_line("C:\\x: y"), None);
        assert_eq!(named_line("Process Create:"), None);
        assert_eq!(
            labelled_line("\tNew Process ID:\t\t0x1"),
            Some(("New Process ID", 18))
        );
        assert_eq!(labelled_line("  Logon ID: 0x1"), Some(("Logon ID", 12)));
        assert_eq!(labelled_line("\tC:\\dir"), None);
        assert_eq!(labelled_line("Subject:"), None);
        assert_eq!(
            labelled_line("\tPackage Name (NTLM only):\tNTLM V2"),
            Some(("Package Name (NTLM only)", 27))
        );
    }
}
