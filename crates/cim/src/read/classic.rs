//! Splunk's classic (non-XML) `WinEventLog` text, read into [`WinEvent`]s that normalize to the
//! same row as the `XmlWinEventLog` line of the same event.
//!
//! This is what Splunk's Windows event log input writes with `renderXml = false`. A record:
//!
//! ```text
//! 10/24/2025 02:14:58 PM                     the date line starts the record
//! LogName=Security                           the header: one Key=value a line
//! EventCode=4688
//! SourceName=Microsoft Windows security auditing.
//! ...
//! Message=A new process has been created.    the last header line
//!                                            the Message body runs to the next record,
//! Creator Subject:                           blank lines included
//!     Account Name:  AR-WIN-1$           (tab-indented, tabs after the label)
//! ```
//!
//! The shape is taken from public exports of that input (attack_range and lab write-ups, with
//! `LogName`, `EventCode`, `EventType`, `ComputerName`, `User`, `Sid`, `SidType`, `SourceName`,
//! `Type`, `RecordNumber`, `Keywords`, `TaskCategory`, `OpCode`, `Message`, in that order) and
//! from the keys Splunk_TA_windows 8.4.0 reads from it (`transforms.conf`:
//! `ta-windows-fix-classic-source` takes `^LogName=(.+?)\s*$`, `WinEventHostOverride` takes
//! `^ComputerName=`). Newer forwarders add milliseconds to the date line
//! (`11/30/2025 09:58:33.841 AM`).
//!
//! Decisions:
//! * A record starts at a date line, `MM/DD/YYYY hh:mm:ss[.fff] AM|PM` alone on its line, and
//!   runs to the next date line, to the next line starting `<Event`, or to the end of the file.
//!   Its line number is that of its date line. A Message line shaped exactly like a date line
//!   would cut the record in two; none is known.
//! * Files may mix classic records with `XmlWinEventLog` lines: a line starting `<Event` (at
//!   its first byte inside a record, after optional whitespace outside one) is one XML event,
//!   parsed by the XML reader.
//! * Text outside any record (before the first, or after an XML line) is one
//!   [`SkipReason::NotARecord`] per run of such lines, at the run's first line. Blank lines
//!   outside records are counted as blank; inside a record they are part of its Message.
//! * A record is skipped, at its first line, when its date is impossible
//!   ([`SkipReason::BadDate`]), a header line is not `Key=value` ([`SkipReason::BadHeader`]),
//!   it ends before its `Message=` line ([`SkipReason::RecordTruncated`]: a file cut inside a
//!   header, or inside the date line of its last record) or it has no `EventCode`
//!   ([`SkipReason::MissingEventCode`]). Invalid UTF-8 skips the record at the line of the
//!   first bad byte. A record cut inside its Message cannot be told from a shorter Message and
//!   is read as it stands.
//! * Time zone: the date line is the local time of the host that read the event, with no zone
//!   (a record written at `09:58:33.841 AM` carries Sysmon `UtcTime: 04:28:33.825`, a host on
//!   UTC+5:30). Splunk assigns a zone when it indexes (`TZ` in props.conf, else the indexer's
//!   own). This reader has no zone to go by and reads the date line as UTC: right for hosts on
//!   UTC (attack_range and most cloud images), off by the host's offset otherwise.
//!   TODO: a per-source zone setting; until then `_time` of non-UTC hosts is shifted.
//!   Classic text carries whole seconds or milliseconds, so `_time` has no finer fraction.
//! * `source` and `sourcetype`: Splunk indexes these records as `WinEventLog:<LogName>` and
//!   `WinEventLog`. Here a classic event is normalized as the XML of the same event would be
//!   (`XmlWinEventLog:<LogName>`, `XmlWinEventLog`): one event gives one row whatever the shape
//!   it was exported in, so a search sees the same rows from either export.
//!
//! Header keys to [`WinEvent`] fields: `LogName` is the channel, `EventCode` the event id,
//! `ComputerName` the computer, `Sid` the `System/Security/@UserID` (Sysmon records carry
//! `Sid=S-1-5-18` where the XML has `<Security UserID='S-1-5-18'/>`; Security records carry
//! none, as the XML has `<Security/>`), `SourceName` the provider (see [`provider_name`]),
//! `Keywords` the keywords (see [`keywords`]). Other keys are not read. Values are trimmed at
//! the end, as the TA's `(.+?)\s*$` does; an empty value is absent; a repeated key keeps its
//! first value.
//!
//! Files are cut into chunks at record boundaries and chunks are read in parallel; results are
//! joined in file order.
//!
//! Not owned here: the Message body (the `message` submodule), XML lines (the `xml` module) and
//! field mapping ([`crate::normalize`]).

