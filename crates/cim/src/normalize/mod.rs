//! Source normalizers: one per source, each filling CIM fields exactly as Splunk's add-on for
//! that source does (`cim-endpoint-processes.md` §2, and each module's citations).
//!
//! A [`Normalizer`] claims the events of its source and fills a [`Row`] of its data set's
//! [`Schema`]. The fields common to every Windows event log source (`_time`, `host`, `source`,
//! `sourcetype`) are filled here, once, before the normalizer runs.
//!
//! Produced today:
//! * `Endpoint.Processes`: Sysmon EventID 1, Security 4688 and CrowdStrike `ProcessRollup2`
//!   (which sets its own time and common fields);
//! * `Endpoint.Filesystem`: Sysmon EventID 11, 23, 26;
//! * `Endpoint.Registry`: Sysmon EventID 12, 13, 14;
//! * `Network_Traffic.All_Traffic`: Sysmon EventID 3.
//!
//! Other events (Sysmon 5, 10, 22, Security 4689, …) are unmapped, although some TA versions
//! tag them `process` too (§2a "Tagging").
//!
//! Not owned here: the data model's own calculated fields (`unknown` fills, `process_name`
//! from `process` when a source sets none, lower-casing); see [`crate::model`].

mod columns;
mod crowdstrike;
mod row;
mod security;
mod sysmon;
mod sysmon_file;
mod sysmon_network;
mod sysmon_registry;
mod time;

pub use columns::{
    FilesystemColumn, RegistryColumn, TrafficColumn, ALL_TRAFFIC_SCHEMA, FILESYSTEM_SCHEMA,
    REGISTRY_SCHEMA,
};
pub use crowdstrike::{
    CrowdStrikeProcessRollup2, CROWDSTRIKE_PROVIDER, CROWDSTRIKE_SOURCE, CROWDSTRIKE_SOURCETYPE,
};
pub use row::{Column, Common, Field, Row, Schema, PROCESSES_SCHEMA};
pub use security::SecurityProcessCreation;
pub use sysmon::SysmonProcessCreation;
pub use sysmon_file::SysmonFileActivity;
pub use sysmon_network::SysmonNetworkConnection;
pub use sysmon_registry::SysmonRegistryActivity;
pub use time::parse_system_time;

use crate::event::WinEvent;
use crate::read::SkipReason;

/// `sourcetype` of Splunk's XML Windows event log input.
pub const SOURCETYPE: &str = "XmlWinEventLog";

/// The `Endpoint.Processes` data set.
pub const PROCESSES: &str = "Endpoint.Processes";

/// Maps the events of one source to rows of one data set.
pub trait Normalizer: Sync {
    /// A short name for the source, e.g. `Sysmon EventID 1`.
    fn name(&self) -> &'static str;

    /// The data set this normalizer fills, and its columns.
    fn schema(&self) -> &'static Schema;

    /// Whether this normalizer maps `event`.
    fn claims(&self, event: &WinEvent<'_>) -> bool;

    /// `_time` of a claimed event, epoch seconds. By default `System/TimeCreated/@SystemTime`.
    fn time(&self, event: &WinEvent<'_>) -> Result<f64, SkipReason> {
        let text = event
            .system_time
            .as_deref()
            .ok_or(SkipReason::MissingTime)?;
        parse_system_time(text).ok_or_else(|| SkipReason::BadTime {
            value: text.to_owned(),
        })
    }

    /// Sets `host`, `source` and `sourcetype`. By default as Splunk's Windows event log input
    /// sets them: the computer, `XmlWinEventLog:<channel>` and `XmlWinEventLog`, whatever the
    /// file format the event was read from, so one event gives one row however it arrives.
    fn fill_common(&self, event: &WinEvent<'_>, row: &mut Row) {
        row.set_opt(Common::Host, event.computer.as_deref());
        if let Some(channel) = event.channel.as_deref() {
            row.set(Common::Source, format!("{SOURCETYPE}:{channel}"));
        }
        row.set(Common::Sourcetype, SOURCETYPE);
    }

    /// Fills the source's fields of `row` from a claimed `event`. `row` arrives with the common
    /// fields set and every other column null.
    fn fill(&self, event: &WinEvent<'_>, row: &mut Row);
}

static NORMALIZERS: [&dyn Normalizer; 6] = [
    &SysmonProcessCreation,
    &SecurityProcessCreation,
    &SysmonFileActivity,
    &SysmonRegistryActivity,
    &SysmonNetworkConnection,
    &CrowdStrikeProcessRollup2,
];

static SCHEMAS: [&Schema; 4] = [
    &PROCESSES_SCHEMA,
    &FILESYSTEM_SCHEMA,
    &REGISTRY_SCHEMA,
    &ALL_TRAFFIC_SCHEMA,
];

/// Every normalizer, in the order they are asked; the first to claim an event maps it.
pub fn normalizers() -> &'static [&'static dyn Normalizer] {
    &NORMALIZERS
}

/// The schema of every data set some normalizer fills; a schema's position is its `slot`.
pub fn schemas() -> &'static [&'static Schema] {
    &SCHEMAS
}

/// A fresh row per schema, indexed like [`schemas`].
pub fn rows() -> Vec<Row> {
    schemas().iter().map(|s| Row::new(s)).collect()
}

