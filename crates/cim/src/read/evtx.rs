//! Windows EVTX files (the binary event logs under `System32\winevt\Logs`, and what Event
//! Viewer's "Save As" writes) read into [`WinEvent`]s.
//!
//! The `evtx` crate does the binary work: the file and chunk headers, BinXML, templates and
//! typed values. Each record is rendered by the crate as XML and that XML is parsed by the
//! same event parser as Splunk's `XmlWinEventLog` lines ([`super::xml`]), so an event read
//! from EVTX gives the same [`WinEvent`], and the same row, as that event exported by Splunk.
//! The crate renders values as Windows does: numbers in decimal, `HexInt32`/`HexInt64` values
//! (Security 4688 `NewProcessId`, `Keywords`) as lower-case `0x…`, SIDs as `S-1-…`, times as
//! ISO 8601 UTC with the seven digits of a FILETIME (`2019-04-30T22:48:59.2608510Z`).
//!
//! One rendering is changed here. The crate writes GUIDs in lower case; Windows 7 and 10 write
//! them in upper case (`{365ABB72-D0DB-5CC8-0000-0010488A3C00}`), as in the Splunk exports of
//! those systems, so an `EventData` value that is exactly one braced GUID is upper-cased.
//! Newer builds (Server 2022 era, 24H2) render GUIDs in lower case, as two of the shared Splunk
//! exports show; an EVTX file does not say which rendering its events would get.
//! TODO: the crate's public API does not say which values are GUID-typed (the `EventData`
//! template is nested inside a BinXML value), so a value that is a string holding exactly a
//! lower-case braced GUID is upper-cased too.
//!
//! Record numbers: the `line` of an event or a skip is the record's number in its EVTX record
//! header (what `evtx_dump` prints as `Record N`). In a live log it equals
//! `System/EventRecordID`; a log saved from Event Viewer numbers its records from 1 while the
//! XML keeps the original `EventRecordID`. A fault in a chunk as a whole, or in a record whose
//! header cannot be read, has no record number: its `line` is 0 and its reason says where.
//!
//! Faults:
//! * a file shorter than its 4096-byte header, or whose header has the wrong magic or fails its
//!   CRC32, is a [`ReadError::Format`];
//! * a chunk that cannot be read (bad magic, a header cut off) is one
//!   [`SkipReason::BadChunk`]; a file that ends inside a chunk's records gives the records
//!   before the cut and one `BadChunk` saying where the file ends;
//! * a record the crate cannot parse or render is a [`SkipReason::BadRecord`], and reading
//!   goes on with the next record;
//! * a file that ends before a chunk its header counts gives one `BadChunk` for the first one
//!   missing;
//! * a file of only a header that counts no chunks, and chunks of only zeroes (unused space in
//!   a dirty log), hold no events.
//!
//! Chunk CRC32s are not checked, as the crate does by default: the chunk being written when a
//! live log is copied often fails its CRC, and its records are the newest ones.
//! TODO: the report does not say that a chunk failed its CRC32, so damage that still parses
//! gives events with wrong values and no warning.
//!
//! Chunks are read in parallel, each a unit of its own (records do not span chunks), and the
//! results are joined in record order: from the chunk holding the oldest records to the end of
//! the file, then from the start, which is how a log that has wrapped around is read.
//!
//! Not owned here: the XML of one event ([`super::xml`]) and field mapping
//! ([`crate::normalize`]).

use std::error::Error;
use std::path::Path;
use std::sync::Arc;

use ::evtx::err::EvtxError;
use ::evtx::{EvtxChunkData, EvtxChunkHeader, EvtxFileHeader, ParserSettings};
use rayon::prelude::*;

use super::collect::Collector;
use super::xml::parse_line;
use super::{ReadError, SkipReason};
use crate::event::WinEvent;

/// The first eight bytes of every EVTX file.
pub(crate) const MAGIC: &[u8] = b"ElfFile\0";