mod message;

use std::borrow::Cow;
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};
use memchr::{memchr, memchr_iter};

use super::chunk::Chunk;
use super::collect::Collector;
use super::xml::parse_line;
use super::{SkipReason, CHUNK_BYTES, UTF8_BOM};
use crate::event::WinEvent;

/// A file not starting with `<Event` is classic text when a record starts within this many
/// lines; the lines before it are skipped. Further down, a date line in a README is more
/// likely than a log with a long preamble.
const SNIFF_LINES: usize = 32;

/// Classic `SourceName` values that differ from the provider's name in the XML rendering.
///
/// The classic rendering names the source by the provider's display name, the one Event
/// Viewer shows as "Source" (the localized `message` of the provider in its manifest); the XML
/// names it by the manifest's `name`. For the Security auditing provider they differ, so its
/// 4688 events would not reach the Security normalizer, which keys on the XML name. Sysmon's
/// display name is its name (`SourceName=Microsoft-Windows-Sysmon` in the samples).
const PROVIDER_NAMES: &[(&str, &str)] = &[(
    "Microsoft Windows security auditing.",
    "Microsoft-Windows-Security-Auditing",
)];

/// Whether `text` (without byte order mark) is classic text, possibly mixed with XML lines:
/// its first non-blank line is a date line, or a record starts within the first
/// [`SNIFF_LINES`] lines, or anywhere when the content starts with an `<Event` line. After
/// other text, a record start is a date line followed by a header line.
pub(crate) fn sniff(text: &[u8]) -> bool {
    let first = Lines::new(text).find(|l| !is_blank(l.text));
    if first.is_some_and(|l| is_date_line(l.text)) {
        return true;
    }
    let starts_with_xml = first.is_some_and(|l| trim_start(l.text).starts_with(b"<Event"));
    let limit = if starts_with_xml {
        usize::MAX
    } else {
        SNIFF_LINES
    };

    let mut after_date = false;
    for line in Lines::new(text).take(limit.saturating_add(1)) {
        if after_date && header_line(line.text).is_some() {
            return true;
        }
        after_date = is_date_line(line.text);
    }
    false
}

/// Reads a classic (or mixed) file held in memory, chunks in parallel.
pub(crate) fn read(path: &Path, bytes: &[u8]) -> Collector {
    let offset = if bytes.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    let mut file = Collector::new(path);
    file.count_file();
    file.absorb_chunks(&split(bytes, offset, CHUNK_BYTES), |c| {
        read_chunk(path, bytes, *c)
    });
    file
}

/// Cuts `bytes[offset..]` into chunks of about `target` bytes, each ending just before a line
/// that starts a record or an XML event (or at the end), so no record spans two chunks.
fn split(bytes: &[u8], offset: usize, target: usize) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut start = offset;
    let mut first_line = 1;
    while start < bytes.len() {
        let soft_end = start.saturating_add(target.max(1)).min(bytes.len());
        let end = next_boundary(bytes, soft_end).unwrap_or(bytes.len());
        chunks.push(Chunk {
            start,
            end,
            first_line,
        });
        first_line += memchr_iter(b'\n', &bytes[start..end]).count();
        start = end;
    }
    chunks
}

/// The start of the first line after the one holding `from` that begins a record or an XML
/// event.
fn next_boundary(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let next_line = from + memchr(b'\n', rest)? + 1;
    Lines::starting_at(bytes, next_line)
        .find(|l| is_date_line(l.text) || l.text.starts_with(b"<Event"))
        .map(|l| l.start)
}

