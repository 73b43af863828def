//! `spelunk ingest`: normalize log files into the store, once per file content.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::DateTime;
use polars::prelude::*;

use super::manifest::{Input, Manifest, Part};
use super::{create_dir, io_error, StoreError, MANIFEST};
use crate::normalize::schemas;
use crate::read::{self, EventTable, ReadReport};

/// Folder of parts being written, inside the store folder.
const STAGING: &str = ".staging";
/// The lock file, inside the store folder.
const LOCK: &str = ".lock";
const SECONDS_PER_DAY: f64 = 86_400.0;

/// Where an ingest is, for a progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The file just finished.
    pub file: &'a Path,
    /// Files finished so far, this one included.
    pub files_done: usize,
    /// Files to look at in all.
    pub files_total: usize,
    /// Bytes of the files finished so far.
    pub bytes_done: u64,
    /// Bytes of all the files.
    pub bytes_total: u64,
}

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    /// Files whose content was already in the store (by hash), so not read again.
    pub already_ingested: Vec<PathBuf>,
    /// What reading the new files gave: files, events, rows per source and data set, skipped
    /// lines and files in unknown formats.
    pub report: ReadReport,
    /// Files that could not be read at all, with why; the other files are still ingested.
    pub errors: Vec<String>,
    /// Parquet parts added.
    pub parts: usize,
}

/// An ingest whose parts are written but not yet part of the store: [`Staged::commit`]
/// publishes them. Dropping it (or the process ending) leaves the store as it was.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    /// Held until the commit is done; closing the file releases the lock.
    _lock: fs::File,
    manifest: Manifest,
    /// Parts to move from the staging folder into the store: (staged, final).
    moves: Vec<(PathBuf, PathBuf)>,
    summary: IngestSummary,
}