/// Bytes of the file header block; chunks start after it.
const HEADER_BLOCK: usize = 4096;

/// Bytes of one chunk.
const CHUNK: usize = 65536;

/// Bytes of a chunk's header, before its records.
const CHUNK_HEADER: usize = 512;

/// What is seen of one record: an event, or why there is none.
type Seen<'r, 'e> = Result<&'r WinEvent<'e>, SkipReason>;

/// One chunk's bytes in the file: a whole chunk, or less where the file ends inside it.
#[derive(Debug, Clone, Copy)]
struct ChunkBytes<'f> {
    /// The chunk's number in the file, from 0.
    number: u64,
    bytes: &'f [u8],
}

/// Reads the EVTX file `bytes`; `path` only names it in skips and errors.
pub(crate) fn read(path: &Path, bytes: &[u8]) -> Result<Collector, ReadError> {
    let header = check_header(bytes).map_err(|message| ReadError::Format {
        path: path.to_path_buf(),
        message,
    })?;

    let chunks = chunks_in_record_order(bytes);
    let settings = Arc::new(ParserSettings::default().indent(false));
    let outputs: Vec<Collector> = chunks
        .par_iter()
        .map(|chunk| {
            let mut out = Collector::new(path);
            read_chunk(*chunk, &settings, &mut |line, seen| match seen {
                Ok(event) => out.event(line, event),
                Err(reason) => out.skip(line, reason),
            });
            out
        })
        .collect();

    let mut file = Collector::new(path);
    file.count_file();
    for out in outputs {
        file.absorb(out);
    }

    let present = bytes.len().saturating_sub(HEADER_BLOCK).div_ceil(CHUNK);
    let counted = usize::from(header.chunk_count);
    if counted > present {
        let message = format!("the file ends before this chunk; its header counts {counted}");
        let chunk = u64::try_from(present).unwrap_or(u64::MAX);
        file.skip(0, SkipReason::BadChunk { chunk, message });
    }
    Ok(file)
}

/// The file header, or why it is not usable.
fn check_header(bytes: &[u8]) -> Result<EvtxFileHeader, String> {
    let Some(block) = bytes.get(..HEADER_BLOCK) else {
        return Err(format!(
            "truncated EVTX file: the header needs {HEADER_BLOCK} bytes, the file has {}",
            bytes.len()
        ));
    };
    let header = EvtxFileHeader::from_bytes(block)
        .map_err(|e| format!("corrupt EVTX file header: {}", describe(&e)))?;
    if !header.validate_checksum() {
        return Err(format!(
            "corrupt EVTX file header: its CRC32 is {:#010x}, its bytes give {:#010x}",
            header.checksum, header.computed_checksum
        ));
    }
    if usize::from(header.header_block_size) != HEADER_BLOCK {
        return Err(format!(
            "unsupported EVTX file header: header block of {} bytes, expected {HEADER_BLOCK}",
            header.header_block_size
        ));
    }
    Ok(header)
}

/// The file's chunks that hold anything, in record order (see the module documentation).
fn chunks_in_record_order(bytes: &[u8]) -> Vec<ChunkBytes<'_>> {
    let body = bytes.get(HEADER_BLOCK..).unwrap_or_default();
    let mut chunks: Vec<ChunkBytes<'_>> = body
        .chunks(CHUNK)
        .zip(0u64..)
        .filter(|(bytes, _)| bytes.iter().any(|b| *b != 0))
        .map(|(bytes, number)| ChunkBytes { number, bytes })
        .collect();

    // The chunk whose header names the lowest record id holds the oldest records. A header
    // whose range runs backwards says nothing about where its records belong.
    let oldest = chunks
        .iter()
        .enumerate()
        .filter_map(|(at, chunk)| {
            let header = EvtxChunkHeader::from_bytes(chunk.bytes).ok()?;
            let first = header.first_event_record_id;
            (first <= header.last_event_record_id).then_some((first, at))
        })
        .min()
        .map_or(0, |(_, at)| at);
    chunks.rotate_left(oldest);
    chunks
}