/// Whether `line` starts a record (a date line) or an XML event, so a file may be cut before it.
pub(crate) fn starts_record(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    is_date_line(line) || line.starts_with(b"<Event")
}

/// Where the chunk reader is between lines.
enum State {
    /// Outside any record.
    Idle,
    /// Inside a run of text outside records, already reported.
    Stray,
    /// Inside a record that began at byte `start` (of the chunk) on line `first_line`.
    Record { start: usize, first_line: usize },
}

struct ChunkReader<'a> {
    data: &'a [u8],
    out: Collector,
    event: WinEvent<'a>,
    state: State,
}

/// Reads every record and XML line of `chunk`.
fn read_chunk(file: &Path, bytes: &[u8], chunk: Chunk) -> Collector {
    let data = &bytes[chunk.start..chunk.end];
    let mut reader = ChunkReader {
        data,
        out: Collector::new(file),
        event: WinEvent::default(),
        state: State::Idle,
    };
    for (i, line) in Lines::new(data).enumerate() {
        let line_no = chunk.first_line + i;
        let unterminated = line.start + line.text.len() == data.len();
        if unterminated && is_cut_date_line(line.text) {
            reader.close(line.start);
            reader.out.skip(line_no, SkipReason::RecordTruncated);
        } else {
            reader.line(line, line_no);
        }
    }
    reader.close(data.len());
    reader.out
}

impl<'a> ChunkReader<'a> {
    fn line(&mut self, line: Line<'a>, line_no: usize) {
        if is_date_line(line.text) {
            self.close(line.start);
            self.state = State::Record {
                start: line.start,
                first_line: line_no,
            };
            return;
        }
        let in_record = matches!(self.state, State::Record { .. });
        let xml = if in_record {
            line.text.starts_with(b"<Event")
        } else {
            trim_start(line.text).starts_with(b"<Event")
        };
        if xml {
            self.close(line.start);
            self.xml_line(line.text, line_no);
        } else if in_record {
            // Part of the record's Message, blank or not.
        } else if is_blank(line.text) {
            self.out.blank();
        } else if matches!(self.state, State::Idle) {
            self.out.skip(
                line_no,
                SkipReason::NotARecord {
                    found: describe(line.text),
                },
            );
            self.state = State::Stray;
        }
    }

    /// Ends the open record (if any) just before byte `end` and reads it.
    fn close(&mut self, end: usize) {
        let state = std::mem::replace(&mut self.state, State::Idle);
        let State::Record { start, first_line } = state else {
            return;
        };
        let bytes = self.data.get(start..end).unwrap_or_default();
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let (line, column) = line_and_column(bytes, e.valid_up_to());
                self.out
                    .skip(first_line + line, SkipReason::NotUtf8 { column });
                return;
            }
        };
        match parse_record(text, first_line, &mut self.event) {
            Ok(()) => self.out.event(first_line, &self.event),
            Err(reason) => self.out.skip(first_line, reason),
        }
    }

    fn xml_line(&mut self, line: &'a [u8], line_no: usize) {
        let parsed = match std::str::from_utf8(line) {
            Ok(text) => parse_line(text, &mut self.event),
            Err(e) => Err(SkipReason::NotUtf8 {
                column: e.valid_up_to() + 1,
            }),
        };
        match parsed {
            Ok(()) => self.out.event(line_no, &self.event),
            Err(reason) => self.out.skip(line_no, reason),
        }
    }
}