/// What became of one well-formed event.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// `rows[slot]` now holds its row of data set `schemas()[slot]`.
    Mapped {
        /// The schema's position in [`schemas`].
        slot: usize,
    },
    /// No normalizer claims it.
    Unmapped,
    /// A normalizer claims it but it cannot become a row.
    Skipped(SkipReason),
}

/// Normalizes `event` into the row of its data set among `rows` (from [`rows`]), clearing it
/// first.
pub fn normalize(event: &WinEvent<'_>, rows: &mut [Row]) -> Outcome {
    let Some(normalizer) = normalizers().iter().find(|n| n.claims(event)) else {
        return Outcome::Unmapped;
    };
    let time = match normalizer.time(event) {
        Ok(time) => time,
        Err(reason) => return Outcome::Skipped(reason),
    };
    let slot = normalizer.schema().slot;
    let row = &mut rows[slot];
    row.clear();
    row.time = time;
    normalizer.fill_common(event, row);
    normalizer.fill(event, row);
    Outcome::Mapped { slot }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sysmon(time: Option<&'static str>) -> WinEvent<'static> {
        WinEvent {
            provider: Some("Microsoft-Windows-Sysmon".into()),
            event_id: Some("1".into()),
            channel: Some("Microsoft-Windows-Sysmon/Operational".into()),
            computer: Some("pc".into()),
            system_time: time.map(Into::into),
            ..WinEvent::default()
        }
    }

    #[test]
    fn every_schema_starts_with_the_common_fields_and_knows_its_slot() {
        for (slot, schema) in schemas().iter().enumerate() {
            assert_eq!(schema.slot, slot, "{}", schema.dataset);
            assert_eq!(&schema.columns[..3], ["host", "source", "sourcetype"]);
            let dataset = crate::model::dataset(schema.dataset).expect("a CIM data set");
            let mut last = 0;
            for column in schema.columns {
                let at = dataset.fields.iter().position(|f| f == column);
                let at = at.unwrap_or_else(|| panic!("{column} is not a field"));
                assert!(at > last, "{}: {column} is out of order", schema.dataset);
                last = at;
            }
        }
        for n in normalizers() {
            assert!(schemas().contains(&n.schema()), "{}", n.name());
        }
    }

    #[test]
    fn no_event_is_claimed_by_two_normalizers() {
        for provider in [
            "Microsoft-Windows-Sysmon",
            "Microsoft-Windows-Security-Auditing",
        ] {
            for id in 0..=30u32 {
                let mut ev = sysmon(Some("1970-01-01T00:00:00Z"));
                ev.provider = Some(provider.into());
                ev.channel = Some("Security".into());
                ev.event_id = Some(id.to_string().into());
                let claims = normalizers().iter().filter(|n| n.claims(&ev)).count();
                assert!(claims <= 1, "{provider} {id}");
            }
        }
    }

    #[test]
    fn each_sysmon_event_lands_in_its_data_set() {
        let cases = [
            ("1", "Endpoint.Processes"),
            ("3", "Network_Traffic.All_Traffic"),
            ("11", "Endpoint.Filesystem"),
            ("12", "Endpoint.Registry"),
            ("13", "Endpoint.Registry"),
            ("14", "Endpoint.Registry"),
            ("23", "Endpoint.Filesystem"),
            ("26", "Endpoint.Filesystem"),
        ];
        let mut rows = rows();
        for (id, dataset) in cases {
            let mut ev = sysmon(Some("1970-01-01T00:00:05Z"));
            ev.event_id = Some(id.into());
            let Outcome::Mapped { slot } = normalize(&ev, &mut rows) else {
                panic!("EventID {id} is not mapped");
            };
            assert_eq!(schemas()[slot].dataset, dataset, "EventID {id}");
            let row = &rows[slot];
            assert_eq!(row.time, 5.0);
            assert_eq!(row.get(Common::Host), Some("pc"));
            assert_eq!(row.get(Common::Sourcetype), Some("XmlWinEventLog"));
        }
    }

    #[test]
    fn common_fields_and_time() {
        let mut rows = rows();
        let outcome = normalize(&sysmon(Some("1970-01-01T00:00:02Z")), &mut rows);
        assert_eq!(outcome, Outcome::Mapped { slot: 0 });
        let row = &rows[0];
        assert_eq!(row.time, 2.0);
        assert_eq!(row.get(Column::Host), Some("pc"));
        assert_eq!(
            row.get(Column::Source),
            Some("XmlWinEventLog:Microsoft-Windows-Sysmon/Operational")
        );
        assert_eq!(row.get(Column::Sourcetype), Some("XmlWinEventLog"));
    }

    #[test]
    fn a_claimed_event_without_a_usable_time_is_skipped() {
        let mut rows = rows();
        assert_eq!(
            normalize(&sysmon(None), &mut rows),
            Outcome::Skipped(SkipReason::MissingTime)
        );
        assert_eq!(
            normalize(&sysmon(Some("yesterday")), &mut rows),
            Outcome::Skipped(SkipReason::BadTime {
                value: "yesterday".into()
            })
        );
    }

    #[test]
    fn unclaimed_events_are_unmapped_even_without_time() {
        let mut ev = sysmon(None);
        ev.event_id = Some("22".into());
        assert_eq!(normalize(&ev, &mut rows()), Outcome::Unmapped);
    }
}