/// Hands every record of `chunk`, in order, to `each` with its record number.
fn read_chunk(
    chunk: ChunkBytes<'_>,
    settings: &Arc<ParserSettings>,
    each: &mut dyn FnMut(usize, Seen<'_, '_>),
) {
    let have = chunk.bytes.len();
    let bad_chunk = |message: String| SkipReason::BadChunk {
        chunk: chunk.number,
        message,
    };
    if have < CHUNK_HEADER {
        let message = format!("the file ends {have} bytes into the chunk, inside its header");
        each(0, Err(bad_chunk(message)));
        return;
    }

    // A chunk the file ends inside is padded with zeroes, which read as free space; records
    // that reach into the padding are skipped below, never read from it.
    let mut data = chunk.bytes.to_vec();
    data.resize(CHUNK, 0);
    let mut chunk_data = match EvtxChunkData::new(data, false) {
        Ok(chunk_data) => chunk_data,
        Err(e) => return each(0, Err(bad_chunk(describe(&e)))),
    };
    chunk_data.number = Some(chunk.number);
    // Where the chunk's header says its records end.
    let records_end = usize::try_from(chunk_data.header.free_space_offset).unwrap_or(CHUNK);
    let mut parsed = match chunk_data.parse(Arc::clone(settings)) {
        Ok(parsed) => parsed,
        Err(e) => return each(0, Err(bad_chunk(describe(&e)))),
    };

    for record in parsed.iter() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                each(record_number_of(&e), Err(bad_record(&e)));
                continue;
            }
        };
        let line = record_number(record.event_record_id);
        // A record ends with a copy of its size, four bytes after its BinXML.
        let end = record.binxml_offset + u64::from(record.binxml_size) + 4;
        if end > have as u64 {
            let message = "the file ends inside this record".to_owned();
            each(line, Err(SkipReason::BadRecord { message }));
            continue;
        }
        match record.into_xml_bytes() {
            Ok(xml) => event_from_xml(line, xml.data, each),
            Err(e) => each(line, Err(bad_record(&e))),
        }
    }

    if have < records_end.min(CHUNK) {
        let message =
            format!("the file ends {have} bytes into the chunk; records past that are lost");
        each(0, Err(bad_chunk(message)));
    }
}

/// Parses one record's XML, as the crate renders it, and hands the event to `each`.
fn event_from_xml(line: usize, xml: Vec<u8>, each: &mut dyn FnMut(usize, Seen<'_, '_>)) {
    let text = match String::from_utf8(xml) {
        Ok(text) => text,
        Err(e) => {
            let message = format!("the rendered XML is not UTF-8: {e}");
            return each(line, Err(SkipReason::BadRecord { message }));
        }
    };
    let mut event = WinEvent::default();
    match parse_line(without_declaration(&text), &mut event) {
        Ok(()) => {
            upper_case_guids(&mut event);
            each(line, Ok(&event));
        }
        Err(reason) => each(line, Err(reason)),
    }
}

/// `text` after its `<?xml …?>` declaration, which the crate writes before every record.
fn without_declaration(text: &str) -> &str {
    if !text.starts_with("<?xml") {
        return text;
    }
    match text.find("?>") {
        Some(end) => &text[end + 2..],
        None => text,
    }
}

/// Upper-cases each `EventData` value that is one braced GUID (see the module documentation).
fn upper_case_guids(event: &mut WinEvent<'_>) {
    for (_, value) in &mut event.data {
        if is_braced_guid(value) && value.bytes().any(|b| b.is_ascii_lowercase()) {
            *value = value.to_ascii_uppercase().into();
        }
    }
}