/// Ingests `paths` (files or folders) into the store in `dir`, creating it when missing.
///
/// Reads every file whose content is not yet in the store, writes its rows as Parquet parts
/// and publishes them in one step. `progress` is called after each file.
pub fn ingest(
    dir: &Path,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<IngestSummary, StoreError> {
    stage(dir, paths, progress)?.commit()
}

/// The first half of [`ingest`]: takes the lock, cleans what an interrupted ingest left,
/// reads the new files and writes their parts into the staging folder.
pub fn stage(
    dir: &Path,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Staged, StoreError> {
    create_dir(dir)?;
    let lock = take_lock(dir)?;
    let manifest_path = dir.join(MANIFEST);
    let mut manifest = if manifest_path.is_file() {
        Manifest::load(&manifest_path)?
    } else {
        Manifest::default()
    };
    remove_leftovers(dir, &manifest)?;

    let files = read::list_files(paths)?;
    let sizes: Vec<u64> = files
        .iter()
        .map(|(path, _)| fs::metadata(path).map(|m| m.len()).unwrap_or(0))
        .collect();
    let bytes_total = sizes.iter().sum();
    let mut bytes_done = 0;
    let mut seen = HashSet::new();
    let mut moves = Vec::new();
    let mut summary = IngestSummary::default();

    for (index, ((path, named), size)) in files.iter().zip(&sizes).enumerate() {
        let hash = hash_file(path)?;
        if manifest.has_input(&hash) || !seen.insert(hash.clone()) {
            summary.already_ingested.push(path.clone());
        } else {
            let mut parts = Vec::new();
            let mut report = ReadReport::default();
            let mut block = 0;
            let read = read::read_blocks::<StoreError>(path, *named, &mut |output| {
                for (dataset, table) in output.tables {
                    for (day, frame) in split_by_day(table)? {
                        let file = format!(
                            "{dataset}/day={day}/part-{}-{block:04}.parquet",
                            &hash[..16]
                        );
                        let staged = dir.join(STAGING).join(&file);
                        let rows = frame.height();
                        write_part(&staged, frame)?;
                        parts.push((
                            Part {
                                dataset: dataset.clone(),
                                day,
                                file: file.clone(),
                                rows,
                                input: hash.clone(),
                            },
                            staged,
                            dir.join(file),
                        ));
                    }
                }
                report.absorb(output.report);
                block += 1;
                Ok(())
            });
            match read {
                Ok(()) => {
                    if report.files > 0 {
                        manifest.inputs.push(Input {
                            hash,
                            path: path.display().to_string(),
                            bytes: *size,
                            events: report.events,
                            rows: parts.iter().map(|(p, _, _)| p.rows).sum(),
                        });
                    }
                    for (part, staged, target) in parts {
                        manifest.parts.push(part);
                        moves.push((staged, target));
                    }
                    summary.report.absorb(report);
                }
                // The file's staged parts are left in the staging folder, which the commit
                // removes; the other files are still ingested.
                Err(StoreError::Read(e)) => summary.errors.push(e.to_string()),
                Err(other) => return Err(other),
            }
        }
        bytes_done += size;
        progress(Progress {
            file: path,
            files_done: index + 1,
            files_total: files.len(),
            bytes_done,
            bytes_total,
        });
    }
    summary.parts = moves.len();
    Ok(Staged {
        dir: dir.to_path_buf(),
        _lock: lock,
        manifest,
        moves,
        summary,
    })
}

impl Staged {
    /// What the ingest read and will add.
    pub fn summary(&self) -> &IngestSummary {
        &self.summary
    }

    /// Publishes the staged parts: moves each into place, then replaces the manifest in one
    /// rename. Until that rename, readers see the store as it was.
    pub fn commit(self) -> Result<IngestSummary, StoreError> {
        self.move_parts(self.moves.len())?;
        self.manifest.save(&self.dir.join(MANIFEST))?;
        let staging = self.dir.join(STAGING);
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
        }
        Ok(self.summary)
    }

    /// Moves the first `count` staged parts into place.
    fn move_parts(&self, count: usize) -> Result<(), StoreError> {
        for (staged, target) in self.moves.iter().take(count) {
            if let Some(parent) = target.parent() {
                create_dir(parent)?;
            }
            fs::rename(staged, target).map_err(io_error(target))?;
        }
        Ok(())
    }
}

/// The BLAKE3 hash of the file at `path`, hex, read in pieces.
fn hash_file(path: &Path) -> Result<String, StoreError> {
    let file = fs::File::open(path).map_err(io_error(path))?;
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(file).map_err(io_error(path))?;
    Ok(hasher.finalize().to_hex().to_string())
}

/// Takes the store's lock, or says who holds it.
fn take_lock(dir: &Path) -> Result<fs::File, StoreError> {
    let path = dir.join(LOCK);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_error(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(StoreError::Locked {
            dir: dir.to_path_buf(),
        }),
        Err(fs::TryLockError::Error(source)) => Err(StoreError::Io { path, source }),
    }
}

/// Removes what an interrupted ingest left: the staging folder, and parts that were moved
/// into place but never listed in the manifest. Runs under the lock.
fn remove_leftovers(dir: &Path, manifest: &Manifest) -> Result<(), StoreError> {
    let staging = dir.join(STAGING);
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
    }
    let listed: HashSet<PathBuf> = manifest.parts.iter().map(|p| dir.join(&p.file)).collect();
    for schema in schemas() {
        let dataset_dir = dir.join(schema.dataset);
        if !dataset_dir.is_dir() {
            continue;
        }
        for day in fs::read_dir(&dataset_dir).map_err(io_error(&dataset_dir))? {
            let day = day.map_err(io_error(&dataset_dir))?.path();
            if !day.is_dir() {
                continue;
            }
            for part in fs::read_dir(&day).map_err(io_error(&day))? {
                let part = part.map_err(io_error(&day))?.path();
                let is_part = part.extension().is_some_and(|e| e == "parquet");
                if is_part && !listed.contains(&part) {
                    fs::remove_file(&part).map_err(io_error(&part))?;
                }
            }
        }
    }
    Ok(())
}

/// The rows of `table` grouped by the UTC day of `_time`, in day order.
fn split_by_day(table: EventTable) -> Result<Vec<(String, DataFrame)>, StoreError> {
    let mut days: BTreeMap<i64, Vec<IdxSize>> = BTreeMap::new();
    for (row, time) in table.time.iter().enumerate() {
        let day = (time / SECONDS_PER_DAY).floor() as i64;
        days.entry(day).or_default().push(row as IdxSize);
    }
    let frame = table.into_frame().map_err(|e| StoreError::Parquet {
        path: PathBuf::from("(memory)"),
        message: e.to_string(),
    })?;
    let mut out = Vec::with_capacity(days.len());
    for (day, rows) in days {
        let name = DateTime::from_timestamp(day * 86_400, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| format!("{day}"));
        let part = if rows.len() == frame.height() {
            frame.clone()
        } else {
            frame
                .take(&IdxCa::from_vec("".into(), rows))
                .map_err(|e| StoreError::Parquet {
                    path: PathBuf::from(&name),
                    message: e.to_string(),
                })?
        };
        out.push((name, part));
    }
    Ok(out)
}

