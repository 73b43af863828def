//! `spelunk-cim`: Splunk's Common Information Model for spelunk.
//!
//! This crate owns everything between a raw log file and a CIM-shaped table:
//!
//! * [`model`]: the data sets of the CIM data models (today `Endpoint.Processes`), their fields
//!   and their calculated fields, declared as data so the engine can lower them itself;
//! * [`read`]: readers per log format (Splunk's `XmlWinEventLog` export; JSON: evtx_dump,
//!   NXLog/OTRF flat events, CrowdStrike FDR), which walk the files, parse each event and
//!   collect rows into one [`read::EventTable`] per data set;
//! * [`event`]: the parsed Windows event that readers produce and normalizers consume;
//! * [`normalize`]: one normalizer per source (Sysmon EventID 1, Security 4688, CrowdStrike
//!   ProcessRollup2) that fills the CIM fields exactly as Splunk's add-ons do.
//!
//! It does not own query planning, SPL value semantics or the columnar engine (polars); those
//! live in `spelunk-engine`. The data model's calculated fields are described here and applied
//! there.

#![warn(missing_docs)]

pub mod event;
pub mod model;
pub mod normalize;
pub mod read;
mod text;

pub use model::{dataset, name_from_command, Calculation, Dataset};
pub use read::{
    read_bytes, read_paths, EventTable, ReadError, ReadOutput, ReadReport, Skip, SkipReason,
};
