//! Parser behaviour: escapes, precedence, each command, and the errors it reports.

mod common;

use spelunk_spl::{
    parse, prepare, AggFunction, Command, CompareOp, DiagnosticKind, MacroLibrary, ParseErrorKind,
    Pipeline, SearchExpr, Span, Tstats,
};

fn parsed(text: &str) -> Pipeline {
    let pipeline = parse(text).unwrap_or_else(|e| panic!("{text}: {e} at {:?}", e.span));
    let printed = pipeline.to_string();
    let again = parse(&printed).unwrap_or_else(|e| panic!("reparse of {printed}: {e}"));
    assert_eq!(
        common::without_spans(&again),
        common::without_spans(&pipeline),
        "{printed}"
    );
    pipeline
}

fn error_kind(text: &str) -> (ParseErrorKind, Span) {
    match parse(text) {
        Ok(p) => panic!("{text}: expected an error, parsed {p}"),
        Err(e) => (e.kind, e.span),
    }
}

fn unsupported(text: &str) -> String {
    match error_kind(text).0 {
        ParseErrorKind::Unsupported { construct } => construct,
        other => panic!("{text}: expected unsupported, got {other}"),
    }
}

fn search_expr(text: &str) -> SearchExpr {
    match parsed(&format!("| search {text}")).commands.remove(0) {
        Command::Search(s) => s.expr.expect("an expression"),
        other => panic!("{other:?}"),
    }
}

fn tstats(text: &str) -> Tstats {
    match parsed(text).commands.remove(0) {
        Command::Tstats(t) => t,
        other => panic!("{other:?}"),
    }
}

/// A compact rendering of the tree's shape.
fn shape(e: &SearchExpr) -> String {
    match e {
        SearchExpr::And(l, r, _) => format!("(and {} {})", shape(l), shape(r)),
        SearchExpr::Or(l, r, _) => format!("(or {} {})", shape(l), shape(r)),
        SearchExpr::Not(x, _) => format!("(not {})", shape(x)),
        SearchExpr::Group(x, _) => format!("[{}]", shape(x)),
        SearchExpr::Compare {
            field, op, value, ..
        } => {
            format!("{}{}{}", field.name, op.symbol(), value.text)
        }
        SearchExpr::In { field, values, .. } => {
            let values: Vec<_> = values.iter().map(|v| v.text.as_str()).collect();
            format!("{} in {{{}}}", field.name, values.join(","))
        }
        SearchExpr::Term(v) if v.quoted => format!("'{}'", v.text),
        SearchExpr::Term(v) => v.text.clone(),
        SearchExpr::Subsearch(sub) => format!("(sub {})", sub.pipeline),
    }
}