/// Writes `frame` to `path` as Parquet and flushes it to disk.
fn write_part(path: &Path, mut frame: DataFrame) -> Result<(), StoreError> {
    if let Some(parent) = path.parent() {
        create_dir(parent)?;
    }
    let mut file = fs::File::create(path).map_err(io_error(path))?;
    ParquetWriter::new(&mut file)
        .finish(&mut frame)
        .map_err(|e| StoreError::Parquet {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    file.sync_all().map_err(io_error(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    const SYSMON: &str = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\
        <System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID>\
        <TimeCreated SystemTime='2024-01-0DT10:00:00.000Z'/>\
        <Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>pc</Computer>\
        </System><EventData><Data Name='Image'>C:\\a.exe</Data></EventData></Event>\n";

    fn log(days: &[u8]) -> String {
        days.iter()
            .map(|d| SYSMON.replace("0D", &format!("0{d}")))
            .collect()
    }

    fn setup(name: &str) -> (PathBuf, PathBuf) {
        let root =
            std::env::temp_dir().join(format!("spelunk-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("logs")).unwrap();
        (root.join("store"), root.join("logs"))
    }

    fn no_progress(_: Progress<'_>) {}

    #[test]
    fn parts_are_per_day_and_a_second_ingest_of_the_same_content_adds_nothing() {
        let (store, logs) = setup("days");
        fs::write(logs.join("a.log"), log(&[1, 2, 2])).unwrap();
        fs::write(logs.join("copy.log"), log(&[1, 2, 2])).unwrap();
        let summary = ingest(&store, std::slice::from_ref(&logs), &mut no_progress).unwrap();
        assert_eq!(summary.report.mapped_total(), 3);
        assert_eq!(summary.already_ingested, vec![logs.join("copy.log")]);
        assert_eq!(summary.parts, 2);

        let opened = Store::open(&store).unwrap();
        let days: Vec<(&str, usize)> = opened
            .manifest()
            .parts
            .iter()
            .map(|p| (p.day.as_str(), p.rows))
            .collect();
        assert_eq!(days, vec![("2024-01-01", 1), ("2024-01-02", 2)]);
        assert!(opened
            .parts("Endpoint.Processes")
            .iter()
            .all(|p| p.is_file()));

        let again = ingest(&store, &[logs.join("a.log")], &mut no_progress).unwrap();
        assert_eq!(again.report.mapped_total(), 0);
        assert_eq!(again.parts, 0);
        assert_eq!(Store::open(&store).unwrap().manifest(), opened.manifest());
    }

    #[test]
    fn a_second_ingest_is_refused_while_one_holds_the_lock() {
        let (store, logs) = setup("lock");
        fs::write(logs.join("a.log"), log(&[1])).unwrap();
        let first = stage(&store, std::slice::from_ref(&logs), &mut no_progress).unwrap();
        let err = stage(&store, std::slice::from_ref(&logs), &mut no_progress).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(
            err.to_string().contains("another `spelunk ingest`"),
            "{err}"
        );
        first.commit().unwrap();
        stage(&store, &[logs], &mut no_progress).unwrap();
    }

    #[test]
    fn an_ingest_stopped_at_any_point_leaves_the_store_as_it_was() {
        let (store, logs) = setup("stop");
        fs::write(logs.join("a.log"), log(&[1])).unwrap();
        ingest(&store, &[logs.join("a.log")], &mut no_progress).unwrap();
        let before = Store::open(&store).unwrap().manifest().clone();

        fs::write(logs.join("b.log"), log(&[2, 3, 4])).unwrap();
        // Stopped after writing the staged parts, before any is moved.
        drop(stage(&store, &[logs.join("b.log")], &mut no_progress).unwrap());
        assert_eq!(Store::open(&store).unwrap().manifest(), &before);
        // Stopped half-way through moving parts into place, before the manifest.
        let staged = stage(&store, &[logs.join("b.log")], &mut no_progress).unwrap();
        staged.move_parts(2).unwrap();
        drop(staged);
        let after_stop = Store::open(&store).unwrap();
        assert_eq!(after_stop.manifest(), &before);
        assert_eq!(after_stop.parts("Endpoint.Processes").len(), 1);

        // The next ingest cleans up and adds the file once.
        let summary = ingest(&store, &[logs.join("b.log")], &mut no_progress).unwrap();
        assert_eq!(summary.report.mapped_total(), 3);
        let manifest = Store::open(&store).unwrap().manifest().clone();
        assert_eq!(manifest.parts.len(), 4);
        assert!(!store.join(STAGING).exists());
    }
}
