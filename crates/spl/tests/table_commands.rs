//! The table commands after tstats: each parses, prints canonically and parses back to an
//! equal tree; options it does not handle are refused naming the option, with its span.

mod common;

use spelunk_spl::{parse, Command, JoinType, ParseErrorKind, Pipeline, SortKind, Span};

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

fn second(text: &str) -> Command {
    parsed(text).commands.remove(1)
}

fn canonical(text: &str) -> String {
    parsed(text).to_string()
}

fn error(text: &str) -> (String, Span) {
    match parse(text) {
        Ok(p) => panic!("{text}: expected an error, parsed {p}"),
        Err(e) => (e.kind.to_string(), e.span),
    }
}

#[test]
fn join_takes_options_fields_and_a_subsearch() {
    let text = "| tstats count | join type=outer max=0 process_guid, _time \
                [| tstats count from datamodel=Endpoint.Filesystem by Filesystem.process_guid \
                | rename Filesystem.* as * | table process_guid dest] | table a";
    let Command::Join(join) = second(text) else {
        panic!("not a join");
    };
    assert_eq!(join.join_type, Some(JoinType::Outer));
    assert_eq!(join.max, Some(0));
    let names: Vec<_> = join.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["process_guid", "_time"]);
    assert_eq!(join.subsearch.pipeline.commands.len(), 3);
    let start = text.find('[').unwrap();
    let end = text.find(']').unwrap() + 1;
    assert_eq!(join.subsearch.span, Span::new(start, end));
    let inner_table = join.subsearch.pipeline.commands[2].span();
    assert_eq!(
        &text[inner_table.start..inner_table.end],
        "table process_guid dest"
    );

    assert_eq!(
        canonical("| tstats count | join malicious_id type=inner[| tstats count]"),
        "| tstats count | join type=inner malicious_id [| tstats count]"
    );
    assert_eq!(
        canonical("| tstats count | join [search x=\"a]b\" | append [| makeresults]]"),
        "| tstats count | join [| search x=\"a]b\" | append [| makeresults]]"
    );
    assert_eq!(
        canonical(r#"| tstats count | join [search x=a\"b]"#),
        r#"| tstats count | join [| search x=a\"b]"#
    );
}

#[test]
fn join_and_append_errors_point_into_the_subsearch() {
    let text = "| tstats count | join x [| tstats count | frobnicate]";
    let (message, span) = error(text);
    assert_eq!(message, "unknown search command `frobnicate`");
    assert_eq!(&text[span.start..span.end], "frobnicate");

    let (message, span) = error("| tstats count | join x [| tstats count");
    assert_eq!(message, "unbalanced bracket: `[` is never closed");
    assert_eq!(span, Span::new(24, 25));

    let (message, _) = error("| tstats count | join x");
    assert_eq!(message, "expected a subsearch in `[ ]`, found end of query");
    let (message, _) = error("| tstats count | join usetime=true x [| makeresults]");
    assert_eq!(message, "join option `usetime` is not supported");
    let (message, _) = error("| tstats count | join type=sideways x [| makeresults]");
    assert!(
        message.starts_with("expected `inner`, `left` or `outer`"),
        "{message}"
    );
    let (message, _) = error("| makeresults | append maxout=3 [| makeresults]");
    assert_eq!(message, "append option `maxout` is not supported");
    assert_eq!(
        canonical("| makeresults count=2 | append [ | makeresults ]"),
        "| makeresults count=2 | append [| makeresults]"
    );

    let deep = format!("| makeresults{}", "| append [| makeresults".repeat(80));
    let deep = format!("{deep}{}", "]".repeat(80));
    let (message, _) = error(&deep);
    assert!(message.contains("nests more than"), "{message}");
}

#[test]
fn dedup_sort_and_head() {
    let Command::Dedup(d) =
        second("| makeresults | dedup 2 a, b keepempty=t sortby -_time +num(x)")
    else {
        panic!("not a dedup");
    };
    assert_eq!(d.count, Some(2));
    assert_eq!(d.fields.len(), 2);
    assert_eq!(d.keepempty, Some(true));
    assert_eq!(d.sortby.len(), 2);
    assert!(d.sortby[0].descending);
    assert_eq!(d.sortby[1].kind, SortKind::Num);
    assert_eq!(
        canonical("| makeresults | dedup a consecutive=false"),
        "| makeresults | dedup a consecutive=false"
    );

    let Command::Sort(s) = second("| makeresults | sort 0 - count, str(user) host d") else {
        panic!("not a sort");
    };
    assert_eq!(s.limit, Some(0));
    assert_eq!(s.keys.len(), 3);
    assert!(s.keys[0].descending);
    assert_eq!(s.keys[1].kind, SortKind::Str);
    assert!(s.reverse);
    assert_eq!(
        canonical("| makeresults | sort limit=5 -x"),
        "| makeresults | sort 5 -x"
    );
    assert_eq!(
        canonical("| makeresults | sort d"),
        "| makeresults | sort d"
    );

    assert_eq!(canonical("| makeresults | head"), "| makeresults | head");
    assert_eq!(
        canonical("| makeresults | head limit=3"),
        "| makeresults | head 3"
    );
    let (message, _) = error("| makeresults | head (x>1)");
    assert_eq!(message, "head with an expression is not supported");
    let (message, _) = error("| makeresults | dedup a keepevents=true");
    assert_eq!(message, "dedup option `keepevents` is not supported");
    let (message, _) = error("| makeresults | sort frob(x)");
    assert_eq!(message, "unknown sort function `frob`");
    let (message, _) = error("| makeresults | dedup keepempty=yes a");
    assert!(
        message.starts_with("expected `true` or `false`"),
        "{message}"
    );
}

