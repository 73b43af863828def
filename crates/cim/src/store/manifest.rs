//! The store manifest: the inputs ingested (by content hash) and the parts they produced.

use std::fs;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{io_error, StoreError};

/// Version of the manifest layout this build reads and writes.
const FORMAT: u32 = 1;

/// What a store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Layout version.
    pub format: u32,
    /// Every input file ingested, in ingest order.
    pub inputs: Vec<Input>,
    /// Every Parquet part, in ingest order.
    pub parts: Vec<Part>,
}

/// One ingested input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// BLAKE3 hash of the file's bytes, hex: the identity that makes ingest idempotent.
    pub hash: String,
    /// The path it was ingested from, as given.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Well-formed events read from it.
    pub events: usize,
    /// Rows it added over all data sets.
    pub rows: usize,
}

/// One Parquet file of one data set and day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The data set, e.g. `Endpoint.Processes`.
    pub dataset: String,
    /// The UTC day of every row's `_time`, `YYYY-MM-DD`.
    pub day: String,
    /// Path relative to the store folder.
    pub file: String,
    /// Number of rows.
    pub rows: usize,
    /// Hash of the input it came from.
    pub input: String,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            format: FORMAT,
            inputs: Vec::new(),
            parts: Vec::new(),
        }
    }
}

impl Manifest {
    /// Reads a manifest file.
    pub fn load(path: &Path) -> Result<Manifest, StoreError> {
        let text = fs::read_to_string(path).map_err(io_error(path))?;
        let manifest: Manifest =
            serde_json::from_str(&text).map_err(|e| StoreError::BadManifest {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        if manifest.format != FORMAT {
            return Err(StoreError::BadManifest {
                path: path.to_path_buf(),
                message: format!(
                    "layout version {} (this spelunk reads version {FORMAT})",
                    manifest.format
                ),
            });
        }
        Ok(manifest)
    }

    /// Whether an input with content hash `hash` was ingested.
    pub fn has_input(&self, hash: &str) -> bool {
        self.inputs.iter().any(|i| i.hash == hash)
    }

    /// Writes the manifest to `path` atomically: a temporary file beside it, flushed to disk,
    /// then renamed over it.
    pub(crate) fn save(&self, path: &Path) -> Result<(), StoreError> {
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).map_err(|e| StoreError::BadManifest {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut file = fs::File::create(&tmp).map_err(io_error(&tmp))?;
        file.write_all(text.as_bytes()).map_err(io_error(&tmp))?;
        file.sync_all().map_err(io_error(&tmp))?;
        fs::rename(&tmp, path).map_err(io_error(path))
    }
}