/// Whether `text` is `{8-4-4-4-12}` hex digits, as GUIDs are written.
fn is_braced_guid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 38
        && b.first() == Some(&b'{')
        && b.last() == Some(&b'}')
        && b.iter().enumerate().skip(1).take(36).all(|(i, c)| match i {
            9 | 14 | 19 | 24 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A record number as a skip's or an event's `line`.
fn record_number(id: u64) -> usize {
    usize::try_from(id).unwrap_or(usize::MAX)
}

/// The number of the record an error is about, or 0 when it names none.
fn record_number_of(err: &EvtxError) -> usize {
    match err {
        EvtxError::FailedToParseRecord { record_id, .. } => record_number(*record_id),
        _ => 0,
    }
}

fn bad_record(err: &EvtxError) -> SkipReason {
    SkipReason::BadRecord {
        message: describe(err),
    }
}

/// An error and its causes, outermost first: the crate's outer errors only say where.
fn describe(err: &dyn Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::read_bytes;

    /// A valid file header for a log of `chunks` chunks, padded to its 4096 bytes.
    fn file_header(chunks: u16) -> Vec<u8> {
        let mut h = vec![0u8; HEADER_BLOCK];
        h[..8].copy_from_slice(MAGIC);
        h[16..24].copy_from_slice(&u64::from(chunks.saturating_sub(1)).to_le_bytes());
        h[24..32].copy_from_slice(&1u64.to_le_bytes());
        h[32..36].copy_from_slice(&128u32.to_le_bytes());
        h[36..38].copy_from_slice(&1u16.to_le_bytes());
        h[38..40].copy_from_slice(&3u16.to_le_bytes());
        h[40..42].copy_from_slice(&4096u16.to_le_bytes());
        h[42..44].copy_from_slice(&chunks.to_le_bytes());
        let crc = ::evtx::checksum_ieee(&h[..120]);
        h[124..128].copy_from_slice(&crc.to_le_bytes());
        h
    }

    fn skips(bytes: &[u8]) -> Vec<(usize, SkipReason)> {
        let out = read_bytes(Path::new("t.evtx"), bytes).expect("a readable header");
        assert_eq!(out.report.files, 1);
        assert_eq!(out.report.events, 0);
        let skipped = out.report.skipped.into_iter();
        skipped.map(|s| (s.line, s.reason)).collect()
    }

    #[test]
    fn a_header_alone_or_with_empty_chunks_holds_no_events() {
        assert!(skips(&file_header(0)).is_empty());
        let mut bytes = file_header(2);
        bytes.resize(HEADER_BLOCK + 2 * CHUNK, 0);
        assert!(skips(&bytes).is_empty());
    }

    #[test]
    fn chunks_that_are_not_chunks_are_skipped_each() {
        let mut bytes = file_header(2);
        bytes.extend((0..2 * CHUNK).map(|i| (i % 251) as u8 | 1));
        let got = skips(&bytes);
        assert_eq!(got.len(), 2, "{got:?}");
        for (i, (line, reason)) in got.iter().enumerate() {
            assert_eq!(*line, 0);
            let SkipReason::BadChunk { chunk, message } = reason else {
                panic!("{reason:?}");
            };
            assert_eq!(*chunk, i as u64);
            assert!(message.contains("ElfChnk"), "{message}");
        }
    }

    #[test]
    fn a_file_ending_inside_a_chunk_header_is_one_skip() {
        let mut bytes = file_header(1);
        bytes.extend_from_slice(b"ElfChnk\0 and then the file ends");
        let got = skips(&bytes);
        assert!(
            matches!(&got[..], [(0, SkipReason::BadChunk { chunk: 0, message })]
                if message.contains("inside its header")),
            "{got:?}"
        );
    }

    #[test]
    fn a_bad_header_is_a_format_error() {
        let good = file_header(0);
        let mut bad_crc = good.clone();
        bad_crc[50] ^= 0xff;
        let mut wrong_block = good.clone();
        wrong_block[40..42].copy_from_slice(&512u16.to_le_bytes());
        let crc = ::evtx::checksum_ieee(&wrong_block[..120]);
        wrong_block[124..128].copy_from_slice(&crc.to_le_bytes());
        for (bytes, expected) in [
            (&good[..100], "truncated EVTX file"),
            (&good[..HEADER_BLOCK - 1], "truncated EVTX file"),
            (&bad_crc[..], "CRC32"),
            (&wrong_block[..], "header block of 512 bytes"),
        ] {
            match read_bytes(Path::new("h.evtx"), bytes) {
                Err(ReadError::Format { path, message }) => {
                    assert_eq!(path, Path::new("h.evtx"));
                    assert!(message.contains(expected), "{message}");
                }
                other => panic!("expected a format error, got {other:?}"),
            }
        }
    }

    #[test]
    fn only_braced_guids_are_upper_cased() {
        let mut event = WinEvent::default();
        let values = [
            ("Guid", "{365abb72-d0db-5cc8-0000-0010488a3c00}"),
            ("Upper", "{365ABB72-D0DB-5CC8-0000-0010488A3C00}"),
            ("Bare", "365abb72-d0db-5cc8-0000-0010488a3c00"),
            ("Inside", "x {365abb72-d0db-5cc8-0000-0010488a3c00}"),
            ("Hex", "0x3e7"),
            ("NotHex", "{365abb72-d0db-5cc8-0000-0010488a3c0g}"),
        ];
        for (name, value) in values {
            event.push_data(name.into(), value.into());
        }
        upper_case_guids(&mut event);
        let want = "{365ABB72-D0DB-5CC8-0000-0010488A3C00}";
        assert_eq!(event.data("Guid"), Some(want));
        assert_eq!(event.data("Upper"), Some(want));
        for (name, value) in &values[2..] {
            assert_eq!(event.data(name), Some(*value), "{name}");
        }
    }

    #[test]
    fn the_declaration_is_dropped_before_parsing() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Event/>";
        assert_eq!(without_declaration(xml), "\n<Event/>");
        assert_eq!(without_declaration("<Event/>"), "<Event/>");
        assert_eq!(
            without_declaration("<?xml never closed"),
            "<?xml never closed"
        );
    }

    /// The shared folder's datasets, or `None` (with a message) when it is absent.
    fn shared(file: &str) -> Option<Vec<u8>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets");
        if !dir.is_dir() {
            eprintln!("skipping: shared datasets not found at {}", dir.display());
            return None;
        }
        Some(std::fs::read(dir.join(file)).expect("a shared dataset"))
    }

    fn owned(value: &Option<std::borrow::Cow<'_, str>>) -> Option<std::borrow::Cow<'static, str>> {
        value.as_ref().map(|v| v.clone().into_owned().into())
    }

    fn owned_event(ev: &WinEvent<'_>) -> WinEvent<'static> {
        let mut copy = WinEvent {
            provider: owned(&ev.provider),
            event_id: owned(&ev.event_id),
            channel: owned(&ev.channel),
            computer: owned(&ev.computer),
            system_time: owned(&ev.system_time),
            user_id: owned(&ev.user_id),
            keywords: owned(&ev.keywords),
            data: Vec::new(),
        };
        for (name, value) in ev.data_values() {
            copy.push_data(name.to_owned().into(), value.to_owned().into());
        }
        copy
    }

    /// Every event of an EVTX file, which must have no skips.
    fn events_of(bytes: &[u8]) -> Vec<WinEvent<'static>> {
        let settings = Arc::new(ParserSettings::default().indent(false));
        let mut events = Vec::new();
        for chunk in chunks_in_record_order(bytes) {
            read_chunk(chunk, &settings, &mut |line, seen| {
                let ev = seen.unwrap_or_else(|reason| panic!("record {line}: {reason}"));
                events.push(owned_event(ev));
            });
        }
        events
    }

    /// The first event of `log` (Splunk XML, one event a line) with `provider` and `id`.
    fn splunk_event(log: &str, provider: &str, id: &str) -> WinEvent<'static> {
        for line in log.lines() {
            let mut ev = WinEvent::default();
            if parse_line(line, &mut ev).is_ok() && ev.is(provider, id) {
                return owned_event(&ev);
            }
        }
        panic!("no {provider} {id} event");
    }

    /// The kind of rendering a value has, for the kinds whose rendering is a choice.
    fn shape(value: &str) -> &'static str {
        let shapes = [
            ("GUID", r"^\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$"),
            (
                "lower-case GUID",
                r"^\{[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\}$",
            ),
            ("decimal", r"^[0-9]+$"),
            ("hex", r"^0x[0-9a-f]+$"),
            ("SID", r"^S-1-[0-9]+(-[0-9]+)*$"),
            (
                "SystemTime",
                r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}(\d\d)?Z$",
            ),
        ];
        for (name, pattern) in shapes {
            if regex::Regex::new(pattern)
                .expect("a pattern")
                .is_match(value)
            {
                return name;
            }
        }
        "text"
    }

    /// Every value the two events both have is rendered the same way in both.
    fn assert_same_renderings(evtx: &WinEvent<'_>, splunk: &WinEvent<'_>) {
        let system = |ev: &WinEvent<'_>| {
            let values = [&ev.system_time, &ev.user_id, &ev.keywords, &ev.event_id];
            values.map(|v| v.as_deref().map(shape))
        };
        assert_eq!(system(evtx), system(splunk));
        let mut compared = 0;
        for (name, value) in evtx.data_values() {
            if let Some(theirs) = splunk.data(name) {
                assert_eq!(
                    shape(value),
                    shape(theirs),
                    "{name}: {value:?} vs {theirs:?}"
                );
                compared += 1;
            }
        }
        assert!(compared >= 10, "only {compared} values in common");
    }

    #[test]
    fn values_render_as_in_the_splunk_export_of_the_same_events() {
        let Some(sysmon) =
            shared("evtx__evtx-attack-samples__Exec_sysmon_meterpreter_reversetcp_msipackage.evtx")
        else {
            return;
        };
        let Some(security) =
            shared("evtx__evtx-to-mitre-attack__ID4688-Scheduled_task_creation.evtx")
        else {
            return;
        };
        let Some(splunk) = shared("splunk_xml__attack_data__T1036.002_rtlo_events.log") else {
            return;
        };
        let splunk = String::from_utf8(splunk).expect("UTF-8");

        let events = events_of(&sysmon);
        let sysmon_1 = events
            .iter()
            .find(|e| e.is("Microsoft-Windows-Sysmon", "1"))
            .expect("a Sysmon process creation");
        let theirs = splunk_event(&splunk, "Microsoft-Windows-Sysmon", "1");
        assert_same_renderings(sysmon_1, &theirs);
        assert_eq!(sysmon_1.keywords.as_deref(), Some("0x8000000000000000"));
        assert_eq!(sysmon_1.user_id.as_deref(), Some("S-1-5-18"));
        assert_eq!(sysmon_1.data("LogonId"), Some("0x3e7"));
        assert_eq!(sysmon_1.data("ProcessId"), Some("1892"));
        assert_eq!(
            sysmon_1.data("ProcessGuid"),
            Some("{365ABB72-D0DB-5CC8-0000-0010488A3C00}")
        );

        let events = events_of(&security);
        let [process_4688] = &events[..] else {
            panic!("one event, got {}", events.len());
        };
        let theirs = splunk_event(&splunk, "Microsoft-Windows-Security-Auditing", "4688");
        assert_same_renderings(process_4688, &theirs);
        assert_eq!(process_4688.keywords.as_deref(), Some("0x8020000000000000"));
        assert_eq!(process_4688.data("NewProcessId"), Some("0x1e18"));
        assert_eq!(process_4688.data("MandatoryLabel"), Some("S-1-16-8192"));
        assert_eq!(
            process_4688.system_time.as_deref(),
            Some("2020-07-11T21:09:03.2492409Z")
        );
    }
}
