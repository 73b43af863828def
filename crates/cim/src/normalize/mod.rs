//! Source normalizers: one per source, each filling CIM fields exactly as Splunk's add-on for
//! that source does (`cim-endpoint-processes.md` §2).
//!
//! A [`Normalizer`] claims the events of its source and fills a [`ProcessRow`]. The fields
//! common to every Windows event log source (`_time`, `host`, `source`, `sourcetype`) are
//! filled here, once, before the normalizer runs.
//!
//! Only `Endpoint.Processes` is produced today: Sysmon EventID 1 and Security 4688. Other
//! events (Sysmon 3, 11, 22, Security 4689, …) are unmapped, although some TA versions tag them
//! `process` too (§2a "Tagging").
//!
//! Not owned here: the data model's own calculated fields (`unknown` fills, `process_name`
//! from `process` when a source sets none, lower-casing); see [`crate::model`].

mod row;
mod security;
mod sysmon;
mod time;

pub use row::{Column, ProcessRow};
pub use security::SecurityProcessCreation;
pub use sysmon::SysmonProcessCreation;
pub use time::parse_system_time;

use crate::event::WinEvent;
use crate::read::SkipReason;

/// `sourcetype` of Splunk's XML Windows event log input.
pub const SOURCETYPE: &str = "XmlWinEventLog";

/// The data set every current normalizer fills.
pub const PROCESSES: &str = "Endpoint.Processes";

/// Maps the events of one source to `Endpoint.Processes` rows.
pub trait Normalizer: Sync {
    /// A short name for the source, e.g. `Sysmon EventID 1`.
    fn name(&self) -> &'static str;

    /// Whether this normalizer maps `event`.
    fn claims(&self, event: &WinEvent<'_>) -> bool;

    /// Fills the source's fields of `row` from a claimed `event`. `row` arrives with the common
    /// fields set and every other column null.
    fn fill(&self, event: &WinEvent<'_>, row: &mut ProcessRow);
}

static NORMALIZERS: [&dyn Normalizer; 2] = [&SysmonProcessCreation, &SecurityProcessCreation];

/// Every normalizer, in the order they are asked; the first to claim an event maps it.
pub fn normalizers() -> &'static [&'static dyn Normalizer] {
    &NORMALIZERS
}

/// What became of one well-formed event.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// `row` now holds its `Endpoint.Processes` row.
    Mapped,
    /// No normalizer claims it.
    Unmapped,
    /// A normalizer claims it but it cannot become a row.
    Skipped(SkipReason),
}

/// Normalizes `event` into `row` (cleared first).
pub fn normalize(event: &WinEvent<'_>, row: &mut ProcessRow) -> Outcome {
    let Some(normalizer) = normalizers().iter().find(|n| n.claims(event)) else {
        return Outcome::Unmapped;
    };
    let Some(text) = event.system_time.as_deref() else {
        return Outcome::Skipped(SkipReason::MissingTime);
    };
    let Some(time) = parse_system_time(text) else {
        return Outcome::Skipped(SkipReason::BadTime {
            value: text.to_owned(),
        });
    };

    row.clear();
    row.time = time;
    fill_common(event, row);
    normalizer.fill(event, row);
    Outcome::Mapped
}

/// `host`, `source` and `sourcetype` as Splunk's Windows event log input sets them.
fn fill_common(event: &WinEvent<'_>, row: &mut ProcessRow) {
    row.set_opt(Column::Host, event.computer.as_deref());
    if let Some(channel) = event.channel.as_deref() {
        row.set(Column::Source, format!("{SOURCETYPE}:{channel}"));
    }
    row.set(Column::Sourcetype, SOURCETYPE);
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
    fn common_fields_and_time() {
        let mut row = ProcessRow::default();
        let outcome = normalize(&sysmon(Some("1970-01-01T00:00:02Z")), &mut row);
        assert_eq!(outcome, Outcome::Mapped);
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
        let mut row = ProcessRow::default();
        assert_eq!(
            normalize(&sysmon(None), &mut row),
            Outcome::Skipped(SkipReason::MissingTime)
        );
        assert_eq!(
            normalize(&sysmon(Some("yesterday")), &mut row),
            Outcome::Skipped(SkipReason::BadTime {
                value: "yesterday".into()
            })
        );
    }

    #[test]
    fn unclaimed_events_are_unmapped_even_without_time() {
        let mut ev = sysmon(None);
        ev.event_id = Some("3".into());
        assert_eq!(
            normalize(&ev, &mut ProcessRow::default()),
            Outcome::Unmapped
        );
    }
}
