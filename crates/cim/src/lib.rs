//! `spelunk-cim`: Splunk's Common Information Model for spelunk.
//!
//! This crate owns everything between a raw log file and a CIM-shaped table:
//!
//! * [`model`]: the data sets of the CIM data models (today `Endpoint.Processes`,
//!   `Endpoint.Filesystem`, `Endpoint.Registry` and `Network_Traffic.All_Traffic`), their
//!   fields and their calculated fields, declared as data so the engine can lower them itself;
//! * [`read`]: readers per log format (Splunk's `XmlWinEventLog` export and classic
//!   `WinEventLog` text, Windows EVTX, JSON; also inside zip, gzip and tar archives), which walk
//!   the files, parse each event and collect rows into one [`read::EventTable`] per data set;
//! * [`event`]: the parsed Windows event that readers produce and normalizers consume;
//! * [`normalize`]: one normalizer per source (Sysmon EventID 1, 3, 11/23/26, 12/13/14;
//!   Security 4688; CrowdStrike ProcessRollup2) that fills the CIM fields exactly as Splunk's add-ons do;
//! * [`store`]: the columnar store, normalized rows as Parquet per data set and day, ingested
//!   once per file content and searched many times.
//!
//! It does not own query planning, SPL value semantics or running searches (polars is used here
//! only to write the store); those live in `spelunk-engine`. The data model's calculated fields are described here and applied
//! there.

#![warn(missing_docs)]

pub mod event;
pub mod model;
pub mod normalize;
pub mod read;
pub mod store;
mod text;

pub use model::{dataset, name_from_command, Calculation, Dataset};
pub use read::{
    read_bytes, read_paths, EventTable, ReadError, ReadOutput, ReadReport, Skip, SkipReason,
};