/// Parses one record (its date line first, line ends included) into `event`, which is
/// cleared first. `first_line` numbers the date line, for [`SkipReason::BadHeader`].
fn parse_record<'a>(
    text: &'a str,
    first_line: usize,
    event: &mut WinEvent<'a>,
) -> Result<(), SkipReason> {
    event.clear();
    let mut lines = str_lines(text);
    let (_, date) = lines.next().ok_or(SkipReason::RecordTruncated)?;
    let time = system_time(date.as_bytes()).ok_or_else(|| SkipReason::BadDate {
        value: date.trim_end().to_owned(),
    })?;
    event.system_time = Some(Cow::Owned(time));

    let mut line_no = first_line;
    let body = loop {
        line_no += 1;
        let (offset, line) = lines.next().ok_or(SkipReason::RecordTruncated)?;
        let Some((key, value)) = header_line(line.as_bytes())
            .and_then(|eq| Some((line.get(..eq)?, line.get(eq + 1..)?)))
        else {
            // A last line without its line end is where the file was cut.
            if offset + line.len() == text.len() {
                return Err(SkipReason::RecordTruncated);
            }
            return Err(SkipReason::BadHeader {
                line: line_no,
                found: describe(line.as_bytes()),
            });
        };
        if key == "Message" {
            let after = offset + line.len();
            let next = text
                .get(after..)
                .map_or(0, |rest| rest.find('\n').map_or(0, |i| i + 1));
            break text.get(after + next..).unwrap_or_default();
        }
        header(key, value.trim_end(), event);
    };
    if event.event_id.is_none() {
        return Err(SkipReason::MissingEventCode);
    }

    message::read(body, event);
    Ok(())
}

/// Stores one header value; see the module documentation for the keys read.
fn header<'a>(key: &str, value: &'a str, event: &mut WinEvent<'a>) {
    let (slot, value): (&mut Option<Cow<'a, str>>, Option<Cow<'a, str>>) = match key {
        "LogName" => (&mut event.channel, Some(value.into())),
        "EventCode" => (&mut event.event_id, Some(value.into())),
        "ComputerName" => (&mut event.computer, Some(value.into())),
        "Sid" => (&mut event.user_id, Some(value.into())),
        "SourceName" => (&mut event.provider, Some(provider_name(value))),
        "Keywords" => (&mut event.keywords, keywords(value)),
        _ => return,
    };
    if slot.is_none() {
        *slot = value.filter(|v| !v.is_empty());
    }
}

/// The XML provider name for a classic `SourceName`; see [`PROVIDER_NAMES`].
fn provider_name(source_name: &str) -> Cow<'_, str> {
    PROVIDER_NAMES
        .iter()
        .find(|(classic, _)| *classic == source_name)
        .map_or(Cow::Borrowed(source_name), |(_, xml)| Cow::Borrowed(*xml))
}

/// The XML `Keywords` for a classic `Keywords` value, when it can be known.
///
/// Classic text names only the audit keywords. `Audit Success` is bit 53
/// (`0x0020000000000000`, winmeta's audit-success keyword) and `Audit Failure` bit 52
/// (`0x0010000000000000`); Security-log events also carry bit 63, the keyword of their
/// channel, so the XML reads `0x8020000000000000` (as in the shared 4688 samples) and
/// `0x8010000000000000`. The Security normalizer compares the former. Other values (`None`,
/// `Classic`) name no bits and give no keywords; a value already in hex is kept.
fn keywords(value: &str) -> Option<Cow<'_, str>> {
    match value {
        "Audit Success" => Some(Cow::Borrowed("0x8020000000000000")),
        "Audit Failure" => Some(Cow::Borrowed("0x8010000000000000")),
        hex if hex.starts_with("0x") => Some(Cow::Borrowed(hex)),
        _ => None,
    }
}

/// Whether `line` is shaped like a record's date line: `MM/DD/YYYY hh:mm:ss`, an optional `.`
/// with 1 to 9 digits, a space and `AM` or `PM`; trailing whitespace allowed.
fn is_date_line(line: &[u8]) -> bool {
    const SHAPE: &[u8] = b"00/00/0000 00:00:00";
    let line = trim_end(line);
    let Some(head) = line.get(..SHAPE.len()) else {
        return false;
    };
    let shaped = head.iter().zip(SHAPE).all(|(&b, &s)| {
        if s == b'0' {
            b.is_ascii_digit()
        } else {
            b == s
        }
    });
    let Some(rest) = line.get(SHAPE.len()..) else {
        return false;
    };
    let Some(fraction) = rest
        .strip_suffix(b" AM")
        .or_else(|| rest.strip_suffix(b" PM"))
    else {
        return false;
    };
    let fraction_ok = match fraction.split_first() {
        None => true,
        Some((b'.', digits)) => {
            (1..=9).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit)
        }
        Some(_) => false,
    };
    shaped && fraction_ok
}

