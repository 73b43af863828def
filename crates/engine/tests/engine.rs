//! The engine over small normalized tables: null handling, naming, ordering and reshaping.

use spelunk_engine::{Catalog, Cell, ResultTable, Search};
use spelunk_spl::MacroLibrary;

/// A catalog whose `Endpoint.Processes` are the JSON-lines `rows`, written into `dir`.
fn catalog_of(rows: &[&str], dir: &std::path::Path) -> Catalog {
    let table = dir.join("rows.jsonl");
    std::fs::write(&table, rows.join("\n") + "\n").unwrap();
    let mut catalog = Catalog::new();
    catalog
        .add_table_arg(&format!("Endpoint.Processes={}", table.display()))
        .unwrap();
    catalog
}

/// Runs `spl` over JSON-lines `rows` given as an `Endpoint.Processes` table.
fn run(rows: &[&str], spl: &str) -> ResultTable {
    let dir = tempfile::tempdir().unwrap();
    let catalog = catalog_of(rows, dir.path());
    let search = Search::prepare(spl, &MacroLibrary::with_builtins()).unwrap();
    search.run(&catalog, chrono_tz::UTC).unwrap()
}

fn texts(table: &ResultTable) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Cell::Null => "<null>".to_string(),
                    Cell::Single(v) => v.clone(),
                    Cell::Multi(vs) => vs.join("|"),
                })
                .collect()
        })
        .collect()
}

const ROWS: &[&str] = &[
    r#"{"_time": 1700000000.9, "dest": "b", "process_name": "cmd.exe", "user": "u1", "process": "cmd /c x"}"#,
    r#"{"_time": 1700000100, "dest": "a", "process_name": "CMD.EXE", "process": "cmd /c y"}"#,
    r#"{"_time": 1700000200, "dest": "a", "process_name": "whoami.exe", "user": "u2", "process": "whoami"}"#,
    r#"{"_time": 1700000300, "dest": "B", "process_name": "cmd.exe", "user": "u1", "process": "cmd /c z"}"#,
];

#[test]
fn null_by_fields_drop_rows_without_fillnull_value() {
    let table = run(
        ROWS,
        "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest Processes.process_id",
    );
    assert!(table.rows.is_empty(), "process_id is absent everywhere");
}

#[test]
fn fillnull_value_keeps_them_as_text() {
    let table = run(
        ROWS,
        "| tstats fillnull_value=null count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest Processes.process_id",
    );
    assert_eq!(
        table.columns,
        ["Processes.dest", "Processes.process_id", "count"]
    );
    assert_eq!(
        texts(&table),
        [["B", "null", "1"], ["a", "null", "1"], ["b", "null", "1"]],
        "byte order puts uppercase first; values match case-insensitively"
    );
}

#[test]
fn cim_fills_unknown_for_absent_user() {
    let table = run(
        ROWS,
        "| tstats count from datamodel=Endpoint.Processes by Processes.user | rename Processes.* as *",
    );
    assert_eq!(texts(&table), [["u1", "2"], ["u2", "1"], ["unknown", "1"]]);
}

#[test]
fn aggregates_are_named_by_their_text_and_values_sort_by_bytes() {
    let table = run(
        ROWS,
        "| tstats values(Processes.process_name) dc(Processes.dest) min(_time) max(_time) as last from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe",
    );
    assert_eq!(
        table.columns,
        [
            "values(Processes.process_name)",
            "dc(Processes.dest)",
            "min(_time)",
            "last"
        ]
    );
    assert_eq!(
        texts(&table),
        [["CMD.EXE|cmd.exe", "3", "1700000000.9", "1700000300"]]
    );
}

#[test]
fn no_by_fields_on_no_rows_gives_one_row_of_zero() {
    let table = run(
        ROWS,
        "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=none.exe",
    );
    assert_eq!(texts(&table), [["0"]]);
}

#[test]
fn ctime_truncates_sub_seconds() {
    let table = run(
        ROWS,
        "| tstats min(_time) as firstTime from datamodel=Endpoint.Processes by Processes.dest | `drop_dm_object_name(Processes)` | `security_content_ctime(firstTime)` | search dest=b",
    );
    assert_eq!(
        texts(&table),
        [["B", "2023-11-14T22:18:20"], ["b", "2023-11-14T22:13:20"]]
    );
}