#[test]
fn escapes_resolve_only_backslash_quote_and_pipe() {
    let table = [
        (r#""\\""#, r"\"),
        (r#""\"""#, r#"""#),
        (r#""\|""#, "|"),
        (r#""\s""#, r"\s"),
        (r#""\\\\""#, r"\\"),
        (r#""*\Windows\*""#, r"*\Windows\*"),
        (r#""*\\AI_STUBS\\x.exe""#, r"*\AI_STUBS\x.exe"),
        (r"C:\\Users*", r"C:\Users*"),
        (r"a\|b", "a|b"),
        (r"\W", r"\W"),
        (r#"x\"y"#, r#"x"y"#),
    ];
    for (written, text) in table {
        let SearchExpr::Compare { value, .. } = search_expr(&format!("f={written}")) else {
            panic!("{written}");
        };
        assert_eq!(value.text, text, "{written}");
        assert_eq!(value.quoted, written.starts_with('"'), "{written}");
    }
}

#[test]
fn or_binds_tighter_than_and() {
    let cases = [
        ("a b OR c", "(and a (or b c))"),
        ("a AND b OR c", "(and a (or b c))"),
        ("a OR b c", "(and (or a b) c)"),
        ("a OR b AND c OR d", "(and (or a b) (or c d))"),
        ("NOT a b", "(and (not a) b)"),
        ("NOT a OR b", "(or (not a) b)"),
        ("NOT x IN (1, \"2\")", "(not x in {1,2})"),
        ("NOT (a OR b) c", "(and (not [(or a b)]) c)"),
        ("NOT NOT a", "(not (not a))"),
        (
            "a and b or c not d",
            "(and (and (and (and (and (and a and) b) or) c) not) d)",
        ),
        ("x=1 OR x=2 OR y!=3", "(or (or x=1 x=2) y!=3)"),
        (
            "f = \"v\" g =w h<5 i>=6",
            "(and (and (and f=v g=w) h<5) i>=6)",
        ),
        ("*", "*"),
        ("\"OR\" a", "(and 'OR' a)"),
    ];
    for (text, expected) in cases {
        assert_eq!(shape(&search_expr(text)), expected, "{text}");
    }
}

#[test]
fn in_lists_take_commas_spaces_and_quotes() {
    let e = search_expr(r#"f IN (a, "b c",d e,"x,y")  g IN("1")"#);
    assert_eq!(shape(&e), "(and f in {a,b c,d,e,x,y} g in {1})");
    assert_eq!(shape(&search_expr("f in (a)")), "(and (and f in) [a])");
}

#[test]
fn bare_values_keep_parentheses_they_close() {
    assert_eq!(
        shape(&search_expr("(p=*GetCurrent()* OR q=a(b)c) r=x")),
        "(and [(or p=*GetCurrent()* q=a(b)c)] r=x)"
    );
    // A `(` left open ends the value; the rest is an unclosed group.
    let (kind, span) = error_kind("| search r=x( y");
    assert!(matches!(kind, ParseErrorKind::Unbalanced { .. }), "{kind}");
    assert_eq!(span, Span::new(12, 13));
}

#[test]
fn tstats_options_aggregates_and_clauses() {
    let t = tstats(
        "| tstats fillnull_value=\"N/A\" summariesonly=t count, dc(a) distinct_count(b) AS n \
         values(c) as \"v s\" latest(d) earliest(e) sum(f) avg(g) min(h) max(i) \
         FROM datamodel = \"Endpoint.Processes\" WHERE nodename=Processes.x a=1 \
         GROUPBY _time span=1h x, y",
    );
    assert_eq!(t.summariesonly.unwrap().text, "t");
    assert_eq!(t.fillnull_value.unwrap().text, "N/A");
    assert!(t.allow_old_summaries.is_none());
    let names: Vec<_> = t.aggregates.iter().map(|a| a.function.name()).collect();
    assert_eq!(
        names,
        [
            "count",
            "dc",
            "distinct_count",
            "values",
            "latest",
            "earliest",
            "sum",
            "avg",
            "min",
            "max"
        ]
    );
    assert_eq!(t.aggregates[2].alias.as_ref().unwrap().name, "n");
    assert_eq!(t.aggregates[3].alias.as_ref().unwrap().name, "v s");
    assert_eq!(
        t.aggregates[1].function,
        AggFunction::DistinctCount {
            written_long: false
        }
    );
    let dm = t.datamodel.unwrap();
    assert_eq!(
        (dm.model.as_str(), dm.dataset.as_deref()),
        ("Endpoint", Some("Processes"))
    );
    assert_eq!(
        shape(t.where_clause.as_ref().unwrap()),
        "(and nodename=Processes.x a=1)"
    );
    let by: Vec<_> = t.by.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(by, ["_time", "x", "y"]);
    assert_eq!(t.span_option.unwrap().text, "1h");
}

#[test]
fn tstats_where_may_come_first_and_stops_at_keywords() {
    let t = tstats("| tstats count where a=by.exe b=from from datamodel=Endpoint by by_field");
    assert_eq!(
        shape(t.where_clause.as_ref().unwrap()),
        "(and a=by.exe b=from)"
    );
    assert_eq!(t.datamodel.unwrap().dataset, None);
    assert_eq!(t.by[0].name, "by_field");

    let t = tstats("| tstats count where by=1 Processes.x=y BY x");
    assert_eq!(
        shape(t.where_clause.as_ref().unwrap()),
        "(and by=1 Processes.x=y)"
    );

    let t = tstats("| tstats count from datamodel=A where x=1 where y=2");
    assert_eq!(shape(t.where_clause.as_ref().unwrap()), "(and x=1 y=2)");
}

#[test]
fn tstats_refuses_what_it_cannot_run() {
    assert_eq!(unsupported("| tstats prestats=t count"), "tstats prestats");
    assert_eq!(unsupported("| tstats count append=t"), "tstats append");
    assert_eq!(unsupported("| tstats local=t count"), "tstats local");
    assert_eq!(
        unsupported("| tstats chunk_size=100000 count"),
        "tstats chunk_size"
    );
    assert_eq!(
        unsupported("| tstats include_reduced_buckets=t count"),
        "tstats include_reduced_buckets"
    );
    assert_eq!(
        unsupported("| tstats count stdev(x)"),
        "tstats function `stdev`"
    );
    assert_eq!(
        unsupported("| tstats perc95(x)"),
        "tstats function `perc95`"
    );
    assert_eq!(
        unsupported("| tstats count(eval(x>1))"),
        "`eval(...)` inside an aggregate"
    );
    assert_eq!(
        unsupported("| tstats count by PREFIX(x=)"),
        "tstats PREFIX()"
    );
    assert_eq!(
        unsupported("| tstats count from sid=1"),
        "tstats FROM without `datamodel=`"
    );
    assert_eq!(
        unsupported("| tstats count where x IN ([| inputlookup t])"),
        "subsearch"
    );
    assert_eq!(
        unsupported("| tstats count where [| inputlookup t]"),
        "a subsearch in the tstats WHERE clause"
    );
    let (kind, span) = error_kind("| tstats count median(x)");
    assert_eq!(span, Span::new(15, 21), "{kind}");
}

#[test]
fn a_subsearch_is_a_term_of_a_later_search() {
    let text = "| tstats count | search user=a NOT [| inputlookup t | table dest] OR x=1";
    let pipeline = parsed(text);
    let Command::Search(search) = &pipeline.commands[1] else {
        panic!("{:?}", pipeline.commands[1]);
    };
    let expr = search.expr.as_ref().unwrap();
    assert_eq!(
        shape(expr),
        "(and user=a (or (not (sub | inputlookup t | table dest)) x=1))"
    );
    let start = text.find('[').unwrap();
    let end = text.find(']').unwrap() + 1;
    let SearchExpr::And(_, right, _) = expr else {
        panic!()
    };
    let SearchExpr::Or(left, _, _) = right.as_ref() else {
        panic!()
    };
    let SearchExpr::Not(sub, _) = left.as_ref() else {
        panic!()
    };
    assert_eq!(sub.span(), Span::new(start, end));
    assert_eq!(
        pipeline.to_string(),
        "| tstats count | search user=a AND NOT [| inputlookup t | table dest] OR x=1"
    );
}

#[test]
fn tstats_syntax_errors() {
    let cases = [
        (
            "| tstats",
            "expected an aggregate function such as `count`, found end of query",
        ),
        (
            "| tstats values by x",
            "expected `(` after `values`, found `by`",
        ),
        ("| tstats count(x", "expected `)`, found end of query"),
        (
            "| tstats count by",
            "expected a field name after `BY`, found end of query",
        ),
        (
            "| tstats count from datamodel=",
            "expected a value after `datamodel=`, found end of query",
        ),
        (
            "| tstats count where",
            "expected a search expression after `WHERE`, found end of query",
        ),
        (
            "| tstats count foo=1",
            "expected a tstats option or an aggregate function, found `foo=1`",
        ),
        (
            "| tstats count summariesonly=t summariesonly=f",
            "`summariesonly` is given more than once",
        ),
        (
            "| tstats count where x=1) by y",
            "unbalanced parenthesis: `)` has no matching `(`",
        ),
        (
            "| tstats count by x where y=1",
            "expected a field name or end of command, found `where`",
        ),
        (
            "| tstats Count",
            "expected an aggregate function such as `count`, found `Count`",
        ),
    ];
    for (text, message) in cases {
        let (kind, _) = error_kind(text);
        assert_eq!(kind.to_string(), message, "{text}");
    }
}

#[test]
fn rename_convert_table_fields() {
    let p = parsed(
        "search x | RENAME a AS b, \"Processes.*\" as * c as d | convert timeformat=\"%F\" \
         ctime(firstTime) ctime(l*) AS last | table a, b c* | fields - x, y | fields + z | fields w",
    );
    let [Command::Search(_), Command::Rename(r), Command::Convert(c), Command::Table(t), Command::Fields(f1), Command::Fields(f2), Command::Fields(f3)] =
        p.commands.as_slice()
    else {
        panic!("{p:?}");
    };
    let pairs: Vec<_> = r
        .pairs
        .iter()
        .map(|p| (p.from.name.as_str(), p.to.name.as_str()))
        .collect();
    assert_eq!(pairs, [("a", "b"), ("Processes.*", "*"), ("c", "d")]);
    assert_eq!(c.timeformat.as_ref().unwrap().text, "%F");
    assert_eq!(c.conversions[1].field.name, "l*");
    assert_eq!(c.conversions[1].alias.as_ref().unwrap().name, "last");
    let names: Vec<_> = t.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c*"]);
    assert!(f1.remove && !f2.remove && !f3.remove);
    assert_eq!(f1.fields.len(), 2);
}

#[test]
fn command_errors_and_unsupported_commands() {
    for name in ["transaction", "tail", "top", "streamstats"] {
        let text = format!("| tstats count | {name} x");
        assert_eq!(unsupported(&text), format!("command `{name}`"));
        assert_eq!(error_kind(&text).1, Span::new(17, 17 + name.len()));
    }
    assert_eq!(unsupported("| mstats count"), "command `mstats`");
    assert_eq!(
        unsupported("| outputlookup x.csv"),
        "command `outputlookup`"
    );
    assert_eq!(unsupported("| tstats count | [search x]"), "subsearch");
    assert_eq!(
        unsupported("| convert mktime(x)"),
        "convert function `mktime`"
    );

    let cases = [
        ("| frobnicate", "unknown search command `frobnicate`"),
        (
            "| convert security_content_ctime(x)",
            "unknown convert function `security_content_ctime`",
        ),
        (
            "| convert ctime x",
            "expected a conversion such as `ctime(field)`, found `ctime`",
        ),
        ("| rename a b", "expected `AS`, found `b`"),
        ("| rename", "expected a field name, found end of query"),
        ("| table", "expected a field name, found end of query"),
        ("| table a (b)", "expected a field name, found `(`"),
        ("", "expected a search, found end of query"),
        ("|", "expected a command name, found end of query"),
        (
            "| tstats count |",
            "expected a command name, found end of query",
        ),
        (
            "| search a=\"x",
            "unbalanced double quote: the string is never closed",
        ),
        (
            "| search a OR",
            "expected a search term after `OR`, found end of query",
        ),
        (
            "| search NOT",
            "expected a search term after `NOT`, found end of query",
        ),
        (
            "| search a AND AND b",
            "expected a search term, found `AND`",
        ),
        ("| search ()", "expected a search term, found `)`"),
        ("| search x IN ()", "expected a value, found `)`"),
        (
            "| search x IN (a",
            "unbalanced parenthesis: `(` is never closed",
        ),
        (
            "| search )",
            "unbalanced parenthesis: `)` has no matching `(`",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(error_kind(text).0.to_string(), message, "{text}");
    }
}

#[test]
fn implied_search_and_spans() {
    let text = "  index=main  sourcetype=x | search   | table a ";
    let p = parsed(text);
    assert_eq!(p.span, Span::new(2, 47));
    let [Command::Search(first), Command::Search(empty), Command::Table(t)] = p.commands.as_slice()
    else {
        panic!("{p:?}");
    };
    assert_eq!(first.span, Span::new(2, 26));
    assert!(empty.expr.is_none());
    assert_eq!(empty.span, Span::new(29, 35));
    assert_eq!(t.span, Span::new(40, 47));
    assert_eq!(t.fields[0].span, Span::new(46, 47));
    assert_eq!(
        p.to_string(),
        "| search index=main AND sourcetype=x | search | table a"
    );

    let p = parsed("search x");
    assert_eq!(p.to_string(), "| search x");
    let SearchExpr::Compare {
        op, span, value, ..
    } = search_expr("f != \"v\"")
    else {
        panic!();
    };
    assert_eq!(
        (op, span, value.span),
        (CompareOp::Ne, Span::new(9, 17), Span::new(14, 17))
    );
}

#[test]
fn nesting_limit_is_an_error_not_a_crash() {
    let ok = format!("| search {}a{}", "(".repeat(60), ")".repeat(60));
    parsed(&ok);
    let deep = format!("| search {}a{}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(matches!(
        error_kind(&deep).0,
        ParseErrorKind::TooDeep { limit: 64 }
    ));
    let nots = format!("| search {}a", "NOT ".repeat(100_000));
    assert!(matches!(
        error_kind(&nots).0,
        ParseErrorKind::TooDeep { .. }
    ));
}

#[test]
fn trouble_cases_parse_or_fail_as_expected() {
    let Some(cases) = common::read_shared("cases/cases.jsonl") else {
        return;
    };
    for line in cases.lines() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut macros = MacroLibrary::with_builtins();
        for (key, m) in case["macros"].as_object().into_iter().flatten() {
            let name = key.split('(').next().unwrap_or(key);
            let args: Vec<&str> = m["args"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str())
                .collect();
            let definition = m["definition"].as_str().unwrap_or_default();
            macros.insert(spelunk_spl::Macro::new(name, &args, definition));
        }
        let must_fail = case["expected"][0]["__error__"] == true;
        let result = prepare(case["spl"].as_str().unwrap(), &macros);
        match (result, must_fail) {
            (Ok(_), false) | (Err(_), true) => {}
            (Err(d), false) if d.kind == DiagnosticKind::Unsupported => {}
            (Ok(p), true) => panic!("{}: should fail, parsed {}", case["id"], p.pipeline),
            (Err(d), false) => panic!("{}: {d}", case["id"]),
        }
    }
}

#[test]
fn comments_hide_macro_calls_and_keep_offsets() {
    let text = "| tstats count ```try `undefined_macro` later``` by x | `drop_dm_object_name(P)`";
    let prepared = prepare(text, &MacroLibrary::with_builtins()).unwrap();
    let Command::Tstats(t) = &prepared.pipeline.commands[0] else {
        panic!();
    };
    assert_eq!(&text[t.by[0].span.start..t.by[0].span.end], "x");
    assert_eq!(
        prepared.pipeline.to_string(),
        "| tstats count by x | rename P.* as *"
    );
}
