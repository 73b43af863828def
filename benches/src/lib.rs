//! Synthetic `Endpoint.Processes` data for benchmarks, with realistic cardinalities.
//!
//! A fleet of hosts and users runs a catalogue of images, most of them common and a long
//! tail rare; every launch gets its own GUID, PID and command line. One launch in
//! [`MATCH_EVERY`] is an AI_STUBS launch that the shipped detection finds, so a benchmark
//! exercises the grouping as well as the filter.
//!
//! The same generator writes normalized rows (Parquet, CIM field names) and raw Sysmon
//! EventID 1 events in Splunk's XML export shape.

#![warn(missing_docs)]

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use polars::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// One launch in this many matches the AI_STUBS detection.
pub const MATCH_EVERY: usize = 50_000;

const HOSTS: usize = 500;
const USERS: usize = 2_000;
const IMAGES: &[&str] = &[
    "C:\\Windows\\System32\\svchost.exe",
    "C:\\Windows\\System32\\cmd.exe",
    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    "C:\\Windows\\System32\\conhost.exe",
    "C:\\Windows\\System32\\rundll32.exe",
    "C:\\Windows\\System32\\taskhostw.exe",
    "C:\\Windows\\explorer.exe",
    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
    "C:\\Windows\\System32\\msiexec.exe",
    "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
    "C:\\Windows\\System32\\schtasks.exe",
];
const STUB: &str =
    "C:\\Program Files\\WindowsApps\\Bench.App_1.0.0.0_x64__8wekyb3d8bbwe\\AI_STUBS\\AiStubX64.exe";

/// One synthetic process launch.
#[derive(Debug, Clone)]
pub struct Launch {
    /// Epoch seconds.
    pub time: f64,
    /// Host name.
    pub dest: String,
    /// `DOMAIN\user`.
    pub user: String,
    /// Image path.
    pub image: String,
    /// Original file name from the PE header.
    pub original_file_name: String,
    /// Command line.
    pub command_line: String,
    /// Process GUID with braces.
    pub guid: String,
    /// Decimal PID.
    pub pid: String,
    /// Parent image path.
    pub parent_image: String,
    /// Parent command line.
    pub parent_command_line: String,
    /// Parent GUID.
    pub parent_guid: String,
    /// Parent PID.
    pub parent_pid: String,
    /// `MD5=...,SHA256=...`.
    pub hashes: String,
    /// `Medium`, `High`, `System`.
    pub integrity: &'static str,
}

/// Generates `n` launches deterministically from `seed`.
pub fn launches(n: usize, seed: u64) -> impl Iterator<Item = Launch> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(move |at| launch(&mut rng, at))
}