#[test]
fn rename_overwrites_and_table_shows_absent_fields() {
    let table = run(
        ROWS,
        "| tstats count from datamodel=Endpoint.Processes by Processes.dest Processes.user | rename Processes.dest as count | table count nothing_here",
    );
    assert_eq!(table.columns, ["count", "nothing_here"]);
    assert_eq!(texts(&table)[0], ["B", "<null>"]);
}

#[test]
fn not_keeps_absent_fields_and_ne_drops_them() {
    let spl = |filter: &str| {
        format!("| tstats count from datamodel=Endpoint.Processes by Processes.dest | rename Processes.* as * | search {filter}")
    };
    assert_eq!(texts(&run(ROWS, &spl("NOT missing=x"))).len(), 3);
    assert_eq!(texts(&run(ROWS, &spl("missing!=x"))).len(), 0);
    assert_eq!(texts(&run(ROWS, &spl("count>1"))), [["a", "2"]]);
}

/// Regression: the data model's calculated fields once panicked on a search whose filter
/// left no rows, when a literal met an empty column.
#[test]
fn calculated_fields_over_zero_rows_do_not_panic() {
    let table = run(
        &[r#"{"_time": 1, "vendor": "Acme", "product": "EDR", "process_name": "a.exe"}"#],
        "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=b.exe by Processes.vendor_product",
    );
    assert!(table.rows.is_empty());
    let table = run(
        &[r#"{"_time": 1, "vendor": "Acme", "product": "EDR", "process_name": "a.exe"}"#],
        "| tstats count from datamodel=Endpoint.Processes by Processes.vendor_product",
    );
    assert_eq!(texts(&table), [["Acme EDR", "1"]]);
}

#[test]
fn unsupported_constructs_are_named() {
    let error = Search::prepare(
        "| tstats count from datamodel=Endpoint.Processes where _index_earliest=-24h by Processes.dest",
        &MacroLibrary::with_builtins(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("_index_earliest") && error.contains("not supported"),
        "{error}"
    );
    assert!(error.contains('^'), "{error}");
}

#[test]
fn earliest_is_inclusive_and_latest_exclusive() {
    let rows = [
        r#"{"_time": 10, "dest": "a"}"#,
        r#"{"_time": 50, "dest": "b"}"#,
        r#"{"_time": 99, "dest": "c"}"#,
        r#"{"_time": 100, "dest": "d"}"#,
    ];
    let table = run(
        &rows,
        "| tstats count from datamodel=Endpoint.Processes where earliest=50 latest=100 by Processes.dest",
    );
    assert_eq!(texts(&table), [["b", "1"], ["c", "1"]]);
}

#[test]
fn an_unknown_time_format_variable_points_at_the_format() {
    let error = Search::prepare(
        "| tstats min(_time) as t from datamodel=Endpoint.Processes | convert timeformat=\"%Y %4Y\" ctime(t)",
        &MacroLibrary::with_builtins(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("%4Y") && error.contains('^'), "{error}");
}

#[test]
fn in_lists_and_ors_on_one_field_or_several() {
    let count = |filter: &str| {
        let spl = format!("| tstats count from datamodel=Endpoint.Processes where {filter}");
        texts(&run(ROWS, &spl))[0][0].clone()
    };
    assert_eq!(
        count(r#"Processes.process_name IN ("CMD.exe", "who*")"#),
        "4"
    );
    assert_eq!(
        count("Processes.process_name=whoami.exe OR Processes.dest=b"),
        "3"
    );
    assert_eq!(
        count("Processes.process_name=nothing OR Processes.process_name=*ami*"),
        "1"
    );
    assert_eq!(count("NOT Processes.process_name IN (cmd.exe)"), "1");
}

/// One Sysmon event as Splunk's XmlWinEventLog export writes it, on host `lab-pc`.
fn sysmon_line(id: u32, second: u32, data: &[(&str, &str)]) -> String {
    let data: String = data
        .iter()
        .map(|(name, value)| format!("<Data Name='{name}'>{value}</Data>"))
        .collect();
    format!(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
         <Provider Name='Microsoft-Windows-Sysmon' Guid='{{5770385f-c22a-43e0-bf4c-06f5698ffbd9}}'/>\
         <EventID>{id}</EventID><TimeCreated SystemTime='2024-03-01T12:00:{second:02}.5Z'/>\
         <Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>lab-pc</Computer>\
         <Security UserID='S-1-5-18'/></System><EventData>{data}</EventData></Event>"
    )
}

/// Runs `spl` over a catalog read from `lines` as a raw log file.
fn run_logs(lines: &[String], spl: &str) -> ResultTable {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sysmon.log");
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    let mut catalog = Catalog::new();
    let report = catalog.add_logs(&[log]).unwrap();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let search = Search::prepare(spl, &MacroLibrary::with_builtins()).unwrap();
    search.run(&catalog, chrono_tz::UTC).unwrap()
}

fn sysmon_sample() -> Vec<String> {
    let file = |second, id, target: &str| {
        sysmon_line(
            id,
            second,
            &[
                ("ProcessId", "700"),
                ("Image", r"C:\Tools\writer.exe"),
                ("TargetFilename", target),
            ],
        )
    };
    let registry = |second, id, event_type, target: &str, details: Option<&str>| {
        let mut data = vec![
            ("EventType", event_type),
            ("Image", r"C:\Windows\regedit.exe"),
            ("TargetObject", target),
        ];
        data.extend(details.map(|d| ("Details", d)));
        sysmon_line(id, second, &data)
    };
    let connection = |second, protocol: &str, port: Option<&str>| {
        let mut data = vec![
            ("Image", r"C:\Windows\System32\curl.exe"),
            ("Protocol", protocol),
            ("Initiated", "true"),
            ("SourceIp", "10.0.0.5"),
            ("DestinationIp", "198.51.100.9"),
        ];
        data.extend(port.map(|p| ("DestinationPort", p)));
        sysmon_line(3, second, &data)
    };
    let run = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run";
    let value = format!(r"{run}\Updater");
    vec![
        file(1, 11, r"C:\Temp\a.txt"),
        file(2, 11, r"C:\Temp\a.txt"),
        file(3, 11, r"D:\b.txt"),
        file(4, 23, r"D:\b.txt"),
        registry(5, 12, "CreateKey", run, None),
        registry(6, 13, "SetValue", &value, Some("DWORD (0x00000001)")),
        registry(7, 13, "SetValue", &value, Some("DWORD (0x00000001)")),
        connection(8, "tcp", Some("443")),
        connection(9, "TCP", Some("443")),
        connection(10, "udp", Some("8080")),
        connection(11, "tcp", None),
        // A process creation, so Endpoint.Processes has a row too.
        sysmon_line(1, 12, &[("Image", r"C:\Windows\System32\cmd.exe")]),
    ]
}

#[test]
fn tstats_over_sysmon_files_registry_and_connections() {
    let lines = sysmon_sample();
    let table = run_logs(
        &lines,
        "| tstats count from datamodel=Endpoint.Filesystem by Filesystem.file_name",
    );
    assert_eq!(table.columns, ["Filesystem.file_name", "count"]);
    assert_eq!(texts(&table), [["a.txt", "2"], ["b.txt", "2"]]);

    let table = run_logs(
        &lines,
        "| tstats count min(_time) as first from datamodel=Endpoint.Filesystem where Filesystem.action=deleted by Filesystem.file_path Filesystem.process_name | `drop_dm_object_name(Filesystem)`",
    );
    assert_eq!(
        table.columns,
        ["file_path", "process_name", "count", "first"]
    );
    assert_eq!(
        texts(&table),
        [[r"D:\b.txt", "writer.exe", "1", "1709294404.5"]]
    );

    let table = run_logs(
        &lines,
        "| tstats count from datamodel=Endpoint.Registry by Registry.action Registry.registry_key_name Registry.registry_value_data",
    );
    assert_eq!(
        texts(&table),
        [
            ["created", "Run", "unknown", "1"],
            ["modified", "Updater", "0x00000001", "2"]
        ]
    );

    let table = run_logs(
        &lines,
        "| tstats count from datamodel=Network_Traffic.All_Traffic by All_Traffic.dest_port",
    );
    assert_eq!(table.columns, ["All_Traffic.dest_port", "count"]);
    // A connection without a DestinationPort counts under the data model's 0.
    assert_eq!(texts(&table), [["0", "1"], ["443", "2"], ["8080", "1"]]);

    let table = run_logs(
        &lines,
        "| tstats count from datamodel=Network_Traffic.All_Traffic where All_Traffic.dest_port=443 by All_Traffic.transport All_Traffic.dest All_Traffic.vendor_product | `drop_dm_object_name(All_Traffic)`",
    );
    assert_eq!(
        table.columns,
        ["transport", "dest", "vendor_product", "count"]
    );
    assert_eq!(
        texts(&table),
        [["tcp", "198.51.100.9", "Microsoft Sysmon", "2"]],
        "transport is lower-cased by the data model"
    );
}

#[test]
fn a_data_set_without_rows_gives_no_rows() {
    let only_processes = vec![sysmon_line(1, 1, &[("Image", r"C:\x.exe")])];
    for spl in [
        "| tstats count from datamodel=Endpoint.Registry by Registry.registry_path",
        "| tstats count from datamodel=Endpoint.Filesystem by Filesystem.file_name",
        "| tstats count from datamodel=Network_Traffic.All_Traffic by All_Traffic.dest_port",
    ] {
        assert!(run_logs(&only_processes, spl).rows.is_empty(), "{spl}");
    }
    let table = run_logs(
        &only_processes,
        "| tstats count from datamodel=Network_Traffic.All_Traffic",
    );
    assert_eq!(texts(&table), [["0"]]);
}

/// Regression: a catalog holding no table of a data set once counted one all-null event in
/// it, because the empty frame was made of broadcast literals.
#[test]
fn a_catalog_that_never_read_a_data_set_counts_no_events_in_it() {
    let run_empty = |spl: &str| {
        let search = Search::prepare(spl, &MacroLibrary::with_builtins()).unwrap();
        search.run(&Catalog::new(), chrono_tz::UTC).unwrap()
    };
    for spl in [
        "| tstats count from datamodel=Endpoint.Registry by Registry.dest",
        "| tstats count from datamodel=Endpoint.Processes by Processes.process_name",
        "| tstats count from datamodel=Network_Traffic.All_Traffic by All_Traffic.dest_port",
    ] {
        assert!(run_empty(spl).rows.is_empty(), "{spl}");
    }
    let table = run_empty("| tstats count from datamodel=Endpoint.Filesystem");
    assert_eq!(texts(&table), [["0"]]);
}

#[test]
fn byte_counts_are_filled_from_their_parts() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("traffic.jsonl");
    let rows = [
        r#"{"_time": 1, "bytes_in": 100, "bytes_out": 20, "dest_port": "https"}"#,
        r#"{"_time": 2, "bytes": "50", "bytes_out": "5", "dest_port": "22"}"#,
        r#"{"_time": 3, "bytes": "lots"}"#,
    ];
    std::fs::write(&table, rows.join("\n") + "\n").unwrap();
    let mut catalog = Catalog::new();
    catalog
        .add_table_arg(&format!("Network_Traffic.All_Traffic={}", table.display()))
        .unwrap();
    let search = Search::prepare(
        "| tstats fillnull_value=null count from datamodel=Network_Traffic.All_Traffic by All_Traffic.bytes All_Traffic.bytes_in All_Traffic.bytes_out All_Traffic.dest_port",
        &MacroLibrary::with_builtins(),
    )
    .unwrap();
    let table = search.run(&catalog, chrono_tz::UTC).unwrap();
    assert_eq!(
        texts(&table),
        [
            ["120", "100", "20", "0", "1"],
            ["50", "45", "5", "22", "1"],
            ["null", "null", "null", "0", "1"]
        ]
    );
}

#[test]
fn an_unknown_data_set_lists_the_known_ones() {
    let error = Search::prepare(
        "| tstats count from datamodel=Network_Traffic.Traffic",
        &MacroLibrary::with_builtins(),
    )
    .unwrap_err()
    .to_string();
    for name in [
        "Endpoint.Processes",
        "Endpoint.Filesystem",
        "Endpoint.Registry",
        "Network_Traffic.All_Traffic",
    ] {
        assert!(error.contains(name), "{error}");
    }
}

#[test]
fn tstats_span_groups_time_in_buckets() {
    let rows = [
        r#"{"_time": 10, "dest": "a"}"#,
        r#"{"_time": 3599, "dest": "a"}"#,
        r#"{"_time": 3600, "dest": "a"}"#,
    ];
    let table = run(
        &rows,
        "| tstats count from datamodel=Endpoint.Processes by _time Processes.dest span=1h",
    );
    assert_eq!(texts(&table), [["0", "a", "2"], ["3600", "a", "1"]]);
    let error = Search::prepare(
        "| tstats count from datamodel=Endpoint.Processes by _time span=1mon",
        &MacroLibrary::with_builtins(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("not supported"), "{error}");
}

#[test]
fn a_materialized_catalog_answers_as_the_lazy_one() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("rows.jsonl");
    let rows = [
        r#"{"_time": 1, "dest": "a", "process": "\"C:\\x\\cmd.exe\" /c"}"#,
        r#"{"_time": 2, "dest": "b", "process": "notepad.exe"}"#,
        r#"{"_time": 3, "dest": "a"}"#,
    ];
    std::fs::write(&table, rows.join("\n") + "\n").unwrap();
    let mut catalog = Catalog::new();
    catalog
        .add_table_arg(&format!("Endpoint.Processes={}", table.display()))
        .unwrap();
    let spl =
        "| tstats count from datamodel=Endpoint.Processes by Processes.dest Processes.process_name";
    let search = Search::prepare(spl, &MacroLibrary::with_builtins()).unwrap();
    let lazy = search.run(&catalog, chrono_tz::UTC).unwrap();
    catalog.materialize().unwrap();
    let materialized = search.run(&catalog, chrono_tz::UTC).unwrap();
    assert_eq!(materialized, lazy);
    assert_eq!(
        texts(&lazy),
        [
            ["a", "cmd.exe", "1"],
            ["a", "unknown", "1"],
            ["b", "notepad.exe", "1"]
        ]
    );
}

/// Runs `spl` over `ROWS` whole and in slices of one row; the two answers must agree.
fn run_sliced_and_whole(spl: &str) -> ResultTable {
    let dir = tempfile::tempdir().unwrap();
    let catalog = catalog_of(ROWS, dir.path());
    let search = Search::prepare(spl, &MacroLibrary::with_builtins()).unwrap();
    let mut settings = spelunk_engine::Settings::new(chrono_tz::UTC);
    let whole = search.run_with(&catalog, &settings).unwrap();
    settings.slice_rows = 1;
    let sliced = search.run_with(&catalog, &settings).unwrap();
    assert_eq!(whole, sliced, "{spl}");
    whole
}

#[test]
fn an_inner_join_with_an_empty_subsearch_gives_the_columns_and_no_rows() {
    let spl = "| tstats count from datamodel=Endpoint.Processes by Processes.dest Processes.process \
               | rename Processes.* AS * | join dest [| tstats count as hits from datamodel=Endpoint.Processes \
               where Processes.process_name=none.exe by Processes.dest | rename Processes.dest AS dest]";
    let table = run_sliced_and_whole(spl);
    assert!(table.rows.is_empty());
    assert_eq!(table.columns, ["dest", "process", "count", "hits"]);
}

#[test]
fn joins_in_slices_match_every_row_once() {
    let spl = "| tstats count from datamodel=Endpoint.Processes by Processes.dest Processes.process \
               | rename Processes.* AS * | join type=left dest [| tstats count as on_dest \
               from datamodel=Endpoint.Processes by Processes.dest | rename Processes.dest AS dest] \
               | join [| tstats count as by_process from datamodel=Endpoint.Processes \
               where Processes.dest=a by Processes.process | rename Processes.process AS process]";
    let table = run_sliced_and_whole(spl);
    assert_eq!(
        table.columns,
        ["dest", "process", "count", "on_dest", "by_process"]
    );
    assert_eq!(
        texts(&table),
        [
            ["a", "cmd /c y", "1", "2", "1"],
            ["a", "whoami", "1", "2", "1"]
        ]
    );
}

#[test]
fn a_left_join_no_row_reaches_still_names_the_subsearch_columns() {
    let spl =
        "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=none.exe \
               by Processes.dest | rename Processes.dest AS dest | join type=left dest \
               [| tstats count as seen from datamodel=Endpoint.Processes by Processes.dest \
               | rename Processes.dest AS dest]";
    let table = run_sliced_and_whole(spl);
    assert!(table.rows.is_empty());
    assert_eq!(table.columns, ["dest", "count", "seen"]);
}

#[test]
fn a_lookup_without_its_table_is_an_error_naming_it_even_when_no_row_reaches_it() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = catalog_of(ROWS, dir.path());
    let lookups = spelunk_engine::lookup::LookupLibrary::load_dir(dir.path()).unwrap();
    let mut settings = spelunk_engine::Settings::new(chrono_tz::UTC);
    settings.lookups = Some(&lookups);
    let spl = "| tstats count from datamodel=Endpoint.Processes by Processes.dest \
               | rename Processes.dest AS dest | where dest=\"none\" | lookup absent_table dest";
    let search = Search::prepare(spl, &MacroLibrary::with_builtins()).unwrap();
    let error = search
        .run_with(&catalog, &settings)
        .unwrap_err()
        .to_string();
    assert!(error.contains("absent_table"), "{error}");
    assert!(error.contains('^'), "points at the lookup: {error}");
}