#[test]
fn fillnull_mvexpand_bin_makeresults() {
    assert_eq!(
        canonical("| makeresults | fillnull value=\"n/a\" a b"),
        "| makeresults | fillnull value=\"n/a\" a b"
    );
    assert_eq!(
        canonical("| makeresults | fillnull"),
        "| makeresults | fillnull"
    );
    assert_eq!(
        canonical("| makeresults | mvexpand limit=2 x"),
        "| makeresults | mvexpand x limit=2"
    );
    assert_eq!(
        canonical("| makeresults | bucket _time span=1h"),
        "| makeresults | bucket span=1h _time"
    );
    assert_eq!(
        canonical("| makeresults | bin span=10 size AS sz"),
        "| makeresults | bin span=10 size as sz"
    );
    assert_eq!(canonical("| makeresults count=3"), "| makeresults count=3");

    let (message, _) = error("| makeresults | bin bins=10 x");
    assert_eq!(message, "bin option `bins` is not supported");
    let (message, _) = error("| makeresults | bin x");
    assert_eq!(message, "bin without `span=` is not supported");
    let (message, _) = error("| makeresults annotate=t");
    assert_eq!(message, "makeresults option `annotate` is not supported");
    let (message, _) = error("| makeresults count=x");
    assert_eq!(message, "expected a whole number after `count=`, found `x`");
    let (message, _) = error("| makeresults | mvexpand");
    assert_eq!(message, "expected a field name, found end of query");
}

#[test]
fn regex_and_rex() {
    let Command::Regex(r) = second(r#"| makeresults | regex process = "(?i)(a\.exe.{0,4}$)""#)
    else {
        panic!("not a regex");
    };
    assert_eq!(r.field.as_ref().map(|f| f.name.as_str()), Some("process"));
    assert!(!r.negated);
    assert_eq!(r.pattern.text, r"(?i)(a\.exe.{0,4}$)");

    assert_eq!(
        canonical(r#"| makeresults | regex process!="\\x{202E}""#),
        r#"| makeresults | regex process!="\\x{202E}""#
    );
    assert_eq!(
        canonical(r#"| makeresults | regex "^a|b""#),
        r#"| makeresults | regex "^a|b""#
    );

    let Command::Rex(r) =
        second(r#"| makeresults | rex max_match=0 field=process "(?<name>[^\\\\]+)$""#)
    else {
        panic!("not a rex");
    };
    assert_eq!(r.max_match, Some(0));
    assert_eq!(r.pattern.text, r"(?<name>[^\\]+)$");
    assert_eq!(
        canonical(r#"| makeresults | rex mode=sed field=x "s/a/b/g""#),
        r#"| makeresults | rex field=x mode=sed "s/a/b/g""#
    );

    let (message, _) = error("| makeresults | rex offset_field=o \"x\"");
    assert_eq!(message, "rex option `offset_field` is not supported");
    let (message, _) = error("| makeresults | rex field=x");
    assert_eq!(message, "expected a regular expression, found end of query");
    let (message, _) = error("| makeresults | regex a=\"x\" b");
    assert!(message.starts_with("expected end of command"), "{message}");
    assert!(matches!(
        parse("| makeresults | rex field=x \"a\" \"b\"").map_err(|e| e.kind),
        Err(ParseErrorKind::Expected { .. })
    ));
}

#[test]
fn malformed_table_commands_are_errors_with_spans() {
    let cases = [
        "| makeresults | sort -",
        "| makeresults | sort num(",
        "| makeresults | sort num(x",
        "| makeresults | dedup 5",
        "| makeresults | dedup",
        "| makeresults | join [",
        "| makeresults | join x []",
        "| makeresults | join x [| makeresults] y",
        "| makeresults | join x ]",
        "| makeresults | regex",
        "| makeresults | regex x=",
        "| makeresults | rex \"a",
        "| makeresults | rex max_match=-1 \"a\"",
        "| makeresults | rex field=x field=y \"a\"",
        "| makeresults | bin span= x",
        "| makeresults | bin span=1h",
        "| makeresults | bin span=1h x y",
        "| makeresults | head 3 4",
        "| makeresults | head -3",
        "| makeresults | mvexpand a b",
        "| makeresults | fillnull value=",
        "| makeresults | makeresults x",
        "| makeresults count=99999999999999999999999",
        "| makeresults | append",
        "| makeresults | append [| makeresults] x",
        "| makeresults | dedup a sortby",
    ];
    for text in cases {
        let Err(e) = parse(text) else {
            panic!("{text}: parsed");
        };
        assert!(
            e.span.end <= text.len() && e.span.start <= e.span.end,
            "{text}"
        );
        eprintln!("{text:45} -> {} at {:?}", e.kind, e.span);
    }
}