/// Whether `line`, the unterminated last line of a file, is the start of a date line that the
/// end of the file cut: at least `MM/`, each byte where the date line has one of its kind.
/// Read as part of a Message, it would end up in the record's last value.
fn is_cut_date_line(line: &[u8]) -> bool {
    const SHAPE: &[u8] = b"00/00/0000 00:00:00";
    let head = line.get(..SHAPE.len()).unwrap_or(line);
    let fits = head.iter().zip(SHAPE).all(|(&b, &s)| {
        if s == b'0' {
            b.is_ascii_digit()
        } else {
            b == s
        }
    });
    line.len() >= 3 && fits && !is_date_line(line)
}

/// The date line as a `SystemTime` (`2025-10-24T14:14:58Z`, fraction kept as written), read as
/// UTC; `None` when it is not shaped like a date line or names no real time.
fn system_time(line: &[u8]) -> Option<String> {
    if !is_date_line(line) {
        return None;
    }
    let line = std::str::from_utf8(trim_end(line)).ok()?;
    let number = |from: usize, to: usize| line.get(from..to)?.parse::<u32>().ok();
    let (month, day, year) = (number(0, 2)?, number(3, 5)?, number(6, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    let fraction = line.get(19..line.len().checked_sub(3)?)?;
    if !(1..=12).contains(&hour) {
        return None;
    }
    // 12 AM is midnight, 12 PM noon.
    let hour = hour % 12 + if line.ends_with("PM") { 12 } else { 0 };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    NaiveTime::from_hms_opt(hour, minute, second)?;
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}Z"
    ))
}

/// The position of the `=` of a header line `Key=value` whose key is a letter followed by
/// letters, digits or `_`.
fn header_line(line: &[u8]) -> Option<usize> {
    let eq = memchr(b'=', line)?;
    let key = line.get(..eq)?;
    let (first, rest) = key.split_first()?;
    let ok =
        first.is_ascii_alphabetic() && rest.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then_some(eq)
}

/// One line of a chunk: where it starts and its bytes without the line end.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    start: usize,
    text: &'a [u8],
}

/// The lines of a byte slice; `\n` and `\r\n` end a line.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Lines<'a> {
        Lines::starting_at(bytes, 0)
    }

    fn starting_at(bytes: &'a [u8], pos: usize) -> Lines<'a> {
        Lines { bytes, pos }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        let rest = self.bytes.get(self.pos..).filter(|r| !r.is_empty())?;
        let len = memchr(b'\n', rest).unwrap_or(rest.len());
        let raw = rest.get(..len).unwrap_or_default();
        let line = Line {
            start: self.pos,
            text: raw.strip_suffix(b"\r").unwrap_or(raw),
        };
        self.pos += len + 1;
        Some(line)
    }
}

/// The lines of `text` with their byte offsets, without line ends (`\n` or `\r\n`).
fn str_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let rest = text.get(pos..).filter(|r| !r.is_empty())?;
        let len = rest.find('\n').unwrap_or(rest.len());
        let raw = rest.get(..len).unwrap_or_default();
        let start = pos;
        pos += len + 1;
        Some((start, raw.strip_suffix('\r').unwrap_or(raw)))
    })
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

fn trim_start(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    line.get(start..).unwrap_or_default()
}

fn trim_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    line.get(..end).unwrap_or_default()
}

/// The 0-based line and 1-based column of byte `at` of `bytes`.
fn line_and_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = memchr_iter(b'\n', before).count();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, at - line_start + 1)
}

