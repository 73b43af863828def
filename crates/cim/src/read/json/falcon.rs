//! CrowdStrike Falcon Data Replicator (FDR) events: flat objects with `event_simpleName`
//! (`ProcessRollup2`, `DnsRequest`, ...), every value a string.
//!
//! They become a [`WinEvent`] without changing its type: provider
//! [`CROWDSTRIKE_PROVIDER`], event id the `event_simpleName`, computer the `ComputerName`
//! when the feed has one (FDR's ProcessRollup2 does not; Falcon's streaming feeds do), and
//! every key, these included, as a data value. There is no channel, `SystemTime`, user id or
//! keywords: the CrowdStrike normalizer reads its time and identities from named values.

use std::borrow::Cow;

use super::flat::push_values;
use super::value::Json;
use crate::event::WinEvent;
use crate::normalize::CROWDSTRIKE_PROVIDER;

/// Whether an object's members are an FDR event.
pub(super) fn is_falcon(members: &[(Cow<'_, str>, Json<'_>)]) -> bool {
    members
        .iter()
        .any(|(k, v)| k == "event_simpleName" && matches!(v, Json::Str(_)))
}

/// Reads the members of an FDR object into `event`.
pub(super) fn read<'a>(members: Vec<(Cow<'a, str>, Json<'a>)>, event: &mut WinEvent<'a>) {
    event.provider = Some(Cow::Borrowed(CROWDSTRIKE_PROVIDER));
    for (key, value) in members {
        if let Json::Str(text) = &value {
            let slot = match key.as_ref() {
                "event_simpleName" => Some(&mut event.event_id),
                "ComputerName" => Some(&mut event.computer),
                _ => None,
            };
            if let Some(slot) = slot.filter(|s| s.is_none() && !text.is_empty()) {
                *slot = Some(text.clone());
            }
        }
        push_values(key, value, event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_data_and_the_name_is_the_event_id() {
        let text = r#"{"event_simpleName":"ProcessRollup2","name":"ProcessRollup2V19",
            "RawProcessId":"5012","ProcessEndTime":"","ComputerName":"WS1","Count":3}"#;
        let Ok(Json::Object(members)) = serde_json::from_str(text) else {
            panic!("an object")
        };
        assert!(is_falcon(&members));
        let mut ev = WinEvent::default();
        read(members, &mut ev);
        assert_eq!(ev.provider.as_deref(), Some(CROWDSTRIKE_PROVIDER));
        assert_eq!(ev.event_id.as_deref(), Some("ProcessRollup2"));
        assert_eq!(ev.computer.as_deref(), Some("WS1"));
        assert_eq!(ev.data("event_simpleName"), Some("ProcessRollup2"));
        assert_eq!(ev.data("RawProcessId"), Some("5012"));
        assert_eq!(ev.data("Count"), Some("3"));
        assert_eq!(ev.data("ProcessEndTime"), None);
        assert_eq!(ev.system_time, None);
        assert_eq!(ev.channel, None);
    }

    #[test]
    fn a_non_string_simple_name_is_not_falcon() {
        let Ok(Json::Object(members)) = serde_json::from_str(r#"{"event_simpleName":1}"#) else {
            panic!("an object")
        };
        assert!(!is_falcon(&members));
    }
}