fn launch(rng: &mut StdRng, at: usize) -> Launch {
    let image = if at % MATCH_EVERY == MATCH_EVERY - 1 {
        STUB.to_string()
    } else if rng.random_bool(0.9) {
        IMAGES[rng.random_range(0..IMAGES.len())].to_string()
    } else {
        format!(
            "C:\\Program Files\\Vendor{}\\tool{}.exe",
            rng.random_range(0..400),
            rng.random_range(0..50)
        )
    };
    let name = image.rsplit('\\').next().unwrap_or_default().to_string();
    let original_file_name = if image == STUB {
        "popupwrapper.exe".to_string()
    } else {
        name.to_uppercase()
    };
    let parent_image = IMAGES[rng.random_range(0..IMAGES.len())].to_string();
    let guid = |rng: &mut StdRng| {
        format!(
            "{{{:08X}-{:04X}-{:04X}-{:04X}-{:012X}}}",
            rng.random::<u32>(),
            rng.random::<u16>(),
            rng.random::<u16>(),
            rng.random::<u16>(),
            rng.random::<u64>() & 0xFFFF_FFFF_FFFF
        )
    };
    Launch {
        time: 1_767_225_600.0 + at as f64 * 0.25 + f64::from(rng.random_range(0..1000u32)) / 1000.0,
        dest: format!("host-{:04}.corp.example", rng.random_range(0..HOSTS)),
        user: format!("CORP\\user{:05}", rng.random_range(0..USERS)),
        command_line: format!(
            "\"{image}\" --job {} --flag{}",
            rng.random::<u32>(),
            rng.random_range(0..10)
        ),
        guid: guid(rng),
        pid: rng.random_range(4..65_536u32).to_string(),
        parent_command_line: format!("\"{parent_image}\" -k group{}", rng.random_range(0..20)),
        parent_guid: guid(rng),
        parent_pid: rng.random_range(4..65_536u32).to_string(),
        hashes: format!(
            "MD5={:032X},SHA256={:016X}{:016X}",
            rng.random::<u128>(),
            rng.random::<u64>(),
            rng.random::<u64>()
        ),
        integrity: ["Medium", "High", "System"][rng.random_range(0..3)],
        image,
        original_file_name,
        parent_image,
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('\\').next().unwrap_or(path)
}

/// Launches written per Parquet row group: the generator holds one batch at a time, so a
/// 10M-row table is written in the memory of 500k rows.
const BATCH: usize = 500_000;

/// Writes `n` normalized `Endpoint.Processes` rows as Parquet with CIM field names.
pub fn write_processes_parquet(path: &Path, n: usize, seed: u64) -> PolarsResult<()> {
    let file =
        File::create(path).map_err(|e| polars_err!(ComputeError: "{}: {e}", path.display()))?;
    let mut launches = launches(n, seed);
    let mut batch = || -> Vec<Launch> { launches.by_ref().take(BATCH).collect() };
    // The first batch, empty when n is 0, gives the schema.
    let first = processes_frame(&batch())?;
    let mut writer = ParquetWriter::new(file).batched(first.schema())?;
    writer.write_batch(&first)?;
    loop {
        let rows = batch();
        if rows.is_empty() {
            break;
        }
        writer.write_batch(&processes_frame(&rows)?)?;
    }
    writer.finish()?;
    Ok(())
}

/// One batch of launches as normalized rows.
fn processes_frame(rows: &[Launch]) -> PolarsResult<DataFrame> {
    let n = rows.len();
    let text = |f: fn(&Launch) -> &str| -> Vec<&str> { rows.iter().map(f).collect() };
    DataFrame::new(
        n,
        vec![
            Column::new(
                "_time".into(),
                rows.iter().map(|r| r.time).collect::<Vec<f64>>(),
            ),
            Column::new("action".into(), vec!["allowed"; n]),
            Column::new("dest".into(), text(|r| &r.dest)),
            Column::new("original_file_name".into(), text(|r| &r.original_file_name)),
            Column::new("parent_process".into(), text(|r| &r.parent_command_line)),
            Column::new(
                "parent_process_exec".into(),
                text(|r| basename(&r.parent_image)),
            ),
            Column::new("parent_process_guid".into(), text(|r| &r.parent_guid)),
            Column::new("parent_process_id".into(), text(|r| &r.parent_pid)),
            Column::new(
                "parent_process_name".into(),
                text(|r| basename(&r.parent_image)),
            ),
            Column::new("parent_process_path".into(), text(|r| &r.parent_image)),
            Column::new("process".into(), text(|r| &r.command_line)),
            Column::new("process_exec".into(), text(|r| basename(&r.image))),
            Column::new("process_guid".into(), text(|r| &r.guid)),
            Column::new("process_hash".into(), text(|r| &r.hashes)),
            Column::new("process_id".into(), text(|r| &r.pid)),
            Column::new("process_integrity_level".into(), text(|r| r.integrity)),
            Column::new("process_name".into(), text(|r| basename(&r.image))),
            Column::new("process_path".into(), text(|r| &r.image)),
            Column::new("user".into(), text(|r| &r.user)),
            Column::new("user_id".into(), vec!["S-1-5-18"; n]),
            Column::new("vendor_product".into(), vec!["Microsoft Sysmon"; n]),
        ],
    )
}

/// Writes `n` raw Sysmon EventID 1 events, one `<Event>` a line, as Splunk exports them.
pub fn write_sysmon_xml(path: &Path, n: usize, seed: u64) -> io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    for (at, l) in launches(n, seed).enumerate() {
        let seconds = l.time.floor() as i64;
        let stamp = chrono_stamp(seconds, ((l.time - l.time.floor()) * 1e7) as u32);
        writeln!(
            out,
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{{5770385f-c22a-43e0-bf4c-06f5698ffbd9}}'/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='{stamp}'/><EventRecordID>{record}</EventRecordID><Correlation/><Execution ProcessID='3120' ThreadID='4012'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>{dest}</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='RuleName'>-</Data><Data Name='UtcTime'>{stamp}</Data><Data Name='ProcessGuid'>{guid}</Data><Data Name='ProcessId'>{pid}</Data><Data Name='Image'>{image}</Data><Data Name='FileVersion'>10.0.1</Data><Data Name='Description'>-</Data><Data Name='Product'>-</Data><Data Name='Company'>-</Data><Data Name='OriginalFileName'>{ofn}</Data><Data Name='CommandLine'>{cmd}</Data><Data Name='CurrentDirectory'>C:\\Windows\\system32\\</Data><Data Name='User'>{user}</Data><Data Name='LogonGuid'>{{00000000-0000-0000-0000-000000000000}}</Data><Data Name='LogonId'>0x3e7</Data><Data Name='TerminalSessionId'>0</Data><Data Name='IntegrityLevel'>{integrity}</Data><Data Name='Hashes'>{hashes}</Data><Data Name='ParentProcessGuid'>{pguid}</Data><Data Name='ParentProcessId'>{ppid}</Data><Data Name='ParentImage'>{pimage}</Data><Data Name='ParentCommandLine'>{pcmd}</Data></EventData></Event>",
            record = at + 1,
            dest = l.dest,
            guid = l.guid,
            pid = l.pid,
            image = l.image,
            ofn = l.original_file_name,
            cmd = xml_text(&l.command_line),
            user = l.user,
            integrity = l.integrity,
            hashes = l.hashes,
            pguid = l.parent_guid,
            ppid = l.parent_pid,
            pimage = l.parent_image,
            pcmd = xml_text(&l.parent_command_line),
        )?;
    }
    out.flush()
}

fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `YYYY-MM-DDTHH:MM:SS.fffffffZ` for epoch seconds and 100-ns ticks.
fn chrono_stamp(seconds: i64, ticks: u32) -> String {
    let whole = chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S");
    // chrono has no seven-digit fraction; Windows writes 100 ns ticks.
    format!("{whole}.{ticks:07}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_iso_utc() {
        assert_eq!(
            chrono_stamp(1_700_000_000, 1_234_567),
            "2023-11-14T22:13:20.1234567Z"
        );
        assert_eq!(chrono_stamp(0, 0), "1970-01-01T00:00:00.0000000Z");
    }

    #[test]
    fn one_launch_in_match_every_is_a_stub() {
        let stubs = launches(2 * MATCH_EVERY, 7)
            .filter(|l| l.image == STUB)
            .count();
        assert_eq!(stubs, 2);
    }
}