/// A short, printable description of a line for a skip reason.
fn describe(line: &[u8]) -> String {
    const SHOWN: usize = 32;
    let text = String::from_utf8_lossy(trim_start(line));
    let mut shown: String = text.chars().take(SHOWN).collect();
    if text.chars().count() > SHOWN {
        shown.push('…');
    }
    format!("text {shown:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = "10/24/2025 02:14:58 PM\r\n\
        LogName=Security\r\n\
        EventCode=4688\r\n\
        EventType=0\r\n\
        ComputerName=ar-win-1  \r\n\
        SourceName=Microsoft Windows security auditing.\r\n\
        Keywords=Audit Success\r\n\
        EventCode=9999\r\n\
        Message=A new process has been created.\r\n\
        \r\n\
        Process Information:\r\n\
        \tNew Process Name:\tC:\\Windows\\System32\\cmd.exe\r\n";

    fn parse(text: &str) -> Result<WinEvent<'_>, SkipReason> {
        let mut ev = WinEvent::default();
        parse_record(text, 10, &mut ev).map(|()| ev)
    }

    #[test]
    fn date_lines_have_one_shape() {
        for good in [
            "10/24/2025 02:14:58 PM",
            "10/24/2025 02:14:58.830 AM",
            "01/01/2000 12:00:00 AM  ",
            "01/01/2000 12:00:00.123456789 PM",
        ] {
            assert!(is_date_line(good.as_bytes()), "{good:?}");
        }
        for bad in [
            "",
            "10/24/2025 02:14:58",
            "10/24/2025 02:14:58 pm",
            "10/24/2025 02:14:58PM",
            "1/24/2025 02:14:58 PM",
            " 10/24/2025 02:14:58 PM",
            "10/24/2025 02:14:58. PM",
            "10/24/2025 02:14:58.1234567890 PM",
            "10-24-2025 02:14:58 PM",
            "10/24/2025 02:14:58 PM x",
            "2025-10-24T14:14:58Z",
        ] {
            assert!(!is_date_line(bad.as_bytes()), "{bad:?}");
        }
    }

    #[test]
    fn date_lines_become_utc_system_times() {
        let cases = [
            ("10/24/2025 02:14:58 PM", Some("2025-10-24T14:14:58Z")),
            (
                "10/24/2025 02:14:58.830 PM",
                Some("2025-10-24T14:14:58.830Z"),
            ),
            ("01/01/2000 12:00:00 AM", Some("2000-01-01T00:00:00Z")),
            ("01/01/2000 12:30:00 PM", Some("2000-01-01T12:30:00Z")),
            ("01/01/2000 11:59:59 PM", Some("2000-01-01T23:59:59Z")),
            ("02/29/2024 01:00:00 AM", Some("2024-02-29T01:00:00Z")),
            ("02/29/2025 01:00:00 AM", None),
            ("13/01/2025 01:00:00 AM", None),
            ("01/01/2025 00:00:00 AM", None),
            ("01/01/2025 13:00:00 PM", None),
            ("01/01/2025 01:60:00 PM", None),
        ];
        for (line, want) in cases {
            assert_eq!(system_time(line.as_bytes()).as_deref(), want, "{line:?}");
        }
        let epoch = crate::normalize::parse_system_time("2025-10-24T14:14:58.830Z");
        assert_eq!(epoch, Some(1_761_315_298.83));
    }

    #[test]
    fn header_values_are_trimmed_mapped_and_first_wins() {
        let ev = parse(RECORD).expect("a record");
        assert_eq!(ev.event_id.as_deref(), Some("4688"));
        assert_eq!(ev.channel.as_deref(), Some("Security"));
        assert_eq!(ev.computer.as_deref(), Some("ar-win-1"));
        assert_eq!(
            ev.provider.as_deref(),
            Some("Microsoft-Windows-Security-Auditing")
        );
        assert_eq!(ev.keywords.as_deref(), Some("0x8020000000000000"));
        assert_eq!(ev.system_time.as_deref(), Some("2025-10-24T14:14:58Z"));
        assert_eq!(ev.user_id, None);
        assert_eq!(
            ev.data("NewProcessName"),
            Some(r"C:\Windows\System32\cmd.exe")
        );
    }

    #[test]
    fn other_sources_and_keywords_pass_or_drop() {
        assert_eq!(
            provider_name("Microsoft-Windows-Sysmon"),
            "Microsoft-Windows-Sysmon"
        );
        assert_eq!(
            keywords("Audit Failure").as_deref(),
            Some("0x8010000000000000")
        );
        assert_eq!(
            keywords("0x8000000000000000").as_deref(),
            Some("0x8000000000000000")
        );
        assert_eq!(keywords("None"), None);
    }

    #[test]
    fn broken_records_say_why() {
        let cases: &[(&str, SkipReason)] = &[
            ("", SkipReason::RecordTruncated),
            ("10/24/2025 02:14:58 PM\n", SkipReason::RecordTruncated),
            (
                "10/24/2025 02:14:58 PM\nLogName=Security\nEventCode=4688\n",
                SkipReason::RecordTruncated,
            ),
            (
                "02/30/2025 02:14:58 PM\nEventCode=1\nMessage=x\n",
                SkipReason::BadDate {
                    value: "02/30/2025 02:14:58 PM".into(),
                },
            ),
            (
                "10/24/2025 02:14:58 PM\nLogName=Security\nEvent Code 4688\nMessage=x\n",
                SkipReason::BadHeader {
                    line: 12,
                    found: "text \"Event Code 4688\"".into(),
                },
            ),
            (
                "10/24/2025 02:14:58 PM\n\nEventCode=1\nMessage=x\n",
                SkipReason::BadHeader {
                    line: 11,
                    found: "text \"\"".into(),
                },
            ),
            (
                "10/24/2025 02:14:58 PM\nLogName=Security\nEventCode=\nMessage=x\n",
                SkipReason::MissingEventCode,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).as_ref().err(), Some(want), "{text:?}");
        }
    }

    #[test]
    fn a_header_cut_by_the_end_of_the_file_is_truncated() {
        let cut = "10/24/2025 02:14:58 PM\nLogName=Security\nEventCo";
        assert_eq!(parse(cut).err(), Some(SkipReason::RecordTruncated));
        assert!(is_cut_date_line(b"10/2"));
        assert!(is_cut_date_line(b"10/24/2025 02:14:58 P"));
        assert!(!is_cut_date_line(b"10"));
        assert!(!is_cut_date_line(b"10/24/2025 02:14:58 PM"));
        assert!(!is_cut_date_line(b"Image: x"));
    }

    #[test]
    fn a_record_without_a_body_is_whole() {
        let ev = parse("10/24/2025 02:14:58 PM\nEventCode=7\nMessage=").expect("a record");
        assert_eq!(ev.event_id.as_deref(), Some("7"));
        assert_eq!(ev.data_values().count(), 0);
    }

    #[test]
    fn chunks_end_before_record_starts_and_xml_lines() {
        let text = "pre\n10/24/2025 02:14:58 PM\nEventCode=1\nMessage=a\nb\n\
                    <Event/>\n10/24/2025 02:14:59 PM\nEventCode=2\nMessage=c\n";
        let bytes = text.as_bytes();
        let chunks = split(bytes, 0, 1);
        let starts: Vec<(usize, usize)> = chunks.iter().map(|c| (c.start, c.first_line)).collect();
        assert_eq!(starts, vec![(0, 1), (4, 2), (51, 6), (60, 7)]);
        assert_eq!(chunks.last().map(|c| c.end), Some(bytes.len()));
        assert_eq!(split(bytes, 0, 1 << 20).len(), 1);
        assert!(split(b"", 0, 10).is_empty());
    }

    #[test]
    fn sniff_wants_a_date_line_then_a_header() {
        assert!(sniff(b"10/24/2025 02:14:58 PM\nLogName=Security\n"));
        assert!(sniff(
            b"exported\n\n10/24/2025 02:14:58 PM\r\nLogName=Security\r\n"
        ));
        assert!(
            sniff(b"10/24/2025 02:14:58 PM\nnot a header\n"),
            "first line decides"
        );
        assert!(!sniff(b"notes\n10/24/2025 02:14:58 PM\nnot a header\n"));
        assert!(!sniff(b"notes\n"));
        let late = format!("{}10/24/2025 02:14:58 PM\nLogName=S\n", "x\n".repeat(40));
        assert!(!sniff(late.as_bytes()));
        let mixed = format!("<Event/>\n{late}");
        assert!(sniff(mixed.as_bytes()));
        assert!(!sniff(b"<Event/>\n<Event/>\n"));
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line() {
        assert_eq!(line_and_column(b"ab\ncd\xff", 5), (1, 3));
        assert_eq!(line_and_column(b"\xff", 0), (0, 1));
    }
}
