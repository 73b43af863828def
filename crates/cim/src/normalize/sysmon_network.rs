//! Sysmon EventID 3 (network connection) to `Network_Traffic.All_Traffic`.
//!
//! Evidence, cited per field below:
//! * **declared**: `splunk/security_content` `data_sources/sysmon_eventid_3.yml` (v4, Splunk
//!   Add-on for Sysmon 5.0.1, commit `1d9fe99c0afdb670071882d7e8accbe0b813f73e`) declares no
//!   `field_mappings`, only the fields the add-on produces: `output_fields` `action`, `app`,
//!   `dest`, `dest_ip`, `dest_port`, `direction`, `dvc`, `protocol`, `protocol_version`, `src`,
//!   `src_ip`, `src_port`, `transport`, `user`, `vendor_product`.
//! * **8.x**: so the values come from the legacy TA-microsoft-sysmon `default/props.conf`
//!   (`dimarra/TA-Microsoft-Sysmon`, read at commit `872dd9388212a91ff06a7e62f497455400cce8c6`),
//!   whose network lines are `FIELDALIAS`es and `EVAL`s on the Sysmon fields.
//! * **inferred**: where neither says, marked so.
//!
//! Left unset: `protocol_version` (listed by 5.0.1, no source shows its value). The data model
//! lower-cases `transport`, turns a port that is not a number into `0` and fills `unknown`; see
//! [`crate::model`].

use super::sysmon::PROVIDER;
use super::{Normalizer, Row, Schema, TrafficColumn as Col, ALL_TRAFFIC_SCHEMA};
use crate::event::WinEvent;

/// Sysmon EventID 3 from provider `Microsoft-Windows-Sysmon`, whatever its channel.
#[derive(Debug, Clone, Copy, Default)]
pub struct SysmonNetworkConnection;

