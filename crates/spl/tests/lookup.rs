//! `lookup`, `inputlookup` and the `earliest=`/`latest=` time terms: what they parse to,
//! how they print, and the errors they give.

mod common;

use spelunk_spl::{parse, Command, Inputlookup, Lookup, ParseErrorKind, Pipeline, Search, Tstats};

fn parsed(text: &str) -> Pipeline {
    let pipeline = parse(text).unwrap_or_else(|e| panic!("{text}: {e} at {:?}", e.span));
    let printed = pipeline.to_string();
    let again = parse(&printed).unwrap_or_else(|e| panic!("reparse of {printed}: {e}"));
    assert_eq!(
        common::without_spans(&again),
        common::without_spans(&pipeline),
        "{printed}"
    );
    assert_eq!(again.to_string(), printed, "printing is not stable");
    pipeline
}

fn lookup(text: &str) -> Lookup {
    match parsed(text).commands.pop() {
        Some(Command::Lookup(l)) => l,
        other => panic!("{other:?}"),
    }
}

fn inputlookup(text: &str) -> Inputlookup {
    match parsed(text).commands.pop() {
        Some(Command::Inputlookup(l)) => l,
        other => panic!("{other:?}"),
    }
}

fn error(text: &str) -> ParseErrorKind {
    match parse(text) {
        Ok(p) => panic!("{text}: expected an error, parsed {p}"),
        Err(e) => e.kind,
    }
}

fn pairs(fields: &[spelunk_spl::LookupField]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| (f.column.name.clone(), f.field().name.clone()))
        .collect()
}

#[test]
fn lookup_with_renamed_inputs_and_outputs() {
    let text = "| tstats count | lookup remote_access_software remote_utility AS process_name \
                OUTPUT isutility, description as signature, comment_reference as desc, category";
    let l = lookup(text);
    assert_eq!(l.table.text, "remote_access_software");
    assert_eq!(
        pairs(&l.inputs),
        [("remote_utility".into(), "process_name".into())]
    );
    let output = l.output.as_ref().unwrap();
    assert!(!output.new_only);
    let names: Vec<_> = pairs(&output.fields).into_iter().map(|p| p.1).collect();
    assert_eq!(names, ["isutility", "signature", "desc", "category"]);
    assert_eq!(
        l.to_string(),
        "lookup remote_access_software remote_utility as process_name OUTPUT isutility \
         description as signature comment_reference as desc category"
    );
}

#[test]
fn lookup_options_outputnew_quoted_fields_and_no_output() {
    let l = lookup(
        "| tstats count | lookup update=true local=f dynamic_dns_providers_default \
         dynamic_dns_domains as query outputnew isDynDNS_default",
    );
    let options: Vec<_> = l
        .options
        .iter()
        .map(|o| (o.name.name.as_str(), o.value.text.as_str()))
        .collect();
    assert_eq!(options, [("update", "true"), ("local", "f")]);
    assert!(l.output.as_ref().unwrap().new_only);

    let l = lookup(
        "| tstats count | lookup ransomware_notes_lookup ransomware_notes as file_name \
         OUTPUT status as \"Known Ransomware Notes\"",
    );
    let output = l.output.as_ref().unwrap();
    assert_eq!(output.fields[0].field().name, "Known Ransomware Notes");

    let l = lookup("| tstats count | lookup zoom.csv dest process_name");
    assert_eq!(l.table.text, "zoom.csv");
    assert_eq!(l.inputs.len(), 2);
    assert!(l.output.is_none());

    // A field called `output` is written quoted, so that it prints back as a field.
    let l = lookup("| tstats count | lookup t \"output\" OUTPUT \"as\"");
    assert_eq!(l.inputs[0].column.name, "output");
    assert_eq!(l.to_string(), "lookup t \"output\" OUTPUT \"as\"");
}

