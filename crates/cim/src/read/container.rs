//! Archives and compressed files: zip, gzip and tar, read in memory without unpacking to disk.
//!
//! Each member of an archive is read as a file of its own, in any format (an archive inside an
//! archive included), and named `ARCHIVE!MEMBER` in skips and errors. A member in no known
//! format is listed in the report's `skipped_files`, as a file in a folder would be: the user
//! named the archive, not the member. A gzip file holds one file, read the same way; its name
//! is the archive's own.
//!
//! A corrupt archive or a member that cannot be decompressed is a [`ReadError::Format`] naming
//! the archive (and member), because there is no line to skip.
//!
//! TODO: a member is decompressed whole into memory before it is read.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use super::collect::Collector;
use super::{read_content, ReadError};

/// Reads every file member of the zip archive `bytes`, in the archive's order.
pub(crate) fn read_zip(path: &Path, bytes: &[u8]) -> Result<Collector, ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format_error(path, format!("corrupt zip archive: {e}")))?;
    let mut all = Collector::new(path);
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| format_error(path, format!("corrupt zip member {index}: {e}")))?;
        if !entry.is_file() {
            continue;
        }
        let name = entry
            .name()
            .map_err(|e| format_error(path, format!("corrupt zip member {index}: {e}")))?
            .into_owned();
        let member = member_path(path, &name);
        let mut content = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry
            .read_to_end(&mut content)
            .map_err(|e| format_error(&member, format!("cannot decompress: {e}")))?;
        all.absorb(read_content(&member, &content, false)?);
    }
    Ok(all)
}

/// Reads the file compressed in the gzip stream `bytes` (several members concatenated are one
/// file, as `gzip -d` reads them); a tar archive inside is read member by member.
pub(crate) fn read_gzip(path: &Path, bytes: &[u8]) -> Result<Collector, ReadError> {
    let mut content = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut content)
        .map_err(|e| format_error(path, format!("corrupt gzip data: {e}")))?;
    read_content(path, &content, true)
}

/// Reads every regular file of the tar archive `bytes`, in the archive's order.
pub(crate) fn read_tar(path: &Path, bytes: &[u8]) -> Result<Collector, ReadError> {
    let corrupt = |e: std::io::Error| format_error(path, format!("corrupt tar archive: {e}"));
    let mut archive = tar::Archive::new(bytes);
    let mut all = Collector::new(path);
    for entry in archive.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map_err(corrupt)?
            .to_string_lossy()
            .into_owned();
        let member = member_path(path, &name);
        let mut content = Vec::new();
        entry
            .read_to_end(&mut content)
            .map_err(|e| format_error(&member, format!("cannot read member: {e}")))?;
        all.absorb(read_content(&member, &content, false)?);
    }
    Ok(all)
}

/// `ARCHIVE!MEMBER`, the name a member goes by.
fn member_path(archive: &Path, member: &str) -> PathBuf {
    let mut name = archive.as_os_str().to_owned();
    name.push("!");
    name.push(member);
    PathBuf::from(name)
}

fn format_error(path: &Path, message: String) -> ReadError {
    ReadError::Format {
        path: path.to_path_buf(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::read::read_bytes;

    const LINE: &str = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\
        <System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID>\
        <TimeCreated SystemTime='2024-01-01T00:00:00.000Z'/>\
        <Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>pc</Computer>\
        </System><EventData><Data Name='Image'>C:\\a.exe</Data></EventData></Event>\n";

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, content) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(content.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, *content).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in members {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn gzip_tar_and_zip_members_are_read_as_files() {
        let two = format!("{LINE}{LINE}");
        let tgz = gzip(&tar_of(&[("a.log", two.as_bytes()), ("README", b"notes")]));
        let out = read_bytes(Path::new("x.tar.gz"), &tgz).unwrap();
        assert_eq!(out.report.files, 1);
        assert_eq!(out.report.mapped_total(), 2);
        assert_eq!(
            out.report.skipped_files,
            vec![PathBuf::from("x.tar.gz!README")]
        );

        let zip = zip_of(&[("one.log", LINE.as_bytes()), ("two.log", two.as_bytes())]);
        let out = read_bytes(Path::new("x.zip"), &zip).unwrap();
        assert_eq!(out.report.files, 2);
        assert_eq!(out.report.mapped_total(), 3);

        let gz = gzip(LINE.as_bytes());
        assert_eq!(
            read_bytes(Path::new("x.gz"), &gz)
                .unwrap()
                .report
                .mapped_total(),
            1
        );
    }

    #[test]
    fn skips_inside_members_name_the_member() {
        let tgz = gzip(&tar_of(&[("bad.log", b"<Event><System>\n")]));
        let out = read_bytes(Path::new("x.tgz"), &tgz).unwrap();
        assert_eq!(out.report.skipped.len(), 1);
        assert_eq!(out.report.skipped[0].file, PathBuf::from("x.tgz!bad.log"));
        assert_eq!(out.report.skipped[0].line, 1);
    }

    #[test]
    fn truncated_and_corrupt_archives_are_errors_not_panics() {
        let zip = zip_of(&[("one.log", LINE.as_bytes())]);
        let tgz = gzip(&tar_of(&[("a.log", LINE.as_bytes())]));
        for (name, bytes) in [
            ("cut.zip", &zip[..zip.len() / 2]),
            ("cut.tar.gz", &tgz[..tgz.len() / 2]),
            ("magic.zip", &b"PK\x03\x04garbage"[..]),
            ("magic.gz", &b"\x1f\x8bgarbage"[..]),
        ] {
            let err = read_bytes(Path::new(name), bytes).unwrap_err();
            assert!(matches!(err, ReadError::Format { .. }), "{name}: {err}");
            assert!(err.to_string().starts_with(name), "{err}");
        }
    }
}
