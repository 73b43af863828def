//! Windows Security 4688 (a new process has been created) to `Endpoint.Processes`.
//!
//! Mapping of `cim-endpoint-processes.md` §2b, verified there against Splunk_TA_windows 8.4.0
//! `default/props.conf`, stanza `[source::XmlWinEventLog:Security]` (vendored in
//! `JohnnyMirza/confluent_splunk_demo`). The `EXTRACT`/`REPORT`/`EVAL` names below are that
//! stanza's.
//!
//! The stanza applies by source, so the event must come from channel `Security` as well as
//! from provider `Microsoft-Windows-Security-Auditing`.
//!
//! The TA's `EXTRACT`s run on the raw XML, where `&amp;` and the like are still encoded; here
//! they see the values with entities decoded, like every other field (see the reader).

use super::{Column, Normalizer, Row, Schema, PROCESSES_SCHEMA};
use crate::event::WinEvent;
use crate::text::{basename, is_pcre_space};

const PROVIDER: &str = "Microsoft-Windows-Security-Auditing";
const CHANNEL: &str = "Security";
/// `Keywords` of an audit success.
const AUDIT_SUCCESS: &str = "0x8020000000000000";

/// Security EventID 4688 from provider `Microsoft-Windows-Security-Auditing`, channel
/// `Security`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecurityProcessCreation;

impl Normalizer for SecurityProcessCreation {
    fn name(&self) -> &'static str {
        "Security 4688"
    }

    fn schema(&self) -> &'static Schema {
        &PROCESSES_SCHEMA
    }

    fn claims(&self, event: &WinEvent<'_>) -> bool {
        event.is(PROVIDER, "4688") && event.channel.as_deref() == Some(CHANNEL)
    }

    fn fill(&self, event: &WinEvent<'_>, row: &mut Row) {
        let new_process = event.data("NewProcessName");
        let parent = event.data("ParentProcessName");

        // REPORT-dest_for_windows_security: Computer_as_dest.
        row.set_opt(Column::Dest, event.computer.as_deref());
        // EVAL-process_path = new_process (EXTRACT of NewProcessName); EVAL-process_name and
        // EVAL-process_exec = new_process_name, its basename.
        row.set_opt(Column::ProcessPath, new_process);
        row.set_opt(Column::ProcessName, new_process.map(basename));
        row.set_opt(Column::ProcessExec, new_process.map(basename));
        row.set_opt(
            Column::Process,
            process(event.data("CommandLine"), new_process).as_deref(),
        );
        // EVAL-process_id = new_process_id and EVAL-parent_process_id = ProcessId, both the
        // hex strings as written.
        row.set_opt(Column::ProcessId, event.data("NewProcessId"));
        row.set_opt(Column::ParentProcessId, event.data("ProcessId"));
        // EXTRACT parent_process from ParentProcessName; EVAL-parent_process_path copies it;
        // REPORT extract_parent_process_name_for_windows_xml takes its basename.
        row.set_opt(Column::ParentProcess, parent);
        row.set_opt(Column::ParentProcessPath, parent);
        row.set_opt(Column::ParentProcessName, parent.map(basename));

        // EVAL-user = if(user=="-" OR isnull(user), src_user, user), from TargetUserName and
        // SubjectUserName.
        let target = event.data("TargetUserName").filter(|u| *u != "-");
        row.set_opt(Column::User, target.or(event.data("SubjectUserName")));
        // FIELDALIAS UserID AS user_id: System/Security/@UserID, usually absent here.
        row.set_opt(Column::UserId, event.user_id.as_deref());

        // EVAL-action = case(EventCode=="4688" AND Keywords=="0x8020000000000000","allowed").
        if event.keywords.as_deref() == Some(AUDIT_SUCCESS) {
            row.set(Column::Action, "allowed");
        }
        // [XmlWinEventLog] EVAL-vendor_product; the source stanza's EVAL-vendor, EVAL-product.
        row.set(Column::VendorProduct, "Microsoft Windows");
        row.set(Column::Vendor, "Microsoft");
        row.set(Column::Product, "Windows");
    }
}

/// The TA's `EVAL-process` for 4688:
///
/// ```text
/// coalesce(if(match(process_command_line_process, "\\"), Process_Command_Line,
///             quoted(NewProcessName) + " " + process_command_line_arguments),
///          NewProcessName)
/// ```
///
/// where the REPORT `(^\"[^\"]+\"|[^\s]+)\s*(.*)` splits the command line into its first
/// token and its arguments, and `quoted` adds double quotes when the name holds whitespace.
/// A null operand makes `+` null, so an absent or empty command line, a command line with no
/// token, or one with no arguments all fall back to the bare `NewProcessName`.
pub(crate) fn process(command_line: Option<&str>, new_process: Option<&str>) -> Option<String> {
    let Some((token, args)) = command_line.and_then(split_command) else {
        return new_process.map(str::to_owned);
    };
    if token.contains('\\') {
        return command_line.map(str::to_owned);
    }
    let name = new_process?;
    if args.is_empty() {
        return Some(name.to_owned());
    }
    if name.chars().any(is_pcre_space) {
        Some(format!("\"{name}\" {args}"))
    } else {
        Some(format!("{name} {args}"))
    }
}