#[test]
fn lookup_errors() {
    let expected = |text: &str| match error(text) {
        ParseErrorKind::Expected { expected, .. } => expected,
        other => panic!("{text}: {other}"),
    };
    assert_eq!(expected("| tstats count | lookup"), "a lookup name");
    assert_eq!(expected("| tstats count | lookup t"), "a lookup field");
    assert_eq!(
        expected("| tstats count | lookup t OUTPUT x"),
        "a lookup field"
    );
    assert_eq!(
        expected("| tstats count | lookup t a OUTPUT"),
        "a lookup field"
    );
    assert_eq!(
        expected("| tstats count | lookup t a AS"),
        "a field name after `AS`"
    );
    assert_eq!(
        error("| tstats count | lookup event_time_field=t t a"),
        ParseErrorKind::Unsupported {
            construct: "lookup option `event_time_field`".into()
        }
    );
    assert!(matches!(
        error("| tstats count | lookup update=t update=f t a"),
        ParseErrorKind::Duplicate { .. }
    ));
}

#[test]
fn inputlookup_with_options_and_where() {
    let l = inputlookup("|inputlookup linux_tool_discovery_process.csv");
    assert_eq!(l.table.text, "linux_tool_discovery_process.csv");
    assert!(l.options.is_empty() && l.where_clause.is_none());

    let l = inputlookup("| inputlookup append=t max=5 previously_seen where count>3 user=\"a b\"");
    assert_eq!(l.options.len(), 2);
    assert_eq!(
        l.to_string(),
        "inputlookup append=t max=5 previously_seen where count>3 AND user=\"a b\""
    );

    assert!(matches!(
        error("| inputlookup t extra"),
        ParseErrorKind::Expected { .. }
    ));
    assert!(matches!(
        error("| inputlookup t where"),
        ParseErrorKind::Expected { .. }
    ));
}

fn search(text: &str) -> Search {
    match parsed(text).commands.pop() {
        Some(Command::Search(s)) => s,
        other => panic!("{other:?}"),
    }
}

fn tstats(text: &str) -> Tstats {
    match parsed(text).commands.remove(0) {
        Command::Tstats(t) => t,
        other => panic!("{other:?}"),
    }
}

#[test]
fn time_terms_are_exposed_as_a_time_range() {
    let s = search("search earliest=-24h@h process=x latest=now");
    let range = &s.time_range;
    assert_eq!(range.earliest.as_ref().unwrap().text, "-24h@h");
    assert_eq!(range.latest.as_ref().unwrap().text, "now");
    // The terms stay in the expression, printed once.
    assert_eq!(
        s.to_string(),
        "search earliest=-24h@h AND process=x AND latest=now"
    );

    let t = tstats(
        "| tstats count from datamodel=Endpoint.Processes where Processes.user=x \
         earliest=\"10/01/2024:00:00:00\" by Processes.dest",
    );
    assert_eq!(
        t.time_range.earliest.as_ref().unwrap().text,
        "10/01/2024:00:00:00"
    );
    assert!(t.time_range.latest.is_none());

    let t = tstats("| tstats count where latest=-10m@m where earliest=-70m@m");
    assert_eq!(t.time_range.earliest.as_ref().unwrap().text, "-70m@m");
    assert_eq!(t.time_range.latest.as_ref().unwrap().text, "-10m@m");

    assert!(search("search a=1").time_range.is_empty());
}

#[test]
fn time_terms_outside_the_top_level_are_refused() {
    let unsupported = |text: &str| match error(text) {
        ParseErrorKind::Unsupported { construct } => construct,
        other => panic!("{text}: {other}"),
    };
    assert!(unsupported("search a=1 OR earliest=-1d").contains("inside `OR`"));
    assert!(unsupported("search NOT latest=now").contains("`latest=`"));
    assert!(unsupported("search (a=1 earliest=-1d)").contains("parentheses"));
    assert_eq!(
        unsupported("search earliest>-1d"),
        "the time term `earliest>`"
    );
    assert_eq!(
        error("| tstats count where earliest=-1d earliest=-2d"),
        ParseErrorKind::Duplicate {
            name: "earliest".into()
        }
    );
}
