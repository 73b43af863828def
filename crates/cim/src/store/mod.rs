//! The columnar store: logs normalized once into Parquet, then searched many times.
//!
//! Layout of a store folder:
//!
//! ```text
//! DIR/spelunk-store.json                          the manifest: what was ingested, which parts
//! DIR/Endpoint.Processes/day=2024-04-22/part-<input>.parquet
//! DIR/.lock                                       held by the one ingest running
//! DIR/.staging/                                   parts being written by that ingest
//! ```
//!
//! One table per data set, partitioned by the UTC day of `_time`, one part per input file and
//! day. A part holds `_time` (epoch seconds) and the columns the data set's normalizers fill,
//! as strings, the same shape the readers produce in memory.
//!
//! The manifest is the truth: a reader reads exactly the parts it lists, and an ingest
//! replaces it in one rename after every new part is in place. An ingest that stops at any
//! point (killed, out of disk) therefore leaves the store as it was; what it wrote is either
//! in `.staging` or an unlisted part, and the next ingest removes both before it starts.
//!
//! Not owned here: reading the parts for a search (the engine scans the listed files with
//! projection and predicate pushdown) and the progress display (the command line).

mod ingest;
mod manifest;

use std::fs;
use std::path::{Path, PathBuf};

pub use ingest::{ingest, stage, IngestSummary, Progress, Staged};
pub use manifest::{Input, Manifest, Part};

/// The manifest's file name inside a store folder.
pub const MANIFEST: &str = "spelunk-store.json";

/// A fault that stops an ingest or the opening of a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file or folder of the store could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// Another ingest holds the store's lock.
    #[error(
        "{}: another `spelunk ingest` is writing to this store; wait for it to finish \
         (the lock is {}, released when that process ends)",
        dir.display(),
        dir.join(".lock").display()
    )]
    Locked {
        /// The store folder.
        dir: PathBuf,
    },
    /// The folder holds no manifest, so it is not a store.
    #[error("{}: not a spelunk store (no {MANIFEST}); create one with `spelunk ingest`", dir.display())]
    NotAStore {
        /// The folder.
        dir: PathBuf,
    },
    /// The manifest cannot be parsed or is from another version.
    #[error("{}: damaged store manifest: {message}", path.display())]
    BadManifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A Parquet part could not be written.
    #[error("{}: cannot write Parquet: {message}", path.display())]
    Parquet {
        /// The part being written.
        path: PathBuf,
        /// Polars' description.
        message: String,
    },
    /// A path to ingest could not be listed.
    #[error(transparent)]
    Read(#[from] crate::read::ReadError),
}

/// A store opened for reading: its folder and the manifest as it was when opened.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    manifest: Manifest,
}

impl Store {
    /// Whether `dir` is a store folder (holds a manifest).
    pub fn is_store(dir: &Path) -> bool {
        dir.join(MANIFEST).is_file()
    }

    /// Opens the store in `dir`. Needs no lock: the manifest is replaced atomically and lists
    /// only parts that are complete.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join(MANIFEST);
        if !path.is_file() {
            return Err(StoreError::NotAStore {
                dir: dir.to_path_buf(),
            });
        }
        let manifest = Manifest::load(&path)?;
        Ok(Store {
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The Parquet files of data set `dataset`, in manifest order.
    pub fn parts(&self, dataset: &str) -> Vec<PathBuf> {
        self.manifest
            .parts
            .iter()
            .filter(|p| p.dataset == dataset)
            .map(|p| self.dir.join(&p.file))
            .collect()
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates `dir` and its parents when missing.
fn create_dir(dir: &Path) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(io_error(dir))
}