/// The first token and the arguments per `(^\"[^\"]+\"|[^\s]+)\s*(.*)`, searched anywhere in
/// `command` like a Splunk REPORT: a leading quoted string (quotes kept) or else the first run
/// of non-whitespace; then whitespace is skipped and the arguments run to the next line feed.
fn split_command(command: &str) -> Option<(&str, &str)> {
    let quoted_end = command
        .strip_prefix('"')
        .and_then(|rest| rest.find('"'))
        .filter(|&len| len > 0)
        .map(|len| len + 2);
    let (start, end) = match quoted_end {
        Some(end) => (0, end),
        None => {
            let start = command.find(|c: char| !is_pcre_space(c))?;
            let len = command[start..]
                .find(is_pcre_space)
                .unwrap_or(command.len() - start);
            (start, start + len)
        }
    };
    let rest = command[end..].trim_start_matches(is_pcre_space);
    let args = rest.split('\n').next().unwrap_or("");
    Some((&command[start..end], args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_command_follows_the_report_regex() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            (
                r#""C:\a b\x.exe" -k one"#,
                Some((r#""C:\a b\x.exe""#, "-k one")),
            ),
            ("cmd.exe /c dir", Some(("cmd.exe", "/c dir"))),
            ("cmd.exe", Some(("cmd.exe", ""))),
            ("  cmd.exe   /c  ", Some(("cmd.exe", "/c  "))),
            (r#"""cmd.exe" x"#, Some((r#"""cmd.exe""#, "x"))),
            (r#""unterminated x"#, Some((r#""unterminated"#, "x"))),
            ("cmd.exe\n/c dir\nsecond", Some(("cmd.exe", "/c dir"))),
            ("   ", None),
            ("", None),
        ];
        for (command, want) in cases {
            assert_eq!(split_command(command), *want, "command {command:?}");
        }
    }

    #[test]
    fn process_follows_the_ta_rule() {
        let chrome = r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe";
        let cases: &[(Option<&str>, Option<&str>, Option<&str>)] = &[
            // First token holds a backslash: the whole command line.
            (
                Some(r#""C:\Program Files\x.exe" --flag"#),
                Some(r"C:\Program Files\x.exe"),
                Some(r#""C:\Program Files\x.exe" --flag"#),
            ),
            (
                Some(r"C:\Windows\system32\cmd.exe /c whoami"),
                Some(r"C:\Windows\System32\cmd.exe"),
                Some(r"C:\Windows\system32\cmd.exe /c whoami"),
            ),
            // Bare token: NewProcessName, quoted when it holds a space, plus the arguments.
            (
                Some("chrome.exe --single-argument x"),
                Some(chrome),
                Some(concat!(
                    r#""C:\Program Files (x86)\Google\Chrome\Application\chrome.exe""#,
                    " --single-argument x"
                )),
            ),
            (
                Some("cmd  /c  dir"),
                Some(r"C:\Windows\System32\cmd.exe"),
                Some(r"C:\Windows\System32\cmd.exe /c  dir"),
            ),
            // No arguments, no command line, no token: the bare NewProcessName.
            (Some("chrome.exe"), Some(chrome), Some(chrome)),
            (None, Some(chrome), Some(chrome)),
            (Some("  "), Some(chrome), Some(chrome)),
            // Nothing to build from.
            (None, None, None),
            (Some("cmd /c dir"), None, None),
            (
                Some(r"C:\x\cmd.exe /c dir"),
                None,
                Some(r"C:\x\cmd.exe /c dir"),
            ),
        ];
        for (command, new_process, want) in cases {
            let got = process(*command, *new_process);
            assert_eq!(got.as_deref(), *want, "command {command:?}");
        }
    }

    fn event(data: &[(&'static str, &'static str)]) -> WinEvent<'static> {
        WinEvent {
            provider: Some(PROVIDER.into()),
            event_id: Some("4688".into()),
            channel: Some(CHANNEL.into()),
            computer: Some("host-1".into()),
            keywords: Some(AUDIT_SUCCESS.into()),
            ..WinEvent::default()
        }
        .with_data(data)
    }

    #[test]
    fn claims_needs_provider_channel_and_id() {
        let n = SecurityProcessCreation;
        assert!(n.claims(&event(&[])));
        let mut other_channel = event(&[]);
        other_channel.channel = Some("ForwardedEvents".into());
        assert!(!n.claims(&other_channel));
        let mut exit = event(&[]);
        exit.event_id = Some("4689".into());
        assert!(!n.claims(&exit));
    }

    #[test]
    fn user_falls_back_to_subject_and_action_needs_success() {
        let mut row = Row::new(&PROCESSES_SCHEMA);
        let ev = event(&[("TargetUserName", "-"), ("SubjectUserName", "ADMIN")]);
        SecurityProcessCreation.fill(&ev, &mut row);
        assert_eq!(row.get(Column::User), Some("ADMIN"));
        assert_eq!(row.get(Column::Action), Some("allowed"));

        let mut row = Row::new(&PROCESSES_SCHEMA);
        let mut ev = event(&[("TargetUserName", "bob"), ("SubjectUserName", "ADMIN")]);
        ev.keywords = Some("0x8010000000000000".into());
        SecurityProcessCreation.fill(&ev, &mut row);
        assert_eq!(row.get(Column::User), Some("bob"));
        assert_eq!(row.get(Column::Action), None);
        assert_eq!(row.get(Column::Vendor), Some("Microsoft"));
        assert_eq!(row.get(Column::Product), Some("Windows"));
        assert_eq!(row.get(Column::ProcessIntegrityLevel), None);
        assert_eq!(row.get(Column::OriginalFileName), None);
    }
}
