//! The parsed Windows event handed from a reader to the normalizers.
//!
//! A [`WinEvent`] holds only what the normalizers read: a few `System` values and the named
//! `EventData/Data` values. Values borrow from the input line whenever no entity reference had
//! to be decoded, so an event costs one reused vector and no per-value allocation.
//!
//! Absent and empty are the same here: a reader stores no value for an empty element, because
//! Splunk's extractions do not create a field for an empty value.

use std::borrow::Cow;

/// One Windows event: selected `System` fields and every named `EventData/Data` value.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct WinEvent<'a> {
    /// `System/Provider/@Name`, e.g. `Microsoft-Windows-Sysmon`.
    pub provider: Option<Cow<'a, str>>,
    /// `System/EventID` as written, e.g. `4688`.
    pub event_id: Option<Cow<'a, str>>,
    /// `System/Channel`, e.g. `Security`.
    pub channel: Option<Cow<'a, str>>,
    /// `System/Computer`.
    pub computer: Option<Cow<'a, str>>,
    /// `System/TimeCreated/@SystemTime`, e.g. `2025-10-24T14:14:58.830193800Z`.
    pub system_time: Option<Cow<'a, str>>,
    /// `System/Security/@UserID`, a SID.
    pub user_id: Option<Cow<'a, str>>,
    /// `System/Keywords`, e.g. `0x8020000000000000`.
    pub keywords: Option<Cow<'a, str>>,
    pub(crate) data: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> WinEvent<'a> {
    /// Empties the event but keeps its allocated room, so one value can serve many lines.
    pub fn clear(&mut self) {
        self.provider = None;
        self.event_id = None;
        self.channel = None;
        self.computer = None;
        self.system_time = None;
        self.user_id = None;
        self.keywords = None;
        self.data.clear();
    }

    /// Adds an `EventData/Data` value. Empty values are dropped (absent, as in Splunk).
    pub fn push_data(&mut self, name: Cow<'a, str>, value: Cow<'a, str>) {
        if !value.is_empty() {
            self.data.push((name, value));
        }
    }

    /// The event with the `(name, value)` pairs added as `EventData/Data` values, in order.
    pub fn with_data(mut self, data: &[(&'a str, &'a str)]) -> Self {
        for (name, value) in data {
            self.push_data((*name).into(), (*value).into());
        }
        self
    }

    /// The value of `<Data Name='name'>`, compared case-sensitively. When a name repeats, the
    /// first value wins.
    pub fn data(&self, name: &str) -> Option<&str> {
        self.data
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Every `EventData/Data` value in document order.
    pub fn data_values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.data.iter().map(|(n, v)| (n.as_ref(), v.as_ref()))
    }

    /// Whether the event comes from `provider` with event id `event_id`.
    pub fn is(&self, provider: &str, event_id: &str) -> bool {
        self.provider.as_deref() == Some(provider) && self.event_id.as_deref() == Some(event_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_data_is_absent_and_first_duplicate_wins() {
        let mut ev = WinEvent::default();
        ev.push_data("A".into(), "".into());
        ev.push_data("B".into(), "one".into());
        ev.push_data("B".into(), "two".into());
        assert_eq!(ev.data("A"), None);
        assert_eq!(ev.data("B"), Some("one"));
        assert_eq!(ev.data("b"), None);
        assert_eq!(ev.data_values().count(), 2);
        ev.clear();
        assert_eq!(ev.data("B"), None);
    }
}