impl Normalizer for SysmonNetworkConnection {
    fn name(&self) -> &'static str {
        "Sysmon EventID 3"
    }

    fn schema(&self) -> &'static Schema {
        &ALL_TRAFFIC_SCHEMA
    }

    fn claims(&self, event: &WinEvent<'_>) -> bool {
        event.is(PROVIDER, "3")
    }

    fn fill(&self, event: &WinEvent<'_>, row: &mut Row) {
        let outbound = event.data("Initiated") == Some("true");
        let source_host = event.data("SourceHostname");
        let source_ip = event.data("SourceIp");
        let dest_host = event.data("DestinationHostname");
        let dest_ip = event.data("DestinationIp");

        // 8.x: FIELDALIAS SourceIp AS src_ip, SourcePort AS src_port, and
        // EVAL-src = if(isnotnull(SourceHostname), SourceHostname, SourceIp).
        row.set_opt(Col::SrcIp, source_ip);
        row.set_opt(Col::SrcPort, event.data("SourcePort"));
        row.set_opt(Col::Src, source_host.or(source_ip));
        // 8.x: FIELDALIAS DestinationIp AS dest_ip, DestinationPort AS dest_port, and
        // EVAL-dest = case(EventCode=="3" AND isnotnull(DestinationHostname),
        // DestinationHostname, EventCode=="3", DestinationIp, ...). An empty hostname is
        // absent (see `WinEvent::push_data`), so the address is used.
        row.set_opt(Col::DestIp, dest_ip);
        row.set_opt(Col::DestPort, event.data("DestinationPort"));
        row.set_opt(Col::Dest, dest_host.or(dest_ip));

        // 8.x: EVAL-direction = if(Initiated=="true","outbound","inbound"): anything else,
        // absence included, is inbound.
        row.set(
            Col::Direction,
            if outbound { "outbound" } else { "inbound" },
        );
        // 8.x: EVAL-protocol = if(Initiated=="true", DestinationPortName, SourcePortName), the
        // service name (`https`), as that version wrote it.
        let port_name = if outbound {
            event.data("DestinationPortName")
        } else {
            event.data("SourcePortName")
        };
        row.set_opt(Col::Protocol, port_name);
        // 8.x: FIELDALIAS Protocol AS transport (`tcp`, `udp`).
        row.set_opt(Col::Transport, event.data("Protocol"));

        // 8.x: FIELDALIAS Image AS app (the full path), Computer AS dvc, ProcessGuid AS
        // session_id, User AS user; the process FIELDALIASes apply to every event code.
        row.set_opt(Col::App, event.data("Image"));
        row.set_opt(Col::Dvc, event.computer.as_deref());
        row.set_opt(Col::SessionId, event.data("ProcessGuid"));
        row.set_opt(Col::ProcessGuid, event.data("ProcessGuid"));
        row.set_opt(Col::ProcessId, event.data("ProcessId"));
        row.set_opt(Col::User, event.data("User"));

        // Inferred: 5.0.1 lists `action` for EventID 3 and the 8.x case() has no branch for
        // it; the older line of the same TA set EVAL-action = "allowed" for every event
        // (commit 1ce658c0143b9bd40de50b53ca0b27cafd3b07ef), and a logged connection was
        // allowed.
        row.set(Col::Action, "allowed");
        // 8.x: EVAL-vendor_product = "Microsoft Sysmon".
        row.set(Col::VendorProduct, "Microsoft Sysmon");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(data: &[(&'a str, &'a str)]) -> WinEvent<'a> {
        WinEvent {
            provider: Some(PROVIDER.into()),
            event_id: Some("3".into()),
            computer: Some("ws-9.corp.example".into()),
            ..WinEvent::default()
        }
        .with_data(data)
    }

    fn filled(ev: &WinEvent<'_>) -> Row {
        let mut row = Row::new(&ALL_TRAFFIC_SCHEMA);
        SysmonNetworkConnection.fill(ev, &mut row);
        row
    }

    const CONNECTION: &[(&str, &str)] = &[
        ("ProcessGuid", "{12121212-3434-5656-7878-909090909090}"),
        ("ProcessId", "3100"),
        ("Image", r"C:\Windows\System32\curl.exe"),
        ("User", r"CORP\lee"),
        ("Protocol", "tcp"),
        ("SourceIp", "10.1.2.3"),
        ("SourceHostname", "ws-9.corp.example"),
        ("SourcePort", "50123"),
        ("SourcePortName", "-"),
        ("DestinationIp", "203.0.113.7"),
        ("DestinationPort", "8443"),
        ("DestinationPortName", "pcsync-https"),
    ];

    #[test]
    fn claims_sysmon_event_3_only() {
        let n = SysmonNetworkConnection;
        assert!(n.claims(&event(&[])));
        let mut other = event(&[]);
        other.event_id = Some("22".into());
        assert!(!n.claims(&other));
        other.event_id = Some("3".into());
        other.provider = Some("Microsoft-Windows-TCPIP".into());
        assert!(!n.claims(&other));
    }

    #[test]
    fn an_outbound_connection_without_a_destination_name() {
        let mut data = CONNECTION.to_vec();
        data.push(("Initiated", "true"));
        data.push(("DestinationHostname", ""));
        let row = filled(&event(&data));
        assert_eq!(row.get(Col::Src), Some("ws-9.corp.example"));
        assert_eq!(row.get(Col::SrcIp), Some("10.1.2.3"));
        assert_eq!(row.get(Col::SrcPort), Some("50123"));
        assert_eq!(row.get(Col::Dest), Some("203.0.113.7"));
        assert_eq!(row.get(Col::DestIp), Some("203.0.113.7"));
        assert_eq!(row.get(Col::DestPort), Some("8443"));
        assert_eq!(row.get(Col::Direction), Some("outbound"));
        assert_eq!(row.get(Col::Protocol), Some("pcsync-https"));
        assert_eq!(row.get(Col::Transport), Some("tcp"));
        assert_eq!(row.get(Col::App), Some(r"C:\Windows\System32\curl.exe"));
        assert_eq!(row.get(Col::Dvc), Some("ws-9.corp.example"));
        assert_eq!(
            row.get(Col::SessionId),
            Some("{12121212-3434-5656-7878-909090909090}")
        );
        assert_eq!(row.get(Col::ProcessId), Some("3100"));
        assert_eq!(row.get(Col::User), Some(r"CORP\lee"));
        assert_eq!(row.get(Col::Action), Some("allowed"));
        assert_eq!(row.get(Col::VendorProduct), Some("Microsoft Sysmon"));
    }

    #[test]
    fn an_inbound_connection_names_its_destination_and_the_source_port() {
        let mut data = CONNECTION.to_vec();
        data.push(("Initiated", "false"));
        data.push(("DestinationHostname", "files.corp.example"));
        let row = filled(&event(&data));
        assert_eq!(row.get(Col::Dest), Some("files.corp.example"));
        assert_eq!(row.get(Col::Direction), Some("inbound"));
        assert_eq!(row.get(Col::Protocol), Some("-"));

        let bare = filled(&event(&[("SourceIp", "10.9.9.9")]));
        assert_eq!(bare.get(Col::Src), Some("10.9.9.9"));
        assert_eq!(bare.get(Col::Direction), Some("inbound"));
        assert_eq!(bare.get(Col::Protocol), None);
        assert_eq!(bare.get(Col::Dest), None);
    }
}
